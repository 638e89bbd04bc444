// AWS components: token -> lazy loader + validator (see kubernetes/registry.ts).
// @pulumi/aws loads only when one of them is constructed.
import { ComponentEntry } from "../kubernetes/registry";
import { validateAwsEnvironment, validateAwsNodePool, validateEfsCheckpointStore } from "../validate/aws";

export const AWS_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:AwsEnvironment": {
        load: () => require("../components/awsEnvironment").AwsEnvironment,
        validate: validateAwsEnvironment,
    },
    "volley:index:AwsNodePool": {
        load: () => require("../components/awsNodePool").AwsNodePool,
        validate: validateAwsNodePool,
    },
    "volley:index:EfsCheckpointStore": {
        load: () => require("../components/efsCheckpointStore").EfsCheckpointStore,
        validate: validateEfsCheckpointStore,
    },
};
