// The generated Go SDK under the Go SDK's mocks: components register the
// right type tokens with the inputs the program gave, in schema names.
package sdktest

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

type recordingMocks struct {
	mu        sync.Mutex
	resources []pulumi.MockResourceArgs
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.resources = append(m.resources, args)
	m.mu.Unlock()
	outputs := args.Inputs.Copy()
	if args.TypeToken == "volley:index:KubernetesEnvironment" {
		// What a real environment outputs, so the Application can take it as an input.
		outputs["environment"] = resource.NewObjectProperty(resource.NewPropertyMapFromMap(map[string]interface{}{
			"name": args.Name, "kubeconfig": "", "operatorNamespace": "volley-system",
			"crdName":         "volleyapplications.volley.io",
			"streamPlacement": map[string]interface{}{"nodeSelector": map[string]interface{}{"volley.io/pool": "stream-processing"}, "tolerations": []interface{}{}},
			"systemPlacement": map[string]interface{}{"nodeSelector": map[string]interface{}{}, "tolerations": []interface{}{}},
			"kedaEnabled":     true, "prometheusEnabled": true,
		}))
	}
	if args.TypeToken == "volley:index:Application" {
		outputs["claimName"] = resource.NewStringProperty(args.Name + "-shared-ckpt")
		outputs["phase"] = resource.NewStringProperty("Running")
	}
	return args.Name + "-id", outputs, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func (m *recordingMocks) ofType(token string) []pulumi.MockResourceArgs {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []pulumi.MockResourceArgs
	for _, r := range m.resources {
		if r.TypeToken == token {
			out = append(out, r)
		}
	}
	return out
}

func TestApplicationRegistersWithItsInputs(t *testing.T) {
	mocks := &recordingMocks{}
	var claim, phase string
	crds := volley.PrometheusModeCrds
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		env, err := volley.NewKubernetesEnvironment(ctx, "dev", &volley.KubernetesEnvironmentArgs{
			Operator:    volley.VolleyOperatorSettingsArgs{Image: pulumi.String("registry.example.com/volley-k8s-operator:0.1.0")},
			Kubeconfig:  pulumi.String("apiVersion: v1"),
			Checkpoints: &volley.CheckpointStorageArgs{StorageClassName: pulumi.String("efs-rwx")},
			Prometheus:  &volley.PrometheusSettingsArgs{Mode: &crds},
		})
		if err != nil {
			return err
		}
		app, err := volley.NewApplication(ctx, "agg", &volley.ApplicationArgs{
			Environment: env.Environment,
			Image:       pulumi.String("registry.example.com/agg:v1"),
			Resources:   volley.ResourceRequirementsArgs{Requests: pulumi.StringMap{"cpu": pulumi.String("2"), "memory": pulumi.String("4Gi")}},
			Replicas:    pulumi.Int(3),
			Cluster:     volley.ClusterSpecArgs{MaxKeyGroups: pulumi.Int(128)},
		})
		if err != nil {
			return err
		}
		pulumi.All(app.ClaimName, app.Phase).ApplyT(func(v []interface{}) error {
			claim, phase = v[0].(string), v[1].(string)
			return nil
		})
		return nil
	}, pulumi.WithMocks("project", "stack", mocks))
	if err != nil {
		t.Fatal(err)
	}

	envs := mocks.ofType("volley:index:KubernetesEnvironment")
	if len(envs) != 1 {
		t.Fatalf("want 1 KubernetesEnvironment, got %d", len(envs))
	}
	if got := envs[0].Inputs["checkpoints"].ObjectValue()["storageClassName"].StringValue(); got != "efs-rwx" {
		t.Errorf("checkpoints.storageClassName = %q", got)
	}
	if got := envs[0].Inputs["prometheus"].ObjectValue()["mode"].StringValue(); got != "crds" {
		t.Errorf("prometheus.mode = %q", got)
	}
	if !envs[0].Inputs["kubeconfig"].IsSecret() {
		t.Errorf("kubeconfig must be sent as a secret")
	}
	apps := mocks.ofType("volley:index:Application")
	if len(apps) != 1 {
		t.Fatalf("want 1 Application, got %d", len(apps))
	}
	in := apps[0].Inputs
	if got := in["image"].StringValue(); got != "registry.example.com/agg:v1" {
		t.Errorf("image = %q", got)
	}
	if got := in["replicas"].NumberValue(); got != 3 {
		t.Errorf("replicas = %v", got)
	}
	if got := in["cluster"].ObjectValue()["maxKeyGroups"].NumberValue(); got != 128 {
		t.Errorf("cluster.maxKeyGroups = %v", got)
	}
	if got := in["resources"].ObjectValue()["requests"].ObjectValue()["memory"].StringValue(); got != "4Gi" {
		t.Errorf("resources.requests.memory = %q", got)
	}
	if got := in["awaitRunning"]; !got.IsBool() || !got.BoolValue() {
		t.Errorf("awaitRunning default not applied: %v", got)
	}
	if got := in["environment"].ObjectValue()["operatorNamespace"].StringValue(); got != "volley-system" {
		t.Errorf("environment.operatorNamespace = %q", got)
	}
	if claim != "agg-shared-ckpt" || phase != "Running" {
		t.Errorf("outputs: claimName=%q phase=%q", claim, phase)
	}
}

func TestTaintEffectUsesKubernetesSpelling(t *testing.T) {
	if string(volley.TaintEffectNoSchedule) != "NoSchedule" {
		t.Fatalf("TaintEffectNoSchedule = %q", volley.TaintEffectNoSchedule)
	}
}
