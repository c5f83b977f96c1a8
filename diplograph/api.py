"""Graph: the facade every surface (CLI, REST, web, Python users) calls.

    >>> from diplograph import Graph
    >>> g = Graph.open(":memory:")
    >>> report = g.ingest(["../shared/seeds"])
    >>> [d.title for d in g.documents()]
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import documents as documents_stage
from .errors import FactNotFound, InvalidQuery, NotFound, SourceError
from .models import CLAIM_TYPES, MODALITIES, ActorRef, Claim, Document, Mention, PartialDate
from .settings import load_settings

if TYPE_CHECKING:
    from . import queries
    from .store import Store

DateLike = str | date | datetime | PartialDate | None
DERIVED_SINCE = 3  # the schema version that added facts, states and conflicts


def _day(value: DateLike, name: str, *, first: bool = False) -> date:
    """A query date: the last day of a partial date (first day with ``first``), today if None."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            value = PartialDate.parse(value)
        except ValueError as e:
            raise InvalidQuery(f"Bad --{name}: {e}.") from e
    lo, hi = value.bounds()
    return lo if first else hi


def _horizon_years(value: str | float) -> float:
    """ "2y", "18m", "2" -> years."""
    if isinstance(value, (int, float)):
        years = float(value)
    else:
        import re

        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([ym]?)\s*", value.lower())
        if not m:
            raise InvalidQuery(f"Bad --horizon {value!r}: use years or months, e.g. 2y or 18m.")
        years = float(m.group(1)) / (12 if m.group(2) == "m" else 1)
    if not 0 < years <= 20:
        raise InvalidQuery(f"Bad --horizon {value!r}: between one month and 20 years.")
    return years


def _moment(value: DateLike) -> datetime | None:
    """A system-time bound ("what did we know on D"): the end of that day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    d = _day(value, "known-at")
    return datetime(d.year, d.month, d.day, 23, 59, 59)


@dataclass
class IngestReport:
    """What one ``ingest`` call did, document by document. The documents listed here carry
    their metadata only (``text`` and ``raw_text`` are empty, ``size`` is kept), so a
    report of a large ingest stays small; ``Graph.document(id)`` gives the texts."""

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
        }


if TYPE_CHECKING:
    from .mentions.knowledge import Actor
    from .remote import RemoteGraph

ProgressCallback = Callable[[str, Document | SourceError | None], None]
SourceCallback = Callable[[int, int], None]  # (input files done, input files in all)
# (the document, characters extracted, characters in all): after each window of a long one
ExtractCallback = Callable[[Document, int, int], None]


def run_ingest(target: Graph | RemoteGraph, paths: Sequence[str | Path], *, published: PartialDate | None,
               force: bool, stdin: BinaryIO | None, progress: ProgressCallback | None,
               on_source: SourceCallback | None, on_extract: ExtractCallback | None = None,
               workers: int = 1) -> IngestReport:
    """``ingest`` for a Graph, or for a RemoteGraph (the store is open in ``diplograph
    serve``): files are read and extracted here (in ``workers`` processes), documents
    stored by ``target``, and what they leave to derive derived once at the end, also
    when interrupted."""
    try:
        report = _ingest_items(target, documents_stage.read(
            [str(p) for p in paths], max_bytes=int(target.settings["max_bytes"]), published=published,
            stdin=stdin, on_source=on_source), force=force, progress=progress, on_extract=on_extract,
            workers=workers)
    except BaseException:
        # interrupted (Ctrl-C, a bad file's exception): derive what was stored before
        # saying so; a second interruption leaves it to the next open (finish_pending)
        with contextlib.suppress(Exception):
            target.finish_pending()
        raise
    target.finish_pending()
    return report


def _ingest_items(target: Graph | RemoteGraph, items: Iterator[Document | SourceError], *, force: bool,
                  progress: ProgressCallback | None, on_extract: ExtractCallback | None = None,
                  workers: int = 1) -> IngestReport:
    from . import workers as workers_stage

    def wanted(doc: Document) -> bool:
        # read ahead: worth extracting unless stored already or a near-duplicate of a
        # stored document (re-checked below, once every earlier document is stored)
        checked = target.check_document(doc, force=force)
        return checked is not None and checked[0] is None

    report = IngestReport()
    for item, extracted in workers_stage.in_order(items, workers=workers, wanted=wanted, name=lambda d: d.id,
                                                  on_extract=on_extract):
        if isinstance(item, SourceError) or isinstance(extracted, SourceError):
            failure = item if isinstance(item, SourceError) else extracted
            report.failed.append(failure)
            if progress:
                progress("failed", failure)
            continue
        doc = item
        checked = target.check_document(doc, force=force)
        if checked is None:
            report.duplicates.append((doc.source, doc.id))
            if progress:
                progress("duplicate", doc)
            continue
        doc.duplicate_of, doc.similarity, doc.ingested_at = checked
        # A near-duplicate keeps its text but adds no claims: the original's count.
        if doc.duplicate_of:
            claims = []
        else:
            claims = extracted if extracted is not None else Graph._extract(doc, on_extract=on_extract)
        target.store_document(doc, claims, force=force)
        report.claims += len(claims)
        (report.near_duplicates if doc.duplicate_of else report.ingested).append(
            replace(doc, text="", raw_text="", length=len(doc.text))
        )
        if progress:
            progress("near_duplicate" if doc.duplicate_of else "ingested", doc)
    return report


class Graph:
    """A diplograph store and the operations on it."""

    def __init__(self, store: Store, settings: dict[str, Any]):
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, path: str | Path | None = None, **overrides: Any) -> Graph:
        """Open the store at ``path`` (default: the ``db`` setting), creating it on first use."""
        from .store import Store  # DuckDB: imported when a store is opened (not by `extract`)

        settings = load_settings({"db": str(path) if path is not None else None, **overrides})
        store = Store.open(settings["db"], trace=bool(settings["trace"]))
        graph = cls(store, settings)
        if 0 < store.migrated_from < DERIVED_SINCE and store.count_claims():
            graph.rebuild()  # the derived tables are new: fill them from the claims
        else:
            try:
                graph.finish_pending()  # what an interrupted ingest (or import) left to derive
            except Exception as e:  # answer what is there, and say it is behind
                import logging

                logging.getLogger("diplograph").warning(
                    "facts, relation states and conflicts of %s are behind its claims (deriving them failed: "
                    "%s); `diplograph rebuild` tries again", store.path, e)
        return graph

    @property
    def path(self) -> str:
        """The store's file (or ``:memory:``)."""
        return self.store.path

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
        on_extract: ExtractCallback | None = None,
        workers: int = 1,
    ) -> IngestReport:
        """Read files, folders (recursively) or ``-`` (stdin), and store each new document
        in its own transaction. Returns what was ingested, skipped and why.

        :param published: reference date for documents that carry none (overrides all).
        :param force: re-process documents already stored (replacing what was derived).
        :param progress: called with ("ingested" | "near_duplicate" | "duplicate" | "failed",
            the document or error) for each article read.
        :param on_source: called after each input file with (files done, files in all).
        :param on_extract: called while a long document is extracted, with (the document,
            characters done, characters in all).
        :param workers: processes extracting claims (``diplograph.workers``); the store is
            written by this one, in input order, with the same results as with one.
        """
        return run_ingest(self, paths, published=published, force=force, stdin=stdin, progress=progress,
                          on_source=on_source, on_extract=on_extract, workers=workers)

    def check_document(self, doc: Document, *, force: bool = False) -> tuple[str | None, float | None, datetime] | None:
        """Before extracting a document read for ingestion: None if it is stored already
        (and not ``force``), else (the original it nearly duplicates or None, the
        similarity, the ingestion time)."""
        if not force and self.store.has_document(doc.id):
            return None
        fp = self._fingerprint(doc)
        best: tuple[float, str] | None = None
        threshold = float(self.settings["near_duplicate_threshold"])
        for other_id, other_sig in self.store.near_duplicate_candidates(
            fp.bands, min_shared=documents_stage.MIN_SHARED_BANDS
        ):
            if other_id == doc.id:
                continue
            sim = documents_stage.similarity(fp.signature, other_sig)
            if sim >= threshold and (best is None or sim > best[0]):
                best = (sim, other_id)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        return (best[1], best[0], now) if best else (None, None, now)

    def store_document(self, doc: Document, claims: Sequence[Claim], *, force: bool = False) -> None:
        """Write a document and its claims in one transaction (replacing it with ``force``);
        what they leave to derive is recorded in the same transaction (``finish_pending``)."""
        fp = self._fingerprint(doc)
        with self.store.transaction():
            if force:
                self.store.delete_document(doc.id)
            self.store.add_document(doc, bands=fp.bands, signature=fp.signature)
            self.store.add_claims(claims, doc_id=doc.id, created_at=doc.ingested_at)

    def _fingerprint(self, doc: Document) -> Any:
        # check_document (also when an ingest with workers reads ahead) and store_document
        # all need it: computed once per document, the last few kept
        cache: dict[str, Any] = self.__dict__.setdefault("_fingerprints", {})
        fp = cache.get(doc.id)
        if fp is None:
            if len(cache) >= 64:
                del cache[next(iter(cache))]
            fp = cache[doc.id] = documents_stage.fingerprint(doc.text)
        return fp

    def finish_pending(self) -> dict[str, int] | None:
        """Bring facts, relation states and conflicts up to date with claims written since
        they were last derived. Every write of claims records, in its own transaction, what
        it leaves to derive (``Store.mark_pending``); an ingest derives it once at its end,
        and a crash before that (even ``kill -9``) leaves the record, which ``Graph.open``
        finishes. Returns the rebuild's counts, or None when nothing was pending."""
        from . import queries

        pending = self.store.pending()
        if not pending:
            return None
        counts = queries.rebuild(self.store) if "*" in pending else queries.rebuild(self.store, doc_ids=pending)
        self.store.clear_pending(pending)
        return counts

    # -- claims -------------------------------------------------------------------------

    @staticmethod
    def _extract(doc: Document, *, name: str | None = None, on_extract: ExtractCallback | None = None) -> list[Claim]:
        from .claims import extract_claims
        from .loading import load_pipeline

        load_pipeline()  # once: all of it, partly in parallel (diplograph.loading)
        report = (lambda done, total: on_extract(doc, done, total)) if on_extract is not None else None
        return extract_claims(doc.text, doc=name or doc.id, published=doc.published, progress=report)

    def extract(
        self,
        paths: Sequence[str | Path],
        *,
        published: PartialDate | None = None,
        stdin: BinaryIO | None = None,
        on_extract: ExtractCallback | None = None,
        workers: int = 1,
    ) -> Iterator[tuple[Document, list[Claim]] | SourceError]:
        """Read files and extract their claims without storing anything. Each claim's
        ``doc`` is the file name; evidence offsets point into the cleaned text.
        ``on_extract`` is called while a long document is extracted (see ``ingest``);
        ``workers`` processes extract, the results come in input order."""
        from . import workers as workers_stage

        items = documents_stage.read(
            [str(p) for p in paths], max_bytes=int(self.settings["max_bytes"]), published=published, stdin=stdin
        )
        name = lambda doc: Path(doc.source).name  # noqa: E731
        for item, extracted in workers_stage.in_order(items, workers=workers, wanted=lambda doc: True, name=name,
                                                      on_extract=on_extract):
            if isinstance(item, SourceError) or isinstance(extracted, SourceError):
                yield item if isinstance(item, SourceError) else extracted  # type: ignore[misc]
                continue
            yield item, extracted if extracted is not None else self._extract(item, name=name(item),
                                                                              on_extract=on_extract)

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

    # -- the graph: facts, relation states, answers ----------------------------------------

    def rebuild(self) -> dict[str, int]:
        """Recompute facts, relation states and conflicts from the stored claims (claims
        are the source of truth). Returns counts."""
        from . import queries

        pending = self.store.pending()
        counts = queries.rebuild(self.store)
        self.store.clear_pending(pending)
        return counts

    def actor_ref(self, query: str | ActorRef) -> ActorRef:
        """The actor a name, alias or code means (raises UnknownActor)."""
        if isinstance(query, ActorRef):
            return query
        try:
            from .mentions.actors import actor as find_actor, lookup
        except ImportError:  # pragma: no cover - before the actors stage exists
            return ActorRef(query, query, "state")
        try:
            a = find_actor(query)
        except NotFound:
            found = lookup(query)
            if not found:
                raise
            a = found[0]
        return ActorRef(a.id, a.name, a.kind)

    def allies(self, actor: str | ActorRef, *, at: DateLike = None, known_at: DateLike = None,
               source: str | None = None) -> queries.RelationsAnswer:
        """Who is allied with ``actor`` on ``at`` (default: today), since when, and who says
        so; plus alliances only discussed (speculative or planned) and who said so.

        >>> g.allies("Uzbekistan", at="2023-01-01").frame()
        """
        return self.relations(actor, types=["allied"], at=at, known_at=known_at, source=source)

    def partners(self, actor: str | ActorRef, *, at: DateLike = None, known_at: DateLike = None,
                 source: str | None = None) -> queries.RelationsAnswer:
        """Strategic partners of ``actor`` on ``at``."""
        return self.relations(actor, types=["strategic_partners"], at=at, known_at=known_at, source=source)

    def relations(self, actor: str | ActorRef, *, types: Sequence[str] | None = None, at: DateLike = None,
                  known_at: DateLike = None, source: str | None = None) -> queries.RelationsAnswer:
        """Relation states of ``actor`` on ``at``: allied, strategic_partners,
        diplomatic_relations, member_of (default: all)."""
        from . import queries

        states = list(types or queries.RELATION_STATES)
        bad = [t for t in states if t not in queries.RELATION_STATES]
        if bad:
            raise InvalidQuery(f"Unknown relation {bad[0]!r}. Known relations: {', '.join(queries.RELATION_STATES)}.")
        return queries.relations(self.store, self.actor_ref(actor), states=states, at=_day(at, "at"),
                                 known_at=_moment(known_at), source=source)

    def members(self, org: str | ActorRef, *, at: DateLike = None, known_at: DateLike = None) -> list[queries.RelationRow]:
        """Members of an organisation or accord on ``at``, since when, with their source."""
        from . import queries

        return queries.members(self.store, self.actor_ref(org), at=_day(at, "at"), known_at=_moment(known_at))

    def timeline(self, actor: str | ActorRef, other: str | ActorRef | None = None, *, start: DateLike = None,
                 end: DateLike = None, types: Sequence[str] | None = None, limit: int | None = None) -> list[queries.FactRow]:
        """Facts involving ``actor`` (and ``other``) in date order, each with its evidence."""
        from . import queries

        if types:
            bad = [t for t in types if t not in CLAIM_TYPES]
            if bad:
                raise InvalidQuery(f"Unknown claim type {bad[0]!r}. Known types: {', '.join(CLAIM_TYPES)}.")
        s = _day(start, "from", first=True) if start is not None else None
        e = _day(end, "to") if end is not None else None
        if s and e and s > e:
            raise InvalidQuery(f"--from {start} is after --to {end}.")
        return queries.timeline(self.store, self.actor_ref(actor), self.actor_ref(other) if other else None,
                                types=types, start=s, end=e, limit=limit)

    def changes(self, actor: str | ActorRef, *, start: DateLike, end: DateLike) -> queries.ChangesAnswer:
        """Relations ``actor`` gained and lost between two dates."""
        from . import queries

        s, e = _day(start, "from"), _day(end, "to")
        if s > e:
            raise InvalidQuery(f"--from {start} is after --to {end}.")
        return queries.changes(self.store, self.actor_ref(actor), start=s, end=e)

    def conflicts(self, actor: str | ActorRef | None = None, *, limit: int | None = None,
                  offset: int = 0) -> list[queries.ConflictRow]:
        """Contradictions between sources, each with why it is flagged (a page of them
        with ``limit``/``offset``)."""
        from . import queries

        return queries.conflicts(self.store, self.actor_ref(actor) if actor else None, limit=limit, offset=offset)

    def facts(self, actor: str | ActorRef | None = None, other: str | ActorRef | None = None, *,
              type: str | None = None, modality: str | None = None, limit: int | None = None,
              offset: int = 0) -> list[queries.FactRow]:
        """Facts, optionally about an actor (and another), of a type or modality."""
        from . import queries

        if type is not None and type not in CLAIM_TYPES:
            raise InvalidQuery(f"Unknown claim type {type!r}. Known types: {', '.join(CLAIM_TYPES)}.")
        rows = self.store.facts_for(self.actor_ref(actor).id if actor else None,
                                    self.actor_ref(other).id if other else None,
                                    types=[type] if type else None, modality=modality, limit=limit, offset=offset)
        return [queries.FactRow.from_row(r) for r in rows]

    def evidence(self, fact_id: str) -> list[queries.Evidence]:
        """Every sentence supporting a fact, with its document."""
        from . import queries

        fact = self.store.fact(fact_id)
        if fact is None:
            raise FactNotFound(fact_id)
        return [queries.Evidence.from_row(r) for r in self.store.evidence(fact["id"])]

    def forecast(self, actor: str | ActorRef, *, type: str = "alliance", horizon: str | float = "2y",
                 at: DateLike = None, top: int = 10) -> Any:
        """Who could ``actor`` form a relation of ``type`` with next, ranked with a probability
        and the checkable reasons behind it; expert expectations found in articles are listed
        beside the ranking, not mixed into it (diplograph.forecast.graph)."""
        from .forecast.graph import STATE_FOR_TYPE, forecast

        if type not in STATE_FOR_TYPE:
            raise InvalidQuery(f"Cannot forecast {type!r}. Types: {', '.join(STATE_FOR_TYPE)}.")
        years = _horizon_years(horizon)
        return forecast(self.store, self.actor_ref(actor), type=type, at=_day(at, "at"), horizon_years=years, top=top)

    # -- exports ------------------------------------------------------------------------

    def export(self, fmt: str, out: str | Path, *, at: DateLike = None) -> list[Path]:
        """Write the store as parquet or csv (a folder of tables), graphml (the relation
        graph as of ``at``) or jsonld (facts with their provenance). Returns the files."""
        from . import exports

        if fmt not in exports.FORMATS:
            raise InvalidQuery(f"Unknown export format {fmt!r}. Formats: {', '.join(exports.FORMATS)}.")
        return exports.export(self.store, fmt, Path(out), at=_day(at, "at") if at is not None or fmt == "graphml" else None)

    def import_parquet(self, folder: str | Path) -> dict[str, int]:
        """Load documents and claims from a folder written by ``export("parquet", ...)``,
        then rebuild facts and states. Returns how many rows were new."""
        from . import exports

        counts = exports.import_parquet(self.store, Path(folder))
        counts.update(self.rebuild())
        return counts

    def import_dataset(self, fmt: str, path: str | Path, *, keep_going: bool = False,
                       progress: Callable[[int, int | None], None] | None = None) -> Any:
        """Import a curated dataset (atop, cow-alliance, cow-igo, tkg, icews, gdelt,
        polecat) as claims whose source is the dataset, then rebuild facts and states.
        All or nothing unless ``keep_going`` (malformed rows skipped and reported).
        Returns an ``io.common.ImportReport``."""
        import time

        from .io import import_dataset

        report = import_dataset(self.store, fmt, path, keep_going=keep_going, progress=progress, rebuild=False)
        start = time.perf_counter()
        report.rebuild = self.finish_pending() or {}  # the claims it wrote marked a full rebuild
        report.seconds += time.perf_counter() - start
        return report

    # -- watching sources, alerts, the overview -------------------------------------------

    def watch_pass(self, sources: Sequence[str], *, rules: Any = None, options: Any = None,
                   write_lock: Any = None, progress: Any = None) -> Any:
        """One pass over feeds and pages (URLs, or files listing them): new articles are
        fetched, cleaned, stored once, and what they changed in the graph becomes alerts
        (matched against ``rules``: a ``watch.Rules`` or a rules file's path). Returns a
        ``watch.WatchReport``; ``report.alerts`` are the alerts raised for the first time."""
        from .watch import run_pass
        from .watch.feeds import expand_sources

        return run_pass(self, expand_sources(list(sources)), rules=self.watch_rules(rules), options=options,
                        write_lock=write_lock, progress=progress)

    def watch_rules(self, rules: Any) -> Any:
        """A ``watch.Rules`` from a rules file (None: every change is an alert); actor names
        in the file are resolved here, so a typo is reported before any fetching."""
        from .watch import Rules, load_rules

        if rules is None or isinstance(rules, Rules):
            return rules or Rules()
        return load_rules(rules, resolve=lambda name: self.actor_ref(name).id)

    def watch_sources(self, urls: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Watched sources: kind, validators, when last read and last read well, what went
        wrong last, how many documents each gave."""
        return self.store.watch_sources(urls)

    def watch_seen(self, keys: Sequence[str]) -> set[str]:
        """Which of these item keys (``guid:...``, ``url:...``) were read before."""
        return self.store.seen_items(keys)

    def watch_commit(self, batch: Any) -> Any:
        """Phase two of a pass (``watch.run``): store the documents read, remember the
        items, record each source's health, derive, and raise the alerts."""
        from .watch.run import commit

        return commit(self, batch)

    def alerts(self, *, since: DateLike = None, limit: int | None = 100) -> list[dict[str, Any]]:
        """Alerts raised (since a day), newest first, as they were delivered."""
        start = None
        if since is not None:
            d = _day(since, "since", first=True)
            start = datetime(d.year, d.month, d.day)
        return self.store.alerts(since=start, limit=limit)

    def overview(self, *, days: int = 7, limit: int = 50) -> Any:
        """What changed in the last ``days`` (relations begun and ended, new members,
        conflicts, speculation and plans, as first recorded), activity per actor, counts,
        the watched sources and the latest alerts: the landing page's content."""
        from .watch.overview import overview

        if not 1 <= int(days) <= 3660:
            raise InvalidQuery(f"Bad --days {days}: give 1 to 3660.")
        return overview(self.store, days=int(days), limit=limit)

    # -- documents ----------------------------------------------------------------------

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Stored documents (without their text), most recently ingested first."""
        return self.store.documents(limit=limit, offset=offset)

    def document(self, doc_id: str) -> Document:
        """One stored document with its cleaned and raw text, by id, id prefix or source."""
        return self.store.document(doc_id)

    # -- actors and mentions --------------------------------------------------------------

    def actors(self, query: str) -> list[Actor]:
        """Actors known by ``query``: an id, a name or alias, an ISO or COW code, a demonym,
        a capital, an epithet or a person's name. Raises UnknownActor (with suggestions)
        when nothing matches.

            >>> [a.id for a in Graph.open(":memory:").actors("Kirghizia")]
            ['KGZ']
        """
        from .mentions import actors as actors_stage

        found = actors_stage.lookup(query)
        return found or [actors_stage.actor(query)]

    def mentions(self, doc_id: str) -> list[Mention]:
        """Every actor mention in a stored document's cleaned text, resolved at its
        publication date (see ``diplograph.mentions.actors.find_mentions``)."""
        from .mentions import actors as actors_stage

        doc = self.store.document(doc_id)
        return actors_stage.find_mentions(doc.text, published=doc.published)
