"""Commands on actors: actors (look one up), mentions (a stored document's actor mentions)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .common import console, db_option, emit, guard, main, open_graph, output_options


@main.command()
@click.argument("query")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per actor found.")
@guard
def actors(query: str, db: str | None, as_json: bool) -> None:
    """Look up an actor by id, name, alias, ISO/COW code, demonym, capital or person.

    Prints its names and codes, memberships (with dates and sources) and office-holders.
    Examples: `diplograph actors Uzbekistan`, `diplograph actors KGZ`, `diplograph actors
    "the Kremlin"`, `diplograph actors Aliyev`, `diplograph actors OTS`.
    """
    with open_graph(db) as graph:
        found = graph.actors(query)
    if as_json:
        for a in found:
            sys.stdout.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
        return
    for a in found:
        _print_actor(a.to_json())


def _print_actor(d: dict[str, Any]) -> None:
    console.print(f"[bold]{d['id']}[/bold]  {d['name']}  [dim]({d['kind']})[/dim]", highlight=False)
    for label, key in (("official name", "official_name"), ("from", "start"), ("until", "end"),
                       ("definition", "definition")):
        if d.get(key):
            console.print(f"  {label}: {d[key]}", highlight=False)
    if d.get("codes"):
        console.print("  codes: " + ", ".join(f"{k}={v}" for k, v in d["codes"].items()), highlight=False)
    for label, key in (("names", "aliases"), ("demonyms", "demonyms"), ("capitals", "capitals"),
                       ("former capitals", "former_capitals"), ("epithets", "epithets"),
                       ("members", "group_members")):
        if d.get(key):
            console.print(f"  {label}: " + "; ".join(d[key]), highlight=False)
    console.print(f"  source: {d['source']}", highlight=False)
    if d.get("memberships"):
        emit(d["memberships"], columns=["organisation", "start", "end", "status", "source"],
             as_json=False, as_csv=False, title="Memberships")
    if d.get("members"):
        emit(d["members"], columns=["member", "start", "end", "status", "source"],
             as_json=False, as_csv=False, title="Members")
    if d.get("office_holders"):
        emit(d["office_holders"], columns=["name", "actor", "role", "start", "end"],
             as_json=False, as_csv=False, title="Office-holders")


@main.command()
@click.argument("doc")
@db_option
@output_options
@guard
def mentions(doc: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """List the actor mentions of a stored document (DOC is an id, an id prefix or its source):
    span, surface text, actor, how it was resolved (via) and role."""
    with open_graph(db) as graph:
        found = graph.mentions(doc)
    rows = []
    for m in found:
        rows.append({"start": m.start, "end": m.end, "text": m.text, "id": m.actor.id,
                     "name": m.actor.name, "kind": m.actor.kind, "via": m.via, "role": m.role,
                     "confidence": m.confidence})
    if as_json:
        for m in found:
            sys.stdout.write(json.dumps(m.to_json(), ensure_ascii=False) + "\n")
        return
    emit(rows, columns=["start", "end", "text", "id", "kind", "via", "role", "confidence"],
         as_json=False, as_csv=as_csv, title=f"Actor mentions in {doc}")
