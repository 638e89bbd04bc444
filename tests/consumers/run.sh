#!/usr/bin/env bash
# The package as its consumers meet it, through the real Pulumi CLI:
#   - `pulumi package get-schema <repo>` starts our plugin (runtime: nodejs)
#     and prints exactly the committed schema.json;
#   - README "Your own program", as written: its setup block, then for
#     TypeScript, Python and Go the steps block (a new project, `pulumi
#     package add`, `pulumi preview`) with the program block beside it. The
#     preview must show a KubernetesEnvironment and an Application built by
#     our plugin's Construct. The blocks are read from README.md
#     (tests/consumers/readme.py), so the README cannot drift from what works;
#   - `pulumi install` in examples/kubernetes-py (with its `packages:` entry)
#     leaves every tracked file as it is and installs into the project's
#     virtualenv, not the system Python.
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

README="$REPO_DIR/README.md"
python3 "$E2E_DIR/../consumers/readme.py" "$README" setup "$WORK/setup" >/dev/null ||
  { fail "README has the setup block"; finish; }

# readme_steps LANG: the README's blocks for LANG, run as a reader would (from
# the repository root: the setup block; then in an empty folder: the steps).
readme_steps() {
  local lang="$1" dir="$WORK/$1"
  mkdir -p "$dir"
  python3 "$E2E_DIR/../consumers/readme.py" "$README" "$lang" "$dir" >/dev/null || return 1
  (cd "$REPO_DIR" && bash -euo pipefail -c '. "$1"; cd "$2"; . "$2/steps.sh"' _ "$WORK/setup/steps.sh" "$dir") \
    >"$dir/out.txt" 2>&1 || { tail -30 "$dir/out.txt"; return 1; }
  # The preview's resource tree: our components and what their Construct made.
  local want missing=""
  for want in volley:index:KubernetesEnvironment volley:index:Application volley:index:VolleyOperator \
    kubernetes:volley.io/v1alpha1:VolleyApplication kubernetes:apps/v1:Deployment; do
    grep -qF -- "$want" "$dir/out.txt" || missing="$missing $want"
  done
  [ -z "$missing" ] || { echo "preview lacks:$missing"; tail -30 "$dir/out.txt"; return 1; }
}

for lang in ts python go; do
  if readme_steps "$lang"; then ok "README steps for $lang: package add, then preview an environment and an application"
  else fail "README steps for $lang"; fi
done
py="$WORK/python/volley-py"
expect "python: package add appended the SDK to requirements.txt" "pulumi==3.248.0 sdks/volley" "$(echo $(cat "$py/requirements.txt" 2>/dev/null))"
expect "python: pulumi install made the project's virtualenv with the SDK" "ok" \
  "$("$py/venv/bin/python" -c 'import pulumi_volley, pulumi; print("ok")' 2>&1 | tail -1)"

# A validation error in a Python program reads as the package's message, not
# as 20-60 lines of Python tracebacks (issue 26, point 7: KeyboardInterrupt
# from our language host, "resource monitor shut down" from the SDK).
bad_python_preview() {
  sed 's|image="registry.example.com/app:v1",|image="registry.example.com/app:v1", replicas=-1,|' "$py/__main__.py" >"$py/bad.py" &&
    grep -q 'replicas=-1' "$py/bad.py" || { echo "could not make the bad program"; return 1; }
  cp "$py/__main__.py" "$py/good.py" && cp "$py/bad.py" "$py/__main__.py"
  (cd "$REPO_DIR" && bash -uo pipefail -c '. "$1"; cd "$2"; pulumi preview' _ "$WORK/setup/steps.sh" "$py") >"$WORK/bad-python.txt" 2>&1
  local rc=$?
  cp "$py/good.py" "$py/__main__.py"
  [ "$rc" -ne 0 ] || { echo "the preview passed"; return 1; }
  grep -q 'replicas' "$WORK/bad-python.txt" || { echo "no message naming replicas"; tail -20 "$WORK/bad-python.txt"; return 1; }
  ! grep -nE 'Traceback|KeyboardInterrupt|resource monitor shut down' "$WORK/bad-python.txt" || { tail -40 "$WORK/bad-python.txt"; return 1; }
}
if bad_python_preview; then ok "python: a validation error is the package's message, with no traceback"
else fail "python: a validation error is the package's message, with no traceback"; fi

# examples/kubernetes-py as a user runs it, in a copy of the repository whose
# top-level entries link to this one (so `packages: volley: ../..` holds).
example_install() {
  local root="$WORK/repo" e
  mkdir -p "$root/examples"
  for e in "$REPO_DIR"/*; do
    [ "$(basename "$e")" = examples ] || ln -s "$e" "$root/$(basename "$e")"
  done
  cp -r "$REPO_DIR/examples/kubernetes-py" "$root/examples/"
  cd "$root/examples/kubernetes-py" &&
    run_pulumi install >"$WORK/example-install.txt" 2>&1 || { tail -30 "$WORK/example-install.txt"; return 1; }
  local f changed=""
  for f in $(git -C "$REPO_DIR" ls-files examples/kubernetes-py); do
    cmp -s "$REPO_DIR/$f" "$root/$f" || changed="$changed ${f#examples/kubernetes-py/}"
  done
  expect "examples/kubernetes-py: pulumi install changes no tracked file" "" "$changed"
  expect "examples/kubernetes-py: pulumi install made venv/ with pulumi and the SDK" "ok" \
    "$(venv/bin/python -c 'import pulumi_volley, pulumi; print("ok")' 2>&1 | tail -1)"
  expect "examples/kubernetes-py: what it made is ignored by git (venv/, sdks/)" "sdks/ venv/" \
    "$(cd "$REPO_DIR/examples/kubernetes-py" && echo $(git check-ignore sdks/ venv/))"
}
example_install || fail "examples/kubernetes-py: pulumi install"
finish
