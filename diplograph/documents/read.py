"""Placeholder reader: plain text only. The documents work replaces this module."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError
from ..models import Document, PartialDate


def read(paths: Sequence[str], *, max_bytes: int, published: PartialDate | None = None,
         stdin: BinaryIO | None = None) -> Iterator[Document | SourceError]:
    for p in paths:
        path = Path(p)
        files = sorted(x for x in path.rglob("*") if x.is_file()) if path.is_dir() else [path]
        for f in files:
            raw = f.read_text(encoding="utf-8")
            yield Document(id=hashlib.sha256(raw.encode()).hexdigest()[:16], source=str(f),
                           raw_text=raw, text=raw, published=published,
                           published_method="override" if published else "unknown")
