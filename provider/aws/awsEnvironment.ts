import * as pulumi from "@pulumi/pulumi";
import { NetworkPolicySettings, Platform } from "../kubernetes/platform";
import * as aws from "@pulumi/aws";
import { ClusterInfo, clusterKubeconfig, clusterNameSuffix, clusterProvider, createCluster, existingCluster, newClusterName } from "./cluster";
import { karpenterNodeRole, nodeRole } from "./iam";
import { createVpc } from "./network";
import { pick } from "./util";
import { environmentTags } from "./render";
import { AwsNodePool, AwsNodePoolSettings, NODE_POOL_DEFAULTS } from "./awsNodePool";
import { nodeGroupCapacity } from "./capacity";
import { EfsCheckpointStore, EfsCsiIdentity, EfsSettings } from "./efsCheckpointStore";
import { KedaSettings, PrometheusSettings, STREAM_POOL_LABELS, STREAM_POOL_TAINTS } from "../kubernetes/kubernetesEnvironment";
import { resolvedOf } from "../core/resolved";
import { UNKNOWN } from "../core/validate";
import { awsEnvironmentWarnings } from "./validate";
import { EFS_CSI } from "./render";
import { EnvironmentRef } from "../core/types";
import { VolleyOperatorSettings } from "../kubernetes/volleyOperator";
import type { KafkaSettings } from "../kubernetes/kafka/settings";
import { awsKafka } from "./kafka";
import { AwsKarpenterSettings, AwsStreamProvisioner, createKarpenter, karpenterCapacity, streamPoolShape } from "./karpenter";
import { KARPENTER } from "./renderKarpenter";
import { AwsAddonVersions, createCoreAddons, createMetricsServer } from "./addons";

/** NAT gateways of a new VPC. */
export const AwsNatGatewayMode = {
    /** One NAT gateway for all private subnets (cheaper; private egress fails with its AZ). */
    Single: "single",
    /** One NAT gateway per AZ (private egress survives an AZ outage). */
    PerAz: "perAz",
} as const;
export type AwsNatGatewayMode = (typeof AwsNatGatewayMode)[keyof typeof AwsNatGatewayMode];

/** A new VPC: one private and one public subnet per availability zone. */
export interface AwsVpcSettings {
    /** IPv4 CIDR of the VPC, a /16 to /20; private subnets get an eighth each, public ones a 64th. Defaults to `10.0.0.0/16`. */
    cidrBlock?: pulumi.Input<string>;
    /** 2 to 6 availability zones of one region, e.g. `["us-east-1a", "us-east-1b", "us-east-1c"]`. Plain: nothing is looked up at preview. */
    availabilityZones: string[];
    /** `single` NAT gateway or one `perAz`. Plain: it decides how many exist. Defaults to `single`. */
    natGateways?: AwsNatGatewayMode;
}

/** An existing VPC and its subnets. */
export interface AwsExistingVpc {
    /** ID of the VPC (`vpc-...`). */
    vpcId: pulumi.Input<string>;
    /** Private subnets of the nodes and the EFS mount targets, exactly one per availability zone. Plain list: its length decides how many mount targets exist. */
    privateSubnetIds: pulumi.Input<string>[];
    /** Public subnets (load balancers); a new cluster's control plane gets them too. Defaults to none. */
    publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A new EKS cluster. */
export interface AwsClusterSettings {
    /** Kubernetes minor version: `1.35` and `1.36` (standard support), or `1.32` to `1.34` (paid extended support); AWS no longer creates older ones; a newer version than this package's table knows is accepted with a warning. EKS upgrades one minor version at a time: raise it by one per `up`. A bump updates the control plane in place, then the node groups, then the vpc-cni, kube-proxy, CoreDNS, Pod Identity agent and EFS CSI driver add-ons (and the EBS CSI driver with `kafka` `strimzi`; each to its version for the new minor, see `addonVersions`); nothing is replaced. Defaults to the newest version in standard support, `1.36`. */
    version?: pulumi.Input<string>;
    /** Install metrics-server as an EKS community add-on (namespace kube-system, on the system nodes): the resource metrics API that `cpu` and `memory` autoscaling triggers need, which EKS does not ship. Its version follows `version` (EKS's default; pin it in `addonVersions.metricsServer`). Turning it off removes the add-on; applications with cpu/memory triggers then get a preview warning unless you run your own. Plain. Defaults to `true`. */
    metricsServer?: boolean;
    /** Versions of the vpc-cni, kube-proxy and CoreDNS EKS add-ons, which the package installs over EKS's self-managed copies. Unset, each follows `version`: kube-proxy and CoreDNS from this package's table (EKS User Guide), vpc-cni (and a version newer than the table) from EKS's default for the version, which AWS may move between previews; pin one to freeze it. */
    addonVersions?: AwsAddonVersions;
    /** Physical name of the cluster (letters, digits, "-", "_"; at most 100). Pins it: without it the name carries a digest of project, stack and component name (the `nameSuffix` output), so renaming the project or stack replaces the cluster (deleted first). Set it to the current `clusterName` before such a rename. Changing it replaces the cluster. Plain. Defaults to `<name>-cluster-<nameSuffix>`. */
    name?: string;
    /** What happens when the version leaves standard support: `STANDARD` (EKS upgrades the cluster) or `EXTENDED` (it stays, at extra cost per cluster hour). AWS's own default is EXTENDED; this package's is `STANDARD`, so nobody pays for extended support without choosing it, except for a `version` already in extended support (`1.32` to `1.34` today), where it is `EXTENDED`: AWS cannot disable extended support on a cluster already in it, so `STANDARD` with such a version is refused at preview. A change is an in-place update of the cluster's upgrade policy. */
    supportType?: pulumi.Input<string>;
    /** IAM role ARN that deploys to the cluster (e.g. CI): it gets an access entry with cluster admin. The identity that creates the cluster is always admin too; leave this unset when it is that identity (AWS refuses a second access entry for it). The kubeconfig does not assume it unless `kubeconfigRoleArn` says so. Changing it never replaces the cluster. Defaults to none. */
    deployerRoleArn?: pulumi.Input<string>;
    /** Serve the API on a public endpoint. Defaults to `true`. */
    endpointPublicAccess?: pulumi.Input<boolean>;
    /** Serve the API inside the VPC (nodes use it). Defaults to `true`. */
    endpointPrivateAccess?: pulumi.Input<boolean>;
    /** CIDRs allowed to reach the public endpoint. Defaults to everywhere. */
    publicAccessCidrs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Control-plane logs sent to CloudWatch: `api`, `audit`, `authenticator`, `controllerManager`, `scheduler`; empty for none. Defaults to api, audit and authenticator. */
    logTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** Days CloudWatch keeps the control-plane logs (log group `/aws/eks/<cluster>/cluster`, created before the cluster and destroyed with it): 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653. Defaults to `30`. */
    logRetentionDays?: pulumi.Input<number>;
    /** KMS key ARN (`…:key/<uuid>`, not an alias) encrypting Kubernetes secrets. Fixed at creation: EKS cannot change the key, so a change shows at preview as a replacement of the cluster. The package's own key is kept when it leaves the program (never scheduled for deletion). Defaults to a new key with rotation. */
    secretsKmsKeyArn?: pulumi.Input<string>;
}

/** An existing EKS cluster (API or API_AND_CONFIG_MAP authentication). */
export interface AwsExistingCluster {
    /** Name of the cluster. */
    name: pulumi.Input<string>;
    /** API server endpoint (`https://...eks.amazonaws.com`). */
    endpoint: pulumi.Input<string>;
    /** Base64 certificate authority data of the cluster. */
    certificateAuthorityData: pulumi.Input<string>;
    /** Cluster security group, which managed node group nodes carry (`sg-...`). */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** ARN of the cluster's IAM OIDC provider; required when the EFS CSI driver uses IRSA. */
    oidcProviderArn?: pulumi.Input<string>;
    /** Whether the cluster already serves the resource metrics API (`metrics.k8s.io`, e.g. metrics-server) that `cpu` and `memory` autoscaling triggers need; the package installs none on an existing cluster. Plain. Defaults to `false`: such triggers get a preview warning. */
    resourceMetricsApi?: boolean;
    /** Kubernetes version of the cluster; the package's node groups follow it (EKS requires nodes at the control plane's minor before its next upgrade). Defaults to the version read from the cluster at each `up`. */
    version?: pulumi.Input<string>;
}

/** The stream pool: Karpenter (the default) or a fixed managed node group, with the Volley label and taint either way. */
export interface AwsStreamNodePoolSettings extends AwsNodePoolSettings {
    /** `karpenter`: Karpenter launches a node per pipeline pod as applications scale, up to `maxSize`, and removes empty ones (the pool starts empty; `minSize`, `desiredSize` and `desiredSizeOwner` do not apply). `nodeGroup`: a fixed-size managed node group. Switching replaces the stream nodes (pipelines restart from their checkpoints) and never touches checkpoints. Plain: it decides which resources exist. Defaults to `karpenter`. */
    provisioner?: AwsStreamProvisioner;
    /** Karpenter's charts and the NodePool's further settings, with `provisioner: karpenter`. */
    karpenter?: AwsKarpenterSettings;
}

export interface AwsEnvironmentArgs {
    /** Tags of every AWS resource the environment creates, the nodes' EC2 instances, volumes and network interfaces included, besides `volley.io/environment=<name>`. Nodes get tags only through their launch template, so a tag change makes a new template version and EKS recycles every node of both node groups (a rolling replacement): keep tags that change often off this input. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** IAM role the kubeconfig's `aws eks get-token` assumes (`--role-arn`); the identity running Pulumi (and every consumer of the kubeconfig) must be allowed to assume it, a role assuming itself included. The AWS CLI must be installed where Pulumi runs. `""` is the same as unset. Defaults to none: tokens are made as the AWS CLI's own identity, the one running Pulumi. */
    kubeconfigRoleArn?: pulumi.Input<string>;
    /** AWS CLI profile the kubeconfig's tokens are made with (`AWS_PROFILE`). Defaults to the stack's `aws:profile` when set. */
    kubeconfigProfile?: pulumi.Input<string>;
    /** A new VPC; set this or `existingVpc`. */
    vpc?: AwsVpcSettings;
    /** An existing VPC and subnets; set this or `vpc`. */
    existingVpc?: AwsExistingVpc;
    /** Settings of a new EKS cluster (ignored with `existingCluster`). */
    cluster?: AwsClusterSettings;
    /** An existing EKS cluster instead of a new one; needs `existingVpc`. */
    existingCluster?: AwsExistingCluster;
    /** IAM role of both node groups. Defaults to a new role with the EKS worker, CNI and ECR read-only policies. */
    nodeRoleArn?: pulumi.Input<string>;
    /** The system node group (no taint; operator, KEDA, Prometheus, CSI controller). Defaults to 2 to 4 m6i.large On-Demand. */
    systemNodePool?: AwsNodePoolSettings;
    /** The stream nodes (label volley.io/pool=stream-processing, taint volley.io/dedicated=true:NoSchedule): Karpenter nodes, up to `maxSize` m6i.2xlarge On-Demand by default, or a managed node group (`provisioner: nodeGroup`, 2 to 4 nodes by default). */
    streamNodePool?: AwsStreamNodePoolSettings;
    /** Shared EFS checkpoint storage. */
    efs?: EfsSettings;
    /** Volley operator settings. Required: at least `image`, the operator image you built (no public image exists). */
    operator: VolleyOperatorSettings;
    /** KEDA for autoscaling. */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** NetworkPolicies for the platform namespaces (default-deny ingress with the allows they need, as on KubernetesEnvironment). On a cluster the package creates, enabling them also turns on the VPC CNI's network policy enforcement (the vpc-cni add-on, updated in place); an existing cluster enforces them only if its network plugin does (a preview warning says so). Defaults to none. */
    networkPolicies?: NetworkPolicySettings;
    /** Kafka for applications: Strimzi and a KRaft cluster on `kafkaNodePool` (broker claims on an encrypted gp3 class through the EBS CSI driver, which it installs), or an external cluster. Defaults to none. */
    kafka?: KafkaSettings;
    /** The Kafka node group with `kafka.mode` `strimzi` (label `volley.io/pool=kafka`, taint `volley.io/kafka=true:NoSchedule`). Defaults to 3 to 6 m6i.xlarge On-Demand, 3 at creation. */
    kafkaNodePool?: AwsNodePoolSettings;
}

/** A plain list inside a nested input; it must be known at preview because it decides which resources exist. */
function plainList(container: any, containerName: string, field: string): unknown[] {
    if (container === UNKNOWN || container?.[field] === UNKNOWN) {
        throw new Error(`AwsEnvironment: ${containerName}.${field} must be known at preview (it decides which resources exist)`);
    }
    return (container?.[field] ?? []) as unknown[];
}

export const SYSTEM_POOL_LABELS = { "volley.io/pool": "system" };
const INSTANCE_TYPES = { system: ["m6i.large"], stream: ["m6i.2xlarge"] };
/** The stream pool's maximum size when `maxSize` is unset (NODE_POOL_DEFAULTS.maxSize, awsNodePool.ts). */
const STREAM_MAX_SIZE = 4;

/**
 * Volley on AWS in one `pulumi up`: VPC (or existing), EKS cluster (or
 * existing), system and stream managed node groups, EFS checkpoint storage
 * with its CSI driver, and the Volley operator, KEDA and Prometheus on the
 * system nodes. Its `environment` output feeds `Application`.
 */
export class AwsEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** Kubeconfig of the cluster, authenticating with `aws eks get-token` as `kubeconfigRoleArn` (secret); needs the AWS CLI where it is used. */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Name of the EKS cluster. */
    public readonly clusterName!: pulumi.Output<string>;
    /** The digest of project, stack and component name in derived names (the cluster's `<name>-cluster-<nameSuffix>`). */
    public readonly nameSuffix!: pulumi.Output<string>;
    /** ID of the VPC. */
    public readonly vpcId!: pulumi.Output<string>;
    /** Private subnets (nodes, mount targets). */
    public readonly privateSubnetIds!: pulumi.Output<string[]>;
    /** Public subnets. */
    public readonly publicSubnetIds!: pulumi.Output<string[]>;
    /** Name of the system node group. */
    public readonly systemNodeGroupName!: pulumi.Output<string>;
    /** Name of the stream node group (`provisioner: nodeGroup`); empty with Karpenter. */
    public readonly streamNodeGroupName!: pulumi.Output<string>;
    /** Name of the stream pool's Karpenter NodePool; empty with `provisioner: nodeGroup`. */
    public readonly streamNodePoolName!: pulumi.Output<string>;
    /** ID of the EFS file system of checkpoints. */
    public readonly fileSystemId!: pulumi.Output<string>;
    /** Security group of the EFS mount targets. */
    public readonly efsSecurityGroupId!: pulumi.Output<string>;
    /** IAM role ARN of the EFS CSI driver. */
    public readonly csiDriverRoleArn!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;
    /** Grafana's admin password, a secret: `prometheus.grafanaAdminPassword`, or the one generated at the first `up` and kept since; absent unless `prometheus.mode` is `stack`. */
    public readonly grafanaAdminPassword!: pulumi.Output<string | undefined>;

    constructor(name: string, args: AwsEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:AwsEnvironment", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        for (const w of awsEnvironmentWarnings(r)) pulumi.log.warn(w, this);
        const tags = pulumi.output(args.tags ?? {}).apply((t) => environmentTags(name, t as Record<string, string>));
        const irsa = (r.efs?.csiIdentity ?? EfsCsiIdentity.PodIdentity) === EfsCsiIdentity.Irsa;
        const karpenter = (r.streamNodePool?.provisioner ?? AwsStreamProvisioner.Karpenter) === AwsStreamProvisioner.Karpenter;
        // Known now for a new cluster (its name is derived or pinned), so the new VPC's subnets carry Karpenter's discovery tag.
        const discovery = karpenter && r.existingCluster === undefined ? { [KARPENTER.discoveryTag]: newClusterName(name, r.cluster?.name) } : undefined;

        // Network: new or existing. Plain lists decide how many subnets and mount targets exist.
        let vpcId: pulumi.Output<string>;
        let privateSubnetIds: pulumi.Input<string>[];
        let publicSubnetIds: pulumi.Output<string[]>;
        let nodesNeed: pulumi.Resource[] = [];
        if (r.existingVpc !== undefined) {
            const ev = pulumi.output(args.existingVpc!);
            vpcId = ev.vpcId;
            privateSubnetIds = plainList(r.existingVpc, "existingVpc", "privateSubnetIds").map((_, i) => ev.apply((v) => v.privateSubnetIds[i]));
            publicSubnetIds = ev.apply((v) => v.publicSubnetIds ?? []) as pulumi.Output<string[]>;
        } else {
            const net = createVpc(this, name, {
                cidrBlock: pulumi.output(args.vpc).apply((v) => v?.cidrBlock ?? "10.0.0.0/16"),
                availabilityZones: plainList(r.vpc, "vpc", "availabilityZones") as string[],
                natPerAz: r.vpc.natGateways === AwsNatGatewayMode.PerAz,
                tags, privateSubnetTags: discovery,
            });
            vpcId = net.vpcId;
            privateSubnetIds = net.privateSubnetIds;
            publicSubnetIds = pulumi.all(net.publicSubnetIds);
            nodesNeed = net.privateRoutes;
        }

        // Cluster: new or existing. IAM and KMS start at once, in parallel with the network.
        const ec = pulumi.output(args.existingCluster!);
        const cluster: ClusterInfo = r.existingCluster !== undefined
            ? existingCluster({
                name: ec.name, endpoint: ec.endpoint, certificateAuthorityData: ec.certificateAuthorityData,
                nodeSecurityGroupId: ec.nodeSecurityGroupId, oidcProviderArn: r.existingCluster?.oidcProviderArn === undefined ? undefined : pick<string>(ec, "oidcProviderArn"),
                // Node groups follow the cluster, or they block its owner's next upgrade.
                version: r.existingCluster?.version !== undefined ? pick<string>(ec, "version")
                    : aws.eks.getClusterOutput({ name: ec.name }, { parent: this }).version,
            })
            : createCluster(this, name, {
                settings: pulumi.output(args.cluster ?? {}) as pulumi.Output<any>,
                hasDeployer: r.cluster?.deployerRoleArn !== undefined,
                hasKmsKey: r.cluster?.secretsKmsKeyArn !== undefined,
                name: r.cluster?.name,
                subnetIds: pulumi.all([pulumi.all(privateSubnetIds), publicSubnetIds]).apply(([a, b]) => [...a, ...b]),
                irsa, tags,
            });

        let nodeRoleArn: pulumi.Input<string>;
        if (r.nodeRoleArn !== undefined) {
            nodeRoleArn = args.nodeRoleArn!;
        } else {
            const role = nodeRole(this, `${name}-node-role`, tags);
            nodeRoleArn = role.arn;
            nodesNeed = [...nodesNeed, ...role.attachments];
        }
        const pool = (kind: "system" | "stream", labels: Record<string, string>, taints: typeof STREAM_POOL_TAINTS) => {
            const s = pulumi.output((kind === "system" ? args.systemNodePool : args.streamNodePool) ?? {}) as pulumi.Output<any>;
            const plain = (kind === "system" ? r.systemNodePool : r.streamNodePool) ?? {};
            return new AwsNodePool(`${name}-${kind}`, {
                clusterName: cluster.name, subnetIds: privateSubnetIds, nodeRoleArn, kubernetesVersion: cluster.version,
                // Stream nodes mount checkpoints: they start tainted until the EFS CSI node plugin runs on them.
                startupTaints: kind === "stream" ? [EFS_CSI.startupTaint] : [],
                instanceTypes: s.apply((x) => x.instanceTypes ?? INSTANCE_TYPES[kind]), capacityType: pick(s, "capacityType"),
                minSize: pick(s, "minSize"), desiredSize: pick(s, "desiredSize"), maxSize: pick(s, "maxSize"), diskSize: pick(s, "diskSize"), amiType: pick(s, "amiType"),
                desiredSizeOwner: plain.desiredSizeOwner, labels, taints, tags,
                // Pipeline pods need no instance metadata (the CSI node plugin is on the host network).
                imdsHopLimit: kind === "stream" ? 1 : 2,
            }, { parent: this, dependsOn: nodesNeed });
        };
        const system = pool("system", SYSTEM_POOL_LABELS, []);
        const stream = karpenter ? undefined : pool("stream", STREAM_POOL_LABELS, STREAM_POOL_TAINTS);
        // Karpenter's nodes have a role of their own: the node groups' has EKS's access entry already.
        const karpenterNodes = karpenter ? karpenterNodeRole(this, `${name}-karpenter-node-role`, tags) : undefined;

        const kubeconfig = clusterKubeconfig(cluster, {
            // Only when asked: assuming the deployer role by default fails for a creator who may not assume it.
            roleArn: pulumi.output(args.kubeconfigRoleArn).apply((k) => k || undefined),
            profile: pulumi.output(args.kubeconfigProfile).apply((p) => p ?? new pulumi.Config("aws").get("profile")),
        });
        const provider = clusterProvider(this, name, kubeconfig, [system, ...cluster.accessReady]);
        const children = { parent: this, providers: { kubernetes: provider } };
        const systemPlacement = { nodeSelector: SYSTEM_POOL_LABELS, tolerations: [] };

        // EFS, its SG and the CSI role start at once; only the add-ons wait for the system nodes.
        const afterSystemNodes = pulumi.all([cluster.name, system.nodeGroupArn]).apply(([n]) => n);
        // A new cluster's vpc-cni, kube-proxy and CoreDNS follow its version (an existing cluster's are its owner's).
        if (r.existingCluster === undefined) {
            const addons = { clusterName: afterSystemNodes, kubernetesVersion: cluster.version, versions: pick(args.cluster, "addonVersions"), tags };
            createCoreAddons(this, name, { ...addons, networkPolicies: r.networkPolicies?.enabled === true });
            if (r.cluster?.metricsServer !== false) createMetricsServer(this, name, addons);
        }
        // EKS ships no metrics-server: the add-on above, or what the existing cluster's owner says it runs.
        const resourceMetricsApi = r.existingCluster === undefined ? r.cluster?.metricsServer !== false : r.existingCluster.resourceMetricsApi === true;
        const e = pulumi.output(args.efs ?? {}) as pulumi.Output<any>;
        const efs = new EfsCheckpointStore(`${name}-efs`, {
            kmsKeyArn: pick(e, "kmsKeyArn"), performanceMode: pick(e, "performanceMode"), throughputMode: pick(e, "throughputMode"),
            provisionedThroughputMibps: pick(e, "provisionedThroughputMibps"), backups: pick(e, "backups"), transitionToIa: pick(e, "transitionToIa"),
            csiDriverVersion: pick(e, "csiDriverVersion"), storageClassName: pick(e, "storageClassName"), uid: pick(e, "uid"), gid: pick(e, "gid"),
            basePath: pick(e, "basePath"), defaultSize: pick(e, "defaultSize"), podIdentityAgentVersion: pick(e, "podIdentityAgentVersion"), kubernetesVersion: cluster.version,
            retainOnDelete: r.efs?.retainOnDelete, csiIdentity: r.efs?.csiIdentity, podIdentityAgent: r.efs?.podIdentityAgent,
            existingFileSystemId: r.efs?.existingFileSystemId, installCsiDriver: r.efs?.installCsiDriver,
            // The node groups share this role, Karpenter's nodes have their own; claims mount as the node's role (the `iam` mount option).
            mountRoleArns: karpenterNodes ? [nodeRoleArn, karpenterNodes.arn] : [nodeRoleArn],
            vpcId, subnetIds: privateSubnetIds, nodeSecurityGroupId: cluster.nodeSecurityGroupId, clusterName: afterSystemNodes,
            oidcProviderArn: cluster.oidcProviderArn, systemNodeSelector: SYSTEM_POOL_LABELS, tags,
        }, children);

        // Kafka brokers: their own tainted node group and block storage (EBS CSI driver, gp3 class).
        const kafkaStorageClassName: pulumi.Output<string> | undefined = r.kafka?.mode === "strimzi" ? awsKafka(this, name, {
            clusterName: cluster.name, kubernetesVersion: cluster.version, subnetIds: privateSubnetIds, nodeRoleArn, nodesNeed,
            irsaOidcProviderArn: irsa ? cluster.oidcProviderArn : undefined, systemNodeSelector: SYSTEM_POOL_LABELS,
            settings: args.kafkaNodePool, resolved: r.kafkaNodePool, tags, k8sOpts: { parent: this, provider },
        }) : undefined;

        const platform = new Platform(name, args, r, systemPlacement, children, {
            controlPlaneMonitors: false, resourceMetricsApi, kubernetesVersion: cluster.version, kafkaStorageClassName,
        });

        let streamPlacement = stream?.placement;
        let streamNodePoolName = pulumi.output("");
        // What the stream pool holds, for the Applications' preview checks.
        const d = NODE_POOL_DEFAULTS;
        let streamCapacity = pulumi.output(args.streamNodePool ?? {}).apply((x: any) => nodeGroupCapacity({
            instanceTypes: x.instanceTypes ?? INSTANCE_TYPES.stream, desiredSize: x.desiredSize ?? d.desiredSize, maxSize: x.maxSize ?? d.maxSize,
            desiredSizeOwner: r.streamNodePool?.desiredSizeOwner ?? d.desiredSizeOwner,
        }));
        if (karpenterNodes) {
            // The Pod Identity agent comes with the EFS CSI driver unless that is off or uses IRSA.
            const agentFromEfs = (r.efs?.installCsiDriver ?? true) && !irsa && (r.efs?.podIdentityAgent ?? true);
            const s = pulumi.output(args.streamNodePool ?? {}) as pulumi.Output<any>;
            const shape = s.apply((x) => streamPoolShape(name, x, { instanceTypes: INSTANCE_TYPES.stream, maxSize: STREAM_MAX_SIZE }));
            const k = createKarpenter(this, name, provider, {
                clusterName: cluster.name, clusterEndpoint: cluster.endpoint, nodeRole: karpenterNodes,
                subnetSelectorTerms: discovery ? [{ tags: discovery }] : pulumi.all(privateSubnetIds).apply((ids) => ids.map((id) => ({ id }))),
                tagSecurityGroup: r.existingCluster === undefined, securityGroupId: cluster.nodeSecurityGroupId,
                settings: s.apply((x) => x.karpenter ?? {}), pool: shape, systemNodeSelector: SYSTEM_POOL_LABELS,
                installPodIdentityAgent: !agentFromEfs && (r.efs?.podIdentityAgent ?? true),
                podIdentityAgentVersion: pick(e, "podIdentityAgentVersion"), kubernetesVersion: cluster.version,
                controllerWaitsFor: agentFromEfs ? [efs] : [],
                tags,
            });
            streamPlacement = k.placement;
            streamNodePoolName = k.nodePoolName;
            streamCapacity = shape.apply(karpenterCapacity);
        }

        // Resolves once the operator, add-ons, EFS and the stream nodes (or their NodePool) exist, so Applications come after them.
        this.environment = platform.environmentRef(name, kubeconfig, efs.checkpoints, streamPlacement!, systemPlacement, streamCapacity);
        this.kubeconfig = kubeconfig;
        this.clusterName = cluster.name;
        this.nameSuffix = pulumi.output(clusterNameSuffix(name));
        this.vpcId = vpcId;
        this.privateSubnetIds = pulumi.all(privateSubnetIds);
        this.publicSubnetIds = pulumi.output(publicSubnetIds);
        this.systemNodeGroupName = system.nodeGroupName;
        this.streamNodeGroupName = stream ? stream.nodeGroupName : pulumi.output("");
        this.streamNodePoolName = streamNodePoolName;
        this.fileSystemId = efs.fileSystemId;
        this.efsSecurityGroupId = efs.securityGroupId;
        this.csiDriverRoleArn = efs.csiDriverRoleArn;
        this.operatorNamespace = platform.operator.namespace;
        this.grafanaAdminPassword = platform.prometheus ? platform.prometheus.grafanaAdminPassword : pulumi.output(undefined);
        this.registerOutputs({
            environment: this.environment, kubeconfig: this.kubeconfig, clusterName: this.clusterName, nameSuffix: this.nameSuffix, vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds, systemNodeGroupName: this.systemNodeGroupName,
            streamNodeGroupName: this.streamNodeGroupName, streamNodePoolName: this.streamNodePoolName, fileSystemId: this.fileSystemId, efsSecurityGroupId: this.efsSecurityGroupId,
            csiDriverRoleArn: this.csiDriverRoleArn, operatorNamespace: this.operatorNamespace, grafanaAdminPassword: this.grafanaAdminPassword,
        });
    }
}
