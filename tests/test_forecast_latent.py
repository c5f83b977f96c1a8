"""The latent factors of the ICEWS forecaster (forecast/latent.py): hand-written gradients,
learning a planted pattern, determinism, and the feature they give the forecaster."""

from __future__ import annotations

import numpy as np
import pytest

from diplograph.forecast.latent import LatentFactors, OnlineLatent, fit_latent, loss_and_grads
from diplograph.forecast.recurrency import FEATURES, RecurrencyForecaster


def _full_grads(E, W, s, r, o, wt, n3):
    loss, dE, dWr, dS = loss_and_grads(E, W, s, r, o, wt, n3)
    dE = dE.copy()
    np.add.at(dE, s, dS)
    dW = np.zeros_like(W)
    np.add.at(dW, r, dWr)
    return loss, dE, dW


@pytest.mark.parametrize("n3", [0.0, 0.05])
def test_latent_gradients_match_finite_differences(n3):
    rng = np.random.default_rng(3)
    N, R2, d = 7, 4, 3
    E = rng.standard_normal((N, 2 * d))
    W = rng.standard_normal((R2, 2 * d))
    s = np.array([0, 2, 2, 5, 6]); r = np.array([1, 0, 3, 1, 2]); o = np.array([3, 3, 1, 0, 6])
    wt = np.array([1.0, 0.5, 2.0, 1.0, 0.25])
    _, dE, dW = _full_grads(E, W, s, r, o, wt, n3)
    h = 1e-6
    for P, grad in ((E, dE), (W, dW)):
        for idx in [(0, 0), (2, 4), (3, 1), (1, 5), (P.shape[0] - 1, 2)]:
            old = P[idx]
            P[idx] = old + h
            up = loss_and_grads(E, W, s, r, o, wt, n3)[0]
            P[idx] = old - h
            down = loss_and_grads(E, W, s, r, o, wt, n3)[0]
            P[idx] = old
            assert grad[idx] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-7)


def _clusters(seed: int = 0) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Entities 0-9 (bloc A) meet entities 10-19 (bloc B) under relation 0, and A meets A
    under relation 1; ten A-B pairs are held out (never seen)."""
    rng = np.random.default_rng(seed)
    pairs = [(a, b) for a in range(10) for b in range(10, 20)]
    held = [pairs[i] for i in rng.choice(len(pairs), 10, replace=False)]
    seen = [p for p in pairs if p not in held]
    facts = [(a, 0, b, t) for t in range(3) for a, b in seen]
    facts += [(a, 1, a2, t) for t in range(3) for a in range(10) for a2 in range(10) if a != a2]
    return np.array(facts), held


def test_latent_factors_generalise_a_planted_pattern():
    facts, held = _clusters()
    model = fit_latent(facts, 20, 2, dim=8, epochs=60, batch=64, lr=0.1, n3=1e-3,
                       half_life=None, max_facts=None, seed=0)
    lp = model.log_probs(np.array([a for a, _ in held]), np.zeros(len(held), dtype=np.int64))
    for i, (a, b) in enumerate(held):
        # the unseen partner of the other bloc is more likely than anyone of a's own bloc
        assert lp[i, b] > lp[i, :10].max()
    # and the inverse query finds the other bloc too
    lp_inv = model.log_probs(np.array([b for _, b in held]), np.full(len(held), 2))
    assert (lp_inv[:, :10].min(axis=1) > lp_inv[:, 10:].max(axis=1)).all()
    assert np.allclose(np.exp(lp).sum(axis=1), 1.0)


def test_latent_fit_is_deterministic_with_a_seed_and_reads_the_latest_facts():
    facts, _ = _clusters()
    a = fit_latent(facts, 20, 2, dim=4, epochs=3, batch=50, seed=7)
    b = fit_latent(facts, 20, 2, dim=4, epochs=3, batch=50, seed=7)
    c = fit_latent(facts, 20, 2, dim=4, epochs=3, batch=50, seed=8)
    assert np.array_equal(a.E, b.E) and np.array_equal(a.W, b.W)
    assert not np.array_equal(a.E, c.E)
    # max_facts keeps the most recent facts: entity 19's only fact is the oldest, dropped
    facts = facts[np.argsort(facts[:, 3], kind="stable")]
    old = np.vstack([[[0, 0, 19, -5]], facts])
    kept = fit_latent(old, 20, 2, dim=4, epochs=1, batch=50, seed=7, max_facts=len(facts))
    assert np.array_equal(kept.E, fit_latent(facts, 20, 2, dim=4, epochs=1, batch=50, seed=7,
                                             max_facts=None).E)
    assert not np.array_equal(kept.E, fit_latent(old, 20, 2, dim=4, epochs=1, batch=50,
                                                 seed=7, max_facts=None).E)


def test_forecaster_shows_latent_affinity_and_saves_it(tmp_path):
    facts, held = _clusters()
    # history: the cluster facts on days 0-2; queries: the held-out pairs on day 3
    q_facts = np.array([(a, 0, b, 3) for a, b in held])

    class Q:
        e = q_facts[:, 0]; r = q_facts[:, 1]; t = q_facts[:, 3]

        @staticmethod
        def answers_of(i):
            return np.array([q_facts[i, 2]])

    model = RecurrencyForecaster(num_entities=20, num_relations=2, prior_negatives=5,
                                 latent_dim=8, latent_epochs=40)
    model.fit(facts, np.vstack([facts, q_facts]), Q, max_queries=None)
    assert model.latent is not None
    a, b = held[0]
    item = model.explain(a, 0, 3, candidate=b)[0]
    latent = [f for f in item["features"] if f["feature"] == "latent.affinity"]
    assert latent and latent[0]["value"] < 0.0  # a log-probability
    assert latent[0]["contribution"] == pytest.approx(latent[0]["value"] * latent[0]["weight"])
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = RecurrencyForecaster.load(path)
    loaded.set_history(facts)
    assert np.array_equal(loaded.latent.E, model.latent.E)
    assert np.allclose(loaded.score(np.array([a]), np.array([0]), 3),
                       model.score(np.array([a]), np.array([0]), 3))
    assert FEATURES[-1] == "latent.affinity"


def test_forecaster_without_latent_factors_gives_zero_affinity():
    facts, held = _clusters()
    model = RecurrencyForecaster(num_entities=20, num_relations=2)
    model.fit_rules(facts)
    model.fit_latent(facts)  # latent_dim 0: nothing to fit
    model.set_history(facts)
    model.prior.advance(3)
    X = model.prior.dense_features(np.array([0]), np.array([0]), np.zeros(20, np.int64),
                                   np.arange(20))
    assert model.latent is None and not X[:, -1].any()
    assert isinstance(fit_latent(facts[:0], 20, 2, dim=2), LatentFactors)


def test_online_latent_learns_new_facts_and_starts_again_going_back():
    facts, _ = _clusters()
    base = fit_latent(facts, 20, 2, dim=8, epochs=30, batch=64, half_life=None, seed=0)
    assert base.t_end == 3
    # day 3: A-entity 0 now does relation 1 with B-entity 15, ten times
    new = np.array([(0, 1, 15, 3)] * 10)
    allf = np.vstack([facts, new])
    src = np.concatenate([allf[:, 0], allf[:, 2]])
    rel = np.concatenate([allf[:, 1], allf[:, 1] + 2])
    ans = np.concatenate([allf[:, 2], allf[:, 0]])
    ts = np.concatenate([allf[:, 3], allf[:, 3]])
    order = np.argsort(ts, kind="stable")
    online = OnlineLatent(base, src[order], rel[order], ans[order], ts[order], lr=0.1, epochs=3)
    q = (np.array([0]), np.array([1]))
    online.advance(3)  # day 3 not over yet: nothing new learned
    assert np.array_equal(online.log_probs(*q), base.log_probs(*q))
    online.advance(4)
    after = online.log_probs(*q)[0, 15]
    assert after > base.log_probs(*q)[0, 15] + 1.0
    online.advance(3)  # back in time: the fitted factors again
    assert np.array_equal(online.E, base.E)
    online.advance(4)
    assert online.log_probs(*q)[0, 15] == after
