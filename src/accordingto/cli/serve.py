"""``accordingto serve``: the web app on this machine (localhost unless told otherwise)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from accordingto.errors import InputError

from .app import app


@app.command(
    "serve",
    epilog="Examples:  accordingto serve            (then open http://127.0.0.1:8000/)\n\n"
    "accordingto serve --db corpus.db --port 8080",
)
def serve_command(
    db: Annotated[
        Path | None, typer.Option(help="A store made by `accordingto run`: adds the corpus pages.")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to your network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let the app fetch URLs on loopback, private and link-local addresses.",
        ),
    ] = False,
    max_upload_bytes: Annotated[
        int, typer.Option(help="Largest upload or pasted text, in bytes.")
    ] = 2_000_000,
) -> None:
    """Start the web app: paste, fetch or upload an article and see who said what."""
    import uvicorn

    from accordingto.web import WebSettings, create_app

    if db is not None and not db.is_file():
        raise InputError(f"{db}: no such store; make one with `accordingto run`, or leave out --db")
    settings = WebSettings(
        db=db,
        allow_private_urls=allow_private_urls,
        max_upload_bytes=max_upload_bytes,
        preload=True,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"accordingto: warning: listening on {host}: anyone who can reach this machine "
            "can use the app",
            file=sys.stderr,
        )
    print(f"accordingto: serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
