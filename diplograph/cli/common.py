"""What every command shares: the root group, --db, output formats, date options."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..api import Graph
from ..errors import DiplographError
from ..models import PartialDate

def _width() -> int | None:
    # Piped output has no terminal width; rich would wrap tables at 80 columns.
    import os
    import shutil

    if os.environ.get("COLUMNS"):
        return None
    return None if sys.stdout.isatty() else max(160, shutil.get_terminal_size().columns)


console = Console(width=_width())
err_console = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="diplograph")
def main() -> None:
    """diplograph: dated, sourced claims about interstate relations.

    Ingest news articles, extract who allied with, signed with, visited or fought whom and
    when, and ask the resulting temporal knowledge graph questions, each answer with the
    sentence it came from.
    """
    setup_logging()


def extract_progress(bar: Any) -> Callable[[Any, int, int], None]:
    """A callback for ``Graph.ingest(on_extract=)``/``Graph.extract``: a line of its own on
    the rich progress ``bar`` while a long document is extracted (characters done), gone
    when it is. A short document, done in one step, shows nothing."""
    tasks: dict[int, Any] = {}

    def update(doc: Any, done: int, total: int) -> None:
        key = id(doc)
        if key not in tasks:
            if done >= total:
                return
            name = str(getattr(doc, "source", "") or getattr(doc, "id", ""))[-40:]
            tasks[key] = bar.add_task(f"extracting {name}", total=total)
        bar.update(tasks[key], completed=done)
        if done >= total:
            bar.remove_task(tasks.pop(key))

    return update


def setup_logging() -> None:
    """Warnings (contained extractor errors among them) go to stderr and are appended to the
    log file (setting ``log_file``). A log file that cannot be opened is not fatal."""
    import logging

    from ..settings import default_log_file, load_settings

    root = logging.getLogger("diplograph")
    if getattr(root, "_diplograph_cli", False):
        return
    root._diplograph_cli = True  # type: ignore[attr-defined]
    root.setLevel(logging.WARNING)
    root.propagate = False
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setFormatter(logging.Formatter("warning: %(message)s"))
    root.addHandler(to_stderr)
    try:
        path = load_settings().get("log_file") or default_log_file()
    except DiplographError:
        path = default_log_file()
    try:
        import os

        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        to_file = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return
    to_file.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root.addHandler(to_file)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        envvar="DIPLOGRAPH_DB",
        help="Store file (DuckDB). Default: $DIPLOGRAPH_DB, else $XDG_DATA_HOME/diplograph/diplograph.duckdb.",
    )(f)


def workers_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--workers N: processes extracting claims (default: the machine's cores)."""
    import os

    return click.option(
        "--workers", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1, show_default="the cores",
        help="Processes extracting claims; 1 extracts in this process. The store is written by one "
             "process in input order, with the same results whatever the number. Inputs of a few "
             "documents are extracted in this process.",
    )(f)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--json (JSON Lines) and --csv, meaning the same in every command that prints records."""
    f = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one record a line.")(f)
    return f


def open_graph(db: str | None) -> Graph:
    """The store's Graph; while a ``diplograph serve`` holds the store, a RemoteGraph
    that sends each call to that server (the same answers, see diplograph.remote)."""
    from ..errors import StoreLocked

    try:
        return Graph.open(db)
    except StoreLocked as e:
        if e.server is None:
            raise  # held by another kind of process: the message names it
        from ..remote import RemoteGraph

        return RemoteGraph.connect(e)  # type: ignore[return-value]


def guard(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn DiplographError into a ClickException carrying the library's message."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except DiplographError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


def parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value, text=value)
    except ValueError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param) from e


def emit(
    records: Iterable[dict[str, Any]],
    *,
    columns: Sequence[str],
    as_json: bool,
    as_csv: bool,
    title: str | None = None,
    headers: Sequence[str] | None = None,
) -> None:
    """Print records as JSON Lines, CSV, or a rich table (the default)."""
    records = list(records)
    if as_json:
        out = sys.stdout
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    if as_csv:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in records:
            w.writerow([_flat(r.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for h in headers or columns:
        table.add_column(h, overflow="fold")
    for r in records:
        table.add_row(*[_flat(r.get(c)) for c in columns])
    console.print(table)


def _flat(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict):
        return str(v.get("value") or v.get("name") or json.dumps(v, ensure_ascii=False))
    if isinstance(v, (list, tuple)):
        return ", ".join(_flat(x) for x in v)
    return str(v)


__all__ = [
    "main", "db_option", "output_options", "workers_option", "open_graph", "guard", "parse_date_option",
    "emit", "console", "err_console", "DiplographError",
]
