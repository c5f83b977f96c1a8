"""The graph at scale: build a store of N synthetic claims (default one million) about
real states, consolidate it (rebuild facts, relation states, conflicts), and time the
as-of questions through the Python API.

    .venv/bin/python bench/graph_bench.py --claims 100000 1000000 --base COMMIT
    .venv/bin/python bench/graph_bench.py --claims 1000000                    # this tree only
    .venv/bin/python bench/graph_bench.py --db STORE --reuse                  # queries only

The claim stores are built once (in --work, kept between runs: a million claims take a few
minutes) and copied for each run. With --base, that commit's code (``git archive``) and the
working tree's each rebuild a copy (one after the other), then answer the same questions
(same seed) in two processes kept open, question by question, the first to answer
alternating: the shared machine's load changes from one second to the next, and timed one
after the other the same code path differed 3x at p95 (bench/README.md). Each question is
sent through a pipe and timed in the process that answers it, as `diplograph serve` would.
The load average is printed with each. Prints the rebuild time, p50/p95 latency of allies,
timeline and members, the store size on disk and base/new ratios. Claims are inserted in bulk (as a dataset import
would); documents are not needed for the graph.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from diplograph import Graph
from diplograph.facts import fact_key
from diplograph.mentions.knowledge import knowledge
from diplograph.models import ActorRef, Claim, PartialDate

ROOT = Path(__file__).resolve().parent.parent

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


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from diplograph import Graph, queries
from diplograph.store import Store

db, do_rebuild = sys.argv[1], sys.argv[2] == "1"
out = {"code": queries.__file__}
if do_rebuild:
    store = Store.open(db)  # migrates; deriving is timed alone
    t = time.perf_counter()
    out["counts"] = queries.rebuild(store)
    store.clear_pending(store.pending())
    out["rebuild_s"] = round(time.perf_counter() - t, 1)
    store.conn.execute("CHECKPOINT")
    store.close()
g = Graph.open(db)
g.store.conn.execute("CHECKPOINT")
ask = {"allies": lambda a, b: g.allies(a, at=b), "timeline": lambda a, b: g.timeline(a, b),
       "members": lambda a, b: g.members(a, at=b)}
print(json.dumps(out), flush=True)
for line in sys.stdin:  # one question at a time; the answer's time goes back
    kind, a, b = line.split()
    t = time.perf_counter()
    ask[kind](a, b)
    print(f"{(time.perf_counter() - t) * 1000:.3f}", flush=True)
g.close()
print(json.dumps({"store_mb": round(sum(p.stat().st_size for p in (Path(db), Path(db + ".wal")) if p.exists()) / 1e6),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


class Child:
    """A process answering the questions with one copy of the code on one store (after
    rebuilding it, when asked to): it reports the rebuild, then times each question sent."""

    def __init__(self, code: Path, db: Path, rebuild: bool) -> None:
        self.code = code
        self.err = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed by close(); a file: progress bars would fill a pipe
        # run outside the checkout: ``python -c`` puts the working directory first on sys.path
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), "1" if rebuild else "0"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True,
                                     env={**os.environ, "PYTHONPATH": str(code)}, cwd=tempfile.gettempdir())
        line = self._line()
        while not line.startswith("{"):  # DuckDB draws its progress bars of a long rebuild on stdout
            line = self._line()
        self.report = json.loads(line)

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            self.err.seek(0)
            raise SystemExit(f"child failed ({self.code}):\n{self.err.read()[-3000:]}")
        return line

    def ask(self, question: str) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        return float(self._line())

    def close(self) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.report.update(json.loads(self._line()))
        self.proc.wait()
        self.err.close()
        return self.report


def questions(n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` questions of each kind, interleaved: allies of a state on a day, the timeline of
    two states, the members of an organisation on a day (random, the same for every run)."""
    rng = random.Random(seed)
    states = [a.id for a in knowledge().actors.values() if a.kind == "state"][:190]
    orgs = ["NATO", "EU", "UN", "ASEAN", "AU", "OTS", "SCO", "CSTO"]
    out = []
    for _ in range(n):
        out.append(("allies", rng.choice(states), f"{rng.randrange(1995, 2026)}-06-30"))
        out.append(("timeline", rng.choice(states), rng.choice(states)))
        out.append(("members", rng.choice(orgs), f"{rng.randrange(1995, 2026)}-06-30"))
    return out


def time_questions(children: dict[str, Child], n: int, seed: int) -> dict[str, dict[str, dict[str, float]]]:
    """p50/p95 per kind of question and code: each question goes to every child in turn,
    the first one alternating, so that the shared machine's load falls on all alike."""
    asked = questions(n, seed)
    names = list(children)
    for kind, a, b in asked[:3]:  # warm
        for c in children.values():
            c.ask(f"{kind} {a} {b}")
    ms: dict[tuple[str, str], list[float]] = {}
    for i, (kind, a, b) in enumerate(asked):
        for name in names if i % 2 == 0 else names[::-1]:
            ms.setdefault((name, kind), []).append(children[name].ask(f"{kind} {a} {b}"))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for (name, kind), xs in ms.items():
        xs.sort()
        out.setdefault(name, {})[kind] = {"p50_ms": round(statistics.median(xs), 1),
                                          "p95_ms": round(xs[int(0.95 * len(xs)) - 1], 1)}
    return out


BUILD = r"""
import sys, time
sys.path.insert(0, sys.argv[4])
from graph_bench import build
from diplograph import Graph
with Graph.open(sys.argv[1]) as g:
    t = time.perf_counter()
    build(g, int(sys.argv[2]), int(sys.argv[3]))
    g.store.conn.execute("CHECKPOINT")
    print(f"inserted {g.store.count_claims():,} claims in {time.perf_counter() - t:.1f} s", flush=True)
"""


def claims_store(n: int, seed: int, folder: Path, code: Path) -> Path:
    """A store of ``n`` synthetic claims and nothing derived, built once and kept, by the
    oldest code compared (a newer schema opens an older store, not the other way)."""
    path = folder / f"claims-{n}-{seed}-{code.name}.duckdb"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-c", BUILD, str(tmp), str(n), str(seed), str(Path(__file__).parent)],
                       env={**os.environ, "PYTHONPATH": str(code)}, cwd=tempfile.gettempdir(), check=True)
        tmp.rename(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--db", type=Path, default=None, help="with --reuse: a built store whose queries to time")
    ap.add_argument("--reuse", action="store_true", help="keep the store and only time the queries")
    ap.add_argument("--base", help="also run this commit's code on the same stores, question by question "
                                   "alternating with the working tree's")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "diplograph-graph-bench",
                    help="where the synthetic claim stores are kept between runs")
    ap.add_argument("--queries", type=int, default=200, help="questions of each kind")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.reuse:
        if args.db is None:
            raise SystemExit("--reuse needs --db, a store built by an earlier run")
        c = Child(ROOT, args.db.resolve(), rebuild=False)
        timed = time_questions({"new": c}, args.queries, args.seed)["new"]
        print(json.dumps({**c.close(), **timed, "load": os.getloadavg()}, indent=1))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        codes = {"new": ROOT}
        if args.base:
            base = Path(tmp) / "base"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base, "diplograph"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            codes = {"base": base, "new": ROOT}
        report: dict[str, object] = {"date": time.strftime("%Y-%m-%d %H:%M"), "base": args.base,
                                     "load_before": os.getloadavg()}
        for n in args.claims:
            src = claims_store(n, args.seed, args.work, codes.get("base", ROOT))
            children = {}
            for name, code in codes.items():  # each rebuilds its copy alone, then waits
                db = Path(tmp) / f"{name}-{n}.duckdb"
                shutil.copy(src, db)
                children[name] = Child(code, db, rebuild=True)
                print(f"{n:>9,} claims, {name:<4}: rebuild {children[name].report['rebuild_s']:6.1f} s "
                      f"| load {os.getloadavg()[0]:.1f}", flush=True)
            timed = time_questions(children, args.queries, args.seed)
            load = os.getloadavg()
            for name, c in children.items():
                r = {**c.close(), **timed[name], "load": load}
                report[f"{n}/{name}"] = r
                print(f"{n:>9,} claims, {name:<4}: "
                      + " | ".join(f"{q} p50 {r[q]['p50_ms']:6.1f} p95 {r[q]['p95_ms']:6.1f} ms"
                                   for q in ("allies", "timeline", "members"))
                      + f" | {r['store_mb']} MB | load {load[0]:.1f}", flush=True)
                for f in Path(tmp).glob(f"{name}-{n}.duckdb*"):
                    f.unlink()
            if args.base:
                b, w = report[f"{n}/base"], report[f"{n}/new"]
                ratios = {"rebuild": round(b["rebuild_s"] / w["rebuild_s"], 1)}  # type: ignore[index]
                for q in ("allies", "timeline", "members"):
                    for p in ("p50_ms", "p95_ms"):
                        ratios[f"{q} {p[:3]}"] = round(b[q][p] / w[q][p], 2)  # type: ignore[index]
                report[f"{n}/base_over_new"] = ratios
                print(f"{n:>9,} claims: base/new: {ratios}", flush=True)
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
