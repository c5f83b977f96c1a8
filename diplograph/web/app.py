"""The FastAPI app: the REST API under /api, the web page at /, OpenAPI docs at /docs.

    >>> from diplograph.web import create_app
    >>> app = create_app("store.duckdb", token="s3cret")   # then: uvicorn, or TestClient(app)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api import Graph
from ..errors import DiplographError
from .deps import MAX_BODY_BYTES, WebSettings, WebState
from .routes import actors, documents, facts, local, overview, relations

STATIC = Path(str(files("diplograph.web") / "static"))
# The page loads only its own files; data is inserted as text, so no inline script is needed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _error(status: int, message: str, parameter: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status)


class Guard:
    """Pure ASGI (no per-request task group): 413 for a request body over ``max_bytes``,
    by its Content-Length or while it streams; security headers on every response."""

    def __init__(self, app: ASGIApp, max_bytes: int, local_max_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.local_max_bytes = local_max_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.local_max_bytes if path == "/api/local/call" else self.max_bytes
        too_big = _error(413, f"The request body is over the {limit // (1024 * 1024)} MB limit; "
                              "split the input or ingest it with the CLI.")
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await too_big(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooBig()
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers") or [])
                headers.append((b"x-content-type-options", b"nosniff"))
                if path != "/docs":  # Swagger UI starts itself with an inline script
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception as e:  # raised in `counted`, maybe wrapped by the middleware between
            if not _too_big(e):
                raise
            if not started:
                await too_big(scope, receive, send)


class _TooBig(Exception):
    pass


def _too_big(e: BaseException) -> bool:
    if isinstance(e, _TooBig):
        return True
    if isinstance(e, BaseExceptionGroup):
        return any(_too_big(x) for x in e.exceptions)
    return False


def create_app(db_path: str | Path, token: str | None = None, open_reads: bool = True, *,
               max_body_bytes: int = MAX_BODY_BYTES, graph: Graph | None = None,
               local_token: str | None = None) -> FastAPI:
    """The app over the store at ``db_path`` (opened once, for the process).

    :param token: the operator's token; needed to ingest (and to read with ``open_reads=False``).
        Without one, ingesting is disabled.
    :param open_reads: False: every /api read needs the token too.
    :param local_token: the token of the server file (``diplograph serve`` writes it beside
        the store): with it, the CLI's commands are run here (``POST /api/local/call``).
    """
    settings = WebSettings(db_path=str(db_path), token=token or None, open_reads=open_reads,
                           max_body_bytes=max_body_bytes)
    app = FastAPI(title="diplograph", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Dated, sourced claims about interstate relations: a temporal knowledge graph.")
    app.state.web = WebState(settings, graph or Graph.open(db_path), local_token=local_token)

    @app.exception_handler(DiplographError)
    async def diplograph_error(request: Request, exc: DiplographError) -> JSONResponse:
        return _error(int(exc.status), str(exc), getattr(exc, "parameter", None))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        err = exc.errors()[0]
        loc = [str(x) for x in err.get("loc", ())]
        where, name = (loc[0], ".".join(loc[1:])) if loc else ("query", "?")
        status = 422 if where == "body" else 400
        return _error(status, f"Bad parameter {name!r}: {err.get('msg', 'invalid')}.", name)

    for router in (relations.router, facts.router, documents.router, actors.router, overview.router, local.router):
        app.include_router(router, prefix="/api")

    @app.get("/api/{rest:path}", include_in_schema=False)
    async def no_such_endpoint(rest: str) -> JSONResponse:
        return _error(404, f"No endpoint /api/{rest}. See /docs for the endpoints.")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Any:
        # Swagger UI from the vendored copy: nothing is fetched from a CDN at run time
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="diplograph API",
                                   swagger_js_url="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui-dist/swagger-ui.css",
                                   swagger_favicon_url="data:,")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, max_bytes=max_body_bytes,
                       # the CLI sends whole documents (up to its max_bytes, as raw and clean text)
                       local_max_bytes=max(max_body_bytes, 3 * int(app.state.web.graph.settings["max_bytes"])))
    return app
