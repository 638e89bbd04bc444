// Limits across layers (issue 23 item 4): the stream pool's capacity in the
// EnvironmentRef, from each cloud's documented machine shapes and node
// reservations, and the Application checks against it. Shapes and
// reservations are asserted against figures copied from the clouds' own
// documents (below, with their sources), not against the package's tables.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ec2InstanceShape, ec2NodeShape, ec2NodeShapes, eksReservedCpuMillicores, eksReservedMemoryMib, nodeGroupCapacity } from "../../provider/aws/capacity";
import { gceMachineShape, gkeNodeShape, gkeReservedCpuMillicores, gkeReservedMemoryBytes, poolZones } from "../../provider/gcp/capacity";
import { aksNodeShape, aksReservedCpuMillicores, aksReservedMemoryBytes, azureVmShape } from "../../provider/azure/capacity";
import { GIB, MIB, formatCpu, formatMemory, parseQuantity } from "../../provider/core/quantity";
import { validateApplication } from "../../provider/kubernetes/validate/application";
import { podRequests, streamDemand, streamPoolWarning } from "../../provider/kubernetes/validate/capacity";
import { recordStreamDemand, resetStreamDemand } from "../../provider/kubernetes/streamDemand";
import { UNKNOWN } from "../../provider/core/validate";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { GcpEnvironment } from "../../provider/gcp/gcpEnvironment";
import { AzureEnvironment } from "../../provider/azure/azureEnvironment";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { VolleyProvider } from "../../provider/provider";
import { EnvironmentRef } from "../../provider/core/types";
import { capture, valueOf } from "./graph";
import { awsCalls, awsOutputs } from "./awsFixtures";
import { GOOD_ENV as AWS_ENV } from "./awsValidate.test";
import { captureGcp } from "./gcpMocks";
import { captureAzure } from "./azureMocks";
import { ENV, OPERATOR } from "./validate.test";

const ROOT = path.join(__dirname, "..", "..");

describe("machine shapes: the package's tables agree with the clouds' documents", () => {
    // https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, /co.html, /mo.html (vCPUs, memory GiB);
    // max pods: awslabs/amazon-eks-ami nodeadm/internal/kubelet/eni-max-pods.txt.
    const EC2: [string, number, number, number][] = [
        ["m6i.large", 2, 8, 29], ["m6i.2xlarge", 8, 32, 58], ["m6i.4xlarge", 16, 64, 234], ["m6a.large", 2, 8, 29],
        ["m7g.medium", 1, 4, 8], ["m7g.large", 2, 8, 29], ["m7g.2xlarge", 8, 32, 58], ["m5.16xlarge", 64, 256, 737],
        ["c6i.4xlarge", 16, 32, 234], ["c6a.4xlarge", 16, 32, 234], ["c5.9xlarge", 36, 72, 234], ["c7g.xlarge", 4, 8, 58],
        ["r6i.xlarge", 4, 32, 58], ["r7g.16xlarge", 64, 512, 737], ["t4g.medium", 2, 4, 17], ["t3.large", 2, 8, 35],
    ];
    for (const [type, vcpus, memoryGib, maxPods] of EC2) {
        it(`EC2 ${type}: ${vcpus} vCPU, ${memoryGib} GiB, ${maxPods} pods`, () => assert.deepStrictEqual(ec2InstanceShape(type), { vcpus, memoryGib, maxPods }));
    }
    // https://cloud.google.com/compute/docs/general-purpose-machines, /compute-optimized-machines (GB = 2^30 bytes).
    const GCE: [string, number, number][] = [
        ["e2-standard-4", 4, 16], ["n2-standard-8", 8, 32], ["n2-highmem-8", 8, 64], ["e2-highcpu-16", 16, 16], ["n1-standard-4", 4, 15],
        ["n2d-standard-224", 224, 896], ["c2-standard-30", 30, 120], ["t2d-standard-60", 60, 240], ["c3-standard-22", 22, 88],
    ];
    for (const [type, vcpus, memoryGib] of GCE) {
        it(`Compute Engine ${type}: ${vcpus} vCPU, ${memoryGib} GB`, () => assert.deepStrictEqual(gceMachineShape(type), { vcpus, memoryGib }));
    }
    // learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/ddsv5-series, dasv5-series, bv1-series;
    // memory-optimized/edsv5-series, esv5-series; compute-optimized/fsv2-series.
    const AZ: [string, number, number][] = [
        ["Standard_D4ds_v5", 4, 16], ["Standard_D8ds_v5", 8, 32], ["Standard_D96as_v5", 96, 384], ["Standard_E16ds_v5", 16, 128],
        ["Standard_E20s_v5", 20, 160], ["Standard_F16s_v2", 16, 32], ["Standard_F72s_v2", 72, 144], ["Standard_B4ms", 4, 16],
    ];
    for (const [size, vcpus, memoryGib] of AZ) {
        it(`Azure ${size}: ${vcpus} vCPU, ${memoryGib} GiB`, () => assert.deepStrictEqual(azureVmShape(size), { vcpus, memoryGib }));
    }

    it("unknown types have no shape (their requests are not checked), nor do irregular ones", () => {
        for (const t of ["m6i.metal", "x2iedn.xlarge", "m6i.3xlarge", "t3.micro"]) assert.strictEqual(ec2InstanceShape(t), undefined, t);
        for (const t of ["e2-highmem-32", "n2-custom-8-16384", "e2-medium"]) assert.strictEqual(gceMachineShape(t), undefined, t);
        // E96ds_v5 has 672 GiB, not 8 per vCPU.
        for (const t of ["Standard_E96ds_v5", "Standard_NC6s_v3", "Standard_D3_v5"]) assert.strictEqual(azureVmShape(t), undefined, t);
        assert.strictEqual(ec2NodeShapes(["m6i.2xlarge", "m6i.metal"]), undefined, "one unknown type: a pod might fit it");
    });

    it("covers every machine type the defaults, examples and README use", () => {
        const files = [
            "README.md", ...fs.readdirSync(path.join(ROOT, "examples"), { recursive: true } as any).map((f) => path.join("examples", String(f))),
            "provider/aws/awsNodePool.ts", "provider/aws/awsEnvironment.ts", "provider/gcp/render.ts", "provider/azure/render.ts",
        ].filter((f) => fs.statSync(path.join(ROOT, f)).isFile());
        const text = files.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8")).join("\n");
        const found = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => m[0]))];
        const ec2 = found(/\b[a-z][0-9][a-z]*\.(medium|large|[0-9]*xlarge)\b/g);
        const gce = found(/\b(e2|n1|n2|n2d|n4|c2|c2d|c3|t2d)-(standard|highmem|highcpu)-[0-9]+\b/g);
        const az = found(/\bStandard_[A-Z][0-9]+[a-z]*_v[0-9]\b/g);
        assert.ok(ec2.includes("m6i.2xlarge") && gce.includes("n2-standard-8") && az.includes("Standard_D8ds_v5"), "the scan finds the defaults");
        assert.deepStrictEqual(ec2.filter((t) => !ec2InstanceShape(t)), []);
        assert.deepStrictEqual(gce.filter((t) => !gceMachineShape(t)), []);
        assert.deepStrictEqual(az.filter((t) => !azureVmShape(t)), []);
    });
});

describe("node reservations: the documented formulas and their examples", () => {
    it("EKS (AL2023, Bottlerocket): kube-reserved memory 1355Mi at maxPods 100, as amazon-eks-ami's own test expects", () => {
        // nodeadm/internal/kubelet/config_test.go TestKubeReservedMemoryWithUserMaxPods.
        assert.strictEqual(eksReservedMemoryMib(100), 1355);
    });
    it("EKS and GKE reserve 6% of the first core, 1% of the second, 0.5% of cores 3-4 and 0.25% above", () => {
        // 1 core: 60m; 2: 60+10; 4: 60+10+2×5; 8: 80+4×2.5; 16: 80+12×2.5.
        for (const [cores, milli] of [[1, 60], [2, 70], [4, 80], [8, 90], [16, 110]]) {
            assert.strictEqual(eksReservedCpuMillicores(cores), milli, `EKS ${cores}`);
            assert.strictEqual(gkeReservedCpuMillicores(cores), milli, `GKE ${cores}`);
        }
    });
    it("GKE memory: a 150 GiB node keeps 140.1423 GiB allocatable (reservations and the 100 MiB eviction threshold)", () => {
        // The worked example of github.com/hatemosphere/gke-node-allocatable-memory-calculator, from GKE's plan-node-sizes page.
        const allocatable = (150 * GIB - gkeReservedMemoryBytes(150 * GIB) - 100 * MIB) / GIB;
        assert.ok(Math.abs(allocatable - 140.1423) < 0.0001, String(allocatable));
        assert.strictEqual(gkeReservedMemoryBytes(0.5 * GIB), 255 * MIB, "255 MiB below 1 GiB");
    });
    it("AKS: the documented CPU table and both memory examples (20 MB per pod + 50 MB, or 25% when less)", () => {
        // learn.microsoft.com/azure/aks/node-resource-reservations.
        for (const [cores, milli] of [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]]) assert.strictEqual(aksReservedCpuMillicores(cores), milli);
        assert.strictEqual(aksReservedMemoryBytes(8e9, 30), 650e6, "8 GB, 30 pods: 650 MB");
        assert.strictEqual(aksReservedMemoryBytes(4e9, 70), 1000e6, "4 GB, 70 pods: 25% = 1000 MB, less than 1450 MB");
        assert.strictEqual(aksReservedCpuMillicores(48), 420, "between rows: the lower row (a smaller reservation)");
    });
    it("node shapes: capacity as documented, allocatable after the reservations", () => {
        // 32 GiB − (11×58 + 255) MiB − 100 MiB; 8 cores − 90m.
        assert.deepStrictEqual(ec2NodeShape("m6i.2xlarge"), { name: "m6i.2xlarge", cpu: "8", memory: "32Gi", allocatableCpu: "7910m", allocatableMemory: "31775Mi" });
        // 32 GiB − (1 + 0.8 + 0.8 + 16×0.06) GiB − 100 MiB; 8 cores − 90m.
        assert.deepStrictEqual(gkeNodeShape("n2-standard-8"), { name: "n2-standard-8", cpu: "8", memory: "32Gi", allocatableCpu: "7910m", allocatableMemory: formatMemory(32 * GIB - 3.56 * GIB - 100 * MIB) });
        // 32 GiB − (20 MB × 250 + 50 MB) − 100 MiB; 8 cores − 180m.
        assert.deepStrictEqual(aksNodeShape("Standard_D8ds_v5", 250), { name: "Standard_D8ds_v5", cpu: "8", memory: "32Gi", allocatableCpu: "7820m", allocatableMemory: formatMemory(32 * GIB - 5050e6 - 100 * MIB) });
    });
    it("quantities: parse and print as Kubernetes does", () => {
        assert.deepStrictEqual(["500m", "2", "4Gi", "1.5", "1e3", "128974848", "129M", "123Mi"].map(parseQuantity), [0.5, 2, 4 * GIB, 1.5, 1000, 128974848, 129e6, 123 * MIB]);
        assert.strictEqual(parseQuantity("4 GiB"), undefined);
        assert.deepStrictEqual([formatCpu(8), formatCpu(7.91), formatMemory(32 * GIB), formatMemory(31775 * MIB)], ["8", "7910m", "32Gi", "31775Mi"]);
    });
});

// ---- Application checks as data ---------------------------------------------

const M6I_2XL = { name: "m6i.2xlarge", cpu: "8", memory: "32Gi", allocatableCpu: "7910m", allocatableMemory: "31775Mi" };
const C6I_4XL = { name: "c6i.4xlarge", cpu: "16", memory: "32Gi", allocatableCpu: "15890m", allocatableMemory: "29839Mi" };
const R6I_XL = { name: "r6i.xlarge", cpu: "4", memory: "32Gi", allocatableCpu: "3920m", allocatableMemory: "31775Mi" };
const envWith = (streamCapacity: any): any => ({ ...ENV, streamCapacity });
const POOL = envWith({ maxNodes: 4, nodeShapes: [M6I_2XL], setBy: "streamNodePool.maxSize and instanceTypes" });
const APP = { image: "r/app:1", resources: { requests: { cpu: "2", memory: "4Gi" } }, cluster: {} };
const issues = (a: any, env: any = POOL) => validateApplication(a, env).map((i) => `${i.propertyPath}: ${i.reason}`);
const only = (a: any, env: any, p: string): string => {
    const found = validateApplication(a, env);
    assert.deepStrictEqual(found.map((i) => i.propertyPath), [p], JSON.stringify(found));
    return found[0].reason;
};

describe("Application against its stream pool: replicas, one pod per node", () => {
    it("accepts replicas up to the pool's maximum nodes", () => assert.deepStrictEqual(issues({ ...APP, replicas: 4 }), []));

    it("refuses more replicas than nodes, with the numbers and the three ways out", () => {
        const r = only({ ...APP, replicas: 5 }, POOL, "replicas");
        assert.match(r, /^5 pods, one per node \(isolation\.podAntiAffinity, on by default\), need 5 stream nodes/);
        assert.match(r, /environment "dev" \(streamNodePool\.maxSize and instanceTypes\) has at most 4 stream nodes/);
        assert.match(r, /Raise the stream pool's maximum to at least 5, lower replicas to 4 or less, or set isolation\.podAntiAffinity: false/);
    });

    it("refuses autoscaling.maxReplicas above the pool, the default 10 included", () => {
        const on = { ...APP, autoscaling: { enabled: true, triggers: [{ type: "cpu", metadata: { value: "70" } }] } };
        assert.match(only(on, POOL, "autoscaling.maxReplicas"), /^10 \(the default\) pods, one per node.*lower autoscaling\.maxReplicas to 4 or less/);
        assert.deepStrictEqual(issues({ ...on, autoscaling: { ...on.autoscaling, maxReplicas: 4 } }), []);
        // Off, maxReplicas is not used.
        assert.deepStrictEqual(issues({ ...APP, autoscaling: { enabled: false, maxReplicas: 50 } }), []);
    });

    it("without anti-affinity pods share nodes: as many as fit by requests", () => {
        const shared = { ...APP, isolation: { podAntiAffinity: false } };
        // 7910m / 2 = 3 pods per node, × 4 nodes.
        assert.deepStrictEqual(issues({ ...shared, replicas: 12 }), []);
        assert.match(only({ ...shared, replicas: 13 }, POOL, "replicas"), /^13 pods do not fit .*at most 4 stream nodes holding 3 such pods each, 12 pods in all/);
    });

    it("Karpenter-style limits bound the nodes: total CPU over the smallest fitting shape, or over the pod's own request", () => {
        const karpenter = envWith({ limits: { cpu: "40", memory: "1000Gi" }, nodeShapes: [M6I_2XL, C6I_4XL] });
        assert.match(only({ ...APP, replicas: 6 }, karpenter, "replicas"), /at most 5 nodes within the pool's CPU limit 40 \(8 or more each\)/);
        assert.deepStrictEqual(issues({ ...APP, replicas: 5 }, karpenter), []);
        const noShapes = envWith({ limits: { cpu: "40" } });
        assert.match(only({ ...APP, replicas: 3, resources: { requests: { cpu: "16" } } }, noShapes, "replicas"), /at most 2 nodes within the pool's CPU limit 40 \(16 or more each\)/);
    });
});

describe("Application against its stream pool: requests larger than every node", () => {
    it("refuses CPU beyond every shape's allocatable, naming the shapes", () => {
        const r = only({ ...APP, resources: { requests: { cpu: "8", memory: "4Gi" } } }, POOL, "resources.requests.cpu");
        assert.match(r, /^8 CPU per pod is more than any stream node of environment "dev".*m6i\.2xlarge: 7910m CPU, 31775Mi allocatable.*request at most 7910m/);
    });
    it("is checked even while anti-affinity is not known", () => {
        only({ ...APP, isolation: { podAntiAffinity: UNKNOWN }, resources: { requests: { cpu: "8" } } }, POOL, "resources.requests.cpu");
    });
    it("memory from limits alone is what Kubernetes requests, and is reported there", () => {
        assert.match(only({ ...APP, resources: { limits: { cpu: "1", memory: "40Gi" } } }, POOL, "resources.limits.memory"), /^40Gi memory per pod/);
    });
    it("a pod must fit one shape in both: CPU of one and memory of another is refused", () => {
        const mixed = envWith({ maxNodes: 4, nodeShapes: [C6I_4XL, R6I_XL] });
        assert.match(only({ ...APP, resources: { requests: { cpu: "12", memory: "30Gi" } } }, mixed, "resources.requests"), /offers 12 CPU and 30Gi memory at once/);
        assert.deepStrictEqual(issues({ ...APP, resources: { requests: { cpu: "12", memory: "24Gi" } } }, mixed), []);
    });
    it("a shape given as capacity only says so, and is still an upper bound", () => {
        const env = envWith({ nodeShapes: [{ cpu: "4", memory: "16Gi" }] });
        assert.match(only({ ...APP, resources: { requests: { cpu: "5" } } }, env, "resources.requests.cpu"), /4 CPU, 16Gi \(capacity; allocatable is less\)/);
    });
});

describe("Application against its stream pool: what is not known is not checked", () => {
    const cases: [string, any, any][] = [
        ["environment unknown (preview of a new cluster)", { ...APP, replicas: 50 }, UNKNOWN],
        ["no capacity in the environment", { ...APP, replicas: 50 }, ENV],
        ["capacity unknown", { ...APP, replicas: 50 }, envWith(UNKNOWN)],
        ["replicas unknown", { ...APP, replicas: UNKNOWN }, POOL],
        ["requests unknown", { ...APP, replicas: 50, resources: { requests: UNKNOWN } }, POOL],
        ["isolation unknown", { ...APP, replicas: 50, isolation: UNKNOWN }, POOL],
        ["anti-affinity unknown: replicas not measured", { ...APP, replicas: 50, isolation: { podAntiAffinity: UNKNOWN } }, POOL],
        ["pods placed on other nodes", { ...APP, replicas: 50, isolation: { nodeSelector: { pool: "big" } } }, POOL],
        ["an unknown instance type among the shapes", { ...APP, resources: { requests: { cpu: "30" } } }, envWith({ maxNodes: 4 })],
        ["a shape with an unparsable figure", { ...APP, resources: { requests: { cpu: "30" } } }, envWith({ nodeShapes: [{ cpu: "lots", memory: "1Gi" }] })],
    ];
    for (const [title, a, env] of cases) it(title, () => assert.deepStrictEqual(issues(a, env), []));

    it("but selecting the stream labels (and more) still lands on the pool", () => {
        assert.deepStrictEqual(validateApplication({ ...APP, replicas: 5, isolation: { nodeSelector: { "volley.io/pool": "stream-processing", zone: "a" } } }, POOL)
            .map((i) => i.propertyPath), ["replicas"]);
    });
    it("a count refused by its own check is not measured again; other problems do not hide the check", () => {
        assert.deepStrictEqual(validateApplication({ ...APP, replicas: 0 }, POOL).map((i) => i.propertyPath), ["replicas"]);
        const { cluster, ...single } = APP;
        assert.deepStrictEqual(validateApplication({ ...single, replicas: 5 }, POOL).map((i) => i.reason.slice(0, 26)), ["more than 1 replica needs "]);
        const badTrigger = { ...APP, autoscaling: { enabled: true, triggers: [{ type: "prometheus", metadata: { query: "up" } }] } };
        assert.deepStrictEqual(validateApplication(badTrigger, POOL).map((i) => i.propertyPath).sort(),
            ["autoscaling.maxReplicas", "autoscaling.triggers[0].metadata.serverAddress", "autoscaling.triggers[0].metadata.threshold"]);
    });
});

describe("the environment's applications together: a warning, not an error", () => {
    beforeEach(resetStreamDemand);
    const demand = (name: string, a: any, env: any = POOL) => streamDemand(`default/${name}`, a, env)!;

    it("each fits alone; together at their maximums they exceed the pool's total", () => {
        // 4 nodes × 7910m = 31640m; 4 × 5 CPU + 4 × 3 CPU = 32.
        const a = demand("a", { ...APP, replicas: 4, resources: { requests: { cpu: "5" } } });
        const b = demand("b", { ...APP, replicas: 4, resources: { requests: { cpu: "3" } } });
        const w = streamPoolWarning(POOL, [a, b])!;
        assert.match(w, /applications of environment "dev" .* request 32 CPU at their maximum replicas \(default\/a: 4 × 5, default\/b: 4 × 3\)/);
        assert.match(w, /more than its stream pool holds \(31640m: 4 nodes × 7910m\)/);
        assert.strictEqual(streamPoolWarning(POOL, [a, demand("c", { ...APP, replicas: 4, resources: { requests: { cpu: "2" } } })]), undefined);
        assert.strictEqual(streamPoolWarning(POOL, [a]), undefined, "one application is the error's business");
    });
    it("autoscaled applications count at autoscaling.maxReplicas", () => {
        const d = demand("a", { ...APP, autoscaling: { enabled: true, maxReplicas: 3 } });
        assert.deepStrictEqual([d.pods, d.cpu], [3, 6]);
    });
    it("is recorded per environment within the program: the application that tips it over warns", () => {
        const a = { ...APP, replicas: 4, resources: { requests: { memory: "20Gi" } } };
        assert.strictEqual(recordStreamDemand("default/a", a, POOL), undefined);
        assert.strictEqual(recordStreamDemand("default/x", a, { ...POOL, name: "other" }), undefined, "another environment");
        assert.match(recordStreamDemand("default/b", a, POOL)!, /request 160Gi memory/);
        assert.match(recordStreamDemand("default/a", a, POOL)!, /default\/a: 4 × 20Gi, default\/b: 4 × 20Gi/, "a re-run application replaces its own entry");
    });
    it("podRequests: requests, else limits, per resource", () => {
        assert.deepStrictEqual(podRequests({ requests: { cpu: "1" }, limits: { memory: "2Gi" } }), {
            cpu: { value: 1, path: "resources.requests.cpu" }, memory: { value: 2 * GIB, path: "resources.limits.memory" },
        });
    });
});

// ---- every environment fills it (component graphs under mocks) -----------------

describe("each environment's EnvironmentRef carries its stream pool's capacity", () => {
    it("AwsEnvironment: desiredSize while Pulumi owns the size (nothing adds nodes), the instance types' shapes", async () => {
        let env!: AwsEnvironment;
        await capture(() => { env = new AwsEnvironment("dev", { ...AWS_ENV }); }, { outputs: awsOutputs, call: awsCalls() });
        const cap = (await valueOf(env.environment)).streamCapacity!;
        assert.strictEqual(cap.maxNodes, 2);
        assert.deepStrictEqual(cap.nodeShapes, [{ name: "m6i.2xlarge", cpu: "8", memory: "32Gi", allocatableCpu: "7910m", allocatableMemory: "31775Mi" }]);
        assert.match(cap.setBy!, /desiredSize/);
    });
    it("AwsEnvironment: maxSize when an autoscaler owns the size; no shapes for an unknown type", async () => {
        let env!: AwsEnvironment;
        await capture(() => {
            env = new AwsEnvironment("dev", { ...AWS_ENV, streamNodePool: { maxSize: 6, desiredSizeOwner: "autoscaler", instanceTypes: ["m6i.2xlarge", "m6i.metal"] } });
        }, { outputs: awsOutputs, call: awsCalls() });
        const cap = (await valueOf(env.environment)).streamCapacity!;
        assert.deepStrictEqual([cap.maxNodes, cap.nodeShapes], [6, undefined]);
        assert.deepStrictEqual(nodeGroupCapacity({ instanceTypes: ["c6i.4xlarge"], desiredSize: 3, maxSize: 9, desiredSizeOwner: "pulumi" }).maxNodes, 3);
    });
    it("GcpEnvironment: maxNodes per zone × zones (one for a zonal cluster, three for a new regional one), or total", async () => {
        const ref = async (args: any): Promise<EnvironmentRef> => {
            let env!: GcpEnvironment;
            await captureGcp(() => { env = new GcpEnvironment("dev", { operator: OPERATOR, project: "my-project", ...args }); });
            return valueOf(env.environment);
        };
        const zonal = (await ref({ location: "us-central1-a" })).streamCapacity!;
        assert.strictEqual(zonal.maxNodes, 10);
        assert.strictEqual(zonal.nodeShapes![0].name, "n2-standard-8");
        assert.strictEqual((await ref({ location: "us-central1" })).streamCapacity!.maxNodes, 30);
        assert.strictEqual((await ref({ location: "us-central1", streamNodePool: { autoscaling: { maxNodes: 4, total: true } } })).streamCapacity!.maxNodes, 4);
        assert.strictEqual((await ref({ location: "us-central1", streamNodePool: { nodeLocations: ["us-central1-a", "us-central1-b"], autoscaling: { maxNodes: 4 } } })).streamCapacity!.maxNodes, 8);
        assert.strictEqual(poolZones(undefined, "us-central1", false), undefined, "an existing regional cluster's zones are not known");
    });
    it("AzureEnvironment: the autoscaler's maxCount, or a fixed count; max pods 250 (CNI overlay) in the reservation", async () => {
        const ref = async (args: any): Promise<EnvironmentRef> => {
            let env!: AzureEnvironment;
            await captureAzure(() => { env = new AzureEnvironment("dev", { operator: OPERATOR, ...args }); });
            return valueOf(env.environment);
        };
        const cap = (await ref({})).streamCapacity!;
        assert.strictEqual(cap.maxNodes, 10);
        assert.deepStrictEqual(cap.nodeShapes, [aksNodeShape("Standard_D8ds_v5", 250)]);
        const fixed = (await ref({ streamNodePool: { count: 3, vmSize: "Standard_F16s_v2", maxPods: 30 } })).streamCapacity!;
        assert.deepStrictEqual([fixed.maxNodes, fixed.nodeShapes![0].allocatableCpu, fixed.nodeShapes![0].allocatableMemory], [3, "15740m", formatMemory(32 * GIB - 650e6 - 100 * MIB)]);
    });
    it("KubernetesEnvironment: only what streamNodes describes; nothing when it describes nothing", async () => {
        let described!: KubernetesEnvironment, bare!: KubernetesEnvironment;
        await capture(() => {
            described = new KubernetesEnvironment("dev", { operator: OPERATOR, streamNodes: { maxNodes: 3, nodeAllocatable: [{ cpu: "3920m", memory: "14Gi" }] } });
            bare = new KubernetesEnvironment("bare", { operator: OPERATOR });
        });
        assert.deepStrictEqual((await valueOf(described.environment)).streamCapacity, {
            maxNodes: 3, nodeShapes: [{ cpu: "3920m", memory: "14Gi", allocatableCpu: "3920m", allocatableMemory: "14Gi" }], setBy: "streamNodes.maxNodes and nodeAllocatable",
        });
        assert.strictEqual((await valueOf(bare.environment)).streamCapacity, undefined);
    });
});

describe("through the provider: the environment's ref reaches the Application's validation at construct", () => {
    const schema = fs.readFileSync(path.join(ROOT, "schema.json"), "utf8");
    beforeEach(resetStreamDemand);

    async function constructApps(apps: Record<string, any>): Promise<{ errors: Record<string, any>; warnings: string[]; crs: string[] }> {
        const errors: Record<string, any> = {};
        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        (pulumi.log as any).warn = (m: string) => { warnings.push(m); return Promise.resolve(); };
        let crs: string[] = [];
        try {
            const g = await capture(async () => {
                const env = new KubernetesEnvironment("dev", {
                    operator: OPERATOR, prometheus: { mode: "none" }, checkpoints: { storageClassName: "rwx" },
                    streamNodes: { maxNodes: 3, nodeAllocatable: [{ cpu: "3920m", memory: "14Gi" }] },
                });
                const ref = await valueOf(env.environment);
                for (const [name, a] of Object.entries(apps)) {
                    await new VolleyProvider("0.0.0", schema).construct(name, "volley:index:Application", { ...a, environment: ref }, {})
                        .catch((e) => { errors[name] = e; });
                }
            });
            crs = g.byType("kubernetes:volley.io/v1alpha1:VolleyApplication").map((r) => r.name);
        } finally {
            (pulumi.log as any).warn = warn;
        }
        return { errors, warnings, crs };
    }

    it("replicas beyond streamNodes.maxNodes fail with InputPropertiesError on `replicas`; within, the CR is created", async () => {
        const { errors, crs } = await constructApps({ big: { ...APP, replicas: 4 }, ok: { ...APP, replicas: 3 } });
        assert.deepStrictEqual(Object.keys(errors), ["big"]);
        assert.deepStrictEqual(crs, ["ok-vapp"], "nothing of the refused application exists");
        assert.ok(errors.big instanceof pulumi.InputPropertiesError, String(errors.big));
        assert.deepStrictEqual(errors.big.errors.map((e: any) => e.propertyPath), ["replicas"]);
        assert.match(errors.big.message, /has at most 3 stream nodes/);
    });

    it("requests beyond the described allocatable fail on the request's path", async () => {
        const { errors } = await constructApps({ fat: { ...APP, resources: { requests: { cpu: "1", memory: "16Gi" } } } });
        assert.deepStrictEqual(errors.fat.errors.map((e: any) => e.propertyPath), ["resources.requests.memory"]);
    });

    it("two applications that fit alone but not together: the second warns, nothing fails", async () => {
        // 3 nodes × 3920m = 11760m; 3 × 2 + 3 × 2 = 12 CPU.
        const { errors, warnings } = await constructApps({ a: { ...APP, replicas: 3 }, b: { ...APP, replicas: 3 } });
        assert.deepStrictEqual(errors, {});
        const mine = warnings.filter((w) => /stream pool holds/.test(w));
        assert.strictEqual(mine.length, 1, warnings.join("\n"));
        assert.match(mine[0], /request 12 CPU at their maximum replicas \(default\/a: 3 × 2, default\/b: 3 × 2\)/);
    });
});
