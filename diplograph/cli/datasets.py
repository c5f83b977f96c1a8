"""`diplograph import FORMAT PATH`: curated datasets (ATOP, COW, ICEWS, GDELT, POLECAT and
the TKG benchmarks) as claims whose source is the dataset."""

from __future__ import annotations

from typing import Any

import click

from ..io import FORMATS
from .common import db_option, err_console, guard, open_graph
from .exports import import_


def _dataset_command(fmt: str, doc: str) -> None:
    spec = FORMATS[fmt]

    @import_.command(name=fmt, help=doc)
    @click.argument("path", type=click.Path(exists=True, dir_okay=spec.folder, file_okay=not spec.folder))
    @click.option("--keep-going", is_flag=True,
                  help="Skip malformed rows (listed with their line numbers) instead of importing nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
    @db_option
    @guard
    def command(path: str, keep_going: bool, as_json: bool, db: str | None) -> None:
        import json

        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn(f"importing {fmt}"), BarColumn(), TextColumn("{task.completed:,.0f}"),
                      TimeElapsedColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task(fmt, total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            with open_graph(db) as graph:
                report: Any = graph.import_dataset(fmt, path, keep_going=keep_going, progress=progress)
        if as_json:
            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
            return
        for line, problem in report.bad_rows:
            err_console.print(f"[yellow]skipped[/yellow] {path}:{line}: {problem}", highlight=False)
        if report.n_bad > len(report.bad_rows):
            err_console.print(f"... and {report.n_bad - len(report.bad_rows):,} more malformed rows", highlight=False)
        click.echo(report.summary())


_dataset_command("atop", "ATOP 5.1 member-level CSV (atop5_1m.csv): an alliance claim for each pair of a "
                 "treaty's members, dated at the later entry, its obligations as subtype; exits end it.")
_dataset_command("cow-alliance", "COW Formal Alliances v4.1 member-level CSV, from your own download "
                 "(correlatesofwar.org; diplograph does not ship it): alliance claims for each pair of members.")
_dataset_command("cow-igo", "COW IGO v3 membership spells (manyios CSV): memberships of the organisations "
                 "diplograph knows, from Beg, ended at End + 1 when End is before 2014.")
_dataset_command("tkg", "A TKG benchmark folder (ICEWS14, ICEWS18, ICEWS05-15: entity2id.txt, "
                 "relation2id.txt, train/valid/test.txt): events mapped to claim types via CAMEO.")
_dataset_command("icews", "ICEWS coded events (.tab, Dataverse layout): sector actors become their state, "
                 "CAMEO codes claim types.")
_dataset_command("gdelt", "GDELT 2.0 events export (61 tab-separated columns, .CSV or .zip): actor countries "
                 "become states, CAMEO event codes claim types.")
_dataset_command("polecat", "POLECAT tab file: actor and recipient countries become states, PLOVER event "
                 "types and modes claim types.")
