// Inputs of Volley's observability (dashboard, alerts, phase metric) and
// their documented defaults, shared by PrometheusStack and the environments.
import * as pulumi from "@pulumi/pulumi";
import { MetricNames, resolveMetricNames } from "./metrics";

/** One Volley alert: on or off, its severity, how long it must hold, its threshold. */
export interface AlertTuning {
    /** Whether the alert exists in the rule group. Defaults to `true`. */
    enabled?: pulumi.Input<boolean>;
    /** The `severity` label Alertmanager routes on: `critical`, `warning` or `info`. Defaults per alert (see the README). */
    severity?: pulumi.Input<string>;
    /** How long the condition must hold before the alert fires (the rule's `for`, a Prometheus duration such as `10m`). Defaults per alert. */
    forDuration?: pulumi.Input<string>;
    /** The alert's threshold, in the unit the README's alert table names; rejected on alerts that have none. `checkpointSlow`: milliseconds, one of the histogram boundaries. */
    threshold?: pulumi.Input<number>;
    /** `checkpointSlow` only: the share (0-1) of checkpoints slower than `threshold` that fires the alert. Defaults to 0.01 (the p99 is above the threshold). */
    share?: pulumi.Input<number>;
    /** `checkpointSlow` and `checkpointMissing` only: the look-back window (a Prometheus duration). Defaults: 15m and 30m. */
    window?: pulumi.Input<string>;
}

/** The PrometheusRule with Volley's alerts. */
export interface VolleyAlerts {
    /** Create the PrometheusRule. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
    /** Extra labels on every Volley alert, e.g. a team for Alertmanager routing. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Deprecated: set `checkpointMissing.window`. When set (and that window is not), the window is `checkpointMissing.threshold` intervals of this length. */
    checkpointInterval?: pulumi.Input<string>;
    /** Namespace of the Volley operator's Deployment (`volley-operator`) that `operatorDown` watches. Defaults to any namespace. */
    operatorNamespace?: pulumi.Input<string>;
    /** VolleyApplicationNotRunning: phase Pending or Failed (or none) for `forDuration`. Defaults: critical, 10m. */
    notRunning?: pulumi.Input<AlertTuning>;
    /** VolleyApplicationDegraded: phase Degraded for `forDuration`. Defaults: warning, 5m. */
    degraded?: pulumi.Input<AlertTuning>;
    /** VolleyCheckpointSlow: more than `share` of the checkpoints in `window` took longer than `threshold` milliseconds (a histogram boundary). Defaults: warning, 10m, 10000, share 0.01, window 15m. */
    checkpointSlow?: pulumi.Input<AlertTuning>;
    /** VolleyCheckpointMissing: no completed checkpoint in `window` while the pipeline has been up that long. Defaults: warning, 5m, window 30m. */
    checkpointMissing?: pulumi.Input<AlertTuning>;
    /** VolleyConsumerLagGrowing: consumer lag above `threshold` messages and growing. Defaults: warning, 10m, 10000. */
    consumerLag?: pulumi.Input<AlertTuning>;
    /** VolleyBackpressure: a channel's utilization above `threshold` (0-1). Defaults: warning, 10m, 0.8. */
    backpressure?: pulumi.Input<AlertTuning>;
    /** VolleyPipelineStalled: no records processed while the source has lag. Defaults: critical, 5m. */
    stalled?: pulumi.Input<AlertTuning>;
    /** VolleyMetricsAbsent: an application is Running with ready replicas but Prometheus has no uptime series of its pods (not scraped, or a wrong metric name). Defaults: warning, 10m. */
    metricsAbsent?: pulumi.Input<AlertTuning>;
    /** VolleyOperatorDown: the operator's Deployment has no available replica. Defaults: warning, 5m. */
    operatorDown?: pulumi.Input<AlertTuning>;
}

/** Volley's dashboard, alerts and phase metric on kube-prometheus-stack (Prometheus mode `stack` only). */
export interface VolleyObservability {
    /** Ship the "Volley" Grafana dashboard as a ConfigMap the Grafana sidecar loads. Plain. Defaults to `true`. */
    dashboard?: boolean;
    /** Export each VolleyApplication's phase and replicas through kube-state-metrics (custom resource state). Plain. Defaults to `true`. */
    phaseMetric?: boolean;
    /** Alerts on what breaks stream processing. */
    alerts?: VolleyAlerts;
    /**
     * Prometheus names of Volley's metrics, keyed by the operator guide's OpenTelemetry name
     * (e.g. `{"volley.pipeline.uptime_seconds": "volley_pipeline_uptime_seconds_seconds"}`; histograms: the
     * name before `_bucket`). Defaults follow the OpenTelemetry Prometheus compatibility rules (README table).
     * The dashboard and the alerts both use them.
     */
    metricNames?: pulumi.Input<{ [otelName: string]: pulumi.Input<string> }>;
    /**
     * The bucket boundaries (milliseconds) Volley's histograms are exported with; `checkpointSlow.threshold`
     * must be one of them. Defaults to the OpenTelemetry SDK's defaults, 0 to 10000.
     */
    histogramBoundaries?: pulumi.Input<pulumi.Input<number>[]>;
}

export type AlertKey = "notRunning" | "degraded" | "checkpointSlow" | "checkpointMissing" | "consumerLag" | "backpressure" | "stalled" | "metricsAbsent" | "operatorDown";
export const ALERT_KEYS: AlertKey[] = ["notRunning", "degraded", "checkpointSlow", "checkpointMissing", "consumerLag", "backpressure", "stalled", "metricsAbsent", "operatorDown"];
export const SEVERITIES = ["critical", "warning", "info"] as const;

export interface ResolvedAlert {
    enabled: boolean;
    severity: string;
    forDuration: string;
    threshold: number;
    /** checkpointSlow: share of observations above the threshold. */
    share?: number;
    /** checkpointSlow, checkpointMissing: look-back window. */
    window?: string;
}

/** Defaults of every alert; the README's table is checked against it. */
export const ALERT_DEFAULTS: Record<AlertKey, ResolvedAlert & { name: string }> = {
    notRunning: { name: "VolleyApplicationNotRunning", enabled: true, severity: "critical", forDuration: "10m", threshold: 0 },
    degraded: { name: "VolleyApplicationDegraded", enabled: true, severity: "warning", forDuration: "5m", threshold: 0 },
    // 10000 ms: the largest finite boundary of the OpenTelemetry SDK's default histogram (metrics.ts).
    checkpointSlow: { name: "VolleyCheckpointSlow", enabled: true, severity: "warning", forDuration: "10m", threshold: 10000, share: 0.01, window: "15m" },
    // The guide documents no checkpoint interval: a window long enough for most, a warning, and a `for`.
    checkpointMissing: { name: "VolleyCheckpointMissing", enabled: true, severity: "warning", forDuration: "5m", threshold: 3, window: "30m" },
    consumerLag: { name: "VolleyConsumerLagGrowing", enabled: true, severity: "warning", forDuration: "10m", threshold: 10000 },
    backpressure: { name: "VolleyBackpressure", enabled: true, severity: "warning", forDuration: "10m", threshold: 0.8 },
    stalled: { name: "VolleyPipelineStalled", enabled: true, severity: "critical", forDuration: "5m", threshold: 0 },
    metricsAbsent: { name: "VolleyMetricsAbsent", enabled: true, severity: "warning", forDuration: "10m", threshold: 0 },
    operatorDown: { name: "VolleyOperatorDown", enabled: true, severity: "warning", forDuration: "5m", threshold: 0 },
};

/** Plain values of VolleyAlerts after resolution, defaults filled in. */
export interface ResolvedAlerts {
    labels: Record<string, string>;
    /** Namespace of the operator's Deployment, or undefined for any. */
    operatorNamespace?: string;
    alerts: Record<AlertKey, ResolvedAlert>;
    /** The Prometheus names the rules query. */
    metricNames: MetricNames;
}

/** Seconds in a Prometheus duration such as "1m30s". */
export function durationSeconds(d: string): number {
    const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    const re = /(\d+)(ms|s|m|h|d|w|y)/g;
    let total = 0, m: RegExpExecArray | null, consumed = 0;
    while ((m = re.exec(d))) { total += Number(m[1]) * units[m[2]]; consumed += m[0].length; }
    if (!d || consumed !== d.length) throw new Error(`rules: not a Prometheus duration: ${JSON.stringify(d)}`);
    return total;
}

/** Defaults filled in; `metricNames` is the observability input of that name (OpenTelemetry name -> Prometheus name). */
export function resolveAlerts(a: any, metricNames?: Record<string, string>): ResolvedAlerts {
    const alerts = {} as Record<AlertKey, ResolvedAlert>;
    for (const k of ALERT_KEYS) {
        const { name: _, ...d } = ALERT_DEFAULTS[k];
        const t = a?.[k] ?? {};
        const r: ResolvedAlert = { ...d, enabled: t.enabled ?? d.enabled, severity: t.severity ?? d.severity, forDuration: t.forDuration ?? d.forDuration, threshold: t.threshold ?? d.threshold };
        if (d.share !== undefined) r.share = t.share ?? d.share;
        if (d.window !== undefined) r.window = t.window ?? d.window;
        alerts[k] = r;
    }
    // Deprecated checkpointInterval: the window it implied (threshold intervals), unless a window is set.
    const missing = a?.checkpointMissing ?? {};
    if (a?.checkpointInterval && missing.window === undefined) {
        alerts.checkpointMissing.window = `${Math.round(durationSeconds(a.checkpointInterval) * alerts.checkpointMissing.threshold)}s`;
    }
    const out: ResolvedAlerts = { labels: { ...(a?.labels ?? {}) }, alerts, metricNames: resolveMetricNames(metricNames) };
    if (a?.operatorNamespace) out.operatorNamespace = a.operatorNamespace;
    return out;
}

/** Which observability parts exist, from construct-time (plain) values. */
export function observabilityParts(o: VolleyObservability | undefined): { dashboard: boolean; phaseMetric: boolean; alerts: boolean } {
    return { dashboard: o?.dashboard ?? true, phaseMetric: o?.phaseMetric ?? true, alerts: o?.alerts?.enabled ?? true };
}
