package main

// What the operator double renders for one VolleyApplication: pure
// functions from the custom resource to the objects (tested as data in
// appspec_test.go). Names, labels and defaults follow the operator guide.

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

type appSpec struct {
	name, ns, uid, apiVersion, kind string
	spec                            map[string]any
	replicas                        int64
	antiAffinity                    bool
	distributed                     bool
	labels, annotations             map[string]any
}

func parseApp(u *unstructured.Unstructured) *appSpec {
	spec, _, _ := unstructured.NestedMap(u.Object, "spec")
	a := &appSpec{
		name: u.GetName(), ns: u.GetNamespace(), uid: string(u.GetUID()), apiVersion: u.GetAPIVersion(), kind: u.GetKind(),
		spec: spec, replicas: intOr(spec["replicas"], 1), antiAffinity: true,
	}
	if v, ok, _ := unstructured.NestedBool(spec, "isolation", "podAntiAffinity"); ok {
		a.antiAffinity = v
	}
	_, a.distributed = spec["cluster"].(map[string]any)
	a.labels, _ = spec["labels"].(map[string]any)
	a.annotations, _ = spec["annotations"].(map[string]any)
	return a
}

func intOr(v any, def int64) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int:
		return int64(x)
	}
	return def
}

func strOr(m map[string]any, def string, path ...string) string {
	if v, ok, _ := unstructured.NestedString(m, path...); ok && v != "" {
		return v
	}
	return def
}

func numOr(m map[string]any, def int64, path ...string) int64 {
	v, ok, _ := unstructured.NestedFieldNoCopy(m, path...)
	if !ok {
		return def
	}
	return intOr(v, def)
}

// selector labels: fixed, so the StatefulSet selector never changes.
func (a *appSpec) selector() map[string]any {
	return map[string]any{"volley.io/application": a.name}
}

// objectLabels: the spec's labels plus the operator's own (which win).
func (a *appSpec) objectLabels(extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a.labels {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	out["app.kubernetes.io/name"] = "volley"
	out["app.kubernetes.io/instance"] = a.name
	out["app.kubernetes.io/managed-by"] = "volley-operator"
	out["volley.io/application"] = a.name
	return out
}

func (a *appSpec) meta(name string, extraLabels map[string]any) map[string]any {
	m := map[string]any{
		"name": name, "namespace": a.ns, "labels": a.objectLabels(extraLabels),
		"ownerReferences": []any{map[string]any{
			"apiVersion": a.apiVersion, "kind": a.kind, "name": a.name, "uid": a.uid,
			"controller": true, "blockOwnerDeletion": true,
		}},
	}
	if len(a.annotations) > 0 {
		m["annotations"] = a.annotations
	}
	return m
}

func (a *appSpec) headlessName() string { return a.name + "-headless" }

func (a *appSpec) healthPort() int64  { return numOr(a.spec, 8080, "health", "port") }
func (a *appSpec) metricsPort() int64 { return numOr(a.spec, 9090, "observability", "metricsPort") }
func (a *appSpec) flightPort() int64  { return numOr(a.spec, 50051, "cluster", "flightPort") }
func (a *appSpec) sharedMountPath() string {
	return strOr(a.spec, "/mnt/volley/checkpoints", "cluster", "sharedCheckpoints", "mountPath")
}

func (a *appSpec) serviceMonitorEnabled() bool {
	v, ok, _ := unstructured.NestedBool(a.spec, "observability", "serviceMonitor", "enabled")
	return !ok || v // CRD default: true
}

func (a *appSpec) autoscalingEnabled() bool {
	v, _, _ := unstructured.NestedBool(a.spec, "autoscaling", "enabled")
	return v
}

// headlessService: stable DNS for the StatefulSet's pods; the Flight port
// for peer traffic in distributed mode. Not-ready pods are published so
// workers can find each other while starting.
func (a *appSpec) headlessService() map[string]any {
	ports := []any{map[string]any{"name": "health", "port": a.healthPort(), "targetPort": "health"}}
	if a.distributed {
		ports = append(ports, map[string]any{"name": "flight", "port": a.flightPort(), "targetPort": "flight"})
	}
	return map[string]any{
		"apiVersion": "v1", "kind": "Service", "metadata": a.meta(a.headlessName(), nil),
		"spec": map[string]any{"clusterIP": "None", "publishNotReadyAddresses": true, "selector": a.selector(), "ports": ports},
	}
}

func (a *appSpec) metricsService() map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Service", "metadata": a.meta(a.name+"-metrics", map[string]any{"volley.io/service": "metrics"}),
		"spec": map[string]any{
			"selector": a.selector(),
			"ports":    []any{map[string]any{"name": "metrics", "port": a.metricsPort(), "targetPort": "metrics"}},
		},
	}
}

// pdb: at most one worker down at a time by voluntary disruption.
func (a *appSpec) pdb() map[string]any {
	return map[string]any{
		"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": a.meta(a.name, nil),
		"spec": map[string]any{"maxUnavailable": int64(1), "selector": map[string]any{"matchLabels": a.selector()}},
	}
}

func (a *appSpec) serviceMonitor() map[string]any {
	sm, _, _ := unstructured.NestedMap(a.spec, "observability", "serviceMonitor")
	extra, _ := sm["labels"].(map[string]any)
	return map[string]any{
		"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": a.meta(a.name, extra),
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]any{"volley.io/application": a.name, "volley.io/service": "metrics"}},
			"endpoints": []any{map[string]any{
				"port": "metrics", "path": strOr(a.spec, "/metrics", "observability", "metricsPath"),
				"interval": strOr(sm, "15s", "interval"),
			}},
		},
	}
}

func (a *appSpec) scaledObject() map[string]any {
	as, _, _ := unstructured.NestedMap(a.spec, "autoscaling")
	triggers := []any{}
	// Each trigger as the spec gives it (type, metadata, metricType,
	// authenticationRef: the CRD's trigger is KEDA's), for KEDA to judge.
	if ts, ok := as["triggers"].([]any); ok {
		for _, t := range ts {
			if m, ok := t.(map[string]any); ok {
				triggers = append(triggers, runtime.DeepCopyJSON(m))
			}
		}
	}
	return map[string]any{
		"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": a.meta(a.name, nil),
		"spec": map[string]any{
			"scaleTargetRef":  map[string]any{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": a.name},
			"minReplicaCount": numOr(as, 1, "minReplicas"), "maxReplicaCount": numOr(as, 10, "maxReplicas"),
			"triggers": triggers,
		},
	}
}

// env: the spec's variables, then in distributed mode the VOLLEY_* ones the
// runtime's ClusterConfig::from_env() reads.
func (a *appSpec) env() []any {
	out := []any{}
	if es, ok := a.spec["env"].([]any); ok {
		out = append(out, es...)
	}
	if a.distributed {
		for _, kv := range [][2]string{
			{"VOLLEY_NUM_WORKERS", strconv.FormatInt(a.replicas, 10)},
			{"VOLLEY_HEADLESS_SERVICE", a.headlessName()},
			{"VOLLEY_MAX_KEY_GROUPS", strconv.FormatInt(numOr(a.spec, 256, "cluster", "maxKeyGroups"), 10)},
			{"VOLLEY_FLIGHT_PORT", strconv.FormatInt(a.flightPort(), 10)},
			{"VOLLEY_APP_NAME", a.name},
			{"VOLLEY_SHARED_CHECKPOINT_DIR", a.sharedMountPath()},
		} {
			out = append(out, map[string]any{"name": kv[0], "value": kv[1]})
		}
	}
	return out
}

func (a *appSpec) claimTemplate(name, field, defSize string) map[string]any {
	v, _, _ := unstructured.NestedMap(a.spec, field)
	spec := map[string]any{
		"accessModes": []any{"ReadWriteOnce"},
		"resources":   map[string]any{"requests": map[string]any{"storage": strOr(v, defSize, "size")}},
	}
	if sc := strOr(v, "", "storageClassName"); sc != "" {
		spec["storageClassName"] = sc
	}
	return map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": map[string]any{"name": name, "labels": a.objectLabels(nil)}, "spec": spec}
}

func (a *appSpec) statefulSet() map[string]any {
	health, _, _ := unstructured.NestedMap(a.spec, "health")
	probe := func(path string) map[string]any {
		return map[string]any{
			"httpGet":             map[string]any{"path": path, "port": "health"},
			"initialDelaySeconds": numOr(health, 30, "initialDelaySeconds"),
			"periodSeconds":       numOr(health, 10, "periodSeconds"),
		}
	}
	ports := []any{
		map[string]any{"name": "health", "containerPort": a.healthPort()},
		map[string]any{"name": "metrics", "containerPort": a.metricsPort()},
	}
	mounts := []any{
		map[string]any{"name": "state", "mountPath": strOr(a.spec, "/var/lib/volley/state", "state", "mountPath")},
		map[string]any{"name": "checkpoints", "mountPath": strOr(a.spec, "/var/lib/volley/checkpoints", "checkpoints", "mountPath")},
	}
	volumes := []any{}
	if a.distributed {
		ports = append(ports, map[string]any{"name": "flight", "containerPort": a.flightPort()})
		mounts = append(mounts, map[string]any{"name": "shared-checkpoints", "mountPath": a.sharedMountPath()})
		claim := strOr(a.spec, "", "cluster", "sharedCheckpoints", "claimName")
		volumes = append(volumes, map[string]any{"name": "shared-checkpoints", "persistentVolumeClaim": map[string]any{"claimName": claim}})
	}
	container := map[string]any{
		"name": "volley", "image": a.spec["image"], "imagePullPolicy": strOr(a.spec, "IfNotPresent", "imagePullPolicy"),
		"env": a.env(), "ports": ports, "volumeMounts": mounts,
		"livenessProbe":  probe(strOr(health, "/health", "livenessPath")),
		"readinessProbe": probe(strOr(health, "/ready", "readinessPath")),
	}
	for _, k := range []string{"args", "resources"} {
		if v, ok := a.spec[k]; ok {
			container[k] = v
		}
	}
	pod := map[string]any{"containers": []any{container}}
	if len(volumes) > 0 {
		pod["volumes"] = volumes
	}
	if v, ok := a.spec["imagePullSecrets"]; ok {
		pod["imagePullSecrets"] = v
	}
	if v, ok, _ := unstructured.NestedMap(a.spec, "isolation", "nodeSelector"); ok && len(v) > 0 {
		pod["nodeSelector"] = v
	}
	if v, ok, _ := unstructured.NestedSlice(a.spec, "isolation", "tolerations"); ok && len(v) > 0 {
		pod["tolerations"] = v
	}
	if a.antiAffinity {
		pod["affinity"] = map[string]any{"podAntiAffinity": map[string]any{
			"requiredDuringSchedulingIgnoredDuringExecution": []any{map[string]any{
				"labelSelector": map[string]any{"matchLabels": a.selector()},
				"topologyKey":   "kubernetes.io/hostname",
			}},
		}}
	}
	template := map[string]any{"metadata": map[string]any{"labels": a.objectLabels(nil)}, "spec": pod}
	if len(a.annotations) > 0 {
		template["metadata"].(map[string]any)["annotations"] = a.annotations
	}
	return map[string]any{
		"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": a.meta(a.name, nil),
		"spec": map[string]any{
			"replicas": a.replicas, "serviceName": a.headlessName(), "podManagementPolicy": "Parallel",
			"selector": map[string]any{"matchLabels": a.selector()}, "template": template,
			"volumeClaimTemplates": []any{
				a.claimTemplate("state", "state", "10Gi"),
				a.claimTemplate("checkpoints", "checkpoints", "20Gi"),
			},
		},
	}
}

// String for logs.
func (a *appSpec) String() string { return fmt.Sprintf("%s/%s", a.ns, a.name) }
