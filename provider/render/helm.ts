// Helm values for the platform charts, pinned to the system nodes.

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

/** KEDA's operator, metrics server and webhooks all go to the system nodes. */
export function kedaValues(p: PlacementValues, user?: Record<string, any>): Record<string, any> {
    const placement = place(p);
    const base: Record<string, any> = {
        crds: { install: true },
        operator: { ...placement },
        metricsServer: { ...placement },
        webhooks: { ...placement },
        // Least privilege for the chart's own pods.
        securityContext: {
            operator: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
        },
    };
    return mergeValues(base, user);
}

/** kube-prometheus-stack with every component on the system nodes. */
export function prometheusStackValues(p: PlacementValues, user?: Record<string, any>): Record<string, any> {
    const placement = place(p);
    const base: Record<string, any> = {
        crds: { enabled: true },
        prometheusOperator: { ...placement, admissionWebhooks: { patch: { ...placement } } },
        prometheus: {
            prometheusSpec: {
                ...placement,
                // Select ServiceMonitors from every namespace, not only the chart's release.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: { alertmanagerSpec: { ...placement } },
        grafana: { ...placement },
        "kube-state-metrics": { ...placement },
    };
    return mergeValues(base, user);
}
