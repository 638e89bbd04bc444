// What the Platform adds between its parts: ServiceMonitors for KEDA and the
// operator (once both the target and the monitoring CRDs exist) and the
// optional NetworkPolicies of the platform namespaces.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Platform } from "./platform";
import { operatorLabels } from "./render/operator";
import { platformNetworkPolicies } from "./render/networkPolicies";

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
