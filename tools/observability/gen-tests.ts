// Writes promtool unit tests for Volley's alerts and dashboard into a
// directory, generated from the same TypeScript tables the package renders
// from (tools/observability/test.sh runs them):
//   rules.yaml            the alert rules with default settings
//   rules-tuned.yaml      the same with changed thresholds and switches
//   alerts.test.yaml      each alert fires on series that should trigger it and stays silent on others
//   tuned.test.yaml       inputs reach the rules (a changed threshold, a disabled alert)
//   dashboard.test.yaml   every dashboard and variable query returns its legend's series
//   canary-*.test.yaml    a misspelled metric, a misspelled label, the default alert
//                         tests against the tuned rules: each must FAIL
// Usage: ts-node tools/observability/gen-tests.ts OUT_DIR
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { renderPrometheusRuleSpec } from "../../provider/kubernetes/observability/rules";
import { ALERT_DEFAULTS, AlertKey, resolveAlerts } from "../../provider/kubernetes/observability/settings";
import { dashboardRows, dashboardVariables } from "../../provider/kubernetes/observability/dashboard";
import { series } from "../../provider/kubernetes/observability/metrics";

const out = process.argv[2];
if (!out) throw new Error("usage: gen-tests.ts OUT_DIR");
fs.mkdirSync(out, { recursive: true });
const write = (f: string, v: unknown) => fs.writeFileSync(path.join(out, f), yaml.dump(v, { lineWidth: -1, noRefs: true }));

const defaults = resolveAlerts({});
const tuned = resolveAlerts({ labels: { team: "streams" }, backpressure: { threshold: 0.99 }, degraded: { enabled: false }, stalled: { severity: "warning" } });
write("rules.yaml", renderPrometheusRuleSpec(defaults));
write("rules-tuned.yaml", renderPrometheusRuleSpec(tuned));

// Synthetic series. Volley's own metrics carry the scrape target's labels.
const NS = "streams";
const app = (job: string, extra = "") => `namespace="${NS}", job="${job}", pod="${job}-0"${extra}`;
const s = (name: string, labels: string, values: string) => ({ series: `${name}{${labels}}`, values });
const phases = (name: string, current: string | null, values?: Record<string, string>) =>
    ["Pending", "Running", "Degraded", "Failed"].map((p) =>
        s(series("phase"), `namespace="${NS}", name="${name}", phase="${p}"`, values?.[p] ?? (p === current ? "1x40" : "0x40")));
const buckets = (job: string, hot: string, n = 40) => ["1000", "10000", "60000", "120000", "+Inf"].map((le) =>
    s(series("checkpointDuration", "bucket"), app(job, `, le="${le}"`), Number(le === "+Inf" ? Infinity : le) >= Number(hot) ? `0+1x${n}` : `0x${n}`));

/** Rule annotations use only $labels: expand them for the expected alert. */
function expected(key: AlertKey, labels: Record<string, string>, r = defaults) {
    const rule = renderPrometheusRuleSpec(r).groups[0].rules.find((x) => x.alert === ALERT_DEFAULTS[key].name)!;
    const expand = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l) => labels[l] ?? "");
    const ann: Record<string, string> = {};
    for (const [k, v] of Object.entries(rule.annotations)) ann[k] = expand(v);
    return { exp_labels: { ...labels, ...rule.labels }, exp_annotations: ann };
}
const alert = (key: AlertKey, eval_time: string, firing: Record<string, string>[], r = defaults) =>
    ({ eval_time, alertname: ALERT_DEFAULTS[key].name, exp_alerts: firing.map((l) => expected(key, l, r)) });
const cr = (name: string) => ({ namespace: NS, name });
const job = (j: string) => ({ namespace: NS, job: j });

const tests = [
    {
        name: "phase: Pending, Failed or none for 10m fire NotRunning; Running, Degraded and short Pending do not",
        input_series: [...phases("stuck", "Pending"), ...phases("broken", "Failed"), ...phases("fine", "Running"), ...phases("limping", "Degraded"),
            ...phases("starting", null, { Pending: "1x6 0x34", Running: "0x6 1x34" }),
            // No status yet (the operator never saw it): no phase series, only spec.replicas.
            s(series("replicasDesired"), `namespace="${NS}", name="orphan"`, "1x40"),
            s(series("replicasDesired"), `namespace="${NS}", name="fine"`, "1x40")],
        alert_rule_test: [
            alert("notRunning", "5m", []),
            alert("notRunning", "15m", [cr("broken"), cr("orphan"), cr("stuck")]),
            alert("degraded", "15m", [cr("limping")]),
            alert("degraded", "3m", []),
        ],
    },
    {
        name: "checkpoint p99 above 60 s fires CheckpointSlow; fast checkpoints do not",
        input_series: [...buckets("slow", "120000"), ...buckets("quick", "1000")],
        alert_rule_test: [alert("checkpointSlow", "8m", []), alert("checkpointSlow", "25m", [job("slow")])],
    },
    {
        name: "no checkpoint for 3 intervals while up fires CheckpointMissing; checkpointing or just-started pipelines do not",
        input_series: [
            s(series("checkpointDuration", "count"), app("frozen"), "5x40"), s(series("uptime"), app("frozen"), "0+60x40"),
            s(series("checkpointDuration", "count"), app("steady"), "0+1x40"), s(series("uptime"), app("steady"), "0+60x40"),
            s(series("checkpointDuration", "count"), app("fresh"), "_x35 0x5"), s(series("uptime"), app("fresh"), "_x35 0+60x5"),
        ],
        alert_rule_test: [alert("checkpointMissing", "2m", []), alert("checkpointMissing", "38m", [job("frozen")])],
    },
    {
        name: "lag above 10000 and growing fires ConsumerLagGrowing; high but flat, or growing but low, do not",
        input_series: [
            s(series("consumerLag"), app("behind", `, topic="events", partition="0"`), "20000+100x40"),
            s(series("consumerLag"), app("flat", `, topic="events", partition="0"`), "20000x40"),
            s(series("consumerLag"), app("small", `, topic="events", partition="0"`), "100+10x40"),
        ],
        alert_rule_test: [alert("consumerLag", "5m", []), alert("consumerLag", "30m", [job("behind")])],
    },
    {
        name: "utilization above 0.8 for 10m fires Backpressure; 0.5 or a short burst do not",
        input_series: [
            s(series("channelUtilization"), app("jammed", `, operator="enrich"`), "0.95x40"),
            s(series("channelUtilization"), app("calm", `, operator="enrich"`), "0.5x40"),
            s(series("channelUtilization"), app("burst", `, operator="enrich"`), "0.95x5 0.3x35"),
        ],
        alert_rule_test: [alert("backpressure", "5m", []), alert("backpressure", "20m", [{ ...job("jammed"), operator: "enrich" }])],
    },
    {
        name: "nothing processed while the source has lag fires PipelineStalled (also with no counter yet); processing or no lag do not",
        input_series: [
            s(series("recordsProcessed"), app("stuck", `, operator="map"`), "100x40"), s(series("consumerLag"), app("stuck", `, topic="events", partition="0"`), "500x40"),
            s(series("consumerLag"), app("never", `, topic="events", partition="0"`), "500x40"),
            s(series("recordsProcessed"), app("busy", `, operator="map"`), "0+600x40"), s(series("consumerLag"), app("busy", `, topic="events", partition="0"`), "500x40"),
            s(series("recordsProcessed"), app("idle", `, operator="map"`), "100x40"), s(series("consumerLag"), app("idle", `, topic="events", partition="0"`), "0x40"),
        ],
        alert_rule_test: [alert("stalled", "3m", []), alert("stalled", "20m", [job("never"), job("stuck")])],
    },
];
write("alerts.test.yaml", { rule_files: ["rules.yaml"], evaluation_interval: "1m", tests: tests.map((t) => ({ interval: "1m", ...t })) });

// Canary: the default alert tests against the tuned rules must fail.
write("canary-alerts.test.yaml", { rule_files: ["rules-tuned.yaml"], evaluation_interval: "1m", tests: tests.map((t) => ({ interval: "1m", ...t })) });

write("tuned.test.yaml", {
    rule_files: ["rules-tuned.yaml"], evaluation_interval: "1m",
    tests: [{
        name: "tuned: backpressure threshold 0.99 keeps 0.95 silent, Degraded off, team label and stalled severity applied",
        interval: "1m",
        input_series: [
            s(series("channelUtilization"), app("jammed", `, operator="enrich"`), "0.95x40"),
            s(series("channelUtilization"), app("full", `, operator="enrich"`), "1x40"),
            ...phases("limping", "Degraded"),
            s(series("consumerLag"), app("never", `, topic="events", partition="0"`), "500x40"),
        ],
        alert_rule_test: [
            alert("backpressure", "20m", [{ ...job("full"), operator: "enrich" }], tuned),
            { eval_time: "20m", alertname: ALERT_DEFAULTS.degraded.name, exp_alerts: [] },
            alert("stalled", "20m", [job("never")], tuned),
        ],
    }],
});

// Dashboard: one application with every metric, queried as Grafana would with
// the variables set to it. Each query must return exactly its legend's series.
const LABEL_VALUES: Record<string, string> = { namespace: NS, job: "ingest", name: "ingest", pod: "ingest-0", operator: "map", topic: "events", phase: "Running" };
const one = app("ingest");
const dashSeries = [
    s(series("recordsPolled"), one, "0+600x70"),
    s(series("recordsProcessed"), app("ingest", `, operator="map"`), "0+600x70"),
    ...["10", "100", "+Inf"].map((le) => s(series("stageLatency", "bucket"), app("ingest", `, operator="map", le="${le}"`), `0+${le === "10" ? 5 : 10}x70`)),
    ...["1000", "60000", "+Inf"].map((le) => s(series("checkpointDuration", "bucket"), app("ingest", `, le="${le}"`), "0+1x70")),
    s(series("checkpointDuration", "count"), one, "0+1x50 50x20"),
    s(series("channelUtilization"), app("ingest", `, operator="map"`), "0.4x70"),
    s(series("consumerLag"), app("ingest", `, topic="events", partition="0"`), "100+5x70"),
    s(series("uptime"), one, "0+60x30 0+60x40"),
    ...phases("ingest", "Running", { Running: "1x70", Pending: "0x70", Degraded: "0x70", Failed: "0x70" }),
    s(series("replicasDesired"), `namespace="${NS}", name="ingest"`, "3x70"),
    s(series("replicasReady"), `namespace="${NS}", name="ingest"`, "2x70"),
];
const substitute = (q: string) => q.replace(/\$namespace/g, NS).replace(/\$application/g, "ingest")
    .replace(/\$__rate_interval/g, "5m").replace(/\$__range/g, "1h");
const legendLabels = (legend: string) => [...new Set([...legend.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
const check = (expr: string, labels: string[]) => ({
    expr: `count by (${labels.join(", ")}) (${expr}) > bool 0`,
    eval_time: "65m",
    exp_samples: [{ labels: `{${labels.map((l) => `${l}="${LABEL_VALUES[l]}"`).join(", ")}}`, value: 1 }],
});
const exprTests: any[] = [];
for (const row of dashboardRows({ phaseMetric: true })) {
    for (const p of row.panels) for (const q of p.queries) exprTests.push(check(substitute(q.expr), legendLabels(q.legend)));
}
for (const v of dashboardVariables()) {
    const m = /^label_values\((.+), (\w+)\)$/.exec(substitute(v.query));
    if (!m) throw new Error(`variable ${v.name}: not a label_values() query: ${v.query}`);
    exprTests.push(check(m[1], [m[2]]));
}
const dashTest = (tests: any[]) => ({ rule_files: [], evaluation_interval: "1m", tests: [{ name: "dashboard queries", interval: "1m", input_series: dashSeries, promql_expr_test: tests }] });
write("dashboard.test.yaml", dashTest(exprTests));
// Canaries: the same tests with one metric and one label misspelled must fail,
// or the dashboard test could not catch such mistakes.
const first = exprTests[0];
write("canary-metric.test.yaml", dashTest([{ ...first, expr: first.expr.replace(series("recordsPolled"), "volley_source_record_polled_total") }]));
write("canary-label.test.yaml", dashTest([{ ...first, expr: first.expr.replace('job=~"ingest"', 'jobs=~"ingest"') }]));
console.log(`${tests.length + 1} alert test groups, ${exprTests.length} dashboard query tests -> ${out}`);
