"""A Volley environment on an existing cluster and two applications: a
single-pod pipeline and a distributed aggregator autoscaled on Kafka lag."""
import pulumi
import pulumi_volley as volley

config = pulumi.Config()
# KEDA and kube-prometheus-stack; off where they are installed otherwise.
addons = config.get_bool("addons")
addons = True if addons is None else addons
# Wait in `pulumi up` until the operator reports each application Running.
await_running = config.get_bool("awaitRunning")
await_running = True if await_running is None else await_running
await_timeout_seconds = config.get_int("awaitTimeoutSeconds") or 600

env = volley.KubernetesEnvironment(
    "dev",
    # The Volley operator image you built and pushed (README "Build the operator image").
    operator={"image": config.require("operatorImage")},
    kubeconfig=config.get_secret("kubeconfig"),
    checkpoints=volley.CheckpointStorageArgs(
        nfs=volley.NfsExportArgs(server=config.get("nfsServer") or "nfs.storage.svc.cluster.local", path="/exports/volley"),
        size="20Gi",
    ),
    # Charts come from their repositories unless a local copy is configured
    # (a chart directory or .tgz, for machines that cannot reach a chart repository).
    keda=volley.KedaSettingsArgs(enabled=addons, chart_path=config.get("kedaChartPath")),
    prometheus=volley.PrometheusSettingsArgs(
        mode=volley.PrometheusMode.STACK if addons else volley.PrometheusMode.NONE,
        chart_path=config.get("prometheusChartPath"),
    ),
)

ingest = volley.Application(
    "ingest",
    environment=env.environment,
    image="registry.example.com/ingest:v1.0",
    resources=volley.ResourceRequirementsArgs(requests={"cpu": "500m", "memory": "1Gi"}, limits={"cpu": "1", "memory": "2Gi"}),
    env=[volley.EnvVarArgs(name="RUST_LOG", value="info")],
    await_running=await_running,
    await_timeout_seconds=await_timeout_seconds,
)

# Limits equal to requests: a pipeline never takes more than it reserved (the policy pack asks for limits).
aggregate_cpu = config.get("aggregateCpu") or "2"
aggregate = volley.Application(
    "aggregate",
    environment=env.environment,
    image="registry.example.com/aggregate:v1.0",
    resources=volley.ResourceRequirementsArgs(
        requests={"cpu": aggregate_cpu, "memory": "4Gi"}, limits={"cpu": aggregate_cpu, "memory": "4Gi"}
    ),
    replicas=config.get_int("aggregateReplicas") or 3,
    kafka=volley.KafkaSpecArgs(bootstrap_servers="kafka.default.svc:9092", consumer_group="aggregate", topics=["events"]),
    cluster=volley.ClusterSpecArgs(max_key_groups=256),
    # Scales on Kafka lag where KEDA is installed (addons).
    autoscaling=volley.AutoscalingSpecArgs(
        enabled=addons, min_replicas=2, max_replicas=8,
        triggers=[volley.AutoscalingTriggerArgs(type="kafka", metadata={"topic": "events", "lagThreshold": "1000"})],
    ),
    env=[volley.EnvVarArgs(name="DB_PASSWORD", value_from=volley.EnvVarSourceArgs(
        secret_key_ref=volley.KeySelectorArgs(name="db-creds", key="password")))],
    await_running=await_running,
    await_timeout_seconds=await_timeout_seconds,
)

pulumi.export("operatorNamespace", env.operator_namespace)
pulumi.export("ingestName", ingest.name)
pulumi.export("aggregateClaim", aggregate.claim_name)
pulumi.export("aggregatePhase", aggregate.phase)
