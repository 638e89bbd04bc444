// Critical path of a fresh `pulumi up`, estimated from the dependency graph
// a program registers under mocks (tests/unit/graph.ts) and per-type
// creation times (minutes) from ../shared/reference/cloud-facts.md.
// A custom resource starts when every resource it depends on (explicitly,
// through its inputs, or through its provider) is created; component
// resources cost nothing. The estimate is the longest path.
import { Graph, Registered } from "../../tests/unit/graph";

/** The operator image the estimates name (required; nothing runs it under mocks). */
export const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };

/** Creation time in minutes by resource type; `match` is a prefix or exact token. */
export interface Timing {
    match: string;
    /** Only resources whose name ends so (a more specific match than the type alone). */
    nameEndsWith?: string;
    minutes: number;
}

/** The platform every environment installs, timed the same on every cloud (cloud-facts.md). */
export const PLATFORM = {
    chart: 2,           // Helm chart (KEDA / kube-prometheus-stack) 1-3
    customResource: 1,  // VolleyApplication awaited until Running (schedule, pull, start)
};
export const PLATFORM_TIMINGS: Timing[] = [
    { match: "kubernetes:helm.sh/v4:Chart", minutes: PLATFORM.chart },
    // A chart of CRDs only (karpenter-crd): no workload to await, only each CRD
    // Established, which the API server does in seconds.
    { match: "kubernetes:helm.sh/v4:Chart", nameEndsWith: "-crds", minutes: 0.25 },
    { match: "kubernetes:volley.io/v1alpha1:VolleyApplication", minutes: PLATFORM.customResource },
    // Not in cloud-facts: a Job on a running system node (small image pull, mkdir, chown).
    { match: "kubernetes:batch/v1:Job", minutes: 0.25 },
];

/** helm.v4.Chart registers as a component under mocks; count each as one install step. */
export function chartsAsSteps(g: Graph): void {
    for (const r of g.resources) if (r.type === "kubernetes:helm.sh/v4:Chart") r.custom = true;
}

export interface CriticalPath {
    /** Estimated wall time of a fresh up, minutes. */
    total: number;
    /** The resources on the longest path, first to last, with their finish times. */
    path: { resource: string; minutes: number; finish: number }[];
}

export function minutesFor(r: Registered, timings: Timing[], fallback: number): number {
    if (!r.custom) return 0;
    // Most specific match wins: a name match, then the longest type match.
    const score = (t: Timing) => (t.nameEndsWith ? 1e6 : 0) + t.match.length;
    const hits = timings.filter((t) => (r.type === t.match || r.type.startsWith(t.match)) && (!t.nameEndsWith || r.name.endsWith(t.nameEndsWith)))
        .sort((a, b) => score(b) - score(a));
    return hits.length ? hits[0].minutes : fallback;
}

export function criticalPath(g: Graph, timings: Timing[], fallback = 0.05): CriticalPath {
    const byUrn = new Map(g.resources.map((r) => [r.urn, r]));
    const finish = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const visiting = new Set<string>();

    const deps = (r: Registered): string[] => {
        const out = new Set(r.dependencies);
        // A resource needs its provider (e.g. a Kubernetes provider that needs the cluster).
        if (r.provider) out.add(r.provider.split("::").slice(0, -1).join("::"));
        return [...out].filter((u) => byUrn.has(u));
    };
    const visit = (urn: string): number => {
        const known = finish.get(urn);
        if (known !== undefined) return known;
        if (visiting.has(urn)) throw new Error(`dependency cycle at ${urn}`);
        visiting.add(urn);
        const r = byUrn.get(urn)!;
        let start = 0;
        let from: string | undefined;
        for (const d of deps(r)) {
            const f = visit(d);
            if (f > start) { start = f; from = d; }
        }
        const done = start + minutesFor(r, timings, fallback);
        finish.set(urn, done);
        via.set(urn, from);
        visiting.delete(urn);
        return done;
    };
    let last = "";
    let total = 0;
    for (const r of g.resources) {
        const f = visit(r.urn);
        if (f > total) { total = f; last = r.urn; }
    }
    const path: CriticalPath["path"] = [];
    for (let at: string | undefined = last; at; at = via.get(at)) {
        const r = byUrn.get(at)!;
        path.unshift({ resource: `${r.type}::${r.name}`, minutes: minutesFor(r, timings, fallback), finish: finish.get(at)! });
    }
    return { total, path };
}

export function formatPath(cp: CriticalPath): string {
    return cp.path.filter((p) => p.minutes > 0)
        .map((p) => `  ${p.finish.toFixed(2).padStart(6)} min  +${p.minutes.toFixed(2)}  ${p.resource}`).join("\n");
}
