"""Rows of (dense values, hashed column indices) as one sparse matrix: the layout every
model of the decision stage reads (the dense block first, then the hashed symbols)."""

from __future__ import annotations

from typing import Any


def csr(rows: list[tuple[list[float], list[int]]], n_features: int) -> Any:
    import numpy as np
    from scipy.sparse import csr_matrix

    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for dense, cols in rows:
        for j, v in enumerate(dense):
            if v != 0.0:  # NaN is kept: LightGBM reads it as missing
                data.append(v)
                indices.append(j)
        data.extend([1.0] * len(cols))
        indices.extend(cols)
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                       np.asarray(indptr, dtype=np.int64)), shape=(len(rows), n_features))
