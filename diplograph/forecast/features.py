"""What the alliance forecaster knows about a pair of states at a cut-off, as numbers.

A treaty link between two states weighs by what the treaty obliges and how many share it:
``OBLIGATION_WEIGHT`` of its strongest obligation (a defence pact 1, a consultation pact
0.25) divided by the members beside each one (n - 1: a bilateral pact 1, a 40-member
pact 1/39). Features of a pair (i, j) not allied at the cut-off t:

- ``triad``: log(1 + sum over common allies z of w(i, z) * w(z, j)) ("allies of both",
  weighted: a bilateral defence ally of both counts, forty co-signatories of a
  consultation pact barely do);
- ``activity``: log(1 + new treaty partners of i in the five years before t) plus the same for j;
- ``former``: 1 if i and j were allied before and it ended;
- ``region``: 1 if both are in the same COW region;
- ``degree``: log(1 + weighted allies of i) + log(1 + of j);
- ``common``: log(1 + states allied with both), unweighted;
- ``attachment``: log(1 + allies of i times allies of j), unweighted;
- ``young``: 1 if either state entered the state system in the five years before t;
- ``shared``: log(1 + organisations of at most 60 members both belong to), from the
  reference knowledge's dated memberships.

The baselines the backtest compares with are computed here too: common neighbours (the
number of states allied with both, unweighted) and preferential attachment (the product
of the two numbers of allies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .history import OBLIGATIONS, History

FEATURES = ("triad", "activity", "former", "region", "degree", "common", "attachment", "young", "shared")
OBLIGATION_WEIGHT = {"defense": 1.0, "offense": 1.0, "neutrality": 0.5, "nonaggression": 0.35,
                     "consultation": 0.25, "entente": 0.25}
ACTIVITY_YEARS = 5.0
_OW = np.array([OBLIGATION_WEIGHT[o] for o in OBLIGATIONS])


@dataclass
class PairFeatures:
    t: float
    i: np.ndarray  # state index
    j: np.ndarray  # state index, i < j
    x: np.ndarray  # (n_pairs, len(FEATURES))
    common: np.ndarray  # baseline: common neighbours (unweighted)
    attachment: np.ndarray  # baseline: product of degrees
    weights: np.ndarray  # (n_states, n_states) treaty link weights at t (for explanations)


def strongest(bits: np.ndarray) -> np.ndarray:
    """The weight of the strongest obligation in each bitmask (0 for none)."""
    out = np.zeros(len(bits))
    for k, w in enumerate(_OW):
        out = np.where((bits >> k) & 1, np.maximum(out, w), out)
    return out


def in_force(h: History, t: float) -> np.ndarray:
    return (h.start < t) & (h.end > t)


def link_weights(h: History, t: float) -> np.ndarray:
    """(n, n) weight of the strongest treaty link between each two states in force at t."""
    n = len(h.states)
    w = np.zeros((n, n))
    live = in_force(h, t)
    if live.any():
        size = h.treaty_size(t)[h.treaty[live]]
        val = strongest(h.obligations[live]) / np.maximum(1.0, size - 1)
        np.maximum.at(w, (h.a[live], h.b[live]), val)
        w = np.maximum(w, w.T)
    return w


def pair_features(h: History, t: float, *, rows: np.ndarray | None = None) -> PairFeatures:
    """Features of every pair of states active at t and not allied then (``rows``: only
    pairs with i in these state indices)."""
    n = len(h.states)
    w = link_weights(h, t)
    adj = (w > 0).astype(float)
    act = h.active(t)
    ii, jj = np.triu_indices(n, 1)
    keep = act[ii] & act[jj] & (adj[ii, jj] == 0)
    if rows is not None:
        sel = np.zeros(n, dtype=bool)
        sel[rows] = True
        keep &= sel[ii] | sel[jj]
    ii, jj = ii[keep], jj[keep]
    triad = (w @ w)[ii, jj]
    common = (adj @ adj)[ii, jj]
    deg = adj.sum(1)
    wdeg = w.sum(1)
    recent = (h.start >= t - ACTIVITY_YEARS) & (h.start < t)
    newp = np.zeros(n)
    if recent.any():
        pairs = np.unique(np.stack([h.a[recent], h.b[recent]], 1), axis=0)
        np.add.at(newp, pairs[:, 0], 1)
        np.add.at(newp, pairs[:, 1], 1)
    ended = h.end <= t
    former = np.zeros((n, n), dtype=bool)
    former[h.a[ended], h.b[ended]] = True
    former |= former.T
    same = (h.region[ii] == h.region[jj]) & (h.region[ii] > 0)
    x = np.column_stack([
        np.log1p(triad),
        np.log1p(newp[ii]) + np.log1p(newp[jj]),
        former[ii, jj].astype(float),
        same.astype(float),
        np.log1p(wdeg[ii]) + np.log1p(wdeg[jj]),
        np.log1p(common),
        np.log1p(deg[ii] * deg[jj]),
        (np.maximum(h.born[ii], h.born[jj]) > t - ACTIVITY_YEARS).astype(float),
        np.log1p(h.shared_memberships(t)[ii, jj]),
    ])
    return PairFeatures(t, ii, jj, x, common, deg[ii] * deg[jj], w)


def outcomes(h: History, t: float, horizon: float, f: PairFeatures) -> np.ndarray:
    """1 where the pair formed a treaty link in [t, t + horizon)."""
    new = (h.start >= t) & (h.start < t + horizon)
    n = len(h.states)
    m = np.zeros((n, n), dtype=bool)
    m[h.a[new], h.b[new]] = True
    return m[f.i, f.j].astype(float)
