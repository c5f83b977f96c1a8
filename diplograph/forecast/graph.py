"""Who could X form a relation with next? An explainable forecast over the stored graph.

For an alliance, the probability comes from a model calibrated on alliance history (the
ATOP backtest, ``forecast.backtest``; the shipped ``diplograph/data/models/
forecast_alliance.json`` says which backtest fitted it, and the answer repeats it): its
features (``forecast.features``) are the treaties in force before the date, each weighted
by its obligation and its number of members ("allies of both"), common allies, former
alliances, new treaty partners of late, the same region, a newly independent state.

shared memberships (organisations of at most 60 members both belong to on the date) are
calibrated too. Facts extracted from articles add to the log-odds with priors set by hand,
which no backtest has tested (there is no dated archive of articles to replay):

- cooperation: asserted cooperative facts between X and the candidate (agreements,
  visits, summits, military cooperation, partnerships, trade...) before the date, each
  weighted by recency (half-life three years), and since when they recur;
- trend: more cooperation in the last two years than in the two before;
- conflict: hostile facts between them count against.

Strategic partnerships and diplomatic relations have no backtest: their scores are the
hand-set priors alone (with "allies of both" counted per shared ally), and the answer says so.
A candidate is a state with at least one reason tied to the pair (a shared ally, a former
alliance, cooperation, a shared membership, conflict); a region alone does not make one.
Speculation found in articles ("only a matter of time before X forms an alliance with Y")
is reported beside the forecast as expert expectation, with its source, and never enters
the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..models import ActorRef
from ..store import Store
from .calibration import Calibration
from .features import FEATURES, pair_features
from .history import REGIONS, History, from_store, year_of

COOPERATIVE = ("agreement_signed", "agreement_ratified", "strategic_partnership", "military_cooperation", "visit",
               "summit_meeting", "diplomatic_relations", "embassy_opened", "arms_transfer", "quantity")
HOSTILE = ("conflict_action",)
STATE_FOR_TYPE = {"alliance": "allied", "strategic_partnership": "strategic_partners",
                  "diplomatic_relations": "diplomatic_relations", "membership": "member_of"}
# Priors for the logistic score (log-odds); see the module docstring. For an alliance only
# the article-based ones apply (cooperation, shared, trend, conflict): the calibration
# replaces the bias and the treaty features.
WEIGHTS = {"bias": -4.0, "cooperation": 1.1, "triad": 0.9, "shared": 0.25, "trend": 0.5, "conflict": -1.5}
PAIR_REASONS = ("triad", "common", "former", "cooperation", "shared", "trend", "conflict")
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
    # how often the backtest's forecasts of this size (its 10 % bin, at the calibration's
    # horizon) came true: above 30 % they came true less often than said
    backtest_rate: float | None = None


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
    calibration: str = ""  # which backtest calibrated the probabilities ("" : hand-set priors only)


def forecast(store: Store, actor: ActorRef, *, type: str = "alliance", at: date, horizon_years: float = 2.0,
             top: int = 10, calibration: Calibration | None = None) -> ForecastAnswer:
    """Rank candidates for a new relation of ``type`` with ``actor`` within the horizon."""
    if type == "membership":
        return forecast_membership(store, actor, at=at, horizon_years=horizon_years, top=top, calibration=calibration)
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
    cal = treaty = None
    if type == "alliance":
        cal = calibration or Calibration.load()
        treaty = _treaty_reasons(from_store(store), actor, at, cal)
        for pid, (ref, _, _) in treaty.items():
            slot(pid, ref.name, "state")
    else:
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
        if cal is not None and treaty is not None:
            base, treaty_reasons = treaty.get(pid, (None, cal.bias, []))[1:]
            calibrated_shared = [r for r in treaty_reasons if r.kind == "shared"]
            for r in reasons:  # the calibrated weight, with the organisations named
                if r.kind == "shared":
                    r.weight = calibrated_shared[0].weight if calibrated_shared else 0.0
            reasons = [r for r in treaty_reasons if r.kind != "shared"] + [r for r in reasons if r.weight]
            logit = base + sum(r.weight for r in reasons if r.kind in _ARTICLE)
            p = float(cal.from_logit(np.array([logit]), horizon_years)[0])
            seen = cal.observed_rate(float(cal.from_logit(np.array([logit]))[0]))
        else:
            logit = WEIGHTS["bias"] + sum(r.weight for r in reasons)
            p = 1 / (1 + math.exp(-logit)) * min(1.0, horizon_years / 2)
            seen = None
        if not any(r.kind in PAIR_REASONS for r in reasons):
            continue
        out.append(Candidate(s["ref"], round(p, 4), reasons, seen))
    out.sort(key=lambda c: (-c.probability, c.partner.name))
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
    if cal is not None:
        note += (f" Probabilities {cal.label()}; the reasons from articles (cooperation, "
                 "trend, conflict) add hand-set priors no backtest has tested.")
    else:
        note += f" No backtest covers {type}: the probabilities are hand-set priors, not calibrated."
    return ForecastAnswer(actor, type, at, horizon_years, out[:top], expectations, n, note,
                          cal.label() if cal is not None else "")


_ARTICLE = ("cooperation", "trend", "conflict")  # added to the calibrated log-odds with hand-set priors


def _treaty_reasons(h: History, actor: ActorRef, at: date, cal: Calibration
                    ) -> dict[str, tuple[ActorRef, float, list[Reason]]]:
    """Per candidate state: (ref, calibrated log-odds from the treaty history, its reasons)."""
    idx = h.index.get(actor.id)
    if idx is None:
        return {}
    t = year_of(at)
    f = pair_features(h, t, rows=np.array([idx]))
    logits = cal.logit(f.x)
    w = f.weights
    live = (h.start < t) & (h.end > t)
    ended = h.end <= t
    out = {}
    for k in range(len(f.i)):
        j = int(f.j[k] if f.i[k] == idx else f.i[k])
        contrib = {name: cal.weights.get(name, 0.0) * f.x[k, c] for c, name in enumerate(FEATURES)}
        reasons = []
        common = np.flatnonzero((w[idx] > 0) & (w[j] > 0))
        if len(common) and (contrib["triad"] or contrib["common"]):
            order = common[np.argsort(-(w[idx, common] * w[j, common]), kind="stable")]
            via = ", ".join(f"{h.states[z].name} ({h.states[z].id})" for z in order[:5])
            more = f" and {len(order) - 5} more" if len(order) > 5 else ""
            facts = [h.facts[r] for z in order[:5] for r in np.flatnonzero(live & (
                ((h.a == min(idx, z)) & (h.b == max(idx, z))) | ((h.a == min(j, z)) & (h.b == max(j, z)))))
                if h.facts and h.facts[r]]
            reasons.append(Reason("triad", f"{len(order)} allies of both, strongest ties first: {via}{more} "
                                  f"(treaty-weighted {math.expm1(f.x[k, FEATURES.index('triad')]):.2f})",
                                  round(float(contrib["triad"] + contrib["common"]), 4), facts[:10]))
        if contrib["former"]:
            rows = np.flatnonzero(ended & (h.a == min(idx, j)) & (h.b == max(idx, j)))
            last = max(h.end[rows]) if len(rows) else None
            reasons.append(Reason("former", "allied before" + (f", until {int(last)}" if last else ""),
                                  round(float(contrib["former"]), 4), [h.facts[r] for r in rows if h.facts and h.facts[r]][:10]))
        if contrib["region"]:
            reasons.append(Reason("region", f"both in {REGIONS.get(int(h.region[j]), 'one region')}",
                                  round(float(contrib["region"]), 4)))
        if contrib["activity"]:
            reasons.append(Reason("activity", "new treaty partners in the five years before "
                                  f"({actor.name} or {h.states[j].name})", round(float(contrib["activity"]), 4)))
        if contrib["young"]:
            reasons.append(Reason("young", "a state that entered the state system in the last five years",
                                  round(float(contrib["young"]), 4)))
        if contrib["shared"]:
            reasons.append(Reason("shared", "shared memberships", round(float(contrib["shared"]), 4)))
        if contrib["degree"] or contrib["attachment"]:
            reasons.append(Reason("allies", "how many allies each already has",
                                  round(float(contrib["degree"] + contrib["attachment"]), 4)))
        out[h.states[j].id] = (h.states[j], float(logits[k]), reasons)
    return out


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


def forecast_membership(store: Store, actor: ActorRef, *, at: date, horizon_years: float = 2.0, top: int = 10,
                        calibration: Calibration | None = None) -> ForecastAnswer:
    """Rank organisations ``actor`` could join within the horizon, with probabilities from
    the membership calibration (the COW IGO backtest) over the store's and the reference
    knowledge's memberships before ``at``."""
    from . import membership as mb

    cal = calibration or Calibration.load(task="membership")
    m = mb.from_store(store)
    idx = m.index.get(actor.id)
    out = []
    if idx is not None and actor.kind == "state":
        t = year_of(at)
        f = mb.pair_features(m, t, rows=np.array([idx]))
        logits = cal.logit(f.x)
        p = cal.from_logit(logits, horizon_years)
        at_fit = cal.from_logit(logits)
        mat = m.matrix(t)
        for r in np.argsort(-p, kind="stable")[:top]:
            k = int(f.k[r])
            reasons = _membership_reasons(m, f, r, idx, k, mat, cal)
            out.append(Candidate(m.orgs[k], round(float(p[r]), 4), reasons, cal.observed_rate(float(at_fit[r]))))
    out.sort(key=lambda c: (-c.probability, c.partner.name))
    expectations = []
    for r in store.discussed(actor.id, types=["accession_membership"]):
        if r["subject_id"] == actor.id and r["object_id"]:
            expectations.append(Expectation(ActorRef(r["object_id"], r["object_name"] or r["object_id"], "organisation"),
                                            r["modality"], r.get("attributed_to"), r.get("evidence_text"),
                                            r.get("evidence_source")))
    n = len(m.s[(m.s == idx) & (m.start < year_of(at))]) if idx is not None else 0
    note = (f"{n} memberships of {actor.name} known before {at.isoformat()}."
            + ("" if actor.kind == "state" else f" {actor.name} is not a state: only states are forecast.")
            + f" Probabilities {cal.label()}.")
    return ForecastAnswer(actor, "membership", at, horizon_years, out, expectations, n, note, cal.label())


def _membership_reasons(m: Any, f: Any, r: int, i: int, k: int, mat: np.ndarray, cal: Calibration) -> list[Reason]:
    """The reasons behind one (state, organisation) candidate, each with its calibrated weight."""
    from .membership import RECENT_YEARS

    x = dict(zip(cal.features, f.x[r]))
    w = {name: cal.weights.get(name, 0.0) * x.get(name, 0.0) for name in cal.features}
    members = int(mat[:, k].sum())
    out = []
    if w.get("partners"):
        close = [z for z in np.argsort(-f.comembers[i], kind="stable") if mat[z, k] and f.comembers[i, z] > 0][:5]
        names = ", ".join(m.states[z].name for z in close)
        out.append(Reason("partners", f"{x['partners']:.0%} of its partners by shared organisations are members"
                          + (f", the closest: {names}" if names else ""), round(float(w["partners"]), 4)))
    if w.get("region"):
        out.append(Reason("region", f"{x['region']:.0%} of the states of {REGIONS.get(int(m.region[i]), 'its region')} "
                          "are members", round(float(w["region"]), 4)))
    if w.get("size"):
        out.append(Reason("size", f"{members} members", round(float(w["size"]), 4)))
    if w.get("growth"):
        out.append(Reason("growth", f"{_count(math.expm1(x['growth']), 'state')} joined in the last "
                          f"{RECENT_YEARS:g} years", round(float(w["growth"]), 4)))
    if w.get("new_org"):
        out.append(Reason("new_org", f"founded in the last {RECENT_YEARS:g} years", round(float(w["new_org"]), 4)))
    if w.get("former"):
        out.append(Reason("former", "a member before", round(float(w["former"]), 4)))
    if w.get("joins"):
        out.append(Reason("joins", f"{m.states[i].name} joined {_count(math.expm1(x['joins']), 'organisation')} in the "
                          f"last {RECENT_YEARS:g} years", round(float(w["joins"]), 4)))
    if w.get("young"):
        out.append(Reason("young", "a state that entered the state system in the last five years",
                          round(float(w["young"]), 4)))
    if w.get("degree"):
        out.append(Reason("degree", f"a member of {_count(mat[i].sum(), 'organisation')}", round(float(w["degree"]), 4)))
    return sorted(out, key=lambda z: -z.weight)


def _count(n: float, noun: str) -> str:
    k = round(n)
    return f"{k} {noun}" + ("" if k == 1 else "s")
