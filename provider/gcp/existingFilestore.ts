// An existing Filestore instance (e.g. one a destroyed stack retained), read
// and not managed: its share becomes the environment's checkpoint backend, so
// applications find their directories `/<share>/<namespace>/<app>` again.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { filestoreBackend } from "./render";
import { CheckpointBackend } from "../core/types";

export interface FilestoreRefs {
    instanceName: pulumi.Output<string>;
    ip: pulumi.Output<string>;
    share: pulumi.Output<string>;
    checkpoints: pulumi.Output<CheckpointBackend>;
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
    const share = fs.fileShares.apply((s) => s?.[0]?.name ?? "");
    return {
        instanceName: fs.name,
        ip,
        share,
        checkpoints: pulumi.all([ip, share, o.defaultClaimSize, o.uid, o.gid, o.directoryImage])
            .apply(([i, s, size, uid, gid, image]) => filestoreBackend(i, s, { size, uid, gid, image })),
    };
}
