"""Sentence splitting: a wire dateline is a segment of its own, abbreviations do not end a
sentence."""

from __future__ import annotations

import pytest

from diplograph.claims.sentences import split_sentences


@pytest.mark.parametrize("dateline", [
    "NIAMEY, Jan. 29, 2025 (Sahel Report) — ",
    "KABUL/ISLAMABAD, 3 March 2026 - ",
    "PORT-AU-PRINCE, May 2 -- ",
])
def test_sentences_dateline_is_its_own_segment(dateline):
    body = "Troops from both countries exchanged fire on Monday. Talks are due next week."
    parts = split_sentences(dateline + body)
    assert [p.text for p in parts] == [dateline.rstrip(), body.split(". ")[0] + ".",
                                       "Talks are due next week."]
    assert parts[1].start == len(dateline)


def test_sentences_abbreviations_do_not_end_a_sentence():
    text = "Ties were set up on Jan. 5 by the U.S. and Peru. An embassy followed."
    assert [p.text for p in split_sentences(text)] == [
        "Ties were set up on Jan. 5 by the U.S. and Peru.", "An embassy followed."]
