"""The steps both backtest CLI tests share: run `diplograph backtest KIND` with --json and
--out, check the JSON keys every backtest reports, and load the calibration it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from diplograph.cli import main
from diplograph.forecast.calibration import Calibration

KEYS = ("brier", "ece", "precision_at_10", "n_predictions", "baselines")


def run_backtest(kind: str, path: Path, out: Path, *years: str) -> tuple[dict[str, Any], Calibration]:
    r = CliRunner().invoke(main, ["backtest", kind, str(path), *years, "--json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert all(k in res for k in KEYS)
    assert all("brier" in b for b in res["baselines"].values())
    cal = Calibration.load(out)
    assert cal.backtest["brier"] == res["brier"]
    return res, cal
