// The plugin process's settings (provider/pluginProcess.ts): what the SDK
// does for every promise and registration made cheaper, unless
// VOLLEY_PLUGIN_DEBUG is set. Globals are restored after each test.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { lightenPluginProcess } from "../../provider/pluginProcess";

describe("plugin process settings", () => {
    let saved: { limit: number; prepare: unknown; debug: typeof pulumi.log.debug };
    beforeEach(() => {
        saved = { limit: Error.stackTraceLimit, prepare: (Error as any).prepareStackTrace, debug: pulumi.log.debug };
        // What run-plugin leaves behind: a source-map hook.
        (Error as any).prepareStackTrace = (e: Error) => `mapped ${e.message}`;
    });
    afterEach(() => {
        Error.stackTraceLimit = saved.limit;
        (Error as any).prepareStackTrace = saved.prepare;
        (pulumi.log as any).debug = saved.debug;
    });

    it("captures no stack frames, maps none and sends no debug logs", async () => {
        lightenPluginProcess({});
        const e = new Error("boom");
        assert.strictEqual(e.stack, "Error: boom", "the message stays, without frames or source mapping");
        assert.notStrictEqual(pulumi.log.debug, saved.debug);
        assert.strictEqual(await pulumi.log.debug("x"), undefined);
    });

    it("leaves the SDK's settings with VOLLEY_PLUGIN_DEBUG", () => {
        lightenPluginProcess({ VOLLEY_PLUGIN_DEBUG: "1" });
        assert.strictEqual(new Error("boom").stack, "mapped boom");
        assert.strictEqual(Error.stackTraceLimit, saved.limit);
        assert.strictEqual(pulumi.log.debug, saved.debug);
    });
});
