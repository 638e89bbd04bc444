// Azure day 2 (issue 22): names nobody else shares, changes that neither 409
// nor replace data, and the preview warnings. Each test fails without its fix.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AzureEnvironment, AzureEnvironmentArgs, localAccountsOf } from "../../provider/azure/azureEnvironment";
import { AzureNodePool } from "../../provider/azure/azureNodePool";
import { AzureFilesCheckpointStore } from "../../provider/azure/azureFilesCheckpointStore";
import {
    AKS_CREATE_ONLY_POOL_FIELDS, AKS_VERSIONS, DEFAULT_KUBERNETES_VERSION, DNS_PREFIX, NODE_RESOURCE_GROUP_MAX, POOL_NAME, aksPoolName, azureResourceNames,
    dnsPrefixFrom, kubernetesVersionIssue, stackSuffix, systemPoolChangeIssue,
} from "../../provider/azure/render";
import { azureEnvironmentWarnings, validateAzureEnvironment, validateAzureNodePool } from "../../provider/azure/validate";
import { Graph, valueOf } from "./graph";
import { A, AZURE_MOCKS, SUBSCRIPTION, azureMocksIn, captureAzure } from "./azureMocks";

const S = stackSuffix("project", "stack", "dev");
const OTHER_SUBNET = `${SUBSCRIPTION}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aks`;

async function env(args: AzureEnvironmentArgs, mocks = AZURE_MOCKS): Promise<{ g: Graph; e: AzureEnvironment }> {
    let e!: AzureEnvironment;
    const g = await captureAzure(() => { e = new AzureEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(args) }); }, mocks);
    return { g, e };
}

describe("Azure day 2: names", () => {
    it("A1: the same project, stack and name in two subscriptions derive two storage account names (names are global)", async () => {
        const a = await env({}, azureMocksIn("11111111-1111-1111-1111-111111111111"));
        const b = await env({}, azureMocksIn("22222222-2222-2222-2222-222222222222"));
        const na = a.g.one(A.account).inputs.accountName, nb = b.g.one(A.account).inputs.accountName;
        assert.notStrictEqual(na, nb);
        for (const n of [na, nb]) assert.match(n, /^devckpt[0-9a-f]{6}$/);
        // The rest of the names are per subscription anyway: they stay as they were.
        assert.strictEqual(a.g.one(A.rg).inputs.resourceGroupName, b.g.one(A.rg).inputs.resourceGroupName);
        // The standalone store derives its default the same way.
        const names: string[] = [];
        for (const sub of ["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"]) {
            const g = await captureAzure(() => new AzureFilesCheckpointStore("ck", { resourceGroupName: "rg", subnetId: OTHER_SUBNET }), azureMocksIn(sub));
            names.push(g.one(A.account).inputs.accountName);
        }
        assert.notStrictEqual(names[0], names[1]);
    });

    it("A1: checkpoints.storageAccountName still overrides the derived name", async () => {
        const { g } = await env({ checkpoints: { storageAccountName: "teamackpt01" } });
        assert.strictEqual(g.one(A.account).inputs.accountName, "teamackpt01");
    });

    it("G11: exports the suffix; a pinned nameSuffix keeps every name (storage account included) across a stack rename", async () => {
        const { g, e } = await env({});
        assert.strictEqual(await valueOf(e.nameSuffix), S);
        const pinned = await env({ nameSuffix: S });
        // What a renamed stack derives by default differs; with the suffix pinned nothing changes.
        assert.notStrictEqual(stackSuffix("project", "stack-renamed", "dev"), S);
        assert.deepStrictEqual(pinned.g.names(), g.names());
        for (const t of [A.rg, A.vnet, A.identity, A.cluster, A.account]) {
            assert.deepStrictEqual(pinned.g.one(t).inputs, g.one(t).inputs, t);
        }
        assert.strictEqual(await valueOf(pinned.e.nameSuffix), S);
    });

    it("A5: the node resource group is a short derived name within 80 characters for any component name; an existing cluster keeps its MC_ group", async () => {
        const long = "a-rather-long-environment-name-that-goes-on-and-on";
        let e!: AzureEnvironment;
        const g = await captureAzure(() => { e = new AzureEnvironment(long, { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({}) }); });
        const nrg = g.one(A.cluster).inputs.nodeResourceGroup;
        assert.ok(nrg.length <= NODE_RESOURCE_GROUP_MAX, nrg);
        assert.match(nrg, /-nodes-rg$/);
        // AKS's own default for the same cluster: MC_<rg>_<cluster>_<region>, past the limit.
        const n = azureResourceNames(long, stackSuffix("project", "stack", long));
        assert.ok(`MC_${n.resourceGroup}_${n.cluster}_germanywestcentral`.length > NODE_RESOURCE_GROUP_MAX);
        assert.ok(g.one(A.cluster).ignoreChanges.includes("nodeResourceGroup"), "force-new: never sent to a cluster created without it");
        assert.ok(e);
        const custom = await env({ cluster: { nodeResourceGroup: "dev-aks-nodes" } });
        assert.strictEqual(custom.g.one(A.cluster).inputs.nodeResourceGroup, "dev-aks-nodes");
        const issues = validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ cluster: { nodeResourceGroup: "x".repeat(81) } }) });
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["cluster.nodeResourceGroup"]);
    });

    it("A6: the DNS prefix is the cluster name made valid for AKS (1-54 letters, digits, '-'); valid names are kept", async () => {
        for (const [name, want] of [
            ["dev-a1b2c3", "dev-a1b2c3"],
            ["team_a-prod", "team-a-prod"],
            ["my_cluster_" + "x".repeat(49), ("my-cluster-" + "x".repeat(49)).slice(0, 54)],
            ["__x__", "x"],
        ] as const) {
            assert.strictEqual(dnsPrefixFrom(name), want, name);
            assert.match(dnsPrefixFrom(name), DNS_PREFIX);
        }
        const { g } = await env({ cluster: { name: "team_a-" + "y".repeat(50) } });
        assert.match(g.one(A.cluster).inputs.dnsPrefix, DNS_PREFIX);
        assert.ok(g.one(A.cluster).inputs.dnsPrefix.length <= 54);
    });
});

describe("Azure day 2: retention", () => {
    it("A2: the group the environment creates is retained with or without checkpoints, so a destroy never takes a forgotten account with it", async () => {
        for (const checkpoints of [{}, { enabled: false }, { retainOnDelete: false }]) {
            const { g } = await env({ checkpoints });
            assert.strictEqual(g.one(A.rg).retainOnDelete, true, JSON.stringify(checkpoints));
        }
    });

    it("A1/A10: the account keeps its name and SKU (ignored after creation); the private endpoint and link take the kept name", async () => {
        const { g } = await env({});
        const a = g.one(A.account);
        assert.deepStrictEqual(a.ignoreChanges, ["accountName", "sku"]);
        assert.strictEqual(g.one(A.pe).inputs.privateEndpointName, `${a.inputs.accountName}-file-pe`);
        assert.ok(g.dependsOn(g.one(A.pe), a));
    });
});

describe("Azure day 2: checkpoint isolation (G3)", () => {
    it("the directory Jobs get their own namespace (Pod Security baseline), named in the EnvironmentRef; the share squashes root for no client (one setting for all)", async () => {
        const { g, e } = await env({});
        const ns = g.one("kubernetes:core/v1:Namespace", "dev-checkpoint-jobs").inputs.metadata;
        assert.deepStrictEqual([ns.name, ns.labels["pod-security.kubernetes.io/enforce"]], ["volley-system-checkpoint-jobs", "baseline"]);
        assert.strictEqual((await valueOf(e.environment)).checkpoints!.directoryNamespace, "volley-system-checkpoint-jobs");
        // Azure Files' rootSquash is one value per share (NoRootSquash, RootSquash, AllSquash), with no client list:
        // the Job needs root, so the share cannot squash it; which clients reach the share is the network's choice.
        assert.strictEqual(g.one(A.share).inputs.rootSquash, "NoRootSquash");
        const none = await env({ checkpoints: { enabled: false } });
        assert.strictEqual(none.g.byType("kubernetes:core/v1:Namespace").filter((r) => r.name === "dev-checkpoint-jobs").length, 0);
    });
});

describe("Azure day 2: node pools", () => {
    const D = { vmSize: "Standard_D8ds_v5" };

    it("A3: each create-only field of a pool changes its derived name (within AKS's 12 characters); defaults keep the old name", () => {
        assert.strictEqual(aksPoolName("stream", {}, D), "stream");
        assert.strictEqual(aksPoolName("stream", { vmSize: "Standard_D8ds_v5", spot: false, osDiskSizeGb: 128, osDiskType: "Managed", zones: [] }, D), "stream");
        const changes: Record<string, any> = {
            vmSize: { vmSize: "Standard_F16s_v2" }, spot: { spot: true }, zones: { zones: ["1", "2"] },
            maxPods: { maxPods: 110 }, osDiskSizeGb: { osDiskSizeGb: 64 }, osDiskType: { osDiskType: "Ephemeral" },
        };
        // The table of create-only fields and this test cover the same fields.
        assert.deepStrictEqual(Object.keys(changes).sort(), AKS_CREATE_ONLY_POOL_FIELDS.map((f) => f.field).sort());
        const seen = new Set<string>();
        for (const [f, s] of Object.entries(changes)) {
            const n = aksPoolName("stream", s, D);
            assert.notStrictEqual(n, "stream", f);
            assert.match(n, POOL_NAME, f);
            assert.ok(!seen.has(n), f);
            seen.add(n);
        }
        assert.strictEqual(aksPoolName("stream", { zones: ["2", "1"] }, D), aksPoolName("stream", { zones: ["1", "2"] }, D), "zone order is no change");
        assert.match(aksPoolName("gpuworkersea", { spot: true }, D), /^gpuworke[0-9a-f]{4}$/);
    });

    it("A3: the stream AgentPool: a spot or vmSize change is a new name, created before the old pool goes; a pinned name deletes first", async () => {
        const base = (await env({})).g.one(A.pool);
        const spot = (await env({ streamNodePool: { spot: true } })).g.one(A.pool);
        const size = (await env({ streamNodePool: { vmSize: "Standard_F16s_v2" } })).g.one(A.pool);
        assert.strictEqual(base.inputs.agentPoolName, "stream");
        assert.notStrictEqual(spot.inputs.agentPoolName, "stream");
        assert.notStrictEqual(size.inputs.agentPoolName, "stream");
        assert.strictEqual(spot.name, base.name, "same child: Pulumi replaces it");
        for (const p of [base, spot, size]) assert.strictEqual(p.deleteBeforeReplace, false);
        const pinned = (await env({ streamNodePool: { poolName: "workers", spot: true } })).g.one(A.pool);
        assert.strictEqual(pinned.inputs.agentPoolName, "workers");
        assert.strictEqual(pinned.deleteBeforeReplace, true, "the same name cannot exist twice in a cluster");
        const standalone = await captureAzure(() => new AzureNodePool("gpu", { clusterName: "c", resourceGroupName: "g", poolName: "gpu", vmSize: "Standard_NC6s_v3" }));
        assert.strictEqual(standalone.one(A.pool).deleteBeforeReplace, true);
    });

    it("A3: the inline System pool: a create-only change is a preview error naming the field and the way out; other changes pass", () => {
        const created = { vmSize: "Standard_D4ds_v5", availabilityZones: ["1", "2", "3"], maxPods: 110, osDiskSizeGB: 128, osDiskType: "Managed", count: 2 };
        assert.strictEqual(systemPoolChangeIssue(created, { ...created, count: 3 }), undefined);
        assert.strictEqual(systemPoolChangeIssue(created, { ...created, availabilityZones: ["3", "2", "1"] }), undefined);
        assert.strictEqual(systemPoolChangeIssue(undefined, created), undefined, "a cluster being created has nothing to compare");
        assert.strictEqual(systemPoolChangeIssue({ ...created, maxPods: 250 }, { ...created, maxPods: undefined }), undefined, "not asked for: AKS's default stands");
        for (const [f, v, path] of [["vmSize", "Standard_D8ds_v5", "vmSize"], ["availabilityZones", ["1"], "zones"], ["maxPods", 50, "maxPods"],
            ["osDiskSizeGB", 64, "osDiskSizeGb"], ["osDiskType", "Ephemeral", "osDiskType"]] as const) {
            const issue = systemPoolChangeIssue(created, { ...created, [f]: v });
            assert.match(issue!, new RegExp(`^systemNodePool\\.${path}: AKS cannot change it on an existing pool`), f);
            assert.match(issue!, /Set it back; to move the platform to other nodes, add an AzureNodePool/);
        }
    });

    it("A3: the inline System pool under mocks: the cluster keeps its create-only fields (ignoreChanges), and AzureEnvironment rejects a vmSize change with the field and the way out", async () => {
        // The state an earlier up left: the cluster as it was created (its registered inputs, as the engine records them).
        const first = await env({});
        const created = first.g.one(A.cluster);
        const previous = { [`${A.cluster}::${created.name}`]: created.inputs };
        // Unchanged: the same program against that state passes.
        const same = await env({}, { ...AZURE_MOCKS, previous });
        assert.strictEqual(await (same.e.systemNodePoolName as any).promise(), "system");
        // A create-only field changed: AKS would refuse the PUT (PropertyChangeNotAllowed); the engine sends the old vmSize
        // (ignoreChanges), and the component's output fails with the reason before anything is written.
        const wanted = "Standard_D8ds_v5";
        assert.notStrictEqual(created.inputs.agentPoolProfiles[0].vmSize, wanted, "the fixture must change the field");
        const changed = await env({ systemNodePool: { vmSize: wanted } }, { ...AZURE_MOCKS, previous });
        const c = changed.g.one(A.cluster);
        assert.ok(c.ignoreChanges.includes("agentPoolProfiles[0].vmSize"));
        assert.strictEqual(c.effectiveInputs.agentPoolProfiles[0].vmSize, created.inputs.agentPoolProfiles[0].vmSize, "the PUT keeps the pool's size");
        // It surfaces as the engine sees it: serializing the component's outputs fails with the reason.
        await assert.rejects((changed.e.systemNodePoolName as any).promise(),
            /systemNodePool\.vmSize: AKS cannot change it on an existing pool \(it is "Standard_[^"]+", the program asks for "Standard_D8ds_v5"\)\. Set it back;/);
        // A field AKS updates in place (count) passes.
        const counted = await env({ systemNodePool: { count: 3 } }, { ...AZURE_MOCKS, previous });
        assert.strictEqual(await (counted.e.systemNodePoolName as any).promise(), "system");
    });

    it("A7: the stream pool carries the cluster's version and is written after the cluster; a standalone pool takes orchestratorVersion", async () => {
        const { g } = await env({ cluster: { kubernetesVersion: "1.36" } });
        const p = g.one(A.pool);
        assert.strictEqual(p.inputs.orchestratorVersion, "1.36");
        assert.ok(g.dependsOn(p, g.one(A.cluster)));
        const dflt = await env({});
        assert.strictEqual(dflt.g.one(A.pool).inputs.orchestratorVersion, DEFAULT_KUBERNETES_VERSION);
        const standalone = await captureAzure(() => new AzureNodePool("gpu", { clusterName: "c", resourceGroupName: "g", orchestratorVersion: "1.36.2" }));
        assert.strictEqual(standalone.one(A.pool).inputs.orchestratorVersion, "1.36.2");
        assert.deepStrictEqual(validateAzureNodePool({ clusterName: "c", resourceGroupName: "g", orchestratorVersion: "v1.36" }).map((i) => i.propertyPath), ["orchestratorVersion"]);
    });
});

describe("Azure day 2: defaults that age or surprise", () => {
    it("A10: a minor newer than the version table passes with a warning; the default row is still supported a month from now", () => {
        const newest = AKS_VERSIONS[AKS_VERSIONS.length - 1].minor;
        const [ma, mi] = newest.split(".").map(Number);
        const next = `${ma}.${mi + 1}`;
        assert.strictEqual(kubernetesVersionIssue(next), undefined);
        assert.match(azureEnvironmentWarnings({ cluster: { kubernetesVersion: next, adminGroupObjectIds: ["g"] } }).join("\n"), /newer than this package's AKS version table/);
        assert.match(kubernetesVersionIssue("1.20")!, /AKS does not offer 1.20/);
        // The table ages: this fails once the default's end of support is less than a month away (refresh the table).
        const row = AKS_VERSIONS.find((v) => v.minor === DEFAULT_KUBERNETES_VERSION)!;
        const soon = new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString().slice(0, 7);
        assert.ok(row.endOfLife > soon, `AKS ${row.minor} leaves support in ${row.endOfLife}: refresh AKS_VERSIONS`);
    });

    it("A10: local accounts are off where Entra ID administers the cluster, and a warning says so otherwise", async () => {
        assert.strictEqual(localAccountsOf(undefined), true);
        assert.strictEqual(localAccountsOf({ adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"] }), false);
        assert.strictEqual(localAccountsOf({ localAccounts: true, adminGroupObjectIds: [] }), true);
        const { g } = await env({ cluster: { adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"] } });
        assert.strictEqual(g.one(A.cluster).inputs.disableLocalAccounts, true);
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ cluster: { adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"] } }) }), []);
        assert.match(azureEnvironmentWarnings({}).join("\n"), /non-revocable admin client certificate/);
        assert.doesNotMatch(azureEnvironmentWarnings({ cluster: { adminGroupObjectIds: ["g"] } }).join("\n"), /client certificate/);
    });

    it("A10: zonal stream pool with locally redundant checkpoints: a warning asking for Premium_ZRS", () => {
        const w = (a: any) => azureEnvironmentWarnings({ cluster: { adminGroupObjectIds: ["g"] }, ...a }).join("\n");
        assert.match(w({ streamNodePool: { zones: ["1", "2", "3"] } }), /Premium_ZRS/);
        assert.doesNotMatch(w({ streamNodePool: { zones: ["1", "2", "3"] }, checkpoints: { sku: "Premium_ZRS" } }), /Premium_ZRS/);
        assert.doesNotMatch(w({ streamNodePool: { zones: ["1", "2", "3"] }, checkpoints: { enabled: false } }), /Premium_ZRS/);
    });

    it("A4: existingNetwork without a zone choice warns; createPrivateDnsZone false makes no zone, link or zone group", async () => {
        const w = (a: any) => azureEnvironmentWarnings({ cluster: { adminGroupObjectIds: ["g"] }, existingNetwork: { subnetId: OTHER_SUBNET }, ...a }).join("\n");
        assert.match(w({}), /checkpoints\.privateDnsZoneId: with existingNetwork/);
        assert.doesNotMatch(w({ checkpoints: { createPrivateDnsZone: false } }), /privateDnsZoneId/);
        assert.doesNotMatch(w({ checkpoints: { privateDnsZoneId: "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net" } }), /privateDnsZoneId/);
        assert.doesNotMatch(w({ checkpoints: { access: "ServiceEndpoint" } }), /privateDnsZoneId/);
        const { g, e } = await env({ existingNetwork: { subnetId: OTHER_SUBNET }, checkpoints: { createPrivateDnsZone: false } });
        for (const t of [A.zone, A.link, A.zoneGroup]) assert.strictEqual(g.byType(t).length, 0, t);
        assert.strictEqual(g.byType(A.pe).length, 1);
        assert.ok((await valueOf(e.environment)).checkpoints, "the backend still resolves (once the endpoint exists)");
        assert.deepStrictEqual(validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ checkpoints: { access: "ServiceEndpoint", createPrivateDnsZone: false } }) }).map((i) => i.propertyPath), ["checkpoints.createPrivateDnsZone"]);
    });
});

// Keep the import used when pulumi types are only needed for the mocks.
void pulumi;
