// Component graphs under mocks: exact children, key properties, parents,
// providers and dependencies, for every component and its main options.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "../../provider/kubernetes/application";
import { Keda } from "../../provider/kubernetes/keda";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { PrometheusStack } from "../../provider/kubernetes/prometheusStack";
import { SharedCheckpointVolume } from "../../provider/kubernetes/sharedCheckpointVolume";
import { VolleyOperator } from "../../provider/kubernetes/volleyOperator";
import { VolleyProvider } from "../../provider/provider";
import { recordResolved } from "../../provider/core/resolved";
import { resolveInputs } from "../../provider/core/validate";
import { operatorClusterRules } from "../../provider/kubernetes/render/operator";
import { Graph, capture, valueOf } from "./graph";
import { ENV, OPERATOR } from "./validate.test";

const K = {
    ns: "kubernetes:core/v1:Namespace",
    sa: "kubernetes:core/v1:ServiceAccount",
    svc: "kubernetes:core/v1:Service",
    pv: "kubernetes:core/v1:PersistentVolume",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    job: "kubernetes:batch/v1:Job",
    crd: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
    cr: "kubernetes:volley.io/v1alpha1:VolleyApplication",
    deploy: "kubernetes:apps/v1:Deployment",
    cr_: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    crb: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    rb: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    pc: "kubernetes:scheduling.k8s.io/v1:PriorityClass",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    chart: "kubernetes:helm.sh/v4:Chart",
    provider: "pulumi:providers:kubernetes",
};

/** Every child of `component` (transitively) points at it through the parent chain. */
function assertParented(g: Graph, top: string) {
    const byUrn = new Map(g.resources.map((r) => [r.urn, r]));
    for (const r of g.resources) {
        if (r.urn === top) continue;
        let at = r;
        while (at.parent && at.parent !== top) {
            const up = byUrn.get(at.parent);
            assert.ok(up, `${r.type}::${r.name} has a parent outside the component`);
            at = up!;
        }
        assert.strictEqual(at.parent, top, `${r.type}::${r.name} is not under the component`);
    }
}

describe("VolleyOperator", () => {
    let g: Graph;
    before(async () => {
        g = await capture(() => new VolleyOperator("op", { ...OPERATOR, kubeconfig: "kc", placement: { nodeSelector: { pool: "system" } } }));
    });

    it("creates exactly its children", () => {
        assert.deepStrictEqual(g.names(), [
            `${K.crd}::op-crd`, `${K.ns}::op-ns`, `${K.sa}::op-sa`, `${K.deploy}::op-deployment`,
            `${K.crb}::op-binding`, `${K.cr_}::op-role`, `${K.role}::op-leases`, `${K.rb}::op-leases`, `${K.pc}::op-priority`,
            `${K.provider}::op-k8s`, "volley:index:VolleyOperator::op",
        ].sort());
    });

    it("parents every child to the component and uses its own provider", () => {
        const top = g.one("volley:index:VolleyOperator").urn;
        assertParented(g, top);
        const provider = g.one(K.provider);
        assert.strictEqual(provider.inputs.kubeconfig, "kc");
        for (const r of g.resources.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
            assert.ok(r.provider.startsWith(provider.urn), `${r.name} does not use op-k8s`);
        }
    });

    it("grants exactly the operator's rules, without wildcards", () => {
        const role = g.one(K.cr_);
        assert.deepStrictEqual(role.inputs.rules, operatorClusterRules());
        assert.ok(!JSON.stringify(role.inputs.rules).includes("*"));
        const resources = role.inputs.rules.flatMap((r: any) => r.resources).sort();
        assert.deepStrictEqual(resources, [
            "events", "persistentvolumeclaims", "poddisruptionbudgets", "scaledobjects", "servicemonitors", "services",
            "statefulsets", "volleyapplications", "volleyapplications/finalizers", "volleyapplications/status",
        ]);
        assert.deepStrictEqual(g.one(K.role).inputs.rules[0].resources, ["leases"]);
    });

    it("runs the user's image in a hardened Deployment, no undocumented probes or ports, no surge, on system nodes (#20.1, #20.2)", () => {
        const spec = g.one(K.deploy).inputs.spec;
        const d = spec.template.spec;
        const c = d.containers[0];
        assert.strictEqual(c.image, OPERATOR.image);
        assert.deepStrictEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
        // One operator pod at a time, over the Deployment's own selector (#20.2).
        assert.deepStrictEqual(d.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution,
            [{ topologyKey: "kubernetes.io/os", labelSelector: spec.selector }]);
        assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
        assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
        assert.strictEqual(d.securityContext.runAsNonRoot, true);
        for (const k of ["livenessProbe", "readinessProbe", "ports", "args"]) assert.strictEqual(c[k], undefined, k);
        assert.deepStrictEqual(d.nodeSelector, { pool: "system" });
        assert.strictEqual(d.priorityClassName, g.one(K.pc).inputs.metadata.name);
        assert.strictEqual(g.one(K.pc).inputs.value, 1000000);
    });

    it("installs the bundled CRD (retained on delete) and the operator's bindings before the Deployment (#20.7)", () => {
        const crd = g.one(K.crd);
        assert.strictEqual(crd.inputs.metadata.name, "volleyapplications.volley.io");
        assert.strictEqual(crd.retainOnDelete, true);
        assert.ok(g.dependsOn(g.one(K.deploy), crd));
        const bindings = g.resources.filter((r) => /ClusterRoleBinding|:RoleBinding/.test(r.type));
        assert.strictEqual(bindings.length, 2);
        for (const b of bindings) {
            assert.ok(g.dependsOn(g.one(K.deploy), b), `Deployment does not wait for ${b.name}`);
        }
    });

    it("adds a PodDisruptionBudget and leader election only with more than one replica", async () => {
        const g2 = await capture(() => new VolleyOperator("ha", { ...OPERATOR, replicas: 2, leaderElectionArgs: ["--leader-elect"] }));
        const pdb = g2.one(K.pdb);
        assert.strictEqual(pdb.inputs.spec.minAvailable, 1);
        assert.deepStrictEqual(g2.one(K.deploy).inputs.spec.template.spec.containers[0].args, ["--leader-elect"]);
        assert.strictEqual(g.byType(K.pdb).length, 0);
    });

    it("metricsPort adds the port and a metrics Service; watchNamespaces turns the ClusterRole into Roles (#20.9, #20.11)", async () => {
        const g2 = await capture(() => new VolleyOperator("m", { ...OPERATOR, metricsPort: 9100, watchNamespaces: ["team-a", "team-b"] }));
        assert.deepStrictEqual(g2.one(K.deploy).inputs.spec.template.spec.containers[0].ports, [{ name: "metrics", containerPort: 9100 }]);
        assert.deepStrictEqual(g2.one(K.svc).inputs.spec.ports, [{ name: "metrics", port: 9100, targetPort: "metrics" }]);
        assert.strictEqual(g2.byType(K.cr_).length, 0);
        assert.strictEqual(g2.byType(K.crb).length, 0);
        const roles = g2.byType(K.role).filter((r) => r.name.startsWith("m-role-"));
        assert.deepStrictEqual(roles.map((r) => r.inputs.metadata.namespace).sort(), ["team-a", "team-b"]);
        assert.deepStrictEqual(roles[0].inputs.rules, operatorClusterRules());
    });

    it("installs user-supplied CRD text instead of the bundled one", async () => {
        // As `volley-k8s-operator generate-crd` prints it: JSON.
        const text = JSON.stringify({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "custom.volley.io" }, spec: { group: "volley.io" } });
        const g2 = await capture(() => new VolleyOperator("c", { ...OPERATOR, crdYaml: text }));
        assert.strictEqual(g2.one(K.crd).inputs.metadata.name, "custom.volley.io");
    });
});

describe("Keda and PrometheusStack", () => {
    it("Keda installs the pinned chart in namespace keda with every part on the system nodes", async () => {
        const g = await capture(() => new Keda("keda", { placement: { nodeSelector: { pool: "system" } }, values: { operator: { replicaCount: 2 } } }));
        const chart = g.one(K.chart).inputs;
        assert.strictEqual(chart.chart, "keda");
        assert.match(chart.version, /^\d+\.\d+\.\d+$/);
        assert.strictEqual(chart.repositoryOpts.repo, "https://kedacore.github.io/charts");
        assert.strictEqual(chart.namespace, "keda");
        // KEDA 2.18 places all three of its Deployments from the top-level keys.
        assert.deepStrictEqual(chart.values.nodeSelector, { pool: "system" });
        assert.strictEqual(chart.values.operator.replicaCount, 2);
    });

    it("Keda installs from a local chart path without a repository", async () => {
        const g = await capture(() => new Keda("keda", { chartPath: "/charts/keda" }));
        const chart = g.one(K.chart).inputs;
        assert.strictEqual(chart.chart, "/charts/keda");
        assert.strictEqual(chart.repositoryOpts, undefined);
        assert.strictEqual(chart.version, undefined);
    });

    it("PrometheusStack modes: stack, crds, none", async () => {
        const stack = await capture(() => new PrometheusStack("p", {}));
        assert.strictEqual(stack.one(K.chart).inputs.chart, "kube-prometheus-stack");
        const crds = await capture(() => new PrometheusStack("p", { mode: "crds" }));
        assert.strictEqual(crds.one(K.chart).inputs.chart, "prometheus-operator-crds");
        const none = await capture(() => new PrometheusStack("p", { mode: "none" }));
        assert.deepStrictEqual(none.names(), ["volley:index:PrometheusStack::p"]);
    });
});

describe("SharedCheckpointVolume", () => {
    it("makes a dynamic RWX claim on a StorageClass, retained on delete", async () => {
        const g = await capture(() => new SharedCheckpointVolume("ckpt", { storageClassName: "efs-rwx", size: "20Gi", namespace: "apps" }));
        assert.strictEqual(g.byType(K.pv).length, 0);
        const pvc = g.one(K.pvc);
        assert.deepStrictEqual(pvc.inputs.spec, { accessModes: ["ReadWriteMany"], storageClassName: "efs-rwx", resources: { requests: { storage: "20Gi" } } });
        assert.strictEqual(pvc.inputs.metadata.name, "ckpt");
        assert.strictEqual(pvc.retainOnDelete, true);
    });

    it("makes a static NFS PersistentVolume with reclaim Retain, pre-bound to its claim", async () => {
        const g = await capture(() => new SharedCheckpointVolume("ckpt", { claimName: "shared", nfs: { server: "10.0.0.2", path: "/exports/volley" } }));
        const pv = g.one(K.pv);
        assert.strictEqual(pv.inputs.metadata.name, "default.shared");
        assert.deepStrictEqual(pv.ignoreChanges, ["metadata.name"], "a PV keeps the name it was created with");
        assert.strictEqual(pv.inputs.spec.persistentVolumeReclaimPolicy, "Retain");
        assert.deepStrictEqual(pv.inputs.spec.nfs, { server: "10.0.0.2", path: "/exports/volley" });
        assert.deepStrictEqual(pv.inputs.spec.claimRef, { namespace: "default", name: "shared" });
        const pvc = g.one(K.pvc);
        assert.strictEqual(pvc.inputs.spec.volumeName, "default.shared");
        assert.strictEqual(pvc.inputs.spec.storageClassName, "");
        assert.ok(g.dependsOn(pvc, pv));
        assert.ok(pv.retainOnDelete && pvc.retainOnDelete);
    });

    it("deletes with the program only when asked", async () => {
        const g = await capture(() => new SharedCheckpointVolume("ckpt", { storageClassName: "rwx", retainOnDelete: false }));
        assert.strictEqual(g.one(K.pvc).retainOnDelete, false);
    });
});

describe("KubernetesEnvironment", () => {
    it("composes operator, KEDA and Prometheus on one provider and outputs the EnvironmentRef", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("dev", {
                operator: OPERATOR,
                kubeconfig: "kc",
                checkpoints: { storageClassName: "efs-rwx" },
                systemNodes: { nodeSelector: { "node-role": "system" } },
            });
        });
        assert.deepStrictEqual(g.byType(K.provider).map((p) => p.name), ["dev-k8s"]);
        for (const c of ["volley:index:VolleyOperator::dev-operator", "volley:index:Keda::dev-keda", "volley:index:PrometheusStack::dev-prometheus"]) {
            assert.ok(g.names().includes(c), c);
        }
        assertParented(g, g.one("volley:index:KubernetesEnvironment").urn);
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        assert.deepStrictEqual(ref.checkpoints, { kind: "StorageClass", storageClassName: "efs-rwx", mountOptions: [], defaultSize: "50Gi" });
        assert.strictEqual(ref.kedaEnabled, true);
        assert.strictEqual(ref.prometheusEnabled, true);
        assert.strictEqual(ref.operatorNamespace, "volley-system");
        assert.deepStrictEqual(g.one(K.deploy).inputs.spec.template.spec.nodeSelector, { "node-role": "system" });
        const kedaValues = g.byType(K.chart).find((c) => c.inputs.chart === "keda")!.inputs.values;
        assert.deepStrictEqual(kedaValues.nodeSelector, { "node-role": "system" });
    });

    it("NFS checkpoints: the EnvironmentRef carries the directory owner and Job image, defaults 1000:1000 and busybox:1.37.0", async () => {
        const ref = async (checkpoints: any) => {
            let env!: KubernetesEnvironment;
            await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR, checkpoints }); });
            return (await valueOf(env.environment)).checkpoints;
        };
        assert.deepStrictEqual(await ref({ nfs: { server: "nfs.storage", path: "/exports/volley" } }), {
            kind: "Nfs", nfsServer: "nfs.storage", nfsPath: "/exports/volley", mountOptions: [], defaultSize: "50Gi", uid: 1000, gid: 1000, directoryImage: "busybox:1.37.0",
            directoryNamespace: "volley-system-checkpoint-jobs",
        });
        const custom = await ref({ nfs: { server: "s", path: "/e" }, uid: 65532, gid: 65533, directoryImage: "mirror/busybox:1.37.0" });
        assert.deepStrictEqual([custom!.uid, custom!.gid, custom!.directoryImage], [65532, 65533, "mirror/busybox:1.37.0"]);
    });

    it("keeps the kubeconfig output secret", async () => {
        let env!: KubernetesEnvironment;
        await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR, kubeconfig: "kc" }); });
        assert.strictEqual(await (env.kubeconfig as any).isSecret, true);
        assert.strictEqual(await (env.environment as any).isSecret, true);
    });

    it("leaves out KEDA and Prometheus when asked, and says so in the ref", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => {
            env = new KubernetesEnvironment("bare", { operator: OPERATOR, keda: { enabled: false }, prometheus: { mode: "none" } });
        });
        assert.strictEqual(g.byType("volley:index:Keda").length, 0);
        assert.strictEqual(g.byType("volley:index:PrometheusStack").length, 0);
        assert.strictEqual(g.byType(K.chart).length, 0);
        const ref = await valueOf(env.environment);
        assert.strictEqual(ref.kedaEnabled, false);
        assert.strictEqual(ref.prometheusEnabled, false);
        assert.strictEqual(ref.checkpoints, undefined);
    });

    it("describes custom stream nodes (labels and taints) as tolerations", async () => {
        let env!: KubernetesEnvironment;
        await capture(() => {
            env = new KubernetesEnvironment("c", { operator: OPERATOR, streamNodes: { labels: { pool: "fast" }, taints: [{ key: "dedicated", effect: "NoExecute" }] } });
        });
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.streamPlacement, { nodeSelector: { pool: "fast" }, tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }] });
    });
});

const app = {
    image: "registry.example.com/my-volley-app:v1.0",
    resources: { requests: { cpu: "2", memory: "4Gi" } },
};

describe("Application", () => {

    it("creates the CR wired to the environment, without a claim when not distributed", async () => {
        const g = await capture(() => new Application("my-pipeline", { ...app, environment: ENV }));
        assert.deepStrictEqual(g.names(), [
            `${K.cr}::my-pipeline-vapp`, `${K.provider}::my-pipeline-k8s`, "volley:index:Application::my-pipeline",
        ].sort());
        const cr = g.one(K.cr).inputs;
        assert.strictEqual(cr.apiVersion, "volley.io/v1alpha1");
        assert.strictEqual(cr.metadata.name, "my-pipeline");
        assert.strictEqual(cr.metadata.namespace, "default");
        assert.strictEqual(cr.metadata.annotations["pulumi.com/waitFor"], "jsonpath={.status.phase}=Running");
        assert.deepStrictEqual(cr.spec.isolation.nodeSelector, { "volley.io/pool": "stream-processing" });
        assert.strictEqual(cr.spec.image, app.image);
        assert.strictEqual(cr.spec.cluster, undefined);
    });

    it("creates a retained RWX claim on the environment's storage for a distributed app and mounts it", async () => {
        const g = await capture(() => new Application("agg", {
            ...app, environment: ENV, replicas: 3, cluster: { maxKeyGroups: 128 }, namespace: "apps",
        }));
        const pvc = g.one(K.pvc);
        assert.strictEqual(pvc.inputs.metadata.name, "agg-shared-ckpt");
        assert.strictEqual(pvc.inputs.metadata.namespace, "apps");
        assert.deepStrictEqual(pvc.inputs.spec.accessModes, ["ReadWriteMany"]);
        assert.strictEqual(pvc.inputs.spec.storageClassName, "efs-rwx");
        assert.strictEqual(pvc.inputs.spec.resources.requests.storage, "50Gi");
        assert.strictEqual(pvc.retainOnDelete, true);
        const cr = g.one(K.cr);
        assert.deepStrictEqual(cr.inputs.spec.cluster, { maxKeyGroups: 128, sharedCheckpoints: { claimName: "agg-shared-ckpt" } });
        // dependsOn a component means on its children: the claim exists before the CR.
        assert.ok(g.dependsOn(cr, pvc));
    });

    it("uses a static PV on its own directory of an NFS environment, created by a Job before the pods", async () => {
        const nfsEnv = {
            ...ENV, systemPlacement: { nodeSelector: { "node-role": "system" }, tolerations: [] },
            checkpoints: { kind: "Nfs", nfsServer: "10.0.0.2", nfsPath: "/exports", mountOptions: ["nfsvers=4.1"], uid: 2000, gid: 3000, directoryImage: "mirror/busybox:1.37.0", defaultSize: "10Gi" },
        };
        const g = await capture(() => new Application("agg", { ...app, namespace: "apps", environment: nfsEnv, cluster: {} }));
        const pv = g.one(K.pv).inputs.spec;
        // Never the export root: every application sees only its own directory.
        assert.deepStrictEqual(pv.nfs, { server: "10.0.0.2", path: "/exports/apps/agg" });
        const job = g.one(K.job);
        assert.strictEqual(job.name, "agg-ckpt-dir");
        assert.match(job.inputs.metadata.name, /^agg-ckpt-dir-[0-9a-f]{8}$/);
        // This environment names no directory namespace (an earlier release's): the Job stays in the app's.
        assert.deepStrictEqual(job.inputs.metadata.namespace, "apps");
        const pod = job.inputs.spec.template.spec;
        assert.deepStrictEqual(pod.volumes, [{ name: "export", nfs: { server: "10.0.0.2", path: "/exports" } }]);
        assert.match(pod.containers[0].command[2], /^d='\/export\/apps\/agg'$/m);
        assert.match(pod.containers[0].command[2], /chown -hR '2000:3000' "\$d"/);
        assert.strictEqual(pod.containers[0].image, "mirror/busybox:1.37.0");
        assert.deepStrictEqual(pod.nodeSelector, { "node-role": "system" });
        const cr = g.one(K.cr);
        assert.ok(g.dependsOn(cr, job), "pods mount the directory: the CR waits for the Job");
        assert.ok(!g.dependsOn(g.one(K.pv), job) && !g.dependsOn(g.one(K.pvc), job), "the PV and claim do not need the directory");
        assert.strictEqual(job.provider, g.one(K.pv).provider);
        assert.deepStrictEqual(pv.mountOptions, ["nfsvers=4.1"]);
        assert.strictEqual(pv.persistentVolumeReclaimPolicy, "Retain");
        assert.strictEqual(g.one(K.pvc).inputs.spec.resources.requests.storage, "10Gi");
    });

    it("NFS defaults: directory owned by 1000:1000 with the pinned image; no Job on a StorageClass or without a claim", async () => {
        const nfsEnv = { ...ENV, checkpoints: { kind: "Nfs", nfsServer: "10.0.0.2", nfsPath: "/exports", defaultSize: "10Gi" } };
        const g = await capture(() => new Application("agg", { ...app, environment: nfsEnv, cluster: {} }));
        const c = g.one(K.job).inputs.spec.template.spec.containers[0];
        assert.match(c.command[2], /chown -hR '1000:1000' "\$d"/);
        assert.strictEqual(c.image, "busybox:1.37.0");
        const g2 = await capture(() => new Application("agg", { ...app, environment: ENV, cluster: {} }));
        assert.strictEqual(g2.byType(K.job).length, 0);
        const g3 = await capture(() => new Application("agg", { ...app, environment: nfsEnv, cluster: { sharedCheckpoints: { claimName: "mine" } } }));
        assert.strictEqual(g3.byType(K.job).length + g3.byType(K.pv).length, 0);
        const g4 = await capture(() => new Application("agg", { ...app, environment: nfsEnv }));
        assert.strictEqual(g4.byType(K.job).length, 0);
    });

    it("keeps the checkpoint volume out of secrets although the kubeconfig is secret", async () => {
        const nfsEnv = pulumi.secret({ ...ENV, kubeconfig: "apiVersion: v1", checkpoints: { kind: "Nfs", nfsServer: "10.0.0.2", nfsPath: "/exports", defaultSize: "10Gi" } });
        // As the provider does: resolve the inputs, then construct with the originals.
        const args = { ...app, environment: nfsEnv, cluster: {} };
        const g = await capture(async () => {
            recordResolved(args, await resolveInputs(args));
            new Application("agg", args);
        });
        for (const r of [g.one(K.pv), g.one(K.pvc), g.one(K.job), g.one(K.cr)]) {
            assert.ok(!JSON.stringify(r.inputs).includes(pulumi.runtime.specialSigKey), `${r.type} must not be secret`);
        }
    });

    it("treats an environment that is an Output as not known yet: a dynamic claim", async () => {
        const g = await capture(() => new Application("agg", { ...app, environment: pulumi.output(ENV), cluster: {} }));
        assert.strictEqual(g.byType(K.pv).length, 0);
        assert.strictEqual(g.one(K.pvc).inputs.spec.storageClassName, "efs-rwx");
    });

    it("creates no claim when the app names its own", async () => {
        let a!: Application;
        const g = await capture(() => { a = new Application("agg", { ...app, environment: ENV, cluster: { sharedCheckpoints: { claimName: "mine" } } }); });
        assert.strictEqual(g.byType(K.pvc).length, 0);
        assert.strictEqual(g.one(K.cr).inputs.spec.cluster.sharedCheckpoints.claimName, "mine");
        assert.strictEqual(await valueOf(a.claimName), "mine");
    });

    it("turns the ServiceMonitor off when the environment has no Prometheus", async () => {
        const g = await capture(() => new Application("a", { ...app, environment: { ...ENV, prometheusEnabled: false } }));
        assert.deepStrictEqual(g.one(K.cr).inputs.spec.observability, { serviceMonitor: { enabled: false } });
    });

    it("keeps explicit isolation and skips the await when asked", async () => {
        const g = await capture(() => new Application("a", {
            ...app, environment: ENV, awaitRunning: false,
            isolation: { nodeSelector: { pool: "mine" }, tolerations: [] },
        }));
        const cr = g.one(K.cr).inputs;
        assert.deepStrictEqual(cr.spec.isolation, { nodeSelector: { pool: "mine" }, tolerations: [] });
        // skipAwait would also skip the delete wait; no annotation skips only the create/update wait.
        assert.strictEqual(cr.metadata.annotations?.["pulumi.com/skipAwait"], undefined);
        assert.strictEqual(cr.metadata.annotations?.["pulumi.com/waitFor"], undefined);
    });

    it("keeps the CR out of secrets although the kubeconfig is secret", async () => {
        const secretEnv = pulumi.secret({ ...ENV, kubeconfig: "apiVersion: v1" });
        const g = await capture(() => new Application("b", { ...app, environment: secretEnv }));
        // The provider gets the kubeconfig as a secret; the CR neither holds it nor turns secret.
        assert.strictEqual(g.one(K.provider).inputs.kubeconfig.value, "apiVersion: v1");
        assert.ok(pulumi.runtime.isRpcSecret(g.one(K.provider).inputs.kubeconfig));
        const cr = JSON.stringify(g.one(K.cr).inputs);
        assert.ok(!cr.includes("apiVersion: v1"));
        assert.ok(!cr.includes(pulumi.runtime.specialSigKey), "the CR spec must not be secret");
    });
});

describe("VolleyProvider.construct", () => {
    const schema = fs.readFileSync(path.resolve(__dirname, "..", "..", "schema.json"), "utf8");

    it("rejects bad input with every issue and creates nothing", async () => {
        const p = new VolleyProvider("0.1.0", schema);
        let err: any;
        const g = await capture(() => {
            p.construct("bad", "volley:index:Application", { environment: ENV, replicas: 0, cluster: { maxKeyGroups: 100 } }, {})
                .catch((e) => { err = e; });
        });
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        assert.deepStrictEqual(err.errors.map((e: any) => e.propertyPath).sort(), ["cluster.maxKeyGroups", "image", "replicas", "resources"]);
        assert.deepStrictEqual(g.resources, []);
    });

    it("constructs by token and returns every output of the schema", async () => {
        const p = new VolleyProvider("0.1.0", schema);
        let result: any;
        await capture(() => { p.construct("ok", "volley:index:Application", { environment: ENV, ...app }, {}).then((r) => { result = r; }); });
        assert.deepStrictEqual(Object.keys(result.state).sort(), ["claimName", "name", "namespace", "phase"]);
    });

    it("refuses an unknown token", async () => {
        const p = new VolleyProvider("0.1.0", schema);
        await assert.rejects(p.construct("x", "volley:index:Nope", {}, {}), /unknown resource type volley:index:Nope/);
    });
});
