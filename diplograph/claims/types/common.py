"""What the extractors of every claim type share: ``Parties`` (what an extractor yields),
the party kinds, groups expanded to their members, "between" phrases, and the symmetric
pairs of a relation among several states."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ...mentions.actors import expand_group
from ...mentions.actors import ref as actor_ref
from ...models import ActorRef
from ..frame import IN, MOD, OBJ, OF, OUT, SUBJ, TO, WITH, Frame

STATE = ("state",)


ORG = ("organisation", "accord")


ANY_PARTY = ("state", "organisation")  # an accord is the agreement itself, not a party


LENT = "LENT_SUBJ"


ON = "ON"


def asked_whether(f: Frame) -> bool:
    """ "Asked whether Kenya would seek to join BRICS, ...": a question put to someone is no
    claim (the answer, if any, is its own clause)."""
    x = f.trigger
    for _ in range(8):
        if x.head.i == x.i or x.dep_ == "relcl" or any(
                t.lower_ in ("which", "who", "whom", "whose") and t.i < x.i and x.i in (t.head.i, t.head.head.i)
                for t in x.subtree):
            return False  # "..., of which Ethiopia became a member in 2024": a fact inside the question
        if x.lemma_.lower() == "ask" and any(c.dep_ in ("ccomp", "advcl", "xcomp") for c in x.children) and any(
                t.dep_ == "mark" and t.lower_ in ("whether", "if") for t in x.subtree if t.i < f.trigger.i):
            return x.i != f.trigger.i
        x = x.head
    return False


@dataclass
class Parties:
    subject: ActorRef
    object: ActorRef | None
    parties: list[ActorRef] | None = None
    confidence: float = 0.0  # added to the base confidence
    subtype: str | None = None
    anchor: int | None = None  # where the counterpart is named: a date right after it is its own
    date: Any = None  # a PartialDate from the context ("now hold that status": the sentence before)
    date_at: int | None = None  # the start of the date mention that is this claim's own, if known


def distinct_actors(actors: list[ActorRef]) -> list[ActorRef]:
    seen: dict[str, ActorRef] = {}
    for a in actors:
        seen.setdefault(a.id, a)
    return list(seen.values())


QUANTIFIED = re.compile(r"\b(?:all|each|every|both|(?:the )?(?:two|three|four|five|six|seven|eight|nine|ten))\b[\w\s-]{0,30}$", re.I)


def expand_groups(f: Frame, actors: list[ActorRef], roles: tuple[str, ...]) -> list[ActorRef]:
    """Hub and spoke: "relations with all five countries in Central Asia" or "with the
    Central Asian states" is one bilateral relation per member. A group that names a
    region as a place ("the region", "in Central Asia") is not expanded."""
    out: list[ActorRef] = []
    for rm in sorted((rm for r in roles for rm in f.roles.get(r, [])), key=lambda x: x.mention.start):
        a = rm.actor
        if a.kind != "group":
            continue
        before = f.doc_text[max(f.sentence.start, rm.mention.start - 40) : rm.mention.start]
        if rm.mention.role == "region" and not QUANTIFIED.search(before):
            continue
        if re.search(r"\bother\s+$", before, re.I):
            continue  # "ties with other Turkic states": a vague group, not each member
        dated = next((d.value for d in f.dates if d.value is not None), None)  # vague dates have none
        day = dated.bounds()[0] if dated is not None else None
        for member in expand_group(a.id, day):
            try:
                out.append(actor_ref(member))
            except Exception:  # an unknown member id in the data: skip it
                continue
    return distinct_actors([*actors, *out])


MULTI_RX = re.compile(r"\b(?:trilateral|three-way|four-way|multilateral|summit)\b", re.I)


def between_parties(f: Frame, kinds: tuple[str, ...]) -> list[ActorRef]:
    """Actors under a "between" (or "among") preposition attached to the trigger."""
    out = []
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.actor.kind not in kinds or rm.role not in (WITH,):
            continue
        x = f.parse[rm.token]
        while x.head.i != x.i and not (x.dep_ == "prep" and x.lower_ in ("between", "among", "amongst")):
            if x.i == f.trigger_token:
                break
            x = x.head
        if x.dep_ == "prep" and x.lower_ in ("between", "among", "amongst"):
            out.append(rm.actor)
    return distinct_actors(out)


def symmetric_pairs(f: Frame, kinds: tuple[str, ...] = STATE, *, multilateral: bool = False) -> Iterator[Parties]:
    """Pairs for a symmetric relation: subjects x counterparts ("X established ties with Y
    and Z" gives X-Y and X-Z), coordinated subjects ("X and Y signed"), "between X and Y",
    possessors and modifiers of the trigger ("the X-Y alliance"), the discourse topic for
    a missing subject, and as a last resort the two states of the sentence."""
    # "the U.S.-Iranian talks", "the Israel-Kazakhstan agreement"; then "talks between
    # Ethiopia and Somalia" hosted or witnessed by someone else
    for named in (f.own_mods(kinds) if f.trigger.pos_ in ("NOUN", "PROPN") else [], between_parties(f, kinds)):
        if len(named) >= 2:
            if len(named) > 2 and multilateral:
                yield Parties(named[0], named[1], parties=named)
            else:
                for a, b in combinations(named[:3], 2):
                    yield Parties(a, b)
            return
    subj = expand_groups(f, distinct_actors(f.actors(SUBJ, LENT, kinds=kinds)), (SUBJ, LENT))
    mods = distinct_actors(f.actors(MOD, OF, kinds=kinds))
    withs = expand_groups(f, distinct_actors(f.actors(WITH, TO, kinds=kinds)), (WITH, TO))
    objs = expand_groups(f, distinct_actors(f.actors(OBJ, kinds=kinds)), (OBJ,))
    counter = distinct_actors([a for a in withs + objs])
    if not subj and mods and counter:
        subj = mods
    elif not subj and len(mods) >= 2:
        subj = mods
    adjust = 0.0
    if not subj and len(counter) >= 2 and not (f.roles.get(OBJ) and f.roles.get(WITH)):
        subj, counter = counter[:1], counter[1:]
    if not subj and counter and f.predicate.dep_ == "csubj":
        # "forming an alliance with this country could be a step for Uzbekistan's policy":
        # the one other state of the sentence is the implied agent of the gerund
        others = [a for a in distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in kinds])
                  if a.id not in {c.id for c in counter}]
        if len(others) == 1:
            subj, adjust = others, -0.2
    if not subj and counter and f.context is not None and (topic := f.context.topic_for(f, exclude={a.id for a in counter})):
        subj, adjust = [topic], -0.15
    if subj and counter:
        if multilateral and f.type == "summit_meeting" and len(distinct_actors(subj + counter)) >= 3 \
                and (len(subj) >= 2 or MULTI_RX.search(f.sentence.text)
                     or any(rm.actor.kind == "group" and rm.role in (WITH, OBJ, TO) for rm in f.mentions)):
            everyone = distinct_actors(subj + counter)  # a trilateral (or larger) meeting is one claim
            yield Parties(everyone[0], everyone[1], parties=everyone, confidence=adjust)
            return
        if len(subj) >= 2 and multilateral:
            yield Parties(subj[0], counter[0], parties=distinct_actors(subj + counter), confidence=adjust)
            return
        where = {}
        for rm in f.mentions:
            where.setdefault(rm.actor.id, rm.mention.start)
        for s in subj:
            for o in counter:
                if s.id != o.id:
                    yield Parties(s, o, confidence=adjust, anchor=where.get(o.id) if len(counter) > 1 else None)
        return
    if len(subj) == 2:
        yield Parties(subj[0], subj[1], confidence=adjust)
        return
    if len(subj) >= 3:
        if re.search(r"\b(?:respective|bilateral|each other|one another)\b", f.sentence.text, re.I):
            # a group that raised its ties with each other: each pair
            for a, b in combinations(subj[:6], 2):
                yield Parties(a, b, confidence=adjust - 0.1)
        elif multilateral:
            yield Parties(subj[0], subj[1], parties=subj, confidence=adjust)
        return
    # last resort: exactly two states in the sentence, outside other clauses; or the one
    # known subject and the only other state of the sentence ("X expanded ties with Y
    # when it signed an agreement")
    near = distinct_actors([rm.actor for rm in f.mentions if rm.role not in (OUT, IN) and rm.actor.kind in kinds])
    if len(near) == 2:
        yield Parties(near[0], near[1], confidence=-0.25)
        return
    if len(subj) == 1:
        # (a capital or city named as the place, "met in Beijing", is not the other party)
        others = [a for a in distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in kinds
                                        and rm.mention.role != "location"])
                  if a.id != subj[0].id]
        if len(others) == 1:
            yield Parties(subj[0], others[0], confidence=-0.3)
        return
    # "..., and an alliance agreement was signed in Moscow": a lone capital where it was
    # signed stands for the other party when nothing else is named
    if not subj and not counter and f.context is not None:
        capitals = [rm.actor for rm in f.roles.get(IN, []) if rm.mention.via == "capital" and rm.actor.kind == "state"]
        lent = distinct_actors(f.actors(LENT, kinds=kinds))
        topic = lent[0] if lent else f.context.topic_for(f, exclude={a.id for a in capitals})
        if len(distinct_actors(capitals)) == 1 and topic is not None and topic.id != capitals[0].id:
            yield Parties(topic, capitals[0], confidence=-0.35)


def recognised_government(f: Frame) -> list[Parties]:
    """ "has no plans to recognise Beijing": a capital recognised stands for its government,
    and recognising a government (not a state: "recognise Kosovo") is diplomatic relations."""
    govs = [rm.actor for rm in f.roles.get(OBJ, []) if rm.mention.via == "capital" and rm.actor.kind == "state"
            and f.parse[rm.token].dep_ == "dobj" and f.parse[rm.token].head.i == f.trigger.i]
    subj = f.actors(SUBJ, LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    return [Parties(s_, g, confidence=-0.1) for s_ in subj[:1] for g in govs[:1] if s_.id != g.id]


def all_pairs(actors: list[ActorRef]) -> list[tuple[ActorRef, ActorRef]]:
    return list(combinations(distinct_actors(actors), 2))


SPECULATIVE_FIGURE = re.compile(r"\b(?:expect\w*|forecast\w*|project\w*|estimat\w* to|could|may|might|likely)\b[^.;]{0,60}$", re.I)


Q_FOREIGN = re.compile(r"\b(?:foreign|international|overseas|inbound)\b", re.I)


def paragraph_gap(sentences: list[Any], earlier: int, later: int) -> int:
    """How many paragraphs lie between two sentences (0: the same one, 1: the previous)."""
    return len({s.paragraph for s in sentences[earlier : later + 1]}) - 1
