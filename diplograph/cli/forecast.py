"""forecast: who could ACTOR form a relation with next, and why."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from .common import console, db_option, emit, guard, main, open_graph


@main.command()
@click.argument("actor")
@click.option("--type", "type_", default="alliance", show_default=True,
              type=click.Choice(["alliance", "strategic_partnership", "diplomatic_relations", "membership"]))
@click.option("--horizon", default="2y", show_default=True, help="How far ahead: years or months (2y, 18m).")
@click.option("--at", metavar="DATE", help="Forecast from this date (default today), using only facts before it.")
@click.option("--top", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as one JSON object.")
@db_option
@guard
def forecast(actor: str, type_: str, horizon: str, at: str | None, top: int, as_json: bool, db: str | None) -> None:
    """Rank candidates for a new relation with ACTOR, each with a probability and the facts
    behind it (recurring cooperation, shared allies, shared memberships, trend, conflict);
    with --type membership, the organisations ACTOR could join (partners and region already
    members, recent growth). Speculation found in articles is listed apart as expert
    expectation."""
    with open_graph(db) as graph:
        ans = graph.forecast(actor, type=type_, horizon=horizon, at=at, top=top)
        if as_json:
            sys.stdout.write(json.dumps(asdict(ans), ensure_ascii=False, default=str) + "\n")
            return
        console.print(ans.note, highlight=False)
        rows = [{"partner": c.partner.name, "probability": f"{c.probability:.0%}",
                 "backtest": "" if c.backtest_rate is None else f"{c.backtest_rate:.0%}",
                 "why": "; ".join(r.text for r in c.reasons)} for c in ans.candidates]
        cols = ["partner", "probability", *(["backtest"] if ans.calibration else []), "why"]
        if ans.calibration:
            console.print("backtest: how often the backtest's forecasts of that size came true "
                          f"(within {ans.horizon_years:g} years as calibrated).", highlight=False)
        emit(rows, columns=cols, as_json=False, as_csv=False,
             title=f"Candidates for {type_} with {ans.actor.name} within {ans.horizon_years:g} years of {ans.at}")
        if ans.expectations:
            emit([{"partner": e.partner.name, "modality": e.modality, "said_by": e.said_by or "the author",
                   "evidence": e.evidence, "source": e.source} for e in ans.expectations],
                 columns=["partner", "modality", "said_by", "evidence", "source"], as_json=False, as_csv=False,
                 title="Expert expectation found in articles (not part of the score)")
