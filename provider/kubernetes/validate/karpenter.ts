// Validation of a Karpenter NodePool's settings (KarpenterNodePool, and the
// stream pool of KubernetesEnvironment and AwsEnvironment): what the
// NodePool CRD would refuse after the cluster exists is refused at preview.
import { Checker, Issue, UNKNOWN, known, path } from "../../core/validate";
import { checkTaints } from "../../core/scheduling";
import {
    BUDGET_DURATION, BUDGET_NODES, BUDGET_REASONS, CAPACITY_TYPES, CAPACITY_TYPE_KEY, CONSOLIDATION_POLICIES, INSTANCE_TYPE_KEY,
    KARPENTER_DURATION, REQUIREMENT_OPERATORS, labelKeyAllowed, requirementKeyAllowed,
} from "../render/karpenter";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A NodePool name derived from a component name, or why it cannot be one. */
export function derivedNodePoolName(base: string): string | undefined {
    return base.length <= 253 && DNS1123_SUBDOMAIN.test(base) ? base : undefined;
}

function durationOf(c: Checker, p: string, v: unknown, example: string): void {
    if (!known(v)) return;
    if (typeof v !== "string" || !KARPENTER_DURATION.test(v)) c.fail(p, `must be a Karpenter duration such as "${example}" (hours, minutes, seconds) or "Never"; got ${JSON.stringify(v)}`);
}

/**
 * The settings every Karpenter stream pool shares; `p` prefixes paths.
 * `nodeClass` says whether `nodeClassRef` is the caller's to give (false on
 * AWS, which makes its own EC2NodeClass).
 */
export function checkKarpenterSettings(c: Checker, p: string, a: any, o: { nodeClassRef: boolean; derivedName?: string }): void {
    if (a === UNKNOWN) { c.fail(p, "must be known at preview: it decides whether a Karpenter NodePool exists"); return; }
    if (!known(a)) return;
    if (o.nodeClassRef) {
        const r = a.nodeClassRef;
        if (r === undefined || r === null) {
            c.fail(path(p, "nodeClassRef"), "required: the node class Karpenter launches nodes from, e.g. { group: \"karpenter.k8s.aws\", kind: \"EC2NodeClass\", name: \"default\" } on AWS or { group: \"karpenter.kwok.sh\", kind: \"KWOKNodeClass\", name: \"default\" } on kwok");
        } else if (known(r)) {
            c.required(path(p, "nodeClassRef", "group"), r.group, "the API group of the node class, e.g. karpenter.k8s.aws") &&
                known(r.group) && (typeof r.group !== "string" || r.group.includes("/")) && c.fail(path(p, "nodeClassRef", "group"), `must be an API group without a version or "/", e.g. "karpenter.k8s.aws"; got ${JSON.stringify(r.group)}`);
            c.required(path(p, "nodeClassRef", "kind"), r.kind, "the kind of the node class, e.g. EC2NodeClass");
            c.required(path(p, "nodeClassRef", "name"), r.name, "the name of the node class object");
        }
    } else if (a.nodeClassRef !== undefined) {
        c.fail(path(p, "nodeClassRef"), "is set by the environment (it creates its own node class); remove it");
    }
    if (a.nodePoolName !== undefined) {
        c.dnsSubdomain(path(p, "nodePoolName"), a.nodePoolName);
    } else if (o.derivedName !== undefined && derivedNodePoolName(o.derivedName) === undefined) {
        c.fail(path(p, "nodePoolName"), `required: the NodePool's name would be ${JSON.stringify(o.derivedName)}, which is not a DNS-1123 subdomain (lower-case letters, digits, "-", "."); set a name such as "volley-stream"`);
    }
    if (known(a.capacityTypes)) {
        if (!Array.isArray(a.capacityTypes) || a.capacityTypes.length === 0) c.fail(path(p, "capacityTypes"), `must list at least one of ${CAPACITY_TYPES.join(", ")}`);
        else a.capacityTypes.forEach((t: unknown, i: number) => c.oneOf(path(p, "capacityTypes", i), t, CAPACITY_TYPES));
    }
    if (known(a.instanceTypes)) {
        if (!Array.isArray(a.instanceTypes) || a.instanceTypes.length === 0) c.fail(path(p, "instanceTypes"), "must list at least one instance type, or be omitted (any type the node class offers)");
        else a.instanceTypes.forEach((t: unknown, i: number) => c.labelValue(path(p, "instanceTypes", i), t));
    }
    if (known(a.requirements)) {
        if (!Array.isArray(a.requirements)) c.fail(path(p, "requirements"), "must be a list of node selector requirements");
        else {
            if (a.requirements.length > 98) c.fail(path(p, "requirements"), `at most 98 (Karpenter allows 100, with capacityTypes and instanceTypes); got ${a.requirements.length}`);
            a.requirements.forEach((r: any, i: number) => checkRequirement(c, path(p, "requirements", i), r, a));
        }
    }
    if (known(a.limits)) {
        for (const [k, v] of Object.entries(a.limits as Record<string, unknown>)) {
            c.qualifiedName(path(p, "limits", k), k);
            c.quantity(path(p, "limits", k), v);
        }
    }
    c.oneOf(path(p, "consolidationPolicy"), a.consolidationPolicy, CONSOLIDATION_POLICIES);
    durationOf(c, path(p, "consolidateAfter"), a.consolidateAfter, "5m");
    durationOf(c, path(p, "expireAfter"), a.expireAfter, "720h");
    if (known(a.budgets)) {
        if (!Array.isArray(a.budgets)) c.fail(path(p, "budgets"), "must be a list of disruption budgets");
        else {
            if (a.budgets.length > 50) c.fail(path(p, "budgets"), `at most 50; got ${a.budgets.length}`);
            a.budgets.forEach((b: any, i: number) => {
                if (!known(b)) return;
                const bp = path(p, "budgets", i);
                if (c.required(path(bp, "nodes"), b.nodes, "a node count such as \"1\" or a percentage such as \"10%\"") && known(b.nodes) &&
                    (typeof b.nodes !== "string" || !BUDGET_NODES.test(b.nodes))) c.fail(path(bp, "nodes"), `must be a count such as "1" or a percentage such as "10%"; got ${JSON.stringify(b.nodes)}`);
                if (known(b.reasons)) (b.reasons as unknown[]).forEach((r, j) => c.oneOf(path(bp, "reasons", j), r, BUDGET_REASONS));
                if ((b.schedule === undefined) !== (b.duration === undefined)) c.fail(path(bp, b.schedule === undefined ? "schedule" : "duration"), "schedule and duration go together: set both or neither");
                if (known(b.duration) && (typeof b.duration !== "string" || !BUDGET_DURATION.test(b.duration))) c.fail(path(bp, "duration"), `must be hours and minutes such as "8h" or "1h30m"; got ${JSON.stringify(b.duration)}`);
            });
        }
    }
    c.integer(path(p, "weight"), a.weight, 1, 100);
}

function checkRequirement(c: Checker, p: string, r: any, a: any): void {
    if (!known(r)) return;
    if (c.required(path(p, "key"), r.key, "a node label key such as karpenter.k8s.aws/instance-family") && known(r.key) && c.qualifiedName(path(p, "key"), r.key)) {
        if (!requirementKeyAllowed(r.key)) c.fail(path(p, "key"), `Karpenter sets ${JSON.stringify(r.key)} itself and refuses it in requirements`);
        if (r.key === CAPACITY_TYPE_KEY && known(a.capacityTypes)) c.fail(path(p, "key"), "duplicates capacityTypes: say it in one place");
        if (r.key === INSTANCE_TYPE_KEY && known(a.instanceTypes)) c.fail(path(p, "key"), "duplicates instanceTypes: say it in one place");
    }
    if (!c.required(path(p, "operator"), r.operator, `one of ${REQUIREMENT_OPERATORS.join(", ")}`) || !c.oneOf(path(p, "operator"), r.operator, REQUIREMENT_OPERATORS)) return;
    const values = known(r.values) && Array.isArray(r.values) ? r.values : undefined;
    if (known(values)) values.forEach((v: unknown, i: number) => c.labelValue(path(p, "values", i), v));
    if (r.operator === "In" && r.values !== UNKNOWN && (!values || values.length === 0)) c.fail(path(p, "values"), "operator In needs at least one value");
    if (["Gt", "Lt", "Gte", "Lte"].includes(r.operator) && r.values !== UNKNOWN &&
        (!values || values.length !== 1 || !(known(values[0]) && /^\d+$/.test(String(values[0]))))) {
        c.fail(path(p, "values"), `operator ${r.operator} needs exactly one non-negative integer value; got ${JSON.stringify(r.values)}`);
    }
    if (["Exists", "DoesNotExist"].includes(r.operator) && values && values.length) c.fail(path(p, "values"), `operator ${r.operator} takes no values`);
    if (c.integer(path(p, "minValues"), r.minValues, 1, 50) && known(r.minValues) && r.operator === "In" && values && values.length < r.minValues) {
        c.fail(path(p, "minValues"), `must be at most the number of values (${values.length}); got ${r.minValues}`);
    }
}

/** Labels of a Karpenter-made node: qualified names Karpenter does not reserve. */
export function checkNodePoolLabels(c: Checker, p: string, labels: unknown): void {
    if (!known(labels)) return;
    c.labels(p, labels);
    for (const k of Object.keys(labels as object)) {
        if (!labelKeyAllowed(k)) c.fail(path(p, k), `Karpenter reserves ${JSON.stringify(k)} (its own domains and kubernetes.io/hostname); use a label of your own domain`);
    }
}

export function validateKarpenterNodePool(a: any, name?: string): Issue[] {
    const c = new Checker();
    checkKarpenterSettings(c, "", a, { nodeClassRef: true, derivedName: name });
    if (known(a.labels) && Object.keys(a.labels).length === 0) c.fail("labels", "must have at least one label, or applications are not isolated");
    checkNodePoolLabels(c, "labels", a.labels);
    checkTaints(c, "taints", a.taints);
    checkTaints(c, "startupTaints", a.startupTaints);
    return c.issues;
}
