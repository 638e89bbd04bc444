#!/usr/bin/env node
// @ts-check
// Turns the JSON of `pulumi preview --json --show-sames` into Markdown for a
// pull-request comment: a loud warning first when storage holding Volley
// checkpoints (or Kafka topics) would be replaced or deleted, or a topic's
// partitions would decrease, then one section per Volley component with a row
// per changed resource, then a one-line total. A step
// that matches a row of the package's change tables ("what a change does",
// change-tables.json, generated from provider/*/changes.ts) says what the
// change does and why, with the row's source. Given the
// engine event log (`pulumi preview --event-log FILE`), it adds a "Policy"
// section: `--json` drops policy events, the event log keeps them.
// Plain Node, no dependencies: the GitHub Action runs it as it is.
"use strict";

const fs = require("fs");
const path = require("path");

/** Cloud resources that hold checkpoint data whatever their parent. */
const CHECKPOINT_STORAGE = {
    "aws:efs/fileSystem:FileSystem": "EFS file system",
    "aws:efs/accessPoint:AccessPoint": "EFS access point",
    "gcp:filestore/instance:Instance": "Filestore instance",
    "azure-native:storage:StorageAccount": "Azure storage account",
    "azure-native:storage:FileShare": "Azure file share",
};
/** Kubernetes objects that hold checkpoint data when a Volley checkpoint volume owns them. */
const CHECKPOINT_VOLUMES = {
    "kubernetes:core/v1:PersistentVolume": "checkpoint PersistentVolume",
    "kubernetes:core/v1:PersistentVolumeClaim": "checkpoint claim",
};
const CHECKPOINT_OWNER = "volley:index:SharedCheckpointVolume";
/**
 * Strimzi deletes a topic, and its messages, with its KafkaTopic. (Broker
 * data is in claims the package makes with deleteClaim: false, in a retained
 * namespace, so a deleted Kafka or node pool leaves it.)
 */
const KAFKA_TOPIC = "kubernetes:kafka.strimzi.io/v1:KafkaTopic";
/** Operations that remove the current object. */
const RISKY_OPS = new Set(["replace", "delete", "delete-replaced", "create-replacement"]);
/** Operations that change nothing and are left out. */
const QUIET_OPS = new Set(["same", "read", "refresh"]);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Operations that create or delete the whole resource (matched by rows without properties). */
const WHOLE_OPS = new Set(["create", "delete", "discard", "import"]);
/** Operations that replace the resource, and the row effects that keep it where it stands (they cannot explain a replacement, nor a replacement row an update). */
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);
const KEEPING_EFFECTS = new Set(["in place", "in place: nodes recycled", "kept as created (warning)", "forgotten, retained"]);
const VOLLEY = "volley:index:";

/**
 * @typedef {{ urn: string, type?: string, parent?: string, inputs?: any, outputs?: any, retainOnDelete?: boolean }} State
 * @typedef {{ op: string, urn: string, oldState?: State, newState?: State, diffReasons?: string[], replaceReasons?: string[], detailedDiff?: Record<string, { kind: string }> }} Step
 * @typedef {{ steps?: Step[], changeSummary?: Record<string, number>, diagnostics?: { urn?: string, message: string, severity: string }[] }} Preview
 * @typedef {{ resourceUrn?: string, message: string, policyName: string, policyPackName: string, enforcementLevel: string, severity?: string }} PolicyEvent
 * @typedef {{ cloud: string, input: string, change: string, effect: string, resource: string, child?: string, properties?: string[], note: string, source: string, components?: string[] }} ChangeRow
 */

/**
 * The change tables, as `make change-tables` writes them beside this script;
 * each row carries its cloud's component types, so that it is matched only
 * under them (a Kubernetes object such as a NetworkPolicy has a row per cloud).
 */
function loadChangeTables() {
    try {
        const t = JSON.parse(fs.readFileSync(path.join(__dirname, "change-tables.json"), "utf8"));
        const components = t.components ?? {};
        return /** @type {ChangeRow[]} */ (t.rows.map((r) => (components[r.cloud] ? { ...r, components: components[r.cloud] } : r)));
    } catch {
        return [];
    }
}

/** Whether a property path is the property `field` or inside it (`a.b`, `a[0]`). */
const under = (p, field) => p === field || p.startsWith(`${field}.`) || p.startsWith(`${field}[`);

/**
 * The change-table rows a step matches: under a component of the row's cloud
 * (when the row names them), same resource type (and child name,
 * when the row has one), an effect that fits the operation (a replacement is
 * not explained by an in-place row, nor an update by a replacement row), and
 * every property the row names among the step's
 * changed properties; of those, the most specific (most properties, then a
 * row about this child over one about every child of the type). A step
 * that creates or deletes the whole resource matches rows without properties.
 * @param {Step} step
 * @param {ChangeRow[]} rows
 */
function matchRows(step, rows) {
    const { types, type, name } = parseUrn(step.urn);
    const paths = [...new Set([...(step.replaceReasons ?? []), ...Object.keys(step.detailedDiff ?? {}), ...(step.diffReasons ?? [])])];
    const fits = (r) => (REPLACE_OPS.has(step.op) ? !KEEPING_EFFECTS.has(r.effect) : step.op !== "update" || KEEPING_EFFECTS.has(r.effect));
    const inCloud = (r) => !r.components || types.some((t) => r.components.includes(t));
    const candidates = rows.filter((r) => r.resource === type && (!r.child || name.endsWith(r.child)) && fits(r) && inCloud(r));
    const hits = paths.length
        ? candidates.filter((r) => r.properties?.length && r.properties.every((f) => paths.some((p) => under(p, f))))
        : WHOLE_OPS.has(step.op) ? candidates.filter((r) => r.properties === undefined) : [];
    const most = Math.max(0, ...hits.map((r) => r.properties?.length ?? 0));
    const best = hits.filter((r) => (r.properties?.length ?? 0) === most);
    // A row about this very child says more than one about every child of the type.
    return best.some((r) => r.child) ? best.filter((r) => r.child) : best;
}

/** What the matched rows say: the input, its effect, the note and the source. */
function why(rows) {
    return rows.map((r) => `${code(r.input)}: **${r.effect}**. ${r.note[0].toUpperCase()}${r.note.slice(1).replace(/\.?$/, ".")} (source: ${r.source})`).join(" ");
}

/** The engine's enforcement levels (apitype.PolicyEvent) as a policy pack spells them. */
const LEVEL_NAMES = { warning: "advisory", advisory: "advisory", mandatory: "mandatory", remediate: "remediate", none: "disabled" };

/**
 * The policy events of an engine event log: one JSON object a line, each
 * policy violation a `policyEvent` (sdk/go/common/apitype/events.go).
 * @param {string} text
 * @returns {PolicyEvent[]}
 */
function policyEvents(text) {
    const out = [];
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        const e = JSON.parse(line);
        if (e.policyEvent) out.push(e.policyEvent);
    }
    return out;
}

/**
 * A violation as plain text: the engine's colour markup (`<{%reset%}>`)
 * removed, and the policy's description dropped when a message follows it
 * (@pulumi/policy sends "description\nmessage").
 */
function plainMessage(m) {
    const lines = String(m).replace(/<\{%[^%]*%\}>/g, "").split("\n").map((l) => l.trim()).filter(Boolean);
    return (lines.length > 1 ? lines.slice(1) : lines).join(" ");
}

/** The policy section's rows, mandatory first, and how many are mandatory. */
function policySection(events) {
    const rank = (e) => (e.enforcementLevel === "mandatory" ? 0 : 1);
    const rows = [...events].sort((a, b) => rank(a) - rank(b) || a.policyName.localeCompare(b.policyName)).map((e) => {
        const level = LEVEL_NAMES[e.enforcementLevel] ?? e.enforcementLevel;
        const res = e.resourceUrn ? (() => { const { type, name } = parseUrn(e.resourceUrn); return `${cell(type.split(":").slice(1).join(":") || type)} ${code(name)}`; })() : "(stack)";
        const text = plainMessage(e.message);
        return `| ${code(e.policyName)} | ${level === "mandatory" ? "**mandatory**" : level} | ${res} | ${cell(text.length > 400 ? `${text.slice(0, 397)}…` : text)} |`;
    });
    return { rows, mandatory: events.filter((e) => e.enforcementLevel === "mandatory").length };
}

/** The type chain of a URN (`a$b$c`) and its name. */
function parseUrn(urn) {
    const parts = urn.split("::");
    const types = (parts[2] || "").split("$");
    return { types, type: types[types.length - 1], name: parts.slice(3).join("::") };
}

/** Whether a value is a Pulumi secret as the JSON display writes it. */
function isSecret(v) {
    return v === "[secret]" || (v !== null && typeof v === "object" && v[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270");
}

/** The value at a detailedDiff path (`a.b[0].c`, `metadata.labels["x.io/y"]`), or SECRET when any step of it is secret. */
const SECRET = Symbol("secret");
function valueAt(obj, path) {
    const keys = [];
    const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
    for (let m = re.exec(path); m; m = re.exec(path)) keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
    let v = obj;
    for (const k of keys) {
        if (isSecret(v)) return SECRET;
        if (v === null || typeof v !== "object") return undefined;
        v = v[k];
    }
    return isSecret(v) ? SECRET : v;
}

/** A short, safe rendering of a value: scalars only, secrets masked. */
function show(v) {
    if (v === SECRET) return "[secret]";
    if (v === undefined) return "-";
    if (v === null || typeof v === "object") return "…";
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Markdown-safe inline code. */
const code = (s) => "`" + String(s).replace(/`/g, "'") + "`";
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The top-level Volley component owning a resource, from the parent chain of every state in the preview. */
function ownerOf(urn, states) {
    let top;
    for (let at = urn, hops = 0; at && hops < 64; hops++) {
        const { type, name } = parseUrn(at);
        if (type.startsWith(VOLLEY)) top = { type: type.slice(VOLLEY.length), name, urn: at };
        at = states.get(at)?.parent;
    }
    if (top) return top;
    // Without --show-sames the chain stops early: fall back to the outermost Volley type in the URN.
    const outer = parseUrn(urn).types.find((t) => t.startsWith(VOLLEY));
    return outer ? { type: outer.slice(VOLLEY.length), name: "", urn: outer } : undefined;
}

/** What a step changes: property paths, with old -> new for scalar updates. */
function changes(step) {
    const oldIn = step.oldState?.inputs;
    const newIn = step.newState?.inputs;
    const paths = step.detailedDiff ? Object.keys(step.detailedDiff) : step.diffReasons ?? [];
    return paths.sort().map((p) => {
        const kind = step.detailedDiff?.[p]?.kind ?? "update";
        if (kind.startsWith("add")) return `${code(p)} added: ${show(valueAt(newIn, p))}`;
        if (kind.startsWith("delete")) return `${code(p)} removed`;
        const before = valueAt(oldIn, p);
        const after = valueAt(newIn, p);
        const scalar = (v) => v === SECRET || (v !== null && typeof v !== "object" && v !== undefined);
        return scalar(before) && scalar(after) ? `${code(p)}: ${show(before)} → ${show(after)}` : code(p);
    });
}

/** Why a checkpoint resource is at risk, or undefined. */
function risk(step, states, tables) {
    if (!RISKY_OPS.has(step.op)) return undefined;
    const { types, type, name } = parseUrn(step.urn);
    const what = CHECKPOINT_STORAGE[type] ?? (types.includes(CHECKPOINT_OWNER) ? CHECKPOINT_VOLUMES[type] : undefined);
    if (!what) return undefined;
    const owner = ownerOf(step.urn, states);
    const because = step.replaceReasons?.length ? `, because ${step.replaceReasons.map(code).join(", ")} cannot change in place` : "";
    const retained = step.op !== "replace" && step.oldState?.retainOnDelete
        ? " (retained on delete: Pulumi forgets it and the data stays, but nothing manages it any more)" : "";
    const ownerText = owner ? ` of ${owner.type}${owner.name ? ` ${code(owner.name)}` : ""}` : "";
    const rows = matchRows(step, tables);
    return `${what} ${code(name)}${ownerText} would be **${step.op === "replace" ? "replaced" : "deleted"}**${because}${retained}${rows.length ? ` — ${why(rows)}` : ""}`;
}

/**
 * Why a KafkaTopic is at risk, or undefined: deleted or replaced without
 * retainOnDelete, or its partitions decreased, which Kafka
 * and Strimzi refuse (the KafkaTopic turns Ready False with NotSupported
 * and `up` fails waiting for it).
 */
function kafkaRisk(step, states) {
    const { type, name } = parseUrn(step.urn);
    if (type !== KAFKA_TOPIC) return undefined;
    const what = "Kafka topic";
    const owner = ownerOf(step.urn, states);
    const ownerText = owner ? ` of ${owner.type}${owner.name ? ` ${code(owner.name)}` : ""}` : "";
    if (step.op === "update") {
        const before = valueAt(step.oldState?.inputs, "spec.partitions");
        const after = valueAt(step.newState?.inputs, "spec.partitions");
        if (typeof before === "number" && typeof after === "number" && after < before) {
            return `${what} ${code(name)}${ownerText}: partitions ${before} → ${after} **cannot decrease** (Kafka refuses it; the KafkaTopic does not turn Ready and \`up\` fails). Keep ${before} or more, or create a new topic`;
        }
        return undefined;
    }
    // Retained (the default): the delete only leaves Pulumi, Strimzi keeps the topic.
    if (!RISKY_OPS.has(step.op) || step.oldState?.retainOnDelete) return undefined;
    const because = step.replaceReasons?.length ? `, because ${step.replaceReasons.map(code).join(", ")} cannot change in place` : "";
    return `${what} ${code(name)}${ownerText} would be **${step.op === "replace" ? "replaced" : "deleted"}**${because}, and its messages with it`;
}

/** One-line total from the engine's change summary. */
function total(summary) {
    const order = ["create", "update", "replace", "delete", "same"];
    const words = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", same: "unchanged" };
    const keys = Object.keys(summary || {}).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
    const parts = keys.filter((k) => summary[k] > 0).map((k) => `${summary[k]} ${words[k] ?? k}`);
    return parts.length ? parts.join(", ") : "no changes";
}

/**
 * Renders a preview as Markdown. Returns the text, whether checkpoint data
 * is at risk and how many mandatory policy violations there are (the caller
 * decides whether those fail a check).
 * @param {Preview} preview
 * @param {PolicyEvent[]} [policy] policy events from the event log; undefined: no section
 * @param {ChangeRow[]} [tables] the change tables; defaults to change-tables.json beside this script
 */
function summarize(preview, policy, tables = loadChangeTables()) {
    const steps = preview.steps ?? [];
    /** @type {Map<string, State>} */
    const states = new Map();
    for (const s of steps) {
        const st = s.newState ?? s.oldState;
        if (st) states.set(s.urn, st);
    }
    const risks = steps.map((s) => risk(s, states, tables)).filter(Boolean);
    const kafka = steps.map((s) => kafkaRisk(s, states)).filter(Boolean);
    const sections = new Map();
    for (const s of steps) {
        const { type, name } = parseUrn(s.urn);
        if (QUIET_OPS.has(s.op) || type === "pulumi:pulumi:Stack") continue;
        const owner = ownerOf(s.urn, states);
        const title = owner ? `${owner.type}${owner.name ? ` ${code(owner.name)}` : ""}` : "Other resources";
        if (!sections.has(title)) sections.set(title, []);
        const forced = s.replaceReasons?.length ? `${s.replaceReasons.map(code).join(", ")} cannot change in place` : "";
        const rows = matchRows(s, tables);
        const reason = [forced, rows.length ? why(rows) : ""].filter(Boolean).join(": ");
        const shortType = type.startsWith(VOLLEY) ? type.slice(VOLLEY.length) : type.split(":").slice(1).join(":");
        sections.get(title).push(`| ${s.op} | ${cell(shortType)} ${code(name)} | ${cell(changes(s).join("<br>") || "")} | ${cell(reason)} |`);
    }

    const out = ["## Pulumi preview", ""];
    if (risks.length) {
        out.push("> [!CAUTION]", "> **Checkpoint data at risk.** This change would replace or delete storage that holds Volley checkpoints:");
        for (const r of risks) out.push(`> - ${r}`);
        out.push("");
    }
    if (kafka.length) {
        out.push("> [!CAUTION]", "> **Kafka data at risk.** This change would delete topics, or make a change Kafka refuses:");
        for (const r of kafka) out.push(`> - ${r}`);
        out.push("");
    }
    const errors = (preview.diagnostics ?? []).filter((d) => d.severity === "error");
    if (errors.length) {
        out.push("**The preview reported errors:**", "");
        for (const e of errors) {
            // The first two lines: a program failure says what failed, then why.
            const text = e.message.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 2).join(" ").replace(/^error: /, "");
            out.push(`- ${cell(text.length > 300 ? `${text.slice(0, 297)}…` : text)}`);
        }
        out.push("");
    }
    const pol = policy ? policySection(policy) : { rows: [], mandatory: 0 };
    if (pol.mandatory) {
        out.push("> [!IMPORTANT]", `> **${pol.mandatory} mandatory policy violation${pol.mandatory > 1 ? "s" : ""}.** The preview fails until ${pol.mandatory > 1 ? "they are" : "it is"} fixed (see Policy below).`, "");
    }
    for (const [title, rows] of sections) {
        out.push(`### ${title}`, "", "| operation | resource | changes | why |", "|---|---|---|---|", ...rows, "");
    }
    if (policy) {
        out.push("### Policy", "");
        if (pol.rows.length) out.push("| policy | level | resource | message |", "|---|---|---|---|", ...pol.rows, "");
        else out.push("No policy violations.", "");
    }
    out.push(`**Total:** ${total(preview.changeSummary)}.`);
    return { markdown: out.join("\n") + "\n", atRisk: risks.length > 0, kafkaAtRisk: kafka.length > 0, mandatoryViolations: pol.mandatory };
}

module.exports = { summarize, policyEvents, valueAt, matchRows, loadChangeTables, SECRET };

if (require.main === module) {
    const args = process.argv.slice(2);
    const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
    const eventLog = opt("--event-log");
    const outputs = opt("--outputs");
    const failOnRisk = args.includes("--fail-on-risk");
    const failOnPolicy = args.includes("--fail-on-policy");
    const file = args.find((a) => !a.startsWith("--"));
    if (!file) {
        process.stderr.write("usage: summary.js PREVIEW.json [--event-log EVENTS.jsonl] [--outputs FILE] [--fail-on-risk] [--fail-on-policy]\n" +
            "  PREVIEW from `pulumi preview --json --show-sames`, EVENTS from its `--event-log`\n");
        process.exit(2);
    }
    const events = eventLog ? policyEvents(fs.readFileSync(eventLog, "utf8")) : undefined;
    const { markdown, atRisk, kafkaAtRisk, mandatoryViolations } = summarize(JSON.parse(fs.readFileSync(file === "-" ? 0 : file, "utf8")), events);
    process.stdout.write(markdown);
    // For a GitHub Action step ($GITHUB_OUTPUT): the caller decides what fails.
    if (outputs) fs.appendFileSync(outputs, `checkpoint-risk=${atRisk}\nmandatory-violations=${mandatoryViolations}\nkafka-risk=${kafkaAtRisk}\n`);
    if (failOnRisk && (atRisk || kafkaAtRisk)) process.exit(3);
    if (failOnPolicy && mandatoryViolations) process.exit(4);
}
