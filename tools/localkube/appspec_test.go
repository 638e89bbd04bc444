package main

import (
	"encoding/json"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func app(t *testing.T, spec string) *appSpec {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "volley.io/v1alpha1", "kind": "VolleyApplication", "spec": s}}
	u.SetName("agg")
	u.SetNamespace("ns")
	u.SetUID("u-1")
	return parseApp(u)
}

func get(t *testing.T, obj map[string]any, path ...string) any {
	t.Helper()
	v, ok, err := unstructured.NestedFieldNoCopy(obj, path...)
	if !ok || err != nil {
		t.Fatalf("no %s in %v", strings.Join(path, "."), obj)
	}
	return v
}

func TestDistributedStatefulSet(t *testing.T) {
	a := app(t, `{"image":"img:1","replicas":3,"resources":{"requests":{"cpu":"2"}},
		"env":[{"name":"A","value":"1"}],
		"isolation":{"nodeSelector":{"volley.io/pool":"stream-processing"},"tolerations":[{"key":"volley.io/dedicated","operator":"Equal","value":"true","effect":"NoSchedule"}],"podAntiAffinity":true},
		"cluster":{"maxKeyGroups":128,"flightPort":50051,"sharedCheckpoints":{"claimName":"agg-shared","mountPath":"/mnt/x"}},
		"labels":{"team":"data"},"annotations":{"note":"n"}}`)
	sts := a.statefulSet()
	if get(t, sts, "spec", "replicas") != int64(3) || get(t, sts, "spec", "serviceName") != "agg-headless" {
		t.Fatalf("replicas/serviceName: %v", sts["spec"])
	}
	pod := get(t, sts, "spec", "template", "spec").(map[string]any)
	c := pod["containers"].([]any)[0].(map[string]any)
	env := map[string]string{}
	for _, e := range c["env"].([]any) {
		m := e.(map[string]any)
		env[m["name"].(string)], _ = m["value"].(string)
	}
	want := map[string]string{"A": "1", "VOLLEY_NUM_WORKERS": "3", "VOLLEY_HEADLESS_SERVICE": "agg-headless", "VOLLEY_MAX_KEY_GROUPS": "128",
		"VOLLEY_FLIGHT_PORT": "50051", "VOLLEY_APP_NAME": "agg", "VOLLEY_SHARED_CHECKPOINT_DIR": "/mnt/x"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("env %s = %q, want %q", k, env[k], v)
		}
	}
	if pod["volumes"].([]any)[0].(map[string]any)["persistentVolumeClaim"].(map[string]any)["claimName"] != "agg-shared" {
		t.Errorf("shared claim not mounted: %v", pod["volumes"])
	}
	if _, ok := pod["affinity"]; !ok {
		t.Error("no anti-affinity")
	}
	if pod["nodeSelector"].(map[string]any)["volley.io/pool"] != "stream-processing" || len(pod["tolerations"].([]any)) != 1 {
		t.Errorf("isolation: %v %v", pod["nodeSelector"], pod["tolerations"])
	}
	if len(c["ports"].([]any)) != 3 || len(a.headlessService()["spec"].(map[string]any)["ports"].([]any)) != 2 {
		t.Error("flight port missing")
	}
	meta := sts["metadata"].(map[string]any)
	if meta["labels"].(map[string]any)["team"] != "data" || meta["annotations"].(map[string]any)["note"] != "n" {
		t.Errorf("labels/annotations: %v", meta)
	}
	if ref := meta["ownerReferences"].([]any)[0].(map[string]any); ref["uid"] != "u-1" || ref["controller"] != true {
		t.Errorf("owner: %v", ref)
	}
}

func TestSinglePodDefaults(t *testing.T) {
	a := app(t, `{"image":"img:1","resources":{"requests":{"cpu":"1"}},"isolation":{"podAntiAffinity":false},"observability":{"serviceMonitor":{"enabled":false}}}`)
	sts := a.statefulSet()
	pod := get(t, sts, "spec", "template", "spec").(map[string]any)
	if _, ok := pod["affinity"]; ok {
		t.Error("anti-affinity although disabled")
	}
	if _, ok := pod["volumes"]; ok {
		t.Error("shared volume without cluster")
	}
	for _, e := range pod["containers"].([]any)[0].(map[string]any)["env"].([]any) {
		if strings.HasPrefix(e.(map[string]any)["name"].(string), "VOLLEY_") {
			t.Errorf("VOLLEY_* without cluster: %v", e)
		}
	}
	if a.serviceMonitorEnabled() || a.autoscalingEnabled() {
		t.Error("serviceMonitor/autoscaling")
	}
	if get(t, sts, "spec", "replicas") != int64(1) {
		t.Error("default replicas")
	}
}

func TestScaledObjectAndServiceMonitor(t *testing.T) {
	a := app(t, `{"image":"i","resources":{},"autoscaling":{"enabled":true,"minReplicas":2,"maxReplicas":8,"triggers":[{"type":"kafka","metadata":{"topic":"t"}},
		{"type":"cpu","metricType":"Utilization","metadata":{"value":"70"}},{"type":"prometheus","metadata":{"query":"q","threshold":"1"},"authenticationRef":{"name":"prom","kind":"ClusterTriggerAuthentication"}}]},
		"observability":{"serviceMonitor":{"labels":{"release":"prom"},"interval":"30s"}}}`)
	so := a.scaledObject()
	if get(t, so, "spec", "minReplicaCount") != int64(2) || get(t, so, "spec", "maxReplicaCount") != int64(8) ||
		get(t, so, "spec", "scaleTargetRef", "kind") != "StatefulSet" {
		t.Errorf("scaledObject: %v", so["spec"])
	}
	// Triggers as the spec gives them: KEDA needs cpu's metricType and the scaler's credentials.
	ts := get(t, so, "spec", "triggers").([]any)
	if len(ts) != 3 || ts[1].(map[string]any)["metricType"] != "Utilization" ||
		ts[2].(map[string]any)["authenticationRef"].(map[string]any)["kind"] != "ClusterTriggerAuthentication" ||
		ts[0].(map[string]any)["metadata"].(map[string]any)["topic"] != "t" {
		t.Errorf("scaledObject triggers: %v", ts)
	}
	sm := a.serviceMonitor()
	if get(t, sm, "metadata", "labels", "release") != "prom" || !a.serviceMonitorEnabled() {
		t.Errorf("serviceMonitor labels: %v", sm["metadata"])
	}
	if get(t, sm, "spec", "endpoints").([]any)[0].(map[string]any)["interval"] != "30s" {
		t.Error("interval")
	}
}
