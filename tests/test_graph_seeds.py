"""Acceptance on the seeds (issue 5): answers after ingesting ../shared/seeds."""

from __future__ import annotations

import pytest

from diplograph import Graph


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory, request):
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    g = Graph.open(tmp_path_factory.mktemp("seeds") / "seeds.duckdb")
    g.ingest([seeds])
    yield g
    g.close()


def test_graph_seeds_allies_of_uzbekistan(seeds_graph):
    ans = seeds_graph.allies("Uzbekistan")
    assert {(r.partner.id, r.since.value if r.since else None) for r in ans.rows} == {
        ("RUS", "2005-11"), ("KAZ", "2022-12-22"), ("TJK", "2024-02"), ("AZE", "2024-08")}
    for r in ans.rows:
        assert r.evidence.text and r.evidence.source.endswith("000_2a5df02dea48a4e7.txt")
    discussed = {d.partner.id for d in ans.discussed}
    assert {"TUR", "KGZ", "TKM"} <= discussed
    for d in ans.discussed:
        assert d.modality in ("speculative", "planned") and d.evidence.text


def test_graph_seeds_allies_as_of_2023(seeds_graph):
    assert {r.partner.id for r in seeds_graph.allies("Uzbekistan", at="2023-01-01").rows} == {"RUS", "KAZ"}


def test_graph_seeds_abraham_accords_members(seeds_graph):
    end = {r.partner.id: r for r in seeds_graph.members("Abraham Accords", at="2025-12-31")}
    assert "KAZ" in end and end["KAZ"].since.value == "2025-11"
    assert "KAZ" not in {r.partner.id for r in seeds_graph.members("Abraham Accords", at="2025-06-30")}


def test_graph_seeds_israel_uzbekistan_timeline(seeds_graph):
    rows = seeds_graph.timeline("Israel", "Uzbekistan")
    seq = [(f.type, f.date.value if f.date else None) for f in rows]
    order = [("diplomatic_relations", "1992-02-21"), ("embassy_opened", "1992-05")]
    idx = [seq.index(x) for x in order]
    assert idx == sorted(idx)
    visit94 = seq.index(("visit", "1994"))
    trade = next(i for i, (t, d) in enumerate(seq) if t == "quantity" and d == "2023")
    assert idx[-1] < visit94 < trade
    assert any(t == "agreement_signed" and d and d.startswith("1994") for t, d in seq)
    assert any(d and d.startswith("1997") for _, d in seq) and any(d and d.startswith("1998") for _, d in seq)
    dated = [f.date.bounds()[0] for f in rows if f.date]
    assert dated == sorted(dated)


@pytest.mark.xfail(strict=True, reason="the decision model (session 4) drops one of the two figures the "
                   "rules read in seed 002; a known loss on the seeds, see NOTES.md")
def test_graph_seeds_conflicts_show_both_oil_figures(seeds_graph):
    conflicts = [c for c in seeds_graph.conflicts() if c.kind == "values"]
    values = {f.quantity["value"] for c in conflicts for f in c.facts}
    assert {22.0, 40.0} <= values
    oil = next(c for c in conflicts if {f.quantity["value"] for f in c.facts} >= {22.0, 40.0})
    assert "no period" in oil.reason and len({f.evidence.source for f in oil.facts}) == 2
