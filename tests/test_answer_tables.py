"""The per-pair facts (migration 7) that the timeline of two actors reads: the same rows,
value for value and type for type, as the query it replaces; the per-actor rows of as-of
answers (migration 8: states and discussed claims in one table) give what the states and
claims tables say; both tables the same after incremental derivations as after a full
rebuild, and untouched by a derivation that fails half-way."""

from __future__ import annotations

import random
from datetime import date, datetime

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
    answers = store.conn.execute("SELECT * EXCLUDE (row), CAST(row AS VARCHAR) FROM actor_answers ORDER BY ALL").fetchall()
    return {"pair_facts": pairs, "facts": facts, "actor_answers": answers}


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
        assert {r[1][0] == "?" for r in incremental["actor_answers"]} == {True, False}  # both kinds of row
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


DAYS = [date(2018, 12, 31), date(2019, 3, 14), date(2019, 7, 1), date(2020, 6, 30), date(2026, 1, 1)]
RELATIONS = ["allied", "strategic_partners", "diplomatic_relations", "member_of"]
DISCUSSED = {"allied": "alliance", "strategic_partners": "strategic_partnership",
             "diplomatic_relations": "diplomatic_relations", "member_of": "accession_membership"}


@pytest.mark.parametrize("seed", [9, 10])
def test_one_scan_gives_the_states_and_the_claims_discussed(tmp_path, monkeypatch, seed):
    """relation_rows reads the states holding and the claims discussed in one statement
    (migration 8): the states are the states table's rows holding on the day, the claims
    every speculative or planned relation claim naming the actor, each once; with a
    known-at date or a source, which filter states only, the claims are the same."""
    with _made_up(tmp_path, monkeypatch, seed) as g:
        con = g.store.conn
        ids = [s.id for s in STATES] + ["CSTO"]
        n_held = n_talk = 0
        for a in ids:
            for day in DAYS:
                for kinds in (["allied"], ["member_of"], RELATIONS):
                    types = [DISCUSSED[k] for k in kinds]
                    held, talk = g.store.relation_rows(a, states=kinds, at=day, discussed=types)
                    want = con.execute(
                        "SELECT id FROM states WHERE ? IN (a_id, b_id) AND state IN (SELECT unnest(?)) "
                        "AND start_day <= ? AND (end_day IS NULL OR end_day > ?) ORDER BY start_day, a_id, b_id, id",
                        [a, kinds, day, day]).fetchall()
                    assert [r["id"] for r in held] == [r[0] for r in want], (a, day, kinds)
                    claims = con.execute(
                        "SELECT id FROM claims WHERE ? IN (subject_id, object_id) AND type IN (SELECT unnest(?)) "
                        "AND modality IN ('speculative', 'planned')", [a, types]).fetchall()
                    assert sorted(r["claim_id"] for r in talk) == sorted(r[0] for r in claims), (a, kinds)
                    assert talk == g.store.discussed(a, types=types)
                    assert [{**r, "start_day": date.fromisoformat(r["start_day"]),
                             "end_day": r["end_day"] and date.fromisoformat(r["end_day"]),
                             "recorded_at": r["recorded_at"] and datetime.fromisoformat(r["recorded_at"])}
                            for r in held] == g.store.states_as_of(a, states=kinds, at=day)
                    for kw in ({"known_at": "2000-01-01"}, {"source": "dataset"}, {"source": "ATOP"}):
                        _, talk2 = g.store.relation_rows(a, states=kinds, at=day, discussed=types, **kw)
                        assert talk2 == talk
                    n_held += len(held)
                    n_talk += len(talk)
            # members: states only, never a claim discussed
            for day in DAYS:
                rows = g.store.members_as_of(a, at=day, days=False)
                assert all(r["state"] == "member_of" and r["b_id"] == a for r in rows)
        assert n_held > 20 and n_talk > 20
        # known on a day before anything was recorded: no state holds
        assert not g.store.relation_rows("KAZ", states=RELATIONS, at=DAYS[-1], known_at="1990-01-01")[0]


def test_migration_8_replaces_the_two_tables(tmp_path, monkeypatch):
    """A store of schema 7 (actor_states and actor_discussed) opens as schema 8: the two
    tables are gone and actor_answers holds what a rebuild gives."""
    with _made_up(tmp_path, monkeypatch, 11, ingest=4) as g:
        built = _tables(g.store)
        con = g.store.conn
        con.execute("DELETE FROM actor_answers")
        con.execute("CREATE TABLE actor_states (actor_id VARCHAR)")
        con.execute("CREATE TABLE actor_discussed (actor_id VARCHAR)")
        con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    with Graph.open(tmp_path / "a.duckdb") as g:
        tables = {r[0] for r in g.store.conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "actor_answers" in tables and not {"actor_states", "actor_discussed"} & tables
        assert g.store.pending() == []
        assert _tables(g.store) == built
