// Validation of the platform building blocks and of KubernetesEnvironment.
import { Checker, Issue, known, path } from "../../core/validate";
import { checkPlacement, checkTaints } from "../../core/scheduling";
import { checkObservability } from "../observability/validate";

const is = (v: unknown): boolean => v !== undefined && v !== null;

export const PROMETHEUS_MODES = ["stack", "crds", "none"] as const;
const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

function checkChart(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    if (known(a.version) && !CHART_VERSION.test(a.version)) c.fail(path(p, "version"), `must be an exact chart version such as "2.18.0" (pinned, no ranges); got ${JSON.stringify(a.version)}`);
    if (known(a.chartPath) && a.chartPath === "") c.fail(path(p, "chartPath"), "must be a local chart directory or archive, or omitted");
    if (known(a.values) && (typeof a.values !== "object" || Array.isArray(a.values))) c.fail(path(p, "values"), "must be an object of Helm values");
    checkPlacement(c, path(p, "placement"), a.placement);
}

/** VolleyOperator inputs; `p` prefixes paths when the operator is nested in an environment. */
export function checkOperator(c: Checker, p: string, a: any): void {
    if (!known(a)) return;
    c.dnsLabel(path(p, "namespace"), a.namespace);
    if (a.image !== undefined) c.required(path(p, "image"), a.image, "a container image");
    if (known(a.image) && /[:@]/.test(a.image.split("/").pop() ?? "")) c.fail(path(p, "image"), "must not carry a tag or digest; set `version` instead");
    if (a.version !== undefined) c.required(path(p, "version"), a.version, "an image tag such as 0.1.0");
    c.integer(path(p, "replicas"), a.replicas, 1, 5);
    if (known(a.resources)) {
        for (const kind of ["requests", "limits"]) {
            const m = a.resources[kind];
            if (!known(m)) continue;
            for (const [name, q] of Object.entries(m)) c.quantity(path(p, "resources", kind, name), q);
        }
    }
    if (known(a.crdYaml) && !/kind:\s*CustomResourceDefinition/.test(a.crdYaml)) c.fail(path(p, "crdYaml"), "must be the YAML of a CustomResourceDefinition (kind: CustomResourceDefinition)");
    checkPlacement(c, path(p, "placement"), a.placement);
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

export function validateKubernetesEnvironment(a: any): Issue[] {
    const c = new Checker();
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
    }
    const sn = a.streamNodes;
    if (known(sn)) {
        c.labels("streamNodes.labels", sn.labels);
        if (known(sn.labels) && Object.keys(sn.labels).length === 0) c.fail("streamNodes.labels", "must have at least one label, or applications are not isolated");
        checkTaints(c, "streamNodes.taints", sn.taints);
    }
    checkPlacement(c, "systemNodes", a.systemNodes);
    return c.issues;
}
