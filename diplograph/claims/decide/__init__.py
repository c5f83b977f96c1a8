"""The decision stage: the rules propose, a trained model decides.

For every candidate claim (the rules' own claims and every other pairing of the actors
around a trigger), two gradient-boosted tree models trained on the annotated corpus
(``eval/train.py``) give the probability that the claim is one the text states (type,
parties and direction) and the probability of each modality. A candidate is kept when the
first passes the threshold tuned on the dev split; its modality is the most probable one,
except that the model never turns a claim the rules found hedged, planned or negated into
an asserted one, and asserts only above a tuned probability (an asserted speculation is
the costliest error). The weights ship in ``diplograph/data/models/decide.json``; without
that file the rules decide alone."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ...models import MODALITIES, Claim, PartialDate
from .features import Candidate, describe, matrix, neighbourhood
from .typer import SentenceTyper

MODEL_FILE = "decide.json"
_CHOICE: Any = True  # True: the shipped model; False: none (the rules decide); or a DecisionModel


class DecisionModel:
    """The two boosters and the thresholds tuned with them."""

    def __init__(self, data: dict[str, Any]) -> None:
        import lightgbm as lgb

        self.meta = {k: v for k, v in data.items() if not k.endswith(("_model", "_models"))}
        self.keep = lgb.Booster(model_str=data["keep_model"])
        self.modality = lgb.Booster(model_str=data["modality_model"])
        self.threshold = float(data["keep_threshold"])  # for the pair generator's candidates
        self.rule_threshold = float(data.get("rule_threshold", self.threshold))  # for the rules' own
        self.assert_min = float(data["assert_min"])
        self.modality_margin = float(data.get("modality_margin", 0.0))
        self.generated_assert_min = float(data.get("generated_assert_min", self.assert_min))
        self.pseudo_min = float(data.get("pseudo_min", 1.0))
        self.dates = lgb.Booster(model_str=data["date_model"]) if data.get("date_model") else None
        self.date_margin = float(data.get("date_margin", 1.0))
        self.typer = SentenceTyper(data["typer_models"]) if data.get("typer_models") else None

    def typed(self, sentences: Any, idx: list[int], rows: list[Any]) -> list[dict[str, float]]:
        """The sentence typer's probabilities for the given sentence rows."""
        return self.typer.predict(rows) if self.typer is not None else [{} for _ in rows]

    def predict(self, rows: list[tuple[list[float], list[str]]]) -> tuple[Any, Any]:
        x = matrix(rows)
        return self.keep.predict(x, num_threads=1), self.modality.predict(x, num_threads=1)


@cache
def _load() -> DecisionModel | None:
    path = resources.files("diplograph") / "data" / "models" / MODEL_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    return DecisionModel(data)


def decision_model() -> DecisionModel | None:
    """The model in use: the shipped one unless ``use_model`` said otherwise."""
    if _CHOICE is True:
        return _load()
    return _CHOICE or None


def use_model(choice: bool | dict[str, Any] | DecisionModel) -> None:
    """For this process: True, the shipped model; False, none (the rules decide alone); or
    a model of one's own (its data, as ``eval/train.py`` writes it)."""
    global _CHOICE
    _CHOICE = DecisionModel(choice) if isinstance(choice, dict) else choice


def features(cands: list[Candidate], ctx: Any, published: PartialDate | None) -> list[tuple[list[float], list[str]]]:
    counts = neighbourhood(cands, ctx)
    return [describe(c, ctx, published, counts) for c in cands]


def passes(cand: Candidate, p_keep: float, threshold: float, rule_threshold: float | None = None) -> bool:
    """Whether a candidate stays: the rules' own claims and the generator's have their own bars."""
    return p_keep >= (rule_threshold if cand.from_rule and rule_threshold is not None else threshold)


def choose(cands: list[Candidate], p_keep: Any, p_mod: Any, *, threshold: float, assert_min: float,
           rule_threshold: float | None = None, modality_margin: float = 0.0,
           generated_assert_min: float | None = None) -> list[Claim]:
    """Apply the decisions: which candidates stay (the rules' own claims and the generator's
    each above their threshold), with which modality (the rules' reading unless the model's
    is more probable by ``modality_margin``) and confidence."""
    kept: list[tuple[float, Candidate, str]] = []
    a = MODALITIES.index("asserted")
    for cand, pk, pm in zip(cands, p_keep, p_mod):
        if not passes(cand, pk, threshold, rule_threshold):
            continue
        probs = list(pm)
        rule = cand.claim.modality
        if rule != "asserted":
            probs[a] = 0.0  # never turn a hedged, planned or negated reading into a fact
        bar = assert_min if cand.from_rule or generated_assert_min is None else max(assert_min, generated_assert_min)
        best = max(range(len(probs)), key=lambda i: probs[i])
        if best == a and probs[a] < bar:
            best = max((i for i in range(len(probs)) if i != a), key=lambda i: probs[i])
        r = MODALITIES.index(rule)
        if best != r and probs[best] <= probs[r] + modality_margin and not (r == a and probs[a] < bar):
            best = r  # not sure enough to overrule the rules' reading
        kept.append((float(pk), cand, MODALITIES[best]))
    # a directed claim and its reverse from the same sentence: the more probable reading
    best_of: dict[tuple, float] = {}
    for pk, cand, _ in kept:
        c = cand.claim
        if c.subject is not None and c.object is not None:
            k = (c.type, c.evidence_start, frozenset((c.subject.id, c.object.id)), c.subject.id)
            best_of[k] = max(best_of.get(k, 0.0), pk)
    out: list[Claim] = []
    for pk, cand, modality in kept:
        c = cand.claim
        if c.subject is not None and c.object is not None and c.subject.id != c.object.id:
            rev = (c.type, c.evidence_start, frozenset((c.subject.id, c.object.id)), c.object.id)
            if best_of.get(rev, 0.0) > pk:
                continue
        c.modality = modality  # type: ignore[assignment]
        c.confidence = round(max(0.01, min(0.99, pk)), 3)
        out.append(c)
    return out


def decide(cands: list[Candidate], ctx: Any, published: PartialDate | None) -> list[Claim]:
    """The decision stage for one document's candidates."""
    model = decision_model()
    if model is None or not cands:
        return [c.claim for c in cands if c.from_rule]
    p_keep, p_mod = model.predict(features(cands, ctx, published))
    if model.dates is not None:  # the date of each claim that stays, read as the rules read it
        from . import dates

        dates.choose([c for c, p in zip(cands, p_keep) if passes(c, p, model.threshold, model.rule_threshold)],
                     ctx, published, model.dates, model.date_margin)
    return choose(cands, p_keep, p_mod, threshold=model.threshold, assert_min=model.assert_min,
                  rule_threshold=model.rule_threshold, modality_margin=model.modality_margin,
                  generated_assert_min=model.generated_assert_min)


__all__ = ["Candidate", "DecisionModel", "decide", "decision_model", "features", "choose", "passes", "use_model"]
