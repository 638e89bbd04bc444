// Mocked Azure outputs, resource IDs and invoke results shared by the Azure
// graph tests and tools/critical-path/azure.ts.
import * as pulumi from "@pulumi/pulumi";
import { CaptureOptions, Graph, capture } from "./graph";

export const A = {
    rg: "azure-native:resources:ResourceGroup",
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    role: "azure-native:authorization:RoleAssignment",
    cluster: "azure-native:containerservice:ManagedCluster",
    pool: "azure-native:containerservice:AgentPool",
    account: "azure-native:storage:StorageAccount",
    share: "azure-native:storage:FileShare",
    pe: "azure-native:network:PrivateEndpoint",
    zone: "azure-native:privatedns:PrivateZone",
    link: "azure-native:privatedns:VirtualNetworkLink",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    chart: "kubernetes:helm.sh/v4:Chart",
    k8s: "pulumi:providers:kubernetes",
};

export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const SUBSCRIPTION = `/subscriptions/${SUBSCRIPTION_ID}`;
const rgId = (g: string) => `${SUBSCRIPTION}/resourceGroups/${g}`;

/** A kubeconfig as AKS returns it: client certificate, or (format exec) kubelogin with devicecode. */
export function aksKubeconfigText(exec: boolean): string {
    const user = exec
        ? ["    exec:", "      apiVersion: client.authentication.k8s.io/v1beta1", "      command: kubelogin", "      args:", "      - get-token",
            "      - --server-id", "      - 6dae42f8-4368-4678-94ff-3960e28e3630", "      - --login", "      - devicecode"]
        : ["    client-certificate-data: Q0VSVA==", "    client-key-data: S0VZ"];
    return ["apiVersion: v1", "kind: Config", "clusters:", "- name: dev", "  cluster:", "    server: https://dev.hcp.westeurope.azmk8s.io:443",
        "users:", "- name: clusterUser", "  user:", ...user, ""].join("\n");
}

/** Azure resource IDs of what the environment creates, so scopes and subscriptions come out as in Azure. */
function idOf(a: pulumi.runtime.MockResourceArgs): string | undefined {
    const i = a.inputs, g = i.resourceGroupName;
    switch (a.type) {
        case A.rg: return rgId(i.resourceGroupName);
        case A.vnet: return `${rgId(g)}/providers/Microsoft.Network/virtualNetworks/${i.virtualNetworkName}`;
        case A.subnet: return `${rgId(g)}/providers/Microsoft.Network/virtualNetworks/${i.virtualNetworkName}/subnets/${i.subnetName}`;
        case A.identity: return `${rgId(g)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName}`;
        case A.cluster: return `${rgId(g)}/providers/Microsoft.ContainerService/managedClusters/${i.resourceName}`;
        case A.account: return `${rgId(g)}/providers/Microsoft.Storage/storageAccounts/${i.accountName}`;
        case A.zone: return `${rgId(g)}/providers/Microsoft.Network/privateDnsZones/${i.privateZoneName}`;
        default: return undefined;
    }
}

/** The Azure mocks in another subscription (the provider's client config names it). */
export function azureMocksIn(subscriptionId: string): CaptureOptions {
    return {
        ...AZURE_MOCKS,
        call: (a) => (a.token === "azure-native:authorization:getClientConfig"
            ? { subscriptionId, tenantId: "t", clientId: "c", objectId: "o" } : AZURE_MOCKS.call!(a)),
    };
}

export const AZURE_MOCKS: CaptureOptions = {
    id: idOf,
    outputs: (a) => {
        const i = a.inputs;
        if (a.type === A.rg) return { name: i.resourceGroupName, location: i.location ?? "westeurope" };
        if (a.type === A.vnet) return { name: i.virtualNetworkName };
        if (a.type === A.subnet) return { name: i.subnetName };
        if (a.type === A.identity) return { principalId: "11111111-2222-3333-4444-555555555555", clientId: "c1" };
        if (a.type === A.cluster) return { name: i.resourceName };
        if (a.type === A.pool) return { name: i.agentPoolName };
        if (a.type === A.account) return { name: i.accountName, primaryEndpoints: { file: `https://${i.accountName}.file.core.windows.net/` } };
        if (a.type === A.share) return { name: i.shareName };
        if (a.type === A.pe) return { name: i.privateEndpointName };
        if (a.type === A.zone) return { name: i.privateZoneName };
        return undefined;
    },
    call: (a) => {
        if (a.token === "azure-native:containerservice:listManagedClusterUserCredentials") {
            return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(aksKubeconfigText(a.inputs.format === "exec")).toString("base64") }] };
        }
        if (a.token === "azure-native:resources:getResourceGroup") return { ...a.inputs, name: a.inputs.resourceGroupName, location: "northeurope" };
        if (a.token === "azure-native:authorization:getClientConfig") return { subscriptionId: SUBSCRIPTION_ID, tenantId: "t", clientId: "c", objectId: "o" };
        return a.inputs;
    },
};

/** capture() with the Azure mocks. */
export function captureAzure(program: () => unknown, opts: CaptureOptions = AZURE_MOCKS): Promise<Graph> {
    return capture(program, opts);
}
