// Public platform components, re-exported for the schema generator (provider/components.ts).
export { Application, ApplicationArgs } from "./application";
export { KarpenterNodePool, KarpenterNodePoolArgs } from "./karpenterNodePool";
export { Keda, KedaArgs } from "./keda";
export { KubernetesEnvironment, KubernetesEnvironmentArgs } from "./kubernetesEnvironment";
export { PrometheusStack, PrometheusStackArgs } from "./prometheusStack";
export { SharedCheckpointVolume, SharedCheckpointVolumeArgs } from "./sharedCheckpointVolume";
export { VolleyOperator, VolleyOperatorArgs } from "./volleyOperator";
