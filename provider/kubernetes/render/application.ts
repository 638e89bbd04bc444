// Application inputs + EnvironmentRef -> the VolleyApplication custom resource.
// Only fields the user set are written, plus the wiring from the environment;
// the CRD's defaults fill in the rest, so the stored object stays small and
// a package upgrade that changes a default does not rewrite every CR.
import { CRD_GROUP, CRD_KIND, CRD_VERSION, NON_SPEC_KEYS } from "./volley";
import { UNKNOWN } from "../../core/validate";
import { kafkaClientEnv } from "../kafka/application";

export interface ApplicationWiring {
    /** CR name. */
    name: string;
    /** CR namespace. */
    namespace: string;
    /** Claim created for the app on the environment's shared checkpoint storage, if any. */
    claimName?: string;
    /** Whether Pulumi waits for status.phase Running. */
    awaitRunning: boolean;
    /** How long Pulumi waits, in seconds. */
    awaitTimeoutSeconds: number;
}

/** Removes undefined/null members, deeply, so that absent inputs leave no trace. */
export function prune<T>(v: T): T {
    if (Array.isArray(v)) return v.map(prune) as T;
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = prune(x);
        return out as T;
    }
    return v;
}

/**
 * Metadata each KEDA scaler requires, per KEDA 2.18's scaler docs
 * (keda.sh/docs/2.18/scalers/apache-kafka, /prometheus, /cpu, /memory). Kafka's
 * `topic` (all topics of the group when absent) and `lagThreshold` (default 10)
 * are optional. A `<key>FromEnv` variant (read from the pods' env) also counts.
 */
export const TRIGGER_REQUIRED: Record<string, readonly string[]> = {
    kafka: ["bootstrapServers", "consumerGroup"],
    prometheus: ["serverAddress", "query", "threshold"],
    cpu: ["value"],
    memory: ["value"],
};
/** KEDA's resource-metric scalers; they need `metricType` and the resource metrics API (metrics.k8s.io). */
export const RESOURCE_TRIGGERS = ["cpu", "memory"];
/** metricType when a cpu/memory trigger names none: the guide's `value: "70"` is a utilization percentage. */
export const DEFAULT_RESOURCE_METRIC_TYPE = "Utilization";

/** Where a missing key could come from, for the error message. */
const TRIGGER_SOURCES: Record<string, Record<string, string>> = {
    kafka: { bootstrapServers: "`kafka.bootstrapServers`", consumerGroup: "`kafka.consumerGroup`" },
    prometheus: { serverAddress: "the environment's Prometheus (`prometheusUrl`)" },
};

/** Set: neither absent nor empty. Values not known yet (preview) count as set. */
function present(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

export interface CompletedTrigger {
    /** The trigger with every value the package fills in. */
    trigger: any;
    /** Required metadata keys still missing, each with where it could have come from. */
    missing: { key: string; from?: string }[];
}

/**
 * The one place that decides a trigger's final form, used by rendering and by
 * validation alike: kafka takes bootstrapServers, consumerGroup and (when
 * `kafka.topics` names exactly one) topic from `spec.kafka`; prometheus takes
 * serverAddress from the environment's Prometheus; cpu/memory get a metricType.
 * During validation `kafka` or `env` may be UNKNOWN (preview): then what they
 * would supply counts as present.
 */
export function completeTrigger(t: any, kafka: any, env: any): CompletedTrigger {
    const md: Record<string, unknown> = { ...(t?.metadata ?? {}) };
    const out: any = { ...t };
    const type = t?.type;
    if (type === "kafka" && kafka && typeof kafka === "object") {
        for (const key of ["bootstrapServers", "consumerGroup"]) {
            if (!present(md[key]) && !present(md[`${key}FromEnv`]) && present(kafka[key])) md[key] = kafka[key];
        }
        if (!present(md.topic) && Array.isArray(kafka.topics) && kafka.topics.length === 1 && present(kafka.topics[0])) md.topic = kafka.topics[0];
    }
    if (type === "prometheus" && !present(md.serverAddress) && env?.prometheusUrl) md.serverAddress = env.prometheusUrl;
    if (RESOURCE_TRIGGERS.includes(type) && !present(t?.metricType) && !present(md.type)) out.metricType = DEFAULT_RESOURCE_METRIC_TYPE;
    const missing = (TRIGGER_REQUIRED[type] ?? [])
        .filter((key) => !present(md[key]) && !present(md[`${key}FromEnv`]))
        // Not known yet: spec.kafka or the environment's Prometheus URL may still supply it.
        .filter((key) => !((type === "kafka" && kafka === UNKNOWN) || (type === "prometheus" && key === "serverAddress" && env === UNKNOWN)))
        .map((key) => ({ key, from: TRIGGER_SOURCES[type]?.[key] }));
    if (Object.keys(md).length) out.metadata = md;
    return { trigger: out, missing };
}

/**
 * The one place that decides `spec.kafka`, for rendering, validation and the
 * triggers alike: what the input omits comes from the environment's Kafka
 * (bootstrapServers) and the application (consumerGroup = its name). No
 * `kafka` input, no `spec.kafka`. During validation the environment or the
 * name may be UNKNOWN (preview): the value they would supply is UNKNOWN then.
 */
export function completeKafka(kafka: any, env: any, appName: any): any {
    if (kafka === undefined || kafka === null || kafka === UNKNOWN) return kafka;
    const out = { ...kafka };
    if (!present(out.bootstrapServers)) {
        if (env === UNKNOWN) out.bootstrapServers = UNKNOWN;
        else if (env?.kafka?.bootstrapServers) out.bootstrapServers = env.kafka.bootstrapServers;
    }
    if (!present(out.consumerGroup) && present(appName)) out.consumerGroup = appName;
    return out;
}

/** The environment's stream-pool tolerations, in Kubernetes spelling. */
function streamTolerations(env: any): any[] {
    return (env?.streamPlacement?.tolerations ?? []).map((t: any) => prune({ ...t }));
}

export function renderVolleyApplication(args: any, env: any, w: ApplicationWiring): any {
    const spec: Record<string, any> = {};
    for (const [k, v] of Object.entries(args)) if (!NON_SPEC_KEYS.has(k)) spec[k] = v;

    // Isolation: fill unset fields from the environment's dedicated stream pool.
    const iso = { ...(spec.isolation ?? {}) };
    if (iso.nodeSelector === undefined && env?.streamPlacement?.nodeSelector && Object.keys(env.streamPlacement.nodeSelector).length) {
        iso.nodeSelector = { ...env.streamPlacement.nodeSelector };
    }
    if (iso.tolerations === undefined && streamTolerations(env).length) iso.tolerations = streamTolerations(env);
    if (Object.keys(iso).length) spec.isolation = iso;

    // ServiceMonitor: the CRD defaults it on; without prometheus-operator it must be off.
    if (env && !env.prometheusEnabled && spec.observability?.serviceMonitor?.enabled === undefined) {
        spec.observability = {
            ...(spec.observability ?? {}),
            serviceMonitor: { ...(spec.observability?.serviceMonitor ?? {}), enabled: false },
        };
    }

    // Kafka: the environment's bootstrap servers, the application's name as group, and the
    // client's security settings as env vars (secret references; the user's own env wins).
    if (spec.kafka !== undefined) {
        spec.kafka = completeKafka(spec.kafka, env, w.name);
        const own = new Set((spec.env ?? []).map((e: any) => e?.name));
        const extra = kafkaClientEnv(env?.kafka, w.name).filter((e) => !own.has(e.name));
        if (extra.length) spec.env = [...(spec.env ?? []), ...extra];
    }

    // KEDA triggers: what the trigger omits, from spec.kafka and the environment.
    if (Array.isArray(spec.autoscaling?.triggers)) {
        spec.autoscaling = {
            ...spec.autoscaling,
            triggers: spec.autoscaling.triggers.map((t: any) => completeTrigger(t, spec.kafka, env).trigger),
        };
    }

    // Distributed mode: mount the app's claim on the shared checkpoint storage.
    if (spec.cluster !== undefined && w.claimName) {
        spec.cluster = {
            ...spec.cluster,
            sharedCheckpoints: { ...(spec.cluster.sharedCheckpoints ?? {}), claimName: w.claimName },
        };
    }

    // spec.labels/annotations are for the objects the operator creates; the CR
    // itself only carries Pulumi's await settings.
    const annotations: Record<string, string> = {};
    if (w.awaitRunning) {
        // pulumi-kubernetes waits for this JSONPath condition on create and update.
        annotations["pulumi.com/waitFor"] = "jsonpath={.status.phase}=Running";
        annotations["pulumi.com/timeoutSeconds"] = String(w.awaitTimeoutSeconds);
    }
    // Without awaitRunning there is no annotation at all: `pulumi.com/skipAwait`
    // would also skip the delete wait, and a destroy would then remove the
    // operator while the CR's finalizer still needs it (a stuck namespace).
    // pulumi-kubernetes awaits no custom resource on create or update unless
    // told to (waitFor, or PULUMI_K8S_AWAIT_ALL: pulumi-kubernetes#3143).

    return prune({
        apiVersion: `${CRD_GROUP}/${CRD_VERSION}`,
        kind: CRD_KIND,
        metadata: {
            name: w.name,
            namespace: w.namespace,
            labels: { "app.kubernetes.io/managed-by": "pulumi-volley" },
            annotations: Object.keys(annotations).length ? annotations : undefined,
        },
        spec,
    });
}
