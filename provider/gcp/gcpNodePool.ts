import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { nodeServiceAccount } from "./nodeServiceAccount";
import { GCP_DEFAULTS, GKE_POOL_LABEL, gcpLabels, gcpName, gkeAutoscaling, gkePoolName, gkeTaints, nodeServiceAccountId, stackSuffix } from "./render";
import { resolvedOf } from "../core/resolved";
import { tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { Placement, Taint } from "../core/types";
import { plainDependsOn } from "./apis";

/** Cluster-autoscaler bounds of a node pool. */
export interface GcpNodeAutoscaling {
    /** Minimum number of nodes, per zone unless `total`; the stream pool scales from zero, the system pool keeps at least 1. Defaults to 1 for system pools and 0 for the stream pool. */
    minNodes?: pulumi.Input<number>;
    /** Maximum number of nodes, per zone unless `total`. Defaults to 3 for system pools and 10 for the stream pool. */
    maxNodes?: pulumi.Input<number>;
    /** Count nodes across all the pool's zones (GKE's total limits) instead of per zone. Defaults to `false`. */
    total?: pulumi.Input<boolean>;
}

/** Shape of a GKE node pool, used by GcpNodePool and by GcpEnvironment's system and stream pools. */
export interface GcpNodePoolSettings {
    /** Name of the pool in GKE. When set, a change of a field that forces a new pool (spot, serviceAccount) deletes the pool before creating its replacement. Defaults to `system`/`stream` in GcpEnvironment and the component name in GcpNodePool, with 6 hex characters of those fields once one differs from its default, so the replacement is created (under a new name) before the old pool goes. */
    poolName?: pulumi.Input<string>;
    /** Compute Engine machine type. Defaults to e2-standard-4 for system pools and n2-standard-8 for the stream pool. */
    machineType?: pulumi.Input<string>;
    /** Use Spot VMs (cheaper, may be preempted; checkpoints make stream pipelines resume). Changing it replaces the pool (see `poolName`). Defaults to `false`. */
    spot?: pulumi.Input<boolean>;
    /** Boot disk size in GB (at least 10). Defaults to `100`. */
    diskSizeGb?: pulumi.Input<number>;
    /** Boot disk type: `pd-standard`, `pd-balanced`, `pd-ssd` or `hyperdisk-balanced`. Defaults to `pd-balanced`. */
    diskType?: pulumi.Input<string>;
    /** Zones of the pool's nodes, within the cluster's region. Defaults to the cluster's zones. */
    nodeLocations?: pulumi.Input<pulumi.Input<string>[]>;
    /** Autoscaling bounds; GKE owns the node count, so Pulumi never fights the autoscaler. */
    autoscaling?: pulumi.Input<GcpNodeAutoscaling>;
    /** Kubernetes labels on the nodes. The stream pool always carries `volley.io/pool=stream-processing`. */
    nodeLabels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Kubernetes taints on the nodes, Kubernetes spelling (`NoSchedule`); updated in place. Defaults to none, or `volley.io/dedicated=true:NoSchedule` for the stream pool. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

export interface GcpNodePoolArgs extends GcpNodePoolSettings {
    /** Name (or ID) of the GKE cluster. */
    cluster: pulumi.Input<string>;
    /** Location (zone or region) of the cluster. */
    location: pulumi.Input<string>;
    /** GCP project of the cluster. Defaults to the provider's project. */
    project?: pulumi.Input<string>;
    /** Email of the nodes' service account; when set, no account is created. Changing it replaces the pool (see `poolName`). Defaults to a dedicated least-privilege account the component creates (logging, monitoring, Artifact Registry read). */
    serviceAccount?: pulumi.Input<string>;
    /** GCP labels on the node VMs. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Network tags of the node VMs, for firewall rules. */
    networkTags?: pulumi.Input<pulumi.Input<string>[]>;
}

/** What GcpEnvironment tells its pools besides the public inputs. */
export interface GcpNodePoolInternal {
    /** Base of the derived name instead of the component name (`system`/`stream`, the names earlier versions gave them). */
    defaultPoolName?: string;
    /** The service account is the environment's own (fixed for its life): it does not enter the derived name. */
    ownServiceAccount?: boolean;
}

/**
 * A GKE node pool with autoscaling, Workload Identity metadata, shielded
 * nodes, auto-repair and auto-upgrade, and a least-privilege service account.
 * Taints are given in Kubernetes spelling and mapped to GKE's enum.
 */
export class GcpNodePool extends pulumi.ComponentResource {
    /** Name of the node pool in GKE. */
    public readonly poolName!: pulumi.Output<string>;
    /** Email of the nodes' service account. */
    public readonly serviceAccountEmail!: pulumi.Output<string>;
    /** Node selector and tolerations that place pods on this pool. */
    public readonly placement!: pulumi.Output<Placement>;

    constructor(name: string, args: GcpNodePoolArgs, opts?: pulumi.ComponentResourceOptions, internal: GcpNodePoolInternal = {}) {
        super("volley:index:GcpNodePool", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const email = args.serviceAccount !== undefined
            ? pulumi.output(args.serviceAccount)
            : nodeServiceAccount(this, name, nodeServiceAccountId(name, stackSuffix(pulumi.getProject(), pulumi.getStack(), name)), args.project).email;
        const taints = pulumi.output(args.taints ?? []).apply((t) => t as { key: string; value?: string; effect: string }[]);
        const nodeLabels = pulumi.output(args.nodeLabels ?? {}).apply((l) => l as Record<string, string>);
        const autoscaling = pulumi.output(args.autoscaling ?? {});
        // A pinned name cannot move: a change that forces a new pool then deletes the old one first.
        // A derived name carries those fields, so the replacement is created first under a new name.
        const pinned = r.poolName !== undefined && r.poolName !== null;
        const base = internal.defaultPoolName ?? gcpName(name, 40);
        const poolName = pinned ? pulumi.output(args.poolName!) : pulumi.all([args.spot, internal.ownServiceAccount ? undefined : args.serviceAccount])
            .apply(([spot, sa]) => gkePoolName(base, { spot, serviceAccount: sa }));

        const pool = new gcp.container.NodePool(`${name}-pool`, {
            name: poolName,
            cluster: args.cluster,
            location: args.location,
            project: args.project,
            nodeLocations: args.nodeLocations,
            // Only the first creation uses it; later changes would force a replacement, so they are ignored.
            initialNodeCount: autoscaling.apply((a) => (a.total ? 1 : Math.max(a.minNodes ?? GCP_DEFAULTS.minNodes, 1))),
            autoscaling: autoscaling.apply((a) => gkeAutoscaling(a as any, { min: GCP_DEFAULTS.minNodes, max: GCP_DEFAULTS.systemMaxNodes })),
            management: { autoRepair: true, autoUpgrade: true },
            upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
            nodeConfig: {
                machineType: pulumi.output(args.machineType ?? GCP_DEFAULTS.systemMachineType),
                spot: pulumi.output(args.spot ?? false),
                diskSizeGb: pulumi.output(args.diskSizeGb ?? GCP_DEFAULTS.diskSizeGb),
                diskType: pulumi.output(args.diskType ?? GCP_DEFAULTS.diskType),
                serviceAccount: email,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                workloadMetadataConfig: { mode: "GKE_METADATA" },
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                labels: nodeLabels,
                taints: taints.apply(gkeTaints),
                resourceLabels: pulumi.output(args.labels ?? {}).apply((l) => gcpLabels(name, l as Record<string, string>)),
                tags: args.networkTags,
            },
        }, { parent: this, ignoreChanges: ["initialNodeCount"], dependsOn: plainDependsOn(opts), deleteBeforeReplace: pinned });

        this.poolName = pool.name;
        this.serviceAccountEmail = email;
        this.placement = pulumi.all([nodeLabels, taints, pool.name]).apply(([l, t, n]) => ({
            nodeSelector: Object.keys(l).length ? l : { [GKE_POOL_LABEL]: n },
            tolerations: tolerationsFor(t),
        }));
        this.registerOutputs({ poolName: this.poolName, serviceAccountEmail: this.serviceAccountEmail, placement: this.placement });
    }
}
