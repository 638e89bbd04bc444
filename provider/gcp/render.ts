// Pure GCP rendering: names, labels, CIDR arithmetic, the Filestore tier rules,
// taint mapping, the Filestore CSI volume handle and the GKE kubeconfig.
// Nothing here touches @pulumi/gcp, so it is tested as data.
import { stableSuffix } from "../core/names";
import { APP_DIRECTORY_DEFAULTS } from "../kubernetes/render/checkpoints";
import { CheckpointBackend } from "../core/types";

/**
 * Roles of the dedicated node service account: what a GKE node needs, nothing more.
 * `container.defaultNodeServiceAccount` is GKE's minimal node role (logging, monitoring,
 * metadata) and replaces the four roles it bundles; pulling images needs Artifact Registry.
 */
export const NODE_SERVICE_ACCOUNT_ROLES = [
    "roles/container.defaultNodeServiceAccount",
    "roles/artifactregistry.reader",
] as const;

/** `1.33.4-gke.1172000` -> [1, 33, 4, 1172000]; as many numbers as the version gives; undefined when not a version. */
export function parseGkeVersion(v: string): number[] | undefined {
    const m = /^(\d+)\.(\d+)(?:\.(\d+)(?:-gke\.(\d+))?)?$/.exec(v);
    return m ? m.slice(1).filter((x) => x !== undefined).map(Number) : undefined;
}

/**
 * Whether `version` is surely below `min`: compared over the parts it gives, so
 * "1.33" (any 1.33 patch, the channel picks) is not below "1.33.4-gke.1172000".
 */
export function gkeVersionBelow(version: string, min: string): boolean {
    const v = parseGkeVersion(version), m = parseGkeVersion(min);
    if (!v || !m) return false;
    for (let i = 0; i < v.length; i++) {
        if (v[i] !== m[i]) return v[i] < m[i];
    }
    return false;
}

/** Google APIs an environment calls, by short name (used in child names). */
export const GCP_APIS = {
    compute: "compute.googleapis.com",
    container: "container.googleapis.com",
    file: "file.googleapis.com",
    iam: "iam.googleapis.com",
    cloudresourcemanager: "cloudresourcemanager.googleapis.com",
} as const;
export type GcpApi = keyof typeof GCP_APIS;

/** The APIs a GcpEnvironment enables: Filestore's only when it creates an instance. */
export function requiredApis(filestore: boolean): GcpApi[] {
    return (Object.keys(GCP_APIS) as GcpApi[]).filter((a) => filestore || a !== "file");
}

/**
 * The checkpoint backend of a Filestore share: plain NFS (a share is an NFSv3 export), so each
 * application's static volume can mount its own directory; a CSI static volume mounts only the share root.
 */
export function filestoreBackend(ip: string, share: string, o: { size?: string; uid?: number; gid?: number; image?: string }): CheckpointBackend {
    return {
        kind: "Nfs",
        nfsServer: ip,
        nfsPath: `/${share}`,
        mountOptions: ["nfsvers=3"],
        uid: o.uid ?? APP_DIRECTORY_DEFAULTS.uid,
        gid: o.gid ?? APP_DIRECTORY_DEFAULTS.gid,
        directoryImage: o.image ?? APP_DIRECTORY_DEFAULTS.image,
        defaultSize: o.size ?? GCP_DEFAULTS.claimSize,
    };
}

export const FILESTORE_CSI_DRIVER = "filestore.csi.storage.gke.io";
export const ENVIRONMENT_LABEL = "volley-io-environment";
/** Node label GKE puts on every node of a pool. */
export const GKE_POOL_LABEL = "cloud.google.com/gke-nodepool";
export const SYSTEM_POOL_LABELS = { "volley.io/pool": "system" };

export const GCP_DEFAULTS = {
    nodeCidr: "10.0.0.0/20",
    podsCidr: "10.16.0.0/14",
    servicesCidr: "10.20.0.0/20",
    masterCidr: "172.16.0.0/28",
    podsRangeName: "pods",
    servicesRangeName: "services",
    releaseChannel: "REGULAR",
    systemMachineType: "e2-standard-4",
    streamMachineType: "n2-standard-8",
    diskSizeGb: 100,
    diskType: "pd-balanced",
    minNodes: 1,
    // The stream pool idles at zero: the autoscaler adds nodes when applications ask for them.
    streamMinNodes: 0,
    systemMaxNodes: 3,
    streamMaxNodes: 10,
    capacityGib: 1024,
    shareName: "checkpoints",
    connectMode: "DIRECT_PEERING",
    claimSize: "50Gi",
};

// ---- locations ----------------------------------------------------------

const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
export const isRegion = (l: string): boolean => REGION.test(l);
export const isZone = (l: string): boolean => ZONE.test(l);
/** `us-central1-a` -> `us-central1`; a region is its own region. */
export const regionOf = (l: string): string => (isZone(l) ? l.replace(/-[a-z]$/, "") : l);

// ---- names and labels ----------------------------------------------------

/** A GCP resource name from any string: lower-case letters, digits and "-", starting with a letter, at most `max` characters. */
export function gcpName(base: string, max = 63): string {
    let s = base.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-+/, "");
    if (!/^[a-z]/.test(s)) s = `v-${s}`;
    return s.slice(0, max).replace(/-+$/, "") || "volley";
}

/** Longest name GCP accepts for each kind of name the package derives. */
export const GCP_NAME_LIMITS = {
    cluster: 40, network: 63, subnetwork: 63, router: 63, nat: 63, firewall: 63, nodeTag: 63, serviceAccountId: 30, filestore: 63,
} as const;
/** Service account IDs are at least 6 characters. */
export const SERVICE_ACCOUNT_ID_MIN = 6;
/** A name suffix: lower-case letters and digits, at most 8, or empty for none. */
export const NAME_SUFFIX = /^[a-z0-9]{0,8}$/;

/**
 * 6 hex characters of sha256("<pulumi project>/<stack>/<component>"): the same
 * in every preview of a stack, different between stacks (GCP names are unique per project).
 */
export function stackSuffix(project: string, stack: string, component: string): string {
    return stableSuffix([project, stack, component], 6);
}

/** `-<suffix>`, or nothing for an empty suffix. */
const tail = (suffix: string): string => (suffix ? `-${suffix}` : "");

/** Service account ID `<name>-<suffix>-nodes`, within 6-30 characters. */
export function nodeServiceAccountId(name: string, suffix = ""): string {
    return `${gcpName(name, 24 - tail(suffix).length)}${tail(suffix)}-nodes`;
}

/**
 * Names of the environment's GCP resources, derived once from the component
 * name and a per-stack suffix; each fits GCP_NAME_LIMITS by construction. An
 * empty suffix gives the names of earlier versions.
 */
export function gcpResourceNames(envName: string, suffix = "") {
    const base = `${gcpName(envName, 30)}${tail(suffix)}`;
    return {
        cluster: `${gcpName(envName, GCP_NAME_LIMITS.cluster - tail(suffix).length)}${tail(suffix)}`,
        network: base,
        subnetwork: base,
        router: `${base}-router`,
        nat: `${base}-nat`,
        firewall: `${base}-gke-webhooks`,
        nodeTag: `${base}-volley-node`,
        serviceAccountId: nodeServiceAccountId(envName, suffix),
        filestore: `${gcpName(envName, 30)}-ckpt${tail(suffix)}`,
        nfsLockFirewall: `${base}-filestore-nlm`,
    };
}

/** Default Filestore instance name of a FilestoreCheckpointStore: the component name and the stack suffix. */
export function filestoreInstanceName(name: string, suffix = ""): string {
    return `${gcpName(name, GCP_NAME_LIMITS.filestore - tail(suffix).length)}${tail(suffix)}`;
}

const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
export const isGcpLabelKey = (k: string): boolean => GCP_LABEL_KEY.test(k);
export const isGcpLabelValue = (v: string): boolean => GCP_LABEL_VALUE.test(v);

/** A label value GCP accepts, from any string. */
export function gcpLabelValue(v: string): string {
    return v.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
}

/** `volley-io-environment=<name>` plus the user's labels (which win), for every labellable resource. */
export function gcpLabels(envName: string, user: Record<string, string> | undefined): Record<string, string> {
    return { [ENVIRONMENT_LABEL]: gcpLabelValue(envName), ...(user ?? {}) };
}

// ---- CIDRs ---------------------------------------------------------------

// One parser for every cloud (core/cidr.ts); re-exported for the GCP checks.
export { Cidr, cidrsOverlap, isCanonical, parseCidr } from "../core/cidr";

// ---- Filestore -----------------------------------------------------------

export interface CapacityRange { min: number; max: number; step?: number; }
export interface TierRule {
    /** Whether the instance lives in a zone or a region. */
    scope: "zone" | "region";
    /** Allowed capacities in GiB. */
    ranges: CapacityRange[];
    /** Customer-managed encryption keys are supported. */
    cmek: boolean;
    /** Prefix length of a DIRECT_PEERING reserved IP range. */
    reservedPrefix: number;
}

const ZONAL_RANGES: CapacityRange[] = [{ min: 1024, max: 9984, step: 256 }, { min: 10240, max: 102400, step: 2560 }];

/** Filestore service tiers (see ../shared/reference/cloud-facts.md). Tier cannot change after creation. */
export const FILESTORE_TIERS: Record<string, TierRule> = {
    BASIC_HDD: { scope: "zone", ranges: [{ min: 1024, max: 65433 }], cmek: false, reservedPrefix: 29 },
    BASIC_SSD: { scope: "zone", ranges: [{ min: 2560, max: 65433 }], cmek: false, reservedPrefix: 29 },
    ZONAL: { scope: "zone", ranges: ZONAL_RANGES, cmek: true, reservedPrefix: 26 },
    REGIONAL: { scope: "region", ranges: ZONAL_RANGES, cmek: true, reservedPrefix: 26 },
    // https://cloud.google.com/filestore/docs/service-tiers: "Enterprise 1 TiB to 10 TiB Up or down in 256 GiB units".
    ENTERPRISE: { scope: "region", ranges: [{ min: 1024, max: 10240, step: 256 }], cmek: true, reservedPrefix: 26 },
};
export const FILESTORE_TIER_NAMES = Object.keys(FILESTORE_TIERS);

function describeRange(r: CapacityRange): string {
    return `${r.min}-${r.max} GiB${r.step ? ` in ${r.step} GiB steps` : ""}`;
}

/** Why `gib` is not a valid capacity for `tier`, or undefined when it is. */
export function filestoreCapacityIssue(tier: string, gib: number): string | undefined {
    const rule = FILESTORE_TIERS[tier];
    if (!rule) return `unknown tier ${JSON.stringify(tier)}; must be one of ${FILESTORE_TIER_NAMES.join(", ")}`;
    const fits = rule.ranges.some((r) => Number.isInteger(gib) && gib >= r.min && gib <= r.max && (!r.step || (gib - r.min) % r.step === 0));
    return fits ? undefined : `${tier} capacity must be ${rule.ranges.map(describeRange).join(", or ")}; got ${JSON.stringify(gib)}`;
}

/**
 * Default tier: BASIC_HDD next to a zonal cluster. A regional cluster has no
 * default: ZONAL and REGIONAL quota starts at 0 in a new project
 * (https://cloud.google.com/filestore/docs/creating-instances), and a basic
 * instance needs a zone the user picks, so validation asks for the tier.
 */
export const defaultFilestoreTier = (clusterLocation: string): string | undefined => (isZone(clusterLocation) ? "BASIC_HDD" : undefined);

/** Basic-tier clients cannot be in 172.17.0.0/16 (https://cloud.google.com/filestore/docs/network-ip-requirements). */
export const BASIC_TIER_FORBIDDEN_CLIENT_RANGE = "172.17.0.0/16";
export const isBasicTier = (tier: string): boolean => tier === "BASIC_HDD" || tier === "BASIC_SSD";

/**
 * Who may mount the share: the node range only, read-write, without root
 * squash (the Job that creates each application's directory runs as root and
 * chowns it). Filestore's default is every internal address of the VPC
 * (https://cloud.google.com/filestore/docs/access-control); mounts are made by
 * the kubelet on the node, so the node range is every legitimate client.
 * `undefined` (no ranges known) keeps Filestore's default.
 */
export function filestoreExportOptions(ipRanges: string[] | undefined) {
    return ipRanges && ipRanges.length ? [{ ipRanges, accessMode: "READ_WRITE", squashMode: "NO_ROOT_SQUASH" }] : undefined;
}

/**
 * NFSv3 locking (NLM) has the server call the client back: ingress from the
 * instance's reserved range to the nodes on the ports Filestore's firewall page
 * gives (https://cloud.google.com/filestore/docs/configuring-firewall: portmapper
 * 111, statd 2046, nlockmgr 4045, TCP and UDP), needed on networks that are not
 * the default one.
 */
export const NFS_LOCK_CALLBACK_PORTS = ["111", "2046", "4045"];

/**
 * Why an adopted instance cannot serve the directory Job, or undefined: a
 * ROOT_SQUASH export makes the Job's chown fail (EPERM), which would show only
 * after the Job's 10-minute wait.
 */
export function existingInstanceIssue(name: string, exportOptions: { squashMode?: string }[] | undefined): string | undefined {
    const squash = (exportOptions ?? []).find((o) => o.squashMode === "ROOT_SQUASH");
    return squash
        ? `checkpoints.existingInstance ${name}: its export squashes root (ROOT_SQUASH), so the Job that creates each application's directory cannot chown it; ` +
          "add an export option with NO_ROOT_SQUASH for the node range, or use another instance"
        : undefined;
}

/**
 * The AKS-style rule for GKE: the name of a pool whose name the user did not
 * pin is `base` while its create-only fields (spot; a service account given to
 * a standalone pool) have their defaults, the name earlier versions used; else
 * `base-<6 hex of those fields>`. spot, serviceAccount, oauthScopes and
 * shieldedInstanceConfig force a new pool (terraform-provider-google
 * node_config.go: ForceNew), and Pulumi creates the replacement before it deletes
 * the old one (pulumi/pulumi#1620): a new name avoids the 409.
 */
export function gkePoolName(base: string, createOnly: { spot?: boolean; serviceAccount?: string }): string {
    const now = { spot: createOnly.spot ?? false, serviceAccount: createOnly.serviceAccount ?? null };
    if (!now.spot && now.serviceAccount === null) return base;
    return `${base.slice(0, 40 - 7).replace(/-+$/, "")}-${stableSuffix([JSON.stringify(now)], 6)}`;
}

/** Default Filestore location: the cluster's zone or region when it fits the tier's scope, else undefined. */
export function defaultFilestoreLocation(tier: string, clusterLocation: string): string | undefined {
    const scope = FILESTORE_TIERS[tier]?.scope;
    if (scope === "region") return regionOf(clusterLocation);
    return isZone(clusterLocation) ? clusterLocation : undefined;
}

/** Volume handle of a static Filestore CSI volume. */
export function filestoreVolumeHandle(location: string, instance: string, share: string): string {
    return `modeInstance/${location}/${instance}/${share}`;
}

// ---- GKE -----------------------------------------------------------------

/** Kubernetes taint effect -> GKE node pool enum. */
export const GKE_TAINT_EFFECTS: Record<string, string> = {
    NoSchedule: "NO_SCHEDULE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
};

export function gkeTaints(taints: { key: string; value?: string; effect: string }[]): { key: string; value: string; effect: string }[] {
    return taints.map((t) => {
        const effect = GKE_TAINT_EFFECTS[t.effect];
        if (!effect) throw new Error(`taint ${t.key}: effect must be one of ${Object.keys(GKE_TAINT_EFFECTS).join(", ")}; got ${JSON.stringify(t.effect)}`);
        return { key: t.key, value: t.value ?? "", effect };
    });
}

/** Node pool autoscaling: per zone (min/maxNodeCount) or across zones (totalMin/MaxNodeCount). */
export function gkeAutoscaling(a: { minNodes?: number; maxNodes?: number; total?: boolean }, defaults: { min: number; max: number }) {
    const min = a.minNodes ?? defaults.min, max = a.maxNodes ?? defaults.max;
    return a.total
        ? { totalMinNodeCount: min, totalMaxNodeCount: max, locationPolicy: "BALANCED" }
        : { minNodeCount: min, maxNodeCount: max, locationPolicy: "BALANCED" };
}

export interface KubeconfigInput {
    project: string; location: string; cluster: string; endpoint: string; caCertificate: string;
    /** The plugin uses application-default credentials instead of gcloud's login (CI without gcloud auth). */
    applicationDefaultCredentials?: boolean;
}

/** Kubeconfig for a GKE cluster that authenticates with gke-gcloud-auth-plugin (no credentials inside). */
export function gkeKubeconfig(k: KubeconfigInput): string {
    const ctx = `gke_${k.project}_${k.location}_${k.cluster}`;
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: ${ctx}`,
        "  cluster:",
        `    certificate-authority-data: ${k.caCertificate}`,
        `    server: https://${k.endpoint}`,
        "contexts:",
        `- name: ${ctx}`,
        "  context:",
        `    cluster: ${ctx}`,
        `    user: ${ctx}`,
        `current-context: ${ctx}`,
        "users:",
        `- name: ${ctx}`,
        "  user:",
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1",
        "      command: gke-gcloud-auth-plugin",
        ...(k.applicationDefaultCredentials ? ["      args:", "      - --use_application_default_credentials"] : []),
        "      installHint: Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin).",
        "      provideClusterInfo: true",
        "",
    ].join("\n");
}
