"""In the executors: extract claims from documents and turn both into table rows.

Rows are made by the Store itself, in an in-memory DuckDB kept by each Python worker
(Spark reuses its workers, so that store and the spaCy pipeline load once per worker):
a document and its claims are written with the very calls ``ingest`` makes
(``add_document``, ``add_claims``), then read back as rows. The Parquet the job writes
therefore has the columns, ids, fact keys and JSON encodings of a local store, and the
schema is DuckDB's, translated once (``spark_schema``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from typing import Any

from .inputs import Read

TABLES = ("documents", "claims")
FLUSH_EVERY = 100  # documents written to the worker's store before their rows are handed on


@cache
def _store() -> Any:
    from ..store import Store

    return Store.open(":memory:")


def extract_rows(reads: Iterable[Read], *, near: dict[str, tuple[str, float]],
                 ingested_at: datetime) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """("documents" | "claims", row) for every document of a partition and its claims.
    ``near`` maps a near-duplicate's id to (its original, the similarity): it is kept
    without claims, as ``ingest`` keeps it."""
    from ..api import Graph

    store = _store()
    pending = 0
    for r in reads:
        doc = r.doc
        assert doc is not None
        doc.duplicate_of, doc.similarity = near.get(doc.id, (None, None))
        doc.ingested_at = ingested_at
        try:
            claims = [] if doc.duplicate_of else Graph._extract(doc)
        except Exception as e:
            raise RuntimeError(f"extracting claims from {doc.source} (document {doc.id}) failed: {e}") from e
        with store.transaction():
            store.add_document(doc)
            store.add_claims(claims, doc_id=doc.id, created_at=ingested_at)
        pending += 1
        if pending >= FLUSH_EVERY:
            yield from _flush(store)
            pending = 0
    if pending:
        yield from _flush(store)


def _flush(store: Any) -> Iterator[tuple[str, tuple[Any, ...]]]:
    rows = {name: store.conn.execute(f"SELECT * FROM {name}").fetchall() for name in TABLES}
    with store.transaction():
        for name in ("claims", "documents", "derive_pending"):
            store.conn.execute(f"DELETE FROM {name}")
    for name in TABLES:
        for row in rows[name]:
            yield name, tuple(row)


def duckdb_columns(name: str) -> list[tuple[str, str, bool]]:
    """(column, DuckDB type, nullable) of a store table, in order."""
    from ..store import Store

    with Store.open(":memory:") as store:
        return [(r[0], r[1], r[2] == "YES") for r in store.conn.execute(f"DESCRIBE {name}").fetchall()]


def spark_schema(name: str) -> Any:
    """The Spark schema of a store table (claims or documents)."""
    from pyspark.sql import types as T

    types = {
        "VARCHAR": T.StringType(), "JSON": T.StringType(), "INTEGER": T.IntegerType(),
        "BIGINT": T.LongType(), "DOUBLE": T.DoubleType(), "FLOAT": T.FloatType(),
        "BOOLEAN": T.BooleanType(), "DATE": T.DateType(),
        # naive timestamps, as the store keeps them (UTC): no time zone added or shifted
        "TIMESTAMP": T.TimestampNTZType(),
    }
    fields = []
    for col, typ, nullable in duckdb_columns(name):
        if typ not in types:
            raise TypeError(f"{name}.{col}: no Spark type for DuckDB's {typ}")
        fields.append(T.StructField(col, types[typ], nullable))
    return T.StructType(fields)
