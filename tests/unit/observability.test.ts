// Volley's observability as data: the metrics table, the alert rules, the
// dashboard, the kube-state-metrics configuration, their validation and the
// PrometheusStack children. (promtool evaluates the queries: tools/observability.)
import * as assert from "assert";
import { OPERATOR } from "./validate.test";
import { METRICS, MetricDef, OTEL_DEFAULT_BOUNDARIES, prometheusName, prometheusSeriesNames, resolveMetricNames } from "../../provider/kubernetes/observability/metrics";
import { OPERATOR_DEPLOYMENT, renderPrometheusRuleSpec, durationSeconds } from "../../provider/kubernetes/observability/rules";
import { ALERT_DEFAULTS, ALERT_KEYS, resolveAlerts } from "../../provider/kubernetes/observability/settings";
import { DASHBOARD_UID, dashboardRows, dashboardVariables, renderDashboard } from "../../provider/kubernetes/observability/dashboard";
import { customResourceStateConfig, kubeStateMetricsValues } from "../../provider/kubernetes/observability/kubeStateMetrics";
import { dashboardConfigMap, prometheusRule } from "../../provider/kubernetes/observability/objects";
import { prometheusStackValues } from "../../provider/kubernetes/render/helm";
import { validateKubernetesEnvironment, validatePrometheusStack } from "../../provider/kubernetes/validate/platform";
import { PrometheusStack } from "../../provider/kubernetes/prometheusStack";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { VolleyOperator } from "../../provider/kubernetes/volleyOperator";
import { capture } from "./graph";
import * as fs from "fs";
import * as path from "path";

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
    // Examples published with the rules: the OpenTelemetry compatibility spec
    // (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/#metric-metadata)
    // and the Collector translator's README (pkg/translator/prometheus), not the package's own table.
    const published: [string, "counter" | "gauge" | "histogram", string, string][] = [
        ["system.filesystem.usage", "gauge", "By", "system_filesystem_usage_bytes"],
        ["system.network.dropped", "counter", "{packets}", "system_network_dropped_total"],
        ["system.memory.utilization", "gauge", "1", "system_memory_utilization_ratio"],
        ["http.server.request.duration", "histogram", "s", "http_server_request_duration_seconds"],
        ["request_latency_ms", "histogram", "ms", "request_latency_ms_milliseconds"],
        ["process.uptime_seconds", "gauge", "s", "process_uptime_seconds"],
        ["requests_total", "counter", "", "requests_total"],
        ["storage.throughput", "gauge", "By/s", "storage_throughput_bytes_per_second"],
    ];
    it("derives Prometheus names by the OpenTelemetry compatibility rules (published examples)", () => {
        for (const [otel, kind, unit, want] of published) assert.strictEqual(prometheusName(otel, kind, unit), want, `${otel} [${unit}]`);
    });
    it("gives Volley's seven metrics their spec names: the unit only when not already present, _total on counters", () => {
        const want: Record<string, string> = {
            "volley.source.records_polled": "volley_source_records_polled_total",
            "volley.records.processed": "volley_records_processed_total",
            "volley.stage.latency_ms": "volley_stage_latency_ms_milliseconds",
            "volley.checkpoint.duration_ms": "volley_checkpoint_duration_ms_milliseconds",
            "volley.channel.utilization": "volley_channel_utilization",
            "volley.kafka.consumer_lag": "volley_kafka_consumer_lag",
            "volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds",
        };
        for (const m of Object.values(METRICS) as MetricDef[]) {
            if (m.source !== "volley") continue;
            assert.strictEqual(m.prometheus, want[m.otel], m.otel);
            assert.strictEqual(m.prometheus, prometheusName(m.otel, m.kind as any, m.unit), `${m.otel}: table and rules disagree`);
        }
    });
    it("covers the seven metrics of the operator guide", () => {
        const otel = (Object.values(METRICS) as MetricDef[]).filter((m) => m.source === "volley").map((m) => m.otel).sort();
        assert.deepStrictEqual(otel, ["volley.channel.utilization", "volley.checkpoint.duration_ms", "volley.kafka.consumer_lag",
            "volley.pipeline.uptime_seconds", "volley.records.processed", "volley.source.records_polled", "volley.stage.latency_ms"]);
    });
    it("metricNames overrides Volley's rows by OpenTelemetry name, and only those", () => {
        const n = resolveMetricNames({ "volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds_seconds", "kube_customresource_volleyapplication_status_phase": "x" });
        assert.strictEqual(n.uptime, "volley_pipeline_uptime_seconds_seconds");
        assert.strictEqual(n.phase, METRICS.phase.prometheus);
        assert.strictEqual(n.stageLatency, METRICS.stageLatency.prometheus);
    });
    it("knows the OpenTelemetry SDK's default histogram boundaries (metrics SDK spec)", () => {
        assert.deepStrictEqual([...OTEL_DEFAULT_BOUNDARIES], [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
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
    it("renamed metrics reach both the dashboard and the alerts", () => {
        const names = { "volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds_seconds", "volley.stage.latency_ms": "volley_stage_latency" };
        const renamed = new Set(prometheusSeriesNames(resolveMetricNames(names)));
        const dash = allDashboardExprs(renderDashboard({ phaseMetric: true, metricNames: names }));
        const rules = renderPrometheusRuleSpec(resolveAlerts({}, names)).groups[0].rules.map((r) => r.expr);
        for (const e of [...dash, ...rules]) for (const m of metricsOf(e)) assert.ok(renamed.has(m), `uses ${m} despite metricNames: ${e}`);
        assert.ok(dash.some((e) => e.includes("volley_pipeline_uptime_seconds_seconds")) && dash.some((e) => e.includes("volley_stage_latency_bucket")));
        assert.ok(rules.some((e) => e.includes("volley_pipeline_uptime_seconds_seconds{")));
    });
    it("no query keys on the scrape job: Volley's metrics are selected by namespace and the StatefulSet's pod names", () => {
        const dash = allDashboardExprs(renderDashboard({ phaseMetric: true }));
        const rules = renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules.map((r) => r.expr);
        for (const e of [...dash, ...rules]) {
            assert.ok(!/\bjob\b/.test(e), `uses job: ${e}`);
            if (e.startsWith("label_values(")) continue; // variables list pods and namespaces
            for (const m of e.matchAll(/\b(volley_[a-z_]+)\{([^}]*)\}/g)) assert.match(m[2], /pod=~"\((\$application|\.\+)\)-\[0-9\]\+"/, `${m[1]} not selected by pod: ${e}`);
        }
    });
    it("the checker itself catches a name outside the table", () => {
        assert.ok(metricsOf('rate(volley_records_procesed_total{job="a"}[5m])').some((m) => !known.has(m)));
    });
});

describe("observability: alert rules", () => {
    it("renders the nine alerts with their default severities and durations", () => {
        const rules = renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules;
        assert.deepStrictEqual(rules.map((r) => [r.alert, r.labels.severity, r.for]), ALERT_KEYS.map((k) => {
            const d = ALERT_DEFAULTS[k];
            return [d.name, d.severity, durationSeconds(d.forDuration) ? d.forDuration : undefined];
        }));
    });
    it("applies thresholds, severities, switches and extra labels", () => {
        const r = resolveAlerts({
            labels: { team: "streams" }, operatorNamespace: "volley-system",
            checkpointSlow: { threshold: 5000, share: 0.05, window: "30m", severity: "critical", forDuration: "15m" }, checkpointMissing: { window: "2h" },
            backpressure: { enabled: false }, consumerLag: { threshold: 42 },
        });
        const rules = renderPrometheusRuleSpec(r).groups[0].rules;
        const by = (n: string) => rules.find((x) => x.alert === n)!;
        assert.strictEqual(rules.find((x) => x.alert === "VolleyBackpressure"), undefined);
        assert.match(by("VolleyCheckpointSlow").expr, /le=~"5000\(\\\\\.0\)\?"/);
        assert.match(by("VolleyCheckpointSlow").expr, /\[30m\]/);
        assert.match(by("VolleyCheckpointSlow").expr, / > 0\.05$/);
        assert.deepStrictEqual(by("VolleyCheckpointSlow").labels, { team: "streams", severity: "critical" });
        assert.strictEqual(by("VolleyCheckpointSlow").for, "15m");
        assert.match(by("VolleyCheckpointMissing").expr, /\[2h\]\), .*\) == 0 and .* > 7200$/);
        assert.match(by("VolleyConsumerLagGrowing").expr, / > 42 and /);
        assert.match(by("VolleyOperatorDown").expr, /deployment="volley-operator", namespace="volley-system"/);
    });
    it("checkpointMissing: a warning with a for and a 30m window by default, not a 1-minute interval", () => {
        const rule = renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules.find((x) => x.alert === "VolleyCheckpointMissing")!;
        assert.strictEqual(rule.labels.severity, "warning");
        assert.ok(rule.for && durationSeconds(rule.for) > 0, "has a for");
        assert.match(rule.expr, /\[30m\]/);
        // The deprecated checkpointInterval keeps its meaning (threshold intervals) unless a window is set.
        const legacy = resolveAlerts({ checkpointInterval: "30s", checkpointMissing: { threshold: 4 } });
        assert.strictEqual(legacy.alerts.checkpointMissing.window, "120s");
        assert.strictEqual(resolveAlerts({ checkpointInterval: "30s", checkpointMissing: { window: "1h" } }).alerts.checkpointMissing.window, "1h");
    });
    it("checkpointSlow: the default threshold is a default OpenTelemetry boundary (a p99 could never exceed 10000)", () => {
        assert.ok(OTEL_DEFAULT_BOUNDARIES.includes(ALERT_DEFAULTS.checkpointSlow.threshold));
        assert.ok(!renderPrometheusRuleSpec(resolveAlerts({})).groups[0].rules.some((r) => r.expr.includes("histogram_quantile")));
    });
    it("VolleyOperatorDown watches the Deployment the operator component creates", async () => {
        const g = await capture(() => new VolleyOperator("op", { image: "registry.example.com/volley-k8s-operator", version: "0.1.0" } as any));
        assert.strictEqual(g.one("kubernetes:apps/v1:Deployment").inputs.metadata.name, OPERATOR_DEPLOYMENT);
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
        for (const e of allDashboardExprs(d).slice(0, -2)) assert.match(e, /namespace=~"\$namespace", (pod=~"\(\$application\)-\[0-9\]\+"|name=~"\$application")/);
        const app = d.templating.list.find((v: any) => v.name === "application");
        assert.match(app.definition, /, pod\)$/);
        assert.strictEqual(app.regex, "/^(.+)-[0-9]+$/");
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
                backpressure: { threshold: 1.5, window: "5m", share: 0.1 }, checkpointMissing: { threshold: 2.5, window: "0s" }, degraded: { severity: "page", forDuration: "10", threshold: 3 },
                checkpointSlow: { threshold: 60000, share: 1 }, operatorNamespace: "Volley_System",
            },
            metricNames: { "volley.pipeline.uptime": "x", "volley.stage.latency_ms": "volley_stage_latency_bucket", "volley.records.processed": "volley-records" },
        } } }).map((i) => i.propertyPath).sort();
        assert.deepStrictEqual(issues, [
            "prometheus.observability.alerts.backpressure.share",
            "prometheus.observability.alerts.backpressure.threshold",
            "prometheus.observability.alerts.backpressure.window",
            "prometheus.observability.alerts.checkpointInterval",
            "prometheus.observability.alerts.checkpointMissing.threshold",
            "prometheus.observability.alerts.checkpointMissing.window",
            "prometheus.observability.alerts.checkpointSlow.share",
            "prometheus.observability.alerts.checkpointSlow.threshold",
            "prometheus.observability.alerts.degraded.forDuration",
            "prometheus.observability.alerts.degraded.severity",
            "prometheus.observability.alerts.degraded.threshold",
            "prometheus.observability.alerts.labels.severity",
            "prometheus.observability.alerts.operatorNamespace",
            "prometheus.observability.dashboard",
            "prometheus.observability.metricNames.volley.pipeline.uptime",
            "prometheus.observability.metricNames.volley.records.processed",
            "prometheus.observability.metricNames.volley.stage.latency_ms",
        ]);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { alerts: { stalled: { severity: "critical", forDuration: "5m" } } } }), []);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { phaseMetric: 1 } }).map((i) => i.propertyPath), ["observability.phaseMetric"]);
    });
    it("checkpointSlow.threshold must be a histogram boundary: the OpenTelemetry defaults, or histogramBoundaries", () => {
        const slow = (threshold: number, histogramBoundaries?: number[]) => validatePrometheusStack({ observability: { histogramBoundaries, alerts: { checkpointSlow: { threshold } } } });
        // Every default boundary is accepted; 60000 (the old default) is not, with the way out in the message.
        for (const b of [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]) assert.deepStrictEqual(slow(b), [], String(b));
        const [issue] = slow(60000);
        assert.strictEqual(issue.propertyPath, "observability.alerts.checkpointSlow.threshold");
        assert.match(issue.reason, /one of the histogram boundaries .*0, 5, 10, .* 10000: the OpenTelemetry SDK's defaults\); got 60000/);
        assert.match(issue.reason, /set observability\.histogramBoundaries/);
        assert.match(slow(1234)[0].reason, /got 1234/);
        assert.deepStrictEqual(slow(60000, [1000, 10000, 60000, 120000]), []);
        assert.match(slow(30000, [1000, 10000, 60000, 120000])[0].reason, /1000, 10000, 60000, 120000, from histogramBoundaries/);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { histogramBoundaries: [10, 5] } }).map((i) => i.propertyPath), ["observability.histogramBoundaries"]);
        assert.deepStrictEqual(validatePrometheusStack({ observability: { metricNames: { "volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds_seconds" } } }), []);
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
    it("metricNames reach the dashboard and the rule; environments name their operator's namespace for VolleyOperatorDown", async () => {
        const names = { "volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds_seconds" };
        const g = await capture(() => new PrometheusStack("p", { observability: { metricNames: names } }));
        assert.match(g.one(CM).inputs.data["volley.json"], /volley_pipeline_uptime_seconds_seconds\{/);
        assert.ok(g.one(RULE).inputs.spec.groups[0].rules.some((r: any) => r.expr.includes("volley_pipeline_uptime_seconds_seconds{")));
        const env = await capture(() => new KubernetesEnvironment("dev", { operator: OPERATOR }));
        const down = env.one(RULE).inputs.spec.groups[0].rules.find((r: any) => r.alert === "VolleyOperatorDown");
        assert.match(down.expr, /deployment="volley-operator", namespace="volley-system"/);
    });
    it("environments pass their observability settings through", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: OPERATOR, prometheus: { observability: { dashboard: false, alerts: { labels: { team: "t" } } } } }));
        assert.strictEqual(g.byType(CM).length, 0);
        assert.strictEqual(g.one(RULE).inputs.spec.groups[0].rules[0].labels.team, "t");
    });
});

describe("observability: README", () => {
    it("lists every Volley metric with its default Prometheus name", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        for (const m of Object.values(METRICS) as MetricDef[]) {
            if (m.source !== "volley") continue;
            const row = readme.split("\n").find((l) => l.startsWith(`| \`${m.otel}\``));
            assert.ok(row && row.includes(`\`${m.prometheus}`), `README row of ${m.otel} is stale: ${row}`);
        }
    });
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
