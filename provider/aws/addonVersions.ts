// The EKS add-ons the package manages and the version each gets for a
// Kubernetes minor. Pure data with its sources; tested as data, and the
// graphs under mocks check the add-ons follow `cluster.version` with it.

/** EKS add-on names (`aws eks describe-addon-versions`). */
export const EKS_ADDON = {
    vpcCni: "vpc-cni",
    kubeProxy: "kube-proxy",
    coreDns: "coredns",
    podIdentityAgent: "eks-pod-identity-agent",
    efsCsiDriver: "aws-efs-csi-driver",
    // A community add-on (EKS User Guide, community-addons.adoc "Kubernetes Metrics Server": add-on name
    // `metrics-server`, namespace kube-system, no IAM permissions), versioned like the others by EKS's default.
    metricsServer: "metrics-server",
    /** Block storage of Kafka brokers (kafka.ts); EKS User Guide ebs-csi.adoc names the add-on `aws-ebs-csi-driver`. */
    ebsCsiDriver: "aws-ebs-csi-driver",
} as const;
export type EksAddonName = (typeof EKS_ADDON)[keyof typeof EKS_ADDON];

/**
 * Versions of the add-ons whose version is tied to the Kubernetes minor: AWS
 * publishes the latest EKS add-on version per minor for kube-proxy and
 * CoreDNS, and nothing else of ours is tied to it. Sources: EKS User Guide
 * managing-kube-proxy ("kube-proxy versions": "the latest version of the
 * Amazon EKS add-on type for each Kubernetes version") and managing-coredns
 * ("CoreDNS versions"), as served at docs.aws.amazon.com/…/userguide/*.md
 * with the 1.36 row (read from the ja_jp edition, whose tables carry the
 * same version strings). One row per minor the version calendar accepts: a
 * test fails when the calendar gains a minor this table lacks.
 */
export const EKS_ADDON_VERSION_TABLE: Record<string, Partial<Record<EksAddonName, string>>> = {
    "1.36": { "kube-proxy": "v1.36.0-eksbuild.14", coredns: "v1.14.3-eksbuild.3" },
    "1.35": { "kube-proxy": "v1.35.3-eksbuild.13", coredns: "v1.14.3-eksbuild.3" },
    "1.34": { "kube-proxy": "v1.34.6-eksbuild.13", coredns: "v1.13.2-eksbuild.11" },
    "1.33": { "kube-proxy": "v1.33.10-eksbuild.13", coredns: "v1.12.4-eksbuild.18" },
    "1.32": { "kube-proxy": "v1.32.13-eksbuild.16", coredns: "v1.11.4-eksbuild.40" },
};

/**
 * Add-ons AWS versions independently of the minor: the VPC CNI table lists
 * one version for every supported minor (managing-vpc-cni, "Amazon VPC CNI
 * versions"), and the Pod Identity agent and the EFS and EBS CSI drivers publish no
 * per-minor table. For them, and for a minor newer than the table above, the
 * add-on takes EKS's own default for the cluster's minor
 * (DescribeAddonVersions `compatibilities[].defaultVersion`, read through the
 * provider's `aws.eks.getAddonVersion`), so a version bump still moves it.
 */
export const EKS_ADDON_DEFAULT_LOOKUP_SOURCE =
    "EKS API DescribeAddonVersions (defaultVersion for the cluster's Kubernetes version); EKS User Guide addon-compat";

/** EKS add-on versions look like `v1.36.0-eksbuild.14`. */
export const EKS_ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** The table's version of `addon` for Kubernetes `version` (`1.N`, or `1.N.x`), or undefined: EKS's default for that minor is used. */
export function tableAddonVersion(addon: EksAddonName, version: string | undefined): string | undefined {
    const minor = /^(\d+\.\d+)/.exec(version ?? "")?.[1];
    return minor ? EKS_ADDON_VERSION_TABLE[minor]?.[addon] : undefined;
}
