package main

// The pure parts of the stand-in: type tokens, the diff/replace decision,
// and the await annotations. No I/O here; provider_test.go covers them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/util/jsonpath"
)

const tokenPrefix = "kubernetes:"

// gvkFromToken maps a resource type token to a GroupVersionKind:
//
//	kubernetes:core/v1:Namespace                -> /v1, Kind=Namespace
//	kubernetes:apps/v1:Deployment               -> apps/v1, Kind=Deployment
//	kubernetes:volley.io/v1alpha1:VolleyApp     -> volley.io/v1alpha1, Kind=VolleyApp
func gvkFromToken(tok string) (schema.GroupVersionKind, error) {
	rest, ok := strings.CutPrefix(tok, tokenPrefix)
	i := strings.LastIndex(rest, ":")
	if !ok || i <= 0 || i == len(rest)-1 {
		return schema.GroupVersionKind{}, fmt.Errorf("not a Kubernetes resource type token: %q", tok)
	}
	module, kind := rest[:i], rest[i+1:]
	group, version, hasSlash := strings.Cut(module, "/")
	if !hasSlash {
		// e.g. kubernetes:helm.sh/v4:Chart has a slash; "kubernetes:yaml:..."
		// or "kubernetes:kubernetes:..." do not name an API group/version.
		return schema.GroupVersionKind{}, fmt.Errorf("not a Kubernetes resource type token: %q", tok)
	}
	if group == "core" {
		group = ""
	}
	if version == "" || strings.Contains(version, "/") {
		return schema.GroupVersionKind{}, fmt.Errorf("not a Kubernetes resource type token: %q", tok)
	}
	return schema.GroupVersionKind{Group: group, Version: version, Kind: kind}, nil
}

// typeFromURN returns the type token of a URN
// (urn:pulumi:stack::project::parent$type::name -> type).
func typeFromURN(urn string) string {
	parts := strings.SplitN(urn, "::", 4)
	if len(parts) < 4 {
		return ""
	}
	qualified := parts[2]
	if i := strings.LastIndex(qualified, "$"); i >= 0 {
		qualified = qualified[i+1:]
	}
	return qualified
}

// unknown stands for a value that is not known yet (preview). It never
// equals anything, itself included.
type unknown struct{}

// get walks path through nested maps; ok is false when a step is missing.
func get(obj map[string]any, path ...string) (any, bool) {
	var cur any = obj
	for _, p := range path {
		m, isMap := cur.(map[string]any)
		if !isMap {
			return nil, false
		}
		v, has := m[p]
		if !has {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

func getString(obj map[string]any, path ...string) string {
	v, _ := get(obj, path...)
	s, _ := v.(string)
	return s
}

// equal is a structural deep-equal on decoded JSON-ish values in which an
// absent value equals null and an unknown equals nothing; numbers compare by
// value whatever their Go type.
func equal(a, b any) bool {
	if isUnknown(a) || isUnknown(b) {
		return false
	}
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return false
		}
		for k, x := range av {
			if !equal(x, bv[k]) {
				return false
			}
		}
		for k, y := range bv {
			if _, has := av[k]; !has && y != nil {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !equal(av[i], bv[i]) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(a, b)
	}
}

func isUnknown(v any) bool { _, ok := v.(unknown); return ok }

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// containsUnknown reports whether v holds an unknown anywhere.
func containsUnknown(v any) bool {
	switch t := v.(type) {
	case unknown:
		return true
	case map[string]any:
		for _, x := range t {
			if containsUnknown(x) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if containsUnknown(x) {
				return true
			}
		}
	}
	return false
}

// immutableField names a field Kubernetes refuses to change in place, so a
// change to it needs a replacement. Except lists subfields (relative to
// Path) that stay mutable.
type immutableField struct {
	Path   []string
	Except [][]string
}

// immutableFields is deliberately short: the kinds this repository deploys
// plus a few common ones. group/Kind ("" is the core group). Anything not
// listed is updated in place and the API server's own validation answers.
var immutableFields = map[string][]immutableField{
	"apps/Deployment":  {{Path: []string{"spec", "selector"}}},
	"apps/ReplicaSet":  {{Path: []string{"spec", "selector"}}},
	"apps/DaemonSet":   {{Path: []string{"spec", "selector"}}},
	"apps/StatefulSet": {{Path: []string{"spec", "selector"}}, {Path: []string{"spec", "serviceName"}}, {Path: []string{"spec", "volumeClaimTemplates"}}, {Path: []string{"spec", "podManagementPolicy"}}},
	"batch/Job":        {{Path: []string{"spec", "selector"}}, {Path: []string{"spec", "template"}}},
	"/PersistentVolumeClaim": {{Path: []string{"spec"}, Except: [][]string{
		{"resources", "requests", "storage"}, {"volumeAttributesClassName"},
	}}},
	"/PersistentVolume": {{Path: []string{"spec"}, Except: [][]string{
		{"capacity"}, {"claimRef"}, {"mountOptions"}, {"persistentVolumeReclaimPolicy"},
		{"storageClassName"}, {"nodeAffinity"}, {"volumeAttributesClassName"},
	}}},
	"/Service":                              {{Path: []string{"spec", "clusterIP"}}},
	"/Secret":                               {{Path: []string{"type"}}},
	"rbac.authorization.k8s.io/RoleBinding": {{Path: []string{"roleRef"}}},
	"rbac.authorization.k8s.io/ClusterRoleBinding": {{Path: []string{"roleRef"}}},
	"scheduling.k8s.io/PriorityClass":              {{Path: []string{"value"}}, {Path: []string{"preemptionPolicy"}}},
	"storage.k8s.io/StorageClass":                  {{Path: []string{"provisioner"}}, {Path: []string{"parameters"}}, {Path: []string{"reclaimPolicy"}}, {Path: []string{"volumeBindingMode"}}},
}

// diffResult is what Diff answers, in plain form.
type diffResult struct {
	Changed             []string // top-level keys that differ
	Replaces            []string // top-level keys whose change forces a replacement
	DeleteBeforeReplace bool
	Reasons             map[string]string // replaced key -> why (for logs)
}

// diffInputs compares old and new inputs of one object of kind gvk. Only
// inputs are compared, never live state. ignore lists top-level keys (from
// ignoreChanges) to skip.
func diffInputs(gvk schema.GroupVersionKind, olds, news map[string]any, ignore []string) diffResult {
	res := diffResult{Reasons: map[string]string{}}
	ignored := map[string]bool{}
	for _, k := range ignore {
		ignored[strings.SplitN(k, ".", 2)[0]] = true
	}
	keys := map[string]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	for k := range keys {
		if strings.HasPrefix(k, "__") || ignored[k] {
			continue
		}
		if !equal(olds[k], news[k]) {
			res.Changed = append(res.Changed, k)
		}
	}
	sort.Strings(res.Changed)
	if len(res.Changed) == 0 {
		return res
	}

	replace := func(key, why string) {
		if ignored[key] {
			return
		}
		if _, dup := res.Reasons[key]; !dup {
			res.Replaces = append(res.Replaces, key)
		}
		res.Reasons[key] = why
	}
	// Identity: a new name, namespace or kind is another object.
	sameIdentity := true
	for _, p := range [][]string{{"metadata", "name"}, {"metadata", "namespace"}} {
		o, _ := get(olds, p...)
		n, _ := get(news, p...)
		if !equal(o, n) {
			replace("metadata", strings.Join(p, ".")+" changed")
			sameIdentity = false
		}
	}
	for _, k := range []string{"kind", "apiVersion"} {
		o, _ := olds[k]
		n, _ := news[k]
		if o != nil && n != nil && !equal(o, n) {
			replace(k, k+" changed")
			sameIdentity = false
		}
	}
	for _, f := range immutableFields[gvk.Group+"/"+gvk.Kind] {
		o, _ := get(olds, f.Path...)
		n, _ := get(news, f.Path...)
		if len(f.Except) > 0 {
			o, n = without(o, f.Except), without(n, f.Except)
		}
		if !equal(o, n) {
			replace(f.Path[0], strings.Join(f.Path, ".")+" is immutable")
		}
	}
	// ConfigMaps and Secrets marked immutable cannot change their data.
	if gvk.Group == "" && (gvk.Kind == "ConfigMap" || gvk.Kind == "Secret") {
		if b, _ := olds["immutable"].(bool); b {
			for _, k := range []string{"data", "binaryData", "stringData", "immutable"} {
				if !equal(olds[k], news[k]) {
					replace(k, "the object is immutable")
				}
			}
		}
	}
	sort.Strings(res.Replaces)
	// With the same name the old object must go before the new one can exist.
	res.DeleteBeforeReplace = len(res.Replaces) > 0 && sameIdentity
	return res
}

// without returns a copy of v (an object) with the given subpaths removed.
func without(v any, paths [][]string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := deepCopy(m).(map[string]any)
	for _, p := range paths {
		cur := out
		for i, step := range p {
			if i == len(p)-1 {
				delete(cur, step)
				break
			}
			next, ok := cur[step].(map[string]any)
			if !ok {
				break
			}
			cur = next
		}
	}
	return out
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

// --- await annotations -------------------------------------------------------

const (
	annWaitFor        = "pulumi.com/waitFor"
	annTimeoutSeconds = "pulumi.com/timeoutSeconds"
	annSkipAwait      = "pulumi.com/skipAwait"
)

// waitCond is one parsed pulumi.com/waitFor expression:
//
//	jsonpath={.status.phase}=Running   the JSONPath's text equals Running
//	jsonpath={.status.ready}           the JSONPath yields a non-empty value
//	condition=Ready                    status.conditions[type=Ready].status == "True"
//	condition=Ready=False              ... == "False"
type waitCond struct {
	JSONPath  string // with braces, e.g. {.status.phase}; empty for conditions
	Condition string
	Value     string
	HasValue  bool
}

func (c waitCond) String() string {
	if c.Condition != "" {
		return "condition=" + c.Condition + "=" + c.Value
	}
	if c.HasValue {
		return "jsonpath=" + c.JSONPath + "=" + c.Value
	}
	return "jsonpath=" + c.JSONPath
}

// parseWaitFor parses the annotation value: one expression, or a JSON list
// of expressions that must all hold.
func parseWaitFor(s string) ([]waitCond, error) {
	s = strings.TrimSpace(s)
	var exprs []string
	if strings.HasPrefix(s, "[") {
		if err := json.Unmarshal([]byte(s), &exprs); err != nil {
			return nil, fmt.Errorf("%s: not a JSON list of strings: %w", annWaitFor, err)
		}
	} else {
		exprs = []string{s}
	}
	var out []waitCond
	for _, e := range exprs {
		c, err := parseWaitExpr(strings.TrimSpace(e))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is empty", annWaitFor)
	}
	return out, nil
}

func parseWaitExpr(e string) (waitCond, error) {
	if rest, ok := strings.CutPrefix(e, "condition="); ok {
		cond, val, has := strings.Cut(rest, "=")
		if cond == "" {
			return waitCond{}, fmt.Errorf("%s %q: missing condition type", annWaitFor, e)
		}
		if !has {
			val = "True"
		}
		return waitCond{Condition: cond, Value: val, HasValue: true}, nil
	}
	rest, ok := strings.CutPrefix(e, "jsonpath=")
	if !ok {
		return waitCond{}, fmt.Errorf("%s %q: expected jsonpath={...}[=VALUE] or condition=TYPE[=VALUE]", annWaitFor, e)
	}
	if q, ok := strings.CutPrefix(rest, "'"); ok { // jsonpath='{.a}'=V (kubectl style)
		if i := strings.Index(q, "'"); i >= 0 {
			rest = q[:i] + q[i+1:]
		}
	}
	var path, tail string
	if strings.HasPrefix(rest, "{") {
		end := matchingBrace(rest)
		if end < 0 {
			return waitCond{}, fmt.Errorf("%s %q: unbalanced braces", annWaitFor, e)
		}
		path, tail = rest[:end+1], rest[end+1:]
	} else {
		p, v, has := strings.Cut(rest, "=")
		path = "{" + p + "}"
		if has {
			tail = "=" + v
		}
	}
	if path == "{}" {
		return waitCond{}, fmt.Errorf("%s %q: empty JSONPath", annWaitFor, e)
	}
	if err := jsonpath.New("waitFor").Parse(path); err != nil {
		return waitCond{}, fmt.Errorf("%s %q: %w", annWaitFor, e, err)
	}
	c := waitCond{JSONPath: path}
	if tail != "" {
		v, ok := strings.CutPrefix(tail, "=")
		if !ok {
			return waitCond{}, fmt.Errorf("%s %q: expected '=' after the JSONPath", annWaitFor, e)
		}
		c.Value, c.HasValue = strings.Trim(v, "'\""), true
	}
	return c, nil
}

func matchingBrace(s string) int {
	depth := 0
	for i, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// holds evaluates c against a live object.
func (c waitCond) holds(obj map[string]any) (bool, string) {
	if c.Condition != "" {
		conds, _ := get(obj, "status", "conditions")
		list, _ := conds.([]any)
		for _, x := range list {
			m, _ := x.(map[string]any)
			if t, _ := m["type"].(string); strings.EqualFold(t, c.Condition) {
				st, _ := m["status"].(string)
				return strings.EqualFold(st, c.Value), st
			}
		}
		return false, "<absent>"
	}
	jp := jsonpath.New("waitFor").AllowMissingKeys(true)
	if err := jp.Parse(c.JSONPath); err != nil {
		return false, err.Error()
	}
	var buf bytes.Buffer
	if err := jp.Execute(&buf, obj); err != nil {
		return false, err.Error()
	}
	got := buf.String()
	if !c.HasValue {
		return got != "", got
	}
	return got == c.Value, got
}

// timeoutFromAnnotation parses pulumi.com/timeoutSeconds; ok is false when
// absent or invalid.
func timeoutFromAnnotation(obj map[string]any) (int, bool, error) {
	s := getString(obj, "metadata", "annotations", annTimeoutSeconds)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, false, fmt.Errorf("%s=%q: want a positive integer", annTimeoutSeconds, s)
	}
	return n, true, nil
}

func skipAwait(obj map[string]any) bool {
	return strings.EqualFold(getString(obj, "metadata", "annotations", annSkipAwait), "true")
}

// objectID is the Pulumi ID of an object: "namespace/name" or "name".
func objectID(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

func splitID(id string) (namespace, name string) {
	if ns, n, ok := strings.Cut(id, "/"); ok {
		return ns, n
	}
	return "", id
}
