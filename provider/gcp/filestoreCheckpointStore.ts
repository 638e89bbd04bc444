import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import {
    GCP_DEFAULTS, defaultFilestoreTier, filestoreBackend, filestoreExportOptions, filestoreInstanceName, filestoreVolumeHandle, gcpLabels, stackSuffix,
} from "./render";
import { resolvedOf } from "../core/resolved";
import { plainDependsOn } from "./apis";
import { CheckpointBackend } from "../core/types";

/** Filestore service tier. It cannot change after creation. */
export const FilestoreTier = {
    /** Basic HDD: zonal, 1024-65433 GiB. */
    BasicHdd: "BASIC_HDD",
    /** Basic SSD: zonal, 2560-65433 GiB. */
    BasicSsd: "BASIC_SSD",
    /** Zonal: 1024-9984 GiB in 256 GiB steps, or 10240-102400 GiB in 2560 GiB steps. */
    Zonal: "ZONAL",
    /** Regional (replicated across zones): same capacities as Zonal. */
    Regional: "REGIONAL",
    /** Enterprise: regional, 1024-10240 GiB in 256 GiB steps. */
    Enterprise: "ENTERPRISE",
} as const;
export type FilestoreTier = (typeof FilestoreTier)[keyof typeof FilestoreTier];

/** How the Filestore instance connects to the VPC network. */
export const FilestoreConnectMode = {
    /** VPC peering with the instance's network (the default). */
    DirectPeering: "DIRECT_PEERING",
    /** Private services access, needed for Shared VPC; the network must already have a private services connection. */
    PrivateServiceAccess: "PRIVATE_SERVICE_ACCESS",
} as const;
export type FilestoreConnectMode = (typeof FilestoreConnectMode)[keyof typeof FilestoreConnectMode];

/** Filestore settings shared by FilestoreCheckpointStore and GcpEnvironment. */
export interface FilestoreOptions {
    /** Name of the Filestore instance (lower-case letters, digits, "-", at most 63 characters). Defaults to the component name, lower-cased, with a 6-character suffix unique to the Pulumi project and stack. */
    instanceName?: pulumi.Input<string>;
    /** Service tier; capacity is validated against it. It cannot change after creation. Defaults to BASIC_HDD next to a zonal cluster; required next to a regional one (ZONAL and REGIONAL quota starts at 0 in a new project: request it first, or use BASIC_HDD in a zone). */
    tier?: pulumi.Input<FilestoreTier>;
    /** Capacity of the share in GiB, within the tier's range. Basic tiers can only grow. Defaults to `1024`. */
    capacityGib?: pulumi.Input<number>;
    /** Name of the file share: letters, digits and "_", starting with a letter, at most 16 characters. Defaults to `checkpoints`. */
    shareName?: pulumi.Input<string>;
    /** `DIRECT_PEERING` or `PRIVATE_SERVICE_ACCESS` (Shared VPC; needs an existing private services connection). Defaults to `DIRECT_PEERING`. */
    connectMode?: pulumi.Input<FilestoreConnectMode>;
    /** IP range for the instance: a /29 (basic tiers) or /26 CIDR with DIRECT_PEERING, or an allocated range name with PRIVATE_SERVICE_ACCESS. Defaults to a free range chosen by Filestore. */
    reservedIpRange?: pulumi.Input<string>;
    /** Customer-managed encryption key, `projects/P/locations/L/keyRings/R/cryptoKeys/K` (ZONAL, REGIONAL, ENTERPRISE only). Setting it also creates the key grant (see `grantKeyAccess`). Defaults to Google-managed encryption. */
    kmsKeyName?: pulumi.Input<string>;
    /** Grant the Filestore service agent encrypt/decrypt on `kmsKeyName` (needs permission to set the key's IAM policy). Plain: it decides whether the grant exists. Defaults to `true`. */
    grantKeyAccess?: boolean;
    /** Refuse deletion of the instance in GCP (console, gcloud, replacements). Defaults to `true`. */
    deletionProtection?: pulumi.Input<boolean>;
    /** Keep the instance and its checkpoints when it leaves the Pulumi program (`pulumi destroy` forgets it instead of deleting it). Plain. Defaults to `true`. */
    retainOnDelete?: boolean;
    /** Default size of each application's claim on the share, a Kubernetes quantity. Defaults to `50Gi`. */
    defaultClaimSize?: pulumi.Input<string>;
    /** Owner uid of each application's directory `/<share>/<namespace>/<application>`: the uid the workers run as. A change re-owns each application's directory and everything in it (a new Job per application). Defaults to `1000`. */
    uid?: pulumi.Input<number>;
    /** Owner gid of each application's directory (mode 0770). Defaults to `1000`. */
    gid?: pulumi.Input<number>;
    /** Address ranges allowed to mount the share (read-write, root not squashed: the directory Job needs root), at most 64. GcpEnvironment sets its node range when it creates the network; with `existingNetwork` or `existingCluster` set it to the nodes' range (the preview warns while it is unset). Defaults to every internal address of the VPC (Filestore's default). */
    allowedIpRanges?: pulumi.Input<pulumi.Input<string>[]>;
    /** Image of the Job that creates each application's directory on the share (needs sh, mkdir, stat, chmod, chown). Defaults to `busybox:1.37.0`. */
    directoryImage?: pulumi.Input<string>;
}

export interface FilestoreCheckpointStoreArgs extends FilestoreOptions {
    /** GCP project of the instance. */
    project: pulumi.Input<string>;
    /** Zone (BASIC_HDD, BASIC_SSD, ZONAL) or region (REGIONAL, ENTERPRISE) of the instance. */
    location: pulumi.Input<string>;
    /** VPC network of the GKE cluster (name, or `projects/P/global/networks/N` for Shared VPC); the instance must be on the cluster's network. */
    network: pulumi.Input<string>;
    /** GCP labels on the instance. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Zone or region of the cluster, used to pick the default tier. Defaults to the instance's location. */
    clusterLocation?: pulumi.Input<string>;
}

/**
 * A Filestore instance for shared Volley checkpoints (ReadWriteMany over NFS),
 * retained on delete and deletion-protected by default. Its `checkpoints`
 * output (kind `Nfs`) makes each Application create its own directory
 * `/<share>/<namespace>/<application>` (a Job, owned by `uid`:`gid`, mode
 * 0770) and a static NFS PersistentVolume (reclaim policy Retain) and claim
 * that mount only that directory.
 */
export class FilestoreCheckpointStore extends pulumi.ComponentResource {
    /** Name of the Filestore instance. */
    public readonly instanceName!: pulumi.Output<string>;
    /** Zone or region of the instance. */
    public readonly location!: pulumi.Output<string>;
    /** IP address of the instance in the VPC network. */
    public readonly ip!: pulumi.Output<string>;
    /** Name of the file share. */
    public readonly share!: pulumi.Output<string>;
    /** The instance's reserved IP range (Filestore's address block in the VPC). */
    public readonly reservedIpRange!: pulumi.Output<string>;
    /** CSI volume handle `modeInstance/<location>/<instance>/<share>`. */
    public readonly volumeHandle!: pulumi.Output<string>;
    /** Checkpoint backend for an EnvironmentRef: kind `Nfs` on the instance's IP and `/<share>`, so each application mounts only its own directory. */
    public readonly checkpoints!: pulumi.Output<CheckpointBackend>;

    constructor(name: string, args: FilestoreCheckpointStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:FilestoreCheckpointStore", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const tier = pulumi.all([args.tier, args.clusterLocation, args.location])
            .apply(([t, cl, l]) => t ?? defaultFilestoreTier(cl ?? l) ?? "BASIC_HDD");
        const share = pulumi.output(args.shareName ?? GCP_DEFAULTS.shareName);
        const instanceName = pulumi.output(args.instanceName ?? filestoreInstanceName(name, stackSuffix(pulumi.getProject(), pulumi.getStack(), name)));

        // CMEK: the Filestore service agent must be able to use the key before the instance is created.
        const grants: pulumi.Resource[] = [];
        if (r.kmsKeyName !== undefined && r.kmsKeyName !== null && (args.grantKeyAccess ?? true)) {
            const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this });
            grants.push(new gcp.kms.CryptoKeyIAMMember(`${name}-kms`, {
                cryptoKeyId: args.kmsKeyName!,
                role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                member: pulumi.interpolate`serviceAccount:service-${project.number}@cloud-filestore.iam.gserviceaccount.com`,
            // A retained instance keeps needing its key: the grant is retained with it.
            }, { parent: this, retainOnDelete: args.retainOnDelete ?? true }));
        }

        const instance = new gcp.filestore.Instance(`${name}-instance`, {
            name: instanceName,
            project: args.project,
            location: args.location,
            tier,
            description: "Volley shared checkpoints",
            fileShares: {
                name: share,
                capacityGb: pulumi.output(args.capacityGib ?? GCP_DEFAULTS.capacityGib),
                // Only the nodes mount (the kubelet does), so only they are let in (updated in place).
                nfsExportOptions: pulumi.output(args.allowedIpRanges).apply((r) => filestoreExportOptions(r as string[] | undefined)),
            },
            networks: [{
                network: args.network,
                modes: ["MODE_IPV4"],
                connectMode: pulumi.output(args.connectMode ?? GCP_DEFAULTS.connectMode),
                reservedIpRange: args.reservedIpRange,
            }],
            kmsKeyName: args.kmsKeyName,
            deletionProtectionEnabled: pulumi.output(args.deletionProtection ?? true),
            deletionProtectionReason: pulumi.output(args.deletionProtection ?? true).apply((p) => (p ? "Holds Volley checkpoints" : undefined)) as pulumi.Output<string>,
            labels: pulumi.output(args.labels ?? {}).apply((l) => gcpLabels(name, l as Record<string, string>)),
        // The fields Filestore sets at creation only (magic-modules mmv1/products/filestore/Instance.yaml: immutable):
        // a change would replace the instance and its checkpoints, so the instance keeps what it was created with.
        }, { parent: this, retainOnDelete: args.retainOnDelete ?? true, dependsOn: [...grants, ...plainDependsOn(opts)], ignoreChanges: [...INSTANCE_CREATE_ONLY] });
        pulumi.all([instanceName, instance.name, tier, instance.tier, args.location, instance.location, args.kmsKeyName, instance.kmsKeyName])
            .apply(([wn, n, wt, t, wl, l, wk, k]) => {
                for (const [what, w, a] of [["instanceName", wn, n], ["tier", wt, t], ["location", wl, l]]) {
                    if (w && a && w !== a) pulumi.log.warn(`checkpoints.${what}: the instance keeps ${JSON.stringify(a)}; ${JSON.stringify(w)} applies only to a new instance (a change would replace it and its checkpoints)`, this);
                }
                // A key added to an instance made without one is a change too.
                if ((wk || "") !== (k || "")) pulumi.log.warn(`checkpoints.kmsKeyName: the instance keeps ${k ? JSON.stringify(k) : "Google-managed encryption"}; ${wk ? JSON.stringify(wk) : "no key"} applies only to a new instance (a change would replace it and its checkpoints)`, this);
            });

        this.instanceName = instance.name;
        this.location = instance.location;
        this.share = share;
        this.ip = instance.networks.apply((n) => n?.[0]?.ipAddresses?.[0] ?? "");
        this.reservedIpRange = instance.networks.apply((n) => n?.[0]?.reservedIpRange ?? "");
        this.volumeHandle = pulumi.all([instance.location, instance.name, share]).apply(([l, i, s]) => filestoreVolumeHandle(l, i, s));
        this.checkpoints = pulumi.all([this.ip, share, args.defaultClaimSize, args.uid, args.gid, args.directoryImage])
            .apply(([ip, s, size, uid, gid, image]): CheckpointBackend => filestoreBackend(ip, s, { size, uid, gid, image }));
        this.registerOutputs({
            instanceName: this.instanceName, location: this.location, ip: this.ip, share: this.share, reservedIpRange: this.reservedIpRange,
            volumeHandle: this.volumeHandle, checkpoints: this.checkpoints,
        });
    }
}

/** Instance properties set at creation only: changes are ignored with a warning, never a replacement. */
export const INSTANCE_CREATE_ONLY = ["name", "tier", "location", "networks", "kmsKeyName", "fileShares.name"] as const;
