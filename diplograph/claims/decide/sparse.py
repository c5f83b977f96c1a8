"""Rows of (dense values, hashed column indices) as one sparse matrix: the layout every
model of the decision stage reads (the dense block first, then the hashed symbols)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from itertools import chain
from typing import Any


class Hashed:
    """The column of a symbol: ``first`` plus the low ``bits`` of its CRC-32, remembered (the
    same words and symbols recur in every document; all forgotten at once past ``most``).
    ``columns(symbols)`` gives the set of a row's columns with one dictionary lookup each."""

    def __init__(self, first: int, bits: int, most: int = 1 << 17) -> None:
        self.first, self.mask, self.most = first, (1 << bits) - 1, most
        self.known: dict[str, int] = {}

    def __call__(self, symbol: str) -> int:
        col = self.known.get(symbol)
        if col is None:
            if len(self.known) >= self.most:
                self.known.clear()
            col = self.known[symbol] = self.first + (zlib.crc32(symbol.encode("utf-8")) & self.mask)
        return col

    def columns(self, symbols: Iterable[str]) -> set[int]:
        try:
            return set(map(self.known.__getitem__, symbols))
        except KeyError:  # a symbol not seen yet
            return set(map(self, symbols))


def csr(rows: list[tuple[list[float], list[int]]], n_features: int) -> Any:
    """Each row holds its non-zero dense values (NaN is kept: LightGBM reads it as missing)
    in column order, then a 1.0 in each hashed column; built with numpy, not entry by entry."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(rows)
    if n == 0:
        return csr_matrix((np.zeros(0), np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64)),
                          shape=(0, n_features))
    dense = np.array([d for d, _ in rows], dtype=np.float64).reshape(n, -1)
    at_row, at_col = np.nonzero(dense != 0.0)  # row by row, columns ascending
    n_dense = np.bincount(at_row, minlength=n).astype(np.int64)
    n_sym = np.fromiter((len(cols) for _, cols in rows), dtype=np.int64, count=n)
    sym_cols = np.fromiter(chain.from_iterable(cols for _, cols in rows), dtype=np.int32, count=int(n_sym.sum()))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_dense + n_sym, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=np.float64)
    # a dense entry's place: its row's start plus its rank among the row's dense entries
    rank = np.arange(len(at_row)) - np.repeat(np.cumsum(n_dense) - n_dense, n_dense)
    where = indptr[:-1][at_row] + rank
    indices[where] = at_col
    data[where] = dense[at_row, at_col]
    # a symbol's place: after its row's dense entries, in the order given
    sym_row = np.repeat(np.arange(n), n_sym)
    rank = np.arange(len(sym_cols)) - np.repeat(np.cumsum(n_sym) - n_sym, n_sym)
    where = indptr[:-1][sym_row] + n_dense[sym_row] + rank
    indices[where] = sym_cols
    data[where] = 1.0
    return csr_matrix((data, indices, indptr), shape=(n, n_features))
