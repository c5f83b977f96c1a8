"""Which word of a sentence is the event, for a claim type the sentence typer asks for and
no trigger word found.

"Panama has formally notified China that it is leaving the Belt and Road Initiative": the
typer finds a withdrawal (type ``other``) likely, but the sentence's main verb is
"notified"; a frame built on it reads the wrong clause (its parties, its modality, its
date). The lexicon is learned from the corpus: for each type, the words that sentences
stating a claim of that type use more often than sentences that name actors at all
("leaving", "withdraw", "expelled" for ``other``), scored by how many times more often.
The pseudo frame's trigger is the sentence's verb or noun with the highest score for the
type, or the main verb when no word scores."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..frame import columns

_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
MIN_COUNT = 4  # sentences a word must appear in to be scored
MIN_LIFT = 2.0  # how many times more often than in any actor sentence
PRIOR = 5.0  # pseudo-count that pulls rare words towards the base rate
PER_TYPE = 400  # words kept per type
TRIGGER_POS = ("VERB", "NOUN")

Lexicon = dict[str, dict[str, float]]


def words(text: str) -> set[str]:
    """The distinct lower-case words of a sentence, as the lexicon counts them."""
    return set(_WORD.findall(text.lower()))


def fit(sentences: Iterable[tuple[set[str], set[str]]]) -> Lexicon:
    """The lexicon from (words, gold types) of every sentence that names an actor."""
    n = 0
    n_type: Counter = Counter()
    n_word: Counter = Counter()
    n_both: Counter = Counter()
    for ws, types in sentences:
        n += 1
        n_type.update(types)
        n_word.update(ws)
        n_both.update((t, w) for t in types for w in ws)
    out: Lexicon = {}
    for t in sorted(n_type):
        base = n_type[t] / n
        scored = []
        for (tt, w), k in n_both.items():
            if tt != t or n_word[w] < MIN_COUNT:
                continue
            lift = (k + PRIOR * base) / (n_word[w] + PRIOR) / base
            if lift >= MIN_LIFT:
                scored.append((round(lift, 3), w))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out[t] = {w: s for s, w in scored[:PER_TYPE]}
    return out


def best_word(parse: Any, scores: dict[str, float] | None, pos: tuple[str, ...] | None = None,
              skip: set[int] | frozenset[int] = frozenset()) -> tuple[float, int]:
    """The highest score of a type's lexicon among the sentence's words (only those of a
    part of speech in ``pos``, when given, and not in ``skip``), and its token (-1: none)."""
    best, at = 0.0, -1
    if not scores:
        return best, at
    cols = columns(parse)
    tags = cols.pos
    for i, word in enumerate(cols.lower):
        if (pos is not None and tags[i] not in pos) or i in skip:
            continue
        v = scores.get(word, 0.0)
        if v > best:
            best, at = v, i
    return best, at


def choose(parse: Any, lexicon: Lexicon | None, ctype: str, skip: set[int], default: int) -> int:
    """The token the pseudo frame of ``ctype`` hangs on: the verb or noun of the sentence
    (outside actor mentions, ``skip``) with the highest score, else ``default``."""
    _, at = best_word(parse, (lexicon or {}).get(ctype), TRIGGER_POS, skip)
    return at if at >= 0 else default


__all__ = ["Lexicon", "best_word", "choose", "fit", "words"]
