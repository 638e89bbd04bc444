// What the Platform adds between its parts: ServiceMonitors for KEDA and the
// operator (once both the target and the monitoring CRDs exist), the
// optional NetworkPolicies of the platform namespaces, and the namespace of
// applications' checkpoint directory Jobs.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Platform } from "./platform";
import { operatorLabels } from "./render/operator";
import { platformNetworkPolicies } from "./render/networkPolicies";
import { DIRECTORY_NAMESPACE_LABELS, directoryJobNamespace } from "./render/checkpoints";

function serviceMonitor(name: string, namespace: pulumi.Input<string>, selector: Record<string, string>, ready: pulumi.Input<unknown>[],
    opts: pulumi.CustomResourceOptions): void {
    // Ordered by data flow after the monitoring CRDs and the monitored chart's objects.
    const spec = pulumi.all(ready).apply(() => ({ selector: { matchLabels: selector }, endpoints: [{ port: "metrics", interval: "30s" }] }));
    new k8s.apiextensions.CustomResource(name, {
        apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor",
        metadata: { name: name.length <= 63 ? name : name.slice(0, 63), namespace, labels: { "app.kubernetes.io/part-of": "volley" } }, spec,
    }, opts);
}

/** ServiceMonitors for KEDA's operator and, with `metricsPort`, the Volley operator. */
export function monitorPlatform(name: string, p: Platform, operatorMetricsPort: number | undefined, componentOpts: pulumi.ComponentResourceOptions): void {
    if (!p.prometheus) return;
    const opts = { parent: componentOpts.parent, provider: p.kubernetesProvider };
    if (p.keda) {
        serviceMonitor(`${name}-keda-operator`, p.keda.namespace, { "app.kubernetes.io/name": "keda-operator" },
            [p.prometheus.resourceUrns, p.keda.resourceUrns], opts);
    }
    if (operatorMetricsPort !== undefined) {
        serviceMonitor(`${name}-volley-operator`, p.operator.namespace, operatorLabels(`${name}-operator`), [p.prometheus.resourceUrns, p.operator.deploymentName], opts);
    }
}

/** Default-deny ingress in the platform namespaces with the allows they need. */
export function isolatePlatform(name: string, p: Platform, grafanaFrom: string[], componentOpts: pulumi.ComponentResourceOptions): void {
    const opts = { parent: componentOpts.parent, provider: p.kubernetesProvider };
    const namespaces = { operator: p.operator.namespace, keda: p.keda?.namespace, monitoring: p.prometheus?.namespace };
    for (const np of platformNetworkPolicies(namespaces, grafanaFrom)) {
        new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${np.role}-${np.name}`, { metadata: { name: np.name, namespace: np.namespace }, spec: np.spec }, opts);
    }
}

/**
 * The namespace where applications' directory Jobs run (render/checkpoints.ts
 * says why it is not the operator's). Its name follows the operator namespace,
 * so two environments on one cluster have one each.
 */
export function directoryJobsNamespace(name: string, p: Platform, componentOpts: pulumi.ComponentResourceOptions): pulumi.Output<string> {
    const ns = new k8s.core.v1.Namespace(`${name}-checkpoint-jobs`, {
        metadata: { name: p.operator.namespace.apply(directoryJobNamespace), labels: DIRECTORY_NAMESPACE_LABELS },
    }, { parent: componentOpts.parent, provider: p.kubernetesProvider });
    return ns.metadata.name;
}
