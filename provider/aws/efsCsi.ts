// The EFS CSI driver (EKS add-on) with its IAM role through EKS Pod Identity
// or IRSA, and the StorageClass that gives each claim its own access point.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "../kubernetes/provider";
import { EFS_CSI, EFS_DEFAULTS, efsCsiAddonConfiguration, efsStorageClass } from "./render";
import { efsCsiRole } from "./iam";
import { Tags, or } from "./util";
import { followingVersion } from "./addons";
import { EKS_ADDON } from "./addonVersions";


export interface CsiInputs {
    clusterName: pulumi.Input<string>;
    fileSystemId: pulumi.Input<string>;
    irsa: boolean;
    podIdentityAgent: boolean;
    /** Install the driver add-on, its IAM role and Pod Identity association; false when the cluster already runs the driver. */
    installDriver: boolean;
    oidcProviderArn?: pulumi.Input<string>;
    csiDriverVersion?: pulumi.Input<string>;
    podIdentityAgentVersion?: pulumi.Input<string>;
    /** The cluster's Kubernetes version: unpinned add-on versions follow it; without it EKS picks them at creation and they stay. */
    kubernetesVersion?: pulumi.Input<string | undefined>;
    kubeconfig?: pulumi.Input<string>;
    systemNodeSelector?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    storageClassName?: pulumi.Input<string>;
    /** What claims must wait for (the file-system policy), so no volume is mounted before it applies. */
    claimsWaitFor?: pulumi.Resource[];
    uid?: pulumi.Input<number>;
    gid?: pulumi.Input<number>;
    basePath?: pulumi.Input<string>;
    tags?: Tags;
}

export interface CsiParts {
    /** The driver's role; undefined when the cluster's own driver is used. */
    roleArn?: pulumi.Output<string>;
    /** The add-on; undefined when the cluster's own driver is used. */
    addon?: aws.eks.Addon;
    storageClass: k8s.storage.v1.StorageClass;
}

export function createEfsCsiDriver(parent: pulumi.ComponentResource, name: string, opts: pulumi.ComponentResourceOptions | undefined, a: CsiInputs): CsiParts {
    let role: ReturnType<typeof efsCsiRole> | undefined;
    let addon: aws.eks.Addon | undefined;
    if (a.installDriver) {
        role = efsCsiRole(parent, `${name}-csi-role`, a.irsa ? a.oidcProviderArn : undefined, a.tags);
        addon = driverAddon(parent, name, a, role);
    }
    const provider = kubernetesProvider(parent, name, a.kubeconfig, opts);
    const d = EFS_DEFAULTS;
    const sc = (parts: [string, string, number, number, string]) => {
        const [scName, fileSystemId, uid, gid, basePath] = parts;
        return efsStorageClass(scName, { fileSystemId, uid, gid, basePath, directoryPerms: d.directoryPerms });
    };
    const rendered = pulumi.all([
        or(a.storageClassName, d.storageClassName), a.fileSystemId, or(a.uid, d.uid), or(a.gid, d.gid), or(a.basePath, d.basePath),
    ]).apply(sc) as pulumi.Output<ReturnType<typeof efsStorageClass>>;
    const storageClass = new k8s.storage.v1.StorageClass(`${name}-class`, {
        metadata: rendered.metadata,
        provisioner: rendered.provisioner,
        reclaimPolicy: rendered.reclaimPolicy,
        volumeBindingMode: rendered.volumeBindingMode,
        mountOptions: rendered.mountOptions,
        parameters: rendered.parameters,
    }, { parent, provider, dependsOn: a.claimsWaitFor });
    return { roleArn: role?.arn, addon, storageClass };
}

/** The aws-efs-csi-driver add-on, after its identity (Pod Identity agent and association, or IRSA). */
function driverAddon(parent: pulumi.ComponentResource, name: string, a: CsiInputs, role: ReturnType<typeof efsCsiRole>): aws.eks.Addon {
    const before: pulumi.Resource[] = [...role.attachments];
    if (!a.irsa) {
        if (a.podIdentityAgent) {
            before.push(new aws.eks.Addon(`${name}-pod-identity-agent`, {
                clusterName: a.clusterName,
                addonName: EFS_CSI.podIdentityAgentAddon,
                addonVersion: followingVersion(parent, EKS_ADDON.podIdentityAgent, a.kubernetesVersion, a.podIdentityAgentVersion),
                resolveConflictsOnCreate: "OVERWRITE",
                // As for vpc-cni: settings changed on the cluster survive a version update.
                resolveConflictsOnUpdate: "PRESERVE",
                tags: a.tags,
            }, { parent }));
        }
        // Only the controller calls AWS. The association exists before the driver starts, so it gets credentials at once.
        const sa = EFS_CSI.controllerServiceAccount;
        before.push(new aws.eks.PodIdentityAssociation(`${name}-${sa}`, {
            clusterName: a.clusterName,
            namespace: EFS_CSI.namespace,
            serviceAccount: sa,
            roleArn: role.arn,
            tags: a.tags,
        }, { parent }));
    }
    return new aws.eks.Addon(`${name}-csi-driver`, {
        clusterName: a.clusterName,
        addonName: EFS_CSI.addonName,
        addonVersion: followingVersion(parent, EKS_ADDON.efsCsiDriver, a.kubernetesVersion, a.csiDriverVersion),
        serviceAccountRoleArn: a.irsa ? role.arn : undefined,
        configurationValues: or(a.systemNodeSelector, {}).apply((s) => efsCsiAddonConfiguration(s as Record<string, string>)),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: a.tags,
    }, { parent, dependsOn: before });
}
