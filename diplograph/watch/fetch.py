"""Fetching over HTTP(S), politely: a clear User-Agent, timeouts, conditional GET (ETag,
Last-Modified), retries with exponential backoff for what may pass (timeouts, dropped
connections, 5xx, 429), a delay between two requests to the same host, and a size limit.
A fetch that fails for good raises ``FetchError`` naming the URL and what to do."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import DiplographError


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diplograph")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "dev"


USER_AGENT = f"diplograph/{_version()} (news watcher; reads each article once)"


class FetchError(DiplographError):
    """A URL that could not be fetched (after the retries it deserved)."""

    status = 502

    def __init__(self, url: str, problem: str, hint: str = ""):
        self.url = url
        self.problem = problem
        self.hint = hint
        super().__init__(f"{url}: {problem}" + (f" ({hint})" if hint else ""))


@dataclass
class Fetched:
    """A response worth reading, or a 304 (``not_modified``: nothing new since the
    validators sent)."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False

    def text(self) -> str:
        from ..documents.read import decode

        return decode(self.url, self.body)


@dataclass
class FetchOptions:
    """How to fetch. Defaults suit real sites; tests shorten them."""

    timeout: float = 20.0  # seconds, per connect / read
    retries: int = 2  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled after each
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = USER_AGENT
    max_retry_after: float = 60.0  # a server's Retry-After is honoured up to this


@dataclass
class Fetcher:
    """One HTTP client for a pass (connections are reused), remembering when each host
    was last asked."""

    options: FetchOptions = field(default_factory=FetchOptions)
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.options.timeout), follow_redirects=True, trust_env=False,
                headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"})
        return self._client

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*", max_bytes: int | None = None) -> Fetched:
        """GET ``url``; with validators, a 304 comes back as ``not_modified``. A body over
        ``max_bytes`` (default: the options') is an error."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(url, "not an http(s) URL", "give a feed or page URL starting with http:// or https://")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        wait = self.options.backoff
        for attempt in range(self.options.retries + 1):
            last_try = attempt == self.options.retries
            self._polite(url)
            try:
                return self._once(url, headers, max_bytes or self.options.max_bytes)
            except _Retry as r:
                if last_try:
                    raise FetchError(url, r.problem, r.hint) from None
                time.sleep(min(r.after, self.options.max_retry_after) if r.after is not None else wait)
                wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, headers: dict[str, str], limit: int) -> Fetched:
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return Fetched(str(resp.url), 304, etag=resp.headers.get("etag"),
                                   last_modified=resp.headers.get("last-modified"), not_modified=True)
                if resp.status_code == 429 or resp.status_code >= 500:
                    raise _Retry(f"the server answered HTTP {resp.status_code} {resp.reason_phrase}",
                                 "a server-side problem: it is tried again on the next pass; if it lasts, "
                                 "check the URL in a browser", after=_retry_after(resp.headers.get("retry-after")))
                if resp.status_code >= 400:
                    raise FetchError(url, f"the server answered HTTP {resp.status_code} {resp.reason_phrase}",
                                     "check the URL: it is wrong, moved or needs a login; remove it from the "
                                     "watched sources if it is gone")
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(url, f"the response is over {limit / 1_000_000:.1f} MB",
                                         "is it really a feed or an article page? (the max_bytes setting "
                                         "limits article pages)")
                return Fetched(str(resp.url), resp.status_code, bytes(body),
                               resp.headers.get("content-type", ""), resp.headers.get("etag"),
                               resp.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.options.timeout:g} s (timed out)",
                         "the site is slow or down: it is tried again on the next pass") from None
        except httpx.TransportError as e:
            raise _Retry(f"cannot connect ({type(e).__name__}: {e})",
                         "check the host name and your network; it is tried again on the next pass") from None

    def _polite(self, url: str) -> None:
        """Wait until ``host_delay`` has passed since this host was last asked."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = time.monotonic()
            due = self._last.get(host, now - self.options.host_delay) + self.options.host_delay
            self._last[host] = max(now, due)
        if due > now:
            time.sleep(due - now)


class _Retry(Exception):
    def __init__(self, problem: str, hint: str, *, after: float | None = None):
        self.problem, self.hint, self.after = problem, hint, after


def _retry_after(value: Any) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(str(value)).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
