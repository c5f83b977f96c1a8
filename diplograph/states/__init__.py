"""Relation states: intervals [start, end) during which a relation held, derived from facts.

| state | started by (asserted) | ended by |
| allied | alliance | other/withdrawal, other/termination between the two |
| strategic_partners | strategic_partnership | |
| diplomatic_relations | diplomatic_relations | diplomatic_relations with subtype severed |
| member_of | accession_membership | other/withdrawal or other/suspension from the organisation |

A state whose start is unknown starts, for as-of questions, at the earliest publication
(or record) date of its sources: we know it held by then. An imported exit (ATOP, COW)
ends only the states of the same treaty or organisation spell (its record's first part):
leaving one treaty does not end an alliance under another. Pure functions; no store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..facts import Fact
from ..models import ActorRef, Claim, PartialDate

STATE_OF_TYPE = {
    "alliance": "allied",
    "strategic_partnership": "strategic_partners",
    "diplomatic_relations": "diplomatic_relations",
    "accession_membership": "member_of",
}
SYMMETRIC_STATES = {"allied", "strategic_partners", "diplomatic_relations"}


@dataclass
class RelationState:
    """A relation between two actors over an interval of world time."""

    id: str
    state: str
    a: ActorRef  # the member, for member_of
    b: ActorRef  # the organisation, for member_of
    start: PartialDate | None  # as the sources give it
    start_day: date | None  # first day it surely held (None: unknown and no source date)
    start_known: bool  # False when the start is only "by the date of the first source"
    end: PartialDate | None
    end_day: date | None
    fact: Fact
    ended_by: Fact | None = None

    def holds_at(self, day: date) -> bool:
        if self.start_day is None or self.start_day > day:
            return False
        return self.end_day is None or day < self.end_day


def derive_states(facts: Sequence[Fact], *, source_date: Callable[[Fact], date | None] | None = None) -> list[RelationState]:
    """Relation states from asserted facts, each ended by a later terminating fact.

    :param source_date: for a fact with no date, the day we know it held by (e.g. the
        earliest publication date of its documents); None leaves its start unknown.
    """
    states: list[RelationState] = []
    # enders by the pair of actors they concern: imported datasets give tens of thousands
    enders: dict[frozenset[str], list[Fact]] = {}
    for f in facts:
        if _ends(f) is not None and f.modality == "asserted":
            enders.setdefault(frozenset(f.actor_ids()), []).append(f)
    # the undated reports of each relation's event, whichever of its dated events merging
    # put them in (the earliest that fits): a report says the relation held by the time it
    # was written, whatever the date of the event it is counted with
    undated_of: dict[str, list[Claim]] = {}
    for f in facts:
        if f.type in STATE_OF_TYPE and f.modality == "asserted":
            undated_of.setdefault(f.key, []).extend(c for c in f.support if c.date is None)
    for f in facts:
        kind = STATE_OF_TYPE.get(f.type)
        if kind is None or f.modality != "asserted":
            continue
        if kind == "diplomatic_relations" and f.subtype == "severed":
            continue
        a, b = f.subject, f.object
        if a is None or b is None:
            continue
        if kind in SYMMETRIC_STATES and b.id < a.id:
            a, b = b, a
        start = f.date
        if f.date is not None:
            # a month or year start counts from its first day; answers show the precision
            start_day, known = f.date.bounds()[0], True
            # an undated report of the relation says it held by the time it was written:
            # a date after that (a misread plan, say) cannot push the start later. That
            # holds for every dated event the report could be counted with (merge's fit
            # rule: an article's report is not evidence of a dataset-only record), not
            # only the one it is: otherwise an older event arriving takes the report away
            # from a later one, which then starts later and loses its sources in between
            undated = [c for c in undated_of.get(f.key, [])
                       if not c.doc or any(x.doc for x in f.claims)]
            held_by = source_date(replace(f, claims=undated)) if undated and source_date else None
            if held_by is not None and held_by < start_day:
                start, start_day, known = None, held_by, False
        else:
            start_day, known = (source_date(f) if source_date else None), False
        end_fact = _first_ender(f, kind, a, b, enders.get(frozenset((a.id, b.id)), []), start_day)
        end_day = end_fact.date.bounds()[0] if end_fact and end_fact.date else None
        sid = "S" + hashlib.sha1(f"{kind}|{a.id}|{b.id}|{f.id}".encode()).hexdigest()[:12]
        states.append(RelationState(sid, kind, a, b, start, start_day, known,
                                    end_fact.date if end_fact else None, end_day, f, end_fact))
    return _collapse(states)


def _ends(f: Fact) -> str | None:
    if (f.type == "diplomatic_relations" and f.subtype == "severed") or (f.type == "other" and f.subtype == "severance"):
        return "diplomatic_relations"
    if f.type == "other" and f.subtype in ("withdrawal", "suspension", "termination"):
        return "any"
    return None


def _treaties(f: Fact) -> set[str]:
    """The dataset records (treaty or organisation spell) a fact's imported claims come
    from: "ATOP 5.1|3740" for ATOP record "3740:0:365:704". Empty for extracted facts."""
    out = set()
    for c in f.claims:
        rec, src = (c.codes or {}).get("record"), (c.codes or {}).get("source")
        if rec and src:
            out.add(f"{src}|{str(rec).split(':', 1)[0]}")
    return out


def _first_ender(f: Fact, kind: str, a: ActorRef, b: ActorRef, enders: list[Fact], start: date | None) -> Fact | None:
    best: Fact | None = None
    mine = _treaties(f) if enders else set()
    for e in enders:
        if e.date is None:
            continue
        theirs = _treaties(e)
        if mine and theirs and not mine & theirs:
            # a dataset's exit from one treaty does not end an alliance under another
            continue
        ids = set(e.actor_ids())
        if ids != {a.id, b.id}:
            continue
        what = _ends(e)
        if what == "diplomatic_relations" and kind != "diplomatic_relations":
            continue
        if what == "any" and kind == "diplomatic_relations":
            continue
        d = e.date.bounds()[0]
        if start is not None and d <= start:
            continue
        if best is None or d < best.date.bounds()[0]:  # type: ignore[union-attr]
            best = e
    return best


def _collapse(states: list[RelationState]) -> list[RelationState]:
    """Several facts starting the same relation (an alliance at two dates, say) overlap:
    keep them all, the as-of query reports the earliest start that holds."""
    return sorted(states, key=lambda s: (s.state, s.a.id, s.b.id, s.start_day or date.max))
