"""Meetings: summits and talks (with their topics and attendance lists) and visits (who
travelled where, when the destination is only implied)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ...models import ActorRef
from ..frame import FOR, IN, MOD, OBJ, OF, SUBJ, TO, WITH, Frame, RoleMention
from ..registry import ClaimType, extractor
from .common import (
    ANY_PARTY,
    LENT,
    ON,
    ORG,
    STATE,
    Parties,
    asked_whether,
    between_parties,
    distinct_actors,
    symmetric_pairs,
)

_UNDER_RX = re.compile(r"\b(?:auspices|banner|umbrella|aegis|framework) of (?:the )?$", re.I)


_ORDINALS = frozenset("second third fourth fifth sixth seventh eighth ninth tenth".split())


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
    hosts = f.actors(IN, kinds=STATE) or distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                                    and rm.mention.role == "location" and rm.role in (OF, OBJ, TO, WITH)])
    if not orgs and hosts:
        # "talks ... took place in Lima under the auspices of the Pacific Alliance"
        orgs = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in ORG and _UNDER_RX.search(
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
        subj = distinct_actors(f.actors(SUBJ, LENT, kinds=STATE))
        places = [rm.actor for rm in f.roles.get(IN, []) if rm.mention.role == "location" and rm.actor.kind == "state"]
        if len(subj) == 1 and places and places[0].id != subj[0].id:
            made = True
            yield Parties(subj[0], places[0], confidence=-0.2)
    if not made and f.trigger.lemma_.lower() in ("receive", "audience") and f.context is not None:
        # "Minister Niang was received in audience by the President of Ghana": a guest the
        # resolver does not know is the visitor of the last visit to the host's state
        hosts = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.role in (SUBJ, LENT)])
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
    return anchored and not f.own_mods(ANY_PARTY) and len(between_parties(f, ANY_PARTY)) < 2 \
        and not any(c.dep_ == "prep" for c in trig.children)


def _talks_with_topic(f: Frame) -> Iterator[Parties]:
    """ "X established relations with China. Talks on a free trade agreement with Beijing
    began that summer": the agreement's counterpart is the other side of the talks, and its
    partner in the claim just before (X) the first."""
    if f.trigger.pos_ not in ("NOUN", "PROPN") or f.trigger.lower_ not in ("talks", "negotiations") \
            or f.context is None:
        return
    counter = distinct_actors([rm.actor for rm in f.roles.get(ON, []) if rm.actor.kind == "state"
                         and f.parse[rm.token].dep_ == "pobj" and f.parse[rm.token].head.lower_ == "with"])
    if len(counter) != 1 or len(distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in ANY_PARTY])) != 1:
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
            guests = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                and passive.left_edge.i <= rm.token <= passive.right_edge.i
                                and (rm.mention.via in ("person", "title") or rm.mention.role)])
            hosts_ = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                                and rm.token in agent]) or f.actors(IN, kinds=STATE)
        for h in hosts_[:1]:
            for g in guests:  # "hosted his Egyptian and Somali counterparts": one visit each
                if g.id != h.id:
                    yield Parties(g, h)
        return
    if f.predicate.lemma_.lower() == "attend":
        yield from _attendance(f)
        return
    if _crowd_travels(f):
        return  # "1.2 million tourists from Russia visited Turkey": a figure, not an official visit
    if guests := _visiting_guest(f):
        # "held talks with visiting Pakistani Prime Minister X in Beijing": the guest visits
        # the place named, else the state of the one it met
        hosts = [a for a in f.actors(IN, kinds=STATE) if a.id != guests[0].id] or \
            [a for a in f.actors(SUBJ, LENT, kinds=STATE) if a.id != guests[0].id] or \
            [a for a in _clause_subjects(f) if a.id != guests[0].id]
        for h in hosts[:1]:
            yield Parties(guests[0], h)
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
        named = distinct_actors([rm.actor for rm in f.mentions if rm.role in (OBJ, TO) and rm.actor.kind == "state"
                           and rm.mention.via != "coref"])
        if not named and f.actors(IN, kinds=STATE):
            # "arrived in Abu Dhabi on his seventh visit to the country": the place named,
            # not what "the country" was resolved to
            hosts = f.actors(IN, kinds=STATE)
    hosts = hosts or _noun_destination(f)
    visitors, hosts = _at_home(f, visitors, hosts)
    visitors = [v for v in visitors if not hosts or v.id != hosts[0].id]
    adjust = 0.0
    if not visitors and hosts and f.trigger.pos_ == "VERB" and f.context is not None and (topic := f.context.topic_for(f)):
        if topic.id != hosts[0].id:
            visitors, adjust = [topic], -0.2
    if not visitors and hosts and _unresolved_subject(f):
        # "X and China signed a pact in July, when Sogavare paid a visit to Beijing": a visitor
        # the resolver does not know stands for the one other state of the sentence
        others = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"
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

@cache
def _crowds() -> frozenset[str]:
    """People counted rather than sent: the person nouns of figures (data/en/units.yaml) that
    are not officials, forces or a state's people (data/en/roles.yaml)."""
    from ...mentions.quantities import _units
    from ..context import roles_data

    return frozenset(w.lower() for w in _units()["person_nouns"]) - roles_data()["official"]


def _crowd_travels(f: Frame) -> bool:
    """Does the trigger verb have tourists, students, migrants ... for its subject?"""
    if f.trigger.pos_ != "VERB":
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _crowds() for c in f.trigger.children)


def _states_under(f: Frame, verb: Any, arguments: Callable[[Any], bool]) -> list[ActorRef]:
    """The states named inside those phrases of ``verb`` that ``arguments`` picks."""
    spans = [(c.left_edge.i, c.right_edge.i) for c in verb.children if arguments(c)]
    return distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"
                            and any(a <= rm.token <= b for a, b in spans)])


def _clause_subjects(f: Frame) -> list[ActorRef]:
    """The states named in the subject of the nearest verb above the trigger."""
    v = f.trigger.head
    while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
        v = v.head
    return _states_under(f, v, lambda c: c.dep_ in ("nsubj", "nsubjpass"))


def _visiting_guest(f: Frame) -> list[ActorRef]:
    """The guest's state when "visiting" stands before the guest's title ("with visiting
    Pakistani Prime Minister X", "welcomed the visiting Kenyan president"): an adjective, which
    the parser often reads as a gerund taking the guest as its object ("visiting Pakistan" is
    a gerund: a state's name follows)."""
    i = f.trigger.i
    if f.trigger.lower_ != "visiting" or i + 1 >= len(f.parse):
        return []
    from ..context import roles_data

    nxt = f.parse[i + 1]
    if nxt.tag_ != "JJ" and nxt.lower_ not in roles_data()["guest_titles"]:  # (data/en/roles.yaml)
        return []
    after = sorted((rm for rm in f.mentions if i < rm.token <= i + 6 and rm.actor.kind == "state"),
                   key=lambda rm: rm.token)
    return [after[0].actor] if after else []


# arriving with no destination named ("flew in for the ceremony", "landed at the air base")
_ARRIVAL = frozenset("arrive land fly come".split())


_FORCES = frozenset("guards guard navies officers officer soldiers sailors pilots units instructors commanders "
                    "generals marines peacekeepers forces army military troops navy jets aircraft".split()) | {"air force", "coast guard"}


_DATELINE_RX = re.compile(r"^[A-Z][A-Z .'’-]{2,40},[^\n]{0,80}[—–-]$")


def _at_home(f: Frame, visitors: list[ActorRef], hosts: list[ActorRef]) -> tuple[list[ActorRef], list[ActorRef]]:
    """A visit's host is where it happens. "Wang Yi held talks with his Australian
    counterpart in Beijing, the first such visit in four years": the subject is at home
    (the place named is its own state), so the one met there is the visitor. Only when
    the host was read from the one met, not from a destination ("a visit to X")."""
    if not visitors or not hosts or f.actors(TO, FOR, kinds=STATE):
        return visitors, hosts
    here = f.actors(IN, kinds=STATE)
    if len(here) != 1 or here[0].id != visitors[0].id or here[0].id in {h.id for h in hosts}:
        return visitors, hosts
    return hosts[:1], here


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
            visitors = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.token in of_toks])
            hosts = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state" and rm.token in to_toks])
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
    return distinct_actors(out)


def _antecedent_states(f: Frame) -> list[ActorRef]:
    """ "Sweden's defence minister, Pal Jonson, who flew in": the state of the noun phrase a
    relative clause hangs on (its possessor or modifier, or that of its apposition)."""
    return distinct_actors([rm.actor for rm in _antecedent_mentions(f)])


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


def _host_of_the_occasion(f: Frame, visitor: ActorRef) -> ActorRef | None:
    """ "Paris and Rabat signed 22 agreements during Macron's visit": a visit that is the
    time of what the clause tells goes to the one other state acting in that clause."""
    prep = f.trigger.head
    if f.trigger.dep_ != "pobj" or prep.lower_ not in ("during", "on", "at") or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    acting = _states_under(f, prep.head, lambda c: c.dep_ in ("nsubj", "nsubjpass", "dobj")
                           or c.dep_ == "prep" and c.lower_ in ("with", "between"))
    others = [a for a in acting if a.id != visitor.id]
    return others[0] if len(others) == 1 else None


def _implied_destination(f: Frame, visitor: ActorRef) -> list[ActorRef]:
    """Where a visit with no destination named goes: "cancelled his own trip" is the trip
    reported just before (same or previous sentence); "flew in for the ceremony" or
    "landed at the air base" in a datelined report is the dateline's state."""
    ctx = f.context
    if ctx is None:
        return []
    if f.trigger.pos_ == "NOUN" and f.trigger.lemma_.lower() in ("trip", "visit", "tour"):
        if (host := _host_of_the_occasion(f, visitor)) is not None:
            return [host]
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
    from ...mentions.actors import find_mentions

    place = [m.actor for m in find_mentions(first.text) if m.actor.kind == "state"]
    return place[:1] if place and place[0].id != visitor.id else []


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
