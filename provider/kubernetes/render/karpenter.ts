// A Karpenter NodePool (karpenter.sh/v1) for the stream pool: cloud
// independent, it names its cloud's node class by `nodeClassRef` (an AWS
// EC2NodeClass, a KWOKNodeClass on a test cluster). Pure: the object is
// table-tested and checked against the vendored CRD's schema
// (shared/charts/karpenter-crd-1.14.1, tests/unit/karpenter.test.ts).

/** The NodePool API this package writes (Karpenter v1, chart 1.14.1). */
export const NODE_POOL_API = { group: "karpenter.sh", version: "v1", kind: "NodePool" } as const;

/**
 * Well-known requirement keys (karpenter.sh/docs/concepts/scheduling,
 * "Well-Known Labels"): `karpenter.sh/capacity-type` takes `on-demand`,
 * `spot` or `reserved`; `node.kubernetes.io/instance-type` the cloud's
 * instance type names.
 */
export const CAPACITY_TYPE_KEY = "karpenter.sh/capacity-type";
export const INSTANCE_TYPE_KEY = "node.kubernetes.io/instance-type";
export const CAPACITY_TYPES = ["on-demand", "spot", "reserved"] as const;

/** `spec.disruption.consolidationPolicy` values (the CRD's enum). */
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"] as const;
/** `requirements[].operator` values (the CRD's enum). */
export const REQUIREMENT_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"] as const;
/** Budget `reasons` (the CRD's enum). */
export const BUDGET_REASONS = ["Underutilized", "Empty", "Drifted"] as const;

/** Karpenter's duration syntax for consolidateAfter and expireAfter (the CRD's pattern). */
export const KARPENTER_DURATION = /^(([0-9]+(s|m|h))+|Never)$/;
/** A budget's `nodes`: a count or a percentage (the CRD's pattern). */
export const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
/** A budget's `duration` (the CRD's pattern). */
export const BUDGET_DURATION = /^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/;

/**
 * The defaults. `WhenEmpty`: Karpenter removes a stream node only once no
 * pipeline pod runs on it, never evicts a running pipeline to pack pods
 * tighter (`WhenEmptyOrUnderutilized`, Karpenter's own default, would).
 * `consolidateAfter` 5m: an emptied node waits as long as KEDA's default
 * cooldown (300 s), so a scale-down followed by a scale-up reuses it.
 */
export const NODE_POOL_DEFAULTS = { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m" } as const;

/**
 * Label keys and domains Karpenter refuses in a NodePool's template labels and
 * requirements (the CRD's CEL rules): its own domains, except the listed keys,
 * and `kubernetes.io/hostname`.
 */
export const RESTRICTED_KEYS = ["karpenter.sh/nodepool", "kubernetes.io/hostname"];
const KARPENTER_DOMAINS = ["karpenter.sh", "karpenter.k8s.aws"];
const ALLOWED_IN_KARPENTER_DOMAINS = new Set(["karpenter.sh/capacity-type"]);

/** Whether Karpenter refuses `key` in template labels (requirements on AWS's own keys are allowed by the AWS CRD; see `requirementKeyAllowed`). */
export function labelKeyAllowed(key: string): boolean {
    if (RESTRICTED_KEYS.includes(key)) return false;
    const domain = key.includes("/") ? key.split("/")[0] : "";
    return ALLOWED_IN_KARPENTER_DOMAINS.has(key) || !KARPENTER_DOMAINS.some((d) => domain.endsWith(d));
}

/** Whether Karpenter accepts `key` as a requirement: any key but its own domain's, where only well-known ones (e.g. `karpenter.k8s.aws/instance-family`) are allowed. */
export function requirementKeyAllowed(key: string): boolean {
    if (RESTRICTED_KEYS.includes(key)) return false;
    const domain = key.includes("/") ? key.split("/")[0] : "";
    if (domain.endsWith("karpenter.sh")) return ALLOWED_IN_KARPENTER_DOMAINS.has(key);
    // The AWS provider's well-known keys; the CRD lists them, and the API server is the judge of the rest.
    return true;
}

export interface NodeClassRef { group: string; kind: string; name: string }
export interface Requirement { key: string; operator: string; values?: string[]; minValues?: number }
export interface Budget { nodes: string; reasons?: string[]; schedule?: string; duration?: string }
export interface KubeTaint { key: string; value?: string; effect: string }

export interface NodePoolSpec {
    /** metadata.name (cluster-scoped). */
    name: string;
    nodeClassRef: NodeClassRef;
    /** Labels of the nodes (the stream pool's). */
    labels: Record<string, string>;
    /** Taints of the nodes (the stream pool's); pods tolerate them. */
    taints: KubeTaint[];
    /** Taints a node starts with until an agent removes them; pods need not tolerate them. */
    startupTaints?: KubeTaint[];
    capacityTypes?: string[];
    instanceTypes?: string[];
    /** Further requirements, after capacity type and instance types. */
    requirements?: Requirement[];
    /** Resource limits of the whole pool (`cpu`, `memory`, `nodes`, ...). */
    limits?: Record<string, string>;
    consolidationPolicy?: string;
    consolidateAfter?: string;
    budgets?: Budget[];
    expireAfter?: string;
    weight?: number;
}

function taint(t: KubeTaint): KubeTaint {
    return t.value !== undefined && t.value !== "" ? { key: t.key, value: t.value, effect: t.effect } : { key: t.key, effect: t.effect };
}

/** The requirements: capacity type, then instance types, then the user's own. */
export function nodePoolRequirements(s: Pick<NodePoolSpec, "capacityTypes" | "instanceTypes" | "requirements">): Requirement[] {
    const out: Requirement[] = [];
    if (s.capacityTypes?.length) out.push({ key: CAPACITY_TYPE_KEY, operator: "In", values: [...s.capacityTypes] });
    if (s.instanceTypes?.length) out.push({ key: INSTANCE_TYPE_KEY, operator: "In", values: [...s.instanceTypes] });
    for (const r of s.requirements ?? []) {
        const x: Requirement = { key: r.key, operator: r.operator };
        if (r.values !== undefined) x.values = [...r.values];
        if (r.minValues !== undefined) x.minValues = r.minValues;
        out.push(x);
    }
    return out;
}

/** The whole NodePool object. */
export function renderNodePool(s: NodePoolSpec): any {
    const template: any = {
        metadata: { labels: { ...s.labels } },
        spec: {
            nodeClassRef: { group: s.nodeClassRef.group, kind: s.nodeClassRef.kind, name: s.nodeClassRef.name },
            requirements: nodePoolRequirements(s),
            ...(s.taints.length ? { taints: s.taints.map(taint) } : {}),
            ...(s.startupTaints?.length ? { startupTaints: s.startupTaints.map(taint) } : {}),
            ...(s.expireAfter !== undefined ? { expireAfter: s.expireAfter } : {}),
        },
    };
    const disruption: any = {
        consolidationPolicy: s.consolidationPolicy ?? NODE_POOL_DEFAULTS.consolidationPolicy,
        consolidateAfter: s.consolidateAfter ?? NODE_POOL_DEFAULTS.consolidateAfter,
    };
    if (s.budgets?.length) disruption.budgets = s.budgets.map((b) => ({ ...b, ...(b.reasons ? { reasons: [...b.reasons] } : {}) }));
    return {
        apiVersion: `${NODE_POOL_API.group}/${NODE_POOL_API.version}`,
        kind: NODE_POOL_API.kind,
        metadata: { name: s.name, labels: { "app.kubernetes.io/part-of": "volley" } },
        spec: {
            template,
            disruption,
            ...(s.limits && Object.keys(s.limits).length ? { limits: { ...s.limits } } : {}),
            ...(s.weight !== undefined ? { weight: s.weight } : {}),
        },
    };
}
