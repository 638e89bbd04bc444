// The AKS cluster: a new one (Azure CNI overlay, OIDC issuer and workload
// identity, a user-assigned control-plane identity, the System pool inline)
// or an existing one by name and resource group, or by kubeconfig.
import * as pulumi from "@pulumi/pulumi";
import * as containerservice from "@pulumi/azure-native/containerservice";
import { AKS_CREATE_ONLY_POOL_FIELDS, AZURE_DEFAULTS, DEFAULT_KUBERNETES_VERSION, PoolSettings, aksKubeconfig, aksPoolProfile, dnsPrefixFrom, systemPoolChangeIssue } from "./render";
import { ResourceGroupRefs } from "./network";

export interface ClusterRefs {
    name: pulumi.Output<string>;
    resourceGroupName: pulumi.Output<string>;
    /** Kubeconfig (secret). */
    kubeconfig: pulumi.Output<string>;
    /** The resource the stream pool's writes must follow (AKS answers 409 to concurrent writes on a cluster and its pools). */
    lastWrite?: pulumi.Resource;
    /** Name of the inline System pool of a new cluster. */
    systemPoolName?: pulumi.Output<string>;
    /** What the platform waits for: the new cluster, whose inline System pool's nodes exist once it does. */
    systemNodesReady?: pulumi.Resource;
    /** Kubernetes version of a new cluster, known once the cluster has taken it (the stream pool follows it). */
    version?: pulumi.Output<string>;
}

export interface NewClusterSpec {
    clusterName: pulumi.Input<string>;
    /** Resource group AKS creates for the nodes (set at creation only). */
    nodeResourceGroup: pulumi.Input<string>;
    rg: ResourceGroupRefs;
    subnetId: pulumi.Input<string>;
    identityId: pulumi.Input<string>;
    /** Role assignments the control plane needs before it first touches the VNet. */
    grants: pulumi.Resource[];
    /** Resolved-or-Input cluster settings and address ranges. */
    settings: pulumi.Output<any>;
    cidrs: pulumi.Output<any>;
    systemPoolName: pulumi.Input<string>;
    systemPool: pulumi.Output<PoolSettings>;
    /** Whether Pulumi owns the system pool's node count (a fixed count), else the autoscaler does. Plain. */
    systemFixedCount: boolean;
    /** Keep local accounts (plain: it decides the kubeconfig's form). */
    localAccounts: boolean;
    tags: pulumi.Input<Record<string, string>>;
}

const SYSTEM_DEFAULTS = { vmSize: AZURE_DEFAULTS.systemVmSize, min: AZURE_DEFAULTS.systemMinCount, max: AZURE_DEFAULTS.systemMaxCount };

/**
 * Cluster properties the package never changes after creation: the System pool's create-only fields (AKS
 * refuses the PUT; the preview stops with the reason instead) and the node resource group (force-new: a
 * cluster created before it was set keeps AKS's MC_ group rather than being replaced).
 */
export const CLUSTER_IGNORED_CHANGES = [
    ...AKS_CREATE_ONLY_POOL_FIELDS.filter((f) => f.aks !== "scaleSetPriority").map((f) => `agentPoolProfiles[0].${f.aks}`),
    "nodeResourceGroup",
];

/** User credentials of a cluster: client certificate, or kubelogin (`exec`) for an Entra-only cluster. */
export function userKubeconfig(parent: pulumi.Resource, rg: pulumi.Input<string>, cluster: pulumi.Input<string>, entraOnly: boolean,
    login: pulumi.Input<string | undefined>): pulumi.Output<string> {
    const creds = containerservice.listManagedClusterUserCredentialsOutput({
        resourceGroupName: rg, resourceName: cluster, format: entraOnly ? "exec" : undefined,
    }, { parent });
    return pulumi.secret(pulumi.all([creds.kubeconfigs, login]).apply(([k, l]) =>
        aksKubeconfig(k?.[0]?.value ?? "", entraOnly ? (l ?? "azurecli") : undefined)));
}

export function newCluster(parent: pulumi.Resource, name: string, s: NewClusterSpec): ClusterRefs {
    const cfg = s.settings;
    const pool = (mode: "System") => pulumi.all([s.systemPool, s.systemPoolName, s.subnetId]).apply(([p, n, subnet]) =>
        ({ name: n, ...aksPoolProfile(p, mode, SYSTEM_DEFAULTS), vnetSubnetID: subnet }));
    const version = cfg.apply((c) => c.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    const cluster = new containerservice.ManagedCluster(`${name}-cluster`, {
        resourceName: s.clusterName,
        resourceGroupName: s.rg.name,
        location: s.rg.location,
        dnsPrefix: pulumi.output(s.clusterName).apply(dnsPrefixFrom),
        nodeResourceGroup: s.nodeResourceGroup,
        kubernetesVersion: version,
        sku: { name: "Base", tier: cfg.apply((c) => c.tier ?? AZURE_DEFAULTS.tier) },
        identity: { type: "UserAssigned", userAssignedIdentities: [s.identityId] },
        // AKS needs one System pool to create a cluster. It stays inline: an AgentPool resource of the same
        // name cannot adopt it (azure-native refuses to create a resource that already exists).
        agentPoolProfiles: [pool("System")],
        networkProfile: {
            // Set explicitly: AKS's default plugin has changed between API versions.
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            podCidr: s.cidrs.apply((c) => c.podCidr ?? AZURE_DEFAULTS.podCidr),
            serviceCidr: s.cidrs.apply((c) => c.serviceCidr ?? AZURE_DEFAULTS.serviceCidr),
            dnsServiceIP: s.cidrs.apply((c) => c.dnsServiceIp ?? AZURE_DEFAULTS.dnsServiceIp),
            loadBalancerSku: "standard",
            outboundType: "loadBalancer",
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        enableRBAC: true,
        disableLocalAccounts: !s.localAccounts,
        aadProfile: s.localAccounts ? undefined : { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: cfg.apply((c) => c.adminGroupObjectIds ?? []) },
        apiServerAccessProfile: cfg.apply((c) => (c.apiServerAuthorizedIpRanges?.length ? { authorizedIPRanges: c.apiServerAuthorizedIpRanges } : undefined)),
        // A minor version follows its patches; a pinned patch stays put (AKS cannot downgrade what it upgraded).
        autoUpgradeProfile: version.apply((v) => ({ upgradeChannel: /^\d+\.\d+$/.test(v) ? "patch" : "none", nodeOSUpgradeChannel: "NodeImage" })),
        storageProfile: { fileCSIDriver: { enabled: true } },
        // KEDA comes from its Helm chart on every cloud; the add-on would fight it over the external metrics API.
        workloadAutoScalerProfile: { keda: { enabled: false } },
        tags: s.tags,
    }, {
        parent,
        dependsOn: s.grants,
        // The System pool's count, bounds, labels and upgrade settings update in place (AKS puts every pool in
        // Scaling while it applies them, pulumi-azure-native#4264); its create-only fields never reach AKS.
        // Under the autoscaler the count is AKS's: Pulumi would otherwise reset it on every update.
        ignoreChanges: [...CLUSTER_IGNORED_CHANGES, ...(s.systemFixedCount ? [] : ["agentPoolProfiles[0].count"])],
    });
    // With those fields ignored, the cluster reports what it was created with: a difference from what the
    // program asks for is a create-only change, which stops here (at preview) with the field and the way out.
    const systemPoolName = pulumi.all([cluster.agentPoolProfiles, pool("System"), s.systemPoolName]).apply(([actual, wanted, n]) => {
        const issue = systemPoolChangeIssue(actual?.[0] as any, wanted);
        if (issue) throw new Error(issue);
        return n;
    });
    return {
        name: cluster.name,
        resourceGroupName: s.rg.name,
        kubeconfig: userKubeconfig(parent, s.rg.name, cluster.name, !s.localAccounts, cfg.apply((c) => c.kubeloginMode)),
        lastWrite: cluster,
        systemPoolName,
        systemNodesReady: cluster,
        version: pulumi.all([cluster.kubernetesVersion, version]).apply(([v, w]) => (v ?? w) as string),
    };
}

/** The AgentPool fields of a rendered profile (everything but its name). */
export function poolArgs(p: pulumi.Output<any>) {
    const f = (k: string) => p.apply((x) => x[k]);
    return {
        mode: f("mode"), type: f("type"), osType: f("osType"), vmSize: f("vmSize"), count: f("count"),
        enableAutoScaling: f("enableAutoScaling"), minCount: f("minCount"), maxCount: f("maxCount"),
        osDiskSizeGB: f("osDiskSizeGB"), osDiskType: f("osDiskType"), availabilityZones: f("availabilityZones"), maxPods: f("maxPods"),
        nodeLabels: f("nodeLabels"), nodeTaints: f("nodeTaints"), scaleSetPriority: f("scaleSetPriority"),
        scaleSetEvictionPolicy: f("scaleSetEvictionPolicy"), spotMaxPrice: f("spotMaxPrice"), upgradeSettings: f("upgradeSettings"),
        vnetSubnetID: f("vnetSubnetID"),
    };
}

/** An existing cluster, read (not managed): by name and resource group, by kubeconfig, or both (the kubeconfig wins). */
export function existingCluster(parent: pulumi.Resource, e: pulumi.Output<any>, hasKubeconfig: boolean): ClusterRefs {
    const name: pulumi.Output<string> = e.apply((x) => (x.name ?? "") as string);
    const rg: pulumi.Output<string> = e.apply((x) => (x.resourceGroupName ?? "") as string);
    return {
        name,
        resourceGroupName: rg,
        kubeconfig: hasKubeconfig ? pulumi.secret(e.apply((x) => x.kubeconfig as string)) : userKubeconfig(parent, rg, name, false, undefined),
    };
}
