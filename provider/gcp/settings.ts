// Settings types of GcpEnvironment (each becomes a `volley:index:<Name>` type in
// schema.json; the JSDoc of every field becomes SDK docs).
import * as pulumi from "@pulumi/pulumi";
import { FilestoreOptions } from "./filestoreCheckpointStore";

/** GKE release channel: how fast the cluster follows new Kubernetes versions. */
export const GkeReleaseChannel = {
    /** Newest versions first. */
    Rapid: "RAPID",
    /** Balance of features and stability. */
    Regular: "REGULAR",
    /** Versions that have proven themselves on the other channels. */
    Stable: "STABLE",
    /** Stable, with extended support. */
    Extended: "EXTENDED",
} as const;
export type GkeReleaseChannel = (typeof GkeReleaseChannel)[keyof typeof GkeReleaseChannel];

/** Address ranges of a new VPC network; the three must not overlap. */
export interface GcpNetworkSettings {
    /** Primary range of the subnetwork (node IPs). Defaults to `10.0.0.0/20`. */
    nodeCidr?: pulumi.Input<string>;
    /** Secondary range `pods` of the subnetwork. Defaults to `10.16.0.0/14`. */
    podsCidr?: pulumi.Input<string>;
    /** Secondary range `services` of the subnetwork. Defaults to `10.20.0.0/20`. */
    servicesCidr?: pulumi.Input<string>;
    /** Name of an existing VPC network, e.g. the one a destroyed stack retained with its Filestore instance (the `network` output): the subnetwork, router and NAT are created in it instead of in a new network. Resolved at construct time: it decides whether a network is created. */
    existingNetworkName?: pulumi.Input<string>;
}

/** An existing VPC network and subnetwork with secondary ranges for pods and services. Private nodes need Cloud NAT there already. */
export interface ExistingGcpNetwork {
    /** Network name or ID (`projects/P/global/networks/N`). */
    network: pulumi.Input<string>;
    /** Subnetwork name or ID in the cluster's region. */
    subnetwork: pulumi.Input<string>;
    /** Name of the subnetwork's secondary range for pods. Defaults to `pods`. */
    podsRangeName?: pulumi.Input<string>;
    /** Name of the subnetwork's secondary range for services. Defaults to `services`. */
    servicesRangeName?: pulumi.Input<string>;
}

/** A network allowed to reach the cluster's control plane. */
export interface GkeAuthorizedNetwork {
    /** CIDR block, e.g. `203.0.113.0/24`. */
    cidrBlock: pulumi.Input<string>;
    /** Label shown in the console. */
    displayName?: pulumi.Input<string>;
}

/** Settings of a new GKE cluster. */
export interface GkeClusterSettings {
    /** Name of the cluster (lower-case letters, digits, "-", at most 40 characters). Defaults to the component name, lower-cased, with the environment's `nameSuffix`. */
    name?: pulumi.Input<string>;
    /** Release channel. Defaults to `REGULAR`. */
    releaseChannel?: pulumi.Input<GkeReleaseChannel>;
    /** Minimum control plane version; the release channel upgrades beyond it. Defaults to the channel's default version. */
    kubernetesVersion?: pulumi.Input<string>;
    /** Nodes without public IPs (Cloud NAT for egress, firewall rule for the control plane on 6443/9443). Plain: it decides which resources exist. Defaults to `true`. */
    privateNodes?: boolean;
    /** /28 range of the control plane when nodes are private. Defaults to `172.16.0.0/28`. */
    masterCidr?: pulumi.Input<string>;
    /** Networks allowed to reach the control plane endpoint; set it (e.g. to your address as a /32) rather than leaving the endpoint open. Defaults to any address (access still needs Google credentials). */
    authorizedNetworks?: pulumi.Input<pulumi.Input<GkeAuthorizedNetwork>[]>;
    /** Refuse `pulumi destroy` of the cluster. Checkpoints live in Filestore, not in the cluster. Defaults to `false`. */
    deletionProtection?: pulumi.Input<boolean>;
}

/** An existing GKE cluster (in `location`). Prerequisites: Workload Identity enabled, and for private nodes a firewall rule from the control plane to the nodes on TCP 6443 and 9443 (checkpoints are mounted with the kernel NFS client: no Filestore CSI driver needed). */
export interface ExistingGkeCluster {
    /** Name of the cluster. */
    name: pulumi.Input<string>;
    /** An existing pool for the platform pods (selected by `cloud.google.com/gke-nodepool`); when set, no system pool is created. */
    systemNodePoolName?: pulumi.Input<string>;
}

/** A Filestore instance that already exists, e.g. one a destroyed stack retained. */
export interface ExistingFilestoreInstance {
    /** Name of the instance (the `filestoreInstanceName` output of the stack that created it). Its export must not squash root for the nodes (Filestore's default, NO_ROOT_SQUASH): the Job that creates each application's directory chowns it; a ROOT_SQUASH export is refused. */
    name: pulumi.Input<string>;
    /** Zone or region of the instance. Defaults to the cluster's zone, or its region when the cluster is regional. */
    location?: pulumi.Input<string>;
}

/** Filestore shared checkpoints of a GcpEnvironment. */
export interface FilestoreSettings extends FilestoreOptions {
    /** Create the Filestore instance. Plain: it decides which resources exist. Defaults to `true`. */
    enabled?: boolean;
    /** Use (read, not manage) an existing instance instead of creating one; its share keeps every application's directory. Tier, capacity, share and network settings then do not apply. Plain: it decides which resources exist. */
    existingInstance?: ExistingFilestoreInstance;
    /** Zone (BASIC_HDD, BASIC_SSD, ZONAL) or region (REGIONAL, ENTERPRISE) of the instance. Defaults to the cluster's zone or region when it fits the tier. */
    location?: pulumi.Input<string>;
}
