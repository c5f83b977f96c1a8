"""Who could X form a relation with next? An explainable forecast over the stored graph.

Each candidate's score is a logistic function of a few features a person can check, each
with the facts behind it:

- cooperation: asserted cooperative facts between X and the candidate (agreements,
  visits, summits, military cooperation, partnerships, trade...) before the date, each
  weighted by recency (half-life three years), and since when they recur;
- triad: states allied with both ("allied with Z, and Z is allied with the candidate");
- shared memberships: organisations both belong to on the date (reference data and
  membership facts);
- trend: more cooperation in the last two years than in the two before;
- conflict: hostile facts between them count against.

The weights are priors set by hand (documented below), not fitted: a store built from a
few articles has far too little history to fit them, and the answer says how little it has.
Speculation found in articles ("only a matter of time before X forms an alliance with Y")
is reported beside the forecast as expert expectation, with its source, and never enters
the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import ActorRef
from ..store import Store

COOPERATIVE = ("agreement_signed", "agreement_ratified", "strategic_partnership", "military_cooperation", "visit",
               "summit_meeting", "diplomatic_relations", "embassy_opened", "arms_transfer", "quantity")
HOSTILE = ("conflict_action",)
STATE_FOR_TYPE = {"alliance": "allied", "strategic_partnership": "strategic_partners",
                  "diplomatic_relations": "diplomatic_relations"}
# Priors for the logistic score (log-odds); see the module docstring.
WEIGHTS = {"bias": -4.0, "cooperation": 1.1, "triad": 0.9, "shared": 0.25, "trend": 0.5, "conflict": -1.5}
HALF_LIFE_YEARS = 3.0
LITTLE_HISTORY = 20


@dataclass
class Reason:
    kind: str  # cooperation | triad | shared | trend | conflict
    text: str
    weight: float  # contribution to the log-odds
    facts: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    partner: ActorRef
    probability: float
    reasons: list[Reason]


@dataclass
class Expectation:
    partner: ActorRef
    modality: str
    said_by: str | None
    evidence: str | None
    source: str | None


@dataclass
class ForecastAnswer:
    actor: ActorRef
    type: str
    at: date
    horizon_years: float
    candidates: list[Candidate]
    expectations: list[Expectation]
    history: int  # facts about the actor before the date
    note: str


def forecast(store: Store, actor: ActorRef, *, type: str = "alliance", at: date, horizon_years: float = 2.0,
             top: int = 10) -> ForecastAnswer:
    """Rank candidates for a new relation of ``type`` with ``actor`` within the horizon."""
    state = STATE_FOR_TYPE.get(type, "allied")
    facts = store.facts_for(actor.id, end=at)
    existing = {r["b_id"] if r["a_id"] == actor.id else r["a_id"]
                for r in store.states_as_of(actor.id, states=[state], at=at)}
    allies = {r["b_id"] if r["a_id"] == actor.id else r["a_id"]: r
              for r in store.states_as_of(actor.id, states=["allied"], at=at)}
    feats: dict[str, dict[str, Any]] = {}

    def slot(pid: str, name: str | None, kind: str | None) -> dict[str, Any]:
        return feats.setdefault(pid, {"ref": ActorRef(pid, name or pid, kind or "state"), "coop": 0.0, "coop_facts": [],
                                      "first": None, "recent": 0, "before": 0, "hostile": [], "triad": [], "shared": []})

    for f in facts:
        if f["modality"] != "asserted":
            continue
        other = f["object_id"] if f["subject_id"] == actor.id else f["subject_id"]
        if not other or other == actor.id or f.get("object_kind") not in (None, "state") and f["object_id"] == other:
            continue
        name = f["object_name"] if f["subject_id"] == actor.id else f["subject_name"]
        s = slot(other, name, "state")
        d = f["date_start"]
        if f["type"] in HOSTILE:
            s["hostile"].append(f["id"])
            continue
        if f["type"] not in COOPERATIVE:
            continue
        age = (at - d).days / 365.25 if d else HALF_LIFE_YEARS
        s["coop"] += 0.5 ** (max(0.0, age) / HALF_LIFE_YEARS)
        s["coop_facts"].append(f["id"])
        if d and (s["first"] is None or d < s["first"]):
            s["first"] = d
        if d and age <= 2:
            s["recent"] += 1
        elif d and age <= 4:
            s["before"] += 1
    for z, row in allies.items():
        for r in store.states_as_of(z, states=["allied"], at=at):
            y = r["b_id"] if r["a_id"] == z else r["a_id"]
            if y not in (actor.id, z):
                name = r["b_name"] if r["a_id"] == z else r["a_name"]
                slot(y, name, "state")["triad"].append((z, row["fact_id"], r["fact_id"]))
    my_orgs = _memberships(store, actor.id, at)
    for pid, s in feats.items():
        s["shared"] = sorted(my_orgs & _memberships(store, pid, at))

    out = []
    for pid, s in feats.items():
        if pid in existing or s["ref"].kind != "state":
            continue
        reasons = _reasons(s)
        logit = WEIGHTS["bias"] + sum(r.weight for r in reasons)
        out.append(Candidate(s["ref"], round(1 / (1 + math.exp(-logit)) * min(1.0, horizon_years / 2), 4), reasons))
    out.sort(key=lambda c: -c.probability)
    expectations = []
    for r in store.discussed(actor.id, types=[type]):
        other = r["object_id"] if r["subject_id"] == actor.id else r["subject_id"]
        name = r["object_name"] if r["subject_id"] == actor.id else r["subject_name"]
        if other and other not in existing:
            expectations.append(Expectation(ActorRef(other, name or other, "state"), r["modality"],
                                            r.get("attributed_to"), r.get("evidence_text"), r.get("evidence_source")))
    n = len(facts)
    note = (f"{n} facts about {actor.name} before {at.isoformat()}"
            + (f": too little history for a reliable forecast (fewer than {LITTLE_HISTORY}); treat the ranking as a "
               "list of leads, each with the facts behind it." if n < LITTLE_HISTORY else "."))
    return ForecastAnswer(actor, type, at, horizon_years, out[:top], expectations, n, note)


def _memberships(store: Store, actor_id: str, at: date) -> set[str]:
    from ..mentions.knowledge import knowledge

    orgs = set()
    k = knowledge()
    a = k.actors.get(actor_id)
    for m in getattr(a, "memberships", []) or []:
        if m.status == "full" and m.active(at) and _size(m.organisation, at) <= MAX_SHARED_SIZE:
            orgs.add(m.organisation)
    for r in store.states_as_of(actor_id, states=["member_of"], at=at):
        orgs.add(r["b_id"])
    return orgs


MAX_SHARED_SIZE = 60  # near-universal bodies (UN, IMF) say nothing about closeness


def _size(org: str, at: date) -> int:
    from ..mentions.knowledge import knowledge

    return sum(1 for m in knowledge().memberships if m.organisation == org and m.status == "full" and m.active(at))


def _reasons(s: dict[str, Any]) -> list[Reason]:
    out = []
    if s["coop"] > 0:
        since = f" since {s['first'].year}" if s["first"] else ""
        out.append(Reason("cooperation", f"{len(s['coop_facts'])} cooperative facts{since} "
                          f"(recency-weighted {s['coop']:.1f})", WEIGHTS["cooperation"] * math.log1p(s["coop"]),
                          s["coop_facts"][:10]))
    if s["triad"]:
        via = ", ".join(sorted({z for z, _, _ in s["triad"]}))
        out.append(Reason("triad", f"allied with {via}, which is allied with both",
                          WEIGHTS["triad"] * len({z for z, _, _ in s["triad"]}),
                          [f for _, a, b in s["triad"] for f in (a, b)]))
    if s["shared"]:
        out.append(Reason("shared", f"both members of {', '.join(s['shared'])}", WEIGHTS["shared"] * len(s["shared"])))
    if s["recent"] > s["before"] and s["recent"] >= 2:
        out.append(Reason("trend", f"cooperation rising: {s['recent']} facts in the last two years, "
                          f"{s['before']} in the two before", WEIGHTS["trend"]))
    if s["hostile"]:
        out.append(Reason("conflict", f"{len(s['hostile'])} hostile facts between them", WEIGHTS["conflict"],
                          s["hostile"][:10]))
    return out
