"""Command line: a thin shell over the library.  Each command lives in its own module.

:func:`main` runs a command and turns what ends it into one line on stderr and
an exit status: the package's errors (their ``exit_code``, see
:mod:`accordingto.errors`), click's usage errors (2), an interrupt (130, or 143
for SIGTERM), a reader that went away (141, quietly), a full disk (10), and
anything else as a bug (70).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import sys

import click
import typer
import typer.main
from typer._click import exceptions as typer_click

from accordingto.errors import AccordingToError, DiskFullError, Interrupted
from accordingto.store.store import explains, store_error

# Importing a command module registers its command on ``app``.
from . import analyze as _analyze  # noqa: F401
from . import evaluate as _evaluate  # noqa: F401
from . import events as _events  # noqa: F401
from . import query as _query  # noqa: F401
from . import run as _run  # noqa: F401
from . import serve as _serve  # noqa: F401
from . import spark as _spark  # noqa: F401
from . import train as _train  # noqa: F401
from .app import app

__all__ = ["app", "main"]

#: The exit status of a process whose reader went away (128 + SIGPIPE), as ``yes | head`` gives.
BROKEN_PIPE = 141

# typer ships its own copy of click; a command may raise either's exceptions.
_EXIT = (typer.Exit, click.exceptions.Exit)
_ABORT = (typer.Abort, click.exceptions.Abort)
_USAGE = (typer_click.ClickException, click.ClickException)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors of this package become one line on stderr and an exit code."""
    logging.basicConfig(level=logging.WARNING, format="accordingto: %(levelname)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    code = _dispatch(argv)
    try:  # now, not at exit, where a failed flush prints "Exception ignored ..."
        sys.stdout.flush()
    except OSError:
        _silence_stdout()
    return code


def _dispatch(argv: list[str] | None) -> int:
    try:
        return _invoke(argv)
    except AccordingToError as e:
        return _fail(f"error: {e}", e.exit_code)
    except Interrupted as e:
        return _fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE
    except _EXIT as e:
        return e.exit_code
    except _ABORT:
        return 1
    except _USAGE as e:
        return _fail(f"error: {e.format_message()} (see --help)", e.exit_code)
    except sqlite3.Error as e:  # met outside the store's own checks, e.g. a query on a damaged file
        if not explains(e):
            return _bug(e)
        err = store_error(e)
        return _fail(f"error: {err}", err.exit_code)
    except OSError as e:
        if e.errno == errno.ENOSPC:
            err = DiskFullError(f"no space left on the device ({e}); free some space and try again")
            return _fail(f"error: {err}", err.exit_code)
        return _bug(e)
    except Exception as e:
        return _bug(e)


def _invoke(argv: list[str] | None) -> int:
    """Run the command of ``argv``; its exceptions propagate, by class, to :func:`main`."""
    args = sys.argv[1:] if argv is None else list(argv)
    if os.environ.get("_ACCORDINGTO_COMPLETE"):  # the shell asks for completions: typer answers
        app(args=args, prog_name="accordingto")
    command = typer.main.get_command(app)
    with command.make_context("accordingto", args) as ctx:
        rv = command.invoke(ctx)
    return rv if isinstance(rv, int) else 0


def _fail(line: str, code: int) -> int:
    print(f"accordingto: {line}", file=sys.stderr)
    return code


def _bug(e: Exception) -> int:
    if os.environ.get("ACCORDINGTO_DEBUG"):
        raise e
    return _fail(
        f"internal error: {type(e).__name__}: {e} (a bug: please report it; "
        "ACCORDINGTO_DEBUG=1 shows the traceback)",
        70,
    )


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing (Python's SIGPIPE note)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # replaced by a test's capture: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
