"""Extraction in worker processes (diplograph/workers.py): the same claims and the same
store as one process, contained extractor errors, and a worker that dies."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest

from diplograph import Graph, workers
from diplograph.errors import SourceError
from diplograph.models import Document

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parent.parent / "diplograph" / "data" / "samples"
ARTICLES = Path(__file__).resolve().parent.parent / "eval" / "articles"
KILL = "KILL-THIS-WORKER"


# -- run in each worker process (registered with workers.at_start, pickled by name) -----------

def break_alliance_frames() -> None:
    import diplograph.claims.pipeline as pipeline

    real = pipeline._frame_claims

    def broken(f, *args, **kwargs):
        if f.type == "alliance":
            raise ValueError("broken on purpose")
        return real(f, *args, **kwargs)

    pipeline._frame_claims = broken


def die_on_marker() -> None:
    import diplograph.claims.pipeline as pipeline

    real = pipeline.extract_claims

    def dying(text, **kwargs):
        if KILL in text:
            os._exit(3)  # no exception, no clean-up: as a crash in native code would
        return real(text, **kwargs)

    pipeline.extract_claims = dying


# -- tests ---------------------------------------------------------------------------------

@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The four bundled samples and four corpus articles (text, HTML, JSON Lines)."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    for name in ["002_nordic_nato_accession.txt", "005_sahel_ecowas_exit.txt", "007_japan_philippines_raa.html",
                 "008_feed_item.jsonl"]:
        shutil.copy(ARTICLES / name, folder / name)
    return folder


@pytest.fixture
def pool_always(monkeypatch):
    """Workers even for a handful of documents, and a record of whether they ran."""
    monkeypatch.setattr(workers, "SMALL", 1)
    runs: list[int] = []
    real = workers.Pool.run

    def run(self, *args, **kwargs):
        runs.append(self.workers)
        yield from real(self, *args, **kwargs)

    monkeypatch.setattr(workers.Pool, "run", run)
    return runs


def _claims(graph: Graph, folder: Path, n: int) -> list[tuple[str, list[str]]]:
    out = []
    for item in graph.extract([folder], workers=n):
        assert not isinstance(item, SourceError), item
        doc, claims = item
        out.append((doc.source, [json.dumps(c.to_json(), sort_keys=True) for c in claims]))
    return out


def test_same_claims_with_one_and_two_workers(corpus, pool_always):
    g = Graph.open(":memory:")
    one = _claims(g, corpus, 1)
    assert pool_always == []
    two = _claims(g, corpus, 2)
    assert pool_always == [2]
    assert [s for s, _ in two] == [s for s, _ in one]  # input order
    assert sum(len(c) for _, c in one) > 20
    assert two == one


def test_ingest_with_workers_gives_the_same_store(corpus, tmp_path, pool_always):
    stores = {}
    for n in (1, 2):
        with Graph.open(tmp_path / f"w{n}.duckdb") as g:
            report = g.ingest([corpus], workers=n)
            assert report.ok and len(report.ingested) >= 8
            again = g.ingest([corpus], workers=n)  # all stored: nothing extracted, all skipped
            assert len(again.duplicates) == len(report.ingested) + len(report.near_duplicates)
            stores[n] = (
                [(d.id, d.source, d.duplicate_of) for d in sorted(g.documents(), key=lambda d: d.id)],
                sorted(json.dumps(c.to_json(), sort_keys=True) for c in g.claims()),
                sorted(json.dumps([f.type, f.subject, f.object, f.date, f.modality], default=str, sort_keys=True)
                       for f in g.facts()),
                [(r.partner.id, str(r.since)) for r in g.allies("Kazakhstan").rows],
                g.store.pending(),
            )
    assert pool_always == [2]  # the second ingest of 2 found everything stored: no pool
    assert stores[2] == stores[1]
    assert stores[1][1] and stores[1][3] and stores[1][4] == []


def test_an_extractor_error_in_a_worker_is_contained_and_reported(corpus, monkeypatch, caplog, pool_always):
    monkeypatch.setattr(workers, "_at_start", [break_alliance_frames])
    g = Graph.open(":memory:")
    with caplog.at_level(logging.WARNING, logger="diplograph"):
        got = _claims(g, corpus, 2)
    assert pool_always == [2]
    types = {json.loads(c)["type"] for _, cs in got for c in cs}
    assert "alliance" not in types and len(types) >= 4  # the rest of each document was extracted
    errors = [r.getMessage() for r in caplog.records if r.name == "diplograph.extract"]
    assert any("extractor error in frame alliance" in e and "broken on purpose" in e for e in errors)
    assert any(e.startswith("001_astana_alliance_wire.txt:") for e in errors)  # names the document


def test_a_worker_that_dies_is_reported_and_the_rest_stored(corpus, tmp_path, monkeypatch, pool_always):
    monkeypatch.setattr(workers, "_at_start", [die_on_marker])
    (corpus / "zz_crash.txt").write_text(
        f"Chile and Peru signed a trade agreement on 3 May 2024. {KILL}\n", encoding="utf-8")
    (corpus / "zzz_after.txt").write_text(
        "Kazakhstan and Kyrgyzstan signed a treaty on allied relations on 4 March 2025.\n", encoding="utf-8")
    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.ingest([corpus], workers=2)
        assert [Path(f.source).name for f in report.failed] == ["zz_crash.txt"]
        assert "stopped its worker process" in str(report.failed[0])
        stored = {Path(d.source).name for d in g.documents()}
        assert "zz_crash.txt" not in stored and {"zzz_after.txt", "001_astana_alliance_wire.txt"} <= stored
        assert any(c.type == "alliance" and {c.subject.id, c.object.id} == {"KAZ", "KGZ"}
                   for c in g.claims() if c.evidence_text.startswith("Kazakhstan and Kyrgyzstan signed a treaty on"))
        assert g.store.pending() == []


def test_few_documents_are_extracted_in_process():
    docs = [Document(id=f"d{i}", source=f"d{i}.txt", text="Chile.", raw_text="Chile.") for i in range(3)]
    out = list(workers.in_order(docs, workers=2, wanted=lambda d: True, name=lambda d: d.id))
    assert [(d.id, r) for d, r in out] == [("d0", None), ("d1", None), ("d2", None)]


def test_cli_takes_workers():
    from click.testing import CliRunner

    from diplograph.cli import main

    for command in ("ingest", "extract"):
        assert "--workers" in CliRunner().invoke(main, [command, "--help"]).output
        bad = CliRunner().invoke(main, [command, "x.txt", "--workers", "0"])
        assert bad.exit_code == 2 and "--workers" in bad.output
