"""WARC files (Common Crawl's news crawl, web archives): their HTML responses as documents.

Written once for ``accordingto run`` (:func:`read_warc`, a file) and the Spark
job (:func:`warc_documents`, any binary stream, e.g. a file's bytes), so both
read a crawl the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from accordingto.errors import AccordingToError

from .document import Document, file_documents
from .fetch import CONTENT_TYPES
from .read import read_bytes

__all__ = ["HTML_TYPES", "charset_of", "read_warc", "warc_documents", "warc_record_document"]

#: The media types of the responses read as articles (the HTML ones of the content-type map).
HTML_TYPES = frozenset(t for t, fmt in CONTENT_TYPES.items() if fmt == "html")


def read_warc(path: str) -> Iterator[Document]:
    """The HTML responses of a WARC or WARC.gz file as articles (see :func:`warc_documents`).

    A file that cannot be opened, or that stops being readable, is one failed document.
    """
    yield from file_documents(path, lambda f: warc_documents(f, source=path))


def warc_documents(stream: IO[bytes], *, source: str) -> Iterator[Document]:
    """The documents of the successful HTML responses in a WARC (or WARC.gz) stream.

    Each is named ``source#<WARC-Record-ID>``; ``url`` and ``date`` come from the
    record headers.  Other records are skipped.  Where the stream stops being
    WARC, one failed document ``source#end`` ends the iteration.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(stream):
            if record.format != "warc":  # warcio reads any 5-word line as an ARC header
                raise ArchiveLoadFailed(f"a {record.format} record, not WARC")
            doc = warc_record_document(record, source)
            if doc is not None:
                yield doc
    except ArchiveLoadFailed as e:
        yield Document(
            f"{source}#end",
            error=f"{source}: not a readable WARC file ({e}); the records before this "
            "point were read",
        )


def warc_record_document(record: Any, path: str) -> Document | None:
    """The document in one warcio record of the file ``path``; ``None`` for records that are not
    successful HTML responses (requests, metadata, redirects, images …)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    content_type = record.http_headers.get_header("Content-Type") or ""
    if status != "200" or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    source = f"{path}#{record.rec_headers.get_header('WARC-Record-ID') or url}"
    try:
        data = record.content_stream().read()
        article = read_bytes(
            data,
            source=url or source,
            format="html",
            url=url,
            charset=charset_of(content_type),
            from_web=True,
        )
    except AccordingToError as e:
        return Document(source, error=str(e))
    except Exception as e:  # warcio's decompression of one record: that record fails alone
        return Document(
            source, error=f"{source}: record cannot be decoded ({type(e).__name__}: {e})"
        )
    date = record.rec_headers.get_header("WARC-Date")
    return Document(source, replace(article, date=article.date or (date[:10] if date else None)))


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, or ``None``.

    >>> charset_of('text/html; charset="ISO-8859-1"')
    'ISO-8859-1'
    """
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None
