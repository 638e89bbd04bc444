// Karpenter for the stream pool on EKS: the controller (chart, CRDs from the
// karpenter-crd chart, retained) on the system nodes with its IAM role through
// EKS Pod Identity, the interruption queue and its EventBridge rules, the
// nodes' EKS access entry, the EC2NodeClass, and the stream NodePool. The
// nodes' role is made first (iam.ts), because the EFS policy must allow it.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { ChartSettings } from "../kubernetes/keda";
import { KarpenterNodePool, KarpenterNodePoolSettings } from "../kubernetes/karpenterNodePool";
import { karpenterArgs } from "../kubernetes/kubernetesEnvironment";
import { STREAM_POOL_LABELS, STREAM_POOL_TAINTS } from "../kubernetes/streamPool";
import { retainCrds } from "../kubernetes/retainCrds";
import { localChartVersion } from "../kubernetes/render/helm";
import { Placement, StreamCapacity } from "../core/types";
import { ec2NodeShapes } from "./capacity";
import { EFS_CSI } from "./render";
import { followingVersion } from "./addons";
import { EKS_ADDON } from "./addonVersions";
import { karpenterControllerRole, RoleWithPolicies } from "./iam";
import {
    EC2_NODE_CLASS_API, INTERRUPTION_QUEUE, INTERRUPTION_RULES, KARPENTER, amiAliasFamily, interruptionQueuePolicy, karpenterCapacityType, karpenterControllerPolicies,
    karpenterValues, renderEc2NodeClass, streamPoolLimits,
} from "./renderKarpenter";

/** Who launches the stream nodes on AWS. */
export const AwsStreamProvisioner = {
    /** Karpenter launches a node per pipeline pod as applications scale and removes empty ones; the pool starts empty. */
    Karpenter: "karpenter",
    /** A fixed-size EKS managed node group (`minSize`, `desiredSize`, `maxSize`); nothing scales it. */
    NodeGroup: "nodeGroup",
} as const;
export type AwsStreamProvisioner = (typeof AwsStreamProvisioner)[keyof typeof AwsStreamProvisioner];

/** Karpenter on AWS: its charts, and the stream NodePool beyond what the stream pool's own settings say. */
export interface AwsKarpenterSettings extends ChartSettings {
    /** Local directory or .tgz of the karpenter-crd chart (the CRDs, installed first and retained on delete), with `chartPath`. Empty means the chart registry. */
    crdChartPath?: pulumi.Input<string>;
    /** Version in the AMI alias, e.g. `v20260101` for AL2023 or `v1.30.0` for Bottlerocket; the family comes from `amiType`. `latest` lets Karpenter replace nodes (drift) when AWS publishes an AMI. Defaults to `latest`. */
    amiVersion?: pulumi.Input<string>;
    /** The NodePool: requirements, limits (derived from `maxSize` and the instance types unless given), consolidation, budgets, expiry. `capacityTypes` and `instanceTypes` come from the stream pool's `capacityType` and `instanceTypes`. */
    nodePool?: pulumi.Input<KarpenterNodePoolSettings>;
}

/** What the environment derives from its stream pool settings. */
export interface StreamPoolShape {
    nodePoolName: string; capacityTypes: string[]; instanceTypes: string[]; limits: Record<string, string>; amiFamily: string; diskSize: number;
}

/** The NodePool's shape from the stream pool's settings: capacity and instance types, limits from `maxSize`, the AMI family, the disk. */
export function streamPoolShape(name: string, x: any, d: { instanceTypes: string[]; maxSize: number }): StreamPoolShape {
    const instanceTypes: string[] = x.instanceTypes ?? d.instanceTypes;
    return {
        nodePoolName: x.karpenter?.nodePool?.nodePoolName ?? `${name}-stream`, instanceTypes,
        capacityTypes: [karpenterCapacityType(x.capacityType ?? "ON_DEMAND")],
        limits: streamPoolLimits(x.maxSize ?? d.maxSize, instanceTypes, x.karpenter?.nodePool?.limits),
        amiFamily: amiAliasFamily(x.amiType ?? "AL2023_x86_64_STANDARD")!, diskSize: x.diskSize ?? 50,
    };
}

/** The Karpenter pool's capacity for EnvironmentRef.streamCapacity: `limits.nodes`, the allowed instance types' shapes, the cpu/memory limits. */
export function karpenterCapacity(p: StreamPoolShape): StreamCapacity {
    const out: StreamCapacity = { setBy: "streamNodePool.maxSize (the Karpenter NodePool's limits), instanceTypes and karpenter.nodePool.limits" };
    if (/^\d+$/.test(p.limits.nodes ?? "")) out.maxNodes = Number(p.limits.nodes);
    const shapes = ec2NodeShapes(p.instanceTypes);
    if (shapes) out.nodeShapes = shapes;
    const totals: { cpu?: string; memory?: string } = {};
    if (p.limits.cpu !== undefined) totals.cpu = p.limits.cpu;
    if (p.limits.memory !== undefined) totals.memory = p.limits.memory;
    if (Object.keys(totals).length) out.limits = totals;
    return out;
}

export interface KarpenterInputs {
    clusterName: pulumi.Output<string>;
    clusterEndpoint: pulumi.Output<string>;
    /** The nodes' role (karpenterNodeRole), made before the EFS policy that must allow it. */
    nodeRole: RoleWithPolicies;
    subnetSelectorTerms: pulumi.Input<any[]>;
    /** The cluster security group to tag for discovery; undefined selects `securityGroupId` by ID. */
    tagSecurityGroup: boolean;
    securityGroupId: pulumi.Output<string>;
    settings: pulumi.Output<AwsKarpenterSettings>;
    /** The NodePool's name, its capacity types, instance types, limits and the AMI alias family. */
    pool: pulumi.Output<StreamPoolShape>;
    systemNodeSelector: Record<string, string>;
    /** Install eks-pod-identity-agent (nothing else in the environment does). */
    installPodIdentityAgent: boolean;
    /** The agent's version when installed here: pinned, or following the cluster's Kubernetes version (as the EFS store's agent does). */
    podIdentityAgentVersion?: pulumi.Input<string | undefined>;
    kubernetesVersion: pulumi.Input<string | undefined>;
    /** What the controller must wait for besides its own identity (e.g. the store that installs the Pod Identity agent). */
    controllerWaitsFor: pulumi.Resource[];
    tags: pulumi.Output<Record<string, string>>;
}

export interface KarpenterParts {
    placement: pulumi.Output<Placement>;
    nodePoolName: pulumi.Output<string>;
    queueName: pulumi.Output<string>;
    controllerRoleArn: pulumi.Output<string>;
}

const PASCAL: Record<string, string> = {
    NodeLifecycle: "node-lifecycle", IamIntegration: "iam-integration", EksIntegration: "eks-integration", Interruption: "interruption", ResourceDiscovery: "resource-discovery",
};

export function createKarpenter(parent: pulumi.ComponentResource, name: string, provider: k8s.Provider, a: KarpenterInputs): KarpenterParts {
    const o = { parent };
    const n = `${name}-karpenter`;
    const tags = a.tags;

    // The nodes join the cluster through an access entry of their own role (EKS makes none for Karpenter's nodes).
    const access = new aws.eks.AccessEntry(`${n}-nodes`, { clusterName: a.clusterName, principalArn: a.nodeRole.arn, type: "EC2_LINUX", tags }, o);

    // Interruption handling: EventBridge -> SQS (SSE) -> the controller, which drains a node before EC2 takes it.
    const queue = new aws.sqs.Queue(n, { ...INTERRUPTION_QUEUE, tags }, o);
    const queuePolicy = new aws.sqs.QueuePolicy(n, { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) }, o);
    const targets = Object.entries(INTERRUPTION_RULES).map(([key, pattern]) => {
        const rule = new aws.cloudwatch.EventRule(`${n}-${key}`, {
            description: `${pattern["detail-type"][0]} to Karpenter's interruption queue (Volley ${name})`, eventPattern: JSON.stringify(pattern), tags,
        }, o);
        return new aws.cloudwatch.EventTarget(`${n}-${key}`, { rule: rule.name, arn: queue.arn }, { ...o, dependsOn: [queuePolicy] });
    });

    // The controller's role: the reference policies, scoped to this cluster, its queue and its nodes' role.
    const role = karpenterControllerRole(parent, `${n}-role`, tags);
    const docs = pulumi.all([a.clusterName, queue.arn, a.nodeRole.arn]).apply(([clusterName, queueArn, nodeRoleArn]) =>
        karpenterControllerPolicies({ clusterName, queueArn, nodeRoleArn }));
    const attachments = Object.keys(PASCAL).map((key) => {
        const policy = new aws.iam.Policy(`${n}-${PASCAL[key]}`, {
            description: `Karpenter controller: ${PASCAL[key].replace("-", " ")} (Volley ${name})`, policy: docs.apply((d) => JSON.stringify(d[key])), tags,
        }, o);
        return new aws.iam.RolePolicyAttachment(`${n}-${PASCAL[key]}`, { role: role.role.name, policyArn: policy.arn }, o);
    });
    const identity: pulumi.Resource[] = [...attachments];
    if (a.installPodIdentityAgent) {
        identity.push(new aws.eks.Addon(`${n}-pod-identity-agent`, {
            clusterName: a.clusterName, addonName: EFS_CSI.podIdentityAgentAddon, resolveConflictsOnCreate: "OVERWRITE", tags,
            addonVersion: followingVersion(parent, EKS_ADDON.podIdentityAgent, a.kubernetesVersion, a.podIdentityAgentVersion),
        }, o));
    }
    identity.push(new aws.eks.PodIdentityAssociation(n, {
        clusterName: a.clusterName, namespace: KARPENTER.namespace, serviceAccount: KARPENTER.serviceAccount, roleArn: role.arn, tags,
    }, o));

    // Subnets and the security group by the discovery tag the package sets (on the cluster's own group here).
    const sgTag = a.tagSecurityGroup ? new aws.ec2.Tag(`${n}-discovery`, { resourceId: a.securityGroupId, key: KARPENTER.discoveryTag, value: a.clusterName }, o) : undefined;
    const sgTerms = a.tagSecurityGroup ? a.clusterName.apply((c) => [{ tags: { [KARPENTER.discoveryTag]: c } }]) : a.securityGroupId.apply((id) => [{ id }]);

    // The charts: CRDs first (retained on delete), then the controller on the system nodes.
    const s = a.settings;
    const chartRef = (path: pulumi.Output<string | undefined>, remote: string) => ({
        chart: path.apply((p) => p || remote),
        version: pulumi.all([path, s.apply((x) => x.version)]).apply(([p, v]) => (p ? undefined : v ?? KARPENTER.version)) as pulumi.Output<string>,
    });
    const crdChart = new k8s.helm.v4.Chart(`${n}-crds`, {
        ...chartRef(s.apply((x) => x.crdChartPath as string | undefined), KARPENTER.crdChart), namespace: KARPENTER.namespace,
    }, { parent, provider, transforms: retainCrds() });
    const chart = new k8s.helm.v4.Chart(`${n}-chart`, {
        ...chartRef(s.apply((x) => x.chartPath as string | undefined), KARPENTER.chart), namespace: KARPENTER.namespace, skipCrds: true,
        values: pulumi.all([a.clusterName, a.clusterEndpoint, queue.name, s.apply((x) => x.values ?? {})]).apply(([clusterName, clusterEndpoint, interruptionQueue, v]) =>
            karpenterValues({ clusterName, clusterEndpoint, interruptionQueue, nodeSelector: a.systemNodeSelector }, v as Record<string, any>)),
    }, { parent, provider, dependsOn: [crdChart, ...identity, ...targets, ...a.controllerWaitsFor] });

    // The node class and the pool exist only once Karpenter runs, and go before it, so its finalizers
    // terminate the instances and remove the instance profile before the controller and its role go.
    const p = a.pool;
    const nodeClass = new k8s.apiextensions.CustomResource(`${n}-nodeclass`, (() => {
        const rendered = pulumi.all([p, a.nodeRole.role.name, a.subnetSelectorTerms, sgTerms, tags, s.apply((x) => x.amiVersion ?? "latest")] as any[])
            .apply(([pool, role, subnets, sgs, t, version]: any[]) => renderEc2NodeClass({
                name: pool.nodePoolName, role, amiAlias: `${pool.amiFamily}@${version}`, subnetSelectorTerms: subnets, securityGroupSelectorTerms: sgs, diskSize: pool.diskSize, tags: t,
            }));
        return { apiVersion: `${EC2_NODE_CLASS_API.group}/${EC2_NODE_CLASS_API.version}`, kind: EC2_NODE_CLASS_API.kind, metadata: rendered.apply((r) => r.metadata), spec: rendered.apply((r) => r.spec) };
    })(), { parent, provider, dependsOn: [crdChart, chart, access, ...a.nodeRole.attachments, ...(sgTag ? [sgTag] : [])] });

    const settings = s.apply((x) => (x.nodePool ?? {}) as KarpenterNodePoolSettings);
    const pool = new KarpenterNodePool(`${name}-stream`, {
        ...karpenterArgs(settings),
        nodePoolName: p.apply((x) => x.nodePoolName),
        capacityTypes: p.apply((x) => x.capacityTypes),
        instanceTypes: p.apply((x) => x.instanceTypes),
        limits: p.apply((x) => x.limits),
        nodeClassRef: { group: EC2_NODE_CLASS_API.group, kind: EC2_NODE_CLASS_API.kind, name: nodeClass.metadata.name },
        labels: STREAM_POOL_LABELS,
        taints: STREAM_POOL_TAINTS,
        // Stream nodes mount checkpoints: no pod starts before the EFS CSI node plugin runs and removes the taint.
        startupTaints: [EFS_CSI.startupTaint],
    }, { parent, providers: { kubernetes: provider }, dependsOn: [crdChart, chart, nodeClass] });

    const installed = pulumi.all([s.apply((x) => x.chartPath), s.apply((x) => x.version)]).apply(([cp, v]) => (cp ? localChartVersion(cp as string) : v ?? KARPENTER.version));
    installed.apply((v) => v !== KARPENTER.version && pulumi.log.warn(`streamNodePool.karpenter: chart ${v} is not the ${KARPENTER.version} this release was tested with`, parent));
    return { placement: pool.placement, nodePoolName: pool.nodePoolName, queueName: queue.name, controllerRoleArn: role.arn };
}
