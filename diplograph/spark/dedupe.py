"""Exact and near duplicates across the whole corpus, decided as ``ingest`` decides them.

``ingest`` keeps the first copy of a content (same id) and skips the others; a document
whose MinHash is close to an earlier *original* is kept, marked ``duplicate_of`` that
original, and gets no claims. "Earlier" is the order ``ingest`` reads in, which every
document carries here (``Read.order``).

Candidate pairs come from an LSH join in Spark (documents sharing a band bucket, counted,
kept from ``MIN_SHARED_BANDS`` shared bands up); they are few, so the driver scores them
on the signatures of the documents involved and walks the documents in order as ``Graph.check_document`` would:
candidates ranked by shared bands then id, the first 20, originals only, the most similar
at or above the threshold."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import add
from typing import Any

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
              .filter(lambda kv: kv[1] >= min_shared)
              .collect())  # ((later order, later, earlier), shared bands): few
    if not shared:
        return {}
    ids = {k[1] for k, _ in shared} | {k[2] for k, _ in shared}
    wanted = firsts.context.broadcast(ids)
    sigs = dict(firsts.filter(lambda kv: kv[0] in wanted.value).mapValues(lambda r: r.signature).collect())
    orders = {k[1]: k[0] for k, _ in shared}
    pairs = [(later, earlier, n, similarity(sigs[later], sigs[earlier])) for (_, later, earlier), n in shared]
    return resolve(pairs, orders, threshold=threshold)


def _later_earlier(bucket: tuple[Any, Iterable[tuple[Any, str]]]) -> Iterator[tuple[tuple[Any, str, str], int]]:
    members = sorted(bucket[1])
    for i, (order, later) in enumerate(members):
        for _, earlier in members[:i]:
            yield (order, later, earlier), 1


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
