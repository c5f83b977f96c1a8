"""Reading sources into Documents: finding files, checking and decoding bytes, telling
formats apart, then cleaning, dating and hashing each article.

Everything streams: one file (one JSON Lines record) at a time, so memory does not grow
with the size of the corpus. A source that cannot be read becomes a ``SourceError`` in the
stream and the batch goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError
from ..models import Document, PartialDate
from . import formats
from .clean import clean

STDIN = "-"

EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "json",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}

# Magic numbers of formats people drop in a folder of articles by mistake.
_MAGIC = [
    (b"%PDF", "a PDF", "convert it to text first, e.g. pdftotext FILE.pdf FILE.txt"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.epub)", "unpack it or save the document as text"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first, e.g. with gunzip"),
    (b"\x89PNG", "a PNG image", "leave images out of the input"),
    (b"\xff\xd8\xff", "a JPEG image", "leave images out of the input"),
    (b"GIF8", "a GIF image", "leave images out of the input"),
    (b"\xd0\xcf\x11\xe0", "an old Office document", "save it as text or HTML first"),
]
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Source:
    """One input: a file, or standard input."""

    name: str
    path: Path | None = None  # None for stdin


def sources(paths: Sequence[str], *, stdin: BinaryIO | None = None) -> list[Source | SourceError]:
    """The files to read, in order: each path as given, folders recursively (sorted,
    hidden files and folders skipped), ``-`` for standard input."""
    out: list[Source | SourceError] = []
    for p in paths:
        if p == STDIN:
            out.append(Source("<stdin>") if stdin is not None else
                       SourceError("<stdin>", "no standard input to read", hint="pipe a file into the command"))
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(Source(str(f), f) for f in _walk(path))
        elif path.is_file():
            out.append(Source(str(path), path))
        elif path.exists():
            out.append(SourceError(str(path), "not a regular file", hint="give files or folders"))
        else:
            out.append(SourceError(str(path), "no such file or folder", hint="check the path"))
    return out


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def read(paths: Sequence[str], *, max_bytes: int, published: PartialDate | None = None,
         stdin: BinaryIO | None = None,
         on_source: Callable[[int, int], None] | None = None) -> Iterator[Document | SourceError]:
    """Yield one Document per article found under ``paths`` (files, folders, ``-``), or a
    SourceError for each input that cannot be read. ``published`` overrides every date.
    ``on_source(done, total)`` is called after each input file (for progress bars)."""
    found = sources(paths, stdin=stdin)
    for done, src in enumerate(found, 1):
        if isinstance(src, SourceError):
            yield src
        else:
            yield from read_source(src, max_bytes=max_bytes, published=published, stdin=stdin)
        if on_source is not None:
            on_source(done, len(found))


def read_source(src: Source, *, max_bytes: int, published: PartialDate | None = None,
                stdin: BinaryIO | None = None) -> Iterator[Document | SourceError]:
    """Every article of one source, as Documents or SourceErrors."""
    try:
        for draft in _drafts(src, max_bytes=max_bytes, stdin=stdin):
            if isinstance(draft, SourceError):
                yield draft
            else:
                yield build(draft, published=published)
    except SourceError as e:
        yield e
    except OSError as e:
        yield SourceError(src.name, f"cannot be read ({e.strerror or e})", hint="check its permissions")


def _drafts(src: Source, *, max_bytes: int, stdin: BinaryIO | None) -> Iterator[formats.Draft | SourceError]:
    fmt = EXTENSIONS.get(src.path.suffix.lower()) if src.path else None
    if src.path is not None:
        size = src.path.stat().st_size
        if fmt == "jsonl":
            # a JSON Lines file is a container: it streams, and the limit is per record
            yield from _jsonl(src, open(src.path, "rb"), max_bytes=max_bytes)
            return
        if size > max_bytes:
            raise SourceError(src.name, f"is {_mb(size)}, over the {_mb(max_bytes)} limit",
                              hint="split it, or raise the max_bytes setting: DIPLOGRAPH_MAX_BYTES")
        if size == 0:
            raise SourceError(src.name, "is empty", hint="remove it or give it content")
        with open(src.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    else:
        assert stdin is not None
        data = stdin.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(src.name, f"is over the {_mb(max_bytes)} limit",
                              hint="split the input, or raise the max_bytes setting: DIPLOGRAPH_MAX_BYTES")
    text = decode(src.name, data)
    if not text.strip():
        raise SourceError(src.name, "is empty (whitespace only)", hint="remove it or give it content")
    if fmt is None:
        fmt = sniff(text)
    if fmt == "feed" and not _looks_like_feed(text) and src.path is not None and src.path.suffix.lower() == ".xml":
        fmt = sniff(text)  # an .xml file that is not a feed may still be XHTML
    if fmt == "json" and not text.lstrip().startswith("["):
        fmt = "jsonl"  # a .json file of one object a line
    if fmt == "jsonl":
        yield from _jsonl_lines(src, text.split("\n"), max_bytes=max_bytes)
    elif fmt == "json":
        yield from _json_array(src, text)
    elif fmt == "html":
        yield from formats.read_html(src.name, text)
    elif fmt == "feed":
        yield from formats.read_feed(src.name, text)
    elif fmt == "markdown":
        yield from formats.read_markdown(src.name, text)
    else:
        yield from formats.read_text(src.name, text)


def _jsonl(src: Source, fh: BinaryIO, *, max_bytes: int) -> Iterator[formats.Draft | SourceError]:
    with fh:
        n = 0
        seen_any = False
        for n, raw in enumerate(fh, 1):
            if len(raw) > max_bytes:
                yield SourceError(src.name, f"record is {_mb(len(raw))}, over the {_mb(max_bytes)} limit",
                                  line=n, hint="raise the max_bytes setting: DIPLOGRAPH_MAX_BYTES")
                continue
            if n == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield SourceError(src.name, f"not UTF-8 (byte {e.start + 1} of the line)", line=n,
                                  hint="JSON Lines must be UTF-8; re-encode the file, e.g. with iconv")
                continue
            if not line.strip():
                continue
            seen_any = True
            yield from _jsonl_record(src, n, line)
        if not seen_any:
            yield SourceError(src.name, "is empty" if n == 0 else "has no records",
                              hint="remove it or give it one JSON object a line")


def _jsonl_lines(src: Source, lines: Iterable[str], *, max_bytes: int) -> Iterator[formats.Draft | SourceError]:
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield from _jsonl_record(src, n, line)


def _json_array(src: Source, text: str) -> Iterator[formats.Draft | SourceError]:
    """A JSON array of article objects: each element is read like a JSON Lines record."""
    import json

    try:
        records = json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(src.name, f"not valid JSON ({e.msg})", line=e.lineno,
                          hint="give an array of objects, or one object a line (JSON Lines)") from None
    if not isinstance(records, list):
        records = [records]
    for n, rec in enumerate(records, 1):
        try:
            for d in formats.read_jsonl_record(src.name, n, json.dumps(rec, ensure_ascii=False)):
                d.source = f"{src.name}#{n}"
                d.line = None
                yield d
        except SourceError as e:
            yield SourceError(src.name, f"record {n}: {e.problem}", hint=e.hint)


def _jsonl_record(src: Source, n: int, line: str) -> Iterator[formats.Draft | SourceError]:
    try:
        yield from formats.read_jsonl_record(src.name, n, line)
    except SourceError as e:
        yield e


def decode(name: str, data: bytes) -> str:
    """Bytes to text: a BOM if any, else UTF-8, else the encoding charset-normalizer finds
    plausible. Binary data and undecodable bytes raise a SourceError saying what to do."""
    head = data[:4096]
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            raise SourceError(name, f"is {what}, not text", hint=hint)
    if head[8:12] == b"DUCK":
        raise SourceError(name, "is a DuckDB database (a diplograph store?), not an article",
                          hint="keep the store outside the folders you ingest")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data.decode(enc))
            except UnicodeDecodeError:
                raise SourceError(name, f"starts with a {enc} byte-order mark but is not valid {enc}",
                                  hint="re-save it as UTF-8") from None
    if b"\x00" in head:
        raise SourceError(name, "is a binary file (it contains NUL bytes), not text",
                          hint="give text, Markdown, HTML, JSON Lines or feed files")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _detect(name, data)
    if len(_CONTROL.findall(text[:4096])) > max(8, len(text[:4096]) // 100):
        raise SourceError(name, "is a binary file (control characters), not text",
                          hint="give text, Markdown, HTML, JSON Lines or feed files")
    return _normalise(text)


def _detect(name: str, data: bytes) -> str:
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    sample = data[:200_000]
    best = from_bytes(sample).best()
    if best is None or best.chaos > 0.15 or best.encoding.startswith(("utf_16", "utf_32")):
        raise SourceError(name, "cannot be decoded: not UTF-8, and no other text encoding fits",
                          hint="convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE")
    # On short English texts several single-byte code pages fit equally well; the Western
    # one (Windows-1252) is by far the likeliest for news, so it wins a tie.
    try:
        western = sample.decode("cp1252")
        if mess_ratio(western) <= best.chaos + 0.02:
            return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise SourceError(name, f"cannot be decoded (looked like {best.encoding} but is not)",
                          hint="convert it to UTF-8, e.g. with iconv") from None


def _normalise(text: str) -> str:
    """Newlines to \\n, so the same article hashes the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)


def sniff(text: str) -> str:
    """The format of text whose file name does not say: feed, HTML, JSON Lines,
    Markdown or plain text."""
    head = text.lstrip()[:2048]
    if _looks_like_feed(head):
        return "feed"
    if _HTML_HINT.search(head[:1024]) and head.startswith("<"):
        return "html"
    first = next((x for x in text.split("\n", 20)[:20] if x.strip()), "")
    if first.lstrip().startswith("{") and first.rstrip().endswith("}"):
        return "jsonl"
    if head.startswith("[") and re.match(r"\[\s*\{", head):
        return "json"
    if re.search(r"^---\n.*?\n---\n", head, re.S) and head.startswith("---") or re.search(r"^#{1,3} \S", head, re.M):
        return "markdown"
    return "text"


def _looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:2048]
    return bool(re.search(r"<(?:rss|feed|rdf:RDF)\b", head)) and head.startswith("<")


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def content_id(raw_text: str) -> str:
    """The document id: the first 16 hex digits of the SHA-256 of the raw text (newlines
    normalised), so the same content always gets the same id."""
    return hashlib.sha256(_normalise(raw_text).encode("utf-8")).hexdigest()[:16]


def web_url(url: str | None) -> str | None:
    """The document's URL if it is an http(s) one; any other scheme (``javascript:``,
    ``data:``, ``file:``) is not kept, so it can never become a link."""
    if url and re.match(r"https?://\S+$", url.strip(), re.I):
        return url.strip()
    return None


def build(draft: formats.Draft, *, published: PartialDate | None = None) -> Document | SourceError:
    """Clean, date and hash one article. Dates: ``published`` (override) > the format's
    metadata > the article's own header > a "Last modified" footer > unknown."""
    raw = _normalise(draft.raw_text)
    cleaned = clean(_normalise(draft.body))
    if not cleaned.text.strip():
        where = draft.source.rsplit(":", 1)[0] if draft.line else draft.source
        return SourceError(where, "no article text left once page furniture is removed", line=draft.line,
                           hint="check that it holds an article, not just a menu or a list of links")
    if published is not None:
        date, method = published, "override"
    elif draft.published is not None:
        date, method = draft.published, "metadata"
    elif cleaned.published is not None:
        date, method = cleaned.published, "header"
    elif cleaned.published_footer is not None:
        date, method = cleaned.published_footer, "header"
    else:
        date, method = None, "unknown"
    return Document(
        id=content_id(raw),
        source=draft.source,
        raw_text=raw,
        text=cleaned.text,
        title=draft.title or cleaned.title,
        author=draft.author or cleaned.author,
        published=date,
        published_method=method,  # type: ignore[arg-type]
        format=draft.format,
        url=web_url(draft.url),
        extras=cleaned.extras,
    )
