"""Which date is a claim's own: the rules' choice, or another date the sentence gives, or
none. A learned ranker scores each option (its distance and direction from the trigger,
the word before it, its precision, whether it lies after publication, the claim's type
and modality); the rules' choice stays unless another option is clearly more probable."""

from __future__ import annotations

import math
import zlib
from functools import lru_cache
from typing import Any

from ...models import MODALITIES, PartialDate
from .features import Candidate
from .sparse import csr

HASH_BITS = 12
HASH_DIM = 1 << HASH_BITS
DENSE = ("is_rule", "is_null", "precision", "char_distance", "before_trigger", "n_options", "order",
         "rule_null", "after_publication", "years_from_publication", "vague", "relative", "inherited",
         *(f"modality_{m}" for m in MODALITIES), "pseudo")
N_DENSE = len(DENSE)
N_FEATURES = N_DENSE + HASH_DIM
_RANK = {None: 0, "year": 1, "month": 2, "interval": 2, "day": 3}


@lru_cache(maxsize=1 << 16)  # the same words and symbols recur in every document
def _h(s: str) -> int:
    return N_DENSE + (zlib.crc32(s.encode("utf-8")) & (HASH_DIM - 1))


def options(cand: Candidate, ctx: Any) -> list[tuple[PartialDate | None, Any]]:
    """The dates a candidate may take: the rules' own, each date of its sentence (read for
    the claim's tense), and none. Each with the DateMention it comes from (or None)."""
    c = cand.claim
    k = ctx.sentence_at(c.evidence_start)
    out: list[tuple[PartialDate | None, Any]] = [(c.date, "rule")]
    seen = {c.date.value if c.date else None}
    tense = "future" if c.modality == "planned" else "past"
    for dm in ctx.dates_by_sentence.get(k, []):
        if dm.value is None:
            continue
        v = dm.for_tense(tense) if hasattr(dm, "for_tense") else dm.value
        if v is not None and v.value not in seen:
            seen.add(v.value)
            out.append((v, dm))
    if None not in seen:
        out.append((None, None))
    return out


def describe(cand: Candidate, opts: list[tuple[PartialDate | None, Any]], ctx: Any,
             published: PartialDate | None) -> list[tuple[list[float], list[int]]]:
    c, f = cand.claim, cand.frame
    trig_at = f.trigger_start if f is not None else c.evidence_start
    text = ctx.text
    rows = []
    positions = sorted({dm.start for _, dm in opts if dm not in (None, "rule")})
    for value, dm in opts:
        is_rule = dm == "rule"
        mention = dm if dm not in (None, "rule") else None
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
        ]
        rows.append((dense, sorted(set(map(_h, sym)))))
    return rows


def matrix(rows: list[tuple[list[float], list[int]]]) -> Any:
    return csr(rows, N_FEATURES)


def choose(cands: list[Candidate], ctx: Any, published: PartialDate | None, booster: Any, margin: float) -> None:
    """Give each candidate the date the ranker prefers, when it beats the rules' by ``margin``."""
    groups = []
    rows: list[tuple[list[float], list[int]]] = []
    for cand in cands:
        opts = options(cand, ctx)
        if len(opts) < 2 or not redatable(cand):
            continue
        groups.append((cand, opts, len(rows)))
        rows += describe(cand, opts, ctx, published)
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
