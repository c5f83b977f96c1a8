"""From a document's cleaned text to claims.

1. Split sentences; find actor mentions, dates and quantities over the whole text (fast).
2. Keep only candidate sentences: an actor (or a back-reference such as "the two
   countries") and a trigger word of some claim type. Only those are parsed.
3. For each trigger, build a Frame (roles, modality, date, attribution) and ask the
   type's extractor who the parties are.
4. Discourse: a running topic for subjectless or pronoun clauses, the last pair of states
   for "the two countries", lists announced in one sentence and spelled out in the next,
   and "this agreement" pointing back at the previous claim.
5. Merge duplicates within the document (symmetric types compare as unordered pairs)."""

from __future__ import annotations

import dataclasses
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..documents.dates import dateline_date
from ..mentions.actors import find_mentions
from ..mentions.dates import CHRONOLOGY_RX, find_dates
from ..models import ActorRef, Claim, Mention, PartialDate
from .contain import Containment, ExtractionError
from .decide import Candidate, decide, decision_model
from .attribution import attribution_for, is_anonymous, quote_spans
from .frame import (
    token_at,
    IN, MOD, OBJ, OUT, SUBJ, WITH, Frame, RoleMention, assign_roles, chain_and_lenders, group_roles,
    predicate_of, trigger_head,
)
from .modality import modality_of
from .nlp import parse_many
from .registry import ClaimType, claim_types, extractors
from .types import Parties
from .sentences import Sentence, split_sentences

BASE_CONFIDENCE = 0.8
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
_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
_LIST_RX = re.compile(rf"\bwith (?:{_NUMBER_WORDS})(?: more| other| additional| further)? (?:countries|states|nations|partners)\b", re.I)
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


_TWO_ADJ = r"two\ (?:(?!other\b|remaining\b|former\b|last\b|first\b|next\b|biggest\b|largest\b)[a-z]+\ )?"


@cache
def _roles_data() -> dict[str, Any]:
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "roles.yaml").read_text("utf-8"))
    return {
        "official": {w.lower() for w in data["official_nouns"]},
        "weapon": {w.lower() for w in data["weapon_nouns"]},
        "target": {w.lower() for w in data.get("target_nouns", [])},
        "anaphors": [a.lower() for a in data["anaphors"]],
        # "the two brotherly countries": one adjective may come between (not "the two other")
        "pair_rx": re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"two\ ", _TWO_ADJ) for p in data["pair_anaphors"])
                              + r")\b", re.I),
        "anaphor_rx": re.compile(r"\b(?:it|its|(?:the|this|that) (?:country|state|nation|republic))\b", re.I),
    }


@cache
def _trigger_screen() -> re.Pattern[str]:
    pats = [rx.pattern for t in claim_types().values() for rx in t.triggers]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)


@dataclass
class DocContext:
    """What the discourse so far tells about who is being talked about."""

    text: str
    sentences: list[Sentence]
    state_mentions: list[Mention]  # named states in text order (for "the two countries")
    topics: list[tuple[int, int, ActorRef]] = field(default_factory=list)  # (offset, paragraph, actor)
    org_mentions: list[Mention] = field(default_factory=list)
    person_mentions: list[Mention] = field(default_factory=list)
    list_frame: dict[str, Any] | None = None
    recent: list[tuple[int, Claim]] = field(default_factory=list)  # (sentence index, claim)
    simple_past: set[int] = field(default_factory=set)  # ids of claims told in the simple past
    present_perfect: set[int] = field(default_factory=set)  # ... in the present perfect ("has joined")
    dates_by_sentence: dict[int, list[Any]] = field(default_factory=dict)  # DateMentions per sentence index
    starts: list[int] = field(default_factory=list)  # sentence start offsets, for sentence_at
    # what the decision stage reads: parses and mentions by sentence, quotes, and for every
    # candidate claim the frame it came from
    parses: dict[int, Any] = field(default_factory=dict)
    mentions_by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    frames_of: dict[int, Frame] = field(default_factory=dict)  # id(claim) -> frame
    generated: list[tuple[Claim, Frame]] = field(default_factory=list)  # the pair generator's candidates
    collect_candidates: bool = False  # generate candidates even without a model (training)
    origins: dict[int, str] = field(default_factory=dict)  # id(claim) -> where a context party came from
    typed: dict[int, dict[str, float]] = field(default_factory=dict)  # sentence index -> typer's probabilities

    def __post_init__(self) -> None:
        self.starts = [x.start for x in self.sentences]
        self._index()

    def _index(self) -> None:
        """Prefix indexes over the named states and organisations, so that every question
        about "before this offset" costs a bisection, not a scan of the document."""
        self.state_mentions.sort(key=lambda m: m.start)
        self.org_mentions.sort(key=lambda m: m.start)
        self._state_starts = [m.start for m in self.state_mentions]
        self._org_starts = [m.start for m in self.org_mentions]
        self.person_mentions.sort(key=lambda m: m.start)
        self._person_starts = [m.start for m in self.person_mentions]
        # home[i]: the state named most often among the first i (3 times at least, no tie)
        self._home: list[ActorRef | None] = [None]
        self._state_offsets: dict[str, list[int]] = {}  # per state, where it is named
        counts: dict[str, int] = {}
        top, at_top, leader = 0, 0, None
        for m in self.state_mentions:
            self._state_offsets.setdefault(m.actor.id, []).append(m.start)
            n = counts[m.actor.id] = counts.get(m.actor.id, 0) + 1
            if n > top:
                top, at_top, leader = n, 1, m.actor
            elif n == top:
                at_top += 1
            self._home.append(leader if top >= 3 and at_top == 1 else None)
        # main_org[i]: the organisation named most often among the first i, the latest on a tie
        self._main_org: list[ActorRef | None] = [None]
        org_counts: dict[str, int] = {}
        best = 0
        current: ActorRef | None = None
        for m in self.org_mentions:
            n = org_counts[m.actor.id] = org_counts.get(m.actor.id, 0) + 1
            if n >= best:  # the latest mention wins a tie
                best, current = n, m.actor
            self._main_org.append(current)
        self._paragraph_start: dict[int, int] = {}
        for x in self.sentences:
            self._paragraph_start.setdefault(x.paragraph, x.start)

    def state_named_before(self, offset: int) -> Mention | None:
        """The last named state before ``offset``."""
        k = bisect_left(self._state_starts, offset) - 1
        return self.state_mentions[k] if k >= 0 else None

    def people_before(self, offset: int) -> Iterator[Mention]:
        """The officials named before ``offset``, the latest first."""
        for k in range(bisect_left(self._person_starts, offset) - 1, -1, -1):
            yield self.person_mentions[k]

    def first_named_from(self, actor: str, offset: int) -> int | None:
        """Where the state ``actor`` is first named at or after ``offset``, if it is."""
        offs = self._state_offsets.get(actor, [])
        k = bisect_left(offs, offset)
        return offs[k] if k < len(offs) else None

    def paragraph_start(self, paragraph: int) -> int:
        return self._paragraph_start.get(paragraph, 0)

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence at ``offset`` (the last one starting at or before it)."""
        k = bisect_right(self.starts, offset) - 1
        return self.sentences[k].index if k >= 0 else -1

    def topic_for(self, f: Frame, exclude: set[str] | frozenset[str] = frozenset(), *,
                  finite_only: bool = True) -> ActorRef | None:
        """The actor a subjectless clause is about: the last topic in this or the previous
        paragraph, before the trigger (other than the clause's own counterparts)."""
        if finite_only and not _finite(f):
            return None  # "a barrier to joining the accords": no one in particular joins
        for off, para, actor in reversed(self.topics):
            if f.sentence.paragraph - para > 1:
                break  # topics are in text order: the rest are further back
            if off < f.trigger_start and actor.id not in exclude:
                return actor
        return None

    def org_before(self, offset: int, window: int = 3) -> ActorRef | None:
        """The organisation or accord named last, within a few sentences before ``offset``."""
        k = bisect_left(self._org_starts, offset) - 1
        if k < 0:
            return None
        m = self.org_mentions[k]
        return m.actor if self.sentence_at(offset) - self.sentence_at(m.start) <= window else None

    def home_state(self, offset: int) -> ActorRef | None:
        """The state named most often before ``offset`` (three times at least, and more than
        any other): the one a document is written from or about."""
        return self._home[bisect_left(self._state_starts, offset)]

    def main_org_before(self, offset: int) -> ActorRef | None:
        """The organisation named most often before ``offset`` (the latest on a tie): the
        one an article about an organisation is about, whatever else it names in between."""
        return self._main_org[bisect_left(self._org_starts, offset)]

    def states_before(self, offset: int, n: int) -> list[ActorRef]:
        """The last ``n`` distinct states named before ``offset``, in text order."""
        seen: list[ActorRef] = []
        for k in range(bisect_left(self._state_starts, offset) - 1, -1, -1):
            m = self.state_mentions[k]
            if all(a.id != m.actor.id for a in seen):
                seen.append(m.actor)
            if len(seen) == n:
                return list(reversed(seen))
        return []

    def pair_before(self, offset: int) -> tuple[ActorRef, ActorRef] | None:
        """The last two distinct states named before ``offset`` (for "the two countries")."""
        two = self.states_before(offset, 2)
        return (two[0], two[1]) if len(two) == 2 else None

    def is_weapon_origin(self, f: Frame, rm: RoleMention) -> bool:
        if _ORIGIN.match(self.text[rm.mention.end : rm.mention.end + 12]):
            return True
        tok = f.parse[rm.token]
        head = tok.head
        return tok.dep_ in ("amod", "compound", "nmod", "poss") and head.lower_ in _roles_data()["weapon"]


def _finite(f: Frame) -> bool:
    """Is the trigger's clause a finite one (a tensed verb, or a verb with an auxiliary)?
    Gerunds and infinitives under a preposition or a noun speak of no one in particular."""
    for i in [f.predicate_token, *f.lenders]:
        tok = f.parse[i]
        if tok.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in tok.children):
            return True
        if tok.dep_ in ("pcomp", "acl") or tok.tag_ == "VBG" and tok.dep_ not in ("ROOT", "conj", "advcl", "csubj"):
            return False
    return f.predicate.tag_ in ("VBD", "VBZ", "VBP")


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
    news = guard.run("document", (0, len(text)), _news_of_the_day, text, published, default=False)
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
    return guard.run("merge", (0, len(text)), _merge, claims, claim_types(), default=claims)


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
               ) -> tuple[list[Candidate], DocContext | None]:
    """Every candidate claim of a document before the decision stage (the rules' claims and
    the pair generator's), with the document context the features are read from; for
    training and inspecting the decision model. ``typed(sentences, idx, rows)`` may give
    the sentence typer's probabilities (training gives out-of-fold ones)."""
    guard = Containment(doc, errors)
    out = guard.run("document", (0, len(text)), _extract, text, doc, published, None, guard,
                    mode="candidates", typed=typed, default=None)
    return out if out is not None else ([], None)


def sentence_rows(text: str, *, published: PartialDate | None = None) -> tuple[list[Sentence], list[int], list[Any]]:
    """The sentences of a text, and the sentence typer's rows for those that name an actor."""
    from .decide.typer import rows_for

    sentences, mentions, dates = _read(text, published)
    idx, rows = rows_for(sentences, _bucket(sentences, mentions), _bucket(sentences, dates))
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
             guard: Containment, mode: str = "decide", typed: Any = None, news: bool | None = None) -> Any:
    sentences, mentions, dates = _read(text, published)
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
    screen = _trigger_screen()
    roles = _roles_data()
    model = decision_model() if mode == "decide" else None
    if typed is None and model is not None and model.typer is not None:
        typed = model.typed
    if typed is not None:
        from .decide.typer import rows_for

        idx, rows = rows_for(sentences, by_sentence, dates_by_sentence)
        ctx.typed = dict(zip(idx, typed(sentences, idx, rows)))
    pseudo_min = model.pseudo_min if model is not None else PSEUDO_MIN

    figures = _figures(text, sentences)
    candidates = []
    for s in sentences:
        if not screen.search(s.text) and not figures.get(s.index) and not (
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
        guard.run("topics", (s.start, s.end), _update_topics, s, parse, sent_mentions, ctx, default=None)
    whole = (0, len(text))
    claims += guard.run("discourse", whole, _did_the_same, claims, ctx, default=[])
    listed = guard.run("agreement lists", whole, _listed_agreements, sentences, dates_by_sentence, ctx, doc, types,
                       default=[])
    merged = guard.run("merge", whole, _merge, claims, types, default=claims) + listed
    merged.sort(key=lambda c: (c.evidence_start, c.type))
    day = published if (news if news is not None else _news_of_the_day(text, published)) else None
    deciding = mode == "candidates" or (mode == "decide" and decision_model() is not None)
    # the pair generator's claims get their dates from the context as the rules' do
    for batch in (merged, [c for c, _ in ctx.generated]) if deciding else (merged,):
        guard.run("context dates", whole, _dates_from_context, batch, ctx, day, dates_by_sentence, default=None)
        guard.run("future facts", whole, _no_future_facts, batch, published, default=None)
    if deciding:
        cands = _candidates(merged, ctx, types)
        if mode == "candidates":
            return cands, ctx
        decided = guard.run("decision", whole, decide, cands, ctx, published, default=None)
        if decided is not None:
            merged = guard.run("merge", whole, _merge, decided, types, default=decided)
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
    trigger is the sentence's main verb, the roles and modality are read from it as for any
    trigger; only the pair generator proposes claims from them."""
    probs = ctx.typed.get(s.index) or {}
    wanted = [t for t, p in probs.items() if p >= pseudo_min and t not in have and t != "quantity" and t in types]
    if not wanted or not len(parse):
        return []
    root = next((t.i for t in parse if t.dep_ == "ROOT"), 0)
    ti = pi = root
    chain, lenders = chain_and_lenders(parse, ti, pi)
    mention_tokens = [(m, trigger_head(parse, m.start - s.start, m.end - s.start)) for m in mentions]
    rms = assign_roles(parse, chain, lenders, [(mm, t) for mm, t in mention_tokens if abs(t - ti) <= _PARTY_REACH])
    rms = [rm for rm in rms if _acts(parse, rm, ctx.text, ti)]
    modality, cue = modality_of(parse, chain, lenders, ti)
    tok = parse[ti]
    out = []
    for t in wanted:
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
    made = _apply_list_frame(f, made, ctx)
    made += _as_did(f, made, ctx)
    made += _each_date(f, made)
    made += _under_deal(f, made)
    past = _simple_past(f)
    perfect = not past and _present_perfect(f)
    if f.type == "quantity":
        _figure_periods(f, made, ctx)
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
    seen = {_key(c, types.get(c.type))[:2] + (c.evidence_start,) for c in merged}
    for c, f in ctx.generated:
        k = _key(c, types.get(c.type))[:2] + (c.evidence_start,)
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
    have = {_key(c, ctype)[:2] for c in made}
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
            if _key(c, ctype)[:2] in have:
                continue
            # the extractor names the path: the pair generator on a trigger word, or on a
            # frame the sentence typer asked for
            c.extractor = f"{ctype.extractor_name}+{'typer' if f.pseudo else 'pairs'}"
            have.add(_key(c, ctype)[:2])
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
    r = _roles_data()
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
    for m in _roles_data()["pair_rx"].finditer(s.text):
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
    for tok in parse:
        if tok.lower_ in ("he", "she") and tok.dep_ in ("nsubj", "nsubjpass"):
            # "He visited Malaysia in January": the official named last, acting for their state
            a = s.start + tok.idx
            person = next(ctx.people_before(a), None)
            if person is not None and s.index - ctx.sentence_at(person.start) > 3:
                person = None
            if person is not None and free(a, a + len(tok.text)):
                out.append(Mention(a, a + len(tok.text), tok.text, person.actor, 0.5, "coref", "person"))
            continue
    for tok in parse:
        if tok.lower_ in ("alliance", "bloc") and tok.dep_ == "poss" and any(c.lower_ == "the" for c in tok.children):
            # "the alliance's exercises": the organisation named last
            a = s.start + next(c.idx for c in tok.children if c.lower_ == "the")
            b = s.start + tok.idx + len(tok.text)
            head = tok.head  # not "the alliance's Partnership for Peace programme", a body of its own
            lo, hi = s.start + head.left_edge.idx, s.start + head.right_edge.idx + len(head.right_edge.text)
            own = any(lo <= m.start < hi and m.actor.kind in ("organisation", "accord") for m in mentions)
            org = ctx.org_before(a, window=15)
            if org is not None and org.kind == "organisation" and not own and free(a, b):
                out.append(Mention(a, b, ctx.text[a:b], org, 0.6, "coref", "organisation"))
    for tok in parse:
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
        if not ctype.triggers or any(rx.search(s.text) for rx in ctype.exclude):
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
            mentions=rms, dates=_figure_dates(parse, s, dates, ti), quantities=all_figures, context=ctx,
            chain=chain, lenders=lenders, modality=modality, modality_cue=cue, quantity=q, metric=metric,
        ))
    return out


def _figure_dates(parse: Any, s: Sentence, dates: list[Any], ti: int) -> list[Any]:
    """The dates that may give a figure its period: not those of a relative clause on
    another noun ("short of the $5 billion target the two presidents set in 2022": 2022 is
    when the target was set, not the period of either figure)."""
    out = []
    for d in dates:
        tok = parse[token_at(parse, d.start - s.start)]
        x, inside_other = tok, False
        while x.head.i != x.i:
            if x.dep_ in ("relcl", "acl") and not (x.left_edge.i <= ti <= x.right_edge.i):
                inside_other = True
                break
            x = x.head
        if not inside_other:
            out.append(d)
    return out


_SAME_PERIOD_RX = re.compile(r"\b(?:in|over|during|for) the (?:same )?(?:months|period|quarter|weeks)\b", re.I)


def _figure_periods(f: Frame, made: list[Claim], ctx: DocContext) -> None:
    """A figure with no date of its own in a run of figures takes the period of the last
    dated figure of the same kind in this or the previous paragraph ("Uzbekistan received
    10.3 million foreign visitors in 2024. ... Visitors from Kazakhstan were the largest
    group, at 3.1 million")."""
    # "Its imports ... over the same months", "Chinese arrivals were 2.0 million over the
    # period, down by a third from a year earlier": the period named before, whatever the
    # sentence's other dates (a comparison's)
    same = _SAME_PERIOD_RX.search(f.sentence.text) is not None
    if f.modality != "asserted" or (not same and any(d.value is not None or d.vague for d in f.dates)):
        return
    from .types import paragraph_gap

    base = (f.metric or "").removesuffix("_target").removesuffix("_growth")
    for c in made:
        if c.date is not None and not same:
            continue
        for idx, prev in reversed(ctx.recent):
            if paragraph_gap(ctx.sentences, idx, f.sentence.index) > 1:
                break
            if prev.type == "quantity" and prev.date is not None and prev.modality == "asserted" \
                    and ((prev.quantity or {}).get("metric") == base or same):
                c.date = prev.date
                break


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


_ORIGIN = re.compile(r"^[-–](?:made|built|designed|produced|manufactured|supplied)\b", re.I)
_NOT_A_PARTY = re.compile(r"^[-–](?:brokered|backed|led|sponsored|mediated|funded|based|friendly|aligned|style)\b", re.I)


def _acts(parse: Any, rm: RoleMention, text: str = "", trigger: int | None = None) -> bool:
    """A demonym makes its state a party only on an official noun, a weapon (origin), or
    the trigger itself: "Chilean students" are not Chile. A broker or backer ("the
    US-brokered accords") is not a party either."""
    if text and _NOT_A_PARTY.match(text[rm.mention.end : rm.mention.end + 12]):
        return False
    if rm.mention.role == "location" and rm.role in ("SUBJ", "LENT_SUBJ", "MOD"):
        return False  # "analysts in Lima expect ...": a place on someone else, not a party
    if text and _ORIGIN.match(text[rm.mention.end : rm.mention.end + 12]):
        return True  # "Chinese-made drones": the origin of the goods
    if rm.mention.via != "demonym":
        return True
    tok = parse[rm.token]
    head = tok.head
    while head.dep_ in ("amod", "compound") and tok.dep_ == "conj" and head.i != head.head.i:
        tok, head = head, head.head  # "Saudi and Iranian naval officers": Iranian shares Saudi's noun
    r = _roles_data()
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


def _date_for(f: Frame, anchor: int | None = None) -> tuple[PartialDate | None, bool]:
    """The date governing the trigger, and whether it came from the trigger's own clause.
    Dates in the clause (not in a nested clause that does not hold the trigger) come
    first, nearest to the trigger; else the nearest date after the trigger in the
    sentence, else the nearest before it."""
    if not f.dates:
        return None, False
    pred = f.parse[f.lenders[-1]] if f.lenders else f.predicate
    requires = claim_types()[f.type].requires if f.type in claim_types() else None
    skip: set[int] = set()
    for tok in pred.subtree:
        if tok.dep_ in ("advcl", "acl", "relcl", "ccomp", "conj", "pcomp", "parataxis") and tok.pos_ in ("VERB", "AUX") \
                and not (tok.left_edge.i <= f.trigger_token <= tok.right_edge.i):
            on_trigger_np = tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN") \
                and tok.head.left_edge.i <= f.trigger_token < tok.i  # "The Status of ... Agreement, signed in 2007,"
            if (tok.head.i == f.trigger_token or on_trigger_np) and (
                    tok.dep_ == "acl" or requires is not None and requires.search(tok.text)
                    or tok.dep_ == "relcl" and (tok.lemma_.lower() in _EVENT_TIME_VERBS or f.modality != "asserted"
                                                and tok.lemma_.lower() in _PLANNED_TIME_VERBS)):
                continue  # "a treaty (signed in July 1994, ...)", "exercises, which started on Monday": the event
            if tok.lemma_.lower() == "do" and any(c.lower_ == "so" for c in tok.children):
                continue  # "agreed to open embassies, doing so in May": the same event
            skip.update(range(tok.left_edge.i, tok.right_edge.i + 1))
    base = f.sentence.start
    own = {t.i for t in pred.subtree} - skip
    own_chars = [(base + f.parse[i].idx, base + f.parse[i].idx + len(f.parse[i].text)) for i in own]

    def in_clause(d: Any) -> bool:
        if d.text[:5].lower() == "that " and f.parse[token_at(f.parse, d.start - base)].dep_ == "mark":
            # "began that summer and never produced ...": the parser took "that" for a
            # complementiser; the date is the verb's own
            return f.parse[token_at(f.parse, d.start - base)].head.head.i == pred.i
        return any(a <= d.start < b or (d.start <= a and b <= d.end) for a, b in own_chars)

    def distance(d: Any) -> int:
        if d.end <= f.trigger_start:
            return f.trigger_start - d.end
        return max(0, d.start - f.trigger_end) + 1

    speech = _speech_tokens(f)
    dates = [d for d in f.dates if not _said_when(f, d, speech)]
    if CHRONOLOGY_RX.match(f.sentence.text):
        # "1999 - X joins Y (27 April)": the entry's year frames its line; a date that took
        # its year from it says more
        framed = {d.anchor for d in dates if d.inherited and not d.vague and d.value is not None}
        dates = [d for d in dates if d.start not in framed]
    if f.type in _OCCASIONS:  # "his fifth visit since 2013": a count's start, not the visit's date
        dates = [d for d in dates if not _SINCE_RX.search(f.doc_text, max(f.sentence.start, d.start - 6), d.start)]
    if not dates:
        said = [d for d in f.dates if d.value is not None and not d.vague]
        if said and _present_perfect(f):
            # "X has become a member of O, the government announced on Monday": news that
            # is dated only by its announcement happened by then
            return _tensed(said[0], f), False
        return None, False
    inside = [d for d in dates if in_clause(d)]
    if f.lenders and f.predicate.dep_ == "conj" and f.predicate.pos_ in ("VERB", "AUX"):
        # "signed its accession treaty in April 2022 and became a member that July": the
        # coordinated verb's own date, before the one of the verb lending it a subject
        conj_chars = [(base + t.idx, base + t.idx + len(t.text)) for t in f.predicate.subtree]
        own_conj = [d for d in inside if any(a <= d.start < b for a, b in conj_chars)]
        inside = own_conj or inside
    if anchor is not None:
        # "with X in December 2022 and with Y last year": the date after each counterpart
        later = sorted(rm.mention.start for rm in f.mentions if rm.mention.start > anchor)
        stop = later[0] if later else f.sentence.end
        # ... but "with Niger, and in 2022 with Chad": a date right before the next
        # counterpart's preposition is that counterpart's
        a_end = next((rm.mention.end for rm in f.mentions if rm.mention.start == anchor), anchor)
        own = [d for d in inside if anchor < d.start < stop and (
            _RIGHT_AFTER.fullmatch(f.doc_text[a_end:d.start]) or not _LEADS_TO.fullmatch(f.doc_text[d.end:stop]))]
        if own:
            return _tensed(own[0], f), True
        lead = [d for d in inside if d.end <= anchor and _LEADS_TO.fullmatch(f.doc_text[d.end:anchor])]
        if lead:
            return _tensed(lead[-1], f), True
        # dates that lead to another counterpart are not this one's
        starts = [rm.mention.start for rm in f.mentions if rm.mention.start != anchor]
        inside = [d for d in inside if not any(st >= d.end and _LEADS_TO.fullmatch(f.doc_text[d.end:st])
                                                for st in starts)]
    if inside and f.predicate.dep_ == "conj" and f.lenders:
        # "visited Malaysia in January and hosted X in Jakarta last month": the
        # coordinated verb's own date first
        lo, hi = base + f.predicate.left_edge.idx, base + f.predicate.right_edge.idx + len(f.predicate.right_edge.text)
        inside = [d for d in inside if lo <= d.start < hi] or inside
    if inside:
        return _tensed(min(inside, key=distance), f), True
    if pred.dep_ == "conj" and pred.head.i < pred.i and _present_perfect(f) and any(c.dep_ in ("nsubj", "nsubjpass") for c in pred.children) \
            and not any(d.start >= f.sentence.start + pred.left_edge.idx for d in dates if d.value is not None):
        return None, False  # "X condemned the strikes last October, and Y have held talks": not that date
    if f.modality == "negated" and pred.dep_ == "relcl" and pred.tag_ in ("VBZ", "VBP"):
        return None, False  # "..., which Belgrade still refuses to recognise": a standing refusal, not the main clause's date
    if _OTHER_CLAUSES_OWN_DATES:
        skip_chars = [(base + f.parse[i].idx, base + f.parse[i].idx + len(f.parse[i].text)) for i in skip]
        dates = [d for d in dates if not any(a <= d.start < b for a, b in skip_chars)]
    after = [d for d in dates if d.start >= f.trigger_end and d.value is not None]
    pool = after or [d for d in dates if d.value is not None]
    if not pool:
        return None, False
    return _tensed(min(pool, key=distance), f), False


# verbs of a relative clause on the event noun that give the event's own time: "exercises,
# which started on Monday"; for an event that did not take place as planned, also "a visit
# that had been planned for April" (postponed: that date)
_EVENT_TIME_VERBS = {"start", "begin", "open", "end", "close", "conclude", "run"}
_PLANNED_TIME_VERBS = {"plan", "schedule", "set"}
_LEADS_TO = re.compile(r"\s*,?\s*(?:(?:and|but|then|also)\s+)*(?:with|to|by|for|in|from)\s+(?:the\s+)?", re.I)

_RIGHT_AFTER = re.compile(r"\s*(?:(?:in|on|at|during|since|from)\s+)?(?:the\s+)?", re.I)

_OTHER_CLAUSES_OWN_DATES = True
_SINCE_RX = re.compile(r"\bsince\s+$", re.I)
_SPEECH = {"say", "tell", "announce", "state", "add", "report", "confirm", "write", "note", "declare"}


def _speech_tokens(f: Frame) -> set[int]:
    """Verbs of saying outside the trigger's own chain ("..., his office said on Tuesday")."""
    own = set(f.chain) | set(f.lenders)
    return {t.i for t in f.parse if t.lemma_.lower() in _SPEECH and t.pos_ == "VERB" and t.i not in own}


def _no_future_facts(claims: list[Claim], published: PartialDate | None) -> None:
    """An event that begins after the day of publication cannot have been reported as done:
    an asserted claim dated wholly after it is a plan ("the ministers meet in Rome next
    month" where the cue was missed)."""
    if published is None:
        return
    try:
        last = published.bounds()[1]
    except (ValueError, TypeError):
        return
    for c in claims:
        if c.modality == "asserted" and c.date is not None:
            try:
                first = c.date.bounds()[0]
            except (ValueError, TypeError):
                continue
            if first > last:
                c.modality = "planned"  # type: ignore[assignment]
                c.confidence = max(0.05, c.confidence - 0.1)


def _present_perfect(f: Frame) -> bool:
    pred = f.predicate
    return pred.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in pred.children)


def _said_when(f: Frame, d: Any, speech: set[int]) -> bool:
    """Is this date when something was said, not when the event happened?"""
    if not speech:
        return False
    tok = f.parse[token_at(f.parse, d.start - f.sentence.start)]
    x = tok
    for _ in range(6):
        if x.i in speech:
            return True
        if x.pos_ == "VERB" or x.pos_ == "AUX" and x.dep_ not in ("aux", "auxpass") or x.head.i == x.i:
            return False  # (a copula heads its own clause: "... and X has been a partner since 2013")
        x = x.head
    return False


_FUTURE_CUES = {"could", "may", "might", "will", "would", "likely", "expected", "probably"}


def _tensed(d: Any, f: Frame) -> PartialDate | None:
    """A weekday or a month without a year reads forward in a planned clause (but back
    under a verb of its own in the past: "will join the exercises, which started on Monday")."""
    x = f.parse[token_at(f.parse, d.start - f.sentence.start)]
    while x.pos_ not in ("VERB", "AUX") and x.head.i != x.i:
        x = x.head
    if x.tag_ == "VBD" and x.dep_ in ("relcl", "acl") and x.i not in f.chain and hasattr(d, "for_tense"):
        return d.for_tense("past")
    tense = "future" if f.modality == "planned" or (f.modality == "speculative" and f.modality_cue
                                                     and f.modality_cue.lower() in _FUTURE_CUES) else "past"
    return d.for_tense(tense) if hasattr(d, "for_tense") else d.value


def _claim(f: Frame, ctype: ClaimType, p: Any, doc: str, sentences: list[Sentence],
           quotes: list[tuple[int, int]]) -> Claim | None:
    if p.object is not None and p.subject is not None and p.subject.id == p.object.id:
        return None
    s = f.sentence
    conf = BASE_CONFIDENCE + p.confidence
    if f.modality != "asserted":
        conf -= 0.05
    date, own_date = _date_for(f, anchor=getattr(p, "anchor", None))
    if getattr(p, "date", None) is not None:  # a date the type function read from the context
        date, own_date = p.date, False
    if (at := getattr(p, "date_at", None)) is not None:  # "with A and B in 2022 and 2023": its own date
        date, own_date = next(((_tensed(d, f), True) for d in f.dates if d.start == at), (date, own_date))
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
            c.date = _date_for(f)[0]
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
            c.date = _date_for(f)[0]
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


def _apply_list_frame(f: Frame, made: list[Claim], ctx: DocContext) -> list[Claim]:
    """ "X established alliance relations with two more countries. In February, it signed
    an agreement with Y, and in August..." : the announced type carries over to the items."""
    if _LIST_RX.search(f.sentence.text) and f.type != "agreement_signed" and f.modality == "asserted":
        subj = f.actors(SUBJ, MOD, "LENT_SUBJ", kinds=("state",))
        if subj and not any(rm.role in (WITH, OBJ) and rm.actor.kind == "state" for rm in f.mentions):
            ctx.list_frame = {"type": f.type, "subject": subj[0], "paragraph": f.sentence.paragraph,
                              "sentence": f.sentence.index}
            return []
    lf = ctx.list_frame
    if lf and made and f.type == "agreement_signed" and f.sentence.paragraph - lf["paragraph"] <= 1:
        types = claim_types()
        ctype = types[lf["type"]]
        out = []
        for c in made:
            ids = {c.subject.id if c.subject else None, c.object.id if c.object else None}
            if lf["subject"].id in ids:
                c.type = ctype.name
                c.extractor = ctype.extractor_name
                c.codes = dict(ctype.codes)
                c.subtype = None
            out.append(c)
        return out
    return made


def _update_topics(s: Sentence, parse: Any, mentions: list[Mention], ctx: DocContext) -> None:
    """The topic of a sentence: the state that is its grammatical subject (when parsed),
    else the first named state not introduced by a preposition."""
    states = [m for m in mentions if m.actor.kind == "state"]
    if not states:
        return
    chosen: Mention | None = None
    if parse is not None:
        for m in states:
            tok = parse[trigger_head(parse, m.start - s.start, m.end - s.start)]
            x = tok
            while x.dep_ in ("conj", "compound", "poss", "amod", "appos") and x.head.i != x.i:
                x = x.head
            if x.dep_ in ("nsubj", "nsubjpass") or x.dep_ == "pobj" and x.head.dep_ == "agent":
                chosen = m  # (the agent of a passive: "signed by the Philippines")
                break
    if chosen is None:
        for m in states:
            before = ctx.text[s.start : m.start].lower().split()
            while before and before[-1] in ("the", "a", "an"):
                before.pop()  # "with the United States": still after a preposition
            if not before or before[-1] not in ("with", "to", "in", "from", "of", "by", "for", "on", "against", "between", "and", "into"):
                if m.via not in ("demonym",):
                    chosen = m
                    break
    if chosen is not None:
        ctx.topics.append((chosen.start, s.paragraph, chosen.actor))


_PLURAL_EVENTS = re.compile(r"\b(?:two|three|four|several|multiple)\b|\b(?:rounds|visits|trips|meetings|talks|sessions|summits|"
                            r"exercises|drills|deliveries|shipments)\b", re.I)


def _each_date(f: Frame, made: list[Claim]) -> list[Claim]:
    """"two rounds of talks in July and August", "visits to Jerusalem in 1995 and 1997": one
    claim per coordinated date, when the events are plural. Returns the extra claims (the
    ones made already carry the first date)."""
    if not made or not _PLURAL_EVENTS.search(f.trigger_text + " " + f.parse[f.trigger.left_edge.i:f.trigger.i + 1].text):
        return []
    dated = [d for d in f.dates if d.value is not None and not d.vague]
    out: list[Claim] = []
    for a, b in zip(dated, dated[1:]):
        between = f.doc_text[a.end:b.start]
        if not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:in\s+)?", between):
            continue
        for c in made:
            if c.date is not None and c.date.value == a.value.value and b.value.value[:4].isdigit():
                out.append(dataclasses.replace(c, date=b.value))
    return out


# "delivered the first missiles in April 2024, under a deal signed in January 2022"
_UNDER_DEAL_RX = re.compile(r"\bunder (?:a|an|the|its|their) [^,.;()]{0,40}?\b(?:contract|deal|agreement|order)s?\s*,?\s*"
                            r"(?:(?:that|which) (?:was|were) )?(?:signed|concluded|agreed|reached|placed)\s+(?:in|on|last|this)?\s*", re.I)


def _under_deal(f: Frame, made: list[Claim]) -> list[Claim]:
    """An arms transfer made "under a contract signed in January 2022" also tells that the
    contract was concluded then: the same parties, asserted, with the contract's date (a
    delivery still planned was ordered all the same)."""
    if f.type != "arms_transfer" or not made:
        return []
    m = _UNDER_DEAL_RX.search(f.doc_text, f.trigger_end, f.sentence.end)
    if m is None:
        return []
    d = next((d for d in f.dates if d.value is not None and not d.vague and m.end() - 6 <= d.start <= m.end() + 1), None)
    if d is None:
        return []
    when = d.for_tense("past") if hasattr(d, "for_tense") else d.value  # "signed in May": the last May
    out: list[Claim] = []
    for c in made:
        if when is not None and c.modality in ("asserted", "planned") and (c.date is None or c.date.value != when.value):
            out.append(dataclasses.replace(c, date=when, modality="asserted", confidence=max(0.05, c.confidence - 0.1)))
    return out


# "X and Y signed a trade deal, as did Z"; "Could X sign a treaty, as Tashkent did with A and B?"
_AS_DID_RX = re.compile(r"\b(?:as|so) did\b|\bas (?P<who>[\w'’. -]{2,40}?) (?:did|has done|had done) with\b")


def _as_did(f: Frame, made: list[Claim], ctx: DocContext) -> list[Claim]:
    """Claims of an elliptical comparison after the trigger: "..., as did Cambodia" repeats the
    claim with Cambodia in the subject's place; "as Tashkent did with Kazakhstan and Tajikistan"
    states, as a fact, the same relation between Tashkent and each of those."""
    m = _AS_DID_RX.search(f.doc_text, f.trigger_end, f.sentence.end)
    if m is None:
        return []
    after = [rm.mention for rm in f.mentions if rm.mention.start >= m.end() and rm.actor.kind == "state"
             and rm.mention.role != "location"]
    out: list[Claim] = []
    if m.group("who") is None:
        for c in made:
            for mm in after:
                if c.subject is not None and c.object is not None and mm.actor.id not in (c.subject.id, c.object.id):
                    out.append(dataclasses.replace(c, subject=mm.actor, confidence=max(0.05, c.confidence - 0.1)))
        return out
    who = [rm.mention for rm in f.mentions if m.start("who") <= rm.mention.start < m.end("who")
           and rm.actor.kind == "state"]
    if not who or not after:
        return []
    ctype = claim_types()[f.type]
    for mm in after:
        if mm.actor.id == who[0].actor.id:
            continue
        out.append(Claim(
            doc=made[0].doc if made else "", type=f.type, subject=who[0].actor, object=mm.actor, parties=None,
            subtype=None, modality="asserted", date=None, attributed_to=None,
            evidence_text=f.sentence.text, evidence_start=f.sentence.start, evidence_end=f.sentence.end,
            confidence=BASE_CONFIDENCE - 0.2, extractor=ctype.extractor_name, codes=dict(ctype.codes),
        ))
    return out if made else []


_SAME_RX = re.compile(r"\b(?:did|has done|had done|would do) (?:the same|likewise|so)\b|\bfollowed suit\b", re.I)


def _did_the_same(claims: list[Claim], ctx: DocContext) -> list[Claim]:
    """"Kiribati did the same days later", "Nauru followed suit": the state named as the
    subject of the phrase repeats what the claims just before say (those of the same sentence
    before the phrase, else of the sentence before), with its own name as subject."""
    out: list[Claim] = []
    for s in ctx.sentences:
        m = _SAME_RX.search(s.text)
        if m is None:
            continue
        at = s.start + m.start()
        who = [x for x in ctx.state_mentions if s.start <= x.start < at]
        if not who:
            continue
        actor = who[-1].actor
        # the claims the phrase repeats: same sentence, before the phrase; else the sentence before
        before = [c for c in claims if s.start <= c.evidence_start < s.end + 1 and c.modality == "asserted"]
        if not before:
            prev = [c for c in claims if c.evidence_end <= s.start and c.modality == "asserted"]
            last = max((c.evidence_start for c in prev), default=None)
            before = [c for c in prev if c.evidence_start == last]
        for c in before:
            if c.subject is None or c.object is None or actor.id in (c.subject.id, c.object.id) or c.parties:
                continue
            out.append(dataclasses.replace(c, subject=actor, evidence_text=s.text, evidence_start=s.start,
                                           evidence_end=s.end, confidence=max(0.05, c.confidence - 0.15)))
    return out


# "The following documents were signed:" then one line per document
_LIST_INTRO_RX = re.compile(r"\b(?:sign\w*|conclu\w*|ink\w*|exchang\w*|adopt\w*)\b.*:\s*$", re.I)
_BULLET_RX = re.compile(r"^\s*(?:[-–—•*·▪]|\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,5}[.)])\s+")
# an item that names a document without an agreement word ("Cultural Exchange Programme")
_INSTRUMENT_RX = re.compile(r"\b(?:[Pp]rogramme|[Pp]rogram|[Pp]lan of [Aa]ction|[Ee]xchange of [Nn]otes|[Jj]oint [Ss]tatement)\b")


_OCCASION_RX = re.compile(r"\b(?:at|during|on the sidelines of|in the course of|after|following)\s+(?:the\s+)?"
                          r"(?:end|close|conclusion|margins?)?\s*(?:of\s+)?(?:the\s+)?(?:\w+\s+)?"
                          r"(session|visit|talks|meeting|summit|consultations)\b", re.I)


def _bullet_kind(marker: str) -> str:
    m = marker.strip().strip("().")
    if m.isdigit():
        return "number"
    if m and set(m) <= set("ivx"):
        return "roman"
    return "letter" if m.isalpha() else "dash"


_LIST_OCCASIONS = ("visit", "summit_meeting", "agreement_signed", "strategic_partnership", "alliance")


def _listed_agreements(sentences: list[Sentence], dates_by_sentence: dict[int, list[Any]], ctx: DocContext,
                       doc: str, types: dict[str, ClaimType]) -> list[Claim]:
    """Agreements listed one a line after an introduction that says they were signed
    ("The following documents were signed in the presence of the two leaders:"): one
    agreement_signed claim per listed document, between the states the introduction names
    (or the two named last before it), dated by the introduction or the event just before.
    Each listed document is its own claim: they are not merged with one another."""
    ctype = types.get("agreement_signed")
    if ctype is None:
        return []
    out: list[Claim] = []
    for s in sentences:
        if not _LIST_INTRO_RX.search(s.text):
            continue
        items = []
        marker, style = False, None
        for nxt in sentences[s.index + 1 : s.index + 30]:
            b = _BULLET_RX.match(nxt.text + " ")
            kind = _bullet_kind(b.group(0)) if b else None
            if style is not None and kind is not None and kind != style:
                break  # "iv. ...;" then "5. The ministers agreed ...": the list has ended
            style = style or kind
            if b and not _BULLET_RX.sub("", nxt.text + " ").strip():
                marker = True  # "ii." split off as a sentence of its own: the item follows
                continue
            if not (_BULLET_RX.match(nxt.text) or marker):
                break
            marker = False
            if any(rx.search(nxt.text) for rx in ctype.triggers) or _INSTRUMENT_RX.search(nxt.text):
                items.append(nxt)
        if not items:
            continue
        named = _distinct_states(m for m in ctx.state_mentions if s.start <= m.start < s.end)
        pair = named[:2] if len(named) >= 2 else list(ctx.pair_before(s.start) or ())
        if len(pair) != 2:
            continue
        date = next((d.value for d in dates_by_sentence[s.index] if d.value is not None and not d.vague), None)
        if date is None:
            # the occasion just before (talks, a visit, a signing, an upgrade of ties), not a
            # history named in passing ("since the establishment of diplomatic relations in 1961")
            date = next((c.date for idx, c in reversed(ctx.recent)
                         if c.date is not None and c.modality == "asserted" and 0 <= s.index - idx <= 3
                         and c.type in _LIST_OCCASIONS), None)
        if date is None and (occ := _OCCASION_RX.search(s.text)):
            # "At the end of the session, ...": the latest date of the sentences before that
            # named such a session ("The first session was held in 2019" is an earlier one)
            noun = occ.group(1).lower()
            named_dates = [d.value for prev in sentences[max(0, s.index - 12) : s.index]
                           if re.search(rf"\b{noun}\b", prev.text, re.I)
                           for d in dates_by_sentence[prev.index] if d.value is not None and not d.vague]
            date = max(named_dates, key=lambda v: v.value) if named_dates else None
        for it in items:
            out.append(Claim(
                doc=doc, type=ctype.name, subject=pair[0], object=pair[1], parties=None,
                subtype=ctype.subtype_for(it.text), modality="asserted", date=date,
                attributed_to=None, evidence_text=it.text, evidence_start=it.start, evidence_end=it.end,
                confidence=BASE_CONFIDENCE - 0.2, extractor=ctype.extractor_name, codes=dict(ctype.codes),
            ))
    return out


def _distinct_states(mentions: Any) -> list[ActorRef]:
    seen: dict[str, ActorRef] = {}
    for m in mentions:
        seen.setdefault(m.actor.id, m.actor)
    return list(seen.values())


# "during the visit", "at the summit", "on the sidelines": the event named before
_EVENT_ANAPHOR_RX = re.compile(
    r"\b(?:during|at|after|at the end of|at the close of|on the (?:sidelines|margins|fringes) of|in the course of)"
    r"\s+(?:the|this|that|his|her|their|its)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:visit|trip|tour|summit|talks|meeting|session|ceremony|conference|forum|stay|gathering)\b"
    r"|\b[Oo]n the (?:sidelines|margins|fringes)\b"
    r"|\battend\w*\s+(?:the|this|that|its|their)\s+(?:[\w-]+\s+){0,3}?(?:summit|meeting|talks|conference|forum|ceremony)\b"
    r"|\b(?:summit|meeting|talks|conference|forum|ceremony) (?:was|were) (?:also )?attended\b", re.I)
# "The two countries also signed ...": the same occasion as the claim just before
_SAME_OCCASION_RX = re.compile(r"\b(?:also|as well|at the same time|(?:on )?the same (?:day|morning|afternoon|evening|occasion))\b", re.I)
_OCCASIONS = ("visit", "summit_meeting")
# "Taiwan shut its embassy within days": shortly after the event just told
_SOON_AFTER_RX = re.compile(r"\b(?:within|in) (?:a few |several )?(?:days|hours|weeks)\b|\b(?:days|hours|weeks) later\b"
                            r"|\bshortly (?:after(?:wards)?|afterwards)\b|\bsoon after(?:wards)?\b", re.I)


_WEEKDAY_RX = re.compile(r"\b(?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|yesterday)\b")


def _news_of_the_day(text: str, published: PartialDate | None) -> bool:
    """Is the document a report of the day's news: a day of publication, and a dateline
    ("ASTANA, March 3, 2025 –") or a weekday in its first paragraph?"""
    if published is None or published.precision != "day":
        return False
    # the first paragraph of prose (not a masthead, a "Published:" line or a headline)
    first = next((ln for ln in text.split("\n") if len(ln.split()) >= 12), text.lstrip().split("\n", 1)[0])
    return dateline_date(first) is not None or bool(_WEEKDAY_RX.search(first[:400]))


def _simple_past(f: Frame) -> bool:
    """Is the trigger's clause in the simple past ("signed", "was signed"), not the
    pluperfect of background ("had signed") nor a perfect, a present or a future?"""
    for i in [f.predicate_token, *f.lenders]:  # the first finite verb up from the trigger
        pred = f.parse[i]
        auxes = [c for c in pred.children if c.dep_ in ("aux", "auxpass")]
        if pred.tag_ == "VBD":
            return not auxes
        if pred.tag_ == "VBN" and auxes:
            if pred.dep_ == "ccomp" and pred.head.i < pred.i and pred.head.lemma_.lower() in _SPEECH and pred.head.tag_ == "VBD" \
                    and [a.lower_ for a in auxes] == ["had"]:
                return True  # "Phnom Penh said Thai aircraft had dropped bombs": a reported simple past
            return all(a.tag_ == "VBD" and a.lower_ in ("was", "were") for a in auxes)
        if auxes or pred.tag_ in ("VBZ", "VBP", "MD"):
            return False
    return False


def _present_perfect(f: Frame) -> bool:
    """Is the trigger's clause in the present perfect ("has joined", "have signed", "has
    been admitted"), without a "since"/"for" period that makes it a state of affairs?"""
    for i in [f.predicate_token, *f.lenders]:
        pred = f.parse[i]
        auxes = [c for c in pred.children if c.dep_ in ("aux", "auxpass")]
        if pred.tag_ == "VBN" and any(a.lower_ in ("has", "have") for a in auxes):
            # not a record of the past ("has suspended six states after coups", "has hosted
            # them several times", "has kept an embassy since 1962")
            return not any(t.lower_ in ("since", "for", "ever", "never", "long", "after", "already", "repeatedly",
                                        "times", "often", "far", "previously") for t in pred.subtree)
        if auxes or pred.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return False
    return False


def _dates_from_context(claims: list[Claim], ctx: DocContext, day: PartialDate | None = None,
                        dates_by_sentence: dict[int, list[Any]] | None = None) -> None:
    """An event with no date of its own that the sentence ties to an occasion named before
    ("signed ... during the visit", "on the sidelines", "the two countries also signed")
    takes that occasion's date. Only asserted and negated claims: a plan keeps its own date
    or none. Failing that, in a report of the day's news (``day`` is its publication date),
    an event told in the simple past takes the month of publication (ANNOTATION.md, dates
    rule 5). Runs after merging, so an undated mention still merges with a dated one."""
    dated: list[tuple[int, int, Claim]] = []  # (evidence start, sentence index, claim), in text order
    dated_at: list[int] = []  # their sentence indexes, for bisection
    for c in sorted(claims, key=lambda x: x.evidence_start):
        here = ctx.sentence_at(c.evidence_start)
        if c.date is None and c.type != "quantity" and (c.modality in ("asserted", "negated") or (
                c.modality == "speculative" and c.type == "conflict_action" and id(c) in ctx.simple_past)):
            text = c.evidence_text
            pool: list[Claim] = []
            if m := _EVENT_ANAPHOR_RX.search(text):
                pool = [o for st, idx, o in dated[bisect_left(dated_at, here - 20):] if o.type in _OCCASIONS]
                # "the summit was attended by": the summit, not a visit told since
                kind = "visit" if re.search(r"\b(?:visit|trip|tour|stay)\b", m.group(0), re.I) else "summit_meeting"
                pool = [o for o in pool if o.type == kind] or pool
            soon = not pool and _SOON_AFTER_RX.search(text)
            if not pool and (soon or _SAME_OCCASION_RX.search(text)):
                mine = {a.id for a in ([c.subject, c.object] + list(c.parties or [])) if a is not None}
                pool = [o for st, idx, o in dated[bisect_left(dated_at, here - 2):] if o.type != "quantity"
                        and mine & {a.id for a in ([o.subject, o.object] + list(o.parties or [])) if a is not None}]
                pool = [o for o in pool if o.type == c.type] or pool  # "also signed": the signing before
            if pool:
                c.date = pool[-1].date
                if soon and c.date is not None and c.date.precision == "day":
                    # "within days", "weeks later": the month of the event just before
                    c.date = PartialDate(value=c.date.value[:7], precision="month", text=c.date.text)
                c.confidence = max(0.05, c.confidence - 0.05)
            elif day is not None and id(c) in ctx.simple_past:
                c.date = PartialDate(value=day.value[:7], precision="month", text="(month of publication)")
                c.confidence = max(0.05, c.confidence - 0.1)
            elif day is not None and id(c) in ctx.present_perfect:
                # "X has become a member, Y announced on Monday": the day it was made known;
                # with no such day, the day of publication (ANNOTATION.md, dates rule 5)
                said = [d.value for d in (dates_by_sentence or {}).get(here, [])
                        if d.value is not None and d.value.precision == "day" and not d.vague]
                c.date = said[-1] if said else PartialDate(value=day.value, precision="day",
                                                          text="(day of publication)")
                c.confidence = max(0.05, c.confidence - 0.1)
            elif c.modality == "asserted" and id(c) in ctx.simple_past and (
                    year := _narrative_year(ctx, here, dates_by_sentence or {})):
                # "In 2019 the two foreign ministers met in Lima. They signed a border
                # protocol.": the narrative goes on in the year it opened with
                c.date = year
                c.confidence = max(0.05, c.confidence - 0.1)
        if c.date is not None and c.modality == "asserted":
            dated.append((c.evidence_start, here, c))
            dated_at.append(here)


def _narrative_year(ctx: DocContext, here: int, dates_by_sentence: dict[int, list[Any]]) -> PartialDate | None:
    """The year a narrative in the simple past is told in: that of the last precise date of
    the one or two sentences before, in the same paragraph (not a period's bound, a vague
    expression, or a date after publication)."""
    if not 0 <= here < len(ctx.sentences):
        return None
    para = ctx.sentences[here].paragraph
    for j in (here - 1, here - 2):
        if j < 0 or ctx.sentences[j].paragraph != para:
            return None
        found = [d for d in dates_by_sentence.get(j, []) if d.value is not None and not d.vague
                 and d.bound is None and not d.future and d.value.value[:4].isdigit()]
        if found:
            return PartialDate(value=found[-1].value.value[:4], precision="year", text=found[-1].text)
    return None


def _merge(claims: list[Claim], types: dict[str, ClaimType]) -> list[Claim]:
    """One claim per event within a document: same type, parties (unordered for symmetric
    types), modality and subtype, with compatible dates; the most precise date wins. A
    claim is compared only with the earlier ones of its own key."""
    out: list[Claim] = []
    by_key: dict[tuple[Any, ...], list[int]] = {}  # key -> positions in out
    for c in claims:
        same = by_key.setdefault(_key(c, types.get(c.type)), [])
        for i in same:
            o = out[i]
            if not _compatible(c.date, o.date):
                continue
            if _precision_rank(c.date) > _precision_rank(o.date):
                c.confidence = max(c.confidence, o.confidence)
                out[i] = c
            else:
                o.confidence = max(c.confidence, o.confidence)
            break
        else:
            same.append(len(out))
            out.append(c)
    out.sort(key=lambda c: (c.evidence_start, c.type))
    return out


def _key(c: Claim, t: ClaimType | None) -> tuple[Any, ...]:
    ids = [c.subject.id if c.subject else None, c.object.id if c.object else None]
    if c.parties:
        parties: tuple[Any, ...] = tuple(sorted(p.id for p in c.parties))
    elif t is not None and t.symmetric:
        parties = tuple(sorted(x for x in ids if x))
    else:
        parties = tuple(ids)
    q = (c.quantity or {}).get("value")
    return (c.type, parties, c.modality, c.subtype, q)


def _compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _precision_rank(d: PartialDate | None) -> int:
    if d is None:
        return 0
    return {"year": 1, "interval": 1, "month": 2, "day": 3}.get(d.precision, 0)
