"""Claim extraction on sentences written for these tests, in the genre of news: every
claim type, the phrasings news uses, modality, dates, attribution, and the traps that look
like claims and are not. Also the contract between data files and extractors."""

from __future__ import annotations

import pytest

from diplograph.claims import claim_types, extract_claims, extractors
from diplograph.claims.registry import parse_type_file
from diplograph.errors import DataFileError
from diplograph.models import CLAIM_TYPES, PartialDate

# These tests pin the rule stage (the candidate generators) sentence by sentence; the
# decision model on top is tested in test_claims_decide.py and measured by eval/split_scores.py.
pytestmark = pytest.mark.usefixtures("rules_alone")



def _extract(text: str, published: str = "2025-03-06"):
    return extract_claims(text, doc="t", published=PartialDate.parse(published))


def _key(c):
    if c.parties:
        parties = tuple(sorted(p.id for p in c.parties))
    elif (claim_types()[c.type].symmetric or (c.quantity or {}).get("metric") == "trade_turnover") and c.object:
        parties = tuple(sorted([c.subject.id, c.object.id]))
    else:  # a figure with no counterpart has a null subject or object
        parties = (c.subject.id if c.subject else None, c.object.id if c.object else None)
    return (c.type, parties, c.modality, c.date.value if c.date else None)


def test_claims_every_type_has_a_data_file_and_an_extractor():
    types = claim_types()
    assert list(types) == list(CLAIM_TYPES)
    assert set(extractors()) == set(types)
    for t in types.values():
        assert t.description and t.codes.keys() == {"plover", "cameo"}


def test_claims_bad_data_file_lists_every_problem():
    bad = "type: alliance\nversion: one\ntriggers: ['(unclosed', 3]\nsymmetric: true\n"
    with pytest.raises(DataFileError) as e:
        parse_type_file("alliance", bad)
    msg = str(e.value)
    assert "missing field 'description'" in msg and "missing field 'codes'" in msg
    assert "bad regular expression '(unclosed'" in msg and "expected a regular expression string" in msg
    assert "version must be an integer" in msg


def _examples():
    for t in claim_types().values():
        for i, ex in enumerate(t.examples):
            yield pytest.param(t.name, ex, id=f"{t.name}-{i}")


def _example_parties(want):
    t = claim_types()[want["type"]]
    if "parties" in want:
        parties = tuple(sorted(want["parties"]))
    else:
        parties = (want["subject"], want["object"])
    if "parties" in want and want["type"] != "quantity" and not t.symmetric:
        parties = tuple(want["parties"])
    return parties


@pytest.mark.parametrize("type_name,example", list(_examples()))
def test_claims_data_file_examples(type_name, example):
    got = {_key(c) for c in _extract(example["text"], example["published"])}
    for want in example["claims"]:
        assert (want["type"], _example_parties(want), want["modality"], want.get("date")) in got, got
    # `absent`: claims that must not come out with that modality, whatever their date
    for never in example.get("absent", []):
        assert not any(k[:3] == (never["type"], _example_parties(never), never["modality"]) for k in got), got


CASES = [
    # (text, published, expected claims as (type, parties, modality, date))
    ("Serbia and Hungary signed an alliance treaty in Belgrade on 12 March 2021.", "2021-03-13",
     {("alliance", ("HUN", "SRB"), "asserted", "2021-03-12")}),
    ("An alliance treaty was signed by Serbia and Hungary in March 2021.", "2021-05-01",
     {("alliance", ("HUN", "SRB"), "asserted", "2021-03")}),
    ("China established diplomatic relations with Kazakhstan, Kyrgyzstan and Uzbekistan in January 1992.",
     "2024-01-01",
     {("diplomatic_relations", ("CHN", "KAZ"), "asserted", "1992-01"),
      ("diplomatic_relations", ("CHN", "KGZ"), "asserted", "1992-01"),
      ("diplomatic_relations", ("CHN", "UZB"), "asserted", "1992-01")}),
    ("In 2023, Georgia established alliance relations with two more countries. In March, it signed an "
     "agreement with Armenia, and in June, an alliance agreement was signed with Azerbaijan.", "2024-02-01",
     {("alliance", ("ARM", "GEO"), "asserted", "2023-03"), ("alliance", ("AZE", "GEO"), "asserted", "2023-06")}),
    ("Analysts say Armenia could form an alliance with Iran in the coming years.", "2024-05-10",
     {("alliance", ("ARM", "IRN"), "speculative", None)}),
    ("It is only a matter of time before Mongolia forms an alliance with Japan.", "2024-05-10",
     {("alliance", ("JPN", "MNG"), "speculative", None)}),
    ("Egypt will not become an ally of Iran, the minister said.", "2024-05-10",
     {("alliance", ("EGY", "IRN"), "negated", None)}),
    ("Finland joined NATO on 4 April 2023.", "2023-04-05",
     {("accession_membership", ("FIN", "NATO"), "asserted", "2023-04-04")}),
    ("Kenya plans to join the Alliance of Sahel States next year, officials said.", "2025-03-06",
     {("accession_membership", ("KEN", "AES"), "planned", "2026")}),
    ("Peruvian Foreign Minister Ana Ruiz visited Japan in July 2023.", "2024-01-01",
     {("visit", ("PER", "JPN"), "asserted", "2023-07")}),
    ("Iraq invaded Kuwait in August 1990.", "2024-01-01",
     {("conflict_action", ("IRQ", "KWT"), "asserted", "1990-08")}),
    ("Brazil opened its embassy in Hanoi in 1994.", "2024-01-01",
     {("embassy_opened", ("BRA", "VNM"), "asserted", "1994")}),
    ("Trade between Peru and Japan reached $3.1 billion in 2023.", "2024-01-01",
     {("quantity", ("JPN", "PER"), "asserted", "2023")}),
    ("Ghana and Togo signed a border security agreement on Tuesday.", "2024-04-05",
     {("agreement_signed", ("GHA", "TGO"), "asserted", "2024-04-02")}),
    # a day's news behind a masthead and a "Published:" line: an undated simple past takes the month
    ("WIRE DIGEST\nPublished: 5 June 2024\n\nThe Togolese president arrived in Accra on Tuesday for a two-day "
     "visit with a large delegation of ministers.\n\nPeru and Chile signed a fisheries agreement, officials said.",
     "2024-06-05", {("visit", ("TGO", "GHA"), "asserted", "2024-06-04"),
                    ("agreement_signed", ("CHL", "PER"), "asserted", "2024-06")}),
    ("Vietnam and Australia upgraded their ties to a comprehensive strategic partnership in March 2024.",
     "2024-03-20", {("strategic_partnership", ("AUS", "VNM"), "asserted", "2024-03")}),
    ("Chile and Peru held talks on a future alliance, but officials denied that a treaty would be signed soon.",
     "2024-03-20", set()),  # no asserted alliance may come out of this (checked below)
    # a date before the next counterpart's preposition is that counterpart's; "later" counts from the last date
    ("Brazil opened a trade office in Accra in 2015. Three years later, it signed a health cooperation "
     "agreement with Ghana, and in 2021 with Togo.", "2024-01-01",
     {("agreement_signed", ("BRA", "GHA"), "asserted", "2018"), ("agreement_signed", ("BRA", "TGO"), "asserted", "2021")}),
    # an official unknown to the reference data, named with a title, then by name alone
    ("Chilean President Gabriela Fontaine arrived in Lima on Monday. Fontaine visited Bolivia in May.", "2024-06-05",
     {("visit", ("CHL", "PER"), "asserted", "2024-06-03"), ("visit", ("CHL", "BOL"), "asserted", "2024-05")}),
    # an event tied to an occasion named before takes its date; in a report of the day's news
    # an undated simple past takes the month of publication, background (pluperfect) none
    ("ACCRA, June 5, 2024 – Togo's president arrived in Accra on Tuesday for a two-day visit. Ghana and Togo "
     "signed a border security agreement during the visit. Peru and Chile signed a fisheries agreement, officials "
     "said. Brazil and Peru had signed a trade agreement, officials said.", "2024-06-05",
     {("agreement_signed", ("GHA", "TGO"), "asserted", "2024-06-04"),
      ("agreement_signed", ("CHL", "PER"), "asserted", "2024-06"),
      ("agreement_signed", ("BRA", "PER"), "asserted", None)}),
    ("Kenya and Uganda signed a rail agreement in Nairobi on 3 May 2024. The two countries also signed a "
     "memorandum on power trade.", "2024-08-01",
     {("agreement_signed", ("KEN", "UGA"), "asserted", "2024-05-03")}),
    # demonyms on the trigger noun itself are its parties
    ("Qatar hosted a second round of indirect Sudanese-Chadian border talks in Doha on 2 May 2024.", "2024-05-10",
     {("summit_meeting", ("SDN", "TCD"), "asserted", "2024-05-02")}),
    # "is due to", "fly on to"; a name in a relative clause of the destination is not a destination
    ("Ruto is due to travel to Kampala on Friday for talks, Kenyan officials said. Kenyan President William "
     "Ruto will then fly on to Kigali, where he is expected to meet Burundian President Evariste Ndayishimiye.",
     "2024-06-05", {("visit", ("KEN", "UGA"), "planned", "2024-06-07"), ("visit", ("KEN", "RWA"), "planned", None)}),
    # elliptical comparisons: "as did X", "as X did with A and B" (a fact, even after a question)
    ("Chile and Japan signed a fisheries agreement in Tokyo on 3 May 2024, officials said, as did Peru.", "2024-05-05",
     {("agreement_signed", ("CHL", "JPN"), "asserted", "2024-05-03"), ("agreement_signed", ("JPN", "PER"), "asserted", "2024-05-03")}),
    ("Could Bolivia and Peru sign an alliance treaty, as Santiago did with Argentina and Uruguay?", "2024-05-05",
     {("alliance", ("BOL", "PER"), "speculative", None), ("alliance", ("ARG", "CHL"), "asserted", None),
      ("alliance", ("CHL", "URY"), "asserted", None)}),
    # modality: accepted invitations are plans; observers' expectations are speculation; severing
    # relations negates them, but only in the clause of its own verb
    ("Lula accepted an invitation to visit Madrid next year, a Spanish official said.", "2024-05-05",
     {("visit", ("BRA", "ESP"), "planned", "2025")}),
    ("Analysts in Lima expect Bolivia to sign a revised agreement with Peru eventually.", "2024-05-05",
     {("agreement_signed", ("BOL", "PER"), "speculative", None)}),
    ("Ecuador broke off diplomatic relations with Mexico in April 2024.", "2024-05-05",
     {("diplomatic_relations", ("ECU", "MEX"), "negated", "2024-04")}),
    ("In 2021, Nicaragua cut its ties with Taiwan and established diplomatic relations with China.", "2024-05-05",
     {("diplomatic_relations", ("CHN", "NIC"), "asserted", "2021")}),
    # a coordinated verb takes its own date first
    ("Bolivia signed its accession treaty with Mercosur in April 2023 and became a full member that July.", "2024-08-05",
     {("accession_membership", ("BOL", "MERCOSUR"), "asserted", "2023-07")}),
    ("Prabowo visited Malaysia in January and hosted the Philippine president in Jakarta last month.", "2025-03-11",
     {("visit", ("IDN", "MYS"), "asserted", "2025-01"), ("visit", ("PHL", "IDN"), "asserted", "2025-02")}),
    # "did the same": the state repeats the claims just before; "it" after a fronted adverbial
    ("In 2021, Nicaragua cut its ties with Taiwan and established diplomatic relations with China. "
     "Belize did the same weeks later.", "2024-05-05",
     {("diplomatic_relations", ("BLZ", "CHN"), "asserted", "2021"), ("other", ("BLZ", "TWN"), "asserted", "2021")}),
    ("Palau was next. Two days after Taiwan's election in January 2024, it broke off relations with Taipei, "
     "and on 24 January it restored diplomatic relations with Beijing.", "2024-05-05",
     {("diplomatic_relations", ("CHN", "PLW"), "asserted", "2024-01-24"), ("other", ("PLW", "TWN"), "asserted", "2024-01")}),
    # the negation of a main verb does not reach an event in a 'when' clause or on a participle
    ("That era ended in April 2022, when Fiji signed a security agreement with China.", "2025-06-05",
     {("agreement_signed", ("CHN", "FJI"), "asserted", "2022-04")}),
    ("Samoa's parliament never ratified the security agreement signed with Australia in December 2022.", "2025-06-05",
     {("agreement_signed", ("AUS", "WSM"), "asserted", "2022-12"), ("agreement_ratified", ("WSM", "AUS"), "negated", None)}),
    # news of the day: a present perfect takes the day it was announced, else the day of publication
    ("LIMA, Jan. 8, 2025 (Andes Wire) - Bolivia has become a full member of Mercosur, Brazil's government "
     "announced on Monday. Peru has closed its border crossings with Ecuador.", "2025-01-08",
     {("accession_membership", ("BOL", "MERCOSUR"), "asserted", "2025-01-06"),
      ("other", ("PER", "ECU"), "asserted", "2025-01-08")}),
    # plural events with coordinated dates: one claim per date
    ("Qatar hosted two rounds of talks between Chad and Sudan in Doha in July and August.", "2024-10-12",
     {("summit_meeting", ("SDN", "TCD"), "asserted", "2024-07"), ("summit_meeting", ("SDN", "TCD"), "asserted", "2024-08")}),
    # a presupposed event: "X's accession did not come as a surprise" still asserts the accession
    ("Bolivia joined Mercosur in July 2024. For many observers, Bolivia's accession did not come as a surprise.",
     "2024-12-01", {("accession_membership", ("BOL", "MERCOSUR"), "asserted", "2024-07")}),
    # receiving an official, signing a number of documents, resuming a dialogue, sending troops,
    # exchanging ambassadors, holding talks in a capital
    ("Jordan's king received the Egyptian foreign minister in Amman on Sunday.", "2025-06-06",
     {("visit", ("EGY", "JOR"), "asserted", "2025-06-01")}),
    ("The presidents of Peru and Chile signed 12 documents in Lima on 3 June 2025.", "2025-06-06",
     {("agreement_signed", ("CHL", "PER"), "asserted", "2025-06-03")}),
    ("Chile and Argentina resumed their security dialogue in Santiago in May 2025.", "2025-06-06",
     {("summit_meeting", ("ARG", "CHL"), "asserted", "2025-05")}),
    ("Rwanda sent troops to Mozambique in July 2021.", "2025-06-06",
     {("military_cooperation", ("MOZ", "RWA"), "asserted", "2021-07")}),
    ("Qatar and the UAE exchanged ambassadors in June 2023.", "2025-06-06",
     {("diplomatic_relations", ("ARE", "QAT"), "asserted", "2023-06")}),
    ("Bolivian trade officials held talks in Lima in March 2025.", "2025-06-06",
     {("summit_meeting", ("BOL", "PER"), "asserted", "2025-03")}),
    # "doing so on ..." dates the event of the clause it stands for
    ("After independence, Chile and Kenya were quick to establish diplomatic relations, doing so on 4 March 1991.",
     "2024-01-01", {("diplomatic_relations", ("CHL", "KEN"), "asserted", "1991-03-04")}),
    # "within days": the month of the event just told
    ("In March 2023, Honduras established diplomatic relations with China. Taiwan shut its embassy in "
     "Tegucigalpa within days.", "2025-06-01", {("other", ("TWN", "HND"), "asserted", "2023-03")}),
    # "these three states ... their respective bilateral relations": each pair
    ("Chile, Peru and Colombia signed a trade pact in 2012. These three states have since made their "
     "respective bilateral relations an alliance.", "2025-06-01",
     {("alliance", ("CHL", "PER"), "asserted", None), ("alliance", ("CHL", "COL"), "asserted", None),
      ("alliance", ("COL", "PER"), "asserted", None)}),
    # a visit's host is where it happens: the subject at home is the host, the one met there the visitor
    (("Peru's foreign minister held talks with her Chilean counterpart in Lima on Monday, the first such visit "
      "in six years."), "2025-06-06", {("visit", ("CHL", "PER"), "asserted", "2025-06-02")}),
    (("Peru's foreign minister held talks with her Chilean counterpart in Santiago on Monday, the first such visit "
      "in six years."), "2025-06-06", {("visit", ("PER", "CHL"), "asserted", "2025-06-02")}),
    # the host's state receives every guest
    ("On Thursday, Ghana's president hosted his Togolese and Beninese counterparts in Accra.", "2024-06-08",
     {("visit", ("TGO", "GHA"), "asserted", "2024-06-06"), ("visit", ("BEN", "GHA"), "asserted", "2024-06-06")}),
    # reported speech: the clause's own subject acts, not the speaker
    ("France said Russia has delivered fighter jets to Mali.", "2025-06-12",
     {("arms_transfer", ("RUS", "MLI"), "asserted", None)}),
    ("Germany said that Poland had recognised Kosovo.", "2025-06-12",
     {("other", ("POL", "XKX"), "asserted", None)}),
    # ... but a pronoun subject is the speaker
    ("India said it would send troops to the Maldives.", "2025-06-12",
     {("military_cooperation", ("IND", "MDV"), "planned", None)}),
    # a comment that someone denies makes an allegation
    ("Russia has supplied drones to Mali, a charge Moscow denies.", "2025-06-12",
     {("arms_transfer", ("RUS", "MLI"), "speculative", None)}),
    ("Chinese troops have been stationed in Tajikistan since 2016, which both governments have always denied.",
     "2025-06-12", {("military_cooperation", ("CHN", "TJK"), "speculative", "2016")}),
    ("Chinese troops have been stationed in Tajikistan since 2016, which both governments have confirmed.",
     "2025-06-12", {("military_cooperation", ("CHN", "TJK"), "asserted", "2016")}),
    # "visiting" before the guest's title: the guest visits the place, else the state of the one met
    (("Chinese President Xi Jinping held talks with visiting Pakistani Prime Minister Shehbaz Sharif at the "
      "Great Hall of the People on Friday."), "2025-06-12",
     {("visit", ("PAK", "CHN"), "asserted", "2025-06-06"), ("summit_meeting", ("CHN", "PAK"), "asserted", "2025-06-06")}),
    ("Indian Prime Minister Modi met visiting President Ruto of Kenya in New Delhi.", "2025-06-12",
     {("visit", ("KEN", "IND"), "asserted", None)}),
    ("Xi Jinping will be visiting Pakistan next month.", "2025-06-12", {("visit", ("CHN", "PAK"), "planned", "2025-07")}),
    # "until" ends what the act opened: not the act's date, and no plan
    ("On Thursday, Georgia suspended accession talks with the EU until the end of 2028.", "2025-06-13",
     {("other", ("GEO", "EU"), "asserted", "2025-06-12")}),
    ("French troops will stay in Chad until 2026.", "2025-06-12",
     {("military_cooperation", ("FRA", "TCD"), "planned", "2026")}),
    # a passive with its agent: the agent acts on the passive subject
    ("Ukraine was invaded by Russia in February 2022.", "2025-06-12",
     {("conflict_action", ("RUS", "UKR"), "asserted", "2022-02")}),
    ("Kosovo was recognised by Poland in 2008.", "2025-06-12", {("other", ("POL", "XKX"), "asserted", "2008")}),
    ("Taiwan was sold 66 F-16 jets by the United States in 2019.", "2025-06-12",
     {("arms_transfer", ("USA", "TWN"), "asserted", "2019")}),
    ("The Philippines was visited by the Japanese prime minister in April.", "2025-06-12",
     {("visit", ("JPN", "PHL"), "asserted", "2025-04")}),
    # ... and without one the passive subject is the subject
    ("Serbia was admitted to the UN in 2000.", "2025-06-12",
     {("accession_membership", ("SRB", "UN"), "asserted", "2000")}),
    # what takes effect is an agreement's entry into force only when it is an agreement
    ("The free trade agreement between Chile and Peru took effect on 1 March 2022.", "2025-06-12",
     {("agreement_ratified", ("CHL", "PER"), "asserted", "2022-03-01")}),
    # a visit that is the time of the clause goes to the one other state acting in it
    ("Paris and Rabat signed 22 agreements during Macron's visit in October 2024.", "2025-06-12",
     {("visit", ("FRA", "MAR"), "asserted", "2024-10"), ("agreement_signed", ("FRA", "MAR"), "asserted", "2024-10")}),
    # tourists counted are a figure of arrivals, not an official visit
    ("About 1.2 million Russian tourists visited Turkey in the first half of 2024.", "2025-06-12",
     {("quantity", ("RUS", "TUR"), "asserted", "2024-01/2024-06")}),
    # seeking is not having
    ("Kazakhstan, which joined the WTO in 2015, is seeking observer status in the Pacific Alliance.", "2025-06-12",
     {("accession_membership", ("KAZ", "WTO"), "asserted", "2015"),
      ("accession_membership", ("KAZ", "PACIFIC_ALLIANCE"), "speculative", None)}),
    # a presence reported is not a presence found
    (("Beijing and Dushanbe are building a second road through the Pamirs, and Chinese security personnel "
      "have been reported near the Afghan border in Tajikistan since 2016."), "2025-06-06",
     {("military_cooperation", ("CHN", "TJK"), "speculative", "2016")}),
    # a figure aimed at by a verb that is not finite is a target
    ("Egypt and Turkey have spoken of raising trade to $15 billion within five years.", "2025-06-12",
     {("quantity", ("EGY", "TUR"), "planned", None)}),
]


@pytest.mark.parametrize("text,published,expected", CASES)
def test_claims_sentences(text, published, expected):
    got = {_key(c) for c in _extract(text, published)}
    assert expected <= got, got


def test_claims_an_event_named_as_a_time_is_no_new_claim():
    text = ("Chile's president is expected to travel to Lima next week. Separately, two Chilean mining firms "
            "signed a supply contract on the sidelines of the visit.")
    got = [(c.type, c.subject.id, c.object.id, c.modality) for c in _extract(text, "2024-05-05")]
    assert got == [("visit", "CHL", "PER", "planned")]


@pytest.mark.parametrize("text", [
    "Alliance relations represent the highest level of interstate relations.",
    "A Kazakh logistics firm and a Kyrgyz fuel distributor signed a supply contract.",
    "Thousands of Turkish tourists visited the beaches of Antalya last summer.",
    "The border between Chile and Argentina runs for 5,300 km.",
])
def test_claims_traps_yield_nothing(text):
    assert _extract(text) == []


@pytest.mark.parametrize("text", [
    "Norway's recognition of Palestine took effect on May 28, 2024.",
    "The US tariffs on Canada took effect on Tuesday.",
])
def test_claims_only_an_agreement_enters_into_force(text):
    assert [c for c in _extract(text, "2025-06-12") if c.type == "agreement_ratified"] == []


@pytest.mark.parametrize("text", [
    "Chile and Peru held talks on a future alliance, but officials denied that a treaty would be signed soon.",
    "Some analysts believe Saudi Arabia and the United States could sign a defence treaty this year.",
    "Uzbekistan may never ally with Turkey, and Kazakhstan is unlikely to join the Abraham Accords.",
    "No state in the region will replicate Azerbaijan's alliance with Turkey.",
    "Officials denied that Kenya had joined the alliance with Ethiopia.",
    "If Mongolia ends its neutrality, forming an alliance with that country could be a turning point for Kazakhstan.",
    "An alliance between Chile and Peru would be of great value to both states.",
    "The ministers of Chile and Peru agreed to finalise, before the end of the year, the Agreement on Fisheries "
    "initialled by their negotiators in Lima in March 2024.",
])
def test_claims_speculation_and_denial_are_never_asserted(text):
    for c in _extract(text):
        if c.type in ("alliance", "accession_membership", "agreement_signed"):
            assert c.modality != "asserted", (c.type, c.subject, c.object, c.modality)


@pytest.mark.parametrize("text, kind", [
    ("A visit by the Peruvian president to Santiago, once pencilled in for the spring, has slipped off the calendar.",
     "visit"),
    ("The Chilean president's state visit to Peru, which had been talked about for the autumn, is now off.", "visit"),
    ("Chile has made no new pledge, despite a visit by its president to Lima that has been announced twice and "
     "twice put off.", "visit"),
    ("A summit between Chile and Peru that had been planned for June was called off.", "summit_meeting"),
    ("A defence treaty between Chile and Peru that was due to be signed in May was pushed back.", "alliance"),
])
def test_claims_an_occasion_its_own_clause_calls_off_is_negated(text, kind):
    got = [c.modality for c in _extract(text) if c.type == kind]
    assert got and set(got) == {"negated"}


def test_claims_an_occasion_that_ended_took_place():
    # "ended" closes a visit that took place; only calling it off negates it
    got = [c.modality for c in _extract("The visit of the Chilean president to Peru, which ended on Tuesday, "
                                        "was a success.") if c.type == "visit"]
    assert got == ["asserted"]
    # a treaty that was later cancelled had still been signed: calling off undoes occasions alone
    got = [c.modality for c in _extract("Chile signed a fisheries agreement with Peru in 2015, which Lima "
                                        "cancelled in 2019.") if c.type == "agreement_signed"]
    assert got == ["asserted"]


@pytest.mark.parametrize("text, modality", [
    ("Lima has not confirmed that the Chilean president will visit Peru.", "speculative"),
    ("It was not immediately clear whether Chile had ratified the protocol with Peru.", "speculative"),
    ("Asked whether Chile would buy Peruvian patrol boats, the minister declined to comment.", "speculative"),
    ("Chile refused to sign the agreement with Peru.", "negated"),
    ("Chile did not sign the agreement with Peru.", "negated"),
])
def test_claims_saying_nothing_is_neither_fact_nor_denial(text, modality):
    got = {c.modality for c in _extract(text)}
    assert got == {modality}


@pytest.mark.parametrize("text", [
    "The defence ministers of Chile and Peru recommended that their countries withdraw from the Ottawa Convention.",
    "The commission advised that Chile join the Pacific Alliance.",
    "Chile said it was reviewing its military cooperation with Peru.",
])
def test_claims_a_recommendation_or_a_review_is_not_the_act(text):
    got = {c.modality for c in _extract(text)}
    assert got == {"speculative"}


def test_claims_attribution_and_evidence_offsets():
    text = ("The talks went well. “We will sign the treaty with Peru next month,” Chile's foreign minister "
            "Alberto van Klaveren told reporters. Trade between Chile and Peru reached $4.2 billion in 2023, "
            "according to the Chilean customs service.")
    claims = _extract(text, "2024-05-10")
    for c in claims:
        assert text[c.evidence_start:c.evidence_end] == c.evidence_text
    signed = [c for c in claims if c.type == "agreement_signed"]
    assert signed and signed[0].modality == "planned" and signed[0].date.value == "2024-06"
    assert "Alberto van Klaveren" in signed[0].attributed_to
    trade = [c for c in claims if c.type == "quantity"]
    assert trade and trade[0].quantity["value"] == pytest.approx(4.2e9)
    assert trade[0].quantity["unit"] == "USD" and trade[0].quantity["metric"] == "trade_turnover"
    assert trade[0].attributed_to == "the Chilean customs service"


def test_claims_symmetric_claims_are_not_duplicated_within_a_document():
    text = ("Serbia and Hungary signed an alliance treaty in March 2021. "
            "The Serbia-Hungary alliance, signed on 12 March 2021, was the first in the region.")
    claims = [c for c in _extract(text, "2022-01-01") if c.type == "alliance"]
    assert len(claims) == 1 and claims[0].date.value == "2021-03-12"


def test_claims_confidence_is_calibrated_on_the_dev_set():
    import json
    from importlib import resources

    from diplograph.claims.pipeline import calibrated

    table = json.loads((resources.files("diplograph") / "data" / "claims" / "calibration.json").read_text())
    assert "test articles excluded" in table["fitted_on"] and table["claims"] > 100
    assert calibrated(0.8, "alliance") == table["by_type"]["alliance"]["high"]
    assert calibrated(0.5, "alliance") == table["by_type"]["alliance"]["low"]
    (c,) = [c for c in _extract("Finland joined NATO on 4 April 2023.", "2023-04-05")]
    assert c.confidence == table["by_type"]["accession_membership"]["high"]


def test_claims_calibration_fit_shrinks_small_bands():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
    from calibrate import fit

    rows = [("visit", 0.8, 1)] * 9 + [("visit", 0.8, 0)] + [("visit", 0.5, 0)] * 2 + [("alliance", 0.8, 1)]
    t = fit(rows)
    assert t["by_type"]["visit"]["high"] > t["by_type"]["visit"]["low"]
    assert 0 < t["by_type"]["visit"]["low"] < 0.5 < t["by_type"]["visit"]["high"] < 0.9


def test_claims_agreements_listed_one_a_line_are_each_a_claim():
    text = ("LIMA, 5 June 2024 – Peru and Chile upgraded their ties to a strategic partnership on Tuesday.\n"
            "The following documents were signed in the presence of the two presidents:\n"
            "- a memorandum of understanding on fisheries;\n"
            "- an agreement on border security;\n"
            "- a letter of intent on lithium trade.\n"
            "Officials said more deals could follow.")
    got = [c for c in _extract(text, "2024-06-05") if c.type == "agreement_signed"]
    assert len(got) == 3
    assert {(tuple(sorted((c.subject.id, c.object.id))), c.date.value) for c in got} == {(("CHL", "PER"), "2024-06-04")}
    assert [c.subtype for c in got] == [None, "security", "trade"]


def test_claims_fighting_and_an_air_strike_are_two_events():
    # the fighting on the ground and the strike from the air it followed are told apart
    got = [c for c in _extract("Indian and Pakistani troops fought along the Line of Control on Tuesday, after "
                               "India sent jets to strike Pakistani positions.", "2025-05-08")
           if c.type == "conflict_action"]
    assert len(got) == 2
    assert {(c.subject.id, c.object.id, c.subtype) for c in got} == {("IND", "PAK", None), ("IND", "PAK", "air_strike")}


def test_claims_agreements_listed_after_their_signatory_keep_it_as_subject():
    # the state named after "with the" is a counterpart, never the topic of what follows;
    # the agent of a passive ("signed by Peru") is
    text = ("The accord is the fourth of its kind signed by Peru. The defence agreement with the "
            "United States, signed in May 2019, entered into force in 2020. The defence agreement "
            "with Brazil, signed in June 2021, took effect in March 2022.")
    got = {(c.type, c.subject.id, c.object.id, c.date.value if c.date else None)
           for c in extract_claims(text, doc="x", published=PartialDate.parse("2025-01-10"))}
    assert ("agreement_signed", "PER", "BRA", "2021-06") in got
    assert ("agreement_ratified", "PER", "BRA", "2022-03") in got
    assert not any(subj == "USA" for _, subj, _, _ in got)


def test_claims_a_copula_clause_keeps_its_own_date_under_a_speech_verb():
    # "said in 2022" dates the saying; "since 2013" belongs to the coordinated copula clause
    text = ("The Shanghai Cooperation Organisation meets in August. Turkey's president said in 2022 "
            "that full membership was the goal, and Ankara has been a dialogue partner since 2013.")
    got = [(c.type, c.subject.id, c.object.id, c.date.value if c.date else None, c.subtype)
           for c in extract_claims(text, doc="x", published=PartialDate.parse("2026-05-10"))
           if c.type == "accession_membership" and c.modality == "asserted"]
    assert got == [("accession_membership", "TUR", "SCO", "2013", "partner")]


@pytest.mark.parametrize("last", [
    "Canada ratified the agreement in December. The President ratified it on 15 January 2026.",
    "Ottawa completed its procedures in December. The Senate ratified the agreement on 15 January 2026.",
])
def test_claims_an_office_named_without_a_state_ratifies_for_the_documents_state(last):
    # "The President", "the Senate" in a text about the Philippines: the Philippines', for the
    # agreement just reported; never two states merely named before (here Australia, Canada)
    text = ("The Philippines and Canada signed a visiting forces agreement in Manila. The Philippines "
            "wants more partners, and the Philippines already hosts Japanese and Australian troops. "
            + last)
    got = {(c.subject.id, c.object.id) for c in extract_claims(
        text, doc="x", published=PartialDate.parse("2026-02-10"))
        if c.type == "agreement_ratified" and c.date and c.date.value == "2026-01-15"}
    assert got == {("PHL", "CAN")}


def test_claims_a_participle_on_the_agreement_phrase_dates_the_signing():
    # "The Status of ... Agreement with X, signed in 2007, entered into force in 2012": the
    # parser hangs "signed" on "Status", not on "Agreement"; the signing is still 2007
    text = ("Peru has signed four such accords. The Status of Forces Agreement with Chile, signed in "
            "2007, entered into force in 2012.")
    got = {(c.type, c.date.value if c.date else None)
           for c in extract_claims(text, doc="x", published=PartialDate.parse("2025-01-10"))}
    assert ("agreement_signed", "2007") in got and ("agreement_ratified", "2012") in got


def test_claims_a_postponed_event_keeps_the_date_it_was_planned_for():
    # ANNOTATION: "was postponed" is negated for that date; the new date, if any, is a plan
    text = ("The French ambassador returned to Algiers in January, but a visit by the French "
            "president to Algeria that had been planned for April was postponed last month.")
    got = [(c.type, c.subject.id, c.object.id, c.date.value if c.date else None, c.modality)
           for c in extract_claims(text, doc="x", published=PartialDate.parse("2026-03-10"))
           if c.type == "visit"]
    assert got == [("visit", "FRA", "DZA", "2026-04", "negated")]


@pytest.mark.parametrize("text", [
    "Chile's president met his Peruvian counterpart Dina Boluarte in Lima on Monday, and the two leaders agreed "
    "to deepen defence cooperation, his office said.",
    "The Chilean president, who arrived in Lima on Monday, met his Peruvian counterpart.",
])
def test_claims_a_weekday_under_a_verb_in_the_past_reads_back_in_a_planned_clause(text):
    # published on a Wednesday: the Monday of "met" / "arrived" is two days before, whatever
    # the modality of a claim of the same sentence; no claim of the sentence looks ahead
    got = {c.date.value for c in extract_claims(text, doc="x", published=PartialDate.parse("2025-03-05"))
           if c.date is not None and c.date.precision == "day"}
    assert got == {"2025-03-03"}


def test_claims_chronology_entries_are_past_events_dated_by_their_line():
    # an encyclopaedia-style timeline tells the past in the present tense, one line an event
    text = ("Chronology\n\n"
            "1996 - Latvia applies to join the European Union (13 October).\n\n"
            "2004: Latvia joins NATO on 29 March.\n\n"
            "14 June 2012 - Chile and Peru sign a border protocol in Lima.")
    got = {_key(c) for c in _extract(text)}
    assert ("accession_membership", ("LVA", "NATO"), "asserted", "2004-03-29") in got
    assert ("agreement_signed", ("CHL", "PER"), "asserted", "2012-06-14") in got
    # while a present tense with a date outside a chronology stays a schedule
    got = {_key(c) for c in _extract("Latvia joins NATO on 29 March.")}
    assert ("accession_membership", ("LVA", "NATO"), "planned", "2025-03-29") in got


@pytest.mark.parametrize("text, subject, obj", [
    ("Mongolia has explored the possibility of opening an embassy in Chile.", "MNG", "CHL"),
    ("Chile welcomed the idea of opening an embassy in Mongolia.", "CHL", "MNG"),
])
def test_claims_a_hedging_noun_above_the_event_makes_it_speculative(text, subject, obj):
    # "the possibility of opening": the noun the event hangs from reads it, and its verb's
    # subject is the actor
    got = {_key(c) for c in _extract(text)}
    assert ("embassy_opened", (subject, obj), "speculative", None) in got
    assert not any(k[2] == "asserted" for k in got)


def test_claims_a_narrative_goes_on_in_the_year_it_opened_with():
    text = "In 2019 the foreign ministers of Chile and Peru met in Lima. They signed a border protocol."
    assert ("agreement_signed", ("CHL", "PER"), "asserted", "2019") in {_key(c) for c in _extract(text)}
    # not across a paragraph, nor from a period's start ("since 2019")
    for text in ("In 2019 the foreign ministers of Chile and Peru met in Lima.\n\nThe two countries signed a border protocol.",
                 "Chile and Peru have been partners since 2019. The two countries signed a border protocol."):
        got = {_key(c) for c in _extract(text) if c.type == "agreement_signed"}
        assert got and all(k[3] != "2019" for k in got), text


@pytest.mark.parametrize("text", [
    "Azerbaijan formally asked to join BRICS in August 2024.",
    "Bolivia requested to join Mercosur in 2012.",
    "Azerbaijan sought to join BRICS in 2024.",
])
def test_claims_asking_to_join_is_not_joining(text):
    got = [c for c in _extract(text) if c.type == "accession_membership"]
    assert got and all(c.modality == "speculative" for c in got)


def test_a_types_combined_trigger_matches_exactly_where_one_of_its_triggers_does():
    """The pipeline skips a type for a sentence when its combined pattern finds nothing: it
    must agree with the triggers one by one, on every type's examples and on other text."""
    texts = [ex["text"] for t in claim_types().values() for ex in t.examples]
    texts += ["The weather in Lisbon was mild.", ""]
    for t in claim_types().values():
        if not t.triggers:
            continue
        for text in texts:
            assert bool(t.any_trigger.search(text)) == any(rx.search(text) for rx in t.triggers), (t.name, text)


def _rule_frames(text: str, kind: str) -> list:
    from diplograph.claims.decide import use_model
    from diplograph.claims.pipeline import candidates

    use_model(False)
    try:
        cands, _ = candidates(text, doc="t", published=PartialDate.parse("2025-03-06"))
    finally:
        use_model(True)
    return [c.frame for c in cands if c.from_rule and c.frame is not None and c.claim.type == kind]


def test_claims_a_particle_parsed_as_an_adverb_still_ends_the_relation():
    # spaCy reads "off" here as an adverb of "broke", not a particle: "break off" all the same
    frames = _rule_frames("Kenya and Somalia broke diplomatic relations off in 2021.", "diplomatic_relations")
    assert frames and {f.modality for f in frames} == {"negated"}


def test_claims_declining_to_confirm_is_named_as_such():
    frames = _rule_frames("Asked whether Chile would buy Peruvian patrol boats, the minister declined to "
                          "confirm the deal.", "arms_transfer")
    assert frames and {(f.modality, f.modality_cue) for f in frames} == {("speculative", "declined to confirm")}


def test_claims_people_counted_do_not_pay_visits():
    got = {_key(c) for c in _extract("In 2024, 1.2 million tourists from Russia visited Turkey.", "2025-06-12")}
    assert got == {("quantity", ("RUS", "TUR"), "asserted", "2024")}
    got = {_key(c) for c in _extract("A delegation from Niger visited Moscow in May.", "2025-06-12")}
    assert ("visit", ("NER", "RUS"), "asserted", "2025-05") in got
    # delegates act for their state; students do not
    got = {_key(c) for c in _extract("Chinese delegates visited Nairobi in May.", "2025-06-12")}
    assert ("visit", ("CHN", "KEN"), "asserted", "2025-05") in got
    assert _extract("Chinese students visited Nairobi in May.", "2025-06-12") == []
