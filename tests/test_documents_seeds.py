"""Cleaning and dating the five seed articles (read from ../shared/seeds at test time; no
seed text is copied here). Paragraphs are taken from each seed by a simple rule: every
line of 25 words or more is article prose and must survive cleaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diplograph.documents import read
from diplograph.documents.clean import normalise_line
from diplograph.models import Document

SEEDS = ["000", "001", "002", "003", "004"]


def _seed(seeds_dir: Path, prefix: str) -> tuple[str, Document]:
    [path] = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    [doc] = list(read([str(path)], max_bytes=20_000_000))
    assert isinstance(doc, Document), doc
    return path.read_text(encoding="utf-8"), doc


def _prose_lines(raw: str) -> list[str]:
    return [normalise_line(x) for x in raw.splitlines() if len(normalise_line(x).split()) >= 25]


@pytest.mark.parametrize("prefix", SEEDS)
def test_documents_seed_every_paragraph_survives(seeds_dir, prefix):
    raw, doc = _seed(seeds_dir, prefix)
    paragraphs = _prose_lines(raw)
    assert len(paragraphs) >= 5
    missing = [p[:60] for p in paragraphs if p not in doc.text]
    assert missing == []
    assert doc.raw_text == raw.replace("\r\n", "\n")


@pytest.mark.parametrize("prefix", SEEDS)
def test_documents_seed_furniture_is_gone(seeds_dir, prefix):
    raw, doc = _seed(seeds_dir, prefix)
    lines = [normalise_line(x) for x in doc.text.splitlines()]
    furniture = [
        re.compile(r"related news|suggested articles|visit also|view more articles from", re.I),
        re.compile(r"^read \d+ times|last modified on", re.I),
        re.compile(r"^(?:image|credit|photo)\s*:", re.I),
        re.compile(r"^\d+ min read$", re.I),
        re.compile(r"^(?:newsletter|sidebar|sign up\b.*)$", re.I),
        re.compile(r"[A-Z]{3}/[A-Z]{3}\s*=\s*\d"),  # ticker rates
    ]
    left = [line for line in lines for pat in furniture if pat.search(line)]
    assert left == []
    # only whole lines are dropped: what remains is lines of the raw page, in order
    raw_lines = [normalise_line(x) for x in raw.splitlines()]
    it = iter(raw_lines)
    kept = [x for x in lines if x and x != doc.title]
    assert all(any(x == y for y in it) for x in kept)


def test_documents_seed_ticker_kept_once_as_data(seeds_dir):
    raw, doc = _seed(seeds_dir, "002")
    pairs = re.findall(r"([A-Z]{3}/[A-Z]{3}) = ([\d.]+) (-?[\d.]+)%", raw)
    assert len(pairs) > len(set(pairs))  # the strip repeats on the page
    unique = list(dict.fromkeys(pairs))
    assert [(t["pair"], t["value"], t["change"]) for t in doc.extras["ticker"]] == [
        (p, float(v), float(c)) for p, v, c in unique
    ]
    assert not re.search(r"[A-Z]{3}/[A-Z]{3}", doc.text)


@pytest.mark.parametrize(
    "prefix, value, method",
    [("000", "2025-03-06", "header"), ("001", "2025-12-16", "header"), ("002", "2025-06-23", "header"),
     ("003", None, "unknown"), ("004", None, "unknown")],
)
def test_documents_seed_publication_date(seeds_dir, prefix, value, method):
    raw, doc = _seed(seeds_dir, prefix)
    assert (doc.published.value if doc.published else None, doc.published_method) == (value, method)
    if doc.published:
        assert doc.published.precision == "day"
        assert doc.published.text in raw[:2000]  # read from the top of the page


@pytest.mark.parametrize("prefix, has_title", [("000", True), ("001", True), ("002", True), ("003", False), ("004", False)])
def test_documents_seed_title_is_a_line_near_the_top(seeds_dir, prefix, has_title):
    raw, doc = _seed(seeds_dir, prefix)
    assert (doc.title is not None) == has_title
    if doc.title:
        head = [normalise_line(x) for x in raw.splitlines()[:60]]
        assert any(line.startswith(doc.title) for line in head)
        assert doc.text.startswith(doc.title)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_documents_seed_author_is_named_on_the_page(seeds_dir, prefix):
    raw, doc = _seed(seeds_dir, prefix)
    assert doc.author and len(doc.author.split()) >= 2
    assert doc.author in raw
