// Issue 20: the platform as a real cluster meets it. Validation of the
// operator contract, alert routing, NetworkPolicies, chart compatibility.
import * as assert from "assert";
import { validateKubernetesEnvironment, validateOperator } from "../../provider/kubernetes/validate/platform";
import { validateAwsEnvironment } from "../../provider/aws/validate";
import { alertmanagerConfigSpec } from "../../provider/kubernetes/render/alerting";
import { platformNetworkPolicies } from "../../provider/kubernetes/render/networkPolicies";
import { CHART_COMPATIBILITY, KNOWN_DEFAULT_SKEW, compatibilityWarnings } from "../../provider/kubernetes/compatibility";
import { DEFAULT_EKS_VERSION } from "../../provider/aws/render";
import { DEFAULT_KUBERNETES_VERSION as DEFAULT_AKS_VERSION } from "../../provider/azure/render";
import { STRIMZI_CHART } from "../../provider/kubernetes/kafka/settings";
import { KEDA_CHART, PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART } from "../../provider/kubernetes/render/helm";
import { UNKNOWN } from "../../provider/core/validate";
import { chartYaml } from "./charts";

const IMAGE = "registry.example.com/volley-k8s-operator:0.1.0";
const paths = (issues: { propertyPath: string }[]) => issues.map((i) => i.propertyPath);

describe("operator image (#20.1)", () => {
    it("is required on every environment, with the way to get one, at the environment's property path", () => {
        const k = validateKubernetesEnvironment({});
        assert.deepStrictEqual(paths(k), ["operator.image"]);
        assert.match(k[0].reason, /cargo build --release -p volley-k8s-operator/);
        assert.match(k[0].reason, /Dockerfile/);
        assert.ok(paths(validateAwsEnvironment({})).includes("operator.image"));
        assert.deepStrictEqual(paths(validateOperator({})), ["image"]);
    });
    it("accepts a tag, a digest, or a repository with version; an unknown image waits for its value", () => {
        for (const ok of [{ image: IMAGE }, { image: `registry.example.com/op@sha256:${"0".repeat(64)}` },
            { image: "registry.example.com:5000/team/op", version: "1.0" }, { image: UNKNOWN }]) {
            assert.deepStrictEqual(validateOperator(ok), [], JSON.stringify(ok));
        }
    });
    it("rejects no tag and no version, both a tag and a version, and references that are no image", () => {
        assert.match(validateOperator({ image: "registry.example.com/op" })[0].reason, /tag or an @sha256 digest/);
        assert.deepStrictEqual(paths(validateOperator({ image: IMAGE, version: "0.2.0" })), ["version"]);
        assert.deepStrictEqual(paths(validateOperator({ image: "Registry Example/op:1" })), ["image"]);
        assert.deepStrictEqual(paths(validateOperator({ image: IMAGE, imagePullSecrets: ["Bad_Name"] })), ["imagePullSecrets[0]"]);
    });
});

describe("operator pod contract (#20.2)", () => {
    it("more than one replica needs the operator's leader-election args", () => {
        const i = validateOperator({ image: IMAGE, replicas: 2 });
        assert.deepStrictEqual(paths(i), ["leaderElectionArgs"]);
        assert.match(i[0].reason, /replicas to 1/);
        assert.deepStrictEqual(validateOperator({ image: IMAGE, replicas: 2, leaderElectionArgs: ["--leader-elect"] }), []);
    });
    it("probes and ports are checked", () => {
        const i = validateOperator({ image: IMAGE, livenessProbe: { httpGet: { path: "healthz", port: 70000 } }, ports: [{ name: "metrics-and-more-too-long", containerPort: 9000 }] });
        assert.deepStrictEqual(paths(i).sort(), ["livenessProbe.httpGet.path", "livenessProbe.httpGet.port", "ports[0].name"]);
    });
});

describe("operator CRD text (#20.3)", () => {
    const crd = {
        apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "volleyapplications.volley.io" },
        spec: { group: "volley.io", names: { kind: "VolleyApplication", plural: "volleyapplications" }, scope: "Namespaced", versions: [] },
    };
    it("accepts the JSON that generate-crd prints, and YAML", () => {
        assert.deepStrictEqual(validateOperator({ image: IMAGE, crdYaml: JSON.stringify(crd, null, 2) }), []);
        assert.deepStrictEqual(validateOperator({ image: IMAGE, crdYaml: require("js-yaml").dump(crd) }), []);
    });
    it("rejects malformed text, another kind and another CRD, at the path", () => {
        assert.match(validateOperator({ image: IMAGE, crdYaml: "{ \"kind\": " })[0].reason, /does not parse/);
        assert.match(validateOperator({ image: IMAGE, crdYaml: JSON.stringify({ kind: "ConfigMap" }) })[0].reason, /kind "ConfigMap"/);
        const other = { ...crd, spec: { ...crd.spec, group: "example.com" } };
        const i = validateKubernetesEnvironment({ operator: { image: IMAGE, crdYaml: JSON.stringify(other) } });
        assert.deepStrictEqual(paths(i), ["operator.crdYaml"]);
    });
});

describe("alert routing (#20.8)", () => {
    it("every receiver under a null root, matched by severity, credentials as Secret references only", () => {
        const spec = alertmanagerConfigSpec([
            { name: "oncall", severities: ["critical"], pagerdutyRoutingKey: { name: "keys", key: "pd" } },
            { name: "hook", webhookUrl: { name: "keys", key: "url" } },
            { name: "chat", slackApiUrl: { name: "keys", key: "slack" }, slackChannel: "#s" },
        ]);
        assert.strictEqual(spec.route.receiver, "null");
        assert.deepStrictEqual(spec.route.routes.map((r: any) => [r.receiver, r.continue, r.matchers]), [
            ["oncall", true, [{ name: "severity", matchType: "=~", value: "critical" }]], ["hook", true, undefined], ["chat", true, undefined]]);
        assert.deepStrictEqual(spec.receivers.map((r: any) => r.name), ["null", "oncall", "hook", "chat"]);
        assert.deepStrictEqual(spec.receivers[1].pagerdutyConfigs[0].routingKey, { name: "keys", key: "pd" });
        assert.deepStrictEqual(spec.receivers[2].webhookConfigs[0].urlSecret, { name: "keys", key: "url" });
        assert.deepStrictEqual(spec.receivers[3].slackConfigs[0], { apiURL: { name: "keys", key: "slack" }, sendResolved: true, channel: "#s" });
    });
    it("field names are the AlertmanagerConfig CRD's (read from the vendored chart, not assumed)", () => {
        const schema = chartYaml("kube-prometheus-stack-77.0.0/charts/crds/crds/crd-alertmanagerconfigs.yaml").spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
        const recv = schema.receivers.items.properties;
        assert.ok(recv.webhookConfigs.items.properties.urlSecret);
        assert.ok(recv.slackConfigs.items.properties.apiURL && recv.slackConfigs.items.properties.channel);
        assert.ok(recv.pagerdutyConfigs.items.properties.routingKey);
        const route = schema.route.properties;
        for (const k of ["receiver", "groupBy", "routes", "matchers", "continue"]) assert.ok(route[k], k);
    });
});

describe("platform NetworkPolicies (#20.11)", () => {
    it("default-deny in each platform namespace with the allows it needs", () => {
        const ps = platformNetworkPolicies({ operator: "volley-system", keda: "keda", monitoring: "monitoring" }, ["ops"]);
        for (const ns of ["volley-system", "keda", "monitoring"]) {
            assert.ok(ps.some((p) => p.namespace === ns && p.name === "default-deny-ingress" && p.spec.ingress === undefined), ns);
        }
        const api = ps.find((p) => p.name === "allow-api-server")!;
        assert.deepStrictEqual(api.spec.ingress[0].ports.map((p: any) => p.port), [6443, 9443]);
        assert.ok(ps.find((p) => p.name === "allow-keda-queries")!.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] === "keda");
        assert.ok(ps.find((p) => p.name === "allow-grafana-users"));
        assert.strictEqual(new Set(ps.map((p) => `${p.namespace}/${p.name}`)).size, ps.length);
    });
    it("every environment takes networkPolicies: the same type, documented, validated at its own path (#20.11)", () => {
        // The schema and the SDKs come from these interfaces (tools/schema), so the input exists only where it is declared.
        const ts = require("typescript"), fs = require("fs"), path = require("path");
        const decl = (file: string, iface: string) => {
            const sf = ts.createSourceFile(file, fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8"), ts.ScriptTarget.ES2022, true);
            const i = sf.statements.find((n: any) => ts.isInterfaceDeclaration(n) && n.name.text === iface);
            const m = i?.members.find((n: any) => n.name?.text === "networkPolicies");
            return m ? { type: m.type.getText(sf), doc: (m.jsDoc ?? []).map((d: any) => d.comment).join("") } : undefined;
        };
        const envs: [string, string][] = [["provider/kubernetes/kubernetesEnvironment.ts", "KubernetesEnvironmentArgs"], ["provider/aws/awsEnvironment.ts", "AwsEnvironmentArgs"],
            ["provider/gcp/gcpEnvironment.ts", "GcpEnvironmentArgs"], ["provider/azure/azureEnvironment.ts", "AzureEnvironmentArgs"]];
        for (const [file, iface] of envs) {
            const d = decl(file, iface);
            assert.strictEqual(d?.type, "NetworkPolicySettings", `${iface}.networkPolicies`);
            assert.match(d!.doc, /Defaults to none/, iface);
        }
        const bad = { networkPolicies: { enabled: true, grafanaFrom: ["Ops Team"] } };
        const { validateGcpEnvironment } = require("../../provider/gcp/validate");
        const { validateAzureEnvironment } = require("../../provider/azure/validate");
        for (const [cloud, issues] of [["aws", validateAwsEnvironment(bad)], ["gcp", validateGcpEnvironment(bad)], ["azure", validateAzureEnvironment(bad)]] as [string, any[]][]) {
            assert.ok(issues.some((i) => i.propertyPath === "networkPolicies.grafanaFrom[0]" && /DNS-1123 label/.test(i.reason)), cloud);
        }
    });
    it("no KEDA, no Prometheus: only the operator namespace", () => {
        assert.deepStrictEqual([...new Set(platformNetworkPolicies({ operator: "v" }).map((p) => p.namespace))], ["v"]);
    });
    it("KubernetesEnvironment: one NetworkPolicy per rendered policy, named by role (stable whatever the namespace is called)", async () => {
        const { capture } = require("./graph");
        const { KubernetesEnvironment } = require("../../provider/kubernetes/kubernetesEnvironment");
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: { image: IMAGE }, networkPolicies: { enabled: true, grafanaFrom: ["ops"] } }));
        const got = g.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r: any) => `${r.name} ${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`).sort();
        const want = platformNetworkPolicies({ operator: "volley-system", keda: "keda", monitoring: "monitoring" }, ["ops"])
            .map((p) => `dev-netpol-${p.role}-${p.name} ${p.namespace}/${p.name}`).sort();
        assert.deepStrictEqual(got, want);
        assert.ok(got.includes("dev-netpol-monitoring-allow-grafana-users monitoring/allow-grafana-users"), "the names earlier versions used");
    });
});

describe("chart compatibility (#20.12)", () => {
    it("every pinned default chart has a row", () => {
        for (const c of [KEDA_CHART, PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART, STRIMZI_CHART]) {
            assert.ok(CHART_COMPATIBILITY.some((r) => r.chart === c.chart && r.version === c.version && r.source), c.chart);
        }
    });
    it("defaults move together: a default chart outside a default cluster version's tested range is a listed, explained exception, and every listed one is still needed", () => {
        const charts = Object.fromEntries([KEDA_CHART, PROMETHEUS_CHART, PROMETHEUS_CRDS_CHART, STRIMZI_CHART].map((c) => [c.chart, c.version]));
        // GKE's default is its release channel's, not a version the package picks.
        const skewed = new Set<string>();
        for (const v of [DEFAULT_EKS_VERSION, DEFAULT_AKS_VERSION]) {
            for (const w of compatibilityWarnings(v, charts)) {
                const known = KNOWN_DEFAULT_SKEW.find((k) => w.startsWith(`${k.chart} ${k.version} `));
                assert.ok(known, `default cluster ${v} and a default chart disagree with no KNOWN_DEFAULT_SKEW row: ${w}`);
                skewed.add(`${known!.chart} ${known!.version}`);
            }
        }
        for (const k of KNOWN_DEFAULT_SKEW) {
            assert.ok(skewed.has(`${k.chart} ${k.version}`), `${k.chart} ${k.version} is in range of the default clusters now: remove its KNOWN_DEFAULT_SKEW row`);
            assert.strictEqual(charts[k.chart], k.version, `KNOWN_DEFAULT_SKEW names ${k.chart} ${k.version}, not the default`);
        }
    });
    it("a cluster outside a chart's tested range is a warning naming both", () => {
        const w = compatibilityWarnings("1.35", { keda: "2.18.0", "kube-prometheus-stack": "77.0.0" });
        assert.strictEqual(w.length, 1);
        assert.match(w[0], /keda 2\.18\.0 is tested on Kubernetes 1\.31-1\.33, and this cluster runs 1\.35/);
        assert.deepStrictEqual(compatibilityWarnings("v1.32.4-eks-1234", { keda: "2.18.0" }), []);
        assert.deepStrictEqual(compatibilityWarnings(undefined, { keda: "2.18.0" }), []);
        assert.strictEqual(compatibilityWarnings("1.24", { "kube-prometheus-stack": "77.0.0" }).length, 1);
        assert.match(compatibilityWarnings("1.29", { "strimzi-kafka-operator": "1.2.0" })[0], /tested on Kubernetes 1\.30 and newer, and this cluster runs 1\.29/);
        assert.deepStrictEqual(compatibilityWarnings("1.36", { "strimzi-kafka-operator": "1.2.0" }), []);
    });
    it("a chart version the table does not know is a warning too, saying what is tested (the JSDoc's promise)", () => {
        // 2.17.0 is a real KEDA release (keda.sh/docs/2.17) that the table has no row for.
        const [w, ...rest] = compatibilityWarnings("1.32", { keda: "2.17.0" });
        assert.deepStrictEqual(rest, []);
        assert.match(w, /^keda 2\.17\.0 is not in the package's chart compatibility table, so nothing says it is tested on Kubernetes 1\.32/);
        const row = CHART_COMPATIBILITY.find((r) => r.chart === "keda")!;
        assert.ok(w.includes(`the table knows keda ${row.version} on ${row.minKubernetes}-${row.maxKubernetes}`), w);
        assert.match(w, /leave `version` unset for the pinned default/);
        assert.match(compatibilityWarnings("1.32", { "some-chart": "1.0.0" })[0], /^some-chart 1\.0\.0 is not in the package's chart compatibility table.*; check the chart's release notes/);
        assert.deepStrictEqual(compatibilityWarnings(undefined, { keda: "2.17.0" }), [], "no cluster version, nothing to compare");
    });

    /** The "keda ..." warnings an environment logs at construct. */
    async function kedaWarnings(build: () => Promise<unknown>): Promise<string[]> {
        const seen: string[] = [];
        const pulumi = require("@pulumi/pulumi");
        const warn = pulumi.log.warn;
        pulumi.log.warn = (m: string) => { seen.push(m); return Promise.resolve(); };
        try { await build(); } finally { pulumi.log.warn = warn; }
        return seen.filter((m) => m.startsWith("keda "));
    }
    it("EKS passes the version the cluster reports (new and existing clusters)", async () => {
        const { AwsEnvironment } = require("../../provider/aws/awsEnvironment");
        const { capture } = require("./graph");
        const { awsOutputs, awsCalls } = require("./awsFixtures");
        const { GOOD_ENV, EXISTING } = require("./awsValidate.test");
        // EKS reports `version` as MAJOR.MINOR (EKS API DescribeCluster, cluster.version).
        const mocks = (reported: string) => ({
            outputs: (a: any) => (a.type === "aws:eks/cluster:Cluster" ? { ...awsOutputs(a), version: reported } : awsOutputs(a)),
            call: (a: any) => (a.token === "aws:eks/getCluster:getCluster" ? { ...awsCalls()(a), version: reported } : awsCalls()(a)),
        });
        const eks = (args: any, reported: string) => kedaWarnings(() => capture(() => new AwsEnvironment("dev", { ...args, operator: { image: IMAGE } }), mocks(reported)));
        const fresh = await eks(GOOD_ENV, "1.35");
        assert.strictEqual(fresh.length, 1, "a 1.35 cluster is outside KEDA 2.18's 1.31-1.33");
        assert.match(fresh[0], /this cluster runs 1\.35 /);
        assert.deepStrictEqual(await eks(GOOD_ENV, "1.33"), [], "a 1.33 cluster is in range");
        assert.match((await eks(EXISTING, "1.35"))[0] ?? "", /this cluster runs 1\.35 /, "an existing cluster's version is read");
        assert.deepStrictEqual(await eks(EXISTING, "1.32"), []);
    });
    it("AKS passes the version the cluster reports (new clusters)", async () => {
        const { AzureEnvironment } = require("../../provider/azure/azureEnvironment");
        const { AZURE_MOCKS, A, captureAzure } = require("./azureMocks");
        // ManagedCluster.kubernetesVersion as AKS reports it, with the patch it chose (AKS supported-kubernetes-versions).
        const mocks = (reported: string) => ({ ...AZURE_MOCKS, outputs: (a: any) => (a.type === A.cluster ? { ...AZURE_MOCKS.outputs!(a), kubernetesVersion: reported } : AZURE_MOCKS.outputs!(a)) });
        const aks = (reported: string) => kedaWarnings(() => captureAzure(() => new AzureEnvironment("dev", { operator: { image: IMAGE }, cluster: { kubernetesVersion: "1.35" } }), mocks(reported)));
        const fresh = await aks("1.35.2");
        assert.strictEqual(fresh.length, 1);
        assert.match(fresh[0], /this cluster runs 1\.35\.2 /);
    });
    it("GKE passes the version its control plane reports (new and existing clusters)", async () => {
        const { GcpEnvironment } = require("../../provider/gcp/gcpEnvironment");
        const { GCP_MOCKS, G, captureGcp } = require("./gcpMocks");
        // GKE's version format (cloud.google.com/kubernetes-engine/versioning): 1.MINOR.PATCH-gke.N.
        const mocks = {
            outputs: (a: any) => (a.type === G.cluster ? { ...GCP_MOCKS.outputs!(a), masterVersion: "1.35.1-gke.1200000" } : GCP_MOCKS.outputs!(a)),
            call: (a: any) => (a.token === "gcp:container/getCluster:getCluster" ? { ...GCP_MOCKS.call!(a), masterVersion: "1.32.9-gke.1000" } : GCP_MOCKS.call!(a)),
        };
        const warnings = async (args: any) => {
            const seen: string[] = [];
            const pulumi = require("@pulumi/pulumi");
            const warn = pulumi.log.warn;
            pulumi.log.warn = (m: string) => { seen.push(m); return Promise.resolve(); };
            try {
                await captureGcp(() => new GcpEnvironment("dev", { project: "p", location: "us-central1-a", operator: { image: IMAGE }, ...args }), mocks);
            } finally { pulumi.log.warn = warn; }
            return seen.filter((m) => m.startsWith("keda "));
        };
        const fresh = await warnings({});
        assert.strictEqual(fresh.length, 1, "a new cluster on 1.35 is outside KEDA 2.18's 1.31-1.33");
        assert.match(fresh[0], /this cluster runs 1\.35\.1-gke\.1200000/);
        assert.deepStrictEqual(await warnings({ existingCluster: { name: "prod", systemNodePoolName: "default-pool" } }), [], "an existing 1.32 cluster is in range");
    });
});

describe("chart CRDs retained on delete (#20.7)", () => {
    const { retainCrdTransform } = require("../../provider/kubernetes/retainCrds");
    it("marks CustomResourceDefinitions retainOnDelete, keeping their other options; leaves the rest alone", () => {
        const r = retainCrdTransform({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", name: "c", props: { a: 1 }, opts: { protect: false } });
        assert.deepStrictEqual(r.props, { a: 1 });
        assert.strictEqual(r.opts.retainOnDelete, true);
        assert.strictEqual(r.opts.protect, false);
        assert.strictEqual(retainCrdTransform({ type: "kubernetes:core/v1:ConfigMap", name: "c", props: {}, opts: {} }), undefined);
    });
    /**
     * Every chart of the graph either retains the CRDs it renders (the transform)
     * or installs none (`skipCrds`, whose CRDs another, retaining chart installs);
     * `expected` are the charts that must be there.
     */
    function assertChartsRetainCrds(g: any, expected: string[]): void {
        const charts = g.byType("kubernetes:helm.sh/v4:Chart");
        const names = charts.map((c: any) => c.name);
        for (const e of expected) assert.ok(names.includes(e), `${e} not among ${names.join()}`);
        const crd = { type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", name: "x", props: {}, opts: {} };
        for (const c of charts) {
            const out = c.transforms.map((t: any) => t(crd)).find((r: any) => r);
            if (out === undefined && c.inputs.skipCrds === true) continue;
            assert.strictEqual(out?.opts.retainOnDelete, true, c.name);
        }
    }
    it("every chart of an environment carries it: its CRDs come back retained", async () => {
        const { capture } = require("./graph");
        const { KubernetesEnvironment } = require("../../provider/kubernetes/kubernetesEnvironment");
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: { image: IMAGE } }));
        assertChartsRetainCrds(g, ["dev-keda-chart", "dev-prometheus-chart"]);
    });
    it("Strimzi's chart (kafka mode strimzi) retains its CRDs too", async () => {
        const { capture } = require("./graph");
        const { KubernetesEnvironment } = require("../../provider/kubernetes/kubernetesEnvironment");
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: { image: IMAGE }, kafka: { mode: "strimzi" } }));
        const strimzi = g.byType("kubernetes:helm.sh/v4:Chart").filter((c: any) => /strimzi-kafka-operator/.test(JSON.stringify(c.inputs.chart)));
        assert.strictEqual(strimzi.length, 1, "no Strimzi chart");
        assertChartsRetainCrds(g, ["dev-keda-chart", "dev-prometheus-chart", strimzi[0].name]);
    });
    it("AWS with Karpenter: the karpenter-crd chart retains its CRDs; the controller chart installs none (skipCrds)", async () => {
        const { capture } = require("./graph");
        const { AwsEnvironment } = require("../../provider/aws/awsEnvironment");
        const { awsOutputs, awsCalls } = require("./awsFixtures");
        // The fixture of tests/unit/awsKarpenter.test.ts: Karpenter is the AWS stream pool's default provisioner.
        const g = await capture(() => new AwsEnvironment("dev", { operator: { image: IMAGE }, vpc: { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"] } }),
            { outputs: awsOutputs, call: awsCalls() });
        const charts = g.byType("kubernetes:helm.sh/v4:Chart").map((c: any) => c.name);
        const crds = charts.filter((n: string) => /karpenter-crds$/.test(n)), controller = charts.filter((n: string) => /karpenter-chart$/.test(n));
        assert.deepStrictEqual([crds.length, controller.length], [1, 1], charts.join());
        assertChartsRetainCrds(g, [...crds, ...controller, "dev-keda-chart", "dev-prometheus-chart"]);
        // skipCrds leaves out crds/ only: the vendored controller chart's templates render no CRD.
        const fs = require("fs"), path = require("path");
        const tpl = path.join(require("./charts").chartsDir(), "karpenter-1.14.1", "templates");
        for (const f of fs.readdirSync(tpl)) assert.doesNotMatch(fs.readFileSync(path.join(tpl, f), "utf8"), /kind:\s*CustomResourceDefinition/, f);
    });
});

describe("Keda.chartVersion from a local chart (#20.13)", () => {
    const { capture, valueOf } = require("./graph");
    const { Keda } = require("../../provider/kubernetes/keda");
    const fs = require("fs");
    const path = require("path");
    const os = require("os");
    const yaml = require("js-yaml");
    const { chartsDir } = require("./charts");
    const KEDA_DIR = path.join(chartsDir(), "keda-2.18.0");

    async function chartVersion(args: any): Promise<string> {
        let keda: any;
        await capture(() => { keda = new Keda("k", args); });
        return valueOf(keda.chartVersion);
    }
    it("a chart directory reports its own Chart.yaml version, not the `version` input or the pinned default", async () => {
        // Read with a YAML parser, not the code's pattern: the chart's own statement.
        const own = yaml.load(fs.readFileSync(path.join(KEDA_DIR, "Chart.yaml"), "utf8")).version;
        // `version` says 2.17.0: only a version read from the directory gives the chart's own.
        assert.strictEqual(await chartVersion({ chartPath: KEDA_DIR, version: "2.17.0" }), own);
        assert.strictEqual(await chartVersion({ version: "2.17.0" }), "2.17.0", "from the repository: the version asked for");
    });
    it("a .tgz or a path without Chart.yaml reports \"unknown\" (the package does not unpack archives)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keda-"));
        try {
            assert.strictEqual(await chartVersion({ chartPath: path.join(dir, "keda-2.18.0.tgz") }), "unknown");
            assert.strictEqual(await chartVersion({ chartPath: dir }), "unknown", "a directory without Chart.yaml");
        } finally { fs.rmSync(dir, { recursive: true }); }
    });
});

describe("KubernetesEnvironment platform wiring under mocks (#20.4, #20.8, #20.9, #20.11)", () => {
    const { capture } = require("./graph");
    const { KubernetesEnvironment } = require("../../provider/kubernetes/kubernetesEnvironment");
    const SM = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
    it("Grafana's admin Secret (generated, kept by ignoreChanges), ServiceMonitors for KEDA and the operator, receivers, policies", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", {
            operator: { image: IMAGE, metricsPort: 9100 },
            prometheus: { alerting: { receivers: [{ name: "hook", webhookUrl: { name: "keys", key: "url" } }] } },
            networkPolicies: { enabled: true, grafanaFrom: ["ops"] },
        }));
        const secret = g.resources.find((r: any) => r.name === "dev-prometheus-grafana-admin");
        assert.ok(secret, "no Grafana admin Secret");
        assert.deepStrictEqual(secret.ignoreChanges, ["stringData", "data"]);
        // The password reaches the engine as a secret, and is not the chart's public default
        // (read from the vendored chart's values.yaml, grafana.adminPassword).
        // (The engine marks the whole stringData secret: one secret value in it is enough.)
        const sd = secret.inputs.stringData;
        assert.ok(require("@pulumi/pulumi").runtime.isRpcSecret(sd), `not marked secret: ${JSON.stringify(sd)}`);
        const pw = sd.value["admin-password"];
        assert.notStrictEqual(pw, chartYaml("kube-prometheus-stack-77.0.0/values.yaml").grafana.adminPassword);
        assert.ok(typeof pw === "string" && pw.length >= 24, "generated with at least 24 characters");
        assert.strictEqual(sd.value["admin-user"], "admin");
        const values = g.resources.find((r: any) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "dev-prometheus-chart").inputs.values;
        assert.strictEqual(values.grafana.admin.existingSecret, "grafana-admin");
        assert.strictEqual(values.kubeEtcd.enabled, true, "control-plane monitors stay on for any Kubernetes");
        assert.deepStrictEqual(values.alertmanager.alertmanagerSpec.alertmanagerConfiguration, { name: "dev-prometheus-alerting" });
        const amc = g.resources.find((r: any) => r.type === "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig");
        assert.deepStrictEqual(amc.inputs.spec.receivers.map((r: any) => r.name), ["null", "hook"]);
        assert.deepStrictEqual(g.resources.filter((r: any) => r.type === SM).map((r: any) => r.name).sort(), ["dev-keda-operator", "dev-volley-operator"]);
        const keda = g.resources.find((r: any) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "dev-keda-chart").inputs.values;
        assert.deepStrictEqual(keda.prometheus, { operator: { enabled: true } });
        const policies = g.resources.filter((r: any) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        assert.ok(policies.length >= 7, String(policies.length));
    });
    it("Grafana's password is a secret output: the generated one the Secret keeps, unchanged by a later run (#20.4)", async () => {
        const pulumi = require("@pulumi/pulumi");
        const { valueOf } = require("./graph");
        const KEY = "kubernetes:core/v1:Secret::dev-prometheus-grafana-admin";
        const run = async (previous?: Record<string, any>) => {
            let env: any;
            const g = await capture(() => { env = new KubernetesEnvironment("dev", { operator: { image: IMAGE } }); }, { previous });
            const secret = g.resources.find((r: any) => `${r.type}::${r.name}` === KEY);
            return { out: env.grafanaAdminPassword, sent: secret.inputs.stringData.value["admin-password"], inputs: secret.inputs };
        };
        const first = await run();
        assert.strictEqual(await first.out.isSecret, true, "a secret output");
        assert.strictEqual(await valueOf(first.out), first.sent);
        // A later run generates another value; ignoreChanges keeps the first, and so does the output.
        const second = await run({ [KEY]: first.inputs });
        assert.notStrictEqual(second.sent, first.sent, "each run generates a new candidate");
        assert.strictEqual(await valueOf(second.out), first.sent, "the output is the password Grafana has");
        // A given password is the output too; no Prometheus stack, no password.
        let given: any, none: any;
        await capture(() => { given = new KubernetesEnvironment("dev", { operator: { image: IMAGE }, prometheus: { grafanaAdminPassword: pulumi.secret("s3cret-from-config") } }); });
        assert.strictEqual(await valueOf(given.grafanaAdminPassword), "s3cret-from-config");
        assert.strictEqual(await given.grafanaAdminPassword.isSecret, true);
        await capture(() => { none = new KubernetesEnvironment("dev", { operator: { image: IMAGE }, prometheus: { mode: "crds" } }); });
        assert.strictEqual(await valueOf(none.grafanaAdminPassword), undefined);
    });
    it("no receivers: no AlertmanagerConfig; a given password: no ignoreChanges; no Prometheus: no ServiceMonitors", async () => {
        const g = await capture(() => new KubernetesEnvironment("dev", { operator: { image: IMAGE }, prometheus: { grafanaAdminPassword: "s3cret-from-config" } }));
        assert.strictEqual(g.resources.filter((r: any) => r.type.includes("AlertmanagerConfig")).length, 0);
        const secret = g.resources.find((r: any) => r.name === "dev-prometheus-grafana-admin");
        assert.deepStrictEqual(secret.ignoreChanges, []);
        const g2 = await capture(() => new KubernetesEnvironment("dev", { operator: { image: IMAGE }, prometheus: { mode: "none" } }));
        assert.strictEqual(g2.resources.filter((r: any) => r.type === SM).length, 0);
    });
});
