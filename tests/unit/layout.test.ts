// The layout DESIGN.md promises, checked on the source: one folder per domain,
// imports running one way (entry point -> clouds -> kubernetes -> core) and no
// import cycles, so a new cloud is one new folder.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "provider");

/** Which domains each domain may import (besides itself). The entry point (".") may import all. */
export const ALLOWED: Record<string, string[]> = {
    core: [],
    kubernetes: ["core"],
    aws: ["kubernetes", "core"],
    gcp: ["kubernetes", "core"],
    azure: ["kubernetes", "core"],
};

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sources(p);
        return e.name.endsWith(".ts") ? [p] : [];
    });
}

/** Relative imports that exist at run time: `import type` is erased and ignored. */
export function runtimeImports(file: string, text: string): string[] {
    const specs: string[] = [];
    const re = /(?:^|\n)\s*(import(?!\s+type\b)[^;]*?from\s*|export[^;]*?from\s*)"(\.[^"]*)"|require\("(\.[^"]*)"\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[2] ?? m[3]);
    return specs.map((s) => {
        const base = path.resolve(path.dirname(file), s);
        const hit = [`${base}.ts`, path.join(base, "index.ts")].find((c) => fs.existsSync(c));
        if (!hit) throw new Error(`${path.relative(ROOT, file)}: cannot resolve ${s}`);
        return hit;
    });
}

/** The domain of a provider file: its first folder, or "." for the entry point. */
export function domainOf(file: string): string {
    const rel = path.relative(ROOT, file).split(path.sep);
    return rel.length > 1 ? rel[0] : ".";
}

/** Every cycle's first file, found by depth-first search over the import graph. */
export function cycles(graph: Map<string, string[]>): string[][] {
    const state = new Map<string, "open" | "done">();
    const found: string[][] = [];
    const visit = (f: string, stack: string[]) => {
        state.set(f, "open");
        for (const g of graph.get(f) ?? []) {
            if (state.get(g) === "open") found.push([...stack.slice(stack.indexOf(g)), f, g]);
            else if (!state.has(g)) visit(g, [...stack, f]);
        }
        state.set(f, "done");
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f, []);
    return found;
}

describe("layout", () => {
    const files = sources(ROOT);
    const graph = new Map(files.map((f) => [f, runtimeImports(f, fs.readFileSync(f, "utf8"))]));
    const rel = (f: string) => path.relative(ROOT, f);

    it("has a known domain for every folder", () => {
        const unknown = files.map(domainOf).filter((d) => d !== "." && !(d in ALLOWED));
        assert.deepEqual([...new Set(unknown)], []);
    });

    it("imports run one way: entry point -> clouds -> kubernetes -> core", () => {
        const wrong: string[] = [];
        for (const [f, deps] of graph) {
            const from = domainOf(f);
            if (from === ".") continue;
            for (const d of deps) {
                const to = domainOf(d);
                if (to !== from && !ALLOWED[from].includes(to)) wrong.push(`${rel(f)} -> ${rel(d)}`);
            }
        }
        assert.deepEqual(wrong, []);
    });

    it("has no import cycles", () => {
        assert.deepEqual(cycles(graph).map((c) => c.map(rel).join(" -> ")), []);
    });

    it("finds a cycle and a wrong-way import when there is one", () => {
        const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", []]]);
        assert.equal(cycles(g).length, 1);
        assert.equal(domainOf(path.join(ROOT, "core", "x.ts")), "core");
        assert.ok(!ALLOWED.core.includes("kubernetes") && !ALLOWED.kubernetes.includes("aws"));
        assert.deepEqual(
            runtimeImports(path.join(ROOT, "kubernetes", "x.ts"), 'import type { A } from "./keda";\nimport { B } from "../core/types";'),
            [path.join(ROOT, "core", "types.ts")],
        );
    });
});
