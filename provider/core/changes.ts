// "What a change does": the shape of each cloud's table (data, with a source
// per row), shared by the GCP and Azure tables and the README.
export const ChangeEffect = {
    /** The resource is updated where it stands. */
    InPlace: "in place",
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

export interface ChangeRow {
    /** Input path, as validation names it. */
    input: string;
    /** The change, in a few words. */
    change: string;
    effect: ChangeEffect;
    /** Cloud resource (Pulumi type) the effect applies to. */
    resource: string;
    /** Why, and the way out where there is one. */
    note: string;
    /** Where the behaviour is documented. */
    source: string;
}

/** The table as Markdown, as the README carries it. */
export function changeTableMarkdown(rows: ChangeRow[]): string {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    return ["| input | change | effect | note | source |", "|---|---|---|---|---|",
        ...rows.map((r) => `| \`${r.input}\` | ${esc(r.change)} | ${r.effect} | ${esc(r.note)} | ${esc(r.source)} |`)].join("\n");
}
