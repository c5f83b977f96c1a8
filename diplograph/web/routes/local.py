"""``POST /api/local/call``: the CLI's commands, run here while this server holds the store
(see ``diplograph.remote``). Only for the holder of the token in the server file beside the
store; not part of the public API (absent from /docs)."""

# ruff: noqa: B008  (FastAPI declares dependencies and parameters as defaults)
from __future__ import annotations

import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ...errors import DiplographError, InvalidQuery
from ...remote import READS, WRITES
from ...wire import decode, encode
from ..deps import Forbidden, Unauthorized, WebState, _bearer, get_state

router = APIRouter(include_in_schema=False)
log = logging.getLogger("diplograph.web")


def require_local(request: Request, state: WebState = Depends(get_state)) -> None:
    expected = state.local_token
    if expected is None:
        raise Forbidden("This server takes no commands from the CLI (it was not started by `diplograph serve`).")
    token = _bearer(request)
    if token is None:
        raise Unauthorized("This needs the token of the server file beside the store.")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Forbidden("The token is not the one in this server's server file.")


@router.post("/local/call", dependencies=[Depends(require_local)])
async def call(request: Request, state: WebState = Depends(get_state)) -> JSONResponse:
    try:
        body = json.loads(await request.body())
        method = body["method"]
        args, kwargs = decode(body.get("args") or []), decode(body.get("kwargs") or {})
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidQuery(f"A malformed call from the CLI: {e}.") from e
    if method != "info" and method not in READS and method not in WRITES:
        raise InvalidQuery(f"The CLI asked for {method!r}, which this server does not run.")
    try:
        result = await run_in_threadpool(_run, state, method, args, kwargs)
    except DiplographError as e:
        return JSONResponse({"raised": encode(e)})
    except TypeError as e:  # a call that does not fit the method: another diplograph version?
        raise InvalidQuery(f"The CLI's call of {method} does not fit this server ({e}); are the CLI and "
                           "the server the same diplograph version?") from e
    return JSONResponse({"result": encode(result)})


def _run(state: WebState, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if method == "info":
        return {"store": str(Path(state.settings.db_path).resolve()), "pid": os.getpid()}
    if method in WRITES:
        with state.write_lock, state.borrow() as graph:
            result = getattr(graph, method)(*args, **kwargs)
        if method == "store_document":
            # the CLI derives at the end of its ingest; should it die first, this does
            state.schedule_finish()
        return result
    with state.borrow() as graph:
        return getattr(graph, method)(*args, **kwargs)
