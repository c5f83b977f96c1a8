"""A claim's date: the date mention its clause owns (read for the clause's tense), the
date a speech verb gives to news of the day, the dates carried over from context for
claims whose sentence has none, and no fact dated after publication."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from typing import Any

from ..documents.dates import dateline_date
from ..mentions.dates import CHRONOLOGY_RX
from ..models import Claim, PartialDate
from .context import DocContext
from .frame import (
    Frame,
    _offsets,
    columns,
    subtree_of,
    token_at,
)
from .registry import claim_types
from .sentences import Sentence


def figure_dates(parse: Any, s: Sentence, dates: list[Any], ti: int) -> list[Any]:
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


def figure_periods(f: Frame, made: list[Claim], ctx: DocContext) -> None:
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


def date_for(f: Frame, anchor: int | None = None) -> tuple[PartialDate | None, bool]:
    """The date governing the trigger, and whether it came from the trigger's own clause.
    Dates in the clause (not in a nested clause that does not hold the trigger) come
    first, nearest to the trigger; else the nearest date after the trigger in the
    sentence, else the nearest before it."""
    if not f.dates:
        return None, False
    pred = f.parse[f.lenders[-1]] if f.lenders else f.predicate
    requires = claim_types()[f.type].requires if f.type in claim_types() else None
    skip: set[int] = set()
    cols = columns(f.parse)
    subtree = subtree_of(f.parse, pred.i)
    for i in subtree:  # (the order does not matter: each clause adds its tokens to skip)
        if cols.dep[i] not in _NESTED_CLAUSES or cols.pos[i] not in ("VERB", "AUX"):
            continue
        tok = f.parse[i]
        if not (tok.left_edge.i <= f.trigger_token <= tok.right_edge.i):
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
    own = subtree - skip
    tok_starts, tok_ends = _offsets(f.parse)  # each token's characters, read once per parse
    own_chars = [(base + tok_starts[i], base + tok_ends[i]) for i in own]

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
    if simple_past(f) or present_perfect(f):
        # "suspended accession talks until 2028": the end of what the act opened, not its date
        dates = [d for d in dates if d.bound != "until"]
    if CHRONOLOGY_RX.match(f.sentence.text):
        # "1999 - X joins Y (27 April)": the entry's year frames its line; a date that took
        # its year from it says more
        framed = {d.anchor for d in dates if d.inherited and not d.vague and d.value is not None}
        dates = [d for d in dates if d.start not in framed]
    if f.type in _OCCASIONS:  # "his fifth visit since 2013": a count's start, not the visit's date
        dates = [d for d in dates if not _SINCE_RX.search(f.doc_text, max(f.sentence.start, d.start - 6), d.start)]
    if not dates:
        said = [d for d in f.dates if d.value is not None and not d.vague]
        if said and present_perfect(f):
            # "X has become a member of O, the government announced on Monday": news that
            # is dated only by its announcement happened by then
            return tensed(said[0], f), False
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
            return tensed(own[0], f), True
        lead = [d for d in inside if d.end <= anchor and _LEADS_TO.fullmatch(f.doc_text[d.end:anchor])]
        if lead:
            return tensed(lead[-1], f), True
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
        return tensed(min(inside, key=distance), f), True
    if pred.dep_ == "conj" and pred.head.i < pred.i and present_perfect(f) and any(c.dep_ in ("nsubj", "nsubjpass") for c in pred.children) \
            and not any(d.start >= f.sentence.start + pred.left_edge.idx for d in dates if d.value is not None):
        return None, False  # "X condemned the strikes last October, and Y have held talks": not that date
    if f.modality == "negated" and pred.dep_ == "relcl" and pred.tag_ in ("VBZ", "VBP"):
        return None, False  # "..., which Belgrade still refuses to recognise": a standing refusal, not the main clause's date
    if _OTHER_CLAUSES_OWN_DATES:
        skip_chars = [(base + tok_starts[i], base + tok_ends[i]) for i in skip]
        dates = [d for d in dates if not any(a <= d.start < b for a, b in skip_chars)]
    after = [d for d in dates if d.start >= f.trigger_end and d.value is not None]
    pool = after or [d for d in dates if d.value is not None]
    if not pool:
        return None, False
    return tensed(min(pool, key=distance), f), False


_NESTED_CLAUSES = frozenset(("advcl", "acl", "relcl", "ccomp", "conj", "pcomp", "parataxis"))


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
    return {i for i in _speech_verbs(f.parse) if i not in own}


def _speech_verbs(parse: Any) -> tuple[int, ...]:
    """The verbs of saying of a parse, found once per parse (every frame of the sentence asks)."""
    memo = getattr(parse, "user_data", None)
    found = memo.get("diplograph_speech_verbs") if memo is not None else None
    if found is None:
        found = tuple(t.i for t in parse if t.lemma_.lower() in _SPEECH and t.pos_ == "VERB")
        if memo is not None:
            memo["diplograph_speech_verbs"] = found
    return found


def no_future_facts(claims: list[Claim], published: PartialDate | None) -> None:
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


def tensed(d: Any, f: Frame) -> PartialDate | None:
    """A weekday or a month without a year reads forward in a planned clause (but back
    under a verb of its own in the past: "will join the exercises, which started on Monday";
    "met on Monday and agreed to deepen their cooperation")."""
    x = f.parse[token_at(f.parse, d.start - f.sentence.start)]
    while x.pos_ not in ("VERB", "AUX") and x.head.i != x.i:
        x = x.head
    if x.tag_ == "VBD" and x.i not in f.chain and hasattr(d, "for_tense"):
        return d.for_tense("past")
    tense = "future" if f.modality == "planned" or (f.modality == "speculative" and f.modality_cue
                                                     and f.modality_cue.lower() in _FUTURE_CUES) else "past"
    return d.for_tense(tense) if hasattr(d, "for_tense") else d.value


_PLURAL_EVENTS = re.compile(r"\b(?:two|three|four|several|multiple)\b|\b(?:rounds|visits|trips|meetings|talks|sessions|summits|"
                            r"exercises|drills|deliveries|shipments)\b", re.I)


def each_date(f: Frame, made: list[Claim]) -> list[Claim]:
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


def news_of_the_day(text: str, published: PartialDate | None) -> bool:
    """Is the document a report of the day's news: a day of publication, and a dateline
    ("ASTANA, March 3, 2025 –") or a weekday in its first paragraph?"""
    if published is None or published.precision != "day":
        return False
    # the first paragraph of prose (not a masthead, a "Published:" line or a headline)
    first = next((ln for ln in text.split("\n") if len(ln.split()) >= 12), text.lstrip().split("\n", 1)[0])
    return dateline_date(first) is not None or bool(_WEEKDAY_RX.search(first[:400]))


def simple_past(f: Frame) -> bool:
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


def present_perfect(f: Frame) -> bool:
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


def dates_from_context(claims: list[Claim], ctx: DocContext, day: PartialDate | None = None,
                        dates_by_sentence: dict[int, list[Any]] | None = None) -> None:
    """An event with no date of its own that the sentence ties to an occasion named before
    ("signed ... during the visit", "on the sidelines", "the two countries also signed")
    takes that occasion's date. Only asserted and negated claims: a plan keeps its own date
    or none. Failing that, in a report of the day's news (``day`` is its publication date),
    an event told in the simple past takes the month of publication (ANNOTATION.md, dates
    rule 5). Runs after merging, so an undated mention still merges with a dated one."""
    dated: list[tuple[int, int, Claim]] = []  # (evidence start, sentence index, claim), in text order
    dated_at: list[int] = []  # their sentence indexes, for bisection
    cues: dict[str, tuple[Any, Any, Any]] = {}  # each evidence sentence's occasion cues (many claims share one)
    for c in sorted(claims, key=lambda x: x.evidence_start):
        here = ctx.sentence_at(c.evidence_start)
        if c.date is None and c.type != "quantity" and (c.modality in ("asserted", "negated") or (
                c.modality == "speculative" and c.type == "conflict_action" and id(c) in ctx.simple_past)):
            text = c.evidence_text
            if text not in cues:
                cues[text] = (_EVENT_ANAPHOR_RX.search(text), _SOON_AFTER_RX.search(text),
                              _SAME_OCCASION_RX.search(text))
            anaphor, soon_after, same_occasion = cues[text]
            pool: list[Claim] = []
            if m := anaphor:
                pool = [o for st, idx, o in dated[bisect_left(dated_at, here - 20):] if o.type in _OCCASIONS]
                # "the summit was attended by": the summit, not a visit told since
                kind = "visit" if re.search(r"\b(?:visit|trip|tour|stay)\b", m.group(0), re.I) else "summit_meeting"
                pool = [o for o in pool if o.type == kind] or pool
            soon = not pool and soon_after
            if not pool and (soon or same_occasion):
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
