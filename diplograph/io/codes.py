"""Event codes to claim types: CAMEO (ICEWS, GDELT, the TKG benchmarks) and PLOVER
(POLECAT), from diplograph/data/codes/cameo.csv and plover.csv.

A code or event name maps to a claim type, a subtype, a modality ("Express intent to
meet" is planned, not asserted) and a direction ("Host a visit" reverses who visits whom);
codes with no claim type (statements, appeals, accusations...) are not kept."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class EventCode:
    code: str  # CAMEO code, or PLOVER "TYPE" / "TYPE/mode"
    name: str
    claim_type: str | None
    subtype: str | None
    modality: str
    reverse: bool  # the object is the one acting (the visitor of "Host a visit")
    plover: str | None


def norm_name(name: str) -> str:
    """Event names compared case-insensitively, "_" as a space, quotes and hyphens
    ignored ("Meet_at_a_'third'_location" = "meet at a third location")."""
    s = name.replace("_", " ").replace("-", " ").replace("'", "").replace('"', "")
    return re.sub(r"\s+", " ", s).strip().casefold()


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("diplograph").joinpath("data", "codes", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def _cameo() -> tuple[dict[str, EventCode], dict[str, EventCode]]:
    by_code: dict[str, EventCode] = {}
    by_name: dict[str, EventCode] = {}
    for r in _read("cameo.csv"):
        ec = EventCode(r["code"], r["name"], r["claim_type"] or None, r["subtype"] or None,
                       r["modality"] or "asserted", r["reverse"] == "1", r["plover"] or None)
        by_code[ec.code] = ec
        for n in [r["name"], *[a for a in r["aliases"].split(";") if a.strip()]]:
            by_name.setdefault(norm_name(n), ec)
    return by_code, by_name


def cameo(code_or_name: str) -> EventCode | None:
    """The CAMEO entry for a code ("042", "0311") or an event name ("Make_a_visit",
    "Host a visit"); a sub-code not listed falls back to its parent ("0421" -> "042");
    None when neither is known."""
    by_code, by_name = _cameo()
    s = code_or_name.strip()
    if s.isdigit():
        if len(s) == 1 or (len(s) == 2 and s not in by_code and int(s) > 20):
            s = s.zfill(3)  # "42" from a spreadsheet that dropped the leading zero
        while s:
            if s in by_code:
                return by_code[s]
            s = s[:-1] if len(s) > 2 else ""
        return None
    return by_name.get(norm_name(s))


@lru_cache(maxsize=1)
def _plover() -> dict[tuple[str, str], EventCode]:
    out = {}
    for r in _read("plover.csv"):
        et, mode = r["event_type"].upper(), r["mode"].casefold()
        out[(et, mode)] = EventCode(f"{et}/{mode}" if mode else et, et, r["claim_type"] or None,
                                    r["subtype"] or None, r["modality"] or "asserted", r["reverse"] == "1", et)
    return out


def plover(event_type: str, mode: str | None = None) -> EventCode | None:
    """The PLOVER entry for an event type and mode ("CONSULT", "visit"); the type alone
    when the mode is not listed; None for an unknown type."""
    table = _plover()
    et = event_type.strip().upper()
    m = (mode or "").strip().casefold()
    return table.get((et, m)) or table.get((et, ""))
