// Every component the plugin serves, by token, merged from each domain's
// table so a cloud's components (and its SDK) load only when constructed.
import { AWS_COMPONENTS } from "./aws/registry";
import { AZURE_COMPONENTS } from "./azure/registry";
import { ComponentEntry } from "./core/registry";
import { GCP_COMPONENTS } from "./gcp/registry";
import { KUBERNETES_COMPONENTS } from "./kubernetes/registry";

export const COMPONENTS: Record<string, ComponentEntry> = { ...KUBERNETES_COMPONENTS, ...AWS_COMPONENTS, ...GCP_COMPONENTS, ...AZURE_COMPONENTS };
