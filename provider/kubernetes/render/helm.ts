// Helm values for the platform charts, pinned to the system nodes.
import * as fs from "fs";
import * as path from "path";
import { kubeStateMetricsValues } from "../observability/kubeStateMetrics";

export const KEDA_CHART = { chart: "keda", version: "2.18.0", repo: "https://kedacore.github.io/charts", namespace: "keda" };
export const PROMETHEUS_CHART = { chart: "kube-prometheus-stack", version: "77.0.0", repo: "https://prometheus-community.github.io/helm-charts", namespace: "monitoring" };
export const PROMETHEUS_CRDS_CHART = { chart: "prometheus-operator-crds", version: "23.0.0", repo: "https://prometheus-community.github.io/helm-charts", namespace: "monitoring" };

export interface PlacementValues {
    nodeSelector?: Record<string, string>;
    tolerations?: any[];
}

/** The version in a local chart directory's Chart.yaml; "unknown" for an archive or an unreadable chart. */
export function localChartVersion(chartPath: string): string {
    try {
        const text = fs.readFileSync(path.join(chartPath, "Chart.yaml"), "utf8");
        return /^version:\s*["']?([^"'\s]+)/m.exec(text)?.[1] ?? "unknown";
    } catch {
        return "unknown";
    }
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
export function kedaValues(p: PlacementValues, user?: Record<string, any>, o: { metrics: boolean } = { metrics: false }): Record<string, any> {
    const base: Record<string, any> = {
        crds: { install: true },
        ...place(p),
        // The operator's metrics port on its Service, for the Platform's ServiceMonitor (the chart's
        // own ServiceMonitor would need the monitoring CRDs before KEDA's chart runs).
        ...(o.metrics ? { prometheus: { operator: { enabled: true } } } : {}),
        // Least privilege for the chart's own pods.
        securityContext: {
            operator: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
        },
    };
    return mergeValues(base, user);
}

/** Requests (and memory limits) of the stack's pods, so the scheduler reserves room for them. */
export const PROMETHEUS_STACK_RESOURCES: Record<string, any> = {
    prometheus: { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "4Gi" } },
    alertmanager: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    grafana: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    operator: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    kubeStateMetrics: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    nodeExporter: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
};

export const PROMETHEUS_STORAGE_DEFAULTS = { size: "50Gi", retention: "15d" };

/** Which of the chart's control-plane monitors (and their alert groups) exist. */
const CONTROL_PLANE = ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"];
const CONTROL_PLANE_RULES = ["etcd", "kubeSchedulerAlerting", "kubeSchedulerRecording", "kubeControllerManager", "kubeProxy"];

export interface PrometheusStackOptions {
    phaseMetric: boolean;
    /** The Secret (in the stack's namespace) with keys `admin-user` and `admin-password`. */
    grafanaAdminSecret?: string;
    /** Scrape etcd, the scheduler, the controller manager and kube-proxy (false on managed control planes). */
    controlPlaneMonitors?: boolean;
    storage?: { size?: string; retention?: string; storageClassName?: string };
    resources?: Record<string, any>;
    /** The AlertmanagerConfig (in the stack's namespace) that is Alertmanager's whole configuration. */
    alertmanagerConfig?: string;
    /** Namespaces Prometheus takes ServiceMonitors, PodMonitors and rules from (label selector); all when unset. */
    monitorNamespaceSelector?: Record<string, any>;
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
    o: PrometheusStackOptions = { phaseMetric: true }): Record<string, any> {
    const placement = place(p);
    const r = mergeValues(PROMETHEUS_STACK_RESOURCES, o.resources);
    const storage = { ...PROMETHEUS_STORAGE_DEFAULTS, ...o.storage };
    const controlPlane = o.controlPlaneMonitors ?? true;
    const nsSelector = o.monitorNamespaceSelector ?? {};
    const base: Record<string, any> = {
        crds: { enabled: true },
        prometheusOperator: { ...placement, admissionWebhooks: { enabled: false }, tls: { enabled: false }, resources: r.operator },
        prometheus: {
            prometheusSpec: {
                ...placement,
                // Select monitors and rules in every namespace (or those of
                // monitorNamespaceSelector), not only those labelled with the chart's release.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                serviceMonitorNamespaceSelector: nsSelector,
                podMonitorNamespaceSelector: nsSelector,
                ruleNamespaceSelector: nsSelector,
                resources: r.prometheus,
                retention: storage.retention,
                // On the cluster's default StorageClass unless one is named: metrics survive a restart.
                storageSpec: {
                    volumeClaimTemplate: {
                        spec: {
                            accessModes: ["ReadWriteOnce"],
                            ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
                            resources: { requests: { storage: storage.size } },
                        },
                    },
                },
            },
        },
        alertmanager: {
            alertmanagerSpec: {
                ...placement,
                resources: r.alertmanager,
                ...(o.alertmanagerConfig ? { alertmanagerConfiguration: { name: o.alertmanagerConfig } } : {}),
            },
        },
        // Grafana's sidecars read dashboards and datasources from the stack's
        // own namespace only, through a Role: the chart's default is a
        // ClusterRole that can read every Secret in the cluster (and an empty
        // Role that the provider shows as a change in every preview).
        grafana: {
            ...placement,
            rbac: { namespaced: true },
            sidecar: { dashboards: { searchNamespace: namespace } },
            resources: r.grafana,
            // Never the chart's public default password (prom-operator).
            ...(o.grafanaAdminSecret ? { admin: { existingSecret: o.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" } } : {}),
        },
        // With the phase metric, kube-state-metrics also exports each VolleyApplication's phase and replicas.
        "kube-state-metrics": { ...placement, resources: r.kubeStateMetrics, ...(o.phaseMetric ? kubeStateMetricsValues() : {}) },
        // A DaemonSet for every node: no node selector, and the chart's default
        // toleration of every NoSchedule taint, so the stream (and Kafka) nodes,
        // the ones that matter most, report their metrics too.
        "prometheus-node-exporter": { resources: r.nodeExporter },
    };
    // Managed control planes (EKS, GKE, AKS) expose no etcd, scheduler or
    // controller manager to scrape: their monitors and alerts would fire forever.
    for (const c of CONTROL_PLANE) base[c] = { enabled: controlPlane };
    base.defaultRules = { rules: Object.fromEntries(CONTROL_PLANE_RULES.map((k) => [k, controlPlane])) };
    return mergeValues(base, user);
}
