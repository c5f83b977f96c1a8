"""The graph over a store built from hand-made claims: as-of answers, bi-temporal
queries, exports and the Parquet round trip. No extractor involved."""

from __future__ import annotations

import json
from datetime import datetime

import networkx as nx
import pytest
from click.testing import CliRunner

from diplograph import Graph
from diplograph.cli import main
from diplograph.errors import InvalidQuery
from diplograph.models import ActorRef, Claim, Document, PartialDate

UZB = ActorRef("UZB", "Uzbekistan", "state")
RUS = ActorRef("RUS", "Russia", "state")
KAZ = ActorRef("KAZ", "Kazakhstan", "state")
TJK = ActorRef("TJK", "Tajikistan", "state")
TUR = ActorRef("TUR", "Turkey", "state")
AA = ActorRef("ABRAHAM_ACCORDS", "Abraham Accords", "accord")


def _claim(type_, s, o, date, modality="asserted", text="", **kw):
    return Claim(doc="", type=type_, subject=s, object=o, modality=modality, evidence_text=text,
                 evidence_start=0, evidence_end=len(text), date=PartialDate.parse(date) if date else None,
                 confidence=0.8, **kw)


def _add(g: Graph, doc_id: str, published: str, claims: list[Claim], ingested: datetime) -> None:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", raw_text="x", text="x",
                   published=PartialDate.parse(published), published_method="header", ingested_at=ingested)
    with g.store.transaction():
        g.store.add_document(doc)
        g.store.add_claims(claims, doc_id=doc_id, created_at=ingested)


@pytest.fixture
def built(graph):
    _add(graph, "docA", "2025-03-06", [
        _claim("alliance", UZB, RUS, "2005-11", text="Uzbekistan and Russia signed an alliance treaty in November 2005."),
        _claim("alliance", UZB, KAZ, "2022-12-22", text="Uzbekistan and Kazakhstan became allies on 22 December 2022."),
        _claim("alliance", UZB, TJK, "2024-02", text="Uzbekistan and Tajikistan signed an alliance treaty in February 2024."),
        _claim("alliance", UZB, TUR, None, "speculative", text="Uzbekistan may ally with Turkey.", attributed_to="an analyst"),
    ], datetime(2025, 3, 7))
    _add(graph, "docB", "2025-12-10", [
        _claim("accession_membership", KAZ, AA, "2025-11", text="Kazakhstan joined the Abraham Accords in November 2025."),
        _claim("alliance", RUS, UZB, "2005-11-14", text="Russia and Uzbekistan became allies on 14 November 2005."),
    ], datetime(2025, 12, 11))
    graph.rebuild()
    return graph


def test_graph_allies_as_of_dates(built):
    now = built.allies("UZB")
    assert [(r.partner.id, r.since.value) for r in now.rows] == [("RUS", "2005-11-14"), ("KAZ", "2022-12-22"), ("TJK", "2024-02")]
    assert [r.n_sources for r in now.rows] == [2, 1, 1]
    assert [(d.partner.id, d.modality, d.attributed_to) for d in now.discussed] == [("TUR", "speculative", "an analyst")]
    assert [r.partner.id for r in built.allies("UZB", at="2023-01-01").rows] == ["RUS", "KAZ"]
    assert built.allies("UZB", at="2005").rows[0].partner.id == "RUS"  # --at 2005 means the end of 2005
    assert built.allies("UZB", at="2004-12-31").rows == []


def test_graph_bitemporal_known_at(built):
    # before docB was ingested the Russian alliance had one source and a month-precision start
    rows = built.allies("UZB", known_at="2025-03-08").rows
    assert [r.partner.id for r in rows] == ["RUS", "KAZ", "TJK"]
    assert built.members("ABRAHAM_ACCORDS", known_at="2025-03-08") == []
    assert [r.partner.id for r in built.members("ABRAHAM_ACCORDS", at="2025-12-31")] == ["KAZ"]
    assert built.members("ABRAHAM_ACCORDS", at="2025-06-30") == []


def test_graph_changes_and_timeline(built):
    ch = built.changes("UZB", start="2023-01-01", end="2025-01-01")
    assert [(r.partner.id, r.state) for r in ch.gained] == [("TJK", "allied")] and ch.lost == []
    tl = built.timeline("UZB")
    assert [f.date.value for f in tl if f.date] == ["2005-11-14", "2022-12-22", "2024-02"]
    assert [f.type for f in built.timeline("UZB", "RUS")] == ["alliance"]
    with pytest.raises(InvalidQuery, match="after"):
        built.timeline("UZB", start="2025", end="2020")


def test_graph_evidence_lists_every_supporting_sentence(built):
    fact = built.timeline("UZB", "RUS")[0]
    ev = built.evidence(fact.id[:8])
    assert sorted(e.doc for e in ev) == ["docA", "docB"]
    assert any("14 November 2005" in e.text for e in ev)


def test_graph_parquet_round_trip_is_exact(built, tmp_path):
    out1, out2 = tmp_path / "one", tmp_path / "two"
    built.export("parquet", out1)
    other = Graph.open(tmp_path / "copy.duckdb")
    counts = other.import_parquet(out1)
    assert counts["documents"] == 2 and counts["claims"] == 6
    other.export("parquet", out2)
    for name in ("documents", "claims", "facts", "fact_claims", "states", "conflicts"):
        assert (out1 / f"{name}.parquet").read_bytes() == (out2 / f"{name}.parquet").read_bytes(), name
    other.close()


def test_graph_graphml_and_jsonld(built, tmp_path):
    (path,) = built.export("graphml", tmp_path / "g.graphml", at="2023-01-01")
    g = nx.read_graphml(path)
    assert sorted(g.neighbors("UZB")) == ["KAZ", "RUS"]
    (path,) = built.export("jsonld", tmp_path / "g.jsonld")
    doc = json.loads(path.read_text())
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    alliance = next(n for n in doc["@graph"] if n["startDate"] == "2005-11-14")
    assert {c["identifier"] for c in alliance["citation"]} == {"docA", "docB"}


def test_cli_graph_commands(built, db_path):
    built.close()
    runner = CliRunner()
    r = runner.invoke(main, ["allies", "UZB", "--at", "2023-01-01", "--db", str(db_path), "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert [(x["section"], x["partner_id"]) for x in rows] == [("established", "RUS"), ("established", "KAZ"), ("discussed", "TUR")]
    r = runner.invoke(main, ["allies", "UZB", "--at", "2023-02-30", "--db", str(db_path)])
    assert r.exit_code == 1 and "Error: Bad --at: '2023-02-30' is not a real day of the calendar." in r.output
    r = runner.invoke(main, ["evidence", "Fnope", "--db", str(db_path)])
    assert r.exit_code == 1 and "No fact 'Fnope'" in r.output
