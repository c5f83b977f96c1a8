"""Latency of every REST endpoint under concurrent clients, and page load time in Chromium.

Bounded on purpose: loopback only, a fixed number of requests per endpoint, and a time
limit per endpoint. Starts `diplograph serve` on a free 127.0.0.1 port over ``--db``
(or uses ``--url`` of a server already running on loopback).

    .venv/bin/python bench/web_load.py --db /tmp/seeds.duckdb                 # 20 clients, 200 requests each
    .venv/bin/python bench/web_load.py --db big.duckdb --actor UZB --requests 400 --browser
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote, urlparse

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def endpoints(base: str, actor: str, other: str, org: str) -> list[tuple[str, str]]:
    """(name, path) pairs; ids for evidence and documents are taken from the store itself."""
    def get(path: str) -> dict:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return json.loads(r.read())

    facts = get("/api/facts?limit=1")["items"]
    docs = get("/api/documents?limit=1")["items"]
    a, o = quote(actor), quote(other)
    out = [
        ("allies", f"/api/allies?actor={a}&at=2023-01-01"),
        ("partners", f"/api/partners?actor={a}"),
        ("relations", f"/api/relations?actor={a}&at=2023-01-01"),
        ("timeline", f"/api/timeline?actor={a}&other={o}"),
        ("members", f"/api/members?org={quote(org)}"),
        ("changes", f"/api/changes?actor={a}&start=2000&end=2025"),
        ("conflicts", "/api/conflicts"),
        ("facts", f"/api/facts?actor={a}&limit=100"),
        ("actors", "/api/actors?q=Tashkent"),
        ("documents", "/api/documents?limit=100"),
        ("claims", f"/api/claims?actor={a}&limit=100"),
        ("network", "/api/network?at=2023-01-01"),
    ]
    if facts:
        out.append(("evidence", f"/api/facts/{facts[0]['id']}/evidence"))
    if docs:
        out.append(("document", f"/api/documents/{docs[0]['id']}"))
        out.append(("document claims", f"/api/documents/{docs[0]['id']}/claims"))
    return out


async def hammer(base: str, path: str, *, clients: int, requests: int, time_limit: float) -> dict:
    latencies: list[float] = []
    errors = 0
    todo = iter(range(requests))
    deadline = time.monotonic() + time_limit
    start = time.monotonic()

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal errors
        for _ in todo:
            if time.monotonic() > deadline:
                return
            t0 = time.perf_counter()
            r = await c.get(base + path)
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as c:
        await asyncio.gather(*(client(c) for _ in range(clients)))
    wall = time.monotonic() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else latencies * 99
    return {"n": len(latencies), "errors": errors, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "max_ms": max(latencies) * 1000, "rps": len(latencies) / wall if wall else 0.0}


def page_loads(base: str, actor: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    pages = [("actor", f"/#/actor/{quote(actor)}?at=2023-01-01", "#relation-list"),
             ("network", "/#/network?at=2023-01-01", "#network[data-ready]"),
             ("conflicts", "/#/conflicts", "#conflict-list"),
             ("documents", "/#/documents", "#documents")]
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for name, path, ready in pages:
            loads, readies = [], []
            for _ in range(runs):
                ctx = browser.new_context()  # cold cache each run
                pg = ctx.new_page()
                t0 = time.perf_counter()
                pg.goto(base + path)
                pg.wait_for_selector(ready)
                readies.append((time.perf_counter() - t0) * 1000)
                loads.append(pg.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                ctx.close()
            out.append({"page": name, "load_event_ms": statistics.median(loads),
                        "data_shown_ms": statistics.median(readies)})
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="Store to serve (starts `diplograph serve` on a free loopback port).")
    ap.add_argument("--url", help="A server already running on loopback, e.g. http://127.0.0.1:8000.")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=200, help="Requests per endpoint.")
    ap.add_argument("--time-limit", type=float, default=30.0, help="Seconds per endpoint at most.")
    ap.add_argument("--actor", default="UZB")
    ap.add_argument("--other", default="ISR")
    ap.add_argument("--org", default="Abraham Accords")
    ap.add_argument("--browser", action="store_true", help="Also time page loads in Debian's chromium.")
    ap.add_argument("--runs", type=int, default=5, help="Page loads per page (--browser).")
    args = ap.parse_args()
    if bool(args.db) == bool(args.url):
        ap.error("give --db or --url")
    proc = None
    if args.url:
        if urlparse(args.url).hostname not in LOOPBACK:
            ap.error("--url must be on loopback (127.0.0.1 or localhost): this is a load generator")
        base = args.url.rstrip("/")
    else:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-c", "from diplograph.cli import run; run()", "serve",
                                 "--host", "127.0.0.1", "--port", str(port), "--db", args.db],
                                env={**os.environ, "DIPLOGRAPH_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/documents?limit=1", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    sys.exit("diplograph serve exited")
                time.sleep(0.2)
    try:
        print(f"{args.clients} concurrent clients, {args.requests} requests per endpoint, on {base}")
        print(f"{'endpoint':<16}{'n':>6}{'err':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'req/s':>8}")
        for name, path in endpoints(base, args.actor, args.other, args.org):
            r = asyncio.run(hammer(base, path, clients=args.clients, requests=args.requests,
                                   time_limit=args.time_limit))
            print(f"{name:<16}{r['n']:>6}{r['errors']:>5}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
                  f"{r['max_ms']:>9.1f}{r['rps']:>8.0f}")
        if args.browser:
            print("\npage (median of cold loads)   load event ms   data shown ms")
            for r in page_loads(base, args.actor, args.runs):
                print(f"{r['page']:<30}{r['load_event_ms']:>14.0f}{r['data_shown_ms']:>16.0f}")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
