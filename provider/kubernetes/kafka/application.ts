// What an Application adds to the environment's Kafka: a KafkaTopic per topic
// it declares, a KafkaUser with ACLs on its topics and group when Strimzi
// authenticates clients, and the client settings its pods get as env vars
// (secret references only, never values). Pure: tested as data against the
// vendored Strimzi CRDs.
import * as pulumi from "@pulumi/pulumi";
import { stableSuffix } from "../../core/names";
import type { KafkaRef } from "../../core/types";
import { STRIMZI_API, STRIMZI_LABELS } from "./render";
import { KafkaAuthentication } from "./settings";

/** A topic the Application owns, created as a Strimzi KafkaTopic in the Kafka cluster's namespace. */
export interface KafkaTopicSpec {
    /** Kafka topic name. */
    name: pulumi.Input<string>;
    /** Partitions; can grow, never shrink (Kafka refuses). Defaults to the cluster's `num.partitions` (Kafka's default: 1). */
    partitions?: pulumi.Input<number>;
    /** Replication factor; at most the broker count. Defaults to the cluster's `default.replication.factor`. */
    replicas?: pulumi.Input<number>;
    /** Topic configuration, e.g. `{ "retention.ms": "604800000", "min.insync.replicas": "2" }`. */
    config?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PART_OF = { "app.kubernetes.io/part-of": "volley", "app.kubernetes.io/managed-by": "pulumi-volley" };

/**
 * The KafkaTopic's object name: the topic name when it is a valid Kubernetes
 * name, else a lower-cased form with a digest of the real name (Strimzi then
 * takes the topic name from `spec.topicName`). Deterministic.
 */
export function kafkaTopicObjectName(topic: string): string {
    if (topic.length <= 253 && DNS_SUBDOMAIN.test(topic)) return topic;
    const base = topic.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 200) || "topic";
    return `${base}-${stableSuffix([topic], 8)}`;
}

/** Pulumi's await on topics and users: `up` waits until Strimzi reconciled them (a refused partition decrease fails it with Strimzi's reason). */
export const ENTITY_AWAIT = { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600" };

export function renderKafkaTopic(t: { name: string; partitions?: number; replicas?: number; config?: Record<string, unknown> }, kafka: KafkaRef, owner: string): any {
    const objectName = kafkaTopicObjectName(t.name);
    const spec: Record<string, any> = {};
    if (objectName !== t.name) spec.topicName = t.name;
    if (t.partitions !== undefined) spec.partitions = t.partitions;
    if (t.replicas !== undefined) spec.replicas = t.replicas;
    if (t.config && Object.keys(t.config).length) spec.config = t.config;
    return {
        apiVersion: STRIMZI_API,
        kind: "KafkaTopic",
        metadata: {
            name: objectName, namespace: kafka.namespace,
            labels: { [STRIMZI_LABELS.cluster]: kafka.clusterName, ...PART_OF, "volley.io/application": owner },
            annotations: { ...ENTITY_AWAIT },
        },
        spec,
    };
}

/** The application's KafkaUser name, which is also its credentials Secret's name (Strimzi's default, no prefix). */
export function kafkaUserName(appName: string): string {
    return appName;
}

/**
 * A KafkaUser for the application with ACLs: read (and describe) the topics it
 * consumes, read and write the topics it declares, read its consumer group.
 * Nothing else: no wildcard, no cluster operations.
 */
export function renderKafkaUser(appName: string, kafka: KafkaRef, consumed: string[], owned: string[], group: string): any {
    const acls: any[] = [];
    for (const topic of [...new Set([...consumed, ...owned])].sort()) {
        const ops = owned.includes(topic) ? ["Describe", "Read", "Write"] : ["Describe", "Read"];
        acls.push({ type: "allow", resource: { type: "topic", name: topic, patternType: "literal" }, operations: ops });
    }
    acls.push({ type: "allow", resource: { type: "group", name: group, patternType: "literal" }, operations: ["Describe", "Read"] });
    return {
        apiVersion: STRIMZI_API,
        kind: "KafkaUser",
        metadata: {
            name: kafkaUserName(appName), namespace: kafka.namespace,
            labels: { [STRIMZI_LABELS.cluster]: kafka.clusterName, ...PART_OF },
            annotations: { ...ENTITY_AWAIT },
        },
        spec: {
            authentication: { type: kafka.authentication },
            authorization: { type: "simple", acls },
        },
    };
}

/**
 * Env vars that carry the client settings to the pods. The operator guide
 * documents none, so the names follow its own example (`KAFKA_BOOTSTRAP_SERVERS`):
 * `KAFKA_` + the librdkafka property, upper-cased with "_" for ".". An env var
 * of the same name in the Application's `env` wins.
 */
export const KAFKA_CLIENT_ENV = {
    securityProtocol: "KAFKA_SECURITY_PROTOCOL",
    saslMechanism: "KAFKA_SASL_MECHANISM",
    saslUsername: "KAFKA_SASL_USERNAME",
    saslPassword: "KAFKA_SASL_PASSWORD",
    caPem: "KAFKA_SSL_CA_PEM",
    certificatePem: "KAFKA_SSL_CERTIFICATE_PEM",
    keyPem: "KAFKA_SSL_KEY_PEM",
} as const;

/** Strimzi's KafkaUser Secret keys (documentation, "Securing client access"): SCRAM `password`; mTLS `user.crt`, `user.key`. */
const USER_SECRET_KEYS = { password: "password", certificate: "user.crt", key: "user.key" };

/** The env vars for `kafka`'s security settings; none for a plain, unauthenticated cluster. */
export function kafkaClientEnv(kafka: KafkaRef | undefined, appName: string): any[] {
    if (!kafka || kafka.securityProtocol === "PLAINTEXT") return [];
    const E = KAFKA_CLIENT_ENV;
    const ref = (s: { name: string; key: string }) => ({ valueFrom: { secretKeyRef: { name: s.name, key: s.key } } });
    const out: any[] = [{ name: E.securityProtocol, value: kafka.securityProtocol }];
    if (kafka.saslMechanism) out.push({ name: E.saslMechanism, value: kafka.saslMechanism });
    if (kafka.caSecret) out.push({ name: E.caPem, ...ref(kafka.caSecret) });
    const user = kafkaUserName(appName);
    if (kafka.mode === "strimzi" && kafka.authentication === KafkaAuthentication.ScramSha512) {
        // Strimzi's SCRAM user name is the KafkaUser's name; only the password is secret.
        out.push({ name: E.saslUsername, value: user }, { name: E.saslPassword, ...ref({ name: user, key: USER_SECRET_KEYS.password }) });
    } else if (kafka.mode === "strimzi" && kafka.authentication === KafkaAuthentication.Tls) {
        out.push({ name: E.certificatePem, ...ref({ name: user, key: USER_SECRET_KEYS.certificate }) }, { name: E.keyPem, ...ref({ name: user, key: USER_SECRET_KEYS.key }) });
    } else {
        if (kafka.usernameSecret) out.push({ name: E.saslUsername, ...ref(kafka.usernameSecret) });
        if (kafka.passwordSecret) out.push({ name: E.saslPassword, ...ref(kafka.passwordSecret) });
    }
    return out;
}

/** Whether an application gets a KafkaUser: Strimzi with client authentication, and the app uses Kafka. */
export function needsKafkaUser(kafka: KafkaRef | undefined, usesKafka: boolean): boolean {
    return !!kafka && kafka.mode === "strimzi" && !!kafka.authentication && kafka.authentication !== KafkaAuthentication.None && usesKafka;
}
