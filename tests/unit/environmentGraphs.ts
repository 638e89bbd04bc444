// Each cloud environment's graph under that cloud's mocks, with an operator
// image: shared by the cloud graph tests (awsEnvironment, gcpGraph,
// azureGraph) and the tests that check one thing on every cloud
// (cloudNetworkPolicies).
import { Application } from "../../provider/kubernetes/application";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { AzureEnvironment, AzureEnvironmentArgs } from "../../provider/azure/azureEnvironment";
import { GcpEnvironment, GcpEnvironmentArgs } from "../../provider/gcp/gcpEnvironment";
import { recordResolved } from "../../provider/core/resolved";
import { Graph, capture } from "./graph";
import { awsCalls, awsOutputs, recordIgnoreChanges } from "./awsFixtures";
import { captureAzure } from "./azureMocks";
import { captureGcp } from "./gcpMocks";

const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };

/** AwsEnvironment `dev` (or `o.name`) with `args`; `ignore` collects each resource's ignoreChanges. */
export function awsEnvironmentGraph(args: any, ignore?: Map<string, string[]>, o: { name?: string; partition?: string } = {}): Promise<{ g: Graph; env: AwsEnvironment }> {
    let env!: AwsEnvironment;
    const graph = capture(() => {
        if (ignore) recordIgnoreChanges(ignore);
        env = new AwsEnvironment(o.name ?? "dev", { operator: OPERATOR, ...args });
    }, { outputs: awsOutputs, call: awsCalls(o.partition) });
    return graph.then((g) => ({ g, env }));
}

/** The inputs a GcpEnvironment needs (the operator, a project and a zone), with a label. */
export const GCP_BASE: GcpEnvironmentArgs = { operator: OPERATOR, project: "my-project", location: "us-central1-a", labels: { team: "data" } };

/** What VolleyProvider.construct records for an application: the resolved inputs, so it knows the backend is static NFS. */
function nfsApplication(environment: any): void {
    const appArgs = { environment, image: "r/agg:1", resources: { requests: { cpu: "1", memory: "1Gi" } }, cluster: {} };
    recordResolved(appArgs, { ...appArgs, environment: { checkpoints: { kind: "Nfs" } } });
    new Application("agg", appArgs);
}

/** GcpEnvironment `dev` with `args`, and with `apps` an Application `agg` on it. */
export function gcpEnvironmentGraph(args: Partial<GcpEnvironmentArgs>, apps = false): Promise<{ g: Graph; env: GcpEnvironment }> {
    let env!: GcpEnvironment;
    return captureGcp(() => {
        env = new GcpEnvironment("dev", { operator: OPERATOR, ...(args) } as GcpEnvironmentArgs);
        if (apps) nfsApplication(env.environment);
    }).then((g) => ({ g, env }));
}

/** AzureEnvironment `dev` with `args`, and with `apps` an Application `agg` on it. */
export function azureEnvironmentGraph(args: Partial<AzureEnvironmentArgs>, apps = false): Promise<{ g: Graph; env: AzureEnvironment }> {
    let env!: AzureEnvironment;
    return captureAzure(() => {
        env = new AzureEnvironment("dev", { operator: OPERATOR, ...(args) } as AzureEnvironmentArgs);
        if (apps) nfsApplication(env.environment);
    }).then((g) => ({ g, env }));
}
