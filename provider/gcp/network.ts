// The environment's VPC: network, subnetwork with pod and service ranges,
// Cloud NAT for private nodes, and the control-plane-to-nodes firewall rule.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCP_DEFAULTS, NFS_LOCK_CALLBACK_PORTS, gcpResourceNames } from "./render";

export interface NetworkCidrs { nodeCidr?: string; podsCidr?: string; servicesCidr?: string; }

export interface VpcRefs {
    /** Network ID (`projects/P/global/networks/N`) or name, for the cluster. */
    network: pulumi.Output<string>;
    /** Network name, for Filestore (same project). */
    networkName: pulumi.Output<string>;
    subnetwork: pulumi.Output<string>;
    subnetworkName: pulumi.Output<string>;
    podsRangeName: pulumi.Output<string>;
    servicesRangeName: pulumi.Output<string>;
    /** Primary range of a subnetwork the environment created (the nodes' addresses). */
    nodeCidr?: pulumi.Output<string>;
}

type Names = ReturnType<typeof gcpResourceNames>;

/** A new VPC network and subnetwork; with `nat`, a Cloud Router and Cloud NAT so private nodes reach the internet. */
export function newVpc(
    parent: pulumi.Resource, name: string, names: Names, project: pulumi.Input<string>, region: pulumi.Output<string>,
    cidrs: pulumi.Output<NetworkCidrs>, nat: boolean, retainNetwork: boolean, computeApi: pulumi.Resource[] = [],
    existingNetworkName?: pulumi.Input<string>,
): VpcRefs {
    const o = { parent };
    const network = existingNetworkName !== undefined
        // Adopted (e.g. retained by an earlier stack): the rest of the VPC is created in it, it is not managed.
        ? { id: pulumi.interpolate`projects/${project}/global/networks/${existingNetworkName}`, name: pulumi.output(existingNetworkName) }
        : createNetwork(parent, name, names, project, retainNetwork, computeApi);
    return vpcIn(o, name, names, project, region, cidrs, nat, network, computeApi);
}

function createNetwork(parent: pulumi.Resource, name: string, names: Names, project: pulumi.Input<string>, retainNetwork: boolean, computeApi: pulumi.Resource[]) {
    const o = { parent };
    // A retained Filestore instance stays peered with the network, which GCP then refuses to delete:
    // `pulumi destroy` keeps the network with it, so destroy still completes in one go.
    const network = new gcp.compute.Network(`${name}-network`, {
        name: names.network,
        project,
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        description: "Volley environment network",
    }, { ...o, retainOnDelete: retainNetwork, dependsOn: computeApi });
    return { id: network.id, name: network.name };
}

function vpcIn(
    o: { parent: pulumi.Resource }, name: string, names: Names, project: pulumi.Input<string>, region: pulumi.Output<string>,
    cidrs: pulumi.Output<NetworkCidrs>, nat: boolean, network: { id: pulumi.Output<string>; name: pulumi.Output<string> }, computeApi: pulumi.Resource[],
): VpcRefs {
    const subnet = new gcp.compute.Subnetwork(`${name}-subnet`, {
        name: names.subnetwork,
        project,
        region,
        network: network.id,
        ipCidrRange: cidrs.apply((c) => c.nodeCidr ?? GCP_DEFAULTS.nodeCidr),
        secondaryIpRanges: cidrs.apply((c) => [
            { rangeName: GCP_DEFAULTS.podsRangeName, ipCidrRange: c.podsCidr ?? GCP_DEFAULTS.podsCidr },
            { rangeName: GCP_DEFAULTS.servicesRangeName, ipCidrRange: c.servicesCidr ?? GCP_DEFAULTS.servicesCidr },
        ]),
        privateIpGoogleAccess: true,
    // An adopted network is no resource to wait for: the subnetwork and router wait for the API themselves.
    }, { ...o, dependsOn: computeApi });
    if (nat) {
        const router = new gcp.compute.Router(`${name}-router`, { name: names.router, project, region, network: network.id }, { ...o, dependsOn: computeApi });
        new gcp.compute.RouterNat(`${name}-nat`, {
            name: names.nat,
            project,
            region,
            router: router.name,
            natIpAllocateOption: "AUTO_ONLY",
            sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
            subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
            logConfig: { enable: true, filter: "ERRORS_ONLY" },
        }, o);
    }
    return {
        network: network.id,
        networkName: network.name,
        subnetwork: subnet.id,
        subnetworkName: subnet.name,
        podsRangeName: pulumi.output(GCP_DEFAULTS.podsRangeName),
        servicesRangeName: pulumi.output(GCP_DEFAULTS.servicesRangeName),
        nodeCidr: cidrs.apply((c) => c.nodeCidr ?? GCP_DEFAULTS.nodeCidr),
    };
}

/**
 * Lets the Filestore instance reach the nodes for NFSv3 locking (NLM and statd
 * call the client back): ingress from the instance's reserved range on the
 * ports of https://cloud.google.com/filestore/docs/configuring-firewall.
 */
export function nfsLockFirewall(
    parent: pulumi.Resource, name: string, names: Names, project: pulumi.Input<string>,
    network: pulumi.Input<string>, filestoreRange: pulumi.Input<string>, computeApi: pulumi.Resource[] = [],
): gcp.compute.Firewall {
    return new gcp.compute.Firewall(`${name}-filestore-nlm`, {
        name: names.nfsLockFirewall,
        project,
        network,
        direction: "INGRESS",
        sourceRanges: [filestoreRange],
        targetTags: [names.nodeTag],
        allows: [{ protocol: "tcp", ports: NFS_LOCK_CALLBACK_PORTS }, { protocol: "udp", ports: NFS_LOCK_CALLBACK_PORTS }],
        description: "Filestore to Volley nodes: NFSv3 lock callbacks (portmapper, statd, nlockmgr)",
    }, { parent, dependsOn: computeApi });
}

/**
 * Lets a private cluster's control plane reach the nodes on 6443 (KEDA's
 * metrics APIService) and 9443 (admission webhooks); without it the
 * APIService fails FailedDiscoveryCheck.
 */
export function controlPlaneFirewall(
    parent: pulumi.Resource, name: string, names: Names, project: pulumi.Input<string>,
    network: pulumi.Input<string>, masterCidr: pulumi.Input<string>, computeApi: pulumi.Resource[] = [],
): gcp.compute.Firewall {
    return new gcp.compute.Firewall(`${name}-webhooks`, {
        name: names.firewall,
        project,
        network,
        direction: "INGRESS",
        sourceRanges: [masterCidr],
        targetTags: [names.nodeTag],
        allows: [{ protocol: "tcp", ports: ["6443", "9443"] }],
        description: "GKE control plane to Volley nodes: KEDA metrics APIService (6443) and webhooks (9443)",
    }, { parent, dependsOn: computeApi });
}
