"""The second look: a candidate's keep probability read again beside its neighbours'.

The keep model judges each candidate alone. Whether a pairing is the one a sentence states
also shows in how the model judged the others: a rival pairing of the same type that the
model likes better, the reverse direction, the same two actors and type judged likely in
another sentence of the document (a story tells its main facts more than once). A small
booster over the first probabilities and these neighbourhood counts (stacking) gives the
probability the decision uses. It learns from out-of-fold probabilities of the training
documents, the kind the first model gives on a document it never saw."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ...models import CLAIM_TYPES
from .features import Candidate

COLUMNS = (
    "p_keep", "from_rule", "type", "sentence_max", "sentence_type_max", "sentence_pair_max", "type_rank",
    "type_count", "sentence_count", "type_margin", "elsewhere_max", "elsewhere_count", "elsewhere_likely",
    "reverse_p", "pair_max", "pair_count", "doc_likely", "doc_count",
)
TYPE_COLUMN = COLUMNS.index("type")
LIKELY = 0.4  # a first probability that counts as a likely claim in the counts
PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 40,
          "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "seed": 1,
          "deterministic": True, "num_threads": 1, "verbose": -1}
ROUNDS = 300


def _pair(c: Any) -> frozenset[str]:
    ids = [x.id for x in (c.subject, c.object) if x is not None]
    return frozenset(ids or [p.id for p in (c.parties or [])])


def rows(cands: Sequence[Candidate], p_keep: Sequence[float]) -> list[list[float]]:
    """One row (in COLUMNS' order) for each candidate of one document."""
    p = [float(v) for v in p_keep]
    keys = []
    by_sentence: dict[int, list[int]] = defaultdict(list)
    by_type: dict[tuple, list[int]] = defaultdict(list)
    by_pair: dict[tuple, list[int]] = defaultdict(list)
    by_claim: dict[tuple, list[int]] = defaultdict(list)
    by_doc_pair: dict[frozenset, list[int]] = defaultdict(list)
    for i, cand in enumerate(cands):
        c = cand.claim
        k, t, pair = c.evidence_start, c.type, _pair(c)
        keys.append((k, t, pair))
        by_sentence[k].append(i)
        by_type[(k, t)].append(i)
        by_pair[(k, pair)].append(i)
        by_claim[(t, pair)].append(i)
        by_doc_pair[pair].append(i)
    likely = sum(v > LIKELY for v in p)

    def best(idx: list[int], skip: int | None) -> float:
        return max((p[j] for j in idx if j != skip), default=-1.0)

    out = []
    for i, cand in enumerate(cands):
        k, t, pair = keys[i]
        c = cand.claim
        same_type = by_type[(k, t)]
        elsewhere = [j for j in by_claim[(t, pair)] if keys[j][0] != k]
        reverse = -1.0
        if c.subject is not None and c.object is not None:
            for j in same_type:
                o = cands[j].claim
                if j != i and o.subject is not None and o.object is not None \
                        and o.subject.id == c.object.id and o.object.id == c.subject.id:
                    reverse = max(reverse, p[j])
        rival = best(same_type, i)
        out.append([
            p[i], float(cand.from_rule), float(CLAIM_TYPES.index(t)) if t in CLAIM_TYPES else -1.0,
            best(by_sentence[k], i), rival, best(by_pair[(k, pair)], i),
            float(sum(p[j] > p[i] for j in same_type)), float(len(same_type)), float(len(by_sentence[k])),
            p[i] - max(rival, 0.0), best(elsewhere, None), float(len(elsewhere)),
            float(sum(p[j] > LIKELY for j in elsewhere)), reverse, best(by_doc_pair[pair], i),
            float(len(by_doc_pair[pair])), float(likely), float(len(cands)),
        ])
    return out


def predict(booster: Any, cands: Sequence[Candidate], p_keep: Any) -> Any:
    """The second keep probabilities of one document's candidates (the first ones when
    there is no booster)."""
    if booster is None or not len(cands):
        return p_keep
    import numpy as np

    return booster.predict(np.asarray(rows(cands, p_keep), dtype=float), num_threads=1)


def _train(x: Any, y: Any) -> Any:
    import lightgbm as lgb

    if len(set(y.tolist())) < 2:
        return None  # nothing to learn: no labelled candidate, or all of one kind
    data = lgb.Dataset(x, y, feature_name=list(COLUMNS), categorical_feature=[TYPE_COLUMN], free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=ROUNDS)


def fit(docs: Sequence[Any], p_keep: Sequence[Any], fold_of: Any, folds: int
        ) -> tuple[Any, list[Any]]:
    """The booster learnt from all ``docs`` (their candidates, keep labels and first
    out-of-fold probabilities; None when they hold nothing to learn), and each document's
    second probabilities out of fold (from a booster that never saw it), which is what
    tuning reads."""
    import numpy as np

    per_doc = [np.asarray(rows(d.cands, p), dtype=float) if len(d.cands) else np.zeros((0, len(COLUMNS)))
               for d, p in zip(docs, p_keep)]
    labelled = [[i for i, y in enumerate(d.keep) if y is not None] for d in docs]
    fold = [fold_of(d.name, folds) for d in docs]

    def stacked(which: Any) -> tuple[Any, Any]:
        x = np.vstack([per_doc[n][labelled[n]] for n in which if labelled[n]] or [np.zeros((0, len(COLUMNS)))])
        y = np.array([docs[n].keep[i] for n in which for i in labelled[n]], dtype=float)
        return x, y

    out: list[Any] = [None] * len(docs)
    for f in sorted(set(fold)):
        x, y = stacked([n for n in range(len(docs)) if fold[n] != f])
        b = _train(x, y)
        for n in range(len(docs)):
            if fold[n] == f:
                out[n] = b.predict(per_doc[n], num_threads=1) if b is not None and len(per_doc[n]) else p_keep[n]
    x, y = stacked(range(len(docs)))
    return _train(x, y), out
