"""The alliance backtest: metrics computed right on hand-checked cases, no leakage from the
evaluated years into the calibration, a synthetic world where the answer is known, the
CLI's JSON, and forecasts labelled with (and bounded by) the calibration."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from backtest_cli import run_backtest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import InvalidQuery, SourceError
from diplograph.forecast import backtest as bt
from diplograph.forecast.calibration import Calibration, at_horizon, fit, isotonic, step, thin
from diplograph.forecast.features import link_weights, pair_features
from diplograph.forecast.history import from_atop

ATOP_COLS = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
             "defense", "offense", "neutral", "nonagg", "consul"]
# European states with COW codes and no start after 1900 in the reference knowledge
STATES = [200, 210, 211, 212, 220, 225, 230, 235, 255, 290, 305, 310, 325, 339, 350, 355, 360, 380, 385, 390]


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ATOP_COLS)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, 0) for c in ATOP_COLS})
    return path


def _pact(aid: int, members: list[int], year: int, *, defense=1, consul=0, exit_year=0) -> list[dict]:
    return [{"atopid": aid, "member": m, "yrent": year, "moent": 6, "dayent": 1, "yrexit": exit_year,
             "defense": defense, "consul": consul} for m in members]


def triadic_world(path: Path) -> Path:
    """Pairs of states with a common ally ally a year later; nothing else happens. Each
    year three hubs each make two bilateral defence pacts (for four years), and a year
    on the two partners of each hub ally with each other (for three years)."""
    rows, aid, n = [], 1, len(STATES)
    for year in range(1936, 1992):
        for k in range(3):
            r = 3 * (year - 1936) + k
            hub, a, b = STATES[r % n], STATES[(7 * r + 3) % n], STATES[(11 * r + 8) % n]
            if len({hub, a, b}) < 3:
                continue
            rows += _pact(aid, [hub, a], year, exit_year=year + 4)
            rows += _pact(aid + 1, [hub, b], year, exit_year=year + 4)
            rows += _pact(aid + 2, [a, b], year + 1, exit_year=year + 4)
            aid += 3
    return _write(path, rows)


def test_brier_and_ece_on_hand_checked_cases():
    p = np.array([0.1, 0.1, 0.9, 0.9])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    assert bt.brier(p, y) == pytest.approx((0.01 + 0.81 + 0.01 + 0.01) / 4)
    # bins: [0.1, 0.1] -> rate 0.5, gap 0.4; [0.9, 0.9] -> rate 1, gap 0.1; weights 1/2 each
    assert bt.ece(p, y) == pytest.approx(0.5 * 0.4 + 0.5 * 0.1)
    assert bt.ece(np.array([0.3, 0.3, 0.3]), np.array([1.0, 0.0, 0.0])) == pytest.approx(abs(0.3 - 1 / 3))
    assert bt.ece(np.array([1.0]), np.array([1.0])) == 0.0  # p = 1 falls in the last bin


def test_isotonic_is_monotone_and_pools_ties():
    thr, rates = isotonic(np.array([1.0, 1.0, 2.0, 3.0, 3.0]), np.array([1.0, 0.0, 0.0, 1.0, 1.0]))
    # scores 1, 1, 2 pool into one block (one in three came true), 3 is a block of its own
    assert list(thr) == [1.0, 3.0] and list(rates) == pytest.approx([1 / 3, 1.0])
    assert list(step(thr, rates, np.array([0.0, 2.5, 9.0]))) == pytest.approx([1 / 3, 1 / 3, 1.0])
    # a block resting on fewer cases than min_count joins the one below
    thr2, rates2 = isotonic(np.array([1.0, 1.0, 2.0, 3.0, 3.0]), np.array([1.0, 0.0, 0.0, 1.0, 1.0]), min_count=3)
    assert list(thr2) == [1.0] and list(rates2) == pytest.approx([3 / 5])


def test_fit_recovers_a_known_logistic_model_and_thinning_keeps_it():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40000, 2))
    y = (rng.random(40000) < 1 / (1 + np.exp(-(-3 + 1.5 * x[:, 0])))).astype(float)
    bias, w = fit(x, y)
    assert bias == pytest.approx(-3, abs=0.15) and w[0] == pytest.approx(1.5, abs=0.15)
    assert w[1] == pytest.approx(0, abs=0.1) and w[1] >= 0  # no negative weight
    rows, sw = thin(y, 5)
    b2, w2 = fit(x[rows], y[rows], sample_weight=sw)
    assert b2 == pytest.approx(bias, abs=0.2) and w2[0] == pytest.approx(w[0], abs=0.2)


def test_link_weights_follow_obligation_and_size(tmp_path):
    rows = _pact(1, [200, 210], 1950) + _pact(2, STATES[:11], 1950, defense=0, consul=1)
    h = from_atop(_write(tmp_path / "a.csv", rows))
    w = link_weights(h, 1960.0)
    i = h.index
    uk, ned, bel = i["GBR"], i["NLD"], i["BEL"]
    assert w[uk, ned] == pytest.approx(1.0)  # bilateral defence: full weight (beats the consultation)
    assert w[ned, bel] == pytest.approx(0.25 / 10)  # consultation among eleven
    assert w[uk, ned] > 30 * w[ned, bel]
    assert link_weights(h, 1940.0).sum() == 0  # nothing in force before the treaties


def test_backtest_learns_the_triadic_world(tmp_path):
    h = from_atop(triadic_world(tmp_path / "tri.csv"))
    res, cal = bt.run(h, start=1966, end=1985, horizon=2.0, train_from=1950)
    assert set(res) >= {"brier", "ece", "precision_at_10", "n_predictions", "baselines"}
    assert res["brier"] < res["baselines"]["preferential_attachment"]["brier"]
    assert res["brier"] < res["baselines"]["base_rate"]["brier"]
    assert res["brier"] < res["baselines"]["common_neighbours"]["brier"]
    assert cal.weights["triad"] + cal.weights["common"] > 0  # common allies carry weight
    assert res["n_predictions"] == sum(y["n"] for y in res["years"])


def test_no_leakage_calibration_never_sees_evaluated_years(tmp_path):
    """Alliances from 1980 on must change nothing scored before 1978 (a 2-year horizon):
    neither the features, nor the outcomes, nor the calibration those years used."""
    base = triadic_world(tmp_path / "tri.csv")
    rows = list(csv.DictReader(base.open()))
    # a burst of new pacts from 1980 among states that never allied before
    extra = _pact(900, STATES[:12], 1980) + _pact(901, STATES[8:], 1981, defense=0, consul=1)
    h1 = from_atop(base)
    h2 = from_atop(_write(tmp_path / "more.csv", rows + extra))
    r1, _ = bt.run(h1, start=1966, end=1985, horizon=2.0, train_from=1950)
    r2, _ = bt.run(h2, start=1966, end=1985, horizon=2.0, train_from=1950)
    early1 = [y for y in r1["years"] if y["year"] <= 1978]
    early2 = [y for y in r2["years"] if y["year"] <= 1978]
    assert early1 == early2 and len(early1) == 13
    assert [y for y in r1["years"] if y["year"] >= 1979] != [y for y in r2["years"] if y["year"] >= 1979]
    for y in r1["years"]:
        assert y["calibrated_on"][1] + 2 <= y["year"]


def test_backtest_refuses_ranges_the_data_cannot_score(tmp_path):
    h = from_atop(triadic_world(tmp_path / "tri.csv"))
    with pytest.raises(InvalidQuery, match="last cut-off"):
        bt.run(h, start=1966, end=1995, horizon=2.0, train_from=1950)
    with pytest.raises(InvalidQuery, match="no earlier cut-off"):
        bt.run(h, start=1951, end=1960, horizon=2.0, train_from=1950)


def test_from_atop_names_a_bad_file(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(SourceError, match="x.csv.*no column atopid"):
        from_atop(bad)


def test_cli_backtest_json_and_written_calibration(tmp_path):
    path = triadic_world(tmp_path / "tri.csv")
    out = tmp_path / "cal.json"
    res, cal = run_backtest("alliance", path, out, "--from", "1966", "--to", "1985", "--train-from", "1950")
    assert {"common_neighbours", "preferential_attachment"} <= set(res["baselines"])
    assert "tri.csv" in cal.fitted_on and "1966-1985" in cal.label()
    bad = CliRunner().invoke(main, ["backtest", "alliance", str(path), "--from", "1966", "--to", "2010"])
    assert bad.exit_code != 0 and "last cut-off" in bad.output


def test_horizon_conversion_is_a_constant_hazard():
    p = np.array([0.19])
    assert at_horizon(p, 2.0, 2.0)[0] == pytest.approx(0.19)
    assert at_horizon(p, 2.0, 1.0)[0] == pytest.approx(0.1)  # 1 - 0.81 ** 0.5
    assert at_horizon(p, 2.0, 4.0)[0] == pytest.approx(1 - 0.81 ** 2)


def test_shipped_calibration_is_labelled_and_bounds_probabilities():
    cal = Calibration.load()
    assert "backtest" in cal.label() and "Brier" in cal.label() and "ECE" in cal.label()
    assert cal.backtest["ece"] <= 0.05
    assert all(cal.backtest["brier"] < b for b in cal.backtest["baselines"].values())
    assert all(v >= 0 for v in cal.weights.values())


def test_pair_features_skip_allied_and_inactive_pairs(tmp_path):
    h = from_atop(_write(tmp_path / "a.csv", _pact(1, [200, 210], 1950)))
    f = pair_features(h, 1960.0)
    pairs = {(h.states[i].id, h.states[j].id) for i, j in zip(f.i, f.j)}
    assert ("GBR", "NLD") not in pairs and ("NLD", "GBR") not in pairs
    assert all(h.active(1960.0)[f.i]) and all(h.active(1960.0)[f.j])


def test_precision_at_k_per_actor_with_ties_to_the_lower_partner():
    actor = np.array([0, 0, 0, 1, 1])
    partner = np.array([1, 3, 2, 0, 2])
    p = np.array([0.9, 0.5, 0.5, 0.2, 0.1])
    y = np.array([0.0, 1.0, 0.0, 0.0, 0.0])
    # actor 0: top two are 1 (0.9) and 2 (0.5, tied with 3, the lower partner first): no hit;
    # actor 1 has no outcome and is not scored
    assert bt.precision_at(actor, partner, p, y, k=2) == [0.0]
    assert bt.precision_at(actor, partner, p, y, k=3) == [pytest.approx(1 / 3)]
    assert bt.precision_at(actor, partner, p, y, k=10) == [0.1]  # out of k all the same
