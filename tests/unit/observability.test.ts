// Volley's observability as data: the metrics table, the alert rules, the
// dashboard, the kube-state-metrics configuration, their validation and the
// PrometheusStack children. (promtool evaluates the queries: tools/observability.)
import * as assert from "assert";
import { OPERATOR } from "./validate.test";
import { METRICS, MetricDef, prometheusSeriesNames } from "../../provider/kubernetes/observability/metrics";
import { renderPrometheusRuleSpec, durationSeconds } from "../../provider/kubernetes/observability/rules";
import { ALERT_DEFAULTS, ALERT_KEYS, resolveAlerts } from "../../provider/kubernetes/observability/settings";
import { DASHBOARD_UID, dashboardRows, dashboardVariables, renderDashboard } from "../../provider/kubernetes/observability/dashboard";
import { customResourceStateConfig, kubeStateMetricsValues } from "../../provider/kubernetes/observability/kubeStateMetrics";
import { dashboardConfigMap, prometheusRule } from "../../provider/kubernetes/observability/objects";
import { prometheusStackValues } from "../../provider/kubernetes/render/helm";
import { validateKubernetesEnvironment, validatePrometheusStack } from "../../provider/kubernetes/validate/platform";
import { PrometheusStack } from "../../provider/kubernetes/prometheusStack";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { capture } from "./graph";
import * as fs from "fs";
import * as path from "path";

/** The OpenTelemetry -> Prometheus naming rules (see metrics.ts). */
function derive(m: MetricDef): string {
    const suffix: Record<string, string> = { ms: "_milliseconds", s: "_seconds", "1": "_ratio" };
    let name = m.otel.replace(/\./g, "_") + (suffix[m.unit] ?? "");
    if (m.kind === "counter") name += "_total";
    return name;
}

/** Metric-like names an expression uses: every identifier followed by `{` or `[`, plus any volley_/kube_ name. */
function metricsOf(expr: string): string[] {
    const names = new Set<string>();
    for (const m of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)) names.add(m[1]);
    for (const m of expr.matchAll(/\b((?:volley|kube)_[a-zA-Z0-9_]+)/g)) names.add(m[1]);
    return [...names];
}

function allDashboardExprs(d: any): string[] {
    return [
        ...d.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)),
        ...d.templating.list.map((v: any) => v.definition),
    ];
}

describe("observability: metrics table", () => {
    it("derives every Volley Prometheus name from its OpenTelemetry name, kind and unit", () => {
        for (const [k, m] of Object.entries(METRICS) as [string, MetricDef][]) {
            if (m.source === "volley") assert.strictEqual(m.prometheus, derive(m), k);
        }
        assert.strictEqual(METRICS.stageLatency.prometheus, "volley_stage_latency_ms_milliseconds");
        assert.strictEqual(METRICS.uptime.prometheus, "volley_pipeline_uptime_seconds_seconds");
        // The guide's KEDA example queries this name.
        assert.strictEqual(METRICS.channelUtilization.prometheus, "volley_channel_utilization");
    });

    it("covers the seven metrics of the operator guide", () => {
        const otel = (Object.values(METRICS) as MetricDef[]).filter((m) => m.source === "volley").map((m) => m.otel).sort();
        assert.deepStrictEqual(otel, ["volley.channel.utilization", "volley.checkpoint.duration_ms", "volley.kafka.consumer_lag",
            "volley.pipeline.uptime_seconds", "volley.records.processed", "volley.source.records_polled", "volley.stage.latency_ms"]);
    });
});

describe("observability: rules and dashboard use only the table's metrics", () => {
    const known = new Set(prometheusSeriesNames());
    it("every alert expression", () => {
        const rules = renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules;
        assert.strictEqual(rules.length, ALERT_KEYS.length);
        for (const r of rules) for (const m of metricsOf(r.expr)) assert.ok(known.has(m), `${r.alert} uses ${m}, not in the metrics table`);
    });
    it("every dashboard panel and variable query", () => {
        const exprs = allDashboardExprs(renderDashboard({ phaseMetric: true }));
        assert.ok(exprs.length >= 16, `${exprs.length} queries`);
        for (const e of exprs) for (const m of metricsOf(e)) assert.ok(known.has(m), `dashboard query uses ${m}, not in the metrics table: ${e}`);
    });
    it("the checker itself catches a name outside the table", () => {
        assert.ok(metricsOf('rate(volley_records_procesed_total{job="a"}[5m])').some((m) => !known.has(m)));
    });
});

describe("observability: alert rules", () => {
    it("renders the seven alerts with their default severities and durations", () => {
        const rules = renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules;
        assert.deepStrictEqual(rules.map((r) => [r.alert, r.labels.severity, r.for]), ALERT_KEYS.map((k) => {
            const d = ALERT_DEFAULTS[k];
            return [d.name, d.severity, durationSeconds(d.forDuration) ? d.forDuration : undefined];
        }));
    });
    it("applies thresholds, severities, switches and extra labels", () => {
        const r = resolveAlerts({
            labels: { team: "streams" }, checkpointInterval: "30s",
            checkpointSlow: { threshold: 5000, severity: "critical", forDuration: "15m" }, checkpointMissing: { threshold: 4 },
            backpressure: { enabled: false }, consumerLag: { threshold: 42 },
        });
        const rules = renderPrometheusRuleSpec(r).groups[0].rules;
        const by = (n: string) => rules.find((x) => x.alert === n)!;
        assert.strictEqual(rules.find((x) => x.alert === "VolleyBackpressure"), undefined);
        assert.match(by("VolleyCheckpointSlow").expr, / > 5000$/);
        assert.deepStrictEqual(by("VolleyCheckpointSlow").labels, { team: "streams", severity: "critical" });
        assert.strictEqual(by("VolleyCheckpointSlow").for, "15m");
        assert.match(by("VolleyCheckpointMissing").expr, /\[120s\]/);
        assert.match(by("VolleyConsumerLagGrowing").expr, / > 42 and /);
    });
    it("annotations use only labels, so they are stable between evaluations", () => {
        for (const r of renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules) {
            for (const a of Object.values(r.annotations)) assert.ok(!a.includes("$value"), r.alert);
        }
    });
    it("parses Prometheus durations", () => {
        assert.strictEqual(durationSeconds("1m30s"), 90);
        assert.throws(() => durationSeconds("5 minutes"));
    });
});

describe("observability: dashboard", () => {
    it("is the Volley dashboard with namespace and application variables, on the stack's datasource", () => {
        const d = renderDashboard({ phaseMetric: true });
        assert.strictEqual(d.title, "Volley");
        assert.strictEqual(d.uid, DASHBOARD_UID);
        assert.deepStrictEqual(d.templating.list.map((v: any) => v.name), ["namespace", "application"]);
        for (const p of d.panels.filter((x: any) => x.type !== "row")) assert.deepStrictEqual(p.datasource, { type: "prometheus", uid: "prometheus" }, p.title);
        for (const e of allDashboardExprs(d).slice(0, -2)) assert.match(e, /namespace=~"\$namespace", (job|name)=~"\$application"/);
    });
    it("has the panels the issue asks for", () => {
        const titles = dashboardRows({ phaseMetric: true }).flatMap((r) => r.panels.map((p) => p.title));
        for (const t of ["Records polled / s", "Records processed / s", "Stage latency p50 / p99", "Checkpoint duration p99", "Time since last checkpoint",
            "Channel utilization (backpressure)", "Kafka consumer lag", "Kafka consumer lag growth / s", "Pipeline uptime", "Pipeline restarts",
            "Replicas desired vs ready", "Application phase"]) assert.ok(titles.includes(t), t);
    });
    it("leaves out the phase and replica panels without the phase metric", () => {
        const titles = dashboardRows({ phaseMetric: false }).flatMap((r) => r.panels.map((p) => p.title));
        assert.ok(!titles.includes("Application phase") && !titles.includes("Replicas desired vs ready"));
        assert.ok(dashboardVariables().every((v) => !v.query.includes("kube_")));
    });
    it("renders the same JSON twice (no random ids or times)", () => {
        assert.strictEqual(JSON.stringify(renderDashboard({ phaseMetric: true })), JSON.stringify(renderDashboard({ phaseMetric: true })));
    });
    it("ships as a ConfigMap labelled for the Grafana sidecar", () => {
        const cm = dashboardConfigMap("monitoring", { phaseMetric: true });
        assert.strictEqual(cm.metadata.labels.grafana_dashboard, "1");
        assert.strictEqual(cm.metadata.namespace, "monitoring");
        assert.strictEqual(JSON.parse(cm.data["volley.json"]).uid, "volley");
    });
});

describe("observability: kube-state-metrics phase metric", () => {
    it("exports status.phase as a StateSet and the replica counts, with list/watch RBAC", () => {
        const cfg = customResourceStateConfig();
        const res = cfg.spec.resources[0];
        assert.deepStrictEqual(res.groupVersionKind, { group: "volley.io", version: "v1alpha1", kind: "VolleyApplication" });
        const phase = res.metrics.find((m: any) => m.each.type === "StateSet");
        assert.deepStrictEqual(phase.each.stateSet, { labelName: "phase", path: ["status", "phase"], list: ["Pending", "Running", "Degraded", "Failed"] });
        assert.strictEqual(`${res.metricNamePrefix}_${phase.name}`, METRICS.phase.prometheus);
        const rules = kubeStateMetricsValues().rbac.extraRules;
        assert.deepStrictEqual(rules[0], { apiGroups: ["volley.io"], resources: ["volleyapplications"], verbs: ["list", "watch"] });
        assert.ok(rules.every((r: any) => !r.verbs.includes("*") && !r.resources.includes("*")));
    });
    it("is merged into the stack's values unless turned off; user values still win", () => {
        const on = prometheusStackValues({}, { "kube-state-metrics": { replicas: 2 } }, "monitoring", { phaseMetric: true });
        assert.strictEqual(on["kube-state-metrics"].customResourceState.enabled, true);
        assert.strictEqual(on["kube-state-metrics"].replicas, 2);
        const off = prometheusStackValues({}, {}, "monitoring", { phaseMetric: false });
        assert.strictEqual(off["kube-state-metrics"].customResourceState, undefined);
    });
});

describe("observability: validation", () => {
    it("reports bad thresholds, severities, durations and switches with their paths", () => {
        const issues = validateKubernetesEnvironment({ operator: OPERATOR, prometheus: { observability: {
            dashboard: "yes",
            alerts: {
                checkpointInterval: "1 minute", labels: { severity: "x" },
                backpressure: { threshold: 1.5 }, checkpointMissing: { threshold: 2.5 }, degraded: { severity: "page", forDuration: "10", threshold: 3 },
            },
        } } }).map((i) => i.propertyPath).sort();
        assert.deepStrictEqual(issues, [
            "prometheus.observability.alerts.backpressure.threshold",
            "prometheus.observability.alerts.checkpointInterval",
            "prometheus.observability.alerts.checkpointMissing.threshold",
            "prometheus.observability.alerts.degraded.forDuration",
            "prometheus.observability.alerts.degraded.severity",
            "prometheus.observability.alerts.degraded.threshold",
            "prometheus.observability.alerts.labels.severity",
            "prometheus.observability.dashboard",
        ]);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { alerts: { stalled: { severity: "critical", forDuration: "5m" } } } }), []);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { phaseMetric: 1 } }).map((i) => i.propertyPath), ["observability.phaseMetric"]);
    });
});

describe("observability: PrometheusStack children", () => {
    const CM = "kubernetes:core/v1:ConfigMap";
    const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
    it("ships the dashboard ConfigMap and the PrometheusRule in the stack's namespace, the rule after the chart", async () => {
        const g = await capture(() => new PrometheusStack("p", { namespace: "mon", observability: { alerts: { backpressure: { threshold: 0.9 } } } }));
        const cm = g.one(CM);
        assert.strictEqual(cm.inputs.metadata.namespace, "mon");
        assert.strictEqual(cm.inputs.metadata.labels.grafana_dashboard, "1");
        const rule = g.one(RULE);
        assert.strictEqual(rule.inputs.metadata.namespace, "mon");
        assert.match(rule.inputs.spec.groups[0].rules.find((r: any) => r.alert === "VolleyBackpressure").expr, / > 0\.9$/);
        assert.ok(g.dependsOn(rule, g.one("kubernetes:helm.sh/v4:Chart")));
        assert.strictEqual(cm.provider, rule.provider);
        assert.ok(cm.provider, "explicit provider");
        assert.strictEqual(g.one("kubernetes:helm.sh/v4:Chart").inputs.values["kube-state-metrics"].customResourceState.enabled, true);
    });
    it("turns each part off, and ships none of them without the whole stack", async () => {
        const off = await capture(() => new PrometheusStack("p", { observability: { dashboard: false, phaseMetric: false, alerts: { enabled: false } } }));
        assert.strictEqual(off.byType(CM).length + off.byType(RULE).length, 0);
        assert.strictEqual(off.one("kubernetes:helm.sh/v4:Chart").inputs.values["kube-state-metrics"].customResourceState, undefined);
        const crds = await capture(() => new PrometheusStack("p", { mode: "crds" }));
        assert.strictEqual(crds.byType(CM).length + crds.byType(RULE).length, 0);
    });
    it("environments pass their observability settings through", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: OPERATOR, prometheus: { observability: { dashboard: false, alerts: { labels: { team: "t" } } } } }));
        assert.strictEqual(g.byType(CM).length, 0);
        assert.strictEqual(g.one(RULE).inputs.spec.groups[0].rules[0].labels.team, "t");
    });
});

describe("observability: README", () => {
    it("lists every alert with its default severity and duration", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        for (const k of ALERT_KEYS) {
            const d = ALERT_DEFAULTS[k];
            const row = readme.split("\n").find((l) => l.startsWith(`| \`${d.name}\``));
            assert.ok(row, `README has no row for ${d.name}`);
            assert.ok(row!.includes(`\`${k}\``) && row!.includes(d.severity) && row!.includes(d.forDuration), `README row of ${d.name} is stale: ${row}`);
        }
    });
});
