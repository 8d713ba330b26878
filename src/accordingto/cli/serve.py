"""``accordingto serve``: the web app on this machine (localhost unless told otherwise).

Its flags are generated from :class:`~accordingto.web.settings.WebSettings` (name, type,
default, help), so a new setting is a new flag, and ``docs/web.md``'s table with it.  The
port is bound before anything is printed: a busy port is one line and exit status 2.
"""

from __future__ import annotations

import inspect
import socket
import sys
from dataclasses import Field
from pathlib import Path
from typing import Annotated, Any

import typer

from accordingto.errors import InputError
from accordingto.web.settings import (
    WebSettings,
    flag_name,
    serve_default,
    serve_settings,
)

from .app import app

#: Types of the flags, by the settings' annotation (the module uses postponed annotations).
_TYPES: dict[str, Any] = {
    "Path | None": Path | None,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
}
_LOCAL = ("127.0.0.1", "localhost", "::1")


def _parameter(f: Field) -> inspect.Parameter:
    """The typer parameter of one setting: ``--name`` (``--name/--no-name`` for a bool that
    is on by default)."""
    kind = _TYPES[str(f.type)]
    names = [flag_name(f)]
    if kind is bool and serve_default(f):  # a flag that is on unless switched off
        names = [f"{flag_name(f)}/--no-{flag_name(f)[2:]}"]
    option = typer.Option(*names, help=f.metadata["help"], metavar=f.metadata.get("metavar"))
    return inspect.Parameter(
        f.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=serve_default(f),
        annotation=Annotated[kind, option],
    )


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, for uvicorn to listen on.

    Raises:
        InputError: the address cannot be bound (busy port, unknown host, no permission).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as e:
        raise InputError(f"cannot listen on {host}: {e}; pass another --host") from e
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as e:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port} ({e.strerror or e}); "
            "pass another --port, or stop the program that uses it"
        ) from e
    return sock


def serve(**options: Any) -> None:
    """Start the web app: paste, fetch or upload an article and see who said what."""
    import uvicorn

    from accordingto.web import create_app

    settings = WebSettings(**options)
    if settings.db is not None and not settings.db.is_file():
        raise InputError(
            f"{settings.db}: no such store; make one with `accordingto run`, or leave out --db"
        )
    sock = bind(settings.host, settings.port)
    if settings.host not in _LOCAL:
        print(
            f"accordingto: warning: listening on {settings.host}: anyone who can reach this "
            "machine can use the app",
            file=sys.stderr,
        )
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(
        f"accordingto: serving on http://{host}:{settings.port}/ (Ctrl+C to stop)", file=sys.stderr
    )
    config = uvicorn.Config(create_app(settings), log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


serve.__signature__ = inspect.Signature([_parameter(f) for f in serve_settings()])  # type: ignore[attr-defined]
serve.__annotations__ = {f.name: _parameter(f).annotation for f in serve_settings()}

app.command(
    "serve",
    epilog="Examples:  accordingto serve            (then open http://127.0.0.1:8000/)\n\n"
    "accordingto serve --db corpus.db --port 8080",
)(serve)
