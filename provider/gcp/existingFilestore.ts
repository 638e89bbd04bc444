// An existing Filestore instance (e.g. one a destroyed stack retained), read
// and not managed: its share becomes the environment's checkpoint backend, so
// applications find their directories `/<share>/<namespace>/<app>` again.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { existingInstanceIssue, filestoreBackend } from "./render";
import { CheckpointBackend } from "../core/types";

export interface FilestoreRefs {
    instanceName: pulumi.Output<string>;
    ip: pulumi.Output<string>;
    share: pulumi.Output<string>;
    checkpoints: pulumi.Output<CheckpointBackend>;
    /** Reserved IP range of an instance the environment created (the source of its NFS lock callbacks). */
    reservedIpRange?: pulumi.Output<string>;
}

export interface BackendOptions {
    defaultClaimSize?: pulumi.Input<string>;
    uid?: pulumi.Input<number>;
    gid?: pulumi.Input<number>;
    directoryImage?: pulumi.Input<string>;
}

export function existingFilestore(
    parent: pulumi.Resource, project: pulumi.Input<string>, name: pulumi.Input<string>, location: pulumi.Input<string>, o: BackendOptions,
): FilestoreRefs {
    const fs = gcp.filestore.getInstanceOutput({ name, location, project }, { parent });
    const ip = fs.networks.apply((n) => n?.[0]?.ipAddresses?.[0] ?? "");
    // The instance's own share: a share name cannot change after creation.
    // Fails the preview at once (not after the directory Job's 10-minute wait) when the export squashes root.
    const share = pulumi.all([fs.fileShares, name]).apply(([s, n]) => {
        const issue = existingInstanceIssue(n, s?.[0]?.nfsExportOptions as any);
        if (issue) throw new Error(issue);
        return s?.[0]?.name ?? "";
    });
    return {
        instanceName: fs.name,
        ip,
        share,
        checkpoints: pulumi.all([ip, share, o.defaultClaimSize, o.uid, o.gid, o.directoryImage])
            .apply(([i, s, size, uid, gid, image]) => filestoreBackend(i, s, { size, uid, gid, image })),
    };
}
