import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { KEDA_CHART, kedaValues } from "./render/helm";
import { NodePlacement } from "./volleyOperator";
import { retainCrds } from "./retainCrds";
import { localChartVersion } from "./render/helm";

/** Chart settings shared by KEDA and Prometheus. */
export interface ChartSettings {
    /** Exact chart version to install (pinned; no ranges). Defaults to the version this package release was tested with. */
    version?: pulumi.Input<string>;
    /** Local chart directory or .tgz to install instead of downloading from the chart repository (machines that cannot reach it). Empty means the repository. */
    chartPath?: pulumi.Input<string>;
    /** Extra Helm values, deep-merged over the package's values (yours win). */
    values?: pulumi.Input<{ [key: string]: any }>;
}

export interface KedaArgs extends ChartSettings {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Placement of KEDA's operator, metrics server and webhooks, normally the system nodes. */
    placement?: pulumi.Input<NodePlacement>;
    /** Serve the KEDA operator's Prometheus metrics on its Service (port `metrics`, 8080) for a ServiceMonitor. Environments turn it on with Prometheus. Defaults to `false`. */
    operatorMetrics?: pulumi.Input<boolean>;
}

/**
 * KEDA from its Helm chart (pinned) in namespace `keda`, with the operator,
 * metrics server and admission webhooks on the system nodes. Installed with
 * helm.v4.Chart, so previews show every object the chart creates; its CRDs
 * are retained on delete.
 */
export class Keda extends pulumi.ComponentResource {
    /** Namespace KEDA runs in. */
    public readonly namespace!: pulumi.Output<string>;
    /** Installed chart version. */
    public readonly chartVersion!: pulumi.Output<string>;
    /** URNs of every object the chart created, for ordering. */
    public readonly resourceUrns!: pulumi.Output<string[]>;

    constructor(name: string, args: KedaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:Keda", name, {}, opts);
        if (opts?.urn) return;
        const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: KEDA_CHART.namespace } }, { parent: this, provider });
        const version = pulumi.output(args.version ?? KEDA_CHART.version);
        // A local chart is whatever version it says it is, not the pinned default.
        const installed = pulumi.all([args.chartPath, version]).apply(([p, v]) => (p ? localChartVersion(p) : v));
        const chart = new k8s.helm.v4.Chart(`${name}-chart`, {
            chart: pulumi.output(args.chartPath).apply((p) => p || KEDA_CHART.chart),
            version: pulumi.all([args.chartPath, version]).apply(([p, v]) => (p ? undefined : v)) as pulumi.Output<string>,
            repositoryOpts: pulumi.output(args.chartPath).apply((p) => (p ? undefined : { repo: KEDA_CHART.repo })) as any,
            namespace: ns.metadata.name,
            values: pulumi.all([args.placement ?? {}, args.values ?? {}, args.operatorMetrics]).apply(([pl, v, m]) => kedaValues(pl as any, v, { metrics: !!m })),
        }, { parent: this, provider, transforms: retainCrds() });
        this.namespace = ns.metadata.name;
        this.chartVersion = installed;
        this.resourceUrns = chart.resources.apply((rs) => (rs ?? []).map((r: any) => r.urn)) as unknown as pulumi.Output<string[]>;
        this.registerOutputs({ namespace: this.namespace, chartVersion: this.chartVersion, resourceUrns: this.resourceUrns });
    }
}
