"""The overview page in Debian's Chromium, against `diplograph serve --watch` following a
feed of the loopback test site (tests/watch_site.py) and one broken source. What the page
must show is read from the same server's REST API, not from a past run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from watch_site import ARTICLES, Route, article_html, rss, serve_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "screenshots"

playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    site, stop_site = serve_site()
    for p in ARTICLES:
        site.set(p, Route(body=article_html(p)))
    site.set("/feed.xml", Route(body=rss(site.base, list(ARTICLES)), content_type="application/rss+xml", etag='"b"'))
    site.set("/broken.xml", Route(status=500, body="down"))
    db = tmp_path_factory.mktemp("watchweb") / "w.duckdb"
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from diplograph.cli import run; run()", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--db", str(db), "--watch", site.base + "/feed.xml", "--watch",
         site.base + "/broken.xml", "--every", "10m", "--timeout", "2", "--host-delay", "0"],
        env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240  # the first pass loads the extractor and reads the site's articles
    try:
        while True:
            try:
                sources = _get(base + "/api/watch/sources")["items"]
                if len(sources) == 2 and _get(base + "/api/documents")["total"] == len(ARTICLES):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"serve --watch did not read the feed in time: {out[-3000:]}")
            time.sleep(0.5)
        yield base, site
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        stop_site()


@pytest.fixture
def page(browser, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_overview_page_shows_what_changed_where_and_the_sources(served, page):
    base, site = served
    expect = playwright_api.expect
    ov = _get(base + "/api/overview?days=7")
    page.goto(base + "/")
    page.locator("#overview-map[data-ready='7']").wait_for()
    # counts as the store has them
    expect(page.locator("[data-count=documents] .value")).to_have_text(str(ov["counts"]["documents"]))
    expect(page.locator("[data-count=claims] .value")).to_have_text(str(ov["counts"]["claims"]))
    expect(page.locator("[data-count=facts] .value")).to_have_text(str(ov["counts"]["facts"]))
    # each section lists what the API says, with its evidence linking to the document
    for key in ("began", "ended", "members", "discussed"):
        items = ov[key]["items"]
        assert items, key
        rows = page.locator(f"#changes-{key} > li")
        expect(rows).to_have_count(len(items))
        expect(rows.first).to_contain_text(items[0]["summary"])
        expect(rows.first.locator("blockquote")).to_have_text(items[0]["evidence"]["text"])
        names = [a["name"] for a in items[0]["actors"]]
        expect(rows.first.locator("span.muted a")).to_have_text(names)  # each actor a link to its page
    # the map is shaded where something happened, and only there
    for iso3, n in ov["activity"].items():
        path = page.locator(f'#overview-map path.country[data-iso3="{iso3}"]')
        if path.count():
            assert path.get_attribute("data-activity") == str(n)
            assert "active" in (path.get_attribute("class") or "")
    assert page.locator("#overview-map path.country.active").count() == len(
        [a for a in ov["activity"] if page.locator(f'#overview-map path.country[data-iso3="{a}"]').count()])
    assert page.locator('#overview-map path.country[data-iso3="BRA"]').get_attribute("data-activity") == "0"
    # sources and their health: the broken one says why
    expect(page.locator(f'#sources-table tr[data-url="{site.base}/feed.xml"]')).to_contain_text("ok")
    broken = page.locator(f'#sources-table tr[data-url="{site.base}/broken.xml"]')
    expect(broken).to_contain_text("failed")
    expect(broken).to_contain_text("HTTP 500")
    expect(page.locator("#alerts-list > li")).to_have_count(len(ov["alerts"]))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
    # a line's evidence opens its document, where the claim is highlighted
    page.locator("#changes-ended > li a.doc-link").first.click()
    page.wait_for_url("**/#/doc/**")
    page.locator("#doc-text mark").first.wait_for()
    expect(page.locator("#doc-text")).to_contain_text("withdrew")


def test_overview_window_and_search_still_work(served, page):
    base, _ = served
    expect = playwright_api.expect
    page.goto(base + "/#/?days=30")
    page.locator("#overview-map[data-ready='30']").wait_for()
    expect(page.locator("#overview-window a.current")).to_have_text("30 days")
    page.locator("header nav a", has_text="Search").click()
    page.wait_for_url("**/#/search")
    page.locator("#search-q").fill("Bamako")
    page.locator("#search-q").press("Enter")
    page.locator("#search-results a", has_text="Mali").click()
    page.wait_for_url("**/#/actor/MLI**")
    page.locator("#relation-list").wait_for()
