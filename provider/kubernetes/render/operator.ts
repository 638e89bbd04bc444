// VolleyOperator settings -> the operator's RBAC, Deployment, Service, PDB.
import { CRD_GROUP, CRD_PLURAL } from "./volley";
import { prune } from "./application";

export const OPERATOR_DEFAULTS = {
    namespace: "volley-system",
    image: "volleyio/volley-k8s-operator",
    version: "0.1.0",
    replicas: 1,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    healthPort: 8080,
    metricsPort: 9090,
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

export interface OperatorSettings {
    name: string;
    image: string;
    version: string;
    replicas: number;
    resources: any;
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
    return prune({
        replicas: s.replicas,
        selector: { matchLabels: labels },
        template: {
            metadata: { labels },
            spec: {
                serviceAccountName: s.serviceAccountName,
                priorityClassName: s.priorityClassName,
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
                } : undefined,
                containers: [{
                    name: "operator",
                    image: `${s.image}:${s.version}`,
                    args: s.replicas > 1 ? ["--leader-elect"] : [],
                    env: [
                        { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                        { name: "RUST_LOG", value: "info" },
                    ],
                    ports: [
                        { name: "health", containerPort: OPERATOR_DEFAULTS.healthPort },
                        { name: "metrics", containerPort: OPERATOR_DEFAULTS.metricsPort },
                    ],
                    livenessProbe: { httpGet: { path: "/health", port: "health" }, initialDelaySeconds: 10, periodSeconds: 10 },
                    readinessProbe: { httpGet: { path: "/ready", port: "health" }, initialDelaySeconds: 5, periodSeconds: 10 },
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

export function renderOperatorServiceSpec(name: string): any {
    return {
        selector: operatorLabels(name),
        ports: [{ name: "metrics", port: OPERATOR_DEFAULTS.metricsPort, targetPort: "metrics" }],
    };
}
