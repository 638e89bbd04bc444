// The Filestore instance of a GcpEnvironment: a new FilestoreCheckpointStore,
// or an existing instance (e.g. one a destroyed stack retained) read by name.
import * as pulumi from "@pulumi/pulumi";
import { FilestoreCheckpointStore } from "./filestoreCheckpointStore";
import { FilestoreRefs, existingFilestore } from "./existingFilestore";
import { defaultFilestoreLocation, defaultFilestoreTier } from "./render";
import type { GcpEnvironmentArgs } from "./gcpEnvironment";

const present = (v: unknown) => v !== undefined && v !== null;
// An Output of `o[key]` (or the default), whether `o` arrived as a plain object or as an Output.
const field = (o: unknown, key: string, dflt?: unknown): any => pulumi.output(o as any).apply((x: any) => x?.[key] ?? dflt);

/** `r` holds the resolved inputs (which decide what exists); `args` the Inputs, which carry dependencies. */
export function environmentFilestore(
    parent: pulumi.Resource, name: string, args: GcpEnvironmentArgs, r: any, defaultInstanceName: string, location: pulumi.Output<string>,
    network: pulumi.Output<string>, labels: pulumi.Input<{ [key: string]: string }>, fileApi: pulumi.Resource[],
    nodeRanges?: pulumi.Input<string[]>,
): FilestoreRefs {
    const rc = r.checkpoints ?? {};
    const ck = pulumi.output(args.checkpoints ?? {}) as pulumi.Output<any>;
    const tier = pulumi.all([ck, location]).apply(([c, l]) => c.tier ?? defaultFilestoreTier(l) ?? "BASIC_HDD");
    const opt = (key: string) => (present(rc[key]) ? field(ck, key) : undefined);
    const backend = { defaultClaimSize: opt("defaultClaimSize"), uid: opt("uid"), gid: opt("gid"), directoryImage: opt("directoryImage") };
    if (present(rc.existingInstance)) {
        const e = field(ck, "existingInstance");
        // Where a default instance of this environment would be: the cluster's zone, or its region.
        const at = pulumi.all([e, tier, location]).apply(([x, t, cl]) => x.location ?? defaultFilestoreLocation(t, cl) ?? cl);
        return existingFilestore(parent, args.project, field(e, "name"), at, backend);
    }
    const store = new FilestoreCheckpointStore(`${name}-ckpt`, {
        project: args.project,
        instanceName: field(ck, "instanceName", defaultInstanceName),
        tier,
        capacityGib: opt("capacityGib"),
        shareName: opt("shareName"),
        connectMode: opt("connectMode"),
        reservedIpRange: opt("reservedIpRange"),
        kmsKeyName: opt("kmsKeyName"),
        grantKeyAccess: rc.grantKeyAccess,
        deletionProtection: opt("deletionProtection"),
        allowedIpRanges: present(rc.allowedIpRanges) ? field(ck, "allowedIpRanges") : nodeRanges,
        retainOnDelete: rc.retainOnDelete,
        ...backend,
        location: pulumi.all([ck, tier, location]).apply(([c, t, cl]) => c.location ?? defaultFilestoreLocation(t, cl) ?? ""),
        network,
        labels,
    }, { parent, dependsOn: fileApi });
    return { instanceName: store.instanceName, ip: store.ip, share: store.share, checkpoints: store.checkpoints, reservedIpRange: store.reservedIpRange };
}
