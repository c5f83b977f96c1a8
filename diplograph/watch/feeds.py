"""What a watched URL holds: a feed (its items: guid, link, title, summary, date) or a
page. The SOURCE arguments of ``diplograph watch`` are expanded here too: a URL, or a
file listing URLs one a line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..models import PartialDate
from .fetch import Fetched, FetchError

FEED_TYPES = ("rss", "atom", "rdf", "xml")


@dataclass
class FeedItem:
    """One entry of a feed."""

    guid: str | None
    link: str | None
    title: str | None = None
    summary: str | None = None  # text or HTML, as the feed gives it
    published: PartialDate | None = None
    author: str | None = None
    keys: list[str] = field(default_factory=list)  # how it is recognised when seen again

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = item_keys(self.guid, self.link)

    @property
    def name(self) -> str:
        return self.link or self.guid or self.title or "an item without link"


def item_keys(guid: str | None, link: str | None) -> list[str]:
    """An item is the same as one read before if its guid or its URL is."""
    keys = []
    if guid:
        keys.append(f"guid:{guid.strip()}")
    if link:
        keys.append(f"url:{normal_url(link)}")
    return keys


def normal_url(url: str) -> str:
    """A URL without its fragment and trailing slash, scheme and host in lower case."""
    url = url.strip().split("#", 1)[0]
    m = re.match(r"(?i)(https?)://([^/?]+)(.*)", url)
    if m:
        url = f"{m.group(1).lower()}://{m.group(2).lower()}{m.group(3)}"
    return url[:-1] if url.endswith("/") and url.count("/") > 3 else url


def expand_sources(args: list[str] | tuple[str, ...]) -> list[str]:
    """The URLs to watch: each argument is a URL, or a file of URLs (one a line; blank
    lines and lines starting with # are skipped). Raises SourceError for anything else."""
    urls: list[str] = []
    for arg in args:
        if re.match(r"(?i)https?://", arg):
            urls.append(arg.strip())
            continue
        path = Path(arg)
        if not path.is_file():
            raise SourceError(arg, "is neither an http(s) URL nor a file of URLs",
                              hint="give a feed or page URL, or a text file listing them one a line")
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not re.match(r"(?i)https?://\S+$", line):
                raise SourceError(arg, f"line {n} is not an http(s) URL: {line[:60]!r}",
                                  hint="one URL a line; start comments with #")
            urls.append(line)
    return list(dict.fromkeys(urls))


def is_feed(fetched: Fetched, text: str) -> bool:
    """A feed by its content type, or by its first element."""
    ctype = fetched.content_type.lower()
    head = text.lstrip()[:2048]
    if re.search(r"<(?:rss|feed|rdf:RDF)\b", head):
        return True
    if "html" in ctype:
        return False
    return any(f"/{t}" in ctype or f"+{t}" in ctype for t in FEED_TYPES) and head.startswith("<")


def parse_feed(url: str, text: str) -> list[FeedItem]:
    """The items of an RSS or Atom feed, in the feed's order. A feed that cannot be read
    (malformed XML with nothing recoverable, no entries) raises FetchError."""
    import xml.sax

    import feedparser

    parsed = feedparser.parse(text)
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if exc is not None and (isinstance(exc, xml.sax.SAXException) or not parsed.entries):
        # what a lenient parse recovers from broken XML can be half an item: nothing is read
        raise FetchError(url, f"not a readable feed: the XML is malformed ({exc})",
                         "the publisher's feed is broken; it is read again on the next pass; check it in a "
                         "browser, or watch another feed")
    if not parsed.entries and not parsed.get("feed"):
        raise FetchError(url, "not an RSS or Atom feed", "give the feed's URL (often /feed, /rss or /atom.xml)")
    items = []
    for entry in parsed.entries:
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            st = entry.get(key)
            if st:
                published = PartialDate(f"{st.tm_year:04d}-{st.tm_mon:02d}-{st.tm_mday:02d}", "day",
                                        entry.get(key.replace("_parsed", "")))
                break
        summary = ""
        if entry.get("content"):
            summary = "\n".join(c.get("value", "") for c in entry["content"])
        summary = summary if summary.strip() else (entry.get("summary") or "")
        link = entry.get("link")
        items.append(FeedItem(guid=entry.get("id") or None, link=link if link and "://" in link else None,
                              title=_clean(entry.get("title")), summary=summary.strip() or None,
                              published=published, author=_clean(entry.get("author"))))
    return items


def _clean(v: object) -> str | None:
    s = re.sub(r"\s+", " ", str(v)).strip() if v else ""
    return s or None
