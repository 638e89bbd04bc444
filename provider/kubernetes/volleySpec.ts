// The VolleyApplication spec, field for field as in the Volley operator guide
// ("Full Spec Reference"), camelCase, with the guide's defaults. These types are
// the single source of the Application inputs, of schema.json and of the CRD's
// openAPIV3Schema (tools/schema derives both from them).
import * as pulumi from "@pulumi/pulumi";
import { Toleration } from "../core/types";

/** When the kubelet pulls the image. */
export const ImagePullPolicy = {
    /** Always pull the image. */
    Always: "Always",
    /** Pull only when the image is not on the node. */
    IfNotPresent: "IfNotPresent",
    /** Never pull; the image must be on the node. */
    Never: "Never",
} as const;
export type ImagePullPolicy = (typeof ImagePullPolicy)[keyof typeof ImagePullPolicy];

/** A reference to an object in the same namespace. */
export interface LocalObjectReference {
    /** Name of the object (for example an image pull Secret). */
    name: pulumi.Input<string>;
}

/** CPU and memory of each worker pod: requests, limits or both, as in a Kubernetes container. */
export interface ResourceRequirements {
    /** Resources the scheduler reserves, e.g. `{ cpu: "2", memory: "4Gi" }`. Kubernetes sets them to the limits when only limits are given. */
    requests?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Upper bounds, e.g. `{ cpu: "4", memory: "8Gi" }`. */
    limits?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Selects a key of a Secret or ConfigMap. */
export interface KeySelector {
    /** Name of the Secret or ConfigMap. */
    name: pulumi.Input<string>;
    /** Key within it. */
    key: pulumi.Input<string>;
    /** Whether the key may be missing. */
    optional?: pulumi.Input<boolean>;
}

/** Selects a field of the pod, e.g. `metadata.name`. */
export interface FieldSelector {
    /** Path of the field, e.g. `metadata.namespace`. */
    fieldPath: pulumi.Input<string>;
    /** Schema version `fieldPath` is written in. Defaults to `v1`. */
    apiVersion?: pulumi.Input<string>;
}

/** Selects a resource request or limit of a container, e.g. `limits.memory`. */
export interface ResourceFieldSelector {
    /** `requests.cpu`, `requests.memory`, `requests.ephemeral-storage`, `limits.cpu`, `limits.memory` or `limits.ephemeral-storage`. */
    resource: pulumi.Input<string>;
    /** Container to read from. Defaults to the worker container. */
    containerName?: pulumi.Input<string>;
    /** Unit the value is divided by, a quantity such as `1Mi` or `1m`. Defaults to `1`. */
    divisor?: pulumi.Input<string>;
}

/** Where an environment variable's value comes from. Exactly one field is set. */
export interface EnvVarSource {
    /** A key of a Secret (the value never enters the Pulumi state). */
    secretKeyRef?: pulumi.Input<KeySelector>;
    /** A key of a ConfigMap. */
    configMapKeyRef?: pulumi.Input<KeySelector>;
    /** A field of the pod. */
    fieldRef?: pulumi.Input<FieldSelector>;
    /** A resource request or limit of the container. */
    resourceFieldRef?: pulumi.Input<ResourceFieldSelector>;
}

/** An environment variable of the worker containers, as in Kubernetes: `value`, `valueFrom`, or neither (an empty value). */
export interface EnvVar {
    /** Variable name. */
    name: pulumi.Input<string>;
    /** Literal value; must be empty or absent when `valueFrom` is set. */
    value?: pulumi.Input<string>;
    /** Value taken from a Secret, ConfigMap, pod field or container resource. */
    valueFrom?: pulumi.Input<EnvVarSource>;
}

/** A per-pod persistent volume (ReadWriteOnce) created by the operator. */
export interface VolumeSpec {
    /** StorageClass of the volume; the cluster default when omitted. */
    storageClassName?: pulumi.Input<string>;
    /** Size, a Kubernetes quantity such as `10Gi`. */
    size?: pulumi.Input<string>;
    /** Mount path. Defaults to `/var/lib/volley/state` for state and `/var/lib/volley/checkpoints` for checkpoints. */
    mountPath?: pulumi.Input<string>;
}

/** ServiceMonitor created for prometheus-operator. */
export interface ServiceMonitorSpec {
    /** Create a ServiceMonitor. Defaults to `true` when the environment has Prometheus, else `false`. */
    enabled?: pulumi.Input<boolean>;
    /** Scrape interval, a Prometheus duration. Defaults to `15s`. */
    interval?: pulumi.Input<string>;
    /** Labels on the ServiceMonitor, to match your Prometheus selector. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** Metrics and tracing. */
export interface ObservabilitySpec {
    /** Port of the Prometheus metrics endpoint. Defaults to `9090`. */
    metricsPort?: pulumi.Input<number>;
    /** Path of the metrics endpoint. Defaults to `/metrics`. */
    metricsPath?: pulumi.Input<string>;
    /** ServiceMonitor settings. */
    serviceMonitor?: pulumi.Input<ServiceMonitorSpec>;
    /** OTLP endpoint for traces, e.g. `http://otel-collector:4317`. */
    otlpEndpoint?: pulumi.Input<string>;
}

/** Liveness and readiness probes backed by Volley's HealthReporter. */
export interface HealthSpec {
    /** Port of the health endpoints. Defaults to `8080`. */
    port?: pulumi.Input<number>;
    /** Liveness path. Defaults to `/health`. */
    livenessPath?: pulumi.Input<string>;
    /** Readiness path. Defaults to `/ready`. */
    readinessPath?: pulumi.Input<string>;
    /** Seconds before the first probe. Defaults to `30`. */
    initialDelaySeconds?: pulumi.Input<number>;
    /** Seconds between probes. Defaults to `10`. */
    periodSeconds?: pulumi.Input<number>;
}

/** Where the worker pods run. Unset fields are filled in from the environment's stream node pool. */
export interface IsolationSpec {
    /** Node labels the pods must match. Defaults to the environment's stream pool labels. */
    nodeSelector?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Tolerations of the pods. Defaults to the environment's stream pool taints. */
    tolerations?: pulumi.Input<pulumi.Input<Toleration>[]>;
    /** One pod per node. Defaults to `true`. */
    podAntiAffinity?: pulumi.Input<boolean>;
}

/** Kafka connection of the pipeline. */
export interface KafkaSpec {
    /** Bootstrap servers, e.g. `kafka:9092`. Defaults to the environment's Kafka. */
    bootstrapServers?: pulumi.Input<string>;
    /** Consumer group. Defaults to the application's name. */
    consumerGroup?: pulumi.Input<string>;
    /** Topics to consume. */
    topics?: pulumi.Input<pulumi.Input<string>[]>;
}

/** What a trigger's target value means (KEDA's `metricType`). */
export const TriggerMetricType = {
    /** Average utilization in percent of the pods' requests; cpu and memory only. */
    Utilization: "Utilization",
    /** Target value per pod (the metric divided by the replica count). */
    AverageValue: "AverageValue",
    /** Target value of the whole metric; not for cpu and memory. */
    Value: "Value",
} as const;
export type TriggerMetricType = (typeof TriggerMetricType)[keyof typeof TriggerMetricType];

/** A KEDA TriggerAuthentication or ClusterTriggerAuthentication holding a scaler's credentials. */
export interface TriggerAuthenticationRef {
    /** Name of the object. */
    name: pulumi.Input<string>;
    /** `TriggerAuthentication` (in the application's namespace) or `ClusterTriggerAuthentication`. Defaults to `TriggerAuthentication`. */
    kind?: pulumi.Input<string>;
}

/** A KEDA scaler. */
export interface AutoscalingTrigger {
    /** Scaler type: `kafka`, `prometheus`, `cpu` or `memory`. */
    type: pulumi.Input<string>;
    /** Scaler settings (KEDA's trigger metadata). kafka: bootstrapServers, consumerGroup and topic, each taken from `kafka` when omitted (topic only when `kafka.topics` names one), lagThreshold optional; prometheus: query and threshold, serverAddress defaults to the environment's Prometheus; cpu and memory: value. */
    metadata?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** `Utilization` or `AverageValue` for cpu and memory (defaults to `Utilization`); `AverageValue` or `Value` for the others (KEDA's default `AverageValue`). */
    metricType?: pulumi.Input<TriggerMetricType>;
    /** Credentials of the scaler, e.g. SASL for Kafka or a bearer token for Prometheus. */
    authenticationRef?: pulumi.Input<TriggerAuthenticationRef>;
}

/** KEDA autoscaling. Needs KEDA in the environment. */
export interface AutoscalingSpec {
    /** Create a KEDA ScaledObject. Defaults to `false`. */
    enabled?: pulumi.Input<boolean>;
    /** Fewest replicas. Defaults to `1`. */
    minReplicas?: pulumi.Input<number>;
    /** Most replicas. Defaults to `10`. */
    maxReplicas?: pulumi.Input<number>;
    /** Scalers; at least one when enabled. */
    triggers?: pulumi.Input<pulumi.Input<AutoscalingTrigger>[]>;
}

/** The shared ReadWriteMany checkpoint claim of a distributed application. */
export interface SharedCheckpointsSpec {
    /** Existing ReadWriteMany claim. Defaults to the claim the Application creates on the environment's shared checkpoint storage. */
    claimName?: pulumi.Input<string>;
    /** Mount path in every pod. Defaults to `/mnt/volley/checkpoints`. */
    mountPath?: pulumi.Input<string>;
}

/** Distributed execution across several pods. */
export interface ClusterSpec {
    /** Virtual partitions, a power of two. Defaults to `256`. */
    maxKeyGroups?: pulumi.Input<number>;
    /** Arrow Flight port for inter-pod traffic. Defaults to `50051`. */
    flightPort?: pulumi.Input<number>;
    /** Shared checkpoint claim. */
    sharedCheckpoints?: pulumi.Input<SharedCheckpointsSpec>;
}
