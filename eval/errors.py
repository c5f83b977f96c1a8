"""Where extraction loses, on one development split: every required gold claim that the
extractor misses is put in one bucket, by what the candidates (before the decision stage)
offered for it; every extracted claim that matches nothing, by how close it came.

    .venv/bin/python eval/errors.py dev [--examples N]

Missed gold claims:
  A  a candidate was right (type, parties, modality, date) and the decision dropped it
  B  a candidate had the type, parties and modality, and the gold date was among the date
     ranker's options for it (the rules' date, the sentence's, the narrative's, publication)
  B' as B, but the gold date was among no candidate's options
  C  a candidate had the type and parties, none the modality
  D  the pair was a candidate, but only as other types
  E  no candidate for the pair at all
Wrong extracted claims: right type and parties but the date, or the modality; the pair
right but the type; no such pair in the gold.

The held-out split (test3) is refused: nobody who develops the extractor reads its errors.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import train as TR  # noqa: E402

from diplograph.claims import extract_claims  # noqa: E402
from diplograph.claims.decide import decision_model  # noqa: E402
from diplograph.claims.decide.train import _same_claim, evidence_loader  # noqa: E402
from diplograph.claims.decide.dates import options as date_options  # noqa: E402
from diplograph.claims.pipeline import candidates  # noqa: E402
from diplograph.evaluation import dates_compatible, modality_ok  # noqa: E402

BUCKETS = {
    "A": "a right candidate, dropped by the decision",
    "B": "type, parties and modality offered, the date only among the date ranker's options",
    "B'": "type, parties and modality offered, the date nowhere among the options",
    "C": "type and parties offered, not the modality",
    "D": "the pair offered only as other types",
    "E": "no candidate for the pair",
}


def _pair(c: dict) -> frozenset:
    return frozenset(x["id"] for x in (c.get("subject"), c.get("object")) if x)


def _fits(g: dict, c: dict) -> bool:
    return _same_claim(g, c) and modality_ok(g, c) and dates_compatible(g["date"]["value"], c["date"]["value"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("split", choices=["train", "dev", "seeds", "test", "test2"])
    ap.add_argument("--examples", type=int, default=3, help="examples printed per bucket")
    args = ap.parse_args()
    docs = TR.load_docs({args.split})
    texts = TR.texts_of(docs)
    evidence = evidence_loader(TR.doc_dirs())
    model = decision_model()
    typed = model.typed if model is not None and model.typer is not None else None  # the typer's frames too
    missed: Counter = Counter()
    by_type: Counter = Counter()
    wrong: Counter = Counter()
    examples: dict[str, list[str]] = {}
    required = 0
    for d in docs:
        cands: list[dict] = []
        offered: list[set] = []  # the dates the date ranker could give each candidate
        out: list[dict] = []
        for text, published in texts[d.name]:
            cs, ctx = candidates(text, doc=d.name, published=published, typed=typed)
            cands += [c.claim.to_json() for c in cs]
            offered += [{v.value if v is not None else None for v, _ in date_options(c, ctx, published)}
                        if ctx is not None else set() for c in cs]
            out += [c.to_json() for c in extract_claims(text, doc=d.name, published=published)]
        for g in d.gold:
            if g.get("optional"):
                continue
            required += 1
            if any(_fits(g, c) for c in out):
                missed["found"] += 1
                continue
            same = [(c, dates) for c, dates in zip(cands, offered) if _same_claim(g, c)]
            gd = g["date"]["value"]
            if any(_fits(g, c) for c, _ in same):
                k = "A"
            elif any(modality_ok(g, c) and any(v is not None and dates_compatible(gd, v) for v in dates)
                     for c, dates in same):
                k = "B"
            elif any(modality_ok(g, c) for c, _ in same):
                k = "B'"
            elif same:
                k = "C"
            elif any(_pair(c) == _pair(g) for c in cands):
                k = "D"
            else:
                k = "E"
            missed[k] += 1
            by_type[(k, g["type"])] += 1
            examples.setdefault(k, []).append(f"{g['type']} {sorted(_pair(g))} {g['modality']} "
                                              f"{g['date']['value']}: {evidence(g)[:140]}")
        for c in out:
            if any(_fits(g, c) for g in d.gold):
                continue
            same = [g for g in d.gold if _same_claim(g, c)]
            if same:
                k = "date wrong" if any(modality_ok(g, c) for g in same) else "modality wrong"
            elif any(_pair(g) == _pair(c) for g in d.gold):
                k = "type wrong"
            else:
                k = "no such pair"
            wrong[k] += 1
    print(f"{args.split}: {required} required gold claims, {missed['found']} found")
    for k, what in BUCKETS.items():
        print(f"  {k} {missed[k]:5d}  {what}")
        types = sorted(((n, t) for (b, t), n in by_type.items() if b == k), reverse=True)[:5]
        print("         " + ", ".join(f"{t} {n}" for n, t in types))
    print(f"wrong extracted claims: {dict(wrong)}")
    rng = random.Random(0)
    for k in BUCKETS:
        for line in rng.sample(examples.get(k, []), min(args.examples, len(examples.get(k, [])))):
            print(f"  [{k}] {line}")


if __name__ == "__main__":
    main()
