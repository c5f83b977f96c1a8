"""What every route is given through ``Depends``: the server's settings, a Graph for the
calling thread, and the token checks.

DuckDB: the process holds ONE connection to the store. Each request borrows a Graph on its
own cursor of it (``conn.cursor()``, a connection to the same database instance) from a
pool, and gives it back when the response is sent, so no cursor is ever used by two
requests at once (FastAPI may run a request's dependencies and its endpoint on different
worker threads, so a per-thread cursor would not do). Reads run side by side, and an
ingest, which writes in its own cursor's transaction, does not block them: readers see
the last committed state. Writes are serialised by ``WebState.write_lock``."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Depends, Request

from ..api import Graph
from ..errors import DiplographError
from ..store import Store

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_BODY_BYTES = 5 * 1024 * 1024


class Unauthorized(DiplographError):
    """No (or a malformed) bearer token on a request that needs one."""

    status = 401


class Forbidden(DiplographError):
    """A bearer token that is not the operator's."""

    status = 403


class WritesDisabled(DiplographError):
    """The server was started without a token, so nobody may ingest."""

    status = 403


@dataclass
class WebSettings:
    """How the server was started (``diplograph serve`` options)."""

    db_path: str
    token: str | None = None
    open_reads: bool = True
    max_body_bytes: int = MAX_BODY_BYTES
    max_limit: int = MAX_LIMIT


@dataclass
class WebState:
    settings: WebSettings
    graph: Graph  # owns the process's one connection
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    local_token: str | None = None  # the CLI's token (server file), set by `diplograph serve`
    finish_delay: float = 30.0  # seconds without a CLI write before deriving what it left
    _pool: list[Graph] = field(default_factory=list)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock)
    _finish_timer: threading.Timer | None = None

    def schedule_finish(self) -> None:
        """Derive what CLI ingests left pending once they have been quiet for
        ``finish_delay`` seconds (a CLI that ends normally derives itself; this covers one
        that died mid-ingest). Each call restarts the wait."""
        with self._pool_lock:
            if self._finish_timer is not None:
                self._finish_timer.cancel()
            self._finish_timer = threading.Timer(self.finish_delay, self.finish_pending)
            self._finish_timer.daemon = True
            self._finish_timer.start()

    def finish_pending(self) -> None:
        import logging

        with self._pool_lock:
            if self._finish_timer is not None:
                self._finish_timer.cancel()
                self._finish_timer = None
        try:
            with self.write_lock, self.borrow() as graph:
                graph.finish_pending()
        except Exception:  # a timer thread: log, the next open derives it anyway
            logging.getLogger("diplograph.web").exception("deriving pending facts failed")

    def acquire(self) -> Graph:
        """A Graph on a cursor of the shared connection that no other request is using."""
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
            base = self.graph.store
            cursor = base.conn.cursor()  # under the lock: the base connection takes one call at a time
        return Graph(Store(cursor, base.path, trace=base.trace), self.graph.settings)

    def release(self, graph: Graph) -> None:
        with self._pool_lock:
            self._pool.append(graph)

    @contextmanager
    def borrow(self) -> Iterator[Graph]:
        g = self.acquire()
        try:
            yield g
        finally:
            self.release(g)


def get_state(request: Request) -> WebState:
    return request.app.state.web


def get_settings(state: WebState = Depends(get_state)) -> WebSettings:
    return state.settings


async def get_graph(state: WebState = Depends(get_state)) -> AsyncIterator[Graph]:
    # async: runs on the event loop, no thread hop; the Graph is this request's alone
    with state.borrow() as graph:
        yield graph


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("The Authorization header must be `Bearer <token>`.")
    return value.strip()


def _check(token: str | None, expected: str) -> None:
    if token is None:
        raise Unauthorized("This needs the operator's token: send `Authorization: Bearer <token>`.")
    # constant time: the comparison takes as long whatever prefix matches
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Forbidden("The token does not match the one the server was started with.")


def require_read(request: Request, settings: WebSettings = Depends(get_settings)) -> None:
    """Reads are open unless the server runs with --closed-reads."""
    if settings.open_reads:
        return
    if settings.token is None:  # closed reads without a token: nobody could read
        raise WritesDisabled("Reads are closed and the server has no token; restart it with --token.")
    _check(_bearer(request), settings.token)


def require_write(request: Request, settings: WebSettings = Depends(get_settings)) -> None:
    """Ingesting needs the operator's token; without a configured token nobody may write."""
    if settings.token is None:
        raise WritesDisabled("Ingesting is disabled: start the server with --token (or $DIPLOGRAPH_TOKEN).")
    _check(_bearer(request), settings.token)


def page(limit: int, offset: int, settings: WebSettings) -> tuple[int, int]:
    from .routes._common import BadParameter

    if limit < 1 or limit > settings.max_limit:
        raise BadParameter("limit", f"{limit} is out of range; give 1 to {settings.max_limit}.")
    if offset < 0:
        raise BadParameter("offset", f"{offset} is negative; give 0 or more.")
    return limit, offset

