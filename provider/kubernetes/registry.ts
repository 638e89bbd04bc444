// The cloud-independent components: token -> lazy loader + validator.
import { validateApplication } from "./validate/application";
import { ComponentEntry } from "../core/registry";
import { validateKarpenterNodePool } from "./validate/karpenter";
import {
    validateKeda, validateKubernetesEnvironment, validateOperator, validatePrometheusStack, validateSharedCheckpointVolume,
} from "./validate/platform";

export const KUBERNETES_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:Application": {
        load: () => require("./application").Application,
        validate: (a) => validateApplication(a, a.environment),
    },
    "volley:index:KubernetesEnvironment": {
        load: () => require("./kubernetesEnvironment").KubernetesEnvironment,
        validate: (a, name) => validateKubernetesEnvironment(a, name),
    },
    "volley:index:VolleyOperator": {
        load: () => require("./volleyOperator").VolleyOperator,
        validate: validateOperator,
    },
    "volley:index:Keda": {
        load: () => require("./keda").Keda,
        validate: validateKeda,
    },
    "volley:index:PrometheusStack": {
        load: () => require("./prometheusStack").PrometheusStack,
        validate: validatePrometheusStack,
    },
    "volley:index:KarpenterNodePool": {
        load: () => require("./karpenterNodePool").KarpenterNodePool,
        validate: (a, name) => validateKarpenterNodePool(a, name),
    },
    "volley:index:SharedCheckpointVolume": {
        load: () => require("./sharedCheckpointVolume").SharedCheckpointVolume,
        validate: validateSharedCheckpointVolume,
    },
};

