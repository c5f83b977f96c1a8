"""Who holds a store open, and the server file a running ``diplograph serve`` keeps beside it.

DuckDB lets one process at a time open a store file for writing (and none other while it
does). ``diplograph serve`` keeps the store open for as long as it runs, and writes
``<store>.server`` (JSON: its PID, the URL it answers at, the store, and a random token
for the CLI), readable by its owner only; it removes the file when it stops. A CLI command
that finds the store locked by the process named in that file sends its work to the
server (``diplograph.remote``); otherwise the error names the process that holds the
store."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SUFFIX = ".server"


def server_file(store_path: str | Path) -> Path:
    p = Path(store_path)
    return p.with_name(p.name + SUFFIX)


def write_server_file(store_path: str | Path, *, url: str, token: str) -> Path:
    """Record that this process serves ``store_path`` at ``url`` (owner-only file)."""
    path = server_file(store_path)
    record = {"pid": os.getpid(), "url": url, "store": str(Path(store_path).resolve()), "token": token}
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f)
    os.replace(tmp, path)  # readers never see half a file
    return path


def read_server_file(store_path: str | Path) -> dict[str, Any] | None:
    """The server file's record, or None (none, unreadable, or not a server file)."""
    try:
        record = json.loads(server_file(store_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not all(k in record for k in ("pid", "url", "token")):
        return None
    return record


def remove_server_file(store_path: str | Path) -> None:
    """Remove the server file if this process wrote it."""
    record = read_server_file(store_path)
    if record is not None and record.get("pid") == os.getpid():
        server_file(store_path).unlink(missing_ok=True)


def command_line(pid: int) -> str | None:
    """The command line of process ``pid`` (Linux /proc), shortened; None if unknown."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    args = [a.decode(errors="replace") for a in raw.split(b"\0") if a]
    if not args:
        return None
    # "python -c 'from diplograph.cli import run; run()' ingest ..." and the
    # console script both read as "diplograph ingest ..."
    for i, a in enumerate(args):
        if a.endswith("/diplograph") or a == "diplograph" or "diplograph.cli" in a:
            args = ["diplograph", *args[i + 1:]]
            break
    text = " ".join(args)
    return text if len(text) <= 160 else text[:157] + "..."


def describe_lock(store_path: str, pid: int | None) -> tuple[str, dict[str, Any] | None]:
    """Why the store at ``store_path`` cannot be opened, naming the process holding it,
    and the server record when that process is a ``diplograph serve`` of this store."""
    record = read_server_file(store_path)
    if record is not None and pid is not None and record.get("pid") != pid:
        record = None  # a file left by a server that is gone; another process holds the lock
    if record is not None:
        who = f"`diplograph serve` at {record['url']} (PID {record['pid']})"
        return (f"The store {store_path} is open in {who}. The diplograph CLI sends its commands to "
                "that server; from Python, use the server's REST API, or stop the server "
                "(Ctrl-C in its terminal) to open the store here."), record
    cmd = command_line(pid) if pid is not None else None
    who = f"another process (PID {pid}{': ' + cmd if cmd else ''})" if pid is not None else "another process"
    hint = "wait for it to finish, or stop it"
    if cmd is not None and " serve" in f" {cmd}":
        path = server_file(store_path)
        hint = (f"it is a `diplograph serve` whose server file {path} you cannot read (it is its owner's "
                "alone): run the command as that user" if path.exists() and not os.access(path, os.R_OK) else
                "it is a `diplograph serve` with no server file beside the store (was it deleted?): stop it "
                "and start it again")
    return (f"The store {store_path} is in use by {who}. A store is open in one process at a "
            f"time: {hint}, or use another --db."), None
