// Estimated wall time of a fresh `pulumi up` of the default AzureEnvironment
// (`new AzureEnvironment("dev", {})`) plus two Applications (one single-pod,
// one distributed on Azure Files NFS), from the dependency graph the program
// registers under mocks. Creation times: AKS cluster 9-13 min and node pool
// 4-9 min are the figures in ../shared/reference/azure-facts.md (older public
// reports, unverified today); the rest are marked where they are our own
// typical figures. Compared with the floor no ordering can beat: resource
// group + control plane (with its inline System pool) + the longer of the
// stream pool (AKS creates a pool only after its cluster, and takes one write
// on a cluster at a time) and charts + custom resources. Exits non-zero when
// the estimate is over 10% above it.
//
//   node_modules/.bin/ts-node --transpile-only tools/critical-path/azure.ts
import { Application } from "../../provider/kubernetes/application";
import { AzureEnvironment } from "../../provider/azure/azureEnvironment";
import { recordResolved } from "../../provider/core/resolved";
import { captureAzure } from "../../tests/unit/azureMocks";
import { PLATFORM, PLATFORM_TIMINGS, Timing, chartsAsSteps, criticalPath, formatPath, OPERATOR } from "./model";

const CLUSTER = 11;                                 // AKS cluster with its System pool: 9-13 (azure-facts.md, midpoint)
const NODE_POOL = 6.5;                              // AKS AgentPool: 4-9 (azure-facts.md, midpoint)
const { chart: CHART, customResource: CUSTOM_RESOURCE } = PLATFORM;
const RESOURCE_GROUP = 0.1;                         // Not in azure-facts: an ARM resource group, seconds

const TIMINGS: Timing[] = [
    { match: "azure-native:containerservice:ManagedCluster", minutes: CLUSTER },
    { match: "azure-native:containerservice:AgentPool", minutes: NODE_POOL },
    { match: "azure-native:resources:ResourceGroup", minutes: RESOURCE_GROUP },
    // Not in azure-facts: typical ARM operations.
    { match: "azure-native:network:VirtualNetwork", minutes: 0.2 },
    { match: "azure-native:network:Subnet", minutes: 0.1 },
    { match: "azure-native:managedidentity:", minutes: 0.1 },
    { match: "azure-native:authorization:RoleAssignment", minutes: 0.2 },
    { match: "azure-native:storage:StorageAccount", minutes: 0.5 },
    { match: "azure-native:storage:FileShare", minutes: 0.1 },
    { match: "azure-native:network:PrivateEndpoint", minutes: 1.5 },
    { match: "azure-native:privatedns:PrivateZone", minutes: 0.5 },
    { match: "azure-native:privatedns:VirtualNetworkLink", minutes: 0.5 },
    { match: "azure-native:network:PrivateDnsZoneGroup", minutes: 0.3 },
    ...PLATFORM_TIMINGS,
];

async function main() {
    const g = await captureAzure(() => {
        const env = new AzureEnvironment("dev", { operator: OPERATOR });
        const resources = { requests: { cpu: "1", memory: "2Gi" } };
        new Application("ingest", { environment: env.environment, image: "registry.example.com/ingest:v1.0", resources });
        const aggregate = { environment: env.environment, image: "registry.example.com/aggregate:v1.0", resources, replicas: 3, cluster: {} };
        // What VolleyProvider.construct records: the backend is a static NFS volume (an Azure Files NFS share).
        recordResolved(aggregate, { ...aggregate, environment: { checkpoints: { kind: "Nfs" } } });
        new Application("aggregate", aggregate);
    });
    chartsAsSteps(g);
    const cp = criticalPath(g, TIMINGS);
    const floor = RESOURCE_GROUP + CLUSTER + Math.max(NODE_POOL, CHART + CUSTOM_RESOURCE);
    const ratio = cp.total / floor;
    console.log("AzureEnvironment (defaults) + 2 Applications");
    console.log(formatPath(cp));
    console.log(`  estimate ${cp.total.toFixed(2)} min, floor ${floor.toFixed(2)} min ` +
        `(resource group ${RESOURCE_GROUP} + control plane with System pool ${CLUSTER} + the longer of stream pool ${NODE_POOL} and ` +
        `charts ${CHART} + custom resources ${CUSTOM_RESOURCE}), ratio ${ratio.toFixed(3)}\n`);
    if (ratio > 1.1) {
        console.error(`estimate is ${((ratio - 1) * 100).toFixed(1)}% above the floor (limit 10%)`);
        process.exit(1);
    }
}

main().catch((e) => { console.error(e); process.exit(1); });
