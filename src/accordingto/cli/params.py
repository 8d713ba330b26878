"""Checks shared by the commands' options: a bad value is a usage error (exit 2), not a bug."""

from __future__ import annotations

import math

import typer

__all__ = ["positive_seconds"]


def positive_seconds(value: float | None) -> float | None:
    """A number of seconds: finite and more than zero (``--timeout -1`` and ``nan`` are refused)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value} is not a number of seconds; give one above 0, e.g. 30")
    return value
