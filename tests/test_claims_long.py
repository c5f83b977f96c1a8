"""Long documents: read in windows cut at paragraph breaks, with offsets into the whole
text, progress reported, and contained errors placed where they happened. The window is
made small here so that the tests stay short; bench/long_doc_bench.py measures time and
memory against length."""

from __future__ import annotations

import pytest

import diplograph.claims.pipeline as pipeline
from diplograph.claims import extract_claims
from diplograph.claims.pipeline import windows
from diplograph.models import PartialDate

PUBLISHED = PartialDate.parse("2024-05-10")

PARAGRAPHS = [
    "Kazakhstan and Kyrgyzstan signed a treaty on allied relations in Astana on 3 March 2024.",
    "The foreign ministers of Turkey and Qatar held talks in Doha on 14 April 2024.",
    "Chile and Peru signed a free trade agreement in Lima in 2006, officials recalled.",
    "Brazil opened an embassy in Gaborone in 2009, the ministry said on Tuesday.",
    "Japan and the Philippines signed a reciprocal access agreement in Manila in July 2024.",
]


def _text(n: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n))


@pytest.mark.parametrize("text", [
    _text(40),
    "word " * 3000,  # no line break at all
    "line of text\n" * 900,  # line breaks but no blank line
    "A sentence here. " * 800,
    "x" * 5000,  # nowhere to cut
])
def test_windows_cover_the_text_in_order(text):
    spans = windows(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b <= a + 1000 for a, b in spans)
    assert all(b == a2 for (_, b), (a2, _) in zip(spans, spans[1:]))
    if "\n\n" in text:  # cut after a paragraph break whenever one is in reach
        assert all(text[b - 1] == "\n" for _, b in spans[:-1])


@pytest.mark.parametrize("model", [True, False], ids=["model", "rules"])
def test_long_text_claims_point_into_the_whole_text(monkeypatch, model):
    monkeypatch.setattr("diplograph.claims.decide._CHOICE", model)
    text = _text(60)
    whole = extract_claims(text, doc="d", published=PUBLISHED)  # one window
    monkeypatch.setattr(pipeline, "WINDOW", 1500)
    done: list[tuple[int, int]] = []
    claims = extract_claims(text, doc="d", published=PUBLISHED, progress=lambda a, b: done.append((a, b)))
    assert len(windows(text, 1500)) >= 4
    assert claims and all(c.evidence_text == text[c.evidence_start:c.evidence_end] for c in claims)
    # every paragraph is read, in every window
    for i, p in enumerate(PARAGRAPHS):
        at = [k for k in range(len(text)) if text.startswith(p, k)]
        found = {c.evidence_start for c in claims if any(a <= c.evidence_start < a + len(p) for a in at)}
        assert found, f"nothing extracted from paragraph {i}"
    # the same events as in one window, merged across windows: exactly, for the rules; the
    # decision model also reads how often the document names each actor and where a sentence
    # stands in it, which a window changes, so a candidate near its threshold may go either way
    def events(cs):
        return {(c.type, frozenset(x.id for x in (c.subject, c.object) if x), c.date.value if c.date else None)
                for c in cs}
    if model:
        assert len(events(claims) ^ events(whole)) <= len(events(whole)) // 5
    else:
        assert events(claims) == events(whole)
    assert done and done[-1] == (len(text), len(text))
    assert [a for a, _ in done] == sorted(a for a, _ in done)


def test_error_in_a_later_window_is_placed_in_the_whole_text(monkeypatch, break_frames):
    text = _text(30)
    monkeypatch.setattr(pipeline, "WINDOW", 1000)
    break_frames("embassy_opened")
    errors: list = []
    claims = extract_claims(text, doc="d", published=PUBLISHED, errors=errors)
    assert claims and len(errors) >= 2
    for e in errors:
        assert e.stage == "frame embassy_opened"
        assert text[e.start:e.end] == "embassy"  # the frame's trigger, in the whole text
        assert text.rfind("\n\n", 0, e.start) + 2 == text.rfind("Brazil opened", 0, e.start)
    assert max(e.start for e in errors) > 1000  # placed past the first window


def test_ingest_and_extract_report_progress_on_long_documents(monkeypatch, tmp_path):
    from diplograph.api import Graph
    from diplograph.cli.common import extract_progress

    monkeypatch.setattr(pipeline, "WINDOW", 1500)
    long = tmp_path / "long.txt"
    long.write_text(_text(60), encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(PARAGRAPHS[0], encoding="utf-8")
    seen: list[tuple[str, int, int]] = []

    def on_extract(doc, done, total):
        seen.append((doc.source, done, total))

    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.ingest([long, short], published=PUBLISHED, on_extract=on_extract)
        assert len(report.ingested) == 2 and report.claims > 0
    steps = [(d, t) for s, d, t in seen if s.endswith("long.txt")]
    assert len(steps) >= 4 and steps[-1][0] == steps[-1][1] == len(long.read_text(encoding="utf-8"))
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert [(d, t) for s, d, t in seen if s.endswith("short.txt")] == [(len(PARAGRAPHS[0]), len(PARAGRAPHS[0]))]

    # the CLI's bar: one line while a long document is extracted, none for a short one
    class Bar:
        def __init__(self):
            self.tasks, self.shown = {}, []

        def add_task(self, description, total):
            self.tasks[len(self.shown)] = description
            self.shown.append(description)
            return len(self.shown) - 1

        def update(self, task, completed):
            assert task in self.tasks

        def remove_task(self, task):
            del self.tasks[task]

    bar = Bar()
    g = Graph.__new__(Graph)
    g.settings = {"max_bytes": 10**6}
    for _ in g.extract([long, short], published=PUBLISHED, on_extract=extract_progress(bar)):
        pass
    assert bar.shown == [f"extracting {str(long)[-40:]}"] and not bar.tasks
