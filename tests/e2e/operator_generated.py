"""Facts about what prometheus-operator generated, one `name value` line each.

Reads a kubectl List (secrets, configmaps, statefulsets, pods, prometheuses,
alertmanagers, alertmanagerconfigs, servicemonitors, prometheusrules,
daemonsets, nodes) on stdin; PROM and AM name the stack's Prometheus and
Alertmanager in namespace NS. Object names and keys follow the operator's
own conventions (pkg/prometheus, pkg/alertmanager of v0.85.0):
`prometheus-<name>` / prometheus.yaml.gz, `prometheus-<name>-rulefiles-N`
(label prometheus-name) with keys `<namespace>-<rule>-<uid>.yaml`,
`alertmanager-<name>-generated` / alertmanager.yaml.gz, scrape jobs
`serviceMonitor/<namespace>/<name>/<endpoint index>`. `settled yes` once
everything the operator makes is there.
"""
import base64
import gzip
import json
import os
import sys

import yaml

prom, am, ns = os.environ["PROM"], os.environ["AM"], os.environ["NS"]
items = json.load(sys.stdin)["items"]


def of(kind):
    return [i for i in items if i["kind"] == kind]


def find(kind, name, namespace=ns):
    return next((i for i in of(kind) if i["metadata"]["name"] == name and i["metadata"].get("namespace", "") == namespace), None)


def data(obj, key, gz=False):
    raw = ((obj or {}).get("data") or {}).get(key)
    if raw is None:
        return None
    if obj["kind"] == "Secret":
        raw = base64.b64decode(raw)
        return (gzip.decompress(raw) if gz else raw).decode()
    return raw


def condition(obj, typ):
    return next((c["status"] for c in ((obj or {}).get("status") or {}).get("conditions", []) if c["type"] == typ), "absent")


facts = {}
facts["reconciled"] = "%s %s" % (condition(find("Prometheus", prom), "Reconciled"), condition(find("Alertmanager", am), "Reconciled"))

# Scrape jobs for the applications' ServiceMonitors (the operator labels them volley.io/application).
monitors = [m for m in of("ServiceMonitor") if "volley.io/application" in (m["metadata"].get("labels") or {})]
want_jobs = sorted("serviceMonitor/%s/%s/%d" % (m["metadata"]["namespace"], m["metadata"]["name"], i)
                   for m in monitors for i in range(len(m["spec"].get("endpoints", []))))
config = data(find("Secret", "prometheus-" + prom), "prometheus.yaml.gz", gz=True)
config = yaml.safe_load(config) if config else {}
jobs = {j["job_name"] for j in config.get("scrape_configs") or []}
facts["servicemonitors"] = " ".join(want_jobs)
facts["scrape-jobs"] = " ".join(j for j in want_jobs if j in jobs)
facts["rule-files-loaded"] = "yes" if any(
    f.startswith("/etc/prometheus/rules/prometheus-%s-rulefiles-" % prom) for f in config.get("rule_files") or []) else "no"

# The package's PrometheusRule, as the operator copied it into the rule files Prometheus loads.
rule = find("PrometheusRule", "volley-alerts")
rule_files = {}
for cm in of("ConfigMap"):
    if cm["metadata"].get("namespace") == ns and (cm["metadata"].get("labels") or {}).get("prometheus-name") == prom:
        rule_files.update(cm.get("data") or {})
facts["volley-rules"] = "absent"
if rule:
    key = "%s-%s-%s.yaml" % (rule["metadata"]["namespace"], rule["metadata"]["name"], rule["metadata"]["uid"])
    want = sorted(r["alert"] for g in rule["spec"]["groups"] for r in g["rules"] if "alert" in r)
    got = sorted(r["alert"] for g in (yaml.safe_load(rule_files.get(key, "")) or {}).get("groups", [])
                 for r in g["rules"] if "alert" in r)
    first = rule["spec"]["groups"][0]["rules"][0].get("alert", "")
    facts["volley-rules"] = "monitoring/volley-alerts %s" % (first if got == want and want else "missing")


# Alertmanager: the receivers and top route of the configuration the user gave
# (the CR's configSecret, else alertmanager-<name>) plus AlertmanagerConfig
# objects (the operator names their receivers <namespace>/<name>/<receiver>),
# against the configuration the operator generated for the pods.
def receivers(cfg):
    cfg = yaml.safe_load(cfg) if cfg else None
    if not cfg:
        return "absent"
    return "route=%s receivers=%s" % ((cfg.get("route") or {}).get("receiver"),
                                      ",".join(sorted(r["name"] for r in cfg.get("receivers") or [])))


am_cr = find("Alertmanager", am) or {}
# With spec.alertmanagerConfiguration the named AlertmanagerConfig (in the
# Alertmanager's namespace) is the whole configuration: its route and
# receivers, named as the operator names every AlertmanagerConfig's.
global_config = ((am_cr.get("spec") or {}).get("alertmanagerConfiguration") or {}).get("name")
if global_config:
    c = find("AlertmanagerConfig", global_config) or {"spec": {}}
    prefix = "%s/%s/" % (ns, global_config)
    given = {"route": {"receiver": prefix + ((c["spec"].get("route") or {}).get("receiver") or "")},
             "receivers": [{"name": prefix + r["name"]} for r in c["spec"].get("receivers") or []]}
else:
    input_secret = (am_cr.get("spec") or {}).get("configSecret") or "alertmanager-" + am
    given = yaml.safe_load(data(find("Secret", input_secret), "alertmanager.yaml") or "null") or {}
    given.setdefault("receivers", [])
    for c in of("AlertmanagerConfig"):
        for r in c["spec"].get("receivers") or []:
            given["receivers"].append({"name": "%s/%s/%s" % (c["metadata"]["namespace"], c["metadata"]["name"], r["name"])})
facts["am-input"] = receivers(yaml.safe_dump(given)) if given.get("route") else "absent"
facts["am-generated"] = receivers(data(find("Secret", "alertmanager-%s-generated" % am), "alertmanager.yaml.gz", gz=True))

# Webhook receivers in the generated configuration, with the URL the operator
# read from the referenced Secret and the matchers of the route to each:
# "<receiver>=<url> [<matchers>]" (receiver without the operator's
# <namespace>/<config>/ prefix). Compared with what the test configured.
generated = yaml.safe_load(data(find("Secret", "alertmanager-%s-generated" % am), "alertmanager.yaml.gz", gz=True) or "null") or {}


def routes(route):
    for r in route.get("routes") or []:
        yield r
        yield from routes(r)


matchers = {r.get("receiver"): ",".join(r.get("matchers") or []) for r in routes(generated.get("route") or {})}
facts["am-webhooks"] = " ".join(sorted(
    "%s=%s [%s]" % (r["name"].split("/")[-1], ",".join(w.get("url", "") for w in r["webhook_configs"]), matchers.get(r["name"], "no route"))
    for r in generated.get("receivers") or [] if r.get("webhook_configs"))) or "none"

# The StatefulSets it made, ready, their pods Running on system nodes.
pool = {n["metadata"]["name"]: (n["metadata"].get("labels") or {}).get("volley.io/pool") for n in of("Node")}


def owned_by(pod, kind, name):
    return any(o["kind"] == kind and o["name"] == name for o in pod["metadata"].get("ownerReferences") or [])


def sts_state(name):
    sts = find("StatefulSet", name)
    if not sts:
        return name + ":absent"
    want = sts["spec"].get("replicas", 1)
    if want < 1 or (sts.get("status") or {}).get("readyReplicas", 0) != want:
        return name + ":not-ready"
    pods = [p for p in of("Pod") if p["metadata"].get("namespace") == ns and owned_by(p, "StatefulSet", name)]
    where = {pool.get(p["spec"].get("nodeName")) if p["status"].get("phase") == "Running" else "not-running" for p in pods}
    return name + ":" + (",".join(sorted(map(str, where))) or "no-pods")


facts["statefulsets"] = "%s %s" % (sts_state("prometheus-" + prom), sts_state("alertmanager-" + am))

# node-exporter: the DaemonSet controller places a pod on every node it tolerates.
facts["nodes"] = " ".join(sorted(pool))
exporters = [d["metadata"]["name"] for d in of("DaemonSet") if d["metadata"].get("namespace") == ns and "node-exporter" in d["metadata"]["name"]]
facts["node-exporter"] = " ".join(sorted({
    p["spec"].get("nodeName") for p in of("Pod")
    if p["metadata"].get("namespace") == ns and p["status"].get("phase") == "Running" and any(owned_by(p, "DaemonSet", d) for d in exporters)}))

settled = (facts["reconciled"] == "True True" and facts["servicemonitors"] and facts["scrape-jobs"] == facts["servicemonitors"]
           and facts["rule-files-loaded"] == "yes" and not facts["volley-rules"].endswith(("absent", "missing"))
           and facts["am-generated"] != "absent" and facts["statefulsets"].count(":system") == 2
           and (not os.environ.get("WANT_WEBHOOKS") or facts["am-webhooks"] == os.environ["WANT_WEBHOOKS"]))
facts["settled"] = "yes" if settled else "no"
for k, v in facts.items():
    print(k, v)
