// Validation of AzureEnvironment, AzureNodePool and AzureFilesCheckpointStore.
// Pure: resolved inputs in (UNKNOWN for values not known yet), issues out.
import {
    AZURE_DEFAULTS, AZURE_FILES_SKU_NAMES, KUBELOGIN_MODES, NODE_RESOURCE_GROUP_MAX, POOL_NAME, SHARE_NAME, STORAGE_ACCOUNT_NAME, TAG_NAME_FORBIDDEN, VM_SIZE,
    isBSeries, kubernetesVersionIssue, kubernetesVersionWarning, shareQuotaIssue,
} from "./render";
import { AksOsDiskType, AksTier, AzureFilesAccess } from "./settings";
import { cidrContains, cidrsOverlap, isCanonical, parseCidr, parseIp } from "../core/cidr";
import { checkTaints } from "../core/scheduling";
import { Checker, Issue, UNKNOWN, known, path } from "../core/validate";
import { checkAppDirectories, checkPlatformName, validateKubernetesEnvironment } from "../kubernetes/validate/platform";

const is = (v: unknown) => v !== undefined && v !== null;
const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const DNS_ZONE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.file\.core\.windows\.net$/i;
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;
const CLUSTER_NAME = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
const REGION = /^[a-z][a-z0-9]+$/;
const NAME_SUFFIX = /^[a-z0-9]{1,8}$/;
const ZONES = ["1", "2", "3"];

function plainBoolean(c: Checker, p: string, v: unknown): void {
    if (v !== undefined && typeof v !== "boolean") c.fail(p, "must be a plain boolean (it decides which resources exist)");
}

/** A CIDR block (canonical); returns it when valid. */
function checkCidr(c: Checker, p: string, v: unknown): string | undefined {
    if (!known(v)) return undefined;
    const parsed = typeof v === "string" ? parseCidr(v) : undefined;
    if (!parsed) { c.fail(p, `must be an IPv4 CIDR block such as "10.224.0.0/16"; got ${JSON.stringify(v)}`); return undefined; }
    if (!isCanonical(parsed)) { c.fail(p, `must be a network address (no host bits set); got ${JSON.stringify(v)}`); return undefined; }
    return v as string;
}

/** Azure tags: names without <, >, %, &, \, ?, / and at most 512 characters, values at most 256; at most 49 besides ours. */
export function checkAzureTags(c: Checker, p: string, tags: unknown): void {
    if (!known(tags)) return;
    const entries = Object.entries(tags as Record<string, unknown>);
    if (entries.length > 49) c.fail(p, `must have at most 49 tags (Azure allows 50, one is volley-io-environment); got ${entries.length}`);
    for (const [k, v] of entries) {
        if (k.length === 0 || k.length > 512 || TAG_NAME_FORBIDDEN.test(k)) c.fail(path(p, k), `must be an Azure tag name: 1-512 characters, none of < > % & \\ ? /; got ${JSON.stringify(k)}`);
        else if (known(v) && (typeof v !== "string" || v.length > 256)) c.fail(path(p, k), `must be a tag value of at most 256 characters; got ${JSON.stringify(v)}`);
    }
}

/** Node pool shape; `system` adds AKS's System pool rules. */
export function checkPool(c: Checker, p: string, a: any, system: boolean): void {
    if (!known(a)) return;
    if (known(a.poolName) && (typeof a.poolName !== "string" || !POOL_NAME.test(a.poolName))) {
        c.fail(path(p, "poolName"), `must be a lower-case letter, then lower-case letters and digits, at most 12 characters; got ${JSON.stringify(a.poolName)}`);
    }
    if (known(a.vmSize)) {
        if (typeof a.vmSize !== "string" || !VM_SIZE.test(a.vmSize)) c.fail(path(p, "vmSize"), `must be an Azure VM size such as "Standard_D4ds_v5"; got ${JSON.stringify(a.vmSize)}`);
        else if (system && isBSeries(a.vmSize)) c.fail(path(p, "vmSize"), `AKS refuses B-series (burstable) sizes for System pools; use e.g. "${AZURE_DEFAULTS.systemVmSize}"; got ${JSON.stringify(a.vmSize)}`);
    }
    const min = system ? 2 : 0;
    if (a.count !== undefined) {
        if (a.count === UNKNOWN) c.fail(path(p, "count"), "must be known at preview (it decides whether Pulumi or the autoscaler owns the count)");
        else if (c.integer(path(p, "count"), a.count, min, 1000) && is(a.autoscaling)) c.fail(path(p, "count"), "set either count (fixed) or autoscaling, not both");
    }
    const s = a.autoscaling;
    if (known(s)) {
        const minOk = c.integer(path(p, "autoscaling.minCount"), s.minCount, min, 1000);
        const maxOk = c.integer(path(p, "autoscaling.maxCount"), s.maxCount, Math.max(min, 1), 1000);
        const lo = known(s.minCount) ? s.minCount : (system ? AZURE_DEFAULTS.systemMinCount : AZURE_DEFAULTS.streamMinCount);
        const hi = known(s.maxCount) ? s.maxCount : (system ? AZURE_DEFAULTS.systemMaxCount : AZURE_DEFAULTS.streamMaxCount);
        if (minOk && maxOk && (known(s.minCount) || known(s.maxCount)) && lo > hi) {
            c.fail(path(p, "autoscaling.minCount"), `must be <= autoscaling.maxCount (${hi}); got ${lo}`);
        }
    }
    c.integer(path(p, "osDiskSizeGb"), a.osDiskSizeGb, 30, 2048);
    c.oneOf(path(p, "osDiskType"), a.osDiskType, Object.values(AksOsDiskType));
    if (known(a.zones)) (a.zones as unknown[]).forEach((z, i) => c.oneOf(path(p, "zones", i), z, ZONES));
    if (known(a.spot) && typeof a.spot !== "boolean") c.fail(path(p, "spot"), `must be a boolean; got ${JSON.stringify(a.spot)}`);
    if (system && a.spot === true) c.fail(path(p, "spot"), "AKS System pools cannot run on Spot VMs");
    c.integer(path(p, "maxPods"), a.maxPods, 10, 250);
    c.labels(path(p, "nodeLabels"), a.nodeLabels);
    if (system && known(a.taints) && Array.isArray(a.taints) && a.taints.length > 0) {
        c.fail(path(p, "taints"), "must be empty: AKS allows only CriticalAddonsOnly on System pools, which the operator, KEDA and Prometheus do not tolerate");
    } else {
        checkTaints(c, path(p, "taints"), a.taints);
    }
}

/** Azure Files options (shared by the environment's `checkpoints` and AzureFilesCheckpointStore). */
export function checkFiles(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    if (known(a.storageAccountName) && (typeof a.storageAccountName !== "string" || !STORAGE_ACCOUNT_NAME.test(a.storageAccountName))) {
        c.fail(path(p, "storageAccountName"), `must be 3-24 lower-case letters and digits (unique across Azure); got ${JSON.stringify(a.storageAccountName)}`);
    }
    c.oneOf(path(p, "sku"), a.sku, AZURE_FILES_SKU_NAMES);
    const sku = known(a.sku) ? a.sku : (a.sku === UNKNOWN ? undefined : AZURE_DEFAULTS.storageSku);
    if (known(a.quotaGib) && sku && AZURE_FILES_SKU_NAMES.includes(sku)) {
        const issue = shareQuotaIssue(sku, a.quotaGib);
        if (issue) c.fail(path(p, "quotaGib"), issue);
    }
    if (known(a.shareName) && (typeof a.shareName !== "string" || !SHARE_NAME.test(a.shareName))) {
        c.fail(path(p, "shareName"), `must be 3-63 lower-case letters, digits and single "-", starting and ending with a letter or digit; got ${JSON.stringify(a.shareName)}`);
    }
    if (a.access !== undefined) {
        if (a.access === UNKNOWN) c.fail(path(p, "access"), "must be known at preview (it decides which resources exist)");
        else c.oneOf(path(p, "access"), a.access, Object.values(AzureFilesAccess));
    }
    if (a.privateDnsZoneId !== undefined) {
        if (typeof a.privateDnsZoneId !== "string" || !DNS_ZONE_ID.test(a.privateDnsZoneId)) {
            c.fail(path(p, "privateDnsZoneId"), `must be the resource ID of a privatelink.file.core.windows.net Private DNS zone; got ${JSON.stringify(a.privateDnsZoneId === UNKNOWN ? "a value not known at preview" : a.privateDnsZoneId)}`);
        } else if (a.access === AzureFilesAccess.ServiceEndpoint) {
            c.fail(path(p, "privateDnsZoneId"), "applies only with access PrivateEndpoint");
        }
    }
    if (a.enableHttpsTrafficOnly === true) {
        c.fail(path(p, "enableHttpsTrafficOnly"), "must be false: Azure Files NFS 4.1 shares cannot exist on an account that requires secure transfer (NFS traffic is not TLS; access is private instead)");
    }
    plainBoolean(c, path(p, "retainOnDelete"), a.retainOnDelete);
    plainBoolean(c, path(p, "createPrivateDnsZone"), a.createPrivateDnsZone);
    if (a.createPrivateDnsZone === false && a.access === AzureFilesAccess.ServiceEndpoint) c.fail(path(p, "createPrivateDnsZone"), "applies only with access PrivateEndpoint");
    c.quantity(path(p, "defaultClaimSize"), a.defaultClaimSize);
    checkAppDirectories(c, p, a);
    if (known(a.mountOptions)) {
        (a.mountOptions as unknown[]).forEach((m, i) => {
            if (known(m) && (typeof m !== "string" || !/^[A-Za-z0-9_.=,-]+$/.test(m))) c.fail(path(p, "mountOptions", i), `must be a mount option such as "nconnect=4"; got ${JSON.stringify(m)}`);
        });
    }
}

function checkSubnetId(c: Checker, p: string, v: unknown): void {
    if (known(v) && (typeof v !== "string" || !SUBNET_ID.test(v))) {
        c.fail(p, `must be a subnet resource ID, /subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/subnets/N; got ${JSON.stringify(v)}`);
    }
}

/** Address ranges: the subnet inside the VNet, pods and services outside it and apart, the DNS IP among the services. */
function checkNetwork(c: Checker, n: any, newVnet: boolean): void {
    const get = (k: string, dflt: string) => (is(n[k]) ? checkCidr(c, path("network", k), n[k]) : dflt);
    const vnet = newVnet ? get("vnetCidr", AZURE_DEFAULTS.vnetCidr) : undefined;
    const subnet = newVnet ? get("nodeSubnetCidr", AZURE_DEFAULTS.nodeSubnetCidr) : undefined;
    const pod = get("podCidr", AZURE_DEFAULTS.podCidr), svc = get("serviceCidr", AZURE_DEFAULTS.serviceCidr);
    if (vnet && subnet && !cidrContains(vnet, subnet)) c.fail("network.nodeSubnetCidr", `${subnet} must lie inside network.vnetCidr (${vnet})`);
    if (vnet && pod && cidrsOverlap(vnet, pod)) c.fail("network.podCidr", `${pod} overlaps network.vnetCidr (${vnet}); overlay pod IPs must be outside the VNet`);
    if (vnet && svc && cidrsOverlap(vnet, svc)) c.fail("network.serviceCidr", `${svc} overlaps network.vnetCidr (${vnet}); Service IPs must be outside the VNet`);
    if (pod && svc && cidrsOverlap(pod, svc)) c.fail("network.serviceCidr", `${svc} overlaps network.podCidr (${pod})`);
    const dns = is(n.dnsServiceIp) ? n.dnsServiceIp : (is(n.serviceCidr) ? undefined : AZURE_DEFAULTS.dnsServiceIp);
    if (known(dns)) {
        if (typeof dns !== "string" || !parseIp(dns)) c.fail("network.dnsServiceIp", `must be an IPv4 address; got ${JSON.stringify(dns)}`);
        else if (svc && !cidrContains(svc, dns)) c.fail("network.dnsServiceIp", `${dns} must lie inside network.serviceCidr (${svc})`);
    } else if (!is(n.dnsServiceIp) && is(n.serviceCidr)) {
        c.fail("network.dnsServiceIp", "required with network.serviceCidr: an address inside it, e.g. its .10");
    }
}

function checkCluster(c: Checker, cl: any): void {
    if (!known(cl)) return;
    if (known(cl.name) && (typeof cl.name !== "string" || !CLUSTER_NAME.test(cl.name))) {
        c.fail("cluster.name", `must be 1-63 letters, digits, "-" and "_", starting and ending with a letter or digit; got ${JSON.stringify(cl.name)}`);
    }
    if (known(cl.nodeResourceGroup) && (typeof cl.nodeResourceGroup !== "string" || !RESOURCE_GROUP.test(cl.nodeResourceGroup)
        || cl.nodeResourceGroup.length > NODE_RESOURCE_GROUP_MAX || cl.nodeResourceGroup.endsWith("."))) {
        c.fail("cluster.nodeResourceGroup", `must be a resource group name of at most ${NODE_RESOURCE_GROUP_MAX} characters (AKS's limit for the node resource group); got ${JSON.stringify(cl.nodeResourceGroup)}`);
    }
    if (known(cl.kubernetesVersion)) {
        const issue = typeof cl.kubernetesVersion === "string" ? kubernetesVersionIssue(cl.kubernetesVersion) : "must be a string";
        if (issue) c.fail("cluster.kubernetesVersion", issue);
    }
    c.oneOf("cluster.tier", cl.tier, Object.values(AksTier));
    plainBoolean(c, "cluster.localAccounts", cl.localAccounts);
    const groups = known(cl.adminGroupObjectIds) ? cl.adminGroupObjectIds as unknown[] : undefined;
    if (cl.localAccounts === false && cl.adminGroupObjectIds !== UNKNOWN && !(groups && groups.length)) {
        c.fail("cluster.adminGroupObjectIds", "required with localAccounts false: at least one Entra ID group that administers the cluster (the identity running Pulumi must be in one)");
    }
    if (cl.localAccounts === true && groups && groups.length) c.fail("cluster.adminGroupObjectIds", "applies only with localAccounts false (Entra ID only); omit localAccounts, which then defaults to false");
    groups?.forEach((g, i) => {
        if (known(g) && (typeof g !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(g))) c.fail(path("cluster.adminGroupObjectIds", i), `must be a group object ID (a GUID); got ${JSON.stringify(g)}`);
    });
    c.oneOf("cluster.kubeloginMode", cl.kubeloginMode, KUBELOGIN_MODES);
    if (known(cl.apiServerAuthorizedIpRanges)) {
        (cl.apiServerAuthorizedIpRanges as unknown[]).forEach((r, i) => {
            if (!known(r)) return;
            if (typeof r !== "string" || !(parseCidr(r) || parseIp(r))) c.fail(path("cluster.apiServerAuthorizedIpRanges", i), `must be an IPv4 address or CIDR such as "203.0.113.0/24"; got ${JSON.stringify(r)}`);
            else if (r === "0.0.0.0/0") c.fail(path("cluster.apiServerAuthorizedIpRanges", i), "must not be 0.0.0.0/0 (omit the list to leave the endpoint open)");
        });
    }
}

export function validateAzureEnvironment(a: any, name?: string): Issue[] {
    const c = new Checker();
    checkPlatformName(c, "AzureEnvironment", a, name);
    if (known(a.location) && (typeof a.location !== "string" || !REGION.test(a.location))) c.fail("location", `must be an Azure region name such as "westeurope"; got ${JSON.stringify(a.location)}`);
    if (a.resourceGroupName !== undefined && (typeof a.resourceGroupName !== "string" || !RESOURCE_GROUP.test(a.resourceGroupName) || a.resourceGroupName.endsWith("."))) {
        c.fail("resourceGroupName", `must be a plain resource group name (1-90 letters, digits, "-", "_", ".", "(", ")", not ending in "."); got ${a.resourceGroupName === UNKNOWN ? "a value not known at preview" : JSON.stringify(a.resourceGroupName)}`);
    }
    const existingCluster = is(a.existingCluster), existingNetwork = is(a.existingNetwork);
    if (existingCluster) {
        for (const k of ["network", "cluster", "systemNodePool"]) if (is(a[k])) c.fail(k, "must be omitted with existingCluster (the cluster's own settings and pools are used)");
        const e = a.existingCluster;
        if (known(e)) {
            if (is(e.name) !== is(e.resourceGroupName)) c.fail(is(e.name) ? "existingCluster.resourceGroupName" : "existingCluster.name", "name and resourceGroupName go together");
            else if (!is(e.name) && !is(e.kubeconfig)) c.fail("existingCluster", "required: name and resourceGroupName, or kubeconfig");
            if (known(e.name) && (typeof e.name !== "string" || !CLUSTER_NAME.test(e.name))) c.fail("existingCluster.name", `must be an AKS cluster name; got ${JSON.stringify(e.name)}`);
            if (known(e.systemNodePoolName) && (typeof e.systemNodePoolName !== "string" || !POOL_NAME.test(e.systemNodePoolName))) c.fail("existingCluster.systemNodePoolName", `must be an AKS pool name; got ${JSON.stringify(e.systemNodePoolName)}`);
        }
    }
    if (existingNetwork) {
        if (is(a.network) && known(a.network) && (is(a.network.vnetCidr) || is(a.network.nodeSubnetCidr))) c.fail("network", "vnetCidr and nodeSubnetCidr must be omitted with existingNetwork (they shape a new VNet)");
        if (known(a.existingNetwork)) {
            c.required("existingNetwork.subnetId", a.existingNetwork.subnetId, "the resource ID of the node subnet") && checkSubnetId(c, "existingNetwork.subnetId", a.existingNetwork.subnetId);
        }
    }
    if (!existingCluster) {
        checkNetwork(c, known(a.network) ? a.network : {}, !existingNetwork);
        checkCluster(c, a.cluster);
        checkPool(c, "systemNodePool", a.systemNodePool ?? {}, true);
    }
    checkPool(c, "streamNodePool", a.streamNodePool, false);
    checkPool(c, "kafkaNodePool", a.kafkaNodePool, false);
    if (is(a.kafkaNodePool) && !(known(a.kafka) && a.kafka.mode === "strimzi")) c.fail("kafkaNodePool", "applies only with kafka.mode \"strimzi\" (the brokers' pool)");
    const sys = known(a.systemNodePool) ? a.systemNodePool.poolName ?? "system" : undefined, str = known(a.streamNodePool) ? a.streamNodePool.poolName ?? "stream" : "stream";
    if (!existingCluster && known(sys) && known(str) && sys === str) c.fail("streamNodePool.poolName", `must differ from the system pool's name ${JSON.stringify(sys)}`);
    const kfk = known(a.kafkaNodePool) && is(a.kafkaNodePool.poolName) ? a.kafkaNodePool.poolName : "kafka";
    if (known(a.kafka) && a.kafka.mode === "strimzi" && known(kfk) && [sys, str].includes(kfk)) c.fail("kafkaNodePool.poolName", `must differ from the system and stream pools' names; got ${JSON.stringify(kfk)}`);

    const ck = a.checkpoints;
    if (known(ck)) {
        plainBoolean(c, "checkpoints.enabled", ck.enabled);
        if (ck.enabled !== false) {
            checkFiles(c, "checkpoints", ck);
            if (existingCluster && !existingNetwork) c.fail("checkpoints", "with existingCluster, Azure Files needs existingNetwork.subnetId (the node subnet, for the private endpoint or service endpoint rule); or set enabled false");
        }
    } else if (!is(ck) && existingCluster && !existingNetwork) {
        c.fail("checkpoints", "with existingCluster, Azure Files needs existingNetwork.subnetId (the node subnet, for the private endpoint or service endpoint rule); or set enabled false");
    }
    checkAzureTags(c, "tags", a.tags);
    if (is(a.nameSuffix) && (typeof a.nameSuffix !== "string" || !NAME_SUFFIX.test(a.nameSuffix))) {
        c.fail("nameSuffix", `must be a plain string of 1-8 lower-case letters and digits; got ${a.nameSuffix === UNKNOWN ? "a value not known at preview" : JSON.stringify(a.nameSuffix)}`);
    }
    if (known(a.deleteUnreachable) && typeof a.deleteUnreachable !== "boolean") c.fail("deleteUnreachable", `must be a boolean; got ${JSON.stringify(a.deleteUnreachable)}`);
    // Operator, KEDA and Prometheus: the same rules (and paths) as KubernetesEnvironment.
    c.issues.push(...validateKubernetesEnvironment({ operator: a.operator, keda: a.keda, prometheus: a.prometheus, kafka: a.kafka, networkPolicies: a.networkPolicies }));
    return c.issues;
}

/**
 * With `networkPolicies.enabled`: whether anything enforces the policies. The
 * cluster the package creates leaves networkProfile.networkPolicy unset, which
 * AKS takes as none ("network policies will not be enforced"), and the package
 * never sets it: the engine is chosen when a cluster is created, and changing
 * it later updates every node (https://learn.microsoft.com/azure/aks/use-network-policies).
 * An existing cluster's setting is its owner's. Pure; undefined when off.
 */
export function aksNetworkPolicyWarning(a: any): string | undefined {
    if (!known(a.networkPolicies) || a.networkPolicies.enabled !== true) return undefined;
    if (is(a.existingCluster)) {
        return "networkPolicies.enabled: the package creates the platform's NetworkPolicies but does not check or change the existing AKS cluster's network settings; "
            + "they take effect only if the cluster has a network policy engine (networkProfile.networkPolicy azure, calico or cilium), otherwise they are accepted and ignored";
    }
    return "networkPolicies.enabled: the AKS cluster this environment creates leaves networkProfile.networkPolicy unset (none), so the platform's NetworkPolicies are created but not enforced (no isolation). "
        + "The package does not change the cluster's network settings (the network policy engine is chosen at cluster creation; changing it later updates every node). "
        + "To enforce them, run the environment on a cluster created with networkProfile.networkPolicy (azure, calico or cilium), passed as existingCluster";
}

/**
 * What preview warns about without refusing: choices that work but cost data safety or access later.
 * Pure, like the validators; AzureEnvironment logs each with pulumi.log.warn.
 */
export function azureEnvironmentWarnings(a: any): string[] {
    const w: string[] = [];
    const np = aksNetworkPolicyWarning(a);
    if (np) w.push(np);
    const cl = known(a.cluster) ? a.cluster : {};
    const ck = known(a.checkpoints) ? a.checkpoints : {};
    const files = ck.enabled !== false;
    if (!is(a.existingCluster)) {
        if (typeof cl.kubernetesVersion === "string") {
            const v = kubernetesVersionWarning(cl.kubernetesVersion);
            if (v) w.push(v);
        }
        const groups = known(cl.adminGroupObjectIds) && Array.isArray(cl.adminGroupObjectIds) && cl.adminGroupObjectIds.length > 0;
        if (cl.localAccounts !== false && !groups && cl.adminGroupObjectIds !== UNKNOWN) {
            w.push("cluster.localAccounts: on (no adminGroupObjectIds), so AKS issues a non-revocable admin client certificate and the kubeconfig in the Pulumi state is one; set cluster.adminGroupObjectIds (Entra ID) to turn local accounts off");
        }
        if (files && (ck.sku ?? AZURE_DEFAULTS.storageSku) === "Premium_LRS" && known(a.streamNodePool) && Array.isArray(a.streamNodePool.zones) && a.streamNodePool.zones.length > 1) {
            w.push("checkpoints.sku: Premium_LRS keeps checkpoints in one zone while streamNodePool.zones spans several; use Premium_ZRS (set at creation only)");
        }
    }
    if (files && is(a.existingNetwork) && (ck.access ?? AZURE_DEFAULTS.access) === AzureFilesAccess.PrivateEndpoint && !is(ck.privateDnsZoneId) && ck.createPrivateDnsZone !== false) {
        w.push("checkpoints.privateDnsZoneId: with existingNetwork the environment creates its own privatelink.file.core.windows.net zone and links it to the VNet; " +
            "a VNet already linked to such a zone (hub network, another environment) refuses the link, and a VNet with custom DNS ignores it. " +
            "Set checkpoints.privateDnsZoneId to the existing zone, or checkpoints.createPrivateDnsZone false where your DNS resolves it");
    }
    return w;
}

export function validateAzureNodePool(a: any): Issue[] {
    const c = new Checker();
    c.required("clusterName", a.clusterName, "the AKS cluster name");
    c.required("resourceGroupName", a.resourceGroupName, "the cluster's resource group");
    checkPool(c, "", a, false);
    if (is(a.vnetSubnetId)) checkSubnetId(c, "vnetSubnetId", a.vnetSubnetId);
    if (known(a.orchestratorVersion) && (typeof a.orchestratorVersion !== "string" || !/^\d+\.\d+(\.\d+)?$/.test(a.orchestratorVersion))) {
        c.fail("orchestratorVersion", `must be a Kubernetes version such as "1.36" or "1.36.2"; got ${JSON.stringify(a.orchestratorVersion)}`);
    }
    checkAzureTags(c, "tags", a.tags);
    return c.issues;
}

export function validateAzureFilesCheckpointStore(a: any): Issue[] {
    const c = new Checker();
    c.required("resourceGroupName", a.resourceGroupName, "the resource group of the storage account");
    if (c.required("subnetId", a.subnetId, "the resource ID of the cluster's node subnet")) checkSubnetId(c, "subnetId", a.subnetId);
    if (known(a.location) && (typeof a.location !== "string" || !REGION.test(a.location))) c.fail("location", `must be an Azure region name such as "westeurope"; got ${JSON.stringify(a.location)}`);
    checkFiles(c, "", a);
    checkAzureTags(c, "tags", a.tags);
    return c.issues;
}
