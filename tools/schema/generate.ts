// `make schema`: derives schema.json from the TypeScript args/outputs of the
// components (Pulumi's Analyzer, at build time only), then adds what types
// cannot say: package metadata, language sections, defaults, secrets.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { COMPONENTS as REGISTRY } from "../../provider/registry";

const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

export const PACKAGE = {
    name: "volley",
    displayName: "Volley",
    nodePackage: "@volley-io/pulumi-volley",
    pythonPackage: "pulumi_volley",
    goImportBase: "github.com/volley-io/pulumi-volley/sdk/go/volley",
    repository: "https://github.com/volley-io/pulumi-volley",
};

/** Class names of every component the plugin serves (its token table is the source). */
const COMPONENTS = Object.keys(REGISTRY).map((token) => token.split(":")[2]);

/** Properties whose values are credentials. */
const SECRET_PROPERTIES = new Set(["kubeconfig"]);
/** TypeScript has only `number`; these are whole numbers in the API (ports, counts, seconds). */
const INTEGER_PROPERTIES = new Set([
    "replicas", "metricsPort", "port", "initialDelaySeconds", "periodSeconds", "minReplicas", "maxReplicas",
    "maxKeyGroups", "flightPort", "tolerationSeconds", "awaitTimeoutSeconds",
    // Kafka
    "brokers", "controllers", "partitions", "defaultReplicationFactor", "minInsyncReplicas", "defaultPartitions",
    // AWS
    "minSize", "desiredSize", "maxSize", "diskSize", "uid", "gid", "provisionedThroughputMibps",
    // GCP
    "capacityGib", "diskSizeGb", "minNodes", "maxNodes",
    // Azure
    "count", "minCount", "maxCount", "osDiskSizeGb", "maxPods", "quotaGib",
]);
const DEFAULT_RE = /Defaults to `([^`]+)`\.?\s*$/;

function defaultFrom(prop: any): unknown {
    const m = DEFAULT_RE.exec(prop.description ?? "");
    if (!m) return undefined;
    if (prop.type === "string") return m[1];
    if (prop.type === "integer" || prop.type === "number" || prop.type === "boolean") {
        try { return JSON.parse(m[1]); } catch { return undefined; }
    }
    return undefined;
}

/** JSDoc text of a node, if any. */
function jsDoc(node: ts.Node): string | undefined {
    const docs = (node as any).jsDoc as ts.JSDoc[] | undefined;
    const c = docs?.[docs.length - 1]?.comment;
    return typeof c === "string" ? c.trim() : undefined;
}

/**
 * Descriptions the Analyzer leaves out: of named types (interfaces) and of
 * enums and their members (`as const` objects), read from the sources' JSDoc.
 */
function typeDocs(): { types: Map<string, string>; members: Map<string, string> } {
    const types = new Map<string, string>();
    const members = new Map<string, string>();
    const files = ts.sys.readDirectory(path.join(root, "provider"), [".ts"]);
    for (const file of files) {
        const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        sf.forEachChild((node) => {
            if (ts.isInterfaceDeclaration(node)) {
                const d = jsDoc(node);
                if (d) types.set(node.name.text, d);
            } else if (ts.isVariableStatement(node)) {
                const decl = node.declarationList.declarations[0];
                let init = decl?.initializer;
                if (init && ts.isAsExpression(init)) init = init.expression;
                if (!decl || !ts.isIdentifier(decl.name) || !init || !ts.isObjectLiteralExpression(init)) return;
                const d = jsDoc(node);
                if (d) types.set(decl.name.text, d);
                for (const prop of init.properties) {
                    const md = jsDoc(prop);
                    if (md && prop.name && ts.isIdentifier(prop.name)) members.set(`${decl.name.text}.${prop.name.text}`, md);
                }
            }
        });
    }
    return { types, members };
}

/** Sorts object keys recursively so the committed file diffs cleanly. */
function sortKeys(v: any): any {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
    }
    return v;
}

export function buildSchema(): any {
    const analyzer = new Analyzer(root, PACKAGE.name, { ...pkg, name: PACKAGE.name, main: "provider/components.ts" }, new Set(COMPONENTS));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    if (dependencies.length) throw new Error(`schema must not reference other packages: ${JSON.stringify(dependencies)}`);
    const schema: any = generateSchema(PACKAGE.name, pkg.version, "", components, typeDefinitions, dependencies);

    schema.displayName = PACKAGE.displayName;
    schema.description = "Run Volley, the Kubernetes-native stream processor, on EKS, GKE or any Kubernetes: cluster, node pools, shared checkpoints, KEDA, Prometheus, the Volley operator and applications in one program.";
    schema.keywords = ["pulumi", "volley", "kubernetes", "stream-processing", "category/infrastructure", "kind/component"];
    schema.homepage = PACKAGE.repository;
    schema.repository = PACKAGE.repository;
    schema.license = "Apache-2.0";
    schema.publisher = "Volley";
    schema.language = {
        nodejs: {
            packageName: PACKAGE.nodePackage,
            packageDescription: "Pulumi components for Volley environments and applications.",
            dependencies: { "@pulumi/pulumi": "^3.142.0" },
            respectSchemaVersion: true,
        },
        python: {
            packageName: PACKAGE.pythonPackage,
            requires: { "pulumi": ">=3.142.0,<4.0.0" },
            pyproject: { enabled: true },
            respectSchemaVersion: true,
        },
        go: {
            importBasePath: PACKAGE.goImportBase,
            generateResourceContainerTypes: true,
            respectSchemaVersion: true,
        },
    };

    // The Analyzer marks optional members with a non-schema `optional` flag
    // (requiredness is already in `required`/`requiredInputs`).
    const fix = (props: Record<string, any> | undefined) => {
        for (const [name, prop] of Object.entries<any>(props ?? {})) {
            delete prop.optional;
            if (INTEGER_PROPERTIES.has(name) && prop.type === "number") prop.type = "integer";
            if (prop.items?.type === "number" && INTEGER_PROPERTIES.has(name)) prop.items.type = "integer";
        }
    };
    for (const res of Object.values<any>(schema.resources)) { fix(res.inputProperties); fix(res.properties); }
    for (const t of Object.values<any>(schema.types)) fix(t.properties);

    for (const res of Object.values<any>(schema.resources)) {
        for (const [name, prop] of Object.entries<any>(res.inputProperties ?? {})) {
            const d = defaultFrom(prop);
            if (d !== undefined) prop.default = d;
            if (SECRET_PROPERTIES.has(name)) prop.secret = true;
        }
        for (const [name, prop] of Object.entries<any>(res.properties ?? {})) {
            if (SECRET_PROPERTIES.has(name)) prop.secret = true;
        }
    }
    const docs = typeDocs();
    for (const [token, t] of Object.entries<any>(schema.types)) {
        const name = token.split(":")[2];
        if (!t.description && docs.types.has(name)) t.description = docs.types.get(name);
        for (const e of t.enum ?? []) {
            const d = docs.members.get(`${name}.${e.name}`);
            if (!e.description && d) e.description = d;
        }
        for (const [prop, spec] of Object.entries<any>(t.properties ?? {})) {
            if (SECRET_PROPERTIES.has(prop)) spec.secret = true;
        }
    }
    // Pulumi's own marshalling of a package (what `pulumi package get-schema`
    // prints) has no empty required lists or dependencies, and always a config.
    if (!schema.dependencies?.length) delete schema.dependencies;
    schema.config = schema.config ?? {};
    for (const node of [...Object.values<any>(schema.resources), ...Object.values<any>(schema.types)]) {
        for (const key of ["required", "requiredInputs"]) if (Array.isArray(node[key]) && node[key].length === 0) delete node[key];
    }
    return sortKeys(schema);
}

if (require.main === module) {
    const out = path.join(root, "schema.json");
    fs.writeFileSync(out, JSON.stringify(buildSchema(), null, 2) + "\n");
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
