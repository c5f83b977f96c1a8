"""registry.AnyOf answers exactly as one alternation of the patterns searched whole."""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest

from diplograph.claims.registry import (
    AnyOf,
    TypesMatching,
    _first_chars,
    any_of,
    claim_types,
    triggered,
)
from diplograph.claims.sentences import split_sentences


def _texts() -> list[str]:
    folder = resources.files("diplograph") / "data" / "samples"
    texts = [ex["text"] for t in claim_types().values() for ex in t.examples]
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".txt"):
            texts += [s.text for s in split_sentences(p.read_text(encoding="utf-8"))]
    rng = random.Random(7)
    # case changes, characters beyond ASCII that fold to ASCII letters (long s, Kelvin sign,
    # dotted and dotless i), punctuation and spaces slipped into words
    odd = ["ſ", "K", "İ", "ı", "“", "\u00a0", "é", "-", " ", "’", "\n"]
    mutated = []
    for text in texts:
        chars = list(text)
        for _ in range(4):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        mutated += ["".join(chars), text.upper(), text.swapcase()]
    return texts + mutated + ["", " ", "ſigned", "The weather in Lisbon was mild."]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_every_screen_agrees_with_the_alternation(texts):
    groups = [[rx for t in claim_types().values() for rx in t.triggers]]
    groups += [list(t.triggers) for t in claim_types().values() if t.triggers]
    for patterns in groups:
        fast, whole = AnyOf(patterns), any_of(patterns)
        for text in texts:
            assert fast.search(text) == bool(whole.search(text)), (patterns[0].pattern, text)


def test_modality_phrase_screens_agree_with_the_phrases(texts):
    from diplograph.claims.modality import cues, phrase_screens

    for key, screen in phrase_screens().items():
        for text in texts + [t.lower() for t in texts]:
            assert screen.search(text) == any(rx.search(text) for rx in cues()[key]), (key, text)


def test_types_matching_agrees_with_each_type_alone(texts):
    types = {n: t for n, t in claim_types().items() if t.triggers}
    for text in texts:
        want = {n for n, t in types.items() if any(rx.search(text) for rx in t.triggers)}
        assert triggered(text) == want, text


def test_types_matching_tells_groups_apart_whatever_groups_their_patterns_hold():
    groups = {
        "a": [re.compile(r"\b(al)(ly)\b", re.IGNORECASE), re.compile(r"\bpact\b", re.IGNORECASE)],
        "b": [re.compile(r"\b(?:all(y|ies))\b", re.IGNORECASE)],
        "c": [re.compile(r"(?<=\bthe )ally\b", re.IGNORECASE), re.compile(r"\bpa(c)t(s)?\b", re.IGNORECASE)],
    }
    which = TypesMatching(groups)
    assert which("An ally.") == {"a", "b"}
    assert which("The ally and the pacts") == {"a", "b", "c"}
    assert which("pacts") == {"c"}
    assert which("A PACT") == {"a", "c"}
    assert which("allies") == {"b"}
    assert which("") == set()


def test_the_trigger_screen_is_mostly_tried_by_first_character():
    screen = AnyOf(rx for t in claim_types().values() for rx in t.triggers)
    assert len(screen.by_char) > 20
    assert screen.elsewhere is not None  # the triggers that begin with a look-behind


@pytest.mark.parametrize(("pattern", "first"), [
    (r"\balliances?\b", {"a", "A"}),
    (r"\b(?:join|accession)\b", {"j", "J", "a", "A"}),
    (r"\b(?:mutual[- ])?defen[cs]e pact\b", {"m", "M", "d", "D"}),
    (r"\b(?:\d+|two) documents\b", set("0123456789tT")),
    (r"\b(?-i:may)\b", {"m"}),
    (r"\bs\b", {"s", "S"}),  # and the long s beyond ASCII, which the screen tries whole
])
def test_first_characters(pattern, first):
    assert _first_chars(re.compile(pattern, re.IGNORECASE)) == first


@pytest.mark.parametrize("pattern", [
    r"(?<=\bis )due\b",  # no boundary first
    r"\b(?:x)?\b",  # may match nothing after the boundary
    r"alliance",
    r"\b()\1a",  # a back-reference before any character
])
def test_patterns_searched_whole(pattern):
    assert _first_chars(re.compile(pattern, re.IGNORECASE)) is None
    fast = AnyOf([re.compile(pattern, re.IGNORECASE)] * 4)
    for text in ("it is due now", "an alliance", "aa", "", "x"):
        assert fast.search(text) == bool(any_of([re.compile(pattern, re.IGNORECASE)]).search(text))
