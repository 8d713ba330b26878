"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared directory (``../shared`` beside the repository); skip if absent."""
    path = Path(__file__).parents[1].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path
