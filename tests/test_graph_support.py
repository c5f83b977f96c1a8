"""A relation's support only grows (issue 13, item 4): adding a document that confirms a
relation, or any document at all, never lowers the count of its sources nor drops one of
them from the answer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diplograph import Graph
from diplograph.models import ActorRef, Claim, PartialDate

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"

# Our own words: a dated wire item that confirms the Kazakhstan-Uzbekistan alliance.
CONFIRMING = """Astana and Tashkent reaffirm alliance

ASTANA, 14 January 2026 — Kazakhstan and Uzbekistan reaffirmed their alliance on Tuesday, the
foreign ministers of the two countries said after talks in the Kazakh capital.
"""

AS_OF = ("2000-01-01", "2023-01-01", "2025-06-30", "2026-12-31")


def _support(g: Graph, days=AS_OF) -> dict[tuple[str, str, str, str], set[str]]:
    """Every relation of every actor with a state, on each day: the sources of its support."""
    states = g.store.table("states").to_pylist()
    actors = sorted({s["a_id"] for s in states} | {s["b_id"] for s in states})
    out = {}
    for day in days:
        for a in actors:
            for row in g.relations(a, at=day).rows:
                docs = _asserting(g, row.facts)
                assert row.n_sources == len(docs), (a, row.partner.id, row.state, day)
                assert row.fact == row.facts[0]
                out[(day, a, row.partner.id, row.state)] = docs
    return out


def _asserting(g: Graph, facts: list[str]) -> set[str]:
    """The sources that assert these facts (a speculation or a denial is not support)."""
    return {e["evidence_doc"] or e["evidence_source_name"] or "?"
            for fid in facts for e in g.store.evidence(fid) if e["modality"] == "asserted"}


def _assert_grows(before, after, what):
    for key, docs in before.items():
        assert key in after, f"{what}: {key} no longer holds"
        assert docs <= after[key], f"{what}: {key} lost {docs - after[key]}"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    path = tmp_path_factory.mktemp("support") / "seeds.duckdb"
    with Graph.open(path) as g:
        g.ingest([SEEDS])
    return path


@pytest.fixture
def seeds_copy(seeds_db, tmp_path):
    path = tmp_path / "seeds.duckdb"
    shutil.copy(seeds_db, path)
    g = Graph.open(path)
    yield g
    g.close()


def test_confirming_article_adds_a_source_to_the_alliance(seeds_copy, tmp_path):
    g = seeds_copy

    def kaz_uzb():
        (row,) = [r for r in g.allies("Kazakhstan").rows if r.partner.id == "UZB"]
        return row, _asserting(g, row.facts)

    before, docs_before = kaz_uzb()
    # seed 000 dates it; seed 001 repeats it, which the rules read as asserted and the
    # session-7 model demotes to planned (NOTES.md): one source or two before the new one
    assert before.n_sources == len(docs_before) >= 1
    article = tmp_path / "kz_uz_confirm.txt"
    article.write_text(CONFIRMING, encoding="utf-8")
    report = g.ingest([article])
    (new_doc,) = [d.id for d in report.ingested]

    after, docs_after = kaz_uzb()
    assert docs_before <= docs_after and new_doc in docs_after
    assert after.n_sources == len(docs_after) == before.n_sources + 1
    # the relation is still dated by its first source, with its evidence
    assert after.since == before.since and after.evidence.text == before.evidence.text
    # and the other side of the relation says the same
    (row,) = [r for r in g.allies("Uzbekistan").rows if r.partner.id == "KAZ"]
    assert row.n_sources == after.n_sources


def test_adding_any_document_never_removes_a_source(tmp_path):
    """Ingest the seeds and the confirming article one at a time, in two orders: after each
    document, every relation that held on each of several days still holds, with every
    source it had."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    article = tmp_path / "kz_uz_confirm.txt"
    article.write_text(CONFIRMING, encoding="utf-8")
    docs = [*sorted(SEEDS.glob("*.txt")), article]
    cache: dict[str, list[Claim]] = {}
    real = Graph._extract

    def extract_once(doc, *, name=None, on_extract=None):
        if doc.id not in cache:
            cache[doc.id] = real(doc, name=name, on_extract=on_extract)
        return list(cache[doc.id])

    mp = pytest.MonkeyPatch()
    mp.setattr(Graph, "_extract", staticmethod(extract_once))
    try:
        for order in (docs, docs[::-1]):
            with Graph.open(":memory:") as g:
                support = _support(g)
                for path in order:
                    g.ingest([path])
                    now = _support(g)
                    _assert_grows(support, now, f"after {path.name}")
                    support = now
    finally:
        mp.undo()


# -- the same property on claims made up by hypothesis ------------------------------------

UZB = ActorRef("UZB", "Uzbekistan", "state")
KAZ = ActorRef("KAZ", "Kazakhstan", "state")
DATES = [None, "2019", "2020-03", "2020-03-14", "2021", "2021-06-01", "2024-02", "2027-05"]

claim_spec = st.tuples(st.sampled_from(["alliance", "strategic_partnership"]),
                       st.sampled_from(DATES),
                       st.sampled_from(["asserted", "asserted", "speculative", "planned", "negated"]),
                       st.booleans())
doc_spec = st.lists(claim_spec, min_size=1, max_size=3)


def _made_up(doc: str, specs) -> list[Claim]:
    return [Claim(doc=doc, type=t, subject=KAZ if flip else UZB, object=UZB if flip else KAZ, modality=m,
                  evidence_text=f"made-up sentence {i} of {doc}", evidence_start=10 * i, evidence_end=10 * i + 9,
                  date=PartialDate.parse(d) if d else None, confidence=0.7)
            for i, (t, d, m, flip) in enumerate(specs)]


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(doc_spec, min_size=2, max_size=4))
# an undated alliance, then a plan dated to next year: the plan must not date the alliance
@example([[("alliance", None, "asserted", False)], [("alliance", "2027-05", "planned", True)]])
# dated, undated, then a confirmation at a later date
@example([[("alliance", "2020-03-14", "asserted", False)], [("alliance", None, "asserted", True)],
          [("alliance", "2024-02", "asserted", False)]])
def test_made_up_claims_never_lose_a_source(tmp_path_factory, docs):
    """Documents of alliance and partnership claims, dated or not, of every modality: each
    one added keeps every source of every relation on every day."""
    texts = {f"Made-up report number {i}.": specs for i, specs in enumerate(docs)}
    folder = tmp_path_factory.mktemp("made_up")
    paths = []
    for i, text in enumerate(texts):
        p = folder / f"{i}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)

    def extract(doc, *, name=None, on_extract=None):
        return _made_up(name or doc.id, texts[doc.text.strip()])

    mp = pytest.MonkeyPatch()
    mp.setattr(Graph, "_extract", staticmethod(extract))
    days = ("2020-03-31", "2021-12-31", "2025-06-30", date.today().isoformat())
    try:
        with Graph.open(":memory:") as g:
            support = _support(g, days)
            for p in paths:
                g.ingest([p], published=PartialDate.parse("2025-01-15"))
                now = _support(g, days)
                _assert_grows(support, now, f"after {p.name}")
                support = now
    finally:
        mp.undo()


# found by the property above with a random seed: an undated alliance first joins an event
# dated after today (2027-05), which it dates back to its publication; a 2019 alliance then
# takes the undated report (the earliest event it fits), and the 2027 event must still count
# from that publication day, or the relation as of 2025-06-30 loses the 2027 document
def test_made_up_claims_never_lose_a_source_future_then_past(tmp_path_factory):
    test_made_up_claims_never_lose_a_source.hypothesis.inner_test(
        tmp_path_factory, [[("alliance", None, "asserted", False)], [("alliance", "2027-05", "asserted", False)],
                           [("alliance", "2019", "asserted", False)]])
