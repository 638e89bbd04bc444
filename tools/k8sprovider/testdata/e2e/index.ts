// Smoke test program for the stand-in kubernetes provider: a Namespace, a
// ConfigMap (its data comes from config `greeting`), a CRD and a custom
// resource that waits for a status field (set by e2e.sh).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const cfg = new pulumi.Config();

const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "e2e" } });
const cm = new k8s.core.v1.ConfigMap("cm", {
    metadata: { name: "greeting", namespace: ns.metadata.name },
    data: { greeting: cfg.get("greeting") ?? "hello" },
});
const crd = new k8s.apiextensions.v1.CustomResourceDefinition("crd", {
    metadata: { name: "widgets.e2e.example.com" },
    spec: {
        group: "e2e.example.com",
        names: { kind: "Widget", plural: "widgets", singular: "widget" },
        scope: "Namespaced",
        versions: [{
            name: "v1", served: true, storage: true,
            schema: { openAPIV3Schema: { type: "object", properties: {
                spec: { type: "object", properties: { size: { type: "integer" } } },
                status: { type: "object", properties: { phase: { type: "string" } } },
            } } },
            subresources: { status: {} },
        }],
    },
});
const widget = new k8s.apiextensions.CustomResource("widget", {
    apiVersion: "e2e.example.com/v1",
    kind: "Widget",
    metadata: {
        name: "w1", namespace: ns.metadata.name,
        annotations: cfg.getBoolean("waitForWidget") ? {
            "pulumi.com/waitFor": "jsonpath={.status.phase}=Ready",
            "pulumi.com/timeoutSeconds": "60",
        } : {},
    },
    spec: { size: 3 },
}, { dependsOn: [crd] });

export const configMapUid = cm.metadata.uid;
export const widgetUid = widget.metadata.uid;
export const namespacePhase = ns.status.phase;
