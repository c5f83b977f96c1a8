"""Earlier windows of fitting queries for the ICEWS re-ranker.

The linear weights are fitted on the queries of the last days before the evaluated split
(the fitting window). The re-ranker's trees need many more examples than those few dozen
weights, so they can also learn from earlier windows spread back over the history: each
window is a run of whole days, its queries are answered from the facts before their own
day, and the rule confidences and repeat rates its rows are computed with come from the
facts before the window's first day, as the fitting window's come from the facts before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tkg import Queries, build_queries


def tail_cut(facts: np.ndarray, n: int) -> int:
    """First step of the shortest run of last whole days holding at least n facts (the
    first day is kept out, so that rules always have some facts)."""
    days, per_day = np.unique(facts[:, 3], return_counts=True)
    k = int(np.searchsorted(np.cumsum(per_day[::-1]), n)) + 1
    return int(days[len(days) - min(k, len(days) - 1)])


@dataclass
class Window:
    """One earlier window: its queries (days start..end-1), the facts its rule confidences
    come from (dated before ``start``) and the facts its queries may be answered from
    (dated before ``end``; each query reads only those before its own day)."""

    start: int
    end: int
    rule_facts: np.ndarray
    history_facts: np.ndarray
    queries: Queries


def earlier_windows(facts: np.ndarray, end: int, n_facts: int, count: int,
                    num_relations: int, min_rule_facts: int | None = None) -> list[Window]:
    """Up to ``count`` windows of whole days before step ``end``, latest first, each holding
    about ``n_facts`` facts and ending where the later one starts. A window is only made
    while at least ``min_rule_facts`` facts (default ``n_facts``) come before it, so that
    its rules have something to learn from."""
    min_rule_facts = n_facts if min_rule_facts is None else min_rule_facts
    out: list[Window] = []
    for _ in range(count):
        before = facts[facts[:, 3] < end]
        if len(before) < n_facts + min_rule_facts:
            break
        start = tail_cut(before, n_facts)
        rules = before[before[:, 3] < start]
        if len(rules) < min_rule_facts:
            break
        hold = before[before[:, 3] >= start]
        out.append(Window(start, end, rules, before, build_queries(hold, num_relations)))
        end = start
    return out
