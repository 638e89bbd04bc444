const pulumi = require("@pulumi/pulumi");
const fs = require("fs");
const path = require("path");
const schema = fs.readFileSync(path.join(__dirname, "schema.json"), "utf8");
class Widget extends pulumi.ComponentResource {
  constructor(name, args, opts) {
    super("demo:index:Widget", name, {}, opts);
    this.label = pulumi.output(args.size).apply(s => `widget-${s}`);
    this.registerOutputs({ label: this.label });
  }
}
const provider = {
  version: "0.1.0",
  schema,
  async construct(name, type, inputs, options) {
    if (type !== "demo:index:Widget") throw new Error("unknown type " + type);
    const w = new Widget(name, inputs, options);
    return { urn: w.urn, state: { label: w.label } };
  },
};
pulumi.provider.main(provider, process.argv.slice(2));
