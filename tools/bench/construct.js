// Benchmark harness: plugin cold start to the first Construct result.
//
// Plays the engine's part for one Construct: serves a minimal resource
// monitor and engine on 127.0.0.1, starts the plugin exactly as the Node.js
// language host does (`node <dir>/node_modules/@pulumi/pulumi/cmd/run-plugin
// <dir> <engine>`), waits for its port, sends Construct and times the reply.
// The monitor answers every registration at once, so the figure is the
// plugin's own cost, not the cloud's.
//
// Usage: node tools/bench/construct.js <pluginDir> <token> <runs> -> JSON lines of milliseconds
"use strict";
const { spawn } = require("child_process");
const path = require("path");
const grpc = require("@grpc/grpc-js");
const resgrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const respb = require("@pulumi/pulumi/proto/resource_pb");
const enggrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const provgrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provpb = require("@pulumi/pulumi/proto/provider_pb");
const structpb = require("google-protobuf/google/protobuf/struct_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

const [pluginDir, token, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 1);

const INPUTS = {
    environment: {
        name: "bench", kubeconfig: "", operatorNamespace: "volley-system", crdName: "volleyapplications.volley.io",
        checkpoints: { kind: "StorageClass", storageClassName: "rwx", defaultSize: "50Gi" },
        streamPlacement: { nodeSelector: { "volley.io/pool": "stream-processing" }, tolerations: [] },
        systemPlacement: { nodeSelector: {}, tolerations: [] },
        kedaEnabled: true, prometheusEnabled: true,
    },
    image: "registry.example.com/bench:v1",
    resources: { requests: { cpu: "1", memory: "1Gi" } },
    replicas: 2,
    cluster: {},
};

/** Answers every monitor/engine RPC with an empty success, registrations with a URN. */
function fakeEngine() {
    const server = new grpc.Server();
    const impl = (service, overrides) => {
        const handlers = {};
        for (const name of Object.keys(service)) {
            const method = service[name];
            handlers[name] = overrides[name] || ((call, cb) => cb(null, new method.responseType()));
        }
        return handlers;
    };
    let n = 0;
    server.addService(resgrpc.ResourceMonitorService, impl(resgrpc.ResourceMonitorService, {
        supportsFeature: (call, cb) => {
            const r = new respb.SupportsFeatureResponse();
            // Everything but output values, as Pulumi's own mocks do.
            r.setHassupport(call.request.getId() !== "outputValues");
            cb(null, r);
        },
        registerResource: (call, cb) => {
            const req = call.request;
            const r = new respb.RegisterResourceResponse();
            r.setUrn(`urn:pulumi:bench::bench::${req.getType()}::${req.getName()}`);
            if (req.getCustom()) r.setId(`id-${++n}`);
            r.setObject(req.getObject() || new structpb.Struct());
            cb(null, r);
        },
        registerResourceOutputs: (call, cb) => cb(null, new emptypb.Empty()),
    }));
    server.addService(enggrpc.EngineService, impl(enggrpc.EngineService, {
        log: (call, cb) => { if (process.env.BENCH_VERBOSE) console.error(call.request.getMessage()); cb(null, new emptypb.Empty()); },
    }));
    return new Promise((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve({ server, address: `127.0.0.1:${port}` })));
}

async function once(engineAddress) {
    const dir = path.resolve(pluginDir);
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [dir] });
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [runPlugin, dir, engineAddress], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    // Whatever happens below, the plugin process does not outlive this run.
    try {
        return await construct(child, engineAddress, t0);
    } finally {
        child.kill("SIGKILL");
    }
}

async function construct(child, engineAddress, t0) {
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const port = await new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
            out += d;
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`plugin exited (${code}) before serving: ${stderr}`)));
    });
    const client = new provgrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const req = new provpb.ConstructRequest();
    req.setProject("bench");
    req.setStack("bench");
    req.setDryrun(true);
    req.setMonitorendpoint(engineAddress);
    req.setType(token);
    req.setName("bench");
    req.setParent("urn:pulumi:bench::bench::pulumi:pulumi:Stack::bench-bench");
    req.setInputs(structpb.Struct.fromJavaScript(INPUTS));
    const resp = await new Promise((resolve, reject) => client.construct(req, (err, r) => (err ? reject(err) : resolve(r))));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    client.close();
    if (!resp.getUrn()) throw new Error("Construct returned no URN");
    return ms;
}

(async () => {
    const { server, address } = await fakeEngine();
    try {
        for (let i = 0; i < runs; i++) console.log(JSON.stringify({ ms: Math.round(await once(address)) }));
    } finally {
        server.forceShutdown();
    }
})().catch((e) => { console.error(e.message || e); process.exit(1); });
