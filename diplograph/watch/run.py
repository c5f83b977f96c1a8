"""One pass of the watcher, in two phases.

1. **Read** (no store writes, no lock): each source is fetched (conditionally); a feed's
   items not seen before (by guid or URL) have their article page fetched and cleaned, or,
   when the page cannot be had, the feed's summary is read instead and the document says
   so; each new document is checked against the store (the same content is not stored
   twice) and its claims extracted. A source that fails is reported by URL with what to
   do, and the others carry on.
2. **Commit** (``Graph.watch_commit``, one call, under the server's write lock when there
   is one): the documents are stored, the items marked as seen, each source's health
   recorded; then the derived state of the actors the new claims touch is read, derived
   again, and read once more: what changed, matched against the rules, becomes alerts,
   each stored under a key so it is never raised twice.

``target`` is a ``Graph``, or a ``RemoteGraph`` when a ``diplograph serve`` holds the
store: phase 1 then runs in the CLI and phase 2 in the server, like ``ingest``."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ..errors import SourceError
from ..models import Claim, Document
from .articles import NotAnArticle, page_document, summary_document
from .feeds import FeedItem, is_feed, parse_feed
from .fetch import Fetcher, FetchError, FetchOptions
from .rules import Rules

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass
class ItemRead:
    """A new item, read: its document (None when there is nothing to store) and claims."""

    source: str
    keys: list[str]
    doc: Document | None
    claims: list[Claim] = field(default_factory=list)
    how: str = "page"  # page | summary | duplicate | skipped (nothing readable, ever)


@dataclass
class SourceRead:
    """What one source gave in this pass, for its health record."""

    url: str
    kind: str | None
    status: str  # ok | not_modified | failed
    etag: str | None = None
    last_modified: str | None = None
    problem: str | None = None


@dataclass
class WatchBatch:
    """Phase 1's result, committed in one call."""

    items: list[ItemRead]
    reads: list[SourceRead]
    rules: Rules = field(default_factory=Rules)


@dataclass
class Committed:
    stored: list[Document]  # metadata only
    changes: int
    alerts: list[dict[str, Any]]


@dataclass
class SourceResult:
    """One source in a pass, as reported."""

    url: str
    kind: str | None = None
    status: str = "ok"
    new: int = 0
    from_summary: int = 0
    seen_before: int = 0
    duplicates: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # items that could not be read


@dataclass
class WatchReport:
    """What a pass did."""

    started: datetime
    sources: list[SourceResult] = field(default_factory=list)
    stored: list[Document] = field(default_factory=list)
    claims: int = 0
    changes: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """The pass in one line."""
        n = Counter(s.status for s in self.sources)
        summ = sum(s.from_summary for s in self.sources)
        return (f"watch pass: {len(self.sources)} source(s): {n['ok']} read, {n['not_modified']} unchanged, "
                f"{n['failed']} failed; {len(self.stored)} new document(s)"
                + (f" ({summ} from feed summaries)" if summ else "")
                + f", {sum(s.seen_before for s in self.sources)} item(s) seen before, "
                f"{sum(s.duplicates for s in self.sources)} duplicate(s); {self.claims} claim(s); "
                f"{self.changes} change(s), {len(self.alerts)} new alert(s); {self.seconds:.1f} s")


Progress = Callable[[str, str], None]  # (event, what): "source", url / "item", url / "failed", message


def run_pass(target: Any, urls: list[str], *, rules: Rules | None = None, options: FetchOptions | None = None,
             write_lock: Any = None, progress: Progress | None = None) -> WatchReport:
    """Read every source, then commit what is new and raise alerts (module docstring)."""
    from ..api import Graph

    start = time.perf_counter()
    report = WatchReport(started=datetime.now(UTC).replace(tzinfo=None))
    known = {r["url"]: r for r in target.watch_sources(urls)}
    items: list[ItemRead] = []
    reads: list[SourceRead] = []
    taken: set[str] = set()  # keys and document ids read in this pass (two feeds, one article)
    note = progress or (lambda event, what: None)
    with Fetcher(options or FetchOptions()) as fetcher:
        for url in urls:
            res = SourceResult(url)
            report.sources.append(res)
            note("source", url)
            reader = _SourceReader(target, fetcher, res, taken, note, Graph._extract,
                                   int(target.settings["max_bytes"]))
            try:
                read, new = reader.read(url, known.get(url) or {})
            except (FetchError, SourceError) as e:
                res.status, res.error = "failed", str(e)
                note("failed", str(e))
                reads.append(SourceRead(url, (known.get(url) or {}).get("kind"), "failed", problem=str(e)))
                continue
            reads.append(read)
            items.extend(new)
    if write_lock is None:
        write_lock = contextlib.nullcontext()
    done = Committed([], 0, [])
    chunks = _chunks(items)
    for n, chunk in enumerate(chunks, 1):
        # a few MB at a time (a call to a server has a size limit); the sources' health last
        with write_lock:
            part = target.watch_commit(WatchBatch(chunk, reads if n == len(chunks) else [], rules or Rules()))
        done = Committed(done.stored + part.stored, done.changes + part.changes, done.alerts + part.alerts)
    by_url = {s.url: s for s in report.sources}
    stored = {d.id for d in done.stored}
    for it in items:
        if it.doc is not None and it.doc.id in stored and it.source in by_url:
            by_url[it.source].new += 1
            by_url[it.source].from_summary += it.how == "summary"
    report.stored, report.changes, report.alerts = done.stored, done.changes, done.alerts
    report.claims = sum(len(it.claims) for it in items if it.doc is not None and it.doc.id in stored)
    report.seconds = time.perf_counter() - start
    return report


COMMIT_BYTES = 2_000_000  # text carried by one commit call, about


def _chunks(items: list[ItemRead]) -> list[list[ItemRead]]:
    """Items in groups of about COMMIT_BYTES of text (at least one item each; at least one
    group, so that the sources' health is recorded even when nothing is new)."""
    out: list[list[ItemRead]] = [[]]
    size = 0
    for it in items:
        n = len(it.doc.raw_text) + len(it.doc.text) if it.doc is not None else 0
        if out[-1] and size + n > COMMIT_BYTES:
            out.append([])
            size = 0
        out[-1].append(it)
        size += n
    return out


@dataclass
class _SourceReader:
    target: Any
    fetcher: Fetcher
    res: SourceResult
    taken: set[str]
    note: Progress
    extract: Callable[[Document], list[Claim]]
    max_page_bytes: int | None = None  # an article page, like a file ingested (setting max_bytes)

    def read(self, url: str, prev: dict[str, Any]) -> tuple[SourceRead, list[ItemRead]]:
        fetched = self.fetcher.get(url, etag=prev.get("etag"), last_modified=prev.get("last_modified"),
                                   accept=FEED_ACCEPT)
        if fetched.not_modified:
            self.res.status, self.res.kind = "not_modified", prev.get("kind")
            return SourceRead(url, prev.get("kind"), "not_modified", fetched.etag, fetched.last_modified), []
        text = fetched.text()
        out: list[ItemRead] = []
        if is_feed(fetched, text):
            self.res.kind = "feed"
            feed_items = parse_feed(url, text)
            seen = set(self.target.watch_seen([k for it in feed_items for k in it.keys]))
            for item in feed_items:
                if seen & set(item.keys) or self.taken & set(item.keys):
                    self.res.seen_before += 1
                    continue
                self.taken.update(item.keys)
                read = self._item(url, item)
                if read is not None:
                    out.append(read)
        else:
            self.res.kind = "page"  # the page itself is the article (read again when it changes)
            doc = page_document(fetched.url, text)
            read = self._document(url, [], doc, "page")
            if read is not None:
                out.append(read)
        problem = "; ".join(self.res.problems) or None
        return SourceRead(url, self.res.kind, "ok", fetched.etag, fetched.last_modified, problem), out

    def _item(self, source: str, item: FeedItem) -> ItemRead | None:
        """A feed item's article, else its summary; None when it is to be tried again."""
        why, lasting = "the item has no link", True
        if item.link:
            self.note("item", item.link)
            try:
                page = self.fetcher.get(item.link, accept=PAGE_ACCEPT, max_bytes=self.max_page_bytes)
                return self._document(source, item.keys, page_document(page.url, page.text(), item=item), "page",
                                      link=item.link)
            except NotAnArticle as e:
                why = f"its page is not an article ({e.problem})"
            except FetchError as e:
                why, lasting = f"its page could not be fetched ({e.problem})", False
            except SourceError as e:
                why = f"its page cannot be read ({e.problem})"
        try:
            doc = summary_document(item, source=source, why=why)
        except SourceError as e:
            self.res.problems.append(str(e))
            self.note("failed", str(e))
            # nothing to read: remembered when that will not change (no link, not an
            # article); a page that failed to load is tried again on the next pass
            return ItemRead(source, item.keys, None, how="skipped") if lasting else None
        self.res.problems.append(f"{item.name}: {why}; the feed's summary was stored instead")
        return self._document(source, item.keys, doc, "summary", link=item.link)

    def _document(self, source: str, keys: list[str], doc: Document, how: str,
                  link: str | None = None) -> ItemRead | None:
        if link:
            doc.source = link
            doc.url = doc.url or link
        if doc.id in self.taken:
            self.res.duplicates += 1
            return ItemRead(source, keys, replace(doc, text="", raw_text=""), how="duplicate")
        self.taken.add(doc.id)
        checked = self.target.check_document(doc)
        if checked is None:  # the same content is stored already
            self.res.duplicates += 1
            return ItemRead(source, keys, replace(doc, text="", raw_text=""), how="duplicate")
        doc.duplicate_of, doc.similarity, doc.ingested_at = checked
        claims = [] if doc.duplicate_of else self.extract(doc)
        return ItemRead(source, keys, doc, claims, how)


def commit(graph: Any, batch: WatchBatch) -> Committed:
    """Phase 2 (``Graph.watch_commit``): store, mark, record health, derive, raise alerts."""
    from .alerts import changes, snapshot, touched_actors

    store = graph.store
    now = datetime.now(UTC).replace(tzinfo=None)
    stored: list[Document] = []
    new_by_source: Counter[str] = Counter()
    for it in batch.items:
        if it.doc is not None and it.how in ("page", "summary") and not store.has_document(it.doc.id):
            graph.store_document(it.doc, it.claims)
            stored.append(replace(it.doc, text="", raw_text="", length=len(it.doc.text)))
            new_by_source[it.source] += 1
        # after the document: a crash in between leaves the item unmarked, and the next
        # pass finds its content stored (a duplicate), then marks it
        store.mark_seen(it.keys, source=it.source, doc_id=it.doc.id if it.doc else None, how=it.how, at=now)
    for r in batch.reads:
        store.record_source_read(r.url, kind=r.kind, status=r.status, checked_at=now, etag=r.etag,
                                 last_modified=r.last_modified, problem=r.problem, new_items=new_by_source[r.url])
    pending = store.pending()
    if not pending:
        return Committed(stored, 0, [])
    actors = touched_actors(store, pending)
    before = snapshot(store, actors)
    graph.finish_pending()
    found = changes(before, snapshot(store, actors))
    alerts = []
    for change in found:
        matched = batch.rules.match(change)
        if not matched:
            continue
        record = {k: v for k, v in change.items() if k != "tags"}
        record.update(rules=matched, raised_at=now.isoformat(timespec="seconds"),
                      link=(change.get("evidence") or {}).get("url"))
        if store.add_alert(change["key"], change["kind"], record, now):
            alerts.append(record)
    return Committed(stored, len(found), alerts)
