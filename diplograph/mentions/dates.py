"""Date mentions: find temporal expressions in a text and resolve them to partial dates.

Pure functions, no store access. ``find_dates`` finds expressions with fast regular
expressions (dateparser's ``search_dates`` is far too slow and loose for this: about half a
second per article, and it reads "$40" as 2040 and "90% of" as 1990), then resolves each one
against the publication date and the dates mentioned earlier in the text, following the
Dates rules of ANNOTATION.md:

- absolute dates keep the precision they are written with ("December 2022" -> 2022-12);
- a month or day without a year inherits the year of the frame (an explicit year in the
  same sentence or the two before it, in the same paragraph: "In 2024, ... In February,
  ..." -> 2024-02); with no frame it takes the publication year, or the year before if that
  would put a past event after publication (rule 2);
- "that year", "the same year", "the following year", "twelve years later" take the most
  recent year mentioned before them;
- relative expressions resolve against the publication date ("last year", "two years ago",
  "this past September", "last week" = the previous Monday-Sunday; a season gives the year
  only; rule 3);
- weekdays resolve by tense (rule 1): ``value`` is the past reading (the latest such day on
  or before publication) and ``future_value`` the future one; ``for_tense`` picks;
- vague expressions ("recently", "in the coming years", "three decades ago") are mentions
  with ``vague=True`` and no value (rule 4). Decades are vague too but keep the interval
  they name ("the early 1990s" -> 1990/1993) so a caller may use it; gold scoring accepts any
  date against a gold null, so a covering interval costs nothing there.

Which date governs a claim, and the same-day rules for text with no date (rule 5), are the
caller's business; ``date_for_span`` gives a simple default.

dateparser is used only for all-numeric dates ("06.03.2025", "6/3/2025"), where its
day/month order handling helps; every other form is resolved here, because dateparser
returns nothing for "last spring", "this past September", "mid-2023" or "late December
2023" and costs about a millisecond a call.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Callable, Literal

import yaml

from diplograph.errors import DataFileError
from diplograph.models import PartialDate

Tense = Literal["past", "present", "future"]
Bound = Literal["since", "until", "by", "before", "after", "as_of"]

__all__ = [
    "DateMention",
    "find_dates",
    "date_for_span",
    "sentence_spans",
    "Tense",
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression found in a text, resolved to a partial date when possible.

    ``value`` is the resolution for a past or present clause; ``future_value`` is set only
    when a future clause would read the expression differently (weekdays, a month without a
    year). ``relative``: resolved against the publication date. ``inherited``: the year came
    from an earlier mention (``anchor`` is that mention's start offset). ``vague``: the
    expression is imprecise (rule 4); its value, if any, is the interval it names.
    ``future``: it points after publication. ``bound``: "since 1992" is an open period that
    starts in 1992, "by 2030" a deadline, and so on. ``rule`` says how the value was found.
    """

    start: int
    end: int
    text: str
    value: PartialDate | None
    relative: bool = False
    vague: bool = False
    future: bool = False
    inherited: bool = False
    bound: Bound | None = None
    anchor: int | None = None
    rule: str = ""
    future_value: PartialDate | None = None

    def for_tense(self, tense: Tense) -> PartialDate | None:
        """The value for a clause in this tense: ``future_value`` for a future clause when
        the expression reads differently there, else ``value``.

        >>> m = find_dates("They meet on Friday.", published=PartialDate.parse("2025-03-05"))[0]
        >>> m.value.value, m.for_tense("future").value
        ('2025-02-28', '2025-03-07')
        """
        if tense == "future" and self.future_value is not None:
            return self.future_value
        return self.value

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value.to_json() if self.value else None,
            "future_value": self.future_value.to_json() if self.future_value else None,
            "relative": self.relative,
            "vague": self.vague,
            "future": self.future,
            "inherited": self.inherited,
            "bound": self.bound,
            "anchor": self.anchor,
            "rule": self.rule,
        }


# ---------------------------------------------------------------------------------------
# Data


def _read_yaml(name: str) -> dict[str, Any]:
    path = resources.files("diplograph").joinpath("data", "en", name)
    try:
        from ..tables import load_yaml  # parsed once per content (diplograph.tables)
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataFileError(f"diplograph/data/en/{name}", [f"cannot be read: {e}"]) from None
    if not isinstance(data, dict):
        raise DataFileError(f"diplograph/data/en/{name}", ["top level must be a mapping"])
    return data


_DATES_KEYS = (
    "months weekdays seasons number_words vague_counts year_context_before not_year_before "
    "relative future_relative vague future_vague period_parts decade_parts"
).split()


@cache
def _date_words() -> dict[str, Any]:
    data = _read_yaml("dates.yaml")
    problems = [f"missing key {k!r}" for k in _DATES_KEYS if k not in data]
    resolvers = {"day", "week", "month", "year", "weekend", "past_months", "present"}
    for phrase, spec in (data.get("relative") or {}).items():
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in resolvers):
            problems.append(
                f"relative[{phrase!r}] must be [resolver, offset] with resolver one of "
                f"{sorted(resolvers)}; found {spec!r}"
            )
    for month, n in (data.get("months") or {}).items():
        if not (isinstance(n, int) and 1 <= n <= 12):
            problems.append(f"months[{month!r}] must be 1..12; found {n!r}")
    if problems:
        raise DataFileError("diplograph/data/en/dates.yaml", problems)
    return data


@cache
def _noun_words() -> tuple[frozenset[str], frozenset[str]]:
    """Nouns that make a preceding number a count, not a year (shared with quantities)."""
    units = _read_yaml("units.yaml")
    counts = set(units.get("person_nouns") or [])
    counts |= {str(k).lower() for k in (units.get("measures") or {})}
    counts |= {str(k).lower() for k in (units.get("currency_words") or {})}
    counts |= {str(k).lower() for k in (units.get("scales") or {})}
    return frozenset(counts), frozenset(units.get("not_count_nouns") or [])


# ---------------------------------------------------------------------------------------
# Patterns

_S = r"[ \t\u00a0]+"  # spaces, never a line break: "2013\n7 min read" is two lines


def _alt(words: Any) -> str:
    """An alternation of words or phrases as a character trie ("a(?:go|head)|y(?:ear|...)"):
    the regex engine tries branches in order, so a flat list of a hundred phrases costs a
    hundred comparisons at every position, a trie only a few. Longer words win, and a space
    in a phrase matches any run of spaces."""
    trie: dict[str, Any] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [
            (_S if ch == " " else re.escape(ch)) + render(child)
            for ch, child in sorted(node.items(), key=lambda kv: kv[0])
            if ch != ""
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return render(trie)


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    regex: re.Pattern[str]
    priority: int  # lower wins between two matches of the same length
    anchor: str  # the token class every match contains (see _anchors)
    lower: bool  # matched against the lower-cased text (case-insensitive, but fast)
    left: re.Pattern[str] | None = None  # optional words before the core, ending at it
    hints: tuple[str, ...] = ()  # the left extension is tried only after one of these


class _Joined:
    """A core match and its left extension, read like one match."""

    __slots__ = ("core", "left", "_start", "_names")

    def __init__(self, core: re.Match[str], left: re.Match[str] | None, left_re: re.Pattern[str]):
        self.core = core
        self._names = left_re.groupindex
        self.left = left if left is not None and left.end() > left.start() else None
        self._start = self.left.start() if self.left else core.start()

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self.core.end()

    def group(self, name: str) -> Any:
        if name in self.core.re.groupindex:
            return self.core.group(name)
        if self.left is not None and name in self.left.re.groupindex:
            return self.left.group(name)
        return None

    def groupdict(self) -> dict[str, Any]:
        d = self.left.groupdict() if self.left is not None else dict.fromkeys(self._names)
        d.update(self.core.groupdict())
        return d


# Token class of each form: M month name, Y four-digit year or 'NN decade, C a time word
# (the last word of a relative phrase), W weekday, S season.
_FORM_ANCHOR = {
    "iso": "Y", "numeric": "Y", "yearrange": "Y", "decade": "Y", "yearmod": "Y", "year": "Y",
    "dayrange_md": "M", "dayrange_dm": "M", "mdy": "M", "dmy": "M", "monrange": "M",
    "monyear": "M", "month": "M", "seasonyear": "S", "season": "S", "weekday": "W",
    "ago": "C", "pastn": "C", "nextn": "C", "anaph": "C", "phrase": "C",
}
# Endings of the lower-cased text just before a core match that a left extension can
# start with; checked with str.endswith before the (slower) left pattern runs.
_MODS = ("early ", "early-", "mid ", "mid-", "late ", "late-", "end ", "end-", " of ")
_LEFT_HINTS = {
    "dayrange_md": ("day, ", "day ", "day,"),
    "mdy": ("day, ", "day ", "day,"),
    "dayrange_dm": ("day, ", "day ", "day,"),
    "dmy": ("day, ", "day ", "day,", "the "),
    "monrange": ("between ", "from "),
    "yearrange": ("between ", "from "),
    "monyear": _MODS,
    "month": _MODS,
    "decade": _MODS + ("the ",),
    "yearmod": _MODS + ("q1 ", "q2 ", "q3 ", "q4 ", "h1 ", "h2 "),
}
_LOWER_FORMS = frozenset({"ago", "pastn", "nextn", "anaph", "phrase"})


@cache
def _forms() -> tuple[_Form, ...]:
    w = _date_words()
    months = w["months"]
    full = [m for m in months if len(m) > 4 or m in ("May", "June", "July")]
    abbr = [m for m in months if m not in full]
    mon = r"(?:" + _alt(full) + "|" + "|".join(rf"{a}\.?" for a in abbr) + r")(?![A-Za-z])"
    monf = r"(?:" + _alt(full) + r")(?![A-Za-z])"
    wd = r"(?:" + _alt(w["weekdays"]) + r")(?![A-Za-z])"
    day = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"
    year = r"(?:1[7-9]\d\d|20\d\d)(?!\d|s\b)"
    numw = _alt([k for k in w["number_words"] if k not in ("a", "an")])
    vaguec = _alt(w["vague_counts"])
    dash = r"\s*(?:-|–|—)\s*"
    S = _S
    # Left extensions: matched backwards from the start of the core, so that every pattern
    # begins with its mandatory token and the engine skips quickly over other text.
    wdl = rf"(?:\b(?P<wd>{wd}),?{S})?\Z"
    prel = rf"(?:\b(?P<pre>(?i:between|from)){S})?\Z"
    specs: list[tuple[str, ...]] = [
        ("iso", rf"(?<![\d.])(?P<year>{year})-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)"),
        ("numeric", r"(?<![\d./])(?P<num>\d{1,2}[./]\d{1,2}[./](?:1[7-9]\d\d|20\d\d))(?![\d./])"),
        ("dayrange_md", rf"(?P<mon>{mon}){S}(?P<day>{day})(?:{dash}|{S}(?:to|and){S})(?P<day2>{day})(?:,?{S}(?P<year>{year}))?", wdl),
        ("dayrange_dm", rf"(?<![\d.,$])(?P<day>{day})(?:{dash}|{S}(?:to|and){S})(?P<day2>{day}){S}(?:of{S})?(?P<mon>{mon})(?:,?{S}(?P<year>{year}))?", wdl),
        ("mdy", rf"(?P<mon>{mon}){S}(?P<day>{day})(?:,?{S}(?P<year>{year}))?(?![\d:])", wdl),
        ("dmy", rf"(?<![\d.,$])(?P<day>{day}){S}(?:of{S})?(?P<mon>{mon})(?:,?{S}(?P<year>{year}))?", rf"(?:\b(?P<wd>{wd}),?{S})?(?:\bthe{S})?\Z"),
        ("monrange", rf"(?P<mon>{monf})(?:{S}(?P<year>{year}))?(?P<sep>{dash}|{S}(?:to|through|thru|until|till|and){S})(?:(?:mid|early|late)(?:-|{S}))?(?P<mon2>{monf})(?:,?{S}(?P<year2>{year}))?", prel),
        ("monyear", rf"(?P<mon>{mon})(?:{S}of|,)?{S}(?P<year>{year})", rf"(?:\b(?P<mod>early|mid|late|end|(?:at{S})?the{S}(?:end|beginning|start|middle){S}of)(?:-|{S}))?\Z"),
        ("month", rf"(?P<mon>{monf})(?P<anaph>{S}(?:of{S})?(?:that{S}same|the{S}same|that){S}year)?(?P<relyear>{S}(?:of{S})?(?:last|this|next){S}year)?(?![ \t]*\d)", rf"(?:\b(?P<mod>early|mid|late|(?:at{S})?the{S}(?:end|beginning|start|middle){S}of)(?:-|{S}))?\Z"),
        ("yearrange", rf"(?P<year>{year})(?P<sep>{dash}|{S}(?:to|until|till|through|thru|and)(?:{S}(?:his|her|its|their|the){S}[a-z]+{S}in)?{S})(?P<year2>{year}|\d\d(?!\d))", prel),
        ("decade", rf"(?:(?<!\d)(?P<cent>1[7-9]|20)(?P<dec>\d)0|[’'‘](?P<dec2>\d)0)s(?![\w])", rf"(?:\bthe{S})?(?:\b(?P<mod>early|mid|late)(?:-|{S}))?\Z"),
        ("yearmod", rf"(?<!\d)(?P<year>{year})", rf"(?P<mod>\b(?:early|mid|late|end)(?:-|{S})|(?:\bat{S})?\bthe{S}(?:end|beginning|start|middle|turn){S}of{S}|(?:\bthe{S})?\b(?:first|second){S}half{S}of{S}|(?:\bthe{S})?\b(?:first|second|third|fourth){S}quarter{S}of{S}|\bQ[1-4]{S}|\bH[12]{S})\Z"),
        ("seasonyear", rf"(?:(?P<pre>early|late){S})?(?:the{S})?(?P<season>(?i:spring|summer|autumn|fall|winter))(?:{S}of|,)?{S}(?P<year>{year})"),
        ("season", rf"(?P<pre>(?i:this{S}past|this{S}coming|that{S}same|the{S}same|that|last|next|this|in{S}the|in|during{S}the|during|early|late|by{S}the|by){S})(?P<season>spring|summer|autumn|fall|winter)(?![ \t]+of\b)(?![ \t]+\d)(?![\w-])"),
        ("ago", rf"(?:\b(?P<n>\d+|{numw}|{vaguec}|a|an){S}(?P<unit>days?|weeks?|months?|years?|decades?){S}ago\b)"),
        ("pastn", rf"(?:\b(?:(?:in|over|during|for|within){S})?the{S}(?:past|last|previous){S}(?P<n>\d+|{numw}){S}(?P<unit>days|weeks|months|years|decades)\b)"),
        ("nextn", rf"(?:\b(?:(?:in|over|during|within){S})?the{S}(?:next|coming){S}(?P<n>\d+|{numw}){S}(?P<unit>days|weeks|months|years|decades)\b)"),
        ("anaph", rf"(?:\b(?:(?P<side>later|earlier|early|late){S})?(?:in{S})?(?P<a>(?P<sameday>(?:that{S}same|the{S}same|that){S}day)|(?:that{S}same|the{S}same|that){S}year|the{S}(?P<rel>following|next|previous|preceding|prior|subsequent){S}year|the{S}year{S}(?P<ba>before|after)|(?P<n>\d+|{numw}|{vaguec}|a|an){S}(?P<unit>years?|decades?|months?|weeks?|days?){S}(?P<dir>later|earlier)))\b"),
        ("phrase", r"\b(?P<phrase>" + _alt([p.lower() for k in ("relative", "vague", "future_vague") for p in w[k]]) + r")\b"),
        ("weekday", rf"(?:(?P<pre>(?i:this{S}past|this{S}coming|last|next|this)){S})?(?P<wd>{wd})(?:{S}(?P<part>morning|afternoon|evening|night))?"),
        ("year", rf"(?<![\w$€£¥₸₽₺₹₪.,/#+\-−])(?P<year>{year})(?![\w%]|[.,]\d|-\w)"),
    ]
    return tuple(
        _Form(
            spec[0],
            re.compile(spec[1]),
            i,
            _FORM_ANCHOR[spec[0]],
            spec[0] in _LOWER_FORMS,
            re.compile(spec[2]) if len(spec) > 2 else None,
            _LEFT_HINTS.get(spec[0], ()),
        )
        for i, spec in enumerate(specs)
    )


@cache
def _time_words() -> frozenset[str]:
    """Last words of the relative phrases, plus the units of "N years ago" and anaphora:
    every C-form match ends with one of these."""
    w = _date_words()
    words = {p.split()[-1].lower() for k in ("relative", "vague", "future_vague") for p in w[k]}
    words |= set("ago day days week weeks month months year years decade decades later earlier before after".split())
    return frozenset(words)


# ---------------------------------------------------------------------------------------
# Sentences


_SENT_END = re.compile(r"[.!?…]+[\"”’)\]]*[ \t]+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")
_ABBREV = frozenset(
    "mr mrs ms dr st jr sr prof gen col lt sgt capt gov sen rep pres no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e approx est dept "
    "km fig mt ft op".split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Approximate sentence spans ``(start, end)``: split after ., ! or ? followed by a
    capital or digit (not after common abbreviations or initials), and at line breaks.
    Good enough to scope date inheritance; claim extraction may use a real parser."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if text[m.start()] == ".":
            j = m.start()
            i = j
            while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "."):
                i -= 1
            token = text[i:j]
            if token.lower() in _ABBREV or (len(token) == 1 and token.isupper()):
                continue
        end = m.start()
        while end < len(text) and text[end] in ".!?…\"”’)]":
            end += 1
        if end > start and text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# ---------------------------------------------------------------------------------------
# Calendar helpers


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _pd(value: str | None, text: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value, text=text)
    except ValueError:
        return None  # "February 30": not a date


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _day_iso(d: date) -> str:
    return d.isoformat()


def _common(v1: str | None, v2: str | None) -> str | None:
    """The value two readings agree on: equal values, else their common prefix at day,
    month or year precision (so a month-precision publication date still dates "last
    week" to a month when the whole week lies in it)."""
    if v1 == v2:
        return v1
    if v1 is None or v2 is None:
        return None
    if "/" in v1 or "/" in v2:
        a = _common(v1.split("/")[0], v2.split("/")[0])
        b = _common(v1.split("/")[-1], v2.split("/")[-1])
        return a if a and a == b else None
    p1, p2 = v1.split("-"), v2.split("-")
    out = []
    for x, y in zip(p1, p2):
        if x != y:
            break
        out.append(x)
    return "-".join(out) if out else None


def _collapse(value: str | None) -> str | None:
    """An interval whose ends are equal is that single value."""
    if value and "/" in value:
        a, b = value.split("/", 1)
        if a == b:
            return a
    return value


def _start_key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("/")[0].split("-"))


def _is_future(value: str | None, pub: PartialDate | None) -> bool:
    if not value or pub is None:
        return False
    v = _start_key(value)
    p = _start_key(pub.value)
    n = min(len(v), len(p))
    return v[:n] > p[:n]


def _pub_range(pub: PartialDate | None) -> tuple[date, date] | None:
    if pub is None:
        return None
    a, _, b = pub.value.partition("/")
    b = b or a

    def lo(v: str) -> date:
        parts = [int(x) for x in v.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    def hi(v: str) -> date:
        parts = [int(x) for x in v.split("-")]
        y = parts[0]
        m = parts[1] if len(parts) > 1 else 12
        d = parts[2] if len(parts) > 2 else calendar.monthrange(y, m)[1]
        return date(y, m, d)

    return lo(a), hi(b)


@lru_cache(maxsize=4096)
def _numeric_date(s: str) -> str | None:
    """All-numeric dates through dateparser (day first unless impossible)."""
    import dateparser  # imported lazily: it is slow to import and rarely needed

    parts = re.split(r"[./]", s)
    order = "MDY" if "/" in s and int(parts[1]) > 12 else "DMY"
    try:
        d = dateparser.parse(
            s, languages=["en"], settings={"DATE_ORDER": order, "STRICT_PARSING": True}
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return d.date().isoformat() if d else None


# ---------------------------------------------------------------------------------------
# Candidates


_YEAR_LIST_BEFORE = re.compile(r"(?:1[7-9]\d\d|20\d\d)[ \t]*(?:,|and|or|&)[ \t]*$")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w.’']*)[ \t]*$")
_WORD_AFTER = re.compile(r"[ \t]*([A-Za-z][\w’'-]*)")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])[ \t]*$")
# an entry of a chronology: a line that opens with its date and a dash or a colon
# ("1999 - X joins Y", "12 March 2003: talks begin", "March 2003 – ...", "2003-03-12:")
CHRONOLOGY_RX = re.compile(
    r"^[ \t]*(?:[-•*·][ \t]*)?(?:\d{1,2}[ \t]+[A-Z][a-z]+\.?,?[ \t]+|[A-Z][a-z]+\.?[ \t]+(?:\d{1,2},?[ \t]+)?)?"
    r"(?:1[7-9]|20)\d\d(?:-\d\d(?:-\d\d)?)?[ \t]*(?:[-–—:]|\.[ \t])[ \t]*(?=[^\s\d])", re.M)


def _word_before(text: str, i: int) -> str:
    m = _WORD_BEFORE.search(text, max(0, i - 30), i)
    return m.group(1).lower() if m else ""


def _words_before(text: str, i: int, n: int = 2) -> list[str]:
    return re.findall(r"[A-Za-z][\w’']*", text[max(0, i - 40) : i].lower())[-n:]


_MONTH_CUES = frozenset(
    "in on since by until till from during before after last next this past coming of early "
    "late mid through thru and to or between since around as throughout for ended ending that".split()
)
_SENT_START = re.compile(r"(?:^|[.!?…][\"”’)]*[ \t]+|\n[ \t]*|[\"“‘(][ \t]*)$")


def _accept(form: str, m: re.Match[str], text: str) -> bool:
    """Context checks a regular expression cannot express cheaply."""
    s = m.start()
    if form == "year":
        return _year_in_context(m, text)
    if form == "month":
        if m.group("mod") or m.group("anaph"):
            return True
        before = _word_before(text, s)
        if before == "that" and m.group("mon").lower() in ("may", "june", "august"):
            return False  # "said that May would ..." (a modal or a name)
        return before in _MONTH_CUES
    if form == "monrange":
        sep = m.group("sep").strip()
        if sep == "and" and (m.group("pre") or "").lower() != "between":
            return False
        return bool(m.group("pre") or m.group("year2") or m.group("year")) or _word_before(text, s) in _MONTH_CUES
    if form == "yearrange":
        sep = m.group("sep").strip()
        if sep.startswith("and") and (m.group("pre") or "").lower() != "between":
            return False
        if len(m.group("year2")) == 2 and sep not in ("-", "–", "—"):
            return False
        if sep.startswith(("until", "till", "to", "through", "thru")) and " " in sep.strip() and (m.group("pre") or "").lower() != "from":
            return False  # "until his death in" needs the "from" that opens the period
        return _right_not_count(text, m.end())
    if form in ("mdy", "dmy", "dayrange_md", "dayrange_dm"):
        return _right_not_count(text, m.end()) or bool(m.groupdict().get("year"))
    if form == "weekday":
        return True
    return True


def _right_not_count(text: str, i: int) -> bool:
    counts, not_counts = _noun_words()
    a = _WORD_AFTER.match(text, i)
    if not a:
        return not text.startswith("%", i)
    word = a.group(1).lower()
    return word not in counts and word not in not_counts


def _year_in_context(m: re.Match[str], text: str) -> bool:
    """A bare four-digit number is a year only in a date context: after a preposition or a
    time word ("in 2013", "since 1992"), in parentheses, in a list of years, or as an
    adjective ("the 2023 embassy opening", "Israel's 2023 embassy opening"); never before a
    count noun or unit ("2013 people", "2000 km") nor alone on a line (a page counter)."""
    s, e = m.start(), m.end()
    counts, not_counts = _noun_words()
    w = _date_words()
    after = _WORD_AFTER.match(text, e)
    right = after.group(1).lower() if after else ""
    if right in counts or right in not_counts:
        return False
    if text.startswith(("%", " %", " per cent", " percent"), e):
        return False
    if s > 0 and text[s - 1] == "(":
        return True
    if (c := CHRONOLOGY_RX.match(text, text.rfind("\n", 0, s) + 1)) and s < c.end() <= e + 4:
        return True  # "1999 - X joins Y": the entry's own year
    if _YEAR_LIST_BEFORE.search(text, max(0, s - 12), s):
        return True
    before = _word_before(text, s)
    if before in w["not_year_before"]:
        return False
    if before in w["year_context_before"]:
        return True
    if _POSSESSIVE.search(text, max(0, s - 4), s) and after:
        return True
    if after and before and before.islower() and not before[0].isdigit():
        # a lower-case word, the year, then a word: "a landmark 2016 visit"
        return text[s - 1] in " \t" and text[e] in " \t"
    if _SENT_START.search(text, max(0, s - 4), s) and after and right.islower():
        return True  # "2022 was a turning point"
    return False


# How far a match can reach left and right of its anchor token, per class: "at the
# beginning of 2000" reaches 20 characters left of the year, "from 1985 until his death in
# 2006" about 30; a relative phrase ends with its anchor word.
_REACH = {"M": (45, 30), "Y": (45, 40), "C": (45, 2), "W": (30, 25), "S": (30, 20)}


@cache
def _anchor_pattern() -> re.Pattern[str]:
    """One pattern for every token class (see _FORM_ANCHOR), run once on the lower-cased
    text: one pass is much cheaper than one per class. A lower-case "may" or "march" only
    opens a window; the month patterns themselves want a capital."""
    w = _date_words()
    return re.compile(
        r"(?P<Y>(?:1[7-9]|20)\d\d(?!\d)|[’'‘]\d0s)"
        r"|\b(?:(?P<M>" + _alt({m.lower() for m in w["months"]}) + r")(?![a-z])"
        r"|(?P<W>" + _alt({d.lower() for d in w["weekdays"]}) + r")\b"
        r"|(?P<S>" + _alt(w["seasons"]) + r")\b"
        r"|(?P<C>" + _alt(_time_words()) + r")\b)"
    )


def _regions(text: str, lowered: str) -> dict[str, list[tuple[int, int]]]:
    """Windows of the text around anchor tokens, per token class, merged. Each form only
    scans the windows of its class: most of an article holds no date at all."""
    n = len(text)
    out: dict[str, list[tuple[int, int]]] = {k: [] for k in _REACH}
    for m in _anchor_pattern().finditer(lowered):
        k = m.lastgroup
        s, e = m.span()
        if k == "Y" and s and lowered[s - 1].isdigit():
            continue
        left, right = _REACH[k]  # type: ignore[index]
        lo, hi = max(0, s - left), min(n, e + right)
        # end the window at a space, so no lookahead sees a word cut in two
        while hi < n and not text[hi].isspace():
            hi += 1
        merged = out[k]  # type: ignore[index]
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return out


def _candidates(text: str) -> list[tuple[int, int, _Form, re.Match[str]]]:
    found: list[tuple[int, int, _Form, re.Match[str]]] = []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few Unicode capitals lower-case to two characters
        lowered = "".join(c.lower()[0] for c in text)
    regions = _regions(text, lowered)
    for form in _forms():
        subject = lowered if form.lower else text
        last_end = -1
        for lo, hi in regions[form.anchor]:
            for core in form.regex.finditer(subject, lo, hi):
                m: Any = core
                if form.left is not None:
                    cs = core.start()
                    left = None
                    if lowered.endswith(form.hints, max(0, cs - 10), cs):
                        left = form.left.search(subject, max(0, cs - 45), cs)
                    m = _Joined(core, left, form.left)
                    if form.name == "yearmod" and m.left is None:
                        continue
                if m.start() < last_end:
                    continue
                if m.end() > m.start() and _accept(form.name, m, text):
                    found.append((m.start(), m.end(), form, m))
                    last_end = m.end()
    # Longest match first, then the form listed first; keep those that do not overlap.
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2].priority, c[0]))
    taken: list[tuple[int, int]] = []
    keep = []
    for c in found:
        i = bisect.bisect_left(taken, (c[0], c[0]))
        if i > 0 and taken[i - 1][1] > c[0]:
            continue
        if i < len(taken) and taken[i][0] < c[1]:
            continue
        taken.insert(i, (c[0], c[1]))
        keep.append(c)
    keep.sort(key=lambda c: c[0])
    return keep


# ---------------------------------------------------------------------------------------
# Resolution


@dataclass(slots=True)
class _Ctx:
    text: str
    pub: PartialDate | None
    ref: tuple[date, date] | None
    sent_starts: list[int]
    para_starts: list[int]
    years: list[tuple[int, int, int, int]]  # (start, year, sentence index, paragraph index)
    last_day: tuple[int, str] | None = None
    precise: list[tuple[int, str]] = field(default_factory=list)  # (start, value) of the dates resolved so far

    def sentence(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i) - 1

    def paragraph(self, i: int) -> int:
        return bisect.bisect_right(self.para_starts, i) - 1


@dataclass(slots=True)
class _Res:
    value: str | None = None
    future_value: str | None = None
    relative: bool = False
    vague: bool = False
    future: bool = False
    inherited: bool = False
    anchor: int | None = None
    rule: str = ""
    explicit_year: int | None = None  # a year written or computed, usable as a frame


def _month_no(name: str) -> int:
    return _date_words()["months"][name.rstrip(".")]


def _day_no(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))  # type: ignore[union-attr]


def _both(ctx: _Ctx, f: Callable[[date], str | None]) -> str | None:
    if ctx.ref is None:
        return None
    lo, hi = ctx.ref
    return _collapse(_common(f(lo), f(hi)))


_OPENERS = re.compile(r"(?:In|By|After|Before|Since|During|Following|From|On|At|When|Until|Throughout|Later|Earlier|That|The same|Then)\b")


def _frames_sentence(ctx: _Ctx, ys: int, start: int) -> bool:
    """Does the year at ``start`` in sentence ``ys`` frame the sentences after it? It does in
    an opening adverbial ("In 2024, ...", "After the floods in Sindh in August 2022, ...") or
    in the main narrative ("Talks resumed in May 2007. ... by November 14, ...")."""
    s0 = ctx.sent_starts[ys]
    head = ctx.text[s0:start]
    if start - s0 <= 12 or (bool(_OPENERS.match(head)) and "," not in head and len(head) <= 80):
        return True
    # not a year inside a relative clause or a "since" period of another event ("a process that
    # Mogadishu began in 2012", "pending since 2012"); otherwise the narrative goes on from it
    return not _RELATIVE.search(head) and not re.search(r"\bsince\s+(?:\w+\s+)?$", head, re.I)


_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose)\b", re.I)


def _frame(ctx: _Ctx, at: int, *, near: bool) -> tuple[int, int] | None:
    """The year a month or day without one inherits: the latest explicit year before
    ``at`` in the same paragraph and at most two sentences back (``near``), or within the
    previous 3000 characters for an explicit "that year"."""
    if not ctx.years:
        return None
    si, pi = ctx.sentence(at), ctx.paragraph(at)
    for start, year, ys, yp in reversed(ctx.years):
        if start >= at:
            continue
        if near:
            # the same sentence, or a year that frames the sentences after it: it opens its
            # own sentence ("In 2024, ... In February, ..."); a year deep inside an earlier
            # sentence dates that sentence's event only ("a process it began in 2012. ... on
            # 24 November" is the November before publication)
            if yp == pi and (ys == si or (ys >= si - 2 and _frames_sentence(ctx, ys, start))):
                return start, year
            return None
        if at - start <= 3000:
            return start, year
        return None
    return None


def _day_of(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _month_without_year(
    ctx: _Ctx, at: int, mon: int, day: int | None, res: _Res, *, pre: tuple[str, ...] = ()
) -> None:
    """Rule 2, with the frame first: inherit, else the publication-year rule for both
    tenses (past: not after publication; future: not before it)."""
    frame = _frame(ctx, at, near=True)
    last = pre[-1] if pre else ""
    forced = "past" if last in ("last", "past") else "future" if last in ("next", "coming") else ""
    if frame and not forced and last != "this":
        year = frame[1]
        # told in order: "signed in October 2023 ... ratified it in February" is the February
        # after; "on 15 December ... in January" the January after (unless that is after
        # publication)
        anchor = next((v for st, v in ctx.precise if st == frame[0]), "")
        if len(anchor) >= 7 and mon < int(anchor[5:7]):
            later = _iso(year + 1, mon, day)
            if ctx.ref is None or _day_of(later) <= ctx.ref[1]:
                year += 1
        res.value = _iso(year, mon, day)
        res.inherited, res.anchor, res.rule = True, frame[0], "inherited-year"
        res.explicit_year = year
        return
    if ctx.ref is None:
        res.relative, res.rule = True, "month-without-year:no-publication-date"
        return
    res.relative = True
    key = (mon, day or 0)

    def past(ref: date) -> str:
        r = (ref.month, ref.day if day else 0)
        y = ref.year if (key < r if forced == "past" else key <= r) else ref.year - 1
        return _iso(y, mon, day)

    def fut(ref: date) -> str:
        r = (ref.month, ref.day if day else 0)
        y = ref.year if (key > r if forced == "future" else key >= r) else ref.year + 1
        return _iso(y, mon, day)

    if last == "this":
        res.value = _both(ctx, lambda r: _iso(r.year, mon, day))
        res.rule = "this-month"
    elif forced == "future":
        res.value = _both(ctx, fut)
        res.future, res.rule = True, "next-month-name"
    else:
        res.value = _both(ctx, past)
        res.rule = "month-without-year:publication-year"
        if not forced:
            fv = _both(ctx, fut)
            if fv != res.value:
                res.future_value = fv
        if res.value and ctx.ref and int(res.value[:4]) < ctx.ref[0].year:
            res.rule = "month-without-year:year-before"


def _resolve(form: str, m: re.Match[str], ctx: _Ctx) -> _Res:
    g = m.groupdict()
    res = _Res(rule=form)
    text = ctx.text
    w = _date_words()

    if form == "iso":
        res.value = _iso(int(g["year"]), int(g["mon"]), int(g["day"]))
    elif form == "numeric":
        res.value = _numeric_date(g["num"])
    elif form in ("mdy", "dmy", "dayrange_md", "dayrange_dm"):
        mon, d1 = _month_no(g["mon"]), _day_no(g["day"])
        d2 = _day_no(g["day2"]) if g.get("day2") else None
        if g.get("year"):
            y = int(g["year"])
            res.value = _iso(y, mon, d1) if d2 is None else f"{_iso(y, mon, d1)}/{_iso(y, mon, d2)}"
        else:
            _month_without_year(ctx, m.start(), mon, d1, res)
            if d2 is not None:
                for attr in ("value", "future_value"):
                    v = getattr(res, attr)
                    if v:
                        setattr(res, attr, f"{v}/{v[:8]}{d2:02d}")
    elif form == "monyear":
        res.value = _iso(int(g["year"]), _month_no(g["mon"]))
    elif form == "month":
        mon = _month_no(g["mon"])
        before = _words_before(text, m.start(), 1)
        if g.get("relyear") and ctx.ref is not None:  # "in January last year"
            y = ctx.ref[0].year + {"last": -1, "this": 0, "next": 1}[g["relyear"].split()[-2].lower()]
            res.value, res.relative = _iso(y, mon), True
            res.rule, res.explicit_year = "month-relative-year", y
        elif g["anaph"] or before == ["that"]:  # "July of that year", "that July"
            frame = _frame(ctx, m.start(), near=False)
            if frame:
                res.value, res.inherited, res.anchor = _iso(frame[1], mon), True, frame[0]
                res.rule, res.explicit_year = "that-year", frame[1]
            else:
                res.rule = "that-year:no-anchor"
        else:
            _month_without_year(ctx, m.start(), mon, None, res, pre=tuple(_words_before(text, m.start())))
    elif form == "monrange":
        m1, m2 = _month_no(g["mon"]), _month_no(g["mon2"])
        y2 = int(g["year2"]) if g["year2"] else (int(g["year"]) if g["year"] else None)
        y1 = int(g["year"]) if g["year"] else (y2 - (1 if m1 > m2 else 0) if y2 else None)
        if y1 is not None and y2 is not None:
            res.value = f"{_iso(y1, m1)}/{_iso(y2, m2)}"
        else:
            r2 = _Res()
            _month_without_year(ctx, m.start(), m2, None, r2)
            if r2.value:
                y2 = int(r2.value[:4])
                y1 = y2 - (1 if m1 > m2 else 0)
                res.value = f"{_iso(y1, m1)}/{_iso(y2, m2)}"
                res.relative, res.inherited, res.anchor = r2.relative, r2.inherited, r2.anchor
            res.rule = "month-range:" + r2.rule
    elif form == "yearrange":
        y1, y2s = int(g["year"]), g["year2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 < y1:
            return _Res(rule="reject")
        res.value = f"{y1:04d}/{y2:04d}"
        res.explicit_year = y2
    elif form == "decade":
        if g["cent"]:
            base = int(g["cent"]) * 100 + int(g["dec"]) * 10
        else:
            d = int(g["dec2"])
            base = (1900 if d >= 3 else 2000) + d * 10
        lo, hi = w["decade_parts"][g["mod"] or ""]
        res.value, res.vague = f"{base + lo}/{base + hi}", True
    elif form == "yearmod":
        y = int(g["year"])
        mod = re.sub(r"\s+", " ", g["mod"]).strip(" -").lower()
        mod = re.sub(r"^(at )?the ", "", mod)
        part = next((v for k, v in w["period_parts"].items() if k.lower() == mod), None)
        res.value = f"{_iso(y, part[0])}/{_iso(y, part[1])}" if part else _iso(y)
        res.explicit_year = y
    elif form == "seasonyear":
        res.value = _iso(int(g["year"]))
        res.explicit_year = int(g["year"])
    elif form == "season":
        _season(ctx, g, res, m.start())
    elif form == "ago":
        _ago(ctx, g, res, w)
    elif form == "pastn":
        n = _count(g["n"], w)
        unit = g["unit"].lower()
        res.relative = True
        if unit == "decades" or n is None:
            res.vague = True
        elif unit == "years":
            res.value = _both(ctx, lambda r: f"{r.year - n:04d}/{r.year:04d}")
        elif unit == "months":
            res.value = _both(ctx, lambda r: f"{_iso(*_add_months(r.year, r.month, -n))}/{_iso(r.year, r.month)}")
        elif unit == "weeks":
            res.value = _both(ctx, lambda r: f"{r - timedelta(weeks=n)}/{r}")
        else:
            res.value = _both(ctx, lambda r: f"{r - timedelta(days=n)}/{r}")
    elif form == "nextn":
        res.relative, res.vague, res.future = True, True, True
    elif form == "anaph":
        _anaphora(ctx, m, g, res, w)
    elif form == "phrase":
        _phrase(ctx, g["phrase"], res, w)
    elif form == "weekday":
        _weekday(ctx, g, res, w)
    elif form == "year":
        res.value = g["year"]
        res.explicit_year = int(g["year"])
    if res.explicit_year is None and res.value and not res.vague and "/" not in res.value:
        if form not in ("ago", "phrase", "weekday", "pastn") or res.value.count("-") == 0:
            res.explicit_year = int(res.value[:4])
    return res


def _count(s: str, w: dict[str, Any]) -> int | None:
    s = re.sub(r"\s+", " ", s.lower())
    if s.isdigit():
        return int(s)
    return w["number_words"].get(s)


def _season(ctx: _Ctx, g: dict[str, Any], res: _Res, at: int = 0) -> None:
    """Rule 3: a season gives the year only (winter: the year of its January). "That
    summer", "the same autumn": the year mentioned last, like "that year"."""
    w = _date_words()
    first, last = w["seasons"][g["season"].lower()]
    pre = re.sub(r"\s+", " ", g["pre"].strip().lower())
    res.relative, res.rule = True, "season"
    if pre in ("that", "that same", "the same"):
        frame = _frame(ctx, at, near=False)
        if frame is None:
            res.rule = "season:no-anchor"
            return
        res.value, res.inherited, res.anchor, res.explicit_year = _iso(frame[1]), True, frame[0], frame[1]
        res.rule = "season:that-year"
        return
    winter = first > last

    def past_year(ref: date, strict: bool) -> str:
        end_m = last
        if winter:
            # the winter ending in February of year Y is "winter Y"
            return _iso(ref.year if ref.month > end_m or (not strict and ref.month <= 2) else ref.year - 1)
        done = ref.month > end_m if strict else ref.month >= first
        return _iso(ref.year if done else ref.year - 1)

    def next_year(ref: date, strict: bool) -> str:
        if winter:
            return _iso(ref.year + 1 if ref.month >= 3 or not strict else ref.year)
        upcoming = ref.month < first if strict else ref.month <= last
        return _iso(ref.year if upcoming else ref.year + 1)

    if pre in ("last", "this past"):
        res.value = _both(ctx, lambda r: past_year(r, True))
    elif pre in ("next", "this coming"):
        res.value = _both(ctx, lambda r: next_year(r, True))
        res.future = True
    elif pre == "this":
        res.value = _both(ctx, lambda r: _iso(r.year + (1 if winter and r.month == 12 else 0)))
    else:
        res.value = _both(ctx, lambda r: past_year(r, False))
        fv = _both(ctx, lambda r: next_year(r, False))
        if fv != res.value:
            res.future_value = fv


def _ago(ctx: _Ctx, g: dict[str, Any], res: _Res, w: dict[str, Any]) -> None:
    unit = g["unit"].lower().rstrip("s")
    n = _count(g["n"], w)
    res.relative, res.rule = True, "ago"
    if n is None:
        # "a few weeks ago": a window; keep the month or year only when the whole window
        # falls in one (rule 4: the year when unambiguous)
        res.vague = True
        windows = {"day": (2, 9), "week": (14, 42), "month": (60, 200)}
        if unit in windows and ctx.ref:
            a, b = windows[unit]
            lo = _day_iso(ctx.ref[0] - timedelta(days=b))
            hi = _day_iso(ctx.ref[1] - timedelta(days=a))
            v = _common(lo, hi)
            res.value = v if unit != "month" or (v and len(v) == 4) else (v[:4] if v else None)
        return
    if unit == "day":
        res.value = _both(ctx, lambda r: _day_iso(r - timedelta(days=n)))
    elif unit == "week":
        res.value = _both(ctx, lambda r: _day_iso(r - timedelta(weeks=n)))
    elif unit == "month":
        res.value = _both(ctx, lambda r: _iso(*_add_months(r.year, r.month, -n)))
    elif unit == "year":
        res.value = _both(ctx, lambda r: _iso(r.year - n))
        if res.value:
            res.explicit_year = int(res.value)
    else:
        res.vague = True  # "three decades ago" (rule 4)


def _anaphora(ctx: _Ctx, m: re.Match[str], g: dict[str, Any], res: _Res, w: dict[str, Any]) -> None:
    frame = _frame(ctx, m.start(), near=False)
    res.rule = "anaphora"
    if g.get("sameday"):
        # "On the same day, the following documents were signed": the last day named, not
        # the last date ("since December 2021" in between says nothing of the day)
        anchor = next(((st, v) for st, v in reversed(ctx.precise)
                       if st < m.start() and len(v) == 10 and m.start() - st <= 3000
                       and not _SINCE_BEFORE.search(ctx.text, max(0, st - 80), st)), None)
        res.rule = "anaphora:day"
        if anchor is not None:
            res.value, res.inherited, res.anchor = anchor[1], True, anchor[0]
            res.future = _is_future(res.value, ctx.pub)
        return
    if g["n"] is not None:
        n = _count(g["n"], w)
        unit = g["unit"].lower().rstrip("s")
        sign = 1 if g["dir"].lower() == "later" else -1
        if n is None:
            res.vague = True
            return
        if unit == "decade":
            n, unit, res.vague = n * 10, "year", True
        if unit in ("month", "week", "day"):
            # "two days later", "three months later": from the last date precise enough
            need = 10 if unit != "month" else 7
            # the date mentioned last, if it is precise enough ("In 2020 ...; two days later": none)
            anchor = next(((st, v) for st, v in reversed(ctx.precise) if st < m.start()), None)
            res.rule = "anaphora:" + unit
            if anchor is not None and unit == "day" and n <= 7 and len(anchor[1]) == 7 \
                    and m.start() - anchor[0] <= 3000 and sign > 0:
                # "In February, ... The parliament approved it two days later": that month
                res.value, res.inherited, res.anchor = anchor[1], True, anchor[0]
                res.future = _is_future(res.value, ctx.pub)
                return
            if anchor is None or m.start() - anchor[0] > 3000 or len(anchor[1]) < need:
                return
            st, v = anchor
            if unit == "month":
                res.value = _iso(*_add_months(int(v[:4]), int(v[5:7]), sign * n))
            else:
                d0 = date.fromisoformat(v[:10])
                res.value = _day_iso(d0 + timedelta(days=sign * n * (7 if unit == "week" else 1)))
            res.inherited, res.anchor = True, st
            res.future = _is_future(res.value, ctx.pub)
            return
        delta = sign * n
    elif g["rel"]:
        delta = 1 if g["rel"].lower() in ("following", "next", "subsequent") else -1
    elif g["ba"]:
        delta = -1 if g["ba"].lower() == "before" else 1
    else:
        delta = 0
    if frame is None:
        res.rule = "anaphora:no-anchor"
        return
    y = frame[1] + delta
    res.value, res.inherited, res.anchor, res.explicit_year = _iso(y), True, frame[0], y
    res.future = _is_future(res.value, ctx.pub)


# "since the establishment of relations on 26 March 1990": the start of a state of
# affairs, not a day the text goes on to tell of ("on the same day")
_SINCE_BEFORE = re.compile(r"\bsince\b[^,;.]*\Z", re.IGNORECASE)


def _phrase(ctx: _Ctx, phrase: str, res: _Res, w: dict[str, Any]) -> None:
    key = re.sub(r"\s+", " ", phrase.lower())
    res.relative, res.rule = True, "relative:" + key
    if key in w["future_vague"]:
        res.vague, res.future = True, True
        return
    if key in w["vague"]:
        res.vague = True
        return
    kind, n = w["relative"][key]
    res.future = key in w["future_relative"]
    if kind == "day":
        res.value = _both(ctx, lambda r: _day_iso(r + timedelta(days=n)))
    elif kind == "week":
        def week(r: date) -> str:
            monday = r - timedelta(days=r.weekday()) + timedelta(weeks=n)
            return f"{monday}/{monday + timedelta(days=6)}"
        res.value = _both(ctx, week)
    elif kind == "month":
        res.value = _both(ctx, lambda r: _iso(*_add_months(r.year, r.month, n)))
    elif kind == "year":
        res.value = _both(ctx, lambda r: _iso(r.year + n))
    elif kind == "weekend":
        def weekend(r: date) -> str:
            if n > 0:
                sat = r + timedelta(days=(5 - r.weekday()) % 7 or 7)
            else:
                sat = r - timedelta(days=(r.weekday() - 5) % 7)
            return f"{sat}/{sat + timedelta(days=1)}"
        res.value = _both(ctx, weekend)
        res.future = n > 0
    elif kind == "past_months":
        res.value = _both(ctx, lambda r: f"{_iso(*_add_months(r.year, r.month, -n))}/{_iso(r.year, r.month)}")
    elif kind == "present":
        res.value = ctx.pub.value if ctx.pub and ctx.pub.precision != "interval" else None


def _weekday(ctx: _Ctx, g: dict[str, Any], res: _Res, w: dict[str, Any]) -> None:
    """Rule 1: past -> the latest such day on or before publication; future -> the next
    (strictly after for "next Friday", so said on a Friday it is seven days later)."""
    wd = w["weekdays"][g["wd"]]
    pre = re.sub(r"\s+", " ", (g["pre"] or "").lower())
    res.relative, res.rule = True, "weekday"

    def on_or_before(r: date) -> str:
        return _day_iso(r - timedelta(days=(r.weekday() - wd) % 7))

    def before(r: date) -> str:
        return _day_iso(r - timedelta(days=(r.weekday() - wd) % 7 or 7))

    def on_or_after(r: date) -> str:
        return _day_iso(r + timedelta(days=(wd - r.weekday()) % 7))

    def after(r: date) -> str:
        return _day_iso(r + timedelta(days=(wd - r.weekday()) % 7 or 7))

    if pre in ("last", "this past"):
        res.value = _both(ctx, before)
    elif pre in ("next", "this coming"):
        res.value, res.future = _both(ctx, after), True
    else:
        res.value = _both(ctx, on_or_before)
        fv = _both(ctx, on_or_after)
        if fv != res.value:
            res.future_value = fv


_BOUNDS = {
    "since": "since",
    "until": "until",
    "till": "until",
    "through": "until",
    "by": "by",
    "before": "before",
    "after": "after",
}


def _bound(text: str, start: int) -> str | None:
    before = _words_before(text, start, 2)
    if before[-2:] == ["as", "of"]:
        return "as_of"
    if before and before[-1] in _BOUNDS:
        return _BOUNDS[before[-1]]
    if len(before) == 2 and before[0] in _BOUNDS and before[1] in ("the", "early", "late", "mid"):
        return _BOUNDS[before[0]]
    return None


def find_dates(text: str, *, published: PartialDate | None) -> list[DateMention]:
    """Find and resolve the date expressions of ``text``, sorted by start offset.

    ``published`` is the reference for relative expressions (any precision; with a month-
    or year-precision date a relative expression keeps only what both ends of that period
    agree on). Without it, relative expressions are found but get no value.

    >>> [m.value.value for m in find_dates(
    ...     "In 2024, they signed a treaty. In February, it was ratified.",
    ...     published=PartialDate.parse("2025-03-01"))]
    ['2024', '2024-02']
    """
    if not isinstance(text, str):
        raise TypeError(f"find_dates needs the document text as str, not {type(text).__name__}")
    if published is not None and not isinstance(published, PartialDate):
        raise TypeError(
            f"published must be a PartialDate or None, not {published!r}; "
            "use PartialDate.parse('2025-03-06')"
        )
    sents = sentence_spans(text)
    paras = [0] + [m.end() for m in re.finditer(r"\n", text)]
    ctx = _Ctx(text, published, _pub_range(published), [s for s, _ in sents] or [0], paras, [])
    out: list[DateMention] = []
    for start, end, form, m in _candidates(text):
        res = _resolve(form.name, m, ctx)
        if res.rule == "reject":
            continue
        span = text[start:end]
        value = _pd(res.value, span)
        fvalue = _pd(res.future_value, span) if res.future_value else None
        future = res.future or _is_future(res.value, published)
        out.append(
            DateMention(
                start=start,
                end=end,
                text=span,
                value=value,
                relative=res.relative,
                vague=res.vague,
                future=future,
                inherited=res.inherited,
                bound=_bound(text, start),  # type: ignore[arg-type]
                anchor=res.anchor,
                rule=res.rule,
                future_value=fvalue,
            )
        )
        if res.explicit_year is not None and not res.vague:
            ctx.years.append((start, res.explicit_year, ctx.sentence(start), ctx.paragraph(start)))
        if res.value and not res.vague and "/" not in res.value:
            ctx.precise.append((start, res.value))
    return out


# ---------------------------------------------------------------------------------------
# Which date governs a span


_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though)\b|\bwhile\b|\bbut\b")
# Between an earlier date and the trigger, "and" also starts a new predicate ("set up
# relations in 1992 and opened embassies in 1996").
_CLAUSE_BREAK_BEFORE = re.compile(r";|\b(?:and|but|while|whereas|although|though|which)\b")


def date_for_span(
    dates: list[DateMention],
    start: int,
    end: int,
    text: str,
    *,
    anchor: int | None = None,
) -> DateMention | None:
    """The date mention that governs the clause or sentence ``text[start:end]``.

    Candidates are the mentions inside the span. With ``anchor`` (the offset of the claim's
    trigger word) the nearest one wins, a mention in another clause counting as far (";",
    "but", "while" between them, or "and" between an earlier date and the trigger: "set up
    relations in 1992 and opened embassies in 1996"); mentions with a value beat vague
    ones. Without an anchor the
    first mention with a value wins. Returns None when the span has no date mention: the
    caller then applies ANNOTATION rule 5 (same-day report defaults) or leaves the date null.
    """
    inside = [d for d in dates if d.start >= start and d.end <= end]
    if not inside:
        return None
    if anchor is None:
        return next((d for d in inside if d.value is not None and not d.vague), inside[0])

    def cost(d: DateMention) -> tuple[int, int, int]:
        if d.end <= anchor:
            lo, hi = d.end, anchor
            crosses = 1 if _CLAUSE_BREAK_BEFORE.search(text, lo, hi) else 0
        else:
            lo, hi = anchor, d.start
            crosses = 1 if _CLAUSE_BREAK.search(text, lo, hi) else 0
        weak = 1 if (d.value is None or d.vague) else 0
        return (crosses, weak, hi - lo)

    return min(inside, key=cost)


def with_value(mention: DateMention, value: PartialDate | None) -> DateMention:
    """A copy of ``mention`` with another value (for callers that refine a resolution)."""
    return replace(mention, value=value)
