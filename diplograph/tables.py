"""Data tables parsed once per content, not at every start.

The claim types (data/claims/*.yaml) and the cue tables (data/en/*.yaml) are read with
PyYAML's safe loader, which is pure Python: about a second for all of them, at every
start of every process. ``load_yaml(text)`` keeps what the loader returned as a pickle
under the user's cache folder ($XDG_CACHE_HOME/diplograph/yaml, else ~/.cache/...),
named by a hash of the text and of PyYAML's version, and reads it back in well under a
millisecond; an edited table has another hash and is parsed anew. The safe loader stays
the only parser (errors and values are its own), and a cache that cannot be read or
written is the same as no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import yaml


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diplograph" / "yaml"


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, from the cache when this text was parsed before."""
    key = hashlib.sha256(f"{yaml.__version__}\0{text}".encode("utf-8")).hexdigest()[:40]
    path = cache_dir() / f"{key}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: parse it
        pass
    data = yaml.safe_load(text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all, also with two processes at once
    except OSError:
        pass
    return data
