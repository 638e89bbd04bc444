// Validation of VolleyObservability inputs, with property paths.
import { Checker, known, path } from "../../core/validate";
import { METRICS, METRIC_NAME_RE, MetricDef, OTEL_DEFAULT_BOUNDARIES, RENAMEABLE } from "./metrics";
import { ALERT_KEYS, SEVERITIES, durationSeconds } from "./settings";

function plainBoolean(c: Checker, p: string, v: unknown): void {
    if (v !== undefined && typeof v !== "boolean") c.fail(p, "must be a plain boolean (it decides which resources exist)");
}

/** Thresholds each alert accepts: [min, max], or none. checkpointSlow's is checked against the histogram boundaries. */
const THRESHOLDS: Record<string, { min: number; max: number; integer?: boolean; what: string } | undefined> = {
    checkpointMissing: { min: 1, max: 1000, integer: true, what: "a whole number of `checkpointInterval`s from 1 to 1000 (only used with the deprecated `checkpointInterval`; prefer `window`)" },
    consumerLag: { min: 0, max: Number.MAX_SAFE_INTEGER, what: "messages >= 0" },
    backpressure: { min: 0, max: 1, what: "a utilization from 0 to 1" },
};
/** Alerts with a look-back window, and with a share. */
const WINDOWED = new Set(["checkpointSlow", "checkpointMissing"]);
const SHARED = new Set(["checkpointSlow"]);

/** The histogram boundaries (checked), or the OpenTelemetry defaults; undefined when not known yet. */
function boundaries(c: Checker, p: string, v: unknown): readonly number[] | undefined {
    if (v === undefined || v === null) return OTEL_DEFAULT_BOUNDARIES;
    if (!known(v)) return undefined;
    const ok = Array.isArray(v) && v.length > 0 && v.every((b, i) => known(b) && typeof b === "number" && Number.isFinite(b) && (i === 0 || b > (v[i - 1] as number)));
    if (ok) return v as number[];
    if (Array.isArray(v) && v.some((b) => !known(b))) return undefined;
    c.fail(p, `must be a non-empty list of finite numbers in increasing order (milliseconds, as Volley's histograms export them); got ${JSON.stringify(v)}`);
    return undefined;
}

function checkMetricNames(c: Checker, p: string, v: unknown): void {
    if (!known(v)) return;
    if (typeof v !== "object" || Array.isArray(v)) { c.fail(p, "must be a map of OpenTelemetry metric name to Prometheus metric name"); return; }
    const allowed = RENAMEABLE.map((k) => METRICS[k].otel);
    for (const [k, name] of Object.entries(v as Record<string, unknown>)) {
        const kp = path(p, k);
        const key = RENAMEABLE.find((r) => METRICS[r].otel === k);
        if (!key) { c.fail(kp, `is not one of Volley's metrics; allowed keys are the operator guide's names: ${allowed.join(", ")}`); continue; }
        if (!known(name)) continue;
        if (typeof name !== "string" || !METRIC_NAME_RE.test(name)) { c.fail(kp, `must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*); got ${JSON.stringify(name)}`); continue; }
        const m: MetricDef = METRICS[key];
        if (m.kind === "histogram" && /_(bucket|sum|count)$/.test(name)) c.fail(kp, `is a histogram: give the name before _bucket/_sum/_count, e.g. ${JSON.stringify(name.replace(/_(bucket|sum|count)$/, ""))}`);
    }
}

export function checkObservability(c: Checker, p: string, o: any): void {
    if (!known(o)) return;
    plainBoolean(c, path(p, "dashboard"), o.dashboard);
    plainBoolean(c, path(p, "phaseMetric"), o.phaseMetric);
    checkMetricNames(c, path(p, "metricNames"), o.metricNames);
    const bounds = boundaries(c, path(p, "histogramBoundaries"), o.histogramBoundaries);
    const a = o.alerts;
    if (!known(a)) return;
    const ap = path(p, "alerts");
    plainBoolean(c, path(ap, "enabled"), a.enabled);
    c.labels(path(ap, "labels"), a.labels);
    if (known(a.labels) && "severity" in a.labels) c.fail(path(ap, "labels", "severity"), "is set per alert: use each alert's `severity`");
    if (c.duration(path(ap, "checkpointInterval"), a.checkpointInterval) && a.checkpointInterval === "0s") c.fail(path(ap, "checkpointInterval"), "must be longer than 0s");
    c.dnsLabel(path(ap, "operatorNamespace"), a.operatorNamespace);
    for (const k of ALERT_KEYS) {
        const t = a[k];
        if (!known(t)) continue;
        const tp = path(ap, k);
        if (known(t.enabled) && typeof t.enabled !== "boolean") c.fail(path(tp, "enabled"), "must be a boolean");
        c.oneOf(path(tp, "severity"), t.severity, SEVERITIES);
        c.duration(path(tp, "forDuration"), t.forDuration);
        if (known(t.window)) {
            if (!WINDOWED.has(k)) c.fail(path(tp, "window"), "this alert has no window; omit it");
            else if (c.duration(path(tp, "window"), t.window) && durationSeconds(t.window) === 0) c.fail(path(tp, "window"), "must be longer than 0s");
        }
        if (known(t.share)) {
            if (!SHARED.has(k)) c.fail(path(tp, "share"), "this alert has no share; omit it");
            else if (typeof t.share !== "number" || !(t.share >= 0 && t.share < 1)) c.fail(path(tp, "share"), `must be a share from 0 to below 1 (0.01 is 1% of checkpoints); got ${JSON.stringify(t.share)}`);
        }
        if (!known(t.threshold)) continue;
        if (k === "checkpointSlow") {
            // A histogram only tells how many observations fell at or below each boundary.
            if (bounds && !bounds.includes(t.threshold)) {
                const custom = o.histogramBoundaries !== undefined;
                c.fail(path(tp, "threshold"), `must be one of the histogram boundaries in milliseconds (${bounds.join(", ")}${custom ? ", from histogramBoundaries" : ": the OpenTelemetry SDK's defaults"}); got ${JSON.stringify(t.threshold)}. ` +
                    `A histogram cannot tell whether a checkpoint took longer than a value that is not a boundary. Pick one of them${custom ? "" : `, or set ${path(p, "histogramBoundaries")} to the boundaries your Volley build exports`}.`);
            }
            continue;
        }
        const r = THRESHOLDS[k];
        if (!r) c.fail(path(tp, "threshold"), "this alert has no threshold; omit it");
        else if (typeof t.threshold !== "number" || !Number.isFinite(t.threshold) || t.threshold < r.min || t.threshold > r.max || (r.integer && !Number.isInteger(t.threshold))) {
            c.fail(path(tp, "threshold"), `must be ${r.what}; got ${JSON.stringify(t.threshold)}`);
        }
    }
}
