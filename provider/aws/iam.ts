// IAM roles of the environment: cluster, nodes, EFS CSI driver. None of them
// waits for the cluster, so they are created while the control plane comes up.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
    MANAGED_POLICY, clusterEncryptionPolicy, ec2ServicePrincipal, irsaTrustPolicy, managedPolicyArn, podIdentityTrustPolicy, serviceTrustPolicy, EFS_CSI,
} from "./render";
import { Tags, partitionOf } from "./util";
import { KARPENTER_NODE_POLICIES } from "./renderKarpenter";

export interface RoleWithPolicies {
    role: aws.iam.Role;
    arn: pulumi.Output<string>;
    /** Policy attachments; whatever uses the role depends on them (and so is deleted before them). */
    attachments: pulumi.Resource[];
}

function roleWith(parent: pulumi.Resource, name: string, trust: pulumi.Input<string>, policies: string[], tags: Tags, description: string): RoleWithPolicies {
    const role = new aws.iam.Role(name, { assumeRolePolicy: trust, description, tags }, { parent });
    const partition = policies.length ? partitionOf(parent) : undefined;
    const attachments = policies.map((policy) => {
        const short = policy.split("/").pop()!;
        const policyArn = partition!.apply((p) => managedPolicyArn(p, policy));
        return new aws.iam.RolePolicyAttachment(`${name}-${short}`, { role: role.name, policyArn }, { parent });
    });
    return { role, arn: role.arn, attachments };
}

/** Role of managed node groups: worker, CNI and ECR read-only policies. */
export function nodeRole(parent: pulumi.Resource, name: string, tags: Tags): RoleWithPolicies {
    // The EC2 principal differs in aws-cn, where EKS refuses a role trusting ec2.amazonaws.com only.
    const trust = partitionOf(parent).apply((p) => JSON.stringify(serviceTrustPolicy(ec2ServicePrincipal(p))));
    return roleWith(parent, name, trust,
        [MANAGED_POLICY.worker, MANAGED_POLICY.cni, MANAGED_POLICY.ecr], tags, "EKS managed node group nodes (Volley)");
}

/** Role of the EKS control plane, with the KMS permissions secrets encryption needs. */
export function clusterRole(parent: pulumi.Resource, name: string, kmsKeyArn: pulumi.Input<string>, tags: Tags): RoleWithPolicies {
    const r = roleWith(parent, name, JSON.stringify(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
        [MANAGED_POLICY.cluster], tags, "EKS control plane (Volley)");
    const kms = new aws.iam.RolePolicy(`${name}-kms`, {
        role: r.role.name,
        policy: pulumi.output(kmsKeyArn).apply((arn) => JSON.stringify(clusterEncryptionPolicy(arn))),
    }, { parent });
    return { ...r, attachments: [...r.attachments, kms] };
}

/**
 * Role of the EFS CSI controller with AmazonEFSCSIDriverPolicy, trusted
 * through EKS Pod Identity or, when an OIDC provider ARN is given, IRSA. Only
 * the controller uses this role (it creates access points). The node plugin
 * mounts with the `iam` option as the node's own role (EFS_MOUNT_OPTIONS,
 * instance metadata), which the file-system policy allows: it needs no
 * association here.
 */
export function efsCsiRole(parent: pulumi.Resource, name: string, oidcProviderArn: pulumi.Input<string> | undefined, tags: Tags): RoleWithPolicies {
    const trust = oidcProviderArn === undefined
        ? pulumi.output(JSON.stringify(podIdentityTrustPolicy()))
        : pulumi.output(oidcProviderArn).apply((arn) => JSON.stringify(irsaTrustPolicy(arn, EFS_CSI.namespace, EFS_CSI.controllerServiceAccount)));
    return roleWith(parent, name, trust, [MANAGED_POLICY.efsCsi], tags, "EFS CSI driver (Volley)");
}

/** Role of the nodes Karpenter launches: worker, CNI and ECR pull-only (renderKarpenter.ts, KARPENTER_NODE_POLICIES). */
export function karpenterNodeRole(parent: pulumi.Resource, name: string, tags: Tags): RoleWithPolicies {
    const trust = partitionOf(parent).apply((p) => JSON.stringify(serviceTrustPolicy(ec2ServicePrincipal(p))));
    return roleWith(parent, name, trust, KARPENTER_NODE_POLICIES, tags, "Stream nodes Karpenter launches (Volley)");
}

/** Role of the Karpenter controller, trusted through EKS Pod Identity; its policies are attached by the caller. */
export function karpenterControllerRole(parent: pulumi.Resource, name: string, tags: Tags): RoleWithPolicies {
    return roleWith(parent, name, JSON.stringify(podIdentityTrustPolicy()), [], tags, "Karpenter controller (Volley)");
}
