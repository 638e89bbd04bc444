// Every component the plugin serves, by token. Each cloud keeps its own table
// so its components (and cloud SDKs) load only when constructed.
import { AWS_COMPONENTS } from "./aws/registry";
import { GCP_COMPONENTS } from "./gcp/registry";
import { ComponentEntry, KUBERNETES_COMPONENTS } from "./kubernetes/registry";

export { ComponentEntry };
export const COMPONENTS: Record<string, ComponentEntry> = { ...KUBERNETES_COMPONENTS, ...AWS_COMPONENTS, ...GCP_COMPONENTS };
