"""Facts: timeline, facts, evidence, conflicts."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ...api import Graph
from ...models import CLAIM_TYPES, MODALITIES
from ..deps import WebSettings, get_graph, get_settings, page, require_read
from ..schemas import ConflictOut, EvidenceOut, FactOut, Page
from ._common import choice_param, date_param, store_page, to_json

router = APIRouter(tags=["facts"], dependencies=[Depends(require_read)])


@router.get("/timeline", response_model=Page[FactOut])
def timeline(actor: str = Query(..., description="An actor.", examples=["Israel"]),
             other: str | None = Query(None, description="Only facts between ``actor`` and this actor."),
             start: str | None = Query(None, description="From this date (YYYY[-MM[-DD]])."),
             end: str | None = Query(None, description="To this date."),
             type: list[str] | None = Query(None, description="Repeatable claim types."),
             limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
             settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Facts involving the actor (and ``other``) in date order, each with its evidence."""
    limit, offset = page(limit, offset, settings)
    types = [choice_param(t, "type", CLAIM_TYPES) for t in type or []] or None
    rows = graph.timeline(actor, other or None, start=date_param(start, "start"), end=date_param(end, "end"),
                          types=types, limit=offset + limit + 1)  # type: ignore[arg-type]
    return store_page(rows[offset:], limit, offset)


@router.get("/facts", response_model=Page[FactOut])
def facts(actor: str | None = None, other: str | None = None,
          type: str | None = Query(None, description="A claim type."),
          modality: str | None = Query(None, description="asserted, negated, speculative, planned..."),
          limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
          settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Facts (claims merged across sources), optionally about an actor (and another)."""
    limit, offset = page(limit, offset, settings)
    rows = graph.facts(actor or None, other or None, type=choice_param(type, "type", CLAIM_TYPES),
                       modality=choice_param(modality, "modality", MODALITIES), limit=limit + 1, offset=offset)
    return store_page(rows, limit, offset)


@router.get("/facts/{fact_id}/evidence", response_model=list[EvidenceOut])
def evidence(fact_id: str, graph: Graph = Depends(get_graph)) -> list[Any]:
    """Every sentence supporting a fact, with its document."""
    return to_json(graph.evidence(fact_id))


@router.get("/conflicts", response_model=Page[ConflictOut])
def conflicts(actor: str | None = None, limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
              settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Contradictions between sources, each with why it is flagged."""
    limit, offset = page(limit, offset, settings)
    return store_page(graph.conflicts(actor or None, limit=limit + 1, offset=offset), limit, offset)
