"""Read one article from a file, a stream, bytes or a URL into an :class:`Article`.

Plain text is analyzed **as given**: ``Article.text`` is exactly the decoded
input, so every offset in the output indexes the input file (as Python string
indices, i.e. code points).  The one change is that a leading UTF-8 byte-order
mark is dropped; line endings, tabs and trailing whitespace are all kept.
Markdown is read like HTML (:mod:`accordingto.ingest.markdown`): ``Article.text``
is the text a reader sees, without emphasis, link or heading syntax, so no span
holds markup, and the byline and date under the title (or in front matter) fill
``byline`` and ``date``.  Local text must be UTF-8: anything else is an
:class:`InputError` that says at which byte the file stops being UTF-8.  Text
fetched from the web is decoded with the charset of its ``Content-Type`` header
if it has one, else as UTF-8, just as strictly.  Gzip-compressed input (a
``story.html.gz`` file, an upload, standard input) is decompressed first, within
the same size cap, and its format is that of the name without ``.gz``.

HTML is reduced to its main text by :func:`accordingto.extract.extract_html`;
that text is part of the output.  Its encoding is, in order: a byte-order mark,
the charset of the HTTP ``Content-Type`` header, the page's ``<meta charset>``
(or XML declaration), else UTF-8.  HTML fetched from the web is decoded with
replacement characters for bytes that do not fit, because pages often lie about
their encoding and the text is extracted anyway; a local HTML file must decode
cleanly, like any other local file.

Only real text encodings are used.  A declared charset that Python does not
know, or that is not a text encoding (``base64``, ``rot13``, ``hex``, ``zlib``,
``uu``, ``undefined`` …, see :func:`text_codec`), is ignored, as browsers ignore
labels they do not know: the document is decoded as UTF-8 (strictly for local
files, so non-UTF-8 bytes are then an :class:`InputError`), and a warning naming
the document is logged (:func:`~accordingto.ingest.document.warn`).

Each error message starts with the source (path, URL or ``standard input``),
says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import os
import re
import zlib
from dataclasses import replace
from pathlib import PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from accordingto.errors import InputError
from accordingto.extract.html import extract_html
from accordingto.model import Article

from .document import warn
from .fetch import CONTENT_TYPES, FetchResult, fetch_url
from .guard import HostResolver
from .language import guess_language
from .markdown import read_markdown

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "STDIN_NAME",
    "decode_html",
    "decode_text",
    "detect_format",
    "gunzip",
    "markdown_title",
    "normalize_format",
    "read_bytes",
    "read_fetched",
    "read_file",
    "read_stream",
    "read_url",
    "text_codec",
]

log = logging.getLogger(__name__)

#: Seconds allowed for connecting, for each read and for a whole download.
DEFAULT_TIMEOUT = 20.0
#: Largest input accepted, in bytes (10 MB: a long article in HTML is well under 1 MB).
DEFAULT_MAX_BYTES = 10_000_000

#: The formats an article can be read in.
FORMATS = ("text", "markdown", "html")
#: How standard input is named in messages.
STDIN_NAME = "standard input"

_FORMAT_NAMES = {
    "text": "text", "txt": "text", "plain": "text",
    "markdown": "markdown", "md": "markdown",
    "html": "html", "htm": "html", "xhtml": "html",
}  # fmt: skip
_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}  # fmt: skip

_UTF8_BOM = codecs.BOM_UTF8
_SNIFF_BYTES = 64 * 1024
#: Share of control characters (other than tab, newline, CR, FF, VT) above which input is binary.
_MAX_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes(b for b in [*range(0x20), 0x7F] if b not in b"\t\n\r\x0b\x0c")
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|br|article|section|header|footer|nav|main|script|style"
    r"|meta|link|title|h[1-6]|ul|ol|li|table|tr|td|img|em|strong|b|i|figure|time)\b[^<>]*>",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
#: Declared charsets that browsers read as windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
#: Codecs Python counts as text encodings that no page is written in: a declared one is ignored.
_NOT_CHARSETS = frozenset(
    {"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
#: What starts a gzip stream (RFC 1952).
GZIP_MAGIC = b"\x1f\x8b"
_MARKDOWN_TITLE = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def read_file(
    path: str | os.PathLike[str], *, format: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Read the article in the file at ``path``; the format comes from the extension or the content.

    At most ``max_bytes + 1`` bytes are read, so a huge file is refused without
    loading it.

    Raises:
        InputError: no such file, a directory, unreadable, too large, or bad content
            (see :func:`read_bytes`).
    """
    source = os.fspath(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            # a regular file's size is known: refuse before reading (pipes report 0)
            data = b"" if size > max_bytes else f.read(max_bytes + 1)
    except FileNotFoundError as e:
        raise InputError(
            f"{source}: no such file; check the path, or pass an http(s):// URL, or - for "
            "standard input"
        ) from e
    except IsADirectoryError as e:
        raise InputError(f"{source}: is a directory; pass the path of one article file") from e
    except PermissionError as e:
        raise InputError(f"{source}: permission denied; check the file's permissions") from e
    except OSError as e:
        raise InputError(f"{source}: cannot be read ({e.strerror}); check the path") from e
    if size > max_bytes or len(data) > max_bytes:
        raise InputError(_too_large_message(source, max_bytes, size if size > max_bytes else None))
    return read_bytes(data, source=source, format=format, name=source, max_bytes=max_bytes)


def read_stream(
    stream: BinaryIO,
    *,
    name: str = STDIN_NAME,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read the article in a binary stream (e.g. ``sys.stdin.buffer``) until end of file.

    Raises:
        InputError: more than ``max_bytes`` bytes, or bad content (see :func:`read_bytes`).
    """
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise InputError(_too_large_message(name, max_bytes, None))
    return read_bytes(b"".join(chunks), source=name, format=format, max_bytes=max_bytes)


def read_url(
    url: str,
    *,
    format: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
    allow_private: bool = False,
    resolve: HostResolver | None = None,
) -> Article:
    """Fetch ``url`` (see :func:`~accordingto.ingest.fetch.fetch_url`) and read the article in it.

    ``transport``, ``allow_private`` and ``resolve`` go to :func:`fetch_url`
    (a test's ``httpx.MockTransport``, the private-address guard's switch and
    resolver).  The format is as in :func:`read_fetched`.

    Raises:
        FetchError: the page could not be fetched, or its host is a private address.
        InputError: its content cannot be analyzed (see :func:`read_bytes`).
    """
    result = fetch_url(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        transport=transport,
        allow_private=allow_private,
        resolve=resolve,
    )
    return read_fetched(result, format=format, max_bytes=max_bytes)


def read_fetched(
    result: FetchResult, *, format: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """The article in a fetched page: ``format`` if given, else by the Content-Type
    (:data:`~accordingto.ingest.fetch.CONTENT_TYPES`), else by the URL's extension or the
    content.  ``Article.url`` is the final URL after redirects.

    Raises:
        InputError: the content cannot be analyzed (see :func:`read_bytes`).
    """
    if format is None:
        format = CONTENT_TYPES.get(result.content_type)
    return read_bytes(
        result.content,
        source=result.url,
        format=format,
        name=urlsplit(result.url).path,
        url=result.url,
        charset=result.encoding,
        from_web=True,
        max_bytes=max_bytes,
    )


def read_bytes(
    data: bytes,
    *,
    source: str,
    format: str | None = None,
    name: str | None = None,
    url: str | None = None,
    charset: str | None = None,
    from_web: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """The article in ``data``; ``source`` names it in messages, ``name`` (a file name) hints its format.

    ``charset`` is the one the server declared; ``from_web`` makes HTML decoding
    lenient (see the module docs).  Gzip data is decompressed first (at most
    ``max_bytes``), and ``name`` loses its ``.gz``.
    ``Article.language`` is set by :func:`~accordingto.ingest.language.guess_language`.

    Raises:
        InputError: empty or whitespace-only, binary, not UTF-8, an unknown
            ``format``, a broken or too large gzip stream, or HTML without article text.
    """
    fmt = normalize_format(format) if format is not None else None
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, source=source, max_bytes=max_bytes)
        if name and name.lower().endswith(".gz"):
            name = name[:-3]
    _check_content(data, source)
    fmt = fmt or detect_format(data, name=name)
    if fmt == "html":
        html = decode_html(data, source=source, charset=charset, lenient=from_web)
        try:
            article = extract_html(html, url=url)
        except InputError as e:
            raise InputError(f"{source}: {e}") from e
    else:
        text = decode_text(data, source=source, encoding=charset)
        if not text.strip():
            raise InputError(_whitespace_message(source))
        if fmt == "markdown":
            article = read_markdown(text)
            if not article.text.strip():
                raise InputError(_whitespace_message(source))
            article = replace(article, url=url or article.url)
        else:
            article = Article(text=text, url=url, format=fmt)
    return replace(article, language=guess_language(article.text))


def normalize_format(format: str) -> str:
    """``text``, ``markdown`` or ``html`` for a format name or alias (``md``, ``txt``, ``htm`` …).

    Raises:
        InputError: an unknown format name.
    """
    fmt = _FORMAT_NAMES.get(format.strip().lower().lstrip("."))
    if fmt is None:
        raise InputError(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def detect_format(data: bytes, *, name: str | None = None) -> str:
    """The format of ``data``: by the extension of ``name`` if it has a known one, else by content.

    Content sniffing says ``html`` when the input starts with ``<!doctype html``
    or ``<html``, or starts with a tag and has at least 3 HTML tags, or has at
    least 20 HTML tags anywhere in its first 64 KiB; ``markdown`` when its
    first non-empty line is an ATX heading (``# Title``); else ``text``.
    """
    if name:
        fmt = _EXTENSIONS.get(PurePosixPath(name.replace("\\", "/")).suffix.lower())
        if fmt:
            return fmt
    head = data[:_SNIFF_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    lowered = head[:100].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return "html"
    tags = len(_HTML_TAG.findall(head))
    if (head.startswith("<") and tags >= 3) or tags >= 20:
        return "html"
    first_line = head.split("\n", 1)[0]
    return "markdown" if re.match(r" {0,3}#{1,6}[ \t]+\S", first_line) else "text"


def decode_text(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """``data`` decoded as UTF-8 (or ``encoding``), without a leading UTF-8 byte-order mark.

    Nothing else changes, so offsets into the result are offsets into the input.
    ``encoding`` is for text served with a charset in its Content-Type header;
    one that is not a usable text encoding (see :func:`text_codec`) is ignored.

    Raises:
        InputError: the bytes do not decode; the message gives the byte offset.
    """
    skip = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    return _decode(data, skip, [] if skip else [encoding], source=source, lenient=False)


def decode_html(
    data: bytes, *, source: str, charset: str | None = None, lenient: bool = False
) -> str:
    """HTML bytes as text, in the declared encoding (BOM, ``charset``, ``<meta>``) or UTF-8.

    ``lenient`` (for pages from the web) replaces undecodable bytes with U+FFFD
    instead of raising.

    Raises:
        InputError: not ``lenient`` and the bytes do not decode.
    """
    skip = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    declared = [] if skip else [charset, _meta_charset(data)]
    return _decode(data, skip, declared, source=source, lenient=lenient)


def _decode(
    data: bytes, skip: int, declared: list[str | None], *, source: str, lenient: bool
) -> str:
    """``data[skip:]`` in the first usable ``declared`` charset, else UTF-8.

    ``lenient`` puts U+FFFD for bytes that do not fit.  Declared charsets that
    were passed over are named in a warning once the text is decoded, or in the
    error when it does not decode (one line either way).
    """
    encoding, ignored = "utf-8", []
    for label in declared:
        codec, why = _lookup(label)
        if codec is not None:
            encoding = codec
            break
        if why is not None:
            ignored.append(why)
    note = "; ".join(ignored)
    try:
        text = data[skip:].decode(encoding, errors="replace" if lenient else "strict")
    except UnicodeDecodeError as e:
        message = _undecodable_message(source, data, skip + e.start, encoding)
        raise InputError(f"{message} ({note})" if note else message) from e
    except UnicodeError as e:  # a codec that fails as a whole rather than at a byte
        raise InputError(
            f"{source}: does not decode as {encoding} ({e}); convert it to UTF-8 first"
        ) from e
    if note:
        warn(source, f"{note}; read as UTF-8 instead")
    return text


def gunzip(data: bytes, *, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The decompressed content of gzip ``data``, of at most ``max_bytes`` bytes.

    Only ``max_bytes + 1`` bytes are ever inflated, so a small gzip bomb costs nothing.

    Raises:
        InputError: not a complete gzip stream, or more than ``max_bytes`` once decompressed.
    """
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(
            f"{source}: is not a readable gzip file ({str(e) or type(e).__name__}); "
            "decompress it with gunzip and pass the result"
        ) from e
    if len(out) > max_bytes:
        raise InputError(
            f"{source}: is larger than the limit of {max_bytes:,} bytes once decompressed; "
            "pass one article at a time, or raise the limit (--max-bytes)"
        )
    return out


def markdown_title(text: str) -> str | None:
    """The title of a Markdown document whose first non-empty line is ``# Title``, else ``None``."""
    for line in text.splitlines():
        if line.strip():
            match = _MARKDOWN_TITLE.match(line)
            return match.group(1).strip() if match else None
    return None


def _check_content(data: bytes, source: str) -> None:
    """Refuse empty, whitespace-only and binary input before decoding it."""
    if not data:
        raise InputError(f"{source}: input is empty; pass a file or URL with an article's text")
    if not data.strip():
        raise InputError(_whitespace_message(source))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{source}: is UTF-16 text; convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8"
        )
    if b"\x00" in data:
        raise InputError(_binary_message(source, "it contains NUL bytes"))
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            _binary_message(source, f"{controls / len(sample):.0%} control characters")
        )


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 8 KiB (``<meta>`` or XML declaration)."""
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def text_codec(label: str | None) -> str | None:
    """The Python text codec for a declared charset label; ``None`` for no usable one.

    ``iso-8859-1``, ``latin1`` and ``ascii`` mean windows-1252 (as in browsers);
    ``utf-16``/``utf-32`` mean UTF-8 (input with NUL bytes or a UTF-16 byte-order
    mark never gets this far).  A label Python does not know, a codec that is not
    a text encoding (``codecs.lookup(label)._is_text_encoding`` is false: base64,
    rot13, hex, zlib, uu …) or one no page is written in (``undefined``, ``idna``,
    ``unicode-escape``, ``utf-7``) gives ``None``.

    >>> text_codec("Windows-1252")
    'cp1252'
    >>> text_codec("base64") is None
    True
    """
    return _lookup(label)[0]


def _lookup(label: str | None) -> tuple[str | None, str | None]:
    """``(codec, None)`` for a usable label; ``(None, why not)`` for another; ``(None, None)``."""
    if not label:
        return None, None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252", None
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None, f"it declares the charset {label!r}, which Python does not know"
    if info.name.startswith(("utf-16", "utf-32")):
        return "utf-8", None
    if not getattr(info, "_is_text_encoding", False):
        return None, f"it declares the charset {label!r}, which is not a text encoding"
    if info.name in _NOT_CHARSETS:
        return None, f"it declares the charset {label!r}, which no page is written in"
    return info.name, None


def _too_large_message(source: str, max_bytes: int, size: int | None) -> str:
    what = f"is {size:,} bytes, over" if size is not None else "is larger than"
    return (
        f"{source}: {what} the limit of {max_bytes:,} bytes; pass one article at a time, "
        "or raise the limit (--max-bytes)"
    )


def _whitespace_message(source: str) -> str:
    return f"{source}: input contains only whitespace; pass a file or URL with an article's text"


def _binary_message(source: str, reason: str) -> str:
    return (
        f"{source}: looks like a binary file, not text ({reason}); pass plain text, Markdown "
        "or HTML, and convert PDF or Word documents to text first"
    )


def _undecodable_message(source: str, data: bytes, offset: int, encoding: str) -> str:
    byte = f"byte 0x{data[offset]:02x} at byte offset {offset}"
    if encoding == "utf-8":
        return (
            f"{source}: is not valid UTF-8 ({byte}); convert it first, "
            "e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.txt"
        )
    return (
        f"{source}: does not decode as {encoding}, the encoding it declares ({byte}); "
        f"convert it to UTF-8 first, e.g. iconv -f {encoding} -t UTF-8 FILE > FILE.utf8.txt"
    )
