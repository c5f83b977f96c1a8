"""The Spark job (diplograph.spark) against a local ingest of the same documents.

One Spark session on ``local[2]`` for the module (Spark starts slowly); a handful of
articles from eval/articles in every input form the job reads (a folder of files with an
exact and a near duplicate, a JSON Lines file, a Parquet file), and the acceptance check:
a store built by ``import parquet`` from the job's output holds exactly the claims a local
``ingest`` gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diplograph import Graph
from diplograph.spark.dedupe import resolve

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "eval" / "articles"
PICKED = ["001_astana_alliance_wire.txt", "002_nordic_nato_accession.txt",
          "007_japan_philippines_raa.html", "008_feed_item.jsonl"]


def _java_missing() -> str | None:
    import os

    if os.environ.get("JAVA_HOME") or shutil.which("java"):
        return None
    return "no Java: scripts/test.sh installs Debian's openjdk-17-jre-headless when it can (root, apt-get)"


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'diplograph[spark]')")
    reason = _java_missing()
    if reason:
        pytest.skip(reason)
    from diplograph.spark.job import session

    s = session("local[2]", app_name="diplograph-tests")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """A folder of articles with an exact copy and a near copy; a JSON Lines file; its
    records again as Parquet (for the local ingest: as JSON Lines)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = tmp_path_factory.mktemp("spark-corpus")
    folder = base / "folder"
    folder.mkdir()
    for name in PICKED:
        shutil.copy(ARTICLES / name, folder / name)
    shutil.copy(ARTICLES / PICKED[0], folder / "zz_exact_copy.txt")
    text = (ARTICLES / PICKED[1]).read_text(encoding="utf-8")
    (folder / "zz_near_copy.txt").write_text(text.replace("\n\n", "\n\nUpdated with reporting from the region.\n\n", 1),
                                             encoding="utf-8")
    records = [{"title": "Two ministers meet", "published": "2024-03-05",
                "text": (ARTICLES / "003_asean_timor_leste.txt").read_text(encoding="utf-8")},
               {"title": "Mercosur and the EU", "url": "https://example.org/m",
                "text": (ARTICLES / "006_mercosur_eu_trade.txt").read_text(encoding="utf-8")}]
    jsonl = base / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records[:1]), encoding="utf-8")
    parquet = base / "rows.parquet"
    pq.write_table(pa.Table.from_pylist(records[1:]), parquet)
    as_jsonl = base / "rows.jsonl"  # the Parquet rows as ingest can read them
    as_jsonl.write_text("".join(json.dumps(r) + "\n" for r in records[1:]), encoding="utf-8")
    return {"folder": folder, "jsonl": jsonl, "parquet": parquet, "parquet_as_jsonl": as_jsonl}


@pytest.fixture(scope="module")
def job(spark, corpus, tmp_path_factory):
    from diplograph.spark import extract

    out = tmp_path_factory.mktemp("spark-out") / "out"
    report = extract([corpus["folder"], corpus["jsonl"], corpus["parquet"]], out, spark=spark, partitions=2)
    return out, report


def _claims(g: Graph) -> set[tuple]:
    cols = [c for c in g.store.claim_columns() if c != "created_at"]  # when it was learned
    return set(g.store.conn.execute(f"SELECT {', '.join(cols)} FROM claims").fetchall())


def _documents(g: Graph) -> dict[str, tuple]:
    rows = g.store.conn.execute(
        "SELECT id, text, raw_text, title, published, published_method, duplicate_of, similarity "
        "FROM documents").fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.mark.slow
def test_import_of_spark_output_holds_the_claims_of_a_local_ingest(job, corpus, tmp_path):
    out, report = job
    with Graph.open(tmp_path / "local.duckdb") as local:
        ingested = local.ingest([corpus["folder"], corpus["jsonl"], corpus["parquet_as_jsonl"]])
        assert ingested.ok
        with Graph.open(tmp_path / "spark.duckdb") as from_spark:
            counts = from_spark.import_parquet(out)
            expected = _claims(local)
            assert len(expected) > 20  # the articles hold claims: the comparison means something
            assert _claims(from_spark) == expected
            assert counts["claims"] == report.claims == len(expected)
            # the same documents, with the same texts, dates and duplicate decisions
            assert _documents(from_spark) == _documents(local)
            # and so the same derived facts
            assert (from_spark.store.conn.execute("SELECT count(*) FROM facts").fetchall()
                    == local.store.conn.execute("SELECT count(*) FROM facts").fetchall())
    assert report.failed == []
    assert report.duplicates == len(ingested.duplicates) == 1
    assert report.near_duplicates == len(ingested.near_duplicates) == 1
    assert report.documents == len(ingested.ingested) + len(ingested.near_duplicates)


@pytest.mark.slow
def test_output_is_spark_parts_with_the_store_schema(job):
    import pyarrow.parquet as pq

    from diplograph.store import Store

    out, _ = job
    with Store.open(":memory:") as store:
        for name in ("documents", "claims"):
            assert (out / f"{name}.parquet").is_dir()
            assert list(pq.read_table(out / f"{name}.parquet").column_names) == \
                [r[0] for r in store.conn.execute(f"DESCRIBE {name}").fetchall()]


@pytest.mark.slow
def test_unreadable_inputs_are_reported_and_the_rest_is_written(spark, tmp_path):
    from diplograph.spark import extract

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / PICKED[0], folder / "good.txt")
    (folder / "empty.txt").write_text("")
    (tmp_path / "bad.jsonl").write_text('{"text": "Fine text about Kazakhstan and Uzbekistan."}\nnot json\n')
    report = extract([folder, tmp_path / "bad.jsonl", tmp_path / "missing"], tmp_path / "out", spark=spark, partitions=2)
    failed = "\n".join(report.failed)
    assert "empty.txt: is empty" in failed
    assert "bad.jsonl:2: not valid JSON" in failed
    assert "missing: no such file or folder" in failed
    assert report.documents == 2
    # an output folder already holding a table is refused, naming it
    from diplograph.spark import SparkError

    with pytest.raises(SparkError, match="documents.parquet exists already"):
        extract([folder], tmp_path / "out", spark=spark)


def test_near_duplicates_are_decided_in_ingest_order_against_originals_only():
    orders = {"a": (0, 0, 0), "b": (0, 1, 0), "c": (0, 2, 0), "d": (0, 3, 0)}
    pairs = [
        ("b", "a", 10, 0.95),  # b copies a
        ("c", "b", 12, 0.97),  # c is closest to b, but b is itself a copy: not an original
        ("c", "a", 9, 0.90),
        ("d", "a", 5, 0.40),  # below the threshold
    ]
    assert resolve(pairs, orders, threshold=0.8) == {"b": ("a", 0.95), "c": ("a", 0.90)}


def test_cli_without_java_says_how_to_install_it(monkeypatch, tmp_path):
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'diplograph[spark]')")
    from click.testing import CliRunner

    import diplograph.spark.job as job
    from diplograph.cli import main

    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(job.shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["spark", "extract", str(ARTICLES / PICKED[0]), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "openjdk-17-jre-headless" in result.output
    assert not (tmp_path / "o" / "claims.parquet").exists()
