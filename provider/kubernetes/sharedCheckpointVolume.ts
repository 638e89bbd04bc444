import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesProvider } from "./provider";
import { Backing, checkpointVolumeName, renderCheckpointClaim } from "./render/checkpoints";

/** A static NFS export. */
export interface NfsExport {
    /** NFS server host name or IP. */
    server: pulumi.Input<string>;
    /** Exported path, absolute. */
    path: pulumi.Input<string>;
}

/** A pre-provisioned CSI volume (for example a Filestore share). */
export interface CsiVolume {
    /** CSI driver, e.g. `filestore.csi.storage.gke.io`. */
    driver: pulumi.Input<string>;
    /** Volume handle the driver understands. */
    volumeHandle: pulumi.Input<string>;
    /** Driver-specific attributes. */
    volumeAttributes?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

export interface SharedCheckpointVolumeArgs {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Name of the claim. Defaults to the component name. */
    claimName?: pulumi.Input<string>;
    /** Namespace of the claim. Defaults to `default`. */
    namespace?: pulumi.Input<string>;
    /** An existing ReadWriteMany StorageClass (EFS, Filestore, Azure Files, NFS provisioner...): the claim is provisioned dynamically. */
    storageClassName?: pulumi.Input<string>;
    /** A static NFS export: a PersistentVolume is created and pre-bound to the claim. */
    nfs?: pulumi.Input<NfsExport>;
    /** A pre-provisioned CSI volume: a PersistentVolume is created and pre-bound to the claim. */
    csi?: pulumi.Input<CsiVolume>;
    /** Mount options of static volumes, e.g. `["nfsvers=4.1"]`. */
    mountOptions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Requested size, a Kubernetes quantity. Defaults to `50Gi`. */
    size?: pulumi.Input<string>;
    /** Keep the claim and volume in the cluster when they leave the Pulumi program, so checkpoints survive. Plain. Defaults to `true`. */
    retainOnDelete?: boolean;
}

/**
 * A ReadWriteMany claim for shared Volley checkpoints: dynamic on an RWX
 * StorageClass, or a static NFS/CSI PersistentVolume with reclaim policy
 * Retain. Checkpoints are never deleted with the claim unless asked.
 */
export class SharedCheckpointVolume extends pulumi.ComponentResource {
    /** Name of the ReadWriteMany claim. */
    public readonly claimName!: pulumi.Output<string>;
    /** Namespace of the claim. */
    public readonly namespace!: pulumi.Output<string>;
    /** Name of the static PersistentVolume, empty for dynamic claims. */
    public readonly volumeName!: pulumi.Output<string>;

    constructor(name: string, args: SharedCheckpointVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:SharedCheckpointVolume", name, {}, opts);
        if (opts?.urn) return;
        const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
        const retainOnDelete = args.retainOnDelete ?? true;
        const o = { parent: this, provider, retainOnDelete };
        const claimName = pulumi.output(args.claimName ?? name);
        const namespace = pulumi.output(args.namespace ?? "default");
        // Cluster-scoped: `<namespace>.<claim>`, unique per claim. A PV keeps the name it was
        // created with (earlier releases named it `<namespace>-<claim>`): renaming it would
        // replace the volume of retained checkpoints, so later changes of the name are ignored.
        const volumeName = pulumi.all([namespace, claimName]).apply(([ns, c]) => checkpointVolumeName(ns, c));
        const request = pulumi.all([
            { storageClassName: args.storageClassName, nfs: args.nfs, csi: args.csi, mountOptions: args.mountOptions },
            claimName, namespace, args.size ?? "50Gi",
        ]);
        const render = (v: pulumi.Input<string>) => pulumi.all([request, v])
            .apply(([[backing, c, ns, size], name]) => renderCheckpointClaim(backing as Backing, { claimName: c, namespace: ns, volumeName: name, size }));
        const labels = { "app.kubernetes.io/part-of": "volley", "volley.io/checkpoints": "shared" };
        // Static or dynamic must be known now to decide whether a PV exists.
        const volume = args.storageClassName === undefined
            ? new k8s.core.v1.PersistentVolume(`${name}-pv`, {
                metadata: { name: volumeName, labels },
                spec: render(volumeName).apply((r) => r.volume),
            }, { ...o, ignoreChanges: ["metadata.name"] })
            : undefined;
        // The claim binds to the PV by the name the PV really has (the old one on an upgraded stack).
        const boundTo = volume ? volume.metadata.name : pulumi.output("");
        const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-pvc`, {
            metadata: { name: claimName, namespace, labels },
            spec: render(boundTo).apply((r) => r.claim),
        }, { ...o, dependsOn: volume ? [volume] : [] });
        this.claimName = claim.metadata.name;
        this.namespace = claim.metadata.namespace;
        this.volumeName = volume ? volume.metadata.name : pulumi.output("");
        this.registerOutputs({ claimName: this.claimName, namespace: this.namespace, volumeName: this.volumeName });
    }
}
