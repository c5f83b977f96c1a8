"""Organisations and accords added to the actor knowledge in December 2026: sentences
written for these tests name them and must give the claim (which is lost when the
extractor does not know the organisation), and their acronyms must not fire on ordinary
text, headlines in capitals or the places they are named after."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from diplograph.claims import extract_claims
from diplograph.mentions.actors import find_mentions
from diplograph.mentions.knowledge import knowledge
from diplograph.models import PartialDate

pytestmark = pytest.mark.usefixtures("rules_alone")

ACTORS = Path(__file__).resolve().parent.parent / "diplograph" / "data" / "actors"


def _claims(text: str, published: str) -> set[tuple]:
    return {(c.type, c.subject.id if c.subject else None, c.object.id if c.object else None,
             c.modality, c.date.value if c.date else None)
            for c in extract_claims(text, doc="t", published=PartialDate.parse(published))}


CASES = [
    # (text, published, a claim that must come out as (type, subject, object, modality, date))
    ("Afghanistan joined SAARC in April 2007.", "2024-01-01",
     ("accession_membership", "AFG", "SAARC", "asserted", "2007-04")),
    ("France became a member of the Indian Ocean Rim Association in 2020.", "2024-01-01",
     ("accession_membership", "FRA", "IORA", "asserted", "2020")),
    ("Equatorial Guinea was admitted to the Community of Portuguese Language Countries in July 2014.",
     "2025-01-01", ("accession_membership", "GNQ", "CPLP", "asserted", "2014-07")),
    ("Greece joined the Three Seas Initiative in 2023.", "2024-01-01",
     ("accession_membership", "GRC", "THREE_SEAS", "asserted", "2023")),
    ("Brazil rejoined UNASUR in April 2023.", "2023-06-01",
     ("accession_membership", "BRA", "UNASUR", "asserted", "2023-04")),
    ("Sweden joined the Artemis Accords in April 2024.", "2024-06-01",
     ("accession_membership", "SWE", "ARTEMIS_ACCORDS", "asserted", "2024-04")),
    ("Saudi Arabia acceded to the Kyoto Protocol in 2005.", "2024-01-01",
     ("accession_membership", "SAU", "KYOTO_PROTOCOL", "asserted", "2005")),
    ("Russia withdrew from the Council of the Baltic Sea States in May 2022.", "2022-06-01",
     ("other", "RUS", "CBSS", "asserted", "2022-05")),
    ("Turkey withdrew from the Istanbul Convention on 1 July 2021.", "2021-08-01",
     ("other", "TUR", "ISTANBUL_CONVENTION", "asserted", "2021-07-01")),
    ("The United States withdrew from UNESCO in 2018.", "2024-01-01",
     ("other", "USA", "UNESCO", "asserted", "2018")),
    ("Canada withdrew from the Kyoto Protocol in December 2011.", "2024-01-01",
     ("other", "CAN", "KYOTO_PROTOCOL", "asserted", "2011-12")),
    ("Azerbaijan hosted the Non-Aligned Movement summit in Baku in October 2019.", "2024-01-01",
     ("summit_meeting", "NON_ALIGNED_MOVEMENT", "AZE", "asserted", "2019-10")),
]


@pytest.mark.parametrize("text,published,want", CASES)
def test_claims_about_added_organisations_and_accords(text, published, want):
    got = _claims(text, published)
    assert want in got, got


def _ids(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.actor.id) for m in find_mentions(text, published="2025-01-01")]


@pytest.mark.parametrize("text,want", [
    # a longer name wins over the city or capital it begins with
    ("Officials in Bucharest welcomed the Bucharest Nine.", [("Bucharest", "ROU"), ("Bucharest Nine", "BUCHAREST_NINE")]),
    ("The Minsk agreements were signed in Minsk.", [("Minsk agreements", "MINSK_AGREEMENTS"), ("Minsk", "BLR")]),
    ("The Colombo Plan met in Colombo.", [("Colombo Plan", "COLOMBO_PLAN"), ("Colombo", "LKA")]),
    ("The Lima Group met in Lima.", [("Lima Group", "LIMA_GROUP"), ("Lima", "PER")]),
    ("The NAM summit opened in Kampala.", [("NAM", "NON_ALIGNED_MOVEMENT"), ("Kampala", "UGA")]),
    ("ALBA leaders met in Caracas.", [("ALBA leaders", "ALBA"), ("Caracas", "VEN")]),
])
def test_mentions_of_added_organisations(text, want):
    assert _ids(text) == want


@pytest.mark.parametrize("text", [
    "VIET NAM SIGNS RICE DEAL WITH THE PHILIPPINES",  # "NAM" in capitals is not the Non-Aligned Movement
    "NSG commandos stormed the hotel.",  # India's National Security Guard, not the Nuclear Suppliers Group
    "Jessica Alba opened a shop.",
    "The peninsula lies between three seas.",
    "A cricket world cup (CWC) match was played in Dayton.",
])
def test_mentions_added_acronyms_do_not_fire_on_ordinary_text(text):
    new = {r["id"] for r in csv.DictReader((ACTORS / "organisations.csv").open(encoding="utf-8"))}
    assert not [x for x in _ids(text) if x[1] in new and x[1] not in ("UN", "EU")], _ids(text)


def test_knowledge_organisation_ids_are_not_state_codes():
    # NAM is Namibia's ISO code: the Non-Aligned Movement is NON_ALIGNED_MOVEMENT
    k = knowledge()
    assert k.actors["NAM"].kind == "state" and k.actors["NAM"].name == "Namibia"
    assert k.actors["NON_ALIGNED_MOVEMENT"].kind == "organisation"
    codes = set()
    for r in csv.DictReader((ACTORS / "states.csv").open(encoding="utf-8")):
        codes |= {r[c] for c in ("id", "iso3", "cow_abb") if r[c]}  # "AU" (iso2) was the African Union first
    orgs = [r["id"] for r in csv.DictReader((ACTORS / "organisations.csv").open(encoding="utf-8"))]
    assert len(orgs) == len(set(orgs))
    assert not codes & set(orgs)


def test_knowledge_bounded_memberships_of_added_groupings():
    k = knowledge()

    def members(org: str, day: str) -> set[str]:
        return {m.member for m in k.actors[org].members if m.active(date.fromisoformat(day))}

    assert members("VISEGRAD_GROUP", "2024-01-01") == {"CZE", "HUN", "POL", "SVK"}
    assert members("VISEGRAD_GROUP", "1992-01-01") == {"CSK", "HUN", "POL"}
    assert members("FIVE_EYES", "2024-01-01") == {"AUS", "CAN", "GBR", "NZL", "USA"}
    assert len(members("SAARC", "2024-01-01")) == 8 and "AFG" not in members("SAARC", "2000-01-01")
    assert len(members("BUCHAREST_NINE", "2024-01-01")) == 9


def test_knowledge_an_id_taken_twice_is_refused(monkeypatch):
    # an organisation under a state's code would have hidden the state silently
    from diplograph.errors import DataFileError
    from diplograph.mentions import knowledge as K

    real = K._read

    def read(name: str) -> list[dict[str, str]]:
        rows = real(name)
        if name == "organisations.csv":
            rows = [*rows, {**rows[-1], "id": "NAM", "name": "Non-Aligned Movement"}]
        return rows

    monkeypatch.setattr(K, "_read", read)
    K.knowledge.cache_clear()
    try:
        with pytest.raises(DataFileError, match="organisations.csv NAM: id already taken by Namibia"):
            K.knowledge()
    finally:
        monkeypatch.undo()
        K.knowledge.cache_clear()
    assert K.knowledge().actors["NAM"].name == "Namibia"
