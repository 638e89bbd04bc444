package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func files(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel+"="+string(b))
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, " ")
}

// A volume holds exactly its source's keys (or items), updated in place;
// keys that go away are removed.
func TestWriteVolume(t *testing.T) {
	dir := t.TempDir()
	if err := writeVolume(dir, map[string][]byte{"tls.crt": []byte("c1"), "tls.key": []byte("k1")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); got != "tls.crt=c1 tls.key=k1" {
		t.Errorf("first write: %s", got)
	}
	if err := writeVolume(dir, map[string][]byte{"tls.crt": []byte("c2"), "ca.crt": []byte("a")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); got != "ca.crt=a tls.crt=c2" {
		t.Errorf("after rotation: %s", got)
	}
	items := []corev1.KeyToPath{{Key: "tls.crt", Path: "sub/cert"}}
	if err := writeVolume(dir, map[string][]byte{"tls.crt": []byte("c3"), "other": []byte("x")}, items); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); got != "sub/cert=c3" {
		t.Errorf("with items: %s", got)
	}
	if err := writeVolume(dir, map[string][]byte{"k": nil}, []corev1.KeyToPath{{Key: "k", Path: "../escape"}}); err == nil {
		t.Error("an item path leaving the volume was accepted")
	}
}

// A container does not start before a non-optional Secret it mounts exists;
// an optional one starts empty and is filled once the Secret appears.
func TestPodVolumes(t *testing.T) {
	cs := fake.NewClientset()
	s := &supervisor{name: "c", dir: t.TempDir()}
	yes := true
	pod := corev1.PodSpec{Volumes: []corev1.Volume{
		{Name: "certificates", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "kedaorg-certs"}}},
		{Name: "opt", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "later", Optional: &yes}}},
		{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "token", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}},
	}}
	c := corev1.Container{VolumeMounts: []corev1.VolumeMount{
		{Name: "certificates", MountPath: "/certs"}, {Name: "opt", MountPath: "/opt"},
		{Name: "tmp", MountPath: "/tmp"}, {Name: "token", MountPath: "/var/run/secrets/tokens"},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		mounts map[string]string
		err    error
	}
	done := make(chan result, 1)
	go func() { m, err := s.podVolumes(ctx, cs, "keda", pod, c); done <- result{m, err} }()
	select {
	case r := <-done:
		t.Fatalf("started without the non-optional Secret: %+v", r)
	case <-time.After(1500 * time.Millisecond):
	}
	_, err := cs.CoreV1().Secrets("keda").Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "kedaorg-certs"},
		Data: map[string][]byte{"ca.crt": []byte("ca"), "tls.crt": []byte("crt")}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("not started after the Secret was created")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.mounts) != 3 || r.mounts["/var/run/secrets/tokens"] != "" {
		t.Errorf("mounts %v: want /certs, /opt and /tmp only", r.mounts)
	}
	if got := files(t, r.mounts["/certs"]); got != "ca.crt=ca tls.crt=crt" {
		t.Errorf("/certs holds %s", got)
	}
	if got := files(t, r.mounts["/opt"]); got != "" {
		t.Errorf("optional volume of a missing Secret holds %s", got)
	}
	// Kept in sync while it runs.
	_, err = cs.CoreV1().Secrets("keda").Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "later"},
		Data: map[string][]byte{"x": []byte("1")}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * volumeResync)
	for files(t, r.mounts["/opt"]) != "x=1" && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if got := files(t, r.mounts["/opt"]); got != "x=1" {
		t.Errorf("optional volume after its Secret appeared: %s", got)
	}
}
