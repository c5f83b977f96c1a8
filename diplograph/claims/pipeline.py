"""From a document's cleaned text to claims.

1. Split sentences; find actor mentions, dates and quantities over the whole text (fast).
2. Keep only candidate sentences: an actor (or a back-reference such as "the two
   countries") and a trigger word of some claim type. Only those are parsed.
3. For each trigger, build a Frame (roles, modality, date, attribution) and ask the
   type's extractor who the parties are.
4. Discourse: a running topic for subjectless or pronoun clauses, the last pair of states
   for "the two countries", lists announced in one sentence and spelled out in the next,
   and "this agreement" pointing back at the previous claim.
5. Merge duplicates within the document (symmetric types compare as unordered pairs).
6. With the decision model: every candidate (the rules' claims, the pair generator's and
   the sentence typer's) goes to ``decide``, which keeps, re-reads and re-dates them.

This module is the flow; its parts live beside it: ``context`` (the discourse state),
``dating`` (a claim's date), ``discourse`` (claims across sentences), ``merging``, and the
frame, modality, attribution and type extractors."""

from __future__ import annotations

import dataclasses
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any

from ..mentions.actors import find_mentions
from ..mentions.dates import CHRONOLOGY_RX, find_dates
from ..models import ActorRef, Claim, Mention, PartialDate
from .attribution import attribution_for, is_anonymous, quote_spans
from .contain import Containment, ExtractionError
from .context import BASE_CONFIDENCE, ORIGIN_RX, DocContext, roles_data
from .dating import (
    date_for,
    dates_from_context,
    each_date,
    figure_dates,
    figure_periods,
    news_of_the_day,
    no_future_facts,
    present_perfect,
    simple_past,
    tensed,
)
from .decide import Candidate, decide, decision_model
from .discourse import (
    apply_list_frame,
    as_did,
    did_the_same,
    listed_agreements,
    under_deal,
    update_topics,
)
from .frame import (
    IN,
    OUT,
    Frame,
    RoleMention,
    assign_roles,
    chain_and_lenders,
    columns,
    group_roles,
    predicate_of,
    trigger_head,
)
from .merging import merge, merge_key
from .modality import modality_of
from .nlp import parse_many
from .registry import ClaimType, claim_types, extractors, triggered
from .sentences import Sentence, split_sentences
from .types import Parties

_PARTY_REACH = 80  # tokens between a trigger and a mention that can be its party
PSEUDO_MIN = 0.15  # typer probability above which a type gets a frame without a trigger word (training)
CALIBRATE = True  # map raw scores through data/claims/calibration.json (eval/calibrate.py fits it)
# A trigger of the first type inside the noun phrase of the second replaces it: the
# signing of an alliance is an alliance claim, not also agreement_signed.
ABSORBS = {
    "alliance": {"agreement_signed", "military_cooperation", "strategic_partnership"},
    "strategic_partnership": {"agreement_signed"},
    "diplomatic_relations": {"agreement_signed"},
    "agreement_signed": {"military_cooperation"},
    "accession_membership": {"agreement_signed"},
}
_NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "3": 3, "4": 4, "5": 5, "6": 6}
_GROUP_RX = re.compile(r"\b(?:(?:all )?(?:the|these|those) (?P<n>three|four|five|six) (?:countries|states|nations|capitals|governments|juntas|neighbours|neighbors|members|republics)|all (?P<n2>three|four|five|six)\b(?! of))", re.I)
# agreements listed one after another, the parties named once before
_LIST_ITEM_RX = re.compile(r"\b(?:sign\w*|conclu\w*|into force|effective|ratif\w*|implemented|followed)\b", re.I)
_AGREEMENT_FAMILY = ("agreement_signed", "agreement_ratified")
# "A third round was postponed": the talks of the sentence before
_NEXT_ROUND_RX = re.compile(r"\b(?:a|the) (?:first|second|third|fourth|fifth|sixth|seventh|new|next|another|further|latest) round\b(?! of)", re.I)
# "Peru's president ..., where he held talks": one official, who "he" can be
# "The first two jets are to arrive in 2027": the deliveries of the deal of the sentence before
_NEXT_BATCH_RX = re.compile(r"\b[Tt]he (?:first|last|remaining|next) (?:[\w-]+ ){0,2}(?:jets|aircraft|fighters|drones|"
                            r"vehicles|tanks|helicopters|howitzers|systems|batch|deliveries)\b")
_ONE_OFFICIAL_RX = re.compile(r"(?:\w+ )?(?:president|prime minister|minister|premier|chancellor|king|emir|leader|head of state)", re.I)
_PEOPLE_PAIR_RX = re.compile(r"\b(?:leaders|presidents|ministers|heads of state)\b", re.I)
_HE_RX = re.compile(r"\b(?:he|she)\b", re.I)
_THIS_RX = re.compile(r"^(?:this|that|the|these|such) |^an? (?:\w+ )?(?:round|session)$", re.I)
# "That was followed by a protocol...": a new event between the same parties
_FOLLOWED_RX = re.compile(r"^(?:this|that|it|these) (?:was|were|has been|is) (?:then |later |soon )?followed by\b", re.I)


WINDOW = 50_000  # characters: a longer text is read in windows of about this size


def extract_claims(text: str, *, doc: str, published: PartialDate | None = None,
                   stats: dict[str, int] | None = None,
                   errors: list[ExtractionError] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[Claim]:
    """Extract every claim of a document's cleaned ``text``. Never raises on any text: a
    failure inside a sentence, a frame or a document-level step is reported (on the
    ``diplograph.extract`` logger, and appended to ``errors`` when given) and the rest of
    the document is extracted.

    A text longer than ``WINDOW`` characters (a book-length dump, a whole feed pasted as
    one page) is read in windows cut at paragraph breaks, each with its own discourse
    context, and the claims of all windows merged: time grows linearly with the length
    and memory stays flat.

    :param doc: the document's id or name, copied into each claim.
    :param published: the reference date for relative expressions.
    :param stats: if given, counts of sentences and of parsed (candidate) sentences are
        added to it, to measure how much of the text needs the dependency parser.
    :param errors: if given, every contained failure is appended to it.
    :param progress: if given, called with (characters done, characters in all) after
        each window.
    """
    guard = Containment(doc, errors)
    if len(text) <= WINDOW:
        out = guard.run("document", (0, len(text)), _extract, text, doc, published, stats, guard, default=[])
        if progress is not None:
            progress(len(text), len(text))
        return out
    news = guard.run("document", (0, len(text)), news_of_the_day, text, published, default=False)
    claims: list[Claim] = []
    for a, b in windows(text, WINDOW):
        guard.offset = a
        part = guard.run("document", (0, b - a), _extract, text[a:b], doc, published, stats, guard,
                         news=news, default=[])
        for c in part:
            c.evidence_start += a
            c.evidence_end += a
        claims += part
        if progress is not None:
            progress(b, len(text))
    guard.offset = 0
    return guard.run("merge", (0, len(text)), merge, claims, claim_types(), default=claims)


def extract_many(docs: Iterable[tuple[str, str, PartialDate | None]], *, batch: int = 16,
                 stats: dict[str, int] | None = None,
                 errors: list[ExtractionError] | None = None) -> Iterator[list[Claim]]:
    """``extract_claims`` of several documents, given as (text, doc, published): each
    document's claims, in input order, the same as ``extract_claims`` gives it. The
    sentence typer reads the sentences of up to ``batch`` documents in one call per claim
    type (each call has a fixed cost of about 0.1 ms; a document has about fifteen rows).
    The parser is not batched across documents: measured, it gains nothing (bench/README.md)."""
    it = iter(docs)
    while chunk := list(islice(it, max(1, batch))):
        model = decision_model()
        if model is None or model.typer is None:
            for text, doc, published in chunk:
                yield extract_claims(text, doc=doc, published=published, stats=stats, errors=errors)
            continue
        # the first, fast pass and the typer's rows of each document (long ones go alone)
        firsts: list[tuple[Containment, Any] | None] = []
        for text, doc, published in chunk:
            if len(text) > WINDOW:
                firsts.append(None)
                continue
            guard = Containment(doc, errors)
            firsts.append((guard, guard.run("document", (0, len(text)), _first_pass, text, published, default=None)))
        rows = [row for f in firsts if f is not None and f[1] is not None for row in f[1][4]]
        try:
            probs = iter(model.typed(None, [], rows))
        except Exception:  # noqa: BLE001 - each document then reads (and reports) alone
            probs = None
        for (text, doc, published), first in zip(chunk, firsts):
            if first is None or probs is None:
                yield extract_claims(text, doc=doc, published=published, stats=stats, errors=errors)
                continue
            guard, read = first
            if read is None:
                yield []  # its first pass failed, and was reported, as extract_claims would
                continue
            typed = {k: next(probs) for k in read[3]}
            yield guard.run("document", (0, len(text)), _extract, text, doc, published, stats, guard,
                            read=read[:3], typed_rows=typed, default=[])


def _first_pass(text: str, published: PartialDate | None) -> tuple[Any, ...]:
    """``_read``'s sentences, mentions and dates, and the typer's sentence indexes and rows."""
    from .decide.typer import rows_for

    sentences, mentions, dates = _read(text, published)
    idx, rows = rows_for(sentences, _bucket(sentences, mentions), _bucket(sentences, dates))
    return sentences, mentions, dates, idx, rows


def windows(text: str, size: int) -> list[tuple[int, int]]:
    """Spans of about ``size`` characters that cover ``text``, each ending at a paragraph
    break if one is in its last half, else at a line break, else after a full stop."""
    out = []
    a, n = 0, len(text)
    while a < n:
        b = a + size
        if b >= n:
            out.append((a, n))
            break
        half = a + size // 2
        cut = text.rfind("\n\n", half, b)
        if cut < 0:
            cut = text.rfind("\n", half, b)
        if cut < 0:
            cut = text.rfind(". ", half, b)
            cut = cut + 1 if cut >= 0 else b
        else:
            cut += 1
        out.append((a, cut))
        a = cut
    return out


def candidates(text: str, *, doc: str, published: PartialDate | None = None,
               typed: Any = None, errors: list[ExtractionError] | None = None,
               triggers: dict[str, dict[str, float]] | None = None,
               ) -> tuple[list[Candidate], DocContext | None]:
    """Every candidate claim of a document before the decision stage (the rules' claims and
    the pair generator's), with the document context the features are read from; for
    training and inspecting the decision model. ``typed(sentences, idx, rows)`` may give
    the sentence typer's probabilities (training gives out-of-fold ones), ``triggers`` the
    pseudo frames' lexicon (``decide.triggers``; default: the shipped model's)."""
    guard = Containment(doc, errors)
    out = guard.run("document", (0, len(text)), _extract, text, doc, published, None, guard,
                    mode="candidates", typed=typed, triggers=triggers, default=None)
    return out if out is not None else ([], None)


def sentence_rows(text: str, *, published: PartialDate | None = None) -> tuple[list[Sentence], list[int], list[Any]]:
    """The sentences of a text, and the sentence typer's rows for those that name an actor."""
    sentences, _, _, idx, rows = _first_pass(text, published)
    return sentences, idx, rows


def _read(text: str, published: PartialDate | None) -> tuple[list[Sentence], list[Mention], list[Any]]:
    """The first, fast pass over a text: its sentences, acting actor mentions and dates.
    Vague expressions ("in the coming weeks") stay: a clause that has one gets no date from
    elsewhere in the sentence."""
    sentences = split_sentences(text)
    mentions = _acting_mentions(find_mentions(text, published=published))
    dates = [d for d in find_dates(text, published=published) if d.value is not None or d.vague]
    return sentences, mentions, dates


def _extract(text: str, doc: str, published: PartialDate | None, stats: dict[str, int] | None,
             guard: Containment, mode: str = "decide", typed: Any = None, news: bool | None = None,
             read: tuple[Any, Any, Any] | None = None, typed_rows: dict[int, dict[str, float]] | None = None,
             triggers: dict[str, dict[str, float]] | None = None) -> Any:
    """One document's (or window's) claims; ``read`` and ``typed_rows`` (the typer's
    probabilities by sentence), when given, were computed beforehand (``extract_many``)."""
    sentences, mentions, dates = read if read is not None else _read(text, published)
    quotes = quote_spans(text)
    # states named as actors (a capital that is only the place of an event is not one)
    ctx = DocContext(text, sentences, [m for m in mentions if m.actor.kind == "state" and m.via != "demonym"
                                       and not (m.via == "capital" and m.role == "location")],
                     org_mentions=[m for m in mentions if m.actor.kind in ("organisation", "accord")],
                     person_mentions=[m for m in mentions if m.via == "person" or m.via in ("title", "name")
                                      and m.actor.kind == "state" and _ONE_OFFICIAL_RX.fullmatch(m.role or "")])
    by_sentence = _bucket(sentences, mentions)
    dates_by_sentence = _bucket(sentences, dates)
    ctx.dates_by_sentence = dates_by_sentence
    ctx.mentions_by_sentence = by_sentence
    ctx.collect_candidates = mode == "candidates"
    ctx.quotes = quotes
    roles = roles_data()
    model = decision_model() if mode == "decide" else None
    if typed is None and model is not None and model.typer is not None:
        typed = model.typed
    if typed_rows is not None:
        ctx.typed = typed_rows
    elif typed is not None:
        from .decide.typer import rows_for

        idx, rows = rows_for(sentences, by_sentence, dates_by_sentence)
        ctx.typed = dict(zip(idx, typed(sentences, idx, rows)))
    pseudo_min = model.pseudo_min if model is not None else PSEUDO_MIN
    # the pseudo frames' lexicon: the shipped model's, unless training passes its own
    ctx.pseudo_triggers = triggers if triggers is not None else getattr(decision_model(), "pseudo_triggers", None)

    figures = _figures(text, sentences)
    candidates = []
    for s in sentences:
        if not triggered(s.text) and not figures.get(s.index) and not (
                max(ctx.typed.get(s.index, {}).values(), default=0.0) >= pseudo_min):
            continue
        if by_sentence[s.index] or roles["pair_rx"].search(s.text) or roles["anaphor_rx"].search(s.text) \
                or _GROUP_RX.search(s.text) or _HE_RX.search(s.text) \
                or any(q.written_rate for q, _ in figures.get(s.index, [])):  # the currency names the state
            candidates.append(s)
        elif any(s.index - k >= 0 and sentences[s.index - k].paragraph == s.paragraph and by_sentence[s.index - k]
                 for k in (1, 2, 3, 4)) and (_LIST_ITEM_RX.search(s.text) or _NEXT_ROUND_RX.search(s.text)
                 or _NEXT_BATCH_RX.search(s.text)):
            candidates.append(s)  # "A trade agreement was concluded in 1998": the same two parties
    if stats is not None:
        stats["sentences"] = stats.get("sentences", 0) + len(sentences)
        stats["parsed"] = stats.get("parsed", 0) + len(candidates)
    parses = dict(zip((s.index for s in candidates), parse_many([s.text for s in candidates])))
    ctx.parses = parses

    types = claim_types()
    claims: list[Claim] = []
    for s in sentences:
        parse = parses.get(s.index)
        sent_mentions = list(by_sentence[s.index])
        if parse is not None:
            made = guard.run("sentence", (s.start, s.end), _sentence_claims, s, parse, sent_mentions,
                             dates_by_sentence[s.index], figures.get(s.index, []), ctx, doc, sentences, quotes,
                             types, guard, pseudo_min, default=[])
            claims.extend(made)
        guard.run("topics", (s.start, s.end), update_topics, s, parse, sent_mentions, ctx, default=None)
    whole = (0, len(text))
    claims += guard.run("discourse", whole, did_the_same, claims, ctx, default=[])
    listed = guard.run("agreement lists", whole, listed_agreements, sentences, dates_by_sentence, ctx, doc, types,
                       default=[])
    merged = guard.run("merge", whole, merge, claims, types, default=claims) + listed
    merged.sort(key=lambda c: (c.evidence_start, c.type))
    day = published if (news if news is not None else news_of_the_day(text, published)) else None
    deciding = mode == "candidates" or (mode == "decide" and decision_model() is not None)
    # the pair generator's claims get their dates from the context as the rules' do
    for batch in (merged, [c for c, _ in ctx.generated]) if deciding else (merged,):
        guard.run("context dates", whole, dates_from_context, batch, ctx, day, dates_by_sentence, default=None)
        guard.run("future facts", whole, no_future_facts, batch, published, default=None)
    if deciding:
        cands = _candidates(merged, ctx, types)
        if mode == "candidates":
            return cands, ctx
        decided = guard.run("decision", whole, decide, cands, ctx, published, default=None)
        if decided is not None:
            merged = guard.run("merge", whole, merge, decided, types, default=decided)
            return merged  # confidence is the model's keep probability
    if CALIBRATE:
        for c in merged:
            c.confidence = calibrated(c.confidence, c.type)
    return merged


def _sentence_claims(s: Sentence, parse: Any, sent_mentions: list[Mention], dates: list[Any],
                     figures: list[tuple[Any, str]], ctx: DocContext, doc: str, sentences: list[Sentence],
                     quotes: list[tuple[int, int]], types: dict[str, ClaimType], guard: Containment,
                     pseudo_min: float = 1.0) -> list[Claim]:
    """The claims of one parsed sentence; a frame that fails is reported and skipped."""
    sent_mentions += _back_references(s, parse, sent_mentions, ctx)
    sent_mentions.sort(key=lambda m: m.start)
    frames = _frames(s, parse, sent_mentions, dates, types, ctx)
    frames += _quantity_frames(s, parse, sent_mentions, dates, figures, ctx)
    frames = sorted(_absorb(frames), key=lambda f: f.trigger_start)  # in the order the text tells
    if ctx.typed.get(s.index) and (ctx.collect_candidates or decision_model() is not None):
        frames += _pseudo_frames(s, parse, sent_mentions, dates, types, ctx, {f.type for f in frames}, pseudo_min)
    out: list[Claim] = []
    for f in frames:
        out += guard.run("frame " + f.type, (f.trigger_start, f.trigger_end), _frame_claims, f, types[f.type],
                         doc, sentences, quotes, ctx, default=[])
    return out


def _pseudo_frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
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
                                                       if abs(k - ti) <= _PARTY_REACH])
            rms = [rm for rm in rms if _acts(parse, rm, ctx.text, ti)]
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


def _frame_claims(f: Frame, ctype: ClaimType, doc: str, sentences: list[Sentence],
                  quotes: list[tuple[int, int]], ctx: DocContext) -> list[Claim]:
    if f.pseudo:  # the typer's frame: the pair generator alone proposes claims
        ctx.generated += [(c, f) for c in _generated(f, ctype, [], doc, sentences, quotes, ctx)]
        return []
    made = [_claim(f, ctype, p, doc, sentences, quotes) for p in extractors()[f.type](f, ctype)]
    made = [c for c in made if c is not None]
    if not made:
        made = _from_previous(f, ctype, doc, sentences, quotes, ctx)
    made = apply_list_frame(f, made, ctx)
    made += as_did(f, made, ctx)
    made += each_date(f, made)
    made += under_deal(f, made)
    past = simple_past(f)
    perfect = not past and present_perfect(f)
    if f.type == "quantity":
        figure_periods(f, made, ctx)
    for c in made:
        ctx.recent.append((f.sentence.index, c))
        ctx.frames_of[id(c)] = f
        if past:
            ctx.simple_past.add(id(c))
        elif perfect:
            ctx.present_perfect.add(id(c))
    if decision_model() is not None or ctx.collect_candidates:
        ctx.generated += [(c, f) for c in _generated(f, ctype, made, doc, sentences, quotes, ctx)]
    return made


def _candidates(merged: list[Claim], ctx: DocContext, types: dict[str, ClaimType]) -> list[Candidate]:
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


def _generated(f: Frame, ctype: ClaimType, made: list[Claim], doc: str, sentences: list[Sentence],
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
                template = _claim(f, ctype, Parties(subject=a, object=b, subtype=subtype, confidence=-0.2),
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


@cache
def _calibration() -> dict[str, Any]:
    path = resources.files("diplograph") / "data" / "claims" / "calibration.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}


def calibrated(raw: float, type_: str) -> float:
    """The share of claims of this type and score band that were right on the development
    set (eval/calibrate.py), so that a confidence of 0.7 means about 7 in 10 are right."""
    cal = _calibration()
    if not cal:
        return raw
    bands = cal["by_type"].get(type_)
    if bands is None:
        return cal["overall"]
    return bands["low" if raw < 0.75 else "high"]


def _acting_mentions(mentions: list[Mention]) -> list[Mention]:
    """Drop demonyms that do not make their state act ("Chilean students"), unless they
    mark origin ("Turkish drones") or modify an official ("the Turkish president")."""
    r = roles_data()
    out = []
    for m in mentions:
        out.append(m)
    return out if r else mentions


def _bucket(sentences: list[Sentence], items: list[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {s.index: [] for s in sentences}
    i = 0
    for item in sorted(items, key=lambda x: x.start):
        while i < len(sentences) and sentences[i].end <= item.start:
            i += 1
        if i < len(sentences) and sentences[i].start <= item.start:
            out[sentences[i].index].append(item)
    return out


def _back_references(s: Sentence, parse: Any, mentions: list[Mention], ctx: DocContext) -> list[Mention]:
    """Mentions for "the two countries" (the last pair of states) and for "it"/"the
    country" in subject or possessive position (the topic), where the resolver gave none."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _GROUP_RX.finditer(s.text):
        # "the three countries", "all three", "the three capitals": the last N states named
        a, b = s.start + m.start(), s.start + m.end()
        if not free(a, b):
            continue
        n = _NUMBERS[(m.group("n") or m.group("n2")).lower()]
        for actor in ctx.states_before(a, n):
            out.append(Mention(a, b, m.group(0), actor, 0.6, "coref", "group"))
            taken.append((a, b))
    for m in roles_data()["pair_rx"].finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if not free(a, b):
            continue
        pair = ctx.pair_before(a)
        if _PEOPLE_PAIR_RX.search(m.group(0)):
            # "the two presidents": the states of the last two officials named, not of a
            # country named since ("is due to leave for Singapore")
            people: list[ActorRef] = []
            for pm in ctx.people_before(a):
                if pm.actor.kind == "state" and all(x.id != pm.actor.id for x in people):
                    people.append(pm.actor)
                if len(people) == 2:
                    pair = (people[1], people[0])
                    break
        if pair:
            for actor in pair:
                out.append(Mention(a, b, m.group(0), actor, 0.7, "coref", "pair"))
    words = columns(parse).lower  # the loops below read only the tokens of a few words
    for tok in (parse[i] for i, w in enumerate(words) if w in ("he", "she")):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            # "He visited Malaysia in January": the official named last, acting for their state
            a = s.start + tok.idx
            person = next(ctx.people_before(a), None)
            if person is not None and s.index - ctx.sentence_at(person.start) > 3:
                person = None
            if person is not None and free(a, a + len(tok.text)):
                out.append(Mention(a, a + len(tok.text), tok.text, person.actor, 0.5, "coref", "person"))
            continue
    for tok in (parse[i] for i, w in enumerate(words) if w in ("alliance", "bloc")):
        if tok.dep_ == "poss" and any(c.lower_ == "the" for c in tok.children):
            # "the alliance's exercises": the organisation named last
            a = s.start + next(c.idx for c in tok.children if c.lower_ == "the")
            b = s.start + tok.idx + len(tok.text)
            head = tok.head  # not "the alliance's Partnership for Peace programme", a body of its own
            lo, hi = s.start + head.left_edge.idx, s.start + head.right_edge.idx + len(head.right_edge.text)
            own = any(lo <= m.start < hi and m.actor.kind in ("organisation", "accord") for m in mentions)
            org = ctx.org_before(a, window=15)
            if org is not None and org.kind == "organisation" and not own and free(a, b):
                out.append(Mention(a, b, ctx.text[a:b], org, 0.6, "coref", "organisation"))
    for tok in (parse[i] for i, w in enumerate(words) if w in _TOPIC_WORDS):
        low = tok.lower_
        is_np = low in ("country", "state", "nation", "republic") and any(
            c.lower_ in ("the", "this", "that") and c.dep_ == "det" for c in tok.children)
        pronoun = (low == "it" and tok.dep_ in ("nsubj", "nsubjpass")
                   and tok.head.lemma_ not in ("be", "seem", "appear", "remain", "take", "follow")) or (
            low == "its" and tok.dep_ == "poss")
        if not (is_np or pronoun):
            continue
        a = s.start + tok.idx
        b = a + len(tok.text)
        if is_np:
            a = s.start + next(c.idx for c in tok.children if c.lower_ in ("the", "this", "that"))
        if not free(a, b):
            continue
        topic = _subject_state(tok, s, mentions) if low == "its" else None
        topic = topic or _topic_at(ctx, s, a)
        if topic is not None:
            out.append(Mention(a, b, ctx.text[a:b], topic, 0.6, "coref", "topic"))
    return out


_TOPIC_WORDS = frozenset(("country", "state", "nation", "republic", "it", "its"))  # "the country", "it", "its"


def _subject_state(tok: Any, s: Sentence, mentions: list[Mention]) -> ActorRef | None:
    """The state that is the subject of the clause around a possessive "its": "Brazil
    informed Peru of its decision" (its = Brazil, not the state named last)."""
    x = tok
    for _ in range(8):
        if x.pos_ in ("VERB", "AUX"):
            for c in x.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    a, b = s.start + c.left_edge.idx, s.start + c.idx + len(c.text)
                    m = next((m for m in mentions if a <= m.start < b + 1 and m.actor.kind == "state"), None)
                    return m.actor if m is not None else None
            if x.dep_ != "conj" or x.head.i == x.i:
                return None
            # "Honduras established relations with China and cut its ties with Taiwan"
        x = x.head
    return None


def _topic_at(ctx: DocContext, s: Sentence, offset: int) -> ActorRef | None:
    # within the sentence: the last named state before the pronoun ("As for X, it has...")
    last = ctx.state_named_before(offset)
    if last is not None and last.start >= s.start:
        return last.actor
    for off, para, actor in reversed(ctx.topics):
        if s.paragraph - para > 1:
            break
        if off < offset:
            return actor
    return None


def _frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
            types: dict[str, ClaimType], ctx: DocContext) -> list[Frame]:
    frames = []
    mention_tokens = []
    for m in mentions:
        mention_tokens.append((m, trigger_head(parse, m.start - s.start, m.end - s.start)))
    seen_tokens: set[tuple[str, int]] = set()
    for ctype in types.values():
        if not ctype.triggers or ctype.name not in triggered(s.text) \
                or any(rx.search(s.text) for rx in ctype.exclude):
            continue
        for rx in ctype.triggers:
            for m in rx.finditer(s.text):
                ti = trigger_head(parse, m.start(), m.end())
                if (ctype.name, ti) in seen_tokens:
                    continue
                seen_tokens.add((ctype.name, ti))
                pi = predicate_of(parse, ti)
                chain, lenders = chain_and_lenders(parse, ti, pi)
                if ctype.requires is not None and not (
                    _requirement_met(ctype, parse, ti, chain, lenders) or _implied(s, parse, ti)
                ):
                    continue
                # a party is near its trigger: bounding the distance keeps run-on sentences linear
                rms = assign_roles(parse, chain, lenders, [(mm, t) for mm, t in mention_tokens
                                                           if abs(t - ti) <= _PARTY_REACH])
                rms = [rm for rm in rms if _acts(parse, rm, ctx.text, ti)]
                modality, cue = modality_of(parse, chain, lenders, ti)
                if modality == "asserted" and _scheduled_present(parse, ti, pi, lenders, dates):
                    modality, cue = "planned", "present tense with a date (schedule)"
                own_event = _participle_event(ctype, parse, ti) if modality == "negated" else None
                if own_event is not None and own_event != pi:
                    # "never ratified the security agreement signed with Australia in 2022":
                    # the participle on the trigger is the event, and the negation of the verb
                    # around it is not its own (a plan or a wish stays what it is: "wants the
                    # agreement signed in 2025")
                    modality, cue = modality_of(parse, [ti, own_event], [], ti)
                f = Frame(
                    type=ctype.name, doc_text=ctx.text, sentence=s,
                    trigger_start=s.start + m.start(), trigger_end=s.start + m.end(),
                    trigger_text=m.group(0), parse=parse, trigger_token=ti, predicate_token=pi,
                    roles=group_roles(rms), mentions=rms, dates=dates, context=ctx,
                    chain=chain, lenders=lenders, modality=modality, modality_cue=cue,
                )
                frames.append(f)
    return frames


def _figures(text: str, sentences: list[Sentence]) -> dict[int, list[tuple[Any, str]]]:
    """Figures worth a quantity claim, by sentence: money, counts and percentages with a
    metric (trade, exports, visitors...); growth rates are left out (optional in gold)."""
    from ..mentions.quantities import find_quantities, metric_for

    out: dict[int, list[tuple[Any, str]]] = {}
    qs = [q for q in find_quantities(text) if q.value is not None and (q.kind in ("money", "count", "percent")
                                                                        or q.written_rate)]
    if not qs:
        return out
    by = _bucket(sentences, qs)
    for s in sentences:
        known: dict[str | None, str] = {}
        for q in by[s.index]:
            metric = metric_for(text, q, (s.start, s.end))
            if metric is None and q.unit in known:
                # "trade reached $2.1 billion ..., and a target of $3 billion by 2027": the
                # figure measures what the sentence's other figure of that unit measures
                base = known[q.unit]
                before = text[max(s.start, q.start - 40) : q.start].lower()
                metric = base + "_target" if _TARGET_RX.search(before) else base
            if metric:
                known.setdefault(q.unit, metric.removesuffix("_target").removesuffix("_growth"))
            if q.written_rate:  # "traded at 10.31 to the dollar" (a ticker's "KGS/USD 0.011" is not)
                metric = "exchange_rate"
            if metric and not metric.endswith("_growth") and (
                    metric not in ("exchange_rate", "trade_balance") or q.written_rate):
                out.setdefault(s.index, []).append((q, metric))
    return out


_RATIFIED_RX = re.compile(r"\b(?:into (?:force|effect)|ratif\w+|took effect|takes effect)\b", re.I)
_TARGET_RX = re.compile(r"\b(?:target|goal|aim|objective)\b", re.I)


def _quantity_frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
                     figures: list[tuple[Any, str]], ctx: DocContext) -> list[Frame]:
    if not figures:
        return []
    out = []
    mention_tokens = [(m, trigger_head(parse, m.start - s.start, m.end - s.start)) for m in mentions]
    all_figures = [q for q, _ in figures]
    for q, metric in figures:
        ti = trigger_head(parse, q.start - s.start, q.end - s.start)
        pi = predicate_of(parse, ti)
        chain, lenders = chain_and_lenders(parse, ti, pi)
        # a demonym is a party of a figure ("9,500 Chilean students", "Uzbek fruit exports")
        rms = [rm for rm in assign_roles(parse, chain, lenders, mention_tokens)
               if rm.mention.via == "demonym" or _acts(parse, rm, ctx.text)]
        modality, cue = modality_of(parse, chain, lenders, ti)
        if metric.endswith("_target"):
            modality, cue = "planned", "target"
        elif _SPECULATIVE_FIGURE_RX.search(ctx.text[max(s.start, q.start - 80) : q.start]):
            modality, cue = "speculative", "expected"
        out.append(Frame(
            type="quantity", doc_text=ctx.text, sentence=s, trigger_start=q.start, trigger_end=q.end,
            trigger_text=q.text, parse=parse, trigger_token=ti, predicate_token=pi, roles=group_roles(rms),
            mentions=rms, dates=figure_dates(parse, s, dates, ti), quantities=all_figures, context=ctx,
            chain=chain, lenders=lenders, modality=modality, modality_cue=cue, quantity=q, metric=metric,
        ))
    return out


_SPECULATIVE_FIGURE_RX = re.compile(r"\b(?:expect\w*|forecast\w*|projected|estimated to|could|(?-i:may)|might|likely)\b", re.I)


_SCHEDULE_VERBS = {"meet", "travel", "visit", "arrive", "fly", "sign", "hold", "host", "open", "begin", "start",
                   "head", "leave", "join", "launch", "hold", "resume", "tour", "attend", "convene", "depart"}


def _scheduled_present(parse: Any, ti: int, pi: int, lenders: list[int], dates: list[Any]) -> bool:
    """"The two ministers meet in Tokyo on Friday", "the president travels to Beijing later
    this month": an event verb in the simple present with a date of its own is a schedule."""
    verb = parse[pi]
    if verb.tag_ not in ("VBZ", "VBP") or verb.lemma_.lower() not in _SCHEDULE_VERBS:
        return False
    if CHRONOLOGY_RX.match(parse.text):
        return False  # "1999 - Georgia joins the Council of Europe": a chronology's historical present
    if verb.dep_ not in ("ROOT", "conj") or not any(c.dep_ == "nsubj" for c in verb.children):
        return False  # "watched officials sign a deal": a bare infinitive, not a present tense
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    if verb.dep_ in ("relcl", "acl") or any(t.lower_ in ("every", "each", "annually", "usually", "regularly", "often")
                                           for t in verb.subtree):
        return False  # "whose members meet every December": a habit, not a schedule
    return any(d.value is not None and not d.vague for d in dates)


def _participle_event(ctype: ClaimType, parse: Any, ti: int) -> int | None:
    """A past participle on the trigger noun that is the event the type requires ("the
    agreement signed with Australia in December 2022"), if any."""
    if ctype.requires is None:
        return None
    for c in parse[ti].children:
        if c.dep_ == "acl" and c.tag_ == "VBN" and ctype.requires.search(c.text) \
                and not any(g.dep_ in ("aux", "auxpass") for g in c.children):
            return c.i
    return None


def _requirement_met(ctype: ClaimType, parse: Any, ti: int, chain: list[int], lenders: list[int]) -> bool:
    words = []
    for i in chain + lenders:
        tok = parse[i]
        words.append(tok.text)
        if i in lenders and tok.lemma_.lower() == "be" and any(c.dep_ in ("xcomp", "acomp") for c in tok.children):
            # "the first jets are to arrive in 2026": the subject of "be to" is the verb's own
            words.extend(c.text for c in tok.children if c.dep_ in ("nsubj", "nsubjpass"))
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "acl", "relcl", "prep", "dobj", "xcomp", "advcl"):
                words.append(c.text)
                if c.dep_ == "prep":  # "signed a contract ... for 180 tanks"
                    words.extend(g.text for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "conj" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                words.append(c.text)  # "signed and ratified"; not another clause with its own subject
    trig = parse[ti]
    sub = parse[trig.left_edge.i : trig.right_edge.i + 1].text
    return bool(ctype.requires.search(" ".join(words)) or ctype.requires.search(sub))


def _implied(s: Sentence, parse: Any, ti: int) -> bool:
    """An agreement that exists between named parties ("the swap agreements between X and
    Y") or follows an earlier one ("That was followed by a protocol") was concluded."""
    if _FOLLOWED_RX.search(s.text):
        return True
    if _RATIFIED_RX.search(s.text):
        return False  # "the agreement between X and Y entered into force": that stage is the claim
    trig = parse[ti]
    if any(c.dep_ == "prep" and c.lower_ == "between" for c in trig.children):
        return True
    # "Among the texts exchanged by ministers were a memorandum on ..., an agreement on ...":
    # documents listed after a copula, under a noun that a signing participle describes
    x = trig
    while x.dep_ in ("conj", "appos") and x.head.pos_ in ("NOUN", "PROPN") and x.head.i != x.i:
        x = x.head
    if x.dep_ in ("attr", "appos", "nsubj") and x.head.lemma_ == "be":
        for c in x.head.children:
            nouns = [c] if c.dep_ in ("nsubj", "attr") else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else []
            if any(n.i != x.i and any(g.dep_ == "acl" and _SIGNED_RX.match(g.text) for g in n.children) for n in nouns):
                return True
    return False


_SIGNED_RX = re.compile(r"(?:sign|conclu|exchang|ink|adopt)\w*$", re.I)


_NOT_A_PARTY = re.compile(r"^[-–](?:brokered|backed|led|sponsored|mediated|funded|based|friendly|aligned|style)\b", re.I)


def _acts(parse: Any, rm: RoleMention, text: str = "", trigger: int | None = None) -> bool:
    """A demonym makes its state a party only on an official noun, a weapon (origin), or
    the trigger itself: "Chilean students" are not Chile. A broker or backer ("the
    US-brokered accords") is not a party either."""
    if text and _NOT_A_PARTY.match(text[rm.mention.end : rm.mention.end + 12]):
        return False
    if rm.mention.role == "location" and rm.role in ("SUBJ", "LENT_SUBJ", "MOD"):
        return False  # "analysts in Lima expect ...": a place on someone else, not a party
    if text and ORIGIN_RX.match(text[rm.mention.end : rm.mention.end + 12]):
        return True  # "Chinese-made drones": the origin of the goods
    if rm.mention.via != "demonym":
        return True
    tok = parse[rm.token]
    head = tok.head
    while head.dep_ in ("amod", "compound") and tok.dep_ == "conj" and head.i != head.head.i:
        tok, head = head, head.head  # "Saudi and Iranian naval officers": Iranian shares Saudi's noun
    r = roles_data()
    if trigger is not None and tok.i < trigger:
        x = tok  # "the U.S.-Iranian talks", "the Sudanese-Chadian border talks"
        while x.dep_ in ("amod", "compound", "nmod") and x.head.i != trigger and x.head.pos_ in ("ADJ", "PROPN") \
                and x.head.i == x.i + 2 and parse[x.i + 1].text in ("-", "–"):
            x = x.head
        if x.head.i == trigger and x.dep_ in ("amod", "compound", "nmod"):
            return True
    if head.lower_ in r["official"] or head.lower_ in r["weapon"] or head.lower_ in r["target"]:
        return True
    if any(c.dep_ == "conj" and c.lower_ in r["official"] for c in tok.children):
        return True  # "between Kyrgyz and Tajik border forces" parsed as Kyrgyz + forces
    nxt = parse[tok.i + 1] if tok.i + 1 < len(parse) else None
    if nxt is not None and (nxt.lower_ in r["official"] or f"{nxt.lower_}" in r["weapon"]):
        return True
    return False


def _absorb(frames: list[Frame]) -> list[Frame]:
    """Drop a frame whose trigger noun phrase holds the trigger of a type that absorbs it."""
    keep = []
    for f in frames:
        absorbed = False
        for g in frames:
            if g is f or f.type not in ABSORBS.get(g.type, ()):
                continue
            if g.trigger.dep_ == "poss":
                continue  # "the alliance's exercises": the possessor is an actor, not the event
            if g.type == "accession_membership" and (g.trigger.head.i == f.trigger_token or g.trigger.dep_ == "pobj"
                                                     and g.trigger.head.head.i == f.trigger_token):
                continue  # "signed its accession treaty", "the treaty of accession": a signing, not the accession
            np = f.trigger
            if (np.left_edge.i <= g.trigger_token <= np.right_edge.i and not _coordinated(f.parse, g.trigger_token, f.trigger_token)) \
                    or g.trigger_token in f.chain:
                absorbed = True
                break
            gnp = g.trigger
            if gnp.left_edge.i <= f.trigger_token <= gnp.right_edge.i and not _coordinated(f.parse, f.trigger_token, g.trigger_token):
                absorbed = True
                break
        if not absorbed:
            keep.append(f)
    return keep


def _coordinated(parse: Any, inner: int, outer: int) -> bool:
    """Is ``inner`` inside ``outer``'s phrase only as a coordinated item ("a protocol ...,
    as well as a strategic partnership"), i.e. another event, not a modifier of it?"""
    x = parse[inner]
    while x.i != outer and x.head.i != x.i:
        if x.dep_ == "conj":
            return True
        x = x.head
    return False


def _claim(f: Frame, ctype: ClaimType, p: Any, doc: str, sentences: list[Sentence],
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


def _from_previous(f: Frame, ctype: ClaimType, doc: str, sentences: list[Sentence],
                   quotes: list[tuple[int, int]], ctx: DocContext) -> list[Claim]:
    """ "This agreement was signed in November 2005": a trigger with no parties whose noun
    phrase points back ("this", "the") takes the parties and type of the previous claim."""
    if any(rm.role != OUT and not (rm.role == IN and rm.mention.role == "location") for rm in f.mentions):
        return []  # the sentence names parties of its own (a place is not one)
    if f.trigger.dep_ == "pobj" and _anchoring_preposition(f.trigger.head):
        return []  # "on the sidelines of the visit", "during the talks": a time, not a new claim
    np = f.parse[f.trigger.left_edge.i : f.trigger.i + 1].text
    listed = not f.mentions and f.type in _AGREEMENT_FAMILY
    if not _THIS_RX.match(np) and not (not f.mentions and _FOLLOWED_RX.search(f.sentence.text)) and not listed:
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
            c.evidence_text, c.evidence_start, c.evidence_end = f.sentence.text, f.sentence.start, f.sentence.end
            c.confidence = max(0.05, prev.confidence - 0.25)
            c.attributed_to = attribution_for(f.trigger_start, f.trigger_end, f.sentence, sentences, quotes)
            if c.modality in ("asserted", "planned") and is_anonymous(c.attributed_to, f.sentence):
                c.modality = "speculative"
            return [c]
        followed = bool(_FOLLOWED_RX.search(f.sentence.text))
        if prev.type in (f.type, *[k for k, v in ABSORBS.items() if f.type in v]) or followed:
            c = dataclasses.replace(prev)
            if followed:  # a new event between the same parties; "this agreement" is the same one
                c.type, c.extractor, c.codes = ctype.name, ctype.extractor_name, dict(ctype.codes)
                c.subtype = None
            c.date = date_for(f)[0]
            if f.modality != "asserted" or followed:
                c.modality = f.modality  # type: ignore[assignment]
            # else "the visit" keeps the status of the visit it points to (a plan stays a plan)
            c.evidence_text, c.evidence_start, c.evidence_end = f.sentence.text, f.sentence.start, f.sentence.end
            c.confidence = max(0.05, prev.confidence - 0.15)
            c.attributed_to = attribution_for(f.trigger_start, f.trigger_end, f.sentence, sentences, quotes)
            if c.modality in ("asserted", "planned") and is_anonymous(c.attributed_to, f.sentence):
                c.modality = "speculative"
            return [c]
    return []


_ANCHORS = {"during", "at", "after", "before", "since", "throughout", "amid", "following", "ahead", "until"}


def _anchoring_preposition(prep: Any) -> bool:
    """Does this preposition make its object a time or place anchor ("during the visit",
    "on the sidelines of the summit", "ahead of the talks")?"""
    if prep.lower_ in _ANCHORS:
        return True
    if prep.lower_ == "of" and prep.head.lower_ in ("sidelines", "margins", "fringes", "eve", "end", "start", "occasion"):
        return True
    return prep.lower_ == "of" and prep.head.lower_ == "ahead"


