// Which Kubernetes versions each pinned chart is tested on upstream. Data, with
// its source beside each row; a cluster outside a row's range gets a preview
// warning (not an error: newer clusters usually work, they are just untested).
// When a chart's default version moves, its row moves with it (a unit test
// checks that every pinned default has a row).

export interface ChartCompatibility {
    chart: string;
    version: string;
    /** Oldest and newest Kubernetes minor versions the chart's release is tested on. */
    minKubernetes: string;
    /** Absent where upstream publishes no upper bound. */
    maxKubernetes?: string;
    source: string;
}

export const CHART_COMPATIBILITY: ChartCompatibility[] = [
    {
        chart: "keda", version: "2.18.0", minKubernetes: "1.31", maxKubernetes: "1.33",
        source: "KEDA 'Cluster' docs, Kubernetes compatibility table (keda.sh/docs/2.18/operate/cluster): v2.18 is tested on 1.31-1.33",
    },
    {
        // The chart states a floor only; no upper bound is published, so none is assumed.
        chart: "kube-prometheus-stack", version: "77.0.0", minKubernetes: "1.25",
        source: "kube-prometheus-stack 77.0.0 Chart.yaml: kubeVersion \">=1.25.0-0\"",
    },
    {
        // Strimzi publishes a floor only (no kubeVersion in its Chart.yaml).
        chart: "strimzi-kafka-operator", version: "1.2.0", minKubernetes: "1.30",
        source: "Strimzi CHANGELOG at 1.2.0: \"From Strimzi 0.51 on, we support only Kubernetes 1.30 and newer\"",
    },
    {
        chart: "prometheus-operator-crds", version: "23.0.0", minKubernetes: "1.16",
        source: "prometheus-operator-crds 23.0.0 Chart.yaml: kubeVersion \">=1.16.0-0\"",
    },
];

/**
 * Default charts known to be outside the tested range of a cloud's default
 * cluster version, each with why it stays. The preview still warns; a unit
 * test fails when a default pair leaves a tested range without a row here, and
 * when a row is no longer needed (the defaults moved together), so the table
 * cannot go stale either way.
 */
export const KNOWN_DEFAULT_SKEW: { chart: string; version: string; why: string }[] = [
    {
        chart: "keda", version: "2.18.0",
        why: "the only KEDA chart vendored for tests (../shared/charts) and the only KEDA operator that builds offline here (2.18.3 does not); " +
            "KEDA 2.18 is tested on 1.31-1.33 while EKS, GKE and AKS default to 1.35-1.37",
    },
];

/** `1.34` of "1.34", "1.34.2", "v1.34.2-eks-1234": [major, minor], or undefined when it is no version. */
export function minorOf(version: string): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** "1.31-1.33", or "1.25 and newer" where upstream publishes no upper bound. */
const range = (r: ChartCompatibility) => `${r.minKubernetes}${r.maxKubernetes ? `-${r.maxKubernetes}` : " and newer"}`;

function cmp(a: [number, number], b: [number, number]): number {
    return a[0] - b[0] || a[1] - b[1];
}

/**
 * Warnings for a cluster version outside the tested range of the charts in
 * use (`charts`: chart name -> installed version; a version the table does not
 * know is warned about too, since nothing says what it was tested on). No
 * warning when the cluster's version is not known.
 */
export function compatibilityWarnings(kubernetesVersion: string | undefined, charts: Record<string, string | undefined>): string[] {
    const k = kubernetesVersion ? minorOf(kubernetesVersion) : undefined;
    if (!k) return [];
    const out: string[] = [];
    for (const [chart, version] of Object.entries(charts)) {
        if (!version) continue;
        const row = CHART_COMPATIBILITY.find((r) => r.chart === chart && r.version === version);
        if (!row) {
            // A version the table does not know: nothing says which Kubernetes it is tested on.
            const known = CHART_COMPATIBILITY.filter((r) => r.chart === chart).map((r) => `${r.version} on ${range(r)}`);
            out.push(`${chart} ${version} is not in the package's chart compatibility table, so nothing says it is tested on Kubernetes ${kubernetesVersion}` +
                (known.length ? ` (the table knows ${chart} ${known.join(", ")})` : "") +
                `; check the chart's release notes for the Kubernetes versions it supports, or leave \`version\` unset for the pinned default`);
            continue;
        }
        const lo = minorOf(row.minKubernetes)!, hi = row.maxKubernetes ? minorOf(row.maxKubernetes) : undefined;
        if (cmp(k, lo) < 0 || (hi && cmp(k, hi) > 0)) {
            out.push(`${chart} ${version} is tested on Kubernetes ${range(row)}, and this cluster runs ${kubernetesVersion} ` +
                `(${row.source}); it usually works, but check the chart's release notes, or pin a chart version tested on ${k.join(".")} with \`version\``);
        }
    }
    return out;
}
