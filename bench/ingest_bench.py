"""Time and peak memory of ingestion: the five seeds, then synthetic corpora.

    python bench/ingest_bench.py [--sizes 2000 10000] [--seeds ../shared/seeds] [--out bench/out]

Each run is a fresh process ingesting into a fresh store (one transaction per document,
as in production), so its peak RSS (ru_maxrss) is its own. Corpora come from
bench/make_corpus.py (mixed: ~80% text, 10% HTML, 10% JSON Lines, 5% near-duplicates)
and are generated once under --out. Prints one line per run and a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from diplograph import Graph
from diplograph.documents import fingerprint, read
t1 = time.perf_counter()
c0 = time.process_time()
if sys.argv[1] == "--read-only":  # reading, cleaning, dating, fingerprinting; no store
    t2 = time.perf_counter()
    summary = {"ingested": 0, "near_duplicates": 0, "duplicates": 0, "failed": 0}
    for item in read([sys.argv[2]], max_bytes=20 * 1024 * 1024):
        if hasattr(item, "text"):
            fingerprint(item.text)
            summary["ingested"] += 1
        else:
            summary["failed"] += 1
    t3 = time.perf_counter()
else:
    with Graph.open(sys.argv[1]) as g:
        t2 = time.perf_counter()
        summary = g.ingest([sys.argv[2]]).summary()
        t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "ingest_s": t3 - t2, "cpu_s": time.process_time() - c0, **summary,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(name: str, corpus: Path, out: Path, *, read_only: bool = False) -> dict:
    db = out / f"{name}.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    target = "--read-only" if read_only else str(db)
    proc = subprocess.run([sys.executable, "-c", CHILD, target, str(corpus)], capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{name}: ingest failed:\n{proc.stderr}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    docs = res["ingested"] + res["near_duplicates"]
    res.update(name=name, wall_s=wall, docs=docs, docs_per_s=docs / res["ingest_s"] if res["ingest_s"] else 0.0,
               docs_per_cpu_s=docs / res["cpu_s"] if res["cpu_s"] else 0.0)
    print(f"{name:>18}: {docs:>6} docs ({res['near_duplicates']} near-dup, {res['failed']} failed) "
          f"in {res['ingest_s']:6.1f} s = {res['docs_per_s']:6.1f} docs/s "
          f"({res['docs_per_cpu_s']:.0f} per CPU-second); "
          f"peak RSS {res['peak_rss_mb']:.0f} MB; process {wall:.1f} s (imports {res['import_s']:.1f} s)",
          flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 10000])
    ap.add_argument("--text-sizes", type=int, nargs="*", default=[2000],
                    help="plain-text-only corpora (the docs/s target is for plain text)")
    ap.add_argument("--seeds", type=Path, default=HERE.parent.parent / "shared" / "seeds")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--fresh", action="store_true", help="regenerate the corpora")
    ap.add_argument("--read-only", action="store_true",
                    help="also time reading+cleaning+fingerprinting alone (no store) on each corpus")
    ap.add_argument("--json", action="store_true", help="print every figure as JSON at the end")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from make_corpus import write_corpus

    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    if args.seeds.is_dir():
        results.append(run("seeds", args.seeds, args.out))
    for n, text_only in [(n, True) for n in args.text_sizes] + [(n, False) for n in args.sizes]:
        name = f"{'text' if text_only else 'mixed'}-{n}"
        corpus = args.out / f"corpus-{name}"
        if args.fresh and corpus.exists():
            shutil.rmtree(corpus)
        if not corpus.exists():
            write_corpus(corpus, n, seed=7, text_only=text_only)
        results.append(run(name, corpus, args.out))
        if args.read_only:
            results.append(run(f"{name} (read only)", corpus, args.out, read_only=True))
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
