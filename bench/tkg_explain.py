"""Explain any prediction of the forecasting benchmark, from the model it saved.

    python bench/tkg_explain.py --dataset ICEWS14 --fact 0            # the first test fact
    python bench/tkg_explain.py --dataset ICEWS14 --entity "Angela Merkel" \\
        --relation "Make statement" --time 330 [--inverse] [--top 5]

Loads OUT/<dataset>.model.npz written by ``bench/tkg_bench.py`` (``--eval-split valid``:
the ``.valid.`` model), gives it the same history (every fact of the dataset; scoring a query
at t reads only facts dated before t), and prints for the query's top candidates the linear
features with their contributions, the past facts behind them and, for the re-ranked top, the
trees' contributions. ``--fact K`` explains both queries of the K-th fact of the evaluated
split, (s, r, ?, t) and (o, r⁻¹, ?, t), and says where the true answer ranks.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diplograph.forecast.recurrency import RecurrencyForecaster, describe  # noqa: E402
from diplograph.forecast.tkg import expected_rank, load_dataset  # noqa: E402


def _id(names: list[str], name: str, what: str) -> int:
    try:
        return names.index(name)
    except ValueError:
        close = [n for n in names if name.lower() in n.lower()][:5]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        sys.exit(f"tkg_explain: no {what} named {name!r} in the dataset{hint}")


def main(argv: list[str] | None = None) -> list[str]:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "tkg"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"),
                    help="folder holding the saved model (tkg_bench.py's --out)")
    ap.add_argument("--eval-split", choices=("test", "valid"), default="test")
    ap.add_argument("--fact", type=int, help="explain the K-th fact of the evaluated split")
    ap.add_argument("--entity", help="query entity, by name")
    ap.add_argument("--relation", help="query relation, by name")
    ap.add_argument("--time", type=int, help="query time, in the dataset's raw units")
    ap.add_argument("--inverse", action="store_true",
                    help="ask (?, relation, entity, time) instead of (entity, relation, ?, time)")
    ap.add_argument("--top", type=int, default=3)
    args = ap.parse_args(argv)

    ds = load_dataset(Path(args.data) / args.dataset)
    tag = "" if args.eval_split == "test" else ".valid"
    path = Path(args.out) / f"{ds.name}{tag}.model.npz"
    if not path.is_file():
        sys.exit(f"tkg_explain: {path} not found; run bench/tkg_bench.py --dataset {ds.name}"
                 + (" --eval-split valid" if tag else "") + " first")
    model = RecurrencyForecaster.load(path)
    step, R = ds.time_step, ds.num_relations
    parts = [ds.train, ds.valid] + ([ds.test] if args.eval_split == "test" else [])
    facts = np.concatenate(parts).copy()
    facts[:, 3] //= step
    model.set_history(facts)
    split = ds.test if args.eval_split == "test" else ds.valid

    queries = []  # (e, r, t_raw, true answers or None)
    if args.fact is not None:
        if not 0 <= args.fact < len(split):
            sys.exit(f"tkg_explain: --fact must be in 0..{len(split) - 1}")
        s, r, o, t = (int(x) for x in split[args.fact])
        queries += [(s, r, t, o), (o, r + R, t, s)]
    elif args.entity and args.relation and args.time is not None:
        e = _id(ds.entities, args.entity, "entity")
        r = _id(ds.relations, args.relation, "relation") + (R if args.inverse else 0)
        queries.append((e, r, args.time, None))
    else:
        sys.exit("tkg_explain: give --fact K, or --entity, --relation and --time")

    lines: list[str] = []
    for e, r, t_raw, answer in queries:
        t = t_raw // step
        rel = ds.relations[r] if r < R else f"{ds.relations[r - R]} (inverse)"
        lines.append(f"query ({ds.entities[e]}, {rel}, ?, time {t_raw} = step {t})")
        if answer is not None:
            S = model.score(np.array([e]), np.array([r]), t)[0]
            src, dst = (0, 2) if r < R else (2, 0)
            m = (split[:, 3] == t_raw) & (split[:, src] == e) & (split[:, 1] == r % R)
            truth = split[m, dst]
            rank = expected_rank(S, answer, np.setdiff1d(truth, [answer]))
            lines.append(f"  true answer {ds.entities[answer]}: rank {rank:g} (time-aware filtered)")
        for item in model.explain(e, r, t, top=args.top):
            lines += ["  " + ln for ln in describe(item, t, ds.entities, ds.relations)]
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    main()
