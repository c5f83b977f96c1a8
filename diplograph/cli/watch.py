"""``diplograph watch``: follow feeds and pages, store new articles, alert on changes;
``diplograph alerts``: the alerts raised so far."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

import click

from ..errors import InvalidQuery
from .common import db_option, emit, guard, main, open_graph, output_options


def parse_every(value: str | float | None) -> float:
    """ "15m", "1h", "90s", "900" (seconds) -> seconds; at least 10 s."""
    if value is None:
        return 900.0
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", str(value).lower())
    if not m:
        raise InvalidQuery(f"Bad --every {value!r}: give a duration such as 15m, 1h or 90s.")
    seconds = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]
    if seconds < 10:
        raise InvalidQuery(f"Bad --every {value!r}: at least 10 s between passes (be polite to the sites).")
    return seconds


def watch_options(f: Any) -> Any:
    """What `watch` and `serve --watch` share."""
    f = click.option("--rules", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
                     help="YAML rules: which changes are alerts (actors, types, modalities, min_sources). "
                          "Without one, every change is.")(f)
    f = click.option("--alerts", "alerts_file", metavar="FILE.jsonl",
                     help="Append each alert as a JSON line to this file ('-': standard output).")(f)
    f = click.option("--webhook", metavar="URL", help="POST each alert as JSON to this URL (retried).")(f)
    f = click.option("--every", default="15m", show_default=True, metavar="DURATION",
                     help="Time between passes: 15m, 1h, 90s.")(f)
    f = click.option("--timeout", type=click.FloatRange(0.1, 300), default=20.0, show_default=True,
                     help="Seconds to wait for a site to answer.")(f)
    f = click.option("--host-delay", type=click.FloatRange(0, 60), default=1.0, show_default=True,
                     help="Seconds between two requests to the same site.")(f)
    return f


def fetch_options(timeout: float, host_delay: float) -> Any:
    from ..watch import FetchOptions

    return FetchOptions(timeout=timeout, host_delay=host_delay, backoff=min(2.0, max(0.05, timeout / 10)))


def deliver(report: Any, *, alerts_file: str | None, webhook: str | None, options: Any,
            as_json: bool, show: bool = True) -> list[str]:
    """Deliver a pass's new alerts; returns what failed (the alerts stay in the store)."""
    from ..watch import deliver as d
    from ..watch.fetch import FetchError

    failed = []
    if alerts_file == "-":
        d.to_stream(sys.stdout, report.alerts, as_json=True)
    else:
        if show:
            d.to_stream(sys.stdout, report.alerts, as_json=as_json)
        if alerts_file:
            try:
                d.to_jsonl(alerts_file, report.alerts)
            except FetchError as e:
                failed.append(str(e))
    if webhook:
        try:
            d.to_webhook(webhook, report.alerts, options)
        except FetchError as e:
            failed.append(str(e))
    return failed


def print_report(report: Any) -> None:
    for s in report.sources:
        if s.error:
            click.echo(f"failed: {s.error}", err=True)
        for p in s.problems:
            click.echo(f"warning: {p}", err=True)
    click.echo(report.summary(), err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--once", is_flag=True, help="Run one pass and exit (exit code 1 when a source failed).")
@click.option("--passes", type=click.IntRange(min=1), default=None, help="Stop after this many passes.")
@watch_options
@click.option("--json", "as_json", is_flag=True, help="Print alerts as JSON Lines on standard output.")
@db_option
@guard
def watch(sources: tuple[str, ...], once: bool, passes: int | None, rules: str | None, alerts_file: str | None,
          webhook: str | None, every: str, timeout: float, host_delay: float, as_json: bool, db: str | None) -> None:
    """Follow feeds and pages: store each new article once and alert on what it changed.

    SOURCE is an RSS/Atom feed URL, a web page URL, or a file listing URLs one a line.
    Each pass fetches the feeds (conditional GET), then each new item's page, cleaned with
    trafilatura (the feed's summary when the page cannot be had), extracts its claims and
    stores it. What changed in the graph because of them (a relation begun or ended, a new
    conflict between sources, new speculation or plans) becomes an alert, once, printed on
    standard output and delivered to --alerts and --webhook. A pass ends with a one-line
    summary on standard error.

    \b
    Examples:
      diplograph watch https://example.org/feed.xml --once --alerts alerts.jsonl
      diplograph watch feeds.txt --every 15m --rules alerts.yaml --webhook http://127.0.0.1:9000/hook

    \b
    A rules file (YAML); an alert needs to match one rule, and every condition of it:
      rules:
        - name: Central Asian alliances
          actors: [Uzbekistan, Kazakhstan]
          types: [alliance, member_of, conflict]   # claim types, relations, or kinds of change
          modalities: [asserted, planned]
          min_sources: 1
    """
    from ..watch.feeds import expand_sources

    interval = parse_every(every)
    urls = expand_sources(list(sources))
    options = fetch_options(timeout, host_delay)
    limit = 1 if once else passes
    failed_any = False
    with open_graph(db) as graph:
        rule_set = graph.watch_rules(rules)  # a bad rules file stops here, before any fetching
        n = 0
        while True:
            n += 1
            report = graph.watch_pass(urls, rules=rule_set, options=options)
            print_report(report)
            problems = deliver(report, alerts_file=alerts_file, webhook=webhook, options=options, as_json=as_json)
            for p in problems:
                click.echo(f"failed to deliver alerts: {p}", err=True)
            failed_any = failed_any or not report.ok or bool(problems)
            if limit is not None and n >= limit:
                break
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                break
    if once and failed_any:
        raise SystemExit(1)


@main.command()
@click.option("--since", metavar="DATE", help="Only alerts raised on or after this day (YYYY[-MM[-DD]]).")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@output_options
@db_option
@guard
def alerts(since: str | None, limit: int, as_json: bool, as_csv: bool, db: str | None) -> None:
    """Alerts raised by `diplograph watch` (and `serve --watch`), newest first."""
    with open_graph(db) as graph:
        rows = graph.alerts(since=since, limit=limit)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    emit([{**r, "evidence": (r.get("evidence") or {}).get("text"),
           "link": r.get("link") or (r.get("evidence") or {}).get("source")} for r in rows],
         columns=["raised_at", "kind", "summary", "n_sources", "evidence", "link"], as_json=False, as_csv=as_csv,
         title="Alerts")
