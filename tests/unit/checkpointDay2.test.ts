// Per-application checkpoint volumes on day 2 (#22 G9): PV names that no two
// claims share, and an upgrade that keeps every existing PV as it is.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Application } from "../../provider/kubernetes/application";
import { checkpointVolumeName } from "../../provider/kubernetes/render/checkpoints";
import { capture } from "./graph";
import { ENV } from "./validate.test";

const K = {
    pv: "kubernetes:core/v1:PersistentVolume",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    job: "kubernetes:batch/v1:Job",
};
const APP = { image: "registry.example.com/agg:v1", resources: { requests: { cpu: "1", memory: "1Gi" } } };
// Kubernetes' DNS-1123 subdomain (k8s.io/apimachinery IsDNS1123Subdomain): what a PV name must be.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nfsEnv = (extra: object = {}) => ({
    ...ENV, checkpoints: { kind: "Nfs", nfsServer: "127.0.0.1", nfsPath: "/exports/volley", mountOptions: [], defaultSize: "20Gi", ...extra },
});

// What pulumi-kubernetes 4.25 replaces a PV or claim for (provider/pkg/provider/diff.go, forceNew;
// metadata.name and .namespace for every kind).
const FORCE_NEW: Record<string, string[]> = {
    [K.pv]: ["metadata.name", "spec.nfs", "spec.csi", "spec.hostPath", "spec.local"],
    [K.pvc]: ["metadata.name", "metadata.namespace", "spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
};
const at = (o: any, p: string) => p.split(".").reduce((x, k) => x?.[k], o);

/** The provider's stored inputs drop a PV's empty `storageClassName` (the recorded state has none; a second preview is empty). */
function asStored(type: string, inputs: any): any {
    if (type !== K.pv || inputs.spec?.storageClassName !== "") return inputs;
    const { storageClassName, ...spec } = inputs.spec;
    return { ...inputs, spec };
}

/** Old inputs by `type::name` of every resource a preview recorded by the real engine shows (steps' old states). */
function recordedState(fixture: string): Record<string, any> {
    const preview = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/previews", fixture), "utf8"));
    const out: Record<string, any> = {};
    for (const s of preview.steps) {
        if (!s.oldState?.inputs) continue;
        const parts = s.urn.split("::");
        const types = parts[2].split("$");
        out[`${types[types.length - 1]}::${parts[3]}`] = s.oldState.inputs;
    }
    return out;
}

describe("checkpoint PV names (#22 G9)", () => {
    it("no two (namespace, claim) pairs share a name, where `<namespace>-<claim>` did", () => {
        // The names earlier releases gave (sharedCheckpointVolume.ts before #22): the collision G9 reports.
        const before = (ns: string, claim: string) => `${ns}-${claim}`;
        const a: [string, string] = ["a-b", "c-shared-ckpt"];
        const b: [string, string] = ["a", "b-c-shared-ckpt"];
        assert.strictEqual(before(...a), before(...b));
        assert.notStrictEqual(checkpointVolumeName(...a), checkpointVolumeName(...b));
        // Every split of the same hyphenated words gets its own name.
        const words = ["team", "a", "ingest", "v2"];
        const names = new Set<string>();
        for (let i = 1; i < words.length; i++) names.add(checkpointVolumeName(words.slice(0, i).join("-"), `${words.slice(i).join("-")}-shared-ckpt`));
        assert.strictEqual(names.size, words.length - 1);
    });

    it("readable and valid: `<namespace>.<claim>`; a pair too long for a PV name keeps a prefix and a digest", () => {
        assert.strictEqual(checkpointVolumeName("default", "aggregate-shared-ckpt"), "default.aggregate-shared-ckpt");
        const ns = "n".repeat(63);
        const long1 = checkpointVolumeName(ns, `${"c".repeat(200)}.x-shared-ckpt`);
        const long2 = checkpointVolumeName(ns, `${"c".repeat(200)}.y-shared-ckpt`);
        for (const n of [long1, long2, checkpointVolumeName("a", "b"), checkpointVolumeName(ns, `${"d".repeat(188)}-`.padEnd(253, "e"))]) {
            assert.ok(n.length <= 253, `${n.length} characters`);
            assert.match(n, DNS1123_SUBDOMAIN);
        }
        assert.notStrictEqual(long1, long2);
        assert.ok(long1.startsWith(`${ns}.ccc`));
    });

    it("under mocks: namespace a-b app c and namespace a app b-c get distinct PVs, each claim bound to its own", async () => {
        const g = await capture(() => {
            new Application("one", { ...APP, name: "c", namespace: "a-b", environment: nfsEnv(), cluster: {} });
            new Application("two", { ...APP, name: "b-c", namespace: "a", environment: nfsEnv(), cluster: {} });
        });
        const pvs = g.byType(K.pv).map((r) => r.inputs.metadata.name).sort();
        assert.deepStrictEqual(pvs, ["a-b.c-shared-ckpt", "a.b-c-shared-ckpt"]);
        for (const pvc of g.byType(K.pvc)) {
            assert.strictEqual(pvc.inputs.spec.volumeName, `${pvc.inputs.metadata.namespace}.${pvc.inputs.metadata.name}`);
        }
        // A PV keeps the name it was created with: a later rule never renames (replaces) it.
        for (const pv of g.byType(K.pv)) assert.deepStrictEqual(pv.ignoreChanges, ["metadata.name"]);
    });

    // The state a stack made by the previous release holds, as the real engine
    // recorded it (tests/e2e/upgrade.sh, VOLLEY_RECORD_PREVIEWS): PV
    // `default-aggregate-shared-ckpt` and its claim. The same program with this
    // release must send the provider exactly those inputs: no diff, so no
    // replacement of a retained checkpoint volume.
    const old = recordedState("deletion.json");
    const program = () => new Application("aggregate", {
        ...APP, environment: nfsEnv(), replicas: 3, cluster: { maxKeyGroups: 256 },
    });

    it("upgrade: the recorded PV and claim keep their names and every input (no replacement, no update)", async () => {
        const oldPv = old[`${K.pv}::aggregate-ckpt-pv`];
        const oldPvc = old[`${K.pvc}::aggregate-ckpt-pvc`];
        assert.strictEqual(oldPv.metadata.name, "default-aggregate-shared-ckpt", "the fixture is a stack of the previous release");
        const g = await capture(program, { previous: old });
        // Same child names (URNs), so no alias is needed.
        assert.deepStrictEqual(g.byType(K.pv).map((r) => r.name), ["aggregate-ckpt-pv"]);
        assert.deepStrictEqual(g.byType(K.pvc).map((r) => r.name), ["aggregate-ckpt-pvc"]);
        const pv = g.one(K.pv);
        const pvc = g.one(K.pvc);
        assert.strictEqual(pv.inputs.metadata.name, "default.aggregate-shared-ckpt", "the new rule, for a new PV");
        for (const [r, o] of [[pv, oldPv], [pvc, oldPvc]] as const) {
            for (const p of FORCE_NEW[r.type]) assert.deepStrictEqual(at(r.effectiveInputs, p), at(o, p), `${r.name}: ${p} would replace it`);
            assert.deepStrictEqual(asStored(r.type, r.effectiveInputs), o, `${r.name}: no update either`);
        }
        assert.strictEqual(pvc.inputs.spec.volumeName, "default-aggregate-shared-ckpt", "the claim follows the PV's real name");
    });
});
