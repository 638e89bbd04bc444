# Source me: puts the offline toolchain on PATH and runs the Pulumi CLI with
# no downloads and no Pulumi Cloud. Builds any tool that is missing.
#   . tools/env.sh
# Sets, unless already set: PULUMI_HOME (plugins, in the tools cache), a file
# backend PULUMI_BACKEND_URL (state in the tools cache, no login), an EMPTY
# PULUMI_CONFIG_PASSPHRASE (stack secrets encrypted with an empty passphrase:
# fine for throwaway local clusters; set your own before sourcing otherwise),
# and VOLLEY_LANGHOST_OMIT_PACKAGES (our language host does not report the
# aws, gcp and azure-native plugins, which cannot be downloaded here).
# In an interactive shell it says so.
_volley_tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VOLLEY_PULUMI_BIN="$("$_volley_tools/build-pulumi.sh")" || return 1
VOLLEY_LANGHOST_BIN="$("$_volley_tools/build-langhost.sh")" || return 1
VOLLEY_YAML_BIN="$("$_volley_tools/build-yaml.sh")" || return 1
. "$_volley_tools/versions.env"
_volley_cache="${VOLLEY_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-volley-tools}"
# The CLI warns about language hosts found on PATH but not next to itself, so
# gather hard links of all of them in one folder (relinked after rebuilds).
_volley_bin="$_volley_cache/toolbin"
mkdir -p "$_volley_bin"
for _f in "$VOLLEY_PULUMI_BIN/pulumi" "$VOLLEY_LANGHOST_BIN"/pulumi-language-nodejs "$VOLLEY_LANGHOST_BIN"/pulumi-language-python \
  "$VOLLEY_LANGHOST_BIN"/pulumi-language-go "$VOLLEY_YAML_BIN/pulumi-language-yaml"; do
  # A symbolic link when a hard one cannot be made (another file system).
  [ "$_volley_bin/${_f##*/}" -ef "$_f" ] || ln -f "$_f" "$_volley_bin/${_f##*/}" 2>/dev/null ||
    ln -sf "$_f" "$_volley_bin/${_f##*/}" || return 1
done
export PATH="$_volley_bin:$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$_volley_cache/pulumi-home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$_volley_cache/state}"
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
export VOLLEY_LANGHOST_OMIT_PACKAGES="${VOLLEY_LANGHOST_OMIT_PACKAGES-aws gcp azure-native}"
if [[ $- == *i* ]]; then
  printf '%s\n' "pulumi $PULUMI_VERSION (offline toolchain) on PATH" \
    "  PULUMI_HOME=$PULUMI_HOME" "  PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL" \
    "  PULUMI_CONFIG_PASSPHRASE $([ -n "$PULUMI_CONFIG_PASSPHRASE" ] && echo 'as you set it' || echo 'empty: stack secrets are encrypted with an empty passphrase')" \
    "  plugin downloads off; plugins not reported: ${VOLLEY_LANGHOST_OMIT_PACKAGES:-none}" >&2
fi
unset _volley_tools _volley_cache _volley_bin _f
