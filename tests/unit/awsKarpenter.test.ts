// Karpenter for the AWS stream pool (#23.2): the controller's policies scoped
// as Karpenter's reference template scopes them, the queue and its rules, the
// EC2NodeClass and NodePool against the vendored CRDs, the chart's values
// against the vendored chart, and the AwsEnvironment graph under mocks.
import * as assert from "assert";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { validateAwsEnvironment, awsEnvironmentWarnings } from "../../provider/aws/validate";
import {
    INTERRUPTION_RULES, KARPENTER, amiAliasFamily, interruptionQueuePolicy, karpenterControllerPolicies, karpenterValues,
    renderEc2NodeClass, streamPoolLimits,
} from "../../provider/aws/renderKarpenter";
import { newClusterName } from "../../provider/aws/cluster";
import { Graph, Registered, capture, valueOf } from "./graph";
import { awsCalls, awsOutputs, waitsFor } from "./awsFixtures";
import { checkAgainstCrd, karpenterCrd } from "./karpenterCrds";
import { chartYaml } from "./charts";

const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };
const AZS = ["us-west-2a", "us-west-2b", "us-west-2c"];
const KARPENTER_ENV = { operator: OPERATOR, vpc: { availabilityZones: AZS } };
const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const EXISTING = {
    operator: OPERATOR,
    existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60000", privateSubnetIds: SUBNETS },
    existingCluster: { name: "prod", endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", certificateAuthorityData: "Q0E=", nodeSecurityGroupId: "sg-0a1b2c3d4e5f60000" },
};
const NODE_POOL_CRD = karpenterCrd("karpenter.sh_nodepools.yaml");
const NODE_CLASS_CRD = karpenterCrd("karpenter.k8s.aws_ec2nodeclasses.yaml");

const T = {
    ng: "aws:eks/nodeGroup:NodeGroup", role: "aws:iam/role:Role", policy: "aws:iam/policy:Policy", rpa: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    pia: "aws:eks/podIdentityAssociation:PodIdentityAssociation", entry: "aws:eks/accessEntry:AccessEntry", queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy", rule: "aws:cloudwatch/eventRule:EventRule", target: "aws:cloudwatch/eventTarget:EventTarget",
    addon: "aws:eks/addon:Addon", tag: "aws:ec2/tag:Tag", subnet: "aws:ec2/subnet:Subnet", fsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
    chart: "kubernetes:helm.sh/v4:Chart", nodePool: "kubernetes:karpenter.sh/v1:NodePool", nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    efs: "volley:index:EfsCheckpointStore",
};

function run(args: any, name = "dev") {
    let env!: AwsEnvironment;
    return capture(() => { env = new AwsEnvironment(name, args); }, { outputs: awsOutputs, call: awsCalls() }).then((g) => ({ g, env }));
}

const QUEUE = "arn:aws:sqs:us-west-2:123456789012:dev-karpenter";
const NODE_ROLE = "arn:aws:iam::123456789012:role/dev-karpenter-node-role";
const statements = (docs: Record<string, any>) => Object.values(docs).flatMap((d) => d.Statement);
const actionsOf = (s: any): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("Karpenter on AWS: the controller's policies (Karpenter's reference template, v1.14)", () => {
    const docs = karpenterControllerPolicies({ clusterName: "dev-cluster-abc123", queueArn: QUEUE, nodeRoleArn: NODE_ROLE });

    it("grants the documented actions", () => {
        const all = statements(docs).flatMap(actionsOf);
        for (const a of [
            "ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:CreateTags", "ec2:TerminateInstances", "ec2:DeleteLaunchTemplate",
            "iam:PassRole", "iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
            "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:ListInstanceProfiles", "eks:DescribeCluster",
            "sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "ssm:GetParameter", "pricing:GetProducts",
            "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory",
        ]) assert.ok(all.includes(a), a);
        assert.ok(!all.some((a) => a.endsWith("*")), "no wildcard actions");
    });

    it("every action that changes something is scoped: a resource other than *, or the cluster's tags", () => {
        for (const s of statements(docs)) {
            const changes = actionsOf(s).some((a) => !/^(ec2:Describe|ssm:Get|pricing:Get|iam:List|iam:Get|sqs:GetQueueUrl)/.test(a));
            if (!changes) continue;
            const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
            assert.ok(!resources.includes("*"), `${s.Sid} changes things on *`);
        }
    });

    it("launches, tags and deletes only what carries this cluster's ownership tag and a NodePool tag", () => {
        const bySid = Object.fromEntries(statements(docs).map((s: any) => [s.Sid, s]));
        const owned = "aws:ResourceTag/kubernetes.io/cluster/dev-cluster-abc123";
        for (const sid of ["AllowScopedEC2LaunchTemplateAccessActions", "AllowScopedResourceTagging", "AllowScopedDeletion", "AllowScopedInstanceProfileActions"]) {
            assert.strictEqual(bySid[sid].Condition.StringEquals[owned], "owned", sid);
        }
        for (const sid of ["AllowScopedEC2InstanceActionsWithTags", "AllowScopedResourceCreationTagging", "AllowScopedInstanceProfileCreationActions"]) {
            assert.strictEqual(bySid[sid].Condition.StringEquals["aws:RequestTag/kubernetes.io/cluster/dev-cluster-abc123"], "owned", sid);
            assert.strictEqual(bySid[sid].Condition.StringEquals["aws:RequestTag/eks:eks-cluster-name"], "dev-cluster-abc123", sid);
        }
        assert.deepStrictEqual(bySid.AllowScopedDeletion.Condition.StringLike, { "aws:ResourceTag/karpenter.sh/nodepool": "*" });
        assert.deepStrictEqual(bySid.AllowScopedResourceCreationTagging.Condition.StringEquals["ec2:CreateAction"], ["RunInstances", "CreateFleet", "CreateLaunchTemplate"]);
        assert.strictEqual(bySid.AllowPassingInstanceRole.Resource, NODE_ROLE);
        assert.deepStrictEqual(bySid.AllowPassingInstanceRole.Condition.StringEquals["iam:PassedToService"], ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]);
        assert.strictEqual(bySid.AllowInterruptionQueueActions.Resource, QUEUE);
        assert.strictEqual(bySid.AllowAPIServerEndpointDiscovery.Resource, "arn:aws:eks:us-west-2:123456789012:cluster/dev-cluster-abc123");
        assert.deepStrictEqual(bySid.AllowRegionalReadActions.Condition, { StringEquals: { "aws:RequestedRegion": "us-west-2" } });
        assert.strictEqual(bySid.AllowInstanceProfileReadActions.Resource, "arn:aws:iam::123456789012:instance-profile/*");
    });

    it("takes partition, region and account from the queue's ARN (aws-cn)", () => {
        const cn = karpenterControllerPolicies({ clusterName: "c", queueArn: "arn:aws-cn:sqs:cn-north-1:210987654321:q", nodeRoleArn: "arn:aws-cn:iam::210987654321:role/n" });
        assert.strictEqual(statements(cn).find((s: any) => s.Sid === "AllowAPIServerEndpointDiscovery").Resource, "arn:aws-cn:eks:cn-north-1:210987654321:cluster/c");
    });

    it("each policy fits IAM's 6,144-character managed-policy limit (whitespace not counted)", () => {
        const long = karpenterControllerPolicies({ clusterName: "c".repeat(100), queueArn: QUEUE, nodeRoleArn: NODE_ROLE });
        for (const [k, d] of Object.entries(long)) assert.ok(JSON.stringify(d).length <= 6144, `${k}: ${JSON.stringify(d).length}`);
    });
});

describe("Karpenter on AWS: queue, rules, node class, values, limits (data)", () => {
    it("the queue takes messages only from EventBridge/SQS and only over TLS; the rules are the reference's five", () => {
        const p = interruptionQueuePolicy(QUEUE);
        assert.deepStrictEqual(p.Statement[0].Principal, { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] });
        assert.strictEqual(p.Statement[0].Action, "sqs:SendMessage");
        assert.deepStrictEqual(p.Statement[1].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepStrictEqual(Object.values(INTERRUPTION_RULES).map((r) => r["detail-type"][0]).sort(), [
            "AWS Health Event", "EC2 Capacity Reservation Instance Interruption Warning", "EC2 Instance Rebalance Recommendation",
            "EC2 Instance State-change Notification", "EC2 Spot Instance Interruption Warning",
        ]);
    });

    const nodeClass = (amiAlias: string) => renderEc2NodeClass({
        name: "dev-stream", role: "dev-karpenter-node-role", amiAlias, diskSize: 50, tags: { "volley.io/environment": "dev", team: "data" },
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "dev-cluster" } }], securityGroupSelectorTerms: [{ id: "sg-0123" }],
    });
    for (const alias of ["al2023@latest", "bottlerocket@v1.30.0"]) {
        it(`the EC2NodeClass (${alias}) passes the CRD's schema, IMDSv2 hop 1, encrypted gp3`, () => {
            const nc = nodeClass(alias);
            const r = checkAgainstCrd(NODE_CLASS_CRD, nc);
            assert.deepStrictEqual(r.errors, []);
            assert.deepStrictEqual(r.pruned, []);
            assert.deepStrictEqual(nc.spec.metadataOptions, { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
            for (const b of nc.spec.blockDeviceMappings) assert.deepStrictEqual([b.ebs.volumeType, b.ebs.encrypted], ["gp3", true]);
            assert.strictEqual(nc.spec.blockDeviceMappings.filter((b: any) => b.rootVolume).length, 1);
        });
    }
    it("the schema check fails a node class the CRD refuses (role and instanceProfile, a reserved tag)", () => {
        const nc = nodeClass("al2023@latest");
        const bad = { ...nc, spec: { ...nc.spec, instanceProfile: "p", tags: { "kubernetes.io/cluster/x": "owned" } } };
        assert.strictEqual(checkAgainstCrd(NODE_CLASS_CRD, bad).errors.length, 2, JSON.stringify(checkAgainstCrd(NODE_CLASS_CRD, bad).errors));
    });

    it("values name only keys the vendored chart has", () => {
        const chart = chartYaml("karpenter-1.14.1/values.yaml");
        const v = karpenterValues({ clusterName: "c", clusterEndpoint: "https://e", interruptionQueue: "q", nodeSelector: { "volley.io/pool": "system" } });
        for (const k of Object.keys(v)) assert.ok(k in chart, `${k} is not a value of the chart`);
        // Nested settings must be the chart's own keys (nodeSelector is a free map).
        for (const k of ["settings", "serviceAccount"]) for (const kk of Object.keys(v[k])) assert.ok(kk in chart[k], `${k}.${kk} is not a value of the chart`);
        assert.deepStrictEqual(v.nodeSelector, { "kubernetes.io/os": "linux", "volley.io/pool": "system" });
        assert.strictEqual(v.serviceAccount.name, KARPENTER.serviceAccount);
        // The chart's own version is the pinned one.
        assert.strictEqual(chartYaml("karpenter-1.14.1/Chart.yaml").version, KARPENTER.version);
        assert.strictEqual(chartYaml("karpenter-crd-1.14.1/Chart.yaml").version, KARPENTER.version);
    });

    it("limits from maxSize and the instance shape table (capacity.ts)", () => {
        assert.deepStrictEqual(streamPoolLimits(4, ["m6i.2xlarge"]), { nodes: "4", cpu: "32", memory: "128Gi" });
        assert.deepStrictEqual(streamPoolLimits(3, ["m6i.xlarge", "r6i.2xlarge"]), { nodes: "3", cpu: "24", memory: "192Gi" });
        assert.deepStrictEqual(streamPoolLimits(3, ["t3.large"]), { nodes: "3", cpu: "6", memory: "24Gi" });
        assert.deepStrictEqual(streamPoolLimits(3, ["m6i.large", "x2idn.16xlarge"]), { nodes: "3" });
        assert.deepStrictEqual(streamPoolLimits(3, ["m6i.large"], { cpu: "10" }), { nodes: "3", cpu: "10", memory: "24Gi" });
        assert.deepStrictEqual(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64_FIPS"].map(amiAliasFamily), ["al2023", "al2023", "bottlerocket", undefined]);
    });
});

describe("Karpenter on AWS: validation", () => {
    const rows: [string, any, string, RegExp][] = [
        ["minSize with Karpenter", { streamNodePool: { minSize: 1 } }, "streamNodePool.minSize", /does not apply to Karpenter.*provisioner "nodeGroup"/],
        ["desiredSizeOwner with Karpenter", { streamNodePool: { desiredSizeOwner: "autoscaler" } }, "streamNodePool.desiredSizeOwner", /does not apply to Karpenter/],
        ["an unknown provisioner", { streamNodePool: { provisioner: "cluster-autoscaler" } }, "streamNodePool.provisioner", /"karpenter" or "nodeGroup"/],
        ["karpenter settings with the node group", { streamNodePool: { provisioner: "nodeGroup", karpenter: {} } }, "streamNodePool.karpenter", /only with provisioner "karpenter"/],
        ["a FIPS AMI", { streamNodePool: { amiType: "BOTTLEROCKET_x86_64_FIPS" } }, "streamNodePool.amiType", /no Karpenter AMI alias/],
        ["a reserved tag", { tags: { "kubernetes.io/cluster/x": "owned" } }, "tags.kubernetes.io/cluster/x", /Karpenter sets this tag/],
        ["capacity types in the NodePool", { streamNodePool: { karpenter: { nodePool: { capacityTypes: ["spot"] } } } }, "streamNodePool.karpenter.nodePool.capacityTypes", /comes from streamNodePool.capacityType/],
        ["a bad consolidation policy", { streamNodePool: { karpenter: { nodePool: { consolidationPolicy: "Eager" } } } }, "streamNodePool.karpenter.nodePool.consolidationPolicy", /one of WhenEmpty/],
        ["a nodeClassRef", { streamNodePool: { karpenter: { nodePool: { nodeClassRef: { group: "g", kind: "k", name: "n" } } } } }, "streamNodePool.karpenter.nodePool.nodeClassRef", /set by the environment/],
        ["chartPath without crdChartPath", { streamNodePool: { karpenter: { chartPath: "/charts/karpenter" } } }, "streamNodePool.karpenter.crdChartPath", /go together/],
        ["a chart range", { streamNodePool: { karpenter: { version: "^1.14" } } }, "streamNodePool.karpenter.version", /exact chart version/],
        ["an AMI version too long", { streamNodePool: { karpenter: { amiVersion: "v2026010100000000000000000" } } }, "streamNodePool.karpenter.amiVersion", /at most 30/],
    ];
    it("accepts the default and a full Karpenter pool", () => {
        assert.deepStrictEqual(validateAwsEnvironment(KARPENTER_ENV), []);
        assert.deepStrictEqual(validateAwsEnvironment({
            ...KARPENTER_ENV, streamNodePool: {
                provisioner: "karpenter", instanceTypes: ["m7g.2xlarge"], amiType: "BOTTLEROCKET_ARM_64", capacityType: "SPOT", maxSize: 10, diskSize: 100,
                karpenter: {
                    chartPath: "/charts/karpenter-1.14.1", crdChartPath: "/charts/karpenter-crd-1.14.1", amiVersion: "v1.30.0", values: { logLevel: "debug" },
                    nodePool: { limits: { cpu: "100" }, consolidateAfter: "10m", budgets: [{ nodes: "1" }], expireAfter: "Never", requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["us-west-2a"] }] },
                },
            },
        }), []);
    });
    for (const [what, extra, p, reason] of rows) {
        it(`refuses ${what} at ${p}`, () => {
            const issues = validateAwsEnvironment({ ...KARPENTER_ENV, ...extra });
            const hit = issues.find((i) => i.propertyPath === p);
            assert.ok(hit, JSON.stringify(issues));
            assert.match(hit!.reason, reason);
        });
    }
    it("warns when it cannot derive cpu and memory limits", () => {
        assert.match(awsEnvironmentWarnings({ ...KARPENTER_ENV, streamNodePool: { instanceTypes: ["x2idn.16xlarge"] } }).join("\n"), /limits are not derived/);
        assert.doesNotMatch(awsEnvironmentWarnings({ ...KARPENTER_ENV, streamNodePool: { instanceTypes: ["m6i.xlarge"] } }).join("\n"), /limits are not derived/);
    });
});

describe("Karpenter on AWS: the AwsEnvironment graph (default provisioner)", function () {
    this.timeout(180000);
    let g: Graph;
    let env: AwsEnvironment;
    before(async () => { ({ g, env } = await run({ ...KARPENTER_ENV, tags: { team: "data" } })); });
    const chart = (name: string) => g.one(T.chart, name);

    it("no stream node group; one system node group", () => {
        assert.deepStrictEqual(g.byType(T.ng).map((n) => n.name), ["dev-system"]);
    });

    it("the CRD chart, then the controller chart without CRDs, on the system nodes in kube-system", () => {
        const crds = chart("dev-karpenter-crds");
        const ctrl = chart("dev-karpenter-chart");
        assert.strictEqual(crds.inputs.chart, KARPENTER.crdChart);
        assert.strictEqual(crds.inputs.version, "1.14.1");
        assert.strictEqual(ctrl.inputs.chart, KARPENTER.chart);
        assert.strictEqual(ctrl.inputs.skipCrds, true);
        assert.strictEqual(ctrl.inputs.namespace, "kube-system");
        const v = ctrl.inputs.values;
        assert.deepStrictEqual(v.nodeSelector, { "kubernetes.io/os": "linux", "volley.io/pool": "system" });
        assert.strictEqual(v.settings.clusterName, newClusterName("dev"));
        assert.strictEqual(v.settings.interruptionQueue, g.one(T.queue).inputs.name ?? "dev-karpenter");
        assert.strictEqual(v.serviceAccount.name, "karpenter");
        assert.ok(g.dependsOn(ctrl, crds), "the controller waits for its CRDs");
        assert.ok(g.dependsOn(ctrl, g.one(T.pia, "dev-karpenter")), "the controller starts with its identity");
    });

    it("the controller's role: Pod Identity for kube-system/karpenter, five scoped policies", () => {
        const role = g.one(T.role, "dev-karpenter-role");
        assert.strictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "pods.eks.amazonaws.com");
        const pia = g.one(T.pia, "dev-karpenter");
        assert.deepStrictEqual([pia.inputs.namespace, pia.inputs.serviceAccount, pia.inputs.roleArn], ["kube-system", "karpenter", "arn:aws:iam::123456789012:role/dev-karpenter-role"]);
        const policies = g.byType(T.policy).filter((p) => p.name.startsWith("dev-karpenter-"));
        assert.strictEqual(policies.length, 5);
        const docs = policies.map((p) => JSON.parse(p.inputs.policy));
        const pass = docs.flatMap((d) => d.Statement).find((s: any) => s.Sid === "AllowPassingInstanceRole");
        assert.strictEqual(pass.Resource, "arn:aws:iam::123456789012:role/dev-karpenter-node-role");
        const attached = g.byType(T.rpa).filter((a) => a.inputs.role === role.inputs.name || a.name.startsWith("dev-karpenter-") && !a.name.startsWith("dev-karpenter-node-role"));
        assert.strictEqual(attached.length, 5);
    });

    it("the nodes' own role (worker, CNI, ECR pull-only) with an EC2_LINUX access entry, allowed to mount EFS", () => {
        const role = g.one(T.role, "dev-karpenter-node-role");
        assert.strictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "ec2.amazonaws.com");
        assert.deepStrictEqual(g.byType(T.rpa).filter((a) => a.name.startsWith("dev-karpenter-node-role-")).map((a) => a.inputs.policyArn.split("/").pop()).sort(),
            ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"]);
        const entry = g.one(T.entry, "dev-karpenter-nodes");
        assert.deepStrictEqual([entry.inputs.type, entry.inputs.principalArn], ["EC2_LINUX", "arn:aws:iam::123456789012:role/dev-karpenter-node-role"]);
        const fsPolicy = JSON.parse(g.one(T.fsPolicy).inputs.policy);
        const allow = fsPolicy.Statement.find((s: any) => s.Effect === "Allow");
        assert.deepStrictEqual(allow.Principal.AWS, ["arn:aws:iam::123456789012:role/dev-karpenter-node-role", "arn:aws:iam::123456789012:role/dev-node-role"]);
    });

    it("the interruption queue (SSE) with its policy, and five EventBridge rules targeting it", () => {
        const q = g.one(T.queue);
        assert.strictEqual(q.inputs.sqsManagedSseEnabled, true);
        assert.strictEqual(q.inputs.messageRetentionSeconds, 300);
        assert.deepStrictEqual(q.inputs.tags, { team: "data", "volley.io/environment": "dev" });
        assert.strictEqual(JSON.parse(g.one(T.queuePolicy).inputs.policy).Statement[0].Resource, QUEUE);
        const rules = g.byType(T.rule);
        assert.deepStrictEqual(rules.map((r) => JSON.parse(r.inputs.eventPattern)["detail-type"][0]).sort(), Object.values(INTERRUPTION_RULES).map((r) => r["detail-type"][0]).sort());
        const targets = g.byType(T.target);
        assert.strictEqual(targets.length, 5);
        for (const t of targets) assert.strictEqual(t.inputs.arn, QUEUE);
    });

    it("subnets and the cluster's security group carry the discovery tag the EC2NodeClass selects", () => {
        const cluster = newClusterName("dev");
        for (const az of AZS) assert.strictEqual(g.one(T.subnet, `dev-private-${az}`).inputs.tags["karpenter.sh/discovery"], cluster);
        for (const az of AZS) assert.strictEqual(g.one(T.subnet, `dev-public-${az}`).inputs.tags["karpenter.sh/discovery"], undefined);
        const tag = g.one(T.tag);
        assert.deepStrictEqual([tag.inputs.key, tag.inputs.value, tag.inputs.resourceId], ["karpenter.sh/discovery", cluster, "sg-0c1c1c1c1c1c1c1c1"]);
        const nc = g.one(T.nodeClass);
        assert.deepStrictEqual(nc.inputs.spec.subnetSelectorTerms, [{ tags: { "karpenter.sh/discovery": cluster } }]);
        assert.deepStrictEqual(nc.inputs.spec.securityGroupSelectorTerms, [{ tags: { "karpenter.sh/discovery": cluster } }]);
    });

    it("the EC2NodeClass: the nodes' role, AL2023, IMDSv2 hop 1, encrypted gp3, the environment's tags; valid for the CRD", () => {
        const nc = g.one(T.nodeClass);
        assert.strictEqual(nc.inputs.metadata.name, "dev-stream");
        assert.strictEqual(nc.inputs.spec.role, g.one(T.role, "dev-karpenter-node-role").inputs.name ?? "dev-karpenter-node-role");
        assert.deepStrictEqual(nc.inputs.spec.amiSelectorTerms, [{ alias: "al2023@latest" }]);
        assert.strictEqual(nc.inputs.spec.metadataOptions.httpPutResponseHopLimit, 1);
        assert.deepStrictEqual(nc.inputs.spec.blockDeviceMappings, [{ deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } }]);
        assert.deepStrictEqual(nc.inputs.spec.tags, { team: "data", "volley.io/environment": "dev" });
        assert.deepStrictEqual(checkAgainstCrd(NODE_CLASS_CRD, nc.inputs).errors, []);
        assert.ok(g.dependsOn(nc, chart("dev-karpenter-crds")) && g.dependsOn(nc, chart("dev-karpenter-chart")) && g.dependsOn(nc, g.one(T.entry, "dev-karpenter-nodes")));
    });

    it("the NodePool: label, taint, EFS startup taint, on-demand m6i.2xlarge, limits from maxSize, WhenEmpty; valid for the CRD", () => {
        const np = g.one(T.nodePool);
        const s = np.inputs.spec;
        assert.deepStrictEqual(s.template.metadata.labels, { "volley.io/pool": "stream-processing" });
        assert.deepStrictEqual(s.template.spec.taints, [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }]);
        assert.deepStrictEqual(s.template.spec.startupTaints, [{ key: "efs.csi.aws.com/agent-not-ready", effect: "NoExecute" }]);
        assert.deepStrictEqual(s.template.spec.nodeClassRef, { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "dev-stream" });
        assert.deepStrictEqual(s.template.spec.requirements, [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.2xlarge"] },
        ]);
        assert.deepStrictEqual(s.limits, { nodes: "4", cpu: "32", memory: "128Gi" });
        assert.deepStrictEqual(s.disruption, { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m" });
        assert.deepStrictEqual(checkAgainstCrd(NODE_POOL_CRD, np.inputs).errors, []);
        for (const d of [chart("dev-karpenter-crds"), chart("dev-karpenter-chart"), g.one(T.nodeClass)]) assert.ok(g.dependsOn(np, d), d.name);
    });

    it("the controller waits for the EFS store, which brings the Pod Identity agent; outputs and placement", async () => {
        assert.ok(waitsFor(g, chart("dev-karpenter-chart"), g.one(T.addon, "dev-efs-pod-identity-agent")));
        assert.deepStrictEqual(g.byType(T.addon).filter((a) => a.inputs.addonName === "eks-pod-identity-agent").map((a) => a.name), ["dev-efs-pod-identity-agent"]);
        assert.strictEqual(await valueOf(env.streamNodeGroupName), "");
        assert.strictEqual(await valueOf(env.streamNodePoolName), "dev-stream");
        const ref = await valueOf(env.environment);
        // What Applications are checked against at preview (#23.4): the NodePool's limits and the allowed type's shape.
        assert.strictEqual(ref.streamCapacity!.maxNodes, 4);
        assert.deepStrictEqual(ref.streamCapacity!.limits, { cpu: "32", memory: "128Gi" });
        assert.deepStrictEqual(ref.streamCapacity!.nodeShapes!.map((n) => [n.name, n.cpu, n.memory]), [["m6i.2xlarge", "8", "32Gi"]]);
        assert.match(ref.streamCapacity!.setBy!, /streamNodePool\.maxSize/);
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
    });
});

describe("Karpenter on AWS: other shapes", function () {
    this.timeout(180000);
    it("existing VPC and cluster: subnets and security group by ID, nothing tagged", async () => {
        const { g } = await run(EXISTING);
        const nc = g.one(T.nodeClass);
        assert.deepStrictEqual(nc.inputs.spec.subnetSelectorTerms, SUBNETS.map((id) => ({ id })));
        assert.deepStrictEqual(nc.inputs.spec.securityGroupSelectorTerms, [{ id: "sg-0a1b2c3d4e5f60000" }]);
        assert.strictEqual(g.byType(T.tag).length, 0);
        assert.strictEqual(g.one(T.chart, "dev-karpenter-chart").inputs.values.settings.clusterName, "prod");
    });

    it("EFS CSI with IRSA: Karpenter installs the Pod Identity agent itself; off when the cluster has one", async () => {
        const irsa = (await run({ ...KARPENTER_ENV, efs: { csiIdentity: "irsa" } })).g;
        const agent = irsa.one(T.addon, "dev-karpenter-pod-identity-agent");
        assert.ok(irsa.dependsOn(irsa.one(T.chart, "dev-karpenter-chart"), agent));
        const none = (await run({ ...KARPENTER_ENV, efs: { csiIdentity: "irsa", podIdentityAgent: false } })).g;
        assert.strictEqual(none.byType(T.addon).filter((a) => a.inputs.addonName === "eks-pod-identity-agent").length, 0);
    });

    it("Spot Graviton Bottlerocket, maxSize 10, local charts, user limits and consolidation", async () => {
        const { g } = await run({
            ...KARPENTER_ENV, streamNodePool: {
                instanceTypes: ["m7g.2xlarge", "m7g.4xlarge"], amiType: "BOTTLEROCKET_ARM_64", capacityType: "SPOT", maxSize: 10, diskSize: 80,
                karpenter: { chartPath: "/c/karpenter-1.14.1", crdChartPath: "/c/karpenter-crd-1.14.1", amiVersion: "v1.30.0", nodePool: { limits: { memory: "1Ti" }, consolidationPolicy: "WhenEmptyOrUnderutilized" } },
            },
        });
        assert.deepStrictEqual([g.one(T.chart, "dev-karpenter-chart").inputs.chart, g.one(T.chart, "dev-karpenter-chart").inputs.version], ["/c/karpenter-1.14.1", undefined]);
        assert.strictEqual(g.one(T.chart, "dev-karpenter-crds").inputs.chart, "/c/karpenter-crd-1.14.1");
        const nc = g.one(T.nodeClass).inputs.spec;
        assert.deepStrictEqual(nc.amiSelectorTerms, [{ alias: "bottlerocket@v1.30.0" }]);
        assert.deepStrictEqual(nc.blockDeviceMappings.map((b: any) => [b.deviceName, b.ebs.volumeSize, !!b.rootVolume]), [["/dev/xvda", "4Gi", false], ["/dev/xvdb", "80Gi", true]]);
        const s = g.one(T.nodePool).inputs.spec;
        assert.deepStrictEqual(s.template.spec.requirements[0].values, ["spot"]);
        assert.deepStrictEqual(s.limits, { nodes: "10", cpu: "160", memory: "1Ti" });
        assert.strictEqual(s.disruption.consolidationPolicy, "WhenEmptyOrUnderutilized");
        assert.deepStrictEqual(checkAgainstCrd(NODE_POOL_CRD, g.one(T.nodePool).inputs).errors, []);
        assert.deepStrictEqual(checkAgainstCrd(NODE_CLASS_CRD, g.one(T.nodeClass).inputs).errors, []);
    });

    it("provisioner nodeGroup: the managed stream node group and nothing of Karpenter", async () => {
        const { g } = await run({ ...KARPENTER_ENV, streamNodePool: { provisioner: "nodeGroup" } });
        assert.deepStrictEqual(g.byType(T.ng).map((n) => n.name).sort(), ["dev-stream", "dev-system"]);
        const karpenter = (r: Registered) => /karpenter/.test(r.name) || r.type.includes("karpenter");
        assert.deepStrictEqual(g.resources.filter(karpenter).map((r) => `${r.type}::${r.name}`), []);
        for (const az of AZS) assert.strictEqual(g.one(T.subnet, `dev-private-${az}`).inputs.tags["karpenter.sh/discovery"], undefined);
    });
});
