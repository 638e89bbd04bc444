import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice";
import { AzureNodePoolSettings } from "./settings";
import { AKS_POOL_LABEL, AZURE_DEFAULTS, PoolSettings, SPOT_TAINT, aksPoolName, aksPoolProfile, azureTags, poolNameFrom } from "./render";
import { poolArgs } from "./cluster";
import { plainDependsOn } from "./util";
import { tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { resolvedOf } from "../core/resolved";
import { Placement } from "../core/types";

export interface AzureNodePoolArgs extends AzureNodePoolSettings {
    /** Name of the AKS cluster. */
    clusterName: pulumi.Input<string>;
    /** Resource group of the cluster. */
    resourceGroupName: pulumi.Input<string>;
    /** Subnet of the pool's nodes. Defaults to the subnet of the cluster's System pool. */
    vnetSubnetId?: pulumi.Input<string>;
    /** Azure tags on the pool (and its VM scale set), besides `volley-io-environment=<name>`. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Kubernetes version of the pool's nodes (`1.36` or `1.36.2`); set it to the cluster's after upgrading the cluster (AKS upgrades a Spot pool and the control plane separately). Defaults to the cluster's version when the pool is created. */
    orchestratorVersion?: pulumi.Input<string>;
}

/** What AzureEnvironment tells its stream pool besides the public inputs. */
export interface AzureNodePoolInternal {
    /** Base of the derived name instead of the component name (`stream`, the name earlier versions gave it). */
    defaultPoolName?: string;
    /** The cluster's version, known once the cluster has taken it: the pool follows the cluster. */
    orchestratorVersion?: pulumi.Input<string>;
}

/** Placement on a pool: its labels (or AKS's pool label), tolerating its taints and, for Spot, AKS's Spot taint. */
export function poolPlacement(p: PoolSettings, poolName: string): Placement {
    const labels = p.nodeLabels ?? {};
    return {
        nodeSelector: Object.keys(labels).length ? labels : { [AKS_POOL_LABEL]: poolName },
        tolerations: tolerationsFor([...(p.taints ?? []), ...(p.spot ? [SPOT_TAINT] : [])]),
    };
}

/**
 * An AKS user node pool (an AgentPool of mode User, VM scale set) with the
 * cluster autoscaler or a fixed count, optional zones and Spot VMs. Taints
 * are given in Kubernetes spelling, which AKS takes as is. Its `placement`
 * puts pods on it. AKS answers 409 to concurrent writes on one cluster:
 * give `dependsOn` the cluster's previous pool when adding several.
 */
export class AzureNodePool extends pulumi.ComponentResource {
    /** Name of the node pool in AKS. */
    public readonly poolName!: pulumi.Output<string>;
    /** Node selector and tolerations that place pods on this pool. */
    public readonly placement!: pulumi.Output<Placement>;

    constructor(name: string, args: AzureNodePoolArgs, opts?: pulumi.ComponentResourceOptions, internal: AzureNodePoolInternal = {}) {
        super("volley:index:AzureNodePool", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const settings = pulumi.output({
            vmSize: args.vmSize, count: args.count, autoscaling: args.autoscaling, osDiskSizeGb: args.osDiskSizeGb, osDiskType: args.osDiskType,
            zones: args.zones, spot: args.spot, maxPods: args.maxPods, nodeLabels: args.nodeLabels, taints: args.taints,
        }).apply((x) => x as PoolSettings);
        // A pinned name cannot move: a create-only change then deletes the pool before creating its replacement.
        // A derived name carries the create-only fields, so the replacement is created first under a new name.
        const pinned = r.poolName !== undefined && r.poolName !== null;
        const base = internal.defaultPoolName ?? poolNameFrom(name);
        const poolName = pinned ? pulumi.output(args.poolName!) : settings.apply((p) => aksPoolName(base, p, { vmSize: AZURE_DEFAULTS.streamVmSize }));
        const profile = pulumi.all([settings, args.vnetSubnetId]).apply(([p, subnet]) => ({
            ...aksPoolProfile(p, "User", { vmSize: AZURE_DEFAULTS.streamVmSize, min: AZURE_DEFAULTS.streamMinCount, max: AZURE_DEFAULTS.streamMaxCount }),
            vnetSubnetID: subnet,
        }));
        const fixedCount = r.count !== undefined && r.count !== null && (r.autoscaling === undefined || r.autoscaling === null);
        const pool = new containerservice.AgentPool(`${name}-pool`, {
            resourceName: args.clusterName,
            resourceGroupName: args.resourceGroupName,
            agentPoolName: poolName,
            ...poolArgs(profile),
            orchestratorVersion: args.orchestratorVersion ?? internal.orchestratorVersion,
            tags: pulumi.output(args.tags ?? {}).apply((t) => azureTags(name, t as Record<string, string>)),
        // Under the autoscaler the count is AKS's; Pulumi would otherwise reset it on every update.
        }, { parent: this, ignoreChanges: fixedCount ? [] : ["count"], dependsOn: plainDependsOn(opts), deleteBeforeReplace: pinned });

        this.poolName = pool.name;
        this.placement = pulumi.all([settings, pool.name]).apply(([p, n]) => poolPlacement(p, n));
        this.registerOutputs({ poolName: this.poolName, placement: this.placement });
    }
}
