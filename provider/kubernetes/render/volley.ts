// Names of the Volley API, shared by the CRD renderer and the CR renderer.
export const CRD_GROUP = "volley.io";
export const CRD_VERSION = "v1alpha1";
export const CRD_KIND = "VolleyApplication";
export const CRD_PLURAL = "volleyapplications";
export const CRD_NAME = `${CRD_PLURAL}.${CRD_GROUP}`;
export const APPLICATION_TOKEN = "volley:index:Application";

/** Application inputs that are Pulumi-side only and never reach the CR spec. */
export const NON_SPEC_KEYS = new Set([
    "environment", "name", "namespace", "awaitRunning", "awaitTimeoutSeconds",
    "checkpointClaimSize", "retainCheckpointClaim", "kafkaTopics", "retainKafkaTopics",
]);
