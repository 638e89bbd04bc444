// The `kafka` input of an environment -> the StrimziKafka building block, or
// the description of an external cluster, and the EnvironmentRef's `kafka`.
import * as pulumi from "@pulumi/pulumi";
import type { KafkaRef } from "../../core/types";
import type { NodePlacement } from "../volleyOperator";
import type { PrometheusStack } from "../prometheusStack";
import { KafkaMode, KafkaSettings, STRIMZI_DEFAULTS } from "./settings";
import { StrimziKafka } from "./strimziKafka";

/** The EnvironmentRef's Kafka part for an external cluster (resolved settings; secret references only). */
export function externalKafkaRef(e: any): KafkaRef {
    const tls = e.tls ?? (e.caSecret !== undefined || e.sasl !== undefined);
    const sasl = e.sasl !== undefined && e.sasl !== null;
    const ref: KafkaRef = {
        mode: KafkaMode.External,
        bootstrapServers: e.bootstrapServers,
        securityProtocol: sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : tls ? "SSL" : "PLAINTEXT",
    };
    if (sasl) ref.saslMechanism = e.sasl.mechanism;
    if (e.caSecret) ref.caSecret = { name: e.caSecret.name, key: e.caSecret.key };
    if (e.sasl?.usernameSecret) ref.usernameSecret = { name: e.sasl.usernameSecret.name, key: e.sasl.usernameSecret.key };
    if (e.sasl?.passwordSecret) ref.passwordSecret = { name: e.sasl.passwordSecret.name, key: e.sasl.passwordSecret.key };
    if (e.brokers !== undefined) ref.brokers = e.brokers;
    return ref;
}

/** The StrimziKafkaSettings inputs an environment passes through (all but the plain `controllers`). */
export const STRIMZI_INPUTS = [
    "version", "chartPath", "values", "namespace", "clusterName", "brokers", "brokerStorage", "controllerStorage", "brokerResources",
    "controllerResources", "nodes", "authentication", "config", "kafkaVersion", "metadataVersion", "consumerLagAlert",
] as const;

export interface EnvironmentKafka {
    /** The Strimzi building block (mode `strimzi`). */
    strimzi?: StrimziKafka;
    /** The EnvironmentRef's `kafka`, undefined without Kafka. */
    ref: pulumi.Output<KafkaRef | undefined>;
    /** URNs the EnvironmentRef waits for (chart, node pools, the Ready Kafka). */
    ready: pulumi.Output<string[]>;
}

/**
 * Kafka of an environment. `resolved` holds the construct-time values (the
 * plain `mode` decides what exists); `blockStorageClass` is the cloud's block
 * StorageClass for broker claims, if the environment has one.
 */
export function environmentKafka(name: string, args: KafkaSettings | undefined, resolved: any, system: pulumi.Input<NodePlacement>,
    prometheus: PrometheusStack | undefined, dashboards: boolean, opts: pulumi.ComponentResourceOptions,
    blockStorageClass?: pulumi.Input<string>): EnvironmentKafka {
    const mode = resolved?.mode;
    if (mode === KafkaMode.External) {
        return { ref: (pulumi.output(args) as pulumi.Output<any>).apply((k) => externalKafkaRef(k.external)), ready: pulumi.output([]) };
    }
    if (mode !== KafkaMode.Strimzi) return { ref: pulumi.output(undefined), ready: pulumi.output([]) };
    // `kafka` may itself be an Output (a Construct input with dependencies): each setting is taken from inside it.
    const given = pulumi.output(args) as pulumi.Output<any>;
    const setting = (key: string) => given.apply((k) => k?.strimzi?.[key]);
    const strimzi = new StrimziKafka(`${name}-kafka`, {
        ...Object.fromEntries(STRIMZI_INPUTS.map((key) => [key, setting(key)])),
        controllers: resolved.strimzi?.controllers,
        placement: system,
        defaultStorageClassName: blockStorageClass,
        dashboardsNamespace: prometheus && dashboards ? prometheus.namespace : undefined,
        monitoring: !!prometheus,
        monitoringReady: prometheus ? prometheus.resourceUrns : undefined,
    }, opts);
    return { strimzi, ref: strimzi.kafka, ready: strimzi.resourceUrns };
}

/**
 * Prometheus' monitor namespaces with the Kafka namespace added, where the
 * Kafka PodMonitors and alert are; unchanged when it takes every namespace
 * (unset or empty) or the environment runs no Strimzi.
 */
export function withKafkaNamespace(monitorNamespaces: pulumi.Input<pulumi.Input<string>[]> | undefined, kafka: KafkaSettings | undefined,
    resolved: any): pulumi.Input<pulumi.Input<string>[]> | undefined {
    if (resolved?.mode !== KafkaMode.Strimzi || monitorNamespaces === undefined) return monitorNamespaces;
    const ns = (pulumi.output(kafka) as pulumi.Output<any>).apply((k) => (k?.strimzi?.namespace ?? STRIMZI_DEFAULTS.namespace) as string);
    return pulumi.all([monitorNamespaces, ns]).apply(([list, n]) => (list?.length ? [...new Set([...list, n])] : list) as string[]);
}
