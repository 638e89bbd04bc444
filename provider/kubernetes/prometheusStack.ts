import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART, prometheusStackValues } from "./render/helm";
import { ChartSettings } from "./keda";
import { NodePlacement } from "./volleyOperator";

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
}

/**
 * prometheus-operator for Volley's ServiceMonitors: the whole
 * kube-prometheus-stack chart, or only the operator's CRDs, pinned.
 */
export class PrometheusStack extends pulumi.ComponentResource {
    /** Namespace of the stack. */
    public readonly namespace!: pulumi.Output<string>;
    /** Whether the ServiceMonitor CRD is installed. */
    public readonly crdsInstalled!: pulumi.Output<boolean>;
    /** URNs of every object the chart created, for ordering. */
    public readonly resourceUrns!: pulumi.Output<string[]>;

    constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:PrometheusStack", name, {}, opts);
        if (opts?.urn) return;
        const mode = args.mode ?? PrometheusMode.Stack;
        this.namespace = pulumi.output(args.namespace ?? PROMETHEUS_CHART.namespace);
        this.crdsInstalled = pulumi.output(mode !== PrometheusMode.None);
        if (mode === PrometheusMode.None) {
            this.resourceUrns = pulumi.output([]);
        } else {
            const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
            const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: this.namespace } }, { parent: this, provider });
            const pinned = mode === PrometheusMode.Stack ? PROMETHEUS_CHART : PROMETHEUS_CRDS_CHART;
            const values = mode === PrometheusMode.Stack
                ? pulumi.all([args.placement ?? {}, args.values ?? {}, this.namespace]).apply(([pl, v, ns]) => prometheusStackValues(pl as any, v, ns))
                : pulumi.output(args.values ?? {});
            const chart = new k8s.helm.v4.Chart(`${name}-chart`, {
                chart: pulumi.output(args.chartPath).apply((p) => p || pinned.chart),
                version: pulumi.all([args.chartPath, args.version ?? pinned.version]).apply(([p, v]) => (p ? undefined : v)) as pulumi.Output<string>,
                repositoryOpts: pulumi.output(args.chartPath).apply((p) => (p ? undefined : { repo: pinned.repo })) as any,
                namespace: ns.metadata.name,
                values,
            }, { parent: this, provider });
            this.resourceUrns = chart.resources.apply((rs) => (rs ?? []).map((r: any) => r.urn)) as unknown as pulumi.Output<string[]>;
        }
        this.registerOutputs({ namespace: this.namespace, crdsInstalled: this.crdsInstalled, resourceUrns: this.resourceUrns });
    }
}
