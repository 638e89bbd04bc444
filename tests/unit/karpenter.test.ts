// The cloud-independent Karpenter NodePool (#23.3): the rendered object
// against the vendored karpenter-crd chart's NodePool schema, the package's
// tables against the CRD's enums and patterns, validation as data, and the
// KarpenterNodePool / KubernetesEnvironment graphs under mocks.
import * as assert from "assert";
import {
    BUDGET_DURATION, BUDGET_NODES, BUDGET_REASONS, CONSOLIDATION_POLICIES, KARPENTER_DURATION, NODE_POOL_API, REQUIREMENT_OPERATORS, renderNodePool,
} from "../../provider/kubernetes/render/karpenter";
import { validateKarpenterNodePool } from "../../provider/kubernetes/validate/karpenter";
import { validateKubernetesEnvironment } from "../../provider/kubernetes/validate/platform";
import { KarpenterNodePool } from "../../provider/kubernetes/karpenterNodePool";
import { KubernetesEnvironment, streamNodesCapacity } from "../../provider/kubernetes/kubernetesEnvironment";
import { UNKNOWN } from "../../provider/core/validate";
import { capture, valueOf } from "./graph";
import { checkAgainstCrd, crdSchema, karpenterCrd } from "./karpenterCrds";

const NODE_POOL_CRD = karpenterCrd("karpenter.sh_nodepools.yaml");
const spec = crdSchema(NODE_POOL_CRD).properties.spec;
const templateSpec = spec.properties.template.properties.spec;
const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };
const KWOK = { group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: "default" };
const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";

const BASE = {
    name: "dev-stream", nodeClassRef: KWOK,
    labels: { "volley.io/pool": "stream-processing" },
    taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }],
};

describe("Karpenter NodePool: the package's tables are the CRD's", () => {
    it("serves karpenter.sh/v1 NodePool", () => {
        assert.strictEqual(NODE_POOL_CRD.spec.group, NODE_POOL_API.group);
        assert.strictEqual(NODE_POOL_CRD.spec.names.kind, NODE_POOL_API.kind);
        assert.ok(NODE_POOL_CRD.spec.versions.some((v: any) => v.name === NODE_POOL_API.version && v.served && v.storage));
    });
    it("consolidation policies, operators, budget reasons", () => {
        assert.deepStrictEqual([...CONSOLIDATION_POLICIES].sort(), [...spec.properties.disruption.properties.consolidationPolicy.enum].sort());
        assert.deepStrictEqual([...REQUIREMENT_OPERATORS].sort(), [...templateSpec.properties.requirements.items.properties.operator.enum].sort());
        assert.deepStrictEqual([...BUDGET_REASONS].sort(), [...spec.properties.disruption.properties.budgets.items.properties.reasons.items.enum].sort());
    });
    it("duration and budget patterns", () => {
        assert.strictEqual(KARPENTER_DURATION.source, spec.properties.disruption.properties.consolidateAfter.pattern);
        assert.strictEqual(KARPENTER_DURATION.source, templateSpec.properties.expireAfter.pattern);
        const budget = spec.properties.disruption.properties.budgets.items.properties;
        assert.strictEqual(BUDGET_NODES.source, budget.nodes.pattern);
        assert.strictEqual(BUDGET_DURATION.source, budget.duration.pattern);
    });
    it("Karpenter's own default would evict running pods to consolidate; the package's does not", () => {
        // The CRD defaults to WhenEmptyOrUnderutilized: the package must say WhenEmpty itself.
        assert.strictEqual(spec.properties.disruption.properties.consolidationPolicy.default, "WhenEmptyOrUnderutilized");
        const np = renderNodePool(BASE);
        assert.strictEqual(np.spec.disruption.consolidationPolicy, "WhenEmpty");
        assert.strictEqual(np.spec.disruption.consolidateAfter, "5m");
    });
});

describe("Karpenter NodePool: rendered objects pass the CRD's schema", () => {
    const cases: [string, any][] = [
        ["defaults", BASE],
        ["everything", {
            ...BASE, startupTaints: [{ key: "efs.csi.aws.com/agent-not-ready", effect: "NoExecute" }],
            capacityTypes: ["spot", "on-demand"], instanceTypes: ["m6i.2xlarge", "m7i.2xlarge"],
            requirements: [
                { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m6i", "m7i"], minValues: 2 },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
                { key: "topology.kubernetes.io/zone", operator: "Exists" },
            ],
            limits: { cpu: "32", memory: "128Gi", nodes: "4" },
            consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "Never", expireAfter: "Never", weight: 10,
            budgets: [{ nodes: "1" }, { nodes: "0", reasons: ["Drifted"], schedule: "0 9 * * mon-fri", duration: "8h" }],
        }],
    ];
    for (const [what, s] of cases) {
        it(what, () => {
            const r = checkAgainstCrd(NODE_POOL_CRD, renderNodePool(s));
            assert.deepStrictEqual(r.errors, []);
            assert.deepStrictEqual(r.pruned, [], "nothing the API server would drop");
        });
    }
    it("the check can fail: Karpenter's reserved label, an In without values, an unknown policy", () => {
        const bad = renderNodePool({ ...BASE, labels: { "karpenter.sh/nodepool": "x" }, requirements: [{ key: "a", operator: "In", values: [] }], consolidationPolicy: "Sometimes" });
        const r = checkAgainstCrd(NODE_POOL_CRD, bad);
        assert.ok(r.errors.some((e) => /labels/.test(e)), r.errors.join("\n"));
        assert.ok(r.errors.some((e) => /requirements/.test(e)), r.errors.join("\n"));
        assert.ok(r.errors.some((e) => /consolidationPolicy/.test(e)), r.errors.join("\n"));
        assert.ok(checkAgainstCrd(NODE_POOL_CRD, { ...bad, spec: { ...bad.spec, extra: 1 } }).pruned.includes(".spec.extra"));
    });
    it("renders requirements in order: capacity type, instance types, the user's", () => {
        const np = renderNodePool({ ...BASE, capacityTypes: ["spot"], instanceTypes: ["m6i.large"], requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] });
        assert.deepStrictEqual(np.spec.template.spec.requirements, [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.large"] },
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
        ]);
        assert.deepStrictEqual(np.spec.template.spec.taints, BASE.taints);
        assert.deepStrictEqual(np.spec.template.metadata.labels, BASE.labels);
        assert.strictEqual(np.spec.limits, undefined);
    });
});

type Row = [string, any, string, RegExp];
const GOOD = { nodeClassRef: KWOK };
const ROWS: Row[] = [
    ["no nodeClassRef", {}, "nodeClassRef", /required: the node class/],
    ["nodeClassRef without name", { nodeClassRef: { group: "karpenter.kwok.sh", kind: "KWOKNodeClass" } }, "nodeClassRef.name", /required/],
    ["nodeClassRef group with a version", { nodeClassRef: { ...KWOK, group: "karpenter.k8s.aws/v1" } }, "nodeClassRef.group", /without a version/],
    ["unknown capacity type", { ...GOOD, capacityTypes: ["ondemand"] }, "capacityTypes[0]", /one of on-demand, spot, reserved/],
    ["empty capacity types", { ...GOOD, capacityTypes: [] }, "capacityTypes", /at least one/],
    ["unknown operator", { ...GOOD, requirements: [{ key: "a", operator: "Matches" }] }, "requirements[0].operator", /one of In, NotIn/],
    ["In without values", { ...GOOD, requirements: [{ key: "a", operator: "In" }] }, "requirements[0].values", /at least one value/],
    ["Gt with a word", { ...GOOD, requirements: [{ key: "a", operator: "Gt", values: ["five"] }] }, "requirements[0].values", /one non-negative integer/],
    ["Exists with values", { ...GOOD, requirements: [{ key: "a", operator: "Exists", values: ["x"] }] }, "requirements[0].values", /takes no values/],
    ["minValues above the values", { ...GOOD, requirements: [{ key: "a", operator: "In", values: ["x"], minValues: 2 }] }, "requirements[0].minValues", /at most the number of values \(1\)/],
    ["Karpenter's own key", { ...GOOD, requirements: [{ key: "karpenter.sh/nodepool", operator: "Exists" }] }, "requirements[0].key", /refuses it/],
    ["hostname", { ...GOOD, requirements: [{ key: "kubernetes.io/hostname", operator: "Exists" }] }, "requirements[0].key", /refuses it/],
    ["capacity type twice", { ...GOOD, capacityTypes: ["spot"], requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }] }, "requirements[0].key", /duplicates capacityTypes/],
    ["bad limit", { ...GOOD, limits: { cpu: "lots" } }, "limits.cpu", /quantity/],
    ["unknown policy", { ...GOOD, consolidationPolicy: "Always" }, "consolidationPolicy", /one of WhenEmpty, WhenEmptyOrUnderutilized, Balanced/],
    ["bad consolidateAfter", { ...GOOD, consolidateAfter: "5 minutes" }, "consolidateAfter", /Karpenter duration/],
    ["bad expireAfter", { ...GOOD, expireAfter: "30d" }, "expireAfter", /Karpenter duration/],
    ["budget schedule without duration", { ...GOOD, budgets: [{ nodes: "0", schedule: "@daily" }] }, "budgets[0].duration", /go together/],
    ["budget nodes as a word", { ...GOOD, budgets: [{ nodes: "some" }] }, "budgets[0].nodes", /count/],
    ["budget reason", { ...GOOD, budgets: [{ nodes: "1", reasons: ["Expired"] }] }, "budgets[0].reasons[0]", /one of Underutilized, Empty, Drifted/],
    ["weight 0", { ...GOOD, weight: 0 }, "weight", /from 1 to 100/],
    ["reserved label", { ...GOOD, labels: { "karpenter.sh/nodepool": "x" } }, "labels.karpenter.sh/nodepool", /reserves/],
    ["no labels", { ...GOOD, labels: {} }, "labels", /at least one label/],
    ["bad name", { ...GOOD, nodePoolName: "Stream_Pool" }, "nodePoolName", /DNS-1123 subdomain/],
];

describe("Karpenter NodePool: validation", () => {
    it("accepts the minimal and the full settings", () => {
        assert.deepStrictEqual(validateKarpenterNodePool(GOOD, "stream"), []);
        assert.deepStrictEqual(validateKarpenterNodePool({
            ...GOOD, capacityTypes: ["spot"], instanceTypes: ["m6i.large"], limits: { cpu: "64", memory: "256Gi", nodes: 8 },
            requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m6i", "m7i"], minValues: 2 }],
            budgets: [{ nodes: "10%" }, { nodes: "0", reasons: ["Drifted"], schedule: "@daily", duration: "1h30m" }],
            consolidationPolicy: "WhenEmpty", consolidateAfter: "30s", expireAfter: "Never", weight: 50,
            startupTaints: [{ key: "efs.csi.aws.com/agent-not-ready", effect: "NoExecute" }],
        }, "stream"), []);
    });
    for (const [what, input, p, reason] of ROWS) {
        it(`refuses ${what} at ${p}`, () => {
            const issues = validateKarpenterNodePool(input, "stream");
            const hit = issues.find((i) => i.propertyPath === p);
            assert.ok(hit, `no issue at ${p}: ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }
    it("a component name that cannot be a NodePool name asks for nodePoolName", () => {
        const issues = validateKarpenterNodePool(GOOD, "Stream");
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["nodePoolName"]);
        assert.match(issues[0].reason, /"Stream".*set a name/);
    });
    it("every refused object is one the CRD refuses too (the validation is not stricter than Karpenter)", () => {
        // Rows whose settings render: each must fail the CRD check as well (a stricter validation would refuse what Karpenter accepts).
        for (const [what, input] of ROWS.filter(([w]) => ["unknown operator", "In without values", "Gt with a word", "minValues above the values", "Karpenter's own key", "hostname", "unknown policy", "bad consolidateAfter", "bad expireAfter", "budget schedule without duration", "budget nodes as a word", "budget reason", "weight 0", "reserved label"].includes(w))) {
            const r = checkAgainstCrd(NODE_POOL_CRD, renderNodePool({ ...BASE, ...input, labels: input.labels ?? BASE.labels }));
            assert.ok(r.errors.length > 0, `the CRD accepts the row "${what}"`);
        }
    });
});

describe("KubernetesEnvironment: streamNodes.karpenter", () => {
    it("validates the NodePool settings under streamNodes.karpenter", () => {
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, streamNodes: { karpenter: GOOD } }, "dev"), []);
        const issues = validateKubernetesEnvironment({ operator: OPERATOR, streamNodes: { karpenter: { consolidationPolicy: "Never" } } }, "dev");
        assert.deepStrictEqual(issues.map((i) => i.propertyPath).sort(), ["streamNodes.karpenter.consolidationPolicy", "streamNodes.karpenter.nodeClassRef"]);
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, streamNodes: UNKNOWN }, "dev").map((i) => i.propertyPath), ["streamNodes"]);
        const labels = validateKubernetesEnvironment({ operator: OPERATOR, streamNodes: { labels: { "kubernetes.io/hostname": "x" }, karpenter: GOOD } }, "dev");
        assert.ok(labels.some((i) => i.propertyPath === "streamNodes.labels.kubernetes.io/hostname"), JSON.stringify(labels));
        // "Dev" also names the platform's Helm releases, which Helm refuses (issue 21 item 5).
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, streamNodes: { karpenter: GOOD } }, "Dev").map((i) => i.propertyPath), ["name", "streamNodes.karpenter.nodePoolName"]);
    });

    it("without karpenter: no NodePool", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: OPERATOR }));
        assert.strictEqual(g.byType(NODE_POOL).length, 0);
    });

    it("with karpenter: one NodePool with the stream label and taint, on the environment's provider; the placement waits for it", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("dev", {
                operator: OPERATOR, kubeconfig: "kc",
                streamNodes: { karpenter: { nodeClassRef: KWOK, limits: { nodes: "5" }, startupTaints: [{ key: "agent-not-ready", effect: "NoExecute" }] } },
            });
        });
        const np = g.one(NODE_POOL);
        assert.strictEqual(np.name, "dev-stream-nodepool");
        assert.strictEqual(np.provider.split("::")[3], "dev-k8s");
        assert.strictEqual(np.inputs.metadata.name, "dev-stream");
        assert.deepStrictEqual(np.inputs.spec.template.metadata.labels, { "volley.io/pool": "stream-processing" });
        assert.deepStrictEqual(np.inputs.spec.template.spec.taints, [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }]);
        assert.deepStrictEqual(np.inputs.spec.template.spec.startupTaints, [{ key: "agent-not-ready", effect: "NoExecute" }]);
        assert.deepStrictEqual(np.inputs.spec.template.spec.nodeClassRef, KWOK);
        assert.deepStrictEqual(np.inputs.spec.limits, { nodes: "5" });
        assert.deepStrictEqual(np.inputs.spec.disruption, { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m" });
        assert.strictEqual(np.inputs.spec.template.spec.requirements.length, 0);
        assert.deepStrictEqual(checkAgainstCrd(NODE_POOL_CRD, np.inputs).errors, []);
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        // The NodePool's limits.nodes is the pool's maximum for the Applications' preview checks (#23.4).
        assert.strictEqual(ref.streamCapacity!.maxNodes, 5);
    });

    it("streamCapacity from the NodePool's limits, unless maxNodes says otherwise", () => {
        assert.deepStrictEqual(streamNodesCapacity({ karpenter: { limits: { nodes: "6", cpu: "48", memory: "192Gi" } } }),
            { maxNodes: 6, limits: { cpu: "48", memory: "192Gi" }, setBy: "streamNodes.karpenter.limits.nodes, karpenter.limits and nodeAllocatable" });
        assert.strictEqual(streamNodesCapacity({ maxNodes: 3, karpenter: { limits: { nodes: "6" } } })!.maxNodes, 3);
        assert.strictEqual(streamNodesCapacity({ karpenter: {} }), undefined);
        assert.deepStrictEqual(streamNodesCapacity({ maxNodes: 2 }), { maxNodes: 2, setBy: "streamNodes.maxNodes and nodeAllocatable" });
    });

    it("custom labels and taints are the NodePool's and the placement's", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("dev", {
                operator: OPERATOR,
                streamNodes: { labels: { pool: "fast" }, taints: [{ key: "dedicated", effect: "NoExecute" }], karpenter: { nodeClassRef: KWOK, nodePoolName: "fast" } },
            });
        });
        const np = g.one(NODE_POOL);
        assert.strictEqual(np.inputs.metadata.name, "fast");
        assert.deepStrictEqual(np.inputs.spec.template.metadata.labels, { pool: "fast" });
        assert.deepStrictEqual(np.inputs.spec.template.spec.taints, [{ key: "dedicated", effect: "NoExecute" }]);
        assert.deepStrictEqual((await valueOf(env.environment)).streamPlacement, { nodeSelector: { pool: "fast" }, tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }] });
    });
});

describe("KarpenterNodePool (building block)", () => {
    it("one NodePool through its own provider, placement from labels and taints", async () => {
        let pool!: KarpenterNodePool;
        const g = await capture(() => { pool = new KarpenterNodePool("stream", { nodeClassRef: KWOK, kubeconfig: "kc", capacityTypes: ["spot"] }); });
        assert.deepStrictEqual(g.names(), [
            `${NODE_POOL}::stream-nodepool`, "pulumi:providers:kubernetes::stream-k8s", "volley:index:KarpenterNodePool::stream",
        ]);
        const np = g.one(NODE_POOL);
        assert.strictEqual(np.inputs.metadata.name, "stream");
        assert.deepStrictEqual(np.inputs.spec.template.spec.requirements, [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }]);
        assert.deepStrictEqual(await valueOf(pool.placement), {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        assert.strictEqual(await valueOf(pool.nodePoolName), "stream");
    });
});
