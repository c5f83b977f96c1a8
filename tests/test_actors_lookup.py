"""Reference knowledge of actors: lookups by every kind of name, actor(), memberships and
groups over time, office-holders, and the integrity of the data files."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from diplograph.errors import UnknownActor
from diplograph.mentions.actors import actor, expand_group, lookup, members
from diplograph.mentions.knowledge import knowledge


@pytest.mark.parametrize("query, expected", [
    ("UZB", "UZB"), ("uzb", "UZB"), ("UZ", "UZB"), ("704", "UZB"),  # ISO3, ISO2, COW number
    ("KZK", "KAZ"), ("KYR", "KGZ"),  # COW letter codes
    ("Uzbekistan", "UZB"), ("Republic of Uzbekistan", "UZB"),  # names
    ("Türkiye", "TUR"), ("turkiye", "TUR"), ("Kirghizia", "KGZ"), ("Kazakstan", "KAZ"),  # aliases
    ("Burma", "MMR"), ("Swaziland", "SWZ"), ("Ivory Coast", "CIV"), ("Czechia", "CZE"),
    ("Uzbek", "UZB"), ("Azeri", "AZE"), ("Kyrgyz", "KGZ"), ("Israeli", "ISR"),  # demonyms
    ("Tashkent", "UZB"), ("Nur-Sultan", "KAZ"), ("Almaty", "KAZ"), ("Tel Aviv", "ISR"),  # capitals
    ("the Kremlin", "RUS"), ("Downing Street", "GBR"), ("the Middle Kingdom", "CHN"),  # epithets
    ("the Islamic Republic", "IRN"), ("the Elysée", "FRA"),
    ("OTS", "OTS"), ("Turkic Council", "OTS"), ("Cooperation Council of Turkic Speaking States", "OTS"),
    ("CSTO", "CSTO"), ("Abraham Accords", "ABRAHAM_ACCORDS"), ("BRI", "BRI"), ("PfP", "PFP"),
    ("the Stans", "CENTRAL_ASIA"), ("Turkic states", "TURKIC_STATES"), ("the West", "THE_WEST"),
    ("Soviet Union", "SUN"), ("Yugoslavia", "YUG"), ("Czechoslovakia", "CSK"),
    ("Kosovo", "XKX"), ("Taiwan", "TWN"), ("Palestine", "PSE"), ("Holy See", "VAT"),
])
def test_actors_lookup_by_every_kind_of_name(query, expected):
    assert expected in [a.id for a in lookup(query)]


@pytest.mark.parametrize("query, person, acts_for", [
    ("Mirziyoyev", "shavkat_mirziyoyev", "UZB"),
    ("Gideon Sa'ar", "gideon_sa_ar", "ISR"),
    ("Gideon Sa’ar", "gideon_sa_ar", "ISR"),
    ("Tokayev", "kassym_jomart_tokayev", "KAZ"),
])
def test_actors_lookup_people(query, person, acts_for):
    found = lookup(query)
    assert [a.id for a in found] == [person]
    assert {t.actor for t in found[0].office_holders} == {acts_for}


def test_actors_lookup_surname_shared_by_two_people():
    assert {a.id for a in lookup("Aliyev")} == {"heydar_aliyev", "ilham_aliyev"}


def test_actors_lookup_unknown_is_empty():
    assert lookup("Atlantis") == []


def test_actors_actor_raises_with_suggestions():
    with pytest.raises(UnknownActor) as e:
        actor("Uzbekstan")
    assert "Uzbekstan" in str(e.value) and "UZB (Uzbekistan)" in str(e.value)


def test_actors_actor_record():
    a = actor("TUR")
    assert a.name == "Turkey" and "Türkiye" in a.names
    assert a.codes == {"iso2": "TR", "iso3": "TUR", "cow_code": "640", "cow_abb": "TUR"}
    assert "Ankara" in a.capitals and "Turkish" in a.demonyms
    assert any(m.organisation == "NATO" for m in a.memberships)
    assert any(t.name == "Recep Tayyip Erdoğan" and t.role == "president" for t in a.office_holders)


@pytest.mark.parametrize("org, at, expected", [
    ("OTS", "2010-01-01", ["AZE", "KAZ", "KGZ", "TUR"]),
    ("OTS", "2022-01-01", ["AZE", "KAZ", "KGZ", "TUR", "UZB"]),
    ("ABRAHAM_ACCORDS", "2020-10-01", ["ARE", "BHR", "ISR"]),
    ("ABRAHAM_ACCORDS", "2025-12-01", ["ARE", "BHR", "ISR", "KAZ", "MAR", "SDN"]),
    ("C5_1", "2020-01-01", ["KAZ", "KGZ", "TJK", "TKM", "USA", "UZB"]),
])
def test_actors_members_at_a_date(org, at, expected):
    assert members(org, at) == expected


def test_actors_observers_are_not_full_members():
    assert "TKM" not in members("OTS", "2023-01-01")
    assert "TKM" in members("OTS", "2023-01-01", statuses=("observer",))


def test_actors_uzbekistan_in_and_out_of_csto():
    assert "UZB" in members("CSTO", "1995-01-01")
    assert "UZB" not in members("CSTO", "2001-01-01")
    assert "UZB" in members("CSTO", "2008-01-01")
    assert "UZB" not in members("CSTO", "2015-01-01")


@pytest.mark.parametrize("group, at, expected", [
    ("CENTRAL_ASIA", None, ["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
    ("TURKIC_STATES", "2015-01-01", ["AZE", "KAZ", "KGZ", "TUR"]),
    ("TURKIC_STATES", "2024-01-01", ["AZE", "KAZ", "KGZ", "TUR", "UZB"]),
    ("SOUTH_CAUCASUS", None, ["ARM", "AZE", "GEO"]),
])
def test_actors_expand_group(group, at, expected):
    assert expand_group(group, at) == expected


def test_actors_the_west_changes_with_nato():
    assert "FIN" not in expand_group("THE_WEST", "1990-01-01")
    assert "FIN" in expand_group("THE_WEST", "2024-01-01")
    assert "USA" in expand_group("THE_WEST", "2024-01-01")


@pytest.mark.parametrize("name", ["states.csv", "organisations.csv", "memberships.csv",
                                  "office_holders.csv", "groups.csv"])
def test_actors_every_record_has_a_source(name):
    text = resources.files("diplograph").joinpath("data", "actors", name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows and all(r["source"].strip() for r in rows)


def test_actors_all_un_members_and_seeds_states_are_known():
    k = knowledge()
    states = [a for a in k.actors.values() if a.kind == "state"]
    assert len(states) >= 193 + 2 + 2  # UN members, observers, Kosovo and Taiwan
    for sid in ("XKX", "TWN", "PSE", "VAT", "SUN", "YUG", "CSK"):
        assert sid in k.actors
    for a in states:
        if a.end is None:
            assert a.demonyms or a.id in ("DJI", "DMA", "MCO", "SGP", "LUX"), a.id


def test_actors_terms_of_office_are_ordered():
    for t in knowledge().terms:
        if t.start and t.end:
            assert t.start <= t.end, t
