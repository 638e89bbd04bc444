// networkPolicies on AwsEnvironment, GcpEnvironment and AzureEnvironment
// (#20.11): one table, a row per cloud with that cloud's graph helper, the
// same assertions for each.
import * as assert from "assert";
import { platformNetworkPolicies } from "../../provider/kubernetes/render/networkPolicies";
import { Graph } from "./graph";
import { GCP_BASE, awsEnvironmentGraph, azureEnvironmentGraph, gcpEnvironmentGraph } from "./environmentGraphs";
import { GOOD_ENV as AWS_ENV } from "./awsValidate.test";

const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** Each cloud environment `dev` with the inputs a test adds to a minimal valid one. */
const CLOUDS: [string, (extra: object) => Promise<Graph>][] = [
    ["AwsEnvironment", (extra) => awsEnvironmentGraph({ ...AWS_ENV, ...extra }).then((r) => r.g)],
    ["GcpEnvironment", (extra) => gcpEnvironmentGraph({ ...GCP_BASE, ...extra }).then((r) => r.g)],
    ["AzureEnvironment", (extra) => azureEnvironmentGraph({ ...extra }).then((r) => r.g)],
];

describe("networkPolicies on every cloud environment: the platform's NetworkPolicies when enabled, as on KubernetesEnvironment; none by default (#20.11)", function () {
    // Graph runs under mocks take seconds each on a loaded machine.
    this.timeout(180000);
    const want = platformNetworkPolicies({ operator: "volley-system", keda: "keda", monitoring: "monitoring" }, ["ops"])
        .map((p) => `dev-netpol-${p.role}-${p.name} ${p.namespace}/${p.name}`).sort();

    for (const [cloud, graph] of CLOUDS) {
        it(cloud, async () => {
            const g = await graph({ networkPolicies: { enabled: true, grafanaFrom: ["ops"] } });
            const got = g.byType(NP).map((r) => `${r.name} ${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`).sort();
            assert.deepStrictEqual(got, want);
            assert.ok(got.includes("dev-netpol-monitoring-allow-grafana-users monitoring/allow-grafana-users"));
            const off = await graph({});
            assert.deepStrictEqual(off.byType(NP).length, 0);
        });
    }
});
