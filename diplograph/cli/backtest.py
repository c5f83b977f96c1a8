"""backtest: replay history and score the forecaster's probabilities against what happened."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from .common import console, emit, err_console, guard, main

WHAT = {"alliance": "new alliances", "membership": "new memberships"}


@main.group()
def backtest() -> None:
    """Score forecasts against history (Brier, calibration error, precision at 10)."""


def _options(start: int, end: int, train_from: int, data: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(f: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed([
            click.option("--from", "start", type=int, default=start, show_default=True, help="First cut-off year scored."),
            click.option("--to", "end", type=int, default=end, show_default=True,
                         help=f"Last cut-off year scored (its horizon must end inside the data: {data})."),
            click.option("--horizon", type=click.FloatRange(0.5, 10), default=2.0, show_default=True,
                         help="Years after each cut-off in which an outcome counts."),
            click.option("--train-from", type=int, default=train_from, show_default=True,
                         help="First cut-off the calibration learns from (each scored year learns only from "
                              "cut-offs whose outcome was known by then)."),
            click.option("--write-calibration", "write", is_flag=True,
                         help="Write the calibration fitted on every known cut-off into the package "
                              "(what `forecast` uses)."),
            click.option("--out", type=click.Path(dir_okay=False), help="With --write-calibration: write it here instead."),
            click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object."),
        ]):
            f = opt(f)
        return f

    return wrap


def _run(task: str, path: str, start: int, end: int, horizon: float, train_from: int, write: bool,
         out: str | None, as_json: bool) -> None:
    from ..forecast.backtest import backtest as run_backtest
    from ..forecast.calibration import shipped_path

    target = (out or shipped_path(task)) if write or out else None
    result = run_backtest(task, path, start=start, end=end, horizon=horizon, train_from=train_from,
                          write_calibration=target,
                          progress=None if as_json else lambda t: err_console.print(f"cut-off {t}", end="\r"))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    rows = [{"forecaster": "diplograph", "brier": f"{result['brier']:.5f}", "ece": f"{result['ece']:.5f}",
             "precision_at_10": f"{result['precision_at_10']:.3f}"}]
    rows += [{"forecaster": name, "brier": f"{b['brier']:.5f}", "ece": f"{b['ece']:.5f}",
              "precision_at_10": f"{b['precision_at_10']:.3f}"} for name, b in result["baselines"].items()]
    emit(rows, columns=["forecaster", "brier", "ece", "precision_at_10"], as_json=False, as_csv=False,
         title=(f"{WHAT[task].capitalize()} within {horizon:g} years of each 1 January, {start}-{end}: "
                f"{result['n_predictions']:,} predictions, {result['n_positive']:,} came true"))
    console.print(f"calibration weights: {result['calibration']}", highlight=False)
    if target:
        console.print(f"calibration written to {target}", highlight=False)


@backtest.command("alliance")
@click.argument("atop_csv", type=click.Path(exists=True, dir_okay=False))
@_options(1970, 2016, 1930, "ATOP 5.1 ends in 2018")
@guard
def alliance(atop_csv: str, **kw: Any) -> None:
    """For each cut-off year from --from to --to, forecast new alliances among the states
    not allied then from the alliances in force before it, and score them against what
    ATOP_CSV (ATOP 5.1 member-level, atop5_1m.csv) records within the horizon; beside the
    forecaster: common neighbours, preferential attachment and the base rate, each turned
    into probabilities on the same earlier cut-offs."""
    _run("alliance", atop_csv, **kw)


@backtest.command("membership")
@click.argument("cow_igo_csv", type=click.Path(exists=True, dir_okay=False))
@_options(1975, 2013, 1950, "COW IGO v3 ends in 2014")
@guard
def membership(cow_igo_csv: str, **kw: Any) -> None:
    """For each cut-off year from --from to --to, forecast which states join which
    organisations (those with members then, that the state did not belong to) from the
    memberships before it, and score them against what COW_IGO_CSV (COW IGO v3 spells,
    cow_igo_v3_membership_spells_manyios.csv) records within the horizon; beside the
    forecaster: organisation size, shared-organisation partners and the base rate, each
    turned into probabilities on the same earlier cut-offs."""
    _run("membership", cow_igo_csv, **kw)
