// Kafka under mocks (issue 24): what KubernetesEnvironment and Application
// register with Kafka on: the chart, the namespace, the node pools, the Kafka,
// the monitors, the topics and users, and their order.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { recordResolved } from "../../provider/core/resolved";
import { STRIMZI_INPUTS } from "../../provider/kubernetes/kafka/environmentKafka";
import { Application } from "../../provider/kubernetes/application";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { StrimziKafka } from "../../provider/kubernetes/kafka/strimziKafka";
import { resolveStrimzi, strimziKafkaRef } from "../../provider/kubernetes/kafka/render";
import { chartsDir } from "./charts";
import { capture, valueOf } from "./graph";
import { ENV, GOOD_APP, OPERATOR } from "./validate.test";

const T = {
    ns: "kubernetes:core/v1:Namespace",
    cm: "kubernetes:core/v1:ConfigMap",
    chart: "kubernetes:helm.sh/v4:Chart",
    kafka: "kubernetes:kafka.strimzi.io/v1:Kafka",
    pool: "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
    topic: "kubernetes:kafka.strimzi.io/v1:KafkaTopic",
    user: "kubernetes:kafka.strimzi.io/v1:KafkaUser",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    rule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    vapp: "kubernetes:volley.io/v1alpha1:VolleyApplication",
};
const CHART = () => path.join(chartsDir(), "strimzi-kafka-operator-1.2.0");

describe("KubernetesEnvironment with Kafka", () => {
    it("mode strimzi: the chart, the retained namespace, node pools, Kafka, monitors and the ref's bootstrap", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("dev", {
                operator: OPERATOR, systemNodes: { nodeSelector: { "node-role": "system" } },
                kafka: { mode: "strimzi", strimzi: { chartPath: CHART(), brokerStorage: { storageClassName: "local-block" } } },
            });
        });
        assert.ok(g.names().includes("volley:index:StrimziKafka::dev-kafka"));
        const strimzi = g.one("volley:index:StrimziKafka");
        const own = g.resources.filter((r) => r.parent === strimzi.urn).map((r) => `${r.type}::${r.name}`).sort();
        assert.deepStrictEqual(own, [
            `${T.cm}::dev-kafka-metrics`, `${T.chart}::dev-kafka-chart`, `${T.ns}::dev-kafka-ns`, `${T.kafka}::dev-kafka-kafka`,
            `${T.pool}::dev-kafka-pool-broker`, `${T.podMonitor}::dev-kafka-podmonitor-cluster-operator`, `${T.podMonitor}::dev-kafka-podmonitor-entity-operator`,
            `${T.podMonitor}::dev-kafka-podmonitor-kafka`, `${T.podMonitor}::dev-kafka-podmonitor-kafka-exporter`, `${T.rule}::dev-kafka-alerts`,
        ].sort());
        const ns = g.one(T.ns, "dev-kafka-ns");
        assert.strictEqual(ns.retainOnDelete, true, "the namespace holds the broker claims");
        assert.strictEqual(ns.inputs.metadata.name, "kafka");
        const chart = g.one(T.chart, "dev-kafka-chart");
        assert.strictEqual(chart.inputs.chart, CHART());
        assert.strictEqual(chart.inputs.namespace, "kafka");
        assert.deepStrictEqual(chart.inputs.values.nodeSelector, { "node-role": "system" });
        assert.deepStrictEqual(chart.inputs.values.dashboards, { enabled: true, namespace: "monitoring" });
        const kafka = g.one(T.kafka);
        const pool = g.one(T.pool);
        assert.ok(g.dependsOn(kafka, pool), "the Kafka is deleted before its pools");
        assert.ok(g.dependsOn(kafka, g.one(T.cm, "dev-kafka-metrics")));
        assert.strictEqual(pool.inputs.spec.storage.volumes[0].class, "local-block");
        assert.strictEqual(pool.inputs.spec.storage.volumes[0].deleteClaim, false);
        assert.strictEqual(kafka.inputs.metadata.namespace, "kafka");
        // Everything of the cluster deploys through the environment's one provider.
        const provider = g.one("pulumi:providers:kubernetes");
        for (const r of [kafka, pool, chart, ns]) assert.ok(r.provider.startsWith(provider.urn), r.name);
        const ref = await valueOf(env.environment);
        assert.strictEqual(ref.kafka!.bootstrapServers, "volley-kafka-bootstrap.kafka.svc:9092");
        assert.strictEqual(ref.kafka!.brokers, 3);
    });

    it("a `kafka` input that arrives as one Output (a Construct input with dependencies) reaches StrimziKafka field by field", async () => {
        const args: any = {
            operator: OPERATOR,
            kafka: pulumi.output({ mode: "strimzi", strimzi: { chartPath: CHART(), clusterName: "events", brokers: 1, version: "1.2.0" } }),
        };
        recordResolved(args, { ...args, kafka: { mode: "strimzi", strimzi: { chartPath: CHART(), clusterName: "events", brokers: 1 } } });
        let env!: KubernetesEnvironment;
        const g = await capture(() => { env = new KubernetesEnvironment("dev", args); });
        assert.strictEqual(g.one(T.pool).inputs.spec.replicas, 1);
        assert.strictEqual(g.one(T.kafka).inputs.metadata.name, "events");
        assert.strictEqual(g.one(T.chart, "dev-kafka-chart").inputs.chart, CHART());
        assert.strictEqual((await valueOf(env.environment)).kafka!.bootstrapServers, "events-kafka-bootstrap.kafka.svc:9092");
    });

    it("the environment passes every StrimziKafkaSettings input through (the list is the interface's fields)", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "provider", "kubernetes", "kafka", "settings.ts"), "utf8");
        const body = /export interface StrimziKafkaSettings extends ChartSettings \{([\s\S]*?)\n\}/.exec(text)![1];
        const fields = [...body.matchAll(/^\s{4}(\w+)\??:/gm)].map((m) => m[1]);
        assert.deepStrictEqual([...STRIMZI_INPUTS, "controllers"].sort(), ["version", "chartPath", "values", ...fields].sort());
    });

    it("with prometheus.monitorNamespaces, Prometheus also takes monitors from the Kafka namespace", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", {
            operator: OPERATOR, prometheus: { monitorNamespaces: ["apps"] }, kafka: { mode: "strimzi", strimzi: { chartPath: CHART(), namespace: "streams-kafka" } },
        }));
        const values = g.byType(T.chart).find((c) => c.inputs.chart === "kube-prometheus-stack")!.inputs.values;
        assert.deepStrictEqual(values.prometheus.prometheusSpec.podMonitorNamespaceSelector.matchExpressions[0].values, ["monitoring", "apps", "streams-kafka"]);
    });

    it("dedicated controllers add a controller pool; without Prometheus there are no monitors or dashboards", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", {
            operator: OPERATOR, prometheus: { mode: "none" }, kafka: { mode: "strimzi", strimzi: { controllers: 3, chartPath: CHART() } },
        }));
        assert.deepStrictEqual(g.byType(T.pool).map((p) => p.name).sort(), ["dev-kafka-pool-broker", "dev-kafka-pool-controller"]);
        assert.strictEqual(g.byType(T.podMonitor).length, 0);
        assert.strictEqual(g.byType(T.rule).length, 0);
        assert.strictEqual(g.one(T.chart, "dev-kafka-chart").inputs.values.dashboards, undefined);
    });

    it("reads the bootstrap servers back from the Kafka status (the client listener's), empty before Strimzi writes it", async () => {
        const status = { listeners: [
            { name: "plain", bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9092" },
            { name: "tls", bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9093" },
        ], conditions: [{ type: "Ready", status: "True" }] };
        const read = async (auth: string | undefined, withStatus: boolean) => {
            let k!: StrimziKafka;
            await capture(() => { k = new StrimziKafka("k", { chartPath: CHART(), authentication: auth as any }); },
                { outputs: (a) => (withStatus && a.type === T.kafka ? { status } : undefined) });
            return [await valueOf(k.bootstrapServers), await valueOf(k.statusBootstrapServers)];
        };
        assert.deepStrictEqual(await read(undefined, true), ["volley-kafka-bootstrap.kafka.svc:9092", "volley-kafka-bootstrap.kafka.svc:9092"]);
        assert.deepStrictEqual(await read("tls", true), ["volley-kafka-bootstrap.kafka.svc:9093", "volley-kafka-bootstrap.kafka.svc:9093"]);
        assert.deepStrictEqual(await read(undefined, false), ["volley-kafka-bootstrap.kafka.svc:9092", ""]);
    });

    it("the bootstrap servers are known at preview, before the chart or the Kafka exist", async () => {
        let k!: StrimziKafka;
        await capture(() => { k = new StrimziKafka("k", { chartPath: CHART(), clusterName: "events", namespace: "streams" }); }, { preview: true });
        assert.strictEqual(await (k.bootstrapServers as any).isKnown, true);
        assert.strictEqual(await valueOf(k.bootstrapServers), "events-kafka-bootstrap.streams.svc:9092");
        assert.strictEqual(await (k.kafka as any).isKnown, true);
    });

    it("without chartPath the pinned chart comes from Strimzi's OCI registry", async () => {
        const g = await capture(() => new StrimziKafka("k", {}));
        const chart = g.one(T.chart);
        assert.strictEqual(chart.inputs.chart, "oci://quay.io/strimzi-helm/strimzi-kafka-operator");
        assert.strictEqual(chart.inputs.version, "1.2.0");
    });

    it("mode external installs nothing and hands over the address and secret references", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("dev", {
                operator: OPERATOR,
                kafka: { mode: "external", external: { bootstrapServers: "b-1.msk.example:9096", sasl: { mechanism: "SCRAM-SHA-512", passwordSecret: { name: "msk", key: "password" } } } },
            });
        });
        assert.strictEqual(g.byType("volley:index:StrimziKafka").length, 0);
        assert.strictEqual(g.byType(T.kafka).length, 0);
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.kafka, {
            mode: "external", bootstrapServers: "b-1.msk.example:9096", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512",
            passwordSecret: { name: "msk", key: "password" },
        });
    });

    it("off by default: no Kafka, no ref", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR }); });
        assert.strictEqual(g.byType("volley:index:StrimziKafka").length, 0);
        assert.strictEqual((await valueOf(env.environment)).kafka, undefined);
    });
});

describe("Application with Kafka", () => {
    const strimziEnv = { ...ENV, kafka: strimziKafkaRef(resolveStrimzi({})) };
    const scramEnv = { ...ENV, kafka: strimziKafkaRef(resolveStrimzi({ authentication: "scram-sha-512" })) };

    it("declared topics become KafkaTopics, retained on delete, that the VolleyApplication waits for", async () => {
        const g = await capture(() => new Application("agg", {
            ...GOOD_APP, environment: strimziEnv, kafka: { topics: ["orders"] }, kafkaTopics: [{ name: "orders", partitions: 6 }, { name: "Orders_DLQ" }],
        }));
        const topics = g.byType(T.topic);
        assert.deepStrictEqual(topics.map((t) => t.name).sort(), ["agg-topic-Orders_DLQ", "agg-topic-orders"]);
        for (const t of topics) {
            assert.strictEqual(t.retainOnDelete, true, t.name);
            assert.strictEqual(t.inputs.metadata.namespace, "kafka");
        }
        assert.strictEqual(g.one(T.topic, "agg-topic-orders").inputs.spec.partitions, 6);
        assert.strictEqual(g.one(T.topic, "agg-topic-Orders_DLQ").inputs.spec.topicName, "Orders_DLQ");
        const vapp = g.one(T.vapp);
        for (const t of topics) assert.ok(g.dependsOn(vapp, t), t.name);
        assert.deepStrictEqual(vapp.inputs.spec.kafka, { topics: ["orders"], bootstrapServers: "volley-kafka-bootstrap.kafka.svc:9092", consumerGroup: "agg" });
        assert.strictEqual(vapp.inputs.spec.kafkaTopics, undefined);
        assert.strictEqual(g.byType(T.user).length, 0, "no user without authentication");
    });

    it("retainKafkaTopics: false lets a delete remove the topic", async () => {
        const g = await capture(() => new Application("agg", { ...GOOD_APP, environment: strimziEnv, kafkaTopics: [{ name: "scratch" }], retainKafkaTopics: false }));
        assert.strictEqual(g.one(T.topic).retainOnDelete, false);
    });

    it("with authentication: a KafkaUser before the pods, credentials as secret references only", async () => {
        const g = await capture(() => new Application("agg", {
            ...GOOD_APP, namespace: "kafka", environment: scramEnv, kafka: { topics: ["events"] }, kafkaTopics: [{ name: "orders" }],
        }));
        const user = g.one(T.user);
        assert.strictEqual(user.inputs.metadata.name, "agg");
        assert.deepStrictEqual(user.inputs.spec.authorization.acls.map((a: any) => `${a.resource.type}:${a.resource.name}:${a.operations.join("+")}`),
            ["topic:events:Describe+Read", "topic:orders:Describe+Read+Write", "group:agg:Describe+Read"]);
        const vapp = g.one(T.vapp);
        assert.ok(g.dependsOn(vapp, user));
        const env = vapp.inputs.spec.env as any[];
        assert.deepStrictEqual(env.find((e) => e.name === "KAFKA_SASL_PASSWORD"), { name: "KAFKA_SASL_PASSWORD", valueFrom: { secretKeyRef: { name: "agg", key: "password" } } });
        assert.ok(env.every((e) => e.valueFrom || !/PASSWORD|PEM/.test(e.name)), "no secret value in the CR");
    });
});

describe("Strimzi's CRDs as the API server stores them (#24.6)", () => {
    const { crdSchemaTransform, withoutEmptySchemaProperties } = require("../../provider/kubernetes/retainCrds");
    const { strimziCrd } = require("./strimziCrds");
    const CRD = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
    const empties = (v: any, at = ""): string[] => (Array.isArray(v) ? v.flatMap((x, i) => empties(x, `${at}[${i}]`))
        : v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) =>
            (k === "properties" && x && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length === 0 ? [`${at}.${k}`] : empties(x, `${at}.${k}`))) : []);
    it("the vendored Kafka CRD has an empty `properties: {}` (status.clusterSecurity), which the transform drops and nothing else", () => {
        const crd = strimziCrd("Kafka");
        assert.ok(empties(crd).some((p) => p.includes("clusterSecurity")), "the fixture still has what the local check found diffing");
        const out = crdSchemaTransform({ type: CRD, name: "kafkas", props: crd, opts: { retainOnDelete: true } });
        assert.deepStrictEqual(empties(out.props), []);
        const cs = out.props.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.clusterSecurity;
        assert.deepStrictEqual(cs, { type: "object", "x-kubernetes-preserve-unknown-fields": true, description: "The current security configuration of the Kafka cluster." });
        assert.strictEqual(out.opts.retainOnDelete, true);
        // Everything else as it was.
        assert.deepStrictEqual(withoutEmptySchemaProperties(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec), crd.spec.versions[0].schema.openAPIV3Schema.properties.spec);
        assert.strictEqual(crdSchemaTransform({ type: "kubernetes:core/v1:ConfigMap", name: "c", props: { properties: {} }, opts: {} }), undefined);
    });
    it("also as the engine hands a transform the props (maps deserialized with no prototype)", () => {
        const rpc = require("@pulumi/pulumi/runtime/rpc");
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js");
        const props = rpc.deserializeProperties(Struct.fromJavaScript({
            spec: { versions: [{ name: "v1", schema: { openAPIV3Schema: { properties: { cs: { type: "object", properties: {} }, n: { type: "integer" } } } } }] },
        }));
        // In the provider's process the deserialized maps lack Object's prototype (seen on the local cluster).
        props.spec.versions[0].schema.openAPIV3Schema.properties.cs.properties = Object.create(Object.create(null));
        const out = crdSchemaTransform({ type: CRD, name: "kafkas", props, opts: {} });
        assert.deepStrictEqual(JSON.parse(JSON.stringify(out.props.spec.versions[0])),
            { name: "v1", schema: { openAPIV3Schema: { properties: { cs: { type: "object" }, n: { type: "integer" } } } } });
    });
    it("the Strimzi chart carries it", async () => {
        const g = await capture(() => new StrimziKafka("k", { chartPath: CHART() }));
        const chart = g.byType(T.chart)[0];
        const crd = { type: CRD, name: "x", props: { spec: { versions: [{ schema: { openAPIV3Schema: { properties: { a: { type: "object", properties: {} } } } } }] } }, opts: {} };
        let r: any = crd;
        for (const t of chart.transforms) r = { ...r, ...(t(r) ?? {}) }; // as the engine chains them
        assert.deepStrictEqual(r.props.spec.versions[0].schema.openAPIV3Schema.properties.a, { type: "object" });
        assert.strictEqual(r.opts.retainOnDelete, true);
    });
});
