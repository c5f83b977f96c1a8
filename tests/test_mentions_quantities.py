"""Quantity mentions: money, counts, percentages, measures, exchange rates, qualifiers,
ranges, the metric cue guesser, and numbers that are not quantities. Sentences are our own."""

from __future__ import annotations

import pytest

from diplograph.mentions.dates import find_dates
from diplograph.mentions.quantities import QuantityMention, find_quantities, metric_for
from diplograph.models import PartialDate


def _one(text: str, needle: str) -> QuantityMention:
    at = text.index(needle)
    found = [q for q in find_quantities(text) if q.start <= at < q.end]
    assert len(found) == 1, f"expected one quantity over {needle!r} in {text!r}, found {found}"
    return found[0]


MONEY = [
    ("Bilateral trade reached $211 million in 2023.", "211", 211e6, "USD", None, "million"),
    ("China has invested more than $40 billion in the region.", "40", 40e9, "USD", "more_than", "billion"),
    ("The fund now holds US$1.2bn in reserves.", "1.2", 1.2e9, "USD", None, "bn"),
    ("The EU pledged €3 million for border posts.", "3", 3e6, "EUR", None, "million"),
    ("Moscow allocated 5 billion rubles for the bridge.", "5", 5e9, "RUB", None, "billion"),
    ("Exports totalled 70.2 billion dollars last year.", "70.2", 70.2e9, "USD", None, "billion"),
    ("The budget sets aside ₸500 billion for roads.", "500", 500e9, "KZT", None, "billion"),
    ("A loan of USD 150 million was approved.", "150", 150e6, "USD", None, "million"),
    ("Tashkent will spend 12 trillion soums on housing.", "12", 12e12, "UZS", None, "trillion"),
    ("The deal is worth nearly £2.5m to the exporter.", "2.5", 2.5e6, "GBP", "nearly", "m"),
    ("Kazakh wheat sales earned 400 million US dollars.", "400", 400e6, "USD", None, "million"),
    ("The grant totals $750,000 over three years.", "750,000", 750000, "USD", None, None),
    # a space after the symbol, symbols of other dollars, a currency named with its state's adjective
    ("Two-way trade reached US$ 98.4 billion last year.", "98.4", 98.4e9, "USD", None, "billion"),
    ("Dairy exports were worth NZ$4.1 billion.", "4.1", 4.1e9, "NZD", None, "billion"),
    ("Canberra sold wool worth 3 billion Australian dollars to Beijing.", "3", 3e9, "AUD", None, "billion"),
    ("Remittances reached 1.2 trillion Nepali rupees.", "1.2", 1.2e12, "NPR", None, "trillion"),
    ("Cairo received 40 billion Egyptian pounds in fees.", "40", 40e9, "EGP", None, "billion"),
    ("The levy raised NIS 2 billion.", "2", 2e9, "ILS", None, "billion"),
]


@pytest.mark.parametrize("text, needle, value, unit, qualifier, scale", MONEY)
def test_mentions_quantities_money(text, needle, value, unit, qualifier, scale) -> None:
    q = _one(text, needle)
    assert q.kind == "money"
    assert q.value == pytest.approx(value, rel=0.01)
    assert (q.unit, q.qualifier, q.scale) == (unit, qualifier, scale)


def test_mentions_quantities_money_per_period() -> None:
    q = _one("Trade fluctuates at around $500 million annually.", "500")
    assert (q.value, q.unit, q.per, q.qualifier) == (500e6, "USD", "year", "about")
    assert q.text.endswith("annually")


@pytest.mark.parametrize(
    "text, needle, value, high, unit",
    [
        ("Trade could reach $25-30 million next year.", "25", 25e6, 30e6, "USD"),
        ("Expectations are between 15,000 and 20,000 visitors this year.", "15,000", 15000, 20000, "persons"),
        ("The army will hire 2,000 to 3,000 soldiers.", "2,000", 2000, 3000, "persons"),
        ("Between $1 billion and $2 billion may be needed.", "1", 1e9, 2e9, "USD"),
    ],
)
def test_mentions_quantities_ranges(text, needle, value, high, unit) -> None:
    q = _one(text, needle)
    assert q.value == pytest.approx(value, rel=0.01) and q.high == pytest.approx(high, rel=0.01)
    assert q.unit == unit


def test_mentions_quantities_range_inherits_unit_of_previous_count() -> None:
    text = "In 2024, about 11,000 tourists came, and officials expect this to grow to between 15,000 and 20,000."
    first, second = find_quantities(text)
    assert (first.value, first.unit, first.noun, first.qualifier) == (11000, "persons", "tourists", "about")
    assert (second.value, second.high, second.unit, second.qualifier) == (15000, 20000, "persons", "between")
    assert second.unit_inherited


def test_mentions_quantities_bare_figures_count_the_people_named_before_them() -> None:
    text = "Visitors from Oman were the largest group, at 410,000, followed by Kuwait with 1.2 million."
    first, second = find_quantities(text)
    assert (first.value, first.unit, first.noun, first.unit_inherited) == (410000, "persons", "visitors", True)
    assert (second.value, second.unit, second.unit_inherited) == (1.2e6, "persons", True)


def test_mentions_quantities_arrivals_count_persons() -> None:
    q = _one("The port city logged 52,000 arrivals in March.", "52,000")
    assert (q.value, q.unit, q.noun) == (52000, "persons", "arrivals")


def test_mentions_quantities_bare_figure_without_people_is_not_a_count() -> None:
    assert find_quantities("The index closed at 4,120, its highest level since March.") == []


COUNTS = [
    ("About 11,000 tourists from Israel visited Samarkand.", "11,000", 11000, "persons", "tourists", "about"),
    ("Today, roughly 4,200 Jews live in the republic.", "4,200", 4200, "persons", "Jews", "about"),
    ("Only 41 Bukharan Jews remained in the city.", "41", 41, "persons", "Jews", "only"),
    ("The capital has 2 million 422 thousand residents.", "2 million", 2422000, "persons", "residents", None),
    ("More than 1.5 million migrants work in Russia.", "1.5", 1.5e6, "persons", "migrants", "more_than"),
    ("The network runs 12 Jewish day schools.", "12", 12, "schools", "schools", None),
    ("Kazakhstan bought 6 armed drones from Ankara.", "6", 6, "drones", "drones", None),
]


@pytest.mark.parametrize("text, needle, value, unit, noun, qualifier", COUNTS)
def test_mentions_quantities_counts(text, needle, value, unit, noun, qualifier) -> None:
    q = _one(text, needle)
    assert q.kind == "count"
    assert q.value == pytest.approx(value, rel=0.01)
    assert (q.unit, q.noun, q.qualifier) == (unit, noun, qualifier)
    assert text[q.noun_start : q.noun_end] == noun  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, needle, noun",
    [
        ("Hundreds of thousands of refugees crossed the border.", "Hundreds", "refugees"),
        ("Tens of thousands of workers left for Russia.", "Tens", "workers"),
        ("Millions of people watched the parade.", "Millions", "people"),
    ],
)
def test_mentions_quantities_vague_counts_have_no_value(text, needle, noun) -> None:
    q = _one(text, needle)
    assert q.vague and q.value is None and q.noun == noun and q.unit == "persons"


PERCENT = [
    ("Azerbaijan provides roughly 35 percent of Israel's oil imports.", "35", 35, "about", "Israel's oil imports", "oil imports"),
    ("Kazakhstan supplied about 40% of Israel's crude oil in 2023.", "40", 40, "about", "Israel's crude oil", "crude oil"),
    ("Mountains cover more than 90% of the country, officials said.", "90", 90, "more_than", "the country", "country"),
    ("Turnover grew 12 per cent in the first half.", "12", 12, None, None, None),
]


@pytest.mark.parametrize("text, needle, value, qualifier, of_phrase, noun", PERCENT)
def test_mentions_quantities_percent_and_of_phrase(text, needle, value, qualifier, of_phrase, noun) -> None:
    q = _one(text, needle)
    assert (q.kind, q.unit, q.value, q.qualifier) == ("percent", "percent", value, qualifier)
    if of_phrase is None:
        assert q.of_start is None
    else:
        assert text[q.of_start : q.of_end] == of_phrase  # type: ignore[misc]
        assert q.noun == noun


@pytest.mark.parametrize(
    "text, pair, value, change, unit",
    [
        ("• UZS/USD = 0.00008 -0.5%\n• KZT/USD = 0.00191 0%", "UZS/USD", 0.00008, -0.5, "USD"),
        ("• KZT/USD = 0.00191 0%", "KZT/USD", 0.00191, 0.0, "USD"),
        ("On Monday 1 USD = 89.5 KGS at the central bank.", "USD/KGS", 89.5, None, "KGS"),
    ],
)
def test_mentions_quantities_exchange_rates(text, pair, value, change, unit) -> None:
    q = find_quantities(text)[0]
    assert (q.kind, q.pair, q.unit, q.change) == ("rate", pair, unit, change)
    assert q.value == pytest.approx(value, rel=0.01)
    assert metric_for(text, q) == "exchange_rate"


@pytest.mark.parametrize(
    "text, needle, value, unit",
    [
        ("The country shares a 1,300-km border with Afghanistan.", "1,300", 1300, "km"),
        ("A land border more than 1,000 km long runs through the desert.", "1,000", 1000, "km"),
        ("The plant will ship 2 million tonnes of grain.", "2", 2e6, "t"),
    ],
)
def test_mentions_quantities_measures(text, needle, value, unit) -> None:
    q = _one(text, needle)
    assert q.value == pytest.approx(value, rel=0.01) and q.unit == unit


NOT_QUANTITIES = [
    ("POLITICS | 16:23 / 06.03.2025\n2013\n7 min read", "2013"),
    ("POLITICS | 16:23 / 06.03.2025\n2013\n7 min read", "7"),
    ("POLITICS | 16:23 / 06.03.2025\n2013\n7 min read", "16"),
    ("Read 183 times Last modified on Tuesday", "183"),
    ("The accord was signed on December 22, 2022.", "22"),
    ("The accord was signed on 22 December 2022.", "22"),
    ("The accord was signed in 2023 in Baku.", "2023"),
    ("The 2013 elections were disputed.", "2013"),
    ("Kyrgyzstan bought TB-2 drones.", "2"),
    ("The delegates met at COP29 in Baku.", "29"),
    ("The country marks 35 years of independence.", "35"),
    ("It has had three revolutions in 20 years.", "20"),
    ("Russia spent 200 years conquering the region.", "200"),
]


@pytest.mark.parametrize("text, needle", NOT_QUANTITIES)
def test_mentions_quantities_not_quantities(text, needle) -> None:
    at = text.index(needle)
    assert [q for q in find_quantities(text) if q.start <= at < q.end] == []


METRICS = [
    ("Bilateral trade reached $211 million in 2023.", "211", "trade_turnover"),
    ("Trade turnover between the two countries stood at $1.1 billion.", "1.1", "trade_turnover"),
    ("Uzbekistan exported $300 million of textiles to Turkey.", "300", "exports"),
    ("Imports from China rose to $4 billion.", "4", "imports"),
    ("Beijing has invested more than $40 billion across the region.", "40", "fdi_stock"),
    ("About 11,000 tourists from Israel visited Uzbekistan.", "11,000", "visitor_arrivals"),
    ("The leaders set a target of $5 billion in bilateral trade by 2030.", "5", "trade_turnover_target"),
    ("Bilateral trade grew by 15% last year.", "15", "trade_turnover_growth"),
    ("Ghana received 1.1 million tourists in 2024, up 18% from a year earlier.", "18", "visitor_arrivals_growth"),
    ("Exports to Chile fell 7 percent in the first quarter.", "7", "exports_growth"),
    ("Trade stood at $800 million, short of the $1 billion target set in 2022.", "1", "trade_turnover_target"),
    ("Trade stood at $800 million, short of the $1 billion target set in 2022.", "800", "trade_turnover"),
    ("Azerbaijan provides roughly 35 percent of Israel's oil imports.", "35", "imports"),
    ("Kazakhstan supplied about 40% of Israel's crude oil in 2023.", "40", "imports"),
    ("Mountains cover more than 90% of the country.", "90", "share"),
    ("The capital has 2 million 422 thousand residents.", "2", None),
]


@pytest.mark.parametrize("text, needle, metric", METRICS)
def test_mentions_quantities_metric_for(text, needle, metric) -> None:
    assert metric_for(text, _one(text, needle)) == metric


def test_mentions_quantities_metric_for_given_sentence_span() -> None:
    text = "Visitors praised the bazaars. Officials said $211 million was spent."
    q = _one(text, "211")
    assert metric_for(text, q) is None  # its own sentence has no cue
    assert metric_for(text, q, (0, len(text))) == "visitor_arrivals"


def test_mentions_quantities_offsets_and_order() -> None:
    text = "Trade reached $25 million in 2022 and $54 million in 2024, with 9,000 visitors."
    found = find_quantities(text)
    assert [q.value for q in found] == [25e6, 54e6, 9000]
    for q in found:
        assert text[q.start : q.end] == q.text


@pytest.mark.parametrize("bad", [None, 3.5])
def test_mentions_quantities_rejects_non_text(bad) -> None:
    with pytest.raises(TypeError, match="str"):
        find_quantities(bad)


# --- seeds -----------------------------------------------------------------------------


def test_mentions_quantities_seeds(seeds_dir) -> None:
    found = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        qs = find_quantities(text)
        for q in qs:
            assert text[q.start : q.end] == q.text
        find_dates(text, published=PartialDate.parse("2025-12-16"))  # both finders run clean
        found[path.name[:3]] = (text, qs)

    def has(key, **want):
        text, qs = found[key]
        for q in qs:
            if all(
                (getattr(q, k) == pytest.approx(v, rel=0.01) if isinstance(v, float) else getattr(q, k) == v)
                for k, v in want.items()
            ):
                return q
        raise AssertionError(f"seed {key}: no quantity with {want}")

    # values verified by reading the seeds
    text, _ = found["004"]
    assert metric_for(text, has("004", value=211e6, unit="USD")) == "trade_turnover"
    assert metric_for(text, has("004", value=40e9, unit="USD", qualifier="more_than")) == "fdi_stock"
    assert has("004", value=500e6, unit="USD", per="year")
    assert metric_for(text, has("004", value=11000.0, unit="persons")) == "visitor_arrivals"
    assert has("004", value=15000.0, high=20000.0, unit="persons")
    assert metric_for(text, has("004", value=40.0, unit="percent")) == "imports"
    assert has("004", value=1300.0, unit="km")
    text, _ = found["003"]
    assert metric_for(text, has("003", value=22.0, unit="percent")) == "imports"
    assert has("002", kind="rate", pair="TJS/USD", change=-0.86)
    # the article headers' counters and reading times are not quantities
    for key in ("000", "001"):
        assert not [q for q in found[key][1] if q.kind in ("money", "percent")]
        assert not [q for q in found[key][1] if q.value in (2013.0, 183.0, 7.0)]
