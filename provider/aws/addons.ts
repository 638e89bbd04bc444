// EKS managed add-ons whose versions follow the cluster's Kubernetes version:
// vpc-cni, kube-proxy and CoreDNS on a new cluster (the EFS CSI driver and
// the Pod Identity agent use the same rule in efsCsi.ts).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EKS_ADDON, EksAddonName, tableAddonVersion } from "./addonVersions";
import { Tags } from "./util";

/** Versions of the EKS add-ons the package installs on a new cluster. */
export interface AwsAddonVersions {
    /** Version of the `vpc-cni` add-on, e.g. `v1.20.4-eksbuild.1`. Defaults to EKS's default for `cluster.version`. */
    vpcCni?: pulumi.Input<string>;
    /** Version of the `kube-proxy` add-on. Defaults to this package's table for `cluster.version` (EKS User Guide, kube-proxy versions), or EKS's default for a version newer than the table. */
    kubeProxy?: pulumi.Input<string>;
    /** Version of the `coredns` add-on. Defaults to this package's table for `cluster.version` (EKS User Guide, CoreDNS versions), or EKS's default for a version newer than the table. */
    coreDns?: pulumi.Input<string>;
    /** Version of the `metrics-server` community add-on (with `cluster.metricsServer`). Defaults to EKS's default for `cluster.version`. */
    metricsServer?: pulumi.Input<string>;
}

/**
 * The version `addon` gets: the pin; else the table's for the Kubernetes
 * minor; else EKS's default for that minor (DescribeAddonVersions through
 * `aws.eks.getAddonVersion`). Keyed by the minor, so a version bump moves it.
 */
export function followingVersion(
    parent: pulumi.Resource, addon: EksAddonName, kubernetesVersion: pulumi.Input<string | undefined>, pin?: pulumi.Input<string | undefined>,
): pulumi.Output<string | undefined> {
    return pulumi.all([pin, kubernetesVersion]).apply(([p, v]) => {
        if (p) return pulumi.output<string | undefined>(p);
        const fromTable = tableAddonVersion(addon, v);
        if (fromTable || !v) return pulumi.output(fromTable);
        return aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: v }, { parent }).version as pulumi.Output<string | undefined>;
    });
}

export interface CoreAddonInputs {
    /** The cluster's name, resolving after the system nodes exist (CoreDNS reports healthy only with nodes to run on). */
    clusterName: pulumi.Input<string>;
    /** The cluster's Kubernetes version (an output of the cluster, so each add-on updates after the control plane). */
    kubernetesVersion: pulumi.Input<string | undefined>;
    versions?: pulumi.Input<AwsAddonVersions | undefined>;
    tags: Tags;
}

/** The core add-ons' inputs, with what only vpc-cni reads. */
export interface CoreAddonsInputs extends CoreAddonInputs {
    /** `networkPolicies.enabled`: turn on the VPC CNI's network policy enforcement. Plain. */
    networkPolicies?: boolean;
}

/**
 * The vpc-cni add-on's `configurationValues`: with NetworkPolicies on,
 * `{"enableNetworkPolicy":"true"}`, which makes the VPC CNI (1.14 or later)
 * run its network policy agent and enforce Kubernetes NetworkPolicies (EKS
 * User Guide, cni-network-policy-configure.adoc, "Enable network policy
 * using the Amazon EKS add-on"); otherwise nothing, so an add-on without
 * NetworkPolicies renders exactly as before. configurationValues is an
 * in-place field of the add-on (UpdateAddon; terraform-provider-aws
 * internal/service/eks/addon.go, not ForceNew).
 */
export function vpcCniConfigurationValues(networkPolicies: boolean | undefined): string | undefined {
    return networkPolicies === true ? JSON.stringify({ enableNetworkPolicy: "true" }) : undefined;
}

const CORE: [keyof AwsAddonVersions, EksAddonName][] = [["vpcCni", EKS_ADDON.vpcCni], ["kubeProxy", EKS_ADDON.kubeProxy], ["coreDns", EKS_ADDON.coreDns]];

/**
 * vpc-cni, kube-proxy and CoreDNS as EKS add-ons. EKS bootstraps them
 * self-managed on every cluster and never updates them (EKS User Guide,
 * eks-add-ons.adoc); as EKS add-ons their version is an input that follows
 * the cluster's, updated in place after the control plane and the system
 * nodes, the order of EKS's update-cluster.adoc (control plane, nodes, then
 * "Update the Amazon VPC CNI plugin for Kubernetes, CoreDNS, and kube-proxy
 * add-ons").
 */
export function createCoreAddons(parent: pulumi.Resource, name: string, a: CoreAddonsInputs): aws.eks.Addon[] {
    const pins = pulumi.output(a.versions).apply((v) => (v ?? {}) as Record<string, string | undefined>);
    const vpcCniConfig = vpcCniConfigurationValues(a.networkPolicies);
    return CORE.map(([key, addonName]) => new aws.eks.Addon(`${name}-${addonName}`, {
        clusterName: a.clusterName,
        addonName,
        addonVersion: followingVersion(parent, addonName, a.kubernetesVersion, pins.apply((p) => p[key])),
        // Set only when there is something to set: unset, the add-on is what it always was (no diff for existing stacks).
        ...(addonName === EKS_ADDON.vpcCni && vpcCniConfig !== undefined ? { configurationValues: vpcCniConfig } : {}),
        // Creating the EKS add-on over EKS's own self-managed copy needs OVERWRITE, or CreateAddon fails on the
        // conflict (eks-add-ons.adoc, "Create an add-on"); that copy is EKS's bootstrap, configured by nobody.
        resolveConflictsOnCreate: "OVERWRITE",
        // Settings changed on the cluster (e.g. VPC CNI environment variables) survive a version update
        // (eks-add-ons.adoc, "Update an add-on": PRESERVE is the advice when custom values are set).
        resolveConflictsOnUpdate: "PRESERVE",
        // Leaving the program never removes the cluster's networking and DNS: the software stays, self-managed
        // (eks-add-ons.adoc, "Remove an add-on": preserve).
        preserve: true,
        tags: a.tags,
    }, { parent }));
}

/**
 * The resource metrics API (metrics.k8s.io) that CPU and memory autoscaling
 * triggers need: EKS ships none ("it isn't deployed by default in Amazon EKS
 * clusters", EKS User Guide metrics-server.adoc) and offers metrics-server as
 * a community add-on. Unlike the core add-ons it is not preserved when it
 * leaves the program: turning it off means the user runs their own.
 */
export function createMetricsServer(parent: pulumi.Resource, name: string, a: CoreAddonInputs): aws.eks.Addon {
    const pin = pulumi.output(a.versions).apply((v) => v?.metricsServer);
    return new aws.eks.Addon(`${name}-${EKS_ADDON.metricsServer}`, {
        clusterName: a.clusterName,
        addonName: EKS_ADDON.metricsServer,
        addonVersion: followingVersion(parent, EKS_ADDON.metricsServer, a.kubernetesVersion, pin),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        tags: a.tags,
    }, { parent });
}
