// The one table of metrics that Volley's dashboard and alerts read. Every
// query in dashboard.ts and rules.ts names its metric through this table, and
// the observability check fails when one names anything else.
//
// Names. The operator guide lists OpenTelemetry instrument names ("Key Volley
// metrics"). Their Prometheus names follow the OpenTelemetry specification
// "Prometheus and OpenMetrics Compatibility", section "Metric Metadata"
// (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/#metric-metadata),
// which the Collector's translator implements
// (https://pkg.go.dev/github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/prometheus):
// invalid characters (dots) become `_`; the unit is converted to a word
// (`ms` -> `milliseconds`, `s` -> `seconds`, `1` -> `ratio`, `{record}` ->
// nothing) and appended unless the name already ends with it; monotonic
// counters get `_total` unless they already end with it; histograms are
// `_bucket`/`_sum`/`_count` series of that name. The guide declares no
// units: the table reads them off the names (`latency_ms`, `duration_ms`,
// `uptime_seconds`) and takes the gauge the guide's KEDA example queries as
// `volley_channel_utilization` to have none. An exporter that differs (the
// Rust `opentelemetry-prometheus` crate appends the unit even when present,
// e.g. `volley_pipeline_uptime_seconds_seconds`) is met with the
// `observability.metricNames` input, which overrides any row; the dashboard
// and the alerts both read the resolved names, and `VolleyMetricsAbsent`
// fires when a Running application's uptime series is missing (a wrong name).
//
// Labels. The dashboard and alerts key Volley's own metrics on `namespace`
// and `pod` only: prometheus-operator sets both on every ServiceMonitor
// target (from the target's namespace and pod), whatever the metrics Service
// is called, and the operator runs each application as a StatefulSet named
// after it, whose pods are `<application>-<ordinal>`. The application name is
// taken from the pod name (`label_replace`) into label `application`; the
// scrape `job` (the Service's name, which the guide does not document) is not
// used. Volley's own attributes (`operator`, `topic`, `partition`) are not
// documented in the guide either; they are declared here.

/** Where a metric comes from. */
export type MetricSource = "volley" | "kube-state-metrics";

export interface MetricDef {
    /** OpenTelemetry instrument name (Volley) or the exporter's own name (kube-state-metrics). */
    otel: string;
    kind: "counter" | "gauge" | "histogram" | "stateset";
    /** OpenTelemetry unit, "" when none is declared. */
    unit: string;
    /** Prometheus metric name by default (histograms: the base of _bucket/_sum/_count). */
    prometheus: string;
    /** Labels the metric carries (besides the histogram's `le`). */
    labels: string[];
    source: MetricSource;
    /** What the metric says. */
    help: string;
}

/** The label the dashboard and alerts name an application by on Volley's metrics (derived from `pod`). */
export const APP_LABEL = "application";
/** The label that names the application on the kube-state-metrics phase metric. */
export const CR_NAME_LABEL = "name";
/** The stage (operator) label on per-stage metrics. */
export const STAGE_LABEL = "operator";
/** The pod label prometheus-operator sets on every ServiceMonitor target. */
export const POD_LABEL = "pod";
/** A StatefulSet pod's name: `<application>-<ordinal>`; group 1 is the application. */
export const POD_NAME_PATTERN = "(.+)-[0-9]+";

const TARGET = ["namespace", POD_LABEL];

export const METRICS = {
    recordsPolled: {
        otel: "volley.source.records_polled", kind: "counter", unit: "{record}", prometheus: "volley_source_records_polled_total",
        labels: [...TARGET], source: "volley", help: "Records read from the source.",
    },
    recordsProcessed: {
        otel: "volley.records.processed", kind: "counter", unit: "{record}", prometheus: "volley_records_processed_total",
        labels: [...TARGET, STAGE_LABEL], source: "volley", help: "Records processed, per operator.",
    },
    stageLatency: {
        otel: "volley.stage.latency_ms", kind: "histogram", unit: "ms", prometheus: "volley_stage_latency_ms_milliseconds",
        labels: [...TARGET, STAGE_LABEL], source: "volley", help: "Per-operator processing latency.",
    },
    checkpointDuration: {
        otel: "volley.checkpoint.duration_ms", kind: "histogram", unit: "ms", prometheus: "volley_checkpoint_duration_ms_milliseconds",
        labels: [...TARGET], source: "volley", help: "Checkpoint completion time; its _count counts completed checkpoints.",
    },
    channelUtilization: {
        otel: "volley.channel.utilization", kind: "gauge", unit: "", prometheus: "volley_channel_utilization",
        labels: [...TARGET, STAGE_LABEL], source: "volley", help: "Backpressure: fill of the channel into an operator (0.0-1.0).",
    },
    consumerLag: {
        otel: "volley.kafka.consumer_lag", kind: "gauge", unit: "{message}", prometheus: "volley_kafka_consumer_lag",
        labels: [...TARGET, "topic", "partition"], source: "volley", help: "Kafka consumer group lag.",
    },
    uptime: {
        otel: "volley.pipeline.uptime_seconds", kind: "gauge", unit: "s", prometheus: "volley_pipeline_uptime_seconds",
        labels: [...TARGET], source: "volley", help: "Pipeline uptime; a drop is a restart.",
    },
    // Exported by the chart's kube-state-metrics from each VolleyApplication
    // (kubeStateMetrics.ts): prefix kube_customresource_, one series per phase
    // (StateSet, value 1 for the current phase) and the replica counts.
    phase: {
        otel: "volleyapplication_status_phase", kind: "stateset", unit: "", prometheus: "kube_customresource_volleyapplication_status_phase",
        labels: ["namespace", CR_NAME_LABEL, "phase"], source: "kube-state-metrics", help: "Phase of each VolleyApplication (1 for the current one).",
    },
    replicasDesired: {
        otel: "volleyapplication_spec_replicas", kind: "gauge", unit: "", prometheus: "kube_customresource_volleyapplication_spec_replicas",
        labels: ["namespace", CR_NAME_LABEL], source: "kube-state-metrics", help: "Replicas the application asks for (spec.replicas).",
    },
    replicasReady: {
        otel: "volleyapplication_status_ready_replicas", kind: "gauge", unit: "", prometheus: "kube_customresource_volleyapplication_status_ready_replicas",
        labels: ["namespace", CR_NAME_LABEL], source: "kube-state-metrics", help: "Worker pods that are ready (status.readyReplicas).",
    },
    // kube-state-metrics' own Deployment metric (kube-state-metrics
    // docs/metrics/workload/deployment-metrics.md), for the operator's Deployment.
    deploymentAvailable: {
        otel: "kube_deployment_status_replicas_available", kind: "gauge", unit: "", prometheus: "kube_deployment_status_replicas_available",
        labels: ["namespace", "deployment"], source: "kube-state-metrics", help: "Available replicas of a Deployment.",
    },
} satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** The phases the CRD allows, in the StateSet's order. */
export const PHASES = ["Pending", "Running", "Degraded", "Failed"] as const;

/**
 * The OpenTelemetry SDK's default explicit bucket boundaries, the `le` values
 * of Volley's histograms unless its build configures others (OpenTelemetry
 * metrics SDK specification, "Explicit Bucket Histogram Aggregation":
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#explicit-bucket-histogram-aggregation).
 */
export const OTEL_DEFAULT_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/**
 * OpenTelemetry unit -> the word in Prometheus names (the compatibility spec's
 * "abbreviations to full words", as the Collector translator's unit map has them).
 */
export const UNIT_WORDS: Record<string, string> = {
    d: "days", h: "hours", min: "minutes", s: "seconds", ms: "milliseconds", us: "microseconds", ns: "nanoseconds",
    By: "bytes", KiBy: "kibibytes", MiBy: "mebibytes", GiBy: "gibibytes", TiBy: "tibibytes",
    KBy: "kilobytes", MBy: "megabytes", GBy: "gigabytes", TBy: "terabytes",
    m: "meters", V: "volts", A: "amperes", J: "joules", W: "watts", g: "grams", Cel: "celsius", Hz: "hertz", "%": "percent",
};

/** The denominator of a `a/b` unit, in the singular (the Collector translator's per-unit map). */
export const PER_UNIT_WORDS: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", mo: "month", y: "year" };

/** A Prometheus metric name (the compatibility spec's regex). */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const sanitize = (s: string) => s.replace(/[^a-zA-Z0-9_:]/g, "_").replace(/_+/g, "_");

/** The Prometheus word for an OpenTelemetry unit: brace parts dropped, `1` -> ratio, `a/b` -> a_per_b. */
export function unitWord(unit: string): string {
    const u = unit.replace(/\{[^}]*\}/g, "").trim();
    if (!u) return "";
    if (u === "1") return "ratio";
    const slash = u.indexOf("/");
    if (slash >= 0) {
        const per = u.slice(slash + 1);
        const [a, b] = [unitWord(u.slice(0, slash)), PER_UNIT_WORDS[per] ?? unitWord(per)];
        return [a, b && `per_${b}`].filter(Boolean).join("_");
    }
    return UNIT_WORDS[u] ?? sanitize(u).replace(/^_|_$/g, "");
}

/** The Prometheus name of an OpenTelemetry metric, by the compatibility spec (see the top of this file). */
export function prometheusName(otel: string, kind: "counter" | "gauge" | "histogram", unit: string): string {
    let name = sanitize(otel);
    const word = unitWord(unit);
    if (word && !name.endsWith(`_${word}`)) name += `_${word}`;
    if (kind === "counter" && !name.endsWith("_total")) name += "_total";
    return name;
}

/** Keys of the metrics a user may rename (Volley's; kube-state-metrics' names are the package's own config). */
export const RENAMEABLE: MetricKey[] = (Object.keys(METRICS) as MetricKey[]).filter((k) => METRICS[k].source === "volley");

/** Metric key -> Prometheus name, after the user's `metricNames` (keyed by OpenTelemetry name). */
export type MetricNames = Record<MetricKey, string>;

export function resolveMetricNames(overrides?: Record<string, string>): MetricNames {
    const out = {} as MetricNames;
    for (const k of Object.keys(METRICS) as MetricKey[]) {
        const m: MetricDef = METRICS[k];
        out[k] = (m.source === "volley" ? overrides?.[m.otel] : undefined) ?? m.prometheus;
    }
    return out;
}

export const DEFAULT_METRIC_NAMES: MetricNames = resolveMetricNames();

/** Every Prometheus series name the table declares (histograms expanded). */
export function prometheusSeriesNames(names: MetricNames = DEFAULT_METRIC_NAMES): string[] {
    const out: string[] = [];
    for (const k of Object.keys(METRICS) as MetricKey[]) {
        if (METRICS[k].kind === "histogram") out.push(`${names[k]}_bucket`, `${names[k]}_sum`, `${names[k]}_count`);
        else out.push(names[k]);
    }
    return out;
}

/** Series name of a metric; `part` picks a histogram's bucket/sum/count. */
export function series(key: MetricKey, part?: "bucket" | "sum" | "count", names: MetricNames = DEFAULT_METRIC_NAMES): string {
    const m: MetricDef = METRICS[key];
    if ((m.kind === "histogram") !== (part !== undefined)) throw new Error(`metrics: ${key} is a ${m.kind}${part ? `, it has no _${part}` : "; name a part"}`);
    return part ? `${names[key]}_${part}` : names[key];
}

/** Selector of an application's pods: `<application>-<ordinal>`; `app` is a regex (a Grafana variable, or a name). */
export function podsOf(app: string): string {
    return `${POD_LABEL}=~"(${app})-[0-9]+"`;
}

/** Adds label `application` (from the pod name) to every series of an instant-vector expression. */
export function withApplication(expr: string): string {
    return `label_replace(${expr}, "${APP_LABEL}", "$1", "${POD_LABEL}", "${POD_NAME_PATTERN}")`;
}

/** A histogram's `le` matcher for a boundary, in both spellings (Prometheus 3 stores `le="10000.0"`, older ones `le="10000"`). */
export function leMatcher(boundary: number): string {
    const s = String(boundary);
    return Number.isInteger(boundary) ? `le=~"${s}(\\\\.0)?"` : `le="${s}"`;
}
