// Inputs of Kafka in an environment (`kafka` on every environment) and their
// documented defaults. Strimzi installs and runs a KRaft cluster; `external`
// only describes one that runs elsewhere (MSK, Confluent, Event Hubs...).
import * as pulumi from "@pulumi/pulumi";
import type { ChartSettings } from "../keda";
import type { Taint } from "../../core/types";
import type { ResourceRequirements } from "../volleySpec";
import type { AlertTuning } from "../observability/settings";

/** Where the environment's Kafka comes from. */
export const KafkaMode = {
    /** The Strimzi operator and one KRaft Kafka cluster, installed by the environment. */
    Strimzi: "strimzi",
    /** A Kafka cluster that runs elsewhere; the environment installs nothing and hands its address to applications. */
    External: "external",
} as const;
export type KafkaMode = (typeof KafkaMode)[keyof typeof KafkaMode];

/** How clients authenticate to the Strimzi cluster. */
export const KafkaAuthentication = {
    /** No client authentication; applications use the plain listener (port 9092) inside the cluster. */
    None: "none",
    /** SASL SCRAM-SHA-512 on the TLS listener (port 9093); each Application gets a KafkaUser with ACLs. */
    ScramSha512: "scram-sha-512",
    /** Mutual TLS on the TLS listener (port 9093); each Application gets a KafkaUser with ACLs. */
    Tls: "tls",
} as const;
export type KafkaAuthentication = (typeof KafkaAuthentication)[keyof typeof KafkaAuthentication];

/** A key of a Secret in each application's namespace (its value never enters the Pulumi state). */
export interface KafkaSecretKey {
    /** Name of the Secret. */
    name: pulumi.Input<string>;
    /** Key within the Secret. */
    key: pulumi.Input<string>;
}

/** SASL settings of an external Kafka. */
export interface ExternalKafkaSasl {
    /** SASL mechanism, Kafka's spelling: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512` or `OAUTHBEARER`. */
    mechanism: pulumi.Input<string>;
    /** Secret key holding the user name. */
    usernameSecret?: pulumi.Input<KafkaSecretKey>;
    /** Secret key holding the password (for Event Hubs: the connection string). */
    passwordSecret?: pulumi.Input<KafkaSecretKey>;
}

/** A Kafka cluster that runs elsewhere. */
export interface ExternalKafkaSettings {
    /** Bootstrap servers, `host:port[,host:port...]`. Required. */
    bootstrapServers: pulumi.Input<string>;
    /** TLS to the brokers. Defaults to `false`, or `true` when `caSecret` or `sasl` is set. */
    tls?: pulumi.Input<boolean>;
    /** Secret key holding the PEM CA certificate that signs the brokers' certificates; omit for a public CA. */
    caSecret?: pulumi.Input<KafkaSecretKey>;
    /** SASL authentication; omit for none. */
    sasl?: pulumi.Input<ExternalKafkaSasl>;
    /** Number of brokers, for the replication checks at preview; omit when unknown (no check). */
    brokers?: pulumi.Input<number>;
}

/** Nodes the Kafka brokers and controllers run on, described by their labels and taints. */
export interface KafkaNodes {
    /** Labels of the Kafka nodes (brokers require them). Defaults to `{ "volley.io/pool": "kafka" }`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Taints of the Kafka nodes, which brokers tolerate. Defaults to `volley.io/kafka=true:NoSchedule`. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

/** Persistent storage of one Kafka node pool. */
export interface KafkaStorage {
    /** Size of each node's claim, a Kubernetes quantity. Cannot shrink. Defaults to `100Gi` for brokers, `20Gi` for dedicated controllers. */
    size?: pulumi.Input<string>;
    /** StorageClass of the claims (block storage, ReadWriteOnce). Defaults to the environment's block StorageClass, else the cluster default. */
    storageClassName?: pulumi.Input<string>;
}

/** The Strimzi operator and one KRaft Kafka cluster. */
export interface StrimziKafkaSettings extends ChartSettings {
    /** Namespace of the operator, the Kafka cluster, its topics, users and broker claims (retained on delete). Defaults to `kafka`. */
    namespace?: pulumi.Input<string>;
    /** Name of the `Kafka` resource; the bootstrap Service is `<clusterName>-kafka-bootstrap`. Defaults to `volley`. */
    clusterName?: pulumi.Input<string>;
    /** Brokers (node pool `broker`). Defaults to `3`. */
    brokers?: pulumi.Input<number>;
    /** Dedicated KRaft controllers (node pool `controller`): 0 makes the brokers controllers too (one combined pool, for small clusters); else 3 or 5. Plain: it decides whether the pool exists. Defaults to `0`. */
    controllers?: number;
    /** Broker storage. */
    brokerStorage?: pulumi.Input<KafkaStorage>;
    /** Controller storage (dedicated controllers only). */
    controllerStorage?: pulumi.Input<KafkaStorage>;
    /** CPU and memory per broker. Defaults to requests 500m/2Gi, memory limit 2Gi. */
    brokerResources?: pulumi.Input<ResourceRequirements>;
    /** CPU and memory per dedicated controller. Defaults to requests 250m/1Gi, memory limit 1Gi. */
    controllerResources?: pulumi.Input<ResourceRequirements>;
    /** The nodes brokers and controllers run on (one broker per node). */
    nodes?: pulumi.Input<KafkaNodes>;
    /** Client authentication: `none`, `scram-sha-512` or `tls`. With authentication each Application gets a KafkaUser with ACLs on its topics and group, and must run in the Kafka namespace, where its credentials Secret is. Defaults to `none`. */
    authentication?: pulumi.Input<KafkaAuthentication>;
    /** Broker configuration (`Kafka.spec.kafka.config`), merged over the package's replication defaults (yours win). */
    config?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Kafka version; must be one the pinned Strimzi supports. Defaults to `4.3.1`. */
    kafkaVersion?: pulumi.Input<string>;
    /** KRaft metadata version; defaults to the one Strimzi pairs with `kafkaVersion` (`4.3-IV0` for 4.3.x). */
    metadataVersion?: pulumi.Input<string>;
    /** VolleyKafkaConsumerGroupLag, with Prometheus in the environment: a consumer group's lag on a topic (Kafka Exporter's `kafka_consumergroup_lag`) above `threshold` messages and not shrinking. Defaults: warning, 10m, 10000. */
    consumerLagAlert?: pulumi.Input<AlertTuning>;
}

/** Kafka in the environment: installed with Strimzi, or an external cluster described. */
export interface KafkaSettings {
    /** `strimzi` (the environment installs the operator and a cluster) or `external` (nothing installed). Plain: it decides which resources exist. */
    mode: KafkaMode;
    /** Strimzi settings (mode `strimzi`). */
    strimzi?: StrimziKafkaSettings;
    /** The external cluster (mode `external`). */
    external?: pulumi.Input<ExternalKafkaSettings>;
}

export const STRIMZI_CHART = {
    chart: "strimzi-kafka-operator",
    version: "1.2.0",
    // Published as an OCI artifact only (strimzi Makefile, helm push to quay.io/strimzi-helm).
    repo: "oci://quay.io/strimzi-helm/strimzi-kafka-operator",
};

/**
 * Kafka versions the pinned Strimzi supports, and its default, from
 * kafka-versions.yaml at strimzi-kafka-operator tag 1.2.0 (2026-08-18).
 */
export const STRIMZI_KAFKA_VERSIONS: Record<string, string> = {
    "4.2.0": "4.2-IV1",
    "4.2.1": "4.2-IV1",
    "4.3.0": "4.3-IV0",
    "4.3.1": "4.3-IV0",
};

/** Kafka's own listener ports in Strimzi's examples (examples/kafka/*.yaml at 1.2.0). */
export const LISTENERS = { plain: { name: "plain", port: 9092 }, tls: { name: "tls", port: 9093 } } as const;

export const KAFKA_POOL_LABELS = { "volley.io/pool": "kafka" };
export const KAFKA_POOL_TAINTS: { key: string; value: string; effect: "NoSchedule" }[] = [
    { key: "volley.io/kafka", value: "true", effect: "NoSchedule" },
];

export const STRIMZI_DEFAULTS = {
    namespace: "kafka",
    clusterName: "volley",
    brokers: 3,
    controllers: 0,
    kafkaVersion: "4.3.1",
    metadataVersion: "4.3-IV0",
    authentication: KafkaAuthentication.None as KafkaAuthentication,
    brokerStorage: "100Gi",
    // Controllers keep only the KRaft metadata log.
    controllerStorage: "20Gi",
    brokerResources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
    controllerResources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
};

/** Kafka's own default for a topic without `partitions` (broker config `num.partitions`, Kafka documentation). */
export const KAFKA_DEFAULT_PARTITIONS = 1;
