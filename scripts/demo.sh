#!/usr/bin/env bash
# Install diplograph, ingest sample articles into a fresh demo store and show what it found.
# Uses ../shared/seeds when that folder exists, else the bundled sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dg=.venv/bin/diplograph
corpus=../shared/seeds
actor=Uzbekistan
if [ ! -d "$corpus" ]; then corpus=diplograph/data/samples; actor=Kazakhstan; fi
export DIPLOGRAPH_DB=${DIPLOGRAPH_DB:-demo.duckdb}
rm -f "$DIPLOGRAPH_DB" "$DIPLOGRAPH_DB.wal"
echo "== diplograph ingest $corpus   (store: $DIPLOGRAPH_DB)"
"$dg" ingest "$corpus"
echo; echo "== diplograph docs"
"$dg" docs
echo; echo "== diplograph claims --limit 25"
"$dg" claims --limit 25
echo; echo "== diplograph allies $actor"
"$dg" allies "$actor"
echo; echo "== diplograph conflicts"
"$dg" conflicts
