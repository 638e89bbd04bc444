// "What a change does" on GCP: each row of GCP_CHANGES, played under mocks
// (before and after graphs), must do what the row says; the README carries the table.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { GCP_CHANGES, GCP_FORCE_NEW } from "../../provider/gcp/changes";
import { GcpEnvironment, GcpEnvironmentArgs } from "../../provider/gcp/gcpEnvironment";
import { changeTableMarkdown } from "../../provider/core/changes";
import { Graph } from "./graph";
import { GCP_MOCKS, captureGcp } from "./gcpMocks";
import { assertProbesCover, assertRowProperties, observedEffect, onlyChild } from "./gcpAzureChangeWalk";

const BASE: GcpEnvironmentArgs = { project: "my-project", location: "us-central1-a" };
const graph = (args: Partial<GcpEnvironmentArgs>): Promise<Graph> => captureGcp(() => new GcpEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...BASE, ...args }) }));

/** Before and after inputs of each row, and the child to compare: the row's, or one of every child of its type that the row is about. */
const PROBES: Record<string, [Partial<GcpEnvironmentArgs>, Partial<GcpEnvironmentArgs>, string?]> = {
    "streamNodePool.spot": [{}, { streamNodePool: { spot: true } }, "dev-stream-pool"],
    "streamNodePool.poolName": [{ streamNodePool: { poolName: "workers" } }, { streamNodePool: { poolName: "workers", spot: true } }, "dev-stream-pool"],
    "streamNodePool.taints": [{}, { streamNodePool: { taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }, { key: "team", value: "a", effect: "NoSchedule" }] } }, "dev-stream-pool"],
    "streamNodePool.autoscaling": [{}, { streamNodePool: { autoscaling: { maxNodes: 20 } } }, "dev-stream-pool"],
    "systemNodePool.spot": [{}, { systemNodePool: { spot: true } }, "dev-system-pool"],
    "checkpoints.capacityGib": [{}, { checkpoints: { capacityGib: 2048 } }],
    "checkpoints.tier": [{}, { checkpoints: { tier: "ZONAL" } }],
    "checkpoints.instanceName": [{}, { checkpoints: { instanceName: "renamed-ckpt" } }],
    "checkpoints.kmsKeyName": [{ checkpoints: { tier: "ZONAL" } }, { checkpoints: { tier: "ZONAL", kmsKeyName: "projects/my-project/locations/us-central1/keyRings/volley/cryptoKeys/checkpoints" } }],
    "checkpoints.location": [{ checkpoints: { tier: "BASIC_HDD" } }, { checkpoints: { tier: "BASIC_HDD", location: "us-central1-b" } }],
    "checkpoints.allowedIpRanges": [{}, { checkpoints: { allowedIpRanges: ["10.0.0.0/20", "10.50.0.0/24"] } }],
    "checkpoints.enabled": [{}, { checkpoints: { enabled: false } }],
    "cluster.kubernetesVersion": [{ cluster: { kubernetesVersion: "1.33" } }, { cluster: { kubernetesVersion: "1.34" } }],
    nameSuffix: [{}, { nameSuffix: "renamed" }],
    "networkPolicies.enabled": [{}, { networkPolicies: { enabled: true } }, "dev-netpol-operator-default-deny-ingress"],
    "networkPolicies.grafanaFrom": [{ networkPolicies: { enabled: true, grafanaFrom: ["ops"] } }, { networkPolicies: { enabled: true, grafanaFrom: ["ops", "data"] } }, "dev-netpol-monitoring-allow-grafana-users"],
};

describe("GCP: what a change does (every row of GCP_CHANGES, under mocks)", () => {
    it("every row has a probe and a source", () => assertProbesCover(GCP_CHANGES, PROBES));

    for (const row of GCP_CHANGES) {
        it(`${row.input}: ${row.change} -> ${row.effect}`, async () => {
            const [b, a, child] = PROBES[row.input];
            let before = await graph(b), after = await graph(a);
            if (row.child) assert.strictEqual(child, `dev${row.child}`, "the probe's child is the row's");
            if (child) {
                // Several resources of the type: compare the named child only.
                before = onlyChild(before, row.resource, child); after = onlyChild(after, row.resource, child);
            }
            const { effect, detail, changed } = observedEffect(before, after, row.resource, GCP_FORCE_NEW[row.resource]?.fields ?? []);
            assertRowProperties(row, changed);
            // A rename of everything: the instance is re-created under a new name (the old one retained, forgotten).
            const want = row.effect === "data at risk" ? "replaced: new one first" : row.effect;
            assert.strictEqual(effect, want, detail);
        });
    }

    it("no row but a rename of the environment replaces the retained Filestore instance", () => {
        for (const r of GCP_CHANGES) if (r.resource === "gcp:filestore/instance:Instance") assert.ok(!r.effect.startsWith("replaced") || r.input === "nameSuffix", r.input);
    });

    it("kept as created: a key or location the instance did not get is a preview warning (the state keeps the created values)", async () => {
        const key = "projects/my-project/locations/us-central1/keyRings/volley/cryptoKeys/checkpoints";
        const first = await graph({ checkpoints: { tier: "ZONAL" } });
        const created = first.one("gcp:filestore/instance:Instance");
        const previous = { [`gcp:filestore/instance:Instance::${created.name}`]: created.inputs };
        const seen: string[] = [];
        const warn = pulumi.log.warn;
        try {
            pulumi.log.warn = (m: string) => { seen.push(m); return Promise.resolve(); };
            await captureGcp(() => new GcpEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...BASE, checkpoints: { tier: "ZONAL" } }), { ...GCP_MOCKS, previous });
            assert.deepStrictEqual(seen.filter((m) => m.startsWith("checkpoints.")), [], "unchanged: no warning");
            await captureGcp(() => new GcpEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...BASE, checkpoints: { tier: "ZONAL", kmsKeyName: key, location: "us-central1-b" } }), { ...GCP_MOCKS, previous });
        } finally { pulumi.log.warn = warn; }
        assert.ok(seen.some((m) => m.startsWith("checkpoints.kmsKeyName: the instance keeps Google-managed encryption")), JSON.stringify(seen));
        assert.ok(seen.some((m) => m.startsWith("checkpoints.location: the instance keeps \"us-central1-a\"")), JSON.stringify(seen));
    });

    it("the README carries the table as it is in code", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        assert.ok(readme.includes(changeTableMarkdown(GCP_CHANGES)), "README: regenerate the GCP table from GCP_CHANGES");
    });
});
