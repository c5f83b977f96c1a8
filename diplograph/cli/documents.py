"""Commands on documents: ingest, docs, show."""

from __future__ import annotations

import json
import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import SourceError
from ..models import Document, PartialDate
from .common import (
    db_option, emit, err_console, extract_progress, guard, main, open_graph, output_options, parse_date_option,
    workers_option,
)

LIST_AT_MOST = 50  # documents listed one a line after an ingest; the summary counts them all


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--published", callback=parse_date_option, metavar="DATE",
              help="Publication date (YYYY[-MM[-DD]]) for every document read; overrides what the files say.")
@click.option("--force", is_flag=True, help="Re-process documents already in the store.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per document and a summary line.")
@workers_option
@guard
def ingest(paths: tuple[str, ...], db: str | None, published: PartialDate | None, force: bool, as_json: bool,
           workers: int) -> None:
    """Read articles into the store.

    PATHS are files, folders (read recursively) or - for standard input. Formats: plain
    text, Markdown, HTML, JSON Lines (one article a line), RSS and Atom feeds. Each
    document is stored in its own transaction; re-running a command completes what an
    interrupted run left, and content already stored is skipped (use --force to redo it).
    """
    with open_graph(db) as graph:
        failures: list[SourceError] = []
        with Progress(
            SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("files"), TimeElapsedColumn(),
            console=err_console, transient=True, disable=as_json or not err_console.is_terminal,
        ) as bar:
            task = bar.add_task("ingesting", total=None)

            def progress(event: str, item: Document | SourceError | None) -> None:
                if isinstance(item, SourceError):
                    failures.append(item)
                    click.echo(f"failed: {item}", err=True)
                elif as_json and isinstance(item, Document):
                    rec = {"event": event, **item.to_json()}
                    sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
                elif item is not None:
                    bar.update(task, description=f"{event}: {item.source}"[-60:])

            def on_source(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            stdin = sys.stdin.buffer if "-" in paths else None
            report = graph.ingest(list(paths), published=published, force=force, stdin=stdin,
                                  progress=progress, on_source=on_source, on_extract=extract_progress(bar),
                                  workers=workers)
        s = report.summary()
        if as_json:
            sys.stdout.write(json.dumps({"event": "summary", **s, "claims": report.claims}) + "\n")
        else:
            docs = report.ingested + report.near_duplicates
            for doc in docs[:LIST_AT_MOST]:
                pub = doc.published.value if doc.published else "date unknown"
                dup = f"  (near-duplicate of {doc.duplicate_of}, similarity {doc.similarity:.2f})" if doc.duplicate_of else ""
                click.echo(f"{doc.id}  {pub:<12}  {doc.title or doc.source}{dup}")
            if len(docs) > LIST_AT_MOST:
                click.echo(f"… and {len(docs) - LIST_AT_MOST} more (`diplograph docs` lists them)")
            via = getattr(graph, "where", None)  # a RemoteGraph: the server that stored them
            click.echo(
                f"{s['ingested']} ingested, {s['near_duplicates']} near-duplicate, "
                f"{s['duplicates']} already stored, {s['failed']} failed; {report.claims} claims  ->  {graph.path}"
                + (f", through {via}" if via else "")
            )
        if failures:
            raise SystemExit(1)


@main.command()
@db_option
@output_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@guard
def docs(db: str | None, as_json: bool, as_csv: bool, limit: int | None) -> None:
    """List stored documents: id, publication date, title, source, size."""
    with open_graph(db) as graph:
        rows = []
        for d in graph.documents(limit=limit):
            rec = d.to_json()
            rec["published"] = d.published.value if d.published else None
            rows.append(rec)
        emit(rows, columns=["id", "published", "title", "source", "size", "duplicate_of"],
             as_json=as_json, as_csv=as_csv, title="Documents")


@main.command()
@click.argument("doc")
@db_option
@click.option("--raw", is_flag=True, help="Print the raw text as read, before cleaning.")
@click.option("--json", "as_json", is_flag=True, help="Print the document as one JSON object, texts included.")
@guard
def show(doc: str, db: str | None, raw: bool, as_json: bool) -> None:
    """Print one stored document's cleaned text (DOC is an id, an id prefix or its source)."""
    with open_graph(db) as graph:
        d = graph.document(doc)
        if as_json:
            click.echo(json.dumps(d.to_json(with_text=True), ensure_ascii=False, default=str))
        else:
            click.echo(d.raw_text if raw else d.text)
