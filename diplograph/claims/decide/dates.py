"""Which date is a claim's own: the rules' choice, another date the sentence gives, a date
of the two sentences before (the narrative's), the day or month of publication (news of
the day, ANNOTATION.md dates rule 5), or none. A learned ranker scores each option (where
it comes from, its distance and direction from the trigger, the word before it, its
precision, whether it lies after publication, the claim's type, modality and tense, and
whether the document reports the day's news); the rules' choice stays unless another
option is clearly more probable."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...models import MODALITIES, PartialDate
from ..dating import news_of_the_day
from .features import Candidate
from .sparse import Hashed, csr

HASH_BITS = 12
HASH_DIM = 1 << HASH_BITS
DENSE = ("is_rule", "is_null", "precision", "char_distance", "before_trigger", "n_options", "order",
         "rule_null", "after_publication", "years_from_publication", "vague", "relative", "inherited",
         *(f"modality_{m}" for m in MODALITIES), "pseudo",
         "from_publication_day", "from_publication_month", "from_before", "simple_past", "present_perfect",
         "news_of_the_day", "sentence_index", "chars_back", "lines_back")
N_DENSE = len(DENSE)
N_FEATURES = N_DENSE + HASH_DIM
_RANK = {None: 0, "year": 1, "month": 2, "interval": 2, "day": 3}


_h = Hashed(N_DENSE, HASH_BITS)  # a symbol's column


ELSEWHERE = ("publication_day", "publication_month", "before")  # where an option from outside the sentence comes from


@dataclass(frozen=True)
class Elsewhere:
    """An option from outside the claim's sentence: the day or month of publication, or a
    date mention of one of the two sentences before (``mention``)."""

    kind: str  # one of ELSEWHERE
    mention: Any = None


BEFORE = 2  # how many sentences back a narrative's date is looked for


def options(cand: Candidate, ctx: Any, published: PartialDate | None = None
            ) -> list[tuple[PartialDate | None, Any]]:
    """The dates a candidate may take: the rules' own, each date of its sentence (read for
    the claim's tense), none, and for a fact or a denial, the day and month of publication
    and the precise dates of the sentences just before. Each with where it comes from: "rule",
    a DateMention of the sentence, None, or an ``Elsewhere``."""
    c = cand.claim
    k = ctx.sentence_at(c.evidence_start)
    out: list[tuple[PartialDate | None, Any]] = [(c.date, "rule")]
    seen = {c.date.value if c.date else None}
    tense = "future" if c.modality == "planned" else "past"

    def add(v: PartialDate | None, source: Any) -> None:
        if v is not None and v.value not in seen:
            seen.add(v.value)
            out.append((v, source))

    def read(dm: Any) -> PartialDate | None:  # a mention as the claim's tense reads it
        return dm.for_tense(tense) if hasattr(dm, "for_tense") else dm.value

    for dm in ctx.dates_by_sentence.get(k, []):
        if dm.value is not None:
            add(read(dm), dm)
    if None not in seen:
        out.append((None, None))
    if c.modality not in ("asserted", "negated"):
        return out
    if published is not None and published.precision in ("day", "month"):
        if published.precision == "day":
            add(PartialDate(value=published.value, precision="day", text="(day of publication)"),
                Elsewhere("publication_day"))
        add(PartialDate(value=published.value[:7], precision="month", text="(month of publication)"),
            Elsewhere("publication_month"))
    for back in range(1, BEFORE + 1):
        for dm in ctx.dates_by_sentence.get(k - back, []):
            if dm.value is not None and not dm.vague:
                add(read(dm), Elsewhere("before", dm))
    return out


def describe(cand: Candidate, opts: list[tuple[PartialDate | None, Any]], ctx: Any,
             published: PartialDate | None, news: bool = False) -> list[tuple[list[float], list[int]]]:
    """One row per option (``news``: the document reports the day's news)."""
    c, f = cand.claim, cand.frame
    trig_at = f.trigger_start if f is not None else c.evidence_start
    text = ctx.text
    rows = []
    positions = sorted({dm.start for _, dm in opts if _in_sentence(dm)})
    past, perfect = float(id(c) in ctx.simple_past), float(id(c) in ctx.present_perfect)
    k = float(ctx.sentence_at(c.evidence_start))
    for value, dm in opts:
        is_rule = dm == "rule"
        far = dm if isinstance(dm, Elsewhere) else None
        mention = dm if _in_sentence(dm) else None
        sym = [f"t={c.type}", f"m={c.modality}", f"t|m={c.type}|{c.modality}"]
        dist = math.nan
        before = math.nan
        order = math.nan
        vague = relative = inherited = 0.0
        if mention is not None:
            dist = float(mention.start - trig_at)
            before = float(mention.end <= trig_at)
            order = float(positions.index(mention.start))
            prev = text[max(c.evidence_start, mention.start - 25):mention.start].lower().split()
            word = prev[-1] if prev else "^"
            sym += [f"prep={word}", f"t|prep={c.type}|{word}", f"first={mention.text.lower().split()[0]}",
                    f"bound={mention.bound}", f"rule={mention.rule}"]
            if len(prev) >= 2:
                sym.append(f"prep2={prev[-2]} {word}")
            vague, relative, inherited = float(mention.vague), float(mention.relative), float(mention.inherited)
        elif is_rule:
            sym.append("src=rule")
        elif far is not None:
            sym += [f"src={far.kind}|t={c.type}", f"src={far.kind}|past={past}|perfect={perfect}|news={news}"]
        else:
            sym.append("src=null")
        after = years = math.nan
        if value is not None and published is not None:
            try:
                after = float(value.bounds()[0] > published.bounds()[1])
                years = float(int(value.value[:4]) - int(published.value[:4]))
            except ValueError:
                pass
        dense = [
            float(is_rule), float(value is None), float(_RANK.get(value.precision if value else None, 0)), dist, before,
            float(len(opts)), order, float(c.date is None), after, years, vague, relative, inherited,
            *(float(c.modality == m) for m in MODALITIES), float(f is not None and f.pseudo),
            *(float(far is not None and far.kind == kind) for kind in ELSEWHERE),
            past, perfect, float(news), k,
            float(c.evidence_start - far.mention.start) if far is not None and far.mention is not None else math.nan,
            # line breaks between a date of the sentences before and the claim: a chronology's
            # line, a table's row or a paragraph dates its own events, rarely the next one's
            float(text.count("\n", far.mention.end, c.evidence_start)) if far is not None and far.mention is not None
            else math.nan,
        ]
        rows.append((dense, sorted(_h.columns(sym))))
    return rows


def _in_sentence(source: Any) -> bool:
    """Is an option's source a date mention of the claim's own sentence?"""
    return source is not None and source != "rule" and not isinstance(source, Elsewhere)


def matrix(rows: list[tuple[list[float], list[int]]]) -> Any:
    return csr(rows, N_FEATURES)


def choose(cands: list[Candidate], ctx: Any, published: PartialDate | None, booster: Any, margin: float) -> None:
    """Give each candidate the date the ranker prefers, when it beats the rules' by ``margin``."""
    groups = []
    rows: list[tuple[list[float], list[int]]] = []
    news = news_of_the_day(ctx.text, published)
    for cand in cands:
        opts = options(cand, ctx, published)
        if len(opts) < 2 or not redatable(cand):
            continue
        groups.append((cand, opts, len(rows)))
        rows += describe(cand, opts, ctx, published, news)
    if not rows:
        return
    p = booster.predict(matrix(rows), num_threads=1)
    for cand, opts, at in groups:
        best = pick(p[at:at + len(opts)], margin)
        if best:
            cand.claim.date = opts[best][0]


def redatable(cand: Candidate) -> bool:
    """May the ranker overrule the rules' date? Not for a forecast or a target: a planned or
    speculative figure's period is its own clause's (the rules read clauses; the ranker
    does not), never the figure for the past year beside it."""
    c = cand.claim
    return not (c.type == "quantity" and c.modality in ("planned", "speculative"))


def pick(scores: Any, margin: float) -> int:
    """The option to take (0: the rules' date): the best, if it beats the rules' by ``margin``."""
    best = max(range(len(scores)), key=lambda i: scores[i])
    return best if best != 0 and scores[best] > scores[0] + margin else 0
