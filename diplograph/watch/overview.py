"""The landing page's content: what changed in the last days, by system time (when
diplograph first recorded it, whatever route brought the document: watch, ingest, the
page's form), activity per actor, counts, watched sources and the latest alerts. Each
line has the same shape as an alert (``alerts.py``), with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..store import Store
from .alerts import _conflict, _discussed, _relation


@dataclass
class Section:
    total: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Overview:
    days: int
    since: datetime
    counts: dict[str, int]
    new_documents: int
    began: Section  # relations (not memberships) first recorded in the window
    ended: Section
    members: Section  # new memberships
    conflicts: Section
    discussed: Section  # speculation and plans
    activity: dict[str, int]  # actor id -> facts first recorded in the window
    sources: list[dict[str, Any]]
    alerts: list[dict[str, Any]]


def overview(store: Store, *, days: int, limit: int = 50) -> Overview:
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)

    def section(total_rows: tuple[int, list[dict[str, Any]]], build: Any) -> Section:
        total, rows = total_rows
        return Section(total, [_with_time(build(r), r.get("recorded_at")) for r in rows])

    conflicts = []
    for c in store.conflicts_with_facts(None):
        times = [f["recorded_at"] for f in c["facts"] if f.get("recorded_at") is not None]
        if times and max(times) >= since:
            conflicts.append(_with_time(_conflict(c), max(times)))
    conflicts.sort(key=lambda a: a["recorded_at"] or "", reverse=True)
    return Overview(
        days=days, since=since, counts=store.counts(), new_documents=store.documents_since(since),
        began=section(store.states_recorded_since(since, members=False, limit=limit),
                      lambda r: _relation(r, "relation_began")),
        ended=section(store.states_ended_since(since, limit=limit), lambda r: _relation(r, "relation_ended")),
        members=section(store.states_recorded_since(since, members=True, limit=limit),
                        lambda r: _relation(r, "relation_began")),
        conflicts=Section(len(conflicts), conflicts[:limit]),
        discussed=section(store.discussed_since(since, limit=limit), _discussed),
        activity=store.activity_since(since),
        sources=store.watch_sources(),
        alerts=store.alerts(limit=limit),
    )


def _with_time(record: dict[str, Any], at: Any) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "tags"}
    out["recorded_at"] = at.isoformat(timespec="seconds") if isinstance(at, datetime) else at
    return out
