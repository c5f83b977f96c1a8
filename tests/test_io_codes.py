"""Mapping dataset actors and event codes to diplograph's actors and claim types."""

from __future__ import annotations

from datetime import date

import pytest

from diplograph.facts import fact_key
from diplograph.io.actors import by_name, cow_spells, state_by_cow, state_by_cow_abb, state_by_iso3
from diplograph.io.codes import cameo, norm_name, plover
from diplograph.io.common import fact_key_of
from diplograph.models import ActorRef, Claim


@pytest.mark.parametrize("name, actor_id, role", [
    ("Government (Kazakhstan)", "KAZ", "government"),
    ("Government_(Kazakhstan)", "KAZ", "government"),
    ("Foreign_Affairs_(Israel)", "ISR", "foreign affairs"),
    ("Foreign Affairs (Israel)", "ISR", "foreign affairs"),
    ("Head_of_Government_(Ukraine)", "UKR", "head of government"),
    ("Kazakhstan", "KAZ", None),
    ("United_Nations", "UN", None),
    ("John_Kerry", "USA", "secretary of state"),
    ("Dmitry_Anatolyevich_Medvedev", "RUS", "official"),
    ("Children_(Palestinian_Territory,_Occupied)", "PSE", "children"),  # a patronymic we do not list
])
def test_io_actor_names_map_to_states_with_roles(name, actor_id, role):
    r = by_name(name)
    assert r is not None and r.actor.id == actor_id and r.role == role


@pytest.mark.parametrize("name", ["Caitlin_Hayden", "Kerry", "Citizen_(Atlantis)", "Congo"])
def test_io_unknown_or_ambiguous_actor_names_are_none(name):
    assert by_name(name) is None


def test_io_cow_codes_follow_succession():
    assert state_by_cow(365, date(1990, 1, 1)).id == "SUN"
    assert state_by_cow(365, date(2005, 1, 1)).id == "RUS"
    assert state_by_cow_abb("AUS").id == "AUT"  # COW letters: Austria
    assert state_by_iso3("AUS").id == "AUS"  # ISO 3166: Australia
    assert state_by_iso3("ROM").id == "ROU"  # a CAMEO country code
    spells = cow_spells(365, date(1990, 11, 21), None)
    assert [(s.id, a, b) for s, a, b in spells] == [
        ("SUN", None, date(1991, 12, 26)), ("RUS", date(1991, 12, 26), None)]


@pytest.mark.parametrize("code, claim_type, subtype, modality, reverse", [
    ("042", "visit", None, "asserted", False),
    ("Make_a_visit", "visit", None, "asserted", False),
    ("Host a visit", "visit", None, "asserted", True),
    ("HOST_A_VISIT", "visit", None, "asserted", True),
    ("0421", "visit", None, "asserted", False),  # an unlisted sub-code falls back to its parent
    ("57", "agreement_signed", None, "asserted", False),  # a leading zero lost by a spreadsheet
    ("Sign_formal_agreement", "agreement_signed", None, "asserted", False),
    ("Express_intent_to_cooperate", "other", "intent_to_cooperate", "planned", False),
    ("Express intent to meet or negotiate", "summit_meeting", None, "planned", False),
    ("Meet_at_a_'third'_location", "summit_meeting", None, "asserted", False),
    ("fight with small arms and light weapons", "conflict_action", "fight", "asserted", False),
    ("190", "conflict_action", "fight", "asserted", False),
    ("1823", "conflict_action", "assault", "asserted", False),  # under 182, physical assault
    ("1831", "conflict_action", "bombing", "asserted", False),  # under 183, bombings
    ("Cooperate militarily", "military_cooperation", None, "asserted", False),
])
def test_io_cameo_codes_and_names_map_to_claim_types(code, claim_type, subtype, modality, reverse):
    ec = cameo(code)
    assert ec is not None
    assert (ec.claim_type, ec.subtype, ec.modality, ec.reverse) == (claim_type, subtype, modality, reverse)


@pytest.mark.parametrize("code", ["Make statement", "010", "Criticize_or_denounce", "Praise or endorse",
                                  "Arrest,_detain,_or_charge_with_legal_action"])
def test_io_cameo_codes_without_claim_type(code):
    ec = cameo(code)
    assert ec is not None and ec.claim_type is None


def test_io_cameo_unknown_is_none_and_names_normalise():
    assert cameo("Dance a waltz") is None
    assert cameo("999") is None
    assert norm_name("Meet_at_a_'third'_location") == norm_name("meet at a third location")


def test_io_cameo_enders_are_never_mapped():
    # an event coded "withdrawal" or "termination" would end alliances and memberships
    import csv
    from importlib import resources

    text = resources.files("diplograph").joinpath("data", "codes", "cameo.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    assert {r["subtype"] for r in rows}.isdisjoint({"withdrawal", "termination", "suspension", "severed"})
    assert all(r["source"] for r in rows)


@pytest.mark.parametrize("etype, mode, claim_type, reverse", [
    ("CONSULT", "visit", "visit", False),
    ("consult", "Host", "visit", True),
    ("CONSULT", "phone", "other", False),
    ("CONSULT", "something-new", "other", False),  # an unknown mode: the type's default
    ("AID", "military", "military_cooperation", False),
    ("ASSAULT", "aerial", "conflict_action", False),
    ("ACCUSE", "", None, False),
])
def test_io_plover_types_and_modes(etype, mode, claim_type, reverse):
    ec = plover(etype, mode)
    assert ec is not None and ec.claim_type == claim_type and ec.reverse == reverse


def test_io_fact_key_matches_the_merge_key():
    a, b = ActorRef("UZB", "Uzbekistan", "state"), ActorRef("RUS", "Russia", "state")
    for type_, subtype in [("alliance", "defense"), ("visit", None), ("other", "withdrawal"),
                           ("agreement_signed", None)]:
        c = Claim(doc="", type=type_, subject=a, object=b, modality="asserted", evidence_text="",
                  evidence_start=0, evidence_end=0, subtype=subtype)
        assert fact_key_of(type_, "UZB", "RUS", subtype) == fact_key(c)
