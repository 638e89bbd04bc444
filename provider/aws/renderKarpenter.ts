// Pure renderings of Karpenter on EKS: the controller's IAM policies, the
// interruption queue's policy and EventBridge patterns, the EC2NodeClass,
// the Helm values, and the stream pool's limits. No Pulumi here: all of it is
// table-tested as data (tests/unit/awsKarpenter.test.ts).
//
// Source of the IAM policies, the queue and the rules: Karpenter v1.14's
// reference CloudFormation template,
// https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
// (the release the vendored chart karpenter-1.14.1 comes from). The zonal
// shift policy is left out: the package does not turn on enableZonalShift.
import { PolicyDocument } from "./render";
import { mergeValues } from "../kubernetes/render/helm";
import { ec2InstanceShape } from "./capacity";

/** The charts (shared/charts/karpenter-1.14.1 and karpenter-crd-1.14.1 are copies) and where the controller runs. */
export const KARPENTER = {
    chart: "oci://public.ecr.aws/karpenter/karpenter",
    crdChart: "oci://public.ecr.aws/karpenter/karpenter-crd",
    version: "1.14.1",
    // Karpenter's docs install it in kube-system (KARPENTER_NAMESPACE=kube-system), which API priority
    // and fairness already serves at workload-high; another namespace needs its own FlowSchemas.
    namespace: "kube-system",
    serviceAccount: "karpenter",
    /** The tag the EC2NodeClass selects subnets and the security group by (Karpenter's getting-started convention). */
    discoveryTag: "karpenter.sh/discovery",
} as const;

export const EC2_NODE_CLASS_API = { group: "karpenter.k8s.aws", version: "v1", kind: "EC2NodeClass" } as const;

/** AMI alias families the package offers (al2 ended with Kubernetes 1.33; Windows cannot run Volley's Linux images). */
export const AMI_ALIAS_FAMILIES = ["al2023", "bottlerocket"] as const;

/** The EC2NodeClass AMI alias for a managed-node-group `amiType`: AL2023_* -> al2023, BOTTLEROCKET_* -> bottlerocket. */
export function amiAliasFamily(amiType: string): string | undefined {
    if (amiType.startsWith("AL2023_")) return "al2023";
    if (amiType.startsWith("BOTTLEROCKET_") && !amiType.endsWith("_FIPS")) return "bottlerocket";
    return undefined;
}

export interface ArnParts { partition: string; region: string; account: string }

/** Partition, region and account of an ARN with all three (e.g. the interruption queue's). */
export function arnParts(arn: string): ArnParts {
    const m = /^arn:([a-z-]+):[a-z0-9-]+:([a-z0-9-]+):(\d{12}):/.exec(arn);
    if (!m) throw new Error(`not a regional ARN: ${arn}`);
    return { partition: m[1], region: m[2], account: m[3] };
}

export interface ControllerScope {
    clusterName: string;
    /** The interruption queue's ARN; partition, region and account come from it. */
    queueArn: string;
    /** The only role the controller may pass to EC2 (the Karpenter nodes' role). */
    nodeRoleArn: string;
}

/**
 * The controller's policies, one document per policy of the reference
 * template (each within IAM's 6,144-character managed-policy limit): EC2
 * launches and deletions only of what carries the cluster's ownership tag and
 * a NodePool tag, instance profiles only with the cluster's tags, PassRole only
 * of the node role to EC2, the queue only, DescribeCluster only of this cluster.
 */
export function karpenterControllerPolicies(s: ControllerScope): Record<string, PolicyDocument> {
    const { partition: p, region: r, account: a } = arnParts(s.queueArn);
    const c = s.clusterName;
    const ec2 = (res: string) => `arn:${p}:ec2:${r}:*:${res}`;
    const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned" };
    const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${c}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": c };
    const taggedKinds = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
    const profile = `arn:${p}:iam::${a}:instance-profile/*`;
    return {
        NodeLifecycle: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowScopedEC2InstanceAccessActions", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                    Resource: [`arn:${p}:ec2:${r}::image/*`, `arn:${p}:ec2:${r}::snapshot/*`, ec2("security-group/*"), ec2("subnet/*"), ec2("capacity-reservation/*"), ec2("placement-group/*")],
                },
                {
                    Sid: "AllowScopedEC2LaunchTemplateAccessActions", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"], Resource: ec2("launch-template/*"),
                    Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags", Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"], Resource: taggedKinds,
                    Condition: { StringEquals: requestOwned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
                },
                {
                    Sid: "AllowScopedResourceCreationTagging", Effect: "Allow", Action: "ec2:CreateTags", Resource: taggedKinds,
                    Condition: {
                        StringEquals: { ...requestOwned, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceTagging", Effect: "Allow", Action: "ec2:CreateTags", Resource: ec2("instance/*"),
                    Condition: {
                        StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": c },
                        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
                    },
                },
                {
                    Sid: "AllowScopedDeletion", Effect: "Allow", Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Resource: [ec2("instance/*"), ec2("launch-template/*")],
                    Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
                },
            ],
        },
        IamIntegration: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowPassingInstanceRole", Effect: "Allow", Action: "iam:PassRole", Resource: s.nodeRoleArn,
                    Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
                },
                {
                    Sid: "AllowScopedInstanceProfileCreationActions", Effect: "Allow", Action: ["iam:CreateInstanceProfile"], Resource: profile,
                    Condition: {
                        StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": r },
                        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileTagActions", Effect: "Allow", Action: ["iam:TagInstanceProfile"], Resource: profile,
                    Condition: {
                        StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": r, ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": r },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileActions", Effect: "Allow", Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"], Resource: profile,
                    Condition: {
                        StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": r },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
            ],
        },
        EksIntegration: {
            Version: "2012-10-17",
            Statement: [{ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Action: "eks:DescribeCluster", Resource: `arn:${p}:eks:${r}:${a}:cluster/${c}` }],
        },
        Interruption: {
            Version: "2012-10-17",
            Statement: [{ Sid: "AllowInterruptionQueueActions", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: s.queueArn }],
        },
        ResourceDiscovery: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowRegionalReadActions", Effect: "Allow", Resource: "*",
                    Action: [
                        "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings",
                        "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
                    ],
                    Condition: { StringEquals: { "aws:RequestedRegion": r } },
                },
                { Sid: "AllowSSMReadActions", Effect: "Allow", Action: "ssm:GetParameter", Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*` },
                { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
                { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Action: "iam:ListInstanceProfiles", Resource: "*" },
                { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: profile },
            ],
        },
    };
}

/** Managed policies of the Karpenter nodes' role (the reference template's KarpenterNodeRole less SSM, which the package's nodes do not use). */
export const KARPENTER_NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"];

/** The queue's policy: EventBridge (and SQS) may send, nobody over plain HTTP. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument & { Id: string } {
    return {
        Version: "2012-10-17",
        Id: "EC2InterruptionPolicy",
        Statement: [
            { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: queueArn },
            { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
    };
}

/** The interruption queue: messages older than 5 minutes are useless to Karpenter; SSE with SQS-managed keys. */
export const INTERRUPTION_QUEUE = { messageRetentionSeconds: 300, sqsManagedSseEnabled: true };

/**
 * EventBridge rules feeding the queue, by the name suffix of their resource
 * (short: rule names have at most 64 characters, auto-naming included).
 */
export const INTERRUPTION_RULES: Record<string, { source: string[]; "detail-type": string[] }> = {
    health: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
    spot: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
    rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
    state: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    capacity: { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
};

export interface NodeClassSpec {
    name: string;
    /** Name (not ARN) of the nodes' IAM role; Karpenter makes and tags the instance profile. */
    role: string;
    /** `al2023@latest`, `bottlerocket@v1.2.3`, ... */
    amiAlias: string;
    subnetSelectorTerms: ({ tags: Record<string, string> } | { id: string })[];
    securityGroupSelectorTerms: ({ tags: Record<string, string> } | { id: string })[];
    /** GiB of the volume that holds images and pods' data (AL2023's root, Bottlerocket's data volume). */
    diskSize: number;
    tags: Record<string, string>;
}

/**
 * The EC2NodeClass: IMDSv2 only with hop limit 1 (pipeline pods, off the host
 * network, cannot reach the node role's credentials), encrypted gp3 volumes
 * whatever the account's EBS default, the environment's tags on everything
 * Karpenter launches. Bottlerocket keeps its OS volume at Karpenter's 4Gi
 * default and gets `diskSize` on its data volume.
 */
export function renderEc2NodeClass(s: NodeClassSpec): any {
    const ebs = (size: number) => ({ volumeSize: `${size}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true });
    const bottlerocket = s.amiAlias.startsWith("bottlerocket@");
    return {
        apiVersion: `${EC2_NODE_CLASS_API.group}/${EC2_NODE_CLASS_API.version}`,
        kind: EC2_NODE_CLASS_API.kind,
        metadata: { name: s.name, labels: { "app.kubernetes.io/part-of": "volley" } },
        spec: {
            role: s.role,
            amiSelectorTerms: [{ alias: s.amiAlias }],
            subnetSelectorTerms: s.subnetSelectorTerms,
            securityGroupSelectorTerms: s.securityGroupSelectorTerms,
            metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
            blockDeviceMappings: bottlerocket
                ? [{ deviceName: "/dev/xvda", ebs: ebs(4) }, { deviceName: "/dev/xvdb", rootVolume: true, ebs: ebs(s.diskSize) }]
                : [{ deviceName: "/dev/xvda", rootVolume: true, ebs: ebs(s.diskSize) }],
            tags: { ...s.tags },
        },
    };
}

/** Tag keys the EC2NodeClass refuses (Karpenter sets them itself; the CRD's CEL rules). */
export function reservedNodeClassTag(key: string): boolean {
    return key === "" || key === "eks:eks-cluster-name" || key.startsWith("kubernetes.io/cluster") ||
        ["karpenter.sh/nodepool", "karpenter.sh/nodeclaim", "karpenter.k8s.aws/ec2nodeclass"].includes(key);
}

export interface ControllerValues {
    clusterName: string;
    clusterEndpoint: string;
    interruptionQueue: string;
    nodeSelector: Record<string, string>;
}

/**
 * The chart's values: the controller on the system nodes (beside the chart's
 * own kubernetes.io/os selector and its rule against Karpenter-made nodes),
 * the ServiceAccount Pod Identity binds, the cluster and the queue.
 */
export function karpenterValues(v: ControllerValues, user?: Record<string, any>): Record<string, any> {
    const base = {
        serviceAccount: { create: true, name: KARPENTER.serviceAccount },
        nodeSelector: { "kubernetes.io/os": "linux", ...v.nodeSelector },
        settings: { clusterName: v.clusterName, clusterEndpoint: v.clusterEndpoint, interruptionQueue: v.interruptionQueue },
    };
    return mergeValues(base, user);
}

/**
 * The stream pool's limits: `nodes` is the pool's maximum size (one pipeline
 * pod per node); `cpu` and `memory` that many of the largest allowed instance
 * type, when the shape table (capacity.ts, with its sources) knows every type.
 * The user's limits win.
 */
export function streamPoolLimits(maxSize: number, instanceTypes: string[], user?: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = { nodes: String(maxSize) };
    const shapes = instanceTypes.map(ec2InstanceShape);
    if (instanceTypes.length && shapes.every((s) => s)) {
        out.cpu = String(maxSize * Math.max(...shapes.map((s) => s!.vcpus)));
        out.memory = `${maxSize * Math.max(...shapes.map((s) => s!.memoryGib))}Gi`;
    }
    return { ...out, ...(user ?? {}) };
}

/** Capacity types of a managed node group (`ON_DEMAND`, `SPOT`) in Karpenter's spelling. */
export function karpenterCapacityType(capacityType: string): string {
    return capacityType === "SPOT" ? "spot" : "on-demand";
}
