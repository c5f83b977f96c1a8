"""Passes every N seconds in a thread of ``diplograph serve --watch``: reading and
extracting outside the server's write lock, committing under it (the page keeps
answering; CLI ingests wait for the commit only)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("diplograph.watch")


class Watcher:
    """Runs ``Graph.watch_pass`` on a borrowed Graph every ``every`` seconds until stopped.
    ``deliver(report)`` sends each pass's new alerts (file, webhook); it may raise, and
    the watcher carries on."""

    def __init__(self, state: Any, sources: list[str], *, every: float, rules: Any, options: Any,
                 deliver: Callable[[Any], None] | None = None, say: Callable[[str], None] | None = None):
        self.state = state
        self.sources = sources
        self.every = every
        self.rules = rules
        self.options = options
        self.deliver = deliver
        self.say = say or (lambda line: log.warning("%s", line))
        self.passes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="diplograph-watch", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run_once(self) -> Any:
        with self.state.borrow() as graph:
            report = graph.watch_pass(self.sources, rules=self.rules, options=self.options,
                                      write_lock=self.state.write_lock)
        self.passes += 1
        for s in report.sources:
            if s.error:
                self.say(f"watch: failed: {s.error}")
        self.say(report.summary())
        if self.deliver is not None:
            self.deliver(report)
        return report

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a pass that breaks must not end the watching
                log.exception("watch pass failed")
            self._stop.wait(self.every)
