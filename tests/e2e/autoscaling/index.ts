// The local cluster's autoscaling proof (tests/e2e/autoscaling.sh, issue 23)
// and the scale-out benchmark (tools/bench/autoscale.sh): a KubernetesEnvironment
// whose stream pool is a Karpenter NodePool on Karpenter's kwok provider, with
// the real KEDA operator judging the ScaledObjects the applications lead to.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
const kubeconfig = config.requireSecret("kubeconfig");
const awaitRunning = config.getBoolean("awaitRunning") ?? true;
const provider = new k8s.Provider("cluster", { kubeconfig });

// The cluster's own Karpenter, which KubernetesEnvironment expects to find
// running: its CRDs (the vendored karpenter-crd chart), the KWOKNodeClass CRD
// and the kwok provider's chart from Karpenter's module (its ServiceAccount,
// RBAC and Deployment, whose pod tools/localkube runs as a process).
const crds = new k8s.helm.v4.Chart("karpenter-crd", { chart: config.require("karpenterCrdChart") }, { provider });
const kwokCrd = new k8s.yaml.v2.ConfigFile("kwok-nodeclass-crd", { file: config.require("kwokNodeClassCrd") }, { provider });
const karpenter = new k8s.helm.v4.Chart("karpenter", {
    chart: config.require("karpenterChart"),
    namespace: "kube-system",
    skipCrds: true,
    values: {
        // No image runs on kwok nodes; the chart requires a name.
        controller: { image: { repository: "karpenter-kwok.invalid/controller", tag: "local" } },
        // The chart's Deployment reads all four gates, its values.yaml sets two: Karpenter
        // refuses an empty one (`parsing feature gates, invalid value of StaticCapacity`).
        settings: { featureGates: { staticCapacity: false, capacityBuffer: false, spotToSpotConsolidation: false, nodeRepair: false } },
    },
}, { provider, dependsOn: [crds, kwokCrd] });
const nodeClass = new k8s.apiextensions.CustomResource("stream-nodes", {
    apiVersion: "karpenter.kwok.sh/v1alpha1",
    kind: "KWOKNodeClass",
    metadata: { name: "volley-stream" },
}, { provider, dependsOn: [karpenter] });

const env = new volley.KubernetesEnvironment("scale", {
    operator: { image: config.require("operatorImage") },
    kubeconfig,
    // Shared checkpoints for the distributed applications (nothing mounts them: kwok runs no containers).
    checkpoints: { nfs: { server: "127.0.0.1", path: "/exports/volley" } },
    keda: { enabled: true, chartPath: config.require("kedaChart") },
    prometheus: { mode: "none" },
    streamNodes: {
        karpenter: {
            // An output of the node class: the NodePool is created after Karpenter and its CRDs.
            nodeClassRef: { group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: nodeClass.metadata.name },
            limits: { nodes: "6" },
            // Seconds, not the default 5 minutes, so scaling back down shows within the check.
            consolidateAfter: config.get("consolidateAfter") ?? "10s",
        },
    },
});

// One pod per stream node (podAntiAffinity, the default): more replicas than
// stream nodes need Karpenter's.
const stream = new volley.Application("stream", {
    environment: env.environment,
    image: "registry.example.com/stream:v1",
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
    replicas: config.getNumber("streamReplicas") ?? 1,
    cluster: {},
    awaitRunning,
    awaitTimeoutSeconds: 300,
});

// KEDA: a ScaledObject with the bounds and triggers the package renders.
const kedaCheck = new volley.Application("keda-check", {
    environment: env.environment,
    image: "registry.example.com/keda-check:v1",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    replicas: 2,
    cluster: {},
    autoscaling: {
        enabled: true, minReplicas: 2, maxReplicas: 5,
        triggers: [
            { type: "cpu", metadata: { value: "70" } },
            { type: "prometheus", metadata: { serverAddress: "http://prometheus.monitoring.svc:9090", query: "sum(volley_channel_utilization)", threshold: "0.8" } },
        ],
    },
    awaitRunning,
});

// A Kafka lag trigger that names only its threshold: the package fills in
// the bootstrap servers, consumer group and topic from `kafka`. No broker
// runs here, so KEDA can only fail to connect, after parsing the trigger.
const kafkaLag = new volley.Application("kafka-lag", {
    environment: env.environment,
    image: "registry.example.com/kafka-lag:v1",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    kafka: { bootstrapServers: "kafka.volley-e2e.invalid:9092", consumerGroup: "kafka-lag", topics: ["events"] },
    cluster: {},
    autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 3, triggers: [{ type: "kafka", metadata: { lagThreshold: "100" } }] },
    awaitRunning,
});

export const streamPhase = stream.phase;
export const kedaCheckPhase = kedaCheck.phase;
export const kafkaLagPhase = kafkaLag.phase;
