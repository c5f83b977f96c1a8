"""Who says it: the speaker of a quote, "X said/told", "according to X"."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache, lru_cache
from importlib import resources
from typing import Any


from .sentences import Sentence

# A speaker's name: a title, then at most eight capitalised words (bounded, so that a run of
# capitalised words costs linear time, not quadratic)
_NAME = r"(?:Dr\.? |Mr\.? |Ms\.? |Mrs\.? |Prof\.? )?[A-Z][\w’'.-]+(?: (?:[A-Z][\w’'.-]+|de|van|von|al-\w+|bin|ibn)){0,7}"
_OPEN = "“\"«"
_CLOSE = "”\"»"


@cache
def _cues() -> dict[str, Any]:
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "attribution.yaml").read_text("utf-8"))
    lemmas = data["speech_lemmas"]
    forms = "|".join(sorted({f for lem in lemmas for f in _forms(lem)}, key=len, reverse=True))
    return {
        "lemmas": set(lemmas),
        "after": re.compile(rf"({_NAME})(?:, [^,”\"]{{1,90}},)? (?:{forms})\b"),
        "before": re.compile(rf"\b(?:{forms}) ({_NAME})\b"),
        "anonymous": re.compile(data["anonymous_source"], re.IGNORECASE),
        "according": re.compile(rf"{data['according_to']}\s+((?:the |a |an )?[\w’'.&-]+(?: [\w’'.&-]+){{0,7}}?)(?=[,.;:”\")]|$| (?:and|but|while|who|which)\b)"),
    }


def _forms(lemma: str) -> list[str]:
    irregular = {"say": ["said", "says"], "tell": ["told", "tells"], "write": ["wrote", "writes"],
                 "point": ["pointed out", "points out"],
                 # "states" and "notes" are far more often nouns ("Turkic states") than verbs
                 "state": ["stated"], "note": ["noted"], "claim": ["claimed"], "add": ["added"]}
    if lemma in irregular:
        return irregular[lemma]
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    return [lemma + "s", stem + "ed", lemma + "d" if lemma.endswith("e") else stem + "ed"]


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages (curly or straight quotes), possibly across sentences; in
    text order, never overlapping."""
    spans = []
    i, n = 0, len(text)
    para = text.find("\n\n")  # the next paragraph break at or after i (-1: none left)
    while i < n:
        ch = text[i]
        if ch in "“«" or (ch == '"' and (i == 0 or not text[i - 1].isalnum())):
            close = "”" if ch == "“" else ("»" if ch == "«" else '"')
            j = text.find(close, i + 1)
            if j == -1:
                break
            if para != -1 and para < i + 1:
                para = text.find("\n\n", i + 1)
            if para != -1 and para < j and close == '"':
                i += 1
                continue
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return spans


def quote_at(quotes: list[tuple[int, int]], start: int, end: int | None = None) -> tuple[int, int] | None:
    """The quoted passage (of ``quote_spans``) that holds [start, end), if any."""
    k = bisect_right(quotes, (start, float("inf"))) - 1
    if k < 0:
        return None
    a, b = quotes[k]
    return (a, b) if start < b and (end if end is not None else start + 1) <= b else None


@lru_cache(maxsize=4096)  # asked again for every claim of a sentence
def speaker_in(sentence_text: str) -> str | None:
    """The speaker a sentence names with a verb of saying, if any."""
    c = _cues()
    if m := c["according"].search(sentence_text):
        return m.group(1).strip().rstrip(".,;:")
    if m := c["after"].search(sentence_text):
        name = m.group(1)
        if name.lower() not in ("it", "this", "that", "he", "she", "they", "we", "i"):
            return name
    if m := c["before"].search(sentence_text):
        return m.group(1)
    return None


def attribution_for(start: int, end: int, sentence: Sentence, sentences: list[Sentence],
                    quotes: list[tuple[int, int]]) -> str | None:
    """Who a statement at [start, end) is attributed to: the speaker of the quote it sits
    in (named in the same or a neighbouring sentence of the paragraph), or the speaker the
    sentence itself names outside any quote."""
    in_quote = quote_at(quotes, start, end)
    if in_quote:
        a, b = in_quote
        # the sentence's own words outside the quote first
        before = sentence.text[: max(0, a - sentence.start)]
        outside = before + " " + sentence.text[max(0, b - sentence.start):]
        if who := speaker_in(outside.strip()):
            return who
        if before.rstrip().endswith(":") and (m := re.match(_NAME, before.strip())):
            return m.group(0)  # "Levin is more cautious on this point: “...”"
        for s in _neighbours(sentence, sentences):
            text = s.text
            if who := speaker_in(text):
                return who
        return "unattributed quote"
    return speaker_in(sentence.text)


def is_anonymous(speaker: str | None, sentence: Sentence) -> bool:
    """Does the speaker the sentence names withhold its name ("according to officials
    familiar with the plans", "a diplomat who asked not to be named")?"""
    if not speaker or (at := sentence.text.find(speaker)) < 0:
        return False
    return bool(_cues()["anonymous"].search(sentence.text[at:]))


def _neighbours(sentence: Sentence, sentences: list[Sentence]) -> list[Sentence]:
    i = sentence.index
    around = []
    for d in (1, -1, 2, -2, 3):
        j = i + d
        if 0 <= j < len(sentences) and sentences[j].paragraph in (sentence.paragraph, sentence.paragraph + 1):
            around.append(sentences[j])
    return around
