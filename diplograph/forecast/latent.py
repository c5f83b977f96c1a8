"""Latent factors for the ICEWS forecaster: a ComplEx model of "which entities does e do r
with", learned from the history, as one more input to the recurrency forecaster.

Every entity and relation (with inverses) is a complex vector of ``dim`` components; the
affinity of (e, r, c) is Re(<e, r, conj(c)>) (Trouillon et al. 2016). Kept as real arrays,
the query (e, r) becomes one real vector ``q = e ∘ r`` (complex product, real and imaginary
parts side by side), and its affinity with every entity is ``q @ E.T``: each query is scored
against all entities at once (1-N), and the loss is the softmax cross-entropy of the true
answer over all entities, with N3 regularisation (Lacroix et al. 2018). Gradients are written
by hand and applied with Adagrad, in numpy (float32): no deep-learning dependency.

What recurrency cannot see and this can: entities that behave alike share factors, so an
entity e never did r with c before can still find c likely because entities like e did r
with entities like c. Facts are weighted by recency (a half-life in steps) and the oldest
are left out beyond ``max_facts``, so the model describes the recent state of relations and
its cost is bounded on the large datasets. While the forecaster moves forward in time,
:class:`OnlineLatent` keeps learning: at each new step it takes a few Adagrad passes over
the facts of the steps it has not seen, so that the factors know yesterday's news.

The feature it gives the forecaster is the log-probability of c under the softmax over all
entities, ``log p(c | e, r)``: "latent affinity of e and c under r".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LatentFactors:
    """A fitted ComplEx model: E (N, 2d) entity factors, W (2R, 2d) relation factors, the
    real parts in the first d columns and the imaginary parts in the last d."""

    E: np.ndarray
    W: np.ndarray
    t_end: int = 0  # the facts it was fitted on are dated before this step

    @property
    def dim(self) -> int:
        return self.E.shape[1] // 2

    def query_vectors(self, qe: np.ndarray, qr: np.ndarray) -> np.ndarray:
        """(len(qe), 2d) vectors q with affinity(e, r, c) = q · E[c]."""
        return _complex_product(self.E[qe], self.W[qr], self.dim)

    def log_probs(self, qe: np.ndarray, qr: np.ndarray) -> np.ndarray:
        """(len(qe), N) log p(c | e, r): log-softmax of the affinities over all entities."""
        z = self.query_vectors(qe, qr) @ self.E.T
        z -= z.max(axis=1, keepdims=True)
        z -= np.log(np.exp(z).sum(axis=1, keepdims=True))
        return z.astype(np.float64)


def _complex_product(a: np.ndarray, b: np.ndarray, d: int) -> np.ndarray:
    ar, ai, br, bi = a[:, :d], a[:, d:], b[:, :d], b[:, d:]
    return np.hstack([ar * br - ai * bi, ar * bi + ai * br])


def loss_and_grads(E: np.ndarray, W: np.ndarray, s: np.ndarray, r: np.ndarray,
                   o: np.ndarray, weight: np.ndarray, n3: float
                   ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Loss of the batch of training queries (s, r) -> o, and its gradients.

    loss = Σ_k weight_k · (−log softmax(q_k E.T)[o_k]) / Σ weight
         + n3 · Σ_k weight_k (|E[s_k]|³ + |W[r_k]|³ + |E[o_k]|³) / Σ weight,
    |x|³ summed over the complex components' moduli. Returns (loss, dE (N, 2d) dense,
    dW_rows (len(r), 2d): the gradient of each query's relation row, to add at r, and
    dS_rows (len(s), 2d): the same for the subjects, to add at s).
    """
    d = E.shape[1] // 2
    total = float(weight.sum())
    es, wr = E[s], W[r]
    q = _complex_product(es, wr, d)
    z = q @ E.T
    z -= z.max(axis=1, keepdims=True)
    ez = np.exp(z)
    se = ez.sum(axis=1, keepdims=True)
    rows = np.arange(len(s))
    loss = float(weight @ (np.log(se[:, 0]) - z[rows, o])) / total
    G = ez / se  # d loss_k / d z_k = softmax - onehot
    G[rows, o] -= 1.0
    G *= (weight / total)[:, None].astype(G.dtype)
    dE = G.T @ q
    dq = G @ E
    # back through q = es ∘ wr (complex): q_re = a x - b y, q_im = a y + b x
    a, b, x, y = es[:, :d], es[:, d:], wr[:, :d], wr[:, d:]
    gr, gi = dq[:, :d], dq[:, d:]
    dS = np.hstack([gr * x + gi * y, -gr * y + gi * x])
    dWr = np.hstack([gr * a + gi * b, -gr * b + gi * a])
    if n3:
        scale = (n3 * weight / total)[:, None].astype(E.dtype)
        for block, grad in ((es, dS), (wr, dWr)):
            loss += _n3(block, d, scale, grad)
        eo = E[o]
        g_o = np.zeros_like(eo)
        loss += _n3(eo, d, scale, g_o)
        np.add.at(dE, o, g_o)
    return loss, dE, dWr, dS


def _n3(block: np.ndarray, d: int, scale: np.ndarray, grad: np.ndarray) -> float:
    """Add scale · Σ |x|³ (complex moduli) to the loss: returns its value and adds its
    gradient (3 · scale · |x| · x per part) to ``grad`` in place."""
    mod = np.sqrt(block[:, :d] ** 2 + block[:, d:] ** 2)
    m2 = np.hstack([mod, mod])
    grad += 3.0 * scale * m2 * block
    return float((scale[:, 0] * (mod ** 3).sum(axis=1)).sum())


def fit_latent(facts: np.ndarray, num_entities: int, num_relations: int, *, dim: int = 64,
               epochs: int = 20, batch: int = 1000, lr: float = 0.1, n3: float = 1e-3,
               half_life: float | None = 60.0, max_facts: int | None = 120_000,
               init: float = 1e-2, seed: int = 0, log=None) -> LatentFactors:
    """Fit ComplEx factors on (s, r, o, step) facts: both queries of every fact, (s, r, ?)
    and (o, r⁻¹, ?), each weighted 0.5 ** (age / half_life) with the age counted from the
    last step of the facts (None: no recency weighting); only the ``max_facts`` most recent
    facts are used. Adagrad; deterministic for a given seed."""
    facts = np.asarray(facts)
    if max_facts is not None and len(facts) > max_facts:
        facts = facts[np.argsort(facts[:, 3], kind="stable")[-max_facts:]]
    N, R2 = num_entities, 2 * num_relations
    rng = np.random.default_rng(seed)
    E = (init * rng.standard_normal((N, 2 * dim))).astype(np.float32)
    W = (init * rng.standard_normal((R2, 2 * dim))).astype(np.float32)
    if len(facts) == 0:
        return LatentFactors(E, W)
    t_end = int(facts[:, 3].max()) + 1
    s = np.concatenate([facts[:, 0], facts[:, 2]])
    r = np.concatenate([facts[:, 1], facts[:, 1] + num_relations])
    o = np.concatenate([facts[:, 2], facts[:, 0]])
    age = np.tile(facts[:, 3].max() - facts[:, 3], 2).astype(np.float64)
    wt = np.ones(len(s)) if half_life is None else 0.5 ** (age / half_life)
    wt = wt.astype(np.float32)
    hE = np.zeros_like(E)
    hW = np.zeros_like(W)
    for ep in range(epochs):
        loss = _adagrad_pass(E, W, hE, hW, s, r, o, wt, lr, n3, batch, rng)
        if log is not None:
            log(f"latent epoch {ep + 1}/{epochs}: loss {loss:.4f}")
    return LatentFactors(E, W, t_end)


def _adagrad_pass(E, W, hE, hW, s, r, o, weight, lr, n3, batch, rng) -> float:
    """One shuffled pass over the training queries (s, r) -> o: Adagrad steps on E and W
    (the accumulators hE, hW updated in place); returns the mean loss."""
    order = rng.permutation(len(s))
    total = 0.0
    for lo in range(0, len(order), batch):
        k = order[lo:lo + batch]
        loss, dE, dWr, dS = loss_and_grads(E, W, s[k], r[k], o[k], weight[k], n3)
        total += loss * len(k)
        np.add.at(dE, s[k], dS)
        dW = np.zeros_like(W)
        np.add.at(dW, r[k], dWr)
        hE += dE * dE
        E -= lr * dE / (np.sqrt(hE) + EPS)
        touched = np.unique(r[k])
        hW[touched] += dW[touched] ** 2
        W[touched] -= lr * dW[touched] / (np.sqrt(hW[touched]) + EPS)
    return total / max(len(s), 1)


EPS = 1e-10
ONLINE_H0 = 1e-2  # online Adagrad accumulators start here: the first steps are the largest


class OnlineLatent:
    """Fitted factors kept learning as time moves forward: :meth:`advance` to step t takes
    ``epochs`` Adagrad passes over each step's facts (of the given time-sorted facts, with
    inverses) from the fitted factors' end up to t, one step after another, as a forecaster
    sweeping forward sees them. Going back in time starts again from the fitted factors.
    Deterministic: step d's passes are shuffled with seed d."""

    def __init__(self, base: LatentFactors, src: np.ndarray, rel: np.ndarray, ans: np.ndarray,
                 ts: np.ndarray, *, lr: float = 0.1, epochs: int = 1, n3: float = 1e-3,
                 batch: int = 1000):
        self.base, self.lr, self.epochs, self.n3, self.batch = base, lr, epochs, n3, batch
        self.src, self.rel, self.ans, self.ts = src, rel, ans, ts
        self.reset()

    def reset(self) -> None:
        self.E, self.W = self.base.E.copy(), self.base.W.copy()
        self.hE = np.full_like(self.E, ONLINE_H0)
        self.hW = np.full_like(self.W, ONLINE_H0)
        self.t = self.base.t_end
        self.pos = int(np.searchsorted(self.ts, self.base.t_end, side="left"))

    def advance(self, t: int) -> None:
        if t < self.t:
            self.reset()
        end = int(np.searchsorted(self.ts, t, side="left"))
        while self.epochs and self.pos < end:
            day = int(self.ts[self.pos])
            stop = int(np.searchsorted(self.ts, day, side="right"))
            sl = slice(self.pos, stop)
            rng = np.random.default_rng(day)
            s, r, o = self.src[sl], self.rel[sl], self.ans[sl]
            ones = np.ones(len(s), dtype=np.float32)
            for _ in range(self.epochs):
                _adagrad_pass(self.E, self.W, self.hE, self.hW, s, r, o, ones, self.lr,
                              self.n3, self.batch, rng)
            self.pos = stop
        self.pos = max(self.pos, end)
        self.t = max(self.t, t)

    def log_probs(self, qe: np.ndarray, qr: np.ndarray) -> np.ndarray:
        """(len(qe), N) log p(c | e, r) under the factors of the current step."""
        return LatentFactors(self.E, self.W).log_probs(qe, qr)
