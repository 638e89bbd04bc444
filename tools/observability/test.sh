#!/usr/bin/env bash
# The `observability` check: Volley's alert rules and dashboard queries under
# promtool. Generates the rule file and the unit tests from the TypeScript
# tables (gen-tests.ts), then
#   - `promtool check rules` on the rendered rules (syntax, templates),
#   - `promtool test rules`: each alert fires on series that should trigger it
#     and stays silent on series that should not; inputs reach the rules;
#     every dashboard and variable query returns its legend's series;
#   - the Kafka consumer-group lag alert (Kafka Exporter's series) likewise;
#   - canaries that must fail (a misspelled metric, a misspelled label, the
#     default alert tests against changed thresholds), so the tests can fail.
. "$(dirname "$0")/../lib.sh"
cd "$REPO_DIR"
PROMTOOL="$("$TOOLS_DIR/build-promtool.sh")/promtool"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node_modules/.bin/ts-node --transpile-only tools/observability/gen-tests.ts "$work" >&2
cd "$work"
"$PROMTOOL" check rules rules.yaml rules-tuned.yaml rules-renamed.yaml rules-kafka.yaml rules-kafka-tuned.yaml >&2
"$PROMTOOL" test rules alerts.test.yaml tuned.test.yaml renamed.test.yaml dashboard.test.yaml kafka.test.yaml kafka-tuned.test.yaml >&2
for canary in canary-*.test.yaml; do
  if "$PROMTOOL" test rules "$canary" >"$canary.log" 2>&1; then
    log "canary $canary passed: the tests cannot catch what it breaks"; cat "$canary.log" >&2; exit 1
  fi
  log "canary $canary failed as it must"
done
log "observability: rules and dashboard queries pass under promtool $PROMETHEUS_VERSION"
