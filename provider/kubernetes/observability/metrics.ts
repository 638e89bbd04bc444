// The one table of metrics that Volley's dashboard and alerts read. Every
// query in dashboard.ts and rules.ts names its metric through this table, and
// the observability check fails when one names anything else.
//
// The operator guide lists OpenTelemetry instrument names ("Key Volley
// metrics"). Prometheus sees them as the OpenTelemetry Prometheus exporter
// writes them: dots become underscores, the unit is appended as a suffix
// (`ms` -> `_milliseconds`, `s` -> `_seconds`; brace units such as
// `{record}` are dropped) even when the name already ends with it (the Rust
// exporter does not de-duplicate), counters get `_total`, and histograms are
// `_bucket`/`_sum`/`_count` series of the base name. The units are read off
// the names (`latency_ms`, `duration_ms`, `uptime_seconds`); the guide's own
// KEDA example queries `volley_channel_utilization`, so that gauge is taken
// to declare no unit (a declared `1` would add `_ratio`). If a runtime
// release exports other names, change `prometheus` here (one place); the
// dashboard, the alerts and their tests follow.
//
// Labels: the ServiceMonitor the operator creates scrapes each application's
// metrics Service, so prometheus-operator sets `namespace` and `job` (the
// Service name, which is the application's name: the guide's KEDA example
// selects `job="my-pipeline"`). Volley's own attributes (`operator`,
// `topic`, `partition`) are not documented in the guide; they are declared
// here and overridable the same way.

/** Where a metric comes from. */
export type MetricSource = "volley" | "kube-state-metrics";

export interface MetricDef {
    /** OpenTelemetry instrument name (Volley) or the exporter's own name (kube-state-metrics). */
    otel: string;
    kind: "counter" | "gauge" | "histogram" | "stateset";
    /** OpenTelemetry unit, "" when none is declared. */
    unit: string;
    /** Prometheus metric name as exported (histograms: the base of _bucket/_sum/_count). */
    prometheus: string;
    /** Labels the metric carries (besides the histogram's `le`). */
    labels: string[];
    source: MetricSource;
    /** What the metric says. */
    help: string;
}

/** The label that names the application on Volley's own metrics (the ServiceMonitor's job). */
export const APP_LABEL = "job";
/** The label that names the application on the kube-state-metrics phase metric. */
export const CR_NAME_LABEL = "name";
/** The stage (operator) label on per-stage metrics. */
export const STAGE_LABEL = "operator";

const TARGET = ["namespace", APP_LABEL, "pod"];

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
        otel: "volley.pipeline.uptime_seconds", kind: "gauge", unit: "s", prometheus: "volley_pipeline_uptime_seconds_seconds",
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
} satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** The phases the CRD allows, in the StateSet's order. */
export const PHASES = ["Pending", "Running", "Degraded", "Failed"] as const;

/** Every Prometheus series name the table declares (histograms expanded). */
export function prometheusSeriesNames(): string[] {
    const out: string[] = [];
    for (const m of Object.values(METRICS) as MetricDef[]) {
        if (m.kind === "histogram") out.push(`${m.prometheus}_bucket`, `${m.prometheus}_sum`, `${m.prometheus}_count`);
        else out.push(m.prometheus);
    }
    return out;
}

/** Series name of a metric; `part` picks a histogram's bucket/sum/count. */
export function series(key: MetricKey, part?: "bucket" | "sum" | "count"): string {
    const m: MetricDef = METRICS[key];
    if ((m.kind === "histogram") !== (part !== undefined)) throw new Error(`metrics: ${key} is a ${m.kind}${part ? `, it has no _${part}` : "; name a part"}`);
    return part ? `${m.prometheus}_${part}` : m.prometheus;
}
