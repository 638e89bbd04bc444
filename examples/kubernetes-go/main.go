// A Volley environment on an existing cluster and two applications: a
// single-pod pipeline and a distributed aggregator autoscaled on Kafka lag.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		// KEDA and kube-prometheus-stack; off where they are installed otherwise.
		addons := true
		if v, err := cfg.TryBool("addons"); err == nil {
			addons = v
		}
		// Wait in `pulumi up` until the operator reports each application Running.
		awaitRunning := true
		if v, err := cfg.TryBool("awaitRunning"); err == nil {
			awaitRunning = v
		}
		awaitTimeoutSeconds := 600
		if v, err := cfg.TryInt("awaitTimeoutSeconds"); err == nil {
			awaitTimeoutSeconds = v
		}
		nfsServer := cfg.Get("nfsServer")
		if nfsServer == "" {
			nfsServer = "nfs.storage.svc.cluster.local"
		}
		promMode := volley.PrometheusModeStack
		if !addons {
			promMode = volley.PrometheusModeNone
		}

		env, err := volley.NewKubernetesEnvironment(ctx, "dev", &volley.KubernetesEnvironmentArgs{
			// The Volley operator image you built and pushed (README "Build the operator image").
			Operator:   volley.VolleyOperatorSettingsArgs{Image: pulumi.String(cfg.Require("operatorImage"))},
			Kubeconfig: cfg.GetSecret("kubeconfig"),
			Checkpoints: &volley.CheckpointStorageArgs{
				Nfs:  &volley.NfsExportArgs{Server: pulumi.String(nfsServer), Path: pulumi.String("/exports/volley")},
				Size: pulumi.String("20Gi"),
			},
			// Charts come from their repositories unless a local copy is configured
			// (a chart directory or .tgz, for machines that cannot reach a chart repository).
			Keda:       &volley.KedaSettingsArgs{Enabled: pulumi.BoolRef(addons), ChartPath: pulumi.String(cfg.Get("kedaChartPath"))},
			Prometheus: &volley.PrometheusSettingsArgs{Mode: &promMode, ChartPath: pulumi.String(cfg.Get("prometheusChartPath"))},
		})
		if err != nil {
			return err
		}

		ingest, err := volley.NewApplication(ctx, "ingest", &volley.ApplicationArgs{
			Environment: env.Environment,
			Image:       pulumi.String("registry.example.com/ingest:v1.0"),
			Resources: volley.ResourceRequirementsArgs{
				Requests: pulumi.StringMap{"cpu": pulumi.String("500m"), "memory": pulumi.String("1Gi")},
				Limits:   pulumi.StringMap{"cpu": pulumi.String("1"), "memory": pulumi.String("2Gi")},
			},
			Env:                 volley.EnvVarArray{volley.EnvVarArgs{Name: pulumi.String("RUST_LOG"), Value: pulumi.String("info")}},
			AwaitRunning:        pulumi.Bool(awaitRunning),
			AwaitTimeoutSeconds: pulumi.Int(awaitTimeoutSeconds),
		})
		if err != nil {
			return err
		}

		cpu := cfg.Get("aggregateCpu")
		if cpu == "" {
			cpu = "2"
		}
		replicas := 3
		if v, err := cfg.TryInt("aggregateReplicas"); err == nil {
			replicas = v
		}
		// Scales on Kafka lag where KEDA is installed (addons).
		autoscaling := volley.AutoscalingSpecArgs{
			Enabled: pulumi.Bool(addons), MinReplicas: pulumi.Int(2), MaxReplicas: pulumi.Int(8),
			Triggers: volley.AutoscalingTriggerArray{volley.AutoscalingTriggerArgs{
				Type:     pulumi.String("kafka"),
				Metadata: pulumi.StringMap{"topic": pulumi.String("events"), "lagThreshold": pulumi.String("1000")},
			}},
		}
		aggregate, err := volley.NewApplication(ctx, "aggregate", &volley.ApplicationArgs{
			Environment: env.Environment,
			Image:       pulumi.String("registry.example.com/aggregate:v1.0"),
			// Limits equal to requests: a pipeline never takes more than it reserved (the policy pack asks for limits).
			Resources: volley.ResourceRequirementsArgs{
				Requests: pulumi.StringMap{"cpu": pulumi.String(cpu), "memory": pulumi.String("4Gi")},
				Limits:   pulumi.StringMap{"cpu": pulumi.String(cpu), "memory": pulumi.String("4Gi")},
			},
			Replicas: pulumi.Int(replicas),
			Kafka: volley.KafkaSpecArgs{
				BootstrapServers: pulumi.String("kafka.default.svc:9092"),
				ConsumerGroup:    pulumi.String("aggregate"),
				Topics:           pulumi.StringArray{pulumi.String("events")},
			},
			Cluster:     volley.ClusterSpecArgs{MaxKeyGroups: pulumi.Int(256)},
			Autoscaling: autoscaling,
			Env: volley.EnvVarArray{volley.EnvVarArgs{
				Name: pulumi.String("DB_PASSWORD"),
				ValueFrom: volley.EnvVarSourceArgs{SecretKeyRef: volley.KeySelectorArgs{
					Name: pulumi.String("db-creds"), Key: pulumi.String("password"),
				}},
			}},
			AwaitRunning:        pulumi.Bool(awaitRunning),
			AwaitTimeoutSeconds: pulumi.Int(awaitTimeoutSeconds),
		})
		if err != nil {
			return err
		}

		ctx.Export("operatorNamespace", env.OperatorNamespace)
		ctx.Export("ingestName", ingest.Name)
		ctx.Export("aggregateClaim", aggregate.ClaimName)
		ctx.Export("aggregatePhase", aggregate.Phase)
		return nil
	})
}
