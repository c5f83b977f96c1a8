"""Training the decision stage from annotated documents (``eval/train.py`` runs it on the
repository's corpus and writes the shipped weights).

1. Every document's candidates come from the rules and the pair generator
   (``pipeline.candidates``), each described by ``features.describe``.
2. Labels come from the gold: a candidate is right when a gold claim of its document has its
   type and parties (direction included for directed types; the quantity within 1%) and
   its evidence is the same sentence; wrong when no gold claim has them; left out of the
   keep model when it matches only an optional claim or a claim told in another sentence.
   Its modality label is that gold claim's modality.
3. Three LightGBM models: keep (binary), modality (four classes) and the date ranker,
   cross-validated on the train split: each fold's models, early-stopped on the fold,
   predict it; the thresholds (keep, least probability of an asserted reading, margins)
   are tuned on those out-of-fold predictions of the whole train split with the scorer
   itself (strict F1, less 0.012 per costly error per 1,000 gold claims: an asserted claim
   read from the very sentence that states the gold claim as planned, negated or
   speculative, see ``misread``; half that for one the scorer pairs with such a gold claim
   from another sentence, see ``costly_weight``); the shipped
   models learn from all of the train split with the folds' median number of rounds. The
   dev split is only scored.

Deterministic: one thread, fixed seeds, documents in name order."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...evaluation import (
    dates_compatible,
    doc_key,
    is_symmetric,
    parties_key,
    quantities_compatible,
    score,
)
from ...models import MODALITIES, PartialDate
from . import Settings, choose, features, passes, triggers
from ..dating import news_of_the_day
from .dates import describe as describe_dates
from .dates import options as date_options
from .dates import pick as pick_date
from .dates import redatable
from .features import Candidate

SEED = 13
# a candidate is "right" for the keep model when its sentence states a required gold claim of
# its type and parties; its date is the date ranker's to choose (which learns from the same
# candidates). True: right only if the rules' date fits too (sessions 4-8; dev 0.341 against
# 0.356 in session 9, with the ranker's wider options)
STRICT_LABELS = False
KEEP_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 8,
    "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "max_bin": 63, "seed": SEED, "deterministic": True, "force_col_wise": True, "num_threads": 1,
    "verbose": -1,
}
MODALITY_PARAMS: dict[str, Any] = {**KEEP_PARAMS, "objective": "multiclass", "num_class": len(MODALITIES)}
TYPER_PARAMS: dict[str, Any] = {**KEEP_PARAMS, "learning_rate": 0.1, "feature_fraction": 0.3, "min_data_in_leaf": 5}
TYPER_ROUNDS = 120
DATE_PARAMS: dict[str, Any] = {**KEEP_PARAMS, "num_leaves": 7}
DATE_MARGINS = [0.0, 0.1, 0.2, 0.35, 2.0]  # 2.0: never overrule the rules
MODALITY_MARGINS = [0.0, 0.2, 0.4, 0.6, 2.0]  # 2.0: the rules' modality always
GENERATED_ASSERT_MINS = [0.8, 0.9, 0.95, 1.01]  # 1.01: the generator never asserts
DEMOTE_MINS = [0.0, 0.1, 0.2, 0.3]  # least probability of the reading that replaces an asserted one
DROP_BELOWS = [0.0, 0.1, 0.2, 0.3, 0.5]  # 0.0: an unsure asserted reading is never dropped
MAX_ROUNDS = 1500
DEFAULT_ROUNDS = 200  # when there is nothing to early-stop on
FOLDS = 5
COSTLY_PENALTY = 0.012  # strict F1 given up per costly error per 1,000 required gold claims, when tuning
# ... and the share of it for an asserted claim from another sentence that the scorer pairs
# with a hedged gold claim of the same type and parties: a false positive, not a misreading,
# but the scorer (and whoever measures us) counts it as the costliest error all the same
PAIRING_SHARE = 0.5
PATIENCE = 60
THRESHOLDS = [round(0.2 + 0.05 * i, 3) for i in range(15)]  # 0.20 .. 0.90, for generated candidates
RULE_THRESHOLDS = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75]  # for the rules' own claims
ASSERT_MINS = [0.7, 0.5, 0.8, 0.9]  # least probability of an asserted reading of the rules' claims
TUNING_STARTS = [(0.5, 0.45, 0.7), (0.3, 0.15, 0.7), (0.75, 0.65, 0.9)]  # (keep, rules' keep, assert) to ascend from


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
    match: list[int] = field(default_factory=list)  # type and parties right (date aside)
    modality: list[str | None] = field(default_factory=list)
    # the date ranker's options for each candidate, their rows (offset into date_rows) and,
    # for candidates that match a dated gold claim, the gold date
    date_opts: list[list[Any]] = field(default_factory=list)
    date_at: list[int] = field(default_factory=list)
    date_rows: list[Any] = field(default_factory=list)
    gold_date: list[str | None] = field(default_factory=list)
    # per item of the document: the typer's sentence indices, rows and label sets
    typer_items: list[tuple[list[int], list[Any], list[set[str]]]] = field(default_factory=list)
    # the words and gold types of every sentence the typer reads (for the trigger lexicon)
    sentence_words: list[tuple[set[str], set[str]]] = field(default_factory=list)


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
    doc.keep, doc.modality, doc.gold_date, doc.match = [], [], [], []
    for cand in doc.cands:
        c = cand.claim.to_json()
        same = [g for g in doc.gold if _same_claim(g, c)]
        here = [g for g in same if same_sentence(evidence(g), c["evidence"]["text"])]
        required = [g for g in here if not g.get("optional")]
        doc.gold_date.append(next((g["date"]["value"] for g in required if g["date"]["value"]), None))
        doc.match.append(int(bool(required)))
        if required:
            # the dates that already fit (a gold null accepts any)
            dated = [g for g in required if dates_compatible(g["date"]["value"], c["date"]["value"])]
            doc.keep.append(1 if dated or not STRICT_LABELS else 0)
            doc.modality.append(_closest_modality(dated or required, c))
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


def sentence_data(docs: list[Doc], texts: dict[str, list[tuple[str, PartialDate | None]]],
                  evidence: Callable[[dict], str]) -> None:
    """The typer's rows of every document, labelled with the gold types of each sentence."""
    from ..pipeline import sentence_rows

    for doc in docs:
        doc.typer_items, doc.sentence_words = [], []
        golds = [(g["type"], evidence(g)) for g in doc.gold]
        for text, published in texts[doc.name]:
            sentences, idx, rows = sentence_rows(text, published=published)
            by_index = {x.index: x for x in sentences}
            labels = [{t for t, e in golds if same_sentence(e, by_index[i].text)} for i in idx]
            doc.typer_items.append((idx, rows, labels))
            doc.sentence_words += [(triggers.words(by_index[i].text), ls) for i, ls in zip(idx, labels)]


def fit_typer(docs: Sequence[Doc]) -> dict[str, str]:
    """One booster per claim type over the sentence rows of ``docs``."""
    import lightgbm as lgb

    from ...models import CLAIM_TYPES
    from .typer import matrix as typer_matrix

    rows = [r for d in docs for _, rs, _ in d.typer_items for r in rs]
    labels = [ls for d in docs for _, _, lss in d.typer_items for ls in lss]
    if not rows:
        return {}
    x = typer_matrix(rows)
    out = {}
    for t in CLAIM_TYPES:
        y = [int(t in ls) for ls in labels]
        if sum(y) < 5:
            continue
        b = lgb.train(TYPER_PARAMS, lgb.Dataset(x, label=y), num_boost_round=TYPER_ROUNDS)
        out[t] = b.model_to_string()
    return out


def typer_probs(train: Sequence[Doc], others: Sequence[Doc], folds: int = 4
                ) -> tuple[dict[str, str], dict[str, list[list[dict[str, float]]]]]:
    """The typer trained on all of ``train``, and every document's sentence probabilities:
    out of fold for ``train`` (a typer that never saw the document), from the full typer for
    ``others``."""

    from .typer import SentenceTyper

    full = fit_typer(train)
    probs: dict[str, list[list[dict[str, float]]]] = {}
    for k in range(folds):
        fold = [d for d in train if fold_of(d.name, folds) == k]
        rest = [d for d in train if fold_of(d.name, folds) != k]
        typer = SentenceTyper(fit_typer(rest))
        for d in fold:
            probs[d.name] = [typer.predict(rows) for _, rows, _ in d.typer_items]
    typer = SentenceTyper(full)
    for d in others:
        probs[d.name] = [typer.predict(rows) for _, rows, _ in d.typer_items]
    return full, probs


def trigger_lexicons(train: Sequence[Doc], others: Sequence[Doc], folds: int = 4
                     ) -> tuple[triggers.Lexicon, dict[str, triggers.Lexicon]]:
    """The pseudo frames' trigger lexicon learned from all of ``train``, and the one each
    document's candidates are built with: out of fold for ``train`` (as the typer's
    probabilities), the full one for ``others``."""
    full = triggers.fit(x for d in train for x in d.sentence_words)
    of: dict[str, triggers.Lexicon] = {d.name: full for d in others}
    for k in range(folds):
        lex = triggers.fit(x for d in train if fold_of(d.name, folds) != k for x in d.sentence_words)
        of.update({d.name: lex for d in train if fold_of(d.name, folds) == k})
    return full, of


def prepare(docs: list[Doc], texts: dict[str, list[tuple[str, PartialDate | None]]],
            evidence: Callable[[dict], str], probs: dict[str, list[list[dict[str, float]]]] | None = None,
            progress: Callable[[str], None] | None = None,
            lexicons: dict[str, triggers.Lexicon] | None = None) -> None:
    """Candidates, features and labels of every document (``texts``: the cleaned text and
    publication date of each item of each document; ``probs``: the typer's probabilities of
    each item's sentences, as ``typer_probs`` gives them; ``lexicons``: each document's
    trigger lexicon, as ``trigger_lexicons`` gives them)."""
    from ..pipeline import candidates

    for i, doc in enumerate(docs):
        doc.cands, doc.rows, doc.date_opts, doc.date_at, doc.date_rows = [], [], [], [], []
        for n, (text, published) in enumerate(texts[doc.name]):
            item_probs = probs[doc.name][n] if probs is not None else None
            typed = (lambda sentences, idx, rows, p=item_probs: p) if item_probs is not None else None
            lexicon = lexicons.get(doc.name) if lexicons is not None else None
            cands, ctx = candidates(text, doc=doc.name, published=published, typed=typed, triggers=lexicon or {})
            if ctx is None:
                continue
            doc.published = published
            doc.cands += cands
            doc.rows += features(cands, ctx, published)
            news = news_of_the_day(text, published)
            for cand in cands:
                opts = date_options(cand, ctx, published)
                doc.date_opts.append([v for v, _ in opts])
                doc.date_at.append(len(doc.date_rows))
                doc.date_rows += describe_dates(cand, opts, ctx, published, news)
        label(doc, evidence)
        if progress and (i + 1) % 50 == 0:
            progress(f"{i + 1}/{len(docs)} documents")


def build(train: list[Doc], dev: list[Doc], texts: dict[str, list[tuple[str, PartialDate | None]]],
          evidence: Callable[[dict], str], progress: Callable[[str], None] | None = None,
          cache: Callable[[CrossFit, dict[str, Any]], None] | None = None, jobs: int = 1) -> dict[str, Any]:
    """The whole model from annotated documents: the typer (cross-fitted), the candidates
    with their features, the keep and modality boosters and the tuned thresholds (``jobs``:
    cross-validation folds fitted at once, in worker processes; the same model)."""
    from ..pipeline import PSEUDO_MIN

    for d in (*train, *dev):
        if not d.typer_items:
            sentence_data([d], texts, evidence)
    typer, probs = typer_probs(train, dev)
    lexicon, lexicons = trigger_lexicons(train, dev)
    if progress:
        progress("typer trained")
    prepare([*train, *dev], texts, evidence, probs, progress, lexicons)
    cf = cross_fit(train, dev, progress=progress, jobs=jobs)
    if cache is not None:
        cache(cf, {"typer_models": typer, "pseudo_triggers": lexicon})
    model = settle(cf, progress, evidence)
    model["typer_models"] = typer
    model["pseudo_triggers"] = lexicon
    model["pseudo_min"] = PSEUDO_MIN
    model["trained_on"] = trained_on(train, dev)
    return model


def trained_on(train: Sequence[Doc], held: Sequence[Doc]) -> dict[str, Any]:
    """What a model learnt from, split by split, and the split it was scored on (if any)."""
    out: dict[str, Any] = {s: summary([d for d in train if d.split == s]) for s in sorted({d.split for d in train})}
    if held:
        out["held_out"] = summary(held)
    return out


def summary(docs: Sequence[Doc]) -> dict[str, int]:
    return {"documents": len(docs), "candidates": sum(len(d.cands) for d in docs),
            "right": sum(k == 1 for d in docs for k in d.keep), "wrong": sum(k == 0 for d in docs for k in d.keep)}


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


def fold_of(name: str, folds: int) -> int:
    """A document's cross-validation fold (by a hash of its name: stable as the corpus grows)."""
    import zlib

    return zlib.crc32(name.encode()) % folds


def _boost(params: dict[str, Any], x: Any, y: list[int], valid: tuple[Any, list[int]] | None = None,
           rounds: int | None = None) -> Any:
    """One booster: ``rounds`` rounds, or early-stopped on ``valid``."""
    import lightgbm as lgb

    ds = lgb.Dataset(x, label=y, free_raw_data=False)
    if rounds is not None:
        return lgb.train(params, ds, num_boost_round=max(1, rounds))
    if valid is None or not len(valid[1]) or len(set(valid[1])) < 2:
        return lgb.train(params, ds, num_boost_round=DEFAULT_ROUNDS)
    vs = [lgb.Dataset(valid[0], label=valid[1], reference=ds)]
    b = lgb.train(params, ds, num_boost_round=MAX_ROUNDS, valid_sets=vs,
                  callbacks=[lgb.early_stopping(PATIENCE, verbose=False)])
    return b if b.best_iteration <= 0 else lgb.train(params, ds, num_boost_round=b.best_iteration)


def _boosters(train: Sequence[Doc], held: Sequence[Doc] | None, rounds: dict[str, int] | None = None
              ) -> dict[str, Any]:
    """The keep, modality and date boosters on ``train``: early-stopped on ``held``, or with
    the given numbers of rounds."""
    out: dict[str, Any] = {}
    for which, params in (("keep", KEEP_PARAMS), ("modality", MODALITY_PARAMS)):
        x, y, _ = _dataset(train, which)
        valid = _dataset(held, which)[:2] if held is not None else None
        out[which] = _boost(params, x, y, valid, rounds[which] if rounds else None)
    x, y = _date_dataset(train)
    if sum(y) < 10:
        out["date"] = None
    else:
        valid = _date_dataset(held) if held is not None else None
        out["date"] = _boost(DATE_PARAMS, x, y, valid, rounds["date"] if rounds else None)
    return out


@dataclass
class CrossFit:
    """What cross-validation leaves for tuning: the documents (their candidates without
    parses), the out-of-fold predictions of train, the final boosters' predictions of dev,
    and the final boosters. Picklable, so that tuning can be repeated without training
    (``eval/train.py --cache FILE`` / ``--retune FILE``)."""

    train: list[Doc]
    dev: list[Doc]
    oof: dict[str, tuple[Any, Any]]
    oof_dates: dict[str, Any]
    dev_probs: list[tuple[Any, Any]]
    dev_dates: list[Any]
    rounds: dict[str, int]
    folds: int
    boosters: dict[str, str | None]


def _slim(d: Doc) -> Doc:
    """A document as tuning reads it: candidates without their frames and parses."""
    cands = [dataclasses.replace(c, frame=None) for c in d.cands]
    return Doc(d.name, d.split, d.gold, d.published, cands, keep=d.keep, date_opts=d.date_opts, date_at=d.date_at)


def _learning_view(d: Doc) -> Doc:
    """What the boosters learn from and predict for a document (no candidates, parses or
    typer items): cheap to send to another process."""
    return Doc(d.name, d.split, [], d.published, rows=d.rows, keep=d.keep, match=d.match, modality=d.modality,
               date_opts=d.date_opts, date_at=d.date_at, date_rows=d.date_rows, gold_date=d.gold_date)


_FOLD_DOCS: list[Doc] = []  # a fold worker's documents (set once per worker process)


def _set_fold_docs(docs: list[Doc]) -> None:
    _FOLD_DOCS[:] = docs


def _fit_fold(held_names: frozenset[str]) -> tuple[dict[str, int | None], list[tuple[Any, Any]], list[Any]]:
    """One fold: the boosters learn from the other documents, early-stopped on this fold,
    and predict it (its rounds, keep and modality probabilities, date probabilities)."""
    held = [d for d in _FOLD_DOCS if d.name in held_names]
    b = _boosters([d for d in _FOLD_DOCS if d.name not in held_names], held)
    rounds = {w: (m.current_iteration() if m is not None else None) for w, m in b.items()}
    return rounds, predict(held, b["keep"], b["modality"]), date_predictions(held, b["date"])


def _fit_folds(train: Sequence[Doc], parts: list[list[Doc]], jobs: int) -> Iterator[Any]:
    """Each fold's ``_fit_fold``, in the order of ``parts``: in this process, or in ``jobs``
    worker processes (each booster is single-threaded and deterministic, so the results are
    the same either way)."""
    views = [_learning_view(d) for d in train]
    names = [frozenset(d.name for d in p) for p in parts]
    if jobs <= 1 or len(parts) < 2:
        _set_fold_docs(views)
        try:
            yield from map(_fit_fold, names)
        finally:
            _set_fold_docs([])
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawned, not forked: a forked child may hang in an OpenMP pool its parent used
    with ProcessPoolExecutor(max_workers=min(jobs, len(parts)), mp_context=multiprocessing.get_context("spawn"),
                             initializer=_set_fold_docs, initargs=(views,)) as pool:
        yield from pool.map(_fit_fold, names)


def cross_fit(train: Sequence[Doc], dev: Sequence[Doc], folds: int = FOLDS,
              progress: Callable[[str], None] | None = None, jobs: int = 1) -> CrossFit:
    """The boosters by cross-validation on ``train``: each fold's boosters (early-stopped on
    the fold) predict the fold; the final boosters learn from all of it with the folds'
    median number of rounds and predict ``dev``. ``jobs``: folds fitted at once."""
    import statistics

    k = max(2, min(folds, len(train)))
    parts = [[d for d in train if fold_of(d.name, k) == i] for i in range(k)]
    parts = [p for p in parts if p and len(p) < len(train)]
    oof: dict[str, tuple[Any, Any]] = {}
    oof_dates: dict[str, Any] = {}
    its: dict[str, list[int]] = {"keep": [], "modality": [], "date": []}
    for held, (rounds, probs, dprobs) in zip(parts, _fit_folds(train, parts, jobs)):
        for which, seen in its.items():
            if rounds[which] is not None:
                seen.append(rounds[which])
        for d, p, dp in zip(held, probs, dprobs):
            oof[d.name], oof_dates[d.name] = p, dp
        if progress:
            progress(f"fold {len(its['keep'])}/{len(parts)}: rounds {[v[-1] for v in its.values() if v]}")
    rounds = {w: int(statistics.median(v)) if v else DEFAULT_ROUNDS for w, v in its.items()}
    final = _boosters(train, None, rounds)
    if progress:
        progress(f"final boosters: rounds {rounds}")
    rounds["date"] = final["date"].current_iteration() if final["date"] is not None else 0
    if final["date"] is None:
        oof_dates = {}
    return CrossFit(
        train=[_slim(d) for d in train if d.name in oof], dev=[_slim(d) for d in dev], oof=oof,
        oof_dates=oof_dates, dev_probs=predict(dev, final["keep"], final["modality"]),
        dev_dates=date_predictions(dev, final["date"]), rounds=rounds, folds=len(parts),
        boosters={w: (b.model_to_string() if b is not None else None) for w, b in final.items()})


def settle(cf: CrossFit, progress: Callable[[str], None] | None = None,
           evidence: Callable[[dict], str] | None = None) -> dict[str, Any]:
    """Tune every setting on the out-of-fold predictions, score dev, and assemble the model
    (``evidence``: the gold claims' evidence text, which tells a misreading apart)."""
    dprobs = [cf.oof_dates[d.name] for d in cf.train] if cf.oof_dates else None
    settings, tuned = tune(cf.train, [cf.oof[d.name] for d in cf.train], dprobs, evidence)
    if progress:
        progress(f"tuned on {len(cf.train)} documents out of fold: {tuned}")
    dev_score = None
    if cf.dev:
        dev_claims = decided(cf.dev, cf.dev_probs, settings, cf.dev_dates if cf.boosters.get("date") else None)
        dev_score = _summary_of(score(dev_claims, [g for d in cf.dev for g in d.gold]), evidence)
    # each split trained on, scored out of fold with the tuned settings: with the dev split
    # among the training documents this is its fair score (no booster saw its documents)
    by_split: dict[str, Any] = {}
    for split in sorted({d.split for d in cf.train}):
        docs = [d for d in cf.train if d.split == split]
        claims = decided(docs, [cf.oof[d.name] for d in docs], settings,
                         [cf.oof_dates[d.name] for d in docs] if cf.oof_dates else None)
        by_split[split] = _summary_of(score(claims, [g for d in docs for g in d.gold]), evidence)
    return {
        "format": 1,
        **settings.stored(),
        "rounds": cf.rounds,
        "folds": cf.folds,
        "tuning": tuned,
        "out_of_fold": by_split,
        "dev": dev_score,
        "keep_model": cf.boosters["keep"],
        "modality_model": cf.boosters["modality"],
        "date_model": cf.boosters.get("date"),
    }


def _date_dataset(docs: Iterable[Doc]) -> tuple[Any, list[int]]:
    from ...evaluation import dates_compatible
    from .dates import matrix as date_matrix

    rows, ys = [], []
    for d in docs:
        for i, gd in enumerate(d.gold_date):
            if gd is None or d.match[i] != 1:
                continue
            opts = d.date_opts[i]
            if len(opts) < 2:
                continue
            at = d.date_at[i]
            for j, v in enumerate(opts):
                rows.append(d.date_rows[at + j])
                ys.append(int(v is not None and dates_compatible(gd, v.value)))
    return date_matrix(rows), ys


def date_predictions(docs: Sequence[Doc], date_model: Any) -> list[Any]:
    from .dates import matrix as date_matrix

    if date_model is None:
        return [None] * len(docs)
    return [date_model.predict(date_matrix(d.date_rows), num_threads=1) if d.date_rows else [] for d in docs]


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


def decided(docs: Sequence[Doc], probs: Sequence[tuple[Any, Any]], settings: Settings,
            date_probs: Sequence[Any] | None = None) -> list[dict]:
    """The claims the decision stage keeps for these documents, as scored dicts."""
    from ..pipeline import merge
    from ..registry import claim_types

    types = claim_types()
    out = []
    for n, (d, (pk, pm)) in enumerate(zip(docs, probs)):
        # only the candidates that stay are copied and decided (the others change nothing)
        at = [i for i, c in enumerate(d.cands) if passes(c, pk[i], settings)]
        fresh = [dataclasses.replace(d.cands[i], claim=dataclasses.replace(d.cands[i].claim)) for i in at]
        dp = date_probs[n] if date_probs is not None else None
        if dp is not None and len(dp):
            for i, cand in zip(at, fresh):
                opts = d.date_opts[i]
                if len(opts) < 2 or not redatable(cand):
                    continue
                best = pick_date(dp[d.date_at[i]:d.date_at[i] + len(opts)], settings.date_margin)
                if best:
                    cand.claim.date = opts[best]
        kept = merge(choose(fresh, [pk[i] for i in at], [pm[i] for i in at], settings), types)
        for c in kept:
            rec = c.to_json()
            rec["doc"] = d.name
            out.append(rec)
    return out


def misread(r: Any, evidence: Callable[[dict], str] | None) -> int:
    """The scorer's costly errors that are misreadings: the asserted claim comes from the
    sentence that states the gold claim as planned, negated or speculative. The scorer
    pairs on type, parties and date alone, so an unrelated false positive (another sentence,
    which precision already counts) can pair with a hedged gold claim of the same two
    actors; without ``evidence`` every pairing counts."""
    if evidence is None:
        return len(r.asserted_when_not)
    return sum(same_sentence(evidence(g), e["evidence"]["text"]) for g, e in r.asserted_when_not)


def costly_weight(r: Any, evidence: Callable[[dict], str] | None) -> float:
    """The costly errors as tuning weighs them: a misreading counts whole, a pairing of a
    false positive from another sentence with a hedged gold claim ``PAIRING_SHARE``."""
    wrong = misread(r, evidence)
    return wrong + PAIRING_SHARE * (len(r.asserted_when_not) - wrong)


def _summary_of(r: Any, evidence: Callable[[dict], str] | None = None) -> dict[str, Any]:
    out = {"f1": round(r.overall.f1, 4), "precision": round(r.overall.precision, 4),
           "recall": round(r.overall.recall, 4), "asserted_when_not": len(r.asserted_when_not)}
    if evidence is not None:
        out["misread"] = misread(r, evidence)
    return out


def tune(docs: Sequence[Doc], probs: Sequence[tuple[Any, Any]], dprobs: Sequence[Any] | None = None,
         evidence: Callable[[dict], str] | None = None) -> tuple[Settings, dict[str, Any]]:
    """The decision's settings (keep thresholds, asserting and demoting bars, modality
    margin, date margin) by coordinate ascent from a few starts, each setting moved in turn
    over its grid while one improves strict F1 on ``docs`` (their out-of-fold predictions
    ``probs`` and ``dprobs``) less a penalty per costly error (weighed by ``costly_weight``
    when the gold's ``evidence`` is given, which tells a misreading from a pairing)."""
    gold = [g for d in docs for g in d.gold]
    required = max(1, sum(not g.get("optional") for g in gold))

    def objective(r: Any) -> float:
        # the penalty is per costly error per 1,000 required gold claims: the same trade-off
        # whatever the size of the set tuned on
        return r.overall.f1 - COSTLY_PENALTY * 1000 * costly_weight(r, evidence) / required

    seen: dict[Settings, tuple[float, dict[str, Any]]] = {}

    def run(s: Settings) -> tuple[float, dict[str, Any]]:
        if s not in seen:  # the ascents cross the same points
            r = score(decided(docs, probs, s, date_probs=dprobs), gold)
            seen[s] = objective(r), _summary_of(r, evidence)
        return seen[s]

    grids: dict[str, list[float]] = {
        "threshold": THRESHOLDS, "rule_threshold": RULE_THRESHOLDS, "assert_min": ASSERT_MINS,
        "demote_min": DEMOTE_MINS, "drop_below": DROP_BELOWS, "modality_margin": MODALITY_MARGINS,
        "generated_assert_min": GENERATED_ASSERT_MINS,
    }
    if dprobs is not None:
        grids["date_margin"] = DATE_MARGINS

    def ascend(s: Settings) -> tuple[float, dict[str, Any], Settings]:
        best_o, best_s = run(s)
        for _ in range(4):
            moved = False
            for name, grid in grids.items():
                for v in grid:
                    if v == getattr(s, name):
                        continue
                    o, summ = run(dataclasses.replace(s, **{name: v}))
                    if o > best_o + 1e-9:
                        best_o, best_s, s, moved = o, summ, dataclasses.replace(s, **{name: v}), True
            if not moved:
                break
        return best_o, best_s, s

    # the objective has plateaus and local optima: ascend from a few starts, keep the best
    best: tuple[float, dict[str, Any], Settings] | None = None
    for th, rth, am in TUNING_STARTS:
        start = Settings(threshold=th, rule_threshold=rth, assert_min=am, generated_assert_min=0.9,
                         demote_min=0.0, modality_margin=0.2, date_margin=2.0)
        found = ascend(start)
        if best is None or found[0] > best[0] + 1e-9:
            best = found
    assert best is not None
    return best[2], best[1]


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


__all__ = [
    "CrossFit",
    "Doc",
    "build",
    "cross_fit",
    "decided",
    "evidence_loader",
    "fit_typer",
    "label",
    "misread",
    "predict",
    "prepare",
    "same_sentence",
    "sentence_data",
    "settle",
    "subset",
    "summary",
    "tune",
    "typer_probs",
]
