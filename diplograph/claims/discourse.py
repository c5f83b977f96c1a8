"""Claims that span sentences: "X did the same", "as Y did with Z", lists of agreements
announced in one sentence and spelled out below, "with three other countries" resolved
from the next sentence, "under a deal" pointing at the agreement, and the running topic."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..models import ActorRef, Claim, Mention
from .context import BASE_CONFIDENCE, DocContext
from .frame import (
    MOD,
    OBJ,
    SUBJ,
    WITH,
    Frame,
    trigger_head,
)
from .registry import ClaimType, claim_types
from .sentences import Sentence

_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
_LIST_RX = re.compile(rf"\bwith (?:{_NUMBER_WORDS})(?: more| other| additional| further)? (?:countries|states|nations|partners)\b", re.I)


def apply_list_frame(f: Frame, made: list[Claim], ctx: DocContext) -> list[Claim]:
    """ "X established alliance relations with two more countries. In February, it signed
    an agreement with Y, and in August..." : the announced type carries over to the items."""
    if _LIST_RX.search(f.sentence.text) and f.type != "agreement_signed" and f.modality == "asserted":
        subj = f.actors(SUBJ, MOD, "LENT_SUBJ", kinds=("state",))
        if subj and not any(rm.role in (WITH, OBJ) and rm.actor.kind == "state" for rm in f.mentions):
            ctx.list_frame = {"type": f.type, "subject": subj[0], "paragraph": f.sentence.paragraph,
                              "sentence": f.sentence.index}
            return []
    lf = ctx.list_frame
    if lf and made and f.type == "agreement_signed" and f.sentence.paragraph - lf["paragraph"] <= 1:
        types = claim_types()
        ctype = types[lf["type"]]
        out = []
        for c in made:
            ids = {c.subject.id if c.subject else None, c.object.id if c.object else None}
            if lf["subject"].id in ids:
                c.type = ctype.name
                c.extractor = ctype.extractor_name
                c.codes = dict(ctype.codes)
                c.subtype = None
            out.append(c)
        return out
    return made


def update_topics(s: Sentence, parse: Any, mentions: list[Mention], ctx: DocContext) -> None:
    """The topic of a sentence: the state that is its grammatical subject (when parsed),
    else the first named state not introduced by a preposition."""
    states = [m for m in mentions if m.actor.kind == "state"]
    if not states:
        return
    chosen: Mention | None = None
    if parse is not None:
        for m in states:
            tok = parse[trigger_head(parse, m.start - s.start, m.end - s.start)]
            x = tok
            while x.dep_ in ("conj", "compound", "poss", "amod", "appos") and x.head.i != x.i:
                x = x.head
            if x.dep_ in ("nsubj", "nsubjpass") or x.dep_ == "pobj" and x.head.dep_ == "agent":
                chosen = m  # (the agent of a passive: "signed by the Philippines")
                break
    if chosen is None:
        for m in states:
            before = ctx.text[s.start : m.start].lower().split()
            while before and before[-1] in ("the", "a", "an"):
                before.pop()  # "with the United States": still after a preposition
            if not before or before[-1] not in ("with", "to", "in", "from", "of", "by", "for", "on", "against", "between", "and", "into"):
                if m.via not in ("demonym",):
                    chosen = m
                    break
    if chosen is not None:
        ctx.topics.append((chosen.start, s.paragraph, chosen.actor))


# "delivered the first missiles in April 2024, under a deal signed in January 2022"
_UNDER_DEAL_RX = re.compile(r"\bunder (?:a|an|the|its|their) [^,.;()]{0,40}?\b(?:contract|deal|agreement|order)s?\s*,?\s*"
                            r"(?:(?:that|which) (?:was|were) )?(?:signed|concluded|agreed|reached|placed)\s+(?:in|on|last|this)?\s*", re.I)


def under_deal(f: Frame, made: list[Claim]) -> list[Claim]:
    """An arms transfer made "under a contract signed in January 2022" also tells that the
    contract was concluded then: the same parties, asserted, with the contract's date (a
    delivery still planned was ordered all the same)."""
    if f.type != "arms_transfer" or not made:
        return []
    m = _UNDER_DEAL_RX.search(f.doc_text, f.trigger_end, f.sentence.end)
    if m is None:
        return []
    d = next((d for d in f.dates if d.value is not None and not d.vague and m.end() - 6 <= d.start <= m.end() + 1), None)
    if d is None:
        return []
    when = d.for_tense("past") if hasattr(d, "for_tense") else d.value  # "signed in May": the last May
    out: list[Claim] = []
    for c in made:
        if when is not None and c.modality in ("asserted", "planned") and (c.date is None or c.date.value != when.value):
            out.append(dataclasses.replace(c, date=when, modality="asserted", confidence=max(0.05, c.confidence - 0.1)))
    return out


# "X and Y signed a trade deal, as did Z"; "Could X sign a treaty, as Tashkent did with A and B?"
_AS_DID_RX = re.compile(r"\b(?:as|so) did\b|\bas (?P<who>[\w'’. -]{2,40}?) (?:did|has done|had done) with\b")


def as_did(f: Frame, made: list[Claim], ctx: DocContext) -> list[Claim]:
    """Claims of an elliptical comparison after the trigger: "..., as did Cambodia" repeats the
    claim with Cambodia in the subject's place; "as Tashkent did with Kazakhstan and Tajikistan"
    states, as a fact, the same relation between Tashkent and each of those."""
    m = _AS_DID_RX.search(f.doc_text, f.trigger_end, f.sentence.end)
    if m is None:
        return []
    after = [rm.mention for rm in f.mentions if rm.mention.start >= m.end() and rm.actor.kind == "state"
             and rm.mention.role != "location"]
    out: list[Claim] = []
    if m.group("who") is None:
        for c in made:
            for mm in after:
                if c.subject is not None and c.object is not None and mm.actor.id not in (c.subject.id, c.object.id):
                    out.append(dataclasses.replace(c, subject=mm.actor, confidence=max(0.05, c.confidence - 0.1)))
        return out
    who = [rm.mention for rm in f.mentions if m.start("who") <= rm.mention.start < m.end("who")
           and rm.actor.kind == "state"]
    if not who or not after:
        return []
    ctype = claim_types()[f.type]
    for mm in after:
        if mm.actor.id == who[0].actor.id:
            continue
        out.append(Claim(
            doc=made[0].doc if made else "", type=f.type, subject=who[0].actor, object=mm.actor, parties=None,
            subtype=None, modality="asserted", date=None, attributed_to=None,
            evidence_text=f.sentence.text, evidence_start=f.sentence.start, evidence_end=f.sentence.end,
            confidence=BASE_CONFIDENCE - 0.2, extractor=ctype.extractor_name, codes=dict(ctype.codes),
        ))
    return out if made else []


_SAME_RX = re.compile(r"\b(?:did|has done|had done|would do) (?:the same|likewise|so)\b|\bfollowed suit\b", re.I)


def did_the_same(claims: list[Claim], ctx: DocContext) -> list[Claim]:
    """"Kiribati did the same days later", "Nauru followed suit": the state named as the
    subject of the phrase repeats what the claims just before say (those of the same sentence
    before the phrase, else of the sentence before), with its own name as subject."""
    out: list[Claim] = []
    for s in ctx.sentences:
        m = _SAME_RX.search(s.text)
        if m is None:
            continue
        at = s.start + m.start()
        who = [x for x in ctx.state_mentions if s.start <= x.start < at]
        if not who:
            continue
        actor = who[-1].actor
        # the claims the phrase repeats: same sentence, before the phrase; else the sentence before
        before = [c for c in claims if s.start <= c.evidence_start < s.end + 1 and c.modality == "asserted"]
        if not before:
            prev = [c for c in claims if c.evidence_end <= s.start and c.modality == "asserted"]
            last = max((c.evidence_start for c in prev), default=None)
            before = [c for c in prev if c.evidence_start == last]
        for c in before:
            if c.subject is None or c.object is None or actor.id in (c.subject.id, c.object.id) or c.parties:
                continue
            out.append(dataclasses.replace(c, subject=actor, evidence_text=s.text, evidence_start=s.start,
                                           evidence_end=s.end, confidence=max(0.05, c.confidence - 0.15)))
    return out


# "The following documents were signed:" then one line per document
_LIST_INTRO_RX = re.compile(r"\b(?:sign\w*|conclu\w*|ink\w*|exchang\w*|adopt\w*)\b.*:\s*$", re.I)


_BULLET_RX = re.compile(r"^\s*(?:[-–—•*·▪]|\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,5}[.)])\s+")


# an item that names a document without an agreement word ("Cultural Exchange Programme")
_INSTRUMENT_RX = re.compile(r"\b(?:[Pp]rogramme|[Pp]rogram|[Pp]lan of [Aa]ction|[Ee]xchange of [Nn]otes|[Jj]oint [Ss]tatement)\b")


_OCCASION_RX = re.compile(r"\b(?:at|during|on the sidelines of|in the course of|after|following)\s+(?:the\s+)?"
                          r"(?:end|close|conclusion|margins?)?\s*(?:of\s+)?(?:the\s+)?(?:\w+\s+)?"
                          r"(session|visit|talks|meeting|summit|consultations)\b", re.I)


def _bullet_kind(marker: str) -> str:
    m = marker.strip().strip("().")
    if m.isdigit():
        return "number"
    if m and set(m) <= set("ivx"):
        return "roman"
    return "letter" if m.isalpha() else "dash"


_LIST_OCCASIONS = ("visit", "summit_meeting", "agreement_signed", "strategic_partnership", "alliance")


def listed_agreements(sentences: list[Sentence], dates_by_sentence: dict[int, list[Any]], ctx: DocContext,
                       doc: str, types: dict[str, ClaimType]) -> list[Claim]:
    """Agreements listed one a line after an introduction that says they were signed
    ("The following documents were signed in the presence of the two leaders:"): one
    agreement_signed claim per listed document, between the states the introduction names
    (or the two named last before it), dated by the introduction or the event just before.
    Each listed document is its own claim: they are not merged with one another."""
    ctype = types.get("agreement_signed")
    if ctype is None:
        return []
    out: list[Claim] = []
    for s in sentences:
        if not _LIST_INTRO_RX.search(s.text):
            continue
        items = []
        marker, style = False, None
        for nxt in sentences[s.index + 1 : s.index + 30]:
            b = _BULLET_RX.match(nxt.text + " ")
            kind = _bullet_kind(b.group(0)) if b else None
            if style is not None and kind is not None and kind != style:
                break  # "iv. ...;" then "5. The ministers agreed ...": the list has ended
            style = style or kind
            if b and not _BULLET_RX.sub("", nxt.text + " ").strip():
                marker = True  # "ii." split off as a sentence of its own: the item follows
                continue
            if not (_BULLET_RX.match(nxt.text) or marker):
                break
            marker = False
            if any(rx.search(nxt.text) for rx in ctype.triggers) or _INSTRUMENT_RX.search(nxt.text):
                items.append(nxt)
        if not items:
            continue
        named = _distinct_states(m for m in ctx.state_mentions if s.start <= m.start < s.end)
        pair = named[:2] if len(named) >= 2 else list(ctx.pair_before(s.start) or ())
        if len(pair) != 2:
            continue
        date = next((d.value for d in dates_by_sentence[s.index] if d.value is not None and not d.vague), None)
        if date is None:
            # the occasion just before (talks, a visit, a signing, an upgrade of ties), not a
            # history named in passing ("since the establishment of diplomatic relations in 1961")
            date = next((c.date for idx, c in reversed(ctx.recent)
                         if c.date is not None and c.modality == "asserted" and 0 <= s.index - idx <= 3
                         and c.type in _LIST_OCCASIONS), None)
        if date is None and (occ := _OCCASION_RX.search(s.text)):
            # "At the end of the session, ...": the latest date of the sentences before that
            # named such a session ("The first session was held in 2019" is an earlier one)
            noun = occ.group(1).lower()
            named_dates = [d.value for prev in sentences[max(0, s.index - 12) : s.index]
                           if re.search(rf"\b{noun}\b", prev.text, re.I)
                           for d in dates_by_sentence[prev.index] if d.value is not None and not d.vague]
            date = max(named_dates, key=lambda v: v.value) if named_dates else None
        for it in items:
            out.append(Claim(
                doc=doc, type=ctype.name, subject=pair[0], object=pair[1], parties=None,
                subtype=ctype.subtype_for(it.text), modality="asserted", date=date,
                attributed_to=None, evidence_text=it.text, evidence_start=it.start, evidence_end=it.end,
                confidence=BASE_CONFIDENCE - 0.2, extractor=ctype.extractor_name, codes=dict(ctype.codes),
            ))
    return out


def _distinct_states(mentions: Any) -> list[ActorRef]:
    seen: dict[str, ActorRef] = {}
    for m in mentions:
        seen.setdefault(m.actor.id, m.actor)
    return list(seen.values())
