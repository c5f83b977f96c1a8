"""Which entities resemble each other, from what they did: the forecaster's
``similar.rel_walk`` feature ("entities like e did r with c") reads these neighbours.

Each entity's profile is the set of (relation, partner) pairs of its facts, both directions
(``(e, r, c)`` and ``(c, r⁻¹, e)``), each pair weighted ``log(1 + count) · idf``, where idf
= log(#entities / #entities with that pair) discounts pairs everybody has (talking to the
United States). Two entities are similar by the cosine of their profiles; each keeps its
``k`` most similar others. Computed with scipy's sparse products, a block of rows at a time,
so memory stays at one (block, N) dense slice.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

BLOCK = 512  # rows of the similarity matrix held densely at once


def entity_neighbours(facts: np.ndarray, num_entities: int, num_relations: int, k: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar entities of every entity and their cosine similarities, two
    (num_entities, k) arrays (most similar first). Slots without a similar entity (no
    facts, or fewer than k entities sharing a pair) hold the entity itself with similarity
    0, so they add nothing wherever they are used."""
    N, R2 = num_entities, 2 * num_relations
    nbr = np.repeat(np.arange(N, dtype=np.int64)[:, None], k, axis=1)
    sim = np.zeros((N, k))
    if len(facts) == 0 or k == 0:
        return nbr, sim
    s, r, o = facts[:, 0], facts[:, 1], facts[:, 2]
    ent = np.concatenate([s, o])
    key = np.concatenate([r * N + o, (r + num_relations) * N + s])
    P = sparse.csr_matrix((np.ones(len(ent)), (ent, key)), shape=(N, R2 * N))
    P.sum_duplicates()
    P.data = np.log1p(P.data)
    df = np.bincount(P.indices, minlength=P.shape[1])
    active = max(int(np.sum(np.diff(P.indptr) > 0)), 1)
    P.data *= np.log(active / df[P.indices])  # a pair every entity has says nothing
    norm = np.sqrt(np.asarray(P.multiply(P).sum(axis=1)).ravel())
    P = sparse.diags(np.divide(1.0, norm, out=np.zeros(N), where=norm > 0)) @ P
    P = P.tocsr()
    PT = P.T.tocsc()
    kk = min(k, N - 1)
    for lo in range(0, N, BLOCK):
        hi = min(lo + BLOCK, N)
        D = (P[lo:hi] @ PT).toarray()
        D[np.arange(hi - lo), np.arange(lo, hi)] = 0.0  # not its own neighbour
        if kk <= 0:
            continue
        top = np.argpartition(-D, kk - 1, axis=1)[:, :kk]
        val = np.take_along_axis(D, top, axis=1)
        order = np.lexsort((top, -val), axis=1)
        top, val = np.take_along_axis(top, order, axis=1), np.take_along_axis(val, order, axis=1)
        keep = val > 0
        nbr[lo:hi, :kk] = np.where(keep, top, nbr[lo:hi, :kk])
        sim[lo:hi, :kk] = np.where(keep, val, 0.0)
    return nbr, sim
