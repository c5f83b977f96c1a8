"""Write a first draft of the actor-mention golden file of each seed article
(tests/golden/mentions/<seed-stem>.mentions.jsonl) from the current resolver.

A draft is NOT a golden file until someone has read the seed and fixed it by hand (see
tests/golden/mentions/README.md). Existing files are kept unless --force is given.

    .venv/bin/python scripts/make_mentions_golden.py [--force] [SEED_STEM ...]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from diplograph.mentions.actors import find_mentions
from diplograph.models import PartialDate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "tests" / "golden" / "mentions"

# Publication dates read from the seeds' own headers (None: the page shows none).
PUBLISHED = {"000": "2025-03-06", "001": "2025-12-16", "002": "2025-06-23", "003": None, "004": None}


def main(argv: list[str]) -> int:
    force = "--force" in argv
    only = [a for a in argv if not a.startswith("--")]
    OUT.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        if only and seed.stem not in only:
            continue
        path = OUT / f"{seed.stem}.mentions.jsonl"
        if path.exists() and not force:
            print(f"kept {path.name} (reviewed by hand; use --force to overwrite)")
            continue
        text = seed.read_text(encoding="utf-8")
        pub = PUBLISHED.get(seed.stem[:3])
        lines = [json.dumps({"seed": seed.name, "published": pub,
                             "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})]
        for m in find_mentions(text, published=PartialDate.parse(pub) if pub else None):
            lines.append(json.dumps({"start": m.start, "end": m.end, "id": m.actor.id,
                                     "kind": m.actor.kind, "via": m.via, "text": m.text},
                                    ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {path.name}: {len(lines) - 1} mentions (a draft: review it by hand)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
