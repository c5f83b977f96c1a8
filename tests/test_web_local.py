"""The server's side of the CLI beside ``diplograph serve``: ``POST /api/local/call`` (token,
allowed methods, errors carried back as themselves), the wire format of diplograph's values,
and the server deriving what a CLI ingest that died left pending."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from diplograph import Graph
from diplograph.api import IngestReport
from diplograph.errors import DocumentNotFound, SourceError, UnknownActor
from diplograph.models import ActorRef, Claim, Document, PartialDate
from diplograph.queries import Evidence, RelationRow, RelationsAnswer
from diplograph.web import create_app
from diplograph.wire import WireError, decode, encode

LOCAL = "local-7c1e"
AUTH = {"Authorization": f"Bearer {LOCAL}"}


def _round_trip(value):
    import json

    return decode(json.loads(json.dumps(encode(value))))


def test_wire_round_trips_diplograph_values():
    ev = Evidence(doc="d1", source="a.txt", title="T", published="2021-03-04",
                  text="Kazakhstan and Kyrgyzstan signed a treaty.", start=0, end=42, source_kind="extracted")
    row = RelationRow(partner=ActorRef("KGZ", "Kyrgyzstan", "state"), state="allied",
                      since=PartialDate("2021-03-03", "day"), since_known=True, n_sources=1, confidence=0.9,
                      sources="extracted", fact="F1", evidence=ev)
    ans = RelationsAnswer(ActorRef("KAZ", "Kazakhstan", "state"), date(2025, 1, 1), ("allied",), rows=[row])
    assert _round_trip(ans) == ans
    report = IngestReport(failed=[SourceError("x.txt", "no such file", hint="check the path")], claims=3,
                          duplicates=[("a.txt", "abc")])
    back = _round_trip(report)
    assert back.duplicates == [("a.txt", "abc")] and back.claims == 3
    assert isinstance(back.failed[0], SourceError) and str(back.failed[0]) == str(report.failed[0])
    assert back.failed[0].source == "x.txt"
    odd = {"when": datetime(2024, 5, 1, 12, 30), "path": Path("/tmp/x"), "n": Counter({"a": 2}),
           "keys": {1: "one"}, "$dollar": {"a", "b"}}
    assert _round_trip(odd) == odd
    err = _round_trip(UnknownActor("Atlantis", ["Atlanta"]))
    assert isinstance(err, UnknownActor) and "Did you mean: Atlanta" in str(err)


@pytest.mark.parametrize("bad", [
    {"$dc": "os:system", "fields": {}},
    {"$dc": "subprocess:Popen", "fields": {}},
    {"$dc": "diplograph.api:Graph", "fields": {}},  # a diplograph class, not a dataclass
    {"$error": "builtins:Exception", "message": "x"},
    {"$dc": "diplograph.models:ActorRef", "fields": {"nope": 1}},
    {"$what": 1},
])
def test_wire_refuses_anything_but_diplograph_data(bad):
    with pytest.raises(WireError):
        decode(bad)


@pytest.fixture
def app(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "ASTANA, March 4, 2021 - Kazakhstan and Kyrgyzstan established alliance relations on March 3, 2021, "
        "when their presidents signed a treaty on allied relations in Astana.\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    with Graph.open(db) as g:
        g.ingest([folder])
    app = create_app(db, local_token=LOCAL)
    yield app
    app.state.web.graph.close()


def _call(client, method, *args, headers=AUTH, **kwargs):
    r = client.post("/api/local/call", json={"method": method, "args": encode(list(args)), "kwargs": encode(kwargs)},
                    headers=headers)
    return r


def test_local_call_answers_with_the_graphs_own_objects(app):
    client = TestClient(app)
    r = _call(client, "allies", "Kazakhstan")
    assert r.status_code == 200
    ans = decode(r.json()["result"])
    assert isinstance(ans, RelationsAnswer) and [x.partner.id for x in ans.rows] == ["KGZ"]
    r = _call(client, "document", "nosuchdoc")
    assert isinstance(decode(r.json()["raised"]), DocumentNotFound)  # raised in the CLI as itself
    assert decode(_call(client, "info").json()["result"])["store"].endswith("s.duckdb")
    assert "/api/local/call" not in client.get("/openapi.json").text  # not part of the public API


def test_local_call_needs_the_server_files_token_and_a_known_method(app, tmp_path):
    client = TestClient(app)
    assert _call(client, "docs", headers={}).status_code == 401
    assert _call(client, "documents", headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = _call(client, "close")
    assert r.status_code == 400 and "does not run" in r.json()["error"]
    r = _call(client, "allies", "Kazakhstan", nonsense=1)
    assert r.status_code == 400 and "same diplograph version" in r.json()["error"]
    r = client.post("/api/local/call", json={"method": "allies", "args": [{"$dc": "os:system", "fields": {}}]},
                    headers=AUTH)
    assert r.status_code == 400
    plain = TestClient(create_app(tmp_path / "other.duckdb"))  # not started by `diplograph serve`
    assert _call(plain, "documents").status_code == 403


def test_local_ingest_left_unfinished_is_derived_by_the_server(app):
    """A CLI that stored a document and died before deriving: the server derives it once
    CLI writes have been quiet for ``finish_delay``."""
    state = app.state.web
    state.finish_delay = 0.2
    client = TestClient(app)
    text = ("CHISINAU, June 2, 2023 - Moldova and Romania signed a strategic partnership agreement on "
            "June 1, 2023, the Moldovan government said.\n")
    doc = Document(id="d" * 16, source="m.txt", raw_text=text, text=text, published=PartialDate("2023-06-02", "day"),
                   published_method="header")
    claim = Claim(doc=doc.id, type="strategic_partnership", subject=ActorRef("MDA", "Moldova", "state"),
                  object=ActorRef("ROU", "Romania", "state"), modality="asserted", evidence_text=text.strip(),
                  evidence_start=0, evidence_end=len(text.strip()), date=PartialDate("2023-06-01", "day"))
    checked = decode(_call(client, "check_document", doc).json()["result"])
    doc.duplicate_of, doc.similarity, doc.ingested_at = checked
    assert _call(client, "store_document", doc, [claim]).status_code == 200
    with state.borrow() as g:
        assert g.store.pending() == [doc.id]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with state.borrow() as g:
            if not g.store.pending():
                break
        time.sleep(0.05)
    with state.borrow() as g:
        assert g.store.pending() == []
        assert [r.partner.id for r in g.partners("Moldova").rows] == ["ROU"]
