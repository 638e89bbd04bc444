import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART, prometheusStackValues } from "./render/helm";
import { ChartSettings } from "./keda";
import { NodePlacement } from "./volleyOperator";
import { resolvedOf } from "../core/resolved";
import { VolleyObservability, observabilityParts, resolveAlerts } from "./observability/settings";
import { dashboardConfigMap, prometheusRule } from "./observability/objects";

/** What PrometheusStack installs. */
export const PrometheusMode = {
    /** kube-prometheus-stack: prometheus-operator, its CRDs, Prometheus, Alertmanager, Grafana. */
    Stack: "stack",
    /** Only the prometheus-operator CRDs, for clusters that run Prometheus elsewhere. */
    Crds: "crds",
    /** Nothing; applications get no ServiceMonitors. */
    None: "none",
} as const;
export type PrometheusMode = (typeof PrometheusMode)[keyof typeof PrometheusMode];

export interface PrometheusStackArgs extends ChartSettings {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** `stack`, `crds` or `none`. Plain: it decides which resources exist. Defaults to `stack`. */
    mode?: PrometheusMode;
    /** Namespace of the stack. Defaults to `monitoring`. */
    namespace?: pulumi.Input<string>;
    /** Placement of the stack's pods, normally the system nodes. */
    placement?: pulumi.Input<NodePlacement>;
    /** Volley's Grafana dashboard, alerts and phase metric (mode `stack` only). Each part is on unless turned off. */
    observability?: VolleyObservability;
}

/**
 * In-cluster URL of the Prometheus Service kube-prometheus-stack creates for
 * release `release`: `<fullname>-prometheus`, where fullname follows the
 * chart's `kube-prometheus-stack.fullname` helper (templates/_helpers.tpl:
 * fullnameOverride, else the release name if it contains the chart name, else
 * `<release>-<chart>`, cut to 26 characters without a trailing "-"), on
 * `prometheus.service.port` (default 9090). Undefined when the values turn the
 * Prometheus or its Service off.
 */
export function prometheusServiceUrl(release: string, namespace: string, values: Record<string, any> = {}): string | undefined {
    if (values.prometheus?.enabled === false || values.prometheus?.service?.enabled === false) return undefined;
    const cut = (x: string) => x.slice(0, 26).replace(/-+$/, "");
    const chartName: string = values.nameOverride || PROMETHEUS_CHART.chart;
    const fullname = values.fullnameOverride ? cut(values.fullnameOverride)
        : release.includes(chartName) ? cut(release) : cut(`${release}-${chartName}`);
    const ns = values.namespaceOverride || namespace;
    return `http://${fullname}-prometheus.${ns}.svc:${values.prometheus?.service?.port ?? 9090}`;
}

/**
 * prometheus-operator for Volley's ServiceMonitors: the whole
 * kube-prometheus-stack chart, or only the operator's CRDs, pinned. With the
 * whole stack it also ships Volley's Grafana dashboard (a ConfigMap the
 * Grafana sidecar loads), its alerts (a PrometheusRule) and the applications'
 * phase as a metric (kube-state-metrics custom resource state).
 */
export class PrometheusStack extends pulumi.ComponentResource {
    /** Namespace of the stack. */
    public readonly namespace!: pulumi.Output<string>;
    /** Whether the ServiceMonitor CRD is installed. */
    public readonly crdsInstalled!: pulumi.Output<boolean>;
    /** URNs of every object the chart created, for ordering. */
    public readonly resourceUrns!: pulumi.Output<string[]>;
    /** In-cluster URL of Prometheus (mode `stack`), e.g. for KEDA prometheus triggers; empty in the other modes. */
    public readonly url!: pulumi.Output<string>;

    constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:PrometheusStack", name, {}, opts);
        if (opts?.urn) return;
        const mode = args.mode ?? PrometheusMode.Stack;
        // Which observability parts exist is decided by plain, construct-time values.
        const parts = observabilityParts(resolvedOf(args).observability);
        this.namespace = pulumi.output(args.namespace ?? PROMETHEUS_CHART.namespace);
        this.crdsInstalled = pulumi.output(mode !== PrometheusMode.None);
        if (mode === PrometheusMode.None) {
            this.resourceUrns = pulumi.output([]);
            this.url = pulumi.output("");
        } else {
            const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
            const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: this.namespace } }, { parent: this, provider });
            const pinned = mode === PrometheusMode.Stack ? PROMETHEUS_CHART : PROMETHEUS_CRDS_CHART;
            const values = mode === PrometheusMode.Stack
                ? pulumi.all([args.placement ?? {}, args.values ?? {}, this.namespace]).apply(([pl, v, ns]) => prometheusStackValues(pl as any, v, ns, { phaseMetric: parts.phaseMetric }))
                : pulumi.output(args.values ?? {});
            // helm.v4.Chart's release name is its resource name.
            const release = `${name}-chart`;
            this.url = mode === PrometheusMode.Stack
                ? pulumi.all([this.namespace, args.values ?? {}]).apply(([n, v]) => prometheusServiceUrl(release, n, v) ?? "")
                : pulumi.output("");
            const chart = new k8s.helm.v4.Chart(release, {
                chart: pulumi.output(args.chartPath).apply((p) => p || pinned.chart),
                version: pulumi.all([args.chartPath, args.version ?? pinned.version]).apply(([p, v]) => (p ? undefined : v)) as pulumi.Output<string>,
                repositoryOpts: pulumi.output(args.chartPath).apply((p) => (p ? undefined : { repo: pinned.repo })) as any,
                namespace: ns.metadata.name,
                values,
            }, { parent: this, provider });
            this.resourceUrns = chart.resources.apply((rs) => (rs ?? []).map((r: any) => r.urn)) as unknown as pulumi.Output<string[]>;
            if (mode === PrometheusMode.Stack) {
                // The dashboard needs nothing from the chart; the rule needs its CRDs.
                if (parts.dashboard) {
                    const cm = pulumi.output(ns.metadata.name).apply((n) => dashboardConfigMap(n, { phaseMetric: parts.phaseMetric }));
                    new k8s.core.v1.ConfigMap(`${name}-dashboard`, { metadata: cm.apply((c) => c.metadata), data: cm.apply((c) => c.data) }, { parent: this, provider });
                }
                if (parts.alerts) {
                    // Ordered after the chart's objects (its CRDs) by data flow: the chart's
                    // resources output carries them (a dependsOn on the remote chart would not).
                    const rule = pulumi.all([ns.metadata.name, pulumi.output(args.observability?.alerts ?? {}), this.resourceUrns])
                        .apply(([n, a]) => prometheusRule(n, resolveAlerts(a)));
                    new k8s.apiextensions.CustomResource(`${name}-alerts`, {
                        apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: rule.apply((r) => r.metadata), spec: rule.apply((r) => r.spec),
                    }, { parent: this, provider });
                }
            }
        }
        this.registerOutputs({ namespace: this.namespace, crdsInstalled: this.crdsInstalled, resourceUrns: this.resourceUrns, url: this.url });
    }
}
