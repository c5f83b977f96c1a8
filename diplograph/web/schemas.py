"""Response models: what each endpoint returns, as the OpenAPI docs show it."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, model_serializer

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorOut(Model):
    ok: bool = False
    error: str
    status: int
    parameter: str | None = None


class ActorRefOut(Model):
    id: str
    name: str
    kind: str


class DateOut(Model):
    value: str
    precision: str
    text: str | None = None


class EvidenceOut(Model):
    doc: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    attributed_to: str | None = None
    source_kind: str | None = None
    dataset: str | None = None


class RelationRowOut(Model):
    partner: ActorRefOut
    state: str
    since: DateOut | None = None
    since_known: bool
    n_sources: int
    confidence: float
    sources: str
    fact: str
    evidence: EvidenceOut


class DiscussedRowOut(Model):
    partner: ActorRefOut
    type: str
    modality: str
    attributed_to: str | None = None
    date: str | None = None
    evidence: EvidenceOut


class RelationsOut(Model):
    actor: ActorRefOut
    at: str
    states: list[str]
    total: int
    limit: int
    offset: int
    rows: list[RelationRowOut]
    discussed: list[DiscussedRowOut]


class Page(Model, Generic[T]):
    total: int | None = None  # absent from the JSON when not counted (a store-side page); see ``more``
    limit: int
    offset: int
    more: bool = False
    items: list[T]

    @model_serializer(mode="wrap")
    def _drop_uncounted_total(self, handler: Any) -> dict[str, Any]:
        out = handler(self)
        if out.get("total") is None:
            out.pop("total", None)
        return out


class FactOut(Model):
    id: str
    type: str
    subtype: str | None = None
    subject: ActorRefOut | None = None
    object: ActorRefOut | None = None
    parties: list[dict[str, Any]] | None = None
    date: DateOut | None = None
    modality: str
    n_sources: int
    confidence: float
    quantity: dict[str, Any] | None = None
    evidence: EvidenceOut


class ChangesOut(Model):
    actor: ActorRefOut
    start: str
    end: str
    gained: list[RelationRowOut]
    lost: list[RelationRowOut]


class ConflictOut(Model):
    id: str
    kind: str
    reason: str
    facts: list[FactOut]


class ActorOut(Model):
    id: str
    kind: str
    name: str
    official_name: str | None = None
    codes: dict[str, Any] = {}
    aliases: list[str] = []
    start: str | None = None
    end: str | None = None


class DocumentOut(Model):
    id: str
    source: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    published: DateOut | None = None
    published_method: str | None = None
    format: str | None = None
    ingested_at: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    length: int | None = None
    # set when the text is not the article's own: "feed summary" (its page could not be had)
    text_from: str | None = None
    text_note: str | None = None


class DocumentFullOut(DocumentOut):
    text: str


class ClaimOut(Model):
    id: str | None = None
    doc: str | None = None  # None for a claim imported from a dataset
    type: str
    subtype: str | None = None
    subject: ActorRefOut | None = None
    object: ActorRefOut | None = None
    parties: list[ActorRefOut] | None = None
    modality: str
    date: DateOut | None = None
    attributed_to: str | None = None
    quantity: dict[str, Any] | None = None
    confidence: float | None = None
    evidence_text: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    source: str | None = None  # the dataset (and record) of an imported claim


class NetworkNode(Model):
    id: str
    name: str
    kind: str


class NetworkEdge(Model):
    id: str
    source: str
    target: str
    state: str
    since: str | None = None
    fact: str


class NetworkOut(Model):
    at: str
    states: list[str]
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool = False


class IngestedDoc(Model):
    id: str
    source: str
    title: str | None = None
    published: DateOut | None = None


class IngestOut(Model):
    ok: bool
    ingested: list[IngestedDoc]
    near_duplicates: list[IngestedDoc]
    duplicates: list[str]
    failed: list[str]
    claims: int
