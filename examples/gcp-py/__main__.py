"""A Volley environment on GKE (new network, private cluster, system, stream
and Kafka node pools, Filestore for shared checkpoints, KEDA, Prometheus, the
operator, Kafka with Strimzi) and two applications: a single-pod pipeline and
a distributed aggregator that owns the `events` topic and is autoscaled on its
consumer lag."""
import pulumi
import pulumi_volley as volley

config = pulumi.Config()
project = config.require("project")
# A zone gives a zonal cluster (BASIC_HDD Filestore); a region, a regional one (REGIONAL Filestore).
location = config.get("location") or "us-central1-a"
spot = config.get_bool("spot") or False
# The only network that reaches the control plane, e.g. your public IP as a /32: no open default.
admin_cidr = config.require("adminCidr")

env = volley.GcpEnvironment(
    "dev",
    # The Volley operator image you built and pushed (README "Build the operator image").
    operator={"image": config.require("operatorImage")},
    project=project,
    location=location,
    labels={"team": "data-platform"},
    cluster=volley.GkeClusterSettingsArgs(
        release_channel=volley.GkeReleaseChannel.REGULAR,
        authorized_networks=[volley.GkeAuthorizedNetworkArgs(cidr_block=admin_cidr, display_name="admins")],
    ),
    stream_node_pool=volley.GcpNodePoolSettingsArgs(
        machine_type="n2-standard-8",
        spot=spot,
        autoscaling=volley.GcpNodeAutoscalingArgs(min_nodes=1, max_nodes=6),
    ),
    checkpoints=volley.FilestoreSettingsArgs(capacity_gib=1024, share_name="checkpoints", default_claim_size="100Gi"),
    # The Strimzi operator and a 3-broker KRaft cluster on the Kafka node pool,
    # broker claims on standard-rwo (README "Kafka in the environment").
    kafka=volley.KafkaSettingsArgs(mode=volley.KafkaMode.STRIMZI),
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
    # The environment's bootstrap servers, the group from the name, and the topic declared here.
    kafka=volley.KafkaSpecArgs(topics=["events"]),
    # Partitions cap the consumers: at least maxReplicas (checked at preview). Retained on delete.
    kafka_topics=[volley.KafkaTopicSpecArgs(name="events", partitions=12, replicas=3)],
    # Shared checkpoints: a static Filestore PersistentVolume and RWX claim for this app.
    cluster=volley.ClusterSpecArgs(max_key_groups=256),
    # One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxNodes (6 per zone; one zone here), or the preview fails.
    autoscaling=volley.AutoscalingSpecArgs(
        enabled=True, min_replicas=2, max_replicas=6,
        triggers=[volley.AutoscalingTriggerArgs(type="kafka", metadata={"topic": "events", "lagThreshold": "1000"})],
    ),
    env=[volley.EnvVarArgs(name="DB_PASSWORD", value_from=volley.EnvVarSourceArgs(
        secret_key_ref=volley.KeySelectorArgs(name="db-creds", key="password")))],
)

pulumi.export("clusterName", env.cluster_name)
pulumi.export("kubeconfig", env.kubeconfig)
pulumi.export("filestoreIp", env.filestore_ip)
pulumi.export("streamNodePool", env.stream_node_pool_name)
pulumi.export("ingestName", ingest.name)
pulumi.export("aggregateClaim", aggregate.claim_name)
