import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PLATFORM_TIMINGS, criticalPath, minutesFor } from "../../tools/critical-path/model";
import { capture } from "./graph";

class Thing extends pulumi.CustomResource {
    constructor(type: string, name: string, props: any, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

describe("criticalPath", () => {
    it("is the longest chain of creation times, in parallel elsewhere", async () => {
        const g = await capture(() => {
            const cluster = new Thing("test:index:Cluster", "c", { x: 1 });
            const fs = new Thing("test:index:FileSystem", "fs", { x: 1 });
            const pool = new Thing("test:index:Pool", "p", { cluster: (cluster as any).id });
            new Thing("test:index:Chart", "chart", {}, { dependsOn: [pool] });
            new Thing("test:index:Mount", "m", { fs: (fs as any).id });
        });
        const cp = criticalPath(g, [
            { match: "test:index:Cluster", minutes: 10 }, { match: "test:index:Pool", minutes: 3 },
            { match: "test:index:Chart", minutes: 2 }, { match: "test:index:FileSystem", minutes: 0.2 },
            { match: "test:index:Mount", minutes: 1.5 },
        ]);
        assert.strictEqual(cp.total, 15);
        assert.deepStrictEqual(cp.path.map((p) => p.resource), ["test:index:Cluster::c", "test:index:Pool::p", "test:index:Chart::chart"]);
    });
    it("a chart of CRDs only takes less than one with workloads; a name match beats the type alone", () => {
        const chart = (name: string) => ({ type: "kubernetes:helm.sh/v4:Chart", name, custom: true } as any);
        assert.strictEqual(minutesFor(chart("dev-karpenter-crds"), PLATFORM_TIMINGS, 0.05), 0.25);
        assert.strictEqual(minutesFor(chart("dev-karpenter-chart"), PLATFORM_TIMINGS, 0.05), 2);
    });
});
