"""Documents and claims: list, read, and ingest (POST, operator only)."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

import contextlib
import json
import re
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from ...api import Graph
from ...errors import InvalidQuery, SourceError
from ...models import CLAIM_TYPES, MODALITIES
from ..deps import (
    WebSettings,
    WebState,
    get_graph,
    get_settings,
    get_state,
    page,
    require_read,
    require_write,
)
from ..schemas import ClaimOut, DocumentFullOut, DocumentOut, IngestOut, Page
from ._common import BadParameter, choice_param, store_page, to_json

router = APIRouter(tags=["documents"])
_read = [Depends(require_read)]


def _doc_json(doc: Any, *, text: bool = False) -> dict[str, Any]:
    out = to_json(doc)
    out.pop("raw_text", None)
    extras = out.pop("extras", None) or {}
    if extras.get("text_from"):  # a watched item read from its feed's summary, and why
        out["text_from"], out["text_note"] = extras["text_from"], extras.get("why")
    if not text:
        out.pop("text", None)
    elif out.get("length") is None:
        out["length"] = len(out.get("text") or "")
    return out


@router.get("/documents", response_model=Page[DocumentOut], dependencies=_read)
def documents(limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
              settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Stored documents (without their text), most recently ingested first."""
    limit, offset = page(limit, offset, settings)
    docs = graph.documents(limit=limit, offset=offset)
    total = graph.store.count_documents()
    return {"total": total, "limit": limit, "offset": offset, "more": offset + len(docs) < total,
            "items": [_doc_json(d) for d in docs]}


@router.get("/documents/{doc_id}", response_model=DocumentFullOut, dependencies=_read)
def document(doc_id: str, graph: Graph = Depends(get_graph)) -> dict[str, Any]:
    """One document with its cleaned text (claim offsets point into it)."""
    return _doc_json(graph.document(doc_id), text=True)


def _claims(graph: Graph, settings: WebSettings, doc: str | None, type: str | None, actor: str | None,
            modality: str | None, limit: int, offset: int) -> dict[str, Any]:
    limit, offset = page(limit, offset, settings)
    rows = graph.claims(doc, type=choice_param(type, "type", CLAIM_TYPES), actor=actor or None,
                        modality=choice_param(modality, "modality", MODALITIES), limit=limit + 1, offset=offset)
    out = store_page(rows, limit, offset)
    for c in out["items"]:
        c.pop("codes", None)
    return out


@router.get("/documents/{doc_id}/claims", response_model=Page[ClaimOut], dependencies=_read)
def document_claims(doc_id: str, type: str | None = None, actor: str | None = None, modality: str | None = None,
                    limit: int = Query(100), offset: int = 0, graph: Graph = Depends(get_graph),
                    settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """The claims of one document, in text order; offsets point into its cleaned text."""
    return _claims(graph, settings, doc_id, type, actor, modality, limit, offset)


@router.get("/claims", response_model=Page[ClaimOut], dependencies=_read)
def claims(doc: str | None = None, type: str | None = None, actor: str | None = None, modality: str | None = None,
           limit: int = 100, offset: int = 0, graph: Graph = Depends(get_graph),
           settings: WebSettings = Depends(get_settings)) -> dict[str, Any]:
    """Stored claims, optionally of one document, type, actor or modality."""
    return _claims(graph, settings, doc or None, type, actor, modality, limit, offset)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.post("/documents", response_model=IngestOut, dependencies=[Depends(require_write)],
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {"type": "object", "properties": {
                     "text": {"type": "string"}, "html": {"type": "string"}, "url": {"type": "string"},
                     "title": {"type": "string"}, "published": {"type": "string"}}}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}})
async def ingest(request: Request, state: WebState = Depends(get_state)) -> dict[str, Any]:
    """Ingest one article: a JSON body ``{text | html, url, title, published}`` or a
    multipart upload (field ``file``: text, HTML, Markdown, JSON Lines or a feed).
    Needs ``Authorization: Bearer <token>``. Reads keep being answered meanwhile."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadParameter("file", "send the article as a multipart field named `file`.")
        data = await upload.read()
        name = _SAFE_NAME.sub("_", Path(upload.filename or "upload.txt").name).strip("._") or "upload.txt"
    elif ctype.startswith("application/json"):
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InvalidQuery(f"The request body is not valid JSON ({e}).") from e
        if not isinstance(body, dict):
            raise InvalidQuery('The request body must be a JSON object like {"text": ..., "title": ...}.')
        if not any(isinstance(body.get(k), str) and body[k].strip() for k in ("text", "html")):
            raise BadParameter("text", "give the article in `text` (plain) or `html`.")
        for k in ("url", "title", "published"):
            if body.get(k) is not None and not isinstance(body[k], str):
                raise BadParameter(k, "must be a string.")
        record = {k: body[k] for k in ("text", "html", "url", "title", "published") if body.get(k)}
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        name = "posted.jsonl"
    else:
        raise InvalidQuery("Send application/json or multipart/form-data (a file field named `file`).")

    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_ingest_bytes, state, name, data)


def uploads_folder(db_path: str) -> Path | None:
    """Where posted articles are kept (``<store>.uploads/`` beside a store file), so that a
    document's ``source`` names a file an operator can open, as for files ingested by the CLI."""
    if db_path == ":memory:":
        return None
    p = Path(db_path)
    return p.with_name(p.name + ".uploads")


def _ingest_bytes(state: WebState, name: str, data: bytes) -> dict[str, Any]:
    """Keep the upload under the uploads folder (a temp folder for an in-memory store) and
    ingest it, one ingest at a time, on a cursor of its own (reads on other cursors go on).
    A file that added nothing new is removed again."""
    folder = uploads_folder(state.settings.db_path)
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="diplograph-upload-")))
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}-{name}"
        path.write_bytes(data)
        with state.write_lock, state.borrow() as graph:
            report = graph.ingest([str(path)])
        if not report.ingested and not report.near_duplicates:
            path.unlink(missing_ok=True)
    tmp = str(folder)

    def short(d: Any) -> dict[str, Any]:
        return {"id": d.id, "source": d.source, "title": d.title, "published": to_json(d.published)}

    failed = [_strip(str(e), tmp) for e in report.failed]
    if report.failed and not report.ingested and not report.near_duplicates and not report.duplicates:
        e = report.failed[0]
        raise SourceError(name, _strip(e.problem, tmp), hint=e.hint)
    return {"ok": report.ok, "ingested": [short(d) for d in report.ingested],
            "near_duplicates": [short(d) for d in report.near_duplicates],
            "duplicates": [i for _, i in report.duplicates], "failed": failed, "claims": report.claims}


def _strip(msg: str, folder: str) -> str:
    return msg.replace(folder + "/", "")  # errors name the upload, not the server's folders
