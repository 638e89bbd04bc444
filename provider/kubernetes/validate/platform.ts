// Validation of the platform building blocks and of KubernetesEnvironment.
import * as yaml from "js-yaml";
import { Checker, Issue, UNKNOWN, known, path } from "../../core/validate";
import { componentReleaseNameIssues } from "../../core/names";
import { imageHasTagOrDigest } from "../render/operator";
import { checkPlacement, checkTaints } from "../../core/scheduling";
import { checkObservability } from "../observability/validate";
import { checkKafkaSettings } from "../kafka/validate";
import { checkChart } from "./chart";
import { checkKarpenterSettings, checkNodePoolLabels } from "./karpenter";
import { NULL_RECEIVER, RECEIVER_KINDS } from "../render/alerting";

const is = (v: unknown): boolean => v !== undefined && v !== null;

export const PROMETHEUS_MODES = ["stack", "crds", "none"] as const;


// How to get an operator image: the guide only documents building the binary.
const IMAGE_HELP = "build it with `cargo build --release -p volley-k8s-operator`, package it with the README's Dockerfile " +
    "(\"Build the operator image\"), push it to your registry and set `image` to that reference (a tag or an @sha256 digest)";
// A reference: [host[:port]/]path[:tag][@sha256:<64 hex>], lower-case path (distribution's reference grammar, simplified).
const IMAGE_REF = /^([a-zA-Z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** VolleyOperator inputs; `p` prefixes paths when the operator is nested in an environment. */
export function checkOperator(c: Checker, p: string, a: any): void {
    if (a === UNKNOWN) return;
    if (!is(a)) { c.fail(path(p, "image"), `required: the Volley operator image (no public image exists): ${IMAGE_HELP}`); return; }
    c.dnsLabel(path(p, "namespace"), a.namespace);
    if (c.required(path(p, "image"), a.image, `the Volley operator image (no public image exists): ${IMAGE_HELP}`) && known(a.image)) {
        if (typeof a.image !== "string" || !IMAGE_REF.test(a.image)) {
            c.fail(path(p, "image"), `must be an image reference such as "registry.example.com/volley-k8s-operator:0.1.0" or "...@sha256:<digest>"; got ${JSON.stringify(a.image)}`);
        } else if (imageHasTagOrDigest(a.image) && is(a.version)) {
            c.fail(path(p, "version"), "must be unset when `image` carries a tag or digest (one place says which image runs)");
        } else if (!imageHasTagOrDigest(a.image) && !is(a.version)) {
            c.fail(path(p, "image"), `must carry a tag or an @sha256 digest, or set \`version\` to the tag; got ${JSON.stringify(a.image)} (there is no default tag)`);
        }
    }
    if (a.version !== undefined) c.required(path(p, "version"), a.version, "an image tag such as 0.1.0");
    if (c.integer(path(p, "replicas"), a.replicas, 1, 5) && known(a.replicas) && a.replicas > 1 && a.leaderElectionArgs !== UNKNOWN &&
        !(Array.isArray(a.leaderElectionArgs) && a.leaderElectionArgs.length)) {
        c.fail(path(p, "leaderElectionArgs"), `required with replicas ${a.replicas}: the operator's flags that turn on leader election ` +
            "(the guide documents none, and two reconcilers without it fight over every application); or set replicas to 1");
    }
    if (known(a.resources)) {
        for (const kind of ["requests", "limits"]) {
            const m = a.resources[kind];
            if (!known(m)) continue;
            for (const [name, q] of Object.entries(m)) c.quantity(path(p, "resources", kind, name), q);
        }
    }
    if (known(a.imagePullSecrets)) a.imagePullSecrets.forEach((n: unknown, i: number) => c.dnsSubdomain(path(p, "imagePullSecrets", i), n));
    if (known(a.ports)) {
        a.ports.forEach((port: any, i: number) => {
            if (!known(port)) return;
            c.dnsLabel(path(p, "ports", i, "name"), port.name, 15);
            c.port(path(p, "ports", i, "containerPort"), port.containerPort);
        });
    }
    for (const probe of ["livenessProbe", "readinessProbe"]) {
        const pr = a[probe];
        if (!known(pr)) continue;
        if (!known(pr.httpGet)) { c.required(path(p, probe, "httpGet"), pr.httpGet, "the endpoint to probe"); continue; }
        if (c.required(path(p, probe, "httpGet", "path"), pr.httpGet.path, "a path such as /healthz")) c.absolutePath(path(p, probe, "httpGet", "path"), pr.httpGet.path);
        c.port(path(p, probe, "httpGet", "port"), pr.httpGet.port);
    }
    c.port(path(p, "metricsPort"), a.metricsPort);
    if (known(a.watchNamespaces)) a.watchNamespaces.forEach((n: unknown, i: number) => c.dnsLabel(path(p, "watchNamespaces", i), n));
    if (known(a.crdYaml)) checkCrdText(c, path(p, "crdYaml"), a.crdYaml);
    checkPlacement(c, path(p, "placement"), a.placement);
}

/** The operator's CRD as `generate-crd` prints it (JSON) or as YAML: one CustomResourceDefinition of volley.io. */
export function checkCrdText(c: Checker, p: string, text: unknown): void {
    let doc: any;
    try {
        // JSON is YAML, so one parser reads both.
        doc = yaml.load(String(text));
    } catch (e) {
        c.fail(p, `must be the operator's CRD as JSON (\`volley-k8s-operator generate-crd\`) or YAML; it does not parse: ${(e as Error).message.split("\n")[0]}`);
        return;
    }
    if (!doc || typeof doc !== "object" || doc.kind !== "CustomResourceDefinition") {
        c.fail(p, `must be one CustomResourceDefinition (kind: CustomResourceDefinition); got ${doc && typeof doc === "object" ? `kind ${JSON.stringify(doc.kind)}` : JSON.stringify(typeof doc)}`);
    } else if (doc.spec?.group !== "volley.io" || doc.spec?.names?.kind !== "VolleyApplication") {
        c.fail(p, `must define VolleyApplication in group volley.io; got ${JSON.stringify(doc.spec?.names?.kind)} in ${JSON.stringify(doc.spec?.group)}`);
    }
}

// A Secret's data key (apimachinery IsConfigMapKey).
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A reference to a key of a Secret in the stack's namespace. */
function checkSecretKeyRef(c: Checker, p: string, ref: any): void {
    if (!known(ref)) return;
    if (c.required(path(p, "name"), ref.name, "the name of a Secret in the Prometheus stack's namespace")) c.dnsSubdomain(path(p, "name"), ref.name);
    if (c.required(path(p, "key"), ref.key, "the key within the Secret") && known(ref.key) && (typeof ref.key !== "string" || !SECRET_KEY.test(ref.key) || ref.key.length > 253)) {
        c.fail(path(p, "key"), `must be a Secret key (letters, digits, "-", "_", "."); got ${JSON.stringify(ref.key)}`);
    }
}

/**
 * Prometheus settings the chart and the AlertmanagerConfig would otherwise
 * refuse (or silently drop) after other resources exist: alert receivers
 * (exactly one destination each, unique DNS-label names), Prometheus storage
 * (a quantity, a Prometheus retention duration). `p` is the settings' path.
 */
export function checkPrometheusSettings(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    const al = a.alerting;
    if (known(al)) {
        const rp = path(p, "alerting", "receivers");
        const rs = al.receivers;
        if (rs === UNKNOWN) {
            c.fail(rp, "must be known at preview: whether there are receivers decides whether the AlertmanagerConfig exists (the receivers' Secrets may be unknown)");
        } else if (known(rs) && !Array.isArray(rs)) {
            c.fail(rp, "must be a list of receivers");
        } else if (known(rs)) {
            const names = new Map<string, number>();
            rs.forEach((r: any, i: number) => {
                if (!known(r)) return;
                const np = path(rp, i, "name");
                if (c.required(np, r.name, "the receiver's name, a DNS label such as \"oncall\"") && c.dnsLabel(np, r.name) && known(r.name)) {
                    if (r.name === NULL_RECEIVER) c.fail(np, `"${NULL_RECEIVER}" is the package's catch-all receiver (alerts no receiver matches); choose another name`);
                    else if (names.has(r.name)) c.fail(np, `duplicates receivers[${names.get(r.name)}].name ${JSON.stringify(r.name)}: Alertmanager routes by name, so each receiver needs its own`);
                    else names.set(r.name, i);
                }
                const kinds = RECEIVER_KINDS.filter((k) => r[k] !== undefined && r[k] !== null);
                if (kinds.length !== 1) {
                    c.fail(path(rp, i), `must set exactly one of ${RECEIVER_KINDS.join(", ")} (a Secret key holding the URL or routing key); got ${kinds.length ? kinds.join(" and ") : "none"}. ` +
                        "For several destinations, add one receiver per destination");
                }
                for (const k of kinds) checkSecretKeyRef(c, path(rp, i, k), r[k]);
                if (is(r.slackChannel) && !is(r.slackApiUrl)) c.fail(path(rp, i, "slackChannel"), "applies only with slackApiUrl (the Slack webhook it posts to)");
                if (known(r.severities)) {
                    if (!Array.isArray(r.severities)) c.fail(path(rp, i, "severities"), "must be a list of severities such as [\"critical\"]");
                    else r.severities.forEach((sv: unknown, j: number) => c.labelValue(path(rp, i, "severities", j), sv) && c.required(path(rp, i, "severities", j), sv, "a severity such as critical"));
                }
            });
        }
    }
    const st = a.storage;
    if (known(st)) {
        c.quantity(path(p, "storage", "size"), st.size);
        c.prometheusDuration(path(p, "storage", "retention"), st.retention);
        c.dnsSubdomain(path(p, "storage", "storageClassName"), st.storageClassName);
    }
}

/** networkPolicies: `enabled` decides which resources exist; `grafanaFrom` names namespaces. */
export function checkNetworkPolicies(c: Checker, p: string, a: any): void {
    if (a === UNKNOWN) { c.fail(p, "must be known at preview: `enabled` decides whether the NetworkPolicies exist"); return; }
    if (!known(a)) return;
    if (a.enabled !== undefined && typeof a.enabled !== "boolean") c.fail(path(p, "enabled"), "must be a plain boolean (it decides which resources exist)");
    if (known(a.grafanaFrom)) {
        if (!Array.isArray(a.grafanaFrom)) c.fail(path(p, "grafanaFrom"), "must be a list of namespace names");
        else a.grafanaFrom.forEach((n: unknown, i: number) => c.required(path(p, "grafanaFrom", i), n, "a namespace name") && c.dnsLabel(path(p, "grafanaFrom", i), n));
    }
}

/** One RWX backing: a StorageClass, an NFS export or a CSI volume, exactly one. */
export function checkCheckpointStorage(c: Checker, p: string, a: any, allowCsi: boolean): void {
    if (!known(a)) return;
    const choices = ["storageClassName", "nfs", ...(allowCsi ? ["csi"] : [])];
    const set = choices.filter((k) => a[k] !== undefined && a[k] !== null);
    if (set.length !== 1) {
        c.fail(p, `must set exactly one ReadWriteMany backing: ${choices.map((k) => `\`${k}\``).join(" or ")} (an existing RWX StorageClass${allowCsi ? ", a static NFS export or a CSI volume" : " or a static NFS export"}); got ${set.length ? set.join(" and ") : "none"}`);
    }
    if (known(a.storageClassName)) c.dnsSubdomain(path(p, "storageClassName"), a.storageClassName);
    if (known(a.nfs)) {
        c.required(path(p, "nfs.server"), a.nfs.server, "the NFS server host name or IP");
        if (c.required(path(p, "nfs.path"), a.nfs.path, "the exported path")) c.absolutePath(path(p, "nfs.path"), a.nfs.path);
    }
    if (known(a.csi)) {
        c.required(path(p, "csi.driver"), a.csi.driver, "the CSI driver name");
        c.required(path(p, "csi.volumeHandle"), a.csi.volumeHandle, "the CSI volume handle");
    }
    c.quantity(path(p, "size"), a.size);
}

export function validateOperator(a: any): Issue[] {
    const c = new Checker();
    checkOperator(c, "", a);
    return c.issues;
}

export function validateKeda(a: any): Issue[] {
    const c = new Checker();
    checkChart(c, "", a);
    return c.issues;
}

export function validatePrometheusStack(a: any): Issue[] {
    const c = new Checker();
    c.oneOf("mode", a.mode, PROMETHEUS_MODES);
    checkChart(c, "", a);
    c.dnsLabel("namespace", a.namespace);
    checkObservability(c, "observability", a.observability);
    checkPrometheusSettings(c, "", a);
    return c.issues;
}

export function validateSharedCheckpointVolume(a: any): Issue[] {
    const c = new Checker();
    checkCheckpointStorage(c, "", a, true);
    c.dnsSubdomain("claimName", a.claimName);
    c.dnsLabel("namespace", a.namespace);
    return c.issues;
}

/** Owner and Job image of each application's directory on an NFS export. */
export function checkAppDirectories(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    c.integer(path(p, "uid"), a.uid, 0, 2147483647);
    c.integer(path(p, "gid"), a.gid, 0, 2147483647);
    if (known(a.directoryImage) && (typeof a.directoryImage !== "string" || !/^\S+$/.test(a.directoryImage))) {
        c.fail(path(p, "directoryImage"), `must be an image reference such as "busybox:1.37.0"; got ${JSON.stringify(a.directoryImage)}`);
    }
}

/**
 * What the platform appends to the environment's name for each Helm release
 * it installs (platform.ts: Keda `<name>-keda`, PrometheusStack
 * `<name>-prometheus` and StrimziKafka `<name>-kafka`, each with a Chart
 * `<its name>-chart`), for the settings that install it.
 */
export function platformReleaseSuffixes(a: any): string[] {
    const suffixes: string[] = [];
    if (!(known(a?.keda) && a.keda.enabled === false)) suffixes.push("-keda-chart");
    if (!(known(a?.prometheus) && a.prometheus.mode === "none")) suffixes.push("-prometheus-chart");
    if (known(a?.kafka) && a.kafka.mode === "strimzi") suffixes.push("-kafka-chart");
    return suffixes;
}

/** The environment's name, which prefixes the platform's Helm releases (core/names.ts has Helm's rule). */
export function checkPlatformName(c: Checker, component: string, a: any, name: string | undefined): void {
    if (name === undefined) return;
    for (const reason of componentReleaseNameIssues(component, name, platformReleaseSuffixes(a))) c.fail("name", reason);
}

export function validateKubernetesEnvironment(a: any, name?: string): Issue[] {
    const c = new Checker();
    checkPlatformName(c, "KubernetesEnvironment", a, name);
    // "" means ambient (handy for config defaults); whitespace is a mistake.
    if (known(a.kubeconfig) && a.kubeconfig !== "" && a.kubeconfig.trim() === "") c.fail("kubeconfig", "must be a kubeconfig (YAML or JSON), or empty/omitted for the ambient one");
    checkOperator(c, "operator", a.operator);
    checkCheckpointStorage(c, "checkpoints", a.checkpoints, false);
    checkAppDirectories(c, "checkpoints", a.checkpoints);
    if (known(a.checkpoints) && is(a.checkpoints.storageClassName)) {
        for (const k of ["uid", "gid", "directoryImage"]) if (is(a.checkpoints[k])) c.fail(path("checkpoints", k), "applies only with `nfs` (a StorageClass provisions its own directories)");
    }
    if (known(a.keda)) {
        if (a.keda.enabled !== undefined && typeof a.keda.enabled !== "boolean") c.fail("keda.enabled", "must be a plain boolean (it decides which resources exist)");
        checkChart(c, "keda", a.keda);
    }
    if (known(a.prometheus)) {
        c.oneOf("prometheus.mode", a.prometheus.mode, PROMETHEUS_MODES);
        checkChart(c, "prometheus", a.prometheus);
        checkObservability(c, "prometheus.observability", a.prometheus.observability);
        checkPrometheusSettings(c, "prometheus", a.prometheus);
    }
    checkNetworkPolicies(c, "networkPolicies", a.networkPolicies);
    const sn = a.streamNodes;
    if (sn === UNKNOWN) c.fail("streamNodes", "must be known at preview: whether it carries `karpenter` decides whether a NodePool exists");
    if (known(sn)) {
        c.labels("streamNodes.labels", sn.labels);
        if (known(sn.labels) && Object.keys(sn.labels).length === 0) c.fail("streamNodes.labels", "must have at least one label, or applications are not isolated");
        checkTaints(c, "streamNodes.taints", sn.taints);
        if (sn.karpenter !== undefined && sn.karpenter !== null) {
            // Karpenter puts the labels on the nodes it makes: its reserved keys would be refused there.
            checkNodePoolLabels(c, "streamNodes.labels", sn.labels);
            checkKarpenterSettings(c, "streamNodes.karpenter", sn.karpenter, { nodeClassRef: true, derivedName: name === undefined ? undefined : `${name}-stream` });
            if (known(sn.karpenter)) checkTaints(c, "streamNodes.karpenter.startupTaints", sn.karpenter.startupTaints);
        }
        c.integer("streamNodes.maxNodes", sn.maxNodes, 1);
        if (known(sn.nodeAllocatable)) {
            if (!Array.isArray(sn.nodeAllocatable) || sn.nodeAllocatable.length === 0) {
                c.fail("streamNodes.nodeAllocatable", "must list at least one node's allocatable CPU and memory, or be omitted (no check of requests)");
            } else sn.nodeAllocatable.forEach((n: any, i: number) => {
                if (!known(n)) return;
                for (const r of ["cpu", "memory"]) {
                    const p = path("streamNodes.nodeAllocatable", i, r);
                    if (c.required(p, n[r], `the node's allocatable ${r} (kubectl get node <node> -o jsonpath='{.status.allocatable.${r}}')`)) c.quantity(p, n[r]);
                }
            });
        }
    }
    checkPlacement(c, "systemNodes", a.systemNodes);
    checkKafkaSettings(c, "kafka", a.kafka);
    return c.issues;
}
