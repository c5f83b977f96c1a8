"""export and import (of diplograph's own Parquet; datasets register more importers)."""

from __future__ import annotations

import click

from .common import db_option, guard, main, open_graph


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["parquet", "csv", "graphml", "jsonld"]))
@click.argument("out", type=click.Path())
@click.option("--at", metavar="DATE", help="graphml: the relation graph as of this date (default today); "
              "parquet/csv: export only the relation states holding then.")
@db_option
@guard
def export(fmt: str, out: str, at: str | None, db: str | None) -> None:
    """Export the store: parquet or csv (OUT is a folder of tables: documents, claims,
    facts, fact_claims, states, conflicts), graphml (OUT is a file; open it in Gephi) or
    jsonld (OUT is a file; facts with schema.org-style provenance)."""
    with open_graph(db) as graph:
        for path in graph.export(fmt, out, at=at):
            click.echo(str(path))


@main.group(name="import")
def import_() -> None:
    """Import data: diplograph's own Parquet export, or a dataset (see each format)."""


@import_.command(name="parquet")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
@guard
def import_parquet(folder: str, db: str | None) -> None:
    """Load documents and claims from a folder written by `diplograph export parquet`, then
    rebuild facts and relation states."""
    with open_graph(db) as graph:
        counts = graph.import_parquet(folder)
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
