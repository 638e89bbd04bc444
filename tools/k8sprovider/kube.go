package main

// Talking to the API server: client configuration, kind -> resource mapping,
// server-side apply, reads, deletes and the await loops.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

const (
	fieldManager = "pulumi-kubernetes-standin"
	// Each HTTP request gives up after this long, so a dead API server is an
	// error, never a hang.
	requestTimeout = 30 * time.Second
	pollInterval   = 500 * time.Millisecond
	defaultAwait   = 600 * time.Second
	// How long to wait for a kind that discovery does not know yet (a CRD
	// created moments ago) before giving up.
	discoveryGrace = 15 * time.Second
)

// finalizerGrace: like the real provider, a delete waits until the object
// is gone (the local control plane runs kube-controller-manager, which
// finishes namespaces and protected claims). On a control plane without
// controllers, PULUMI_K8S_STANDIN_FINALIZER_GRACE_SECONDS=N reports an
// object still Terminating N seconds after DELETE as deleted, with a warning.
// Zero (the default) means no grace: wait for the delete timeout.
func finalizerGrace() time.Duration {
	if s := os.Getenv("PULUMI_K8S_STANDIN_FINALIZER_GRACE_SECONDS"); s != "" {
		if d, err := time.ParseDuration(s + "s"); err == nil && d > 0 {
			return d
		}
	}
	return 0
}

// kubeConfig is the provider configuration this stand-in honours.
type kubeConfig struct {
	Kubeconfig string // YAML/JSON text or a path; empty: KUBECONFIG / ~/.kube/config
	Context    string
	Cluster    string
	Namespace  string // default namespace for namespaced objects without one
}

type kube struct {
	dyn              dynamic.Interface
	mapper           *restmapper.DeferredDiscoveryRESTMapper
	defaultNamespace string
	mu               sync.Mutex // serialises mapper resets
}

func looksLikeKubeconfigText(s string) bool {
	t := strings.TrimSpace(s)
	return strings.Contains(t, "\n") || strings.HasPrefix(t, "{") || strings.Contains(t, "apiVersion:")
}

func newKube(cfg kubeConfig) (*kube, error) {
	var loader clientcmd.ClientConfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: cfg.Context}
	if cfg.Cluster != "" {
		overrides.Context.Cluster = cfg.Cluster
	}
	switch {
	case cfg.Kubeconfig != "" && looksLikeKubeconfigText(cfg.Kubeconfig):
		raw, err := clientcmd.Load([]byte(cfg.Kubeconfig))
		if err != nil {
			return nil, fmt.Errorf("parsing the kubeconfig text: %w", err)
		}
		loader = clientcmd.NewNonInteractiveClientConfig(*raw, cfg.Context, overrides, nil)
	default:
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if cfg.Kubeconfig != "" {
			rules.ExplicitPath = cfg.Kubeconfig
		}
		loader = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	}
	rc, err := loader.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	rc = rest.CopyConfig(rc)
	rc.Timeout = requestTimeout
	rc.QPS, rc.Burst = 100, 200
	rc.UserAgent = "pulumi-kubernetes-standin/" + pluginVersion

	ns := cfg.Namespace
	if ns == "" {
		if n, _, err := loader.Namespace(); err == nil {
			ns = n
		}
	}
	if ns == "" {
		ns = "default"
	}
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return nil, err
	}
	return &kube{
		dyn:              dyn,
		mapper:           restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc)),
		defaultNamespace: ns,
	}, nil
}

// mapping resolves a kind to its resource, refreshing discovery when the
// kind is unknown (CRDs are created during the same update).
func (k *kube) mapping(ctx context.Context, gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	deadline := time.Now().Add(discoveryGrace)
	for {
		m, err := k.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err == nil {
			return m, nil
		}
		if !meta.IsNoMatchError(err) {
			k.mu.Lock()
			k.mapper.Reset() // do not cache a failed discovery
			k.mu.Unlock()
			return nil, fmt.Errorf("discovering %s: %w", gvk, err)
		}
		k.mu.Lock()
		k.mapper.Reset()
		k.mu.Unlock()
		m, err = k.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err == nil {
			return m, nil
		}
		if !meta.IsNoMatchError(err) {
			return nil, fmt.Errorf("discovering %s: %w", gvk, err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the API server does not serve %s (is its CustomResourceDefinition installed?): %w", gvk, err)
		}
		if err := sleep(ctx, time.Second); err != nil {
			return nil, err
		}
	}
}

// resourceFor returns the client for gvk in namespace (ignored for
// cluster-scoped kinds) and the namespace actually used.
func (k *kube) resourceFor(ctx context.Context, gvk schema.GroupVersionKind, namespace string) (dynamic.ResourceInterface, string, error) {
	m, err := k.mapping(ctx, gvk)
	if err != nil {
		return nil, "", err
	}
	if m.Scope.Name() != meta.RESTScopeNameNamespace {
		return k.dyn.Resource(m.Resource), "", nil
	}
	if namespace == "" {
		namespace = k.defaultNamespace
	}
	return k.dyn.Resource(m.Resource).Namespace(namespace), namespace, nil
}

// apply server-side applies obj (force, our field manager) and returns the
// live object. An existing object is adopted.
func (k *kube) apply(ctx context.Context, gvk schema.GroupVersionKind, obj map[string]any) (*unstructured.Unstructured, error) {
	name := getString(obj, "metadata", "name")
	ri, ns, err := k.resourceFor(ctx, gvk, getString(obj, "metadata", "namespace"))
	if err != nil {
		return nil, err
	}
	if ns != "" {
		obj = deepCopy(obj).(map[string]any)
		md, _ := obj["metadata"].(map[string]any)
		md["namespace"] = ns
	}
	body, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	force := true
	live, err := ri.Patch(ctx, name, types.ApplyPatchType, body, metav1.PatchOptions{
		FieldManager: fieldManager, Force: &force,
	})
	if err != nil {
		return nil, fmt.Errorf("server-side apply of %s %s: %w", gvk.Kind, objectID(ns, name), err)
	}
	return live, nil
}

func (k *kube) get(ctx context.Context, gvk schema.GroupVersionKind, namespace, name string) (*unstructured.Unstructured, error) {
	ri, _, err := k.resourceFor(ctx, gvk, namespace)
	if err != nil {
		return nil, err
	}
	return ri.Get(ctx, name, metav1.GetOptions{})
}

// awaitReady waits until a freshly applied object is ready by this
// stand-in's rules (see provider.go). warn reports progress to the engine.
func (k *kube) awaitReady(ctx context.Context, gvk schema.GroupVersionKind, live *unstructured.Unstructured,
	inputs map[string]any, timeout time.Duration,
) (*unstructured.Unstructured, error) {
	if skipAwait(inputs) {
		return live, nil
	}
	var conds []waitCond
	if s := getString(inputs, "metadata", "annotations", annWaitFor); s != "" {
		var err error
		if conds, err = parseWaitFor(s); err != nil {
			return live, err
		}
	} else {
		switch {
		case gvk.Group == "apiextensions.k8s.io" && gvk.Kind == "CustomResourceDefinition":
			conds = []waitCond{{Condition: "Established", Value: "True", HasValue: true}}
		case gvk.Group == "" && gvk.Kind == "Namespace":
			conds = []waitCond{{JSONPath: "{.status.phase}", Value: "Active", HasValue: true}}
		default:
			// Deployments, PVCs, ...: no wait. The test control plane may run
			// no controllers, so they would never become ready.
			return live, nil
		}
	}
	if n, ok, err := timeoutFromAnnotation(inputs); err != nil {
		return live, err
	} else if ok {
		timeout = time.Duration(n) * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ns, name := live.GetNamespace(), live.GetName()
	for {
		pending := ""
		for _, c := range conds {
			if ok, got := c.holds(live.Object); !ok {
				pending = fmt.Sprintf("%s (currently %q)", c, got)
				break
			}
		}
		if pending == "" {
			return live, nil
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return live, fmt.Errorf("%s %s not ready after %s: waiting for %s", gvk.Kind, objectID(ns, name), timeout, pending)
		}
		next, err := k.get(ctx, gvk, ns, name)
		if err != nil {
			if ctx.Err() != nil {
				return live, fmt.Errorf("%s %s not ready after %s: waiting for %s", gvk.Kind, objectID(ns, name), timeout, pending)
			}
			return live, fmt.Errorf("reading %s %s while waiting for it: %w", gvk.Kind, objectID(ns, name), err)
		}
		live = next
	}
}

// remove deletes an object and waits until it is gone. NotFound is success.
// It returns a warning (and no error) when the object is stuck Terminating
// with finalizers nobody removes (no controller-manager here).
func (k *kube) remove(ctx context.Context, gvk schema.GroupVersionKind, namespace, name string, timeout time.Duration) (string, error) {
	ri, ns, err := k.resourceFor(ctx, gvk, namespace)
	if err != nil {
		return "", err
	}
	id := objectID(ns, name)
	// Background, not Foreground: foreground deletion needs the garbage
	// collector (controller-manager) to remove its finalizer, and the test
	// control plane has none. Dependents are still collected where a GC runs.
	policy := metav1.DeletePropagationBackground
	err = ri.Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &policy})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("deleting %s %s: %w", gvk.Kind, id, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	grace := finalizerGrace()
	start := time.Now()
	for {
		live, err := ri.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return "", nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return "", fmt.Errorf("%s %s still exists %s after deletion", gvk.Kind, id, timeout)
			}
			return "", fmt.Errorf("reading %s %s while waiting for its deletion: %w", gvk.Kind, id, err)
		}
		if live.GetDeletionTimestamp() != nil && grace > 0 && time.Since(start) >= grace {
			fins := live.GetFinalizers()
			if specFins, _, _ := unstructured.NestedStringSlice(live.Object, "spec", "finalizers"); len(specFins) > 0 {
				fins = append(fins, specFins...)
			}
			return fmt.Sprintf("%s %s is still Terminating %s after deletion (finalizers %v); "+
				"treating it as deleted: the test stand-in provider assumes no controller will finish it",
				gvk.Kind, id, time.Since(start).Round(time.Second), fins), nil
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return "", fmt.Errorf("%s %s still exists %s after deletion", gvk.Kind, id, timeout)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func isNotFound(err error) bool {
	var se apierrors.APIStatus
	return apierrors.IsNotFound(err) || (errors.As(err, &se) && se.Status().Code == 404)
}
