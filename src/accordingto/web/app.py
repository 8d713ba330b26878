"""The FastAPI application: :func:`create_app` builds one, testable in-process with ``TestClient``.

Every HTML page has a JSON twin at the same path plus ``.json`` (``/`` has
``/index.json``); the JSON routes make up the OpenAPI schema at
``/openapi.json``, browsable at ``/docs`` (served locally, no CDN).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accordingto.errors import AccordingToError, FetchError, InputError

from .analyzer import Analyzer
from .pool import AnalysisPool, PoolBusy, RecentAnalyses
from .render import render, wants_json
from .settings import WebSettings

__all__ = ["create_app"]

log = logging.getLogger(__name__)

HERE = Path(__file__).parent

#: Pages: scripts, styles and images from this server only; nothing may frame them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The API docs pages (Swagger UI, ReDoc) start themselves with an inline script, allowed by
#: its hash; ReDoc writes its styles into ``<style>`` elements, and runs a worker from a blob.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
#: Room for multipart boundaries and the other form fields on top of an upload.
_FORM_OVERHEAD = 64 * 1024


def _version() -> str:
    try:
        return version("accordingto")
    except PackageNotFoundError:
        return "0+unknown"


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The web app for ``settings`` (default: single-article pages, no corpus)."""
    settings = settings or WebSettings()
    pool = AnalysisPool(
        workers=settings.workers,
        queue_size=settings.queue_size,
        budget_s=settings.analysis_budget_s,
        max_chars=settings.max_text_chars,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.preload:
            app.state.pool.preload()
        yield
        app.state.pool.close()

    app = FastAPIOffline(
        title="accordingto",
        version=_version(),
        description="Who said what in news articles: quotations, speakers, cues and citation "
        "chains. Every HTML page has a JSON twin: the same path with `.json`.",
        lifespan=lifespan,
        static_url="/static/docs",
    )
    app.state.settings = settings
    app.state.analyzer = Analyzer(settings)
    app.state.pool = pool
    app.state.recent = RecentAnalyses(settings.cache_size)
    app.mount("/static/app", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + _FORM_OVERHEAD)
    app.middleware("http")(_security_headers)
    _add_error_handlers(app)

    from . import article

    app.include_router(article.router)
    if settings.db is not None:
        from . import corpus, dyad

        app.include_router(corpus.router)
        app.include_router(dyad.router)
    return app


async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]):
    response = await call_next(request)
    if request.url.path.startswith(_DOCS_PATHS) and "text/html" in response.headers.get(
        "content-type", ""
    ):
        response = await _with_docs_csp(response)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def _with_docs_csp(response: Response) -> Response:
    """A docs page with a policy that allows exactly its own inline scripts (by their hashes)."""
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m[1]).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)
    )
    out = Response(body, status_code=response.status_code, headers=dict(response.headers))
    out.headers["Content-Security-Policy"] = DOCS_CSP.format(hashes=hashes or "")
    return out


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or not.

    A declared ``Content-Length`` over the limit is refused before anything is
    read; a body sent in chunks is counted as it arrives and refused as soon as
    it passes the limit, so an upload never fills the disk the form parser
    spools it to.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return (
            f"the upload is larger than the limit of {self.limit:,} bytes; "
            "upload a smaller file or paste less text"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await _error(Request(scope), 413, self._message())(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise StarletteHTTPException(413, self._message())
            return message

        await self.app(scope, counted, send)


def _status_of(error: AccordingToError) -> int:
    """InputError and FetchError are the request's fault (422); anything else is the server's."""
    return 422 if isinstance(error, (InputError, FetchError)) else 500


def _error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        response: Response = JSONResponse({"error": message, "status": status}, status_code=status)
    else:
        response = render(
            request, "error.html", {"error": message, "status": status}, status=status
        )
    response.headers.update(headers or {})
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PoolBusy)
    async def busy(request: Request, e: PoolBusy) -> Response:
        return _error(request, 503, str(e), {"Retry-After": str(e.retry_after)})

    @app.exception_handler(AccordingToError)
    async def package_error(request: Request, e: AccordingToError) -> Response:
        return _error(request, _status_of(e), str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        return _error(request, e.status_code, str(e.detail), getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, e: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": "invalid request", "detail": _plain(e.errors()), "status": 422},
                status_code=422,
            )
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()
        )
        return _error(request, 422, f"invalid request ({problems})")


def _plain(errors) -> list[dict]:
    """Validation errors without the raw input (which may not be JSON-serialisable)."""
    return [
        {"loc": list(map(str, err.get("loc", ()))), "msg": str(err.get("msg", ""))}
        for err in errors
    ]
