"""The decision stage's extra candidates, beside the rules' own claims: the pair generator
(``generated``: every other pairing of the actors around a trigger, and of each with an
actor the context suggests) and the sentence typer's pseudo frames (``pseudo_frames``: a
frame for a type the typer finds likely where no trigger word of it is); ``candidates_of``
gathers them with the rules' claims, one candidate per distinct claim."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from typing import Any

from ..models import ActorRef, Claim, Mention
from .claiming import claim
from .context import DocContext
from .decide import Candidate
from .frame import (
    Frame,
    assign_roles,
    chain_and_lenders,
    columns,
    group_roles,
    predicate_of,
    trigger_head,
)
from .framing import PARTY_REACH, acts
from .merging import merge_key
from .modality import modality_of
from .registry import ClaimType
from .sentences import Sentence
from .types import Parties

PSEUDO_MIN = 0.15  # typer probability above which a type gets a frame without a trigger word (training)


def pseudo_frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
                  types: dict[str, ClaimType], ctx: DocContext, have: set[str], pseudo_min: float) -> list[Frame]:
    """Frames for the types the sentence typer finds likely and no trigger word found: the
    trigger is the sentence's word the learned lexicon ties most to the type, else its main
    verb (``decide.triggers``); the roles and modality are read from it as for any trigger;
    only the pair generator proposes claims from them."""
    from .decide import triggers

    probs = ctx.typed.get(s.index) or {}
    wanted = [t for t, p in probs.items() if p >= pseudo_min and t not in have and t != "quantity" and t in types]
    if not wanted or not len(parse):
        return []
    cols = columns(parse)
    root = cols.dep.index("ROOT") if "ROOT" in cols.dep else 0
    mention_tokens = [(m, trigger_head(parse, m.start - s.start, m.end - s.start)) for m in mentions]
    inside: set[int] = set()  # the tokens that begin inside a mention
    for m in mentions if ctx.pseudo_triggers else ():
        inside.update(range(bisect_left(cols.starts, m.start - s.start), bisect_left(cols.starts, m.end - s.start)))
    read: dict[int, tuple[Any, ...]] = {}  # what a trigger token gives, read once for all types
    out = []
    for t in wanted:
        ti = triggers.choose(parse, ctx.pseudo_triggers, t, inside, root)
        if ti not in read:
            pi = predicate_of(parse, ti)
            chain, lenders = chain_and_lenders(parse, ti, pi)
            rms = assign_roles(parse, chain, lenders, [(mm, k) for mm, k in mention_tokens
                                                       if abs(k - ti) <= PARTY_REACH])
            rms = [rm for rm in rms if acts(parse, rm, ctx.text, ti)]
            read[ti] = (pi, chain, lenders, rms, *modality_of(parse, chain, lenders, ti))
        pi, chain, lenders, rms, modality, cue = read[ti]
        tok = parse[ti]
        out.append(Frame(
            type=t, doc_text=ctx.text, sentence=s, trigger_start=s.start + tok.idx,
            trigger_end=s.start + tok.idx + len(tok.text), trigger_text=tok.text, parse=parse, trigger_token=ti,
            predicate_token=pi, roles=group_roles(rms), mentions=rms, dates=dates, context=ctx, chain=chain,
            lenders=lenders, modality=modality, modality_cue=cue, pseudo=True,
        ))
    return out


def candidates_of(merged: list[Claim], ctx: DocContext, types: dict[str, ClaimType]) -> list[Candidate]:
    """The rules' claims and the pair generator's, one candidate per distinct claim."""
    out = [Candidate(c, ctx.frames_of.get(id(c)), True) for c in merged]
    seen = {merge_key(c, types.get(c.type))[:2] + (c.evidence_start,) for c in merged}
    for c, f in ctx.generated:
        k = merge_key(c, types.get(c.type))[:2] + (c.evidence_start,)
        if k not in seen:
            seen.add(k)
            out.append(Candidate(c, f, False))
    return out


_GENERATOR_REACH = 5  # the pair generator pairs the mentions nearest to the trigger ...
_CONTEXT_REACH = 4  # ... and the actors the discourse is about


def _context_actors(f: Frame, ctx: DocContext, present: set[str]) -> list[tuple[ActorRef, str]]:
    """Actors a sentence may leave unnamed: its topic, the organisation and the state the
    document is about, the states of the sentences just before."""
    found: list[tuple[ActorRef, str]] = []
    for origin, actor in (("topic", ctx.topic_for(f, finite_only=False)),
                          ("org", ctx.org_before(f.trigger_start)),
                          ("main_org", ctx.main_org_before(f.trigger_start)),
                          ("home", ctx.home_state(f.trigger_start)),
                          *(("previous", a) for a in reversed(ctx.states_before(f.sentence.start, 2)))):
        if actor is not None and actor.id not in present and all(actor.id != a.id for a, _ in found):
            found.append((actor, origin))
    return found[:_CONTEXT_REACH]


def generated(f: Frame, ctype: ClaimType, made: list[Claim], doc: str, sentences: list[Sentence],
              quotes: list[tuple[int, int]], ctx: DocContext) -> list[Claim]:
    """Every other pairing of the actors around a trigger, and of each with an actor the
    context suggests, for the decision model to judge: the rules name one reading of a
    sentence, the model may prefer another."""
    if ctype.name == "quantity" or f.quantity is not None:
        return []
    have = {merge_key(c, ctype)[:2] for c in made}
    by_actor: dict[str, tuple[ActorRef, str, int]] = {}
    for rm in sorted(f.mentions, key=lambda r: abs(r.token - f.trigger_token)):
        by_actor.setdefault(rm.actor.id, (rm.actor, "sentence", rm.mention.start))
    near = list(by_actor.values())[:_GENERATOR_REACH]
    context = [(a, origin, -1) for a, origin in _context_actors(f, ctx, set(by_actor))]
    subtype = ctype.subtype_for(f.clause_text()) if ctype.subtypes else None
    out: list[Claim] = []
    template: Claim | None = None  # date, modality and attribution are the frame's: read them once
    for a, a_origin, a_at in near + context:
        for b, b_origin, b_at in near + context:
            if a.id == b.id or a.kind not in ctype.subject_kinds or b.kind not in ctype.object_kinds:
                continue
            if a_origin != "sentence" and b_origin != "sentence":
                continue  # one party at least is named in the sentence
            if ctype.symmetric and a_at > b_at and b_origin == "sentence":
                continue
            if template is None:
                template = claim(f, ctype, Parties(subject=a, object=b, subtype=subtype, confidence=-0.2),
                                 doc, sentences, quotes)
                if template is None:
                    return out
                hedged = {c.modality for c in made} - {"asserted"}
                if hedged and template.modality == "asserted":
                    # the rules read this trigger as hedged, planned or negated: another pairing
                    # of its actors is not more of a fact
                    template.modality = sorted(hedged)[0]  # type: ignore[assignment]
                c = template
            else:
                c = dataclasses.replace(template, subject=a, object=b, codes=dict(template.codes))
            key = merge_key(c, ctype)[:2]
            if key in have:
                continue
            # the extractor names the path: the pair generator on a trigger word, or on a
            # frame the sentence typer asked for
            c.extractor = f"{ctype.extractor_name}+{'typer' if f.pseudo else 'pairs'}"
            have.add(key)
            origin = a_origin if a_origin != "sentence" else b_origin
            if origin != "sentence":
                ctx.origins[id(c)] = origin
            out.append(c)
    return out
