// Public GCP components, re-exported for the schema generator (components/index.ts).
export {};
