"""Forecasting relations on a temporal knowledge graph.

``tkg``: the TKG benchmark format (ICEWS14/18/05-15) and its time-aware filtered
evaluation. ``recurrency``: an explainable forecaster (recurrency, relaxed and inverse
recurrency, length-1 rules, popularity priors; weights fitted on held-out queries).
"""

from .recurrency import FEATURES, RecurrencyForecaster, describe
from .tkg import Queries, TKGDataset, build_queries, expected_rank, load_dataset, metrics

__all__ = [
    "FEATURES",
    "Queries",
    "RecurrencyForecaster",
    "TKGDataset",
    "build_queries",
    "describe",
    "expected_rank",
    "load_dataset",
    "metrics",
]
