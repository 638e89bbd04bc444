// Render tables: inputs -> manifests and values, as data.
import * as assert from "assert";
import { completeTrigger, renderVolleyApplication, prune } from "../../provider/kubernetes/render/application";
import { validateApplication } from "../../provider/kubernetes/validate/application";
import { prometheusServiceUrl } from "../../provider/kubernetes/prometheusStack";
import { appDirectory, renderCheckpointClaim, renderDirectoryJob } from "../../provider/kubernetes/render/checkpoints";
import { kedaValues, mergeValues, prometheusStackValues } from "../../provider/kubernetes/render/helm";
import { imageHasTagOrDigest, operatorClusterRules, operatorImageRef, renderOperatorDeploymentSpec, renderOperatorServiceSpec } from "../../provider/kubernetes/render/operator";
import { ENV, GOOD_APP } from "./validate.test";
import { chartYaml } from "./charts";

const W = { name: "p", namespace: "default", awaitRunning: true, awaitTimeoutSeconds: 600 };
const BASE = { image: "img:1", resources: { requests: { cpu: "1", memory: "1Gi" } } };

describe("renderVolleyApplication", () => {
    const cases: [string, any, any, any, (cr: any) => void][] = [
        ["writes only what was set, plus isolation from the environment", BASE, ENV, W, (cr) => {
            assert.deepStrictEqual(Object.keys(cr.spec).sort(), ["image", "isolation", "resources"]);
            assert.deepStrictEqual(cr.spec.isolation, { nodeSelector: { "volley.io/pool": "stream-processing" } });
        }],
        ["adds the stream pool tolerations", BASE,
            { ...ENV, streamPlacement: { nodeSelector: {}, tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }] } }, W, (cr) => {
                assert.deepStrictEqual(cr.spec.isolation, { tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }] });
            }],
        ["never writes Pulumi-only inputs into the spec", { ...BASE, environment: ENV, name: "x", namespace: "y", awaitRunning: false, awaitTimeoutSeconds: 5, checkpointClaimSize: "1Gi", retainCheckpointClaim: true },
            ENV, W, (cr) => {
                for (const k of ["environment", "name", "namespace", "awaitRunning", "awaitTimeoutSeconds", "checkpointClaimSize", "retainCheckpointClaim"]) {
                    assert.ok(!(k in cr.spec), k);
                }
            }],
        ["mounts the app's claim in distributed mode, keeping the user's mount path", { ...BASE, cluster: { sharedCheckpoints: { mountPath: "/ckpt" } } }, ENV,
            { ...W, claimName: "p-shared-ckpt" }, (cr) => {
                assert.deepStrictEqual(cr.spec.cluster, { sharedCheckpoints: { mountPath: "/ckpt", claimName: "p-shared-ckpt" } });
            }],
        ["does not add a claim to a single-pod app", BASE, ENV, { ...W, claimName: "c" }, (cr) => assert.strictEqual(cr.spec.cluster, undefined)],
        ["disables the ServiceMonitor without Prometheus but keeps the user's settings", { ...BASE, observability: { metricsPort: 9100, serviceMonitor: { interval: "30s" } } },
            { ...ENV, prometheusEnabled: false }, W, (cr) => {
                assert.deepStrictEqual(cr.spec.observability, { metricsPort: 9100, serviceMonitor: { interval: "30s", enabled: false } });
            }],
        ["waits for Running with the timeout", BASE, ENV, { ...W, awaitTimeoutSeconds: 120 }, (cr) => {
            assert.deepStrictEqual(cr.metadata.annotations, { "pulumi.com/waitFor": "jsonpath={.status.phase}=Running", "pulumi.com/timeoutSeconds": "120" });
        }],
        ["skips the create/update await when asked, never the delete wait (no skipAwait)", BASE, ENV, { ...W, awaitRunning: false }, (cr) => {
            assert.strictEqual(cr.metadata.annotations, undefined);
        }],
        ["keeps env valueFrom references (no secret values in the spec)", { ...BASE, env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }, ENV, W, (cr) => {
            assert.deepStrictEqual(cr.spec.env, [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }]);
        }],
        ["drops undefined members (an unset consumerGroup is the application's name, #24)", { ...BASE, kafka: { topics: ["t"], bootstrapServers: undefined } }, ENV, W, (cr) => {
            assert.deepStrictEqual(cr.spec.kafka, { topics: ["t"], consumerGroup: "p" });
        }],
    ];
    for (const [title, args, env, w, check] of cases) {
        it(title, () => {
            const cr = renderVolleyApplication(args, env, w);
            assert.strictEqual(cr.apiVersion, "volley.io/v1alpha1");
            assert.strictEqual(cr.kind, "VolleyApplication");
            assert.strictEqual(cr.metadata.labels["app.kubernetes.io/managed-by"], "pulumi-volley");
            check(cr);
        });
    }
    it("is deterministic", () => {
        assert.deepStrictEqual(renderVolleyApplication(BASE, ENV, W), renderVolleyApplication(BASE, ENV, W));
    });
});

describe("KEDA triggers: what the package fills in", () => {
    // The guide's Full Spec Reference `kafka` block, and the trigger form the README and examples use.
    const KAFKA = { bootstrapServers: "kafka:9092", consumerGroup: "my-group", topics: ["input-events"] };
    const PROM_URL = "http://dev-prometheus-chart-kube-prometheus.monitoring.svc:9090";
    const triggersOf = (triggers: any[], extra: any = {}, env: any = ENV) =>
        renderVolleyApplication({ ...BASE, cluster: {}, ...extra, autoscaling: { enabled: true, triggers } }, env, W).spec.autoscaling.triggers;
    const cases: [string, any[], any, any, any[]][] = [
        ["kafka: servers, group and the one topic from spec.kafka", [{ type: "kafka", metadata: { lagThreshold: "1000" } }], { kafka: KAFKA }, ENV,
            [{ type: "kafka", metadata: { lagThreshold: "1000", bootstrapServers: "kafka:9092", consumerGroup: "my-group", topic: "input-events" } }]],
        ["kafka: the trigger's own values win", [{ type: "kafka", metadata: { bootstrapServers: "other:9092", consumerGroup: "g2", topic: "t2" } }], { kafka: KAFKA }, ENV,
            [{ type: "kafka", metadata: { bootstrapServers: "other:9092", consumerGroup: "g2", topic: "t2" } }]],
        ["kafka: several topics leave topic unset (KEDA then uses all topics of the group)", [{ type: "kafka", metadata: {} }], { kafka: { ...KAFKA, topics: ["a", "b"] } }, ENV,
            [{ type: "kafka", metadata: { bootstrapServers: "kafka:9092", consumerGroup: "my-group" } }]],
        ["kafka: a *FromEnv key is KEDA's own way, left alone", [{ type: "kafka", metadata: { bootstrapServersFromEnv: "KAFKA_BOOTSTRAP_SERVERS" } }], { kafka: KAFKA }, ENV,
            [{ type: "kafka", metadata: { bootstrapServersFromEnv: "KAFKA_BOOTSTRAP_SERVERS", consumerGroup: "my-group", topic: "input-events" } }]],
        ["prometheus: serverAddress from the environment", [{ type: "prometheus", metadata: { query: "q", threshold: "1" } }], {}, { ...ENV, prometheusUrl: PROM_URL },
            [{ type: "prometheus", metadata: { query: "q", threshold: "1", serverAddress: PROM_URL } }]],
        ["prometheus: the trigger's own serverAddress wins", [{ type: "prometheus", metadata: { serverAddress: "http://p:9090", query: "q", threshold: "1" } }], {}, { ...ENV, prometheusUrl: PROM_URL },
            [{ type: "prometheus", metadata: { serverAddress: "http://p:9090", query: "q", threshold: "1" } }]],
        // The guide's `- type: cpu, metadata: { value: "70" }` (a percentage).
        ["cpu: metricType Utilization when none is given", [{ type: "cpu", metadata: { value: "70" } }], {}, ENV,
            [{ type: "cpu", metadata: { value: "70" }, metricType: "Utilization" }]],
        ["memory: the user's metricType and authenticationRef are kept", [{ type: "memory", metricType: "AverageValue", metadata: { value: "3Gi" }, authenticationRef: { name: "a" } }], {}, ENV,
            [{ type: "memory", metricType: "AverageValue", metadata: { value: "3Gi" }, authenticationRef: { name: "a" } }]],
        ["cpu: the deprecated metadata.type is left as the user's choice", [{ type: "cpu", metadata: { type: "AverageValue", value: "500m" } }], {}, ENV,
            [{ type: "cpu", metadata: { type: "AverageValue", value: "500m" } }]],
    ];
    for (const [title, triggers, extra, env, want] of cases) {
        it(title, () => assert.deepStrictEqual(triggersOf(triggers, extra, env), want));
    }

    it("validation and rendering agree: a key is reported missing exactly when the rendered trigger lacks it", () => {
        const env = { ...ENV, prometheusUrl: PROM_URL };
        const table: [any, any, any][] = [
            [{ type: "kafka", metadata: { topic: "t" } }, undefined, ENV],
            [{ type: "kafka", metadata: { topic: "t" } }, { bootstrapServers: "k:9092" }, ENV],
            [{ type: "kafka", metadata: { topic: "t" } }, KAFKA, ENV],
            [{ type: "kafka", metadata: { consumerGroup: "g" } }, { topics: ["t"] }, ENV],
            [{ type: "prometheus", metadata: { query: "q", threshold: "1" } }, undefined, ENV],
            [{ type: "prometheus", metadata: { query: "q", threshold: "1" } }, undefined, env],
            [{ type: "prometheus", metadata: { threshold: "1" } }, undefined, env],
            [{ type: "cpu", metadata: {} }, undefined, ENV],
            [{ type: "memory", metadata: { value: "80" } }, undefined, ENV],
        ];
        for (const [trigger, kafka, e] of table) {
            const input = { ...GOOD_APP, cluster: {}, replicas: 2, kafka, environment: e, autoscaling: { enabled: true, triggers: [trigger] } };
            const rendered = renderVolleyApplication(input, e, W).spec.autoscaling.triggers[0];
            // The provider validates with the component's name, which the CR is named after (W.name).
            const reported = validateApplication(input, e, W.name)
                .filter((i) => i.propertyPath.startsWith("autoscaling.triggers[0].metadata."))
                .map((i) => i.propertyPath.split(".").pop())
                .sort();
            const absent = ["bootstrapServers", "consumerGroup", "serverAddress", "query", "threshold", "value"]
                .filter((k) => ({ kafka: ["bootstrapServers", "consumerGroup"], prometheus: ["serverAddress", "query", "threshold"], cpu: ["value"], memory: ["value"] } as any)[trigger.type].includes(k))
                .filter((k) => rendered.metadata?.[k] === undefined)
                .sort();
            assert.deepStrictEqual(reported, absent, JSON.stringify({ trigger, kafka, rendered }));
        }
    });

    it("completeTrigger does not change its input", () => {
        const t = { type: "kafka", metadata: { topic: "t" } };
        completeTrigger(t, KAFKA, ENV);
        assert.deepStrictEqual(t, { type: "kafka", metadata: { topic: "t" } });
    });
});

describe("Prometheus URL (kube-prometheus-stack's Prometheus Service)", () => {
    // Service `<fullname>-prometheus`, fullname per the chart's _helpers.tpl. Releases from
    // upstream: "kps" is the release of the chart's own unittests (its objects are named
    // kps-kube-prometheus-stack-*); "dev-prometheus-chart" gave the README's pods
    // dev-prometheus-chart-kube-operator-* on a real run (fullname cut to 26 characters).
    const table: [string, string, any, string | undefined][] = [
        ["kps", "monitoring", {}, "http://kps-kube-prometheus-stack-prometheus.monitoring.svc:9090"],
        ["dev-prometheus-chart", "monitoring", {}, "http://dev-prometheus-chart-kube-prometheus.monitoring.svc:9090"],
        ["kube-prometheus-stack", "obs", {}, "http://kube-prometheus-stack-prometheus.obs.svc:9090"],
        ["dev-prometheus-chart", "monitoring", { fullnameOverride: "mon" }, "http://mon-prometheus.monitoring.svc:9090"],
        ["dev-prometheus-chart", "monitoring", { namespaceOverride: "metrics", prometheus: { service: { port: 9091 } } }, "http://dev-prometheus-chart-kube-prometheus.metrics.svc:9091"],
        ["dev-prometheus-chart", "monitoring", { prometheus: { enabled: false } }, undefined],
    ];
    for (const [release, ns, values, want] of table) {
        it(`${release} in ${ns} ${JSON.stringify(values)} -> ${want}`, () => assert.strictEqual(prometheusServiceUrl(release, ns, values), want));
    }
});

describe("per-application directories on an NFS export", () => {
    it("puts each application under <export>/<namespace>/<application>", () => {
        const table: [string, string, string, string][] = [
            ["/checkpoints", "default", "agg", "/checkpoints/default/agg"],
            ["/exports/volley/", "apps", "ingest", "/exports/volley/apps/ingest"],
            ["/", "default", "agg", "/default/agg"],
        ];
        for (const [root, ns, app, want] of table) assert.strictEqual(appDirectory(root, ns, app), want);
    });
    const req = {
        app: "agg", namespace: "apps", server: "10.9.0.2", exportPath: "/checkpoints", uid: 1000, gid: 2000, image: "busybox:1.37.0",
        placement: { nodeSelector: { "volley.io/pool": "system" }, tolerations: [{ key: "t", operator: "Exists", effect: "NoSchedule", tolerationSeconds: undefined }] },
    };
    it("Job: mounts the export root, creates the directory 0770 and chowns it to the workers, nothing else", () => {
        const j = renderDirectoryJob(req);
        assert.match(j.metadata.name, /^agg-ckpt-dir-[0-9a-f]{8}$/);
        assert.deepStrictEqual(j.metadata.namespace, "apps");
        assert.strictEqual(renderDirectoryJob({ ...req, jobNamespace: "volley-system-checkpoint-jobs" }).metadata.namespace, "volley-system-checkpoint-jobs");
        const pod = j.spec.template.spec;
        assert.deepStrictEqual(pod.volumes, [{ name: "export", nfs: { server: "10.9.0.2", path: "/checkpoints" } }]);
        const c = pod.containers[0];
        assert.strictEqual(c.image, "busybox:1.37.0");
        assert.deepStrictEqual(c.volumeMounts, [{ name: "export", mountPath: "/export" }]);
        // The script (run for real in checkpointDay2.test.ts) works on <export>/<namespace>/<app> only.
        assert.deepStrictEqual(c.command.slice(0, 2), ["sh", "-c"]);
        assert.deepStrictEqual(c.command[2].match(/'\/export\/[^']*'/g), ["'/export/apps/agg'"]);
        // Root (the share root is root-owned) with CHOWN only: on NFS the server checks permissions, not the client's capabilities.
        assert.deepStrictEqual(c.securityContext, {
            runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"], add: ["CHOWN"] },
        });
        assert.strictEqual(pod.restartPolicy, "Never");
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.deepStrictEqual(pod.nodeSelector, { "volley.io/pool": "system" });
        assert.deepStrictEqual(pod.tolerations, [{ key: "t", operator: "Exists", effect: "NoSchedule" }]);
        // A finished Job stays: with a TTL it would vanish and the next preview would show it again.
        assert.strictEqual(j.spec.ttlSecondsAfterFinished, undefined);
        assert.ok(!JSON.stringify(j).includes("privileged"));
    });
    it("Job: no placement constraint when the environment has none; deterministic", () => {
        const pod = renderDirectoryJob({ ...req, placement: { nodeSelector: {}, tolerations: [] } }).spec.template.spec;
        assert.strictEqual(pod.nodeSelector, undefined);
        assert.strictEqual(pod.tolerations, undefined);
        assert.deepStrictEqual(renderDirectoryJob(req), renderDirectoryJob(req));
    });
});

describe("renderCheckpointClaim", () => {
    const req = { claimName: "c", namespace: "n", volumeName: "n-c", size: "5Gi" };
    it("dynamic: a claim on the class, no volume", () => {
        assert.deepStrictEqual(renderCheckpointClaim({ storageClassName: "rwx" }, req), {
            claim: { accessModes: ["ReadWriteMany"], storageClassName: "rwx", resources: { requests: { storage: "5Gi" } } },
        });
    });
    it("NFS: a Retain volume pre-bound to the claim", () => {
        const r = renderCheckpointClaim({ nfs: { server: "s", path: "/p" }, mountOptions: ["hard"] }, req);
        assert.deepStrictEqual(r.volume, {
            capacity: { storage: "5Gi" }, accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "", mountOptions: ["hard"], claimRef: { namespace: "n", name: "c" }, nfs: { server: "s", path: "/p" },
        });
        assert.deepStrictEqual(r.claim, { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: "n-c", resources: { requests: { storage: "5Gi" } } });
    });
    it("CSI: the driver, handle and attributes (Filestore)", () => {
        const csi = { driver: "filestore.csi.storage.gke.io", volumeHandle: "modeInstance/us-central1-a/fs/vol1", volumeAttributes: { ip: "10.1.2.3", volume: "vol1" } };
        const r = renderCheckpointClaim({ csi }, req);
        assert.deepStrictEqual(r.volume.csi, csi);
        assert.strictEqual(r.volume.mountOptions, undefined);
    });
});

describe("operator manifests", () => {
    const s = {
        name: "op", image: "registry.example.com/volley-k8s-operator:1", replicas: 1, resources: { requests: { cpu: "1" } },
        serviceAccountName: "sa", priorityClassName: "pc",
    };
    it("only what the guide documents by default: no ports, probes or args (#20.2)", () => {
        const c = renderOperatorDeploymentSpec(s).template.spec.containers[0];
        for (const k of ["ports", "livenessProbe", "readinessProbe", "args"]) assert.strictEqual(c[k], undefined, k);
    });
    it("one replica: no surge, and no new operator pod scheduled while an old one exists (#20.2); no leader election", () => {
        const d = renderOperatorDeploymentSpec(s);
        assert.deepStrictEqual(d.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
        // Required (not preferred) anti-affinity against this operator's own pods, over a key every node
        // carries with one value per OS: one domain, so at most one operator pod exists at a time.
        assert.deepStrictEqual(d.template.spec.affinity, {
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/os", labelSelector: { matchLabels: d.selector.matchLabels } }],
            },
        });
        assert.strictEqual(d.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, undefined);
        assert.strictEqual(d.template.spec.nodeSelector, undefined);
        assert.strictEqual(renderOperatorDeploymentSpec({ ...s, leaderElectionArgs: ["--leader-elect"] }).template.spec.containers[0].args, undefined);
    });
    it("more than one replica: rolling update, spread, the user's leader-election args after their own args", () => {
        const d = renderOperatorDeploymentSpec({ ...s, replicas: 3, args: ["--v=2"], leaderElectionArgs: ["--leader-elect"], tolerations: [{ key: "k", operator: "Exists" }] });
        assert.strictEqual(d.strategy, undefined);
        assert.ok(d.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution);
        // Leader election decides, not the scheduler: replicas must be able to run side by side.
        assert.strictEqual(d.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, undefined);
        assert.deepStrictEqual(d.template.spec.containers[0].args, ["--v=2", "--leader-elect"]);
        assert.deepStrictEqual(d.template.spec.tolerations, [{ key: "k", operator: "Exists" }]);
    });
    it("the user's probes, ports and pull secrets, as given", () => {
        const probe = { httpGet: { path: "/healthz", port: 8081 }, periodSeconds: 5 };
        const d = renderOperatorDeploymentSpec({ ...s, livenessProbe: probe, ports: [{ name: "metrics", containerPort: 9000 }], imagePullSecrets: ["regcred"] });
        assert.deepStrictEqual(d.template.spec.containers[0].livenessProbe, probe);
        assert.deepStrictEqual(d.template.spec.containers[0].ports, [{ name: "metrics", containerPort: 9000 }]);
        assert.deepStrictEqual(d.template.spec.imagePullSecrets, [{ name: "regcred" }]);
    });
    it("image references: a tag or digest as given, else image:version (#20.1)", () => {
        const digest = "registry.example.com/op@sha256:" + "a".repeat(64);
        assert.strictEqual(operatorImageRef(digest, undefined), digest);
        assert.strictEqual(operatorImageRef("registry.example.com/op:1.2", undefined), "registry.example.com/op:1.2");
        assert.strictEqual(operatorImageRef("registry.example.com:5000/op", "1.2"), "registry.example.com:5000/op:1.2");
        assert.strictEqual(imageHasTagOrDigest("registry.example.com:5000/op"), false);
    });
    it("metrics Service selects the operator pods on the user's port", () => {
        const svc = renderOperatorServiceSpec("op", 9100);
        assert.deepStrictEqual(svc.ports, [{ name: "metrics", port: 9100, targetPort: "metrics" }]);
        assert.strictEqual(svc.selector["app.kubernetes.io/instance"], "op");
    });
    it("RBAC verbs are explicit lists", () => {
        for (const r of operatorClusterRules()) assert.ok(r.verbs.length > 0 && !r.verbs.includes("*"));
    });
});

describe("Helm values", () => {
    it("mergeValues: user wins, objects merge, arrays replace", () => {
        assert.deepStrictEqual(mergeValues({ a: { b: 1, c: [1] } }, { a: { c: [2], d: 3 } }), { a: { b: 1, c: [2], d: 3 } });
    });
    // Where the charts read these keys is checked on the local cluster with
    // the real chart templates (tests/e2e: every platform pod on a system node).
    it("KEDA 2.18: placement through the chart's top-level keys (the only ones its Deployments read); CRDs from the chart", () => {
        const v = kedaValues({ nodeSelector: { pool: "system" }, tolerations: [{ key: "k", operator: "Exists" }] });
        assert.deepStrictEqual(v.nodeSelector, { pool: "system" });
        assert.deepStrictEqual(v.tolerations, [{ key: "k", operator: "Exists" }]);
        for (const part of ["operator", "metricsServer", "webhooks"]) assert.strictEqual(v[part], undefined);
        assert.deepStrictEqual(v.crds, { install: true });
    });
    it("KEDA: no placement means no empty selectors", () => {
        const v = kedaValues({});
        assert.ok(!("nodeSelector" in v) && !("tolerations" in v));
    });
    it("kube-prometheus-stack selects monitors and rules from every namespace", () => {
        const v = prometheusStackValues({ nodeSelector: { pool: "system" } });
        const spec = v.prometheus.prometheusSpec;
        for (const k of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"]) assert.strictEqual(spec[`${k}SelectorNilUsesHelmValues`], false, k);
        assert.deepStrictEqual(v.grafana.nodeSelector, { pool: "system" });
    });
    it("kube-prometheus-stack needs no Helm hook: no admission webhooks, no operator TLS (its certificate is made by a hook Job)", () => {
        const v = prometheusStackValues({});
        assert.deepStrictEqual(v.prometheusOperator.admissionWebhooks, { enabled: false });
        assert.deepStrictEqual(v.prometheusOperator.tls, { enabled: false });
    });
    it("Grafana reads dashboards from its own namespace through a Role, not every Secret through a ClusterRole", () => {
        const v = prometheusStackValues({}, undefined, "obs");
        assert.deepStrictEqual(v.grafana.rbac, { namespaced: true });
        assert.strictEqual(v.grafana.sidecar.dashboards.searchNamespace, "obs");
    });
    it("node exporter runs on every node: no node selector, the chart's tolerations (it tolerates every NoSchedule taint) (#20.9)", () => {
        const v = prometheusStackValues({ nodeSelector: { pool: "system" }, tolerations: [{ key: "system", operator: "Exists" }] })["prometheus-node-exporter"];
        assert.strictEqual(v.nodeSelector, undefined);
        assert.strictEqual(v.tolerations, undefined);
        // The chart's own default, read from the vendored chart rather than assumed.
        const chartValues = chartYaml("kube-prometheus-stack-77.0.0/charts/prometheus-node-exporter/values.yaml");
        assert.ok(chartValues.tolerations.some((t: any) => t.operator === "Exists" && t.effect === "NoSchedule" && !t.key), JSON.stringify(chartValues.tolerations));
    });
    it("Grafana's admin comes from the package's Secret, never the chart's public default (#20.4)", () => {
        assert.strictEqual(prometheusStackValues({}).grafana.admin, undefined);
        const v = prometheusStackValues({}, undefined, "monitoring", { phaseMetric: true, grafanaAdminSecret: "grafana-admin" });
        assert.deepStrictEqual(v.grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    });
    it("control-plane monitors and their alert groups follow controlPlaneMonitors (#20.8)", () => {
        const off = prometheusStackValues({}, undefined, "monitoring", { phaseMetric: true, controlPlaneMonitors: false });
        for (const c of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) assert.deepStrictEqual(off[c], { enabled: false }, c);
        for (const r of ["etcd", "kubeSchedulerAlerting", "kubeControllerManager", "kubeProxy"]) assert.strictEqual(off.defaultRules.rules[r], false, r);
        const on = prometheusStackValues({});
        assert.deepStrictEqual(on.kubeEtcd, { enabled: true });
        // Every key names a real chart value (a misspelt one would silently do nothing).
        const chart = chartYaml("kube-prometheus-stack-77.0.0/values.yaml");
        for (const c of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) assert.ok("enabled" in chart[c], c);
        for (const r of Object.keys(off.defaultRules.rules)) assert.ok(r in chart.defaultRules.rules, r);
    });
    it("Prometheus keeps its data on a claim, with retention; every pod has requests (#20.9)", () => {
        const v = prometheusStackValues({});
        const spec = v.prometheus.prometheusSpec;
        assert.strictEqual(spec.retention, "15d");
        assert.deepStrictEqual(spec.storageSpec.volumeClaimTemplate.spec.resources, { requests: { storage: "50Gi" } });
        assert.strictEqual(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, undefined);
        const mine = prometheusStackValues({}, undefined, "m", { phaseMetric: true, storage: { size: "10Gi", storageClassName: "gp3" } }).prometheus.prometheusSpec;
        assert.strictEqual(mine.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3");
        for (const r of [spec.resources, v.alertmanager.alertmanagerSpec.resources, v.grafana.resources, v.prometheusOperator.resources,
            v["kube-state-metrics"].resources, v["prometheus-node-exporter"].resources]) assert.ok(r.requests.cpu && r.requests.memory);
    });
    it("an AlertmanagerConfig named by alertmanagerConfiguration; monitor namespaces narrowed on request (#20.8, #20.11)", () => {
        const v = prometheusStackValues({}, undefined, "m", { phaseMetric: true, alertmanagerConfig: "dev-alerting", monitorNamespaceSelector: { matchLabels: { a: "b" } } });
        assert.deepStrictEqual(v.alertmanager.alertmanagerSpec.alertmanagerConfiguration, { name: "dev-alerting" });
        assert.deepStrictEqual(v.prometheus.prometheusSpec.ruleNamespaceSelector, { matchLabels: { a: "b" } });
        assert.deepStrictEqual(prometheusStackValues({}).prometheus.prometheusSpec.serviceMonitorNamespaceSelector, {});
    });
    it("KEDA serves its operator metrics only when asked", () => {
        assert.strictEqual(kedaValues({}).prometheus, undefined);
        assert.deepStrictEqual(kedaValues({}, undefined, { metrics: true }).prometheus, { operator: { enabled: true } });
    });
    it("prune keeps falsy values other than null/undefined", () => {
        assert.deepStrictEqual(prune({ a: 0, b: false, c: "", d: null, e: undefined, f: [undefined] }), { a: 0, b: false, c: "", f: [undefined] });
    });
});
