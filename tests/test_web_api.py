"""The REST API (diplograph serve) through FastAPI's test client: every endpoint, bad
parameters, unknown actors and documents, an empty store, the token rules, size limits,
and reads answered while an ingest runs. The articles are our own, in the genre of news."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from diplograph import Graph
from diplograph.web import create_app

TOKEN = "op-7f3a9c2e-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

ARTICLES = {
    "caucasus.txt": (
        "Armenia and Georgia deepen ties with a strategic partnership\n\n"
        "TBILISI, May 10, 2024 - Armenia and Georgia signed a strategic partnership agreement on May 9, 2024, "
        "the two foreign ministries said in a joint statement.\n\n"
        "Armenia and Georgia established diplomatic relations on July 17, 1992, shortly after both states "
        "regained their independence.\n\n"
        "Officials in Yerevan said the two countries could form a military alliance in the coming years, "
        "although no talks have been scheduled.\n"
    ),
    "central-asia.txt": (
        "Kazakhstan and Kyrgyzstan agree on closer defence cooperation\n\n"
        "ASTANA, March 4, 2021 - Kazakhstan and Kyrgyzstan established alliance relations on March 3, 2021, "
        "when their presidents signed a treaty on allied relations in Astana.\n\n"
        "The President of Kazakhstan visited Bishkek in October 2020 to prepare the treaty.\n"
    ),
}

NEW_ARTICLE = (
    "Moldova and Romania sign a strategic partnership\n\n"
    "CHISINAU, June 2, 2023 - Moldova and Romania signed a strategic partnership agreement on June 1, 2023, "
    "the Moldovan government said.\n"
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path_factory.mktemp("store") / "web.duckdb"
    with Graph.open(path) as g:
        report = g.ingest([folder])
        assert len(report.ingested) == 2
    return path


@pytest.fixture(scope="module")
def app(store_path: Path):
    return create_app(store_path, token=TOKEN)


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def empty_client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "empty.duckdb", token=TOKEN))


@pytest.fixture
def graph_of(app):
    return app.state.web.graph


def assert_error(r, status: int, parameter: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    if parameter is not None:
        assert body.get("parameter") == parameter
        assert repr(parameter) in body["error"]
    return body


# -- relations ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint, method, kwargs", [
    ("allies?actor=Kyrgyzstan&at=2022-01-01", "allies", {"actor": "Kyrgyzstan", "at": "2022-01-01"}),
    ("partners?actor=Georgia&at=2024-06-01", "partners", {"actor": "Georgia", "at": "2024-06-01"}),
    ("relations?actor=ARM&at=2024-06-01", "relations", {"actor": "ARM", "at": "2024-06-01"}),
    ("relations?actor=ARM&at=2000-01-01&type=diplomatic_relations", "relations",
     {"actor": "ARM", "at": "2000-01-01", "types": ["diplomatic_relations"]}),
])
def test_web_relations_mirror_the_graph(client, graph_of, endpoint, method, kwargs):
    r = client.get(f"/api/{endpoint}")
    assert r.status_code == 200, r.text
    body = r.json()
    actor = kwargs.pop("actor")
    expected = getattr(graph_of, method)(actor, **kwargs)
    assert body["actor"]["id"] == expected.actor.id
    assert body["at"] == expected.at.isoformat()
    assert [(x["partner"]["id"], x["state"]) for x in body["rows"]] == [(x.partner.id, x.state) for x in expected.rows]
    assert body["total"] == len(expected.rows) >= 1
    for row in body["rows"]:
        assert row["evidence"]["text"] and row["evidence"]["doc"]
        assert row["fact"]


def test_web_allies_follow_the_date(client):
    before = client.get("/api/allies", params={"actor": "Kyrgyzstan", "at": "2020-12-31"}).json()
    after = client.get("/api/allies", params={"actor": "Kyrgyzstan", "at": "2021-12-31"}).json()
    assert "KAZ" not in {x["partner"]["id"] for x in before["rows"]}
    assert "KAZ" in {x["partner"]["id"] for x in after["rows"]}


def test_web_relations_pagination(client):
    full = client.get("/api/relations", params={"actor": "Georgia", "at": "2024-06-01"}).json()
    assert full["total"] >= 2
    first = client.get("/api/relations", params={"actor": "Georgia", "at": "2024-06-01", "limit": 1}).json()
    second = client.get("/api/relations", params={"actor": "Georgia", "at": "2024-06-01", "limit": 1, "offset": 1}).json()
    assert len(first["rows"]) == len(second["rows"]) == 1
    assert first["rows"] + second["rows"] == full["rows"][:2]


def test_web_discussed_relations_are_kept_apart(client):
    body = client.get("/api/allies", params={"actor": "Armenia", "at": "2024-06-01"}).json()
    established = {x["partner"]["id"] for x in body["rows"]}
    for d in body["discussed"]:
        assert d["modality"] in ("speculative", "planned")
        assert d["partner"]["id"] not in established


def test_web_members_and_changes(client, graph_of):
    r = client.get("/api/changes", params={"actor": "Georgia", "start": "2000", "end": "2024-12-31"})
    assert r.status_code == 200, r.text
    gained = {(x["partner"]["id"], x["state"]) for x in r.json()["gained"]}
    assert ("ARM", "strategic_partners") in gained
    r = client.get("/api/members", params={"org": "NATO", "at": "2024-01-01"})
    assert r.status_code == 200, r.text
    assert r.json()["total"] == len(graph_of.members("NATO", at="2024-01-01"))


def test_web_network_edges_join_listed_nodes(client):
    body = client.get("/api/network", params={"at": "2024-06-01"}).json()
    ids = {n["id"] for n in body["nodes"]}
    assert body["edges"] and all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    only = client.get("/api/network", params={"at": "2024-06-01", "type": "allied"}).json()
    assert only["edges"] and {e["state"] for e in only["edges"]} == {"allied"}
    assert body["truncated"] is False
    one = client.get("/api/network", params={"at": "2024-06-01", "limit": 1}).json()
    assert len(one["edges"]) == 1 and one["truncated"] is (len(body["edges"]) > 1)


# -- facts, timeline, evidence, conflicts ----------------------------------------------------


def test_web_timeline_is_in_date_order_with_evidence(client):
    body = client.get("/api/timeline", params={"actor": "Armenia", "other": "Georgia"}).json()
    dated = [f["date"]["value"] for f in body["items"] if f["date"]]
    assert dated and dated == sorted(dated)
    for f in body["items"]:
        assert {f["subject"]["id"], f["object"]["id"]} == {"ARM", "GEO"}
        assert f["evidence"]["text"]
    narrow = client.get("/api/timeline", params={"actor": "ARM", "other": "GEO", "start": "2024", "end": "2024"}).json()
    assert narrow["items"] and all(f["date"]["value"].startswith("2024") for f in narrow["items"] if f["date"])


def test_web_facts_filters_and_evidence(client):
    body = client.get("/api/facts", params={"actor": "KAZ", "type": "alliance"}).json()
    assert body["items"] and all(f["type"] == "alliance" for f in body["items"])
    fact = body["items"][0]
    ev = client.get(f"/api/facts/{fact['id']}/evidence").json()
    assert ev and all(e["text"] and e["doc"] for e in ev)
    doc = client.get(f"/api/documents/{ev[0]['doc']}").json()
    assert doc["text"][ev[0]["start"]:ev[0]["end"]] == ev[0]["text"]


def test_web_facts_pages_do_not_overlap(client):
    a = client.get("/api/facts", params={"limit": 2}).json()
    b = client.get("/api/facts", params={"limit": 2, "offset": 2}).json()
    assert a["more"] is True and len(a["items"]) == 2
    assert not {f["id"] for f in a["items"]} & {f["id"] for f in b["items"]}


def test_web_conflicts_answer(client, graph_of):
    body = client.get("/api/conflicts").json()
    assert [c["id"] for c in body["items"]] == [c.id for c in graph_of.conflicts()]
    for c in body["items"]:
        assert c["reason"] and c["facts"]


# -- documents, claims, actors ---------------------------------------------------------------


def test_web_documents_and_their_claims(client):
    docs = client.get("/api/documents").json()
    assert docs["total"] == 2 and len(docs["items"]) == 2
    assert all("text" not in d for d in docs["items"])
    one = client.get("/api/documents", params={"limit": 1}).json()
    assert one["more"] is True and len(one["items"]) == 1
    doc_id = docs["items"][0]["id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    claims = client.get(f"/api/documents/{doc_id}/claims").json()["items"]
    assert claims
    for c in claims:
        assert c["doc"] == doc_id
        assert doc["text"][c["evidence_start"]:c["evidence_end"]] == c["evidence_text"]
    assert client.get(f"/api/documents/{doc_id[:8]}").json()["id"] == doc_id  # an id prefix is enough


@pytest.mark.parametrize("params, check", [
    ({"type": "alliance"}, lambda c: c["type"] == "alliance"),
    ({"modality": "speculative"}, lambda c: c["modality"] == "speculative"),
    ({"actor": "Kazakhstan"}, lambda c: "KAZ" in {(c["subject"] or {}).get("id"), (c["object"] or {}).get("id")}),
])
def test_web_claims_filters(client, params, check):
    items = client.get("/api/claims", params=params).json()["items"]
    assert items and all(check(c) for c in items)


def test_web_actor_search(client):
    body = client.get("/api/actors", params={"q": "Kirghizia"}).json()
    assert [a["id"] for a in body["items"]] == ["KGZ"]
    assert_error(client.get("/api/actors", params={"q": "Qwertyzstan"}), 404)


# -- bad parameters, unknown things ---------------------------------------------------------


@pytest.mark.parametrize("url, parameter", [
    ("/api/allies?actor=UZB&at=20x", "at"),
    ("/api/allies?actor=UZB&at=2023-13-01", "at"),
    ("/api/allies?actor=UZB&known_at=yesterday", "known_at"),
    ("/api/allies?actor=UZB&source=rumour", "source"),
    ("/api/allies", "actor"),
    ("/api/relations?actor=UZB&type=enemies", "type"),
    ("/api/facts?limit=abc", "limit"),
    ("/api/facts?limit=0", "limit"),
    ("/api/facts?limit=100000", "limit"),
    ("/api/facts?offset=-1", "offset"),
    ("/api/facts?type=friendship", "type"),
    ("/api/facts?modality=maybe", "modality"),
    ("/api/claims?type=friendship", "type"),
    ("/api/timeline?actor=UZB&start=soon", "start"),
    ("/api/timeline?actor=UZB&type=friendship", "type"),
    ("/api/changes?actor=UZB&start=2024&end=2020", "start"),
    ("/api/changes?actor=UZB&start=2020", "end"),
    ("/api/network?at=later", "at"),
    ("/api/network?limit=0", "limit"),
    ("/api/actors?q=%20", "q"),
    ("/api/documents?limit=-5", "limit"),
])
def test_web_bad_parameters_name_the_parameter(client, url, parameter):
    assert_error(client.get(url), 400, parameter)


@pytest.mark.parametrize("url", [
    "/api/allies?actor=Qwertyzstan", "/api/partners?actor=Qwertyzstan", "/api/relations?actor=Qwertyzstan",
    "/api/timeline?actor=Qwertyzstan", "/api/timeline?actor=UZB&other=Qwertyzstan",
    "/api/changes?actor=Qwertyzstan&start=2020&end=2021", "/api/members?org=Qwertyzstan",
    "/api/conflicts?actor=Qwertyzstan", "/api/facts?actor=Qwertyzstan", "/api/claims?actor=Qwertyzstan",
    "/api/facts/Fnosuchfact/evidence", "/api/documents/nosuchdoc", "/api/documents/nosuchdoc/claims",
    "/api/claims?doc=nosuchdoc", "/api/no-such-endpoint",
])
def test_web_unknown_things_are_404(client, url):
    body = assert_error(client.get(url), 404)
    assert "Qwertyzstan" in body["error"] or "nosuch" in body["error"] or "no-such" in body["error"]


@pytest.mark.parametrize("method, url, status", [
    ("DELETE", "/api/documents", 405), ("PUT", "/api/allies", 405), ("GET", "/static/nothing.js", 404),
])
def test_web_other_http_errors_have_the_same_shape(client, method, url, status):
    assert_error(client.request(method, url), status)


@pytest.mark.parametrize("url, key", [
    ("/api/allies?actor=UZB", "rows"), ("/api/relations?actor=UZB&at=2020", "rows"),
    ("/api/members?org=NATO", "items"), ("/api/timeline?actor=UZB", "items"), ("/api/facts", "items"),
    ("/api/conflicts", "items"), ("/api/documents", "items"), ("/api/claims", "items"),
    ("/api/network", "edges"), ("/api/changes?actor=UZB&start=2000&end=2020", "gained"),
])
def test_web_empty_store_answers_empty(empty_client, url, key):
    r = empty_client.get(url)
    assert r.status_code == 200, r.text
    assert r.json()[key] == []


# -- tokens ---------------------------------------------------------------------------------


def _post(client, headers=None, **body):
    return client.post("/api/documents", json=body or {"text": NEW_ARTICLE}, headers=headers or {})


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
    ({"Authorization": "Bearer "}, 401),
    ({"Authorization": "Bearer wrong-token"}, 403),
    ({"Authorization": f"Bearer {TOKEN}x"}, 403),
    ({"Authorization": f"Bearer {TOKEN[:-1]}"}, 403),
])
def test_web_ingest_needs_the_token(empty_client, headers, status):
    assert_error(_post(empty_client, headers), status)
    assert empty_client.get("/api/documents").json()["total"] == 0


def test_web_ingest_disabled_without_a_token(tmp_path):
    c = TestClient(create_app(tmp_path / "s.duckdb"))
    body = assert_error(_post(c, AUTH), 403)
    assert "--token" in body["error"]


def test_web_token_is_compared_in_constant_time(empty_client, monkeypatch):
    from diplograph.web import deps

    calls = []
    real = deps.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(deps.hmac, "compare_digest", spy)
    assert_error(_post(empty_client, {"Authorization": "Bearer nope"}), 403)
    assert calls == [(b"nope", TOKEN.encode())]


def test_web_closed_reads_need_the_token(tmp_path):
    c = TestClient(create_app(tmp_path / "s.duckdb", token=TOKEN, open_reads=False))
    assert_error(c.get("/api/documents"), 401)
    assert_error(c.get("/api/documents", headers={"Authorization": "Bearer wrong"}), 403)
    assert c.get("/api/documents", headers=AUTH).status_code == 200
    assert c.get("/").status_code == 200  # the page itself loads; its API calls carry the token


# -- ingesting ------------------------------------------------------------------------------


def test_web_ingest_json_then_read_it_back(empty_client):
    r = _post(empty_client, AUTH, text=NEW_ARTICLE, title="Moldova and Romania", url="https://example.org/md-ro",
              published="2023-06-02")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["ok"] and len(out["ingested"]) == 1 and out["claims"] >= 1
    doc_id = out["ingested"][0]["id"]
    doc = empty_client.get(f"/api/documents/{doc_id}").json()
    assert doc["title"] == "Moldova and Romania" and doc["url"] == "https://example.org/md-ro"
    assert doc["published"]["value"] == "2023-06-02"
    partners = empty_client.get("/api/partners", params={"actor": "Moldova", "at": "2023-12-31"}).json()
    assert "ROU" in {x["partner"]["id"] for x in partners["rows"]}
    kept = Path(doc["source"].rsplit(":", 1)[0])  # a JSON body is kept as a one-line JSON Lines file
    assert kept.parent.name == "empty.duckdb.uploads" and kept.is_file()
    again = _post(empty_client, AUTH, text=NEW_ARTICLE, title="Moldova and Romania", url="https://example.org/md-ro",
                  published="2023-06-02").json()
    assert again["ingested"] == [] and again["duplicates"] == [doc_id]
    assert list(kept.parent.iterdir()) == [kept]  # the duplicate's file was not kept


def test_web_ingest_upload_keeps_markup_as_text(empty_client):
    html = ("<html><head><title>Tallinn and Riga talk defence</title></head><body><article>"
            "<h1>Tallinn and Riga talk defence</h1>"
            "<p>RIGA, April 3, 2024 - Estonia and Latvia signed a defence cooperation agreement on April 2, 2024, "
            "the two defence ministries said in a joint statement issued after the meeting.</p>"
            "<p>Analysts wrote &lt;script&gt;alert(1)&lt;/script&gt; in a comment about the deal, which was "
            "widely shared on social media in both countries after the signing ceremony.</p>"
            "</article></body></html>")
    r = empty_client.post("/api/documents", headers=AUTH, files={"file": ("riga.html", html.encode(), "text/html")})
    assert r.status_code == 200, r.text
    doc_id = r.json()["ingested"][0]["id"]
    text = empty_client.get(f"/api/documents/{doc_id}").json()["text"]
    assert "<script>alert(1)</script>" in text  # kept as text; the page inserts it with textContent


@pytest.mark.parametrize("kwargs, status, parameter", [
    ({"json": {"title": "no text"}}, 400, "text"),
    ({"json": {"text": "   "}}, 400, "text"),
    ({"json": {"text": NEW_ARTICLE, "published": 2023}}, 400, "published"),
    ({"json": ["a list"]}, 400, None),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, None),
    ({"content": b"plain", "headers": {"Content-Type": "text/plain"}}, 400, None),
    ({"files": {"other": ("a.txt", b"text", "text/plain")}}, 400, "file"),
    ({"json": {"text": NEW_ARTICLE, "published": "the other day"}}, 422, None),
])
def test_web_ingest_bad_bodies(empty_client, kwargs, status, parameter):
    headers = {**AUTH, **kwargs.pop("headers", {})}
    assert_error(empty_client.post("/api/documents", headers=headers, **kwargs), status, parameter)


def test_web_request_size_limit(tmp_path):
    c = TestClient(create_app(tmp_path / "s.duckdb", token=TOKEN, max_body_bytes=2048))
    big = {"text": NEW_ARTICLE + "x" * 4096}
    assert_error(c.post("/api/documents", json=big, headers=AUTH), 413)

    def chunks():  # no Content-Length: counted while it streams
        for _ in range(8):
            yield b"y" * 512

    assert_error(c.post("/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}), 413)
    assert c.get("/api/documents").json()["total"] == 0


def test_web_reads_answer_while_an_ingest_runs(live_server, monkeypatch):
    """The ingest is held inside its write transaction (document row written, claims not
    yet): reads on other cursors answer meanwhile, from the last committed state."""
    import httpx

    from diplograph.store import Store

    started, release = threading.Event(), threading.Event()
    real = Store.add_claims

    def slow(self, *args, **kwargs):
        started.set()
        assert release.wait(30), "the test never released the ingest"
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_claims", slow)
    with httpx.Client(base_url=live_server, timeout=60) as c:
        before = c.get("/api/documents").json()["total"]
        result = {}
        t = threading.Thread(target=lambda: result.setdefault(
            "r", c.post("/api/documents", json={"text": NEW_ARTICLE}, headers=AUTH)))
        t.start()
        try:
            assert started.wait(30), "the ingest did not start"
            for url in ("/api/documents", "/api/facts", "/api/allies?actor=Kyrgyzstan", "/api/conflicts"):
                r = c.get(url)  # would hang or fail if the ingest held the connection
                assert r.status_code == 200, r.text
            assert c.get("/api/documents").json()["total"] == before  # not committed yet
        finally:
            release.set()
            t.join(60)
        assert result["r"].status_code == 200, result["r"].text
        assert c.get("/api/documents").json()["total"] == before + 1


# -- the page and the docs ---------------------------------------------------------------------


def test_web_serves_the_page_and_its_vendored_libraries(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    for path in ("/static/app.js", "/static/vendor/d3/d3.min.js", "/static/vendor/cytoscape/cytoscape.min.js",
                 "/static/vendor/topojson-client/topojson-client.min.js",
                 "/static/vendor/world-atlas/countries-110m.json", "/static/vendor/iso_numeric.json"):
        assert client.get(path).status_code == 200, path
    import re

    js = client.get("/static/app.js").text  # data goes in as text nodes, never parsed as HTML
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", js)


def test_web_docs_use_the_vendored_swagger_ui(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html.split("<body>")[0]
    assert client.get("/static/vendor/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_web_openapi_lists_every_endpoint(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/allies", "/api/partners", "/api/relations", "/api/timeline", "/api/members", "/api/changes",
            "/api/conflicts", "/api/facts", "/api/facts/{fact_id}/evidence", "/api/actors", "/api/documents",
            "/api/documents/{doc_id}", "/api/documents/{doc_id}/claims", "/api/claims", "/api/network"} <= paths


@pytest.fixture
def live_server(store_path: Path, tmp_path: Path):
    """The app under uvicorn on a free loopback port, in this process (a real event loop and
    worker threads: FastAPI's test client gives every request a fresh loop and threads)."""
    import shutil
    import socket
    import time

    import uvicorn

    own = tmp_path / "live.duckdb"  # a copy: this server's ingests stay out of the module's store
    shutil.copy(store_path, own)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(own, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    t.join(10)


def test_web_concurrent_reads_each_get_their_own_cursor(live_server):
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    urls = ["/api/conflicts", "/api/allies?actor=KGZ", "/api/facts", "/api/documents", "/api/timeline?actor=ARM"] * 12
    with httpx.Client(base_url=live_server, timeout=60) as c, ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda u: c.get(u).status_code, urls))
    assert codes == [200] * len(urls)


def test_web_map_shapes_carry_diplograph_actor_ids(client):
    """world-atlas names shapes by ISO numeric code; the page maps them to the alpha-3 codes
    diplograph uses as state ids. A shape whose code diplograph knows must be that state."""
    from diplograph.errors import NotFound

    topo = client.get("/static/vendor/world-atlas/countries-110m.json").json()
    iso = client.get("/static/vendor/iso_numeric.json").json()
    g = Graph.open(":memory:")
    resolved = 0
    for shape in topo["objects"]["countries"]["geometries"]:
        code = iso["numeric_to_alpha3"].get(shape.get("id")) or iso["name_to_alpha3"].get(shape["properties"]["name"])
        if code is None:
            continue
        try:
            ref = g.actor_ref(code)
        except NotFound:
            continue  # a territory (Greenland, Western Sahara...), not a state diplograph knows
        assert ref.id == code, (shape["properties"]["name"], code, ref.id)
        resolved += 1
    assert resolved >= 160


def test_web_api_claims_imported_from_a_dataset(tmp_path):
    """A dataset claim has no document and no offsets: /api/claims must still answer."""
    from fastapi.testclient import TestClient

    from diplograph import Graph
    from diplograph.models import ActorRef, Claim, PartialDate
    from diplograph.web.app import create_app

    db = tmp_path / "ds.duckdb"
    g = Graph.open(db)
    c = Claim(doc=None, type="alliance", subject=ActorRef("UZB", "Uzbekistan", "state"),
              object=ActorRef("RUS", "Russia", "state"), modality="asserted", evidence_text=None,
              evidence_start=None, evidence_end=None, date=PartialDate.parse("2005-11-14"), confidence=0.9,
              codes={"record": "4245:0:704:365"})
    with g.store.transaction():
        g.store.add_claims([c], doc_id=None, source_kind="dataset", source_name="ATOP 5.1")
    g.rebuild()
    g.close()
    client = TestClient(create_app(db))
    r = client.get("/api/claims")
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert item["doc"] is None and item["subject"]["id"] == "UZB"
    r = client.get("/api/allies", params={"actor": "UZB", "at": "2006-01-01"})
    assert r.status_code == 200 and [x["partner"]["id"] for x in r.json()["rows"]] == ["RUS"]


def test_web_api_store_pages_say_no_total_rather_than_null(client):
    body = client.get("/api/timeline", params={"actor": "Uzbekistan"}).json()
    assert "total" not in body and "more" in body and "items" in body
