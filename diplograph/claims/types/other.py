"""The ``other`` type: sanctions, restrictions, envoys recalled, relations downgraded or
kept, borders and embassies closed, cooperation ended (ANNOTATION.md's list)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...models import ActorRef
from ..frame import FOR, FROM, IN, MOD, OBJ, OF, SUBJ, TO, WITH, Frame
from ..registry import ClaimType, extractor
from .common import (
    ANY_PARTY,
    LENT,
    ON,
    ORG,
    STATE,
    Parties,
    distinct_actors,
    expand_groups,
    recognised_government,
    symmetric_pairs,
)


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
            for tg in distinct_actors(targets):
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
    if sub == "recognition" and recognised_government(f):
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
    return distinct_actors(out)


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
        others = [a for a in distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"]) if a.id != me.id]
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
    return distinct_actors(out)
