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
    /** Whether KEDA is installed, so applications may autoscale. */
    kedaEnabled: boolean;
    /** Whether the prometheus-operator CRDs are installed, so applications may create ServiceMonitors. */
    prometheusEnabled: boolean;
    /** In-cluster URL of the environment's Prometheus, e.g. `http://<release>-prometheus.<namespace>.svc:9090`; KEDA prometheus triggers without `serverAddress` use it. Absent when the environment runs no Prometheus of its own. */
    prometheusUrl?: string;
    /** Whether the cluster serves the resource metrics API (metrics.k8s.io, e.g. metrics-server) that KEDA cpu and memory triggers need; `false` makes such triggers a preview warning. Absent when not known. */
    resourceMetricsApi?: boolean;
    /** URN of the environment's Kubernetes provider. Applications in the same stack deploy through it (one provider for the whole environment); elsewhere, or when absent, each builds its own from `kubeconfig`. */
    kubernetesProviderUrn?: string;
}
