import * as pulumi from "@pulumi/pulumi";
import { Platform } from "../kubernetes/platform";
import * as k8s from "@pulumi/kubernetes";
import { ClusterRefs, existingCluster, newCluster } from "./cluster";
import { VpcRefs, controlPlaneFirewall, newVpc } from "./network";
import { nodeServiceAccount } from "./nodeServiceAccount";
import {
    ENVIRONMENT_LABEL, GCP_DEFAULTS, GKE_POOL_LABEL, SYSTEM_POOL_LABELS, defaultFilestoreLocation, defaultFilestoreTier,
    gcpLabelValue, gcpResourceNames, regionOf,
} from "./render";
import { FilestoreCheckpointStore, FilestoreOptions } from "./filestoreCheckpointStore";
import { GcpNodePool, GcpNodePoolSettings } from "./gcpNodePool";
import { KedaSettings, PrometheusSettings, STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { resolvedOf } from "../core/resolved";
import { EnvironmentRef, Placement } from "../core/types";
import { VolleyOperatorSettings } from "../kubernetes/volleyOperator";

/** GKE release channel: how fast the cluster follows new Kubernetes versions. */
export const GkeReleaseChannel = {
    /** Newest versions first. */
    Rapid: "RAPID",
    /** Balance of features and stability. */
    Regular: "REGULAR",
    /** Versions that have proven themselves on the other channels. */
    Stable: "STABLE",
    /** Stable, with extended support. */
    Extended: "EXTENDED",
} as const;
export type GkeReleaseChannel = (typeof GkeReleaseChannel)[keyof typeof GkeReleaseChannel];

/** Address ranges of a new VPC network; the three must not overlap. */
export interface GcpNetworkSettings {
    /** Primary range of the subnetwork (node IPs). Defaults to `10.0.0.0/20`. */
    nodeCidr?: pulumi.Input<string>;
    /** Secondary range `pods` of the subnetwork. Defaults to `10.16.0.0/14`. */
    podsCidr?: pulumi.Input<string>;
    /** Secondary range `services` of the subnetwork. Defaults to `10.20.0.0/20`. */
    servicesCidr?: pulumi.Input<string>;
}

/** An existing VPC network and subnetwork with secondary ranges for pods and services. Private nodes need Cloud NAT there already. */
export interface ExistingGcpNetwork {
    /** Network name or ID (`projects/P/global/networks/N`). */
    network: pulumi.Input<string>;
    /** Subnetwork name or ID in the cluster's region. */
    subnetwork: pulumi.Input<string>;
    /** Name of the subnetwork's secondary range for pods. Defaults to `pods`. */
    podsRangeName?: pulumi.Input<string>;
    /** Name of the subnetwork's secondary range for services. Defaults to `services`. */
    servicesRangeName?: pulumi.Input<string>;
}

/** A network allowed to reach the cluster's control plane. */
export interface GkeAuthorizedNetwork {
    /** CIDR block, e.g. `203.0.113.0/24`. */
    cidrBlock: pulumi.Input<string>;
    /** Label shown in the console. */
    displayName?: pulumi.Input<string>;
}

/** Settings of a new GKE cluster. */
export interface GkeClusterSettings {
    /** Name of the cluster (lower-case letters, digits, "-", at most 40 characters). Defaults to the component name, lower-cased. */
    name?: pulumi.Input<string>;
    /** Release channel. Defaults to `REGULAR`. */
    releaseChannel?: pulumi.Input<GkeReleaseChannel>;
    /** Minimum control plane version; the release channel upgrades beyond it. Defaults to the channel's default version. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Nodes without public IPs (Cloud NAT for egress, firewall rule for the control plane on 6443/9443). Plain: it decides which resources exist. Defaults to `true`. */
    privateNodes?: boolean;
    /** /28 range of the control plane when nodes are private. Defaults to `172.16.0.0/28`. */
    masterCidr?: pulumi.Input<string>;
    /** Networks allowed to reach the control plane endpoint. Defaults to any address (access still needs Google credentials). */
    authorizedNetworks?: pulumi.Input<pulumi.Input<GkeAuthorizedNetwork>[]>;
    /** Refuse `pulumi destroy` of the cluster. Checkpoints live in Filestore, not in the cluster. Defaults to `false`. */
    deletionProtection?: pulumi.Input<boolean>;
}

/** An existing GKE cluster (in `location`). Prerequisites: the Filestore CSI driver add-on and Workload Identity enabled, and for private nodes a firewall rule from the control plane to the nodes on TCP 6443 and 9443. */
export interface ExistingGkeCluster {
    /** Name of the cluster. */
    name: pulumi.Input<string>;
    /** An existing pool for the platform pods (selected by `cloud.google.com/gke-nodepool`); when set, no system pool is created. */
    systemNodePoolName?: pulumi.Input<string>;
}

/** Filestore shared checkpoints of a GcpEnvironment. */
export interface FilestoreSettings extends FilestoreOptions {
    /** Create the Filestore instance. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
    /** Zone (BASIC_HDD, BASIC_SSD, ZONAL) or region (REGIONAL, ENTERPRISE) of the instance. Defaults to the cluster's zone or region when it fits the tier. */
    location?: pulumi.Input<string>;
}

interface PoolDefaults {
    machineType: string;
    maxNodes: number;
    taints: { key: string; value?: string; effect: string }[];
    labels: (user: Record<string, string>) => Record<string, string>;
}

export interface GcpEnvironmentArgs {
    /** GCP project ID that holds every resource. */
    project: pulumi.Input<string>;
    /** Zone (zonal cluster, e.g. `us-central1-a`) or region (regional cluster over three zones) of the cluster; the network lives in its region. */
    location: pulumi.Input<string>;
    /** Address ranges of the new VPC network (when neither `existingNetwork` nor `existingCluster` is set). While the Filestore instance is retained on delete, `pulumi destroy` keeps the network too (the instance stays peered with it). */
    network?: pulumi.Input<GcpNetworkSettings>;
    /** Use an existing network and subnetwork instead of creating them. Plain: it decides which resources exist. */
    existingNetwork?: ExistingGcpNetwork;
    /** Settings of the new GKE cluster. Plain: `privateNodes` decides which resources exist. */
    cluster?: GkeClusterSettings;
    /** Use an existing GKE cluster instead of creating one (and its network). Plain: it decides which resources exist. */
    existingCluster?: ExistingGkeCluster;
    /** The system pool for the operator, KEDA and Prometheus (label `volley.io/pool=system`, no taint). */
    systemNodePool?: pulumi.Input<GcpNodePoolSettings>;
    /** The dedicated stream-processing pool (label `volley.io/pool=stream-processing`, taint `volley.io/dedicated=true:NoSchedule`). */
    streamNodePool?: pulumi.Input<GcpNodePoolSettings>;
    /** Filestore instance for shared checkpoints. Plain: `enabled`, `retainOnDelete` and `grantKeyAccess` decide which resources exist. */
    checkpoints?: FilestoreSettings;
    /** Volley operator settings. */
    operator?: VolleyOperatorSettings;
    /** KEDA for autoscaling. */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** GCP labels on every labellable resource (cluster, node VMs, Filestore), besides `volley-io-environment=<name>`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * Volley on GKE in one program: VPC network with Cloud NAT (or an existing
 * one), a GKE cluster with Workload Identity and the Filestore CSI driver (or
 * an existing one), system and stream node pools with a least-privilege
 * service account, a Filestore instance for shared checkpoints, KEDA,
 * prometheus-operator and the Volley operator on the system pool.
 */
export class GcpEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** Kubeconfig of the cluster using gke-gcloud-auth-plugin (secret). */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Name of the GKE cluster. */
    public readonly clusterName!: pulumi.Output<string>;
    /** VPC network of the cluster. */
    public readonly network!: pulumi.Output<string>;
    /** Subnetwork of the cluster. */
    public readonly subnetwork!: pulumi.Output<string>;
    /** Name of the system node pool. */
    public readonly systemNodePoolName!: pulumi.Output<string>;
    /** Name of the stream-processing node pool. */
    public readonly streamNodePoolName!: pulumi.Output<string>;
    /** Name of the Filestore instance, empty without one. */
    public readonly filestoreInstanceName!: pulumi.Output<string>;
    /** IP address of the Filestore instance, empty without one. */
    public readonly filestoreIp!: pulumi.Output<string>;
    /** Name of the Filestore share, empty without one. */
    public readonly filestoreShare!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;

    constructor(name: string, args: GcpEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:GcpEnvironment", name, {}, opts);
        if (opts?.urn) return;
        // Decisions come from the resolved inputs; values stay wired to the Inputs (and their dependencies).
        const r = resolvedOf(args);
        const present = (v: unknown) => v !== undefined && v !== null;
        // An Output of `o[key]` (or the default), whether `o` arrived as a plain object or as an Output.
        const field = (o: unknown, key: string, dflt?: unknown): any => pulumi.output(o as any).apply((x: any) => x?.[key] ?? dflt);
        const names = gcpResourceNames(name);
        const location = pulumi.output(args.location);
        const labels = pulumi.output(args.labels ?? {}).apply((l) => ({ [ENVIRONMENT_LABEL]: gcpLabelValue(name), ...(l as Record<string, string>) }));
        const usesExistingCluster = present(r.existingCluster);
        const privateNodes = !usesExistingCluster && (r.cluster?.privateNodes ?? true);

        // Identity first: it does not wait for the network or the cluster.
        const sa = nodeServiceAccount(this, name, names.serviceAccountId, args.project);

        let vpc: VpcRefs | undefined;
        let cluster: ClusterRefs;
        let firewall: pulumi.Resource | undefined;
        if (usesExistingCluster) {
            cluster = existingCluster(this, args.project, location, field(args.existingCluster, "name"));
        } else {
            const e = args.existingNetwork;
            vpc = present(r.existingNetwork)
                ? <VpcRefs>{
                    network: field(e, "network"), networkName: field(e, "network"), subnetwork: field(e, "subnetwork"), subnetworkName: field(e, "subnetwork"),
                    podsRangeName: field(e, "podsRangeName", GCP_DEFAULTS.podsRangeName), servicesRangeName: field(e, "servicesRangeName", GCP_DEFAULTS.servicesRangeName),
                }
                : newVpc(this, name, names, args.project, location.apply(regionOf), pulumi.output(args.network ?? {}) as any, privateNodes,
                    (r.checkpoints?.enabled ?? true) && (r.checkpoints?.retainOnDelete ?? true));
            const settings = pulumi.output(args.cluster ?? {});
            if (privateNodes) {
                firewall = controlPlaneFirewall(this, name, names, args.project, vpc.network, field(settings, "masterCidr", GCP_DEFAULTS.masterCidr));
            }
            cluster = newCluster(this, name, {
                name: field(settings, "name", names.cluster), project: args.project, location: args.location,
                network: vpc.network, subnetwork: vpc.subnetwork, podsRangeName: vpc.podsRangeName, servicesRangeName: vpc.servicesRangeName,
                settings, privateNodes, labels, serviceAccount: sa.account.email,
            });
        }

        // Node pools wait for the cluster and the role grants, not for Filestore.
        const pool = (suffix: string, settings: pulumi.Input<GcpNodePoolSettings> | undefined, d: PoolDefaults) => {
            const s = pulumi.output(settings ?? {}) as pulumi.Output<any>;
            return new GcpNodePool(`${name}-${suffix}`, {
                cluster: cluster.name, location: cluster.location, project: args.project, serviceAccount: sa.email, labels, networkTags: [names.nodeTag],
                poolName: field(s, "poolName", suffix),
                machineType: field(s, "machineType", d.machineType),
                spot: field(s, "spot", false),
                diskSizeGb: field(s, "diskSizeGb", GCP_DEFAULTS.diskSizeGb),
                diskType: field(s, "diskType", GCP_DEFAULTS.diskType),
                nodeLocations: field(s, "nodeLocations"),
                autoscaling: s.apply((x) => ({ minNodes: GCP_DEFAULTS.minNodes, maxNodes: d.maxNodes, ...(x.autoscaling ?? {}) })),
                nodeLabels: s.apply((x) => d.labels(x.nodeLabels ?? {})),
                taints: field(s, "taints", d.taints),
            }, { parent: this });
        };
        const existingSystemPool = usesExistingCluster && present(r.existingCluster.systemNodePoolName);
        const systemPool = existingSystemPool ? undefined : pool("system", args.systemNodePool, {
            machineType: GCP_DEFAULTS.systemMachineType, maxNodes: GCP_DEFAULTS.systemMaxNodes, taints: [], labels: (l) => ({ ...SYSTEM_POOL_LABELS, ...l }),
        });
        const streamPool = pool("stream", args.streamNodePool, {
            machineType: GCP_DEFAULTS.streamMachineType, maxNodes: GCP_DEFAULTS.streamMaxNodes, taints: STREAM_POOL_TAINTS, labels: (l) => ({ ...l, ...STREAM_POOL_LABELS }),
        });

        // Filestore: on the cluster's network, in parallel with the cluster.
        let store: FilestoreCheckpointStore | undefined;
        const rc = r.checkpoints ?? {};
        if (rc.enabled ?? true) {
            const ck = pulumi.output(args.checkpoints ?? {}) as pulumi.Output<any>;
            const tier = pulumi.all([ck, location]).apply(([c, l]) => c.tier ?? defaultFilestoreTier(l));
            const opt = (key: string) => (present(rc[key]) ? field(ck, key) : undefined);
            store = new FilestoreCheckpointStore(`${name}-ckpt`, {
                project: args.project,
                instanceName: field(ck, "instanceName", names.filestore),
                tier,
                capacityGib: opt("capacityGib"),
                shareName: opt("shareName"),
                connectMode: opt("connectMode"),
                reservedIpRange: opt("reservedIpRange"),
                kmsKeyName: opt("kmsKeyName"),
                grantKeyAccess: rc.grantKeyAccess,
                deletionProtection: opt("deletionProtection"),
                retainOnDelete: rc.retainOnDelete,
                defaultClaimSize: opt("defaultClaimSize"),
                location: pulumi.all([ck, tier, location]).apply(([c, t, cl]) => c.location ?? defaultFilestoreLocation(t, cl) ?? ""),
                network: vpc ? vpc.networkName : cluster.network,
                labels,
            }, { parent: this });
        }

        // Platform: one Kubernetes provider that waits for the system pool (and the webhook firewall), not the stream pool.
        this.kubeconfig = cluster.kubeconfig;
        const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, deleteUnreachable: true }, {
            parent: this, dependsOn: [...(systemPool ? [systemPool] : []), ...(firewall ? [firewall] : [])],
        });
        const children = { parent: this, providers: { kubernetes: provider } };
        const system: pulumi.Output<Placement> = systemPool
            ? systemPool.placement
            : field(args.existingCluster, "systemNodePoolName").apply((n: string): Placement => ({ nodeSelector: { [GKE_POOL_LABEL]: n }, tolerations: [] }));
        const platform = new Platform(name, args, r, system, children);

        const stream = pulumi.output(args.streamNodePool ?? {}).apply((s) => ({
            nodeSelector: STREAM_POOL_LABELS as Record<string, string>,
            tolerations: tolerationsFor((s.taints ?? STREAM_POOL_TAINTS) as any),
        }));
        this.environment = platform.environmentRef(name, this.kubeconfig, store ? store.checkpoints : undefined, stream, system);
        this.clusterName = cluster.name;
        this.network = vpc ? vpc.network : cluster.network;
        this.subnetwork = vpc ? vpc.subnetwork : cluster.subnetwork;
        this.systemNodePoolName = systemPool ? systemPool.poolName : field(args.existingCluster, "systemNodePoolName");
        this.streamNodePoolName = streamPool.poolName;
        this.filestoreInstanceName = store ? store.instanceName : pulumi.output("");
        this.filestoreIp = store ? store.ip : pulumi.output("");
        this.filestoreShare = store ? store.share : pulumi.output("");
        this.operatorNamespace = platform.operator.namespace;
        this.registerOutputs({
            environment: this.environment, kubeconfig: this.kubeconfig, clusterName: this.clusterName, network: this.network,
            subnetwork: this.subnetwork, systemNodePoolName: this.systemNodePoolName, streamNodePoolName: this.streamNodePoolName,
            filestoreInstanceName: this.filestoreInstanceName, filestoreIp: this.filestoreIp, filestoreShare: this.filestoreShare,
            operatorNamespace: this.operatorNamespace,
        });
    }
}
