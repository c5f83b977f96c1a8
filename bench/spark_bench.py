"""The Spark job beside a local ingest, on the same corpus, in one run; and how long the
store takes to consolidate (import parquet + rebuild) N claims from a Spark output.

    .venv/bin/python bench/spark_bench.py                        # eval/articles, local[2]
    .venv/bin/python bench/spark_bench.py --consolidate 100000 1000000

Corpus: each side is a fresh process, as a user runs it: ``diplograph ingest CORPUS`` into
a new store; ``diplograph spark extract CORPUS --master local[2]`` then ``diplograph
import parquet`` into a new store. Prints wall time and articles/s of each, their ratio,
and compares the two stores' claims (every column but ``created_at``, the time a claim was
learned): equal, or the exact differences.

Consolidation: N synthetic claims (bench/graph_bench.py's generator) written as the
Parquet a Spark job leaves, then ``diplograph import parquet`` (load + rebuild of facts,
relation states and conflicts) into a fresh store in a fresh process: time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "diplograph"


def run(args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    done = subprocess.run(args, check=False, capture_output=True, text=True)
    took = time.perf_counter() - t
    if done.returncode not in (0, 1) or not done.stdout.strip():  # 1: some inputs failed, said on stderr
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    said = [line for line in done.stdout.splitlines() if "->" in line or "claims," in line]
    return took, said[-1] if said else ""


def claims(db: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        cols = [r[0] for r in c.execute("DESCRIBE claims").fetchall() if r[0] != "created_at"]
        return {r[0]: r for r in c.execute(f"SELECT {', '.join(cols)} FROM claims").fetchall()}


def count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def corpus(path: Path, master: str, work: Path) -> None:
    articles = sum(1 for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    local_db, spark_db, out = work / "local.duckdb", work / "spark.duckdb", work / "out"
    t_local, said_local = run([str(BIN), "ingest", str(path), "--db", str(local_db)])
    t_spark, said_spark = run([str(BIN), "spark", "extract", str(path), "--out", str(out), "--master", master])
    t_import, said_import = run([str(BIN), "import", "parquet", str(out), "--db", str(spark_db)])
    load = os.getloadavg()[0]
    docs = count(local_db, "documents")
    print(f"corpus {path} ({articles} files, {docs} documents); load average at the end {load:.1f}")
    print(f"  local ingest          {t_local:7.1f} s  {docs / t_local:5.1f} docs/s   {said_local}")
    print(f"  spark {master:<9} extract {t_spark:7.1f} s  {docs / t_spark:5.1f} docs/s   {said_spark}")
    print(f"  import parquet        {t_import:7.1f} s                   {said_import}")
    print(f"  spark / local time: {t_spark / t_local:.2f}x (extract), {(t_spark + t_import) / t_local:.2f}x (with import)")
    a, b = claims(local_db), claims(spark_db)
    only_local, only_spark = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    differ = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    if not (only_local or only_spark or differ):
        print(f"  claims: equal ({len(a)} in each store)")
        return
    print(f"  claims: {len(a)} local, {len(b)} spark; only local {only_local}, only spark {only_spark}")
    for k in differ:
        print(f"    {k}: local {a[k]}\n    {' ' * len(k)}  spark {b[k]}")


def consolidate(n: int, work: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from graph_bench import build

    from diplograph import Graph

    src = work / f"src{n}.duckdb"
    with Graph.open(src) as g:
        build(g, n, seed=1)
        g.store.conn.execute("DELETE FROM derive_pending")  # only the export is wanted here
        out = work / f"parquet{n}"
        out.mkdir()
        for name in ("documents", "claims"):  # as the Spark job leaves them: a folder of parts
            (out / f"{name}.parquet").mkdir()
            g.store.conn.execute(f"COPY (SELECT * FROM {name}) TO '{out / name}.parquet/part-0.parquet' (FORMAT parquet)")
        claims_n = g.store.count_claims()
    src.unlink()
    db = work / f"dst{n}.duckdb"
    took, said = run([str(BIN), "import", "parquet", str(out), "--db", str(db)])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest import so far
    size = db.stat().st_size / 1e6
    print(f"consolidate {claims_n:>9,} claims: import parquet + rebuild {took:6.1f} s "
          f"({claims_n / took:,.0f} claims/s), peak RSS {peak:,.0f} MB, store {size:.0f} MB; {said}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "articles")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--consolidate", type=int, nargs="*", metavar="N",
                    help="time import parquet + rebuild of N synthetic claims instead of the corpus run")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a new temporary one)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="spark-bench-", dir=args.work))
    try:
        print(f"{time.strftime('%Y-%m-%d %H:%M')}  python {sys.version.split()[0]}")
        if args.consolidate:
            for n in args.consolidate:
                consolidate(n, work)
        else:
            corpus(args.corpus, args.master, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
