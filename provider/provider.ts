// The component provider: serves the committed schema and constructs
// components by token. Components and their cloud SDKs load on first use.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { inputDependencies, recordDependencies, recordResolved } from "./core/resolved";
import { COMPONENTS } from "./registry";
import { UNKNOWN, resolveInputs, throwIfInvalid } from "./core/validate";

export class VolleyProvider implements provider.Provider {
    private readonly outputNames: Record<string, string[]>;

    constructor(readonly version: string, readonly schema: string) {
        const parsed = JSON.parse(schema);
        this.outputNames = {};
        for (const [token, res] of Object.entries<any>(parsed.resources ?? {})) {
            this.outputNames[token] = Object.keys(res.properties ?? {});
        }
    }

    async getSchema(): Promise<string> {
        return this.schema;
    }

    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
        const entry = COMPONENTS[type];
        if (!entry) throw new Error(`unknown resource type ${type}; this provider serves ${Object.keys(COMPONENTS).join(", ")}`);
        // Validate everything before creating anything, so bad input leaves nothing half-created.
        const resolved = await resolveInputs(inputs);
        throwIfInvalid(`${type} "${name}"`, entry.validate(resolved, name));
        recordResolved(inputs, resolved);
        // Only an unknown environment is found through its dependencies (kubernetes/provider.ts).
        if (resolved.environment === UNKNOWN) recordDependencies(inputs, await inputDependencies({ environment: inputs.environment }));
        const component: any = new (entry.load())(name, inputs, options);
        const state: Record<string, unknown> = {};
        for (const key of this.outputNames[type] ?? []) state[key] = component[key];
        return { urn: component.urn, state };
    }
}
