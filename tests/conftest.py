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


def _dump_store(path: Path) -> dict[str, list[str]]:
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'quotes_fts%'"
            " AND name NOT IN ('migrations', 'sqlite_sequence')"
        )
    ]
    out = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
    conn.close()
    return out


@pytest.fixture(scope="session")
def dump_store():
    """Every row of every table of a store but the migrations log, sorted: equal dumps, equal stores."""
    return _dump_store
