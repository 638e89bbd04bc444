// Mocked GCP outputs and invoke results shared by the GCP graph tests and
// tools/critical-path/gcp.ts.
import { CaptureOptions, Graph, capture } from "./graph";

export const G = {
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    router: "gcp:compute/router:Router",
    nat: "gcp:compute/routerNat:RouterNat",
    firewall: "gcp:compute/firewall:Firewall",
    cluster: "gcp:container/cluster:Cluster",
    pool: "gcp:container/nodePool:NodePool",
    sa: "gcp:serviceaccount/account:Account",
    iam: "gcp:projects/iAMMember:IAMMember",
    kms: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    filestore: "gcp:filestore/instance:Instance",
    service: "gcp:projects/service:Service",
    chart: "kubernetes:helm.sh/v4:Chart",
    k8s: "pulumi:providers:kubernetes",
};

/** Mocked cloud outputs: the cluster's endpoint and CA, Filestore's IP, a looked-up cluster, a project number. */
export const GCP_MOCKS: CaptureOptions = {
    outputs: (a) => {
        if (a.type === G.cluster) return { endpoint: "34.1.2.3", masterAuth: { clusterCaCertificate: "Q0E=" }, location: a.inputs.location };
        if (a.type === G.filestore) return { networks: a.inputs.networks.map((n: any) => ({ reservedIpRange: "10.9.0.0/29", ...n, ipAddresses: ["10.9.0.2"] })) };
        if (a.type === G.network) return { name: a.inputs.name, id: `projects/p/global/networks/${a.inputs.name}` };
        if (a.type === G.sa) return { email: `${a.inputs.accountId}@p.iam.gserviceaccount.com`, member: `serviceAccount:${a.inputs.accountId}@p.iam.gserviceaccount.com` };
        return undefined;
    },
    call: (a) => {
        if (a.token === "gcp:container/getCluster:getCluster") return { ...a.inputs, endpoint: "35.9.9.9", masterAuths: [{ clusterCaCertificate: "RVhJU1Q=" }], network: "prod-net", subnetwork: "prod-subnet" };
        if (a.token === "gcp:organizations/getProject:getProject") return { ...a.inputs, number: "123456789" };
        if (a.token === "gcp:filestore/getInstance:getInstance") return { ...a.inputs, networks: [{ ipAddresses: ["10.9.8.7"] }], fileShares: [{ name: "kept" }] };
        return a.inputs;
    },
};


/** capture() with the GCP mocks. */
export function captureGcp(program: () => unknown, opts: CaptureOptions = GCP_MOCKS): Promise<Graph> {
    return capture(program, opts);
}
