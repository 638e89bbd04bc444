// AWS on day 2 (#21): what changes, adoptions and re-creations do. Each block
// names the issue item it covers; fixtures come from AWS, Helm and the EFS CSI
// driver's published rules, not from the package's own constants.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import {
    DEFAULT_EKS_VERSION, EKS_CALENDAR_DATE, EKS_CALENDAR_MAX_AGE_MONTHS, EKS_CALENDAR_READ_ON, EKS_VERSION_CALENDAR, efsStorageClass, instanceArchitecture, nodeLaunchTemplate,
} from "../../provider/aws/render";
import { awsEnvironmentWarnings, validateAwsEnvironment, validateAwsNodePool, validateEfsCheckpointStore } from "../../provider/aws/validate";
import { AWS_CHANGES, AWS_FORCE_NEW } from "../../provider/aws/changes";
import { ChangeEffect as E, changeTableMarkdown } from "../../provider/core/changes";
import { stableName } from "../../provider/core/names";
import { Graph, capture, valueOf } from "./graph";
import { RecordedOptions, awsCalls, awsOutputs, mockDefaultAddonVersion, recordIgnoreChanges, recordOptions, waitsFor } from "./awsFixtures";
import { assertProbesCover, changedPaths } from "./gcpAzureChangeWalk";
import { EKS_ADDON_VERSION_TABLE } from "../../provider/aws/addonVersions";
import { EKS_VERSIONS } from "../../provider/aws/render";
import { EXISTING as EXISTING_BASE, GOOD_ENV as GOOD_BASE } from "./awsValidate.test";

// The operator image is required from #20 on: every fixture here names one.
const OPERATOR = { image: "registry.example.com/volley-k8s-operator", version: "0.1.0" };
const GOOD_ENV = { ...GOOD_BASE, operator: OPERATOR };
const EXISTING = { ...EXISTING_BASE, operator: OPERATOR };

const T = {
    cluster: "aws:eks/cluster:Cluster", kms: "aws:kms/key:Key", fs: "aws:efs/fileSystem:FileSystem", fsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
    backup: "aws:efs/backupPolicy:BackupPolicy", mt: "aws:efs/mountTarget:MountTarget", sc: "kubernetes:storage.k8s.io/v1:StorageClass",
    lt: "aws:ec2/launchTemplate:LaunchTemplate", ng: "aws:eks/nodeGroup:NodeGroup", role: "aws:iam/role:Role", addon: "aws:eks/addon:Addon",
    pia: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
};
const KEY = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555";

interface Run { g: Graph; env: AwsEnvironment; options: Map<string, RecordedOptions>; ignore: Map<string, string[]> }
async function run(args: any, o: { name?: string; partition?: string; stack?: string; clusterVersion?: string } = {}): Promise<Run> {
    let env!: AwsEnvironment;
    const options = new Map<string, RecordedOptions>();
    const ignore = new Map<string, string[]>();
    const g = await capture(() => {
        recordOptions(options);
        recordIgnoreChanges(ignore);
        env = new AwsEnvironment(o.name ?? "dev", args);
    }, { outputs: awsOutputs, call: awsCalls(o.partition, o.clusterVersion) });
    return { g, env, options, ignore };
}
const opt = (r: Run, type: string, name: string) => r.options.get(`${type}::${name}`)!;

describe("R1: checkpoints mount with IAM as the node role; anonymous clients cannot mount", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("the StorageClass mounts with `iam` and the file-system policy allows only the node role, through access points", async () => {
        const r = await run(GOOD_ENV);
        assert.deepStrictEqual(r.g.one(T.sc).inputs.mountOptions, ["iam"]);
        const doc = JSON.parse(r.g.one(T.fsPolicy).inputs.policy);
        const allows = doc.Statement.filter((s: any) => s.Effect === "Allow");
        assert.deepStrictEqual(allows.map((s: any) => s.Principal), [{ AWS: "arn:aws:iam::123456789012:role/dev-node-role" }]);
        assert.ok(!JSON.stringify(allows).includes("\"*\""), "no Allow for the anonymous principal");
        assert.ok(doc.Statement.some((s: any) => s.Effect === "Deny" && s.Condition?.Null?.["elasticfilesystem:AccessPointArn"] === "true"));
        const given = await run({ ...GOOD_ENV, nodeRoleArn: "arn:aws:iam::123456789012:role/nodes" });
        assert.deepStrictEqual(JSON.parse(given.g.one(T.fsPolicy).inputs.policy).Statement.find((s: any) => s.Effect === "Allow").Principal,
            { AWS: "arn:aws:iam::123456789012:role/nodes" });
    });

    it("EfsCheckpointStore needs the roles that mount", () => {
        const store = { vpcId: "vpc-0a1b2c3d4e5f60000", subnetIds: ["subnet-0a1b2c3d4e5f60001"], nodeSecurityGroupId: "sg-0a1b2c3d4e5f60000", clusterName: "prod" };
        assert.match(validateEfsCheckpointStore(store).map((i) => `${i.propertyPath}: ${i.reason}`).join("\n"), /mountRoleArns: required: the IAM roles of the nodes/);
        assert.deepStrictEqual(validateEfsCheckpointStore({ ...store, mountRoleArns: ["arn:aws:iam::123456789012:role/n"] }), []);
    });
});

describe("item 2: the secrets key never changes silently and is never deleted by the package", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("retains the package's key and makes a key change the cluster replacement it is", async () => {
        const r = await run(GOOD_ENV);
        assert.strictEqual(r.g.one(T.kms).retainOnDelete, true);
        assert.deepStrictEqual(opt(r, T.cluster, "dev-cluster").replaceOnChanges, ["encryptionConfig"]);
    });
});

describe("item 3: the same claim finds the same directory; a retained file system is adopted", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("names each claim's directory by namespace and claim, never uniquely", () => {
        const p = efsStorageClass("c", { fileSystemId: "fs-1", directoryPerms: "700", uid: 1, gid: 1, basePath: "/v" }).parameters;
        // aws-efs-csi-driver docs/parameters.md: the pattern's variables and the flag.
        assert.strictEqual(p.subPathPattern, "${.PVC.namespace}/${.PVC.name}");
        assert.strictEqual(p.ensureUniqueDirectory, "false");
    });

    // The driver's CreateVolume, as aws-efs-csi-driver pkg/driver/controller.go (2026-07-24) does it: the client
    // token is the PV name, or with reuseAccessPoint sha256 of the claim name alone (get64LenHash(pvc/name)), and
    // an access point already made with that token on the file system is returned as it is (FindAccessPointByClientToken);
    // otherwise the root directory is "/" + basePath + subPathPattern with ${.PVC.namespace}/${.PVC.name}/${.PV.name}
    // replaced, plus "-<uuid>" unless ensureUniqueDirectory is false.
    function createVolume(params: Record<string, string>, aps: Map<string, string>, pvc: { namespace: string; name: string }, pvName: string): string {
        const token = params.reuseAccessPoint === "true" ? createHash("sha256").update(pvc.name).digest("hex") : pvName;
        const existing = aps.get(token);
        if (existing !== undefined) return existing;
        let dir = params.subPathPattern === undefined ? pvName
            : params.subPathPattern.split("${.PVC.namespace}").join(pvc.namespace).split("${.PVC.name}").join(pvc.name).split("${.PV.name}").join(pvName);
        if (params.subPathPattern !== undefined && params.ensureUniqueDirectory !== "false") dir += `-${pvName}`;
        const root = path.posix.join("/", params.basePath ?? "", dir);
        aps.set(token, root);
        return root;
    }

    it("(audit gap 1) the same application name in two namespaces gets two directories; a re-created claim finds its own again", () => {
        const params = efsStorageClass("volley-efs", { fileSystemId: "fs-1", directoryPerms: "700", uid: 1000, gid: 1000, basePath: "/volley" }).parameters;
        const aps = new Map<string, string>();
        // Claims are `<app>-shared-ckpt` (provider/kubernetes/application.ts): the same app name gives the same claim name.
        const a = createVolume(params, aps, { namespace: "team-a", name: "ingest-shared-ckpt" }, "pvc-0b6f0c4e-1111-4a6b-9c55-000000000001");
        const b = createVolume(params, aps, { namespace: "team-b", name: "ingest-shared-ckpt" }, "pvc-0b6f0c4e-2222-4a6b-9c55-000000000002");
        assert.strictEqual(a, "/volley/team-a/ingest-shared-ckpt");
        assert.strictEqual(b, "/volley/team-b/ingest-shared-ckpt", "team-b must not get team-a's access point (reuseAccessPoint keys it by claim name only)");
        const again = createVolume(params, aps, { namespace: "team-a", name: "ingest-shared-ckpt" }, "pvc-0b6f0c4e-3333-4a6b-9c55-000000000003");
        assert.strictEqual(again, a, "a re-created claim (new PV) gets a new access point on the same directory");
        assert.strictEqual(aps.size, 3, "one access point per provisioned volume; the retained old one is orphaned, not reused");
    });

    it("efs.existingFileSystemId creates no file system, guards the adopted one with the policy and mounts it", async () => {
        const r = await run({ ...EXISTING, efs: { existingFileSystemId: "fs-0123456789abcdef0" } });
        assert.strictEqual(r.g.byType(T.fs).length, 0);
        assert.strictEqual(r.g.byType(T.backup).length, 0);
        assert.strictEqual(r.g.one(T.fsPolicy).inputs.fileSystemId, "fs-0123456789abcdef0");
        assert.strictEqual(r.g.one(T.fsPolicy).retainOnDelete, true, "destroy leaves the adopted file system's policy");
        assert.ok(r.g.byType(T.mt).every((m) => m.inputs.fileSystemId === "fs-0123456789abcdef0"));
        assert.strictEqual(r.g.one(T.sc).inputs.parameters.fileSystemId, "fs-0123456789abcdef0");
        assert.strictEqual(await valueOf(r.env.fileSystemId), "fs-0123456789abcdef0");
    });

    it("refuses create-only settings and a malformed ID with an adopted file system", () => {
        const issues = validateAwsEnvironment({ ...GOOD_ENV, efs: { existingFileSystemId: "fs-0123456789abcdef0", kmsKeyArn: KEY } });
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["efs.kmsKeyArn"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, efs: { existingFileSystemId: "my-fs" } }).map((i) => i.propertyPath), ["efs.existingFileSystemId"]);
    });
});

describe("item 4: the cluster name can be pinned; the suffix is exported", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("with cluster.name, another stack gets the same physical name; without, the suffix is the exported one", async () => {
        const pinned = await run({ ...GOOD_ENV, cluster: { name: "volley-prod" } });
        assert.strictEqual(pinned.g.one(T.cluster).inputs.name, "volley-prod");
        assert.strictEqual(pinned.g.one("aws:cloudwatch/logGroup:LogGroup").inputs.name, "/aws/eks/volley-prod/cluster");
        const derived = await run(GOOD_ENV);
        const suffix = await valueOf(derived.env.nameSuffix);
        assert.strictEqual(derived.g.one(T.cluster).inputs.name, `dev-cluster-${suffix}`);
        assert.strictEqual(derived.g.one(T.cluster).inputs.name, stableName("dev-cluster", ["project", "stack", "dev"], 100));
    });

    it("validates a pinned name against EKS's rule", () => {
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { name: "prod.eu" } }).map((i) => i.propertyPath), ["cluster.name"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { name: "x".repeat(101) } }).map((i) => i.propertyPath), ["cluster.name"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { name: "Prod_EU-1" } }), []);
    });
});

describe("item 5: names that would fail after the cluster exists are refused at preview", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    // Helm: chartutil.ValidateReleaseName (max 53, lower-case DNS); EKS: ^[0-9A-Za-z][A-Za-z0-9\-_]*.
    const cases: [string, boolean][] = [["Dev", false], ["team_x", false], ["prod.eu", false], ["e".repeat(37), false], ["e".repeat(36), true], ["prod-eu-1", true]];
    for (const [name, ok] of cases) {
        it(`${JSON.stringify(name)} is ${ok ? "accepted" : "refused"}`, () => {
            const issues = validateAwsEnvironment(GOOD_ENV, name);
            assert.strictEqual(issues.length === 0, ok, JSON.stringify(issues));
            if (!ok) assert.strictEqual(issues[0].propertyPath, "name");
        });
    }

    it("the longest accepted name makes a Prometheus Helm release of at most 53 characters", async () => {
        const name = "e".repeat(36);
        const { g } = await run(GOOD_ENV, { name });
        const releases = g.byType("kubernetes:helm.sh/v4:Chart").map((c) => c.inputs.name ?? c.name);
        assert.ok(releases.length >= 2);
        for (const r of releases) assert.ok(r.length <= 53 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(r), r);
    });
});

describe("item 9: EKS add-ons follow the cluster version; a version bump is in place, control plane first", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    const addons = (g: Graph) => Object.fromEntries(g.byType(T.addon).map((a) => [a.inputs.addonName, a]));
    const versions = (g: Graph) => Object.fromEntries(g.byType(T.addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
    const at = (version: string) => run({ ...GOOD_ENV, cluster: { version, publicAccessCidrs: ["203.0.113.0/24"] } });

    it("a new cluster's vpc-cni, kube-proxy and CoreDNS become EKS add-ons at the version for its minor", async () => {
        const { g } = await at("1.36");
        // EKS User Guide, managing-kube-proxy / managing-coredns: the latest add-on version for Kubernetes 1.36.
        assert.deepStrictEqual(versions(g), {
            "kube-proxy": "v1.36.0-eksbuild.14", coredns: "v1.14.3-eksbuild.3",
            // No per-minor table from AWS: EKS's default for the minor (DescribeAddonVersions, mocked).
            "vpc-cni": mockDefaultAddonVersion("vpc-cni", "1.36"),
            "eks-pod-identity-agent": mockDefaultAddonVersion("eks-pod-identity-agent", "1.36"),
            "aws-efs-csi-driver": mockDefaultAddonVersion("aws-efs-csi-driver", "1.36"),
            "metrics-server": mockDefaultAddonVersion("metrics-server", "1.36"),
        });
        const c = g.one(T.cluster).inputs;
        // Kept at the default: changing bootstrapSelfManagedAddons replaces the cluster (provider docs: "force a new cluster").
        assert.strictEqual(c.bootstrapSelfManagedAddons, undefined);
    });

    it("adopts EKS's self-managed copies (OVERWRITE on create), keeps settings changed on the cluster on update (PRESERVE), and never removes networking or DNS", async () => {
        const a = addons((await at("1.36")).g);
        for (const n of ["vpc-cni", "kube-proxy", "coredns"]) {
            assert.strictEqual(a[n].inputs.resolveConflictsOnCreate, "OVERWRITE", n);
            assert.strictEqual(a[n].inputs.resolveConflictsOnUpdate, "PRESERVE", n);
            assert.strictEqual(a[n].inputs.preserve, true, n);
        }
        assert.strictEqual(a["eks-pod-identity-agent"].inputs.resolveConflictsOnUpdate, "PRESERVE");
        // The package owns the driver's configuration values: an update puts them back.
        assert.strictEqual(a["aws-efs-csi-driver"].inputs.resolveConflictsOnUpdate, "OVERWRITE");
    });

    it("1.35 -> 1.36 changes only versions: the cluster's, the node groups', the add-ons'; nothing appears, goes or is replaced", async () => {
        const b = await at("1.35"), a = await at("1.36");
        const custom = (g: Graph) => g.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.deepStrictEqual(custom(a.g).map((r) => `${r.type}::${r.name}`), custom(b.g).map((r) => `${r.type}::${r.name}`));
        const changed: Record<string, string[]> = {};
        for (const r of custom(a.g)) {
            const before = b.g.one(r.type, r.name);
            // What the engine diffs: paths under ignoreChanges (Grafana's generated password) are not.
            const paths = changedPaths(before, r).filter((x) => !r.ignoreChanges.some((i) => x === i || x.startsWith(`${i}.`)));
            if (paths.length) changed[`${r.type.split(":")[2]}::${r.name}`] = paths;
        }
        assert.deepStrictEqual(changed, {
            "Cluster::dev-cluster": ["version"],
            "NodeGroup::dev-system": ["version"], "NodeGroup::dev-stream": ["version"],
            "Addon::dev-vpc-cni": ["addonVersion"], "Addon::dev-kube-proxy": ["addonVersion"],
            "Addon::dev-efs-pod-identity-agent": ["addonVersion"], "Addon::dev-efs-csi-driver": ["addonVersion"],
            "Addon::dev-metrics-server": ["addonVersion"],
        });
        // CoreDNS stays: AWS lists v1.14.3-eksbuild.3 for both 1.35 and 1.36.
        assert.deepStrictEqual([versions(b.g)["kube-proxy"], versions(b.g).coredns], ["v1.35.3-eksbuild.13", "v1.14.3-eksbuild.3"]);
        // Neither the cluster nor a node group nor an add-on turns a version change into a replacement.
        for (const r of custom(a.g)) assert.ok(!(opt(a, r.type, r.name)?.replaceOnChanges ?? []).some((p) => /version/i.test(p)), r.name);
    });

    it("(audit gap 4) with kafka strimzi, the Kafka node group and the EBS CSI driver add-on follow the bump too", async () => {
        const kafka = (version: string) => run({ ...GOOD_ENV, kafka: { mode: "strimzi" }, cluster: { version, publicAccessCidrs: ["203.0.113.0/24"] } });
        const b = await kafka("1.35"), a = await kafka("1.36");
        const custom = (g: Graph) => g.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.deepStrictEqual(custom(a.g).map((r) => `${r.type}::${r.name}`), custom(b.g).map((r) => `${r.type}::${r.name}`));
        const changed: Record<string, string[]> = {};
        for (const r of custom(a.g)) {
            const paths = changedPaths(b.g.one(r.type, r.name), r).filter((x) => !r.ignoreChanges.some((i) => x === i || x.startsWith(`${i}.`)));
            if (paths.length) changed[`${r.type.split(":")[2]}::${r.name}`] = paths;
        }
        assert.deepStrictEqual(changed, {
            "Cluster::dev-cluster": ["version"],
            "NodeGroup::dev-system": ["version"], "NodeGroup::dev-stream": ["version"], "NodeGroup::dev-kafka": ["version"],
            "Addon::dev-vpc-cni": ["addonVersion"], "Addon::dev-kube-proxy": ["addonVersion"],
            "Addon::dev-efs-pod-identity-agent": ["addonVersion"], "Addon::dev-efs-csi-driver": ["addonVersion"],
            "Addon::dev-ebs-csi-driver": ["addonVersion"], "Addon::dev-metrics-server": ["addonVersion"],
        });
        // EKS User Guide ebs-csi.adoc: the add-on is `aws-ebs-csi-driver`; no per-minor table, so EKS's default for the minor (mocked lookup).
        assert.strictEqual(versions(a.g)["aws-ebs-csi-driver"], mockDefaultAddonVersion("aws-ebs-csi-driver", "1.36"));
    });

    it("add-ons update after the control plane and the system nodes (EKS update-cluster order), not after the stream nodes; node groups wait for the control plane, not for add-ons", async () => {
        const { g } = await at("1.36");
        const cluster = g.one(T.cluster), system = g.one(T.ng, "dev-system"), stream = g.one(T.ng, "dev-stream");
        for (const addon of g.byType(T.addon)) {
            assert.ok(waitsFor(g, addon, cluster), `${addon.name} after the control plane`);
            assert.ok(waitsFor(g, addon, system), `${addon.name} after the system nodes`);
            assert.ok(!waitsFor(g, addon, stream), `${addon.name} not after the stream nodes`);
            for (const ng of [system, stream]) assert.ok(!waitsFor(g, ng, addon), `${ng.name} does not wait for ${addon.name}`);
        }
        for (const ng of [system, stream]) assert.ok(waitsFor(g, ng, cluster));
    });

    it("pins win over the table and EKS's default; a version newer than the table takes EKS's default for it", async () => {
        const pinned = await run({
            ...GOOD_ENV, cluster: { addonVersions: { vpcCni: "v1.20.4-eksbuild.1", coreDns: "v1.12.4-eksbuild.18", metricsServer: "v0.8.0-eksbuild.1" } },
            efs: { csiDriverVersion: "v2.1.11-eksbuild.1", podIdentityAgentVersion: "v1.3.10-eksbuild.3" },
        });
        assert.deepStrictEqual(versions(pinned.g), {
            "vpc-cni": "v1.20.4-eksbuild.1", "kube-proxy": "v1.36.0-eksbuild.14", coredns: "v1.12.4-eksbuild.18",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.3", "aws-efs-csi-driver": "v2.1.11-eksbuild.1", "metrics-server": "v0.8.0-eksbuild.1",
        });
        const newer = await at("1.37");
        assert.deepStrictEqual([versions(newer.g)["kube-proxy"], versions(newer.g).coredns],
            [mockDefaultAddonVersion("kube-proxy", "1.37"), mockDefaultAddonVersion("coredns", "1.37")]);
    });

    it("an existing cluster's own vpc-cni, kube-proxy and CoreDNS are left alone; the package's add-ons follow its version", async () => {
        const { g } = await run({ ...EXISTING, existingCluster: { ...EXISTING.existingCluster, version: "1.34" } });
        assert.deepStrictEqual(versions(g), {
            "eks-pod-identity-agent": mockDefaultAddonVersion("eks-pod-identity-agent", "1.34"),
            "aws-efs-csi-driver": mockDefaultAddonVersion("aws-efs-csi-driver", "1.34"),
        });
    });

    it("refuses malformed add-on versions and add-ons the package does not install", () => {
        const issues = validateAwsEnvironment({
            ...GOOD_ENV, cluster: { addonVersions: { kubeProxy: "1.36.0", cni: "v1.20.4-eksbuild.1" } }, efs: { csiDriverVersion: "latest" },
        });
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["cluster.addonVersions.kubeProxy", "cluster.addonVersions.cni", "efs.csiDriverVersion"]);
        assert.match(issues[0].reason, /describe-addon-versions/);
    });

    it("the table has a row for every version the calendar accepts, and each kube-proxy version is of its own minor", () => {
        for (const v of EKS_VERSIONS) {
            const row = EKS_ADDON_VERSION_TABLE[v];
            assert.ok(row, `add kube-proxy and CoreDNS versions for ${v} (EKS User Guide) to EKS_ADDON_VERSION_TABLE`);
            // kube-proxy is built per Kubernetes minor (managing-kube-proxy: v<minor>.<patch>-eksbuild.<n>).
            assert.match(row["kube-proxy"]!, new RegExp(`^v${v.replace(".", "\\.")}\\.\\d+-eksbuild\\.\\d+$`));
            assert.match(row.coredns!, /^v1\.\d+\.\d+-eksbuild\.\d+$/);
        }
    });
});

describe("item 10: the retained file system is protected", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("protect follows retainOnDelete", async () => {
        assert.strictEqual(opt(await run(GOOD_ENV), T.fs, "dev-efs-fs").protect, true);
        assert.strictEqual(opt(await run({ ...GOOD_ENV, efs: { retainOnDelete: false } }), T.fs, "dev-efs-fs").protect, false);
    });
});

describe("item 12: pipeline pods cannot reach the node role through instance metadata", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("the stream pool's launch template has hop limit 1, the system pool's 2", async () => {
        const { g } = await run(GOOD_ENV);
        assert.strictEqual(g.one(T.lt, "dev-stream-nodes").inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.strictEqual(g.one(T.lt, "dev-system-nodes").inputs.metadataOptions.httpPutResponseHopLimit, 2);
        assert.strictEqual(g.one(T.lt, "dev-stream-nodes").inputs.metadataOptions.httpTokens, "required");
        assert.strictEqual(nodeLaunchTemplate({ amiType: "AL2023_x86_64_STANDARD", diskSize: 20, name: "n", tags: {} }).metadataOptions.httpPutResponseHopLimit, 2);
    });

    it("AwsNodePool refuses other hop limits", () => {
        assert.deepStrictEqual(validateAwsNodePool({ clusterName: "c", imdsHopLimit: 3 }).map((i) => i.propertyPath), ["imdsHopLimit"]);
    });
});

describe("item 13: KMS alias ARNs are refused (a policy cannot grant a key through its alias)", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("alias ARNs fail for the secrets key and the EFS key; key ARNs pass", () => {
        const alias = "arn:aws:kms:us-west-2:123456789012:alias/eks";
        assert.match(validateAwsEnvironment({ ...GOOD_ENV, cluster: { secretsKmsKeyArn: alias } })[0].reason, /not an alias ARN/);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, efs: { kmsKeyArn: alias } }).map((i) => i.propertyPath), ["efs.kmsKeyArn"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { secretsKmsKeyArn: KEY } }), []);
    });
});

describe("item 14: nobody pays for extended support without choosing it", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("upgradePolicy is STANDARD by default, EXTENDED when asked; anything else is refused", async () => {
        assert.deepStrictEqual((await run(GOOD_ENV)).g.one(T.cluster).inputs.upgradePolicy, { supportType: "STANDARD" });
        assert.deepStrictEqual((await run({ ...GOOD_ENV, cluster: { supportType: "EXTENDED" } })).g.one(T.cluster).inputs.upgradePolicy, { supportType: "EXTENDED" });
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { supportType: "extended" } }).map((i) => i.propertyPath), ["cluster.supportType"]);
    });

    // (audit gap 2) EKS 1.33's standard support ended 2026-07-29 (AWS kubernetes-versions.adoc; endoflife.date amazon-eks
    // eol 2026-07-29), so on 2026-12-07 it is in extended support, which AWS cannot disable ("You cannot disable extended
    // support once your cluster has entered it", EKS User Guide disable-extended-support.html). 1.35 ends 2027-03-27.
    it("(audit gap 2) defaults to EXTENDED on a version already in extended support and refuses STANDARD there at preview", async () => {
        assert.deepStrictEqual((await run({ ...GOOD_ENV, cluster: { version: "1.33" } })).g.one(T.cluster).inputs.upgradePolicy, { supportType: "EXTENDED" });
        assert.deepStrictEqual((await run({ ...GOOD_ENV, cluster: { version: "1.35" } })).g.one(T.cluster).inputs.upgradePolicy, { supportType: "STANDARD" });
        const issues = validateAwsEnvironment({ ...GOOD_ENV, cluster: { version: "1.33", supportType: "STANDARD" } });
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["cluster.supportType"]);
        assert.match(issues[0].reason, /cannot disable extended support/);
        assert.match(issues[0].reason, /set EXTENDED|raise cluster\.version/);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { version: "1.33", supportType: "EXTENDED" } }), []);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { version: "1.35", supportType: "STANDARD" } }), []);
    });
});

describe("item 15: architecture mismatches, private endpoints and open endpoints", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("knows Graviton instance types from x86 ones (EC2 naming)", () => {
        const arm = ["m7g.large", "c6gn.xlarge", "r6gd.large", "t4g.medium", "im4gn.large", "is4gen.large", "x2gd.large", "g5g.xlarge", "a1.large", "c7gd.large"];
        const x86 = ["m6i.large", "m6a.large", "g4dn.xlarge", "x2iedn.xlarge", "inf2.xlarge", "c5n.large", "i4i.large", "r7iz.large", "t3.micro", "p4d.24xlarge"];
        assert.deepStrictEqual(arm.map(instanceArchitecture), arm.map(() => "arm64"));
        assert.deepStrictEqual(x86.map(instanceArchitecture), x86.map(() => "x86_64"));
    });

    it("refuses an ARM AMI with x86 instance types (defaults included) and the reverse", () => {
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, streamNodePool: { amiType: "AL2023_ARM_64_STANDARD" } }).map((i) => i.propertyPath), ["streamNodePool.amiType"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, systemNodePool: { instanceTypes: ["m6i.large", "m7g.large"] } }).map((i) => i.propertyPath), ["systemNodePool.instanceTypes[1]"]);
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, streamNodePool: { amiType: "BOTTLEROCKET_ARM_64", instanceTypes: ["m7g.2xlarge"] } }), []);
    });

    it("warns at preview when the endpoint is private (Pulumi must run in the VPC) or open to 0.0.0.0/0", () => {
        assert.match(awsEnvironmentWarnings({ ...GOOD_ENV, cluster: { endpointPublicAccess: false } }).join("\n"), /must run there/);
        assert.match(awsEnvironmentWarnings(GOOD_ENV).join("\n"), /open to 0\.0\.0\.0\/0/);
        assert.deepStrictEqual(awsEnvironmentWarnings({ ...GOOD_ENV, cluster: { publicAccessCidrs: ["203.0.113.0/24"] } }), []);
    });

    it("the AWS examples restrict the endpoint to an adminCidr", () => {
        const root = path.resolve(__dirname, "..", "..", "examples");
        for (const dir of fs.readdirSync(root).filter((d) => d.startsWith("aws-"))) {
            const files = fs.readdirSync(path.join(root, dir)).filter((f) => /\.(ts|py|go|yaml)$/.test(f) && !f.startsWith("Pulumi."));
            const text = files.map((f) => fs.readFileSync(path.join(root, dir, f), "utf8")).join("\n");
            assert.match(text, /adminCidr/, dir);
            assert.match(text, /publicAccessCidrs|public_access_cidrs|PublicAccessCidrs/, dir);
        }
    });
});

describe("item 16: the version table ages visibly", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    const months = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / (30.44 * 24 * 3600 * 1000);

    it(`its newest row is at most ${EKS_CALENDAR_MAX_AGE_MONTHS} months older than the day it was read, and it was read at most that long before the day support is judged`, () => {
        // EKS ships a minor about every four months (endoflife.date amazon-eks: 1.33 2025-05-29, 1.34 2025-10-02, 1.35 2026-01-28, 1.36 2026-06-02).
        assert.ok(months(EKS_VERSION_CALENDAR[0].released, EKS_CALENDAR_READ_ON) <= EKS_CALENDAR_MAX_AGE_MONTHS, "add the newer EKS versions and re-read the calendar");
        assert.ok(months(EKS_CALENDAR_READ_ON, EKS_CALENDAR_DATE) <= EKS_CALENDAR_MAX_AGE_MONTHS, "re-read the calendar");
        assert.ok(EKS_CALENDAR_READ_ON <= EKS_CALENDAR_DATE);
    });

    it(`(audit gap 7) was read, and judges support on a day, at most ${EKS_CALENDAR_MAX_AGE_MONTHS} months before today; its default is in standard support a month from now`, () => {
        // The clock, not the table's own constants: this fails as the table goes stale, as Azure's A10 test does.
        const today = new Date(Date.now()).toISOString().slice(0, 10);
        assert.ok(months(EKS_CALENDAR_READ_ON, today) <= EKS_CALENDAR_MAX_AGE_MONTHS,
            `EKS_VERSION_CALENDAR was read on ${EKS_CALENDAR_READ_ON}: re-read endoflife.date amazon-eks / AWS kubernetes-versions and add the newer versions`);
        assert.ok(months(EKS_CALENDAR_DATE, today) <= EKS_CALENDAR_MAX_AGE_MONTHS, `EKS_CALENDAR_DATE ${EKS_CALENDAR_DATE} is stale: move it to the release day`);
        const soon = new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString().slice(0, 10);
        const row = EKS_VERSION_CALENDAR.find((v) => v.version === DEFAULT_EKS_VERSION)!;
        assert.ok(row.standardSupportEnds > soon, `EKS ${row.version} leaves standard support on ${row.standardSupportEnds}: refresh the calendar`);
    });

    it("knows 1.36 (released 2026-06-02, standard support to 2027-08-02) and defaults to it", async () => {
        assert.deepStrictEqual(EKS_VERSION_CALENDAR[0], { version: "1.36", released: "2026-06-02", standardSupportEnds: "2027-08-02", extendedSupportEnds: "2028-08-02" });
        assert.strictEqual((await run(GOOD_ENV)).g.one(T.cluster).inputs.version, "1.36");
    });

    it("accepts a newer version than the table with a warning, not an error", () => {
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { version: "1.37" } }), []);
        assert.match(awsEnvironmentWarnings({ ...GOOD_ENV, cluster: { version: "1.37", publicAccessCidrs: ["203.0.113.0/24"] } }).join(), /cluster\.version: EKS 1\.37 is newer than this package's version table/);
        assert.strictEqual(validateAwsEnvironment({ ...GOOD_ENV, cluster: { version: "1.31" } }).length, 1, "an ended version stays refused");
    });
});

describe("item 17: the node role trusts the partition's EC2 principal", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    for (const [partition, principal] of [["aws", "ec2.amazonaws.com"], ["aws-cn", "ec2.amazonaws.com.cn"], ["aws-us-gov", "ec2.amazonaws.com"]]) {
        it(`${partition}: ${principal}`, async () => {
            const { g } = await run(GOOD_ENV, { partition });
            const trust = JSON.parse(g.one(T.role, "dev-node-role").inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement[0].Principal, { Service: principal });
        });
    }
});

describe("item 6: an existing cluster's own EFS CSI driver is used as is", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("efs.installCsiDriver false creates no add-on, role or Pod Identity association, and still the StorageClass", async () => {
        const r = await run({ ...EXISTING, efs: { installCsiDriver: false } });
        assert.strictEqual(r.g.byType(T.addon).length, 0);
        assert.strictEqual(r.g.byType(T.pia).length, 0);
        assert.ok(!r.g.byType(T.role).some((x) => x.name.includes("csi")));
        assert.strictEqual(r.g.byType(T.sc).length, 1);
        assert.strictEqual(await valueOf(r.env.csiDriverRoleArn), "");
    });
});

describe("item 7: node groups follow an existing cluster's version", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("given as existingCluster.version, both node groups carry it", async () => {
        const r = await run({ ...EXISTING, existingCluster: { ...EXISTING.existingCluster, version: "1.34" } });
        assert.deepStrictEqual(r.g.byType(T.ng).map((n) => n.inputs.version), ["1.34", "1.34"]);
    });

    it("(audit gap 6) not given, both node groups carry the version read from the cluster (aws.eks.getCluster)", async () => {
        assert.strictEqual((EXISTING.existingCluster as any).version, undefined, "the fixture must leave the version to the lookup");
        const r = await run(EXISTING, { clusterVersion: "1.33" });
        assert.deepStrictEqual(r.g.byType(T.ng).map((n) => n.inputs.version), ["1.33", "1.33"]);
        const other = await run(EXISTING, { clusterVersion: "1.35" });
        assert.deepStrictEqual(other.g.byType(T.ng).map((n) => n.inputs.version), ["1.35", "1.35"]);
    });
});

describe("item 8: a tag edit is documented as rolling the nodes", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    it("tags reach the launch templates, and the tags docs say the nodes are recycled", async () => {
        const a = (await run(GOOD_ENV)).g.one(T.lt, "dev-stream-nodes").inputs.tagSpecifications;
        const b = (await run({ ...GOOD_ENV, tags: { cost: "1" } })).g.one(T.lt, "dev-stream-nodes").inputs.tagSpecifications;
        assert.notDeepStrictEqual(a, b);
        const src = fs.readFileSync(path.resolve(__dirname, "..", "..", "provider", "aws", "awsEnvironment.ts"), "utf8");
        assert.match(src, /Tags of every AWS resource[^\n]*recycles every node/);
    });
});

describe("What a change does (AWS): every row holds", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    const base = { ...GOOD_ENV, cluster: { publicAccessCidrs: ["203.0.113.0/24"] } };
    // A probe about an existing cluster merges over one (which takes neither `vpc` nor `cluster`).
    const merge = (x: any) => (x.existingCluster
        ? { ...EXISTING, ...x, existingCluster: { ...EXISTING.existingCluster, ...x.existingCluster } }
        : { ...base, ...x, cluster: { ...base.cluster, ...(x.cluster ?? {}) } });
    const KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555";
    const NG = { provisioner: "nodeGroup" }, KP = { provisioner: "karpenter" };
    /** Which probe a row plays: its input, and for the rows about Karpenter's NodePool (an input with a row per provisioner) `(karpenter)`. */
    const probeKey = (r: { input: string; resource: string }) => r.resource === "kubernetes:karpenter.sh/v1:NodePool" ? `${r.input} (karpenter)` : r.input;
    /** Before and after inputs of each row (merged over a minimal environment), and the child to look at when the row concerns every child of its type. */
    const PROBES: Record<string, [any, any, string?]> = {
        "cluster.version": [{ cluster: { version: "1.35" } }, { cluster: { version: "1.36" } }],
        "cluster.addonVersions": [{}, { cluster: { addonVersions: { kubeProxy: "v1.36.0-eksbuild.9" } } }, "dev-kube-proxy"],
        "cluster.metricsServer": [{ cluster: { metricsServer: false } }, {}],
        "cluster.name": [{}, { cluster: { name: "pinned-cluster" } }],
        "cluster.secretsKmsKeyArn": [{}, { cluster: { secretsKmsKeyArn: KEY_ARN } }],
        "cluster.deployerRoleArn": [{}, { cluster: { deployerRoleArn: "arn:aws:iam::123456789012:role/ci" } }],
        "cluster.publicAccessCidrs": [{ cluster: { publicAccessCidrs: ["203.0.113.0/24"] } }, { cluster: { publicAccessCidrs: ["198.51.100.0/24"] } }],
        "cluster.endpointPublicAccess": [{}, { cluster: { endpointPublicAccess: false, publicAccessCidrs: [] } }],
        "cluster.endpointPrivateAccess": [{}, { cluster: { endpointPrivateAccess: false } }],
        "cluster.logTypes": [{}, { cluster: { logTypes: ["api"] } }],
        "cluster.logRetentionDays": [{}, { cluster: { logRetentionDays: 7 } }],
        "cluster.supportType": [{}, { cluster: { supportType: "EXTENDED" } }],
        "streamNodePool.instanceTypes": [{ streamNodePool: NG }, { streamNodePool: { ...NG, instanceTypes: ["m6i.4xlarge"] } }],
        "streamNodePool.capacityType": [{ streamNodePool: NG }, { streamNodePool: { ...NG, capacityType: "SPOT" } }],
        "streamNodePool.amiType": [{ streamNodePool: NG }, { streamNodePool: { ...NG, amiType: "BOTTLEROCKET_x86_64" } }],
        "streamNodePool.diskSize": [{ streamNodePool: NG }, { streamNodePool: { ...NG, diskSize: 100 } }],
        "streamNodePool.maxSize": [{ streamNodePool: { ...NG, maxSize: 4 } }, { streamNodePool: { ...NG, maxSize: 8 } }],
        "systemNodePool.instanceTypes": [{}, { systemNodePool: { instanceTypes: ["m6i.xlarge"] } }],
        "systemNodePool.capacityType": [{}, { systemNodePool: { capacityType: "SPOT" } }],
        "systemNodePool.amiType": [{}, { systemNodePool: { amiType: "BOTTLEROCKET_x86_64" } }],
        "systemNodePool.diskSize": [{}, { systemNodePool: { diskSize: 100 } }],
        "systemNodePool.maxSize": [{ systemNodePool: { maxSize: 4 } }, { systemNodePool: { maxSize: 6 } }],
        "streamNodePool.provisioner (karpenter)": [{ streamNodePool: NG }, { streamNodePool: KP }],
        "streamNodePool.maxSize (karpenter)": [{ streamNodePool: { ...KP, maxSize: 4 } }, { streamNodePool: { ...KP, maxSize: 8 } }],
        "streamNodePool.instanceTypes (karpenter)": [{ streamNodePool: KP }, { streamNodePool: { ...KP, instanceTypes: ["m7i.2xlarge"] } }],
        "streamNodePool.karpenter.nodePool.consolidationPolicy (karpenter)": [
            { streamNodePool: { ...KP, karpenter: { nodePool: { consolidationPolicy: "WhenEmpty" } } } },
            { streamNodePool: { ...KP, karpenter: { nodePool: { consolidationPolicy: "WhenEmptyOrUnderutilized" } } } },
        ],
        tags: [{}, { tags: { "cost-centre": "42" } }, "dev-stream-nodes"],
        nodeRoleArn: [{}, { nodeRoleArn: "arn:aws:iam::123456789012:role/nodes" }, "dev-stream"],
        "efs.performanceMode": [{ efs: { throughputMode: "bursting" } }, { efs: { throughputMode: "bursting", performanceMode: "maxIO" } }],
        "efs.kmsKeyArn": [{}, { efs: { kmsKeyArn: KEY_ARN } }],
        "efs.throughputMode": [{}, { efs: { throughputMode: "bursting" } }],
        "efs.transitionToIa": [{}, { efs: { transitionToIa: "AFTER_7_DAYS" } }],
        "efs.backups": [{}, { efs: { backups: false } }],
        "efs.basePath": [{}, { efs: { basePath: "/checkpoints" } }],
        "efs.uid": [{}, { efs: { uid: 2000 } }],
        "efs.gid": [{}, { efs: { gid: 2000 } }],
        "efs.podIdentityAgentVersion": [{}, { efs: { podIdentityAgentVersion: "v1.3.10-eksbuild.3" } }],
        "efs.provisionedThroughputMibps": [
            { efs: { throughputMode: "provisioned", provisionedThroughputMibps: 100 } },
            { efs: { throughputMode: "provisioned", provisionedThroughputMibps: 200 } },
        ],
        "efs.csiDriverVersion": [{}, { efs: { csiDriverVersion: "v2.1.11-eksbuild.1" } }],
        "efs.retainOnDelete": [{}, { efs: { retainOnDelete: false } }],
        "existingCluster.resourceMetricsApi": [{ existingCluster: {} }, { existingCluster: { resourceMetricsApi: true } }],
        "networkPolicies.enabled": [{}, { networkPolicies: { enabled: true } }, "dev-netpol-operator-default-deny-ingress"],
        "networkPolicies.grafanaFrom": [{ networkPolicies: { enabled: true, grafanaFrom: ["ops"] } }, { networkPolicies: { enabled: true, grafanaFrom: ["ops", "data"] } }],
    };
    const under = (p: string, f: string) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`);

    it("every row has a probe and a source, and the README carries the same table", () => {
        assertProbesCover(AWS_CHANGES, PROBES, probeKey);
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
        assert.ok(readme.includes(changeTableMarkdown(AWS_CHANGES)), "README's AWS change table differs from provider/aws/changes.ts");
    });

    for (const row of AWS_CHANGES) {
        it(`${row.input}: ${row.change} -> ${row.effect}`, async () => {
            const probe = PROBES[probeKey(row)];
            const before = merge(probe[0]);
            const after = merge(probe[1]);
            assert.deepStrictEqual(validateAwsEnvironment(before), [], "the probe's before is valid");
            assert.deepStrictEqual(validateAwsEnvironment(after), [], "the probe's after is valid");
            const a = await run(before);
            const b = await run(after);
            if (row.resource === "volley:index:AwsEnvironment") {
                // A row about the environment itself: no AWS or Kubernetes resource changes, only its `environment` output, in the key the input names.
                const custom = (g: Graph) => g.resources.filter((x) => x.custom);
                assert.deepStrictEqual(custom(b.g).map((x) => `${x.type}::${x.name}`), custom(a.g).map((x) => `${x.type}::${x.name}`), "the same resources");
                for (const rb of custom(b.g)) {
                    // As the engine diffs them: without what ignoreChanges covers (a generated Grafana password differs in every run, never applied).
                    const changed = changedPaths(a.g.one(rb.type, rb.name), rb).filter((p) => !rb.ignoreChanges.some((i) => under(p, i)));
                    assert.deepStrictEqual(changed, [], `${rb.type}::${rb.name} unchanged`);
                }
                const [ea, eb]: any[] = [await valueOf(a.env.environment), await valueOf(b.env.environment)];
                const keys = [...new Set([...Object.keys(ea), ...Object.keys(eb)])].filter((k) => JSON.stringify(ea[k]) !== JSON.stringify(eb[k]));
                assert.deepStrictEqual(keys, [row.input.split(".").pop()], "the environment output changes in that key only");
                assert.deepStrictEqual(row.properties, [], "no provider property shows the change");
                return;
            }
            // The named child; a type with one child in the environment needs no name.
            const child = row.child ? `dev${row.child}` : probe[2];
            const pickChild = (g: Graph) => g.byType(row.resource).filter((x) => !child || x.name === child);
            const [ra] = pickChild(a.g), rbs = pickChild(b.g);
            assert.strictEqual(rbs.length, 1, `${row.resource}${row.child ?? ""} exists after the change`);
            const rb = rbs[0];
            const o = opt(b, row.resource, rb.name);
            // What the engine diffs: the provider's properties, without those under ignoreChanges.
            const changed = ra ? changedPaths(ra, rb).filter((p) => !rb.ignoreChanges.some((i) => under(p, i))) : [];
            const replacing = changed.filter((p) => [...(AWS_FORCE_NEW[row.resource]?.fields ?? []), ...o.replaceOnChanges].some((f) => under(p, f)));
            const detail = `changed ${JSON.stringify(changed)}, replacing ${JSON.stringify(replacing)}`;
            // The preview summary matches a step to this row by these properties: the change shows them all.
            if (row.properties === undefined) assert.ok(!ra, `${row.resource} is created by the change`);
            else for (const p of row.properties) assert.ok(changed.some((c) => under(c, p)), `${p} changes (${detail})`);
            // A fixed physical name cannot exist twice: the provider deletes first (bridge: nameRequiresDeleteBeforeReplace; pulumi-kubernetes: named objects).
            const names = (g: Graph) => g.resources.filter((x) => x.custom).map((x) => `${x.type}::${x.name}`);
            const gone = names(a.g).filter((n) => !names(b.g).includes(n));
            // Switching the provisioner replaces the stream nodes by design: the node group and its launch template go, never anything of EFS.
            const byDesign = row.input === "streamNodePool.provisioner" ? /nodeGroup:NodeGroup::dev-stream$|launchTemplate:LaunchTemplate::dev-stream-nodes$/ : /^$/;
            const deletesFirst = o.deleteBeforeReplace || rb.inputs.name !== undefined || rb.inputs.metadata?.name !== undefined;
            switch (row.effect) {
                case E.InPlace:
                case E.NodesRecycled:
                    assert.deepStrictEqual(replacing, [], detail);
                    if (row.guard === "retainOnDelete") assert.notStrictEqual(ra!.retainOnDelete, rb.retainOnDelete);
                    else assert.ok(!ra || changed.length > 0, `the change reaches ${rb.name}`);
                    // A new launch-template version (EKS recycles the group), or a NodePool change its nodes drift from (Karpenter replaces them).
                    if (row.effect === E.NodesRecycled) assert.ok(["aws:ec2/launchTemplate:LaunchTemplate", "kubernetes:karpenter.sh/v1:NodePool"].includes(row.resource), row.resource);
                    break;
                case E.NewFirst:
                    // A resource the change brings in (the NodePool of a provisioner switch) replaces the ones that go by design, which Pulumi deletes after creating.
                    if (!ra) assert.strictEqual(gone.filter((n) => byDesign.test(n)).length, 2, `the stream node group and its launch template go: ${JSON.stringify(gone)}`);
                    else assert.ok(replacing.length > 0 && !deletesFirst, detail);
                    break;
                case E.DeletedFirst: assert.ok(replacing.length > 0 && deletesFirst, detail); break;
                case E.Refused: assert.ok(replacing.length > 0 && o.protect && rb.retainOnDelete, `${detail}, protect ${o.protect}`); break;
                default: assert.fail(`no AWS row has effect ${row.effect}`);
            }
            if (row.guard === "replaceOnChanges") assert.ok(o.replaceOnChanges.length > 0);
            if (row.guard === "protect") assert.strictEqual(o.protect, true);
            // Nothing else appears or goes, except what the row's input adds by design.
            assert.deepStrictEqual(gone.filter((n) => !/kms\/key|iam\/rolePolicyAttachment|iam\/role:Role::dev-node-role|Role::dev-stream|Role::dev-system/.test(n) && !byDesign.test(n)), [], "nothing is removed");
            assert.ok(!gone.some((n) => /efs|storage\.k8s\.io/.test(n)), "checkpoint storage stays");
        });
    }
});
