// Validation of Kafka: the environment's `kafka` input, and the limits across
// layers an Application meets (brokers, replication, partitions, where its
// credentials are). Pure: resolved inputs in, issues out.
import { Checker, Issue, UNKNOWN, known, path } from "../../core/validate";
import { checkTaints } from "../../core/scheduling";
import { checkChart } from "../validate/chart";
import { replicationDefaults } from "./render";
import { KafkaAuthentication, KafkaMode, STRIMZI_KAFKA_VERSIONS } from "./settings";

export const KAFKA_MODES = Object.values(KafkaMode);
export const AUTHENTICATIONS = Object.values(KafkaAuthentication);
export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] as const;
/**
 * The cluster name prefixes Strimzi's object names and label values, the
 * longest being `<cluster>-kafka-bootstrap` and `<cluster>-entity-operator`
 * (16 characters added), which must stay DNS labels of 63.
 */
export const MAX_CLUSTER_NAME = 47;
/** Kafka's topic names: letters, digits, ".", "_", "-", at most 249, not "." or ".." (Kafka's Topic.validate). */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const HOST_PORT = /^[^\s,:]+:\d{1,5}$/;

const is = (v: unknown) => v !== undefined && v !== null;
const num = (v: unknown) => (known(v) && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);

function checkSecretKey(c: Checker, p: string, s: any): void {
    if (!known(s)) return;
    c.required(path(p, "name"), s.name, "the Secret name") && c.dnsSubdomain(path(p, "name"), s.name);
    c.required(path(p, "key"), s.key, "the key within the Secret");
}

function checkResources(c: Checker, p: string, r: any): void {
    if (!known(r)) return;
    for (const kind of ["requests", "limits"]) {
        if (!known(r[kind])) continue;
        for (const [n, q] of Object.entries(r[kind])) c.quantity(path(p, kind, n), q);
    }
}

/**
 * Replication settings of a Strimzi cluster against its brokers: a factor
 * above the broker count cannot be met, and min.insync.replicas equal to the
 * factor stops every acks=all producer while one broker restarts.
 */
function checkReplication(c: Checker, p: string, brokers: number, config: Record<string, unknown>): void {
    const merged = { ...replicationDefaults(brokers), ...config } as Record<string, unknown>;
    for (const key of ["default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor"]) {
        const rf = num(merged[key]);
        if (rf !== undefined && rf > brokers) {
            c.fail(path(p, "config", key), `must be at most the broker count (${brokers}); got ${rf}: Kafka cannot place more replicas than brokers. Lower it or raise \`brokers\``);
        }
    }
    const rf = num(merged["default.replication.factor"]);
    const isr = num(merged["min.insync.replicas"]);
    if (rf !== undefined && isr !== undefined && rf > 1 && isr >= rf) {
        c.fail(path(p, "config", "min.insync.replicas"), `must be below default.replication.factor (${rf}); got ${isr}: with every replica required, one broker restart stops all acks=all producers. Use ${rf - 1}`);
    }
}

function checkStrimzi(c: Checker, p: string, s: any): void {
    if (!known(s)) return;
    checkChart(c, p, s);
    c.dnsLabel(path(p, "namespace"), s.namespace);
    c.dnsLabel(path(p, "clusterName"), s.clusterName, MAX_CLUSTER_NAME);
    c.integer(path(p, "brokers"), s.brokers, 1, 100);
    if (s.controllers !== undefined) {
        if (typeof s.controllers !== "number" || !Number.isInteger(s.controllers) || s.controllers < 0 || s.controllers > 9 || (s.controllers > 0 && s.controllers % 2 === 0)) {
            c.fail(path(p, "controllers"), `must be 0 (the brokers are also the KRaft controllers) or an odd count from 1 to 9 such as 3 or 5 (a quorum of n survives (n-1)/2 failures); got ${JSON.stringify(s.controllers)}`);
        }
    }
    for (const st of ["brokerStorage", "controllerStorage"]) {
        const v = s[st];
        if (!known(v)) continue;
        c.quantity(path(p, st, "size"), v.size);
        c.dnsSubdomain(path(p, st, "storageClassName"), v.storageClassName);
    }
    if (is(s.controllerStorage) && (s.controllers ?? 0) === 0) c.fail(path(p, "controllerStorage"), "applies only with dedicated `controllers`; with 0 the brokers keep the metadata on `brokerStorage`");
    checkResources(c, path(p, "brokerResources"), s.brokerResources);
    checkResources(c, path(p, "controllerResources"), s.controllerResources);
    if (known(s.nodes)) {
        c.labels(path(p, "nodes", "labels"), s.nodes.labels);
        if (known(s.nodes.labels) && Object.keys(s.nodes.labels).length === 0) c.fail(path(p, "nodes", "labels"), "must have at least one label, or brokers could land on stream nodes");
        checkTaints(c, path(p, "nodes", "taints"), s.nodes.taints);
    }
    c.oneOf(path(p, "authentication"), s.authentication, AUTHENTICATIONS);
    if (known(s.kafkaVersion) && !(s.kafkaVersion in STRIMZI_KAFKA_VERSIONS)) {
        c.fail(path(p, "kafkaVersion"), `must be a Kafka version Strimzi 1.2.0 supports: ${Object.keys(STRIMZI_KAFKA_VERSIONS).join(", ")}; got ${JSON.stringify(s.kafkaVersion)}`);
    }
    if (known(s.config)) {
        if (typeof s.config !== "object" || Array.isArray(s.config)) c.fail(path(p, "config"), "must be an object of broker settings");
        else if (known(s.brokers) || s.brokers === undefined) checkReplication(c, p, s.brokers ?? 3, s.config);
    }
}

function checkExternal(c: Checker, p: string, e: any): void {
    if (!c.required(p, e, "the external cluster's `bootstrapServers` (and its TLS/SASL settings)") || !known(e)) return;
    if (c.required(path(p, "bootstrapServers"), e.bootstrapServers, "host:port[,host:port...]") && known(e.bootstrapServers)) {
        const bad = String(e.bootstrapServers).split(",").filter((x) => !HOST_PORT.test(x.trim()));
        if (bad.length) c.fail(path(p, "bootstrapServers"), `must be host:port[,host:port...] such as "b-1.msk.example:9096"; got ${JSON.stringify(e.bootstrapServers)}`);
    }
    checkSecretKey(c, path(p, "caSecret"), e.caSecret);
    if (known(e.sasl)) {
        c.required(path(p, "sasl", "mechanism"), e.sasl.mechanism, SASL_MECHANISMS.join(", ")) && c.oneOf(path(p, "sasl", "mechanism"), e.sasl.mechanism, SASL_MECHANISMS);
        checkSecretKey(c, path(p, "sasl", "usernameSecret"), e.sasl.usernameSecret);
        checkSecretKey(c, path(p, "sasl", "passwordSecret"), e.sasl.passwordSecret);
    }
    if (e.tls === false && (is(e.caSecret) || is(e.sasl))) c.fail(path(p, "tls"), "must not be false with `caSecret` or `sasl`: credentials and certificates need TLS");
    c.integer(path(p, "brokers"), e.brokers, 1);
}

/** The `kafka` input of an environment; `p` is its property path. */
export function checkKafkaSettings(c: Checker, p: string, k: any): void {
    if (!known(k)) return;
    if (!c.required(path(p, "mode"), k.mode, KAFKA_MODES.join(" or "))) return;
    if (k.mode === UNKNOWN || typeof k.mode !== "string") { c.fail(path(p, "mode"), "must be a plain string (it decides which resources exist)"); return; }
    if (!c.oneOf(path(p, "mode"), k.mode, KAFKA_MODES)) return;
    if (k.mode === KafkaMode.Strimzi) {
        if (is(k.external)) c.fail(path(p, "external"), "applies only with mode \"external\"");
        checkStrimzi(c, path(p, "strimzi"), k.strimzi);
    } else {
        if (is(k.strimzi)) c.fail(path(p, "strimzi"), "applies only with mode \"strimzi\"");
        checkExternal(c, path(p, "external"), k.external);
    }
}

/** StrimziKafka inputs (the building block). */
export function validateStrimziKafka(a: any): Issue[] {
    const c = new Checker();
    checkStrimzi(c, "", a);
    return c.issues;
}

/**
 * What an Application's Kafka must fit: its declared topics against the
 * brokers and the cluster's replication settings, its replicas against the
 * partitions of the topics it consumes (KEDA silently caps replicas at the
 * partition count, keda-docs#153), and, with Strimzi authentication, the
 * namespace its credentials are in. `env` may be UNKNOWN (preview).
 */
export function checkApplicationKafka(c: Checker, a: any, env: any): void {
    const topics = a.kafkaTopics;
    const kafka = known(env) ? env.kafka : env === UNKNOWN ? UNKNOWN : undefined;
    const strimzi = known(kafka) && kafka.mode === KafkaMode.Strimzi;
    const declared = new Map<string, any>();
    if (known(topics)) {
        if (!Array.isArray(topics)) { c.fail("kafkaTopics", "must be a list of topics"); return; }
        if (topics.length && known(env) && !strimzi) {
            c.fail("kafkaTopics", `needs an environment whose Kafka is Strimzi (its Topic Operator creates KafkaTopics); environment "${env.name}" has ${known(kafka) ? `mode "${kafka.mode}"` : "no Kafka"}: create the topics with your cluster's own tools and list them in \`kafka.topics\``);
        }
        topics.forEach((t: any, i: number) => {
            if (!known(t)) return;
            const p = path("kafkaTopics", i);
            if (c.required(path(p, "name"), t.name, "the Kafka topic name") && known(t.name)) {
                if (typeof t.name !== "string" || !TOPIC_NAME.test(t.name) || t.name === "." || t.name === "..") {
                    c.fail(path(p, "name"), `must be a Kafka topic name (letters, digits, ".", "_", "-", at most 249 characters); got ${JSON.stringify(t.name)}`);
                } else if (declared.has(t.name)) c.fail(path(p, "name"), `duplicates ${JSON.stringify(t.name)}`);
                else declared.set(t.name, t);
            }
            c.integer(path(p, "partitions"), t.partitions, 1, 1000000);
            c.integer(path(p, "replicas"), t.replicas, 1, 32767);
            if (known(t.config) && (typeof t.config !== "object" || Array.isArray(t.config))) c.fail(path(p, "config"), "must be an object of topic settings");
            if (!strimzi) return;
            const brokers = num(kafka.brokers);
            const rf = num(t.replicas) ?? num(kafka.defaultReplicationFactor);
            if (brokers !== undefined && rf !== undefined && rf > brokers) {
                c.fail(path(p, known(t.replicas) ? "replicas" : "name"), `replication factor ${rf} exceeds the ${brokers} broker(s) of environment "${env.name}": Kafka cannot create the topic. Lower \`replicas\` or add brokers`);
            }
            const ownIsr = known(t.config) ? num(t.config["min.insync.replicas"]) : undefined;
            const isr = ownIsr ?? num(kafka.minInsyncReplicas);
            if (rf !== undefined && isr !== undefined && rf > 1 && isr >= rf) {
                c.fail(path(p, ownIsr !== undefined ? "config" : "replicas", ...(ownIsr !== undefined ? ["min.insync.replicas"] : [])),
                    `min.insync.replicas ${isr}${ownIsr === undefined ? " (the cluster's)" : ""} must be below the replication factor ${rf}: otherwise one broker restart stops every acks=all producer. ` +
                    (ownIsr === undefined ? `Set \`replicas\` above ${isr} or \`config["min.insync.replicas"]\` below ${rf}` : `Use at most ${rf - 1}`));
            }
        });
    }

    // Replicas against the partitions of consumed topics the package knows (declared here).
    const consumed = new Set<string>();
    if (known(a.kafka) && Array.isArray(a.kafka.topics)) a.kafka.topics.filter((x: unknown) => typeof x === "string").forEach((x: string) => consumed.add(x));
    const as = a.autoscaling;
    if (known(as) && Array.isArray(as.triggers)) {
        as.triggers.forEach((t: any) => { if (known(t) && t.type === "kafka" && known(t.metadata) && typeof t.metadata.topic === "string") consumed.add(t.metadata.topic); });
    }
    const defaultPartitions = known(kafka) ? num(kafka.defaultPartitions) : undefined;
    for (const topic of consumed) {
        const t = declared.get(topic);
        if (!t || t.partitions === UNKNOWN) continue;
        const partitions = num(t.partitions) ?? defaultPartitions;
        if (partitions === undefined) continue;
        const tail = `topic "${topic}" has ${partitions} partition(s)${num(t.partitions) === undefined ? " (the cluster default)" : ""}; a consumer group uses at most one consumer per partition. Raise its \`partitions\` (it can only grow) or lower the replicas`;
        if (known(a.replicas) && a.replicas > partitions) c.fail("replicas", `must be at most ${partitions}: ${tail}`);
        if (known(as) && as.enabled === true && as.maxReplicas !== UNKNOWN) {
            const max = num(as.maxReplicas) ?? 10;
            if (max > partitions) c.fail("autoscaling.maxReplicas", `must be at most ${partitions}${known(as.maxReplicas) ? "" : " (the default is 10)"}: KEDA silently caps at the partition count (keda-docs#153); ${tail}`);
        }
    }

    if (!known(kafka) || !strimzi || kafka.authentication === KafkaAuthentication.None || !known(kafka.authentication)) return;
    const usesKafka = known(a.kafka) || (known(topics) && topics.length > 0);
    if (!usesKafka) return;
    // The User Operator writes each KafkaUser's Secret in the Kafka namespace, and pods read Secrets of their own namespace only.
    const ns = known(a.namespace) ? a.namespace : a.namespace === UNKNOWN ? UNKNOWN : "default";
    if (ns !== UNKNOWN && ns !== kafka.namespace) {
        c.fail("namespace", `must be "${kafka.namespace}": environment "${env.name}" runs Kafka with ${kafka.authentication} authentication, and the application's credentials (its KafkaUser's Secret) and the cluster CA are in the Kafka namespace, which pods of other namespaces cannot read. Deploy it there, or turn authentication off`);
    }
    if (known(as) && as.enabled === true && Array.isArray(as.triggers)) {
        as.triggers.forEach((t: any, i: number) => {
            if (known(t) && t.type === "kafka" && !is(t.authenticationRef)) {
                c.fail(path("autoscaling.triggers", i, "authenticationRef"), `required: environment "${env.name}" runs Kafka with ${kafka.authentication} authentication on TLS, so KEDA's kafka scaler needs a TriggerAuthentication with the credentials; ` +
                    "or scale with a prometheus trigger on Kafka Exporter's `kafka_consumergroup_lag`, which needs none");
            }
        });
    }
}
