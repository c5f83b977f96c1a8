"""Merging claims into facts, and finding contradictions.

Two claims are about the same event when they have the same type and parties (unordered
for symmetric types), the same subtype where it names the event (an agreement's topic,
the kind of an `other` event), and compatible dates: one date is a prefix of the other
("2005-11" and "2005-11-14"), or one of them is unknown. The most precise date wins and
remembers which claim gave it.

Contradictions are kept and shown, never resolved: a one-time event given two
incompatible dates, two asserted figures with different values for the same parties,
unit and period (a forecast is not compared, nor a figure with no period), an event
asserted by one source and denied by another."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import ActorRef, Claim, PartialDate

SYMMETRIC = {"alliance", "strategic_partnership", "diplomatic_relations", "agreement_signed",
             "summit_meeting", "military_cooperation"}
# Events that happen once between the same parties: two dates are a contradiction.
ONE_TIME = {"alliance", "strategic_partnership", "diplomatic_relations", "embassy_opened",
            "accession_membership"}
# Types whose subtype tells events apart (the topic of an agreement, the kind of event).
SUBTYPED = {"agreement_signed", "other", "arms_transfer", "diplomatic_relations", "agreement_ratified"}
# When claims about one event disagree in modality, the fact takes the first listed.
MODALITY_ORDER = ("asserted", "negated", "planned", "speculative")
PRECISION_RANK = {None: 0, "year": 1, "interval": 1, "month": 2, "day": 3}


@dataclass
class Fact:
    """One real-world event (or state of affairs) and every claim that supports it."""

    id: str
    key: str
    type: str
    subject: ActorRef | None
    object: ActorRef | None
    parties: list[ActorRef] | None
    subtype: str | None
    date: PartialDate | None
    date_claim: str | None  # the claim whose date is used
    modality: str
    claims: list[Claim] = field(default_factory=list)
    quantity: dict[str, Any] | None = None

    @property
    def n_claims(self) -> int:
        return len(self.claims)

    @property
    def support(self) -> list[Claim]:
        """The claims that state the fact as the fact has it: an asserted fact is supported
        by the sources that assert it, not by one that only speculates about it or denies
        it (those stay among its claims, and a denial makes a conflict)."""
        return [c for c in self.claims if c.modality == self.modality]

    @property
    def sources(self) -> list[str]:
        """Distinct documents (or datasets) that support the fact."""
        return sorted({c.doc or (c.codes or {}).get("source") or "?" for c in self.support})

    @property
    def n_sources(self) -> int:
        return len(self.sources)

    @property
    def confidence(self) -> float:
        # independent sources: 1 - prod(1 - c)
        p = 1.0
        for c in self.support:
            p *= 1.0 - max(0.0, min(0.99, c.confidence))
        return round(1.0 - p, 4)

    def best_claim(self) -> Claim:
        """The claim to show as evidence: same modality as the fact, most precise date,
        highest confidence."""
        return max(self.claims, key=lambda c: (c.modality == self.modality,
                                               PRECISION_RANK.get(c.date.precision if c.date else None, 0),
                                               c.confidence))

    def actor_ids(self) -> list[str]:
        if self.parties:
            return [p.id for p in self.parties]
        return [a.id for a in (self.subject, self.object) if a is not None]


@dataclass
class Conflict:
    """Claims or facts that cannot all be right, and why they are flagged."""

    id: str
    kind: str  # dates | values | modality
    reason: str
    key: str
    facts: list[Fact]
    claims: list[Claim]


def fact_key(c: Claim) -> str:
    """The identity of the event a claim is about, dates aside."""
    if c.parties:
        parties = sorted(p.id for p in c.parties)
    else:
        ids = [c.subject.id if c.subject else "", c.object.id if c.object else ""]
        parties = sorted(ids) if c.type in SYMMETRIC else ids
    parts = [c.type, *parties]
    if c.type in SUBTYPED:
        parts.append(c.subtype or "")
    if c.type == "quantity":
        q = c.quantity or {}
        parts += [str(q.get("unit") or ""), str(q.get("metric") or "")]
    return "|".join(parts)


def _compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    if "/" in a.value or "/" in b.value:
        a0, a1 = a.bounds()
        b0, b1 = b.bounds()
        return a0 <= b1 and b0 <= a1
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _same_value(a: Claim, b: Claim) -> bool:
    va = (a.quantity or {}).get("value")
    vb = (b.quantity or {}).get("value")
    if va is None or vb is None:
        return va == vb
    return abs(va - vb) <= 0.01 * max(abs(va), abs(vb))


def merge_facts(claims: Iterable[Claim]) -> list[Fact]:
    """Group claims into facts. Deterministic: the same claims give the same facts (ids
    are hashes of the key and the claims' ids)."""
    by_key: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[fact_key(c)].append(c)
    facts: list[Fact] = []
    for key, group in by_key.items():
        facts.extend(_cluster(key, group))
    facts.sort(key=lambda f: (f.date.bounds()[0] if f.date else _FAR, f.key))
    return facts


def _cluster(key: str, claims: list[Claim]) -> list[Fact]:
    """Split one key's claims into events by date compatibility (and value, for quantities).

    Adding a claim must never take support away from an event others already support: a
    vaguer date that fits several events joins the earliest of them (not whichever came
    first), and an undated claim of a one-time event (an alliance is established once) joins
    the earliest dated event it fits, however many there are, so a later confirming
    source does not set it adrift."""
    dated = sorted((c for c in claims if c.date is not None),
                   key=lambda c: -PRECISION_RANK.get(c.date.precision if c.date else None, 0))
    undated = [c for c in claims if c.date is None]
    clusters: list[list[Claim]] = []
    for c in dated:
        fits = [cl for cl in clusters
                if _compatible(cl[0].date, c.date) and (c.type != "quantity" or _same_value(cl[0], c))]
        if fits:
            _earliest(fits).append(c)
        else:
            clusters.append([c])
    for c in undated:
        # an undated sentence is not evidence of a dated dataset record (a 1993 treaty in
        # ATOP): it joins only events that some article dates; nor does a claim that
        # something is so take the date of a plan, a speculation or a denial of it
        fits = [cl for cl in clusters if (c.type != "quantity" or _same_value(cl[0], c))
                and (not c.doc or any(x.doc for x in cl))
                and (c.modality != "asserted" or any(x.modality == "asserted" for x in cl))]
        if len(fits) == 1 or (fits and c.type in ONE_TIME):
            _earliest(fits).append(c)
        else:
            # several dated events of a recurring kind (or none): an undated claim is its
            # own, undated fact; undated claims with the same value stay together
            for cl in clusters:
                if cl[0].date is None and (c.type != "quantity" or _same_value(cl[0], c)):
                    cl.append(c)
                    break
            else:
                clusters.append([c])
    return [_fact(key, cl) for cl in clusters]


def _earliest(clusters: list[list[Claim]]) -> list[Claim]:
    """Of several dated events, the one that starts first (the first made, on a tie)."""
    return min(clusters, key=lambda cl: cl[0].date.bounds()[0] if cl[0].date else _FAR)


def _fact(key: str, cl: list[Claim]) -> Fact:
    best_date = max(cl, key=lambda c: (PRECISION_RANK.get(c.date.precision if c.date else None, 0), c.confidence))
    modality = min((c.modality for c in cl), key=MODALITY_ORDER.index)
    rep = max(cl, key=lambda c: (c.modality == modality, c.confidence))
    fid = "F" + hashlib.sha1((key + "|" + "|".join(sorted(c.id or "" for c in cl))).encode()).hexdigest()[:12]
    return Fact(
        id=fid, key=key, type=rep.type, subject=rep.subject, object=rep.object, parties=rep.parties,
        subtype=rep.subtype, date=best_date.date, date_claim=best_date.id if best_date.date else None,
        modality=modality, claims=sorted(cl, key=lambda c: (c.doc or "", c.evidence_start or 0)),
        quantity=rep.quantity,
    )


def find_conflicts(facts: Sequence[Fact], *, names: dict[str, str] | None = None) -> list[Conflict]:
    """Contradictions among facts and within them (see the module docstring). ``names``
    maps document ids to what the reasons should call them (their source)."""
    names = names or {}

    def src(f: Fact) -> str:
        return ", ".join(names.get(s, s) for s in f.sources)

    out: list[Conflict] = []
    by_key: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_key[f.key].append(f)
    for key, group in by_key.items():
        t = group[0].type
        dated = [f for f in group if f.date is not None and f.modality == "asserted"]
        # a dataset lists each treaty or membership spell as its own record: several dates
        # between the same parties there are several events, not a contradiction
        if t in ONE_TIME and len(dated) > 1 and any(c.doc for f in dated for c in f.claims):
            dates = ", ".join(f"{f.date.value} ({src(f)})" for f in dated if f.date)
            out.append(_conflict("dates", f"one-time event given different dates: {dates}", key, dated))
    # asserted vs negated within one event
    for f in facts:
        mods = {c.modality for c in f.claims}
        if "asserted" in mods and "negated" in mods:
            yes = sorted({names.get(c.doc or "?", c.doc or "?") for c in f.claims if c.modality == "asserted"})
            no = sorted({names.get(c.doc or "?", c.doc or "?") for c in f.claims if c.modality == "negated"})
            out.append(_conflict("modality", f"asserted by {', '.join(yes)} and denied by {', '.join(no)}",
                                 f.key, [f]))
    # quantities: asserted figures for the same parties, unit and period, different values.
    # A forecast, a target or a hedged estimate is not a figure anyone reported, and a
    # figure with no period cannot be set against one: it may be for any year.
    q_groups: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.type == "quantity" and f.quantity and f.modality == "asserted" and f.date is not None:
            ids = [f.subject.id if f.subject else "", f.object.id if f.object else ""]
            start, end = f.date.bounds()
            q_groups[(*ids, str(f.quantity.get("unit")), start.isoformat(), end.isoformat())].append(f)
    for gkey, group in q_groups.items():
        key = "|".join(gkey[:3])
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if _values_agree(a.quantity or {}, b.quantity or {}):
                    continue
                out.append(_conflict("values", _value_reason(a, b, src), key, [a, b]))
    return out


def _values_agree(qa: dict[str, Any], qb: dict[str, Any]) -> bool:
    """Within 1%, or inside each other's range ("between 15,000 and 20,000" keeps both ends)."""
    va, vb = qa.get("value"), qb.get("value")
    if va is None or vb is None:
        return True
    lo_a, hi_a = sorted((va, qa.get("high") if qa.get("high") is not None else va))
    lo_b, hi_b = sorted((vb, qb.get("high") if qb.get("high") is not None else vb))
    tol = 0.01 * max(abs(lo_a), abs(hi_a), abs(lo_b), abs(hi_b))
    return lo_a <= hi_b + tol and lo_b <= hi_a + tol


def _value_reason(a: Fact, b: Fact, src: Any) -> str:
    qa, qb = a.quantity or {}, b.quantity or {}
    period = a.date.value if a.date else "no period given"
    parts = [f"{_fmt(qa)} ({src(a)}) vs {_fmt(qb)} ({src(b)}), both for {period}"]
    if qa.get("metric") != qb.get("metric"):
        parts.append(f"measures differ ({qa.get('metric')} vs {qb.get('metric')}): may be different measures")
    return "different values for the same parties and period: " + "; ".join(parts)


def _fmt(q: dict[str, Any]) -> str:
    v, high = q.get("value"), q.get("high")
    unit = q.get("unit") or ""
    if not isinstance(v, (int, float)):
        return str(v)
    if unit == "percent":
        return f"{v:g}-{high:g}%" if isinstance(high, (int, float)) else f"{v:g}%"
    shown = f"{v:,.0f}-{high:,.0f}" if isinstance(high, (int, float)) else f"{v:,.0f}"
    return f"{shown} {unit}".strip()


def _conflict(kind: str, reason: str, key: str, facts: list[Fact]) -> Conflict:
    cid = "C" + hashlib.sha1((kind + key + "|".join(f.id for f in facts)).encode()).hexdigest()[:12]
    claims = [c for f in facts for c in f.claims]
    return Conflict(cid, kind, reason, key, list(facts), claims)


_FAR = PartialDate("9999", "year").bounds()[0]
