"""frame.columns and frame.subtree_of (a parse's tokens as plain lists, read once) give what
spaCy's tokens give, on every sentence of the samples."""

from __future__ import annotations

from importlib import resources

from diplograph.claims import nlp
from diplograph.claims.frame import _head_of, columns, subtree_of
from diplograph.claims.sentences import split_sentences


def _parses():
    folder = resources.files("diplograph") / "data" / "samples"
    texts = [("Chile signed it. Peru, which had refused, signed the pact that Bolivia drafted in 2019, "
              "and Ecuador — whose ministers met on Monday — is expected to join."), "", "—"]
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".txt"):
            texts += [s.text for s in split_sentences(p.read_text(encoding="utf-8"))]
    return nlp.parse_many(texts)


def test_columns_and_subtrees_are_the_tokens():
    parses = _parses()
    tokens = 0
    for parse in parses:
        cols = columns(parse)
        assert cols.starts == [t.idx for t in parse]
        assert cols.ends == [t.idx + len(t.text) for t in parse]
        assert cols.text == [t.text for t in parse]
        assert cols.lower == [t.lower_ for t in parse]
        assert cols.dep == [t.dep_ for t in parse]
        assert cols.pos == [t.pos_ for t in parse]
        assert cols.head == [t.head.i for t in parse]
        assert cols.lemma == [t.lemma_.lower() for t in parse]
        assert cols.punct == [t.is_punct for t in parse]
        for t in parse:
            assert subtree_of(parse, t.i) == {x.i for x in t.subtree}, (parse.text, t.i)
            assert cols.children[t.i] == [x.i for x in t.children]
            assert cols.ancestors(t.i) == [x.i for x in t.ancestors]
        tokens += len(parse)
    assert tokens > 1000


def test_head_of_a_span_is_the_token_whose_head_lies_outside_it():
    for parse in _parses():
        for a in range(len(parse)):
            for b in range(a + 1, min(len(parse), a + 4) + 1):
                toks = [parse[i] for i in range(a, b)]
                inside = {t.i for t in toks}
                want = next((t.i for t in toks if t.head.i not in inside or t.head.i == t.i), toks[-1].i)
                assert _head_of(parse, parse[a].idx, parse[b - 1].idx + len(parse[b - 1].text)) == want
