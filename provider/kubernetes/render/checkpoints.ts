// A ReadWriteMany claim on shared checkpoint storage: a dynamic claim on an RWX
// StorageClass, or a static PersistentVolume (NFS or CSI) pre-bound to its claim.
import { prune } from "./application";

export interface ClaimRequest {
    /** Claim name. */
    claimName: string;
    /** Claim namespace. */
    namespace: string;
    /** Cluster-scoped PV name for static backings (deterministic: namespace + claim). */
    volumeName: string;
    /** Size, a Kubernetes quantity. */
    size: string;
}

export interface Backing {
    storageClassName?: string;
    nfs?: { server: string; path: string };
    csi?: { driver: string; volumeHandle: string; volumeAttributes?: Record<string, string> };
    mountOptions?: string[];
}

export interface RenderedClaim {
    /** PersistentVolume spec, for static backings only. */
    volume?: any;
    claim: any;
}

export function renderCheckpointClaim(b: Backing, r: ClaimRequest): RenderedClaim {
    const resources = { requests: { storage: r.size } };
    if (b.storageClassName) {
        return { claim: { accessModes: ["ReadWriteMany"], storageClassName: b.storageClassName, resources } };
    }
    const source = b.nfs ? { nfs: { server: b.nfs.server, path: b.nfs.path } } : { csi: prune({ ...b.csi }) };
    return {
        volume: prune({
            capacity: { storage: r.size },
            accessModes: ["ReadWriteMany"],
            // Checkpoints outlive the claim: deleting it never deletes data.
            persistentVolumeReclaimPolicy: "Retain",
            // Empty class: static binding only, no provisioner may claim it.
            storageClassName: "",
            mountOptions: b.mountOptions?.length ? b.mountOptions : undefined,
            claimRef: { namespace: r.namespace, name: r.claimName },
            ...source,
        }),
        claim: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: r.volumeName, resources },
    };
}
