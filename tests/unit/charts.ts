// The vendored upstream charts (shared/charts beside the repository, or
// VOLLEY_CHARTS_DIR), read by tests that check our values against the chart
// itself rather than against our own assumptions.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export function chartsDir(): string {
    return process.env.VOLLEY_CHARTS_DIR ?? path.join(__dirname, "..", "..", "..", "shared", "charts");
}

/** A YAML file of a vendored chart, e.g. chartYaml("kube-prometheus-stack-77.0.0/values.yaml"). */
export function chartYaml(rel: string): any {
    return yaml.load(fs.readFileSync(path.join(chartsDir(), rel), "utf8"));
}

/**
 * kube-prometheus-stack's control-plane monitors, from the chart itself: the
 * top-level values with an `endpoints` list ("If your <component> is not
 * deployed as a pod, specify IPs it can be found on"), and the default rule
 * groups its templates gate on each of them (`.Values.<monitor>.enabled ...
 * .Values.defaultRules.rules.<group>`). Managed control planes (EKS, GKE, AKS)
 * run none of these as scrapeable pods.
 */
export function controlPlaneMonitors(chart = "kube-prometheus-stack-77.0.0"): { monitors: string[]; ruleGroups: string[] } {
    const values = chartYaml(`${chart}/values.yaml`);
    const monitors = Object.keys(values).filter((k) => values[k] && typeof values[k] === "object" && Array.isArray(values[k].endpoints) && "enabled" in values[k]);
    const rulesDir = path.join(chartsDir(), chart, "templates", "prometheus", "rules-1.14");
    const ruleGroups = new Set<string>();
    for (const f of fs.readdirSync(rulesDir)) {
        const first = fs.readFileSync(path.join(rulesDir, f), "utf8").split("\n").find((l) => l.startsWith("{{- if")) ?? "";
        if (!monitors.some((m) => first.includes(`.Values.${m}.enabled`))) continue;
        for (const m of first.matchAll(/\.Values\.defaultRules\.rules\.(\w+)/g)) ruleGroups.add(m[1]);
    }
    return { monitors, ruleGroups: [...ruleGroups].sort() };
}

/** Asserts a kube-prometheus-stack values object turns every control-plane monitor and its rule groups off. */
export function assertControlPlaneMonitorsOff(values: any): void {
    const { monitors, ruleGroups } = controlPlaneMonitors();
    // The chart has them on by default: leaving a key out would scrape (and alert) for ever.
    const defaults = chartYaml("kube-prometheus-stack-77.0.0/values.yaml");
    if (monitors.length < 4 || ruleGroups.length < 4) throw new Error(`chart parse: ${monitors} / ${ruleGroups}`);
    for (const m of monitors) {
        if (defaults[m].enabled !== true) throw new Error(`chart default of ${m}.enabled is not true`);
        if (values?.[m]?.enabled !== false) throw new Error(`${m}.enabled is ${JSON.stringify(values?.[m]?.enabled)}, not false`);
    }
    for (const r of ruleGroups) {
        if (values?.defaultRules?.rules?.[r] !== false) throw new Error(`defaultRules.rules.${r} is ${JSON.stringify(values?.defaultRules?.rules?.[r])}, not false`);
    }
}
