// A ReadWriteMany claim on shared checkpoint storage: a dynamic claim on an RWX
// StorageClass, or a static PersistentVolume (NFS or CSI) pre-bound to its claim.
import { prune } from "./application";
import { stableSuffix } from "../../core/names";

export interface ClaimRequest {
    /** Claim name. */
    claimName: string;
    /** Claim namespace. */
    namespace: string;
    /** Cluster-scoped PV name for static backings (`checkpointVolumeName`, or the name an existing PV already has). */
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

/**
 * Cluster-scoped name of a claim's static PersistentVolume: `<namespace>.<claim>`.
 * A namespace is a DNS label (no dot), so the first dot splits the name back
 * into its pair and no two claims share a PV (the old `<namespace>-<claim>`
 * gave `a-b`/`c` and `a`/`b-c` the same name). A PV name is a DNS subdomain
 * (at most 253 characters): a longer pair keeps a readable prefix and ends in
 * a digest of the pair. A PV keeps the name it was created with
 * (SharedCheckpointVolume ignores later changes), so this rule names new PVs only.
 */
export function checkpointVolumeName(namespace: string, claim: string): string {
    const name = `${namespace}.${claim}`;
    if (name.length <= 253) return name;
    const suffix = stableSuffix([namespace, claim], 10);
    return `${name.slice(0, 253 - suffix.length - 1).replace(/[-.]+$/, "")}-${suffix}`;
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

// ---- per-application directories on an NFS export ------------------------

/** Defaults of the directory each application gets on an `Nfs` backend. */
export const APP_DIRECTORY_DEFAULTS = {
    /** Same default owner as EFS access points (AwsEnvironment), so one image works on every cloud. */
    uid: 1000,
    gid: 1000,
    /** Pinned; it needs only sh, mkdir, stat, chmod and chown. */
    image: "busybox:1.37.0",
    mode: "0770",
};

/** `<export>/<namespace>/<application>`: one directory per application, never the export root. */
export function appDirectory(exportPath: string, namespace: string, app: string): string {
    return `${exportPath.replace(/\/+$/, "")}/${namespace}/${app}`;
}

/**
 * The namespace of the Jobs that create applications' directories, one per
 * environment (`<operator namespace>-checkpoint-jobs`). The Jobs run as root
 * with CAP_CHOWN and an inline NFS volume of the whole export: Pod Security
 * `baseline` admits that, `restricted` (the operator's namespace, and what
 * application namespaces can now be) does not. Nothing else runs there, so
 * only those who may create pods in it can reach the export root.
 */
export function directoryJobNamespace(operatorNamespace: string): string {
    const name = `${operatorNamespace}-checkpoint-jobs`;
    return name.length <= 63 ? name : `${name.slice(0, 55).replace(/-+$/, "")}-${stableSuffix([operatorNamespace], 7)}`;
}

/** Labels of that namespace: Pod Security `baseline`, enforced (it forbids privileged pods, host namespaces and hostPath). */
export const DIRECTORY_NAMESPACE_LABELS = {
    "app.kubernetes.io/part-of": "volley",
    "app.kubernetes.io/component": "checkpoint-directory",
    "pod-security.kubernetes.io/enforce": "baseline",
};

export interface DirectoryJobRequest {
    /** Application (VolleyApplication) name. */
    app: string;
    /** The application's namespace (its directory is `<export>/<namespace>/<app>`). */
    namespace: string;
    /** Where the Job runs: the environment's `directoryNamespace`, or the application's namespace when the environment names none (earlier releases). */
    jobNamespace?: string;
    server: string;
    /** The export root, mounted by the Job only. */
    exportPath: string;
    uid: number;
    gid: number;
    image: string;
    /** Where platform pods run (the system pool). */
    placement?: { nodeSelector?: Record<string, string>; tolerations?: any[] };
}

/**
 * The Job's script: make `<export>/<namespace>/<app>` mode 0770 and owned by
 * uid:gid, changing only what differs, so a run on a directory that is right
 * writes nothing (and works even where root is squashed). Any entry with
 * another owner re-owns the whole tree (`chown -hR`: files written under the old uid follow;
 * symbolic links are re-owned, never followed). Root squash (or a read-only
 * export) makes a step fail: the script says so and exits, and the Job fails
 * at once instead of retrying for the Job await's 10 minutes.
 */
export function directoryScript(r: Pick<DirectoryJobRequest, "app" | "namespace" | "uid" | "gid">): string {
    const rel = `${r.namespace}/${r.app}`;
    const owner = `${r.uid}:${r.gid}`;
    const mode = APP_DIRECTORY_DEFAULTS.mode;
    return [
        "set -u",
        `d='/export/${rel}'`,
        `fail() { echo "volley: cannot $1 ${rel} on the checkpoint export as root: the export squashes root for this node, or is read-only; ` +
            `it must let the nodes' root create and chown directories (no_root_squash)" >&2; exit 1; }`,
        `mkdir -p "$d" || fail create`,
        `[ "$(stat -c %a "$d")" = ${mode.replace(/^0/, "")} ] || chmod ${mode} "$d" || fail chmod`,
        // Any entry with another owner, not only the top: a chown cut short (pod lost mid-way) is finished by the retry.
        // busybox find has `!`, `( )`, -user/-group by ID and -quit (findutils/find.c, FEATURE_FIND_* default y).
        `find "$d" \\( ! -user ${r.uid} -o ! -group ${r.gid} \\) -print -quit | grep -q . && { chown -hR '${owner}' "$d" || fail chown; }`,
        "exit 0",
    ].join("\n");
}

/**
 * A Job that makes `<export>/<namespace>/<app>` the application's directory:
 * mode 0770, owned by the workers' uid:gid (directoryScript). It mounts the
 * export root; the application's volume mounts only its directory. Root with
 * CHOWN alone: on NFS the kernel client leaves permission checks (lookup,
 * readdir, chmod, chown) to the server (fs/nfs/dir.c nfs_permission asks it
 * with ACCESS; fs/nfs/inode.c nfs_setattr sends SETATTR without a local
 * capability check), which grants root everything without root squash, so
 * a recursive chown needs no DAC capability. No ttlSecondsAfterFinished: a
 * Job that vanished would be re-created by the next up. A failed Job is
 * replaced by the next up (pulumi.com/replaceUnready), so fixing the export
 * and running up again is enough.
 * Its name is the application's with a digest of everything the Job is
 * (application, namespace, spec): unique in a namespace shared by every
 * application, and a changed Job is a new Job (a Job's template cannot
 * change), created before the old one is deleted.
 */
export function renderDirectoryJob(r: DirectoryJobRequest): any {
    const spec = prune({
        // One retry (a pod lost with its node); the script's own failures are not transient.
        backoffLimit: 1,
        template: {
            metadata: { labels: { "app.kubernetes.io/part-of": "volley", "app.kubernetes.io/component": "checkpoint-directory" } },
            spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: false,
                securityContext: { seccompProfile: { type: "RuntimeDefault" } },
                nodeSelector: r.placement?.nodeSelector && Object.keys(r.placement.nodeSelector).length ? r.placement.nodeSelector : undefined,
                tolerations: r.placement?.tolerations?.length ? r.placement.tolerations.map((t) => prune({ ...t })) : undefined,
                containers: [{
                    name: "mkdir",
                    image: r.image,
                    command: ["sh", "-c", directoryScript(r)],
                    securityContext: {
                        runAsUser: 0,
                        runAsNonRoot: false,
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"], add: ["CHOWN"] },
                    },
                    // The script's message becomes the pod's termination message, which `pulumi up` prints.
                    terminationMessagePolicy: "FallbackToLogsOnError",
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
                    volumeMounts: [{ name: "export", mountPath: "/export" }],
                }],
                volumes: [{ name: "export", nfs: { server: r.server, path: r.exportPath } }],
            },
        },
    });
    return {
        metadata: {
            name: directoryJobName(r.app, stableSuffix([r.namespace, r.app, JSON.stringify(spec)], 8)),
            namespace: r.jobNamespace ?? r.namespace,
            labels: {
                "app.kubernetes.io/part-of": "volley", "app.kubernetes.io/component": "checkpoint-directory",
                "volley.io/application": r.app, "volley.io/namespace": r.namespace,
            },
            // pulumi-kubernetes replaces a Job that has not completed (e.g. failed on root squash) on the next up.
            annotations: { "pulumi.com/replaceUnready": "true" },
        },
        spec,
    };
}

/** `<app>-ckpt-dir-<digest>`, at most 63 characters (the Job's pods carry its name as a label value). */
function directoryJobName(app: string, digest: string): string {
    return `${app.slice(0, 63 - "-ckpt-dir-".length - digest.length).replace(/-+$/, "")}-ckpt-dir-${digest}`;
}
