// Public AWS components, re-exported for the schema generator (provider/components.ts).
export { AwsEnvironment, AwsEnvironmentArgs } from "./awsEnvironment";
export { AwsNodePool, AwsNodePoolArgs } from "./awsNodePool";
export { EfsCheckpointStore, EfsCheckpointStoreArgs } from "./efsCheckpointStore";
