"""A Volley environment on AKS (resource group, VNet, cluster with its System
pool and a tainted stream pool, Azure Files NFS behind a private endpoint for
shared checkpoints, KEDA, Prometheus, the operator) and two applications: a
single-pod pipeline and a distributed aggregator autoscaled on Kafka lag. The
region comes from `azure-native:location` (Pulumi.yaml)."""
import pulumi
import pulumi_volley as volley

config = pulumi.Config()
spot = config.get_bool("spot") or False
# The only network that reaches the API server, e.g. your public IP as a /32: no open default.
admin_cidr = config.require("adminCidr")

env = volley.AzureEnvironment(
    "dev",
    # The Volley operator image you built and pushed (README "Build the operator image").
    operator={"image": config.require("operatorImage")},
    tags={"team": "data-platform"},
    cluster=volley.AksClusterSettingsArgs(tier=volley.AksTier.STANDARD, api_server_authorized_ip_ranges=[admin_cidr]),
    stream_node_pool=volley.AzureNodePoolSettingsArgs(
        vm_size="Standard_D8ds_v5",
        spot=spot,
        autoscaling=volley.AksNodeAutoscalingArgs(min_count=1, max_count=6),
        zones=["1", "2", "3"],
    ),
    # Zone-redundant checkpoints for a pool over three zones (set at creation only).
    checkpoints=volley.AzureFilesSettingsArgs(sku="Premium_ZRS", quota_gib=1024, share_name="checkpoints", default_claim_size="100Gi"),
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
    # Shared checkpoints: its own directory on the Azure Files share, a static NFS PersistentVolume and RWX claim.
    cluster=volley.ClusterSpecArgs(max_key_groups=256),
    # One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxCount (6), or the preview fails.
    autoscaling=volley.AutoscalingSpecArgs(
        enabled=True, min_replicas=2, max_replicas=6,
        triggers=[volley.AutoscalingTriggerArgs(type="kafka", metadata={"topic": "events", "lagThreshold": "1000"})],
    ),
)

pulumi.export("clusterName", env.cluster_name)
pulumi.export("resourceGroupName", env.resource_group_name)
pulumi.export("kubeconfig", env.kubeconfig)
pulumi.export("storageAccountName", env.storage_account_name)
pulumi.export("streamNodePool", env.stream_node_pool_name)
pulumi.export("ingestName", ingest.name)
pulumi.export("aggregateClaim", aggregate.claim_name)
