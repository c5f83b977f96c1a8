"""Regular expressions compiled once per pattern, not at every start.

Loading the extraction pipeline compiles several hundred regular expressions (the claim
types' triggers, the date, figure and cue patterns): Python's ``re`` parses each pattern
and builds its matching program in pure Python, a quarter of a second or more of every
cold start, and keeps the result only for the process. Inside ``compiled_once()`` every
compilation of a text pattern goes through a cache kept under the user's cache folder
(beside the parsed YAML tables of ``tables.py``): a pattern seen before is rebuilt from its
stored program by the same constructor ``re`` itself ends with; a new one is compiled as
``re`` does and stored at the end. The file is named by the interpreter's exact version
and its regular-expression engine's magic number, so another Python never reads it; a
cache that cannot be read or written is the same as no cache. Patterns with the DEBUG or
LOCALE flag, and bytes patterns, are always compiled as usual.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import hashlib
import os
import pickle
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from re import (
    _compiler,  # type: ignore[import-not-found]
    _parser,  # type: ignore[import-not-found]
)
from typing import Any

from .tables import cache_dir

_ENGINE = f"{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}"
_SKIP = re.DEBUG | re.LOCALE
_lock = threading.Lock()


def cache_path() -> Path:
    name = hashlib.sha256(_ENGINE.encode("utf-8")).hexdigest()[:16]
    return cache_dir().parent / "regex" / f"{name}.pickle"


def _program(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` after the pattern."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # plain ints: re's named opcodes do not pickle
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


@contextmanager
def compiled_once() -> Iterator[None]:
    """Compile the regular expressions of this block from the cache (see the module)."""
    with _lock:  # one block at a time patches ``re``
        path = cache_path()
        try:
            with open(path, "rb") as f:
                stored: dict[tuple[str, int], tuple[Any, ...]] = pickle.load(f)
        except Exception:  # noqa: BLE001 - missing, unreadable or damaged: compile anew
            stored = {}
        used: dict[tuple[str, int], tuple[Any, ...]] = {}
        new = False
        original = _compiler.compile

        def compile(p: Any, flags: int = 0) -> Any:
            nonlocal new
            if type(p) is not str or flags & _SKIP:
                return original(p, flags)
            key = (p, int(flags))
            args = stored.get(key)
            if args is not None:
                try:
                    compiled = _sre.compile(p, *args)
                except Exception:  # noqa: BLE001 - not this engine's program after all
                    args = None
            if args is None:
                args = _program(p, flags)
                compiled = _sre.compile(p, *args)
                new = True
            used[key] = args
            return compiled

        _compiler.compile = compile
        try:
            yield
        finally:
            _compiler.compile = original
            if new:
                _save(path, used)


def _save(path: Path, programs: dict[tuple[str, int], tuple[Any, ...]]) -> None:
    """The patterns this block compiled (a pattern no longer used drops out)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(programs, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all, also with two processes at once
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
