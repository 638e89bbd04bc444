// Public Azure components, re-exported for the schema generator (provider/components.ts).
export { AzureEnvironment, AzureEnvironmentArgs } from "./azureEnvironment";
export { AzureFilesCheckpointStore, AzureFilesCheckpointStoreArgs } from "./azureFilesCheckpointStore";
export { AzureNodePool, AzureNodePoolArgs } from "./azureNodePool";
