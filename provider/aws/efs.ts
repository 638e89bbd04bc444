// The EFS file system, its policy, its mount targets and their security group. Nothing
// here waits for the cluster except the NFS ingress rule, which needs the
// node security group ID; the mount targets only need the group itself.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EFS_DEFAULTS, NFS_PORT, efsFileSystemPolicy, efsLifecyclePolicies } from "./render";
import { Tags, named, or } from "./util";


export interface FileSystemInputs {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    mountTargetCount: number;
    nodeSecurityGroupId: pulumi.Input<string>;
    kmsKeyArn?: pulumi.Input<string>;
    performanceMode?: pulumi.Input<string>;
    throughputMode?: pulumi.Input<string>;
    provisionedThroughputMibps?: pulumi.Input<number>;
    backups?: pulumi.Input<boolean>;
    transitionToIa?: pulumi.Input<string>;
    retainOnDelete: boolean;
    /** A file system to adopt (e.g. one a destroyed stack retained) instead of creating one. */
    existingFileSystemId?: string;
    /** IAM roles allowed to mount (the nodes'); anonymous clients are not. */
    mountRoleArns: pulumi.Input<pulumi.Input<string>[]>;
    tags?: Tags;
}

export interface FileSystemParts {
    fileSystemId: pulumi.Output<string>;
    fileSystemArn: pulumi.Output<string>;
    /** The created file system; undefined when an existing one is adopted. */
    fileSystem?: aws.efs.FileSystem;
    /** TLS only, no root, mounts only through access points. */
    policy: aws.efs.FileSystemPolicy;
    securityGroup: aws.ec2.SecurityGroup;
    ingress: aws.vpc.SecurityGroupIngressRule;
    mountTargets: aws.efs.MountTarget[];
}

export function createFileSystem(parent: pulumi.Resource, name: string, a: FileSystemInputs): FileSystemParts {
    let fileSystemId: pulumi.Output<string>;
    let fileSystemArn: pulumi.Output<string>;
    let fileSystem: aws.efs.FileSystem | undefined;
    if (a.existingFileSystemId !== undefined) {
        // Adopted: read, never managed, so nothing here can delete or replace it.
        fileSystemId = pulumi.output(a.existingFileSystemId);
        fileSystemArn = aws.efs.getFileSystemOutput({ fileSystemId: a.existingFileSystemId }, { parent }).arn;
    } else {
        const throughputMode = or(a.throughputMode, EFS_DEFAULTS.throughputMode);
        fileSystem = new aws.efs.FileSystem(`${name}-fs`, {
            encrypted: true,
            kmsKeyId: a.kmsKeyArn,
            performanceMode: or(a.performanceMode, EFS_DEFAULTS.performanceMode),
            throughputMode,
            provisionedThroughputInMibps: pulumi.all([throughputMode, a.provisionedThroughputMibps])
                .apply(([m, t]) => (m === "provisioned" ? t : undefined)) as pulumi.Output<number>,
            lifecyclePolicies: or(a.transitionToIa, EFS_DEFAULTS.transitionToIa).apply(efsLifecyclePolicies),
            tags: named(a.tags, `${name}-checkpoints`),
            // Retained means protected too: a change of a create-only setting (performanceMode, kmsKeyArn)
            // would replace it and orphan the checkpoints; protect makes that an error at preview.
        }, { parent, retainOnDelete: a.retainOnDelete, protect: a.retainOnDelete });
        fileSystemId = fileSystem.id;
        fileSystemArn = fileSystem.arn;
        // Backups stay on when the file system is retained.
        new aws.efs.BackupPolicy(`${name}-backup`, {
            fileSystemId: fileSystem.id,
            backupPolicy: { status: or(a.backups, EFS_DEFAULTS.backups).apply((b) => (b ? "ENABLED" : "DISABLED")) },
        }, { parent, retainOnDelete: a.retainOnDelete });
    }
    // A retained file system keeps its policy: the checkpoints stay protected.
    const policy = new aws.efs.FileSystemPolicy(`${name}-policy`, {
        fileSystemId,
        policy: pulumi.all([fileSystemArn, a.mountRoleArns]).apply(([arn, roles]) => JSON.stringify(efsFileSystemPolicy(arn, roles as string[]))),
    }, { parent, retainOnDelete: a.retainOnDelete || a.existingFileSystemId !== undefined });

    // Rules are separate resources, so changing them never replaces the group
    // (replacing a group that mount targets use hangs).
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-mount-sg`, {
        vpcId: a.vpcId,
        description: "EFS mount targets of Volley checkpoints: NFS from the cluster nodes only",
        tags: named(a.tags, `${name}-mount-sg`),
    }, { parent });
    const ingress = new aws.vpc.SecurityGroupIngressRule(`${name}-nfs-from-nodes`, {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: a.nodeSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        description: "NFS from the cluster nodes",
        tags: a.tags,
    }, { parent });

    // Exactly one mount target per subnet (one subnet per AZ). They depend on
    // the group, so destroy removes them (and their ENIs) before it.
    const mountTargets: aws.efs.MountTarget[] = [];
    for (let i = 0; i < a.mountTargetCount; i++) {
        mountTargets.push(new aws.efs.MountTarget(`${name}-mt-${i}`, {
            fileSystemId,
            subnetId: pulumi.output(a.subnetIds).apply((ids) => ids[i]),
            securityGroups: [securityGroup.id],
        }, { parent, customTimeouts: { create: "30m", delete: "30m" } }));
    }
    return { fileSystemId, fileSystemArn, fileSystem, policy, securityGroup, ingress, mountTargets };
}
