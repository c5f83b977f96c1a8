"""Date mentions: absolute and relative expressions, ANNOTATION.md's Dates rules,
inheritance from context, and the numbers that are not dates. Sentences are our own."""

from __future__ import annotations

import pytest

from diplograph.mentions.dates import DateMention, date_for_span, find_dates, sentence_spans
from diplograph.models import PartialDate

THU = PartialDate.parse("2025-03-06")  # a Thursday


def _pub(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def _mention(text: str, needle: str, published: PartialDate | None = THU) -> DateMention:
    """The mention that overlaps the first occurrence of ``needle``."""
    at = text.index(needle)
    found = [m for m in find_dates(text, published=published) if m.start < at + len(needle) and m.end > at]
    assert found, f"no date mention over {needle!r} in {text!r}"
    return found[0]


def _value(m: DateMention) -> str | None:
    return m.value.value if m.value else None


# --- absolute expressions --------------------------------------------------------------

ABSOLUTE = [
    ("The presidents signed the treaty on December 22, 2022, in Tashkent.", "December 22, 2022", "2022-12-22", "day"),
    ("The accord was signed on 22 December 2022 in Astana.", "22 December 2022", "2022-12-22", "day"),
    ("The Dec. 5, 2021 meeting ended early.", "Dec. 5, 2021", "2021-12-05", "day"),
    ("Ratification followed in December 2022.", "December 2022", "2022-12", "month"),
    ("The pipeline opened in November 2005.", "November 2005", "2005-11", "month"),
    ("Turnover grew sharply in 2023.", "2023", "2023", "year"),
    ("Talks stalled in mid-2023 over tariffs.", "mid-2023", "2023", "year"),
    ("In late December 2023, the minister visited Ashgabat.", "late December 2023", "2023-12", "month"),
    ("The tax treaty entered into force at the end of 2000.", "end of 2000", "2000", "year"),
    ("Between 1989 and 2002, most of the community emigrated.", "Between 1989", "1989/2002", "interval"),
    ("He governed the republic from 1985 until 2006.", "1985", "1985/2006", "interval"),
    ("He led the party from 1985 until his death in 2006.", "1985", "1985/2006", "interval"),
    ("The 1994–98 programme trained officers.", "1994", "1994/1998", "interval"),
    ("Exports for January through February 2023 rose by a fifth.", "January", "2023-01/2023-02", "interval"),
    ("Imports fell between March and May 2024.", "March", "2024-03/2024-05", "interval"),
    ("The summit took place on 12–13 June 2024 in Astana.", "12", "2024-06-12/2024-06-13", "interval"),
    ("The summit took place on June 12-13, 2024 in Astana.", "June", "2024-06-12/2024-06-13", "interval"),
    ("Output rose in the first quarter of 2024.", "first quarter", "2024-01/2024-03", "interval"),
    ("Tuesday, 16 December 2025\nThe council met.", "Tuesday", "2025-12-16", "day"),
    ("The framework agreement (2009) was renewed.", "2009", "2009", "year"),
    ("Officials praised the 2022 agreement on water sharing.", "2022", "2022", "year"),
    ("Israel's 2023 embassy opening drew protests in Tehran.", "2023", "2023", "year"),
    ("Netanyahu's landmark 2016 visit to Astana was the first.", "2016", "2016", "year"),
    ("Visits took place in 1995 and 1997.", "1997", "1997", "year"),
    ("2019 was a turning point for the bloc.", "2019", "2019", "year"),
    ("Posted 06.03.2025 at noon", "06.03.2025", "2025-03-06", "day"),
    ("Filed 2024-05-17 by the desk.", "2024-05-17", "2024-05-17", "day"),
]


@pytest.mark.parametrize("text, needle, value, precision", ABSOLUTE)
def test_mentions_dates_absolute(text: str, needle: str, value: str, precision: str) -> None:
    m = _mention(text, needle)
    assert _value(m) == value
    assert m.value is not None and m.value.precision == precision
    assert not m.relative


@pytest.mark.parametrize(
    "text, needle, value",
    [
        ("Relations were established in the early 1990s.", "early 1990s", "1990/1993"),
        ("Relations began in the early ’90s as the union fell apart.", "’90s", "1990/1993"),
        ("By the late 1980s the community had shrunk.", "late 1980s", "1987/1989"),
        ("Trade revived in the 2000s.", "2000s", "2000/2009"),
    ],
)
def test_mentions_dates_decades_are_vague_intervals(text: str, needle: str, value: str) -> None:
    m = _mention(text, needle)
    assert m.vague and _value(m) == value


@pytest.mark.parametrize(
    "text, needle, bound",
    [
        ("Kazakhstan has hosted the base since 1992.", "1992", "since"),
        ("The deal runs until 2030.", "2030", "until"),
        ("The line should be finished by 2027.", "2027", "by"),
        ("As of 2021, the office was closed.", "2021", "as_of"),
        ("Ties were frozen in 2014.", "2014", None),
    ],
)
def test_mentions_dates_open_bounds(text: str, needle: str, bound: str | None) -> None:
    assert _mention(text, needle).bound == bound


# --- ANNOTATION rule 1: weekdays -------------------------------------------------------


@pytest.mark.parametrize(
    "text, needle, past, future",
    [
        ("The delegation arrived on Tuesday.", "Tuesday", "2025-03-04", "2025-03-11"),
        ("The delegation arrived on Thursday.", "Thursday", "2025-03-06", "2025-03-06"),
        ("The envoy left on Friday.", "Friday", "2025-02-28", "2025-03-07"),
        ("The envoy left last Friday.", "last Friday", "2025-02-28", "2025-02-28"),
        ("The envoy lands next Thursday.", "next Thursday", "2025-03-13", "2025-03-13"),
        ("Ministers meet next Monday.", "next Monday", "2025-03-10", "2025-03-10"),
    ],
)
def test_mentions_dates_weekday_rule(text: str, needle: str, past: str, future: str) -> None:
    m = _mention(text, needle)
    assert m.relative
    assert m.for_tense("past").value == past  # type: ignore[union-attr]
    assert m.for_tense("future").value == future  # type: ignore[union-attr]


def test_mentions_dates_next_weekday_is_future() -> None:
    assert _mention("They will meet next Friday.", "next Friday").future


# --- ANNOTATION rule 2: month or day without a year ------------------------------------


@pytest.mark.parametrize(
    "text, needle, past, future",
    [
        ("The ministers met in February to discuss tariffs.", "February", "2025-02", "2026-02"),
        ("The ministers met in November to discuss tariffs.", "November", "2024-11", "2025-11"),
        ("The ministers met in March.", "March", "2025-03", "2025-03"),
        ("The accord was signed on March 4.", "March 4", "2025-03-04", "2026-03-04"),
        ("The accord was signed on March 10.", "March 10", "2024-03-10", "2025-03-10"),
        ("A treaty was signed by November 14.", "November 14", "2024-11-14", "2025-11-14"),
        ("The talks were held on 2 March.", "2 March", "2025-03-02", "2026-03-02"),
    ],
)
def test_mentions_dates_month_without_year_rule(text: str, needle: str, past: str, future: str) -> None:
    m = _mention(text, needle)
    assert m.relative and not m.inherited
    assert m.for_tense("past").value == past  # type: ignore[union-attr]
    assert m.for_tense("future").value == future  # type: ignore[union-attr]


def test_mentions_dates_month_without_year_names_the_year_before_case() -> None:
    m = _mention("The ministers met in November.", "November")
    assert m.rule.endswith("year-before")


# --- ANNOTATION rule 3: relative expressions -------------------------------------------

RELATIVE = [
    ("Trade doubled last year.", "last year", "2025-03-06", "2024"),
    ("The envoy visited last month.", "last month", "2025-03-06", "2025-02"),
    ("Talks resume next month.", "next month", "2025-03-06", "2025-04"),
    ("Talks resume next year.", "next year", "2025-03-06", "2026"),
    ("Earlier this year the two sides met.", "Earlier this year", "2025-03-06", "2025"),
    ("The deal was reached this spring.", "this spring", "2025-03-06", "2025"),
    ("The speaker toured the region last spring.", "last spring", "2025-12-01", "2025"),
    ("The speaker toured the region last spring.", "last spring", "2025-03-06", "2024"),
    ("They signed the accord this past September.", "September", "2025-12-01", "2025-09"),
    ("They signed the accord this past September.", "September", "2025-03-06", "2024-09"),
    ("They signed the accord last September.", "September", "2025-09-20", "2024-09"),
    ("The embassy opened two years ago.", "two years ago", "2025-06-23", "2023"),
    ("The embassy opened 3 months ago.", "3 months ago", "2025-03-06", "2024-12"),
    ("The envoy arrived yesterday.", "yesterday", "2025-03-06", "2025-03-05"),
    ("The envoy arrives today.", "today", "2025-03-06", "2025-03-06"),
    ("The talks took place last week.", "last week", "2025-03-06", "2025-02-24/2025-03-02"),
    ("Strikes hit three sites over the weekend.", "over the weekend", "2025-06-23", "2025-06-21/2025-06-22"),
    ("I have visited three times in the past year.", "the past year", "2025-03-06", "2024-03/2025-03"),
    ("Trade has doubled over the past two years.", "past two years", "2025-03-06", "2023/2025"),
]


@pytest.mark.parametrize("text, needle, published, value", RELATIVE)
def test_mentions_dates_relative_to_publication(text: str, needle: str, published: str, value: str) -> None:
    m = _mention(text, needle, _pub(published))
    assert m.relative
    assert _value(m) == value


@pytest.mark.parametrize(
    "text, needle, published, value",
    [
        ("Trade doubled last year.", "last year", "2025-12", "2024"),
        ("The envoy visited last month.", "last month", "2025-12", "2025-11"),
        ("The envoy arrived yesterday.", "yesterday", "2025-12", "2025"),
        ("The embassy opened two years ago.", "two years ago", "2025", "2023"),
        ("The envoy visited last month.", "last month", "2025", None),
    ],
)
def test_mentions_dates_coarse_publication_date_keeps_what_is_certain(
    text: str, needle: str, published: str, value: str | None
) -> None:
    assert _value(_mention(text, needle, _pub(published))) == value


def test_mentions_dates_relative_without_publication_date_has_no_value() -> None:
    m = _mention("Trade doubled last year.", "last year", None)
    assert m.relative and m.value is None


# --- ANNOTATION rule 4: vague expressions ----------------------------------------------


@pytest.mark.parametrize(
    "text, needle, future",
    [
        ("The two states made peace three decades ago.", "three decades ago", False),
        ("Some years ago the border was closed.", "Some years ago", False),
        ("The ministry recently changed course.", "recently", False),
        ("In recent years the relationship cooled.", "In recent years", False),
        ("In the coming years, a union is likely.", "In the coming years", True),
        ("Ties will deepen in the near future.", "in the near future", True),
        ("Trade should grow over the next five years.", "next five years", True),
    ],
)
def test_mentions_dates_vague_expressions_have_no_value(text: str, needle: str, future: bool) -> None:
    m = _mention(text, needle)
    assert m.vague and m.value is None
    assert m.future == future


def test_mentions_dates_few_weeks_ago_keeps_only_the_certain_part() -> None:
    m = _mention("The deal was announced a few weeks ago.", "a few weeks ago", _pub("2025-03-20"))
    assert m.vague and _value(m) == "2025"


@pytest.mark.parametrize(
    "text, needle, published, future",
    [
        ("Azerbaijan offered to host a meeting in 2026.", "2026", "2025-12-16", True),
        ("The meeting was held in 2024.", "2024", "2025-12-16", False),
        ("The meeting was held in December 2025.", "December 2025", "2025-12-16", False),
        ("A summit is planned for January 2026.", "January 2026", "2025-12-16", True),
    ],
)
def test_mentions_dates_future_flag(text: str, needle: str, published: str, future: bool) -> None:
    assert _mention(text, needle, _pub(published)).future == future


# --- inheritance from context ----------------------------------------------------------

INHERITED = [
    (
        "In 2019, Kazakhstan widened its network of treaties. In March, it signed a transit "
        "accord with Georgia, and in October, a defence protocol was agreed with Armenia.",
        ["March", "October"],
        ["2019-03", "2019-10"],
    ),
    ("In 2022 the ministers met twice. In November of that year, they signed a visa waiver.", ["November"], ["2022-11"]),
    ("The foreign minister visited Bishkek in 1996, the same year a trade accord was signed.", ["the same year"], ["1996"]),
    ("Relations were set up in April 1993, and an embassy opened that same year.", ["that same year"], ["1993"]),
    ("A customs accord was concluded in 1998 and implemented the following year.", ["the following year"], ["1999"]),
    ("The council was founded in 2009. Eleven years later, it became a full organisation.", ["Eleven years later"], ["2020"]),
    ("The forum first met in 2012. Later that year, a secretariat opened.", ["Later that year"], ["2012"]),
    (
        "Talks resumed in May 2007 after a long pause. Weeks of haggling followed, and by "
        "November 14, a border treaty was signed.",
        ["November 14"],
        ["2007-11-14"],
    ),
    ("Last year, the two sides signed a roadmap. In June, they opened a consulate.", ["June"], ["2024-06"]),
]


@pytest.mark.parametrize("text, needles, values", INHERITED)
def test_mentions_dates_inherit_year_from_context(text: str, needles: list[str], values: list[str]) -> None:
    for needle, value in zip(needles, values):
        m = _mention(text, needle)
        assert _value(m) == value, needle
        assert m.inherited and m.anchor is not None and m.anchor < m.start


@pytest.mark.parametrize(
    "text, needle, value",
    [
        # a new paragraph does not inherit the frame: rule 2 applies
        ("The treaty dates from 2019.\n\nIn February, the ministers met again.", "February", "2025-02"),
        # nor does a sentence three sentences on
        ("In 2019 a treaty was signed. It was ratified. Trade grew. Few noticed. In February, they met.", "February", "2025-02"),
    ],
)
def test_mentions_dates_no_inheritance_outside_the_frame(text: str, needle: str, value: str) -> None:
    m = _mention(text, needle)
    assert not m.inherited and _value(m) == value


# --- false positives -------------------------------------------------------------------

NOT_DATES = [
    ("Trade reached $211 million last year.", "211"),
    ("China has invested $2020 million in roads.", "2020"),
    ("The 1,300-km border is hard to guard.", "1,300"),
    ("Roughly 3,300 Jews remain in the country.", "3,300"),
    ("Kyrgyzstan bought TB-2 drones.", "2"),
    ("Read 183 times Last modified yesterday", "183"),
    ("POLITICS | 16:23\n2013\n7 min read\n\nWho are the allies?", "2013"),
    ("A total of 2013 people attended the forum.", "2013"),
    ("Resolution 2231 was adopted unanimously.", "2231"),
    ("The army fields 2000 troops near the border.", "2000"),
    ("Central Asia may pursue closer ties.", "may"),
    ("Protesters march on the capital.", "march"),
    ("Relations changed after the fall of the Soviet Union.", "fall"),
    ("The Arab Spring protests spread.", "Spring"),
    ("The delegates reached COP29 in Baku.", "29"),
    ("Mountains cover more than 90% of the country.", "90"),
]


@pytest.mark.parametrize("text, needle", NOT_DATES)
def test_mentions_dates_not_dates(text: str, needle: str) -> None:
    at = text.index(needle)
    over = [m for m in find_dates(text, published=THU) if m.start <= at < m.end]
    assert over == []


def test_mentions_dates_sorted_and_offsets_point_into_text() -> None:
    text = "On December 22, 2022 they met; in 2024 they met again, and last week once more."
    found = find_dates(text, published=THU)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [_value(m) for m in found] == ["2022-12-22", "2024", "2025-02-24/2025-03-02"]


@pytest.mark.parametrize("bad", [None, 42, b"in 2023"])
def test_mentions_dates_rejects_non_text(bad: object) -> None:
    with pytest.raises(TypeError, match="str"):
        find_dates(bad, published=THU)  # type: ignore[arg-type]


def test_mentions_dates_rejects_string_publication_date() -> None:
    with pytest.raises(TypeError, match="PartialDate.parse"):
        find_dates("in 2023", published="2025-03-06")  # type: ignore[arg-type]


# --- date_for_span ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, trigger, value",
    [
        ("Kazakhstan and Uzbekistan set up relations in 1992 and opened embassies in 1996.", "opened", "1996"),
        ("Kazakhstan and Uzbekistan set up relations in 1992 and opened embassies in 1996.", "set up", "1992"),
        ("In 2022, the two states signed a defence pact; ties had been cool since 2015.", "signed", "2022"),
        ("Ties had been cool since 2015, but in 2022 the two states signed a defence pact.", "signed", "2022"),
    ],
)
def test_mentions_dates_date_for_span_nearest_to_trigger(text: str, trigger: str, value: str) -> None:
    dates = find_dates(text, published=THU)
    m = date_for_span(dates, 0, len(text), text, anchor=text.index(trigger))
    assert m is not None and _value(m) == value


def test_mentions_dates_date_for_span_none_without_date() -> None:
    text = "The two states signed a defence pact. It was ratified in 2023."
    dates = find_dates(text, published=THU)
    first = sentence_spans(text)[0]
    assert date_for_span(dates, *first, text) is None
    second = sentence_spans(text)[1]
    assert _value(date_for_span(dates, *second, text)) == "2023"  # type: ignore[arg-type]


def test_mentions_dates_sentence_spans_skip_abbreviations() -> None:
    text = "Svante E. Cornell met Mr. Aliyev in the U.S. on Monday. Talks went well.\nNext line"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["Svante E. Cornell met Mr. Aliyev in the U.S. on Monday.", "Talks went well.", "Next line"]


# --- seeds -----------------------------------------------------------------------------

# Publication dates read from each seed's header (003 and 004 carry none in the text; 004
# was published in December 2025 judging by its contents).
SEED_PUB = {"000": "2025-03-06", "001": "2025-12-16", "002": "2025-06-23", "003": "2025", "004": "2025-12"}

SEED_EXPECT = {
    # value -> (inherited, relative) as verified by reading the seed
    "000": {"2022-12-22": (False, False), "2024-02": (True, False), "2024-08": (True, False), "2005-11-14": (True, False)},
    "001": {"2022-11": (True, False), "2023-12": (False, False), "2021": (True, False), "2025-10": (False, False)},
    "002": {"2025-06-21/2025-06-22": (False, True), "2023": (False, True)},
    "003": {"2023": (False, False)},
    "004": {
        "1992-02-21": (False, False),
        "1999": (True, False),
        "2025-09": (False, True),
        "2025-11-06": (False, True),
        "1989/2002": (False, False),
        "1985/2006": (False, False),
    },
}


def test_mentions_dates_seeds(seeds_dir) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        key = path.name[:3]
        text = path.read_text(encoding="utf-8")
        found = find_dates(text, published=_pub(SEED_PUB.get(key)))
        for m in found:
            assert text[m.start : m.end] == m.text
        for value, (inherited, relative) in SEED_EXPECT.get(key, {}).items():
            hits = [m for m in found if _value(m) == value and m.inherited == inherited and m.relative == relative]
            assert hits, f"{path.name}: no date mention {value} (inherited={inherited}, relative={relative})"
        if key == "000":
            # the alliance sentence with Kazakhstan (gold evidence 2559-2637) carries the day
            assert any(_value(m) == "2022-12-22" and 2559 <= m.start < 2637 for m in found)
            # the page counter under the header is not a year
            assert not any(_value(m) == "2013" for m in found)
            assert any(m.vague and m.future for m in found)


def test_dates_days_weeks_months_later_count_from_the_last_precise_date():
    text = ("Parliament approved the protocol on 4 March 2023, and the president signed the law two days "
            "later. Three months later, it entered into force. In 2019 they met; two days later they parted.")
    got = [(text[d.start:d.end], d.value.value if d.value else None)
           for d in find_dates(text, published=PartialDate.parse("2024-01-01"))]
    assert got == [("4 March 2023", "2023-03-04"), ("two days later", "2023-03-06"),
                   ("Three months later", "2023-06"), ("2019", "2019"), ("two days later", None)]


@pytest.mark.parametrize("text, needle, value", [
    # told in order: the month after the anchor's month is in the next year
    ("The two countries signed a trade pact in October 2023. Parliament ratified it in February.", "February", "2024-02"),
    ("The treaty was signed on 15 December 2023. The senate ratified it in January.", "January", "2024-01"),
    # a year inside a relative clause dates only that clause's event
    ("The vote ended a process that Quito began in 2012. Leaders approved the bid on 24 November.",
     "24 November", "2024-11-24"),
])
def test_dates_narrative_order_and_relative_clauses(text, needle, value):
    pub = PartialDate.parse("2025-03-06")
    m = _mention(text, needle, pub)
    assert m.value is not None and m.value.value == value


def test_dates_that_month_takes_the_year_of_the_narrative():
    text = "Bolivia signed its accession treaty in April 2022 and became a full member that July. Officials said that May would be busy."
    got = [(text[d.start:d.end], d.value.value if d.value else None)
           for d in find_dates(text, published=PartialDate.parse("2024-03-06"))]
    assert got == [("April 2022", "2022-04"), ("July", "2022-07")]


@pytest.mark.parametrize("text, needle, value", [
    # the month belongs to the year named after it, not to the latest such month
    ("Armenia signed a charter with Washington in January last year.", "January last year", "2025-01"),
    ("The two blocs first met in February of last year.", "February of last year", "2025-02"),
    ("A summit is planned for May next year.", "May next year", "2027-05"),
    ("Talks resumed in November this year.", "November this year", "2026-11"),
])
def test_mentions_dates_month_with_a_year_relative_to_publication(text, needle, value):
    m = _mention(text, needle, _pub("2026-02-14"))
    assert (m.text, _value(m)) == (needle, value)


def test_mentions_dates_the_same_day_is_the_last_day_named():
    text = ("On 10 June 2026 the two presidents held talks. Ties were raised to a partnership in "
            "December 2021. On the same day, four documents were signed. Later that day, they dined.")
    for needle in ("the same day", "Later that day"):
        m = _mention(text, needle, _pub("2026-06-11"))
        assert _value(m) == "2026-06-10" and m.inherited, needle
    # a day that starts a state of affairs ("since ... on 26 March 1990") is not the one told of
    text = ("On 10 June 2026 the presidents held talks. They recalled that, since the opening of "
            "relations on 26 March 1990, trade has grown. On the same day, two accords were signed.")
    assert _value(_mention(text, "the same day", _pub("2026-06-11"))) == "2026-06-10"
    # with no day named before, no date
    assert _value(_mention("Ties were raised in 2021. That same day, they dined.", "That same day")) is None


# --- chronologies ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, needle, value",
    [
        ("Timeline\n\n1994 - Malta joins the partnership programme (21 May).", "21 May", "1994-05-21"),
        ("1994 – Talks open in Vienna in October.", "October", "1994-10"),
        ("1994: the embassy reopens on 3 March.", "3 March", "1994-03-03"),
        ("• 2001. Both sides sign a border protocol on 9 June.", "9 June", "2001-06-09"),
    ],
)
def test_mentions_dates_chronology_entry_frames_its_line(text: str, needle: str, value: str) -> None:
    year = text[text.index("1994") if "1994" in text else text.index("2001"):][:4]
    assert _value(_mention(text, year)) == year  # the entry's year is a date
    m = _mention(text, needle)
    assert _value(m) == value and m.inherited


def test_mentions_dates_chronology_year_only_at_line_start() -> None:
    # a count at the start of a line, or a year in mid-line before a dash, is not an entry
    assert not [m for m in find_dates("2000 - 3000 troops were deployed.", published=THU) if m.text == "2000"]
    assert not [m for m in find_dates("The tally was 1999 - the highest yet.", published=THU) if m.text == "1999"]
