"""Throughput of find_dates + find_quantities, in articles per second.

    .venv/bin/python bench/dates_bench.py [--rounds 20] [--generated 300] [--filler 0.6] [--dateparser]

Corpora: the seed articles (../shared/seeds, repeated ``--rounds`` times) and generated
news-like articles of about 1,000 words each: once dense (every sentence has dates or
figures, about 100 mentions per article, five times the seeds' density) and once with a
share of plain sentences. Figures are given
per actual article and per 1,000 words, in CPU time of this process (the machine is shared,
so wall time varies with the load of other processes) and in wall time. ``--dateparser``
also times dateparser's search_dates on one seed, for comparison.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diplograph.mentions.dates import find_dates  # noqa: E402
from diplograph.mentions.quantities import find_quantities  # noqa: E402
from diplograph.models import PartialDate  # noqa: E402

STATES = ["Kazakhstan", "Uzbekistan", "Turkey", "Azerbaijan", "Israel", "China", "Kyrgyzstan", "Georgia"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TEMPLATES = [
    "{a} and {b} signed a defence cooperation agreement on {month} {day}, {year}, officials said.",
    "In {year}, {a} opened an embassy in the capital of {b}. In {month}, a consulate followed.",
    "Bilateral trade between {a} and {b} reached ${n} million in {year}, up {p}% on the year before.",
    "About {k},000 tourists from {a} visited {b} last year, and officials expect more in the coming years.",
    "The foreign minister of {a} visited {b} in {month} {year}, the same year a visa accord was signed.",
    "{a} supplies roughly {p} percent of {b}'s oil imports, according to the ministry.",
    "Talks between {a} and {b} stalled in mid-{year} but resumed two years ago.",
    "Since {year}, {a} has hosted a {b} military training mission of some {k}00 troops.",
    "The leaders met on Tuesday and agreed to set a target of ${n} billion in trade by {fyear}.",
    "Analysts say {a} could join the bloc within the next five years, though nothing is certain.",
    "Relations between {a} and {b} date back to the early 1990s, when embassies first opened.",
    "Between {year} and {fyear}, {a} bought drones and armoured vehicles from {b}.",
    "The parliament of {a} ratified the treaty last month; {b} is expected to follow next month.",
    "Read {k}{p} times. 7 min read. Related news and the newsletter sign-up follow below.",
    "Officials said the memorandum covers energy, water management, agriculture and digital governance.",
    "The two presidents praised the strategic partnership and called for deeper ties in culture and education.",
]
FILLER = [
    "{a} has long balanced its ties with its larger neighbours, analysts note.",
    "Officials in {a} describe the relationship with {b} as pragmatic and growing.",
    "The region's water, energy and transport links remain a source of friction and of cooperation.",
    "Diplomats say the agenda covers security, trade corridors and the situation in Afghanistan.",
    "Critics argue that the government's foreign policy lacks a clear long-term direction.",
    "The ministry did not respond to a request for comment on the negotiations.",
]


def generate(n: int, words: int = 1000, seed: int = 7, filler: float = 0.0) -> list[str]:
    """``n`` articles of about ``words`` words; a share ``filler`` of the sentences carries
    no date or figure (0: every sentence is dense with them, far denser than real news)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        count = 0
        while count < words:
            a, b = rng.sample(STATES, 2)
            year = rng.randint(1991, 2025)
            s = rng.choice(FILLER if rng.random() < filler else TEMPLATES).format(
                a=a, b=b, year=year, fyear=year + rng.randint(1, 8), month=rng.choice(MONTHS),
                day=rng.randint(1, 28), n=rng.randint(2, 900), p=rng.randint(2, 60), k=rng.randint(1, 40),
            )
            parts.append(s)
            count += len(s.split())
            if rng.random() < 0.25:
                parts.append("\n\n")
        out.append(" ".join(parts))
    return out


def run(texts: list[str], published: PartialDate) -> tuple[float, float, int]:
    find_dates(texts[0], published=published)  # load data files and compile patterns
    find_quantities(texts[0])
    c0, w0 = time.process_time(), time.perf_counter()
    mentions = 0
    for t in texts:
        mentions += len(find_dates(t, published=published)) + len(find_quantities(t))
    return time.process_time() - c0, time.perf_counter() - w0, mentions


def report(name: str, texts: list[str], published: PartialDate) -> None:
    cpu, wall, mentions = run(texts, published)
    n = len(texts)
    kwords = sum(len(t.split()) for t in texts) / 1000
    print(
        f"{name}: {n} articles, {kwords / n * 1000:.0f} words each on average, {mentions} mentions\n"
        f"  CPU : {n / cpu:7.1f} articles/s = {kwords / cpu:7.1f} 1,000-word articles/s\n"
        f"  wall: {n / wall:7.1f} articles/s = {kwords / wall:7.1f} 1,000-word articles/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20, help="times the seeds are repeated")
    ap.add_argument("--generated", type=int, default=300, help="generated articles")
    ap.add_argument("--filler", type=float, default=0.6, help="share of sentences without dates or figures")
    ap.add_argument("--dateparser", action="store_true", help="also time dateparser.search_dates")
    args = ap.parse_args()
    published = PartialDate.parse("2025-12-16")
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if seeds:
        texts = [p.read_text(encoding="utf-8") for p in seeds]
        report(f"seeds x{args.rounds}", texts * args.rounds, published)
    else:
        print("seeds: ../shared/seeds not found, skipped")
    report("generated, dense", generate(args.generated), published)
    report(f"generated, {args.filler:.0%} filler sentences", generate(args.generated, filler=args.filler), published)
    if args.dateparser and seeds:
        from datetime import datetime

        from dateparser.search import search_dates

        text = seeds[-1].read_text(encoding="utf-8")
        t0 = time.process_time()
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": datetime(2025, 12, 16)})
        print(
            f"dateparser.search_dates on {seeds[-1].name}: {time.process_time() - t0:.2f} s CPU, "
            f"{len(found or [])} results (ours: {len(find_dates(text, published=published))})"
        )


if __name__ == "__main__":
    main()
