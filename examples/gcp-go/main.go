// A Volley environment on GKE (new network with Cloud NAT, private cluster,
// system and stream node pools, Filestore for shared checkpoints, KEDA,
// Prometheus, the operator) and two applications: a single-pod pipeline and
// a distributed aggregator autoscaled on Kafka lag.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		project := cfg.Require("project")
		// A zone gives a zonal cluster (BASIC_HDD Filestore); a region, a regional one (REGIONAL Filestore).
		location := cfg.Get("location")
		if location == "" {
			location = "us-central1-a"
		}
		// The only network that reaches the control plane, e.g. your public IP as a /32: no open default.
		adminCidr := cfg.Require("adminCidr")
		spot := cfg.GetBool("spot")

		env, err := volley.NewGcpEnvironment(ctx, "dev", &volley.GcpEnvironmentArgs{
			// The Volley operator image you built and pushed (README "Build the operator image").
			Operator: volley.VolleyOperatorSettingsArgs{Image: pulumi.String(cfg.Require("operatorImage"))},
			Project:  pulumi.String(project),
			Location: pulumi.String(location),
			Labels:   pulumi.StringMap{"team": pulumi.String("data-platform")},
			Cluster: &volley.GkeClusterSettingsArgs{
				ReleaseChannel: volley.GkeReleaseChannelRegular,
				AuthorizedNetworks: volley.GkeAuthorizedNetworkArray{volley.GkeAuthorizedNetworkArgs{
					CidrBlock: pulumi.String(adminCidr), DisplayName: pulumi.String("admins"),
				}},
			},
			StreamNodePool: volley.GcpNodePoolSettingsArgs{
				MachineType: pulumi.String("n2-standard-8"),
				Spot:        pulumi.Bool(spot),
				Autoscaling: volley.GcpNodeAutoscalingArgs{MinNodes: pulumi.Int(1), MaxNodes: pulumi.Int(6)},
			},
			Checkpoints: &volley.FilestoreSettingsArgs{
				CapacityGib:      pulumi.Int(1024),
				ShareName:        pulumi.String("checkpoints"),
				DefaultClaimSize: pulumi.String("100Gi"),
			},
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
			Env: volley.EnvVarArray{volley.EnvVarArgs{Name: pulumi.String("RUST_LOG"), Value: pulumi.String("info")}},
		})
		if err != nil {
			return err
		}

		aggregate, err := volley.NewApplication(ctx, "aggregate", &volley.ApplicationArgs{
			Environment: env.Environment,
			Image:       pulumi.String("registry.example.com/aggregate:v1.0"),
			Resources:   volley.ResourceRequirementsArgs{Requests: pulumi.StringMap{"cpu": pulumi.String("2"), "memory": pulumi.String("4Gi")}},
			Replicas:    pulumi.Int(3),
			Kafka: volley.KafkaSpecArgs{
				BootstrapServers: pulumi.String("kafka.default.svc:9092"),
				ConsumerGroup:    pulumi.String("aggregate"),
				Topics:           pulumi.StringArray{pulumi.String("events")},
			},
			// Shared checkpoints: a static Filestore PersistentVolume and RWX claim for this app.
			Cluster: volley.ClusterSpecArgs{MaxKeyGroups: pulumi.Int(256)},
			// One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxNodes (6 per zone; one zone here), or the preview fails.
			Autoscaling: volley.AutoscalingSpecArgs{
				Enabled: pulumi.Bool(true), MinReplicas: pulumi.Int(2), MaxReplicas: pulumi.Int(6),
				Triggers: volley.AutoscalingTriggerArray{volley.AutoscalingTriggerArgs{
					Type:     pulumi.String("kafka"),
					Metadata: pulumi.StringMap{"topic": pulumi.String("events"), "lagThreshold": pulumi.String("1000")},
				}},
			},
			Env: volley.EnvVarArray{volley.EnvVarArgs{
				Name: pulumi.String("DB_PASSWORD"),
				ValueFrom: volley.EnvVarSourceArgs{SecretKeyRef: volley.KeySelectorArgs{
					Name: pulumi.String("db-creds"), Key: pulumi.String("password"),
				}},
			}},
		})
		if err != nil {
			return err
		}

		ctx.Export("clusterName", env.ClusterName)
		ctx.Export("kubeconfig", env.Kubeconfig)
		ctx.Export("filestoreIp", env.FilestoreIp)
		ctx.Export("streamNodePool", env.StreamNodePoolName)
		ctx.Export("ingestName", ingest.Name)
		ctx.Export("aggregateClaim", aggregate.ClaimName)
		return nil
	})
}
