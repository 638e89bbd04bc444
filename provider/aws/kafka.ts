// Kafka on EKS (issue 24): a dedicated Kafka node group (label
// volley.io/pool=kafka, taint volley.io/kafka=true:NoSchedule, so brokers never
// take stream nodes and pipelines never take broker nodes), and block storage
// for broker claims: EKS provisions none by itself (the in-tree gp2 class
// needs the EBS CSI driver since CSI migration), so the environment installs
// the aws-ebs-csi-driver add-on with its own IAM role and an encrypted gp3
// StorageClass.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { KAFKA_POOL_LABELS, KAFKA_POOL_TAINTS } from "../kubernetes/kafka/settings";
import { AwsNodePool, AwsNodePoolSettings } from "./awsNodePool";
import { irsaTrustPolicy, managedPolicyArn, podIdentityTrustPolicy } from "./render";
import { Tags, partitionOf, pick } from "./util";
import { followingVersion } from "./addons";
import { EKS_ADDON } from "./addonVersions";

export const EBS_CSI = {
    addonName: EKS_ADDON.ebsCsiDriver,
    namespace: "kube-system",
    /** The only service account that calls AWS (creates, attaches and deletes volumes); AWS's add-on documentation names it. */
    controllerServiceAccount: "ebs-csi-controller-sa",
    provisioner: "ebs.csi.aws.com",
    /** AWS managed policy for the driver (docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html). */
    policy: "service-role/AmazonEBSCSIDriverPolicy",
    storageClassName: "volley-kafka-gp3",
};

export const KAFKA_NODE_GROUP = {
    // 4 vCPU / 16 GiB: a broker's default requests (500m, 2Gi) with room for the page cache.
    instanceTypes: ["m6i.xlarge"],
    // One broker per node: three nodes for the default three brokers.
    minSize: 3,
    desiredSize: 3,
    maxSize: 6,
};

/**
 * The StorageClass of broker claims: gp3 through the EBS CSI driver, encrypted
 * with the account's EBS key, bound where the broker is scheduled (its zone),
 * growable, and Retain: a deleted claim leaves its volume.
 */
export function ebsStorageClass(name: string): any {
    return {
        metadata: { name, labels: { "app.kubernetes.io/part-of": "volley" } },
        provisioner: EBS_CSI.provisioner,
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    };
}

/** Add-on configuration: the controller on the system nodes; the node plugin tolerates every taint (it must run on Kafka nodes). */
export function ebsCsiAddonConfiguration(systemNodeSelector: Record<string, string>): string {
    const controller: Record<string, any> = {};
    if (Object.keys(systemNodeSelector).length) controller.nodeSelector = systemNodeSelector;
    return JSON.stringify({ controller, node: { tolerateAllTaints: true } });
}

export interface AwsKafkaInputs {
    clusterName: pulumi.Input<string>;
    kubernetesVersion?: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    nodeRoleArn: pulumi.Input<string>;
    /** What node groups wait for (the node role's policies). */
    nodesNeed: pulumi.Resource[];
    /** The EBS driver's identity: IRSA through this OIDC provider, or EKS Pod Identity (the agent the EFS driver installs) when undefined. */
    irsaOidcProviderArn?: pulumi.Input<string>;
    systemNodeSelector: Record<string, string>;
    settings?: pulumi.Input<AwsNodePoolSettings>;
    /** Resolved `kafkaNodePool` (its plain desiredSizeOwner). */
    resolved?: any;
    tags: Tags;
    /** Options of Kubernetes children (the environment's provider). */
    k8sOpts: pulumi.CustomResourceOptions;
}

/** The Kafka node group, the EBS CSI driver (role, identity, add-on) and the gp3 StorageClass; returns the class's name. */
export function awsKafka(parent: pulumi.ComponentResource, name: string, a: AwsKafkaInputs): pulumi.Output<string> {
    const s = pulumi.output(a.settings ?? {}) as pulumi.Output<any>;
    new AwsNodePool(`${name}-kafka`, {
        clusterName: a.clusterName, subnetIds: a.subnetIds, nodeRoleArn: a.nodeRoleArn, kubernetesVersion: a.kubernetesVersion,
        instanceTypes: s.apply((x) => x.instanceTypes ?? KAFKA_NODE_GROUP.instanceTypes), capacityType: pick(s, "capacityType"),
        minSize: s.apply((x) => x.minSize ?? KAFKA_NODE_GROUP.minSize), desiredSize: s.apply((x) => x.desiredSize ?? KAFKA_NODE_GROUP.desiredSize),
        maxSize: s.apply((x) => x.maxSize ?? KAFKA_NODE_GROUP.maxSize), diskSize: pick(s, "diskSize"), amiType: pick(s, "amiType"),
        desiredSizeOwner: a.resolved?.desiredSizeOwner, labels: KAFKA_POOL_LABELS, taints: KAFKA_POOL_TAINTS, tags: a.tags,
        // Brokers need no instance metadata; the EBS node plugin runs on the host network.
        imdsHopLimit: 1,
    }, { parent, dependsOn: a.nodesNeed });

    const irsa = a.irsaOidcProviderArn !== undefined;
    const trust = irsa
        ? pulumi.output(a.irsaOidcProviderArn!).apply((arn) => JSON.stringify(irsaTrustPolicy(arn, EBS_CSI.namespace, EBS_CSI.controllerServiceAccount)))
        : pulumi.output(JSON.stringify(podIdentityTrustPolicy()));
    const role = new aws.iam.Role(`${name}-ebs-csi-role`, { assumeRolePolicy: trust, description: "EBS CSI driver (Volley Kafka brokers)", tags: a.tags }, { parent });
    const attachment = new aws.iam.RolePolicyAttachment(`${name}-ebs-csi-role-policy`, {
        role: role.name, policyArn: partitionOf(parent).apply((p) => managedPolicyArn(p, EBS_CSI.policy)),
    }, { parent });
    const before: pulumi.Resource[] = [attachment];
    if (!irsa) {
        // The association exists before the driver starts, so the controller gets credentials at once.
        before.push(new aws.eks.PodIdentityAssociation(`${name}-${EBS_CSI.controllerServiceAccount}`, {
            clusterName: a.clusterName, namespace: EBS_CSI.namespace, serviceAccount: EBS_CSI.controllerServiceAccount, roleArn: role.arn, tags: a.tags,
        }, { parent }));
    }
    const addon = new aws.eks.Addon(`${name}-ebs-csi-driver`, {
        clusterName: a.clusterName,
        addonName: EBS_CSI.addonName,
        // Follows the cluster's version like every other add-on (EKS's default for the minor): without it EKS
        // picks a version at creation and the driver stays behind every version bump (#21 audit gap 4).
        addonVersion: followingVersion(parent, EKS_ADDON.ebsCsiDriver, a.kubernetesVersion),
        serviceAccountRoleArn: irsa ? role.arn : undefined,
        configurationValues: ebsCsiAddonConfiguration(a.systemNodeSelector),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: a.tags,
    }, { parent, dependsOn: before });
    const sc = ebsStorageClass(EBS_CSI.storageClassName);
    const storageClass = new k8s.storage.v1.StorageClass(`${name}-kafka-class`, {
        // Named after the add-on exists, so no claim is bound to a class nobody provisions.
        metadata: { ...sc.metadata, name: addon.arn.apply(() => sc.metadata.name) },
        provisioner: sc.provisioner, reclaimPolicy: sc.reclaimPolicy, volumeBindingMode: sc.volumeBindingMode,
        allowVolumeExpansion: sc.allowVolumeExpansion, parameters: sc.parameters,
    }, a.k8sOpts);
    return storageClass.metadata.name;
}
