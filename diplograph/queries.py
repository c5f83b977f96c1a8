"""Answers: the questions analysts ask, as typed records over the store.

Every answer row carries its evidence (the sentence, the document, who said it), and
every function here is wrapped by a Graph method of the same name (api.py), a CLI
command and a REST endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from .facts import find_conflicts, merge_facts
from .models import ActorRef, PartialDate
from .states import derive_states
from .store import Store

RELATION_STATES = ("allied", "strategic_partners", "diplomatic_relations", "member_of")
STATE_CLAIM_TYPE = {
    "allied": "alliance",
    "strategic_partners": "strategic_partnership",
    "diplomatic_relations": "diplomatic_relations",
    "member_of": "accession_membership",
}


@dataclass
class Evidence:
    """A sentence that supports an answer, and where it comes from."""

    doc: str | None
    source: str | None
    title: str | None
    published: str | None
    text: str | None
    start: int | None
    end: int | None
    attributed_to: str | None = None
    source_kind: str | None = None
    dataset: str | None = None

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Evidence:
        g = r.get  # positional, in field order: answers build a hundred of these
        return cls(g("evidence_doc"), g("evidence_source"), g("evidence_title"), g("evidence_published"),
                   g("evidence_text"), g("evidence_start"), g("evidence_end"), g("evidence_attributed_to"),
                   g("evidence_source_kind"), g("evidence_source_name"))


@dataclass
class RelationRow:
    """One relation of an actor as of a date."""

    partner: ActorRef
    state: str
    since: PartialDate | None
    since_known: bool  # False: the start is unknown; it held by the first source's date
    n_sources: int
    confidence: float
    sources: str  # extracted, dataset, or both
    fact: str  # the fact the relation is dated from (its earliest start that holds)
    evidence: Evidence
    # every fact whose state of this relation holds on the date asked: ``n_sources`` counts
    # the distinct sources of all of them (see ``graph.evidence`` for each)
    facts: list[str] = field(default_factory=list)


@dataclass
class DiscussedRow:
    """A relation that is speculated about or planned, not established."""

    partner: ActorRef
    type: str
    modality: str
    attributed_to: str | None
    date: str | None
    evidence: Evidence


@dataclass
class RelationsAnswer:
    actor: ActorRef
    at: date
    states: tuple[str, ...]
    rows: list[RelationRow] = field(default_factory=list)
    discussed: list[DiscussedRow] = field(default_factory=list)

    def frame(self) -> Any:
        """The established relations as a pandas DataFrame."""
        return _frame(self.rows)

    def discussed_frame(self) -> Any:
        return _frame(self.discussed)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class FactRow:
    id: str
    type: str
    subtype: str | None
    subject: ActorRef | None
    object: ActorRef | None
    parties: list[dict[str, Any]] | None
    date: PartialDate | None
    modality: str
    n_sources: int
    confidence: float
    quantity: dict[str, Any] | None
    evidence: Evidence

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> FactRow:
        import json

        q = None
        if r.get("quantity_value") is not None:
            q = {"value": r["quantity_value"], "unit": r["quantity_unit"], "metric": r["quantity_metric"]}
        return cls(
            id=r["id"], type=r["type"], subtype=r.get("subtype"),
            subject=_actor(r, "subject"), object=_actor(r, "object"),
            parties=json.loads(r["parties"]) if r.get("parties") else None,
            date=PartialDate(r["date_value"], r["date_precision"]) if r.get("date_value") else None,
            modality=r["modality"], n_sources=r["n_sources"], confidence=r["confidence"], quantity=q,
            evidence=Evidence.from_row(r),
        )


@dataclass
class ChangesAnswer:
    actor: ActorRef
    start: date
    end: date
    gained: list[RelationRow] = field(default_factory=list)
    lost: list[RelationRow] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class ConflictRow:
    id: str
    kind: str
    reason: str
    facts: list[FactRow]


# -- building the derived tables -------------------------------------------------------


def rebuild(store: Store, *, doc_ids: Sequence[str] | None = None) -> dict[str, int]:
    """Recompute facts, relation states and conflicts from claims: all of them, or only
    what the claims of these documents can change (``Store.derivation_scope``). Plain
    events are derived in bulk SQL (store/derive.py), the rest by the Python reference
    (``merge_facts``, ``derive_states``, ``find_conflicts``); all in one transaction."""
    keys = None if doc_ids is None else store.derivation_scope(doc_ids)
    if keys == []:
        return {"claims": 0, "facts": 0, "states": 0, "conflicts": 0}
    with store.transaction():  # a failure rolls back the staging tables too
        store.stage_derivation(keys)
        facts = merge_facts(store.staged_python_claims())
        states = derive_states(facts, source_date=_source_date(store)) if facts else []
        store.delete_derived(keys)
        store.insert_facts(facts)
        store.insert_states(states)
        dated = store.derive_plain()
        names = store.document_names()
        conflicts = find_conflicts(facts, names=names)
        if dated:  # plain one-time events given several dates: worded by the reference
            conflicts += [c for c in find_conflicts(merge_facts(store.claims_with_keys(dated)), names=names)
                          if c.kind == "dates"]
        store.insert_conflicts(conflicts)
        store.fill_answer_tables(keys)
        counts = store.derived_counts(keys)
        store.end_derivation()
    return counts


def rebuild_reference(store: Store) -> dict[str, int]:
    """Every derived table recomputed claim by claim in Python (what ``rebuild`` must equal;
    tests/test_derive_sql.py compares them)."""
    claims = store.claims_with_keys(None)
    facts = merge_facts(claims)
    states = derive_states(facts, source_date=_source_date(store))
    conflicts = find_conflicts(facts, names=store.document_names())
    with store.transaction():
        store.delete_derived(None)
        store.insert_facts(facts)
        store.insert_states(states)
        store.insert_conflicts(conflicts)
        store.fill_answer_tables(None)
    return {"claims": len(claims), "facts": len(facts), "states": len(states), "conflicts": len(conflicts)}


def _source_date(store: Store) -> Any:
    published = store.first_published()

    def source_date(f: Any) -> date | None:
        days = [published.get(c.doc) for c in f.claims if c.doc in published]
        days = [d for d in days if d is not None]
        return min(days) if days else None

    return source_date


# -- questions ---------------------------------------------------------------------------


def relations(store: Store, actor: ActorRef, *, states: Sequence[str], at: date,
              known_at: datetime | None = None, source: str | None = None) -> RelationsAnswer:
    """The actor's relations of these kinds holding on ``at``, and those only discussed."""
    ans = RelationsAnswer(actor, at, tuple(states))
    held, talk = store.relation_rows(actor.id, states=states, at=at, known_at=known_at, source=source,
                                     discussed=[STATE_CLAIM_TYPE[s] for s in states])
    me = actor.id
    for group in _by_relation(held, lambda r: (r["b_id"] if r["a_id"] == me else r["a_id"], r["state"])):
        r = group[0]  # the earliest start that holds dates the relation
        ans.rows.append(_relation_row(store, group, _actor(r, "b") if r["a_id"] == me else _actor(r, "a")))
    established = {row.partner.id for row in ans.rows}
    for r in talk:
        partner = _actor(r, "object") if r["subject_id"] == me else _actor(r, "subject")
        if partner is None or partner.id in established:
            continue
        ans.discussed.append(DiscussedRow(partner, r["type"], r["modality"], r.get("attributed_to"),
                                          r.get("date_value"), Evidence.from_row(r)))
    return ans


def members(store: Store, org: ActorRef, *, at: date, known_at: datetime | None = None) -> list[RelationRow]:
    return [_relation_row(store, group, _actor(group[0], "a"))  # type: ignore[arg-type]
            for group in _by_relation(store.members_as_of(org.id, at=at, known_at=known_at, days=False),
                                      lambda r: r["a_id"])]


def _by_relation(rows: Sequence[dict[str, Any]], key: Any) -> list[list[dict[str, Any]]]:
    """State rows grouped by relation (partner and kind), in the order of their first row."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        k = key(r)
        g = groups.get(k)
        if g is None:
            groups[k] = [r]
        else:
            g.append(r)
    return list(groups.values())


def _relation_row(store: Store, group: list[dict[str, Any]], partner: ActorRef) -> RelationRow:
    """One relation from the states of it that hold (earliest start first). Several facts can
    start the same relation (an alliance dated by one article, confirmed at a later date by
    another, or left undated by a third): the relation is dated by the earliest, and its
    support is every one of them, so adding a source never lowers the count."""
    r = group[0]
    n_sources, confidence, kinds = r["n_sources"], r["confidence"], r["source_kinds"]
    facts = [r["fact_id"]]
    if len(group) > 1:
        facts = list(dict.fromkeys(g["fact_id"] for g in group))
        rows = list({g["fact_id"]: g for g in group}.values())
        n_sources = len(set().union(*(_sources(store, g) for g in rows)))
        # the facts' claims are disjoint: 1 - prod(1 - c) over all of them, fact by fact
        p = 1.0
        for g in rows:
            p *= 1.0 - (g["confidence"] or 0.0)
        confidence = round(1.0 - p, 4)
        kinds = ",".join(sorted({k for g in rows for k in (g["source_kinds"] or "").split(",") if k}))
    start = r["start_value"]
    return RelationRow(partner, r["state"], _partial_date(start, r["start_precision"]) if start else None,
                       bool(r["start_known"]), n_sources, confidence, kinds, r["fact_id"], Evidence.from_row(r), facts)


def _sources(store: Store, r: dict[str, Any]) -> set[str]:
    """The sources asserting a state's fact (states start from asserted facts only). One
    source is the best claim's; only a fact with several needs its claims read."""
    if r["n_sources"] == 1:
        return {r["evidence_doc"] or r["evidence_source_name"] or "?"}
    return {e["evidence_doc"] or e["evidence_source_name"] or "?"
            for e in store.evidence(r["fact_id"]) if e["modality"] == "asserted"}


def timeline(store: Store, actor: ActorRef, other: ActorRef | None = None, *, types: Sequence[str] | None = None,
             start: date | None = None, end: date | None = None, limit: int | None = None) -> list[FactRow]:
    rows = store.facts_for(actor.id, other.id if other else None, types=types, start=start, end=end, limit=limit)
    return [FactRow.from_row(r) for r in rows if r["modality"] in ("asserted", "negated") or r.get("date_value")]


def changes(store: Store, actor: ActorRef, *, start: date, end: date) -> ChangesAnswer:
    before = relations(store, actor, states=RELATION_STATES, at=start)
    after = relations(store, actor, states=RELATION_STATES, at=end)
    b = {(r.partner.id, r.state) for r in before.rows}
    a = {(r.partner.id, r.state) for r in after.rows}
    return ChangesAnswer(
        actor, start, end,
        gained=[r for r in after.rows if (r.partner.id, r.state) not in b],
        lost=[r for r in before.rows if (r.partner.id, r.state) not in a],
    )


def conflicts(store: Store, actor: ActorRef | None = None, *, limit: int | None = None,
              offset: int = 0) -> list[ConflictRow]:
    import json

    out = []
    rows = store.conflicts_for(actor.id if actor else None)
    for r in rows[offset:offset + limit if limit is not None else None]:
        facts = []
        for fid in json.loads(r["fact_ids"]):
            for row in store.facts_by_ids([fid]):
                facts.append(FactRow.from_row(row))
        out.append(ConflictRow(r["id"], r["kind"], r["reason"], facts))
    return out


# -- helpers -----------------------------------------------------------------------------


_ACTOR_KEYS = {p: (f"{p}_id", f"{p}_name", f"{p}_kind") for p in ("a", "b", "subject", "object")}


def _actor(r: dict[str, Any], prefix: str) -> ActorRef | None:
    id_, name, kind = _ACTOR_KEYS[prefix]
    i = r.get(id_)
    if not i:
        return None
    key = (i, r.get(name) or i, r.get(kind) or "state")
    ref = _REFS.get(key)
    if ref is None:  # ActorRef is frozen: one instance per actor serves every answer
        if len(_REFS) > _KEEP:
            _REFS.clear()
        ref = _REFS[key] = ActorRef(*key)  # type: ignore[arg-type]
    return ref


def _partial_date(value: str, precision: str) -> PartialDate:
    d = _DATES.get((value, precision))
    if d is None:  # frozen too: shared like the actors
        if len(_DATES) > _KEEP:
            _DATES.clear()
        d = _DATES[(value, precision)] = PartialDate(value, precision)  # type: ignore[arg-type]
    return d


# answers name the same actors and dates again and again: building their frozen records
# once each saves part of an as-of answer's Python time
_KEEP = 50_000
_REFS: dict[tuple[str, str, str], ActorRef] = {}
_DATES: dict[tuple[str, str], PartialDate] = {}


def _frame(rows: Sequence[Any]) -> Any:
    import pandas as pd

    flat = []
    for r in rows:
        d = asdict(r)
        out: dict[str, Any] = {}
        for k, v in d.items():
            if isinstance(v, dict) and k in ("partner", "subject", "object"):
                out[k] = v.get("name")
                out[f"{k}_id"] = v.get("id")
            elif isinstance(v, dict) and k in ("since", "date"):
                out[k] = v.get("value")
                out[f"{k}_precision"] = v.get("precision")
            elif isinstance(v, dict) and k == "evidence":
                out["evidence"] = v.get("text")
                out["source"] = v.get("source") or v.get("dataset")
                out["attributed_to"] = out.get("attributed_to") or v.get("attributed_to")
            else:
                out[k] = v
        flat.append(out)
    return pd.DataFrame(flat)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v
