"""Accession to organisations and accords: joining, admission, founding membership,
lesser statuses (observer, partner, candidate) and the members a list leaves implied."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..frame import IN, MOD, OBJ, OF, SUBJ, TO, WITH, Frame, RoleMention
from ..registry import ClaimType, extractor
from .common import LENT, ORG, STATE, Parties, asked_whether, expand_groups

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
