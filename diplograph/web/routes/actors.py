"""Actor search."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ...api import Graph
from ..deps import WebSettings, get_graph, get_settings, page, require_read
from ..schemas import ActorOut, Page
from ._common import BadParameter, window

router = APIRouter(tags=["actors"], dependencies=[Depends(require_read)])


@router.get("/actors", response_model=Page[ActorOut])
def actors(q: str = Query(..., description="A name, alias, ISO/COW code, demonym, capital or person."),
           limit: int = 20, offset: int = 0, graph: Graph = Depends(get_graph),
           settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Actors known by ``q``. 404 (with suggestions) when nothing matches."""
    limit, offset = page(limit, offset, settings)
    if not q.strip():
        raise BadParameter("q", "give a name or code to search for.")
    found = graph.actors(q.strip())
    items = [{"id": a.id, "kind": a.kind, "name": a.name, "official_name": a.official_name,
              "codes": dict(a.codes), "aliases": list(a.aliases), "start": a.start, "end": a.end} for a in found]
    return window(items, limit, offset)
