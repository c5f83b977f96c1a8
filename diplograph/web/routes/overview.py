"""The overview (the landing page's data), alerts, and the watched sources."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ...api import Graph
from ..deps import WebSettings, get_graph, get_settings, page, require_read
from ._common import date_param, to_json

router = APIRouter(tags=["overview"], dependencies=[Depends(require_read)])


@router.get("/overview")
def overview(days: int = Query(7, description="The window: what was first recorded in the last N days (1-3660)."),
             limit: int = Query(50, description="Lines per section (at most 500)."),
             graph: Graph = Depends(get_graph), settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """What changed in the last ``days``: relations begun and ended, new members, conflicts
    between sources, speculation and plans (each with its evidence); activity per actor
    (facts first recorded in the window); counts of documents, claims and facts; the watched
    sources and their health; the latest alerts."""
    limit, _ = page(limit, 0, settings)
    return to_json(graph.overview(days=days, limit=limit))


@router.get("/alerts")
def alerts(since: str | None = Query(None, description="Only alerts raised on or after this day."),
           limit: int = 100, graph: Graph = Depends(get_graph),
           settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Alerts raised by the watcher, newest first, as they were delivered."""
    limit, _ = page(limit, 0, settings)
    items = graph.alerts(since=date_param(since, "since"), limit=limit)
    return {"total": None, "limit": limit, "offset": 0, "more": len(items) == limit, "items": to_json(items)}


@router.get("/watch/sources")
def watched_sources(graph: Graph = Depends(get_graph)) -> dict[str, Any]:
    """The sources being watched: when each was last read, last read well, and what went
    wrong on the last read."""
    items = graph.watch_sources()
    return {"total": len(items), "items": to_json(items)}
