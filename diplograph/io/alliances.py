"""Alliance treaties from member-level files: ATOP 5.1 (``atop5_1m.csv``) and COW Formal
Alliances v4.1 (``alliance_v4.1_by_member.csv``, which the user downloads themselves: its
maintainer asked that software not redistribute it).

Each treaty (ATOP: atopid and phase; COW: version4id) gives, for every pair of its
members, an ``alliance`` claim dated at the later of the two entry dates, its subtype the
obligations either member undertook ("defense+consultation"), and, when a member's exit
is known, an ``other`` claim of subtype "termination" (both left together) or
"withdrawal" (one left) at the earlier exit, so the relation state ends there. Record ids
are "atopid:phase:ccodeA:ccodeB" (ATOP) and "version4id:ccodeA:ccodeB" (COW), with
":exit" for the ending claim. A day or month of 0 or blank means unknown: the date is
then a month or a year."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import IO

from ..models import ActorRef, PartialDate
from .actors import cow_spells
from .common import BadRow, ClaimSink, csv_rows, earlier, later, partial_date

OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation", "entente")


@dataclass
class Member:
    line: int
    ccode: int
    state: ActorRef
    entry: PartialDate
    exit: PartialDate | None
    obligations: frozenset[str]
    label: str = ""  # in record ids: the ccode, with the state when a code was reused

    def __post_init__(self) -> None:
        self.label = self.label or str(self.ccode)


def members_of(sink: ClaimSink, line: int, ccode: int, entry: PartialDate, exit_: PartialDate | None,
               obligations: frozenset[str]) -> list[Member]:
    """A member row as the states that held its COW code over its spell (one, or a state
    and its successor under the same code, e.g. the Soviet Union then Russia)."""
    spells = cow_spells(ccode, entry.bounds()[0], exit_.bounds()[0] if exit_ else None)
    if not spells:
        sink.skip("members whose COW code is no state diplograph knows at that date")
        return []
    out = []
    for state, took_over, ceased in spells:
        out.append(Member(
            line, ccode, state,
            PartialDate(took_over.isoformat(), "day") if took_over else entry,
            PartialDate(ceased.isoformat(), "day") if ceased else exit_,
            obligations, label=f"{ccode}/{state.id}" if len(spells) > 1 else str(ccode),
        ))
    return out


def _rows(stream: IO[str], path: Path, required: Sequence[str]) -> tuple[csv.DictReader, list[str]]:
    reader = csv.DictReader(stream)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        from ..errors import SourceError

        raise SourceError(str(path), f"not the expected layout: no column {', '.join(missing)}",
                          hint=f"the header has {', '.join(header[:12])}...")
    return reader, header


def _pairs(sink: ClaimSink, treaty: str, members: list[Member], *, name: str) -> None:
    """Claims for every pair of a treaty's members."""
    for a, b in combinations(sorted(members, key=lambda m: (m.ccode, m.line)), 2):
        if a.state.id == b.state.id:
            continue  # one state listed twice (an exit and a re-entry): no pair with itself
        start = later(a.entry, b.entry)
        exits = [m.exit for m in (a, b) if m.exit is not None]
        end = None
        if exits:
            end = exits[0] if len(exits) == 1 else earlier(exits[0], exits[1])
            if end.bounds()[0] <= start.bounds()[0]:
                continue  # never members at the same time (one left before the other joined)
        obligations = [o for o in OBLIGATIONS if o in a.obligations | b.obligations]
        rec = f"{treaty}:{a.label}:{b.label}"
        ev = (f"{name} {treaty.replace(':', ' phase ')}: {a.state.name} (entered {a.entry.value}) and "
              f"{b.state.name} (entered {b.entry.value}); obligations: {', '.join(obligations) or 'none coded'}")
        sink.add(record=rec, type="alliance", subject=a.state, object=b.state, date=start,
                 subtype="+".join(obligations) or None, evidence=ev, confidence=0.95)
        if end is None:
            continue
        both = len(exits) == 2 and exits[0].value == exits[1].value
        who = (f"both left on {end.value}" if both else
               f"{(a if a.exit is not None and a.exit.value == end.value else b).state.name} left on {end.value}")
        sink.add(record=rec + ":exit", type="other", subtype="termination" if both else "withdrawal",
                 subject=a.state, object=b.state, date=end, evidence=f"{name} {treaty.replace(':', ' phase ')}: {who}",
                 confidence=0.95)


def _read_members(sink: ClaimSink, reader: csv.DictReader, key: Callable[[dict[str, str]], str],
                  member: Callable[[int, dict[str, str]], list[Member]], progress: Callable[[int], None] | None,
                  name: str) -> None:
    treaties: dict[str, list[Member]] = {}
    order: list[str] = []
    for n, row in csv_rows(reader, sink, progress, every=500):
        try:
            k = key(row)
            m = member(n, row)
        except BadRow as e:
            sink.bad(n, str(e))
            continue
        if not m:
            continue
        if k not in treaties:
            treaties[k] = []
            order.append(k)
        treaties[k].extend(m)
    # a member-level file lists a treaty's members together; read it all before pairing
    # (a few thousand rows: the largest treaty has under a hundred members)
    for k in order:
        _pairs(sink, k, treaties[k], name=name)


def import_atop(path: Path, stream: IO[str], sink: ClaimSink, progress: Callable[[int], None] | None = None) -> None:
    """ATOP 5.1 member-level CSV (atopid, member, yrent/moent/dayent, yrexit/moexit/dayexit,
    phase, defense, offense, neutral, nonagg, consul)."""
    required = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
                "defense", "offense", "neutral", "nonagg", "consul"]
    reader, _ = _rows(stream, path, required)
    flags = {"defense": "defense", "offense": "offense", "neutral": "neutrality", "nonagg": "nonaggression",
             "consul": "consultation"}

    def key(row: dict[str, str]) -> str:
        return f"{_num(row['atopid'], 'atopid')}:{_num(row['phase'] or '0', 'phase')}"

    def member(n: int, row: dict[str, str]) -> list[Member]:
        cc = _num(row["member"], "member")
        entry = partial_date(row["yrent"], row["moent"], row["dayent"])
        exit_ = partial_date(row["yrexit"], row["moexit"], row["dayexit"]) if _num(row["yrexit"] or "0", "yrexit") else None
        obl = frozenset(v for k, v in flags.items() if _num(row[k] or "0", k) > 0)
        return members_of(sink, n, cc, entry, exit_, obl)

    _read_members(sink, reader, key, member, progress, "ATOP 5.1 alliance")


def import_cow_alliance(path: Path, stream: IO[str], sink: ClaimSink,
                        progress: Callable[[int], None] | None = None) -> None:
    """COW Formal Alliances v4.1 member-level CSV: version4id, ccode, the member's start
    (dyad_st_day/month/year, or mem_st_* / all_st_*), its end (left_day/month/year,
    mem_end_*, dyad_end_* or all_end_*; blank, 0 or missing: still in force) and the
    defense, neutrality, nonaggression, entente flags."""
    reader, header = _rows(stream, path, ["version4id", "ccode", "defense", "neutrality", "nonaggression", "entente"])

    def pick(prefixes: Sequence[str]) -> str | None:
        for p in prefixes:
            if f"{p}_year" in header:
                return p
        return None

    st = pick(["mem_st", "dyad_st", "all_st"])
    en = pick(["left", "mem_end", "dyad_end", "all_end"])
    if st is None:
        from ..errors import SourceError

        raise SourceError(str(path), "no start-date columns (dyad_st_year, mem_st_year or all_st_year)")

    def key(row: dict[str, str]) -> str:
        return str(_num(row["version4id"], "version4id"))

    def member(n: int, row: dict[str, str]) -> list[Member]:
        cc = _num(row["ccode"], "ccode")
        entry = partial_date(row[f"{st}_year"], row.get(f"{st}_month") or 0, row.get(f"{st}_day") or 0)
        exit_ = None
        if en and _num(row.get(f"{en}_year") or "0", f"{en}_year"):
            exit_ = partial_date(row[f"{en}_year"], row.get(f"{en}_month") or 0, row.get(f"{en}_day") or 0)
        obl = frozenset(k for k in ("defense", "neutrality", "nonaggression", "entente")
                        if _num(row[k] or "0", k) > 0)
        return members_of(sink, n, cc, entry, exit_, obl)

    _read_members(sink, reader, key, member, progress, "COW Formal Alliances v4.1 alliance")


def _num(v: str, col: str) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        raise BadRow(f"column {col}: {v!r} is not a number") from None
