// Azure component graphs under mocks: exact children, pools, taints and labels,
// Azure Files safety and reachability, identity grants, tags, and the
// dependencies that make `up` parallel (and free of AKS's 409s).
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AzureEnvironment } from "../../provider/azure/azureEnvironment";
import { AzureFilesCheckpointStore } from "../../provider/azure/azureFilesCheckpointStore";
import { AzureNodePool } from "../../provider/azure/azureNodePool";
import { AZURE_ROLES, stackSuffix, storageAccountName, storageAccountSuffix } from "../../provider/azure/render";
import { CLUSTER_IGNORED_CHANGES } from "../../provider/azure/cluster";
import { EnvironmentRef } from "../../provider/core/types";
import { VolleyProvider } from "../../provider/provider";
import { Graph, Registered, valueOf } from "./graph";
import { A, AZURE_MOCKS, SUBSCRIPTION, SUBSCRIPTION_ID, captureAzure } from "./azureMocks";
import { assertControlPlaneMonitorsOff } from "./charts";
import { azureEnvironmentGraph } from "./environmentGraphs";

/** The per-stack name suffix under mocks (project "project", stack "stack"). */
const S = stackSuffix("project", "stack", "dev");
const RG = `dev-${S}-rg`;
const RG_ID = `${SUBSCRIPTION}/resourceGroups/${RG}`;
const VNET_ID = `${RG_ID}/providers/Microsoft.Network/virtualNetworks/dev-${S}-vnet`;
const SUBNET_ID = `${VNET_ID}/subnets/nodes`;
const ACCOUNT = storageAccountName("devckpt", storageAccountSuffix(SUBSCRIPTION_ID, S));
const OTHER_SUBNET = `${SUBSCRIPTION}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aks`;
const plain = (v: any) => (pulumi.runtime.isRpcSecret(v) ? v.value : v);

const envGraph = azureEnvironmentGraph;

/** Whether `from` waits for `to`, directly, through other resources or through its provider. */
function waitsFor(g: Graph, from: Registered, to: Registered, seen = new Set<string>()): boolean {
    if (g.dependsOn(from, to)) return true;
    seen.add(from.urn);
    const deps = [...from.dependencies, ...(from.provider ? [from.provider.split("::").slice(0, -1).join("::")] : [])];
    return deps.some((u) => {
        const d = g.resources.find((r) => r.urn === u);
        return !!d && !seen.has(u) && waitsFor(g, d, to, seen);
    });
}

const azureChildren = (g: Graph) => g.resources.filter((r) => r.type.startsWith("azure-native:")).map((r) => `${r.type}::${r.name}`).sort();
/** Azure resource types that take tags. */
const TAGGABLE = [A.rg, A.vnet, A.identity, A.cluster, A.pool, A.account, A.pe, A.zone, A.link];

describe("AzureEnvironment: `new AzureEnvironment(name, { operator })` with only azure-native:location", () => {
    let g: Graph;
    let env: AzureEnvironment;
    before(async () => ({ g, env } = await envGraph({}, true)));

    it("turns kube-prometheus-stack's control-plane monitors and their alert groups off: AKS runs them as no scrapeable pods (#20.8)", () => {
        const chart = g.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "dev-prometheus-chart");
        assert.ok(chart, "no kube-prometheus-stack chart");
        assertControlPlaneMonitorsOff(chart!.inputs.values);
    });

    it("creates exactly its Azure children", () => {
        assert.deepStrictEqual(azureChildren(g), [
            `${A.rg}::dev-rg`, `${A.vnet}::dev-vnet`, `${A.subnet}::dev-nodes`,
            `${A.identity}::dev-aks-identity`, `${A.role}::dev-aks-network`,
            `${A.cluster}::dev-cluster`, `${A.pool}::dev-stream-pool`,
            `${A.account}::dev-ckpt-account`, `${A.share}::dev-ckpt-share`, `${A.pe}::dev-ckpt-pe`,
            `${A.zone}::dev-ckpt-dns`, `${A.link}::dev-ckpt-dns-link`, `${A.zoneGroup}::dev-ckpt-pe-dns`,
        ].sort());
        assert.deepStrictEqual(g.byType(A.k8s).map((p) => p.name).sort(), ["agg-k8s", "dev-k8s"]);
        assert.deepStrictEqual(g.resources.filter((r) => r.type.startsWith("volley:")).map((r) => r.name).sort(), [
            "agg", "agg-ckpt", "dev", "dev-ckpt", "dev-keda", "dev-operator", "dev-prometheus", "dev-stream",
        ]);
    });

    it("builds an AKS cluster with CNI overlay, OIDC issuer, workload identity and a user-assigned control-plane identity", () => {
        const c = g.one(A.cluster).inputs;
        assert.strictEqual(c.resourceName, `dev-${S}`);
        assert.strictEqual(c.resourceGroupName, RG);
        assert.strictEqual(c.location, "westeurope");
        assert.strictEqual(c.kubernetesVersion, "1.37");
        assert.deepStrictEqual(c.sku, { name: "Base", tier: "Standard" });
        assert.deepStrictEqual(c.identity, { type: "UserAssigned", userAssignedIdentities: [`${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dev-${S}-aks`] });
        assert.deepStrictEqual(c.networkProfile, {
            networkPlugin: "azure", networkPluginMode: "overlay", podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16", dnsServiceIP: "10.0.0.10",
            loadBalancerSku: "standard", outboundType: "loadBalancer",
        });
        assert.deepStrictEqual(c.oidcIssuerProfile, { enabled: true });
        assert.deepStrictEqual(c.securityProfile, { workloadIdentity: { enabled: true } });
        assert.strictEqual(c.disableLocalAccounts, false);
        assert.strictEqual(c.aadProfile, undefined);
        assert.strictEqual(c.apiServerAccessProfile, undefined);
        assert.deepStrictEqual(c.workloadAutoScalerProfile, { keda: { enabled: false } }, "the AKS KEDA add-on would fight the Helm chart");
        assert.deepStrictEqual(c.autoUpgradeProfile, { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
    });

    it("creates the System pool inline (2-3 nodes, labelled, untainted); the autoscaler owns its count", () => {
        const cluster = g.one(A.cluster);
        assert.deepStrictEqual(cluster.inputs.agentPoolProfiles, [{
            name: "system", mode: "System", type: "VirtualMachineScaleSets", osType: "Linux", vmSize: "Standard_D4ds_v5",
            count: 2, enableAutoScaling: true, minCount: 2, maxCount: 3, osDiskSizeGB: 128, osDiskType: "Managed",
            nodeLabels: { "volley.io/pool": "system" }, nodeTaints: [], upgradeSettings: { maxSurge: "1" }, vnetSubnetID: SUBNET_ID,
        }]);
        assert.deepStrictEqual(cluster.ignoreChanges, [...CLUSTER_IGNORED_CHANGES, "agentPoolProfiles[0].count"]);
        // No AgentPool of the same name: azure-native refuses to create a resource that already exists.
        assert.deepStrictEqual(g.byType(A.pool).map((p) => p.name), ["dev-stream-pool"]);
    });

    it("creates the stream pool as a User AgentPool with the label and the Kubernetes-spelled taint, after the system pool (no 409)", () => {
        const p = g.one(A.pool, "dev-stream-pool");
        assert.strictEqual(p.inputs.mode, "User");
        assert.strictEqual(p.inputs.agentPoolName, "stream");
        assert.strictEqual(p.inputs.vmSize, "Standard_D8ds_v5");
        assert.deepStrictEqual(p.inputs.nodeLabels, { "volley.io/pool": "stream-processing" });
        assert.deepStrictEqual(p.inputs.nodeTaints, ["volley.io/dedicated=true:NoSchedule"]);
        // The stream pool scales from zero (#23.2); AKS starts it with one node, which the autoscaler removes when idle.
        assert.deepStrictEqual([p.inputs.enableAutoScaling, p.inputs.minCount, p.inputs.maxCount, p.inputs.count], [true, 0, 10, 1]);
        assert.strictEqual(p.inputs.vnetSubnetID, SUBNET_ID);
        assert.strictEqual(p.inputs.scaleSetPriority, undefined);
        assert.ok(g.dependsOn(p, g.one(A.cluster)), "concurrent writes on one cluster fail with 409");
    });

    it("A8: grants the control-plane identity exactly Network Contributor on the node subnet, before the cluster; nothing on storage", () => {
        // Azure/terraform-azurerm-aks role_assignments.tf: Network Contributor "on the VNET subnets used by the system node pool and by any additional node pools".
        const grants = g.byType(A.role);
        assert.deepStrictEqual(grants.map((r) => [r.inputs.scope, r.inputs.roleDefinitionId]), [
            [SUBNET_ID, `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7`],
        ]);
        const net = grants[0];
        assert.strictEqual(net.inputs.principalType, "ServicePrincipal");
        assert.strictEqual(net.inputs.principalId, "11111111-2222-3333-4444-555555555555");
        assert.match(net.inputs.roleAssignmentName, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(AZURE_ROLES.networkContributor, "4d97b98b-1d4f-4787-a291-c67834d212e7");
        assert.ok(g.dependsOn(g.one(A.cluster), net), "the cluster joins the subnet with the grant in place");
    });

    it("creates a Premium FileStorage account for NFS: HTTPS-only off, no public access, every network denied, retained", () => {
        const a = g.one(A.account);
        assert.strictEqual(a.inputs.accountName, ACCOUNT);
        assert.strictEqual(a.inputs.kind, "FileStorage");
        assert.deepStrictEqual(a.inputs.sku, { name: "Premium_LRS" });
        assert.strictEqual(a.inputs.enableHttpsTrafficOnly, false);
        assert.strictEqual(a.inputs.publicNetworkAccess, "Disabled");
        assert.deepStrictEqual(a.inputs.networkRuleSet, { defaultAction: "Deny", bypass: "None", virtualNetworkRules: [] });
        assert.strictEqual(a.inputs.allowBlobPublicAccess, false);
        assert.strictEqual(a.inputs.minimumTlsVersion, "TLS1_2");
        assert.strictEqual(a.inputs.allowSharedKeyAccess, false, "A10: NFS needs no key");
        assert.deepStrictEqual(a.ignoreChanges, ["accountName", "sku"], "name and SKU never replace the account");
        assert.strictEqual(a.retainOnDelete, true);
        const s = g.one(A.share);
        assert.deepStrictEqual([s.inputs.shareName, s.inputs.enabledProtocols, s.inputs.shareQuota, s.inputs.rootSquash], ["checkpoints", "NFS", 1024, "NoRootSquash"]);
        assert.strictEqual(s.retainOnDelete, true);
        assert.strictEqual(g.one(A.rg).retainOnDelete, true, "deleting the group would delete the retained account");
        for (const t of [A.vnet, A.subnet, A.cluster, A.pool, A.pe, A.zone, A.link]) for (const r of g.byType(t)) assert.strictEqual(r.retainOnDelete, false, r.name);
    });

    it("reaches the account through a private endpoint in the node subnet, its DNS record in privatelink.file.core.windows.net linked to the VNet", () => {
        const pe = g.one(A.pe).inputs;
        assert.strictEqual(pe.subnet.id, SUBNET_ID);
        assert.deepStrictEqual(pe.privateLinkServiceConnections, [{ name: "file", groupIds: ["file"], privateLinkServiceId: `${RG_ID}/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}` }]);
        assert.strictEqual(g.one(A.zone).inputs.privateZoneName, "privatelink.file.core.windows.net");
        assert.strictEqual(g.one(A.zone).inputs.location, "Global");
        const link = g.one(A.link).inputs;
        assert.deepStrictEqual([link.virtualNetwork, link.registrationEnabled, link.privateZoneName], [{ id: VNET_ID }, false, "privatelink.file.core.windows.net"]);
        const group = g.one(A.zoneGroup).inputs;
        assert.deepStrictEqual(group.privateDnsZoneConfigs, [{ name: "file", privateDnsZoneId: `${RG_ID}/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net` }]);
        assert.strictEqual(group.privateEndpointName, `${ACCOUNT}-file-pe`);
        assert.strictEqual(g.one(A.subnet).inputs.serviceEndpoints, undefined);
    });

    it("runs storage, its private endpoint and DNS in parallel with the cluster and its identity", () => {
        const cluster = g.one(A.cluster), identity = g.one(A.identity);
        for (const t of [A.account, A.share, A.pe, A.zone, A.link, A.zoneGroup]) {
            const r = g.one(t);
            assert.ok(!waitsFor(g, r, cluster), `${r.name} waits for the cluster`);
            assert.ok(!waitsFor(g, r, identity), `${r.name} waits for the identity`);
        }
        // Only real dependencies: the zone does not wait for the account (the link takes the account's kept name).
        assert.ok(!waitsFor(g, g.one(A.zone), g.one(A.account)));
        assert.ok(waitsFor(g, g.one(A.zoneGroup), g.one(A.pe)));
    });

    it("installs the platform through one provider that waits for the System pool, not the stream pool or storage", () => {
        const provider = g.one(A.k8s, "dev-k8s");
        // The inline System pool's nodes exist once the cluster does.
        assert.ok(g.dependsOn(provider, g.one(A.cluster)));
        assert.ok(!waitsFor(g, provider, g.one(A.pool, "dev-stream-pool")));
        assert.ok(!waitsFor(g, provider, g.one(A.account)));
        assert.match(plain(provider.inputs.kubeconfig), /client-certificate-data/);
        assert.strictEqual(provider.inputs.deleteUnreachable, undefined);
        assert.strictEqual(g.byType(A.chart).length, 2);
        for (const chart of g.byType(A.chart)) {
            assert.ok(chart.provider.startsWith(provider.urn), `${chart.name} is not on dev-k8s`);
            assert.ok(!waitsFor(g, chart, g.one(A.pool, "dev-stream-pool")), `${chart.name} waits for the stream pool`);
            assert.deepStrictEqual(chart.inputs.values.prometheusOperator?.nodeSelector ?? chart.inputs.values.nodeSelector, { "volley.io/pool": "system" });
        }
    });

    it("tags every taggable resource with volley-io-environment (Azure refuses \"/\" in tag names)", () => {
        const tagged = g.resources.filter((r) => TAGGABLE.includes(r.type));
        assert.strictEqual(tagged.length, 9);
        for (const r of tagged) assert.deepStrictEqual(r.inputs.tags, { "volley-io-environment": "dev" }, `${r.type}::${r.name}`);
    });

    it("derives every name with the per-stack suffix", () => {
        assert.strictEqual(g.one(A.rg).inputs.resourceGroupName, RG);
        assert.strictEqual(g.one(A.vnet).inputs.virtualNetworkName, `dev-${S}-vnet`);
        assert.strictEqual(g.one(A.identity).inputs.resourceName, `dev-${S}-aks`);
        assert.strictEqual(g.one(A.cluster).inputs.dnsPrefix, `dev-${S}`);
    });

    it("outputs the environment with Azure Files NFS checkpoints, placements and the IDs people need", async () => {
        const ref: EnvironmentRef = await valueOf(env.environment);
        assert.deepStrictEqual(ref.checkpoints, {
            kind: "Nfs", nfsServer: `${ACCOUNT}.file.core.windows.net`, nfsPath: `/${ACCOUNT}/checkpoints`,
            mountOptions: ["nfsvers=4.1", "sec=sys", "nconnect=4", "noresvport", "actimeo=30"], uid: 1000, gid: 1000, directoryImage: "busybox:1.37.0", defaultSize: "50Gi",
            directoryNamespace: "volley-system-checkpoint-jobs",
        });
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        assert.deepStrictEqual(ref.systemPlacement, { nodeSelector: { "volley.io/pool": "system" }, tolerations: [] });
        assert.deepStrictEqual(await Promise.all([env.clusterName, env.resourceGroupName, env.vnetId, env.subnetId, env.systemNodePoolName,
            env.streamNodePoolName, env.storageAccountName, env.shareName].map(valueOf)),
        [`dev-${S}`, RG, VNET_ID, SUBNET_ID, "system", "stream", ACCOUNT, "checkpoints"]);
        assert.ok(await (env.kubeconfig as any).isSecret, "kubeconfig must be secret");
    });

    it("gives each distributed Application its own directory on the share: a Job creates it, a static NFS PV (Retain) mounts only it", () => {
        const pv = plain(g.one("kubernetes:core/v1:PersistentVolume").inputs.spec);
        assert.deepStrictEqual(pv.nfs, { server: `${ACCOUNT}.file.core.windows.net`, path: `/${ACCOUNT}/checkpoints/default/agg` });
        assert.deepStrictEqual(pv.mountOptions, ["nfsvers=4.1", "sec=sys", "nconnect=4", "noresvport", "actimeo=30"]);
        assert.deepStrictEqual(pv.accessModes, ["ReadWriteMany"]);
        assert.strictEqual(pv.persistentVolumeReclaimPolicy, "Retain");
        const pod = plain(g.one("kubernetes:batch/v1:Job").inputs.spec).template.spec;
        assert.deepStrictEqual(pod.volumes, [{ name: "export", nfs: { server: `${ACCOUNT}.file.core.windows.net`, path: `/${ACCOUNT}/checkpoints` } }]);
        assert.deepStrictEqual(pod.nodeSelector, { "volley.io/pool": "system" });
    });
});

describe("AzureEnvironment: system pool changes never replace the cluster (A3)", () => {
    it("in-place System pool changes (bounds, labels) update only the cluster's agentPoolProfiles", async () => {
        const { g: before } = await envGraph({});
        const { g: after } = await envGraph({ systemNodePool: { autoscaling: { minCount: 3, maxCount: 5 }, nodeLabels: { tier: "platform" } } });
        const c0 = before.one(A.cluster), c1 = after.one(A.cluster);
        const changed = Object.keys({ ...c0.inputs, ...c1.inputs }).filter((k) => JSON.stringify(c0.inputs[k]) !== JSON.stringify(c1.inputs[k]));
        assert.deepStrictEqual(changed, ["agentPoolProfiles"]);
        // The fields azure-native replaces a ManagedCluster for stay as they were.
        for (const k of ["resourceName", "resourceGroupName", "location", "dnsPrefix", "nodeResourceGroup"]) assert.deepStrictEqual(c1.inputs[k], c0.inputs[k], k);
        const [p0] = c0.inputs.agentPoolProfiles, [p1] = c1.inputs.agentPoolProfiles;
        const poolChanged = Object.keys({ ...p0, ...p1 }).filter((k) => JSON.stringify(p0[k]) !== JSON.stringify(p1[k])).sort();
        assert.deepStrictEqual(poolChanged, ["count", "maxCount", "minCount", "nodeLabels"]);
        assert.deepStrictEqual(p1.nodeLabels, { tier: "platform", "volley.io/pool": "system" });
    });

    it("never sends a create-only System pool field to AKS (vmSize, zones, maxPods, OS disk), nor a node resource group to an existing cluster", async () => {
        const { g } = await envGraph({});
        const ignored = g.one(A.cluster).ignoreChanges;
        for (const f of ["vmSize", "availabilityZones", "maxPods", "osDiskSizeGB", "osDiskType"]) assert.ok(ignored.includes(`agentPoolProfiles[0].${f}`), f);
        assert.ok(ignored.includes("nodeResourceGroup"));
        assert.ok(ignored.includes("agentPoolProfiles[0].count"), "the autoscaler's count is never reset");
    });

    it("stops the preview when the program changes a create-only field of the existing System pool, naming the field and the way out", async () => {
        // The cluster as AKS created it (the ignored fields keep their old values in Pulumi's view of it).
        const created = { ...AZURE_MOCKS, outputs: (a: pulumi.runtime.MockResourceArgs) => (a.type === A.cluster
            ? { name: a.inputs.resourceName, agentPoolProfiles: a.inputs.agentPoolProfiles.map((p: any) => ({ ...p, vmSize: "Standard_D4ds_v5" })) }
            : AZURE_MOCKS.outputs!(a)) };
        let env!: AzureEnvironment;
        await captureAzure(() => { env = new AzureEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ systemNodePool: { vmSize: "Standard_D8ds_v5" } }) }); }, created);
        await assert.rejects((env.systemNodePoolName as any).promise(), /systemNodePool\.vmSize: AKS cannot change it on an existing pool \(it is "Standard_D4ds_v5", the program asks for "Standard_D8ds_v5"\)\. Set it back/);
        let same!: AzureEnvironment;
        await captureAzure(() => { same = new AzureEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({}) }); }, created);
        assert.strictEqual(await valueOf(same.systemNodePoolName), "system");
    });

    it("a fixed count: Pulumi owns the count (no ignoreChanges on the pools)", async () => {
        const { g } = await envGraph({ systemNodePool: { count: 3 }, streamNodePool: { count: 4 } });
        const c = g.one(A.cluster), p = g.one(A.pool);
        assert.deepStrictEqual([c.ignoreChanges, p.ignoreChanges], [CLUSTER_IGNORED_CHANGES, []]);
        for (const x of [c.inputs.agentPoolProfiles[0], p.inputs]) {
            assert.strictEqual(x.enableAutoScaling, false);
            assert.strictEqual(x.minCount, undefined);
        }
        assert.deepStrictEqual([c.inputs.agentPoolProfiles[0].count, p.inputs.count], [3, 4]);
    });
});

describe("AzureEnvironment options", () => {
    it("service endpoint: Microsoft.Storage on the node subnet, a VNet rule on the account; no private endpoint or DNS", async () => {
        const { g, env } = await envGraph({ checkpoints: { access: "ServiceEndpoint" } });
        assert.deepStrictEqual(g.one(A.subnet).inputs.serviceEndpoints, [{ service: "Microsoft.Storage" }]);
        const a = g.one(A.account).inputs;
        assert.strictEqual(a.publicNetworkAccess, "Enabled");
        assert.deepStrictEqual(a.networkRuleSet, { defaultAction: "Deny", bypass: "None", virtualNetworkRules: [{ virtualNetworkResourceId: SUBNET_ID, action: "Allow" }] });
        assert.ok(g.dependsOn(g.one(A.account), g.one(A.subnet)), "the service endpoint exists before the account's VNet rule");
        for (const t of [A.pe, A.zone, A.link, A.zoneGroup]) assert.strictEqual(g.byType(t).length, 0, t);
        assert.strictEqual((await valueOf(env.environment)).checkpoints!.nfsServer, `${ACCOUNT}.file.core.windows.net`);
    });

    it("existing network: no VNet or subnet; pools, private endpoint, DNS link and grant use the given subnet and its VNet", async () => {
        const { g, env } = await envGraph({ existingNetwork: { subnetId: OTHER_SUBNET }, network: { podCidr: "192.168.0.0/16", serviceCidr: "172.16.0.0/16", dnsServiceIp: "172.16.0.10" } });
        assert.strictEqual(g.byType(A.vnet).length + g.byType(A.subnet).length, 0);
        const hub = OTHER_SUBNET.replace(/\/subnets\/aks$/, "");
        assert.strictEqual(g.one(A.cluster).inputs.agentPoolProfiles[0].vnetSubnetID, OTHER_SUBNET);
        assert.strictEqual(g.one(A.cluster).inputs.networkProfile.podCidr, "192.168.0.0/16");
        assert.strictEqual(g.one(A.pool, "dev-stream-pool").inputs.vnetSubnetID, OTHER_SUBNET);
        assert.strictEqual(g.one(A.pe).inputs.subnet.id, OTHER_SUBNET);
        assert.deepStrictEqual(g.one(A.link).inputs.virtualNetwork, { id: hub });
        assert.strictEqual(g.one(A.role, "dev-aks-network").inputs.scope, OTHER_SUBNET, "the subnet, not the (shared) VNet");
        assert.deepStrictEqual([await valueOf(env.vnetId), await valueOf(env.subnetId)], [hub, OTHER_SUBNET]);
    });

    it("existing resource group: none created; its region (looked up) for every resource", async () => {
        const { g, env } = await envGraph({ resourceGroupName: "platform" });
        assert.strictEqual(g.byType(A.rg).length, 0);
        assert.strictEqual(g.one(A.cluster).inputs.resourceGroupName, "platform");
        assert.strictEqual(g.one(A.cluster).inputs.location, "northeurope");
        assert.strictEqual(g.one(A.account).inputs.location, "northeurope");
        assert.strictEqual(await valueOf(env.resourceGroupName), "platform");
    });

    it("existing cluster by name and resource group: no cluster, identity or system pool; the stream pool goes into it", async () => {
        const { g, env } = await envGraph({ existingCluster: { name: "prod", resourceGroupName: "prod-rg", systemNodePoolName: "agentpool" }, existingNetwork: { subnetId: OTHER_SUBNET } });
        assert.deepStrictEqual(azureChildren(g), [
            `${A.rg}::dev-rg`, `${A.pool}::dev-stream-pool`, `${A.account}::dev-ckpt-account`, `${A.share}::dev-ckpt-share`,
            `${A.pe}::dev-ckpt-pe`, `${A.zone}::dev-ckpt-dns`, `${A.link}::dev-ckpt-dns-link`, `${A.zoneGroup}::dev-ckpt-pe-dns`,
        ].sort());
        const p = g.one(A.pool).inputs;
        assert.deepStrictEqual([p.resourceName, p.resourceGroupName, p.mode], ["prod", "prod-rg", "User"]);
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.systemPlacement.nodeSelector, { "kubernetes.azure.com/agentpool": "agentpool" });
        assert.match(ref.kubeconfig, /client-certificate-data/);
        assert.strictEqual(await valueOf(env.systemNodePoolName), "agentpool");
        assert.deepStrictEqual(g.one(A.k8s, "dev-k8s").dependencies, []);
    });

    it("existing cluster by kubeconfig only, without checkpoints: no Azure children but the group; the given kubeconfig", async () => {
        const { g, env } = await envGraph({ existingCluster: { kubeconfig: "apiVersion: v1\nkind: Config\n" }, checkpoints: { enabled: false } });
        assert.deepStrictEqual(azureChildren(g), [`${A.rg}::dev-rg`]);
        assert.strictEqual(g.one(A.rg).retainOnDelete, true, "a group the package created is never deleted by it (A2)");
        assert.strictEqual(plain(g.one(A.k8s, "dev-k8s").inputs.kubeconfig), "apiVersion: v1\nkind: Config\n");
        const ref = await valueOf(env.environment);
        assert.strictEqual(ref.checkpoints, undefined);
        assert.deepStrictEqual(ref.systemPlacement.nodeSelector, {});
        assert.strictEqual(await valueOf(env.streamNodePoolName), "");
    });

    it("Entra ID only: local accounts off, Azure RBAC with the admin groups, a kubelogin kubeconfig that logs in with the Azure CLI", async () => {
        const groups = ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"];
        const { g } = await envGraph({ cluster: { localAccounts: false, adminGroupObjectIds: groups, apiServerAuthorizedIpRanges: ["203.0.113.0/24"], tier: "Free", kubernetesVersion: "1.36.2" } });
        const c = g.one(A.cluster).inputs;
        assert.strictEqual(c.disableLocalAccounts, true);
        assert.deepStrictEqual(c.aadProfile, { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: groups });
        assert.deepStrictEqual(c.apiServerAccessProfile, { authorizedIPRanges: ["203.0.113.0/24"] });
        assert.deepStrictEqual(c.sku, { name: "Base", tier: "Free" });
        assert.strictEqual(c.kubernetesVersion, "1.36.2");
        assert.strictEqual(c.autoUpgradeProfile.upgradeChannel, "none", "a pinned patch is not upgraded under Pulumi");
        const kc = plain(g.one(A.k8s, "dev-k8s").inputs.kubeconfig);
        assert.match(kc, /command: kubelogin/);
        assert.match(kc, /- --login\n\s+- azurecli/);
        assert.doesNotMatch(kc, /devicecode/);
    });

    it("retainOnDelete false: account and share are deleted with the stack; the group is still retained", async () => {
        const { g } = await envGraph({ checkpoints: { retainOnDelete: false } });
        for (const t of [A.account, A.share]) assert.strictEqual(g.one(t).retainOnDelete, false, t);
        assert.strictEqual(g.one(A.rg).retainOnDelete, true);
    });

    it("Spot stream pool, custom shape and tags: Spot at any price, evicted VMs deleted; the placement tolerates AKS's Spot taint", async () => {
        const { g, env } = await envGraph({
            tags: { team: "data" },
            streamNodePool: { spot: true, vmSize: "Standard_F16s_v2", zones: ["1", "2"], osDiskType: "Ephemeral", osDiskSizeGb: 64, autoscaling: { minCount: 0, maxCount: 20 }, poolName: "stream2" },
            checkpoints: { sku: "Premium_ZRS", quotaGib: 2048, shareName: "ckpt", defaultClaimSize: "100Gi" },
        });
        const p = g.one(A.pool, "dev-stream-pool").inputs;
        assert.deepStrictEqual([p.scaleSetPriority, p.scaleSetEvictionPolicy, p.spotMaxPrice], ["Spot", "Delete", -1]);
        assert.deepStrictEqual([p.vmSize, p.availabilityZones, p.osDiskType, p.osDiskSizeGB, p.minCount, p.maxCount, p.count, p.agentPoolName],
            ["Standard_F16s_v2", ["1", "2"], "Ephemeral", 64, 0, 20, 1, "stream2"]);
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.streamPlacement.tolerations, [
            { key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" },
            { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" },
        ]);
        assert.deepStrictEqual([g.one(A.account).inputs.sku, g.one(A.share).inputs.shareQuota, g.one(A.share).inputs.shareName], [{ name: "Premium_ZRS" }, 2048, "ckpt"]);
        assert.strictEqual(ref.checkpoints!.defaultSize, "100Gi");
        for (const r of g.resources.filter((x) => TAGGABLE.includes(x.type))) assert.deepStrictEqual(r.inputs.tags, { "volley-io-environment": "dev", team: "data" }, r.name);
    });
});

describe("AzureNodePool and AzureFilesCheckpointStore", () => {
    it("AzureNodePool derives a valid pool name, defaults to the autoscaler, and places pods by its labels or AKS's pool label", async () => {
        let pool!: AzureNodePool;
        const g = await captureAzure(() => {
            pool = new AzureNodePool("gpu-workers-east", { clusterName: "prod", resourceGroupName: "prod-rg", taints: [{ key: "gpu", effect: "NoExecute" }] });
        });
        const p = g.one(A.pool);
        assert.strictEqual(p.inputs.agentPoolName, "gpuworkersea");
        assert.deepStrictEqual(p.inputs.nodeTaints, ["gpu:NoExecute"]);
        assert.deepStrictEqual(p.ignoreChanges, ["count"]);
        assert.deepStrictEqual(p.inputs.tags, { "volley-io-environment": "gpu-workers-east" });
        assert.deepStrictEqual(await valueOf(pool.placement), {
            nodeSelector: { "kubernetes.azure.com/agentpool": "gpuworkersea" }, tolerations: [{ key: "gpu", operator: "Exists", effect: "NoExecute" }],
        });
    });

    it("AzureFilesCheckpointStore with a hub's Private DNS zone: no zone or link of its own; retention opt-out", async () => {
        const zone = `${SUBSCRIPTION}/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net`;
        let store!: AzureFilesCheckpointStore;
        const g = await captureAzure(() => {
            store = new AzureFilesCheckpointStore("ck", { resourceGroupName: "rg1", subnetId: OTHER_SUBNET, privateDnsZoneId: zone, retainOnDelete: false, storageAccountName: "volleyckpt01" });
        });
        assert.deepStrictEqual(azureChildren(g), [`${A.account}::ck-account`, `${A.share}::ck-share`, `${A.pe}::ck-pe`, `${A.zoneGroup}::ck-pe-dns`].sort());
        assert.strictEqual(g.one(A.zoneGroup).inputs.privateDnsZoneConfigs[0].privateDnsZoneId, zone);
        assert.strictEqual(g.one(A.account).retainOnDelete, false);
        assert.strictEqual(await valueOf(store.volumeHandle), "rg1#volleyckpt01#checkpoints");
        assert.strictEqual(await valueOf(store.exportPath), "/volleyckpt01/checkpoints");
    });
});

describe("VolleyProvider.construct with Azure tokens", () => {
    const provider = new VolleyProvider("0.1.0", JSON.stringify({ resources: {} }));

    it("rejects bad AzureEnvironment input with every issue and creates nothing", async () => {
        let err: any;
        const g = await captureAzure(() => {
            provider.construct("bad", "volley:index:AzureEnvironment", {
                systemNodePool: { vmSize: "Standard_B4ms", count: 1 }, streamNodePool: { poolName: "Stream-Pool", taints: [{ key: "k", effect: "NO_SCHEDULE" }] },
                checkpoints: { quotaGib: 50, enableHttpsTrafficOnly: true },
            }, {}).catch((e) => { err = e; });
        });
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        assert.deepStrictEqual(err.errors.map((e: any) => e.propertyPath).sort(), [
            "checkpoints.enableHttpsTrafficOnly", "checkpoints.quotaGib", "operator.image", "streamNodePool.poolName", "streamNodePool.taints[0].effect",
            "systemNodePool.count", "systemNodePool.vmSize",
        ]);
        assert.deepStrictEqual(g.resources, []);
    });

    it("constructs AzureEnvironment, AzureNodePool and AzureFilesCheckpointStore by token, with Output inputs", async () => {
        const urns: string[] = [];
        const g = await captureAzure(() => {
            const done = (r: any) => urns.push(r.urn);
            provider.construct("dev", "volley:index:AzureEnvironment", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, checkpoints: { quotaGib: pulumi.output(512) }, keda: { enabled: false } }, {}).then(done);
            provider.construct("pool", "volley:index:AzureNodePool", { clusterName: "prod", resourceGroupName: "rg" }, {}).then(done);
            provider.construct("ck", "volley:index:AzureFilesCheckpointStore", { resourceGroupName: "rg", subnetId: OTHER_SUBNET }, {}).then(done);
        });
        assert.strictEqual(urns.length, 3);
        assert.strictEqual(g.byType(A.share).find((r) => r.name === "dev-ckpt-share")!.inputs.shareQuota, 512);
        assert.strictEqual(g.byType("volley:index:Keda").length, 0);
        assert.strictEqual(g.byType(A.pool).find((r) => r.name === "pool-pool")!.inputs.agentPoolName, "pool");
    });
});

void AZURE_MOCKS;
