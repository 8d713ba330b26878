"""Markdown input as the text a reader sees, and the header its writer put under the title.

A Markdown article is analysed like an HTML one: its text is what a reader sees, with the
emphasis, link and heading syntax gone (``the *Times of London*`` reads ``the Times of
London``), so no span of an analysis ever holds markup. markdown-it-py (CommonMark, as rich
uses it) does the parsing; this module only turns its tokens into paragraphs of text.

The metadata comes from where writers put it: YAML-style front matter (``title:``,
``author:``/``byline:``, ``date:``, ``outlet:``/``site:``/``publisher:``, ``url:``), or the
block right under the ``# Title``: a byline ("By Jane Doe", or a name on a line beside a date)
and a date ("30 May 2023", "May 30, 2023", "2023-05-30", "Published Tuesday 30 May 2023").
That header block is metadata, so it is left out of the text, as HTML extraction leaves it out;
the title stays in the text as its first paragraph.
"""

from __future__ import annotations

import re
from datetime import datetime

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Article

__all__ = ["header_date", "read_markdown"]


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FIELD = re.compile(r"^([A-Za-z_]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
#: Front-matter keys, by the Article field they fill.
_KEYS = {
    "title": ("title", "headline"),
    "byline": ("byline", "author", "authors", "by"),
    "date": ("date", "published", "pubdate", "date_published"),
    "outlet": ("outlet", "site", "site_name", "publisher", "source"),
    "url": ("url", "link", "canonical_url"),
}

_NAME = r"(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:(?:de|da|del|van|von|der|bin|al|la|le)\s+)*(?:[A-Z][\w'’.-]*|[A-Z]\.)){1,4}"
_BYLINE = re.compile(rf"^(?:(?P<by>[Bb]y)\s+)?(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)$")
_DATE_PREFIX = re.compile(
    r"^(?:(?:published|posted|updated|last updated|first published)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d", "%d.%m.%Y")
#: An outlet's name beside a signed byline: a few capitalised words.
_OUTLET = re.compile(r"^(?:The\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}$")
#: The separators of one header line that holds several fields ("By Jane Doe | May 30, 2023").
_SEPARATORS = re.compile(r"\s+[|·•—–]\s+")


def header_date(line: str) -> str | None:
    """The ISO date one header line states, or None: "30 May 2023" → "2023-05-30".

    A time after the date is allowed ("May 30, 2023, 10:04 GMT", "… at 9am"); any other
    words are not (a sentence that mentions a date is no dateline).
    """
    s = _DATE_PREFIX.sub("", line.strip())
    s = re.split(r",?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\b|,?\s+at\s+\d", s)[0]
    s = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", s).replace(",", " ").replace("Sept ", "Sep ")
    s = " ".join(s.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _byline(line: str, *, beside_date: bool) -> str | None:
    """The names of a byline line, or None; without "By" only beside a date (a subtitle in
    title case is no byline)."""
    match = _BYLINE.match(line.strip())
    if match is None or not (match.group("by") or beside_date):
        return None
    return match.group("names")


def _front_matter(source: str) -> tuple[dict[str, str], str]:
    """The fields of leading front matter and the rest of the document."""
    match = _FRONT_MATTER.match(source)
    if match is None:
        return {}, source
    raw: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if field := _FIELD.match(line):
            raw[field.group(1).lower()] = field.group(2).strip("\"'")
    fields: dict[str, str] = {}
    for name, keys in _KEYS.items():
        value = next((raw[k] for k in keys if raw.get(k)), None)
        if value:
            fields[name] = value
    if "date" in fields:
        fields["date"] = header_date(fields["date"][:10]) or header_date(fields["date"]) or ""
    return {k: v for k, v in fields.items() if v}, source[match.end() :]


def _inline(token: Token) -> str:
    """The text of an inline token: its words, code and line breaks; no images, no HTML."""
    out: list[str] = []
    for child in token.children or ():  # an image's alt text is in its own children: not read
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out).strip()


def _blocks(tokens: list[Token]) -> list[tuple[str, str]]:
    """``(kind, text)`` of each block a reader sees, in order (kind: title for a first-level
    heading, heading, paragraph, row, code)."""
    blocks: list[tuple[str, str]] = []
    row: list[str] | None = None
    heading: str | None = None
    for token in tokens:
        if token.type == "heading_open":
            heading = "title" if token.tag == "h1" else "heading"
        elif token.type == "heading_close":
            heading = None
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                blocks.append(("row", " | ".join(row)))
            row = None
        elif token.type == "inline":
            text = _inline(token)
            if row is not None:
                row.append(text)
            elif text:
                blocks.append((heading or "paragraph", text))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(("code", token.content.strip("\n")))
    return blocks


def _header(blocks: list[tuple[str, str]]) -> tuple[dict[str, str], int]:
    """The byline, date (and, beside a signed byline, outlet) stated in the block under a
    leading title, and 1 when there is such a block (it is left out of the text), else 0."""
    if len(blocks) < 2 or blocks[0][0] != "title" or blocks[1][0] != "paragraph":
        return {}, 0
    parts = [p for line in blocks[1][1].splitlines() for p in _SEPARATORS.split(line) if p.strip()]
    if not 1 <= len(parts) <= 4:
        return {}, 0
    dates = [header_date(p) for p in parts]
    found: dict[str, str] = {}
    if any(dates):
        found["date"] = next(d for d in dates if d)
    rest = []
    for part, date in zip(parts, dates, strict=True):
        names = None if date else _byline(part, beside_date="date" in found)
        if names is not None and "byline" not in found:
            found["byline"] = names
        elif not date:
            rest.append(part.strip())
    signed = any(re.match(r"[Bb]y\s", p.strip()) for p in parts)
    if len(rest) == 1 and signed and _OUTLET.match(rest[0]):
        found["outlet"] = rest[0]  # "By Jane Doe | The Eastbrook Courier"
    elif rest:
        return {}, 0  # a line that is neither: the block is prose, not a header
    return found, 1


def read_markdown(source: str) -> Article:
    """The Markdown document ``source`` as an :class:`Article` of format ``markdown``: the text
    a reader sees and the metadata it states (title, byline, date, outlet, url)."""
    fields, body = _front_matter(source)
    parser = MarkdownIt("commonmark").enable("table")
    blocks = _blocks(parser.parse(body))
    header, _ = _header(blocks)
    if header:
        blocks = blocks[:1] + blocks[2:]
    if blocks and blocks[0][0] == "title":
        fields.setdefault("title", blocks[0][1])
    for key, value in header.items():
        fields.setdefault(key, value)
    text = "\n\n".join(text for _, text in blocks)
    return Article(text=text, format="markdown", **fields)
