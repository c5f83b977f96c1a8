"""Forecasting benchmark on ICEWS14 / ICEWS18 / ICEWS05-15 (single-step extrapolation).

    python bench/tkg_bench.py --dataset ICEWS14 [--eval-split valid|test] [--data ../shared/data/tkg] [--out bench/out/]

Reads the dataset, fits the explainable recurrency + rules forecaster (rule confidences from
train, feature weights on the valid queries with train as history), then answers every test
query (s, r, ?, t) and (o, r⁻¹, ?, t) from all facts before t (train, valid and earlier test
days). Prints time-aware filtered MRR and Hits@1/3/10 (expected rank on ties), run time and
peak memory; writes the top-100 ranked predictions per distinct query as JSON Lines to
OUT/<dataset>.predictions.jsonl, the figures to OUT/<dataset>.metrics.json and the fitted
model to OUT/<dataset>.model.npz (``bench/tkg_explain.py`` explains any prediction from it).

``--eval-split valid`` (for tuning; never reads test.txt's answers): the same procedure
shifted one split back. The last days of train holding as many facts as valid play the
part of valid (weights are fitted on them, rules learned from the train days before them),
and the valid queries are answered from train and earlier valid days. Files are named
OUT/<dataset>.valid.predictions.jsonl / .valid.metrics.json.

``--rerank-windows N`` (default 3; 0: none, the behaviour before session 15): the re-ranker
also learns from N earlier windows of the fitting window's size, going back from it
(forecast/windows.py): each window's queries are answered from the facts before their day,
with rule confidences from the facts before the window. ``--window-queries`` (default auto:
every query of a window when the re-ranker takes the fitting window whole, as on ICEWS14,
else 10,000 of each, as on ICEWS18 and ICEWS05-15; ``all``; or a number) samples them.
With no flags the bench runs the settings of the README's figures on all three datasets.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

# One BLAS thread: the machine is shared, and the work is memory-bound anyway.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diplograph.forecast.recurrency import FEATURES, RecurrencyForecaster, top_k
from diplograph.forecast.tkg import (
    build_queries,
    entity_groups,
    expected_ranks,
    load_dataset,
    metrics,
)
from diplograph.forecast.windows import RERANK_WINDOWS, WINDOW_SAMPLE, tail_cut

TOP = 100
CHUNK = 512


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def to_steps(facts: np.ndarray, step: int) -> np.ndarray:
    out = facts.copy()
    out[:, 3] //= step
    return out


def evaluate(model: RecurrencyForecaster, queries, step: int, out_fh=None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Expected filtered rank of every answer of ``queries``, and whether each answer is
    among its query's top TOP entities (unfiltered: with a re-ranker, the first stage's top,
    which it places above all others); writes predictions if asked."""
    ranks = np.zeros(len(queries.answers))
    in_top = np.zeros(len(queries.answers), dtype=bool)
    aq = queries.answer_query
    for t_raw in np.unique(queries.t):
        qidx = np.flatnonzero(queries.t == t_raw)
        for lo in range(0, len(qidx), CHUNK):
            js = qidx[lo:lo + CHUNK]
            S = model.score(queries.e[js], queries.r[js], int(t_raw) // step)
            a_lo, a_hi = queries.offsets[js[0]], queries.offsets[js[-1] + 1]
            rows = aq[a_lo:a_hi] - js[0]
            ans = queries.answers[a_lo:a_hi]
            ranks[a_lo:a_hi] = expected_ranks(S, rows, ans, (rows, ans))
            in_top[a_lo:a_hi] = np.sum(S[rows] > S[rows, ans][:, None], axis=1) < TOP
            if out_fh is not None:
                top, ts = top_k(S, TOP)
                for i, j in enumerate(js):
                    out_fh.write(json.dumps({
                        "e": int(queries.e[j]), "r": int(queries.r[j]), "t": int(t_raw),
                        "cands": top[i].tolist(), "scores": [float(x) for x in ts[i]],
                    }) + "\n")
    return ranks, in_top


def window_queries_arg(text: str) -> int | str | None:
    """--window-queries: "auto", "all" (None) or a positive number."""
    if text in ("auto", "all"):
        return None if text == "all" else text
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected auto, all or a positive number, not {text!r}")
    return n


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", required=True, help="ICEWS14, ICEWS18 or ICEWS05-15")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "tkg"),
                    help="folder holding the dataset folders (default: ../shared/data/tkg)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"), help="output folder")
    ap.add_argument("--max-fit-queries", type=int, default=30000,
                    help="valid queries sampled to fit the weights")
    ap.add_argument("--max-rerank-queries", type=int, default=None,
                    help="queries sampled to fit the re-ranker (default: the linear fit's)")
    ap.add_argument("--no-names", action="store_true",
                    help="ignore entity names (no country-group features): ids and facts only")
    ap.add_argument("--no-predictions", action="store_true", help="skip the JSONL file")
    ap.add_argument("--fit-window", type=float, default=1.0,
                    help="fit the weights on the last days before the evaluated split holding "
                         "this many times as many facts as valid (1: valid itself for test)")
    ap.add_argument("--rerank", type=int, default=100,
                    help="re-rank each query's top K linear candidates with gradient-boosted "
                         "trees (0: off)")
    ap.add_argument("--rerank-trees", type=int, default=500, help="at most this many trees")
    ap.add_argument("--rerank-leaves", type=int, default=31, help="leaves per tree")
    ap.add_argument("--rerank-objective", choices=("lambdarank", "binary"), default="lambdarank")
    ap.add_argument("--rerank-windows", type=int, default=RERANK_WINDOWS,
                    help="also fit the re-ranker on this many earlier windows of the fitting "
                         "window's size, spread back over the history (each with rules from "
                         f"the facts before it); default {RERANK_WINDOWS}, 0: none (fewer are "
                         "made when the history is too short)")
    ap.add_argument("--window-queries", type=window_queries_arg, default="auto",
                    help="queries sampled from each earlier window: auto (default: all when "
                         "the re-ranker takes the fitting window whole, else "
                         f"{WINDOW_SAMPLE:,}), all, or a number")
    ap.add_argument("--eval-split", choices=("test", "valid"), default="test",
                    help="valid: tune without test (fit on the end of train, evaluate on valid)")
    args = ap.parse_args(argv)

    t0 = time.time()
    ds = load_dataset(Path(args.data) / args.dataset)
    if args.eval_split == "valid":
        ds.test = ds.test[:0]  # tuning mode: the test facts are dropped as soon as read
    t_load = time.time() - t0
    step = ds.time_step
    R = ds.num_relations
    train, valid, test = (to_steps(x, step) for x in (ds.train, ds.valid, ds.test))
    print(f"{ds.name}: {ds.num_entities} entities, {R} relations, "
          f"{len(ds.train)}/{len(ds.valid)}/{len(ds.test)} facts, time step {step}; "
          f"read in {t_load:.1f}s", flush=True)

    # Weights are fitted on the last days before the evaluated split holding about
    # fit_window × |valid| facts, answered from everything before them; rule confidences
    # come from the facts before those days. For test with --fit-window 1 that is exactly
    # the valid split (rules from train). --eval-split valid shifts everything one split
    # back: the end of train stands in for valid, valid for test (test is never read).
    before = train if args.eval_split == "valid" else np.concatenate([train, valid])
    cut = tail_cut(before, round(args.fit_window * len(valid)))
    fit_rules, fit_hold = before[before[:, 3] < cut], before[before[:, 3] >= cut]
    eval_facts, eval_raw = (valid, ds.valid) if args.eval_split == "valid" else (test, ds.test)
    print(f"eval split {args.eval_split}: rules from steps < {cut}, weights fitted on the "
          f"{len(fit_hold)} facts at steps {cut}..{before[:, 3].max()}", flush=True)
    tag = "" if args.eval_split == "test" else ".valid"
    Path(args.out).mkdir(parents=True, exist_ok=True)

    groups = None if args.no_names else entity_groups(ds.entities)
    model = RecurrencyForecaster(ds.num_entities, R, groups=groups, rerank_k=args.rerank,
                                 rerank_trees=args.rerank_trees, rerank_leaves=args.rerank_leaves,
                                 rerank_objective=args.rerank_objective)
    t1 = time.time()
    hold_q = build_queries(fit_hold, R)
    rep = model.fit(fit_rules, np.concatenate([fit_rules, fit_hold]), hold_q,
                    max_queries=args.max_fit_queries, rerank_queries=args.max_rerank_queries,
                    rerank_windows=args.rerank_windows, window_queries=args.window_queries)
    t_fit = time.time() - t1
    for start, end, nq, used, nr in rep.windows:
        print(f"earlier window: steps {start}..{end - 1}, {nq} queries ({used} used), rules "
              f"from {nr} facts", flush=True)
    if args.rerank and len(rep.windows) < args.rerank_windows:
        print(f"earlier windows: {len(rep.windows)} of {args.rerank_windows} (too little "
              "history for more)", flush=True)
    print(f"fit: {rep.queries} queries, {rep.rows} candidate rows, loss {rep.loss:.4f}, "
          f"{rep.iterations} iterations, {t_fit:.1f}s", flush=True)
    W = np.atleast_2d(model.weights)
    for name, w in zip(FEATURES, W.T):
        print(f"  {name:32s} " + " ".join(f"{x:+.3f}" for x in w))

    if model.reranker is not None:
        print(f"re-ranker: {model.reranker.num_trees()} trees on the top {args.rerank}",
              flush=True)
    model.save(Path(args.out) / f"{ds.name}{tag}.model.npz")  # for bench/tkg_explain.py
    t2 = time.time()
    model.set_history(np.concatenate([fit_rules, fit_hold, eval_facts]))
    test_q = build_queries(eval_raw, R)  # raw times in the predictions file
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    pred_path = out_dir / f"{ds.name}{tag}.predictions.jsonl"
    if args.no_predictions:
        ranks, in_top = evaluate(model, test_q, step)
    else:
        with open(pred_path, "w") as fh:
            ranks, in_top = evaluate(model, test_q, step, fh)
    t_eval = time.time() - t2
    m = metrics(ranks)
    result = {
        "dataset": ds.name, "split": args.eval_split, **{k: round(v, 2) if isinstance(v, float) else v for k, v in m.items()},
        f"recall@{TOP}": round(100.0 * float(in_top.mean()), 2) if len(in_top) else 0.0,
        "queries": len(test_q),
        "rerank_windows": [list(w) for w in rep.windows], "seconds": {"read": round(t_load, 1), "fit": round(t_fit, 1),
                                            "evaluate": round(t_eval, 1),
                                            "total": round(time.time() - t0, 1)},
        "peak_memory_mb": round(peak_mb(), 1),
    }
    print(f"{ds.name} [{args.eval_split}]  MRR {m['mrr']:.2f}  Hits@1 {m['hits@1']:.2f}  Hits@3 {m['hits@3']:.2f}  "
          f"Hits@10 {m['hits@10']:.2f}  recall@{TOP} {result[f'recall@{TOP}']:.2f}  ({m['n']} ranked answers, {len(test_q)} distinct queries)")
    print(f"time: total {result['seconds']['total']}s (read {t_load:.1f}, fit {t_fit:.1f}, "
          f"evaluate {t_eval:.1f}); peak memory {result['peak_memory_mb']} MB")
    (out_dir / f"{ds.name}{tag}.metrics.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
