// The platform every environment installs on its cluster: the Volley
// operator, KEDA and prometheus-operator on the system nodes, and the
// EnvironmentRef that applications read.
import * as pulumi from "@pulumi/pulumi";
import { Keda } from "./keda";
import type { KedaSettings, PrometheusSettings } from "./kubernetesEnvironment";
import { PrometheusMode, PrometheusStack } from "./prometheusStack";
import { recordResolved } from "../core/resolved";
import { CheckpointBackend, EnvironmentRef, Placement, Toleration } from "../core/types";
import { NodePlacement, VolleyOperator, VolleyOperatorSettings } from "./volleyOperator";
import { providerFromOpts } from "./provider";

export interface PlatformSettings {
    operator?: VolleyOperatorSettings;
    keda?: KedaSettings;
    prometheus?: PrometheusSettings;
}

export class Platform {
    readonly operator: VolleyOperator;
    readonly keda?: Keda;
    readonly prometheus?: PrometheusStack;
    readonly kedaEnabled: boolean;
    readonly prometheusEnabled: boolean;
    /** The environment's one Kubernetes provider (from `opts`), which its applications share. */
    readonly kubernetesProvider?: pulumi.ProviderResource;

    /**
     * `args` carry the Inputs; `resolved` their construct-time values (see
     * core/resolved.ts), which decide what exists. `opts` give the
     * parent and the one Kubernetes provider of the environment.
     */
    constructor(name: string, args: PlatformSettings, resolved: PlatformSettings | undefined, system: pulumi.Input<NodePlacement>,
        opts: pulumi.ComponentResourceOptions) {
        this.kubernetesProvider = providerFromOpts(opts);
        this.operator = new VolleyOperator(`${name}-operator`, { ...(args.operator ?? {}), replicas: resolved?.operator?.replicas, placement: system }, opts);
        const chart = (s: KedaSettings | PrometheusSettings | undefined) => ({ version: s?.version, chartPath: s?.chartPath, values: s?.values, placement: system });
        this.kedaEnabled = resolved?.keda?.enabled ?? true;
        if (this.kedaEnabled) this.keda = new Keda(`${name}-keda`, chart(args.keda), opts);
        const mode = resolved?.prometheus?.mode ?? PrometheusMode.Stack;
        this.prometheusEnabled = mode !== PrometheusMode.None;
        if (this.prometheusEnabled) {
            const stackArgs = { mode, ...chart(args.prometheus), observability: args.prometheus?.observability };
            // Its plain switches (which observability parts exist) come from the resolved inputs.
            recordResolved(stackArgs, { ...stackArgs, observability: resolved?.prometheus?.observability });
            this.prometheus = new PrometheusStack(`${name}-prometheus`, stackArgs, opts);
        }
    }

    /**
     * The EnvironmentRef. It resolves only once the CRD, the operator and the
     * add-ons' objects exist, so every Application that reads it is ordered
     * after them (a dependsOn on a remote component would order nothing).
     */
    environmentRef(name: string, kubeconfig: pulumi.Input<string>, checkpoints: pulumi.Input<CheckpointBackend | undefined>,
        stream: pulumi.Input<Placement>, system: pulumi.Input<NodePlacement>): pulumi.Output<EnvironmentRef> {
        return pulumi.output({
            kc: kubeconfig, ns: this.operator.namespace, crdName: this.operator.crdName, deployment: this.operator.deploymentName,
            ckpt: checkpoints, st: stream, sys: system, providerUrn: this.kubernetesProvider?.urn,
            kedaReady: this.keda ? this.keda.resourceUrns : [], prometheusReady: this.prometheus ? this.prometheus.resourceUrns : [],
            promUrl: this.prometheus ? this.prometheus.url : "",
        }).apply(({ kc, ns, crdName, ckpt, st, sys, providerUrn, promUrl }: any) => {
            const ref: EnvironmentRef = {
                name,
                kubeconfig: kc,
                operatorNamespace: ns,
                crdName,
                streamPlacement: st,
                systemPlacement: { nodeSelector: (sys?.nodeSelector ?? {}) as Record<string, string>, tolerations: (sys?.tolerations ?? []) as Toleration[] },
                kedaEnabled: this.kedaEnabled,
                prometheusEnabled: this.prometheusEnabled,
            };
            if (ckpt) ref.checkpoints = ckpt as CheckpointBackend;
            if (providerUrn) ref.kubernetesProviderUrn = providerUrn;
            if (promUrl) ref.prometheusUrl = promUrl;
            return ref;
        });
    }
}
