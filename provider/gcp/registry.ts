// GCP components: token -> lazy loader + validator (see kubernetes/registry.ts).
// @pulumi/gcp loads only when one of these is constructed.
import { ComponentEntry } from "../core/registry";
import { validateFilestoreCheckpointStore, validateGcpEnvironment, validateGcpNodePool } from "./validate";

export const GCP_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:GcpEnvironment": {
        load: () => require("./gcpEnvironment").GcpEnvironment,
        validate: validateGcpEnvironment,
    },
    "volley:index:GcpNodePool": {
        load: () => require("./gcpNodePool").GcpNodePool,
        validate: validateGcpNodePool,
    },
    "volley:index:FilestoreCheckpointStore": {
        load: () => require("./filestoreCheckpointStore").FilestoreCheckpointStore,
        validate: validateFilestoreCheckpointStore,
    },
};
