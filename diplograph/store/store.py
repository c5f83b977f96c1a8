"""The Store owns the DuckDB connection and every SQL statement diplograph runs.

Methods are named after the questions they answer. Parameters are always bound, never
formatted into SQL. ``trace=True`` prints each statement with its parameters."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from ..errors import DocumentNotFound, StoreError
from ..models import Document, PartialDate
from .migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)

_DOC_COLUMNS = (
    "id, source, url, title, author, published, published_precision, published_text, "
    "published_method, format, extras, duplicate_of, similarity, ingested_at, length(text)"
)


class Store:
    """A diplograph store: one DuckDB file (or ``:memory:``)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: str, *, trace: bool = False):
        self.conn = conn
        self.path = path
        self.trace = trace
        self._lock = threading.RLock()

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
            raise StoreError(
                f"Cannot open the store {path}: {e}. If another diplograph process is writing "
                "to it, wait for it to finish or use another --db."
            ) from e
        except duckdb.Error as e:
            raise StoreError(f"{path} is not a diplograph store (DuckDB could not read it: {e}).") from e
        store = cls(conn, path, trace=trace)
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
        return self.conn.execute(sql, params or [])

    def schema_version(self) -> int:
        exists = self._sql(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = self._sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

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
        return self._sql("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None

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
        for table, col in self._document_tables():
            self._sql(f"DELETE FROM {table} WHERE {col} = ?", [doc_id])  # noqa: S608 - fixed names
        self._sql("DELETE FROM documents WHERE id = ?", [doc_id])

    def _document_tables(self) -> list[tuple[str, str]]:
        # Tables that hang off documents; later migrations add theirs here.
        return [("document_bands", "doc_id"), ("document_minhash", "doc_id")]

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
        return self._sql("SELECT count(*) FROM documents").fetchone()[0]

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
