"""Alliance history as arrays: the states, and every pair of states a treaty bound, from when
to when, with the treaty, its obligations and its members.

One shape for two sources, so that the backtest and the live forecast score the same way:
``from_atop`` reads the ATOP member-level CSV directly (no text pipeline; a few thousand
rows), ``from_store`` reads the relation states of a store (ATOP imported beside facts
extracted from articles). Times are fractional years (1991.99 is late December 1991).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SourceError
from ..models import ActorRef

# obligation flags (bit i = OBLIGATIONS[i]); an alliance with no coded obligation (one
# extracted from an article: "X and Y are allies") counts as a defence pact
OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation", "entente")
ATOP_FLAGS = {"defense": "defense", "offense": "offense", "neutral": "neutrality", "nonagg": "nonaggression",
              "consul": "consultation"}
NEVER = math.inf


def year_of(d: date | None, *, default: float = NEVER) -> float:
    """A day as a fractional year (None: ``default``)."""
    if d is None:
        return default
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def obligation_bits(names: Any) -> int:
    bits = 0
    for n in names:
        if n in OBLIGATIONS:
            bits |= 1 << OBLIGATIONS.index(n)
    return bits


def region(ccode: int | None) -> int:
    """The COW region a code belongs to (COW numbers states by region): 1 the Americas,
    2 Europe, 3 Africa, 4 the Middle East, 5 Asia, 6 Oceania; 0 unknown."""
    if not ccode:
        return 0
    for top, r in ((200, 1), (400, 2), (600, 3), (700, 4), (900, 5), (1000, 6)):
        if ccode < top:
            return r
    return 0


REGIONS = {1: "the Americas", 2: "Europe", 3: "Africa", 4: "the Middle East", 5: "Asia", 6: "Oceania"}


@dataclass
class History:
    """States (index = position) and treaty-bound pairs (one row per pair and treaty)."""

    states: list[ActorRef]
    region: np.ndarray  # int per state
    born: np.ndarray  # fractional year each state entered the system (-inf unknown)
    died: np.ndarray  # and left it (inf: still)
    a: np.ndarray  # int index of one state of the pair
    b: np.ndarray  # of the other (a < b)
    start: np.ndarray  # fractional year the pair was first bound by the treaty
    end: np.ndarray  # when that ended (inf: in force)
    treaty: np.ndarray  # int id of the treaty (its members make its size)
    obligations: np.ndarray  # bitmask over OBLIGATIONS
    treaty_names: list[str] = field(default_factory=list)
    # per treaty: its members' (state index, entry, exit), to count the members in force
    members: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # per pair row: the store's fact id (store only)
    _spells: np.ndarray | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.states)}

    def active(self, t: float) -> np.ndarray:
        return (self.born <= t) & (self.died > t)

    def shared_memberships(self, t: float, max_size: int = 60) -> np.ndarray:
        """(n, n) number of organisations both states fully belong to at ``t``, among those
        of at most ``max_size`` members (the reference knowledge's dated memberships, as the
        live forecaster reads them: near-universal bodies say nothing about closeness)."""
        from ..mentions.knowledge import knowledge, to_date

        if self._spells is None:
            rows = []
            orgs: dict[str, int] = {}
            idx = self.index
            for m in knowledge().memberships:
                if m.status != "full":
                    continue
                s, e = to_date(m.start), to_date(m.end, end=True)
                rows.append((idx.get(m.member, -1), orgs.setdefault(m.organisation, len(orgs)),
                             year_of(s, default=-NEVER), year_of(e)))
            self._spells = np.array(rows, dtype=float).reshape(-1, 4)
        sp = self._spells
        n = len(self.states)
        live = sp[(sp[:, 2] <= t) & (sp[:, 3] >= t)]
        if not len(live):
            return np.zeros((n, n))
        org = live[:, 1].astype(int)
        size = np.bincount(org)
        live = live[(size[org] <= max_size) & (live[:, 0] >= 0)]
        m = np.zeros((n, int(sp[:, 1].max()) + 1))
        m[live[:, 0].astype(int), live[:, 1].astype(int)] = 1
        return m @ m.T

    def treaty_size(self, t: float) -> np.ndarray:
        """Members of each treaty in force at ``t`` (at least 2)."""
        out = np.empty(len(self.members), dtype=float)
        for k, (_, ent, ex) in enumerate(self.members):
            out[k] = max(2, int(((ent <= t) & (ex > t)).sum()))
        return out


class Builder:
    def __init__(self) -> None:
        from ..mentions.knowledge import knowledge, to_date

        self.states: list[ActorRef] = []
        self.idx: dict[str, int] = {}
        self.regions: list[int] = []
        self.born: list[float] = []
        self.died: list[float] = []
        for a in sorted(knowledge().actors.values(), key=lambda a: a.id):
            if a.kind != "state":
                continue
            code = a.codes.get("cow_code")
            self.idx[a.id] = len(self.states)
            self.states.append(a.ref())
            self.regions.append(region(int(code)) if code and code.isdigit() else 0)
            self.born.append(year_of(to_date(a.start), default=-NEVER))
            self.died.append(year_of(to_date(a.end, end=True)))
        self.rows: list[tuple[int, int, float, float, int, int]] = []
        self.facts: list[str] = []
        self.treaties: dict[str, int] = {}
        self.members: dict[int, list[tuple[int, float, float]]] = {}

    def state(self, ref: ActorRef) -> int:
        if ref.id not in self.idx:  # a state the reference knowledge lacks (store data): keep it
            self.idx[ref.id] = len(self.states)
            self.states.append(ref)
            self.regions.append(0)
            self.born.append(-NEVER)
            self.died.append(NEVER)
        return self.idx[ref.id]

    def treaty(self, name: str) -> int:
        return self.treaties.setdefault(name, len(self.treaties))

    def member(self, treaty: int, state: int, entry: float, exit_: float) -> None:
        self.members.setdefault(treaty, []).append((state, entry, exit_))

    def pair(self, i: int, j: int, start: float, end: float, treaty: int, bits: int, fact: str = "") -> None:
        if i != j and end > start:
            self.rows.append((min(i, j), max(i, j), start, end, treaty, bits))
            self.facts.append(fact)

    def build(self) -> History:
        r = np.array(self.rows, dtype=float).reshape(-1, 6)
        names = sorted(self.treaties, key=self.treaties.__getitem__)
        members = []
        for k in range(len(names)):
            m = np.array(self.members.get(k, []), dtype=float).reshape(-1, 3)
            members.append((m[:, 0].astype(int), m[:, 1], m[:, 2]))
        return History(self.states, np.array(self.regions), np.array(self.born), np.array(self.died),
                       r[:, 0].astype(int), r[:, 1].astype(int), r[:, 2], r[:, 3], r[:, 4].astype(int),
                       r[:, 5].astype(int), names, members, self.facts)


def from_atop(path: str | Path) -> History:
    """Every pair of members of every ATOP treaty phase, with the states diplograph knows
    (COW codes resolved on the dates, as the importer does)."""
    from ..io.actors import cow_spells
    from ..io.common import BadRow, partial_date

    p = Path(path)
    try:
        stream = p.open(newline="", encoding="utf-8")
    except OSError as e:
        raise SourceError(str(p), f"cannot read it ({e.strerror})", hint="give the path of atop5_1m.csv") from None
    need = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase", *ATOP_FLAGS]
    b = Builder()
    by_treaty: dict[int, list[tuple[int, float, float, int]]] = {}
    with stream:
        reader = csv.DictReader(stream)
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(str(p), f"not an ATOP member-level file: no column {', '.join(missing)}",
                              hint="give atop5_1m.csv (one row per member and treaty phase)")
        for n, row in enumerate(reader, start=2):
            try:
                entry = partial_date(row["yrent"], row["moent"], row["dayent"]).bounds()[0]
                ex = None
                if int(float(row["yrexit"] or 0)):
                    ex = partial_date(row["yrexit"], row["moexit"], row["dayexit"]).bounds()[0]
                ccode = int(float(row["member"]))
                key = f"ATOP {int(float(row['atopid']))}" + (f" phase {int(float(row['phase']))}"
                                                              if int(float(row["phase"] or 0)) else "")
                bits = obligation_bits(v for k, v in ATOP_FLAGS.items() if int(float(row[k] or 0)) > 0)
            except (BadRow, ValueError) as e:
                raise SourceError(str(p), f"line {n}: {e}", hint="the file should be ATOP 5.1 as published") from None
            t = b.treaty(key)
            for ref, took, ceased in cow_spells(ccode, entry, ex):
                i = b.state(ref)
                s = year_of(took or entry)
                e = year_of(ceased or ex)
                b.member(t, i, s, e)
                by_treaty.setdefault(t, []).append((i, s, e, bits))
    for t, ms in by_treaty.items():
        for (i, si, ei, bi), (j, sj, ej, bj) in combinations(ms, 2):
            b.pair(i, j, max(si, sj), min(ei, ej), t, bi | bj)
    return b.build()


def from_store(store: Any) -> History:
    """The ``allied`` relation states of a store: a dataset's treaty (ATOP 5.1, COW) from
    its record ids ("atopid:phase:ccodeA:ccodeB"), an article's alliance as a treaty of two."""
    rows = store.allied_links()
    b = Builder()
    for r in rows:
        if (r["a_kind"] or "state") != "state" or (r["b_kind"] or "state") != "state":
            continue
        i = b.state(ActorRef(r["a_id"], r["a_name"] or r["a_id"], "state"))
        j = b.state(ActorRef(r["b_id"], r["b_name"] or r["b_id"], "state"))
        s, e = year_of(r["start_day"]), year_of(r["end_day"])
        bits = obligation_bits((r["subtype"] or "").split("+")) or 1
        treaties = sorted({_treaty_of(x) for x in r["records"] or [] if x and _treaty_of(x)})
        if not treaties:
            t = b.treaty(f"{r['a_id']}-{r['b_id']}")
            b.member(t, i, s, e)
            b.member(t, j, s, e)
            b.pair(i, j, s, e, t, bits, r["fact_id"])
            continue
        for name in treaties:
            t = b.treaty(name)
            b.member(t, i, s, e)
            b.member(t, j, s, e)
            b.pair(i, j, s, e, t, bits, r["fact_id"])
    h = b.build()
    # a member appears once per pair it is in: count each state once per treaty
    h.members = [_dedupe(*m) for m in h.members]
    return h


def _treaty_of(record: str) -> str | None:
    """'ATOP 5.1|3740:0:200:255' -> 'ATOP 3740'; COW 'COW…|123:2:20' -> 'COW 123'."""
    name, _, rec = record.partition("|")
    parts = rec.split(":")
    if len(parts) < 3 or not parts[0].isdigit():
        return None
    if name.upper().startswith("ATOP"):
        return f"ATOP {parts[0]}" + (f" phase {parts[1]}" if parts[1] not in ("0", "") else "")
    return f"{name.split()[0]} {parts[0]}"


def _dedupe(idx: np.ndarray, ent: np.ndarray, ex: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if len(idx) == 0:
        return idx, ent, ex
    out: dict[int, tuple[float, float]] = {}
    for i, s, e in zip(idx.tolist(), ent.tolist(), ex.tolist()):
        s0, e0 = out.get(i, (s, e))
        out[i] = (min(s0, s), max(e0, e))
    keys = sorted(out)
    return (np.array(keys, dtype=int), np.array([out[k][0] for k in keys]), np.array([out[k][1] for k in keys]))
