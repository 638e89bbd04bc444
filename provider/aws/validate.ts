// Validation of AwsEnvironment, AwsNodePool and EfsCheckpointStore: every
// issue names the property path and what is allowed.
import {
    AMI_TYPES, CAPACITY_TYPES, CLUSTER_LOG_TYPES, COMPONENT_NAME_RULES, DEFAULT_EKS_VERSION, EFS_TRANSITIONS, EKS_VERSION_CALENDAR, EKS_VERSIONS, LOG_RETENTION_DAYS,
    EKS_CALENDAR_READ_ON, NAME_LIMITS, NAME_RULES, SUPPORT_TYPES, VPC_PREFIX, describeEksVersions, eksSupport, instanceArchitecture, maxComponentName, newerThanCalendar, parseCidr,
} from "./render";
import { checkKafkaSettings } from "../kubernetes/kafka/validate";
import { Checker, Issue, UNKNOWN, known, path } from "../core/validate";
import { PROMETHEUS_MODES, checkNetworkPolicies, checkOperator, validateKeda, validatePrometheusStack } from "../kubernetes/validate/platform";
import { checkTaints } from "../core/scheduling";
import { checkKarpenterSettings } from "../kubernetes/validate/karpenter";
import { AMI_ALIAS_FAMILIES, amiAliasFamily, reservedNodeClassTag } from "./renderKarpenter";
import { ec2InstanceShape } from "./capacity";
import { EKS_ADDON_VERSION_PATTERN } from "./addonVersions";

const AZ = /^([a-z]{2}(?:-[a-z]+)+-\d)([a-z])$/;
const ARN = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;
const ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const NAT_MODES = ["single", "perAz"] as const;
const OWNERS = ["pulumi", "autoscaler"] as const;
const PERFORMANCE_MODES = ["generalPurpose", "maxIO"] as const;
const THROUGHPUT_MODES = ["elastic", "bursting", "provisioned"] as const;
const CSI_IDENTITIES = ["podIdentity", "irsa"] as const;
const CORE_ADDON_KEYS = ["vpcCni", "kubeProxy", "coreDns", "metricsServer"] as const;

/** An EKS add-on version as DescribeAddonVersions spells it. */
function addonVersion(c: Checker, p: string, v: unknown): void {
    if (known(v) && (typeof v !== "string" || !EKS_ADDON_VERSION_PATTERN.test(v))) {
        c.fail(p, `must be an EKS add-on version such as "v1.20.4-eksbuild.1" (aws eks describe-addon-versions --kubernetes-version <version>); got ${JSON.stringify(v)}`);
    }
}

function arn(c: Checker, p: string, v: unknown, service: string, resource: RegExp, example: string): void {
    if (!known(v)) return;
    const m = typeof v === "string" ? ARN.exec(v) : null;
    if (!m || m[1] !== service || !resource.test(m[4])) c.fail(p, `must be an ${service.toUpperCase()} ARN such as ${example}; got ${JSON.stringify(v)}`);
}
// Key ARNs only: an alias in a policy's Resource "applies to the alias resource, not to any KMS key"
// (kms/latest/developerguide/alias-authorization.html), so the cluster role would be granted nothing.
const kmsKey = (c: Checker, p: string, v: unknown) => {
    if (known(v) && typeof v === "string" && /:alias\//.test(v)) {
        c.fail(p, `must be a KMS key ARN (…:key/<uuid>), not an alias ARN: IAM policies cannot grant use of a key through its alias; got ${JSON.stringify(v)}`);
        return;
    }
    arn(c, p, v, "kms", /^key\/.+/, "arn:aws:kms:us-east-1:123456789012:key/<uuid>");
};
const iamRole = (c: Checker, p: string, v: unknown) => arn(c, p, v, "iam", /^role\/.+/, "arn:aws:iam::123456789012:role/deployer");

/** An EKS minor version AWS still creates; an ended one is named as such; a newer one than the table knows passes (with a warning, see awsWarnings). */
function eksVersion(c: Checker, p: string, v: unknown): void {
    if (!known(v)) return;
    if (typeof v === "string" && newerThanCalendar(v)) return;
    if (typeof v === "string" && eksSupport(v) === "ended") {
        const ended = EKS_VERSION_CALENDAR.find((x) => x.version === v)!.extendedSupportEnds;
        c.fail(p, `AWS no longer creates EKS ${v} (its extended support ended ${ended}); use one of ${describeEksVersions()}`);
    } else if (typeof v !== "string" || !EKS_VERSIONS.includes(v)) {
        c.fail(p, `must be one of ${describeEksVersions()}; got ${JSON.stringify(v)}`);
    }
}

/** The component's name, short enough and of the right characters that every derived name (IAM roles, node groups, cluster, Helm releases) is valid. */
function componentName(c: Checker, component: string, name: string | undefined): void {
    if (name === undefined) return;
    const max = maxComponentName(component);
    if (name.length > max) {
        c.fail("name", `the ${component} resource name must have at most ${max} characters so the names derived from it (IAM roles, node groups, Helm releases) fit their limits; got ${name.length} (${JSON.stringify(name)})`);
    }
    for (const rule of COMPONENT_NAME_RULES[component] ?? []) {
        if (!NAME_RULES[rule].pattern.test(name)) {
            c.fail("name", `the ${component} resource name is used in derived names and must have only ${NAME_RULES[rule].says}; got ${JSON.stringify(name)}`);
            return;
        }
    }
}

function awsId(c: Checker, p: string, v: unknown, prefix: string): void {
    if (!known(v)) return;
    if (typeof v !== "string" || !ID(prefix).test(v)) c.fail(p, `must be an ID such as ${prefix}-0123456789abcdef0; got ${JSON.stringify(v)}`);
}

function idList(c: Checker, p: string, v: unknown, prefix: string, min: number): void {
    if (!known(v)) return;
    if (!Array.isArray(v) || v.length < min) { c.fail(p, `must list at least ${min} ${prefix} ID${min > 1 ? "s" : ""}`); return; }
    v.forEach((id, i) => awsId(c, path(p, i), id, prefix));
    const seen = new Set<unknown>();
    v.forEach((id, i) => { if (known(id) && seen.has(id)) c.fail(path(p, i), `duplicates ${JSON.stringify(id)}`); seen.add(id); });
}

function tags(c: Checker, p: string, v: unknown): void {
    if (!known(v)) return;
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        if (k.toLowerCase().startsWith("aws:")) c.fail(path(p, k), `tag keys must not start with "aws:" (reserved)`);
        else if (k.length > 128) c.fail(path(p, k), "tag keys have at most 128 characters");
        if (known(val) && (typeof val !== "string" || val.length > 256)) c.fail(path(p, k), "tag values are strings of at most 256 characters");
    }
}

/** Node pool settings; `p` prefixes paths inside an environment. */
export function checkNodePool(c: Checker, p: string, a: any, defaultInstanceTypes?: string[]): void {
    if (!known(a)) return;
    if (known(a.instanceTypes)) {
        if (!Array.isArray(a.instanceTypes) || a.instanceTypes.length === 0) c.fail(path(p, "instanceTypes"), "must list at least one EC2 instance type such as \"m6i.large\"");
        else a.instanceTypes.forEach((t: unknown, i: number) => {
            if (known(t) && (typeof t !== "string" || !INSTANCE_TYPE.test(t))) c.fail(path(p, "instanceTypes", i), `must be an EC2 instance type such as "m6i.large"; got ${JSON.stringify(t)}`);
        });
    }
    c.oneOf(path(p, "capacityType"), a.capacityType, CAPACITY_TYPES);
    c.oneOf(path(p, "amiType"), a.amiType, AMI_TYPES);
    c.oneOf(path(p, "desiredSizeOwner"), a.desiredSizeOwner, OWNERS);
    const min = c.integer(path(p, "minSize"), a.minSize, 0, 450) ? a.minSize : UNKNOWN;
    const max = c.integer(path(p, "maxSize"), a.maxSize, 1, 450) ? a.maxSize : UNKNOWN;
    const desired = c.integer(path(p, "desiredSize"), a.desiredSize, 0, 450) ? a.desiredSize : UNKNOWN;
    if (known(min) && known(desired) && min > desired) c.fail(path(p, "minSize"), `must be <= ${path(p, "desiredSize")} (${desired}); got ${min}`);
    if (known(desired) && known(max) && desired > max) c.fail(path(p, "desiredSize"), `must be <= ${path(p, "maxSize")} (${max}); got ${desired}`);
    if (known(min) && known(max) && min > max) c.fail(path(p, "minSize"), `must be <= ${path(p, "maxSize")} (${max}); got ${min}`);
    c.integer(path(p, "diskSize"), a.diskSize, 20, 16384);
    // An ARM AMI boots only on Graviton instance types and an x86 AMI only on the others; EKS refuses the mix at CreateNodegroup.
    const ami = known(a.amiType) && typeof a.amiType === "string" ? a.amiType : "AL2023_x86_64_STANDARD";
    const types = known(a.instanceTypes) && Array.isArray(a.instanceTypes) ? a.instanceTypes : (defaultInstanceTypes ?? []);
    const want = /_ARM_64/.test(ami) ? "arm64" : "x86_64";
    types.forEach((t: unknown, i: number) => {
        if (!known(t) || typeof t !== "string" || !INSTANCE_TYPE.test(t)) return;
        if (instanceArchitecture(t) !== want) {
            const where = known(a.instanceTypes) ? path(p, "instanceTypes", i) : path(p, "amiType");
            c.fail(where, `${t} is an ${instanceArchitecture(t)} instance type but amiType ${ami} is ${want}; use ${want === "arm64" ? "Graviton types such as m7g.large" : "x86 types such as m6i.large"} or a${want === "arm64" ? "n x86_64" : "n ARM_64"} amiType`);
        }
    });
}

export function validateAwsNodePool(a: any, name?: string): Issue[] {
    const c = new Checker();
    componentName(c, "AwsNodePool", name);
    c.required("clusterName", a.clusterName, "the EKS cluster name");
    if (known(a.subnetIds) && Array.isArray(a.subnetIds) && a.subnetIds.length === 0) c.fail("subnetIds", "must list at least one subnet ID");
    iamRole(c, "nodeRoleArn", a.nodeRoleArn);
    eksVersion(c, "kubernetesVersion", a.kubernetesVersion);
    checkNodePool(c, "", a, ["m6i.large"]);
    if (known(a.imdsHopLimit) && a.imdsHopLimit !== 1 && a.imdsHopLimit !== 2) c.fail("imdsHopLimit", `must be 1 (pods off the host network cannot reach instance metadata) or 2; got ${JSON.stringify(a.imdsHopLimit)}`);
    c.labels("labels", a.labels);
    checkTaints(c, "taints", a.taints);
    checkTaints(c, "startupTaints", a.startupTaints);
    const count = (t: unknown) => (known(t) && Array.isArray(t) ? t.length : 0);
    if (count(a.taints) + count(a.startupTaints) > 50) c.fail("taints", "EKS allows at most 50 taints, startupTaints included");
    tags(c, "tags", a.tags);
    return c.issues;
}

/** EFS settings; `p` prefixes paths inside an environment. */
export function checkEfs(c: Checker, p: string, a: any, oidcAvailable: boolean | undefined): void {
    if (!known(a)) return;
    if (a.existingFileSystemId !== undefined) {
        if (a.existingFileSystemId === UNKNOWN || typeof a.existingFileSystemId !== "string") c.fail(path(p, "existingFileSystemId"), "must be a plain file system ID known at preview (it decides whether a file system is created)");
        else awsId(c, path(p, "existingFileSystemId"), a.existingFileSystemId, "fs");
        for (const f of ["kmsKeyArn", "performanceMode"]) {
            if (a[f] !== undefined) c.fail(path(p, f), `fixed when the file system was created; remove it with existingFileSystemId (the adopted file system keeps its own)`);
        }
    }
    for (const f of ["installCsiDriver", "podIdentityAgent"]) {
        if (a[f] !== undefined && typeof a[f] !== "boolean") c.fail(path(p, f), "must be a plain boolean (it decides which resources exist)");
    }
    kmsKey(c, path(p, "kmsKeyArn"), a.kmsKeyArn);
    c.oneOf(path(p, "performanceMode"), a.performanceMode, PERFORMANCE_MODES);
    c.oneOf(path(p, "throughputMode"), a.throughputMode, THROUGHPUT_MODES);
    const mode = a.throughputMode ?? "elastic";
    if (mode === "provisioned" && a.provisionedThroughputMibps === undefined) {
        c.fail(path(p, "provisionedThroughputMibps"), "required with throughputMode \"provisioned\": MiB/s from 1 to 3414");
    } else if (a.provisionedThroughputMibps !== undefined && known(mode) && mode !== "provisioned") {
        c.fail(path(p, "provisionedThroughputMibps"), `only with throughputMode "provisioned"; throughputMode is ${JSON.stringify(mode)}`);
    }
    if (mode === "provisioned") c.integer(path(p, "provisionedThroughputMibps"), a.provisionedThroughputMibps, 1, 3414);
    if (a.performanceMode === "maxIO" && mode === "elastic") c.fail(path(p, "performanceMode"), "maxIO is not available with elastic throughput; use generalPurpose, or bursting/provisioned throughput");
    if (known(a.transitionToIa)) c.oneOf(path(p, "transitionToIa"), a.transitionToIa, [...EFS_TRANSITIONS, "NONE"]);
    if (a.retainOnDelete !== undefined && typeof a.retainOnDelete !== "boolean") c.fail(path(p, "retainOnDelete"), "must be a plain boolean (it decides a resource option)");
    c.oneOf(path(p, "csiIdentity"), a.csiIdentity, CSI_IDENTITIES);
    if (a.csiIdentity === "irsa" && oidcAvailable === false) {
        c.fail(path(p, "csiIdentity"), "irsa needs the cluster's OIDC provider: set its ARN (existingCluster.oidcProviderArn / oidcProviderArn), or use podIdentity");
    }
    if (known(a.storageClassName)) c.dnsSubdomain(path(p, "storageClassName"), a.storageClassName);
    c.integer(path(p, "uid"), a.uid, 0, 2147483647);
    c.integer(path(p, "gid"), a.gid, 0, 2147483647);
    c.absolutePath(path(p, "basePath"), a.basePath);
    c.quantity(path(p, "defaultSize"), a.defaultSize);
    addonVersion(c, path(p, "csiDriverVersion"), a.csiDriverVersion);
    addonVersion(c, path(p, "podIdentityAgentVersion"), a.podIdentityAgentVersion);
}

export function validateEfsCheckpointStore(a: any, name?: string): Issue[] {
    const c = new Checker();
    componentName(c, "EfsCheckpointStore", name);
    awsId(c, "vpcId", a.vpcId, "vpc");
    idList(c, "subnetIds", a.subnetIds, "subnet", 1);
    awsId(c, "nodeSecurityGroupId", a.nodeSecurityGroupId, "sg");
    c.required("clusterName", a.clusterName, "the EKS cluster name");
    arn(c, "oidcProviderArn", a.oidcProviderArn, "iam", /^oidc-provider\/.+/, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
    checkEfs(c, "", a, a.oidcProviderArn !== undefined);
    if (a.mountRoleArns === undefined || (known(a.mountRoleArns) && Array.isArray(a.mountRoleArns) && a.mountRoleArns.length === 0)) {
        c.fail("mountRoleArns", "required: the IAM roles of the nodes that mount checkpoints (e.g. the node group's role); the file-system policy lets only them mount, with the `iam` mount option");
    } else if (known(a.mountRoleArns) && Array.isArray(a.mountRoleArns)) {
        a.mountRoleArns.forEach((r: unknown, i: number) => iamRole(c, path("mountRoleArns", i), r));
    }
    tags(c, "tags", a.tags);
    return c.issues;
}

function checkVpc(c: Checker, v: any): void {
    if (v === UNKNOWN) { c.fail("vpc", "must be known at preview: availabilityZones decides which subnets exist"); return; }
    if (known(v.cidrBlock)) {
        const cidr = typeof v.cidrBlock === "string" ? parseCidr(v.cidrBlock) : undefined;
        if (!cidr) c.fail("vpc.cidrBlock", `must be an IPv4 CIDR with no host bits set, such as "10.0.0.0/16"; got ${JSON.stringify(v.cidrBlock)}`);
        else if (cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) c.fail("vpc.cidrBlock", `must be a /${VPC_PREFIX.min} to /${VPC_PREFIX.max}; got /${cidr.prefix}`);
    }
    const azs = v.availabilityZones;
    if (!Array.isArray(azs) || azs.length < 2 || azs.length > 6) {
        c.fail("vpc.availabilityZones", `must list 2 to 6 availability zones such as ["us-east-1a", "us-east-1b"]; got ${Array.isArray(azs) ? azs.length : "none"}`);
    } else {
        const regions = new Set<string>();
        azs.forEach((az: unknown, i: number) => {
            const m = typeof az === "string" ? AZ.exec(az) : null;
            if (!m) { c.fail(path("vpc.availabilityZones", i), `must be an availability zone such as "us-east-1a"; got ${JSON.stringify(az)}`); return; }
            regions.add(m[1]);
            if (azs.indexOf(az) !== i) c.fail(path("vpc.availabilityZones", i), `duplicates ${JSON.stringify(az)}`);
        });
        if (regions.size > 1) c.fail("vpc.availabilityZones", `must all be in one region; got ${[...regions].join(", ")}`);
    }
    c.oneOf("vpc.natGateways", v.natGateways, NAT_MODES);
}

function checkCluster(c: Checker, v: any): void {
    if (!known(v)) return;
    eksVersion(c, "cluster.version", v.version);
    if (v.name !== undefined) {
        if (typeof v.name !== "string") c.fail("cluster.name", "must be a plain string known at preview (it is the cluster's physical name and its log group's)");
        else if (v.name.length < 1 || v.name.length > NAME_LIMITS.eksCluster || !NAME_RULES.eks.pattern.test(v.name)) {
            c.fail("cluster.name", `must have 1 to ${NAME_LIMITS.eksCluster} ${NAME_RULES.eks.says}; got ${JSON.stringify(v.name)}`);
        }
    }
    c.oneOf("cluster.supportType", v.supportType, SUPPORT_TYPES);
    // AWS cannot disable extended support on a cluster already in it (render.ts, defaultSupportType).
    if (v.supportType === "STANDARD" && typeof v.version === "string" && eksSupport(v.version) === "extended") {
        const row = EKS_VERSION_CALENDAR.find((x) => x.version === v.version)!;
        c.fail("cluster.supportType", `STANDARD is not possible on EKS ${v.version}: its standard support ended ${row.standardSupportEnds} and AWS cannot disable extended support on a cluster already in it; ` +
            `remove supportType (it then defaults to EXTENDED for this version) or set EXTENDED, or raise cluster.version one minor at a time to one in standard support (${DEFAULT_EKS_VERSION} is the newest)`);
    }
    if (known(v.addonVersions)) {
        for (const [k, x] of Object.entries(v.addonVersions ?? {})) {
            if ((CORE_ADDON_KEYS as readonly string[]).includes(k)) addonVersion(c, path("cluster.addonVersions", k), x);
            else c.fail(path("cluster.addonVersions", k), `unknown add-on; the package installs ${CORE_ADDON_KEYS.join(", ")} (the EFS CSI driver and Pod Identity agent are pinned under efs)`);
        }
    }
    if (known(v.logRetentionDays) && !(LOG_RETENTION_DAYS as readonly unknown[]).includes(v.logRetentionDays)) {
        c.fail("cluster.logRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch accepts); got ${JSON.stringify(v.logRetentionDays)}`);
    }
    iamRole(c, "cluster.deployerRoleArn", v.deployerRoleArn);
    kmsKey(c, "cluster.secretsKmsKeyArn", v.secretsKmsKeyArn);
    if (v.endpointPublicAccess === false && v.endpointPrivateAccess === false) c.fail("cluster.endpointPrivateAccess", "at least one of endpointPublicAccess and endpointPrivateAccess must be true");
    if (known(v.logTypes) && Array.isArray(v.logTypes)) v.logTypes.forEach((t: unknown, i: number) => c.oneOf(path("cluster.logTypes", i), t, CLUSTER_LOG_TYPES));
    if (known(v.publicAccessCidrs) && Array.isArray(v.publicAccessCidrs)) {
        v.publicAccessCidrs.forEach((x: unknown, i: number) => {
            if (known(x) && (typeof x !== "string" || !parseCidr(x))) c.fail(path("cluster.publicAccessCidrs", i), `must be an IPv4 CIDR such as "203.0.113.0/24"; got ${JSON.stringify(x)}`);
        });
        if (v.endpointPublicAccess === false && v.publicAccessCidrs.length) c.fail("cluster.publicAccessCidrs", "only with endpointPublicAccess true");
    }
}

const PROVISIONERS = ["karpenter", "nodeGroup"] as const;
const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Whether the stream pool is Karpenter's (the default). */
export function usesKarpenter(a: any): boolean {
    return (known(a.streamNodePool) ? a.streamNodePool.provisioner ?? "karpenter" : "karpenter") === "karpenter";
}

/** streamNodePool.provisioner and, with Karpenter, what applies and what does not. */
function checkStreamProvisioner(c: Checker, a: any): void {
    if (a.streamNodePool === UNKNOWN) { c.fail("streamNodePool", "must be known at preview: its provisioner decides which resources exist"); return; }
    const s = known(a.streamNodePool) ? a.streamNodePool : {};
    if (s.provisioner !== undefined && (typeof s.provisioner !== "string" || !(PROVISIONERS as readonly string[]).includes(s.provisioner))) {
        c.fail("streamNodePool.provisioner", `must be a plain ${PROVISIONERS.map((x) => `"${x}"`).join(" or ")} known at preview (it decides which resources exist); got ${JSON.stringify(s.provisioner)}`);
        return;
    }
    if (!usesKarpenter(a)) {
        if (s.karpenter !== undefined) c.fail("streamNodePool.karpenter", "only with provisioner \"karpenter\"; remove it, or remove provisioner \"nodeGroup\"");
        return;
    }
    const way = "the Karpenter pool starts empty and follows the pods up to maxSize; remove it, or set provisioner \"nodeGroup\" for a fixed-size node group";
    for (const f of ["minSize", "desiredSize", "desiredSizeOwner"]) if (s[f] !== undefined) c.fail(path("streamNodePool", f), `does not apply to Karpenter: ${way}`);
    if (known(s.amiType) && typeof s.amiType === "string" && amiAliasFamily(s.amiType) === undefined) {
        c.fail("streamNodePool.amiType", `has no Karpenter AMI alias (${AMI_ALIAS_FAMILIES.join(", ")}: AL2023_* and BOTTLEROCKET_* types but FIPS); use one, or provisioner "nodeGroup"; got ${JSON.stringify(s.amiType)}`);
    }
    if (known(a.tags)) {
        for (const k of Object.keys(a.tags)) if (reservedNodeClassTag(k)) c.fail(path("tags", k), "Karpenter sets this tag on the nodes itself and its EC2NodeClass refuses it; remove it, or use provisioner \"nodeGroup\"");
    }
    const k = s.karpenter;
    if (k === UNKNOWN) { c.fail("streamNodePool.karpenter", "must be known at preview"); return; }
    if (!known(k)) return;
    const p = "streamNodePool.karpenter";
    if (known(k.version) && !CHART_VERSION.test(k.version)) c.fail(path(p, "version"), `must be an exact chart version such as "1.14.1" (pinned, no ranges); got ${JSON.stringify(k.version)}`);
    for (const f of ["chartPath", "crdChartPath"]) if (known(k[f]) && k[f] === "") c.fail(path(p, f), "must be a local chart directory or archive, or omitted");
    if ((k.chartPath === undefined) !== (k.crdChartPath === undefined)) c.fail(path(p, k.chartPath === undefined ? "chartPath" : "crdChartPath"), "chartPath and crdChartPath go together (the controller and its CRDs from the same release): set both or neither");
    if (known(k.values) && (typeof k.values !== "object" || Array.isArray(k.values))) c.fail(path(p, "values"), "must be an object of Helm values");
    if (known(k.amiVersion)) {
        const family = amiAliasFamily(known(s.amiType) ? s.amiType : "AL2023_x86_64_STANDARD") ?? "al2023";
        if (typeof k.amiVersion !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(k.amiVersion) || `${family}@${k.amiVersion}`.length > 30) {
            c.fail(path(p, "amiVersion"), `must be "latest" or a version such as "v20260101" (the alias ${family}@<version> has at most 30 characters); got ${JSON.stringify(k.amiVersion)}`);
        }
    }
    const np = k.nodePool;
    if (np === UNKNOWN) { c.fail(path(p, "nodePool"), "must be known at preview"); return; }
    if (!known(np)) return;
    const from: Record<string, string> = { capacityTypes: "streamNodePool.capacityType", instanceTypes: "streamNodePool.instanceTypes" };
    for (const [f, instead] of Object.entries(from)) if (np[f] !== undefined) c.fail(path(p, "nodePool", f), `comes from ${instead}; set it there`);
    checkKarpenterSettings(c, path(p, "nodePool"), { ...np, capacityTypes: undefined, instanceTypes: undefined }, { nodeClassRef: false });
}

function nested(c: Checker, p: string, issues: Issue[]): void {
    for (const i of issues) c.fail(path(p, i.propertyPath), i.reason);
}

export function validateAwsEnvironment(a: any, name?: string): Issue[] {
    const c = new Checker();
    componentName(c, "AwsEnvironment", name);
    tags(c, "tags", a.tags);
    // "" turns the role off: tokens are made as whatever identity the AWS CLI finds.
    if (a.kubeconfigRoleArn !== "") iamRole(c, "kubeconfigRoleArn", a.kubeconfigRoleArn);
    if (known(a.kubeconfigProfile) && (typeof a.kubeconfigProfile !== "string" || !/^[A-Za-z0-9_.@+-]{1,64}$/.test(a.kubeconfigProfile))) {
        c.fail("kubeconfigProfile", `must be an AWS CLI profile name (letters, digits, "_", ".", "@", "+", "-"); got ${JSON.stringify(a.kubeconfigProfile)}`);
    }
    const hasVpc = a.vpc !== undefined && a.vpc !== null;
    const hasExistingVpc = a.existingVpc !== undefined && a.existingVpc !== null;
    if (hasVpc === hasExistingVpc) c.fail(hasVpc ? "existingVpc" : "vpc", "set exactly one of `vpc` (a new VPC) or `existingVpc`");
    if (hasVpc) checkVpc(c, a.vpc);
    if (hasExistingVpc) {
        const ev = a.existingVpc;
        if (ev === UNKNOWN) c.fail("existingVpc", "must be known at preview: privateSubnetIds decides how many mount targets exist");
        else {
            awsId(c, "existingVpc.vpcId", ev.vpcId, "vpc");
            idList(c, "existingVpc.privateSubnetIds", ev.privateSubnetIds ?? [], "subnet", 2);
            if (known(ev.publicSubnetIds)) idList(c, "existingVpc.publicSubnetIds", ev.publicSubnetIds, "subnet", 0);
        }
    }
    const ec = a.existingCluster;
    if (known(ec)) {
        if (!hasExistingVpc) c.fail("existingCluster", "needs `existingVpc` (the cluster's VPC and node subnets)");
        if (a.cluster !== undefined) c.fail("cluster", "only for a new cluster; remove it with `existingCluster`");
        c.required("existingCluster.name", ec.name, "the cluster name");
        if (c.required("existingCluster.endpoint", ec.endpoint, "the API server endpoint") && known(ec.endpoint) && !/^https:\/\//.test(ec.endpoint)) {
            c.fail("existingCluster.endpoint", `must be an https:// endpoint; got ${JSON.stringify(ec.endpoint)}`);
        }
        c.required("existingCluster.certificateAuthorityData", ec.certificateAuthorityData, "the base64 CA data");
        awsId(c, "existingCluster.nodeSecurityGroupId", ec.nodeSecurityGroupId, "sg");
        eksVersion(c, "existingCluster.version", ec.version);
        arn(c, "existingCluster.oidcProviderArn", ec.oidcProviderArn, "iam", /^oidc-provider\/.+/, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
    } else {
        checkCluster(c, a.cluster);
    }
    iamRole(c, "nodeRoleArn", a.nodeRoleArn);
    checkNodePool(c, "systemNodePool", a.systemNodePool, ["m6i.large"]);
    checkNodePool(c, "streamNodePool", a.streamNodePool, ["m6i.2xlarge"]);
    checkNodePool(c, "kafkaNodePool", a.kafkaNodePool, ["m6i.xlarge"]);
    if (a.kafkaNodePool !== undefined && a.kafkaNodePool !== null && !(known(a.kafka) && a.kafka.mode === "strimzi")) {
        c.fail("kafkaNodePool", "applies only with kafka.mode \"strimzi\" (the brokers' node group)");
    }
    checkKafkaSettings(c, "kafka", a.kafka);
    checkStreamProvisioner(c, a);
    // A new cluster creates its OIDC provider for IRSA; an existing one must name it.
    checkEfs(c, "efs", a.efs, known(ec) ? ec.oidcProviderArn !== undefined : undefined);
    checkOperator(c, "operator", a.operator);
    if (known(a.keda)) {
        if (a.keda.enabled !== undefined && typeof a.keda.enabled !== "boolean") c.fail("keda.enabled", "must be a plain boolean (it decides which resources exist)");
        nested(c, "keda", validateKeda(a.keda));
    }
    if (known(a.prometheus)) {
        c.oneOf("prometheus.mode", a.prometheus.mode, PROMETHEUS_MODES);
        nested(c, "prometheus", validatePrometheusStack({ ...a.prometheus, mode: undefined }));
    }
    checkNetworkPolicies(c, "networkPolicies", a.networkPolicies);
    checkVpcCniForNetworkPolicies(c, a);
    return c.issues;
}

/**
 * The VPC CNI enforces NetworkPolicies from 1.14 (EKS User Guide,
 * cni-network-policy-configure.adoc, prerequisites); an older pinned vpc-cni
 * has no `enableNetworkPolicy` setting and its add-on update would fail.
 */
function checkVpcCniForNetworkPolicies(c: Checker, a: any): void {
    if (known(a.existingCluster) || !known(a.networkPolicies) || a.networkPolicies.enabled !== true) return;
    const pin = known(a.cluster) && known(a.cluster.addonVersions) ? a.cluster.addonVersions.vpcCni : undefined;
    const m = typeof pin === "string" ? /^v(\d+)\.(\d+)\./.exec(pin) : null;
    if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 14))) {
        c.fail("cluster.addonVersions.vpcCni", `networkPolicies.enabled turns on the VPC CNI's network policy enforcement, which needs vpc-cni v1.14.0 or later (EKS User Guide, cni-network-policy-configure); got ${JSON.stringify(pin)}: pin a newer version or remove the pin`);
    }
}

/** With `networkPolicies.enabled` on an existing cluster, whose add-ons the package leaves alone. */
export const EXISTING_EKS_NETWORK_POLICY_WARNING = "networkPolicies.enabled: the package creates the platform's NetworkPolicies but leaves the existing cluster's add-ons alone; "
    + "NetworkPolicies take effect only where the cluster's network plugin enforces them: on EKS, the VPC CNI (v1.14 or later) with enableNetworkPolicy \"true\" in the vpc-cni add-on's configuration values "
    + "(EKS User Guide, cni-network-policy-configure), or another policy engine such as Calico or Cilium; without one they are accepted and ignored";

/**
 * What is allowed but worth a word at preview: each is a sentence the
 * component logs as a warning (pulumi.log.warn), never an error.
 */
export function awsEnvironmentWarnings(a: any): string[] {
    const out: string[] = [];
    const cl = known(a.cluster) ? a.cluster : {};
    for (const [p, v] of [["cluster.version", cl.version], ["existingCluster.version", known(a.existingCluster) ? a.existingCluster.version : undefined]] as const) {
        if (known(v) && typeof v === "string" && newerThanCalendar(v)) {
            out.push(`${p}: EKS ${v} is newer than this package's version table (read on ${EKS_CALENDAR_READ_ON}, newest ${EKS_VERSION_CALENDAR[0].version}); AWS decides whether it exists, and support dates are not checked`);
        }
    }
    const s = known(a.streamNodePool) ? a.streamNodePool : {};
    if (usesKarpenter(a) && known(s.instanceTypes) && Array.isArray(s.instanceTypes) && s.instanceTypes.some((t: unknown) => typeof t === "string" && !ec2InstanceShape(t))
        && !(known(s.karpenter?.nodePool?.limits) && s.karpenter.nodePool.limits.cpu !== undefined)) {
        out.push("streamNodePool.instanceTypes: the package's instance shape table (provider/aws/capacity.ts) does not know every type, so the Karpenter NodePool's cpu and memory limits are not derived; only limits.nodes (maxSize) bounds it; set streamNodePool.karpenter.nodePool.limits to bound cpu and memory");
    }
    if (known(a.existingCluster) && known(a.networkPolicies) && a.networkPolicies.enabled === true) {
        out.push(EXISTING_EKS_NETWORK_POLICY_WARNING);
    }
    if (!known(a.existingCluster)) {
        if (cl.endpointPublicAccess === false) {
            out.push("cluster.endpointPublicAccess: false: the API server is reachable only inside the VPC, so Pulumi (and everything using the kubeconfig) must run there (a VPN, a peered network or a runner in the VPC), or every Kubernetes step of `up` times out");
        } else if (!known(cl.publicAccessCidrs) || (Array.isArray(cl.publicAccessCidrs) && (cl.publicAccessCidrs.length === 0 || cl.publicAccessCidrs.includes("0.0.0.0/0")))) {
            if (cl.publicAccessCidrs !== UNKNOWN) out.push("cluster.publicAccessCidrs: the API server endpoint is open to 0.0.0.0/0; set the CIDRs of the networks that run Pulumi and kubectl");
        }
    }
    return out;
}
