"""Standing relations between states: alliances, strategic partnerships, diplomatic
relations, and military cooperation (troops, bases, instructors, exercises)."""

from __future__ import annotations

from collections.abc import Iterator

from ...models import ActorRef
from ..frame import IN, MOD, SUBJ, TO, Frame
from ..registry import ClaimType, extractor
from .common import (
    ANY_PARTY,
    LENT,
    STATE,
    Parties,
    distinct_actors,
    recognised_government,
    symmetric_pairs,
)


@extractor("alliance")
def alliance(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Alliances are bilateral by nature: one claim per pair."""
    yield from symmetric_pairs(f)


@extractor("strategic_partnership")
def strategic_partnership(f: Frame, t: ClaimType) -> Iterator[Parties]:
    yield from symmetric_pairs(f)


@extractor("diplomatic_relations")
def diplomatic_relations(f: Frame, t: ClaimType) -> Iterator[Parties]:
    if f.trigger.lemma_.lower() in ("recognise", "recognize"):
        yield from recognised_government(f)
        return
    sub = t.subtype_for(f.clause_text())
    for p in symmetric_pairs(f):
        p.subtype = sub
        yield p


def _listed_pairs(f: Frame) -> list[tuple[ActorRef, ActorRef]]:
    """A list of pairs after the trigger: "cooperation involving X and Y, A and B, and most
    recently C and D" is one relation per pair (pairs joined by "and", separated by commas)."""
    ms = sorted((rm.mention for rm in f.mentions if rm.actor.kind == "state" and rm.mention.start >= f.trigger_end
                 and rm.mention.via != "coref"), key=lambda m: m.start)
    ms = [m for i, m in enumerate(ms) if i == 0 or m.start >= ms[i - 1].end]
    if len(ms) < 4 or len(ms) % 2:
        return []
    for i in range(len(ms) - 1):
        gap = f.doc_text[ms[i].end : ms[i + 1].start]
        if i % 2 == 0 and gap.strip().lower() != "and":
            return []
        if i % 2 == 1 and not (gap.lstrip().startswith(",") and len(gap) <= 30):
            return []
    return [(ms[i].actor, ms[i + 1].actor) for i in range(0, len(ms), 2) if ms[i].actor.id != ms[i + 1].actor.id]


# troops, instructors or bases of one state in another
_PRESENCE = {"instructor", "adviser", "advisor", "trainer", "contingent", "presence", "personnel", "troop",
             "soldier", "peacekeeper", "deploy", "deployment", "base", "station", "send"}


_AGREEMENT_NOUNS = frozenset("agreement accord treaty memorandum memorandums memoranda mou protocol pact deal "
                             "convention framework declaration".split())


def _topic_of_agreement(f: Frame) -> bool:
    """Is the trigger the topic of an agreement noun ("a memorandum of understanding on
    defence cooperation", "an agreement on military cooperation")?"""
    x = f.trigger
    for _ in range(4):
        if x.dep_ in ("pobj", "compound", "amod", "conj") and x.head.i != x.i:
            x = x.head
        elif x.dep_ == "prep" and x.lower_ in ("on", "in", "for", "of") and x.head.i != x.i:
            x = x.head
            if x.lemma_.lower() in _AGREEMENT_NOUNS or x.lower_ in _AGREEMENT_NOUNS:
                return True
            if x.lower_ in ("understanding", "cooperation") and x.dep_ == "pobj":
                continue  # "memorandum of understanding on ...": keep climbing
        else:
            return False
    return False


@extractor("military_cooperation")
def military_cooperation(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Symmetric. Foreign troops, instructors or bases: the state they belong to and the state
    they are in ("Russian instructors arrived in Bamako"). When the sentence's own clause names
    no one, "the two countries" of the sentence are the parties ("the two countries have built a
    partnership spanning ... defence cooperation")."""
    pairs = _listed_pairs(f)
    if pairs:
        for a, b in pairs:
            yield Parties(a, b, confidence=-0.1)
        return
    if _topic_of_agreement(f):
        return  # "a memorandum on defence cooperation": the agreement's topic (agreement_signed)
    presence = f.trigger.lemma_.lower() in _PRESENCE
    made = False
    # an organisation takes part in exercises ("the first exercises under the banner of the
    # OTS"); troops in its mission are the states' own
    for p in symmetric_pairs(f, STATE if presence else ANY_PARTY, multilateral=not presence):
        made = True
        yield p
    if made:
        return
    if presence:
        guests = f.own_mods(STATE) or f.actors(SUBJ, LENT, MOD, kinds=STATE)
        hosts = [a for a in f.actors(IN, TO, kinds=STATE) if not guests or a.id != guests[0].id]
        if guests and not hosts:
            hosts = [a for a in _admitting(f) if a.id != guests[0].id]
        for g in guests[:1]:
            for h in hosts[:1]:
                yield Parties(g, h, confidence=-0.1)
        if guests and hosts:
            return
    pair = distinct_actors([rm.actor for rm in f.mentions if rm.mention.role == "pair" and rm.actor.kind == "state"])
    if len(pair) == 2:
        yield Parties(pair[0], pair[1], confidence=-0.2)


_ADMIT = {"allow", "permit", "let", "invite", "welcome", "accept"}


def _admitting(f: Frame) -> list[ActorRef]:
    """The state that lets foreign troops in: the subject of "allow", "invite" or "accept"
    above the clause ("Somalia would not allow Ethiopian troops to join the mission"), or, for
    a pronoun subject, the one who says so ("Somali officials said they would not allow ...")."""
    x = f.predicate
    for _ in range(3):
        if x.head.i == x.i:
            return []
        x = x.head
        if x.lemma_.lower() in _ADMIT and x.pos_ == "VERB":
            break
    else:
        return []
    verbs = {x.i}
    if any(c.dep_ == "neg" for c in x.children) and f.modality in ("asserted", "planned"):
        f.modality = "negated"  # "would not allow Ethiopian troops to join"
    if any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in x.children) and x.dep_ == "ccomp":
        verbs.add(x.head.i)  # "they would not allow": the speaker
    out = []
    for rm in f.mentions:
        y = f.parse[rm.token]
        while y.dep_ in ("compound", "amod", "poss", "conj", "appos") and y.head.i != y.i:
            y = y.head
        if y.dep_ == "nsubj" and y.head.i in verbs and rm.actor.kind == "state":
            out.append(rm.actor)
    return distinct_actors(out)
