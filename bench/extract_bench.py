"""Extraction throughput: articles per second, peak memory, and the share of sentences
that needed the dependency parser.

    .venv/bin/python bench/make_corpus.py /tmp/corpus -n 10000 --text-only
    .venv/bin/python bench/extract_bench.py /tmp/corpus [--limit N]
    .venv/bin/python bench/extract_bench.py ../shared/seeds --repeat 20
    .venv/bin/python bench/extract_bench.py eval/articles --compare   # rules alone vs the model, one run
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from diplograph.claims import extract_claims
from diplograph.documents import read


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="stop after this many articles")
    ap.add_argument("--repeat", type=int, default=1, help="read the corpus this many times")
    ap.add_argument("--rules", action="store_true", help="the rules alone, without the decision model")
    ap.add_argument("--compare", action="store_true",
                    help="run the rules alone, then with the model, then the rules again (side by side)")
    args = ap.parse_args()
    docs = []
    for _ in range(args.repeat):
        for d in read([str(args.corpus)], max_bytes=20 * 1024 * 1024):
            if hasattr(d, "text"):
                docs.append(d)
            if args.limit and len(docs) >= args.limit:
                break
    from diplograph.claims.decide import decision_model, use_model

    runs = [False, True, False] if args.compare else [not args.rules]
    for with_model in runs:
        use_model(with_model)
        extract_claims("Warm-up: Chile and Peru signed an agreement.", doc="w")  # load the parser (and model)
        print(f"\n== {'with the decision model' if decision_model() is not None else 'rules alone'}")
        run(docs)


def run(docs: list) -> None:
    stats: dict[str, int] = {}
    words = claims = 0
    t0 = time.perf_counter()
    for d in docs:
        claims += len(extract_claims(d.text, doc=d.id, published=d.published, stats=stats))
        words += len(d.text.split())
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} articles ({words / max(1, len(docs)):.0f} words on average), {claims} claims")
    print(f"{dt:.1f} s: {len(docs) / dt:.1f} articles/s, {words / dt:,.0f} words/s")
    print(f"sentences parsed: {stats['parsed']} of {stats['sentences']} "
          f"({100 * stats['parsed'] / max(1, stats['sentences']):.1f}%)")
    print(f"peak memory (RSS): {rss:.0f} MB")

if __name__ == "__main__":
    main()
