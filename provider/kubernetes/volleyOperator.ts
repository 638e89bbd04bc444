import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as yaml from "js-yaml";
import { kubernetesProvider } from "./provider";
import {
    OPERATOR_DEFAULTS, OperatorPort, operatorClusterRules, operatorImageRef, operatorLabels, operatorLeaseRules, renderOperatorDeploymentSpec,
    renderOperatorServiceSpec,
} from "./render/operator";
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

/** An HTTP GET probe of the operator container. */
export interface OperatorHttpGet {
    /** Path to request, e.g. `/healthz`. */
    path: pulumi.Input<string>;
    /** Container port number. */
    port: pulumi.Input<number>;
}

/** A liveness or readiness probe of the operator container (Kubernetes Probe fields). */
export interface OperatorProbe {
    /** The HTTP endpoint to probe. */
    httpGet: pulumi.Input<OperatorHttpGet>;
    /** Seconds after start before the first probe. Defaults to Kubernetes' `0`. */
    initialDelaySeconds?: pulumi.Input<number>;
    /** Seconds between probes. Defaults to Kubernetes' `10`. */
    periodSeconds?: pulumi.Input<number>;
    /** Consecutive failures before the probe fails. Defaults to Kubernetes' `3`. */
    failureThreshold?: pulumi.Input<number>;
}

/** A named container port of the operator. */
export interface OperatorContainerPort {
    /** Port name (an IANA_SVC_NAME, e.g. `metrics`). */
    name: pulumi.Input<string>;
    /** Port number. */
    containerPort: pulumi.Input<number>;
}

/** Settings of the Volley operator, also used inside the environment components. */
export interface VolleyOperatorSettings {
    /** Namespace of the operator, created by the component. Defaults to `volley-system`. */
    namespace?: pulumi.Input<string>;
    /**
     * Required: the operator image you built and pushed (no public image exists; see the README's
     * "Build the operator image"), as `registry/name`, `registry/name:tag` or `registry/name@sha256:<digest>`.
     */
    image: pulumi.Input<string>;
    /** Image tag, appended when `image` carries no tag or digest; leave it unset when it does. */
    version?: pulumi.Input<string>;
    /** Names of Secrets in the operator namespace that hold registry credentials for a private image. */
    imagePullSecrets?: pulumi.Input<pulumi.Input<string>[]>;
    /** Operator replicas. Plain: it decides whether the PDB exists. One replica updates without a surge (the old pod stops before the new one starts); more than one needs `leaderElectionArgs`. Defaults to `1`. */
    replicas?: number;
    /** The operator's own flags that turn on leader election; required with more than one replica (the guide documents none). */
    leaderElectionArgs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Extra container args, always passed. */
    args?: pulumi.Input<pulumi.Input<string>[]>;
    /** Container ports, e.g. a health or metrics port your operator build serves. None by default: the guide documents none. */
    ports?: pulumi.Input<pulumi.Input<OperatorContainerPort>[]>;
    /** Liveness probe. None by default: the guide documents no operator health endpoint, and a probe on a missing one restarts the operator forever. */
    livenessProbe?: pulumi.Input<OperatorProbe>;
    /** Readiness probe. None by default (see `livenessProbe`). */
    readinessProbe?: pulumi.Input<OperatorProbe>;
    /** Port that serves Prometheus metrics on `/metrics`, if your operator build has one. Plain: it decides whether the metrics Service and ServiceMonitor exist. */
    metricsPort?: number;
    /** Operator resources. Defaults to requests 100m/128Mi, limits 500m/256Mi. */
    resources?: pulumi.Input<ResourceRequirements>;
    /** The operator's CRD (what `volley-k8s-operator generate-crd` prints, JSON or YAML) to install instead of the bundled `crds/volley.io_volleyapplications.yaml`. */
    crdYaml?: pulumi.Input<string>;
    /** Namespaces the operator may manage. Plain: it decides whether the operator gets a ClusterRole (unset) or a Role in each listed namespace. */
    watchNamespaces?: string[];
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
 * The Volley operator: its namespace, the VolleyApplication CRD (retained on
 * delete), a ServiceAccount with least-privilege RBAC, a PriorityClass, the
 * Deployment of the image you built, with `metricsPort` a metrics Service
 * and, with more than one replica, a PodDisruptionBudget.
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
        // Retained on delete: deleting a CRD deletes every VolleyApplication in the
        // cluster, other stacks' included. README "Removing CRDs" says how to on purpose.
        const crd = new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-crd`, {
            metadata: crdObject.apply((c) => c.metadata),
            spec: crdObject.apply((c) => c.spec),
        }, { ...o, retainOnDelete: true });

        const nsName = pulumi.output(args.namespace ?? OPERATOR_DEFAULTS.namespace);
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: { name: nsName, labels: { "app.kubernetes.io/part-of": "volley", "pod-security.kubernetes.io/enforce": "restricted" } },
        }, o);
        const namespace = ns.metadata.name;
        const labels = operatorLabels(name);
        const meta = (suffix: string) => ({ name: `volley-operator${suffix}`, namespace, labels });

        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta("") }, o);
        const bindings = operatorRbac(name, namespace, sa.metadata.name, labels, args.watchNamespaces, o);
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
                    image: operatorImageRef(a.image, a.version),
                    replicas,
                    resources: a.resources ?? OPERATOR_DEFAULTS.resources,
                    imagePullSecrets: a.imagePullSecrets as string[] | undefined,
                    args: a.args as string[] | undefined,
                    leaderElectionArgs: a.leaderElectionArgs as string[] | undefined,
                    ports: metricsPorts(a.ports as OperatorPort[] | undefined, args.metricsPort),
                    livenessProbe: a.livenessProbe,
                    readinessProbe: a.readinessProbe,
                    nodeSelector: pl.nodeSelector as Record<string, string> | undefined,
                    tolerations: pl.tolerations as any[] | undefined,
                    serviceAccountName: saName,
                    priorityClassName: pcName,
                })),
        }, { ...o, dependsOn: [crd, ...bindings, leaseBinding] });
        if (args.metricsPort !== undefined) {
            new k8s.core.v1.Service(`${name}-metrics`, { metadata: meta("-metrics"), spec: renderOperatorServiceSpec(name, args.metricsPort) }, o);
        }
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

/** A `metrics` container port for `metricsPort`, unless the user's ports already name one. */
function metricsPorts(ports: OperatorPort[] | undefined, metricsPort: number | undefined): OperatorPort[] | undefined {
    if (metricsPort === undefined || ports?.some((p) => p.name === "metrics")) return ports;
    return [...(ports ?? []), { name: "metrics", containerPort: metricsPort }];
}

/**
 * The operator's grants: one ClusterRole, or with `watchNamespaces` a Role and
 * RoleBinding in each listed namespace (names stay unique per operator namespace).
 */
function operatorRbac(name: string, namespace: pulumi.Output<string>, saName: pulumi.Output<string>,
    labels: Record<string, string>, watch: string[] | undefined, o: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const subjects = [{ kind: "ServiceAccount", name: saName, namespace }];
    if (!watch?.length) {
        const clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-role`, {
            // Cluster-scoped names must not collide between two operators in one cluster.
            metadata: { name: pulumi.interpolate`volley-operator-${namespace}`, labels },
            rules: operatorClusterRules(),
        }, o);
        return [new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, {
            metadata: { name: pulumi.interpolate`volley-operator-${namespace}`, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
            subjects,
        }, o)];
    }
    return watch.map((ns) => {
        const metadata = { name: pulumi.interpolate`volley-operator-${namespace}`, namespace: ns, labels };
        const role = new k8s.rbac.v1.Role(`${name}-role-${ns}`, { metadata, rules: operatorClusterRules() }, o);
        return new k8s.rbac.v1.RoleBinding(`${name}-binding-${ns}`, {
            metadata, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name }, subjects,
        }, o);
    });
}
