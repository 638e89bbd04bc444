// Limits across layers (DESIGN.md principle 13): an Application against the
// stream pool its environment describes (EnvironmentRef.streamCapacity).
// Errors only for what can never be placed, judged from upper bounds: a node's
// allocatable figure is the cloud's documented capacity less its documented
// reservations (or the capacity itself), and DaemonSets and the OS take more,
// so passing is necessary, not sufficient. Unknown values skip the check.
import { Checker, UNKNOWN, known, path } from "../../core/validate";
import { formatCpu, formatMemory, parseQuantity } from "../../core/quantity";

type Resource = "cpu" | "memory";
const RESOURCES: Resource[] = ["cpu", "memory"];
const NAMES: Record<Resource, string> = { cpu: "CPU", memory: "memory" };
const fmt = (r: Resource, v: number) => (r === "cpu" ? formatCpu(v) : formatMemory(v));

/** What one pod requests, per resource, with the input path the figure comes from. */
export type PodRequests = Partial<Record<Resource, { value: number; path: string }>>;

/**
 * The pod's requests: `resources.requests`, or `resources.limits` for a
 * resource with no request (Kubernetes copies the limit). Undefined while not known.
 */
export function podRequests(resources: any): PodRequests | undefined {
    if (!known(resources) || resources.requests === UNKNOWN) return undefined;
    const out: PodRequests = {};
    for (const r of RESOURCES) {
        const req = resources.requests?.[r];
        if (req === UNKNOWN) return undefined;
        let q = req, p = path("resources", "requests", r);
        if (req === undefined || req === null) {
            if (resources.limits === UNKNOWN || resources.limits?.[r] === UNKNOWN) return undefined;
            q = resources.limits?.[r];
            p = path("resources", "limits", r);
        }
        if (q === undefined || q === null) continue;
        const v = parseQuantity(q);
        if (v === undefined) return undefined;
        if (v > 0) out[r] = { value: v, path: p };
    }
    return out;
}

/** A node shape with numbers: `fit` is what pods may request (allocatable, else capacity). */
interface Shape { label: string; fit: Record<Resource, number>; capacity: Record<Resource, number>; exact: boolean }

function shapesOf(cap: any): Shape[] | undefined {
    if (!known(cap?.nodeShapes) || !Array.isArray(cap.nodeShapes) || cap.nodeShapes.length === 0) return undefined;
    const out: Shape[] = [];
    for (const s of cap.nodeShapes) {
        if (!known(s)) return undefined;
        const capacity = { cpu: parseQuantity(s.cpu), memory: parseQuantity(s.memory) };
        const fit = { cpu: parseQuantity(s.allocatableCpu ?? s.cpu), memory: parseQuantity(s.allocatableMemory ?? s.memory) };
        if ([capacity.cpu, capacity.memory, fit.cpu, fit.memory].some((v) => v === undefined)) return undefined;
        const exact = s.allocatableCpu !== undefined && s.allocatableMemory !== undefined;
        const label = `${s.name ? `${s.name}: ` : ""}${fmt("cpu", fit.cpu!)} CPU, ${fmt("memory", fit.memory!)} ${exact ? "allocatable" : "(capacity; allocatable is less)"}`;
        out.push({ label, fit: fit as Record<Resource, number>, capacity: capacity as Record<Resource, number>, exact });
    }
    return out;
}

function limitsOf(cap: any): Partial<Record<Resource, number>> {
    const out: Partial<Record<Resource, number>> = {};
    if (!known(cap?.limits)) return out;
    for (const r of RESOURCES) {
        const v = parseQuantity(cap.limits[r]);
        if (v !== undefined) out[r] = v;
    }
    return out;
}

const fits = (s: Shape, req: PodRequests) => RESOURCES.every((r) => !req[r] || req[r]!.value <= s.fit[r]);

/** How many of this application's pods the pool can hold at most, and why; undefined when not bounded or not known. */
export function podsBound(cap: any, req: PodRequests, antiAffinity: boolean): { pods: number; why: string } | undefined {
    const shapes = shapesOf(cap)?.filter((s) => fits(s, req));
    const limits = limitsOf(cap);
    const maxNodes = known(cap?.maxNodes) && typeof cap.maxNodes === "number" ? cap.maxNodes : undefined;
    const bounds: { pods: number; why: string }[] = [];
    if (antiAffinity) {
        if (maxNodes !== undefined) bounds.push({ pods: maxNodes, why: `at most ${maxNodes} stream node${maxNodes === 1 ? "" : "s"}` });
        // Total limits (Karpenter) count node capacity: each pod's node has at least the pod's requests,
        // and at least the capacity of the smallest shape that fits it.
        for (const r of RESOURCES) {
            const limit = limits[r];
            if (limit === undefined) continue;
            const perNode = shapes?.length ? Math.min(...shapes.map((s) => s.capacity[r])) : req[r]?.value;
            if (!perNode) continue;
            const n = Math.floor(limit / perNode + 1e-9);
            bounds.push({ pods: n, why: `at most ${n} node${n === 1 ? "" : "s"} within the pool's ${NAMES[r]} limit ${fmt(r, limit)} (${fmt(r, perNode)} or more each)` });
        }
    } else {
        const perNode = shapes?.length
            ? Math.max(...shapes.map((s) => Math.min(...RESOURCES.filter((r) => req[r]).map((r) => Math.floor(s.fit[r] / req[r]!.value + 1e-9)))))
            : Infinity;
        if (maxNodes !== undefined && Number.isFinite(perNode)) {
            bounds.push({ pods: maxNodes * perNode, why: `at most ${maxNodes} stream node${maxNodes === 1 ? "" : "s"} holding ${perNode} such pod${perNode === 1 ? "" : "s"} each` });
        }
        for (const r of RESOURCES) {
            if (limits[r] === undefined || !req[r]) continue;
            const n = Math.floor(limits[r]! / req[r]!.value + 1e-9);
            bounds.push({ pods: n, why: `the pool's ${NAMES[r]} limit ${fmt(r, limits[r]!)} holding ${n} pods of ${fmt(r, req[r]!.value)}` });
        }
    }
    if (!bounds.length) return undefined;
    return bounds.reduce((a, b) => (b.pods < a.pods ? b : a));
}

/** Where the application's pods go: the stream pool unless `isolation.nodeSelector` names other nodes; undefined while not known. */
function onStreamPool(a: any, env: any): boolean | undefined {
    const iso = a.isolation;
    if (iso === UNKNOWN) return undefined;
    const sel = iso?.nodeSelector;
    if (sel === undefined || sel === null) return true;
    if (!known(sel) || !known(env.streamPlacement) || !known(env.streamPlacement.nodeSelector)) return undefined;
    const want = env.streamPlacement.nodeSelector;
    // Selecting the stream labels (and perhaps more) still lands on stream nodes.
    return Object.entries(want).every(([k, v]) => sel[k] === v);
}

function antiAffinityOf(a: any): boolean | undefined {
    if (a.isolation === UNKNOWN) return undefined;
    const v = a.isolation?.podAntiAffinity;
    if (v === undefined || v === null) return true;   // the CRD's default
    return typeof v === "boolean" ? v : undefined;
}

/** Replica counts the application asks for: `replicas`, and `autoscaling.maxReplicas` when autoscaling is on. */
function wanted(a: any): { path: string; pods: number; note: string }[] {
    const out: { path: string; pods: number; note: string }[] = [];
    const r = a.replicas === undefined || a.replicas === null ? 1 : a.replicas;
    if (Number.isInteger(r)) out.push({ path: "replicas", pods: r, note: a.replicas === undefined ? " (the default)" : "" });
    const as = a.autoscaling;
    if (known(as) && as.enabled === true) {
        const m = as.maxReplicas === undefined || as.maxReplicas === null ? 10 : as.maxReplicas;
        if (Number.isInteger(m)) out.push({ path: "autoscaling.maxReplicas", pods: m, note: as.maxReplicas === undefined ? " (the default)" : "" });
    }
    return out;
}

const where = (env: any) => `environment "${env.name}"${known(env.streamCapacity?.setBy) ? ` (${env.streamCapacity.setBy})` : ""}`;

/**
 * Fails replicas and requests that the environment's stream pool can never
 * hold. Values already refused by their own checks (issues in `c`) are not
 * measured again.
 */
export function checkStreamCapacity(c: Checker, a: any, env: any): void {
    if (!known(env) || !known(env.streamCapacity)) return;
    if (onStreamPool(a, env) !== true) return;
    const refused = (p: string) => c.issues.some((i) => i.propertyPath === p || i.propertyPath.startsWith(`${p}.`));
    const req = refused("resources") ? undefined : podRequests(a.resources);
    if (!req) return;
    const cap = env.streamCapacity;

    const shapes = shapesOf(cap);
    if (shapes && !shapes.some((s) => fits(s, req))) {
        const list = shapes.map((s) => s.label).join("; ");
        const tooBig = RESOURCES.filter((r) => req[r] && shapes.every((s) => req[r]!.value > s.fit[r]));
        for (const r of tooBig) {
            const most = Math.max(...shapes.map((s) => s.fit[r]));
            c.fail(req[r]!.path, `${fmt(r, req[r]!.value)} ${NAMES[r]} per pod is more than any stream node of ${where(env)} can give a pod (${list}); ` +
                `request at most ${fmt(r, most)}, or give the pool a larger node type`);
        }
        if (!tooBig.length) {
            c.fail("resources.requests", `no stream node of ${where(env)} offers ${RESOURCES.filter((r) => req[r]).map((r) => `${fmt(r, req[r]!.value)} ${NAMES[r]}`).join(" and ")} at once (${list}); ` +
                "lower one of them, or give the pool a node type with both");
        }
        return;
    }

    const anti = antiAffinityOf(a);
    if (anti === undefined) return;
    const bound = podsBound(cap, req, anti);
    if (!bound) return;
    for (const w of wanted(a)) {
        if (w.pods <= bound.pods || refused(w.path)) continue;
        const lower = w.path === "replicas" ? "lower replicas" : "lower autoscaling.maxReplicas";
        c.fail(w.path, anti
            ? `${w.pods}${w.note} pods, one per node (isolation.podAntiAffinity, on by default), need ${w.pods} stream nodes; ${where(env)} has ${bound.why}. ` +
              `Raise the stream pool's maximum to at least ${w.pods}, ${lower} to ${bound.pods} or less, or set isolation.podAntiAffinity: false so pods may share nodes`
            : `${w.pods}${w.note} pods do not fit ${where(env)}: ${bound.why}, ${bound.pods} pods in all. ` +
              `Raise the stream pool's maximum, ${lower} to ${bound.pods} or less, or request less per pod`);
    }
}

/** What an application asks of its environment's stream pool at its maximum replicas. */
export interface StreamDemand {
    /** The application, `<namespace>/<name>`. */
    app: string;
    pods: number;
    cpu?: number;
    memory?: number;
}

/** This application's demand on the stream pool, or undefined when it is not known or its pods go elsewhere. */
export function streamDemand(app: string, a: any, env: any): StreamDemand | undefined {
    if (!known(env) || !known(env.streamCapacity) || onStreamPool(a, env) !== true) return undefined;
    const req = podRequests(a.resources);
    const counts = wanted(a);
    if (!req || !counts.length || a.autoscaling === UNKNOWN || a.autoscaling?.enabled === UNKNOWN) return undefined;
    const pods = Math.max(...counts.map((w) => w.pods));
    return { app, pods, cpu: req.cpu ? pods * req.cpu.value : undefined, memory: req.memory ? pods * req.memory.value : undefined };
}

/**
 * A warning when the environment's applications, all at their maximum
 * replicas, request more than the whole stream pool can hold (its maximum
 * nodes times the largest allocatable shape, or its total limits). Each
 * application fits on its own; together some pods would stay Pending.
 */
export function streamPoolWarning(env: any, demands: StreamDemand[]): string | undefined {
    if (!known(env) || !known(env.streamCapacity) || demands.length < 2) return undefined;
    const cap = env.streamCapacity;
    const shapes = shapesOf(cap);
    const limits = limitsOf(cap);
    const maxNodes = typeof cap.maxNodes === "number" ? cap.maxNodes : undefined;
    for (const r of RESOURCES) {
        const totals: { value: number; why: string }[] = [];
        if (maxNodes !== undefined && shapes) {
            const most = Math.max(...shapes.map((s) => s.fit[r]));
            totals.push({ value: maxNodes * most, why: `${maxNodes} nodes × ${fmt(r, most)}` });
        }
        if (limits[r] !== undefined) totals.push({ value: limits[r]!, why: `its ${NAMES[r]} limit` });
        if (!totals.length) continue;
        const pool = totals.reduce((x, y) => (y.value < x.value ? y : x));
        const asked = demands.filter((d) => d[r] !== undefined);
        const sum = asked.reduce((s, d) => s + d[r]!, 0);
        if (asked.length < 2 || sum <= pool.value) continue;
        const each = asked.map((d) => `${d.app}: ${d.pods} × ${fmt(r, d[r]! / d.pods)}`).join(", ");
        return `the applications of ${where(env)} in this program request ${fmt(r, sum)} ${NAMES[r]} at their maximum replicas (${each}), ` +
            `more than its stream pool holds (${fmt(r, pool.value)}: ${pool.why}); each fits alone, together some pods will stay Pending at peak. ` +
            "Raise the stream pool's maximum, or lower replicas or autoscaling.maxReplicas";
    }
    return undefined;
}
