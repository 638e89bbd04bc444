// Estimated fresh `pulumi up` of the default AwsEnvironment plus two
// Applications, from the dependency graph under mocks and the creation times
// in shared/reference/cloud-facts.md, against the floor
//   control plane + system node group + add-ons/charts + custom resources.
// Exits non-zero when the estimate is more than 10% above the floor.
//   node_modules/.bin/ts-node --transpile-only tools/critical-path/aws.ts
import { Application } from "../../provider/kubernetes/application";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { recordResolved } from "../../provider/core/resolved";
import { UNKNOWN } from "../../provider/core/validate";
import { AWS_MOCKS } from "../../tests/unit/awsFixtures";
import { capture } from "../../tests/unit/graph";
import { PLATFORM, PLATFORM_TIMINGS, Timing, chartsAsSteps, criticalPath, formatPath, OPERATOR } from "./model";

/** Minutes per resource type (midpoints of cloud-facts.md; NAT gateway and KMS are typical values). */
export const AWS_TIMINGS: Timing[] = [
    { match: "aws:eks/cluster:Cluster", minutes: 10 },
    { match: "aws:eks/nodeGroup:NodeGroup", minutes: 2.75 },
    { match: "aws:eks/addon:Addon", minutes: 0.45 },
    { match: "aws:eks/", minutes: 0.1 },
    { match: "aws:efs/fileSystem:FileSystem", minutes: 0.2 },
    { match: "aws:efs/mountTarget:MountTarget", minutes: 3 },
    { match: "aws:iam/", minutes: 0.15 },
    { match: "aws:kms/", minutes: 0.1 },
    { match: "aws:ec2/natGateway:NatGateway", minutes: 1.5 },
    { match: "kubernetes:apps/v1:Deployment", minutes: 0.5 },
    ...PLATFORM_TIMINGS,
];
const FLOOR = { controlPlane: 10, systemNodeGroup: 2.75, addonsAndCharts: PLATFORM.chart, customResources: PLATFORM.customResource };

async function main(): Promise<number> {
    const g = await capture(() => {
        const env = new AwsEnvironment("dev", { operator: OPERATOR, vpc: { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"] } });
        const resources = { requests: { cpu: "1", memory: "2Gi" } };
        const apps: [string, any][] = [
            ["ingest", { environment: env.environment, image: "registry.example.com/ingest:v1", resources }],
            ["aggregate", { environment: env.environment, image: "registry.example.com/aggregate:v1", resources, replicas: 3, cluster: {} }],
        ];
        for (const [name, args] of apps) {
            // As the plugin constructs them on a fresh up: the environment is not known yet.
            recordResolved(args, { ...args, environment: UNKNOWN });
            new Application(name, args);
        }
    }, AWS_MOCKS);
    chartsAsSteps(g);

    const cp = criticalPath(g, AWS_TIMINGS);
    const floor = Object.values(FLOOR).reduce((a, b) => a + b, 0);
    const ratio = cp.total / floor;
    console.log(`resources: ${g.resources.filter((r) => r.custom).length} custom, ${g.resources.filter((r) => !r.custom).length} components`);
    console.log(`critical path:\n${formatPath(cp)}`);
    console.log(`estimate ${cp.total.toFixed(2)} min; floor ${floor.toFixed(2)} min ` +
        `(control plane ${FLOOR.controlPlane} + system node group ${FLOOR.systemNodeGroup} + add-ons/charts ${FLOOR.addonsAndCharts} + custom resources ${FLOOR.customResources}); ` +
        `ratio ${ratio.toFixed(3)}`);
    if (ratio > 1.1) {
        console.error(`FAIL: estimate is ${((ratio - 1) * 100).toFixed(1)}% above the floor (limit 10%)`);
        return 1;
    }
    return 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
