"""The Spark job: read → drop duplicates → extract in the executors → write Parquet.

    read (executors)        inputs.py: one Read per article, with its MinHash
    first copies            dedupe.py: exact copies skipped, near-duplicates found
    extract (executors)     rows.py: claims by the same code ``ingest`` runs, as table rows
    write                   OUT/documents.parquet/ and OUT/claims.parquet/ (Spark parts)

``diplograph import parquet OUT`` loads the result into a store, which then holds the
claims a local ``ingest`` of the same documents gives."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DiplographError, SourceError
from ..models import PartialDate
from . import dedupe, inputs, rows

log = logging.getLogger("diplograph.spark")


class SparkError(DiplographError):
    """The Spark job cannot start or run (no pyspark, no Java, output in the way)."""


@dataclass
class SparkReport:
    """What one job did."""

    out: str
    documents: int = 0  # written, near-duplicates included
    near_duplicates: int = 0
    duplicates: int = 0  # exact copies skipped
    claims: int = 0
    failed: list[str] = field(default_factory=list)  # one message per article not read

    def summary(self) -> str:
        return (f"{self.documents - self.near_duplicates} extracted, {self.near_duplicates} near-duplicate, "
                f"{self.duplicates} duplicate, {len(self.failed)} failed; {self.claims} claims  ->  {self.out}")


def session(master: str = "local[*]", *, app_name: str = "diplograph") -> Any:
    """A SparkSession for the job. In local mode the Python workers run this interpreter
    (so they import this diplograph); on a cluster, the executors' own Python must have
    diplograph installed (PYSPARK_PYTHON names it)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise SparkError("pyspark is not installed: pip install 'diplograph[spark]' "
                         "(and Java 17: apt-get install openjdk-17-jre-headless)") from e
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkError("Spark needs Java and none was found: install Debian's OpenJDK "
                         "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    builder = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))
    if master.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false")
        # the workers' Python: pyspark reads it from the environment, else runs `python3`
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # pyspark raises its own kinds when the JVM does not start
        raise SparkError(f"Spark did not start with master {master!r}: {e}") from e
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(spark: Any, paths: list[str], out: str, *, published: PartialDate | None = None,
        max_bytes: int, threshold: float, partitions: int | None = None) -> SparkReport:
    """Extract the documents under ``paths`` into Parquet under ``out``."""
    _check_out(out)
    sc = spark.sparkContext
    parts = partitions or max(2, sc.defaultParallelism * 2)
    report = SparkReport(out=out)
    reads = _reads(spark, paths, report, max_bytes=max_bytes, published=published, partitions=parts)
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK  # recomputing would read (or extract) twice
    reads.persist(keep)
    t0 = time.perf_counter()
    try:
        # one pass for what reading gave: the errors, and how many articles were read
        errors, n_read = [], 0
        for part_errors, part_n in reads.mapPartitions(_errors_and_count).collect():
            errors += part_errors
            n_read += part_n
        report.failed += [e for _, e in sorted(errors)]
        log.info("read %d articles (%d failed) in %.1f s", n_read, len(errors), time.perf_counter() - t0)
        firsts = dedupe.first_copies(reads.filter(lambda r: r.doc is not None), parts).persist(keep)
        from ..documents import MIN_SHARED_BANDS

        near = dedupe.near_duplicates(firsts, threshold=threshold, min_shared=MIN_SHARED_BANDS)
        report.near_duplicates = len(near)
        log.info("near-duplicates: %d, at %.1f s", len(near), time.perf_counter() - t0)
        near_b = sc.broadcast(near)
        at = datetime.now(UTC).replace(tzinfo=None)
        tagged = firsts.values().mapPartitions(
            lambda it: rows.extract_rows(it, near=near_b.value, ingested_at=at)).persist(keep)
        try:
            written = []
            try:
                for name in rows.TABLES:  # the first write extracts; the second reads what was kept
                    table = tagged.filter(lambda t, n=name: t[0] == n).map(lambda t: t[1])
                    frame = spark.createDataFrame(table, rows.spark_schema(name))
                    written.append(_join(out, f"{name}.parquet"))
                    frame.write.mode("errorifexists").parquet(written[-1])
                    log.info("%s written, at %.1f s", name, time.perf_counter() - t0)
            except BaseException:
                # no documents without their claims: a failed job leaves no table behind
                for path in written if not inputs.is_uri(out) else []:
                    shutil.rmtree(path, ignore_errors=True)
                raise
            counts = tagged.map(lambda t: t[0]).countByValue()
            report.documents, report.claims = counts.get("documents", 0), counts.get("claims", 0)
            report.duplicates = n_read - report.documents
        finally:
            tagged.unpersist()
            firsts.unpersist()
    finally:
        reads.unpersist()
    return report


def _reads(spark: Any, paths: list[str], report: SparkReport, *, max_bytes: int,
           published: PartialDate | None, partitions: int) -> Any:
    """One RDD of Reads over every input, each read in the executors."""
    sc = spark.sparkContext
    rdds = []
    files: list[tuple[Any, str, str]] = []
    for i, path in enumerate(paths):
        how = inputs.kind(path)
        if how == "files":
            for unit in inputs.file_units(i, path):
                if isinstance(unit, SourceError):
                    report.failed.append(str(unit))
                else:
                    files.append(unit)
            continue
        if not inputs.is_uri(path) and not Path(path).exists():
            report.failed.append(str(SourceError(path, "no such file or folder", hint="check the path")))
            continue
        if how == "jsonl":
            lines = sc.textFile(path).zipWithIndex()
            rdds.append(lines.flatMap(lambda li, i=i, src=path: inputs.read_record(
                (i, 0, li[1] + 1), src, li[0], max_bytes=max_bytes, published=published)))
        else:
            try:
                table = spark.read.parquet(path)
            except Exception as e:  # noqa: BLE001 - Spark raises several kinds for a bad file
                report.failed.append(str(SourceError(path, f"not readable as Parquet ({str(e).splitlines()[0]})",
                                                     hint="give a Parquet file or folder of documents")))
                continue
            numbered = table.rdd.map(lambda row: inputs.row_json(row.asDict(recursive=True))).zipWithIndex()
            rdds.append(numbered.flatMap(lambda li, i=i, src=path: inputs.read_record(
                (i, 0, li[1] + 1), src, li[0], max_bytes=max_bytes, published=published)))
    if files:
        units = sc.parallelize(files, min(len(files), partitions))
        rdds.append(units.flatMap(lambda u: inputs.read_file(u, max_bytes=max_bytes, published=published)))
    return sc.union(rdds) if rdds else sc.emptyRDD()


def _errors_and_count(reads: Any) -> list[tuple[list[tuple[Any, str]], int]]:
    errors, n = [], 0
    for r in reads:
        if r.error is not None:
            errors.append((r.order, r.error))
        else:
            n += 1
    return [(errors, n)]


def _check_out(out: str) -> None:
    if inputs.is_uri(out):
        return  # Spark says so if a table is already there
    for name in rows.TABLES:
        if (Path(out) / f"{name}.parquet").exists():
            raise SparkError(f"{Path(out) / f'{name}.parquet'} exists already: give an empty or new --out folder")
    Path(out).mkdir(parents=True, exist_ok=True)


def _join(out: str, name: str) -> str:
    return f"{out.rstrip('/')}/{name}" if inputs.is_uri(out) else str(Path(out).resolve() / name)
