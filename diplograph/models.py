"""The data model shared by every stage: Document, Mention, Actor, Claim, and the closed
vocabularies. One name per idea: these field names are also the column names, the JSON
keys of the claim contract and the REST fields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
import re
from datetime import date, datetime, timedelta
from typing import Any, Literal

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

Precision = Literal["day", "month", "year", "interval"]
PRECISIONS: tuple[str, ...] = ("day", "month", "year", "interval")

Modality = Literal["asserted", "negated", "speculative", "planned"]
MODALITIES: tuple[str, ...] = ("asserted", "negated", "speculative", "planned")

ActorKind = Literal["state", "organisation", "accord", "person", "group"]
ACTOR_KINDS: tuple[str, ...] = ("state", "organisation", "accord", "person", "group")

# How a document's publication date was found, best first.
DateMethod = Literal["override", "metadata", "header", "unknown"]

CLAIM_TYPES: tuple[str, ...] = (
    "alliance",
    "strategic_partnership",
    "diplomatic_relations",
    "embassy_opened",
    "agreement_signed",
    "agreement_ratified",
    "accession_membership",
    "visit",
    "summit_meeting",
    "military_cooperation",
    "arms_transfer",
    "quantity",
    "conflict_action",
    "other",
)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to a precision: ``value`` is YYYY, YYYY-MM, YYYY-MM-DD or start/end."""

    value: str
    precision: Precision
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "precision": self.precision, "text": self.text}

    def bounds(self) -> tuple[date, date]:
        """The first and last day this date can mean ("2022" -> 2022-01-01 .. 2022-12-31)."""
        if "/" in self.value:
            a, b = self.value.split("/", 1)
            return PartialDate.parse(a).bounds()[0], PartialDate.parse(b).bounds()[1]
        parts = [int(x) for x in self.value.split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d
        if len(parts) == 2:
            y, m = parts
            last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
            return date(y, m, 1), last
        return date(parts[0], 1, 1), date(parts[0], 12, 31)

    @classmethod
    def parse(cls, value: str, *, text: str | None = None) -> PartialDate:
        """Parse an ISO partial date (``2025``, ``2025-03``, ``2025-03-06``) or an interval
        of two of them (``2023-01/2023-02``). Raises ValueError naming the bad value."""
        value = value.strip()
        if "/" in value:
            a, b = value.split("/", 1)
            cls.parse(a), cls.parse(b)
            return cls(value, "interval", text)
        m = _ISO_DATE.fullmatch(value)
        if not m:
            raise ValueError(
                f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-03-06)"
            )
        year, month, day = m.group(1), m.group(2), m.group(3)
        if day:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a real day of the calendar") from None
            return cls(value, "day", text)
        if month:
            if not 1 <= int(month) <= 12:
                raise ValueError(f"{value!r} has no month {month}")
            return cls(value, "month", text)
        return cls(year, "year", text)


@dataclass(slots=True)
class Document:
    """One stored article: its raw text, the cleaned text claims point into, and metadata."""

    id: str
    source: str
    raw_text: str
    text: str
    title: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    published_method: DateMethod = "unknown"
    format: str = "text"
    url: str | None = None
    ingested_at: datetime | None = None
    duplicate_of: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    similarity: float | None = None  # to the original, when a near-duplicate
    length: int | None = None  # characters of cleaned text, when loaded without the text

    @property
    def size(self) -> int:
        return len(self.text) if self.text else (self.length or 0)

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        out = {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "author": self.author,
            "published": self.published.to_json() if self.published else None,
            "published_method": self.published_method,
            "format": self.format,
            "url": self.url,
            "ingested_at": self.ingested_at.isoformat() if self.ingested_at else None,
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "size": self.size,
            "extras": self.extras,
        }
        if with_text:
            out["text"] = self.text
            out["raw_text"] = self.raw_text
        return out


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as a claim names it: canonical id, display name, kind."""

    id: str
    name: str
    kind: ActorKind

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document's cleaned text that refers to an actor."""

    start: int
    end: int
    text: str
    actor: ActorRef
    confidence: float = 1.0
    # how it was resolved: name, alias, demonym, capital, epithet, title, person, coref
    via: str = "name"
    role: str | None = None  # e.g. "president", "foreign ministry", "origin"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["actor"] = self.actor.to_json()
        return d


@dataclass(slots=True)
class Claim:
    """One statement of a document, in the claim contract of DESIGN.md."""

    doc: str
    type: str
    subject: ActorRef | None
    object: ActorRef | None
    modality: Modality
    evidence_text: str
    evidence_start: int
    evidence_end: int
    date: PartialDate | None = None
    parties: list[ActorRef] | None = None
    subtype: str | None = None
    attributed_to: str | None = None
    quantity: dict[str, Any] | None = None
    confidence: float = 0.5
    extractor: str = ""
    codes: dict[str, str | None] = field(default_factory=dict)
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "type": self.type,
            "subject": self.subject.to_json() if self.subject else None,
            "object": self.object.to_json() if self.object else None,
            "date": self.date.to_json() if self.date else {"value": None, "precision": None, "text": None},
            "modality": self.modality,
            "attributed_to": self.attributed_to,
            "quantity": self.quantity,
            "evidence": {"text": self.evidence_text, "start": self.evidence_start, "end": self.evidence_end},
            "confidence": round(self.confidence, 3),
            "codes": self.codes,
            "extractor": self.extractor,
        }
        if self.parties:
            out["parties"] = [p.to_json() for p in self.parties]
        if self.subtype:
            out["subtype"] = self.subtype
        if self.id:
            out["id"] = self.id
        return out
