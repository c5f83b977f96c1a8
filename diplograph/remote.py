"""The CLI beside a running ``diplograph serve``.

DuckDB lets one process at a time open a store, and the server keeps it open. When a
command finds the store held by a ``diplograph serve`` of that store (its server file,
``diplograph.store.holder``), it sends its Graph calls to the server instead: a
``RemoteGraph`` has Graph's methods, and the server runs each on its own connection
(``POST /api/local/call``, authorised by the token in the server file, which only the
file's owner can read). Answers are the same objects a local Graph returns
(``diplograph.wire``), so every command prints the same thing either way.

Ingesting: files are read and claims extracted here, in the CLI's process; the server
checks each document for duplicates and stores it with its claims in one short
transaction, between the page's requests. The derivation of facts, states and conflicts
runs once at the end (and, should this process die first, in the server a little later,
or when the store is next opened)."""

from __future__ import annotations

import functools
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .errors import DiplographError, StoreError, StoreLocked
from .models import PartialDate
from .settings import load_settings
from .wire import decode, encode

# Graph methods the server answers for the CLI; the writes take the server's write lock.
READS = ("documents", "document", "claims", "allies", "partners", "relations", "members", "timeline", "changes",
         "conflicts", "facts", "evidence", "forecast", "actors", "mentions", "actor_ref", "export",
         "watch_sources", "watch_seen", "alerts", "overview")
WRITES = ("check_document", "store_document", "finish_pending", "rebuild", "import_parquet", "import_dataset",
          "watch_commit")
CALL_PATH = "api/local/call"
READ_TIMEOUT = 600.0  # seconds: a server that stopped answering does not hang the CLI for ever


class RemoteGraph:
    """Graph's methods, answered by the ``diplograph serve`` that holds the store."""

    def __init__(self, store_path: str, server: dict[str, Any], settings: dict[str, Any] | None = None):
        self.store_path = store_path
        self.server = server
        self.settings = settings or load_settings({"db": store_path})
        self.url = str(server["url"]).rstrip("/") + "/"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy

    @classmethod
    def connect(cls, locked: StoreLocked) -> RemoteGraph:
        """The server named by a lock error, once it has confirmed it serves that store.
        Raises StoreError naming the server when it does not answer."""
        if locked.server is None:
            raise locked
        graph = cls(locked.path, locked.server)
        info = graph._call("info", timeout=10)
        if Path(str(info.get("store"))).resolve() != Path(locked.path).resolve():
            raise StoreError(f"{locked} But the server at {graph.url} serves {info.get('store')}: its server file "
                             f"beside {locked.path} is out of date. Stop that server and start it again.")
        return graph

    @property
    def path(self) -> str:
        return self.store_path

    @property
    def where(self) -> str:
        return f"`diplograph serve` at {self.url} (PID {self.server.get('pid')})"

    def close(self) -> None:
        self._opener.close()

    def __enter__(self) -> RemoteGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name in READS:
            return functools.partial(self._call, name, timeout=READ_TIMEOUT)
        if name in WRITES:  # an import or a rebuild may take long: no time limit
            return functools.partial(self._call, name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    # -- what needs more than a call ----------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], *, published: PartialDate | None = None, force: bool = False,
               stdin: BinaryIO | None = None, progress: Any = None, on_source: Any = None,
               on_extract: Any = None, workers: int = 1) -> Any:
        """Graph.ingest: read and extract here (in ``workers`` processes), store through the server."""
        from .api import run_ingest

        return run_ingest(self, paths, published=published, force=force, stdin=stdin, progress=progress,
                          on_source=on_source, on_extract=on_extract, workers=workers)

    def watch_pass(self, sources: Sequence[str], *, rules: Any = None, options: Any = None,
                   write_lock: Any = None, progress: Any = None) -> Any:
        """Graph.watch_pass: fetch, read and extract here; commit through the server."""
        from .watch import run_pass
        from .watch.feeds import expand_sources

        return run_pass(self, expand_sources(list(sources)), rules=self.watch_rules(rules), options=options,
                        progress=progress)

    def watch_rules(self, rules: Any) -> Any:
        from .watch import Rules, load_rules

        if rules is None or isinstance(rules, Rules):
            return rules or Rules()
        return load_rules(rules, resolve=lambda name: self.actor_ref(name).id)

    def export(self, fmt: str, out: str | Path, *, at: Any = None) -> list[Path]:
        return self._call("export", fmt, Path(out).resolve(), at=at, timeout=READ_TIMEOUT)

    def import_parquet(self, folder: str | Path) -> dict[str, int]:
        return self._call("import_parquet", Path(folder).resolve())

    def import_dataset(self, fmt: str, path: str | Path, *, keep_going: bool = False, progress: Any = None) -> Any:
        # the server reads the file; no progress reaches this process meanwhile
        return self._call("import_dataset", fmt, Path(path).resolve(), keep_going=keep_going)

    # -- the call ----------------------------------------------------------------------------

    def _call(self, method: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        body = json.dumps({"method": method, "args": encode(list(args)), "kwargs": encode(kwargs)},
                          ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url + CALL_PATH, data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.server['token']}"})
        try:
            with self._opener.open(request, timeout=timeout) as response:
                payload = json.loads(response.read())
        except urllib.error.HTTPError as e:
            try:
                problem = json.loads(e.read()).get("error") or e.reason
            except (ValueError, AttributeError):
                problem = e.reason
            what = (f"failed to run it ({e.code}: {problem}; the server's output says more)" if e.code >= 500
                    else f"refused it ({e.code}: {problem})")
            raise StoreError(f"The store {self.store_path} is open in {self.where}, which was asked to run "
                             f"`{method}` and {what}.") from e
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"The store {self.store_path} is open in {self.where}, which did not answer "
                             f"({reason}). Stop it (kill {self.server.get('pid')}) and run the command "
                             "again.") from e
        if "raised" in payload:
            err = decode(payload["raised"])
            if isinstance(err, DiplographError):
                raise err
            raise StoreError(f"{self.where} answered with an error: {err}")
        return decode(payload.get("result"))
