"""Answers remembered per text (the pair generator and the date and attribution steps ask
again for every claim of a sentence) are the answers computed afresh."""

from __future__ import annotations

from importlib import resources

from diplograph.claims.attribution import speaker_in
from diplograph.claims.registry import claim_types
from diplograph.claims.sentences import split_sentences


def _sentences() -> list[str]:
    folder = resources.files("diplograph") / "data" / "samples"
    out = []
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".txt"):
            out += [s.text for s in split_sentences(p.read_text(encoding="utf-8"))]
    return out


def test_subtype_memo_gives_the_scan_s_answer_even_past_its_size():
    texts = _sentences() + ["a free trade agreement", "a visa waiver agreement", "a defence pact", ""]
    found = 0
    for ctype in claim_types().values():
        if not ctype.subtypes:
            continue
        for _ in range(2):  # the second round reads the memo
            for t in texts:
                scan = next((name for name, rx in ctype.subtypes if rx.search(t)), None)
                assert ctype.subtype_for(t) == scan
                found += scan is not None
        ctype._subtypes_seen.update({f"filler {i}": None for i in range(4096)})
        fresh = "a free trade agreement and a defence pact, not seen before"
        assert ctype.subtype_for(fresh) == next((n for n, rx in ctype.subtypes if rx.search(fresh)), None)
        assert len(ctype._subtypes_seen) == 1  # cleared once full
    assert found > 0


def test_speaker_memo_gives_the_fresh_answer():
    texts = _sentences() + ["“We will sign,” the minister told reporters.", "According to two officials, it is off."]
    named = 0
    for t in texts + texts:
        assert speaker_in(t) == speaker_in.__wrapped__(t)
        named += speaker_in(t) is not None
    assert named > 0
