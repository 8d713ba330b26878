"""The web app's settings, defined once: each field's ``help`` drives ``accordingto serve``'s
flag, its ``--help`` text and the settings table in ``docs/web.md`` (:func:`settings_table`).

A field is a flag of ``serve`` unless its metadata says ``flag=False`` (hooks for tests).
``serve_default`` is the flag's default where ``serve`` differs from the library's.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

import httpx

from accordingto.ingest.guard import HostResolver, resolve_host

__all__ = ["WebSettings", "flag_name", "serve_default", "serve_settings", "settings_table"]


def _setting(default: Any, help: str, *, flag: bool = True, **extra: Any) -> Any:
    """A settings field: its default, the one help text, and whether ``serve`` has a flag."""
    return field(default=default, metadata={"help": help, "flag": flag, **extra})


@dataclass(frozen=True)
class WebSettings:
    """What :func:`accordingto.web.create_app` (and ``accordingto serve``) needs to know.

    >>> WebSettings(db=Path("corpus.db")).allow_private_urls
    False
    """

    db: Path | None = _setting(
        None, "A store made by `accordingto run`: adds the corpus pages.", metavar="PATH"
    )
    host: str = _setting(
        "127.0.0.1", "Address `serve` listens on; 0.0.0.0 opens it to your network."
    )
    port: int = _setting(8000, "Port `serve` listens on.")
    allow_private_urls: bool = _setting(
        False, "Let the app fetch URLs on loopback, private, link-local and reserved addresses."
    )
    max_upload_bytes: int = _setting(2_000_000, "Largest upload or pasted text, in bytes.")
    max_fetch_bytes: int = _setting(5_000_000, "Largest page fetched from a URL, in bytes.")
    fetch_timeout: float = _setting(
        10.0, "Seconds allowed for fetching a URL (connect, each read, the whole download)."
    )
    max_text_chars: int = _setting(
        200_000, "Longest article text analyzed, in characters (after reading HTML)."
    )
    workers: int = _setting(2, "Analyses run at once, each with its own spaCy pipeline.")
    queue_size: int = _setting(8, "Analyses that may wait for a worker; more get a 503.")
    analysis_budget_s: float = _setting(30.0, "Seconds one analysis may take.")
    cache_size: int = _setting(
        128, "Analyses kept in memory for their permalinks and JSON downloads."
    )
    preload: bool = _setting(
        False,
        "Load the spaCy pipeline when the app starts instead of at the first analysis.",
        serve_default=True,
    )
    #: Replaces httpx's network transport when fetching (tests).
    fetch_transport: httpx.BaseTransport | None = field(
        default=None, repr=False, metadata={"flag": False}
    )
    #: Resolves host names for the private-address check (tests).
    resolve: HostResolver = field(default=resolve_host, repr=False, metadata={"flag": False})


def serve_settings() -> list[Field]:
    """The fields that are flags of ``accordingto serve``, in order."""
    return [f for f in fields(WebSettings) if f.metadata.get("flag")]


def flag_name(f: Field) -> str:
    """``--max-upload-bytes`` for ``max_upload_bytes``."""
    return "--" + f.name.replace("_", "-")


def serve_default(f: Field) -> Any:
    """The default of ``serve``'s flag for a field."""
    return f.metadata.get("serve_default", f.default if f.default is not MISSING else None)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return f"{value:,}" if value >= 10_000 else str(value)
    return f"`{value}`"


def settings_table() -> str:
    """The Markdown table of ``serve``'s flags in ``docs/web.md`` (a test keeps them equal)."""
    rows = ["| flag | default | meaning |", "|---|---|---|"]
    for f in serve_settings():
        metavar = f" {f.metadata['metavar']}" if "metavar" in f.metadata else ""
        name = f"{flag_name(f)}{metavar}"
        if f.type in ("bool", bool) and serve_default(f):
            name = f"{flag_name(f)} / --no-{flag_name(f)[2:]}"
        rows.append(f"| `{name}` | {_shown(serve_default(f))} | {f.metadata['help']} |")
    return "\n".join(rows) + "\n"
