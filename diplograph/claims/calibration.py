"""Calibrated confidence: a claim's raw score mapped to the share of claims of its type and
score band that were right on the development set (data/claims/calibration.json, fitted
by eval/calibrate.py). The flow applies it when no decision model decides
(``pipeline.CALIBRATE``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _calibration() -> dict[str, Any]:
    path = resources.files("diplograph") / "data" / "claims" / "calibration.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}


def calibrated(raw: float, type_: str) -> float:
    """The share of claims of this type and score band that were right on the development
    set (eval/calibrate.py), so that a confidence of 0.7 means about 7 in 10 are right."""
    cal = _calibration()
    if not cal:
        return raw
    bands = cal["by_type"].get(type_)
    if bands is None:
        return cal["overall"]
    return bands["low" if raw < 0.75 else "high"]
