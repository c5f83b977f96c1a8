"""Dataset actors to diplograph actor ids.

* COW numeric codes and abbreviations, ISO 3166 alpha-3 and CAMEO country codes: states,
  the one in existence on the date when a code was reused (COW 365 is the Soviet Union
  until 1991-12-26, Russia after).
* ICEWS names: "Government (Kazakhstan)", "Foreign_Affairs_(Israel)" are the state in
  parentheses acting through a sector (the role); a bare country name is the state; an
  organisation name is the organisation; a person diplograph knows acts for the state
  they held office for. Anything else is unknown (the importer skips and counts it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..mentions.actors import lookup
from ..mentions.knowledge import Actor, knowledge, to_date
from ..models import ActorRef

_SECTOR = re.compile(r"^(?P<role>.+?)[\s_]*\((?P<country>[^()]+)\)$")


@dataclass(frozen=True, slots=True)
class Resolved:
    actor: ActorRef
    role: str | None = None  # "government", "foreign affairs", "president"...


def _exists(a: Actor, day: date | None) -> bool:
    if day is None:
        return a.end is None
    s, e = to_date(a.start), to_date(a.end, end=True)
    return (s is None or s <= day) and (e is None or day <= e)


def _pick(cands: list[Actor], day: date | None) -> Actor | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    alive = [a for a in cands if _exists(a, day)]
    return alive[0] if len(alive) == 1 else None


@lru_cache(maxsize=1)
def _codes() -> tuple[dict[str, list[Actor]], dict[str, list[Actor]], dict[str, list[Actor]]]:
    cow_num: dict[str, list[Actor]] = {}
    cow_abb: dict[str, list[Actor]] = {}
    iso3: dict[str, list[Actor]] = {}
    for a in knowledge().actors.values():
        if a.kind != "state":
            continue
        for table, key in ((cow_num, "cow_code"), (cow_abb, "cow_abb"), (iso3, "iso3")):
            v = a.codes.get(key)
            if v:
                table.setdefault(v.upper(), []).append(a)
    return cow_num, cow_abb, iso3


def state_by_cow(ccode: int | str, day: date | None = None) -> ActorRef | None:
    """The state with this COW numeric code on ``day``."""
    a = _pick(_codes()[0].get(str(int(ccode)), []), day)
    return a.ref() if a else None


def state_by_cow_abb(abb: str, day: date | None = None) -> ActorRef | None:
    """The state with this COW letter code (e.g. "AUS" is Austria in COW, not Australia)."""
    a = _pick(_codes()[1].get(abb.strip().upper(), []), day)
    return a.ref() if a else None


# CAMEO country codes that are not the ISO 3166 alpha-3 code of the same state
_CAMEO_COUNTRY = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "SUD": "SDN"}


def state_by_iso3(code: str, day: date | None = None) -> ActorRef | None:
    """The state with this ISO 3166 alpha-3 (or CAMEO country) code."""
    c = code.strip().upper()
    c = _CAMEO_COUNTRY.get(c, c)
    a = _pick(_codes()[2].get(c, []), day)
    return a.ref() if a else None


@lru_cache(maxsize=65536)
def by_name(name: str) -> Resolved | None:
    """An ICEWS-style actor name to a diplograph actor with its role, or None."""
    name = name.strip().strip('"').replace('""', '"')
    m = _SECTOR.match(name)
    if m:
        state = _state_named(m.group("country"))
        if state is None:
            return None
        return Resolved(state, m.group("role").replace("_", " ").strip().casefold())
    plain = name.replace("_", " ")
    found = lookup(plain)
    tokens = plain.split()
    if not found and len(tokens) >= 3:
        # "Dmitry Anatolyevich Medvedev": a patronymic or middle name we do not list
        found = [a for a in lookup(f"{tokens[0]} {tokens[-1]}") if a.kind == "person"]
    states = [a for a in found if a.kind == "state"]
    if states:
        a = _pick(states, None)
        return Resolved(a.ref()) if a else None
    orgs = [a for a in found if a.kind in ("organisation", "accord")]
    if len(orgs) == 1:
        return Resolved(orgs[0].ref())
    persons = [a for a in found if a.kind == "person"]
    if len(persons) == 1 and _full_name(persons[0], plain):
        terms = persons[0].office_holders
        actors = {t.actor for t in terms}
        if len(actors) == 1:  # acts for one state whatever the date
            k = knowledge()
            st = k.actors[next(iter(actors))]
            roles = sorted({t.role for t in terms})
            return Resolved(st.ref(), roles[-1] if len(roles) == 1 else "official")
    return None


def _full_name(person: Actor, name: str) -> bool:
    # a lone surname ("Kerry") names too many people in a dataset of 20,000 actors
    return " " in name.strip()


@lru_cache(maxsize=4096)
def _state_named(country: str) -> ActorRef | None:
    country = country.replace("_", " ").strip()
    states = [a for a in lookup(country) if a.kind == "state"]
    if not states and "," in country:  # "Palestinian Territory, Occupied", "Korea, North"
        head, tail = (x.strip() for x in country.split(",", 1))
        states = [a for a in lookup(f"{tail} {head}") if a.kind == "state"]
    a = _pick(states, None)
    return a.ref() if a else None


def cow_spells(ccode: int | str, start: date, end: date | None) -> list[tuple[ActorRef, date | None, date | None]]:
    """The states that carried COW code ``ccode`` between ``start`` and ``end`` (None:
    still), each with the day it took over (None: from ``start``) and the day it ceased
    (None: to ``end``). COW 365 from 1990 gives the Soviet Union until 1991-12-26, then
    Russia: a member of a treaty through a state's succession is both, one after the other."""
    out = []
    for a in sorted(_codes()[0].get(str(int(ccode)), []), key=lambda a: to_date(a.start) or date.min):
        s, e = to_date(a.start), to_date(a.end, end=True)
        if (e is not None and e < start) or (end is not None and s is not None and s > end):
            continue
        out.append((a.ref(), s if s is not None and s > start else None,
                    e if e is not None and (end is None or e < end) else None))
    return out
