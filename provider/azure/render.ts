// Pure Azure rendering: names, tags, the AKS version table, pool names and
// taints, the Azure Files NFS tier rules and backend, role IDs and the
// kubeconfig. Nothing here touches @pulumi/azure-native, so it is tested as data.
import { stableSuffix } from "../core/names";
import { CheckpointBackend } from "../core/types";
import { APP_DIRECTORY_DEFAULTS } from "../kubernetes/render/checkpoints";

/**
 * Tag on every taggable resource, besides the user's tags. Not `volley.io/environment`
 * as on AWS: Azure tag names cannot contain "/" (nor <, >, %, &, \\, ?); GCP's spelling.
 */
export const ENVIRONMENT_TAG = "volley-io-environment";
/** Characters Azure refuses in tag names. */
export const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;
/** Node label AKS puts on every node of a pool. */
export const AKS_POOL_LABEL = "kubernetes.azure.com/agentpool";
export const SYSTEM_POOL_LABELS = { "volley.io/pool": "system" };
/** The taint AKS adds to every node of a Spot pool; pods placed there must tolerate it. */
export const SPOT_TAINT = { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" };

export const AZURE_DEFAULTS = {
    vnetCidr: "10.224.0.0/12",
    nodeSubnetCidr: "10.224.0.0/16",
    // Overlay pod range and service range: outside the VNet, as AKS requires.
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.0.0.0/16",
    dnsServiceIp: "10.0.0.10",
    tier: "Standard",
    // Baseline sizes (mspnp/aks-baseline): 4 vCPU/16 GiB system nodes, no B-series.
    systemVmSize: "Standard_D4ds_v5",
    streamVmSize: "Standard_D8ds_v5",
    systemMinCount: 2,
    systemMaxCount: 3,
    // The stream pool idles at zero: the autoscaler adds nodes as pipeline pods ask for them (AKS allows 0 on User pools).
    streamMinCount: 0,
    streamMaxCount: 10,
    osDiskSizeGb: 128,
    osDiskType: "Managed",
    storageSku: "Premium_LRS",
    shareQuotaGib: 1024,
    shareName: "checkpoints",
    access: "PrivateEndpoint",
    claimSize: "50Gi",
    // Azure Files NFS guidance: several TCP connections, no reserved port (reconnects after failover), 30 s attribute cache.
    mountOptions: ["nfsvers=4.1", "sec=sys", "nconnect=4", "noresvport", "actimeo=30"],
} as const;

// ---- Kubernetes versions ---------------------------------------------------

export interface AksVersion {
    /** Minor version, as AKS takes it (the newest patch is picked). */
    minor: string;
    /** General availability on AKS, `YYYY-MM`. */
    ga: string;
    /** End of standard support on AKS, `YYYY-MM`. */
    endOfLife: string;
    /** Whether new clusters may use it (set when the table is refreshed, never from the clock: previews stay deterministic). */
    supported: boolean;
}

/** AKS minor versions (../shared/reference/azure-facts.md, gathered 2026-12; refresh with each release of this package). */
export const AKS_VERSIONS: AksVersion[] = [
    { minor: "1.34", ga: "2025-11", endOfLife: "2026-11", supported: false },
    { minor: "1.35", ga: "2026-03", endOfLife: "2027-03", supported: true },
    { minor: "1.36", ga: "2026-06", endOfLife: "2027-06", supported: true },
    { minor: "1.37", ga: "2026-10", endOfLife: "2027-10", supported: true },
];
/** The newest supported minor: the default of new clusters. */
export const DEFAULT_KUBERNETES_VERSION = AKS_VERSIONS.filter((v) => v.supported).map((v) => v.minor).pop()!;

/** Why `version` (`1.36` or `1.36.2`) cannot be used for a new cluster, or undefined. */
export function kubernetesVersionIssue(version: string): string | undefined {
    const m = /^(\d+\.\d+)(\.\d+)?$/.exec(version);
    const supported = AKS_VERSIONS.filter((v) => v.supported).map((v) => v.minor).join(", ");
    if (!m) return `must be a Kubernetes version such as "${DEFAULT_KUBERNETES_VERSION}" or "${DEFAULT_KUBERNETES_VERSION}.1"; got ${JSON.stringify(version)}`;
    const row = AKS_VERSIONS.find((v) => v.minor === m[1]);
    // A minor newer than the table is AKS's to judge: the table ages, and a new AKS release should not need a new package.
    if (!row && newerThanTable(m[1])) return undefined;
    if (!row) return `AKS does not offer ${m[1]}; supported: ${supported}; got ${JSON.stringify(version)}`;
    if (!row.supported) return `${m[1]} left AKS standard support in ${row.endOfLife}; supported: ${supported}`;
    return undefined;
}

const minorParts = (v: string) => v.split(".").map(Number);
/** Whether a minor version is newer than every row of the table. */
function newerThanTable(minor: string): boolean {
    const [a, b] = minorParts(minor), [x, y] = minorParts(AKS_VERSIONS[AKS_VERSIONS.length - 1].minor);
    return a > x || (a === x && b > y);
}

/** A warning for a version the table does not know (newer than its rows), or undefined. */
export function kubernetesVersionWarning(version: string): string | undefined {
    const m = /^(\d+\.\d+)(\.\d+)?$/.exec(version);
    return m && newerThanTable(m[1])
        ? `cluster.kubernetesVersion ${version} is newer than this package's AKS version table (newest ${AKS_VERSIONS[AKS_VERSIONS.length - 1].minor}); AKS decides whether the region offers it`
        : undefined;
}

// ---- names and tags ------------------------------------------------------------

/** AKS pool names: a lower-case letter, then lower-case letters and digits, at most 12. */
export const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** A valid pool name from any string: lower-case letters and digits, starting with a letter, at most 12. */
export function poolNameFrom(base: string): string {
    let s = base.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (!/^[a-z]/.test(s)) s = `p${s}`;
    return s.slice(0, 12);
}

/** An Azure resource name from any string: letters, digits, "-", starting with a letter, at most `max`. */
export function azureName(base: string, max = 63): string {
    let s = base.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-+/, "");
    if (!/^[A-Za-z]/.test(s)) s = `v-${s}`;
    return s.slice(0, max).replace(/-+$/, "") || "volley";
}

/** 6 hex characters of sha256("<project>/<stack>/<component>"): the same in every preview, different between stacks. */
export function stackSuffix(project: string, stack: string, component: string): string {
    return stableSuffix([project, stack, component], 6);
}

/** Storage account names: 3-24 lower-case letters and digits, unique across Azure. */
export const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** `<name, letters and digits only><suffix>` within 24 characters (storage account names are global). */
export function storageAccountName(name: string, suffix: string): string {
    const base = name.toLowerCase().replace(/[^a-z0-9]/g, "") || "volley";
    return `${base.slice(0, 24 - suffix.length)}${suffix}`.padEnd(3, "0");
}

/**
 * Suffix of a default storage account name. Account names are unique across
 * all of Azure, so the subscription ID goes into the digest with the
 * environment's suffix: two subscriptions never derive the same name, a stack
 * rename with a pinned `nameSuffix` keeps it.
 */
export function storageAccountSuffix(subscriptionId: string, suffix: string): string {
    return stableSuffix([subscriptionId.toLowerCase(), suffix], 6);
}

/** Longest node resource group name AKS accepts (rancher/rancher#21264: "The maximum length is 80"). */
export const NODE_RESOURCE_GROUP_MAX = 80;

/**
 * The cluster's DNS prefix from its name: AKS takes 1-54 letters, digits and
 * "-", starting and ending with a letter or digit (terraform-provider-azurerm
 * PR #20813), while cluster names also allow "_" and 63 characters. A name
 * that is already a valid prefix is kept as is (existing clusters keep theirs).
 */
export function dnsPrefixFrom(clusterName: string): string {
    const s = clusterName.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, 54).replace(/-+$/, "");
    return s || "volley";
}
export const DNS_PREFIX = /^[A-Za-z0-9]([A-Za-z0-9-]{0,52}[A-Za-z0-9])?$/;

/** Names of the environment's Azure resources, derived once from the component name and a per-stack suffix. */
export function azureResourceNames(envName: string, suffix: string) {
    const base = `${azureName(envName, 40)}-${suffix}`;
    return {
        resourceGroup: `${base}-rg`,
        // AKS's own default, MC_<rg>_<cluster>_<region>, passes 80 characters with names over ~20; this stays within 60.
        nodeResourceGroup: `${base}-nodes-rg`,
        vnet: `${base}-vnet`,
        nodeSubnet: "nodes",
        identity: `${base}-aks`,
        // Cluster names: at most 63 letters, digits, "-" and "_"; the DNS prefix follows it.
        cluster: base,
        storageAccount: storageAccountName(`${envName}ckpt`, suffix),
        privateEndpoint: `${base}-files-pe`,
    };
}

/** `volley-io-environment=<name>` plus the user's tags (which win), for every taggable resource. */
export function azureTags(envName: string, user: Record<string, string> | undefined): Record<string, string> {
    return { [ENVIRONMENT_TAG]: envName, ...(user ?? {}) };
}

// ---- node pools --------------------------------------------------------------

/** Kubernetes taint -> the `key=value:Effect` string AKS takes (Kubernetes spelling). */
export function aksTaints(taints: { key: string; value?: string; effect: string }[]): string[] {
    return taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`);
}

/** B-series (burstable) VM sizes, which AKS refuses for system pools. */
export const isBSeries = (vmSize: string): boolean => /^Standard_B\d/i.test(vmSize);
/** A VM size as Azure names them, e.g. `Standard_D4ds_v5`. */
export const VM_SIZE = /^(Standard|Basic)_[A-Za-z0-9_-]+$/;

export interface PoolShape {
    count?: number;
    autoscaling?: { minCount?: number; maxCount?: number };
}

/** AKS count and autoscaler fields: a fixed `count`, or the autoscaler (which still needs an initial count). */
export function aksScaling(s: PoolShape, d: { min: number; max: number }) {
    if (s.count !== undefined && s.autoscaling === undefined) {
        return { count: s.count, enableAutoScaling: false, minCount: undefined, maxCount: undefined };
    }
    const min = s.autoscaling?.minCount ?? d.min, max = s.autoscaling?.maxCount ?? d.max;
    return { count: Math.max(min, 1), enableAutoScaling: true, minCount: min, maxCount: max };
}

// ---- Azure Files NFS ---------------------------------------------------------

/** Azure Files NFS SKUs (provisioned v1: Premium FileStorage) and their share sizes in GiB. */
export const AZURE_FILES_SKUS: Record<string, { minGib: number; maxGib: number }> = {
    Premium_LRS: { minGib: 100, maxGib: 102400 },
    Premium_ZRS: { minGib: 100, maxGib: 102400 },
};
export const AZURE_FILES_SKU_NAMES = Object.keys(AZURE_FILES_SKUS);

/** Why `gib` is not a valid share size for `sku`, or undefined. */
export function shareQuotaIssue(sku: string, gib: number): string | undefined {
    const rule = AZURE_FILES_SKUS[sku];
    if (!rule) return `unknown SKU ${JSON.stringify(sku)}; must be one of ${AZURE_FILES_SKU_NAMES.join(", ")}`;
    return Number.isInteger(gib) && gib >= rule.minGib && gib <= rule.maxGib
        ? undefined : `${sku} NFS shares (provisioned v1) are ${rule.minGib}-${rule.maxGib} GiB; got ${JSON.stringify(gib)}`;
}

/** Share names: 3-63 lower-case letters, digits and single "-", starting and ending with a letter or digit. */
export const SHARE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

/** The Private DNS zone of Azure Files private endpoints (public cloud). */
export const FILE_PRIVATE_DNS_ZONE = "privatelink.file.core.windows.net";

/** Host of the account's file endpoint: from `https://<account>.file.core.windows.net/`, or the public-cloud default. */
export function fileHost(account: string, fileEndpoint?: string): string {
    const m = fileEndpoint ? /^https?:\/\/([^/]+)/.exec(fileEndpoint) : null;
    return m ? m[1] : `${account}.file.core.windows.net`;
}

/**
 * The checkpoint backend of an Azure Files NFS share: plain NFS 4.1 on the
 * export `<host>:/<account>/<share>`, so each application's static volume
 * mounts its own directory (a CSI static volume mounts the share root).
 */
export function azureFilesBackend(host: string, account: string, share: string,
    o: { size?: string; uid?: number; gid?: number; image?: string; mountOptions?: string[] }): CheckpointBackend {
    return {
        kind: "Nfs",
        nfsServer: host,
        nfsPath: `/${account}/${share}`,
        mountOptions: o.mountOptions ?? [...AZURE_DEFAULTS.mountOptions],
        uid: o.uid ?? APP_DIRECTORY_DEFAULTS.uid,
        gid: o.gid ?? APP_DIRECTORY_DEFAULTS.gid,
        directoryImage: o.image ?? APP_DIRECTORY_DEFAULTS.image,
        defaultSize: o.size ?? AZURE_DEFAULTS.claimSize,
    };
}

/** Volume handle of a static file.csi.azure.com volume: unique per cluster, hence the per-volume suffix. */
export function azureFilesVolumeHandle(resourceGroup: string, account: string, share: string, suffix?: string): string {
    return `${resourceGroup}#${account}#${share}${suffix ? `#${suffix}` : ""}`;
}

// ---- identity ----------------------------------------------------------------

/** Built-in Azure role definition GUIDs (the same in every tenant). */
export const AZURE_ROLES = {
    /** Join the node subnet, manage load balancers and routes in the VNet (Azure CNI with a custom VNet). */
    networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
} as const;

/** `/subscriptions/<id>` of an Azure resource ID; empty when the ID names none. */
export function subscriptionScopeOf(resourceId: string): string {
    const m = /^\/subscriptions\/([^/]+)/i.exec(resourceId);
    return m ? `/subscriptions/${m[1]}` : "";
}

/** Full role definition ID in the subscription of `scope`. */
export function roleDefinitionId(scope: string, roleGuid: string): string {
    return `${subscriptionScopeOf(scope)}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** A GUID from a digest of `parts`: role assignment names must be GUIDs, and ours must not be random. */
export function stableGuid(parts: string[]): string {
    const h = stableSuffix(parts, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---- kubeconfig --------------------------------------------------------------

/** kubelogin login modes usable without a person at the keyboard, and devicecode for one. */
export const KUBELOGIN_MODES = ["azurecli", "workloadidentity", "msi", "spn", "devicecode"] as const;

/**
 * The kubeconfig AKS returns (base64). For Entra ID clusters (format `exec`),
 * kubelogin's `--login` is set to `login` (AKS writes `devicecode`, which
 * waits for a person and so cannot serve `pulumi up`).
 */
export function aksKubeconfig(base64: string, login?: string): string {
    const kc = Buffer.from(base64, "base64").toString("utf8");
    return login ? kc.replace(/(-\s*--login\s*\n\s*-\s*)\S+/, `$1${login}`) : kc;
}

/** Resolved shape of a pool, as AzureNodePoolSettings gives it (defaults applied by `aksPoolProfile`). */
export interface PoolSettings extends PoolShape {
    vmSize?: string;
    osDiskSizeGb?: number;
    osDiskType?: string;
    zones?: string[];
    spot?: boolean;
    maxPods?: number;
    nodeLabels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
}

/**
 * The AKS pool fields of a pool (the cluster's inline profile and AgentPool
 * take the same ones): Linux VMSS, Kubernetes-spelled taints, the autoscaler
 * unless a fixed count, Spot VMs deleted on eviction at any price.
 */
export function aksPoolProfile(s: PoolSettings, mode: "System" | "User", d: { vmSize: string; min: number; max: number }) {
    return {
        mode,
        type: "VirtualMachineScaleSets",
        osType: "Linux",
        vmSize: s.vmSize ?? d.vmSize,
        ...aksScaling(s, d),
        osDiskSizeGB: s.osDiskSizeGb ?? AZURE_DEFAULTS.osDiskSizeGb,
        osDiskType: s.osDiskType ?? AZURE_DEFAULTS.osDiskType,
        availabilityZones: s.zones?.length ? s.zones : undefined,
        maxPods: s.maxPods,
        nodeLabels: s.nodeLabels ?? {},
        nodeTaints: aksTaints(s.taints ?? []),
        ...(s.spot ? { scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: -1 } : {}),
        // One extra node at a time, none taken away: stream pipelines keep their capacity during upgrades.
        upgradeSettings: { maxSurge: "1" },
    };
}

// ---- create-only pool fields -------------------------------------------------

/**
 * Pool fields AKS sets only when it creates a pool; a change needs a new pool.
 * Each row: the field of AzureNodePoolSettings, the AKS profile field, and the source.
 */
export const AKS_CREATE_ONLY_POOL_FIELDS = [
    { field: "vmSize", aks: "vmSize", source: "https://learn.microsoft.com/azure/aks/manage-node-pools: \"You can't change the VM size of a node pool after you create it.\"; pulumi-azure-native forceNewMap AgentPool: vmSize" },
    { field: "spot", aks: "scaleSetPriority", source: "https://learn.microsoft.com/azure/aks/spot-node-pool: ScaleSetPriority and SpotMaxPrice cannot be changed after creation" },
    { field: "zones", aks: "availabilityZones", source: "https://learn.microsoft.com/azure/aks/availability-zones: zones are set when the cluster or node pool is created; azurerm kubernetes_cluster_node_pool `zones`: changing this forces a new resource" },
    { field: "maxPods", aks: "maxPods", source: "https://learn.microsoft.com/azure/aks/azure-cni-overlay: max pods per node is configured at cluster or node pool creation; azurerm `max_pods`: changing this forces a new resource" },
    { field: "osDiskSizeGb", aks: "osDiskSizeGB", source: "azurerm kubernetes_cluster_node_pool `os_disk_size_gb`: changing this forces a new resource; Azure/terraform-azurerm-aks PR #357" },
    { field: "osDiskType", aks: "osDiskType", source: "azurerm kubernetes_cluster_node_pool `os_disk_type`: changing this forces a new resource" },
] as const;

/** The create-only fields of a pool with defaults applied, in a canonical form (zones sorted). */
export function aksCreateOnly(s: PoolSettings, d: { vmSize: string }): Record<string, unknown> {
    return {
        vmSize: s.vmSize ?? d.vmSize,
        spot: s.spot ?? false,
        zones: [...(s.zones ?? [])].sort(),
        maxPods: s.maxPods ?? null,
        osDiskSizeGb: s.osDiskSizeGb ?? AZURE_DEFAULTS.osDiskSizeGb,
        osDiskType: s.osDiskType ?? AZURE_DEFAULTS.osDiskType,
    };
}

/**
 * The AKS name of a pool whose name the user did not pin: `base` while every
 * create-only field has its default (the name earlier versions used), else
 * the first 8 characters of `base` and 4 hex characters of a digest of those
 * fields (12 in all, AKS's limit). A change of a create-only field then
 * creates the new pool under a new name before the old one is deleted, so
 * the update neither collides (409) nor loses capacity.
 */
export function aksPoolName(base: string, s: PoolSettings, d: { vmSize: string }): string {
    const now = aksCreateOnly(s, d), dflt = aksCreateOnly({}, d);
    if (JSON.stringify(now) === JSON.stringify(dflt)) return base;
    return `${base.slice(0, 8)}${stableSuffix([JSON.stringify(now)], 4)}`;
}

/**
 * Why the inline System pool cannot take `wanted` where AKS reports `actual`
 * (a create-only field changed), or undefined. AKS refuses such a cluster PUT
 * (PropertyChangeNotAllowed, pulumi-azure-native#959); the package does not
 * send it (ignoreChanges) and stops the preview with this reason instead.
 */
export function systemPoolChangeIssue(actual: Record<string, any> | undefined, wanted: Record<string, any>): string | undefined {
    if (!actual) return undefined;
    const norm = (k: string, v: any) => (k === "availabilityZones" ? JSON.stringify([...(v ?? [])].sort()) : JSON.stringify(v ?? null));
    for (const f of AKS_CREATE_ONLY_POOL_FIELDS) {
        if (f.aks === "scaleSetPriority") continue; // System pools are never Spot (validated).
        // Not asked for (AKS's default, e.g. maxPods): whatever AKS chose stands.
        if (wanted[f.aks] === undefined || wanted[f.aks] === null) continue;
        if (norm(f.aks, actual[f.aks]) !== norm(f.aks, wanted[f.aks])) {
            return `systemNodePool.${f.field}: AKS cannot change it on an existing pool (it is ${norm(f.aks, actual[f.aks])}, the program asks for ${norm(f.aks, wanted[f.aks])}). ` +
                `Set it back; to move the platform to other nodes, add an AzureNodePool of the new shape and label it volley.io/pool=system, or create a new environment.`;
        }
    }
    return undefined;
}

// ---- resource providers ------------------------------------------------------

/**
 * Resource providers an environment uses. A fresh subscription may have them
 * unregistered, and the first `up` fails with MissingSubscriptionRegistration
 * (Azure/bicep#14935); azure-native does not register them on its own
 * (pulumi-azure-native#3479) and has no resource for it, and whether they are
 * registered is subscription state a preview could only learn by calling
 * Azure, so the README gives the commands and maps the error ("Messages you
 * will meet"; tests/unit/azureChanges.test.ts keeps both in step).
 */
export const AZURE_RESOURCE_PROVIDERS = [
    "Microsoft.ContainerService", "Microsoft.Network", "Microsoft.Storage", "Microsoft.ManagedIdentity", "Microsoft.Compute",
] as const;
