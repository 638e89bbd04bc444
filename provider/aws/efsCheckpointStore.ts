import * as pulumi from "@pulumi/pulumi";
import { createEfsCsiDriver } from "./efsCsi";
import { createFileSystem } from "./efs";
import { or } from "./util";
import { EFS_DEFAULTS } from "./render";
import { resolvedOf } from "../core/resolved";
import { CheckpointBackend } from "../core/types";

/** EFS performance mode (cannot change after creation). */
export const EfsPerformanceMode = {
    /** General purpose: lowest latency; the right choice for checkpoints. */
    GeneralPurpose: "generalPurpose",
    /** Max I/O: higher aggregate throughput, higher latency; not with elastic throughput. */
    MaxIo: "maxIO",
} as const;
export type EfsPerformanceMode = (typeof EfsPerformanceMode)[keyof typeof EfsPerformanceMode];

/** EFS throughput mode. */
export const EfsThroughputMode = {
    /** Scales with the workload, billed per use. */
    Elastic: "elastic",
    /** Scales with the stored size, with burst credits. */
    Bursting: "bursting",
    /** A fixed throughput, set in `provisionedThroughputMibps`. */
    Provisioned: "provisioned",
} as const;
export type EfsThroughputMode = (typeof EfsThroughputMode)[keyof typeof EfsThroughputMode];

/** How the EFS CSI driver gets its IAM role. */
export const EfsCsiIdentity = {
    /** EKS Pod Identity (principal pods.eks.amazonaws.com, with the eks-pod-identity-agent add-on); no OIDC provider needed. */
    PodIdentity: "podIdentity",
    /** IAM roles for service accounts through the cluster's OIDC provider. */
    Irsa: "irsa",
} as const;
export type EfsCsiIdentity = (typeof EfsCsiIdentity)[keyof typeof EfsCsiIdentity];

/** Settings of the shared EFS checkpoint storage. */
export interface EfsSettings {
    /** KMS key ARN (`…:key/<uuid>`) for encryption at rest (always on). Fixed at creation: with `retainOnDelete` (the default) a change is refused at preview (the file system is protected); without it, the change replaces the file system and its checkpoints. Defaults to the AWS managed key `aws/elasticfilesystem`. */
    kmsKeyArn?: pulumi.Input<string>;
    /** `generalPurpose` or `maxIO`. Fixed at creation: with `retainOnDelete` (the default) a change is refused at preview (the file system is protected); without it, the change replaces the file system and its checkpoints. Defaults to `generalPurpose`. */
    performanceMode?: pulumi.Input<EfsPerformanceMode>;
    /** `elastic`, `bursting` or `provisioned` (then set provisionedThroughputMibps). Defaults to `elastic`. */
    throughputMode?: pulumi.Input<EfsThroughputMode>;
    /** Throughput in MiB/s, required with `provisioned` throughput and only then. */
    provisionedThroughputMibps?: pulumi.Input<number>;
    /** Daily AWS Backup of the file system. Defaults to `true`. */
    backups?: pulumi.Input<boolean>;
    /** When files move to Infrequent Access (`AFTER_7_DAYS` ... `AFTER_365_DAYS`, or `NONE`); they return on first access. Defaults to `AFTER_30_DAYS`. */
    transitionToIa?: pulumi.Input<string>;
    /** Keep the file system (and its backup policy) when the stack is destroyed, and protect it (a change that would replace it fails at preview; `pulumi destroy` stops at it until `pulumi state unprotect`); mount targets are always deleted so the VPC can go. Plain. Defaults to `true`. */
    retainOnDelete?: boolean;
    /** How the CSI driver gets its IAM role: `podIdentity` or `irsa` (needs an OIDC provider). Plain: it decides which resources exist. Defaults to `podIdentity`. */
    csiIdentity?: EfsCsiIdentity;
    /** A file system to adopt instead of creating one (`fs-...`), e.g. the one a destroyed stack retained: claims with the same namespace and name find their checkpoints again. Adopted file systems are never deleted. `kmsKeyArn` and `performanceMode` must then be unset. Plain: it decides whether a file system is created. Defaults to none (a new file system). */
    existingFileSystemId?: string;
    /** Install the aws-efs-csi-driver add-on, its IAM role and Pod Identity association; turn off when the cluster already runs the driver (add-on or Helm), or `up` fails with "Association already exists" or overwrites it. Plain. Defaults to `true`. */
    installCsiDriver?: boolean;
    /** Install the eks-pod-identity-agent add-on (with `podIdentity`; in AwsEnvironment Karpenter's controller uses it too, and Karpenter installs it when the CSI driver does not); turn off when the cluster already has it. Plain. Defaults to `true`. */
    podIdentityAgent?: boolean;
    /** Version of the aws-efs-csi-driver add-on, e.g. `v2.1.11-eksbuild.1`. Defaults to EKS's default version for the cluster's Kubernetes version, so a version bump updates the driver in place (AWS may also move its default between previews; pin it to freeze). */
    csiDriverVersion?: pulumi.Input<string>;
    /** Version of the eks-pod-identity-agent add-on, e.g. `v1.3.10-eksbuild.3`. Defaults to EKS's default version for the cluster's Kubernetes version, as for `csiDriverVersion`. */
    podIdentityAgentVersion?: pulumi.Input<string>;
    /** Name of the StorageClass each application's claim uses. Defaults to `volley-efs`. */
    storageClassName?: pulumi.Input<string>;
    /** POSIX user ID owning each application's directory (enforced by its access point). Defaults to `1000`. */
    uid?: pulumi.Input<number>;
    /** POSIX group ID owning each application's directory. Defaults to `1000`. */
    gid?: pulumi.Input<number>;
    /** Directory on the file system under which each claim gets its own directory (permissions 700). Defaults to `/volley`. */
    basePath?: pulumi.Input<string>;
    /** Default size of each application's claim (EFS does not enforce it). Defaults to `50Gi`. */
    defaultSize?: pulumi.Input<string>;
}

export interface EfsCheckpointStoreArgs extends EfsSettings {
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Subnets of the mount targets, exactly one per availability zone of the nodes. Plain list: its length decides how many mount targets exist. */
    subnetIds: pulumi.Input<string>[];
    /** Security group of the nodes (the EKS cluster security group for managed node groups); only it may reach NFS (TCP 2049). */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Name of the EKS cluster that gets the CSI driver add-on; pass a value that resolves after the nodes exist so add-ons start on nodes. */
    clusterName: pulumi.Input<string>;
    /** IAM roles of the nodes that mount checkpoints (e.g. the node groups' role). Claims mount with the `iam` option as the node's role, and the file-system policy allows only these roles (anonymous NFS clients cannot mount). */
    mountRoleArns: pulumi.Input<pulumi.Input<string>[]>;
    /** ARN of the cluster's IAM OIDC provider; required with `irsa`. */
    oidcProviderArn?: pulumi.Input<string>;
    /** Kubeconfig of the cluster for the StorageClass. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Kubernetes version of the cluster (e.g. its `version` output): the add-ons' versions follow it unless pinned. Defaults to none: EKS picks the add-on versions at creation and they stay. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Node labels of the system nodes, where the CSI controller runs. */
    systemNodeSelector?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Tags of every taggable resource. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * Shared ReadWriteMany checkpoints on EFS: an encrypted file system whose
 * policy allows only TLS mounts through access points and never root, one
 * mount target per AZ behind a security group open to the nodes on TCP 2049
 * only, the aws-efs-csi-driver add-on with its IAM role (Pod Identity or
 * IRSA), and a StorageClass that gives each application's claim its own
 * access point and directory. The file system is retained on delete unless
 * `retainOnDelete` is false.
 */
export class EfsCheckpointStore extends pulumi.ComponentResource {
    /** ID of the file system (`fs-...`). */
    public readonly fileSystemId!: pulumi.Output<string>;
    /** ARN of the file system. */
    public readonly fileSystemArn!: pulumi.Output<string>;
    /** Security group of the mount targets. */
    public readonly securityGroupId!: pulumi.Output<string>;
    /** IDs of the mount targets, one per subnet. */
    public readonly mountTargetIds!: pulumi.Output<string[]>;
    /** IAM role ARN of the EFS CSI driver ("" when the cluster's own driver is used). */
    public readonly csiDriverRoleArn!: pulumi.Output<string>;
    /** Name of the StorageClass of application claims. */
    public readonly storageClassName!: pulumi.Output<string>;
    /** The checkpoint backend for an EnvironmentRef; resolves once the driver, mount targets and StorageClass exist. */
    public readonly checkpoints!: pulumi.Output<CheckpointBackend>;

    constructor(name: string, args: EfsCheckpointStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:EfsCheckpointStore", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const fs = createFileSystem(this, name, {
            ...args,
            mountTargetCount: (r.subnetIds ?? []).length,
            retainOnDelete: r.retainOnDelete ?? EFS_DEFAULTS.retainOnDelete,
            existingFileSystemId: r.existingFileSystemId,
        });
        const csi = createEfsCsiDriver(this, name, opts, {
            ...args,
            fileSystemId: fs.fileSystemId,
            installDriver: r.installCsiDriver ?? true,
            claimsWaitFor: [fs.policy],
            irsa: (r.csiIdentity ?? EFS_DEFAULTS.csiIdentity) === EfsCsiIdentity.Irsa,
            podIdentityAgent: r.podIdentityAgent ?? true,
        });
        this.fileSystemId = fs.fileSystemId;
        this.fileSystemArn = fs.fileSystemArn;
        this.securityGroupId = fs.securityGroup.id;
        this.mountTargetIds = pulumi.all(fs.mountTargets.map((m) => m.id));
        this.csiDriverRoleArn = csi.roleArn ?? pulumi.output("");
        this.storageClassName = csi.storageClass.metadata.name;
        // Claims bind only when the driver runs and NFS is reachable in every AZ.
        this.checkpoints = pulumi.all([
            csi.storageClass.metadata.name, or(args.defaultSize, EFS_DEFAULTS.defaultSize), csi.addon?.arn ?? "",
            this.mountTargetIds, fs.ingress.id,
        ]).apply(([storageClassName, defaultSize]) => ({ kind: "StorageClass", storageClassName, defaultSize }));
        this.registerOutputs({
            fileSystemId: this.fileSystemId, fileSystemArn: this.fileSystemArn, securityGroupId: this.securityGroupId,
            mountTargetIds: this.mountTargetIds, csiDriverRoleArn: this.csiDriverRoleArn, storageClassName: this.storageClassName,
            checkpoints: this.checkpoints,
        });
    }
}
