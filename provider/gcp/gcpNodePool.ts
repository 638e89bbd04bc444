import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { nodeServiceAccount } from "./nodeServiceAccount";
import { GCP_DEFAULTS, GKE_POOL_LABEL, gcpLabels, gcpName, gkeAutoscaling, gkeTaints, nodeServiceAccountId, stackSuffix } from "./render";
import { tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { Placement, Taint } from "../core/types";
import { plainDependsOn } from "./apis";

/** Cluster-autoscaler bounds of a node pool. */
export interface GcpNodeAutoscaling {
    /** Minimum number of nodes, per zone unless `total`. Defaults to `1`. */
    minNodes?: pulumi.Input<number>;
    /** Maximum number of nodes, per zone unless `total`. Defaults to 3 for system pools and 10 for the stream pool. */
    maxNodes?: pulumi.Input<number>;
    /** Count nodes across all the pool's zones (GKE's total limits) instead of per zone. Defaults to `false`. */
    total?: pulumi.Input<boolean>;
}

/** Shape of a GKE node pool, used by GcpNodePool and by GcpEnvironment's system and stream pools. */
export interface GcpNodePoolSettings {
    /** Name of the pool in GKE. GKE may replace a pool when its taints change: change the name together with the taints so the new pool is created before the old one is deleted. Defaults to `system`/`stream` in GcpEnvironment and the component name in GcpNodePool. */
    poolName?: pulumi.Input<string>;
    /** Compute Engine machine type. Defaults to e2-standard-4 for system pools and n2-standard-8 for the stream pool. */
    machineType?: pulumi.Input<string>;
    /** Use Spot VMs (cheaper, may be preempted; checkpoints make stream pipelines resume). Defaults to `false`. */
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
    /** Kubernetes taints on the nodes, Kubernetes spelling (`NoSchedule`); GKE may replace the pool when they change (see `poolName`). Defaults to none, or `volley.io/dedicated=true:NoSchedule` for the stream pool. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

export interface GcpNodePoolArgs extends GcpNodePoolSettings {
    /** Name (or ID) of the GKE cluster. */
    cluster: pulumi.Input<string>;
    /** Location (zone or region) of the cluster. */
    location: pulumi.Input<string>;
    /** GCP project of the cluster. Defaults to the provider's project. */
    project?: pulumi.Input<string>;
    /** Email of the nodes' service account; when set, no account is created. Defaults to a dedicated least-privilege account the component creates (logging, monitoring, Artifact Registry read). */
    serviceAccount?: pulumi.Input<string>;
    /** GCP labels on the node VMs. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Network tags of the node VMs, for firewall rules. */
    networkTags?: pulumi.Input<pulumi.Input<string>[]>;
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

    constructor(name: string, args: GcpNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:GcpNodePool", name, {}, opts);
        if (opts?.urn) return;
        const email = args.serviceAccount !== undefined
            ? pulumi.output(args.serviceAccount)
            : nodeServiceAccount(this, name, nodeServiceAccountId(name, stackSuffix(pulumi.getProject(), pulumi.getStack(), name)), args.project).email;
        const taints = pulumi.output(args.taints ?? []).apply((t) => t as { key: string; value?: string; effect: string }[]);
        const nodeLabels = pulumi.output(args.nodeLabels ?? {}).apply((l) => l as Record<string, string>);
        const autoscaling = pulumi.output(args.autoscaling ?? {});

        const pool = new gcp.container.NodePool(`${name}-pool`, {
            name: pulumi.output(args.poolName ?? gcpName(name, 40)),
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
        }, { parent: this, ignoreChanges: ["initialNodeCount"], dependsOn: plainDependsOn(opts) });

        this.poolName = pool.name;
        this.serviceAccountEmail = email;
        this.placement = pulumi.all([nodeLabels, taints, pool.name]).apply(([l, t, n]) => ({
            nodeSelector: Object.keys(l).length ? l : { [GKE_POOL_LABEL]: n },
            tolerations: tolerationsFor(t),
        }));
        this.registerOutputs({ poolName: this.poolName, serviceAccountEmail: this.serviceAccountEmail, placement: this.placement });
    }
}
