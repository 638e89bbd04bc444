// Validation tables: each bad input must be rejected with the exact property
// path and a reason that says what is allowed; each good input must pass.
import * as assert from "assert";
import { chartYaml } from "./charts";
import { applicationWarnings, validateApplication } from "../../provider/kubernetes/validate/application";
import { UNKNOWN, resolveInputs } from "../../provider/core/validate";
import {
    validateKeda, validateKubernetesEnvironment, validateOperator, validatePrometheusStack, validateSharedCheckpointVolume,
} from "../../provider/kubernetes/validate/platform";
import * as pulumi from "@pulumi/pulumi";

export const ENV = {
    name: "dev",
    kubeconfig: "",
    operatorNamespace: "volley-system",
    crdName: "volleyapplications.volley.io",
    checkpoints: { kind: "StorageClass", storageClassName: "efs-rwx", defaultSize: "50Gi" },
    streamPlacement: { nodeSelector: { "volley.io/pool": "stream-processing" }, tolerations: [] },
    systemPlacement: { nodeSelector: {}, tolerations: [] },
    kedaEnabled: true,
    prometheusEnabled: true,
};

export const GOOD_APP = {
    environment: ENV,
    image: "registry.example.com/my-volley-app:v1.0",
    resources: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "4", memory: "8Gi" } },
};

/** Deep-sets `path` (dots) on a copy of `obj`. */
function with_(obj: any, path: string, value: unknown): any {
    const copy = JSON.parse(JSON.stringify(obj));
    const keys = path.split(".");
    let at = copy;
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    if (value === undefined) delete at[keys[keys.length - 1]];
    else at[keys[keys.length - 1]] = value;
    return copy;
}

type Case = [title: string, input: any, path: string, reason: RegExp];

const distributed = { ...GOOD_APP, replicas: 3, cluster: {} };
const kafkaTrigger = { type: "kafka", metadata: { bootstrapServers: "kafka:9092", consumerGroup: "g", topic: "t", lagThreshold: "1000" } };
const autoscaled = { ...distributed, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 10, triggers: [kafkaTrigger] } };

const APP_CASES: Case[] = [
    ["missing image", with_(GOOD_APP, "image", undefined), "image", /required/],
    ["empty image", with_(GOOD_APP, "image", ""), "image", /required/],
    ["missing resources", with_(GOOD_APP, "resources", undefined), "resources", /required/],
    ["resources with neither requests nor limits", with_(GOOD_APP, "resources", {}), "resources", /requests, limits or both/],
    ["bad quantity '4 GB'", with_(GOOD_APP, "resources.requests.memory", "4 GB"), "resources.requests.memory", /Kubernetes quantity/],
    ["bad limit quantity", with_(GOOD_APP, "resources.limits.cpu", "lots"), "resources.limits.cpu", /quantity/],
    ["replicas 0", { ...GOOD_APP, replicas: 0 }, "replicas", /integer >= 1/],
    ["replicas 1.5", { ...GOOD_APP, replicas: 1.5 }, "replicas", /integer/],
    ["replicas > 1 without cluster", { ...GOOD_APP, replicas: 3 }, "replicas", /needs `cluster`/],
    ["bad pull policy", { ...GOOD_APP, imagePullPolicy: "Sometimes" }, "imagePullPolicy", /Always, IfNotPresent, Never/],
    ["pull secret without name", { ...GOOD_APP, imagePullSecrets: [{}] }, "imagePullSecrets[0].name", /required/],
    ["env with value and valueFrom", { ...GOOD_APP, env: [{ name: "A", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }, "env[0].value", /must be empty when `valueFrom` is set/],
    ["valueFrom with no source", { ...GOOD_APP, env: [{ name: "A", valueFrom: {} }] }, "env[0].valueFrom", /exactly one of configMapKeyRef, fieldRef, resourceFieldRef, secretKeyRef/],
    ["resourceFieldRef of an unknown resource", { ...GOOD_APP, env: [{ name: "M", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } }] }, "env[0].valueFrom.resourceFieldRef.resource", /requests.<name> or limits.<name>/],
    ["resourceFieldRef without resource", { ...GOOD_APP, env: [{ name: "M", valueFrom: { resourceFieldRef: { containerName: "app" } } }] }, "env[0].valueFrom.resourceFieldRef.resource", /required/],
    ["resourceFieldRef divisor '1 Mi'", { ...GOOD_APP, env: [{ name: "M", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1 Mi" } } }] }, "env[0].valueFrom.resourceFieldRef.divisor", /quantity/],
    ["env without name", { ...GOOD_APP, env: [{ value: "1" }] }, "env[0].name", /required/],
    ["duplicate env", { ...GOOD_APP, env: [{ name: "A", value: "1" }, { name: "A", value: "2" }] }, "env[1].name", /duplicates/],
    ["secretKeyRef without key", { ...GOOD_APP, env: [{ name: "P", valueFrom: { secretKeyRef: { name: "db" } } }] }, "env[0].valueFrom.secretKeyRef.key", /required/],
    ["valueFrom with two sources", { ...GOOD_APP, env: [{ name: "P", valueFrom: { secretKeyRef: { name: "a", key: "b" }, configMapKeyRef: { name: "c", key: "d" } } }] }, "env[0].valueFrom", /exactly one of configMapKeyRef, fieldRef, resourceFieldRef, secretKeyRef/],
    ["state size '10 GB'", { ...GOOD_APP, state: { size: "10 GB" } }, "state.size", /quantity/],
    ["relative mount path", { ...GOOD_APP, checkpoints: { mountPath: "var/ckpt" } }, "checkpoints.mountPath", /absolute path/],
    ["metrics port 70000", { ...GOOD_APP, observability: { metricsPort: 70000 } }, "observability.metricsPort", /from 1 to 65535/],
    ["health port 0", { ...GOOD_APP, health: { port: 0 } }, "health.port", /from 1 to 65535/],
    ["metrics port equals health port", { ...GOOD_APP, observability: { metricsPort: 8080 } }, "observability.metricsPort", /must differ from health.port/],
    ["bad scrape interval", { ...GOOD_APP, observability: { serviceMonitor: { interval: "15 seconds" } } }, "observability.serviceMonitor.interval", /duration/],
    ["serviceMonitor without Prometheus", { ...GOOD_APP, environment: { ...ENV, prometheusEnabled: false }, observability: { serviceMonitor: { enabled: true } } }, "observability.serviceMonitor.enabled", /has no Prometheus/],
    ["periodSeconds 0", { ...GOOD_APP, health: { periodSeconds: 0 } }, "health.periodSeconds", /integer >= 1/],
    ["bad node selector key", { ...GOOD_APP, isolation: { nodeSelector: { "volley.io/pool/x": "a" } } }, "isolation.nodeSelector.volley.io/pool/x", /qualified name/],
    ["bad node selector value", { ...GOOD_APP, isolation: { nodeSelector: { pool: "has space" } } }, "isolation.nodeSelector.pool", /label value/],
    ["toleration effect misspelled", { ...GOOD_APP, isolation: { tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NO_SCHEDULE" }] } }, "isolation.tolerations[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
    ["toleration Exists with value", { ...GOOD_APP, isolation: { tolerations: [{ key: "k", operator: "Exists", value: "v" }] } }, "isolation.tolerations[0].value", /empty when operator is "Exists"/],
    ["toleration operator unknown", { ...GOOD_APP, isolation: { tolerations: [{ key: "k", operator: "In" }] } }, "isolation.tolerations[0].operator", /Equal, Exists/],
    ["empty kafka topics", { ...GOOD_APP, kafka: { topics: [] } }, "kafka.topics", /at least one topic/],
    ["environment.kubernetesProviderUrn not a provider URN", { ...GOOD_APP, environment: { ...ENV, kubernetesProviderUrn: "urn:pulumi:dev::p::volley:index:KubernetesEnvironment::dev" } }, "environment.kubernetesProviderUrn", /URN of a Kubernetes provider/],
    ["autoscaling without KEDA", { ...autoscaled, environment: { ...ENV, kedaEnabled: false } }, "autoscaling.enabled", /has no KEDA/],
    ["autoscaling without cluster", with_(autoscaled, "cluster", undefined), "autoscaling.enabled", /needs `cluster`/],
    ["minReplicas > maxReplicas", with_(autoscaled, "autoscaling.minReplicas", 12), "autoscaling.minReplicas", /<= autoscaling.maxReplicas \(10\)/],
    ["maxReplicas 0", with_(autoscaled, "autoscaling.maxReplicas", 0), "autoscaling.maxReplicas", /integer >= 1/],
    ["autoscaling without triggers", with_(autoscaled, "autoscaling.triggers", []), "autoscaling.triggers", /at least one of kafka, prometheus, cpu, memory/],
    ["unknown trigger type", with_(autoscaled, "autoscaling.triggers", [{ type: "sqs", metadata: {} }]), "autoscaling.triggers[0].type", /kafka, prometheus, cpu, memory/],
    ["kafka trigger without servers, no `kafka`", with_(autoscaled, "autoscaling.triggers", [{ type: "kafka", metadata: { consumerGroup: "g", topic: "t" } }]), "autoscaling.triggers[0].metadata.bootstrapServers", /required for a kafka trigger; set it here or in `kafka.bootstrapServers`/],
    ["kafka trigger without group, `kafka` without one either", { ...with_(autoscaled, "autoscaling.triggers", [{ type: "kafka", metadata: { topic: "t" } }]), kafka: { bootstrapServers: "kafka:9092", topics: ["t"] } }, "autoscaling.triggers[0].metadata.consumerGroup", /set it here or in `kafka.consumerGroup`/],
    ["prometheus trigger without serverAddress, environment without Prometheus URL", with_(autoscaled, "autoscaling.triggers", [{ type: "prometheus", metadata: { query: "up", threshold: "1" } }]), "autoscaling.triggers[0].metadata.serverAddress", /environment "dev" has no Prometheus URL/],
    ["cpu trigger with metricType Value", with_(autoscaled, "autoscaling.triggers", [{ type: "cpu", metricType: "Value", metadata: { value: "60" } }]), "autoscaling.triggers[0].metricType", /Utilization, AverageValue/],
    ["kafka trigger with metricType Utilization", with_(autoscaled, "autoscaling.triggers", [{ ...kafkaTrigger, metricType: "Utilization" }]), "autoscaling.triggers[0].metricType", /AverageValue, Value/],
    ["cpu trigger with deprecated metadata.type Value", with_(autoscaled, "autoscaling.triggers", [{ type: "cpu", metadata: { type: "Value", value: "60" } }]), "autoscaling.triggers[0].metadata.type", /Utilization, AverageValue/],
    ["memory AverageValue not a quantity", with_(autoscaled, "autoscaling.triggers", [{ type: "memory", metricType: "AverageValue", metadata: { value: "3 GiB" } }]), "autoscaling.triggers[0].metadata.value", /quantity/],
    ["cpu Utilization not a number", with_(autoscaled, "autoscaling.triggers", [{ type: "cpu", metricType: "Utilization", metadata: { value: "60%" } }]), "autoscaling.triggers[0].metadata.value", /number in a string/],
    ["authenticationRef kind unknown", with_(autoscaled, "autoscaling.triggers", [{ ...kafkaTrigger, authenticationRef: { name: "a", kind: "Secret" } }]), "autoscaling.triggers[0].authenticationRef.kind", /TriggerAuthentication, ClusterTriggerAuthentication/],
    ["authenticationRef without name", with_(autoscaled, "autoscaling.triggers", [{ ...kafkaTrigger, authenticationRef: {} }]), "autoscaling.triggers[0].authenticationRef.name", /required/],
    ["prometheus trigger without query", with_(autoscaled, "autoscaling.triggers", [{ type: "prometheus", metadata: { serverAddress: "http://p:9090", threshold: "0.8" } }]), "autoscaling.triggers[0].metadata.query", /required for a prometheus trigger/],
    ["non-numeric lagThreshold", with_(autoscaled, "autoscaling.triggers", [{ ...kafkaTrigger, metadata: { ...kafkaTrigger.metadata, lagThreshold: "lots" } }]), "autoscaling.triggers[0].metadata.lagThreshold", /number in a string/],
    ["maxKeyGroups 100", { ...distributed, cluster: { maxKeyGroups: 100 } }, "cluster.maxKeyGroups", /power of two/],
    ["maxKeyGroups 65536", { ...distributed, cluster: { maxKeyGroups: 65536 } }, "cluster.maxKeyGroups", /power of two from 1 to 32768/],
    ["flight port 0", { ...distributed, cluster: { flightPort: 0 } }, "cluster.flightPort", /from 1 to 65535/],
    ["flight port equals metrics port", { ...distributed, cluster: { flightPort: 9090 } }, "cluster.flightPort", /must differ from observability.metricsPort/],
    ["cluster without storage or claim", { ...distributed, environment: { ...ENV, checkpoints: undefined } }, "cluster.sharedCheckpoints.claimName", /has no shared checkpoint storage/],
    ["bad claim name", { ...distributed, cluster: { sharedCheckpoints: { claimName: "Bad_Name" } } }, "cluster.sharedCheckpoints.claimName", /DNS-1123 subdomain/],
    ["name too long", { ...GOOD_APP, name: "a".repeat(53) }, "name", /at most 52 characters/],
    ["upper-case name", { ...GOOD_APP, name: "MyPipeline" }, "name", /DNS-1123 label/],
    ["bad namespace", { ...GOOD_APP, namespace: "team_a" }, "namespace", /DNS-1123 label/],
    ["bad label key", { ...GOOD_APP, labels: { "-team": "a" } }, "labels.-team", /qualified name/],
    ["bad annotation key", { ...GOOD_APP, annotations: { "a/b/c": "x" } }, "annotations.a/b/c", /qualified name/],
    ["bad otlp endpoint", { ...GOOD_APP, observability: { otlpEndpoint: "otel:4317" } }, "observability.otlpEndpoint", /http\(s\) URL/],
    ["await timeout 0", { ...GOOD_APP, awaitTimeoutSeconds: 0 }, "awaitTimeoutSeconds", /integer >= 1/],
    ["missing environment", with_(GOOD_APP, "environment", undefined), "environment", /required/],
];

describe("validateApplication", () => {
    it("accepts the minimal my-pipeline inputs", () => {
        assert.deepStrictEqual(validateApplication(GOOD_APP, ENV), []);
    });

    it("accepts an environment's provider URN, top-level or under a parent", () => {
        for (const urn of ["urn:pulumi:dev::p::volley:index:KubernetesEnvironment$pulumi:providers:kubernetes::dev-k8s", "urn:pulumi:dev::p::pulumi:providers:kubernetes::mine"]) {
            assert.deepStrictEqual(validateApplication(GOOD_APP, { ...ENV, kubernetesProviderUrn: urn }), []);
        }
    });

    it("accepts a distributed, autoscaled application", () => {
        assert.deepStrictEqual(validateApplication(autoscaled, ENV), []);
    });

    it("accepts a kafka trigger that takes servers and group from `kafka`", () => {
        const a = with_(autoscaled, "autoscaling.triggers", [{ type: "kafka", metadata: { topic: "t", lagThreshold: "5" } }]);
        a.kafka = { bootstrapServers: "kafka:9092", consumerGroup: "g", topics: ["t"] };
        assert.deepStrictEqual(validateApplication(a, ENV), []);
    });

    // What Kubernetes and KEDA accept must pass: shapes from their documentation.
    const ACCEPTED: [string, any][] = [
        ["limits only (Kubernetes sets requests to the limits)", with_(GOOD_APP, "resources", { limits: { memory: "1Gi" } })],
        ["an env entry with only a name", { ...GOOD_APP, env: [{ name: "EMPTY" }] }],
        ["an empty value next to valueFrom", { ...GOOD_APP, env: [{ name: "A", value: "", valueFrom: { configMapKeyRef: { name: "special-config", key: "special.how" } } }] }],
        // kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/ (dapi-envars-container.yaml)
        ["downward API env (fieldRef, resourceFieldRef)", { ...GOOD_APP, env: [
            { name: "MY_NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
            { name: "MY_CPU_REQUEST", valueFrom: { resourceFieldRef: { containerName: "test-container", resource: "requests.cpu" } } },
            { name: "MY_MEM_LIMIT", valueFrom: { resourceFieldRef: { containerName: "test-container", resource: "limits.memory", divisor: "1Mi" } } },
        ] }],
        // keda.sh/docs/2.18/scalers/apache-kafka: topic and lagThreshold are optional.
        ["a kafka trigger without topic or lagThreshold", with_(autoscaled, "autoscaling.triggers", [{ type: "kafka", metadata: { bootstrapServers: "kafka.svc:9092", consumerGroup: "my-group" } }])],
        // keda.sh/docs/2.18/scalers/cpu, /memory
        ["a cpu trigger without metricType (the package sets Utilization)", with_(autoscaled, "autoscaling.triggers", [{ type: "cpu", metadata: { value: "70" } }])],
        ["a memory trigger with AverageValue and a quantity", with_(autoscaled, "autoscaling.triggers", [{ type: "memory", metricType: "AverageValue", metadata: { value: "3Gi" } }])],
        ["a kafka trigger with a ClusterTriggerAuthentication", with_(autoscaled, "autoscaling.triggers", [{ ...kafkaTrigger, authenticationRef: { name: "kafka-creds", kind: "ClusterTriggerAuthentication" } }])],
        ["a prometheus trigger on the environment's Prometheus", { ...with_(autoscaled, "autoscaling.triggers", [{ type: "prometheus", metadata: { query: "up", threshold: "1" } }]),
            environment: { ...ENV, prometheusUrl: "http://dev-prometheus-chart-kube-prometheus.monitoring.svc:9090" } }],
        ["a kafka trigger whose servers come from a `kafka` not known yet", { ...with_(autoscaled, "autoscaling.triggers", [{ type: "kafka", metadata: { topic: "t" } }]), kafka: UNKNOWN }],
        ["a prometheus trigger in an environment not known yet", { ...with_(autoscaled, "autoscaling.triggers", [{ type: "prometheus", metadata: { query: "up", threshold: "1" } }]), environment: UNKNOWN }],
    ];
    for (const [title, input] of ACCEPTED) {
        it(`accepts ${title}`, () => assert.deepStrictEqual(validateApplication(input, input.environment), []));
    }

    it("skips checks on values not known yet (preview)", () => {
        const a = { ...GOOD_APP, image: UNKNOWN, replicas: UNKNOWN, environment: UNKNOWN, cluster: {} };
        assert.deepStrictEqual(validateApplication(a, UNKNOWN), []);
    });

    for (const [title, input, path, reason] of APP_CASES) {
        it(`rejects ${title}`, () => {
            const issues = validateApplication(input, input.environment);
            const hit = issues.find((i) => i.propertyPath === path);
            assert.ok(hit, `expected an issue at ${path}, got ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }

    it("has at least 30 distinct rejected cases", () => {
        assert.ok(new Set(APP_CASES.map((c) => c[0])).size >= 30);
    });
});

describe("applicationWarnings", () => {
    const cpu = with_(autoscaled, "autoscaling.triggers", [kafkaTrigger, { type: "memory", metadata: { value: "80" } }]);
    it("warns when a cpu/memory trigger meets an environment without the resource metrics API", () => {
        const w = applicationWarnings(cpu, { ...ENV, resourceMetricsApi: false });
        assert.strictEqual(w.length, 1);
        assert.match(w[0], /^autoscaling\.triggers\[1\]\.type: a memory trigger reads the resource metrics API \(metrics\.k8s\.io\).*environment "dev"/);
    });
    it("is silent when the API is there, not known, or the trigger is not cpu/memory", () => {
        assert.deepStrictEqual(applicationWarnings(cpu, { ...ENV, resourceMetricsApi: true }), []);
        assert.deepStrictEqual(applicationWarnings(cpu, ENV), []);
        assert.deepStrictEqual(applicationWarnings(cpu, UNKNOWN), []);
        assert.deepStrictEqual(applicationWarnings(autoscaled, { ...ENV, resourceMetricsApi: false }), []);
        assert.deepStrictEqual(applicationWarnings(with_(cpu, "autoscaling.enabled", false), { ...ENV, resourceMetricsApi: false }), []);
    });
});

export const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };
const GOOD_ENV = { operator: OPERATOR, checkpoints: { storageClassName: "efs-rwx" } };
const ENV_CASES: Case[] = [
    ["RWX backing with neither class nor NFS", { operator: OPERATOR, checkpoints: { size: "10Gi" } }, "checkpoints", /exactly one ReadWriteMany backing.*got none/],
    ["RWX backing with both", { operator: OPERATOR, checkpoints: { storageClassName: "a", nfs: { server: "s", path: "/x" } } }, "checkpoints", /got storageClassName and nfs/],
    ["NFS without server", { operator: OPERATOR, checkpoints: { nfs: { path: "/exports" } } }, "checkpoints.nfs.server", /required/],
    ["NFS relative path", { operator: OPERATOR, checkpoints: { nfs: { server: "10.0.0.2", path: "exports" } } }, "checkpoints.nfs.path", /absolute path/],
    ["bad checkpoint size", { operator: OPERATOR, checkpoints: { storageClassName: "a", size: "50 GiB" } }, "checkpoints.size", /quantity/],
    ["negative directory uid", { operator: OPERATOR, checkpoints: { nfs: { server: "s", path: "/e" }, uid: -1 } }, "checkpoints.uid", /integer from 0 to 2147483647/],
    ["fractional directory gid", { operator: OPERATOR, checkpoints: { nfs: { server: "s", path: "/e" }, gid: 1.5 } }, "checkpoints.gid", /integer/],
    ["directory image with a space", { operator: OPERATOR, checkpoints: { nfs: { server: "s", path: "/e" }, directoryImage: "busy box" } }, "checkpoints.directoryImage", /image reference/],
    ["directory owner with a StorageClass", { operator: OPERATOR, checkpoints: { storageClassName: "a", uid: 1000 } }, "checkpoints.uid", /applies only with `nfs`/],
    ["taint effect misspelled", { ...GOOD_ENV, streamNodes: { taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] } }, "streamNodes.taints[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
    ["taint without key", { ...GOOD_ENV, streamNodes: { taints: [{ effect: "NoSchedule" }] } }, "streamNodes.taints[0].key", /required/],
    ["stream label key invalid", { ...GOOD_ENV, streamNodes: { labels: { "volley.io/": "x" } } }, "streamNodes.labels.volley.io/", /qualified name/],
    ["empty stream labels", { ...GOOD_ENV, streamNodes: { labels: {} } }, "streamNodes.labels", /at least one label/],
    ["prometheus mode unknown", { ...GOOD_ENV, prometheus: { mode: "full" } }, "prometheus.mode", /stack, crds, none/],
    ["keda version range", { ...GOOD_ENV, keda: { version: "^2.18" } }, "keda.version", /exact chart version/],
    ["operator replicas 0", { ...GOOD_ENV, operator: { ...OPERATOR, replicas: 0 } }, "operator.replicas", /from 1 to 5/],
    ["operator namespace invalid", { ...GOOD_ENV, operator: { ...OPERATOR, namespace: "Volley" } }, "operator.namespace", /DNS-1123 label/],
    ["operator image without tag or version", { ...GOOD_ENV, operator: { image: "registry.example.com/op" } }, "operator.image", /tag or an @sha256 digest/],
    ["operator image missing", { ...GOOD_ENV, operator: undefined }, "operator.image", /no public image exists/],
    ["operator resources bad quantity", { ...GOOD_ENV, operator: { ...OPERATOR, resources: { requests: { memory: "128 MB" } } } }, "operator.resources.requests.memory", /quantity/],
    ["crdYaml not a CRD", { ...GOOD_ENV, operator: { ...OPERATOR, crdYaml: "kind: ConfigMap" } }, "operator.crdYaml", /CustomResourceDefinition/],
    ["system toleration effect", { ...GOOD_ENV, systemNodes: { tolerations: [{ key: "k", effect: "Never" }] } }, "systemNodes.tolerations[0].effect", /NoSchedule/],
    ["blank kubeconfig", { ...GOOD_ENV, kubeconfig: "  " }, "kubeconfig", /ambient/],
    // prometheus.alerting (#20.8): one destination per receiver, names Alertmanager can route by.
    ["receiver with two destinations", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "ops", webhookUrl: { name: "k", key: "url" }, slackApiUrl: { name: "k", key: "slack" } }] } } },
        "prometheus.alerting.receivers[0]", /exactly one of webhookUrl, slackApiUrl, pagerdutyRoutingKey.*got webhookUrl and slackApiUrl.*one receiver per destination/],
    ["receiver with no destination", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "ops", severities: ["critical"] }] } } },
        "prometheus.alerting.receivers[0]", /exactly one of .*got none/],
    ["receiver names duplicated", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "ops", webhookUrl: { name: "k", key: "a" } }, { name: "ops", pagerdutyRoutingKey: { name: "k", key: "b" } }] } } },
        "prometheus.alerting.receivers[1].name", /duplicates receivers\[0\]\.name "ops"/],
    ["receiver name not a DNS label", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "On Call", webhookUrl: { name: "k", key: "a" } }] } } },
        "prometheus.alerting.receivers[0].name", /DNS-1123 label.*"On Call"/],
    ["receiver named null", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "null", webhookUrl: { name: "k", key: "a" } }] } } },
        "prometheus.alerting.receivers[0].name", /catch-all receiver/],
    ["receiver without a name", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ webhookUrl: { name: "k", key: "a" } }] } } },
        "prometheus.alerting.receivers[0].name", /required/],
    ["receiver Secret key with a slash", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "ops", webhookUrl: { name: "k", key: "a/b" } }] } } },
        "prometheus.alerting.receivers[0].webhookUrl.key", /Secret key/],
    ["Slack channel without Slack", { ...GOOD_ENV, prometheus: { alerting: { receivers: [{ name: "ops", webhookUrl: { name: "k", key: "a" }, slackChannel: "#ops" }] } } },
        "prometheus.alerting.receivers[0].slackChannel", /only with slackApiUrl/],
    // prometheus.storage (#20.9): what the claim and the Prometheus CRD accept.
    ["Prometheus storage size not a quantity", { ...GOOD_ENV, prometheus: { storage: { size: "50 GB" } } }, "prometheus.storage.size", /quantity/],
    ["Prometheus retention out of order", { ...GOOD_ENV, prometheus: { storage: { retention: "1h1d" } } }, "prometheus.storage.retention", /Prometheus duration, units largest first/],
    ["Prometheus retention in days with a space", { ...GOOD_ENV, prometheus: { storage: { retention: "15 days" } } }, "prometheus.storage.retention", /such as "15d"/],
    // networkPolicies (#20.11): namespaces by name.
    ["grafanaFrom not a namespace name", { ...GOOD_ENV, networkPolicies: { enabled: true, grafanaFrom: ["Ops_Team"] } }, "networkPolicies.grafanaFrom[0]", /DNS-1123 label/],
    ["networkPolicies.enabled not plain", { ...GOOD_ENV, networkPolicies: { enabled: "yes" } }, "networkPolicies.enabled", /plain boolean/],
];

describe("validateKubernetesEnvironment", () => {
    it("accepts an environment with an RWX class and defaults", () => {
        assert.deepStrictEqual(validateKubernetesEnvironment(GOOD_ENV), []);
    });
    it("accepts an environment without shared checkpoints", () => {
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR }), []);
    });
    it("accepts an empty kubeconfig as the ambient one", () => {
        assert.deepStrictEqual(validateKubernetesEnvironment({ operator: OPERATOR, kubeconfig: "" }), []);
    });
    for (const [title, input, path, reason] of ENV_CASES) {
        it(`rejects ${title}`, () => {
            const issues = validateKubernetesEnvironment(input);
            const hit = issues.find((i) => i.propertyPath === path);
            assert.ok(hit, `expected an issue at ${path}, got ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }
});

describe("building-block validators", () => {
    it("VolleyOperator rejects replicas 9", () => {
        assert.deepStrictEqual(validateOperator({ ...OPERATOR, replicas: 9 }).map((i) => i.propertyPath), ["replicas"]);
    });
    it("Keda rejects values that are not an object", () => {
        assert.deepStrictEqual(validateKeda({ values: [1] }).map((i) => i.propertyPath), ["values"]);
    });
    it("prometheus alerting, storage and networkPolicies: the documented shapes pass, at every environment's path", () => {
        const prometheus = {
            alerting: { receivers: [
                { name: "oncall", severities: ["critical"], pagerdutyRoutingKey: { name: "alert-keys", key: "pagerduty" } },
                { name: "chat", slackApiUrl: { name: "alert-keys", key: "slack.url" }, slackChannel: "#volley" },
                { name: "hook", webhookUrl: { name: "alert-keys", key: "url" } },
            ] },
            storage: { size: "50Gi", retention: "15d", storageClassName: "gp3" },
        };
        assert.deepStrictEqual(validateKubernetesEnvironment({ ...GOOD_ENV, prometheus, networkPolicies: { enabled: true, grafanaFrom: ["ops"] } }), []);
        assert.deepStrictEqual(validatePrometheusStack(prometheus), []);
        assert.deepStrictEqual(validatePrometheusStack({ storage: { retention: "1h1d" } }).map((i) => i.propertyPath), ["storage.retention"]);
        const { validateAwsEnvironment } = require("../../provider/aws/validate");
        assert.ok(validateAwsEnvironment({ prometheus: { storage: { retention: "1h1d" } } }).some((i: any) => i.propertyPath === "prometheus.storage.retention"));
    });
    it("retention: the package accepts exactly what the Prometheus CRD's spec.retention pattern accepts (vendored chart)", () => {
        const crd = chartYaml("kube-prometheus-stack-77.0.0/charts/crds/crds/crd-prometheuses.yaml");
        const pattern = new RegExp(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.retention.pattern);
        for (const v of ["15d", "0", "1y", "2w3d", "1d12h", "90m", "30s", "1h30m15s", "500ms", "1h1d", "15 days", "15D", "1.5d", "d", "1d1d"]) {
            const ours = validatePrometheusStack({ storage: { retention: v } }).length === 0;
            assert.strictEqual(ours, pattern.test(v), `${v}: the CRD says ${pattern.test(v)}`);
        }
    });
    it("PrometheusStack rejects an unknown mode", () => {
        assert.deepStrictEqual(validatePrometheusStack({ mode: "all" }).map((i) => i.propertyPath), ["mode"]);
    });
    it("SharedCheckpointVolume accepts a CSI volume and rejects CSI without a handle", () => {
        assert.deepStrictEqual(validateSharedCheckpointVolume({ csi: { driver: "filestore.csi.storage.gke.io", volumeHandle: "modeInstance/us-central1-a/f/vol1" } }), []);
        assert.deepStrictEqual(validateSharedCheckpointVolume({ csi: { driver: "d" } }).map((i) => i.propertyPath), ["csi.volumeHandle"]);
    });
});

describe("resolveInputs", () => {
    it("resolves nested Outputs and marks unknown ones", async () => {
        const unknown = (pulumi as any).output(undefined);
        // An Output whose isKnown is false stands for a preview-time unknown.
        const u = new (pulumi.Output as any)(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
        const r = await resolveInputs({ a: pulumi.output({ b: pulumi.output(1) }), c: [pulumi.output("x")], d: u, e: unknown });
        assert.deepStrictEqual(r, { a: { b: 1 }, c: ["x"], d: UNKNOWN, e: undefined });
    });
});
