import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import { AzureFilesAccess, AzureFilesOptions } from "./settings";
import {
    AZURE_DEFAULTS, FILE_PRIVATE_DNS_ZONE, azureFilesBackend, azureFilesVolumeHandle, azureTags, fileHost, stackSuffix, storageAccountName, storageAccountSuffix,
} from "./render";
import { vnetIdOf } from "./network";
import { plainDependsOn } from "./util";
import { resolvedOf } from "../core/resolved";
import { CheckpointBackend } from "../core/types";

export interface AzureFilesCheckpointStoreArgs extends AzureFilesOptions {
    /** Resource group of the storage account (and of the private endpoint and DNS zone). */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region of the account. Defaults to the provider's `azure-native:location`. */
    location?: pulumi.Input<string>;
    /** Resource ID of the cluster's node subnet: the private endpoint goes there, or (service endpoint) the account admits only it. Its VNet is linked to the Private DNS zone. */
    subnetId: pulumi.Input<string>;
    /** Azure tags on the account, private endpoint and DNS zone, besides `volley-io-environment=<name>`. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * Azure Files NFS 4.1 for shared Volley checkpoints (ReadWriteMany): a
 * Premium FileStorage account with HTTPS-only off (NFS traffic is not TLS)
 * and a share without root squash, reached through a private endpoint and
 * its Private DNS zone, or a service endpoint; never public. Account and
 * share are retained on delete by default. Its `checkpoints` output (kind
 * `Nfs`) makes each Application create its own directory
 * `/<account>/<share>/<namespace>/<application>` (a Job, owned by
 * `uid`:`gid`, mode 0770) and a static NFS PersistentVolume (Retain) and
 * claim that mount only that directory.
 */
export class AzureFilesCheckpointStore extends pulumi.ComponentResource {
    /** Name of the storage account. */
    public readonly storageAccountName!: pulumi.Output<string>;
    /** Resource ID of the storage account. */
    public readonly storageAccountId!: pulumi.Output<string>;
    /** Name of the NFS share. */
    public readonly shareName!: pulumi.Output<string>;
    /** NFS server (`<account>.file.core.windows.net`). */
    public readonly nfsServer!: pulumi.Output<string>;
    /** Exported path `/<account>/<share>`. */
    public readonly exportPath!: pulumi.Output<string>;
    /** Volume handle `{resourceGroup}#{account}#{share}` for a static `file.csi.azure.com` volume of the whole share (add a unique suffix per volume). */
    public readonly volumeHandle!: pulumi.Output<string>;
    /** Checkpoint backend for an EnvironmentRef: kind `Nfs` on the share, so each application mounts only its own directory. It resolves once the share is reachable (DNS record and VNet link in place). */
    public readonly checkpoints!: pulumi.Output<CheckpointBackend>;

    constructor(name: string, args: AzureFilesCheckpointStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:AzureFilesCheckpointStore", name, {}, opts);
        if (opts?.urn) return;
        const r = resolvedOf(args);
        const o = { parent: this };
        const retain = args.retainOnDelete ?? true;
        const access = r.access ?? AZURE_DEFAULTS.access;
        const tags = pulumi.output(args.tags ?? {}).apply((t) => azureTags(name, t as Record<string, string>));
        const accountName = pulumi.output(args.storageAccountName ?? defaultStorageAccountName(this, name, stackSuffix(pulumi.getProject(), pulumi.getStack(), name)));
        const shareName = pulumi.output(args.shareName ?? AZURE_DEFAULTS.shareName);
        const privateEndpoint = access === AzureFilesAccess.PrivateEndpoint;

        const account = new storage.StorageAccount(`${name}-account`, {
            accountName,
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            kind: "FileStorage",
            sku: { name: pulumi.output(args.sku ?? AZURE_DEFAULTS.storageSku) },
            // NFS 4.1 shares refuse to exist on an account that requires secure transfer.
            enableHttpsTrafficOnly: pulumi.output(args.enableHttpsTrafficOnly ?? false),
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            // NFS needs no account key, and the package manages shares through ARM: keys only widen access.
            allowSharedKeyAccess: false,
            publicNetworkAccess: privateEndpoint ? "Disabled" : "Enabled",
            networkRuleSet: {
                defaultAction: "Deny",
                bypass: "None",
                // The subnet's Microsoft.Storage service endpoint exists first: the subnet ID is an input here.
                virtualNetworkRules: privateEndpoint ? [] : [{ virtualNetworkResourceId: args.subnetId, action: "Allow" }],
            },
            tags,
        // Name and SKU are the account's identity: a change would replace it and strand every checkpoint,
        // so the account keeps what it was created with (a warning below says so).
        }, { ...o, retainOnDelete: retain, dependsOn: plainDependsOn(opts), ignoreChanges: [...ACCOUNT_CREATE_ONLY] });
        warnIfKept(this, "storageAccountName", accountName, account.name);
        warnIfKept(this, "sku", pulumi.output(args.sku ?? AZURE_DEFAULTS.storageSku), account.sku.apply((x) => x?.name));

        const share = new storage.FileShare(`${name}-share`, {
            accountName: account.name,
            resourceGroupName: args.resourceGroupName,
            shareName,
            enabledProtocols: "NFS",
            // The Job that creates each application's directory runs as root and chowns it.
            rootSquash: "NoRootSquash",
            shareQuota: pulumi.output(args.quotaGib ?? AZURE_DEFAULTS.shareQuotaGib),
        }, { ...o, retainOnDelete: retain });

        // What must exist before a node can mount the share.
        const reachable: pulumi.Output<string>[] = [share.id];
        if (privateEndpoint) {
            const pe = new network.PrivateEndpoint(`${name}-pe`, {
                privateEndpointName: pulumi.interpolate`${account.name}-file-pe`,
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                subnet: { id: args.subnetId },
                privateLinkServiceConnections: [{ name: "file", privateLinkServiceId: account.id, groupIds: ["file"] }],
                tags,
            }, o);
            let zoneId: pulumi.Output<string> | undefined;
            if (r.privateDnsZoneId !== undefined && r.privateDnsZoneId !== null) {
                zoneId = pulumi.output(args.privateDnsZoneId!);
            } else if (r.createPrivateDnsZone !== false) {
                // The zone and its VNet link do not wait for the account: they run beside it.
                const zone = new privatedns.PrivateZone(`${name}-dns`, {
                    privateZoneName: FILE_PRIVATE_DNS_ZONE, resourceGroupName: args.resourceGroupName, location: "Global", tags,
                }, o);
                const link = new privatedns.VirtualNetworkLink(`${name}-dns-link`, {
                    virtualNetworkLinkName: pulumi.interpolate`${account.name}-vnet`,
                    privateZoneName: zone.name,
                    resourceGroupName: args.resourceGroupName,
                    location: "Global",
                    virtualNetwork: { id: pulumi.output(args.subnetId).apply(vnetIdOf) },
                    registrationEnabled: false,
                    tags,
                }, o);
                zoneId = zone.id;
                reachable.push(link.id);
            }
            // The A record of the endpoint's IP in the zone, kept by Azure as long as the endpoint lives.
            // Without a zone (custom DNS), the user's DNS holds that record.
            if (zoneId) {
                const group = new network.PrivateDnsZoneGroup(`${name}-pe-dns`, {
                    privateEndpointName: pe.name,
                    resourceGroupName: args.resourceGroupName,
                    privateDnsZoneGroupName: "file",
                    privateDnsZoneConfigs: [{ name: "file", privateDnsZoneId: zoneId }],
                }, o);
                reachable.push(group.id);
            } else {
                reachable.push(pe.id);
            }
        }

        this.storageAccountName = account.name;
        this.storageAccountId = account.id;
        this.shareName = share.name;
        this.nfsServer = pulumi.all([account.name, account.primaryEndpoints]).apply(([a, e]) => fileHost(a, e?.file));
        this.exportPath = pulumi.interpolate`/${account.name}/${share.name}`;
        this.volumeHandle = pulumi.all([args.resourceGroupName, account.name, share.name]).apply(([g, a, s]) => azureFilesVolumeHandle(g, a, s));
        const backend = pulumi.output({
            host: this.nfsServer, a: account.name, s: share.name, size: args.defaultClaimSize, uid: args.uid, gid: args.gid,
            image: args.directoryImage, mountOptions: args.mountOptions, reachable,
        });
        this.checkpoints = backend.apply((b) => azureFilesBackend(b.host, b.a, b.s, {
            size: b.size, uid: b.uid, gid: b.gid, image: b.image, mountOptions: b.mountOptions as string[] | undefined,
        }));
        this.registerOutputs({
            storageAccountName: this.storageAccountName, storageAccountId: this.storageAccountId, shareName: this.shareName,
            nfsServer: this.nfsServer, exportPath: this.exportPath, volumeHandle: this.volumeHandle, checkpoints: this.checkpoints,
        });
    }
}

/** Account properties set at creation only: changes are ignored (see warnIfKept). */
export const ACCOUNT_CREATE_ONLY = ["accountName", "sku"] as const;

/**
 * The default account name: `<name><6 hex>`, the hex a digest of the
 * subscription (from the provider's client config) and the name suffix,
 * because account names are unique across all of Azure.
 */
export function defaultStorageAccountName(parent: pulumi.Resource, name: string, suffix: string): pulumi.Output<string> {
    const client = authorization.getClientConfigOutput({ parent });
    return client.subscriptionId.apply((sub) => storageAccountName(name, storageAccountSuffix(sub, suffix)));
}

/** A preview warning when the program asks for another value of an ignored create-only property than the resource has. */
export function warnIfKept(resource: pulumi.Resource, what: string, wanted: pulumi.Input<string | undefined>, actual: pulumi.Output<string | undefined>): void {
    pulumi.all([wanted, actual]).apply(([w, a]) => {
        if (w !== undefined && a !== undefined && w !== a) {
            pulumi.log.warn(`${what}: the account keeps ${JSON.stringify(a)}; ${JSON.stringify(w)} applies only to a new account (changing it would replace the account and strand its checkpoints)`, resource);
        }
    });
}
