"""Alliance and membership importers: ATOP, COW Formal Alliances, COW IGO."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import SourceError

ATOP_HEADER = ("atopid,cowid,cow4id,member,yrent,moent,dayent,yrexit,moexit,dayexit,ineffect,bilat,phase,maxphase,"
               "defense,offense,neutral,nonagg,consul,version")
# a bilateral defence pact still in force; a three-member consultation pact that one
# member leaves; Czechoslovakia (315) leaving before Uzbekistan joins; day/month unknown
ATOP_ROWS = [
    "9001,,,365,2005,11,14,0,0,0,1,1,0,0,1,0,0,0,1,5.1",
    "9001,,,704,2005,11,14,0,0,0,1,1,0,0,1,0,0,0,1,5.1",
    "9002,,,705,1995,0,0,0,0,0,1,0,0,0,0,0,0,1,1,5.1",
    "9002,,,702,1995,6,0,2001,3,10,1,0,0,0,0,0,0,1,1,5.1",
    "9002,,,315,1990,1,1,1992,12,31,0,0,0,0,0,0,0,1,0,5.1",
    "9002,,,704,1996,2,20,0,0,0,1,0,0,0,0,0,0,1,1,5.1",
]


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def atop_file(tmp_path: Path) -> Path:
    return write(tmp_path / "atop.csv", ATOP_HEADER, ATOP_ROWS)


def test_io_atop_pairs_dates_and_obligations(graph, atop_file):
    report = graph.import_dataset("atop", atop_file)
    assert report.n_bad == 0 and report.rows == 6
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    a = claims["9001:0:365:704"]
    assert (a.type, a.subject.id, a.object.id, a.subtype) == ("alliance", "RUS", "UZB", "defense+consultation")
    assert a.date.value == "2005-11-14" and a.codes["source"] == "ATOP 5.1"
    # later of the two entries; a month-only entry stays a month, a year a year
    assert claims["9002:0:702:705"].date.value == "1995-06"
    assert claims["9002:0:702:704"].date.value == "1996-02-20"
    assert claims["9002:0:702:705"].subtype == "nonaggression+consultation"
    # Tajikistan (702) left: its pairs end; the others go on
    ender = claims["9002:0:702:705:exit"]
    assert (ender.type, ender.subtype, ender.date.value) == ("other", "withdrawal", "2001-03-10")
    assert "9002:0:704:705:exit" not in claims
    # Czechoslovakia left (1992) before Kazakhstan and Uzbekistan joined: no pair at all
    assert "9002:0:315:704" not in claims and "9002:0:315:705" not in claims
    assert len([r for r in claims if not r.endswith(":exit")]) == 4


def test_io_atop_states_end_at_exit(graph, atop_file):
    graph.import_dataset("atop", atop_file)
    before = {r.partner.id for r in graph.allies("TJK", at="2000-06-01").rows}
    after = {r.partner.id for r in graph.allies("TJK", at="2002-01-01").rows}
    assert before == {"KAZ", "UZB"} and after == set()
    assert {r.partner.id for r in graph.allies("UZB", at="2010-01-01").rows} == {"RUS", "KAZ"}
    rows = graph.allies("UZB", at="2010-01-01", source="atop").rows
    assert rows and all(r.sources == "dataset" and r.evidence.dataset == "ATOP 5.1" for r in rows)
    assert graph.allies("UZB", at="2010-01-01", source="extracted").rows == []
    assert graph.allies("UZB", at="2010-01-01", source="gdelt").rows == []
    assert len(graph.allies("UZB", at="2010-01-01", source="all").rows) == 2


def test_io_atop_malformed_row_rolls_back_everything(graph, tmp_path):
    bad = write(tmp_path / "atop.csv", ATOP_HEADER, [*ATOP_ROWS[:3], "9002,,,702,199x,6,0,0,0,0,1,0,0,0,0,0,0,1,1,5.1",
                                                     *ATOP_ROWS[3:]])
    with pytest.raises(SourceError) as e:
        graph.import_dataset("atop", bad)
    assert e.value.line == 5 and "199x" in str(e.value) and "--keep-going" in str(e.value)
    assert graph.store.count_claims() == 0


def test_io_atop_keep_going_skips_and_reports(graph, tmp_path):
    bad = write(tmp_path / "atop.csv", ATOP_HEADER, [*ATOP_ROWS, "9003,,,2,1950,13,1,0,0,0,1,1,0,0,1,0,0,0,0,5.1",
                                                     "9003,,,20"])
    report = graph.import_dataset("atop", bad, keep_going=True)
    assert report.n_bad == 2 and [n for n, _ in report.bad_rows] == [8, 9]
    assert "month 13" in report.bad_rows[0][1]
    assert "expected 20 fields" in report.bad_rows[1][1]
    assert graph.store.count_claims() == report.added > 0


def test_io_atop_reimport_adds_nothing(graph, atop_file):
    first = graph.import_dataset("atop", atop_file)
    again = graph.import_dataset("atop", atop_file)
    assert first.added > 0 and again.added == 0 and graph.store.count_claims() == first.added


def test_io_atop_wrong_layout_and_missing_file(graph, tmp_path):
    with pytest.raises(SourceError, match="no column"):
        graph.import_dataset("atop", write(tmp_path / "x.csv", "a,b,c", ["1,2,3"]))
    with pytest.raises(SourceError, match="no such file"):
        graph.import_dataset("atop", tmp_path / "nope.csv")
    with pytest.raises(SourceError, match="unknown dataset format"):
        graph.import_dataset("atlas", tmp_path / "x.csv")


COW_HEADER = ("version4id,ccode,state_name,dyad_st_day,dyad_st_month,dyad_st_year,left_day,left_month,left_year,"
              "defense,neutrality,nonaggression,entente,version")


def test_io_cow_alliance_member_file(graph, tmp_path):
    f = write(tmp_path / "alliance_v4.1_by_member.csv", COW_HEADER, [
        "501,2,United States of America,1,4,1949,,,,1,0,1,1,4.1",
        "501,200,United Kingdom,4,4,1949,,,,1,0,1,1,4.1",
        "501,220,France,4,4,1949,7,3,1966,1,0,1,1,4.1",
        "502,2,United States of America,,,1951,,,,0,0,0,1,4.1",
        "502,740,Japan,8,9,1951,,,,0,0,0,1,4.1",
    ])
    report = graph.import_dataset("cow-alliance", f)
    assert report.source_name == "COW Formal Alliances v4.1" and report.n_bad == 0
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    assert claims["501:2:200"].subtype == "defense+nonaggression+entente"
    assert claims["501:2:200"].date.value == "1949-04-04"
    assert claims["502:2:740"].date.value == "1951-09-08" and claims["502:2:740"].subtype == "entente"
    assert claims["501:2:220:exit"].date.value == "1966-03-07"
    assert {r.partner.id for r in graph.allies("FRA", at="1960-01-01").rows} == {"USA", "GBR"}
    assert graph.allies("FRA", at="1970-01-01").rows == []


IGO_HEADER = "stateID,StateName,igoID,Title,cowigoNR,Beg,End"


def test_io_cow_igo_memberships(graph, tmp_path):
    f = write(tmp_path / "igo.csv", IGO_HEADER, [
        "UZB,uzbekistan,CSTO,Collective Security Treaty Organization (CSTO),4995,2006,2011",
        "KAZ,kazakhstan,CSTO,Collective Security Treaty Organization (CSTO),4995,2002,2014",
        "UZB,uzbekistan,WPFUND,World Pasta Fund,9999,1999,2014",
        "KAZ,kazakhstan,CSTO,Collective Security Treaty Organization (CSTO),4995,20x2,2014",
        "KAZ,kazakhstan,CSTO",
    ])
    with pytest.raises(SourceError, match=r"igo.csv:5"):
        graph.import_dataset("cow-igo", f)
    report = graph.import_dataset("cow-igo", f, keep_going=True)
    assert [n for n, _ in report.bad_rows] == [5, 6] and "expected 7 fields" in report.bad_rows[1][1]
    assert report.skipped["spells in organisations diplograph does not know"] == 1
    assert {r.partner.id for r in graph.members("CSTO", at="2010-06-01")} == {"KAZ", "UZB"}
    assert {r.partner.id for r in graph.members("CSTO", at="2013-06-01")} == {"KAZ"}


ATOP_REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "alliances" / "atop5_1m.csv"


def test_io_atop_real_uzbekistan_allied_with_russia_in_2006(db_path):
    if not ATOP_REAL.exists():
        pytest.skip("../shared/data/alliances/atop5_1m.csv is not beside this checkout")
    runner = CliRunner()
    res = runner.invoke(main, ["import", "atop", str(ATOP_REAL), "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["allies", "Uzbekistan", "--at", "2006-01-01", "--source", "atop", "--json",
                               "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    import json

    rows = [json.loads(x) for x in res.output.splitlines()]
    partners = {r["partner_id"]: r for r in rows if r["section"] == "established"}
    assert "RUS" in partners and partners["RUS"]["source"] == "ATOP 5.1"
    assert "SUN" not in partners and "CSK" not in partners  # gone by 2006


def test_io_dataset_and_article_claims_merge_only_when_an_article_dates_them(graph, atop_file):
    from diplograph.models import ActorRef, Claim, PartialDate

    graph.import_dataset("atop", atop_file)
    rus, uzb, kaz = (ActorRef(i, n, "state") for i, n in (("RUS", "Russia"), ("UZB", "Uzbekistan"),
                                                           ("KAZ", "Kazakhstan")))

    def claim(a, b, day):
        return Claim(doc="d1", type="alliance", subject=a, object=b, modality="asserted", evidence_text="...",
                     evidence_start=0, evidence_end=3, date=PartialDate.parse(day) if day else None)

    with graph.store.transaction():
        graph.store.add_claims([claim(uzb, rus, "2005-11"), claim(uzb, kaz, None)], doc_id="d1")
    graph.rebuild()
    facts = {(f.subject.id, f.object.id): f for f in graph.facts(type="alliance")}
    both = graph.store.fact(facts[("RUS", "UZB")].id)
    assert both["source_kinds"] == "dataset,extracted" and both["n_sources"] == 2
    assert facts[("RUS", "UZB")].date.value == "2005-11-14"  # the more precise date wins
    # the undated sentence stays its own fact beside the 1996 ATOP record
    kinds = sorted(graph.store.fact(f.id)["source_kinds"] for f in graph.facts(type="alliance")
                   if {f.subject.id, f.object.id} == {"KAZ", "UZB"})
    assert kinds == ["dataset", "extracted"]


def test_io_cow_igo_state_codes_are_iso_first_then_cow_then_by_name():
    from datetime import date

    from diplograph.io.igo import state_of

    day = date(2000, 1, 1)
    # manystates ids are ISO 3166 where one exists: AUS is Australia (COW's Austria), SLV El Salvador
    assert state_of({"stateID": "AUS", "StateName": "australia"}, day).id == "AUS"
    assert state_of({"stateID": "SLV", "StateName": "elsalvador"}, day).id == "SLV"
    assert state_of({"stateID": "ALG", "StateName": "algeria"}, day).id == "DZA"  # a COW code
    # blank, doubled or shared ids go by the name
    assert state_of({"stateID": "", "StateName": "soafrica"}, day).id == "ZAF"
    assert state_of({"stateID": "GIN - GNQ", "StateName": "eqguinea"}, day).id == "GNQ"
    assert state_of({"stateID": "KOR", "StateName": "nokorea"}, day).id == "PRK"
    assert state_of({"stateID": "VNM", "StateName": "svietnam"}, date(1960, 1, 1)) is None
