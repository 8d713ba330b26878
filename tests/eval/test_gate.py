"""The accuracy gate: PolNeAR dev figures must stay at or above the floors in eval/floors.toml.

Runs the whole analyzer over the 84 dev articles in each mode, ``fast`` and ``accurate``
(about a minute each); skipped when ../shared is absent. Lowering a floor is an explicit,
reviewed change to that file.
"""

from __future__ import annotations

import tomllib
from functools import partial
from importlib import resources

import pytest

from accordingto.eval import evaluate_polnear
from accordingto.nlp import load_pipeline
from accordingto.pipeline import analyze_many


def _floors() -> dict:
    raw = resources.files("accordingto.eval").joinpath("floors.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def _dev(shared_dir, model: str):
    polnear = shared_dir / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip("PolNeAR is not in ../shared")
    run = partial(analyze_many, nlp=load_pipeline(model=model))
    return evaluate_polnear(polnear, split="dev", analyze_many=run)


#: The floors' section of each mode.
SECTIONS = {"fast": "polnear_dev", "accurate": "polnear_dev_accurate"}
_REPORTS: dict[str, object] = {}


@pytest.fixture(scope="module")
def dev(shared_dir):
    """The dev report of a mode, analyzed once per module."""

    def report(model: str):
        if model not in _REPORTS:
            _REPORTS[model] = _dev(shared_dir, model)
        return _REPORTS[model]

    return report


FIGURES = [(role, mode) for role in ("source", "cue", "content") for mode in ("exact", "overlap")]


@pytest.mark.parametrize("model", SECTIONS)
@pytest.mark.parametrize(("role", "mode"), FIGURES)
def test_f1_floor(dev, model, role, mode):
    floor = _floors()[SECTIONS[model]][f"{role}_{mode}_f1"]
    assert dev(model).get(role, mode).f1 >= floor


@pytest.mark.parametrize("model", SECTIONS)
def test_speaker_resolution_floor(dev, model):
    report = dev(model)
    if report.resolution is None:
        pytest.skip("no resolved-speaker gold in this tree")
    floor = _floors()[SECTIONS[model]]["speaker_resolution_accuracy"]
    assert report.resolution.accuracy >= floor
