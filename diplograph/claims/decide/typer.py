"""The sentence typer: which claim types a sentence expresses, learned from the corpus.

The rules' trigger words decide which sentences are read closely; many sentences that
state a claim use none of them ("Mali's military has relied on Russian instructors since
2021"). The typer reads every sentence that names an actor as a bag of words and word
pairs, with each actor mention replaced by its kind ("<state> has relied on <demonym>
instructors"), and gives one probability per claim type. A type the typer finds likely
and no trigger word found gets a frame of its own (the sentence's main verb as its
trigger), so its pairings reach the decision model; every candidate also carries the
typer's probability for its type as a feature."""

from __future__ import annotations

import re
from typing import Any

from ...models import CLAIM_TYPES
from .sparse import Hashed, csr

HASH_BITS = 15
HASH_DIM = 1 << HASH_BITS
DENSE = ("states", "organisations", "persons", "mentions", "digits", "currency", "year", "tokens",
         "position", "dates", "quote")
N_DENSE = len(DENSE)
N_FEATURES = N_DENSE + HASH_DIM
_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)*|\d+|[$€£¥%]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


_h = Hashed(N_DENSE, HASH_BITS)  # a symbol's column


def sentence_tokens(text: str, start: int, mentions: list[Any]) -> list[str]:
    """The sentence's words with each actor mention replaced by a placeholder of its kind."""
    out: list[str] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: m.start):
        a, b = m.start - start, m.end - start
        if a < pos or a < 0:
            continue
        out += _TOKEN.findall(text[pos:a].lower())
        kind = m.actor.kind if m.via not in ("demonym",) else "demonym"
        out.append(f"<{kind}>")
        pos = b
    out += _TOKEN.findall(text[pos:].lower())
    return out


def describe(sentence: Any, mentions: list[Any], n_sentences: int, n_dates: int) -> tuple[list[float], list[int]]:
    toks = sentence_tokens(sentence.text, sentence.start, mentions)
    cols = _h.columns(["u=" + t for t in toks])
    cols |= _h.columns(["b=" + a + " " + b for a, b in zip(toks, toks[1:])])
    kinds = [m.actor.kind for m in mentions]
    dense = [
        float(kinds.count("state")), float(kinds.count("organisation") + kinds.count("accord")),
        float(sum(1 for m in mentions if m.via in ("person", "title"))), float(len(mentions)),
        float(sum(ch.isdigit() for ch in sentence.text)), float(bool(re.search(r"[$€£¥]|\bdollars?\b|\beuros?\b", sentence.text))),
        float(bool(_YEAR.search(sentence.text))), float(len(toks)),
        sentence.index / max(1, n_sentences - 1), float(n_dates), float(any(q in sentence.text for q in "\"“”")),
    ]
    return dense, sorted(cols)


def matrix(rows: list[tuple[list[float], list[int]]]) -> Any:
    return csr(rows, N_FEATURES)


def rows_for(sentences: list[Any], by_sentence: dict[int, list[Any]], dates_by_sentence: dict[int, list[Any]],
             ) -> tuple[list[int], list[tuple[list[float], list[int]]]]:
    """The sentences the typer reads (those that name an actor) and their rows."""
    idx, rows = [], []
    for s in sentences:
        ms = by_sentence.get(s.index) or []
        if not ms:
            continue
        idx.append(s.index)
        rows.append(describe(s, ms, len(sentences), len(dates_by_sentence.get(s.index) or [])))
    return idx, rows


class SentenceTyper:
    """One booster per claim type over the same sentence rows."""

    def __init__(self, models: dict[str, str]) -> None:
        import lightgbm as lgb

        self.boosters = {t: lgb.Booster(model_str=m) for t, m in models.items()}

    def predict(self, rows: list[tuple[list[float], list[int]]]) -> list[dict[str, float]]:
        if not rows:
            return []
        x = matrix(rows)
        cols = {t: b.predict(x, num_threads=1) for t, b in self.boosters.items()}
        return [{t: float(cols[t][i]) for t in cols} for i in range(len(rows))]


__all__ = ["SentenceTyper", "rows_for", "sentence_tokens", "matrix", "CLAIM_TYPES"]
