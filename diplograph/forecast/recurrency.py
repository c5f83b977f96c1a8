"""An explainable forecaster for temporal knowledge graphs: recurrency features, relaxed
recurrency, inverse recurrency, length-1 cyclic rules and popularity priors, combined by a
linear model whose weights are fitted on held-out queries.

For a query (e, q, ?, t) every entity c gets ``score(c) = w · f(e, q, c, t)``, where each
feature in ``f`` reads only facts dated before t and has a plain meaning (``FEATURES``):

* strict recurrency of (e, q, c): how often, what share of (e, q, ·), how long ago (binned);
* relaxed recurrency of (e, ·, c): any relation, either direction;
* inverse recurrency: (c, q, e) happened before;
* rules ``r1(e, c) ⇒ q(e, c)`` (TLogic-style cyclic rules of length 1), with a confidence
  learned from the training facts, each firing weighted by how recent its body fact is;
* popularity of c as an answer to q, recently and overall, and c's recent activity: the
  prior that gives every entity a score, so rankings are complete.

Because the score is a sum of named contributions, :meth:`RecurrencyForecaster.explain`
can list, for any prediction, the features that produced it and the past facts behind them.
The model is fitted by maximising the softmax likelihood of the true answers (a listwise
ranking loss) with L-BFGS.

Time is counted in steps (days): raw timestamps are divided by ``time_step``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from ..errors import SourceError
from .windows import RERANK_WINDOWS, fitting_windows, window_sample

# Recency bins on Δ = t - (last time seen), in steps: (lo, hi] upper bounds.
BIN_EDGES = (1, 2, 4, 8, 16, 32, 64, 256, 1024)
BIN_NAMES = tuple(
    f"{lo + 1}-{hi}" if hi - lo > 1 else f"{hi}"
    for lo, hi in zip((0, *BIN_EDGES[:-1]), BIN_EDGES)
) + (f">{BIN_EDGES[-1]}",)
DECAYS = (0.9, 0.99)


def _feature_names() -> tuple[str, ...]:
    names: list[str] = []
    for kind in ("strict", "pair"):
        names += [f"{kind}.log_count", f"{kind}.share"]
        names += [f"{kind}.decayed_{d}" for d in DECAYS]
        names += [f"{kind}.last_{b}" for b in BIN_NAMES]
    names += ["inverse.log_count"] + [f"inverse.decayed_{d}" for d in DECAYS]
    names += ["rule.decayed", "rule.log_count", "rule.max_conf"]
    names += ["self"]
    names += ["strict.share_x_repeat_rate", "strict.log_count_x_repeat_rate",
              "pair.share_x_pair_rate", "pair.log_count_x_pair_rate"]
    names += ["strict.inv_rank", "pair.inv_rank"]
    names += ["prior.recent_as_answer", "prior.log_count_as_answer", "prior.recent_activity"]
    names += ["twohop.log_walk", "group.same", "group.same_x_recent_answer"]
    names += ["prior.recent_x_novelty_rate", "prior.recent_x_thin_history"]
    names += ["prior.last_days_as_answer", "prior.last_days_activity"]
    names += ["grouprel.peers_to_c", "grouprel.e_to_cgroup", "grouprel.group_to_cgroup"]
    names += ["twohop.rel_walk"]
    return tuple(names)


FEATURES = _feature_names()
# The re-ranker's inputs: every feature, then the linear score and facts about the query.
RERANK_FEATURES = FEATURES + (
    "linear.score", "linear.gap_to_top", "linear.rank", "query.log_activity",
    "query.log_partners", "query.repeat_rate", "query.partner_rate",
)
RERANK_THREADS = 1  # the machine is shared; one thread
RERANK_MIN_QUERIES = 20  # fewer fitting queries with an answer in the top: no re-ranker
N_DENSE = 14
BURST_LAMBDA = 0.5  # 'last few days' popularity: news bursts
N_SPARSE = len(FEATURES) - N_DENSE
DENSE_LAMBDA = 0.9
WALK_LAMBDA = 0.98
WALK_WINDOW = 200
RULE_LAMBDA = 0.9
GROUP_LAMBDA = 0.95  # group-level relation counts: decay per step, and the window read
GROUP_WINDOW = 365
TWOHOP_LAMBDA = 0.95  # partners' facts with the query relation: decay, window
TWOHOP_WINDOW = 90

FEATURE_TEXT = {
    "strict": "({e}, {r}, {c}) happened before",
    "pair": "{e} and {c} interacted before (any relation)",
    "inverse": "({c}, {r}, {e}) happened before (inverse direction)",
    "rule": "rules r1({e}, {c}) ⇒ {r}({e}, {c}) fired",
    "self": "candidate is the query entity itself",
    "prior": "{c} is a frequent/recent answer to {r} (prior)",
    "twohop": "{c} interacted recently with entities {e} interacted with "
              "(rel_walk: those entities did {r} with {c})",
    "group": "{c} belongs to the same group (country) as {e}",
    "grouprel": "entities of {e}'s group (country) did {r} with {c} / with {c}'s group, "
                "or {e} did {r} with {c}'s group",
}


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenate the integer ranges [starts[i], ends[i]) without a Python loop."""
    lengths = (ends - starts).astype(np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return shift + np.arange(total, dtype=np.int64)


class _TimeIndex:
    """Rows sorted by (key, time), to read the rows of a key dated in [t0, t) at once."""

    def __init__(self, keys: np.ndarray, ts: np.ndarray):
        self.tb = int(ts.max()) + 2 if len(ts) else 1
        comb = keys.astype(np.int64) * self.tb + ts
        self.order = np.argsort(comb, kind="stable")
        self.comb = comb[self.order]

    def rows(self, keys: np.ndarray, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ids (into the arrays given at build time) of each key dated t0 <= ts < t1,
        and for each row the position of its key in ``keys``."""
        base = keys.astype(np.int64) * self.tb
        lo = np.searchsorted(self.comb, base + min(max(t0, 0), self.tb - 1))
        hi = np.searchsorted(self.comb, base + min(max(t1, 0), self.tb - 1))
        idx = _ranges(lo, hi)
        return self.order[idx], np.repeat(np.arange(len(keys)), hi - lo)


def _bin_index(delta: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(BIN_EDGES), delta, side="left")


@dataclass
class History:
    """All known facts, with inverses, indexed for "what did entity e do before t".

    Facts are kept sorted by (e, c, relation, time) so that the facts of one entity form a
    contiguous block and every (e, c, relation) group is contiguous within it. Queries at t
    mask out facts dated t or later, so the same index serves every point in time.
    """

    num_entities: int
    num_relations: int  # R; relations 0..2R-1 with inverses
    e: np.ndarray
    rel: np.ndarray
    c: np.ndarray
    ts: np.ndarray
    estart: np.ndarray

    @classmethod
    def build(cls, facts: np.ndarray, num_entities: int, num_relations: int) -> History:
        """Index (s, r, o, step) facts (time already in steps), adding their inverses."""
        s, r, o, t = facts[:, 0], facts[:, 1], facts[:, 2], facts[:, 3]
        e = np.concatenate([s, o])
        rel = np.concatenate([r, r + num_relations])
        c = np.concatenate([o, s])
        ts = np.concatenate([t, t])
        order = np.lexsort((ts, rel, c, e))
        e, rel, c, ts = e[order], rel[order], c[order], ts[order]
        estart = np.searchsorted(e, np.arange(num_entities + 1))
        return cls(num_entities, num_relations, e.astype(np.int64), rel.astype(np.int64),
                   c.astype(np.int64), ts.astype(np.int64), estart)

    def rows_before(self, ents: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of the facts of each entity in ``ents`` dated before t, and for each
        row the position of its entity in ``ents``."""
        lo, hi = self.estart[ents], self.estart[ents + 1]
        idx = _ranges(lo, hi)
        owner = np.repeat(np.arange(len(ents)), hi - lo)
        keep = self.ts[idx] < t
        return idx[keep], owner[keep]


@dataclass
class Candidates:
    """Sparse candidate features for a batch of queries: row k is candidate ``cand[k]`` of
    query ``query[k]`` with features ``X[k]`` (the first N_SPARSE features)."""

    query: np.ndarray
    cand: np.ndarray
    X: np.ndarray


def candidate_features(hist: History, qe: np.ndarray, qr: np.ndarray, t: int,
                       rule_conf: np.ndarray, rates: np.ndarray) -> Candidates:
    """Features of every entity that shares history with the query entity, for queries
    (qe[j], qr[j], ?, t), from facts dated before t."""
    N, R = hist.num_entities, hist.num_relations
    R2 = 2 * R
    U, uq = np.unique(qe, return_inverse=True)
    idx, owner = hist.rows_before(U, t)
    if len(idx) == 0:
        return Candidates(np.zeros(0, np.int64), np.zeros(0, np.int64),
                          np.zeros((0, N_SPARSE), np.float64))
    c, rel, ts = hist.c[idx], hist.rel[idx], hist.ts[idx]
    delta = (t - ts).astype(np.float64)
    n = len(idx)
    chg_p = np.ones(n, dtype=bool)
    chg_p[1:] = (owner[1:] != owner[:-1]) | (c[1:] != c[:-1])
    chg_g = chg_p.copy()
    chg_g[1:] |= rel[1:] != rel[:-1]
    g_start = np.flatnonzero(chg_g)
    g_end = np.append(g_start[1:], n)
    p_start = np.flatnonzero(chg_p)
    p_end = np.append(p_start[1:], n)
    dec = [np.power(d, delta) for d in DECAYS]
    rule_w = np.power(RULE_LAMBDA, delta)

    # (e, c, relation) groups
    g_u, g_c, g_rel = owner[g_start], c[g_start], rel[g_start]
    g_cnt = (g_end - g_start).astype(np.float64)
    g_last = delta[g_end - 1]  # rows sorted by time within a group: last row = most recent
    g_dec = [np.add.reduceat(w, g_start) for w in dec]
    g_rule = np.add.reduceat(rule_w, g_start)
    g_key = (g_u * N + g_c) * R2 + g_rel
    p_of_g = np.cumsum(chg_p)[g_start] - 1
    # (e, c) pairs
    p_u, p_c = owner[p_start], c[p_start]
    p_cnt = (p_end - p_start).astype(np.float64)
    p_last = np.minimum.reduceat(delta, p_start)
    p_dec = [np.add.reduceat(w, p_start) for w in dec]
    pg_start = np.searchsorted(p_of_g, np.arange(len(p_start)), side="left")
    pg_end = np.append(pg_start[1:], len(g_start))
    # totals per entity and per (entity, relation), for shares
    tot_u = np.bincount(owner, minlength=len(U)).astype(np.float64)
    tot_ur = np.bincount(g_u * R2 + g_rel, weights=g_cnt, minlength=len(U) * R2)
    pu_start = np.searchsorted(p_u, np.arange(len(U) + 1))

    # expand queries × candidate pairs
    j_rows = np.repeat(np.arange(len(qe)), pu_start[uq + 1] - pu_start[uq])
    pidx = _ranges(pu_start[uq], pu_start[uq + 1])
    u_j, q_j = uq[j_rows], qr[j_rows]
    cand = p_c[pidx]
    X = np.zeros((len(pidx), N_SPARSE), dtype=np.float64)
    nb = len(BIN_NAMES)

    def block(col: int, cnt: np.ndarray, share: np.ndarray, decs: list[np.ndarray],
              last: np.ndarray, present: np.ndarray) -> None:
        X[:, col] = np.log1p(cnt)
        X[:, col + 1] = share
        for k, dv in enumerate(decs):
            X[:, col + 2 + k] = np.log1p(dv)
        b = _bin_index(last[present])
        rows = np.flatnonzero(present)
        X[rows, col + 2 + len(DECAYS) + b] = 1.0

    # strict (e, q, c)
    key = (u_j * N + cand) * R2 + q_j
    pos = np.minimum(np.searchsorted(g_key, key), len(g_key) - 1)
    hit = g_key[pos] == key
    gp = pos[hit]
    cnt = np.zeros(len(pidx)); cnt[hit] = g_cnt[gp]
    share = np.zeros(len(pidx)); share[hit] = g_cnt[gp] / tot_ur[u_j[hit] * R2 + q_j[hit]]
    decs = []
    for gd in g_dec:
        v = np.zeros(len(pidx)); v[hit] = gd[gp]; decs.append(v)
    last = np.zeros(len(pidx)); last[hit] = g_last[gp]
    block(0, cnt, share, decs, last, hit)
    col = 2 + len(DECAYS) + nb
    # pair (e, ·, c)
    block(col, p_cnt[pidx], p_cnt[pidx] / tot_u[u_j], [pd[pidx] for pd in p_dec],
          p_last[pidx], np.ones(len(pidx), dtype=bool))
    col += 2 + len(DECAYS) + nb
    # inverse: (c, q, e) is (e, q⁻¹, c) in the augmented history
    qinv = (q_j + R) % R2
    key = (u_j * N + cand) * R2 + qinv
    pos = np.minimum(np.searchsorted(g_key, key), len(g_key) - 1)
    hit = g_key[pos] == key
    gp = pos[hit]
    X[hit, col] = np.log1p(g_cnt[gp])
    for k, gd in enumerate(g_dec):
        X[hit, col + 1 + k] = np.log1p(gd[gp])
    col += 1 + len(DECAYS)
    # rules r1(e, c) ⇒ q(e, c): expand candidate rows × their relation groups
    n_g = pg_end[pidx] - pg_start[pidx]
    x_of = np.repeat(np.arange(len(pidx)), n_g)
    gi = _ranges(pg_start[pidx], pg_end[pidx])
    conf = rule_conf[g_rel[gi], q_j[x_of]]
    X[:, col] = np.bincount(x_of, weights=conf * g_rule[gi], minlength=len(pidx))
    X[:, col + 1] = np.bincount(x_of, weights=conf * np.log1p(g_cnt[gi]), minlength=len(pidx))
    mx = np.zeros(len(pidx))
    np.maximum.at(mx, x_of, conf)
    X[:, col + 2] = mx
    col += 3
    X[:, col] = (cand == qe[j_rows]).astype(np.float64)
    col += 1
    # how much relation q repeats itself / repeats a past partner (learned from training)
    rs, rp = rates[q_j, 0], rates[q_j, 1]
    X[:, col] = X[:, 1] * rs
    X[:, col + 1] = X[:, 0] * rs
    pcol = 2 + len(DECAYS) + nb
    X[:, col + 2] = X[:, pcol + 1] * rp
    X[:, col + 3] = X[:, pcol] * rp
    col += 4
    # 1 / rank of c among the query's candidates by recency-weighted count (decay 0.9):
    # "c is e's k-th most (recently) frequent partner for q / for anything"
    X[:, col] = _inv_rank(j_rows, X[:, 2])
    X[:, col + 1] = _inv_rank(j_rows, X[:, pcol + 2])
    return Candidates(j_rows, cand, X)


def top_k(S: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k best entities of the (queries, entities) scores S, best first (ties by
    entity id), and their scores: two (len(S), min(k, N)) arrays."""
    k = min(k, S.shape[1])
    top = np.argpartition(-S, k - 1, axis=1)[:, :k]
    ts = np.take_along_axis(S, top, axis=1)
    order = np.lexsort((top, -ts), axis=1)
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(ts, order, axis=1)


def _batches(queries: QueryLike, chosen: np.ndarray, size: int = 512):
    """The chosen queries grouped by time, in batches of at most ``size``: (t, indices)."""
    for t in np.unique(queries.t[chosen]):
        js_t = chosen[queries.t[chosen] == t]
        for lo in range(0, len(js_t), size):
            yield int(t), js_t[lo:lo + size]


def _sample(n: int, at_most: int | None, rng: np.random.Generator) -> np.ndarray:
    """Indices 0..n-1, or at most ``at_most`` of them drawn at random, sorted."""
    if at_most is None or n <= at_most:
        return np.arange(n)
    return np.sort(rng.choice(n, size=at_most, replace=False))


def _inv_rank(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """1 / rank of each row's value within its group, largest first; ties share the best
    rank; rows with value 0 get 0. ``group`` must be sorted."""
    n = len(value)
    out = np.zeros(n)
    if n == 0:
        return out
    order = np.lexsort((-value, group))
    v, g = value[order], group[order]
    new_g = np.ones(n, dtype=bool); new_g[1:] = g[1:] != g[:-1]
    new_run = new_g.copy(); new_run[1:] |= v[1:] != v[:-1]
    g_first = np.flatnonzero(new_g)[np.cumsum(new_g) - 1]
    run_first = np.flatnonzero(new_run)[np.cumsum(new_run) - 1]
    rank = run_first - g_first + 1.0
    out[order] = np.where(v > 0, 1.0 / rank, 0.0)
    return out


class DensePrior:
    """Features every entity has, whatever its history with the query entity: popularity
    as an answer to each relation (decayed and total), recent activity, two-step random
    walks over recent interactions, and group (country) membership. Maintained by
    sweeping facts forward in time."""

    def __init__(self, facts: np.ndarray, num_entities: int, num_relations: int,
                 groups: np.ndarray | None = None):
        R2 = 2 * num_relations
        s, r, o, t = facts[:, 0], facts[:, 1], facts[:, 2], facts[:, 3]
        rel = np.concatenate([r, r + num_relations])
        ans = np.concatenate([o, s])
        src = np.concatenate([s, o])
        ts = np.concatenate([t, t])
        order = np.argsort(ts, kind="stable")
        self.rel, self.ans, self.src, self.ts = rel[order], ans[order], src[order], ts[order]
        self.N, self.R2 = num_entities, R2
        self.groups = groups
        self.rates = np.zeros((R2, 2))  # set by the forecaster (repeat_rates)
        self.by_src_rel = _TimeIndex(self.src * R2 + self.rel, self.ts)
        if groups is not None:
            self.G = int(groups.max()) + 1
            self.by_group_rel = _TimeIndex(groups[self.src] * R2 + self.rel, self.ts)
        self.reset()

    def reset(self) -> None:
        self.dec = np.zeros((self.R2, self.N), dtype=np.float64)
        self.cnt = np.zeros((self.R2, self.N), dtype=np.float64)
        self.act = np.zeros(self.N, dtype=np.float64)
        self.burst = np.zeros((self.R2, self.N), dtype=np.float64)
        self.burst_act = np.zeros(self.N, dtype=np.float64)
        self.t_ref = None
        self.pos = 0
        self.walk = None
        self._qcache = None

    def advance(self, t: int) -> None:
        """Bring the counts to time t: include every fact dated before t."""
        if self.t_ref is not None and t < self.t_ref:
            self.reset()
        if self.t_ref is not None and t > self.t_ref:
            f = DENSE_LAMBDA ** (t - self.t_ref)
            self.dec *= f
            self.act *= f
            fb = BURST_LAMBDA ** (t - self.t_ref)
            self.burst *= fb
            self.burst_act *= fb
        if self.t_ref != t:
            self.walk = None
        self.t_ref = t
        end = int(np.searchsorted(self.ts, t, side="left"))
        if end > self.pos:
            sl = slice(self.pos, end)
            w = DENSE_LAMBDA ** (t - self.ts[sl]).astype(np.float64)
            np.add.at(self.dec, (self.rel[sl], self.ans[sl]), w)
            np.add.at(self.cnt, (self.rel[sl], self.ans[sl]), 1.0)
            np.add.at(self.act, self.ans[sl], w)
            wb = BURST_LAMBDA ** (t - self.ts[sl]).astype(np.float64)
            np.add.at(self.burst, (self.rel[sl], self.ans[sl]), wb)
            np.add.at(self.burst_act, self.ans[sl], wb)
            self.pos = end

    def features(self, rels: np.ndarray) -> np.ndarray:
        """(len(rels), N, 3) prior features for the given relations at the current time."""
        out = np.empty((len(rels), self.N, 3), dtype=np.float64)
        out[:, :, 0] = np.log1p(self.dec[rels])
        out[:, :, 1] = np.log1p(self.cnt[rels])
        out[:, :, 2] = np.log1p(self.act)[None, :]
        return out

    def _walk_matrix(self) -> sparse.csr_matrix:
        """Row-normalised recent interaction matrix (decayed, last WALK_WINDOW steps)."""
        if self.walk is None:
            t = self.t_ref
            lo = int(np.searchsorted(self.ts, t - WALK_WINDOW, side="left"))
            hi = self.pos
            w = WALK_LAMBDA ** (t - self.ts[lo:hi]).astype(np.float64)
            A = sparse.csr_matrix((w, (self.src[lo:hi], self.ans[lo:hi])), shape=(self.N, self.N))
            deg = np.asarray(A.sum(axis=1)).ravel()
            inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
            self.walk = sparse.diags(inv) @ A
        return self.walk

    def entity_features(self, ents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(len(ents), N) two-step walk feature and same-group indicator, current time."""
        P = self._walk_matrix()
        walk = (P[ents] @ P).toarray()
        walk[np.arange(len(ents)), ents] = 0.0  # walks back to the query entity say nothing
        walk = np.log1p(100.0 * walk)
        if self.groups is None:
            same = np.zeros((len(ents), self.N))
        else:
            same = (self.groups[ents][:, None] == self.groups[None, :]).astype(np.float64)
        return walk, same

    def group_rel_features(self, qe: np.ndarray, qr: np.ndarray) -> list[np.ndarray]:
        """Three (len(qe), N) features for queries (qe[j], qr[j], ?, t) at the current time,
        from the facts of the last GROUP_WINDOW steps, each weighted GROUP_LAMBDA ** age:
        log1p of the weighted number of facts (x, r, c) with x in e's group (``peers_to_c``),
        (e, r, y) with y in c's group (``e_to_cgroup``), and (x, r, y) with x in e's group
        and y in c's group (``group_to_cgroup``). Zero without groups."""
        N, R2 = self.N, self.R2
        if self.groups is None or self.t_ref is None:
            return [np.zeros((len(qe), N)) for _ in range(3)]
        t, G, g = self.t_ref, self.G, self.groups
        t0 = t - GROUP_WINDOW
        ukey, inv = np.unique(g[qe] * R2 + qr, return_inverse=True)
        idx, own = self.by_group_rel.rows(ukey, t0, t)
        w = GROUP_LAMBDA ** (t - self.ts[idx]).astype(np.float64)
        a = self.ans[idx]
        peers = np.bincount(own * N + a, weights=w, minlength=len(ukey) * N).reshape(-1, N)
        gg = np.bincount(own * G + g[a], weights=w, minlength=len(ukey) * G).reshape(-1, G)
        ekey, einv = np.unique(qe * R2 + qr, return_inverse=True)
        idx, own = self.by_src_rel.rows(ekey, t0, t)
        w = GROUP_LAMBDA ** (t - self.ts[idx]).astype(np.float64)
        eg = np.bincount(own * G + g[self.ans[idx]], weights=w,
                         minlength=len(ekey) * G).reshape(-1, G)
        return [np.log1p(peers)[inv], np.log1p(eg)[:, g][einv], np.log1p(gg)[:, g][inv]]

    def twohop_rel(self, qe: np.ndarray, qr: np.ndarray) -> np.ndarray:
        """(len(qe), N): log1p(100 · Σ_x P[e, x] · n(x, r, c)) for queries (e, r, ?, t), where
        P[e, x] is the share of e's recent interactions that were with x (the walk matrix)
        and n(x, r, c) the number of facts (x, r, c) of the last TWOHOP_WINDOW steps, each
        weighted TWOHOP_LAMBDA ** age: how much e's recent partners did r with c."""
        N, t = self.N, self.t_ref
        if t is None:
            return np.zeros((len(qe), N))
        Pe = self._walk_matrix()[qe].tocoo()
        keys = Pe.col.astype(np.int64) * self.R2 + qr[Pe.row]
        idx, own = self.by_src_rel.rows(keys, t - TWOHOP_WINDOW, t)
        w = Pe.data[own] * TWOHOP_LAMBDA ** (t - self.ts[idx]).astype(np.float64)
        out = np.bincount(Pe.row[own] * N + self.ans[idx], weights=w,
                          minlength=len(qe) * N).reshape(len(qe), N)
        return np.log1p(100.0 * out)

    def _query_mats(self, qe: np.ndarray, qr: np.ndarray):
        """The (query, entity) matrices of the current time for queries (qe[j], qr[j]):
        (index of each query's entity in the unique entities, walk, same group, the three
        group-relation features, the relation-restricted walk). Kept for the last batch, since
        scoring and building feature rows for the same batch both need them."""
        key = (self.t_ref, qe.tobytes(), qr.tobytes())
        if self._qcache is not None and self._qcache[0] == key:
            return self._qcache[1]
        self._qcache = None
        ue, einv = np.unique(qe, return_inverse=True)
        walk, same = self.entity_features(ue)
        mats = (einv, walk, same, self.group_rel_features(qe, qr), self.twohop_rel(qe, qr))
        self._qcache = (key, mats)
        return mats

    def dense_features(self, qe: np.ndarray, qr: np.ndarray, rows: np.ndarray,
                       cands: np.ndarray) -> np.ndarray:
        """(len(rows), N_DENSE) features of entity cands[k] for query rows[k]."""
        einv, walk, same, grel, two = self._query_mats(qe, qr)
        e_r, q_r = einv[rows], qr[rows]
        out = np.empty((len(rows), N_DENSE))
        recent = np.log1p(self.dec[q_r, cands])
        out[:, 0] = recent
        out[:, 1] = np.log1p(self.cnt[q_r, cands])
        out[:, 2] = np.log1p(self.act[cands])
        out[:, 3] = walk[e_r, cands]
        out[:, 4] = same[e_r, cands]
        out[:, 5] = out[:, 4] * recent
        out[:, 6] = recent * (1.0 - self.rates[q_r, 1])
        out[:, 7] = recent / (1.0 + np.log1p(self.act[qe[rows]]))
        out[:, 8] = np.log1p(self.burst[q_r, cands])
        out[:, 9] = np.log1p(self.burst_act[cands])
        for k, F in enumerate(grel):
            out[:, 10 + k] = F[rows, cands]
        out[:, 13] = two[rows, cands]
        return out

    def dense_scores(self, qe: np.ndarray, qr: np.ndarray, w: np.ndarray) -> np.ndarray:
        """(len(qe), N) weighted sum of the dense features, for every entity."""
        ur, rinv = np.unique(qr, return_inverse=True)
        einv, walk, same, grel, two = self._query_mats(qe, qr)
        recent = np.log1p(self.dec[ur])
        per_r = w[0] * recent + w[1] * np.log1p(self.cnt[ur]) + w[2] * np.log1p(self.act)[None, :]
        per_r += w[6] * recent * (1.0 - self.rates[ur, 1])[:, None]
        per_r += w[8] * np.log1p(self.burst[ur]) + w[9] * np.log1p(self.burst_act)[None, :]
        S = per_r[rinv]
        S += w[7] * recent[rinv] / (1.0 + np.log1p(self.act[qe]))[:, None]
        S += w[3] * walk[einv]
        if self.groups is not None:
            sq = same[einv]
            S += w[4] * sq
            S += w[5] * sq * recent[rinv]
            for k, F in enumerate(grel):
                S += w[10 + k] * F
        S += w[13] * two
        return S


def rule_confidences(facts: np.ndarray, num_entities: int, num_relations: int,
                     smoothing: float = 5.0) -> np.ndarray:
    """Confidence of length-1 rules r1(x, y) ⇒ r2(x, y), over relations with inverses.

    conf[r1, r2] = #pairs (x, y) with both r1 and r2 / (#pairs with r1 + smoothing), from
    the given facts. Recurrency (r1 = r2) and inverse recurrency (r1 = r2⁻¹) have their own
    features, so those entries are zero.
    """
    R, R2, N = num_relations, 2 * num_relations, num_entities
    s, r, o = facts[:, 0], facts[:, 1], facts[:, 2]
    x = np.concatenate([s, o]); y = np.concatenate([o, s]); rel = np.concatenate([r, r + R])
    pair = x * N + y
    keys = np.unique(pair * R2 + rel)
    pk, rk = keys // R2, keys % R2
    _, pid = np.unique(pk, return_inverse=True)
    B = sparse.csr_matrix((np.ones(len(keys)), (pid, rk)), shape=(int(pid.max()) + 1 if len(pid) else 0, R2))
    co = (B.T @ B).toarray()
    body = np.diag(co).copy()
    conf = co / (body[:, None] + smoothing)
    np.fill_diagonal(conf, 0.0)
    idx = np.arange(R2)
    conf[idx, (idx + R) % R2] = 0.0
    return conf


def relation_classes(facts: np.ndarray, num_relations: int, repeat_rate: np.ndarray,
                     k: int) -> np.ndarray:
    """Class 0..k-1 of every relation (with inverses, 0..2R-1): relations sorted by
    ``repeat_rate`` and cut into k runs holding about the same number of ``facts`` each
    (class 0 repeats least). Relations without facts go with their neighbours by rate."""
    R2 = 2 * num_relations
    if k <= 1:
        return np.zeros(R2, dtype=np.int64)
    n = np.bincount(np.concatenate([facts[:, 1], facts[:, 1] + num_relations]),
                    minlength=R2).astype(np.float64)
    order = np.argsort(repeat_rate, kind="stable")
    share = (np.cumsum(n[order]) - n[order] / 2) / max(n.sum(), 1.0)
    cls = np.empty(R2, dtype=np.int64)
    cls[order] = np.minimum((share * k).astype(np.int64), k - 1)
    return cls


def repeat_rates(facts: np.ndarray, num_relations: int, smoothing: float = 10.0) -> np.ndarray:
    """(2R, 2) per relation (with inverses): the share of its facts (e, q, c, t) where
    (e, q, c) happened before t, and where e and c interacted before t (any relation)."""
    R, R2 = num_relations, 2 * num_relations
    s, r, o, t = facts[:, 0], facts[:, 1], facts[:, 2], facts[:, 3]
    e = np.concatenate([s, o]); c = np.concatenate([o, s])
    q = np.concatenate([r, r + R]); ts = np.concatenate([t, t])
    out = np.zeros((R2, 2))
    n_q = np.bincount(q, minlength=R2).astype(np.float64)
    for col, key in ((0, (q, c, e)), (1, (c, e))):
        order = np.lexsort((ts, *key))
        ks = np.stack([k[order] for k in key], axis=1)
        new = np.ones(len(order), dtype=bool)
        new[1:] = np.any(ks[1:] != ks[:-1], axis=1)
        first_t = ts[order][np.flatnonzero(new)][np.cumsum(new) - 1]
        repeat = ts[order] > first_t
        out[:, col] = np.bincount(q[order], weights=repeat, minlength=R2)
    mean = out.sum(axis=0) / max(n_q.sum(), 1.0)
    return (out + smoothing * mean) / (n_q[:, None] + smoothing)


@dataclass
class FitReport:
    queries: int
    answers: int
    rows: int
    loss: float
    iterations: int
    # the re-ranker's earlier windows: (first step, end step, queries, sampled, rule facts)
    windows: tuple[tuple[int, int, int, int, int], ...] = ()


@dataclass
class RecurrencyForecaster:
    """Fit on a history and held-out queries; score and explain queries at any time.

    ``facts``: all known facts (s, r, o, step), possibly including the facts being
    forecast — scoring a query at t only ever reads facts dated before t.
    """

    num_entities: int
    num_relations: int
    l2: float = 1e-3
    prior_negatives: int = 200
    reweight_rounds: int = 3
    rank_power: float = 1.0
    # Feature-name prefixes held at weight 0. By default the relation-rate interactions,
    # the thin-history prior and the last-days priors: on a valid-split holdout they
    # changed nothing on ICEWS14 (45.33 vs 45.29) and cost 0.9 MRR on ICEWS18.
    disabled: tuple[str, ...] = (
        "strict.share_x", "strict.log_count_x", "pair.share_x", "pair.log_count_x",
        "prior.recent_x_novelty", "prior.recent_x_thin", "prior.last_days",
    )
    groups: np.ndarray | None = None  # entity -> group id (e.g. country), optional
    # Relations (with inverses) are split into this many classes by how often their facts
    # repeat an earlier (e, r, c) (the strict repeat rate, from the rule facts), each class
    # holding about the same number of facts; each class gets its own weights. Off by
    # default: 2 classes gave 45.61 against 45.70 with one on the ICEWS14 valid holdout.
    relation_classes: int = 1
    # Negatives of a second fitting pass: each query's top entities under the first weights
    # (valid-split holdout: ICEWS14 45.55 -> 46.17, ICEWS18 31.15 -> 33.52). The first pass
    # only has to find those entities: a third of the queries and one reweighting round
    # do (46.21 on ICEWS14).
    hard_negatives: int = 100
    first_pass_share: float = 0.33  # share of the queries the first pass is fitted on
    first_pass_rounds: int | None = 1  # its reweighting rounds (None: reweight_rounds)
    weights: np.ndarray | None = None  # (F,), or (relation_classes, F)
    rule_conf: np.ndarray | None = None
    rates: np.ndarray | None = None
    rel_class: np.ndarray | None = None  # relation (0..2R-1) -> class
    history: History | None = field(default=None, repr=False)
    prior: DensePrior | None = field(default=None, repr=False)
    report: FitReport | None = None
    # Second stage: a gradient-boosted ranker (LightGBM, lambdarank objective) re-orders each
    # query's top ``rerank_k`` entities under the linear score, from the same named features
    # plus the linear score and a few facts about the query (``RERANK_FEATURES``); trees can
    # use interactions the linear model cannot ("trust recurrency when e has much history").
    # Its per-feature contributions (TreeSHAP) explain each re-ranked score. 0: off.
    rerank_k: int = 0
    rerank_trees: int = 500
    rerank_leaves: int = 31
    rerank_objective: str = "lambdarank"  # or "binary"
    reranker: object | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- saving
    _STATE = ("weights", "rule_conf", "rates", "rel_class", "groups")
    _NOT_CONFIG = _STATE + ("reranker", "history", "prior", "report")

    def save(self, path: str | Path) -> None:
        """Write the fitted model (settings, weights, rule confidences, rates, groups and
        the re-ranker's trees) to one .npz file. The history is not saved: after
        :meth:`load`, give it with :meth:`set_history`."""
        config = {f.name: getattr(self, f.name) for f in fields(self)
                  if f.name not in self._NOT_CONFIG}
        arrays = {k: getattr(self, k) for k in self._STATE if getattr(self, k) is not None}
        arrays["config"] = np.array(json.dumps(config))
        if self.reranker is not None:
            arrays["reranker"] = np.array(self.reranker.model_to_string())
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> RecurrencyForecaster:
        """A model written by :meth:`save` (call :meth:`set_history` before scoring).
        Raises SourceError naming the file when it is not such a model."""
        hint = "give a .npz file written by RecurrencyForecaster.save (bench/tkg_bench.py writes one)"
        try:
            with np.load(path, allow_pickle=False) as z:
                if "config" not in z.files or "weights" not in z.files:
                    raise SourceError(str(path), "not a saved forecaster (no config or weights)", hint=hint)
                config = json.loads(str(z["config"]))
                config["disabled"] = tuple(config["disabled"])
                model = cls(**config)
                for k in cls._STATE:
                    if k in z.files:
                        setattr(model, k, z[k])
                if "reranker" in z.files:
                    import lightgbm as lgb

                    model.reranker = lgb.Booster(model_str=str(z["reranker"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:  # unreadable, not .npz, bad config
            raise SourceError(str(path), f"cannot read the saved forecaster: {exc}", hint=hint) from None
        return model

    # ---------------------------------------------------------------- setting up
    def set_history(self, facts: np.ndarray) -> None:
        """Index the facts that scoring may read (always masked to before the query time)."""
        self.history = History.build(facts, self.num_entities, self.num_relations)
        self.prior = DensePrior(facts, self.num_entities, self.num_relations, self.groups)
        self.prior.rates = self.rates

    def fit_rules(self, facts: np.ndarray) -> None:
        """Rule confidences and per-relation repeat rates from (training) facts."""
        self.rule_conf = rule_confidences(facts, self.num_entities, self.num_relations)
        self.rates = repeat_rates(facts, self.num_relations)
        self.rel_class = relation_classes(facts, self.num_relations, self.rates[:, 0],
                                          self.relation_classes)

    def weights_of(self, r: int) -> np.ndarray:
        """The weight vector used for queries of relation r (0..2R-1)."""
        return self.weights if self.weights.ndim == 1 else self.weights[self.rel_class[r]]

    # ---------------------------------------------------------------- fitting
    def fit(self, rule_facts: np.ndarray, history_facts: np.ndarray, queries: QueryLike,
            *, max_queries: int | None = 30000, rerank_queries: int | None = None,
            rerank_windows: int | Sequence = RERANK_WINDOWS,
            window_queries: int | str | None = "auto", seed: int = 0) -> FitReport:
        """Learn rule confidences from ``rule_facts``, then the feature weights on
        ``queries`` (each answered from ``history_facts`` dated before its time): the linear
        weights on at most ``max_queries`` of them, the re-ranker on at most
        ``rerank_queries`` (None: the same queries as the linear weights). Trees need more
        examples than the linear model's few dozen weights, and their rows are small (the
        top ``rerank_k`` entities of each query), so they can be given more queries, also
        from ``rerank_windows`` earlier windows (forecast/windows.py; a count, default 3,
        of windows as large as the fitting window going back from it through
        ``rule_facts``, or the windows themselves; 0 or () for none; fewer, or none, are
        made when the history is too short): at most ``window_queries`` queries of each
        (None: all; "auto": all when the re-ranker takes the fitting window whole, else
        10,000), scored with the fitted weights and the window's own rule confidences,
        from facts before each query's day. The windows leave the linear weights as they
        are, and are not made without a re-ranker (``rerank_k`` 0)."""
        self.fit_rules(rule_facts)
        self.set_history(history_facts)
        self.reranker = None
        rng = np.random.default_rng(seed)
        nq = len(queries.e)
        chosen = _sample(nq, max_queries, rng)
        first = chosen
        if self.hard_negatives and self.first_pass_share < 1.0:
            n1 = max(1, round(self.first_pass_share * len(chosen)))
            first = np.sort(rng.choice(chosen, size=n1, replace=False))
        W, report = self._fit_weights(queries, first,
                                      rounds=self.first_pass_rounds if self.hard_negatives else None)
        if self.hard_negatives:
            # Second pass: add each query's top entities under the first weights as
            # negatives. The first rows only hold the entities with history and the most
            # frequent answers; entities that only the dense features (group, walk, prior)
            # score high were never shown as wrong, and their weights come out too large.
            self.weights = W[0] if len(W) == 1 else W
            W, report = self._fit_weights(queries, chosen, hard_k=self.hard_negatives, W0=W)
        self.weights = W[0] if len(W) == 1 else W
        self.report = report
        if self.rerank_k:
            if rerank_queries is not None:
                chosen = _sample(nq, rerank_queries, rng)
            if isinstance(rerank_windows, (int, np.integer)):
                rerank_windows = fitting_windows(rule_facts, history_facts, queries.t,
                                                 int(rerank_windows), self.num_relations)
            per_window = window_sample(window_queries, nq,
                                       max_queries if rerank_queries is None else rerank_queries)
            Xs, ys, used = [], [], []
            if rerank_windows:
                kept = (self.rule_conf, self.rates, self.rel_class, self.history, self.prior)
                for w in rerank_windows:
                    self.fit_rules(w.rule_facts)
                    self.set_history(w.history_facts)
                    picked = _sample(len(w.queries.e), per_window, rng)
                    self._rerank_training_rows(w.queries, picked, Xs, ys)
                    used.append((int(w.start), int(w.end), len(w.queries.e), len(picked),
                                 len(w.rule_facts)))
                self.rule_conf, self.rates, self.rel_class, self.history, self.prior = kept
            report.windows = tuple(used)
            self._rerank_training_rows(queries, chosen, Xs, ys)
            self._fit_reranker(Xs, ys, seed)
        return report

    def _rerank_training_rows(self, queries: QueryLike, chosen: np.ndarray,
                              Xs: list, ys: list) -> None:
        """Append to Xs / ys the re-ranker's rows of the chosen queries: the top
        ``rerank_k`` entities of each under the (already fitted) linear weights, labelled by
        whether they answer it; queries whose answers all fall outside the top teach it
        nothing and are left out."""
        for t, js in _batches(queries, chosen):
            qe, qr = queries.e[js], queries.r[js]
            S, cands = self._linear_scores(qe, qr, t)
            top, X = self._rerank_rows(qe, qr, t, S, cands)
            y = np.zeros(top.shape, dtype=bool)
            for i, j in enumerate(js):
                y[i] = np.isin(top[i], queries.answers_of(j))
            keep = y.any(axis=1)
            k = top.shape[1]
            Xs.append(X.reshape(len(js), k, -1)[keep].reshape(-1, X.shape[1]))
            ys.append(y[keep].ravel())

    def _fit_reranker(self, Xs: list, ys: list, seed: int) -> None:
        """Fit the second-stage ranker on rows from :meth:`_rerank_training_rows` (the
        blocks of Xs are freed as they are copied). A tenth of the queries is kept aside to
        stop adding trees when they no longer help. With fewer than RERANK_MIN_QUERIES
        queries there is nothing to learn from, and the model stays linear."""
        import lightgbm as lgb

        k = min(self.rerank_k, self.num_entities)
        if not ys:
            return
        y = np.concatenate(ys).astype(np.float32)
        del ys
        ng = len(y) // k
        if ng < RERANK_MIN_QUERIES:
            return  # too few queries with an answer in the top to learn from: linear only
        rng = np.random.default_rng(seed)
        val = np.zeros(ng, dtype=bool)
        val[rng.choice(ng, size=max(1, ng // 10), replace=False)] = True
        rv = np.repeat(val, k)
        # the two parts are filled block by block, each block freed once copied: the rows
        # are held about once, not twice (a concatenated copy, then its split)
        parts = [np.empty((int(n), Xs[0].shape[1]), dtype=np.float32)
                 for n in (np.sum(~rv), np.sum(rv))]
        at, filled = 0, [0, 0]
        for i, block in enumerate(Xs):
            m = rv[at:at + len(block)]
            for part, sel in enumerate((~m, m)):
                rows = block[sel]
                parts[part][filled[part]:filled[part] + len(rows)] = rows
                filled[part] += len(rows)
            at += len(block)
            Xs[i] = None
        X_train, X_val = parts
        del parts
        params = dict(objective=self.rerank_objective, learning_rate=0.05,
                      num_leaves=self.rerank_leaves, min_data_in_leaf=100, feature_fraction=0.8, lambda_l2=1.0,
                      metric="map", eval_at=[k], num_threads=RERANK_THREADS, verbose=-1,
                      seed=seed, deterministic=True, force_row_wise=True)
        train = lgb.Dataset(X_train, y[~rv], group=np.full(ng - val.sum(), k),
                            feature_name=list(RERANK_FEATURES), free_raw_data=True)
        valid = lgb.Dataset(X_val, y[rv], group=np.full(val.sum(), k), reference=train)
        del X_train, X_val
        self.reranker = lgb.train(params, train, num_boost_round=self.rerank_trees,
                                  valid_sets=[valid],
                                  callbacks=[lgb.early_stopping(50, verbose=False)])

    def _fit_weights(self, queries: QueryLike, chosen: np.ndarray, hard_k: int = 0,
                     W0: np.ndarray | None = None, rounds: int | None = None
                     ) -> tuple[np.ndarray, FitReport]:
        K = self.relation_classes
        rounds = self.reweight_rounds if rounds is None else rounds
        Xs, groups, targets = [[] for _ in range(K)], [[] for _ in range(K)], [[] for _ in range(K)]
        offset = 0
        for t, js in _batches(queries, chosen):
            Xq, grp, tgt, _ = self._training_rows(queries, js, t, hard_k)
            row_class = self.rel_class[queries.r[js]][grp]
            for k in range(K):
                m = row_class == k if K > 1 else slice(None)
                Xs[k].append(Xq[m]); groups[k].append(grp[m] + offset)
                targets[k].append(tgt[m])
            offset += len(js)
        off = np.array([any(n.startswith(p) for p in self.disabled) for n in FEATURES])
        W = np.zeros((K, len(FEATURES)))
        loss = 0.0
        rows = answers = it = 0
        for k in range(K):
            if not Xs[k]:
                continue
            # float32 halves memory (the loss is summed in float64); the blocks are never
            # concatenated, which would hold the rows twice at the peak
            X = _RowBlocks(Xs[k])
            Xs[k] = None
            grp = np.concatenate(groups[k])
            tgt = np.concatenate(targets[k])
            if not tgt.any():
                continue
            w, lk, it = _fit_softmax(X, grp, tgt, offset, self.l2, fixed_zero=off,
                                     w0=None if W0 is None else W0[k])
            for _ in range(rounds):
                # Refit with each answer weighted by its current reciprocal rank: MRR gains
                # little from answers ranked in the thousands, so they should not pull the
                # weights away from getting the likely answers to the top.
                ranks = _group_ranks(X.dot(w), grp, tgt)
                w, lk, it = _fit_softmax(X, grp, tgt, offset, self.l2,
                                         tw=ranks ** -self.rank_power, w0=w, fixed_zero=off)
            W[k] = w
            loss += lk * tgt.sum()
            rows += len(X)
            answers += int(tgt.sum())
            del X
        return W, FitReport(len(chosen), answers, rows, loss / max(answers, 1), it)

    def _training_rows(self, queries: QueryLike, js: np.ndarray, t: int, hard_k: int = 0):
        N = self.num_entities
        qe, qr = queries.e[js], queries.r[js]
        hard = np.zeros((len(js), 0), dtype=np.int64)
        if hard_k:
            hk = min(hard_k, N)
            hard = np.argpartition(-self.score(qe, qr, t), hk - 1, axis=1)[:, :hk]
        cands = candidate_features(self.history, qe, qr, t, self.rule_conf, self.rates)
        self.prior.advance(t)
        ur, uinv = np.unique(qr, return_inverse=True)
        # top prior negatives per relation (by total count as an answer)
        k = min(self.prior_negatives, N)
        top = np.argpartition(-self.prior.cnt[ur], k - 1, axis=1)[:, :k]
        ans_rows, ans_ents = [], []
        for i, j in enumerate(js):
            a = queries.answers_of(j)
            ans_rows.append(np.full(len(a), i)); ans_ents.append(a)
        ans_q = np.concatenate(ans_rows); ans_e = np.concatenate(ans_ents)
        extra_q = np.concatenate([np.repeat(np.arange(len(js)), k),
                                  np.repeat(np.arange(len(js)), hard.shape[1]), ans_q])
        extra_c = np.concatenate([top[uinv].ravel(), hard.ravel(), ans_e])
        all_q = np.concatenate([cands.query, extra_q])
        all_c = np.concatenate([cands.cand, extra_c])
        key = all_q * N + all_c
        _, first = np.unique(key, return_index=True)
        first = np.sort(first)
        all_q, all_c = all_q[first], all_c[first]
        ncand = len(cands.query)
        Xs = np.zeros((len(first), N_SPARSE))
        from_c = first < ncand
        Xs[from_c] = cands.X[first[from_c]]
        Xd = self.prior.dense_features(qe, qr, all_q, all_c)
        X = np.hstack([Xs, Xd]).astype(np.float32)
        order = np.argsort(all_q, kind="stable")
        X, all_q, all_c = X[order], all_q[order], all_c[order]
        is_ans = np.isin(all_q * N + all_c, ans_q * N + ans_e)
        return X, all_q, is_ans, all_c

    # ---------------------------------------------------------------- scoring
    def score(self, qe: np.ndarray, qr: np.ndarray, t: int) -> np.ndarray:
        """(len(qe), N) scores for queries (qe[j], qr[j], ?, t), from facts before t. With a
        re-ranker, each query's top ``rerank_k`` entities are re-ordered by it and placed
        above all others."""
        S, cands = self._linear_scores(qe, qr, t)
        if self.reranker is not None:
            top, X = self._rerank_rows(qe, qr, t, S, cands)
            p = self.reranker.predict(X, num_threads=RERANK_THREADS).reshape(top.shape)
            base = S.max(axis=1, keepdims=True) + 1.0
            np.put_along_axis(S, top, base + p - p.min(axis=1, keepdims=True), axis=1)
        return S

    def _linear_scores(self, qe: np.ndarray, qr: np.ndarray, t: int
                       ) -> tuple[np.ndarray, Candidates | None]:
        """Linear scores, and the sparse candidate rows they were computed from (None with
        several relation classes)."""
        assert self.weights is not None, "fit the forecaster first"
        if self.weights.ndim == 2:
            cls = self.rel_class[qr]
            S = np.empty((len(qe), self.num_entities))
            for k in np.unique(cls):
                m = cls == k
                S[m] = self._score(qe[m], qr[m], t, self.weights[k])[0]
            return S, None
        return self._score(qe, qr, t, self.weights)

    def _score(self, qe: np.ndarray, qr: np.ndarray, t: int, w: np.ndarray
               ) -> tuple[np.ndarray, Candidates]:
        self.prior.advance(t)
        S = self.prior.dense_scores(qe, qr, w[N_SPARSE:])
        cands = candidate_features(self.history, qe, qr, t, self.rule_conf, self.rates)
        S[cands.query, cands.cand] += cands.X @ w[:N_SPARSE]
        return S, cands

    def _rerank_rows(self, qe: np.ndarray, qr: np.ndarray, t: int, S: np.ndarray,
                     cands: Candidates | None) -> tuple[np.ndarray, np.ndarray]:
        """Each query's top entities under the linear scores S, best first, (nq, k), and
        their feature rows (nq * k, len(RERANK_FEATURES)) in that order."""
        N, nq = self.num_entities, len(qe)
        k = min(self.rerank_k, N)
        top, st = top_k(S, k)
        rows, cand = np.repeat(np.arange(nq), k), top.ravel()
        if cands is None:
            cands = candidate_features(self.history, qe, qr, t, self.rule_conf, self.rates)
        Xs = np.zeros((len(rows), N_SPARSE))
        ck = cands.query * N + cands.cand
        if len(ck):
            srt = np.argsort(ck)
            ck = ck[srt]
            key = rows * N + cand
            pos = np.minimum(np.searchsorted(ck, key), len(ck) - 1)
            hit = ck[pos] == key
            Xs[hit] = cands.X[srt[pos[hit]]]
        self.prior.advance(t)
        Xd = self.prior.dense_features(qe, qr, rows, cand)
        partners = np.bincount(cands.query, minlength=nq)
        extra = np.column_stack([
            st.ravel(), (st - st[:, :1]).ravel(), np.tile(np.arange(1.0, k + 1), nq),
            np.repeat(np.log1p(self.prior.act[qe]), k), np.repeat(np.log1p(partners), k),
            np.repeat(self.rates[qr, 0], k), np.repeat(self.rates[qr, 1], k),
        ])
        return top, np.hstack([Xs, Xd, extra]).astype(np.float32)

    # ---------------------------------------------------------------- explaining
    def explain(self, e: int, r: int, t: int, candidate: int | None = None, *, top: int = 5,
                max_facts: int = 5) -> list[dict]:
        """Evidence for one query (e, r, ?, t): for the top candidates (or one candidate), the
        score, the linear score with every non-zero feature contribution to it (weight ×
        value), the re-ranker's account when there is one (``rerank``: linear rank, the
        trees' output and each input's contribution; None outside its top or without a
        re-ranker) and the past facts (e, relation, c, step) behind them, most recent
        first. ``r >= R`` is an inverse relation (a subject query)."""
        S = self.score(np.array([e]), np.array([r]), t)[0]
        cands = [candidate] if candidate is not None else list(np.argsort(-S, kind="stable")[:top])
        linear, sparse_rows = self._linear_scores(np.array([e]), np.array([r]), t)
        reranked = self._explain_rerank(e, r, t, linear, sparse_rows, cands)
        feats = candidate_features(self.history, np.array([e]), np.array([r]), t, self.rule_conf,
                                   self.rates)
        dense = self.prior.dense_features(np.array([e]), np.array([r]),
                                          np.zeros(len(cands), dtype=np.int64), np.array(cands))
        R, R2 = self.num_relations, 2 * self.num_relations
        idx, _ = self.history.rows_before(np.array([e]), t)
        h_c, h_rel, h_ts = self.history.c[idx], self.history.rel[idx], self.history.ts[idx]
        out = []
        for n_c, c in enumerate(cands):
            c = int(c)
            x = np.zeros(len(FEATURES))
            k = np.flatnonzero(feats.cand == c)
            if len(k):
                x[:N_SPARSE] = feats.X[k[0]]
            x[N_SPARSE:] = dense[n_c]
            wr = self.weights_of(r)
            contrib = x * wr
            features = [
                {"feature": FEATURES[i], "value": float(x[i]), "weight": float(wr[i]),
                 "contribution": float(contrib[i])}
                for i in np.argsort(-np.abs(contrib)) if x[i] != 0.0
            ]
            m = h_c == c
            facts = sorted(zip(h_rel[m].tolist(), h_ts[m].tolist()), key=lambda p: -p[1])

            def as_fact(rel: int, step: int, c: int = c) -> tuple[int, int, int, int]:
                return (e, rel, c, step) if rel < R else (c, rel - R, e, step)

            strict = [as_fact(rl, s) for rl, s in facts if rl == r]
            inverse = [as_fact(rl, s) for rl, s in facts if rl == (r + R) % R2]
            rules = []
            for rl, s in facts:
                conf = float(self.rule_conf[rl, r])
                if conf > 0 and rl != r:
                    rules.append({"body": int(rl), "head": int(r), "confidence": conf,
                                  "fact": as_fact(rl, s)})
            rules.sort(key=lambda d: (-d["confidence"], -d["fact"][3]))
            out.append({
                "candidate": c, "score": float(S[c]), "linear_score": float(linear[0, c]),
                "features": features, "rerank": reranked.get(c),
                "counts": {"strict": len(strict), "inverse": len(inverse), "pair": len(facts),
                           "rules": len(rules)},
                "evidence": {
                    "strict": strict[:max_facts],
                    "inverse": inverse[:max_facts],
                    "pair": [as_fact(rl, s) for rl, s in facts][:max_facts],
                    "rules": rules[:max_facts],
                },
            })
        return out


    def _explain_rerank(self, e: int, r: int, t: int, linear: np.ndarray,
                        sparse_rows: Candidates | None, cands: list[int]) -> dict:
        """For each candidate among the re-ranked top of query (e, r, ?, t): its linear rank,
        the trees' output and each input's share of it (TreeSHAP contributions, which add up
        to the output with the bias). Empty without a re-ranker."""
        if self.reranker is None:
            return {}
        top, X = self._rerank_rows(np.array([e]), np.array([r]), t, linear, sparse_rows)
        pos = {int(c): i for i, c in enumerate(top[0])}
        rows = [pos[int(c)] for c in cands if int(c) in pos]
        if not rows:
            return {int(c): None for c in cands}
        contrib = self.reranker.predict(X[rows], pred_contrib=True, num_threads=1)
        out: dict = {int(c): None for c in cands}
        for i, row in zip(rows, contrib):
            order = np.argsort(-np.abs(row[:-1]))
            out[int(top[0, i])] = {
                "linear_rank": i + 1, "output": float(row.sum()), "bias": float(row[-1]),
                "contributions": [
                    {"feature": RERANK_FEATURES[f], "value": float(X[i, f]),
                     "contribution": float(row[f])}
                    for f in order if row[f] != 0.0
                ],
            }
        return out


def describe(item: dict, t: int, entities: list[str], relations: list[str]) -> list[str]:
    """Plain-language lines for one item of :meth:`RecurrencyForecaster.explain`.

    ``t`` is the query time (in steps); facts are shown as (subject, relation, object,
    step) with names. Example line: ``(A, Consult, B) happened 12 times, last 3 steps ago``.
    """
    R = len(relations)

    def rel_name(r: int) -> str:
        return relations[r] if r < R else f"{relations[r - R]} (inverse)"

    def fact(f: tuple[int, int, int, int]) -> str:
        s, r, o, step = f
        return f"({entities[s]}, {relations[r]}, {entities[o]}, step {step})"

    c = item["candidate"]
    lines = [f"{entities[c]}: score {item['score']:.3f}"]
    n, ev = item["counts"], item["evidence"]
    if n["strict"]:
        last = ev["strict"][0]
        lines.append(f"  the same fact happened {n['strict']} time(s) before, last {t - last[3]} "
                     f"step(s) ago: {fact(last)}")
    if n["inverse"]:
        lines.append(f"  the inverse fact happened {n['inverse']} time(s): {fact(ev['inverse'][0])}")
    if n["pair"] and not n["strict"]:
        lines.append(f"  {n['pair']} earlier fact(s) link the two, latest {fact(ev['pair'][0])}")
    for rule in ev["rules"][:3]:
        lines.append(f"  rule {rel_name(rule['body'])} ⇒ {rel_name(rule['head'])} "
                     f"(confidence {rule['confidence']:.2f}) fired from {fact(rule['fact'])}")
    top = [f"{f['feature']} {f['contribution']:+.2f}" for f in item["features"][:4]]
    lines.append("  largest contributions: " + ", ".join(top))
    rr = item.get("rerank")
    if rr:
        top = [f"{f['feature']} {f['contribution']:+.2f}" for f in rr["contributions"][:4]]
        lines.append(f"  re-ranked from linear rank {rr['linear_rank']} by the trees "
                     f"(output {rr['output']:+.2f}): " + ", ".join(top))
    return lines


class QueryLike:  # typing helper: Queries from tkg.py has these attributes
    e: np.ndarray
    r: np.ndarray
    t: np.ndarray

    def answers_of(self, i: int) -> np.ndarray: ...


class _RowBlocks:
    """A tall matrix kept as the row blocks it was built from: the products the fit needs,
    without a concatenated copy."""

    def __init__(self, blocks: list[np.ndarray]):
        self.blocks = [b for b in blocks if len(b)] or blocks[:1]
        self.bounds = np.cumsum([0] + [len(b) for b in self.blocks])
        self.dtype = self.blocks[0].dtype
        self.shape = (int(self.bounds[-1]), self.blocks[0].shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def dot(self, w: np.ndarray) -> np.ndarray:
        """X @ w, in float64."""
        w = w.astype(self.dtype)
        return np.concatenate([b @ w for b in self.blocks]).astype(np.float64)

    def tdot(self, p: np.ndarray) -> np.ndarray:
        """X.T @ p, in float64."""
        p = p.astype(self.dtype)
        out = np.zeros(self.shape[1])
        for b, lo, hi in zip(self.blocks, self.bounds[:-1], self.bounds[1:]):
            out += b.T @ p[lo:hi]
        return out

    def rows(self, mask: np.ndarray) -> np.ndarray:
        """The rows where ``mask`` is true, in float64."""
        return np.concatenate([b[mask[lo:hi]] for b, lo, hi in
                               zip(self.blocks, self.bounds[:-1], self.bounds[1:])]).astype(np.float64)


def _fit_softmax(X: np.ndarray | _RowBlocks, grp: np.ndarray, tgt: np.ndarray, ngroups: int, l2: float,
                 tw: np.ndarray | None = None, w0: np.ndarray | None = None,
                 fixed_zero: np.ndarray | None = None) -> tuple[np.ndarray, float, int]:
    """Weights maximising Σ_answers tw · log softmax(X w) within each query group (+ L2).
    ``tw``: a weight per answer row (default 1)."""
    starts = np.searchsorted(grp, np.arange(ngroups))
    nonempty = np.diff(np.append(starts, len(grp))) > 0
    starts = starts[nonempty]
    _, ginv = np.unique(grp, return_inverse=True)
    tw_rows = np.zeros(len(grp))
    tw_rows[tgt] = 1.0 if tw is None else tw
    n_ans = np.add.reduceat(tw_rows, starts)
    total = n_ans.sum()
    if not isinstance(X, _RowBlocks):
        X = _RowBlocks([X])
    x_tgt = (X.rows(tgt) * tw_rows[tgt][:, None]).sum(axis=0)
    tw_t = tw_rows[tgt]

    def f(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = X.dot(w)
        m = np.maximum.reduceat(z, starts)
        ez = np.exp(z - m[ginv])
        se = np.add.reduceat(ez, starts)
        lse = m + np.log(se)
        loss = (n_ans @ lse - tw_t @ z[tgt]) / total
        p = ez / se[ginv] * n_ans[ginv]
        grad = (X.tdot(p) - x_tgt) / total
        return loss + l2 * w @ w, grad + 2 * l2 * w

    w_init = np.zeros(X.shape[1]) if w0 is None else w0
    bounds = None
    if fixed_zero is not None and fixed_zero.any():
        bounds = [(0.0, 0.0) if z else (None, None) for z in fixed_zero]
        w_init = np.where(fixed_zero, 0.0, w_init)
    res = optimize.minimize(f, w_init, jac=True, method="L-BFGS-B", bounds=bounds,
                            options={"maxiter": 500})
    return res.x, float(res.fun), int(res.nit)


def _group_ranks(z: np.ndarray, grp: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """Time-aware filtered expected rank of each answer row among the rows of its group:
    the group's other answers are left out, ties count half (as in the evaluation)."""
    order = np.lexsort((-z, grp))
    zs, gs, ts = z[order], grp[order], tgt[order].astype(np.int64)
    n = len(z)
    new_g = np.ones(n, dtype=bool); new_g[1:] = gs[1:] != gs[:-1]
    new_run = new_g.copy(); new_run[1:] |= zs[1:] != zs[:-1]
    g_first = np.flatnonzero(new_g)[np.cumsum(new_g) - 1]
    run_starts = np.flatnonzero(new_run)
    run_id = np.cumsum(new_run) - 1
    run_len = np.diff(np.append(run_starts, n))
    # answers before a position / inside a run, to leave the other answers out
    t_before = np.concatenate([[0], np.cumsum(ts)])  # t_before[i] = answers in rows < i
    run_t = np.add.reduceat(ts, run_starts)
    higher = (run_starts[run_id] - g_first) - (t_before[run_starts[run_id]] - t_before[g_first])
    ties = (run_len[run_id] - 1) - (run_t[run_id] - 1)
    rank_sorted = 1.0 + higher + ties / 2.0
    rank = np.empty(n)
    rank[order] = rank_sorted
    return rank[np.flatnonzero(tgt)]
