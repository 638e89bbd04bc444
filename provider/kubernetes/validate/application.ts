// Validation of Application inputs against the VolleyApplication contract and
// against what the environment offers (KEDA, Prometheus, shared checkpoints, Kafka).
import { Checker, Issue, UNKNOWN, known, path } from "../../core/validate";
import { checkTolerations } from "../../core/scheduling";
import { ENV_SOURCES as ENV_SOURCE_FIELDS, RESOURCE_FIELD_PATTERN } from "../render/crd";
import { RESOURCE_TRIGGERS, completeKafka, completeTrigger } from "../render/application";
import { checkApplicationKafka } from "../kafka/validate";
import { checkStreamCapacity } from "./capacity";

export const IMAGE_PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export const TRIGGER_TYPES = ["kafka", "prometheus", "cpu", "memory"] as const;
/**
 * KEDA's metricType per scaler kind: cpu/memory "Utilization or AverageValue"
 * (keda.sh/docs/2.18/scalers/cpu, /memory); the others become HPA External
 * metrics, whose target (autoscaling/v2 MetricTarget) is a Value or AverageValue,
 * utilization being valid for Resource metrics only.
 */
const METRIC_TYPES = { resource: ["Utilization", "AverageValue"], external: ["AverageValue", "Value"] } as const;
const AUTHENTICATION_KINDS = ["TriggerAuthentication", "ClusterTriggerAuthentication"] as const;
/** EnvVarSource's fields (Kubernetes core/v1), of which exactly one is set; the CRD enforces the same. */
const ENV_SOURCES = ENV_SOURCE_FIELDS;
/** Resources a resourceFieldRef may read; the CRD carries the same pattern. */
const RESOURCE_FIELD = new RegExp(RESOURCE_FIELD_PATTERN);
/** StatefulSet pod names carry a hash suffix; 52 characters keep them within 63. */
export const MAX_APP_NAME = 52;
const MAX_KEY_GROUPS = 32768;

function isPowerOfTwo(n: number): boolean {
    return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

const KUBERNETES_PROVIDER_URN = /^urn:pulumi:[^:]+::[^:]+::(.+\$)?pulumi:providers:kubernetes::[^:]+$/;

/**
 * Checks resolved Application inputs. `env` is the resolved EnvironmentRef,
 * or UNKNOWN while it is not known (checks that need it are skipped).
 */
export function validateApplication(a: any, env: any, componentName?: string): Issue[] {
    const c = new Checker();
    c.required("environment", env, "the `environment` output of an environment component");
    if (known(env) && known(env.kubernetesProviderUrn) && !KUBERNETES_PROVIDER_URN.test(env.kubernetesProviderUrn)) {
        c.fail("environment.kubernetesProviderUrn", "must be the URN of a Kubernetes provider (urn:pulumi:<stack>::<project>::...pulumi:providers:kubernetes::<name>), as an environment's `environment` output has it; omit it to build one from `kubeconfig`");
    }
    if (known(a.name)) c.dnsLabel("name", a.name, MAX_APP_NAME);
    if (known(a.namespace)) c.dnsLabel("namespace", a.namespace);

    c.required("image", a.image, "a container image such as registry.example.com/my-app:v1.0");
    c.oneOf("imagePullPolicy", a.imagePullPolicy, IMAGE_PULL_POLICIES);
    if (known(a.imagePullSecrets)) {
        a.imagePullSecrets.forEach((s: any, i: number) => c.required(path("imagePullSecrets", i, "name"), s?.name, "the Secret name"));
    }

    checkResources(c, a.resources);
    c.integer("replicas", a.replicas, 1);
    if (known(a.replicas) && a.replicas > 1 && !known(a.cluster) && a.cluster !== UNKNOWN) {
        c.fail("replicas", "more than 1 replica needs `cluster` (distributed execution); add `cluster: {}`");
    }
    if (known(a.args)) a.args.forEach((x: unknown, i: number) => known(x) && typeof x !== "string" && c.fail(path("args", i), "must be a string"));
    checkEnv(c, a.env);

    for (const vol of ["state", "checkpoints"]) {
        const v = a[vol];
        if (!known(v)) continue;
        c.quantity(path(vol, "size"), v.size);
        c.absolutePath(path(vol, "mountPath"), v.mountPath);
        if (known(v.storageClassName)) c.dnsSubdomain(path(vol, "storageClassName"), v.storageClassName);
    }

    const ports = new Map<string, unknown>();
    const obs = a.observability;
    if (known(obs)) {
        if (obs.metricsPort !== undefined) c.port("observability.metricsPort", obs.metricsPort) && ports.set("observability.metricsPort", obs.metricsPort);
        c.absolutePath("observability.metricsPath", obs.metricsPath);
        const sm = obs.serviceMonitor;
        if (known(sm)) {
            c.duration("observability.serviceMonitor.interval", sm.interval);
            c.labels("observability.serviceMonitor.labels", sm.labels);
            if (sm.enabled === true && known(env) && !env.prometheusEnabled) {
                c.fail("observability.serviceMonitor.enabled", `must be false: environment "${env.name}" has no Prometheus (prometheus-operator CRDs); enable it on the environment or drop the ServiceMonitor`);
            }
        }
        if (known(obs.otlpEndpoint) && !/^https?:\/\/[^\s/]+/.test(obs.otlpEndpoint)) {
            c.fail("observability.otlpEndpoint", `must be an http(s) URL such as http://otel-collector:4317; got ${JSON.stringify(obs.otlpEndpoint)}`);
        }
    }

    const h = a.health;
    if (known(h)) {
        if (h.port !== undefined) c.port("health.port", h.port) && ports.set("health.port", h.port);
        c.absolutePath("health.livenessPath", h.livenessPath);
        c.absolutePath("health.readinessPath", h.readinessPath);
        c.integer("health.initialDelaySeconds", h.initialDelaySeconds, 0);
        c.integer("health.periodSeconds", h.periodSeconds, 1);
    }

    const iso = a.isolation;
    if (known(iso)) {
        c.labels("isolation.nodeSelector", iso.nodeSelector);
        checkTolerations(c, "isolation.tolerations", iso.tolerations);
    }

    const k = a.kafka;
    if (known(k) && known(k.topics)) {
        if (k.topics.length === 0) c.fail("kafka.topics", "must name at least one topic");
        k.topics.forEach((t: unknown, i: number) => c.required(path("kafka.topics", i), t, "a topic name"));
    }

    checkAutoscaling(c, a, env, componentName);
    checkStreamCapacity(c, a, env);
    checkApplicationKafka(c, a, env);

    const cl = a.cluster;
    if (known(cl)) {
        if (known(cl.maxKeyGroups) && (!isPowerOfTwo(cl.maxKeyGroups) || cl.maxKeyGroups > MAX_KEY_GROUPS)) {
            c.fail("cluster.maxKeyGroups", `must be a power of two from 1 to ${MAX_KEY_GROUPS} (default 256); got ${JSON.stringify(cl.maxKeyGroups)}`);
        }
        if (cl.flightPort !== undefined) c.port("cluster.flightPort", cl.flightPort) && ports.set("cluster.flightPort", cl.flightPort);
        const sc = cl.sharedCheckpoints;
        if (known(sc)) {
            c.absolutePath("cluster.sharedCheckpoints.mountPath", sc.mountPath);
            if (known(sc.claimName)) c.dnsSubdomain("cluster.sharedCheckpoints.claimName", sc.claimName);
        }
        if (!(known(sc) && (known(sc.claimName) || sc.claimName === UNKNOWN)) && known(env) && !known(env.checkpoints)) {
            c.fail("cluster.sharedCheckpoints.claimName", `required: environment "${env.name}" has no shared checkpoint storage, so name an existing ReadWriteMany claim`);
        }
    }
    checkDistinctPorts(c, a, ports);

    c.labels("labels", a.labels);
    c.annotationKeys("annotations", a.annotations);
    if (known(a.awaitTimeoutSeconds)) c.integer("awaitTimeoutSeconds", a.awaitTimeoutSeconds, 1);
    if (known(a.checkpointClaimSize)) c.quantity("checkpointClaimSize", a.checkpointClaimSize);
    return c.issues;
}

function checkResources(c: Checker, r: any): void {
    if (!c.required("resources", r, "resources with requests and/or limits, e.g. { requests: { cpu: \"2\", memory: \"4Gi\" } }")) return;
    if (!known(r)) return;
    // As in Kubernetes: limits alone are enough (requests then default to them).
    if (r.requests === undefined && r.limits === undefined) {
        c.fail("resources", "must set requests, limits or both, e.g. { requests: { cpu: \"2\", memory: \"4Gi\" } }");
    }
    for (const kind of ["requests", "limits"]) {
        const m = r[kind];
        if (!known(m)) continue;
        for (const [name, q] of Object.entries(m)) c.quantity(path("resources", kind, name), q);
    }
}

function checkEnv(c: Checker, env: unknown): void {
    if (!known(env)) return;
    const seen = new Set<string>();
    (env as any[]).forEach((e, i) => {
        if (!known(e)) return;
        const p = path("env", i);
        if (c.required(path(p, "name"), e.name, "the variable name") && known(e.name)) {
            if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) c.fail(path(p, "name"), `must be a C identifier-like name (letters, digits, "_", "-", "."); got ${JSON.stringify(e.name)}`);
            if (seen.has(e.name)) c.fail(path(p, "name"), `duplicates ${JSON.stringify(e.name)}`);
            seen.add(e.name);
        }
        // Kubernetes' rules: value, valueFrom or neither; a non-empty value excludes valueFrom.
        const hasFrom = e.valueFrom !== undefined && e.valueFrom !== null;
        if (hasFrom && known(e.value) && e.value !== "") c.fail(path(p, "value"), "must be empty when `valueFrom` is set: use one or the other");
        if (known(e.valueFrom)) {
            const sources = ENV_SOURCES.filter((s) => e.valueFrom[s] !== undefined && e.valueFrom[s] !== null);
            if (sources.length !== 1) c.fail(path(p, "valueFrom"), `must set exactly one of ${ENV_SOURCES.join(", ")}`);
            for (const s of ["secretKeyRef", "configMapKeyRef"]) {
                const ref = e.valueFrom[s];
                if (!known(ref)) continue;
                c.required(path(p, "valueFrom", s, "name"), ref.name, "the object name");
                c.required(path(p, "valueFrom", s, "key"), ref.key, "the key");
            }
            if (known(e.valueFrom.fieldRef)) c.required(path(p, "valueFrom.fieldRef.fieldPath"), e.valueFrom.fieldRef.fieldPath, "a pod field such as metadata.name");
            const rf = e.valueFrom.resourceFieldRef;
            if (known(rf)) {
                const rp = path(p, "valueFrom.resourceFieldRef");
                if (c.required(path(rp, "resource"), rf.resource, "a container resource such as limits.memory") && known(rf.resource) && !RESOURCE_FIELD.test(rf.resource)) {
                    c.fail(path(rp, "resource"), `must be requests.<name> or limits.<name> for cpu, memory, ephemeral-storage or hugepages-<size>; got ${JSON.stringify(rf.resource)}`);
                }
                c.quantity(path(rp, "divisor"), rf.divisor);
            }
        }
    });
}

function checkAutoscaling(c: Checker, a: any, env: any, componentName?: string): void {
    const as = a.autoscaling;
    if (!known(as)) return;
    c.integer("autoscaling.minReplicas", as.minReplicas, 1);
    c.integer("autoscaling.maxReplicas", as.maxReplicas, 1);
    const min = known(as.minReplicas) ? as.minReplicas : 1;
    const max = known(as.maxReplicas) ? as.maxReplicas : 10;
    if (as.minReplicas !== UNKNOWN && as.maxReplicas !== UNKNOWN && min > max) {
        c.fail("autoscaling.minReplicas", `must be <= autoscaling.maxReplicas (${max}); got ${min}`);
    }
    if (as.enabled !== true) return;
    if (known(env) && !env.kedaEnabled) {
        c.fail("autoscaling.enabled", `must be false: environment "${env.name}" has no KEDA; enable KEDA on the environment`);
    }
    if (!known(a.cluster) && a.cluster !== UNKNOWN) {
        c.fail("autoscaling.enabled", "autoscaling changes replicas, which needs `cluster` (distributed execution); add `cluster: {}`");
    }
    const triggers = as.triggers;
    if (triggers === UNKNOWN) return;
    if (!known(triggers) || triggers.length === 0) {
        c.fail("autoscaling.triggers", `required when autoscaling is enabled: at least one of ${TRIGGER_TYPES.join(", ")}`);
        return;
    }
    triggers.forEach((t: any, i: number) => {
        if (!known(t)) return;
        const p = path("autoscaling.triggers", i);
        if (!c.required(path(p, "type"), t.type, TRIGGER_TYPES.join(", ")) || !c.oneOf(path(p, "type"), t.type, TRIGGER_TYPES)) return;
        if (!known(t.type)) return;
        const resource = RESOURCE_TRIGGERS.includes(t.type);
        const allowed = resource ? METRIC_TYPES.resource : METRIC_TYPES.external;
        c.oneOf(path(p, "metricType"), t.metricType, allowed);
        if (resource && known(t.metadata)) c.oneOf(path(p, "metadata.type"), t.metadata.type, allowed);
        if (known(t.authenticationRef)) {
            c.required(path(p, "authenticationRef.name"), t.authenticationRef.name, "the name of a TriggerAuthentication");
            c.oneOf(path(p, "authenticationRef.kind"), t.authenticationRef.kind, AUTHENTICATION_KINDS);
        }
        if (t.metadata === UNKNOWN) return;
        // The same function fills the trigger when rendering: what it cannot fill is an error.
        const appName = a.name === undefined || a.name === null ? componentName : a.name;
        const { trigger, missing } = completeTrigger(t, completeKafka(a.kafka, env, appName), env);
        for (const m of missing) {
            const where = m.key === "serverAddress" && known(env) && !env.prometheusUrl
                ? `; environment "${env.name}" has no Prometheus URL (it runs no kube-prometheus-stack of its own), so set it here`
                : m.from ? `; set it here or in ${m.from}` : "";
            c.fail(path(p, "metadata", m.key), `required for a ${t.type} trigger${where}`);
        }
        const md = trigger.metadata ?? {};
        // cpu/memory AverageValue targets are quantities ("3Gi", "500m"); the rest are plain numbers.
        const quantityValue = resource && (trigger.metricType ?? md.type) === "AverageValue";
        for (const key of ["lagThreshold", "threshold", "value"]) {
            const v = md[key];
            if (!known(v)) continue;
            if (key === "value" && quantityValue) c.quantity(path(p, "metadata", key), v);
            else if (!/^\d+(\.\d+)?$/.test(String(v))) c.fail(path(p, "metadata", key), `must be a number in a string such as "1000"; got ${JSON.stringify(v)}`);
        }
    });
}

/**
 * Preview warnings: inputs that deploy but will not work as meant in this
 * environment. The component logs them; they never fail the update.
 */
export function applicationWarnings(a: any, env: any): string[] {
    const out: string[] = [];
    const as = a?.autoscaling;
    // Plain values only: a component built directly (not through the provider) may hold Outputs here.
    if (!known(as) || as.enabled !== true || !Array.isArray(as.triggers) || !known(env)) return out;
    as.triggers.forEach((t: any, i: number) => {
        if (known(t) && RESOURCE_TRIGGERS.includes(t.type) && env.resourceMetricsApi === false) {
            out.push(`${path("autoscaling.triggers", i, "type")}: a ${t.type} trigger reads the resource metrics API (metrics.k8s.io), which environment "${env.name}" does not provide; ` +
                "KEDA cannot scale on it until metrics-server (or another metrics.k8s.io provider) runs in the cluster, or use a kafka or prometheus trigger");
        }
    });
    return out;
}

function checkDistinctPorts(c: Checker, a: any, explicit: Map<string, unknown>): void {
    // Defaults take part too (metrics 9090, health 8080, flight 50051); they
    // come first, so a clash is reported on the port the user set.
    const defaults: [string, number][] = [["observability.metricsPort", 9090], ["health.port", 8080]];
    if (known(a.cluster)) defaults.push(["cluster.flightPort", 50051]);
    const ports = new Map<string, unknown>(defaults.filter(([p]) => !explicit.has(p)));
    for (const [p, port] of explicit) if (p !== "cluster.flightPort" || known(a.cluster)) ports.set(p, port);
    const byPort = new Map<unknown, string>();
    for (const [p, port] of ports) {
        if (!known(port)) continue;
        const other = byPort.get(port);
        if (other) c.fail(p, `must differ from ${other} (both are ${port})`);
        else byPort.set(port, p);
    }
}
