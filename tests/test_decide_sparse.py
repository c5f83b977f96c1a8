"""decide.sparse.csr: the matrix the boosters read, equal entry for entry to one built row
by row (dense non-zeros in column order, NaN kept, then the hashed columns)."""

from __future__ import annotations

import math
import random

import numpy as np

from diplograph.claims.decide.sparse import csr


def _row_by_row(rows, n_features):
    out = np.zeros((len(rows), n_features))
    for i, (dense, cols) in enumerate(rows):
        for j, v in enumerate(dense):
            out[i, j] = v
        for j in cols:
            out[i, j] = 1.0
    return out


def test_csr_equals_rows_entry_by_entry():
    rng = random.Random(5)
    for n in (0, 1, 3, 50):
        rows = []
        for _ in range(n):
            dense = [rng.choice([0.0, -0.0, 1.0, 2.5, math.nan, -3.0]) for _ in range(11)]
            rows.append((dense, sorted(rng.sample(range(11, 400), rng.randint(0, 30)))))
        m = csr(rows, 400)
        assert m.shape == (n, 400)
        assert np.array_equal(m.toarray(), _row_by_row(rows, 400), equal_nan=True)
        for i, (dense, cols) in enumerate(rows):
            a, b = m.indptr[i], m.indptr[i + 1]
            want = [j for j, v in enumerate(dense) if v != 0.0] + cols
            assert m.indices[a:b].tolist() == want  # NaN stays as an entry, zeros do not


def test_hashed_columns_are_the_crc_of_each_symbol_seen_or_not():
    import zlib

    from diplograph.claims.decide.sparse import Hashed

    h = Hashed(36, 14, most=4)
    want = {36 + (zlib.crc32(s.encode("utf-8")) & ((1 << 14) - 1)) for s in ("t=visit", "w=sign", "ünï")}
    assert h.columns(["t=visit", "w=sign"]) | {h("ünï")} == want  # first seen
    assert h.columns(["t=visit", "w=sign", "ünï", "t=visit"]) == want  # remembered
    for k in range(10):  # past ``most`` all is forgotten at once, and the answers stay
        h(f"s{k}")
    assert len(h.known) <= 4
    assert h.columns(["ünï", "w=sign", "t=visit"]) == want
