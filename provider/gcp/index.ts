// Public GCP components, re-exported for the schema generator (components/index.ts).
export { FilestoreCheckpointStore, FilestoreCheckpointStoreArgs } from "../components/filestoreCheckpointStore";
export { GcpEnvironment, GcpEnvironmentArgs } from "../components/gcpEnvironment";
export { GcpNodePool, GcpNodePoolArgs } from "../components/gcpNodePool";
