"""Every training variant's config builds, and the shipped model is the shipped variant's."""

import pytest
from spacy.util import load_config, load_model_from_config

from accordingto.nlp.tagger import COMPONENT, MODEL_DIR
from accordingto.train.run import CONFIGS, SHIPPED_VARIANT


@pytest.mark.parametrize("variant", sorted(CONFIGS))
def test_each_variant_config_builds_a_roles_head(variant):
    nlp = load_model_from_config(load_config(CONFIGS[variant]), auto_fill=True)
    assert COMPONENT in nlp.pipe_names


def test_the_shipped_model_was_trained_with_the_shipped_variant():
    if not (MODEL_DIR / "config.cfg").is_file():
        pytest.skip("no shipped tagger in this tree")
    shipped = load_config(MODEL_DIR / "config.cfg")["components"][COMPONENT]["model"]
    trained = load_config(CONFIGS[SHIPPED_VARIANT])["components"][COMPONENT]["model"]
    assert shipped["tok2vec"] == trained["tok2vec"]
    assert shipped["hidden_width"] == trained["hidden_width"]


def test_the_sm_variant_starts_from_the_base_tok2vec_weights():
    """The after_init callback copies en_core_web_sm's tok2vec into the head's own."""
    import numpy
    import spacy

    from accordingto.train.run import BASE_PIPELINE, make_copy_base_tok2vec

    nlp = load_model_from_config(load_config(CONFIGS["sm"]), auto_fill=True)
    head = nlp.get_pipe(COMPONENT)
    for label in ("SOURCE", "CUE", "CONTENT"):
        head.add_label(label)
    nlp.initialize()  # runs the callback named in the config
    base = spacy.load(BASE_PIPELINE).get_pipe("tok2vec").model
    own = next(layer for layer in head.model.get_ref("tok2vec").walk() if layer.name == base.name)
    text = "The mayor said it would rain."
    assert numpy.allclose(
        own.predict([nlp.make_doc(text)])[0], base.predict([nlp.make_doc(text)])[0]
    )
    assert make_copy_base_tok2vec(BASE_PIPELINE, COMPONENT)(nlp) is nlp
