"""Plans, speculation and denials in the many ways news phrases them: none of these
sentences (our own, in the genre) may yield an asserted claim. A speculative, planned or
negated statement stored as a fact is the costliest mistake diplograph can make."""

from __future__ import annotations

import pytest

from diplograph.claims import extract_claims
from diplograph.models import PartialDate

PLANS = [
    'The two countries will sign a defence pact next month.',
    'Oman is to host the next round of talks between Iran and the United States.',
    'Chile and Peru are set to sign a fisheries agreement.',
    'The deal between Kenya and Uganda is due to be signed in March.',
    "Ghana and Togo agreed to open embassies in each other's capitals.",
    "A ratification vote on the treaty with Chile is scheduled for Tuesday in Peru's congress.",
    'Serbia intends to join the European Union by 2030.',
    "Kenya's foreign minister will travel to Nairobi and then to Kampala.",
    'Indonesia and Australia plan joint naval exercises in the spring.',
    'Officials said the agreement between Peru and Chile would be signed during the visit.',
    'The agreement between Latvia and Poland, to be signed in Riga next week, covers air defence.',
    'Bolivia is expected to ratify the treaty with Brazil.',
    'Kenya and Ethiopia will hold talks on Monday.',
    "The visit of Peru's president to Chile, scheduled for next month, was announced on Friday.",
    "Brazil's embassy in Dhaka will open in 2026.",
    'Armenia is preparing to sign a strategic partnership with France.',
    'Vietnam pledged to buy 20 jets from South Korea.',
    'Under the agreement, Sweden will supply Colombia with 17 fighter jets.',
    'Egypt invited Chile to join the initiative.',
    "Peru's president is scheduled to visit Tokyo.",
    'The summit of the two leaders in Lima is planned for June.',
    'Talks between Chile and Bolivia are slated to resume next year.',
    'Kenya will deploy 1,000 police officers to Haiti.',
    'The two navies are to hold their first joint patrol later this year.',
    'A free trade agreement between Mexico and Ecuador could be signed next year.',
    'Negotiations between Chile and the EU on a new trade deal will start in May.',
    'Chile will open a consulate in Kumasi.',
    'Ghana and Nigeria have agreed to hold joint border patrols.',
    'Indonesia hopes to join the OECD within three years.',
    'Colombia seeks to buy fighter jets from Sweden.',
    'The two presidents are to meet in Geneva next month.',
    'Ankara will host the next round of talks between Armenia and Azerbaijan.',
    'The agreement between Kenya and Ethiopia takes effect next year.',
    'Talks between Serbia and Kosovo are scheduled to resume on Thursday.',
    "Peru's foreign minister heads to Brasilia on Monday for talks with his Brazilian counterpart.",
    "Chile's president travels to Beijing later this month.",
    'Ghana and Togo are expected to sign a border agreement at the summit.',
    'The first delivery of the jets to Colombia is planned for 2026.',
    'A joint exercise between India and Egypt is set for November.',
    'The treaty between Bolivia and Paraguay goes to a vote in the Bolivian senate next week.',
    'The defence ministers of Japan and Australia meet in Tokyo on Friday to discuss joint exercises.',
    'Kenya will open an embassy in Lima in 2026, the foreign ministry said.',
    'Both countries have committed to raising bilateral trade to $5 billion by 2030.',
    'The leaders agreed to meet again in Nairobi in June.',
    'Indonesia aims to complete its accession to the OECD by 2027.',
    'The ratification of the agreement by the Peruvian congress is pending.',
    "Brazil has invited Argentina's president to visit Brasilia in the autumn.",
    'The visit of the Chinese premier to Canberra is expected in the coming weeks.',
    'Vietnam and the Philippines intend to sign a maritime cooperation memorandum during the visit.',
    'Kazakhstan hopes to host the next summit of the Organization of Turkic States.',
    'Uruguay and China will start negotiations on a free trade agreement next year.',
    'Saudi Arabia is poised to sign a defence pact with the United States.',
    'The Czech Republic will supply Ukraine with 40 more tanks by the end of the year.',
    'A new Russian military base in Abkhazia is to be built by 2027.',
    'Senegal and Mauritania will jointly develop the gas field from 2026.',
]

NOT_FACTS = [
    'Rumours that Mali bought Chinese drones could not be verified.',
    'Officials in Baku dismissed reports that Azerbaijan had joined the Abraham Accords.',
    'Nobody expects Georgia to join NATO this decade.',
    'Talk of a Turkish base in Somalia has so far come to nothing.',
    "Kenya's planned visit to Somalia was called off at the last minute.",
    'There are no plans for a summit between the two presidents.',
    'It is far from certain that Uzbekistan will sign the treaty.',
    'Whether Vietnam will buy Indian missiles is an open question.',
    "Peru's congress is unlikely to ratify the agreement with Chile before the elections.",
    'Israel and Saudi Arabia have never had diplomatic relations.',
    'Neither side has confirmed that a deal for the drones was signed.',
    'Chile and Peru could sign an alliance treaty next year.',
    "Analysts say Bolivia may join Mercosur's free trade zone.",
    'It is unlikely that Kenya will join BRICS.',
    'Diplomats speculate that Ghana and Togo will sign a border pact.',
    'Ecuador denied reports that it had bought drones from Iran.',
    'Peru has not signed the agreement.',
    'Chile rejected claims that its troops crossed into Bolivia.',
    'There is no sign that Mali will rejoin ECOWAS.',
    "The visit of Peru's president to Chile was cancelled.",
    'The signing ceremony between Kenya and Uganda was postponed.',
    'Kenya has yet to ratify the treaty with Ethiopia.',
    'Colombia declined an offer to buy jets from the United States.',
    'Neither Georgia nor Ukraine will be invited to join NATO soon.',
    'Honduras is said to be considering restoring ties with Taiwan.',
    'Reports suggest that Egypt ordered Chinese jets.',
    'Venezuela never ratified the treaty with Brazil.',
    'A Chinese naval base in Cambodia remains a possibility.',
    'Officials in Lima ruled out an alliance with Bolivia.',
    'Nigeria is reportedly in talks to buy fighter jets from Pakistan.',
    "If Armenia leaves the CSTO, it could join the EU's defence initiative.",
    'Whether Kazakhstan will join the accords remains unclear.',
    'Peru stopped short of recognising the government in Caracas.',
    'Sources said Indonesia would soon sign a deal for Turkish frigates.',
    'According to unconfirmed reports, Russia delivered air defence systems to Niger.',
    'Brazil refused to sign the declaration.',
    'The talks between Ethiopia and Somalia failed to produce an agreement.',
    'Moscow allegedly supplied drones to Mali.',
    'Ghana is unlikely to open an embassy in Lima.',
    'Chile and Argentina are considering joint naval exercises.',
    'Paraguay has no plans to recognise Beijing.',
    'The alliance between Armenia and Russia exists only on paper, officials in Yerevan admit.',
    'A defence pact between Kazakhstan and Turkey is not on the agenda, the ministry said.',
    'A military alliance between Azerbaijan and Pakistan is off the table for now, Baku said.',
    'The strategic partnership between Georgia and Ukraine remains largely theoretical.',
    'A naval base agreement between Sudan and Russia remains hypothetical.',
    "Ghana's president will visit Togo next month, according to two officials familiar with the plans.",
    "Chile's foreign minister visited Lima in May, according to sources close to the government.",
    'Peru bought six radars from Israel, according to a diplomat who asked not to be named.',
    "Proposed Senate Resolution No. 12, concurring in the ratification of the treaty between Chile and Peru.",
    "Leaders of the Southern African Development Community again put off a decision on Burundi's bid to join the bloc.",
    "Georgia's application to join the European Union was filed in 2022.",
    'Kenya put off the signing of the trade deal with Uganda.',
    # a second round of probes, session 3
    'Egypt and Turkey are in the final stages of negotiating a defence cooperation agreement.',
    'The deal, if approved, would see Poland buy 96 Apache helicopters from the United States.',
    'Talks on Ukraine joining the European Union are expected to open next year.',
    'Ministers hope to sign the free trade agreement with Mercosur before the end of the year.',
    'A state visit by the Japanese emperor to China has been floated but not confirmed.',
    'Saudi Arabia reportedly agreed to buy Chinese drones, a claim Riyadh has not confirmed.',
    'The two governments are working towards restoring diplomatic relations.',
    'Kazakhstan is weighing whether to join the BRICS group as a partner.',
    'Observers say Belarus may soon open an embassy in Pyongyang.',
    'Vietnam has expressed interest in buying Indian BrahMos missiles.',
    'Morocco and Algeria are not expected to restore ties any time soon.',
    'The planned joint exercise between Serbia and Russia was called off.',
    "Finland's accession to the alliance was once unthinkable.",
    'Greece would veto any move by Turkey to join the EU defence fund.',
    'There is talk in Ankara of a Turkish base in Azerbaijan.',
    'The proposed sale of F-35 jets to the United Arab Emirates stalled in 2021.',
    'India is yet to decide on buying Russian Su-57 fighters.',
    "Hungary blocked Sweden's accession for months.",
    "Kenya's bid for a seat on the council failed.",
    "The minister's planned trip to Beijing was put on hold.",
    'A free trade deal between India and the EU remains elusive.',
    'Chile and Bolivia have had no diplomatic relations since 1978.',
    "Pakistan's hopes of joining the Shanghai Cooperation Organisation's development bank were dashed.",
    "Tunisia's president refused an invitation to visit Paris.",
    'Negotiators failed to agree on the text of the security pact between Japan and the Philippines.',
    'Turkey would only join the SCO if its EU bid collapsed, officials privately concede.',
    'Rumours of an imminent visit by the Iranian president to Cairo proved unfounded.',
    'The Senate has not yet voted on the defence treaty with Australia.',
    'Plans for a Chinese embassy in Honiara were shelved.',
    'Ahead of a planned visit by the Chinese premier to Australia, officials met in Canberra.',
    'The treaty between Peru and Chile is awaiting ratification.',
    'The agreement, signed but not yet ratified by Bolivia, covers gas exports to Brazil.',
    'Nigeria has denied buying fighter jets from Pakistan.',
    'Would Georgia join NATO if offered the chance?',
    "Had Armenia joined the CSTO's exercises, Azerbaijan would have protested.",
    'Officials could not confirm that Russia had delivered S-400 systems to Algeria.',
    'The pact between Niger and Russia has yet to take effect.',
    'Neither Oman nor Kuwait has recognised Israel.',
    "Mexico's foreign minister is said to be planning a trip to Havana.",
    'Ethiopia is believed to have bought Turkish drones.',
    'Why did Kazakhstan not join the Eurasian customs union earlier?',
    'The leaders discussed a possible free trade agreement between Canada and Ecuador.',
    'Should Moldova join the EU, Transnistria would face a choice.',
    'Brazil insists it has no plans to recognise Kosovo.',
    'The expected visit of the Indian prime minister to Dhaka has not been scheduled.',
    'Taiwan lost another ally when Nauru switched recognition to Beijing, officials in Taipei feared.',
    "Iran's membership of BRICS was in doubt until the last moment.",
    'The Maldives asked India to withdraw its troops, but none have left yet.',
    'Sources in Riyadh say the defence pact with Washington could be signed within months.',
    'The joint naval drill between Iran and Russia, first announced in May, has not taken place.',
    'A Russian military base in Sudan would give Moscow a foothold on the Red Sea.',
    'Hopes of a summit between the two Koreas faded in 2019.',
    'The supply of German tanks to Saudi Arabia remains frozen.',
    'Any accession of Ukraine to NATO is years away.',
    'It remains unclear whether Ghana will ratify the agreement with Burkina Faso.',
    'Malaysia has ruled out buying Chinese warships.',
    'The two navies will not hold joint patrols this year, the ministry said.',
    'Uzbekistan is eyeing a defence pact with Turkey.',
    'A trade deal between Vietnam and the UAE is in the pipeline.',
    'A visit by the Brazilian president to Beijing is on the cards for next spring.',
    'Poland is tipped to buy more K2 tanks from South Korea.',
    'Serbia is keen to join the BRICS bank.',
    'Armenia wants to buy Indian air defence systems.',
    "The two sides agreed in principle to open embassies in each other's capitals.",
    'Indonesia has been courting France for submarines.',
    'Kenya is pushing for a free trade agreement with the United States.',
    'Thailand is mulling an application to join the OECD.',
    'Officials floated the idea of a summit between Ruto and Museveni.',
    'Qatar signalled it could host talks between Sudan and Chad.',
    'Georgia aspires to join the European Union.',
    'Hungary is understood to be considering buying Israeli radars.',
    'The Philippines is angling for more patrol boats from Japan.',
    'Mongolia is sounding out Seoul about a consulate in Busan.',
    "China's planned naval base in Cambodia is a matter of debate.",
    "Ukraine's NATO membership is not a question for now, officials in Berlin say.",
    'Cuba and South Korea could establish diplomatic relations soon.',
    'Nepal is exploring a transit treaty with Bangladesh.',
    'Kuwait may send troops to the Gulf force.',
    'Egypt seeks to buy Chinese J-10 fighters.',
    'Botswana hopes to host the next SADC summit.',
    'Peru is reported to be close to buying Gripen jets from Sweden.',
    'Ecuador is due to ratify the trade deal with China next month.',
    'Bahrain has no intention of restoring ties with Iran, its foreign minister said.',
    'Chile will not buy the Israeli drones after all.',
    'Paraguay ruled out opening an embassy in Beijing.',
    'A summit of the two presidents, once planned for March, is unlikely before the elections.',
    'Mali apparently bought drones from Turkey.',
    'Russia appears to have delivered helicopters to Mali.',
    "Iran seems to have supplied missiles to the Houthis' backers in Yemen.",
    'Ethiopia supposedly signed a port deal with Somaliland.',
    'Kenya was to host the summit, but it moved to Kigali.',
    'The minister would have visited Tokyo had the typhoon not struck.',
    'Moldova must join the EU by 2030, its president insists.',
    'Montenegro should complete its accession talks with the EU by 2026.',
    "The roadmap for Ukraine's accession to the EU was published in March.",
    'Bosnia is a prospective member of NATO.',
    "Colombia's goal is a free trade agreement with India by 2027.",
    '"We will sign the deal with Chile in June," the Peruvian minister told reporters.',
    'The agreement between Israel and Morocco was purportedly signed in secret.',
    'Japan was expected to sign the treaty with the Philippines, but talks stalled.',
    'Somalia threatened to expel the Ethiopian ambassador.',
    'Algeria warned that it could cut ties with Spain.',
    'Mexico called for talks between Venezuela and Guyana.',
    'Burkina Faso asked Russia to send instructors.',
    'Belarus offered to host talks between Russia and Ukraine.',
    'The United States urged Serbia to recognise Kosovo.',
    'Niger demanded the withdrawal of French troops, which had not yet left.',
    'Azerbaijan invited Kazakhstan to join the Middle Corridor consortium.',
    'The EU and Mercosur have tried to conclude a trade agreement for 25 years.',
    "Turkey's accession talks with the EU have been frozen since 2018.",
    'India and Canada are considering restoring their high commissioners.',
    'A defence cooperation pact with Italy is under discussion in Tokyo.',
    'The prospect of Kenyan troops in Haiti worried opposition leaders.',
    'An alliance with Moscow would be a mistake, Armenian officials argue.',
    'If approved, the sale would make Egypt the largest buyer of French jets in Africa.',
    'Once ratified, the treaty between Chile and Argentina will settle the border.',
    'When it enters into force, the agreement between Kenya and the EU will cut tariffs.',
    'Upon accession to the WTO, Ethiopia will have to lower tariffs.',
    'Until the pact with Japan is ratified, Filipino troops cannot train there.',
    'Provided the Senate agrees, Colombia will buy 17 Gripen jets from Sweden.',
    'Rather than join NATO, Austria keeps its neutrality.',
    'Before Sweden could join NATO, Turkey demanded concessions.',
    'Pakistan will only recognise Israel after a Palestinian state exists.',
    'The deal with Iran for Russian jets is not yet final.',
    'Brazil declined to join the OPEC+ group as a full member.',
    'The accord between Chad and Sudan exists in name only.',
    'A formal alliance between Greece and Cyprus has never been on the table.',
    'Egypt stopped buying wheat from Ukraine in 2024.',
    'There has been no meeting between the two foreign ministers since 2019.',
    'The last time the two presidents met was in 2017.',
    'A rapprochement between Iran and Egypt is possible but not imminent.',
    'Ghana is expected to announce its decision on joining the alliance next week.',
    "Bolivia's bid to become a full member of Mercosur is stalled.",
    'Vietnam will consider buying American F-16s if the price falls.',
    "Jordan's king cancelled his trip to Washington after the strikes.",
    'The visit of the Thai prime minister to Phnom Penh has been delayed indefinitely.',
    'The treaty between Russia and North Korea could in theory oblige Moscow to fight.',
    'Tokyo and Manila are set to upgrade relations to a strategic partnership.',
    'Officials in Lima did not rule out a visit by the Chilean president.',
    'Nobody in Nairobi believes a deal with Mogadishu is close.',
    'The exercise between Egypt and Sudan was postponed because of the war.',
    '"Kazakhstan will never join a military alliance against Russia," Tokayev said.',
    '"We are ready to sign a free trade agreement with Chile tomorrow," Peru\'s trade minister said.',
    "Georgia's prime minister said his country would not join the sanctions against Russia.",
    'Asked whether Serbia would recognise Kosovo, Vucic said: "Never."',
    'The Saudi foreign minister described a normalisation with Israel as conditional on a Palestinian state.',
    'Egypt\'s foreign ministry called reports of a defence pact with Turkey "baseless".',
    'Armenia is not considering leaving the CSTO at this time, a spokeswoman said.',
    'Moscow dismissed as "fantasy" claims that it had sent troops to Libya.',
    'Indonesia says it has not decided whether to buy Chinese J-10 fighters.',
    'Officials in Hanoi would neither confirm nor deny the purchase of Indian missiles.',
    "The Kenyan president's office said no date had been set for the visit to Beijing.",
    "Japan's defence minister hinted at a future arms deal with the Philippines.",
    "The talks between Sudan's army and the RSF in Jeddah are expected to resume.",
    'Qatar is reportedly mediating talks between Rwanda and the DRC.',
    "Ukraine's bid to join NATO faces opposition from Hungary.",
    'Argentina expressed interest in joining BRICS before withdrawing its application.',
    'The ministers discussed the possibility of visa-free travel between Chile and Mexico.',
    'Experts doubt that the alliance between Niger, Mali and Burkina Faso will last.',
    'Greece fears that Turkey could buy Eurofighter jets from Britain.',
    # session 15: a report, an allegation, a comment that someone denies
    'Chinese troops have been reported in Tajikistan since 2016.',
    'Ukraine alleged that Russia had supplied drones to Mali.',
    'Russia has supplied drones to Mali, a charge Moscow denies.',
    'Rwanda has sent troops into Congo, which Kigali has always denied.',
    'Kazakhstan is seeking observer status in the Pacific Alliance.',
]


@pytest.mark.parametrize("text", PLANS + NOT_FACTS)
def test_modality_nothing_here_is_asserted(text):
    claims = extract_claims(text, doc="probe", published=PartialDate.parse("2025-06-06"))
    assert [c for c in claims if c.modality == "asserted"] == []


@pytest.mark.parametrize("text", PLANS)
def test_modality_plans_are_found_as_plans_or_hedges(text):
    claims = extract_claims(text, doc="probe", published=PartialDate.parse("2025-06-06"))
    assert all(c.modality in ("planned", "speculative") for c in claims)


def test_modality_an_event_dated_after_publication_is_a_plan():
    claims = extract_claims("The foreign ministers of Chile and Peru meet in Lima on 20 July 2025.",
                            doc="probe", published=PartialDate.parse("2025-06-01"))
    assert claims and {c.modality for c in claims} == {"planned"}


@pytest.mark.usefixtures("rules_alone")  # what the rule stage reads; the model may drop it
@pytest.mark.parametrize("text", [
    "The 2015 free trade agreement between Chile and Thailand remains in force.",
    "The 2019 defence pact between Greece and France is popular with voters.",
    "The alliance between Armenia and Russia still exists, officials in Yerevan say.",
])
def test_modality_a_verb_saying_what_the_event_is_like_keeps_it_a_fact(text):
    # the denials above hang on the same kind of verb; these describe, they do not deny
    claims = extract_claims(text, doc="probe", published=PartialDate.parse("2025-06-06"))
    assert claims and {c.modality for c in claims} == {"asserted"}


def test_modality_a_named_source_keeps_the_fact():
    claims = extract_claims("Chile's foreign minister visited Lima in May, according to the ministry.",
                            doc="probe", published=PartialDate.parse("2025-06-06"))
    assert claims and {c.modality for c in claims} == {"asserted"}
    assert claims[0].attributed_to == "the ministry"


def test_modality_would_under_a_verb_of_informing_is_a_plan():
    claims = extract_claims("Ghana informed Togo that it would open an embassy in Lome in 2026.",
                            doc="probe", published=PartialDate.parse("2025-06-06"))
    assert claims and {c.modality for c in claims} == {"planned"}


@pytest.mark.usefixtures("rules_alone")  # what the rule stage reads; the model may drop it
def test_modality_a_denied_signing_during_a_visit_keeps_the_visit():
    claims = extract_claims("No agreement was signed during the visit of the Turkish foreign minister to Baghdad.",
                            doc="probe", published=PartialDate.parse("2025-06-06"))
    got = {(c.type, c.modality) for c in claims}
    assert ("agreement_signed", "negated") in got and ("visit", "asserted") in got


@pytest.mark.usefixtures("rules_alone")  # what the rule stage reads; the model may drop it
@pytest.mark.parametrize("text, kind", [
    ("Kenya and Uganda signed a roadmap on defence cooperation in May 2025.", "agreement_signed"),
    ("Uruguay's talks with China on a trade deal went nowhere.", "summit_meeting"),
    ("Peru asked for the talks with Chile, which took place in Lima in May.", "summit_meeting"),
    ("Instead of signing the deal with China, Panama left the Belt and Road Initiative.", "other"),
])
def test_modality_facts_near_the_hedging_words_stay_facts(text, kind):
    # the words the probes taught ("roadmap for an accession", "asked", "tried") must not
    # swallow facts told beside them
    claims = extract_claims(text, doc="probe", published=PartialDate.parse("2025-06-06"))
    assert any(c.type == kind and c.modality == "asserted" for c in claims)


@pytest.mark.usefixtures("rules_alone")  # what the rule stage reads; the model may drop it
def test_modality_an_anonymous_source_hedges_a_claim_told_of_the_one_before():
    # "This agreement ..." takes the previous claim's parties; the anonymous source of its
    # own sentence still makes it speculative
    text = ("Kenya and Uganda signed a border treaty in Kampala in May 2025. This agreement was "
            "signed after years of talks, according to officials familiar with the process.")
    claims = extract_claims(text, doc="probe", published=PartialDate.parse("2025-08-01"))
    second = [c for c in claims if c.evidence_start > 0]
    assert second and all(c.modality == "speculative" for c in second)
    assert [c.modality for c in claims if c.evidence_start == 0] == ["asserted"]
