// Inputs of Volley's observability (dashboard, alerts, phase metric) and
// their documented defaults, shared by PrometheusStack and the environments.
import * as pulumi from "@pulumi/pulumi";

/** One Volley alert: on or off, its severity, how long it must hold, its threshold. */
export interface AlertTuning {
    /** Whether the alert exists in the rule group. Defaults to `true`. */
    enabled?: pulumi.Input<boolean>;
    /** The `severity` label Alertmanager routes on: `critical`, `warning` or `info`. Defaults per alert (see the README). */
    severity?: pulumi.Input<string>;
    /** How long the condition must hold before the alert fires (the rule's `for`, a Prometheus duration such as `10m`). Defaults per alert. */
    forDuration?: pulumi.Input<string>;
    /** The alert's threshold, in the unit the README's alert table names; ignored by alerts that have none. */
    threshold?: pulumi.Input<number>;
}

/** The PrometheusRule with Volley's alerts. */
export interface VolleyAlerts {
    /** Create the PrometheusRule. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
    /** Extra labels on every Volley alert, e.g. a team for Alertmanager routing. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** How often applications checkpoint; `checkpointMissing` counts missed intervals of this length. Defaults to `1m`. */
    checkpointInterval?: pulumi.Input<string>;
    /** VolleyApplicationNotRunning: phase Pending or Failed (or none) for `forDuration`. Defaults: critical, 10m. */
    notRunning?: pulumi.Input<AlertTuning>;
    /** VolleyApplicationDegraded: phase Degraded for `forDuration`. Defaults: warning, 5m. */
    degraded?: pulumi.Input<AlertTuning>;
    /** VolleyCheckpointSlow: checkpoint duration p99 above `threshold` milliseconds. Defaults: warning, 10m, 60000. */
    checkpointSlow?: pulumi.Input<AlertTuning>;
    /** VolleyCheckpointMissing: no completed checkpoint for `threshold` checkpoint intervals. Defaults: critical, 0m, 3. */
    checkpointMissing?: pulumi.Input<AlertTuning>;
    /** VolleyConsumerLagGrowing: consumer lag above `threshold` messages and growing. Defaults: warning, 10m, 10000. */
    consumerLag?: pulumi.Input<AlertTuning>;
    /** VolleyBackpressure: a channel's utilization above `threshold` (0-1). Defaults: warning, 10m, 0.8. */
    backpressure?: pulumi.Input<AlertTuning>;
    /** VolleyPipelineStalled: no records processed while the source has lag. Defaults: critical, 5m. */
    stalled?: pulumi.Input<AlertTuning>;
}

/** Volley's dashboard, alerts and phase metric on kube-prometheus-stack (Prometheus mode `stack` only). */
export interface VolleyObservability {
    /** Ship the "Volley" Grafana dashboard as a ConfigMap the Grafana sidecar loads. Plain. Defaults to `true`. */
    dashboard?: boolean;
    /** Export each VolleyApplication's phase and replicas through kube-state-metrics (custom resource state). Plain. Defaults to `true`. */
    phaseMetric?: boolean;
    /** Alerts on what breaks stream processing. */
    alerts?: VolleyAlerts;
}

export type AlertKey = "notRunning" | "degraded" | "checkpointSlow" | "checkpointMissing" | "consumerLag" | "backpressure" | "stalled";
export const ALERT_KEYS: AlertKey[] = ["notRunning", "degraded", "checkpointSlow", "checkpointMissing", "consumerLag", "backpressure", "stalled"];
export const SEVERITIES = ["critical", "warning", "info"] as const;

export interface ResolvedAlert {
    enabled: boolean;
    severity: string;
    forDuration: string;
    threshold: number;
}

/** Defaults of every alert; the README's table is checked against it. */
export const ALERT_DEFAULTS: Record<AlertKey, ResolvedAlert & { name: string }> = {
    notRunning: { name: "VolleyApplicationNotRunning", enabled: true, severity: "critical", forDuration: "10m", threshold: 0 },
    degraded: { name: "VolleyApplicationDegraded", enabled: true, severity: "warning", forDuration: "5m", threshold: 0 },
    checkpointSlow: { name: "VolleyCheckpointSlow", enabled: true, severity: "warning", forDuration: "10m", threshold: 60000 },
    checkpointMissing: { name: "VolleyCheckpointMissing", enabled: true, severity: "critical", forDuration: "0m", threshold: 3 },
    consumerLag: { name: "VolleyConsumerLagGrowing", enabled: true, severity: "warning", forDuration: "10m", threshold: 10000 },
    backpressure: { name: "VolleyBackpressure", enabled: true, severity: "warning", forDuration: "10m", threshold: 0.8 },
    stalled: { name: "VolleyPipelineStalled", enabled: true, severity: "critical", forDuration: "5m", threshold: 0 },
};
export const DEFAULT_CHECKPOINT_INTERVAL = "1m";

/** Plain values of VolleyAlerts after resolution, defaults filled in. */
export interface ResolvedAlerts {
    labels: Record<string, string>;
    checkpointInterval: string;
    alerts: Record<AlertKey, ResolvedAlert>;
}

export function resolveAlerts(a: any): ResolvedAlerts {
    const alerts = {} as Record<AlertKey, ResolvedAlert>;
    for (const k of ALERT_KEYS) {
        const d = ALERT_DEFAULTS[k];
        const t = a?.[k] ?? {};
        alerts[k] = { enabled: t.enabled ?? d.enabled, severity: t.severity ?? d.severity, forDuration: t.forDuration ?? d.forDuration, threshold: t.threshold ?? d.threshold };
    }
    return { labels: { ...(a?.labels ?? {}) }, checkpointInterval: a?.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL, alerts };
}

/** Which observability parts exist, from construct-time (plain) values. */
export function observabilityParts(o: VolleyObservability | undefined): { dashboard: boolean; phaseMetric: boolean; alerts: boolean } {
    return { dashboard: o?.dashboard ?? true, phaseMetric: o?.phaseMetric ?? true, alerts: o?.alerts?.enabled ?? true };
}
