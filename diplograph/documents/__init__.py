"""Reading sources into Documents: formats, decoding, cleaning page furniture, dating,
content hashing and near-duplicate fingerprints. No store access here.

Interface used by api.py:

- ``read(paths, *, max_bytes, published=None, stdin=None)`` yields one ``Document`` per
  article, or a ``SourceError`` for each input that cannot be read (the batch goes on).
- ``fingerprint(text)`` returns a MinHash ``Fingerprint`` (signature + LSH bands).
- ``similarity(sig_a, sig_b)`` estimates the Jaccard similarity of two signatures.
"""

from __future__ import annotations

from .fingerprint import Fingerprint, fingerprint, similarity
from .read import read

__all__ = ["read", "fingerprint", "similarity", "Fingerprint"]
