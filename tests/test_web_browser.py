"""The web page in Debian's Chromium (Playwright, no browser download), against
`diplograph serve` on a free loopback port over a store built from the seeds. Each test
asserts what a person sees, and saves a screenshot under screenshots/ (git-ignored).

Expectations come from the REST API of the same server, not from a past run: the page
must show what the store says. Only the layout (classes, ids) is fixed here."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
TOKEN = "browser-test-token-41d2"

playwright_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    db = tmp_path_factory.mktemp("web") / "seeds.duckdb"
    from diplograph import Graph

    with Graph.open(db) as g:
        assert g.ingest([SEEDS]).ingested
    port = _free_port()
    env = {**os.environ, "DIPLOGRAPH_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from diplograph.cli import run; run()", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--db", str(db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/documents", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"diplograph serve did not start: {out}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def api(base: str, path: str, **params) -> dict:
    query = urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}/api/{path}" + (f"?{query}" if query else ""), timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def page(browser, request):
    # bypass_csp: Playwright evaluates test predicates as strings; the escaping test then
    # checks that the page itself never lets markup run, with no CSP to help it
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def country(pg, iso3: str):
    return pg.locator(f'#map path.country[data-iso3="{iso3}"]')


def classes(pg, iso3: str) -> set[str]:
    return set((country(pg, iso3).get_attribute("class") or "").split())


def open_actor(pg, base: str, actor: str, at: str) -> None:
    pg.goto(f"{base}/#/actor/{actor}?at={at}")
    pg.locator("#relation-list").wait_for()
    pg.wait_for_function("document.querySelectorAll('#map path.country').length > 100")
    expect = playwright_api.expect
    expect(pg.locator("#actor-title")).to_contain_text(f"as of {at}")


def test_web_browser_actor_map_colours_allies(server, page):
    at = "2023-01-01"
    answer = api(server, "relations", actor="Uzbekistan", at=at,
                 type=["allied", "strategic_partners", "diplomatic_relations"])
    allies = {r["partner"]["id"] for r in answer["rows"] if r["state"] == "allied"}
    assert "KAZ" in allies and "TJK" not in allies  # what the seeds say; the page must show it
    open_actor(page, server, "UZB", at)
    assert "is-actor" in classes(page, "UZB")
    assert page.locator("#map path.country:not([data-iso3])").count() <= 2  # N. Cyprus, Somaliland
    for iso3 in allies:
        if country(page, iso3).count():  # tiny states are not on a 1:110m map
            assert "rel-allied" in classes(page, iso3), iso3
    assert not classes(page, "TJK") & {"rel-allied", "rel-strategic_partners", "rel-diplomatic_relations"}
    fill = country(page, "KAZ").evaluate("p => getComputedStyle(p).fill")
    assert fill != country(page, "TJK").evaluate("p => getComputedStyle(p).fill")
    listed = page.locator('#relation-list li[data-state="allied"]')
    assert {listed.nth(i).get_attribute("data-partner") for i in range(listed.count())} == allies
    assert page.locator('#relation-list li[data-partner="TJK"]').count() == 0
    kaz = page.locator('#relation-list li[data-partner="KAZ"][data-state="allied"]')
    assert "Kazakhstan" in kaz.inner_text()
    ev = next(r["evidence"]["text"] for r in answer["rows"] if r["partner"]["id"] == "KAZ" and r["state"] == "allied")
    assert ev in kaz.locator("blockquote").first.inner_text()


def test_web_browser_date_slider_recolours_the_map(server, page):
    open_actor(page, server, "UZB", "2023-01-01")
    assert "rel-allied" in classes(page, "KAZ")
    slider = page.locator("#date-slider")
    slider.focus()
    slider.press("Home")  # the slider's first day: 1945, before any of these relations
    playwright_api.expect(page.locator("#date-input")).to_have_value("1945-01-01")
    playwright_api.expect(page.locator("#actor-title")).to_contain_text("as of 1945-01-01")
    assert "rel-allied" not in classes(page, "KAZ")
    assert page.locator('#relation-list li[data-state="allied"]').count() == 0
    assert "at=1945-01-01" in page.url
    slider.press("End")  # today: Kazakhstan is an ally again if nothing ended it
    playwright_api.expect(page.locator("#actor-title")).not_to_contain_text("1945-01-01")
    day = page.locator("#date-input").input_value()
    now = {r["partner"]["id"] for r in api(server, "allies", actor="UZB", at=day)["rows"]}
    assert ("rel-allied" in classes(page, "KAZ")) == ("KAZ" in now)


def test_web_browser_evidence_and_document_link(server, page):
    open_actor(page, server, "UZB", "2023-01-01")
    row = page.locator('#relation-list li[data-partner="KAZ"]').first
    row.locator(".evidence-button").click()
    shown = row.locator(".all-evidence blockquote")
    shown.first.wait_for()
    rows = api(server, "allies", actor="UZB", at="2023-01-01")["rows"]
    fact = next(r for r in rows if r["partner"]["id"] == "KAZ")["fact"]
    expected = [e["text"] for e in api(server, f"facts/{fact}/evidence")]
    assert [shown.nth(i).inner_text() for i in range(shown.count())] == expected
    row.locator("a.doc-link").first.click()
    page.locator("#doc-text").wait_for()
    assert re.search(r"#/doc/", page.url)
    marks = page.locator("#doc-text mark.claim")
    assert marks.count() >= 1
    assert any(expected[0] in marks.nth(i).inner_text() or marks.nth(i).inner_text() in expected[0]
               for i in range(marks.count()))


def test_web_browser_network_node_opens_actor_page(server, page):
    page.goto(f"{server}/#/network?at=2023-01-01")
    page.wait_for_selector('#network[data-ready="2023-01-01"]')
    net = api(server, "network", at="2023-01-01")
    assert page.evaluate("window.diplograph.cy.nodes().length") == len(net["nodes"])
    assert page.evaluate("window.diplograph.cy.edges().length") == len(net["edges"])
    page.locator('input[name=type][value="diplomatic_relations"]').uncheck()
    kept = [e for e in net["edges"] if e["state"] != "diplomatic_relations"]
    page.wait_for_function(f"window.diplograph.cy.edges().length === {len(kept)}")
    page.locator('input[name=type][value="diplomatic_relations"]').check()
    page.wait_for_function(f"window.diplograph.cy.edges().length === {len(net['edges'])}")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "network-before-click.png"))
    pos = page.evaluate("(() => { const p = window.diplograph.cy.getElementById('UZB').renderedPosition();"
                        " return {x: p.x, y: p.y}; })()")
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url(re.compile(r"#/actor/UZB"))
    playwright_api.expect(page.locator("#actor-title")).to_contain_text("Uzbekistan")


def test_web_browser_dyad_timeline(server, page):
    facts = api(server, "timeline", actor="Israel", other="Uzbekistan", limit=500)["items"]
    assert facts
    page.goto(f"{server}/#/timeline/Israel/Uzbekistan")
    page.locator("#timeline-list li[data-fact]").first.wait_for()
    items = page.locator("#timeline-list li[data-fact]")
    assert [items.nth(i).get_attribute("data-fact") for i in range(items.count())] == [f["id"] for f in facts]
    assert page.locator("#timeline-axis circle").count() == sum(1 for f in facts if f["date"])
    first = items.first
    assert facts[0]["evidence"]["text"] in first.locator("blockquote").first.inner_text()
    first.locator(".evidence-button").click()
    first.locator(".all-evidence blockquote").first.wait_for()
    assert first.locator("a.doc-link").count() >= 1


def test_web_browser_document_text_is_escaped(server, page):
    text = ("Estonia and Latvia sign a defence pact\n\n"
            "RIGA, April 3, 2024 - Estonia and Latvia signed a defence cooperation agreement on April 2, 2024. "
            "A reader's comment under the report read <script>window.__pwned = 1</script> and "
            "<img src=x onerror=\"window.__pwned = 2\"> before moderators removed it.\n")
    req = urllib.request.Request(f"{server}/api/documents", method="POST",
                                 data=json.dumps({"text": text, "title": "<b>Riga</b> pact"}).encode(),
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        doc_id = json.loads(r.read())["ingested"][0]["id"]
    page.goto(f"{server}/#/doc/{quote(doc_id)}")
    page.locator("#doc-text").wait_for()
    assert "<script>window.__pwned = 1</script>" in page.locator("#doc-text").inner_text()
    assert page.locator("h1").inner_text() == "<b>Riga</b> pact"
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc-text script, #doc-text img, h1 b").count() == 0


def test_web_browser_search_conflicts_and_ingest_form(server, page):
    page.goto(f"{server}/#/search?q=Tashkent")
    page.locator("#search-results a").first.wait_for()
    page.locator("#search-results a", has_text="Uzbekistan").click()
    page.wait_for_url(re.compile(r"#/actor/UZB"))

    page.goto(f"{server}/#/conflicts")
    total = len(api(server, "conflicts", limit=500)["items"])
    playwright_api.expect(page.locator("h1")).to_contain_text(f"({total})")
    assert page.locator("#conflict-list > li").count() == total

    page.goto(f"{server}/#/ingest")
    page.fill("#ingest-token", "not-the-token")
    page.fill("#ingest-text", "Lithuania and Poland signed a strategic partnership agreement on 5 May 2022 in Vilnius.")
    page.click("form.stack button[type=submit]")
    playwright_api.expect(page.locator("#ingest-result")).to_contain_text("403")
    page.fill("#ingest-token", TOKEN)
    page.fill("#ingest-published", "2022-05-06")
    page.click("form.stack button[type=submit]")
    playwright_api.expect(page.locator("#ingest-result")).to_contain_text("1 ingested", timeout=60000)
    page.locator("#ingest-result a").click()
    page.locator("#doc-text").wait_for()
    assert "Lithuania and Poland" in page.locator("#doc-text").inner_text()



def test_web_browser_no_null_shown_and_only_web_links(server, page):
    # "null" once came out under the documents table and at the foot of an actor's relations
    page.goto(f"{server}/#/documents")
    page.locator("#documents").wait_for()
    page.wait_for_timeout(300)
    assert "null" not in page.locator("#view").inner_text()
    open_actor(page, server, "UZB", "2023-01-01")
    page.wait_for_timeout(300)
    assert "null" not in page.locator("#view").inner_text()
    # a URL that is not http(s) is neither stored nor shown as a link
    text = "TALLINN, April 3, 2024 - Estonia and Latvia signed a defence cooperation agreement on April 2, 2024.\n"
    req = urllib.request.Request(f"{server}/api/documents", method="POST",
                                 data=json.dumps({"text": text, "url": "javascript:alert(17)"}).encode(),
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        doc_id = json.loads(r.read())["ingested"][0]["id"]
    assert api(server, f"documents/{quote(doc_id)}").get("url") is None
    page.goto(f"{server}/#/doc/{quote(doc_id)}")
    page.locator("#doc-text").wait_for()
    assert page.locator('a[href^="javascript"]').count() == 0
