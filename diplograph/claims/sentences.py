"""Sentence and paragraph segmentation with character offsets (fast, rule-based).

A parse of every sentence is too slow for the throughput we need, so sentences are found
with rules that know the genre's abbreviations (U.S., Dr., Gen., Jan.), and only the
sentences that can carry a claim are parsed later."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm", "gov", "sen",
    "rep", "pres", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "km", "mt",
    "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "fig", "ca", "cf", "al",
    "h.e", "hon", "amb",  # His/Her Excellency, the Honourable, Ambassador (protocol titles)
}
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and an
# upper-case letter, digit or opening quote; or at a line break.
_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|;(?=\s)|\n""")
# A wire dateline ("NIAMEY, Jan. 29, 2025 (Sahel Report) — ", "KABUL/ISLAMABAD, ...") is a segment of its own, so
# the place that opens the story is not read as the subject of its first sentence.
_DATELINE = re.compile(r"""[A-Z][A-Z .'’/-]{2,40}(?:,[^\n—–]{0,80}?)?\s[—–-]{1,2}\s""")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; each keeps its offsets and paragraph number."""
    out: list[Sentence] = []
    para = 0
    pos = 0
    n = len(text)
    while pos < n:
        lead_ws = len(text[pos:]) - len(text[pos:].lstrip())
        d = _DATELINE.match(text, pos + lead_ws)
        if d and (pos + lead_ws == 0 or text[pos + lead_ws - 1] == "\n"):
            s, e = pos + lead_ws, d.end()
            out.append(Sentence(s, e, text[s:e].rstrip(), para, len(out)))
            pos = e
            continue
        # paragraph breaks: a blank line or, in one-paragraph-per-line text, any newline
        m = _END.search(text, pos)
        while m and m.group(0) != "\n" and _is_abbreviation(text, m.start()):
            m = _END.search(text, m.end())
        end = m.end() if m else n
        chunk = text[pos:end]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = pos + lead, pos + len(chunk.rstrip())
        if e > s:
            out.append(Sentence(s, e, text[s:e], para, len(out)))
        if m and m.group(0) == "\n":
            para += 1
        pos = end
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


def bucket(sentences: list[Sentence], items: list[Any]) -> dict[int, list[Any]]:
    """The items (mentions, dates, figures: anything with a ``start``) by the sentence each starts in."""
    out: dict[int, list[Any]] = {s.index: [] for s in sentences}
    i = 0
    for item in sorted(items, key=lambda x: x.start):
        while i < len(sentences) and sentences[i].end <= item.start:
            i += 1
        if i < len(sentences) and sentences[i].start <= item.start:
            out[sentences[i].index].append(item)
    return out
