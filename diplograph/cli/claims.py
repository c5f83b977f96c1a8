"""Commands on claims: extract (no store), claims (stored)."""

from __future__ import annotations

import json
import sys

import click
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from ..errors import SourceError
from ..models import CLAIM_TYPES, MODALITIES, PartialDate
from .common import (
    db_option, emit, err_console, extract_progress, guard, main, open_graph, output_options, parse_date_option,
    workers_option,
)

_COLUMNS = ["type", "subject", "object", "date", "modality", "attributed_to", "evidence"]


def _row(c: dict) -> dict:
    row = dict(c)
    row["subject"] = (c.get("subject") or {}).get("name")
    row["object"] = (c.get("object") or {}).get("name")
    if c.get("parties"):
        row["object"] = ", ".join(p["name"] for p in c["parties"][1:])
    row["date"] = (c.get("date") or {}).get("value")
    codes = c.get("codes") or {}
    # where the claim comes from: its document, or the dataset and record it was imported from
    row["source"] = c.get("doc") or " ".join(str(x) for x in (codes.get("source"), codes.get("record")) if x)
    ev = (c.get("evidence") or {}).get("text") or ""
    row["evidence"] = ev if len(ev) <= 140 else ev[:137] + "..."
    return row


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--published", callback=parse_date_option, metavar="DATE",
              help="Reference date (YYYY[-MM[-DD]]) for relative dates when a file carries none.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines in the claim contract (one claim a line).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@workers_option
@guard
def extract(files: tuple[str, ...], published: PartialDate | None, as_json: bool, as_csv: bool, workers: int) -> None:
    """Extract claims from FILES without storing them (- reads standard input).

    Each claim carries its type, parties, date, modality, attribution and the evidence
    sentence with character offsets into the document's cleaned text.
    """
    from ..api import Graph

    graph = Graph.__new__(Graph)  # no store needed
    from ..settings import load_settings

    graph.settings = load_settings()
    failed = False
    stdin = sys.stdin.buffer if "-" in files else None
    records = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        for item in graph.extract(list(files), published=published, stdin=stdin, on_extract=extract_progress(bar),
                                  workers=workers):
            if isinstance(item, SourceError):
                err_console.print(f"[red]failed[/red] {item}", highlight=False)
                failed = True
                continue
            _doc, claims = item
            for c in claims:
                rec = c.to_json()
                if as_json:
                    sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                else:
                    records.append(rec)
    if not as_json:
        emit([_row(r) for r in records], columns=_COLUMNS, as_json=False, as_csv=as_csv, title="Claims")
    if failed:
        raise SystemExit(1)


@main.command()
@click.argument("doc", required=False)
@db_option
@click.option("--type", "type_", type=click.Choice(CLAIM_TYPES), help="Only claims of this type.")
@click.option("--actor", help="Only claims with this actor as a party (name, alias or code).")
@click.option("--modality", type=click.Choice(MODALITIES), help="Only claims with this modality.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@output_options
@guard
def claims(doc: str | None, db: str | None, type_: str | None, actor: str | None, modality: str | None,
           limit: int | None, as_json: bool, as_csv: bool) -> None:
    """List stored claims, of one document (DOC: id, id prefix or source) or all."""
    with open_graph(db) as graph:
        found = graph.claims(doc, type=type_, actor=actor, modality=modality, limit=limit)
        records = [c.to_json() for c in found]
        if as_json:
            emit(records, columns=[], as_json=True, as_csv=False)
        else:
            emit([_row(r) for r in records], columns=["source", *_COLUMNS], as_json=False, as_csv=as_csv,
                 title=f"Claims ({len(records)})")
