// Shared by gcpChanges.test.ts and azureChanges.test.ts: what a change did to
// one resource between two graphs, judged by the provider's force-new fields.
import * as assert from "assert";
import { ChangeEffect, ChangeRow } from "../../provider/core/changes";
import { Graph, Registered } from "./graph";

/** Leaf paths of an input object, as ignoreChanges spells them (`a.b`, `a[0].b`); arrays of scalars are leaves. */
export function leaves(v: any, prefix = ""): Record<string, string> {
    if (v === null || v === undefined || typeof v !== "object") return prefix ? { [prefix]: JSON.stringify(v ?? null) } : {};
    if (Array.isArray(v) && !v.some((x) => x && typeof x === "object")) return { [prefix]: JSON.stringify(v) };
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) Object.assign(out, leaves(x, Array.isArray(v) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k));
    return out;
}

export function changedPaths(a: Registered, b: Registered): string[] {
    const x = leaves(a.inputs), y = leaves(b.inputs);
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => x[k] !== y[k] && k !== "__defaults");
}

const under = (path: string, field: string) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/** The graph with only the child named `child` among the resources of `type` (a type with several children: the probe compares one). */
export function onlyChild(g: Graph, type: string, child: string): Graph {
    return Object.assign(new Graph(), { resources: g.resources.filter((r) => r.type !== type || r.name === child) });
}

/**
 * The effect a change had on `type` (the child of the same name in both
 * graphs), judged as the engine would. A resource the change brings in is
 * "in place" (the tables' word for a create or delete that replaces nothing),
 * with no changed properties.
 */
export function observedEffect(before: Graph, after: Graph, type: string, forceNew: string[]): { effect: ChangeEffect | "no change"; detail: string; changed?: string[] } {
    const b = before.byType(type), a = after.byType(type);
    if (b.length === 1 && a.length === 0) return { effect: b[0].retainOnDelete ? "forgotten, retained" : "no change", detail: "left the program" };
    if (b.length === 0 && a.length === 1) return { effect: "in place", detail: "joined the program" };
    assert.strictEqual(b.length, 1, `${type}: one before`);
    assert.strictEqual(a.length, 1, `${type}: one after`);
    const [r0, r1] = [b[0], a[0]];
    const changed = changedPaths(r0, r1);
    const ignored = changed.filter((p) => r1.ignoreChanges.some((i) => under(p, i)));
    const effective = changed.filter((p) => !ignored.includes(p));
    const replacing = effective.filter((p) => forceNew.some((f) => under(p, f)));
    const detail = `changed ${JSON.stringify(changed)}, ignored ${JSON.stringify(ignored)}, replacing ${JSON.stringify(replacing)}`;
    if (replacing.length) return { effect: r1.deleteBeforeReplace ? "replaced: old one deleted first" : "replaced: new one first", detail, changed };
    if (effective.length) return { effect: "in place", detail, changed };
    if (ignored.length) return { effect: "kept as created (warning)", detail, changed };
    return { effect: "no change", detail, changed };
}

/**
 * The preview summary matches a step to a row by the row's properties: the
 * change must show every one of them on the resource (ignored ones included:
 * they are the provider's names for the field); a row without properties is
 * about a resource that leaves or joins the program.
 */
export function assertRowProperties(row: ChangeRow, changed: string[] | undefined): void {
    if (row.properties === undefined) { assert.strictEqual(changed, undefined, `${row.input}: the resource leaves the program, or give the row properties`); return; }
    for (const p of row.properties) assert.ok((changed ?? []).some((c) => under(c, p)), `${row.input}: ${p} is not among the changed properties ${JSON.stringify(changed)}`);
}

/** Every row has a probe, and every probe a row (`key`: which probe a row plays, by default its input). */
export function assertProbesCover<R extends ChangeRow>(rows: R[], probes: Record<string, unknown>, key: (r: R) => string = (r) => r.input): void {
    assert.deepStrictEqual(Object.keys(probes).sort(), [...new Set(rows.map(key))].sort());
    for (const r of rows) assert.ok(r.source.length > 10, `${r.input}: a source`);
}
