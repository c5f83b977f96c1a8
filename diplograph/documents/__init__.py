"""Reading sources into Documents: formats, decoding, cleaning page furniture, dating,
content hashing and near-duplicate fingerprints. No store access here.

Modules: ``read`` (finding files, decoding, telling formats apart, building Documents),
``formats`` (one reader per format), ``clean`` (page furniture; rules in
``data/en/furniture.yaml``), ``dates`` (publication dates), ``fingerprint`` (MinHash).

Interface used by api.py:

- ``read(paths, *, max_bytes, published=None, stdin=None, on_source=None)`` yields one
  ``Document`` per article, or a ``SourceError`` for each input that cannot be read (the
  batch goes on). ``on_source(done, total)`` reports progress by input file.
- ``clean(text)`` removes page furniture and reads title, author and header date.
- ``content_id(raw_text)`` is the document id (16 hex digits of SHA-256).
- ``fingerprint(text)`` returns a MinHash ``Fingerprint`` (signature + LSH bands).
- ``similarity(sig_a, sig_b)`` estimates the Jaccard similarity of two signatures.
"""

from __future__ import annotations

from .clean import Cleaned, clean
from .fingerprint import MIN_SHARED_BANDS, Fingerprint, fingerprint, similarity
from .read import content_id, read

__all__ = ["read", "clean", "Cleaned", "content_id", "fingerprint", "similarity", "Fingerprint",
           "MIN_SHARED_BANDS"]
