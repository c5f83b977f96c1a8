"""Print counts of gold claims per type and modality, for the seeds and the dev/test/test2 splits.

Usage: python eval/stats.py [GOLD_DIR]   (default: eval/gold next to this file)"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEST = {f"{n:03d}" for n in (*range(14, 21), 22)}  # held-out articles (see eval/README.md)
DEV2 = {f"{n:03d}" for n in range(23, 33)}  # the second dev set, part of dev (see eval/README.md)
DEV3 = {f"{n:03d}" for n in range(41, 51)}  # the third dev set, part of dev (see eval/README.md)
TEST2 = {f"{n:03d}" for n in range(33, 41)}  # the second held-out test set (see eval/README.md)


def split_of(path: Path) -> str:
    if path.parent.name == "seeds":
        return "seeds"
    if path.name[:3] in TEST2:
        return "test2"
    return "test" if path.name[:3] in TEST else "dev"


def main(root: Path) -> None:
    by_split: dict[str, Counter] = {}
    types: Counter = Counter()
    mods: Counter = Counter()
    optional = 0
    docs: Counter = Counter()
    for f in sorted(root.rglob("*.claims.jsonl")):
        split = split_of(f)
        docs[split] += 1
        for line in f.read_text(encoding="utf-8").splitlines():
            c = json.loads(line)
            by_split.setdefault(split, Counter())["optional" if c.get("optional") else "required"] += 1
            if c.get("optional"):
                optional += 1
                continue
            types[c["type"]] += 1
            mods[c["modality"]] += 1
    print("split    docs  required  optional")
    for s in ("seeds", "dev", "test", "test2"):
        c = by_split.get(s, Counter())
        print(f"{s:<8} {docs[s]:>4}  {c['required']:>8}  {c['optional']:>8}")
    print("\nrequired claims by type")
    for t, n in sorted(types.items()):
        print(f"  {t:<22} {n:>4}")
    print("\nrequired claims by modality")
    for m, n in sorted(mods.items()):
        print(f"  {m:<22} {n:>4}")
    print(f"\ntotal: {sum(types.values())} required, {optional} optional")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "gold")
