// Types shared by several components. Every interface here becomes a
// `volley:index:<Name>` type in schema.json, and its JSDoc becomes the docs of
// every SDK, so each field carries one line of documentation.
import * as pulumi from "@pulumi/pulumi";

/** How a Kubernetes taint or toleration affects scheduling (Kubernetes spelling). */
export const TaintEffect = {
    /** Pods that do not tolerate the taint are not scheduled on the node. */
    NoSchedule: "NoSchedule",
    /** The scheduler tries to avoid the node for pods that do not tolerate the taint. */
    PreferNoSchedule: "PreferNoSchedule",
    /** Pods that do not tolerate the taint are evicted from the node. */
    NoExecute: "NoExecute",
} as const;
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];

/** A taint on the dedicated stream-processing nodes. */
export interface Taint {
    /** Taint key, a qualified Kubernetes name such as `volley.io/dedicated`. */
    key: pulumi.Input<string>;
    /** Taint value. Defaults to an empty value. */
    value?: pulumi.Input<string>;
    /** Taint effect in Kubernetes spelling: `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
    effect: pulumi.Input<TaintEffect>;
}

/** A Kubernetes toleration. */
export interface Toleration {
    /** Taint key the toleration matches; empty with operator `Exists` matches every taint. */
    key?: pulumi.Input<string>;
    /** `Equal` (default) or `Exists`. */
    operator?: pulumi.Input<string>;
    /** Taint value to match when the operator is `Equal`. */
    value?: pulumi.Input<string>;
    /** Taint effect to match: `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches all. */
    effect?: pulumi.Input<string>;
    /** How long a `NoExecute` toleration keeps the pod bound after the taint appears. */
    tolerationSeconds?: pulumi.Input<number>;
}

/** Where a Volley environment keeps shared (ReadWriteMany) checkpoints, as seen by applications. */
export interface CheckpointBackend {
    /** `StorageClass` (dynamic claims), `Nfs` (static NFS export, e.g. Filestore: each application gets its own directory) or `Csi` (static CSI volume). */
    kind: string;
    /** StorageClass of dynamic claims when kind is `StorageClass`; empty for static volumes. */
    storageClassName?: string;
    /** NFS server when kind is `Nfs`. */
    nfsServer?: string;
    /** Exported path when kind is `Nfs`; each application's volume is `<nfsPath>/<namespace>/<application>`, never the export itself. */
    nfsPath?: string;
    /** Owner uid of each application's directory when kind is `Nfs`: the uid the workers run as (1000 when absent). */
    uid?: number;
    /** Owner gid of each application's directory when kind is `Nfs` (1000 when absent); the directory is mode 0770. */
    gid?: number;
    /** Image of the Job that creates each application's directory when kind is `Nfs` (needs sh, mkdir, stat, chmod, chown; `busybox:1.37.0` when absent). */
    directoryImage?: string;
    /** Namespace where the Jobs that create applications' directories run when kind is `Nfs` (Pod Security `baseline`, used by nothing else), so application namespaces can be `restricted`. Set by the environment; when absent (environments before #22, or written by hand without it) each Job runs in its application's namespace. */
    directoryNamespace?: string;
    /** CSI driver name when kind is `Csi`. */
    csiDriver?: string;
    /** CSI volume handle when kind is `Csi`. */
    volumeHandle?: string;
    /** CSI volume attributes when kind is `Csi`. */
    volumeAttributes?: { [key: string]: string };
    /** Mount options of static volumes. */
    mountOptions?: string[];
    /** Default size of each application's claim, a Kubernetes quantity. */
    defaultSize: string;
}

/** Scheduling constraints that place pods on a node pool. */
export interface Placement {
    /** Node labels the pods must match. */
    nodeSelector: { [key: string]: string };
    /** Tolerations the pods need to run on those nodes. */
    tolerations: Toleration[];
}

/** A key of a Secret that pods read through an env `secretKeyRef` (the value never enters the Pulumi state). */
export interface SecretKeyReference {
    /** Name of the Secret. */
    name: string;
    /** Key within the Secret. */
    key: string;
}

/** How applications reach the environment's Kafka: addresses and security settings, never secret values. */
export interface KafkaRef {
    /** `strimzi` (installed by the environment) or `external`. */
    mode: string;
    /** Bootstrap servers applications and KEDA connect to, `host:port[,host:port...]`; for Strimzi `<cluster>-kafka-bootstrap.<namespace>.svc:<port>`, known at preview. */
    bootstrapServers: string;
    /** Kafka's `security.protocol` for clients: `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`. */
    securityProtocol: string;
    /** SASL mechanism (Kafka's spelling, e.g. `SCRAM-SHA-512`) when the protocol is SASL. */
    saslMechanism?: string;
    /** Secret key with the PEM CA certificate of the brokers, when TLS with a private CA; for Strimzi it is in `namespace`. */
    caSecret?: SecretKeyReference;
    /** Secret key with the SASL user name (external clusters), in each application's namespace. */
    usernameSecret?: SecretKeyReference;
    /** Secret key with the SASL password (external clusters), in each application's namespace. */
    passwordSecret?: SecretKeyReference;
    /** Strimzi client authentication: `none`, `scram-sha-512` or `tls`; with one, each Application gets a KafkaUser. */
    authentication?: string;
    /** Strimzi: namespace of the Kafka cluster, where KafkaTopics and KafkaUsers (and their Secrets) live. */
    namespace?: string;
    /** Strimzi: name of the `Kafka` resource (the `strimzi.io/cluster` label of topics and users). */
    clusterName?: string;
    /** Number of brokers, for replication checks; absent when unknown. */
    brokers?: number;
    /** Replication factor of topics that set none (`default.replication.factor`); absent when unknown. */
    defaultReplicationFactor?: number;
    /** `min.insync.replicas` of topics that set none; absent when unknown. */
    minInsyncReplicas?: number;
    /** Partitions of topics that set none (`num.partitions`); absent when unknown. */
    defaultPartitions?: number;
}

/**
 * What one node of a pool offers pods. `cpu` and `memory` are the machine's
 * capacity as the cloud documents it; pods get less (kubelet and system
 * reservations, the eviction threshold), which the `allocatable` fields carry
 * where the cloud documents those reservations.
 */
export interface NodeShape {
    /** Instance type, machine type or VM size, e.g. `m6i.2xlarge`; absent for a shape described by hand. */
    name?: string;
    /** CPU of one node as the cloud documents it (vCPUs), a Kubernetes quantity such as `8`. */
    cpu: string;
    /** Memory of one node as the cloud documents it, a Kubernetes quantity such as `32Gi`. */
    memory: string;
    /** CPU that pods may request on one node: `cpu` less the documented kubelet and system reservation. Absent when not documented; checks then use `cpu`, an upper bound. */
    allocatableCpu?: string;
    /** Memory that pods may request on one node: `memory` less the documented reservations and eviction threshold. Absent when not documented; checks then use `memory`, an upper bound. */
    allocatableMemory?: string;
}

/** Total CPU and memory a node pool may provision over all its nodes, Kubernetes quantities (Karpenter NodePool `limits`). */
export interface ResourceLimits {
    /** Total CPU of the pool's nodes, e.g. `64`; absent when not bounded. */
    cpu?: string;
    /** Total memory of the pool's nodes, e.g. `256Gi`; absent when not bounded. */
    memory?: string;
}

/**
 * How much the stream-processing pool can hold. `Application` checks its
 * replicas (one pod per node with `isolation.podAntiAffinity`) and resource
 * requests against it at preview; absent parts are not known and not checked.
 */
export interface StreamCapacity {
    /** Most nodes the pool can grow to (managed node group `maxSize`, node pool `maxNodes`/`maxCount`, Karpenter `limits.nodes`, or as described); absent when not bounded or not known. */
    maxNodes?: number;
    /** Shapes a stream node can have (the pool's instance types, machine type or VM size, or those a Karpenter NodePool allows); a pod must fit one of them. Absent when any is not known. */
    nodeShapes?: NodeShape[];
    /** Total CPU and memory the pool may provision (Karpenter NodePool `limits`); absent when not bounded. */
    limits?: ResourceLimits;
    /** The inputs these figures come from, e.g. `streamNodePool.maxSize and instanceTypes`; preview errors name them as what to change. */
    setBy?: string;
}

/**
 * Everything an `Application` needs to know about the environment it runs in.
 * Every environment component outputs one; pass it to `Application.environment`.
 */
export interface EnvironmentRef {
    /** Name of the environment (the environment component's name). */
    name: string;
    /** Kubeconfig of the cluster, or empty for the ambient kubeconfig. Secret. */
    kubeconfig: string;
    /** Namespace of the Volley operator. */
    operatorNamespace: string;
    /** Name of the VolleyApplication CRD installed in the cluster. */
    crdName: string;
    /** Shared checkpoint storage, or absent when the environment has none. */
    checkpoints?: CheckpointBackend;
    /** Placement of application pods on the dedicated stream-processing nodes. */
    streamPlacement: Placement;
    /** Placement of platform pods (operator, KEDA, Prometheus) on the system nodes. */
    systemPlacement: Placement;
    /** How much the stream-processing pool can hold (maximum nodes, node shapes, total limits), which applications are checked against at preview; absent when not known. */
    streamCapacity?: StreamCapacity;
    /** Whether KEDA is installed, so applications may autoscale. */
    kedaEnabled: boolean;
    /** Whether the prometheus-operator CRDs are installed, so applications may create ServiceMonitors. */
    prometheusEnabled: boolean;
    /** In-cluster URL of the environment's Prometheus, e.g. `http://<release>-prometheus.<namespace>.svc:9090`; KEDA prometheus triggers without `serverAddress` use it. Absent when the environment runs no Prometheus of its own. */
    prometheusUrl?: string;
    /** Whether the cluster serves the resource metrics API (metrics.k8s.io, e.g. metrics-server) that KEDA cpu and memory triggers need; `false` makes such triggers a preview warning. Absent when not known. */
    resourceMetricsApi?: boolean;
    /** The environment's Kafka, absent when it has none. */
    kafka?: KafkaRef;
    /** URN of the environment's Kubernetes provider. Applications in the same stack deploy through it (one provider for the whole environment); elsewhere, or when absent, each builds its own from `kubeconfig`. */
    kubernetesProviderUrn?: string;
}
