"""Import time and peak memory of `diplograph import` on the ICEWS TKG benchmarks and ATOP.

Each import runs as its own process (`diplograph import FORMAT PATH --db FRESH --json`) into
a fresh store; the figures are its wall time (import and graph rebuild), the child's peak
resident memory (ru_maxrss), the claims it stored and the store's size on disk.

    python bench/import_bench.py [--shared ../shared] [--out bench/results/import.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the CLI in a child process that reports its own peak memory (ru_maxrss, KiB) on exit
_CHILD = """
import resource, sys
from diplograph.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print("ru_maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run(fmt: str, path: Path, db: Path) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, "import", fmt, str(path), "--db", str(db), "--json"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{fmt} {path} failed:\n{proc.stderr}")
    peak = int(proc.stderr.strip().splitlines()[-1].split()[-1])
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "format": fmt, "path": str(path), "wall_s": round(wall, 2), "import_s": report["import_seconds"],
        "import_and_rebuild_s": report["seconds"],
        "peak_rss_mb": round(peak / 1024, 1), "rows": report["rows"], "claims": report["claims"],
        "skipped": report["skipped"], "graph": report["rebuild"],
        "store_mb": round(db.stat().st_size / 2**20, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder")
    ap.add_argument("--out", default=None, help="also write the results here (JSON)")
    args = ap.parse_args()
    shared = Path(args.shared)
    jobs = [("atop", shared / "data" / "alliances" / "atop5_1m.csv")]
    jobs += [("tkg", shared / "data" / "tkg" / n) for n in ("ICEWS14", "ICEWS18", "ICEWS05-15")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, path in jobs:
            if not path.exists():
                print(f"skipped {path}: absent", file=sys.stderr)
                continue
            r = run(fmt, path, Path(tmp) / f"{path.name}.duckdb")
            results.append(r)
            print(f"{path.name:12} {r['wall_s']:7.1f}s wall (read+store {r['import_s']:.1f}s, with graph rebuild {r['import_and_rebuild_s']:.1f}s)  "
                  f"peak {r['peak_rss_mb']:7.1f} MB  {r['rows']:>8,} rows  {r['claims']:>7,} claims  "
                  f"store {r['store_mb']:.1f} MB", flush=True)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "200")
    main()
