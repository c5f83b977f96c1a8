"""A fetched page, or a feed item's summary, as a Document (cleaned with trafilatura and
the documents stage's own rules, like any HTML file ingested)."""

from __future__ import annotations

from ..documents.formats import _trafilatura_config, read_html, read_text
from ..documents.read import build
from ..errors import SourceError
from ..models import Document
from .feeds import FeedItem

MIN_ARTICLE_WORDS = 40  # less main text than this is a page of links, a video, a login wall


class NotAnArticle(SourceError):
    """A page with no article in it (an index, a login wall, a video page)."""


def page_document(url: str, html: str, *, item: FeedItem | None = None) -> Document:
    """The article at ``url``. The feed item, when there is one, gives the title, author
    and date (a feed's date is more reliable than a page's markup). Raises NotAnArticle
    when trafilatura finds no article text in the page."""
    import trafilatura
    from trafilatura.settings import use_config

    main = trafilatura.extract(html, output_format="txt", include_comments=False,
                               config=_trafilatura_config(use_config)) if html.strip() else None
    words = len(main.split()) if main else 0
    if words < MIN_ARTICLE_WORDS:
        raise NotAnArticle(url, f"is not an article page ({words} words of main text found)",
                           hint="watch the site's feed, or give the article URLs themselves")
    meta = {}
    if item is not None:
        meta = {"title": item.title, "author": item.author, "published": item.published, "url": url}
    drafts = list(read_html(url, html, meta=meta))
    doc = build(drafts[0])
    if isinstance(doc, SourceError):
        raise NotAnArticle(url, doc.problem, hint=doc.hint)
    doc.url = doc.url or (url if url.startswith(("http://", "https://")) else None)
    return doc


def summary_document(item: FeedItem, *, source: str, why: str) -> Document:
    """The item as the feed tells it (title and summary), for when its page cannot be had.
    The document says so: ``extras["text_from"]`` and ``extras["why"]``. Raises
    SourceError when the item has no summary either."""
    if not item.summary:
        raise SourceError(item.name, f"{why}, and the feed gives no summary to read instead",
                          hint="nothing to ingest from this item")
    name = item.link or f"{source}#{item.guid or item.title}"
    meta = {"title": item.title, "author": item.author, "published": item.published, "url": item.link}
    if "<" in item.summary and ">" in item.summary:
        try:
            draft = next(iter(read_html(name, item.summary, fmt="feed", meta=meta)))
        except SourceError as e:
            raise SourceError(item.name, f"{why}, and its summary has no text ({e.problem})") from None
    else:
        draft = next(iter(read_text(name, item.summary)))
        draft.format, draft.title, draft.author, draft.published, draft.url = (
            "feed", item.title, item.author, item.published, item.link)
        if item.title:
            draft.body = f"{item.title}\n\n{draft.body}"
    doc = build(draft)
    if isinstance(doc, SourceError):
        raise SourceError(item.name, f"{why}, and its summary has no text ({doc.problem})")
    doc.extras = {**(doc.extras or {}), "text_from": "feed summary", "why": why}
    return doc
