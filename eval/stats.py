"""Print counts of gold claims per type and modality, per split (seeds, train, dev, test,
test2, test3).

Usage: python eval/stats.py [GOLD_DIR...]   (default: eval/gold and eval/heldout/gold)"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEST = {f"{n:03d}" for n in (*range(14, 21), 22)}  # held-out articles (see eval/README.md)
DEV2 = {f"{n:03d}" for n in range(23, 33)}  # the second dev set, part of dev (see eval/README.md)
DEV3 = {f"{n:03d}" for n in range(41, 51)}  # the third dev set, part of dev (see eval/README.md)
TEST2 = {f"{n:03d}" for n in range(33, 41)}  # the second held-out test set (see eval/README.md)


def split_of_name(name: str, *, seeds: bool = False, heldout: bool = False) -> str:
    """The split of a document by its file name (eval/WRITING.md): seeds; test, test2 (the
    first held-out sets); test3 (eval/heldout/); train (the first fifty's dev articles and
    the corpus articles 101-899 not divisible by 5); dev (those divisible by 5)."""
    name = Path(name).name
    stem = name.split(".")[0]
    if seeds or re.fullmatch(r"\d{3}_[0-9a-f]{16}", stem):
        return "seeds"
    if heldout or name[:1] == "9":
        return "test3"
    if name[:3] in TEST2:
        return "test2"
    if name[:3] in TEST:
        return "test"
    n = int(name[:3]) if name[:3].isdigit() else 0
    if n > 100 and n % 5 == 0:
        return "dev"
    return "train"


def split_of(path: Path) -> str:
    return split_of_name(path.name, seeds=path.parent.name == "seeds", heldout="heldout" in path.parts)


def main(roots: list[Path]) -> None:
    by_split: dict[str, Counter] = {}
    types: Counter = Counter()
    mods: Counter = Counter()
    optional = 0
    docs: Counter = Counter()
    for f in sorted(f for root in roots for f in root.rglob("*.claims.jsonl")):
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
    for s in ("seeds", "train", "dev", "test", "test2", "test3"):
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
    main([Path(a) for a in sys.argv[1:]] or [HERE / "gold", HERE / "heldout" / "gold"])
