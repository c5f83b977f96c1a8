"""`diplograph eval`: score extracted claims against hand-annotated gold claims."""

from __future__ import annotations

import json

import click
from rich.table import Table

from ..evaluation import Report, default_document_dirs, evaluate, evidence_text
from ..models import MODALITIES
from .common import console, guard, main


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Predicted claims (JSON Lines, the output of `diplograph extract --json`).")
@click.option("--extract", is_flag=True, help="Run the extractor on every document the gold names.")
@click.option("--docs", "docs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Folder holding the gold documents (repeatable). Default: the `articles` folder beside "
                   "the gold folder, and ../shared/seeds.")
@click.option("--published-map", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="TSV of `doc<TAB>date`: reference dates for documents that carry none (with --extract).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@guard
def eval_(gold: str, pred: str | None, extract: bool, docs: tuple[str, ...], published_map: str | None,
          as_json: bool) -> None:
    """Score claims against GOLD, a gold .jsonl file or a folder of them.

    Prints precision, recall and F1 per claim type and overall, the modality confusion
    matrix, the speculative / negated / planned gold claims extracted as asserted, and the
    relaxed score (dates ignored, close types merged). See ../shared/ANNOTATION.md, "Scoring".
    """
    report = evaluate(gold, pred=pred, extract=extract, docs=docs, published_map=published_map)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, default=str))
        return
    print_report(report, [*docs, *default_document_dirs(gold)])


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def summary_lines(report: Report) -> list[str]:
    """The plain-text summary printed under the tables (stable, for scripts and tests)."""
    o, r = report.overall, report.relaxed
    return [
        (f"overall  P={_fmt(o.precision)}  R={_fmt(o.recall)}  F1={_fmt(o.f1)}  "
         f"(matched {o.matched}, predicted {o.predicted}, support {o.support}, excluded {o.excluded})"),
        f"relaxed  P={_fmt(r.precision)}  R={_fmt(r.recall)}  F1={_fmt(r.f1)}",
        f"asserted when not: {len(report.asserted_when_not)}",
    ]


def print_report(report: Report, dirs: list) -> None:
    t = Table(title="Claims by type")
    for h in ("type", "P", "R", "F1", "matched", "predicted", "support"):
        t.add_column(h, justify="left" if h == "type" else "right")
    for name, c in report.per_type.items():
        t.add_row(name, _fmt(c.precision), _fmt(c.recall), _fmt(c.f1), str(c.matched),
                  str(c.predicted), str(c.support))
    o = report.overall
    t.add_section()
    t.add_row("overall", _fmt(o.precision), _fmt(o.recall), _fmt(o.f1), str(o.matched),
              str(o.predicted), str(o.support), style="bold")
    console.print(t)

    m = Table(title="Modality (rows: gold, columns: extracted)")
    m.add_column("gold \\ extracted")
    for mod in MODALITIES:
        m.add_column(mod, justify="right")
    for g in MODALITIES:
        m.add_row(g, *[str(report.confusion.get((g, e), 0)) for e in MODALITIES])
    console.print(m)

    if report.asserted_when_not:
        a = Table(title="Gold speculative / negated / planned claims extracted as asserted")
        for h in ("doc", "type", "parties", "gold", "evidence"):
            a.add_column(h, overflow="fold")
        for g, e in report.asserted_when_not:
            parties = f"{(g.get('subject') or {}).get('id')} -> {(g.get('object') or {}).get('id')}"
            a.add_row(str(g["doc"]), g["type"], parties, g["modality"], evidence_text(g, dirs))
        console.print(a)
    for line in summary_lines(report):
        click.echo(line)
