// Inputs of kube-prometheus-stack as the package installs it: storage,
// resources, Grafana's admin credentials, alert routing, and where Prometheus
// takes its monitors from. Shared by PrometheusStack and every environment.
import * as pulumi from "@pulumi/pulumi";
import type { ChartSettings } from "./keda";
import type { VolleyObservability } from "./observability/settings";
import type { ResourceRequirements } from "./volleySpec";

/** What PrometheusStack installs. */
export const PrometheusMode = {
    /** kube-prometheus-stack: prometheus-operator, its CRDs, Prometheus, Alertmanager, Grafana. */
    Stack: "stack",
    /** Only the prometheus-operator CRDs, for clusters that run Prometheus elsewhere. */
    Crds: "crds",
    /** Nothing; applications get no ServiceMonitors. */
    None: "none",
} as const;
export type PrometheusMode = (typeof PrometheusMode)[keyof typeof PrometheusMode];

/** A key of a Secret in the Prometheus stack's namespace. */
export interface SecretKeyRef {
    /** Name of the Secret (in the stack's namespace, `monitoring` by default). */
    name: pulumi.Input<string>;
    /** Key within the Secret. */
    key: pulumi.Input<string>;
}

/** One place alerts go; set exactly one of `webhookUrl`, `slackApiUrl` or `pagerdutyRoutingKey`. */
export interface AlertReceiver {
    /** Receiver name: a DNS label (lower-case letters, digits, `-`), unique within `alerting.receivers`, not `null` (the package's catch-all). */
    name: pulumi.Input<string>;
    /** Severities it receives, e.g. `["critical"]`. Defaults to every alert. */
    severities?: pulumi.Input<pulumi.Input<string>[]>;
    /** A Secret key holding a webhook URL (Alertmanager webhook_config). */
    webhookUrl?: pulumi.Input<SecretKeyRef>;
    /** A Secret key holding a Slack incoming-webhook URL. */
    slackApiUrl?: pulumi.Input<SecretKeyRef>;
    /** Slack channel, e.g. `#volley-alerts`. Defaults to the webhook's channel. */
    slackChannel?: pulumi.Input<string>;
    /** A Secret key holding a PagerDuty Events API v2 routing (integration) key. */
    pagerdutyRoutingKey?: pulumi.Input<SecretKeyRef>;
}

/** Where Alertmanager sends alerts. The credentials stay in Secrets you create; they never enter the Pulumi state. */
export interface AlertingSettings {
    /** Receivers; alerts that match none go to the `null` receiver. Plain list: it decides whether the AlertmanagerConfig exists. Defaults to none (alerts reach no one; see the README). */
    receivers?: pulumi.Input<AlertReceiver>[];
    /** Labels alerts are grouped by. Defaults to `["alertname", "namespace"]`. */
    groupBy?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Prometheus' own storage. */
export interface PrometheusStorage {
    /** Size of Prometheus' PersistentVolumeClaim. Defaults to `50Gi`. */
    size?: pulumi.Input<string>;
    /** How long samples are kept, e.g. `15d`. Defaults to `15d`. */
    retention?: pulumi.Input<string>;
    /** StorageClass of the claim. Defaults to the cluster's default StorageClass. */
    storageClassName?: pulumi.Input<string>;
}

/** Resources of the stack's pods; each defaults to the package's requests and memory limit (see the README). */
export interface PrometheusStackResources {
    /** Prometheus. Defaults to requests 200m/1Gi, memory limit 4Gi. */
    prometheus?: pulumi.Input<ResourceRequirements>;
    /** Alertmanager. Defaults to requests 20m/64Mi, memory limit 256Mi. */
    alertmanager?: pulumi.Input<ResourceRequirements>;
    /** Grafana. Defaults to requests 50m/128Mi, memory limit 512Mi. */
    grafana?: pulumi.Input<ResourceRequirements>;
    /** prometheus-operator. Defaults to requests 50m/128Mi, memory limit 512Mi. */
    operator?: pulumi.Input<ResourceRequirements>;
    /** kube-state-metrics. Defaults to requests 20m/64Mi, memory limit 256Mi. */
    kubeStateMetrics?: pulumi.Input<ResourceRequirements>;
    /** node-exporter (on every node). Defaults to requests 20m/32Mi, memory limit 128Mi. */
    nodeExporter?: pulumi.Input<ResourceRequirements>;
}

/** Prometheus settings: how the package installs prometheus-operator (and with mode `stack`, Prometheus, Alertmanager and Grafana). */
export interface PrometheusSettings extends ChartSettings {
    /** `stack` (kube-prometheus-stack), `crds` (prometheus-operator CRDs only) or `none`. Plain: it decides which resources exist. Defaults to `stack`. */
    mode?: PrometheusMode;
    /** Volley's Grafana dashboard, alerts and phase metric (mode `stack` only). Each part is on unless turned off. */
    observability?: VolleyObservability;
    /** Grafana's admin password (a secret). Defaults to one generated at the first `up` and kept in a Secret (see the README); never the chart's public default. */
    grafanaAdminPassword?: pulumi.Input<string>;
    /** Where alerts go (Alertmanager receivers). */
    alerting?: AlertingSettings;
    /** Prometheus' persistent storage. Defaults to 50Gi on the default StorageClass, 15d retention. */
    storage?: pulumi.Input<PrometheusStorage>;
    /** Resource requests and limits of the stack's pods. */
    resources?: pulumi.Input<PrometheusStackResources>;
    /** Scrape etcd, the scheduler, the controller manager and kube-proxy, with their alerts. Defaults to `true` on KubernetesEnvironment and `false` on EKS, GKE and AKS, whose control planes cannot be scraped. */
    controlPlaneMonitors?: pulumi.Input<boolean>;
    /** Namespaces Prometheus takes ServiceMonitors, PodMonitors and rules from (the stack's own and the applications'). Defaults to every namespace. */
    monitorNamespaces?: pulumi.Input<pulumi.Input<string>[]>;
}
