"""Quantity claims on sentences written for these tests in the style of wire news: which
parties each figure is about when a sentence lists several, totals with no counterpart,
figures whose counted noun is left out, targets, and the period a figure refers to."""

from __future__ import annotations

import pytest

from diplograph.claims import extract_claims
from diplograph.models import PartialDate

# These tests pin the rule stage (the candidate generators) sentence by sentence; the
# decision model on top is tested in test_claims_decide.py and measured by eval/split_scores.py.
pytestmark = pytest.mark.usefixtures("rules_alone")



def _figures(text: str, published: str) -> set[tuple]:
    out = set()
    for c in extract_claims(text, doc="t", published=PartialDate.parse(published)):
        if c.type != "quantity":
            continue
        q = c.quantity or {}
        out.add((c.subject.id if c.subject else None, c.object.id if c.object else None,
                 c.date.value if c.date else None, c.modality, round(q["value"]), q["unit"], q["metric"]))
    return out


CASES = [
    # a list of origins, each with its own figure; the counted noun is left out after the first
    ("Armenia received 2.3 million foreign visitors in 2024, the tourism committee said on Monday.\n\n"
     "Visitors from Russia made up the largest group, at 610,000, followed by Georgia with 340,000 "
     "and Iran with 180,000.",
     "2025-02-03",
     {(None, "ARM", "2024", "asserted", 2_300_000, "persons", "visitor_arrivals"),
      ("RUS", "ARM", "2024", "asserted", 610_000, "persons", "visitor_arrivals"),
      ("GEO", "ARM", "2024", "asserted", 340_000, "persons", "visitor_arrivals"),
      ("IRN", "ARM", "2024", "asserted", 180_000, "persons", "visitor_arrivals")}),
    # a country's total trade has no counterpart; "its largest trading partner" and a list item
    # are counterparts of that country, with the period of the paragraph's first figure
    ("Mongolia's foreign trade turnover rose to $24.1 billion last year. China remained its largest "
     "trading partner, with turnover of $16.2 billion, ahead of Russia at $2.9 billion.",
     "2025-01-20",
     {("MNG", None, "2024", "asserted", 24_100_000_000, "USD", "trade_turnover"),
      ("MNG", "CHN", "2024", "asserted", 16_200_000_000, "USD", "trade_turnover"),
      ("MNG", "RUS", "2024", "asserted", 2_900_000_000, "USD", "trade_turnover")}),
    # each figure takes the counterpart named nearest to it
    ("Chile's trade with China reached $65 billion in 2023, while trade with the United States was "
     "$31 billion.",
     "2024-03-01",
     {("CHL", "CHN", "2023", "asserted", 65_000_000_000, "USD", "trade_turnover"),
      ("CHL", "USA", "2023", "asserted", 31_000_000_000, "USD", "trade_turnover")}),
    # "between X and Y" after the figure belongs to that figure, not to the one before
    ("Egypt's trade with Qatar is small, at about $90 million last year, against more than $40 billion "
     "in trade between Egypt and China.",
     "2025-04-10",
     {("EGY", "QAT", "2024", "asserted", 90_000_000, "USD", "trade_turnover"),
      ("EGY", "CHN", "2024", "asserted", 40_000_000_000, "USD", "trade_turnover")}),
    # exports named by a demonym on the goods go to the "to" country
    ("Shipments of Kenyan tea to Pakistan amounted to $560 million from January through October 2024.",
     "2024-12-01",
     {("KEN", "PAK", "2024-01/2024-10", "asserted", 560_000_000, "USD", "exports")}),
]


@pytest.mark.parametrize("text, published, expected", CASES)
def test_claims_quantity_parties_per_figure(text, published, expected):
    assert expected <= _figures(text, published)


def test_claims_quantity_target_after_the_figure_is_planned_and_not_dated_by_its_setting():
    text = ("Georgia's trade with Armenia rose to $1.2 billion last year. Trade with Azerbaijan was "
            "$900 million, short of the $1.5 billion target the two prime ministers set in 2021.")
    got = _figures(text, "2025-02-01")
    assert ("GEO", "AZE", "2024", "asserted", 900_000_000, "USD", "trade_turnover") in got
    assert ("GEO", "AZE", None, "planned", 1_500_000_000, "USD", "trade_turnover_target") in got
    assert not any(f[2] == "2021" for f in got)


def test_claims_quantity_growth_percentage_is_not_a_figure_claim():
    text = "Thailand received 35 million foreign visitors in 2024, up 26% from a year earlier."
    got = _figures(text, "2025-01-10")
    assert (None, "THA", "2024", "asserted", 35_000_000, "persons", "visitor_arrivals") in got
    assert not any(f[5] == "percent" for f in got)


def test_claims_quantity_period_is_not_borrowed_by_a_forecast():
    text = ("Jordan received 6.4 million visitors in 2024. Officials expect arrivals from Saudi Arabia "
            "to reach 1.2 million next year.")
    got = _figures(text, "2025-01-10")
    assert not any(f[3] == "asserted" and f[4] == 1_200_000 for f in got)


def test_claims_quantity_quoted_arrivals_take_the_destination_named_just_before():
    text = ("Tourism from Egypt to Greece is growing quickly, the ambassador said.\n"
            "“In 2024, we had about 90,000 tourists from Egypt, and the expectations for this year are to "
            "grow to between 120,000 and 150,000.”")
    got = _figures(text, "2025-06-01")
    assert ("EGY", "GRC", "2024", "asserted", 90_000, "persons", "visitor_arrivals") in got
    assert ("EGY", "GRC", "2025", "speculative", 120_000, "persons", "visitor_arrivals") in got


@pytest.mark.parametrize(
    "text, expected",
    [
        # a share of Y's exports: Y exports to the subject; of Y's imports: the subject supplies Y
        ("China accounted for 22% of Mongolia's exports in 2024.",
         ("MNG", "CHN", "2024", "asserted", 22, "percent", "exports")),
        ("Russia accounted for 35 percent of Kyrgyzstan's imports last year.",
         ("RUS", "KGZ", "2024", "asserted", 35, "percent", "imports")),
        # a list item replaces the buyer, the exporter stays
        ("Kazakhstan's exports to China rose to $15 billion in 2024, ahead of Russia at $9 billion.",
         ("KAZ", "RUS", "2024", "asserted", 9_000_000_000, "USD", "exports")),
    ],
)
def test_claims_quantity_shares_and_export_lists(text, expected):
    assert expected in _figures(text, "2025-03-01")


def test_claims_quantity_a_trade_balance_is_not_turnover():
    assert _figures("India's trade deficit with China widened to $85 billion in the year to March.", "2025-05-01") == set()


# -- expectations (issue 13, item 5): a forecast is not a figure for the past period -------


def _figures_of(text: str, published: str | None) -> set[tuple]:
    out = set()
    for c in extract_claims(text, doc="t", published=PartialDate.parse(published) if published else None):
        if c.type == "quantity":
            q = c.quantity or {}
            out.add((c.subject.id if c.subject else None, c.object.id if c.object else None,
                     c.date.value if c.date else None, c.modality, round(q["value"]),
                     round(q["high"]) if q.get("high") is not None else None))
    return out


@pytest.mark.parametrize("text", [
    # a verb of forecasting, a noun naming one, "on track to"; each after a figure of the past
    "Trade between Brazil and Angola reached $1.2 billion in 2022, and the ministry anticipates turnover "
    "of $2 billion this year.",
    "Trade between Brazil and Angola reached $1.2 billion in 2022 and is on track to reach $2 billion this year.",
    "In 2022 trade between Brazil and Angola reached $1.2 billion, and the outlook for this year is $2 billion.",
    "Trade between Brazil and Angola reached $1.2 billion in 2022, and officials expect it to grow to "
    "$2 billion this year.",
])
def test_claims_quantity_expectation_is_speculative_and_dated_to_its_own_period(text):
    assert _figures_of(text, "2025-03-10") == {("BRA", "AGO", "2022", "asserted", 1_200_000_000, None),
                                              ("BRA", "AGO", "2025", "speculative", 2_000_000_000, None)}
    # with no publication date "this year" cannot be resolved: the period is unknown, not 2022
    assert _figures_of(text, None) == {("BRA", "AGO", "2022", "asserted", 1_200_000_000, None),
                                       ("BRA", "AGO", None, "speculative", 2_000_000_000, None)}


def test_claims_quantity_expected_range_keeps_both_ends():
    text = ("Peru received 80,000 visitors from Ecuador in 2023, and the board predicts between 90,000 and "
            "100,000 next year.")
    assert ("ECU", "PER", "2026", "speculative", 90_000, 100_000) in _figures_of(text, "2025-02-01")
    got = _figures_of(text, None)
    assert ("ECU", "PER", None, "speculative", 90_000, 100_000) in got
    assert ("ECU", "PER", "2023", "asserted", 80_000, None) in got


@pytest.mark.parametrize("text", [
    # a coordinated clause with no date of its own, and a relative clause's date
    "Trade between Brazil and Angola reached $1.2 billion in 2022 and is expected to grow to $2 billion.",
    "Trade between Brazil and Angola, which stood at $1.2 billion in 2022, is forecast to reach $2 billion.",
    "Trade between Brazil and Angola reached $1.2 billion in 2022 and should rise to $2 billion, the minister said.",
])
def test_claims_quantity_forecast_does_not_borrow_another_clauses_period(text):
    got = _figures_of(text, "2025-03-10")
    assert ("BRA", "AGO", "2022", "asserted", 1_200_000_000, None) in got
    (forecast,) = [g for g in got if g[4] == 2_000_000_000]
    assert forecast[2] is None and forecast[3] == "speculative"


@pytest.mark.parametrize("text, expected", [
    ("Trade between Peru and Ecuador reached $2 billion in 2024, as expected.",
     ("PER", "ECU", "2024", "asserted", 2_000_000_000, None)),
    ("Ecuador's exports to Peru were an estimated $700 million in 2024.",
     ("ECU", "PER", "2024", "asserted", 700_000_000, None)),
])
def test_claims_quantity_a_record_stays_a_record(text, expected):
    assert expected in _figures_of(text, "2025-02-01")
