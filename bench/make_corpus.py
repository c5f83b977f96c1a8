"""Generate a synthetic corpus of news-like articles about interstate relations.

    python bench/make_corpus.py OUT_DIR -n 10000 [--seed 7] [--text-only]

Articles are built from templates in the genre (agreements, visits, summits, trade
figures, embassies, alliances) with varied countries, people, numbers and dates, and the
page furniture real pages carry (date headers in several styles, bylines, reading times,
photo credits, ticker strips, "Related News" blocks, "Read N times" footers). Most are
plain text files; some are HTML pages; some go into JSON Lines files of 50 records; about
one in twenty is a syndicated near-duplicate of an earlier article (new headline, a few
edits). Everything is generated: no third-party text.
"""

from __future__ import annotations

import argparse
import html
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COUNTRIES = [
    ("Kazakhstan", "Astana", "Kazakh"), ("Uzbekistan", "Tashkent", "Uzbek"),
    ("Kyrgyzstan", "Bishkek", "Kyrgyz"), ("Tajikistan", "Dushanbe", "Tajik"),
    ("Turkmenistan", "Ashgabat", "Turkmen"), ("Azerbaijan", "Baku", "Azerbaijani"),
    ("Georgia", "Tbilisi", "Georgian"), ("Armenia", "Yerevan", "Armenian"),
    ("Turkey", "Ankara", "Turkish"), ("Iran", "Tehran", "Iranian"),
    ("Mongolia", "Ulaanbaatar", "Mongolian"), ("China", "Beijing", "Chinese"),
    ("Russia", "Moscow", "Russian"), ("India", "New Delhi", "Indian"),
    ("Pakistan", "Islamabad", "Pakistani"), ("Japan", "Tokyo", "Japanese"),
    ("South Korea", "Seoul", "South Korean"), ("Vietnam", "Hanoi", "Vietnamese"),
    ("Indonesia", "Jakarta", "Indonesian"), ("Malaysia", "Kuala Lumpur", "Malaysian"),
    ("Egypt", "Cairo", "Egyptian"), ("Saudi Arabia", "Riyadh", "Saudi"),
    ("the United Arab Emirates", "Abu Dhabi", "Emirati"), ("Qatar", "Doha", "Qatari"),
    ("Israel", "Jerusalem", "Israeli"), ("Jordan", "Amman", "Jordanian"),
    ("Germany", "Berlin", "German"), ("France", "Paris", "French"),
    ("Italy", "Rome", "Italian"), ("Poland", "Warsaw", "Polish"),
    ("Hungary", "Budapest", "Hungarian"), ("Serbia", "Belgrade", "Serbian"),
    ("Greece", "Athens", "Greek"), ("Brazil", "Brasilia", "Brazilian"),
    ("Argentina", "Buenos Aires", "Argentine"), ("Chile", "Santiago", "Chilean"),
    ("Mexico", "Mexico City", "Mexican"), ("Canada", "Ottawa", "Canadian"),
    ("Nigeria", "Abuja", "Nigerian"), ("Kenya", "Nairobi", "Kenyan"),
    ("Ethiopia", "Addis Ababa", "Ethiopian"), ("South Africa", "Pretoria", "South African"),
]
FIRST = ["Aida", "Bakhyt", "Carlos", "Dilnoza", "Elena", "Farid", "Giorgi", "Hana", "Ivan", "Jamila",
         "Kenji", "Leila", "Marat", "Nodira", "Omar", "Paulo", "Rustam", "Sofia", "Timur", "Umida",
         "Viktor", "Wei", "Yusuf", "Zarina", "Anders", "Beatriz", "Chen", "Darius", "Emre", "Fatima"]
LAST = ["Abdullaev", "Bekova", "Costa", "Dzhaksybekov", "Erdogan", "Fernandes", "Gurbanov",
        "Haydarov", "Ismailova", "Jansen", "Karimov", "Lee", "Mirzaev", "Nazarova", "Okafor",
        "Petrov", "Quispe", "Rahimov", "Suleimenov", "Tursunov", "Usmonov", "Valiev", "Wang",
        "Yilmaz", "Zhakupov", "Novak", "Kowalski", "Moreau", "Rossi", "Schmidt"]
OFFICES = ["President", "Prime Minister", "Foreign Minister", "Defence Minister",
           "Minister of Economy", "Deputy Foreign Minister", "Trade Minister", "Energy Minister"]
TOPICS = ["trade and investment", "energy", "transport and transit", "tourism", "education",
          "agriculture", "water management", "defence cooperation", "customs", "digital technology",
          "healthcare", "culture", "migration", "visa-free travel", "renewable energy",
          "mining", "civil aviation", "railways", "science", "humanitarian aid"]
DOCS = ["agreement", "memorandum of understanding", "protocol", "joint declaration", "treaty",
        "roadmap", "action plan", "intergovernmental agreement"]
SECTIONS = ["POLITICS", "ECONOMY", "WORLD", "REGION", "DIPLOMACY", "SECURITY", "BUSINESS"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SITES = ["Steppe Review", "Caspian Wire", "Silk Road Monitor", "Eurasia Desk", "Meridian Times"]


@dataclass
class Article:
    title: str
    byline: str
    date: tuple[int, int, int]
    paragraphs: list[str]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _paragraphs(r: random.Random, a: tuple[str, str, str], b: tuple[str, str, str], year: int) -> list[str]:
    topic, doc = r.choice(TOPICS), r.choice(DOCS)
    off_a, off_b = r.choice(OFFICES), r.choice(OFFICES)
    p_a, p_b = _person(r), _person(r)
    n_docs = r.randint(2, 31)
    past = r.randint(1991, year - 1)
    trade = r.randint(20, 9000)
    growth = round(r.uniform(1, 60), 1)
    month = r.choice(MONTHS)
    pool = [
        f"{a[2]} {off_a} {p_a} arrived in {b[1]} on an official visit on {r.choice(WEEKDAYS)}, "
        f"the {a[2].lower() if a[2].islower() else a[2]} foreign ministry said, and held talks with "
        f"{b[2]} {off_b} {p_b} on {topic} and regional security.",
        f"{a[0].capitalize() if a[0][0].islower() else a[0]} and {b[0]} signed {n_docs} documents during the visit, "
        f"including a {doc} on {topic} and a programme of cooperation for the years {year} to {year + r.randint(2, 6)}.",
        f"Trade between the two countries reached {trade} million US dollars in {year - 1}, "
        f"up {growth} percent from the year before, according to the {a[2]} statistics agency.",
        f"The two sides agreed to raise bilateral trade to {trade * r.randint(2, 4)} million dollars "
        f"by {year + r.randint(3, 8)} and to open a joint business council in {r.choice([a[1], b[1]])}.",
        f"{a[0].capitalize() if a[0][0].islower() else a[0]} and {b[0]} established diplomatic relations in {past}, "
        f"and {b[0]} opened its embassy in {a[1]} {r.randint(1, 12)} years later.",
        f"In {month} {year}, the two governments signed a {r.choice(DOCS)} on {r.choice(TOPICS)}, "
        f"which entered into force after ratification by both parliaments.",
        f"Speaking to reporters after the talks, {p_b} said relations with {a[0]} had reached "
        f"\"a new level of strategic partnership\" and that both sides would meet again in {month}.",
        f"{p_a} also met the speaker of the {b[2]} parliament and visited an industrial zone near {b[1]} "
        f"where {a[2]} companies are building a plant worth {r.randint(5, 900)} million dollars.",
        f"Analysts in {a[1]} said the visit showed a shift in the region's diplomacy, as governments look for "
        f"partners beyond their traditional allies and seek routes that avoid {r.choice(COUNTRIES)[0]}.",
        f"The {doc} on {topic} provides for regular consultations between the ministries and a working "
        f"group that will report to the heads of government every {r.choice(['six months', 'year', 'quarter'])}.",
        f"{b[0]} is one of {a[0]}'s {r.choice(['five', 'ten', 'three', 'largest'])} trading partners, with "
        f"exports dominated by {r.choice(['grain', 'cotton', 'metals', 'oil products', 'machinery', 'textiles'])} "
        f"and imports by {r.choice(['vehicles', 'pharmaceuticals', 'electronics', 'fertiliser', 'food'])}.",
        f"A joint military exercise involving {r.randint(200, 4000)} troops from {a[0]} and {b[0]} is planned "
        f"for {r.choice(MONTHS)}, the {a[2]} defence ministry said in a separate statement.",
        f"The leaders also discussed the situation in {r.choice(COUNTRIES)[0]} and agreed to coordinate "
        f"their positions at the United Nations and at the next summit of {r.choice(['the SCO', 'the OTS', 'the CIS', 'ASEAN', 'the G20'])}.",
    ]
    r.shuffle(pool)
    return pool[: r.randint(5, 10)]


def article(r: random.Random) -> Article:
    a, b = r.sample(COUNTRIES, 2)
    year = r.randint(2019, 2025)
    date = (year, r.randint(1, 12), r.randint(1, 28))
    verb = r.choice(["sign", "agree on", "discuss", "expand", "launch talks on"])
    title = f"{a[0][0].upper() + a[0][1:]} and {b[0]} {verb} {r.choice(TOPICS)} {r.choice(DOCS)}"
    return Article(title, _person(r), date, _paragraphs(r, a, b, year))


def _date_header(r: random.Random, d: tuple[int, int, int]) -> str:
    y, m, dd = d
    styles = [
        f"{r.choice(SECTIONS)} | {r.randint(0, 23):02d}:{r.randint(0, 59):02d} / {dd:02d}.{m:02d}.{y}",
        f"{dd} {MONTHS[m - 1]} {y}",
        f"{MONTHS[m - 1]} {dd}, {y}",
        f"Published: {y}-{m:02d}-{dd:02d}",
    ]
    return r.choice(styles)


def as_text(r: random.Random, art: Article) -> str:
    lines: list[str] = []
    if r.random() < 0.15:  # a currency strip repeated across the page
        strip = [f"  • {c}/USD = {r.uniform(0.0001, 2):.5f} {r.choice(['0%', '-0.5%', '+1.2%'])}"
                 for c in r.sample(["KZT", "UZS", "KGS", "TJS", "TMT", "AZN", "GEL", "AMD"], 4)]
        lines += strip * r.randint(3, 8)
    lines.append(_date_header(r, art.date))
    if r.random() < 0.5:
        lines.append(f"{r.randint(2, 12)} min read")
    lines += ["", art.title, ""]
    if r.random() < 0.6:
        lines += [f"By {art.byline}", ""]
    if r.random() < 0.4:
        lines += [f"Image: {r.choice(SITES)}, {_person(r)}", ""]
    for p in art.paragraphs:
        lines += [p, ""]
    if r.random() < 0.3:
        lines.append(f"Read {r.randint(10, 5000)} times Last modified on {art.date[2]} {MONTHS[art.date[1] - 1]} {art.date[0]}")
    if r.random() < 0.5:
        lines += ["", "Related News", ""] + [article(r).title for _ in range(r.randint(2, 4))]
    return "\n".join(lines) + "\n"


def as_html(r: random.Random, art: Article) -> str:
    y, m, d = art.date
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in art.paragraphs)
    related = "".join(f"<li><a href='/n/{i}'>{html.escape(article(r).title)}</a></li>" for i in range(3))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(art.title)} | {r.choice(SITES)}</title>
<meta property="og:title" content="{html.escape(art.title)}">
<meta name="author" content="{art.byline}">
<meta property="article:published_time" content="{y}-{m:02d}-{d:02d}T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>{html.escape(art.title)}</h1>
{paras}
</article>
<aside><h3>Related News</h3><ul>{related}</ul></aside>
<footer>Sign up for our newsletter</footer>
</body></html>
"""


def near_duplicate(r: random.Random, art: Article) -> Article:
    """A syndicated copy: new headline, a few words changed, maybe a paragraph dropped."""
    paras = list(art.paragraphs)
    if len(paras) > 6 and r.random() < 0.5:
        paras.pop(r.randrange(len(paras)))
    i = r.randrange(len(paras))
    paras[i] = paras[i].replace(" said", " told reporters", 1).replace(" the ", " this ", 1)
    return Article("UPDATE: " + art.title.replace(" and ", " & ", 1), _person(r), art.date, paras)


def generate(n: int, seed: int = 7, *, text_only: bool = False) -> Iterator[tuple[str, str, Article]]:
    """Yield (kind, content, article) for n articles; kind is txt, html or jsonl."""
    r = random.Random(seed)
    recent: list[Article] = []
    for _ in range(n):
        if recent and r.random() < 0.05:
            art = near_duplicate(r, r.choice(recent))
        else:
            art = article(r)
            recent = (recent + [art])[-200:]
        kind = "txt" if text_only else r.choices(["txt", "html", "jsonl"], [80, 10, 10])[0]
        if kind == "html":
            yield kind, as_html(r, art), art
        elif kind == "jsonl":
            y, m, d = art.date
            rec = {"title": art.title, "author": art.byline, "published": f"{y}-{m:02d}-{d:02d}",
                   "url": f"https://news.example/{r.getrandbits(40):x}", "text": "\n\n".join(art.paragraphs)}
            yield kind, json.dumps(rec, ensure_ascii=False), art
        else:
            yield kind, as_text(r, art), art


def write_corpus(out: Path, n: int, seed: int = 7, *, text_only: bool = False) -> int:
    """Write n articles under ``out`` (sub-folders of 1,000); return the number written."""
    out.mkdir(parents=True, exist_ok=True)
    batch: list[str] = []
    batch_no = 0
    for i, (kind, content, _art) in enumerate(generate(n, seed, text_only=text_only)):
        folder = out / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        if kind == "jsonl":
            batch.append(content)
            if len(batch) == 50:
                (folder / f"batch_{batch_no:04d}.jsonl").write_text("\n".join(batch) + "\n", encoding="utf-8")
                batch, batch_no = [], batch_no + 1
        else:
            (folder / f"article_{i:06d}.{kind}").write_text(content, encoding="utf-8")
    if batch:
        (out / f"batch_{batch_no:04d}.jsonl").write_text("\n".join(batch) + "\n", encoding="utf-8")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=10_000, help="number of articles (default 10000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--text-only", action="store_true", help="plain text files only")
    args = ap.parse_args()
    write_corpus(args.out, args.n, args.seed, text_only=args.text_only)
    print(f"{args.n} articles under {args.out}")


if __name__ == "__main__":
    main()
