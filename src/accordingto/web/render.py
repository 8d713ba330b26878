"""Templates and twins: one view function, two or three routes (``/path``, ``/path.json``, ``/path.csv``).

A view function takes its parameters as FastAPI declares them and returns a
:class:`Page`: ``data`` is the JSON twin, ``data`` plus ``html`` the template's
context.  :func:`page` registers the routes; a page whose main content is a
table (``csv="hits"``) also has a CSV twin of that table.  Only the JSON and
CSV twins are in the OpenAPI schema.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

__all__ = ["ERRORS", "ErrorBody", "Page", "csv_text", "env", "page", "render", "wants_json"]

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
    422: {"model": ErrorBody, "description": "Invalid request, or input that cannot be analyzed"},
    503: {"model": ErrorBody, "description": "Every analyzer is busy; retry after `Retry-After` s"},
}


@dataclass(frozen=True, slots=True)
class Page:
    """What a view returns: its JSON twin, and what only the HTML page needs."""

    data: dict[str, Any]
    html: dict[str, Any] = field(default_factory=dict)
    #: The HTTP status of every form of the page (422: the page with what was wrong).
    status: int = 200


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
    """A JSON or CSV twin path, or a client that asks for JSON and not HTML."""
    path = request.url.path
    if path.endswith((".json", ".csv")) or path.startswith("/openapi"):
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


def json_path(path: str, suffix: str = ".json") -> str:
    """``/`` → ``/index.json``; ``/speakers/{id}`` → ``/speakers/{id}.json`` (or ``.csv``)."""
    return f"/index{suffix}" if path == "/" else f"{path}{suffix}"


def _cell(value: Any) -> Any:
    """A CSV cell: lists and mappings as JSON; text that a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@`` first) prefixed with ``'`` (OWASP's advice for CSV injection)."""
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows of one table as CSV, a header of their keys (in first-seen order) first."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([[_cell(r.get(n)) for n in names] for r in rows])
    return out.getvalue()


def _csv_response(page: Page, key: str, filename: str) -> Response:
    if page.status != 200:
        return JSONResponse(page.data, status_code=page.status)
    return Response(
        csv_text(page.data[key]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}.csv"'},
    )


def page(
    router: APIRouter,
    path: str,
    template: str,
    *,
    summary: str,
    methods: tuple[str, ...] = ("GET",),
    csv: str | None = None,
) -> Callable:
    """Register ``view`` as ``path`` (HTML from ``template``), its ``.json`` twin and,
    when ``csv`` names a list of rows in the page's data, its ``.csv`` twin.

    The twins are registered first, so that ``/x/{id}.json`` is never read as
    the HTML page of an ID ending in ``.json``.
    """

    def decorator(view: Callable[..., Page]) -> Callable[..., Page]:
        @functools.wraps(view)
        def as_json(*args: Any, **kwargs: Any) -> JSONResponse:
            result = view(*args, **kwargs)
            return JSONResponse(result.data, status_code=result.status)

        @functools.wraps(view)
        def as_csv(*args: Any, **kwargs: Any) -> Response:
            name = path.strip("/").split("/")[0] or "index"
            return _csv_response(view(*args, **kwargs), str(csv), name)

        @functools.wraps(view)
        def as_html(request: Request, *args: Any, **kwargs: Any) -> HTMLResponse:
            result = view(request, *args, **kwargs)
            return render(request, template, {**result.data, **result.html}, status=result.status)

        if csv is not None:
            router.add_api_route(
                json_path(path, ".csv"),
                as_csv,
                methods=list(methods),
                summary=f"{summary} (the {csv} table as CSV)",
                response_class=Response,
                response_model=None,
                responses={200: {"content": {"text/csv": {}}}, **ERRORS},
            )

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
