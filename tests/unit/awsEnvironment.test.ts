// AwsEnvironment graphs under mocks: exact children, EFS safety, node group
// labels/taints, add-ons and IAM, tags, and the dependencies that keep `up`
// parallel and `destroy` ordered.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { LIMITED_CHILDREN, NAME_LIMITS, efsFileSystemPolicy, maxComponentName } from "../../provider/aws/render";
import { validateAwsEnvironment } from "../../provider/aws/validate";
import { stableName } from "../../provider/core/names";
import { Graph, valueOf } from "./graph";
import { AWS_MOCKS, CLUSTER_SG, ENDPOINT, taggable, waitsFor } from "./awsFixtures";
import { EXISTING, GOOD_ENV } from "./awsValidate.test";
import { assertControlPlaneMonitorsOff } from "./charts";
import { awsEnvironmentGraph } from "./environmentGraphs";

const T = {
    vpc: "aws:ec2/vpc:Vpc", subnet: "aws:ec2/subnet:Subnet", nat: "aws:ec2/natGateway:NatGateway", eip: "aws:ec2/eip:Eip",
    route: "aws:ec2/route:Route", cluster: "aws:eks/cluster:Cluster", ng: "aws:eks/nodeGroup:NodeGroup", addon: "aws:eks/addon:Addon",
    pia: "aws:eks/podIdentityAssociation:PodIdentityAssociation", role: "aws:iam/role:Role", rpa: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    kms: "aws:kms/key:Key", fs: "aws:efs/fileSystem:FileSystem", mt: "aws:efs/mountTarget:MountTarget", backup: "aws:efs/backupPolicy:BackupPolicy",
    sg: "aws:ec2/securityGroup:SecurityGroup", ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", entry: "aws:eks/accessEntry:AccessEntry",
    fsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy", logs: "aws:cloudwatch/logGroup:LogGroup",
    assoc: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", provider: "pulumi:providers:kubernetes",
    sc: "kubernetes:storage.k8s.io/v1:StorageClass", chart: "kubernetes:helm.sh/v4:Chart", deploy: "kubernetes:apps/v1:Deployment",
};
const AZS = GOOD_ENV.vpc.availabilityZones;

const run = awsEnvironmentGraph;

const awsNames = (g: Graph) => g.resources.filter((r) => r.type.startsWith("aws:")).map((r) => `${r.type.split(":")[2]}::${r.name}`).sort();

describe("AwsEnvironment: new VPC, new cluster (defaults)", () => {
    let g: Graph;
    let env: AwsEnvironment;
    before(async () => { ({ g, env } = await run({ ...GOOD_ENV, tags: { team: "data" } })); });

    it("turns kube-prometheus-stack's control-plane monitors and their alert groups off: EKS runs them as no scrapeable pods (#20.8)", () => {
        const chart = g.resources.find((r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "dev-prometheus-chart");
        assert.ok(chart, "no kube-prometheus-stack chart");
        assertControlPlaneMonitorsOff(chart!.inputs.values);
    });

    it("creates exactly these AWS resources", () => {
        const perAz = (kind: string, names: string[]) => AZS.flatMap((az) => names.map((n) => `${kind}::${n.replace("AZ", az)}`));
        assert.deepStrictEqual(awsNames(g), [
            "Addon::dev-coredns", "Addon::dev-efs-csi-driver", "Addon::dev-efs-pod-identity-agent", "Addon::dev-kube-proxy", "Addon::dev-metrics-server", "Addon::dev-vpc-cni",
            "BackupPolicy::dev-efs-backup", "Cluster::dev-cluster",
            "Eip::dev-nat-us-west-2a", "FileSystem::dev-efs-fs", "FileSystemPolicy::dev-efs-policy", "InternetGateway::dev-igw", "Key::dev-secrets",
            "LaunchTemplate::dev-stream-nodes", "LaunchTemplate::dev-system-nodes", "LogGroup::dev-cluster-logs",
            "MountTarget::dev-efs-mt-0", "MountTarget::dev-efs-mt-1", "MountTarget::dev-efs-mt-2", "NatGateway::dev-nat-us-west-2a",
            "NodeGroup::dev-stream", "NodeGroup::dev-system",
            "PodIdentityAssociation::dev-efs-efs-csi-controller-sa",
            "Role::dev-cluster-role", "Role::dev-efs-csi-role", "Role::dev-node-role",
            "RolePolicy::dev-cluster-role-kms",
            "RolePolicyAttachment::dev-cluster-role-AmazonEKSClusterPolicy", "RolePolicyAttachment::dev-efs-csi-role-AmazonEFSCSIDriverPolicy",
            "RolePolicyAttachment::dev-node-role-AmazonEC2ContainerRegistryReadOnly", "RolePolicyAttachment::dev-node-role-AmazonEKS_CNI_Policy",
            "RolePolicyAttachment::dev-node-role-AmazonEKSWorkerNodePolicy",
            "Route::dev-public-default", ...perAz("Route", ["dev-private-AZ-default"]),
            "RouteTable::dev-public", ...perAz("RouteTable", ["dev-private-AZ"]),
            ...perAz("RouteTableAssociation", ["dev-private-AZ", "dev-public-AZ"]),
            "SecurityGroup::dev-efs-mount-sg", "SecurityGroupIngressRule::dev-efs-nfs-from-nodes",
            ...perAz("Subnet", ["dev-private-AZ", "dev-public-AZ"]), "Vpc::dev-vpc",
        ].sort());
        assert.deepStrictEqual(g.byType(T.provider).map((p) => p.name), ["dev-k8s"]);
        for (const c of ["AwsNodePool::dev-system", "AwsNodePool::dev-stream", "EfsCheckpointStore::dev-efs", "VolleyOperator::dev-operator", "Keda::dev-keda", "PrometheusStack::dev-prometheus"]) {
            assert.ok(g.names().includes(`volley:index:${c}`), c);
        }
    });

    it("carves the subnets from the VPC CIDR, one private and one public per AZ", () => {
        assert.strictEqual(g.one(T.vpc).inputs.cidrBlock, "10.0.0.0/16");
        assert.deepStrictEqual(AZS.map((az) => g.one(T.subnet, `dev-private-${az}`).inputs.cidrBlock), ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
        assert.deepStrictEqual(AZS.map((az) => g.one(T.subnet, `dev-public-${az}`).inputs.availabilityZone), AZS);
        assert.strictEqual(g.one(T.subnet, "dev-public-us-west-2a").inputs.tags["kubernetes.io/role/elb"], "1");
    });

    it("creates exactly one mount target per AZ, in the private subnets, behind the EFS SG", () => {
        const mts = g.byType(T.mt);
        assert.strictEqual(mts.length, AZS.length);
        assert.deepStrictEqual(mts.map((m) => m.inputs.subnetId).sort(), AZS.map((az) => `dev-private-${az}-id`).sort());
        for (const m of mts) {
            assert.deepStrictEqual(m.inputs.securityGroups, ["dev-efs-mount-sg-id"]);
            assert.strictEqual(m.inputs.fileSystemId, "dev-efs-fs-id");
            // Destroy deletes mount targets before their SG and the file system.
            assert.ok(g.dependsOn(m, g.one(T.sg)) && g.dependsOn(m, g.one(T.fs)));
        }
    });

    it("opens TCP 2049 to the node security group only", () => {
        const rule = g.one(T.ingress).inputs;
        assert.deepStrictEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", 2049, 2049]);
        assert.strictEqual(rule.referencedSecurityGroupId, CLUSTER_SG);
        assert.strictEqual(rule.cidrIpv4, undefined);
        assert.strictEqual(rule.securityGroupId, "dev-efs-mount-sg-id");
        assert.deepStrictEqual(g.one(T.sg).inputs.ingress ?? [], []);
    });

    it("encrypts EFS, elastic throughput, backups on, IA after 30 days, retained on delete", () => {
        const fs = g.one(T.fs);
        assert.strictEqual(fs.inputs.encrypted, true);
        assert.strictEqual(fs.inputs.throughputMode, "elastic");
        assert.strictEqual(fs.inputs.performanceMode, "generalPurpose");
        assert.strictEqual(fs.inputs.provisionedThroughputInMibps, undefined);
        assert.deepStrictEqual(fs.inputs.lifecyclePolicies, [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }]);
        assert.strictEqual(g.one(T.backup).inputs.backupPolicy.status, "ENABLED");
        assert.ok(fs.retainOnDelete && g.one(T.backup).retainOnDelete);
        // Mount targets go, so the SG, subnets and VPC can be deleted.
        for (const m of g.byType(T.mt)) assert.strictEqual(m.retainOnDelete, false);
    });

    it("labels the stream group and taints it NO_SCHEDULE, plus the EFS CSI startup taint; the system group has no taint", () => {
        const stream = g.one(T.ng, "dev-stream").inputs;
        assert.deepStrictEqual(stream.labels, { "volley.io/pool": "stream-processing" });
        assert.deepStrictEqual(stream.taints, [
            { key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" },
            // Removed by the driver's node plugin once it runs; nothing tolerates it (see the placement below).
            { key: "efs.csi.aws.com/agent-not-ready", effect: "NO_EXECUTE" },
        ]);
        assert.deepStrictEqual(stream.instanceTypes, ["m6i.2xlarge"]);
        const system = g.one(T.ng, "dev-system").inputs;
        assert.deepStrictEqual(system.labels, { "volley.io/pool": "system" });
        assert.deepStrictEqual(system.taints, []);
        assert.deepStrictEqual(system.scalingConfig, { minSize: 2, desiredSize: 2, maxSize: 4 });
        assert.strictEqual(system.capacityType, "ON_DEMAND");
        assert.strictEqual(system.amiType, "AL2023_x86_64_STANDARD");
        assert.deepStrictEqual(system.subnetIds.sort(), AZS.map((az) => `dev-private-${az}-id`).sort());
        assert.strictEqual(system.nodeRoleArn, "arn:aws:iam::123456789012:role/dev-node-role");
    });

    it("installs the EFS CSI driver with Pod Identity and AmazonEFSCSIDriverPolicy", () => {
        // Besides vpc-cni, kube-proxy and CoreDNS (awsDay2.test.ts, item 9).
        assert.deepStrictEqual(g.byType(T.addon).map((a) => a.inputs.addonName).sort(), ["aws-efs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"]);
        const role = g.one(T.role, "dev-efs-csi-role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Action, ["sts:AssumeRole", "sts:TagSession"]);
        assert.strictEqual(g.one(T.rpa, "dev-efs-csi-role-AmazonEFSCSIDriverPolicy").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy");
        // Least privilege: only the controller calls AWS; the node plugin gets no credentials.
        assert.deepStrictEqual(g.byType(T.pia).map((p) => `${p.inputs.namespace}/${p.inputs.serviceAccount}`), ["kube-system/efs-csi-controller-sa"]);
        const driver = g.byType(T.addon).find((a) => a.inputs.addonName === "aws-efs-csi-driver")!;
        assert.strictEqual(driver.inputs.serviceAccountRoleArn, undefined);
        for (const p of g.byType(T.pia)) assert.ok(g.dependsOn(driver, p), "driver starts after its pod identity associations");
        assert.deepStrictEqual(JSON.parse(driver.inputs.configurationValues).node.tolerations, [{ operator: "Exists" }]);
    });

    it("creates the cluster with API auth, encrypted secrets (new KMS key) and default logs", () => {
        const c = g.one(T.cluster).inputs;
        assert.deepStrictEqual(c.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        assert.strictEqual(c.version, "1.36", "the newest version in standard support");
        assert.match(c.name, /^dev-cluster-[0-9a-f]{7}$/);
        assert.deepStrictEqual(c.encryptionConfig, { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:us-west-2:123456789012:dev-secrets" } });
        assert.deepStrictEqual(c.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
        assert.strictEqual(c.vpcConfig.subnetIds.length, 6);
        assert.strictEqual(g.one(T.kms).inputs.enableKeyRotation, true);
        assert.strictEqual(g.byType(T.entry).length, 0);
        assert.strictEqual(g.byType(T.oidc).length, 0);
    });

    it("puts an EFS StorageClass (efs-ap, 700, Retain) on the cluster and hands it to applications", async () => {
        const sc = g.one(T.sc).inputs;
        assert.strictEqual(sc.metadata.name, "volley-efs");
        assert.strictEqual(sc.provisioner, "efs.csi.aws.com");
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.strictEqual(sc.parameters.provisioningMode, "efs-ap");
        assert.strictEqual(sc.parameters.fileSystemId, "dev-efs-fs-id");
        assert.strictEqual(sc.parameters.directoryPerms, "700");
        const ref = await valueOf(env.environment);
        assert.deepStrictEqual(ref.checkpoints, { kind: "StorageClass", storageClassName: "volley-efs", defaultSize: "50Gi" });
        assert.deepStrictEqual(ref.streamPlacement, {
            nodeSelector: { "volley.io/pool": "stream-processing" },
            tolerations: [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }],
        });
        assert.deepStrictEqual(ref.systemPlacement, { nodeSelector: { "volley.io/pool": "system" }, tolerations: [] });
        assert.strictEqual(ref.kedaEnabled && ref.prometheusEnabled, true);
        // EKS ships no metrics-server (EKS User Guide, metrics-server.adoc): the community add-on provides metrics.k8s.io.
        assert.strictEqual(ref.resourceMetricsApi, true);
    });

    it("the resource metrics API: the metrics-server add-on unless turned off; an existing cluster's owner says whether it has one", async () => {
        const addon = (g: Graph) => g.byType(T.addon).filter((a) => a.inputs.addonName === "metrics-server");
        const off = await run({ ...GOOD_ENV, cluster: { metricsServer: false } });
        assert.deepStrictEqual(addon(off.g), []);
        assert.strictEqual((await valueOf(off.env.environment)).resourceMetricsApi, false);
        const a = addon(g)[0].inputs;
        // Removed with the program when turned off (the user runs their own), unlike networking and DNS.
        assert.strictEqual(a.preserve, undefined);
        const existing = await run(EXISTING);
        assert.deepStrictEqual(addon(existing.g), []);
        assert.strictEqual((await valueOf(existing.env.environment)).resourceMetricsApi, false);
        const said = await run({ ...EXISTING, existingCluster: { ...EXISTING.existingCluster, resourceMetricsApi: true } });
        assert.strictEqual((await valueOf(said.env.environment)).resourceMetricsApi, true);
    });

    it("outputs a secret kubeconfig using aws eks get-token, and the cloud IDs", async () => {
        assert.strictEqual(await (env.kubeconfig as any).isSecret, true);
        const kc = JSON.parse(await valueOf(env.kubeconfig));
        assert.strictEqual(kc.clusters[0].cluster.server, ENDPOINT);
        assert.deepStrictEqual(kc.users[0].user.exec.args.slice(0, 2), ["eks", "get-token"]);
        assert.strictEqual(g.one(T.provider).inputs.kubeconfig.value ?? g.one(T.provider).inputs.kubeconfig, JSON.stringify(kc, null, 2));
        assert.strictEqual(await valueOf(env.vpcId), "dev-vpc-id");
        assert.strictEqual(await valueOf(env.fileSystemId), "dev-efs-fs-id");
        assert.strictEqual(await valueOf(env.efsSecurityGroupId), "dev-efs-mount-sg-id");
        assert.strictEqual(await valueOf(env.operatorNamespace), "volley-system");
        assert.strictEqual(await valueOf(env.csiDriverRoleArn), "arn:aws:iam::123456789012:role/dev-efs-csi-role");
        assert.strictEqual(await valueOf(env.systemNodeGroupName), "dev-system");
        assert.strictEqual(await valueOf(env.streamNodeGroupName), "dev-stream");
        assert.strictEqual((await valueOf(env.privateSubnetIds)).length, 3);
        assert.strictEqual((await valueOf(env.publicSubnetIds)).length, 3);
    });

    it("tags every taggable AWS resource with the user's tags and volley.io/environment", () => {
        const tagged = g.resources.filter((r) => r.type.startsWith("aws:") && taggable(r.type));
        assert.ok(tagged.length >= 28, `${tagged.length}`);
        for (const r of tagged) {
            assert.strictEqual(r.inputs.tags?.["volley.io/environment"], "dev", `${r.type}::${r.name}`);
            assert.strictEqual(r.inputs.tags?.team, "data", `${r.type}::${r.name}`);
        }
        assert.ok(!taggable(T.mt) && taggable(T.fs), "the typings check tells taggable from not");
    });

    it("lets EFS, IAM and KMS run while the control plane is created", () => {
        const cluster = g.one(T.cluster);
        const independent = [
            g.one(T.fs), g.one(T.sg), g.one(T.backup), ...g.byType(T.mt), g.one(T.kms),
            ...g.byType(T.role), ...g.byType(T.rpa), g.one(T.vpc), ...g.byType(T.nat),
        ];
        for (const r of independent) assert.ok(!waitsFor(g, r, cluster), `${r.type}::${r.name} waits for the cluster`);
        // Real dependencies: the cluster needs its role policy, nodes need the NAT route and node policies.
        assert.ok(g.dependsOn(cluster, g.one(T.rpa, "dev-cluster-role-AmazonEKSClusterPolicy")));
        for (const ng of g.byType(T.ng)) {
            assert.ok(waitsFor(g, ng, g.one(T.route, "dev-private-us-west-2a-default")), `${ng.name} before NAT route`);
            assert.ok(waitsFor(g, ng, g.one(T.rpa, "dev-node-role-AmazonEKSWorkerNodePolicy")));
        }
    });

    it("starts add-ons and charts after the system group, never waiting for the stream group", () => {
        const system = g.one(T.ng, "dev-system");
        const stream = g.one(T.ng, "dev-stream");
        const platform = [...g.byType(T.addon), ...g.byType(T.chart), g.one(T.deploy), g.one(T.sc), g.one(T.provider)];
        for (const r of platform) {
            assert.ok(waitsFor(g, r, system), `${r.type}::${r.name} must wait for the system group`);
            assert.ok(!waitsFor(g, r, stream), `${r.type}::${r.name} must not wait for the stream group`);
        }
        // Every Kubernetes object uses the one provider, which depends on the cluster: destroy removes them first.
        const provider = g.one(T.provider);
        assert.ok(waitsFor(g, provider, g.one(T.cluster)));
        for (const r of g.resources.filter((x) => x.type.startsWith("kubernetes:"))) assert.ok(r.provider.startsWith(provider.urn), r.name);
    });
});

describe("AwsEnvironment options", () => {
    it("existing VPC: no network resources, mount targets in the given subnets", async () => {
        const { g, env } = await run({ streamNodePool: { provisioner: "nodeGroup" }, existingVpc: { ...EXISTING.existingVpc, publicSubnetIds: ["subnet-0f0f0f0f0f0f0f0f1"] } });
        for (const t of [T.vpc, T.subnet, T.nat, T.eip, T.route]) assert.strictEqual(g.byType(t).length, 0, t);
        assert.deepStrictEqual(g.byType(T.mt).map((m) => m.inputs.subnetId), EXISTING.existingVpc.privateSubnetIds);
        assert.strictEqual(g.one(T.sg).inputs.vpcId, EXISTING.existingVpc.vpcId);
        assert.deepStrictEqual(g.one(T.cluster).inputs.vpcConfig.subnetIds, [...EXISTING.existingVpc.privateSubnetIds, "subnet-0f0f0f0f0f0f0f0f1"]);
        assert.deepStrictEqual(g.one(T.ng, "dev-stream").inputs.subnetIds, EXISTING.existingVpc.privateSubnetIds);
        assert.deepStrictEqual(await valueOf(env.publicSubnetIds), ["subnet-0f0f0f0f0f0f0f0f1"]);
    });

    it("existing cluster: no cluster, KMS key or cluster role; node groups and EFS use the given cluster", async () => {
        const { g, env } = await run(EXISTING);
        for (const t of [T.cluster, T.kms, T.oidc, T.entry]) assert.strictEqual(g.byType(t).length, 0, t);
        assert.ok(!g.byType(T.role).some((r) => r.name === "dev-cluster-role"));
        assert.deepStrictEqual(g.byType(T.ng).map((n) => n.inputs.clusterName), ["prod", "prod"]);
        assert.strictEqual(g.one(T.ng, "dev-system").inputs.version, undefined);
        assert.strictEqual(g.one(T.ingress).inputs.referencedSecurityGroupId, EXISTING.existingCluster.nodeSecurityGroupId);
        assert.strictEqual(await valueOf(env.clusterName), "prod");
        assert.strictEqual(JSON.parse(await valueOf(env.kubeconfig)).clusters[0].cluster.server, EXISTING.existingCluster.endpoint);
    });

    it("IRSA on a new cluster: OIDC provider, web-identity trust, no Pod Identity", async () => {
        const { g } = await run({ ...GOOD_ENV, efs: { csiIdentity: "irsa" } });
        const oidc = g.one(T.oidc);
        assert.strictEqual(oidc.inputs.url, "https://oidc.eks.us-west-2.amazonaws.com/id/ABC");
        assert.deepStrictEqual(oidc.inputs.clientIdLists, ["sts.amazonaws.com"]);
        assert.strictEqual(g.byType(T.pia).length, 0);
        assert.deepStrictEqual(g.byType(T.addon).map((a) => a.inputs.addonName).filter((n) => n.includes("efs") || n.includes("identity")), ["aws-efs-csi-driver"]);
        const trust = JSON.parse(g.one(T.role, "dev-efs-csi-role").inputs.assumeRolePolicy).Statement[0];
        assert.strictEqual(trust.Principal.Federated, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC");
        assert.strictEqual(trust.Condition.StringLike["oidc.eks.us-west-2.amazonaws.com/id/ABC:sub"], "system:serviceaccount:kube-system:efs-csi-controller-sa", "only the controller may assume it");
        assert.strictEqual(g.one(T.addon, "dev-efs-csi-driver").inputs.serviceAccountRoleArn, "arn:aws:iam::123456789012:role/dev-efs-csi-role");
    });

    it("IRSA on an existing cluster uses its OIDC provider", async () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/XYZ";
        const { g } = await run({ ...EXISTING, existingCluster: { ...EXISTING.existingCluster, oidcProviderArn: arn }, efs: { csiIdentity: "irsa" } });
        assert.strictEqual(g.byType(T.oidc).length, 0);
        assert.strictEqual(JSON.parse(g.one(T.role, "dev-efs-csi-role").inputs.assumeRolePolicy).Statement[0].Principal.Federated, arn);
    });

    it("per-AZ NAT gateways route each private subnet through its own zone", async () => {
        const { g } = await run({ vpc: { ...GOOD_ENV.vpc, natGateways: "perAz", cidrBlock: "10.8.0.0/16" } });
        assert.strictEqual(g.byType(T.nat).length, 3);
        assert.strictEqual(g.one(T.route, "dev-private-us-west-2b-default").inputs.natGatewayId, "dev-nat-us-west-2b-id");
        assert.strictEqual(g.one(T.subnet, "dev-private-us-west-2a").inputs.cidrBlock, "10.8.0.0/19");
    });

    it("a deployer role gets an admin access entry the Kubernetes provider waits for", async () => {
        const deployer = "arn:aws:iam::123456789012:role/deployer";
        const { g } = await run({ ...GOOD_ENV, cluster: { deployerRoleArn: deployer, version: "1.34", logTypes: [] } });
        assert.strictEqual(g.one(T.cluster).inputs.accessConfig.bootstrapClusterCreatorAdminPermissions, true);
        assert.deepStrictEqual(g.one(T.cluster).inputs.enabledClusterLogTypes, []);
        assert.strictEqual(g.one(T.entry).inputs.principalArn, deployer);
        const assoc = g.one(T.assoc);
        assert.strictEqual(assoc.inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        assert.deepStrictEqual(assoc.inputs.accessScope, { type: "cluster" });
        assert.ok(g.dependsOn(g.one(T.provider), assoc));
        assert.strictEqual(g.one(T.ng, "dev-stream").inputs.version, "1.34");
    });

    it("a given KMS key, node role, opt-out of retention, provisioned throughput, autoscaler-owned size", async () => {
        const ignore = new Map<string, string[]>();
        const key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const { g } = await run({
            ...GOOD_ENV, cluster: { secretsKmsKeyArn: key }, nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
            efs: { retainOnDelete: false, throughputMode: "provisioned", provisionedThroughputMibps: 64, backups: false, kmsKeyArn: key },
            streamNodePool: { provisioner: "nodeGroup", desiredSizeOwner: "autoscaler", capacityType: "SPOT", instanceTypes: ["c6i.4xlarge", "c6a.4xlarge"], minSize: 0, desiredSize: 1, maxSize: 10 },
        }, ignore);
        assert.strictEqual(g.byType(T.kms).length, 0);
        assert.strictEqual(g.one(T.cluster).inputs.encryptionConfig.provider.keyArn, key);
        assert.ok(!g.byType(T.role).some((r) => r.name === "dev-node-role"));
        assert.strictEqual(g.one(T.ng, "dev-system").inputs.nodeRoleArn, "arn:aws:iam::123456789012:role/nodes");
        const fs = g.one(T.fs);
        assert.strictEqual(fs.retainOnDelete, false);
        assert.strictEqual(fs.inputs.provisionedThroughputInMibps, 64);
        assert.strictEqual(fs.inputs.kmsKeyId, key);
        assert.strictEqual(g.one(T.backup).inputs.backupPolicy.status, "DISABLED");
        const stream = g.one(T.ng, "dev-stream").inputs;
        assert.strictEqual(stream.capacityType, "SPOT");
        assert.deepStrictEqual(stream.scalingConfig, { minSize: 0, desiredSize: 1, maxSize: 10 });
        assert.deepStrictEqual(ignore.get(`${T.ng}::dev-stream`), ["scalingConfig.desiredSize"]);
        assert.deepStrictEqual(ignore.get(`${T.ng}::dev-system`), []);
    });

    it("leaves out KEDA and Prometheus when asked", async () => {
        const { g, env } = await run({ ...GOOD_ENV, keda: { enabled: false }, prometheus: { mode: "none" } });
        assert.strictEqual(g.byType(T.chart).length, 0);
        const ref = await valueOf(env.environment);
        assert.strictEqual(ref.kedaEnabled || ref.prometheusEnabled, false);
    });
});

describe("AwsEnvironment as a real account meets it (#11)", function () {
    // Several graph runs per test: seconds each on a loaded machine.
    this.timeout(180000);
    const deployer = "arn:aws:iam::123456789012:role/deployer";
    const execOf = async (env: AwsEnvironment) => JSON.parse(await valueOf(env.kubeconfig)).users[0].user.exec;

    it("makes kubeconfig tokens as the identity running Pulumi by default (a deployer role too), or as the given role and profile (#21 item 1)", async () => {
        const plain = await execOf((await run(GOOD_ENV)).env);
        assert.ok(!plain.args.includes("--role-arn") && plain.env === undefined, "no identity given: the AWS CLI's own");
        // A creator who may not assume the CI role would get AccessDenied after the cluster is up.
        const withDeployer = await execOf((await run({ ...GOOD_ENV, cluster: { deployerRoleArn: deployer } })).env);
        assert.ok(!withDeployer.args.includes("--role-arn"), "the deployer role is not assumed unless kubeconfigRoleArn says so");
        const off = await execOf((await run({ ...GOOD_ENV, cluster: { deployerRoleArn: deployer }, kubeconfigRoleArn: "" })).env);
        assert.ok(!off.args.includes("--role-arn"));
        assert.deepStrictEqual(validateAwsEnvironment({ ...GOOD_ENV, kubeconfigRoleArn: "" }), []);
        const given = await execOf((await run({
            ...GOOD_ENV, cluster: { deployerRoleArn: deployer }, kubeconfigRoleArn: "arn:aws:iam::123456789012:role/ci", kubeconfigProfile: "prod",
        })).env);
        assert.deepStrictEqual(given.args.slice(-2), ["--role-arn", "arn:aws:iam::123456789012:role/ci"]);
        assert.deepStrictEqual(given.env, [{ name: "AWS_PROFILE", value: "prod" }]);
    });

    it("takes the stack's aws:profile for the kubeconfig when no profile is given", async () => {
        (pulumi.runtime as any).setConfig("aws:profile", "staging");
        try {
            const exec = await execOf((await run(GOOD_ENV)).env);
            assert.deepStrictEqual(exec.env, [{ name: "AWS_PROFILE", value: "staging" }]);
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });

    it("toggling deployerRoleArn leaves the cluster as it is: the diff is the access entry and its policy", async () => {
        const before = (await run(GOOD_ENV)).g;
        const after = (await run({ ...GOOD_ENV, cluster: { deployerRoleArn: deployer } })).g;
        // Same cluster inputs, so the engine neither replaces nor updates it.
        assert.deepStrictEqual(after.one(T.cluster).inputs, before.one(T.cluster).inputs);
        const added = awsNames(after).filter((n) => !awsNames(before).includes(n));
        const removed = awsNames(before).filter((n) => !awsNames(after).includes(n));
        assert.deepStrictEqual({ added, removed }, { added: ["AccessEntry::dev-deployer", "AccessPolicyAssociation::dev-deployer-admin"], removed: [] });
    });

    it("creates the control-plane log group before the cluster, with a retention, destroyed with the environment", async () => {
        const { g } = await run(GOOD_ENV);
        const logs = g.one(T.logs);
        const cluster = g.one(T.cluster);
        assert.strictEqual(logs.inputs.name, `/aws/eks/${cluster.inputs.name}/cluster`);
        assert.strictEqual(logs.inputs.retentionInDays, 30);
        assert.strictEqual(logs.retainOnDelete, false);
        assert.ok(g.dependsOn(cluster, logs), "EKS would create it unmanaged if the cluster came first");
        const week = (await run({ ...GOOD_ENV, cluster: { logRetentionDays: 7 } })).g;
        assert.strictEqual(week.one(T.logs).inputs.retentionInDays, 7);
    });

    it("names the cluster the same in every run, and differently in another stack", async () => {
        const a = (await run(GOOD_ENV)).g.one(T.cluster).inputs.name;
        const b = (await run(GOOD_ENV)).g.one(T.cluster).inputs.name;
        assert.strictEqual(a, b);
        assert.strictEqual(a, stableName("dev-cluster", ["project", "stack", "dev"], 100));
        assert.notStrictEqual(a, stableName("dev-cluster", ["project", "other-stack", "dev"], 100));
    });

    it("guards EFS with its policy: retained with the file system, in force before any claim", async () => {
        const { g } = await run(GOOD_ENV);
        const policy = g.one(T.fsPolicy);
        assert.strictEqual(policy.inputs.fileSystemId, "dev-efs-fs-id");
        assert.deepStrictEqual(JSON.parse(policy.inputs.policy), efsFileSystemPolicy("arn:aws:efs:us-west-2:123456789012:dev-efs-fs", ["arn:aws:iam::123456789012:role/dev-node-role"]));
        assert.strictEqual(policy.retainOnDelete, true);
        assert.ok(waitsFor(g, g.one(T.sc), policy), "the StorageClass (and so every claim) waits for the policy");
        const dropped = (await run({ ...GOOD_ENV, efs: { retainOnDelete: false } })).g;
        assert.strictEqual(dropped.one(T.fsPolicy).retainOnDelete, false);
    });

    it("puts managed policy ARNs in the account's partition", async () => {
        const { g } = await run({ ...GOOD_ENV, cluster: { deployerRoleArn: "arn:aws-cn:iam::123456789012:role/deployer" } }, undefined, { partition: "aws-cn" });
        const arns = g.byType(T.rpa).map((r) => r.inputs.policyArn);
        assert.strictEqual(arns.length, 5);
        for (const a of arns) assert.match(a, /^arn:aws-cn:iam::aws:policy\//);
        assert.strictEqual(g.one(T.assoc).inputs.policyArn, "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    });

    it("keeps every auto-named IAM role and node group within AWS's limits for the longest accepted name", async () => {
        const max = maxComponentName("AwsEnvironment");
        const name = `e${"x".repeat(max - 1)}`;
        assert.deepStrictEqual(validateAwsEnvironment(GOOD_ENV, name), []);
        assert.match(validateAwsEnvironment(GOOD_ENV, `${name}x`)[0].reason, new RegExp(`at most ${max} characters`));
        // Both stream provisioners: the node group's children and Karpenter's (the default).
        const graphs = [(await run(GOOD_ENV, undefined, { name })).g, (await run({ ...GOOD_ENV, streamNodePool: { provisioner: "karpenter" } }, undefined, { name })).g];
        // helm.v4.Chart uses its resource name as the Helm release name (pulumi-kubernetes helm/v4/chart.go).
        const limited = { [T.role]: "iamRole", [T.ng]: "nodeGroup", [T.cluster]: "eksCluster", [T.chart]: "helmRelease", "aws:cloudwatch/eventRule:EventRule": "eventRule" } as const;
        const seen: string[] = [];
        for (const r of graphs.flatMap((g) => g.resources).filter((x) => x.type in limited)) {
            const limit = limited[r.type as keyof typeof limited];
            const suffix = r.name.slice(name.length);
            // The table the validator uses lists exactly the children that exist.
            assert.ok(LIMITED_CHILDREN.AwsEnvironment.some(([l, s]) => l === limit && s === suffix), `${r.type}::${r.name} missing from LIMITED_CHILDREN`);
            seen.push(`${limit}${suffix}`);
            const physical = r.inputs.name ?? (limit === "helmRelease" ? r.name : `${r.name}-abcdef0`);
            assert.ok(physical.length <= NAME_LIMITS[limit], `${r.type}::${r.name} -> ${physical.length} > ${NAME_LIMITS[limit]}`);
        }
        assert.deepStrictEqual([...new Set(seen)].sort(), LIMITED_CHILDREN.AwsEnvironment.map(([l, s]) => `${l}${s}`).sort());
    });
});
