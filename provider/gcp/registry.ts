// GCP components: token -> lazy loader + validator (see kubernetes/registry.ts).
// @pulumi/gcp loads only when one of these is constructed.
import { ComponentEntry } from "../kubernetes/registry";
import { validateFilestoreCheckpointStore, validateGcpEnvironment, validateGcpNodePool } from "../validate/gcp";

export const GCP_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:GcpEnvironment": {
        load: () => require("../components/gcpEnvironment").GcpEnvironment,
        validate: validateGcpEnvironment,
    },
    "volley:index:GcpNodePool": {
        load: () => require("../components/gcpNodePool").GcpNodePool,
        validate: validateGcpNodePool,
    },
    "volley:index:FilestoreCheckpointStore": {
        load: () => require("../components/filestoreCheckpointStore").FilestoreCheckpointStore,
        validate: validateFilestoreCheckpointStore,
    },
};
