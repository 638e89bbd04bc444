// Optional isolation of the platform namespaces: default-deny ingress, then
// only the traffic the platform needs. Pure: namespaces in, policies out.

export interface PlatformNamespaces {
    operator: string;
    keda?: string;
    monitoring?: string;
}

const NS_LABEL = "kubernetes.io/metadata.name";
const fromNamespaces = (names: string[]) => names.map((n) => ({ namespaceSelector: { matchLabels: { [NS_LABEL]: n } } }));

/**
 * Per namespace: deny all ingress; allow from the same namespace and from the
 * monitoring namespace (scrapes). KEDA's metrics API server (6443) and
 * webhooks (9443) are called by the API server, which has no namespace, so
 * those ports are open to any source. Prometheus (9090) is also reachable
 * from KEDA (prometheus triggers); Grafana (3000) from `grafanaFrom`.
 */
export function platformNetworkPolicies(ns: PlatformNamespaces, grafanaFrom: string[] = []): { name: string; namespace: string; spec: any }[] {
    const scrapers = ns.monitoring ? [ns.monitoring] : [];
    const out: { name: string; namespace: string; spec: any }[] = [];
    const deny = (namespace: string) => out.push({ name: "default-deny-ingress", namespace, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
    const allow = (namespace: string, name: string, spec: any) => out.push({ name, namespace, spec: { podSelector: {}, policyTypes: ["Ingress"], ...spec } });
    for (const n of [ns.operator, ns.keda, ns.monitoring].filter((x): x is string => !!x)) {
        deny(n);
        allow(n, "allow-same-namespace-and-scrapes", { ingress: [{ from: fromNamespaces([...new Set([n, ...scrapers])]) }] });
    }
    if (ns.keda) {
        allow(ns.keda, "allow-api-server", { ingress: [{ ports: [{ protocol: "TCP", port: 6443 }, { protocol: "TCP", port: 9443 }] }] });
    }
    if (ns.monitoring && ns.keda) {
        allow(ns.monitoring, "allow-keda-queries", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
            ingress: [{ from: fromNamespaces([ns.keda]), ports: [{ protocol: "TCP", port: 9090 }] }],
        });
    }
    if (ns.monitoring && grafanaFrom.length) {
        allow(ns.monitoring, "allow-grafana-users", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } },
            ingress: [{ from: fromNamespaces(grafanaFrom), ports: [{ protocol: "TCP", port: 3000 }] }],
        });
    }
    return out;
}
