import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "../provider";
import { localChartVersion } from "../render/helm";
import { crdSchemaTransform, retainCrds } from "../retainCrds";
import type { NodePlacement } from "../volleyOperator";
import { resolvedOf } from "../../core/resolved";
import type { KafkaRef } from "../../core/types";
import { STRIMZI_CHART, StrimziKafkaSettings } from "./settings";
import { CONTROLLER_POOL, BROKER_POOL, STRIMZI_API, clientListener, renderKafka, renderNodePools, resolveStrimzi, strimziKafkaRef, strimziValues } from "./render";
import { POD_MONITOR_KINDS, metricsConfigMap, podMonitorSpecs, renderKafkaRuleSpec, renderPodMonitor, resolveKafkaLagAlert } from "./metrics";

export interface StrimziKafkaArgs extends StrimziKafkaSettings {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Placement of the Strimzi operator, Entity Operator and Kafka Exporter, normally the system nodes. */
    placement?: pulumi.Input<NodePlacement>;
    /** Default StorageClass of broker and controller claims (the environment's block storage) when `brokerStorage`/`controllerStorage` name none. */
    defaultStorageClassName?: pulumi.Input<string>;
    /** Namespace of the Grafana whose sidecar loads dashboards (kube-prometheus-stack's); Strimzi's dashboards go there. None when absent. */
    dashboardsNamespace?: pulumi.Input<string>;
    /** Create PodMonitors (brokers, Entity Operator, Kafka Exporter, cluster operator) and the consumer-lag alert; needs the prometheus-operator CRDs. Plain. Defaults to `false`. */
    monitoring?: boolean;
    /** URNs the PodMonitors and the alert wait for, e.g. a PrometheusStack's `resourceUrns` (its CRDs). */
    monitoringReady?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The Strimzi operator (chart, pinned, on the system nodes, watching its own
 * namespace) and one KRaft Kafka cluster: KafkaNodePools on the Kafka nodes
 * (one broker per node, spread across zones) with persistent claims that
 * outlive it, internal plain and TLS listeners, the Entity Operator and Kafka
 * Exporter. Its namespace and the chart's CRDs are retained on delete, so
 * broker claims and topics survive a destroy.
 */
export class StrimziKafka extends pulumi.ComponentResource {
    /** Namespace of the operator, the cluster, its topics, users and claims. */
    public readonly namespace!: pulumi.Output<string>;
    /** Name of the `Kafka` resource. */
    public readonly clusterName!: pulumi.Output<string>;
    /** Bootstrap servers of the clients' listener, `<cluster>-kafka-bootstrap.<namespace>.svc:<port>` (known at preview). */
    public readonly bootstrapServers!: pulumi.Output<string>;
    /** What applications need to reach the cluster (the EnvironmentRef's `kafka`). */
    public readonly kafka!: pulumi.Output<KafkaRef>;
    /** The clients' listener's bootstrap servers as Strimzi reports them in the Kafka status, empty until it is Ready. */
    public readonly statusBootstrapServers!: pulumi.Output<string>;
    /** Installed chart version. */
    public readonly chartVersion!: pulumi.Output<string>;
    /** URNs of the chart's objects, the node pools and the Kafka, for ordering. */
    public readonly resourceUrns!: pulumi.Output<string[]>;

    constructor(name: string, args: StrimziKafkaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:StrimziKafka", name, {}, opts);
        if (opts?.urn) return;
        const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
        const o = { parent: this, provider };
        const resolved = resolvedOf(args);
        const settings = pulumi.output({
            namespace: args.namespace, clusterName: args.clusterName, brokers: args.brokers, controllers: args.controllers,
            brokerStorage: args.brokerStorage, controllerStorage: args.controllerStorage, brokerResources: args.brokerResources,
            controllerResources: args.controllerResources, nodes: args.nodes, authentication: args.authentication, config: args.config,
            kafkaVersion: args.kafkaVersion, metadataVersion: args.metadataVersion,
        });
        const r = pulumi.all([settings, args.defaultStorageClassName]).apply(([s, sc]) => resolveStrimzi(s, { storageClassName: sc }));
        // Inputs may arrive as Outputs of undefined (a Construct call): defaults inside apply, never with `??` on the Input.
        const system = pulumi.output(args.placement).apply((p) => p ?? {}) as pulumi.Output<any>;

        // Retained: it holds the broker claims (deleteClaim: false) and the topics; a deleted
        // namespace would take them along. A later `up` adopts it again (server-side apply).
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: r.apply((x) => x.namespace) } }, { ...o, retainOnDelete: true });
        const version = pulumi.output(args.version).apply((v) => v || STRIMZI_CHART.version);
        const chart = new k8s.helm.v4.Chart(`${name}-chart`, {
            chart: pulumi.output(args.chartPath).apply((p) => p || STRIMZI_CHART.repo),
            version: pulumi.all([args.chartPath, version]).apply(([p, v]) => (p ? undefined : v)) as pulumi.Output<string>,
            namespace: ns.metadata.name,
            values: pulumi.all([system, args.values, args.dashboardsNamespace]).apply(([pl, v, d]) => strimziValues(pl, v, d || undefined)),
        // Its Kafka CRD carries an empty `properties: {}` the API server drops: normalized, so a second preview is empty.
        }, { ...o, transforms: [crdSchemaTransform, ...retainCrds()] });
        const chartUrns = chart.resources.apply((rs) => (rs ?? []).map((x: any) => x.urn)) as unknown as pulumi.Output<string[]>;

        const cm = r.apply((x) => metricsConfigMap(x.clusterName, x.namespace));
        const metrics = new k8s.core.v1.ConfigMap(`${name}-metrics`, {
            metadata: { name: cm.apply((c) => c.metadata.name), namespace: ns.metadata.name, labels: cm.apply((c) => c.metadata.labels) },
            data: cm.apply((c) => c.data),
        }, o);
        // Which pools exist is decided by the plain `controllers` (0: one combined pool).
        const poolNames = (resolved.controllers ?? 0) === 0 ? [BROKER_POOL] : [BROKER_POOL, CONTROLLER_POOL];
        // Their specs wait for the chart (its CRDs) by data flow.
        const pools = pulumi.all([r, chartUrns]).apply(([x]) => renderNodePools(x));
        const poolResources = poolNames.map((pool, i) => new k8s.apiextensions.CustomResource(`${name}-pool-${pool}`, {
            apiVersion: STRIMZI_API, kind: "KafkaNodePool",
            metadata: pools.apply((ps) => ps[i].metadata), spec: pools.apply((ps) => ps[i].spec),
        }, o));
        const kafkaManifest = pulumi.all([r, system, chartUrns]).apply(([x, pl]) => renderKafka(x, pl));
        // After its pools and metrics config: deleted before them, so Strimzi never scales a live cluster down.
        const kafka = new k8s.apiextensions.CustomResource(`${name}-kafka`, {
            apiVersion: STRIMZI_API, kind: "Kafka",
            metadata: kafkaManifest.apply((m) => m.metadata), spec: kafkaManifest.apply((m) => m.spec),
            // Declared so the live status (listeners, conditions) comes back as an output.
            status: undefined,
        }, { ...o, dependsOn: [...poolResources, metrics] });

        if (resolved.monitoring) {
            const ready = pulumi.output(args.monitoringReady);
            POD_MONITOR_KINDS.forEach((kind, i) => {
                const pm = pulumi.all([r, ready]).apply(([x]) => renderPodMonitor(podMonitorSpecs(x.clusterName)[i], x.namespace));
                new k8s.apiextensions.CustomResource(`${name}-podmonitor-${kind}`, {
                    apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: pm.apply((m) => m.metadata), spec: pm.apply((m) => m.spec),
                }, o);
            });
            const rule = pulumi.all([r, pulumi.output(args.consumerLagAlert), ready])
                .apply(([x, t]) => renderKafkaRuleSpec(x.clusterName, x.namespace, resolveKafkaLagAlert(t)));
            new k8s.apiextensions.CustomResource(`${name}-alerts`, {
                apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule",
                metadata: { name: r.apply((x) => `${x.clusterName}-kafka-alerts`), namespace: ns.metadata.name, labels: { "app.kubernetes.io/part-of": "volley" } },
                spec: rule,
            }, o);
        }

        this.namespace = ns.metadata.name;
        this.clusterName = kafka.metadata.name;
        // From the inputs alone, so it is known at preview; the EnvironmentRef waits for `resourceUrns` instead.
        this.kafka = r.apply((x) => strimziKafkaRef(x));
        this.bootstrapServers = this.kafka.apply((k) => k.bootstrapServers);
        this.statusBootstrapServers = pulumi.all([r, (kafka as any).status as pulumi.Output<any>]).apply(([x, st]) =>
            (((st?.listeners ?? []) as any[]).find((l) => l?.name === clientListener(x.authentication).name)?.bootstrapServers ?? "") as string);
        // After `up` Strimzi reports the address itself: say so when it is not the one applications were given.
        pulumi.all([this.bootstrapServers, this.statusBootstrapServers]).apply(([want, got]) => {
            if (got && got !== want) pulumi.log.warn(`Kafka reports bootstrap servers ${got}, applications were given ${want}`, this);
        });
        this.chartVersion = pulumi.all([args.chartPath, version]).apply(([p, v]) => (p ? localChartVersion(p) : v));
        this.resourceUrns = pulumi.all([chartUrns, pulumi.all([kafka.urn, ...poolResources.map((p) => p.urn)])]).apply(([c, own]) => [...c, ...own]);
        this.registerOutputs({
            namespace: this.namespace, clusterName: this.clusterName, bootstrapServers: this.bootstrapServers, kafka: this.kafka,
            statusBootstrapServers: this.statusBootstrapServers, chartVersion: this.chartVersion, resourceUrns: this.resourceUrns,
        });
    }
}
