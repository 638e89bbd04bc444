package main

// The volumes a real controller's container mounts, provided as the kubelet
// would: each Secret and ConfigMap volume is a directory in the state dir
// holding one file per key (or per item, when the volume lists items),
// written before the controller starts and kept current while it runs (a
// controller that rotates its own certificates reads them back from its
// mount). A volume whose source does not exist holds the start back until
// it does, unless the volume is optional, as the kubelet holds back the
// container. emptyDir volumes are empty directories. Paths under a mount
// path in the container's args point into these directories
// (controllerArgs). The kubelet reads the sources with node credentials;
// this uses the admin kubeconfig, as kwok does for the kubelet's other work.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
)

// volumeResync: how often a mounted Secret or ConfigMap is copied again.
const volumeResync = 2 * time.Second

// volumeSource: where a mounted volume's files come from.
type volumeSource struct {
	kind, name string // "secret" or "configmap"; the object's name
	optional   bool
	items      []corev1.KeyToPath
}

// podVolumes creates a local directory for each volume the container
// mounts, fills the Secret and ConfigMap ones (waiting for a missing
// non-optional source) and keeps them in sync until ctx ends. It returns
// mount path -> local directory.
func (s *supervisor) podVolumes(ctx context.Context, cs kubernetes.Interface, namespace string, pod corev1.PodSpec, c corev1.Container) (map[string]string, error) {
	mounts := map[string]string{}
	sources := map[string]volumeSource{} // local dir -> source
	for _, m := range c.VolumeMounts {
		v, ok := findVolume(pod.Volumes, m.Name)
		if !ok || m.SubPath != "" {
			continue
		}
		dir := filepath.Join(s.dir, s.name+"-volumes", m.Name)
		switch {
		case v.Secret != nil:
			sources[dir] = volumeSource{kind: "secret", name: v.Secret.SecretName, optional: v.Secret.Optional != nil && *v.Secret.Optional, items: v.Secret.Items}
		case v.ConfigMap != nil:
			sources[dir] = volumeSource{kind: "configmap", name: v.ConfigMap.Name, optional: v.ConfigMap.Optional != nil && *v.ConfigMap.Optional, items: v.ConfigMap.Items}
		case v.EmptyDir != nil:
		default:
			continue // projected tokens, host paths: nothing a controller here reads
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		mounts[m.MountPath] = dir
	}
	dirs := make([]string, 0, len(sources))
	for d := range sources {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		src := sources[d]
		logged := false
		if err := poll(ctx, time.Second, func() (bool, error) {
			found, err := syncVolume(ctx, cs, namespace, src, d)
			if err != nil {
				klog.Warningf("%s: volume %s: %v", s.name, d, err)
				return false, nil
			}
			if !found && !src.optional {
				if !logged {
					klog.Infof("%s: waiting for %s %s/%s (a volume it mounts)", s.name, src.kind, namespace, src.name)
					logged = true
				}
				return false, nil
			}
			return true, nil
		}); err != nil {
			return nil, err
		}
	}
	if len(sources) > 0 {
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(volumeResync):
				}
				for _, d := range dirs {
					if _, err := syncVolume(ctx, cs, namespace, sources[d], d); err != nil && ctx.Err() == nil {
						klog.Warningf("%s: volume %s: %v", s.name, d, err)
					}
				}
			}
		}()
	}
	return mounts, nil
}

func findVolume(vs []corev1.Volume, name string) (corev1.Volume, bool) {
	for _, v := range vs {
		if v.Name == name {
			return v, true
		}
	}
	return corev1.Volume{}, false
}

// syncVolume copies the source's current data into dir; found is false
// when the source does not exist (dir is then emptied).
func syncVolume(ctx context.Context, cs kubernetes.Interface, namespace string, src volumeSource, dir string) (found bool, err error) {
	data := map[string][]byte{}
	switch src.kind {
	case "secret":
		sec, err := cs.CoreV1().Secrets(namespace).Get(ctx, src.name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, writeVolume(dir, nil, nil)
		} else if err != nil {
			return false, err
		}
		for k, v := range sec.Data {
			data[k] = v
		}
	case "configmap":
		cm, err := cs.CoreV1().ConfigMaps(namespace).Get(ctx, src.name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, writeVolume(dir, nil, nil)
		} else if err != nil {
			return false, err
		}
		for k, v := range cm.Data {
			data[k] = []byte(v)
		}
		for k, v := range cm.BinaryData {
			data[k] = v
		}
	default:
		return false, fmt.Errorf("unknown volume source %q", src.kind)
	}
	return true, writeVolume(dir, data, src.items)
}

// writeVolume makes dir hold exactly the files of data: one per key, or per
// item (key -> path) when items are given. Each file is replaced atomically
// and only when its content changed; files of keys gone are removed.
func writeVolume(dir string, data map[string][]byte, items []corev1.KeyToPath) error {
	want := map[string][]byte{}
	if len(items) > 0 {
		for _, it := range items {
			if v, ok := data[it.Key]; ok {
				want[filepath.Clean(it.Path)] = v
			}
		}
	} else {
		for k, v := range data {
			want[k] = v
		}
	}
	for p, v := range want {
		if strings.HasPrefix(p, "..") || filepath.IsAbs(p) {
			return fmt.Errorf("volume path %q leaves the volume", p)
		}
		f := filepath.Join(dir, p)
		if cur, err := os.ReadFile(f); err == nil && string(cur) == string(v) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(f+".tmp", v, 0o600); err != nil {
			return err
		}
		if err := os.Rename(f+".tmp", f); err != nil {
			return err
		}
	}
	return filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if _, ok := want[rel]; !ok {
			return os.Remove(path)
		}
		return nil
	})
}
