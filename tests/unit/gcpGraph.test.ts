// GCP component graphs under mocks: exact children, labels, taints,
// Filestore safety, firewall, and the dependencies that make `up` parallel.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FilestoreCheckpointStore } from "../../provider/gcp/filestoreCheckpointStore";
import { GcpEnvironment, GcpEnvironmentArgs } from "../../provider/gcp/gcpEnvironment";
import { GcpNodePool } from "../../provider/gcp/gcpNodePool";
import { EnvironmentRef } from "../../provider/core/types";
import { VolleyProvider } from "../../provider/provider";
import { Graph, Registered, valueOf } from "./graph";
import { G, GCP_MOCKS, captureGcp } from "./gcpMocks";
import { stackSuffix } from "../../provider/gcp/render";
import { assertControlPlaneMonitorsOff } from "./charts";
import { GCP_BASE, gcpEnvironmentGraph } from "./environmentGraphs";

/** The per-stack name suffix under mocks (project "project", stack "stack"). */
const S = stackSuffix("project", "stack", "dev");

const BASE = GCP_BASE;
const envGraph = gcpEnvironmentGraph;

/** GCP resources that take labels, with where the labels are. */
function labelsOf(r: Registered): Record<string, string> | undefined {
    if (r.type === G.cluster) return r.inputs.resourceLabels;
    if (r.type === G.pool) return r.inputs.nodeConfig.resourceLabels;
    if (r.type === G.filestore) return r.inputs.labels;
    return undefined;
}
const LABELLABLE = [G.cluster, G.pool, G.filestore];

/** Whether `from` waits for `to`, directly or through other resources. */
function waitsFor(g: Graph, from: Registered, to: Registered, seen = new Set<string>()): boolean {
    if (g.dependsOn(from, to)) return true;
    seen.add(from.urn);
    return from.dependencies.some((u) => {
        const d = g.resources.find((r) => r.urn === u);
        return !!d && !seen.has(u) && waitsFor(g, d, to, seen);
    });
}

describe("GcpEnvironment: new network, new private cluster", () => {
    let g: Graph;
    let env: GcpEnvironment;
    before(async () => ({ g, env } = await envGraph(BASE, true)));

    it("turns kube-prometheus-stack's control-plane monitors and their alert groups off: GKE runs them as no scrapeable pods (#20.8)", () => {
        const chart = g.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "dev-prometheus-chart");
        assert.ok(chart, "no kube-prometheus-stack chart");
        assertControlPlaneMonitorsOff(chart!.inputs.values);
    });

    it("creates exactly its GCP children", () => {
        const gcpChildren = g.resources.filter((r) => r.type.startsWith("gcp:")).map((r) => `${r.type}::${r.name}`).sort();
        assert.deepStrictEqual(gcpChildren, [
            `${G.firewall}::dev-webhooks`, `${G.firewall}::dev-filestore-nlm`, `${G.network}::dev-network`, `${G.nat}::dev-nat`, `${G.router}::dev-router`, `${G.subnet}::dev-subnet`,
            `${G.cluster}::dev-cluster`, `${G.pool}::dev-stream-pool`, `${G.pool}::dev-system-pool`, `${G.filestore}::dev-ckpt-instance`,
            `${G.iam}::dev-nodes-artifactregistry-reader`, `${G.iam}::dev-nodes-container-defaultNodeServiceAccount`, `${G.sa}::dev-nodes-sa`,
            `${G.service}::dev-api-cloudresourcemanager`, `${G.service}::dev-api-compute`, `${G.service}::dev-api-container`,
            `${G.service}::dev-api-file`, `${G.service}::dev-api-iam`,
        ].sort());
        assert.deepStrictEqual(g.byType(G.k8s).map((p) => p.name).sort(), ["agg-k8s", "dev-k8s"]);
        assert.deepStrictEqual(g.resources.filter((r) => r.type.startsWith("volley:")).map((r) => r.name).sort(), [
            "agg", "agg-ckpt", "dev", "dev-ckpt", "dev-keda", "dev-operator", "dev-prometheus", "dev-stream", "dev-system",
        ]);
    });

    it("builds a VPC-native private cluster with Workload Identity and no Filestore CSI add-on, default pool removed", () => {
        const c = g.one(G.cluster);
        assert.strictEqual(c.inputs.name, `dev-${S}`);
        assert.strictEqual(c.inputs.location, "us-central1-a");
        assert.strictEqual(c.inputs.removeDefaultNodePool, true);
        assert.strictEqual(c.inputs.initialNodeCount, 1);
        assert.strictEqual(c.inputs.networkingMode, "VPC_NATIVE");
        assert.deepStrictEqual(c.inputs.ipAllocationPolicy, { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
        assert.deepStrictEqual(c.inputs.workloadIdentityConfig, { workloadPool: "my-project.svc.id.goog" });
        // Checkpoints mount with the kernel NFS client (#22 G4): nothing asks for the driver, and no volume uses it.
        assert.strictEqual(c.inputs.addonsConfig, undefined);
        assert.ok(!JSON.stringify(g.resources.map((r) => r.inputs)).includes("filestore.csi.storage.gke.io"), "no CSI volume of the Filestore driver");
        assert.deepStrictEqual(c.inputs.privateClusterConfig, { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: "172.16.0.0/28" });
        assert.deepStrictEqual(c.inputs.releaseChannel, { channel: "REGULAR" });
        assert.strictEqual(c.inputs.deletionProtection, false);
        assert.strictEqual(c.inputs.nodeConfig.serviceAccount, `dev-${S}-nodes@p.iam.gserviceaccount.com`);
    });

    it("creates the subnetwork with pod and service ranges, and Cloud NAT for the private nodes", () => {
        const s = g.one(G.subnet).inputs;
        assert.strictEqual(s.region, "us-central1");
        assert.strictEqual(s.ipCidrRange, "10.0.0.0/20");
        assert.deepStrictEqual(s.secondaryIpRanges, [{ rangeName: "pods", ipCidrRange: "10.16.0.0/14" }, { rangeName: "services", ipCidrRange: "10.20.0.0/20" }]);
        assert.strictEqual(g.one(G.network).inputs.autoCreateSubnetworks, false);
        assert.strictEqual(g.one(G.nat).inputs.router, `dev-${S}-router`);
    });

    it("lets the control plane reach the nodes on 6443 and 9443", () => {
        const fw = g.one(G.firewall, "dev-webhooks").inputs;
        assert.deepStrictEqual(fw.allows, [{ protocol: "tcp", ports: ["6443", "9443"] }]);
        assert.deepStrictEqual(fw.sourceRanges, ["172.16.0.0/28"]);
        assert.deepStrictEqual(fw.targetTags, [`dev-${S}-volley-node`]);
        for (const p of g.byType(G.pool)) assert.deepStrictEqual(p.inputs.nodeConfig.tags, [`dev-${S}-volley-node`]);
    });

    it("labels every labellable resource with the user's labels and volley-io-environment", () => {
        for (const r of g.resources.filter((x) => LABELLABLE.includes(x.type))) {
            assert.deepStrictEqual(labelsOf(r), { "volley-io-environment": "dev", team: "data" }, `${r.type}::${r.name}`);
        }
        assert.strictEqual(g.resources.filter((x) => LABELLABLE.includes(x.type)).length, 4);
    });

    it("taints the stream pool in GKE spelling and leaves the system pool untainted", () => {
        const stream = g.one(G.pool, "dev-stream-pool").inputs;
        assert.strictEqual(stream.name, "stream");
        assert.deepStrictEqual(stream.nodeConfig.taints, [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }]);
        assert.deepStrictEqual(stream.nodeConfig.labels, { "volley.io/pool": "stream-processing" });
        assert.strictEqual(stream.nodeConfig.machineType, "n2-standard-8");
        // G10: the stream pool idles at zero nodes; the autoscaler adds them for applications.
        assert.deepStrictEqual(stream.autoscaling, { minNodeCount: 0, maxNodeCount: 10, locationPolicy: "BALANCED" });
        assert.deepStrictEqual(g.one(G.pool, "dev-system-pool").inputs.autoscaling, { minNodeCount: 1, maxNodeCount: 3, locationPolicy: "BALANCED" });
        const system = g.one(G.pool, "dev-system-pool").inputs;
        assert.deepStrictEqual(system.nodeConfig.taints, []);
        assert.deepStrictEqual(system.nodeConfig.labels, { "volley.io/pool": "system" });
        for (const p of [stream, system]) {
            assert.strictEqual(p.nodeConfig.serviceAccount, `dev-${S}-nodes@p.iam.gserviceaccount.com`);
            assert.deepStrictEqual(p.nodeConfig.workloadMetadataConfig, { mode: "GKE_METADATA" });
        }
    });

    it("gives the node service account exactly the least-privilege roles", () => {
        // GKE's minimal node role (it bundles logging, monitoring and metadata writes), and image pulls.
        assert.deepStrictEqual(g.byType(G.iam).map((m) => m.inputs.role).sort(), ["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"]);
        for (const m of g.byType(G.iam)) assert.strictEqual(m.inputs.member, `serviceAccount:dev-${S}-nodes@p.iam.gserviceaccount.com`);
    });

    it("retains and deletion-protects the Filestore instance on the cluster's network", () => {
        const fs = g.one(G.filestore);
        assert.strictEqual(fs.retainOnDelete, true);
        assert.strictEqual(fs.inputs.deletionProtectionEnabled, true);
        assert.strictEqual(fs.inputs.tier, "BASIC_HDD");
        assert.strictEqual(fs.inputs.location, "us-central1-a");
        // G3: only the node range mounts the share (Filestore's default is the whole VPC).
        assert.deepStrictEqual(fs.inputs.fileShares, {
            name: "checkpoints", capacityGb: 1024, nfsExportOptions: [{ ipRanges: ["10.0.0.0/20"], accessMode: "READ_WRITE", squashMode: "NO_ROOT_SQUASH" }],
        });
        assert.strictEqual(fs.inputs.networks[0].network, `dev-${S}`);
        assert.strictEqual(fs.inputs.networks[0].connectMode, "DIRECT_PEERING");
    });

    it("enables the APIs it calls, keeps them on destroy, and orders each API's users after it", () => {
        const svc = (api: string) => g.one(G.service, `dev-api-${api}`);
        assert.deepStrictEqual(g.byType(G.service).map((x) => x.inputs.service).sort(), [
            "cloudresourcemanager.googleapis.com", "compute.googleapis.com", "container.googleapis.com", "file.googleapis.com", "iam.googleapis.com",
        ]);
        for (const x of g.byType(G.service)) {
            assert.strictEqual(x.inputs.project, "my-project");
            assert.strictEqual(x.inputs.disableOnDestroy, false, x.name);
            assert.strictEqual(x.inputs.disableDependentServices, false, x.name);
        }
        const users: [string, string[]][] = [
            [G.network, ["compute"]], [G.subnet, ["compute"]], [G.router, ["compute"]], [G.nat, ["compute"]], [G.firewall, ["compute"]],
            [G.cluster, ["container", "compute"]], [G.pool, ["container", "compute", "iam", "cloudresourcemanager"]],
            [G.sa, ["iam"]], [G.iam, ["iam", "cloudresourcemanager"]], [G.filestore, ["file"]],
        ];
        for (const [type, apis] of users) {
            for (const r of g.byType(type)) for (const api of apis) assert.ok(waitsFor(g, r, svc(api)), `${r.name} does not wait for the ${api} API`);
        }
        // Filestore and identity still run beside the cluster.
        for (const r of [g.one(G.filestore), g.one(G.sa)]) assert.ok(!waitsFor(g, r, svc("container")), `${r.name} waits for the container API`);
    });

    it("keeps the network on destroy while the retained Filestore instance is peered with it", async () => {
        assert.strictEqual(g.one(G.network).retainOnDelete, true);
        for (const t of [G.subnet, G.router, G.nat, G.firewall, G.cluster, G.pool]) for (const r of g.byType(t)) assert.strictEqual(r.retainOnDelete, false, r.name);
        const { g: g2 } = await envGraph({ ...BASE, checkpoints: { retainOnDelete: false } });
        assert.strictEqual(g2.one(G.network).retainOnDelete, false);
        assert.strictEqual(g2.one(G.filestore).retainOnDelete, false);
    });

    it("runs Filestore and the service accounts in parallel with the cluster", () => {
        const cluster = g.one(G.cluster);
        for (const r of [g.one(G.filestore), g.one(G.sa), ...g.byType(G.iam)]) {
            assert.ok(!g.dependsOn(r, cluster), `${r.name} waits for the cluster`);
            assert.ok(!r.dependencies.some((d) => d.includes("NodePool")), `${r.name} waits for a pool`);
        }
        for (const p of g.byType(G.pool)) {
            assert.ok(g.dependsOn(p, cluster));
            for (const m of g.byType(G.iam)) assert.ok(g.dependsOn(p, m), `${p.name} does not wait for ${m.name}`);
        }
    });

    it("installs the platform through one provider that waits for the system pool, not the stream pool", () => {
        const provider = g.one(G.k8s, "dev-k8s");
        const system = g.one(G.pool, "dev-system-pool"), stream = g.one(G.pool, "dev-stream-pool");
        assert.ok(g.dependsOn(provider, system));
        assert.ok(g.dependsOn(provider, g.one(G.firewall, "dev-webhooks")));
        assert.ok(!g.dependsOn(provider, stream));
        assert.match(provider.inputs.kubeconfig.value ?? provider.inputs.kubeconfig, /gke-gcloud-auth-plugin/);
        // Off by default: a briefly unreachable cluster must not drop objects from the state (pulumi-kubernetes#2489).
        assert.strictEqual(provider.inputs.deleteUnreachable, undefined);
        for (const chart of g.byType(G.chart)) {
            assert.ok(chart.provider.startsWith(provider.urn), `${chart.name} is not on dev-k8s`);
            assert.ok(!g.dependsOn(chart, stream), `${chart.name} waits for the stream pool`);
            assert.match(chart.inputs.version, /^\d+\.\d+\.\d+$/, `${chart.name} is not pinned`);
            assert.deepStrictEqual(chart.inputs.values.prometheusOperator?.nodeSelector ?? chart.inputs.values.nodeSelector, { "volley.io/pool": "system" });
        }
    });

    it("outputs the environment with Filestore checkpoints and the stream placement", async () => {
        const ref: EnvironmentRef = await valueOf(env.environment);
        // Plain NFS on the share, so each application can mount its own directory (a CSI static volume mounts the share root).
        assert.deepStrictEqual(ref.checkpoints, {
            kind: "Nfs", nfsServer: "10.9.0.2", nfsPath: "/checkpoints", mountOptions: ["nfsvers=3"], uid: 1000, gid: 1000, directoryImage: "busybox:1.37.0", defaultSize: "50Gi",
            directoryNamespace: "volley-system-checkpoint-jobs",
        });
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        assert.deepStrictEqual(ref.systemPlacement, { nodeSelector: { "volley.io/pool": "system" }, tolerations: [] });
        assert.strictEqual(await valueOf(env.clusterName), `dev-${S}`);
        assert.strictEqual(await valueOf(env.filestoreIp), "10.9.0.2");
        assert.strictEqual(await valueOf(env.filestoreShare), "checkpoints");
        assert.strictEqual(await valueOf(env.streamNodePoolName), "stream");
        assert.ok(pulumi.Output.isInstance(env.kubeconfig) && await (env.kubeconfig as any).isSecret, "kubeconfig must be secret");
    });

    it("gives each distributed Application its own directory on the share: a Job creates it, a static NFS PV mounts only it", () => {
        const plain = (v: any) => (pulumi.runtime.isRpcSecret(v) ? v.value : v);
        const pv = plain(g.one("kubernetes:core/v1:PersistentVolume").inputs.spec);
        assert.deepStrictEqual(pv.nfs, { server: "10.9.0.2", path: "/checkpoints/default/agg" });
        assert.strictEqual(pv.csi, undefined, "not the CSI volume of the whole share");
        assert.deepStrictEqual(pv.mountOptions, ["nfsvers=3"]);
        assert.deepStrictEqual(pv.accessModes, ["ReadWriteMany"]);
        assert.strictEqual(pv.persistentVolumeReclaimPolicy, "Retain");
        const job = g.one("kubernetes:batch/v1:Job");
        const pod = plain(job.inputs.spec).template.spec;
        assert.deepStrictEqual(pod.volumes, [{ name: "export", nfs: { server: "10.9.0.2", path: "/checkpoints" } }]);
        assert.match(pod.containers[0].command[2], /^d='\/export\/default\/agg'$/m);
        assert.match(pod.containers[0].command[2], /chown -hR '1000:1000' "\$d"/);
        // In the environment's namespace for such Jobs, not the application's (#22 G3).
        assert.strictEqual(plain(job.inputs.metadata).namespace, "volley-system-checkpoint-jobs");
        // On the system pool, next to the operator.
        assert.deepStrictEqual(pod.nodeSelector, { "volley.io/pool": "system" });
        assert.ok(g.dependsOn(g.one("kubernetes:volley.io/v1alpha1:VolleyApplication"), job));
    });
});

describe("GcpEnvironment options", () => {
    it("existing network: no network, subnetwork, NAT; the cluster and Filestore use the given network", async () => {
        const { g } = await envGraph({ ...BASE, existingNetwork: { network: "shared", subnetwork: "gke-subnet", podsRangeName: "gke-pods" } });
        for (const t of [G.network, G.subnet, G.router, G.nat]) assert.strictEqual(g.byType(t).length, 0, t);
        const c = g.one(G.cluster).inputs;
        assert.strictEqual(c.network, "shared");
        assert.strictEqual(c.subnetwork, "gke-subnet");
        assert.deepStrictEqual(c.ipAllocationPolicy, { clusterSecondaryRangeName: "gke-pods", servicesSecondaryRangeName: "services" });
        assert.strictEqual(g.one(G.firewall, "dev-webhooks").inputs.network, "shared");
        assert.strictEqual(g.one(G.filestore).inputs.networks[0].network, "shared");
    });

    it("public nodes: no NAT, no firewall, no private cluster config", async () => {
        const { g } = await envGraph({ ...BASE, cluster: { privateNodes: false } });
        assert.strictEqual(g.byType(G.nat).length + g.byType(G.router).length, 0);
        assert.deepStrictEqual(g.byType(G.firewall).map((f) => f.name), ["dev-filestore-nlm"], "no control-plane rule; the NFS lock callbacks still need theirs");
        assert.strictEqual(g.one(G.cluster).inputs.privateClusterConfig, undefined);
    });

    it("existing cluster: no cluster, network or firewall; pools and Filestore on the looked-up cluster", async () => {
        const { g, env } = await envGraph({ ...BASE, existingCluster: { name: "prod", systemNodePoolName: "default-pool" } });
        for (const t of [G.cluster, G.network, G.subnet, G.nat, G.firewall]) assert.strictEqual(g.byType(t).length, 0, t);
        assert.deepStrictEqual(g.byType(G.pool).map((p) => p.name), ["dev-stream-pool"]);
        assert.strictEqual(g.one(G.pool).inputs.cluster, "prod");
        assert.strictEqual(g.one(G.filestore).inputs.networks[0].network, "prod-net");
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.systemPlacement.nodeSelector, { "cloud.google.com/gke-nodepool": "default-pool" });
        assert.match(ref.kubeconfig, /server: https:\/\/35\.9\.9\.9/);
        assert.strictEqual(await valueOf(env.systemNodePoolName), "default-pool");
        assert.strictEqual(await valueOf(env.network), "prod-net");
    });

    it("Filestore directory owner and Job image come from checkpoints.uid, gid and directoryImage", async () => {
        const { env } = await envGraph({ ...BASE, checkpoints: { uid: 65532, gid: 65532, directoryImage: "mirror.example/busybox:1.37.0", shareName: "vol1" } });
        const ck = (await valueOf(env.environment)).checkpoints!;
        assert.deepStrictEqual([ck.nfsPath, ck.uid, ck.gid, ck.directoryImage], ["/vol1", 65532, 65532, "mirror.example/busybox:1.37.0"]);
    });

    it("after destroy: adopts the retained network and Filestore instance instead of creating them (no 409)", async () => {
        let invoked: any;
        const mocks = { ...GCP_MOCKS, call: (a: any) => { if (a.token === "gcp:filestore/getInstance:getInstance") invoked = a.inputs; return GCP_MOCKS.call!(a); } };
        let env!: GcpEnvironment;
        const g = await captureGcp(() => {
            env = new GcpEnvironment("dev", { operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...BASE, network: { existingNetworkName: `dev-${S}` }, checkpoints: { existingInstance: { name: `dev-ckpt-${S}` }, uid: 2000 } }) });
        }, mocks);
        assert.strictEqual(g.byType(G.network).length + g.byType(G.filestore).length, 0, "nothing with a retained name is created");
        assert.strictEqual(g.one(G.subnet).inputs.network, `projects/my-project/global/networks/dev-${S}`);
        assert.strictEqual(g.one(G.router).inputs.network, `projects/my-project/global/networks/dev-${S}`);
        assert.strictEqual(g.one(G.cluster).inputs.network, `projects/my-project/global/networks/dev-${S}`);
        for (const t of [G.subnet, G.router]) assert.ok(g.dependsOn(g.one(t), g.one(G.service, "dev-api-compute")), `${t} waits for the API`);
        // Looked up where a default instance of this environment lives: the cluster's zone.
        assert.deepStrictEqual(invoked, { name: `dev-ckpt-${S}`, location: "us-central1-a", project: "my-project" });
        const ck = (await valueOf(env.environment)).checkpoints!;
        assert.deepStrictEqual([ck.kind, ck.nfsServer, ck.nfsPath, ck.uid], ["Nfs", "10.9.8.7", "/kept", 2000]);
        assert.strictEqual(await valueOf(env.filestoreIp), "10.9.8.7");
        assert.strictEqual(await valueOf(env.filestoreShare), "kept");
        assert.strictEqual(await valueOf(env.network), `projects/my-project/global/networks/dev-${S}`);
    });

    it("regional cluster: REGIONAL Filestore in the region when asked for; no checkpoints when disabled", async () => {
        const { g } = await envGraph({ ...BASE, location: "europe-west4", checkpoints: { tier: "REGIONAL" } });
        assert.strictEqual(g.one(G.filestore).inputs.tier, "REGIONAL");
        assert.strictEqual(g.one(G.filestore).inputs.location, "europe-west4");
        const { g: g2, env } = await envGraph({ ...BASE, checkpoints: { enabled: false } });
        assert.strictEqual(g2.byType(G.filestore).length, 0);
        assert.strictEqual((await valueOf(env.environment)).checkpoints, undefined);
    });

    it("enableApis false: no Service resources (the organisation manages APIs); no Filestore API without Filestore", async () => {
        const { g } = await envGraph({ ...BASE, enableApis: false });
        assert.strictEqual(g.byType(G.service).length, 0);
        assert.strictEqual(g.byType(G.cluster).length, 1);
        const { g: g2 } = await envGraph({ ...BASE, checkpoints: { enabled: false } });
        assert.deepStrictEqual(g2.byType(G.service).map((x) => x.name).sort(), ["dev-api-cloudresourcemanager", "dev-api-compute", "dev-api-container", "dev-api-iam"]);
    });

    it("kubeconfigUseApplicationDefaultCredentials: the kubeconfig's auth plugin uses ADC, for new and existing clusters", async () => {
        for (const extra of [{}, { existingCluster: { name: "prod", systemNodePoolName: "default-pool" } }]) {
            const { env } = await envGraph({ ...BASE, ...extra, kubeconfigUseApplicationDefaultCredentials: true });
            assert.match(await valueOf(env.kubeconfig), /command: gke-gcloud-auth-plugin\n\s+args:\n\s+- --use_application_default_credentials\n/);
        }
        const { env } = await envGraph(BASE);
        assert.doesNotMatch(await valueOf(env.kubeconfig), /use_application_default_credentials/);
    });

    it("derives every GCP name with a per-stack suffix; nameSuffix \"\" keeps the old names; explicit names win", async () => {
        const names = async (args: GcpEnvironmentArgs) => {
            const { g } = await envGraph(args);
            return [G.network, G.subnet, G.router, G.nat, G.firewall, G.cluster, G.filestore].map((t) => (t === G.firewall ? g.one(t, "dev-webhooks") : g.one(t)).inputs.name)
                .concat(g.one(G.sa).inputs.accountId, g.one(G.firewall, "dev-webhooks").inputs.targetTags[0]);
        };
        assert.strictEqual(S, "45ccb0");
        assert.deepStrictEqual(await names(BASE), [
            `dev-${S}`, `dev-${S}`, `dev-${S}-router`, `dev-${S}-nat`, `dev-${S}-gke-webhooks`, `dev-${S}`, `dev-ckpt-${S}`, `dev-${S}-nodes`, `dev-${S}-volley-node`,
        ]);
        assert.deepStrictEqual(await names({ ...BASE, nameSuffix: "" }), [
            "dev", "dev", "dev-router", "dev-nat", "dev-gke-webhooks", "dev", "dev-ckpt", "dev-nodes", "dev-volley-node",
        ]);
        assert.deepStrictEqual((await names({ ...BASE, nameSuffix: "eu1", cluster: { name: "prod" }, checkpoints: { instanceName: "prod-ckpt" } })).slice(0, 7), [
            "dev-eu1", "dev-eu1", "dev-eu1-router", "dev-eu1-nat", "dev-eu1-gke-webhooks", "prod", "prod-ckpt",
        ]);
    });

    it("deleteUnreachable reaches the Kubernetes provider only when set", async () => {
        const { g } = await envGraph({ ...BASE, deleteUnreachable: true });
        assert.strictEqual(g.one(G.k8s, "dev-k8s").inputs.deleteUnreachable, "true");
        const { g: g2 } = await envGraph({ ...BASE, deleteUnreachable: false });
        assert.strictEqual(g2.one(G.k8s, "dev-k8s").inputs.deleteUnreachable, "false");
    });

    it("custom stream taints are mapped, the stream label is kept", async () => {
        const { g } = await envGraph({ ...BASE, streamNodePool: { poolName: "stream-v2", nodeLabels: { tier: "gold" }, taints: [{ key: "volley.io/dedicated", value: "v2", effect: "NoExecute" }] } });
        const p = g.one(G.pool, "dev-stream-pool").inputs;
        assert.strictEqual(p.name, "stream-v2");
        assert.deepStrictEqual(p.nodeConfig.taints, [{ key: "volley.io/dedicated", value: "v2", effect: "NO_EXECUTE" }]);
        assert.deepStrictEqual(p.nodeConfig.labels, { tier: "gold", "volley.io/pool": "stream-processing" });
    });
});

describe("GcpNodePool and FilestoreCheckpointStore", () => {
    it("GcpNodePool creates its own least-privilege account unless given one, and never fights the autoscaler", async () => {
        const g = await captureGcp(() => new GcpNodePool("batch", { cluster: "dev", location: "us-central1", autoscaling: { minNodes: 0, maxNodes: 6, total: true }, taints: [{ key: "k", effect: "PreferNoSchedule" }] }));
        assert.strictEqual(g.byType(G.sa).length, 1);
        assert.strictEqual(g.byType(G.iam).length, 2);
        assert.strictEqual(g.one(G.sa).inputs.accountId, `batch-${stackSuffix("project", "stack", "batch")}-nodes`);
        const p = g.one(G.pool).inputs;
        assert.deepStrictEqual(p.autoscaling, { totalMinNodeCount: 0, totalMaxNodeCount: 6, locationPolicy: "BALANCED" });
        assert.strictEqual(p.nodeCount, undefined);
        assert.deepStrictEqual(p.nodeConfig.taints, [{ key: "k", value: "", effect: "PREFER_NO_SCHEDULE" }]);
        const g2 = await captureGcp(() => new GcpNodePool("b", { cluster: "dev", location: "us-central1-a", serviceAccount: "mine@p.iam.gserviceaccount.com" }));
        assert.strictEqual(g2.byType(G.sa).length + g2.byType(G.iam).length, 0);
        assert.strictEqual(g2.one(G.pool).inputs.nodeConfig.serviceAccount, "mine@p.iam.gserviceaccount.com");
    });

    it("FilestoreCheckpointStore with CMEK grants the Filestore service agent before creating the instance", async () => {
        const key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k";
        const g = await captureGcp(() => new FilestoreCheckpointStore("ck", { project: "my-project", location: "us-central1-a", network: "n", tier: "ZONAL", kmsKeyName: key, retainOnDelete: false, deletionProtection: false }));
        const grant = g.one(G.kms);
        assert.strictEqual(grant.inputs.member, "serviceAccount:service-123456789@cloud-filestore.iam.gserviceaccount.com");
        assert.strictEqual(grant.inputs.cryptoKeyId, key);
        const fs = g.one(G.filestore);
        assert.ok(g.dependsOn(fs, grant));
        assert.strictEqual(grant.retainOnDelete, false, "the grant follows the instance's retainOnDelete");
        assert.strictEqual(fs.inputs.kmsKeyName, key);
        assert.strictEqual(fs.retainOnDelete, false);
        assert.strictEqual(fs.inputs.deletionProtectionEnabled, false);
        assert.strictEqual(fs.inputs.name, `ck-${stackSuffix("project", "stack", "ck")}`);
        const g2 = await captureGcp(() => new FilestoreCheckpointStore("ck", { project: "my-project", location: "us-central1-a", network: "n" }));
        assert.strictEqual(g2.byType(G.kms).length, 0);
        const g3 = await captureGcp(() => new FilestoreCheckpointStore("ck", { project: "my-project", location: "us-central1-a", network: "n", tier: "ZONAL", kmsKeyName: key }));
        assert.strictEqual(g3.one(G.kms).retainOnDelete, true, "a retained instance keeps its key grant");
    });
});

describe("VolleyProvider.construct with GCP tokens", () => {
    const provider = new VolleyProvider("0.1.0", JSON.stringify({ resources: {} }));

    it("rejects bad GcpEnvironment input with every issue and creates nothing", async () => {
        let err: any;
        const g = await captureGcp(() => {
            provider.construct("bad", "volley:index:GcpEnvironment", {
                location: "us-central1-a", checkpoints: { tier: "BASIC_SSD", capacityGib: 2048 }, streamNodePool: { taints: [{ key: "k", effect: "NO_SCHEDULE" }] },
            }, {}).catch((e) => { err = e; });
        });
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        assert.deepStrictEqual(err.errors.map((e: any) => e.propertyPath).sort(), ["checkpoints.capacityGib", "operator.image", "project", "streamNodePool.taints[0].effect"]);
        assert.deepStrictEqual(g.resources, []);
    });

    it("constructs GcpEnvironment, GcpNodePool and FilestoreCheckpointStore by token, with Output inputs", async () => {
        const urns: string[] = [];
        const g = await captureGcp(() => {
            const done = (r: any) => urns.push(r.urn);
            provider.construct("dev", "volley:index:GcpEnvironment", {
                operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, project: "my-project", location: "us-central1-a", checkpoints: pulumi.output({ tier: "ZONAL", capacityGib: 1280 }), keda: { enabled: false },
            }, {}).then(done);
            provider.construct("pool", "volley:index:GcpNodePool", { cluster: "dev", location: "us-central1-a" }, {}).then(done);
            provider.construct("ck", "volley:index:FilestoreCheckpointStore", { project: "my-project", location: "us-central1-a", network: "n" }, {}).then(done);
        });
        assert.strictEqual(urns.length, 3);
        const fs = g.byType(G.filestore).find((r) => r.name === "dev-ckpt-instance")!;
        assert.strictEqual(fs.inputs.tier, "ZONAL");
        assert.strictEqual(fs.inputs.fileShares.capacityGb, 1280);
        assert.strictEqual(fs.inputs.name, `dev-ckpt-${S}`);
        assert.strictEqual(g.byType("volley:index:Keda").length, 0);
    });
});
