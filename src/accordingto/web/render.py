"""Templates and JSON twins: one view function, two routes (``/path`` and ``/path.json``).

A view function takes its parameters as FastAPI declares them and returns a
:class:`Page`: ``data`` is the JSON twin, ``data`` plus ``html`` the template's
context.  :func:`page` registers both routes; only the JSON one is in the
OpenAPI schema.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

__all__ = ["ERRORS", "ErrorBody", "Page", "env", "page", "render", "wants_json"]

_TEMPLATES = Path(__file__).parent / "templates"


class ErrorBody(BaseModel):
    """Every error of the JSON API: a message that says what to do, and the HTTP status."""

    error: str
    status: int
    #: For invalid requests: where each problem is (``loc``) and what it is (``msg``).
    detail: list[dict[str, Any]] | None = None


#: The error responses every JSON route may give, for the OpenAPI schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed request (e.g. broken multipart data)"},
    404: {"model": ErrorBody, "description": "Not found"},
    413: {"model": ErrorBody, "description": "Request body over the size limit"},
    422: {"model": ErrorBody, "description": "Invalid request, or input that cannot be analysed"},
}


@dataclass(frozen=True, slots=True)
class Page:
    """What a view returns: its JSON twin, and what only the HTML page needs."""

    data: dict[str, Any]
    html: dict[str, Any] = field(default_factory=dict)


@functools.cache
def env() -> jinja2.Environment:
    """The Jinja2 environment: autoescape always on, undefined names are errors."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["percent"] = lambda x: f"{100 * x:.0f} %"
    environment.filters["tojson_pretty"] = lambda x: json.dumps(x, ensure_ascii=False, indent=2)
    return environment


def wants_json(request: Request) -> bool:
    """A JSON twin path, or a client that asks for JSON and not HTML."""
    if request.url.path.endswith(".json") or request.url.path.startswith("/openapi"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Render ``template`` with ``context`` and what every page needs (the corpus link, the app version)."""
    state = request.app.state
    base = {
        "request": request,
        "has_corpus": state.settings.db is not None,
        "version": request.app.version,
    }
    body = env().get_template(template).render({**base, **context})
    return HTMLResponse(body, status_code=status)


def json_path(path: str) -> str:
    """``/`` → ``/index.json``; ``/speakers/{id}`` → ``/speakers/{id}.json``."""
    return "/index.json" if path == "/" else f"{path}.json"


def page(
    router: APIRouter,
    path: str,
    template: str,
    *,
    summary: str,
    methods: tuple[str, ...] = ("GET",),
) -> Callable:
    """Register ``view`` as ``path`` (HTML from ``template``) and its ``.json`` twin.

    The JSON route is registered first, so that ``/x/{id}.json`` is never read
    as the HTML page of an ID ending in ``.json``.
    """

    def decorator(view: Callable[..., Page]) -> Callable[..., Page]:
        @functools.wraps(view)
        def as_json(*args: Any, **kwargs: Any) -> JSONResponse:
            return JSONResponse(view(*args, **kwargs).data)

        @functools.wraps(view)
        def as_html(request: Request, *args: Any, **kwargs: Any) -> HTMLResponse:
            result = view(request, *args, **kwargs)
            return render(request, template, {**result.data, **result.html})

        router.add_api_route(
            json_path(path),
            as_json,
            methods=list(methods),
            summary=summary,
            response_class=JSONResponse,
            response_model=None,
            responses=ERRORS,
        )
        router.add_api_route(
            path,
            as_html,
            methods=list(methods),
            include_in_schema=False,
            response_model=None,
            response_class=HTMLResponse,
        )
        return view

    return decorator
