package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// ProvisionerName is the `provisioner` of the local default StorageClass.
const ProvisionerName = "local.volley.dev/hostpath"

// The annotation the PV controller puts on claims it wants provisioned.
const annProvisioner = "volume.kubernetes.io/storage-provisioner"

// runProvisioner provisions a hostPath PersistentVolume, pre-bound to the
// claim, for every pending claim the PV controller hands to ProvisionerName,
// and deletes released volumes whose reclaim policy is Delete. The binding
// itself is left to kube-controller-manager, as with any external provisioner.
func runProvisioner(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("provisioner", flag.ContinueOnError)
	root := fs.String("root", "/tmp/volley-local-volumes", "directory the hostPath volumes point into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cs, err := clientset()
	if err != nil {
		return err
	}
	f := informers.NewSharedInformerFactory(cs, 10*time.Minute)
	pvcs, pvs := f.Core().V1().PersistentVolumeClaims().Informer(), f.Core().V1().PersistentVolumes().Informer()
	work := make(chan func(), 256)
	_, _ = pvcs.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { work <- func() { provision(ctx, cs, o.(*corev1.PersistentVolumeClaim), *root) } },
		UpdateFunc: func(_, o any) { work <- func() { provision(ctx, cs, o.(*corev1.PersistentVolumeClaim), *root) } },
	})
	_, _ = pvs.AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, o any) { work <- func() { reclaim(ctx, cs, o.(*corev1.PersistentVolume)) } },
	})
	f.Start(ctx.Done())
	klog.Infof("provisioner %s running (root %s)", ProvisionerName, *root)
	for {
		select {
		case <-ctx.Done():
			return nil
		case w := <-work:
			w()
		}
	}
}

func provision(ctx context.Context, cs kubernetes.Interface, c *corev1.PersistentVolumeClaim, root string) {
	if c.Spec.VolumeName != "" || c.Status.Phase != corev1.ClaimPending || c.Annotations[annProvisioner] != ProvisionerName ||
		c.DeletionTimestamp != nil {
		return
	}
	name := "pvc-" + string(c.UID)
	size := c.Spec.Resources.Requests[corev1.ResourceStorage]
	class := ""
	if c.Spec.StorageClassName != nil {
		class = *c.Spec.StorageClassName
	}
	reclaimPolicy := corev1.PersistentVolumeReclaimDelete
	if sc, err := cs.StorageV1().StorageClasses().Get(ctx, class, metav1.GetOptions{}); err == nil && sc.ReclaimPolicy != nil {
		reclaimPolicy = *sc.ReclaimPolicy
	}
	hostPathType := corev1.HostPathDirectoryOrCreate
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": ProvisionerName}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   c.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: reclaimPolicy,
			StorageClassName:              class,
			VolumeMode:                    c.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: c.Namespace, Name: c.Name, UID: c.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: filepath.Join(root, c.Namespace+"-"+c.Name+"-"+string(c.UID)), Type: &hostPathType},
			},
		},
	}
	_, err := cs.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	switch {
	case err == nil:
		klog.Infof("provisioned %s for %s/%s (%s)", name, c.Namespace, c.Name, size.String())
	case apierrors.IsAlreadyExists(err):
	default:
		klog.Errorf("provisioning %s/%s: %v", c.Namespace, c.Name, err)
		event(ctx, cs, c, fmt.Sprintf("provisioning failed: %v", err))
	}
}

func reclaim(ctx context.Context, cs kubernetes.Interface, pv *corev1.PersistentVolume) {
	if pv.Annotations["pv.kubernetes.io/provisioned-by"] != ProvisionerName || pv.Status.Phase != corev1.VolumeReleased ||
		pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete || pv.DeletionTimestamp != nil {
		return
	}
	if err := cs.CoreV1().PersistentVolumes().Delete(ctx, pv.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		klog.Errorf("deleting released %s: %v", pv.Name, err)
		return
	}
	klog.Infof("deleted released %s", pv.Name)
}

func event(ctx context.Context, cs kubernetes.Interface, c *corev1.PersistentVolumeClaim, msg string) {
	_, _ = cs.CoreV1().Events(c.Namespace).Create(ctx, &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{GenerateName: c.Name + "-"},
		InvolvedObject: corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: c.Namespace, Name: c.Name, UID: c.UID, APIVersion: "v1"},
		Reason:         "ProvisioningFailed", Message: msg, Type: corev1.EventTypeWarning,
		Source: corev1.EventSource{Component: ProvisionerName}, FirstTimestamp: metav1.Now(), LastTimestamp: metav1.Now(),
	}, metav1.CreateOptions{})
}
