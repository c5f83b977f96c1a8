"""One reader per format. Each turns decoded text into ``Draft`` articles: the raw text
as read, the body text to clean, and whatever metadata the format carries. Heavy
libraries (trafilatura, htmldate, feedparser) are imported on first use only, so reading
plain text never pays for them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import SourceError
from ..models import PartialDate
from .dates import parse_date

FORMATS = ("text", "markdown", "html", "jsonl", "feed")


@dataclass
class Draft:
    """An article as its format gives it, before cleaning and dating."""

    source: str
    raw_text: str
    body: str
    format: str
    title: str | None = None
    author: str | None = None
    published: PartialDate | None = None  # from metadata
    url: str | None = None
    line: int | None = None


# -- plain text and Markdown ------------------------------------------------------------


def read_text(source: str, text: str) -> Iterator[Draft]:
    yield Draft(source, text, text, "text")


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^```.*$", re.M), ""),  # code fences (the code itself stays)
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^\[[^\]]+\]:\s*\S+.*$", re.M), ""),  # link definitions
    (re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^ {0,3}(?:[-*_]\s*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^(\s*)[-*+]\s+", re.M), r"\1"),  # bullets
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
]


def read_markdown(source: str, text: str) -> Iterator[Draft]:
    title = author = None
    published = None
    body = text
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict):
            title = _str(meta.get("title"))
            author = _author(meta.get("author") or meta.get("authors"))
            published = parse_date(meta.get("date") or meta.get("published"))
            body = text[m.end() :]
    h1 = re.search(r"^ {0,3}#\s+(.+?)\s*#*\s*$", body, re.M)
    if title is None and h1 and not body[: h1.start()].strip():
        title = h1.group(1).strip()
    # Setext headings: a line underlined with === or ---
    body = re.sub(r"^(.+)\n(?:=+|-+)\s*$", r"\1", body, flags=re.M)
    for pat, repl in _MD_RULES:
        body = pat.sub(repl, body)
    yield Draft(source, text, body, "markdown", title=title, author=author, published=published)


# -- HTML -------------------------------------------------------------------------------


def read_html(source: str, html: str, *, raw: str | None = None, fmt: str = "html",
              meta: dict[str, Any] | None = None) -> Iterator[Draft]:
    """Main text with trafilatura, metadata (title, author, date) from the page's markup.
    Broken markup is parsed leniently; a page with no readable text is an error."""
    import trafilatura
    from trafilatura.settings import use_config

    meta = meta or {}
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        raise SourceError(source, "HTML that cannot be parsed", hint="check that the file is a web page")
    body = trafilatura.extract(
        tree, output_format="txt", include_comments=False, include_tables=True,
        favor_recall=True, with_metadata=False, config=_trafilatura_config(use_config),
    )
    if not body or not body.strip():
        body = _plain_text(tree)
    if not body or not body.strip():
        raise SourceError(source, "no readable text in this HTML",
                          hint="is it a page of navigation only? Save the article page itself")
    md = trafilatura.extract_metadata(tree, extensive=False)
    title = meta.get("title") or (md.title if md else None)
    author = meta.get("author") or (md.author if md else None)
    published = meta.get("published") or _html_date(tree)
    url = meta.get("url") or (md.url if md else None)
    if title and not body.lstrip().startswith(title.strip()):
        body = f"{title.strip()}\n\n{body}"  # the headline is part of the article
    yield Draft(source, raw if raw is not None else html, body, fmt, title=_str(title),
                author=_author(author), published=published, url=_str(url))


_TRAFILATURA_CONFIG = None


def _trafilatura_config(use_config: Any) -> Any:
    global _TRAFILATURA_CONFIG
    if _TRAFILATURA_CONFIG is None:
        cfg = use_config()
        cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal-based timeout: we may run in threads
        cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
        cfg.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")
        _TRAFILATURA_CONFIG = cfg
    return _TRAFILATURA_CONFIG


def _html_date(tree: Any) -> PartialDate | None:
    """The publication date the page's markup gives (meta tags, <time>, JSON-LD), via
    htmldate without its extensive search: dates in the body text are not trusted."""
    from htmldate import find_date

    try:
        value = find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate can trip on odd markup; no date is then the answer
        return None
    if not value:
        return None
    pd = parse_date(value)
    return PartialDate(pd.value, pd.precision, value) if pd else None


def _plain_text(tree: Any) -> str:
    for bad in tree.xpath("//script|//style|//noscript|//nav|//header|//footer"):
        bad.drop_tree()
    body = tree.find("body")
    node = body if body is not None else tree
    text = node.text_content() if hasattr(node, "text_content") else ""
    return "\n".join(x.strip() for x in text.splitlines() if x.strip())


# -- JSON Lines -------------------------------------------------------------------------

TEXT_FIELDS = ("text", "content", "body", "article")
HTML_FIELDS = ("html", "raw_html", "content_html")
DATE_FIELDS = ("published", "date", "published_at", "pubdate", "datetime", "time")


def read_jsonl_record(source: str, line_no: int, line: str) -> Iterator[Draft]:
    """One JSON Lines record. Raises SourceError naming the line when it is malformed."""
    try:
        rec = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as e:
        raise SourceError(source, f"not valid JSON ({e.msg} column {e.colno})", line=line_no,
                          hint="fix or remove this line; the other lines were read") from None
    if not isinstance(rec, dict):
        raise SourceError(source, f"a JSON {type(rec).__name__}, not an object", line=line_no,
                          hint='each line must be an object like {"text": ..., "title": ...}')
    meta = {
        "title": _str(rec.get("title") or rec.get("headline")),
        "author": _author(rec.get("author") or rec.get("authors") or rec.get("byline")),
        "url": _str(rec.get("url") or rec.get("link")),
    }
    published = None
    for f in DATE_FIELDS:
        if rec.get(f):
            published = parse_date(rec[f])
            if published is None:
                raise SourceError(source, f"{f!r} is not a date: {str(rec[f])[:40]!r}", line=line_no,
                                  hint="use YYYY-MM-DD (or YYYY-MM, YYYY), or drop the field")
            break
    name = f"{source}:{line_no}"
    text = next((rec[f] for f in TEXT_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    html = next((rec[f] for f in HTML_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    if text is not None:
        d = Draft(name, text, text, "jsonl", published=published, line=line_no, **meta)
        yield d
    elif html is not None:
        try:
            for d in read_html(name, html, fmt="jsonl", meta={**meta, "published": published}):
                d.line = line_no
                if published is not None:
                    d.published = published
                yield d
        except SourceError as e:
            raise SourceError(source, e.problem, line=line_no, hint=e.hint) from None
    else:
        raise SourceError(source, "no article text in this record", line=line_no,
                          hint=f"give the text in one of the fields {', '.join(TEXT_FIELDS + HTML_FIELDS)}")


# -- RSS and Atom feeds -----------------------------------------------------------------


def read_feed(source: str, text: str) -> Iterator[Draft | SourceError]:
    """One Draft per feed entry (content, else summary), with its date, link and title."""
    import feedparser

    parsed = feedparser.parse(text)
    if not parsed.entries:
        why = ": not well-formed XML" if parsed.get("bozo") else ": it has no entries"
        raise SourceError(source, f"not a readable RSS or Atom feed{why}",
                          hint="check that the file is the feed's XML; rename other text to .txt or .html")
    for n, entry in enumerate(parsed.entries, 1):
        name = f"{source}#{n}"
        content = ""
        if entry.get("content"):
            content = "\n".join(c.get("value", "") for c in entry["content"])
        if not content.strip():
            content = entry.get("summary", "") or ""
        if not content.strip():
            yield SourceError(source, f"feed entry {n} has no content or summary",
                              hint="the feed carries only links; fetch the articles themselves")
            continue
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            st = entry.get(key)
            if st:
                raw_key = key.replace("_parsed", "")
                published = PartialDate(f"{st.tm_year:04d}-{st.tm_mon:02d}-{st.tm_mday:02d}", "day",
                                        entry.get(raw_key))
                break
        meta = {
            "title": _str(entry.get("title")),
            "author": _author(entry.get("author_detail") or entry.get("author")),
            "url": _str(entry.get("link")),
            "published": published,
        }
        if "<" in content and re.search(r"<[a-zA-Z][^>]*>", content):
            try:
                yield from read_html(name, content, fmt="feed", meta=meta)
            except SourceError as e:
                yield e
        else:
            body = content if not meta["title"] else f"{meta['title']}\n\n{content}"
            yield Draft(name, content, body, "feed", title=meta["title"], author=meta["author"],
                        published=published, url=meta["url"])


# -- helpers ----------------------------------------------------------------------------


def _str(v: Any) -> str | None:
    if v is None:
        return None
    s = re.sub(r"\s+", " ", str(v)).strip()
    return s or None


def _author(v: Any) -> str | None:
    if isinstance(v, list):
        names = [_author(x) for x in v]
        return ", ".join(n for n in names if n) or None
    if isinstance(v, dict):
        return _str(v.get("name"))
    return _str(v)
