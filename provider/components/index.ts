// Every public component. The schema generator analyzes these exports; the
// plugin itself loads each component lazily through provider.ts.
export { Application, ApplicationArgs } from "./application";
export { Keda, KedaArgs } from "./keda";
export { KubernetesEnvironment, KubernetesEnvironmentArgs } from "./kubernetesEnvironment";
export { PrometheusStack, PrometheusStackArgs } from "./prometheusStack";
export { SharedCheckpointVolume, SharedCheckpointVolumeArgs } from "./sharedCheckpointVolume";
export { VolleyOperator, VolleyOperatorArgs } from "./volleyOperator";
export * from "../aws";
export * from "../gcp";
