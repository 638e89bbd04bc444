// The GKE cluster: a new one (default pool removed, VPC-native, Workload
// Identity) or an existing one looked up by name.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCP_DEFAULTS, gkeKubeconfig } from "./render";

export interface ClusterRefs {
    name: pulumi.Output<string>;
    location: pulumi.Output<string>;
    /** Kubeconfig using gke-gcloud-auth-plugin, secret. */
    kubeconfig: pulumi.Output<string>;
    /** Network and subnetwork the cluster runs in (for an existing cluster, as GKE reports them). */
    network: pulumi.Output<string>;
    subnetwork: pulumi.Output<string>;
    /** The control plane's Kubernetes version as GKE reports it (e.g. `1.33.5-gke.1080000`), for the charts' compatibility warning. */
    masterVersion: pulumi.Output<string | undefined>;
}

export interface NewClusterSpec {
    name: pulumi.Input<string>;
    project: pulumi.Input<string>;
    location: pulumi.Input<string>;
    network: pulumi.Input<string>;
    subnetwork: pulumi.Input<string>;
    podsRangeName: pulumi.Input<string>;
    servicesRangeName: pulumi.Input<string>;
    /** Resolved-or-Input cluster settings. */
    settings: pulumi.Output<any>;
    privateNodes: boolean;
    labels: pulumi.Input<{ [key: string]: string }>;
    /** The node service account, for the short-lived default pool. */
    serviceAccount: pulumi.Input<string>;
    /** Whether the kubeconfig's auth plugin uses application-default credentials. */
    applicationDefaultCredentials?: pulumi.Input<boolean>;
    /** The Service resources of the APIs the cluster calls (Kubernetes Engine, Compute Engine). */
    apis?: pulumi.Resource[];
}

function kubeconfigOf(project: pulumi.Input<string>, location: pulumi.Input<string>, name: pulumi.Input<string>, endpoint: pulumi.Input<string>, ca: pulumi.Input<string>,
    adc: pulumi.Input<boolean | undefined>) {
    return pulumi.secret(pulumi.all([project, location, name, endpoint, ca, adc]).apply(([p, l, n, e, c, a]) =>
        gkeKubeconfig({ project: p, location: l, cluster: n, endpoint: e, caCertificate: c, applicationDefaultCredentials: a ?? false })));
}

export function newCluster(parent: pulumi.Resource, componentName: string, s: NewClusterSpec): ClusterRefs {
    const cfg = s.settings;
    const cluster = new gcp.container.Cluster(`${componentName}-cluster`, {
        name: s.name,
        project: s.project,
        location: s.location,
        description: "Volley environment",
        // GKE needs a default pool to create a cluster; it is removed at once and the pools are managed separately.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        nodeConfig: { serviceAccount: s.serviceAccount, oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"] },
        deletionProtection: cfg.apply((c) => c.deletionProtection ?? false),
        network: s.network,
        subnetwork: s.subnetwork,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: { clusterSecondaryRangeName: s.podsRangeName, servicesSecondaryRangeName: s.servicesRangeName },
        releaseChannel: { channel: cfg.apply((c) => c.releaseChannel ?? GCP_DEFAULTS.releaseChannel) },
        minMasterVersion: cfg.apply((c) => c.kubernetesVersion),
        workloadIdentityConfig: { workloadPool: pulumi.interpolate`${s.project}.svc.id.goog` },
        // No Filestore CSI add-on: checkpoints are static NFS volumes (kernel client, render.ts filestoreBackend).
        // Left unset rather than `enabled: false`: addons_config and gcp_filestore_csi_driver_config are
        // Optional+Computed, without ForceNew (terraform-provider-google google/services/container/
        // resource_container_cluster.go), so a new Standard cluster gets GKE's default (disabled) and a cluster
        // that has it keeps it, with no diff: nothing else on it that mounts through the driver breaks.
        privateClusterConfig: s.privateNodes
            ? { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: cfg.apply((c) => c.masterCidr ?? GCP_DEFAULTS.masterCidr) }
            : undefined,
        masterAuthorizedNetworksConfig: cfg.apply((c) => (c.authorizedNetworks?.length
            ? { cidrBlocks: c.authorizedNetworks.map((n: any) => ({ cidrBlock: n.cidrBlock, displayName: n.displayName })) }
            : undefined)),
        resourceLabels: s.labels,
    }, {
        parent,
        dependsOn: s.apis ?? [],
        // The default pool's settings and size matter only at creation; changing them would replace the cluster.
        ignoreChanges: ["nodeConfig", "initialNodeCount"],
    });
    return {
        name: cluster.name,
        location: cluster.location,
        kubeconfig: kubeconfigOf(s.project, cluster.location, cluster.name, cluster.endpoint, cluster.masterAuth.clusterCaCertificate, s.applicationDefaultCredentials),
        network: cluster.network.apply((x) => x ?? ""),
        subnetwork: cluster.subnetwork.apply((x) => x ?? ""),
        masterVersion: cluster.masterVersion,
    };
}

/** An existing cluster, read (not managed). It needs Workload Identity; checkpoints use the kernel NFS client (no Filestore CSI driver). */
export function existingCluster(parent: pulumi.Resource, project: pulumi.Input<string>, location: pulumi.Input<string>, name: pulumi.Input<string>,
    applicationDefaultCredentials?: pulumi.Input<boolean>): ClusterRefs {
    const c = gcp.container.getClusterOutput({ name, location, project }, { parent });
    return {
        name: pulumi.output(name),
        location: pulumi.output(location),
        kubeconfig: kubeconfigOf(project, location, name, c.endpoint, c.masterAuths.apply((m) => m[0]?.clusterCaCertificate ?? ""), applicationDefaultCredentials),
        network: c.network,
        subnetwork: c.subnetwork,
        masterVersion: c.masterVersion,
    };
}
