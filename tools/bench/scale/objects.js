// make bench (tools/bench/scale.sh): the Kubernetes objects of a stack, from
// `pulumi stack export --show-secrets` on stdin, as the plain program's
// objects.json on stdout: type, name, inputs, the objects it depends on
// (dependencies on a component mean its objects) and retainOnDelete, in
// state order, which is dependency order.
const state = JSON.parse(require("fs").readFileSync(0, "utf8"));
const resources = state.deployment.resources || [];
const isObject = (r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:");
const byUrn = new Map(resources.map((r) => [r.urn, r]));
const key = (r) => `${r.type}::${r.urn.split("::").pop()}`;
const children = new Map();
for (const r of resources) if (r.parent) (children.get(r.parent) || children.set(r.parent, []).get(r.parent)).push(r);
function objectsOf(urn, out = new Set()) { // the objects a URN stands for: itself, or a component's objects
    const r = byUrn.get(urn);
    if (!r) return out;
    if (isObject(r)) out.add(key(r));
    else if (!r.custom) for (const c of children.get(urn) || []) objectsOf(c.urn, out);
    return out;
}
// Secrets exported with --show-secrets are plain values wrapped in a marker.
const unwrap = (v) => Array.isArray(v) ? v.map(unwrap)
    : v && typeof v === "object" ? ("4dabf18193072939515e22adb298388d" in v ? unwrap(v.plaintext !== undefined ? JSON.parse(v.plaintext) : v.value)
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]))) : v;
const out = [];
for (const r of resources.filter(isObject)) {
    const deps = new Set();
    for (const d of r.dependencies || []) for (const k of objectsOf(d)) deps.add(k);
    deps.delete(key(r));
    out.push({ type: r.type, name: r.urn.split("::").pop(), inputs: unwrap(r.inputs || {}), dependsOn: [...deps], retainOnDelete: !!r.retainOnDelete });
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
