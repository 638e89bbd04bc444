// A Volley environment on GKE: a new VPC network with Cloud NAT, a private
// GKE cluster, system and stream node pools, a Filestore instance for shared
// checkpoints, KEDA, Prometheus and the operator. Then two applications: a
// single-pod pipeline and a distributed aggregator that autoscales on Kafka
// lag, whose shared checkpoints live on Filestore.
import * as pulumi from "@pulumi/pulumi";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
const project = config.require("project");
// A zone gives a zonal cluster (BASIC_HDD Filestore); a region, a regional one (REGIONAL Filestore).
const location = config.get("location") ?? "us-central1-a";
// The only network that reaches the control plane, e.g. your public IP as a /32: no open default.
const adminCidr = config.require("adminCidr");

const env = new volley.GcpEnvironment("dev", {
    // The Volley operator image you built and pushed (README "Build the operator image").
    operator: { image: config.require("operatorImage") },
    project,
    location,
    labels: { team: "data-platform" },
    cluster: {
        releaseChannel: "REGULAR",
        authorizedNetworks: [{ cidrBlock: adminCidr, displayName: "admins" }],
    },
    streamNodePool: {
        machineType: "n2-standard-8",
        spot: config.getBoolean("spot") ?? false,
        autoscaling: { minNodes: 1, maxNodes: 6 },
    },
    checkpoints: { capacityGib: 1024, shareName: "checkpoints", defaultClaimSize: "100Gi" },
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
    // Shared checkpoints: a static Filestore PersistentVolume and RWX claim for this app.
    cluster: { maxKeyGroups: 256 },
    // One worker per stream node: maxReplicas fits streamNodePool.autoscaling.maxNodes (6 per zone; one zone here), or the preview fails.
    autoscaling: {
        enabled: true, minReplicas: 2, maxReplicas: 6,
        triggers: [{ type: "kafka", metadata: { topic: "events", lagThreshold: "1000" } }],
    },
    env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-creds", key: "password" } } }],
});

export const clusterName = env.clusterName;
export const kubeconfig = env.kubeconfig;
export const filestoreIp = env.filestoreIp;
export const streamNodePool = env.streamNodePoolName;
export const ingestName = ingest.name;
export const aggregateClaim = aggregate.claimName;
