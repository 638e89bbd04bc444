// A Volley environment on AWS (new VPC over three AZs, EKS with system and
// stream node groups, EFS checkpoints, KEDA, Prometheus) and two applications:
// a single-pod pipeline and a distributed aggregator autoscaled on Kafka lag.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		region := config.New(ctx, "aws").Get("region")
		if region == "" {
			region = "us-west-2"
		}
		// Zones: set `availabilityZones` (see `aws ec2 describe-availability-zones`); without it the
		// example assumes <region>a, b and c exist and are enabled for the account, which is not true everywhere.
		azs := []string{region + "a", region + "b", region + "c"}
		_ = cfg.TryObject("availabilityZones", &azs)

		nat := volley.AwsNatGatewayModeSingle
		identity := volley.EfsCsiIdentityPodIdentity
		// The only network that reaches the API server's public endpoint, e.g. your public IP as a /32: no open default.
		adminCidr := cfg.Require("adminCidr")
		clusterSettings := &volley.AwsClusterSettingsArgs{
			Version:           pulumi.String("1.36"),
			PublicAccessCidrs: pulumi.StringArray{pulumi.String(adminCidr)},
		}
		if role := cfg.Get("deployerRoleArn"); role != "" {
			clusterSettings.DeployerRoleArn = pulumi.String(role)
		}

		env, err := volley.NewAwsEnvironment(ctx, "dev", &volley.AwsEnvironmentArgs{
			// The Volley operator image you built and pushed (README "Build the operator image").
			Operator: volley.VolleyOperatorSettingsArgs{Image: pulumi.String(cfg.Require("operatorImage"))},
			Tags:     pulumi.StringMap{"team": pulumi.String("data-platform")},
			Vpc: &volley.AwsVpcSettingsArgs{
				CidrBlock:         pulumi.String("10.0.0.0/16"),
				AvailabilityZones: azs,
				NatGateways:       &nat,
			},
			Cluster: clusterSettings,
			// Karpenter (the default provisioner) adds a stream node per pipeline pod as applications scale, up to MaxSize, and removes empty ones.
			StreamNodePool: &volley.AwsStreamNodePoolSettingsArgs{
				InstanceTypes: pulumi.StringArray{pulumi.String("m6i.2xlarge")},
				MaxSize:       pulumi.Int(6),
			},
			// Checkpoints survive `pulumi destroy` unless RetainOnDelete is false.
			Efs: &volley.EfsSettingsArgs{
				ThroughputMode: volley.EfsThroughputModeElastic,
				CsiIdentity:    &identity,
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
			// Each distributed application gets its own EFS access point and directory.
			Cluster: volley.ClusterSpecArgs{MaxKeyGroups: pulumi.Int(256)},
			// One worker per stream node: maxReplicas fits streamNodePool.maxSize (6), or the preview fails.
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

		ctx.Export("kubeconfig", env.Kubeconfig)
		ctx.Export("clusterName", env.ClusterName)
		ctx.Export("fileSystemId", env.FileSystemId)
		ctx.Export("ingestName", ingest.Name)
		ctx.Export("aggregateClaim", aggregate.ClaimName)
		return nil
	})
}
