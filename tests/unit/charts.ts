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
