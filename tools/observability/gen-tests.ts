// Writes promtool unit tests for Volley's alerts and dashboard into a
// directory, generated from the same TypeScript tables the package renders
// from (tools/observability/test.sh runs them):
//   rules.yaml            the alert rules with default settings
//   rules-tuned.yaml      the same with changed thresholds, switches and the operator namespace
//   rules-renamed.yaml    the same with `metricNames` overriding the uptime metric's name
//   alerts.test.yaml      each alert fires on series that should trigger it and stays silent on others
//   tuned.test.yaml       inputs reach the rules (thresholds, a disabled alert, metric names)
//   dashboard.test.yaml   every dashboard and variable query returns its legend's series (default and renamed metrics)
//   rules-kafka*.yaml     the Kafka consumer-group lag alert (issue 24), default and tuned
//   kafka.test.yaml       it fires on Kafka Exporter series that should trigger it, also while the consumers are down
//   canary-*.test.yaml    tests that must FAIL (also: the Kafka tests against the tuned Kafka rule): a misspelled metric, a misspelled label, the default alert
//                         tests against the tuned rules, the old 60000 ms threshold, the old 1-minute
//                         checkpoint assumption, and the scrape job as the application label
// Fixtures follow published conventions, not the package's constants: the
// histogram boundaries are the OpenTelemetry SDK's defaults, the target
// labels are the ones prometheus-operator sets on a ServiceMonitor target,
// and the metrics Service is named `<app>-metrics` as in the operator double.
// Usage: ts-node tools/observability/gen-tests.ts OUT_DIR
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { renderPrometheusRuleSpec } from "../../provider/kubernetes/observability/rules";
import { ALERT_DEFAULTS, AlertKey, ResolvedAlerts, resolveAlerts } from "../../provider/kubernetes/observability/settings";
import { dashboardRows, dashboardVariables } from "../../provider/kubernetes/observability/dashboard";
import { MetricKey, resolveMetricNames, series as seriesOf } from "../../provider/kubernetes/observability/metrics";
import { KAFKA_LAG_ALERT, renderKafkaRuleSpec, resolveKafkaLagAlert } from "../../provider/kubernetes/kafka/metrics";

const out = process.argv[2];
if (!out) throw new Error("usage: gen-tests.ts OUT_DIR");
fs.mkdirSync(out, { recursive: true });
const write = (f: string, v: unknown) => fs.writeFileSync(path.join(out, f), yaml.dump(v, { lineWidth: -1, noRefs: true }));

/**
 * The OpenTelemetry SDK's default explicit bucket boundaries, copied from the
 * specification (https://opentelemetry.io/docs/specs/otel/metrics/sdk/#explicit-bucket-histogram-aggregation),
 * not from the package.
 */
const OTEL_SPEC_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** The Rust opentelemetry-prometheus exporter's uptime name (unit appended although present). */
const RUST_UPTIME = "volley_pipeline_uptime_seconds_seconds";

const defaults = resolveAlerts({});
const tuned = resolveAlerts({
    labels: { team: "streams" }, operatorNamespace: "volley-system",
    backpressure: { threshold: 0.99 }, degraded: { enabled: false }, stalled: { severity: "warning" },
    checkpointSlow: { threshold: 1000, share: 0.5 }, checkpointMissing: { window: "10m" },
});
const renamedNames = { "volley.pipeline.uptime_seconds": RUST_UPTIME };
const renamed = resolveAlerts({}, renamedNames);
// What the package rendered before issue 20: a 60000 ms threshold, a 1-minute checkpoint interval.
const old60s = resolveAlerts({ checkpointSlow: { threshold: 60000 } });
const oldInterval = resolveAlerts({ checkpointInterval: "1m", checkpointMissing: { forDuration: "0m" } });
write("rules.yaml", renderPrometheusRuleSpec(defaults));
write("rules-tuned.yaml", renderPrometheusRuleSpec(tuned));
write("rules-renamed.yaml", renderPrometheusRuleSpec(renamed));
write("rules-old-60s.yaml", renderPrometheusRuleSpec(old60s));
write("rules-old-interval.yaml", renderPrometheusRuleSpec(oldInterval));

const series = (key: MetricKey, part?: "bucket" | "sum" | "count") => seriesOf(key, part);
// Synthetic series. Volley's own metrics carry the labels prometheus-operator
// puts on a ServiceMonitor target: namespace, pod, service, job (= the
// Service's name, here `<app>-metrics`, not the application's), endpoint.
const NS = "streams";
const app = (name: string, extra = "", ordinal = 0) =>
    `namespace="${NS}", pod="${name}-${ordinal}", service="${name}-metrics", job="${name}-metrics", endpoint="metrics", instance="10.0.0.1:9090"${extra}`;
const s = (name: string, labels: string, values: string) => ({ series: `${name}{${labels}}`, values });
const ksm = `job="kube-state-metrics", pod="kube-prometheus-stack-kube-state-metrics-5d8f7-abcde"`;
const phases = (name: string, current: string | null, values?: Record<string, string>, n = 40) =>
    ["Pending", "Running", "Degraded", "Failed"].map((p) =>
        s(series("phase"), `namespace="${NS}", name="${name}", phase="${p}", ${ksm}`, values?.[p] ?? (p === current ? `1x${n}` : `0x${n}`)));
/**
 * A histogram where every observation has value `observed` ms, `perMinute` a minute for `n` minutes, then
 * none for `hold` minutes; `le` spelled as Prometheus 2 (`10000`) or 3 (`10000.0`).
 */
const histogram = (metric: "checkpointDuration" | "stageLatency", labels: string, observed: number, perMinute: number, n = 40, prom3 = false, hold = 0) => {
    const growing = (step: number) => (step ? `0+${step}x${n}` : `0x${n}`) + (hold ? ` ${step * n}x${hold}` : "");
    return [
        ...[...OTEL_SPEC_BOUNDARIES.map(String), "+Inf"].map((le) =>
            s(series(metric, "bucket"), `${labels}, le="${prom3 && le !== "+Inf" ? `${le}.0` : le}"`, growing(le === "+Inf" || Number(le) >= observed ? perMinute : 0))),
        s(series(metric, "count"), labels, growing(perMinute)),
        s(series(metric, "sum"), labels, growing(perMinute * observed)),
    ];
};

/** Rule annotations use only $labels: expand them for the expected alert. */
function expected(key: AlertKey, labels: Record<string, string>, r: ResolvedAlerts) {
    const rule = renderPrometheusRuleSpec(r).groups[0].rules.find((x) => x.alert === ALERT_DEFAULTS[key].name)!;
    const expand = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l) => labels[l] ?? "");
    const ann: Record<string, string> = {};
    for (const [k, v] of Object.entries(rule.annotations)) ann[k] = expand(v);
    return { exp_labels: { ...labels, ...rule.labels }, exp_annotations: ann };
}
const alert = (key: AlertKey, eval_time: string, firing: Record<string, string>[], r = defaults) =>
    ({ eval_time, alertname: ALERT_DEFAULTS[key].name, exp_alerts: firing.map((l) => expected(key, l, r)) });
const cr = (name: string) => ({ namespace: NS, name });
const application = (a: string) => ({ namespace: NS, application: a });

const checkpointMissingTest = {
    name: "no checkpoint in 30m while up fires CheckpointMissing after 5m; checkpointing every minute or every 20 minutes, or just started, do not",
    input_series: [
        s(series("checkpointDuration", "count"), app("frozen"), "5x60"), s(series("uptime"), app("frozen"), "0+60x60"),
        s(series("checkpointDuration", "count"), app("steady"), "0+1x60"), s(series("uptime"), app("steady"), "0+60x60"),
        // A checkpoint every 20 minutes: the guide documents no interval, so this is normal.
        s(series("checkpointDuration", "count"), app("sparse"), "0x19 1x20 2x20 3"), s(series("uptime"), app("sparse"), "0+60x60"),
        s(series("checkpointDuration", "count"), app("fresh"), "_x45 0x15"), s(series("uptime"), app("fresh"), "_x45 0+60x15"),
    ],
    alert_rule_test: [alert("checkpointMissing", "33m", []), alert("checkpointMissing", "50m", [application("frozen")])],
};

const tests = [
    {
        name: "phase: Pending, Failed or none for 10m fire NotRunning; Running, Degraded and short Pending do not",
        input_series: [...phases("stuck", "Pending"), ...phases("broken", "Failed"), ...phases("fine", "Running"), ...phases("limping", "Degraded"),
            ...phases("starting", null, { Pending: "1x6 0x34", Running: "0x6 1x34" }),
            // No status yet (the operator never saw it): no phase series, only spec.replicas.
            s(series("replicasDesired"), `namespace="${NS}", name="orphan", ${ksm}`, "1x40"),
            s(series("replicasDesired"), `namespace="${NS}", name="fine", ${ksm}`, "1x40")],
        alert_rule_test: [
            alert("notRunning", "5m", []),
            alert("notRunning", "15m", [cr("broken"), cr("orphan"), cr("stuck")]),
            alert("degraded", "15m", [cr("limping")]),
            alert("degraded", "3m", []),
        ],
    },
    {
        name: "default OpenTelemetry buckets: checkpoints above 10000 ms fire CheckpointSlow (both le spellings); fast, rarely slow or none do not",
        input_series: [
            ...histogram("checkpointDuration", app("slow"), 12000, 1),
            ...histogram("checkpointDuration", app("slow3"), 30000, 1, 40, true),
            ...histogram("checkpointDuration", app("quick"), 800, 1),
            // 1 in 1000 above 10000 ms: a share of 0.001, under the default 0.01.
            ...[...OTEL_SPEC_BOUNDARIES.map(String), "+Inf"].map((le) => s(series("checkpointDuration", "bucket"), app("rare", `, le="${le}"`),
                le === "+Inf" ? "0+1000x40" : Number(le) >= 500 ? "0+999x40" : "0x40")),
            s(series("checkpointDuration", "count"), app("rare"), "0+1000x40"),
            ...histogram("checkpointDuration", app("idle"), 0, 0),
        ],
        alert_rule_test: [alert("checkpointSlow", "8m", []), alert("checkpointSlow", "25m", [application("slow"), application("slow3")])],
    },
    checkpointMissingTest,
    {
        name: "lag above 10000 and growing fires ConsumerLagGrowing; high but flat, or growing but low, do not",
        input_series: [
            s(series("consumerLag"), app("behind", `, topic="events", partition="0"`), "20000+100x40"),
            s(series("consumerLag"), app("flat", `, topic="events", partition="0"`), "20000x40"),
            s(series("consumerLag"), app("small", `, topic="events", partition="0"`), "100+10x40"),
        ],
        alert_rule_test: [alert("consumerLag", "5m", []), alert("consumerLag", "30m", [application("behind")])],
    },
    {
        name: "utilization above 0.8 for 10m fires Backpressure; 0.5 or a short burst do not",
        input_series: [
            s(series("channelUtilization"), app("jammed", `, operator="enrich"`), "0.95x40"),
            s(series("channelUtilization"), app("calm", `, operator="enrich"`), "0.5x40"),
            s(series("channelUtilization"), app("burst", `, operator="enrich"`), "0.95x5 0.3x35"),
        ],
        alert_rule_test: [alert("backpressure", "5m", []), alert("backpressure", "20m", [{ ...application("jammed"), operator: "enrich" }])],
    },
    {
        name: "nothing processed while the source has lag fires PipelineStalled (also with no counter yet); processing or no lag do not",
        input_series: [
            s(series("recordsProcessed"), app("stuck", `, operator="map"`), "100x40"), s(series("consumerLag"), app("stuck", `, topic="events", partition="0"`), "500x40"),
            s(series("consumerLag"), app("never", `, topic="events", partition="0"`), "500x40"),
            s(series("recordsProcessed"), app("busy", `, operator="map"`), "0+600x40"), s(series("consumerLag"), app("busy", `, topic="events", partition="0"`), "500x40"),
            s(series("recordsProcessed"), app("idle", `, operator="map"`), "100x40"), s(series("consumerLag"), app("idle", `, topic="events", partition="0"`), "0x40"),
        ],
        alert_rule_test: [alert("stalled", "3m", []), alert("stalled", "20m", [application("never"), application("stuck")])],
    },
    {
        name: "Running with ready pods but no uptime series (not scraped, or under another name) fires MetricsAbsent; scraped, scaled to zero or Pending do not",
        input_series: [
            ...phases("blind", "Running"), s(series("replicasReady"), `namespace="${NS}", name="blind", ${ksm}`, "2x40"),
            ...phases("seen", "Running"), s(series("replicasReady"), `namespace="${NS}", name="seen", ${ksm}`, "2x40"),
            s(series("uptime"), app("seen", "", 0), "0+60x40"), s(series("uptime"), app("seen", "", 1), "0+60x40"),
            // Exported under the Rust exporter's name: the default table does not see it.
            ...phases("rusty", "Running"), s(series("replicasReady"), `namespace="${NS}", name="rusty", ${ksm}`, "1x40"),
            s(RUST_UPTIME, app("rusty"), "0+60x40"),
            ...phases("zero", "Running"), s(series("replicasReady"), `namespace="${NS}", name="zero", ${ksm}`, "0x40"),
            ...phases("waiting", "Pending"), s(series("replicasReady"), `namespace="${NS}", name="waiting", ${ksm}`, "1x40"),
        ],
        alert_rule_test: [alert("metricsAbsent", "5m", []), alert("metricsAbsent", "20m", [cr("blind"), cr("rusty")])],
    },
    {
        name: "the operator's Deployment without an available replica fires OperatorDown; available, or another Deployment, do not",
        input_series: [
            s(series("deploymentAvailable"), `namespace="volley-system", deployment="volley-operator", ${ksm}`, "1x3 0x37"),
            s(series("deploymentAvailable"), `namespace="volley-staging", deployment="volley-operator", ${ksm}`, "1x40"),
            s(series("deploymentAvailable"), `namespace="volley-system", deployment="something-else", ${ksm}`, "0x40"),
        ],
        alert_rule_test: [alert("operatorDown", "6m", []), alert("operatorDown", "15m", [{ namespace: "volley-system", deployment: "volley-operator" }])],
    },
];
const alertFile = (rules: string, ts: any[]) => ({ rule_files: [rules], evaluation_interval: "1m", tests: ts.map((t) => ({ interval: "1m", ...t })) });
write("alerts.test.yaml", alertFile("rules.yaml", tests));

// Canaries: each must fail, or the tests above could not catch what it breaks.
write("canary-alerts.test.yaml", alertFile("rules-tuned.yaml", tests));
write("canary-old-60s.test.yaml", alertFile("rules-old-60s.yaml", tests.filter((t) => t.alert_rule_test.some((a) => a.alertname === "VolleyCheckpointSlow"))));
write("canary-old-interval.test.yaml", alertFile("rules-old-interval.yaml", [checkpointMissingTest]));

write("tuned.test.yaml", alertFile("rules-tuned.yaml", [
    {
        name: "tuned: backpressure 0.99, Degraded off, team label, stalled severity, slow share 0.5 over 1000 ms, a 10m checkpoint window, one operator namespace",
        input_series: [
            s(series("channelUtilization"), app("jammed", `, operator="enrich"`), "0.95x40"),
            s(series("channelUtilization"), app("full", `, operator="enrich"`), "1x40"),
            ...phases("limping", "Degraded"),
            s(series("consumerLag"), app("never", `, topic="events", partition="0"`), "500x40"),
            ...histogram("checkpointDuration", app("slowish"), 2000, 1),
            ...histogram("checkpointDuration", app("quick"), 800, 1),
            s(series("checkpointDuration", "count"), app("frozen"), "5x40"), s(series("uptime"), app("frozen"), "0+60x40"),
            s(series("deploymentAvailable"), `namespace="volley-system", deployment="volley-operator", ${ksm}`, "0x40"),
            s(series("deploymentAvailable"), `namespace="volley-staging", deployment="volley-operator", ${ksm}`, "0x40"),
        ],
        alert_rule_test: [
            alert("backpressure", "20m", [{ ...application("full"), operator: "enrich" }], tuned),
            { eval_time: "20m", alertname: ALERT_DEFAULTS.degraded.name, exp_alerts: [] },
            alert("stalled", "20m", [application("never")], tuned),
            alert("checkpointSlow", "25m", [application("slowish")], tuned),
            alert("checkpointMissing", "20m", [application("frozen")], tuned),
            alert("operatorDown", "20m", [{ namespace: "volley-system", deployment: "volley-operator" }], tuned),
        ],
    },
]));
write("renamed.test.yaml", alertFile("rules-renamed.yaml", [
    {
        name: "metricNames: with the uptime renamed, its series counts and the default name is absent",
        input_series: [
            ...phases("rusty", "Running"), s(series("replicasReady"), `namespace="${NS}", name="rusty", ${ksm}`, "1x40"), s(RUST_UPTIME, app("rusty"), "0+60x40"),
            ...phases("spec", "Running"), s(series("replicasReady"), `namespace="${NS}", name="spec", ${ksm}`, "1x40"), s(series("uptime"), app("spec"), "0+60x40"),
        ],
        alert_rule_test: [alert("metricsAbsent", "20m", [cr("spec")], renamed)],
    },
]));

// Dashboard: one application with every metric, queried as Grafana would with
// the variables set to it. Each query must return exactly its legend's series.
const LABEL_VALUES: Record<string, string> = { namespace: NS, application: "ingest", name: "ingest", pod: "ingest-0", operator: "map", topic: "events", phase: "Running" };
function dashSeries(uptimeName: string) {
    const one = app("ingest");
    return [
        s(series("recordsPolled"), one, "0+600x70"),
        s(series("recordsProcessed"), app("ingest", `, operator="map"`), "0+600x70"),
        ...histogram("stageLatency", app("ingest", `, operator="map"`), 30, 600, 70),
        // Checkpoints stop after 50 minutes: "time since the last checkpoint" then grows.
        ...histogram("checkpointDuration", one, 4000, 1, 50, false, 20),
        s(series("channelUtilization"), app("ingest", `, operator="map"`), "0.4x70"),
        s(series("consumerLag"), app("ingest", `, topic="events", partition="0"`), "100+5x70"),
        s(uptimeName, one, "0+60x30 0+60x40"),
        ...phases("ingest", "Running", undefined, 70),
        s(series("replicasDesired"), `namespace="${NS}", name="ingest", ${ksm}`, "3x70"),
        s(series("replicasReady"), `namespace="${NS}", name="ingest", ${ksm}`, "2x70"),
    ];
}
const substitute = (q: string) => q.replace(/\$namespace/g, NS).replace(/\$application/g, "ingest")
    .replace(/\$__rate_interval/g, "5m").replace(/\$__range/g, "1h");
const legendLabels = (legend: string) => [...new Set([...legend.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
const check = (expr: string, labels: string[], values = LABEL_VALUES) => ({
    expr: `count by (${labels.join(", ")}) (${expr}) > bool 0`,
    eval_time: "65m",
    exp_samples: [{ labels: `{${labels.map((l) => `${l}="${values[l]}"`).join(", ")}}`, value: 1 }],
});
function dashboardChecks(metricNames?: Record<string, string>): any[] {
    const checks: any[] = [];
    for (const row of dashboardRows({ phaseMetric: true, metricNames })) {
        for (const p of row.panels) for (const q of p.queries) checks.push(check(substitute(q.expr), legendLabels(q.legend)));
    }
    for (const v of dashboardVariables(metricNames)) {
        const m = /^label_values\((.+), (\w+)\)$/.exec(substitute(v.query));
        if (!m) throw new Error(`variable ${v.name}: not a label_values() query: ${v.query}`);
        if (!v.regex) { checks.push(check(m[1], [m[2]])); continue; }
        // Grafana keeps capture group 1 of the regex: the same as label_replace into the variable's name.
        const re = /^\/\^(.*)\$\/$/.exec(v.regex);
        if (!re) throw new Error(`variable ${v.name}: regex ${v.regex} is not /^...$/`);
        checks.push(check(`label_replace(${m[1]}, "${v.name}", "$1", "${m[2]}", "${re[1]}")`, [v.name], { ...LABEL_VALUES, application: "ingest" }));
    }
    return checks;
}
const exprTests = dashboardChecks();
const dashTest = (tests: any[], uptimeName = series("uptime")) => ({ rule_files: [], evaluation_interval: "1m", tests: [{ name: "dashboard queries", interval: "1m", input_series: dashSeries(uptimeName), promql_expr_test: tests }] });
write("dashboard.test.yaml", {
    rule_files: [], evaluation_interval: "1m",
    tests: [dashTest(exprTests).tests[0], { ...dashTest(dashboardChecks(renamedNames), RUST_UPTIME).tests[0], name: "dashboard queries, uptime renamed by metricNames" }],
});
// Canaries: the same tests with one metric misspelled, with the label
// misspelled, or keyed on the scrape job as the application, must fail.
const first = exprTests[0];
write("canary-metric.test.yaml", dashTest([{ ...first, expr: first.expr.replace(series("recordsPolled"), "volley_source_record_polled_total") }]));
write("canary-label.test.yaml", dashTest([{ ...first, expr: first.expr.replace('pod=~"(ingest)-[0-9]+"', 'pods=~"(ingest)-[0-9]+"') }]));
write("canary-job.test.yaml", dashTest([{ ...first, expr: first.expr.replace('pod=~"(ingest)-[0-9]+"', 'job=~"ingest"') }]));
write("canary-renamed.test.yaml", dashTest(dashboardChecks(renamedNames)));
// Kafka Exporter's lag (issue 24). The series carry what the Strimzi PodMonitor
// gives a Kafka Exporter target: the pod's strimzi.io/* labels as strimzi_io_*
// (labelmap), namespace, pod, job "<namespace>/<PodMonitor>", endpoint; the
// metric's own labels are Kafka Exporter's: consumergroup, topic, partition.
const KAFKA_NS = "kafka";
const exporterTarget = (cluster = "volley") => `namespace="${KAFKA_NS}", pod="${cluster}-kafka-exporter-7c9d8-x2k4p", job="${KAFKA_NS}/${cluster}-kafka-exporter", ` +
    `endpoint="tcp-prometheus", strimzi_io_cluster="${cluster}", strimzi_io_kind="Kafka", strimzi_io_name="${cluster}-kafka-exporter"`;
const lagSeries = (group: string, topic: string, partition: string, values: string, cluster = "volley") =>
    s("kafka_consumergroup_lag", `${exporterTarget(cluster)}, consumergroup="${group}", topic="${topic}", partition="${partition}"`, values);
const kafkaDefaults = resolveKafkaLagAlert({});
const kafkaTuned = resolveKafkaLagAlert({ threshold: 50000, severity: "critical", forDuration: "5m" }, { team: "streams" });
write("rules-kafka.yaml", renderKafkaRuleSpec("volley", KAFKA_NS, kafkaDefaults));
write("rules-kafka-tuned.yaml", renderKafkaRuleSpec("volley", KAFKA_NS, kafkaTuned));
const kafkaExpected = (labels: Record<string, string>, a = kafkaDefaults) => {
    const rule = renderKafkaRuleSpec("volley", KAFKA_NS, a).groups[0].rules[0];
    const expand = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l) => labels[l] ?? "");
    return { exp_labels: { ...labels, ...rule.labels }, exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v as string)])) };
};
const group = (consumergroup: string, topic = "orders") => ({ namespace: KAFKA_NS, strimzi_io_cluster: "volley", consumergroup, topic });
const kafkaTests = [{
    name: "Kafka Exporter lag above 10000 per group and topic, not shrinking, fires for 10m: consumers down (flat), behind (growing), summed over partitions; catching up, small or another cluster do not",
    input_series: [
        lagSeries("down", "orders", "0", "20000x40"),
        lagSeries("behind", "orders", "0", "20000+100x40"),
        lagSeries("split", "orders", "0", "6000x40"), lagSeries("split", "orders", "1", "6000x40"),
        lagSeries("catching", "orders", "0", "50000-500x40"),
        lagSeries("small", "orders", "0", "100+10x40"),
        lagSeries("down", "orders", "0", "90000x40", "other"),
    ],
    alert_rule_test: [
        { eval_time: "8m", alertname: KAFKA_LAG_ALERT, exp_alerts: [] },
        { eval_time: "30m", alertname: KAFKA_LAG_ALERT, exp_alerts: [group("behind"), group("down"), group("split")].map((l) => kafkaExpected(l)) },
    ],
}];
write("kafka.test.yaml", alertFile("rules-kafka.yaml", kafkaTests));
write("kafka-tuned.test.yaml", alertFile("rules-kafka-tuned.yaml", [{
    name: "tuned Kafka lag: threshold 50000, critical, team label",
    input_series: [lagSeries("down", "orders", "0", "60000x40"), lagSeries("behind", "orders", "0", "20000+100x40")],
    alert_rule_test: [{ eval_time: "30m", alertname: KAFKA_LAG_ALERT, exp_alerts: [kafkaExpected({ ...group("down"), team: "streams" }, kafkaTuned)] }],
}]));
write("canary-kafka.test.yaml", alertFile("rules-kafka-tuned.yaml", kafkaTests));

console.log(`${tests.length + 2} alert test groups, ${exprTests.length} dashboard query tests (x2) -> ${out}`);
