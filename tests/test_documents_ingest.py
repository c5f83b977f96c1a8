"""Ingesting into the store: idempotency, --force, near-duplicates, crash consistency."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplograph import Graph
from diplograph.documents.read import content_id
from diplograph.store import Store

ROOT = Path(__file__).resolve().parent.parent

ORIGINAL = """WORLD | 11:20 / 04.02.2025

Azerbaijan and Uzbekistan sign allied relations treaty

By Farid Gurbanov

Azerbaijan and Uzbekistan signed a treaty on allied relations in Tashkent on Tuesday, during a state visit by the Azerbaijani president that also produced agreements on energy, transport and defence industry cooperation.

The two presidents said the treaty raised relations between the countries to the highest level, and instructed their governments to prepare a programme of joint projects worth more than two billion dollars over the next five years.

Trade between Azerbaijan and Uzbekistan reached 220 million dollars last year, up by about a third from the year before, according to figures released by the Uzbek statistics agency on the eve of the visit.

The leaders also discussed the Middle Corridor transport route across the Caspian Sea, and agreed to set up a joint logistics company to handle cargo between the ports of Baku and Turkmenbashi and the Uzbek railway network.

Uzbekistan already has allied relations treaties with Kazakhstan and Tajikistan, and officials in Tashkent described the new treaty as part of a policy of building the closest possible ties with its neighbours in the wider region.
"""

# The same wire story as syndicated elsewhere: a new headline, another byline, a few edits.
SYNDICATED = (
    ORIGINAL.replace("WORLD | 11:20 / 04.02.2025", "February 4, 2025")
    .replace("Azerbaijan and Uzbekistan sign allied relations treaty", "Baku and Tashkent become allies in landmark treaty")
    .replace("By Farid Gurbanov", "By Staff Reporter")
    .replace("on Tuesday, during", "on Tuesday during")
    .replace("according to figures released by", "according to data from")
)

UNRELATED = """March 12, 2025

Chile and Peru agree to study a joint lithium corridor

Chile and Peru agreed on Wednesday to commission a feasibility study for a rail and road corridor that would carry lithium and copper from the Andes to Pacific ports, the two foreign ministries said in Lima.

The study will be paid for by a development bank and is due to report within eighteen months, after which the two governments will decide whether to seek private investors for the project.
"""


def _write(d: Path, name: str, text: str) -> Path:
    p = d / name
    p.write_text(text, encoding="utf-8")
    return p


def test_documents_ingest_is_idempotent_and_force_reprocesses(tmp_path):
    a = _write(tmp_path, "a.txt", ORIGINAL)
    b = _write(tmp_path, "copy-of-a.txt", ORIGINAL)
    with Graph.open(tmp_path / "s.duckdb") as g:
        first = g.ingest([a, b])
        assert first.summary() == {"ingested": 1, "near_duplicates": 0, "duplicates": 1, "failed": 0}
        assert first.duplicates == [(str(b), content_id(ORIGINAL))]
        again = g.ingest([a])
        assert again.summary() == {"ingested": 0, "near_duplicates": 0, "duplicates": 1, "failed": 0}
        before = g.document(content_id(ORIGINAL)).ingested_at
        forced = g.ingest([a], force=True)
        assert forced.summary() == {"ingested": 1, "near_duplicates": 0, "duplicates": 0, "failed": 0}
        assert g.store.count_documents() == 1
        doc = g.document(content_id(ORIGINAL))
        assert doc.ingested_at >= before and doc.duplicate_of is None
        assert doc.raw_text == ORIGINAL and doc.published.value == "2025-02-04"


def test_documents_ingest_links_near_duplicates_to_their_original(tmp_path):
    orig = _write(tmp_path, "1-original.txt", ORIGINAL)
    synd = _write(tmp_path, "2-syndicated.txt", SYNDICATED)
    other = _write(tmp_path, "3-unrelated.txt", UNRELATED)
    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.ingest([orig, synd, other])
        assert report.summary() == {"ingested": 2, "near_duplicates": 1, "duplicates": 0, "failed": 0}
        [near] = report.near_duplicates
        assert near.source == str(synd) and near.duplicate_of == content_id(ORIGINAL)
        assert near.similarity >= 0.8
        assert g.document(content_id(UNRELATED)).duplicate_of is None
        assert g.document(near.id).title == "Baku and Tashkent become allies in landmark treaty"


def test_documents_ingest_report_is_light(tmp_path):
    with Graph.open(tmp_path / "s.duckdb") as g:
        [doc] = g.ingest([_write(tmp_path, "a.txt", UNRELATED)]).ingested
    assert (doc.text, doc.raw_text) == ("", "") and doc.size > 200


def test_documents_ingest_reports_progress_by_file(tmp_path):
    (tmp_path / "in").mkdir()
    for i in range(3):
        _write(tmp_path / "in", f"{i}.txt", UNRELATED.replace("Wednesday", f"day {i}"))
    seen = []
    with Graph.open(tmp_path / "s.duckdb") as g:
        g.ingest([tmp_path / "in"], on_source=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_documents_ingest_survives_kill_9_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    _load_corpus_module().write_corpus(corpus, 300, seed=11, text_only=True)
    files = sorted(corpus.rglob("*.txt"))
    assert len(files) == 300
    db = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-c", "from diplograph.cli import run; run()", "ingest", "--db", str(db), "--json", str(corpus)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    seen = 0
    deadline = time.monotonic() + 120
    while seen < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen += json.loads(line)["event"] in ("ingested", "near_duplicate")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert seen == 40, proc.stderr.read().decode()

    by_source = {str(f): f.read_text(encoding="utf-8") for f in files}
    with Store.open(db) as store:
        stored = store.documents()
        assert 40 <= len(stored) < 300
        for meta in stored:
            doc = store.document(meta.id)
            assert doc.text.strip() and doc.raw_text == by_source[doc.source]
            assert doc.id == content_id(doc.raw_text)
        n_before = len(stored)

    rerun = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()
    summary = json.loads(rerun.stdout.decode().splitlines()[-1])
    assert summary["duplicates"] == n_before
    assert summary["ingested"] + summary["near_duplicates"] == 300 - n_before
    with Store.open(db) as store:
        assert store.count_documents() == 300
