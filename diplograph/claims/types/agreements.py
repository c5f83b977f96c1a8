"""Agreements signed and ratified (each stage of a ratification, its topic, the parties
an elliptic sentence leaves out) and embassies opened."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ...models import ActorRef
from ..frame import IN, MOD, OBJ, OF, OUT, SUBJ, TO, WITH, Frame, RoleMention
from ..registry import ClaimType, extractor
from .common import ANY_PARTY, LENT, STATE, Parties, distinct_actors, symmetric_pairs


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
        pair = distinct_actors([rm.actor for rm in f.mentions if rm.mention.role == "pair" and rm.actor.kind == "state"])
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
    subj = distinct_actors([rm.actor for rm in f.mentions if rm.token in subj_toks and rm.actor.kind in STATE])
    if not subj:
        subj = f.actors(SUBJ, LENT, kinds=STATE)
    where: dict[str, int] = {}
    counter = []
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.token in inner and rm.token not in subj_toks and rm.actor.kind in ANY_PARTY \
                and rm.mention.role != "location":
            counter.append(rm.actor)
            where.setdefault(rm.actor.id, rm.mention.start)
    counter = distinct_actors(counter)
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
    if sub == "entry_into_force" and f.trigger.pos_ in ("VERB", "AUX"):
        said_of = next((c for c in f.trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if said_of is not None and said_of.pos_ in ("NOUN", "PROPN") and not any(
                rx.search(" ".join(w.text for w in said_of.subtree)) for rx in _AGREEMENT_TRIGGERS()):
            return  # "the tariffs took effect", "Norway's recognition of Palestine took effect"
    lemma = f.trigger.lemma_.lower()
    recent = _recent_agreements(f)
    if lemma in ("approve", "exchange") and not recent and not any(
            rx.search(f.sentence.text) for rx in _AGREEMENT_TRIGGERS()):
        return  # "approved by parliament", "exchanged notes" with no agreement in sight
    symmetric_stage = sub in ("entry_into_force", "exchange_of_instruments")
    # "It was ratified by the Senate": a passive "it" is the agreement, not a state
    # (its own subject first: "ratified by X ... and approved by Y" is Y's approval)
    def _subjects(role: str) -> list[ActorRef]:
        return distinct_actors([rm.actor for rm in sorted(f.roles.get(role, []), key=lambda x: x.mention.start)
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
    near = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in ANY_PARTY])
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
    from ..registry import claim_types
    return claim_types()["agreement_signed"].triggers


def _on_object(f: Frame, rm: RoleMention) -> bool:
    """Is the mention inside the phrase of the trigger's object (or of the trigger noun):
    "ratified the agreement signed with Australia", "ratification of the treaty with Peru"?"""
    tok = f.parse[rm.token]
    heads = [f.trigger] + [c for c in f.trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    return any(h.left_edge.i <= tok.i <= h.right_edge.i and tok.i != h.i for h in heads)
