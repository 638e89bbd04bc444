// Estimated wall time of a fresh `pulumi up` of the default GcpEnvironment
// plus two Applications (one single-pod, one distributed on Filestore),
// from the dependency graph the program registers under mocks and the
// creation times in ../shared/reference/cloud-facts.md. Compared with the
// floor: API enablement + control plane + system pool + charts + custom
// resources, which no ordering can beat (GKE refuses a cluster before its API
// is enabled). Exits non-zero when the estimate is over 10% above it.
//
//   node_modules/.bin/ts-node --transpile-only tools/critical-path/gcp.ts
import { Application } from "../../provider/kubernetes/application";
import { GcpEnvironment } from "../../provider/gcp/gcpEnvironment";
import { recordResolved } from "../../provider/core/resolved";
import { captureGcp } from "../../tests/unit/gcpMocks";
import { PLATFORM, PLATFORM_TIMINGS, Timing, chartsAsSteps, criticalPath, formatPath, OPERATOR } from "./model";

const CLUSTER = { zonal: 4.5, regional: 12 };      // GKE zonal 3-6, regional 9-15 (midpoints)
const NODE_POOL = 5.5;                              // GKE node pool ~5.5
const { chart: CHART, customResource: CUSTOM_RESOURCE } = PLATFORM;
const API = 0.5;                                    // Not in cloud-facts: enabling an API, typically under a minute (seconds when already enabled)

function timings(cluster: number): Timing[] {
    return [
        { match: "gcp:container/cluster:Cluster", minutes: cluster },
        { match: "gcp:container/nodePool:NodePool", minutes: NODE_POOL },
        { match: "gcp:filestore/instance:Instance", minutes: 7.5 },         // not published; 5-10
        { match: "gcp:serviceaccount/", minutes: 0.2 },                     // IAM < 0.2
        { match: "gcp:projects/iAMMember", minutes: 0.2 },
        { match: "gcp:kms/", minutes: 0.2 },
        { match: "gcp:projects/service:Service", minutes: API },
        // Not in cloud-facts: typical Compute Engine API operations.
        { match: "gcp:compute/network:Network", minutes: 0.5 },
        { match: "gcp:compute/subnetwork:Subnetwork", minutes: 0.3 },
        { match: "gcp:compute/router:Router", minutes: 0.2 },
        { match: "gcp:compute/routerNat:RouterNat", minutes: 0.3 },
        { match: "gcp:compute/firewall:Firewall", minutes: 0.2 },
        ...PLATFORM_TIMINGS,
    ];
}

async function estimate(location: string, cluster: number) {
    const g = await captureGcp(() => {
        const env = new GcpEnvironment("dev", { operator: OPERATOR, project: "my-project", location });
        const resources = { requests: { cpu: "1", memory: "2Gi" } };
        new Application("ingest", { environment: env.environment, image: "registry.example.com/ingest:v1.0", resources });
        const aggregate = { environment: env.environment, image: "registry.example.com/aggregate:v1.0", resources, replicas: 3, cluster: {} };
        // What VolleyProvider.construct records: the backend is a static NFS volume (a Filestore share).
        recordResolved(aggregate, { ...aggregate, environment: { checkpoints: { kind: "Nfs" } } });
        new Application("aggregate", aggregate);
    });
    chartsAsSteps(g);
    const cp = criticalPath(g, timings(cluster));
    const floor = API + cluster + NODE_POOL + CHART + CUSTOM_RESOURCE;
    return { cp, floor, ratio: cp.total / floor };
}

async function main() {
    let worst = 0;
    for (const [kind, location, cluster] of [["zonal", "us-central1-a", CLUSTER.zonal], ["regional", "us-central1", CLUSTER.regional]] as const) {
        const { cp, floor, ratio } = await estimate(location, cluster);
        worst = Math.max(worst, ratio);
        console.log(`GcpEnvironment (${kind}, ${location}) + 2 Applications`);
        console.log(formatPath(cp));
        console.log(`  estimate ${cp.total.toFixed(2)} min, floor ${floor.toFixed(2)} min ` +
            `(API ${API} + control plane ${cluster} + system pool ${NODE_POOL} + charts ${CHART} + custom resources ${CUSTOM_RESOURCE}), ratio ${ratio.toFixed(3)}\n`);
    }
    if (worst > 1.1) {
        console.error(`estimate is ${((worst - 1) * 100).toFixed(1)}% above the floor (limit 10%)`);
        process.exit(1);
    }
}

main().catch((e) => { console.error(e); process.exit(1); });
