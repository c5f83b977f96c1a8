"""From the forecaster's features to a probability, and the file that ships it.

A logistic model (weights on ``features.FEATURES`` or ``membership.FEATURES``, none negative
so each reason can only add to the odds) fitted by maximum likelihood on backtest cut-offs:
the fitted weights are the calibration. The shipped files (``diplograph/data/models/
forecast_alliance.json``, ``forecast_membership.json``) say which backtest fitted them
(data, years, horizon, date) and how that backtest scored out of sample (Brier, ECE), so
every forecast can say where its numbers come from.
Rebuilt, deterministically, by ``diplograph backtest alliance ATOP_CSV --write-calibration``
(``backtest membership COW_IGO_CSV --write-calibration``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from .features import FEATURES

SHIPPED = {"alliance": "forecast_alliance.json", "membership": "forecast_membership.json"}
L2 = 1e-4


@dataclass
class Calibration:
    bias: float
    weights: dict[str, float]
    horizon_years: float
    fitted_on: str = ""  # "ATOP 5.1 (atop5_1m.csv), cut-offs 1930-2016"
    backtest: dict[str, Any] = field(default_factory=dict)  # command, years, date, brier, ece...
    # the largest value of each feature the fit saw: beyond it the model would extrapolate
    # (a pair sharing more small organisations than any pair in history), so it is clipped
    feature_max: dict[str, float] = field(default_factory=dict)
    # then the logistic probability through an isotonic map fitted on the backtest's
    # out-of-sample probabilities (the logistic is over-confident above 30 %): thresholds
    # (lowest logistic probability of each block) and the block's observed rate
    isotonic: dict[str, list[float]] = field(default_factory=dict)
    # the columns of x, in order (the alliance features unless the file says otherwise)
    features: list[str] = field(default_factory=lambda: list(FEATURES))

    def logit(self, x: np.ndarray) -> np.ndarray:
        w = np.array([self.weights.get(f, 0.0) for f in self.features])
        top = np.array([self.feature_max.get(f, np.inf) for f in self.features])
        return self.bias + np.minimum(x, top) @ w

    def probability(self, x: np.ndarray, horizon_years: float | None = None) -> np.ndarray:
        return self.from_logit(self.logit(x), horizon_years)

    def from_logit(self, z: np.ndarray, horizon_years: float | None = None) -> np.ndarray:
        p = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        if self.isotonic:
            p = step(np.array(self.isotonic["thresholds"]), np.array(self.isotonic["rates"]), p)
        return at_horizon(p, self.horizon_years, horizon_years)

    def observed_rate(self, p: float) -> float | None:
        """How often the backtest's forecasts in the 10 % bin of ``p`` came true (None: no
        forecast of the backtest fell in it). For p at the fitted horizon."""
        for b in self.backtest.get("reliability", []):
            lo, hi = b["bin"]
            if lo <= p < hi or (hi >= 1.0 and p >= lo):
                return float(b["rate"])
        return None

    def label(self) -> str:
        b = self.backtest
        if not b:
            return f"calibrated on {self.fitted_on}"
        return (f"calibrated on {self.fitted_on} ({b.get('horizon_years', self.horizon_years):g}-year horizon); "
                f"backtest {b.get('from')}-{b.get('to')} on {b.get('date')}: Brier {b.get('brier'):.4f}, "
                f"ECE {b.get('ece'):.4f} out of sample")

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path | None = None, task: str = "alliance") -> Calibration:
        """A calibration file (None: the one shipped for ``task``, alliance or membership)."""
        if path is None:
            text = shipped_path(task).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        d = json.loads(text)
        return cls(float(d["bias"]), {k: float(v) for k, v in d["weights"].items()}, float(d["horizon_years"]),
                   d.get("fitted_on", ""), d.get("backtest", {}),
                   {k: float(v) for k, v in d.get("feature_max", {}).items()}, d.get("isotonic", {}),
                   list(d.get("features") or FEATURES))


def shipped_path(task: str = "alliance") -> Path:
    """The calibration file of ``task`` inside the package (an editable install: the source tree)."""
    return Path(str(resources.files("diplograph").joinpath("data", "models", SHIPPED[task])))


def at_horizon(p: np.ndarray, fitted: float, wanted: float | None) -> np.ndarray:
    """A probability over ``fitted`` years turned into one over ``wanted`` years, at a
    constant yearly hazard: 1 - (1 - p) ** (wanted / fitted)."""
    if wanted is None or wanted == fitted:
        return p
    return 1 - (1 - p) ** (wanted / fitted)


def thin(y: np.ndarray, keep_every: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows to fit on and their weights: every positive, and one negative in ``keep_every``
    (by position, so deterministic) weighing ``keep_every``; the likelihood's expectation is
    unchanged and a fit on 1.5 million pairs becomes a fit on a tenth of them."""
    neg = np.flatnonzero(y == 0)
    rows = np.sort(np.concatenate([np.flatnonzero(y != 0), neg[::keep_every]]))
    weights = np.where(y[rows] != 0, 1.0, float(keep_every))
    return rows, weights


def fit(x: np.ndarray, y: np.ndarray, *, start: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Bias and non-negative weights maximising the likelihood of ``y`` (0/1), with a small
    L2 penalty so the fit is unique; deterministic (L-BFGS-B from zeros or ``start``)."""
    x1 = np.column_stack([np.ones(len(x)), x])
    sw = np.ones(len(y)) if sample_weight is None else sample_weight
    n = max(1.0, float(sw.sum()))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x1 @ w
        p = 1 / (1 + np.exp(-z))
        val = float(np.sum(sw * (np.logaddexp(0, z) - y * z)) / n + L2 * np.sum(w[1:] ** 2))
        g = x1.T @ (sw * (p - y)) / n
        g[1:] += 2 * L2 * w[1:]
        return val, g

    w0 = np.zeros(x1.shape[1]) if start is None else start
    if start is None and len(y):
        rate = min(max(float(np.sum(sw * y) / n), 1e-6), 1 - 1e-6)
        w0[0] = np.log(rate / (1 - rate))
    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    r = minimize(loss, w0, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(r.x[0]), r.x[1:]


def isotonic(score: np.ndarray, y: np.ndarray, *, min_count: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A non-decreasing step function from score to rate (pool adjacent violators):
    returns (thresholds, rates), one per block of equal rate; ``step`` applies it. A block
    of fewer than ``min_count`` cases is merged into its neighbour below (its rate then
    rests on too few cases: one pair in history that came true must not make 100 %)."""
    from scipy.optimize import isotonic_regression

    if len(score) == 0:
        return np.array([0.0]), np.array([0.0])
    order = np.argsort(score, kind="stable")
    s, yy = score[order], y[order]
    # ties share one value: pool them first so equal scores get equal probabilities
    uniq, inv, counts = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=yy)
    rates = isotonic_regression(sums / counts, weights=counts).x
    # blocks: runs of equal rate
    starts = np.flatnonzero(np.r_[True, np.diff(rates) != 0])
    thr = list(uniq[starts])
    n = list(np.add.reduceat(counts, starts).astype(float))
    pos = list(np.add.reduceat(sums, starts))
    k = len(thr) - 1
    while k >= 0 and len(thr) > 1:
        if n[k] < min_count:
            j = k - 1 if k > 0 else 1  # into the block below (the first: into the one above)
            lo, hi = min(j, k), max(j, k)
            n[lo] += n[hi]
            pos[lo] += pos[hi]
            del thr[hi], n[hi], pos[hi]
            k = min(k, len(thr) - 1)
            continue
        k -= 1
    return np.array(thr), np.array(pos) / np.array(n)


def step(thresholds: np.ndarray, rates: np.ndarray, score: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(thresholds, score, side="right") - 1
    return rates[np.clip(idx, 0, len(rates) - 1)]
