"""Extraction on every core: worker processes read claims, one process writes them.

``in_order(items, workers=N, wanted=...)`` takes what ``diplograph.documents.read``
yields (documents and the SourceErrors among them) and yields each item back, in input
order, with its claims extracted in a pool of N worker processes. The caller (ingest,
extract) stays the only process that touches the store, document by document, exactly as
with one process: the workers run ahead of it, nothing else changes.

- Each worker is a fresh process (forkserver, else spawn: no state copied from a parent
  that holds a DuckDB connection or threads) that loads the spaCy pipeline, the decision
  model and the tables once, then extracts document after document.
- ``wanted(doc)`` says, when a document is read, whether it may need extracting (not
  stored already, not a near-duplicate). It is a pre-filter only: the caller still checks
  each document just before storing it, after every earlier one is stored, so the
  outcome is the one-process outcome; a document the pre-filter let through and the check
  then skips cost a wasted extraction, nothing else.
- A result of ``None`` means "not extracted here": the caller extracts in-process, as it
  always did. That is every result with one worker, and with inputs of fewer than
  ``SMALL`` documents to extract, where starting workers costs more than it saves.
- An extractor error inside a document is contained by the extractor itself
  (claims/contain.py); its warning, logged in the worker, is re-logged by the parent on
  the same logger. A worker that dies (killed, out of memory, a crash in native code)
  breaks the pool: the pool is restarted, the document at the head is retried alone, and
  if it kills a worker again it is reported as a ``SourceError`` and the rest continue.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .errors import SourceError
from .models import Claim, Document

SMALL = 8  # fewer documents to extract than this: in-process (no worker start-up)
AHEAD = 4  # documents in flight per worker
LOOK = 256  # items read ahead at most while deciding whether to start workers
_at_start: list[Callable[[], None]] = []

Result = list[Claim] | SourceError | None
ExtractCallback = Callable[[Document, int, int], None]


def default_workers() -> int:
    """The machine's cores (what ``--workers`` defaults to)."""
    return os.cpu_count() or 1


def at_start(fn: Callable[[], None]) -> Callable[[], None]:
    """Register a function every new worker process runs before loading the pipeline: a
    module-level function (it is pickled by name), e.g. one importing a plugin that
    registers extractors, which a fresh process would otherwise not have."""
    _at_start.append(fn)
    return fn


def in_order(items: Iterable[Document | SourceError], *, workers: int, wanted: Callable[[Document], bool],
             name: Callable[[Document], str], on_extract: ExtractCallback | None = None,
             ) -> Iterator[tuple[Document | SourceError, Result]]:
    """Yield ``(item, claims)`` in input order; claims None where not extracted here (the
    caller extracts in-process), a SourceError where the document killed its worker twice.
    ``name(doc)`` is the name each claim's ``doc`` carries."""
    if workers <= 1:
        for item in items:
            yield item, None
        return
    it = iter(items)
    buffered: deque[tuple[Document | SourceError, bool]] = deque()
    n_wanted = 0
    exhausted = False
    while n_wanted < SMALL and len(buffered) < LOOK:
        item = next(it, None)
        if item is None:
            exhausted = True
            break
        want = isinstance(item, Document) and wanted(item)
        n_wanted += want
        if not n_wanted:
            yield item, None  # nothing to extract before it: no need to hold it back
        else:
            buffered.append((item, want))
    if exhausted and n_wanted < SMALL:
        for item, _ in buffered:
            yield item, None
        return

    def rest() -> Iterator[tuple[Document | SourceError, bool]]:
        yield from buffered
        for item in it:
            yield item, isinstance(item, Document) and wanted(item)

    with Pool(workers) as pool:
        yield from pool.run(rest(), name=name, on_extract=on_extract)


class Pool:
    """N worker processes, each with the pipeline loaded; ``run`` keeps them busy."""

    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.workers = workers
        self._messages = self._ctx.Queue()
        self._executor = self._start()
        self._seq = 0
        self._docs: dict[int, Document] = {}  # documents in flight, by sequence number
        self._on_extract: ExtractCallback | None = None
        self.ready = 0  # workers that have loaded the pipeline
        self.pids: list[int] = []  # their process ids

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._ctx, initializer=_worker_start,
                                   initargs=(os.getpid(), self._messages, list(_at_start)))

    def warm(self) -> None:
        """Start every worker and wait until each has loaded the pipeline (benchmarks
        measure extraction after this, as they do after loading it in-process)."""
        futures = [self._executor.submit(_noop) for _ in range(self.workers)]
        wait(futures)
        while self.ready < self.workers:
            self._drain(block=True)

    def run(self, items: Iterable[tuple[Document | SourceError, bool]], *, name: Callable[[Document], str],
            on_extract: ExtractCallback | None = None) -> Iterator[tuple[Document | SourceError, Result]]:
        """Items with whether each is to be extracted -> items with their claims, in order."""
        self._on_extract = on_extract
        pending: deque[list[Any]] = deque()  # [item, future or None, name]
        it = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.workers * AHEAD:
                nxt = next(it, None)
                if nxt is None:
                    exhausted = True
                    break
                item, want = nxt
                if want and isinstance(item, Document):
                    doc_name = name(item)
                    pending.append([item, self._submit(item, doc_name), doc_name])
                else:
                    pending.append([item, None, None])
            if not pending:
                return
            item, future, doc_name = pending.popleft()
            yield item, (None if future is None else self._result(item, future, doc_name, pending))

    def _submit(self, doc: Document, name: str) -> Future[Any]:
        self._seq += 1
        self._docs[self._seq] = doc
        return self._executor.submit(_extract, self._seq, doc.text, name, doc.published,
                                     self._on_extract is not None)

    def _result(self, doc: Document, future: Future[Any], name: str, pending: deque[list[Any]]) -> Result:
        try:
            return self._claims(future)
        except BrokenProcessPool:
            pass
        # a worker died: the one extracting this document or another. Retry it alone.
        self._restart()
        try:
            claims: Result = self._claims(self._submit(doc, name))
        except BrokenProcessPool:
            self._restart()
            claims = SourceError(doc.source, "extracting this document stopped its worker process twice "
                                 "(killed, out of memory, or a crash in native code); it was not stored",
                                 hint="run again with --workers 1 to see the error")
        for entry in pending:  # what was in flight in the broken pool
            if entry[1] is not None:
                entry[1] = self._submit(entry[0], entry[2])
        return claims

    def _claims(self, future: Future[Any]) -> list[Claim]:
        while True:
            done, _ = wait([future], timeout=0.1 if self._on_extract is not None else None)
            self._drain()
            if done:
                break
        seq, claims, records = future.result()
        self._docs.pop(seq, None)
        for logger, level, message in records:  # the worker's warnings, where ours go
            logging.getLogger(logger).log(level, "%s", message)
        return claims

    def _drain(self, block: bool = False) -> None:
        while True:
            try:
                msg = self._messages.get(timeout=1.0) if block else self._messages.get_nowait()
            except queue_module.Empty:
                return
            block = False
            if msg[0] == "ready":
                self.ready += 1
                self.pids.append(msg[1])
            elif msg[0] == "progress" and self._on_extract is not None:
                doc = self._docs.get(msg[1])
                if doc is not None:
                    self._on_extract(doc, msg[2], msg[3])

    def _restart(self) -> None:
        self._stop(now=True)
        self.ready = 0
        self.pids = []
        self._docs.clear()
        self._executor = self._start()

    def _stop(self, *, now: bool) -> None:
        self._drain()  # a worker leaving flushes its messages: never into a full pipe
        if now:
            # the executor has no public way to stop a worker in the middle of a document
            # (Python 3.14 adds one); a worker ignores SIGINT, so the parent stops it
            for p in list(getattr(self._executor, "_processes", {}).values()):
                if p.is_alive():
                    p.terminate()
        self._executor.shutdown(wait=not now, cancel_futures=True)

    def close(self) -> None:
        self._stop(now=False)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        self._stop(now=exc_type is not None)


# -- in the worker processes -----------------------------------------------------------------

_messages: Any = None
_records: list[tuple[str, int, str]] = []


class _Collect(logging.Handler):
    """Keeps the worker's log records, returned to the parent with the document's claims."""

    def emit(self, record: logging.LogRecord) -> None:
        _records.append((record.name, record.levelno, record.getMessage()))


def _worker_start(parent: int, messages: Any, setup: list[Callable[[], None]]) -> None:
    global _messages
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _messages = messages
    root = logging.getLogger("diplograph")
    root.handlers = [_Collect()]
    root.setLevel(logging.WARNING)
    root.propagate = False
    for fn in setup:
        fn()
    from . import loading

    loading.LEAN = True
    loading.load_pipeline()
    messages.put(("ready", os.getpid()))


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (kill -9) cannot stop its workers, and an idle worker waits
    for work forever (keeping the forkserver alive too): leave when the process that
    started the pool is gone."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except OSError:  # gone (or its number taken by a process not ours)
            os._exit(0)


def _noop() -> None:
    return None


def _extract(seq: int, text: str, name: str, published: Any, report: bool) -> tuple[int, list[Claim], list[Any]]:
    from .claims import pipeline

    _records.clear()
    progress = (lambda done, total: _messages.put(("progress", seq, done, total))) if report else None
    claims = pipeline.extract_claims(text, doc=name, published=published, progress=progress)
    return seq, claims, list(_records)
