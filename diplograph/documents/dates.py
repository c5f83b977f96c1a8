"""Publication dates: parsing date expressions from metadata, and finding the date an
article's own header (or, as a fallback, its "Last modified" footer) gives.

Only expressions that name at least a month and a year count in a header: a bare year
("2013") near the top of a page is more often a view count or a copyright than a date.
Dates deep in the body are never taken: a treaty signed in 1992 is not a publication date.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from ..models import PartialDate

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern names its groups; the first that matches a line wins, in this order.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d-])")),
    ("dmy", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("mdy", re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    # 06.03.2025 and 06-03-2025: day first, as everywhere these separators are used
    ("dmy_num", re.compile(rf"(?<![\d.])(?P<day>[0-3]?\d)[.-](?P<month>[01]?\d)[.-]{_YEAR}\b")),
    # 03/06/2025: month first unless the first number cannot be a month
    ("slash", re.compile(rf"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{_YEAR}\b")),
    ("my", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I)),
]

# A line that announces a date: "Published: …", "Posted on …", "Last modified on …"
_CUE = re.compile(
    r"\b(?:published|posted|updated|last\s+(?:modified|updated)|date|released|issued)\b\s*(?:on|:)?",
    re.I,
)
_FOOTER_CUE = re.compile(r"\b(?:last\s+(?:modified|updated)|published|posted)\b\s*(?:on|:)?", re.I)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a line: the date, where it sits in the line."""

    date: PartialDate
    start: int
    end: int


def find_date(line: str, *, today: date | None = None) -> DateMatch | None:
    """The first plausible publication date written in ``line`` (month and year at least)."""
    today = today or date.today()
    for kind, pat in _PATTERNS:
        for m in pat.finditer(line):
            pd = _from_match(kind, m, today)
            if pd is not None:
                return DateMatch(pd, m.start(), m.end())
    return None


def _from_match(kind: str, m: re.Match[str], today: date) -> PartialDate | None:
    g = m.groupdict()
    year = int(g["year"])
    if kind == "slash":
        a, b = int(g["a"]), int(g["b"])
        month, day = (b, a) if a > 12 else (a, b)
    else:
        month = MONTHS[g["mon"].lower()[:3]] if g.get("mon") else int(g["month"])
        day = int(g["day"]) if g.get("day") else None
    text = m.group(0).strip()
    if not 1 <= month <= 12 or year > today.year + 1:
        return None
    if day is None:
        return PartialDate(f"{year:04d}-{month:02d}", "month", text)
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    if (d - today).days > 2:  # a publication date is not in the future
        return None
    return PartialDate(d.isoformat(), "day", text)


def header_date(line: str) -> tuple[DateMatch, bool] | None:
    """A date in a header line, and whether the line is only a date (plus a section name,
    a time or a cue word) so that it can leave the prose. Long prose lines don't count."""
    m = find_date(line)
    if m is None:
        return None
    rest = line[: m.start] + " " + line[m.end :]
    rest = re.sub(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?", " ", rest, flags=re.I)
    rest = _CUE.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest)
    if len(words) > 12:
        return None  # a sentence that mentions a date, not a dateline
    return m, len(words) <= 3


def footer_date(line: str) -> DateMatch | None:
    """A date announced as "Last modified on …" / "Published …" (used only as a fallback)."""
    cue = _FOOTER_CUE.search(line)
    if not cue:
        return None
    return find_date(line[cue.end() :])


_PLACE = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"  # ALMATY, NEW DELHI, XI'AN
_DATELINE = re.compile(
    rf"^(?:{_PLACE}(?:\s*/\s*{_PLACE}){{0,3}}"  # KABUL/ISLAMABAD
    r"(?:,\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}(?=\s*,))?"  # XI'AN, China,
    r"|[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}(?=\s*(?:\([^)]*\))?,))"  # Almaty, (needs the comma)
    r"\s*(?:\([^)]{1,30}\))?,?\s+$"
)


def dateline_date(paragraph: str) -> DateMatch | None:
    """ "ASTANA, March 6, 2025 – …": a dateline at the very start of the first paragraph."""
    m = find_date(paragraph[:120])
    if m is None or m.date.precision != "day":
        return None
    if not _DATELINE.match(paragraph[: m.start]):
        return None
    if not re.match(r"\s*(?:\([^)]{1,30}\)\s*)?[-–—:(]", paragraph[m.end :]):
        return None
    return m


_ISO_FULL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_date(value: object) -> PartialDate | None:
    """Parse a metadata date (ISO, RFC 2822, or a written date such as "6 March 2025").
    Returns None when nothing sensible can be read from it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return PartialDate(value.date().isoformat(), "day", value.isoformat())
    if isinstance(value, date):
        return PartialDate(value.isoformat(), "day", value.isoformat())
    text = str(value).strip()
    if not text:
        return None
    m = _ISO_FULL.fullmatch(text)
    if m:
        y, mo, d = m.groups()
        try:
            if d:
                return PartialDate(date(int(y), int(mo), int(d)).isoformat(), "day", text)
            if mo and 1 <= int(mo) <= 12:
                return PartialDate(f"{y}-{mo}", "month", text)
            if not mo:
                return PartialDate(y, "year", text)
        except ValueError:
            return None
        return None
    try:
        dt = email.utils.parsedate_to_datetime(text)
        return PartialDate(dt.date().isoformat(), "day", text)
    except (TypeError, ValueError, IndexError):
        pass
    found = find_date(text)
    if found:
        return PartialDate(found.date.value, found.date.precision, text)
    return _dateparser(text)


@lru_cache(maxsize=1)
def _date_data_parser():  # imported lazily: dateparser takes a while to load
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "PREFER_DAY_OF_MONTH": "first",
        # "last Tuesday" in a metadata field says nothing without its own reference date
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    })


def _dateparser(text: str) -> PartialDate | None:
    if not re.search(r"\b(?:19|20)\d\d\b", text):
        return None  # no year written: "last Tuesday" means nothing without a reference date
    try:
        data = _date_data_parser().get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd strings
        return None
    if not data or data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "year":
        return PartialDate(f"{d.year:04d}", "year", text)
    if data.period == "month":
        return PartialDate(f"{d.year:04d}-{d.month:02d}", "month", text)
    return PartialDate(d.isoformat(), "day", text)
