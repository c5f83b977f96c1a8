"""extract_many: several documents at once (the sentence typer reads a batch of them in
one call per type) give each document the claims extract_claims gives it, in input order."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from diplograph.claims import extract_claims, extract_many
from diplograph.claims.decide import decision_model, use_model
from diplograph.claims.pipeline import WINDOW
from diplograph.models import PartialDate

ROOT = Path(__file__).resolve().parent.parent


def _docs() -> list[tuple[str, str, PartialDate | None]]:
    folder = resources.files("diplograph") / "data" / "samples"
    docs = [(p.read_text(encoding="utf-8"), p.name, PartialDate.parse("2025-06-01"))
            for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".txt")]
    docs += [(p.read_text(encoding="utf-8"), p.name, None) for p in sorted((ROOT / "eval" / "articles").glob("0[0-4]*.txt"))]
    docs.append(("", "empty.txt", None))
    docs.append(("No actor here at all. Nothing happened.", "plain.txt", None))
    long = docs[0][0] + "\n\n" + "\n\n".join(d[0] for d in docs[1:6])
    while len(long) <= WINDOW:
        long += "\n\n" + long
    docs.insert(3, (long, "long.txt", None))  # read in windows, alone
    return docs


def _json(claims) -> list[str]:
    return [json.dumps(c.to_json(), sort_keys=True) for c in claims]


@pytest.mark.parametrize("batch", [1, 4, 64])
def test_many_gives_each_document_its_own_claims(batch):
    assert decision_model() is not None and decision_model().typer is not None
    docs = _docs()
    one_by_one = [_json(extract_claims(t, doc=d, published=p)) for t, d, p in docs]
    many = [_json(cs) for cs in extract_many(docs, batch=batch)]
    assert many == one_by_one
    assert sum(map(len, many)) > 50 and any(len(t) > WINDOW for t, _, _ in docs)


def test_many_counts_and_reports_as_one_by_one():
    docs = _docs()[:6]
    stats_one: dict[str, int] = {}
    for t, d, p in docs:
        extract_claims(t, doc=d, published=p, stats=stats_one)
    stats_many: dict[str, int] = {}
    errors: list = []
    list(extract_many(docs, batch=4, stats=stats_many, errors=errors))
    assert stats_many == stats_one and stats_one["parsed"] > 0
    assert errors == []


def test_many_without_the_model_is_the_rules_one_by_one():
    docs = _docs()[:5]
    use_model(False)
    try:
        assert [_json(cs) for cs in extract_many(docs, batch=2)] == \
            [_json(extract_claims(t, doc=d, published=p)) for t, d, p in docs]
    finally:
        use_model(True)


def test_a_document_that_fails_is_reported_and_the_others_extracted(monkeypatch):
    from diplograph.claims import pipeline

    read = pipeline._read

    def failing(text, published):
        if "BOOM" in text:
            raise RuntimeError("first pass failed")
        return read(text, published)

    monkeypatch.setattr(pipeline, "_read", failing)
    docs = _docs()[:2] + [("BOOM. Kazakhstan and Kyrgyzstan signed a treaty.", "boom.txt", None)] + _docs()[4:6]
    errors_one: list = []
    one_by_one = [_json(extract_claims(t, doc=d, published=p, errors=errors_one)) for t, d, p in docs]
    errors_many: list = []
    many = [_json(cs) for cs in extract_many(docs, batch=8, errors=errors_many)]
    assert many == one_by_one and many[2] == [] and any(many)
    assert [(e.doc, e.stage, e.error) for e in errors_many] == [(e.doc, e.stage, e.error) for e in errors_one] \
        == [("boom.txt", "document", "RuntimeError: first pass failed")]
