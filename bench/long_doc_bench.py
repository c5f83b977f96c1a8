"""Extraction time against document length: one long article made of the training
articles (eval/articles/*.txt, never the held-out ones) joined end to end, cut at
each size, extracted in a fresh process; prints seconds, seconds per 100 KB, peak
memory, and the ratio of the per-KB times of the largest and smallest size (1.0 is
linear; the quadratic merge of session 4 gave about 2.3 from 100 to 800 KB).

    .venv/bin/python bench/long_doc_bench.py                 # 100, 200, 400, 800 KB, with the model
    .venv/bin/python bench/long_doc_bench.py --sizes 100 800 --rules
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
from diplograph.claims import extract_claims
from diplograph.claims.decide import use_model
from diplograph.documents.dates import PartialDate
use_model({model})
extract_claims("Warm-up: Chile and Peru signed an agreement.", doc="w")
text = open({path!r}, encoding="utf-8").read()
t0 = time.perf_counter()
claims = extract_claims(text, doc="long", published=PartialDate(value="2025-06-01", precision="day", text=""))
dt = time.perf_counter() - t0
print(json.dumps({{"seconds": dt, "claims": len(claims),
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def long_text(kb: int) -> str:
    parts: list[str] = []
    size = 0
    arts = sorted((ROOT / "eval" / "articles").glob("*.txt"))
    while size < kb * 1024:
        for p in arts:
            t = p.read_text(encoding="utf-8").strip() + "\n\n"
            parts.append(t)
            size += len(t.encode("utf-8"))
            if size >= kb * 1024:
                break
    return "".join(parts)[: kb * 1024]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 800], help="sizes in KB")
    ap.add_argument("--rules", action="store_true", help="the rules alone, without the decision model")
    ap.add_argument("--out", type=Path, default=Path("/tmp/diplograph-long"), help="where the texts are written")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for kb in args.sizes:
        path = args.out / f"long-{kb}kb.txt"
        path.write_text(long_text(kb), encoding="utf-8")
        code = CHILD.format(model=not args.rules, path=str(path))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r["kb"] = kb
        rows.append(r)
        print(f"{kb:5d} KB  {r['seconds']:7.1f} s  {100 * r['seconds'] / kb:5.2f} s/100 KB  "
              f"{r['claims']:6d} claims  peak {r['rss_mb']:.0f} MB", flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        ratio = (b["seconds"] / b["kb"]) / (a["seconds"] / a["kb"])
        print(f"time per KB at {b['kb']} KB / at {a['kb']} KB: {ratio:.2f} (1.0 is linear)")


if __name__ == "__main__":
    main()
