// make bench (tools/bench/scale.sh): every Kubernetes object the volley
// program created, with the same inputs, dependencies and retention,
// declared directly through one provider, as a team would write it without
// the package. objects.json comes from the volley stack (objects.js).
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

interface KubeObject { type: string; name: string; inputs: any; dependsOn: string[]; retainOnDelete: boolean }

const config = new pulumi.Config();
const objects: KubeObject[] = JSON.parse(fs.readFileSync(config.require("objects"), "utf8"));
const changed = config.getNumber("changedReplicas");
const provider = new k8s.Provider("k8s", { kubeconfig: config.requireSecret("kubeconfig") });

// The SDK class of a type token (kubernetes:rbac.authorization.k8s.io/v1:Role -> k8s.rbac.v1.Role),
// or CustomResource for kinds the SDK has no class for (VolleyApplication).
function classOf(type: string): any {
    const [, gv, kind] = type.split(":");
    const [group, version] = gv.includes("/") ? gv.split("/") : ["core", gv];
    return (k8s as any)[group.split(".")[0]]?.[version]?.[kind];
}

const declared = new Map<string, pulumi.Resource>();
for (const o of objects) {
    const inputs = { ...o.inputs };
    if (changed !== undefined && o.name === "app-0-vapp") inputs.spec = { ...inputs.spec, replicas: changed };
    const opts: pulumi.CustomResourceOptions = {
        provider, retainOnDelete: o.retainOnDelete, dependsOn: o.dependsOn.map((d) => declared.get(d)!),
    };
    const cls = classOf(o.type);
    const res = cls ? new cls(o.name, inputs, opts) : new k8s.apiextensions.CustomResource(o.name, inputs, opts);
    declared.set(`${o.type}::${o.name}`, res);
}
