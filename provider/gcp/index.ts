// Public GCP components, re-exported for the schema generator (provider/components.ts).
export { FilestoreCheckpointStore, FilestoreCheckpointStoreArgs } from "./filestoreCheckpointStore";
export { GcpEnvironment, GcpEnvironmentArgs } from "./gcpEnvironment";
export { GcpNodePool, GcpNodePoolArgs } from "./gcpNodePool";
