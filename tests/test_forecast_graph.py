"""The analyst-facing forecast over the graph: ranked candidates with checkable reasons,
expert expectation kept apart, and an honest note about how much history there is."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from diplograph.cli import main
from diplograph.errors import InvalidQuery
from diplograph.models import ActorRef, Claim, Document, PartialDate

UZB, TUR, KAZ, AZE, ARM = (ActorRef(i, n, "state") for i, n in [
    ("UZB", "Uzbekistan"), ("TUR", "Turkey"), ("KAZ", "Kazakhstan"), ("AZE", "Azerbaijan"), ("ARM", "Armenia")])


def _claim(t, s, o, d, modality="asserted", text="x"):
    return Claim(doc="", type=t, subject=s, object=o, modality=modality, evidence_text=text, evidence_start=0,
                 evidence_end=len(text), date=PartialDate.parse(d) if d else None, confidence=0.8)


@pytest.fixture
def built(graph):
    claims = [
        _claim("alliance", UZB, AZE, "2024-08"), _claim("alliance", TUR, AZE, "2021-06"),
        _claim("military_cooperation", UZB, TUR, "2022"), _claim("agreement_signed", UZB, TUR, "2022-11"),
        _claim("visit", TUR, UZB, "2024-05"), _claim("visit", UZB, TUR, "2025-02"),
        _claim("summit_meeting", UZB, TUR, "2025-04"),
        _claim("agreement_signed", UZB, ARM, "2010"), _claim("conflict_action", ARM, AZE, "2020-09"),
        _claim("alliance", UZB, TUR, None, "speculative", "It is only a matter of time before they ally."),
    ]
    doc = Document(id="d1", source="d1.txt", raw_text="x", text="x", published=PartialDate.parse("2025-03-06"),
                   ingested_at=datetime(2025, 3, 7))
    with graph.store.transaction():
        graph.store.add_document(doc)
        graph.store.add_claims(claims, doc_id="d1", created_at=datetime(2025, 3, 7))
    graph.rebuild()
    return graph


def test_forecast_ranks_with_reasons_and_keeps_expectation_apart(built):
    ans = built.forecast("UZB", at="2025-06-01")
    ranked = [c.partner.id for c in ans.candidates]
    assert ranked[0] == "TUR" and "AZE" not in ranked  # already allied
    top = ans.candidates[0]
    kinds = {r.kind for r in top.reasons}
    assert {"cooperation", "triad", "trend"} <= kinds
    assert any("AZE" in r.text for r in top.reasons if r.kind == "triad")
    assert all(r.facts for r in top.reasons if r.kind in ("cooperation", "triad"))
    assert 0 < top.probability < 1 and top.probability > ans.candidates[-1].probability
    assert [(e.partner.id, e.modality) for e in ans.expectations] == [("TUR", "speculative")]
    assert "too little history" in ans.note
    assert ans.calibration and "backtest" in ans.calibration and "Brier" in ans.note


def test_alliance_probabilities_are_bounded_by_what_the_backtest_saw(built):
    from diplograph.forecast.calibration import Calibration

    cal = Calibration.load()
    ans = built.forecast("UZB", at="2025-06-01", top=100)
    assert ans.candidates and all(0 < c.probability < 1 for c in ans.candidates)
    # each candidate says how often the backtest's forecasts of its size came true
    for c in ans.candidates:
        b = next(b for b in cal.backtest["reliability"] if b["bin"][0] <= c.probability < b["bin"][1])
        assert c.backtest_rate == b["rate"]
    # the treaty part of the score never goes past the largest feature values of the fit
    big = Calibration(cal.bias, cal.weights, cal.horizon_years, feature_max=cal.feature_max)
    import numpy as np

    from diplograph.forecast.features import FEATURES

    huge = np.full((1, len(FEATURES)), 50.0)
    assert big.logit(huge)[0] == pytest.approx(cal.logit(np.array([[cal.feature_max[f] for f in FEATURES]]))[0])
    other = built.forecast("UZB", at="2025-06-01", type="strategic_partnership")
    assert other.calibration == "" and "not calibrated" in other.note


def test_forecast_uses_only_facts_before_the_date(built):
    early = built.forecast("UZB", at="2015-01-01", top=100)
    by_id = {c.partner.id: c for c in early.candidates}
    assert "cooperation" in {r.kind for r in by_id["ARM"].reasons}  # the 2010 agreement
    for c in early.candidates:  # nothing from 2020 on: no alliance with AZE, no cooperation with TUR
        assert not any(r.kind in ("triad", "cooperation", "trend") for r in c.reasons if c.partner.id != "ARM")


@pytest.mark.parametrize("horizon", ["0y", "abc", "30y"])
def test_forecast_rejects_bad_horizons(built, horizon):
    with pytest.raises(InvalidQuery, match="horizon"):
        built.forecast("UZB", horizon=horizon)


def test_cli_forecast(built, db_path):
    built.close()
    r = CliRunner().invoke(main, ["forecast", "Uzbekistan", "--at", "2025-06-01", "--db", str(db_path), "--json"])
    assert r.exit_code == 0, r.output
    import json

    ans = json.loads(r.output)
    assert ans["candidates"][0]["partner"]["id"] == "TUR" and ans["expectations"][0]["partner"]["id"] == "TUR"
