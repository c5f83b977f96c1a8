"""spark extract: the extractor on a Spark cluster (diplograph.spark), Parquet out."""

from __future__ import annotations

import click

from ..models import PartialDate
from .common import guard, main, parse_date_option


@main.group()
def spark() -> None:
    """Run diplograph on Spark (needs `pip install 'diplograph[spark]'` and Java 17)."""


@spark.command(name="extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", required=True, metavar="DIR",
              help="Folder (or Hadoop URI) to write documents.parquet/ and claims.parquet/ into; must not hold them yet.")
@click.option("--master", default="local[*]", show_default=True, metavar="URL",
              help="Spark master: local[N], spark://host:7077, yarn, k8s://...")
@click.option("--published", callback=parse_date_option, metavar="DATE",
              help="Publication date (YYYY[-MM[-DD]]) for every document read; overrides what the files say.")
@guard
def extract(inputs: tuple[str, ...], out: str, master: str, published: PartialDate | None) -> None:
    """Extract claims from INPUTs on Spark and write them as Parquet.

    INPUTs are folders or files read as `diplograph ingest` reads them (text, HTML, JSON
    Lines, feeds), JSON Lines files (split across executors; hdfs:// and s3a:// work) and
    Parquet of documents (a path ending in .parquet; one article a row, with the fields of
    a JSON Lines record). Duplicates and near-duplicates are treated as `ingest` treats
    them. Load the result with `diplograph import parquet DIR`.
    """
    from ..spark import extract as run_job

    report = run_job(list(inputs), out, master=master, published=published)
    for message in report.failed:
        click.echo(f"failed: {message}", err=True)
    click.echo(report.summary())
    click.echo(f"load it with: diplograph import parquet {out}")
    if report.failed:
        raise SystemExit(1)
