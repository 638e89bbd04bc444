import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART, prometheusStackValues } from "./render/helm";
import { alertmanagerConfigSpec, Receiver } from "./render/alerting";
import { retainCrds } from "./retainCrds";
import { NodePlacement } from "./volleyOperator";
import { resolvedOf } from "../core/resolved";
import { observabilityParts, resolveAlerts } from "./observability/settings";
import { dashboardConfigMap, prometheusRule } from "./observability/objects";
import { PrometheusMode, PrometheusSettings } from "./prometheusSettings";

export { PrometheusMode } from "./prometheusSettings";

export interface PrometheusStackArgs extends PrometheusSettings {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Namespace of the stack. Defaults to `monitoring`. */
    namespace?: pulumi.Input<string>;
    /** Placement of the stack's pods, normally the system nodes. */
    placement?: pulumi.Input<NodePlacement>;
}

/** Name of the Secret that holds Grafana's admin user and password. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/**
 * In-cluster URL of the Prometheus Service kube-prometheus-stack creates for
 * release `release`: `<fullname>-prometheus`, where fullname follows the
 * chart's `kube-prometheus-stack.fullname` helper (templates/_helpers.tpl:
 * fullnameOverride, else the release name if it contains the chart name, else
 * `<release>-<chart>`, cut to 26 characters without a trailing "-"), on
 * `prometheus.service.port` (default 9090). Undefined when the values turn the
 * Prometheus or its Service off.
 */
export function prometheusServiceUrl(release: string, namespace: string, values: Record<string, any> = {}): string | undefined {
    if (values.prometheus?.enabled === false || values.prometheus?.service?.enabled === false) return undefined;
    const cut = (x: string) => x.slice(0, 26).replace(/-+$/, "");
    const chartName: string = values.nameOverride || PROMETHEUS_CHART.chart;
    const fullname = values.fullnameOverride ? cut(values.fullnameOverride)
        : release.includes(chartName) ? cut(release) : cut(`${release}-${chartName}`);
    const ns = values.namespaceOverride || namespace;
    return `http://${fullname}-prometheus.${ns}.svc:${values.prometheus?.service?.port ?? 9090}`;
}

/**
 * prometheus-operator for Volley's ServiceMonitors: the whole
 * kube-prometheus-stack chart, or only the operator's CRDs, pinned (the CRDs
 * are retained on delete). With the whole stack it also ships Volley's
 * Grafana dashboard (a ConfigMap the Grafana sidecar loads), its alerts (a
 * PrometheusRule), the applications' phase as a metric (kube-state-metrics
 * custom resource state), Grafana's admin Secret and, with receivers, the
 * Alertmanager configuration.
 */
export class PrometheusStack extends pulumi.ComponentResource {
    /** Namespace of the stack. */
    public readonly namespace!: pulumi.Output<string>;
    /** Whether the ServiceMonitor CRD is installed. */
    public readonly crdsInstalled!: pulumi.Output<boolean>;
    /** URNs of every object the chart created, for ordering. */
    public readonly resourceUrns!: pulumi.Output<string[]>;
    /** Name of the Secret with Grafana's admin credentials (keys `admin-user`, `admin-password`), mode `stack` only. */
    public readonly grafanaAdminSecret!: pulumi.Output<string | undefined>;
    /** In-cluster URL of Prometheus (mode `stack`), e.g. for KEDA prometheus triggers; empty in the other modes. */
    public readonly url!: pulumi.Output<string>;
    /** Grafana's admin password, a secret (mode `stack`): the given `grafanaAdminPassword`, or the one generated at the first `up` and kept since. */
    public readonly grafanaAdminPassword!: pulumi.Output<string | undefined>;

    constructor(name: string, args: PrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:PrometheusStack", name, {}, opts);
        if (opts?.urn) return;
        const mode = args.mode ?? PrometheusMode.Stack;
        const resolved = resolvedOf(args);
        // Which observability parts exist is decided by plain, construct-time values.
        const parts = observabilityParts(resolved.observability);
        this.namespace = pulumi.output(args.namespace ?? PROMETHEUS_CHART.namespace);
        this.crdsInstalled = pulumi.output(mode !== PrometheusMode.None);
        this.grafanaAdminSecret = pulumi.output(undefined);
        this.grafanaAdminPassword = pulumi.output(undefined);
        if (mode === PrometheusMode.None) {
            this.resourceUrns = pulumi.output([]);
            this.url = pulumi.output("");
        } else {
            const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
            const o = { parent: this, provider };
            const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: this.namespace } }, o);
            const stack = mode === PrometheusMode.Stack;
            const pinned = stack ? PROMETHEUS_CHART : PROMETHEUS_CRDS_CHART;
            const grafanaSecret = stack ? grafanaAdmin(name, ns.metadata.name, args.grafanaAdminPassword, o) : undefined;
            const receivers = (resolved.alerting?.receivers ?? []) as unknown[];
            const amConfig = stack && receivers.length ? `${name}-alerting` : undefined;
            const values = stack
                ? pulumi.all([args.placement ?? {}, args.values ?? {}, this.namespace, grafanaSecret?.metadata.name, args.storage ?? {}, args.resources ?? {},
                    args.controlPlaneMonitors, args.monitorNamespaces]).apply(([pl, v, nsName, gs, storage, resources, cp, monNs]) =>
                    prometheusStackValues(pl as any, v, nsName, {
                        phaseMetric: parts.phaseMetric, grafanaAdminSecret: gs, storage: storage as any, resources: resources as any,
                        controlPlaneMonitors: cp, alertmanagerConfig: amConfig,
                        monitorNamespaceSelector: monNs?.length
                            ? { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [nsName, ...monNs] }] } : undefined,
                    }))
                : pulumi.output(args.values ?? {});
            // helm.v4.Chart's release name is its resource name.
            const release = `${name}-chart`;
            this.url = mode === PrometheusMode.Stack
                ? pulumi.all([this.namespace, args.values ?? {}]).apply(([n, v]) => prometheusServiceUrl(release, n, v) ?? "")
                : pulumi.output("");
            const chart = new k8s.helm.v4.Chart(release, {
                chart: pulumi.output(args.chartPath).apply((p) => p || pinned.chart),
                version: pulumi.all([args.chartPath, args.version ?? pinned.version]).apply(([p, v]) => (p ? undefined : v)) as pulumi.Output<string>,
                repositoryOpts: pulumi.output(args.chartPath).apply((p) => (p ? undefined : { repo: pinned.repo })) as any,
                namespace: ns.metadata.name,
                values,
            }, { ...o, transforms: retainCrds() });
            this.resourceUrns = chart.resources.apply((rs) => (rs ?? []).map((r: any) => r.urn)) as unknown as pulumi.Output<string[]>;
            if (stack) {
                this.grafanaAdminSecret = grafanaSecret!.metadata.name;
                this.grafanaAdminPassword = storedPassword(grafanaSecret!);
                // The dashboard needs nothing from the chart; the rule and the alerting config need its CRDs.
                // One table of metric names for the dashboard and the alerts (observability.metricNames).
                const metricNames = pulumi.output(args.observability?.metricNames ?? {}) as pulumi.Output<Record<string, string>>;
                if (parts.dashboard) {
                    const cm = pulumi.all([ns.metadata.name, metricNames]).apply(([n, names]) => dashboardConfigMap(n, { phaseMetric: parts.phaseMetric, metricNames: names }));
                    new k8s.core.v1.ConfigMap(`${name}-dashboard`, { metadata: cm.apply((c) => c.metadata), data: cm.apply((c) => c.data) }, o);
                }
                if (parts.alerts) {
                    // Ordered after the chart's objects (its CRDs) by data flow: the chart's
                    // resources output carries them (a dependsOn on the remote chart would not).
                    const rule = pulumi.all([ns.metadata.name, pulumi.output(args.observability?.alerts ?? {}), metricNames, this.resourceUrns])
                        .apply(([n, a, names]) => prometheusRule(n, resolveAlerts(a, names)));
                    new k8s.apiextensions.CustomResource(`${name}-alerts`, {
                        apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: rule.apply((r) => r.metadata), spec: rule.apply((r) => r.spec),
                    }, o);
                }
                if (amConfig) {
                    const spec = pulumi.all([pulumi.output(args.alerting!.receivers!), pulumi.output(args.alerting!.groupBy), this.resourceUrns])
                        .apply(([rs, g]) => alertmanagerConfigSpec(rs as Receiver[], g as string[] | undefined));
                    new k8s.apiextensions.CustomResource(`${name}-alerting`, {
                        apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig",
                        metadata: { name: amConfig, namespace: ns.metadata.name }, spec,
                    }, o);
                }
            }
        }
        this.registerOutputs({ namespace: this.namespace, crdsInstalled: this.crdsInstalled, resourceUrns: this.resourceUrns, grafanaAdminSecret: this.grafanaAdminSecret, url: this.url, grafanaAdminPassword: this.grafanaAdminPassword });
    }
}

/**
 * The password the Secret holds, from its state rather than this run's inputs:
 * a generated password is new in every run but only the first is applied
 * (ignoreChanges), and the state keeps that one. The provider turns
 * `stringData` into `data` (base64); under mocks and before the first `up`
 * only `stringData` is there. Always a secret.
 */
function storedPassword(secret: k8s.core.v1.Secret): pulumi.Output<string | undefined> {
    return pulumi.secret(pulumi.all([secret.data, secret.stringData]).apply(([d, sd]) =>
        d?.["admin-password"] ? Buffer.from(d["admin-password"], "base64").toString("utf8") : sd?.["admin-password"]));
}

/**
 * Grafana's admin credentials: the given password, or one generated at the
 * first `up` and then kept (ignoreChanges on `stringData` and the `data`
 * the provider derives from it: later runs generate a new one that is never
 * applied, so previews stay empty). The chart's default
 * (`prom-operator`) is public.
 */
function grafanaAdmin(name: string, namespace: pulumi.Output<string>, password: pulumi.Input<string> | undefined,
    o: pulumi.CustomResourceOptions): k8s.core.v1.Secret {
    const generated = password === undefined;
    const value = generated ? crypto.randomBytes(24).toString("base64url") : password;
    return new k8s.core.v1.Secret(`${name}-grafana-admin`, {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace, labels: { "app.kubernetes.io/part-of": "volley" } },
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(value) },
    }, { ...o, ignoreChanges: generated ? ["stringData", "data"] : [] });
}
