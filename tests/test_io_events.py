"""Event-data importers: TKG benchmark folders, ICEWS .tab, GDELT 2.0, POLECAT."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import SourceError


def tkg_folder(root: Path, name: str = "ICEWS14", facts: str | None = None) -> Path:
    d = root / name
    d.mkdir()
    (d / "entity2id.txt").write_text(
        "Government_(Kazakhstan)\t0\nForeign_Affairs_(Israel)\t1\nSomebody_Unknown\t2\nKazakhstan\t3\n"
        '"Nicholas ""Nick"" Unknown"\t4\n', encoding="utf-8")
    (d / "relation2id.txt").write_text(
        "Sign_formal_agreement\t0\nMake_a_visit\t1\nHost_a_visit\t2\nMake_statement\t3\n"
        "Express_intent_to_cooperate\t4\n", encoding="utf-8")
    (d / "train.txt").write_text(facts if facts is not None else
                                 "0\t0\t1\t1\n1\t1\t0\t32\n0\t2\t1\t60\n0\t3\t1\t60\n2\t1\t0\t61\n", encoding="utf-8")
    (d / "valid.txt").write_text("0\t4\t1\t300\n", encoding="utf-8")
    (d / "test.txt").write_text("0\t1\t3\t365\n", encoding="utf-8")
    return d


def test_io_tkg_maps_actors_relations_and_days(graph, tmp_path):
    report = graph.import_dataset("tkg", tkg_folder(tmp_path))
    assert report.source_name == "ICEWS14" and report.rows == 7 and report.n_bad == 0
    assert report.skipped == {"events of a type diplograph does not keep": 1,
                              "events with an actor diplograph does not know": 1, "events within one actor": 1}
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    assert set(claims) == {"train:1", "train:2", "train:3", "valid:1"}
    sign = claims["train:1"]
    assert (sign.type, sign.subject.id, sign.object.id, sign.date.value) == ("agreement_signed", "KAZ", "ISR", "2014-01-01")
    assert "Government_(Kazakhstan)" in sign.evidence_text  # the role stays readable
    visit = claims["train:2"]
    assert (visit.type, visit.subject.id, visit.object.id, visit.date.value) == ("visit", "ISR", "KAZ", "2014-02-01")
    hosted = claims["train:3"]  # "Host a visit": the object is the visitor
    assert (hosted.subject.id, hosted.object.id, hosted.date.value) == ("ISR", "KAZ", "2014-03-01")
    assert claims["valid:1"].modality == "planned" and claims["valid:1"].codes["cameo"] == "03"
    rows = graph.timeline("KAZ", "ISR")
    assert rows and all(r.evidence.dataset == "ICEWS14" for r in rows)


@pytest.mark.parametrize("name, t, day", [("ICEWS18", "48", "2018-01-03"), ("ICEWS05-15", "31", "2005-02-01")])
def test_io_tkg_time_units(graph, tmp_path, name, t, day):
    d = tkg_folder(tmp_path, name, facts=f"0\t0\t1\t{t}\n")
    (d / "valid.txt").write_text("")
    (d / "test.txt").write_text("")
    graph.import_dataset("tkg", d)
    assert [c.date.value for c in graph.store.claims()] == [day]


def test_io_tkg_malformed_lines(graph, tmp_path):
    d = tkg_folder(tmp_path, facts="0\t0\t1\t1\n0\t0\tx\t2\n0\t9\t1\t3\n0\t0\n")
    with pytest.raises(SourceError) as e:
        graph.import_dataset("tkg", d)
    assert e.value.line == 2 and e.value.source.endswith("train.txt") and graph.store.count_claims() == 0
    report = graph.import_dataset("tkg", d, keep_going=True)
    assert [n for n, _ in report.bad_rows] == [2, 3, 4]
    assert "relation id 9" in report.bad_rows[1][1]
    assert graph.store.count_claims() == report.added == 2  # line 1 and valid.txt; test.txt is one actor


def test_io_tkg_unknown_folder(graph, tmp_path):
    d = tkg_folder(tmp_path, "WIKI99")
    with pytest.raises(SourceError, match="unknown TKG dataset"):
        graph.import_dataset("tkg", d)
    with pytest.raises(SourceError, match="not a TKG benchmark folder"):
        graph.import_dataset("tkg", tmp_path)


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
                "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
                "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude")


def icews_row(eid: str, day: str, src: str, scountry: str, text: str, code: str, tgt: str, tcountry: str) -> str:
    fields = [eid, day, src, "Government", scountry, text, code, "3.0", tgt, "Government", tcountry,
              "2900001", "1", "Xinhua News Agency", "Tashkent", "", "Toshkent", scountry, "41.3", "69.2"]
    return "\t".join(fields)


def test_io_icews_tab(graph, tmp_path):
    f = tmp_path / "events.2014.tab"
    f.write_text("\n".join([
        ICEWS_HEADER,
        icews_row("1001", "2014-03-02", "Government (Kazakhstan)", "Kazakhstan", "Sign formal agreement", "057",
                  "Foreign Affairs (Israel)", "Israel"),
        icews_row("1002", "2014-03-03", "Shavkat Mirziyoyev", "Uzbekistan", "Host a visit", "043",
                  "Vladimir Putin", "Russian Federation"),
        icews_row("1003", "2014-03-04", "Some Columnist", "Uzbekistan", "Make statement", "010",
                  "Russia", "Russia"),
        icews_row("1004", "2014-13-04", "Russia", "Russia", "Make a visit", "042", "Uzbekistan", "Uzbekistan"),
        "1005\t2014-03-05\ttoo few fields",
    ]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as e:
        graph.import_dataset("icews", f)
    assert e.value.line == 5
    report = graph.import_dataset("icews", f, keep_going=True)
    assert [n for n, _ in report.bad_rows] == [5, 6]
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    assert set(claims) == {"1001", "1002"}
    assert (claims["1001"].subject.id, claims["1001"].object.id, claims["1001"].type) == ("KAZ", "ISR", "agreement_signed")
    # the host is the target's visitor: Russia visits Uzbekistan
    assert (claims["1002"].subject.id, claims["1002"].object.id, claims["1002"].type) == ("RUS", "UZB", "visit")
    assert claims["1002"].codes["source"] == "ICEWS"


def gdelt_row(eid: str, day: str, a1: str, a1cc: str, code: str, a2: str, a2cc: str) -> str:
    f = [""] * 61
    f[0], f[1], f[2], f[3], f[4] = eid, day, day[:6], day[:4], "2024.1"
    f[5], f[6], f[7], f[12] = a1cc + "GOV", a1, a1cc, "GOV"
    f[15], f[16], f[17], f[22] = a2cc + "GOV", a2, a2cc, "GOV"
    f[25], f[26], f[27], f[28], f[29], f[30] = "1", code, code[:3], code[:2], "1", "3.4"
    f[59], f[60] = day + "120000", f"https://news.example.org/{eid}"
    return "\t".join(f)


@pytest.mark.parametrize("zipped", [False, True])
def test_io_gdelt_export(graph, tmp_path, zipped):
    lines = [
        gdelt_row("1100001", "20240115", "UZBEKISTAN", "UZB", "042", "TURKEY", "TUR"),
        gdelt_row("1100002", "20240116", "KAZAKHSTAN", "KAZ", "0311", "CHINA", "CHN"),
        gdelt_row("1100003", "20240116", "KAZAKHSTAN", "KAZ", "111", "CHINA", "CHN"),
        gdelt_row("1100004", "20240116", "REBELS", "", "190", "MALI", "MLI"),
        "1100005\t20240117\tshort",
    ]
    text = "\n".join(lines) + "\n"
    if zipped:
        f = tmp_path / "20240117000000.export.CSV.zip"
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("20240117000000.export.CSV", text)
    else:
        f = tmp_path / "20240117000000.export.CSV"
        f.write_text(text, encoding="utf-8")
    report = graph.import_dataset("gdelt", f, keep_going=True)
    assert report.n_bad == 1 and report.bad_rows[0][0] == 5 and "61" in report.bad_rows[0][1]
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    assert set(claims) == {"1100001", "1100002"}
    assert (claims["1100001"].type, claims["1100001"].subject.id, claims["1100001"].object.id) == ("visit", "UZB", "TUR")
    assert claims["1100002"].modality == "planned" and claims["1100002"].codes["cameo"] == "0311"
    assert "news.example.org" in claims["1100001"].evidence_text
    assert report.skipped["events with an actor diplograph does not know"] == 1


POLECAT_HEADER = ("Event ID\tEvent Date\tEvent Type\tEvent Mode\tEvent Intensity\tQuad Code\tContexts\tActor Name\t"
                  "Actor Country\tActor COW\tPrimary Actor Sector\tRecipient Name\tRecipient Country\tRecipient COW\t"
                  "Primary Recipient Sector\tPlacename\tCountry\tLatitude\tLongitude\tPublication Date\tLanguage")


def test_io_polecat(graph, tmp_path):
    def row(eid, day, et, mode, a, acc, r, rcc):
        fields = [eid, day, et, mode, "1", "VERBAL COOPERATION", "", a, acc, "", "GOV", r, rcc, "", "GOV",
                  "Ankara", "TUR", "39.9", "32.8", day, "en"]
        return "\t".join(fields)

    f = tmp_path / "ngecEvents.20240101-20240107.txt"
    f.write_text("\n".join([
        POLECAT_HEADER,
        row("20240102-0001", "2024-01-02", "CONSULT", "visit", "Shavkat Mirziyoyev", "UZB", "Recep Erdogan", "TUR"),
        row("20240103-0002", "2024-01-03", "AID", "military", "Turkey", "TUR", "Azerbaijan", "AZE"),
        row("20240103-0003", "2024-01-03", "ACCUSE", "", "Russia", "RUS", "Ukraine", "UKR"),
        row("20240104-0004", "2024-01-04", "CONSULT", "multilateral", "Officials", "USA;GBR", "Iran", "IRN"),
        row("20240104-0005", "Jan 4", "CONSULT", "visit", "Russia", "RUS", "China", "CHN"),
    ]) + "\n", encoding="utf-8")
    report = graph.import_dataset("polecat", f, keep_going=True)
    assert [n for n, _ in report.bad_rows] == [6]
    claims = {c.codes["record"]: c for c in graph.store.claims()}
    assert set(claims) == {"20240102-0001", "20240103-0002"}
    assert (claims["20240102-0001"].type, claims["20240102-0001"].subject.id) == ("visit", "UZB")
    assert claims["20240103-0002"].type == "military_cooperation" and claims["20240103-0002"].codes["plover"] == "AID"


def test_io_cli_import_report_and_sources(db_path, tmp_path):
    d = tkg_folder(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["import", "tkg", str(d), "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert "ICEWS14: 7 rows read, 4 claims (4 new)" in res.output
    res = runner.invoke(main, ["claims", "--csv", "--db", str(db_path)])
    assert res.exit_code == 0 and "ICEWS14 train:1" in res.output
    res = runner.invoke(main, ["facts", "--csv", "--db", str(db_path)])
    assert res.exit_code == 0 and ",ICEWS14," in res.output
    res = runner.invoke(main, ["import", "icews", str(tmp_path / "missing.tab"), "--db", str(db_path)])
    assert res.exit_code != 0 and "missing.tab" in res.output


def test_io_failure_after_batches_were_written_rolls_back_all(graph, tmp_path, monkeypatch):
    from diplograph.io import common

    monkeypatch.setattr(common, "BATCH", 2)  # flush every two claims
    good = "".join(f"0\t0\t1\t{t}\n" for t in range(1, 8))
    d = tkg_folder(tmp_path, facts=good + "0\t0\t1\tnever\n")
    with pytest.raises(SourceError) as e:
        graph.import_dataset("tkg", d)
    assert e.value.line == 8
    assert graph.store.count_claims() == 0
    report = graph.import_dataset("tkg", d, keep_going=True)
    assert report.added == graph.store.count_claims() == 8  # 7 in train, 1 in valid
