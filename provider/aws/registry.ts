// AWS components: token -> lazy loader + validator (see kubernetes/registry.ts).
// @pulumi/aws loads only when one of them is constructed.
import { ComponentEntry } from "../core/registry";
import { validateAwsEnvironment, validateAwsNodePool, validateEfsCheckpointStore } from "./validate";

export const AWS_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:AwsEnvironment": {
        load: () => require("./awsEnvironment").AwsEnvironment,
        validate: (a, name) => validateAwsEnvironment(a, name),
    },
    "volley:index:AwsNodePool": {
        load: () => require("./awsNodePool").AwsNodePool,
        validate: (a, name) => validateAwsNodePool(a, name),
    },
    "volley:index:EfsCheckpointStore": {
        load: () => require("./efsCheckpointStore").EfsCheckpointStore,
        validate: (a, name) => validateEfsCheckpointStore(a, name),
    },
};
