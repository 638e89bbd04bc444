// Pure renderings for the AWS environment: tags, subnet planning, taint
// mapping, IAM policy documents, EFS StorageClass parameters, kubeconfig.
// No Pulumi and no AWS SDK here, so all of it is table-tested as data.

/** Tag every taggable AWS resource of an environment carries. */
export const ENVIRONMENT_TAG = "volley.io/environment";

/** EKS minor versions this package accepts (standard and extended support). */
export const EKS_VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34"] as const;
export const DEFAULT_EKS_VERSION = "1.33";

/** Managed node group AMI types that need no launch template. */
export const AMI_TYPES = [
    "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON",
    "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA",
    "BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_ARM_64_FIPS",
] as const;
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export const DEFAULT_CLUSTER_LOG_TYPES = ["api", "audit", "authenticator"];

export const MANAGED_POLICY = {
    cluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    worker: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ecr: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    efsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
};
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export const EFS_CSI = {
    addonName: "aws-efs-csi-driver",
    podIdentityAgentAddon: "eks-pod-identity-agent",
    namespace: "kube-system",
    serviceAccounts: ["efs-csi-controller-sa", "efs-csi-node-sa"],
    provisioner: "efs.csi.aws.com",
};

/** The user's tags plus the environment tag (which wins). */
export function environmentTags(environment: string | undefined, user?: Record<string, string>): Record<string, string> {
    return environment ? { ...(user ?? {}), [ENVIRONMENT_TAG]: environment } : { ...(user ?? {}) };
}

// ---- IPv4 CIDR planning ------------------------------------------------------

export interface Cidr { base: number; prefix: number }

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
    const m = IPV4_CIDR.exec(text);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const size = 2 ** (32 - prefix);
    if (base % size !== 0) return undefined;
    return { base, prefix };
}

export function formatCidr(c: Cidr): string {
    const b = c.base;
    return `${(b >>> 24) & 255}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** VPC prefixes the planner accepts: /16 (65,536 addresses) to /20 (4,096). */
export const VPC_PREFIX = { min: 16, max: 20 };

export interface SubnetPlan { availabilityZone: string; privateCidr: string; publicCidr: string }

/**
 * Private subnets (nodes, pods, mount targets) take the first six eighths of
 * the VPC, one eighth each; public subnets (NAT gateways, load balancers) split
 * the last eighth into eight. A /16 gives /19 private and /22 public subnets.
 * The plan depends only on the CIDR and the AZ order, so it never drifts.
 */
export function planSubnets(vpcCidr: string, availabilityZones: string[]): SubnetPlan[] {
    const vpc = parseCidr(vpcCidr);
    if (!vpc) throw new Error(`invalid CIDR ${vpcCidr}`);
    if (availabilityZones.length > 6) throw new Error("at most 6 availability zones");
    const privPrefix = vpc.prefix + 3;
    const pubPrefix = vpc.prefix + 6;
    const privSize = 2 ** (32 - privPrefix);
    const pubBlock = vpc.base + 7 * privSize;
    return availabilityZones.map((az, i) => ({
        availabilityZone: az,
        privateCidr: formatCidr({ base: vpc.base + i * privSize, prefix: privPrefix }),
        publicCidr: formatCidr({ base: pubBlock + i * 2 ** (32 - pubPrefix), prefix: pubPrefix }),
    }));
}

// ---- Node groups ---------------------------------------------------------------

export const EKS_TAINT_EFFECT: Record<string, string> = {
    NoSchedule: "NO_SCHEDULE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
};

/** Kubernetes-spelled taints to aws.eks.NodeGroup taints. */
export function toEksTaints(taints: { key: string; value?: string; effect: string }[]): { key: string; value?: string; effect: string }[] {
    return taints.map((t) => {
        const effect = EKS_TAINT_EFFECT[t.effect];
        if (!effect) throw new Error(`unknown taint effect ${t.effect}`);
        return t.value !== undefined && t.value !== "" ? { key: t.key, value: t.value, effect } : { key: t.key, effect };
    });
}

// ---- IAM documents -------------------------------------------------------------

export interface PolicyDocument { Version: "2012-10-17"; Statement: any[] }

/** Trust policy letting AWS services assume a role. */
export function serviceTrustPolicy(service: string, actions: string[] = ["sts:AssumeRole"]): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }] };
}

/** EKS Pod Identity trust: principal pods.eks.amazonaws.com, AssumeRole + TagSession. */
export function podIdentityTrustPolicy(): PolicyDocument {
    return serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);
}

/** `oidc.eks.<region>.amazonaws.com/id/<ID>` from an IAM OIDC provider ARN or issuer URL. */
export function oidcIssuerHost(arnOrUrl: string): string {
    const i = arnOrUrl.indexOf(":oidc-provider/");
    if (i >= 0) return arnOrUrl.slice(i + ":oidc-provider/".length);
    return arnOrUrl.replace(/^https:\/\//, "");
}

/** IRSA trust: the cluster's OIDC provider, for the given service accounts (wildcards allowed). */
export function irsaTrustPolicy(oidcProviderArn: string, namespace: string, serviceAccount: string): PolicyDocument {
    const host = oidcIssuerHost(oidcProviderArn);
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { [`${host}:aud`]: "sts.amazonaws.com" },
                StringLike: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}` },
            },
        }],
    };
}

/** What the cluster role needs to encrypt Kubernetes secrets with a customer KMS key. */
export function clusterEncryptionPolicy(keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
    };
}

// ---- EFS -----------------------------------------------------------------------

export const EFS_DEFAULTS = {
    performanceMode: "generalPurpose", throughputMode: "elastic", backups: true, transitionToIa: "AFTER_30_DAYS",
    retainOnDelete: true, csiIdentity: "podIdentity", storageClassName: "volley-efs", uid: 1000, gid: 1000,
    basePath: "/volley", defaultSize: "50Gi", directoryPerms: "700",
};
/** NFS over TCP: the only port the mount targets' security group opens, to the nodes only. */
export const NFS_PORT = 2049;

export interface EfsClassSettings {
    fileSystemId: string;
    directoryPerms: string;
    uid: number;
    gid: number;
    basePath: string;
}

/** StorageClass parameters: one access point (own directory, own uid/gid) per claim. */
export function efsStorageClassParameters(s: EfsClassSettings): Record<string, string> {
    return {
        provisioningMode: "efs-ap",
        fileSystemId: s.fileSystemId,
        directoryPerms: s.directoryPerms,
        uid: String(s.uid),
        gid: String(s.gid),
        basePath: s.basePath,
        ensureUniqueDirectory: "true",
    };
}

/** The whole StorageClass object (Retain: deleting a claim never deletes checkpoints). */
export function efsStorageClass(name: string, s: EfsClassSettings): { metadata: any; provisioner: string; reclaimPolicy: string; volumeBindingMode: string; parameters: Record<string, string> } {
    return {
        metadata: { name, labels: { "app.kubernetes.io/part-of": "volley" } },
        provisioner: EFS_CSI.provisioner,
        reclaimPolicy: "Retain",
        volumeBindingMode: "Immediate",
        parameters: efsStorageClassParameters(s),
    };
}

/**
 * Add-on configuration of the EFS CSI driver: the node DaemonSet tolerates
 * every taint (so it runs on the dedicated stream nodes), the controller runs
 * on the system nodes.
 */
export function efsCsiAddonConfiguration(systemNodeSelector: Record<string, string>): string {
    const controller: Record<string, any> = {};
    if (Object.keys(systemNodeSelector).length) controller.nodeSelector = systemNodeSelector;
    return JSON.stringify({ controller, node: { tolerations: [{ operator: "Exists" }] } });
}

export const EFS_TRANSITIONS = [
    "AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS",
    "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS",
] as const;

/** Lifecycle policies: to Infrequent Access after `toIa`, back on first access. */
export function efsLifecyclePolicies(toIa: string | undefined): { transitionToIa?: string; transitionToPrimaryStorageClass?: string }[] {
    if (!toIa || toIa === "NONE") return [];
    return [{ transitionToIa: toIa }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }];
}

// ---- Kubeconfig ----------------------------------------------------------------

/** Region from an EKS endpoint (`https://X.gr7.<region>.eks.amazonaws.com`) or cluster ARN. */
export function regionOf(endpointOrArn: string): string | undefined {
    const arn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):/.exec(endpointOrArn);
    if (arn) return arn[1];
    const ep = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com/.exec(endpointOrArn);
    return ep ? ep[1] : undefined;
}

export interface KubeconfigInput {
    clusterName: string;
    endpoint: string;
    certificateAuthorityData: string;
    region?: string;
}

/** A kubeconfig (JSON, which is YAML too) that authenticates with `aws eks get-token`. */
export function renderKubeconfig(k: KubeconfigInput): string {
    const region = k.region ?? regionOf(k.endpoint);
    const args = ["eks", "get-token", "--cluster-name", k.clusterName, "--output", "json", ...(region ? ["--region", region] : [])];
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: k.clusterName, cluster: { server: k.endpoint, "certificate-authority-data": k.certificateAuthorityData } }],
        contexts: [{ name: k.clusterName, context: { cluster: k.clusterName, user: k.clusterName } }],
        "current-context": k.clusterName,
        users: [{
            name: k.clusterName,
            user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args, interactiveMode: "Never" } },
        }],
    }, null, 2);
}
