// A Volley environment on AKS (resource group, VNet, cluster with its System
// pool and a tainted stream pool, Azure Files NFS behind a private endpoint
// for shared checkpoints, KEDA, Prometheus, the operator) and two
// applications: a single-pod pipeline and a distributed aggregator autoscaled
// on Kafka lag. The region comes from `azure-native:location` (Pulumi.yaml).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		// The only network that reaches the API server, e.g. your public IP as a /32: no open default.
		adminCidr := cfg.Require("adminCidr")
		spot := cfg.GetBool("spot")

		env, err := volley.NewAzureEnvironment(ctx, "dev", &volley.AzureEnvironmentArgs{
			// The Volley operator image you built and pushed (README "Build the operator image").
			Operator: volley.VolleyOperatorSettingsArgs{Image: pulumi.String(cfg.Require("operatorImage"))},
			Tags:     pulumi.StringMap{"team": pulumi.String("data-platform")},
			Cluster: &volley.AksClusterSettingsArgs{
				Tier:                        volley.AksTierStandard,
				ApiServerAuthorizedIpRanges: pulumi.StringArray{pulumi.String(adminCidr)},
			},
			StreamNodePool: volley.AzureNodePoolSettingsArgs{
				VmSize:      pulumi.String("Standard_D8ds_v5"),
				Spot:        pulumi.Bool(spot),
				Autoscaling: volley.AksNodeAutoscalingArgs{MinCount: pulumi.Int(1), MaxCount: pulumi.Int(6)},
				Zones:       pulumi.StringArray{pulumi.String("1"), pulumi.String("2"), pulumi.String("3")},
			},
			// Zone-redundant checkpoints for a pool over three zones (set at creation only).
			Checkpoints: &volley.AzureFilesSettingsArgs{
				Sku:              volley.AzureFilesSkuPremiumZrs,
				QuotaGib:         pulumi.Int(1024),
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
			// Shared checkpoints: its own directory on the Azure Files share, a static NFS PersistentVolume and RWX claim.
			Cluster: volley.ClusterSpecArgs{MaxKeyGroups: pulumi.Int(256)},
			// One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxCount (6), or the preview fails.
			Autoscaling: volley.AutoscalingSpecArgs{
				Enabled: pulumi.Bool(true), MinReplicas: pulumi.Int(2), MaxReplicas: pulumi.Int(6),
				Triggers: volley.AutoscalingTriggerArray{volley.AutoscalingTriggerArgs{
					Type:     pulumi.String("kafka"),
					Metadata: pulumi.StringMap{"topic": pulumi.String("events"), "lagThreshold": pulumi.String("1000")},
				}},
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("clusterName", env.ClusterName)
		ctx.Export("resourceGroupName", env.ResourceGroupName)
		ctx.Export("kubeconfig", env.Kubeconfig)
		ctx.Export("storageAccountName", env.StorageAccountName)
		ctx.Export("streamNodePool", env.StreamNodePoolName)
		ctx.Export("ingestName", ingest.Name)
		ctx.Export("aggregateClaim", aggregate.ClaimName)
		return nil
	})
}
