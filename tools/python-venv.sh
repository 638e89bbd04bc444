#!/usr/bin/env bash
# A virtualenv with the Pulumi Python SDK (pinned) for the Python SDK tests.
# Usage: tools/python-venv.sh   (prints the venv directory on stdout)
. "$(dirname "$0")/lib.sh"

VENV="$CACHE_ROOT/venv-pulumi-$PULUMI_PY_VERSION"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import pulumi, pytest, parver, semver, setuptools" 2>/dev/null; then
  echo "$VENV"; exit 0
fi
step "python venv with pulumi==$PULUMI_PY_VERSION" python3 -m venv "$VENV"
step "pip install pulumi==$PULUMI_PY_VERSION, pytest and the SDK build/runtime dependencies" \
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pulumi==$PULUMI_PY_VERSION" "pytest==8.3.5" \
    "parver==0.5" "semver==3.0.4" "setuptools==75.8.0" "wheel==0.45.1"
echo "$VENV"
