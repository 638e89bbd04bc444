// "What a change does": the shape of each cloud's table (data, with a source
// per row), shared by the AWS, GCP and Azure tables, the README and the
// preview summary (which names the row a preview step matches).
export const ChangeEffect = {
    /** The resource is updated where it stands. */
    InPlace: "in place",
    /** An update in place (a new launch-template version, or a Karpenter NodePool change its nodes drift from) that makes the cloud replace the nodes, a batch at a time. */
    NodesRecycled: "in place: nodes recycled",
    /** A new resource under a new name is created, then the old one deleted (no 409, no gap). */
    NewFirst: "replaced: new one first",
    /** The old resource is deleted, then the new one created (a pinned name cannot exist twice). */
    DeletedFirst: "replaced: old one deleted first",
    /** Preview fails with the property, the reason and the way out; nothing is changed. */
    Refused: "refused at preview",
    /** Used at creation only; later changes are ignored (with a preview warning), so the data stays. */
    Kept: "kept as created (warning)",
    /** The resource leaves the program but is retained in the cloud (forgotten, data kept). */
    Forgotten: "forgotten, retained",
    /** New resources under new names; the old data store is retained but forgotten (pin to avoid). */
    DataAtRisk: "data at risk",
} as const;
export type ChangeEffect = (typeof ChangeEffect)[keyof typeof ChangeEffect];

/** The platform's NetworkPolicies (`networkPolicies`), the same Kubernetes objects on every cloud. */
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
/** Why a NetworkPolicy's spec changes in place. */
export const NETPOL_UPDATE = "Kubernetes pkg/apis/networking/validation ValidateNetworkPolicyUpdate (the new spec is validated, no field is immutable); pulumi-kubernetes forceNew (for a NetworkPolicy only metadata.name and metadata.namespace)";
/** What a NetworkPolicy that comes or goes does to traffic. */
export const NETPOL_CONCEPTS = "Kubernetes docs concepts/services-networking/network-policies (policies are additive; a pod no policy selects is not isolated)";
/** A NetworkPolicy's entry in each cloud's force-new table: only a new name or namespace replaces it. */
export const NETWORK_POLICY_FORCE_NEW = { fields: ["metadata.name", "metadata.namespace"], source: NETPOL_UPDATE };

export interface ChangeRow {
    /** Input path, as validation names it. */
    input: string;
    /** The change, in a few words. */
    change: string;
    effect: ChangeEffect;
    /** Cloud resource (Pulumi type) the effect applies to. */
    resource: string;
    /** When the type has several children and the row is about one: the end of its name (after the component name), e.g. `-stream`. */
    child?: string;
    /** Provider properties (paths as a preview's detailedDiff names them) this change shows on the resource; a preview step matches the row when it changes all of them. Unset: the change creates or deletes the resource; `[]`: it shows in no provider property (resource options only). */
    properties?: string[];
    /** Why, and the way out where there is one. */
    note: string;
    /** Where the behaviour is documented. */
    source: string;
}

/** The rows as the preview summary reads them (`.github/actions/preview-summary/change-tables.json`). */
export interface SummaryRow {
    cloud: string;
    input: string;
    change: string;
    effect: ChangeEffect;
    resource: string;
    child?: string;
    properties?: string[];
    note: string;
    source: string;
}

/** One cloud's rows for the preview summary: only the fields it reads, in a stable order. */
export function summaryRows(cloud: string, rows: ChangeRow[]): SummaryRow[] {
    return rows.map((r) => ({
        cloud, input: r.input, change: r.change, effect: r.effect, resource: r.resource,
        ...(r.child ? { child: r.child } : {}), ...(r.properties ? { properties: r.properties } : {}), note: r.note, source: r.source,
    }));
}

/** The table as Markdown, as the README carries it. */
export function changeTableMarkdown(rows: ChangeRow[]): string {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    return ["| input | change | effect | note | source |", "|---|---|---|---|---|",
        ...rows.map((r) => `| \`${r.input}\` | ${esc(r.change)} | ${r.effect} | ${esc(r.note)} | ${esc(r.source)} |`)].join("\n");
}
