import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { NetworkPolicySettings, Platform } from "../kubernetes/platform";
import { KedaSettings, PrometheusSettings, STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { VolleyOperatorSettings } from "../kubernetes/volleyOperator";
import { resolvedOf } from "../core/resolved";
import { EnvironmentRef, Placement } from "../core/types";
import { AZURE_DEFAULTS, AKS_POOL_LABEL, AZURE_ROLES, SPOT_TAINT, SYSTEM_POOL_LABELS, azureResourceNames, azureTags, stackSuffix } from "./render";
import { azureEnvironmentWarnings } from "./validate";
import { AksClusterSettings, AzureFilesAccess, AzureFilesSettings, AzureNetworkSettings, AzureNodePoolSettings, ExistingAksCluster, ExistingAzureNetwork } from "./settings";
import { NetworkRefs, existingNetwork, newNetwork, resourceGroup } from "./network";
import { controlPlaneIdentity, grant } from "./identity";
import { ClusterRefs, existingCluster, newCluster } from "./cluster";
import { AzureNodePool } from "./azureNodePool";
import { AKS_DEFAULT_MAX_PODS, aksPoolCapacity } from "./capacity";
import { AzureFilesCheckpointStore, defaultStorageAccountName } from "./azureFilesCheckpointStore";
import { field, present } from "./util";
import type { KafkaSettings } from "../kubernetes/kafka/settings";
import { AKS_KAFKA, aksKafkaPool } from "./kafka";

// AKS deploys Metrics Server by default (learn.microsoft.com/azure/aks/concepts-scale, Metrics Server section).
const RESOURCE_METRICS_API = true;

export interface AzureEnvironmentArgs {
    /** Azure region of every resource, e.g. `westeurope`. Defaults to the provider's `azure-native:location` (through the new resource group, or the existing group's region). */
    location?: pulumi.Input<string>;
    /** Name of an existing resource group for every resource the environment creates; when set, none is created. Plain: it decides which resources exist. Defaults to a new group `<name>-<suffix>-rg`. */
    resourceGroupName?: string;
    /** Address ranges of the new VNet, node subnet, pods and services. */
    network?: pulumi.Input<AzureNetworkSettings>;
    /** Use an existing node subnet (and its VNet) instead of creating a VNet. Plain: it decides which resources exist. */
    existingNetwork?: ExistingAzureNetwork;
    /** Settings of the new AKS cluster. Plain: `localAccounts` decides the kubeconfig's form. */
    cluster?: AksClusterSettings;
    /** Use an existing AKS cluster instead of creating one. Plain: it decides which resources exist. */
    existingCluster?: ExistingAksCluster;
    /** The System pool for the operator, KEDA and Prometheus (label `volley.io/pool=system`, no taint), created inline with the cluster. */
    systemNodePool?: pulumi.Input<AzureNodePoolSettings>;
    /** The dedicated stream-processing pool, an AgentPool of mode User (label `volley.io/pool=stream-processing`, taint `volley.io/dedicated=true:NoSchedule`). */
    streamNodePool?: pulumi.Input<AzureNodePoolSettings>;
    /** Azure Files NFS shared checkpoints. Plain: `enabled`, `access`, `privateDnsZoneId` and `retainOnDelete` decide which resources exist. */
    checkpoints?: AzureFilesSettings;
    /** Volley operator settings. Required: at least `image`, the operator image you built (no public image exists). */
    operator: VolleyOperatorSettings;
    /** KEDA for autoscaling (the Helm chart; the AKS KEDA add-on stays off). */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** NetworkPolicies for the platform namespaces (default-deny ingress with the allows they need, as on KubernetesEnvironment). AKS enforces them only with a network policy engine (`networkProfile.networkPolicy`: azure, calico or cilium), a create-time setting the package's cluster leaves unset: a preview warning says so; use an `existingCluster` created with one. Defaults to none. */
    networkPolicies?: NetworkPolicySettings;
    /** Kafka for applications: Strimzi and a KRaft cluster on `kafkaNodePool` (broker claims on `managed-csi`), or an external cluster. Defaults to none. */
    kafka?: KafkaSettings;
    /** The dedicated Kafka AgentPool with `kafka.mode` `strimzi` (label `volley.io/pool=kafka`, taint `volley.io/kafka=true:NoSchedule`; Standard_D4ds_v5, 3 nodes). */
    kafkaNodePool?: pulumi.Input<AzureNodePoolSettings>;
    /** Azure tags on every taggable resource, besides `volley-io-environment=<name>`. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Let the Kubernetes provider drop objects from the state when the cluster is unreachable, for a `pulumi destroy` after the cluster is gone. Off unless set. */
    deleteUnreachable?: pulumi.Input<boolean>;
    /** Suffix of the Azure names the environment derives (resource group, VNet, identity, cluster, node resource group; the storage account's digest): lower-case letters and digits, 1-8. Pin it to the `nameSuffix` output in production: renaming the stack or project otherwise changes every name and re-creates the environment beside a forgotten checkpoint account. Plain: names are derived at construct time. Defaults to 6 hex characters of a hash of the Pulumi project, stack and component name. */
    nameSuffix?: string;
}

/**
 * Volley on AKS in one program: a resource group and VNet (or existing ones),
 * an AKS cluster with Azure CNI overlay, OIDC issuer and workload identity
 * and a user-assigned control-plane identity (or an existing cluster), an
 * inline System pool and a tainted stream AgentPool, Azure Files NFS for
 * shared checkpoints behind a private endpoint, and KEDA, prometheus-operator
 * and the Volley operator on the System pool.
 */
export class AzureEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** Kubeconfig of the cluster (secret): a client certificate, or kubelogin for an Entra-only cluster. */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Name of the AKS cluster. */
    public readonly clusterName!: pulumi.Output<string>;
    /** Name of the resource group of the environment's resources. */
    public readonly resourceGroupName!: pulumi.Output<string>;
    /** Resource ID of the VNet, empty without one. */
    public readonly vnetId!: pulumi.Output<string>;
    /** Resource ID of the node subnet, empty without one. */
    public readonly subnetId!: pulumi.Output<string>;
    /** Name of the System pool, empty when unknown (existing cluster). */
    public readonly systemNodePoolName!: pulumi.Output<string>;
    /** Name of the stream-processing pool, empty when the environment created none. */
    public readonly streamNodePoolName!: pulumi.Output<string>;
    /** Name of the storage account, empty without checkpoints. */
    public readonly storageAccountName!: pulumi.Output<string>;
    /** Name of the NFS share, empty without checkpoints. */
    public readonly shareName!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;
    /** Grafana's admin password, a secret: `prometheus.grafanaAdminPassword`, or the one generated at the first `up` and kept since; absent unless `prometheus.mode` is `stack`. */
    public readonly grafanaAdminPassword!: pulumi.Output<string | undefined>;
    /** The suffix of every derived name (the `nameSuffix` input, or the default from project, stack and name): pin it as `nameSuffix` to survive a stack or project rename. */
    public readonly nameSuffix!: pulumi.Output<string>;

    constructor(name: string, args: AzureEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:AzureEnvironment", name, {}, opts);
        if (opts?.urn) return;
        // Decisions come from the resolved inputs; values stay wired to the Inputs (and their dependencies).
        const r = resolvedOf(args);
        const suffix: string = r.nameSuffix ?? stackSuffix(pulumi.getProject(), pulumi.getStack(), name);
        const names = azureResourceNames(name, suffix);
        for (const w of azureEnvironmentWarnings(r)) pulumi.log.warn(w, this);
        const tags = pulumi.output(args.tags ?? {}).apply((t) => azureTags(name, t as Record<string, string>));
        const ck = r.checkpoints ?? {};
        const storageEnabled = ck.enabled ?? true;
        const serviceEndpoint = storageEnabled && ck.access === AzureFilesAccess.ServiceEndpoint;
        const usesExistingCluster = present(r.existingCluster);

        // Always retained: a group deleted with the stack takes with it every account that was ever in it,
        // including one forgotten when checkpoints were disabled (retained accounts leave the program, not the group).
        const rg = resourceGroup(this, name, names.resourceGroup, r.resourceGroupName, args.location, tags, true);
        let net: NetworkRefs | undefined;
        if (present(r.existingNetwork)) net = existingNetwork(field(args.existingNetwork, "subnetId"));
        else if (!usesExistingCluster) net = newNetwork(this, name, names, rg, pulumi.output(args.network ?? {}), tags, serviceEndpoint);

        let cluster: ClusterRefs;
        let principalId: pulumi.Output<string> | undefined;
        if (usesExistingCluster) {
            cluster = existingCluster(this, pulumi.output(args.existingCluster!), present(r.existingCluster.kubeconfig));
        } else {
            // Identity and its VNet grant first: AKS joins the subnet with them when it creates the cluster.
            const identity = controlPlaneIdentity(this, name, names.identity, rg, tags);
            principalId = identity.principalId;
            // Network Contributor on the node subnet only (Azure/terraform-azurerm-aks role_assignments.tf: "on the VNET subnets").
            const networkGrant = grant(this, `${name}-aks-network`, identity.principalId, net!.subnetId, AZURE_ROLES.networkContributor);
            const settings = pulumi.output(args.cluster ?? {});
            const system = pulumi.output(args.systemNodePool ?? {}) as pulumi.Output<any>;
            cluster = newCluster(this, name, {
                clusterName: field(settings, "name", names.cluster), rg, nodeResourceGroup: field(settings, "nodeResourceGroup", names.nodeResourceGroup), subnetId: net!.subnetId, identityId: identity.id, grants: [networkGrant],
                settings, cidrs: pulumi.output(args.network ?? {}), tags,
                systemPoolName: field(system, "poolName", "system"),
                systemPool: system.apply((s) => ({ ...s, nodeLabels: { ...(s.nodeLabels ?? {}), ...SYSTEM_POOL_LABELS }, taints: [] })),
                systemFixedCount: present(r.systemNodePool?.count) && !present(r.systemNodePool?.autoscaling),
                localAccounts: localAccountsOf(r.cluster),
            });
        }

        // The stream pool follows the cluster's writes: AKS answers 409 to concurrent writes on one cluster.
        const createsStreamPool = !usesExistingCluster || present(r.existingCluster.name);
        const s = pulumi.output(args.streamNodePool ?? {}) as pulumi.Output<any>;
        const rs = r.streamNodePool ?? {};
        const streamPool = createsStreamPool ? new AzureNodePool(`${name}-stream`, {
            clusterName: cluster.name, resourceGroupName: cluster.resourceGroupName, vnetSubnetId: net?.subnetId, tags,
            poolName: present(rs.poolName) ? field(s, "poolName") : undefined,
            vmSize: field(s, "vmSize", AZURE_DEFAULTS.streamVmSize),
            count: rs.count,
            autoscaling: present(rs.count) && !present(rs.autoscaling) ? undefined : field(s, "autoscaling", {}),
            osDiskSizeGb: field(s, "osDiskSizeGb"), osDiskType: field(s, "osDiskType"), zones: field(s, "zones"), spot: field(s, "spot", false),
            maxPods: field(s, "maxPods"),
            nodeLabels: s.apply((x) => ({ ...(x.nodeLabels ?? {}), ...STREAM_POOL_LABELS })),
            taints: field(s, "taints", STREAM_POOL_TAINTS),
        }, { parent: this, dependsOn: cluster.lastWrite ? [cluster.lastWrite] : [] }, { defaultPoolName: "stream", orchestratorVersion: cluster.version }) : undefined;

        // Kafka brokers get their own tainted pool, after the stream pool (one write at a time on the cluster).
        if (r.kafka?.mode === "strimzi" && createsStreamPool) {
            aksKafkaPool(this, name, args.kafkaNodePool, r.kafkaNodePool, cluster, net?.subnetId, tags,
                streamPool ? [streamPool] : cluster.lastWrite ? [cluster.lastWrite] : []);
        }

        // Storage runs beside the cluster: it needs only the group and the subnet.
        const store = storageEnabled ? new AzureFilesCheckpointStore(`${name}-ckpt`, {
            ...this.storeOptions(args.checkpoints ?? {}, ck),
            storageAccountName: present(ck.storageAccountName) ? field(args.checkpoints, "storageAccountName") : defaultStorageAccountName(this, `${name}ckpt`, suffix),
            resourceGroupName: rg.name, location: rg.location, subnetId: net!.subnetId, tags,
        }, { parent: this }) : undefined;
        // No grant on the account: mounts are plain NFS through the private network, and a storage role would let the
        // cluster identity list keys and delete shares.

        // Platform: one Kubernetes provider that waits for the System pool (inline: it comes with the
        // cluster), not the stream pool or storage.
        this.kubeconfig = cluster.kubeconfig;
        const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, deleteUnreachable: args.deleteUnreachable }, {
            parent: this, dependsOn: cluster.systemNodesReady ? [cluster.systemNodesReady] : [],
        });
        const system: pulumi.Output<Placement> = usesExistingCluster
            ? field(args.existingCluster, "systemNodePoolName").apply((n: string | undefined): Placement => ({ nodeSelector: n ? { [AKS_POOL_LABEL]: n } : {}, tolerations: [] }))
            : pulumi.output({ nodeSelector: { ...SYSTEM_POOL_LABELS } as Record<string, string>, tolerations: [] });
        const platform = new Platform(name, args, r, system, { parent: this, providers: { kubernetes: provider } }, {
            controlPlaneMonitors: false, resourceMetricsApi: RESOURCE_METRICS_API, kubernetesVersion: cluster.version,
            kafkaStorageClassName: AKS_KAFKA.storageClassName,
            checkpointDirectories: store !== undefined,
        });
        const stream = s.apply((x): Placement => ({
            nodeSelector: STREAM_POOL_LABELS,
            tolerations: tolerationsFor([...(x.taints ?? STREAM_POOL_TAINTS), ...(x.spot ? [SPOT_TAINT] : [])]),
        }));
        // What the stream pool holds, for the Applications' preview checks (unknown when the environment made no pool).
        const fixed = present(rs.count) && !present(rs.autoscaling);
        const capacity = createsStreamPool ? s.apply((x) => aksPoolCapacity({
            vmSize: x.vmSize ?? AZURE_DEFAULTS.streamVmSize, count: fixed ? x.count : undefined,
            maxCount: x.autoscaling?.maxCount ?? AZURE_DEFAULTS.streamMaxCount,
            maxPods: x.maxPods ?? (usesExistingCluster ? AKS_DEFAULT_MAX_PODS.fewest : AKS_DEFAULT_MAX_PODS.overlay),
        })) : undefined;
        this.environment = platform.environmentRef(name, this.kubeconfig, store ? store.checkpoints : undefined, stream, system, capacity);
        this.clusterName = cluster.name;
        this.resourceGroupName = rg.name;
        this.vnetId = net ? net.vnetId : pulumi.output("");
        this.subnetId = net ? net.subnetId : pulumi.output("");
        this.systemNodePoolName = cluster.systemPoolName ? cluster.systemPoolName : field(args.existingCluster, "systemNodePoolName", "");
        this.streamNodePoolName = streamPool ? streamPool.poolName : pulumi.output("");
        this.storageAccountName = store ? store.storageAccountName : pulumi.output("");
        this.shareName = store ? store.shareName : pulumi.output("");
        this.operatorNamespace = platform.operator.namespace;
        this.grafanaAdminPassword = platform.prometheus ? platform.prometheus.grafanaAdminPassword : pulumi.output(undefined);
        this.nameSuffix = pulumi.output(suffix);
        this.registerOutputs({
            nameSuffix: this.nameSuffix,
            environment: this.environment, kubeconfig: this.kubeconfig, clusterName: this.clusterName, resourceGroupName: this.resourceGroupName,
            vnetId: this.vnetId, subnetId: this.subnetId, systemNodePoolName: this.systemNodePoolName, streamNodePoolName: this.streamNodePoolName,
            storageAccountName: this.storageAccountName, shareName: this.shareName, operatorNamespace: this.operatorNamespace, grafanaAdminPassword: this.grafanaAdminPassword,
        });
    }

    /** The checkpoint options a store takes: plain ones as resolved, the rest wired to the Inputs when given. */
    private storeOptions(c: AzureFilesSettings, resolved: any) {
        const opt = (key: keyof AzureFilesSettings) => (present(resolved[key]) ? field(c, key) : undefined);
        return {
            sku: opt("sku"), quotaGib: opt("quotaGib"), shareName: opt("shareName"), enableHttpsTrafficOnly: opt("enableHttpsTrafficOnly"),
            defaultClaimSize: opt("defaultClaimSize"), uid: opt("uid"), gid: opt("gid"), directoryImage: opt("directoryImage"), mountOptions: opt("mountOptions"),
            access: resolved.access, privateDnsZoneId: resolved.privateDnsZoneId, createPrivateDnsZone: resolved.createPrivateDnsZone, retainOnDelete: resolved.retainOnDelete,
        };
    }
}

/** Local accounts: as set, else off where Entra ID administers the cluster (admin groups given), else on. */
export function localAccountsOf(cluster: { localAccounts?: boolean; adminGroupObjectIds?: unknown } | undefined): boolean {
    if (typeof cluster?.localAccounts === "boolean") return cluster.localAccounts;
    const g = cluster?.adminGroupObjectIds;
    return !(g !== undefined && g !== null && (!Array.isArray(g) || g.length > 0));
}
