package main

// TEST DOUBLE of the Volley operator (volley-k8s-operator), which cannot be
// had here. It does what the operator guide documents for a
// VolleyApplication (../shared/seeds, "Kubernetes Operator"), no more: a
// StatefulSet with the state and checkpoint claim templates, a headless and
// a metrics Service, a PodDisruptionBudget, a ServiceMonitor and a KEDA
// ScaledObject when asked for, node isolation, distributed mode, and the
// status subresource. It runs with the operator's own ServiceAccount token,
// so a permission the package's ClusterRole lacks fails here as it would for
// the real operator. Test infrastructure: never packaged or installed for users.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2"
)

var (
	vappGVR = schema.GroupVersionResource{Group: "volley.io", Version: "v1alpha1", Resource: "volleyapplications"}
	smGVR   = schema.GroupVersionResource{Group: "monitoring.coreos.com", Version: "v1", Resource: "servicemonitors"}
	soGVR   = schema.GroupVersionResource{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledobjects"}
	svcGVR  = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	pdbGVR  = schema.GroupVersionResource{Group: "policy", Version: "v1", Resource: "poddisruptionbudgets"}
	stsGVR  = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "statefulsets"}
)

const fieldManager = "volley-operator"

type double struct {
	cs    kubernetes.Interface
	dyn   dynamic.Interface
	disc  discovery.DiscoveryInterface
	vapps cache.GenericLister
	// served: which optional APIs (ServiceMonitor, ScaledObject) exist, asked
	// once per reconcile pass rather than once per application and object.
	served map[schema.GroupVersionResource]bool
	mu     sync.Mutex
	queue  map[string]bool
	kick   chan struct{}
}

func runOperatorDouble(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("operator-double", flag.ContinueOnError)
	namespace := fs.String("namespace", "volley-system", "the operator's namespace (leader-election lease)")
	resync := fs.Duration("resync", 3*time.Second, "how often every application is reconciled again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = 50, 100
	cfg.UserAgent = "volley-operator-double"
	d := &double{queue: map[string]bool{}, kick: make(chan struct{}, 1)}
	if d.cs, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	if d.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return err
	}
	d.disc = d.cs.Discovery()

	// Leader election in the operator's namespace, as the operator does (the
	// package's Role grants leases there).
	id, _ := os.Hostname()
	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Name: "volley-operator", Namespace: *namespace},
		Client:     d.cs.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: id + "-" + fmt.Sprint(os.Getpid())},
	}
	leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
		Lock: lock, ReleaseOnCancel: true,
		LeaseDuration: 15 * time.Second, RenewDeadline: 10 * time.Second, RetryPeriod: 2 * time.Second,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(ctx context.Context) { d.run(ctx, *resync) },
			OnStoppedLeading: func() { klog.Info("leadership lost") },
		},
	})
	return nil
}

func (d *double) run(ctx context.Context, resync time.Duration) {
	dynf := dynamicinformer.NewDynamicSharedInformerFactory(d.dyn, 10*time.Minute)
	inf := dynf.ForResource(vappGVR)
	d.vapps = inf.Lister()
	enqueue := func(o any) {
		if k, err := cache.DeletionHandlingMetaNamespaceKeyFunc(o); err == nil {
			d.enqueue(k)
		}
	}
	_, _ = inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: enqueue, UpdateFunc: func(_, o any) { enqueue(o) }})
	kf := informers.NewSharedInformerFactory(d.cs, 10*time.Minute)
	sts := kf.Apps().V1().StatefulSets().Informer()
	owner := func(o any) {
		if m, ok := o.(metav1.Object); ok {
			if app := m.GetLabels()["volley.io/application"]; app != "" {
				d.enqueue(m.GetNamespace() + "/" + app)
			}
		}
	}
	_, _ = sts.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: owner, UpdateFunc: func(_, o any) { owner(o) }, DeleteFunc: owner})
	dynf.Start(ctx.Done())
	kf.Start(ctx.Done())
	dynf.WaitForCacheSync(ctx.Done())
	kf.WaitForCacheSync(ctx.Done())
	klog.Info("operator double running")
	tick := time.NewTicker(resync)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			objs, _ := d.vapps.List(labels.Everything())
			for _, o := range objs {
				enqueue(o)
			}
		case <-d.kick:
		}
		keys := d.drain()
		if len(keys) > 0 {
			d.served = map[schema.GroupVersionResource]bool{smGVR: d.isServed(smGVR), soGVR: d.isServed(soGVR)}
		}
		for _, k := range keys {
			d.reconcile(ctx, k)
		}
	}
}

func (d *double) enqueue(k string) {
	d.mu.Lock()
	d.queue[k] = true
	d.mu.Unlock()
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

func (d *double) drain() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.queue))
	for k := range d.queue {
		out = append(out, k)
	}
	d.queue = map[string]bool{}
	sort.Strings(out)
	return out
}

// reconcile brings one application's objects to its spec and writes status.
func (d *double) reconcile(ctx context.Context, key string) {
	ns, name, _ := cache.SplitMetaNamespaceKey(key)
	o, err := d.vapps.ByNamespace(ns).Get(name)
	if err != nil {
		return // deleted: owner references let the garbage collector clean up
	}
	app := o.(*unstructured.Unstructured).DeepCopy()
	if app.GetDeletionTimestamp() != nil {
		return
	}
	a := parseApp(app)
	st, applyErr := d.apply(ctx, a)
	d.writeStatus(ctx, app, a, st, applyErr)
}

// apply creates or updates every object of the application with server-side
// apply and returns the StatefulSet's live status.
func (d *double) apply(ctx context.Context, a *appSpec) (*stsStatus, error) {
	for _, o := range []struct {
		gvr schema.GroupVersionResource
		obj map[string]any
	}{{svcGVR, a.headlessService()}, {svcGVR, a.metricsService()}, {pdbGVR, a.pdb()}, {stsGVR, a.statefulSet()}} {
		if err := d.ssa(ctx, o.gvr, o.obj); err != nil {
			return nil, err
		}
	}
	// ServiceMonitor only where prometheus-operator's CRD exists.
	if a.serviceMonitorEnabled() {
		if d.served[smGVR] {
			if err := d.ssa(ctx, smGVR, a.serviceMonitor()); err != nil {
				return nil, err
			}
		}
	} else if err := d.deleteIfPresent(ctx, smGVR, a.ns, a.name); err != nil {
		return nil, err
	}
	if a.autoscalingEnabled() {
		if !d.served[soGVR] {
			return nil, permanent(fmt.Errorf("autoscaling is enabled but KEDA is not installed (no %s in the cluster): install KEDA or set autoscaling.enabled to false", soGVR.GroupResource()))
		}
		if err := d.ssa(ctx, soGVR, a.scaledObject()); err != nil {
			return nil, err
		}
	} else if err := d.deleteIfPresent(ctx, soGVR, a.ns, a.name); err != nil {
		return nil, err
	}
	live, err := d.cs.AppsV1().StatefulSets(a.ns).Get(ctx, a.name, metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	return &stsStatus{
		desired: deref(live.Spec.Replicas, 1), ready: live.Status.ReadyReplicas, updated: live.Status.UpdatedReplicas,
		current: live.Status.ObservedGeneration >= live.Generation,
	}, nil
}

type stsStatus struct {
	desired, ready, updated int32
	current                 bool
}

type permanentError struct{ error }

func permanent(err error) error { return permanentError{err} }

func (d *double) isServed(gvr schema.GroupVersionResource) bool {
	rl, err := d.disc.ServerResourcesForGroupVersion(gvr.GroupVersion().String())
	if err != nil {
		return false
	}
	for _, r := range rl.APIResources {
		if r.Name == gvr.Resource {
			return true
		}
	}
	return false
}

func (d *double) ssa(ctx context.Context, gvr schema.GroupVersionResource, obj map[string]any) error {
	u := &unstructured.Unstructured{Object: obj}
	data, err := u.MarshalJSON()
	if err != nil {
		return err
	}
	force := true
	_, err = d.dyn.Resource(gvr).Namespace(u.GetNamespace()).Patch(ctx, u.GetName(), types.ApplyPatchType, data,
		metav1.PatchOptions{FieldManager: fieldManager, Force: &force})
	if err != nil {
		return fmt.Errorf("applying %s %s/%s: %w", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return nil
}

func (d *double) deleteIfPresent(ctx context.Context, gvr schema.GroupVersionResource, ns, name string) error {
	if !d.served[gvr] {
		return nil
	}
	err := d.dyn.Resource(gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting %s %s/%s: %w", gvr.GroupResource(), ns, name, err)
	}
	return nil
}

// writeStatus: Pending until every replica is Ready, then Running; Degraded
// when some but not all are Ready after having been Running; Failed on an
// error retrying will not fix (a missing permission, an invalid object).
func (d *double) writeStatus(ctx context.Context, app *unstructured.Unstructured, a *appSpec, st *stsStatus, applyErr error) {
	prev, _, _ := unstructured.NestedString(app.Object, "status", "phase")
	var phase, msg string
	var ready int32
	switch {
	case applyErr != nil && isPermanent(applyErr):
		phase, msg = "Failed", applyErr.Error()
		if apierrors.IsForbidden(applyErr) {
			msg += " (the operator's ClusterRole lacks this permission)"
		}
	case applyErr != nil:
		phase, msg = orPending(prev), "retrying: "+applyErr.Error()
	case st.ready >= st.desired && st.updated >= st.desired && st.current:
		ready = st.ready
		phase, msg = "Running", fmt.Sprintf("%d/%d replicas ready", st.ready, st.desired)
	default:
		ready = st.ready
		phase = "Pending"
		if (prev == "Running" || prev == "Degraded") && st.ready > 0 {
			phase = "Degraded"
		}
		if st.ready >= st.desired {
			msg = fmt.Sprintf("rolling out: %d/%d replicas updated", st.updated, st.desired)
			break
		}
		msg = fmt.Sprintf("%d/%d replicas ready; waiting for %d more.", st.ready, st.desired, st.desired-st.ready)
		if a.antiAffinity {
			msg += " isolation.podAntiAffinity places one pod per node, so each replica needs its own schedulable node matching isolation.nodeSelector: add nodes to the stream pool or lower replicas."
		}
		msg += fmt.Sprintf(" Scheduling errors: kubectl describe pods -n %s -l volley.io/application=%s", a.ns, a.name)
	}
	desired := int64(a.replicas)
	if st != nil {
		desired = int64(st.desired)
	}
	status := map[string]any{
		"phase": phase, "message": msg, "replicas": desired, "readyReplicas": int64(ready),
		"observedGeneration": app.GetGeneration(),
		"conditions": []any{map[string]any{
			"type": "Ready", "status": map[bool]string{true: "True", false: "False"}[phase == "Running"], "reason": phase,
			"message": msg, "lastTransitionTime": transitionTime(app, phase), "observedGeneration": app.GetGeneration(),
		}},
	}
	old, _, _ := unstructured.NestedMap(app.Object, "status")
	if equalStatus(old, status) {
		return
	}
	app.Object["status"] = status
	if _, err := d.dyn.Resource(vappGVR).Namespace(a.ns).UpdateStatus(ctx, app, metav1.UpdateOptions{FieldManager: fieldManager}); err != nil {
		klog.Errorf("status of %s/%s: %v", a.ns, a.name, err)
		return
	}
	if phase != prev {
		typ := corev1.EventTypeNormal
		if phase == "Failed" || phase == "Degraded" || (phase == "Pending" && prev != "") {
			typ = corev1.EventTypeWarning
		}
		d.event(ctx, app, typ, phase, msg)
	}
	klog.Infof("%s/%s: %s (%s)", a.ns, a.name, phase, msg)
}

func orPending(p string) string {
	if p == "" || p == "Failed" {
		return "Pending"
	}
	return p
}

func isPermanent(err error) bool {
	if _, ok := err.(permanentError); ok {
		return true
	}
	// The API error predicates see through the %w wrapping of apply().
	return apierrors.IsForbidden(err) || apierrors.IsInvalid(err) || apierrors.IsBadRequest(err)
}

func transitionTime(app *unstructured.Unstructured, phase string) string {
	conds, _, _ := unstructured.NestedSlice(app.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == "Ready" && m["reason"] == phase {
			if t, ok := m["lastTransitionTime"].(string); ok {
				return t
			}
		}
	}
	return time.Now().UTC().Format(time.RFC3339)
}

func equalStatus(old, cur map[string]any) bool {
	if old == nil {
		return false
	}
	for _, k := range []string{"phase", "message", "replicas", "readyReplicas", "observedGeneration"} {
		if fmt.Sprint(old[k]) != fmt.Sprint(cur[k]) {
			return false
		}
	}
	return true
}

func (d *double) event(ctx context.Context, app *unstructured.Unstructured, typ, reason, msg string) {
	now := metav1.Now()
	_, err := d.cs.CoreV1().Events(app.GetNamespace()).Create(ctx, &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{GenerateName: app.GetName() + "-"},
		InvolvedObject: corev1.ObjectReference{
			APIVersion: app.GetAPIVersion(), Kind: app.GetKind(), Namespace: app.GetNamespace(), Name: app.GetName(),
			UID: app.GetUID(), ResourceVersion: app.GetResourceVersion(),
		},
		Reason: reason, Message: msg, Type: typ, Source: corev1.EventSource{Component: "volley-operator"},
		FirstTimestamp: now, LastTimestamp: now, Count: 1,
	}, metav1.CreateOptions{})
	if err != nil {
		klog.Errorf("event for %s/%s: %v", app.GetNamespace(), app.GetName(), err)
	}
}

func deref(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}
