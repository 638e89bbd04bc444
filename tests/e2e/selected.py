"""Whether prometheus-operator would hand a PrometheusRule to a Prometheus:
its labels match spec.ruleSelector and its namespace's labels match
spec.ruleNamespaceSelector (label selector semantics; a null namespace
selector means the Prometheus' own namespace only, an empty one all).
Usage: selected.py PROMETHEUS.json RULE.json NAMESPACE.json -> prints "selected" or why not."""
import json
import sys


def matches(selector, labels):
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


prom, rule, ns = (json.load(open(p)) for p in sys.argv[1:4])
spec = prom["spec"]
labels = rule["metadata"].get("labels") or {}
if not matches(spec.get("ruleSelector"), labels):
    print(f"not selected: labels {labels} vs ruleSelector {spec.get('ruleSelector')}")
elif spec.get("ruleNamespaceSelector") is None:
    same = rule["metadata"]["namespace"] == prom["metadata"]["namespace"]
    print("selected" if same else "not selected: ruleNamespaceSelector is null and the rule is in another namespace")
elif not matches(spec["ruleNamespaceSelector"], ns["metadata"].get("labels") or {}):
    print(f"not selected: namespace labels vs ruleNamespaceSelector {spec['ruleNamespaceSelector']}")
else:
    print("selected")
