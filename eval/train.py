"""Rebuild the decision model the package ships (diplograph/data/models/decide.json) from the
repository's annotated corpus: trained and tuned on the train and dev splits (with the
seeds) by cross-validation; each split is scored out of fold (a document is scored by
boosters that never read it), which is the dev split's fair score. The held-out splits
(test, test2, test3) are never read here, except by ``--curve``, which only reports their
aggregate scores.

    .venv/bin/python eval/train.py              # rebuild the shipped weights (deterministic)
    .venv/bin/python eval/train.py --hold-dev --out /tmp/m.json   # train alone; dev scored by the final boosters
    .venv/bin/python eval/train.py --curve      # the learning curve: 25 %, 50 %, 100 % of train (dev held out)
    .venv/bin/python eval/train.py --curve --fractions 0.25 0.5   # only those points
    .venv/bin/python eval/train.py --cache /tmp/cf.pickle   # also keep what tuning reads
    .venv/bin/python eval/train.py --retune /tmp/cf.pickle --out /tmp/m.json   # tune again, no training
    .venv/bin/python eval/train.py --jobs 1     # the folds one after another (default: two at a time; the same model)

The curve never writes the model file: its models learn from shares of train alone, so
that dev, test, test2 and test3 are all unseen by every point.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from stats import split_of_name  # noqa: E402

from diplograph.claims.decide import train as T  # noqa: E402
from diplograph.documents import read  # noqa: E402
from diplograph.evaluation import doc_key, find_document, load_claims, load_published_map, score  # noqa: E402
from diplograph.models import PartialDate  # noqa: E402

OUT = ROOT / "diplograph" / "data" / "models" / "decide.json"
SEEDS = ROOT.parent / "shared" / "seeds"


def load_docs(splits: set[str]) -> list[T.Doc]:
    gold_dirs = [(ROOT / "eval" / "gold", False)]
    if splits & {"test3"}:
        gold_dirs.append((ROOT / "eval" / "heldout" / "gold", True))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    split_of: dict[str, str] = {}
    for d, heldout in gold_dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.rglob("*.claims.jsonl")):
            split = split_of_name(path.name, seeds=path.parent.name == "seeds", heldout=heldout)
            if split not in splits:
                continue
            for g in load_claims(path):
                by_doc[doc_key(g["doc"])].append(g)
                split_of[doc_key(g["doc"])] = split
    return [T.Doc(name, split_of[name], by_doc[name]) for name in sorted(by_doc)]


def training_sets(docs: list[T.Doc], hold_dev: bool = False) -> tuple[list[T.Doc], list[T.Doc]]:
    """The documents the model learns from and those it is only scored on: the seeds and
    train, with dev among the first (scored out of fold) unless ``hold_dev``."""
    learn = [d for d in docs if d.split in ("train", "seeds") or (d.split == "dev" and not hold_dev)]
    return learn, [d for d in docs if d.split == "dev" and hold_dev]


def doc_dirs() -> list[Path]:
    return [ROOT / "eval" / "articles", ROOT / "eval" / "heldout" / "articles", SEEDS]


def texts_of(docs: list[T.Doc]) -> dict[str, list[tuple[str, PartialDate | None]]]:
    published = load_published_map(ROOT / "eval" / "published.tsv")
    out = {}
    for d in docs:
        path = find_document(d.name, doc_dirs())
        if path is None:
            raise SystemExit(f"{d.name}: document not found in {', '.join(map(str, doc_dirs()))}")
        override = PartialDate.parse(published[d.name]) if d.name in published else None
        out[d.name] = [(item.text, item.published) for item in read([str(path)], max_bytes=50_000_000, published=override)
                       if not isinstance(item, Exception)]
    return out


def split_scores(model: dict | None, splits: list[str]) -> dict[str, dict[str, float]]:
    """Scores of the extractor as it runs in production (with ``model``, or the rules alone
    when it is None) on each split."""
    from diplograph.claims.decide import use_model
    from diplograph.evaluation import extract_for_gold

    use_model(model if model is not None else False)
    try:
        out = {}
        for split in splits:
            docs = load_docs({split})
            gold = [g for d in docs for g in d.gold]
            pred = extract_for_gold(gold, doc_dirs(), published=load_published_map(ROOT / "eval" / "published.tsv"))
            r = score(pred, gold)
            out[split] = {"P": round(r.overall.precision, 3), "R": round(r.overall.recall, 3),
                          "F1": round(r.overall.f1, 3), "relaxed F1": round(r.relaxed.f1, 3),
                          "costly": len(r.asserted_when_not)}
        return out
    finally:
        use_model(False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--curve", action="store_true", help="instead of the model: train on shares of train (dev held out) and report every split")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the model (default: the shipped file)")
    ap.add_argument("--hold-dev", action="store_true",
                    help="train on the train split alone and score dev with the final boosters (the recipe before session 11)")
    ap.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0],
                    help="with --curve: the shares of train to report")
    ap.add_argument("--cache", type=Path, help="also write what tuning reads (out-of-fold predictions, boosters) here")
    ap.add_argument("--retune", type=Path, help="tune again from a --cache file instead of training (minutes, not an hour)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="cross-validation folds fitted at once, each in its own process (the same model; default: 2 on two cores)")
    args = ap.parse_args()

    from diplograph.claims.decide import use_model

    use_model(False)  # candidates come from the rules, never from a previous model
    t0 = time.time()

    def progress(m: str) -> None:
        print(f"  {m} ({time.time() - t0:.0f} s)", file=sys.stderr)

    if args.retune:
        import pickle

        with args.retune.open("rb") as fh:
            cf, parts = pickle.load(fh)
        from diplograph.claims.pipeline import PSEUDO_MIN

        model = T.settle(cf, progress, T.evidence_loader(doc_dirs()))
        model.update(parts, pseudo_min=PSEUDO_MIN, trained_on=T.trained_on(cf.train, cf.dev))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(model, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{args.out}: retuned from {args.retune}: {model['tuning']}, dev {model['dev']}")
        return

    def keep(cf: T.CrossFit, parts: dict) -> None:
        import pickle

        with args.cache.open("wb") as fh:
            pickle.dump((cf, parts), fh)  # what the model keeps beside the boosters: typer, lexicon

    docs = load_docs({"seeds", "train", "dev"})
    texts = texts_of(docs)
    evidence = T.evidence_loader(doc_dirs())
    if args.curve:
        train, dev = training_sets(docs, hold_dev=True)  # every point leaves dev unseen
        splits = ["dev", "test", "test2", "test3"]
        print("\nlearning curve (share of the train split; every model cross-validated on its share)")
        print(f"{'train share':<12}" + "".join(f"{s:>24}" for s in splits))
        for frac in sorted(set(args.fractions)):
            part = T.subset(train, frac) if frac < 1.0 else train
            m = T.build(part, dev, texts, evidence, progress, jobs=args.jobs)
            e = split_scores(m, splits)
            print(f"{frac:<12.0%}" + "".join(f"{e[s]['F1']:.3f} ({e[s]['relaxed F1']:.3f}, {e[s]['costly']})".rjust(24)
                                             for s in splits), flush=True)
        print("cells: strict F1 (relaxed F1, costly errors)")
        return
    train, dev = training_sets(docs, hold_dev=args.hold_dev)
    model = T.build(train, dev, texts, evidence, progress, cache=keep if args.cache else None, jobs=args.jobs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.out}: keep threshold {model['keep_threshold']}, rules' claims {model['rule_threshold']}, "
          f"assert above {model['assert_min']}, rounds {model['rounds']}, trained on {model['trained_on']}")
    print(f"out of fold, all training documents: {model['tuning']}")
    for split, summ in model["out_of_fold"].items():
        print(f"out of fold, {split}: {summ}")
    if model["dev"] is not None:
        print(f"dev, held out: {model['dev']}")


if __name__ == "__main__":
    main()
