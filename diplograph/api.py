"""Graph: the facade every surface (CLI, REST, web, Python users) calls.

    >>> from diplograph import Graph
    >>> g = Graph.open(":memory:")
    >>> report = g.ingest(["../shared/seeds"])
    >>> [d.title for d in g.documents()]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from . import documents as documents_stage
from .errors import SourceError
from .models import Document, PartialDate
from .settings import load_settings
from .store import Store


@dataclass
class IngestReport:
    """What one ``ingest`` call did, document by document. The documents listed here carry
    their metadata only (``text`` and ``raw_text`` are empty, ``size`` is kept), so a
    report of a large ingest stays small; ``Graph.document(id)`` gives the texts."""

    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, existing id)
    near_duplicates: list[Document] = field(default_factory=list)
    failed: list[SourceError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> dict[str, int]:
        return {
            "ingested": len(self.ingested),
            "near_duplicates": len(self.near_duplicates),
            "duplicates": len(self.duplicates),
            "failed": len(self.failed),
        }


ProgressCallback = Callable[[str, Document | SourceError | None], None]
SourceCallback = Callable[[int, int], None]  # (input files done, input files in all)


class Graph:
    """A diplograph store and the operations on it."""

    def __init__(self, store: Store, settings: dict[str, Any]):
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, path: str | Path | None = None, **overrides: Any) -> Graph:
        """Open the store at ``path`` (default: the ``db`` setting), creating it on first use."""
        settings = load_settings({"db": str(path) if path is not None else None, **overrides})
        store = Store.open(settings["db"], trace=bool(settings["trace"]))
        return cls(store, settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingestion ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        published: PartialDate | None = None,
        force: bool = False,
        stdin: BinaryIO | None = None,
        progress: ProgressCallback | None = None,
        on_source: SourceCallback | None = None,
    ) -> IngestReport:
        """Read files, folders (recursively) or ``-`` (stdin), and store each new document
        in its own transaction. Returns what was ingested, skipped and why.

        :param published: reference date for documents that carry none (overrides all).
        :param force: re-process documents already stored (replacing what was derived).
        :param progress: called with ("ingested" | "near_duplicate" | "duplicate" | "failed",
            the document or error) for each article read.
        :param on_source: called after each input file with (files done, files in all).
        """
        report = IngestReport()
        threshold = float(self.settings["near_duplicate_threshold"])
        for item in documents_stage.read(
            [str(p) for p in paths],
            max_bytes=int(self.settings["max_bytes"]),
            published=published,
            stdin=stdin,
            on_source=on_source,
        ):
            if isinstance(item, SourceError):
                report.failed.append(item)
                if progress:
                    progress("failed", item)
                continue
            doc = item
            if self.store.has_document(doc.id) and not force:
                report.duplicates.append((doc.source, doc.id))
                if progress:
                    progress("duplicate", doc)
                continue
            fp = documents_stage.fingerprint(doc.text)
            best: tuple[float, str] | None = None
            for other_id, other_sig in self.store.near_duplicate_candidates(
                fp.bands, min_shared=documents_stage.MIN_SHARED_BANDS
            ):
                if other_id == doc.id:
                    continue
                sim = documents_stage.similarity(fp.signature, other_sig)
                if sim >= threshold and (best is None or sim > best[0]):
                    best = (sim, other_id)
            if best:
                doc.similarity, doc.duplicate_of = best
            doc.ingested_at = datetime.now(timezone.utc).replace(tzinfo=None)
            with self.store.transaction():
                if force:
                    self.store.delete_document(doc.id)
                self.store.add_document(doc, bands=fp.bands, signature=fp.signature)
            (report.near_duplicates if doc.duplicate_of else report.ingested).append(
                replace(doc, text="", raw_text="", length=len(doc.text))
            )
            if progress:
                progress("near_duplicate" if doc.duplicate_of else "ingested", doc)
        return report

    # -- documents ----------------------------------------------------------------------

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Stored documents (without their text), most recently ingested first."""
        return self.store.documents(limit=limit, offset=offset)

    def document(self, doc_id: str) -> Document:
        """One stored document with its cleaned and raw text, by id, id prefix or source."""
        return self.store.document(doc_id)
