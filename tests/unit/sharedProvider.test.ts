// Applications deploy through their environment's Kubernetes provider (issue
// 15): the engine runs one provider process per provider resource, so 50
// applications with their own providers meant 51 processes. Constructed
// through VolleyProvider.construct with inputs deserialized the way the
// provider server does (provider/server.js deserializeInputs), so the
// dependency URNs the engine sends are what the package reads.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { deserializeInputs } from "@pulumi/pulumi/provider/server";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { environmentProviderUrn } from "../../provider/kubernetes/provider";
import { inputDependencies } from "../../provider/core/resolved";
import { VolleyProvider } from "../../provider/provider";
import { Graph, capture, valueOf } from "./graph";
import { ENV, OPERATOR } from "./validate.test";

const PROVIDER = "pulumi:providers:kubernetes";
const ENV_URN = "urn:pulumi:stack::project::volley:index:KubernetesEnvironment::dev";
const ENV_PROVIDER_URN = "urn:pulumi:stack::project::volley:index:KubernetesEnvironment$pulumi:providers:kubernetes::dev-k8s";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const schema = fs.readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8");
const APP = {
    image: "registry.example.com/my-volley-app:v1.0",
    resources: { requests: { cpu: "2", memory: "4Gi" } },
    cluster: {},
};

/** Inputs as the provider server hands them to construct: `deps` are the engine's input dependencies. */
function serverInputs(inputs: Record<string, unknown>, deps: Record<string, string[]>): Promise<pulumi.Inputs> {
    const depsMap = new Map(Object.entries(deps).map(([k, urns]) => [k, { getUrnsList: () => urns }]));
    return deserializeInputs(structproto.Struct.fromJavaScript(inputs as any), depsMap as any);
}

/** An environment "dev" and Application "agg" constructed by the provider from `environment`. */
async function construct(environment: (env: KubernetesEnvironment) => Promise<{ value: unknown; deps: string[] }>, preview = false): Promise<Graph> {
    return capture(async () => {
        const env = new KubernetesEnvironment("dev", { operator: OPERATOR, prometheus: { mode: "none" }, keda: { enabled: false }, checkpoints: { storageClassName: "rwx" } });
        const e = await environment(env);
        const inputs = await serverInputs({ ...APP, environment: e.value }, { environment: e.deps });
        await new VolleyProvider("0.0.0", schema).construct("agg", "volley:index:Application", inputs, {});
    }, { preview });
}

/** The Kubernetes objects of Application "agg". */
function appObjects(g: Graph) {
    return g.resources.filter((r) => r.custom && r.type !== PROVIDER && r.name.startsWith("agg-"));
}

describe("Applications share their environment's Kubernetes provider", () => {
    it("every environment's ref names its provider", async () => {
        let env!: KubernetesEnvironment;
        const g = await capture(() => { env = new KubernetesEnvironment("dev", { operator: OPERATOR }); });
        assert.strictEqual((await valueOf(env.environment)).kubernetesProviderUrn, g.one(PROVIDER, "dev-k8s").urn);
        assert.strictEqual(g.one(PROVIDER, "dev-k8s").urn, ENV_PROVIDER_URN);
    });

    it("an Application in the same stack deploys through it and makes no provider of its own", async () => {
        const g = await construct(async (env) => ({ value: await valueOf(env.environment), deps: [ENV_URN] }));
        assert.deepStrictEqual(g.byType(PROVIDER).map((p) => p.name), ["dev-k8s"]);
        const children = appObjects(g);
        assert.deepStrictEqual(children.map((r) => r.type).sort(), ["kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:volley.io/v1alpha1:VolleyApplication"]);
        for (const r of children) assert.strictEqual(r.provider, `${ENV_PROVIDER_URN}::dev-k8s-id`, r.name);
    });

    it("before its cluster exists (environment unknown in a preview), it finds the environment among the input's dependencies", async () => {
        const g = await construct(async () => {
            // The engine constructs an Application only after the environment's children are registered.
            await (pulumi.runtime as any).waitForRPCs();
            return { value: UNKNOWN, deps: ["urn:pulumi:stack::project::pulumi:pulumi:StackReference::other", ENV_URN] };
        }, true);
        assert.deepStrictEqual(g.byType(PROVIDER).map((p) => p.name), ["dev-k8s"]);
        const children = appObjects(g);
        assert.ok(children.length > 0);
        for (const r of children) assert.ok(r.provider.startsWith(`${ENV_PROVIDER_URN}::`), `${r.name}: ${r.provider}`);
    });

    it("an environment from another stack or written by hand gets the Application its own provider", async () => {
        const other = { ...ENV, kubernetesProviderUrn: ENV_PROVIDER_URN.replace("urn:pulumi:stack::", "urn:pulumi:prod::") };
        for (const value of [other, ENV]) {
            const g = await construct(async () => ({ value, deps: [] }));
            assert.deepStrictEqual(g.byType(PROVIDER).map((p) => p.name).sort(), ["agg-k8s", "dev-k8s"]);
            for (const r of appObjects(g)) assert.ok(r.provider.includes("pulumi:providers:kubernetes::agg-k8s::"), `${r.name}: ${r.provider}`);
        }
    });

    it("reads the dependency URNs the provider server attaches to each input", async () => {
        const inputs = await serverInputs({ environment: { name: "dev" }, image: "x" }, { environment: [ENV_URN, "urn:b"] });
        assert.deepStrictEqual(await inputDependencies(inputs), { environment: [ENV_URN, "urn:b"], image: [] });
    });

    it("derives the provider of exactly one environment among URNs, parent chain included", () => {
        assert.strictEqual(environmentProviderUrn([ENV_URN]), ENV_PROVIDER_URN);
        assert.strictEqual(
            environmentProviderUrn(["urn:pulumi:s::p::my:index:Platform$volley:index:AwsEnvironment::prod"]),
            "urn:pulumi:s::p::my:index:Platform$volley:index:AwsEnvironment$pulumi:providers:kubernetes::prod-k8s");
        assert.strictEqual(environmentProviderUrn(["urn:pulumi:s::p::volley:index:Application::a"]), undefined);
        assert.strictEqual(environmentProviderUrn([ENV_URN, ENV_URN.replace("::dev", "::dev2")]), undefined);
        assert.strictEqual(environmentProviderUrn([]), undefined);
    });
});
