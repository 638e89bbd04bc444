// Volley's alerts as a PrometheusRule spec, rendered from the metrics table
// and the resolved alert settings. Pure: tested as data and with promtool.
// The chart's own rules already cover crash-looping pods, stuck rollouts and
// StatefulSet replicas mismatches (kubernetes-apps); these cover what only
// Volley knows: phase, checkpoints, lag, backpressure, throughput.
import { APP_LABEL, CR_NAME_LABEL, STAGE_LABEL, series } from "./metrics";
import { ALERT_DEFAULTS, AlertKey, ResolvedAlerts } from "./settings";

export const RULE_GROUP = "volley.alerts";
/** Window of rate() and deriv() in the alerts. */
export const RATE_WINDOW = "5m";
export const LAG_GROWTH_WINDOW = "10m";

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration such as "1m30s". */
export function durationSeconds(d: string): number {
    const re = /(\d+)(ms|s|m|h|d|w|y)/g;
    let total = 0, m: RegExpExecArray | null, consumed = 0;
    while ((m = re.exec(d))) { total += Number(m[1]) * UNITS[m[2]]; consumed += m[0].length; }
    if (!d || consumed !== d.length) throw new Error(`rules: not a Prometheus duration: ${JSON.stringify(d)}`);
    return total;
}

const APP = `namespace, ${APP_LABEL}`;
const CR = `namespace, ${CR_NAME_LABEL}`;
const appRef = `{{ $labels.namespace }}/{{ $labels.${APP_LABEL} }}`;
const crRef = `{{ $labels.namespace }}/{{ $labels.${CR_NAME_LABEL} }}`;

interface AlertBody { expr: string; summary: string; description: string }

/** Each alert's expression and texts; annotations use only labels, never $value, so they are stable. */
function bodies(r: ResolvedAlerts): Record<AlertKey, AlertBody> {
    const t = (k: AlertKey) => r.alerts[k].threshold;
    const missedWindow = `${Math.round(durationSeconds(r.checkpointInterval) * t("checkpointMissing"))}s`;
    const lag = `sum by (${APP}) (${series("consumerLag")})`;
    return {
        notRunning: {
            // kube-state-metrics writes no phase series for a resource without status.phase;
            // spec.replicas (defaulted by the CRD) is always there to notice it.
            expr: `max by (${CR}) (${series("phase")}{phase=~"Running|Degraded"}) == 0` +
                ` or (max by (${CR}) (${series("replicasDesired")}) unless on (${CR}) ${series("phase")})`,
            summary: `Volley application ${crRef} is not running`,
            description: `VolleyApplication ${crRef} has been Pending or Failed (or has no phase) for ${r.alerts.notRunning.forDuration}: it processes nothing. See \`kubectl describe vapp\` and the operator's log.`,
        },
        degraded: {
            expr: `max by (${CR}) (${series("phase")}{phase="Degraded"}) == 1`,
            summary: `Volley application ${crRef} is Degraded`,
            description: `VolleyApplication ${crRef} has been Degraded for ${r.alerts.degraded.forDuration}: some workers are not ready.`,
        },
        checkpointSlow: {
            expr: `histogram_quantile(0.99, sum by (${APP}, le) (rate(${series("checkpointDuration", "bucket")}[${RATE_WINDOW}]))) > ${t("checkpointSlow")}`,
            summary: `Volley application ${appRef} checkpoints slowly`,
            description: `Checkpoint duration p99 of ${appRef} is above ${t("checkpointSlow")} ms: recovery falls behind and backpressure builds during checkpoints.`,
        },
        checkpointMissing: {
            expr: `sum by (${APP}) (increase(${series("checkpointDuration", "count")}[${missedWindow}])) == 0` +
                ` and on (${APP}) min by (${APP}) (${series("uptime")}) > ${durationSeconds(missedWindow)}`,
            summary: `Volley application ${appRef} completes no checkpoints`,
            description: `${appRef} has completed no checkpoint for ${t("checkpointMissing")} checkpoint intervals of ${r.checkpointInterval} while running: a restart would replay everything since the last one.`,
        },
        consumerLag: {
            expr: `${lag} > ${t("consumerLag")} and on (${APP}) sum by (${APP}) (deriv(${series("consumerLag")}[${LAG_GROWTH_WINDOW}])) > 0`,
            summary: `Volley application ${appRef} falls behind its Kafka topics`,
            description: `Kafka consumer lag of ${appRef} is above ${t("consumerLag")} messages and still growing: the pipeline does not keep up (scale out, or look for backpressure).`,
        },
        backpressure: {
            expr: `max by (${APP}, ${STAGE_LABEL}) (${series("channelUtilization")}) > ${t("backpressure")}`,
            summary: `Volley application ${appRef} is backpressured at ${`{{ $labels.${STAGE_LABEL} }}`}`,
            description: `The channel into operator ${`{{ $labels.${STAGE_LABEL} }}`} of ${appRef} has been more than ${Math.round(t("backpressure") * 100)}% full for ${r.alerts.backpressure.forDuration}: that operator or one after it is the bottleneck.`,
        },
        stalled: {
            // `or ... * 0`: an application that has never processed a record has no counter yet.
            expr: `(sum by (${APP}) (rate(${series("recordsProcessed")}[${RATE_WINDOW}])) or ${lag} * 0) == 0 and on (${APP}) ${lag} > 0`,
            summary: `Volley application ${appRef} processes nothing`,
            description: `${appRef} has processed no records for ${r.alerts.stalled.forDuration} although its source has lag: the pipeline is stuck.`,
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
