"""Training the event coder: a tiny coder fitted here on sentences written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accordingto.eval.plv import Example

# sentence, source, target, root, quad (PLV's quad of the root)
ROWS = [
    ("Rebel fighters shelled an army base near the border.", "Rebel fighters", "an army base", "ASSAULT", 4),
    ("The air force bombed militant camps in the north.", "The air force", "militant camps", "ASSAULT", 4),
    ("Gunmen attacked a police convoy on the highway.", "Gunmen", "a police convoy", "ASSAULT", 4),
    ("Troops opened fire on the insurgents at dawn.", "Troops", "the insurgents", "ASSAULT", 4),
    ("Canada sent food aid to refugees in Sudan.", "Canada", "refugees in Sudan", "AID", 2),
    ("The World Bank gave a loan to Kenya for new roads.", "The World Bank", "Kenya", "AID", 2),
    ("Norway provided medical supplies to the hospitals of Gaza.", "Norway", "the hospitals of Gaza", "AID", 2),
    ("The charity delivered tents to earthquake survivors.", "The charity", "earthquake survivors", "AID", 2),
    ("The prime minister met the Indian foreign minister in Delhi.", "The prime minister", "the Indian foreign minister", "CONSULT", 1),
    ("Envoys from Qatar held talks with Taliban leaders.", "Envoys from Qatar", "Taliban leaders", "CONSULT", 1),
    ("The king hosted the visiting president at the palace.", "The king", "the visiting president", "CONSULT", 1),
    ("The minister phoned her Turkish counterpart on Friday.", "The minister", "her Turkish counterpart", "CONSULT", 1),
    ("The opposition accused the ruling party of vote rigging.", "The opposition", "the ruling party", "ACCUSE", 3),
    ("Rights groups criticised the junta for the killings.", "Rights groups", "the junta", "ACCUSE", 3),
    ("The senator blamed the agency for the delays.", "The senator", "the agency", "ACCUSE", 3),
    ("France denounced the coup leaders in a statement.", "France", "the coup leaders", "ACCUSE", 3),
]  # fmt: skip


def examples() -> list[Example]:
    out = []
    for text, source, target, root, quad in ROWS:
        s, t = text.index(source), text.index(target)
        out.append(Example(text, (s, s + len(source)), (t, t + len(target)), root, quad))
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sklearn")
    from accordingto.train.events import train_and_save

    out = tmp_path_factory.mktemp("coder")
    train_and_save(examples(), out, recipe="tfidf", k=2, log=lambda _: None)
    return out


def test_a_trained_coder_has_a_quad_model_and_its_own_threshold(tiny: Path) -> None:
    from accordingto.events.coder import EventCoder

    manifest = json.loads((tiny / "manifest.json").read_text())
    assert manifest["format"] == 2
    assert 0.0 <= manifest["threshold"] <= 1.0
    assert manifest["cv"]["k"] == 2
    assert set(manifest["held_out_by_threshold"]) == {"0.3", "0.5", "0.6", "0.8", "0.9"}
    with np.load(tiny / "weights.npz") as weights:
        assert weights["quad_coef"].shape[0] == 4
    coder = EventCoder(tiny)
    assert coder.threshold == manifest["threshold"]
    codings = coder.code(examples())
    assert sum(c.root == e.root for c, e in zip(codings, examples(), strict=True)) >= 12
    assert sum(c.quad == e.quad for c, e in zip(codings, examples(), strict=True)) >= 12


# held-out probabilities, right (1) or wrong (0), expected threshold
SURE = [
    # wrong up to 0.5, right from 0.6 on: the fit crosses 0.5 halfway
    ([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], [0, 0, 0, 0, 1, 1, 1, 1], 0.55),
    # always right: any probability will do
    ([0.3, 0.5, 0.9], [1, 1, 1], 0.0),
    # never right: never sure enough
    ([0.3, 0.5, 0.9], [0, 0, 0], 1.0),
]


@pytest.mark.parametrize(("probabilities", "right", "expected"), SURE)
def test_sure_threshold(probabilities: list[float], right: list[int], expected: float) -> None:
    pytest.importorskip("sklearn")
    from accordingto.train.events import sure_threshold

    assert sure_threshold(np.array(probabilities), np.array(right)) == pytest.approx(expected)


def test_cross_validation_of_a_linear_recipe() -> None:
    pytest.importorskip("sklearn")
    from accordingto.train.events import cross_validate

    summary = cross_validate(examples(), recipe="tfidf", k=2).summary()
    assert summary["k"] == 2 and len(summary["quad_macro_f1_folds"]) == 2
    assert 0.0 <= summary["root_macro_f1"] <= 1.0 and 0.0 <= summary["quad_macro_f1"] <= 1.0
    assert set(summary["root_f1"]) == {"ASSAULT", "AID", "CONSULT", "ACCUSE"}
    assert set(summary["quad_f1"]) == {"1", "2", "3", "4"}
    assert 0.0 <= summary["threshold"] <= 1.0


def test_the_fine_tuning_work_folder_is_keyed_by_the_data() -> None:
    pytest.importorskip("sklearn")
    from accordingto.train.events import data_key

    rows = examples()
    assert data_key(rows) == data_key(examples())
    assert data_key(rows) != data_key(rows[1:])
    assert data_key(rows) != data_key([*rows[:-1], Example(rows[-1].text, None, None, "AID", 2)])
