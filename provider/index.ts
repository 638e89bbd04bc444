// Plugin entry point. Serves the committed schema.json and dispatches
// Construct through provider.ts; never type-checks or analyzes TypeScript.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { VolleyProvider } from "./provider";

const root = path.join(__dirname, "..", "..");
const schema = fs.readFileSync(path.join(root, "schema.json"), "utf8");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
provider.main(new VolleyProvider(version, schema), process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
});

// What the SDK does for every resource and promise, made cheaper in this
// process: 1.1 s of a 6.7 s 50-application preview (make bench-scale).
// VOLLEY_PLUGIN_DEBUG=1 leaves the SDK's settings, for debugging the plugin.
if (!process.env.VOLLEY_PLUGIN_DEBUG) {
    // run-plugin registers ts-node and provider.main source-map-support, so
    // stack traces are mapped through source maps; the plugin is compiled JavaScript.
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    // The SDK captures a stack for every promise, for a leak report a killed
    // provider process never prints; source positions set their own limit.
    // Errors keep their messages.
    Error.stackTraceLimit = 0;
    // And sends the engine a debug-log RPC at each step of every registration
    // (`pulumi --debug` output), a round trip each.
    (pulumi.log as { debug: typeof pulumi.log.debug }).debug = () => Promise.resolve();
}
