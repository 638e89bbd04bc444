// Kafka in the environment (issue 24): the Strimzi resources rendered as data
// and checked against the vendored chart's CRDs, values and dashboards; the
// validation of the `kafka` input and of the limits across layers.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { chartYaml } from "./charts";
import { STRIMZI_CHART_DIR, strimziErrors } from "./strimziCrds";
import {
    bootstrapAddress, renderKafka, renderNodePools, resolveStrimzi, strimziKafkaRef, strimziValues,
} from "../../provider/kubernetes/kafka/render";
import { JMX_RULES, metricsConfigMap, podMonitorSpecs, renderKafkaRuleSpec, resolveKafkaLagAlert } from "../../provider/kubernetes/kafka/metrics";
import { kafkaClientEnv, kafkaTopicObjectName, renderKafkaTopic, renderKafkaUser } from "../../provider/kubernetes/kafka/application";
import { externalKafkaRef } from "../../provider/kubernetes/kafka/environmentKafka";
import { DASHBOARD_LABEL } from "../../provider/kubernetes/observability/objects";
import { renderDashboard } from "../../provider/kubernetes/observability/dashboard";
import { Checker, UNKNOWN } from "../../provider/core/validate";
import { checkKafkaSettings } from "../../provider/kubernetes/kafka/validate";
import { validateApplication } from "../../provider/kubernetes/validate/application";
import { validateKubernetesEnvironment } from "../../provider/kubernetes/validate/platform";
import { renderVolleyApplication } from "../../provider/kubernetes/render/application";
import { ENV, GOOD_APP, OPERATOR } from "./validate.test";

const SYSTEM = { nodeSelector: { "node-role": "system" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] };

describe("Strimzi rendering", () => {
    it("renders a Kafka the vendored CRD accepts, for every authentication", () => {
        for (const authentication of ["none", "scram-sha-512", "tls"]) {
            const kafka = renderKafka(resolveStrimzi({ authentication }), SYSTEM);
            assert.deepStrictEqual(strimziErrors(kafka), [], authentication);
            assert.strictEqual(kafka.apiVersion, "kafka.strimzi.io/v1");
        }
    });

    it("KRaft with plain 9092 and TLS 9093 internal listeners, Entity Operator and Kafka Exporter on the system nodes", () => {
        const k = renderKafka(resolveStrimzi({}), SYSTEM);
        assert.deepStrictEqual(k.spec.kafka.listeners, [
            { name: "plain", port: 9092, type: "internal", tls: false },
            { name: "tls", port: 9093, type: "internal", tls: true },
        ]);
        assert.strictEqual(k.spec.kafka.authorization, undefined);
        assert.deepStrictEqual(k.spec.entityOperator.topicOperator, {});
        assert.deepStrictEqual(k.spec.entityOperator.userOperator, {});
        const affinity = k.spec.entityOperator.template.pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
        assert.deepStrictEqual(affinity.nodeSelectorTerms[0].matchExpressions, [{ key: "node-role", operator: "In", values: ["system"] }]);
        assert.deepStrictEqual(k.spec.kafkaExporter.template.pod.tolerations, SYSTEM.tolerations);
        assert.strictEqual(k.metadata.annotations["pulumi.com/waitFor"], "condition=Ready");
        // The version pair is one Strimzi 1.2.0 ships (its kafka-versions.yaml is not vendored; kafka-facts.md).
        assert.deepStrictEqual([k.spec.kafka.version, k.spec.kafka.metadataVersion], ["4.3.1", "4.3-IV0"]);
        assert.strictEqual(resolveStrimzi({ kafkaVersion: "4.2.1" }).metadataVersion, "4.2-IV1");
    });

    it("with authentication: simple authorization, the TLS listener authenticates, clients use it", () => {
        const k = renderKafka(resolveStrimzi({ authentication: "scram-sha-512" }), {});
        assert.deepStrictEqual(k.spec.kafka.authorization, { type: "simple" });
        assert.deepStrictEqual(k.spec.kafka.listeners[1].authentication, { type: "scram-sha-512" });
        const ref = strimziKafkaRef(resolveStrimzi({ authentication: "scram-sha-512", clusterName: "events", namespace: "streams" }));
        assert.strictEqual(ref.bootstrapServers, "events-kafka-bootstrap.streams.svc:9093");
        assert.strictEqual(ref.securityProtocol, "SASL_SSL");
        assert.deepStrictEqual(ref.caSecret, { name: "events-cluster-ca-cert", key: "ca.crt" });
        const tls = renderKafka(resolveStrimzi({ authentication: "tls" }), {});
        assert.strictEqual(tls.spec.kafka.listeners[0].authentication, undefined, "mTLS needs the TLS listener");
        assert.strictEqual(strimziKafkaRef(resolveStrimzi({ authentication: "tls" })).securityProtocol, "SSL");
    });

    it("bootstrap address is Strimzi's <cluster>-kafka-bootstrap Service, known before anything exists", () => {
        assert.strictEqual(bootstrapAddress("volley", "kafka", 9092), "volley-kafka-bootstrap.kafka.svc:9092");
        const ref = strimziKafkaRef(resolveStrimzi({}));
        assert.deepStrictEqual(ref, {
            mode: "strimzi", bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9092", securityProtocol: "PLAINTEXT", authentication: "none",
            namespace: "kafka", clusterName: "volley", brokers: 3, defaultPartitions: 1, defaultReplicationFactor: 3, minInsyncReplicas: 2,
        });
    });

    it("node pools: combined for small sizes, dedicated controllers on request, accepted by the CRD", () => {
        const combined = renderNodePools(resolveStrimzi({}));
        assert.deepStrictEqual(combined.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [["broker", 3, ["controller", "broker"]]]);
        const split = renderNodePools(resolveStrimzi({ brokers: 6, controllers: 3 }));
        assert.deepStrictEqual(split.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles]), [["broker", 6, ["broker"]], ["controller", 3, ["controller"]]]);
        for (const p of [...combined, ...split]) {
            assert.deepStrictEqual(strimziErrors(p), [], p.metadata.name);
            assert.strictEqual(p.metadata.labels["strimzi.io/cluster"], "volley");
        }
        assert.strictEqual(split[1].spec.storage.volumes[0].size, "20Gi");
    });

    it("broker claims are never deleted with the pool, on the given or the environment's StorageClass", () => {
        const [pool] = renderNodePools(resolveStrimzi({}, { storageClassName: "gp3" }));
        assert.deepStrictEqual(pool.spec.storage, {
            type: "jbod", volumes: [{ id: 0, type: "persistent-claim", size: "100Gi", class: "gp3", deleteClaim: false, kraftMetadata: "shared" }],
        });
        const [own] = renderNodePools(resolveStrimzi({ brokerStorage: { storageClassName: "fast", size: "1Ti" } }, { storageClassName: "gp3" }));
        assert.strictEqual(own.spec.storage.volumes[0].class, "fast");
        assert.strictEqual(own.spec.storage.volumes[0].size, "1Ti");
        const [none] = renderNodePools(resolveStrimzi({}));
        assert.strictEqual("class" in none.spec.storage.volumes[0], false, "the cluster default StorageClass when none is known");
    });

    it("brokers: only on Kafka nodes (label + taint), one per node, spread across zones without needing zones", () => {
        const [pool] = renderNodePools(resolveStrimzi({}));
        const pod = pool.spec.template.pod;
        assert.deepStrictEqual(pod.tolerations, [{ key: "volley.io/kafka", operator: "Equal", value: "true", effect: "NoSchedule" }]);
        assert.deepStrictEqual(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
            [{ matchExpressions: [{ key: "volley.io/pool", operator: "In", values: ["kafka"] }] }]);
        assert.deepStrictEqual(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [{
            labelSelector: { matchLabels: { "strimzi.io/cluster": "volley", "strimzi.io/broker-role": "true" } }, topologyKey: "kubernetes.io/hostname",
        }]);
        assert.deepStrictEqual(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable]), [["topology.kubernetes.io/zone", "ScheduleAnyway"]]);
        const custom = renderNodePools(resolveStrimzi({ nodes: { labels: { pool: "brokers" }, taints: [{ key: "dedicated", effect: "NoExecute" }] } }))[0].spec.template.pod;
        assert.deepStrictEqual(custom.tolerations, [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }]);
        assert.deepStrictEqual(custom.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions,
            [{ key: "pool", operator: "In", values: ["brokers"] }]);
        const ctrl = renderNodePools(resolveStrimzi({ controllers: 3 }))[1].spec.template.pod;
        assert.deepStrictEqual(ctrl.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels,
            { "strimzi.io/cluster": "volley", "strimzi.io/controller-role": "true" });
    });

    it("replication defaults follow the broker count: 3/2 from three brokers, 1/1 for one", () => {
        assert.deepStrictEqual(resolveStrimzi({}).config["default.replication.factor"], 3);
        assert.deepStrictEqual(resolveStrimzi({}).config["min.insync.replicas"], 2);
        const one = resolveStrimzi({ brokers: 1 }).config;
        assert.deepStrictEqual([one["default.replication.factor"], one["min.insync.replicas"], one["offsets.topic.replication.factor"]], [1, 1, 1]);
        assert.strictEqual(resolveStrimzi({ config: { "min.insync.replicas": 1 } }).config["min.insync.replicas"], 1, "yours win");
    });

    it("chart values: the operator's placement and watch keys are the chart's own; dashboards for the Grafana sidecar", () => {
        const chartValues = chartYaml("strimzi-kafka-operator-1.2.0/values.yaml");
        const v = strimziValues(SYSTEM, { replicas: 2 }, "monitoring");
        for (const key of Object.keys(v)) assert.ok(key in chartValues, `${key} is not a value of the chart`);
        assert.deepStrictEqual(v.watchNamespaces, []);
        assert.deepStrictEqual(v.nodeSelector, SYSTEM.nodeSelector);
        assert.strictEqual(v.replicas, 2);
        assert.deepStrictEqual(v.dashboards, { enabled: true, namespace: "monitoring" });
        // The chart's dashboard ConfigMaps carry the label the package's Grafana sidecar selects.
        assert.deepStrictEqual({ [chartValues.dashboards.label]: chartValues.dashboards.labelValue }, DASHBOARD_LABEL);
        assert.strictEqual(strimziValues({}, undefined, undefined).dashboards, undefined);
    });
});

/**
 * MBeans and attributes Kafka registers, from the Apache Kafka documentation
 * (docs/ops.html, "Monitoring": broker, KRaft and network metrics), with the
 * key properties in the order Kafka writes them. Not derived from the rules.
 */
const KAFKA_MBEANS: [string, string[]][] = [
    ...["MessagesIn", "BytesIn", "BytesOut", "FailedFetchRequests", "FailedProduceRequests", "TotalFetchRequests", "TotalProduceRequests"]
        .flatMap((n): [string, string[]][] => [[`kafka.server<type=BrokerTopicMetrics, name=${n}PerSec>`, ["Count"]], [`kafka.server<type=BrokerTopicMetrics, name=${n}PerSec, topic=orders>`, ["Count"]]]),
    ...["UnderReplicatedPartitions", "LeaderCount", "PartitionCount"].map((n): [string, string[]] => [`kafka.server<type=ReplicaManager, name=${n}>`, ["Value"]]),
    ...["ActiveControllerCount", "OfflinePartitionsCount"].map((n): [string, string[]] => [`kafka.controller<type=KafkaController, name=${n}>`, ["Value"]]),
    ["kafka.controller<type=ControllerStats, name=UncleanLeaderElectionsPerSec>", ["Count"]],
    ...["UnderMinIsr", "AtMinIsr", "ReplicasCount"].map((n): [string, string[]] => [`kafka.cluster<type=Partition, name=${n}, topic=orders, partition=0>`, ["Value"]]),
    ["kafka.log<type=Log, name=Size, topic=orders, partition=0>", ["Value"]],
    ["kafka.network<type=SocketServer, name=NetworkProcessorAvgIdlePercent>", ["Value"]],
    ["kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent>", ["Count", "MeanRate", "OneMinuteRate"]],
    ["kafka.server<type=KafkaServer, name=linux-disk-read-bytes>", ["Value"]],
    ["kafka.server<type=KafkaServer, name=linux-disk-write-bytes>", ["Value"]],
    ["kafka.server<type=socket-server-metrics, listener=PLAIN-9092, networkProcessor=0>", ["connection-count"]],
    ["kafka.server<type=raft-metrics>", ["current-leader", "current-epoch", "current-vote", "high-watermark", "log-end-offset", "append-records-rate", "fetch-records-rate", "commit-latency-avg"]],
    ["kafka.server<type=raft-channel-metrics>", ["incoming-byte-total", "outgoing-byte-total", "request-total", "response-total"]],
];

/** What the JMX exporter does with `rules` (first match of `^.*(?:pattern).*$`, lower-cased, unsafe characters to "_"). */
function exportedNames(rules: typeof JMX_RULES): Set<string> {
    const out = new Set<string>();
    for (const [bean, attrs] of KAFKA_MBEANS) {
        for (const attr of attrs) {
            const line = `${bean}<>${attr}: 1`;
            for (const r of rules) {
                const m = new RegExp(`^.*(?:${r.pattern}).*$`).exec(line);
                if (!m) continue;
                const name = r.name.replace(/\$(\d)/g, (_, i) => m[Number(i)]).toLowerCase().replace(/[^a-z0-9_:]/g, "_").replace(/_+/g, "_");
                out.add(name);
                break;
            }
        }
    }
    return out;
}

/** Kafka series the chart's broker dashboards query (metric names followed by a selector). */
function dashboardSeries(): string[] {
    const names = new Set<string>();
    for (const f of ["strimzi-kafka.json", "strimzi-kraft.json"]) {
        const text = fs.readFileSync(path.join(STRIMZI_CHART_DIR(), "files", "grafana-dashboards", f), "utf8");
        for (const m of text.matchAll(/\b(kafka_[a-z0-9_]+)\{/g)) names.add(m[1]);
    }
    return [...names].sort();
}

describe("Kafka metrics", () => {
    it("the JMX exporter rules produce every Kafka series the chart's broker and KRaft dashboards query", () => {
        const wanted = dashboardSeries();
        assert.ok(wanted.length > 25, `found only ${wanted.length} series in the dashboards`);
        const have = exportedNames(JMX_RULES);
        assert.deepStrictEqual(wanted.filter((n) => !have.has(n)), []);
    });

    it("the coverage check can fail: without the idle-ratio rule the _percent series are missing", () => {
        const have = exportedNames(JMX_RULES.filter((r) => !r.name.endsWith("_percent")));
        assert.ok(dashboardSeries().filter((n) => !have.has(n)).some((n) => n.endsWith("_percent")));
    });

    it("the metrics ConfigMap carries the rules as the JMX exporter's YAML", () => {
        const cm = metricsConfigMap("volley", "kafka");
        const cfg = yaml.load(cm.data["kafka-metrics-config.yml"]) as any;
        assert.strictEqual(cfg.lowercaseOutputName, true);
        assert.strictEqual(cfg.rules.length, JMX_RULES.length);
        assert.strictEqual(renderKafka(resolveStrimzi({}), {}).spec.kafka.metricsConfig.valueFrom.configMapKeyRef.name, cm.metadata.name);
    });

    it("PodMonitors select Strimzi's pods by their labels and scrape the ports its pods name", () => {
        const specs = podMonitorSpecs("volley");
        assert.deepStrictEqual(specs.map((s) => [s.selector["strimzi.io/name"] ?? s.selector["strimzi.io/kind"], s.ports]), [
            ["volley-kafka", ["tcp-prometheus"]], ["volley-entity-operator", ["healthcheck-to", "healthcheck-uo"]],
            ["volley-kafka-exporter", ["tcp-prometheus"]], ["cluster-operator", ["http"]],
        ]);
        // The chart's Deployment labels its pods strimzi.io/kind=cluster-operator and names its port http.
        const deployment = fs.readFileSync(path.join(STRIMZI_CHART_DIR(), "templates", "060-Deployment-strimzi-cluster-operator.yaml"), "utf8");
        assert.match(deployment, /strimzi\.io\/kind: cluster-operator/);
        assert.match(deployment, /containerPort: 8080\s+name: http/);
    });

    it("the lag alert reads Kafka Exporter's kafka_consumergroup_lag of this cluster, tunable, and can be off", () => {
        const spec = renderKafkaRuleSpec("volley", "kafka", resolveKafkaLagAlert({ threshold: 500, severity: "critical" }));
        const [rule] = spec.groups[0].rules;
        assert.match(rule.expr, /kafka_consumergroup_lag\{namespace="kafka", strimzi_io_cluster="volley"\}/);
        assert.match(rule.expr, /> 500 /);
        assert.strictEqual(rule.labels.severity, "critical");
        // The chart's Kafka Exporter dashboard reads the same series, and selects the exporter's series by strimzi_io_cluster.
        const exporter = fs.readFileSync(path.join(STRIMZI_CHART_DIR(), "files", "grafana-dashboards", "strimzi-kafka-exporter.json"), "utf8");
        assert.match(exporter, /kafka_consumergroup_lag\{[^}]*namespace=/);
        assert.match(exporter, /kafka_consumergroup_current_offset\{[^}]*strimzi_io_cluster/);
        assert.deepStrictEqual(renderKafkaRuleSpec("volley", "kafka", resolveKafkaLagAlert({ enabled: false })).groups[0].rules, []);
    });
});

describe("Volley dashboard", () => {
    it("links to the Kafka dashboards by a tag every dashboard of the Strimzi chart's Kafka set carries", () => {
        const links = renderDashboard({ phaseMetric: true }).links;
        assert.strictEqual(links.length, 1);
        assert.deepStrictEqual([links[0].type, links[0].tags, links[0].asDropdown], ["dashboards", ["Kafka"], true]);
        for (const f of ["strimzi-kafka.json", "strimzi-kraft.json", "strimzi-kafka-exporter.json"]) {
            const d = JSON.parse(fs.readFileSync(path.join(STRIMZI_CHART_DIR(), "files", "grafana-dashboards", f), "utf8"));
            assert.ok(d.tags.includes(links[0].tags[0]), f);
        }
    });
});

const STRIMZI_ENV = { ...ENV, kafka: strimziKafkaRef(resolveStrimzi({})) };
const SCRAM_ENV = { ...ENV, kafka: strimziKafkaRef(resolveStrimzi({ authentication: "scram-sha-512" })) };

describe("Application Kafka objects", () => {
    it("a KafkaTopic in the cluster's namespace, labelled for its Topic Operator, accepted by the CRD", () => {
        const t = renderKafkaTopic({ name: "orders", partitions: 12, replicas: 3, config: { "retention.ms": "604800000" } }, STRIMZI_ENV.kafka, "agg");
        assert.deepStrictEqual(strimziErrors(t), []);
        assert.deepStrictEqual([t.metadata.name, t.metadata.namespace, t.metadata.labels["strimzi.io/cluster"]], ["orders", "kafka", "volley"]);
        assert.strictEqual(t.spec.topicName, undefined);
        const odd = renderKafkaTopic({ name: "Orders_V2" }, STRIMZI_ENV.kafka, "agg");
        assert.strictEqual(odd.spec.topicName, "Orders_V2");
        assert.match(odd.metadata.name, /^orders-v2-[0-9a-f]{8}$/);
        assert.strictEqual(kafkaTopicObjectName("Orders_V2"), odd.metadata.name, "deterministic");
        assert.notStrictEqual(kafkaTopicObjectName("orders_v2"), kafkaTopicObjectName("Orders_V2"));
    });

    it("a KafkaUser with ACLs on exactly its topics and group, accepted by the CRD", () => {
        for (const env of [SCRAM_ENV, { ...ENV, kafka: strimziKafkaRef(resolveStrimzi({ authentication: "tls" })) }]) {
            const u = renderKafkaUser("agg", env.kafka, ["events"], ["orders"], "agg");
            assert.deepStrictEqual(strimziErrors(u), []);
            assert.deepStrictEqual(u.spec.authorization.acls, [
                { type: "allow", resource: { type: "topic", name: "events", patternType: "literal" }, operations: ["Describe", "Read"] },
                { type: "allow", resource: { type: "topic", name: "orders", patternType: "literal" }, operations: ["Describe", "Read", "Write"] },
                { type: "allow", resource: { type: "group", name: "agg", patternType: "literal" }, operations: ["Describe", "Read"] },
            ]);
            assert.strictEqual(u.spec.authentication.type, env.kafka.authentication);
        }
    });

    it("client settings reach the pods as env vars with secret references, never values", () => {
        assert.deepStrictEqual(kafkaClientEnv(STRIMZI_ENV.kafka, "agg"), [], "plain, unauthenticated: nothing");
        assert.deepStrictEqual(kafkaClientEnv(SCRAM_ENV.kafka, "agg"), [
            { name: "KAFKA_SECURITY_PROTOCOL", value: "SASL_SSL" },
            { name: "KAFKA_SASL_MECHANISM", value: "SCRAM-SHA-512" },
            { name: "KAFKA_SSL_CA_PEM", valueFrom: { secretKeyRef: { name: "volley-cluster-ca-cert", key: "ca.crt" } } },
            { name: "KAFKA_SASL_USERNAME", value: "agg" },
            { name: "KAFKA_SASL_PASSWORD", valueFrom: { secretKeyRef: { name: "agg", key: "password" } } },
        ]);
        const ext = externalKafkaRef({
            bootstrapServers: "b-1.msk:9096", caSecret: { name: "kafka-ca", key: "ca.pem" },
            sasl: { mechanism: "SCRAM-SHA-512", usernameSecret: { name: "kafka", key: "user" }, passwordSecret: { name: "kafka", key: "pass" } },
        });
        assert.strictEqual(ext.securityProtocol, "SASL_SSL");
        assert.deepStrictEqual(kafkaClientEnv(ext, "agg").filter((e) => e.valueFrom).map((e) => e.name), ["KAFKA_SSL_CA_PEM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"]);
        assert.strictEqual(externalKafkaRef({ bootstrapServers: "k:9092" }).securityProtocol, "PLAINTEXT");
        assert.strictEqual(externalKafkaRef({ bootstrapServers: "k:9093", tls: true }).securityProtocol, "SSL");
    });

    it("spec.kafka: bootstrap servers from the environment, group = application name, the user's values win", () => {
        const w = { name: "agg", namespace: "kafka", awaitRunning: false, awaitTimeoutSeconds: 600 };
        const cr = renderVolleyApplication({ ...GOOD_APP, kafka: { topics: ["events"] }, kafkaTopics: [{ name: "orders" }], environment: undefined }, SCRAM_ENV, w);
        assert.deepStrictEqual(cr.spec.kafka, { topics: ["events"], bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9093", consumerGroup: "agg" });
        assert.strictEqual(cr.spec.kafkaTopics, undefined, "Pulumi-side only, never in the CR");
        assert.ok(cr.spec.env.some((e: any) => e.name === "KAFKA_SASL_PASSWORD" && e.valueFrom.secretKeyRef.name === "agg"));
        const own = renderVolleyApplication({ ...GOOD_APP, kafka: { bootstrapServers: "mine:9092", consumerGroup: "g" }, env: [{ name: "KAFKA_SASL_USERNAME", value: "me" }] }, SCRAM_ENV, w);
        assert.deepStrictEqual([own.spec.kafka.bootstrapServers, own.spec.kafka.consumerGroup], ["mine:9092", "g"]);
        assert.deepStrictEqual(own.spec.env.filter((e: any) => e.name === "KAFKA_SASL_USERNAME"), [{ name: "KAFKA_SASL_USERNAME", value: "me" }]);
        const none = renderVolleyApplication({ ...GOOD_APP }, SCRAM_ENV, w);
        assert.strictEqual(none.spec.kafka, undefined, "no kafka input, no spec.kafka");
        assert.strictEqual(none.spec.env, undefined);
        // Triggers are completed from the completed spec.kafka (one function decides).
        const scaled = renderVolleyApplication({ ...GOOD_APP, kafka: { topics: ["events"] }, cluster: {}, autoscaling: { enabled: true, triggers: [{ type: "kafka", metadata: { lagThreshold: "100" } }] } }, STRIMZI_ENV, w);
        assert.deepStrictEqual(scaled.spec.autoscaling.triggers[0].metadata, {
            lagThreshold: "100", bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9092", consumerGroup: "agg", topic: "events",
        });
    });
});

type Case = [string, any, string, RegExp];

function issuesOf(a: any, env: any, name = "agg") {
    return validateApplication(a, env, name);
}

describe("Kafka validation", () => {
    const envCases: Case[] = [
        ["mode missing", { kafka: {} }, "kafka.mode", /required: strimzi or external/],
        ["mode misspelled", { kafka: { mode: "msk" } }, "kafka.mode", /strimzi, external/],
        ["external without bootstrap", { kafka: { mode: "external", external: {} } }, "kafka.external.bootstrapServers", /required/],
        ["external bootstrap without port", { kafka: { mode: "external", external: { bootstrapServers: "kafka.example" } } }, "kafka.external.bootstrapServers", /host:port/],
        ["external SASL mechanism unknown", { kafka: { mode: "external", external: { bootstrapServers: "k:9096", sasl: { mechanism: "GSSAPI" } } } }, "kafka.external.sasl.mechanism", /PLAIN, SCRAM-SHA-256/],
        ["external SASL without TLS", { kafka: { mode: "external", external: { bootstrapServers: "k:9096", tls: false, sasl: { mechanism: "PLAIN" } } } }, "kafka.external.tls", /need TLS/],
        ["strimzi settings with mode external", { kafka: { mode: "external", external: { bootstrapServers: "k:1" }, strimzi: {} } }, "kafka.strimzi", /only with mode "strimzi"/],
        ["even controllers", { kafka: { mode: "strimzi", strimzi: { controllers: 2 } } }, "kafka.strimzi.controllers", /odd count/],
        ["zero brokers", { kafka: { mode: "strimzi", strimzi: { brokers: 0 } } }, "kafka.strimzi.brokers", /from 1 to 100/],
        ["cluster name too long for Strimzi's names", { kafka: { mode: "strimzi", strimzi: { clusterName: "a".repeat(48) } } }, "kafka.strimzi.clusterName", /at most 47/],
        ["replication above brokers", { kafka: { mode: "strimzi", strimzi: { brokers: 2, config: { "default.replication.factor": 3 } } } }, "kafka.strimzi.config.default.replication.factor", /at most the broker count \(2\); got 3/],
        ["min ISR equal to replication", { kafka: { mode: "strimzi", strimzi: { config: { "min.insync.replicas": 3 } } } }, "kafka.strimzi.config.min.insync.replicas", /below default.replication.factor \(3\); got 3/],
        ["kafka version Strimzi does not ship", { kafka: { mode: "strimzi", strimzi: { kafkaVersion: "3.9.0" } } }, "kafka.strimzi.kafkaVersion", /4\.2\.0, 4\.2\.1, 4\.3\.0, 4\.3\.1/],
        ["authentication misspelled", { kafka: { mode: "strimzi", strimzi: { authentication: "scram" } } }, "kafka.strimzi.authentication", /none, scram-sha-512, tls/],
        ["empty Kafka node labels", { kafka: { mode: "strimzi", strimzi: { nodes: { labels: {} } } } }, "kafka.strimzi.nodes.labels", /at least one label/],
        ["controller storage without controllers", { kafka: { mode: "strimzi", strimzi: { controllerStorage: { size: "10Gi" } } } }, "kafka.strimzi.controllerStorage", /dedicated `controllers`/],
        ["chart version range", { kafka: { mode: "strimzi", strimzi: { version: "^1.2" } } }, "kafka.strimzi.version", /exact chart version/],
    ];
    for (const [title, input, p, reason] of envCases) {
        it(`environment: ${title} -> ${p}`, () => {
            const issues = validateKubernetesEnvironment({ operator: OPERATOR, ...input });
            const hit = issues.find((i) => i.propertyPath === p);
            assert.ok(hit, `no issue at ${p}: ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }

    it("environment: good settings pass, defaults included", () => {
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, kafka: { mode: "strimzi" } }), []);
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, kafka: { mode: "strimzi", strimzi: { brokers: 1 } } }), [], "one broker: 1/1 is allowed");
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, kafka: { mode: "external", external: { bootstrapServers: "a:9092,b:9092" } } }), []);
        const c = new Checker();
        checkKafkaSettings(c, "kafka", { mode: UNKNOWN });
        assert.match(c.issues[0].reason, /plain string/);
    });

    const app = (extra: any) => ({ ...GOOD_APP, ...extra });
    const appCases: [string, any, any, string, RegExp][] = [
        ["topic replicas above brokers", app({ kafkaTopics: [{ name: "orders", replicas: 4 }] }), STRIMZI_ENV, "kafkaTopics[0].replicas", /replication factor 4 exceeds the 3 broker\(s\)/],
        ["topic min ISR not below its replicas", app({ kafkaTopics: [{ name: "orders", replicas: 2, config: { "min.insync.replicas": "2" } }] }), STRIMZI_ENV, "kafkaTopics[0].config.min.insync.replicas", /min.insync.replicas 2 must be below the replication factor 2/],
        ["topic replicas at the cluster's min ISR", app({ kafkaTopics: [{ name: "orders", replicas: 2 }] }), STRIMZI_ENV, "kafkaTopics[0].replicas", /min.insync.replicas 2 \(the cluster's\) must be below the replication factor 2/],
        ["replicas above the consumed topic's partitions", app({ replicas: 4, cluster: {}, kafka: { topics: ["orders"] }, kafkaTopics: [{ name: "orders", partitions: 3 }] }), STRIMZI_ENV, "replicas", /at most 3: topic "orders" has 3 partition/],
        ["maxReplicas (default 10) above partitions", app({ cluster: {}, kafka: { topics: ["orders"] }, kafkaTopics: [{ name: "orders", partitions: 6 }], autoscaling: { enabled: true, triggers: [{ type: "kafka" }] } }), STRIMZI_ENV, "autoscaling.maxReplicas", /at most 6 \(the default is 10\): KEDA silently caps.*keda-docs#153/],
        ["partitions default to the cluster's num.partitions (1)", app({ replicas: 2, cluster: {}, kafka: { topics: ["orders"] }, kafkaTopics: [{ name: "orders" }] }), STRIMZI_ENV, "replicas", /has 1 partition\(s\) \(the cluster default\)/],
        ["topics need Strimzi", app({ kafkaTopics: [{ name: "orders" }] }), ENV, "kafkaTopics", /no Kafka/],
        ["topic name invalid", app({ kafkaTopics: [{ name: "orders/v2" }] }), STRIMZI_ENV, "kafkaTopics[0].name", /Kafka topic name/],
        ["duplicate topic", app({ kafkaTopics: [{ name: "a" }, { name: "a" }] }), STRIMZI_ENV, "kafkaTopics[1].name", /duplicates/],
        ["authenticated Kafka from another namespace", app({ kafka: {} }), SCRAM_ENV, "namespace", /must be "kafka".*scram-sha-512/],
        ["authenticated Kafka: a kafka trigger needs credentials", app({ namespace: "kafka", cluster: {}, kafka: { topics: ["e"] }, autoscaling: { enabled: true, maxReplicas: 1, triggers: [{ type: "kafka" }] } }), SCRAM_ENV, "autoscaling.triggers[0].authenticationRef", /TriggerAuthentication.*kafka_consumergroup_lag/],
    ];
    for (const [title, a, env, p, reason] of appCases) {
        it(`application: ${title} -> ${p}`, () => {
            const issues = issuesOf(a, env);
            const hit = issues.find((i) => i.propertyPath === p);
            assert.ok(hit, `no issue at ${p}: ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }

    it("application: within the limits, and while the environment is unknown (preview), nothing is reported", () => {
        const ok = app({ replicas: 3, cluster: {}, kafka: { topics: ["orders"] }, kafkaTopics: [{ name: "orders", partitions: 6, replicas: 3 }], autoscaling: { enabled: true, maxReplicas: 6, triggers: [{ type: "kafka" }] } });
        assert.deepStrictEqual(issuesOf(ok, STRIMZI_ENV), []);
        assert.deepStrictEqual(issuesOf({ ...ok, environment: UNKNOWN }, UNKNOWN), []);
        assert.deepStrictEqual(issuesOf(app({ namespace: "kafka", kafka: {} }), SCRAM_ENV), []);
        // A kafka trigger without servers is fine once the environment brings Kafka; not without one.
        const trig = app({ cluster: {}, kafka: {}, autoscaling: { enabled: true, maxReplicas: 1, triggers: [{ type: "kafka" }] } });
        assert.deepStrictEqual(issuesOf(trig, STRIMZI_ENV), []);
        assert.ok(issuesOf(trig, ENV).some((i) => i.propertyPath === "autoscaling.triggers[0].metadata.bootstrapServers"));
    });
});
