"""One small function per claim type: given a trigger's Frame, who did what to whom.

Dates, modality, attribution and evidence are filled in by the pipeline from the frame;
each function only yields ``Parties`` (subject, object, or a list for 3+ parties) with a
confidence adjustment and an optional subtype. The data file of the same name declares
triggers, codes and examples (diplograph/data/claims/<type>.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass
from dataclasses import replace as _replace
from functools import cache
from importlib import resources
from itertools import combinations


from ..mentions.actors import expand_group
from ..mentions.actors import ref as actor_ref
from ..models import ActorRef
from .frame import FOR, FROM, IN, MOD, OBJ, OF, OUT, SUBJ, TO, WITH, Frame, RoleMention, token_at
from .registry import ClaimType, extractor

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


def _distinct(actors: list[ActorRef]) -> list[ActorRef]:
    seen: dict[str, ActorRef] = {}
    for a in actors:
        seen.setdefault(a.id, a)
    return list(seen.values())


_QUANTIFIED = re.compile(r"\b(?:all|each|every|both|(?:the )?(?:two|three|four|five|six|seven|eight|nine|ten))\b[\w\s-]{0,30}$", re.I)


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
        if rm.mention.role == "region" and not _QUANTIFIED.search(before):
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
    return _distinct([*actors, *out])


_MULTI_RX = re.compile(r"\b(?:trilateral|three-way|four-way|multilateral|summit)\b", re.I)


def _between(f: Frame, kinds: tuple[str, ...]) -> list[ActorRef]:
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
    return _distinct(out)


def symmetric_pairs(f: Frame, kinds: tuple[str, ...] = STATE, *, multilateral: bool = False) -> Iterator[Parties]:
    """Pairs for a symmetric relation: subjects x counterparts ("X established ties with Y
    and Z" gives X-Y and X-Z), coordinated subjects ("X and Y signed"), "between X and Y",
    possessors and modifiers of the trigger ("the X-Y alliance"), the discourse topic for
    a missing subject, and as a last resort the two states of the sentence."""
    # "the U.S.-Iranian talks", "the Israel-Kazakhstan agreement"; then "talks between
    # Ethiopia and Somalia" hosted or witnessed by someone else
    for named in (f.own_mods(kinds) if f.trigger.pos_ in ("NOUN", "PROPN") else [], _between(f, kinds)):
        if len(named) >= 2:
            if len(named) > 2 and multilateral:
                yield Parties(named[0], named[1], parties=named)
            else:
                for a, b in combinations(named[:3], 2):
                    yield Parties(a, b)
            return
    subj = expand_groups(f, _distinct(f.actors(SUBJ, LENT, kinds=kinds)), (SUBJ, LENT))
    mods = _distinct(f.actors(MOD, OF, kinds=kinds))
    withs = expand_groups(f, _distinct(f.actors(WITH, TO, kinds=kinds)), (WITH, TO))
    objs = expand_groups(f, _distinct(f.actors(OBJ, kinds=kinds)), (OBJ,))
    counter = _distinct([a for a in withs + objs])
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
        others = [a for a in _distinct([rm.actor for rm in f.mentions if rm.actor.kind in kinds])
                  if a.id not in {c.id for c in counter}]
        if len(others) == 1:
            subj, adjust = others, -0.2
    if not subj and counter and f.context is not None and (topic := f.context.topic_for(f, exclude={a.id for a in counter})):
        subj, adjust = [topic], -0.15
    if subj and counter:
        if multilateral and f.type == "summit_meeting" and len(_distinct(subj + counter)) >= 3 \
                and (len(subj) >= 2 or _MULTI_RX.search(f.sentence.text)
                     or any(rm.actor.kind == "group" and rm.role in (WITH, OBJ, TO) for rm in f.mentions)):
            everyone = _distinct(subj + counter)  # a trilateral (or larger) meeting is one claim
            yield Parties(everyone[0], everyone[1], parties=everyone, confidence=adjust)
            return
        if len(subj) >= 2 and multilateral:
            yield Parties(subj[0], counter[0], parties=_distinct(subj + counter), confidence=adjust)
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
            # "these three states have raised their respective bilateral relations": each pair
            for a, b in combinations(subj[:6], 2):
                yield Parties(a, b, confidence=adjust - 0.1)
        elif multilateral:
            yield Parties(subj[0], subj[1], parties=subj, confidence=adjust)
        return
    # last resort: exactly two states in the sentence, outside other clauses; or the one
    # known subject and the only other state of the sentence ("X expanded ties with Y
    # when it signed an agreement")
    near = _distinct([rm.actor for rm in f.mentions if rm.role not in (OUT, IN) and rm.actor.kind in kinds])
    if len(near) == 2:
        yield Parties(near[0], near[1], confidence=-0.25)
        return
    if len(subj) == 1:
        # (a capital or city named as the place, "met in Beijing", is not the other party)
        others = [a for a in _distinct([rm.actor for rm in f.mentions if rm.actor.kind in kinds
                                        and rm.mention.role != "location"])
                  if a.id != subj[0].id]
        if len(others) == 1:
            yield Parties(subj[0], others[0], confidence=-0.3)
        return
    # "..., and an alliance agreement was signed in Moscow": a lone capital where it was
    # signed stands for the other party when nothing else is named
    if not subj and not counter and f.context is not None:
        capitals = [rm.actor for rm in f.roles.get(IN, []) if rm.mention.via == "capital" and rm.actor.kind == "state"]
        lent = _distinct(f.actors(LENT, kinds=kinds))
        topic = lent[0] if lent else f.context.topic_for(f, exclude={a.id for a in capitals})
        if len(_distinct(capitals)) == 1 and topic is not None and topic.id != capitals[0].id:
            yield Parties(topic, capitals[0], confidence=-0.35)


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
        yield from _recognised_government(f)
        return
    sub = t.subtype_for(f.clause_text())
    for p in symmetric_pairs(f):
        p.subtype = sub
        yield p


def _recognised_government(f: Frame) -> list[Parties]:
    """ "has no plans to recognise Beijing": a capital recognised stands for its government,
    and recognising a government (not a state: "recognise Kosovo") is diplomatic relations."""
    govs = [rm.actor for rm in f.roles.get(OBJ, []) if rm.mention.via == "capital" and rm.actor.kind == "state"
            and f.parse[rm.token].dep_ == "dobj" and f.parse[rm.token].head.i == f.trigger.i]
    subj = f.actors(SUBJ, LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    return [Parties(s_, g, confidence=-0.1) for s_ in subj[:1] for g in govs[:1] if s_.id != g.id]


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


_UNDER_RX = re.compile(r"\b(?:auspices|banner|umbrella|aegis|framework) of (?:the )?$", re.I)
_ORDINALS = frozenset("second third fourth fifth sixth seventh eighth ninth tenth".split())
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
    pair = _distinct([rm.actor for rm in f.mentions if rm.mention.role == "pair" and rm.actor.kind == "state"])
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
    return _distinct(out)


@extractor("agreement_signed")
def agreement_signed(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Bilateral agreements are symmetric; three or more parties make one claim with
    ``parties``. The topic (tourism, defence...) is the subtype, read from the trigger's
    own noun phrase."""
    if _unspecific(f) and f.modality != "negated" or f.predicate.lemma_.lower() in ("initial", "initialled", "initialed"):
        return  # "before it signs any deal" ("stopped short of signing any document" is a
        # negated signing); "initialled" is not a signing
    if f.trigger.lower_ in ("one", "ones"):
        # "a similar one with New Zealand": only after an agreement noun of the same sentence
        before = f.doc_text[f.sentence.start : f.trigger_start]
        if not any(rx.search(before) for rx in t.triggers[:1]):
            return
    np_text = f.parse[f.trigger.left_edge.i : f.trigger.right_edge.i + 1].text
    sub = t.subtype_for(np_text)
    if any(c.lemma_.lower() == "accession" and (c.dep_ in ("compound", "amod", "nmod") or c.dep_ == "prep")
           or c.dep_ == "prep" and c.lower_ == "of" and any(g.lemma_.lower() == "accession" for g in c.children)
           for c in f.trigger.children):
        # "signed the treaty of accession", "signed its accession treaty": the acceding state
        # -> the organisation (named in the sentence, or just before)
        members = f.actors(SUBJ, LENT, kinds=STATE)
        orgs = [rm.actor for rm in f.mentions if rm.actor.kind == "organisation"]
        if not orgs and f.context is not None and (org := f.context.org_before(f.trigger_start, window=4)):
            orgs = [org]
        if members and orgs:
            yield Parties(members[0], orgs[0], subtype="accession_treaty", confidence=-0.1)
        return
    x = f.trigger
    while x.dep_ in ("compound", "nmod", "amod", "conj") and x.head.i != x.i and x.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        x = x.head
        if x.i > f.trigger.i and any(rx.fullmatch(x.text) for rx in t.triggers[:1]):
            return  # "a defence and economic framework agreement": one document, the head noun's
    topics = _topics(f, t)
    if f.trigger.lower_ in ("one", "ones"):
        pairs = list(_elliptic_pairs(f, t))
    elif (news := _wanted_signed(f)) is not None:
        pairs = news
    else:
        pairs = list(symmetric_pairs(f, ANY_PARTY, multilateral=True))
        if not pairs and any(c.lower_ in ("revised", "amended", "updated", "new") for c in f.trigger.children):
            # "expect Vanuatu to sign a revised agreement": a new version of the agreement
            # in the news between the signer and its counterpart
            subj = f.actors(SUBJ, LENT, kinds=STATE)
            prev = _agreement_in_news(f, subj[0].id if subj else None)
            if subj and prev is not None:
                other = prev.object if prev.subject.id == subj[0].id else prev.subject
                pairs = [Parties(subj[0], other, confidence=-0.2)]
    _respective_dates(f, pairs)
    if not pairs:
        # "Among the texts exchanged in front of the two presidents were ...": the pair the
        # sentence names by "the two ..." wherever it stands
        pair = _distinct([rm.actor for rm in f.mentions if rm.mention.role == "pair" and rm.actor.kind == "state"])
        if len(pair) == 2:
            pairs = [Parties(pair[0], pair[1], confidence=-0.2)]
    for p in pairs:
        if len(topics) < 2:
            p.subtype = sub
            yield p
            continue
        for topic in topics:  # "memorandums on health, fisheries and the blue economy": one each
            yield Parties(p.subject, p.object, parties=p.parties, confidence=p.confidence - 0.05, subtype=topic,
                          anchor=p.anchor)


_WANT_LEMMAS = frozenset("want wish hope expect like need".split())


def _agreement_in_news(f: Frame, party: str | None = None, within: int = 12) -> Any:
    """The last agreement claim of the last few sentences (involving ``party`` if given)."""
    if f.context is None:
        return None
    for idx, c in reversed(f.context.recent):
        if f.sentence.index - idx > within:
            break
        if c.type in _AGREEMENT_FAMILY and c.subject is not None and c.object is not None and not c.parties \
                and (party is None or party in (c.subject.id, c.object.id)):
            return c
    return None


def _wanted_signed(f: Frame) -> list[Parties] | None:
    """"Brazil wants the agreement signed in 2025": the one who wants it is not a signer; the
    parties are those of the agreement in the news (none if there is none)."""
    pred, trig = f.predicate, f.trigger
    part = next((c for c in trig.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() == "sign"), None)
    if trig.dep_ == "dobj" and trig.head.lemma_.lower() in _WANT_LEMMAS and part is not None:
        pred = part  # "wants [the agreement signed]" parsed as a participle on the object
    elif not (pred.tag_ == "VBN" and pred.dep_ in ("ccomp", "oprd", "xcomp") and pred.head.lemma_.lower() in _WANT_LEMMAS):
        return None
    if any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in pred.children):
        return None  # "wants the agreement signed by the end of the year by both leaders"
    if f.actors(WITH, kinds=ANY_PARTY) or not any(c.lower_ in ("the", "this", "that") for c in f.trigger.children):
        return None  # "wants the trade agreement with Japan signed": the usual reading
    prev = _agreement_in_news(f)
    return [Parties(prev.subject, prev.object, confidence=-0.2)] if prev is not None else []


def _elliptic_pairs(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """"signed an agreement with A in 2022 and a similar one with B in 2023", "after the ones
    it concluded with A and B": the signer (the relative clause's subject, or the clause's),
    and the counterparts named inside the phrase of "one(s)"."""
    one = f.trigger
    verb = next((c for c in one.children if c.dep_ == "relcl" and t.requires is not None and t.requires.search(c.text)), None)
    if verb is None and one.head.pos_ in ("VERB", "AUX", "NOUN") and t.requires is not None \
            and (t.requires.search(one.head.text) or one.dep_ == "conj" and one.head.dep_ == "dobj"
                 and t.requires.search(one.head.head.text)):
        verb = one.head  # "signed ... and a similar one with B" (a conjunct of the verb or of its object)
    if verb is None:
        return
    inner = {x.i for x in one.subtree}
    if one.dep_ in ("dobj", "nsubjpass") and one.head.i == verb.i:  # "will sign a similar one with B"
        inner |= {x.i for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "between") for x in c.subtree}
    subj_toks = {x.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in inner for x in c.subtree}
    subj = _distinct([rm.actor for rm in f.mentions if rm.token in subj_toks and rm.actor.kind in STATE])
    if not subj:
        subj = f.actors(SUBJ, LENT, kinds=STATE)
    where: dict[str, int] = {}
    counter = []
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.token in inner and rm.token not in subj_toks and rm.actor.kind in ANY_PARTY \
                and rm.mention.role != "location":
            counter.append(rm.actor)
            where.setdefault(rm.actor.id, rm.mention.start)
    counter = _distinct(counter)
    for s in subj[:1]:
        for o in counter:
            if o.id != s.id:
                yield Parties(s, o, confidence=-0.15, anchor=where[o.id])


def _respective_dates(f: Frame, pairs: list[Parties]) -> None:
    """"with Australia and the United Kingdom in 2022 and 2023": as many coordinated dates
    as coordinated counterparts, after them, go with them in order."""
    objs = [p.object for p in pairs]
    if len(pairs) < 2 or any(o is None for o in objs) or len({o.id for o in objs}) != len(pairs) \
            or len({p.subject.id for p in pairs}) != 1 or len(f.dates) != len(pairs):
        return
    toks = [f.parse[_token_at(f, d.start)] for d in f.dates]
    if not all(b.dep_ == "conj" and (b.head.i == a.i or b.head.i == toks[0].i) for a, b in zip(toks, toks[1:])):
        return
    last_party = max(p.anchor or 0 for p in pairs)
    if not last_party or f.dates[0].start < last_party:
        return
    for p, d in zip(pairs, f.dates):
        p.date_at = d.start


def _token_at(f: Frame, offset: int) -> int:
    rel = offset - f.sentence.start
    for tok in f.parse:
        if tok.idx <= rel < tok.idx + max(1, len(tok.text)):
            return tok.i
    return 0


def _topics(f: Frame, t: ClaimType) -> list[str]:
    """The topics of a plural document noun, one per document ("agreements on civil nuclear
    energy and on critical raw materials", "memorandums on health, fisheries and the blue
    economy"), as distinct subtypes. A singular noun is one document whatever its topics."""
    trig = f.trigger
    if trig.tag_ not in ("NNS", "NNPS"):
        return []
    heads = []
    for prep in trig.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("on", "for"):
            continue
        preps = [prep] + [c for c in prep.children if c.dep_ == "conj" and c.dep_ != "pobj"]
        for pp in preps:
            for pobj in (c for c in pp.children if c.dep_ == "pobj"):
                heads.append(pobj)
                heads.extend(c for c in pobj.conjuncts if c.i > pobj.i)
    out: list[str] = []
    for h in heads:
        if h.ent_type_ in ("DATE", "TIME") or h.like_num:
            continue  # "agreements on Monday"
        words = f.parse[h.left_edge.i : h.i + 1].text if h.left_edge.i <= h.i else h.text
        words = re.sub(r"^(?:the|a|an)\s+", "", words.split(",")[-1].strip(), flags=re.I)
        label = t.subtype_for(words) or re.sub(r"\W+", "_", words.lower()).strip("_")
        if label and label not in out:
            out.append(label)
    return out


def _unspecific(f: Frame) -> bool:
    """A document noun (or the object of a signing) under "any" is no particular event:
    "before it signs any security deal", "the Senate would have to ratify any treaty"."""
    nouns = [f.trigger] + [c for c in f.trigger.children if c.dep_ == "dobj"]
    return any(c.dep_ == "det" and c.lower_ == "any" for n in nouns for c in n.children)


@extractor("summit_meeting")
def summit_meeting(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """A bilateral meeting is symmetric; an organisation's summit goes organisation -> host."""
    if f.trigger.lemma_.lower() == "round" or f.trigger.lower_ in _ORDINALS:
        # "A fourth round took place on Sunday, and a fifth is planned": the talks named
        # just before, when the sentence names no parties of its own (the minister who
        # said so is not one)
        if any(rm.actor.kind in ANY_PARTY and rm.role in (SUBJ, OBJ, WITH, MOD) for rm in f.mentions) \
                or f.context is None:
            return
        for idx, prev in reversed(f.context.recent):
            if f.sentence.index - idx > 2:
                break
            if prev.type == "summit_meeting" and prev.subject is not None and prev.object is not None:
                yield Parties(prev.subject, prev.object, parties=prev.parties, confidence=-0.15)
                return
        return
    if f.trigger.lower_ == "talks" and (f.trigger.pos_ == "VERB" or not any(
            c.dep_ in ("det", "amod", "compound", "poss", "nummod") for c in f.trigger.children)
            and re.match(r"\s+to\s+(?:the\s+)?[A-Z]", f.doc_text[f.trigger_end : f.trigger_end + 30])):
        return  # "a Serbia that talks to Brussels and Moscow": a stance, not a meeting
    if f.trigger.lemma_.lower() in ("speak", "talk", "phone", "telephone"):
        # "spoke by phone with X and with Y": one call each, between officials of states
        made = False
        for p in symmetric_pairs(f, STATE):
            made = True
            yield p
        if not made:
            yield from _talks_with_topic(f)
        return
    orgs = f.actors(SUBJ, MOD, OF, LENT, kinds=ORG)
    # "a meeting of BRICS foreign ministers in Rio de Janeiro": a city named as the place
    hosts = f.actors(IN, kinds=STATE) or _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                                    and rm.mention.role == "location" and rm.role in (OF, OBJ, TO, WITH)])
    if not orgs and hosts:
        # "talks ... took place in Lima under the auspices of the Pacific Alliance"
        orgs = _distinct([rm.actor for rm in f.mentions if rm.actor.kind in ORG and _UNDER_RX.search(
            f.doc_text[max(f.sentence.start, rm.mention.start - 30) : rm.mention.start])])
    if f.predicate.lemma_.lower() == "host" and f.trigger.lemma_.lower() in ("summit", "meeting", "session") \
            and f.trigger.i != f.predicate.i and not f.actors(OBJ, WITH, kinds=STATE) \
            and not re.search(r"\b(?:bilateral|trilateral|three-way)\b", f.sentence.text, re.I):
        # "The Philippines will host next year's summit": the bloc's summit in the host state
        # (not "hosted his counterparts for a trilateral summit")
        host_states = f.actors(SUBJ, LENT, kinds=STATE)
        org = orgs[0] if orgs else next((rm.actor for rm in f.mentions if rm.actor.kind in ORG), None)
        if org is None and f.context is not None:
            org = f.context.org_before(f.trigger_start)
        if host_states and org is not None:
            yield Parties(org, host_states[0], confidence=-0.1)
            return
    if not orgs and f.trigger.lemma_.lower() == "summit" and f.context is not None:
        # "the following summit in Astana in November 2023": the organisation in the news
        hosts = hosts or [a for a in f.own_mods(STATE)]
        named_states = {rm.actor.id for rm in f.mentions if rm.actor.kind == "state" and rm.role in (SUBJ, WITH, OBJ)}
        if hosts and not named_states and (org := f.context.org_before(f.trigger_start)):
            yield Parties(org, hosts[0], confidence=-0.15)
            return
    if orgs and hosts:
        yield Parties(orgs[0], hosts[0])
        return
    if _anchor_only(f):
        return  # "During the summit, X's president said ...": the summit told before, as a time
    # an organisation named as the venue ("at the UN General Assembly") is not a party
    made = False
    for p in symmetric_pairs(f, ANY_PARTY if orgs else STATE, multilateral=True):
        made = True
        yield p
    if not made:
        made = bool((talks := list(_talks_with_topic(f))))
        yield from talks
    if not made:
        # "Kyrgyz officials held talks in Jerusalem": with the state where they were held
        subj = _distinct(f.actors(SUBJ, LENT, kinds=STATE))
        places = [rm.actor for rm in f.roles.get(IN, []) if rm.mention.role == "location" and rm.actor.kind == "state"]
        if len(subj) == 1 and places and places[0].id != subj[0].id:
            made = True
            yield Parties(subj[0], places[0], confidence=-0.2)
    if not made and f.trigger.lemma_.lower() in ("receive", "audience") and f.context is not None:
        # "Minister Niang was received in audience by the President of Ghana": a guest the
        # resolver does not know is the visitor of the last visit to the host's state
        hosts = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.role in (SUBJ, LENT)])
        for idx, prev in reversed(f.context.recent):
            if f.sentence.index - idx > 40 or len(hosts) != 1:
                break
            if prev.type == "visit" and prev.object is not None and prev.object.id == hosts[0].id \
                    and prev.subject is not None and prev.modality == "asserted":
                yield Parties(hosts[0], prev.subject, confidence=-0.2)
                break


_TIME_PREPS = frozenset("during after before throughout following amid".split())


def _anchor_only(f: Frame) -> bool:
    """ "During the summit, ...", "on the sidelines of the talks, ...": a definite meeting
    noun that only dates the sentence, with no parties of its own (its modifiers, "between")."""
    trig = f.trigger
    if trig.pos_ != "NOUN" or trig.dep_ != "pobj" or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                             for c in trig.children):
        return False
    prep = trig.head
    anchored = prep.lower_ in _TIME_PREPS or prep.lower_ == "of" and prep.head.lower_ in (
        "sidelines", "margins", "fringes", "eve", "end", "start", "occasion")
    return anchored and not f.own_mods(ANY_PARTY) and len(_between(f, ANY_PARTY)) < 2 \
        and not any(c.dep_ == "prep" for c in trig.children)


def _talks_with_topic(f: Frame) -> Iterator[Parties]:
    """ "X established relations with China. Talks on a free trade agreement with Beijing
    began that summer": the agreement's counterpart is the other side of the talks, and its
    partner in the claim just before (X) the first."""
    if f.trigger.pos_ not in ("NOUN", "PROPN") or f.trigger.lower_ not in ("talks", "negotiations") \
            or f.context is None:
        return
    counter = _distinct([rm.actor for rm in f.roles.get(ON, []) if rm.actor.kind == "state"
                         and f.parse[rm.token].dep_ == "pobj" and f.parse[rm.token].head.lower_ == "with"])
    if len(counter) != 1 or len(_distinct([rm.actor for rm in f.mentions if rm.actor.kind in ANY_PARTY])) != 1:
        return
    # the other side: the counterpart's partner in a claim of the two sentences before
    for idx, prev in reversed(f.context.recent):
        if f.sentence.index - idx > 2:
            break
        ids = [a for a in (prev.subject, prev.object) if a is not None and a.kind == "state"]
        if len(ids) == 2 and counter[0].id in {a.id for a in ids} and prev.modality == "asserted":
            other = next(a for a in ids if a.id != counter[0].id)
            yield Parties(other, counter[0], confidence=-0.2)
            return


@extractor("embassy_opened")
def embassy_opened(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """The sending state (subject or possessor of "embassy") -> the host (where it is)."""
    if f.trigger.dep_ == "nsubj" and f.predicate.lemma_.lower() not in ("open", "reopen", "resume", "begin", "start"):
        return  # "Israel's embassy inaugurated a monument": the embassy acts, it is not opened
    # ("the Saudi embassy in Tehran resumed work", "the embassy reopened": it is)
    senders = f.own_mods(STATE) or f.actors(SUBJ, LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    hosts = [a for a in f.actors(IN, TO, kinds=STATE) if not senders or a.id != senders[0].id]
    if not senders and f.context is not None and (topic := f.context.topic_for(f, exclude={a.id for a in hosts})):
        senders = [topic]
    sub = t.subtype_for(f.trigger_text)
    if len(senders) == 2 and not hosts and f.trigger.lower_.endswith("ies"):
        # "Qatar and the UAE have not reopened their embassies": each in the other
        yield Parties(senders[0], senders[1], subtype=sub)
        yield Parties(senders[1], senders[0], subtype=sub)
        return
    if senders and not hosts:
        hosts = [a for a in f.actors(OBJ, OUT, OF, kinds=STATE) if a.id != senders[0].id][:1]
    # "opened embassies in Tonga the same year and in Vanuatu in 2024": one for each host
    plural = f.trigger.tag_ == "NNS"
    where = {rm.actor.id: rm.mention.start for rm in f.mentions}
    for s in senders[:1]:
        for h in hosts if plural else hosts[:1]:
            yield Parties(s, h, subtype=sub, anchor=where.get(h.id) if plural and len(hosts) > 1 else None)


_LEGISLATURE_RX = re.compile(r"\b(?:parliament|senate|diet|assembly|congress|legislature|lawmakers|deputies|senators|mps)\b", re.I)
_AGREEMENT_FAMILY = ("agreement_signed", "agreement_ratified")


def _recent_agreements(f: Frame, within: int = 4) -> list[Any]:
    """Agreement claims of the last few sentences, latest first (the agreement in the news)."""
    if f.context is None:
        return []
    return [c for idx, c in reversed(f.context.recent[-10:])
            if c.type in _AGREEMENT_FAMILY and 0 <= f.sentence.index - idx <= within
            and c.subject is not None and c.object is not None]


def _stage(f: Frame, t: ClaimType) -> str | None:
    """Which stage: entry into force, exchange of instruments, or a legislature's vote."""
    sub = t.subtype_for(f.trigger_text)
    if sub is not None:
        return sub
    if f.trigger.lower_.startswith("ratification") and f.trigger.dep_ == "pobj" \
            and f.trigger.head.head.lemma_.lower() in ("exchange", "instrument") \
            and re.search(r"\bexchang", f.sentence.text, re.I):
        return "exchange_of_instruments"  # "exchanged the instruments of ratification"
    agents = [c for c in f.predicate.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
    agents += [g for c in agents if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if any(_LEGISLATURE_RX.search(a.text) for a in agents):
        return "parliament"
    return None


@extractor("agreement_ratified")
def agreement_ratified(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """The ratifying state -> its counterpart. For entry into force and the exchange of
    instruments, the agreement's parties (from the sentence, or the discourse) in text order. A stage told of "it" ("approved it", "it was
    approved by the Diet") is a stage of the agreement just reported."""
    if _unspecific(f):
        return
    sub = _stage(f, t)
    lemma = f.trigger.lemma_.lower()
    recent = _recent_agreements(f)
    if lemma in ("approve", "exchange") and not recent and not any(
            rx.search(f.sentence.text) for rx in _AGREEMENT_TRIGGERS()):
        return  # "approved by parliament", "exchanged notes" with no agreement in sight
    symmetric_stage = sub in ("entry_into_force", "exchange_of_instruments")
    # "It was ratified by the Senate": a passive "it" is the agreement, not a state
    # (its own subject first: "ratified by X ... and approved by Y" is Y's approval)
    def _subjects(role: str) -> list[ActorRef]:
        return _distinct([rm.actor for rm in sorted(f.roles.get(role, []), key=lambda x: x.mention.start)
                          if rm.actor.kind in STATE and not (rm.mention.via == "coref" and rm.mention.role == "topic"
                                                             and f.parse[rm.token].dep_ == "nsubjpass")])
    subj = _subjects(SUBJ) or _subjects(LENT)
    # the counterpart named on the agreement itself ("never ratified the agreement signed
    # with Australia"), or on the trigger
    others = [a for a in f.actors(WITH, OBJ, OF, MOD, TO, kinds=ANY_PARTY) if not subj or a.id != subj[0].id]
    if subj and not others and not symmetric_stage:
        others = [rm.actor for rm in f.mentions if rm.actor.kind in ANY_PARTY and rm.actor.id != subj[0].id
                  and _on_object(f, rm)]
    if symmetric_stage and len(subj) >= 2:
        yield Parties(subj[0], subj[1], subtype=sub)
        return
    if subj and others:
        yield Parties(subj[0], others[0], subtype=sub)
        return
    if subj and f.context is not None and not symmetric_stage:
        # "Hungary was the last to ratify the protocol", "approved by the Japanese Diet": the
        # counterpart of the agreement reported just before, if the subject is one of its
        # parties; else the counterpart of the ratification just before
        for prev in recent:
            ids = [prev.subject.id, prev.object.id]
            if subj[0].id in ids:
                other = prev.object if prev.subject.id == subj[0].id else prev.subject
                yield Parties(subj[0], other, subtype=sub, confidence=-0.15)
                return
            if prev.type == "agreement_ratified" and prev.object.id != subj[0].id:
                yield Parties(subj[0], prev.object, subtype=sub, confidence=-0.15)
                return
        # "Hungary's parliament ratified the protocol": the counterpart is the one in the news
        pair = f.context.pair_before(f.sentence.start)
        other_ = [a for a in (pair or ()) if a.id != subj[0].id]
        if other_:
            yield Parties(subj[0], other_[-1], subtype=sub, confidence=-0.2)
            return
    near = _distinct([rm.actor for rm in f.mentions if rm.actor.kind in ANY_PARTY])
    home = f.context.home_state(f.trigger_start) if f.context is not None and len(near) < 2 \
        and not symmetric_stage and _office_subject(f) else None
    if home is not None:
        # "The President ratified the Agreement", "the Senate approved it": in a document on
        # one state, that state's, for the agreement just reported it is a party to
        for prev in recent:
            if home.id in (prev.subject.id, prev.object.id):
                other = prev.object if prev.subject.id == home.id else prev.subject
                yield Parties(home, other, subtype=sub, confidence=-0.2)
                return
    if len(near) >= 2:
        yield Parties(near[0], near[1], subtype=sub, confidence=-0.1)
    elif recent and (symmetric_stage or lemma in ("approve", "exchange")):
        # "it entered into force on 1 July": the agreement just reported
        yield Parties(recent[0].subject, recent[0].object, subtype=sub, confidence=-0.15)
    elif f.context is not None and (pair := f.context.pair_before(f.sentence.start)):
        yield Parties(pair[0], pair[1], subtype=sub, confidence=-0.2)


_OFFICES = {"president", "prime minister", "premier", "senate", "parliament", "congress", "government",
            "cabinet", "chancellor", "king", "national assembly", "house", "diet", "legislature"}


def _office_subject(f: Frame) -> bool:
    """Is the clause's subject an office or a legislature named with no state ("The
    President ratified ...", "the Senate approved ...")?"""
    subj = next((c for c in f.predicate.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.left_edge.lower_ != "the" or any(
            c.dep_ in ("poss", "amod", "nmod") for c in subj.children):
        return False
    return " ".join(t.lower_ for t in subj.subtree if t.dep_ != "det") in _OFFICES


@cache
def _AGREEMENT_TRIGGERS() -> tuple[re.Pattern[str], ...]:
    from .registry import claim_types
    return claim_types()["agreement_signed"].triggers


def _on_object(f: Frame, rm: RoleMention) -> bool:
    """Is the mention inside the phrase of the trigger's object (or of the trigger noun):
    "ratified the agreement signed with Australia", "ratification of the treaty with Peru"?"""
    tok = f.parse[rm.token]
    heads = [f.trigger] + [c for c in f.trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    return any(h.left_edge.i <= tok.i <= h.right_edge.i and tok.i != h.i for h in heads)


# what states join that is not an organisation ("join sanctions", "joined the talks")
_JOINED_ACTIONS = {"sanction", "sanctions", "talk", "talks", "effort", "efforts", "call", "calls", "statement",
                   "statements", "boycott", "protest", "protests", "operation", "operations", "fight", "war",
                   "chorus", "negotiation", "negotiations", "position", "declaration", "campaign", "appeal"}
_MEMBER_OF = re.compile(r"\bas (?:an? |the |its )?(?:[\w-]+ )?(?:full )?(?:member|observer|partner)(?: state| country)? of (?:the )?$",
                        re.I)
_ORG_NOUNS = {"community", "bloc", "organisation", "organization", "union", "alliance", "group", "grouping",
              "association", "forum", "body", "club", "pact", "council", "league", "commission"}
_FOUNDING_VERBS = {"form", "found", "co-found", "create", "set", "launch", "revive", "re-establish", "re-found"}
_ACCESSION_DOCUMENTS = {"protocol", "protocols", "talk", "talks", "bid", "application", "process", "negotiation",
                        "negotiations", "request", "treaty", "agreement", "document", "documents", "criterion",
                        "criteria", "roadmap", "path", "course", "chapter", "chapters", "plan"}


@extractor("accession_membership")
def accession_membership(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Member -> organisation or accord: "X joined O", "X's accession to O", "the
    accession of X to O", "X became a member of O"."""
    if asked_whether(f):
        return
    if f.trigger.dep_ in ("compound", "amod", "nmod") and f.trigger.head.lemma_.lower() in _ACCESSION_DOCUMENTS:
        return  # "approved Sweden's accession protocol", "accession talks": a step, not the accession
    if f.trigger.dep_ == "pobj" and f.trigger.head.lower_ in ("of", "for", "towards", "toward") \
            and f.trigger.head.head.lemma_.lower() in _ACCESSION_DOCUMENTS:
        return  # "signed the treaty of accession", "the roadmap for X's accession": a step too
    if _STATUS_ANAPHOR_RX.search(f.trigger_text):
        yield from _status_anaphor(f, t)
        return
    lemma = f.trigger.lemma_.lower()
    if lemma in ("join", "rejoin") and any(f.parse[i].lemma_.lower() == "apply" for i in f.lenders[:1]):
        return  # "when it first applied to join": an application (type other), not the accession
    if lemma in ("join", "rejoin") and any(c.dep_ == "dobj" and c.lemma_.lower() in _JOINED_ACTIONS
                                           for c in f.trigger.children):
        return  # "refused to join Western sanctions", "joined the talks": not an organisation
    if lemma in _FOUNDING_VERBS or lemma == "return":
        # founders: only the organisation the verb makes ("formed the Alliance of Sahel States",
        # passive: "was founded in 1967 by X, Y and Z"); a return: only to an organisation
        # named in the sentence
        orgs = f.actors(OBJ, kinds=ORG) if lemma != "return" else f.actors(TO, kinds=ORG)
        if not orgs and lemma == "return" and f.trigger.pos_ == "NOUN" and f.context is not None \
                and (org := f.context.org_before(f.trigger_start, window=1)) is not None:
            orgs = [org]  # "left the bloc ... ruled out a return": to the organisation just named
        if not orgs and lemma != "return" and any(c.dep_ == "auxpass" for c in f.trigger.children):
            orgs = f.actors(SUBJ, kinds=ORG)
            subj = next((c for c in f.trigger.children if c.dep_ == "nsubjpass"), None)
            if not orgs and subj is not None and subj.lemma_.lower() in _ORG_NOUNS and f.context is not None \
                    and (org := f.context.org_before(f.trigger_start, window=8)) is not None:
                orgs = [org]  # "The community was revived in 2000 by Kenya, Tanzania and Uganda"
        members = f.actors(SUBJ, LENT, kinds=STATE)
        members = expand_groups(f, members, (SUBJ, LENT))
        sub = "founding" if lemma != "return" else None
        for m in members:
            for o in orgs[:1]:
                yield Parties(m, o, subtype=sub)
        return
    orgs = f.actors(OBJ, TO, IN, OF, WITH, kinds=ORG) or f.actors(MOD, kinds=ORG)
    if not orgs:  # "was admitted as the 11th member of ASEAN"
        orgs = [rm.actor for rm in f.mentions if rm.actor.kind in ORG and rm.mention.start > f.trigger_end
                and _MEMBER_OF.search(f.doc_text, max(f.sentence.start, rm.mention.start - 40), rm.mention.start)][:1]
    adjust = 0.0
    if not orgs and f.context is not None and _LESSER_STATUS.search(f.trigger_text) \
            and (org := f.context.main_org_before(f.trigger_start)):
        orgs, adjust = [org], -0.15  # "Mongolia has been an observer since 2004": of the one written about
    if not orgs and f.context is not None and (org := f.context.org_before(f.trigger_start)):
        orgs, adjust = [org], -0.15  # "Finland was admitted on 4 April": the organisation in the news
    if not orgs:
        return
    # the clause's own subject before one lent by a coordinated clause ("A, B and C held
    # a summit in 2009, and D was admitted two years later": only D)
    members = f.own_mods(STATE) or f.actors(SUBJ, kinds=STATE) or f.actors(LENT, MOD, OF, kinds=STATE)
    members = expand_groups(f, members, (SUBJ, LENT, MOD, OF))
    if not members and f.context is not None and (topic := f.context.topic_for(f)):
        members, adjust = [topic], adjust - 0.15
    sub = t.subtype_for(f.clause_text())
    sub = sub if sub in ("observer", "founding", "partner") else None
    for m in members:
        if m.kind == "state":
            yield Parties(m, orgs[0], subtype=sub, confidence=adjust)
    # a gapped clause after the trigger: "X was admitted in 2016, and Y and Z in 2007"
    gapped = _gapped_members(f) if members else []
    for m in gapped:
        yield Parties(m.actor, orgs[0], subtype=sub, confidence=adjust - 0.1, anchor=gapped[-1].mention.start)


_LESSER_STATUS = re.compile(r"\b(?:observers?|dialogue partners?|partner (?:states?|countries|country)|"
                            r"associate members?)$", re.I)
_STATUS_ANAPHOR_RX = re.compile(r"\b(?:that|this|the same|such) status$", re.I)


def _status_anaphor(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """ "A tier of partner countries took effect on January 1. A, B and C now hold that
    status": the status (observer, partner) and its organisation named in the sentence
    before, in the same paragraph; with no date of its own, that sentence's date."""
    if f.context is None:
        return
    prev = next((s for s in f.context.sentences if s.index == f.sentence.index - 1), None)
    if prev is None or prev.paragraph != f.sentence.paragraph:
        return
    sub = t.subtype_for(prev.text)
    if sub not in ("observer", "partner"):
        return  # "candidate status", "neutral status": not a membership
    org = next((rm.actor for rm in f.mentions if rm.actor.kind in ORG), None) \
        or f.context.org_before(f.trigger_start, window=8)
    if org is None:
        return
    date = None
    if not any(d.value is not None and not d.vague for d in f.dates):
        date = next((d.value for d in reversed(f.context.dates_by_sentence.get(prev.index, []))
                     if d.value is not None and not d.vague), None)
    members = expand_groups(f, f.actors(SUBJ, LENT, kinds=STATE), (SUBJ, LENT))
    for m in members:
        yield Parties(m, org, subtype=sub, confidence=-0.15, date=date)


_GAP_RX = re.compile(r",\s*(?:and|while)\s+(?:the\s+)?$", re.I)


def _gapped_members(f: Frame) -> list[RoleMention]:
    """States of a verbless clause coordinated after the trigger's clause, which repeats its
    verb by ellipsis: ", and Rwanda and Burundi in 2007"."""
    rest = sorted((rm for rm in f.mentions if rm.mention.start > f.trigger_end and rm.actor.kind == "state"),
                  key=lambda x: x.mention.start)
    if not rest or rest[0].role in (SUBJ, OBJ, TO, IN, WITH) \
            or not _GAP_RX.search(f.doc_text[f.sentence.start : rest[0].mention.start]):
        return []
    base = f.sentence.start
    after = [t for t in f.parse if base + t.idx >= rest[0].mention.start]
    if any(t.pos_ in ("VERB", "AUX") for t in after):
        return []  # a clause with its own verb is its own frame
    return _distinct_rms(rest)


def _distinct_rms(rms: list[RoleMention]) -> list[RoleMention]:
    seen: dict[str, RoleMention] = {}
    for rm in rms:
        seen.setdefault(rm.actor.id, rm)
    return list(seen.values())


@extractor("visit")
def visit(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """The visitor's state -> the host state ("visited X", "a visit to X", "traveled to X")."""
    if asked_whether(f):
        return
    if f.predicate.lemma_.lower() in ("host", "receive", "welcome") and f.trigger.lemma_.lower() == f.predicate.lemma_.lower():
        # "Orban hosted Kristersson": the guest's state visits the host's
        hosts_, guests = f.actors(SUBJ, LENT, kinds=STATE), f.actors(OBJ, kinds=STATE)
        if f.predicate.lemma_.lower() != "host":  # received or welcomed: an official, not a shipment
            guests = [rm.actor for rm in f.roles.get(OBJ, []) if rm.actor.kind == "state"
                      and (rm.mention.via in ("person", "title") or rm.mention.role)]
        passive = next((c for c in f.predicate.children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            # "X's president was received in Rabat", "... was received by President Y": the
            # subject is the guest; the agent, else the place, the host
            agent = {t.i for c in f.predicate.children if c.dep_ == "agent" for t in c.subtree}
            guests = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                and passive.left_edge.i <= rm.token <= passive.right_edge.i
                                and (rm.mention.via in ("person", "title") or rm.mention.role)])
            hosts_ = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                and rm.token in agent]) or f.actors(IN, kinds=STATE)
        for h in hosts_[:1]:
            for g in guests:  # "hosted his Egyptian and Somali counterparts": one visit each
                if g.id != h.id:
                    yield Parties(g, h)
        return
    if f.predicate.lemma_.lower() == "attend":
        yield from _attendance(f)
        return
    noun = f.trigger.pos_ == "NOUN"
    if noun and (examples := _such_as_that(f)):
        yield from examples  # "visits, such as that of X's speaker to Y and Z"
        return
    own = f.own_mods(STATE) if noun else []
    # "the visit of the President of Senegal to Ghana": the "of" is the visitor
    of = _own_of(f) if noun and not own else []
    visitors = own or of or f.actors(SUBJ, LENT, kinds=STATE) or f.actors(MOD, kinds=STATE) or _antecedent_states(f)
    if _LEAVE_FOR.search(f.trigger_text):  # "is due to leave for Singapore"
        hosts = f.actors(FOR, TO, kinds=STATE)
    else:
        hosts = f.actors(OBJ, TO, kinds=STATE) or f.actors(IN, kinds=STATE)
        named = _distinct([rm.actor for rm in f.mentions if rm.role in (OBJ, TO) and rm.actor.kind == "state"
                           and rm.mention.via != "coref"])
        if not named and f.actors(IN, kinds=STATE):
            # "arrived in Abu Dhabi on his seventh visit to the country": the place named,
            # not what "the country" was resolved to
            hosts = f.actors(IN, kinds=STATE)
    hosts = hosts or _noun_destination(f)
    visitors = [v for v in visitors if not hosts or v.id != hosts[0].id]
    adjust = 0.0
    if not visitors and hosts and f.trigger.pos_ == "VERB" and f.context is not None and (topic := f.context.topic_for(f)):
        if topic.id != hosts[0].id:
            visitors, adjust = [topic], -0.2
    if not visitors and hosts and _unresolved_subject(f):
        # "X and China signed a pact in July, when Sogavare paid a visit to Beijing": a visitor
        # the resolver does not know stands for the one other state of the sentence
        others = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                            and rm.actor.id not in {h.id for h in hosts}])
        if len(others) == 1:
            visitors, adjust = others, -0.25
    if visitors and not hosts:
        hosts, adjust = _implied_destination(f, visitors[0]), adjust - 0.15
    if f.predicate.lemma_.lower() in _ARRIVAL and f.trigger.i == f.predicate.i:
        # "the first six jets will land in Buenos Aires", "troops arrived in": people travel
        visitors = [v for v in visitors if _traveller(f, v)]
    for v in visitors[:1]:
        for h in hosts:  # "visit Bamako, Ouagadougou and Niamey": one visit each
            if h.id != v.id:
                yield Parties(v, h, confidence=adjust)


_LEAVE_FOR = re.compile(r"\bfor$", re.I)
# arriving with no destination named ("flew in for the ceremony", "landed at the air base")
_ARRIVAL = frozenset("arrive land fly come".split())
_FORCES = frozenset("guards guard navies officers officer soldiers sailors pilots units instructors commanders "
                    "generals marines peacekeepers forces army military troops navy jets aircraft".split()) | {"air force", "coast guard"}
_DATELINE_RX = re.compile(r"^[A-Z][A-Z .'’-]{2,40},[^\n]{0,80}[—–-]$")


def _such_as_that(f: Frame) -> list[Parties]:
    """ "frequent visits, such as that of Chile's foreign minister to Peru and Bolivia",
    "visits, including that of the Saudi minister to Tehran": the example's "of" is the
    visitor, its "to" the host (one visit each)."""
    out: list[Parties] = []
    for prep in (c for c in f.trigger.children if c.dep_ == "prep" and c.lower_ in ("as", "including", "like")):
        for that in (c for c in prep.children if c.dep_ == "pobj" and c.lower_ in ("that", "those")):
            of = next((c for c in that.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if of is None:
                continue
            tos = [t for t in that.subtree if t.dep_ == "prep" and t.lower_ == "to"]
            to_toks = {x.i for t in tos for x in t.subtree}
            of_toks = {x.i for x in of.subtree} - to_toks
            visitors = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.token in of_toks])
            hosts = _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.token in to_toks])
            for v in visitors[:1]:
                out += [Parties(v, h, confidence=-0.1) for h in hosts if h.id != v.id]
    return out


def _own_of(f: Frame) -> list[ActorRef]:
    """States under an "of" right on a visit noun ("the visit of the Kenyan president")."""
    out = []
    for rm in f.roles.get(OF, []):
        x = f.parse[rm.token]
        while x.head.i != x.i and x.head.i != f.trigger_token:
            x = x.head
        if x.head.i == f.trigger_token and x.dep_ == "prep" and x.lower_ == "of" and rm.actor.kind == "state":
            out.append(rm.actor)
    return _distinct(out)


def _antecedent_states(f: Frame) -> list[ActorRef]:
    """ "Sweden's defence minister, Pal Jonson, who flew in": the state of the noun phrase a
    relative clause hangs on (its possessor or modifier, or that of its apposition)."""
    return _distinct([rm.actor for rm in _antecedent_mentions(f)])


def _antecedent_mentions(f: Frame) -> list[RoleMention]:
    pred = f.predicate
    if pred.dep_ != "relcl":
        return []
    ante = pred.head
    heads = {ante.i} | {c.i for c in ante.children if c.dep_ == "appos"}
    if ante.dep_ == "appos":
        heads.add(ante.head.i)
    out = []
    for rm in f.mentions:
        x = f.parse[rm.token]
        if rm.actor.kind == "state" and (x.i in heads or x.dep_ in ("poss", "compound", "amod") and x.head.i in heads):
            out.append(rm)
    return out


def _noun_destination(f: Frame) -> list[ActorRef]:
    """ "the next visit of the President of Senegal, H.E. ..., to Ghana", "his first trip
    abroad as president to Beijing": the parse hangs the "to" elsewhere; a state right after
    "to", after the visit noun with no verb or other destination in between."""
    if f.trigger.pos_ != "NOUN":
        return []
    base = f.sentence.start
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.actor.kind != "state" or rm.mention.start < f.trigger_end:
            continue
        if rm.mention.start - f.trigger_end > 120 or ";" in f.doc_text[f.trigger_end : rm.mention.start]:
            return []
        if any(t.pos_ in ("VERB", "AUX") and f.trigger_end <= base + t.idx < rm.mention.start for t in f.parse):
            return []
        if re.search(r"\bto (?:the )?$", f.doc_text[max(f.trigger_end, rm.mention.start - 8) : rm.mention.start]):
            return [rm.actor]
    return []


def _unresolved_subject(f: Frame) -> bool:
    """Is the visit's clause subject a name the resolver did not know (a proper noun with
    no mention)?"""
    pred = f.predicate
    subj = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj or subj[0].pos_ != "PROPN":
        return False
    return not any(rm.token == subj[0].i for rm in f.mentions)


def _traveller(f: Frame, state: ActorRef) -> bool:
    """Is this state named through a person or an official (not a country name, forces or
    equipment)? "The president landed in", not "the jets will land in"."""
    ante = [id(rm) for rm in _antecedent_mentions(f)]
    for rm in f.mentions:
        if rm.actor.id != state.id or rm.role not in (SUBJ, LENT, MOD) and id(rm) not in ante:
            continue
        role = (rm.mention.role or "").lower()
        if rm.mention.via == "person" or role and role not in _FORCES and role not in ("pair", "group", "region", "location", "topic", "origin", "target"):
            return True
    return False


def _implied_destination(f: Frame, visitor: ActorRef) -> list[ActorRef]:
    """Where a visit with no destination named goes: "cancelled his own trip" is the trip
    reported just before (same or previous sentence); "flew in for the ceremony" or
    "landed at the air base" in a datelined report is the dateline's state."""
    ctx = f.context
    if ctx is None:
        return []
    if f.trigger.pos_ == "NOUN" and f.trigger.lemma_.lower() in ("trip", "visit", "tour"):
        # only "his own trip" as the object or subject of its verb, not "during the visit"
        if f.trigger.dep_ not in ("dobj", "nsubj", "nsubjpass") or not any(c.dep_ == "poss" for c in f.trigger.children):
            return []
        for idx, prev in reversed(ctx.recent):
            if f.sentence.index - idx > 1:
                break
            if prev.type == "visit" and prev.object is not None and prev.object.id != visitor.id:
                return [prev.object]
        return []
    if f.predicate.lemma_.lower() not in _ARRIVAL or f.trigger.i != f.predicate.i:
        return []
    if not _traveller(f, visitor):
        return []  # "troops landed": an official travels, forces deploy
    first = ctx.sentences[0] if ctx.sentences else None
    if first is None or not _DATELINE_RX.match(first.text):
        return []
    from ..mentions.actors import find_mentions

    place = [m.actor for m in find_mentions(first.text) if m.actor.kind == "state"]
    return place[:1] if place and place[0].id != visitor.id else []


@cache
def _weapon_origins() -> list[tuple[re.Pattern[str], str]]:
    """(name pattern, maker state) for well-known weapon systems (data/en/roles.yaml)."""
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "roles.yaml").read_text("utf-8"))
    out = []
    for state, names in (data.get("weapon_origins") or {}).items():
        for n in names:
            out.append((re.compile(r"(?<![\w-])" + re.escape(str(n)) + r"(?![\w-])"), state))
    return out


def _origin_by_name(f: Frame) -> list[ActorRef]:
    """The maker of a weapon system named in the trigger's clause ("Bayraktar drones")."""
    text = f.clause_text()
    found = sorted((m.start(), state) for rx, state in _weapon_origins() if (m := rx.search(text)))
    return _distinct([actor_ref(state) for _, state in found])


_FROM_BEFORE = re.compile(r"\bfrom (?:the )?$", re.I)
_WEAPON_WORDS = {"jets", "aircraft", "drones", "missiles", "systems", "tanks", "helicopters", "fighters", "vehicles",
                 "launchers", "howitzers", "weapons", "arms", "munitions", "ammunition", "radars", "batteries"}


def _attendance(f: Frame) -> Iterator[Parties]:
    """"X attended the summit", "the summit was attended by X": X's state visits the state
    where the event is held: a place named in the sentence, else the host of the summit or
    meeting reported last."""
    visitors = f.actors(SUBJ, LENT, kinds=STATE)
    hosts = [rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.role not in (SUBJ, LENT)
             and (rm.role == IN or rm.mention.role == "location")]
    adjust = 0.0
    if not hosts and f.context is not None:
        for _idx, prev in reversed(f.context.recent[-12:]):
            if prev.type == "summit_meeting" and prev.subject is not None and prev.subject.kind in ORG \
                    and prev.object is not None and prev.object.kind == "state":
                hosts, adjust = [prev.object], -0.15
                break
    for v in visitors[:1]:
        for h in hosts[:1]:
            if h.id != v.id:
                yield Parties(v, h, confidence=adjust)


_SUSPENDING = {"pause", "suspend", "halt", "freeze"}
_SHORTLIST = {"shortlist", "short-list", "shortlisted"}


def _supplier_before(f: Frame, recipient: ActorRef, window: int = 3) -> ActorRef | None:
    """The supplier of the arms transfer to ``recipient`` reported just before ("... will
    supply 40 vehicles to Kenya. The first 12 were shipped to Mombasa in July")."""
    if f.context is None:
        return None
    for idx, prev in reversed(f.context.recent):
        if f.sentence.index - idx > window:
            break
        if prev.type == "arms_transfer" and prev.object is not None and prev.object.id == recipient.id:
            return prev.subject
    return None


@extractor("arms_transfer")
def arms_transfer(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Supplier -> recipient. Buyers are subjects of purchase verbs; sellers subjects of
    supply verbs; the weapons' origin is "from X", the demonym on the weapon noun, or the
    maker of a weapon system the text names ("Bayraktar drones"), in the trigger's own
    clause first ("to buy jets from Sweden, to replace its Israeli-built Kfirs": Sweden)."""
    lemma = f.predicate.lemma_.lower()
    trig = f.trigger.lemma_.lower()
    heads = [f.predicate, *(f.parse[i] for i in f.lenders if f.parse[i].lemma_.lower() == "be")]
    if lemma == "arrive" and not any(c.dep_ in ("nsubj", "nsubjpass") and (
            c.lower_ in _WEAPON_WORDS or t.requires is not None and t.requires.search(c.text))
            for h in heads for c in h.children):
        return  # "Russian air defence systems arrived in 2020", not "the minister arrived"
    if lemma == "arrive" and f.context is not None and not f.actors(SUBJ, LENT, FROM, kinds=STATE) \
            and not any(f.context.is_weapon_origin(f, rm) for rm in f.mentions) and not _origin_by_name(f):
        # "The first four aircraft are to arrive in 2026": the deliveries of the deal just
        # reported, from its supplier to its buyer (unless another recipient is named)
        where = f.actors(IN, TO, kinds=STATE)
        for idx, prev in reversed(f.context.recent):
            if f.sentence.index - idx > 3:
                break
            if prev.type == "arms_transfer" and prev.subject is not None and prev.object is not None \
                    and (not where or where[0].id == prev.object.id):
                yield Parties(prev.subject, prev.object, subtype=prev.subtype, confidence=-0.2)
                return
    if f.trigger.pos_ == "NOUN" and f.trigger.head.lemma_.lower() in _SUSPENDING and f.trigger.dep_ in ("dobj", "nsubjpass"):
        return  # "paused weapons shipments to Ukraine": a suspension (other), not a transfer
    shortlist = trig in _SHORTLIST or f.trigger.lower_ in _SHORTLIST
    buying = lemma in {"purchase", "buy", "acquire", "order", "receive", "procure", "obtain", "hold", "get", "sign"} \
        or f.trigger_text.lower() in ("took delivery", "take delivery") or shortlist
    if trig in ("contract", "deal", "order") and lemma in ("sign", "conclude", "place", "award"):
        # "Poland signed a contract with South Korea for 180 tanks": buyer -> supplier's goods;
        # "X and Y watched officials sign a deal for 12 Rafale jets": the maker sells
        buyers = f.actors(SUBJ, LENT, kinds=STATE)
        sellers = f.actors(WITH, kinds=STATE) or f.actors(FROM, kinds=STATE) or _origin_by_name(f)
        maker = _origin_by_name(f)
        if buyers and maker and maker[0].id == buyers[0].id and f.actors(WITH, kinds=STATE):
            # "France signed a contract with Armenia for 36 Caesar howitzers": the maker sells
            buyers, sellers = [a for a in f.actors(WITH, kinds=STATE) if a.id != maker[0].id], maker
        sellers = [a for a in sellers if not buyers or a.id != buyers[0].id or len(buyers) > 1]
        buyers = [b for b in buyers if not sellers or b.id != sellers[0].id]
        for b in buyers[:1]:
            for s_ in sellers[:1]:
                yield Parties(s_, b, subtype=t.subtype_for(f.clause_text()))
        return
    ranked: list[tuple[int, int, ActorRef]] = []
    for rm in f.mentions:
        if rm.actor.kind != "state":
            continue
        before = f.doc_text[max(f.sentence.start, rm.mention.start - 10) : rm.mention.start]
        if rm.role == FROM or _FROM_BEFORE.search(before):
            rank = 0  # "from X", also lower down the object ("its first batch of vehicles from the UAE")
        elif rm.mention.via != "coref" and f.context is not None and f.context.is_weapon_origin(f, rm):
            rank = 1  # "Chinese-made drones"; not "its jets", which are the owner's
        else:
            continue
        ranked.append((rank + (2 if rm.role == OUT else 0), rm.mention.start, rm.actor))
    origin = [a for _, _, a in sorted(ranked, key=lambda x: (x[0], x[1]))]
    subj = f.actors(SUBJ, LENT, kinds=STATE)
    if shortlist and not subj:
        subj = f.actors(MOD, kinds=STATE)  # "Peru's shortlist"
    if buying and not subj:
        subj = _subject_above_participle(f)  # "Malaysia expects the jets ordered from Korea"
    if not subj and f.context is not None and (topic := f.context.topic_for(f)):
        subj = [topic]
    sub = t.subtype_for(f.clause_text())
    if buying or sub == "licensed_production" or trig in ("purchase", "acquisition", "procurement"):
        origin = _distinct(origin) or _origin_by_name(f)
        adjust = 0.0
        if sub == "licensed_production" and not subj:
            subj = f.actors(IN, kinds=STATE)  # "the tanks will be assembled under licence in Poland"
        if not origin and subj and f.context is not None:
            # "... will be assembled under licence in Poland": the supplier of the deal just reported
            if (prev := _supplier_before(f, subj[0], window=2)) is not None:
                origin, adjust = [prev], -0.2
        # "a shortlist of the Gripen, the F-16 and the Rafale": each maker is a candidate
        for s in origin[: 4 if shortlist else 1]:
            # "the two governments signed an agreement on the purchase of Swedish jets": the buyer
            # is the subject that is not the maker
            for r in [a for a in subj if a.id != s.id][:1]:
                yield Parties(s, r, subtype=sub, confidence=adjust)
        return
    if not f.actors(SUBJ, LENT, kinds=STATE):
        # "Chinese transport planes flew missiles to Belgrade", "Russian systems arrived in 2020"
        subj = _distinct(origin[:1]) or (_origin_by_name(f)[:1] if lemma in ("arrive", "fly") else []) or subj
    recipients = [a for a in f.actors(TO, kinds=STATE) or f.actors(OBJ, kinds=STATE) if not subj or a.id != subj[0].id]
    if lemma == "arrive":
        recipients = [a for a in f.actors(IN, TO, kinds=STATE) if not subj or a.id != subj[0].id]
        if not recipients and f.context is not None and subj:
            # "Russian Pantsir systems arrived in 2020": in the country in the news
            # (the recipient of the arms transfer just reported, else the topic)
            recent = [c.object for idx, c in f.context.recent if c.type == "arms_transfer" and c.object is not None
                      and f.sentence.index - idx <= 3 and c.object.id != subj[0].id][-1:]
            topic = f.context.topic_for(f, exclude={subj[0].id})
            recipients = recent or ([topic] if topic else [])
    adjust = 0.0
    if recipients and (not subj or subj[0].id == recipients[0].id or not f.actors(SUBJ, LENT, kinds=STATE) and not origin):
        # "The first 12 vehicles were shipped to Mombasa in July": the supplier just reported
        if (prev := _supplier_before(f, recipients[0])) is not None:
            subj, adjust = [prev], -0.15
    if subj and not recipients:
        # "X supplied Y with patrol boats and agreed to provide radars": the one other state
        others = [a for a in _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"]) if a.id != subj[0].id]
        recipients, adjust = (others, -0.2) if len(others) == 1 else ([], 0.0)
    for s in subj[:1]:
        for r in recipients[:1]:
            yield Parties(s, r, subtype=sub, confidence=adjust)


def _subject_above_participle(f: Frame) -> list[ActorRef]:
    """The state subject of the clause whose noun a bare participle modifies: in "Malaysia
    expects the first of 18 jets ordered from Korea to arrive", Malaysia placed the order."""
    if f.trigger.dep_ != "acl" or f.trigger.tag_ != "VBN" or any(
            c.dep_ == "agent" for c in f.trigger.children):
        return []
    x = f.trigger.head
    for _ in range(6):
        if x.pos_ in ("VERB", "AUX") or x.head.i == x.i:
            break
        x = x.head
    subjects = [c for c in x.children if c.dep_ == "nsubj"]
    if x.pos_ not in ("VERB", "AUX") or not subjects:
        return []
    lo, hi = subjects[0].left_edge.i, subjects[0].right_edge.i
    return [rm.actor for rm in f.mentions if rm.actor.kind == "state" and lo <= rm.token <= hi][:1]


_SPEECH_VERBS = {"say", "accuse", "claim", "allege", "charge", "report", "tell", "insist", "state", "blame"}


def _alleged_by(f: Frame) -> list[ActorRef]:
    """States whose officials report the trigger's clause: the subjects of a speech verb
    that governs it ("The Thai army said Cambodian forces opened fire", "Cambodia accused
    Thai soldiers of firing first")."""
    out: list[ActorRef] = []
    for i in [f.predicate_token, *f.lenders]:
        tok = f.parse[i]
        if tok.lemma_.lower() in _SPEECH_VERBS and i != f.trigger_token:
            for rm in f.mentions:
                x = f.parse[rm.token]
                while x.dep_ in ("compound", "amod", "poss", "conj", "appos") and x.head.i != x.i:
                    x = x.head
                if x.head.i == i and x.dep_ in ("nsubj", "nsubjpass") and rm.actor.kind == "state":
                    out.append(rm.actor)
    return _distinct(out)


def _accused_of(f: Frame) -> tuple[list[ActorRef], list[ActorRef]]:
    """"X accused Y's soldiers of advancing on its positions": (the accused, the accusers)."""
    x = f.trigger
    while x.dep_ in ("pcomp", "pobj", "prep", "conj") and x.head.i != x.i:
        x = x.head
        if x.pos_ == "VERB" and x.lemma_.lower() in ("accuse", "blame"):
            accused, accusers = [], []
            # "X's ministry rejected that account and accused ...": the subject they share
            speaker = x.head.i if x.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in x.children) else x.i
            for rm in f.mentions:
                y = f.parse[rm.token]
                while y.dep_ in ("compound", "amod", "poss", "conj", "appos") and y.head.i != y.i:
                    y = y.head
                if y.head.i == x.i and y.dep_ == "dobj" and rm.actor.kind == "state":
                    accused.append(rm.actor)
                elif y.head.i in (x.i, speaker) and y.dep_ == "nsubj" and rm.actor.kind == "state":
                    accusers.append(rm.actor)
            return _distinct(accused), _distinct(accusers)
    return [], []


@extractor("conflict_action")
def conflict_action(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Actor -> target: "X invaded Y", "X's strikes on Y", "the bombing of Y by X". A
    conflict with no natural direction ("the conflict between X and Y", "the X-Y war",
    "X and Y clashed") goes from the first named to the second. One side's account of an
    attack on itself ("Phnom Penh said Thai aircraft had dropped bombs") is an allegation:
    speculative, with the accuser as the target when the clause names none."""
    noun = f.trigger.pos_ in ("NOUN", "PROPN")
    between = _between(f, STATE) if noun else []
    if len(between) >= 2:
        yield Parties(between[0], between[1])
        return
    own = f.own_mods(STATE) if noun else []
    withs = f.actors(WITH, kinds=STATE)
    if len(own) >= 2 and any(w.id not in {a.id for a in own} for w in withs):
        own = own[-1:]  # "... and Baku's conflict with Armenia": the possessor next to the noun
    # the clause's own subject before a subject lent by a speech verb above it
    actors = own or f.actors(SUBJ, kinds=STATE) or f.actors(LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    accusers = _alleged_by(f)
    if actors and accusers and actors[0].id == accusers[0].id and f.actors(SUBJ, kinds=STATE) == []:
        actors = f.actors(MOD, kinds=STATE) or actors
    targets = [a for a in f.actors(OBJ, ON, OF, IN, WITH, TO, kinds=STATE) if not actors or a.id != actors[0].id]
    if len(actors) >= 2 and not targets:
        # "The two neighbours fought a border war": the first named against the second
        yield Parties(actors[0], actors[1])
        return
    accused, accusers_ = _accused_of(f)
    if accused:  # "Cambodia accused Thai soldiers of firing first"
        actors, accusers = accused, accusers_
        targets = [a for a in targets if a.id != actors[0].id] or accusers[:1]
    adjust = 0.0
    if actors and not targets and accusers and accusers[0].id != actors[0].id:
        targets, adjust = accusers[:1], -0.15  # "X said Y's aircraft bombed a road": on X
    if actors and targets and accusers and accusers[0].id == targets[0].id and f.modality == "asserted":
        f.modality = "speculative"  # the target's own account of the attack
    sub = t.subtype_for(f.trigger_text)
    for a in actors[:1]:
        for tg in targets[:1]:
            yield Parties(a, tg, confidence=adjust, subtype=sub)


@extractor("other")
def other(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Applications, withdrawals and suspensions (state -> organisation), recognitions and
    expulsions (state -> state), accusations. Always with a subtype."""
    sub = t.subtype_for(f.trigger_text) or t.subtype_for(f.clause_text())
    if sub is None:
        return
    if sub in ("severance", "visa_free"):  # "the two countries cut ties": symmetric by nature
        made = False
        for p in symmetric_pairs(f):
            p.subtype = sub
            made = True
            yield p
        if not made and sub == "severance":
            yield from _ties_kept(f, sub)
        return
    if sub in _BETWEEN_STATES:
        yield from _state_to_state(f, sub)
        return
    if sub in ("sanctions", "tariffs"):
        yield from _restrictions(f, sub)
        return
    if sub in ("suspension", "expulsion"):
        # "ECOWAS suspended all three", "the union has suspended six member states: Mali, ..."
        orgs = f.actors(SUBJ, LENT, kinds=ORG)
        targets = expand_groups(f, f.actors(OBJ, kinds=STATE), (OBJ,))
        targets += [rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.role not in (SUBJ, LENT)
                    and rm.mention.start > f.trigger_end and ":" in f.doc_text[f.trigger_end:rm.mention.start]]
        passive = any(c.dep_ == "auxpass" for c in f.predicate.children)
        if passive:
            # "Venezuela's membership has been suspended", "Mali was suspended from ECOWAS"
            targets += f.actors(SUBJ, kinds=STATE)
            orgs = orgs or f.actors(FROM, kinds=ORG)
        if not orgs and (passive or not f.actors(SUBJ, kinds=STATE)) and f.context is not None:
            # "Venezuela's membership has been suspended": the organisation in the news
            org = f.context.org_before(f.trigger_start)
            orgs = [org] if org else []
            targets = targets or f.actors(MOD, OF, kinds=STATE)
        for o in orgs[:1]:
            for tg in _distinct(targets):
                yield Parties(o, tg, subtype=sub)
        if orgs:
            return
    subj = f.actors(SUBJ, LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    if sub == "withdrawal" and not f.actors(OBJ, TO, FROM, OF, IN, FOR, kinds=ORG):
        # "France completed the withdrawal of its troops from Niger"; "X pulled out of that
        # year's exercise in Y"
        where = f.actors(FROM, kinds=STATE) or [
            rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.role in (IN, OF, "OTHER")
            and rm.mention.start > f.trigger_end and _IN_BEFORE.search(
                f.doc_text[max(f.sentence.start, rm.mention.start - 10) : rm.mention.start])]
        if not where and _troops_subject(f):
            where = f.actors(OBJ, OF, "OTHER", kinds=STATE)  # "the last French soldiers left Chad", "pulled out of"
        for s_ in subj[:1]:
            for o in [a for a in where if a.id != s_.id][:1]:
                yield Parties(s_, o, subtype=sub)
        return
    if sub in ("candidate_status", "accession_negotiations") and not subj and (org := f.actors(SUBJ, LENT, kinds=ORG)):
        # "the EU opened accession negotiations with Ukraine and Moldova", "granted Georgia
        # candidate status": the candidate state first, the organisation it would join
        for s_ in expand_groups(f, f.actors(WITH, OBJ, TO, kinds=STATE), (WITH, OBJ, TO)):
            yield Parties(s_, org[0], subtype=sub)
        return
    if sub in ("application", "withdrawal", "suspension", "candidate_status", "accession_negotiations"):
        objs = f.actors(OBJ, TO, FROM, OF, IN, FOR, kinds=ORG) or _complement_orgs(f)
        if not subj and sub != "withdrawal" and f.context is not None and (topic := f.context.topic_for(f)):
            subj = [topic]  # "..., and opened accession talks in 2014"
        if not objs and sub != "withdrawal" and f.context is not None and (
                org := f.context.org_before(f.trigger_start, window=8 if sub == "application" else 3)):
            # "Turkey, which applied to join in September": the organisation the article is about
            objs = [org]
        subj = expand_groups(f, subj, (SUBJ, LENT, MOD))
        for s_ in subj:
            for o in objs[:1]:
                if s_.kind == "state":
                    yield Parties(s_, o, subtype=sub)
        return
    else:
        objs = [a for a in f.actors(OBJ, OF, ON, *((TO,) if sub == "arms_suspension" else ()), kinds=STATE)
                if not subj or a.id != subj[0].id]
    if not objs and sub == "recognition":
        objs = [a for a in _relative_antecedent(f) if not subj or a.id != subj[0].id]
    if sub == "recognition" and _recognised_government(f):
        return  # "recognise Beijing": diplomatic relations (see diplomatic_relations)
    for s in subj[:1]:
        for o in objs[:1]:
            yield Parties(s, o, subtype=sub)


_TROOPS = frozenset("troop soldier force contingent peacekeeper army military unit battalion brigade "
                    "personnel marine".split())


def _troops_subject(f: Frame) -> bool:
    """Is the clause's subject a body of troops ("the last French soldiers left", "Russian
    forces pulled out")? Then leaving a country is a withdrawal from it (an official
    leaving after a visit is not)."""
    for i in [f.predicate_token, *f.lenders]:
        for c in f.parse[i].children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c.lemma_.lower() in _TROOPS
    return False


def _restrictions(f: Frame, sub: str) -> Iterator[Parties]:
    """Sanctions, embargoes and tariffs: who imposes them (the clause's subject, or the
    state or organisation modifying the noun: "EU sanctions") on whom (the state they are
    "on" or "against", the object of "sanctioned", or the state of a person sanctioned)."""
    own = f.own_mods(kinds=ANY_PARTY)
    subj = f.actors(SUBJ, LENT, kinds=ANY_PARTY) or own
    mine = {a.id for a in subj[:1]}
    targets = [a for a in f.actors("ON", OBJ, kinds=STATE) if a.id not in mine]
    if not targets:
        targets = [a for a in own if a.id not in mine and a.kind == "state"]
    for s in subj[:1]:
        for o in expand_groups(f, targets, ("ON", OBJ))[:3]:
            if o.id != s.id:
                yield Parties(s, o, subtype=sub)


def _relative_antecedent(f: Frame) -> list[ActorRef]:
    """The state a relative pronoun object of the trigger stands for: "Kosovo, which Serbia
    refuses to recognise"; "Kosovo declared independence, which Belgrade does not recognise"
    (the state whose independence it is)."""
    if not any(c.dep_ == "dobj" and c.tag_ in ("WDT", "WP") for c in f.trigger.children):
        return []
    x = f.trigger
    while x.dep_ in ("xcomp", "conj") and x.head.i != x.i:
        x = x.head
    if x.dep_ != "relcl":
        return []
    ante = x.head
    owners = {ante.i}
    owners |= {c.i for c in ante.children if c.dep_ in ("poss", "compound", "amod")}
    owners |= {g.i for c in ante.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"}
    if ante.dep_ in ("dobj", "attr"):  # "X declared independence": X's
        owners |= {c.i for c in ante.head.children if c.dep_ in ("nsubj", "nsubjpass")}
    out = []
    for rm in f.mentions:
        y = f.parse[rm.token]
        while y.dep_ in ("conj", "compound", "appos") and y.head.i != y.i and y.i not in owners:
            y = y.head
        if y.i in owners and rm.actor.kind == "state":
            out.append(rm.actor)
    return _distinct(out)


_IN_BEFORE = re.compile(r"\b(?:from|in)\s+(?:the\s+)?$", re.I)


def _ties_kept(f: Frame, sub: str) -> Iterator[Parties]:
    """"... and cut the ties Honduras had kept with Taiwan since 1941": the parties of the
    relative clause on the ties."""
    for c in f.trigger.subtree:
        if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ("tie", "relation", "relations", "ties"):
            for rel in c.children:
                if rel.dep_ != "relcl":
                    continue
                own = [rm for rm in f.mentions if rel.left_edge.i <= rm.token <= rel.right_edge.i and rm.actor.kind == "state"]
                subj = [rm.actor for rm in own if f.parse[rm.token].dep_ == "nsubj" and f.parse[rm.token].head.i == rel.i]
                other = [rm.actor for rm in own if f.parse[rm.token].head.lower_ == "with"]
                for a in subj[:1]:
                    for b in other[:1]:
                        yield Parties(a, b, subtype=sub, confidence=-0.1)
                return


# events between two states other than severance: envoys recalled, relations downgraded,
# borders or embassies closed, cooperation ended
_BETWEEN_STATES = {"recall_of_ambassador", "downgrade_of_relations", "border_closure", "embassy_closed",
                   "end_of_cooperation", "expulsion"}
_NEIGHBOUR = re.compile(r"\b(?:its|their) (?:\w+ )?neighbou?rs?\b", re.I)


def _state_to_state(f: Frame, sub: str) -> Iterator[Parties]:
    """The acting state -> the counterpart: "X recalled its ambassador from Y" (one claim per
    state it recalls envoys from), "X expelled Y's ambassador", "X downgraded relations with
    Y", "X closed its embassy in Y", "X closed its border crossings with Y". With no
    counterpart named, the one other state of the sentence, or "its neighbour" the state in
    the news just before."""
    subj = f.actors(SUBJ, LENT, kinds=STATE)
    if sub == "embassy_closed":
        subj = f.own_mods(STATE) or subj
    adjust = 0.0
    if not subj and f.context is not None:
        named = {a.id for a in f.actors(OBJ, MOD, OF, kinds=STATE)} if sub == "expulsion" else set()
        if topic := f.context.topic_for(f, exclude=named):  # "the junta expelled the French ambassador"
            subj, adjust = [topic], -0.15
    if not subj:
        return
    me = subj[0]
    if sub == "recall_of_ambassador":
        roles: tuple[str, ...] = (FROM, IN, TO, OBJ)  # "its envoys from X and Y" hang on the object
    elif sub == "embassy_closed":
        roles = (IN, TO)
    elif sub == "expulsion":
        roles = (OBJ, MOD, OF)
    else:
        roles = (WITH, OBJ, TO, FROM, ON)
    objs = [a for a in f.actors(*roles, kinds=STATE) if a.id != me.id]
    if not objs and sub != "expulsion":
        # the one other state of the sentence ("... withdrawing its diplomats from Bangkok")
        others = [a for a in _distinct([rm.actor for rm in f.mentions if rm.actor.kind == "state"]) if a.id != me.id]
        objs = others if len(others) == 1 else []
        adjust -= 0.15
    if not objs and f.context is not None and _NEIGHBOUR.search(f.clause_text()):
        objs = [a for a in f.context.states_before(f.trigger_start, 2) if a.id != me.id][-1:]
        adjust -= 0.1
    if sub != "recall_of_ambassador":
        objs = objs[:1]
    for o in objs:
        yield Parties(me, o, subtype=sub, confidence=adjust)


def _complement_orgs(f: Frame) -> list[ActorRef]:
    """The organisation the trigger's own complement names: "applied to join the SCO",
    "applied for membership of the EU" (not one named in another clause before it)."""
    out = []
    comps = [c for c in f.trigger.children if c.dep_ in ("xcomp", "prep", "dobj", "pobj") and c.i > f.trigger_token]
    for rm in f.mentions:
        if rm.actor.kind not in ORG:
            continue
        for c in comps:
            if c.left_edge.i <= rm.token <= c.right_edge.i:
                out.append(rm.actor)
    return _distinct(out)


def all_pairs(actors: list[ActorRef]) -> list[tuple[ActorRef, ActorRef]]:
    return list(combinations(_distinct(actors), 2))


_SPECULATIVE_FIGURE = re.compile(r"\b(?:expect\w*|forecast\w*|project\w*|estimat\w* to|could|may|might|likely)\b[^.;]{0,60}$", re.I)


_Q_PREP = re.compile(r"\b(from|to|with|between|and|of|in|into|by|at|for|ahead of|followed by|behind)\s+(?:the\s+)?$", re.I)
# a list item: "followed by Kyrgyzstan with 2.4 million", "ahead of Russia at $11.5 billion"
_Q_ANCHOR = re.compile(r"^(?:’s|'s)?\s*,?\s*(?:with|at|on|:|\()\s*(?:(?:about|around|some|roughly|nearly|almost|over|just over|"
                       r"just under|more than|less than|an estimated)\s+)?$", re.I)
_Q_POSS = re.compile(r"^(?:’s|'s)\s+(?:[a-z-]+\s+){0,2}?(?:trade|turnover|exports?|imports?|trading|shipments?|"
                     r"sales|purchases|deliveries)\b", re.I)
_Q_TOTAL = re.compile(r"\b(?:foreign|external|overall|total|global)\s+(?:trade|trade\s+turnover|turnover)\b"
                      r"|\btrade\s+with\s+(?:the\s+)?(?:world|all\s+countries|the\s+rest\s+of\s+the\s+world)\b", re.I)
_Q_PARTNER = re.compile(r"^(?:’s|'s)\s+(?:(?:largest|biggest|main|top|leading|second[- ]largest|third[- ]largest|"
                        r"key|principal|major)\s+)+trad(?:ing|e)\s+partner\b", re.I)
_Q_ITS_PARTNER = re.compile(r"\b(?:its|their)\s+(?:(?:largest|biggest|main|top|leading|second[- ]largest|"
                            r"third[- ]largest|key|principal|major)\s+)+trad(?:ing|e)\s+partner\b", re.I)
_Q_SOURCE = re.compile(r"\b(?:source (?:market|country)|(?:largest|biggest|main|top|leading) (?:source|group|market)s?)\b", re.I)
_Q_MEMBERS_OF = re.compile(r"\bwith\s+(?:the\s+)?(?:\d+\s+|[a-z]+\s+)?(?:member states|member countries|members|countries|"
                           r"states|nations|economies)\s+of\s+(?:the\s+)?$", re.I)
_Q_ITS_FLOW = re.compile(r"\b(?:its|their)\s+(?:[a-z-]+\s+)?imports\b", re.I)
_Q_RECEIVE = frozenset("receive welcome host attract draw record see register".split())
_Q_FOREIGN = re.compile(r"\b(?:foreign|international|overseas|inbound)\b", re.I)


def _q_prep(f: Frame, rm: RoleMention) -> str:
    m = _Q_PREP.search(f.doc_text, max(f.sentence.start, rm.mention.start - 16), rm.mention.start)
    if m and m.group(1).lower() == "of" and _Q_MEMBERS_OF.search(f.doc_text, max(f.sentence.start, rm.mention.start - 60),
                                                                 rm.mention.start):
        return "with"  # "traded with the member states of the European Union"
    return m.group(1).lower() if m else ""


def _q_crossed(f: Frame, pos: int) -> bool:
    """Whether another figure of the sentence stands between ``pos`` and this figure."""
    q = f.quantity
    lo, hi = (pos, q.start) if pos < q.start else (q.end, pos)
    return any(o is not q and lo <= o.start < hi for o in f.quantities)


def _q_anchored(f: Frame, fig: Any) -> RoleMention | None:
    """The state named right before a figure in a list ("followed by X with 2.4 million")."""
    best = None
    for rm in f.mentions:
        if rm.actor.kind in ("state", "group") and rm.mention.end <= fig.start and \
                _Q_ANCHOR.match(f.doc_text[rm.mention.end : fig.start]):
            best = rm
    return best


def _q_scope(f: Frame) -> list[RoleMention]:
    """The sentence's parties this figure may be about: not the list anchors of its other
    figures, nearest first; mentions across another figure come last."""
    q = f.quantity
    taken = {id(a) for o in f.quantities if o is not q and (a := _q_anchored(f, o)) is not None}
    rms = [rm for rm in f.mentions if id(rm) not in taken and rm.actor.kind in ("state", "group", "organisation")]

    def key(rm: RoleMention) -> tuple[bool, int]:
        d = q.start - rm.mention.end if rm.mention.end <= q.start else rm.mention.start - q.end
        return (_q_crossed(f, rm.mention.start), d)
    return sorted(rms, key=key)


def _q_home(f: Frame, exclude: set[str], base: str, *, subject: bool = True) -> ActorRef | None:
    """Whose trade or tourism the sentence is about: a possessor ("Brazil's trade with"), the
    clause subject, "its" (the topic), or the side the document's last figures were about.
    ``subject=False`` for a list item ("China ..., ahead of Russia at $11.5 billion"): the
    other items are counterparts too, not the home side."""
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.actor.id not in exclude and rm.actor.kind in ("state", "group") and rm.mention.via != "demonym" \
                and _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40]):
            return rm.actor
    subj = [a for a in f.actors(SUBJ, LENT, kinds=("state", "group")) if a.id not in exclude] if subject else []
    if not subject:
        exclude = exclude | {rm.actor.id for rm in f.mentions}
    if subj and not any(_q_prep(f, rm) for rm in f.roles.get(SUBJ, []) if rm.actor.id == subj[0].id):
        return subj[0]
    recent = _q_recent_home(f, base, exclude)
    if recent is not None:
        return recent
    if f.context is not None:
        return f.context.topic_for(f, exclude=exclude, finite_only=False)
    return None


def paragraph_gap(sentences: list[Any], earlier: int, later: int) -> int:
    """How many paragraphs lie between two sentences (0: the same one, 1: the previous)."""
    return len({s.paragraph for s in sentences[earlier : later + 1]}) - 1


def _q_recent_home(f: Frame, base: str, exclude: set[str]) -> ActorRef | None:
    """The side the last figures of the same kind in this or the previous paragraph were
    about: the destination of arrivals, the shared party of trade figures."""
    ctx = f.context
    if ctx is None:
        return None
    for idx, c in reversed(ctx.recent):
        if paragraph_gap(ctx.sentences, idx, f.sentence.index) > 1:
            break
        if c.type != "quantity" or not (c.quantity or {}).get("metric", "").startswith(base):
            continue
        side = c.object if base == "visitor_arrivals" else c.subject
        if side is not None and side.id not in exclude:
            return side
    return None


@extractor("quantity")
def quantity(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """A figure about a state and its counterpart. Trade turnover is symmetric; exports and
    shares go supplier -> buyer; visitor arrivals go origin -> destination. Each figure of a
    sentence takes the parties nearest to it ("..., while trade with the United States was
    $74.9 billion"; "followed by Kyrgyzstan with 2.4 million"); a total ("Uzbekistan's
    foreign trade", "received 10.3 million foreign visitors") has no counterpart."""
    q, metric = f.quantity, f.metric or ""
    base = metric.removesuffix("_target").removesuffix("_growth")
    if q is None:
        return
    _q_expectation(f)
    if q.kind == "percent" and q.of_start is not None:
        # "X supplies 22 percent of Y's oil imports": X -> Y; "X accounted for 22% of Y's
        # exports": Y -> X
        yield from _q_share(f, reverse=base == "exports")
        return
    if q.kind == "rate":
        yield from _q_rate(f)
        return
    if q.kind == "count" and q.unit != "persons":
        return  # "the first 12 vehicles were shipped": goods are counted in money, not pieces
    if q.currency_word:
        yield from _q_shared_currency(f, list(_quantity_parties(f, base)))
        return
    yield from _quantity_parties(f, base)


# What makes a figure an expectation rather than a record, when it governs the figure: a
# verb of forecasting ("the ministry anticipates turnover of $2 billion"), a noun naming one
# ("the outlook for this year is between ...", "the expectations are to grow to ..."), or
# "on track to" ("is on track to reach $2 billion")
_Q_FORECAST_VERBS = frozenset("expect anticipate forecast predict project foresee".split())
_Q_FORECAST_NOUNS = frozenset("expectation forecast projection prediction outlook".split())
_Q_ON_TRACK = frozenset("track course pace".split())
# clause links the climb from a figure does not cross: another clause's verb does not govern it
_Q_OTHER_CLAUSE = frozenset("conj advcl relcl parataxis".split())


def _q_expectation(f: Frame) -> None:
    """An expectation is not a figure for a past period. A figure governed by a forecast is
    speculative; and a forecast, a target or a hedged figure (speculative or planned) takes
    its period only from its own clause: "Last year 4,000 visitors came; this year we
    expect 6,000" gives no second figure for last year, and when "this year" cannot be
    resolved (no publication date) its period is unknown."""
    top = _q_clause_top(f)
    if f.modality == "asserted" and _q_forecast_governs(f, top):
        f.modality, f.modality_cue = "speculative", "expected"
    if f.modality in ("speculative", "planned"):
        f.dates = [d for d in f.dates if _q_in_clause(f, d.start, top)]


def _q_is_other_clause(x: Any) -> bool:
    return x.dep_ in _Q_OTHER_CLAUSE and x.pos_ in ("VERB", "AUX")


def _q_clause_top(f: Frame) -> Any:
    """The head of the figure's own clause: climbing from the figure through its noun
    phrase, infinitives and complements, up to a verb coordinated with or subordinate to
    another clause (whose words are not about this figure), or the root."""
    x = f.parse[f.trigger_token]
    while x.head.i != x.i and not _q_is_other_clause(x):
        x = x.head
    return x


def _q_in_clause(f: Frame, char: int, top: Any) -> bool:
    """Whether the word at ``char`` belongs to the figure's own clause under ``top``, not to
    a clause nested in it that does not hold the figure ("Trade, which stood at $1.2 billion
    in 2022, is forecast to reach $2 billion": 2022 is the relative clause's)."""
    ti = f.trigger_token
    x = f.parse[token_at(f.parse, char - f.sentence.start)]
    while x.i != top.i:
        if _q_is_other_clause(x) and not (x.left_edge.i <= ti <= x.right_edge.i):
            return False
        if x.head.i == x.i:
            return False  # not under the figure's clause at all
        x = x.head
    return True


def _q_forecast_governs(f: Frame, top: Any) -> bool:
    x = f.parse[f.trigger_token]
    while True:
        if x.i != f.trigger_token:
            if x.pos_ in ("VERB", "AUX") and x.lemma_.lower() in _Q_FORECAST_VERBS:
                return True
            for c in x.children:
                lemma = c.lemma_.lower()
                if c.dep_ in ("nsubj", "nsubjpass", "amod") and (lemma in _Q_FORECAST_NOUNS or lemma == "expected"):
                    return True  # "the outlook for this year is ...", "the expected turnover of ..."
                if c.dep_ == "prep" and c.lower_ == "on" and any(
                        g.dep_ == "pobj" and g.lemma_.lower() in _Q_ON_TRACK for g in c.children):
                    return True  # "is on track to reach ..."
        if x.i == top.i or x.head.i == x.i:
            return False
        x = x.head


def _q_shared_currency(f: Frame, made: list[Parties]) -> Iterator[Parties]:
    """"9.3 billion shillings": the currency of the state among the figure's parties."""
    codes = _currency_data()[1].get(f.quantity.currency_word, [])
    ids = [a.id for p in made for a in (p.subject, p.object) if a is not None]  # the subject's first
    by_state = {st.id: c for c in codes if (st := _currency_state(c)) is not None}
    code = next((by_state[i] for i in ids if i in by_state), None)
    if code is not None:
        f.quantity = _replace(f.quantity, unit=code)
    yield from made


def _quantity_parties(f: Frame, base: str) -> Iterator[Parties]:
    q = f.quantity
    anchor = _q_anchored(f, q)
    scope = _q_scope(f)
    if base == "visitor_arrivals":
        yield from _q_arrivals(f, anchor, scope)
        return
    if base == "trade_turnover" or base not in ("exports", "imports", "fdi_stock", "investment"):
        yield from _q_trade(f, anchor, scope, base)
        return
    yield from _q_flow(f, anchor, scope, base)


@cache
def _currency_data() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """(currency word -> code, shared word -> codes, ISO 3166 alpha-2 -> state id)."""
    from ..mentions.knowledge import knowledge
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    u = load_yaml((resources.files("diplograph") / "data" / "en" / "units.yaml").read_text("utf-8"))
    iso2 = {a.codes["iso2"]: a.id for a in knowledge().actors.values() if a.kind == "state" and a.codes.get("iso2")}
    return u["currency_words"], u.get("shared_currency_words") or {}, iso2


def _currency_state(code: str | None) -> ActorRef | None:
    """The state (or the EU) whose currency this ISO 4217 code is: its first two letters."""
    if not code:
        return None
    if code == "EUR":
        return actor_ref("EU")
    sid = _currency_data()[2].get(code[:2])
    return actor_ref(sid) if sid else None


def _q_rate(f: Frame) -> Iterator[Parties]:
    """An exchange rate in words: the state whose currency it is -> the state of the currency
    it is quoted against ("The Ghanaian cedi traded at 10.31 to the dollar": GHA -> USA, in
    GHS). The local currency is named at the figure ("1,185 pesos per dollar"; a shared name
    is decided by the state the sentence or the document is about) or earlier in the sentence
    ("The sum weakened ..., ending December at 12,920 per dollar")."""
    q = f.quantity
    words, shared, _ = _currency_data()
    quote = q.pair.split("/")[1] if q.pair else "USD"
    codes = [q.unit] if q.unit and not q.currency_word else []
    if q.currency_word:
        codes = list(shared.get(q.currency_word, []))
    if not codes:
        before = f.doc_text[f.sentence.start : q.start].lower()
        for m in re.finditer(r"\b(" + "|".join(map(re.escape, sorted({**words, **shared}, key=len, reverse=True))) + r")\b(?! of\b)", before):
            w = m.group(1)
            if words.get(w) == quote:
                continue  # "weakened against the dollar": the quoted currency
            codes = [words[w]] if w in words else list(shared[w])
            break
        if not codes:
            return
    if len(codes) > 1:
        named = [rm.actor.id for rm in f.mentions if rm.actor.kind == "state"]
        if not named and f.context is not None and (topic := f.context.topic_for(f, finite_only=False)):
            named = [topic.id]
        codes = [c for c in codes if (st := _currency_state(c)) is not None and st.id in named][:1]
        if not codes:
            return
    home, other = _currency_state(codes[0]), _currency_state(quote)
    if home is None or other is None or home.id == other.id:
        return
    f.quantity = _replace(q, unit=codes[0])
    yield Parties(home, other)


def _q_arrivals(f: Frame, anchor: RoleMention | None, scope: list[RoleMention]) -> Iterator[Parties]:
    states = [rm for rm in scope if rm.actor.kind == "state"]
    origin = anchor.actor if anchor is not None else None
    if origin is None:
        origin = next((rm.actor for rm in states if _q_prep(f, rm) == "from"), None)
    if origin is None:
        # "11,000 Israeli tourists"
        origin = next((rm.actor for rm in states if rm.mention.via == "demonym"
                       and 0 <= f.quantity.end - rm.mention.start and rm.mention.start - f.quantity.end < 3
                       or rm.mention.via == "demonym" and f.quantity.start <= rm.mention.start < f.quantity.end), None)
    if origin is None:
        origin_list = f.own_mods(STATE)
        origin = origin_list[0] if origin_list else None
    if origin is None and _Q_SOURCE.search(f.sentence.text):
        # "South Korea was the top source market with 1.9 million visitors"
        origin = next((rm.actor for rm in states if rm.role == SUBJ and rm.mention.via != "demonym"), None)
    ex = {origin.id} if origin else set()
    dest = next((rm.actor for rm in states if rm.actor.id not in ex and rm.mention.via != "demonym"
                 and _q_prep(f, rm) in ("to", "in", "into")), None)
    if dest is None:
        # "Armenia received 2.3 million foreign visitors": the subject of the figure's own verb
        verb = f.parse[f.trigger_token]
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.lemma_.lower() in _Q_RECEIVE:
            dest = next((rm.actor for rm in states if rm.actor.id not in ex and rm.mention.via != "demonym"
                         and _q_governed_by(f, rm, verb.i, ("nsubj", "nsubjpass"))), None)
    if dest is None:
        dest = _q_recent_home(f, "visitor_arrivals", ex)
    if dest is None and f.context is not None:
        dest = f.context.topic_for(f, exclude=ex, finite_only=False)
    if dest is None and origin is not None and f.context is not None:
        # "Chilean tourism to Peru is growing. ... 'we welcomed about 4,000 visitors from
        # Chile'": the other state named last, in this or the previous paragraph
        ctx = f.context
        for m in reversed(ctx.state_mentions):
            if m.start >= f.quantity.start or m.actor.id in ex:
                continue
            at = next(s.index for s in ctx.sentences if s.start <= m.start < s.end + 1)
            if paragraph_gap(ctx.sentences, at, f.sentence.index) <= 1:
                dest = m.actor
            break
    if dest is None:
        return
    if origin is not None:
        yield Parties(origin, dest)
    elif not any(rm.actor.kind == "state" and rm.actor.id != dest.id for rm in f.mentions):
        yield Parties(None, dest, confidence=-0.1)  # type: ignore[arg-type]  # all arrivals


def _q_governed_by(f: Frame, rm: RoleMention, head: int, deps: tuple[str, ...]) -> bool:
    x = f.parse[rm.token]
    while x.dep_ in ("compound", "conj", "appos", "poss", "amod") and x.head.i != x.i:
        x = x.head
    return x.head.i == head and x.dep_ in deps


def _q_trade(f: Frame, anchor: RoleMention | None, scope: list[RoleMention], base: str) -> Iterator[Parties]:
    kinds = ("state", "group", "organisation")
    text, q = f.doc_text, f.quantity
    parties = [rm for rm in scope if rm.actor.kind in kinds and rm.mention.via != "demonym"]
    # "between X and Y", nearest to the figure and not across another figure
    for rm in parties:
        if _q_crossed(f, rm.mention.start):
            break
        if _q_prep(f, rm) == "between":
            other = next((o for o in sorted(f.mentions, key=lambda x: x.mention.start)
                          if o.mention.start > rm.mention.end and o.actor.id != rm.actor.id and o.actor.kind in kinds
                          and _q_prep(f, o) == "and"), None)
            if other is not None:
                yield Parties(rm.actor, other.actor)
                return
    counter = anchor.actor if anchor is not None else None
    if counter is None:
        # "trade with Y", nearest first; across another figure only when nothing nearer
        # ("Trade with Y was $4.4 billion, short of the $5 billion target")
        counter = next((rm.actor for rm in parties if _q_prep(f, rm) == "with"), None)
    if counter is None:
        # "China remained its largest trading partner, with turnover of $13.1 billion"
        for rm in parties:
            if _Q_PARTNER.match(text[rm.mention.end : rm.mention.end + 60]):
                subj = [a for a in f.actors(SUBJ, kinds=kinds) if a.id != rm.actor.id]
                if subj:
                    yield Parties(rm.actor, subj[0])
                    return
            elif _Q_ITS_PARTNER.search(text, rm.mention.end, min(f.sentence.end, rm.mention.end + 60)) \
                    and rm.role == SUBJ:
                counter = rm.actor
                break
    if counter is not None:
        # a list item ("..., ahead of Russia at $9 billion") leaves the home side to the
        # sentence's topic; "trade with China at 6.1 billion euros" is the clause's own counterpart
        own = anchor is None or _q_prep(f, anchor) in ("with", "between")
        home = _q_rel_subject(f, counter) or _q_home(f, {counter.id}, base, subject=own)
        if home is not None:
            yield Parties(home, counter)
        return
    if _Q_TOTAL.search(f.sentence.text):
        home = _q_home(f, set(), base)
        named = {rm.actor.id for rm in parties}
        if home is not None and named <= {home.id}:
            yield Parties(home, None)
            return
    pairs = list(symmetric_pairs(f, ("state", "organisation")))
    if pairs:
        yield _q_first_named(f, pairs[0])
        return
    named = _distinct([rm.actor for rm in f.mentions if rm.actor.kind in ("state", "group") and rm.mention.via != "demonym"])
    if len(named) == 2:
        yield Parties(named[0], named[1], confidence=-0.2)
    elif len(named) == 1 and f.context is not None:
        topic = f.context.topic_for(f, exclude={named[0].id}, finite_only=False)
        if topic is not None:
            yield Parties(topic, named[0], confidence=-0.25)


def _q_rel_subject(f: Frame, counter: ActorRef) -> ActorRef | None:
    """The subject of a relative clause on the figure itself: "the 36 billion euros Serbia
    traded with the EU" is Serbia's trade."""
    fig = f.trigger
    for rel in fig.children:
        if rel.dep_ != "relcl":
            continue
        for rm in f.mentions:
            x = f.parse[rm.token]
            if rm.actor.kind == "state" and rm.actor.id != counter.id and x.head.i == rel.i and x.dep_ == "nsubj":
                return rm.actor
    return None


def _q_first_named(f: Frame, p: Parties) -> Parties:
    """A pair with no direction of its own ("the two governments set a target of ...") puts
    the party the document named first as subject (eval/README.md, directed claims with no
    natural direction)."""
    if f.context is None or p.object is None or p.parties:
        return p
    # first named in this paragraph (a round-up names each pair in its own item), else in
    # the document
    ctx = f.context
    lo = ctx.paragraph_start(f.sentence.paragraph)
    a, b = ctx.first_named_from(p.subject.id, lo), ctx.first_named_from(p.object.id, lo)
    if a is None or b is None:
        a, b = ctx.first_named_from(p.subject.id, 0), ctx.first_named_from(p.object.id, 0)
    if a is not None and b is not None and b < a:
        return Parties(p.object, p.subject, confidence=p.confidence, subtype=p.subtype, anchor=p.anchor)
    return p


def _q_share(f: Frame, *, reverse: bool) -> Iterator[Parties]:
    q = f.quantity
    in_of = [rm.actor for rm in f.mentions if q.of_start <= rm.mention.start < (q.of_end or q.of_start)
             and rm.actor.kind in ("state", "group")]
    subj = [a for a in f.actors(SUBJ, LENT, kinds=STATE) if not in_of or a.id != in_of[0].id]
    others = in_of or [a for a in f.actors(TO, OBJ, IN, OF, kinds=("state", "group")) if not subj or a.id != subj[0].id]
    if not subj and f.context is not None and others:
        topic = f.context.topic_for(f, exclude={a.id for a in others})
        subj = [topic] if topic else []
    for s_ in subj[:1]:
        for o in others[:1]:
            yield Parties(o, s_) if reverse else Parties(s_, o)


def _q_flow(f: Frame, anchor: RoleMention | None, scope: list[RoleMention], base: str) -> Iterator[Parties]:
    """Exports, imports, investment: the supplier -> the buyer."""
    q = f.quantity
    states = [rm for rm in scope if rm.actor.kind in ("state", "group")]
    if anchor is not None:
        # "Kazakhstan's exports to China rose to $15 billion, ahead of Russia at $9 billion":
        # the list item replaces the counterpart, the home side stays
        ex = {rm.actor.id for rm in f.mentions if rm is not anchor and _q_prep(f, rm) in ("to", "into", "from")}
        home = _q_home(f, ex | {anchor.actor.id}, base, subject=False)
        if home is not None:
            yield Parties(anchor.actor, home) if base == "imports" else Parties(home, anchor.actor)
        return
    buyer = next((rm.actor for rm in states if _q_prep(f, rm) in ("to", "into") and rm.mention.via != "demonym"), None)
    supplier = next((rm.actor for rm in states if _q_prep(f, rm) == "from" and rm.mention.via != "demonym"), None)
    if supplier is None and buyer is not None:
        # "Exports of Uzbek fruit to Russia", "Kazakhstan's exports to China"
        supplier = next((rm.actor for rm in states if rm.actor.id != buyer.id and (
            rm.mention.via == "demonym" or _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40]))), None)
        if base == "imports" and supplier is not None:
            supplier, buyer = buyer, supplier
        if supplier is None and base == "exports":
            # "Kenya, X's largest trading partner, exported goods worth ... to its neighbour":
            # the exporting verb's own subject
            supplier = next((rm.actor for rm in states if rm.actor.id != buyer.id and rm.mention.via == "name"
                             and f.parse[rm.token].dep_ == "nsubj"
                             and f.parse[rm.token].head.lemma_.lower() in ("export", "ship", "sell", "supply")), None)
    if buyer is None and supplier is not None:
        # "India's imports from the UAE": the possessor buys; "Its imports from the U.S.": the topic
        buyer = next((rm.actor for rm in states if rm.actor.id != supplier.id and rm.mention.via != "demonym"
                      and _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40])), None)
        if buyer is None and base == "imports" and f.context is not None \
                and _Q_ITS_FLOW.search(f.doc_text, f.sentence.start, f.quantity.start):
            buyer = f.context.topic_for(f, exclude={supplier.id}, finite_only=False)
    if supplier is not None and buyer is not None and supplier.id != buyer.id:
        yield Parties(supplier, buyer)
        return
    subj = f.actors(SUBJ, LENT, kinds=STATE)
    in_of = []
    if q.of_start is not None:
        in_of = [rm.actor for rm in f.mentions if q.of_start <= rm.mention.start < (q.of_end or q.of_start)
                 and rm.actor.kind in ("state", "group")]
    others = [a for a in in_of + f.actors(TO, OBJ, IN, OF, kinds=("state", "group")) if not subj or a.id != subj[0].id]
    if not subj and f.context is not None and others:
        topic = f.context.topic_for(f, exclude={a.id for a in others})
        subj = [topic] if topic else []
    for s_ in subj[:1]:
        for o in others[:1]:
            if base == "imports":
                yield Parties(o, s_)
            else:
                yield Parties(s_, o)
