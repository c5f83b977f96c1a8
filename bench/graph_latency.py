"""Latency of graph questions (allies, timeline, members) through the Python API on a store
holding imported datasets.

Builds the store once if it does not exist (`diplograph import tkg ICEWS05-15`, plus
`atop` and `cow-igo` so that alliances and memberships are there to ask about; add
`--with ICEWS18` for more events), then asks each question for many actors and reports
p50/p95 in milliseconds, the store's claim, fact and state counts and its size on disk.

    python bench/graph_latency.py [--db /tmp/icews0515.duckdb] [--with ICEWS18] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from diplograph import Graph

ROOT = Path(__file__).resolve().parent.parent


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def build(db: Path, shared: Path, extra: list[str]) -> None:
    with Graph.open(db) as g:
        for fmt, path in [("tkg", shared / "data" / "tkg" / "ICEWS05-15"),
                          *[("tkg", shared / "data" / "tkg" / n) for n in extra],
                          ("atop", shared / "data" / "alliances" / "atop5_1m.csv"),
                          ("cow-igo", shared / "data" / "alliances" / "cow_igo_v3_membership_spells_manyios.csv")]:
            t0 = time.perf_counter()
            r = g.import_dataset(fmt, path)
            print(f"built: {r.summary()} [{time.perf_counter() - t0:.1f}s]", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/diplograph-bench-icews0515.duckdb")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--with", dest="extra", action="append", default=[], help="another TKG folder name to import")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--actors", type=int, default=60, help="how many actors (most claims first)")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        build(db, Path(args.shared), args.extra)
    with Graph.open(db) as g:
        con = g.store.conn
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("claims", "facts", "states")}
        actors = [r[0] for r in con.execute(
            "SELECT a, count(*) n FROM (SELECT subject_id a FROM claims UNION ALL SELECT object_id FROM claims) "
            "JOIN (SELECT 1) ON TRUE WHERE a IN (SELECT id FROM (SELECT DISTINCT subject_id id FROM claims "
            "WHERE subject_kind = 'state')) GROUP BY a ORDER BY n DESC, a LIMIT ?", [args.actors]).fetchall()]
        orgs = [r[0] for r in con.execute(
            "SELECT b_id, count(*) n FROM states WHERE state = 'member_of' GROUP BY b_id ORDER BY n DESC").fetchall()]
        days = ["1995-06-01", "2006-01-01", "2010-06-01", "2014-03-01"]
        times: dict[str, list[float]] = {"allies": [], "timeline": [], "members": []}
        for _ in range(args.repeat):
            for i, a in enumerate(actors):
                t0 = time.perf_counter()
                g.allies(a, at=days[i % len(days)])
                times["allies"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                g.timeline(a, start="2014-01-01", end="2014-12-31")
                times["timeline"].append(time.perf_counter() - t0)
            for i, o in enumerate(orgs):
                t0 = time.perf_counter()
                g.members(o, at=days[i % len(days)])
                times["members"].append(time.perf_counter() - t0)
    out = {"store": str(db), "store_mb": round(db.stat().st_size / 2**20, 1), **counts,
           "actors": len(actors), "organisations": len(orgs)}
    for k, xs in times.items():
        out[k] = {"n": len(xs), "p50_ms": round(1000 * statistics.median(xs), 1), "p95_ms": round(1000 * pct(xs, 95), 1)}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
