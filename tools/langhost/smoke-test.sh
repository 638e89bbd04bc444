#!/usr/bin/env bash
# End-to-end check of the language hosts with the real CLI, offline:
# gen-sdk for each language, get-schema of a `runtime: nodejs` plugin, then a
# nodejs, python and go program that `pulumi package add`s that plugin and
# runs `pulumi up`/`destroy` against a local file backend; then a one-rule
# policy pack through `pulumi preview --policy-pack` (RunPlugin, kind analyzer)
# that must see the stack, the project, dry-run and the stack's config.
# Usage: tools/langhost/smoke-test.sh   (needs node/npm, python3, go; KEEP=1
# keeps the work directory)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/../env.sh"
W="$(mktemp -d /tmp/langhost-smoke.XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$W"' EXIT
export PULUMI_BACKEND_URL="file://$W/state" PULUMI_HOME="$W/home" GOSUMDB=off
mkdir -p "$W/state"
ok() { printf 'ok: %s\n' "$*"; }
# expect TEXT WHAT: stdin must contain TEXT (reads all input: no SIGPIPE).
expect() { grep -- "$1" >/dev/null || { echo "FAIL: expected '$1' ($2)" >&2; exit 1; }; }

# A component provider plugin: schema + provider.main, run through RunPlugin.
P="$W/plugin"; mkdir -p "$P"
cp "$HERE/testdata/schema.json" "$P/schema.json"
cp "$HERE/testdata/plugin.js" "$P/index.js"
echo 'runtime: nodejs' > "$P/PulumiPlugin.yaml"
echo '{"name":"demo-provider","main":"index.js","dependencies":{"@pulumi/pulumi":"3.248.0"}}' > "$P/package.json"
(cd "$P" && npm install --no-audit --no-fund --silent)

cd "$W"
for lang in nodejs python go; do
  pulumi package gen-sdk "$P/schema.json" --language "$lang" -o sdk 2>&1 | expect written "gen-sdk $lang"
  ok "gen-sdk $lang"
done
pulumi package get-schema "$P" 2>/dev/null | expect '"name": "demo"' get-schema
ok "get-schema (nodejs RunPlugin)"

# project LANG MAIN-FILE PROGRAM: make a project, add the plugin, up, destroy.
project() {
  local lang="$1" file="$2" program="$3"
  cd "$W/$lang"
  pulumi stack init dev >/dev/null 2>&1
  pulumi package add "$P" 2>&1 | expect "Added package demo" "package add $lang"
  printf '%s\n' "$program" > "$file"
  pulumi install >/dev/null 2>&1
  pulumi up --yes 2>&1 | expect 'label: "widget-2"' "up $lang"
  pulumi destroy --yes 2>&1 | expect deleted "destroy $lang"
  ok "package add + up + destroy ($lang)"
}

mkdir -p "$W/nodejs" && cd "$W/nodejs"
printf 'name: snode\nruntime: nodejs\n' > Pulumi.yaml
echo '{"name":"snode","main":"index.ts","dependencies":{"@pulumi/pulumi":"3.248.0"},"devDependencies":{"@types/node":"^20.19.0","typescript":"5.9.3"}}' > package.json
echo '{"compilerOptions":{"strict":true,"target":"es2020","module":"commonjs","moduleResolution":"node"},"files":["index.ts"]}' > tsconfig.json
echo 'export const x = 1;' > index.ts
project nodejs index.ts 'import * as demo from "@pulumi/demo";
const w = new demo.Widget("w", {size: 2});
export const label = w.label;'

# A one-rule TypeScript policy pack, started by the nodejs host's RunPlugin
# (kind analyzer). Its message carries what the host passed it: stack,
# project, dry-run and config arrive through the SDK's policy proxy.
K="$W/pack"; mkdir -p "$K"
printf 'runtime: nodejs\ndescription: smoke\n' > "$K/PulumiPolicy.yaml"
echo '{"name":"smoke-pack","version":"0.0.1","main":"index.ts","dependencies":{"@pulumi/policy":"1.21.0","@pulumi/pulumi":"3.248.0"},"devDependencies":{"@types/node":"^20.19.0","typescript":"5.9.3"}}' > "$K/package.json"
cat > "$K/index.ts" <<'TS'
import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
new PolicyPack("smoke", {
    policies: [{
        name: "no-widgets", description: "Widgets are not allowed.", enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            if (args.type !== "demo:index:Widget") return;
            const greeting = new pulumi.Config().get("greeting");
            report(`widget ${args.name} in ${pulumi.getProject()}/${pulumi.getStack()}, dry-run ${pulumi.runtime.isDryRun()}, greeting ${greeting}`);
        },
    }],
});
TS
(cd "$K" && npm install --no-audit --no-fund --silent)
cd "$W/nodejs"
pulumi config set greeting hi >/dev/null
set +e
# --event-log is one of the CLI's debug flags: it exists only with PULUMI_DEBUG_COMMANDS.
PULUMI_DEBUG_COMMANDS=true pulumi preview --policy-pack "$K" --event-log "$W/events.jsonl" > "$W/policy.out" 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] || { cat "$W/policy.out"; echo "FAIL: a mandatory violation must fail the preview" >&2; exit 1; }
grep -q 'widget w in snode/dev, dry-run true, greeting hi' "$W/policy.out" || { cat "$W/policy.out"; echo "FAIL: the pack's violation is missing" >&2; exit 1; }
grep -q '"policyName":"no-widgets"' "$W/events.jsonl" || { echo "FAIL: no policyEvent in the event log" >&2; exit 1; }
ok "policy pack through RunPlugin (pulumi preview --policy-pack)"

mkdir -p "$W/python" && cd "$W/python"
printf 'name: spy\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n' > Pulumi.yaml
echo 'pulumi==3.248.0' > requirements.txt
echo 'import pulumi' > __main__.py
project python __main__.py 'import pulumi
import pulumi_demo as demo
w = demo.Widget("w", size=2)
pulumi.export("label", w.label)'

mkdir -p "$W/go" && cd "$W/go"
printf 'name: sgo\nruntime: go\n' > Pulumi.yaml
printf 'module sgo\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.248.0\n' > go.mod
# Import the SDK from the start: `go mod tidy` would otherwise drop the pinned
# require and pick the newest SDK, whose dependencies the proxy may not serve.
printf 'package main\n\nimport "github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n\nfunc main() { pulumi.Run(nil) }\n' > main.go
project go main.go 'package main

import (
	"example.com/demo/sdk/go/demo"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		w, err := demo.NewWidget(ctx, "w", &demo.WidgetArgs{Size: pulumi.Int(2)})
		if err != nil {
			return err
		}
		ctx.Export("label", w.Label)
		return nil
	})
}'
echo "langhost smoke test passed"
