# Runs an example program through the real Pulumi CLI against a cluster:
# shared by the end-to-end tests and `make up`. Source it with WORK set (a
# folder outside the repository's node_modules reach) and the toolchain on
# PATH (tools/env.sh); it sets PULUMI_HOME and a file backend under WORK.

# Own Pulumi home and file backend: no login, no downloads, nothing shared.
export PULUMI_HOME="$WORK/home" PULUMI_BACKEND_URL="file://$WORK/state" GOSUMDB=off
# The CLI installs the plugin of every @pulumi/* package our plugin depends on
# before it starts it. aws, gcp and azure-native cannot be downloaded here and these
# programs do not use them, so our language host leaves them out of the list
# (tools/langhost: VOLLEY_LANGHOST_OMIT_PACKAGES). kubernetes is installed:
# the real provider, built from its Go module (tools/build-k8sprovider.sh).
export VOLLEY_LANGHOST_OMIT_PACKAGES="aws gcp azure-native"
mkdir -p "$WORK/state"

run_pulumi() { pulumi --non-interactive --color never "$@"; }

# The real Kubernetes provider goes into this run's Pulumi home, at the
# version npm @pulumi/kubernetes is pinned to.
install_kubernetes_plugin() {
  local bin
  bin="$("$REPO_DIR/tools/build-k8sprovider.sh")" || return 1
  run_pulumi plugin install resource kubernetes "$K8S_PROVIDER_VERSION" --file "$bin/pulumi-resource-kubernetes" >/dev/null
}

# Local copies of the pinned upstream charts (shared/charts beside the
# repository, vendored unmodified), for machines that cannot reach a chart
# repository. The package never reads them itself: programs pass them as
# chartPath.
VOLLEY_CHARTS_DIR="${VOLLEY_CHARTS_DIR:-$REPO_DIR/../shared/charts}"
KEDA_CHART_DIR="$VOLLEY_CHARTS_DIR/keda-2.18.0"
PROMETHEUS_CHART_DIR="$VOLLEY_CHARTS_DIR/kube-prometheus-stack-77.0.0"
have_local_charts() { [ -f "$KEDA_CHART_DIR/Chart.yaml" ] && [ -f "$PROMETHEUS_CHART_DIR/Chart.yaml" ]; }

# The committed Node SDK is TypeScript source; build it the way it is published
# (compiled JS + package.json in bin/). PACKAGE (default this repository) is
# the package checkout whose SDK is built, e.g. an older release's.
build_node_sdk() {
  local pkg="${1:-$REPO_DIR}" out="$WORK/sdk-nodejs"
  rm -rf "$out"; mkdir -p "$out"
  "$REPO_DIR/node_modules/.bin/tsc" -p "$pkg/sdk/nodejs" --outDir "$out/bin" || return 1
  cp "$pkg/sdk/nodejs/package.json" "$pkg/sdk/nodejs/README.md" "$out/bin/"
  NODE_SDK_DIR="$out/bin"
}

# Copies examples/kubernetes-<lang> of PACKAGE (default this repository) to
# $WORK/program with absolute paths to PACKAGE (the plugin and the SDKs) and
# installs its dependencies.
prepare_program() {
  local lang="$1" pkg="${2:-$REPO_DIR}"
  local src="$pkg/examples/kubernetes-$1"
  PROGRAM_DIR="$WORK/program"
  mkdir -p "$PROGRAM_DIR"
  cp -r "$src/." "$PROGRAM_DIR/"
  sed -i "s|^  volley: ../..$|  volley: $pkg|" "$PROGRAM_DIR/Pulumi.yaml"
  install_kubernetes_plugin || { log "kubernetes plugin unavailable"; return 1; }
  case "$lang" in
    ts)
      build_node_sdk "$pkg" || return 1
      sed -i "s|\"file:../../sdk/nodejs\"|\"file:$NODE_SDK_DIR\"|" "$PROGRAM_DIR/package.json"
      # Installed as a copy, not a link, so the SDK resolves @pulumi/pulumi from the program.
      (cd "$PROGRAM_DIR" && npm install --install-links --no-audit --no-fund --loglevel=error >/dev/null) || return 1 ;;
    py)
      local venv; venv="$("$REPO_DIR/tools/python-venv.sh")" || return 1
      "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$pkg/sdk/python" || return 1
      python3 - "$PROGRAM_DIR/Pulumi.yaml" "$venv" <<'PY' || return 1
import re, sys
p, venv = sys.argv[1], sys.argv[2]
s = open(p).read()
# The shared test venv instead of the project's own (`virtualenv: venv`);
# older releases' examples have no options at all.
if re.search(r"^    virtualenv: .*$", s, re.M):
    s = re.sub(r"^    virtualenv: .*$", f"    virtualenv: {venv}", s, flags=re.M)
else:
    s = s.replace("runtime:\n  name: python\n", f"runtime:\n  name: python\n  options:\n    virtualenv: {venv}\n")
open(p, "w").write(s)
PY
      ;;
    go)
      (cd "$PROGRAM_DIR" && go mod edit -replace "github.com/volley-io/pulumi-volley/sdk=$pkg/sdk" &&
        GOFLAGS=-mod=mod GOSUMDB=off go mod tidy >/dev/null 2>&1) || return 1 ;;
    yaml) ;;
    *) log "unknown language $lang"; return 1 ;;
  esac
}

# Copies the TypeScript program in SRC (a folder of this repository naming
# the package as `volley: <relative path>` in Pulumi.yaml and the Node SDK as
# `file:<relative path>/sdk/nodejs`) to $WORK/program with absolute paths to
# this repository, and installs its dependencies.
prepare_ts_program() {
  local src="$1"
  PROGRAM_DIR="$WORK/program"
  mkdir -p "$PROGRAM_DIR" && cp -r "$src/." "$PROGRAM_DIR/" || return 1
  sed -i "s|^  volley: .*$|  volley: $REPO_DIR|" "$PROGRAM_DIR/Pulumi.yaml"
  install_kubernetes_plugin || { log "kubernetes plugin unavailable"; return 1; }
  build_node_sdk || return 1
  sed -i "s|\"file:[./]*/sdk/nodejs\"|\"file:$NODE_SDK_DIR\"|" "$PROGRAM_DIR/package.json"
  # Installed as a copy, not a link, so the SDK resolves @pulumi/pulumi from the program.
  (cd "$PROGRAM_DIR" && npm install --install-links --no-audit --no-fund --loglevel=error >/dev/null)
}

# A fresh stack for the cluster of KUBECONFIG: its kubeconfig (secret), KEDA
# and kube-prometheus-stack from the local chart copies, waiting for every
# application to be Running (an operator must run: the real one, or the
# test double of tools/operator-double.sh), and an NFS server address for
# the shared checkpoint volumes (nothing mounts them: kwok runs no containers).
stack_init() {
  run_pulumi stack init "${1:-e2e}" >/dev/null || return 1
  run_pulumi config set --secret kubeconfig -- "$(cat "$KUBECONFIG")" >/dev/null &&
    run_pulumi config set operatorImage "${VOLLEY_OPERATOR_IMAGE:-$OPERATOR_DOUBLE_IMAGE}" >/dev/null &&
    run_pulumi config set addons true >/dev/null &&
    run_pulumi config set prometheusMode stack >/dev/null &&
    run_pulumi config set awaitRunning true >/dev/null &&
    run_pulumi config set nfsServer 127.0.0.1 >/dev/null &&
    # The examples turn Kafka on; the per-language lifecycles and `make up`
    # leave it off (tests/e2e/kafka.sh proves it, once per run).
    run_pulumi config set kafka false >/dev/null || return 1
  if have_local_charts; then
    run_pulumi config set kedaChartPath "$(cd "$KEDA_CHART_DIR" && pwd)" >/dev/null &&
      run_pulumi config set prometheusChartPath "$(cd "$PROMETHEUS_CHART_DIR" && pwd)" >/dev/null
  else
    log "no chart copies in $VOLLEY_CHARTS_DIR: charts come from their repositories"
  fi
}
