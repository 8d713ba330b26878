"""One article: paste text, give a URL or upload a file; see who said what.

``POST /analyze`` answers a browser with a redirect to the analysis's
permalink ``/analysis/{id}`` (so reloading does not post again);
``POST /analyze.json`` answers with the analysis itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

from accordingto.errors import InputError
from accordingto.ingest import FORMATS
from accordingto.model import Analysis, Article

from .analyzer import EXAMPLE_NAME, Analyzer, example_text
from .render import ERRORS, Page, page
from .views import analysis_page, record_response

__all__ = ["router"]

router = APIRouter()

#: Where recent analyses live: ``/analysis/{article id}``.
BASE = "/analysis"

Text = Annotated[
    str | None, Form(description="Article text, pasted (plain text, Markdown or HTML).")
]
Url = Annotated[str | None, Form(description="An http(s) URL of an article page.")]
Upload = Annotated[UploadFile | None, File(description="An HTML, Markdown or text file.")]
InputFormat = Annotated[str | None, Form(description="text, markdown or html; default: detected.")]


def _analyzer(request: Request) -> Analyzer:
    return request.app.state.analyzer


def _analyze(request: Request, article: Article) -> Analysis:
    """Analyze on the app's pool (503 when it is full) and remember the analysis."""
    analysis = request.app.state.pool.analyze(article)
    request.app.state.recent.add(analysis)
    return analysis


@page(router, "/", "index.html", summary="The start page: what the app can do")
def index(
    request: Request,
    example: Annotated[bool, Query(description="Fill the form with the bundled example.")] = False,
) -> Page:
    settings = request.app.state.settings
    data = {
        "app": "accordingto",
        "version": request.app.version,
        "corpus": settings.db is not None,
        "max_upload_bytes": settings.max_upload_bytes,
        "input_formats": list(FORMATS),
        "example": EXAMPLE_NAME,
    }
    return Page(data, {"text": example_text() if example else ""})


def _article(
    analyzer: Analyzer,
    text: str | None,
    url: str | None,
    file: UploadFile | None,
    format: str | None,
) -> Article:
    """The one article given: pasted text, a URL or an uploaded file."""
    has_file = file is not None and bool(file.filename)
    given = [bool(text and text.strip()), bool(url and url.strip()), has_file]
    if sum(given) == 0:
        raise InputError("nothing to analyze: paste an article, give a URL or choose a file")
    if sum(given) > 1:
        raise InputError("give one article at a time: pasted text, a URL or a file, not several")
    format = format or None
    if file is not None and has_file:
        limit = analyzer.settings.max_upload_bytes
        data = file.file.read(limit + 1)
        return analyzer.read_upload(data, name=file.filename or "upload", format=format)
    if url and url.strip():
        return analyzer.read_url(url.strip(), format=format)
    pasted = (text or "").replace("\r\n", "\n")  # browsers send textarea lines with CRLF
    return analyzer.read_upload(pasted.encode("utf-8"), name="pasted text", format=format)


@router.post(
    "/analyze.json", summary="Analyze one article: pasted text, a URL or a file", responses=ERRORS
)
def analyze_json(
    request: Request,
    text: Text = None,
    url: Url = None,
    file: Upload = None,
    format: InputFormat = None,
) -> JSONResponse:
    analysis = _analyze(request, _article(_analyzer(request), text, url, file, format))
    dyads = request.app.state.settings.db is not None
    return JSONResponse(analysis_page(analysis, base=BASE, dyads=dyads).data)


@router.post("/analyze", include_in_schema=False)
def analyze_form(
    request: Request,
    text: Text = None,
    url: Url = None,
    file: Upload = None,
    format: InputFormat = None,
) -> RedirectResponse:
    analysis = _analyze(request, _article(_analyzer(request), text, url, file, format))
    return RedirectResponse(f"{BASE}/{analysis.article.id}", status_code=303)


def _recent(request: Request, article_id: str) -> Analysis:
    analysis = request.app.state.recent.get(article_id)
    if analysis is None:
        raise HTTPException(
            404,
            f"no analysis {article_id} in memory (analyses are kept until the "
            "server restarts or newer ones push them out); analyze the article again",
        )
    return analysis


@page(
    router,
    "/analysis/{article_id}",
    "article.html",
    summary="A recent analysis: the record, the side panel's summary and every quotation",
    csv="quotes",
)
def recent_analysis(request: Request, article_id: str) -> Page:
    dyads = request.app.state.settings.db is not None
    return analysis_page(_recent(request, article_id), base=BASE, dyads=dyads)


@router.get(
    "/analysis/{article_id}/record.json",
    responses=ERRORS,
    summary="Download a recent analysis: the record (docs/schema.md) as a file",
)
def download(request: Request, article_id: str) -> JSONResponse:
    return record_response(_recent(request, article_id))
