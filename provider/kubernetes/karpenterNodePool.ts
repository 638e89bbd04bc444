import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { NODE_POOL_API, renderNodePool } from "./render/karpenter";
import { Placement, Taint } from "../core/types";
import { STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "./streamPool";

/** The node class a NodePool launches nodes from (`spec.template.spec.nodeClassRef`). */
export interface KarpenterNodeClassRef {
    /** API group of the node class, e.g. `karpenter.k8s.aws` (AWS) or `karpenter.kwok.sh` (kwok). Karpenter refuses a change. */
    group: pulumi.Input<string>;
    /** Kind of the node class, e.g. `EC2NodeClass` or `KWOKNodeClass`. Karpenter refuses a change. */
    kind: pulumi.Input<string>;
    /** Name of the node class object. */
    name: pulumi.Input<string>;
}

/** A node selector requirement on the nodes Karpenter launches. */
export interface KarpenterRequirement {
    /** Node label key, e.g. `karpenter.k8s.aws/instance-family` or `topology.kubernetes.io/zone`. */
    key: pulumi.Input<string>;
    /** `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`, `Gte` or `Lte`. */
    operator: pulumi.Input<string>;
    /** Values (one non-negative integer for Gt/Lt/Gte/Lte, none for Exists/DoesNotExist). */
    values?: pulumi.Input<pulumi.Input<string>[]>;
    /** With `In`: the least number of distinct values Karpenter must keep choosable (flexibility, e.g. for Spot). */
    minValues?: pulumi.Input<number>;
}

/** A disruption budget: how many of the pool's nodes Karpenter may disrupt at once, optionally in a schedule's window. */
export interface KarpenterDisruptionBudget {
    /** A count such as `"1"` or a percentage such as `"10%"`; `"0"` blocks the listed reasons. */
    nodes: pulumi.Input<string>;
    /** Reasons it applies to: `Underutilized`, `Empty`, `Drifted`. Defaults to all. */
    reasons?: pulumi.Input<pulumi.Input<string>[]>;
    /** Cron schedule of the window's start, e.g. `0 9 * * mon-fri`; with `duration`. */
    schedule?: pulumi.Input<string>;
    /** Length of the window, e.g. `8h`; with `schedule`. */
    duration?: pulumi.Input<string>;
}

/** A Karpenter NodePool for stream nodes, as an environment takes it. */
export interface KarpenterNodePoolSettings {
    /** Name of the NodePool (cluster-scoped). Changing it replaces the NodePool: Karpenter drains and removes the old pool's nodes, running pipelines restart on new ones. Defaults to the component name (`<environment>-stream` in an environment). */
    nodePoolName?: pulumi.Input<string>;
    /** Capacity types (`karpenter.sh/capacity-type`): `on-demand`, `spot`, `reserved`. Defaults to `["on-demand"]` on AWS and to no requirement elsewhere. */
    capacityTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** Instance types the nodes may have (`node.kubernetes.io/instance-type`). Defaults to none (any the node class offers; on AWS the stream pool's instance types). */
    instanceTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** Further requirements on the nodes, after capacity and instance types (e.g. `karpenter.k8s.aws/instance-family In [m7i]`). */
    requirements?: pulumi.Input<pulumi.Input<KarpenterRequirement>[]>;
    /** Most the whole pool may hold, Kubernetes quantities by resource: `cpu`, `memory`, `nodes`. Karpenter launches no node beyond them. Defaults to none (on AWS: derived from `maxSize`). */
    limits?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** `WhenEmpty` (remove a node only once no pipeline pod runs on it), `WhenEmptyOrUnderutilized` or `Balanced` (these also evict running pipelines to pack pods onto fewer nodes). Defaults to `WhenEmpty`. */
    consolidationPolicy?: pulumi.Input<string>;
    /** How long a node stays empty before Karpenter removes it, e.g. `30s`, `5m`, or `Never`. Defaults to `5m`. */
    consolidateAfter?: pulumi.Input<string>;
    /** Disruption budgets (at most 50). Defaults to Karpenter's: 10% of the nodes at once. */
    budgets?: pulumi.Input<pulumi.Input<KarpenterDisruptionBudget>[]>;
    /** How long a node lives before Karpenter replaces it (its pipelines restart from their checkpoints on another node), e.g. `720h`, or `Never`. Defaults to Karpenter's `720h`. */
    expireAfter?: pulumi.Input<string>;
    /** Priority among NodePools that fit the same pods, 1 to 100. Defaults to none. */
    weight?: pulumi.Input<number>;
}

export interface KarpenterNodePoolArgs extends KarpenterNodePoolSettings {
    /** Kubeconfig of the cluster, which must already run Karpenter (v1 API) and its node class. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** The node class Karpenter launches nodes from. */
    nodeClassRef: pulumi.Input<KarpenterNodeClassRef>;
    /** Labels of the nodes. Defaults to `{ "volley.io/pool": "stream-processing" }`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Taints of the nodes, Kubernetes spelling; the placement tolerates them. Defaults to `volley.io/dedicated=true:NoSchedule`. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
    /** Taints new nodes start with until an agent removes them (e.g. `efs.csi.aws.com/agent-not-ready:NoExecute`); pods need not tolerate them. Defaults to none. */
    startupTaints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

/**
 * A Karpenter NodePool (`karpenter.sh/v1`) for Volley's stream nodes on any
 * cluster that runs Karpenter: the Volley label and taint, capacity and
 * instance requirements, limits, and consolidation only of empty nodes by
 * default (never a running pipeline). Karpenter itself and the node class
 * must already exist (AwsEnvironment installs both). Outputs the placement
 * that targets its nodes.
 */
export class KarpenterNodePool extends pulumi.ComponentResource {
    /** Name of the NodePool. */
    public readonly nodePoolName!: pulumi.Output<string>;
    /** Node selector and tolerations that place pods on the pool's nodes (Kubernetes spelling). */
    public readonly placement!: pulumi.Output<Placement>;

    constructor(name: string, args: KarpenterNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:KarpenterNodePool", name, {}, opts);
        if (opts?.urn) return;
        const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
        const labels = pulumi.output(args.labels ?? STREAM_POOL_LABELS) as pulumi.Output<Record<string, string>>;
        const taints = pulumi.output(args.taints ?? STREAM_POOL_TAINTS) as pulumi.Output<any[]>;
        const spec = pulumi.all([
            args.nodePoolName ?? name, args.nodeClassRef, labels, taints, args.startupTaints ?? [], args.capacityTypes, args.instanceTypes,
            args.requirements, args.limits, args.consolidationPolicy, args.consolidateAfter, args.budgets, args.expireAfter, args.weight,
        ] as any[]).apply(([n, ref, l, t, st, ct, it, rq, lim, cp, ca, b, ea, w]: any[]) => renderNodePool({
            name: n as string, nodeClassRef: ref as any, labels: l as Record<string, string>, taints: t as any[], startupTaints: st as any[], capacityTypes: ct as string[] | undefined,
            instanceTypes: it as string[] | undefined, requirements: rq as any, limits: lim as Record<string, string> | undefined,
            consolidationPolicy: cp as string | undefined, consolidateAfter: ca as string | undefined, budgets: b as any,
            expireAfter: ea as string | undefined, weight: w as number | undefined,
        }));
        const pool = new k8s.apiextensions.CustomResource(`${name}-nodepool`, {
            apiVersion: `${NODE_POOL_API.group}/${NODE_POOL_API.version}`,
            kind: NODE_POOL_API.kind,
            metadata: spec.apply((x) => x.metadata),
            spec: spec.apply((x) => x.spec),
        }, { parent: this, provider, dependsOn: opts?.dependsOn });
        this.nodePoolName = pool.metadata.name;
        // Resolves once the NodePool exists, so whatever places pods by it comes after.
        this.placement = pulumi.all([pool.metadata.name, labels, taints]).apply(([, l, t]) => ({ nodeSelector: l, tolerations: tolerationsFor(t) }));
        this.registerOutputs({ nodePoolName: this.nodePoolName, placement: this.placement });
    }
}
