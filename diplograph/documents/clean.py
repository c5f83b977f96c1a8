"""Cleaning page furniture out of an article's text, and reading what the furniture says.

``clean(text)`` keeps the article's lines (in order, with their own words) and drops what
belongs to the page: ticker strips (kept as data in ``extras["ticker"]``), lines repeated
across the page, header labels (section, reading time, view counts), photo credits, share
buttons, sign-up boxes, "Related news" blocks, counters, trailing link lists. On the way it
reads the headline, the author and the date the header (or footer) gives.

The rules are line patterns from ``diplograph/data/en/furniture.yaml`` plus a few
structural ones (repetition, position in the page, line length). A line of real prose is
never dropped for its position: only short lines can be furniture, except inside a ticker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..models import PartialDate
from . import dates

# A line this long (in words) is prose: it ends the header zone and is never furniture
# by position alone.
PROSE_WORDS = 20
HEADER_LINES = 15  # how far from the top a header (date, byline, headline) is looked for
REPEATED = 3  # a short line seen this often on one page is furniture (menus, strips)
SHORT_WORDS = 12

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")

# Ticker items: "KGS/USD = 0.01143 0%", "EUR/USD 1.0832 -0.12%", "Brent: 82.10 (+0.4%)"
_TICKER_ITEM = re.compile(
    r"(?P<pair>[A-Z]{3}/[A-Z]{3}|[A-Z][A-Za-z&.^]*(?:\s[A-Z0-9][A-Za-z0-9&.^]*){0,2})"
    r"\s*(?P<eq>[=:])?\s*[$€£]?(?P<value>[-+−]?\d[\d,]*(?:\.\d+)?)"
    r"(?:\s*\(?(?P<change>[-+−]?\d+(?:[.,]\d+)?)\s*%\)?)?"
)
_BULLET = re.compile(r"[\s•·|▲▼►◄↑↓,;]+")
_NAME = r"[A-Z][\w'’-]*\.?(?:\s+(?:[A-Z][\w'’-]*\.?|de|da|van|von|der|al|bin|ibn))"
_NAME_LINE = re.compile(rf"(?P<name>{_NAME}{{1,3}}),?")


@dataclass
class Cleaned:
    """The cleaned text and what was read from the page around it."""

    text: str
    title: str | None = None
    author: str | None = None
    published: PartialDate | None = None  # from the header
    published_footer: PartialDate | None = None  # "Last modified on …": a fallback only
    extras: dict[str, Any] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (rule, line), for debugging


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    max_words: int
    header_only: bool = False


@dataclass(frozen=True)
class _Furniture:
    lines: tuple[_Rule, ...]
    blocks: re.Pattern[str]
    authors: tuple[_Rule, ...]
    badges: re.Pattern[str]


@lru_cache(maxsize=1)
def furniture() -> _Furniture:
    """The furniture rules, loaded once from data/en/furniture.yaml."""
    raw = resources.files("diplograph").joinpath("data/en/furniture.yaml").read_text("utf-8")
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml(raw)
    lines = tuple(
        _Rule(r["name"], re.compile(r["pattern"], re.I), int(r.get("max_words", SHORT_WORDS)))
        for r in data["lines"]
    )
    blocks = re.compile(r"(?:" + "|".join(data["blocks"]) + r")\s*:?", re.I)
    authors = tuple(
        _Rule(r["name"], re.compile(r["pattern"]), int(r.get("max_words", SHORT_WORDS)),
              bool(r.get("header_only")))
        for r in data["authors"]
    )
    badges = re.compile(r"\s+(?:" + "|".join(map(re.escape, data["title_badges"])) + r")$")
    return _Furniture(lines, blocks, authors, badges)


def normalise_line(line: str) -> str:
    """One line as it is kept: invisible characters removed, spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _is_prose(line: str) -> bool:
    return _words(line) >= PROSE_WORDS


def ticker_items(line: str) -> list[dict[str, Any]] | None:
    """The rates of a line made only of ticker items, or None if it is anything else.
    Every item must carry ``=`` or a % change, so "Article 5 12" is not a ticker."""
    items = []
    pos = 0
    for m in _TICKER_ITEM.finditer(line):
        if _BULLET.sub("", line[pos : m.start()]):
            return None
        if not (m.group("eq") or m.group("change") is not None) or not ("/" in m.group("pair") or m.group("change") is not None):
            return None
        value = float(m.group("value").replace(",", "").replace("−", "-"))
        change = m.group("change")
        items.append({
            "pair": m.group("pair"),
            "value": value,
            "change": float(change.replace(",", ".").replace("−", "-")) if change is not None else None,
        })
        pos = m.end()
    if not items or _BULLET.sub("", line[pos:]):
        return None
    return items


def _match_rule(rules: tuple[_Rule, ...], line: str, words: int) -> tuple[_Rule, re.Match[str]] | None:
    for rule in rules:
        if words <= rule.max_words:
            m = rule.pattern.fullmatch(line)
            if m:
                return rule, m
    return None


def clean(text: str) -> Cleaned:
    """Remove page furniture from ``text`` (newlines already normalised to ``\\n``)."""
    rules = furniture()
    lines = [normalise_line(x) for x in text.split("\n")]
    n = len(lines)
    keep = [bool(x) for x in lines]
    out = Cleaned(text="")
    author: dict[str, str] = {}  # how -> name, best kept first

    def drop(i: int, why: str) -> None:
        if keep[i]:
            keep[i] = False
            out.dropped.append((why, lines[i]))

    # 1. ticker strips: keep the first copy of each pair as data, drop every copy
    ticker: dict[str, dict[str, Any]] = {}
    for i, line in enumerate(lines):
        if line and len(line) < 400:
            items = ticker_items(line)
            if items:
                for it in items:
                    ticker.setdefault(it["pair"], it)
                drop(i, "ticker")
    if ticker:
        out.extras["ticker"] = list(ticker.values())

    # 2. short lines repeated across the page (menus, strips, "Advertisement")
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        if keep[i] and _words(line) <= SHORT_WORDS:
            key = line.lower()
            counts[key] = counts.get(key, 0) + 1
    for i, line in enumerate(lines):
        if keep[i] and counts.get(line.lower(), 0) >= REPEATED:
            drop(i, "repeated")

    # 3. line patterns; a footer date is read before its line goes
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        words = _words(line)
        hit = _match_rule(rules.lines, line, words)
        if hit:
            rule, m = hit
            if rule.name in ("read_count", "last_modified") and out.published_footer is None:
                fd = dates.footer_date(line)
                if fd:
                    out.published_footer = fd.date
            if "author" in m.groupdict() and m.group("author"):
                name = _clean_name(m.group("author"))
                if name:
                    author.setdefault("more_from", name)
            drop(i, rule.name)

    # 4. related-article blocks: the heading and the short lines after it
    for i, line in enumerate(lines):
        if keep[i] and _words(line) <= 8 and rules.blocks.fullmatch(line):
            drop(i, "block")
            j = i + 1
            while j < n and (not lines[j] or (not _is_prose(lines[j]) and not _ends_sentence(lines[j]))):
                drop(j, "block")
                j += 1

    # 5. the header: date line, byline, labels, headline
    header = _header_zone(lines, keep)
    for i in header:
        line = lines[i]
        hit = _match_rule(rules.authors, line, _words(line))
        if hit and "byline" not in author:
            name = _clean_name(hit[1].group("author"))
            if name:
                author["byline"] = name
                # the byline may carry the date too: "By Jane Doe | March 6, 2025"
                if out.published is None:
                    fd = dates.find_date(line)
                    if fd:
                        out.published = fd.date
                drop(i, "byline")
                continue
        if out.published is None:
            hd = dates.header_date(line)
            if hd:
                out.published = hd[0].date
                if hd[1]:
                    drop(i, "dateline")
                continue
        if re.fullmatch(r"[\d,.\s]+", line) or re.fullmatch(r"[A-Z][A-Z &/-]{1,30}", line):
            drop(i, "label")  # view counts, "POLITICS", "WORLD / ASIA" above the headline
            continue
        if out.title is None and _looks_like_title(line):
            stripped = rules.badges.sub("", line)
            if stripped != line:
                lines[i] = stripped
            out.title = stripped
    if out.published is None:
        # a line that is only a date ("Published: 4 March 2024") below a headline long
        # enough to look like prose
        for i in [i for i in range(n) if keep[i]][: HEADER_LINES * 2]:
            hd = dates.header_date(lines[i])
            if hd and hd[1]:
                out.published = hd[0].date
                drop(i, "dateline")
                break
    if out.published is None:
        first = next((i for i in range(n) if keep[i] and _is_prose(lines[i])), None)
        if first is not None and first < HEADER_LINES * 3:
            dl = dates.dateline_date(lines[first])
            if dl:
                out.published = dl.date

    # 6. the tail: author box, signature, trailing link lists
    _tail(lines, keep, author, drop)

    # authors named anywhere ("About the author: …")
    for i, line in enumerate(lines):
        if not line:
            continue
        hit = _match_rule(tuple(r for r in rules.authors if not r.header_only), line, _words(line))
        if hit:
            name = _clean_name(hit[1].group("author"))
            if name:
                author.setdefault("about", name)
    for how in ("byline", "about", "more_from", "signature", "bio"):
        if how in author:
            out.author = author[how]
            break

    # 7. assemble: consecutive copies of one line collapse, blank runs become one blank line
    kept: list[str] = []
    last = None
    for i in range(n):
        if keep[i]:
            if lines[i] == last:
                out.dropped.append(("duplicate", lines[i]))
                continue
            if kept and kept[-1] != "" and _blank_before(i, lines, keep):
                kept.append("")
            kept.append(lines[i])
            last = lines[i]
    out.text = "\n".join(kept).strip()
    return out


def _blank_before(i: int, lines: list[str], keep: list[bool]) -> bool:
    """Whether a blank line or dropped furniture sits between line i and the kept line
    before it: paragraph breaks survive, and a removed block leaves one blank line."""
    return i > 0 and not keep[i - 1]


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?…][\"”’')\]]*$", line)) and _words(line) > 8


def _header_zone(lines: list[str], keep: list[bool]) -> list[int]:
    """Indices of kept lines above the first prose line, at most HEADER_LINES of them."""
    zone = []
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if _is_prose(line) or len(zone) >= HEADER_LINES:
            break
        zone.append(i)
    return zone


def _looks_like_title(line: str) -> bool:
    w = _words(line)
    if not 3 <= w <= 30:
        return False
    if re.search(r"[.,;:]$", line) and not line.endswith("..."):
        return False  # a sentence or a label, not a headline
    return line[0].isupper() or line[0] in "\"“‘'"


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = re.split(r"\s+(?:and|&)\s*$", name.strip(" ,.|-–—"))[0].strip()
    if not name or len(name) > 80 or not re.match(r"[A-Z]", name):
        return None
    return name


def _tail(lines: list[str], keep: list[bool], author: dict[str, str], drop: Any) -> None:
    kept = [i for i in range(len(lines)) if keep[i]]
    if not kept:
        return
    # trailing run of link titles ("silkroad", "AFPC", …) after the last paragraph
    run: list[int] = []
    for i in reversed(kept):
        line = lines[i]
        if _words(line) <= 4 and not re.search(r"[.!?,:;\"”]$", line):
            run.append(i)
        else:
            break
    if len(run) >= 3:
        for i in run:
            drop(i, "link_list")
    tail = [i for i in kept if keep[i]][-12:]
    # a name on its own line, then a bio starting with that name: the author box
    for a, i in enumerate(tail):
        m = _NAME_LINE.fullmatch(lines[i])
        if not m:
            continue
        name = m.group("name")
        for j in tail[a + 1 :]:
            if lines[j].startswith(name + " ") and _is_prose(lines[j]):
                author.setdefault("bio", name)
                break
        # "Jane Doe,\nSenior Fellow" as the last lines: a signature
        if lines[i].endswith(",") and a >= len(tail) - 3 and a + 1 < len(tail) and _words(lines[tail[a + 1]]) <= 6:
            author.setdefault("signature", name)
