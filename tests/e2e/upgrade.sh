#!/usr/bin/env bash
# Upgrade safety and reviewable previews, through the real engine and the
# real Kubernetes provider on the local cluster (run under tools/with-cluster.sh):
#   the TS example stack is brought up with the baseline release (a commit
#   recorded in tests/upgrade/baseline.env, built from git history), then
#   previewed with this commit's package: no replacement, no deletion (but of listed providers), and
#   every change in tests/upgrade/allowed-changes.txt. Then `up` with this
#   commit, its add-ons turned off (data and CRDs stay), and the preview
#   summary (.github/actions/preview-summary) checked on real previews: a
#   no-op, a replicas change, a rotated secret, a new application, a
#   deletion, a checkpoint volume replacement.
# VOLLEY_RECORD_PREVIEWS=DIR also writes each scenario's preview, pruned to
# what the summary reads, to DIR/<scenario>.json (the unit tests' fixtures).
# Prints one ok/FAIL line per assertion and `N passed, M failed`.
set -uo pipefail
LANG_ID=upgrade
. "$(dirname "$0")/lib.sh"
. "$REPO_DIR/tests/upgrade/baseline.env"
# VOLLEY_UPGRADE_BASELINE=<commit> tries another baseline (e.g. to see what an older stack would meet).
BASELINE_COMMIT="${VOLLEY_UPGRADE_BASELINE:-$BASELINE_COMMIT}"
SUMMARY="$REPO_DIR/.github/actions/preview-summary/summary.js"
ALLOWED="$REPO_DIR/tests/upgrade/allowed-changes.txt"

# --- the baseline release, built from git history ---------------------------
BASE="$WORK/baseline"
build_baseline() {
  mkdir -p "$BASE" &&
    git -C "$REPO_DIR" archive "$BASELINE_COMMIT" | tar -x -C "$BASE" || return 1
  # Same lock file: the same dependencies, so reuse ours instead of a second install.
  if cmp -s "$BASE/package-lock.json" "$REPO_DIR/package-lock.json"; then
    ln -s "$REPO_DIR/node_modules" "$BASE/node_modules"
  else
    (cd "$BASE" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) || return 1
  fi
  (cd "$BASE" && "$REPO_DIR/node_modules/.bin/tsc" -p tsconfig.json)
}
if build_baseline >"$WORK/baseline.txt" 2>&1; then ok "baseline $BASELINE_COMMIT ($BASELINE_NAME) built"
else fail "baseline $BASELINE_COMMIT built"; tail -20 "$WORK/baseline.txt"; finish; fi

prepare_program ts "$BASE" || { fail "baseline program"; finish; }
cd "$PROGRAM_DIR"
stack_init upgrade || { fail "stack init"; finish; }
start_operator_double
if run_pulumi up --yes --skip-preview >"$WORK/up-baseline.txt" 2>&1; then ok "pulumi up with the baseline"
else fail "pulumi up with the baseline"; tail -40 "$WORK/up-baseline.txt"; finish; fi

# --- the same program, this commit's package ---------------------------------
use_current_package() {
  sed -i "s|^  volley: .*$|  volley: $REPO_DIR|" Pulumi.yaml &&
    build_node_sdk "$REPO_DIR" &&
    rm -rf node_modules/@volley-io/pulumi-volley &&
    npm install --install-links --no-audit --no-fund --loglevel=error >/dev/null
}
use_current_package || { fail "switch to this commit's package"; finish; }

# What an upgrading user meets first (#20): the baseline program names no
# operator image, and there is no default any more. The preview fails at
# once in the generated TypeScript SDK (`Missing required property
# 'operator'`, as Python and YAML's type check do); the provider's own
# `operator.image: required ...` with the way out appears only where the
# input reaches it (Go, a plain object without image, an empty image: README
# "Build the operator image"); nothing is changed.
if run_pulumi preview >"$WORK/no-image.txt" 2>&1; then fail "upgrade without operator.image: the preview fails"
else expect_grep "upgrade without operator.image: the preview names the missing operator input" "required property 'operator'" "$WORK/no-image.txt"; fi
# The CHANGELOG's step: name the image that ran before (the old default), so
# the image itself does not change.
sed -i 's|^const env = new volley.KubernetesEnvironment("dev", {$|&\n    operator: { image: "volleyio/volley-k8s-operator", version: "0.1.0" },|' index.ts
grep -q 'operator: { image: "volleyio/volley-k8s-operator"' index.ts || { fail "the CHANGELOG's operator.image step applies to the baseline program"; finish; }
cp index.ts "$WORK/index.ts.orig"

preview_json() { # preview_json FILE: `pulumi preview --json --show-sames` as a PR workflow runs it; its exit status in PREVIEW_RC
  run_pulumi preview --json --show-sames >"$1" 2>"$1.err"
  PREVIEW_RC=$?
  # A failed preview still writes its JSON (with diagnostics); an empty file is a failure.
  [ -s "$1" ]
}
if preview_json "$WORK/upgrade.json"; then
  # A preview that failed part way lists only the steps before the error: it must not pass as "no unexpected change".
  expect "upgrade preview succeeds (exit status)" "0" "$PREVIEW_RC"
  if node "$REPO_DIR/tests/upgrade/changes.js" "$WORK/upgrade.json" "$ALLOWED" >"$WORK/upgrade-unexpected.txt"; then
    ok "upgrade preview: no replacement, no deletion but of listed providers, only allowed changes"
  else fail "upgrade preview: unexpected changes"; sed 's/^/    /' "$WORK/upgrade-unexpected.txt"; fi
  node "$SUMMARY" "$WORK/upgrade.json" | sed 's/^/    /'
else fail "upgrade preview"; tail -20 "$WORK/upgrade.json.err"; fi

# Data an upgrade must leave alone: the CRD and every VolleyApplication keep
# their uid (not re-created), and the StatefulSets the operator made for them
# too. (A replacement of the operator Deployment, tried for #20.2, made the
# engine replace the VolleyApplications depending on it.)
data_uids() {
  kubectl get crd volleyapplications.volley.io -o jsonpath='{.kind}/{.metadata.name} {.metadata.uid}{"\n"}' 2>/dev/null
  kubectl get vapp,statefulset -A -o jsonpath='{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name} {.metadata.uid}{"\n"}{end}' 2>/dev/null | sort
}
data_uids >"$WORK/uids-before.txt"
expect "before the upgrade: the baseline's operator Deployment rolls (the API server's default strategy)" "RollingUpdate True" \
  "$(kget deployment volley-operator -n volley-system | jqe "'%s %s' % (d['spec']['strategy']['type'], 'rollingUpdate' in d['spec']['strategy'])")"
if run_pulumi up --yes --skip-preview >"$WORK/up-current.txt" 2>&1; then ok "pulumi up with this commit"
else fail "pulumi up with this commit"; tail -40 "$WORK/up-current.txt"; finish; fi
expect "after the upgrade: the operator Deployment has no surge and one operator pod at a time (#20.2), ready" "0 kubernetes.io/os 1" \
  "$(kget deployment volley-operator -n volley-system | jqe "'%s %s %s' % (d['spec']['strategy']['rollingUpdate']['maxSurge'], d['spec']['template']['spec']['affinity']['podAntiAffinity']['requiredDuringSchedulingIgnoredDuringExecution'][0]['topologyKey'], d['status'].get('readyReplicas', 0))")"
data_uids >"$WORK/uids-after.txt"
if [ "$(grep -c . "$WORK/uids-before.txt")" -ge 4 ] && cmp -s "$WORK/uids-before.txt" "$WORK/uids-after.txt"; then
  ok "the upgrade left the CRD, the VolleyApplications and their StatefulSets as they were ($(grep -c . "$WORK/uids-before.txt") objects, same uids)"
else fail "CRD, VolleyApplications and StatefulSets kept across the upgrade"; diff "$WORK/uids-before.txt" "$WORK/uids-after.txt" | sed 's/^/    /'; fi
if run_pulumi preview --expect-no-changes >"$WORK/preview-empty.txt" 2>&1; then ok "then a preview shows no changes"
else fail "then a preview shows no changes"; tail -20 "$WORK/preview-empty.txt"; fi

# A day-2 toggle on the upgraded stack: its add-ons off. The data and every
# CRD stay (#20.7), and the preview summary's scenarios below, which are
# about applications, do not render the charts in each preview again.
if run_pulumi config set addons false >/dev/null && run_pulumi up --yes --skip-preview >"$WORK/up-addons-off.txt" 2>&1; then
  ok "the upgraded stack turns its add-ons off"
else fail "the upgraded stack turns its add-ons off"; tail -30 "$WORK/up-addons-off.txt"; fi
data_uids >"$WORK/uids-addons-off.txt"
if cmp -s "$WORK/uids-before.txt" "$WORK/uids-addons-off.txt"; then ok "add-ons off: the CRD, the VolleyApplications and their StatefulSets as they were (same uids)"
else fail "add-ons off: CRD, VolleyApplications and StatefulSets kept"; diff "$WORK/uids-before.txt" "$WORK/uids-addons-off.txt" | sed 's/^/    /'; fi
no_addon_pods() { [ -z "$(pod_placement keda monitoring)" ]; }
wait_until 60 no_addon_pods   # the garbage collector removes them after their owners
expect "add-ons off: KEDA's and prometheus-operator's CRDs are retained, their pods gone" \
  "customresourcedefinition.apiextensions.k8s.io/scaledobjects.keda.sh customresourcedefinition.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com" \
  "$(echo $(kubectl get crd scaledobjects.keda.sh servicemonitors.monitoring.coreos.com -o name 2>/dev/null) $(pod_placement keda monitoring))"

# --- the preview summary on real previews -----------------------------------
record() { # record SCENARIO: keep the preview as a fixture, pruned to what the summary reads
  [ -n "${VOLLEY_RECORD_PREVIEWS:-}" ] || return 0
  mkdir -p "$VOLLEY_RECORD_PREVIEWS"
  python3 "$REPO_DIR/tests/upgrade/prune_preview.py" "$WORK/$1.json" "$WORK" >"$VOLLEY_RECORD_PREVIEWS/$1.json"
}
summarize() { # summarize SCENARIO: Markdown in $WORK/SCENARIO.md, exit status of --fail-on-risk in RISK_RC
  node "$SUMMARY" "$WORK/$1.json" --fail-on-risk >"$WORK/$1.md"
  RISK_RC=$?
  record "$1"
}
has() { grep -qF -- "$2" "$WORK/$1.md"; }
expect_md() { # expect_md SCENARIO NAME TEXT: the summary contains TEXT
  if has "$1" "$3"; then ok "$1: $2"; else fail "$1: $2 (no [$3])"; sed 's/^/    /' "$WORK/$1.md"; fi
}
expect_no_md() {
  if has "$1" "$3"; then fail "$1: $2 ([$3] present)"; sed 's/^/    /' "$WORK/$1.md"; else ok "$1: $2"; fi
}
restore_program() { cp "$WORK/index.ts.orig" index.ts; run_pulumi config rm aggregateReplicas >/dev/null 2>&1; true; }

preview_json "$WORK/noop.json"; summarize noop
expect_md noop "one line, nothing changes" "**Total:** "
expect_no_md noop "no section, no warning" "###"
expect "noop: does not fail the check" "0" "$RISK_RC"

run_pulumi config set aggregateReplicas 2 >/dev/null
preview_json "$WORK/replicas.json"; summarize replicas
expect_md replicas "a section for the application" "### Application \`aggregate\`"
expect_md replicas "the one field that changed, old and new" "\`spec.replicas\`: 3 → 2"
expect_no_md replicas "no checkpoint warning" "Checkpoint data at risk"
expect "replicas: does not fail the check" "0" "$RISK_RC"
restore_program

# A rotated secret: the kubeconfig changes (a comment), so every provider that uses it shows a diff.
kubeconfig="$(run_pulumi config get kubeconfig)"
run_pulumi config set --secret kubeconfig -- "$kubeconfig"$'\n# rotated' >/dev/null
preview_json "$WORK/secret.json"; summarize secret
expect_md secret "a changed secret is shown as [secret]" "[secret]"
secret_leak="$(KUBECONFIG_TEXT="$kubeconfig" python3 - "$WORK/secret.md" <<'PY'
import os, re, sys
md = open(sys.argv[1]).read()
kc = os.environ["KUBECONFIG_TEXT"]
# Every long token of the kubeconfig (certificates, keys, tokens) must be absent.
print(" ".join(sorted({t[:12] for t in re.findall(r"[A-Za-z0-9+/=_.-]{24,}", kc) if t in md})))
PY
)"
expect "secret: no part of the kubeconfig in the summary" "" "$secret_leak"
run_pulumi config set --secret kubeconfig -- "$kubeconfig" >/dev/null

python3 - index.ts <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
new = '''
const enrich = new volley.Application("enrich", {
    environment: env.environment,
    image: "registry.example.com/enrich:v1.0",
    resources: { requests: { cpu: "500m", memory: "1Gi" } },
    replicas: 2,
    cluster: {},
    awaitRunning,
    awaitTimeoutSeconds,
});
export const enrichClaim = enrich.claimName;
'''
open(p, "w").write(s + new)
PY
preview_json "$WORK/new-application.json"; summarize new-application
expect_md new-application "a section for the new application" "### Application \`enrich\`"
expect_md new-application "its custom resource is created" "| create | volley.io/v1alpha1:VolleyApplication \`enrich-vapp\`"
expect_no_md new-application "creating checkpoint storage is no risk" "Checkpoint data at risk"
restore_program

python3 - index.ts <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'\nconst aggregate = new volley\.Application\("aggregate", \{.*?\n\}\);\n', "\n", s, flags=re.S)
s = "\n".join(l for l in s.split("\n") if "aggregate." not in l)
open(p, "w").write(s)
PY
preview_json "$WORK/deletion.json"; summarize deletion
expect_md deletion "a section for the deleted application" "### Application \`aggregate\`"
expect_md deletion "warns that its checkpoint volume goes" "checkpoint PersistentVolume \`aggregate-ckpt-pv\` of Application \`aggregate\` would be **deleted**"
expect_md deletion "and that the retained data stays" "retained on delete"
expect "deletion: fails the check unless allowed" "3" "$RISK_RC"
restore_program

sed -i 's|path: "/exports/volley"|path: "/exports/volley-moved"|' index.ts
preview_json "$WORK/checkpoint-replacement.json"; summarize checkpoint-replacement
expect_md checkpoint-replacement "warns above everything" "> **Checkpoint data at risk.**"
expect_md checkpoint-replacement "names the volume and why it is replaced" "checkpoint PersistentVolume \`aggregate-ckpt-pv\` of Application \`aggregate\` would be **replaced**, because \`spec.nfs.path\` cannot change in place"
expect_md checkpoint-replacement "lists the replacement under its application" "| replace | core/v1:PersistentVolume \`aggregate-ckpt-pv\`"
expect "checkpoint-replacement: fails the check unless allowed" "3" "$RISK_RC"
restore_program

# --- destroy ------------------------------------------------------------------
if run_pulumi destroy --yes --skip-preview >"$WORK/destroy.txt" 2>&1; then ok "pulumi destroy"; else fail "pulumi destroy"; tail -30 "$WORK/destroy.txt"; fi
finish
