// Optional isolation of the platform namespaces: default-deny ingress, then
// only the traffic the platform needs. Pure: namespaces in, policies out.
// Generic over the namespace value, so the component passes its namespaces'
// Outputs once and the unit tests pass strings; which policies exist follows
// from which namespaces are given (plain), never from their values.

export type PlatformRole = "operator" | "keda" | "monitoring";

export interface PlatformNamespaces<N = string> {
    operator: N;
    keda?: N;
    monitoring?: N;
}

export interface PlatformNetworkPolicy<N = string> {
    /** The namespace's role: part of the resource name, stable whatever the namespace is called. */
    role: PlatformRole;
    name: string;
    namespace: N;
    spec: any;
}

const NS_LABEL = "kubernetes.io/metadata.name";
const fromNamespaces = <N>(names: (N | string)[]) => names.map((n) => ({ namespaceSelector: { matchLabels: { [NS_LABEL]: n } } }));

/**
 * Per namespace: deny all ingress; allow from the same namespace and from the
 * monitoring namespace (scrapes). KEDA's metrics API server (6443) and
 * webhooks (9443) are called by the API server, which has no namespace, so
 * those ports are open to any source. Prometheus (9090) is also reachable
 * from KEDA (prometheus triggers); Grafana (3000) from `grafanaFrom`.
 */
export function platformNetworkPolicies<N = string>(ns: PlatformNamespaces<N>, grafanaFrom: string[] = []): PlatformNetworkPolicy<N>[] {
    const out: PlatformNetworkPolicy<N>[] = [];
    const allow = (role: PlatformRole, name: string, spec: any) =>
        out.push({ role, name, namespace: ns[role]!, spec: { podSelector: {}, policyTypes: ["Ingress"], ...spec } });
    for (const role of ["operator", "keda", "monitoring"] as const) {
        if (ns[role] === undefined) continue;
        out.push({ role, name: "default-deny-ingress", namespace: ns[role]!, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
        // Compared by role, not value: the monitoring namespace scrapes itself once.
        const sources = role === "monitoring" || ns.monitoring === undefined ? [ns[role]!] : [ns[role]!, ns.monitoring];
        allow(role, "allow-same-namespace-and-scrapes", { ingress: [{ from: fromNamespaces(sources) }] });
    }
    if (ns.keda !== undefined) {
        allow("keda", "allow-api-server", { ingress: [{ ports: [{ protocol: "TCP", port: 6443 }, { protocol: "TCP", port: 9443 }] }] });
    }
    if (ns.monitoring !== undefined && ns.keda !== undefined) {
        allow("monitoring", "allow-keda-queries", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
            ingress: [{ from: fromNamespaces([ns.keda]), ports: [{ protocol: "TCP", port: 9090 }] }],
        });
    }
    if (ns.monitoring !== undefined && grafanaFrom.length) {
        allow("monitoring", "allow-grafana-users", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } },
            ingress: [{ from: fromNamespaces(grafanaFrom), ports: [{ protocol: "TCP", port: 3000 }] }],
        });
    }
    return out;
}
