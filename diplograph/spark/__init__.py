"""The extractor on Spark: ``diplograph spark extract INPUT... --out DIR``.

The same reading, duplicate rules and claim extraction as ``diplograph ingest``, run in
Spark executors (``local[*]`` or any master URL); the output is a folder that
``diplograph import parquet DIR`` loads (documents and claims; facts and relation states
are derived by the store on import). Modules, in the order the job runs them: ``inputs``
(what to read, read in the executors), ``dedupe`` (exact and near duplicates), ``rows``
(extraction and table rows in the executors), ``job`` (the session and the flow).

pyspark is an optional dependency (``pip install 'diplograph[spark]'``) and needs Java 17.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import PartialDate
from .job import SparkError, SparkReport

__all__ = ["SparkError", "SparkReport", "extract"]


def extract(paths: list[str | Path], out: str | Path, *, master: str = "local[*]",
            published: PartialDate | None = None, spark: Any = None, partitions: int | None = None) -> SparkReport:
    """Run the job on ``master`` (or in the given SparkSession ``spark``, left running)
    and write ``out``/documents.parquet and ``out``/claims.parquet. Settings
    (``max_bytes``, ``near_duplicate_threshold``) are read as ``ingest`` reads them."""
    from ..settings import load_settings
    from . import job

    settings = load_settings({})
    own = spark is None
    session = job.session(master) if own else spark
    try:
        return job.run(session, [str(p) for p in paths], str(out), published=published,
                       max_bytes=int(settings["max_bytes"]),
                       threshold=float(settings["near_duplicate_threshold"]), partitions=partitions)
    finally:
        if own:
            session.stop()
