// Volley's alerts as a PrometheusRule spec, rendered from the metrics table
// and the resolved alert settings. Pure: tested as data and with promtool.
// The chart's own rules already cover crash-looping pods, stuck rollouts and
// StatefulSet replicas mismatches (kubernetes-apps); these cover what only
// Volley knows: phase, checkpoints, lag, backpressure, throughput, missing
// metrics and its operator.
//
// Volley's metrics are selected by `pod` (`<application>-<ordinal>`) and
// grouped by `namespace` and `application` (taken from the pod name); see
// metrics.ts. Histogram alerts compare the share of observations above one
// bucket boundary, so they can fire with the OpenTelemetry SDK's default
// boundaries (a p99 from histogram_quantile never exceeds the largest finite
// boundary, 10000).
import { APP_LABEL, CR_NAME_LABEL, MetricKey, POD_NAME_PATTERN, STAGE_LABEL, leMatcher, podsOf, series, withApplication } from "./metrics";
import { ALERT_DEFAULTS, AlertKey, ResolvedAlerts, durationSeconds } from "./settings";

export { durationSeconds };

export const RULE_GROUP = "volley.alerts";
/** Window of rate() and deriv() in the alerts. */
export const RATE_WINDOW = "5m";
export const LAG_GROWTH_WINDOW = "10m";
/** The operator's Deployment (volleyOperator.ts names it so in every environment). */
export const OPERATOR_DEPLOYMENT = "volley-operator";

const APP = `namespace, ${APP_LABEL}`;
const CR = `namespace, ${CR_NAME_LABEL}`;
const appRef = `{{ $labels.namespace }}/{{ $labels.${APP_LABEL} }}`;
const crRef = `{{ $labels.namespace }}/{{ $labels.${CR_NAME_LABEL} }}`;

interface AlertBody { expr: string; summary: string; description: string }

/** Each alert's expression and texts; annotations use only labels, never $value, so they are stable. */
function bodies(r: ResolvedAlerts): Record<AlertKey, AlertBody> {
    const t = (k: AlertKey) => r.alerts[k].threshold;
    const names = r.metricNames;
    /** A Volley series of the applications' pods. */
    const v = (key: MetricKey, part?: "bucket" | "sum" | "count", extra = "") => `${series(key, part, names)}{${podsOf(".+")}${extra}}`;
    /** `agg by (namespace, application [, more]) (expr with label application)`. */
    const byApp = (agg: string, expr: string, more = "") => `${agg} by (${APP}${more}) (${withApplication(expr)})`;
    const ksm = (key: MetricKey, sel = "") => `${series(key, undefined, names)}${sel}`;
    const lag = byApp("sum", v("consumerLag"));

    const slow = r.alerts.checkpointSlow;
    const slowWindow = slow.window!;
    const missingWindow = r.alerts.checkpointMissing.window!;
    const operatorSel = `deployment="${OPERATOR_DEPLOYMENT}"${r.operatorNamespace ? `, namespace="${r.operatorNamespace}"` : ""}`;
    return {
        notRunning: {
            // kube-state-metrics writes no phase series for a resource without status.phase;
            // spec.replicas (defaulted by the CRD) is always there to notice it.
            expr: `max by (${CR}) (${ksm("phase", `{phase=~"Running|Degraded"}`)}) == 0` +
                ` or (max by (${CR}) (${ksm("replicasDesired")}) unless on (${CR}) ${ksm("phase")})`,
            summary: `Volley application ${crRef} is not running`,
            description: `VolleyApplication ${crRef} has been Pending or Failed (or has no phase) for ${r.alerts.notRunning.forDuration}: it processes nothing. See \`kubectl describe vapp\` and the operator's log.`,
        },
        degraded: {
            expr: `max by (${CR}) (${ksm("phase", `{phase="Degraded"}`)}) == 1`,
            summary: `Volley application ${crRef} is Degraded`,
            description: `VolleyApplication ${crRef} has been Degraded for ${r.alerts.degraded.forDuration}: some workers are not ready.`,
        },
        checkpointSlow: {
            // Share of checkpoints above the boundary: 1 - (observations <= threshold) / all.
            // No checkpoint in the window gives 0/0 (NaN), which compares false.
            expr: `(1 - ${byApp("sum", `rate(${v("checkpointDuration", "bucket", `, ${leMatcher(t("checkpointSlow"))}`)}[${slowWindow}])`)}` +
                ` / ${byApp("sum", `rate(${v("checkpointDuration", "count")}[${slowWindow}])`)}) > ${slow.share}`,
            summary: `Volley application ${appRef} checkpoints slowly`,
            description: `More than ${+(slow.share! * 100).toFixed(4)}% of the checkpoints of ${appRef} in the last ${slowWindow} took longer than ${t("checkpointSlow")} ms, for ${slow.forDuration}: recovery falls behind and backpressure builds during checkpoints.`,
        },
        checkpointMissing: {
            expr: `${byApp("sum", `increase(${v("checkpointDuration", "count")}[${missingWindow}])`)} == 0` +
                ` and on (${APP}) ${byApp("min", v("uptime"))} > ${durationSeconds(missingWindow)}`,
            summary: `Volley application ${appRef} completes no checkpoints`,
            description: `${appRef} has completed no checkpoint in ${missingWindow} (for ${r.alerts.checkpointMissing.forDuration} more) while running: a restart would replay everything since the last one. If it checkpoints less often than that, raise \`checkpointMissing.window\`.`,
        },
        consumerLag: {
            expr: `${lag} > ${t("consumerLag")} and on (${APP}) ${byApp("sum", `deriv(${v("consumerLag")}[${LAG_GROWTH_WINDOW}])`)} > 0`,
            summary: `Volley application ${appRef} falls behind its Kafka topics`,
            description: `Kafka consumer lag of ${appRef} is above ${t("consumerLag")} messages and still growing: the pipeline does not keep up (scale out, or look for backpressure).`,
        },
        backpressure: {
            expr: `${byApp("max", v("channelUtilization"), `, ${STAGE_LABEL}`)} > ${t("backpressure")}`,
            summary: `Volley application ${appRef} is backpressured at ${`{{ $labels.${STAGE_LABEL} }}`}`,
            description: `The channel into operator ${`{{ $labels.${STAGE_LABEL} }}`} of ${appRef} has been more than ${Math.round(t("backpressure") * 100)}% full for ${r.alerts.backpressure.forDuration}: that operator or one after it is the bottleneck.`,
        },
        stalled: {
            // `or ... * 0`: an application that has never processed a record has no counter yet.
            expr: `(${byApp("sum", `rate(${v("recordsProcessed")}[${RATE_WINDOW}])`)} or ${lag} * 0) == 0 and on (${APP}) ${lag} > 0`,
            summary: `Volley application ${appRef} processes nothing`,
            description: `${appRef} has processed no records for ${r.alerts.stalled.forDuration} although its source has lag: the pipeline is stuck.`,
        },
        metricsAbsent: {
            // Running with ready pods, yet no uptime series from a pod of it: the ServiceMonitor
            // does not scrape it, or the metric has another name (observability.metricNames).
            expr: `max by (${CR}) (${ksm("phase", `{phase="Running"}`)}) == 1` +
                ` and on (${CR}) max by (${CR}) (${ksm("replicasReady")}) > 0` +
                ` unless on (${CR}) count by (${CR}) (label_replace(${v("uptime")}, "${CR_NAME_LABEL}", "$1", "pod", "${POD_NAME_PATTERN}"))`,
            summary: `Volley application ${crRef} is Running but Prometheus has none of its metrics`,
            description: `VolleyApplication ${crRef} has been Running for ${r.alerts.metricsAbsent.forDuration} with no \`${series("uptime", undefined, names)}\` series from its pods: the dashboard and the other Volley alerts are blind to it. Check that its ServiceMonitor is scraped (Prometheus targets) and that \`observability.metricNames\` matches what its /metrics endpoint exports.`,
        },
        operatorDown: {
            expr: `max by (namespace, deployment) (${ksm("deploymentAvailable", `{${operatorSel}}`)}) < 1`,
            summary: `The Volley operator in {{ $labels.namespace }} is down`,
            description: `Deployment {{ $labels.namespace }}/${OPERATOR_DEPLOYMENT} has had no available replica for ${r.alerts.operatorDown.forDuration}: VolleyApplications are not reconciled (no new applications, updates or status). See \`kubectl -n {{ $labels.namespace }} describe deployment ${OPERATOR_DEPLOYMENT}\`.`,
        },
    };
}

export interface AlertRule {
    alert: string;
    expr: string;
    for?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
}

/** The enabled alerts, in a fixed order. */
export function renderAlertRules(r: ResolvedAlerts): AlertRule[] {
    const b = bodies(r);
    const out: AlertRule[] = [];
    for (const [key, d] of Object.entries(ALERT_DEFAULTS) as [AlertKey, (typeof ALERT_DEFAULTS)[AlertKey]][]) {
        const a = r.alerts[key];
        if (!a.enabled) continue;
        const rule: AlertRule = {
            alert: d.name,
            expr: b[key].expr,
            labels: { ...r.labels, severity: a.severity },
            annotations: { summary: b[key].summary, description: b[key].description },
        };
        if (durationSeconds(a.forDuration) > 0) rule.for = a.forDuration;
        out.push(rule);
    }
    return out;
}

/** The spec of the PrometheusRule (also a valid `promtool` rule file). */
export function renderPrometheusRuleSpec(r: ResolvedAlerts): { groups: { name: string; rules: AlertRule[] }[] } {
    return { groups: [{ name: RULE_GROUP, rules: renderAlertRules(r) }] };
}
