"""Ingest speed before and after a change, side by side in one run (issue 13, item 2:
recording pending derivations must not slow ingestion down).

    .venv/bin/python bench/pending_bench.py --base 370d0f9 [--new COMMIT] [--only PATH ...]
        [--corpus eval/articles] [--store-docs 2000] [--repeat 2]

The base commit's code (and ``--new``'s, else the working tree's) is unpacked with ``git
archive`` into a temporary folder and put first on PYTHONPATH of its child processes.
Runs alternate (base, new, base, new, ...) so that the shared machine's load falls on both
alike. Two measures, each a fresh process ingesting the corpus into a fresh store:

- ``full``: ``Graph.ingest`` as the CLI runs it (extraction included);
- ``store``: ``Graph.ingest`` of a larger synthetic corpus (bench/make_corpus.py, plain
  text, ``--store-docs`` articles) with every document's claims extracted beforehand
  (cached by document id), which leaves the store's share (transactions, near-duplicate
  look-ups, the derivation at the end) where a difference would show.

Last, in one process of the new code, 2,000 document transactions (a document and six
claims) with and without the pending record, in alternating blocks: its cost alone.

Prints one line per run and a JSON summary with the medians (wall-clock and CPU seconds of
the ingest call; CPU time is the steadier figure on a shared machine) and new/base ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import json, pickle, sys, time
import diplograph
from diplograph import Graph
mode, db, corpus, cache = sys.argv[1:5]
if mode == "txn":  # one document transaction, with and without recording pending derivation
    import statistics
    from diplograph.store import Store
    from diplograph.models import ActorRef, Claim, Document, PartialDate
    st, real, n = Store.open(db), Store.mark_pending, 0
    a, b = ActorRef("KAZ", "Kazakhstan", "state"), ActorRef("KGZ", "Kyrgyzstan", "state")
    res = {"with": [], "without": []}
    for block in range(10):
        for side in (("with", "without") if block % 2 == 0 else ("without", "with")):
            Store.mark_pending = real if side == "with" else (lambda self, ids: None)
            t = time.perf_counter()
            for _ in range(200):
                n += 1
                d = Document(id=f"d{n:015d}", source="x", raw_text="x" * 3000, text="x" * 3000, published=None,
                             published_method="unknown")
                claims = [Claim(doc=d.id, type="alliance", subject=a, object=b, modality="asserted",
                                evidence_text="e" * 200, evidence_start=0, evidence_end=200,
                                date=PartialDate.parse("2021-03-03")) for _ in range(6)]
                with st.transaction():
                    st.add_document(d)
                    st.add_claims(claims, doc_id=d.id)
            res[side].append((time.perf_counter() - t) / 200 * 1000)
    print(json.dumps({k: statistics.median(v) for k, v in res.items()}))
    raise SystemExit
if mode == "cache":
    out = {}
    g = Graph.__new__(Graph)
    from diplograph.settings import load_settings
    g.settings = load_settings()
    for item in g.extract([corpus]):
        if isinstance(item, tuple):
            doc, claims = item
            for c in claims:
                c.doc = doc.id
            out[doc.id] = claims
    pickle.dump(out, open(cache, "wb"))
    print(json.dumps({"cached": len(out), "code": diplograph.__file__}))
    raise SystemExit
if mode == "store":
    cached = pickle.load(open(cache, "rb"))
    def _extract(doc, *, name=None):
        return list(cached.get(doc.id, []))
    Graph._extract = staticmethod(_extract)
with Graph.open(db) as g:
    t, c = time.perf_counter(), time.process_time()
    r = g.ingest([corpus])
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    n_facts = g.store.conn.execute("SELECT count(*) FROM facts").fetchall()[0][0]
print(json.dumps({"seconds": dt, "cpu_seconds": cpu, "docs": len(r.ingested) + len(r.near_duplicates), "claims": r.claims,
                  "facts": n_facts, "code": diplograph.__file__}))
"""


def child(code: Path | None, *args: str) -> dict:
    env = None
    if code is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(code)}
    # run outside the checkout: ``python -c`` puts the working directory first on sys.path
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env, check=False,
                          cwd=tempfile.gettempdir())
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({args[0]}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def unpack(commit: str, folder: Path, paths: Sequence[str] = ("diplograph",)) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, *paths],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the commit to compare with (e.g. the one before the change)")
    ap.add_argument("--new", help="the commit to measure (default: the working tree)")
    ap.add_argument("--only", nargs="+", metavar="PATH",
                    help="base = the new tree with only these paths taken from --base")
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "articles")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--store-docs", type=int, default=2000, help="synthetic articles for the store-only runs")
    ap.add_argument("--skip-full", action="store_true", help="only the store-only runs")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="diplograph-bench-") as tmp:
        t = Path(tmp)
        base = t / "base"
        base.mkdir()
        new: Path | None = None
        if args.new:
            new = t / "new"
            new.mkdir()
            unpack(args.new, new)
        if args.only:
            # the new tree with only these paths as they were in --base: the change alone,
            # without what others committed in between
            unpack(args.new or "HEAD", base)
            for path in args.only:
                subprocess.run(["rm", "-rf", str(base / path)], check=True)
            unpack(args.base, base, args.only)
        else:
            unpack(args.base, base)
        synthetic = t / "synthetic"
        spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["make_corpus"] = mod
        spec.loader.exec_module(mod)
        mod.write_corpus(synthetic, args.store_docs, seed=13, text_only=True)
        cache = t / "claims.pickle"
        print(f"extracting {args.store_docs} synthetic articles once for the store-only runs ...", flush=True)
        print(child(None, "cache", "-", str(synthetic), str(cache)), flush=True)
        scaled = synthetic
        results: dict[str, list[dict]] = {}
        plan = ([] if args.skip_full else [("full", args.corpus)]) + [("store", scaled)]
        for rep in range(args.repeat):
            for mode, corpus in plan:
                pair = (("base", base), ("new", new))
                for name, code in (pair if rep % 2 == 0 else pair[::-1]):  # ABBA: no side always first
                    db = t / f"{name}-{mode}-{rep}.duckdb"
                    res = child(code, mode, str(db), str(corpus), str(cache))
                    if not str(res["code"]).startswith(str(code or ROOT)):
                        raise SystemExit(f"{name} ran the code in {res['code']}, not {code or ROOT}")
                    results.setdefault(f"{mode}/{name}", []).append(res)
                    print(f"{time.strftime('%H:%M:%S')} {mode:>5} {name:>4} run {rep + 1}: {res['docs']} docs, "
                          f"{res['claims']} claims, {res['facts']} facts in {res['seconds']:.1f} s, CPU {res['cpu_seconds']:.1f} s "
                          f"({res['docs'] / res['seconds']:.1f} docs/s)  [{res['code']}]", flush=True)
        txn = child(new, "txn", str(t / "txn.duckdb"), "-", "-")
        print(f"one document transaction (2,000 of them, blocks alternating): {txn['with']:.2f} ms with the "
              f"pending record, {txn['without']:.2f} ms without", flush=True)
        summary: dict[str, object] = {"base": args.base, "new": args.new or "working tree", "only": args.only,
                                      "date": time.strftime("%Y-%m-%d")}
        for mode, _ in plan:
            b = statistics.median(r["seconds"] for r in results[f"{mode}/base"])
            n = statistics.median(r["seconds"] for r in results[f"{mode}/new"])
            bc = statistics.median(r["cpu_seconds"] for r in results[f"{mode}/base"])
            nc = statistics.median(r["cpu_seconds"] for r in results[f"{mode}/new"])
            summary[mode] = {"docs": results[f"{mode}/new"][0]["docs"], "base_s": round(b, 2), "new_s": round(n, 2),
                             "new_over_base": round(n / b, 3), "base_cpu_s": round(bc, 2), "new_cpu_s": round(nc, 2),
                             "cpu_new_over_base": round(nc / bc, 3)}
        summary["transaction_ms"] = {"with_pending": round(txn["with"], 3), "without": round(txn["without"], 3)}
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
