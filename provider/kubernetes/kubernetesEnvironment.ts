import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "./provider";
import { NetworkPolicySettings, Platform } from "./platform";
import { ChartSettings } from "./keda";
import type { PrometheusSettings } from "./prometheusSettings";
import { resolvedOf } from "../core/resolved";
import { known } from "../core/validate";
import { NfsExport } from "./sharedCheckpointVolume";
import { APP_DIRECTORY_DEFAULTS } from "./render/checkpoints";
import { CheckpointBackend, EnvironmentRef, ResourceLimits, StreamCapacity, Taint, Toleration } from "../core/types";
import { NodePlacement, VolleyOperatorSettings } from "./volleyOperator";
import { KarpenterNodeClassRef, KarpenterNodePool, KarpenterNodePoolSettings } from "./karpenterNodePool";
import type { KafkaSettings } from "./kafka/settings";

/** The environment's shared checkpoint storage (ReadWriteMany): exactly one of `storageClassName` or `nfs`. */
export interface CheckpointStorage {
    /** An existing ReadWriteMany StorageClass; each application gets a dynamic claim on it. */
    storageClassName?: pulumi.Input<string>;
    /** A static NFS export; each application gets its own directory `<path>/<namespace>/<application>` (created by a Job in the environment's directory namespace, which needs root access to the export, i.e. no root squash for the nodes) and a PersistentVolume on it (reclaim policy Retain). */
    nfs?: pulumi.Input<NfsExport>;
    /** Owner uid of each application's directory on the `nfs` export: the uid the workers run as. Defaults to `1000`. */
    uid?: pulumi.Input<number>;
    /** Owner gid of each application's directory on the `nfs` export (mode 0770). Defaults to `1000`. */
    gid?: pulumi.Input<number>;
    /** Image of the Job that creates each application's directory on the `nfs` export (needs sh, mkdir, stat, chmod, chown). Defaults to `busybox:1.37.0`. */
    directoryImage?: pulumi.Input<string>;
    /** Mount options of NFS volumes, e.g. `["nfsvers=4.1"]`. */
    mountOptions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Default size of each application's claim. Defaults to `50Gi`. */
    size?: pulumi.Input<string>;
}

/** KEDA settings of an environment. */
export interface KedaSettings extends ChartSettings {
    /** Install KEDA. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
}

export type { PrometheusSettings } from "./prometheusSettings";

/** CPU and memory one node offers pods: its `status.allocatable`, Kubernetes quantities. */
export interface NodeAllocatable {
    /** Allocatable CPU of the node, e.g. `7910m`. */
    cpu: pulumi.Input<string>;
    /** Allocatable memory of the node, e.g. `31Gi`. */
    memory: pulumi.Input<string>;
}

/** A Karpenter NodePool for the stream nodes, on a cluster that already runs Karpenter (v1 API) and the node class it names. */
export interface KarpenterStreamPool extends KarpenterNodePoolSettings {
    /** The node class Karpenter launches the stream nodes from, e.g. an EC2NodeClass, or a KWOKNodeClass on a test cluster. */
    nodeClassRef: pulumi.Input<KarpenterNodeClassRef>;
    /** Taints new nodes start with until an agent removes them (e.g. a CSI driver's `agent-not-ready` taint); pods need not tolerate them. Defaults to none. */
    startupTaints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

/** The dedicated stream-processing nodes: existing ones described by their labels and taints, or a Karpenter NodePool that makes them with those labels and taints. */
export interface StreamNodes {
    /** Labels of the dedicated nodes. Defaults to `{ "volley.io/pool": "stream-processing" }`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Taints of the dedicated nodes, Kubernetes spelling. Defaults to `volley.io/dedicated=true:NoSchedule`. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
    /** A Karpenter NodePool (`karpenter.sh/v1`) that launches the stream nodes as applications need them, with `labels` and `taints`. Karpenter itself must already run on the cluster: the environment installs only the NodePool. Its presence decides whether the NodePool exists, so it must be known at preview. Defaults to none (the nodes exist already). */
    karpenter?: KarpenterStreamPool;
    /** Most dedicated nodes the cluster can have (their number, or the node autoscaler's maximum); an application whose replicas need more nodes (one pod per node) fails at preview. Defaults to unknown: not checked. */
    maxNodes?: pulumi.Input<number>;
    /** Allocatable CPU and memory of each kind of dedicated node (`kubectl get nodes -l volley.io/pool=stream-processing -o custom-columns=CPU:.status.allocatable.cpu,MEMORY:.status.allocatable.memory`); an application requesting more per pod than every kind offers fails at preview. Defaults to unknown: not checked. */
    nodeAllocatable?: pulumi.Input<pulumi.Input<NodeAllocatable>[]>;
}

/** The described stream nodes as the EnvironmentRef carries them; undefined when nothing is described. */
export function describedCapacity(s: { maxNodes?: number; nodeAllocatable?: { cpu: string; memory: string }[] }): StreamCapacity | undefined {
    const out: StreamCapacity = {};
    if (s.maxNodes !== undefined && s.maxNodes !== null) out.maxNodes = s.maxNodes;
    if (s.nodeAllocatable?.length) {
        // The figures are what the nodes report as allocatable: exact, not upper bounds.
        out.nodeShapes = s.nodeAllocatable.map((n) => ({ cpu: n.cpu, memory: n.memory, allocatableCpu: n.cpu, allocatableMemory: n.memory }));
    }
    if (!Object.keys(out).length) return undefined;
    out.setBy = "streamNodes.maxNodes and nodeAllocatable";
    return out;
}

/**
 * The stream capacity of a KubernetesEnvironment: what `streamNodes`
 * describes, and with a Karpenter NodePool its `limits` (`nodes` as the
 * maximum unless `maxNodes` says otherwise, `cpu` and `memory` as totals).
 */
export function streamNodesCapacity(s: { maxNodes?: number; nodeAllocatable?: { cpu: string; memory: string }[]; karpenter?: { limits?: Record<string, string> } }): StreamCapacity | undefined {
    const lim = s.karpenter?.limits ?? {};
    const nodes = lim.nodes !== undefined && /^\d+$/.test(String(lim.nodes)) ? Number(lim.nodes) : undefined;
    const out = describedCapacity({ ...s, maxNodes: s.maxNodes ?? nodes }) ?? {};
    const totals: ResourceLimits = {};
    if (lim.cpu !== undefined) totals.cpu = String(lim.cpu);
    if (lim.memory !== undefined) totals.memory = String(lim.memory);
    if (Object.keys(totals).length) out.limits = totals;
    if (!Object.keys(out).length) return undefined;
    if (s.karpenter) out.setBy = `streamNodes.${s.maxNodes === undefined && nodes !== undefined ? "karpenter.limits.nodes" : "maxNodes"}, karpenter.limits and nodeAllocatable`;
    return out;
}

export interface KubernetesEnvironmentArgs {
    /** Kubeconfig of the existing cluster (YAML or JSON). Defaults to the ambient kubeconfig (KUBECONFIG or ~/.kube/config). */
    kubeconfig?: pulumi.Input<string>;
    /** Volley operator settings. Required: at least `image`, the operator image you built (no public image exists). */
    operator: VolleyOperatorSettings;
    /** Shared checkpoint storage for distributed applications; omit when applications bring their own claims. */
    checkpoints?: pulumi.Input<CheckpointStorage>;
    /** KEDA for autoscaling. */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** The existing dedicated stream-processing nodes. */
    streamNodes?: pulumi.Input<StreamNodes>;
    /** Placement of platform pods (operator, KEDA, Prometheus) on the system nodes. Defaults to no constraint. */
    systemNodes?: pulumi.Input<NodePlacement>;
    /** NetworkPolicies for the platform namespaces; they take effect only where the cluster's network plugin enforces NetworkPolicies. Defaults to none. */
    networkPolicies?: NetworkPolicySettings;
    /** The cluster's Kubernetes version (e.g. `1.34`), for a preview warning when a chart is untested on it. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Whether the cluster serves the resource metrics API (metrics.k8s.io, e.g. metrics-server) that cpu/memory autoscaling triggers read; `false` makes such triggers a preview warning. Plain. Defaults to unknown (no warning). */
    resourceMetricsApi?: boolean;
    /** Kafka for applications: Strimzi and a KRaft cluster on the Kafka nodes you describe (`strimzi.nodes`), or an external cluster. Defaults to none. */
    kafka?: KafkaSettings;
}

export { STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "./streamPool";
import { STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "./streamPool";

/**
 * Volley on an existing Kubernetes cluster: the operator and its CRD, KEDA,
 * prometheus-operator, and shared checkpoint storage on an existing RWX
 * StorageClass or NFS export. Its `environment` output feeds `Application`.
 */
export class KubernetesEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** The kubeconfig the environment deploys with (secret). */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;
    /** Grafana's admin password, a secret: `prometheus.grafanaAdminPassword`, or the one generated at the first `up` and kept since; absent unless `prometheus.mode` is `stack`. */
    public readonly grafanaAdminPassword!: pulumi.Output<string | undefined>;

    constructor(name: string, args: KubernetesEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:KubernetesEnvironment", name, {}, opts);
        if (opts?.urn) return;
        const kubeconfig = pulumi.secret(pulumi.output(args.kubeconfig).apply((k) => k ?? ""));
        const provider = kubernetesProvider(this, name, kubeconfig, opts);
        const children = { parent: this, providers: { kubernetes: provider } };
        const system = pulumi.output(args.systemNodes ?? {});

        // An NFS export (or checkpoints not known yet) gets the namespace of the directory Jobs.
        const ck = resolvedOf(args).checkpoints;
        const platform = new Platform(name, args, resolvedOf(args), system, children, {
            controlPlaneMonitors: true, kubernetesVersion: args.kubernetesVersion, resourceMetricsApi: resolvedOf(args).resourceMetricsApi,
            checkpointDirectories: ck !== undefined && ck !== null && (!known(ck) || pulumi.Output.isInstance(ck) || (ck.nfs !== undefined && ck.nfs !== null)),
        });

        const checkpoints = pulumi.output(args.checkpoints).apply((c): CheckpointBackend | undefined => {
            if (!c) return undefined;
            const common = { mountOptions: (c.mountOptions ?? []) as string[], defaultSize: (c.size ?? "50Gi") as string };
            return c.storageClassName
                ? { kind: "StorageClass", storageClassName: c.storageClassName as string, ...common }
                : {
                    kind: "Nfs", nfsServer: c.nfs!.server as string, nfsPath: c.nfs!.path as string, ...common,
                    uid: (c.uid ?? APP_DIRECTORY_DEFAULTS.uid) as number, gid: (c.gid ?? APP_DIRECTORY_DEFAULTS.gid) as number,
                    directoryImage: (c.directoryImage ?? APP_DIRECTORY_DEFAULTS.image) as string,
                };
        });
        const sn = pulumi.output(args.streamNodes ?? {});
        // A NodePool only when one is asked for (a construct-time decision); it needs no platform object.
        const pool = resolvedOf(args).streamNodes?.karpenter ? new KarpenterNodePool(`${name}-stream`, {
            ...karpenterArgs(sn.apply((s) => s.karpenter!)),
            nodePoolName: sn.apply((s) => s.karpenter?.nodePoolName ?? `${name}-stream`),
            nodeClassRef: sn.apply((s) => s.karpenter!.nodeClassRef),
            startupTaints: sn.apply((s) => s.karpenter?.startupTaints ?? []),
            labels: sn.apply((s) => s.labels ?? STREAM_POOL_LABELS),
            taints: sn.apply((s) => s.taints ?? STREAM_POOL_TAINTS),
        }, children) : undefined;
        const stream = pulumi.all([sn, pool?.nodePoolName]).apply(([s]) => ({
            nodeSelector: (s.labels ?? STREAM_POOL_LABELS) as Record<string, string>,
            tolerations: tolerationsFor((s.taints ?? STREAM_POOL_TAINTS) as any),
        }));

        const capacity = pulumi.output(args.streamNodes ?? {}).apply((s) => streamNodesCapacity(s as any));
        this.environment = platform.environmentRef(name, kubeconfig, checkpoints, stream, system, capacity);
        this.kubeconfig = kubeconfig;
        this.operatorNamespace = platform.operator.namespace;
        this.grafanaAdminPassword = platform.prometheus ? platform.prometheus.grafanaAdminPassword : pulumi.output(undefined);
        this.registerOutputs({ environment: this.environment, kubeconfig: this.kubeconfig, operatorNamespace: this.operatorNamespace, grafanaAdminPassword: this.grafanaAdminPassword });
    }
}

/** The NodePool settings of a stream pool as separate inputs, so an unset one keeps its default. */
export function karpenterArgs(k: pulumi.Output<KarpenterNodePoolSettings>): KarpenterNodePoolSettings {
    const f = <K extends keyof KarpenterNodePoolSettings>(key: K) => k.apply((x) => x?.[key]) as any;
    return {
        capacityTypes: f("capacityTypes"), instanceTypes: f("instanceTypes"), requirements: f("requirements"), limits: f("limits"),
        consolidationPolicy: f("consolidationPolicy"), consolidateAfter: f("consolidateAfter"), budgets: f("budgets"),
        expireAfter: f("expireAfter"), weight: f("weight"),
    };
}
