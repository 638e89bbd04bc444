// What a change of each AzureEnvironment input does (README "Azure: what a
// change does"; tests/unit/azureChanges.test.ts walks every row under mocks).
import { ChangeEffect as E, ChangeRow, NETPOL_CONCEPTS, NETPOL_UPDATE, NETWORK_POLICY, NETWORK_POLICY_FORCE_NEW } from "../core/changes";
import { AKS_CREATE_ONLY_POOL_FIELDS } from "./render";

const FORCE_NEW_MAP = "pulumi-azure-native forceNewMap";
const source = (field: string) => AKS_CREATE_ONLY_POOL_FIELDS.find((f) => f.field === field)!.source;
/** The AKS API property of each pool setting, as a preview names it. */
const AKS_PROPERTY: Record<string, string> = { vmSize: "vmSize", spot: "scaleSetPriority", zones: "availabilityZones", maxPods: "maxPods", osDiskSizeGb: "osDiskSizeGB", osDiskType: "osDiskType" };

/** Provider properties whose change replaces a resource, per Pulumi type (the rows' effects follow from them). */
export const AZURE_FORCE_NEW: Record<string, { fields: string[]; source: string }> = {
    "azure-native:containerservice:AgentPool": { fields: ["agentPoolName", "resourceName", "resourceGroupName", "vmSize"], source: `${FORCE_NEW_MAP} AgentPool: vmSize; ARM resource name` },
    "azure-native:containerservice:ManagedCluster": { fields: ["resourceName", "resourceGroupName", "location", "dnsPrefix", "nodeResourceGroup"], source: `${FORCE_NEW_MAP} ManagedCluster; ARM resource name` },
    "azure-native:storage:StorageAccount": { fields: ["accountName", "resourceGroupName", "location", "kind"], source: `${FORCE_NEW_MAP} StorageAccount; ARM resource name` },
    "azure-native:storage:FileShare": { fields: ["shareName", "accountName", "resourceGroupName", "enabledProtocols"], source: "ARM resource name; Azure Files: the protocol is set at creation" },
    "azure-native:resources:ResourceGroup": { fields: ["resourceGroupName", "location"], source: "ARM resource name" },
    [NETWORK_POLICY]: NETWORK_POLICY_FORCE_NEW,
};

export const AZURE_CHANGES: ChangeRow[] = [
    ...(["vmSize", "spot", "zones", "maxPods", "osDiskSizeGb", "osDiskType"] as const).map((f): ChangeRow => ({
        input: `streamNodePool.${f}`, change: "any change", effect: E.NewFirst, resource: "azure-native:containerservice:AgentPool", properties: [AKS_PROPERTY[f], "agentPoolName"],
        note: "AKS sets it at creation only: the derived pool name carries it, so the new pool is created before the old one goes", source: source(f),
    })),
    { input: "streamNodePool.poolName", change: "pinned name, then vmSize", effect: E.DeletedFirst, resource: "azure-native:containerservice:AgentPool", properties: ["vmSize"],
        note: "a pinned name cannot exist twice in a cluster: the pool is deleted first (capacity gap); leave poolName unset to avoid it", source: source("vmSize") },
    { input: "streamNodePool.autoscaling", change: "maxCount 10 -> 20", effect: E.InPlace, resource: "azure-native:containerservice:AgentPool", properties: ["maxCount"],
        note: "AKS owns the count; bounds update in place", source: "https://learn.microsoft.com/azure/aks/cluster-autoscaler (update the autoscaler on a node pool)" },
    ...(["vmSize", "zones", "maxPods", "osDiskSizeGb", "osDiskType"] as const).map((f): ChangeRow => ({
        input: `systemNodePool.${f}`, change: "any change", effect: E.Refused, resource: "azure-native:containerservice:ManagedCluster", properties: [`agentPoolProfiles[0].${AKS_PROPERTY[f]}`],
        note: "the System pool is inline in the cluster; AKS refuses the change (PropertyChangeNotAllowed). Set it back, or add an AzureNodePool of the new shape labelled volley.io/pool=system", source: `${source(f)}; pulumi-azure-native#959`,
    })),
    { input: "systemNodePool.autoscaling", change: "minCount 2 -> 3", effect: E.InPlace, resource: "azure-native:containerservice:ManagedCluster", properties: ["agentPoolProfiles[0].minCount"],
        note: "updated in the cluster's agentPoolProfiles (AKS puts the pools in Scaling meanwhile)", source: "pulumi-azure-native#4264" },
    { input: "cluster.kubernetesVersion", change: "1.36 -> 1.37", effect: E.InPlace, resource: "azure-native:containerservice:ManagedCluster", properties: ["kubernetesVersion"],
        note: "the control plane first, then the stream pool (its orchestratorVersion follows the cluster)", source: "https://learn.microsoft.com/azure/aks/spot-node-pool (control plane and Spot pools upgrade separately)" },
    { input: "cluster.adminGroupObjectIds", change: "add a group", effect: E.InPlace, resource: "azure-native:containerservice:ManagedCluster", properties: ["aadProfile.adminGroupObjectIDs"],
        note: "the cluster-admin Entra ID groups update in place", source: "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id (az aks update --aad-admin-group-object-ids on an existing cluster)" },
    { input: "cluster.nodeResourceGroup", change: "any change", effect: E.Kept, resource: "azure-native:containerservice:ManagedCluster", properties: ["nodeResourceGroup"],
        note: "force-new: a cluster keeps the node resource group it was created with (clusters of earlier versions keep MC_...)", source: `${FORCE_NEW_MAP} ManagedCluster: nodeResourceGroup` },
    { input: "cluster.name", change: "rename", effect: E.NewFirst, resource: "azure-native:containerservice:ManagedCluster", properties: ["resourceName"],
        note: "a new cluster (checkpoints stay on the share; applications reattach)", source: "ARM resource name" },
    { input: "checkpoints.storageAccountName", change: "rename", effect: E.Kept, resource: "azure-native:storage:StorageAccount", properties: ["accountName"],
        note: "renaming would replace the account and its checkpoints; a new account means a new environment", source: "https://learn.microsoft.com/azure/storage/common/storage-account-overview (the name is the account's endpoint)" },
    { input: "checkpoints.sku", change: "Premium_LRS -> Premium_ZRS", effect: E.Kept, resource: "azure-native:storage:StorageAccount", properties: ["sku"],
        note: "the account keeps its redundancy; choose ZRS at creation for zonal pools", source: "https://learn.microsoft.com/azure/storage/common/redundancy-migration (Premium file shares: no conversion in place)" },
    { input: "checkpoints.quotaGib", change: "1024 -> 2048", effect: E.InPlace, resource: "azure-native:storage:FileShare", properties: ["shareQuota"],
        note: "the provisioned size (and so IOPS) changes in place", source: "https://learn.microsoft.com/azure/storage/files/understanding-billing (provisioned v1: resize the share)" },
    { input: "checkpoints.enabled", change: "true -> false", effect: E.Forgotten, resource: "azure-native:storage:StorageAccount",
        note: "the account is retained with its checkpoints, and so is its resource group", source: "Pulumi retainOnDelete; second review A2" },
    { input: "tags", change: "add a tag", effect: E.InPlace, resource: "azure-native:storage:StorageAccount", properties: ["tags"],
        note: "tags update in place everywhere", source: "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources" },
    { input: "nameSuffix", change: "stack or project renamed (suffix not pinned)", effect: E.DataAtRisk, resource: "azure-native:storage:StorageAccount", properties: ["resourceGroupName"],
        note: "every derived name changes: a new group, network and cluster, and the account would be re-created in the new group under its kept name, which Azure refuses (the update fails, the old account stays). Pin nameSuffix to the nameSuffix output", source: "pulumi stack rename; second review G11" },
    { input: "networkPolicies.enabled", change: "false -> true", effect: E.InPlace, resource: NETWORK_POLICY,
        note: "creates the platform's NetworkPolicies (default-deny ingress in the operator, KEDA and monitoring namespaces with the allows they need, and allow-grafana-users with grafanaFrom); true -> false deletes them. No data is involved and nothing else changes. AKS enforces them only with a network policy engine (networkProfile.networkPolicy), which the package's cluster leaves unset (none): preview warns, and the package never changes the cluster's network settings (the engine is chosen at creation)",
        source: `${NETPOL_CONCEPTS}; AKS API NetworkPolicy "none": network policies will not be enforced, the default when unset; https://learn.microsoft.com/azure/aks/use-network-policies` },
    { input: "networkPolicies.grafanaFrom", change: "add a namespace", effect: E.InPlace, resource: NETWORK_POLICY, child: "-netpol-monitoring-allow-grafana-users", properties: ["spec.ingress"],
        note: "updates the allow-grafana-users policy in place; the first namespace creates it and an empty list deletes it. Nothing else changes", source: NETPOL_UPDATE },
];
