"""A fast side-by-side for the decision stage: candidates prepared once, boosters trained in
about a minute, dev scored. For trying a feature, an objective or a setting before paying
for a rebuild (`eval/train.py`, over an hour).

    .venv/bin/python eval/ab.py prep /tmp/ab.pickle        # candidates, features, labels (minutes)
    .venv/bin/python eval/ab.py run /tmp/ab.pickle         # train on train + seeds, score dev
    .venv/bin/python eval/ab.py run /tmp/ab.pickle --drop hedged_elsewhere,pair_sentences
    .venv/bin/python eval/ab.py run /tmp/ab.pickle --frontier

The recipe is the one `eval/train.py --hold-dev` follows: the typer and the trigger lexicon
are fitted out of fold on train + seeds, dev is never learnt from. ``run`` trains the keep,
modality and date boosters on train + seeds with the shipped model's numbers of rounds and
reads dev with the shipped model's settings (``--frontier``: also with the keep bars moved),
so that two runs differ only by what was changed. ``--drop`` zeroes dense features by name
(an ablation without preparing again); a change of the rules or of the features needs
``prep`` again, on each side. The held-out splits are never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import train as ET  # noqa: E402

from diplograph.claims.decide import Settings, use_model  # noqa: E402
from diplograph.claims.decide import train as T  # noqa: E402
from diplograph.claims.decide.features import DENSE  # noqa: E402
from diplograph.evaluation import score  # noqa: E402


def prep(out: Path, limit: int | None = None) -> None:
    use_model(False)  # candidates come from the rules, as eval/train.py builds them
    t0 = time.time()
    docs = ET.load_docs({"seeds", "train", "dev"})
    learn, dev = ET.training_sets(docs, hold_dev=True)
    if limit:  # a smoke run: every n-th document of each side, a fifth of them from dev
        n_dev = max(1, limit // 5)
        learn = learn[:: max(1, len(learn) // (limit - n_dev))][: limit - n_dev]
        dev = dev[:: max(1, len(dev) // n_dev)][:n_dev]
        docs = [*learn, *dev]
    texts = ET.texts_of(docs)
    evidence = T.evidence_loader(ET.doc_dirs())
    for d in docs:
        T.sentence_data([d], texts, evidence)
    _typer, probs = T.typer_probs(learn, dev)
    _lexicon, lexicons = T.trigger_lexicons(learn, dev)
    T.prepare([*learn, *dev], texts, evidence, probs, None, lexicons)

    def view(d: T.Doc) -> T.Doc:  # what the boosters read, and the candidates as tuning reads them
        return dataclasses.replace(T._learning_view(d), gold=d.gold, cands=T._slim(d).cands)

    with out.open("wb") as fh:
        pickle.dump({"dense": DENSE, "learn": [view(d) for d in learn], "dev": [view(d) for d in dev]}, fh)
    print(f"{out}: {len(learn)} documents to learn from, {len(dev)} dev, in {time.time() - t0:.0f} s")


def _average_precision(probs: list[float], labels: list[int]) -> float:
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if labels[i] == 1:
            hits += 1
            total += hits / rank
    return total / max(1, hits)


def run(path: Path, drop: list[str], frontier: bool) -> None:
    with path.open("rb") as fh:
        data = pickle.load(fh)
    if tuple(data["dense"]) != DENSE:
        sys.exit(f"{path}: prepared with other dense features than the code has; run `eval/ab.py prep` again")
    learn, dev = data["learn"], data["dev"]
    unknown = [n for n in drop if n not in DENSE]
    if unknown:
        sys.exit(f"--drop: no such dense feature {', '.join(unknown)}; they are: {', '.join(DENSE)}")
    for col in (DENSE.index(n) for n in drop):
        for d in (*learn, *dev):
            for dense, _ in d.rows:
                dense[col] = 0.0
    shipped = json.loads(ET.OUT.read_text(encoding="utf-8"))
    t0 = time.time()
    b = T._boosters(learn, None, shipped["rounds"])
    probs = T.predict(dev, b["keep"], b["modality"])
    dates = T.date_predictions(dev, b["date"]) if b["date"] is not None else None
    evidence = T.evidence_loader(ET.doc_dirs())
    gold = [g for d in dev for g in d.gold]
    ps = [float(p) for (keep, _), d in zip(probs, dev) for p, k in zip(keep, d.keep) if k is not None]
    ys = [k for d in dev for k in d.keep if k is not None]
    print(f"trained in {time.time() - t0:.0f} s on {len(learn)} documents; dev keep AP {_average_precision(ps, ys):.4f}")
    base = Settings.of(shipped)
    grid = [base]
    if frontier:
        grid += [dataclasses.replace(base, threshold=t, rule_threshold=r)
                 for t in (base.threshold - 0.1, base.threshold + 0.1)
                 for r in (base.rule_threshold - 0.1, base.rule_threshold, base.rule_threshold + 0.1)]
    for s in grid:
        r = score(T.decided(dev, probs, s, dates), gold)
        summ = T._summary_of(r, evidence)
        print(f"keep {s.threshold:.2f} rules {s.rule_threshold:.2f}: dev F1 {summ['f1']:.4f} "
              f"(P {summ['precision']:.3f} R {summ['recall']:.3f}; costly {summ['asserted_when_not']}, "
              f"misread {summ['misread']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep", help="prepare candidates, features and labels once")
    p.add_argument("out", type=Path)
    p.add_argument("--limit", type=int, help="only this many documents, at least 2 (a smoke run)")
    r = sub.add_parser("run", help="train on train + seeds, score dev")
    r.add_argument("data", type=Path)
    r.add_argument("--drop", default="", help="dense features to zero, comma-separated")
    r.add_argument("--frontier", action="store_true", help="also score dev with the keep bars moved by 0.1")
    args = ap.parse_args()
    if args.cmd == "prep":
        if args.limit is not None and args.limit < 2:
            ap.error("--limit: at least 2 documents (one to learn from, one of dev)")
        prep(args.out, args.limit)
    else:
        run(args.data, [n for n in args.drop.split(",") if n], args.frontier)


if __name__ == "__main__":
    main()
