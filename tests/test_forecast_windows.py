"""Earlier windows of fitting queries for the ICEWS re-ranker (forecast/windows.py)."""

from __future__ import annotations

import numpy as np
import pytest

from diplograph.forecast.recurrency import RecurrencyForecaster, rule_confidences
from diplograph.forecast.tkg import build_queries
from diplograph.forecast.windows import earlier_windows, tail_cut


def _two_habits(days: int = 120, seed: int = 1) -> np.ndarray:
    """Entities 0..19 act every day on 20..39: relation 0 on the entity's own partner,
    relation 1 on the day's trending entity (a new one every day)."""
    rng = np.random.default_rng(seed)
    partner = rng.permutation(np.arange(20, 40))
    facts = []
    for t in range(days):
        trend = 20 + (t * 7) % 20
        for e in rng.choice(20, size=8, replace=False):
            noise = rng.integers(20, 40, size=2)
            facts.append([int(e), 0, int(partner[e]) if rng.random() < 0.8 else int(noise[0]), t])
            facts.append([int(e), 1, trend if rng.random() < 0.8 else int(noise[1]), t])
    return np.array(facts, dtype=np.int64)


def test_windows_tile_the_history_backwards_and_keep_their_rules_before_them():
    facts = _two_habits()
    end = 100
    n = int(np.sum((facts[:, 3] >= 90) & (facts[:, 3] < end)))  # ten days of facts
    wins = earlier_windows(facts[facts[:, 3] < end], end, n, count=20, num_relations=2)
    assert 3 <= len(wins) < 20  # stops while enough facts remain for the rules
    assert wins[0].end == end
    for later, w in zip(wins, wins[1:]):
        assert w.end == later.start  # contiguous, latest first
    for w in wins:
        assert w.rule_facts[:, 3].max() < w.start <= w.queries.t.min()
        assert w.queries.t.max() < w.end and w.history_facts[:, 3].max() < w.end
        assert len(w.rule_facts) >= n
        assert np.sum((w.history_facts[:, 3] >= w.start)) >= n
    assert tail_cut(facts[facts[:, 3] < end], n) == wins[0].start


class _Spy(RecurrencyForecaster):
    """Records, for every block of re-ranker rows, the days asked and the rules used."""

    def _rerank_training_rows(self, queries, chosen, Xs, ys):
        self.seen = getattr(self, "seen", [])
        self.seen.append((queries.t[chosen].min(), self.rule_conf.copy()))
        super()._rerank_training_rows(queries, chosen, Xs, ys)


def _model(cls=RecurrencyForecaster):
    return cls(num_entities=40, num_relations=2, rerank_k=20, prior_negatives=5,
               hard_negatives=10)


def test_window_rows_read_no_fact_of_their_own_day_or_later():
    facts = _two_habits()
    # planted: from day 70 on, entity 0 does relation 1 to entity 39 many times a day; a
    # window query of day t reading day t or later would see 39 as entity 0's habit
    plant = np.array([[0, 1, 39, t] for t in range(70, 100) for _ in range(5)])
    facts = np.concatenate([facts, plant])
    train, hold = facts[facts[:, 3] < 90], facts[facts[:, 3] >= 90]
    wins = earlier_windows(train, 90, len(hold), count=3, num_relations=2)
    model = _model(_Spy)
    model.fit(train, facts[facts[:, 3] < 100], build_queries(hold, 2), rerank_windows=wins)
    assert model.reranker is not None
    # each window's rows were made with the rules of the facts before that window
    for (t_min, conf), w in zip(model.seen, wins):
        assert w.start <= t_min
        assert np.array_equal(conf, rule_confidences(w.rule_facts, 40, 2))
    # and the rows of each day's queries are those computed from the facts before that day
    w = wins[0]
    model.fit_rules(w.rule_facts)
    model.set_history(w.history_facts)
    days = np.unique(w.queries.t)
    Xs, ys = [], []
    model._rerank_training_rows(w.queries, np.arange(len(w.queries)), Xs, ys)
    for t, X in zip(days, Xs):
        alone = _model()
        alone.weights = model.weights
        alone.fit_rules(w.rule_facts)
        alone.set_history(w.history_facts[w.history_facts[:, 3] < t])
        js = np.flatnonzero(w.queries.t == t)
        Xt, _ = [], []
        alone._rerank_training_rows(w.queries, js, Xt, _)
        assert np.array_equal(np.concatenate(Xt), X)


def test_windows_give_trees_what_a_short_fitting_window_cannot_and_are_deterministic():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 96], facts[facts[:, 3] >= 96]
    q = build_queries(hold, 2)
    wins = earlier_windows(train, 96, len(hold), count=4, num_relations=2)
    fits = []
    for windows in ((), wins, wins):
        m = _model()
        # 12 queries: too few for trees alone (RERANK_MIN_QUERIES)
        m.fit(train, facts, q, max_queries=12, rerank_queries=12, rerank_windows=windows,
              window_queries=40, seed=3)
        fits.append(m)
    assert fits[0].reranker is None and fits[1].reranker is not None
    # the earlier windows leave the linear fit as it was
    assert np.array_equal(fits[0].weights, fits[1].weights)
    assert fits[1].reranker.model_to_string() == fits[2].reranker.model_to_string()


@pytest.mark.parametrize("objective", ["binary"])
def test_reranker_objective_and_leaves_are_settings_that_are_saved(objective, tmp_path):
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 60], facts[(facts[:, 3] >= 60) & (facts[:, 3] < 100)]
    m = RecurrencyForecaster(num_entities=40, num_relations=2, rerank_k=20, prior_negatives=5,
                             hard_negatives=10, rerank_objective=objective, rerank_leaves=7)
    m.fit(train, facts[facts[:, 3] < 100], build_queries(hold, 2))
    assert m.reranker is not None
    m.save(tmp_path / "m.npz")
    back = RecurrencyForecaster.load(tmp_path / "m.npz")
    assert (back.rerank_objective, back.rerank_leaves) == (objective, 7)
