package main

// The ResourceProvider gRPC service.
//
// Await rules (after a successful server-side apply):
//   - metadata.annotations["pulumi.com/skipAwait"] == "true": no wait.
//   - metadata.annotations["pulumi.com/waitFor"]: wait until it holds
//     (jsonpath={.a.b}=VALUE, jsonpath={.a.b}, condition=TYPE[=STATUS], or a
//     JSON list of those), polling; pulumi.com/timeoutSeconds bounds it.
//   - CustomResourceDefinition: until condition Established=True.
//   - Namespace: until status.phase=Active.
//   - anything else: no wait. Deployments are never awaited and PVCs never
//     wait for Bound: the test control plane runs no controllers.
// The wait is bounded by pulumi.com/timeoutSeconds, else by the engine's
// customTimeouts (request timeout), else 600 s.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	pluginVersion = "4.32.0"
	inputsKey     = "__inputs"
	configPrefix  = "kubernetes:config:"
	// The engine's sentinel for an unknown config value in Configure.variables.
	unknownConfigValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
)

var marshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: false}

type provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	engine pulumirpc.EngineClient // nil when not started by an engine

	mu            sync.Mutex
	cfg           kubeConfig
	configUnknown bool
	client        *kube

	cancelCtx context.Context
	cancelAll context.CancelFunc
}

func newProvider(engineAddr string) (*provider, error) {
	p := &provider{}
	p.cancelCtx, p.cancelAll = context.WithCancel(context.Background())
	if engineAddr != "" {
		conn, err := grpc.NewClient(engineAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, fmt.Errorf("connecting to the engine at %s: %w", engineAddr, err)
		}
		p.engine = pulumirpc.NewEngineClient(conn)
	}
	return p, nil
}

func (p *provider) warn(ctx context.Context, urn, msg string) {
	if p.engine == nil {
		return
	}
	_, _ = p.engine.Log(ctx, &pulumirpc.LogRequest{Severity: pulumirpc.LogSeverity_WARNING, Message: msg, Urn: urn})
}

// opContext ties a request to Cancel.
func (p *provider) opContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.cancelCtx, cancel)
	return ctx, func() { stop(); cancel() }
}

func (p *provider) kube() (*kube, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.configUnknown {
		return nil, fmt.Errorf("the kubernetes provider's configuration (kubeconfig) is not known yet")
	}
	if p.client != nil {
		return p.client, nil
	}
	k, err := newKube(p.cfg)
	if err != nil {
		return nil, err
	}
	p.client = k
	return k, nil
}

// --- plugin metadata and configuration --------------------------------------

func (p *provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion}, nil
}

func (p *provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"kubernetes","version":"` + pluginVersion + `"}`}, nil
}

func (p *provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// configKeys are the provider settings the stand-in uses; every other key
// (enableServerSideApply, renderYamlToDirectory, ...) is accepted and ignored.
var configKeys = []string{"kubeconfig", "context", "cluster", "namespace"}

func (p *provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldStruct := req.GetOldInputs()
	if oldStruct == nil || len(oldStruct.GetFields()) == 0 {
		oldStruct = req.GetOlds()
	}
	olds, err := plugin.UnmarshalProperties(oldStruct, marshalOpts)
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshalOpts)
	if err != nil {
		return nil, err
	}
	o, _ := toPlain(olds)
	n, _ := toPlain(news)
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	for _, k := range configKeys {
		if !equal(o[k], n[k]) {
			// A new kubeconfig (e.g. a restarted test cluster) updates the
			// provider in place; it never replaces the objects.
			resp.Diffs = append(resp.Diffs, k)
			resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		}
	}
	return resp, nil
}

func (p *provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	vals := map[string]any{}
	unknownCfg := false
	if req.GetArgs() != nil {
		args, err := plugin.UnmarshalProperties(req.GetArgs(), marshalOpts)
		if err != nil {
			return nil, err
		}
		vals, _ = toPlain(args)
	} else {
		for k, v := range req.GetVariables() {
			k = strings.TrimPrefix(k, configPrefix)
			if v == unknownConfigValue {
				vals[k] = unknown{}
			} else {
				vals[k] = v
			}
		}
	}
	var cfg kubeConfig
	for _, k := range configKeys {
		v := vals[k]
		if isUnknown(v) {
			unknownCfg = true
			continue
		}
		s, _ := v.(string)
		switch k {
		case "kubeconfig":
			cfg.Kubeconfig = s
		case "context":
			cfg.Context = s
		case "cluster":
			cfg.Cluster = s
		case "namespace":
			cfg.Namespace = s
		}
	}
	p.mu.Lock()
	p.cfg, p.configUnknown, p.client = cfg, unknownCfg, nil
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: true,
	}, nil
}

func (p *provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.cancelAll()
	return &emptypb.Empty{}, nil
}

// --- resources ---------------------------------------------------------------

func resourceType(urn, typ string) (schema.GroupVersionKind, error) {
	if typ == "" {
		typ = typeFromURN(urn)
	}
	return gvkFromToken(typ)
}

// Check fills apiVersion/kind from the type token and insists on a name.
func (p *provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	gvk, err := resourceType(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshalOpts)
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	apiVersion := gvk.GroupVersion().String()
	for key, want := range map[string]string{"apiVersion": apiVersion, "kind": gvk.Kind} {
		pk := resource.PropertyKey(key)
		v, has := news[pk]
		switch {
		case !has || v.IsNull():
			news[pk] = resource.NewStringProperty(want)
		case v.IsString() && v.StringValue() != want:
			failures = append(failures, &pulumirpc.CheckFailure{Property: key,
				Reason: fmt.Sprintf("%s is %q but the resource type %s implies %q", key, v.StringValue(), typeFromURN(req.GetUrn()), want)})
		}
	}
	plain, _ := toPlain(news)
	if name, has := get(plain, "metadata", "name"); !isUnknown(name) {
		if s, _ := name.(string); !has || s == "" {
			failures = append(failures, &pulumirpc.CheckFailure{Property: "metadata.name",
				Reason: "metadata.name is required: the test stand-in kubernetes provider does not auto-name objects"})
		}
	}
	inputs, err := plugin.MarshalProperties(news, marshalOpts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// oldInputs picks the inputs an object was last deployed with.
func oldInputs(oldInputsStruct, olds *structpb.Struct) (resource.PropertyMap, error) {
	if oldInputsStruct != nil && len(oldInputsStruct.GetFields()) > 0 {
		return plugin.UnmarshalProperties(oldInputsStruct, marshalOpts)
	}
	props, err := plugin.UnmarshalProperties(olds, marshalOpts)
	if err != nil {
		return nil, err
	}
	if in, ok := props[inputsKey]; ok {
		if in.IsSecret() {
			in = in.SecretValue().Element
		}
		if in.IsObject() {
			return in.ObjectValue(), nil
		}
	}
	return props, nil
}

func (p *provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	gvk, err := resourceType(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	olds, err := oldInputs(req.GetOldInputs(), req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshalOpts)
	if err != nil {
		return nil, err
	}
	o, _ := toPlain(olds)
	n, _ := toPlain(news)
	d := diffInputs(gvk, o, n, req.GetIgnoreChanges())
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, HasDetailedDiff: true,
		DetailedDiff: map[string]*pulumirpc.PropertyDiff{}}
	if len(d.Changed) == 0 {
		return resp, nil
	}
	replaced := map[string]bool{}
	for _, k := range d.Replaces {
		replaced[k] = true
	}
	resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	resp.Diffs = d.Changed
	resp.Replaces = d.Replaces
	resp.DeleteBeforeReplace = d.DeleteBeforeReplace
	for _, k := range d.Changed {
		_, inOld := o[k]
		_, inNew := n[k]
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !inOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !inNew:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if replaced[k] {
			kind += pulumirpc.PropertyDiff_ADD_REPLACE - pulumirpc.PropertyDiff_ADD
		}
		resp.DetailedDiff[k] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return resp, nil
}

func (p *provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	id, props, err := p.applyObject(ctx, req.GetUrn(), req.GetType(), req.GetProperties(), req.GetTimeout(), req.GetPreview())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

func (p *provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	_, props, err := p.applyObject(ctx, req.GetUrn(), req.GetType(), req.GetNews(), req.GetTimeout(), req.GetPreview())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

func awaitTimeout(seconds float64) time.Duration {
	if seconds > 0 {
		return time.Duration(seconds * float64(time.Second))
	}
	return defaultAwait
}

// applyObject is Create and Update: server-side apply, then await.
func (p *provider) applyObject(ctx context.Context, urn, typ string, in *structpb.Struct, timeout float64, preview bool,
) (string, *structpb.Struct, error) {
	gvk, err := resourceType(urn, typ)
	if err != nil {
		return "", nil, err
	}
	news, err := plugin.UnmarshalProperties(in, marshalOpts)
	if err != nil {
		return "", nil, err
	}
	obj, secretKeys := toPlain(news)
	if preview {
		// No server call: outputs are the inputs (unknowns stay unknown).
		out := news.Copy()
		out[inputsKey] = resource.NewObjectProperty(news.Copy())
		props, err := plugin.MarshalProperties(out, marshalOpts)
		return "", props, err
	}
	if containsUnknown(obj) {
		return "", nil, fmt.Errorf("%s: inputs still contain unknown values outside of a preview", urn)
	}
	if obj["apiVersion"] == nil {
		obj["apiVersion"] = gvk.GroupVersion().String()
	}
	if obj["kind"] == nil {
		obj["kind"] = gvk.Kind
	}
	ctx, cancel := p.opContext(ctx)
	defer cancel()
	k, err := p.kube()
	if err != nil {
		return "", nil, err
	}
	live, err := k.apply(ctx, gvk, obj)
	if err != nil {
		return "", nil, err
	}
	id := objectID(live.GetNamespace(), live.GetName())
	live, awaitErr := k.awaitReady(ctx, gvk, live, obj, awaitTimeout(timeout))
	props, err := outputs(gvk, live, news, secretKeys)
	if err != nil {
		return "", nil, err
	}
	if awaitErr != nil {
		// The object exists: tell the engine so it records it in the state.
		return "", nil, rpcerror.WithDetails(
			rpcerror.New(codes.Unknown, awaitErr.Error()),
			&pulumirpc.ErrorResourceInitFailed{Id: id, Properties: props, Reasons: []string{awaitErr.Error()}})
	}
	return id, props, nil
}

// outputs: the live object (minus managedFields) plus the inputs under
// __inputs. Top-level keys that were secret inputs stay secret, as do a
// Secret's data and stringData.
func outputs(gvk schema.GroupVersionKind, live *unstructured.Unstructured, inputs resource.PropertyMap, secretKeys map[string]bool) (*structpb.Struct, error) {
	obj := deepCopy(live.Object).(map[string]any)
	if md, ok := obj["metadata"].(map[string]any); ok {
		delete(md, "managedFields")
	}
	out := resource.NewPropertyMapFromMap(obj)
	if gvk.Group == "" && gvk.Kind == "Secret" {
		secretKeys = mergeKeys(secretKeys, "data", "stringData")
	}
	for k := range secretKeys {
		if v, ok := out[resource.PropertyKey(k)]; ok && !v.IsSecret() {
			out[resource.PropertyKey(k)] = resource.MakeSecret(v)
		}
	}
	out[inputsKey] = resource.NewObjectProperty(inputs.Copy())
	return plugin.MarshalProperties(out, marshalOpts)
}

func mergeKeys(m map[string]bool, keys ...string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	for _, k := range keys {
		out[k] = true
	}
	return out
}

// Read refreshes (or imports) an object. Gone -> empty ID.
func (p *provider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	gvk, err := resourceType(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	inputs, err := oldInputs(req.GetInputs(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	imported := req.GetInputs() == nil && req.GetProperties() == nil
	ns, name := splitID(req.GetId())
	ctx, cancel := p.opContext(ctx)
	defer cancel()
	k, err := p.kube()
	if err != nil {
		return nil, err
	}
	live, err := k.get(ctx, gvk, ns, name)
	if isNotFound(err) {
		return &pulumirpc.ReadResponse{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", gvk.Kind, req.GetId(), err)
	}
	if imported || len(inputs) == 0 {
		inputs = resource.NewPropertyMapFromMap(importInputs(live.Object))
	}
	_, secretKeys := toPlain(inputs)
	props, err := outputs(gvk, live, inputs, secretKeys)
	if err != nil {
		return nil, err
	}
	inStruct, err := plugin.MarshalProperties(inputs, marshalOpts)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: objectID(live.GetNamespace(), live.GetName()), Properties: props, Inputs: inStruct}, nil
}

// importInputs derives inputs from a live object: no status, and only the
// user-settable parts of metadata.
func importInputs(live map[string]any) map[string]any {
	obj := deepCopy(live).(map[string]any)
	delete(obj, "status")
	if md, ok := obj["metadata"].(map[string]any); ok {
		keep := map[string]any{}
		for _, k := range []string{"name", "namespace", "labels", "annotations"} {
			if v, ok := md[k]; ok {
				keep[k] = v
			}
		}
		obj["metadata"] = keep
	}
	return obj
}

func (p *provider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	gvk, err := resourceType(req.GetUrn(), req.GetType())
	if err != nil {
		return nil, err
	}
	ns, name := splitID(req.GetId())
	if props, err := plugin.UnmarshalProperties(req.GetProperties(), marshalOpts); err == nil {
		plain, _ := toPlain(props)
		if n := getString(plain, "metadata", "name"); n != "" {
			name, ns = n, getString(plain, "metadata", "namespace")
		}
	}
	ctx, cancel := p.opContext(ctx)
	defer cancel()
	k, err := p.kube()
	if err != nil {
		return nil, err
	}
	warning, err := k.remove(ctx, gvk, ns, name, awaitTimeout(req.GetTimeout()))
	if err != nil {
		return nil, err
	}
	if warning != "" {
		p.warn(ctx, req.GetUrn(), warning)
	}
	return &emptypb.Empty{}, nil
}

// --- components and functions -------------------------------------------------

func (p *provider) Construct(_ context.Context, req *pulumirpc.ConstructRequest) (*pulumirpc.ConstructResponse, error) {
	return nil, fmt.Errorf("%s is not supported by the test stand-in provider (tools/k8sprovider): "+
		"it implements plain Kubernetes objects only", req.GetType())
}

func (p *provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, fmt.Errorf("unknown function %s: the test stand-in kubernetes provider (tools/k8sprovider) implements no functions", req.GetTok())
}

func (p *provider) Call(_ context.Context, req *pulumirpc.CallRequest) (*pulumirpc.CallResponse, error) {
	return nil, fmt.Errorf("unknown method %s: not supported by the test stand-in provider", req.GetTok())
}

func (p *provider) GetMapping(context.Context, *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return &pulumirpc.GetMappingResponse{}, nil
}

func (p *provider) GetMappings(context.Context, *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return &pulumirpc.GetMappingsResponse{}, nil
}

// --- property conversion ---------------------------------------------------------

// toPlain converts a PropertyMap to JSON-like Go values: secrets unwrapped
// (their top-level keys reported), unknowns as unknown{}.
func toPlain(pm resource.PropertyMap) (map[string]any, map[string]bool) {
	secrets := map[string]bool{}
	out := make(map[string]any, len(pm))
	for k, v := range pm {
		secret := false
		out[string(k)] = plainValue(v, &secret)
		if secret {
			secrets[string(k)] = true
		}
	}
	return out, secrets
}

func plainValue(v resource.PropertyValue, secret *bool) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			arr = append(arr, plainValue(e, secret))
		}
		return arr
	case v.IsObject():
		m := map[string]any{}
		for k, e := range v.ObjectValue() {
			m[string(k)] = plainValue(e, secret)
		}
		return m
	case v.IsSecret():
		*secret = true
		return plainValue(v.SecretValue().Element, secret)
	case v.IsComputed():
		return unknown{}
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			*secret = true
		}
		if !o.Known {
			return unknown{}
		}
		return plainValue(o.Element, secret)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if id, ok := ref.IDString(); ok {
			return id
		}
		return string(ref.URN)
	}
	return fmt.Sprint(v.V)
}
