package main

import (
	"context"
	"reflect"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestGVKFromToken(t *testing.T) {
	ok := map[string]schema.GroupVersionKind{
		"kubernetes:core/v1:Namespace":                                {Version: "v1", Kind: "Namespace"},
		"kubernetes:apps/v1:Deployment":                               {Group: "apps", Version: "v1", Kind: "Deployment"},
		"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole":         {Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "ClusterRole"},
		"kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition": {Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"},
		"kubernetes:volley.io/v1alpha1:VolleyApplication":             {Group: "volley.io", Version: "v1alpha1", Kind: "VolleyApplication"},
	}
	for tok, want := range ok {
		got, err := gvkFromToken(tok)
		if err != nil || got != want {
			t.Errorf("gvkFromToken(%q) = %v, %v; want %v", tok, got, err, want)
		}
	}
	for _, tok := range []string{"", "kubernetes:Namespace", "aws:s3/bucket:Bucket", "kubernetes:yaml:ConfigGroup",
		"pulumi:providers:kubernetes", "kubernetes:core/v1:", "kubernetes:core/:Namespace"} {
		if got, err := gvkFromToken(tok); err == nil {
			t.Errorf("gvkFromToken(%q) = %v; want an error", tok, got)
		}
	}
}

func TestTypeFromURN(t *testing.T) {
	for urn, want := range map[string]string{
		"urn:pulumi:dev::proj::kubernetes:core/v1:Namespace::ns":                            "kubernetes:core/v1:Namespace",
		"urn:pulumi:dev::proj::volley:index:App$kubernetes:apps/v1:Deployment::app-deploy":  "kubernetes:apps/v1:Deployment",
		"urn:pulumi:dev::proj::a:b:C$kubernetes:volley.io/v1alpha1:VolleyApplication::x::y": "kubernetes:volley.io/v1alpha1:VolleyApplication",
	} {
		if got := typeFromURN(urn); got != want {
			t.Errorf("typeFromURN(%q) = %q; want %q", urn, got, want)
		}
	}
}

func obj(name, ns string, extra map[string]any) map[string]any {
	md := map[string]any{"name": name}
	if ns != "" {
		md["namespace"] = ns
	}
	o := map[string]any{"metadata": md}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

var (
	gvkDeploy = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	gvkCM     = schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}
	gvkPVC    = schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolumeClaim"}
	gvkPV     = schema.GroupVersionKind{Version: "v1", Kind: "PersistentVolume"}
)

func TestDiffNoChanges(t *testing.T) {
	o := obj("a", "ns", map[string]any{"data": map[string]any{"k": "v"}, "spec": map[string]any{"replicas": float64(2)}})
	n := obj("a", "ns", map[string]any{"data": map[string]any{"k": "v"}, "spec": map[string]any{"replicas": int64(2)}})
	if d := diffInputs(gvkCM, o, n, nil); len(d.Changed) != 0 || len(d.Replaces) != 0 {
		t.Fatalf("want no diff, got %+v", d)
	}
	// Absent equals null; internal keys are not inputs.
	n["immutable"] = nil
	n["__inputs"] = map[string]any{"x": "y"}
	if d := diffInputs(gvkCM, o, n, nil); len(d.Changed) != 0 {
		t.Fatalf("want no diff, got %+v", d)
	}
}

func TestDiffUpdate(t *testing.T) {
	o := obj("a", "ns", map[string]any{"data": map[string]any{"k": "v"}})
	n := obj("a", "ns", map[string]any{"data": map[string]any{"k": "w"}})
	d := diffInputs(gvkCM, o, n, nil)
	if !reflect.DeepEqual(d.Changed, []string{"data"}) || len(d.Replaces) != 0 || d.DeleteBeforeReplace {
		t.Fatalf("want an in-place update of data, got %+v", d)
	}
	// ignoreChanges skips the key.
	if d := diffInputs(gvkCM, o, n, []string{"data.k"}); len(d.Changed) != 0 {
		t.Fatalf("ignoreChanges: want no diff, got %+v", d)
	}
	// An unknown value is a change.
	n["data"] = unknown{}
	if d := diffInputs(gvkCM, o, n, nil); !reflect.DeepEqual(d.Changed, []string{"data"}) {
		t.Fatalf("unknown: want data changed, got %+v", d)
	}
}

func TestDiffReplaceOnRename(t *testing.T) {
	o := obj("a", "ns", nil)
	n := obj("b", "ns", nil)
	d := diffInputs(gvkCM, o, n, nil)
	if !reflect.DeepEqual(d.Replaces, []string{"metadata"}) || d.DeleteBeforeReplace {
		t.Fatalf("rename: want replace without delete-before-replace, got %+v", d)
	}
	d = diffInputs(gvkCM, obj("a", "x", nil), obj("a", "y", nil), nil)
	if !reflect.DeepEqual(d.Replaces, []string{"metadata"}) {
		t.Fatalf("new namespace: want replace, got %+v", d)
	}
	// Labels are mutable.
	n = obj("a", "ns", nil)
	n["metadata"].(map[string]any)["labels"] = map[string]any{"x": "y"}
	if d := diffInputs(gvkCM, o, n, nil); len(d.Replaces) != 0 || len(d.Changed) != 1 {
		t.Fatalf("labels: want update, got %+v", d)
	}
}

func TestDiffImmutableFields(t *testing.T) {
	sel := func(app string) map[string]any {
		return map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"app": app}}, "replicas": float64(1)}
	}
	d := diffInputs(gvkDeploy, obj("d", "ns", map[string]any{"spec": sel("x")}), obj("d", "ns", map[string]any{"spec": sel("y")}), nil)
	if !reflect.DeepEqual(d.Replaces, []string{"spec"}) || !d.DeleteBeforeReplace {
		t.Fatalf("selector: want delete-before-replace, got %+v", d)
	}
	s2 := sel("x")
	s2["replicas"] = float64(3)
	d = diffInputs(gvkDeploy, obj("d", "ns", map[string]any{"spec": sel("x")}), obj("d", "ns", map[string]any{"spec": s2}), nil)
	if len(d.Replaces) != 0 || len(d.Changed) != 1 {
		t.Fatalf("replicas: want update, got %+v", d)
	}

	pvc := func(size, class string) map[string]any {
		return map[string]any{"accessModes": []any{"ReadWriteOnce"}, "storageClassName": class,
			"resources": map[string]any{"requests": map[string]any{"storage": size}}}
	}
	d = diffInputs(gvkPVC, obj("c", "ns", map[string]any{"spec": pvc("1Gi", "a")}), obj("c", "ns", map[string]any{"spec": pvc("2Gi", "a")}), nil)
	if len(d.Replaces) != 0 || len(d.Changed) != 1 {
		t.Fatalf("pvc resize: want update, got %+v", d)
	}
	d = diffInputs(gvkPVC, obj("c", "ns", map[string]any{"spec": pvc("1Gi", "a")}), obj("c", "ns", map[string]any{"spec": pvc("1Gi", "b")}), nil)
	if !reflect.DeepEqual(d.Replaces, []string{"spec"}) || !d.DeleteBeforeReplace {
		t.Fatalf("pvc class: want replace, got %+v", d)
	}

	pv := func(size, path string) map[string]any {
		return map[string]any{"capacity": map[string]any{"storage": size}, "hostPath": map[string]any{"path": path}}
	}
	d = diffInputs(gvkPV, obj("v", "", map[string]any{"spec": pv("1Gi", "/a")}), obj("v", "", map[string]any{"spec": pv("5Gi", "/a")}), nil)
	if len(d.Replaces) != 0 || len(d.Changed) != 1 {
		t.Fatalf("pv capacity: want update, got %+v", d)
	}
	d = diffInputs(gvkPV, obj("v", "", map[string]any{"spec": pv("1Gi", "/a")}), obj("v", "", map[string]any{"spec": pv("1Gi", "/b")}), nil)
	if !reflect.DeepEqual(d.Replaces, []string{"spec"}) {
		t.Fatalf("pv source: want replace, got %+v", d)
	}
	// The same spec change on a kind without rules is an update.
	d = diffInputs(gvkCM, obj("v", "", map[string]any{"spec": pv("1Gi", "/a")}), obj("v", "", map[string]any{"spec": pv("1Gi", "/b")}), nil)
	if len(d.Replaces) != 0 {
		t.Fatalf("no rules: want update, got %+v", d)
	}
	// An immutable ConfigMap's data.
	o := obj("m", "ns", map[string]any{"immutable": true, "data": map[string]any{"a": "1"}})
	n := obj("m", "ns", map[string]any{"immutable": true, "data": map[string]any{"a": "2"}})
	if d := diffInputs(gvkCM, o, n, nil); !reflect.DeepEqual(d.Replaces, []string{"data"}) {
		t.Fatalf("immutable configmap: want replace, got %+v", d)
	}
}

func TestParseWaitFor(t *testing.T) {
	cases := map[string][]waitCond{
		"jsonpath={.status.phase}=Running":   {{JSONPath: "{.status.phase}", Value: "Running", HasValue: true}},
		"jsonpath={.status.ready}":           {{JSONPath: "{.status.ready}"}},
		"jsonpath=.status.phase=Running":     {{JSONPath: "{.status.phase}", Value: "Running", HasValue: true}},
		"jsonpath='{.status.phase}'=Running": {{JSONPath: "{.status.phase}", Value: "Running", HasValue: true}},
		"condition=Ready":                    {{Condition: "Ready", Value: "True", HasValue: true}},
		"condition=Ready=False":              {{Condition: "Ready", Value: "False", HasValue: true}},
		`["jsonpath={.a}=1","condition=B"]`: {
			{JSONPath: "{.a}", Value: "1", HasValue: true}, {Condition: "B", Value: "True", HasValue: true}},
	}
	for in, want := range cases {
		got, err := parseWaitFor(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseWaitFor(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "status=Running", "jsonpath={.a", "jsonpath={}", "condition=", "[1]", "jsonpath={.a}x"} {
		if got, err := parseWaitFor(bad); err == nil {
			t.Errorf("parseWaitFor(%q) = %+v; want an error", bad, got)
		}
	}
}

func TestWaitCondHolds(t *testing.T) {
	live := map[string]any{"status": map[string]any{
		"phase": "Running", "replicas": int64(3),
		"conditions": []any{map[string]any{"type": "Ready", "status": "True"}, map[string]any{"type": "Stalled", "status": "False"}},
	}}
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"jsonpath={.status.phase}=Running", true},
		{"jsonpath={.status.phase}=Pending", false},
		{"jsonpath={.status.replicas}=3", true},
		{"jsonpath={.status.phase}", true},
		{"jsonpath={.status.missing}", false},
		{"jsonpath={.status.missing}=x", false},
		{"condition=Ready", true},
		{"condition=Stalled", false},
		{"condition=Stalled=False", true},
		{"condition=Absent", false},
	} {
		conds, err := parseWaitFor(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got, seen := conds[0].holds(live); got != tc.want {
			t.Errorf("%s: holds = %v (saw %q); want %v", tc.expr, got, seen, tc.want)
		}
	}
}

func TestAnnotations(t *testing.T) {
	o := map[string]any{"metadata": map[string]any{"annotations": map[string]any{
		annTimeoutSeconds: "42", annSkipAwait: "true"}}}
	if n, ok, err := timeoutFromAnnotation(o); n != 42 || !ok || err != nil {
		t.Errorf("timeoutFromAnnotation = %d, %v, %v", n, ok, err)
	}
	if !skipAwait(o) {
		t.Error("skipAwait = false")
	}
	o["metadata"].(map[string]any)["annotations"].(map[string]any)[annTimeoutSeconds] = "soon"
	if _, _, err := timeoutFromAnnotation(o); err == nil {
		t.Error("timeoutFromAnnotation(soon): want an error")
	}
	if _, ok, _ := timeoutFromAnnotation(map[string]any{}); ok || skipAwait(map[string]any{}) {
		t.Error("no annotations: want defaults")
	}
}

func TestIDs(t *testing.T) {
	if objectID("ns", "a") != "ns/a" || objectID("", "a") != "a" {
		t.Error("objectID")
	}
	if ns, n := splitID("ns/a"); ns != "ns" || n != "a" {
		t.Error("splitID ns/a")
	}
	if ns, n := splitID("a"); ns != "" || n != "a" {
		t.Error("splitID a")
	}
}

// The gRPC Check and Diff handlers, end to end on the wire format.
func TestCheckAndDiffRPC(t *testing.T) {
	p, err := newProvider("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	urn := "urn:pulumi:dev::proj::kubernetes:core/v1:ConfigMap::cm"
	news, _ := structpb.NewStruct(map[string]any{"metadata": map[string]any{"name": "cm"}, "data": map[string]any{"a": "1"}})
	resp, err := p.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, News: news})
	if err != nil || len(resp.Failures) != 0 {
		t.Fatalf("Check: %v %v", err, resp.GetFailures())
	}
	f := resp.Inputs.GetFields()
	if f["apiVersion"].GetStringValue() != "v1" || f["kind"].GetStringValue() != "ConfigMap" {
		t.Fatalf("Check did not fill apiVersion/kind: %v", f)
	}

	noName, _ := structpb.NewStruct(map[string]any{"metadata": map[string]any{}})
	resp, err = p.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, News: noName})
	if err != nil || len(resp.Failures) != 1 || resp.Failures[0].Property != "metadata.name" {
		t.Fatalf("Check without a name: %v %v", err, resp.GetFailures())
	}
	wrongKind, _ := structpb.NewStruct(map[string]any{"kind": "Secret", "metadata": map[string]any{"name": "x"}})
	if resp, _ = p.Check(ctx, &pulumirpc.CheckRequest{Urn: urn, News: wrongKind}); len(resp.GetFailures()) != 1 {
		t.Fatalf("Check with a mismatched kind: %v", resp.GetFailures())
	}

	// Olds are outputs (live object + __inputs); only __inputs count.
	inputs := resource.NewPropertyMapFromMap(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "cm"}, "data": map[string]any{"a": "1"}})
	out := resource.NewPropertyMapFromMap(map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "cm", "uid": "123", "resourceVersion": "9"}, "data": map[string]any{"a": "1"}})
	out[inputsKey] = resource.NewObjectProperty(inputs)
	olds, _ := plugin.MarshalProperties(out, marshalOpts)
	newsM, _ := plugin.MarshalProperties(inputs, marshalOpts)
	d, err := p.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn, Olds: olds, News: newsM})
	if err != nil || d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("Diff unchanged: %v %v", err, d)
	}
	inputs2 := inputs.Copy()
	inputs2["data"] = resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{"a": "2"}))
	inputs2["metadata"] = resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]any{"name": "cm2"}))
	newsM, _ = plugin.MarshalProperties(inputs2, marshalOpts)
	d, err = p.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn, Olds: olds, News: newsM})
	if err != nil || d.Changes != pulumirpc.DiffResponse_DIFF_SOME ||
		!reflect.DeepEqual(d.Diffs, []string{"data", "metadata"}) || !reflect.DeepEqual(d.Replaces, []string{"metadata"}) ||
		d.DetailedDiff["metadata"].Kind != pulumirpc.PropertyDiff_UPDATE_REPLACE || d.DetailedDiff["data"].Kind != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("Diff changed: %v %v", err, d)
	}
	// A secret input that did not change is not a diff.
	sec := inputs.Copy()
	sec["data"] = resource.MakeSecret(sec["data"])
	newsM, _ = plugin.MarshalProperties(sec, marshalOpts)
	if d, err = p.Diff(ctx, &pulumirpc.DiffRequest{Urn: urn, Olds: olds, News: newsM}); err != nil || d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("Diff secret: %v %v", err, d)
	}
}

func TestConstructAndInvokeFail(t *testing.T) {
	p, _ := newProvider("")
	if _, err := p.Construct(context.Background(), &pulumirpc.ConstructRequest{Type: "kubernetes:helm.sh/v4:Chart"}); err == nil {
		t.Error("Construct: want an error")
	}
	if _, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "kubernetes:yaml:decode"}); err == nil {
		t.Error("Invoke: want an error")
	}
}
