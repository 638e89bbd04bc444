// GCP day 2 (issue 22): pools that are replaced without a 409, a share only
// the nodes reach, NFS lock callbacks let in, adopted instances checked at
// once, and a suffix that survives a stack rename. Each test fails without its fix.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GcpEnvironment, GcpEnvironmentArgs } from "../../provider/gcp/gcpEnvironment";
import { GcpNodePool } from "../../provider/gcp/gcpNodePool";
import { NFS_LOCK_CALLBACK_PORTS, existingInstanceIssue, filestoreExportOptions, gkePoolName, stackSuffix } from "../../provider/gcp/render";
import { gcpEnvironmentWarnings } from "../../provider/gcp/validate";
import { Graph, valueOf } from "./graph";
import { G, GCP_MOCKS, captureGcp } from "./gcpMocks";

const BASE: GcpEnvironmentArgs = { project: "my-project", location: "us-central1-a" };
const S = stackSuffix("project", "stack", "dev");

async function env(args: GcpEnvironmentArgs, mocks = GCP_MOCKS): Promise<{ g: Graph; e: GcpEnvironment }> {
    let e!: GcpEnvironment;
    const g = await captureGcp(() => { e = new GcpEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(args) }); }, mocks);
    return { g, e };
}

describe("GCP day 2: node pools (G1)", () => {
    it("the derived name changes with each field that forces a new pool; defaults keep the old name; within GKE's 40 characters", () => {
        assert.strictEqual(gkePoolName("stream", {}), "stream");
        assert.strictEqual(gkePoolName("stream", { spot: false }), "stream");
        const spot = gkePoolName("stream", { spot: true });
        const sa = gkePoolName("stream", { serviceAccount: "other@p.iam.gserviceaccount.com" });
        assert.match(spot, /^stream-[0-9a-f]{6}$/);
        assert.match(sa, /^stream-[0-9a-f]{6}$/);
        assert.notStrictEqual(spot, sa);
        assert.ok(gkePoolName("x".repeat(40), { spot: true }).length <= 40);
    });

    it("GcpEnvironment: spot on the stream pool is a new pool name (created before the old one goes); taints alone change nothing but taints", async () => {
        const base = (await env(BASE)).g.one(G.pool, "dev-stream-pool");
        const spot = (await env({ ...BASE, streamNodePool: { spot: true } })).g.one(G.pool, "dev-stream-pool");
        const tainted = (await env({ ...BASE, streamNodePool: { taints: [{ key: "team", value: "a", effect: "NoSchedule" }] } })).g.one(G.pool, "dev-stream-pool");
        assert.strictEqual(base.inputs.name, "stream");
        assert.match(spot.inputs.name, /^stream-[0-9a-f]{6}$/);
        assert.strictEqual(spot.inputs.nodeConfig.spot, true);
        assert.strictEqual(tainted.inputs.name, "stream", "taints update in place (k8s-config-connector PR #2485): no new pool");
        for (const p of [base, spot, tainted]) assert.strictEqual(p.deleteBeforeReplace, false);
        // The environment's own service account does not enter the name (it is fixed for the environment's life).
        assert.strictEqual((await env(BASE)).g.one(G.pool, "dev-system-pool").inputs.name, "system");
    });

    it("a pinned pool name is deleted before its replacement is created (the name cannot exist twice)", async () => {
        const pinned = (await env({ ...BASE, streamNodePool: { poolName: "workers", spot: true } })).g.one(G.pool, "dev-stream-pool");
        assert.strictEqual(pinned.inputs.name, "workers");
        assert.strictEqual(pinned.deleteBeforeReplace, true);
    });

    it("GcpNodePool: a given service account enters the derived name; a pinned name deletes first", async () => {
        const g1 = await captureGcp(() => new GcpNodePool("gpu", { cluster: "c", location: "us-central1-a", serviceAccount: "a@p.iam.gserviceaccount.com" }));
        const g2 = await captureGcp(() => new GcpNodePool("gpu", { cluster: "c", location: "us-central1-a", serviceAccount: "b@p.iam.gserviceaccount.com" }));
        const g3 = await captureGcp(() => new GcpNodePool("gpu", { cluster: "c", location: "us-central1-a" }));
        assert.notStrictEqual(g1.one(G.pool).inputs.name, g2.one(G.pool).inputs.name);
        assert.strictEqual(g3.one(G.pool).inputs.name, "gpu", "its own account: the name earlier versions used");
        const g4 = await captureGcp(() => new GcpNodePool("gpu", { cluster: "c", location: "us-central1-a", poolName: "gpu", spot: true }));
        assert.strictEqual(g4.one(G.pool).deleteBeforeReplace, true);
    });
});

describe("GCP day 2: Filestore", () => {
    it("G3: the export admits the node range only, read-write without root squash (the directory Job needs root)", async () => {
        assert.deepStrictEqual(filestoreExportOptions(["10.0.0.0/20"]), [{ ipRanges: ["10.0.0.0/20"], accessMode: "READ_WRITE", squashMode: "NO_ROOT_SQUASH" }]);
        assert.strictEqual(filestoreExportOptions(undefined), undefined);
        const { g } = await env({ ...BASE, network: { nodeCidr: "10.40.0.0/20" } });
        assert.deepStrictEqual(g.one(G.filestore).inputs.fileShares.nfsExportOptions[0].ipRanges, ["10.40.0.0/20"]);
        const given = await env({ ...BASE, checkpoints: { allowedIpRanges: ["10.40.0.0/24"] } });
        assert.deepStrictEqual(given.g.one(G.filestore).inputs.fileShares.nfsExportOptions[0].ipRanges, ["10.40.0.0/24"]);
        // An existing network: its node range is unknown here, so Filestore's default stays unless given.
        const shared = await env({ ...BASE, existingNetwork: { network: "shared", subnetwork: "gke" } });
        assert.strictEqual(shared.g.one(G.filestore).inputs.fileShares.nfsExportOptions, undefined);
    });

    it("G3 with an existing network or cluster: the preview warns that the share is open to the whole VPC and names checkpoints.allowedIpRanges", async () => {
        const open = /^checkpoints\.allowedIpRanges: with (existingNetwork|existingCluster) .*every internal address of the VPC.*Set checkpoints\.allowedIpRanges/;
        const table: [args: any, warns: boolean][] = [
            [{ existingNetwork: { network: "shared", subnetwork: "gke" } }, true],
            [{ existingCluster: { name: "prod" } }, true],
            [{ existingNetwork: { network: "shared", subnetwork: "gke" }, checkpoints: { allowedIpRanges: ["10.0.0.0/20"] } }, false],
            [{ existingNetwork: { network: "shared", subnetwork: "gke" }, checkpoints: { enabled: false } }, false],
            [{ existingNetwork: { network: "shared", subnetwork: "gke" }, checkpoints: { existingInstance: { name: "kept" } } }, false],
            [{}, false],   // a network the environment creates: its node range is the export's
        ];
        for (const [args, warns] of table) {
            const w = gcpEnvironmentWarnings({ ...BASE, ...args });
            assert.strictEqual(w.some((x) => open.test(x)), warns, JSON.stringify(args));
        }
        // What the warning says is what the instance gets (no export options: Filestore's whole-VPC default), and GcpEnvironment logs it.
        const seen: string[] = [];
        const warn = pulumi.log.warn;
        try {
            pulumi.log.warn = (m: string) => { seen.push(m); return Promise.resolve(); };
            const shared = await env({ ...BASE, existingNetwork: { network: "shared", subnetwork: "gke" } });
            assert.strictEqual(shared.g.one(G.filestore).inputs.fileShares.nfsExportOptions, undefined);
        } finally { pulumi.log.warn = warn; }
        assert.strictEqual(seen.filter((m) => open.test(m)).length, 1, JSON.stringify(seen));
    });

    it("G5: the created network lets Filestore call the nodes back for NFSv3 locks (TCP and UDP 111, 2046, 4045 from its reserved range)", async () => {
        const { g } = await env(BASE);
        const fw = g.one(G.firewall, "dev-filestore-nlm").inputs;
        assert.deepStrictEqual(NFS_LOCK_CALLBACK_PORTS, ["111", "2046", "4045"]);
        assert.deepStrictEqual(fw.allows, [{ protocol: "tcp", ports: ["111", "2046", "4045"] }, { protocol: "udp", ports: ["111", "2046", "4045"] }]);
        assert.deepStrictEqual(fw.sourceRanges, ["10.9.0.0/29"]);
        assert.deepStrictEqual(fw.targetTags, [`dev-${S}-volley-node`]);
        assert.strictEqual(fw.direction, "INGRESS");
        assert.strictEqual(fw.name, `dev-${S}-filestore-nlm`);
        for (const extra of [{ checkpoints: { enabled: false } }, { existingCluster: { name: "prod", systemNodePoolName: "p" } }, { checkpoints: { connectMode: "PRIVATE_SERVICE_ACCESS" as const, reservedIpRange: "psa-range" } }]) {
            const { g: g2 } = await env({ ...BASE, ...extra });
            assert.strictEqual(g2.byType(G.firewall).filter((f) => f.name === "dev-filestore-nlm").length, 0, JSON.stringify(extra));
        }
    });

    it("G3: the directory Jobs get their own namespace (Pod Security baseline), named in the EnvironmentRef; none without Filestore", async () => {
        const { g, e } = await env(BASE);
        const ns = g.one("kubernetes:core/v1:Namespace", "dev-checkpoint-jobs").inputs.metadata;
        assert.deepStrictEqual([ns.name, ns.labels["pod-security.kubernetes.io/enforce"]], ["volley-system-checkpoint-jobs", "baseline"]);
        assert.strictEqual((await valueOf(e.environment)).checkpoints!.directoryNamespace, "volley-system-checkpoint-jobs");
        const adopted = await env({ ...BASE, checkpoints: { existingInstance: { name: "kept" } } });
        assert.strictEqual(adopted.g.byType("kubernetes:core/v1:Namespace").filter((r) => r.name === "dev-checkpoint-jobs").length, 1);
        const none = await env({ ...BASE, checkpoints: { enabled: false } });
        assert.strictEqual(none.g.byType("kubernetes:core/v1:Namespace").filter((r) => r.name === "dev-checkpoint-jobs").length, 0);
    });

    it("G8: an adopted instance whose export squashes root fails at once, naming the way out", async () => {
        assert.match(existingInstanceIssue("kept", [{ squashMode: "ROOT_SQUASH" }])!, /ROOT_SQUASH\), so the Job that creates each application's directory cannot chown it; add an export option with NO_ROOT_SQUASH/);
        assert.strictEqual(existingInstanceIssue("kept", [{ squashMode: "NO_ROOT_SQUASH" }]), undefined);
        assert.strictEqual(existingInstanceIssue("kept", undefined), undefined, "Filestore's default export does not squash root");
        const squashed = { ...GCP_MOCKS, call: (a: any) => (a.token === "gcp:filestore/getInstance:getInstance"
            ? { ...a.inputs, networks: [{ ipAddresses: ["10.9.8.7"] }], fileShares: [{ name: "kept", nfsExportOptions: [{ squashMode: "ROOT_SQUASH", ipRanges: ["10.0.0.0/8"] }] }] }
            : GCP_MOCKS.call!(a)) };
        const { e } = await env({ ...BASE, checkpoints: { existingInstance: { name: "kept" } } }, squashed);
        await assert.rejects((e.filestoreShare as any).promise(), /checkpoints\.existingInstance kept: its export squashes root/);
    });
});

describe("GCP day 2: names (G11)", () => {
    it("exports the suffix; a pinned nameSuffix keeps every name across a stack or project rename", async () => {
        const { g, e } = await env(BASE);
        assert.strictEqual(await valueOf(e.nameSuffix), S);
        assert.notStrictEqual(stackSuffix("renamed-project", "stack", "dev"), S);
        const pinned = await env({ ...BASE, nameSuffix: S });
        for (const t of [G.network, G.subnet, G.cluster, G.filestore, G.sa]) {
            assert.deepStrictEqual(pinned.g.byType(t).map((r) => r.inputs.name ?? r.inputs.accountId), g.byType(t).map((r) => r.inputs.name ?? r.inputs.accountId), t);
        }
        assert.strictEqual(await valueOf(pinned.e.nameSuffix), S);
    });
});
