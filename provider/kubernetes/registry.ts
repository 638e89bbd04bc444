// The cloud-independent components: token -> lazy loader + validator.
import * as pulumi from "@pulumi/pulumi";
import { validateApplication } from "../validate/application";
import { Issue } from "../validate/core";
import {
    validateKeda, validateKubernetesEnvironment, validateOperator, validatePrometheusStack, validateSharedCheckpointVolume,
} from "../validate/platform";

export interface ComponentEntry {
    /** Loads the component class; `require` here keeps plugin start-up cheap. */
    load: () => new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;
    /** Pure validation of the resolved inputs. */
    validate: (resolved: any) => Issue[];
}

export const KUBERNETES_COMPONENTS: Record<string, ComponentEntry> = {
    "volley:index:Application": {
        load: () => require("../components/application").Application,
        validate: (a) => validateApplication(a, a.environment),
    },
    "volley:index:KubernetesEnvironment": {
        load: () => require("../components/kubernetesEnvironment").KubernetesEnvironment,
        validate: validateKubernetesEnvironment,
    },
    "volley:index:VolleyOperator": {
        load: () => require("../components/volleyOperator").VolleyOperator,
        validate: validateOperator,
    },
    "volley:index:Keda": {
        load: () => require("../components/keda").Keda,
        validate: validateKeda,
    },
    "volley:index:PrometheusStack": {
        load: () => require("../components/prometheusStack").PrometheusStack,
        validate: validatePrometheusStack,
    },
    "volley:index:SharedCheckpointVolume": {
        load: () => require("../components/sharedCheckpointVolume").SharedCheckpointVolume,
        validate: validateSharedCheckpointVolume,
    },
};

