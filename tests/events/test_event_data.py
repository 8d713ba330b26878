"""The built event lexicons are what ``events/build.py`` makes of the shared dictionaries."""

from __future__ import annotations

import filecmp

from accordingto.events.build import DATA, build

BUILT = [
    "cameo.tsv",
    "verbs.tsv",
    "verb_patterns.tsv",
    "synsets.tsv",
    "actors.tsv",
    "agents.tsv",
    "countries.tsv",
]


def test_the_shipped_data_is_rebuilt_from_the_dictionaries(shared_dir, tmp_path):
    build(shared_dir / "data" / "events", tmp_path)
    for name in BUILT:
        assert filecmp.cmp(tmp_path / name, DATA / name, shallow=False), name


def test_every_data_file_cites_its_source():
    markers = ("Source", "Own list", "Written for", "written for", "Derived from")
    for path in DATA.glob("*.tsv"):
        head = path.read_text(encoding="utf-8").split("\n", 8)[:8]
        assert any(m in line for line in head for m in markers), path.name
