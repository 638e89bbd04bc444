// Mock outputs for AWS resources and graph helpers shared by the AWS tests.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Graph, Registered } from "./graph";

export const ENDPOINT = "https://ABC.gr7.us-west-2.eks.amazonaws.com";
export const CLUSTER_SG = "sg-0c1c1c1c1c1c1c1c1";
export const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/ABC";

/** What AWS would return beyond the inputs: ARNs, names, cluster endpoint/CA/identities. */
export function awsOutputs(a: pulumi.runtime.MockResourceArgs): Record<string, any> | undefined {
    if (!a.type.startsWith("aws:")) return undefined;
    const service = a.type.split(":")[1].split("/")[0];
    const out: Record<string, any> = { arn: `arn:aws:${service}:us-west-2:123456789012:${a.name}`, name: a.inputs.name ?? a.name };
    if (a.type === "aws:iam/role:Role") out.arn = `arn:aws:iam::123456789012:role/${a.name}`;
    if (a.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") out.arn = `arn:aws:iam::123456789012:oidc-provider/${a.inputs.url.replace("https://", "")}`;
    if (a.type === "aws:eks/nodeGroup:NodeGroup") out.nodeGroupName = a.name;
    if (a.type === "aws:ec2/launchTemplate:LaunchTemplate") out.latestVersion = 1;
    if (a.type === "aws:eks/cluster:Cluster") {
        Object.assign(out, {
            endpoint: ENDPOINT,
            certificateAuthority: { data: "Q0E=" },
            vpcConfig: { ...a.inputs.vpcConfig, clusterSecurityGroupId: CLUSTER_SG },
            identities: [{ oidcs: [{ issuer: ISSUER }] }],
        });
    }
    return out;
}

/** What the mocked `aws.eks.getAddonVersion` answers: EKS's default version of an add-on for a Kubernetes version (a marker, so tests see which lookup was made). */
export const mockDefaultAddonVersion = (addonName: string, kubernetesVersion: string) => `${addonName}-default-for-${kubernetesVersion}`;

/**
 * Invoke results: the account's partition (`partition` lets a test pick aws-cn or aws-us-gov), EKS's default add-on
 * versions; with `clusterVersion`, `aws.eks.getCluster` answers as DescribeCluster does for a cluster on that
 * Kubernetes version (`version`, e.g. "1.33"); other invokes echo.
 */
export function awsCalls(partition = "aws", clusterVersion?: string) {
    return (a: pulumi.runtime.MockCallArgs): Record<string, any> => {
        if (a.token === "aws:index/getPartition:getPartition") return { partition, dnsSuffix: "amazonaws.com", id: partition };
        if (a.token === "aws:eks/getCluster:getCluster" && clusterVersion !== undefined) {
            return { ...a.inputs, id: a.inputs.name, arn: `arn:aws:eks:us-west-2:123456789012:cluster/${a.inputs.name}`, version: clusterVersion, status: "ACTIVE" };
        }
        if (a.token === "aws:eks/getAddonVersion:getAddonVersion") return { ...a.inputs, id: a.inputs.addonName, version: mockDefaultAddonVersion(a.inputs.addonName, a.inputs.kubernetesVersion) };
        return a.inputs;
    };
}

/** The AWS mocks every AWS graph test uses. */
export const AWS_MOCKS = { outputs: awsOutputs, call: awsCalls() };

/** Edges a resource waits on: its dependencies and its provider. */
function edges(g: Graph, r: Registered): string[] {
    const out = [...r.dependencies];
    if (r.provider) out.push(r.provider.split("::").slice(0, -1).join("::"));
    // A component waits for nothing itself; its children carry the edges.
    return out;
}

/** Whether `from` waits (transitively) for `to`. */
export function waitsFor(g: Graph, from: Registered, to: Registered): boolean {
    const byUrn = new Map(g.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const stack = [from.urn];
    while (stack.length) {
        const at = stack.pop()!;
        if (seen.has(at)) continue;
        seen.add(at);
        const r = byUrn.get(at);
        if (!r) continue;
        for (const d of edges(g, r)) {
            if (d === to.urn) return true;
            stack.push(d);
        }
    }
    return false;
}

/** Whether the Args interface of an @pulumi/aws resource type has `tags` (read from its typings). */
export function taggable(type: string): boolean {
    const [, mod, cls] = type.split(":");
    const file = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), `${mod}.d.ts`);
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${cls}Args {`);
    if (start < 0) throw new Error(`no ${cls}Args in ${file}`);
    const body = text.slice(start, text.indexOf("\n}", start));
    return /\n\s+tags\?:/.test(body);
}

/** Records each registration's ignoreChanges (capture() does not). Call inside the program. */
export function recordIgnoreChanges(into: Map<string, string[]>): void {
    const monitor: any = (pulumi.runtime as any).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
        into.set(`${req.getType()}::${req.getName()}`, req.getIgnorechangesList());
        register(req, cb);
    };
}

/** Resource options capture() does not record: protect, replaceOnChanges, deleteBeforeReplace. Call inside the program. */
export interface RecordedOptions { protect: boolean; replaceOnChanges: string[]; deleteBeforeReplace: boolean }
export function recordOptions(into: Map<string, RecordedOptions>): void {
    const monitor: any = (pulumi.runtime as any).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
        into.set(`${req.getType()}::${req.getName()}`, {
            protect: !!req.getProtect(), replaceOnChanges: req.getReplaceonchangesList(), deleteBeforeReplace: !!req.getDeletebeforereplace(),
        });
        register(req, cb);
    };
}
