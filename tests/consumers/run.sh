#!/usr/bin/env bash
# The package as its consumers meet it, through the real Pulumi CLI:
#   - `pulumi package get-schema <repo>` starts our plugin (runtime: nodejs)
#     and prints exactly the committed schema.json;
#   - `pulumi package add <repo>` works from a TypeScript, a Python and a Go
#     project, and each project then previews a KubernetesEnvironment plus an
#     Application through the generated SDK and our plugin's Construct.
# Prints one ok/FAIL line per check and `N passed, M failed`.
set -uo pipefail
LANG_ID=consumers
. "$(dirname "$0")/../e2e/lib.sh"
export GOSUMDB=off
install_kubernetes_plugin || { fail "kubernetes plugin"; finish; }

if run_pulumi package get-schema "$REPO_DIR" >"$WORK/schema.json" 2>"$WORK/get-schema.err" &&
  python3 -c "import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))" "$WORK/schema.json" "$REPO_DIR/schema.json"; then
  ok "pulumi package get-schema prints schema.json"
else
  fail "pulumi package get-schema prints schema.json"; tail -20 "$WORK/get-schema.err"
fi

VENV="$("$REPO_DIR/tools/python-venv.sh")"

# consumer LANG: a fresh project of that language adds the package and previews.
consumer() {
  local lang="$1" dir="$WORK/$1"
  mkdir -p "$dir" && cd "$dir" || return 1
  case "$lang" in
    nodejs)
      printf 'name: consumer-ts\nruntime: nodejs\n' > Pulumi.yaml
      cat > package.json <<'JSON'
{ "name": "consumer-ts", "main": "index.ts",
  "dependencies": { "@pulumi/pulumi": "3.248.0" },
  "devDependencies": { "@types/node": "^20.19.0", "typescript": "5.9.3" } }
JSON
      cat > index.ts <<'TS'
import * as volley from "@volley-io/pulumi-volley";
const env = new volley.KubernetesEnvironment("env", {
    operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, keda: { enabled: false }, prometheus: { mode: "none" },
});
const app = new volley.Application("app", {
    environment: env.environment, image: "registry.example.com/app:v1",
    resources: { requests: { cpu: "1", memory: "1Gi" } }, awaitRunning: false,
});
export const appName = app.name;
TS
      npm install --no-audit --no-fund --loglevel=error >/dev/null || return 1 ;;
    python)
      printf 'name: consumer-py\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n' > Pulumi.yaml
      echo "pulumi==3.248.0" > requirements.txt
      cat > __main__.py <<'PY'
import pulumi
import pulumi_volley as volley
env = volley.KubernetesEnvironment("env", operator=volley.VolleyOperatorSettingsArgs(image="registry.example.com/volley-k8s-operator:0.1.0"),
                                   keda=volley.KedaSettingsArgs(enabled=False),
                                   prometheus=volley.PrometheusSettingsArgs(mode=volley.PrometheusMode.NONE))
app = volley.Application("app", environment=env.environment, image="registry.example.com/app:v1",
                         resources=volley.ResourceRequirementsArgs(requests={"cpu": "1", "memory": "1Gi"}), await_running=False)
pulumi.export("appName", app.name)
PY
      ;;
    go)
      printf 'name: consumer-go\nruntime: go\n' > Pulumi.yaml
      cat > main.go <<'GO'
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/volley-io/pulumi-volley/sdk/go/volley"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		none := volley.PrometheusModeNone
		env, err := volley.NewKubernetesEnvironment(ctx, "env", &volley.KubernetesEnvironmentArgs{
			Operator: volley.VolleyOperatorSettingsArgs{Image: pulumi.String("registry.example.com/volley-k8s-operator:0.1.0")},
			Keda:     &volley.KedaSettingsArgs{Enabled: pulumi.BoolRef(false)}, Prometheus: &volley.PrometheusSettingsArgs{Mode: &none},
		})
		if err != nil {
			return err
		}
		app, err := volley.NewApplication(ctx, "app", &volley.ApplicationArgs{
			Environment: env.Environment, Image: pulumi.String("registry.example.com/app:v1"),
			Resources:    volley.ResourceRequirementsArgs{Requests: pulumi.StringMap{"cpu": pulumi.String("1"), "memory": pulumi.String("1Gi")}},
			AwaitRunning: pulumi.Bool(false),
		})
		if err != nil {
			return err
		}
		ctx.Export("appName", app.Name)
		return nil
	})
}
GO
      printf 'module consumer\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.248.0\n' > go.mod ;;
  esac
  run_pulumi stack init dev >/dev/null || return 1
  run_pulumi package add "$REPO_DIR" >"$dir/add.log" 2>&1 || { tail -20 "$dir/add.log"; return 1; }
  ok "pulumi package add from $lang"
  [ "$lang" = go ] && { GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || return 1; }
  # Preview runs the program, the generated SDK and our plugin's Construct;
  # no cluster is contacted in a preview.
  run_pulumi preview --json >"$dir/preview.json" 2>"$dir/preview.err" || { tail -20 "$dir/preview.err"; return 1; }
  python3 - "$dir/preview.json" <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
types = sorted({s["urn"].split("::")[-2].split("$")[-1] for s in steps if s["op"] == "create"})
want = {"volley:index:KubernetesEnvironment", "volley:index:Application", "volley:index:VolleyOperator",
        "kubernetes:volley.io/v1alpha1:VolleyApplication", "kubernetes:apps/v1:Deployment"}
missing = want - set(types)
assert not missing, f"preview lacks {missing}; has {types}"
PY
}

for lang in nodejs python go; do
  if consumer "$lang"; then ok "$lang consumer previews an environment and an application"; else fail "$lang consumer"; fi
done
finish
