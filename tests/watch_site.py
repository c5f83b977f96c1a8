"""A small web site on 127.0.0.1 for the watcher's tests: feeds, article pages and the
ways they fail (HTTP 500, a slow answer, malformed XML, a page that is not an article),
with ETag support and a log of every request. The articles are the team's own text."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate

ARTICLES = {
    "/news/astana-treaty": (
        "Kazakhstan and Kyrgyzstan sign alliance treaty", "2025-03-03",
        "ASTANA, March 3, 2025 (Steppe Wire) – Kazakhstan and Kyrgyzstan signed a treaty on allied relations on "
        "Monday, the presidential press service said.\n\nThe two presidents met in the Kazakh capital for a two-day "
        "state visit and discussed trade, water and transport links across their long shared border, aides said."),
    "/news/tashkent-outlook": (
        "Tashkent weighs its options", "2025-03-05",
        "TASHKENT, March 5, 2025 (Steppe Wire) – Uzbekistan could sign an alliance treaty with Tajikistan next "
        "year, analysts said on Wednesday.\n\nMali joined the Economic Community of West African States in 1975, "
        "officials recalled on Wednesday at a conference on regional integration held in the Uzbek capital."),
    "/news/bamako-exit": (
        "Mali leaves the regional bloc", "2025-05-05",
        "BAMAKO, May 5, 2025 (Sahel Report) – Mali withdrew from the Economic Community of West African States on "
        "Monday, the military government said in a statement read on state television.\n\nOfficials said the "
        "decision followed months of tension with the regional bloc over sanctions and the timetable for "
        "elections in the country."),
    "/news/bishkek-recall": (
        "Bishkek recalls an older pact", "2025-04-10",
        "BISHKEK, April 10, 2025 (Mountain News) – Kyrgyzstan recalled that it became an ally of Kazakhstan in "
        "2019, when the two countries signed their first alliance treaty, a foreign ministry spokesman said on "
        "Thursday.\n\nThe spokesman said the relationship had deepened since then through joint exercises and "
        "new trade agreements between the two neighbours."),
}

NAV_PAGE = ("<html><head><title>Sections</title></head><body><nav><ul>"
            + "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(12))
            + "</ul></nav><footer>Contact</footer></body></html>")


def article_html(path: str) -> str:
    title, date, text = ARTICLES[path]
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<!doctype html><html><head><title>{title}</title>"
            f"<meta property='article:published_time' content='{date}'></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>All rights reserved.</footer></body></html>")


def rss(base: str, paths: list[str], *, summaries: dict[str, str] | None = None,
        links: dict[str, str] | None = None) -> str:
    items = []
    for p in paths:
        title, date, text = ARTICLES.get(p, (p, "2025-06-01", ""))
        y, m, d = (int(x) for x in date.split("-"))
        pub = formatdate(time.mktime((y, m, d, 12, 0, 0, 0, 0, 0)), usegmt=True)
        summary = (summaries or {}).get(p, text.split("\n\n")[0][:120])
        link = (links or {}).get(p, base + p)
        items.append(f"<item><title>{title}</title><link>{link}</link><guid>{base}{p}</guid>"
                     f"<pubDate>{pub}</pubDate><description>{summary}</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Test wire</title>"
            f"<link>{base}/</link><description>news</description>{''.join(items)}</channel></rss>")


@dataclass
class Route:
    status: int = 200
    body: str | bytes = ""
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    delay: float = 0.0  # seconds before answering (a slow server)
    fail_first: int = 0  # answer 500 to this many requests first, then normally


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)  # method, path, headers, body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def requests(self, path: str, method: str = "GET") -> list[dict[str, str]]:
        with self.lock:
            return [h for m, p, h, _ in self.log if p == path and m == method]

    def bodies(self, path: str) -> list[bytes]:
        with self.lock:
            return [b for m, p, _, b in self.log if p == path and m == "POST"]

    def set(self, path: str, route: Route) -> None:
        self.routes[path] = route


def serve_site() -> tuple[Site, Callable[[], None]]:
    """Start the site on a free loopback port; returns it and a function that stops it."""
    site = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            body_in = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.log.append((method, path, {k.lower(): v for k, v in self.headers.items()}, body_in))
                route = site.routes.get(path)
                failing = route is not None and route.fail_first > 0
                if failing:
                    route.fail_first -= 1
            if route is None:
                self._send(404, b"not found", "text/plain")
                return
            if route.delay:
                time.sleep(route.delay)
            if failing:
                self._send(500, b"try later", "text/plain")
                return
            if route.etag and self.headers.get("if-none-match") == route.etag:
                self._send(304, b"", None, etag=route.etag)
                return
            body = route.body.encode() if isinstance(route.body, str) else route.body
            self._send(route.status, body, route.content_type, etag=route.etag)

        def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None = None) -> None:
            try:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up (the timeout test) is not the site's problem

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return site, stop
