// Strimzi settings -> the Kafka and KafkaNodePool custom resources (API
// kafka.strimzi.io/v1, the only one Strimzi 1.x serves), the chart's values and
// the EnvironmentRef's Kafka part. Pure: tested as data against the vendored
// chart's CRD schemas.
import { mergeValues } from "../render/helm";
import type { KafkaRef, Toleration } from "../../core/types";
import { tolerationsFor } from "../streamPool";
import {
    KAFKA_POOL_LABELS, KAFKA_POOL_TAINTS, KafkaAuthentication, LISTENERS, STRIMZI_DEFAULTS, STRIMZI_KAFKA_VERSIONS,
} from "./settings";
import { JMX_CONFIG_KEY, metricsConfigMapName } from "./metrics";

export const STRIMZI_API = "kafka.strimzi.io/v1";
/** Strimzi's pod labels (operator-common Labels.java at 1.2.0). */
export const STRIMZI_LABELS = {
    cluster: "strimzi.io/cluster",
    name: "strimzi.io/name",
    kind: "strimzi.io/kind",
    pool: "strimzi.io/pool-name",
    broker: "strimzi.io/broker-role",
    controller: "strimzi.io/controller-role",
};
/** Broker pool name; in combined mode it is also the controller quorum, so a later split keeps its name. */
export const BROKER_POOL = "broker";
export const CONTROLLER_POOL = "controller";
export const ZONE_KEY = "topology.kubernetes.io/zone";
const HOST_KEY = "kubernetes.io/hostname";
const PART_OF = { "app.kubernetes.io/part-of": "volley", "app.kubernetes.io/managed-by": "pulumi-volley" };

export interface ResourceValues { requests?: Record<string, string>; limits?: Record<string, string> }

/** Strimzi settings with every default filled in (plain values). */
export interface ResolvedStrimzi {
    namespace: string;
    clusterName: string;
    brokers: number;
    controllers: number;
    kafkaVersion: string;
    metadataVersion: string;
    authentication: KafkaAuthentication;
    brokerStorage: { size: string; storageClassName?: string };
    controllerStorage: { size: string; storageClassName?: string };
    brokerResources: ResourceValues;
    controllerResources: ResourceValues;
    /** The Kafka nodes' labels (required by node affinity) and the tolerations of their taints. */
    nodes: { labels: Record<string, string>; tolerations: Toleration[] };
    config: Record<string, string | number | boolean>;
}

/** Settings as given (resolved Inputs) -> every default filled in. `storageClassName`: the environment's block class. */
export function resolveStrimzi(s: any, defaults: { storageClassName?: string } = {}): ResolvedStrimzi {
    const d = STRIMZI_DEFAULTS;
    const brokers = s?.brokers ?? d.brokers;
    const storage = (given: any, size: string) => {
        const out: { size: string; storageClassName?: string } = { size: given?.size ?? size };
        const sc = given?.storageClassName ?? defaults.storageClassName;
        if (sc) out.storageClassName = sc;
        return out;
    };
    return {
        namespace: s?.namespace ?? d.namespace,
        clusterName: s?.clusterName ?? d.clusterName,
        brokers,
        controllers: s?.controllers ?? d.controllers,
        kafkaVersion: s?.kafkaVersion ?? d.kafkaVersion,
        // The metadata version that goes with the Kafka version (Strimzi's kafka-versions.yaml).
        metadataVersion: s?.metadataVersion ?? STRIMZI_KAFKA_VERSIONS[s?.kafkaVersion ?? d.kafkaVersion] ?? d.metadataVersion,
        authentication: s?.authentication ?? d.authentication,
        brokerStorage: storage(s?.brokerStorage, d.brokerStorage),
        controllerStorage: storage(s?.controllerStorage, d.controllerStorage),
        brokerResources: s?.brokerResources ?? d.brokerResources,
        controllerResources: s?.controllerResources ?? d.controllerResources,
        nodes: {
            labels: s?.nodes?.labels ?? KAFKA_POOL_LABELS,
            tolerations: tolerationsFor(s?.nodes?.taints ?? KAFKA_POOL_TAINTS),
        },
        config: { ...replicationDefaults(brokers), ...(s?.config ?? {}) },
    };
}

/**
 * Replication defaults for `brokers` brokers: three replicas (or as many as
 * there are brokers) with one fewer in sync, so one broker may be down while
 * producers with acks=all keep writing (Kafka documentation, "Replication").
 */
export function replicationDefaults(brokers: number): Record<string, number> {
    const rf = Math.max(1, Math.min(3, brokers));
    const isr = Math.max(1, rf - 1);
    return {
        "default.replication.factor": rf,
        "min.insync.replicas": isr,
        "offsets.topic.replication.factor": rf,
        "transaction.state.log.replication.factor": rf,
        "transaction.state.log.min.isr": isr,
    };
}

/** `<cluster>-kafka-bootstrap.<namespace>.svc:<port>`: Strimzi's bootstrap Service (KafkaResources.bootstrapServiceName), known at preview. */
export function bootstrapAddress(clusterName: string, namespace: string, port: number): string {
    return `${clusterName}-kafka-bootstrap.${namespace}.svc:${port}`;
}

/** The listener applications use: the TLS one when clients authenticate (credentials never cross the network in clear). */
export function clientListener(auth: KafkaAuthentication): { name: string; port: number } {
    return auth === KafkaAuthentication.None ? LISTENERS.plain : LISTENERS.tls;
}

/** Strimzi's CA certificate Secret of the cluster (KafkaResources.clusterCaCertificateSecretName). */
export function clusterCaSecret(clusterName: string): { name: string; key: string } {
    return { name: `${clusterName}-cluster-ca-cert`, key: "ca.crt" };
}

/** The EnvironmentRef's Kafka part for a Strimzi cluster. */
export function strimziKafkaRef(r: ResolvedStrimzi): KafkaRef {
    const listener = clientListener(r.authentication);
    const num = (k: string) => (r.config[k] !== undefined && !Number.isNaN(Number(r.config[k])) ? Number(r.config[k]) : undefined);
    const ref: KafkaRef = {
        mode: "strimzi",
        bootstrapServers: bootstrapAddress(r.clusterName, r.namespace, listener.port),
        securityProtocol: r.authentication === KafkaAuthentication.None ? "PLAINTEXT"
            : r.authentication === KafkaAuthentication.ScramSha512 ? "SASL_SSL" : "SSL",
        authentication: r.authentication,
        namespace: r.namespace,
        clusterName: r.clusterName,
        brokers: r.brokers,
        // Kafka's own default num.partitions is 1 when the config sets none.
        defaultPartitions: num("num.partitions") ?? 1,
    };
    if (r.authentication === KafkaAuthentication.ScramSha512) ref.saslMechanism = "SCRAM-SHA-512";
    if (r.authentication !== KafkaAuthentication.None) ref.caSecret = clusterCaSecret(r.clusterName);
    const rf = num("default.replication.factor");
    const isr = num("min.insync.replicas");
    if (rf !== undefined) ref.defaultReplicationFactor = rf;
    if (isr !== undefined) ref.minInsyncReplicas = isr;
    return ref;
}

/** Pod template: on the Kafka nodes only, one pod of this role per node, spread across zones where nodes have zones. */
export function nodePoolPodTemplate(r: ResolvedStrimzi, pool: string, role: "broker" | "controller"): Record<string, any> {
    const roleLabel = role === "broker" ? STRIMZI_LABELS.broker : STRIMZI_LABELS.controller;
    return {
        affinity: {
            // Strimzi's pod template has no nodeSelector: required node affinity on every Kafka node label.
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{
                        matchExpressions: Object.entries(r.nodes.labels).sort(([a], [b]) => a.localeCompare(b))
                            .map(([key, value]) => ({ key, operator: "In", values: [value] })),
                    }],
                },
            },
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                    labelSelector: { matchLabels: { [STRIMZI_LABELS.cluster]: r.clusterName, [roleLabel]: "true" } },
                    topologyKey: HOST_KEY,
                }],
            },
        },
        tolerations: r.nodes.tolerations,
        // ScheduleAnyway: nodes without a zone label (one-zone clusters) stay usable; since Strimzi 0.49
        // `rack` no longer adds zone spreading, so it is set here (kafka-facts.md, "Broker placement").
        topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { [STRIMZI_LABELS.cluster]: r.clusterName, [STRIMZI_LABELS.pool]: pool } },
        }],
    };
}

function poolStorage(s: { size: string; storageClassName?: string }): Record<string, any> {
    return {
        type: "jbod",
        volumes: [{
            id: 0, type: "persistent-claim", size: s.size, ...(s.storageClassName ? { class: s.storageClassName } : {}),
            // Broker data outlives the pod, the pool and the cluster (like checkpoints): never deleted with them.
            deleteClaim: false, kraftMetadata: "shared",
        }],
    };
}

/** The KafkaNodePools: `broker` (also the controllers when `controllers` is 0) and, with dedicated controllers, `controller`. */
export function renderNodePools(r: ResolvedStrimzi): any[] {
    const pool = (name: string, replicas: number, roles: string[], storage: ResolvedStrimzi["brokerStorage"], resources: ResourceValues, role: "broker" | "controller") => ({
        apiVersion: STRIMZI_API,
        kind: "KafkaNodePool",
        metadata: { name, namespace: r.namespace, labels: { [STRIMZI_LABELS.cluster]: r.clusterName, ...PART_OF } },
        spec: {
            replicas, roles, storage: poolStorage(storage), resources,
            template: { pod: nodePoolPodTemplate(r, name, role), persistentVolumeClaim: { metadata: { labels: { ...PART_OF } } } },
        },
    });
    if (r.controllers === 0) return [pool(BROKER_POOL, r.brokers, ["controller", "broker"], r.brokerStorage, r.brokerResources, "broker")];
    return [
        pool(BROKER_POOL, r.brokers, ["broker"], r.brokerStorage, r.brokerResources, "broker"),
        pool(CONTROLLER_POOL, r.controllers, ["controller"], r.controllerStorage, r.controllerResources, "controller"),
    ];
}

export interface SystemPlacement { nodeSelector?: Record<string, string>; tolerations?: Toleration[] }

/** Strimzi's pod templates have affinity but no nodeSelector: the system nodes' labels as required node affinity. */
export function systemPodTemplate(p: SystemPlacement): Record<string, any> {
    const out: Record<string, any> = {};
    const labels = Object.entries(p.nodeSelector ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (labels.length) {
        out.affinity = {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: labels.map(([key, value]) => ({ key, operator: "In", values: [value] })) }],
                },
            },
        };
    }
    if (p.tolerations?.length) out.tolerations = p.tolerations;
    return out;
}

/** Pulumi's await: `up` waits until Strimzi reports the cluster Ready for this generation. */
export const KAFKA_AWAIT = { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "1200" };

/** The `Kafka` resource: KRaft, internal plain and TLS listeners, Entity Operator and Kafka Exporter on the system nodes. */
export function renderKafka(r: ResolvedStrimzi, system: SystemPlacement): any {
    const auth = r.authentication;
    const authenticated = auth !== KafkaAuthentication.None;
    const listeners = [
        // SCRAM needs no TLS on the plain listener to keep the password off the wire, but the data is in clear: clients get the TLS one.
        { ...LISTENERS.plain, type: "internal", tls: false, ...(auth === KafkaAuthentication.ScramSha512 ? { authentication: { type: auth } } : {}) },
        { ...LISTENERS.tls, type: "internal", tls: true, ...(authenticated ? { authentication: { type: auth } } : {}) },
    ];
    const placement = systemPodTemplate(system);
    const pod = Object.keys(placement).length ? { template: { pod: placement } } : {};
    return {
        apiVersion: STRIMZI_API,
        kind: "Kafka",
        metadata: { name: r.clusterName, namespace: r.namespace, labels: { ...PART_OF }, annotations: { ...KAFKA_AWAIT } },
        spec: {
            kafka: {
                version: r.kafkaVersion,
                metadataVersion: r.metadataVersion,
                listeners,
                ...(authenticated ? { authorization: { type: "simple" } } : {}),
                config: r.config,
                metricsConfig: {
                    type: "jmxPrometheusExporter",
                    valueFrom: { configMapKeyRef: { name: metricsConfigMapName(r.clusterName), key: JMX_CONFIG_KEY } },
                },
            },
            entityOperator: { topicOperator: {}, userOperator: {}, ...pod },
            // Consumer-group lag from the brokers, which outlives the consumers (strimzi#11451).
            kafkaExporter: { topicRegex: ".*", groupRegex: ".*", ...pod },
        },
    };
}

/**
 * The chart's values: the operator on the system nodes, watching its own
 * namespace only (the Kafka cluster's), and, with a Grafana of the
 * environment, Strimzi's dashboards as ConfigMaps its sidecar loads.
 */
export function strimziValues(system: SystemPlacement, user?: Record<string, any>, dashboardsNamespace?: string): Record<string, any> {
    const base: Record<string, any> = {
        watchNamespaces: [],
        ...(system.nodeSelector && Object.keys(system.nodeSelector).length ? { nodeSelector: system.nodeSelector } : {}),
        ...(system.tolerations?.length ? { tolerations: system.tolerations } : {}),
        ...(dashboardsNamespace ? { dashboards: { enabled: true, namespace: dashboardsNamespace } } : {}),
    };
    return mergeValues(base, user);
}
