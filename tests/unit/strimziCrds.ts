// The vendored Strimzi chart's CRDs as validators: what the package renders
// must be accepted by the schema the API server would apply (Strimzi 1.2.0,
// kafka.strimzi.io/v1), and must carry no field the API server would prune.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import Ajv from "ajv";
import { chartsDir } from "./charts";

export const STRIMZI_CHART_DIR = () => path.join(chartsDir(), "strimzi-kafka-operator-1.2.0");

const FILES: Record<string, string> = {
    Kafka: "040-Crd-kafka.yaml",
    KafkaTopic: "043-Crd-kafkatopic.yaml",
    KafkaUser: "044-Crd-kafkauser.yaml",
    KafkaNodePool: "045-Crd-kafkanodepool.yaml",
};

/** JavaScript for the CEL rules of these CRDs (each read from the CRD text; a new rule fails the test until it is added here). */
const CEL: Record<string, (self: any) => boolean> = {
    "(has(self.type) && self.type != \"topology-label\") || self.topologyKey != \"\"": (s) => (s.type !== undefined && s.type !== "topology-label") || (s.topologyKey ?? "") !== "",
    "has(self.type) == false || self.type != \"environment-variable\" || self.envVarName != \"\"": (s) => s.type !== "environment-variable" || (s.envVarName ?? "") !== "",
    "self.type != 'jmxPrometheusExporter' || has(self.valueFrom)": (s) => s.type !== "jmxPrometheusExporter" || s.valueFrom !== undefined,
    "self.type != 'strimziMetricsReporter'": (s) => s.type !== "strimziMetricsReporter",
    "self.type == 'tls' || (!has(self.validityDays) && !has(self.renewalDays))": (s) => s.type === "tls" || (s.validityDays === undefined && s.renewalDays === undefined),
    "self.type != 'tls' || (has(self.renewalDays) == has(self.validityDays))": (s) => s.type !== "tls" || (s.renewalDays === undefined) === (s.validityDays === undefined),
    "self.type != 'tls' || !has(self.renewalDays) || !has(self.validityDays) || self.renewalDays < self.validityDays": (s) => s.type !== "tls" || s.renewalDays === undefined || s.validityDays === undefined || s.renewalDays < s.validityDays,
};

export function strimziCrd(kind: string): any {
    return yaml.load(fs.readFileSync(path.join(STRIMZI_CHART_DIR(), "crds", FILES[kind]), "utf8"));
}

/** Paths of fields the API server would drop (not in the structural schema, no preserve-unknown-fields). */
function pruned(value: any, schema: any, at: string): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => pruned(v, schema?.items, `${at}[${i}]`));
    if (!value || typeof value !== "object" || !schema) return [];
    if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
    return Object.entries(value).flatMap(([k, v]) => {
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        return sub ? pruned(v, sub, `${at}.${k}`) : [`${at}.${k}`];
    });
}

const validators = new Map<string, (o: any) => string[]>();

/** Errors of `obj` (a whole custom resource) against its vendored CRD: schema violations and pruned fields. */
export function strimziErrors(obj: any): string[] {
    const kind = obj.kind;
    if (!validators.has(kind)) {
        const crd = strimziCrd(kind);
        const version = crd.spec.versions.find((v: any) => v.served && v.storage);
        if (`${crd.spec.group}/${version.name}` !== obj.apiVersion) throw new Error(`${kind}: CRD serves ${crd.spec.group}/${version.name}, object is ${obj.apiVersion}`);
        const ajv = new Ajv({ strict: false, allErrors: true });
        ajv.addFormat("int64", true);
        ajv.addFormat("date-time", true);
        ajv.addKeyword({
            keyword: "x-kubernetes-validations",
            validate: (rules: { rule: string }[], data: any) => rules.every((r) => {
                const fn = CEL[r.rule];
                if (!fn) throw new Error(`no JS predicate for CEL rule ${r.rule}`);
                return fn(data);
            }),
        });
        const schema = version.schema.openAPIV3Schema;
        const validate = ajv.compile(schema);
        validators.set(kind, (o: any) => {
            const { metadata, ...rest } = o;
            const errs = validate(rest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
            return [...errs, ...pruned(rest, schema, "").map((p) => `${p} is not in the schema (pruned)`)];
        });
    }
    return validators.get(kind)!(obj);
}
