// Each policy of the Volley pack (policy/) called with the arguments the
// engine builds, a passing and a failing case per policy. Props are wrapped in
// @pulumi/policy's unknownCheckingProxy, as the pack's server does. Shapes are
// the providers' published inputs (EKS CreateNodegroup taints, GKE NodeConfig,
// AKS nodeTaints strings, Karpenter v1 NodePool, Strimzi KafkaTopic).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy } from "@pulumi/policy";
import * as p from "../../policy/policies";
import { chartYaml } from "./charts";

const STACK = "urn:pulumi:dev::proj::";
const urn = (chain: string, name: string) => `${STACK}${chain}::${name}`;

/** The policy's config as the pack builds it: schema defaults, then the stack's overrides. */
function config(policy: { configSchema?: { properties: Record<string, any> } }, over: object = {}) {
    const d: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(policy.configSchema?.properties ?? {})) if (s.default !== undefined) d[k] = s.default;
    return { ...d, ...over };
}

function check(policy: ResourceValidationPolicy, type: string, props: any, o: { chain?: string; name?: string; protect?: boolean; cfg?: object } = {}): string[] {
    const out: string[] = [];
    const name = o.name ?? "r";
    const args: any = {
        type, props: unknownCheckingProxy(props), urn: urn(o.chain ? `${o.chain}$${type}` : type, name), name,
        opts: { protect: o.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        stackTags: new Map(), getConfig: () => config(policy, o.cfg),
        notApplicable: () => { throw new Error("not applicable"); },
    };
    (policy.validateResource as any)(args, (m: string) => out.push(m));
    return out;
}

function checkStack(policy: StackValidationPolicy, resources: { type: string; props: any; name?: string }[], cfg: object = {}): string[] {
    const out: string[] = [];
    const rs = resources.map((r, i) => ({ type: r.type, props: r.props, name: r.name ?? `r${i}`, urn: urn(r.type, r.name ?? `r${i}`), opts: {}, dependencies: [], propertyDependencies: {} })) as unknown as PolicyResource[];
    (policy.validateStack as any)({ resources: rs, stackTags: new Map(), getConfig: () => config(policy, cfg), notApplicable: () => { throw new Error("n/a"); } }, (m: string) => out.push(m));
    return out;
}

const VAPP = "kubernetes:volley.io/v1alpha1:VolleyApplication";
const TOLERATION = { key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" };
const vapp = (spec: any, name = "aggregate") => ({ apiVersion: "volley.io/v1alpha1", kind: "VolleyApplication", metadata: { name }, spec });
const goodSpec = { image: "registry.example.com/a@sha256:" + "a".repeat(64), resources: { limits: { cpu: "4", memory: "8Gi" } }, isolation: { tolerations: [TOLERATION] } };

describe("policy: checkpoint-storage-retained", () => {
    const pol = p.checkpointStorageRetained as ResourceValidationPolicy;
    const pv = (policy?: string, labels?: any) => ({ metadata: { name: "ckpt", labels }, spec: { capacity: { storage: "20Gi" }, ...(policy ? { persistentVolumeReclaimPolicy: policy } : {}) } });

    it("passes a Volley checkpoint PV with Retain, and one left to the default", () => {
        assert.deepStrictEqual(check(pol, "kubernetes:core/v1:PersistentVolume", pv("Retain"), { chain: "volley:index:Application$volley:index:SharedCheckpointVolume" }), []);
        assert.deepStrictEqual(check(pol, "kubernetes:core/v1:PersistentVolume", pv(), { chain: "volley:index:Application" }), []);
    });
    it("fails a Volley PV with Delete, naming it and the fix; other PVs only when configured", () => {
        const [m] = check(pol, "kubernetes:core/v1:PersistentVolume", pv("Delete"), { chain: "volley:index:Application", name: "agg-ckpt-pv" });
        assert.match(m, /PersistentVolume agg-ckpt-pv has persistentVolumeReclaimPolicy Delete.*"Retain"/);
        assert.strictEqual(check(pol, "kubernetes:core/v1:PersistentVolume", pv("Delete"), { cfg: { allPersistentVolumes: false } }).length, 0);
        assert.strictEqual(check(pol, "kubernetes:core/v1:PersistentVolume", pv("Delete", { "app.kubernetes.io/part-of": "volley" })).length, 1);
        assert.strictEqual(check(pol, "kubernetes:core/v1:PersistentVolume", pv("Recycle"), { cfg: { allPersistentVolumes: true } }).length, 1);
    });
    it("Filestore: deletion protection or protect passes; neither fails", () => {
        const chain = "volley:index:GcpEnvironment$volley:index:FilestoreCheckpointStore";
        assert.deepStrictEqual(check(pol, "gcp:filestore/instance:Instance", { deletionProtectionEnabled: true }, { chain }), []);
        assert.deepStrictEqual(check(pol, "gcp:filestore/instance:Instance", { deletionProtectionEnabled: false }, { chain, protect: true }), []);
        assert.match(check(pol, "gcp:filestore/instance:Instance", { deletionProtectionEnabled: false }, { chain, name: "dev-store" })[0], /Filestore instance dev-store .*deletionProtection/);
    });
    it("EFS: the package protects a retained file system; an unprotected one under Volley fails", () => {
        // Components reach an analyzer without inputs (the pack's header comment), so the
        // file system the component made is checked, by the option the analyzer sees.
        const chain = "volley:index:AwsEnvironment$volley:index:EfsCheckpointStore";
        assert.deepStrictEqual(check(pol, "aws:efs/fileSystem:FileSystem", { encrypted: true }, { chain, protect: true }), []);
        assert.match(check(pol, "aws:efs/fileSystem:FileSystem", { encrypted: true }, { chain, name: "dev-efs" })[0], /EFS file system dev-efs holds checkpoints and is not protected/);
        assert.deepStrictEqual(check(pol, "aws:efs/fileSystem:FileSystem", {}, {}), [], "not a Volley file system");
        assert.deepStrictEqual(check(pol, "volley:index:AwsEnvironment", {}), [], "a component's (absent) inputs decide nothing");
    });
});

describe("policy: stream-pool-tainted", () => {
    const pol = p.streamPoolTainted as ResourceValidationPolicy;
    const label = { "volley.io/pool": "stream-processing" };
    const cases: [string, any, any][] = [
        // [type, tainted props, untainted props]
        ["aws:eks/nodeGroup:NodeGroup", { labels: label, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] }, { labels: label, taints: [] }],
        ["gcp:container/nodePool:NodePool", { nodeConfig: { labels: label, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] } }, { nodeConfig: { labels: label } }],
        ["azure-native:containerservice:AgentPool", { nodeLabels: label, nodeTaints: ["volley.io/dedicated=true:NoSchedule"] }, { nodeLabels: label, nodeTaints: ["volley.io/dedicated=true:PreferNoSchedule"] }],
        ["kubernetes:karpenter.sh/v1:NodePool", { spec: { template: { metadata: { labels: label }, spec: { taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }] } } } }, { spec: { template: { metadata: { labels: label }, spec: {} } } }],
    ];
    for (const [type, good, bad] of cases) {
        it(`${type}: tainted passes, untainted fails`, () => {
            assert.deepStrictEqual(check(pol, type, good), []);
            const [m] = check(pol, type, bad, { name: "stream" });
            assert.match(m, new RegExp(`Stream pool stream \\(${type.replace(/[.$]/g, "\\$&")}\\).*lacks the taint volley\\.io/dedicated=true:NoSchedule`));
        });
    }
    it("existing nodes (KubernetesEnvironment): an application placed on the stream pool without the taint's toleration fails", () => {
        const placed = (tolerations: any[]) => vapp({ ...goodSpec, isolation: { nodeSelector: label, tolerations } });
        assert.deepStrictEqual(check(pol, VAPP, placed([TOLERATION])), []);
        assert.deepStrictEqual(check(pol, VAPP, placed([{ key: "volley.io/dedicated", operator: "Exists", effect: "NoSchedule" }])), []);
        assert.match(check(pol, VAPP, placed([]))[0], /VolleyApplication aggregate is placed on the stream pool .* without the taint volley\.io\/dedicated=true:NoSchedule/);
        assert.deepStrictEqual(check(pol, VAPP, vapp({ ...goodSpec, isolation: { tolerations: [] } })), [], "not placed on the stream pool");
        assert.deepStrictEqual(check(pol, "volley:index:KubernetesEnvironment", {}), [], "a component's (absent) inputs decide nothing");
    });
    it("a Karpenter NodePool's limits.nodes is its maximum", () => {
        const pool = (limits?: any) => p.poolOf("kubernetes:karpenter.sh/v1:NodePool", { spec: { ...(limits ? { limits } : {}), template: { metadata: { labels: label } } } });
        assert.strictEqual(pool({ cpu: "32", nodes: "4" })!.maxNodes, 4);
        assert.strictEqual(pool({ cpu: "32" })!.maxNodes, undefined);
        assert.strictEqual(pool()!.maxNodes, undefined);
    });
    it("leaves other pools alone, and takes the taint from config", () => {
        assert.deepStrictEqual(check(pol, "aws:eks/nodeGroup:NodeGroup", { labels: { "volley.io/pool": "system" } }), []);
        assert.strictEqual(check(pol, "aws:eks/nodeGroup:NodeGroup", cases[0][1], { cfg: { taintKey: "team.io/stream" } }).length, 1);
    });
});

describe("policy: limits-set", () => {
    const pol = p.limitsSet as ResourceValidationPolicy;
    it("passes an application with both limits and the toleration", () => {
        assert.deepStrictEqual(check(pol, VAPP, vapp(goodSpec)), []);
    });
    it("fails one without limits and without the toleration, naming both fixes", () => {
        const out = check(pol, VAPP, vapp({ image: "x", resources: { requests: { cpu: "2" }, limits: { cpu: "2" } } }));
        assert.strictEqual(out.length, 2);
        assert.match(out[0], /VolleyApplication aggregate has no memory limit.*resources\.limits\.memory/);
        assert.match(out[1], /does not tolerate the taint volley\.io\/dedicated/);
        assert.strictEqual(check(pol, VAPP, vapp({ resources: {} }), { cfg: { requireToleration: false } }).length, 1);
    });
});

describe("policy: control-plane-not-public", () => {
    const pol = p.controlPlaneNotPublic as ResourceValidationPolicy;
    it("passes private or limited endpoints", () => {
        assert.deepStrictEqual(check(pol, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }), []);
        assert.deepStrictEqual(check(pol, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: false } }), []);
        assert.deepStrictEqual(check(pol, "gcp:container/cluster:Cluster", { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] } }), []);
        assert.deepStrictEqual(check(pol, "azure-native:containerservice:ManagedCluster", { apiServerAccessProfile: { enablePrivateCluster: true } }), []);
    });
    it("fails endpoints open to everyone, including the EKS default", () => {
        assert.match(check(pol, "aws:eks/cluster:Cluster", { vpcConfig: {} }, { name: "prod" })[0], /EKS cluster prod .*publicAccessCidrs/);
        assert.strictEqual(check(pol, "aws:eks/cluster:Cluster", { vpcConfig: { publicAccessCidrs: ["0.0.0.0/0"] } }).length, 1);
        assert.match(check(pol, "gcp:container/cluster:Cluster", { privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false } })[0], /authorizedNetworks/);
        assert.match(check(pol, "azure-native:containerservice:ManagedCluster", { apiServerAccessProfile: { authorizedIPRanges: ["0.0.0.0/0"] } })[0], /apiServerAuthorizedIpRanges/);
    });
});

describe("policy: capacity-fits (stack)", () => {
    const pol = p.capacityFits as StackValidationPolicy;
    const pool = (maxSize: number) => ({ type: "aws:eks/nodeGroup:NodeGroup", props: { labels: { "volley.io/pool": "stream-processing" }, scalingConfig: { maxSize } } });
    const app = (maxReplicas: number) => ({ type: VAPP, props: vapp({ ...goodSpec, kafka: { topics: ["events"] }, autoscaling: { enabled: true, maxReplicas } }) });
    const topic = (partitions: number) => ({ type: "kubernetes:kafka.strimzi.io/v1beta2:KafkaTopic", props: { metadata: { name: "events" }, spec: { partitions } } });

    it("passes when the pool and the partitions hold the maximum", () => {
        assert.deepStrictEqual(checkStack(pol, [pool(4), app(4), topic(8)]), []);
        // No stream pool in the stack and none configured: nothing to compare.
        assert.deepStrictEqual(checkStack(pol, [app(40)]), []);
    });
    it("fails an application larger than the pool or its topic", () => {
        const out = checkStack(pol, [pool(4), app(8), topic(6)]);
        assert.strictEqual(out.length, 2);
        assert.match(out[0], /VolleyApplication aggregate may scale to 8 workers but the stream pool holds at most 4/);
        assert.match(out[1], /topic events has 6 partitions: 2 would sit idle/);
        assert.strictEqual(checkStack(pol, [app(8)], { streamPoolMaxNodes: 3 }).length, 1);
        assert.deepStrictEqual(checkStack(pol, [pool(4), app(8)], { podsPerNode: 2 }), []);
    });
    it("reads a KubernetesEnvironment's environment output (streamCapacity.maxNodes), so it needs no streamPoolMaxNodes", () => {
        const described = { type: "volley:index:KubernetesEnvironment", props: { environment: { streamPlacement: { nodeSelector: { "volley.io/pool": "stream-processing" }, tolerations: [] }, streamCapacity: { maxNodes: 3 } } } };
        assert.match(checkStack(pol, [described, app(4)])[0], /may scale to 4 workers but the stream pool holds at most 3/);
        assert.deepStrictEqual(checkStack(pol, [described, app(3)]), []);
    });

    // GKE's maxNodeCount is per zone: "Maximum number of nodes for one location in
    // the node pool" (GKE API NodePoolAutoscaling, cloud.google.com/kubernetes-engine/
    // docs/reference/rest/v1/projects.locations.clusters.nodePools#NodePoolAutoscaling).
    const gke = (autoscaling: any, where: any) => ({ type: "gcp:container/nodePool:NodePool", props: {
        ...where, autoscaling, nodeConfig: { labels: { "volley.io/pool": "stream-processing" }, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] } } });
    const threeZones = { location: "europe-west1", nodeLocations: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] };
    it("GKE: a multi-zone pool holds maxNodeCount per zone (4 × 3 zones = 12)", () => {
        assert.deepStrictEqual(checkStack(pol, [gke({ maxNodeCount: 4 }, threeZones), app(12)]), [], "no false violation for 12 workers on 3 zones of 4");
        assert.match(checkStack(pol, [gke({ maxNodeCount: 4 }, threeZones), app(13)])[0], /may scale to 13 workers but the stream pool holds at most 12/);
        assert.match(checkStack(pol, [gke({ maxNodeCount: 4 }, { location: "europe-west1-b" }), app(5)])[0], /holds at most 4/, "a zonal pool: one zone");
        assert.match(checkStack(pol, [gke({ totalMaxNodeCount: 5 }, threeZones), app(6)])[0], /holds at most 5/, "totalMaxNodeCount is the whole pool's");
        // A regional pool that names no zones runs in its cluster's: unknown, not guessed.
        assert.deepStrictEqual(checkStack(pol, [gke({ maxNodeCount: 4 }, { location: "europe-west1" }), app(40)]), []);
    });
    it("prefers any environment's streamCapacity.maxNodes to its pools' inputs (GCP, AWS, Azure)", () => {
        const env = (type: string, maxNodes: number) => ({ type, props: { environment: { streamCapacity: { maxNodes } } } });
        // The GCP environment's figure (30) wins over a pool whose inputs say 10 per zone, zones unknown.
        assert.deepStrictEqual(checkStack(pol, [env("volley:index:GcpEnvironment", 30), gke({ maxNodeCount: 10 }, { location: "europe-west1" }), app(30)]), []);
        assert.match(checkStack(pol, [env("volley:index:GcpEnvironment", 30), gke({ maxNodeCount: 10 }, { location: "europe-west1" }), app(31)])[0], /holds at most 30/);
        // Karpenter's limits (AwsEnvironment output) win over a node group's maxSize.
        assert.deepStrictEqual(checkStack(pol, [env("volley:index:AwsEnvironment", 20), pool(4), app(20)]), []);
        assert.match(checkStack(pol, [env("volley:index:AzureEnvironment", 6), app(7)])[0], /holds at most 6/);
        // An environment output without the figure leaves the pools to decide.
        assert.match(checkStack(pol, [{ type: "volley:index:GcpEnvironment", props: { environment: {} } }, pool(4), app(5)])[0], /holds at most 4/);
    });
});

describe("policy: advisory images-pinned and grafana-password-not-default", () => {
    it("images: a digest passes, a tag fails", () => {
        assert.strictEqual(p.imagesPinned.enforcementLevel, "advisory");
        assert.deepStrictEqual(check(p.imagesPinned as ResourceValidationPolicy, VAPP, vapp(goodSpec)), []);
        assert.match(check(p.imagesPinned as ResourceValidationPolicy, VAPP, vapp({ image: "registry.example.com/a:v1.0" }))[0], /a tag that can move.*registry\.example\.com\/a:v1\.0@sha256:<digest>/);
    });
    // The chart's default, read from the vendored chart rather than the pack's constant.
    const DEFAULT = chartYaml("kube-prometheus-stack-77.0.0/values.yaml").grafana.adminPassword;
    it("grafana: the chart's default password fails, another passes", () => {
        const pol = p.grafanaPasswordNotDefault as ResourceValidationPolicy;
        const secret = (pw: string) => ({ metadata: { labels: { "app.kubernetes.io/name": "grafana" } }, data: { "admin-user": Buffer.from("admin").toString("base64"), "admin-password": Buffer.from(pw).toString("base64") } });
        assert.deepStrictEqual(check(pol, "kubernetes:core/v1:Secret", secret("s3cret-from-vault")), []);
        const [other] = check(pol, "kubernetes:core/v1:Secret", secret(DEFAULT), { name: "prom-grafana" });
        assert.match(other, /Grafana secret prom-grafana holds the chart's default admin password.*grafana\.admin\.existingSecret, in that chart's values/);
        // Inside the package's stack the chart's Secret exists only when prometheus.values overrides grafana.admin.
        assert.match(check(pol, "kubernetes:core/v1:Secret", secret(DEFAULT), { chain: "volley:index:KubernetesEnvironment$volley:index:PrometheusStack" })[0],
            /prometheus\.values overrides grafana\.admin.*leave it unset for a generated one/);
    });
    it("grafana: the package's own grafana-admin Secret (stringData, part-of volley) with the default fails, naming prometheus.grafanaAdminPassword", () => {
        const pol = p.grafanaPasswordNotDefault as ResourceValidationPolicy;
        // The shape the package's PrometheusStack gives it (a user's prometheus.grafanaAdminPassword in stringData).
        const ours = (pw: string) => ({ metadata: { name: "grafana-admin", namespace: "monitoring", labels: { "app.kubernetes.io/part-of": "volley" } }, stringData: { "admin-user": "admin", "admin-password": pw } });
        const chain = "volley:index:KubernetesEnvironment$volley:index:PrometheusStack";
        const [m] = check(pol, "kubernetes:core/v1:Secret", ours(DEFAULT), { chain, name: "dev-prometheus-grafana-admin" });
        assert.match(m, /Grafana admin Secret dev-prometheus-grafana-admin holds kube-prometheus-stack's public default password/);
        assert.match(m, /set prometheus\.grafanaAdminPassword .*or leave it unset for a generated one/);
        assert.doesNotMatch(m, /prometheus\.values|grafana\.adminPassword/, "never values the package overrides");
        assert.deepStrictEqual(check(pol, "kubernetes:core/v1:Secret", ours("Xb4q-generated-once"), { chain }), []);
        // Another part-of volley Secret without an admin password is none of this rule's business.
        assert.deepStrictEqual(check(pol, "kubernetes:core/v1:Secret", { metadata: { labels: { "app.kubernetes.io/part-of": "volley" } }, stringData: { url: DEFAULT } }), []);
    });
});

describe("policy pack", () => {
    it("lists each policy once, with a description and a level", () => {
        const names = p.policies.map((x) => x.name);
        assert.deepStrictEqual(names, ["checkpoint-storage-retained", "stream-pool-tainted", "limits-set", "control-plane-not-public", "capacity-fits", "images-pinned", "grafana-password-not-default"]);
        for (const x of p.policies) assert.ok(x.description && x.enforcementLevel, x.name);
    });
    it("is versioned with the package: policy/package.json's version is package.json's (README \"Release\")", () => {
        // Both are bumped by hand at a release; a pack published as another version
        // than the package it checks is what `pulumi policy enable <org>/volley <version>` would pick up.
        const read = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", f), "utf8"));
        const pkg = read("package.json").version;
        const pack = read("policy/package.json").version;
        assert.strictEqual(pack, pkg, `policy/package.json is ${pack}, package.json ${pkg}: set both to the release's version`);
        const lock = read("policy/package-lock.json");
        assert.deepStrictEqual([lock.version, lock.packages[""].version], [pack, pack], "policy/package-lock.json: run npm install in policy/ after the bump");
    });
});
