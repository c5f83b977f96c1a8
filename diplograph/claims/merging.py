"""Duplicates within a document: one claim per type, parties (unordered for symmetric
types), modality and subtype with compatible dates; the most precise date wins."""

from __future__ import annotations

from typing import Any

from ..models import Claim, PartialDate
from .registry import ClaimType


def merge(claims: list[Claim], types: dict[str, ClaimType]) -> list[Claim]:
    """One claim per event within a document: same type, parties (unordered for symmetric
    types), modality and subtype, with compatible dates; the most precise date wins. A
    claim is compared only with the earlier ones of its own key."""
    out: list[Claim] = []
    by_key: dict[tuple[Any, ...], list[int]] = {}  # key -> positions in out
    for c in claims:
        same = by_key.setdefault(merge_key(c, types.get(c.type)), [])
        for i in same:
            o = out[i]
            if not _compatible(c.date, o.date):
                continue
            if _precision_rank(c.date) > _precision_rank(o.date):
                c.confidence = max(c.confidence, o.confidence)
                out[i] = c
            else:
                o.confidence = max(c.confidence, o.confidence)
            break
        else:
            same.append(len(out))
            out.append(c)
    out.sort(key=lambda c: (c.evidence_start, c.type))
    return out


def merge_key(c: Claim, t: ClaimType | None) -> tuple[Any, ...]:
    ids = [c.subject.id if c.subject else None, c.object.id if c.object else None]
    if c.parties:
        parties: tuple[Any, ...] = tuple(sorted(p.id for p in c.parties))
    elif t is not None and t.symmetric:
        parties = tuple(sorted(x for x in ids if x))
    else:
        parties = tuple(ids)
    q = (c.quantity or {}).get("value")
    return (c.type, parties, c.modality, c.subtype, q)


def _compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _precision_rank(d: PartialDate | None) -> int:
    if d is None:
        return 0
    return {"year": 1, "interval": 1, "month": 2, "day": 3}.get(d.precision, 0)
