"""Does what the news says carry signal about alliances beyond the treaty record?

diplograph keeps speculation from articles out of the forecast's score, and no dated archive
of articles exists to backtest it. The nearest thing: ICEWS05-15, events coded from news
(2005-2015). For each 1 January T from 2007 to 2016, per pair of states not allied then:

- intent: log(1 + "Express intent to ..." events between them in the two years before T),
  the news reporting a plan or wish (the closest ICEWS has to a speculative claim);
- cooperation: log(1 + cooperative events, visits, agreements, in the same two years).

The treaty model is the alliance forecaster fitted on ATOP cut-offs whose outcome was known
by the first scored year (1930 to FIT_END). A logistic model on [treaty log-odds] and one on
[treaty log-odds, intent, cooperation] are fitted on cut-offs 2007 to FIT_END and scored on
the later ones (2013-2016), against ATOP: Brier and precision at 10 per actor. Also: the
rate of new alliances with and without intent events, within bins of the treaty probability.

    .venv/bin/python bench/alliance_news_signal.py [--atop PATH] [--icews DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, timedelta

import numpy as np

from diplograph.forecast import backtest as bt
from diplograph.forecast.calibration import fit
from diplograph.forecast.features import outcomes, pair_features
from diplograph.forecast.history import from_atop, year_of
from diplograph.forecast.tkg import load_dataset
from diplograph.io.actors import by_name

COOPERATIVE = ("Engage_in_", "Cooperate_", "Sign_formal_agreement", "Make_a_visit", "Host_a_visit",
               "Make_optimistic_comment", "Praise_or_endorse", "Provide_military_aid", "Provide_economic_aid",
               "Consult", "Meet_at_a_third_location", "Make_statement")
FIT_END = 2011  # fitted on cut-offs up to here: outcomes known by 2013, the first scored year
SCORED = range(2013, 2017)


def news_counts(icews_dir: str, h) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Per event between two states: (i, j, year, kind) with kind 1 intent, 2 cooperation."""
    ds = load_dataset(icews_dir)
    idx = h.index
    ent = np.full(len(ds.entities), -1)
    for k, name in enumerate(ds.entities):
        r = by_name(name)
        if r is not None and r.actor.kind == "state" and r.actor.id in idx:
            ent[k] = idx[r.actor.id]
    kind = np.zeros(len(ds.relations), dtype=int)
    for k, name in enumerate(ds.relations):
        if name.startswith("Express_intent_to"):
            kind[k] = 1
        elif name.startswith(COOPERATIVE):
            kind[k] = 2
    facts = np.vstack([ds.train, ds.valid, ds.test])
    s, r, o, t = facts[:, 0], facts[:, 1], facts[:, 2], facts[:, 3]
    keep = (ent[s] >= 0) & (ent[o] >= 0) & (ent[s] != ent[o]) & (kind[r] > 0)
    day0 = date(2005, 1, 1)
    years = np.array([year_of(day0 + timedelta(days=int(d))) for d in range(int(t.max()) + 1)])
    return ent[s[keep]], ent[o[keep]], years[t[keep]], kind[r[keep]], int(keep.sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--atop", default="../shared/data/alliances/atop5_1m.csv")
    ap.add_argument("--icews", default="../shared/data/tkg/ICEWS05-15")
    args = ap.parse_args()
    t0 = time.perf_counter()
    h = from_atop(args.atop)
    a, b, yr, kind, n_events = news_counts(args.icews, h)
    n = len(h.states)
    # the treaty model, fitted on every ATOP cut-off whose outcome was known by 2013
    folds = {t: pair_features(h, float(t)) for t in range(1930, 2017)}
    ys = {t: outcomes(h, float(t), 2.0, f) for t, f in folds.items()}
    x = np.vstack([folds[t].x for t in range(1930, FIT_END + 1)])
    y = np.concatenate([ys[t] for t in range(1930, FIT_END + 1)])
    rows, sw = bt._thin(y)
    bias, w = fit(x[rows], y[rows], sample_weight=sw)

    def table(t: int) -> tuple[np.ndarray, np.ndarray]:
        f = folds[t]
        base = bias + f.x @ w
        cnt = np.zeros((3, n, n))
        m = (yr >= t - 2) & (yr < t)
        np.add.at(cnt, (kind[m], a[m], b[m]), 1)
        cnt = cnt + cnt.transpose(0, 2, 1)
        return np.column_stack([base, np.log1p(cnt[1][f.i, f.j]), np.log1p(cnt[2][f.i, f.j])]), ys[t]

    train = [table(t) for t in range(2007, FIT_END + 1)]
    test = {t: table(t) for t in SCORED}
    xt = np.vstack([u[0] for u in train])
    yt = np.concatenate([u[1] for u in train])
    out = {"date": date.today().isoformat(), "icews_events_between_states": n_events,
           "fitted_on": f"2007-{FIT_END}", "scored": f"{SCORED[0]}-{SCORED[-1]}"}
    for name, cols in (("treaty_only", [0]), ("treaty_plus_news", [0, 1, 2]), ("treaty_plus_intent", [0, 1])):
        b0, wn = fit(xt[:, cols], yt)
        ps, yy, prec = [], [], []
        for t, (xs, ys_) in test.items():
            p = 1 / (1 + np.exp(-(b0 + xs[:, cols] @ wn)))
            ps.append(p)
            yy.append(ys_)
            prec += bt.pair_precision(folds[t], p, ys_)
        p, yy_ = np.concatenate(ps), np.concatenate(yy)
        out[name] = {"brier": round(bt.brier(p, yy_), 6), "ece": round(bt.ece(p, yy_), 6),
                     "precision_at_10": round(float(np.mean(prec)), 4),
                     "weights": [round(float(v), 4) for v in [b0, *wn]]}
    xs = np.vstack([u[0] for u in test.values()])
    yy_ = np.concatenate([u[1] for u in test.values()])
    p0 = 1 / (1 + np.exp(-xs[:, 0]))
    rates = []
    for lo, hi in ((0, 0.01), (0.01, 0.05), (0.05, 0.2), (0.2, 1.01)):
        m = (p0 >= lo) & (p0 < hi)
        with_i = m & (xs[:, 1] > 0)
        without = m & (xs[:, 1] == 0)
        rates.append({"treaty_probability": [lo, min(hi, 1.0)],
                      "with_intent": [int(with_i.sum()), round(float(yy_[with_i].mean()), 4) if with_i.any() else None],
                      "without_intent": [int(without.sum()),
                                         round(float(yy_[without].mean()), 4) if without.any() else None]})
    out["new_alliance_rate_by_intent"] = rates
    out["n_scored"] = len(yy_)
    out["n_positive"] = int(yy_.sum())
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
