"""The per-pair facts (migration 7) that the timeline of two actors reads: the same rows,
value for value and type for type, as the query it replaces; the same table after
incremental derivations as after a full rebuild; untouched by a derivation that fails
half-way."""

from __future__ import annotations

import random
from datetime import date

import pytest
from test_derive_sql import STATES, _claim

from diplograph import Graph
from diplograph.models import PartialDate
from diplograph.store import Store


def _made_up(tmp_path, monkeypatch, seed: int, *, ingest: int = 12) -> Graph:
    """A store of made-up claims: a dataset's records, then ``ingest`` documents one by one
    (each derived incrementally, as an ingest does)."""
    rng = random.Random(seed)
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for n in range(ingest):
        (folder / f"{n:02d}.txt").write_text(f"Made-up report {seed}-{n}.", encoding="utf-8")

    def extract(doc, *, name=None, on_extract=None):
        local = random.Random(f"{seed}-{doc.text}")
        return [_claim(local, name or doc.id, i) for i in range(local.randrange(3, 14))]

    monkeypatch.setattr(Graph, "_extract", staticmethod(extract))
    g = Graph.open(tmp_path / "a.duckdb")
    records = [_claim(rng, None, i) for i in range(30)]
    for i, c in enumerate(records):
        c.codes = {"source": "ATOP 5.1", "record": f"{1000 + i % 7}:0"}
    with g.store.transaction():
        g.store.add_claims(records, doc_id=None, source_kind="dataset", source_name="ATOP 5.1")
    g.finish_pending()
    for p in sorted(folder.glob("*.txt")):
        g.ingest([p], published=PartialDate.parse(rng.choice(["2018-05-01", "2020-02-02", "2025-01-15"])))
    return g


def _tables(store: Store) -> dict[str, list]:
    pairs = store.conn.execute("SELECT lo_id, hi_id, fact_id, CAST(row AS VARCHAR) FROM pair_facts ORDER BY ALL").fetchall()
    facts = store.conn.execute("SELECT id FROM facts ORDER BY id").fetchall()
    return {"pair_facts": pairs, "facts": facts}


def _typed(rows: list[dict]) -> list[list[tuple]]:
    return [sorted((k, type(v).__name__, v) for k, v in r.items()) for r in rows]


def _old_pair_rows(store: Store, a: str, b: str) -> list[dict]:
    """What facts_for(a, b) gave before migration 7: ids from fact_actors, rows by id."""
    found = store.conn.execute("SELECT fact_id, date_start, type FROM fact_actors WHERE actor_id = ? "
                               "AND list_contains(actor_ids, ?)", [a, b]).fetchall()
    found.sort(key=lambda r: (r[1] is None, r[1] or date.min, r[2], r[0]))
    return store._rows_by_ids("facts", [r[0] for r in found])


@pytest.mark.parametrize("seed", [5, 6])
def test_pair_timeline_rows_are_the_facts_rows(tmp_path, monkeypatch, seed):
    with _made_up(tmp_path, monkeypatch, seed) as g:
        ids = [s.id for s in STATES] + ["CSTO"]
        n = 0
        for a in ids:
            for b in ids:
                if a == b:
                    continue
                want = _old_pair_rows(g.store, a, b)
                got = g.store.facts_for(a, b)
                assert _typed(got) == _typed(want), (a, b)
                n += len(got)
                # the filters, as the SQL applied them
                for kw in ({"types": ["visit", "alliance"]}, {"start": date(2020, 1, 1)}, {"end": date(2019, 6, 30)},
                           {"modality": "asserted"}, {"limit": 2, "offset": 1}):
                    sub = g.store.facts_for(a, b, **kw)
                    if "limit" in kw:
                        assert [r["id"] for r in sub] == [r["id"] for r in want][1:3]
                        continue
                    keep = [r for r in want
                            if (not kw.get("types") or r["type"] in kw["types"])
                            and (kw.get("modality") is None or r["modality"] == kw["modality"])
                            and (kw.get("start") is None or (r["date_end"] is not None and r["date_end"] >= kw["start"]))
                            and (kw.get("end") is None or (r["date_start"] is not None and r["date_start"] <= kw["end"]))]
                    assert [r["id"] for r in sub] == [r["id"] for r in keep], (a, b, kw)
        assert n > 50  # the made-up store has facts for most pairs
        # three-party facts are found for every pair of their parties
        three = g.store.conn.execute("SELECT id, actor_ids FROM facts f JOIN (SELECT fact_id, any_value(actor_ids) "
                                     "AS actor_ids FROM fact_actors GROUP BY 1) a ON a.fact_id = f.id "
                                     "WHERE len(a.actor_ids) > 2 LIMIT 1").fetchall()
        if three:
            fid, actors = three[0]
            assert fid in {r["id"] for r in g.store.facts_for(actors[2], actors[1])}


def test_answer_tables_after_incremental_ingests_equal_a_rebuild(tmp_path, monkeypatch):
    with _made_up(tmp_path, monkeypatch, 7) as g:
        incremental = _tables(g.store)
        assert incremental["pair_facts"]
        g.rebuild()
        assert _tables(g.store) == incremental
        # every fact once per pair of its actors
        n_pairs = g.store.conn.execute("SELECT sum(len(ids) * (len(ids) - 1) // 2) FROM (SELECT any_value(actor_ids) AS ids "
                                       "FROM fact_actors GROUP BY fact_id)").fetchone()[0]
        assert len(incremental["pair_facts"]) == n_pairs


def test_failed_derivation_leaves_the_answer_tables_as_they_were(tmp_path, monkeypatch):
    with _made_up(tmp_path, monkeypatch, 8, ingest=6) as g:
        before = _tables(g.store)
        extra = tmp_path / "docs" / "late.txt"
        extra.write_text("Made-up report 8-late.", encoding="utf-8")

        def crash(*a, **k):  # after the answer tables are filled, before the commit
            raise RuntimeError("disk full")

        counts = Store.derived_counts
        monkeypatch.setattr(Store, "derived_counts", crash)
        with pytest.raises(RuntimeError):
            g.ingest([extra])
        assert _tables(g.store) == before
        assert g.store.pending()  # the claims landed; their derivation waits
        monkeypatch.setattr(Store, "derived_counts", counts)
        g.finish_pending()
        derived = _tables(g.store)
        assert derived != before
        g.rebuild()
        assert _tables(g.store) == derived
