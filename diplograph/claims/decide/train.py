"""Training the decision stage from annotated documents (``eval/train.py`` runs it on the
repository's corpus and writes the shipped weights).

1. Every document's candidates come from the rules and the pair generator
   (``pipeline.candidates``), each described by ``features.describe``.
2. Labels come from the gold: a candidate is right when a gold claim of its document has its
   type and parties (direction included for directed types; the quantity within 1%) and
   its evidence is the same sentence; wrong when no gold claim has them; left out of the
   keep model when it matches only an optional claim or a claim told in another sentence.
   Its modality label is that gold claim's modality.
3. Two LightGBM models: keep (binary) and modality (four classes), early-stopped on the dev
   split; then the keep threshold and the least probability of an asserted reading are
   tuned on the dev split with the scorer itself (strict F1, less 0.01 per costly error).

Deterministic: one thread, fixed seeds, documents in name order."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...evaluation import doc_key, is_symmetric, parties_key, quantities_compatible, score
from ...models import MODALITIES, PartialDate
from . import choose, features
from .features import Candidate

SEED = 13
KEEP_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 8,
    "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "max_bin": 63, "seed": SEED, "deterministic": True, "force_col_wise": True, "num_threads": 1,
    "verbose": -1,
}
MODALITY_PARAMS: dict[str, Any] = {**KEEP_PARAMS, "objective": "multiclass", "num_class": len(MODALITIES)}
MAX_ROUNDS = 1500
PATIENCE = 60
THRESHOLDS = [round(0.15 + 0.025 * i, 3) for i in range(27)]  # 0.15 .. 0.80
ASSERT_MINS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


@dataclass
class Doc:
    """One annotated document with its candidates, features and labels."""

    name: str
    split: str
    gold: list[dict]
    published: PartialDate | None = None
    cands: list[Candidate] = field(default_factory=list)
    rows: list[tuple[list[float], list[str]]] = field(default_factory=list)
    keep: list[int | None] = field(default_factory=list)
    modality: list[str | None] = field(default_factory=list)


_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    text = html.unescape(_TAG.sub(" ", text.replace('\\"', '"').replace("\\n", " ")))
    return set(_WORD.findall(text.lower()))


def same_sentence(a: str, b: str) -> bool:
    """Whether two evidence texts are the same sentence (markup, escapes and cleaning aside)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _same_claim(g: dict, c: dict) -> bool:
    if g["type"] != c["type"]:
        return False
    sym = is_symmetric(g)
    if parties_key(g, symmetric=sym) != parties_key(c, symmetric=sym):
        return False
    return not (g["type"] == "quantity" and not quantities_compatible(g.get("quantity"), c.get("quantity")))


def label(doc: Doc, evidence: Callable[[dict], str]) -> None:
    """Fill ``doc.keep`` and ``doc.modality`` from its gold claims."""
    doc.keep, doc.modality = [], []
    for cand in doc.cands:
        c = cand.claim.to_json()
        same = [g for g in doc.gold if _same_claim(g, c)]
        here = [g for g in same if same_sentence(evidence(g), c["evidence"]["text"])]
        required = [g for g in here if not g.get("optional")]
        if required:
            doc.keep.append(1)
            doc.modality.append(_closest_modality(required, c))
        elif here:
            doc.keep.append(None)  # only an optional claim: neither right nor wrong
            doc.modality.append(_closest_modality(here, c))
        elif same:
            doc.keep.append(None)  # told in another sentence: merging decides
            doc.modality.append(None)
        else:
            doc.keep.append(0)
            doc.modality.append(None)


def _closest_modality(golds: list[dict], c: dict) -> str:
    for g in golds:  # the gold claim whose modality (or accepted alternative) the candidate has
        if c["modality"] in (g["modality"], g.get("modality_alt")):
            return c["modality"]
    return golds[0]["modality"]


def prepare(docs: list[Doc], texts: dict[str, list[tuple[str, PartialDate | None]]],
            evidence: Callable[[dict], str], progress: Callable[[str], None] | None = None) -> None:
    """Candidates, features and labels of every document (``texts``: the cleaned text and
    publication date of each item of each document)."""
    from ..pipeline import candidates

    for i, doc in enumerate(docs):
        for text, published in texts[doc.name]:
            cands, ctx = candidates(text, doc=doc.name, published=published)
            if ctx is None:
                continue
            doc.published = published
            doc.cands += cands
            doc.rows += features(cands, ctx, published)
        label(doc, evidence)
        if progress and (i + 1) % 25 == 0:
            progress(f"{i + 1}/{len(docs)} documents")


def _dataset(docs: Iterable[Doc], which: str) -> tuple[Any, list[int], list[float]]:
    from .features import matrix

    rows, ys = [], []
    for d in docs:
        for r, k, m in zip(d.rows, d.keep, d.modality):
            if which == "keep" and k is not None:
                rows.append(r)
                ys.append(k)
            elif which == "modality" and m is not None:
                rows.append(r)
                ys.append(MODALITIES.index(m))
    return matrix(rows), ys, [1.0] * len(ys)


def fit(train: Sequence[Doc], dev: Sequence[Doc]) -> dict[str, Any]:
    """Train both boosters (early-stopped on ``dev``) and tune the thresholds on ``dev``."""
    import lightgbm as lgb

    boosters = {}
    rounds = {}
    for which, params in (("keep", KEEP_PARAMS), ("modality", MODALITY_PARAMS)):
        x, y, _ = _dataset(train, which)
        xd, yd, _ = _dataset(dev, which)
        ds = lgb.Dataset(x, label=y, free_raw_data=False)
        valid = [lgb.Dataset(xd, label=yd, reference=ds)] if len(yd) else []
        callbacks = [lgb.early_stopping(PATIENCE, verbose=False)] if valid else []
        b = lgb.train(params, ds, num_boost_round=MAX_ROUNDS, valid_sets=valid, callbacks=callbacks)
        if valid and b.best_iteration > 0:
            b = lgb.train(params, ds, num_boost_round=b.best_iteration)
        boosters[which] = b
        rounds[which] = b.current_iteration()
    threshold, assert_min, tuned = tune(dev, boosters["keep"], boosters["modality"])
    return {
        "format": 1,
        "keep_threshold": threshold,
        "assert_min": assert_min,
        "rounds": rounds,
        "dev_tuning": tuned,
        "keep_model": boosters["keep"].model_to_string(),
        "modality_model": boosters["modality"].model_to_string(),
    }


def predict(docs: Sequence[Doc], keep_model: Any, modality_model: Any) -> list[tuple[Any, Any]]:
    from .features import matrix

    out = []
    for d in docs:
        if not d.rows:
            out.append(([], []))
            continue
        x = matrix(d.rows)
        out.append((keep_model.predict(x, num_threads=1), modality_model.predict(x, num_threads=1)))
    return out


def decided(docs: Sequence[Doc], probs: Sequence[tuple[Any, Any]], threshold: float, assert_min: float) -> list[dict]:
    """The claims the decision stage keeps for these documents, as scored dicts."""
    from ..pipeline import _merge
    from ..registry import claim_types

    types = claim_types()
    out = []
    for d, (pk, pm) in zip(docs, probs):
        fresh = [dataclasses.replace(c, claim=dataclasses.replace(c.claim)) for c in d.cands]
        kept = _merge(choose(fresh, pk, pm, threshold=threshold, assert_min=assert_min), types)
        for c in kept:
            rec = c.to_json()
            rec["doc"] = d.name
            out.append(rec)
    return out


def tune(dev: Sequence[Doc], keep_model: Any, modality_model: Any) -> tuple[float, float, dict[str, Any]]:
    probs = predict(dev, keep_model, modality_model)
    gold = [g for d in dev for g in d.gold]
    best: tuple[float, float, float, dict[str, Any]] | None = None
    for am in ASSERT_MINS:
        for th in THRESHOLDS:
            r = score(decided(dev, probs, th, am), gold)
            objective = r.overall.f1 - 0.01 * len(r.asserted_when_not)
            if best is None or objective > best[0] + 1e-9:
                best = (objective, th, am, {"f1": round(r.overall.f1, 4), "precision": round(r.overall.precision, 4),
                                            "recall": round(r.overall.recall, 4),
                                            "asserted_when_not": len(r.asserted_when_not)})
    assert best is not None
    return best[1], best[2], best[3]


def subset(docs: Sequence[Doc], fraction: float) -> list[Doc]:
    """A deterministic share of the documents (by a hash of the name, nested as it grows)."""
    import zlib

    ranked = sorted(docs, key=lambda d: (zlib.crc32(d.name.encode()), d.name))
    return ranked[: max(1, round(len(ranked) * fraction))]


def evidence_loader(doc_dirs: Sequence[Path]) -> Callable[[dict], str]:
    """Gold evidence text: quoted in the gold, else read from the document by offsets."""
    from ...evaluation import find_document

    cache: dict[str, str] = {}

    def get(g: dict) -> str:
        ev = g.get("evidence") or {}
        if ev.get("text"):
            return ev["text"]
        name = doc_key(g["doc"])
        if name not in cache:
            p = find_document(name, doc_dirs)
            cache[name] = p.read_text(encoding="utf-8") if p else ""
        return cache[name][ev.get("start", 0):ev.get("end", 0)]

    return get


__all__ = ["Doc", "prepare", "fit", "tune", "predict", "decided", "subset", "label", "same_sentence",
           "evidence_loader"]
