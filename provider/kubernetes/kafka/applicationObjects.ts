// The Kafka objects an Application owns: its KafkaTopics and, with Strimzi
// authentication, its KafkaUser. Which exist is decided by construct-time
// values (the topic names; whether the environment authenticates clients).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { known } from "../../core/validate";
import type { EnvironmentRef } from "../../core/types";
import { completeKafka } from "../render/application";
import { needsKafkaUser, renderKafkaTopic, renderKafkaUser } from "./application";
import { STRIMZI_API } from "./render";

/**
 * Creates the application's KafkaTopics (retained on delete by default:
 * deleting one deletes the topic and its data) and KafkaUser. Returns them,
 * for the VolleyApplication to wait for. `r` are the resolved inputs,
 * `envValue` the environment's construct-time value (undefined while unknown).
 */
export function applicationKafkaObjects(name: string, args: any, r: any, envValue: EnvironmentRef | undefined,
    publicEnv: pulumi.Output<any>, appName: pulumi.Output<string>, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const out: pulumi.Resource[] = [];
    const topics: any[] = known(r.kafkaTopics) && Array.isArray(r.kafkaTopics) ? r.kafkaTopics.filter((t: any) => known(t) && typeof t.name === "string") : [];
    const retain = r.retainKafkaTopics ?? true;
    topics.forEach((t) => {
        const manifest = pulumi.all([publicEnv, appName, pulumi.output(args.kafkaTopics)]).apply(([e, n, given]) => {
            const spec = (given as any[]).find((x) => x?.name === t.name) ?? t;
            return renderKafkaTopic(spec, e.kafka ?? {}, n);
        });
        out.push(new k8s.apiextensions.CustomResource(`${name}-topic-${t.name}`, {
            apiVersion: STRIMZI_API, kind: "KafkaTopic", metadata: manifest.apply((m) => m.metadata), spec: manifest.apply((m) => m.spec),
        }, { ...opts, retainOnDelete: retain }));
    });
    const usesKafka = known(r.kafka) || topics.length > 0;
    if (needsKafkaUser(envValue?.kafka, usesKafka)) {
        const user = pulumi.all([publicEnv, appName, pulumi.output(args.kafka)]).apply(([e, n, k]) => {
            const kafka = completeKafka(k ?? {}, e, n);
            return renderKafkaUser(n, e.kafka, (kafka.topics ?? []) as string[], topics.map((t) => t.name), kafka.consumerGroup ?? n);
        });
        out.push(new k8s.apiextensions.CustomResource(`${name}-kafka-user`, {
            apiVersion: STRIMZI_API, kind: "KafkaUser", metadata: user.apply((m) => m.metadata), spec: user.apply((m) => m.spec),
        }, opts));
    }
    return out;
}
