"""Following feeds and pages, and alerting on what changed in the graph.

The flow of one pass (``run.run_pass``):

    sources (feed or page URLs; a file of URLs)  -> fetch.py  (polite HTTP: conditional GET,
                                                                timeouts, retries, per-host delay)
    -> feeds.py   (a feed's items; an item seen before, by guid or URL, is skipped)
    -> articles.py (each new item's page cleaned with trafilatura; the feed's summary when
                    the page cannot be had, and the document says so)
    -> Graph.watch_commit: store, derive, and compare the touched actors' derived state
       before and after (alerts.py) -> rules.py (which changes are alerts)
    -> deliver.py (JSON Lines file, stdout, webhook) and the page (the store keeps them)

``background.py`` runs passes every N minutes inside ``diplograph serve --watch``.
The state (sources and their health, items read, alerts raised) lives in the store
(migration 5), so it survives restarts."""

from .fetch import FetchError, FetchOptions
from .rules import Rules, load_rules
from .run import WatchReport, run_pass

__all__ = ["FetchError", "FetchOptions", "Rules", "WatchReport", "load_rules", "run_pass"]
