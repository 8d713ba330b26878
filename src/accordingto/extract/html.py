"""Main text and metadata of an HTML article, with trafilatura.

The text returned here *is* the text `accordingto` analyses: every span in the
output indexes it, and it is part of the output, so a reader can check any
quotation against it.  Paragraphs, headings, list and block quotes are
separated by a blank line (``"\\n\\n"``); lines inside one block (``<br>``,
list items) by a single ``"\\n"``.  The text is in Unicode NFC form.

Boilerplate (navigation, related links, comments) is dropped by trafilatura;
user comments are never included: they are not the article's sourcing.
"""

from __future__ import annotations

import logging
import unicodedata

import trafilatura
from lxml.etree import _Element
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from accordingto.errors import InputError
from accordingto.model import Article

__all__ = ["FAVOR_PRECISION", "extract_html"]

log = logging.getLogger(__name__)

#: trafilatura's precision mode drops more borderline blocks (captions, asides,
#: "read more" teasers).  On: teasers are headlines full of quotations and
#: attributions that are not the article's, and on the article-extraction
#: benchmark precision mode scores higher (F1 0.964 against 0.960, recall 0.971
#: against 0.978; see benchmarks/README.md).
FAVOR_PRECISION = True


def extract_html(html: str, *, url: str | None = None) -> Article:
    """The main text of an HTML page and its metadata, as an :class:`Article` of format ``html``.

    ``title``, ``byline`` (trafilatura's author, several joined by ``"; "``),
    ``date`` (ISO ``YYYY-MM-DD``), ``outlet`` (site name) and ``url`` come from
    the page's metadata when it has them.  ``url``, if given, is where the page
    came from; it helps trafilatura and wins over the page's canonical URL.

    Raises:
        InputError: the page has no extractable article text.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=FAVOR_PRECISION,
    )
    if not isinstance(document, Document):  # None: nothing found (a dict only with as_dict)
        document = None
    text = _body_text(document.body) if document is not None else ""
    if document is None or not text.strip():
        raise InputError(
            "no article text found in the HTML; check that the page is the article itself "
            "(not a front page, a paywall or a page built by JavaScript), or save the "
            "article's text as a .txt file and pass that"
        )
    return Article(
        text=text,
        title=_clean(document.title),
        byline=_clean(document.author),
        date=_clean(document.date),
        outlet=_clean(document.sitename),
        url=url or _clean(document.url),
        format="html",
    )


def _body_text(body: _Element | None) -> str:
    """Each top-level block of trafilatura's output tree as text, blocks separated by a blank line."""
    if body is None:
        return ""
    blocks = (xmltotxt(child, False).strip() for child in body)
    text = "\n\n".join(block for block in blocks if block)
    return unicodedata.normalize("NFC", text)


def _clean(value: object) -> str | None:
    """A metadata value as a stripped one-line string, or ``None`` if empty."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
