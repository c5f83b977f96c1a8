"""From a frame and the parties its type's extractor names to a claim: its confidence,
date, modality and attribution (``claim``); and a trigger with no parties of its own whose
noun phrase points back ("This agreement was signed in 2005", "That was followed by a
protocol") at the previous claim (``from_previous``)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..models import Claim
from .attribution import attribution_for, is_anonymous
from .context import BASE_CONFIDENCE, DocContext
from .dating import date_for, tensed
from .frame import IN, OUT, Frame
from .framing import ABSORBS, FOLLOWED_RX
from .registry import ClaimType
from .sentences import Sentence

_AGREEMENT_FAMILY = ("agreement_signed", "agreement_ratified")
_THIS_RX = re.compile(r"^(?:this|that|the|these|such) |^an? (?:\w+ )?(?:round|session)$", re.I)


def claim(f: Frame, ctype: ClaimType, p: Any, doc: str, sentences: list[Sentence],
          quotes: list[tuple[int, int]]) -> Claim | None:
    if p.object is not None and p.subject is not None and p.subject.id == p.object.id:
        return None
    s = f.sentence
    conf = BASE_CONFIDENCE + p.confidence
    if f.modality != "asserted":
        conf -= 0.05
    date, own_date = date_for(f, anchor=getattr(p, "anchor", None))
    if getattr(p, "date", None) is not None:  # a date the type function read from the context
        date, own_date = p.date, False
    if (at := getattr(p, "date_at", None)) is not None:  # "with A and B in 2022 and 2023": its own date
        date, own_date = next(((tensed(d, f), True) for d in f.dates if d.start == at), (date, own_date))
    if date is not None and not own_date:
        conf -= 0.05
    quantity = None
    if f.quantity is not None:
        q = f.quantity
        quantity = {"value": q.value, "unit": q.unit, "metric": f.metric}
        if q.qualifier:
            quantity["qualifier"] = q.qualifier
        if q.high is not None:
            quantity["high"] = q.high
    said_by = attribution_for(f.trigger_start, f.trigger_end, s, sentences, quotes)
    modality = f.modality
    if modality in ("asserted", "planned") and is_anonymous(said_by, s):
        modality = "speculative"  # "according to two officials familiar with the plans"
    return Claim(
        quantity=quantity,
        doc=doc, type=ctype.name, subject=p.subject, object=p.object, parties=p.parties,
        subtype=p.subtype, modality=modality,  # type: ignore[arg-type]
        date=date, attributed_to=said_by,
        evidence_text=s.text, evidence_start=s.start, evidence_end=s.end,
        confidence=max(0.05, min(0.99, conf)), extractor=ctype.extractor_name, codes=dict(ctype.codes),
    )


def from_previous(f: Frame, ctype: ClaimType, doc: str, sentences: list[Sentence],
                  quotes: list[tuple[int, int]], ctx: DocContext) -> list[Claim]:
    """ "This agreement was signed in November 2005": a trigger with no parties whose noun
    phrase points back ("this", "the") takes the parties and type of the previous claim."""
    if any(rm.role != OUT and not (rm.role == IN and rm.mention.role == "location") for rm in f.mentions):
        return []  # the sentence names parties of its own (a place is not one)
    if f.trigger.dep_ == "pobj" and _anchoring_preposition(f.trigger.head):
        return []  # "on the sidelines of the visit", "during the talks": a time, not a new claim
    np = f.parse[f.trigger.left_edge.i : f.trigger.i + 1].text
    listed = not f.mentions and f.type in _AGREEMENT_FAMILY
    if not _THIS_RX.match(np) and not (not f.mentions and FOLLOWED_RX.search(f.sentence.text)) and not listed:
        return []
    for idx, prev in reversed(ctx.recent):
        if f.sentence.index - idx > 2:
            break
        if listed and prev.parties is None and prev.object is not None and prev.type in (
                *_AGREEMENT_FAMILY, "visit", "summit_meeting", "diplomatic_relations", "embassy_opened") \
                and ctx.sentences[idx].paragraph == f.sentence.paragraph:
            c = dataclasses.replace(prev)
            c.type, c.extractor, c.codes = ctype.name, ctype.extractor_name, dict(ctype.codes)
            np_text = f.parse[f.trigger.left_edge.i : f.trigger.right_edge.i + 1].text
            c.subtype = ctype.subtype_for(f.trigger_text if f.type == "agreement_ratified" else np_text)
            c.date = date_for(f)[0]
            c.modality = f.modality  # type: ignore[assignment]
            return [_told_here(c, f, sentences, quotes, prev.confidence - 0.25)]
        followed = bool(FOLLOWED_RX.search(f.sentence.text))
        if prev.type in (f.type, *[k for k, v in ABSORBS.items() if f.type in v]) or followed:
            c = dataclasses.replace(prev)
            if followed:  # a new event between the same parties; "this agreement" is the same one
                c.type, c.extractor, c.codes = ctype.name, ctype.extractor_name, dict(ctype.codes)
                c.subtype = None
            c.date = date_for(f)[0]
            if f.modality != "asserted" or followed:
                c.modality = f.modality  # type: ignore[assignment]
            # else "the visit" keeps the status of the visit it points to (a plan stays a plan)
            return [_told_here(c, f, sentences, quotes, prev.confidence - 0.15)]
    return []


def _told_here(c: Claim, f: Frame, sentences: list[Sentence], quotes: list[tuple[int, int]], confidence: float,
               ) -> Claim:
    """An earlier claim told again in ``f``'s sentence: its evidence and attribution are this
    sentence's; an anonymous source makes a fact or a plan speculative."""
    c.evidence_text, c.evidence_start, c.evidence_end = f.sentence.text, f.sentence.start, f.sentence.end
    c.confidence = max(0.05, confidence)
    c.attributed_to = attribution_for(f.trigger_start, f.trigger_end, f.sentence, sentences, quotes)
    if c.modality in ("asserted", "planned") and is_anonymous(c.attributed_to, f.sentence):
        c.modality = "speculative"
    return c


_ANCHORS = {"during", "at", "after", "before", "since", "throughout", "amid", "following", "ahead", "until"}


def _anchoring_preposition(prep: Any) -> bool:
    """Does this preposition make its object a time or place anchor ("during the visit",
    "on the sidelines of the summit", "ahead of the talks")?"""
    if prep.lower_ in _ANCHORS:
        return True
    if prep.lower_ == "of" and prep.head.lower_ in ("sidelines", "margins", "fringes", "eve", "end", "start", "occasion"):
        return True
    return prep.lower_ == "of" and prep.head.lower_ == "ahead"
