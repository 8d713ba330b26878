"""Checks shared by the commands' options: a bad value is a usage error (exit 2), not a bug."""

from __future__ import annotations

import math
import os
from typing import Annotated

import typer

from accordingto.errors import QueryError
from accordingto.export.select import KINDS, Selection, check_confidence, parse_only

__all__ = [
    "MinConfidence",
    "ModelOption",
    "choose_model",
    "Only",
    "min_confidence",
    "only_kinds",
    "positive_seconds",
    "selection",
]


def positive_seconds(value: float | None) -> float | None:
    """A number of seconds: finite and more than zero (``--timeout -1`` and ``nan`` are refused)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value} is not a number of seconds; give one above 0, e.g. 30")
    return value


def only_kinds(value: str | None) -> str | None:
    """Kinds of attribution, comma-separated (``--only gossip`` is refused)."""
    try:
        parse_only(value)
    except QueryError as e:
        raise typer.BadParameter(str(e).removeprefix("only: ")) from e
    return value


def min_confidence(value: float | None) -> float | None:
    """A probability, 0 to 1 (``--min-confidence 2`` is refused)."""
    try:
        return check_confidence(value)
    except QueryError as e:
        raise typer.BadParameter(str(e).removeprefix("min confidence ")) from e


def selection(only: str | None, min_confidence: float | None) -> Selection:
    """The selection the two options make (both already checked by their callbacks)."""
    return Selection.of(only=only, min_confidence=min_confidence)


#: ``--only KIND[,KIND]``: what each command keeps (its help says what that means there).
Only = Annotated[
    str | None,
    typer.Option(
        "--only",
        metavar="KIND[,KIND]",
        callback=only_kinds,
        help=f"Keep only attributions reported as these kinds: {', '.join(KINDS)} "
        "(several with commas, e.g. speech,thought).",
    ),
]
#: ``--min-confidence P``: keep attributions whose confidence is at least ``P``.
MinConfidence = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        metavar="P",
        callback=min_confidence,
        help="Keep only attributions whose confidence is at least P (0 to 1).",
    ),
]


def choose_model(value: str | None) -> str | None:
    """``--model``: ``fast`` or ``accurate``; the choice goes to ``ACCORDINGTO_MODEL``, so
    worker processes (``run``) load the same pipeline."""
    from accordingto.nlp.load import MODEL_ENV, MODELS

    if value is None:
        return None
    if value not in MODELS:
        raise typer.BadParameter(f"unknown model {value!r}; use fast or accurate")
    os.environ[MODEL_ENV] = value
    return value


#: The ``--model`` option of ``analyze``, ``run`` and ``eval polnear`` (docs/model.md).
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        metavar="fast|accurate",
        callback=choose_model,
        help="fast (default: the CNN tagger) or accurate (with two MiniLM taggers: slower, "
        "more exact); also ACCORDINGTO_MODEL.",
    ),
]
