// The environment's resource group and network: new ones, or existing ones by
// name and ID. @pulumi/azure-native is imported by sub-path (start-up cost).
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as network from "@pulumi/azure-native/network";
import { AZURE_DEFAULTS } from "./render";

export interface ResourceGroupRefs {
    name: pulumi.Output<string>;
    location: pulumi.Output<string>;
    /** The ResourceGroup the environment created, for ordering; absent for an existing group. */
    resource?: pulumi.Resource;
}

/** A new resource group (location from `location`, or the provider's `azure-native:location`), or an existing one read by name. */
export function resourceGroup(parent: pulumi.Resource, name: string, rgName: string, existing: string | undefined,
    location: pulumi.Input<string> | undefined, tags: pulumi.Input<Record<string, string>>, retain: boolean): ResourceGroupRefs {
    if (existing !== undefined) {
        const rg = resources.getResourceGroupOutput({ resourceGroupName: existing }, { parent });
        return { name: pulumi.output(existing), location: location !== undefined ? pulumi.output(location) : rg.location };
    }
    // Deleting a group deletes everything in it: it is kept while it holds retained checkpoints.
    const rg = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: rgName, location, tags }, { parent, retainOnDelete: retain });
    return { name: rg.name, location: rg.location, resource: rg };
}

export interface NetworkRefs {
    vnetId: pulumi.Output<string>;
    subnetId: pulumi.Output<string>;
    /** The new Subnet, for ordering (role assignments, service endpoint before the account's rule). */
    subnet?: pulumi.Resource;
}

/** `/subscriptions/S/.../virtualNetworks/V/subnets/N` -> the VNet's ID. */
export const vnetIdOf = (subnetId: string): string => subnetId.replace(/\/subnets\/[^/]+$/i, "");

/** A new VNet and node subnet; `serviceEndpoint` adds Microsoft.Storage to the subnet before any account rule names it. */
export function newNetwork(parent: pulumi.Resource, name: string, names: { vnet: string; nodeSubnet: string }, rg: ResourceGroupRefs,
    cidrs: pulumi.Output<any>, tags: pulumi.Input<Record<string, string>>, serviceEndpoint: boolean): NetworkRefs {
    const vnet = new network.VirtualNetwork(`${name}-vnet`, {
        virtualNetworkName: names.vnet,
        resourceGroupName: rg.name,
        location: rg.location,
        addressSpace: { addressPrefixes: [cidrs.apply((c) => c.vnetCidr ?? AZURE_DEFAULTS.vnetCidr)] },
        tags,
    // Subnets are separate resources: the VNet must not own (and so remove) them on update.
    }, { parent, ignoreChanges: ["subnets"] });
    const subnet = new network.Subnet(`${name}-nodes`, {
        subnetName: names.nodeSubnet,
        resourceGroupName: rg.name,
        virtualNetworkName: vnet.name,
        addressPrefix: cidrs.apply((c) => c.nodeSubnetCidr ?? AZURE_DEFAULTS.nodeSubnetCidr),
        serviceEndpoints: serviceEndpoint ? [{ service: "Microsoft.Storage" }] : undefined,
    }, { parent });
    return { vnetId: vnet.id, subnetId: subnet.id, subnet };
}

/** An existing node subnet; its VNet is the one in its ID. */
export function existingNetwork(subnetId: pulumi.Input<string>): NetworkRefs {
    const id = pulumi.output(subnetId);
    return { vnetId: id.apply(vnetIdOf), subnetId: id };
}
