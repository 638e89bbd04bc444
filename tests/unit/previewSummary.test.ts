// The preview summary and the upgrade check on previews recorded from the
// real engine (tests/e2e/upgrade.sh with VOLLEY_RECORD_PREVIEWS), plus the
// cases a recording cannot show on purpose (secrets inside objects, a rename).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

// Plain JavaScript, run as it is by the GitHub Action.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { summarize, policyEvents, valueAt, matchRows, loadChangeTables, SECRET } = require("../../.github/actions/preview-summary/summary.js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { parseAllowList, unexpectedChanges } = require("../upgrade/changes.js");

const FIXTURES = path.join(__dirname, "..", "fixtures", "previews");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
const md = (name: string) => summarize(load(name));

describe("preview summary on recorded previews", () => {
    it("no-op: one line, no sections, no warning", () => {
        const { markdown, atRisk } = md("noop");
        assert.strictEqual(atRisk, false);
        assert.ok(!markdown.includes("###"), markdown);
        assert.match(markdown, /\*\*Total:\*\* \d+ unchanged\.\n$/);
    });

    it("replicas: the application's section with the one field, old and new", () => {
        const { markdown, atRisk } = md("replicas");
        assert.strictEqual(atRisk, false);
        assert.match(markdown, /### Application `aggregate`\n\n\| operation \| resource \| changes \| why \|\n\|---\|---\|---\|---\|\n\| update \| volley\.io\/v1alpha1:VolleyApplication `aggregate-vapp` \| `spec\.replicas`: 3 → 2 \|  \|\n/);
        assert.match(markdown, /\*\*Total:\*\* 1 to update, \d+ unchanged\./);
    });

    it("a rotated secret: shown as [secret], no part of it printed", () => {
        const { markdown } = md("secret");
        assert.ok(markdown.includes("[secret]"), markdown);
        assert.ok(!/certificate-authority-data|client-key|token:|BEGIN /.test(markdown), markdown);
        // The recorded preview holds the secret only as "[secret]" (the engine masks it) ...
        assert.ok(!JSON.stringify(load("secret")).includes("certificate-authority-data"));
    });

    it("a new application: its own section of creates, no warning", () => {
        const { markdown, atRisk } = md("new-application");
        assert.strictEqual(atRisk, false);
        assert.match(markdown, /### Application `enrich`/);
        assert.match(markdown, /\| create \| volley\.io\/v1alpha1:VolleyApplication `enrich-vapp` \|/);
        assert.match(markdown, /\| create \| core\/v1:PersistentVolume `enrich-ckpt-pv` \|/);
    });

    it("a deletion: the checkpoint volume and claim named above everything, retained", () => {
        const { markdown, atRisk } = md("deletion");
        assert.strictEqual(atRisk, true);
        assert.ok(markdown.startsWith("## Pulumi preview\n\n> [!CAUTION]\n> **Checkpoint data at risk.**"), markdown);
        assert.match(markdown, /> - checkpoint PersistentVolume `aggregate-ckpt-pv` of Application `aggregate` would be \*\*deleted\*\* \(retained on delete/);
        assert.match(markdown, /> - checkpoint claim `aggregate-ckpt-pvc` of Application `aggregate` would be \*\*deleted\*\*/);
        assert.match(markdown, /### Application `aggregate`/);
    });

    it("a checkpoint volume replacement: warned with the property that forces it", () => {
        const { markdown, atRisk } = md("checkpoint-replacement");
        assert.strictEqual(atRisk, true);
        assert.match(markdown, /> - checkpoint PersistentVolume `aggregate-ckpt-pv` of Application `aggregate` would be \*\*replaced\*\*, because `spec\.nfs\.path` cannot change in place/);
        assert.match(markdown, /\| replace \| core\/v1:PersistentVolume `aggregate-ckpt-pv` \| `spec\.nfs\.path`: "\/exports\/volley\/default\/aggregate" → "\/exports\/volley-moved\/default\/aggregate" \| `spec\.nfs\.path` cannot change in place \|/);
        // The directory Job follows the export; it holds no data, so no warning names it.
        assert.match(markdown, /\| replace \| batch\/v1:Job `aggregate-ckpt-dir` \|/);
        assert.ok(!/> - .*aggregate-ckpt-dir/.test(markdown));
        // The API server refused the new volume at preview: said, not hidden.
        assert.match(markdown, /\*\*The preview reported errors:\*\*/);
    });
});

describe("preview summary: what a change does, from the change tables", () => {
    // Cloud previews cannot be recorded here (no account): these fixtures are
    // constructed in the shape of the recorded ones (see their "comment").
    const tables = loadChangeTables();
    const line = (markdown: string, resource: string) => markdown.split("\n").find((l) => l.includes(resource)) ?? "";

    it("reads the tables the package's rows produce (make change-tables)", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { CHANGE_TABLES_FILE, changeTablesJson } = require("../../tools/preview-summary/change-tables");
        assert.strictEqual(fs.readFileSync(CHANGE_TABLES_FILE, "utf8"), changeTablesJson(), "run `make change-tables`");
        assert.deepStrictEqual([...new Set(tables.map((r: any) => r.cloud))], ["aws", "gcp", "azure"]);
    });

    it("names no row for a step no row is about (every recorded preview of the local platform)", () => {
        for (const f of ["noop", "replicas", "secret", "new-application", "deletion", "checkpoint-replacement"]) {
            for (const step of load(f).steps) assert.deepStrictEqual(matchRows(step, tables), [], `${f}: ${step.urn}`);
        }
    });

    it("AWS version bump: the cluster's row, the add-ons' rows (the driver's own), nothing invented for the node groups", () => {
        const { markdown, atRisk } = md("aws-version-bump");
        assert.strictEqual(atRisk, false);
        assert.match(line(markdown, "`dev-cluster`"), /\| `version`: "1\.35" → "1\.36" \| `cluster\.version`: \*\*in place\*\*\. Upgrades the control plane .*then the add-ons.* \(source: EKS update-cluster\.adoc/);
        for (const a of ["`dev-kube-proxy`", "`dev-vpc-cni`"]) assert.match(line(markdown, a), /`cluster\.addonVersions`: \*\*in place\*\*/, a);
        assert.match(line(markdown, "`dev-efs-csi-driver`"), /\| `efs\.csiDriverVersion`: \*\*in place\*\*/);
        assert.ok(!line(markdown, "`dev-efs-csi-driver`").includes("cluster.addonVersions"), "the row about this child only");
        for (const ng of ["NodeGroup `dev-system`", "NodeGroup `dev-stream`"]) assert.match(line(markdown, ng), /\|  \|$/, ng);
    });

    it("AWS node pools, tags, deployer, EFS base path: what each change does and why, with its source", () => {
        const { markdown } = md("aws-pools-tags-efs");
        assert.match(line(markdown, "NodeGroup `dev-stream`"),
            /\| `instanceTypes` cannot change in place: `streamNodePool\.instanceTypes`: \*\*replaced: new one first\*\*\. Replaces the node group .*\(source: terraform-provider-aws internal\/service\/eks\/node_group\.go: instance_types ForceNew\) \|$/);
        // Each pool's own row (#21 audit gap 5 added the system pool's), never the other pool's.
        assert.match(line(markdown, "NodeGroup `dev-system`"),
            /\| `instanceTypes` cannot change in place: `systemNodePool\.instanceTypes`: \*\*replaced: new one first\*\*\. Replaces the system node group .*instance_types ForceNew\) \|$/);
        assert.ok(!line(markdown, "NodeGroup `dev-system`").includes("streamNodePool"), "not the stream pool's row");
        for (const lt of ["`dev-stream-nodes`", "`dev-system-nodes`"]) assert.match(line(markdown, lt), /`tags`: \*\*in place: nodes recycled\*\*\. .*EKS recycles every node/, lt);
        assert.match(line(markdown, "`dev-deployer`"), /^\| create \| .*`cluster\.deployerRoleArn`: \*\*in place\*\*/);
        assert.match(line(markdown, "`dev-efs-class`"), /`parameters` cannot change in place: `efs\.basePath`: \*\*replaced: old one deleted first\*\*/);
    });

    it("GCP: the most specific row wins (a derived name that changes), and a forgotten instance says why in the warning", () => {
        const { markdown, atRisk } = md("gcp-spot-checkpoints-off");
        assert.strictEqual(atRisk, true);
        assert.match(line(markdown, "`dev-stream-pool`"), /`streamNodePool\.spot`: \*\*replaced: new one first\*\*/);
        assert.ok(!line(markdown, "`dev-stream-pool`").includes("poolName"), "not the pinned-name row");
        assert.match(line(markdown, "`dev-system-pool`"), /`systemNodePool\.spot`: \*\*replaced: new one first\*\*/);
        assert.match(markdown, /> - Filestore instance `dev-ckpt-instance` of GcpEnvironment `dev` would be \*\*deleted\*\* \(retained on delete[^)]*\) — `checkpoints\.enabled`: \*\*forgotten, retained\*\*\. The instance is retained/);
    });

    it("GCP, a pinned pool name: only the spot field changes, so the pinned-name row (deleted first)", () => {
        const step = {
            op: "replace", urn: "urn:pulumi:dev::p::volley:index:GcpEnvironment$volley:index:GcpNodePool$gcp:container/nodePool:NodePool::dev-stream-pool",
            replaceReasons: ["nodeConfig.spot"], detailedDiff: { "nodeConfig.spot": { kind: "update-replace" } },
        };
        assert.deepStrictEqual(matchRows(step, tables).map((r: any) => [r.input, r.effect]), [["streamNodePool.poolName", "replaced: old one deleted first"]]);
    });

    it("a Kubernetes object with a row on every cloud: the row of the cloud it is under only, none under KubernetesEnvironment (NetworkPolicies)", () => {
        const np = (chain: string, name: string, step: any = { op: "create" }) => ({ ...step, urn: `urn:pulumi:dev::p::${chain}$kubernetes:networking.k8s.io/v1:NetworkPolicy::${name}` });
        const rowsOf = (step: any) => matchRows(step, tables).map((r: any) => [r.cloud, r.input]);
        assert.deepStrictEqual(rowsOf(np("volley:index:AzureEnvironment", "dev-netpol-keda-allow-api-server")), [["azure", "networkPolicies.enabled"]]);
        assert.deepStrictEqual(rowsOf(np("volley:index:AwsEnvironment", "dev-netpol-operator-default-deny-ingress", { op: "delete" })), [["aws", "networkPolicies.enabled"]]);
        const grafana = { op: "update", detailedDiff: { "spec.ingress[0].from[1]": { kind: "add" } } };
        assert.deepStrictEqual(rowsOf(np("volley:index:GcpEnvironment", "dev-netpol-monitoring-allow-grafana-users", grafana)), [["gcp", "networkPolicies.grafanaFrom"]]);
        assert.deepStrictEqual(rowsOf(np("volley:index:KubernetesEnvironment", "dev-netpol-operator-default-deny-ingress")), []);
        // The metrics-server add-on turned off: its own row, not the add-on versions'.
        const addon = { op: "delete", urn: "urn:pulumi:dev::p::volley:index:AwsEnvironment$aws:eks/addon:Addon::dev-metrics-server" };
        assert.deepStrictEqual(matchRows(addon, tables).map((r: any) => [r.input, r.effect]), [["cluster.metricsServer", "in place"]]);
    });

    it("Azure: a derived-name pool replaced for its VM size, a share resized", () => {
        const { markdown } = md("azure-vmsize-quota");
        const pool = line(markdown, "`dev-stream-pool`");
        assert.match(pool, /`streamNodePool\.vmSize`: \*\*replaced: new one first\*\*\. AKS sets it at creation only/);
        assert.strictEqual((pool.match(/\*\*replaced/g) ?? []).length, 1, "one row, not every create-only pool field");
        assert.match(line(markdown, "`dev-ckpt-share`"), /`checkpoints\.quotaGib`: \*\*in place\*\*/);
    });

    it("without tables, the summary is what it was: the engine's reasons only", () => {
        const { markdown } = summarize(load("aws-pools-tags-efs"), undefined, []);
        assert.match(line(markdown, "NodeGroup `dev-stream`"), /\| `instanceTypes` cannot change in place \|$/);
        assert.ok(!markdown.includes("**in place"), markdown);
    });

    it("the command line finds the tables beside the script", () => {
        const cp = require("child_process");
        const script = path.join(__dirname, "..", "..", ".github", "actions", "preview-summary", "summary.js");
        const r = cp.spawnSync(process.execPath, [script, path.join(FIXTURES, "aws-pools-tags-efs.json")], { encoding: "utf8", cwd: "/" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /`streamNodePool\.instanceTypes`: \*\*replaced: new one first\*\*/);
    });
});

describe("preview summary on what a recording cannot show", () => {
    const urn = (chain: string, name: string) => `urn:pulumi:prod::p::${chain}::${name}`;

    it("masks a secret nested in an object and any path below it", () => {
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "abc" };
        assert.strictEqual(valueAt({ a: { b: sig } }, "a.b.c"), SECRET);
        assert.strictEqual(valueAt({ a: "[secret]" }, "a"), SECRET);
        assert.strictEqual(valueAt({ m: { labels: { "x.io/y": 1 } } }, 'm.labels["x.io/y"]'), 1);
        const { markdown } = summarize({
            steps: [{
                op: "update", urn: urn("volley:index:Application$kubernetes:core/v1:Secret", "a-creds"),
                oldState: { inputs: { stringData: { password: "[secret]" } } }, newState: { inputs: { stringData: { password: "[secret]" } } },
                detailedDiff: { "stringData.password": { kind: "update" } },
            }],
            changeSummary: { update: 1 },
        });
        assert.match(markdown, /`stringData\.password`: \[secret\] → \[secret\]/);
    });

    it("flags cloud checkpoint storage under any parent, and leaves other PVs alone", () => {
        const { markdown, atRisk } = summarize({
            steps: [
                { op: "replace", urn: urn("volley:index:GcpEnvironment$volley:index:FilestoreCheckpointStore$gcp:filestore/instance:Instance", "dev-store-instance"), replaceReasons: ["tier"] },
                { op: "delete", urn: urn("kubernetes:core/v1:PersistentVolume", "someone-elses-pv") },
            ],
            changeSummary: { replace: 1, delete: 1 },
        });
        assert.strictEqual(atRisk, true);
        assert.match(markdown, /> - Filestore instance `dev-store-instance` of GcpEnvironment would be \*\*replaced\*\*, because `tier`/);
        // The tier row says the tier is kept as created: it cannot explain a replacement.
        assert.ok(!markdown.includes("checkpoints.tier"), markdown);
        assert.ok(!/> - .*someone-elses-pv/.test(markdown), markdown);
        assert.match(markdown, /### Other resources/);
    });
});

describe("preview summary: Kafka topics (issue 24)", () => {
    const urn = (name: string) => `urn:pulumi:prod::p::volley:index:Application$kubernetes:kafka.strimzi.io/v1:KafkaTopic::${name}`;
    const topic = (op: string, name: string, before: number | undefined, after: number | undefined, retain = true) => ({
        op, urn: urn(name),
        oldState: { type: "kubernetes:kafka.strimzi.io/v1:KafkaTopic", retainOnDelete: retain, inputs: { spec: before === undefined ? {} : { partitions: before } } },
        newState: after === undefined ? undefined : { type: "kubernetes:kafka.strimzi.io/v1:KafkaTopic", retainOnDelete: retain, inputs: { spec: { partitions: after } } },
        detailedDiff: { "spec.partitions": { kind: "update" } },
    });

    it("a partition decrease is named above everything: Kafka refuses it", () => {
        const { markdown, kafkaAtRisk, atRisk } = summarize({ steps: [topic("update", "agg-topic-orders", 12, 6)], changeSummary: { update: 1 } });
        assert.strictEqual(kafkaAtRisk, true);
        assert.strictEqual(atRisk, false, "no checkpoint at risk");
        assert.match(markdown, /> \*\*Kafka data at risk\.\*\*[^\n]*\n> - Kafka topic `agg-topic-orders` of Application: partitions 12 → 6 \*\*cannot decrease\*\*/);
    });

    it("an increase, or deleting a retained topic, is no risk; deleting one that is not retained is", () => {
        assert.strictEqual(summarize({ steps: [topic("update", "t", 6, 12)] }).kafkaAtRisk, false);
        assert.strictEqual(summarize({ steps: [topic("delete", "t", 6, undefined)] }).kafkaAtRisk, false);
        const { markdown, kafkaAtRisk } = summarize({ steps: [topic("delete", "scratch", 6, undefined, false)] });
        assert.strictEqual(kafkaAtRisk, true);
        assert.match(markdown, /> - Kafka topic `scratch` of Application would be \*\*deleted\*\*, and its messages with it/);
    });
});

describe("preview summary: the Policy section from the event log", () => {
    // Engine events as `pulumi preview --event-log` writes them: one JSON a line,
    // violations as policyEvent (sdk/go/common/apitype/events.go), the message
    // "description\nmessage" from @pulumi/policy in the engine's colour markup.
    const ev = (level: string, policyName: string, urn: string | undefined, msg: string) => JSON.stringify({
        sequence: 1, timestamp: 1, policyEvent: {
            ...(urn ? { resourceUrn: urn } : {}), policyName, policyPackName: "volley", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0",
            enforcementLevel: level, color: "raw", message: `<{%fg 13%}><{%bold%}>Some description.\n${msg}<{%reset%}>\n`,
        },
    });
    const log = [
        JSON.stringify({ sequence: 0, timestamp: 0, preludeEvent: { config: {} } }),
        ev("advisory", "images-pinned", "urn:pulumi:dev::p::volley:index:Application$kubernetes:volley.io/v1alpha1:VolleyApplication::ingest-vapp", "VolleyApplication ingest runs x:v1, a tag that can move."),
        "",
        ev("mandatory", "limits-set", "urn:pulumi:dev::p::volley:index:Application$kubernetes:volley.io/v1alpha1:VolleyApplication::agg-vapp", "VolleyApplication agg has no cpu or memory limit | with a pipe."),
        ev("mandatory", "capacity-fits", undefined, "VolleyApplication agg may scale to 8 workers."),
        JSON.stringify({ sequence: 3, timestamp: 3, summaryEvent: { maybeCorrupt: false } }),
    ].join("\n");

    it("lists mandatory violations first, with level, resource and the message without the description", () => {
        const events = policyEvents(log);
        assert.strictEqual(events.length, 3);
        const { markdown, mandatoryViolations, atRisk } = summarize(load("noop"), events);
        assert.strictEqual(mandatoryViolations, 2);
        assert.strictEqual(atRisk, false);
        assert.match(markdown, /> \[!IMPORTANT\]\n> \*\*2 mandatory policy violations\.\*\*/);
        assert.match(markdown, /### Policy\n\n\| policy \| level \| resource \| message \|\n\|---\|---\|---\|---\|\n\| `capacity-fits` \| \*\*mandatory\*\* \| \(stack\) \| VolleyApplication agg may scale to 8 workers\. \|\n\| `limits-set` \| \*\*mandatory\*\* \| volley\.io\/v1alpha1:VolleyApplication `agg-vapp` \| VolleyApplication agg has no cpu or memory limit \\\| with a pipe\. \|\n\| `images-pinned` \| advisory \|/);
        assert.ok(!markdown.includes("Some description"), markdown);
        assert.ok(!markdown.includes("<{%"), markdown);
    });

    it("a real engine's event log (the langhost smoke test's one-rule pack, recorded): the violation, nothing else", () => {
        const events = policyEvents(fs.readFileSync(path.join(FIXTURES, "policy-widget.events.jsonl"), "utf8"));
        assert.strictEqual(events.length, 1);
        const { markdown, mandatoryViolations } = summarize(load("policy-widget"), events);
        assert.strictEqual(mandatoryViolations, 1);
        assert.match(markdown, /\| `no-widgets` \| \*\*mandatory\*\* \| index:Widget `w` \| widget w in snode\/dev, dry-run true, greeting hi \|\n/);
        assert.match(markdown, /> \*\*1 mandatory policy violation\.\*\* The preview fails until it is fixed/);
    });

    it("says so when the pack found nothing, and has no section without an event log", () => {
        assert.match(summarize(load("noop"), []).markdown, /### Policy\n\nNo policy violations\.\n/);
        assert.ok(!summarize(load("noop")).markdown.includes("### Policy"));
        assert.strictEqual(summarize(load("noop")).mandatoryViolations, 0);
    });

    it("the command line writes the step outputs and fails on a mandatory violation when asked", () => {
        const os = require("os");
        const cp = require("child_process");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summary-"));
        fs.writeFileSync(path.join(dir, "events.jsonl"), log);
        const script = path.join(__dirname, "..", "..", ".github", "actions", "preview-summary", "summary.js");
        const run = (...extra: string[]) => cp.spawnSync(process.execPath, [script, path.join(FIXTURES, "noop.json"), "--event-log", path.join(dir, "events.jsonl"), ...extra], { encoding: "utf8" });
        const ok = run("--outputs", path.join(dir, "out"));
        assert.strictEqual(ok.status, 0, ok.stderr);
        assert.strictEqual(fs.readFileSync(path.join(dir, "out"), "utf8"), "checkpoint-risk=false\nmandatory-violations=2\nkafka-risk=false\n");
        assert.strictEqual(run("--fail-on-policy").status, 4);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("upgrade check", () => {
    const step = (op: string, name: string, extra: any = {}) => ({ op, urn: `urn:pulumi:s::p::volley:index:Application$kubernetes:core/v1:ConfigMap::${name}`, ...extra });
    const allow = parseAllowList("# comment\ncreate kubernetes:core/v1:ConfigMap::a-new\nupdate kubernetes:core/v1:ConfigMap::a-cm data.x  # why\n");

    it("passes listed creates and updates of listed properties", () => {
        assert.deepStrictEqual(unexpectedChanges({ steps: [step("same", "x"), step("create", "a-new"), step("update", "a-cm", { detailedDiff: { "data.x": {} } })] }, allow), []);
    });

    it("catches a rename without an alias: a delete and a create", () => {
        const wrong = unexpectedChanges({ steps: [step("delete", "a-old"), step("create", "a-renamed")] }, allow);
        assert.deepStrictEqual(wrong, [
            "delete kubernetes:core/v1:ConfigMap::a-old: never allowed in an upgrade",
            "create kubernetes:core/v1:ConfigMap::a-renamed: not in the allow-list",
        ]);
    });

    it("catches a replacement, and an update of a property not listed", () => {
        const wrong = unexpectedChanges({ steps: [step("replace", "a-cm", { replaceReasons: ["metadata.name"] }), step("update", "a-cm", { detailedDiff: { "data.y": {} } })] }, allow);
        assert.deepStrictEqual(wrong, [
            "replace kubernetes:core/v1:ConfigMap::a-cm (replaced because metadata.name): never allowed in an upgrade",
            "update kubernetes:core/v1:ConfigMap::a-cm: data.y not allowed (allowed: data.x)",
        ]);
    });

    it("passes the replacement of a listed Job only (a task, run again); other replacements are still caught", () => {
        const job = (op: string, name: string) => ({ op, urn: `urn:pulumi:s::p::volley:index:Application$kubernetes:batch/v1:Job::${name}`, ...(op === "replace" ? { replaceReasons: ["metadata.namespace"] } : {}) });
        const allowJob = parseAllowList("replace kubernetes:batch/v1:Job::a-ckpt-dir\n");
        assert.deepStrictEqual(unexpectedChanges({ steps: [job("replace", "a-ckpt-dir")] }, allowJob), []);
        assert.deepStrictEqual(unexpectedChanges({ steps: [job("replace", "b-ckpt-dir"), job("delete", "a-ckpt-dir")] }, allowJob), [
            "replace kubernetes:batch/v1:Job::b-ckpt-dir: not in the allow-list",
            "delete kubernetes:batch/v1:Job::a-ckpt-dir: never allowed in an upgrade",
        ]);
        assert.deepStrictEqual(unexpectedChanges({ steps: [step("replace", "a-cm")] }, parseAllowList("replace kubernetes:core/v1:ConfigMap::a-cm\n")),
            ["replace kubernetes:core/v1:ConfigMap::a-cm: never allowed in an upgrade"]);
    });

    it("passes the deletion of a listed provider resource only; a provider replaced is still caught", () => {
        const provider = (op: string, name: string, extra: any = {}) => ({ op, urn: `urn:pulumi:s::p::volley:index:Application$pulumi:providers:kubernetes::${name}`, ...extra });
        const allowProvider = parseAllowList("delete pulumi:providers:kubernetes::a-k8s\n");
        assert.deepStrictEqual(unexpectedChanges({ steps: [provider("delete", "a-k8s")] }, allowProvider), []);
        assert.deepStrictEqual(unexpectedChanges({ steps: [provider("delete", "b-k8s"), provider("replace", "a-k8s")] }, allowProvider), [
            "delete pulumi:providers:kubernetes::b-k8s: not in the allow-list",
            "replace pulumi:providers:kubernetes::a-k8s: never allowed in an upgrade",
        ]);
        assert.deepStrictEqual(unexpectedChanges({ steps: [step("delete", "a-cm")] }, parseAllowList("delete kubernetes:core/v1:ConfigMap::a-cm\n")),
            ["delete kubernetes:core/v1:ConfigMap::a-cm: never allowed in an upgrade"]);
    });
});

describe("examples/ci/github-actions.yml: a failed preview fails the check (#25)", () => {
    // The workflow as GitHub runs it: each `run` under `bash -e` (GitHub's default
    // shell on Linux), a fake `pulumi` on PATH, `if:` expressions over step outputs.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const yaml = require("js-yaml");
    const os = require("os");
    const cp = require("child_process");
    const root = path.join(__dirname, "..", "..");
    const wf = yaml.load(fs.readFileSync(path.join(root, "examples", "ci", "github-actions.yml"), "utf8"));
    const steps: any[] = wf.jobs.preview.steps;
    const step = (name: string) => steps.find((s) => s.name === name) ?? assert.fail(`no step ${name}`);
    // Only the comparisons this workflow uses: outputs are strings, as in GitHub expressions.
    const holds = (expr: string, outputs: Record<string, Record<string, string>>) =>
        // eslint-disable-next-line no-new-func
        Function(`return ${expr.replace(/steps\.([\w-]+)\.outputs\.([\w-]+)/g, (_, s, o) => JSON.stringify(outputs[s]?.[o] ?? ""))
            .replace(/contains\([^)]*\)/g, "false").replace(/!=/g, "!==").replace(/([^!=])==([^=])/g, "$1===$2")};`)();

    function runPreview(exit: number, json: string) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-"));
        fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\nprintf '%s' '${json}'\nexit ${exit}\n`, { mode: 0o755 });
        const out = path.join(dir, "output");
        fs.writeFileSync(out, "");
        const r = cp.spawnSync("bash", ["-e", "-c", step("pulumi preview").run], {
            encoding: "utf8", cwd: dir,
            env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, STACK: "org/p/dev", GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir, GITHUB_OUTPUT: out },
        });
        const outputs = Object.fromEntries(fs.readFileSync(out, "utf8").trim().split("\n").filter(Boolean).map((l: string) => l.split("=")));
        fs.rmSync(dir, { recursive: true });
        return { status: r.status, outputs };
    }

    it("the preview step keeps the CLI's exit code as an output instead of swallowing it", () => {
        assert.strictEqual(step("pulumi preview").id, "preview");
        assert.deepStrictEqual(runPreview(0, '{"steps":[]}'), { status: 0, outputs: { "exit-code": "0" } });
        // A mandatory violation or an error: the step still succeeds (the summary must run), the code is kept.
        assert.deepStrictEqual(runPreview(255, '{"steps":[]}'), { status: 0, outputs: { "exit-code": "255" } });
        // Nothing written at all: the step fails on its own.
        assert.notStrictEqual(runPreview(255, "").status, 0);
    });

    it("fails on a preview error with no mandatory violation, and leaves a violation to the Policy guard", () => {
        const guard = step("Preview guard");
        const policy = step("Policy guard");
        const o = (code: string, violations: string) => ({ preview: { "exit-code": code }, summary: { "mandatory-violations": violations } });
        assert.strictEqual(holds(guard.if, o("255", "0")), true, "a pack that did not load, or a program error");
        assert.strictEqual(holds(guard.if, o("0", "0")), false);
        assert.strictEqual(holds(guard.if, o("255", "2")), false, "explained by the violations");
        assert.strictEqual(holds(policy.if, o("255", "2")), true);
        const r = cp.spawnSync("bash", ["-e", "-c", guard.run], { encoding: "utf8", env: { ...process.env, EXIT_CODE: "255" } });
        assert.strictEqual(r.status, 1);
        assert.match(r.stdout, /::error::pulumi preview failed \(exit code 255\)/);
    });

    it("reads only outputs the summary action declares", () => {
        const action = yaml.load(fs.readFileSync(path.join(root, ".github", "actions", "preview-summary", "action.yml"), "utf8"));
        const used = new Set<string>();
        for (const s of steps) for (const m of JSON.stringify(s).matchAll(/steps\.summary\.outputs\.([\w-]+)/g)) used.add(m[1]);
        for (const u of used) assert.ok(action.outputs[u], `the action has no output ${u}`);
        assert.ok(used.has("mandatory-violations"));
    });
});
