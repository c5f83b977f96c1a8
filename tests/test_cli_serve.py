"""The CLI beside a running ``diplograph serve`` (issue 13, item 3): a real server process
on a free port, and the CLI run as separate processes beside it, for reads and ingests;
a store held by some other process gives an error naming that process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from diplograph import Graph
from diplograph.store.holder import read_server_file, server_file

RUN = "from diplograph.cli import run; run()"
TOKEN = "op-serve-cli-token"

ARTICLES = {
    "caucasus.txt": (
        "Armenia and Georgia deepen ties with a strategic partnership\n\n"
        "TBILISI, May 10, 2024 - Armenia and Georgia signed a strategic partnership agreement on May 9, 2024, "
        "the two foreign ministries said in a joint statement.\n\n"
        "Armenia and Georgia established diplomatic relations on July 17, 1992, shortly after both states "
        "regained their independence.\n"
    ),
    "central-asia.txt": (
        "Kazakhstan and Kyrgyzstan agree on closer defence cooperation\n\n"
        "ASTANA, March 4, 2021 - Kazakhstan and Kyrgyzstan established alliance relations on March 3, 2021, "
        "when their presidents signed a treaty on allied relations in Astana.\n"
    ),
}
NEW_ARTICLE = (
    "Moldova and Romania sign a strategic partnership\n\n"
    "CHISINAU, June 2, 2023 - Moldova and Romania signed a strategic partnership agreement on June 1, 2023, "
    "the Moldovan government said.\n"
)
READS = [["docs", "--json"], ["allies", "Kazakhstan", "--json"], ["partners", "Armenia", "--csv"],
         ["claims", "--json"], ["timeline", "Armenia", "--json"], ["actors", "Kirghizia", "--json"]]


def cli(*args: str, db: Path, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("DIPLOGRAPH_TOKEN", None)
    return subprocess.run([sys.executable, "-c", RUN, *args, "--db", str(db)], capture_output=True, text=True,
                          input=stdin, env=env, timeout=timeout)


def start_server(db: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``diplograph serve`` on a free port; returns it and its URL once it answers."""
    server_file(db).unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", RUN, "serve", "--db", str(db), "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "DIPLOGRAPH_TOKEN": TOKEN})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        record = read_server_file(db)
        if record and record["pid"] == proc.pid:
            try:
                with urllib.request.urlopen(record["url"] + "api/documents?limit=1", timeout=5) as r:
                    if r.status == 200:
                        return proc, record["url"]
            except OSError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the server did not start: " + proc.stderr.read())


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """A store of two articles, what the CLI printed for READS before the server started,
    and the server."""
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("store") / "served.duckdb"
    with Graph.open(db) as g:
        assert len(g.ingest([folder]).ingested) == 2
    alone = {" ".join(args): cli(*args, db=db).stdout for args in READS}
    proc, url = start_server(db)
    yield db, url, alone
    stop(proc)
    assert proc.returncode is not None
    assert not server_file(db).exists()  # removed when the server stops


def test_cli_reads_while_serve_runs_print_what_they_print_alone(served):
    db, _url, alone = served
    for args in READS:
        r = cli(*args, db=db)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout == alone[" ".join(args)], args
    assert len(alone["docs --json"].splitlines()) == 2
    assert "Kyrgyzstan" in alone["allies Kazakhstan --json"]
    doc_id = json.loads(alone["docs --json"].splitlines()[0])["id"]
    shown = cli("show", doc_id[:8], db=db)
    assert shown.returncode == 0 and ("Armenia" in shown.stdout or "Kazakhstan" in shown.stdout)
    missing = cli("show", "nosuchdoc", db=db)
    assert missing.returncode == 1 and "No document 'nosuchdoc'" in missing.stderr  # the same errors


def test_cli_ingest_while_serve_runs_goes_through_the_server(served, tmp_path):
    db, url, _alone = served
    article = tmp_path / "moldova.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    r = cli("ingest", str(article), db=db)
    assert r.returncode == 0, r.stderr
    assert "1 ingested" in r.stdout and f"through `diplograph serve` at {url}" in r.stdout
    # the server answers with it at once: stored, and its facts and states derived
    titles = [d["title"] for d in get(url + "api/documents")["items"]]
    assert "Moldova and Romania sign a strategic partnership" in titles
    partners = cli("partners", "Moldova", "--json", db=db)
    assert partners.returncode == 0 and "Romania" in partners.stdout
    assert "Romania" in json.dumps(get(url + "api/relations?actor=Moldova"))
    # standard input, and a file already stored
    again = cli("ingest", "-", "--json", db=db, stdin=NEW_ARTICLE)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.splitlines()[-1])["duplicates"] == 1
    bad = cli("ingest", str(tmp_path / "missing.txt"), db=db)
    assert bad.returncode == 1 and "missing.txt" in bad.stderr


def test_remote_graph_with_a_wrong_token_is_refused_and_says_by_whom(served):
    from diplograph.errors import StoreError
    from diplograph.remote import RemoteGraph

    db, url, _alone = served
    record = read_server_file(db)
    with pytest.raises(StoreError) as e:
        RemoteGraph(str(db), {**record, "token": "not-it"}).documents()
    msg = str(e.value)
    assert f"open in `diplograph serve` at {url} (PID {record['pid']})" in msg
    assert "asked to run `documents` and refused it (403: The token is not the one in this server's" in msg
    assert len(RemoteGraph(str(db), record).documents()) >= 2  # the right one is answered


def test_cli_error_names_the_process_holding_the_store(tmp_path):
    db = tmp_path / "held.duckdb"
    Graph.open(db).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from diplograph import Graph; "
                               "g = Graph.open(sys.argv[1]); print('open', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        r = cli("docs", db=db)
        assert r.returncode == 1
        assert f"in use by another process (PID {holder.pid}" in r.stderr and str(db) in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()
    assert cli("docs", db=db).returncode == 0  # free again


def test_cli_error_names_a_server_that_does_not_answer(tmp_path):
    """A process holding the store with a server file naming a URL where nothing listens."""
    db = tmp_path / "mute.duckdb"
    Graph.open(db).close()
    script = ("import sys, time; from diplograph import Graph; from diplograph.store.holder import write_server_file; "
              "g = Graph.open(sys.argv[1]); write_server_file(sys.argv[1], url='http://127.0.0.1:9/', token='t'); "
              "print('open', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        r = cli("docs", db=db)
        assert r.returncode == 1
        assert f"`diplograph serve` at http://127.0.0.1:9/ (PID {holder.pid}), which did not answer" in r.stderr
        assert f"kill {holder.pid}" in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_serve_twice_names_the_first_server_and_a_killed_server_leaves_the_store_usable(tmp_path):
    db = tmp_path / "twice.duckdb"
    Graph.open(db).close()
    proc, url = start_server(db)
    try:
        second = subprocess.run([sys.executable, "-c", RUN, "serve", "--db", str(db), "--port", "0"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert f"already open in `diplograph serve` at {url} (PID {proc.pid})" in second.stderr
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert server_file(db).exists()  # left behind by kill -9 ...
    r = cli("docs", "--json", db=db)  # ... and harmless: the store is free, the CLI opens it
    assert r.returncode == 0 and r.stdout == ""
