"""What changed in the graph because of new documents, as alerts.

Before the new documents' claims are derived, ``snapshot`` reads the derived state of the
actors they touch (relation states, conflicts, speculative and planned facts); after,
again; ``changes`` is what the second has and the first had not. Each change has a key
that names it (``began|allied|KAZ|KGZ|2025-03-03``), so the same change is announced once
however often it is seen (the store keeps the keys of the alerts raised).

An alert is a plain JSON object: its kind, the relation or claim type, the actors, the
date, the modality, how many sources, the fact, the evidence sentence and the document
(its URL when it came from the web)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..store import Store

STATE_TYPE = {"allied": "alliance", "strategic_partners": "strategic_partnership",
              "diplomatic_relations": "diplomatic_relations", "member_of": "accession_membership"}
BEGAN = {"allied": "{a} and {b} became allies", "strategic_partners": "{a} and {b} became strategic partners",
         "diplomatic_relations": "{a} and {b} established diplomatic relations", "member_of": "{a} joined {b}"}
ENDED = {"allied": "the alliance of {a} and {b} ended", "strategic_partners": "the strategic partnership of {a} and {b} ended",
         "diplomatic_relations": "{a} and {b} broke off diplomatic relations", "member_of": "{a} left {b}"}


def touched_actors(store: Store, doc_ids: Sequence[str]) -> list[str] | None:
    """The actors whose derived state these documents' claims can change (None: all, when
    a full derivation is pending)."""
    if "*" in doc_ids:
        return None
    keys = store.fact_keys_of_docs([d for d in doc_ids if d != "*"])
    return sorted({part for k in keys for part in k.split("|")[1:3] if part})


def snapshot(store: Store, actors: Sequence[str] | None) -> dict[str, dict[str, Any]]:
    """The changes that could be announced about these actors as things stand, by key."""
    if actors is not None and not actors:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for s in store.states_of_actors(actors):
        began = _relation(s, "relation_began")
        out.setdefault(began["key"], began)
        if s.get("ended_by"):
            ended = _relation(s, "relation_ended")
            out.setdefault(ended["key"], ended)
    for f in store.discussed_facts_of_actors(actors):
        a = _discussed(f)
        out.setdefault(a["key"], a)
    for c in store.conflicts_with_facts(actors):
        a = _conflict(c)
        out.setdefault(a["key"], a)
    return out


def changes(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What ``after`` has that ``before`` had not, in a stable order."""
    return [after[k] for k in sorted(after) if k not in before]


# -- one alert per kind of change -----------------------------------------------------------


def _actor(r: dict[str, Any], prefix: str) -> dict[str, str] | None:
    if not r.get(f"{prefix}_id"):
        return None
    return {"id": r[f"{prefix}_id"], "name": r.get(f"{prefix}_name") or r[f"{prefix}_id"],
            "kind": r.get(f"{prefix}_kind") or "state"}


def _evidence(r: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    def get(name: str) -> Any:
        return r.get(f"{prefix}evidence_{name}")

    return {"text": get("text"), "doc": get("doc"), "source": get("source"), "title": get("title"),
            "published": get("published"), "url": get("url"), "start": get("start"),
            "attributed_to": get("attributed_to"), "dataset": get("source_name")}


def _relation(s: dict[str, Any], kind: str) -> dict[str, Any]:
    a, b = _actor(s, "a"), _actor(s, "b")
    start = s.get("start_value") or "undated"
    began = kind == "relation_began"
    key = (f"began|{s['state']}|{s['a_id']}|{s['b_id']}|{start}" if began else
           f"ended|{s['state']}|{s['a_id']}|{s['b_id']}|{start}|{s.get('end_value') or 'undated'}")
    names = {"a": a["name"] if a else "?", "b": b["name"] if b else "?"}
    if began:
        when = f" ({s['start_value']})" if s.get("start_value") else " (start date unknown)"
        summary = BEGAN.get(s["state"], "{a} and {b}: " + s["state"]).format(**names) + when
    else:
        when = f" ({s['end_value']})" if s.get("end_value") else ""
        summary = ENDED.get(s["state"], "{a} and {b}: no longer " + s["state"]).format(**names) + when
    return {
        "key": key, "kind": kind, "relation": s["state"], "type": STATE_TYPE.get(s["state"]),
        "actors": [x for x in (a, b) if x], "date": s.get("start_value") if began else s.get("end_value"),
        "modalities": ["asserted"],
        "n_sources": (s.get("n_sources") if began or "end_n_sources" not in s else s.get("end_n_sources")) or 0,
        "fact": s["fact_id"] if began else s.get("ended_by"), "summary": summary,
        "evidence": _evidence(s, "" if began or "end_evidence_doc" not in s else "end_"),
        "tags": [kind, s["state"], STATE_TYPE.get(s["state"], "")],
    }


def _discussed(f: dict[str, Any]) -> dict[str, Any]:
    kind = "speculation" if f["modality"] == "speculative" else "plan"
    actors = _fact_actors(f)
    date = f.get("date_value")
    names = " and ".join(a["name"] for a in actors) or "?"
    summary = (f"{'speculation' if kind == 'speculation' else 'planned'}: {f['type'].replace('_', ' ')}"
               f" between {names}" + (f" ({date})" if date else ""))
    return {
        "key": f"{f['modality']}|{f['key']}|{date or 'undated'}", "kind": kind, "relation": None,
        "type": f["type"], "actors": actors, "date": date, "modalities": [f["modality"]],
        "n_sources": f.get("n_sources") or 0, "fact": f["id"], "summary": summary, "evidence": _evidence(f),
        "tags": [kind, f["type"]],
    }


def _conflict(c: dict[str, Any]) -> dict[str, Any]:
    facts = c.get("facts") or []
    sig = sorted(f"{f.get('date_value')}/{f.get('modality')}/{f.get('quantity_value')}" for f in facts)
    actors: dict[str, dict[str, str]] = {}
    for f in facts:
        for a in _fact_actors(f):
            actors.setdefault(a["id"], a)
    first = facts[0] if facts else {}
    return {
        "key": f"conflict|{c['kind']}|{c.get('key')}|{'|'.join(sig)}", "kind": "conflict", "relation": None,
        "type": first.get("type"), "actors": list(actors.values()), "date": first.get("date_value"),
        "modalities": sorted({f["modality"] for f in facts}),
        "n_sources": sum(int(f.get("n_sources") or 0) for f in facts),
        "fact": first.get("id"), "facts": [f["id"] for f in facts], "summary": f"conflict: {c['reason']}",
        "evidence": _evidence(first), "others": [_evidence(f) for f in facts[1:]],
        "tags": ["conflict", *sorted({f["type"] for f in facts})],
    }


def _fact_actors(f: dict[str, Any]) -> list[dict[str, str]]:
    if f.get("parties"):
        parties = json.loads(f["parties"]) if isinstance(f["parties"], str) else f["parties"]
        return [{"id": p["id"], "name": p.get("name") or p["id"], "kind": p.get("kind") or "state"} for p in parties]
    return [x for x in (_actor(f, "subject"), _actor(f, "object")) if x]
