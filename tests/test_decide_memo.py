"""features.describe reads what the candidates of one trigger share once per document (a
memo in the neighbourhood counts): the rows are those it gives without the memo."""

from __future__ import annotations

import math
from importlib import resources

from diplograph.claims.decide.features import describe, neighbourhood
from diplograph.claims.pipeline import candidates


def _same(a, b) -> bool:
    return a[1] == b[1] and len(a[0]) == len(b[0]) and all(
        x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a[0], b[0]))


def test_rows_with_and_without_the_memo_are_equal():
    folder = resources.files("diplograph") / "data" / "samples"
    rows = 0
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if not p.name.endswith(".txt"):
            continue
        cands, ctx = candidates(p.read_text(encoding="utf-8"), doc=p.name)
        counts = neighbourhood(cands, ctx)
        memo = [describe(c, ctx, None, counts) for c in cands]
        plain = {k: v for k, v in counts.items() if k != "memo"}
        for c, row in zip(cands, memo):
            assert _same(row, describe(c, ctx, None, plain)), c.claim
        assert len(counts["memo"]) > 0
        rows += len(cands)
    assert rows > 50
