"""Graph: the facade every surface (CLI, REST, web, Python users) calls.

    >>> from diplograph import Graph
    >>> g = Graph.open(":memory:")
    >>> report = g.ingest(["../shared/seeds"])
    >>> [d.title for d in g.documents()]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from . import documents as documents_stage
from .errors import InvalidQuery, SourceError
from .models import CLAIM_TYPES, MODALITIES, Claim, Document, PartialDate
from .settings import load_settings
from .store import Store


@dataclass
class IngestReport:
    """What one ``ingest`` call did, document by document."""

    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, existing id)
    near_duplicates: list[Document] = field(default_factory=list)
    failed: list[SourceError] = field(default_factory=list)
    claims: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> dict[str, int]:
        return {
            "ingested": len(self.ingested),
            "near_duplicates": len(self.near_duplicates),
            "duplicates": len(self.duplicates),
            "failed": len(self.failed),
            "claims": self.claims,
        }


ProgressCallback = Callable[[str, Document | SourceError | None], None]


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
    ) -> IngestReport:
        """Read files, folders (recursively) or ``-`` (stdin), and store each new document
        in its own transaction. Returns what was ingested, skipped and why.

        :param published: reference date for documents that carry none (overrides all).
        :param force: re-process documents already stored (replacing what was derived).
        """
        report = IngestReport()
        threshold = float(self.settings["near_duplicate_threshold"])
        for item in documents_stage.read(
            [str(p) for p in paths],
            max_bytes=int(self.settings["max_bytes"]),
            published=published,
            stdin=stdin,
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
            for other_id, other_sig in self.store.near_duplicate_candidates(fp.bands):
                if other_id == doc.id:
                    continue
                sim = documents_stage.similarity(fp.signature, other_sig)
                if sim >= threshold and (best is None or sim > best[0]):
                    best = (sim, other_id)
            if best:
                doc.similarity, doc.duplicate_of = best
            doc.ingested_at = datetime.now(timezone.utc).replace(tzinfo=None)
            # A near-duplicate keeps its text but adds no claims: the original's count.
            claims = [] if doc.duplicate_of else self._extract(doc)
            with self.store.transaction():
                if force:
                    self.store.delete_document(doc.id)
                self.store.add_document(doc, bands=fp.bands, signature=fp.signature)
                self.store.add_claims(claims, doc_id=doc.id)
            report.claims += len(claims)
            (report.near_duplicates if doc.duplicate_of else report.ingested).append(doc)
            if progress:
                progress("near_duplicate" if doc.duplicate_of else "ingested", doc)
        return report

    # -- claims -------------------------------------------------------------------------

    @staticmethod
    def _extract(doc: Document, *, name: str | None = None) -> list[Claim]:
        from .claims import extract_claims

        return extract_claims(doc.text, doc=name or doc.id, published=doc.published)

    def extract(
        self,
        paths: Sequence[str | Path],
        *,
        published: PartialDate | None = None,
        stdin: BinaryIO | None = None,
    ) -> Iterator[tuple[Document, list[Claim]] | SourceError]:
        """Read files and extract their claims without storing anything. Each claim's
        ``doc`` is the file name; evidence offsets point into the cleaned text."""
        for item in documents_stage.read(
            [str(p) for p in paths], max_bytes=int(self.settings["max_bytes"]), published=published, stdin=stdin
        ):
            if isinstance(item, SourceError):
                yield item
                continue
            yield item, self._extract(item, name=Path(item.source).name)

    def claims(
        self,
        doc: str | None = None,
        *,
        type: str | None = None,
        actor: str | None = None,
        modality: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Claim]:
        """Stored claims, optionally of one document, type, actor or modality.

        >>> g.claims(type="alliance", actor="UZB", modality="asserted")
        """
        if type is not None and type not in CLAIM_TYPES:
            raise InvalidQuery(f"Unknown claim type {type!r}. Known types: {', '.join(CLAIM_TYPES)}.")
        if modality is not None and modality not in MODALITIES:
            raise InvalidQuery(f"Unknown modality {modality!r}. Known modalities: {', '.join(MODALITIES)}.")
        if doc is not None:
            doc = self.store.document(doc).id
        actor_id = self._actor_id(actor) if actor else None
        return self.store.claims(doc=doc, type=type, actor=actor_id, modality=modality, limit=limit, offset=offset)

    def _actor_id(self, query: str) -> str:
        """An actor's canonical id from any of its names or codes."""
        try:
            from .mentions.actors import actor, lookup
        except ImportError:  # pragma: no cover - before the actors stage exists
            return query
        try:
            return actor(query).id
        except Exception:
            found = lookup(query)
            if found:
                return found[0].id
            raise

    # -- documents ----------------------------------------------------------------------

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Stored documents (without their text), most recently ingested first."""
        return self.store.documents(limit=limit, offset=offset)

    def document(self, doc_id: str) -> Document:
        """One stored document with its cleaned and raw text, by id, id prefix or source."""
        return self.store.document(doc_id)
