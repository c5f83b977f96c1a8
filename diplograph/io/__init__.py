"""Dataset importers: curated alliance, membership and event data brought into the graph
as claims whose source is the dataset (source_kind "dataset", its name and version, and
the record id), told apart from claims extracted from articles.

``import_dataset(store, "atop", path)`` reads a file in one transaction (nothing lands if
a row is malformed, unless ``keep_going``), then rebuilds facts and relation states.
Formats: atop, cow-alliance, cow-igo, tkg, icews, gdelt, polecat (see FORMATS)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .common import ClaimSink, Clock, ImportReport, open_text, require_file


@dataclass(frozen=True)
class Format:
    name: str
    source_name: str  # stored with every claim; `--source` matches its start
    prefix: str  # claim ids are prefix:record
    what: str  # for messages: what PATH must be
    folder: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("atop", "ATOP 5.1", "atop5.1", "ATOP 5.1 member-level CSV (atop5_1m.csv)"),
    Format("cow-alliance", "COW Formal Alliances v4.1", "cowalliance4.1",
           "COW Formal Alliances v4.1 member-level CSV (alliance_v4.1_by_member.csv)"),
    Format("cow-igo", "COW IGO v3", "cowigo3", "COW IGO v3 membership spells CSV"),
    Format("tkg", "", "", "TKG benchmark folder (ICEWS14, ICEWS18 or ICEWS05-15)", folder=True),
    Format("icews", "ICEWS", "icews", "ICEWS coded-event .tab file"),
    Format("gdelt", "GDELT 2.0", "gdelt2", "GDELT 2.0 events export (.CSV or .zip)"),
    Format("polecat", "POLECAT", "polecat", "POLECAT tab file"),
)}

ProgressCallback = Callable[[int, int | None], None]


def import_dataset(store: Any, fmt: str, path: str | Path, *, keep_going: bool = False,
                   progress: ProgressCallback | None = None, rebuild: bool = True) -> ImportReport:
    """Import a dataset file into ``store`` and rebuild the graph. Raises SourceError
    naming the file (and the line of the first malformed row, unless ``keep_going``:
    then malformed rows are skipped and listed in the report)."""
    from .. import queries

    if fmt not in FORMATS:
        raise SourceError(str(path), f"unknown dataset format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    p = Path(path)
    total: int | None = None
    if spec.folder:
        if not p.is_dir():
            raise SourceError(str(path), f"no such folder; give the {spec.what}")
        from .events import tkg_files

        files = tkg_files(p)
        total = sum(f.stat().st_size for f in files)
        source_name, prefix = p.name, p.name.lower()
    else:
        require_file(p, spec.what)
        source_name, prefix = spec.source_name, spec.prefix
    report = ImportReport(fmt, str(path), source_name)
    clock = Clock()

    def tick(done: int) -> None:
        if progress:
            progress(done, total)

    with store.transaction():
        sink = ClaimSink(store, report, prefix=prefix, keep_going=keep_going, extractor=f"import:{fmt}",
                         dedupe=fmt in ("atop", "cow-alliance", "cow-igo"))
        if fmt == "tkg":
            from .events import import_tkg

            import_tkg(p, sink, tick)
        else:
            with open_text(p) as stream:
                _reader(fmt)(p, stream, sink, tick)
        sink.flush()
    report.seconds = report.import_seconds = clock()
    if rebuild:
        report.rebuild = queries.rebuild(store)
        report.seconds = clock()
    return report


def _reader(fmt: str) -> Callable[..., None]:
    from . import alliances, events, igo

    return {
        "atop": alliances.import_atop,
        "cow-alliance": alliances.import_cow_alliance,
        "cow-igo": igo.import_cow_igo,
        "icews": events.import_icews,
        "gdelt": events.import_gdelt,
        "polecat": events.import_polecat,
    }[fmt]


__all__ = ["FORMATS", "ImportReport", "import_dataset"]
