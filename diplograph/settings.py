"""Settings: one table of (name, default, help). Values come from the defaults, then
``diplograph.toml`` in the working directory, then ``DIPLOGRAPH_<NAME>`` environment
variables, then per-call overrides (CLI options)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


def default_log_file() -> str:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return str(Path(base) / "diplograph" / "diplograph.log")


def _default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "diplograph" / "diplograph.duckdb")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "Path of the store (a DuckDB file). Default: $XDG_DATA_HOME/diplograph/diplograph.duckdb."),
    # about a minute of extraction: 800 KB of plain text took 67 s with the model on the
    # shared 2-core machine (bench/long_doc_bench.py, 2026-12-06); HTML and feeds carry less
    # text than their bytes; a JSON Lines file streams and the limit is per record
    Setting("max_bytes", 1024 * 1024, "Largest input file ingested, in bytes (a JSON Lines file: largest record); "
            "larger ones are skipped with an error."),
    Setting("near_duplicate_threshold", 0.8, "Jaccard similarity (MinHash estimate) above which a document is a near-duplicate of an earlier one."),
    Setting("log_file", None, "File that warnings and contained extractor errors are appended to (besides stderr). Default: $XDG_STATE_HOME/diplograph/diplograph.log."),
    Setting("trace", False, "Print every SQL statement the store runs, with its parameters, to stderr."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def load_settings(overrides: dict[str, Any] | None = None, *, config: Path | None = None) -> dict[str, Any]:
    """Resolve every setting: defaults < diplograph.toml < DIPLOGRAPH_* env < overrides."""
    values = {s.name: s.default for s in SETTINGS}
    path = config or Path("diplograph.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: not valid TOML ({e}). Fix or remove the file.") from e
        for key, val in data.items():
            if key not in _BY_NAME:
                raise ConfigError(
                    f"{path}: unknown setting {key!r}. Known settings: {', '.join(_BY_NAME)}."
                )
            values[key] = val
    for s in SETTINGS:
        env = os.environ.get("DIPLOGRAPH_" + s.name.upper())
        if env is not None:
            values[s.name] = _coerce(s, env)
    for key, val in (overrides or {}).items():
        if val is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"Unknown setting {key!r}. Known settings: {', '.join(_BY_NAME)}.")
        values[key] = val
    if not values["db"]:
        values["db"] = _default_db()
    return values


def _coerce(setting: Setting, raw: str) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as e:
        raise ConfigError(
            f"DIPLOGRAPH_{setting.name.upper()}={raw!r} is not a valid {type(default).__name__}."
        ) from e
    return raw
