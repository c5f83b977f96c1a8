"""Reading every supported format into Documents (fixtures in tests/data/documents, written
for these tests in the genre of news articles)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from diplograph.documents import read
from diplograph.documents.read import content_id, sniff
from diplograph.errors import SourceError
from diplograph.models import Document, PartialDate

DATA = Path(__file__).parent / "data" / "documents"
MAX = 20 * 1024 * 1024


def _docs(*paths: str | Path, **kw) -> list[Document | SourceError]:
    return list(read([str(p) for p in paths], max_bytes=MAX, **kw))


@pytest.mark.parametrize(
    "name, fmt, title, author, published",
    [
        ("article.html", "html", "Mongolia and Vietnam sign transit agreement", "Ariunaa Batbayar", "2025-04-14"),
        ("article.md", "markdown", "Georgia and Armenia launch joint border commission", "Nino Kapanadze", "2025-01-28"),
        ("broken.html", "html", "Laos and Thailand open new bridge", None, None),
    ],
)
def test_documents_single_article_formats(name, fmt, title, author, published):
    [doc] = _docs(DATA / name)
    assert isinstance(doc, Document)
    assert (doc.format, doc.title, doc.author) == (fmt, title, author)
    assert (doc.published.value if doc.published else None) == published
    assert doc.published_method == ("metadata" if published else "unknown")
    assert doc.id == content_id(doc.raw_text) and len(doc.id) == 16
    assert doc.raw_text == (DATA / name).read_text(encoding="utf-8")


def test_documents_html_keeps_article_drops_page():
    [doc] = _docs(DATA / "article.html")
    for para in ("signed an agreement on road and rail transit in Hanoi",
                 "Trade between the two countries reached 180 million US dollars",
                 "In 1954 the two states established diplomatic relations"):
        assert para in doc.text
    for furniture in ("Related News", "Ulaanbaatar hosts investment forum", "Sign up for our newsletter",
                      "All rights reserved", "Subscribe"):
        assert furniture not in doc.text
    assert doc.text.startswith("Mongolia and Vietnam sign transit agreement\n")
    # a date deep in the body (1954) is not the publication date
    assert doc.published == PartialDate("2025-04-14", "day", "2025-04-14")


def test_documents_broken_html_still_extracts_every_paragraph():
    [doc] = _docs(DATA / "broken.html")
    assert "fifth friendship bridge across the Mekong" in doc.text
    assert "took four years to build" in doc.text
    assert "the Lao transport minister told reporters" in doc.text


def test_documents_markdown_syntax_is_removed():
    [doc] = _docs(DATA / "article.md")
    assert "after a meeting of deputy foreign ministers in Tbilisi." in doc.text
    assert "Trade between the two countries grew by 12 percent last year." in doc.text
    for syntax in ("**", "](", "![", "# ", "---", "title:"):
        assert syntax not in doc.text


def test_documents_jsonl_one_document_a_line():
    docs = _docs(DATA / "articles.jsonl")
    assert [type(d) for d in docs] == [Document] * 3
    first, second, third = docs
    assert first.source.endswith("articles.jsonl:1") and first.url == "https://example.org/news/1"
    assert (first.title, first.author, first.published.value, first.published_method) == (
        "Chile and Argentina sign lithium cooperation pact", "Lucía Fernández", "2025-03-18", "metadata")
    # an html field goes through the HTML extractor; a written date is parsed
    assert second.format == "jsonl" and "<p>" not in second.text and "accredited to Timor-Leste" in second.text
    assert (second.published.value, second.published.text) == ("2025-03-20", "March 20, 2025")
    assert third.published is None and third.published_method == "unknown"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("feed.rss", [("Turkmenistan and Azerbaijan agree on gas swap talks", "2025-05-13",
                       "https://caspian-wire.example/2025/05/gas-swap", "technical teams would meet within a month"),
                      ("Kazakhstan hosts Caspian summit preparations", "2025-05-14",
                       "https://caspian-wire.example/2025/05/summit-prep", "five Caspian littoral states met in Aktau")]),
        ("feed.atom", [("North Macedonia and Albania hold joint cabinet session", "2025-02-19",
                        "https://balkan-notes.example/joint-cabinet", "signed eleven agreements on energy")]),
    ],
)
def test_documents_feed_one_document_per_entry(name, expected):
    docs = _docs(DATA / name)
    assert len(docs) == len(expected)
    for doc, (title, date, link, phrase) in zip(docs, expected):
        assert isinstance(doc, Document) and doc.format == "feed"
        assert (doc.title, doc.published.value, doc.published_method, doc.url) == (title, date, "metadata", link)
        assert phrase in doc.text and "<p>" not in doc.text


def test_documents_feed_author_name():
    [doc] = _docs(DATA / "feed.atom")
    assert doc.author == "Elena Petrovska"


def test_documents_folder_is_read_recursively_sorted_without_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article about Bhutan and Nepal signing a hydropower deal.\n")
    (tmp_path / "a.txt").write_text("First article about Nepal and India opening a new border crossing.\n")
    (tmp_path / ".hidden.txt").write_text("hidden draft\n")
    (tmp_path / ".git" / "x.txt").write_text("not an article\n")
    docs = _docs(tmp_path)
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in docs] == ["a.txt", "b/2.txt"]


@pytest.mark.parametrize(
    "content, fmt",
    [
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>Oman and Yemen reopen border</title>"
         b"<description>Oman and Yemen reopened a border crossing on Sunday after two years.</description></item></channel></rss>", "feed"),
        (b"<!DOCTYPE html><html><body><article><p>Bhutan and Bangladesh signed a trade agreement in Thimphu on Friday, "
         b"the first such agreement between the two countries, officials said.</p></article></body></html>", "html"),
        (json.dumps({"text": "Fiji and Tonga agreed to cooperate on maritime patrols, officials said."}).encode() + b"\n", "jsonl"),
        (b"# Samoa joins regional fisheries pact\n\nSamoa joined a regional fisheries pact on Monday.\n", "markdown"),
        (b"Nauru and Palau agreed to open direct flights, their governments said on Monday.\n", "text"),
    ],
)
def test_documents_stdin_format_is_sniffed(content, fmt):
    [doc] = _docs("-", stdin=io.BytesIO(content))
    assert isinstance(doc, Document), doc
    assert doc.source == "<stdin>" or doc.source.startswith("<stdin>")
    assert doc.format == fmt


@pytest.mark.parametrize("text, fmt", [("{\"a\": 1}\n", "jsonl"), ("[{\"text\": \"x\"}]", "json"),
                                       ("<html><p>x</p></html>", "html"), ("Plain words.", "text")])
def test_documents_sniff(text, fmt):
    assert sniff(text) == fmt


def test_documents_json_array_file(tmp_path):
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([
        {"title": "Belize and Guatemala agree on border talks", "published": "2025-02-03",
         "text": "Belize and Guatemala agreed to resume talks on their border dispute, the two governments said."},
        {"text": "Honduras and El Salvador signed a customs union protocol in Tegucigalpa on Friday."},
    ]), encoding="utf-8")
    docs = _docs(f)
    assert [d.source for d in docs] == [f"{f}#1", f"{f}#2"]
    assert docs[0].published.value == "2025-02-03" and docs[1].published is None


def test_documents_published_override_wins_over_metadata():
    override = PartialDate("2024-01-01", "day", "2024-01-01")
    [doc] = _docs(DATA / "article.html", published=override)
    assert (doc.published, doc.published_method) == (override, "override")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_documents_encodings_decode_to_the_same_text(tmp_path, encoding):
    text = "Türkiye and Côte d’Ivoire signed a memorandum on défense cooperation in Abidjan on Monday, officials said.\n"
    if encoding == "cp1252":
        text = text.replace("’", "'")
    f = tmp_path / "a.txt"
    f.write_bytes(text.encode(encoding))
    [doc] = _docs(f)
    assert isinstance(doc, Document), doc
    assert doc.text == text.strip()


def test_documents_id_ignores_newline_style(tmp_path):
    body = "Line one of an article about Laos.\nLine two about its neighbours and their trade.\n"
    (tmp_path / "unix.txt").write_bytes(body.encode())
    (tmp_path / "dos.txt").write_bytes(body.replace("\n", "\r\n").encode())
    a, b = _docs(tmp_path / "unix.txt", tmp_path / "dos.txt")
    assert a.id == b.id and a.raw_text == b.raw_text


def test_documents_only_web_urls_are_kept(tmp_path):
    from diplograph.documents import read

    p = tmp_path / "feed.jsonl"
    lines = [{"url": "javascript:alert(17)", "text": "Chile and Peru signed an agreement on 3 May 2024 in Lima."},
             {"url": "https://example.org/a", "text": "Kenya and Ghana signed an agreement on 4 May 2024 in Accra."},
             {"url": "data:text/html,x", "text": "Mali and Niger signed an agreement on 5 May 2024 in Bamako."}]
    p.write_text("\n".join(__import__("json").dumps(x) for x in lines) + "\n", encoding="utf-8")
    docs = [d for d in read([str(p)], max_bytes=10**6)]
    assert [d.url for d in docs] == [None, "https://example.org/a", None]
