// A Volley environment on AKS: a resource group and VNet, an AKS cluster
// (Azure CNI overlay, workload identity) with its System pool and a tainted
// stream pool, Azure Files NFS behind a private endpoint for shared
// checkpoints, KEDA, Prometheus and the operator. Then two applications: a
// single-pod pipeline and a distributed aggregator that autoscales on Kafka
// lag, whose shared checkpoints live on Azure Files. The region comes from
// `azure-native:location` (Pulumi.yaml).
import * as pulumi from "@pulumi/pulumi";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
// The only network that reaches the API server, e.g. your public IP as a /32: no open default.
const adminCidr = config.require("adminCidr");

const env = new volley.AzureEnvironment("dev", {
    // The Volley operator image you built and pushed (README "Build the operator image").
    operator: { image: config.require("operatorImage") },
    tags: { team: "data-platform" },
    cluster: { tier: "Standard", apiServerAuthorizedIpRanges: [adminCidr] },
    streamNodePool: {
        vmSize: "Standard_D8ds_v5",
        spot: config.getBoolean("spot") ?? false,
        autoscaling: { minCount: 1, maxCount: 6 },
        zones: ["1", "2", "3"],
    },
    // Zone-redundant checkpoints for a pool over three zones (set at creation only).
    checkpoints: { sku: "Premium_ZRS", quotaGib: 1024, shareName: "checkpoints", defaultClaimSize: "100Gi" },
});

const ingest = new volley.Application("ingest", {
    environment: env.environment,
    image: "registry.example.com/ingest:v1.0",
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    env: [{ name: "RUST_LOG", value: "info" }],
});

const aggregate = new volley.Application("aggregate", {
    environment: env.environment,
    image: "registry.example.com/aggregate:v1.0",
    resources: { requests: { cpu: "2", memory: "4Gi" } },
    replicas: 3,
    kafka: { bootstrapServers: "kafka.default.svc:9092", consumerGroup: "aggregate", topics: ["events"] },
    // Shared checkpoints: its own directory on the Azure Files share, a static NFS PersistentVolume and RWX claim.
    cluster: { maxKeyGroups: 256 },
    // One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxCount (6), or the preview fails.
    autoscaling: {
        enabled: true, minReplicas: 2, maxReplicas: 6,
        triggers: [{ type: "kafka", metadata: { topic: "events", lagThreshold: "1000" } }],
    },
});

export const clusterName = env.clusterName;
export const resourceGroupName = env.resourceGroupName;
export const kubeconfig = env.kubeconfig;
export const storageAccountName = env.storageAccountName;
export const streamNodePool = env.streamNodePoolName;
export const ingestName = ingest.name;
export const aggregateClaim = aggregate.claimName;
