// The Kubernetes objects of Volley's observability, as plain manifests.
import { DASHBOARD_UID, DashboardOptions, renderDashboard } from "./dashboard";
import { renderPrometheusRuleSpec } from "./rules";
import { ResolvedAlerts } from "./settings";

/** Label and value the kube-prometheus-stack Grafana sidecar selects dashboards by. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };
export const DASHBOARD_CONFIGMAP = "volley-dashboard";
export const PROMETHEUS_RULE = "volley-alerts";
const PART_OF = { "app.kubernetes.io/part-of": "volley", "app.kubernetes.io/managed-by": "pulumi-volley" };

/** The ConfigMap that carries the dashboard JSON; the sidecar loads it into Grafana. */
export function dashboardConfigMap(namespace: string, o: DashboardOptions): any {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: DASHBOARD_CONFIGMAP, namespace, labels: { ...PART_OF, ...DASHBOARD_LABEL } },
        data: { [`${DASHBOARD_UID}.json`]: JSON.stringify(renderDashboard(o), null, 2) },
    };
}

/** The PrometheusRule with Volley's alerts. */
export function prometheusRule(namespace: string, alerts: ResolvedAlerts): any {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: PROMETHEUS_RULE, namespace, labels: { ...PART_OF } },
        spec: renderPrometheusRuleSpec(alerts),
    };
}
