#!/usr/bin/env bash
# Regenerate the golden vectors into a temporary folder with pyignite 0.6.1 and
# compare them with the committed Tests/Vectors. Exits non-zero on any difference.
#
#   bash Tools/golden/check.sh
#
# The venv is .venv-golden at the repository root (git-ignored); it is created
# with `python3 -m venv` and `pip install pyignite==0.6.1` when it is missing or
# holds another pyignite version. GOLDEN_VENV overrides its location.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${GOLDEN_VENV:-$ROOT/.venv-golden}"
PYIGNITE_VERSION="0.6.1"

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("pyignite") != sys.argv[1])' \
            "$PYIGNITE_VERSION" 2>/dev/null
}

if ! venv_ok; then
    echo "check.sh: setting up $VENV with pyignite==$PYIGNITE_VERSION" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "pyignite==$PYIGNITE_VERSION"
    venv_ok || { echo "check.sh: could not install pyignite==$PYIGNITE_VERSION" >&2; exit 2; }
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" "$ROOT/Tools/golden/generate.py" --out "$TMP/Vectors" >/dev/null

if diff -r "$ROOT/Tests/Vectors" "$TMP/Vectors" >"$TMP/diff.txt"; then
    echo "check.sh: Tests/Vectors matches pyignite $PYIGNITE_VERSION output"
else
    echo "check.sh: Tests/Vectors differs from freshly generated vectors:" >&2
    head -c 4000 "$TMP/diff.txt" >&2
    echo >&2
    exit 1
fi
