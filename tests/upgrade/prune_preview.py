"""Prunes `pulumi preview --json --show-sames` to what the preview summary
reads, so a recorded preview is small and holds no local paths: per step the
operation, URN, diffs and replace reasons; of a changed resource's states the
parent, retainOnDelete and inputs; of an unchanged one only its parent.
Outputs, stack traces and timestamps go.
Usage: prune_preview.py PREVIEW.json WORKDIR > FIXTURE.json"""
import json
import sys

preview, work = json.load(open(sys.argv[1])), sys.argv[2]
STEP_KEYS = ("op", "urn", "diffReasons", "replaceReasons", "detailedDiff")


def state(s, changed):
    out = {k: s[k] for k in ("parent", "retainOnDelete") if k in s}
    if changed and "inputs" in s:
        out["inputs"] = s["inputs"]
    return out


steps = []
for st in preview.get("steps", []):
    step = {k: st[k] for k in STEP_KEYS if k in st}
    if st["op"] == "same":
        # An unchanged resource matters only as a link in its children's parent chain.
        s = st.get("newState") or st.get("oldState") or {}
        if "parent" in s:
            step["newState"] = {"parent": s["parent"]}
    else:
        for k in ("oldState", "newState"):
            if st.get(k):
                step[k] = state(st[k], True)
    steps.append(step)
out = {"steps": steps, "changeSummary": preview.get("changeSummary", {})}
if preview.get("diagnostics"):
    out["diagnostics"] = [{k: d[k] for k in ("urn", "message", "severity") if k in d} for d in preview["diagnostics"]]
text = json.dumps(out, indent=1, sort_keys=True).replace(work, "<work>")
print(text)
