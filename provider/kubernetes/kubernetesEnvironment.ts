import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "./provider";
import { NetworkPolicySettings, Platform } from "./platform";
import { ChartSettings } from "./keda";
import type { PrometheusSettings } from "./prometheusSettings";
import { resolvedOf } from "../core/resolved";
import { known } from "../core/validate";
import { NfsExport } from "./sharedCheckpointVolume";
import { APP_DIRECTORY_DEFAULTS } from "./render/checkpoints";
import { CheckpointBackend, EnvironmentRef, Taint, Toleration } from "../core/types";
import { NodePlacement, VolleyOperatorSettings } from "./volleyOperator";

/** The environment's shared checkpoint storage (ReadWriteMany): exactly one of `storageClassName` or `nfs`. */
export interface CheckpointStorage {
    /** An existing ReadWriteMany StorageClass; each application gets a dynamic claim on it. */
    storageClassName?: pulumi.Input<string>;
    /** A static NFS export; each application gets its own directory `<path>/<namespace>/<application>` (created by a Job in the environment's directory namespace, which needs root access to the export, i.e. no root squash for the nodes) and a PersistentVolume on it (reclaim policy Retain). */
    nfs?: pulumi.Input<NfsExport>;
    /** Owner uid of each application's directory on the `nfs` export: the uid the workers run as. Defaults to `1000`. */
    uid?: pulumi.Input<number>;
    /** Owner gid of each application's directory on the `nfs` export (mode 0770). Defaults to `1000`. */
    gid?: pulumi.Input<number>;
    /** Image of the Job that creates each application's directory on the `nfs` export (needs sh, mkdir, stat, chmod, chown). Defaults to `busybox:1.37.0`. */
    directoryImage?: pulumi.Input<string>;
    /** Mount options of NFS volumes, e.g. `["nfsvers=4.1"]`. */
    mountOptions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Default size of each application's claim. Defaults to `50Gi`. */
    size?: pulumi.Input<string>;
}

/** KEDA settings of an environment. */
export interface KedaSettings extends ChartSettings {
    /** Install KEDA. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
}

export type { PrometheusSettings } from "./prometheusSettings";

/** The existing dedicated stream-processing nodes, described by their labels and taints. */
export interface StreamNodes {
    /** Labels of the dedicated nodes. Defaults to `{ "volley.io/pool": "stream-processing" }`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Taints of the dedicated nodes, Kubernetes spelling. Defaults to `volley.io/dedicated=true:NoSchedule`. */
    taints?: pulumi.Input<pulumi.Input<Taint>[]>;
}

export interface KubernetesEnvironmentArgs {
    /** Kubeconfig of the existing cluster (YAML or JSON). Defaults to the ambient kubeconfig (KUBECONFIG or ~/.kube/config). */
    kubeconfig?: pulumi.Input<string>;
    /** Volley operator settings. Required: at least `image`, the operator image you built (no public image exists). */
    operator: VolleyOperatorSettings;
    /** Shared checkpoint storage for distributed applications; omit when applications bring their own claims. */
    checkpoints?: pulumi.Input<CheckpointStorage>;
    /** KEDA for autoscaling. */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** The existing dedicated stream-processing nodes. */
    streamNodes?: pulumi.Input<StreamNodes>;
    /** Placement of platform pods (operator, KEDA, Prometheus) on the system nodes. Defaults to no constraint. */
    systemNodes?: pulumi.Input<NodePlacement>;
    /** NetworkPolicies for the platform namespaces. Defaults to none. */
    networkPolicies?: NetworkPolicySettings;
    /** The cluster's Kubernetes version (e.g. `1.34`), for a preview warning when a chart is untested on it. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Whether the cluster serves the resource metrics API (metrics.k8s.io, e.g. metrics-server) that cpu/memory autoscaling triggers read; `false` makes such triggers a preview warning. Plain. Defaults to unknown (no warning). */
    resourceMetricsApi?: boolean;
}

export const STREAM_POOL_LABELS = { "volley.io/pool": "stream-processing" };
export const STREAM_POOL_TAINTS: { key: string; value: string; effect: "NoSchedule" }[] = [
    { key: "volley.io/dedicated", value: "true", effect: "NoSchedule" },
];

/** Tolerations that let pods onto nodes with these taints. */
export function tolerationsFor(taints: { key: string; value?: string; effect: string }[]): Toleration[] {
    return taints.map((t) => (t.value ? { key: t.key, operator: "Equal", value: t.value, effect: t.effect } : { key: t.key, operator: "Exists", effect: t.effect }));
}

/**
 * Volley on an existing Kubernetes cluster: the operator and its CRD, KEDA,
 * prometheus-operator, and shared checkpoint storage on an existing RWX
 * StorageClass or NFS export. Its `environment` output feeds `Application`.
 */
export class KubernetesEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** The kubeconfig the environment deploys with (secret). */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;

    constructor(name: string, args: KubernetesEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:KubernetesEnvironment", name, {}, opts);
        if (opts?.urn) return;
        const kubeconfig = pulumi.secret(pulumi.output(args.kubeconfig).apply((k) => k ?? ""));
        const provider = kubernetesProvider(this, name, kubeconfig, opts);
        const children = { parent: this, providers: { kubernetes: provider } };
        const system = pulumi.output(args.systemNodes ?? {});

        // An NFS export (or checkpoints not known yet) gets the namespace of the directory Jobs.
        const ck = resolvedOf(args).checkpoints;
        const platform = new Platform(name, args, resolvedOf(args), system, children, {
            controlPlaneMonitors: true, kubernetesVersion: args.kubernetesVersion, resourceMetricsApi: resolvedOf(args).resourceMetricsApi,
            checkpointDirectories: ck !== undefined && ck !== null && (!known(ck) || pulumi.Output.isInstance(ck) || (ck.nfs !== undefined && ck.nfs !== null)),
        });

        const checkpoints = pulumi.output(args.checkpoints).apply((c): CheckpointBackend | undefined => {
            if (!c) return undefined;
            const common = { mountOptions: (c.mountOptions ?? []) as string[], defaultSize: (c.size ?? "50Gi") as string };
            return c.storageClassName
                ? { kind: "StorageClass", storageClassName: c.storageClassName as string, ...common }
                : {
                    kind: "Nfs", nfsServer: c.nfs!.server as string, nfsPath: c.nfs!.path as string, ...common,
                    uid: (c.uid ?? APP_DIRECTORY_DEFAULTS.uid) as number, gid: (c.gid ?? APP_DIRECTORY_DEFAULTS.gid) as number,
                    directoryImage: (c.directoryImage ?? APP_DIRECTORY_DEFAULTS.image) as string,
                };
        });
        const stream = pulumi.output(args.streamNodes ?? {}).apply((s) => ({
            nodeSelector: (s.labels ?? STREAM_POOL_LABELS) as Record<string, string>,
            tolerations: tolerationsFor((s.taints ?? STREAM_POOL_TAINTS) as any),
        }));

        this.environment = platform.environmentRef(name, kubeconfig, checkpoints, stream, system);
        this.kubeconfig = kubeconfig;
        this.operatorNamespace = platform.operator.namespace;
        this.registerOutputs({ environment: this.environment, kubeconfig: this.kubeconfig, operatorNamespace: this.operatorNamespace });
    }
}
