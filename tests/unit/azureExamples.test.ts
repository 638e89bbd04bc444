// The Azure examples in every language: the API server is not open to any
// address by default; the admin network is required configuration.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const EXAMPLES: [file: string, requireAdmin: RegExp][] = [
    ["examples/azure-ts/index.ts", /config\.require\("adminCidr"\)/],
    ["examples/azure-py/__main__.py", /config\.require\("adminCidr"\)/],
    ["examples/azure-go/main.go", /cfg\.Require\("adminCidr"\)/],
];

describe("Azure examples", () => {
    for (const [file, requireAdmin] of EXAMPLES) {
        it(`${file} requires adminCidr for the API server and never authorizes 0.0.0.0/0`, () => {
            const src = fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8");
            assert.ok(!src.includes("0.0.0.0/0"), "opens the API server to any address");
            assert.match(src, requireAdmin);
        });
        it(`${file} keeps checkpoints zone-redundant next to a stream pool over three zones (A10)`, () => {
            const src = fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8");
            assert.match(src, /"1", "2", "3"|pulumi\.String\("1"\), pulumi\.String\("2"\), pulumi\.String\("3"\)/);
            assert.match(src, /Premium_ZRS|AzureFilesSkuPremiumZrs/);
        });
    }
});
