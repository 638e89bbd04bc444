// AWS validation tables: each bad input is rejected with the exact property
// path and a reason naming what is allowed; good inputs pass.
import * as assert from "assert";
import { validateAwsEnvironment, validateAwsNodePool, validateEfsCheckpointStore } from "../../provider/aws/validate";
import { UNKNOWN } from "../../provider/core/validate";
import { AWS_COMPONENTS } from "../../provider/aws/registry";

const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };
// The managed-node-group stream pool, which these tests and the graph tests that import them are about
// (Karpenter, the default, is tests/unit/awsKarpenter.test.ts's).
export const NODE_GROUP = { provisioner: "nodeGroup" } as const;
export const GOOD_ENV = { operator: OPERATOR, vpc: { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"] }, streamNodePool: NODE_GROUP };
const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const EXISTING = {
    operator: OPERATOR,
    streamNodePool: NODE_GROUP,
    existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60000", privateSubnetIds: SUBNETS },
    existingCluster: {
        name: "prod", endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", certificateAuthorityData: "Q0E=",
        nodeSecurityGroupId: "sg-0a1b2c3d4e5f60000",
    },
};
const GOOD_POOL = { clusterName: "prod", subnetIds: SUBNETS };
const GOOD_STORE = {
    vpcId: "vpc-0a1b2c3d4e5f60000", subnetIds: SUBNETS, nodeSecurityGroupId: "sg-0a1b2c3d4e5f60000", clusterName: "prod",
    mountRoleArns: ["arn:aws:iam::123456789012:role/nodes"],
};

type Case = [title: string, input: any, path: string, reason: RegExp];
const env = (extra: any) => ({ ...GOOD_ENV, ...extra });
const vpc = (extra: any) => ({ vpc: { ...GOOD_ENV.vpc, ...extra } });

const ENV_CASES: Case[] = [
    ["one availability zone", vpc({ availabilityZones: ["us-west-2a"] }), "vpc.availabilityZones", /2 to 6 availability zones.*got 1/],
    ["seven availability zones", vpc({ availabilityZones: ["a", "b", "c", "d", "e", "f", "g"].map((z) => `us-east-1${z}`) }), "vpc.availabilityZones", /2 to 6.*got 7/],
    ["a region instead of a zone", vpc({ availabilityZones: ["us-west-2", "us-west-2b"] }), "vpc.availabilityZones[0]", /availability zone such as "us-east-1a"/],
    ["duplicate zone", vpc({ availabilityZones: ["us-west-2a", "us-west-2a"] }), "vpc.availabilityZones[1]", /duplicates "us-west-2a"/],
    ["zones in two regions", vpc({ availabilityZones: ["us-west-2a", "us-east-1b"] }), "vpc.availabilityZones", /one region; got us-west-2, us-east-1/],
    ["malformed CIDR", vpc({ cidrBlock: "10.0.0/16" }), "vpc.cidrBlock", /IPv4 CIDR with no host bits set/],
    ["CIDR prefix 33", vpc({ cidrBlock: "10.0.0.0/33" }), "vpc.cidrBlock", /IPv4 CIDR/],
    ["CIDR with host bits", vpc({ cidrBlock: "10.0.1.0/16" }), "vpc.cidrBlock", /no host bits/],
    ["CIDR too small", vpc({ cidrBlock: "10.0.0.0/24" }), "vpc.cidrBlock", /\/16 to \/20; got \/24/],
    ["NAT mode misspelled", vpc({ natGateways: "per-az" }), "vpc.natGateways", /single, perAz/],
    ["no network at all", {}, "vpc", /exactly one of `vpc`.*or `existingVpc`/],
    ["both vpc and existingVpc", { ...GOOD_ENV, existingVpc: EXISTING.existingVpc }, "existingVpc", /exactly one/],
    ["existing VPC without subnets", { existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60000" } }, "existingVpc.privateSubnetIds", /at least 2 subnet IDs/],
    ["existing VPC with a bad subnet ID", { existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60000", privateSubnetIds: ["subnet-1", SUBNETS[0]] } }, "existingVpc.privateSubnetIds[0]", /subnet-0123456789abcdef0/],
    ["existing VPC with a duplicate subnet", { existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60000", privateSubnetIds: [SUBNETS[0], SUBNETS[0]] } }, "existingVpc.privateSubnetIds[1]", /duplicates/],
    ["existing VPC ID malformed", { existingVpc: { vpcId: "my-vpc", privateSubnetIds: SUBNETS } }, "existingVpc.vpcId", /vpc-0123456789abcdef0/],
    ["existing VPC unknown at preview", { existingVpc: UNKNOWN }, "existingVpc", /known at preview/],
    ["existing cluster without existing VPC", env({ existingCluster: EXISTING.existingCluster }), "existingCluster", /needs `existingVpc`/],
    ["existing cluster endpoint without https", { ...EXISTING, existingCluster: { ...EXISTING.existingCluster, endpoint: "ABC.eks.amazonaws.com" } }, "existingCluster.endpoint", /https:\/\//],
    ["existing cluster without CA data", { ...EXISTING, existingCluster: { ...EXISTING.existingCluster, certificateAuthorityData: "" } }, "existingCluster.certificateAuthorityData", /required/],
    ["existing cluster node SG malformed", { ...EXISTING, existingCluster: { ...EXISTING.existingCluster, nodeSecurityGroupId: "default" } }, "existingCluster.nodeSecurityGroupId", /sg-0123456789abcdef0/],
    ["IRSA without an OIDC provider", { ...EXISTING, efs: { csiIdentity: "irsa" } }, "efs.csiIdentity", /OIDC provider/],
    ["cluster settings with an existing cluster", { ...EXISTING, cluster: { version: "1.33" } }, "cluster", /only for a new cluster/],
    ["Kubernetes version not supported", env({ cluster: { version: "1.25" } }), "cluster.version", /1\.35 \(standard support until 2027-03-27\), 1\.34 \(paid extended support until 2027-12-02\).*1\.32 .*; got "1\.25"/],
    ["Kubernetes version AWS no longer creates", env({ cluster: { version: "1.31" } }), "cluster.version", /AWS no longer creates EKS 1\.31 \(its extended support ended 2026-11-26\); use one of 1\.36/],
    ["log retention CloudWatch refuses", env({ cluster: { logRetentionDays: 10 } }), "cluster.logRetentionDays", /one of 1, 3, 5, 7, 14, 30.*got 10/],
    ["kubeconfig role not a role ARN", env({ kubeconfigRoleArn: "deployer" }), "kubeconfigRoleArn", /IAM ARN such as .*:role\//],
    ["kubeconfig profile with a space", env({ kubeconfigProfile: "my profile" }), "kubeconfigProfile", /AWS CLI profile name/],
    ["Kubernetes version with a patch", env({ cluster: { version: "1.33.2" } }), "cluster.version", /must be one of/],
    ["deployer is not a role ARN", env({ cluster: { deployerRoleArn: "arn:aws:iam::123456789012:user/alice" } }), "cluster.deployerRoleArn", /IAM ARN such as .*:role\//],
    ["secrets KMS key not an ARN", env({ cluster: { secretsKmsKeyArn: "alias/eks" } }), "cluster.secretsKmsKeyArn", /KMS ARN/],
    ["no endpoint at all", env({ cluster: { endpointPublicAccess: false, endpointPrivateAccess: false } }), "cluster.endpointPrivateAccess", /at least one/],
    ["unknown log type", env({ cluster: { logTypes: ["api", "everything"] } }), "cluster.logTypes[1]", /api, audit, authenticator, controllerManager, scheduler/],
    ["bad public access CIDR", env({ cluster: { publicAccessCidrs: ["203.0.113.0"] } }), "cluster.publicAccessCidrs[0]", /IPv4 CIDR/],
    ["node role not an ARN", env({ nodeRoleArn: "eks-nodes" }), "nodeRoleArn", /IAM ARN/],
    ["empty instance types", env({ streamNodePool: { ...NODE_GROUP, instanceTypes: [] } }), "streamNodePool.instanceTypes", /at least one EC2 instance type/],
    ["malformed instance type", env({ systemNodePool: { instanceTypes: ["m6ilarge"] } }), "systemNodePool.instanceTypes[0]", /instance type such as "m6i.large"/],
    ["min > desired", env({ streamNodePool: { ...NODE_GROUP, minSize: 3, desiredSize: 2, maxSize: 4 } }), "streamNodePool.minSize", /<= streamNodePool.desiredSize \(2\)/],
    ["desired > max", env({ streamNodePool: { ...NODE_GROUP, minSize: 1, desiredSize: 5, maxSize: 4 } }), "streamNodePool.desiredSize", /<= streamNodePool.maxSize \(4\)/],
    ["max 0", env({ systemNodePool: { maxSize: 0 } }), "systemNodePool.maxSize", /integer from 1 to 450/],
    ["disk 10 GiB", env({ systemNodePool: { diskSize: 10 } }), "systemNodePool.diskSize", /from 20 to 16384/],
    ["capacity type misspelled", env({ streamNodePool: { ...NODE_GROUP, capacityType: "PREEMPTIBLE" } }), "streamNodePool.capacityType", /ON_DEMAND, SPOT/],
    ["AMI type unknown", env({ streamNodePool: { ...NODE_GROUP, amiType: "AL2_x86_64_GPU_LATEST" } }), "streamNodePool.amiType", /AL2023_x86_64_STANDARD/],
    ["desired size owner unknown", env({ streamNodePool: { ...NODE_GROUP, desiredSizeOwner: "karpenter" } }), "streamNodePool.desiredSizeOwner", /pulumi, autoscaler/],
    ["provisioned throughput without MiB/s", env({ efs: { throughputMode: "provisioned" } }), "efs.provisionedThroughputMibps", /required with throughputMode "provisioned"/],
    ["MiB/s without provisioned throughput", env({ efs: { provisionedThroughputMibps: 100 } }), "efs.provisionedThroughputMibps", /only with throughputMode "provisioned"/],
    ["throughput mode misspelled", env({ efs: { throughputMode: "Elastic" } }), "efs.throughputMode", /elastic, bursting, provisioned/],
    ["maxIO with elastic throughput", env({ efs: { performanceMode: "maxIO" } }), "efs.performanceMode", /not available with elastic/],
    ["EFS KMS key not an ARN", env({ efs: { kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" } }), "efs.kmsKeyArn", /KMS ARN such as arn:aws:kms:/],
    ["transition to IA misspelled", env({ efs: { transitionToIa: "30 days" } }), "efs.transitionToIa", /AFTER_30_DAYS/],
    ["CSI identity unknown", env({ efs: { csiIdentity: "node-role" } }), "efs.csiIdentity", /podIdentity, irsa/],
    ["relative base path", env({ efs: { basePath: "volley" } }), "efs.basePath", /absolute path/],
    ["negative uid", env({ efs: { uid: -1 } }), "efs.uid", /integer from 0/],
    ["bad default size", env({ efs: { defaultSize: "50 GB" } }), "efs.defaultSize", /Kubernetes quantity/],
    ["bad storage class name", env({ efs: { storageClassName: "Volley_EFS" } }), "efs.storageClassName", /DNS-1123 subdomain/],
    ["reserved tag key", env({ tags: { "aws:owner": "me" } }), "tags.aws:owner", /must not start with "aws:"/],
    ["prometheus mode misspelled", env({ prometheus: { mode: "full" } }), "prometheus.mode", /stack, crds, none/],
    ["operator namespace invalid", env({ operator: { namespace: "Volley" } }), "operator.namespace", /DNS-1123 label/],
];

const POOL_CASES: Case[] = [
    ["taint effect misspelled (EKS spelling)", { ...GOOD_POOL, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] }, "taints[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
    ["taint without key", { ...GOOD_POOL, taints: [{ effect: "NoSchedule" }] }, "taints[0].key", /required/],
    ["bad label key", { ...GOOD_POOL, labels: { "a/b/c": "x" } }, "labels.a/b/c", /qualified name/],
    ["no subnets", { ...GOOD_POOL, subnetIds: [] }, "subnetIds", /at least one subnet/],
    ["missing cluster name", { ...GOOD_POOL, clusterName: undefined }, "clusterName", /required/],
    ["min > max", { ...GOOD_POOL, minSize: 5, maxSize: 3 }, "minSize", /<= maxSize \(3\)/],
    ["node version unsupported", { ...GOOD_POOL, kubernetesVersion: "1.20" }, "kubernetesVersion", /must be one of 1\.36/],
    ["node version AWS no longer creates", { ...GOOD_POOL, kubernetesVersion: "1.29" }, "kubernetesVersion", /no longer creates EKS 1\.29/],
    ["startup taint with a bad effect", { ...GOOD_POOL, startupTaints: [{ key: "x.io/not-ready", effect: "NO_EXECUTE" }] }, "startupTaints[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
    ["51 taints with the startup ones", { ...GOOD_POOL, taints: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, effect: "NoSchedule" })), startupTaints: [{ key: "s", effect: "NoExecute" }] }, "taints", /at most 50 taints, startupTaints included/],
];

const STORE_CASES: Case[] = [
    ["IRSA without an OIDC provider", { ...GOOD_STORE, csiIdentity: "irsa" }, "csiIdentity", /OIDC provider/],
    ["no mount target subnets", { ...GOOD_STORE, subnetIds: [] }, "subnetIds", /at least 1 subnet ID/],
    ["node SG malformed", { ...GOOD_STORE, nodeSecurityGroupId: "nodes" }, "nodeSecurityGroupId", /sg-0123456789abcdef0/],
    ["OIDC provider not an ARN", { ...GOOD_STORE, csiIdentity: "irsa", oidcProviderArn: "oidc.eks.us-west-2.amazonaws.com/id/ABC" }, "oidcProviderArn", /oidc-provider/],
    ["provisioned 5000 MiB/s", { ...GOOD_STORE, throughputMode: "provisioned", provisionedThroughputMibps: 5000 }, "provisionedThroughputMibps", /from 1 to 3414/],
];

function table(name: string, validate: (a: any) => { propertyPath: string; reason: string }[], cases: Case[]) {
    describe(name, () => {
        for (const [title, input, path, reason] of cases) {
            it(`rejects ${title}`, () => {
                const issues = validate(input);
                const hit = issues.find((i) => i.propertyPath === path);
                assert.ok(hit, `no issue at ${path}; got ${JSON.stringify(issues)}`);
                assert.match(hit!.reason, reason);
            });
        }
    });
}

describe("AWS validation", () => {
    it("accepts the defaults, a full new environment and existing VPC + cluster", () => {
        assert.deepStrictEqual(validateAwsEnvironment(GOOD_ENV), []);
        assert.deepStrictEqual(validateAwsEnvironment(EXISTING), []);
        assert.deepStrictEqual(validateAwsEnvironment({
            operator: OPERATOR,
            tags: { team: "data" },
            vpc: { cidrBlock: "10.20.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "perAz" },
            cluster: {
                version: "1.34", deployerRoleArn: "arn:aws:iam::123456789012:role/deployer", endpointPrivateAccess: true,
                publicAccessCidrs: ["203.0.113.0/24"], logTypes: ["api", "audit"], secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            },
            systemNodePool: { instanceTypes: ["m7g.large"], amiType: "AL2023_ARM_64_STANDARD", minSize: 2, desiredSize: 2, maxSize: 3 },
            streamNodePool: { ...NODE_GROUP, instanceTypes: ["c6i.4xlarge", "c6a.4xlarge"], capacityType: "SPOT", minSize: 0, desiredSize: 0, maxSize: 20, desiredSizeOwner: "autoscaler" },
            efs: { throughputMode: "provisioned", provisionedThroughputMibps: 128, csiIdentity: "irsa", retainOnDelete: false, transitionToIa: "NONE" },
        }), []);
        assert.deepStrictEqual(validateAwsNodePool({ ...GOOD_POOL, taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }] }), []);
        assert.deepStrictEqual(validateEfsCheckpointStore(GOOD_STORE), []);
    });

    it("skips values not known yet (preview)", () => {
        assert.deepStrictEqual(validateAwsEnvironment(env({ cluster: { version: UNKNOWN, secretsKmsKeyArn: UNKNOWN }, streamNodePool: { ...NODE_GROUP, minSize: UNKNOWN, maxSize: 2 } })), []);
    });

    it("is what the plugin runs for every AWS token", () => {
        assert.deepStrictEqual(Object.keys(AWS_COMPONENTS).sort(), ["volley:index:AwsEnvironment", "volley:index:AwsNodePool", "volley:index:EfsCheckpointStore"]);
        assert.strictEqual(AWS_COMPONENTS["volley:index:AwsEnvironment"].validate(vpc({ availabilityZones: ["us-west-2a"] }))[0].propertyPath, "vpc.availabilityZones");
        assert.ok(AWS_COMPONENTS["volley:index:AwsNodePool"].validate({ ...GOOD_POOL, minSize: -1 }).length > 0);
        assert.ok(AWS_COMPONENTS["volley:index:EfsCheckpointStore"].validate({ ...GOOD_STORE, subnetIds: [] }).length > 0);
    });

    it("keeps each component's name short enough for its auto-named IAM roles and node groups", () => {
        const cases: [string, any, number][] = [
            ["volley:index:AwsEnvironment", GOOD_ENV, 36], ["volley:index:AwsNodePool", GOOD_POOL, 46], ["volley:index:EfsCheckpointStore", GOOD_STORE, 47],
        ];
        for (const [token, good, max] of cases) {
            assert.deepStrictEqual(AWS_COMPONENTS[token].validate(good, "n".repeat(max)), [], token);
            const issues = AWS_COMPONENTS[token].validate(good, "n".repeat(max + 1));
            assert.strictEqual(issues.length, 1, token);
            assert.strictEqual(issues[0].propertyPath, "name");
            assert.match(issues[0].reason, new RegExp(`at most ${max} characters .*got ${max + 1}`));
        }
    });

    it("reports every issue at once", () => {
        const issues = validateAwsEnvironment(env({ cluster: { version: "1.2" }, efs: { throughputMode: "provisioned" }, streamNodePool: { ...NODE_GROUP, instanceTypes: [] } }));
        assert.deepStrictEqual(issues.map((i) => i.propertyPath).sort(), ["cluster.version", "efs.provisionedThroughputMibps", "streamNodePool.instanceTypes"]);
    });
});

table("validateAwsEnvironment", validateAwsEnvironment, ENV_CASES);
table("validateAwsNodePool", validateAwsNodePool, POOL_CASES);
table("validateEfsCheckpointStore", validateEfsCheckpointStore, STORE_CASES);
