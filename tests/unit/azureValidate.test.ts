// Azure render and validation tables: the AKS version table, pool names and
// taints, share sizes, CIDRs, role IDs, the kubeconfig; every bad input
// rejected at preview with its property path.
import * as assert from "assert";
import {
    AKS_VERSIONS, DEFAULT_KUBERNETES_VERSION, aksKubeconfig, aksScaling, aksTaints, azureFilesVolumeHandle, azureResourceNames, fileHost,
    isBSeries, kubernetesVersionIssue, poolNameFrom, POOL_NAME, roleDefinitionId, shareQuotaIssue, stableGuid, storageAccountName, STORAGE_ACCOUNT_NAME,
} from "../../provider/azure/render";
import { cidrContains, cidrsOverlap } from "../../provider/core/cidr";
import { UNKNOWN } from "../../provider/core/validate";
import { validateAzureEnvironment, validateAzureFilesCheckpointStore, validateAzureNodePool } from "../../provider/azure/validate";
import { aksKubeconfigText } from "./azureMocks";

const SUBNET = "/subscriptions/s1/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aks";

describe("Azure render", () => {
    it("AKS versions: a table with support dates; the default is the newest supported minor; unsupported ones are named", () => {
        assert.ok(AKS_VERSIONS.every((v) => /^\d+\.\d+$/.test(v.minor) && /^\d{4}-\d{2}$/.test(v.ga) && /^\d{4}-\d{2}$/.test(v.endOfLife) && v.ga < v.endOfLife));
        assert.strictEqual(DEFAULT_KUBERNETES_VERSION, "1.37");
        assert.strictEqual(kubernetesVersionIssue("1.36"), undefined);
        assert.strictEqual(kubernetesVersionIssue("1.37.3"), undefined);
        assert.match(kubernetesVersionIssue("1.34")!, /left AKS standard support in 2026-11/);
        assert.match(kubernetesVersionIssue("1.29.4")!, /AKS does not offer 1.29; supported: 1.35, 1.36, 1.37/);
        assert.match(kubernetesVersionIssue("v1.36")!, /must be a Kubernetes version/);
    });

    it("pool names: derived to fit ^[a-z][a-z0-9]{0,11}$ from any component name", () => {
        for (const [base, want] of [["stream", "stream"], ["gpu-workers-east", "gpuworkersea"], ["9lives", "p9lives"], ["My_Pool", "mypool"]]) {
            assert.strictEqual(poolNameFrom(base), want);
            assert.match(poolNameFrom(base), POOL_NAME);
        }
    });

    it("taints in Kubernetes spelling as AKS takes them", () => {
        assert.deepStrictEqual(aksTaints([{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }, { key: "gpu", effect: "NoExecute" }]),
            ["volley.io/dedicated=true:NoSchedule", "gpu:NoExecute"]);
    });

    it("scaling: the autoscaler still sends an initial count (azure-native#2943); a fixed count turns it off", () => {
        assert.deepStrictEqual(aksScaling({}, { min: 0, max: 5 }), { count: 1, enableAutoScaling: true, minCount: 0, maxCount: 5 });
        assert.deepStrictEqual(aksScaling({ count: 3 }, { min: 1, max: 5 }), { count: 3, enableAutoScaling: false, minCount: undefined, maxCount: undefined });
    });

    it("B-series detection, share sizes per SKU, volume handle, file host", () => {
        assert.ok(isBSeries("Standard_B4ms") && isBSeries("standard_b2s") && !isBSeries("Standard_D4ds_v5"));
        assert.strictEqual(shareQuotaIssue("Premium_LRS", 100), undefined);
        assert.match(shareQuotaIssue("Premium_ZRS", 99)!, /Premium_ZRS NFS shares \(provisioned v1\) are 100-102400 GiB; got 99/);
        assert.strictEqual(azureFilesVolumeHandle("rg", "acct", "share", "default-agg"), "rg#acct#share#default-agg");
        assert.strictEqual(fileHost("acct", "https://acct.file.core.usgovcloudapi.net/"), "acct.file.core.usgovcloudapi.net");
        assert.strictEqual(fileHost("acct"), "acct.file.core.windows.net");
    });

    it("names: per-stack suffix, storage account within 24 lower-case letters and digits", () => {
        const n = azureResourceNames("Data-Platform_prod", "a1b2c3");
        assert.deepStrictEqual([n.resourceGroup, n.cluster, n.storageAccount], ["Data-Platform-prod-a1b2c3-rg", "Data-Platform-prod-a1b2c3", "dataplatformprodcka1b2c3"]);
        assert.match(storageAccountName("a-very-long-environment-name-indeed", "a1b2c3"), STORAGE_ACCOUNT_NAME);
        assert.strictEqual(storageAccountName("a-very-long-environment-name-indeed", "a1b2c3").length, 24);
    });

    it("role definition IDs in the scope's subscription; deterministic GUID names", () => {
        assert.strictEqual(roleDefinitionId(SUBNET, "abc"), "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/abc");
        assert.strictEqual(stableGuid(["p", "s", "x"]), stableGuid(["p", "s", "x"]));
        assert.notStrictEqual(stableGuid(["p", "s", "x"]), stableGuid(["p", "s2", "x"]));
        assert.match(stableGuid(["a"]), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("kubeconfig: decoded; for Entra ID clusters kubelogin logs in without a person (devicecode replaced)", () => {
        const b64 = (s: string) => Buffer.from(s).toString("base64");
        assert.strictEqual(aksKubeconfig(b64(aksKubeconfigText(false))), aksKubeconfigText(false));
        const kc = aksKubeconfig(b64(aksKubeconfigText(true)), "workloadidentity");
        assert.match(kc, /- --login\n\s+- workloadidentity\n/);
        assert.doesNotMatch(kc, /devicecode/);
    });

    it("CIDR containment and overlap", () => {
        assert.ok(cidrContains("10.224.0.0/12", "10.224.0.0/16") && !cidrContains("10.224.0.0/12", "10.240.0.0/16"));
        assert.ok(cidrContains("10.0.0.0/16", "10.0.0.10") && !cidrContains("10.0.0.0/16", "10.1.0.10"));
        assert.ok(!cidrsOverlap("10.224.0.0/12", "10.244.0.0/16") && cidrsOverlap("10.224.0.0/12", "10.230.0.0/16"));
    });
});

describe("AzureEnvironment validation", () => {
    it("accepts `{}` (only azure-native:location configured) and a full valid configuration", () => {
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({}) }), []);
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({
            location: "westeurope", tags: { team: "data" }, nameSuffix: "prod1",
            network: { vnetCidr: "10.10.0.0/16", nodeSubnetCidr: "10.10.0.0/20", podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.0.0.10" },
            cluster: { kubernetesVersion: "1.36", tier: "Free", localAccounts: false, adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"], apiServerAuthorizedIpRanges: ["203.0.113.7"] },
            systemNodePool: { vmSize: "Standard_D4ds_v5", autoscaling: { minCount: 2, maxCount: 4 }, zones: ["1", "2", "3"] },
            streamNodePool: { spot: true, count: 3, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }] },
            checkpoints: { sku: "Premium_ZRS", quotaGib: 100, access: "ServiceEndpoint", retainOnDelete: false },
        }) }), []);
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ existingCluster: { name: "prod", resourceGroupName: "rg" }, existingNetwork: { subnetId: SUBNET } }) }), []);
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ existingCluster: { kubeconfig: "x" }, checkpoints: { enabled: false } }) }), []);
        // Values not known at preview are checked when they are.
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ cluster: { kubernetesVersion: UNKNOWN }, checkpoints: { quotaGib: UNKNOWN, sku: UNKNOWN } }) }), []);
    });

    // Each bad input, and the property path it is reported at.
    const bad: [what: string, args: any, path: string, reason: RegExp][] = [
        ["pool name pattern", { streamNodePool: { poolName: "stream-pool" } }, "streamNodePool.poolName", /lower-case letter/],
        ["pool name too long", { systemNodePool: { poolName: "systempoolxyz1" } }, "systemNodePool.poolName", /at most 12/],
        ["system pool of one node", { systemNodePool: { count: 1 } }, "systemNodePool.count", /from 2 to 1000/],
        ["system autoscaler below two", { systemNodePool: { autoscaling: { minCount: 1 } } }, "systemNodePool.autoscaling.minCount", /from 2/],
        ["B-series for system", { systemNodePool: { vmSize: "Standard_B4ms" } }, "systemNodePool.vmSize", /B-series/],
        ["Spot for system", { systemNodePool: { spot: true } }, "systemNodePool.spot", /Spot/],
        ["taints on the system pool", { systemNodePool: { taints: [{ key: "a", effect: "NoSchedule" }] } }, "systemNodePool.taints", /CriticalAddonsOnly/],
        ["taint effect in another spelling", { streamNodePool: { taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] } }, "streamNodePool.taints[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
        ["autoscaler min > max", { streamNodePool: { autoscaling: { minCount: 5, maxCount: 2 } } }, "streamNodePool.autoscaling.minCount", /<= autoscaling.maxCount \(2\)/],
        ["autoscaler min above the default max", { streamNodePool: { autoscaling: { minCount: 12 } } }, "streamNodePool.autoscaling.minCount", /<= autoscaling.maxCount \(10\)/],
        ["count and autoscaling", { streamNodePool: { count: 2, autoscaling: { maxCount: 4 } } }, "streamNodePool.count", /either count/],
        ["count not known at preview", { streamNodePool: { count: UNKNOWN } }, "streamNodePool.count", /known at preview/],
        ["VM size", { streamNodePool: { vmSize: "D8s" } }, "streamNodePool.vmSize", /Azure VM size/],
        ["zone", { streamNodePool: { zones: ["4"] } }, "streamNodePool.zones[0]", /1, 2, 3/],
        ["OS disk type", { streamNodePool: { osDiskType: "Premium" } }, "streamNodePool.osDiskType", /Managed, Ephemeral/],
        ["same pool names", { systemNodePool: { poolName: "pool" }, streamNodePool: { poolName: "pool" } }, "streamNodePool.poolName", /must differ/],
        ["share size below the tier minimum", { checkpoints: { quotaGib: 50 } }, "checkpoints.quotaGib", /100-102400 GiB; got 50/],
        ["share size below the chosen SKU's minimum", { checkpoints: { sku: "Premium_ZRS", quotaGib: 99 } }, "checkpoints.quotaGib", /Premium_ZRS/],
        ["standard SKU (no NFS)", { checkpoints: { sku: "Standard_LRS" } }, "checkpoints.sku", /Premium_LRS, Premium_ZRS/],
        ["HTTPS-only with NFS", { checkpoints: { enableHttpsTrafficOnly: true } }, "checkpoints.enableHttpsTrafficOnly", /must be false/],
        ["share name", { checkpoints: { shareName: "Check_Points" } }, "checkpoints.shareName", /lower-case/],
        ["storage account name", { checkpoints: { storageAccountName: "volley-ckpt" } }, "checkpoints.storageAccountName", /3-24/],
        ["unknown access", { checkpoints: { access: "Public" } }, "checkpoints.access", /PrivateEndpoint, ServiceEndpoint/],
        ["DNS zone with service endpoint", { checkpoints: { access: "ServiceEndpoint", privateDnsZoneId: "/subscriptions/s/resourceGroups/h/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net" } }, "checkpoints.privateDnsZoneId", /only with access PrivateEndpoint/],
        ["DNS zone of another service", { checkpoints: { privateDnsZoneId: "/subscriptions/s/resourceGroups/h/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net" } }, "checkpoints.privateDnsZoneId", /privatelink.file.core.windows.net/],
        ["retainOnDelete not plain", { checkpoints: { retainOnDelete: UNKNOWN } }, "checkpoints.retainOnDelete", /plain boolean/],
        ["CIDR overlap between VNet and pod CIDR", { network: { podCidr: "10.230.0.0/16" } }, "network.podCidr", /overlaps network.vnetCidr/],
        ["service CIDR inside the VNet", { network: { vnetCidr: "10.0.0.0/8", nodeSubnetCidr: "10.1.0.0/16", podCidr: "192.168.0.0/16", serviceCidr: "10.2.0.0/16", dnsServiceIp: "10.2.0.10" } }, "network.serviceCidr", /overlaps network.vnetCidr/],
        ["service CIDR over the pods", { network: { podCidr: "172.16.0.0/12", serviceCidr: "172.20.0.0/16", dnsServiceIp: "172.20.0.10" } }, "network.serviceCidr", /overlaps network.podCidr/],
        ["subnet outside the VNet", { network: { nodeSubnetCidr: "10.100.0.0/16" } }, "network.nodeSubnetCidr", /inside network.vnetCidr/],
        ["DNS IP outside the services", { network: { dnsServiceIp: "10.1.0.10" } }, "network.dnsServiceIp", /inside network.serviceCidr/],
        ["service CIDR without a DNS IP", { network: { serviceCidr: "172.20.0.0/16" } }, "network.dnsServiceIp", /required with network.serviceCidr/],
        ["malformed CIDR", { network: { vnetCidr: "10.224.0.1/12" } }, "network.vnetCidr", /network address/],
        ["unsupported Kubernetes version", { cluster: { kubernetesVersion: "1.29" } }, "cluster.kubernetesVersion", /does not offer 1.29/],
        ["Kubernetes version past its support", { cluster: { kubernetesVersion: "1.34.1" } }, "cluster.kubernetesVersion", /left AKS standard support/],
        ["tier", { cluster: { tier: "Premium" } }, "cluster.tier", /Free, Standard/],
        ["Entra only without admin groups", { cluster: { localAccounts: false } }, "cluster.adminGroupObjectIds", /required with localAccounts false/],
        ["admin groups with local accounts", { cluster: { localAccounts: true, adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"] } }, "cluster.adminGroupObjectIds", /only with localAccounts false/],
        ["kubelogin mode", { cluster: { kubeloginMode: "interactive" } }, "cluster.kubeloginMode", /azurecli/],
        ["API server range open to all", { cluster: { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] } }, "cluster.apiServerAuthorizedIpRanges[0]", /must not be 0.0.0.0\/0/],
        ["API server range malformed", { cluster: { apiServerAuthorizedIpRanges: ["my-office"] } }, "cluster.apiServerAuthorizedIpRanges[0]", /IPv4/],
        ["cluster name", { cluster: { name: "-dev" } }, "cluster.name", /1-63/],
        ["existing cluster with cluster settings", { existingCluster: { kubeconfig: "x" }, cluster: { tier: "Free" }, checkpoints: { enabled: false } }, "cluster", /omitted with existingCluster/],
        ["existing cluster name without group", { existingCluster: { name: "prod" }, checkpoints: { enabled: false } }, "existingCluster.resourceGroupName", /go together/],
        ["existing cluster with nothing", { existingCluster: {}, checkpoints: { enabled: false } }, "existingCluster", /name and resourceGroupName, or kubeconfig/],
        ["checkpoints on an existing cluster without the subnet", { existingCluster: { kubeconfig: "x" } }, "checkpoints", /existingNetwork.subnetId/],
        ["existing subnet ID", { existingNetwork: { subnetId: "aks-subnet" } }, "existingNetwork.subnetId", /subnet resource ID/],
        ["VNet ranges with an existing network", { existingNetwork: { subnetId: SUBNET }, network: { vnetCidr: "10.0.0.0/8" } }, "network", /omitted with existingNetwork/],
        ["resource group not plain", { resourceGroupName: UNKNOWN }, "resourceGroupName", /not known at preview/],
        ["location", { location: "West Europe" }, "location", /region name/],
        ["tag with a slash", { tags: { "team/owner": "data" } }, "tags.team/owner", /none of/],
        ["name suffix", { nameSuffix: "Prod-1" }, "nameSuffix", /1-8 lower-case/],
    ];
    for (const [what, args, p, reason] of bad) {
        it(`rejects ${what} at ${p}`, () => {
            const issues = validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(args) });
            const hit = issues.find((i) => i.propertyPath === p);
            assert.ok(hit, `no issue at ${p}; got ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }

    it("reports every problem at once", () => {
        const issues = validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ systemNodePool: { count: 1, vmSize: "Standard_B2s" }, checkpoints: { quotaGib: 10 }, cluster: { kubernetesVersion: "1.20" } }) });
        assert.deepStrictEqual(issues.map((i) => i.propertyPath).sort(), ["checkpoints.quotaGib", "cluster.kubernetesVersion", "systemNodePool.count", "systemNodePool.vmSize"]);
    });
});

describe("AzureNodePool and AzureFilesCheckpointStore validation", () => {
    it("AzureNodePool: cluster and group required; pool rules apply", () => {
        assert.deepStrictEqual(validateAzureNodePool({ clusterName: "c", resourceGroupName: "g" }), []);
        assert.deepStrictEqual(validateAzureNodePool({ poolName: "Bad", taints: [{ key: "k", effect: "Never" }], vnetSubnetId: "x" }).map((i) => i.propertyPath).sort(),
            ["clusterName", "poolName", "resourceGroupName", "taints[0].effect", "vnetSubnetId"]);
    });

    it("AzureFilesCheckpointStore: group and subnet required; NFS rules apply", () => {
        assert.deepStrictEqual(validateAzureFilesCheckpointStore({ resourceGroupName: "g", subnetId: SUBNET }), []);
        assert.deepStrictEqual(validateAzureFilesCheckpointStore({ quotaGib: 32, enableHttpsTrafficOnly: true, uid: -1 }).map((i) => i.propertyPath).sort(),
            ["enableHttpsTrafficOnly", "quotaGib", "resourceGroupName", "subnetId", "uid"]);
    });
});
