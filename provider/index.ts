// Plugin entry point. Serves the committed schema.json and dispatches
// Construct through provider.ts; never type-checks or analyzes TypeScript.
import * as fs from "fs";
import * as path from "path";
import * as provider from "@pulumi/pulumi/provider";
import { VolleyProvider } from "./provider";
import { lightenPluginProcess } from "./pluginProcess";

const root = path.join(__dirname, "..", "..");
const schema = fs.readFileSync(path.join(root, "schema.json"), "utf8");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
provider.main(new VolleyProvider(version, schema), process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
});

lightenPluginProcess(process.env);
