# Shared helpers for the tools scripts. Source it; do not run it.
set -euo pipefail
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$TOOLS_DIR/.." && pwd)"
# shellcheck source=versions.env
. "$TOOLS_DIR/versions.env"
CACHE_ROOT="${VOLLEY_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-volley-tools}"

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# step NAME CMD...: runs CMD, prints how long it took, fails loudly.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "start: $name"
  if ! "$@"; then die "$name failed after $((SECONDS - t0)) s"; fi
  log "done:  $name ($((SECONDS - t0)) s)"
}
