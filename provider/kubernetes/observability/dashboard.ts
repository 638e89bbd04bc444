// The "Volley" Grafana dashboard, built with Grafana's foundation SDK from the
// metrics table and rendered to JSON at run time (pure). The SDK is loaded on
// first use only, so plugin start-up does not pay for it.
import type * as DashboardSdk from "@grafana/grafana-foundation-sdk/dist/dashboard";
import type * as PrometheusSdk from "@grafana/grafana-foundation-sdk/dist/prometheus";
import type * as TimeseriesSdk from "@grafana/grafana-foundation-sdk/dist/timeseries";
import type * as StatSdk from "@grafana/grafana-foundation-sdk/dist/stat";
import type * as TableSdk from "@grafana/grafana-foundation-sdk/dist/table";
import type * as CommonSdk from "@grafana/grafana-foundation-sdk/dist/common";
import { APP_LABEL, CR_NAME_LABEL, MetricKey, MetricNames, POD_LABEL, POD_NAME_PATTERN, STAGE_LABEL, podsOf, resolveMetricNames, series as seriesOf, withApplication } from "./metrics";

export const DASHBOARD_UID = "volley";
export const DASHBOARD_TITLE = "Volley";
/** The datasource the kube-prometheus-stack Grafana provisions. */
export const DATASOURCE = { type: "prometheus", uid: "prometheus" };
/** The link to the Kafka dashboards: every dashboard tagged `Kafka` (Strimzi's chart tags its own so). */
export const KAFKA_LINK = { title: "Kafka", tag: "Kafka" };
/** Window of the "time since the last checkpoint" look-back. */
export const CHECKPOINT_LOOKBACK = "6h";

// Volley's metrics: the application's pods (`<application>-<ordinal>`), grouped
// by `application` taken from the pod name (metrics.ts); never the scrape job.
const APP_SEL = `namespace=~"$namespace", ${podsOf("$application")}`;
const CR_SEL = `namespace=~"$namespace", ${CR_NAME_LABEL}=~"$application"`;
const APP_BY = `namespace, ${APP_LABEL}`;
const APP_LEGEND = `{{namespace}}/{{${APP_LABEL}}}`;

interface Query { expr: string; legend: string; instant?: boolean }
interface PanelSpec { title: string; description: string; kind: "timeseries" | "stat" | "table"; unit: string; queries: Query[]; max?: number; width?: number }
interface RowSpec { title: string; panels: PanelSpec[] }
/** What the dashboard is rendered from: the phase-metric switch and the `metricNames` input (OpenTelemetry name -> Prometheus name). */
export interface DashboardOptions { phaseMetric: boolean; metricNames?: Record<string, string> }

/** The dashboard's rows, panels and queries as data (the tests evaluate every query). */
export function dashboardRows(o: DashboardOptions): RowSpec[] {
    const names: MetricNames = resolveMetricNames(o.metricNames);
    const series = (key: MetricKey, part?: "bucket" | "sum" | "count") => seriesOf(key, part, names);
    /** A Volley metric of the selected applications, with label `application`. */
    const sel = (expr: string) => withApplication(expr);
    const rate = (s: string, by: string) => `sum by (${by}) (${sel(`rate(${s}{${APP_SEL}}[$__rate_interval])`)})`;
    const quantile = (q: number, key: "stageLatency" | "checkpointDuration", by: string) =>
        `histogram_quantile(${q}, sum by (${by}, le) (${sel(`rate(${series(key, "bucket")}{${APP_SEL}}[$__rate_interval])`)}))`;
    const rows: RowSpec[] = [
        {
            title: "Throughput",
            panels: [
                { title: "Records polled / s", description: "Records read from the source, per application.", kind: "timeseries", unit: "rps",
                    queries: [{ expr: rate(series("recordsPolled"), APP_BY), legend: APP_LEGEND }] },
                { title: "Records processed / s", description: "Records processed per application and operator.", kind: "timeseries", unit: "rps",
                    queries: [{ expr: rate(series("recordsProcessed"), `${APP_BY}, ${STAGE_LABEL}`), legend: `${APP_LEGEND} {{${STAGE_LABEL}}}` }] },
            ],
        },
        {
            title: "Latency and checkpoints",
            panels: [
                { title: "Stage latency p50 / p99", description: "Per-operator processing latency.", kind: "timeseries", unit: "ms",
                    queries: [
                        { expr: quantile(0.5, "stageLatency", `${APP_BY}, ${STAGE_LABEL}`), legend: `p50 ${APP_LEGEND} {{${STAGE_LABEL}}}` },
                        { expr: quantile(0.99, "stageLatency", `${APP_BY}, ${STAGE_LABEL}`), legend: `p99 ${APP_LEGEND} {{${STAGE_LABEL}}}` },
                    ] },
                { title: "Checkpoint duration p99", description: "Time to complete a checkpoint.", kind: "timeseries", unit: "ms", width: 6,
                    queries: [{ expr: quantile(0.99, "checkpointDuration", APP_BY), legend: APP_LEGEND }] },
                { title: "Time since last checkpoint", description: `Since the last completed checkpoint (looks back ${CHECKPOINT_LOOKBACK}, to within 2 minutes).`, kind: "stat", unit: "s", width: 6,
                    queries: [{
                        expr: `time() - max by (${APP_BY}) (${sel(`max_over_time(timestamp(changes(${series("checkpointDuration", "count")}{${APP_SEL}}[2m]) > 0)[${CHECKPOINT_LOOKBACK}:30s])`)})`,
                        legend: APP_LEGEND, instant: true,
                    }] },
            ],
        },
        {
            title: "Backpressure and lag",
            panels: [
                { title: "Channel utilization (backpressure)", description: "Fill of the channel into each operator; near 1 the operator is a bottleneck.", kind: "timeseries", unit: "percentunit", max: 1, width: 8,
                    queries: [{ expr: `max by (${APP_BY}, ${STAGE_LABEL}) (${sel(`${series("channelUtilization")}{${APP_SEL}}`)})`, legend: `${APP_LEGEND} {{${STAGE_LABEL}}}` }] },
                { title: "Kafka consumer lag", description: "Messages behind, per topic.", kind: "timeseries", unit: "short", width: 8,
                    queries: [{ expr: `sum by (${APP_BY}, topic) (${sel(`${series("consumerLag")}{${APP_SEL}}`)})`, legend: `${APP_LEGEND} {{topic}}` }] },
                { title: "Kafka consumer lag growth / s", description: "Above zero the pipeline falls behind.", kind: "timeseries", unit: "short", width: 8,
                    queries: [{ expr: `sum by (${APP_BY}) (${sel(`deriv(${series("consumerLag")}{${APP_SEL}}[$__rate_interval])`)})`, legend: APP_LEGEND }] },
            ],
        },
        {
            title: "Health",
            panels: [
                { title: "Pipeline uptime", description: "Per pod; a drop to zero is a restart.", kind: "timeseries", unit: "s", width: 8,
                    queries: [{ expr: `min by (${APP_BY}, pod) (${sel(`${series("uptime")}{${APP_SEL}}`)})`, legend: `${APP_LEGEND} {{pod}}` }] },
                { title: "Pipeline restarts", description: "Restarts in the dashboard's time range (uptime resets).", kind: "stat", unit: "short", width: 4,
                    queries: [{ expr: `sum by (${APP_BY}) (${sel(`resets(${series("uptime")}{${APP_SEL}}[$__range])`)})`, legend: APP_LEGEND, instant: true }] },
            ],
        },
    ];
    if (o.phaseMetric) {
        rows[3].panels.push(
            { title: "Replicas desired vs ready", description: "spec.replicas and status.readyReplicas of each VolleyApplication.", kind: "timeseries", unit: "short", width: 6,
                queries: [
                    { expr: `max by (namespace, ${CR_NAME_LABEL}) (${series("replicasDesired")}{${CR_SEL}})`, legend: `desired {{namespace}}/{{${CR_NAME_LABEL}}}` },
                    { expr: `max by (namespace, ${CR_NAME_LABEL}) (${series("replicasReady")}{${CR_SEL}})`, legend: `ready {{namespace}}/{{${CR_NAME_LABEL}}}` },
                ] },
            { title: "Application phase", description: "status.phase of each VolleyApplication.", kind: "table", unit: "none", width: 6,
                queries: [{ expr: `max by (namespace, ${CR_NAME_LABEL}, phase) (${series("phase")}{${CR_SEL}}) == 1`, legend: "{{phase}}", instant: true }] },
        );
    }
    return rows;
}

/** Template variables: their label_values() queries, and the regex Grafana applies to each value (capture group 1). */
export function dashboardVariables(metricNames?: Record<string, string>): { name: string; label: string; query: string; regex?: string }[] {
    const uptime = seriesOf("uptime", undefined, resolveMetricNames(metricNames));
    return [
        { name: "namespace", label: "Namespace", query: `label_values(${uptime}, namespace)` },
        // The application from its pods' names.
        { name: "application", label: "Application", query: `label_values(${uptime}{namespace=~"$namespace"}, ${POD_LABEL})`, regex: `/^${POD_NAME_PATTERN}$/` },
    ];
}

function sdk() {
    return {
        dashboard: require("@grafana/grafana-foundation-sdk/dashboard") as typeof DashboardSdk,
        prometheus: require("@grafana/grafana-foundation-sdk/prometheus") as typeof PrometheusSdk,
        timeseries: require("@grafana/grafana-foundation-sdk/timeseries") as typeof TimeseriesSdk,
        stat: require("@grafana/grafana-foundation-sdk/stat") as typeof StatSdk,
        table: require("@grafana/grafana-foundation-sdk/table") as typeof TableSdk,
        common: require("@grafana/grafana-foundation-sdk/common") as typeof CommonSdk,
    };
}

/** The dashboard model (what Grafana imports), deterministic for the same options. */
export function renderDashboard(o: DashboardOptions): Record<string, any> {
    const { dashboard, prometheus, timeseries, stat, table, common } = sdk();
    const b = new dashboard.DashboardBuilder(DASHBOARD_TITLE)
        .uid(DASHBOARD_UID)
        .description("Volley stream processing: throughput, latency, checkpoints, backpressure, Kafka lag, health. Generated by pulumi-volley.")
        .tags(["volley", "pulumi-volley"])
        .editable()
        .refresh("30s")
        .time({ from: "now-6h", to: "now" })
        .timezone("browser")
        // Strimzi's dashboards (the chart's, tagged "Kafka") as a menu: brokers, KRaft, Kafka Exporter's lag.
        // A tag link lists only what exists, so it is right with or without Kafka in the environment.
        .link(new dashboard.DashboardLinkBuilder(KAFKA_LINK.title).type(dashboard.DashboardLinkType.Dashboards)
            .tags([KAFKA_LINK.tag]).asDropdown(true).keepTime(true).includeVars(false).targetBlank(false));
    for (const v of dashboardVariables(o.metricNames)) {
        const variable = new dashboard.QueryVariableBuilder(v.name)
            .label(v.label)
            .datasource(DATASOURCE)
            .query({ query: v.query, refId: `${v.name}-var` })
            .definition(v.query)
            .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
            .sort(dashboard.VariableSort.AlphabeticalAsc)
            .multi(true)
            .includeAll(true)
            .allValue(".*")
            .current({ text: "All", value: "$__all" });
        if (v.regex) variable.regex(v.regex);
        b.withVariable(variable);
    }
    for (const row of dashboardRows(o)) {
        b.withRow(new dashboard.RowBuilder(row.title));
        for (const p of row.panels) {
            const panel = p.kind === "stat" ? new stat.PanelBuilder() : p.kind === "table" ? new table.PanelBuilder()
                : new timeseries.PanelBuilder().legend(new common.VizLegendOptionsBuilder().showLegend(true)
                    .displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
            panel.title(p.title).description(p.description).datasource(DATASOURCE).unit(p.unit).height(8).span(p.width ?? 12);
            if (p.max !== undefined) panel.min(0).max(p.max);
            p.queries.forEach((q, i) => {
                const t = new prometheus.DataqueryBuilder().datasource(DATASOURCE).expr(q.expr).legendFormat(q.legend).refId(String.fromCharCode(65 + i));
                if (q.instant) t.instant().format(p.kind === "table" ? prometheus.PromQueryFormat.Table : prometheus.PromQueryFormat.TimeSeries);
                panel.withTarget(t);
            });
            b.withPanel(panel as any);
        }
    }
    return JSON.parse(JSON.stringify(b.build()));
}
