// Application inputs + EnvironmentRef -> the VolleyApplication custom resource.
// Only fields the user set are written, plus the wiring from the environment;
// the CRD's defaults fill in the rest, so the stored object stays small and
// a package upgrade that changes a default does not rewrite every CR.
import { CRD_GROUP, CRD_KIND, CRD_VERSION, NON_SPEC_KEYS } from "./volley";

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
