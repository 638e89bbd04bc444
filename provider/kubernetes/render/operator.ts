// VolleyOperator settings -> the operator's RBAC, Deployment, Service, PDB.
//
// The operator guide (seeds/000) documents only how to build and run the
// binary (`cargo build --release -p volley-k8s-operator`, then run it); it
// names no image, port, probe or flag. So nothing here assumes one: the image
// is the user's, and ports, probes and extra args render only when given.
import { CRD_GROUP, CRD_PLURAL } from "./volley";
import { prune } from "./application";

export const OPERATOR_DEFAULTS = {
    namespace: "volley-system",
    replicas: 1,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    /** Above the default 0 so the operator is not the first pod evicted, below system-cluster-critical. */
    priority: 1000000,
};

const CRUD = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** Exactly what the operator reads and writes; no wildcards. */
export function operatorClusterRules(): any[] {
    return [
        { apiGroups: [CRD_GROUP], resources: [CRD_PLURAL], verbs: ["get", "list", "watch", "update", "patch"] },
        { apiGroups: [CRD_GROUP], resources: [`${CRD_PLURAL}/status`], verbs: ["get", "update", "patch"] },
        { apiGroups: [CRD_GROUP], resources: [`${CRD_PLURAL}/finalizers`], verbs: ["update"] },
        { apiGroups: ["apps"], resources: ["statefulsets"], verbs: CRUD },
        { apiGroups: [""], resources: ["services", "persistentvolumeclaims"], verbs: CRUD },
        { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: CRUD },
        { apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors"], verbs: CRUD },
        { apiGroups: ["keda.sh"], resources: ["scaledobjects"], verbs: CRUD },
        { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch"] },
    ];
}

/** Leader election, namespaced to the operator's own namespace. */
export function operatorLeaseRules(): any[] {
    return [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }];
}

/**
 * The image reference the Deployment runs: `image` as given when it carries a
 * tag or digest, else `image:version`.
 */
export function operatorImageRef(image: string, version?: string): string {
    return imageHasTagOrDigest(image) || !version ? image : `${image}:${version}`;
}

/** `repo@sha256:...` or `repo:tag` (a registry port, `host:5000/repo`, is not a tag). */
export function imageHasTagOrDigest(image: string): boolean {
    return image.includes("@") || (image.split("/").pop() ?? "").includes(":");
}

export interface OperatorPort {
    name: string;
    containerPort: number;
    protocol?: string;
}

export interface OperatorSettings {
    name: string;
    /** Full image reference (see operatorImageRef). */
    image: string;
    replicas: number;
    resources: any;
    imagePullSecrets?: string[];
    /** Extra container args, always passed. */
    args?: string[];
    /** Args that turn leader election on; passed only with more than one replica. */
    leaderElectionArgs?: string[];
    ports?: OperatorPort[];
    livenessProbe?: any;
    readinessProbe?: any;
    nodeSelector?: Record<string, string>;
    tolerations?: any[];
    serviceAccountName: string;
    priorityClassName: string;
}

export function operatorLabels(name: string): Record<string, string> {
    return { "app.kubernetes.io/name": "volley-k8s-operator", "app.kubernetes.io/instance": name, "app.kubernetes.io/part-of": "volley" };
}

export function renderOperatorDeploymentSpec(s: OperatorSettings): any {
    const labels = operatorLabels(s.name);
    const args = [...(s.args ?? []), ...(s.replicas > 1 ? s.leaderElectionArgs ?? [] : [])];
    return prune({
        replicas: s.replicas,
        selector: { matchLabels: labels },
        // One replica has no leader election: a default rolling update would
        // surge a second reconciler beside the first, so the old pod is stopped
        // before the new one is created (maxSurge 0). Not `type: Recreate`:
        // a Deployment that exists without a strategy carries the API server's
        // defaulted rollingUpdate, and switching it to Recreate is rejected
        // under server-side apply (pulumi-kubernetes#2843, kubernetes#24198);
        // replacing the Deployment instead (replaceOnChanges, delete first)
        // fails the preview (the provider's dry-run create meets the old
        // object) and makes the engine replace every VolleyApplication whose
        // inputs depend on the Deployment (found by tests/e2e/upgrade.sh).
        // maxSurge 0 alone still overlaps: the new pod is created once the old
        // ReplicaSet is scaled to 0, while the old pod may still be Terminating
        // (kubernetes#99513; "Kubernetes doesn't count terminating Pods",
        // kubernetes.io Deployments, added by kubernetes/website#31603). The
        // exclusion is `oneOperatorPod` below.
        strategy: s.replicas === 1 ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } : undefined,
        template: {
            metadata: { labels },
            spec: {
                serviceAccountName: s.serviceAccountName,
                priorityClassName: s.priorityClassName,
                imagePullSecrets: s.imagePullSecrets?.length ? s.imagePullSecrets.map((name) => ({ name })) : undefined,
                nodeSelector: s.nodeSelector && Object.keys(s.nodeSelector).length ? s.nodeSelector : undefined,
                tolerations: s.tolerations?.length ? s.tolerations : undefined,
                securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                // Spread replicas over nodes so one node loss keeps a leader candidate.
                affinity: s.replicas > 1 ? {
                    podAntiAffinity: {
                        preferredDuringSchedulingIgnoredDuringExecution: [{
                            weight: 100,
                            podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: labels } },
                        }],
                    },
                } : oneOperatorPod(labels),
                containers: [{
                    name: "operator",
                    image: s.image,
                    args: args.length ? args : undefined,
                    env: [
                        { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                        { name: "RUST_LOG", value: "info" },
                    ],
                    ports: s.ports?.length ? s.ports : undefined,
                    livenessProbe: s.livenessProbe,
                    readinessProbe: s.readinessProbe,
                    resources: s.resources,
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                    },
                }],
            },
        },
    });
}

/**
 * One replica, never two reconcilers: a required pod anti-affinity against the
 * operator's own pods over the topology key `kubernetes.io/os` (a well-known
 * label the kubelet sets on every node, so all Linux nodes are one domain):
 * the scheduler places no new operator pod while an old one still exists.
 * kube-scheduler counts terminating pods, by design ("kube-scheduler takes
 * decisions based on the pods that are currently running. And this might
 * include pods that are currently terminating", kubernetes#111793; a pod
 * leaves that count when it reaches a terminal phase or is deleted,
 * kubernetes#126389). So a rollout, an eviction or a pod deleted by hand waits
 * until the old process is gone, as `Recreate` would for rollouts only; and,
 * unlike Recreate, it is an in-place template change on an existing
 * Deployment. Same namespace and instance labels only: operators of other
 * namespaces are not affected.
 */
export function oneOperatorPod(labels: Record<string, string>): any {
    return {
        podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/os", labelSelector: { matchLabels: labels } }],
        },
    };
}

/** The metrics Service, only for a port the user named `metrics`. */
export function renderOperatorServiceSpec(name: string, metricsPort: number): any {
    return {
        selector: operatorLabels(name),
        ports: [{ name: "metrics", port: metricsPort, targetPort: "metrics" }],
    };
}
