"""Score the extractor on each split (seeds, dev articles, held-out test articles, the second
held-out test set 033-040), on the second (023-032) and third (041-050) dev sets alone, and on the whole
development set (seeds + dev: the set issue 4's target is stated on).

    .venv/bin/python eval/split_scores.py [--by-type SPLIT]

``--by-type SPLIT`` also prints P/R/F1 per claim type for that split.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from stats import DEV2, DEV3, TEST, TEST2  # noqa: E402

from diplograph.evaluation import (  # noqa: E402
    default_document_dirs, extract_for_gold, load_claims, load_published_map, score,
)


def main() -> None:
    gold_dir = ROOT / "eval" / "gold"
    gold = load_claims(gold_dir)
    extracted = extract_for_gold(gold, default_document_dirs(gold_dir),
                                 published=load_published_map(ROOT / "eval" / "published.tsv"))

    def split(doc: str) -> str:
        name = Path(doc).name
        if len(Path(name).stem) == 20 and name[3] == "_":
            return "seeds"
        if name[:3] in TEST2:
            return "test2"
        return "test" if name[:3] in TEST else "dev"

    def part_of(doc: str, name: str) -> bool:
        if name == "all":
            return True
        if name == "devset":  # seeds + dev articles
            return split(doc) in ("seeds", "dev")
        if name == "dev2":  # the second dev set alone (articles 023-032, also counted in dev)
            return split(doc) == "dev" and Path(doc).name[:3] in DEV2
        if name == "dev3":  # the third dev set alone (articles 041-050, also counted in dev)
            return split(doc) == "dev" and Path(doc).name[:3] in DEV3
        return split(doc) == name

    print(f"{'split':<8}{'P':>7}{'R':>7}{'F1':>7}   relaxed F1   asserted-when-not   gold  extracted")
    by_type = sys.argv[sys.argv.index("--by-type") + 1] if "--by-type" in sys.argv else None
    for name in ("seeds", "dev", "dev2", "dev3", "devset", "test", "test2", "all"):
        g = [c for c in gold if part_of(c["doc"], name)]
        e = [c for c in extracted if part_of(c["doc"], name)]
        r = score(e, g)
        o, rx = r.overall, r.relaxed
        print(f"{name:<8}{o.precision:7.3f}{o.recall:7.3f}{o.f1:7.3f}   {rx.f1:10.3f}   {len(r.asserted_when_not):17d}"
              f"   {o.support:4d}  {o.predicted:9d}")
        if name == by_type:
            by_type_report = r
    if by_type:
        print(f"\nper type, {by_type}:")
        for t, st in sorted(by_type_report.per_type.items()):
            print(f"  {t:<22}{st.precision:7.3f}{st.recall:7.3f}{st.f1:7.3f}   {st.matched:3d}/{st.predicted:3d}/{st.support:3d}")


if __name__ == "__main__":
    main()
