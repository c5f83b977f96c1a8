#!/usr/bin/env bash
# Re-create diplograph/web/static/vendor/ from pinned npm packages (run by a maintainer,
# never at run time: the vendored files are committed). Each package's licence file is
# copied beside its code; all are permissive (ISC, MIT; swagger-ui-dist, for /docs: Apache-2.0).
# Also writes iso_numeric.json (ISO 3166 numeric -> alpha-3, from pycountry), which the
# map needs because world-atlas identifies countries by their numeric code.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=diplograph/web/static/vendor
PACKAGES=(world-atlas@2.0.2 topojson-client@3.1.0 d3@7.9.2 cytoscape@3.34.4 swagger-ui-dist@5.35.0)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT" && mkdir -p "$OUT"
for spec in "${PACKAGES[@]}"; do
  name=${spec%@*}
  (cd "$WORK" && npm pack --silent "$spec" >/dev/null && mkdir -p "$name" && tar -xzf "$name"-*.tgz -C "$name")
  pkg="$WORK/$name/package"
  mkdir -p "$OUT/$name"
  cp "$pkg"/LICENSE* "$OUT/$name/"
  cp "$pkg/package.json" "$OUT/$name/package.json"
done
cp "$WORK/world-atlas/package/countries-110m.json" "$OUT/world-atlas/"
cp "$WORK/topojson-client/package/dist/topojson-client.min.js" "$OUT/topojson-client/"
cp "$WORK/d3/package/dist/d3.min.js" "$OUT/d3/"
cp "$WORK/cytoscape/package/dist/cytoscape.min.js" "$OUT/cytoscape/"
cp "$WORK/swagger-ui-dist/package/"{swagger-ui-bundle.js,swagger-ui.css,NOTICE} "$OUT/swagger-ui-dist/" 2>/dev/null || \
  cp "$WORK/swagger-ui-dist/package/"{swagger-ui-bundle.js,swagger-ui.css} "$OUT/swagger-ui-dist/"
PY=${PYTHON:-.venv/bin/python}  # needs pycountry (pinned in constraints.txt): pip install -c constraints.txt pycountry
"$PY" - "$OUT/iso_numeric.json" <<'PYEOF'
import json, sys
import pycountry
mapping = {c.numeric: c.alpha_3 for c in pycountry.countries}
# Kosovo has no ISO 3166 code, so world-atlas leaves its shape without an id: map it by
# name to the id diplograph uses for it (diplograph/data/actors/states.csv: XKX).
from importlib.metadata import version
with open(sys.argv[1], "w") as f:
    json.dump({"source": f"ISO 3166-1 via pycountry {version('pycountry')}; Kosovo: diplograph's XKX",
               "numeric_to_alpha3": dict(sorted(mapping.items())),
               "name_to_alpha3": {"Kosovo": "XKX"}}, f, indent=0)
PYEOF
ls -la "$OUT"/*
