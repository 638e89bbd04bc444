// Settings types of AzureEnvironment, AzureNodePool and AzureFilesCheckpointStore
// (each becomes a `volley:index:<Name>` type in schema.json; the JSDoc of every
// field becomes SDK docs).
import * as pulumi from "@pulumi/pulumi";
import { Taint } from "../core/types";

/** AKS pricing tier of the control plane. */
export const AksTier = {
    /** No uptime SLA; for development. */
    Free: "Free",
    /** Uptime SLA and more API server capacity. */
    Standard: "Standard",
} as const;
export type AksTier = (typeof AksTier)[keyof typeof AksTier];

/** How the nodes reach the Azure Files account. Neither opens it to the internet. */
export const AzureFilesAccess = {
    /** A private endpoint in the node subnet, resolved through the `privatelink.file.core.windows.net` Private DNS zone linked to the VNet; public network access disabled. */
    PrivateEndpoint: "PrivateEndpoint",
    /** A `Microsoft.Storage` service endpoint on the node subnet and a VNet rule on the account; every other network denied. */
    ServiceEndpoint: "ServiceEndpoint",
} as const;
export type AzureFilesAccess = (typeof AzureFilesAccess)[keyof typeof AzureFilesAccess];

/** Redundancy of the Premium FileStorage account. */
export const AzureFilesSku = {
    /** Three copies in one zone. */
    PremiumLrs: "Premium_LRS",
    /** Copies across three zones (regions with zones only). */
    PremiumZrs: "Premium_ZRS",
} as const;
export type AzureFilesSku = (typeof AzureFilesSku)[keyof typeof AzureFilesSku];

/** OS disk of the nodes. */
export const AksOsDiskType = {
    /** A managed disk (survives reimaging, any VM size). */
    Managed: "Managed",
    /** On the VM's cache or temporary disk (faster, free; the VM size must have room for `osDiskSizeGb`). */
    Ephemeral: "Ephemeral",
} as const;
export type AksOsDiskType = (typeof AksOsDiskType)[keyof typeof AksOsDiskType];

/** Address ranges of a new VNet and of the cluster; pods and services live outside the VNet (Azure CNI overlay). */
export interface AzureNetworkSettings {
    /** Address space of the new VNet. Defaults to `10.224.0.0/12`. */
    vnetCidr?: pulumi.Input<string>;
    /** Range of the node subnet, inside `vnetCidr`. Defaults to `10.224.0.0/16`. */
    nodeSubnetCidr?: pulumi.Input<string>;
    /** Overlay range of pod IPs, outside the VNet. Defaults to `10.244.0.0/16`. */
    podCidr?: pulumi.Input<string>;
    /** Range of Service IPs, outside the VNet and the pod range. Defaults to `10.0.0.0/16`. */
    serviceCidr?: pulumi.Input<string>;
    /** Cluster DNS Service IP, inside `serviceCidr`. Defaults to `10.0.0.10`. */
    dnsServiceIp?: pulumi.Input<string>;
}

/** An existing VNet subnet for the nodes (and the Azure Files private endpoint). */
export interface ExistingAzureNetwork {
    /** Resource ID of the node subnet, `/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/subnets/N`; the VNet is the one it belongs to. With `checkpoints.access` `ServiceEndpoint` it must already have the `Microsoft.Storage` service endpoint. */
    subnetId: pulumi.Input<string>;
}

/** Settings of a new AKS cluster. */
export interface AksClusterSettings {
    /** Name of the cluster (letters, digits, "-", "_", at most 63); its DNS prefix is the name with "_" made "-", cut to 54. Changing it replaces the cluster. Defaults to the component name with the environment's `nameSuffix`. */
    name?: pulumi.Input<string>;
    /** Name of the resource group AKS creates for the nodes (at most 80 characters, not an existing group). Set at creation only: a cluster created by an earlier version keeps its `MC_<group>_<cluster>_<region>` group. Defaults to `<name>-<nameSuffix>-nodes-rg`. */
    nodeResourceGroup?: pulumi.Input<string>;
    /** Kubernetes minor (`1.36`) or patch (`1.36.2`) version: a supported row of the package's AKS version table, or a newer minor (accepted with a warning). The stream pool follows it, after the cluster. Defaults to the newest supported minor (1.37). */
    kubernetesVersion?: pulumi.Input<string>;
    /** Control-plane pricing tier, `Free` or `Standard` (uptime SLA). Defaults to `Standard`. */
    tier?: pulumi.Input<AksTier>;
    /** Keep AKS local accounts (a client-certificate kubeconfig). `false` makes the cluster Entra ID only with Azure RBAC: the kubeconfig then runs kubelogin, which must be on the PATH where Pulumi runs, and `adminGroupObjectIds` is required. Plain: it decides the kubeconfig's form. Defaults to `false` when `adminGroupObjectIds` is set, else `true` (a non-revocable admin client certificate then exists and the kubeconfig in the state is one: prefer Entra ID). */
    localAccounts?: boolean;
    /** Entra ID groups that administer an Entra-only cluster (`localAccounts: false`); the identity running Pulumi must be in one. */
    adminGroupObjectIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** kubelogin login mode in the kubeconfig of an Entra-only cluster: `azurecli` (az login), `workloadidentity`, `msi`, `spn` or `devicecode`. Defaults to `azurecli`. */
    kubeloginMode?: pulumi.Input<string>;
    /** Address ranges allowed to reach the API server; set it (e.g. your address as a /32) rather than leaving the endpoint open. Defaults to any address (access still needs credentials). */
    apiServerAuthorizedIpRanges?: pulumi.Input<pulumi.Input<string>[]>;
}

/** An existing AKS cluster: its name and resource group, or a kubeconfig, or both. */
export interface ExistingAksCluster {
    /** Name of the cluster; with `resourceGroupName`, the stream pool is created in it and (without `kubeconfig`) its user credentials are read. */
    name?: pulumi.Input<string>;
    /** Resource group of the cluster. */
    resourceGroupName?: pulumi.Input<string>;
    /** Kubeconfig of the cluster (e.g. converted with `kubelogin convert-kubeconfig` for an Entra-only cluster). Without `name`, no stream pool is created: the stream nodes must already carry the label `volley.io/pool=stream-processing` and taint `volley.io/dedicated=true:NoSchedule`. */
    kubeconfig?: pulumi.Input<string>;
    /** The cluster's pool for the platform pods (selected by `kubernetes.azure.com/agentpool`). Defaults to no constraint. */
    systemNodePoolName?: pulumi.Input<string>;
}

/** Cluster-autoscaler bounds of a node pool. */
export interface AksNodeAutoscaling {
    /** Minimum number of nodes: the stream pool scales from zero, the System pool keeps at least 2. Defaults to 2 for the system pool and 0 for the stream pool. */
    minCount?: pulumi.Input<number>;
    /** Maximum number of nodes. Defaults to 3 for the system pool and 10 for the stream pool. */
    maxCount?: pulumi.Input<number>;
}

/** Shape of an AKS node pool, used by AzureNodePool and by AzureEnvironment's system and stream pools. */
export interface AzureNodePoolSettings {
    /** Name of the pool in AKS: a lower-case letter, then lower-case letters and digits, at most 12. Changing it replaces the pool. When set, a change of a create-only field (vmSize, spot, zones, maxPods, osDiskSizeGb, osDiskType) deletes the pool before creating its replacement. Defaults to `system`/`stream` in AzureEnvironment and the component name, cut to fit, in AzureNodePool; for a pool other than the System pool, with 4 hex characters of its create-only fields once one differs from its default, so a replacement is created before the old pool goes. */
    poolName?: pulumi.Input<string>;
    /** VM size; B-series sizes are refused for the system pool. Create-only: a new pool for the stream pool, refused at preview for the System pool. Defaults to `Standard_D4ds_v5` for the system pool and `Standard_D8ds_v5` for the stream pool. */
    vmSize?: pulumi.Input<string>;
    /** A fixed number of nodes instead of the autoscaler. Plain: it decides whether Pulumi or the autoscaler owns the count. */
    count?: number;
    /** Autoscaler bounds (the default); AKS owns the node count, so Pulumi never fights the autoscaler. */
    autoscaling?: pulumi.Input<AksNodeAutoscaling>;
    /** OS disk size in GB. Create-only (see `vmSize`). Defaults to `128`. */
    osDiskSizeGb?: pulumi.Input<number>;
    /** `Managed` or `Ephemeral`. Create-only (see `vmSize`). Defaults to `Managed`. */
    osDiskType?: pulumi.Input<AksOsDiskType>;
    /** Availability zones of the nodes, e.g. `["1", "2", "3"]`. Create-only (see `vmSize`). Defaults to none (regional placement). */
    zones?: pulumi.Input<pulumi.Input<string>[]>;
    /** Spot VMs (cheaper, may be evicted; checkpoints make stream pipelines resume). AKS taints them `kubernetes.azure.com/scalesetpriority=spot:NoSchedule`, which the placement tolerates. Not for the system pool. Create-only: a new pool. Defaults to `false`. */
    spot?: pulumi.Input<boolean>;
    /** Maximum pods per node. Create-only (see `vmSize`). Defaults to AKS's default (250 with CNI overlay). */
    maxPods?: pulumi.Input<number>;
    /** Kubernetes labels on the nodes. The stream pool always carries `volley.io/pool=stream-processing`. */
    nodeLabels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Kubernetes taints on the nodes, Kubernetes spelling (`NoSchedule`). Defaults to none, or `volley.io/dedicated=true:NoSchedule` for the stream pool; the system pool takes none (AKS allows only `CriticalAddonsOnly` there, which the platform does not tolerate). */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

/** Azure Files NFS settings shared by AzureFilesCheckpointStore and AzureEnvironment. */
export interface AzureFilesOptions {
    /** Name of the storage account: 3-24 lower-case letters and digits, unique across Azure. Used when the account is created; later changes are ignored with a warning (the account keeps its name and its checkpoints). Defaults to the component name with 6 hex characters of a digest of the subscription ID and the name suffix. */
    storageAccountName?: pulumi.Input<string>;
    /** `Premium_LRS` or `Premium_ZRS` (NFS needs Premium FileStorage); use `Premium_ZRS` when the stream pool spans zones. Used when the account is created; later changes are ignored with a warning (the account and its checkpoints are never replaced; a new account is the way). Defaults to `Premium_LRS`. */
    sku?: pulumi.Input<AzureFilesSku>;
    /** Provisioned size of the share in GiB: 100-102400 on Premium (provisioned v1); it sets the share's IOPS and throughput. Defaults to `1024`. */
    quotaGib?: pulumi.Input<number>;
    /** Name of the NFS share: 3-63 lower-case letters, digits and "-". Defaults to `checkpoints`. */
    shareName?: pulumi.Input<string>;
    /** `PrivateEndpoint` (default) or `ServiceEndpoint`; never public. Plain: it decides which resources exist. */
    access?: AzureFilesAccess;
    /** Resource ID of an existing `privatelink.file.core.windows.net` Private DNS zone (e.g. a hub's) for the private endpoint; when set, no zone or VNet link is created. Plain: it decides which resources exist. */
    privateDnsZoneId?: string;
    /** Create a `privatelink.file.core.windows.net` zone and link it to the VNet when `privateDnsZoneId` is not set. `false` for a VNet whose DNS already resolves the zone (custom DNS servers, a hub that links the zone): no zone, link or zone group is created, and `<account>.privatelink.file.core.windows.net` must resolve to the private endpoint's IP. Plain: it decides which resources exist. Defaults to `true`. */
    createPrivateDnsZone?: boolean;
    /** HTTPS-only traffic on the account. NFS 4.1 shares need it off (NFS traffic is not TLS); `true` is rejected at preview. Defaults to `false`. */
    enableHttpsTrafficOnly?: pulumi.Input<boolean>;
    /** Keep the storage account and share (and a resource group the environment created, which holds them) when they leave the Pulumi program. Plain. Defaults to `true`. */
    retainOnDelete?: boolean;
    /** Default size of each application's claim on the share, a Kubernetes quantity. Defaults to `50Gi`. */
    defaultClaimSize?: pulumi.Input<string>;
    /** Owner uid of each application's directory `/<account>/<share>/<namespace>/<application>`: the uid the workers run as. Defaults to `1000`. */
    uid?: pulumi.Input<number>;
    /** Owner gid of each application's directory (mode 0770). Defaults to `1000`. */
    gid?: pulumi.Input<number>;
    /** Image of the Job that creates each application's directory on the share (needs sh, mkdir, stat, chmod, chown). Defaults to `busybox:1.37.0`. */
    directoryImage?: pulumi.Input<string>;
    /** NFS mount options of each application's volume. Defaults to `nfsvers=4.1, sec=sys, nconnect=4, noresvport, actimeo=30`. */
    mountOptions?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Azure Files shared checkpoints of an AzureEnvironment. */
export interface AzureFilesSettings extends AzureFilesOptions {
    /** Create the storage account and share. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
}
