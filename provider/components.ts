// Every public component, one export line per domain. The schema generator
// analyzes these exports; the plugin loads each component lazily (registry.ts).
export * from "./kubernetes";
export * from "./aws";
export * from "./gcp";
export * from "./azure";
