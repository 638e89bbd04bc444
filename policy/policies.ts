// The Volley policies, as data the pack (index.ts) serves and the unit tests
// call directly. Type tokens and property paths are those the engine hands an
// analyzer: a resource's inputs (stack policies: its outputs, which in a
// preview are the inputs), never resource options other than protect.
// The package's components (volley:index:*) reach a resource policy with no
// inputs at all (measured with `pulumi preview --policy-pack` on CLI 3.248:
// they register none); their outputs reach stack policies. So what a
// component was told is checked on the resources it made, or on its outputs.
import { Policies, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

// --- Facts, with where they come from --------------------------------------

/** The stream pool's label and taint (Volley operator guide, "isolation"; provider/kubernetes/kubernetesEnvironment.ts). */
export const STREAM_LABEL = { key: "volley.io/pool", value: "stream-processing" };
export const STREAM_TAINT = { key: "volley.io/dedicated", value: "true", effect: "NoSchedule" };

/** Taint effects as each API spells them (EKS CreateNodegroup `taints[].effect`, GKE NodeConfig `taints[].effect`). */
const EFFECT_SPELLINGS: Record<string, string[]> = {
    NoSchedule: ["NoSchedule", "NO_SCHEDULE"],
    PreferNoSchedule: ["PreferNoSchedule", "PREFER_NO_SCHEDULE"],
    NoExecute: ["NoExecute", "NO_EXECUTE"],
};

/** kube-prometheus-stack 77.0.0 values.yaml, `grafana.adminPassword`: the chart's default. */
export const GRAFANA_DEFAULT_PASSWORD = "prom-operator";

/** Any address: an endpoint open to it is public. */
const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

const T = {
    pv: "kubernetes:core/v1:PersistentVolume",
    secret: "kubernetes:core/v1:Secret",
    vapp: "kubernetes:volley.io/v1alpha1:VolleyApplication",
    karpenterPool: "kubernetes:karpenter.sh/v1:NodePool",
    kafkaTopic: ["kubernetes:kafka.strimzi.io/v1beta2:KafkaTopic", "kubernetes:kafka.strimzi.io/v1:KafkaTopic"],
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    gkeNodePool: "gcp:container/nodePool:NodePool",
    aksAgentPool: "azure-native:containerservice:AgentPool",
    eksCluster: "aws:eks/cluster:Cluster",
    gkeCluster: "gcp:container/cluster:Cluster",
    aksCluster: "azure-native:containerservice:ManagedCluster",
    efs: "aws:efs/fileSystem:FileSystem",
    filestore: "gcp:filestore/instance:Instance",
    storageAccount: "azure-native:storage:StorageAccount",
    fileShare: "azure-native:storage:FileShare",
};


// --- Small pure helpers -----------------------------------------------------

/** The value at a dotted path. */
export function at(obj: any, path: string): any {
    return path.split(".").reduce((v, k) => (v === null || v === undefined ? undefined : v[k]), obj);
}

/** Whether a URN's type chain (parents first) holds a Volley component. */
export function underVolley(urn: string): boolean {
    return (urn.split("::")[2] ?? "").split("$").some((t) => t.startsWith("volley:index:"));
}

interface Taint { key?: string; value?: string; effect?: string }

/** Taints of one pool, whatever the API's spelling (AKS: `key=value:Effect` strings). */
export function parseTaints(raw: unknown): Taint[] {
    if (!Array.isArray(raw)) return [];
    return raw.map((t) => {
        if (typeof t !== "string") return (t ?? {}) as Taint;
        const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(t);
        return m ? { key: m[1], value: m[2], effect: m[3] } : { key: t };
    });
}

function hasTaint(taints: Taint[], want: { key: string; value: string; effect: string }): boolean {
    const effects = EFFECT_SPELLINGS[want.effect] ?? [want.effect];
    return taints.some((t) => t.key === want.key && (t.value ?? "") === want.value && effects.includes(t.effect ?? ""));
}

/** A pool's Kubernetes labels and taints, or undefined when the type is no node pool. */
export function poolOf(type: string, props: any): { labels: Record<string, string>; taints: Taint[]; maxNodes?: number } | undefined {
    switch (type) {
        case T.eksNodeGroup:
            return { labels: props.labels ?? {}, taints: parseTaints(props.taints), maxNodes: num(at(props, "scalingConfig.maxSize")) };
        case T.gkeNodePool:
            return { labels: at(props, "nodeConfig.labels") ?? {}, taints: parseTaints(at(props, "nodeConfig.taints")), maxNodes: gkePoolMaxNodes(props) };
        case T.aksAgentPool:
            return { labels: props.nodeLabels ?? {}, taints: parseTaints(props.nodeTaints), maxNodes: num(props.maxCount) ?? num(props.count) };
        case T.karpenterPool:
            // limits.nodes caps the pool's nodes (Karpenter v1.14 docs, NodePools: spec.limits).
            return { labels: at(props, "spec.template.metadata.labels") ?? {}, taints: parseTaints(at(props, "spec.template.spec.taints")), maxNodes: num(at(props, "spec.limits.nodes")) };
        default:
            return undefined;
    }
}

/**
 * A GKE pool's maximum nodes. `totalMaxNodeCount` is the pool's; `maxNodeCount`
 * and `nodeCount` are per zone ("Maximum number of nodes for one location in
 * the node pool", GKE API NodePoolAutoscaling,
 * https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#NodePoolAutoscaling;
 * node_count "per instance group", terraform-provider-google
 * container_node_pool docs), so they multiply by the pool's zones: its
 * `nodeLocations`, one for a zonal `location`. A regional pool without
 * nodeLocations runs in its cluster's zones, which the pool does not say:
 * undefined (not checked) rather than a guess.
 */
export function gkePoolMaxNodes(props: any): number | undefined {
    const total = num(at(props, "autoscaling.totalMaxNodeCount"));
    if (total !== undefined) return total;
    const perZone = num(at(props, "autoscaling.maxNodeCount")) ?? num(props.nodeCount);
    const locations = props.nodeLocations;
    const zones = Array.isArray(locations) && locations.length ? locations.length
        : typeof props.location === "string" && /-[a-z]$/.test(props.location) ? 1 : undefined;
    return perZone !== undefined && zones !== undefined ? perZone * zones : undefined;
}

/**
 * The stream pool's maximum nodes as a Volley environment computed it: every
 * `volley:index:*Environment` exports `environment.streamCapacity`
 * (provider/kubernetes/platform.ts environmentRef), already per zone × zones
 * on GKE, Karpenter's limits on AWS, the described nodes on
 * KubernetesEnvironment. Stack policies only: components have no inputs for
 * an analyzer, but their outputs reach stack policies.
 */
export function environmentMaxNodes(type: string, props: any): number | undefined {
    if (!/^volley:index:[A-Za-z]+Environment$/.test(type)) return undefined;
    return num(at(props, "environment.streamCapacity.maxNodes"));
}

function num(v: unknown): number | undefined {
    const n = typeof v === "string" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

const show = (taint: { key: string; value: string; effect: string }) => `${taint.key}=${taint.value}:${taint.effect}`;

// --- Policies ---------------------------------------------------------------

/** checkpoint-storage-retained: storage holding checkpoints survives a delete. */
export const checkpointStorageRetained: ResourceValidationPolicy = {
    name: "checkpoint-storage-retained",
    description: "Storage holding Volley checkpoints is retained or protected: deleting the program never deletes the data.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allPersistentVolumes: { type: "boolean", default: false, description: "Check every PersistentVolume, not only those of Volley components and those labelled app.kubernetes.io/part-of=volley." } } },
    validateResource: (args, report) => {
        const { type, props, name, opts } = args;
        const cfg = args.getConfig<{ allPersistentVolumes?: boolean }>();
        if (type === T.pv) {
            const volley = underVolley(args.urn) || at(props, "metadata.labels")?.["app.kubernetes.io/part-of"] === "volley";
            if (!volley && !cfg.allPersistentVolumes) return;
            const policy = at(props, "spec.persistentVolumeReclaimPolicy");
            // A PV created by hand defaults to Retain (Kubernetes PersistentVolume docs, "Reclaiming").
            if (policy !== undefined && policy !== "Retain") {
                report(`PersistentVolume ${name} has persistentVolumeReclaimPolicy ${policy}: deleting its claim deletes the checkpoints. Set spec.persistentVolumeReclaimPolicy to "Retain".`);
            }
        } else if (type === T.filestore && underVolley(args.urn)) {
            if (props.deletionProtectionEnabled !== true && !opts.protect) {
                report(`Filestore instance ${name} holds checkpoints without deletion protection. Set checkpoints.deletionProtection to true (deletionProtectionEnabled) or protect the resource.`);
            }
        } else if (type === T.efs && underVolley(args.urn)) {
            // The analyzer never sees retainOnDelete; the package protects the file
            // system exactly when it retains it (provider/aws/efs.ts), and protect it sees.
            if (!opts.protect) {
                report(`EFS file system ${name} holds checkpoints and is not protected (efs.retainOnDelete or retainOnDelete is false): destroying the stack deletes the checkpoints. Remove that setting (it defaults to true) or protect the file system.`);
            }
        }
        // Azure storage accounts are retained, never protected: nothing an analyzer
        // sees tells (README "Policy pack", what it cannot check).
    },
};

/** stream-pool-tainted: nothing but pipelines lands on the stream pool. */
export const streamPoolTainted: ResourceValidationPolicy = {
    name: "stream-pool-tainted",
    description: `Every node pool labelled ${STREAM_LABEL.key}=${STREAM_LABEL.value} carries the taint ${show(STREAM_TAINT)}.`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            taintKey: { type: "string", default: STREAM_TAINT.key },
            taintValue: { type: "string", default: STREAM_TAINT.value },
        },
    },
    validateResource: (args, report) => {
        const cfg = args.getConfig<{ taintKey: string; taintValue: string }>();
        const want = { key: cfg.taintKey, value: cfg.taintValue, effect: "NoSchedule" };
        if (args.type === T.vapp) {
            // Existing nodes (KubernetesEnvironment): the pool is a description, seen
            // through the placement it gives each application.
            const iso = at(args.props, "spec.isolation") ?? {};
            const tolerated = ((iso.tolerations ?? []) as any[]).some((t) => t?.key === want.key && (t?.operator === "Exists" || t?.value === want.value));
            if (iso.nodeSelector?.[STREAM_LABEL.key] === STREAM_LABEL.value && !tolerated) {
                report(`VolleyApplication ${at(args.props, "metadata.name") ?? args.name} is placed on the stream pool (${STREAM_LABEL.key}=${STREAM_LABEL.value}) as its environment describes it, without the taint ${show(want)}: other pods would be scheduled onto pipeline nodes. Taint the nodes and describe the taint in the environment's streamNodes.taints.`);
            }
            return;
        }
        const pool = poolOf(args.type, args.props);
        if (!pool || pool.labels[STREAM_LABEL.key] !== STREAM_LABEL.value) return;
        if (!hasTaint(pool.taints, want)) {
            report(`Stream pool ${args.name} (${args.type}) is labelled ${STREAM_LABEL.key}=${STREAM_LABEL.value} but lacks the taint ${show(want)}: other pods would be scheduled onto pipeline nodes. Add the taint to the pool.`);
        }
    },
};

/** limits-set: every pipeline has CPU and memory limits and tolerates the stream taint. */
export const limitsSet: ResourceValidationPolicy = {
    name: "limits-set",
    description: "Every VolleyApplication sets CPU and memory limits and tolerates the stream pool's taint.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireToleration: { type: "boolean", default: true }, taintKey: { type: "string", default: STREAM_TAINT.key } } },
    validateResource: (args, report) => {
        if (args.type !== T.vapp) return;
        const spec = args.props.spec ?? {};
        const name = at(args.props, "metadata.name") ?? args.name;
        const missing = ["cpu", "memory"].filter((k) => at(spec, `resources.limits.${k}`) === undefined);
        if (missing.length) {
            report(`VolleyApplication ${name} has no ${missing.join(" or ")} limit: one pipeline could starve the others on its node. Set resources.limits.${missing.join(" and resources.limits.")} on the Application.`);
        }
        const cfg = args.getConfig<{ requireToleration: boolean; taintKey: string }>();
        const tolerations: any[] = at(spec, "isolation.tolerations") ?? [];
        if (cfg.requireToleration && !tolerations.some((t) => t?.key === cfg.taintKey || (t?.operator === "Exists" && !t?.key))) {
            report(`VolleyApplication ${name} does not tolerate the taint ${cfg.taintKey}: it cannot run on the dedicated stream pool. Give the environment a stream pool (its tolerations are added) or set isolation.tolerations.`);
        }
    },
};

/** control-plane-not-public: the Kubernetes API is not open to the internet. */
export const controlPlaneNotPublic: ResourceValidationPolicy = {
    name: "control-plane-not-public",
    description: "The cluster's API endpoint is private or limited to authorized networks.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const { type, props, name } = args;
        const open = (cidrs: unknown) => !Array.isArray(cidrs) || cidrs.length === 0 || cidrs.some((c) => ANYWHERE.has(String(c)));
        if (type === T.eksCluster) {
            const vpc = props.vpcConfig ?? {};
            // EKS defaults: endpointPublicAccess true, publicAccessCidrs ["0.0.0.0/0"] (EKS API VpcConfigRequest).
            if (vpc.endpointPublicAccess !== false && open(vpc.publicAccessCidrs)) {
                report(`EKS cluster ${name} has a public endpoint open to 0.0.0.0/0. Set cluster.publicAccessCidrs to your networks, or cluster.endpointPublicAccess to false.`);
            }
        } else if (type === T.gkeCluster) {
            const priv = at(props, "privateClusterConfig.enablePrivateEndpoint") === true;
            const nets = (at(props, "masterAuthorizedNetworksConfig.cidrBlocks") ?? []).map((b: any) => b?.cidrBlock);
            if (!priv && open(nets)) {
                report(`GKE cluster ${name} has a public endpoint without authorized networks. Set cluster.authorizedNetworks, or use a private endpoint.`);
            }
        } else if (type === T.aksCluster) {
            const prof = props.apiServerAccessProfile ?? {};
            if (prof.enablePrivateCluster !== true && open(prof.authorizedIPRanges)) {
                report(`AKS cluster ${name} has a public API server without authorized IP ranges. Set cluster.apiServerAuthorizedIpRanges, or make the cluster private.`);
            }
        }
    },
};

/** One application's scale, from the VolleyApplication's spec. */
function maxReplicasOf(spec: any): number {
    return at(spec, "autoscaling.enabled") ? num(at(spec, "autoscaling.maxReplicas")) ?? 0 : num(spec.replicas) ?? 1;
}

/** capacity-fits: every application can reach its maximum scale. */
export const capacityFits: StackValidationPolicy = {
    name: "capacity-fits",
    description: "Each application's maximum replicas fit the stream pool (one worker per node) and its Kafka topics' partitions.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            podsPerNode: { type: "integer", default: 1, minimum: 1, description: "Workers of one application per stream node (the operator's pod anti-affinity allows one)." },
            streamPoolMaxNodes: { type: "integer", default: 0, minimum: 0, description: "Maximum stream nodes when the stack does not say (no environment output with streamCapacity.maxNodes, e.g. a KubernetesEnvironment without streamNodes.maxNodes, and no pool whose maximum is known); 0: unknown, not checked." },
        },
    },
    validateStack: (args, report) => {
        const cfg = args.getConfig<{ podsPerNode: number; streamPoolMaxNodes: number }>();
        let poolMax: number | undefined = cfg.streamPoolMaxNodes > 0 ? cfg.streamPoolMaxNodes : undefined;
        // The environments' own figure first: it knows what a pool's inputs do
        // not (GKE zones, Karpenter limits, described nodes); the pools' inputs
        // only when no environment output says.
        const envs = args.resources.map((r) => environmentMaxNodes(r.type, r.props)).filter((n): n is number => n !== undefined);
        const pools = args.resources.map((r) => poolOf(r.type, r.props)).filter((p) => p && p.labels[STREAM_LABEL.key] === STREAM_LABEL.value);
        if (envs.length) poolMax = envs.reduce((s, n) => s + n, 0);
        else if (pools.length && pools.every((p) => p!.maxNodes !== undefined)) poolMax = pools.reduce((s, p) => s + p!.maxNodes!, 0);
        const partitions = topicPartitions(args.resources);
        for (const r of args.resources) {
            if (r.type !== T.vapp) continue;
            const spec = r.props.spec ?? {};
            const name = at(r.props, "metadata.name") ?? r.name;
            const max = maxReplicasOf(spec);
            if (poolMax !== undefined && max > poolMax * cfg.podsPerNode) {
                report(`VolleyApplication ${name} may scale to ${max} workers but the stream pool holds at most ${poolMax * cfg.podsPerNode} (${poolMax} nodes, ${cfg.podsPerNode} per node). Lower autoscaling.maxReplicas or raise the stream pool's maximum size.`, r.urn);
            }
            for (const topic of (at(spec, "kafka.topics") ?? []) as string[]) {
                const p = partitions.get(topic);
                if (p !== undefined && max > p) {
                    report(`VolleyApplication ${name} may scale to ${max} workers but topic ${topic} has ${p} partitions: ${max - p} would sit idle. Lower autoscaling.maxReplicas or add partitions.`, r.urn);
                }
            }
        }
    },
};

/** Partitions of every Kafka topic declared in the stack (Strimzi KafkaTopic: spec.topicName or metadata.name). */
export function topicPartitions(resources: PolicyResource[]): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of resources) {
        if (!T.kafkaTopic.includes(r.type)) continue;
        const p = num(at(r.props, "spec.partitions"));
        const name = at(r.props, "spec.topicName") ?? at(r.props, "metadata.name");
        if (p !== undefined && name) m.set(name, p);
    }
    return m;
}

/** images-pinned: an image tag can move; a digest cannot. */
export const imagesPinned: ResourceValidationPolicy = {
    name: "images-pinned",
    description: "VolleyApplication images are pinned by digest (image@sha256:...).",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== T.vapp) return;
        const image = at(args.props, "spec.image");
        if (typeof image === "string" && !/@sha256:[0-9a-f]{64}$/.test(image)) {
            report(`VolleyApplication ${at(args.props, "metadata.name") ?? args.name} runs ${image}, a tag that can move. Pin it by digest: ${image.split("@")[0]}@sha256:<digest>.`);
        }
    },
};

/** grafana-password-not-default: Grafana's admin password is not the chart's default. */
export const grafanaPasswordNotDefault: ResourceValidationPolicy = {
    name: "grafana-password-not-default",
    description: `Grafana's admin password is not kube-prometheus-stack's default (${GRAFANA_DEFAULT_PASSWORD}).`,
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== T.secret) return;
        const labels = at(args.props, "metadata.labels") ?? {};
        const data = args.props.data?.["admin-password"];
        const plain = args.props.stringData?.["admin-password"] ?? (typeof data === "string" ? Buffer.from(data, "base64").toString() : undefined);
        // The package's own Secret (provider/kubernetes/prometheusStack.ts, grafanaAdmin):
        // `grafana-admin`, labelled part-of volley, key admin-password, which the
        // chart's Grafana reads through grafana.admin.existingSecret.
        const ours = labels["app.kubernetes.io/part-of"] === "volley" && plain !== undefined;
        // The grafana chart's own Secret (charts/grafana/templates/secret.yaml, grafana.labels).
        const chart = labels["app.kubernetes.io/name"] === "grafana";
        if ((!ours && !chart) || plain !== GRAFANA_DEFAULT_PASSWORD) return;
        const fix = "set prometheus.grafanaAdminPassword on the environment (grafanaAdminPassword on a PrometheusStack) to a secret of your own, or leave it unset for a generated one";
        if (ours) {
            report(`Grafana admin Secret ${args.name} holds kube-prometheus-stack's public default password (${GRAFANA_DEFAULT_PASSWORD}): ${fix}.`);
        } else if (underVolley(args.urn)) {
            // The package points Grafana at its own Secret; the chart renders one only
            // when prometheus.values overrides grafana.admin.
            report(`Grafana secret ${args.name} holds the chart's default admin password (${GRAFANA_DEFAULT_PASSWORD}) because prometheus.values overrides grafana.admin. Remove that override (the package then uses its grafana-admin Secret) and ${fix}.`);
        } else {
            report(`Grafana secret ${args.name} holds the chart's default admin password (${GRAFANA_DEFAULT_PASSWORD}). Set grafana.adminPassword, or grafana.admin.existingSecret, in that chart's values.`);
        }
    },
};

/** In the order `pulumi preview` lists them. */
export const policies: Policies = [
    checkpointStorageRetained, streamPoolTainted, limitsSet, controlPlaneNotPublic, capacityFits, imagesPinned, grafanaPasswordNotDefault,
];
