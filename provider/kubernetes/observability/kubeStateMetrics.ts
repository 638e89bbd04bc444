// kube-state-metrics (the chart's subchart) exports each VolleyApplication's
// phase and replica counts through its custom resource state feature: chart
// values `customResourceState` (the config, mounted from a ConfigMap) and
// `rbac.extraRules` (list/watch on the custom resource).
import { CR_NAME_LABEL, METRICS, PHASES } from "./metrics";
import { CRD_GROUP, CRD_KIND, CRD_PLURAL, CRD_VERSION } from "../render/volley";

export const KSM_METRIC_PREFIX = "kube_customresource";

/** The name kube-state-metrics gives a metric: prefix + "_" + the config's metric name. */
function configName(prometheus: string): string {
    const p = `${KSM_METRIC_PREFIX}_`;
    if (!prometheus.startsWith(p)) throw new Error(`kube-state-metrics: ${prometheus} does not start with ${p}`);
    return prometheus.slice(p.length);
}

/** The CustomResourceStateMetrics configuration for VolleyApplications. */
export function customResourceStateConfig(): any {
    return {
        kind: "CustomResourceStateMetrics",
        spec: {
            resources: [{
                groupVersionKind: { group: CRD_GROUP, version: CRD_VERSION, kind: CRD_KIND },
                metricNamePrefix: KSM_METRIC_PREFIX,
                labelsFromPath: { [CR_NAME_LABEL]: ["metadata", "name"], namespace: ["metadata", "namespace"] },
                metrics: [
                    {
                        name: configName(METRICS.phase.prometheus),
                        help: METRICS.phase.help,
                        each: { type: "StateSet", stateSet: { labelName: "phase", path: ["status", "phase"], list: [...PHASES] } },
                    },
                    {
                        name: configName(METRICS.replicasDesired.prometheus),
                        help: METRICS.replicasDesired.help,
                        each: { type: "Gauge", gauge: { path: ["spec", "replicas"] } },
                    },
                    {
                        name: configName(METRICS.replicasReady.prometheus),
                        help: METRICS.replicasReady.help,
                        each: { type: "Gauge", gauge: { path: ["status", "readyReplicas"] } },
                    },
                ],
            }],
        },
    };
}

/** Values of the kube-state-metrics subchart: the config and the read-only RBAC it needs. */
export function kubeStateMetricsValues(): Record<string, any> {
    return {
        customResourceState: { enabled: true, config: customResourceStateConfig() },
        rbac: {
            extraRules: [
                { apiGroups: [CRD_GROUP], resources: [CRD_PLURAL], verbs: ["list", "watch"] },
                // kube-state-metrics discovers the custom resource through its definition.
                { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
            ],
        },
    };
}
