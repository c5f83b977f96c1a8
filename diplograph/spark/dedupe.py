"""Exact and near duplicates across the whole corpus, decided as ``ingest`` decides them.

``ingest`` keeps the first copy of a content (same id) and skips the others; a document
whose MinHash is close to an earlier *original* is kept, marked ``duplicate_of`` that
original, and gets no claims. "Earlier" is the order ``ingest`` reads in, which every
document carries here (``Read.order``).

Candidate pairs come from an LSH join in Spark (documents sharing a band bucket, counted,
kept from ``MIN_SHARED_BANDS`` shared bands up) with their signature similarity; they are
few, so the driver then walks the documents in order as ``Graph.check_document`` would:
candidates ranked by shared bands then id, the first 20, originals only, the most similar
at or above the threshold."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import add
from typing import Any

from .inputs import Read

CANDIDATES = 20  # as Store.near_duplicate_candidates' limit


def first_copies(reads: Any, partitions: int) -> Any:
    """(id, Read) of the first Read of each content id: later exact copies are skipped."""
    return (reads.map(lambda r: (r.doc.id, r))
            .reduceByKey(lambda a, b: a if a.order <= b.order else b, numPartitions=partitions))


def near_duplicates(firsts: Any, *, threshold: float, min_shared: int) -> dict[str, tuple[str, float]]:
    """{near-duplicate id: (original id, similarity)} over the documents ``firsts``."""
    from ..documents import similarity

    shared = (firsts.flatMap(lambda kv: [(band, (kv[1].order, kv[0])) for band in kv[1].bands])
              .groupByKey()
              .flatMap(_later_earlier)
              .reduceByKey(add)
              .filter(lambda kv: kv[1] >= min_shared))
    if shared.isEmpty():
        return {}
    sigs = firsts.mapValues(lambda r: r.signature)
    scored = (shared.map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
              .join(sigs)  # (later, ((earlier, n), later_sig))
              .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1])))
              .join(sigs)  # (earlier, ((later, n, later_sig), earlier_sig))
              .map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1], similarity(kv[1][0][2], kv[1][1]))))
    pairs = scored.collect()
    ids = {p[0] for p in pairs} | {p[1] for p in pairs}
    orders = dict(firsts.filter(lambda kv: kv[0] in ids).mapValues(lambda r: r.order).collect())
    return resolve(pairs, orders, threshold=threshold)


def _later_earlier(bucket: tuple[Any, Iterable[tuple[Any, str]]]) -> Iterator[tuple[tuple[str, str], int]]:
    members = sorted(bucket[1])
    for i, (_, later) in enumerate(members):
        for _, earlier in members[:i]:
            yield (later, earlier), 1


def resolve(pairs: Iterable[tuple[str, str, int, float]], orders: dict[str, Any], *,
            threshold: float) -> dict[str, tuple[str, float]]:
    """Walk documents in ingest order; ``pairs`` are (later, earlier, shared bands,
    similarity). A document is a near-duplicate of the most similar earlier original among
    its first ``CANDIDATES`` candidates, if that similarity reaches ``threshold``."""
    candidates: dict[str, list[tuple[int, str, float]]] = {}
    for later, earlier, n, sim in pairs:
        candidates.setdefault(later, []).append((n, earlier, sim))
    near: dict[str, tuple[str, float]] = {}
    for doc_id in sorted(candidates, key=lambda d: orders[d]):
        ranked = sorted(candidates[doc_id], key=lambda c: (-c[0], c[1]))[:CANDIDATES]
        best: tuple[float, str] | None = None
        for _, other, sim in ranked:
            if other in near:  # only originals are candidates
                continue
            if sim >= threshold and (best is None or sim > best[0]):
                best = (sim, other)
        if best:
            near[doc_id] = (best[1], best[0])
    return near
