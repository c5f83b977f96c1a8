"""Coded event data: the TKG forecasting benchmarks (ICEWS14, ICEWS18, ICEWS05-15 as
``s r o t`` id files), ICEWS coded-event files (Dataverse .tab), GDELT 2.0 event
exports (61 tab-separated columns, zipped or not) and POLECAT (PLOVER) tab files.

Actors map through io.actors (sector actors become the state with a role; unknown actors
are skipped and counted), event codes through io.codes (CAMEO or PLOVER to claim types;
events with no claim type are skipped and counted). Every file is streamed line by line;
claims go to the store in batches (common.ClaimSink)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError
from ..models import ActorRef, PartialDate
from .actors import Resolved, by_name, state_by_iso3
from .codes import EventCode, cameo, plover
from .common import BadRow, ClaimSink, open_text, tab_rows

Progress = Callable[[int], None]

# -- the TKG benchmark format --------------------------------------------------------------

# day of timestamp t: (first day, days per unit, first t) by dataset name; README of the data
TKG_CLOCKS = {
    "ICEWS14": (date(2014, 1, 1), 1, 1),
    "ICEWS18": (date(2018, 1, 1), 24, 0),
    "ICEWS05-15": (date(2005, 1, 1), 1, 0),
}
TKG_SPLITS = ("train", "valid", "test")


def tkg_clock(folder: Path) -> tuple[date, int, int]:
    name = folder.name.upper().replace("_", "-")
    for k, v in TKG_CLOCKS.items():
        if name == k:
            return v
    raise SourceError(str(folder), f"unknown TKG dataset {folder.name!r}: no time unit known",
                      hint=f"the folder must be named one of {', '.join(TKG_CLOCKS)}")


def _id_file(path: Path) -> list[str]:
    """``name<TAB>id`` lines to a list indexed by id (names may be CSV-quoted)."""
    names: dict[int, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for n, (name, idx) in enumerate(csv.reader(f, delimiter="\t"), 1):
            try:
                names[int(idx)] = name
            except ValueError:
                raise SourceError(str(path), f"{idx!r} is not an id", line=n) from None
    return [names.get(i, "") for i in range(max(names) + 1)] if names else []


def tkg_files(folder: Path) -> list[Path]:
    files = [folder / f"{s}.txt" for s in TKG_SPLITS if (folder / f"{s}.txt").exists()]
    if not (folder / "entity2id.txt").exists() or not (folder / "relation2id.txt").exists() or not files:
        raise SourceError(str(folder), "not a TKG benchmark folder",
                          hint="expected entity2id.txt, relation2id.txt and train/valid/test.txt")
    return files


def import_tkg(folder: Path, sink: ClaimSink, progress: Progress | None = None) -> None:
    """The facts of train.txt, valid.txt and test.txt; record id "split:line"."""
    files = tkg_files(folder)
    first, unit, t0 = tkg_clock(folder)
    entities = _id_file(folder / "entity2id.txt")
    relations = _id_file(folder / "relation2id.txt")
    actors: list[Resolved | None] = [by_name(e) if e else None for e in entities]
    codes: list[EventCode | None] = [cameo(r) for r in relations]
    days: dict[int, PartialDate] = {}
    done = 0
    name = sink.report.source_name
    for path in files:
        split = path.stem
        with open(path, encoding="utf-8", newline="") as f:
            for n, line in enumerate(f, 1):
                done += len(line)
                if progress and n % 20000 == 0:
                    progress(done)
                parts = line.split()
                if not parts:
                    continue
                sink.report.rows += 1
                try:
                    if len(parts) < 4:
                        raise BadRow(f"expected subject, relation, object and time, found {len(parts)} fields")
                    s, r, o, t = (int(x) for x in parts[:4])
                    if not (0 <= s < len(entities) and 0 <= o < len(entities)):
                        raise BadRow(f"entity id {s if not 0 <= s < len(entities) else o} is not in entity2id.txt")
                    if not 0 <= r < len(relations):
                        raise BadRow(f"relation id {r} is not in relation2id.txt")
                    if t < t0 or (t - t0) % unit:
                        raise BadRow(f"time {t} is not a timestamp of this dataset")
                except ValueError as e:
                    sink.bad(n, f"{path.name}: {e}" if isinstance(e, BadRow) else f"{path.name}: not integers: {line.strip()!r}",
                             source=str(path))
                    continue
                code = codes[r]
                a, b = actors[s], actors[o]
                if not (_type_kept(sink, code) and _pair_kept(sink, a and a.actor.id, b and b.actor.id)):
                    continue
                assert a is not None and b is not None and code is not None
                day = days.get(t)
                if day is None:
                    d = (first + timedelta(days=(t - t0) // unit)).isoformat()
                    day = days[t] = PartialDate(d, "day")
                ev = f"{name} {split}: {entities[s]} | {relations[r]} | {entities[o]} | {day.value}"
                _add(sink, f"{split}:{n}", code, a, b, day, ev)
    if progress:
        progress(done)


def _add(sink: ClaimSink, record: str, code: EventCode, a: Resolved, b: Resolved, day: PartialDate, ev: str,
         confidence: float = 0.6) -> None:
    subj, obj = (b, a) if code.reverse else (a, b)
    sink.add(record=record, type=code.claim_type or "other", subtype=code.subtype, subject=subj.actor,
             object=obj.actor, date=day, modality=code.modality, evidence=ev, confidence=confidence,
             cameo=code.code if code.code[:1].isdigit() else None, plover=code.plover)


# -- header-based tab files (ICEWS, POLECAT) -------------------------------------------------


def _header_rows(path: Path, stream: IO[str], required: tuple[str, ...], layout: str) -> Iterator[tuple[int, dict[str, str]]]:
    rows = tab_rows(stream)
    try:
        _, header = next(rows)
    except StopIteration:
        raise SourceError(str(path), "the file is empty") from None
    header = [h.strip().strip('"').lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(str(path), f"not the {layout} layout: no column {', '.join(missing)}",
                          hint=f"expected a header row with {', '.join(required)}")
    for n, fields in rows:
        if len(fields) != len(header):
            yield n, {"__bad__": f"expected {len(header)} tab-separated fields, found {len(fields)}"}
            continue
        yield n, dict(zip(header, fields))


def _iso_day(v: str) -> PartialDate:
    v = v.strip()
    if len(v) == 8 and v.isdigit():
        v = f"{v[:4]}-{v[4:6]}-{v[6:]}"
    try:
        return PartialDate(date.fromisoformat(v[:10]).isoformat(), "day")
    except ValueError:
        raise BadRow(f"{v!r} is not a date (YYYY-MM-DD)") from None


ICEWS_REQUIRED = ("Event ID", "Event Date", "Source Name", "Source Country", "CAMEO Code", "Target Name",
                  "Target Country")


@lru_cache(maxsize=65536)
def _icews_actor(name: str, country: str) -> Resolved | None:
    r = by_name(name)
    if r is not None:
        return r
    # a person or body diplograph does not know, but ICEWS gives its country
    if country.strip():
        c = by_name(country)
        if c is not None and c.actor.kind == "state":
            return Resolved(c.actor, "other")
    return None


def _event_day(row: dict[str, str]) -> PartialDate:
    """The day of an ICEWS or POLECAT row; a malformed row or one without an Event ID is bad."""
    if "__bad__" in row:
        raise BadRow(row["__bad__"])
    day = _iso_day(row["Event Date"])
    if not row["Event ID"].strip():
        raise BadRow("no Event ID")
    return day


def import_icews(path: Path, stream: IO[str], sink: ClaimSink, progress: Progress | None = None) -> None:
    """ICEWS coded events (.tab, Dataverse layout; record id: Event ID)."""
    for n, row in _header_rows(path, stream, ICEWS_REQUIRED, "ICEWS coded-event"):
        sink.report.rows += 1
        if progress and n % 20000 == 0:
            progress(n)
        try:
            day = _event_day(row)
            code = cameo(row["CAMEO Code"]) if row["CAMEO Code"].strip() else None
            if code is None and row.get("Event Text", "").strip():
                code = cameo(row["Event Text"])
            if code is None and not row["CAMEO Code"].strip():
                raise BadRow("no CAMEO Code")
        except BadRow as e:
            sink.bad(n, str(e))
            continue
        if not _type_kept(sink, code):
            continue
        a = _icews_actor(row["Source Name"], row["Source Country"])
        b = _icews_actor(row["Target Name"], row["Target Country"])
        if not _pair_kept(sink, a and a.actor.id, b and b.actor.id):
            continue
        assert a is not None and b is not None and code is not None
        ev = (f"ICEWS event {row['Event ID']}: {row['Source Name']} | {row.get('Event Text') or code.name} | "
              f"{row['Target Name']} | {day.value}" + (f" ({row['Publisher']})" if row.get("Publisher") else ""))
        _add(sink, row["Event ID"].strip(), code, a, b, day, ev)


POLECAT_REQUIRED = ("Event ID", "Event Date", "Event Type", "Actor Country", "Recipient Country")


def import_polecat(path: Path, stream: IO[str], sink: ClaimSink, progress: Progress | None = None) -> None:
    """POLECAT weekly tab files (PLOVER event type and mode; actors by ISO3 country;
    record id: Event ID)."""
    for n, row in _header_rows(path, stream, POLECAT_REQUIRED, "POLECAT"):
        sink.report.rows += 1
        if progress and n % 20000 == 0:
            progress(n)
        try:
            day = _event_day(row)
            if not row["Event Type"].strip():
                raise BadRow("no Event Type")
        except BadRow as e:
            sink.bad(n, str(e))
            continue
        code = plover(row["Event Type"], row.get("Event Mode"))
        if not _type_kept(sink, code):
            continue
        a = _country(row["Actor Country"], day)
        b = _country(row["Recipient Country"], day)
        if not _pair_kept(sink, a and a.id, b and b.id):
            continue
        assert a is not None and b is not None and code is not None
        ev = (f"POLECAT event {row['Event ID']}: {row.get('Actor Name') or a.name} | {row['Event Type']}"
              + (f"/{row['Event Mode']}" if row.get("Event Mode") else "")
              + f" | {row.get('Recipient Name') or b.name} | {day.value}")
        _add(sink, row["Event ID"].strip(), code, Resolved(a), Resolved(b), day, ev)


def _type_kept(sink: ClaimSink, code: Any) -> bool:
    """Is the event's type one diplograph keeps? When not, the sink counts the skip (checked
    before the actors are looked up, which costs more)."""
    if code is None or code.claim_type is None:
        sink.skip("events of a type diplograph does not keep")
        return False
    return True


def _pair_kept(sink: ClaimSink, a_id: str | None, b_id: str | None) -> bool:
    """Are both actors known and distinct? When not, the sink counts why."""
    if a_id is None or b_id is None:
        sink.skip("events with an actor diplograph does not know")
        return False
    if a_id == b_id:
        sink.skip("events within one actor")
        return False
    return True


def _country(code: str, day: PartialDate) -> ActorRef | None:
    c = code.strip()
    if len(c) != 3:  # POLECAT writes several countries "USA;GBR" when an actor is plural
        return None
    return state_by_iso3(c, day.bounds()[0])


# -- GDELT 2.0 --------------------------------------------------------------------------------

GDELT_COLUMNS = 61
G_ID, G_DAY, G_A1NAME, G_A1CC, G_A1TYPE, G_A2NAME, G_A2CC, G_A2TYPE, G_CODE, G_URL = 0, 1, 6, 7, 12, 16, 17, 22, 26, 60


def import_gdelt(path: Path, stream: IO[str], sink: ClaimSink, progress: Progress | None = None) -> None:
    """GDELT 2.0 event export (no header; 61 columns; record id: GlobalEventID)."""
    for n, f in tab_rows(stream):
        sink.report.rows += 1
        if progress and n % 20000 == 0:
            progress(n)
        try:
            if len(f) != GDELT_COLUMNS:
                raise BadRow(f"expected {GDELT_COLUMNS} tab-separated fields (GDELT 2.0 events), found {len(f)}")
            if not f[G_ID].strip().isdigit():
                raise BadRow(f"GlobalEventID {f[G_ID]!r} is not a number")
            day = _iso_day(f[G_DAY])
            if not f[G_CODE].strip().isdigit():
                raise BadRow(f"EventCode {f[G_CODE]!r} is not a CAMEO code")
        except BadRow as e:
            sink.bad(n, str(e))
            continue
        code = cameo(f[G_CODE])
        if not _type_kept(sink, code):
            continue
        a = _country(f[G_A1CC], day) if f[G_A1CC] else None
        b = _country(f[G_A2CC], day) if f[G_A2CC] else None
        if not _pair_kept(sink, a and a.id, b and b.id):
            continue
        assert a is not None and b is not None and code is not None
        ev = (f"GDELT event {f[G_ID]}: {f[G_A1NAME] or a.name} | CAMEO {f[G_CODE]} {code.name} | "
              f"{f[G_A2NAME] or b.name} | {day.value} | {f[G_URL]}")
        _add(sink, f[G_ID].strip(), code, Resolved(a, f[G_A1TYPE] or None), Resolved(b, f[G_A2TYPE] or None),
             day, ev, confidence=0.5)


def open_stream(path: Path) -> IO[str]:
    return open_text(path)
