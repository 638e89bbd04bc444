// A new EKS cluster (API authentication, secrets encrypted with KMS, access
// entry for the deployer, OIDC provider for IRSA), or an existing one, and
// the one Kubernetes provider every Kubernetes child of the environment uses.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { CLUSTER_ADMIN_POLICY, DEFAULT_CLUSTER_LOG_TYPES, DEFAULT_EKS_VERSION, renderKubeconfig } from "./render";
import { clusterRole } from "./iam";

type Tags = pulumi.Output<Record<string, string>>;

/** What the rest of the environment needs of a cluster, new or existing. */
export interface ClusterInfo {
    name: pulumi.Output<string>;
    endpoint: pulumi.Output<string>;
    certificateAuthorityData: pulumi.Output<string>;
    /** Security group of the managed node groups' nodes (the cluster security group). */
    nodeSecurityGroupId: pulumi.Output<string>;
    /** Kubernetes version for the node groups; undefined for an existing cluster (nodes follow its version). */
    version?: pulumi.Output<string>;
    oidcProviderArn?: pulumi.Output<string>;
    /** Resources the Kubernetes provider must wait for (the deployer's access). */
    accessReady: pulumi.Resource[];
}

export interface NewClusterInputs {
    /** The AwsClusterSettings (possibly one Output). */
    settings: pulumi.Output<{
        version?: string; deployerRoleArn?: string; endpointPublicAccess?: boolean; endpointPrivateAccess?: boolean;
        publicAccessCidrs?: string[]; logTypes?: string[]; secretsKmsKeyArn?: string;
    }>;
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
        }, o).arn;
    }
    const role = clusterRole(parent, `${name}-cluster-role`, keyArn, c.tags);
    const hasDeployer = c.hasDeployer;
    const cluster = new aws.eks.Cluster(`${name}-cluster`, {
        roleArn: role.arn,
        version: s.apply((x) => x.version ?? DEFAULT_EKS_VERSION),
        accessConfig: {
            authenticationMode: "API",
            // With a named deployer the creator gets no implicit admin, so its entry never collides with the deployer's.
            bootstrapClusterCreatorAdminPermissions: !hasDeployer,
        },
        vpcConfig: {
            subnetIds: c.subnetIds,
            endpointPublicAccess: s.apply((x) => x.endpointPublicAccess ?? true),
            endpointPrivateAccess: s.apply((x) => x.endpointPrivateAccess ?? true),
            publicAccessCidrs: s.apply((x) => x.publicAccessCidrs) as pulumi.Output<string[]>,
        },
        enabledClusterLogTypes: s.apply((x) => x.logTypes ?? DEFAULT_CLUSTER_LOG_TYPES),
        encryptionConfig: { resources: ["secrets"], provider: { keyArn } },
        tags: c.tags,
    }, { ...o, dependsOn: role.attachments });

    const accessReady: pulumi.Resource[] = [];
    if (hasDeployer) {
        const entry = new aws.eks.AccessEntry(`${name}-deployer`, {
            clusterName: cluster.name, principalArn: s.apply((x) => x.deployerRoleArn!), type: "STANDARD", tags: c.tags,
        }, o);
        accessReady.push(new aws.eks.AccessPolicyAssociation(`${name}-deployer-admin`, {
            clusterName: cluster.name, principalArn: entry.principalArn, policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" },
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

export interface ExistingClusterInputs {
    name: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    certificateAuthorityData: pulumi.Input<string>;
    nodeSecurityGroupId: pulumi.Input<string>;
    oidcProviderArn?: pulumi.Input<string>;
}

export function existingCluster(e: ExistingClusterInputs): ClusterInfo {
    return {
        name: pulumi.output(e.name),
        endpoint: pulumi.output(e.endpoint),
        certificateAuthorityData: pulumi.output(e.certificateAuthorityData),
        nodeSecurityGroupId: pulumi.output(e.nodeSecurityGroupId),
        oidcProviderArn: e.oidcProviderArn === undefined ? undefined : pulumi.output(e.oidcProviderArn),
        accessReady: [],
    };
}

/** The cluster's kubeconfig (secret), authenticating with `aws eks get-token`. */
export function clusterKubeconfig(c: ClusterInfo): pulumi.Output<string> {
    return pulumi.secret(pulumi.all([c.name, c.endpoint, c.certificateAuthorityData]).apply(([clusterName, endpoint, certificateAuthorityData]) =>
        renderKubeconfig({ clusterName, endpoint, certificateAuthorityData })));
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
