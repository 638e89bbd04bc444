// Karpenter's CRDs as the vendored karpenter-crd chart ships them, and a
// check of rendered objects against their openAPIV3Schema: structure, types,
// enums, patterns, required fields, what pruning would drop, and the CEL
// rules the objects reach. A JSON Schema validator stands in for the API
// server; each CEL rule is a JS predicate keyed by the rule's exact text, so
// a rule the table does not know fails the test instead of passing silently.
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as yaml from "js-yaml";
import { chartsDir } from "./charts";

export const KARPENTER_CRD_CHART = "karpenter-crd-1.14.1";

/** A CRD of the karpenter-crd chart, its one Helm block (additionalAnnotations) left out. */
export function karpenterCrd(file: string): any {
    const text = fs.readFileSync(path.join(chartsDir(), KARPENTER_CRD_CHART, "templates", file), "utf8");
    return yaml.load(text.split("\n").filter((l) => !/\{\{-?/.test(l)).join("\n"));
}

/** The openAPIV3Schema of the CRD's only (storage) version. */
export function crdSchema(crd: any): any {
    const v = crd.spec.versions.find((x: any) => x.storage) ?? crd.spec.versions[0];
    return v.schema.openAPIV3Schema;
}

const firstSegment = (s: string) => /^([^/]+)/.exec(s)?.[1] ?? "";
const has = (o: any, k: string) => o !== null && typeof o === "object" && o[k] !== undefined;
const AWS_WELL_KNOWN = (rule: string) => JSON.parse(/\[("karpenter\.k8s\.aws\/[^\]]+)\]/.exec(rule)![0]) as string[];

/**
 * The CEL rules, transcribed. Transition rules (those reading `oldSelf`) are
 * not listed: the API server runs them on updates only.
 */
const CEL: [string | RegExp, (self: any, rule: string) => boolean][] = [
    // NodePool
    ["!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))",
        (s) => !has(s, "replicas") || !has(s, "limits") || Object.keys(s.limits).length === 0 || (Object.keys(s.limits).length === 1 && "nodes" in s.limits)],
    ["!has(self.replicas) || !has(self.weight)", (s) => !has(s, "replicas") || !has(s, "weight")],
    ["self.all(x, has(x.schedule) == has(x.duration))", (s) => s.every((x: any) => has(x, "schedule") === has(x, "duration"))],
    ["self.all(x, x in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] || !x.find(\"^([^/]+)\").endsWith(\"karpenter.sh\"))",
        (s) => Object.keys(s).every((x) => ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"].includes(x) || !firstSegment(x).endsWith("karpenter.sh"))],
    ["self.all(x, x != \"karpenter.sh/nodepool\")", (s) => Object.keys(s).every((x) => x !== "karpenter.sh/nodepool")],
    ["self.all(x, x != \"kubernetes.io/hostname\")", (s) => Object.keys(s).every((x) => x !== "kubernetes.io/hostname")],
    [/^self\.all\(x, x in \["karpenter\.k8s\.aws\/instance-tenancy".*!x\.find\("\^\(\[\^\/\]\+\)"\)\.endsWith\("karpenter\.k8s\.aws"\)\)$/,
        (s, rule) => Object.keys(s).every((x) => AWS_WELL_KNOWN(rule).includes(x) || !firstSegment(x).endsWith("karpenter.k8s.aws"))],
    ["self != ''", (s) => s !== ""],
    ["self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)", (s) => s.every((x: any) => (x.operator === "In" ? (x.values ?? []).length !== 0 : true))],
    ["self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
        (s) => s.every((x: any) => (["Gt", "Lt", "Gte", "Lte"].includes(x.operator) ? (x.values ?? []).length === 1 && /^\d+$/.test(x.values[0]) : true))],
    ["self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
        (s) => s.every((x: any) => (x.operator === "In" && has(x, "minValues") ? x.values.length >= x.minValues : true))],
    ["self in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] || !self.find(\"^([^/]+)\").endsWith(\"karpenter.sh\")",
        (s) => ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"].includes(s) || !firstSegment(s).endsWith("karpenter.sh")],
    ["self != \"karpenter.sh/nodepool\"", (s) => s !== "karpenter.sh/nodepool"],
    ["self != \"kubernetes.io/hostname\"", (s) => s !== "kubernetes.io/hostname"],
    [/^self in \["karpenter\.k8s\.aws\/instance-tenancy".*!self\.find\("\^\(\[\^\/\]\+\)"\)\.endsWith\("karpenter\.k8s\.aws"\)$/,
        (s, rule) => AWS_WELL_KNOWN(rule).includes(s) || !firstSegment(s).endsWith("karpenter.k8s.aws")],
    // EC2NodeClass
    ["(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))", (s) => has(s, "role") !== has(s, "instanceProfile")],
    [/^!has\(self\.amiFamily\) \|\| \(self\.amiSelectorTerms\.exists\(x, has\(x\.alias\) && x\.alias\.find\('\^\[\^@\]\+'\) == '([a-z0-9]+)'\) \? \(self\.amiFamily == 'Custom' \|\| self\.amiFamily == '([A-Za-z0-9]+)'\) : true\)$/,
        (s, rule) => {
            const [, alias, family] = /== '([a-z0-9]+)'\) \? \(self\.amiFamily == 'Custom' \|\| self\.amiFamily == '([A-Za-z0-9]+)'/.exec(rule)!;
            return !has(s, "amiFamily") || (s.amiSelectorTerms.some((x: any) => has(x, "alias") && x.alias.split("@")[0] === alias) ? ["Custom", family].includes(s.amiFamily) : true);
        }],
    ["self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)", (s) => s.amiSelectorTerms.some((x: any) => has(x, "alias")) || has(s, "amiFamily")],
    ["self.all(x, has(x.tags) || has(x.id) || has(x.name) || has(x.alias) || has(x.ssmParameter))",
        (s) => s.every((x: any) => ["tags", "id", "name", "alias", "ssmParameter"].some((k) => has(x, k)))],
    ["!self.exists(x, has(x.id) && (has(x.alias) || has(x.tags) || has(x.name) || has(x.owner)))",
        (s) => !s.some((x: any) => has(x, "id") && ["alias", "tags", "name", "owner"].some((k) => has(x, k)))],
    ["!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags) || has(x.name) || has(x.owner)))",
        (s) => !s.some((x: any) => has(x, "alias") && ["id", "tags", "name", "owner"].some((k) => has(x, k)))],
    ["!(self.exists(x, has(x.alias)) && self.size() != 1)", (s) => !(s.some((x: any) => has(x, "alias")) && s.length !== 1)],
    ["self.matches('^[a-zA-Z0-9]+@.+$')", (s) => /^[a-zA-Z0-9]+@.+$/.test(s)],
    ["self.split('@')[0] in ['al2','al2023','bottlerocket','windows2019','windows2022','windows2025']",
        (s) => ["al2", "al2023", "bottlerocket", "windows2019", "windows2022", "windows2025"].includes(s.split("@")[0])],
    ["self.split('@')[0] in ['windows2019','windows2022','windows2025'] ? self.split('@')[1] == 'latest' : true",
        (s) => (["windows2019", "windows2022", "windows2025"].includes(s.split("@")[0]) ? s.split("@")[1] === "latest" : true)],
    ["self.all(k, k != '' && self[k] != '')", (s) => Object.entries(s).every(([k, v]) => k !== "" && v !== "")],
    ["self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1", (s) => s.filter((x: any) => x.rootVolume === true).length <= 1],
    ["has(self.snapshotID) || has(self.volumeSize)", (s) => has(s, "snapshotID") || has(s, "volumeSize")],
    ["!has(self.volumeInitializationRate) || (has(self.snapshotID) && self.snapshotID != '')", (s) => !has(s, "volumeInitializationRate") || (has(s, "snapshotID") && s.snapshotID !== "")],
    ["self.size() != 0", (s) => s.length !== 0],
    ["self.all(x, has(x.tags) || has(x.id) || has(x.name))", (s) => s.every((x: any) => ["tags", "id", "name"].some((k) => has(x, k)))],
    ["!self.all(x, has(x.id) && (has(x.tags) || has(x.name)))", (s) => !s.every((x: any) => has(x, "id") && (has(x, "tags") || has(x, "name")))],
    ["!self.all(x, has(x.name) && (has(x.tags) || has(x.id)))", (s) => !s.every((x: any) => has(x, "name") && (has(x, "tags") || has(x, "id")))],
    ["self.all(x, has(x.tags) || has(x.id))", (s) => s.every((x: any) => has(x, "tags") || has(x, "id"))],
    ["!self.all(x, has(x.id) && has(x.tags))", (s) => !s.every((x: any) => has(x, "id") && has(x, "tags"))],
    ["self.all(k, k != '')", (s) => Object.keys(s).every((k) => k !== "")],
    ["self.all(k, k !='eks:eks-cluster-name')", (s) => Object.keys(s).every((k) => k !== "eks:eks-cluster-name")],
    ["self.all(k, !k.startsWith('kubernetes.io/cluster') )", (s) => Object.keys(s).every((k) => !k.startsWith("kubernetes.io/cluster"))],
    ["self.all(k, k != 'karpenter.sh/nodepool')", (s) => Object.keys(s).every((k) => k !== "karpenter.sh/nodepool")],
    ["self.all(k, k !='karpenter.sh/nodeclaim')", (s) => Object.keys(s).every((k) => k !== "karpenter.sh/nodeclaim")],
    ["self.all(k, k !='karpenter.k8s.aws/ec2nodeclass')", (s) => Object.keys(s).every((k) => k !== "karpenter.k8s.aws/ec2nodeclass")],
];

function celPredicate(rule: string): ((self: any) => boolean) | undefined {
    if (/\boldSelf\b/.test(rule)) return () => true;
    for (const [key, fn] of CEL) {
        if (typeof key === "string" ? key === rule : key.test(rule)) return (self) => fn(self, rule);
    }
    return undefined;
}

/**
 * What the API server's structural pruning would drop from `value`: fields the
 * schema does not name, where it neither has additionalProperties nor
 * x-kubernetes-preserve-unknown-fields.
 */
export function pruned(value: any, schema: any, at = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => pruned(v, schema?.items, `${at}[${i}]`));
    if (!value || typeof value !== "object" || !schema) return [];
    if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
    return Object.entries(value).flatMap(([k, v]) => {
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        return sub ? pruned(v, sub, `${at}.${k}`) : [`${at}.${k}`];
    });
}

export interface SchemaCheck { errors: string[]; pruned: string[] }

let unknownRules: string[] = [];
const compiled = new WeakMap<object, any>();

function validatorFor(crd: any): any {
    let v = compiled.get(crd);
    if (v) return v;
    const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: false });
    for (const f of ["int32", "int64", "date-time"]) ajv.addFormat(f, true);
    ajv.addKeyword({
        keyword: "x-kubernetes-validations",
        errors: true,
        validate: function cel(rules: { rule: string; message?: string }[], data: any) {
            const failed = rules.filter((r) => {
                const fn = celPredicate(r.rule);
                if (!fn) { unknownRules.push(r.rule); return false; }
                return !fn(data);
            });
            (cel as any).errors = failed.map((r) => ({ keyword: "x-kubernetes-validations", message: r.message ?? r.rule, params: { rule: r.rule } }));
            return failed.length === 0;
        },
    });
    // int-or-string fields (limits) carry x-kubernetes-int-or-string and no type.
    v = ajv.compile(crdSchema(crd));
    compiled.set(crd, v);
    return v;
}

/** Checks an object (apiVersion, kind, metadata, spec) against a CRD's schema; the CEL rules it reaches must all be in the table above. */
export function checkAgainstCrd(crd: any, obj: any): SchemaCheck {
    unknownRules = [];
    const validate = validatorFor(crd);
    const ok = validate(obj);
    const errors: string[] = ok ? [] : (validate.errors ?? []).map((e: any) => `${e.instancePath || "/"} ${e.message}`);
    for (const r of unknownRules) errors.push(`CEL rule without a JS predicate in tests/unit/karpenterCrds.ts: ${r}`);
    return { errors, pruned: pruned({ spec: obj.spec }, crdSchema(crd)) };
}
