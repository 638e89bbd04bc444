"""A Volley environment on AWS (new VPC over three AZs, EKS with system and
stream node groups, EFS checkpoints, KEDA, Prometheus) and two applications:
a single-pod pipeline and a distributed aggregator autoscaled on Kafka lag."""
import pulumi
import pulumi_volley as volley

config = pulumi.Config()
region = pulumi.Config("aws").get("region") or "us-west-2"
# Zones: set `availabilityZones` (see `aws ec2 describe-availability-zones`); without it the
# example assumes <region>a, b and c exist and are enabled for the account, which is not true everywhere.
azs = config.get_object("availabilityZones") or [f"{region}{z}" for z in ("a", "b", "c")]
# The only network that reaches the API server's public endpoint, e.g. your public IP as a /32: no open default.
admin_cidr = config.require("adminCidr")

env = volley.AwsEnvironment(
    "dev",
    # The Volley operator image you built and pushed (README "Build the operator image").
    operator={"image": config.require("operatorImage")},
    tags={"team": "data-platform"},
    vpc=volley.AwsVpcSettingsArgs(cidr_block="10.0.0.0/16", availability_zones=azs, nat_gateways=volley.AwsNatGatewayMode.SINGLE),
    cluster=volley.AwsClusterSettingsArgs(
        version="1.36", deployer_role_arn=config.get("deployerRoleArn"), public_access_cidrs=[admin_cidr],
    ),
    # Karpenter (the default provisioner) adds a stream node per pipeline pod as applications scale, up to max_size, and removes empty ones.
    stream_node_pool=volley.AwsStreamNodePoolSettingsArgs(instance_types=["m6i.2xlarge"], max_size=6),
    # Checkpoints survive `pulumi destroy` unless retain_on_delete is False.
    efs=volley.EfsSettingsArgs(throughput_mode=volley.EfsThroughputMode.ELASTIC, csi_identity=volley.EfsCsiIdentity.POD_IDENTITY),
)

ingest = volley.Application(
    "ingest",
    environment=env.environment,
    image="registry.example.com/ingest:v1.0",
    resources=volley.ResourceRequirementsArgs(requests={"cpu": "500m", "memory": "1Gi"}, limits={"cpu": "1", "memory": "2Gi"}),
    env=[volley.EnvVarArgs(name="RUST_LOG", value="info")],
)

aggregate = volley.Application(
    "aggregate",
    environment=env.environment,
    image="registry.example.com/aggregate:v1.0",
    resources=volley.ResourceRequirementsArgs(requests={"cpu": "2", "memory": "4Gi"}),
    replicas=3,
    kafka=volley.KafkaSpecArgs(bootstrap_servers="kafka.default.svc:9092", consumer_group="aggregate", topics=["events"]),
    # Each distributed application gets its own EFS access point and directory.
    cluster=volley.ClusterSpecArgs(max_key_groups=256),
    # One worker per stream node: maxReplicas fits streamNodePool.maxSize (6), or the preview fails.
    autoscaling=volley.AutoscalingSpecArgs(
        enabled=True, min_replicas=2, max_replicas=6,
        triggers=[volley.AutoscalingTriggerArgs(type="kafka", metadata={"topic": "events", "lagThreshold": "1000"})],
    ),
)

pulumi.export("kubeconfig", env.kubeconfig)
pulumi.export("clusterName", env.cluster_name)
pulumi.export("fileSystemId", env.file_system_id)
pulumi.export("ingestName", ingest.name)
pulumi.export("aggregateClaim", aggregate.claim_name)
