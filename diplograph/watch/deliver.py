"""Delivering alerts: appended to a JSON Lines file, printed, POSTed to a webhook (retried
with backoff). The page shows them from the store (``Graph.alerts``)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .fetch import USER_AGENT, FetchError, FetchOptions


def to_jsonl(path: str | Path, alerts: Sequence[dict[str, Any]]) -> None:
    """Append one JSON object a line; flushed to disk before returning."""
    if not alerts:
        return
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "a", encoding="utf-8") as f:
            f.writelines(json.dumps(a, ensure_ascii=False, default=str) + "\n" for a in alerts)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise FetchError(str(p), f"cannot append alerts to this file ({e.strerror or e})",
                         "check the --alerts path and its folder's permissions") from e


def to_stream(out: TextIO, alerts: Sequence[dict[str, Any]], *, as_json: bool) -> None:
    """JSON Lines, or one readable line per alert with its evidence and link."""
    for a in alerts:
        if as_json:
            out.write(json.dumps(a, ensure_ascii=False, default=str) + "\n")
            continue
        ev = a.get("evidence") or {}
        where = ev.get("url") or ev.get("source") or ev.get("doc") or ""
        out.write(f"ALERT {a['kind']}: {a['summary']} [{a.get('n_sources')} source(s)]\n")
        if ev.get("text"):
            out.write(f"  \u201c{ev['text']}\u201d  {where}\n")
    out.flush()


def to_webhook(url: str, alerts: Sequence[dict[str, Any]], options: FetchOptions | None = None) -> None:
    """POST each alert as JSON. A 5xx, a timeout or a dropped connection is retried with
    backoff; a failure after the retries raises FetchError (the alerts stay in the store
    and on the page)."""
    import httpx

    opts = options or FetchOptions()
    if not alerts:
        return
    with httpx.Client(timeout=httpx.Timeout(opts.timeout), trust_env=False,
                      headers={"User-Agent": opts.user_agent or USER_AGENT}) as client:
        for alert in alerts:
            wait = opts.backoff
            for attempt in range(opts.retries + 1):
                problem = None
                try:
                    r = client.post(url, json=alert)
                    if r.status_code < 300:
                        break
                    problem = f"the webhook answered HTTP {r.status_code}"
                    if r.status_code < 500 and r.status_code != 429:
                        raise FetchError(url, problem, "check the webhook URL and what it accepts")
                except httpx.TimeoutException:
                    problem = f"the webhook did not answer within {opts.timeout:g} s"
                except httpx.TransportError as e:
                    problem = f"cannot reach the webhook ({type(e).__name__}: {e})"
                if attempt == opts.retries:
                    raise FetchError(url, f"{problem} after {opts.retries + 1} attempt(s)",
                                     "the alerts are kept in the store (`diplograph alerts`); check the receiver")
                time.sleep(wait)
                wait *= 2
