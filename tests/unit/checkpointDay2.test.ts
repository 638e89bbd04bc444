// Per-application checkpoint directories and volumes on day 2 (#22): the
// directory Jobs out of application namespaces (G3), PV names that no two
// claims share, and an upgrade that keeps every existing PV as it is (G9).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "../../provider/kubernetes/application";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { VolleyOperator } from "../../provider/kubernetes/volleyOperator";
import { checkpointVolumeName, directoryJobNamespace, directoryScript, renderDirectoryJob } from "../../provider/kubernetes/render/checkpoints";
import { capture, valueOf } from "./graph";
import { ENV, OPERATOR } from "./validate.test";

const K = {
    ns: "kubernetes:core/v1:Namespace",
    pv: "kubernetes:core/v1:PersistentVolume",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    job: "kubernetes:batch/v1:Job",
};
const APP = { image: "registry.example.com/agg:v1", resources: { requests: { cpu: "1", memory: "1Gi" } } };
// Kubernetes' DNS-1123 subdomain (k8s.io/apimachinery IsDNS1123Subdomain): what a PV name must be.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nfsEnv = (extra: object = {}) => ({
    ...ENV, checkpoints: {
        kind: "Nfs", nfsServer: "127.0.0.1", nfsPath: "/exports/volley", mountOptions: [], defaultSize: "20Gi", directoryNamespace: "volley-system-checkpoint-jobs", ...extra,
    },
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

// The Pod Security Standards as Kubernetes documents them
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/, v1.30+):
// the rules a directory Job's pod meets or breaks. Not the package's constants.
const PSS = {
    /** Baseline "Capabilities": adding any other is forbidden. */
    baselineCapabilities: ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"],
    /** Restricted "Volume Types": only these. */
    restrictedVolumes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"],
};
function baselineViolations(pod: any): string[] {
    const out: string[] = [];
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push("host namespaces");
    for (const v of pod.volumes ?? []) if (v.hostPath) out.push("hostPath volume");
    for (const c of pod.containers) {
        if (c.securityContext?.privileged) out.push("privileged");
        for (const cap of c.securityContext?.capabilities?.add ?? []) if (!PSS.baselineCapabilities.includes(cap)) out.push(`capability ${cap}`);
        for (const p of c.ports ?? []) if (p.hostPort) out.push("hostPort");
    }
    return out;
}
function restrictedViolations(pod: any): string[] {
    const out = baselineViolations(pod);
    for (const v of pod.volumes ?? []) {
        const kind = Object.keys(v).find((k) => k !== "name")!;
        if (!PSS.restrictedVolumes.includes(kind)) out.push(`volume type ${kind}`);
    }
    for (const c of pod.containers) {
        const sc = { ...(pod.securityContext ?? {}), ...(c.securityContext ?? {}) };
        if (sc.runAsNonRoot !== true) out.push("runAsNonRoot");
        if (sc.runAsUser === 0) out.push("runAsUser 0");
        if (sc.allowPrivilegeEscalation !== false) out.push("allowPrivilegeEscalation");
        if (!(c.securityContext?.capabilities?.drop ?? []).includes("ALL")) out.push("drop ALL");
        for (const cap of c.securityContext?.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") out.push(`capability ${cap}`);
    }
    return out;
}

describe("checkpoint directory Jobs out of application namespaces (#22 G3)", () => {
    const nfs = { nfs: { server: "10.0.0.2", path: "/exports/volley" } };
    const withDirs = () => nfsEnv();

    it("the Job's pod is what Pod Security baseline admits and restricted refuses, so it cannot run in the (restricted) operator namespace", async () => {
        const pod = renderDirectoryJob({ app: "agg", namespace: "apps", server: "s", exportPath: "/e", uid: 1000, gid: 1000, image: "busybox:1.37.0" }).spec.template.spec;
        assert.deepStrictEqual(baselineViolations(pod), []);
        assert.deepStrictEqual(restrictedViolations(pod), ["volume type nfs", "runAsNonRoot", "runAsUser 0", "capability CHOWN"]);
        const g = await capture(() => new VolleyOperator("op", OPERATOR));
        assert.strictEqual(g.one(K.ns).inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("an NFS environment makes the Jobs' namespace (Pod Security baseline, enforced) and names it in its EnvironmentRef, which waits for it", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR, checkpoints: nfs }); });
        const ns = g.one(K.ns, "dev-checkpoint-jobs");
        assert.strictEqual(ns.inputs.metadata.name, "volley-system-checkpoint-jobs");
        assert.strictEqual(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "baseline");
        assert.strictEqual(ns.parent, g.one("volley:index:KubernetesEnvironment").urn);
        assert.strictEqual(ns.provider, g.one(K.ns, "dev-operator-ns").provider);
        const ref = await valueOf(env.environment);
        assert.strictEqual(ref.checkpoints!.directoryNamespace, "volley-system-checkpoint-jobs");
        const deps: Set<pulumi.Resource> = await (env.environment as any).resources();
        const urns = await Promise.all([...deps].map((r) => (r.urn as any).promise()));
        assert.ok(urns.includes(ns.urn), "applications that read the ref are ordered after the namespace");
        // Its name follows the operator namespace (two environments on one cluster), within 63 characters.
        const other = await capture(() => new KubernetesEnvironment("b", { operator: { ...OPERATOR, namespace: "team-b-volley" }, checkpoints: nfs }));
        assert.strictEqual(other.one(K.ns, "b-checkpoint-jobs").inputs.metadata.name, "team-b-volley-checkpoint-jobs");
        assert.ok(directoryJobNamespace("x".repeat(63)).length <= 63);
        assert.notStrictEqual(directoryJobNamespace(`${"x".repeat(62)}a`), directoryJobNamespace(`${"x".repeat(62)}b`));
    });

    it("no such namespace without an NFS export (a StorageClass provisions its own directories)", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR, checkpoints: { storageClassName: "rwx" } }); });
        assert.deepStrictEqual(g.byType(K.ns).map((r) => r.name).filter((n) => n.includes("checkpoint")), []);
        assert.strictEqual((await valueOf(env.environment)).checkpoints!.directoryNamespace, undefined);
    });

    it("the Job runs there, not in the application's namespace; same-named applications of two namespaces get two Jobs", async () => {
        const g = await capture(() => {
            new Application("one", { ...APP, name: "agg", namespace: "team-a", environment: withDirs(), cluster: {} });
            new Application("two", { ...APP, name: "agg", namespace: "team-b", environment: withDirs(), cluster: {} });
        });
        const jobs = g.byType(K.job).map((j) => j.inputs.metadata);
        assert.deepStrictEqual(jobs.map((m) => m.namespace), ["volley-system-checkpoint-jobs", "volley-system-checkpoint-jobs"]);
        assert.notStrictEqual(jobs[0].name, jobs[1].name);
        assert.deepStrictEqual(jobs.map((m) => [m.labels["volley.io/namespace"], m.labels["volley.io/application"]]), [["team-a", "agg"], ["team-b", "agg"]]);
        // Each still creates its own application's directory.
        assert.deepStrictEqual(g.byType(K.job).map((j) => j.inputs.spec.template.spec.containers[0].command[2].match(/\/export\/[a-z-]+\/agg/)![0]),
            ["/export/team-a/agg", "/export/team-b/agg"]);
    });

    it("upgrade: the recorded Job in the application's namespace is replaced by one in the Jobs' namespace (a Job holds no data); same child name", async () => {
        const oldJob = recordedState("deletion.json")[`${K.job}::aggregate-ckpt-dir`];
        assert.strictEqual(oldJob.metadata.namespace, "default");
        const g = await capture(() => new Application("aggregate", { ...APP, environment: withDirs(), replicas: 3, cluster: { maxKeyGroups: 256 } }), { previous: recordedState("deletion.json") });
        const job = g.one(K.job, "aggregate-ckpt-dir");
        assert.strictEqual(job.inputs.metadata.namespace, "volley-system-checkpoint-jobs");
        assert.notStrictEqual(job.inputs.metadata.name, oldJob.metadata.name, "a new name: created before the old one is deleted");
        assert.strictEqual(job.deleteBeforeReplace, false);
    });
});

describe("checkpoint directory Jobs survive change (#22 G8)", () => {
    // The Job's script, run for real by this machine's sh, stat, chmod and chown
    // (GNU here, busybox in the Job: the same POSIX sh and `stat -c`), on a
    // directory standing in for the export. Root squash is what the NFS server
    // does to root: it acts as nobody (65534), which is how the script is run
    // to stand for it. Needs root (to chown and to become nobody): CI runs as root.
    const NOBODY = 65534;
    let tmp = "";
    const run = (req: { uid: number; gid: number }, asNobody = false) => {
        const script = directoryScript({ app: "agg", namespace: "apps", ...req }).replace("d='/export/", `d='${tmp}/`);
        const argv = asNobody ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "sh", "-c", script] : ["sh", "-c", script];
        return spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });
    };
    const dir = () => path.join(tmp, "apps", "agg");
    const owner = (p: string) => { const st = fs.lstatSync(p); return `${st.uid}:${st.gid}`; };
    before(function () {
        if (process.getuid?.() !== 0 || spawnSync("setpriv", ["--version"]).status !== 0) {
            // A skip in CI would hide that the script was never run: fail there instead.
            if (process.env.CI === "true") throw new Error("the directory script's real-run tests need root and setpriv (util-linux); CI must provide both");
            console.warn("    SKIPPED: the directory script's real-run tests need root and setpriv");
            this.skip();
        }
    });
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "volley-export-"));
        fs.chmodSync(tmp, 0o755);   // an export root: root-owned 755, like a new Filestore share
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("a new directory: created, 0770, owned by uid:gid; run again, it writes nothing", () => {
        assert.strictEqual(run({ uid: 1000, gid: 2000 }).status, 0);
        const st = fs.statSync(dir());
        assert.strictEqual((st.mode & 0o7777).toString(8), "770");
        assert.strictEqual(owner(dir()), "1000:2000");
        const ctime = fs.statSync(dir()).ctimeMs;
        assert.strictEqual(run({ uid: 1000, gid: 2000 }).status, 0);
        assert.strictEqual(fs.statSync(dir()).ctimeMs, ctime, "no chmod or chown on a directory that is right");
    });

    it("a new owner re-owns everything the old one wrote, follows no symbolic link", () => {
        assert.strictEqual(run({ uid: 1000, gid: 1000 }).status, 0);
        // What workers running as 1000 left: a private subdirectory, a file, and a link to someone else's file.
        fs.mkdirSync(path.join(dir(), "chk-1"), { mode: 0o700 });
        fs.writeFileSync(path.join(dir(), "chk-1", "state.sst"), "x", { mode: 0o600 });
        const outside = path.join(tmp, "other-app-file");
        fs.writeFileSync(outside, "y");
        fs.chownSync(outside, 5, 5);
        fs.symlinkSync(outside, path.join(dir(), "link"));
        for (const p of ["chk-1", "chk-1/state.sst"]) fs.chownSync(path.join(dir(), p), 1000, 1000);
        fs.lchownSync(path.join(dir(), "link"), 1000, 1000);
        const r = run({ uid: 2000, gid: 3000 });
        assert.strictEqual(r.status, 0, r.stderr);
        for (const p of ["", "chk-1", "chk-1/state.sst", "link"]) assert.strictEqual(owner(path.join(dir(), p)), "2000:3000", p || "the directory");
        assert.strictEqual(owner(outside), "5:5", "the link's target is not re-owned");
    });

    it("a chown cut short (the top re-owned, a file below not) is finished by the next run", () => {
        assert.strictEqual(run({ uid: 1000, gid: 1000 }).status, 0);
        fs.mkdirSync(path.join(dir(), "chk-1"));
        fs.writeFileSync(path.join(dir(), "chk-1", "state.sst"), "x");
        for (const p of ["chk-1", "chk-1/state.sst"]) fs.chownSync(path.join(dir(), p), 1000, 1000);
        // As if `chown -hR 2000:3000` had re-owned the directory and the pod was lost before the rest.
        fs.chownSync(dir(), 2000, 3000);
        fs.chownSync(path.join(dir(), "chk-1"), 2000, 3000);
        const r = run({ uid: 2000, gid: 3000 });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(owner(path.join(dir(), "chk-1", "state.sst")), "2000:3000");
        // Only the group left behind counts too.
        fs.chownSync(path.join(dir(), "chk-1", "state.sst"), 2000, 1000);
        assert.strictEqual(run({ uid: 2000, gid: 3000 }).status, 0);
        assert.strictEqual(owner(path.join(dir(), "chk-1", "state.sst")), "2000:3000");
    });

    it("root squashed: a new directory fails at once, saying why and what the export needs", () => {
        const r = run({ uid: 1000, gid: 1000 }, true);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /^volley: cannot create apps\/agg on the checkpoint export as root: the export squashes root for this node, or is read-only; it must let the nodes' root create and chown directories \(no_root_squash\)$/m);
    });

    it("root squashed: a directory that is already right needs nothing, so the Job succeeds; an owner change fails with the reason", () => {
        assert.strictEqual(run({ uid: 1000, gid: 1000 }).status, 0);
        assert.strictEqual(run({ uid: 1000, gid: 1000 }, true).status, 0);
        const r = run({ uid: 2000, gid: 2000 }, true);
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /volley: cannot chown apps\/agg on the checkpoint export as root: the export squashes root/);
        assert.strictEqual(owner(dir()), "1000:1000");
    });
});

describe("checkpoint directory Jobs: a change is a new Job that fails fast (#22 G8)", () => {
    const req = { app: "agg", namespace: "apps", jobNamespace: "volley-system-checkpoint-jobs", server: "10.0.0.2", exportPath: "/e", uid: 1000, gid: 1000, image: "busybox:1.37.0" };

    it("a uid, gid, image, export or placement change gives the Job a new name (a Job's template cannot change in place); the same request, the same name", () => {
        const name = (x: object) => renderDirectoryJob({ ...req, ...x }).metadata.name;
        const names = [{}, { uid: 2000 }, { gid: 2000 }, { image: "mirror/busybox:1.37.0" }, { server: "10.0.0.3" }, { exportPath: "/f" },
            { placement: { nodeSelector: { pool: "system" } } }, { namespace: "other" }].map(name);
        assert.strictEqual(new Set(names).size, names.length);
        assert.strictEqual(name({}), name({}));
        for (const n of names) assert.match(n, /^agg-ckpt-dir-[0-9a-f]{8}$/);
        assert.ok(name({ app: "a".repeat(52) }).length <= 63);
    });

    it("fails fast: no restarts in place, one retry; pulumi-kubernetes reports BackoffLimitExceeded at once with the script's message, and replaces the failed Job on the next up", () => {
        const j = renderDirectoryJob(req);
        assert.strictEqual(j.spec.backoffLimit, 1);
        assert.strictEqual(j.spec.template.spec.restartPolicy, "Never");
        assert.strictEqual(j.spec.template.spec.containers[0].terminationMessagePolicy, "FallbackToLogsOnError");
        assert.strictEqual(j.metadata.annotations["pulumi.com/replaceUnready"], "true");
        assert.strictEqual(j.spec.podFailurePolicy, undefined, "a FailJob rule ends with reason PodFailurePolicy, which the Job await does not treat as failed");
    });

    it("a uid change under mocks: the same child, a new Job name (created before the old one goes), and the CR waits for it", async () => {
        const graph = (uid: number) => capture(() => new Application("agg", { ...APP, environment: nfsEnv({ uid }), cluster: {} }));
        const [a, b] = [await graph(1000), await graph(2000)];
        const [ja, jb] = [a.one(K.job), b.one(K.job)];
        assert.strictEqual(ja.name, jb.name);
        assert.notStrictEqual(ja.inputs.metadata.name, jb.inputs.metadata.name);
        assert.strictEqual(jb.deleteBeforeReplace, false);
        assert.ok(b.dependsOn(b.one("kubernetes:volley.io/v1alpha1:VolleyApplication"), jb));
    });
});
