// Helm values for the platform charts, pinned to the system nodes.
import { kubeStateMetricsValues } from "../observability/kubeStateMetrics";

export const KEDA_CHART = { chart: "keda", version: "2.18.0", repo: "https://kedacore.github.io/charts", namespace: "keda" };
export const PROMETHEUS_CHART = { chart: "kube-prometheus-stack", version: "77.0.0", repo: "https://prometheus-community.github.io/helm-charts", namespace: "monitoring" };
export const PROMETHEUS_CRDS_CHART = { chart: "prometheus-operator-crds", version: "23.0.0", repo: "https://prometheus-community.github.io/helm-charts", namespace: "monitoring" };

export interface PlacementValues {
    nodeSelector?: Record<string, string>;
    tolerations?: any[];
}

function isObject(v: unknown): v is Record<string, any> {
    return !!v && typeof v === "object" && !Array.isArray(v);
}

/** Deep merge; `over` wins, arrays are replaced, not concatenated. */
export function mergeValues(base: Record<string, any>, over: Record<string, any> | undefined): Record<string, any> {
    const out: Record<string, any> = { ...base };
    for (const [k, v] of Object.entries(over ?? {})) {
        out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k], v) : v;
    }
    return out;
}

function place(p: PlacementValues): Record<string, any> {
    const out: Record<string, any> = {};
    if (p.nodeSelector && Object.keys(p.nodeSelector).length) out.nodeSelector = p.nodeSelector;
    if (p.tolerations?.length) out.tolerations = p.tolerations;
    return out;
}

/**
 * KEDA's operator, metrics server and webhooks all go to the system nodes.
 * Chart 2.18 reads placement only from its top-level `nodeSelector` and
 * `tolerations` (per-component keys exist for affinity only).
 */
export function kedaValues(p: PlacementValues, user?: Record<string, any>): Record<string, any> {
    const base: Record<string, any> = {
        crds: { install: true },
        ...place(p),
        // Least privilege for the chart's own pods.
        securityContext: {
            operator: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
        },
    };
    return mergeValues(base, user);
}

/**
 * kube-prometheus-stack with every component on the system nodes.
 *
 * helm.v4.Chart does not run Helm hooks, and the chart's admission webhook
 * certificate is made only by a hook Job; the operator pod mounts it when
 * TLS is on and would never start. So the operator's admission webhooks and
 * its TLS listener are off: resources are validated by the API server's CRD
 * schemas, and the operator serves only its metrics endpoint.
 */
export function prometheusStackValues(p: PlacementValues, user?: Record<string, any>, namespace = "monitoring",
    o: { phaseMetric: boolean } = { phaseMetric: true }): Record<string, any> {
    const placement = place(p);
    const base: Record<string, any> = {
        crds: { enabled: true },
        prometheusOperator: { ...placement, admissionWebhooks: { enabled: false }, tls: { enabled: false } },
        prometheus: {
            prometheusSpec: {
                ...placement,
                // Select monitors and rules from every namespace, not only those labelled with the chart's release.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: { alertmanagerSpec: { ...placement } },
        // Grafana's sidecars read dashboards and datasources from the stack's
        // own namespace only, through a Role: the chart's default is a
        // ClusterRole that can read every Secret in the cluster (and an empty
        // Role that the provider shows as a change in every preview).
        grafana: {
            ...placement,
            rbac: { namespaced: true },
            sidecar: { dashboards: { searchNamespace: namespace } },
        },
        // With the phase metric, kube-state-metrics also exports each VolleyApplication's phase and replicas.
        "kube-state-metrics": { ...placement, ...(o.phaseMetric ? kubeStateMetricsValues() : {}) },
        // The node exporter tolerates every NoSchedule taint by default, so it
        // would run on the dedicated stream nodes; keep it on the system nodes
        // (add the stream taint to its tolerations in `values` to monitor them).
        "prometheus-node-exporter": { ...placement, tolerations: p.tolerations ?? [] },
    };
    return mergeValues(base, user);
}
