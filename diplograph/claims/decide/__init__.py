"""The decision stage: the rules propose, a trained model decides.

For every candidate claim (the rules' own claims and every other pairing of the actors
around a trigger), two gradient-boosted tree models trained on the annotated corpus
(``eval/train.py``) give the probability that the claim is one the text states (type,
parties and direction) and the probability of each modality; a third ranks the date
mentions a claim could take. A candidate is kept when the first passes its threshold; its
modality is the most probable one, except that the model never turns a claim the rules
found hedged, planned or negated into an asserted one, and asserts only above a tuned
probability (an asserted speculation is the costliest error). The thresholds and bars
(``Settings``) are tuned by cross-validation on the train split with the boosters. The weights ship in ``diplograph/data/models/decide.json``; without
that file the rules decide alone."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ...errors import DataFileError
from ...models import MODALITIES, Claim, PartialDate
from .features import Candidate, describe, matrix, neighbourhood
from .typer import SentenceTyper

MODEL_FILE = "decide.json"
_CHOICE: Any = True  # True: the shipped model; False: none (the rules decide); or a DecisionModel


@dataclass(frozen=True)
class Settings:
    """How the decision stage reads the models' probabilities (tuned with them)."""

    threshold: float = 0.5  # least keep probability of a pair generator's candidate
    rule_threshold: float = 0.5  # ... of one of the rules' own claims
    assert_min: float = 0.7  # least probability of an asserted reading of the rules' claims
    generated_assert_min: float = 0.7  # ... of the generator's (never below assert_min)
    demote_min: float = 0.0  # least probability of the reading that replaces an asserted one
    modality_margin: float = 0.0  # by how much the model's modality must beat the rules'
    date_margin: float = 1.0  # by how much the date ranker's choice must beat the rules' date
    drop_below: float = 0.0  # an unsure asserted reading whose best alternative is less probable is dropped

    @classmethod
    def of(cls, data: dict[str, Any]) -> Settings:
        """The settings stored in a model file (its own keys, older files' defaults)."""
        assert_min = float(data["assert_min"])
        return cls(threshold=float(data["keep_threshold"]),
                   rule_threshold=float(data.get("rule_threshold", data["keep_threshold"])),
                   assert_min=assert_min, generated_assert_min=float(data.get("generated_assert_min", assert_min)),
                   demote_min=float(data.get("demote_min", 0.0)),
                   modality_margin=float(data.get("modality_margin", 0.0)),
                   date_margin=float(data.get("date_margin", 1.0)),
                   drop_below=float(data.get("drop_below", 0.0)))

    def stored(self) -> dict[str, float]:
        """The settings as a model file keeps them."""
        out = {k: v for k, v in dataclasses.asdict(self).items() if k != "threshold"}
        return {"keep_threshold": self.threshold, **out}


class DecisionModel:
    """The boosters and the settings tuned with them."""

    def __init__(self, data: dict[str, Any]) -> None:
        import lightgbm as lgb

        self.meta = {k: v for k, v in data.items() if not k.endswith(("_model", "_models", "_triggers"))}
        self.keep = lgb.Booster(model_str=data["keep_model"])
        self.modality = lgb.Booster(model_str=data["modality_model"])
        self.settings = Settings.of(data)
        self.pseudo_min = float(data.get("pseudo_min", 1.0))
        self.dates = lgb.Booster(model_str=data["date_model"]) if data.get("date_model") else None
        self.typer = SentenceTyper(data["typer_models"]) if data.get("typer_models") else None
        self.pseudo_triggers: dict[str, dict[str, float]] | None = data.get("pseudo_triggers")

    def mismatches(self) -> list[str]:
        """The boosters that read a different number of inputs than this code describes a
        candidate, a date option or a sentence with: a model trained before the features
        changed (each prediction would fail)."""
        from .dates import N_FEATURES as date_inputs
        from .features import N_FEATURES as candidate_inputs
        from .typer import N_FEATURES as sentence_inputs

        boosters = [("keep", self.keep, candidate_inputs), ("modality", self.modality, candidate_inputs)]
        if self.dates is not None:
            boosters.append(("date", self.dates, date_inputs))
        if self.typer is not None:
            boosters += [(f"typer {t}", b, sentence_inputs) for t, b in sorted(self.typer.boosters.items())]
        return [f"the {name} model reads {b.num_feature()} inputs; this code gives {n}"
                for name, b, n in boosters if b.num_feature() != n]

    def typed(self, sentences: Any, idx: list[int], rows: list[Any]) -> list[dict[str, float]]:
        """The sentence typer's probabilities for the given sentence rows."""
        return self.typer.predict(rows) if self.typer is not None else [{} for _ in rows]

    def modality_of_rows(self, x: Any, rows: list[int]) -> list[Any]:
        """The modality probabilities of the given rows of ``x`` (None for the others): only
        the candidates that stay need one, about a fifth of them."""
        out: list[Any] = [None] * x.shape[0]
        if rows:
            for i, p in zip(rows, self.modality.predict(x[rows], num_threads=1)):
                out[i] = p
        return out


@cache
def _load() -> DecisionModel | None:
    return load_model(resources.files("diplograph") / "data" / "models" / MODEL_FILE)


def load_model(path: Any) -> DecisionModel | None:
    """The model in a file (None if there is none); refused, with what to do, when it was
    trained on other features than this code describes."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    model = DecisionModel(data)
    if problems := model.mismatches():
        raise DataFileError(str(path), [*problems, "the model was trained with other features: rebuild it "
                                        "with `python eval/train.py` (or install the release it came with)"])
    return model


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


def passes(cand: Candidate, p_keep: float, settings: Settings) -> bool:
    """Whether a candidate stays: the rules' own claims and the generator's have their own bars."""
    return p_keep >= (settings.rule_threshold if cand.from_rule else settings.threshold)


def modality_of(cand: Candidate, probs: Any, s: Settings) -> str | None:
    """A kept candidate's modality: the rules' reading unless the model's is more probable by
    ``s.modality_margin``. The model never turns a hedged, planned or negated reading into a
    fact; it asserts only above ``s.assert_min`` (an asserted speculation is the costliest
    error), and then demotes an asserted reading only to one at least ``s.demote_min``
    probable. None: the claim is dropped, when an asserted reading falls short of the bar and
    no other reading reaches ``s.drop_below`` (a demotion would be a guess too)."""
    a = MODALITIES.index("asserted")
    probs = list(probs)
    rule = MODALITIES.index(cand.claim.modality)
    if rule != a:
        probs[a] = 0.0
    bar = s.assert_min if cand.from_rule else max(s.assert_min, s.generated_assert_min)
    other = max((i for i in range(len(probs)) if i != a), key=lambda i: probs[i])
    doubtful = probs[a] < bar and probs[other] >= s.demote_min  # asserting would be a gamble
    best = max(range(len(probs)), key=lambda i: probs[i])
    if probs[a] < bar and a in (rule, best) and probs[other] < s.drop_below:
        return None
    if best == a and doubtful:
        best = other
    if best != rule and probs[best] <= probs[rule] + s.modality_margin and not (rule == a and doubtful):
        best = rule  # not sure enough to overrule the rules' reading
    return MODALITIES[best]


def _day(c: Claim) -> str | None:
    return c.date.value if c.date else None


def choose(cands: list[Candidate], p_keep: Any, p_mod: Any, settings: Settings) -> list[Claim]:
    """Apply the decisions: which candidates stay (the rules' own claims and the generator's
    each above their threshold), with which modality (``modality_of``) and confidence; of a
    directed claim and its reverse from the same sentence and date, the more probable reading
    (with different dates they are two events: "Israel opened its embassy in Tashkent in May
    1992, while Uzbekistan opened its own in Israel in March 1997"), unless the rules read
    both ("Iran and Saudi Arabia reopened their embassies": each in the other)."""
    read = [(float(pk), cand, modality_of(cand, pm, settings))
            for cand, pk, pm in zip(cands, p_keep, p_mod) if passes(cand, pk, settings)]
    kept = [(pk, cand, m) for pk, cand, m in read if m is not None]
    best_of: dict[tuple, float] = {}
    by_rules: set[tuple] = set()  # directed claims the rules read both ways ("reopened their embassies")
    for pk, cand, _ in kept:
        c = cand.claim
        if c.subject is not None and c.object is not None:
            k = (c.type, c.evidence_start, frozenset((c.subject.id, c.object.id)), c.subject.id, _day(c))
            best_of[k] = max(best_of.get(k, 0.0), pk)
            if cand.from_rule:
                by_rules.add(k)
    out: list[Claim] = []
    for pk, cand, modality in kept:
        c = cand.claim
        if c.subject is not None and c.object is not None and c.subject.id != c.object.id:
            rev = (c.type, c.evidence_start, frozenset((c.subject.id, c.object.id)), c.object.id, _day(c))
            if best_of.get(rev, 0.0) > pk and not (cand.from_rule and rev in by_rules):
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
    x = matrix(features(cands, ctx, published))
    p_keep = model.keep.predict(x, num_threads=1)
    stay = [i for i, (c, p) in enumerate(zip(cands, p_keep)) if passes(c, p, model.settings)]
    p_mod = model.modality_of_rows(x, stay)  # choose reads it for those alone
    if model.dates is not None:  # the date of each claim that stays, read as the rules read it
        from . import dates

        dates.choose([cands[i] for i in stay], ctx, published, model.dates, model.settings.date_margin)
    return choose(cands, p_keep, p_mod, model.settings)


__all__ = ["Candidate", "DecisionModel", "Settings", "decide", "decision_model", "features", "choose", "load_model",
           "modality_of", "passes", "use_model"]
