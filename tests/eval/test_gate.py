"""The accuracy gate: PolNeAR dev figures must stay at or above the floors in eval/floors.toml.

Runs the whole analyzer over the 84 dev articles (about a minute); skipped when ../shared is
absent. Lowering a floor is an explicit, reviewed change to that file.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from accordingto.eval import evaluate_polnear


def _floors() -> dict:
    raw = resources.files("accordingto.eval").joinpath("floors.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@pytest.fixture(scope="module")
def report(shared_dir):
    polnear = shared_dir / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip("PolNeAR is not in ../shared")
    return evaluate_polnear(polnear, split="dev")


FIGURES = [(role, mode) for role in ("source", "cue", "content") for mode in ("exact", "overlap")]


@pytest.mark.parametrize(("role", "mode"), FIGURES)
def test_f1_floor(report, role, mode):
    floor = _floors()["polnear_dev"][f"{role}_{mode}_f1"]
    assert report.get(role, mode).f1 >= floor


def test_speaker_resolution_floor(report):
    if report.resolution is None:
        pytest.skip("no resolved-speaker gold in this tree")
    floor = _floors()["polnear_dev"]["speaker_resolution_accuracy"]
    assert report.resolution.accuracy >= floor
