// What each domain's registry lists per token: a lazy loader and a validator.
import * as pulumi from "@pulumi/pulumi";
import { Issue } from "./validate";

export interface ComponentEntry {
    /** Loads the component class; `require` here keeps plugin start-up cheap. */
    load: () => new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;
    /** Pure validation of the resolved inputs and the resource name. */
    validate: (resolved: any, name: string) => Issue[];
}
