// @ts-check
// What an upgrade preview may change: `pulumi preview --json` of a stack made
// by an older release, previewed with the current package, checked against a
// committed allow-list. Replacements are never allowed but of listed Jobs (a
// Job is a task: a new one runs it again), nor deletions (a child renamed
// without an alias shows as a delete and a create) except of listed provider
// resources and Services, which hold no data; creates and updates only when
// listed, updates only of the listed properties.
"use strict";
const fs = require("fs");

/** Types whose deletion loses no data; a listed deletion of one may be allowed. */
const DATA_FREE = [
    "pulumi:providers:", "kubernetes:core/v1:Service::",
    // kube-prometheus-stack's own Grafana Secret held only the chart's public default password (#20.4).
    "kubernetes:core/v1:Secret::dev-prometheus-chart:monitoring/dev-prometheus-chart-grafana",
];

/** Types whose replacement loses nothing (a Job runs again; the checkpoint directory Job's script is idempotent); a listed one may be allowed. */
const REPLACEABLE = ["kubernetes:batch/v1:Job::"];

/** `op type::name [prop ...]` lines; `#` starts a comment. */
function parseAllowList(text) {
    return text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean).map((l) => {
        const [op, resource, ...props] = l.split(/\s+/);
        return { op, resource, props };
    });
}

/** `type::name` of a URN (its own type, not the parent chain). */
function resourceOf(urn) {
    const parts = urn.split("::");
    const types = parts[2].split("$");
    return `${types[types.length - 1]}::${parts.slice(3).join("::")}`;
}

/** Every change the allow-list does not cover, as readable lines. */
function unexpectedChanges(preview, allow) {
    const out = [];
    for (const s of preview.steps ?? []) {
        if (["same", "read", "refresh"].includes(s.op)) continue;
        const resource = resourceOf(s.urn);
        const props = s.detailedDiff ? Object.keys(s.detailedDiff) : s.diffReasons ?? [];
        const dataFreeDelete = s.op === "delete" && DATA_FREE.some((t) => resource.startsWith(t));
        const taskReplace = s.op === "replace" && REPLACEABLE.some((t) => resource.startsWith(t));
        if (s.op !== "create" && s.op !== "update" && !dataFreeDelete && !taskReplace) {
            out.push(`${s.op} ${resource}${s.replaceReasons?.length ? ` (replaced because ${s.replaceReasons.join(", ")})` : ""}: never allowed in an upgrade`);
            continue;
        }
        const entry = allow.find((a) => a.op === s.op && a.resource === resource);
        if (!entry) { out.push(`${s.op} ${resource}${props.length ? ` ${props.join(" ")}` : ""}: not in the allow-list`); continue; }
        const extra = s.op === "update" && entry.props.length ? props.filter((p) => !entry.props.includes(p)) : [];
        if (extra.length) out.push(`update ${resource}: ${extra.join(", ")} not allowed (allowed: ${entry.props.join(", ")})`);
    }
    return out;
}

module.exports = { parseAllowList, unexpectedChanges };

if (require.main === module) {
    const [previewFile, allowFile] = process.argv.slice(2);
    const wrong = unexpectedChanges(JSON.parse(fs.readFileSync(previewFile, "utf8")), parseAllowList(fs.readFileSync(allowFile, "utf8")));
    for (const w of wrong) process.stdout.write(`${w}\n`);
    process.exit(wrong.length ? 1 : 0);
}
