"""The scorer (diplograph.evaluation), the gold files under eval/, and `diplograph eval`."""

from __future__ import annotations

import csv

import json
import re
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import SourceError
from diplograph.evaluation import dates_compatible, load_claims, score
from diplograph.models import CLAIM_TYPES, MODALITIES

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
def _reference_ids(name: str) -> set[str]:
    with (ROOT / "diplograph" / "data" / "actors" / name).open(encoding="utf-8") as f:
        return {row["id"] for row in csv.DictReader(f)}


# non-state actors a gold claim may name: the reference data's organisations, accords and
# groups (what the extractor can resolve), and the "Africa" aggregate of the first articles
ORG_IDS = _reference_ids("organisations.csv") | _reference_ids("groups.csv") | {"AFRICA"}
UNITS = {"persons", "percent", "tonnes", "cubic_metres"}


def claim(type_="alliance", s="UZB", o="KAZ", date=None, modality="asserted", doc="a.txt", **kw):
    c = {"doc": doc, "type": type_, "subject": {"id": s} if s else None,
         "object": {"id": o} if o else None, "date": {"value": date}, "modality": modality}
    c.update(kw)
    return c


def counts(report):
    o = report.overall
    return o.matched, o.predicted, o.support


# --- matching rules ---------------------------------------------------------------------

@pytest.mark.parametrize("type_,reverse_matches", [
    ("alliance", True), ("strategic_partnership", True), ("diplomatic_relations", True),
    ("military_cooperation", True), ("agreement_signed", True), ("summit_meeting", True),
    ("visit", False), ("embassy_opened", False), ("arms_transfer", False),
    ("conflict_action", False), ("agreement_ratified", False), ("accession_membership", False),
])
def test_evaluation_symmetric_and_directed_types(type_, reverse_matches):
    gold = [claim(type_, "UZB", "KAZ", "2022")]
    report = score([claim(type_, "KAZ", "UZB", "2022")], gold)
    assert report.overall.matched == (1 if reverse_matches else 0)


def test_evaluation_trade_turnover_symmetric_exports_directed():
    q = {"value": 100, "unit": "USD", "metric": "trade_turnover"}
    assert score([claim("quantity", "KAZ", "UZB", quantity=q)], [claim("quantity", quantity=q)]).overall.matched == 1
    q = {"value": 100, "unit": "USD", "metric": "exports"}
    assert score([claim("quantity", "KAZ", "UZB", quantity=q)], [claim("quantity", quantity=q)]).overall.matched == 0
    # a turnover target is turnover too; an export target keeps its direction
    q = {"value": 100, "unit": "USD", "metric": "trade_turnover_target"}
    assert score([claim("quantity", "KAZ", "UZB", quantity=q)], [claim("quantity", quantity=q)]).overall.matched == 1
    q = {"value": 100, "unit": "USD", "metric": "exports_target"}
    assert score([claim("quantity", "KAZ", "UZB", quantity=q)], [claim("quantity", quantity=q)]).overall.matched == 0


def test_evaluation_parties_compare_as_sets():
    parties = lambda ids: [{"id": i} for i in ids]
    gold = [claim("summit_meeting", "CHN", "KAZ", parties=parties(["CHN", "KAZ", "UZB"]))]
    same = claim("summit_meeting", "UZB", "CHN", parties=parties(["UZB", "CHN", "KAZ"]))
    fewer = claim("summit_meeting", "CHN", "KAZ")
    assert counts(score([same], gold)) == (1, 1, 1)
    assert counts(score([fewer], gold)) == (0, 1, 1)


@pytest.mark.parametrize("extracted,alt,matched", [
    ("asserted", None, 1), ("speculative", None, 0), ("speculative", "speculative", 1),
    ("negated", "speculative", 0),
])
def test_evaluation_modality_and_modality_alt(extracted, alt, matched):
    gold = claim(modality="asserted")
    if alt:
        gold["modality_alt"] = alt
    assert score([claim(modality=extracted)], [gold]).overall.matched == matched


@pytest.mark.parametrize("gold,extracted,ok", [
    (None, None, True), (None, "2022-12-22", True),           # gold null accepts any date
    ("2022", None, False),                                    # extracted null only for gold null
    ("2022", "2022-12-22", True), ("2022-12-22", "2022", True),  # prefix either way
    ("2022-12", "2022-12-22", True), ("2022-12-22", "2022-12-21", False),
    ("2022", "2023", False), ("2022-11", "2022-12", False),
    ("2025-03-10/2025-03-16", "2025-03-12", True),            # inside the gold interval
    ("2025-03-10/2025-03-16", "2025-03-17", False),
    ("2025-03-10/2025-03-16", "2025-03", True),               # coarser date covering it
    ("2025-03-10/2025-03-16", "2025-04", False),
])
def test_evaluation_date_compatibility(gold, extracted, ok):
    assert dates_compatible(gold, extracted) is ok
    assert score([claim(date=extracted)], [claim(date=gold)]).overall.matched == int(ok)


@pytest.mark.parametrize("value,unit,matched", [
    (211_000_000, "USD", 1), (212_000_000, "USD", 1), (213_200_000, "USD", 0),
    (209_000_000, "USD", 1), (208_000_000, "USD", 0), (211_000_000, "EUR", 0),
])
def test_evaluation_quantity_within_one_percent(value, unit, matched):
    g = claim("quantity", "ISR", "UZB", "2023", quantity={"value": 211_000_000, "unit": "USD", "metric": "trade_turnover"})
    e = claim("quantity", "ISR", "UZB", "2023", quantity={"value": value, "unit": unit, "metric": "trade_turnover"})
    assert score([e], [g]).overall.matched == matched


def test_evaluation_optional_gold_neither_required_nor_penalised():
    gold = [claim(), claim("alliance", "AZE", "ISR", optional=True)]
    # extracting the optional one: not counted in precision; missing it: not counted in recall
    report = score([claim(), claim("alliance", "AZE", "ISR")], gold)
    assert counts(report) == (1, 1, 1)
    assert report.overall.excluded == 1
    assert counts(score([claim()], gold)) == (1, 1, 1)


def test_evaluation_undated_accession_without_counterpart_is_not_penalised():
    gold = [claim("accession_membership", "KAZ", "ABRAHAM_ACCORDS", "2025-11")]
    roster = claim("accession_membership", "KAZ", "CSTO")              # undated, no gold: excluded
    dated = claim("accession_membership", "KGZ", "CSTO", "2015")        # dated, no gold: false positive
    report = score([gold[0], roster, dated], gold)
    assert counts(report) == (1, 2, 1)
    assert report.overall.excluded == 1
    # an undated accession claim that contradicts a gold one is counted
    wrong = claim("accession_membership", "KAZ", "ABRAHAM_ACCORDS", modality="negated")
    assert counts(score([wrong], gold)) == (0, 1, 1)


def test_evaluation_one_to_one_matching():
    gold = [claim(date="2024")]
    report = score([claim(date="2024-02"), claim(date="2024-08")], gold)
    assert counts(report) == (1, 2, 1)
    # optimal assignment: the 2024 claim must go to the undated gold so both gold are matched
    gold = [claim(date=None), claim(date="2024-08")]
    assert counts(score([claim(date="2024-08"), claim(date="2023")], gold)) == (2, 2, 2)


def test_evaluation_documents_compared_by_file_name():
    gold = [claim(doc="001_x.txt")]
    assert score([claim(doc="/some/where/001_x.txt")], gold).overall.matched == 1
    assert score([claim(doc="002_y.txt")], gold).overall.matched == 0
    assert score([claim(doc="ab12cd")], gold, doc_map={"ab12cd": "001_x.txt"}).overall.matched == 1


def test_evaluation_modality_confusion_and_asserted_when_not():
    gold = [claim("alliance", "UZB", "TUR", modality="speculative"),
            claim("alliance", "UZB", "KGZ", modality="speculative"),
            claim("visit", "TUR", "KGZ", "2025-04-10", modality="negated"),
            claim("alliance", "UZB", "KAZ", "2022-12-22")]
    extracted = [claim("alliance", "UZB", "TUR", modality="asserted"),
                 claim("alliance", "KGZ", "UZB", modality="speculative"),
                 claim("visit", "TUR", "KGZ", "2025-04-10", modality="asserted"),
                 claim("alliance", "UZB", "KAZ", "2022-12-22", modality="planned")]
    report = score(extracted, gold)
    assert report.confusion == {("speculative", "asserted"): 1, ("speculative", "speculative"): 1,
                                ("negated", "asserted"): 1, ("asserted", "planned"): 1}
    assert sorted(g["type"] for g, _ in report.asserted_when_not) == ["alliance", "visit"]
    assert counts(report) == (1, 4, 4)


def test_evaluation_per_type_counts():
    gold = [claim(), claim("visit", "UZB", "KAZ", "2024")]
    report = score([claim(), claim("visit", "KAZ", "UZB", "2024")], gold)
    assert (report.per_type["alliance"].precision, report.per_type["alliance"].recall) == (1.0, 1.0)
    assert (report.per_type["visit"].precision, report.per_type["visit"].recall) == (0.0, 0.0)
    assert round(report.overall.f1, 3) == 0.5


@pytest.mark.parametrize("gold_type,ext_type,extra,relaxed", [
    ("alliance", "strategic_partnership", {}, 1),
    ("agreement_signed", "agreement_ratified", {}, 1),
    ("visit", "summit_meeting", {}, 1),
    ("military_cooperation", "arms_transfer", {}, 1),
    ("accession_membership", "other", {"subtype": "withdrawal"}, 1),
    ("alliance", "visit", {}, 0),
])
def test_evaluation_relaxed_groups_and_ignores_dates(gold_type, ext_type, extra, relaxed):
    gold = [claim(gold_type, "UZB", "KAZ", "2022")]
    ext = claim(ext_type, "UZB", "KAZ", "2019", **extra)
    report = score([ext], gold)
    assert report.overall.matched == 0
    assert report.relaxed.matched == relaxed


def test_evaluation_bad_claims_are_named():
    with pytest.raises(SourceError, match="extracted claim #1.*modality"):
        score([{"doc": "a", "type": "alliance", "modality": "maybe"}], [])
    with pytest.raises(SourceError, match="gold claim #2: bad date '2024-13'"):
        score([], [claim(), claim(date="2024-13")])


# --- gold files ---------------------------------------------------------------------------

GOLD_FILES = sorted((EVAL / "gold").rglob("*.claims.jsonl"))


def _iso3() -> set[str]:
    # the states diplograph knows (ISO 3166-1 alpha-3 ids, plus XKX for Kosovo)
    from diplograph.mentions.knowledge import knowledge

    return {a.id for a in knowledge().actors.values() if a.kind == "state"}


def test_evaluation_gold_set_size():
    articles = [f for f in GOLD_FILES if f.parent.name == "articles"]
    assert len(articles) >= 20
    assert sum(len(load_claims(f)) for f in articles) >= 250
    seeds = [f for f in GOLD_FILES if f.parent.name == "seeds"]
    assert len(seeds) == 5
    required = [c for f in GOLD_FILES for c in load_claims(f) if not c.get("optional")]
    assert {c["type"] for c in required} == set(CLAIM_TYPES)
    assert {c["modality"] for c in required} == set(MODALITIES)


TEST_SPLIT = {"014", "015", "016", "017", "018", "019", "020", "022"}  # eval/README.md
TEST2_SPLIT = {f"{n:03d}" for n in range(33, 41)}  # eval/README.md: the second held-out test set


def _split(name: str) -> str:
    return "test" if name[:3] in TEST_SPLIT else "test2" if name[:3] in TEST2_SPLIT else "dev"


@pytest.mark.parametrize("split", ["dev", "test", "test2"])
def test_evaluation_each_split_covers_every_type_and_modality(split):
    files = [f for f in GOLD_FILES if f.parent.name == "articles" and _split(f.name) == split]
    required = [c for f in files for c in load_claims(f) if not c.get("optional")]
    assert {c["type"] for c in required} == set(CLAIM_TYPES)
    assert {c["modality"] for c in required} == set(MODALITIES)


def test_evaluation_load_claims_names_bad_line(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text(json.dumps(claim()) + "\n{not json\n")
    with pytest.raises(SourceError, match=r"g.jsonl:2: not valid JSON"):
        load_claims(f)
    f.write_text(json.dumps(claim(type_="friendship")) + "\n")
    with pytest.raises(SourceError, match=r"g.jsonl:1: unknown claim type 'friendship'"):
        load_claims(f)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_evaluation_gold_file_validates(path, seeds_dir):
    iso3 = _iso3()
    claims = load_claims(path)  # parses, known types and modalities
    assert claims
    doc_dir = seeds_dir if path.parent.name == "seeds" else EVAL / "articles"
    for n, c in enumerate(claims, 1):
        where = f"{path.name}:{n}"
        doc = doc_dir / c["doc"]
        assert doc.is_file(), where
        assert path.name == Path(c["doc"]).stem + ".claims.jsonl", where
        actors = [c.get("subject"), c.get("object"), *(c.get("parties") or [])]
        for a in filter(None, actors):
            kind, aid = a["kind"], a["id"]
            assert (aid in iso3) if kind == "state" else (aid in ORG_IDS), f"{where}: {aid}"
        if c.get("parties"):
            assert len(c["parties"]) >= 3, where
        assert c.get("modality_alt") in (None, *MODALITIES), where
        d = c["date"]["value"]
        if d is not None:
            assert dates_compatible(d, d), where  # parses
        if c["type"] == "quantity":
            q = c["quantity"]
            assert q["unit"] in UNITS or re.fullmatch(r"[A-Z]{3}", q["unit"]), where
        text = doc.read_text(encoding="utf-8")
        ev = c["evidence"]
        assert 0 <= ev["start"] < ev["end"] <= len(text), where
        if path.parent.name == "seeds":
            assert "text" not in ev, f"{where}: third-party evidence text must not be stored"
            # sentence-ish boundaries: starts a line or follows a sentence end, ends one
            before = text[: ev["start"]].rstrip()
            assert before == "" or "\n" in text[len(before): ev["start"]] or before[-1] in ".!?”\"’)", where
            assert text[ev["end"] - 1] in ".!?”\"’)" or text[ev["end"]: ev["end"] + 1] in ("\n", ""), where
        else:
            assert ev["text"] == text[ev["start"]: ev["end"]], where


# --- CLI ----------------------------------------------------------------------------------

def test_evaluation_cli_summary(tmp_path):
    gold = [claim(doc="d.txt"), claim("visit", "UZB", "TUR", modality="planned", doc="d.txt"),
            claim("alliance", "UZB", "TUR", modality="speculative", doc="d.txt")]
    pred = [claim(doc="/x/d.txt"), claim("alliance", "UZB", "TUR", doc="d.txt"),
            claim("embassy_opened", "UZB", "TUR", doc="d.txt")]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(c) for c in gold) + "\n")
    (tmp_path / "pred.jsonl").write_text("\n".join(json.dumps(c) for c in pred) + "\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl"), "--pred", str(tmp_path / "pred.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-3:] == [
        "overall  P=0.333  R=0.333  F1=0.333  (matched 1, predicted 3, support 3, excluded 0)",
        "relaxed  P=0.333  R=0.333  F1=0.333",
        "asserted when not: 1",
    ]
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl"), "--pred", str(tmp_path / "pred.jsonl"), "--json"])
    rep = json.loads(result.output)
    assert rep["overall"]["matched"] == 1 and rep["modality_confusion"] == {"asserted->asserted": 1, "speculative->asserted": 1}


def test_evaluation_cli_needs_predictions(tmp_path):
    (tmp_path / "gold.jsonl").write_text(json.dumps(claim()) + "\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl")])
    assert result.exit_code != 0
    assert "nothing to score" in result.output


def test_evaluation_cli_extract_without_extractor(tmp_path, monkeypatch):
    # Until diplograph.claims exists (or when it cannot be imported), --extract says what to do.
    monkeypatch.setitem(sys.modules, "diplograph.claims", None)
    (tmp_path / "gold.jsonl").write_text(json.dumps(claim()) + "\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl"), "--extract"])
    assert result.exit_code != 0
    assert "no extractor" in result.output and "--pred FILE" in result.output


def test_evaluation_cli_extract_runs_extractor_on_gold_documents(tmp_path, monkeypatch):
    calls = []

    def extract_claims(text, *, doc, published):
        calls.append((doc, text, published.value if published else None))
        return [claim(doc=doc)]

    fake = types.ModuleType("diplograph.claims")
    fake.extract_claims = extract_claims
    monkeypatch.setitem(sys.modules, "diplograph.claims", fake)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Uzbekistan and Kazakhstan established alliance relations.\n")
    (tmp_path / "gold.jsonl").write_text(json.dumps(claim(doc="a.txt")) + "\n")
    (tmp_path / "pub.tsv").write_text("a.txt\t2025-12\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl"), "--extract", "--docs", str(docs),
                                       "--published-map", str(tmp_path / "pub.tsv")])
    assert result.exit_code == 0, result.output
    assert calls == [("a.txt", "Uzbekistan and Kazakhstan established alliance relations.", "2025-12")]
    assert result.output.splitlines()[-3].startswith("overall  P=1.000  R=1.000  F1=1.000")


def test_evaluation_cli_extract_missing_document(tmp_path, monkeypatch):
    fake = types.ModuleType("diplograph.claims")
    fake.extract_claims = lambda text, *, doc, published: []
    monkeypatch.setitem(sys.modules, "diplograph.claims", fake)
    (tmp_path / "gold.jsonl").write_text(json.dumps(claim(doc="missing.txt")) + "\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold.jsonl"), "--extract", "--docs", str(tmp_path)])
    assert result.exit_code != 0
    assert "missing.txt: document not found" in result.output and "--docs DIR" in result.output
