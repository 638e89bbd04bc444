// "What a change does" on Azure: each row of AZURE_CHANGES, played under mocks
// (before and after graphs), must do what the row says; the README carries the table.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AZURE_CHANGES, AZURE_FORCE_NEW } from "../../provider/azure/changes";
import { AzureEnvironment, AzureEnvironmentArgs } from "../../provider/azure/azureEnvironment";
import { AZURE_RESOURCE_PROVIDERS, aksPoolProfile, systemPoolChangeIssue } from "../../provider/azure/render";
import { changeTableMarkdown } from "../../provider/core/changes";
import { validateAzureEnvironment } from "../../provider/azure/validate";
import { Graph } from "./graph";
import { captureAzure } from "./azureMocks";
import { assertProbesCover, assertRowProperties, observedEffect, onlyChild } from "./gcpAzureChangeWalk";

const ADMIN = { cluster: { adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11"] } };
/** An environment administered through Entra ID (no warning about local accounts), with the probe's inputs. */
const graph = (args: AzureEnvironmentArgs): Promise<Graph> =>
    captureAzure(() => new AzureEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...args, cluster: { ...ADMIN.cluster, ...(args.cluster ?? {}) } }) }));

/** Before and after inputs of each row, and the child to compare where the type has several: the row's, or one of every child of its type that the row is about. */
const PROBES: Record<string, [AzureEnvironmentArgs, AzureEnvironmentArgs, string?]> = {
    "streamNodePool.vmSize": [{}, { streamNodePool: { vmSize: "Standard_F16s_v2" } }],
    "streamNodePool.spot": [{}, { streamNodePool: { spot: true } }],
    "streamNodePool.zones": [{}, { streamNodePool: { zones: ["1", "2"] } }],
    "streamNodePool.maxPods": [{}, { streamNodePool: { maxPods: 110 } }],
    "streamNodePool.osDiskSizeGb": [{}, { streamNodePool: { osDiskSizeGb: 64 } }],
    "streamNodePool.osDiskType": [{}, { streamNodePool: { osDiskType: "Ephemeral" } }],
    "streamNodePool.poolName": [{ streamNodePool: { poolName: "workers" } }, { streamNodePool: { poolName: "workers", vmSize: "Standard_F16s_v2" } }],
    "streamNodePool.autoscaling": [{}, { streamNodePool: { autoscaling: { maxCount: 20 } } }],
    "systemNodePool.vmSize": [{}, { systemNodePool: { vmSize: "Standard_D8ds_v5" } }],
    "systemNodePool.zones": [{}, { systemNodePool: { zones: ["1", "2", "3"] } }],
    "systemNodePool.maxPods": [{}, { systemNodePool: { maxPods: 110 } }],
    "systemNodePool.osDiskSizeGb": [{}, { systemNodePool: { osDiskSizeGb: 64 } }],
    "systemNodePool.osDiskType": [{}, { systemNodePool: { osDiskType: "Ephemeral" } }],
    "systemNodePool.autoscaling": [{}, { systemNodePool: { autoscaling: { minCount: 3 } } }],
    "cluster.kubernetesVersion": [{ cluster: { kubernetesVersion: "1.36" } }, { cluster: { kubernetesVersion: "1.37" } }],
    "cluster.adminGroupObjectIds": [{}, { cluster: { adminGroupObjectIds: ["0b6f4b3e-5a84-4d5e-9a1a-0c9e4d6f7a11", "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"] } }],
    "cluster.nodeResourceGroup": [{}, { cluster: { nodeResourceGroup: "other-nodes" } }],
    "cluster.name": [{}, { cluster: { name: "renamed" } }],
    "checkpoints.storageAccountName": [{ checkpoints: { storageAccountName: "teamackpt01" } }, { checkpoints: { storageAccountName: "teamackpt02" } }],
    "checkpoints.sku": [{}, { checkpoints: { sku: "Premium_ZRS" } }],
    "checkpoints.quotaGib": [{}, { checkpoints: { quotaGib: 2048 } }],
    "checkpoints.enabled": [{}, { checkpoints: { enabled: false } }],
    tags: [{}, { tags: { team: "data" } }],
    nameSuffix: [{}, { nameSuffix: "renamed" }],
    "networkPolicies.enabled": [{}, { networkPolicies: { enabled: true } }, "dev-netpol-operator-default-deny-ingress"],
    "networkPolicies.grafanaFrom": [{ networkPolicies: { enabled: true, grafanaFrom: ["ops"] } }, { networkPolicies: { enabled: true, grafanaFrom: ["ops", "data"] } }, "dev-netpol-monitoring-allow-grafana-users"],
};

describe("Azure: what a change does (every row of AZURE_CHANGES, under mocks)", () => {
    it("every row has a probe and a source", () => assertProbesCover(AZURE_CHANGES, PROBES));

    for (const row of AZURE_CHANGES) {
        it(`${row.input}: ${row.change} -> ${row.effect}`, async () => {
            const [b, a, child] = PROBES[row.input];
            if (row.child) assert.strictEqual(child, `dev${row.child}`, "the probe's child is the row's");
            if (row.effect === "refused at preview") {
                // The System pool as created (before) against what the program asks for (after): the preview error names the input.
                const field = row.input.split(".")[1];
                const d = { vmSize: "Standard_D4ds_v5", min: 2, max: 3 };
                const issue = systemPoolChangeIssue(aksPoolProfile((b.systemNodePool ?? {}) as any, "System", d), aksPoolProfile((a.systemNodePool ?? {}) as any, "System", d))
                    ?? validateAzureEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(a) }).map((i) => `${i.propertyPath}: ${i.reason}`).join("; ");
                assert.match(issue, new RegExp(`^systemNodePool\\.${field}: `), issue);
                // ... and the provider never receives it.
                const g = await graph(a);
                const aks = { zones: "availabilityZones", osDiskSizeGb: "osDiskSizeGB" }[field] ?? field;
                assert.ok(g.one(row.resource).ignoreChanges.includes(`agentPoolProfiles[0].${aks}`));
                assert.deepStrictEqual(row.properties, [`agentPoolProfiles[0].${aks}`]);
                return;
            }
            let before = await graph(b), after = await graph(a);
            // Several resources of the type: compare the named child only.
            if (child) { before = onlyChild(before, row.resource, child); after = onlyChild(after, row.resource, child); }
            const { effect, detail, changed } = observedEffect(before, after, row.resource, AZURE_FORCE_NEW[row.resource]?.fields ?? []);
            assertRowProperties(row, changed);
            const want = row.effect === "data at risk" ? "replaced: new one first" : row.effect;
            assert.strictEqual(effect, want, detail);
        });
    }

    it("no row but a rename of the environment replaces a retained resource (account, share, group)", () => {
        for (const r of AZURE_CHANGES) {
            if (["azure-native:storage:StorageAccount", "azure-native:storage:FileShare", "azure-native:resources:ResourceGroup"].includes(r.resource)) {
                assert.ok(!r.effect.startsWith("replaced") || r.input === "nameSuffix", r.input);
            }
        }
    });

    it("the README carries the table as it is in code, and the commands that register the resource providers (A9)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        assert.ok(readme.includes(changeTableMarkdown(AZURE_CHANGES)), "README: regenerate the Azure table from AZURE_CHANGES");
        for (const ns of AZURE_RESOURCE_PROVIDERS) assert.ok(readme.includes(`az provider register --namespace ${ns}`), ns);
        // The error as Azure words it (Azure/azure-sdk-for-node#2305: "The subscription must be registered to use namespace
        // 'Microsoft.KeyVault'", code MissingSubscriptionRegistration) is mapped to the command under "Messages you will meet".
        const messages = readme.slice(readme.indexOf("### Messages you will meet"), readme.indexOf("### What destroy leaves"));
        assert.match(messages, /registered to use namespace[\s\S]*MissingSubscriptionRegistration[\s\S]*az provider register --namespace <the namespace in the\s+message>/);
        // And why it is not a preview check.
        assert.match(readme, /Why this stays a step of yours and not a preview\s+check/);
    });
});
