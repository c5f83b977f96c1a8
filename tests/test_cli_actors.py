"""The `actors` and `mentions` commands and the Graph methods behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph import Graph
from diplograph.cli import main
from diplograph.errors import UnknownActor

ARTICLE = """Kazakhstan and Uzbekistan deepen ties

Published 12 May 2021

Kazakh President Kassym-Jomart Tokayev met his Uzbek counterpart in Tashkent on Tuesday.
The two countries signed agreements on water and energy, and Aliyev sent a message.
"""


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, str]:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "store.duckdb"
    with Graph.open(db) as g:
        report = g.ingest([article], published=None)
        doc_id = report.ingested[0].id
    return db, doc_id


def test_cli_actors_prints_names_codes_memberships(db_path: Path):
    r = CliRunner().invoke(main, ["actors", "Uzbekistan", "--db", str(db_path)])
    assert r.exit_code == 0, r.output
    assert "UZB" in r.output and "cow_code=704" in r.output and "Tashkent" in r.output
    assert "Memberships" in r.output and "Office-holders" in r.output


def test_cli_actors_json(db_path: Path):
    r = CliRunner().invoke(main, ["actors", "Aliyev", "--json", "--db", str(db_path)])
    assert r.exit_code == 0, r.output
    recs = [json.loads(line) for line in r.output.splitlines()]
    assert {x["id"] for x in recs} == {"heydar_aliyev", "ilham_aliyev"}
    assert all(x["office_holders"][0]["actor"] == "AZE" for x in recs)


def test_cli_actors_unknown_says_what_to_do(db_path: Path):
    r = CliRunner().invoke(main, ["actors", "Uzbekstan", "--db", str(db_path)])
    assert r.exit_code == 1
    assert r.output.strip().splitlines()[-1].startswith("Error: Unknown actor 'Uzbekstan'. Did you mean: UZB (Uzbekistan)")


def test_cli_mentions_of_a_stored_document(stored):
    db, doc_id = stored
    r = CliRunner().invoke(main, ["mentions", doc_id, "--json", "--db", str(db)])
    assert r.exit_code == 0, r.output
    recs = [json.loads(line) for line in r.output.splitlines()]
    assert [(x["text"], x["actor"]["id"]) for x in recs][:3] == [
        ("Kazakhstan", "KAZ"), ("Uzbekistan", "UZB"), ("Kazakh President Kassym-Jomart Tokayev", "KAZ")]
    assert ("The two countries", "KAZ") in [(x["text"], x["actor"]["id"]) for x in recs]


def test_graph_mentions_use_the_publication_date(stored):
    db, doc_id = stored
    with Graph.open(db) as g:
        doc = g.document(doc_id)
        ms = g.mentions(doc_id)
    for m in ms:
        assert doc.text[m.start:m.end] == m.text
    aliyev = [m for m in ms if m.text == "Aliyev"]
    assert aliyev and aliyev[0].actor.id == "AZE"


def test_graph_actors(graph: Graph):
    assert [a.id for a in graph.actors("Kirghizia")] == ["KGZ"]
    with pytest.raises(UnknownActor):
        graph.actors("Atlantis")
