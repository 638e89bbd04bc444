// AWS components: token -> lazy loader + validator (see kubernetes/registry.ts).
import { ComponentEntry } from "../kubernetes/registry";

export const AWS_COMPONENTS: Record<string, ComponentEntry> = {};
