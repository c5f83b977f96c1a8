"""Recompute time-aware filtered MRR / Hits from a predictions file, independently.

    python bench/tkg_recompute.py bench/out/ICEWS14.predictions.jsonl ../shared/data/tkg/ICEWS14

Uses only the standard library: the predictions file (one JSON line per distinct query:
{"e", "r", "t", "cands": top-100 entity ids, "scores"}; subject queries (?, r, o, t) have
e = o and r = r + R) and the dataset's test.txt and relation2id.txt.

For every test fact (s, r, o, t) it ranks o in the line of (s, r, t) and s in the line of
(o, r + R, t). Time-aware filter: the other true answers of the same query at t are left out.
Ties count half: rank = 1 + #(higher score) + #(equal score, other than the answer) / 2.

How this can differ from tkg_bench.py: only the top 100 candidates are in the file.
* An answer outside the top 100 has rank > 100 here; it is counted as reciprocal rank 0
  (the "lower" figure) and as 1/101 (the "upper" figure); the benchmark's true figure lies
  between the two (it knows the exact rank).
* If the answer's score ties with entities beyond the top 100 (the cut falls inside a
  tie), those ties are invisible here and the rank comes out lower (better) than the
  benchmark's. Everything ranked above the answer is always in the file, so without such
  a boundary tie the rank of an answer inside the top 100 is exact.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def main(pred_path: str, data_dir: str) -> None:
    data = Path(data_dir)
    with open(data / "relation2id.txt", encoding="utf-8") as fh:
        R = sum(1 for line in fh if line.strip())
    truth: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    with open(data / "test.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                s, r, o, t = (int(x) for x in line.split()[:4])
                truth[(s, r, t)].add(o)
                truth[(o, r + R, t)].add(s)
    recip_lo = recip_hi = 0.0
    hits = {1: 0, 3: 0, 10: 0}
    n = outside = boundary = 0
    seen = set()
    with open(pred_path, encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            key = (p["e"], p["r"], p["t"])
            if key not in truth:
                raise SystemExit(f"query {key} of {pred_path} is not a test query")
            seen.add(key)
            score = dict(zip(p["cands"], p["scores"]))
            last = p["scores"][-1] if p["scores"] else None
            answers = truth[key]
            for a in answers:
                n += 1
                if a not in score:
                    outside += 1
                    recip_hi += 1.0 / (len(p["cands"]) + 1)
                    continue
                sa = score[a]
                greater = sum(1 for c, s in score.items() if s > sa and c not in answers)
                ties = sum(1 for c, s in score.items() if s == sa and c != a and c not in answers)
                boundary += sa == last
                rank = 1 + greater + ties / 2
                recip_lo += 1 / rank
                recip_hi += 1 / rank
                for k in hits:
                    hits[k] += rank <= k
    missing = [k for k in truth if k not in seen]
    if missing:
        raise SystemExit(f"{len(missing)} test queries have no line in {pred_path}, e.g. {missing[0]}")
    print(f"answers ranked: {n}; outside the top 100: {outside}; "
          f"tied with the last listed score: {boundary}")
    print(f"MRR {100 * recip_lo / n:.2f} (answers outside top 100 counted 0) .. "
          f"{100 * recip_hi / n:.2f} (counted 1/101)")
    print("  ".join(f"Hits@{k} {100 * v / n:.2f}" for k, v in hits.items()))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
