"""Merging claims into facts and finding contradictions: pure logic, claims built by hand."""

from __future__ import annotations

import pytest

from diplograph.facts import find_conflicts, merge_facts
from diplograph.models import ActorRef, Claim, PartialDate
from diplograph.states import derive_states

UZB = ActorRef("UZB", "Uzbekistan", "state")
RUS = ActorRef("RUS", "Russia", "state")
KAZ = ActorRef("KAZ", "Kazakhstan", "state")
ISR = ActorRef("ISR", "Israel", "state")
OTS = ActorRef("OTS", "Organization of Turkic States", "organisation")


def claim(cid, type_, s, o, date=None, modality="asserted", doc="d1", quantity=None, subtype=None, conf=0.8):
    d = PartialDate.parse(date) if date else None
    return Claim(doc=doc, type=type_, subject=s, object=o, modality=modality, evidence_text=f"sentence {cid}",
                 evidence_start=0, evidence_end=10, date=d, quantity=quantity, subtype=subtype,
                 confidence=conf, id=cid)


@pytest.mark.parametrize("a,b", [("2005-11", "2005-11-14"), ("2022", "2022-12-22"), ("2005-11-14", "2005-11-14")])
def test_facts_merge_compatible_dates_are_one_event(a, b):
    facts = merge_facts([claim("c1", "alliance", UZB, RUS, a, doc="d1"), claim("c2", "alliance", RUS, UZB, b, doc="d2")])
    assert len(facts) == 1
    f = facts[0]
    assert f.n_claims == 2 and f.n_sources == 2
    assert f.date.value == max(a, b, key=len)  # the most precise date wins
    if len(a) != len(b):
        assert f.date_claim == ("c1" if len(a) > len(b) else "c2")


def test_facts_merge_keeps_different_events_apart():
    facts = merge_facts([
        claim("c1", "visit", ISR, UZB, "1994"), claim("c2", "visit", ISR, UZB, "1998-09"),
        claim("c3", "visit", UZB, ISR, "1998-09"),  # directed: another event
    ])
    assert sorted((f.subject.id, f.date.value) for f in facts) == [("ISR", "1994"), ("ISR", "1998-09"), ("UZB", "1998-09")]


def test_facts_merge_undated_claim_joins_the_only_event():
    facts = merge_facts([claim("c1", "alliance", UZB, KAZ, "2022-12-22"), claim("c2", "alliance", KAZ, UZB, None, doc="d2")])
    assert len(facts) == 1 and facts[0].n_sources == 2


def test_facts_modality_precedence_and_conflict():
    facts = merge_facts([claim("c1", "accession_membership", KAZ, OTS, "2025-11"),
                         claim("c2", "accession_membership", KAZ, OTS, None, modality="negated", doc="d2")])
    assert len(facts) == 1 and facts[0].modality == "asserted"
    conflicts = find_conflicts(facts)
    assert [c.kind for c in conflicts] == ["modality"]
    assert "denied by d2" in conflicts[0].reason


def test_facts_one_time_event_with_two_dates_is_a_conflict():
    facts = merge_facts([claim("c1", "diplomatic_relations", ISR, UZB, "1992-02-21"),
                         claim("c2", "diplomatic_relations", UZB, ISR, "1993", doc="d2")])
    conflicts = find_conflicts(facts)
    assert len(facts) == 2 and [c.kind for c in conflicts] == ["dates"]
    assert "1992-02-21" in conflicts[0].reason and "1993" in conflicts[0].reason


def test_facts_quantity_values_conflict_with_reason():
    """Two asserted figures for the same parties, unit and period with different values."""
    b = claim("q2", "quantity", KAZ, ISR, "2023", doc="d2", quantity={"value": 40, "unit": "percent", "metric": "crude_oil_share"})
    same = claim("q3", "quantity", KAZ, ISR, "2023", doc="d3", quantity={"value": 40.2, "unit": "percent", "metric": "crude_oil_share"})
    other = claim("q4", "quantity", KAZ, ISR, "2023", doc="d4", quantity={"value": 30, "unit": "percent", "metric": "oil_import_share"})
    facts = merge_facts([b, same, other])
    assert len(facts) == 2  # 40 and 40.2 are one figure (within 1%)
    conflicts = find_conflicts(facts)
    assert [c.kind for c in conflicts] == ["values"]
    reason = conflicts[0].reason
    assert "30%" in reason and "40%" in reason and "2023" in reason and "measures differ" in reason


def test_facts_quantity_conflicts_compare_asserted_figures_of_the_same_period_only():
    """Issue 13, item 5. Before, an undated figure was set against a dated one ("one figure
    has no period: may refer to different years") and overlapping periods against each
    other; a forecast against a record. None of these says that two sources disagree."""
    q = {"unit": "persons", "metric": "visitor_arrivals"}
    record = claim("r", "quantity", ISR, UZB, "2024", doc="d1", quantity={"value": 11000, **q})
    facts = merge_facts([
        record,
        # an expectation, dated to its own year or to the record's by mistake: not a figure anyone reported
        claim("e1", "quantity", ISR, UZB, "2025", modality="speculative", doc="d1",
              quantity={"value": 15000, "high": 20000, **q}),
        claim("e2", "quantity", ISR, UZB, "2024", modality="speculative", doc="d2", quantity={"value": 15000, **q}),
        claim("t", "quantity", ISR, UZB, "2024", modality="planned", doc="d3", quantity={"value": 18000, **q}),
        # no period: it may be for any year
        claim("u", "quantity", ISR, UZB, None, doc="d4", quantity={"value": 22000, **q}),
        # another period that overlaps: half a year against the whole year
        claim("h", "quantity", ISR, UZB, "2024-01/2024-06", doc="d5", quantity={"value": 5000, **q}),
    ])
    assert find_conflicts(facts) == []
    # the same period and asserted, with another value: that is a disagreement (9,000 visitors
    # the other way is another flow)
    facts = merge_facts([record, claim("r2", "quantity", UZB, ISR, "2024", doc="d6", quantity={"value": 9000, **q}),
                         claim("r3", "quantity", ISR, UZB, "2024", doc="d7", quantity={"value": 14000, **q})])
    (c,) = find_conflicts(facts)
    assert {f.quantity["value"] for f in c.facts} == {11000, 14000} and "2024" in c.reason


def test_facts_quantity_range_agrees_with_a_figure_inside_it():
    q = {"unit": "USD", "metric": "trade_turnover"}
    facts = merge_facts([claim("a", "quantity", ISR, UZB, "2023", doc="d1", quantity={"value": 2e8, "high": 2.2e8, **q}),
                         claim("b", "quantity", ISR, UZB, "2023", doc="d2", quantity={"value": 2.11e8, **q})])
    assert len(facts) == 2 and find_conflicts(facts) == []
    facts = merge_facts([claim("a", "quantity", ISR, UZB, "2023", doc="d1", quantity={"value": 2e8, "high": 2.2e8, **q}),
                         claim("b", "quantity", ISR, UZB, "2023", doc="d2", quantity={"value": 3e8, **q})])
    (c,) = find_conflicts(facts)
    assert "200,000,000-220,000,000 USD" in c.reason


def test_states_alliance_interval_and_as_of():
    facts = merge_facts([claim("c1", "alliance", UZB, RUS, "2005-11"), claim("c2", "alliance", UZB, KAZ, "2022-12-22")])
    states = derive_states(facts)
    from datetime import date

    held = sorted(s.b.id if s.a.id == "UZB" else s.a.id for s in states if s.holds_at(date(2023, 1, 1)))
    assert held == ["KAZ", "RUS"]
    assert [s.b.id if s.a.id == "UZB" else s.a.id for s in states if s.holds_at(date(2010, 1, 1))] == ["RUS"]


def test_states_membership_ended_by_withdrawal():
    from datetime import date

    facts = merge_facts([claim("c1", "accession_membership", UZB, OTS, "2006"),
                         claim("c2", "other", UZB, OTS, "2012-06", subtype="withdrawal")])
    (state,) = derive_states(facts)
    assert state.holds_at(date(2010, 1, 1)) and not state.holds_at(date(2013, 1, 1))
    assert state.ended_by is not None and state.end.value == "2012-06"


def test_states_speculative_facts_start_nothing_and_undated_start_uses_source_date():
    from datetime import date

    facts = merge_facts([claim("c1", "alliance", UZB, ISR, None, modality="speculative"),
                         claim("c2", "alliance", UZB, KAZ, None, doc="d9")])
    states = derive_states(facts, source_date=lambda f: date(2025, 3, 6))
    assert [(s.a.id, s.b.id, s.start_known, s.start_day) for s in states] == [("KAZ", "UZB", False, date(2025, 3, 6))]


def test_facts_undated_claim_of_a_one_time_event_stays_with_the_earliest_when_another_date_comes():
    """An alliance is established once: a later confirming date does not set the undated
    report adrift (issue 13, item 4)."""
    first = [claim("c1", "alliance", UZB, KAZ, "2022-12-22"), claim("c2", "alliance", KAZ, UZB, None, doc="d2")]
    later = claim("c3", "alliance", KAZ, UZB, "2026-01-13", doc="d3")
    for claims in (first + [later], [later] + first):
        facts = merge_facts(claims)
        (f,) = [f for f in facts if f.date.value == "2022-12-22"]
        assert f.sources == ["d1", "d2"]
    # a recurring event keeps the old rule: an undated visit between two dated ones is its own
    facts = merge_facts([claim("v1", "visit", ISR, UZB, "1994"), claim("v2", "visit", ISR, UZB, "1998-09"),
                         claim("v3", "visit", ISR, UZB, None, doc="d2")])
    assert sorted(f.date.value if f.date else "-" for f in facts) == ["-", "1994", "1998-09"]


def test_facts_vaguer_date_joins_the_earliest_event_it_fits():
    facts = merge_facts([claim("c1", "alliance", UZB, KAZ, "2022-12-22", doc="d1"),
                         claim("c2", "alliance", UZB, KAZ, "2022-11-05", doc="d2"),
                         claim("c3", "alliance", UZB, KAZ, "2022", doc="d3")])
    assert {f.date.value: f.sources for f in facts} == {"2022-11-05": ["d2", "d3"], "2022-12-22": ["d1"]}


def test_facts_an_asserted_undated_claim_does_not_take_the_date_of_a_plan():
    facts = merge_facts([claim("c1", "alliance", UZB, KAZ, None, doc="d1"),
                         claim("c2", "alliance", UZB, KAZ, "2027-05", modality="planned", doc="d2")])
    assert sorted((f.modality, f.date.value if f.date else None) for f in facts) == [
        ("asserted", None), ("planned", "2027-05")]


def test_facts_sources_are_those_that_state_the_fact():
    """A speculation or a denial merged into an asserted fact is not one of its sources."""
    facts = merge_facts([claim("c1", "alliance", UZB, KAZ, "2022-12-22", doc="d1"),
                         claim("c2", "alliance", UZB, KAZ, None, modality="speculative", doc="d2"),
                         claim("c3", "alliance", UZB, KAZ, "2022", modality="negated", doc="d3")])
    (f,) = facts
    assert f.modality == "asserted" and f.n_claims == 3 and f.sources == ["d1"]
    assert f.confidence == 0.8


def test_states_an_undated_report_holds_by_its_source_date_whatever_the_fact_date():
    from datetime import date

    facts = merge_facts([claim("c1", "alliance", UZB, KAZ, None, doc="d1"),
                         claim("c2", "alliance", UZB, KAZ, "2027-05", doc="d2")])
    (state,) = derive_states(facts, source_date=lambda f: date(2025, 1, 15) if {c.doc for c in f.claims} == {"d1"}
                             else date(2026, 1, 1))
    assert state.start is None and not state.start_known and state.start_day == date(2025, 1, 15)
