// Azure components: token -> lazy loader + validator (see kubernetes/registry.ts).
// @pulumi/azure-native loads (by sub-path) only when one of these is constructed.
import { ComponentEntry } from "../core/registry";
import { validateAzureEnvironment, validateAzureFilesCheckpointStore, validateAzureNodePool } from "./validate";

export const AZURE_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:AzureEnvironment": {
        load: () => require("./azureEnvironment").AzureEnvironment,
        validate: validateAzureEnvironment,
    },
    "volley:index:AzureNodePool": {
        load: () => require("./azureNodePool").AzureNodePool,
        validate: validateAzureNodePool,
    },
    "volley:index:AzureFilesCheckpointStore": {
        load: () => require("./azureFilesCheckpointStore").AzureFilesCheckpointStore,
        validate: validateAzureFilesCheckpointStore,
    },
};
