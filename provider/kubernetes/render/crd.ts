// schema.json (derived from the TypeScript types) -> the VolleyApplication CRD.
// The Application component's inputs mirror the CR spec, so the CRD's
// openAPIV3Schema is that input schema minus the Pulumi-only inputs, plus the
// defaults and constraints of the Volley operator guide, which TypeScript
// types cannot express. Used by `make crds`; pure, so tests can call it.
import { APPLICATION_TOKEN, CRD_GROUP, CRD_KIND, CRD_NAME, CRD_PLURAL, CRD_VERSION, NON_SPEC_KEYS } from "./volley";

const PORT = { minimum: 1, maximum: 65535 };
const QUANTITY_PATTERN = "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$";
const POWERS_OF_TWO = Array.from({ length: 16 }, (_, i) => 2 ** i);
/** EnvVarSource's fields (Kubernetes core/v1), of which exactly one is set. */
export const ENV_SOURCES = ["configMapKeyRef", "fieldRef", "resourceFieldRef", "secretKeyRef"] as const;
// size() rather than == '': constant cost in the API server's CEL budget (value has no maxLength).
export const ENV_VALUE_RULE = "!has(self.valueFrom) || !has(self.value) || size(self.value) == 0";
export const TRIGGER_UTILIZATION_RULE = "!has(self.metricType) || self.metricType != 'Utilization' || self.type in ['cpu', 'memory']";
/** Resources a resourceFieldRef may read (Kubernetes core/v1 validation: cpu, memory, ephemeral-storage, hugepages-*). */
export const RESOURCE_FIELD_PATTERN = "^(limits|requests)\\.(cpu|memory|ephemeral-storage|hugepages-.+)$";

/** Defaults and constraints from the operator guide, by path inside `spec`. */
export const SPEC_CONSTRAINTS: Record<string, Record<string, unknown>> = {
    "": { required: ["image", "resources"] },
    "image": { minLength: 1 },
    "imagePullPolicy": { default: "IfNotPresent" },
    "imagePullSecrets[]": { required: ["name"] },
    // As in a Kubernetes container: requests, limits or both (requests default to limits).
    "resources": { minProperties: 1 },
    "replicas": { default: 1, minimum: 1 },
    // Kubernetes' EnvVar rules (core/v1 validation): `value`, `valueFrom` or neither;
    // a non-empty value excludes valueFrom, and valueFrom names exactly one source.
    "env[]": {
        required: ["name"],
        "x-kubernetes-validations": [{ rule: ENV_VALUE_RULE, message: "value must be empty when valueFrom is set" }],
    },
    "env[].valueFrom": {
        oneOf: ENV_SOURCES.map((s) => ({ required: [s] })),
    },
    "env[].valueFrom.resourceFieldRef.resource": { pattern: RESOURCE_FIELD_PATTERN },
    "state.mountPath": { default: "/var/lib/volley/state" },
    "checkpoints.mountPath": { default: "/var/lib/volley/checkpoints" },
    "observability.metricsPort": { default: 9090, ...PORT },
    "observability.metricsPath": { default: "/metrics" },
    "observability.serviceMonitor.enabled": { default: true },
    "observability.serviceMonitor.interval": { default: "15s" },
    "health.port": { default: 8080, ...PORT },
    "health.livenessPath": { default: "/health" },
    "health.readinessPath": { default: "/ready" },
    "health.initialDelaySeconds": { default: 30, minimum: 0 },
    "health.periodSeconds": { default: 10, minimum: 1 },
    "isolation.podAntiAffinity": { default: true },
    "isolation.tolerations[].operator": { enum: ["Equal", "Exists"] },
    "isolation.tolerations[].effect": { enum: ["", "NoSchedule", "PreferNoSchedule", "NoExecute"] },
    "autoscaling": {
        "x-kubernetes-validations": [{ rule: "self.minReplicas <= self.maxReplicas", message: "minReplicas must be <= maxReplicas" }],
    },
    "autoscaling.enabled": { default: false },
    "autoscaling.minReplicas": { default: 1, minimum: 1 },
    "autoscaling.maxReplicas": { default: 10, minimum: 1 },
    "autoscaling.triggers[]": {
        required: ["type"],
        // Utilization is a Resource-metric target (autoscaling/v2 MetricTarget): KEDA's cpu and memory only.
        "x-kubernetes-validations": [{ rule: TRIGGER_UTILIZATION_RULE, message: "metricType Utilization is for cpu and memory triggers only" }],
    },
    "autoscaling.triggers[].type": { enum: ["kafka", "prometheus", "cpu", "memory"] },
    "autoscaling.triggers[].authenticationRef.kind": { enum: ["TriggerAuthentication", "ClusterTriggerAuthentication"] },
    "cluster.maxKeyGroups": { default: 256, enum: POWERS_OF_TWO },
    "cluster.flightPort": { default: 50051, ...PORT },
    "cluster.sharedCheckpoints.mountPath": { default: "/mnt/volley/checkpoints" },
};

/** Maps whose values are Kubernetes quantities (int or string in the API). */
const QUANTITY_MAPS = new Set(["resources.requests", "resources.limits"]);
/** Single fields that are Kubernetes quantities. */
const QUANTITY_FIELDS = new Set(["env[].valueFrom.resourceFieldRef.divisor"]);
const QUANTITY = { anyOf: [{ type: "integer" }, { type: "string" }], pattern: QUANTITY_PATTERN, "x-kubernetes-int-or-string": true };

type SchemaProp = { type?: string; $ref?: string; items?: SchemaProp; additionalProperties?: SchemaProp; description?: string };

function convert(prop: SchemaProp, at: string, types: Record<string, any>): any {
    let out: any;
    if (prop.$ref) {
        const t = types[prop.$ref.replace("#/types/", "")];
        if (!t) throw new Error(`crd: unknown type ${prop.$ref} at ${at || "spec"}`);
        if (t.enum) {
            out = { type: t.type, enum: t.enum.map((e: any) => e.value) };
        } else {
            out = { type: "object", properties: convertProps(t.properties ?? {}, at, types) };
            if (t.required?.length) out.required = [...t.required];
        }
    } else if (prop.type === "array") {
        out = { type: "array", items: convert(prop.items!, `${at}[]`, types) };
    } else if (prop.type === "object" && prop.additionalProperties) {
        out = QUANTITY_MAPS.has(at)
            ? { type: "object", additionalProperties: { ...QUANTITY } }
            : { type: "object", additionalProperties: convert(prop.additionalProperties, `${at}{}`, types) };
    } else if (QUANTITY_FIELDS.has(at)) {
        out = { ...QUANTITY };
    } else {
        out = { type: prop.type };
    }
    if (prop.description) out.description = prop.description;
    const extra = SPEC_CONSTRAINTS[at];
    if (extra) {
        for (const [k, v] of Object.entries(extra)) {
            // `required` merges with what the types already require.
            out[k] = k === "required" ? [...new Set([...(out.required ?? []), ...(v as string[])])] : v;
        }
    }
    return out;
}

function convertProps(props: Record<string, SchemaProp>, at: string, types: Record<string, any>): Record<string, any> {
    const out: Record<string, any> = {};
    for (const key of Object.keys(props).sort()) {
        out[key] = convert(props[key], at ? `${at}.${key}` : key, types);
    }
    return out;
}

const STATUS_SCHEMA = {
    type: "object",
    description: "Observed state, written by the Volley operator.",
    // The operator's own status fields beyond these are kept, not pruned.
    "x-kubernetes-preserve-unknown-fields": true,
    properties: {
        phase: { type: "string", enum: ["Pending", "Running", "Degraded", "Failed"], description: "Lifecycle phase of the application." },
        replicas: { type: "integer", description: "Worker pods that exist." },
        readyReplicas: { type: "integer", description: "Worker pods that are ready." },
        message: { type: "string", description: "Human-readable detail of the phase." },
        observedGeneration: { type: "integer", format: "int64", description: "Generation of the spec the status describes." },
        conditions: {
            type: "array",
            description: "Detailed conditions, Kubernetes style.",
            items: {
                type: "object",
                required: ["type", "status"],
                properties: {
                    type: { type: "string" },
                    status: { type: "string", enum: ["True", "False", "Unknown"] },
                    reason: { type: "string" },
                    message: { type: "string" },
                    lastTransitionTime: { type: "string", format: "date-time" },
                    observedGeneration: { type: "integer", format: "int64" },
                },
            },
        },
    },
};

/** Builds the CRD object from a package schema (schema.json). */
export function renderCrd(schema: { resources: Record<string, any>; types: Record<string, any> }): any {
    const app = schema.resources[APPLICATION_TOKEN];
    if (!app) throw new Error(`crd: schema has no ${APPLICATION_TOKEN}`);
    const specProps: Record<string, SchemaProp> = {};
    for (const [k, v] of Object.entries(app.inputProperties as Record<string, SchemaProp>)) {
        if (!NON_SPEC_KEYS.has(k)) specProps[k] = v;
    }
    const spec = convert({ $ref: "#/types/__spec" }, "", {
        ...schema.types,
        __spec: { type: "object", properties: specProps, required: [] },
    });
    spec.description = "Desired state of a Volley stream-processing application.";
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: {
            name: CRD_NAME,
            labels: { "app.kubernetes.io/name": "volley", "app.kubernetes.io/part-of": "volley" },
        },
        spec: {
            group: CRD_GROUP,
            scope: "Namespaced",
            names: { kind: CRD_KIND, listKind: `${CRD_KIND}List`, plural: CRD_PLURAL, singular: "volleyapplication", shortNames: ["vapp"] },
            versions: [{
                name: CRD_VERSION,
                served: true,
                storage: true,
                subresources: { status: {} },
                additionalPrinterColumns: [
                    { name: "Phase", type: "string", jsonPath: ".status.phase" },
                    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
                    { name: "Ready", type: "integer", jsonPath: ".status.readyReplicas" },
                    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
                ],
                schema: {
                    openAPIV3Schema: {
                        type: "object",
                        description: "A Volley stream-processing application, run by the Volley operator as a StatefulSet.",
                        required: ["spec"],
                        properties: {
                            apiVersion: { type: "string" },
                            kind: { type: "string" },
                            metadata: { type: "object" },
                            spec,
                            status: STATUS_SCHEMA,
                        },
                    },
                },
            }],
        },
    };
}
