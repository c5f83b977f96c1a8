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
    import secrets
    import socket

    import uvicorn

    from ..api import Graph
    from ..errors import StoreLocked
    from ..store.holder import remove_server_file, write_server_file
    from ..web import create_app

    if closed_reads and not token:
        raise click.UsageError("--closed-reads needs --token (or $DIPLOGRAPH_TOKEN).")
    try:
        graph = Graph.open(db)  # a store held by another process: the error names it
    except StoreLocked as e:
        if e.server is None:
            raise
        raise click.ClickException(f"The store {e.path} is already open in `diplograph serve` at "
                                   f"{e.server['url']} (PID {e.server['pid']}): use that server, or stop it "
                                   "first.") from e
    try:
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as e:
            raise click.ClickException(f"Cannot listen on {host}:{port}: {e.strerror or e}. "
                                       "Choose another --port (0: any free port) or --host.") from e
        port = sock.getsockname()[1]
        local = secrets.token_urlsafe(32)
        app = create_app(graph.path, token=token, open_reads=not closed_reads, graph=graph, local_token=local)
        if graph.path != ":memory:":
            # the CLI finds the server here while it holds the store (diplograph.remote)
            near = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
            write_server_file(graph.path, url=f"http://{f'[{near}]' if ':' in near else near}:{port}/", token=local)
        click.echo(f"diplograph: serving {graph.path} on http://{host}:{port}/ "
                   f"(ingest {'enabled' if token else 'disabled: no --token'}; reads {'closed' if closed_reads else 'open'}; "
                   "the CLI's commands on this store are answered here)", err=True)
        try:
            uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
        finally:
            remove_server_file(graph.path)
            app.state.web.finish_pending()  # what a CLI ingest that died left to derive
    finally:
        graph.close()
