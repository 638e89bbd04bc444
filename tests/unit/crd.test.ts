// The generated CRD against the contract: the seed's example manifests must
// validate, broken variants must not. A JSON Schema validator stands in for
// the API server here (tests/apiserver checks the real one).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as yaml from "js-yaml";
import { renderCrd } from "../../provider/kubernetes/render/crd";

const root = path.resolve(__dirname, "..", "..");
const seedDir = path.join(root, "tests", "fixtures", "seed");
const crd: any = yaml.load(fs.readFileSync(path.join(root, "crds", "volley.io_volleyapplications.yaml"), "utf8"));
const version = crd.spec.versions[0];

/**
 * The CEL rules the CRD carries, as JS predicates. A rule missing here fails
 * the test, so no rule is silently left unchecked.
 */
const CEL: Record<string, (self: any) => boolean> = {
    "self.minReplicas <= self.maxReplicas": (s) => s.minReplicas <= s.maxReplicas,
    "!has(self.valueFrom) || !has(self.value) || size(self.value) == 0": (s) => !("valueFrom" in s) || !("value" in s) || s.value === "",
    "!has(self.metricType) || self.metricType != 'Utilization' || self.type in ['cpu', 'memory']":
        (s) => !("metricType" in s) || s.metricType !== "Utilization" || ["cpu", "memory"].includes(s.type),
};

/**
 * What the API server's structural pruning would drop from `value`: fields the
 * schema does not name, where it neither has additionalProperties nor
 * x-kubernetes-preserve-unknown-fields.
 */
function pruned(value: any, schema: any, at: string): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => pruned(v, schema?.items, `${at}[${i}]`));
    if (!value || typeof value !== "object" || !schema) return [];
    if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
    return Object.entries(value).flatMap(([k, v]) => {
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        return sub ? pruned(v, sub, `${at}.${k}`) : [`${at}.${k}`];
    });
}

function validator() {
    // useDefaults: the API server applies defaults before it runs CEL rules.
    const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
    // Formats the API server knows; their syntax is not what these tests are about.
    ajv.addFormat("int64", true);
    ajv.addFormat("date-time", true);
    ajv.addKeyword({
        keyword: "x-kubernetes-validations",
        validate: function celRules(rules: { rule: string }[], data: any) {
            return rules.every((r) => {
                const fn = CEL[r.rule];
                if (!fn) throw new Error(`no JS predicate for CEL rule ${r.rule}`);
                return fn(data);
            });
        },
    });
    return ajv.compile(version.schema.openAPIV3Schema);
}

function load(file: string): any {
    return yaml.load(fs.readFileSync(path.join(seedDir, file), "utf8"));
}

describe("VolleyApplication CRD", () => {
    it("is the one renderCrd makes from schema.json", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8"));
        assert.deepStrictEqual(crd, renderCrd(schema));
    });

    it("has the names, scope, status subresource and printer columns of the contract", () => {
        assert.strictEqual(crd.metadata.name, "volleyapplications.volley.io");
        assert.strictEqual(crd.spec.group, "volley.io");
        assert.strictEqual(crd.spec.scope, "Namespaced");
        assert.deepStrictEqual(crd.spec.names.shortNames, ["vapp"]);
        assert.strictEqual(crd.spec.names.kind, "VolleyApplication");
        assert.strictEqual(version.name, "v1alpha1");
        assert.ok(version.served && version.storage);
        assert.deepStrictEqual(version.subresources, { status: {} });
        assert.deepStrictEqual(version.additionalPrinterColumns.map((c: any) => c.name), ["Phase", "Replicas", "Ready", "Age"]);
        const status = version.schema.openAPIV3Schema.properties.status.properties;
        assert.deepStrictEqual(status.phase.enum, ["Pending", "Running", "Degraded", "Failed"]);
        for (const k of ["replicas", "readyReplicas", "message", "conditions", "observedGeneration"]) assert.ok(status[k], k);
    });

    it("covers every field of the seed's Full Spec Reference", () => {
        const spec = version.schema.openAPIV3Schema.properties.spec;
        const missing: string[] = [];
        const walk = (value: any, schema: any, at: string) => {
            if (!schema) { missing.push(at); return; }
            if (Array.isArray(value)) value.forEach((v, i) => walk(v, schema.items, `${at}[${i}]`));
            else if (value && typeof value === "object" && schema.properties) {
                for (const [k, v] of Object.entries(value)) walk(v, schema.properties[k], `${at}.${k}`);
            }
        };
        walk(load("full-spec.yaml").spec, spec, "spec");
        assert.deepStrictEqual(missing, []);
    });

    it("carries the seed's defaults", () => {
        const p = version.schema.openAPIV3Schema.properties.spec.properties;
        assert.strictEqual(p.imagePullPolicy.default, "IfNotPresent");
        assert.strictEqual(p.replicas.default, 1);
        assert.strictEqual(p.observability.properties.metricsPort.default, 9090);
        assert.strictEqual(p.observability.properties.serviceMonitor.properties.interval.default, "15s");
        assert.strictEqual(p.health.properties.readinessPath.default, "/ready");
        assert.strictEqual(p.isolation.properties.podAntiAffinity.default, true);
        assert.strictEqual(p.autoscaling.properties.enabled.default, false);
        assert.strictEqual(p.cluster.properties.maxKeyGroups.default, 256);
        assert.strictEqual(p.cluster.properties.flightPort.default, 50051);
        assert.strictEqual(p.cluster.properties.sharedCheckpoints.properties.mountPath.default, "/mnt/volley/checkpoints");
        assert.strictEqual(p.state.properties.mountPath.default, "/var/lib/volley/state");
        assert.strictEqual(p.checkpoints.properties.mountPath.default, "/var/lib/volley/checkpoints");
        assert.deepStrictEqual(version.schema.openAPIV3Schema.properties.spec.required, ["image", "resources"]);
    });

    const files = fs.readdirSync(seedDir).filter((f) => f.endsWith(".yaml")).sort();
    it("has seed fixtures, good and broken", () => {
        assert.ok(files.includes("my-pipeline.yaml") && files.includes("full-spec.yaml"));
        assert.ok(files.filter((f) => f.startsWith("broken-")).length >= 5);
    });
    for (const file of files) {
        const broken = file.startsWith("broken-");
        it(`${broken ? "rejects" : "accepts"} ${file}`, () => {
            const validate = validator();
            const ok = validate(load(file));
            assert.strictEqual(ok, !broken, JSON.stringify(validate.errors));
        });
    }

    for (const file of files.filter((f) => !f.startsWith("broken-"))) {
        it(`keeps every field of ${file} (nothing pruned)`, () => {
            const obj = load(file);
            const schema = version.schema.openAPIV3Schema;
            assert.deepStrictEqual(pruned({ spec: obj.spec }, schema, ""), []);
        });
    }

    it("keeps status fields it does not list (written by the operator)", () => {
        const status = { phase: "Running", replicas: 3, readyReplicas: 3, lastCheckpoint: { id: 42, at: "2026-01-01T00:00:00Z" } };
        assert.deepStrictEqual(pruned({ status }, version.schema.openAPIV3Schema, ""), []);
    });

    it("accepts what Kubernetes accepts in the mirrored fields, rejects what it rejects", () => {
        const validate = validator();
        const base = load("my-pipeline.yaml");
        const withSpec = (patch: any) => ({ ...base, spec: { ...base.spec, ...patch } });
        const scaled = (trigger: any) => withSpec({ autoscaling: { minReplicas: 1, maxReplicas: 10, triggers: [trigger] } });
        const table: [string, any, boolean][] = [
            ["limits only", withSpec({ resources: { limits: { cpu: "500m", memory: "128Mi" } } }), true],
            ["requests only", withSpec({ resources: { requests: { cpu: "500m" } } }), true],
            ["neither requests nor limits", withSpec({ resources: {} }), false],
            ["env with only a name", withSpec({ env: [{ name: "EMPTY" }] }), true],
            ["env with an empty value and valueFrom", withSpec({ env: [{ name: "A", value: "", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }), true],
            ["env with a value and valueFrom", withSpec({ env: [{ name: "A", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }), false],
            ["valueFrom with no source", withSpec({ env: [{ name: "A", valueFrom: {} }] }), false],
            ["resourceFieldRef limits.memory with divisor 1Mi", withSpec({ env: [{ name: "M", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } }] }), true],
            ["resourceFieldRef of an unknown resource", withSpec({ env: [{ name: "M", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } }] }), false],
            ["cpu trigger with metricType Utilization", scaled({ type: "cpu", metricType: "Utilization", metadata: { value: "60" } }), true],
            ["prometheus trigger with metricType Utilization", scaled({ type: "prometheus", metricType: "Utilization", metadata: {} }), false],
            ["unknown metricType", scaled({ type: "cpu", metricType: "Percent", metadata: { value: "60" } }), false],
            ["authenticationRef without name", scaled({ type: "kafka", authenticationRef: { kind: "TriggerAuthentication" } }), false],
        ];
        for (const [title, obj, ok] of table) assert.strictEqual(validate(obj), ok, `${title}: ${JSON.stringify(validate.errors)}`);
    });

    it("rejects a quantity with a space and an unknown trigger type", () => {
        const validate = validator();
        const good = load("my-pipeline.yaml");
        const badQty = JSON.parse(JSON.stringify(good));
        badQty.spec.resources.requests.memory = "4 GB";
        assert.strictEqual(validate(badQty), false);
        const badTrigger = JSON.parse(JSON.stringify(good));
        badTrigger.spec.autoscaling = { enabled: true, triggers: [{ type: "sqs" }] };
        assert.strictEqual(validate(badTrigger), false);
    });
});
