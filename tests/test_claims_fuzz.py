"""No text makes the extractor fail: generated and mutated texts in the genre (wire copy,
lists, tables, quotes, odd dates and figures, unicode, very long sentences) give no
exception, no contained error, and only valid claims.

The suite runs a few hundred examples; the full run is
``DIPLOGRAPH_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_claims_fuzz.py``."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.claims import extract_claims
from diplograph.models import ACTOR_KINDS, CLAIM_TYPES, MODALITIES, PRECISIONS, PartialDate

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("DIPLOGRAPH_FUZZ_EXAMPLES", "150"))

ACTORS = ["Kazakhstan", "Uzbekistan", "the United States", "China", "Beijing", "the Kremlin", "NATO",
          "the African Union", "ECOWAS", "Brazil's", "Côte d'Ivoire", "Türkiye", "Turkey", "President Ruto",
          "Erdogan", "the two countries", "both sides", "the EU", "Brussels", "Kyiv", "the Central Asian states",
          "Democratic Republic of the Congo", "Congo", "Georgia", "Guinea-Bissau", "Niger", "Nigeria",
          "the Abraham Accords", "BRICS", "the SCO", "Tehran", "Riyadh", "Pretoria", "they", "it", "he", "we"]
VERBS = ["signed an agreement with", "established diplomatic relations with", "visited", "will join",
         "denied reports that it would join", "held talks with", "delivered 12 jets to", "agreed to buy drones from",
         "opened an embassy in", "ratified the treaty with", "withdrew from", "suspended", "is expected to visit",
         "could form an alliance with", "postponed a visit to", "did not sign", "struck", "clashed with",
         "raised ties to a strategic partnership with", "became a member of", "expelled the ambassador of",
         "was invited to join", "has never had relations with", "exported", "imported"]
DATES = ["on Monday", "last week", "in 2024", "on 31 February 2024", "in 2024-13-45", "in the 1990s",
         "in FY2023-24", "in Q3 2025", "on 3/4/2025", "since 1992", "between 2019 and 2021", "in 0000",
         "in 99999", "next month", "a decade earlier", "on the 32nd", "in January through March 2023",
         "by 2030", "yesterday", "today", "in the spring of 2019", "on 29 February 2023", "in 1066", "—"]
FIGURES = ["$1.2bn", "3,5 million", "between 15,000 and 20,000", "₹500 crore", "€ 7", "12%", "-4.5 percent",
           "1e309 dollars", "$", "0.0000001 tonnes", "two-way trade of $384 million", "9" * 40]
SPICE = ["“", "”", "‘", "’", '"', "'", "«", "»", "(", ")", "[", "]", "\u200b", "\u00a0", "\u202e", "\ufeff",
         "👍", "ﷺ", "é", "ñ", "İ", "ß", "Ω", "汉字", "—", "–", "…", "•", "|", "\t", "\r\n", "\x0c", "\u2028",
         "*", "#", ">", "1.", "a)", "- ", "::", ";;", "http://x.y/z?a=1", "@", "%", "&amp;", "<b>", "</p>"]
SEPARATORS = [" ", ". ", "\n", "\n\n", " - ", "; ", ", ", "\n• ", "\n1. ", " | ", ": ", ".\n\n"]


@st.composite
def genre_sentence(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(ACTORS)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(ACTORS))]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(DATES)))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(FIGURES)))
    if draw(st.integers(0, 3)) == 0:
        parts = ["the ministry said that", *parts] if draw(st.booleans()) else [*parts, ", officials said"]
    s = " ".join(parts)
    if draw(st.integers(0, 4)) == 0:
        q = draw(st.sampled_from(['"{}"', "“{}”", "'{}'", "“He said ‘{}’”", "«{}»"]))
        s = q.format(s)
    return s + draw(st.sampled_from([".", "", "!", "?", ";", ":", "...", "."]))


@st.composite
def table_or_list(draw: st.DrawFn) -> str:
    rows = draw(st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(DATES + FIGURES)), min_size=1, max_size=6))
    style = draw(st.sampled_from(["| {} | {} |", "{}\t{}", "• {}: {}", "{} – {}", "{}; {}", "<tr><td>{}</td><td>{}</td></tr>"]))
    return "\n".join(style.format(a, b) for a, b in rows)


@st.composite
def long_sentence(draw: st.DrawFn) -> str:
    n = draw(st.integers(10, 120))
    clause = draw(genre_sentence()).rstrip(".!?;:")
    joiner = draw(st.sampled_from([", and ", " while ", ", ", " which ", " "]))
    return joiner.join([clause] * n) + "."


@st.composite
def document(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(genre_sentence(), genre_sentence(), genre_sentence(), table_or_list(),
                                     long_sentence(), st.sampled_from(SPICE),
                                     st.text(max_size=40)),
                           min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)))
    text = "".join(p + sep for p, sep in zip(pieces, seps))
    return draw(mutated(text))


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 60)))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate", "upper", "spice"]))
        if op == "insert":
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:i]
        elif op == "upper":
            text = text[:i] + text[i:j].upper() + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(SPICE)) + text[i:]
    return text


published_dates = st.one_of(st.none(), st.sampled_from(["2025-03-06", "2024-02-29", "1999-12-31", "2026", "2025-11"]))


def check_claims(text: str, published: str | None) -> None:
    errors: list = []
    claims = extract_claims(text, doc="fuzz", published=PartialDate.parse(published) if published else None,
                            errors=errors)
    assert errors == [], errors
    for c in claims:
        assert c.type in CLAIM_TYPES
        assert c.modality in MODALITIES
        assert 0 <= c.evidence_start < c.evidence_end <= len(text)
        assert c.evidence_text == text[c.evidence_start:c.evidence_end]
        assert 0.0 <= c.confidence <= 1.0
        for a in (c.subject, c.object, *(c.parties or [])):
            if a is not None:
                assert a.kind in ACTOR_KINDS and a.id
        if c.date is not None:
            assert c.date.precision in PRECISIONS
            PartialDate.parse(c.date.value)  # a valid ISO partial date or interval
        if c.quantity is not None:
            assert isinstance(c.quantity["value"], (int, float))
        c.to_json()


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="CI" in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document(), published_dates)
def test_no_text_breaks_the_extractor(text: str, published: str | None) -> None:
    check_claims(text, published)


@pytest.mark.parametrize("text", [
    "",
    " ",
    "\n\n\n",
    "In the coming weeks, the Central Asian states and China established diplomatic relations.",
    "Kazakhstan signed an agreement with Uzbekistan on 31 February 2024.",
    "“‘Kenya and Indonesia,’ he said, ‘signed.’”",
    "Turkey " * 3000 + "signed an agreement with Qatar.",
])
def test_edge_texts(text: str) -> None:
    check_claims(text, "2025-03-06")


def test_a_quoted_claim_before_a_long_coordinated_sentence_is_dated_without_error():
    # found by the fuzz run with seed 308: a date_for variable named for token offsets was
    # reused for mention offsets further down, and a later clause read past the parse
    text = ('"Kazakhstan signed an agreement with Kazakhstan , officials said". ' * 2
            + "Kazakhstan signed an agreement with Kazakhstan in 2024 , officials said. "
            + ", and ".join(["the United States signed an agreement with the two countries , officials said"] * 10)
            + ". ")
    errors: list = []
    extract_claims(text, doc="fuzz", errors=errors)
    assert errors == []
