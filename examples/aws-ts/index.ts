// A Volley environment on AWS: a new VPC over three AZs, an EKS cluster with a
// system, a dedicated stream and a Kafka node group, EFS for shared
// checkpoints, KEDA, Prometheus and Kafka (Strimzi); and two applications: a
// single-pod pipeline and a distributed aggregator that owns the `events`
// topic and autoscales on its consumer lag.
import * as pulumi from "@pulumi/pulumi";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").get("region") ?? "us-west-2";
// Zones: set `availabilityZones` (see `aws ec2 describe-availability-zones`); without it the
// example assumes <region>a, b and c exist and are enabled for the account, which is not true everywhere.
const azs = config.getObject<string[]>("availabilityZones") ?? ["a", "b", "c"].map((z) => `${region}${z}`);
// The only network that reaches the API server's public endpoint, e.g. your public IP as a /32: no open default.
const adminCidr = config.require("adminCidr");

const env = new volley.AwsEnvironment("dev", {
    // The Volley operator image you built and pushed (README "Build the operator image").
    operator: { image: config.require("operatorImage") },
    tags: { team: "data-platform" },
    vpc: { cidrBlock: "10.0.0.0/16", availabilityZones: azs, natGateways: "single" },
    cluster: { version: "1.36", deployerRoleArn: config.get("deployerRoleArn"), publicAccessCidrs: [adminCidr] },
    // Karpenter (the default provisioner) adds a stream node per pipeline pod as applications scale, up to maxSize, and removes empty ones.
    streamNodePool: { instanceTypes: ["m6i.2xlarge"], maxSize: 6 },
    // Checkpoints survive `pulumi destroy` unless retainOnDelete is false.
    efs: { throughputMode: "elastic", csiIdentity: "podIdentity" },
    // The Strimzi operator and a 3-broker KRaft cluster on the Kafka node group, broker claims on gp3 (README "Kafka in the environment").
    kafka: { mode: "strimzi" },
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
    // The environment's bootstrap servers, the group from the name, and the topic declared here.
    kafka: { topics: ["events"] },
    // Partitions cap the consumers: at least maxReplicas (checked at preview). Retained on delete.
    kafkaTopics: [{ name: "events", partitions: 12, replicas: 3 }],
    // Each distributed application gets its own EFS access point and directory.
    cluster: { maxKeyGroups: 256 },
    // One worker per stream node: maxReplicas fits streamNodePool.maxSize (6), or the preview fails.
    autoscaling: {
        enabled: true, minReplicas: 2, maxReplicas: 6,
        triggers: [{ type: "kafka", metadata: { topic: "events", lagThreshold: "1000" } }],
    },
});

export const kubeconfig = env.kubeconfig;
export const clusterName = env.clusterName;
export const fileSystemId = env.fileSystemId;
export const ingestName = ingest.name;
export const aggregateClaim = aggregate.claimName;
