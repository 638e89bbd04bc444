// A Volley environment on an existing cluster (the ambient kubeconfig unless
// `kubeconfig` is configured) with Kafka (Strimzi), and two applications: a
// single-pod pipeline and a distributed aggregator that owns the `events`
// topic and autoscales on its consumer lag.
import * as pulumi from "@pulumi/pulumi";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
// KEDA and kube-prometheus-stack; off where they are installed otherwise.
const addons = config.getBoolean("addons") ?? true;
// Wait in `pulumi up` until the operator reports each application Running.
const awaitRunning = config.getBoolean("awaitRunning") ?? true;
const awaitTimeoutSeconds = config.getNumber("awaitTimeoutSeconds") ?? 600;
// Critical alerts go to a webhook whose URL is in this Secret (key `url`) in
// the monitoring namespace; you create it, so the URL never enters the state.
const alertWebhookSecret = config.get("alertWebhookSecret");
// Kafka in the environment: the Strimzi operator and a 3-broker KRaft cluster
// on the nodes labelled volley.io/pool=kafka and tainted
// volley.io/kafka=true:NoSchedule (README "Kafka in the environment").
// `kafka: false` where there are none; the aggregator then names a Kafka of its own.
const kafkaOn = config.getBoolean("kafka") ?? true;

const env = new volley.KubernetesEnvironment("dev", {
    // The Volley operator image you built and pushed (README "Build the operator image").
    operator: { image: config.require("operatorImage") },
    kubeconfig: config.getSecret("kubeconfig"),
    checkpoints: { nfs: { server: config.get("nfsServer") ?? "nfs.storage.svc.cluster.local", path: "/exports/volley" }, size: "20Gi" },
    // Charts come from their repositories unless a local copy is configured
    // (a chart directory or .tgz, for machines that cannot reach a chart repository).
    keda: { enabled: addons, chartPath: config.get("kedaChartPath") },
    prometheus: {
        mode: addons ? "stack" : "none",
        chartPath: config.get("prometheusChartPath"),
        alerting: alertWebhookSecret ? { receivers: [{ name: "oncall", severities: ["critical"], webhookUrl: { name: alertWebhookSecret, key: "url" } }] } : undefined,
    },
    kafka: kafkaOn ? { mode: "strimzi", strimzi: { chartPath: config.get("strimziChartPath") } } : undefined,
});

const ingest = new volley.Application("ingest", {
    environment: env.environment,
    image: "registry.example.com/ingest:v1.0",
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    env: [{ name: "RUST_LOG", value: "info" }],
    awaitRunning,
    awaitTimeoutSeconds,
});

// Limits equal to requests: a pipeline never takes more than it reserved (the policy pack asks for limits).
const aggregateCpu = config.get("aggregateCpu") ?? "2";
const aggregate = new volley.Application("aggregate", {
    environment: env.environment,
    image: "registry.example.com/aggregate:v1.0",
    resources: { requests: { cpu: aggregateCpu, memory: "4Gi" }, limits: { cpu: aggregateCpu, memory: "4Gi" } },
    replicas: config.getNumber("aggregateReplicas") ?? 3,
    // With Kafka in the environment: its bootstrap servers, the group from the name, and the topic declared here.
    kafka: kafkaOn ? { topics: ["events"] } : { bootstrapServers: "kafka.default.svc:9092", consumerGroup: "aggregate", topics: ["events"] },
    // Partitions cap the consumers: at least maxReplicas (checked at preview). Retained on delete.
    kafkaTopics: kafkaOn ? [{ name: "events", partitions: config.getNumber("eventsPartitions") ?? 12, replicas: 3 }] : undefined,
    cluster: { maxKeyGroups: 256 },
    // Scales on Kafka lag where KEDA is installed (addons).
    autoscaling: {
        enabled: addons, minReplicas: 2, maxReplicas: 8,
        triggers: [{ type: "kafka", metadata: { topic: "events", lagThreshold: "1000" } }],
    },
    env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-creds", key: "password" } } }],
    awaitRunning,
    awaitTimeoutSeconds,
});

export const operatorNamespace = env.operatorNamespace;
export const ingestName = ingest.name;
export const aggregateClaim = aggregate.claimName;
export const aggregatePhase = aggregate.phase;
// For Applications in other stacks: `new pulumi.StackReference(...).getOutput("environment")`
// (a secret: it holds the kubeconfig).
export const environment = env.environment;
// The bootstrap servers the applications were given (known at preview; empty without Kafka).
// Not a secret, unlike the rest of `environment` (its kubeconfig).
export const kafkaBootstrapServers = pulumi.unsecret(env.environment.apply((e) => e.kafka?.bootstrapServers ?? ""));
