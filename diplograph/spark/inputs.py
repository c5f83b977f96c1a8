"""The job's inputs, planned on the driver and read in the executors.

Every input becomes *units* of work, each with an order key ``(input, file, record)``
that sorts documents the way ``diplograph ingest`` meets them, so that "the first copy
wins" (exact and near duplicates) means the same thing here as there:

- a folder (or a plain file): one unit per file, listed on the driver with the ingest's
  own walk (``documents.read.sources``) and read in an executor with the ingest's own
  reader (``read_source``), so ids, texts and dates are the same. The files must be on
  a filesystem the executors see (the local disk in ``local[*]``, a shared mount on a
  cluster).
- a JSON Lines file (``.jsonl``, ``.ndjson``, ``.jsonlines``): Spark's text reader, so a
  large file splits across executors and any Hadoop URI (``hdfs://``, ``s3a://``) works;
  each line is read like an ingested JSON Lines record (same fields, same line number).
- Parquet (a path ending in ``.parquet``, file or folder of parts): one document a row,
  with the fields of a JSON Lines record (``text`` or ``html``, ``title``, ``published``,
  ``url``, ...), each row read as that record would be.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..models import Document, PartialDate

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")

Order = tuple[int, ...]  # (input, file, record[, part]): sorts as ingest reads


@dataclass
class Read:
    """What reading one article gave: a document (with its MinHash fingerprint) or an error."""

    order: Order
    doc: Document | None = None
    signature: list[int] | None = None
    bands: list[tuple[int, int]] | None = None
    error: str | None = None


def kind(path: str) -> str:
    """How an input is read: "jsonl", "parquet" or "files"."""
    name = path.rstrip("/").lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(JSONL_SUFFIXES) and not Path(path).is_dir():
        return "jsonl"
    return "files"


def is_uri(path: str) -> bool:
    return "://" in path


def file_units(index: int, path: str) -> list[tuple[Order, str, str] | SourceError]:
    """(order, source name, absolute path) for each file of a folder input, in the
    ingest's order, or the ingest's error for a path that is missing or not a file."""
    from ..documents.read import sources

    if is_uri(path):
        return [SourceError(path, "is a URI: folders of files are read from a filesystem the executors share",
                            hint="copy the files to a shared mount, or give the documents as JSON Lines or Parquet")]
    out: list[tuple[Order, str, str] | SourceError] = []
    for j, src in enumerate(sources([path])):
        if isinstance(src, SourceError):
            out.append(src)
        else:
            assert src.path is not None
            out.append(((index, j, 0), src.name, str(src.path.resolve())))
    return out


# -- in the executors ----------------------------------------------------------------------


def read_file(unit: tuple[Order, str, str], *, max_bytes: int, published: PartialDate | None) -> Iterator[Read]:
    """Every article of one file, read as ``ingest`` reads it."""
    from ..documents.read import Source, read_source

    (i, j, _), name, path = unit
    for k, item in enumerate(read_source(Source(name, Path(path)), max_bytes=max_bytes, published=published)):
        yield _finish((i, j, k), item)


def read_record(order: Order, source: str, line: str, *, max_bytes: int,
                published: PartialDate | None) -> Iterator[Read]:
    """One JSON Lines record (or a Parquet row as JSON), read as ``ingest`` reads a line of
    a .jsonl file; ``order[2]`` is its line number from 1."""
    from ..documents import formats
    from ..documents.read import _mb, build

    if not line.strip():
        return
    if len(line.encode("utf-8")) > max_bytes:
        yield Read(order, error=str(SourceError(source, f"record is over the {_mb(max_bytes)} limit",
                                                line=order[2], hint="raise the max_bytes setting: DIPLOGRAPH_MAX_BYTES")))
        return
    try:
        for k, draft in enumerate(formats.read_jsonl_record(source, order[2], line.removeprefix("\ufeff"))):
            yield _finish((*order, k), build(draft, published=published))
    except SourceError as e:
        yield Read(order, error=str(e))


def row_json(row: dict[str, Any]) -> str:
    """A Parquet row as the JSON Lines record it stands for (dates as ISO text)."""
    def plain(v: Any) -> Any:
        if isinstance(v, (date, datetime)):
            return v.isoformat()
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return json.dumps({k: plain(v) for k, v in row.items() if v is not None}, ensure_ascii=False)


def _finish(order: Order, item: Document | SourceError) -> Read:
    if isinstance(item, SourceError):
        return Read(order, error=str(item))
    from ..documents import fingerprint

    fp = fingerprint(item.text)
    return Read(order, doc=item, signature=fp.signature, bands=fp.bands)
