"""What every dataset importer shares: the batch of claims it streams into the store, the
report of what was read, skipped and rejected, and opening (possibly zipped) input files.

An importer reads its file row by row and calls ``ClaimSink.add`` for each claim a row
gives, ``skip`` for a row that is fine but says nothing diplograph keeps (an actor or event
type it does not know), and ``bad`` for a malformed row. The sink collects columns in
plain lists and hands the store one pandas DataFrame per ``BATCH`` claims, so memory stays
flat whatever the size of the file."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError
from ..facts.merge import SUBTYPED, SYMMETRIC
from ..models import CLAIM_TYPES, ActorRef, PartialDate

BATCH = 50_000
MAX_REPORTED = 20  # malformed rows listed one by one; the rest are counted

ProgressCallback = Callable[[int, int | None], None]  # (units done, units in all or None)


@dataclass
class ImportReport:
    """What an import did: rows read, claims added, rows skipped (by reason) and
    malformed rows (line number and problem)."""

    format: str
    path: str
    source_name: str
    rows: int = 0
    claims: int = 0  # claims built from the rows
    added: int = 0  # claims new to the store (the rest were already there)
    skipped: Counter[str] = field(default_factory=Counter)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    n_bad: int = 0
    seconds: float = 0.0  # in all
    import_seconds: float = 0.0  # reading the file and storing its claims
    rebuild: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [(f"{self.source_name}: {self.rows:,} rows read, {self.claims:,} claims "
                  f"({self.added:,} new) in {self.seconds:.1f}s")]
        if self.skipped:
            parts.append("skipped: " + ", ".join(f"{n:,} {why}" for why, n in self.skipped.most_common()))
        if self.n_bad:
            parts.append(f"{self.n_bad:,} malformed rows skipped")
        if self.rebuild:
            parts.append("graph: " + ", ".join(f"{v:,} {k}" for k, v in self.rebuild.items()))
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format, "path": self.path, "source_name": self.source_name, "rows": self.rows,
            "claims": self.claims, "added": self.added, "skipped": dict(self.skipped),
            "bad_rows": [{"line": n, "problem": p} for n, p in self.bad_rows], "n_bad": self.n_bad,
            "seconds": round(self.seconds, 3), "import_seconds": round(self.import_seconds, 3),
            "rebuild": self.rebuild,
        }


class BadRow(ValueError):
    """A row that cannot be read; the message says what is wrong with it."""


def fact_key_of(type_: str, subject_id: str | None, object_id: str | None, subtype: str | None) -> str:
    """``facts.merge.fact_key`` for a two-party claim, without building a Claim."""
    ids = [subject_id or "", object_id or ""]
    parts = [type_, *(sorted(ids) if type_ in SYMMETRIC else ids)]
    if type_ in SUBTYPED:
        parts.append(subtype or "")
    return "|".join(parts)


class ClaimSink:
    """Collects imported claims as columns and writes them to the store in batches."""

    def __init__(self, store: Any, report: ImportReport, *, prefix: str, keep_going: bool,
                 extractor: str, created_at: datetime | None = None, dedupe: bool = False):
        self.store = store
        self.report = report
        self.prefix = prefix
        self.keep_going = keep_going
        self.extractor = extractor
        self.created_at = created_at or datetime.now(UTC).replace(tzinfo=None)
        self.columns = store.claim_columns()
        self._cols: dict[str, list[Any]] = {c: [] for c in self.columns}
        self._bounds: dict[str, tuple[date, date]] = {}
        # small files that may list a record twice (a pair in one treaty) tell the copies
        # apart; event files have unique ids, and remembering millions of them costs memory
        self._seen: set[str] | None = set() if dedupe else None

    def add(self, *, record: str, type: str, subject: ActorRef, object: ActorRef,
            date: PartialDate | None, modality: str = "asserted", subtype: str | None = None,
            evidence: str = "", confidence: float = 0.9, plover: str | None = None,
            cameo: str | None = None) -> None:
        if type not in CLAIM_TYPES:
            raise ValueError(f"{type!r} is not a claim type")
        if self._seen is not None:
            if record in self._seen:  # a dataset listing one record twice: keep both, told apart
                n = 2
                while f"{record}#{n}" in self._seen:
                    n += 1
                record = f"{record}#{n}"
            self._seen.add(record)
        c = self._cols
        c["id"].append(f"{self.prefix}:{record}")
        c["doc_id"].append(None)
        c["type"].append(type)
        c["subtype"].append(subtype)
        c["subject_id"].append(subject.id)
        c["subject_name"].append(subject.name)
        c["subject_kind"].append(subject.kind)
        c["object_id"].append(object.id)
        c["object_name"].append(object.name)
        c["object_kind"].append(object.kind)
        c["parties"].append(None)
        if date is not None:
            b = self._bounds.get(date.value)
            if b is None:
                b = self._bounds[date.value] = date.bounds()
            c["date_value"].append(date.value)
            c["date_precision"].append(date.precision)
            c["date_text"].append(date.text)
            c["date_start"].append(b[0])
            c["date_end"].append(b[1])
        else:
            for k in ("date_value", "date_precision", "date_text", "date_start", "date_end"):
                c[k].append(None)
        c["modality"].append(modality)
        c["attributed_to"].append(None)
        c["quantity_value"].append(None)
        c["quantity_unit"].append(None)
        c["quantity_metric"].append(None)
        c["evidence_text"].append(evidence)
        c["evidence_start"].append(None)
        c["evidence_end"].append(None)
        c["confidence"].append(confidence)
        c["extractor"].append(self.extractor)
        c["plover"].append(plover)
        c["cameo"].append(cameo)
        c["source_kind"].append("dataset")
        c["source_name"].append(self.report.source_name)
        c["source_record"].append(record)
        c["created_at"].append(self.created_at)
        c["fact_key"].append(fact_key_of(type, subject.id, object.id, subtype))
        self.report.claims += 1
        if len(c["id"]) >= BATCH:
            self.flush()

    def skip(self, reason: str, n: int = 1) -> None:
        self.report.skipped[reason] += n

    def bad(self, line: int, problem: str, *, source: str | None = None) -> None:
        """A malformed row: stop the import (nothing lands) unless keep_going."""
        if not self.keep_going:
            raise SourceError(source or self.report.path, problem, line=line,
                              hint="nothing was imported; fix the row, or pass --keep-going to skip malformed rows")
        self.report.n_bad += 1
        if len(self.report.bad_rows) < MAX_REPORTED:
            self.report.bad_rows.append((line, problem))

    def flush(self) -> None:
        import pandas as pd

        if not self._cols["id"]:
            return
        frame = pd.DataFrame(self._cols, columns=self.columns)
        # all-None columns would be typed as objects DuckDB cannot cast; give them types
        for col in ("date_start", "date_end"):
            frame[col] = pd.to_datetime(frame[col]).dt.date if frame[col].notna().any() else pd.Series(
                [None] * len(frame), dtype="object")
        self.report.added += self.store.add_claims_frame(frame)
        self._cols = {c: [] for c in self.columns}


# -- reading files -----------------------------------------------------------------------


def require_file(path: str | Path, what: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise SourceError(str(path), f"no such file; give the path to the {what}")
    if p.is_dir():
        raise SourceError(str(path), f"is a folder; give the path to the {what} file")
    return p


def open_text(path: Path) -> IO[str]:
    """A text stream over a plain, .gz or .zip file (the first member of a zip that is not
    a folder), decoded as UTF-8 with undecodable bytes replaced."""
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            zf = zipfile.ZipFile(path)
            members = [m for m in zf.namelist() if not m.endswith("/")]
            if not members:
                raise SourceError(str(path), "the zip file is empty")
            return io.TextIOWrapper(zf.open(members[0]), encoding="utf-8", errors="replace", newline="")
        if name.endswith(".gz"):
            import gzip

            return io.TextIOWrapper(gzip.open(path), encoding="utf-8", errors="replace", newline="")
        return open(path, encoding="utf-8", errors="replace", newline="")
    except (OSError, zipfile.BadZipFile) as e:
        raise SourceError(str(path), f"cannot be read: {e}") from e


def tab_rows(stream: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a tab-separated stream, 1-based, without the line end."""
    for n, line in enumerate(stream, 1):
        line = line.rstrip("\r\n")
        if line:
            yield n, line.split("\t")


def csv_rows(reader: csv.DictReader, sink: ClaimSink, progress: Callable[[int], None] | None = None,
             every: int = 1000) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file's data rows, each counted in the sink's report; a row
    with too few or too many fields is reported as bad (with its line) and skipped."""
    for n, row in enumerate(reader, 2):
        sink.report.rows += 1
        if progress and n % every == 0:
            progress(n)
        if None in row or any(v is None for v in row.values()):
            sink.bad(n, f"expected {len(reader.fieldnames or [])} fields")
            continue
        yield n, row


def partial_date(year: Any, month: Any = 0, day: Any = 0) -> PartialDate:
    """A date from numeric parts where 0 or blank means unknown (ATOP, COW)."""
    y, m, d = (_int(x) for x in (year, month, day))
    if not y:
        raise BadRow(f"no year in date {year!r}-{month!r}-{day!r}")
    if m and not 1 <= m <= 12:
        raise BadRow(f"month {m} out of range")
    if m and d:
        try:
            return PartialDate(date(y, m, d).isoformat(), "day")
        except ValueError:
            raise BadRow(f"{y}-{m}-{d} is not a day of the calendar") from None
    if m:
        return PartialDate(f"{y:04d}-{m:02d}", "month")
    return PartialDate(f"{y:04d}", "year")


def _int(v: Any) -> int:
    if v is None:
        return 0
    s = str(v).strip()
    if s in ("", "NA", ".", "-9", "-99"):  # missing-value codes in COW-style files
        return 0
    try:
        return int(float(s))
    except ValueError:
        raise BadRow(f"{s!r} is not a number") from None


def later(a: PartialDate, b: PartialDate) -> PartialDate:
    """The later of two partial dates (by first day; the more precise on a tie)."""
    ka = (a.bounds()[0], PRECISION.get(a.precision, 0))
    kb = (b.bounds()[0], PRECISION.get(b.precision, 0))
    return a if ka >= kb else b


def earlier(a: PartialDate, b: PartialDate) -> PartialDate:
    return a if a.bounds()[0] <= b.bounds()[0] else b


PRECISION = {"year": 1, "month": 2, "day": 3}


class Clock:
    """Seconds since construction (for the report)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def __call__(self) -> float:
        return time.perf_counter() - self.t0
