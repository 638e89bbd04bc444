// Validation of GcpEnvironment, GcpNodePool and FilestoreCheckpointStore.
// Pure: resolved inputs in (UNKNOWN for values not known yet), issues out.
import {
    FILESTORE_TIERS, FILESTORE_TIER_NAMES, GCP_DEFAULTS, cidrsOverlap, defaultFilestoreLocation, defaultFilestoreTier,
    BASIC_TIER_FORBIDDEN_CLIENT_RANGE, NAME_SUFFIX, filestoreCapacityIssue, isBasicTier, isCanonical, isGcpLabelKey, isGcpLabelValue, isRegion, isZone, parseCidr, regionOf,
} from "./render";
import { Checker, Issue, UNKNOWN, known, path } from "../core/validate";
import { checkAppDirectories, checkPlatformName, validateKubernetesEnvironment } from "../kubernetes/validate/platform";
import { checkTaints } from "../core/scheduling";

export const GKE_RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE", "EXTENDED"] as const;
export const FILESTORE_CONNECT_MODES = ["DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS"] as const;
export const DISK_TYPES = ["pd-standard", "pd-balanced", "pd-ssd", "pd-extreme", "hyperdisk-balanced"] as const;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_NAME = (max: number) => new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`);
const SHARE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]+$/;
const KMS_KEY = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

const is = (v: unknown): boolean => v !== undefined && v !== null;

function gcpName(c: Checker, p: string, v: unknown, max: number): void {
    if (!known(v)) return;
    if (typeof v !== "string" || !GCP_NAME(max).test(v)) {
        c.fail(p, `must be lower-case letters, digits and "-", starting with a letter, at most ${max} characters; got ${JSON.stringify(v)}`);
    }
}

/** A zone or region; returns it when known and well-formed. */
function checkLocation(c: Checker, p: string, v: unknown): string | undefined {
    if (!known(v)) return undefined;
    if (typeof v === "string" && (isZone(v) || isRegion(v))) return v;
    c.fail(p, `must be a zone such as "us-central1-a" or a region such as "us-central1"; got ${JSON.stringify(v)}`);
    return undefined;
}

/** A CIDR; returns it when known and well-formed. */
function checkCidr(c: Checker, p: string, v: unknown, prefix?: number): string | undefined {
    if (!known(v)) return undefined;
    const parsed = typeof v === "string" ? parseCidr(v) : undefined;
    if (!parsed) { c.fail(p, `must be an IPv4 CIDR such as "10.0.0.0/20"; got ${JSON.stringify(v)}`); return undefined; }
    if (!isCanonical(parsed)) { c.fail(p, `must be a network address (no host bits set) for /${parsed.prefix}; got ${JSON.stringify(v)}`); return undefined; }
    if (prefix !== undefined && parsed.prefix !== prefix) { c.fail(p, `must be a /${prefix} range; got ${JSON.stringify(v)}`); return undefined; }
    return v as string;
}

/** GCP labels: keys start with a lower-case letter; keys and values lower-case letters, digits, "_", "-", at most 63. */
export function checkGcpLabels(c: Checker, p: string, labels: unknown): void {
    if (!known(labels)) return;
    const entries = Object.entries(labels as Record<string, unknown>);
    if (entries.length > 63) c.fail(p, `must have at most 63 labels (GCP allows 64, one is volley-io-environment); got ${entries.length}`);
    for (const [k, v] of entries) {
        if (!isGcpLabelKey(k)) c.fail(path(p, k), `must be a GCP label key: a lower-case letter, then lower-case letters, digits, "_" or "-", at most 63 characters; got ${JSON.stringify(k)}`);
        else if (known(v) && (typeof v !== "string" || !isGcpLabelValue(v))) c.fail(path(p, k), `must be a GCP label value: lower-case letters, digits, "_" or "-", at most 63 characters; got ${JSON.stringify(v)}`);
    }
}

/** Node pool shape; `region` (when known) bounds the node locations. */
export function checkNodePool(c: Checker, p: string, a: any, region: string | undefined): void {
    if (!known(a)) return;
    gcpName(c, path(p, "poolName"), a.poolName, 40);
    if (known(a.machineType) && (typeof a.machineType !== "string" || !MACHINE_TYPE.test(a.machineType))) {
        c.fail(path(p, "machineType"), `must be a Compute Engine machine type such as "e2-standard-4"; got ${JSON.stringify(a.machineType)}`);
    }
    c.integer(path(p, "diskSizeGb"), a.diskSizeGb, 10, 65536);
    c.oneOf(path(p, "diskType"), a.diskType, DISK_TYPES);
    if (known(a.nodeLocations)) {
        (a.nodeLocations as unknown[]).forEach((z, i) => {
            if (!known(z)) return;
            if (typeof z !== "string" || !isZone(z)) c.fail(path(p, "nodeLocations", i), `must be a zone such as "us-central1-a"; got ${JSON.stringify(z)}`);
            else if (region && regionOf(z) !== region) c.fail(path(p, "nodeLocations", i), `must be a zone of the cluster's region ${region}; got ${JSON.stringify(z)}`);
        });
    }
    const s = a.autoscaling;
    if (known(s)) {
        const minOk = c.integer(path(p, "autoscaling.minNodes"), s.minNodes, 0, 1000);
        const maxOk = c.integer(path(p, "autoscaling.maxNodes"), s.maxNodes, 1, 1000);
        if (minOk && maxOk && known(s.minNodes) && known(s.maxNodes) && s.minNodes > s.maxNodes) {
            c.fail(path(p, "autoscaling.minNodes"), `must be <= autoscaling.maxNodes (${s.maxNodes}); got ${s.minNodes}`);
        }
    }
    c.labels(path(p, "nodeLabels"), a.nodeLabels);
    checkTaints(c, path(p, "taints"), a.taints);
}

/** Filestore options; `clusterLocation` gives the default tier and location. */
export function checkFilestore(c: Checker, p: string, a: any, clusterLocation: string | undefined, locationRequired: boolean): void {
    if (!known(a)) return;
    gcpName(c, path(p, "instanceName"), a.instanceName, 63);
    c.oneOf(path(p, "tier"), a.tier, FILESTORE_TIER_NAMES);
    const tier: string | undefined = is(a.tier) ? (known(a.tier) && FILESTORE_TIERS[a.tier] ? a.tier : undefined)
        : (clusterLocation ? defaultFilestoreTier(clusterLocation) : undefined);
    if (!is(a.tier) && clusterLocation && !tier) {
        c.fail(path(p, "tier"), `required next to a regional cluster (${clusterLocation}): ZONAL and REGIONAL Filestore quota starts at 0 in a new project ` +
            `(request an increase first), BASIC_HDD has quota but lives in one zone; e.g. tier "BASIC_HDD" with location "${clusterLocation}-b", or tier "REGIONAL" once the quota is granted`);
    }
    const capacity = is(a.capacityGib) ? a.capacityGib : GCP_DEFAULTS.capacityGib;
    if (tier && known(capacity)) {
        const issue = filestoreCapacityIssue(tier, capacity);
        if (issue) c.fail(path(p, "capacityGib"), issue);
    }
    if (known(a.shareName) && (typeof a.shareName !== "string" || !SHARE_NAME.test(a.shareName))) {
        c.fail(path(p, "shareName"), `must be 1-16 letters, digits or "_", starting with a letter; got ${JSON.stringify(a.shareName)}`);
    }
    c.oneOf(path(p, "connectMode"), a.connectMode, FILESTORE_CONNECT_MODES);
    const rule = tier ? FILESTORE_TIERS[tier] : undefined;
    if (known(a.reservedIpRange) && (a.connectMode ?? GCP_DEFAULTS.connectMode) === "DIRECT_PEERING") {
        checkCidr(c, path(p, "reservedIpRange"), a.reservedIpRange, rule?.reservedPrefix);
    }
    if (known(a.kmsKeyName)) {
        if (typeof a.kmsKeyName !== "string" || !KMS_KEY.test(a.kmsKeyName)) c.fail(path(p, "kmsKeyName"), `must be projects/P/locations/L/keyRings/R/cryptoKeys/K; got ${JSON.stringify(a.kmsKeyName)}`);
        else if (rule && !rule.cmek) c.fail(path(p, "kmsKeyName"), `customer-managed keys need tier ZONAL, REGIONAL or ENTERPRISE; tier is ${tier}`);
    }
    c.quantity(path(p, "defaultClaimSize"), a.defaultClaimSize);
    if (known(a.allowedIpRanges)) {
        const list = a.allowedIpRanges as unknown[];
        if (list.length > 64) c.fail(path(p, "allowedIpRanges"), `must have at most 64 ranges (Filestore's limit per share); got ${list.length}`);
        list.forEach((r, i) => checkCidr(c, path(p, "allowedIpRanges", i), r));
    }
    checkAppDirectories(c, p, a);
    for (const k of ["retainOnDelete", "grantKeyAccess", "enabled"]) {
        if (a[k] !== undefined && typeof a[k] !== "boolean") c.fail(path(p, k), "must be a plain boolean (it decides which resources exist)");
    }
    // Location against the tier's scope.
    const loc = checkLocation(c, path(p, "location"), a.location);
    if (!rule) return;
    const where = rule.scope === "zone" ? "a zone such as \"us-central1-a\"" : "a region such as \"us-central1\"";
    if (loc) {
        if ((rule.scope === "zone") !== isZone(loc)) c.fail(path(p, "location"), `tier ${tier} lives in ${where}; got ${JSON.stringify(loc)}`);
        else if (clusterLocation && regionOf(loc) !== regionOf(clusterLocation)) c.fail(path(p, "location"), `must be in the cluster's region ${regionOf(clusterLocation)}; got ${JSON.stringify(loc)}`);
    } else if (!is(a.location) && (locationRequired || (clusterLocation && !defaultFilestoreLocation(tier!, clusterLocation)))) {
        c.fail(path(p, "location"), `required: tier ${tier} lives in ${where}${clusterLocation ? ` of ${regionOf(clusterLocation)} (the cluster is regional)` : ""}`);
    }
}

export function validateFilestoreCheckpointStore(a: any): Issue[] {
    const c = new Checker();
    c.required("project", a.project, "the GCP project ID");
    c.required("network", a.network, "the cluster's VPC network");
    c.required("location", a.location, "a zone or region");
    const clusterLocation = known(a.clusterLocation) ? checkLocation(c, "clusterLocation", a.clusterLocation) : (known(a.location) ? a.location : undefined);
    checkFilestore(c, "", a, clusterLocation && (isZone(clusterLocation) || isRegion(clusterLocation)) ? clusterLocation : undefined, true);
    checkGcpLabels(c, "labels", a.labels);
    return c.issues;
}

export function validateGcpNodePool(a: any): Issue[] {
    const c = new Checker();
    c.required("cluster", a.cluster, "the GKE cluster name");
    c.required("location", a.location, "the cluster's zone or region");
    const loc = checkLocation(c, "location", a.location);
    checkNodePool(c, "", a, loc ? regionOf(loc) : undefined);
    checkGcpLabels(c, "labels", a.labels);
    return c.issues;
}

function checkNetwork(c: Checker, a: any): Record<string, string> {
    const ranges: Record<string, string> = {};
    const n = known(a.network) ? a.network : {};
    for (const [key, dflt] of [["nodeCidr", GCP_DEFAULTS.nodeCidr], ["podsCidr", GCP_DEFAULTS.podsCidr], ["servicesCidr", GCP_DEFAULTS.servicesCidr]] as const) {
        const v = is(n[key]) ? checkCidr(c, path("network", key), n[key]) : dflt;
        if (v) ranges[path("network", key)] = v;
    }
    return ranges;
}

/** Every pair of ranges that overlap is an issue on the later one. */
function checkOverlaps(c: Checker, ranges: Record<string, string>): void {
    const keys = Object.keys(ranges);
    keys.forEach((k, i) => keys.slice(0, i).forEach((earlier) => {
        if (cidrsOverlap(ranges[k], ranges[earlier])) c.fail(k, `${ranges[k]} overlaps ${earlier} (${ranges[earlier]}); node, pod, service, control plane and Filestore ranges must be disjoint`);
    }));
}

/** An adopted Filestore instance: its name, a location in the cluster's region, and no settings of a new instance. */
function checkExistingFilestore(c: Checker, ck: any, clusterLocation: string | undefined): void {
    const e = ck.existingInstance;
    if (!known(e)) return;
    if (c.required("checkpoints.existingInstance.name", e.name, "the name of the existing Filestore instance")) gcpName(c, "checkpoints.existingInstance.name", e.name, 63);
    const loc = checkLocation(c, "checkpoints.existingInstance.location", e.location);
    if (loc && clusterLocation && regionOf(loc) !== regionOf(clusterLocation)) {
        c.fail("checkpoints.existingInstance.location", `must be in the cluster's region ${regionOf(clusterLocation)}; got ${JSON.stringify(loc)}`);
    }
    for (const k of ["instanceName", "tier", "capacityGib", "shareName", "connectMode", "reservedIpRange", "kmsKeyName", "location", "allowedIpRanges"]) {
        if (is(ck[k])) c.fail(path("checkpoints", k), "must be omitted with existingInstance (it applies to a new instance)");
    }
    c.quantity("checkpoints.defaultClaimSize", ck.defaultClaimSize);
    checkAppDirectories(c, "checkpoints", ck);
}

/** Basic tiers serve no client in 172.17.0.0/16: the node range (where mounts come from) must stay out of it. */
function checkBasicTierClients(c: Checker, a: any, location: string | undefined, ranges: Record<string, string>): void {
    const ck = a.checkpoints === undefined || a.checkpoints === null ? {} : (known(a.checkpoints) ? a.checkpoints : undefined);
    if (!ck || ck.enabled === false || is(ck.existingInstance)) return;
    const tier = is(ck.tier) ? ck.tier : (location ? defaultFilestoreTier(location) : undefined);
    const nodes = ranges["network.nodeCidr"];
    if (typeof tier === "string" && isBasicTier(tier) && nodes && cidrsOverlap(nodes, BASIC_TIER_FORBIDDEN_CLIENT_RANGE)) {
        c.fail("network.nodeCidr", `${nodes} overlaps ${BASIC_TIER_FORBIDDEN_CLIENT_RANGE}, whose clients Filestore's ${tier} tier cannot serve; choose another node range or a ZONAL, REGIONAL or ENTERPRISE tier`);
    }
}

export function validateGcpEnvironment(a: any, name?: string): Issue[] {
    const c = new Checker();
    checkPlatformName(c, "GcpEnvironment", a, name);
    if (c.required("project", a.project, "the GCP project ID") && known(a.project) && !PROJECT_ID.test(a.project)) {
        c.fail("project", `must be a project ID (6-30 lower-case letters, digits, "-"); got ${JSON.stringify(a.project)}`);
    }
    c.required("location", a.location, "a zone (zonal cluster) or region (regional cluster)");
    const location = checkLocation(c, "location", a.location);
    const region = location ? regionOf(location) : undefined;
    const existingCluster = is(a.existingCluster), existingNetwork = is(a.existingNetwork);

    if (existingCluster) {
        for (const k of ["existingNetwork", "network", "cluster"]) {
            if (is(a[k])) c.fail(k, "must be omitted with existingCluster (the cluster's own network and settings are used)");
        }
        if (known(a.existingCluster)) c.required("existingCluster.name", a.existingCluster.name, "the name of the existing GKE cluster");
    } else if (existingNetwork) {
        if (is(a.network)) c.fail("network", "must be omitted with existingNetwork (address ranges apply to a new network)");
        if (known(a.existingNetwork)) {
            c.required("existingNetwork.network", a.existingNetwork.network, "the network name or ID");
            c.required("existingNetwork.subnetwork", a.existingNetwork.subnetwork, "the subnetwork name or ID in the cluster's region");
        }
    }
    const ranges = !existingCluster && !existingNetwork ? checkNetwork(c, a) : {};
    if (known(a.network) && is(a.network.existingNetworkName)) {
        if (a.network.existingNetworkName === UNKNOWN) c.fail("network.existingNetworkName", "must be known at preview (it decides whether a network is created)");
        else gcpName(c, "network.existingNetworkName", a.network.existingNetworkName, 63);
    }

    const cl = known(a.cluster) ? a.cluster : {};
    if (!existingCluster) {
        gcpName(c, "cluster.name", cl.name, 40);
        c.oneOf("cluster.releaseChannel", cl.releaseChannel, GKE_RELEASE_CHANNELS);
        if (cl.privateNodes !== undefined && typeof cl.privateNodes !== "boolean") c.fail("cluster.privateNodes", "must be a plain boolean (it decides which resources exist)");
        if (cl.privateNodes ?? true) {
            const m = is(cl.masterCidr) ? checkCidr(c, "cluster.masterCidr", cl.masterCidr, 28) : GCP_DEFAULTS.masterCidr;
            if (m) ranges["cluster.masterCidr"] = m;
        } else if (is(cl.masterCidr)) {
            c.fail("cluster.masterCidr", "applies only with privateNodes true");
        }
        if (known(cl.authorizedNetworks)) {
            (cl.authorizedNetworks as any[]).forEach((n, i) => known(n) && checkCidr(c, path("cluster.authorizedNetworks", i, "cidrBlock"), n.cidrBlock ?? ""));
        }
    }

    checkNodePool(c, "systemNodePool", a.systemNodePool, region);
    // The platform (operator, KEDA, Prometheus) runs on the system pool: it keeps a floor; the stream pool may idle at zero.
    const sys = known(a.systemNodePool) ? a.systemNodePool.autoscaling : undefined;
    if (known(sys) && known(sys.minNodes) && sys.minNodes === 0) c.fail("systemNodePool.autoscaling.minNodes", "must be at least 1: the operator, KEDA and Prometheus run on the system pool (only the stream pool scales from zero)");
    checkNodePool(c, "streamNodePool", a.streamNodePool, region);
    checkNodePool(c, "kafkaNodePool", a.kafkaNodePool, region);
    if (is(a.kafkaNodePool) && !(known(a.kafka) && a.kafka.mode === "strimzi")) c.fail("kafkaNodePool", "applies only with kafka.mode \"strimzi\" (the brokers' pool)");
    const ck = a.checkpoints;
    if (known(ck) && ck.enabled !== false && is(ck.existingInstance)) {
        checkExistingFilestore(c, ck, location);
    } else if (known(ck) && ck.enabled !== false) {
        checkFilestore(c, "checkpoints", ck, location, false);
        if (known(ck.reservedIpRange) && parseCidr(ck.reservedIpRange)) ranges["checkpoints.reservedIpRange"] = ck.reservedIpRange;
    } else if (!is(ck) && location && a.checkpoints !== UNKNOWN) {
        checkFilestore(c, "checkpoints", {}, location, false);
    }
    checkOverlaps(c, ranges);
    checkBasicTierClients(c, a, location, ranges);
    checkGcpLabels(c, "labels", a.labels);
    if (is(a.nameSuffix) && (typeof a.nameSuffix !== "string" || !NAME_SUFFIX.test(a.nameSuffix))) {
        c.fail("nameSuffix", `must be a plain string of at most 8 lower-case letters and digits, or "" for no suffix; got ${a.nameSuffix === UNKNOWN ? "a value not known at preview" : JSON.stringify(a.nameSuffix)}`);
    }
    if (a.enableApis !== undefined && typeof a.enableApis !== "boolean") c.fail("enableApis", "must be a plain boolean (it decides which resources exist)");
    if (known(a.kubeconfigUseApplicationDefaultCredentials) && typeof a.kubeconfigUseApplicationDefaultCredentials !== "boolean") {
        c.fail("kubeconfigUseApplicationDefaultCredentials", `must be a boolean; got ${JSON.stringify(a.kubeconfigUseApplicationDefaultCredentials)}`);
    }
    if (known(a.deleteUnreachable) && is(a.deleteUnreachable) && typeof a.deleteUnreachable !== "boolean") c.fail("deleteUnreachable", `must be a boolean; got ${JSON.stringify(a.deleteUnreachable)}`);
    // Operator, KEDA, Prometheus and Kafka: the same rules (and paths) as KubernetesEnvironment.
    c.issues.push(...validateKubernetesEnvironment({ operator: a.operator, keda: a.keda, prometheus: a.prometheus, kafka: a.kafka, networkPolicies: a.networkPolicies }));
    return c.issues;
}

/**
 * With `networkPolicies.enabled`: whether anything enforces the policies. The
 * cluster the package creates has neither GKE network policy enforcement nor
 * Dataplane V2, and the package never turns either on: Dataplane V2 is chosen
 * when a cluster is created, and enabling enforcement on a cluster recreates
 * its node pools (https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy,
 * https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2).
 * An existing cluster's setting is its owner's. Pure; undefined when off.
 */
export function gkeNetworkPolicyWarning(a: any): string | undefined {
    if (!known(a.networkPolicies) || a.networkPolicies.enabled !== true) return undefined;
    if (is(a.existingCluster)) {
        return "networkPolicies.enabled: the package creates the platform's NetworkPolicies but does not check or change the existing GKE cluster's network settings; "
            + "they take effect only if the cluster enforces them (GKE network policy enforcement, or GKE Dataplane V2), otherwise they are accepted and ignored";
    }
    return "networkPolicies.enabled: the GKE cluster this environment creates has neither network policy enforcement nor GKE Dataplane V2, so the platform's NetworkPolicies are created but not enforced (no isolation). "
        + "The package does not change the cluster's network settings (Dataplane V2 is chosen at cluster creation; turning enforcement on recreates the node pools). "
        + "To enforce them, run the environment on a cluster with network policy enforcement or Dataplane V2, e.g. one created with Dataplane V2 and passed as existingCluster";
}

/**
 * What preview warns about without refusing (pure; GcpEnvironment logs each
 * with pulumi.log.warn). On a network the environment did not create it does
 * not know the node range, so a new Filestore instance keeps Filestore's
 * default export: every internal address of the VPC, root not squashed
 * (https://cloud.google.com/filestore/docs/access-control).
 */
export function gcpEnvironmentWarnings(a: any): string[] {
    const w: string[] = [];
    const np = gkeNetworkPolicyWarning(a);
    if (np) w.push(np);
    const ck = known(a.checkpoints) ? a.checkpoints : {};
    if (a.checkpoints === UNKNOWN || ck.enabled === false || is(ck.existingInstance)) return w;
    const given = is(a.existingCluster) ? "existingCluster" : is(a.existingNetwork) ? "existingNetwork" : undefined;
    if (given && !is(ck.allowedIpRanges)) {
        w.push(`checkpoints.allowedIpRanges: with ${given} the environment does not know the node range, so the Filestore share is exported read-write, ` +
            "without root squash, to every internal address of the VPC (Filestore's default): any VM or pod address there can mount it and read or rewrite " +
            "every application's checkpoints. Set checkpoints.allowedIpRanges to the nodes' subnetwork range (an in-place update of the export)");
    }
    return w;
}
