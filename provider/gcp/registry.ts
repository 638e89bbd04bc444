// GCP components: token -> lazy loader + validator (see kubernetes/registry.ts).
import { ComponentEntry } from "../kubernetes/registry";

export const GCP_COMPONENTS: Record<string, ComponentEntry> = {};
