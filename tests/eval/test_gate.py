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


@pytest.fixture(scope="module")
def report(shared_dir):
    return _dev(shared_dir, "fast")


@pytest.fixture(scope="module")
def accurate_report(shared_dir):
    return _dev(shared_dir, "accurate")


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


@pytest.mark.parametrize(("role", "mode"), FIGURES)
def test_accurate_f1_floor(accurate_report, role, mode):
    floor = _floors()["polnear_dev_accurate"][f"{role}_{mode}_f1"]
    assert accurate_report.get(role, mode).f1 >= floor


def test_accurate_speaker_resolution_floor(accurate_report):
    if accurate_report.resolution is None:
        pytest.skip("no resolved-speaker gold in this tree")
    floor = _floors()["polnear_dev_accurate"]["speaker_resolution_accuracy"]
    assert accurate_report.resolution.accuracy >= floor
