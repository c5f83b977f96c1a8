"""The decision stage: the shipped model, how its decisions are applied, the sentence typer,
and training (deterministic, and the model it writes is the one extraction uses)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from diplograph.claims import extract_claims
from diplograph.claims.decide import Candidate, Settings, choose, decision_model, features, modality_of, use_model
from diplograph.claims.decide.typer import sentence_tokens
from diplograph.claims.pipeline import candidates
from diplograph.mentions.actors import find_mentions
from diplograph.models import ActorRef, Claim, PartialDate

ROOT = Path(__file__).resolve().parent.parent
KAZ = ActorRef("KAZ", "Kazakhstan", "state")
KGZ = ActorRef("KGZ", "Kyrgyzstan", "state")


def _claim(modality="asserted", s=KAZ, o=KGZ, type_="visit", start=0):
    return Claim(doc="d", type=type_, subject=s, object=o, modality=modality, evidence_text="x",
                 evidence_start=start, evidence_end=start + 1)


@pytest.fixture
def shipped():
    use_model(True)
    yield decision_model()
    use_model(True)


def test_decide_shipped_model_loads(shipped):
    assert shipped is not None, "diplograph/data/models/decide.json must ship (eval/train.py rebuilds it)"
    s = shipped.settings
    assert 0 < s.threshold < 1 and 0 < s.rule_threshold < 1
    assert 0.5 <= s.assert_min <= s.generated_assert_min <= 1.01 and 0 <= s.demote_min < 1
    assert shipped.typer is not None and "visit" in shipped.typer.boosters


def test_decide_a_model_trained_on_other_features_is_refused(shipped, tmp_path):
    import lightgbm as lgb
    import numpy as np

    from diplograph.claims.decide import DecisionModel, load_model
    from diplograph.claims.decide.features import N_FEATURES
    from diplograph.errors import DataFileError

    data = json.loads((ROOT / "diplograph" / "data" / "models" / "decide.json").read_text("utf-8"))
    assert DecisionModel(data).mismatches() == []  # the shipped model reads what this code gives
    narrow = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 1},
                       lgb.Dataset(np.random.RandomState(0).rand(20, 5), label=[0, 1] * 10), num_boost_round=2)
    stale = {**data, "keep_model": narrow.model_to_string()}
    assert DecisionModel(stale).mismatches() == [f"the keep model reads 5 inputs; this code gives {N_FEATURES}"]
    path = tmp_path / "decide.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(DataFileError, match="rebuild it") as e:
        load_model(path)
    assert str(path) in str(e.value)
    assert load_model(tmp_path / "absent.json") is None


def test_decide_keeps_a_plain_fact_and_its_modality(shipped):
    text = "ASTANA, March 3, 2025 (Wire) - Kazakhstan and Kyrgyzstan signed a treaty on allied relations on Monday."
    claims = extract_claims(text, doc="d", published=PartialDate.parse("2025-03-03"))
    alliance = [c for c in claims if c.type == "alliance"]
    assert alliance and alliance[0].modality == "asserted"
    assert {alliance[0].subject.id, alliance[0].object.id} == {"KAZ", "KGZ"}
    assert alliance[0].date.value == "2025-03-03"
    hedged = extract_claims("Analysts say Kazakhstan could form an alliance with Kyrgyzstan in the coming years.",
                            doc="d", published=PartialDate.parse("2025-03-03"))
    assert all(c.modality != "asserted" for c in hedged if c.type == "alliance")


def test_decide_never_turns_a_hedged_reading_into_a_fact():
    cands = [Candidate(_claim("speculative"), None, True)]
    kept = choose(cands, [0.99], [[0.97, 0.01, 0.01, 0.01]], Settings(threshold=0.5, assert_min=0.5))
    assert kept and kept[0].modality == "speculative"


def test_decide_asserts_only_above_the_tuned_probability():
    cands = [Candidate(_claim("asserted"), None, True)]
    kept = choose(cands, [0.9], [[0.6, 0.1, 0.25, 0.05]], Settings(threshold=0.5, assert_min=0.8))
    assert kept[0].modality == "speculative"
    kept = choose([Candidate(_claim("asserted"), None, True)], [0.9], [[0.85, 0.05, 0.05, 0.05]],
                  Settings(threshold=0.5, assert_min=0.8))
    assert kept[0].modality == "asserted"


def test_decide_demotes_an_asserted_reading_only_to_a_likely_one():
    doubtful = [0.6, 0.1, 0.25, 0.05]  # asserted below the bar; speculative the next reading
    settings = Settings(threshold=0.5, rule_threshold=0.5, assert_min=0.8, generated_assert_min=0.8)
    assert modality_of(Candidate(_claim("asserted"), None, True), doubtful, settings) == "speculative"
    strict = dataclasses.replace(settings, demote_min=0.3)  # 0.25 is not enough to replace it
    assert modality_of(Candidate(_claim("asserted"), None, True), doubtful, strict) == "asserted"
    # the generator's candidates have their own, higher bar
    gen = dataclasses.replace(settings, generated_assert_min=0.95)
    assert modality_of(Candidate(_claim("asserted"), None, False), [0.9, 0.0, 0.1, 0.0], gen) == "speculative"
    assert modality_of(Candidate(_claim("asserted"), None, True), [0.9, 0.0, 0.1, 0.0], gen) == "asserted"


def test_decide_drops_an_unsure_fact_with_no_likely_other_reading():
    settings = Settings(threshold=0.5, rule_threshold=0.5, assert_min=0.8, generated_assert_min=0.8, drop_below=0.3)
    unsure = [0.7, 0.1, 0.15, 0.05]  # asserted below the bar, and no other reading near 0.3
    assert modality_of(Candidate(_claim("asserted"), None, True), unsure, settings) is None
    assert choose([Candidate(_claim("asserted"), None, True)], [0.9], [unsure], settings) == []
    # a likely other reading is taken; a sure fact stays; a hedged rule reading is never dropped
    assert modality_of(Candidate(_claim("asserted"), None, True), [0.55, 0.05, 0.35, 0.05], settings) == "speculative"
    assert modality_of(Candidate(_claim("asserted"), None, True), [0.85, 0.05, 0.05, 0.05], settings) == "asserted"
    assert modality_of(Candidate(_claim("planned"), None, True), [0.7, 0.05, 0.05, 0.2], settings) == "planned"
    # off by default, and in older model files
    assert modality_of(Candidate(_claim("asserted"), None, True), unsure, dataclasses.replace(settings, drop_below=0.0)) \
        == "speculative"
    assert Settings.of({"keep_threshold": 0.5, "assert_min": 0.8}).drop_below == 0.0


def test_decide_thresholds_and_reverse_readings():
    a = Candidate(_claim(), None, True)
    b = Candidate(_claim(s=KGZ, o=KAZ), None, False)  # the same visit read the other way round
    settings = Settings(threshold=0.5, assert_min=0.5, rule_threshold=0.3)
    kept = choose([a, b], [0.6, 0.8], [[1, 0, 0, 0]] * 2, settings)
    assert [(c.subject.id, c.object.id) for c in kept] == [("KGZ", "KAZ")]
    kept = choose([a, b], [0.4, 0.45], [[1, 0, 0, 0]] * 2, settings)
    assert [(c.subject.id, c.object.id) for c in kept] == [("KAZ", "KGZ")]  # only the rule's passes its bar
    assert kept[0].confidence == pytest.approx(0.4)
    # with different dates the two directions are two events (an embassy each way), both kept
    a.claim.date, b.claim.date = PartialDate.parse("1992-05"), PartialDate.parse("1997-03")
    kept = choose([a, b], [0.6, 0.8], [[1, 0, 0, 0]] * 2, settings)
    assert sorted((c.subject.id, c.date.value) for c in kept) == [("KAZ", "1992-05"), ("KGZ", "1997-03")]
    # the rules reading both ways on one date ("reopened their embassies": each in the other) keep both
    a.claim.date = b.claim.date = None
    both = [Candidate(_claim(), None, True), Candidate(_claim(s=KGZ, o=KAZ), None, True)]
    kept = choose(both, [0.6, 0.8], [[1, 0, 0, 0]] * 2, settings)
    assert sorted(c.subject.id for c in kept) == ["KAZ", "KGZ"]


def test_decide_rules_alone_when_switched_off():
    text = "Kazakhstan and Kyrgyzstan signed a treaty on allied relations on Monday."
    use_model(False)
    try:
        assert decision_model() is None
        claims = extract_claims(text, doc="d", published=PartialDate.parse("2025-03-03"))
        assert all("+" not in c.extractor for c in claims)  # no generated candidate kept
    finally:
        use_model(True)


def test_decide_typer_reads_actors_as_their_kind():
    text = "Mali's military has relied on Russian instructors since 2021, NATO said."
    toks = sentence_tokens(text, 0, find_mentions(text))
    assert toks[:5] == ["<state>", "s", "military", "has", "relied"] or toks[:4] == ["<state>", "military", "has", "relied"]
    assert "<demonym>" in toks and "<organisation>" in toks


def _rule_candidates(text: str, published: str) -> tuple[list, object]:
    """The candidates of ``text`` (the rules' claims and the generator's) without the shipped
    model's typer frames."""
    use_model(False)
    try:
        return candidates(text, doc="d", published=PartialDate.parse(published))
    finally:
        use_model(True)


def test_decide_candidates_include_other_readings():
    text = "Kenya's president visited Jakarta on Tuesday, where he met Prabowo and the Singaporean envoy."
    cands, ctx = _rule_candidates(text, "2025-08-06")
    assert ctx is not None
    rules = {(c.claim.type, c.claim.subject.id, c.claim.object.id) for c in cands if c.from_rule}
    generated = [c for c in cands if not c.from_rule]
    assert ("visit", "KEN", "IDN") in rules
    assert generated and all(c.claim.extractor.endswith(("+pairs", "+typer")) for c in generated)


@pytest.mark.slow
def test_decide_training_is_deterministic_and_used(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "eval"))
    import train as eval_train

    from diplograph.claims.decide import train as T

    names = ["001_astana_alliance_wire.txt", "023_kenya_indonesia_state_visit.txt",
             "026_indonesia_joins_brics.txt", "030_ghana_senegal_joint_commission_readout.txt",
             "010_vietnam_indonesia_agreements_list.txt", "025_thai_cambodia_border_clash.txt"]
    docs = [d for d in eval_train.load_docs({"train"}) if d.name in names]
    assert len(docs) == len(names)
    texts = eval_train.texts_of(docs)
    evidence = T.evidence_loader(eval_train.doc_dirs())

    kept: list = []

    def build(jobs: int) -> dict:
        fresh = [T.Doc(d.name, d.split, d.gold) for d in docs]
        use_model(False)
        try:
            return T.build(fresh[:4], fresh[4:], texts, evidence, cache=lambda cf, parts: kept.append(cf), jobs=jobs)
        finally:
            use_model(True)

    # the folds fitted one after another, or two at a time in worker processes: the same model
    first, second = build(1), build(2)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    # tuning again from what cross-validation kept (pickled, as eval/train.py --cache writes
    # it) gives the same settings and boosters without training
    import pickle

    use_model(False)
    try:
        again = T.settle(pickle.loads(pickle.dumps(kept[0])), evidence=evidence)
    finally:
        use_model(True)
    assert again == {k: v for k, v in first.items() if k not in ("typer_models", "pseudo_triggers", "pseudo_min", "trained_on")}
    assert first["trained_on"]["train"]["right"] > 0 and first["trained_on"]["held_out"]["documents"] == 2
    # each split trained on is scored out of fold; the held-out documents by the final boosters
    assert set(first["out_of_fold"]) == {"train"} and first["dev"] is not None
    assert 0 <= first["out_of_fold"]["train"]["f1"] <= 1
    # the shipped recipe learns from dev too; --hold-dev (and the curve) only score it
    every = eval_train.load_docs({"seeds", "train", "dev"})
    learn, held = eval_train.training_sets(every)
    assert {d.split for d in learn} == {"seeds", "train", "dev"} and held == []
    learn, held = eval_train.training_sets(every, hold_dev=True)
    assert "dev" not in {d.split for d in learn} and held and {d.split for d in held} == {"dev"}
    assert [d.name for d in learn] == sorted(d.name for d in learn)
    use_model(first)
    try:
        claims = extract_claims(texts[names[1]][0][0], doc="d", published=texts[names[1]][0][1])
        assert claims and all(0 < c.confidence < 1 for c in claims)
    finally:
        use_model(True)


def test_contained_error_is_reported_and_the_rest_extracted(monkeypatch, tmp_path, break_frames):
    from click.testing import CliRunner

    from diplograph.cli import main

    break_frames("alliance")
    text = ("Kazakhstan and Kyrgyzstan signed a treaty on allied relations on Monday. "
            "Turkey and Qatar held talks in Doha on 3 May 2024.")
    errors: list = []
    claims = extract_claims(text, doc="d", published=PartialDate.parse("2024-05-10"), errors=errors)
    assert any(c.type == "summit_meeting" and {c.subject.id, c.object.id} == {"TUR", "QAT"} for c in claims)
    assert len(errors) >= 1 and errors[0].stage == "frame alliance" and errors[0].doc == "d"
    assert 0 <= errors[0].start < errors[0].end <= text.index(".")
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    log = tmp_path / "diplograph.log"
    monkeypatch.setenv("DIPLOGRAPH_LOG_FILE", str(log))
    import logging

    root = logging.getLogger("diplograph")
    monkeypatch.setattr(root, "handlers", [])  # a fresh CLI set-up, undone after the test
    monkeypatch.setattr(root, "_diplograph_cli", False, raising=False)
    monkeypatch.setattr(root, "propagate", root.propagate)
    monkeypatch.setattr(root, "level", root.level)
    result = CliRunner().invoke(main, ["extract", str(src), "--json", "--published", "2024-05-10"])
    assert result.exit_code == 0, result.output
    assert '"summit_meeting"' in result.stdout
    assert "extractor error in frame alliance" in result.stderr
    assert "broken on purpose" in log.read_text(encoding="utf-8")


def test_decide_date_ranker_leaves_forecast_figures_to_their_clause():
    from diplograph.claims.decide.dates import redatable

    def cand(modality, type_="quantity"):
        return Candidate(_claim(modality=modality, type_=type_), None, True)

    assert not redatable(cand("speculative")) and not redatable(cand("planned"))
    assert redatable(cand("asserted")) and redatable(cand("planned", "visit"))


def _scored(modality: str, text: str, start: int) -> dict:
    return {"doc": "d.txt", "type": "visit", "subject": {"id": "KAZ", "name": "Kazakhstan", "kind": "state"},
            "object": {"id": "KGZ", "name": "Kyrgyzstan", "kind": "state"}, "date": {"value": None, "precision": None},
            "modality": modality, "attributed_to": None, "quantity": None, "optional": False,
            "evidence": {"text": text, "start": start, "end": start + len(text)}}


def test_decide_tuning_counts_a_misreading_only_from_the_hedged_sentence():
    from diplograph.claims.decide.train import misread
    from diplograph.evaluation import score

    plan = "Kazakhstan's president may travel to Kyrgyzstan next spring, officials said."
    other = "Tourists from Kazakhstan visited Kyrgyzstan in record numbers last year."
    gold = [_scored("speculative", plan, 0)]
    # an asserted visit read from the hedged sentence is a misreading; the same pair from an
    # unrelated sentence pairs with that gold claim too (the scorer pairs on type, parties and
    # date), but it is a false positive, not a speculation stored as a fact
    for text, start, expected in ((plan, 0, 1), (other, 200, 0)):
        r = score([_scored("asserted", text, start)], gold)
        assert len(r.asserted_when_not) == 1
        assert misread(r, lambda g: g["evidence"]["text"]) == expected
        assert misread(r, None) == 1  # without the gold's evidence every pairing counts


def test_decide_date_options_reach_past_the_sentence():
    """A fact may take the day or month of publication (news of the day) or a date told in
    the sentence before (the narrative's); a plan takes neither."""
    from diplograph.claims.decide.dates import Elsewhere, describe, options

    text = ("In March 2019 the two presidents met in Astana. Kazakhstan and Kyrgyzstan signed a border treaty. "
            "Kyrgyzstan will host a summit with Kazakhstan.")
    published = PartialDate.parse("2025-06-12")
    cands, ctx = _rule_candidates(text, "2025-06-12")
    signed = next(c for c in cands if c.claim.type == "agreement_signed")
    opts = options(signed, ctx, published)
    far = {src.kind: v.value for v, src in opts if isinstance(src, Elsewhere)}
    assert far.get("publication_day") == "2025-06-12" and far.get("publication_month") == "2025-06"
    assert "2019-03" in [v.value for v, src in opts if isinstance(src, Elsewhere) and src.kind == "before"]
    assert len({v.value if v else None for v, _ in opts}) == len(opts)  # each date offered once
    rows = describe(signed, opts, ctx, published, news=False)
    assert len(rows) == len(opts) and len({len(d) for d, _ in rows}) == 1
    planned = dataclasses.replace(signed, claim=dataclasses.replace(signed.claim, modality="planned", date=None))
    assert not any(isinstance(src, Elsewhere) for _, src in options(planned, ctx, published))


def test_decide_date_ranker_reads_line_breaks_back():
    """A date of the sentences before reaches the ranker with the number of line breaks
    between it and the claim: a chronology's line dates its own event, rarely the next."""
    from diplograph.claims.decide.dates import DENSE, Elsewhere, describe, options

    text = ("In March 2019 the two presidents met in Astana.\n\nKazakhstan and Kyrgyzstan signed a border "
            "treaty. In May 2020 their ministers met in Bishkek. Kyrgyzstan and Kazakhstan signed a water accord.")
    published = PartialDate.parse("2025-06-12")
    cands, ctx = _rule_candidates(text, "2025-06-12")
    at = DENSE.index("lines_back")
    seen = {}
    for cand in (c for c in cands if c.claim.type == "agreement_signed"):
        opts = options(cand, ctx, published)
        for (value, src), (dense, _) in zip(opts, describe(cand, opts, ctx, published, news=False)):
            if isinstance(src, Elsewhere) and src.kind == "before":
                seen[(cand.claim.evidence_start, value.value)] = dense[at]
            else:
                assert dense[at] != dense[at]  # NaN: no date of the sentences before
    treaty, accord = text.index("Kazakhstan and Kyrgyzstan signed"), text.index("Kyrgyzstan and Kazakhstan signed")
    assert seen[(treaty, "2019-03")] == 2.0  # a paragraph break between
    assert seen[(accord, "2020-05")] == 0.0  # the sentence just before, same paragraph


def test_generator_lets_an_organisation_act():
    """The pair generator proposes the pairings the annotation allows: an organisation as
    the actor of an `other` claim (NATO pulls its troops out of Afghanistan; the African
    Union suspends Niger), which the rules read the other way round or not at all."""
    pairs = set()
    for text in ("NATO withdrew its last troops from Afghanistan in August 2021.",
                 "ECOWAS suspended Niger after the coup, and the African Union followed."):
        cands, _ = _rule_candidates(text, "2024-01-10")
        pairs |= {(c.claim.type, c.claim.subject.id, c.claim.object.id) for c in cands
                  if c.claim.subject and c.claim.object}
    assert {("other", "NATO", "AFG"), ("other", "AU", "NER")} <= pairs


def test_decide_keep_labels_leave_the_date_to_the_ranker(monkeypatch):
    """A candidate whose sentence states a gold claim of its type and parties is right for
    the keep model whatever its date (the date ranker learns the gold date from it); with
    the old strict labels it was wrong unless the rules' date fitted."""
    from diplograph.claims.decide import train as T

    sentence = "Kazakhstan and Kyrgyzstan signed a border treaty in Astana."
    claim = Claim(doc="d", type="agreement_signed", subject=KAZ, object=KGZ, modality="asserted",
                  evidence_text=sentence, evidence_start=0, evidence_end=len(sentence),
                  date=PartialDate.parse("2020"))
    gold = {**claim.to_json(), "date": {"value": "2024-05", "precision": "month"}, "optional": False}
    doc = T.Doc("d", "train", [gold], cands=[Candidate(claim, None, True)])
    T.label(doc, lambda g: g["evidence"]["text"])
    assert doc.keep == [1] and doc.match == [1] and doc.gold_date == ["2024-05"]
    monkeypatch.setattr(T, "STRICT_LABELS", True)
    T.label(doc, lambda g: g["evidence"]["text"])
    assert doc.keep == [0] and doc.gold_date == ["2024-05"]


def test_trigger_lexicon_is_learned_and_hangs_the_pseudo_frame_on_the_event():
    from diplograph.claims.decide import triggers

    # a word of sentences that state a withdrawal scores; one of every sentence does not
    sentences = [({"leaving", "the", "china"}, {"other"})] * 5 + [({"the", "china", "met"}, set())] * 20
    lex = triggers.fit(sentences)
    assert "leaving" in lex["other"] and "the" not in lex["other"] and "china" not in lex["other"]
    text = "Panama has formally notified China that it is leaving the Belt and Road Initiative."

    def trigger_words(lexicon):
        cands, _ = candidates(text, doc="d", published=PartialDate.parse("2025-02-07"),
                              typed=lambda s, idx, rows: [{"other": 0.9} for _ in rows], triggers=lexicon)
        return {c.frame.trigger_text for c in cands if c.claim.type == "other" and c.frame is not None and c.frame.pseudo}

    assert trigger_words({}) == {"notified"}  # no lexicon: the main verb
    assert trigger_words(lex) == {"leaving"}


def test_keep_features_read_the_trigger_lexicon():
    from diplograph.claims.decide.features import DENSE

    text = "Panama has formally notified China that it is leaving the Belt and Road Initiative."
    cols = [DENSE.index(n) for n in ("trigger_lift", "best_lift", "party_to_best")]

    def lexicon_columns(lexicon):
        cands, ctx = candidates(text, doc="d", published=PartialDate.parse("2025-02-07"),
                                typed=lambda s, idx, rows: [{"other": 0.9} for _ in rows], triggers=lexicon)
        rows = [dense for (dense, _), c in zip(features(cands, ctx, None), cands) if c.claim.type == "other"]
        assert rows
        return [[r[i] for i in cols] for r in rows]

    without = lexicon_columns({})
    assert all(t == 0.0 and b == 0.0 for t, b, _ in without)
    scored = lexicon_columns({"other": {"leaving": 3.0, "notified": 1.5}})
    # the frame hangs on "leaving", the sentence's best word for the type, near both parties
    assert all(t == 3.0 and b == 3.0 and d >= 0 for t, b, d in scored)


def test_decide_tuning_weighs_a_pairing_below_a_misreading():
    from diplograph.claims.decide.train import PAIRING_SHARE, costly_weight
    from diplograph.evaluation import score

    plan = "Kazakhstan's president may travel to Kyrgyzstan next spring, officials said."
    other = "Tourists from Kazakhstan visited Kyrgyzstan in record numbers last year."
    gold = [_scored("speculative", plan, 0)]
    evidence = lambda g: g["evidence"]["text"]  # noqa: E731
    misreading = score([_scored("asserted", plan, 0)], gold)
    pairing = score([_scored("asserted", other, 200)], gold)
    assert costly_weight(misreading, evidence) == 1.0
    assert 0.0 < costly_weight(pairing, evidence) == PAIRING_SHARE < 1.0
    assert costly_weight(pairing, None) == 1.0  # without the evidence every pairing counts whole


def test_decide_features_read_the_pair_elsewhere_in_the_document():
    from diplograph.claims.decide.features import DENSE

    text = ("Kazakhstan plans to sign a trade agreement with Kyrgyzstan next year. "
            "Kazakhstan signed a trade agreement with Kyrgyzstan in 2019.")
    cands, ctx = _rule_candidates(text, "2025-08-06")
    rows = features(cands, ctx, PartialDate.parse("2025-08-06"))
    at = {name: DENSE.index(name) for name in ("hedged_elsewhere", "asserted_elsewhere", "pair_sentences")}
    seen = set()
    for c, (dense, _) in zip(cands, rows):
        cl = c.claim
        if not c.from_rule or cl.type != "agreement_signed" or {cl.subject.id, cl.object.id} != {"KAZ", "KGZ"}:
            continue
        first = cl.evidence_start < text.index(". ")
        seen.add((first, cl.modality))
        # the plan sees the signing in the other sentence; the signing sees the plan
        assert dense[at["pair_sentences"]] == 1.0
        assert dense[at["hedged_elsewhere"]] == (0.0 if first else 1.0)
        assert dense[at["asserted_elsewhere"]] == (1.0 if first else 0.0)
    assert seen == {(True, "planned"), (False, "asserted")}
