// Chart settings shared by KEDA, Prometheus and Strimzi: a pinned version, a local path, values, placement.
import { Checker, known, path } from "../../core/validate";
import { checkPlacement } from "../../core/scheduling";

const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function checkChart(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    if (known(a.version) && !CHART_VERSION.test(a.version)) c.fail(path(p, "version"), `must be an exact chart version such as "2.18.0" (pinned, no ranges); got ${JSON.stringify(a.version)}`);
    if (known(a.chartPath) && a.chartPath === "") c.fail(path(p, "chartPath"), "must be a local chart directory or archive, or omitted");
    if (known(a.values) && (typeof a.values !== "object" || Array.isArray(a.values))) c.fail(path(p, "values"), "must be an object of Helm values");
    checkPlacement(c, path(p, "placement"), a.placement);
}
