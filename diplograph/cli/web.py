"""``diplograph serve``: the REST API and the web page (FastAPI, served by uvicorn)."""

from __future__ import annotations

import click

from .common import db_option, guard, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0: every interface; put it behind TLS).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", envvar="DIPLOGRAPH_TOKEN", metavar="TOKEN",
              help="Operator token for POST /api/documents (and reads with --closed-reads). "
                   "Default: $DIPLOGRAPH_TOKEN; without one, ingesting over HTTP is disabled.")
@click.option("--closed-reads", is_flag=True, help="Every read needs the token too.")
@db_option
@guard
def serve(host: str, port: int, token: str | None, closed_reads: bool, db: str | None) -> None:
    """Serve the REST API (/api, docs at /docs) and the web page (/) over the store.

    \b
    Example:
      DIPLOGRAPH_TOKEN=$(openssl rand -hex 16) diplograph serve --db store.duckdb --port 8000
    """
    import uvicorn

    from ..api import Graph
    from ..web import create_app

    if closed_reads and not token:
        raise click.UsageError("--closed-reads needs --token (or $DIPLOGRAPH_TOKEN).")
    graph = Graph.open(db)
    app = create_app(graph.store.path, token=token, open_reads=not closed_reads, graph=graph)
    click.echo(f"diplograph: serving {graph.store.path} on http://{host}:{port}/ "
               f"(ingest {'enabled' if token else 'disabled: no --token'}; reads {'closed' if closed_reads else 'open'})",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
