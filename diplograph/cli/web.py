"""``diplograph serve``: the REST API and the web page (FastAPI, served by uvicorn)."""

from __future__ import annotations

from typing import Any

import click

from .common import db_option, guard, main
from .watch import fetch_options, parse_every, watch_options


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0: every interface; put it behind TLS).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", envvar="DIPLOGRAPH_TOKEN", metavar="TOKEN",
              help="Operator token for POST /api/documents (and reads with --closed-reads). "
                   "Default: $DIPLOGRAPH_TOKEN; without one, ingesting over HTTP is disabled.")
@click.option("--closed-reads", is_flag=True, help="Every read needs the token too.")
@click.option("--watch", "watch_sources", multiple=True, metavar="SOURCE",
              help="Watch this feed, page or file of URLs in the background (repeatable); see `diplograph watch`.")
@watch_options
@db_option
@guard
def serve(host: str, port: int, token: str | None, closed_reads: bool, watch_sources: tuple[str, ...],
          rules: str | None, alerts_file: str | None, webhook: str | None, every: str, timeout: float,
          host_delay: float, db: str | None) -> None:
    """Serve the REST API (/api, docs at /docs) and the web page (/) over the store.

    \b
    Example:
      DIPLOGRAPH_TOKEN=$(openssl rand -hex 16) diplograph serve --db store.duckdb --port 8000
      diplograph serve --db store.duckdb --watch feeds.txt --every 15m --alerts alerts.jsonl
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
    interval = parse_every(every)
    urls: list[str] = []
    if watch_sources:
        from ..watch.feeds import expand_sources

        urls = expand_sources(list(watch_sources))
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
            near = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
            write_server_file(graph.path, url=f"http://{f'[{near}]' if ':' in near else near}:{port}/", token=local)
        click.echo(f"diplograph: serving {graph.path} on http://{host}:{port}/ "
                   f"(ingest {'enabled' if token else 'disabled: no --token'}; reads {'closed' if closed_reads else 'open'}; "
                   "the CLI's commands on this store are answered here)", err=True)
        watcher = _start_watcher(app.state.web, urls, every=interval, rules=graph.watch_rules(rules),
                                 options=fetch_options(timeout, host_delay), alerts_file=alerts_file,
                                 webhook=webhook) if urls else None
        try:
            uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
        finally:
            if watcher is not None:
                watcher.stop()
            remove_server_file(graph.path)
            app.state.web.finish_pending()  # what a CLI ingest that died left to derive
    finally:
        graph.close()


def _start_watcher(state: Any, urls: list[str], *, every: float, rules: Any, options: Any,
                   alerts_file: str | None, webhook: str | None) -> Any:
    from ..watch.background import Watcher
    from .watch import deliver

    def send(report: Any) -> None:
        if alerts_file and alerts_file != "-" or webhook:
            for problem in deliver(report, alerts_file=alerts_file if alerts_file != "-" else None,
                                   webhook=webhook, options=options, as_json=True, show=False):
                click.echo(f"watch: failed to deliver alerts: {problem}", err=True)

    click.echo(f"diplograph: watching {len(urls)} source(s) every {every:g} s", err=True)
    return Watcher(state, urls, every=every, rules=rules, options=options, deliver=send,
                   say=lambda line: click.echo(line, err=True)).start()
