"""Benchmark the actor resolver: load time of the reference knowledge, and articles and
mentions resolved per second on generated news-like articles (and on the seeds, repeated,
when ../shared/seeds is present).

    .venv/bin/python bench/mentions_bench.py [--articles 2000] [--seed-repeats 40]

Nothing is asserted; the figures are printed. Run one CPU-heavy job at a time.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

STATES = ["Uzbekistan", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Azerbaijan",
          "Türkiye", "Turkey", "Russia", "China", "Iran", "Israel", "the United States", "Georgia",
          "Armenia", "India", "Pakistan", "Japan", "South Korea", "Germany", "France", "Hungary"]
DEMONYMS = ["Uzbek", "Kazakh", "Kyrgyz", "Tajik", "Turkmen", "Azerbaijani", "Turkish", "Russian",
            "Chinese", "Iranian", "Israeli", "American", "Georgian", "Armenian", "Indian"]
CAPITALS = ["Tashkent", "Astana", "Bishkek", "Dushanbe", "Ashgabat", "Baku", "Ankara", "Moscow",
            "Beijing", "Tehran", "Jerusalem", "Washington", "Tbilisi", "Yerevan", "New Delhi"]
ORGS = ["the SCO", "the CSTO", "the Organization of Turkic States", "the EU", "NATO", "the CIS",
        "the Eurasian Economic Union", "the OSCE", "the UN", "ASEAN", "BRICS", "the C5+1 format"]
PEOPLE = ["Mirziyoyev", "Tokayev", "Aliyev", "Erdoğan", "Putin", "Xi Jinping", "Pezeshkian",
          "Netanyahu", "Trump", "Japarov", "Rahmon", "Serdar Berdimuhamedow", "Pashinyan"]
FILLER = ["Analysts said the talks focused on transport corridors and energy.",
          "The meeting took place behind closed doors, according to officials.",
          "Trade has grown steadily over the past decade, the statement said.",
          "Observers expect further agreements on water management and logistics.",
          "The sides also discussed digital infrastructure and tourism."]
TEMPLATES = [
    "{s1} and {s2} signed a strategic partnership agreement in {c1} on Monday.",
    "{d1} President {p} met his {d2} counterpart in {c2}, the presidential press service said.",
    "{s1}’s foreign ministry said the country would join {o} next year.",
    "The two countries agreed to expand cooperation, and {s2} will host the next round.",
    "{p} told reporters that {s1} and {s2} had reached a deal on gas supplies.",
    "{d1} officials welcomed the decision by {o} to admit {s2} as an observer.",
    "In {c1}, the {d2} ambassador presented his credentials.",
    "{s1} purchased {d1} drones last year, and it has since signed a licence agreement.",
    "Both states pledged to deepen ties within {o}.",
    "The Kremlin and the White House exchanged statements on the region.",
]


def make_article(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(14, 28)):
        t = rng.choice(TEMPLATES) if rng.random() < 0.6 else rng.choice(FILLER)
        parts.append(t.format(s1=rng.choice(STATES), s2=rng.choice(STATES), d1=rng.choice(DEMONYMS),
                              d2=rng.choice(DEMONYMS), c1=rng.choice(CAPITALS), c2=rng.choice(CAPITALS),
                              o=rng.choice(ORGS), p=rng.choice(PEOPLE)))
    paras = [" ".join(parts[i:i + 4]) for i in range(0, len(parts), 4)]
    return "\n\n".join(paras)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seed-repeats", type=int, default=40)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from diplograph.mentions import actors
    from diplograph.mentions.knowledge import knowledge
    from diplograph.models import PartialDate

    t1 = time.perf_counter()
    knowledge()
    t2 = time.perf_counter()
    actors.find_mentions("Uzbekistan")  # builds the name index and reads the cue lists
    t3 = time.perf_counter()
    actors.lookup("x")
    t4 = time.perf_counter()
    print(f"import resolver modules  {1000 * (t1 - t0):7.1f} ms")
    print(f"load reference knowledge {1000 * (t2 - t1):7.1f} ms")
    print(f"build name index + cues  {1000 * (t3 - t2):7.1f} ms")
    print(f"build lookup index       {1000 * (t4 - t3):7.1f} ms")

    rng = random.Random(7)
    docs = [make_article(rng) for _ in range(args.articles)]
    pub = PartialDate.parse("2025-06-01")
    t = time.perf_counter()
    n = sum(len(actors.find_mentions(d, published=pub)) for d in docs)
    dt = time.perf_counter() - t
    chars = sum(map(len, docs))
    print(f"generated: {len(docs)} articles ({chars / len(docs):.0f} chars avg): "
          f"{len(docs) / dt:.0f} articles/s, {n / dt:.0f} mentions/s, {chars / dt / 1e6:.2f} M chars/s")

    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if seeds:
        texts = [p.read_text(encoding="utf-8") for p in seeds] * args.seed_repeats
        t = time.perf_counter()
        n = sum(len(actors.find_mentions(x)) for x in texts)
        dt = time.perf_counter() - t
        chars = sum(map(len, texts))
        print(f"seeds x{args.seed_repeats}: {len(texts)} articles ({chars / len(texts):.0f} chars avg): "
              f"{len(texts) / dt:.0f} articles/s, {n / dt:.0f} mentions/s, {chars / dt / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
