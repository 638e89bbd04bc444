// The platform every environment installs on its cluster: the Volley
// operator, KEDA and prometheus-operator on the system nodes, and the
// EnvironmentRef that applications read.
import * as pulumi from "@pulumi/pulumi";
import { Keda } from "./keda";
import type { KedaSettings, PrometheusSettings } from "./kubernetesEnvironment";
import { PrometheusMode, PrometheusStack } from "./prometheusStack";
import { recordResolved } from "../core/resolved";
import { CheckpointBackend, EnvironmentRef, Placement, StreamCapacity, Toleration } from "../core/types";
import { NodePlacement, VolleyOperator, VolleyOperatorSettings } from "./volleyOperator";
import { providerFromOpts } from "./provider";
import { compatibilityWarnings } from "./compatibility";
import { KEDA_CHART, PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART } from "./render/helm";
import { directoryJobsNamespace, isolatePlatform, monitorPlatform } from "./platformExtras";
import { KafkaSettings, STRIMZI_CHART } from "./kafka/settings";
import { EnvironmentKafka, environmentKafka, withKafkaNamespace } from "./kafka/environmentKafka";
import { observabilityParts } from "./observability/settings";

/** Optional NetworkPolicies for the platform namespaces. */
export interface NetworkPolicySettings {
    /** Default-deny ingress in the operator, KEDA and monitoring namespaces, with the allows they need (API server, scrapes, KEDA's Prometheus queries). Plain: it decides whether the policies exist. Defaults to `false`. */
    enabled?: boolean;
    /** Namespaces whose pods may reach Grafana (port 3000). Defaults to none but the monitoring namespace (use `kubectl port-forward`). */
    grafanaFrom?: string[];
}

export interface PlatformSettings {
    operator: VolleyOperatorSettings;
    keda?: KedaSettings;
    prometheus?: PrometheusSettings;
    networkPolicies?: NetworkPolicySettings;
    kafka?: KafkaSettings;
}

/** What differs between environments: managed control planes, the cluster version. */
export interface PlatformDefaults {
    /** Whether the control plane can be scraped (false on EKS, GKE, AKS). */
    controlPlaneMonitors: boolean;
    /** The cluster's Kubernetes version, for the chart compatibility warning. */
    kubernetesVersion?: pulumi.Input<string | undefined>;
    /** Whether the cluster serves the resource metrics API (metrics.k8s.io) that cpu/memory triggers read; unknown when unset. */
    resourceMetricsApi?: boolean;
    /** The cloud's block StorageClass, the default of Kafka broker claims. */
    kafkaStorageClassName?: pulumi.Input<string>;
    /** Whether the checkpoint backend may be an NFS export (kind `Nfs`), whose applications' directories are made by Jobs: then the namespace those Jobs run in exists. Plain. */
    checkpointDirectories?: boolean;
}

export class Platform {
    readonly operator: VolleyOperator;
    readonly keda?: Keda;
    readonly prometheus?: PrometheusStack;
    /** The environment's Kafka (Strimzi or an external cluster's description). */
    readonly kafka: EnvironmentKafka;
    readonly kedaEnabled: boolean;
    readonly prometheusEnabled: boolean;
    /** Whether the cluster serves metrics.k8s.io (from the environment's defaults). */
    readonly resourceMetricsApi?: boolean;
    /** Preview warnings (chart versions untested on the cluster's version). */
    readonly warnings: pulumi.Output<string[]>;
    /** The environment's one Kubernetes provider (from `opts`), which its applications share. */
    readonly kubernetesProvider?: pulumi.ProviderResource;
    /** Namespace of the Jobs that create applications' directories on an NFS export (Pod Security baseline); absent without NFS checkpoints. */
    readonly directoryNamespace?: pulumi.Output<string>;

    /**
     * `args` carry the Inputs; `resolved` their construct-time values (see
     * core/resolved.ts), which decide what exists. `opts` give the
     * parent and the one Kubernetes provider of the environment.
     */
    constructor(name: string, args: PlatformSettings, resolved: PlatformSettings | undefined, system: pulumi.Input<NodePlacement>,
        opts: pulumi.ComponentResourceOptions, defaults: PlatformDefaults = { controlPlaneMonitors: true }) {
        this.kubernetesProvider = providerFromOpts(opts);
        this.resourceMetricsApi = defaults.resourceMetricsApi;
        // Its plain switches (replicas, metricsPort, watchNamespaces) come from the resolved inputs.
        const op = resolved?.operator;
        this.operator = new VolleyOperator(`${name}-operator`, {
            ...args.operator, replicas: op?.replicas, metricsPort: op?.metricsPort, watchNamespaces: op?.watchNamespaces, placement: system,
        }, opts);
        const chart = (s: KedaSettings | PrometheusSettings | undefined) => ({ version: s?.version, chartPath: s?.chartPath, values: s?.values, placement: system });
        this.kedaEnabled = resolved?.keda?.enabled ?? true;
        const mode = resolved?.prometheus?.mode ?? PrometheusMode.Stack;
        this.prometheusEnabled = mode !== PrometheusMode.None;
        if (this.kedaEnabled) this.keda = new Keda(`${name}-keda`, { ...chart(args.keda), operatorMetrics: this.prometheusEnabled }, opts);
        if (this.prometheusEnabled) {
            // VolleyOperatorDown watches this environment's operator unless told otherwise.
            const obs = args.prometheus?.observability;
            const observability = { ...(obs ?? {}), alerts: { operatorNamespace: this.operator.namespace, ...(obs?.alerts ?? {}) } };
            const stackArgs = {
                ...args.prometheus, mode, ...chart(args.prometheus), observability,
                controlPlaneMonitors: args.prometheus?.controlPlaneMonitors ?? defaults.controlPlaneMonitors,
                monitorNamespaces: withKafkaNamespace(args.prometheus?.monitorNamespaces, args.kafka, resolved?.kafka),
            };
            // Its plain switches (which observability parts exist, receivers) come from the resolved inputs.
            recordResolved(stackArgs, { ...stackArgs, observability: resolved?.prometheus?.observability, alerting: resolved?.prometheus?.alerting });
            this.prometheus = new PrometheusStack(`${name}-prometheus`, stackArgs, opts);
        }
        const dashboards = mode === PrometheusMode.Stack && observabilityParts(resolved?.prometheus?.observability).dashboard;
        this.kafka = environmentKafka(name, args.kafka, resolved?.kafka, system, this.prometheus, dashboards, opts, defaults.kafkaStorageClassName);
        if (defaults.checkpointDirectories) this.directoryNamespace = directoryJobsNamespace(name, this, opts);
        monitorPlatform(name, this, resolved?.operator?.metricsPort, opts);
        if (resolved?.networkPolicies?.enabled) {
            isolatePlatform(name, this, resolved.networkPolicies.grafanaFrom ?? [], opts);
        }
        // Strimzi's pinned chart, when the environment installs it from the registry.
        const strimziChart = pulumi.output(args.kafka as any).apply((k: any) =>
            (resolved?.kafka?.mode === "strimzi" && !k?.strimzi?.chartPath ? (k?.strimzi?.version || STRIMZI_CHART.version) as string : undefined));
        this.warnings = pulumi.all([defaults.kubernetesVersion, args.keda?.version, args.keda?.chartPath, args.prometheus?.version, args.prometheus?.chartPath, strimziChart])
            .apply(([k, kv, kp, pv, pp, sv]) => compatibilityWarnings(k, {
                [STRIMZI_CHART.chart]: sv,
                keda: this.kedaEnabled && !kp ? kv ?? KEDA_CHART.version : undefined,
                [mode === PrometheusMode.Stack ? PROMETHEUS_CHART.chart : PROMETHEUS_CRDS_CHART.chart]:
                    this.prometheusEnabled && !pp ? pv ?? (mode === PrometheusMode.Stack ? PROMETHEUS_CHART.version : PROMETHEUS_CRDS_CHART.version) : undefined,
            }));
        this.warnings.apply((ws) => ws.forEach((w) => pulumi.log.warn(w, opts.parent)));
    }

    /**
     * The EnvironmentRef. It resolves only once the CRD, the operator and the
     * add-ons' objects exist, so every Application that reads it is ordered
     * after them (a dependsOn on a remote component would order nothing).
     * `capacity` is the stream pool's, which applications are checked against.
     */
    environmentRef(name: string, kubeconfig: pulumi.Input<string>, checkpoints: pulumi.Input<CheckpointBackend | undefined>,
        stream: pulumi.Input<Placement>, system: pulumi.Input<NodePlacement>, capacity?: pulumi.Input<StreamCapacity | undefined>): pulumi.Output<EnvironmentRef> {
        return pulumi.output({
            kc: kubeconfig, ns: this.operator.namespace, crdName: this.operator.crdName, deployment: this.operator.deploymentName,
            ckpt: checkpoints, st: stream, sys: system, providerUrn: this.kubernetesProvider?.urn, cap: capacity,
            kedaReady: this.keda ? this.keda.resourceUrns : [], prometheusReady: this.prometheus ? this.prometheus.resourceUrns : [],
            promUrl: this.prometheus ? this.prometheus.url : "",
            kafka: this.kafka.ref, kafkaReady: this.kafka.ready,
            // Applications' directory Jobs run there: the ref resolves once it exists.
            dirNs: this.directoryNamespace ?? "",
        }).apply(({ kc, ns, crdName, ckpt, st, sys, providerUrn, promUrl, cap, kafka, dirNs }: any) => {
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
            if (ckpt) ref.checkpoints = ckpt.kind === "Nfs" && dirNs ? { ...ckpt, directoryNamespace: dirNs } : ckpt as CheckpointBackend;
            if (cap && Object.keys(cap).length) ref.streamCapacity = cap as StreamCapacity;
            if (providerUrn) ref.kubernetesProviderUrn = providerUrn;
            if (promUrl) ref.prometheusUrl = promUrl;
            if (kafka) ref.kafka = kafka;
            if (this.resourceMetricsApi !== undefined) ref.resourceMetricsApi = this.resourceMetricsApi;
            return ref;
        });
    }
}
