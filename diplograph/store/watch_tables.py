"""The store's SQL for watching sources, alerts and the overview page (a part of ``Store``;
tables from migration 5). Kept apart from store.py so each file stays readable; like the
rest of the store, the only place these tables are written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

_FACT_EVIDENCE = "d.source AS evidence_source, d.title AS evidence_title, d.published AS evidence_published, d.url AS evidence_url"


# the ending fact's evidence, beside a state's own (its start's)
_END_EVIDENCE = (
    "e.n_sources AS end_n_sources, e.evidence_doc AS end_evidence_doc, e.evidence_text AS end_evidence_text, "
    "e.evidence_start AS end_evidence_start, e.evidence_end AS end_evidence_end, "
    "e.evidence_attributed_to AS end_evidence_attributed_to, e.evidence_source_name AS end_evidence_source_name, "
    "de.source AS end_evidence_source, de.title AS end_evidence_title, de.published AS end_evidence_published, "
    "de.url AS end_evidence_url"
)


class WatchTables:
    """Mixed into ``Store``: uses its ``_sql`` and ``_dicts``."""

    _sql: Any
    _dicts: Any

    # -- watched sources ---------------------------------------------------------------------

    def watch_sources(self, urls: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Every watched source (or these), with its validators and health."""
        if urls is None:
            return self._dicts("SELECT * FROM watch_sources ORDER BY url", [])
        return self._dicts("SELECT * FROM watch_sources WHERE url IN (SELECT unnest(?)) ORDER BY url", [list(urls)])

    def record_source_read(self, url: str, *, kind: str | None, status: str, checked_at: datetime,
                           etag: str | None = None, last_modified: str | None = None,
                           problem: str | None = None, new_items: int = 0) -> None:
        """What the last read of a source found. Validators are kept when the read did not
        give new ones (a 304, a failure), so the next read is still conditional."""
        self._sql("""
            INSERT INTO watch_sources (url, kind, etag, last_modified, last_checked, last_ok, status, problem,
                                       new_items, items)
            VALUES (?, ?, ?, ?, ?, CASE WHEN ? <> 'failed' THEN ?::TIMESTAMP END, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                kind = coalesce(excluded.kind, watch_sources.kind),
                etag = coalesce(excluded.etag, watch_sources.etag),
                last_modified = coalesce(excluded.last_modified, watch_sources.last_modified),
                last_checked = excluded.last_checked,
                last_ok = coalesce(excluded.last_ok, watch_sources.last_ok),
                status = excluded.status, problem = excluded.problem, new_items = excluded.new_items,
                items = coalesce(watch_sources.items, 0) + excluded.new_items
        """, [url, kind, etag, last_modified, checked_at, status, checked_at, status, problem, new_items, new_items])

    # -- items already read ------------------------------------------------------------------

    def seen_items(self, keys: Sequence[str]) -> set[str]:
        """Which of these item keys (guid:..., url:...) were read before."""
        if not keys:
            return set()
        rows = self._sql("SELECT key FROM watch_items WHERE key IN (SELECT unnest(?::VARCHAR[]))", [list(keys)])
        return {r[0] for r in rows.fetchall()}

    def mark_seen(self, keys: Sequence[str], *, source: str, doc_id: str | None, how: str, at: datetime) -> None:
        for key in dict.fromkeys(keys):
            self._sql("INSERT OR IGNORE INTO watch_items VALUES (?, ?, ?, ?, ?)", [key, source, doc_id, how, at])

    # -- alerts --------------------------------------------------------------------------------

    def add_alert(self, key: str, kind: str, record: dict[str, Any], at: datetime) -> bool:
        """Store an alert unless its change was announced before; True when it is new."""
        if self._sql("SELECT 1 FROM alerts WHERE key = ?", [key]).fetchall():
            return False
        self._sql("INSERT INTO alerts VALUES (?, ?, ?, ?)", [key, at, kind, json.dumps(record, default=str)])
        return True

    def alerts(self, *, since: datetime | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Alerts raised (since a moment), newest first, as delivered."""
        sql, params = "SELECT record FROM alerts", []
        if since is not None:
            sql += " WHERE created_at >= ?"
            params.append(since)
        sql += " ORDER BY created_at DESC, key"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [json.loads(r[0]) for r in self._sql(sql, params).fetchall()]

    # -- what alerts compare: the derived state of some actors ---------------------------------

    def fact_keys_of_docs(self, doc_ids: Sequence[str]) -> list[str]:
        """The fact keys (type|actor|actor|...) of these documents' claims."""
        rows = self._sql("SELECT DISTINCT fact_key FROM claims WHERE doc_id IN (SELECT unnest(?))",
                         [list(doc_ids)]).fetchall()
        return [r[0] for r in rows]

    def states_of_actors(self, actors: Sequence[str] | None) -> list[dict[str, Any]]:
        """Every relation state involving one of these actors (None: every state), with
        its evidence."""
        sql = (f"SELECT s.*, {_FACT_EVIDENCE}, {_END_EVIDENCE} FROM states s "
               "LEFT JOIN documents d ON d.id = s.evidence_doc LEFT JOIN facts e ON e.id = s.ended_by "
               "LEFT JOIN documents de ON de.id = e.evidence_doc")
        if actors is None:
            return self._dicts(sql, [])
        return self._dicts(sql + " WHERE s.a_id IN (SELECT unnest(?)) OR s.b_id IN (SELECT unnest(?))",
                           [list(actors), list(actors)])

    def discussed_facts_of_actors(self, actors: Sequence[str] | None) -> list[dict[str, Any]]:
        """Speculative and planned facts involving one of these actors (None: all)."""
        sql = (f"SELECT f.*, {_FACT_EVIDENCE} FROM facts f LEFT JOIN documents d ON d.id = f.evidence_doc "
               "WHERE f.modality IN ('speculative', 'planned')")
        if actors is None:
            return self._dicts(sql, [])
        return self._dicts(sql + """ AND (f.subject_id IN (SELECT unnest(?)) OR f.object_id IN (SELECT unnest(?))
                   OR list_has_any(json_extract_string(f.parties, '$[*].id'), ?))""",
                           [list(actors), list(actors), list(actors)])

    def conflicts_with_facts(self, actors: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Conflicts (involving one of these actors), each with its facts' rows."""
        sql, params = "SELECT * FROM conflicts", []
        if actors is not None:
            sql += " WHERE list_has_any(json_extract_string(actor_ids, '$[*]'), ?)"
            params.append(list(actors))
        conflicts = self._dicts(sql + " ORDER BY kind, id", params)
        ids = sorted({f for c in conflicts for f in json.loads(c["fact_ids"])})
        facts = {r["id"]: r for r in self._dicts(f"""
            SELECT f.*, {_FACT_EVIDENCE} FROM facts f LEFT JOIN documents d ON d.id = f.evidence_doc
            WHERE f.id IN (SELECT unnest(?::VARCHAR[]))
        """, [ids])} if ids else {}
        for c in conflicts:
            c["facts"] = [facts[f] for f in json.loads(c["fact_ids"]) if f in facts]
        return conflicts

    # -- the overview page ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        row = self._sql("""
            SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims), (SELECT count(*) FROM facts),
                   (SELECT count(*) FROM states), (SELECT count(*) FROM conflicts),
                   (SELECT count(*) FROM watch_sources), (SELECT count(*) FROM alerts)
        """).fetchall()[0]
        return dict(zip(("documents", "claims", "facts", "states", "conflicts", "watched_sources", "alerts"), row))

    def documents_since(self, since: datetime) -> int:
        return self._sql("SELECT count(*) FROM documents WHERE ingested_at >= ?", [since]).fetchall()[0][0]

    def states_recorded_since(self, since: datetime, *, members: bool,
                              limit: int) -> tuple[int, list[dict[str, Any]]]:
        """Relation states first known since ``since`` (system time), newest first:
        memberships (``members``) or the other relations."""
        cond = "s.recorded_at >= ? AND " + ("s.state = 'member_of'" if members else "s.state <> 'member_of'")
        total = self._sql(f"SELECT count(*) FROM states s WHERE {cond}", [since]).fetchall()[0][0]
        rows = self._dicts(f"""
            SELECT s.*, {_FACT_EVIDENCE} FROM states s LEFT JOIN documents d ON d.id = s.evidence_doc
            WHERE {cond} ORDER BY s.recorded_at DESC, s.start_day DESC NULLS LAST, s.id LIMIT ?
        """, [since, limit])
        return total, rows

    def states_ended_since(self, since: datetime, *, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """Relation states whose end became known since ``since``, with the ending fact's
        evidence."""
        cond = "s.ended_by IS NOT NULL AND e.recorded_at >= ?"
        total = self._sql(f"SELECT count(*) FROM states s JOIN facts e ON e.id = s.ended_by WHERE {cond}",
                          [since]).fetchall()[0][0]
        rows = self._dicts(f"""
            SELECT s.id, s.state, s.a_id, s.a_name, s.a_kind, s.b_id, s.b_name, s.b_kind, s.start_value,
                   s.end_value, s.fact_id, s.ended_by, e.recorded_at, e.n_sources,
                   e.evidence_doc, e.evidence_text, e.evidence_start, e.evidence_end, e.evidence_attributed_to,
                   e.evidence_source_kind, e.evidence_source_name, {_FACT_EVIDENCE}
            FROM states s JOIN facts e ON e.id = s.ended_by LEFT JOIN documents d ON d.id = e.evidence_doc
            WHERE {cond} ORDER BY e.recorded_at DESC, s.id LIMIT ?
        """, [since, limit])
        return total, rows

    def discussed_since(self, since: datetime, *, limit: int) -> tuple[int, list[dict[str, Any]]]:
        cond = "f.modality IN ('speculative', 'planned') AND f.recorded_at >= ?"
        total = self._sql(f"SELECT count(*) FROM facts f WHERE {cond}", [since]).fetchall()[0][0]
        rows = self._dicts(f"""
            SELECT f.*, {_FACT_EVIDENCE} FROM facts f LEFT JOIN documents d ON d.id = f.evidence_doc
            WHERE {cond} ORDER BY f.recorded_at DESC, f.id LIMIT ?
        """, [since, limit])
        return total, rows

    def activity_since(self, since: datetime) -> dict[str, int]:
        """Facts first known since ``since``, counted per actor taking part (subject or
        object; both count once)."""
        rows = self._sql("""
            SELECT actor, count(*) FROM (
                SELECT id, subject_id AS actor FROM facts WHERE recorded_at >= ? AND subject_id IS NOT NULL
                UNION SELECT id, object_id FROM facts WHERE recorded_at >= ? AND object_id IS NOT NULL
            ) GROUP BY actor
        """, [since, since]).fetchall()
        return {a: n for a, n in rows}
