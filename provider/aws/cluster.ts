// A new EKS cluster (API authentication, secrets encrypted with KMS, access
// entry for the deployer, managed control-plane log group, OIDC provider for
// IRSA), or an existing one, and the one Kubernetes provider every Kubernetes
// child of the environment uses.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import {
    DEFAULT_CLUSTER_LOG_TYPES, DEFAULT_EKS_VERSION, DEFAULT_LOG_RETENTION_DAYS, NAME_LIMITS, clusterAdminPolicyArn, clusterLogGroupName, defaultSupportType, renderKubeconfig,
} from "./render";
import { clusterRole } from "./iam";
import { partitionOf } from "./util";
import { stableName, stableSuffix } from "../core/names";

type Tags = pulumi.Output<Record<string, string>>;

/** What the rest of the environment needs of a cluster, new or existing. */
export interface ClusterInfo {
    name: pulumi.Output<string>;
    endpoint: pulumi.Output<string>;
    certificateAuthorityData: pulumi.Output<string>;
    /** Security group of the managed node groups' nodes (the cluster security group). */
    nodeSecurityGroupId: pulumi.Output<string>;
    /** Kubernetes version the node groups follow: the new cluster's, or the existing cluster's (given, or read at construct). */
    version?: pulumi.Output<string>;
    oidcProviderArn?: pulumi.Output<string>;
    /** Resources the Kubernetes provider must wait for (the deployer's access). */
    accessReady: pulumi.Resource[];
}

export interface NewClusterInputs {
    /** The AwsClusterSettings (possibly one Output). */
    settings: pulumi.Output<{
        version?: string; deployerRoleArn?: string; endpointPublicAccess?: boolean; endpointPrivateAccess?: boolean;
        publicAccessCidrs?: string[]; logTypes?: string[]; logRetentionDays?: number; secretsKmsKeyArn?: string; supportType?: string;
    }>;
    /** The cluster's physical name when the user pins it (`cluster.name`); else derived from the component name and a digest of project and stack. */
    name?: string;
    /** Whether a deployer role is given (decides the access entry). */
    hasDeployer: boolean;
    /** Whether a secrets KMS key is given (else one is created). */
    hasKmsKey: boolean;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    irsa: boolean;
    tags: Tags;
}

export function createCluster(parent: pulumi.Resource, name: string, c: NewClusterInputs): ClusterInfo {
    const o = { parent };
    const s = c.settings;
    let keyArn: pulumi.Input<string>;
    if (c.hasKmsKey) {
        keyArn = s.apply((x) => x.secretsKmsKeyArn!);
    } else {
        keyArn = new aws.kms.Key(`${name}-secrets`, {
            description: `Kubernetes secrets of EKS cluster ${name} (Volley)`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: c.tags,
            // Kept when it leaves the program (e.g. a switch to secretsKmsKeyArn, or destroy): EKS cannot
            // change a cluster's secrets key, so deleting it would make every secret unreadable.
        }, { ...o, retainOnDelete: true }).arn;
    }
    const role = clusterRole(parent, `${name}-cluster-role`, keyArn, c.tags);
    // Named before it exists, so its log group can be created first; the
    // digest of project and stack keeps two stacks' clusters apart.
    // A rename of project or stack changes the digest, and so replaces the cluster: `cluster.name` pins it.
    const clusterName = newClusterName(name, c.name);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-cluster-logs`, {
        name: clusterLogGroupName(clusterName),
        retentionInDays: s.apply((x) => x.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS),
        tags: c.tags,
    }, o);
    const cluster = new aws.eks.Cluster(`${name}-cluster`, {
        name: clusterName,
        roleArn: role.arn,
        version: s.apply((x) => x.version ?? DEFAULT_EKS_VERSION),
        accessConfig: {
            authenticationMode: "API",
            // Fixed, never derived from an input: changing it replaces the
            // cluster. The creating identity (the Pulumi AWS provider's) stays
            // admin; a deployer role gets its own access entry below.
            bootstrapClusterCreatorAdminPermissions: true,
        },
        vpcConfig: {
            subnetIds: c.subnetIds,
            endpointPublicAccess: s.apply((x) => x.endpointPublicAccess ?? true),
            endpointPrivateAccess: s.apply((x) => x.endpointPrivateAccess ?? true),
            publicAccessCidrs: s.apply((x) => x.publicAccessCidrs) as pulumi.Output<string[]>,
        },
        enabledClusterLogTypes: s.apply((x) => x.logTypes ?? DEFAULT_CLUSTER_LOG_TYPES),
        encryptionConfig: { resources: ["secrets"], provider: { keyArn } },
        // AWS's default is EXTENDED (paid once the version leaves standard support); STANDARD upgrades instead,
        // except on a version already in extended support, where AWS allows only EXTENDED (render.ts). A bump out of
        // extended support turns it back to STANDARD after the new version (the provider updates the version first:
        // terraform-provider-aws internal/service/eks/cluster.go resourceClusterUpdate, "Do any version update first").
        upgradePolicy: { supportType: s.apply((x) => x.supportType ?? defaultSupportType(x.version ?? DEFAULT_EKS_VERSION)) },
        tags: c.tags,
    }, {
        ...o, dependsOn: [...role.attachments, logGroup],
        // EKS cannot change a secrets key (the provider only associates one on a cluster that has none, so an
        // update would be a silent no-op): a key change shows at preview as the replacement it really is.
        replaceOnChanges: ["encryptionConfig"],
    });

    const accessReady: pulumi.Resource[] = [];
    if (c.hasDeployer) {
        const entry = new aws.eks.AccessEntry(`${name}-deployer`, {
            clusterName: cluster.name, principalArn: s.apply((x) => x.deployerRoleArn!), type: "STANDARD", tags: c.tags,
        }, o);
        accessReady.push(new aws.eks.AccessPolicyAssociation(`${name}-deployer-admin`, {
            clusterName: cluster.name, principalArn: entry.principalArn, policyArn: partitionOf(parent).apply(clusterAdminPolicyArn), accessScope: { type: "cluster" },
        }, o));
    }
    let oidcProviderArn: pulumi.Output<string> | undefined;
    if (c.irsa) {
        oidcProviderArn = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
            url: cluster.identities.apply((ids) => ids[0].oidcs![0].issuer!),
            clientIdLists: ["sts.amazonaws.com"],
            tags: c.tags,
        }, o).arn;
    }
    return {
        name: cluster.name,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthority.apply((ca) => ca.data!),
        nodeSecurityGroupId: cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId!),
        version: cluster.version,
        oidcProviderArn,
        accessReady,
    };
}

/** The physical name of a new cluster: pinned, or derived from the component name and a digest of project and stack (known at construct time). */
export function newClusterName(name: string, pinned?: string): string {
    return pinned ?? stableName(`${name}-cluster`, clusterNameParts(name), NAME_LIMITS.eksCluster);
}

/** What the cluster name's digest covers: project, stack and component name. */
export function clusterNameParts(name: string): string[] {
    return [pulumi.getProject(), pulumi.getStack(), name];
}

/** The suffix of the derived cluster name (exported, so a user can pin `cluster.name` before renaming project or stack). */
export function clusterNameSuffix(name: string): string {
    return stableSuffix(clusterNameParts(name));
}

export interface ExistingClusterInputs {
    name: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    certificateAuthorityData: pulumi.Input<string>;
    nodeSecurityGroupId: pulumi.Input<string>;
    oidcProviderArn?: pulumi.Input<string>;
    /** The cluster's Kubernetes version; the package's node groups follow it. */
    version?: pulumi.Input<string>;
}

export function existingCluster(e: ExistingClusterInputs): ClusterInfo {
    return {
        version: e.version === undefined ? undefined : pulumi.output(e.version),
        name: pulumi.output(e.name),
        endpoint: pulumi.output(e.endpoint),
        certificateAuthorityData: pulumi.output(e.certificateAuthorityData),
        nodeSecurityGroupId: pulumi.output(e.nodeSecurityGroupId),
        oidcProviderArn: e.oidcProviderArn === undefined ? undefined : pulumi.output(e.oidcProviderArn),
        accessReady: [],
    };
}

/** Who `aws eks get-token` makes the token for. */
export interface TokenIdentity {
    /** Role the token is made for (`--role-arn`). */
    roleArn?: pulumi.Input<string | undefined>;
    /** AWS CLI profile (`AWS_PROFILE`). */
    profile?: pulumi.Input<string | undefined>;
}

/** The cluster's kubeconfig (secret), authenticating with `aws eks get-token` as `identity`. */
export function clusterKubeconfig(c: ClusterInfo, identity: TokenIdentity = {}): pulumi.Output<string> {
    return pulumi.secret(pulumi.all([c.name, c.endpoint, c.certificateAuthorityData, identity.roleArn, identity.profile])
        .apply(([clusterName, endpoint, certificateAuthorityData, roleArn, profile]) =>
            renderKubeconfig({ clusterName, endpoint, certificateAuthorityData, roleArn, profile })));
}

/**
 * The environment's only Kubernetes provider. It waits for the system node
 * group (so add-ons and charts start on nodes) and the deployer's access,
 * not for the stream node group; destroy removes every Kubernetes object
 * before them and before the cluster.
 */
export function clusterProvider(parent: pulumi.Resource, name: string, kubeconfig: pulumi.Output<string>, waitFor: pulumi.Resource[]): k8s.Provider {
    return new k8s.Provider(`${name}-k8s`, { kubeconfig }, { parent, dependsOn: waitFor });
}
