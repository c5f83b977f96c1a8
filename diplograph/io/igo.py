"""COW Intergovernmental Organizations v3 membership spells (the manyios repackaging,
``cow_igo_v3_membership_spells_manyios.csv``: stateID, StateName, igoID, Title, cowigoNR,
Beg, End; full membership only, years only).

Each spell of a state in an organisation diplograph knows (by its COW ``ioname`` in
organisations.csv, or its name) is an ``accession_membership`` claim dated at ``Beg``, and
an ``other``/"withdrawal" claim at ``End`` + 1 when ``End`` is before 2014, the data's
last year (a spell reaching 2014 is ongoing as far as the data know). Organisations
diplograph does not know are skipped and counted."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO

from ..errors import SourceError
from ..mentions.actors import lookup
from ..mentions.knowledge import knowledge
from ..models import ActorRef, PartialDate
from .actors import state_by_cow_abb, state_by_iso3
from .common import BadRow, ClaimSink, csv_rows

DATA_END = 2014
REQUIRED = ("stateID", "igoID", "Beg", "End")


@lru_cache(maxsize=1)
def _orgs_by_cow() -> dict[str, ActorRef]:
    return {a.codes["cow_igo"].upper(): a.ref() for a in knowledge().actors.values() if a.codes.get("cow_igo")}


def organisation(ioname: str, title: str = "") -> ActorRef | None:
    """The diplograph organisation for a COW IGO ``ioname`` (or its title)."""
    org = _orgs_by_cow().get(ioname.strip().upper())
    if org:
        return org
    for q in (title, title.split("(")[0]):
        found = [a for a in lookup(q) if a.kind in ("organisation", "accord")] if q.strip() else []
        if len(found) == 1:
            return found[0].ref()
    return None


# StateName -> the code to read (ISO 3166 first, then COW), where the manyios stateID is
# blank ("domrepublic"), joins two ("GIN - GNQ"), or stands for a predecessor too (DEU for
# "egermany", CZE for "czechoslovakia"); "" for a state diplograph does not know
_BY_NAME = {"domrepublic": "DOM", "soafrica": "ZAF", "car": "CAF", "sierraleone": "SLE", "stlucia": "LCA",
            "etimor": "TLS", "eqguinea": "GNQ", "guineabissau": "GNB", "papuanewguinea": "PNG", "sosudan": "SSD",
            "czechoslovakia": "CSK", "egermany": "GDR", "nokorea": "PRK", "austriahungary": "AUT",
            "svietnam": "", "nyemen": "", "syemen": ""}


def state_of(row: dict[str, str], day: date) -> ActorRef | None:
    """The state of a spell row on ``day``. The manyios stateID is an ISO 3166 code where
    one exists (AUS is Australia, not COW's Austria), else a COW one (ALG, KOS); the rows
    it leaves blank, doubles or shares with a predecessor go by StateName."""
    code = _BY_NAME.get((row.get("StateName") or "").strip().lower())
    if code is None:
        code = (row.get("stateID") or "").split(" - ")[-1].strip()
    if not code:
        return None
    return state_by_iso3(code, day) or state_by_cow_abb(code, day)


def import_cow_igo(path: Path, stream: IO[str], sink: ClaimSink, progress: Callable[[int], None] | None = None) -> None:
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(str(path), f"not the COW IGO membership-spells layout: no column {', '.join(missing)}",
                          hint="expected stateID, StateName, igoID, Title, cowigoNR, Beg, End")
    for n, row in csv_rows(reader, sink, progress, every=2000):
        try:
            beg, end = _year(row["Beg"], "Beg"), _year(row["End"], "End")
            if end < beg:
                raise BadRow(f"End {end} is before Beg {beg}")
        except BadRow as e:
            sink.bad(n, str(e))
            continue
        org = organisation(row["igoID"], row.get("Title") or "")
        if org is None:
            sink.skip("spells in organisations diplograph does not know")
            continue
        state = state_of(row, PartialDate(f"{beg:04d}", "year").bounds()[0])
        if state is None:
            sink.skip("spells of states diplograph does not know")
            continue
        rec = f"{row['igoID']}:{row['stateID']}:{beg}"
        title = row.get("Title") or row["igoID"]
        sink.add(record=rec, type="accession_membership", subject=state, object=org,
                 date=PartialDate(f"{beg:04d}", "year"), confidence=0.95,
                 evidence=f"COW IGO v3: {state.name} a full member of {title} from {beg}"
                          + (f" to {end}" if end < DATA_END else ""))
        if end < DATA_END:
            sink.add(record=rec + ":exit", type="other", subtype="withdrawal", subject=state, object=org,
                     date=PartialDate(f"{end + 1:04d}", "year"), confidence=0.9,
                     evidence=f"COW IGO v3: {state.name} a full member of {title} until {end}")


def _year(v: str, col: str) -> int:
    try:
        y = int(float(v))
    except (TypeError, ValueError):
        raise BadRow(f"column {col}: {v!r} is not a year") from None
    if not 1800 <= y <= 2100:
        raise BadRow(f"column {col}: {y} is not a plausible year")
    return y
