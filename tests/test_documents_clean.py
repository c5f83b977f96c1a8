"""Cleaning page furniture and finding publication dates, on pages written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from diplograph.documents.clean import clean, ticker_items
from diplograph.documents.dates import (
    dateline_date,
    find_date,
    footer_date,
    header_date,
    parse_date,
)

P1 = ("Kyrgyzstan and Tajikistan signed a treaty on their state border in Bishkek on Thursday, ending a dispute "
      "over the Fergana Valley that had led to deadly clashes in 2021 and 2022.")
P2 = ("The treaty was signed by the two presidents after three years of talks between border commissions, and "
      "both parliaments are expected to ratify it before the end of the year, officials said.")
P3 = ("Under the agreement, several villages will change hands and a road linking the two countries' enclaves "
      "will be opened to traffic from both sides, according to the text published by the two governments.")


def _page(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize(
    "header, value, title, author",
    [
        (["WORLD | 09:41 / 14.03.2025", "5 min read", "", "Neighbours settle border"], "2025-03-14", "Neighbours settle border", None),
        (["Friday, 14 March 2025", "", "Neighbours settle border Featured", "", "Published in News", "", "By Aigerim Sadykova"],
         "2025-03-14", "Neighbours settle border", "Aigerim Sadykova"),
        (["Neighbours settle border", "By Aigerim Sadykova | March 14, 2025"], "2025-03-14", "Neighbours settle border", "Aigerim Sadykova"),
        (["Posted on 2025-03-14 at 10:00", "Neighbours settle border"], "2025-03-14", "Neighbours settle border", None),
        (["Neighbours settle border", "12,480", "Photo: Presidential press service"], None, "Neighbours settle border", None),
    ],
)
def test_documents_clean_header(header, value, title, author):
    c = clean(_page(*header, "", P1, "", P2, "", P3))
    assert (c.published.value if c.published else None, c.title, c.author) == (value, title, author)
    assert c.text == f"{title}\n\n{P1}\n\n{P2}\n\n{P3}"


def test_documents_clean_ticker_strip_kept_once_as_data():
    strip = ["• EUR/USD = 1.08320 -0.12%", "  • GBP/USD = 1.26410 0%", "  • USD/JPY = 149.800 +0.40%"]
    c = clean(_page(*(strip * 6), "14 March 2025", "", P1, "", P2))
    assert c.extras["ticker"] == [
        {"pair": "EUR/USD", "value": 1.0832, "change": -0.12},
        {"pair": "GBP/USD", "value": 1.2641, "change": 0.0},
        {"pair": "USD/JPY", "value": 149.8, "change": 0.4},
    ]
    assert c.text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize(
    "line, is_ticker",
    [("• KZT/USD = 0.00188 0%", True), ("EUR/USD 1.0832 (-0.12%) • GBP/USD 1.2641 (+0.05%)", True),
     ("Brent: 82.10 (+0.4%)", True), ("Article 5 12", False), ("The rate rose to 0.5%", False),
     ("In 2024 trade grew 12%", False)],
)
def test_documents_clean_ticker_line(line, is_ticker):
    assert (ticker_items(line) is not None) == is_ticker


@pytest.mark.parametrize(
    "tail",
    [
        ["Related News", "", "Astana hosts regional energy forum", "", "Tashkent opens new metro line"],
        ["Suggested Articles", "", "Sidebar"],
        ["Read 183 times Last modified on Friday, 14 March 2025"],
        ["View more articles fromAigerim Sadykova"],
        ["Visit also", "", "caspianwire", "", "steppemonitor", "", "eurasiadesk"],
        ["Share", "Facebook Twitter LinkedIn", "Tags: Kyrgyzstan, Tajikistan, borders"],
        ["Newsletter", "", "Sign up for our weekly briefing on Central Asia.", "", "Subscribe"],
        ["You may also like", "Kazakhstan joins the accords", "Uzbekistan raises gas exports"],
        ["© 2025 Steppe Review. All rights reserved."],
    ],
)
def test_documents_clean_footer_furniture(tail):
    c = clean(_page(P1, "", P2, "", P3, "", *tail))
    assert c.text == f"{P1}\n\n{P2}\n\n{P3}"


def test_documents_clean_keeps_subheadings_and_short_lines_inside_the_article():
    c = clean(_page(P1, "Border villages", P2, "What comes next", P3, "Kyrgyzstan", P1.replace("Thursday", "Friday")))
    assert c.text.splitlines() == [P1, "Border villages", P2, "What comes next", P3, "Kyrgyzstan", P1.replace("Thursday", "Friday")]


@pytest.mark.parametrize(
    "line",
    ["Updated rules on transit took effect in 2024", "Copyright law in the region", "Published in 2019, the report",
     "Share of exports to China", "Related talks in Astana ended on Friday with a joint statement.",
     "Kazakhstan", "Border villages", "Subscribers to the pipeline consortium"],
)
def test_documents_clean_look_alikes_of_furniture_are_kept(line):
    c = clean(_page(P1, "", line, "", P2))
    assert c.text == f"{P1}\n\n{line}\n\n{P2}"


def test_documents_clean_repeated_menu_lines_are_dropped_everywhere():
    c = clean(_page("Home", "Advertisement", P1, "Advertisement", P2, "Advertisement", P3))
    assert "Advertisement" not in c.text and P2 in c.text


def test_documents_clean_image_credits_and_counters():
    c = clean(_page(P1, "Image: Presidential press service", P2, "Credit: Wikimedia Commons", "Photo by Ruslan Ismailov/AFP via Getty Images", P3, "4 min read"))
    assert c.text.split("\n\n") == [P1, P2, P3]


def test_documents_clean_author_from_author_box_and_signature():
    box = clean(_page(P1, "", P2, "", "Aigerim Sadykova", "", "Aigerim Sadykova is a journalist based in Almaty who has covered Central Asian politics and energy for regional and international outlets since 2015."))
    assert box.author == "Aigerim Sadykova"
    sig = clean(_page(P1, "", P2, "", "Timur Karimov,", "Senior Fellow"))
    assert sig.author == "Timur Karimov"
    about = clean(_page(P1, "", P2, "About the Author: Dilnoza Rahimova", "Dilnoza Rahimova writes on Central Asian security and has worked for several research centres in Tashkent and in Europe."))
    assert about.author == "Dilnoza Rahimova"


def test_documents_clean_footer_date_is_only_a_fallback():
    c = clean(_page(P1, "", P2, "", "Last modified on Friday, 14 March 2025"))
    assert c.published is None and c.published_footer.value == "2025-03-14"
    assert "Last modified" not in c.text


def test_documents_clean_body_dates_are_not_publication_dates():
    c = clean(_page("Neighbours settle border", "", P1, "", "The earlier treaty was signed on 12 May 1998 in Osh.", P2))
    assert c.published is None and c.published_footer is None


def test_documents_clean_dateline_in_the_first_paragraph():
    c = clean(_page("BISHKEK, March 14, 2025 – " + P1, "", P2))
    assert c.published.value == "2025-03-14"


@pytest.mark.parametrize(
    "line, value, precision",
    [
        ("POLITICS | 16:23 / 06.03.2025", "2025-03-06", "day"),
        ("Tuesday, 16 December 2025", "2025-12-16", "day"),
        ("23 June 2025", "2025-06-23", "day"),
        ("March 6, 2025", "2025-03-06", "day"),
        ("Mar. 6th, 2025", "2025-03-06", "day"),
        ("2025-03-06", "2025-03-06", "day"),
        ("Updated 06/03/2025 10:15 GMT", "2025-06-03", "day"),
        ("25/03/2025", "2025-03-25", "day"),
        ("June 2025", "2025-06", "month"),
    ],
)
def test_documents_dates_header_forms(line, value, precision):
    m, _only = header_date(line)
    assert (m.date.value, m.date.precision) == (value, precision)


@pytest.mark.parametrize("line", ["2013", "12,480 views", "31.02.2025", "In March, officials met twice.",
                                  "Kazakhstan and Uzbekistan signed the agreement in Tashkent on 22 December 2022 after long talks between the two delegations"])
def test_documents_dates_not_a_header_date(line):
    assert header_date(line) is None


def test_documents_dates_never_in_the_future():
    assert find_date("14 March 2031", today=date(2025, 3, 14)) is None
    assert find_date("14 March 2025", today=date(2025, 3, 14)).date.value == "2025-03-14"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-03-06T10:00:00+02:00", ("2025-03-06", "day")),
        ("2025-03", ("2025-03", "month")),
        ("2025", ("2025", "year")),
        ("Thu, 06 Mar 2025 10:00:00 +0000", ("2025-03-06", "day")),
        ("6 March 2025", ("2025-03-06", "day")),
        ("2025/03/06", ("2025-03-06", "day")),
        ("last Tuesday", None),
        ("2025-02-30", None),
        ("", None),
    ],
)
def test_documents_dates_parse_metadata(value, expected):
    got = parse_date(value)
    assert ((got.value, got.precision) if got else None) == expected


def test_documents_dates_footer_and_dateline():
    assert footer_date("Read 12 times Last modified on Friday, 14 March 2025").date.value == "2025-03-14"
    assert footer_date("Friday, 14 March 2025") is None
    assert dateline_date("ALMATY (Reuters), 14 March 2025 - Officials said").date.value == "2025-03-14"
    assert dateline_date("The talks on 14 March 2025 - officials said") is None


@pytest.mark.parametrize("paragraph, value", [
    ("KABUL/ISLAMABAD, March 3, 2026 (South Asia Wire) - Pakistani and Afghan forces exchanged fire", "2026-03-03"),
    ("NEW DELHI / ISLAMABAD, April 24, 2025 (Wire) - India suspended the treaty", "2025-04-24"),
    ("XI'AN, China, May 19, 2023 (Wire) - Leaders of five states met", "2023-05-19"),
])
def test_documents_dates_dateline_with_several_places(paragraph, value):
    assert dateline_date(paragraph).date.value == value


def test_documents_clean_date_line_below_a_long_headline():
    headline = ("Saudi Arabia and Iran agree to restore diplomatic relations after seven years, in a deal "
                "brokered by China at talks in Beijing")
    c = clean(_page(headline, "Published: 10 March 2023", "", P1, "", P2))
    assert c.published.value == "2023-03-10"
    assert "Published" not in c.text
