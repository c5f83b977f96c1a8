"""The Store owns the DuckDB connection and every SQL statement diplograph runs.

Methods are named after the questions they answer. Parameters are always bound, never
formatted into SQL. ``trace=True`` prints each statement with its parameters."""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import orjson

from ..errors import DocumentNotFound, StoreError, StoreLocked
from ..facts import Conflict, Fact, fact_key
from ..models import ActorRef, Claim, Document, PartialDate
from . import derive
from .migrations import MIGRATIONS
from .watch_tables import WatchTables

SCHEMA_VERSION = len(MIGRATIONS)

_DOC_COLUMNS = (
    "id, source, url, title, author, published, published_precision, published_text, "
    "published_method, format, extras, duplicate_of, similarity, ingested_at, length(text)"
)


class Store(WatchTables):
    """A diplograph store: one DuckDB file (or ``:memory:``). Its watch, alert and overview
    queries are in ``watch_tables.py``."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: str, *, trace: bool = False):
        self.conn = conn
        self.path = path
        self.trace = trace
        self._lock = threading.RLock()
        self.migrated_from = SCHEMA_VERSION
        self._facts_columns: list[str] | None = None

    # -- opening and schema -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path = ":memory:", *, trace: bool = False, read_only: bool = False) -> Store:
        """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
        path = str(path)
        if path != ":memory:":
            p = Path(path)
            if p.exists() and p.is_dir():
                raise StoreError(f"{path} is a folder; --db must name a file, e.g. {p / 'diplograph.duckdb'}")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"Cannot create the folder for the store {path}: {e}") from e
        try:
            conn = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as e:
            if "lock" in str(e).lower():
                from .holder import describe_lock

                m = re.search(r"\(PID (\d+)\)", str(e))
                pid = int(m.group(1)) if m else None
                message, server = describe_lock(path, pid)
                raise StoreLocked(message, path=path, pid=pid, server=server) from e
            raise StoreError(f"Cannot open the store {path}: {e}.") from e
        except duckdb.Error as e:
            raise StoreError(f"{path} is not a diplograph store (DuckDB could not read it: {e}).") from e
        # An index scan fetches rows one at a time; past a few dozen rows a vectorised scan
        # is faster (measured: 246 facts of 50k, 50 ms by index vs 2 ms scanned).
        conn.execute("SET index_scan_max_count = 64")
        store = cls(conn, path, trace=trace)
        store.migrated_from = store.schema_version()
        if not read_only:
            store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sql(self, sql: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
        if self.trace:
            print(f"SQL: {' '.join(sql.split())}  params={list(params or [])}", file=sys.stderr)
        try:
            return self.conn.execute(sql, params or [])
        except (duckdb.InterruptException, RuntimeError) as e:
            # Ctrl-C inside a statement comes back from DuckDB as an error: make it the
            # interrupt it is (an ingest with workers spends most of its time here)
            if isinstance(e, duckdb.InterruptException) or str(e) == "Query interrupted":
                raise KeyboardInterrupt from e
            raise

    def schema_version(self) -> int:
        exists = self._sql(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchall()[0][0]
        if not exists:
            return 0
        rows = self._sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    def migrate(self) -> int:
        """Apply every migration newer than the store's schema; return the new version."""
        with self._lock:
            current = self.schema_version()
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"The store {self.path} has schema version {current}, newer than this "
                    f"diplograph's ({SCHEMA_VERSION}). Upgrade diplograph to open it."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                with self.transaction():
                    if version == 1:
                        self._sql("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
                    for statement in _split_sql(MIGRATIONS[version - 1]):
                        self._sql(statement)
                    self._sql(
                        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)]
                    )
            return SCHEMA_VERSION

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block in one transaction: all of it lands, or none of it."""
        with self._lock:
            self._sql("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self._sql("ROLLBACK")
                raise
            else:
                self._sql("COMMIT")

    # -- documents ----------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return bool(self._sql("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchall())

    def add_document(
        self,
        doc: Document,
        *,
        bands: Sequence[tuple[int, int]] = (),
        signature: Sequence[int] | None = None,
    ) -> None:
        """Insert one document with its near-duplicate index rows. Call inside
        ``transaction()`` together with whatever else belongs to the document."""
        pub = doc.published
        self._sql(
            "INSERT INTO documents (id, source, url, title, author, published, "
            "published_precision, published_text, published_method, format, raw_text, text, "
            "extras, duplicate_of, similarity, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc.id, doc.source, doc.url, doc.title, doc.author,
                pub.value if pub else None, pub.precision if pub else None,
                pub.text if pub else None, doc.published_method, doc.format,
                doc.raw_text, doc.text, json.dumps(doc.extras or {}), doc.duplicate_of,
                doc.similarity, doc.ingested_at or datetime.now(timezone.utc).replace(tzinfo=None),
            ],
        )
        if signature is not None:
            self._sql("INSERT INTO document_minhash VALUES (?, ?)", [doc.id, list(signature)])
        if bands:
            # one statement for all bands: executemany costs a round trip per row
            self._sql(
                "INSERT INTO document_bands SELECT unnest(?::INTEGER[]), unnest(?::UBIGINT[]), ?",
                [[b for b, _ in bands], [h for _, h in bands], doc.id],
            )

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and everything derived from it (for re-processing)."""
        if self._sql("SELECT 1 FROM claims WHERE doc_id = ? LIMIT 1", [doc_id]).fetchall():
            # the events its claims were about may have no claim left: only a full
            # derivation removes those facts (re-processing is rare)
            self.mark_pending(["*"])
        for table, col in self._document_tables():
            self._sql(f"DELETE FROM {table} WHERE {col} = ?", [doc_id])  # noqa: S608 - fixed names
        self._sql("DELETE FROM documents WHERE id = ?", [doc_id])

    def _document_tables(self) -> list[tuple[str, str]]:
        # Tables that hang off documents; later migrations add theirs here.
        return [("document_bands", "doc_id"), ("document_minhash", "doc_id"), ("claims", "doc_id")]

    def near_duplicate_candidates(
        self, bands: Sequence[tuple[int, int]], *, min_shared: int = 1, limit: int = 20
    ) -> list[tuple[str, list[int]]]:
        """Documents sharing at least ``min_shared`` LSH bands with ``bands`` (the ``limit``
        sharing most), with their signatures. Only originals are candidates, so a chain of
        edits links to the first copy."""
        if not bands:
            return []
        # The band hashes are integers computed by diplograph (never user input), written
        # as a literal IN-list: DuckDB pushes that filter into the table scan, which is
        # several times faster than joining against a bound list, and this query runs
        # once per ingested document. int() guarantees nothing but digits reaches the SQL.
        wanted = {(int(b), int(h)) for b, h in bands}
        in_list = ", ".join(str(h) for _, h in wanted)
        hits = self._sql(
            f"SELECT band, hash, doc_id FROM document_bands WHERE hash IN ({in_list})"  # noqa: S608
        ).fetchall()
        shared: dict[str, int] = {}
        for band, h, doc_id in hits:
            if (band, h) in wanted:
                shared[doc_id] = shared.get(doc_id, 0) + 1
        ids = sorted((d for d, n in shared.items() if n >= min_shared), key=lambda d: (-shared[d], d))[:limit]
        if not ids:
            return []
        rows = self._sql(
            "SELECT m.doc_id, m.signature FROM document_minhash m "
            "JOIN documents d ON d.id = m.doc_id "
            "WHERE m.doc_id IN (SELECT unnest(?::VARCHAR[])) AND d.duplicate_of IS NULL",
            [ids],
        ).fetchall()
        return [(r[0], list(r[1])) for r in rows]

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Stored documents, newest ingestion first, without their text."""
        sql = f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY ingested_at DESC, id"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        return [_doc_from_row(r) for r in self._sql(sql, params).fetchall()]

    def count_documents(self) -> int:
        return self._sql("SELECT count(*) FROM documents").fetchall()[0][0]

    def document(self, doc_id: str) -> Document:
        """One document with its texts, by id or unambiguous id prefix (or exact source)."""
        rows = self._sql(
            f"SELECT {_DOC_COLUMNS}, raw_text, text FROM documents "
            "WHERE id = ? OR starts_with(id, ?) OR source = ? LIMIT 2",
            [doc_id, doc_id, doc_id],
        ).fetchall()
        if len(rows) != 1:
            raise DocumentNotFound(doc_id)
        doc = _doc_from_row(rows[0][:15])
        doc.raw_text, doc.text = rows[0][15], rows[0][16]
        return doc


    # -- claims -------------------------------------------------------------------------

    def add_claims(self, claims: Sequence[Claim], *, doc_id: str | None, source_kind: str = "extracted",
                   source_name: str | None = None, created_at: datetime | None = None) -> list[str]:
        """Insert claims (inside the caller's transaction); returns their ids. ``created_at``
        is when diplograph learned them (the document's ingestion time)."""
        now = created_at or datetime.now(timezone.utc).replace(tzinfo=None)
        rows = []
        ids = []
        for i, c in enumerate(claims):
            cid = c.id or f"{doc_id or source_name or 'claim'}:{i}"
            ids.append(cid)
            start, end = c.date.bounds() if c.date else (None, None)
            q = c.quantity or {}
            rows.append([
                cid, doc_id, c.type, c.subtype,
                *(_actor_cols(c.subject)), *(_actor_cols(c.object)),
                json.dumps([p.to_json() for p in c.parties]) if c.parties else None,
                c.date.value if c.date else None, c.date.precision if c.date else None,
                c.date.text if c.date else None, start, end,
                c.modality, c.attributed_to, q.get("value"), q.get("unit"), q.get("metric"),
                c.evidence_text, c.evidence_start, c.evidence_end, c.confidence, c.extractor,
                (c.codes or {}).get("plover"), (c.codes or {}).get("cameo"),
                source_kind, source_name, (c.codes or {}).get("record"), now, fact_key(c),
            ])
        if rows:
            # recorded first: should the caller not be in a transaction, a crash between the
            # two statements leaves work pending that is not needed, never claims unseen
            self.mark_pending([doc_id or "*"])
            self.conn.executemany(
                "INSERT INTO claims VALUES (" + ", ".join(["?"] * 33) + ")", rows
            )
        return ids

    def claim_columns(self) -> list[str]:
        """The claims table's columns, in order (what ``add_claims_frame`` expects)."""
        return [r[0] for r in self._sql("DESCRIBE claims").fetchall()]

    def add_claims_frame(self, frame: Any) -> int:
        """Insert a batch of claims given as a pandas DataFrame (or pyarrow Table) with
        the claims table's columns, inside the caller's transaction. Claims whose id is
        already stored are left as they are (re-importing a dataset adds nothing).
        Returns the number of rows inserted. One bulk statement: importers stream a file
        in batches of tens of thousands of rows through here."""
        self.mark_pending(["*"])
        self.conn.register("_claims_frame", frame)
        try:
            before = self._sql("SELECT count(*) FROM claims").fetchall()[0][0]
            self._sql("INSERT OR IGNORE INTO claims BY NAME SELECT * FROM _claims_frame")
            return self._sql("SELECT count(*) FROM claims").fetchall()[0][0] - before
        finally:
            self.conn.unregister("_claims_frame")

    def claims(
        self, *, doc: str | None = None, type: str | None = None, actor: str | None = None,
        modality: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[Claim]:
        """Stored claims, filtered; in document order of their evidence."""
        where, params = [], []
        if doc:
            where.append("(doc_id = ? OR starts_with(doc_id, ?))")
            params += [doc, doc]
        if type:
            where.append("type = ?")
            params.append(type)
        if actor:
            where.append("(subject_id = ? OR object_id = ? OR list_contains(json_extract_string(parties, '$[*].id'), ?))")
            params += [actor, actor, actor]
        if modality:
            where.append("modality = ?")
            params.append(modality)
        sql = f"SELECT {_CLAIM_COLUMNS}, source_name, source_record FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY doc_id, evidence_start, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        out = []
        for r in self._sql(sql, params).fetchall():
            c = _claim_from_row(r[:26])
            if r[26]:  # imported from a dataset: say which, and which record
                c.codes["source"], c.codes["record"] = r[26], r[27]
            out.append(c)
        return out

    def count_claims(self) -> int:
        return self._sql("SELECT count(*) FROM claims").fetchall()[0][0]


    def claims_with_keys(self, keys: Sequence[str] | None = None) -> list[Claim]:
        """Every claim (or those about these events), with their ids, for rebuilding facts."""
        sql = f"SELECT {_CLAIM_COLUMNS}, source_name, created_at, source_record FROM claims"
        params: list[Any] = []
        if keys is not None:
            sql += " WHERE fact_key IN (SELECT unnest(?))"
            params = [list(keys)]
        # table order: merging breaks ties by the order it sees claims in
        return self._claims_with_source(sql + " ORDER BY rowid", params)

    def _claims_with_source(self, sql: str, params: Sequence[Any]) -> list[Claim]:
        out = []
        for r in self._sql(sql, params).fetchall():
            c = _claim_from_row(r[:26])
            c.codes["source"] = r[26]
            c.codes["created_at"] = r[27]
            if r[28]:
                c.codes["record"] = r[28]
            out.append(c)
        return out

    def facts_by_ids(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return self._dicts(f"""
            SELECT f.*, {_DOC_COLS}
            FROM facts f LEFT JOIN documents d ON d.id = f.evidence_doc
            WHERE f.id IN (SELECT unnest(?))
        """, [list(ids)])

    def document_names(self) -> dict[str, str]:
        """Each document's id -> the file name or URL it came from (for messages)."""
        rows = self._sql("SELECT id, source FROM documents").fetchall()
        return {i: (src.rsplit("/", 1)[-1] if src and "://" not in src else src) or i for i, src in rows}

    def first_published(self) -> dict[str, Any]:
        """Each document's publication day (or ingestion day when it has none)."""
        rows = self._sql("SELECT id, published, CAST(ingested_at AS DATE) FROM documents").fetchall()
        out = {}
        for doc_id, pub, ingested in rows:
            out[doc_id] = PartialDate.parse(pub).bounds()[1] if pub else ingested
        return out

    # -- derived tables: facts, states, conflicts -----------------------------------------

    def mark_pending(self, doc_ids: Sequence[str]) -> None:
        """Record that these documents' claims (``"*"``: every claim) are not yet reflected
        in facts, states and conflicts. Call in the transaction that writes the claims."""
        self._sql("INSERT INTO derive_pending SELECT unnest(?::VARCHAR[])", [list(doc_ids)])

    def pending(self) -> list[str]:
        """Documents whose claims are awaiting derivation (``"*"``: a full rebuild)."""
        return [r[0] for r in self._sql("SELECT DISTINCT doc_id FROM derive_pending ORDER BY doc_id").fetchall()]

    def clear_pending(self, doc_ids: Sequence[str]) -> None:
        """Forget pending work once it is derived."""
        self._sql("DELETE FROM derive_pending WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(doc_ids)])

    def derivation_scope(self, doc_ids: Sequence[str]) -> list[str]:
        """The events whose facts, states and conflicts the claims of these documents can
        change: their own, every event of a relation or exit between the same two actors
        (an exit ends a relation), and every figure between the same actors (figures
        conflict across measures)."""
        rows = self._sql(f"""
            WITH mine AS (SELECT * FROM claims WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))),
            pairs AS (SELECT DISTINCT {_PAIR} AS pair FROM mine WHERE type IN (SELECT unnest(?::VARCHAR[]))
                      UNION SELECT DISTINCT {_PARTIES} FROM mine WHERE parties IS NOT NULL),
            figures AS (SELECT DISTINCT subject_id, object_id FROM mine WHERE type = 'quantity')
            SELECT fact_key FROM mine
            UNION SELECT fact_key FROM claims WHERE type IN (SELECT unnest(?::VARCHAR[]))
                  AND ({_PAIR} IN (SELECT pair FROM pairs)
                       OR (parties IS NOT NULL AND {_PARTIES} IN (SELECT pair FROM pairs)))
            UNION SELECT c.fact_key FROM claims c JOIN figures q
                  ON c.subject_id IS NOT DISTINCT FROM q.subject_id AND c.object_id IS NOT DISTINCT FROM q.object_id
                  WHERE c.type = 'quantity'
        """, [list(doc_ids), list(_RELATION_TYPES), list(_RELATION_TYPES)]).fetchall()  # noqa: S608 - fixed text
        return sorted(r[0] for r in rows if r[0] is not None)

    def stage_derivation(self, keys: Sequence[str] | None) -> list[str]:
        """Stage the claims of these events (None: all) for ``derive_plain``; returns the
        events the Python reference must merge (see store/derive.py)."""
        derive.stage_claims(self.conn, keys)
        return derive.python_keys(self.conn)

    def staged_python_claims(self) -> list[Claim]:
        """The claims of the staged events that the Python reference merges, in table order."""
        return self._claims_with_source(
            f"SELECT {_CLAIM_COLUMNS}, source_name, created_at, source_record FROM claims "
            "WHERE fact_key IN (SELECT fact_key FROM _d_py) ORDER BY rowid", [])

    def delete_derived(self, keys: Sequence[str] | None) -> None:
        """Remove the facts of these events (None: all), their states and conflicts."""
        if keys is None:
            for t in ("fact_claims", "facts", "states", "conflicts", "actor_answers", "fact_actors", "pair_facts"):
                self._sql(f"DELETE FROM {t}")  # noqa: S608 - fixed names
            return
        self._sql("CREATE OR REPLACE TEMP TABLE _d_old AS SELECT id FROM facts WHERE key IN (SELECT unnest(?::VARCHAR[]))",
                  [list(keys)])
        self._sql("DELETE FROM conflicts WHERE key IN (SELECT unnest(?::VARCHAR[])) OR list_has_any("
                  "json_extract_string(fact_ids, '$[*]'), (SELECT coalesce(list(id), []) FROM _d_old))", [list(keys)])
        self._sql("DELETE FROM states WHERE fact_id IN (SELECT id FROM _d_old) OR ended_by IN (SELECT id FROM _d_old)")
        # a state's fact_key is its fact's key: the states of the old facts and the claims of these events
        self._sql("DELETE FROM actor_answers WHERE fact_key IN (SELECT unnest(?::VARCHAR[]))", [list(keys)])
        self._sql("DELETE FROM fact_actors WHERE fact_id IN (SELECT id FROM _d_old)")
        self._sql("DELETE FROM pair_facts WHERE fact_id IN (SELECT id FROM _d_old)")
        self._sql("DELETE FROM fact_claims WHERE fact_id IN (SELECT id FROM _d_old)")
        self._sql("DELETE FROM facts WHERE id IN (SELECT id FROM _d_old)")
        self._sql("DROP TABLE _d_old")

    def derive_plain(self) -> list[str]:
        """Facts, states and modality conflicts of the staged plain events, in SQL; returns
        the plain events whose date conflicts the reference must word."""
        derive.insert_facts(self.conn)
        derive.insert_states(self.conn)
        derive.insert_modality_conflicts(self.conn)
        return derive.date_conflict_keys(self.conn)

    def derived_counts(self, keys: Sequence[str] | None) -> dict[str, int]:
        """Claims, facts, states and conflicts of these events (None: all)."""
        if keys is None:
            q = ("SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM facts), "
                 "(SELECT count(*) FROM states), (SELECT count(*) FROM conflicts)")
            row = self._sql(q).fetchall()[0]
        else:
            row = self._sql(
                "SELECT (SELECT count(*) FROM _d_claims), (SELECT count(*) FROM facts WHERE key IN (SELECT unnest(?::VARCHAR[]))), "
                "(SELECT count(*) FROM states WHERE fact_id IN (SELECT id FROM facts WHERE key IN (SELECT unnest(?::VARCHAR[])))), "
                "(SELECT count(*) FROM conflicts WHERE key IN (SELECT unnest(?::VARCHAR[])))", [list(keys)] * 3).fetchall()[0]
        return dict(zip(("claims", "facts", "states", "conflicts"), row))

    def fill_answer_tables(self, keys: Sequence[str] | None) -> None:
        """After facts and states of these events (None: all) are in place: the per-actor
        tables the as-of questions read."""
        derive.fill_answer_tables(self.conn, keys)

    def end_derivation(self) -> None:
        derive.drop_staging(self.conn)

    def insert_facts(self, facts: Sequence[Fact]) -> None:
        """Add facts (and their links to claims) made by ``facts.merge_facts``."""
        import pandas as pd

        if not facts:
            return
        rows, links = [], []
        for f in facts:
            q = f.quantity or {}
            start, end = f.date.bounds() if f.date else (None, None)
            kinds = sorted({"dataset" if c.codes.get("source") else "extracted" for c in f.claims})
            recorded = min((c.codes.get("created_at") for c in f.claims if c.codes.get("created_at")), default=None)
            rows.append({
                "id": f.id, "key": f.key, "type": f.type, "subtype": f.subtype,
                "subject_id": f.subject.id if f.subject else None, "subject_name": f.subject.name if f.subject else None,
                "subject_kind": f.subject.kind if f.subject else None,
                "object_id": f.object.id if f.object else None, "object_name": f.object.name if f.object else None,
                "object_kind": f.object.kind if f.object else None,
                "parties": json.dumps([p.to_json() for p in f.parties]) if f.parties else None,
                "date_value": f.date.value if f.date else None, "date_precision": f.date.precision if f.date else None,
                "date_start": start, "date_end": end, "date_claim": f.date_claim, "modality": f.modality,
                "n_claims": f.n_claims, "n_sources": f.n_sources, "confidence": f.confidence,
                "best_claim": f.best_claim().id, "quantity_value": q.get("value"), "quantity_unit": q.get("unit"),
                "quantity_metric": q.get("metric"), "source_kinds": ",".join(kinds), "recorded_at": recorded,
                **_evidence_cols(f.best_claim()),
            })
            links.extend({"fact_id": f.id, "claim_id": c.id} for c in f.claims)
        facts_df = pd.DataFrame(rows)
        links_df = pd.DataFrame(links)
        self.conn.register("_facts_df", facts_df)
        self.conn.register("_links_df", links_df)
        try:
            self._sql("INSERT INTO facts SELECT * FROM _facts_df")
            self._sql("INSERT INTO fact_claims SELECT * FROM _links_df")
        finally:
            self.conn.unregister("_facts_df")
            self.conn.unregister("_links_df")

    def insert_states(self, states: Sequence[Any]) -> None:
        """Add relation states made by ``states.derive_states``."""
        import pandas as pd

        if not states:
            return
        rows = []
        for st in states:
            recorded = min((c.codes.get("created_at") for c in st.fact.claims if c.codes.get("created_at")), default=None)
            rows.append({
                "id": st.id, "state": st.state, "a_id": st.a.id, "a_name": st.a.name, "a_kind": st.a.kind,
                "b_id": st.b.id, "b_name": st.b.name, "b_kind": st.b.kind,
                "start_value": st.start.value if st.start else None,
                "start_precision": st.start.precision if st.start else None,
                "start_day": st.start_day, "start_known": st.start_known,
                "end_value": st.end.value if st.end else None, "end_precision": st.end.precision if st.end else None,
                "end_day": st.end_day, "fact_id": st.fact.id, "ended_by": st.ended_by.id if st.ended_by else None,
                "recorded_at": recorded, "n_sources": st.fact.n_sources, "confidence": st.fact.confidence,
                "source_kinds": ",".join(sorted({"dataset" if c.codes.get("source") else "extracted" for c in st.fact.claims})),
                "best_claim": st.fact.best_claim().id, **_evidence_cols(st.fact.best_claim()),
            })
        df = pd.DataFrame(rows)
        self.conn.register("_states_df", df)
        try:
            self._sql("INSERT INTO states SELECT * FROM _states_df")
        finally:
            self.conn.unregister("_states_df")

    def insert_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        for c in conflicts:
            actors = sorted({a for f in c.facts for a in f.actor_ids()})
            self._sql("INSERT OR REPLACE INTO conflicts VALUES (?, ?, ?, ?, ?, ?)",
                      [c.id, c.kind, c.reason, c.key, json.dumps([f.id for f in c.facts]), json.dumps(actors)])

    def states_as_of(self, actor: str, *, states: Sequence[str], at: Any, known_at: Any = None,
                     source: str | None = None) -> list[dict[str, Any]]:
        """Relation states of ``actor`` holding on day ``at`` (as known at ``known_at``),
        earliest start first, with the best evidence of each."""
        return _with_days(self.relation_rows(actor, states=states, at=at, known_at=known_at, source=source)[0])

    def relation_rows(self, actor: str, *, states: Sequence[str], at: Any, known_at: Any = None,
                      source: str | None = None, discussed: Sequence[str] = ()) -> tuple[list[dict[str, Any]],
                                                                                     list[dict[str, Any]]]:
        """What one relations answer reads: the states of ``states_as_of`` (their days and
        times left as ISO text) and the speculative and planned claims of the types in
        ``discussed`` (as ``discussed`` gives them). Both are rows of actor_answers
        (migration 8), so that one scan finds both: each statement costs DuckDB about as much
        as the rows of an answer cost in Python."""
        cond, params = _state_filter(actor, states, at, known_at, source)
        if not discussed:
            return self._answer_rows(cond, params)
        talk = [f"?{t}" for t in discussed]
        if known_at is None and source in (None, "all"):  # claims discussed "hold" on every day
            cond, params = _state_filter(actor, [*states, *talk], at, None, None)
            return self._answer_rows(cond, params)
        held = self._answer_rows(cond, params)[0]  # those filters are for states only
        return held, self.discussed(actor, types=discussed)

    def _answer_rows(self, cond: str, params: Sequence[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The rows of actor_answers meeting ``cond``: states, earliest start first, and
        claims discussed, in document order. Sorted here: an ORDER BY costs DuckDB more than
        the few rows of an answer do in Python. The days stay ISO text, which sorts as dates."""
        found = self._sql(f"SELECT s.kind, s.row FROM actor_answers s WHERE {cond}", params).fetchall()
        loads = orjson.loads
        held = [loads(raw) for kind, raw in found if kind[0] != "?"]
        held.sort(key=_state_order)
        talk = [loads(raw) for kind, raw in found if kind[0] == "?"]
        talk.sort(key=_discussed_order)
        return held, talk

    def allied_links(self) -> list[dict[str, Any]]:
        """Every dated ``allied`` state with its fact's subtype (the obligations) and the
        dataset records behind it ("ATOP 5.1|3740:0:200:255"), for the alliance forecaster."""
        return self._dicts("""
            SELECT s.fact_id, s.a_id, s.a_name, s.a_kind, s.b_id, s.b_name, s.b_kind, s.start_day, s.end_day,
                   f.subtype, list(DISTINCT c.source_name || '|' || c.source_record) AS records
            FROM states s JOIN facts f ON f.id = s.fact_id
            LEFT JOIN fact_claims fc ON fc.fact_id = s.fact_id
            LEFT JOIN claims c ON c.id = fc.claim_id AND c.source_kind = 'dataset' AND c.source_record IS NOT NULL
            WHERE s.state = 'allied' AND s.start_day IS NOT NULL
            GROUP BY ALL ORDER BY s.fact_id, s.start_day
        """, [])

    def member_links(self) -> list[dict[str, Any]]:
        """Every dated ``member_of`` state (member, organisation, from, to), for the
        membership forecaster."""
        return self._dicts("""
            SELECT fact_id, a_id, a_name, a_kind, b_id, b_name, b_kind, start_day, end_day
            FROM states WHERE state = 'member_of' AND start_day IS NOT NULL
            ORDER BY fact_id, start_day
        """, [])

    def members_as_of(self, org: str, *, at: Any, known_at: Any = None, days: bool = True) -> list[dict[str, Any]]:
        """The member_of states of ``org`` holding on ``at``, earliest start first (``days``:
        start, end and recording as dates, else left as ISO text)."""
        cond = ("s.actor_id = ? AND s.b_id = ? AND s.kind = 'member_of' AND s.start_day <= ? "
                "AND (s.end_day IS NULL OR s.end_day > ?)")
        params: list[Any] = [org, org, at, at]
        if known_at is not None:
            cond += " AND s.recorded_at <= ?"
            params.append(known_at)
        rows = self._answer_rows(cond, params)[0]
        return _with_days(rows) if days else rows

    def facts_for(self, actor: str | None = None, other: str | None = None, *, types: Sequence[str] | None = None,
                  start: Any = None, end: Any = None, modality: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Facts involving ``actor`` (and ``other``), in date order, with their best evidence.
        With an actor, its rows of fact_actors (sorted by actor, migration 6) are searched,
        then the wide rows fetched for the ids found."""
        where, params = ["TRUE"], []
        if other and actor:
            where.append("list_contains(f.actor_ids, ?)")
            params.append(other)
        elif other:
            where.append("(f.subject_id = ? OR f.object_id = ? OR list_contains(json_extract_string(f.parties, '$[*].id'), ?))")
            params += [other, other, other]
        if types:
            where.append(f"f.type IN ({', '.join('?' * len(types))})")
            params += list(types)
        if start is not None:
            where.append("f.date_end >= ?")
            params.append(start)
        if end is not None:
            where.append("f.date_start <= ?")
            params.append(end)
        if modality:
            where.append("f.modality = ?")
            params.append(modality)
        cond = " AND ".join(where)
        if actor and other and actor != other:
            return self._pair_facts(actor, other, types=types, start=start, end=end, modality=modality)[
                offset:None if limit is None else offset + limit]
        if actor:
            # sorted here: DuckDB's ORDER BY costs more than sorting an actor's rows does
            found = self._sql(f"SELECT f.fact_id, f.date_start, f.type FROM fact_actors f WHERE f.actor_id = ? AND {cond}",
                              [actor, *params]).fetchall()
            found.sort(key=lambda r: (r[1] is None, r[1] or date.min, r[2], r[0]))
            ids = [r[0] for r in found][offset:None if limit is None else offset + limit]
            return self._rows_by_ids("facts", ids)
        sql = f"SELECT f.id FROM facts f WHERE {cond} ORDER BY f.date_start NULLS LAST, f.type, f.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        ids = [r[0] for r in self._sql(sql, params).fetchall()]
        return self._rows_by_ids("facts", ids)

    def _pair_facts(self, a: str, b: str, *, types: Sequence[str] | None, start: Any, end: Any,
                    modality: str | None) -> list[dict[str, Any]]:
        """The facts of two actors (migration 7: one narrow scan of the pair's rows, each
        fact's row a JSON array), filtered and ordered as ``facts_for`` does in SQL."""
        found = self._sql("SELECT row FROM pair_facts WHERE lo_id = ? AND hi_id = ?", [min(a, b), max(a, b)]).fetchall()
        cols = self._pair_columns()
        rows = []
        for (raw,) in found:
            r = dict(zip(cols, orjson.loads(raw)))
            for k in ("date_start", "date_end"):
                r[k] = date.fromisoformat(r[k]) if r[k] else None
            if ((types and r["type"] not in types) or (modality and r["modality"] != modality)
                    or (start is not None and (r["date_end"] is None or r["date_end"] < start))
                    or (end is not None and (r["date_start"] is None or r["date_start"] > end))):
                continue
            r["recorded_at"] = datetime.fromisoformat(r["recorded_at"]) if r["recorded_at"] else None
            rows.append(r)
        rows.sort(key=lambda r: (r["date_start"] is None, r["date_start"] or date.min, r["type"], r["id"]))
        return rows

    def _pair_columns(self) -> list[str]:
        if self._facts_columns is None:
            self._facts_columns = [r[0] for r in self._sql("DESCRIBE facts").fetchall()]
        return [*self._facts_columns, "evidence_source", "evidence_title", "evidence_published"]

    def _rows_by_ids(self, table: str, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Whole rows (with their evidence document) of ``table`` for these ids, in this
        order. A few dozen ids at a time go through the primary-key index, so a narrow
        search plus this is much cheaper than scanning every wide column."""
        if table not in ("facts", "states"):
            raise StoreError(f"No table {table!r} to read rows from.")
        head = f"SELECT t.* FROM {table} t "  # noqa: S608
        out: dict[str, dict[str, Any]] = {}
        if len(ids) > 192:  # many rows: one vectorised pass is cheaper than many index probes
            out.update((r["id"], r) for r in self._dicts(head + "WHERE t.id IN (SELECT unnest(?))", [list(ids)]))
        else:
            for i in range(0, len(ids), 64):
                chunk = list(ids[i : i + 64])
                rows = self._dicts(head + f"WHERE t.id IN ({', '.join('?' * len(chunk))})", chunk)
                out.update((r["id"], r) for r in rows)
        # the evidence documents apart: a join would make DuckDB scan the table, not probe its key
        docs = sorted({r["evidence_doc"] for r in out.values() if r.get("evidence_doc")})
        names = {}
        if docs:
            names = {r[0]: r[1:] for r in self._sql(
                "SELECT id, source, title, published FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [docs]).fetchall()}
        for r in out.values():
            r["evidence_source"], r["evidence_title"], r["evidence_published"] = names.get(r.get("evidence_doc"),
                                                                                          (None, None, None))
        return [out[i] for i in ids if i in out]

    def fact(self, fact_id: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM facts WHERE id = ? OR starts_with(id, ?) LIMIT 2", [fact_id, fact_id])
        return rows[0] if len(rows) == 1 else None

    def evidence(self, fact_id: str) -> list[dict[str, Any]]:
        """Every claim supporting a fact, with its sentence and document."""
        return self._dicts(f"""
            SELECT c.id AS claim_id, c.type, c.modality, c.date_value, c.date_precision, c.attributed_to,
                   c.confidence, c.source_kind, c.source_name, c.source_record,
                   {_BEST_CLAIM_COLS}
            FROM fact_claims fc JOIN claims c ON c.id = fc.claim_id
            LEFT JOIN documents d ON d.id = c.doc_id
            WHERE fc.fact_id = ?
            ORDER BY d.published NULLS LAST, c.doc_id, c.evidence_start
        """, [fact_id])

    def discussed(self, actor: str, *, types: Sequence[str]) -> list[dict[str, Any]]:
        """Speculative and planned claims of these types involving ``actor``."""
        kinds = [f"?{t}" for t in types]
        return self._answer_rows(f"s.actor_id = ? AND s.kind IN ({', '.join('?' * len(kinds)) or 'NULL'})",
                                 [actor, *kinds])[1]

    def conflicts_for(self, actor: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM conflicts"
        params: list[Any] = []
        if actor:
            sql += " WHERE list_contains(json_extract_string(actor_ids, '$[*]'), ?)"
            params.append(actor)
        return self._dicts(sql + " ORDER BY kind, id", params)

    # -- exports and imports (Parquet, CSV) ---------------------------------------------

    EXPORTABLE = ("documents", "claims", "facts", "fact_claims", "states", "conflicts")

    def table(self, name: str, *, at: Any = None) -> Any:
        """A whole table as a pyarrow Table, in a stable order (states as of ``at`` if given)."""
        if name not in self.EXPORTABLE:
            raise StoreError(f"No table {name!r} to export. Tables: {', '.join(self.EXPORTABLE)}.")
        order = {"fact_claims": "fact_id, claim_id"}.get(name, "id")
        if name == "states" and at is not None:
            return self._arrow(
                "SELECT * FROM states WHERE start_day IS NOT NULL AND start_day <= ? "
                "AND (end_day IS NULL OR end_day > ?) ORDER BY id", [at, at])
        return self._arrow(f"SELECT * FROM {name} ORDER BY {order}")  # noqa: S608 - name checked above

    def _arrow(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        if self.trace:
            print(f"SQL: {' '.join(sql.split())}  params={list(params or [])}", file=sys.stderr)
        return self.conn.sql(sql, params=list(params) if params else None).to_arrow_table()

    def load_table(self, name: str, table: Any) -> int:
        """Append rows of a pyarrow Table (from ``table``) into the table of that name,
        inside the caller's transaction; columns must match this schema exactly."""
        if name not in ("documents", "claims"):
            raise StoreError(f"Only documents and claims are imported; {name} is derived (run rebuild).")
        mine = [r[0] for r in self._sql(f"DESCRIBE {name}").fetchall()]  # noqa: S608
        if list(table.column_names) != mine:
            raise StoreError(
                f"The {name} file's columns do not match this store's schema (version {SCHEMA_VERSION}): "
                f"expected {mine}, found {list(table.column_names)}."
            )
        if name == "claims":
            self.mark_pending(["*"])
        self.conn.register("_import", table)
        try:
            before = self._sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]  # noqa: S608
            self._sql(f"INSERT INTO {name} SELECT * FROM _import WHERE id NOT IN (SELECT id FROM {name})")  # noqa: S608
            return self._sql(f"SELECT count(*) FROM {name}").fetchall()[0][0] - before  # noqa: S608
        finally:
            self.conn.unregister("_import")

    def _dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cur = self._sql(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


def _state_filter(actor: str, kinds: Sequence[str], at: Any, known_at: Any,
                  source: str | None) -> tuple[str, list[Any]]:
    """The condition on actor_answers for ``actor``'s rows of these kinds holding on ``at``."""
    # IN (?, ?): a list unnested in a subquery makes a join, slower than the whole scan
    cond = (f"s.actor_id = ? AND s.kind IN ({', '.join('?' * len(kinds)) or 'NULL'}) "
            "AND s.start_day <= ? AND (s.end_day IS NULL OR s.end_day > ?)")
    params: list[Any] = [actor, *kinds, at, at]
    if known_at is not None:
        cond += " AND s.recorded_at <= ?"
        params.append(known_at)
    if source in ("extracted", "dataset"):
        cond += " AND s.source_kinds LIKE ?"
        params.append(f"%{source}%")
    elif source not in (None, "all"):
        # a dataset by name ("atop" matches "ATOP 5.1"): some claim of the fact is from it
        cond += (" AND EXISTS (SELECT 1 FROM fact_claims fc JOIN claims c2 ON c2.id = fc.claim_id"
                 " WHERE fc.fact_id = s.fact_id AND c2.source_name ILIKE ?)")
        params.append(f"{source}%")
    return cond, params


def _state_order(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["start_day"], r["a_id"], r["b_id"], r["id"])  # start_day: never null in an as-of answer


def _discussed_order(r: dict[str, Any]) -> tuple[Any, ...]:
    d, s = r["evidence_doc"], r["evidence_start"]
    return (d is None, d or "", s is None, s or 0, r["claim_id"])


def _with_days(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """State rows with their start, end and recording as dates and times."""
    for r in rows:
        for k in ("start_day", "end_day"):
            r[k] = date.fromisoformat(r[k]) if r[k] else None
        r["recorded_at"] = datetime.fromisoformat(r["recorded_at"]) if r["recorded_at"] else None
    return rows


_RELATION_TYPES = (*derive.STATE_TYPES, "other", "diplomatic_relations")
_PAIR = "list_sort(list_filter([subject_id, object_id], lambda x: coalesce(x, '') <> ''))"
_PARTIES = "list_sort(json_extract_string(parties, '$[*].id'))"

_DOC_COLS = "d.source AS evidence_source, d.title AS evidence_title, d.published AS evidence_published"


def _evidence_cols(c: Claim) -> dict[str, Any]:
    return {
        "evidence_doc": c.doc, "evidence_text": c.evidence_text, "evidence_start": c.evidence_start,
        "evidence_end": c.evidence_end, "evidence_attributed_to": c.attributed_to,
        "evidence_source_kind": "dataset" if c.codes.get("source") else "extracted",
        "evidence_source_name": c.codes.get("source"),
    }


_BEST_CLAIM_COLS = (
    "c.doc_id AS evidence_doc, c.evidence_text, c.evidence_start, c.evidence_end, "
    "c.attributed_to AS evidence_attributed_to, c.source_kind AS evidence_source_kind, "
    "c.source_name AS evidence_source_name, d.source AS evidence_source, d.title AS evidence_title, "
    "d.published AS evidence_published"
)

_CLAIM_COLUMNS = (
    "id, doc_id, type, subtype, subject_id, subject_name, subject_kind, object_id, object_name, "
    "object_kind, parties, date_value, date_precision, date_text, modality, attributed_to, "
    "quantity_value, quantity_unit, quantity_metric, evidence_text, evidence_start, evidence_end, "
    "confidence, extractor, plover, cameo"
)


def _actor_cols(a: ActorRef | None) -> list[Any]:
    return [a.id, a.name, a.kind] if a else [None, None, None]


def _claim_from_row(r: Sequence[Any]) -> Claim:
    def actor(i: int) -> ActorRef | None:
        return ActorRef(r[i], r[i + 1], r[i + 2]) if r[i] else None

    parties = [ActorRef(p["id"], p["name"], p["kind"]) for p in json.loads(r[10])] if r[10] else None
    quantity = {"value": r[16], "unit": r[17], "metric": r[18]} if r[16] is not None else None
    return Claim(
        id=r[0], doc=r[1], type=r[2], subtype=r[3], subject=actor(4), object=actor(7), parties=parties,
        date=PartialDate(r[11], r[12], r[13]) if r[11] else None, modality=r[14], attributed_to=r[15],
        quantity=quantity, evidence_text=r[19] or "", evidence_start=r[20], evidence_end=r[21],
        confidence=r[22], extractor=r[23], codes={"plover": r[24], "cameo": r[25]},
    )


def _doc_from_row(r: Sequence[Any]) -> Document:
    published = PartialDate(r[5], r[6], r[7]) if r[5] else None
    doc = Document(
        id=r[0], source=r[1], url=r[2], title=r[3], author=r[4], published=published,
        published_method=r[8], format=r[9], extras=json.loads(r[10]) if r[10] else {},
        duplicate_of=r[11], similarity=r[12], ingested_at=r[13], raw_text="", text="",
        length=r[14],
    )
    return doc


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (comments removed first)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
