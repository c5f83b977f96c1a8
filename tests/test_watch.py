"""`diplograph watch` against a small site on 127.0.0.1 (tests/watch_site.py): articles
stored once, conditional GET, state across restarts, each failing source reported while
the others carry on, the feed's summary when a page cannot be had, one alert per change,
rules, the webhook, and the command end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from watch_site import ARTICLES, NAV_PAGE, Route, article_html, rss, serve_site

from diplograph import Graph
from diplograph.errors import ConfigError
from diplograph.watch import FetchOptions
from diplograph.watch.deliver import to_webhook
from diplograph.watch.fetch import FetchError

FAST = FetchOptions(timeout=0.5, retries=1, backoff=0.01, host_delay=0.0)
FEED_TYPE = "application/rss+xml"
TREATY, OUTLOOK, EXIT = "/news/astana-treaty", "/news/tashkent-outlook", "/news/bamako-exit"
RECALL = "/news/bishkek-recall"


@pytest.fixture
def site():
    s, stop = serve_site()
    for p in ARTICLES:
        s.set(p, Route(body=article_html(p)))
    yield s
    stop()


def _feed(site, paths, etag, **kw) -> Route:
    return Route(body=rss(site.base, paths, **kw), content_type=FEED_TYPE, etag=etag)


def test_watch_stores_new_articles_once_and_alerts_once_per_change(site, tmp_path):
    site.set("/feed.xml", _feed(site, [TREATY, OUTLOOK], '"v1"'))
    feed = site.base + "/feed.xml"
    with Graph.open(tmp_path / "w.duckdb") as g:
        first = g.watch_pass([feed], options=FAST)
        assert first.ok and len(first.stored) == 2
        docs = {d.source: d for d in g.documents()}
        assert set(docs) == {site.base + TREATY, site.base + OUTLOOK}
        assert all(d.published_method == "metadata" for d in docs.values())
        kinds = {(a["kind"], a.get("relation")) for a in first.alerts}
        assert ("relation_began", "allied") in kinds  # Kazakhstan and Kyrgyzstan
        assert ("relation_began", "member_of") in kinds  # Mali and ECOWAS, 1975
        assert ("speculation", None) in kinds  # Uzbekistan and Tajikistan
        allied = next(a for a in first.alerts if a.get("relation") == "allied")
        assert {x["id"] for x in allied["actors"]} == {"KAZ", "KGZ"}
        assert "treaty on allied relations" in allied["evidence"]["text"]
        assert allied["link"] == site.base + TREATY and allied["fact"]
        assert len({a["key"] for a in first.alerts}) == len(first.alerts)

        # unchanged feed: the ETag is sent back, a 304 comes, no page is fetched again
        second = g.watch_pass([feed], options=FAST)
        assert second.sources[0].status == "not_modified" and not second.stored and not second.alerts
        assert site.requests("/feed.xml")[-1].get("if-none-match") == '"v1"'
        assert len(site.requests(TREATY)) == 1

        # a third item: only its page is fetched; its change is the only alert
        site.set("/feed.xml", _feed(site, [TREATY, OUTLOOK, EXIT], '"v2"'))
        third = g.watch_pass([feed], options=FAST)
        assert [d.source for d in third.stored] == [site.base + EXIT]
        assert third.sources[0].seen_before == 2
        assert [(a["kind"], a["relation"]) for a in third.alerts] == [("relation_ended", "member_of")]
        ended = third.alerts[0]
        assert "withdrew" in ended["evidence"]["text"] and ended["link"] == site.base + EXIT
        assert len(site.requests(TREATY)) == 1 and len(site.requests(OUTLOOK)) == 1
        assert len(g.alerts()) == len(first.alerts) + 1
        health = g.watch_sources()[0]
        assert health["status"] == "ok" and health["items"] == 3 and health["etag"] == '"v2"'


def test_a_new_conflict_between_sources_is_an_alert(site, tmp_path):
    site.set("/feed.xml", _feed(site, [TREATY], '"k1"'))
    with Graph.open(tmp_path / "k.duckdb") as g:
        g.watch_pass([site.base + "/feed.xml"], options=FAST)
        site.set("/feed.xml", _feed(site, [TREATY, RECALL], '"k2"'))
        report = g.watch_pass([site.base + "/feed.xml"], options=FAST)
        conflicts = [a for a in report.alerts if a["kind"] == "conflict"]
        assert len(conflicts) == 1  # the alliance dated 2025-03-03 by one source, 2019 by the other
        c = conflicts[0]
        assert {x["id"] for x in c["actors"]} == {"KAZ", "KGZ"} and len(c["facts"]) == 2
        texts = [c["evidence"]["text"], *(o["text"] for o in c["others"])]
        assert any("2019" in t for t in texts) and any("on Monday" in t for t in texts)
        assert g.conflicts("Kazakhstan")
        site.set("/feed.xml", _feed(site, [TREATY, RECALL], '"k3"'))  # re-read, nothing new
        assert not g.watch_pass([site.base + "/feed.xml"], options=FAST).alerts


def test_items_seen_before_are_not_fetched_again_after_a_restart(site, tmp_path):
    site.set("/feed.xml", Route(body=rss(site.base, [TREATY]), content_type=FEED_TYPE))  # no ETag
    db = tmp_path / "r.duckdb"
    with Graph.open(db) as g:
        assert len(g.watch_pass([site.base + "/feed.xml"], options=FAST).stored) == 1
    # a new process, later: the same item (by guid or by link) is skipped without a request
    site.set("/feed.xml", Route(body=rss(site.base, [TREATY], links={TREATY: site.base + TREATY + "#top"}),
                                content_type=FEED_TYPE))
    with Graph.open(db) as g:
        again = g.watch_pass([site.base + "/feed.xml"], options=FAST)
        assert again.ok and not again.stored and again.sources[0].seen_before == 1 and not again.alerts
    assert len(site.requests(TREATY)) == 1


def test_each_failing_source_is_reported_and_the_others_carry_on(site, tmp_path):
    site.set("/feed.xml", _feed(site, [TREATY], '"a"'))
    site.set("/broken", Route(status=500, body="oops"))
    site.set("/slow.xml", Route(body=rss(site.base, [OUTLOOK]), content_type=FEED_TYPE, delay=1.5))
    site.set("/bad.xml", Route(body="<?xml version='1.0'?><rss><channel><item><title>x</ti", content_type=FEED_TYPE))
    site.set("/sections", Route(body=NAV_PAGE))
    urls = [site.base + p for p in ("/broken", "/slow.xml", "/bad.xml", "/sections", "/feed.xml")]
    with Graph.open(tmp_path / "f.duckdb") as g:
        report = g.watch_pass(urls, options=FAST)
        by = {s.url.removeprefix(site.base): s for s in report.sources}
        assert [d.source for d in report.stored] == [site.base + TREATY]
        assert by["/feed.xml"].status == "ok"
        assert {p for p, s in by.items() if s.status == "failed"} == {"/broken", "/slow.xml", "/bad.xml", "/sections"}
        assert "HTTP 500" in by["/broken"].error and by["/broken"].error.startswith(site.base + "/broken")
        assert "timed out" in by["/slow.xml"].error
        assert "malformed" in by["/bad.xml"].error
        assert "not an article" in by["/sections"].error and "feed" in by["/sections"].error  # what to do
        assert len(site.requests("/broken")) == FAST.retries + 1  # a 5xx is retried
        assert "4 failed" in report.summary() and not report.ok
        health = {s["url"].removeprefix(site.base): s for s in g.watch_sources()}
        assert health["/broken"]["status"] == "failed" and "HTTP 500" in health["/broken"]["problem"]
        assert health["/broken"]["last_ok"] is None and health["/feed.xml"]["last_ok"] is not None


def test_a_page_that_cannot_be_had_falls_back_to_the_feed_summary(site, tmp_path):
    summary = ("Kazakhstan and Kyrgyzstan signed a treaty on allied relations on Monday, "
               "the presidential press service said.")
    site.set("/gone", Route(status=503, body="down"))
    site.set("/video", Route(body=NAV_PAGE))
    site.set("/feed.xml", Route(body=rss(site.base, [TREATY, "/video"], summaries={TREATY: summary, "/video": ""},
                                         links={TREATY: site.base + "/gone"}), content_type=FEED_TYPE))
    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.watch_pass([site.base + "/feed.xml"], options=FAST)
        assert report.ok and len(report.stored) == 1 and report.sources[0].from_summary == 1
        doc = g.document(report.stored[0].id)
        assert doc.extras["text_from"] == "feed summary" and "503" in doc.extras["why"]
        assert doc.source == site.base + "/gone" and "treaty on allied relations" in doc.text
        assert any(a.get("relation") == "allied" for a in report.alerts)
        problems = " ".join(report.sources[0].problems)
        assert "/video" in problems and "not an article" in problems
        # the video item has nothing to read, ever: remembered, not fetched again
        g.watch_pass([site.base + "/feed.xml"], options=FAST)
        assert len(site.requests("/video")) == 1


def test_rules_choose_which_changes_are_alerts(site, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: Sahel\n    actors: [Mali]\n    types: [member_of]\n", encoding="utf-8")
    site.set("/feed.xml", _feed(site, [TREATY, OUTLOOK], '"r"'))
    with Graph.open(tmp_path / "rules.duckdb") as g:
        report = g.watch_pass([site.base + "/feed.xml"], rules=str(rules), options=FAST)
        assert report.changes >= 3
        assert [(a["relation"], a["rules"]) for a in report.alerts] == [("member_of", ["Sahel"])]
        for bad, message in [("rules:\n  - types: [alliances]\n", "unknown type 'alliances'"),
                             ("rules:\n  - actors: [Atlantis Republic]\n", "unknown actor"),
                             ("rules:\n  - colour: red\n", "unknown key 'colour'"),
                             ("rules: {a: 1\n", "not valid YAML")]:
            rules.write_text(bad, encoding="utf-8")
            with pytest.raises(ConfigError, match=message) as e:
                g.watch_rules(str(rules))
            assert str(rules) in str(e.value)


def test_webhook_posts_each_alert_and_retries(site):
    site.set("/hook", Route(body="{}", content_type="application/json", fail_first=1))
    alerts = [{"kind": "conflict", "summary": "one"}, {"kind": "plan", "summary": "two"}]
    to_webhook(site.base + "/hook", alerts, FAST)
    bodies = [json.loads(b) for b in site.bodies("/hook")]
    assert bodies == [alerts[0], alerts[0], alerts[1]]  # the first was refused once, then sent again
    site.set("/down", Route(status=500, body="no"))
    with pytest.raises(FetchError, match="HTTP 500 after 2 attempt"):
        to_webhook(site.base + "/down", alerts, FAST)


def _cli(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-c", "from diplograph.cli import run; run()", *args],
                          capture_output=True, text=True, timeout=300, env=env)


def test_cli_watch_once_end_to_end(site, tmp_path):
    site.set("/feed.xml", _feed(site, [TREATY, OUTLOOK], '"c"'))
    db, alerts = tmp_path / "cli.duckdb", tmp_path / "out" / "alerts.jsonl"
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n{site.base}/feed.xml\n\n", encoding="utf-8")
    args = ["watch", str(listing), "--once", "--alerts", str(alerts), "--db", str(db), "--timeout", "2",
            "--host-delay", "0", "--webhook", site.base + "/hook"]
    site.set("/hook", Route(body="{}", content_type="application/json"))
    run = _cli(args)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(x) for x in alerts.read_text(encoding="utf-8").splitlines()]
    assert len(lines) >= 3 and len({x["key"] for x in lines}) == len(lines)
    assert all(x["evidence"]["text"] and x["link"].startswith(site.base) for x in lines)
    assert "ALERT relation_began" in run.stdout
    assert "watch pass: 1 source(s): 1 read" in run.stderr and "2 new document(s)" in run.stderr
    assert len(site.bodies("/hook")) == len(lines)
    # again: nothing new, no alert twice
    again = _cli(args)
    assert again.returncode == 0 and len(alerts.read_text(encoding="utf-8").splitlines()) == len(lines)
    listed = _cli(["alerts", "--json", "--db", str(db)])
    assert len(listed.stdout.splitlines()) == len(lines)
    # a failing source: named on stderr with what to do, exit code 1
    site.set("/dead.xml", Route(status=500))
    failing = _cli(["watch", site.base + "/dead.xml", "--once", "--db", str(db), "--timeout", "1",
                    "--host-delay", "0"])
    assert failing.returncode == 1 and f"failed: {site.base}/dead.xml: the server answered HTTP 500" in failing.stderr
    bad = _cli(["watch", str(tmp_path / "nope.txt"), "--once", "--db", str(db)])
    assert bad.returncode == 1 and "neither an http(s) URL nor a file of URLs" in bad.stderr


def test_overview_api_shows_changes_sources_and_alerts(site, tmp_path):
    from fastapi.testclient import TestClient

    from diplograph.web import create_app

    site.set("/feed.xml", _feed(site, [TREATY, OUTLOOK, EXIT], '"o"'))
    db = tmp_path / "o.duckdb"
    with Graph.open(db) as g:
        report = g.watch_pass([site.base + "/feed.xml"], options=FAST)
        app = create_app(db, graph=g)
        with TestClient(app) as client:
            ov = client.get("/api/overview", params={"days": 7}).json()
            assert ov["counts"]["documents"] == 3 and ov["new_documents"] == 3
            assert ov["counts"]["claims"] == g.store.count_claims()
            assert [x["summary"] for x in ov["began"]["items"]] == ["Kazakhstan and Kyrgyzstan became allies (2025-03-03)"]
            assert ov["members"]["total"] == 1 and ov["ended"]["total"] == 1
            assert ov["discussed"]["items"][0]["kind"] == "speculation"
            assert ov["activity"]["KAZ"] >= 1 and ov["activity"]["MLI"] >= 1
            assert ov["sources"][0]["url"] == site.base + "/feed.xml" and ov["sources"][0]["status"] == "ok"
            assert len(ov["alerts"]) == len(report.alerts)
            ended = ov["ended"]["items"][0]
            assert ended["evidence"]["doc"] and "withdrew" in ended["evidence"]["text"]
            assert client.get("/api/overview", params={"days": 0}).status_code == 400
            assert client.get("/api/watch/sources").json()["total"] == 1
            assert len(client.get("/api/alerts").json()["items"]) == len(report.alerts)


def test_cli_watch_beside_a_running_server_commits_through_it(site, tmp_path):
    import socket
    import time
    import urllib.request

    site.set("/feed.xml", _feed(site, [TREATY], '"s"'))
    db = tmp_path / "served.duckdb"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", "from diplograph.cli import run; run()", "serve", "--host",
                               "127.0.0.1", "--port", str(port), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not Path(str(db) + ".server").exists() or server.poll() is not None:
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        run = _cli(["watch", site.base + "/feed.xml", "--once", "--db", str(db), "--json", "--host-delay", "0"])
        assert run.returncode == 0, run.stderr
        alerts = [json.loads(x) for x in run.stdout.splitlines()]
        assert any(a.get("relation") == "allied" for a in alerts)
        with urllib.request.urlopen(base + "/api/overview", timeout=10) as r:
            ov = json.loads(r.read())
        assert ov["counts"]["documents"] == 1 and len(ov["alerts"]) == len(alerts)
        assert ov["sources"][0]["url"] == site.base + "/feed.xml"
    finally:
        server.terminate()
        server.wait(15)
