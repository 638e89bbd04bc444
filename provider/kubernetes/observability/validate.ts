// Validation of VolleyObservability inputs, with property paths.
import { Checker, known, path } from "../../core/validate";
import { ALERT_KEYS, SEVERITIES } from "./settings";

function plainBoolean(c: Checker, p: string, v: unknown): void {
    if (v !== undefined && typeof v !== "boolean") c.fail(p, "must be a plain boolean (it decides which resources exist)");
}

/** Thresholds each alert accepts: [min, max], or none. */
const THRESHOLDS: Record<string, { min: number; max: number; integer?: boolean; what: string } | undefined> = {
    checkpointSlow: { min: 1, max: Number.MAX_SAFE_INTEGER, what: "milliseconds > 0" },
    checkpointMissing: { min: 1, max: 1000, integer: true, what: "a whole number of checkpoint intervals from 1 to 1000" },
    consumerLag: { min: 0, max: Number.MAX_SAFE_INTEGER, what: "messages >= 0" },
    backpressure: { min: 0, max: 1, what: "a utilization from 0 to 1" },
};

export function checkObservability(c: Checker, p: string, o: any): void {
    if (!known(o)) return;
    plainBoolean(c, path(p, "dashboard"), o.dashboard);
    plainBoolean(c, path(p, "phaseMetric"), o.phaseMetric);
    const a = o.alerts;
    if (!known(a)) return;
    const ap = path(p, "alerts");
    plainBoolean(c, path(ap, "enabled"), a.enabled);
    c.labels(path(ap, "labels"), a.labels);
    if (known(a.labels) && "severity" in a.labels) c.fail(path(ap, "labels", "severity"), "is set per alert: use each alert's `severity`");
    if (c.duration(path(ap, "checkpointInterval"), a.checkpointInterval) && a.checkpointInterval === "0s") c.fail(path(ap, "checkpointInterval"), "must be longer than 0s");
    for (const k of ALERT_KEYS) {
        const t = a[k];
        if (!known(t)) continue;
        const tp = path(ap, k);
        if (known(t.enabled) && typeof t.enabled !== "boolean") c.fail(path(tp, "enabled"), "must be a boolean");
        c.oneOf(path(tp, "severity"), t.severity, SEVERITIES);
        c.duration(path(tp, "forDuration"), t.forDuration);
        if (!known(t.threshold)) continue;
        const r = THRESHOLDS[k];
        if (!r) c.fail(path(tp, "threshold"), "this alert has no threshold; omit it");
        else if (typeof t.threshold !== "number" || !Number.isFinite(t.threshold) || t.threshold < r.min || t.threshold > r.max || (r.integer && !Number.isInteger(t.threshold))) {
            c.fail(path(tp, "threshold"), `must be ${r.what}; got ${JSON.stringify(t.threshold)}`);
        }
    }
}
