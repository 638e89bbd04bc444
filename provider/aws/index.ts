// Public AWS components, re-exported for the schema generator (components/index.ts).
export { AwsEnvironment, AwsEnvironmentArgs } from "../components/awsEnvironment";
export { AwsNodePool, AwsNodePoolArgs } from "../components/awsNodePool";
export { EfsCheckpointStore, EfsCheckpointStoreArgs } from "../components/efsCheckpointStore";
