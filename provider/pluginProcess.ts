// What the SDK does for every resource and promise, made cheaper in the
// plugin process: 1.1 s of a 6.7 s 50-application preview (make bench-scale).
import * as pulumi from "@pulumi/pulumi";

/**
 * Applied once at plugin start, after provider.main. `VOLLEY_PLUGIN_DEBUG`
 * (any value) leaves the SDK's settings, for debugging the plugin.
 */
export function lightenPluginProcess(env: NodeJS.ProcessEnv): void {
    if (env.VOLLEY_PLUGIN_DEBUG) return;
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
