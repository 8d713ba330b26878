"""The Typer application object shared by every command module.

Help is click's plain format (``rich_markup_mode=None``): typer's rich panels print a
``<bool>`` type beside every flag (``--help`` included) and no option turns that off, while
the plain format shows a flag as ``--robots / --no-robots``.  Shell completion is typer's
(``--install-completion``, ``--show-completion``).
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

__all__ = ["app", "version_line"]

app = typer.Typer(
    name="accordingto",
    help="Who said what, and what happened, according to whom: quotations, speakers, cues and events in news articles.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def version_line() -> str:
    """``accordingto X (spaCy Y, Python Z)``, without importing spaCy."""
    return (
        f"accordingto {_version('accordingto')} "
        f"(spaCy {_version('spacy')}, Python {platform.python_version()})"
    )


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Show the version of accordingto and spaCy, and exit.",
        ),
    ] = False,
) -> None:
    """Who said what, and what happened, according to whom: quotations, speakers, cues and events in news articles.

    Example:  accordingto analyze article.html
    """
