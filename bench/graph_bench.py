"""The graph at scale: build a store of N synthetic claims (default one million) about
real states, consolidate it (rebuild facts, relation states, conflicts), and time the
as-of questions through the Python API.

    .venv/bin/python bench/graph_bench.py --claims 1000000 --db /tmp/graph1m.duckdb
    .venv/bin/python bench/graph_bench.py --db /tmp/graph1m.duckdb --reuse   # queries only

Prints the consolidation time, p50/p95 latency of allies, timeline and members, and the
store size on disk. Claims are inserted in bulk (as a dataset import would); documents are
not needed for the graph.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from diplograph import Graph
from diplograph.facts import fact_key
from diplograph.mentions.knowledge import knowledge
from diplograph.models import ActorRef, Claim, PartialDate

TYPES = [("alliance", 0.03), ("strategic_partnership", 0.04), ("diplomatic_relations", 0.05),
         ("embassy_opened", 0.04), ("agreement_signed", 0.2), ("visit", 0.2), ("summit_meeting", 0.2),
         ("military_cooperation", 0.08), ("arms_transfer", 0.04), ("conflict_action", 0.04),
         ("accession_membership", 0.04), ("quantity", 0.04)]


def build(g: Graph, n: int, seed: int) -> None:
    rng = random.Random(seed)
    k = knowledge()
    states = [a for a in k.actors.values() if a.kind == "state" and a.id not in ("SUN", "YUG", "CSK", "DDR")]
    orgs = [a for a in k.actors.values() if a.kind in ("organisation", "accord")]
    names, weights = zip(*TYPES)
    now = datetime(2026, 1, 1)
    rows = []
    cols = [r[0] for r in g.store.conn.execute("DESCRIBE claims").fetchall()]
    for i in range(n):
        t = rng.choices(names, weights)[0]
        a = rng.choice(states)
        b = rng.choice(orgs) if t == "accession_membership" else rng.choice(states)
        if a.id == b.id:
            continue
        d = date(1991, 1, 1) + timedelta(days=rng.randrange(35 * 365))
        prec = rng.choice(["day", "month", "year"])
        value = {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[prec]
        pd_ = PartialDate(value, prec)
        lo, hi = pd_.bounds()
        modality = rng.choices(["asserted", "speculative", "planned", "negated"], [0.85, 0.07, 0.05, 0.03])[0]
        c = Claim(doc=None, type=t, subject=ActorRef(a.id, a.name, a.kind), object=ActorRef(b.id, b.name, b.kind),
                  modality=modality, evidence_text="", evidence_start=0, evidence_end=0, date=pd_)
        if t == "quantity":
            c.quantity = {"value": float(rng.randrange(1, 10_000)) * 1e6, "unit": "USD", "metric": "trade_turnover"}
        rec = dict.fromkeys(cols)
        rec.update(id=f"syn:{i}", type=t, subject_id=a.id, subject_name=a.name, subject_kind=a.kind,
                   object_id=b.id, object_name=b.name, object_kind=b.kind, date_value=value, date_precision=prec,
                   date_start=lo, date_end=hi, modality=modality, confidence=0.8, extractor="synthetic",
                   source_kind="dataset", source_name="synthetic", source_record=str(i),
                   created_at=now, fact_key=fact_key(c),
                   quantity_value=(c.quantity or {}).get("value"), quantity_unit=(c.quantity or {}).get("unit"),
                   quantity_metric=(c.quantity or {}).get("metric"))
        rows.append(rec)
        if len(rows) >= 200_000:
            _flush(g, rows, cols)
    _flush(g, rows, cols)


def _flush(g: Graph, rows: list, cols: list) -> None:
    if not rows:
        return
    df = pd.DataFrame(rows, columns=cols)
    g.store.conn.register("_syn", df)
    g.store.conn.execute("INSERT INTO claims SELECT * FROM _syn")
    g.store.conn.unregister("_syn")
    rows.clear()


def timed(fn, *args, **kw) -> float:
    t = time.perf_counter()
    fn(*args, **kw)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/graph1m.duckdb"))
    ap.add_argument("--reuse", action="store_true", help="keep the store and only time the queries")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not args.reuse:
        for p in (args.db, Path(str(args.db) + ".wal")):
            p.unlink(missing_ok=True)
    g = Graph.open(args.db)
    if not args.reuse:
        t = time.perf_counter()
        build(g, args.claims, args.seed)
        print(f"inserted {g.store.count_claims():,} claims in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        counts = g.rebuild()
        print(f"consolidation (rebuild): {time.perf_counter() - t:.1f} s -> {counts}")
    g.store.conn.execute("CHECKPOINT")
    rng = random.Random(args.seed)
    states = [a.id for a in knowledge().actors.values() if a.kind == "state"][:190]
    orgs = ["NATO", "EU", "UN", "ASEAN", "AU", "OTS", "SCO", "CSTO"]
    results = {}
    for name, call in (
        ("allies", lambda: g.allies(rng.choice(states), at=f"{rng.randrange(1995, 2026)}-06-30")),
        ("timeline", lambda: g.timeline(rng.choice(states), rng.choice(states))),
        ("members", lambda: g.members(rng.choice(orgs), at=f"{rng.randrange(1995, 2026)}-06-30")),
    ):
        call()  # warm
        ms = sorted(timed(call) for _ in range(args.queries))
        results[name] = (statistics.median(ms), ms[int(0.95 * len(ms)) - 1])
    for name, (p50, p95) in results.items():
        print(f"{name:<9} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({args.queries} queries)")
    size = sum(p.stat().st_size for p in (args.db, Path(str(args.db) + ".wal")) if p.exists())
    print(f"store size on disk: {size / 1e6:.0f} MB; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    g.close()


if __name__ == "__main__":
    os.environ.setdefault("DIPLOGRAPH_TRACE", "0")
    main()
