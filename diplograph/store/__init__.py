"""The store: the only package that imports duckdb or writes SQL."""

from .store import SCHEMA_VERSION, Store

__all__ = ["Store", "SCHEMA_VERSION"]
