"""Quantity mentions: money, counts, percentages, measures and exchange rates.

Pure functions, no store access. ``find_quantities`` anchors on the numbers of a text and
reads the words around each one: a currency before or after it, a scale word ("$211
million", "2 million 422 thousand"), a percent sign and its "of" phrase, a unit of measure,
or the noun it counts ("9,500 pilgrims", "about 2,700 students"). Qualifiers ("more than",
"about") are kept aside; the stated number is the value (ANNOTATION.md, Quantities).
Numbers that are none of these (years, days of the month, page counters, "7 min read") are
not quantities. ``metric_for`` guesses what a figure measures from cue words. Every word
list lives in diplograph/data/en/units.yaml and quantity_cues.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from diplograph.errors import DataFileError
from diplograph.mentions.dates import _alt, _read_yaml

Kind = Literal["money", "count", "percent", "rate", "length", "mass", "volume", "power", "area"]

__all__ = ["QuantityMention", "find_quantities", "metric_for", "Kind"]


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A figure in a text. ``value`` is the stated number times its scale (None for vague
    amounts such as "hundreds of thousands"); ``high`` is the upper end of a range
    ("between 15,000 and 20,000"). ``unit`` is an ISO 4217 code for money, "persons" for
    people, "percent" (or "percentage_points"), a unit of measure ("km"), or the counted noun
    for other counts. ``noun`` is what is counted ("tourists", or for a percentage the head
    of its "of" phrase: "oil imports"); ``of_start``/``of_end`` span that "of" phrase.
    ``pair`` and ``change`` (percent) belong to exchange rates ("KGS/USD = 0.01143 0%").
    ``per`` is the period of a rate ("annually" -> "year"). ``unit_inherited``: the unit
    came from the previous count ("9,500 pilgrims ... between 12,000 and 14,000")."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    kind: Kind
    qualifier: str | None = None
    scale: str | None = None
    noun: str | None = None
    noun_start: int | None = None
    noun_end: int | None = None
    of_start: int | None = None
    of_end: int | None = None
    high: float | None = None
    per: str | None = None
    pair: str | None = None
    change: float | None = None
    vague: bool = False
    unit_inherited: bool = False
    currency_word: str | None = None  # a name several states' currencies share ("pesos")
    written_rate: bool = False  # an exchange rate in words ("10.31 to the dollar"), not a ticker

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Data and patterns

_UNITS_KEYS = "currency_codes currency_symbols currency_words scales measures person_nouns not_count_nouns".split()
_CUES_KEYS = ("qualifiers periods metrics share_of target target_verbs target_after growth change_before_percent "
              "forecast").split()


@cache
def _units() -> dict[str, Any]:
    data = _read_yaml("units.yaml")
    problems = [f"missing key {k!r}" for k in _UNITS_KEYS if k not in data]
    codes = set(data.get("currency_codes") or [])
    for k in ("currency_symbols", "currency_words"):
        for word, code in (data.get(k) or {}).items():
            if code not in codes:
                problems.append(f"{k}[{word!r}] = {code!r} is not in currency_codes")
    for word, spec in (data.get("measures") or {}).items():
        if not (isinstance(spec, list) and len(spec) == 2):
            problems.append(f"measures[{word!r}] must be [unit, kind]; found {spec!r}")
    scales = {}
    for word, mult in (data.get("scales") or {}).items():
        try:
            scales[str(word)] = float(mult)
        except (TypeError, ValueError):
            problems.append(f"scales[{word!r}] must be a number; found {mult!r}")
    data["scales"] = scales
    if problems:
        raise DataFileError("diplograph/data/en/units.yaml", problems)
    return data


@cache
def _cues() -> dict[str, Any]:
    data = _read_yaml("quantity_cues.yaml")
    problems = [f"missing key {k!r}" for k in _CUES_KEYS if k not in data]
    for metric in data.get("share_of") or {}:
        if metric not in (data.get("metrics") or {}):
            problems.append(f"share_of[{metric!r}] names no metric in metrics")
    if problems:
        raise DataFileError("diplograph/data/en/quantity_cues.yaml", problems)
    return data


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FUNCTION_WORDS = frozenset(
    "the of and in to from for with a an by on at as than or that which who whom whose is are "
    "was were be been has have had will would could should may might this these those its "
    "their his her our your it they we he she there here per each every into over under "
    "between about around more less".split()
)


@dataclass(frozen=True, slots=True)
class _Pats:
    number: re.Pattern[str]
    cur_before: re.Pattern[str]
    qual_before: re.Pattern[str]
    scale: re.Pattern[str]
    short_scale: re.Pattern[str]
    compound: re.Pattern[str]
    range_: re.Pattern[str]
    percent: re.Pattern[str]
    cur_word: re.Pattern[str]
    cur_code: re.Pattern[str]
    measure: re.Pattern[str]
    word: re.Pattern[str]
    period: re.Pattern[str]
    of_phrase: re.Pattern[str]
    month_before: re.Pattern[str]
    month_after: re.Pattern[str]
    rate_pair: re.Pattern[str]
    rate_eq: re.Pattern[str]
    vague: re.Pattern[str]
    bare_before: re.Pattern[str]
    shared_word: re.Pattern[str]
    rate_after: re.Pattern[str]


@cache
def _pats() -> _Pats:
    u, c = _units(), _cues()
    from diplograph.mentions.dates import _date_words

    months = _alt(_date_words()["months"])
    codes = "|".join(sorted(u["currency_codes"]))
    syms = _alt(u["currency_symbols"])
    big_scales = "thousand|million|billion|trillion|mln|mn|bln|bn|tn|trn"
    return _Pats(
        number=re.compile(rf"[-−+]?(?:{_NUM})"),
        # a symbol or a code just before the number, or one space before it ("US$ 150.5 billion")
        cur_before=re.compile(rf"(?:(?<![A-Za-z])(?:{syms})|\b(?:{codes}))[ \t]?$"),
        qual_before=re.compile(r"(?:^|[^\w])(" + _alt(c["qualifiers"]) + r"|between|from)[ \t]+$"),
        scale=re.compile(rf"[ \t]*-?[ \t]*({big_scales})\b"),
        short_scale=re.compile(r"(bn|mn|m|b|k|tn)\b"),
        compound=re.compile(rf"[ \t]+(\d{{1,3}})[ \t]+({big_scales})\b"),
        range_=re.compile(rf"[ \t]*(-|–|—|[ \t]to[ \t]|[ \t]and[ \t])[ \t]*(?:{syms})?({_NUM})"),
        percent=re.compile(r"[ \t]*(%|percent\b|per[ \t]cent\b|pct\b|percentage[ \t]points?\b)"),
        cur_word=re.compile(r"[ \t]+(" + _alt(u["currency_words"]) + r")\b"),
        cur_code=re.compile(rf"[ \t]+({codes})\b"),
        measure=re.compile(r"(?:[ \t]*-[ \t]*|[ \t]+)?(" + _alt(u["measures"]) + r")\b\.?"),
        word=re.compile(r"[ \t]+([A-Za-z][\w’'-]*)"),
        period=re.compile(r"[ \t,]+(" + _alt(c["periods"]) + r")\b"),
        of_phrase=re.compile(r"[ \t]+of[ \t]+((?:[\w’'-]+[ \t]?){1,6})"),
        month_before=re.compile(rf"(?:{months})\.?[ \t]+(?:the[ \t]+)?$"),
        month_after=re.compile(rf"(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{months})\b"),
        rate_pair=re.compile(rf"\b({codes})/({codes})[ \t]*[=:]?[ \t]*({_NUM})(?:[ \t]+([-−+]?\d+(?:\.\d+)?)[ \t]*%)?"),
        rate_eq=re.compile(rf"\b1[ \t]+({codes})[ \t]*=[ \t]*({_NUM})[ \t]*({codes})\b"),
        # run on the lower-cased text
        vague=re.compile(r"\b((?:tens|hundreds)[ \t]+of[ \t]+(?:thousands|millions)|hundreds|thousands|millions|billions|dozens)[ \t]+of[ \t]+((?:[a-z][\w’'-]*[ \t]+){0,2}?[a-z][\w’'-]*)"),
        bare_before=re.compile(r"(?:\bto|\bbetween|\band|\breach(?:ed|ing)?|\bhit|\bat|\bof|\bthan|\bwith|\bwere|\bwas|"
                               r"\btotall?ed|\bnumbered)[ \t]+$"),
        shared_word=re.compile(r"[ \t]+(" + _alt(u.get("shared_currency_words") or {"pesos": []}) + r")\b"),
        # "10.31 to the dollar", "1,185 pesos per dollar", "12,920 per US dollar"
        rate_after=re.compile(r"(?:[ \t]+(" + _alt({**u["currency_words"], **(u.get("shared_currency_words") or {})})
                              + r"))?[ \t]+(?:per|to[ \t]+the|to[ \t]+one|to[ \t]+a|against[ \t]+the|a)[ \t]+("
                              + _alt(u.get("quote_currencies") or {"dollar": "USD"}) + r")\b"),
    )


def _num(s: str) -> float:
    return float(s.replace(",", "").replace("−", "-"))


# ---------------------------------------------------------------------------------------
# Finder


def find_quantities(text: str) -> list[QuantityMention]:
    """Find the quantities of ``text``, sorted by start offset.

    >>> [(q.value, q.unit) for q in find_quantities("Trade reached $348 million in 2023.")]
    [(348000000.0, 'USD')]
    """
    if not isinstance(text, str):
        raise TypeError(f"find_quantities needs the document text as str, not {type(text).__name__}")
    p = _pats()
    out: list[QuantityMention] = []
    taken: list[tuple[int, int]] = []
    if "/" in text or "=" in text:
        for m in p.rate_pair.finditer(text):
            base, quote = m.group(1), m.group(2)
            change = _num(m.group(4)) if m.group(4) else None
            out.append(QuantityMention(m.start(), m.end(), m.group(0), _num(m.group(3)), quote, "rate",
                                       pair=f"{base}/{quote}", change=change))
            taken.append(m.span())
        for m in p.rate_eq.finditer(text):
            base, quote = m.group(1), m.group(3)
            out.append(QuantityMention(m.start(), m.end(), m.group(0), _num(m.group(2)), quote, "rate",
                                       pair=f"{base}/{quote}"))
            taken.append(m.span())
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower()[0] for ch in text)
    if "s of " in lowered:
        for m in p.vague.finditer(lowered):
            noun = text[m.start(2) : m.end(2)]
            if noun.split()[-1].lower() in _FUNCTION_WORDS:
                continue
            ns = m.start(2)
            out.append(QuantityMention(m.start(), m.end(), text[m.start() : m.end()], None, _count_unit(noun), "count",
                                       scale=m.group(1), noun=noun, noun_start=ns,
                                       noun_end=ns + len(noun), vague=True))
            taken.append(m.span())
    consumed = -1
    taken.sort()
    ti = 0
    for m in p.number.finditer(text):
        s = m.start()
        if s < consumed:
            continue
        while ti < len(taken) and taken[ti][1] <= s:
            ti += 1
        if ti < len(taken) and taken[ti][0] <= s:
            continue
        prev = text[s - 1] if s else " "
        if m.group(0)[0] in "-−+":
            if prev not in " \t\n(":
                continue  # "TB-2": part of a name
        elif prev.isalnum() or prev in "._,/-−+":
            continue  # "COP29", "x1999"
        q = _read(text, lowered, m, out)
        if q is not None:
            out.append(q)
            consumed = q.end
    out.sort(key=lambda q: q.start)
    return out


def _count_unit(noun: str) -> str:
    head = noun.split()[-1].lower()
    return "persons" if head in _units()["person_nouns"] else head


def _read(text: str, low: str, m: re.Match[str], found: list[QuantityMention]) -> QuantityMention | None:
    p, u, c = _pats(), _units(), _cues()
    s, e = m.start(), m.end()
    raw = m.group(0)
    after = text[e : e + 2]
    if after[:1] == ":" or (after[:1] in ".," and after[1:2].isdigit()):
        return None  # a time (16:23) or a dotted date (06.03.2025)
    if p.month_before.search(text, max(0, s - 14), s) or p.month_after.match(text, e):
        return None  # a day of the month
    value = _num(raw)
    start = s
    currency = None
    cb = p.cur_before.search(text, max(0, s - 6), s)
    if cb:
        sym = cb.group(0).strip()
        currency = u["currency_symbols"].get(sym) or sym
        start = cb.start()
    qual = None
    qb = p.qual_before.search(low, max(0, start - 20), start)
    if qb:
        qual = qb.group(1)
    pos = e
    scale_word = None
    mult = 1.0
    sm = p.scale.match(low, pos)
    if sm:
        scale_word = sm.group(1)
        mult = u["scales"][scale_word]
        pos = sm.end()
        cm = p.compound.match(low, pos)
        while cm and u["scales"][cm.group(2)] < mult:
            value = value * mult / u["scales"][cm.group(2)] + _num(cm.group(1))
            mult = u["scales"][cm.group(2)]
            pos = cm.end()
            cm = p.compound.match(low, pos)
    elif currency:
        ss = p.short_scale.match(low, pos)
        if ss:
            scale_word = ss.group(1)
            mult = u["scales"][scale_word]
            pos = ss.end()
    high = None
    rm = p.range_.match(low, pos)
    if rm and (rm.group(1).strip() != "and" or qual == "between"):
        hv = _num(rm.group(2))
        hpos = rm.end()
        hm = p.scale.match(low, hpos)
        hmult = mult
        if hm:
            hmult = u["scales"][hm.group(1)]
            hpos = hm.end()
            if scale_word is None:
                scale_word, mult = hm.group(1), hmult
        elif currency and (hs := p.short_scale.match(low, hpos)):
            hmult = u["scales"][hs.group(1)]
            hpos = hs.end()
            if scale_word is None:
                scale_word, mult = hs.group(1), hmult
        if hv * hmult >= value * mult:
            high = hv * hmult
            pos = hpos
    value *= mult
    if currency is None and (rt := p.rate_after.match(low, pos)):
        word = rt.group(1)
        local = u["currency_words"].get(word) if word else None
        shared = word if word and local is None else None
        if shared:
            local = u["shared_currency_words"][word][0]
        quote = u["quote_currencies"][re.sub(r"\s+", " ", rt.group(2))]
        return QuantityMention(start, rt.end(), text[start : rt.end()], value, local, "rate", _canon(qual),
                               scale_word, pair=f"{local}/{quote}", currency_word=shared, written_rate=True)
    kind: Kind
    unit: str | None = None
    noun = ns = ne = of_s = of_e = None
    per = None
    unit_inherited = False
    pm = p.percent.match(low, pos)
    if pm and not currency:
        kind = "percent"
        unit = "percentage_points" if "point" in pm.group(1) else "percent"
        pos = pm.end()
        om = p.of_phrase.match(text, pos)
        if om:
            phrase = _trim_of(om.group(1))
            if phrase:
                of_s = om.start(1)
                of_e = of_s + len(phrase)
                noun = _strip_determiners(phrase)
                ns = of_e - len(noun)
                ne = of_e
        qual = None if qual in ("between", "from") and high is None else qual
        return QuantityMention(start, pos, text[start:pos], value, unit, kind, _canon(qual), scale_word,
                               noun, ns, ne, of_s, of_e, high)
    shared_word = None
    if currency is None:
        cw = p.cur_word.match(low, pos)
        sw = p.shared_word.match(low, pos) if not cw and u.get("shared_currency_words") else None
        if cw:
            currency = u["currency_words"][re.sub(r"\s+", " ", cw.group(1))]
            pos = cw.end()
        elif sw:
            shared_word = sw.group(1)
            currency = u["shared_currency_words"][shared_word][0]
            pos = sw.end()
        else:
            cc = p.cur_code.match(text, pos)
            if cc:
                currency, pos = cc.group(1), cc.end()
    if currency:
        kind, unit = "money", currency
        pr = p.period.match(low, pos)
        if pr:
            per = c["periods"][re.sub(r"\s+", " ", pr.group(1))]
            pos = pr.end()
    else:
        mm = p.measure.match(low, pos)
        if mm:
            unit, kind = u["measures"][re.sub(r"\s+", " ", mm.group(1))]
            pos = mm.end()
        else:
            noun_span = _count_noun(text, pos)
            if noun_span:
                ns, ne = noun_span
                noun = text[ns:ne]
                unit, kind = _count_unit(noun), "count"
                pos = ne
            else:
                # a bare figure after "to", "between", "reach": it counts what the count
                # just before it counted ("9,500 pilgrims ... to between 12,000 and 14,000")
                if not ("," in raw or scale_word) or not p.bare_before.search(low, max(0, start - 12), start):
                    return None
                prev = next((q for q in reversed(found) if q.kind == "count" and start - q.end < 400), None)
                if prev is not None:
                    kind, unit, noun, unit_inherited = "count", prev.unit, prev.noun, True
                else:
                    # "Visitors from Oman were the largest group, at 410,000": the people
                    # the sentence is about, named before the figure
                    noun = _person_noun_before(low, start)
                    if noun is None:
                        return None
                    kind, unit, unit_inherited = "count", "persons", True
    if kind == "count" and scale_word is None and "," not in raw and "." not in raw and 1700 <= value <= 2099 and unit != "persons":
        return None  # "2013 elections" is a year
    qual = None if qual in ("between", "from") and high is None else qual
    return QuantityMention(start, pos, text[start:pos], value, unit, kind, _canon(qual), scale_word,
                           noun, ns, ne, None, None, high, per, unit_inherited=unit_inherited,
                           currency_word=shared_word)


_SENTENCE_START = re.compile(r"[.!?;]\s|\n")


def _person_noun_before(low: str, start: int) -> str | None:
    """The first person noun of the sentence before ``start`` (within 150 characters)."""
    lo = max(0, start - 150)
    for m in _SENTENCE_START.finditer(low, lo, start):
        lo = m.end()
    persons = _units()["person_nouns"]
    for w in re.finditer(r"[a-z][\w’'-]*", low[lo:start]):
        if w.group(0) in persons:
            return w.group(0)
    return None


def _canon(qual: str | None) -> str | None:
    if qual is None:
        return None
    qual = re.sub(r"\s+", " ", qual)
    return "between" if qual in ("between", "from") else _cues()["qualifiers"].get(qual, qual)


_OF_STOP = frozenset(
    "through via by in from to with for and which that who while as at on during since after "
    "before making is are was were has have had will would could".split()
)


def _trim_of(phrase: str) -> str:
    words = []
    for w in re.finditer(r"[\w’'-]+", phrase):
        if w.group(0).lower() in _OF_STOP:
            break
        words.append(w)
    if not words:
        return ""
    return phrase[: words[-1].end()]


def _strip_determiners(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and (words[0].lower() in ("the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "all")
                              or words[0].endswith(("’s", "'s", "s’", "s'"))):
        words.pop(0)
    return phrase[len(phrase) - len(" ".join(words)):] if words else phrase


def _count_noun(text: str, pos: int) -> tuple[int, int] | None:
    """The noun a number counts: the first of the next three words that is a person noun
    or a plural noun, skipping adjectives ("14 Jewish day schools", "197 Tajik Jews")."""
    u = _units()
    persons, stop = u["person_nouns"], u["not_count_nouns"]
    p = _pats().word
    for i in range(3):
        wm = p.match(text, pos)
        if not wm:
            return None
        word = wm.group(1)
        low = word.lower().rstrip("’'")
        if low in _FUNCTION_WORDS or (i == 0 and low in stop):
            return None  # "35 years of", "7 min read": a duration or a counter
        if low in persons or (
            word.islower() and len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is", "ous"))
        ):
            return wm.start(1), wm.end(1)
        pos = wm.end()
    return None


# ---------------------------------------------------------------------------------------
# Metric


@cache
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    c = _cues()
    pats = {m: re.compile(r"\b(?:" + _alt(cues) + r")\b") for m, cues in c["metrics"].items()}
    for k in ("target", "growth", "forecast"):
        pats["@" + k] = re.compile(r"\b(?:" + _alt(c[k]) + r")\b")
    pats["@change"] = re.compile(r"\b(?:" + _alt(c["change_before_percent"]) + r")[ \t]+(?:by[ \t]+)?(?:about[ \t]+|some[ \t]+|nearly[ \t]+|almost[ \t]+)?$")
    gerunds = [v for v in c["target_verbs"] if v.endswith("ing")]
    bases = [v for v in c["target_verbs"] if not v.endswith("ing")]
    pats["@target_verb"] = re.compile(r"\b(?:to[ \t]+(?:" + _alt(bases) + r")|" + _alt(gerunds) + r")\b[^.;:]{0,50}?"
                                      r"\bto[ \t]+(?:about[ \t]+|around[ \t]+|some[ \t]+|nearly[ \t]+|almost[ \t]+|"
                                      r"over[ \t]+|more[ \t]+than[ \t]+)?$")
    pats["@target_after"] = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+)?(?:" + _alt(c["target_after"]) + r")\b")
    for m, cues in c["share_of"].items():
        pats["%" + m] = re.compile(r"\b(?:" + _alt(cues) + r")\b")
    return pats


_SENT_BREAK = re.compile(r"[.!?]\s|\n")


def metric_for(text: str, quantity: QuantityMention, sentence: tuple[int, int] | None = None) -> str | None:
    """Guess the metric a figure measures from cue words in its sentence (ANNOTATION.md:
    trade_turnover, exports, imports, fdi_stock, visitor_arrivals, exchange_rate, with
    ``_target`` for targets and ``_growth`` for changes; "share" for a percentage of
    something with no better cue). The nearest cue wins; for a percentage, a cue inside its
    "of" phrase wins ("supplies 22 percent of Israel's oil imports" -> imports). Returns
    None when no cue is found. ``sentence`` is the span to look in (default: the sentence
    around the figure).

    >>> q = find_quantities("Bilateral trade reached $348 million.")[0]
    >>> metric_for("Bilateral trade reached $348 million.", q)
    'trade_turnover'
    """
    if quantity.kind == "rate":
        return "exchange_rate"
    if sentence is None:
        lo = max((mm.end() for mm in _SENT_BREAK.finditer(text, max(0, quantity.start - 400), quantity.start)), default=max(0, quantity.start - 400))
        nb = _SENT_BREAK.search(text, quantity.end)
        sentence = (lo, nb.start() + 1 if nb else len(text))
    lo, hi = sentence
    low = text[lo:hi].lower()
    qs, qe = quantity.start - lo, quantity.end - lo
    pats = _cue_patterns()
    base = None
    if quantity.kind == "percent" and quantity.of_start is not None and quantity.of_end is not None:
        of = text[quantity.of_start : quantity.of_end].lower()
        for m in _cues()["share_of"]:
            if pats["%" + m].search(of):
                base = m
                break
    if base is None:
        best = None
        for m in _cues()["metrics"]:
            for cm in pats[m].finditer(low):
                if cm.start() >= qe:
                    d = cm.start() - qe
                elif cm.end() <= qs:
                    d = qs - cm.end()
                else:
                    d = 0
                if best is None or d < best[0]:
                    best = (d, m)
        if best is not None and best[0] <= 120:
            base = best[1]
    if base is None and quantity.kind == "percent" and quantity.of_start is not None:
        base = "share"
    if base is None or base == "exchange_rate":
        return base
    before = low[max(0, qs - 60) : qs]
    if pats["@growth"].search(before[-30:]):
        return base + "_growth"
    if quantity.kind == "percent" and pats["@change"].search(before[-14:]):
        return base + "_growth"  # "up 55% from a year earlier"
    if pats["@target"].search(before) and not pats["@forecast"].search(before):
        return base + "_target"
    if pats["@target_verb"].search(before) and not pats["@forecast"].search(before):
        return base + "_target"  # "spoke of raising trade to $15 billion"
    if pats["@target_after"].match(low, qe):
        return base + "_target"  # "the $5 billion target"
    return base
