import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as yaml from "js-yaml";
import { kubernetesProvider } from "./provider";
import { OPERATOR_DEFAULTS, operatorClusterRules, operatorLabels, operatorLeaseRules, renderOperatorDeploymentSpec, renderOperatorServiceSpec } from "./render/operator";
import { CRD_NAME } from "./render/volley";
import { ResourceRequirements } from "./volleySpec";
import { Toleration } from "../core/types";

/** Node selector and tolerations that place platform pods on the system nodes. */
export interface NodePlacement {
    /** Node labels the pods must match. */
    nodeSelector?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Tolerations the pods need. */
    tolerations?: pulumi.Input<pulumi.Input<Toleration>[]>;
}

/** Settings of the Volley operator, also used inside the environment components. */
export interface VolleyOperatorSettings {
    /** Namespace of the operator, created by the component. Defaults to `volley-system`. */
    namespace?: pulumi.Input<string>;
    /** Operator image without tag. Defaults to `volleyio/volley-k8s-operator`. */
    image?: pulumi.Input<string>;
    /** Operator image tag. Defaults to `0.1.0`. */
    version?: pulumi.Input<string>;
    /** Operator replicas; more than 1 enables leader election and a PodDisruptionBudget. Plain: it decides whether the PDB exists. Defaults to `1`. */
    replicas?: number;
    /** Operator resources. Defaults to requests 100m/128Mi, limits 500m/256Mi. */
    resources?: pulumi.Input<ResourceRequirements>;
    /** CRD YAML to install instead of the bundled `crds/volley.io_volleyapplications.yaml`. */
    crdYaml?: pulumi.Input<string>;
}

export interface VolleyOperatorArgs extends VolleyOperatorSettings {
    /** Kubeconfig of the target cluster. Defaults to the ambient kubeconfig. */
    kubeconfig?: pulumi.Input<string>;
    /** Placement of the operator pods, normally the system nodes. */
    placement?: pulumi.Input<NodePlacement>;
}

/** The bundled CRD, read once per process from the package's crds/ folder. */
let bundledCrd: any;
export function loadBundledCrd(): any {
    if (!bundledCrd) {
        // The package root is the nearest folder with package.json (bin/provider/... compiled, provider/... from source).
        let dir = __dirname;
        while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
        const file = path.join(dir, "crds", "volley.io_volleyapplications.yaml");
        bundledCrd = yaml.load(fs.readFileSync(file, "utf8"));
    }
    return bundledCrd;
}

/**
 * The Volley operator: its namespace, the VolleyApplication CRD, a
 * ServiceAccount with least-privilege RBAC, a PriorityClass, the Deployment
 * with health probes, a metrics Service and, with more than one replica, a
 * PodDisruptionBudget.
 */
export class VolleyOperator extends pulumi.ComponentResource {
    /** Namespace the operator runs in. */
    public readonly namespace!: pulumi.Output<string>;
    /** Name of the installed CRD (`volleyapplications.volley.io`). */
    public readonly crdName!: pulumi.Output<string>;
    /** Name of the operator Deployment. */
    public readonly deploymentName!: pulumi.Output<string>;
    /** Name of the operator's ServiceAccount. */
    public readonly serviceAccountName!: pulumi.Output<string>;

    constructor(name: string, args: VolleyOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:VolleyOperator", name, {}, opts);
        if (opts?.urn) return;
        const provider = kubernetesProvider(this, name, args.kubeconfig, opts);
        const o = { parent: this, provider };

        const crdObject = args.crdYaml
            ? pulumi.output(args.crdYaml).apply((t) => yaml.load(t) as any)
            : pulumi.output(loadBundledCrd());
        const crd = new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-crd`, {
            metadata: crdObject.apply((c) => c.metadata),
            spec: crdObject.apply((c) => c.spec),
        }, o);

        const nsName = pulumi.output(args.namespace ?? OPERATOR_DEFAULTS.namespace);
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: { name: nsName, labels: { "app.kubernetes.io/part-of": "volley", "pod-security.kubernetes.io/enforce": "restricted" } },
        }, o);
        const namespace = ns.metadata.name;
        const labels = operatorLabels(name);
        const meta = (suffix: string) => ({ name: `volley-operator${suffix}`, namespace, labels });

        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta("") }, o);
        const clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-role`, {
            // Cluster-scoped names must not collide between two operators in one cluster.
            metadata: { name: pulumi.interpolate`volley-operator-${namespace}`, labels },
            rules: operatorClusterRules(),
        }, o);
        const binding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, {
            metadata: { name: pulumi.interpolate`volley-operator-${namespace}`, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace }],
        }, o);
        const leaseRole = new k8s.rbac.v1.Role(`${name}-leases`, { metadata: meta("-leases"), rules: operatorLeaseRules() }, o);
        const leaseBinding = new k8s.rbac.v1.RoleBinding(`${name}-leases`, {
            metadata: meta("-leases"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: leaseRole.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace }],
        }, o);
        const priority = new k8s.scheduling.v1.PriorityClass(`${name}-priority`, {
            metadata: { name: pulumi.interpolate`volley-operator-${namespace}`, labels },
            value: OPERATOR_DEFAULTS.priority,
            globalDefault: false,
            description: "Volley operator: evicted after ordinary workloads.",
        }, o);

        const replicas = args.replicas ?? OPERATOR_DEFAULTS.replicas;
        // After the CRD and the bindings: the operator starts with its permissions in place.
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata: meta(""),
            spec: pulumi.all([args, sa.metadata.name, priority.metadata.name, pulumi.output(args.placement ?? {})]).apply(([a, saName, pcName, pl]) =>
                renderOperatorDeploymentSpec({
                    name,
                    image: a.image ?? OPERATOR_DEFAULTS.image,
                    version: a.version ?? OPERATOR_DEFAULTS.version,
                    replicas,
                    resources: a.resources ?? OPERATOR_DEFAULTS.resources,
                    nodeSelector: pl.nodeSelector as Record<string, string> | undefined,
                    tolerations: pl.tolerations as any[] | undefined,
                    serviceAccountName: saName,
                    priorityClassName: pcName,
                })),
        }, { ...o, dependsOn: [crd, binding, leaseBinding] });
        new k8s.core.v1.Service(`${name}-metrics`, { metadata: meta("-metrics"), spec: renderOperatorServiceSpec(name) }, o);
        // A PDB with one replica would block node drains forever; only add it when it can be honoured.
        if (replicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
                metadata: meta(""),
                spec: { minAvailable: 1, selector: { matchLabels: labels } },
            }, o);
        }

        this.namespace = namespace;
        this.crdName = crd.metadata.name.apply((n) => n ?? CRD_NAME);
        this.deploymentName = deployment.metadata.name;
        this.serviceAccountName = sa.metadata.name;
        this.registerOutputs({
            namespace: this.namespace,
            crdName: this.crdName,
            deploymentName: this.deploymentName,
            serviceAccountName: this.serviceAccountName,
        });
    }
}
