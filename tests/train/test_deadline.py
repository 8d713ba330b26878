"""The time budget ends training quietly: model-last is saved and spaCy prints no "Aborting".

A tiny ``ner`` on two sentences written for this test, trained by spaCy's own loop with the
``accordingto.train_deadline.v1`` callback and a budget of zero minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.cli.init_config import fill_config
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin

from accordingto.train.run import TrainingDeadline

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["ner"]
batch_size = 8

[components]

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
hidden_width = 8
maxout_pieces = 2
use_upper = true

[components.ner.model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 16
depth = 1
embed_size = 100
window_size = 1
maxout_pieces = 2
subword_features = true

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}

[training]
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"
max_epochs = 0
max_steps = 1000
eval_frequency = 2

[training.before_update]
@callbacks = "accordingto.train_deadline.v1"
minutes = 0
eval_frequency = ${training.eval_frequency}

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 100

[training.optimizer]
@optimizers = "Adam.v1"

[initialize]
"""

SENTENCES = [
    ("The mayor said the bridge would open.", (0, 9, "SOURCE")),
    ("Police said two people were hurt.", (0, 6, "SOURCE")),
]


def docbin(path: Path) -> Path:
    nlp = spacy.blank("en")
    bin_ = DocBin()
    for text, (start, end, label) in SENTENCES:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(start, end, label=label)]
        bin_.add(doc)
    bin_.to_disk(path)
    return path


def test_a_spent_budget_stops_training_without_aborting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "base.cfg").write_text(CONFIG)
    config = tmp_path / "config.cfg"
    fill_config(config, tmp_path / "base.cfg", silent=True)
    data = str(docbin(tmp_path / "train.spacy"))
    with pytest.raises(TrainingDeadline, match="time budget of 0 min"):
        spacy_train(config, tmp_path / "out", overrides={"paths.train": data, "paths.dev": data})
    out, err = capsys.readouterr()
    assert "Aborting" not in out + err
    assert "exception" not in (out + err).lower()
    assert (tmp_path / "out" / "model-last" / "meta.json").is_file()
    assert (tmp_path / "out" / "model-best" / "meta.json").is_file()
