"""The membership backtest: a synthetic COW IGO spells file where states join the
organisations of their region's partners, the CLI's JSON keys, no leakage of spells after
a cut-off into what that cut-off scored, and the live forecast labelled with its backtest."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from backtest_cli import run_backtest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import SourceError
from diplograph.forecast import backtest as bt
from diplograph.forecast import membership as mb
from diplograph.forecast.calibration import Calibration
from diplograph.mentions.knowledge import knowledge

COLS = ["stateID", "StateName", "igoID", "Title", "cowigoNR", "Beg", "End"]
# two regions of states in the state system since before 1900
EUROPE = ["GBR", "NLD", "BEL", "FRA", "ESP", "PRT", "SWE", "DNK", "CHE", "ITA", "GRC", "LUX"]
AMERICAS = ["USA", "MEX", "BRA", "ARG", "CHL", "PER", "COL", "VEN", "BOL", "URY", "PRY", "ECU"]


def _write(path: Path, rows: list[tuple[str, str, int, int]]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLS)
        for state, org, beg, end in rows:
            w.writerow([state, state.lower(), org, f"Org {org}", 1, beg, end])
    return path


def regional_world(path: Path, extra: list[tuple[str, str, int, int]] = ()) -> Path:
    """Every state belongs to one universal body from 1920. Each year a body is founded by
    three states of one region; three more of that region join a year later and two more
    the year after; no state of the other region ever joins it. The data end in 2014."""
    rows = [(s, "UNI", 1920, 2014) for s in EUROPE + AMERICAS]
    for year in range(1921, 2000):
        region = EUROPE if year % 2 else AMERICAS
        org = f"O{year}"
        members = [region[(5 * year + k) % len(region)] for k in range(8)]
        for k, s in enumerate(dict.fromkeys(members)):
            beg = year if k < 3 else year + 1 if k < 6 else year + 2
            rows.append((s, org, beg, 2014))
    return _write(path, rows + list(extra))


def test_backtest_learns_the_regional_world(tmp_path):
    m = mb.from_cow_igo(regional_world(tmp_path / "igo.csv"))
    assert len(m.orgs) == 80 and mb.data_end(m) == 2015
    res, cal = bt.replay(bt.membership_task(m), start=1970, end=1995, horizon=2.0, train_from=1950)
    assert {"brier", "ece", "precision_at_10", "n_predictions", "baselines"} <= set(res)
    assert {"organisation_size", "shared_partners", "base_rate"} == set(res["baselines"])
    for b in res["baselines"].values():
        assert res["brier"] < b["brier"]
    assert res["ece"] <= 0.05
    assert sum(cal.weights[f] for f in ("region", "partners", "region_log", "partners_log")) > 0
    assert cal.features == list(mb.FEATURES)
    assert res["n_predictions"] == sum(y["n"] for y in res["years"])
    assert res["n_positive"] == sum(y["new_memberships"] for y in res["years"]) > 0


def test_pairs_are_open_at_the_cut_off_and_outcomes_follow_it(tmp_path):
    m = mb.from_cow_igo(regional_world(tmp_path / "igo.csv"))
    f = mb.pair_features(m, 1951.0)
    y = mb.outcomes(m, 1951.0, 2.0, f)
    names = {(m.states[i].id, m.orgs[k].id) for i, k in zip(f.i, f.k)}
    # every state in the system is a candidate, but not for what it belongs to already
    assert ("USA", "UNI") not in names and ("JPN", "UNI") in names
    assert not any(org in ("O1951", "O1952") for _, org in names)  # no member before the cut-off
    joined = {(m.states[i].id, m.orgs[k].id) for i, k, v in zip(f.i, f.k, y) if v}
    # O1950 (Americas, founded 1950): three joined in 1951 and two in 1952
    assert {s for s, o in joined if o == "O1950"} == {AMERICAS[(5 * 1950 + k) % 12] for k in range(3, 8)}
    assert all(o in ("O1949", "O1950") for _, o in joined)


def test_no_leakage_spells_after_a_cut_off_change_nothing_scored_before(tmp_path):
    """Spells beginning in 1990 (Europeans joining American bodies) must change nothing
    scored before 1989 with a 2-year horizon: features, outcomes or calibration."""
    burst = [(s, f"O{y}", 1990, 2014) for s in EUROPE[:6] for y in (1980, 1982, 1984)]
    m1 = mb.from_cow_igo(regional_world(tmp_path / "a.csv"))
    m2 = mb.from_cow_igo(regional_world(tmp_path / "b.csv", burst))
    r1, _ = bt.replay(bt.membership_task(m1), start=1970, end=1995, horizon=2.0, train_from=1950)
    r2, _ = bt.replay(bt.membership_task(m2), start=1970, end=1995, horizon=2.0, train_from=1950)
    early1 = [y for y in r1["years"] if y["year"] <= 1988]
    early2 = [y for y in r2["years"] if y["year"] <= 1988]
    assert early1 == early2 and len(early1) == 19
    assert [y for y in r1["years"] if y["year"] >= 1989] != [y for y in r2["years"] if y["year"] >= 1989]
    for y in r1["years"]:
        assert y["calibrated_on"][1] + 2 <= y["year"]
    # and the features at a cut-off read nothing that begins after it
    f1, f2 = mb.pair_features(m1, 1990.0), mb.pair_features(m2, 1990.0)
    assert np.array_equal(f1.x, f2.x) and np.array_equal(f1.i, f2.i) and np.array_equal(f1.k, f2.k)


def test_a_spell_ending_before_the_data_end_is_a_former_membership(tmp_path):
    rows = [("GBR", "A", 1950, 1960), ("FRA", "A", 1950, 2014), ("NLD", "A", 1950, 2014), ("NLD", "B", 1950, 2014)]
    m = mb.from_cow_igo(_write(tmp_path / "igo.csv", rows))
    f = mb.pair_features(m, 1970.0)
    row = [r for r in range(len(f.i)) if m.states[f.i[r]].id == "GBR" and m.orgs[f.k[r]].id == "A"]
    assert len(row) == 1 and f.x[row[0], mb.FEATURES.index("former")] == 1.0
    assert not m.matrix(1970.0)[m.index["GBR"]].any()  # left in 1961
    assert m.matrix(1960.5)[m.index["GBR"]].sum() == 1  # a member through 1960


def test_cow_igo_bad_file_is_named(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(SourceError, match="x.csv.*no column stateID"):
        mb.from_cow_igo(bad)
    worse = _write(tmp_path / "y.csv", [("GBR", "A", 1960, 1950)])
    with pytest.raises(SourceError, match="y.csv.*line 2: End 1950 is before Beg 1960"):
        mb.from_cow_igo(worse)


def test_cli_backtest_membership_json_and_written_calibration(tmp_path):
    path = regional_world(tmp_path / "igo.csv")
    out = tmp_path / "cal.json"
    res, cal = run_backtest("membership", path, out, "--from", "1970", "--to", "1995", "--train-from", "1950")
    assert res["task"] == "membership" and len(res["baselines"]) >= 2
    assert "igo.csv (80 organisations)" in cal.fitted_on
    assert "backtest membership" in cal.backtest["command"] and cal.features == list(mb.FEATURES)
    bad = CliRunner().invoke(main, ["backtest", "membership", str(path), "--from", "1970", "--to", "2014"])
    assert bad.exit_code != 0 and "last cut-off is 2013" in bad.output


def test_shipped_membership_calibration_beats_its_baselines():
    cal = Calibration.load(task="membership")
    assert "backtest" in cal.label() and "cow_igo" in cal.fitted_on
    assert cal.backtest["ece"] <= 0.05
    assert all(cal.backtest["brier"] < b for b in cal.backtest["baselines"].values())
    assert cal.features == list(mb.FEATURES) and all(v >= 0 for v in cal.weights.values())


def test_forecast_membership_from_a_store_says_which_backtest(graph, tmp_path):
    path = regional_world(tmp_path / "igo.csv")
    cal_path = tmp_path / "cal.json"
    bt.backtest("membership", path, start=1970, end=1995, train_from=1950, write_calibration=cal_path)
    from diplograph.forecast.graph import forecast_membership

    ans = forecast_membership(graph.store, graph.actor_ref("Uzbekistan"), at=date(2010, 6, 1),
                              calibration=Calibration.load(cal_path))
    assert "igo.csv" in ans.calibration and "igo.csv" in ans.note
    assert ans.candidates and all(0 <= c.probability <= 1 for c in ans.candidates)
    assert all(c.partner.kind != "state" for c in ans.candidates)
    # the organisations Uzbekistan already belongs to (reference knowledge) are not candidates
    mine = {mm.organisation for mm in knowledge().memberships
            if mm.member == "UZB" and mm.status == "full" and mm.active(ans.at)}
    assert mine and not mine & {c.partner.id for c in ans.candidates}
    ranked = [c.probability for c in ans.candidates]
    assert ranked == sorted(ranked, reverse=True)


def test_graph_and_cli_forecast_membership_use_the_shipped_calibration(graph, db_path):
    ans = graph.forecast("Uzbekistan", type="membership", at="2012-01-01", top=5)
    assert ans.type == "membership" and ans.calibration == Calibration.load(task="membership").label()
    assert "cow_igo" in ans.note and 0 < len(ans.candidates) <= 5
    graph.close()
    r = CliRunner().invoke(main, ["forecast", "Uzbekistan", "--type", "membership", "--at", "2012-01-01",
                                  "--json", "--db", str(db_path)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["type"] == "membership" and "cow_igo" in out["calibration"]
    assert [c["partner"]["id"] for c in out["candidates"]][:5] == [c.partner.id for c in ans.candidates]
