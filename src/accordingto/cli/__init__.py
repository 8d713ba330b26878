"""Command line: a thin shell over the library.  Each command lives in its own module."""

from __future__ import annotations

import logging
import os
import sys

from accordingto.errors import AccordingToError

# Importing a command module registers its command on ``app``.
from . import analyze as _analyze  # noqa: F401
from . import evaluate as _evaluate  # noqa: F401
from . import query as _query  # noqa: F401
from . import run as _run  # noqa: F401
from . import serve as _serve  # noqa: F401
from . import spark as _spark  # noqa: F401
from . import train as _train  # noqa: F401
from .app import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors of this package become one line on stderr and an exit code."""
    logging.basicConfig(level=logging.WARNING, format="accordingto: %(levelname)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        app(args=argv, prog_name="accordingto", standalone_mode=False)
    except AccordingToError as e:
        print(f"accordingto: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("accordingto: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # usage errors from click (or typer's vendored copy of click)
        name = type(e).__name__
        if name == "Exit":
            return e.exit_code
        if name == "Abort":
            return 1
        if callable(getattr(e, "format_message", None)) and hasattr(e, "exit_code"):
            print(f"accordingto: error: {e.format_message()} (see --help)", file=sys.stderr)
            return e.exit_code
        if os.environ.get("ACCORDINGTO_DEBUG"):
            raise
        print(
            f"accordingto: internal error: {name}: {e} (a bug: please report it; "
            "ACCORDINGTO_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 70
    return 0
