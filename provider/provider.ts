// The component provider: serves the committed schema and constructs
// components by token. Components and their cloud SDKs load on first use.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { recordResolved } from "./components/resolved";
import { validateApplication } from "./validate/application";
import { Issue, resolveInputs, throwIfInvalid } from "./validate/core";
import {
    validateKeda, validateKubernetesEnvironment, validateOperator, validatePrometheusStack, validateSharedCheckpointVolume,
} from "./validate/platform";

interface ComponentEntry {
    /** Loads the component class; `require` here keeps plugin start-up cheap. */
    load: () => new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;
    /** Pure validation of the resolved inputs. */
    validate: (resolved: any) => Issue[];
}

export const COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:Application": {
        load: () => require("./components/application").Application,
        validate: (a) => validateApplication(a, a.environment),
    },
    "volley:index:KubernetesEnvironment": {
        load: () => require("./components/kubernetesEnvironment").KubernetesEnvironment,
        validate: validateKubernetesEnvironment,
    },
    "volley:index:VolleyOperator": {
        load: () => require("./components/volleyOperator").VolleyOperator,
        validate: validateOperator,
    },
    "volley:index:Keda": {
        load: () => require("./components/keda").Keda,
        validate: validateKeda,
    },
    "volley:index:PrometheusStack": {
        load: () => require("./components/prometheusStack").PrometheusStack,
        validate: validatePrometheusStack,
    },
    "volley:index:SharedCheckpointVolume": {
        load: () => require("./components/sharedCheckpointVolume").SharedCheckpointVolume,
        validate: validateSharedCheckpointVolume,
    },
};

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
        throwIfInvalid(`${type} "${name}"`, entry.validate(resolved));
        recordResolved(inputs, resolved);
        const component: any = new (entry.load())(name, inputs, options);
        const state: Record<string, unknown> = {};
        for (const key of this.outputNames[type] ?? []) state[key] = component[key];
        return { urn: component.urn, state };
    }
}
