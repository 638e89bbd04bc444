import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { nodeRole } from "./iam";
import { or } from "./util";
import { nodeLaunchTemplate, toEksTaints } from "./render";
import { resolvedOf } from "../core/resolved";
import { Placement, Taint } from "../core/types";
import { tolerationsFor } from "../kubernetes/kubernetesEnvironment";

/** EC2 capacity of a managed node group. */
export const AwsCapacityType = {
    /** On-Demand instances. */
    OnDemand: "ON_DEMAND",
    /** Spot instances (interruptible, cheaper). */
    Spot: "SPOT",
} as const;
export type AwsCapacityType = (typeof AwsCapacityType)[keyof typeof AwsCapacityType];

/** Who owns a node group's desired size. */
export const AwsDesiredSizeOwner = {
    /** Pulumi sets the desired size; a change in the program resizes the group. */
    Pulumi: "pulumi",
    /** A cluster autoscaler or Karpenter changes it; Pulumi sets it at creation only (ignoreChanges on scalingConfig.desiredSize). */
    Autoscaler: "autoscaler",
} as const;
export type AwsDesiredSizeOwner = (typeof AwsDesiredSizeOwner)[keyof typeof AwsDesiredSizeOwner];

/** Size and machines of an EKS managed node group. */
export interface AwsNodePoolSettings {
    /** EC2 instance types, e.g. `["m6i.large"]`; several only make sense with Spot. Defaults to `["m6i.large"]` (system) and `["m6i.2xlarge"]` (stream). */
    instanceTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** `ON_DEMAND` or `SPOT`. Defaults to `ON_DEMAND`. */
    capacityType?: pulumi.Input<AwsCapacityType>;
    /** Minimum number of nodes. Defaults to `2`. */
    minSize?: pulumi.Input<number>;
    /** Number of nodes at creation (and after, when Pulumi owns it); between minSize and maxSize. Defaults to `2`. */
    desiredSize?: pulumi.Input<number>;
    /** Maximum number of nodes. Defaults to `4`. */
    maxSize?: pulumi.Input<number>;
    /** Size in GiB of each node's data volume (gp3, encrypted; the root volume, or Bottlerocket's second volume). Defaults to `50`. */
    diskSize?: pulumi.Input<number>;
    /** AMI type, e.g. `AL2023_x86_64_STANDARD` or `BOTTLEROCKET_ARM_64` (must match the instance architecture). Defaults to `AL2023_x86_64_STANDARD`. */
    amiType?: pulumi.Input<string>;
    /** Who owns the desired size after creation: `pulumi` or `autoscaler`. Plain: it decides a resource option. Defaults to `pulumi`. */
    desiredSizeOwner?: AwsDesiredSizeOwner;
}

export interface AwsNodePoolArgs extends AwsNodePoolSettings {
    /** Name of the EKS cluster the nodes join. */
    clusterName: pulumi.Input<string>;
    /** Subnets of the nodes, normally private subnets with a route to a NAT gateway. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** IAM role of the nodes. Defaults to a new role with the EKS worker, CNI and ECR read-only policies. */
    nodeRoleArn?: pulumi.Input<string>;
    /** Kubernetes version of the nodes; keep it at the cluster's (EKS upgrades the control plane only when nodes are at its minor). Defaults to the cluster's version at creation. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Instance-metadata hop limit of the nodes (IMDSv2 is always required): `1` keeps pods off the host network from the node role's credentials, `2` lets them reach it (EKS's default). Defaults to `2`. */
    imdsHopLimit?: pulumi.Input<number>;
    /** Kubernetes labels of the nodes. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Kubernetes taints of the nodes, Kubernetes spelling (`NoSchedule`); changing them rolls the nodes. The pool's placement tolerates them. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
    /** Taints new nodes start with and a node agent removes once it runs (e.g. `efs.csi.aws.com/agent-not-ready:NoExecute`); the placement does not tolerate them. */
    startupTaints?: pulumi.Input<pulumi.Input<Taint>[]>;
    /** Tags of the node group, its launch template, and the nodes' EC2 instances, volumes and network interfaces (and of its IAM role when the pool creates one). A change makes a new launch-template version, and EKS recycles every node of the group: keep tags that change often off it. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** The component's own dependsOn, forwarded to the node group (children do not inherit it). */
function withCallerDependsOn(opts: pulumi.ComponentResourceOptions | undefined, own: pulumi.Resource[]): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    const given = opts?.dependsOn;
    if (!given) return own;
    return pulumi.output(given as pulumi.Input<pulumi.Input<pulumi.Resource>[]>).apply((d) => [...(Array.isArray(d) ? d : [d]), ...own]);
}

export const NODE_POOL_DEFAULTS = {
    instanceTypes: ["m6i.large"], capacityType: "ON_DEMAND", minSize: 2, desiredSize: 2, maxSize: 4, diskSize: 50,
    amiType: "AL2023_x86_64_STANDARD", desiredSizeOwner: "pulumi",
};

/**
 * An EKS managed node group with Kubernetes labels and taints (Kubernetes
 * spelling in, EKS spelling out), its IAM role unless given, and the choice of
 * who owns the desired size. Outputs the placement that targets its nodes.
 * Resources the pool is made to depend on also precede its node group.
 */
export class AwsNodePool extends pulumi.ComponentResource {
    /** Name of the node group. */
    public readonly nodeGroupName!: pulumi.Output<string>;
    /** ARN of the node group. */
    public readonly nodeGroupArn!: pulumi.Output<string>;
    /** IAM role ARN of the nodes. */
    public readonly nodeRoleArn!: pulumi.Output<string>;
    /** Node selector and tolerations that place pods on these nodes (Kubernetes spelling). */
    public readonly placement!: pulumi.Output<Placement>;

    constructor(name: string, args: AwsNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:AwsNodePool", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const d = NODE_POOL_DEFAULTS;
        let roleArn: pulumi.Input<string>;
        let roleReady: pulumi.Resource[] = [];
        if (r.nodeRoleArn !== undefined) {
            roleArn = args.nodeRoleArn!;
        } else {
            const role = nodeRole(this, `${name}-node-role`, args.tags);
            roleArn = role.arn;
            roleReady = role.attachments;
        }
        const taints = pulumi.all([or(args.taints, []), or(args.startupTaints, [])]).apply(([ts, st]) => toEksTaints([...ts, ...st] as any));
        const ownerIsAutoscaler = (r.desiredSizeOwner ?? d.desiredSizeOwner) === AwsDesiredSizeOwner.Autoscaler;
        const lt = pulumi.all([or(args.amiType, d.amiType), or(args.diskSize, d.diskSize), or(args.tags, {}), or(args.imdsHopLimit, 2)])
            .apply(([amiType, diskSize, tags, imdsHopLimit]) => nodeLaunchTemplate({ amiType, diskSize, name, tags: tags as Record<string, string>, imdsHopLimit }));
        // A change makes a new template version, which the node group rolls out node by node.
        const template = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
            description: `Nodes of EKS node group ${name} (Volley)`,
            blockDeviceMappings: lt.blockDeviceMappings,
            metadataOptions: lt.metadataOptions,
            tagSpecifications: lt.tagSpecifications,
            updateDefaultVersion: true,
            tags: args.tags,
        }, { parent: this });
        const group = new aws.eks.NodeGroup(`${name}`, {
            clusterName: args.clusterName,
            nodeRoleArn: roleArn,
            subnetIds: args.subnetIds,
            version: args.kubernetesVersion,
            instanceTypes: or(args.instanceTypes, d.instanceTypes),
            capacityType: or(args.capacityType, d.capacityType),
            amiType: or(args.amiType, d.amiType),
            launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
            scalingConfig: {
                minSize: or(args.minSize, d.minSize),
                desiredSize: or(args.desiredSize, d.desiredSize),
                maxSize: or(args.maxSize, d.maxSize),
            },
            labels: args.labels,
            taints,
            // Replace nodes a few at a time when labels, taints or the AMI change.
            updateConfig: { maxUnavailablePercentage: 33 },
            tags: args.tags,
        }, {
            parent: this,
            // The role's policies (and whatever the caller made the pool depend on,
            // e.g. the NAT routes) must exist while nodes join and until they are gone.
            dependsOn: withCallerDependsOn(opts, roleReady),
            ignoreChanges: ownerIsAutoscaler ? ["scalingConfig.desiredSize"] : [],
        });
        this.nodeGroupName = group.nodeGroupName;
        this.nodeGroupArn = group.arn;
        this.nodeRoleArn = pulumi.output(roleArn);
        // Resolves once the group exists, so whatever reads it waits for the nodes.
        this.placement = pulumi.all([group.arn, or(args.labels, {}), or(args.taints, [])]).apply(([, labels, ts]) => ({
            nodeSelector: labels as Record<string, string>,
            tolerations: tolerationsFor(ts as any),
        }));
        this.registerOutputs({
            nodeGroupName: this.nodeGroupName, nodeGroupArn: this.nodeGroupArn, nodeRoleArn: this.nodeRoleArn, placement: this.placement,
        });
    }
}
