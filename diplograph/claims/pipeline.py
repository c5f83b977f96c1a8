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

This module is the flow; its parts live beside it: ``framing`` (the frames of one
sentence), ``claiming`` (a frame's claims), ``references`` (back-references: "the two
countries", "it"), ``generator`` (the decision stage's extra candidates: the pair generator
and the typer's pseudo frames), ``calibration`` (confidence without the decision model),
``context`` (the discourse state), ``dating`` (a claim's date), ``discourse`` (claims across
sentences), ``merging``, and the frame, modality, attribution and type extractors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..mentions.actors import find_mentions
from ..mentions.dates import find_dates
from ..models import Claim, Mention, PartialDate
from .attribution import quote_spans
from .calibration import calibrated
from .claiming import claim, from_previous
from .contain import Containment, ExtractionError
from .context import DocContext, roles_data
from .dating import (
    dates_from_context,
    each_date,
    figure_periods,
    news_of_the_day,
    no_future_facts,
    present_perfect,
    simple_past,
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
from .frame import Frame
from .framing import absorb, figures_by_sentence, quantity_frames, trigger_frames
from .generator import PSEUDO_MIN, candidates_of, generated, pseudo_frames
from .merging import merge
from .nlp import parse_many
from .references import GROUP_RX, back_references
from .registry import ClaimType, claim_types, extractors, triggered
from .sentences import Sentence, bucket, split_sentences

CALIBRATE = True  # map raw scores through data/claims/calibration.json (eval/calibrate.py fits it)

# agreements listed one after another, the parties named once before
_LIST_ITEM_RX = re.compile(r"\b(?:sign\w*|conclu\w*|into force|effective|ratif\w*|implemented|followed)\b", re.I)
# "A third round was postponed": the talks of the sentence before
_NEXT_ROUND_RX = re.compile(r"\b(?:a|the) (?:first|second|third|fourth|fifth|sixth|seventh|new|next|another|further|latest) round\b(?! of)", re.I)
# "The first two jets are to arrive in 2027": the deliveries of the deal of the sentence before
_NEXT_BATCH_RX = re.compile(r"\b[Tt]he (?:first|last|remaining|next) (?:[\w-]+ ){0,2}(?:jets|aircraft|fighters|drones|"
                            r"vehicles|tanks|helicopters|howitzers|systems|batch|deliveries)\b")
# "Peru's president ..., where he held talks": one official, who "he" can be
_ONE_OFFICIAL_RX = re.compile(r"(?:\w+ )?(?:president|prime minister|minister|premier|chancellor|king|emir|leader|head of state)", re.I)
_HE_RX = re.compile(r"\b(?:he|she)\b", re.I)


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
    idx, rows = rows_for(sentences, bucket(sentences, mentions), bucket(sentences, dates))
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
    mentions = find_mentions(text, published=published)
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
    by_sentence = bucket(sentences, mentions)
    dates_by_sentence = bucket(sentences, dates)
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

    figures = figures_by_sentence(text, sentences)
    candidates = []
    for s in sentences:
        if not triggered(s.text) and not figures.get(s.index) and not (
                max(ctx.typed.get(s.index, {}).values(), default=0.0) >= pseudo_min):
            continue
        if by_sentence[s.index] or roles["pair_rx"].search(s.text) or roles["anaphor_rx"].search(s.text) \
                or GROUP_RX.search(s.text) or _HE_RX.search(s.text) \
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
        cands = candidates_of(merged, ctx, types)
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
    sent_mentions += back_references(s, parse, sent_mentions, ctx)
    sent_mentions.sort(key=lambda m: m.start)
    frames = trigger_frames(s, parse, sent_mentions, dates, types, ctx)
    frames += quantity_frames(s, parse, sent_mentions, dates, figures, ctx)
    frames = sorted(absorb(frames), key=lambda f: f.trigger_start)  # in the order the text tells
    if ctx.typed.get(s.index) and (ctx.collect_candidates or decision_model() is not None):
        frames += pseudo_frames(s, parse, sent_mentions, dates, types, ctx, {f.type for f in frames}, pseudo_min)
    out: list[Claim] = []
    for f in frames:
        out += guard.run("frame " + f.type, (f.trigger_start, f.trigger_end), _frame_claims, f, types[f.type],
                         doc, sentences, quotes, ctx, default=[])
    return out


def _frame_claims(f: Frame, ctype: ClaimType, doc: str, sentences: list[Sentence],
                  quotes: list[tuple[int, int]], ctx: DocContext) -> list[Claim]:
    if f.pseudo:  # the typer's frame: the pair generator alone proposes claims
        ctx.generated += [(c, f) for c in generated(f, ctype, [], doc, sentences, quotes, ctx)]
        return []
    made = [claim(f, ctype, p, doc, sentences, quotes) for p in extractors()[f.type](f, ctype)]
    made = [c for c in made if c is not None]
    if not made:
        made = from_previous(f, ctype, doc, sentences, quotes, ctx)
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
        ctx.generated += [(c, f) for c in generated(f, ctype, made, doc, sentences, quotes, ctx)]
    return made


