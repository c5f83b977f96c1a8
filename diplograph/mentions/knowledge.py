"""Reference knowledge of actors: states, organisations and accords, groups, office-holders
and memberships over time, read from diplograph/data/actors/ (each record with its source).

Loading parses five small CSV files (about 2,400 rows) once per process, lazily, on the
first call that needs them; it takes a few tens of milliseconds, so there is no compiled cache.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import DataFileError
from ..models import ActorKind, ActorRef, PartialDate

KINDS_BY_FILE = {"states.csv": "state", "organisations.csv": None, "groups.csv": "group"}


def to_date(value: str | PartialDate | date | None, *, end: bool = False) -> date | None:
    """A day for a partial date: ``2025`` is 1 January (or 31 December when ``end``), ``2025-03``
    the first (or last) of March. Intervals use their start (or end). ``None`` stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, PartialDate):
        value = value.value
    if "/" in value:
        a, b = value.split("/", 1)
        value = b if end else a
    parts = value.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return date(y, 12, 31) if end else date(y, 1, 1)
    m = int(parts[1])
    if len(parts) == 2:
        if not end:
            return date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, m, int(parts[2]))


def reference_day(published: PartialDate | date | str | None) -> date | None:
    """The day against which terms and memberships are checked: the middle of a partial
    date's span (a year means 1 July), so a year-only date picks who held office mid-year."""
    if published is None:
        return None
    if isinstance(published, date):
        return published
    a, b = to_date(published), to_date(published, end=True)
    assert a and b
    return date.fromordinal((a.toordinal() + b.toordinal()) // 2)


@dataclass(frozen=True, slots=True)
class Membership:
    """One spell of ``member`` in an organisation or accord: ``[start, end)``, open when end is None."""

    member: str
    organisation: str
    start: str | None
    end: str | None
    status: str
    source: str

    def active(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        s, e = to_date(self.start), to_date(self.end, end=True)
        return (s is None or s <= day) and (e is None or day <= e)

    def to_json(self) -> dict[str, Any]:
        return {"member": self.member, "organisation": self.organisation, "start": self.start,
                "end": self.end, "status": self.status, "source": self.source}


@dataclass(frozen=True, slots=True)
class Term:
    """One term of office: ``person`` acted for ``actor`` as ``role`` from start to end."""

    person_id: str
    name: str
    actor: str
    role: str
    start: str | None
    end: str | None
    source: str

    def active(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        s, e = to_date(self.start), to_date(self.end, end=True)
        return (s is None or s <= day) and (e is None or day <= e)

    def to_json(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "name": self.name, "actor": self.actor,
                "role": self.role, "start": self.start, "end": self.end, "source": self.source}


@dataclass(slots=True)
class Actor:
    """An actor of the reference knowledge: a state, organisation, accord, group or person.

    ``names`` lists every name a text may use (short and official names, former and
    alternative names, acronyms), ``codes`` its ISO 3166 and COW codes, ``memberships`` the
    organisations it belongs to (for an organisation, ``members`` its member spells),
    ``office_holders`` the people who acted for it (for a person, its own terms)."""

    id: str
    kind: ActorKind
    name: str
    official_name: str | None = None
    codes: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    former_capitals: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)  # other cities where events take place (places only)
    epithets: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    source: str = ""
    memberships: list[Membership] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    office_holders: list[Term] = field(default_factory=list)
    group_members: list[str] = field(default_factory=list)  # static groups
    definition: str = ""  # groups: "static" or "members:ORG[+ORG]"
    surname: str | None = None  # persons

    @property
    def names(self) -> list[str]:
        out = [self.name]
        if self.official_name:
            out.append(self.official_name)
        out += [a for a in self.aliases if a not in out]
        return out

    def ref(self) -> ActorRef:
        return ActorRef(self.id, self.name, self.kind)

    def exists(self, day: date | None) -> bool:
        """Whether a state existed on ``day`` (always true without a day or known dates)."""
        if day is None:
            return self.end is None
        s, e = to_date(self.start), to_date(self.end, end=True)
        return (s is None or s <= day) and (e is None or day <= e)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        for k in ("official_name", "start", "end", "surname", "definition"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        if self.codes:
            d["codes"] = self.codes
        for k in ("aliases", "demonyms", "capitals", "former_capitals", "epithets", "group_members"):
            if getattr(self, k):
                d[k] = list(getattr(self, k))
        if self.memberships:
            d["memberships"] = [m.to_json() for m in self.memberships]
        if self.members:
            d["members"] = [m.to_json() for m in self.members]
        if self.office_holders:
            d["office_holders"] = [t.to_json() for t in self.office_holders]
        d["source"] = self.source
        return d


def _split(v: str | None) -> list[str]:
    return [x.strip() for x in (v or "").split(";") if x.strip()]


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("diplograph").joinpath("data", "actors", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass
class Knowledge:
    """Every actor by id, and the terms and memberships that link them."""

    actors: dict[str, Actor]
    persons: dict[str, Actor]
    terms: list[Term]
    memberships: list[Membership]

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id) or self.persons.get(actor_id)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Load the reference knowledge once per process; reports every bad record at once."""
    problems: list[str] = []
    actors: dict[str, Actor] = {}
    for r in _read("states.csv"):
        codes = {k: r[k] for k in ("iso2", "iso3", "cow_code", "cow_abb") if r.get(k)}
        actors[r["id"]] = Actor(
            id=r["id"], kind="state", name=r["name"], official_name=r["official_name"] or None,
            codes=codes, aliases=_split(r["aliases"]), demonyms=_split(r["demonyms"]),
            capitals=_split(r["capitals"]), former_capitals=_split(r["former_capitals"]),
            epithets=_split(r["epithets"]), start=r["start"] or None, end=r["end"] or None,
            source=r["source"],
        )
    for n, r in enumerate(_read("cities.csv"), 2):
        if r["state"] not in actors:
            problems.append(f"cities.csv line {n}: unknown state {r['state']}")
            continue
        actors[r["state"]].cities.append(r["name"])
    for r in _read("organisations.csv"):
        if r["kind"] not in ("organisation", "accord"):
            problems.append(f"organisations.csv {r['id']}: kind {r['kind']!r} is not organisation or accord")
        if r["id"] in actors:  # an organisation named NAM would hide Namibia
            problems.append(f"organisations.csv {r['id']}: id already taken by {actors[r['id']].name}")
        codes = {"cow_igo": r["cow_igo"]} if r.get("cow_igo") else {}
        actors[r["id"]] = Actor(
            id=r["id"], kind=r["kind"], name=r["name"], codes=codes,  # type: ignore[arg-type]
            aliases=_split(r["aliases"]), capitals=_split(r["seat"]),
            start=r["founded"] or None, end=r["ended"] or None, source=r["source"],
        )
    for r in _read("groups.csv"):
        if r["id"] in actors:
            problems.append(f"groups.csv {r['id']}: id already taken by {actors[r['id']].name}")
        actors[r["id"]] = Actor(
            id=r["id"], kind="group", name=r["name"], aliases=_split(r["aliases"]),
            group_members=_split(r["members"]), definition=r["definition"], source=r["source"],
        )
    memberships: list[Membership] = []
    for n, r in enumerate(_read("memberships.csv"), 2):
        m = Membership(r["member"], r["organisation"], r["start"] or None, r["end"] or None,
                       r["status"], r["source"])
        if m.member not in actors or m.organisation not in actors:
            problems.append(f"memberships.csv line {n}: unknown actor {m.member} or {m.organisation}")
            continue
        memberships.append(m)
        actors[m.member].memberships.append(m)
        actors[m.organisation].members.append(m)
    persons: dict[str, Actor] = {}
    terms: list[Term] = []
    for n, r in enumerate(_read("office_holders.csv"), 2):
        if r["actor"] not in actors:
            problems.append(f"office_holders.csv line {n}: unknown actor {r['actor']}")
            continue
        t = Term(r["person_id"], r["name"], r["actor"], r["role"], r["start"] or None,
                 r["end"] or None, r["source"])
        terms.append(t)
        p = persons.get(t.person_id)
        if p is None:
            p = persons[t.person_id] = Actor(
                id=t.person_id, kind="person", name=r["name"], aliases=_split(r["aliases"]),
                surname=r["surname"], source=r["source"],
            )
            p.codes["surname_alone"] = r["surname_alone"]
        p.office_holders.append(t)
        actors[t.actor].office_holders.append(t)
    for g in actors.values():
        for mid in g.group_members:
            if mid not in actors:
                problems.append(f"groups.csv {g.id}: unknown member {mid}")
    if problems:
        raise DataFileError("diplograph/data/actors", problems)
    return Knowledge(actors, persons, terms, memberships)
