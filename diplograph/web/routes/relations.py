"""Relation states: allies, partners, relations, members, changes, and the network."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ...api import Graph
from ...queries import RELATION_STATES
from ..deps import WebSettings, get_graph, get_settings, page, require_read
from ..schemas import ChangesOut, NetworkOut, Page, RelationRowOut, RelationsOut
from ._common import BadParameter, choice_param, date_param, to_json, window

router = APIRouter(tags=["relations"], dependencies=[Depends(require_read)])

SOURCES = ("extracted", "dataset")
MAX_EDGES = 10000


def _relations(graph: Graph, settings: WebSettings, actor: str, types: list[str] | None, at: str | None,
               known_at: str | None, source: str | None, limit: int, offset: int) -> dict[str, Any]:
    limit, offset = page(limit, offset, settings)
    for t in types or []:
        choice_param(t, "type", RELATION_STATES)
    ans = graph.relations(actor, types=types or None, at=date_param(at, "at"),
                          known_at=date_param(known_at, "known_at"), source=choice_param(source, "source", SOURCES))
    out = to_json(ans)
    rows = out["rows"]
    out.update(total=len(rows), limit=limit, offset=offset, rows=rows[offset:offset + limit])
    return out


_ACTOR = Query(..., description="An actor: id, name, alias, ISO or COW code.", examples=["Uzbekistan"])
_AT = Query(None, description="As of this date (YYYY[-MM[-DD]]; default today).")
_KNOWN = Query(None, description="Answer with what the store knew on this date (ingestion time).")
_SOURCE = Query(None, description="Only facts from this kind of source: extracted or dataset.")


@router.get("/allies", response_model=RelationsOut)
def allies(actor: str = _ACTOR, at: str | None = _AT, known_at: str | None = _KNOWN, source: str | None = _SOURCE,
           limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
           settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Who is allied with the actor on ``at``, since when, who says so; and alliances only discussed."""
    return _relations(graph, settings, actor, ["allied"], at, known_at, source, limit, offset)


@router.get("/partners", response_model=RelationsOut)
def partners(actor: str = _ACTOR, at: str | None = _AT, known_at: str | None = _KNOWN, source: str | None = _SOURCE,
             limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
             settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Strategic partners of the actor on ``at``."""
    return _relations(graph, settings, actor, ["strategic_partners"], at, known_at, source, limit, offset)


@router.get("/relations", response_model=RelationsOut)
def relations(actor: str = _ACTOR,
              type: list[str] | None = Query(None, description=f"Repeatable: {', '.join(RELATION_STATES)}."),
              at: str | None = _AT, known_at: str | None = _KNOWN, source: str | None = _SOURCE,
              limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
              settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Relation states of the actor on ``at`` (default: all kinds)."""
    return _relations(graph, settings, actor, type, at, known_at, source, limit, offset)


@router.get("/members", response_model=Page[RelationRowOut])
def members(org: str = Query(..., description="An organisation or accord.", examples=["Abraham Accords"]),
            at: str | None = _AT, known_at: str | None = _KNOWN, limit: int = 100, offset: int = 0,
            graph: Graph = Depends(get_graph), settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Members of an organisation or accord on ``at``, since when, with their source."""
    limit, offset = page(limit, offset, settings)
    rows = graph.members(org, at=date_param(at, "at"), known_at=date_param(known_at, "known_at"))
    return window(rows, limit, offset)


@router.get("/changes", response_model=ChangesOut)
def changes(actor: str = _ACTOR, start: str = Query(..., description="From this date."),
            end: str = Query(..., description="To this date."), graph: Graph = Depends(get_graph)) -> dict[str, Any]:
    """Relations the actor gained and lost between two dates."""
    s, e = date_param(start, "start"), date_param(end, "end")
    from ...models import PartialDate

    if PartialDate.parse(s).bounds()[1] > PartialDate.parse(e).bounds()[1]:  # type: ignore[arg-type]
        from ._common import BadParameter

        raise BadParameter("start", f"{start} is after end {end}.")
    return to_json(graph.changes(actor, start=s, end=e))


@router.get("/network", response_model=NetworkOut)
def network(at: str | None = _AT,
            type: list[str] | None = Query(None, description=f"Repeatable: {', '.join(RELATION_STATES)}."),
            limit: int = Query(2000, description="At most this many edges (1 to 10000)."),
            graph: Graph = Depends(get_graph)) -> dict[str, Any]:
    """The relation graph as of ``at``: actors as nodes, relation states as edges (the
    first ``limit`` edges; ``truncated`` says when there were more)."""
    if not 1 <= limit <= MAX_EDGES:
        raise BadParameter("limit", f"{limit} is out of range; give 1 to {MAX_EDGES}.")
    from ...api import _day

    states = [choice_param(t, "type", RELATION_STATES) for t in type or []] or list(RELATION_STATES)
    day = _day(date_param(at, "at"), "at")
    nodes: dict[str, dict[str, str]] = {}
    edges: list[dict[str, Any]] = []
    truncated = False
    for row in graph.store.table("states", at=day).to_pylist():
        if row["state"] not in states:
            continue
        if len(edges) == limit:
            truncated = True
            break
        for p in ("a", "b"):
            nodes.setdefault(row[f"{p}_id"], {"id": row[f"{p}_id"], "name": row[f"{p}_name"] or row[f"{p}_id"],
                                              "kind": row[f"{p}_kind"] or "state"})
        edges.append({"id": row["id"], "source": row["a_id"], "target": row["b_id"], "state": row["state"],
                      "since": row["start_value"], "fact": row["fact_id"]})
    return {"at": day.isoformat(), "states": states, "nodes": sorted(nodes.values(), key=lambda n: n["id"]),
            "edges": edges, "truncated": truncated}
