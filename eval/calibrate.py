"""Fit the extractor's confidence on the development set (seeds + dev articles).

Runs the extractor on every dev document, marks each extracted claim right (it matches a
gold claim) or wrong, and estimates the share of right claims per claim type and raw-score band. Writes diplograph/data/claims/calibration.json, which the pipeline
applies. The held-out test articles (eval/stats.py TEST and TEST2) are never used.

    .venv/bin/python eval/calibrate.py
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from stats import TEST, TEST2  # noqa: E402

from diplograph.claims import pipeline  # noqa: E402
from diplograph.evaluation import default_document_dirs, extract_for_gold, load_claims, load_published_map, score  # noqa: E402


def fit(rows: list[tuple[str, float, int]], m: float = 4.0) -> dict:
    """Share of right claims per claim type and raw-score band (a fallback-built claim scores
    under 0.75), shrunk toward the type's and then the global share (m-estimate)."""
    overall = (sum(y for *_, y in rows) + 1) / (len(rows) + 2)
    table: dict[str, dict[str, float]] = {}
    for t in sorted({t for t, *_ in rows}):
        mine = [(x, y) for tt, x, y in rows if tt == t]
        p_type = (sum(y for _, y in mine) + m * overall) / (len(mine) + m)
        table[t] = {}
        for band, pick in (("low", lambda x: x < 0.75), ("high", lambda x: x >= 0.75)):
            ys = [y for x, y in mine if pick(x)]
            table[t][band] = round((sum(ys) + m * p_type) / (len(ys) + m), 3)
    return {"overall": round(overall, 3), "by_type": table}


def main() -> None:
    gold_dir = ROOT / "eval" / "gold"
    pipeline.CALIBRATE = False  # fit on the raw scores
    gold = [g for g in load_claims(gold_dir) if Path(g["doc"]).name[:3] not in TEST | TEST2]
    extracted = extract_for_gold(gold, default_document_dirs(gold_dir),
                                 published=load_published_map(ROOT / "eval" / "published.tsv"))
    report = score(extracted, gold)
    def key(c: dict) -> str:
        return json.dumps({k: c.get(k) for k in ("doc", "type", "subject", "object", "parties", "modality",
                                                  "date", "evidence")}, sort_keys=True)

    right = [key(e) for _, e in report.matches]
    wrong = [key(e) for e in report.false_positives]
    rows: list[tuple[str, float, int]] = []
    for e in extracted:
        k = key(e)
        if k in right:
            right.remove(k)
            rows.append((e["type"], float(e["confidence"]), 1))
        elif k in wrong:
            wrong.remove(k)
            rows.append((e["type"], float(e["confidence"]), 0))
    out = {
        "fitted_on": "seeds + dev articles (eval/README.md); test articles excluded",
        "date": date.today().isoformat(),
        "claims": len(rows),
        **fit(rows),
    }
    path = ROOT / "diplograph" / "data" / "claims" / "calibration.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} claims, precision {out['overall']}")
    for t, bands in out["by_type"].items():
        print(f"  {t:<22} low {bands['low']:.3f}  high {bands['high']:.3f}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
