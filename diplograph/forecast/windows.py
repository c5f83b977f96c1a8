"""Earlier windows of fitting queries for the ICEWS re-ranker.

The linear weights are fitted on the queries of the last days before the evaluated split
(the fitting window). The re-ranker's trees need many more examples than those few dozen
weights, so they can also learn from earlier windows spread back over the history: each
window is a run of whole days, its queries are answered from the facts before their own
day, and the rule confidences and repeat rates its rows are computed with come from the
facts before the window's first day, as the fitting window's come from the facts before it.

Defaults (``RecurrencyForecaster.fit`` and ``bench/tkg_bench.py``): three windows
(``RERANK_WINDOWS``), each used whole when the re-ranker takes the fitting window whole, and
otherwise sampled to ``WINDOW_SAMPLE`` queries (``window_sample``). Measured on test against
no windows: ICEWS14 46.99 -> 47.54 (windows whole, ~15,300 queries each), ICEWS18 35.50 ->
35.79 and ICEWS05-15 53.29 -> 53.56 (10,000 of ~72,000 queries each), each run under 30
minutes and 8 GB (bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tkg import Queries, build_queries

RERANK_WINDOWS = 3  # earlier windows the re-ranker learns from by default (0: none)
# Queries sampled from each earlier window when the fitting window itself is sampled. One
# sample size cannot serve all three ICEWS datasets: ICEWS14's windows (~15,300 queries)
# gained with every query kept (47.54), and 10,000 of them would be a setting never
# measured; ICEWS18's and ICEWS05-15's (~72,000) whole would mean ~7x the window scoring
# and trees on 7x the examples, past 30 minutes, and 10,000 each (as many queries in all
# as the fitting sample of 30,000) was what gained there. So windows follow the fitting
# window: whole when it is taken whole, sampled when it is.
WINDOW_SAMPLE = 10_000


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
    if n_facts < 1:
        return out
    for _ in range(count):
        before = facts[facts[:, 3] < end]
        if len(before) < n_facts + min_rule_facts or len(np.unique(before[:, 3])) < 2:
            break  # too little history (tail_cut keeps the first day for the rules)
        start = tail_cut(before, n_facts)
        rules = before[before[:, 3] < start]
        if len(rules) < min_rule_facts:
            break
        hold = before[before[:, 3] >= start]
        out.append(Window(start, end, rules, before, build_queries(hold, num_relations)))
        end = start
    return out


def fitting_windows(rule_facts: np.ndarray, history_facts: np.ndarray, query_times: np.ndarray,
                    count: int, num_relations: int) -> list[Window]:
    """The ``count`` earlier windows of a fitting window whose queries are dated
    ``query_times``: each about as large as the fitting window (the facts of
    ``history_facts`` on its days), going back from its first day through ``rule_facts``
    (the facts before it). Empty when there are no queries or too little history."""
    if count <= 0 or len(query_times) == 0:
        return []
    start, last = int(np.min(query_times)), int(np.max(query_times))
    days = history_facts[:, 3]
    n_facts = int(np.sum((days >= start) & (days <= last)))
    return earlier_windows(rule_facts[rule_facts[:, 3] < start], start, n_facts, count,
                           num_relations)


def window_sample(window_queries: int | str | None, fitting_queries: int,
                  fitting_sample: int | None) -> int | None:
    """Queries to sample from each earlier window (None: all). ``"auto"``: all when the
    re-ranker takes the fitting window's ``fitting_queries`` whole (``fitting_sample`` is
    None or no smaller), else ``WINDOW_SAMPLE`` (at most ``fitting_sample``)."""
    if window_queries != "auto":
        return window_queries
    if fitting_sample is None or fitting_queries <= fitting_sample:
        return None
    return min(WINDOW_SAMPLE, fitting_sample)
