"""What the operator did with its permissions, from the local API server's
audit log (tools/cluster.sh): prints each (verb, resource) the operator's
ServiceAccount was allowed and each it was denied, then the rules of the
package's ClusterRole and Role that nothing used.

Usage: rbac_usage.py AUDIT_LOG RULES_JSON... [--allow-denied]
(RULES_JSON: the ClusterRole and Role objects as JSON.) One line each:
`allowed VERB GROUP/RESOURCE`, `denied ...`, `unused ...` (granted, never
requested). Exits 1 when a request was denied (unless --allow-denied)."""
import json
import sys

USER = "system:serviceaccount:volley-system:volley-operator"


def resource_of(ref):
    r = ref.get("resource", "")
    if ref.get("subresource"):
        r += "/" + ref["subresource"]
    return ref.get("apiGroup", ""), r


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    log, rule_files = args[0], args[1:]
    allow_denied = "--allow-denied" in sys.argv
    used, denied = set(), set()
    for line in open(log):
        e = json.loads(line)
        if e.get("user", {}).get("username") != USER or "objectRef" not in e:
            continue
        key = (e["verb"],) + resource_of(e["objectRef"])
        if e.get("annotations", {}).get("authorization.k8s.io/decision") == "forbid":
            denied.add(key)
        else:
            used.add(key)
    # Verbs as RBAC names them (the audit log says the same but for a few).
    granted = []
    for f in rule_files:
        for rule in json.load(open(f)).get("rules", []):
            for g in rule.get("apiGroups", []):
                for r in rule.get("resources", []):
                    for v in rule.get("verbs", []):
                        granted.append((v, g, r))
    def show(kind, keys):
        for v, g, r in sorted(keys, key=lambda k: (k[1], k[2], k[0])):
            print(f"{kind} {v} {g or 'core'}/{r}")
    show("allowed", used)
    show("denied", denied)
    show("unused", [k for k in granted if k not in used])
    return 1 if denied and not allow_denied else 0


if __name__ == "__main__":
    sys.exit(main())
