// schema.json is the public contract every SDK is generated from.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { COMPONENTS } from "../../provider/registry";

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "schema.json"), "utf8"));
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8"));

describe("schema.json", () => {
    it("names the package and every SDK as published", () => {
        assert.strictEqual(schema.name, "volley");
        assert.strictEqual(schema.version, pkg.version);
        assert.strictEqual(schema.language.nodejs.packageName, "@volley-io/pulumi-volley");
        assert.strictEqual(schema.language.python.packageName, "pulumi_volley");
        assert.strictEqual(schema.language.go.importBasePath, "github.com/volley-io/pulumi-volley/sdk/go/volley");
        assert.strictEqual(schema.license, "Apache-2.0");
    });

    it("has exactly the components the plugin constructs, all as components", () => {
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), Object.keys(COMPONENTS).sort());
        for (const res of Object.values<any>(schema.resources)) assert.strictEqual(res.isComponent, true);
    });

    it("documents every component, input, output and type property", () => {
        const missing: string[] = [];
        for (const [token, res] of Object.entries<any>(schema.resources)) {
            if (!res.description) missing.push(token);
            for (const [k, p] of Object.entries<any>({ ...res.inputProperties, ...res.properties })) if (!p.description) missing.push(`${token}.${k}`);
        }
        for (const [token, t] of Object.entries<any>(schema.types)) {
            if (!t.description) missing.push(token);
            for (const [k, p] of Object.entries<any>(t.properties ?? {})) if (!p.description) missing.push(`${token}.${k}`);
            for (const e of t.enum ?? []) if (!e.description) missing.push(`${token}.${e.name}`);
        }
        assert.deepStrictEqual(missing, []);
    });

    it("marks every kubeconfig secret", () => {
        const props = [
            ...Object.values<any>(schema.resources).flatMap((r) => Object.entries<any>({ ...r.inputProperties, ...r.properties })),
            ...Object.values<any>(schema.types).flatMap((t) => Object.entries<any>(t.properties ?? {})),
        ].filter(([k]) => k === "kubeconfig");
        assert.ok(props.length >= 3);
        for (const [, p] of props) assert.strictEqual(p.secret, true);
    });

    it("references no other package (no plugin needed to read it)", () => {
        assert.ok(!JSON.stringify(schema).match(/"\$ref":\s*"\/(?!\/)/), "cross-package $ref found");
        assert.deepStrictEqual(schema.dependencies ?? [], []);
    });

    it("uses integers for counts and ports", () => {
        const app = schema.resources["volley:index:Application"].inputProperties;
        assert.strictEqual(app.replicas.type, "integer");
        assert.strictEqual(schema.types["volley:index:HealthSpec"].properties.port.type, "integer");
        assert.strictEqual(schema.types["volley:index:ClusterSpec"].properties.maxKeyGroups.type, "integer");
    });
});
