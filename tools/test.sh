#!/usr/bin/env bash
# `make test`: everything CI runs, in the order that fails fastest.
# Each check prints PASS/FAIL with its duration; the last line is
# `checks: N passed, M failed`. Exits non-zero when any check fails.
# Set VOLLEY_TEST_ONLY="unit sdk-go" to run a subset (names below).
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

passed=0 failed=0 failures=""
selected() { [ -z "${VOLLEY_TEST_ONLY:-}" ] || [[ " $VOLLEY_TEST_ONLY " == *" $1 "* ]]; }
check() {
  local name="$1"; shift
  selected "$name" || return 0
  local t0=$SECONDS
  log "=== $name"
  if "$@"; then
    passed=$((passed + 1)); log "PASS $name ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures="$failures $name"; log "FAIL $name ($((SECONDS - t0)) s)"
  fi
}

# Prerequisites: without them nothing else can run, so stop at once.
step "npm ci" npm ci --no-audit --no-fund --loglevel=error
step "offline toolchain" "$TOOLS_DIR/build-tools.sh"
. "$TOOLS_DIR/env.sh"
# Go in the checks (SDK tests, examples, our tools, the Go programs Pulumi
# builds) compiles with the toolchain's settings, no cgo and -trimpath, so
# the packages the toolchain compiled (client-go, the Pulumi SDK) are Go
# build cache hits: with other settings a cold run compiled them twice.
export CGO_ENABLED=0 GOFLAGS=-trimpath
VENV="$("$TOOLS_DIR/python-venv.sh")"
# Tests run with their own Pulumi home, so no state or plugin leaks between runs.
export PULUMI_HOME="$REPO_DIR/.pulumi/test-home"
rm -rf "$PULUMI_HOME"; mkdir -p "$PULUMI_HOME"

check build node_modules/.bin/tsc -p tsconfig.json

# Checks run beside others write their output to $RESULTS/NAME.log and their
# exit status and seconds to NAME.status; the output is printed whole at the end.
RESULTS="$REPO_DIR/.pulumi/checks"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
logged() { # logged NAME COMMAND...: one check, output and status in $RESULTS
  local name="$1" t0=$SECONDS start rc; shift
  selected "$name" || return 0
  start="$(date +%H:%M:%S)"
  "$@" >"$RESULTS/$name.log" 2>&1 </dev/null
  rc=$?
  echo "$rc $((SECONDS - t0))" >"$RESULTS/$name.status"
  flock "$RESULTS/.print" sh -c 'printf "%s\n" "$1"; cat "$2"; printf "%s\n" "$3"' _ \
    "[tools $start] === $name${LANE_ID:+ (lane $LANE_ID)}" "$RESULTS/$name.log" \
    "[tools $(date +%H:%M:%S)] $([ "$rc" -eq 0 ] && echo PASS || echo FAIL) $name ($((SECONDS - t0)) s)"
}
tally() { # tally NAME...: count the results of checks run by `logged`
  local name
  for name in "$@"; do
    selected "$name" || continue
    if [ -f "$RESULTS/$name.status" ] && [ "$(cut -d' ' -f1 "$RESULTS/$name.status")" = 0 ]; then passed=$((passed + 1))
    else failed=$((failed + 1)); failures="$failures $name"; fi
  done
}

generated_fresh() {
  make --no-print-directory schema crds sdk >/dev/null
  # Stale or missing generated files show up as changes against the commit.
  git diff --exit-code --stat -- schema.json crds sdk &&
    [ -z "$(git status --porcelain --untracked-files=all -- schema.json crds sdk)" ] ||
    { log "generated files are stale: run 'make generate' and commit"; git status --short -- schema.json crds sdk | sed -n 1,20p; return 1; }
}
check generated-fresh generated_fresh

# The unit suite and the language-host smoke test are each one process on
# one core and touch nothing the checks below write (generated-fresh, which
# rewrites schema.json and crds/ that unit tests read, has finished; the
# cluster checks write only to their own work and state dirs), so they run
# beside the SDK, example and tool checks and then beside the cluster lanes,
# which wait on the cluster often enough to leave room: waiting for them
# before the lanes left the lanes idle for about 3.5 minutes.
SIDE="unit langhost-smoke"
set +e
( logged unit node_modules/.bin/mocha
  logged langhost-smoke tools/langhost/smoke-test.sh ) &
side=$!
set -e

check sdk-nodejs node_modules/.bin/tsc -p sdk/nodejs --noEmit

sdk_python() {
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall ./sdk/python &&
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/sdk/python
}
check sdk-python sdk_python

sdk_go() {
  (cd tests/sdk/go && GOFLAGS="-mod=mod -trimpath" GOSUMDB=off go test -count=1 ./...)
}
check sdk-go sdk_go

# Examples track the SDKs: TypeScript type-checks, Python runs under mocks, Go vets.
examples() {
  node_modules/.bin/tsc -p tests/examples/tsconfig.json || return 1
  local e
  for e in examples/*-py; do
    "$VENV/bin/python" tests/examples/run_python.py "$e/__main__.py" \
      '{"project":"example-project","location":"us-central1-a","adminCidr":"203.0.113.0/24","deployerRoleArn":"arn:aws:iam::123456789012:role/deployer","operatorImage":"registry.example.com/volley-k8s-operator:0.1.0"}' || return 1
  done
  for e in examples/*-go; do
    (cd "$e" && GOFLAGS="-mod=mod -trimpath" GOSUMDB=off go vet ./...) || return 1
  done
}
check examples examples

# Volley's alerts and dashboard queries under promtool, on synthetic series.
check observability tools/observability/test.sh

# Ordering regressions show as a fresh up much slower than its floor (10%).
check critical-path make --no-print-directory critical-path

# Our own Go tools (language host, local cluster helpers and the operator double) are vetted and tested.
go_tools() {
  local d
  for d in tools/langhost tools/localkube; do
    (cd "$d" && GOFLAGS="-mod=mod -trimpath" GOSUMDB=off go vet ./... && GOFLAGS="-mod=mod -trimpath" GOSUMDB=off go test -count=1 ./...) || return 1
  done
}
check go-tools go_tools

# Cluster checks: each on its own fresh local cluster (a cluster's state is
# part of what they assert), in two lanes side by side. One of them uses
# about one core on average (Pulumi, the provider and the cluster mostly wait
# on each other), so two lanes keep both cores busy. The lanes have their own
# cluster state dirs; each check's output is printed whole when it ends.
# Checks that install into the shared Python venv stay in one lane.
cluster_check() { # cluster_check NAME: the command of a cluster check
  case "$1" in
    apiserver-crd) echo tests/apiserver/run.sh ;;
    apiserver-controllers) echo tests/apiserver/controllers.sh ;;
    consumers) echo tests/consumers/run.sh ;;
    bad-input) echo tests/e2e/bad-input.sh ;;
    e2e-*) echo "tests/e2e/lifecycle.sh ${1#e2e-}" ;;
    # The baseline release's stack upgraded to this commit (no replacement,
    # no deletion), and the preview summary on real previews.
    upgrade) echo tests/e2e/upgrade.sh ;;
    operator-faults) echo tests/e2e/operator-faults.sh ;;
    # README's second stack on the `make up` environment (StackReference), and make up/down's own output.
    stackref) echo tests/e2e/stackref.sh ;;
    # Real KEDA and Karpenter: ScaledObjects judged by KEDA, scale-out and back (issue 23).
    autoscaling) echo tests/e2e/autoscaling.sh ;;
    # Kafka with the Strimzi test double: TypeScript lifecycle and YAML up/destroy (issue 24).
    kafka) echo tests/e2e/kafka.sh ;;
    *) return 1 ;;
  esac
}
# Balanced by their seconds in the lanes (a clean-clone run): lane A upgrade
# 505, e2e-ts 368, kafka 123, e2e-go about 110, bad-input 49, apiserver-crd
# 22; lane B stackref 323, consumers 250, operator-faults about 220,
# autoscaling 201, e2e-py and e2e-yaml about 90 each, apiserver-controllers
# 31 (e2e-py/go/yaml and operator-faults run the example with its add-ons
# off: tests/e2e/lifecycle.sh). e2e-py and consumers install into the shared
# Python venv, so they share lane B.
LANE_A="upgrade e2e-ts e2e-go apiserver-crd bad-input kafka"
LANE_B="operator-faults e2e-py consumers stackref apiserver-controllers autoscaling e2e-yaml"
lane() { # lane ID NAME...: the named cluster checks in turn, each on its own cluster
  local id="$1" name; shift
  export VOLLEY_CLUSTER_DIR="$REPO_DIR/.pulumi/cluster-$id" LANE_ID="$id"
  for name in "$@"; do
    # shellcheck disable=SC2046 # the command's words
    logged "$name" "$TOOLS_DIR/with-cluster.sh" $(cluster_check "$name")
  done
}
set +e
lane a $LANE_A &
lane_a=$!
lane b $LANE_B &
lane_b=$!
wait "$lane_a" "$lane_b"
wait "$side"
set -e
tally $SIDE $LANE_A $LANE_B

# Alone, after the lanes: it kills the API server once the first of our
# objects exists, and under a second lane's load that moment can fall while
# the provider awaits a Service's endpoints, which it then retries for its
# whole 10-minute await timeout before `up` fails.
check faults "$TOOLS_DIR/with-cluster.sh" tests/e2e/faults.sh

echo
if [ "$failed" -gt 0 ]; then log "failed:$failures"; fi
echo "checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
