// Kafka's metrics in the environment's Prometheus: the brokers' JMX exporter
// rules (so the Strimzi chart's Grafana dashboards find their series), the
// PodMonitors of brokers, Entity Operator, Kafka Exporter and cluster
// operator, and a consumer-lag alert from Kafka Exporter, which keeps working
// while an application is down (its own volley_kafka_consumer_lag does not).
// Pure: tested as data, with promtool, and against the chart's dashboards.
import * as yaml from "js-yaml";

export const JMX_CONFIG_KEY = "kafka-metrics-config.yml";
export const metricsConfigMapName = (clusterName: string) => `${clusterName}-kafka-metrics`;
/** Strimzi's metrics port name on brokers and Kafka Exporter (MetricsModel.METRICS_PORT_NAME at 1.2.0). */
export const METRICS_PORT = "tcp-prometheus";
/** The Entity Operator's health-and-metrics ports (EntityTopicOperator / EntityUserOperator at 1.2.0, renamed in 1.1.0). */
export const ENTITY_OPERATOR_PORTS = ["healthcheck-to", "healthcheck-uo"];

/**
 * JMX exporter rules, written for the series the chart's dashboards query
 * (files/grafana-dashboards/strimzi-kafka.json, strimzi-kraft.json). The JMX
 * exporter matches each rule, in order, against
 * `domain<key=value, ...><>attribute: value` (unanchored) and takes the first
 * match; names are lower-cased and anything but [a-zA-Z0-9_:] becomes "_".
 */
export const JMX_RULES: { pattern: string; name: string; type: "GAUGE" | "COUNTER"; labels?: Record<string, string> }[] = [
    // Per-partition gauges (kafka.cluster Partition, kafka.log Log).
    { pattern: "kafka.(\\w+)<type=(.+), name=(.+), topic=(.+), partition=(.*)><>Value", name: "kafka_$1_$2_$3", type: "GAUGE", labels: { topic: "$4", partition: "$5" } },
    // Rates as running counts (BrokerTopicMetrics, ControllerStats), per topic where the bean has one.
    { pattern: "kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, topic=(.+)><>Count", name: "kafka_$1_$2_$3_total", type: "COUNTER", labels: { topic: "$4" } },
    { pattern: "kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count", name: "kafka_$1_$2_$3_total", type: "COUNTER" },
    // Idle ratios: request handlers are a meter (the last minute), network processors a gauge.
    { pattern: "kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>(OneMinuteRate|Value)", name: "kafka_$1_$2_$3_percent", type: "GAUGE" },
    // Plain gauges (ReplicaManager, KafkaController, KafkaServer's linux-disk-*).
    { pattern: "kafka.(\\w+)<type=(.+), name=(.+)><>Value", name: "kafka_$1_$2_$3", type: "GAUGE" },
    // Connections per listener and network processor.
    { pattern: "kafka.server<type=(.+), listener=(.+), networkProcessor=(.+)><>(connection-count)", name: "kafka_server_$1_$4", type: "GAUGE", labels: { listener: "$2", networkProcessor: "$3" } },
    // KRaft: the metadata log and the controllers' channel.
    // (The attribute ends at ": <value>", which the unanchored match would otherwise take into the name.)
    { pattern: "kafka.server<type=raft-metrics><>([^:]+):", name: "kafka_server_raftmetrics_$1", type: "GAUGE" },
    { pattern: "kafka.server<type=raft-channel-metrics><>([^:]+-total):", name: "kafka_server_raftchannelmetrics_$1", type: "COUNTER" },
];

/** The ConfigMap `Kafka.spec.kafka.metricsConfig` points at. */
export function metricsConfigMap(clusterName: string, namespace: string): any {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: metricsConfigMapName(clusterName), namespace, labels: { "app.kubernetes.io/part-of": "volley" } },
        data: { [JMX_CONFIG_KEY]: yaml.dump({ lowercaseOutputName: true, rules: JMX_RULES }, { lineWidth: -1 }) },
    };
}

/**
 * Relabelings the Strimzi dashboards rely on: the pods' strimzi.io/* labels as
 * `strimzi_io_*` and the pod name as `kubernetes_pod_name` (their queries and
 * variables select on them).
 */
const RELABELINGS = [
    { action: "labelmap", regex: "__meta_kubernetes_pod_label_(strimzi_io_.+)", replacement: "$1" },
    { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "kubernetes_pod_name" },
];

export interface PodMonitorSpec { name: string; selector: Record<string, string>; ports: string[] }

/** The PodMonitors, in podMonitorSpecs' order (child names of StrimziKafka: never change them without an alias). */
export const POD_MONITOR_KINDS = ["kafka", "entity-operator", "kafka-exporter", "cluster-operator"] as const;

/** What is scraped: brokers and controllers, Entity Operator, Kafka Exporter, the cluster operator. */
export function podMonitorSpecs(clusterName: string): PodMonitorSpec[] {
    return [
        { name: `${clusterName}-kafka`, selector: { "strimzi.io/cluster": clusterName, "strimzi.io/name": `${clusterName}-kafka` }, ports: [METRICS_PORT] },
        { name: `${clusterName}-entity-operator`, selector: { "strimzi.io/cluster": clusterName, "strimzi.io/name": `${clusterName}-entity-operator` }, ports: ENTITY_OPERATOR_PORTS },
        { name: `${clusterName}-kafka-exporter`, selector: { "strimzi.io/cluster": clusterName, "strimzi.io/name": `${clusterName}-kafka-exporter` }, ports: [METRICS_PORT] },
        // The chart's Deployment: pod label strimzi.io/kind=cluster-operator, port `http` (its /metrics).
        { name: "strimzi-cluster-operator", selector: { "strimzi.io/kind": "cluster-operator" }, ports: ["http"] },
    ];
}

export function renderPodMonitor(s: PodMonitorSpec, namespace: string): any {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: s.name, namespace, labels: { "app.kubernetes.io/part-of": "volley" } },
        spec: {
            selector: { matchLabels: s.selector },
            namespaceSelector: { matchNames: [namespace] },
            podMetricsEndpoints: s.ports.map((port) => ({ port, path: "/metrics", interval: "30s", relabelings: RELABELINGS })),
        },
    };
}

export const KAFKA_LAG_ALERT = "VolleyKafkaConsumerGroupLag";
export const KAFKA_RULE_GROUP = "volley.kafka";
export const LAG_WINDOW = "10m";

/** The lag alert's tuning with defaults filled in. */
export interface KafkaLagAlert { enabled: boolean; severity: string; forDuration: string; threshold: number; labels: Record<string, string> }
export const KAFKA_LAG_DEFAULTS: KafkaLagAlert = { enabled: true, severity: "warning", forDuration: "10m", threshold: 10000, labels: {} };

export function resolveKafkaLagAlert(t: any, labels?: Record<string, string>): KafkaLagAlert {
    const d = KAFKA_LAG_DEFAULTS;
    return {
        enabled: t?.enabled ?? d.enabled, severity: t?.severity ?? d.severity, forDuration: t?.forDuration ?? d.forDuration,
        threshold: t?.threshold ?? d.threshold, labels: { ...(labels ?? {}) },
    };
}

/**
 * The PrometheusRule spec (also a promtool rule file): a consumer group's lag
 * on a topic above the threshold and not shrinking, from Kafka Exporter's
 * `kafka_consumergroup_lag` (per group, topic and partition). It keeps firing
 * while the group's consumers are down, which is when it matters.
 */
export function renderKafkaRuleSpec(clusterName: string, namespace: string, a: KafkaLagAlert): { groups: { name: string; rules: any[] }[] } {
    const sel = `{namespace="${namespace}", strimzi_io_cluster="${clusterName}"}`;
    const by = "namespace, strimzi_io_cluster, consumergroup, topic";
    const lag = `sum by (${by}) (kafka_consumergroup_lag${sel})`;
    const rules = a.enabled ? [{
        alert: KAFKA_LAG_ALERT,
        expr: `${lag} > ${a.threshold} and on (${by}) sum by (${by}) (delta(kafka_consumergroup_lag${sel}[${LAG_WINDOW}])) >= 0`,
        for: a.forDuration,
        labels: { ...a.labels, severity: a.severity },
        annotations: {
            summary: "Kafka consumer group {{ $labels.consumergroup }} falls behind on {{ $labels.topic }}",
            description: `Consumer group {{ $labels.consumergroup }} has more than ${a.threshold} messages of lag on topic {{ $labels.topic }} ` +
                `(Kafka cluster {{ $labels.namespace }}/{{ $labels.strimzi_io_cluster }}), not shrinking for ${a.forDuration}. ` +
                "Measured by Kafka Exporter from the brokers, so it also fires while the application is down: check that its pods run, then its throughput.",
        },
    }] : [];
    return { groups: [{ name: KAFKA_RULE_GROUP, rules }] };
}
