"""MinHash fingerprints of cleaned text, for near-duplicate detection (datasketch).

Shingles are word 5-grams of the lower-cased text, so small edits (a changed headline, a
dropped paragraph, a different byline) keep most shingles. The signature is split into
LSH bands; documents sharing a band are candidates, compared on the full signature."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any
import re
from dataclasses import dataclass

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: candidates from Jaccard ~0.4 up; the threshold decides
ROWS = NUM_PERM // BANDS
# A document is compared in full only with documents sharing this many bands. At Jaccard
# 0.8 a band matches with p = 0.8**4 = 0.41, so a true near-duplicate shares ~13 of 32
# bands (fewer than 4 with probability < 0.1%); at 0.5 it shares ~2. Templated prose
# (wire copy, press releases) shares one or two bands with many unrelated articles.
MIN_SHARED_BANDS = 4
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    signature: list[int]
    bands: list[tuple[int, int]]


@cache
def _minhash() -> Any:
    """datasketch's MinHash and its permutations, the same for every text. Imported on first
    use: datasketch pulls in scipy, about a second of CLI start-up."""
    from datasketch import MinHash

    template = MinHash(num_perm=NUM_PERM, seed=1)
    return MinHash, template.permutations, template.scheme


def fingerprint(text: str) -> Fingerprint:
    import numpy as np  # here, not at import: `diplograph extract` and --help need no fingerprints

    words = _WORD.findall(text.lower())
    minhash, permutations, scheme = _minhash()
    m = minhash(num_perm=NUM_PERM, seed=1, permutations=permutations, scheme=scheme)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    m.update_batch([s.encode("utf-8") for s in shingles])
    sig = [int(x) for x in m.hashvalues]
    bands = []
    for b in range(BANDS):
        chunk = np.asarray(sig[b * ROWS : (b + 1) * ROWS], dtype=np.uint64).tobytes()
        bands.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little")))
    return Fingerprint(sig, bands)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if len(a) != len(b) or not a:
        return 0.0
    import numpy as np

    return float(np.count_nonzero(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64))) / len(a)
