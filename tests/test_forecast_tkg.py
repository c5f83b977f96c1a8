"""TKG benchmark format, time-aware filtered evaluation, and the recurrency forecaster."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diplograph.errors import SourceError
from diplograph.forecast.recurrency import FEATURES, RecurrencyForecaster, describe, rule_confidences
from diplograph.forecast.tkg import (
    build_queries,
    expected_rank,
    expected_ranks,
    load_dataset,
    metrics,
    read_facts,
    read_id_map,
)
from diplograph.forecast.windows import (
    RERANK_WINDOWS,
    WINDOW_SAMPLE,
    earlier_windows,
    fitting_windows,
    tail_cut,
    window_sample,
)

# ------------------------------------------------------------------------ ranks and MRR

# Six entities; the query has two true answers at this timestamp, 1 and 4.
SCORES = np.array([0.9, 0.5, 0.5, 0.5, 0.1, 0.9])
# Answer 1 (score 0.5): entity 4 is filtered (other true answer); higher: 0 and 5 (2);
#   tied others: 2 and 3 (2) -> rank = 1 + 2 + 2/2 = 4.
# Answer 4 (score 0.1): entity 1 is filtered; higher: 0, 2, 3, 5 (4); no ties -> rank 5.
#   (Unfiltered it would be 6: entity 1 also scores higher.)
# MRR = (1/4 + 1/5) / 2 = 0.225 -> 22.5 %; Hits@1 = Hits@3 = 0 %, Hits@10 = 100 %.


@pytest.mark.parametrize(
    "answer, filtered, expected",
    [
        (1, [4], 4.0),
        (4, [1], 5.0),
        (4, [], 6.0),
        (0, [], 1.5),  # tied with entity 5 at the top: optimistic 1, pessimistic 2
        (2, [1, 3], 3.0),  # other 0.5s filtered: no tie left, 0 and 5 above -> 1 + 2
    ],
)
def test_forecast_expected_rank_hand_checked(answer, filtered, expected):
    assert expected_rank(SCORES, answer, filtered) == expected


@pytest.mark.parametrize("answers", [[1, 4]])
def test_forecast_mrr_with_ties_and_filter(answers):
    scores = SCORES[None, :]
    rows = np.zeros(len(answers), dtype=np.int64)
    ans = np.array(answers)
    ranks = expected_ranks(scores, rows, ans, (rows, ans))
    assert ranks.tolist() == [4.0, 5.0]
    m = metrics(ranks)
    assert m["mrr"] == pytest.approx(22.5)
    assert (m["hits@1"], m["hits@3"], m["hits@10"]) == (0.0, 0.0, 100.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forecast_vectorised_ranks_match_single(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, size=(5, 12)).astype(float)  # many ties
    rows = np.array([0, 0, 1, 2, 2, 2, 4])
    ans = np.array([3, 7, 1, 0, 5, 11, 2])
    got = expected_ranks(scores, rows, ans, (rows, ans))
    for k, (row, a) in enumerate(zip(rows, ans)):
        others = [int(x) for x in ans[rows == row] if x != a]
        assert got[k] == expected_rank(scores[row], int(a), others)


@pytest.mark.parametrize("tie_rank, hits1", [(1.5, 0.0)])
def test_forecast_hits_use_expected_rank(tie_rank, hits1):
    m = metrics(np.array([tie_rank]))
    assert m["hits@1"] == hits1 and m["mrr"] == pytest.approx(100 / tie_rank)


# ------------------------------------------------------------------ time-aware queries


@pytest.mark.parametrize("num_relations", [3])
def test_forecast_queries_group_answers_per_timestamp(num_relations):
    facts = np.array([
        [0, 1, 2, 5],
        [0, 1, 3, 5],  # same query (0, 1, ?, 5): answers {2, 3} filter each other
        [0, 1, 4, 6],  # same (s, r) one day later: a different query, not a filter
    ])
    q = build_queries(facts, num_relations)
    found = {(int(q.e[i]), int(q.r[i]), int(q.t[i])): sorted(q.answers_of(i).tolist())
             for i in range(len(q))}
    assert found == {
        (0, 1, 5): [2, 3],
        (0, 1, 6): [4],
        (2, 4, 5): [0],  # inverse queries use r + R
        (3, 4, 5): [0],
        (4, 4, 6): [0],
    }
    assert np.all(np.diff(q.t) >= 0)


# ---------------------------------------------------------------------------- reader


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "line, name",
    [
        ('"Nicholas ""Nick"" Example"\t1\n', 'Nicholas "Nick" Example'),
        ("Police_(Atlantis)\t1\n", "Police_(Atlantis)"),
    ],
)
def test_forecast_reader_names_with_quote_quirk(tmp_path, line, name):
    p = _write(tmp_path / "entity2id.txt", "Ministry (Ruritania)\t0\n" + line)
    assert read_id_map(p) == ["Ministry (Ruritania)", name]


@pytest.mark.parametrize(
    "content, bad_line",
    [
        ("0\t1\t2\t0\n1\t0\tx\t0\n", 2),
        ("0\t1\t2\t0\n\n0\t1\t2\n", 3),
        ("0\t1\t9\t0\n", 1),  # entity id out of range
    ],
)
def test_forecast_reader_malformed_row_names_line(tmp_path, content, bad_line):
    p = _write(tmp_path / "train.txt", content)
    with pytest.raises(SourceError) as err:
        read_facts(p, num_entities=3, num_relations=2)
    assert f"train.txt:{bad_line}" in str(err.value)


@pytest.mark.parametrize("step", [24])
def test_forecast_load_dataset(tmp_path, step):
    _write(tmp_path / "entity2id.txt", 'Alpha\t0\n"B ""b"" B"\t1\nGamma\t2\n')
    _write(tmp_path / "relation2id.txt", "Consult\t0\nMake statement\t1\n")
    _write(tmp_path / "train.txt", f"0\t0\t1\t0\n1\t1\t2\t{step}\n")
    _write(tmp_path / "valid.txt", f"0\t0\t1\t{2 * step}\n")
    _write(tmp_path / "test.txt", f"2\t1\t0\t{4 * step}\t0\n")  # extra column ignored
    ds = load_dataset(tmp_path)
    assert ds.entities[1] == 'B "b" B' and ds.num_relations == 2
    assert ds.train.shape == (2, 4) and ds.test.tolist() == [[2, 1, 0, 4 * step]]
    assert ds.time_step == step


@pytest.mark.parametrize("missing", ["test.txt"])
def test_forecast_load_dataset_missing_file(tmp_path, missing):
    _write(tmp_path / "entity2id.txt", "A\t0\n")
    with pytest.raises(SourceError, match=missing):
        load_dataset(tmp_path)


# ------------------------------------------------------------------------ forecaster


def _synthetic(days: int = 40, seed: int = 0) -> np.ndarray:
    """Entity 0 consults (relation 0) entity 1 every other day; random noise among 2..9."""
    rng = np.random.default_rng(seed)
    facts = [[0, 0, 1, t] for t in range(0, days, 2)]
    for t in range(days):
        for _ in range(4):
            s, o = rng.choice(np.arange(2, 10), size=2, replace=False)
            facts.append([int(s), int(rng.integers(0, 3)), int(o), t])
    facts = np.array(facts, dtype=np.int64)
    return facts[np.argsort(facts[:, 3], kind="stable")]


@pytest.fixture
def fitted():
    facts = _synthetic()
    train, valid = facts[facts[:, 3] < 25], facts[(facts[:, 3] >= 25) & (facts[:, 3] < 36)]
    model = RecurrencyForecaster(num_entities=10, num_relations=3, prior_negatives=5)
    model.fit(train, facts[facts[:, 3] < 36], build_queries(valid, 3))
    model.set_history(facts)
    return model


@pytest.mark.parametrize("e, r, answer", [(0, 0, 1), (1, 3, 0)])  # (0, consult, ?), (1, consult⁻¹, ?)
def test_forecast_recurring_fact_ranks_first(fitted, e, r, answer):
    S = fitted.score(np.array([e]), np.array([r]), 38)[0]
    assert expected_rank(S, answer) == 1.0
    assert S.shape == (10,)


@pytest.mark.parametrize("t", [38])
def test_forecast_reads_only_the_past(fitted, t):
    # Entity 0 has no facts before t=0, so only the prior can rank its candidates: no
    # candidate gets recurrency evidence.
    out = fitted.explain(0, 0, 0, top=10)
    assert all(not f["feature"].startswith("strict") for c in out for f in c["features"])
    later = fitted.explain(0, 0, t, candidate=1)[0]
    assert all(f[3] < t for f in later["evidence"]["strict"])


@pytest.mark.parametrize("top", [3])
def test_forecast_explanation_shape(fitted, top):
    out = fitted.explain(0, 0, 38, top=top)
    assert len(out) == top
    first = out[0]
    assert first["candidate"] == 1
    assert set(first) == {"candidate", "score", "linear_score", "features", "rerank", "counts",
                          "evidence"}
    assert first["rerank"] is None and first["linear_score"] == first["score"]
    assert first["counts"]["strict"] == 19  # every other day from 0 to 36
    assert set(first["evidence"]) == {"strict", "inverse", "pair", "rules"}
    names = {f["feature"] for f in first["features"]}
    assert names <= set(FEATURES) and any(n.startswith("strict.") for n in names)
    # contributions add up to the score
    assert sum(f["contribution"] for f in first["features"]) == pytest.approx(first["score"])
    # strict evidence: the latest (0, consult, 1) facts, most recent first
    strict = first["evidence"]["strict"]
    assert strict[0] == (0, 0, 1, 36) and all(f[:3] == (0, 0, 1) for f in strict)
    assert [f[3] for f in strict] == sorted((f[3] for f in strict), reverse=True)


@pytest.mark.parametrize("t", [38])
def test_forecast_describe_names_facts(fitted, t):
    ents = [f"Entity {i}" for i in range(10)]
    rels = ["Consult", "Make statement", "Host a visit"]
    lines = describe(fitted.explain(0, 0, t, candidate=1)[0], t, ents, rels)
    assert lines[0].startswith("Entity 1: score")
    assert "happened 19 time(s) before, last 2 step(s) ago" in lines[1]
    assert "(Entity 0, Consult, Entity 1, step 36)" in lines[1]


@pytest.mark.parametrize(
    "z, grp, tgt, expected",
    [
        # group 0: scores 3, 1*, 1, 2 -> answer 1 has 3 and 2 above, one tie: 1 + 2 + 0.5
        # group 1: scores 5*, 5, 0* -> 1 + 0 + 0.5; the answer at 0 leaves out the other
        #   answer (5) and has one non-answer above it: 1 + 1
        ([3, 1, 1, 2, 5, 5, 0], [0, 0, 0, 0, 1, 1, 1], [0, 1, 0, 0, 1, 0, 1], [3.5, 1.5, 2.0]),
        # answers 3*, 1*, 3*: each leaves out the others; 1 ties with one non-answer
        ([3, 1, 1, 3], [0, 0, 0, 0], [1, 1, 0, 1], [1.0, 1.5, 1.0]),
    ],
)
def test_forecast_fit_ranks_are_filtered(z, grp, tgt, expected):
    from diplograph.forecast.recurrency import _group_ranks

    got = _group_ranks(np.array(z, float), np.array(grp), np.array(tgt, bool))
    assert got.tolist() == expected


def test_forecast_group_relation_features_read_groups_and_the_past():
    from diplograph.forecast.recurrency import GROUP_LAMBDA, GROUP_WINDOW, DensePrior

    # groups: {0, 1} A, {2, 3} B, {4, 5} C; relations 0, 1 (R = 2)
    groups = np.array([0, 0, 1, 1, 2, 2])
    facts = np.array([
        [1, 0, 2, 1],   # 0's group-mate 1 did relation 0 with 2
        [0, 0, 4, 2],   # 0 itself did relation 0 with 4 (group C)
        [1, 1, 3, 2],   # another relation: ignored for relation 0
        [1, 0, 5, 3],   # dated at the query time: not yet known
    ])
    prior = DensePrior(facts, 6, 2, groups)
    prior.advance(3)
    peers, e_cg, gg = prior.group_rel_features(np.array([0]), np.array([0]))
    w1, w2 = GROUP_LAMBDA ** 2, GROUP_LAMBDA ** 1
    # peers_to_c: facts (x in A, 0, c) -- 1->2 and 0->4 (0 is in its own group)
    assert peers[0].tolist() == pytest.approx([0, 0, np.log1p(w1), 0, np.log1p(w2), 0])
    # e_to_cgroup: (0, 0, y) with y in c's group: 4 is in C, so 4 and 5 both get it
    assert e_cg[0].tolist() == pytest.approx([0, 0, 0, 0, np.log1p(w2), np.log1p(w2)])
    # group_to_cgroup: A did relation 0 with B (1->2) and with C (0->4)
    assert gg[0].tolist() == pytest.approx([0, 0, np.log1p(w1), np.log1p(w1),
                                            np.log1p(w2), np.log1p(w2)])
    # the inverse query (2, 0⁻¹, ?) sees 1 (and its group-mate 0) through group B's facts
    peers, _, gg = prior.group_rel_features(np.array([3]), np.array([2]))
    assert peers[0, 1] == pytest.approx(np.log1p(w1)) and peers[0, 0] == 0
    assert gg[0, 0] == gg[0, 1] == pytest.approx(np.log1p(w1))
    # facts older than the window are forgotten
    prior.advance(2 + GROUP_WINDOW)
    assert prior.group_rel_features(np.array([0]), np.array([0]))[0][0, 2] == 0


def test_forecast_hard_negatives_add_the_top_scored_entities():
    facts = _synthetic()
    train, valid = facts[facts[:, 3] < 25], facts[(facts[:, 3] >= 25) & (facts[:, 3] < 36)]
    hist = facts[facts[:, 3] < 36]
    q = build_queries(valid, 3)
    plain = RecurrencyForecaster(num_entities=10, num_relations=3, prior_negatives=1,
                                 hard_negatives=0)
    plain.fit(train, hist, q)
    js = np.flatnonzero(q.t == q.t[0])
    t = int(q.t[0])
    _, grp0, _, c0 = plain._training_rows(q, js, t)
    _, grp1, tgt1, c1 = plain._training_rows(q, js, t, hard_k=3)
    S = plain.score(q.e[js], q.r[js], t)
    for i in range(len(js)):
        # every query's three best-scored entities are among its rows, besides the first rows
        top3 = set(np.argsort(-S[i], kind="stable")[:3].tolist())
        got = set(c1[grp1 == i].tolist())
        assert top3 <= got and set(c0[grp0 == i].tolist()) <= got
        assert len(got) == int(np.sum(grp1 == i))  # no entity twice
        assert set(c1[(grp1 == i) & tgt1].tolist()) == set(q.answers_of(js[i]).tolist())
    # fitting with them still ranks the recurring fact first
    model = RecurrencyForecaster(num_entities=10, num_relations=3, prior_negatives=1,
                                 hard_negatives=3)
    model.fit(train, hist, q)
    model.set_history(facts)
    assert expected_rank(model.score(np.array([0]), np.array([0]), 38)[0], 1) == 1.0


def test_forecast_inverse_rank_features_order_partners():
    from diplograph.forecast.recurrency import History, candidate_features, rule_confidences

    # 0 did relation 0 with 1 three times and with 2 once; 0 did relation 1 with 3 (pair only)
    facts = np.array([[0, 0, 1, 1], [0, 0, 1, 2], [0, 0, 1, 3], [0, 0, 2, 3], [0, 1, 3, 3]])
    hist = History.build(facts, 4, 2)
    cands = candidate_features(hist, np.array([0]), np.array([0]), 5,
                               rule_confidences(facts, 4, 2), np.zeros((4, 2)))
    col = {n: i for i, n in enumerate(FEATURES)}
    by_c = {int(c): x for c, x in zip(cands.cand, cands.X)}
    assert by_c[1][col["strict.inv_rank"]] == 1.0
    assert by_c[2][col["strict.inv_rank"]] == 0.5
    assert by_c[3][col["strict.inv_rank"]] == 0.0  # no (0, 0, 3) fact
    # any relation: 1 (three facts) before 2 and 3 (one each, tied for second)
    assert by_c[1][col["pair.inv_rank"]] == 1.0
    assert by_c[2][col["pair.inv_rank"]] == by_c[3][col["pair.inv_rank"]] == 0.5


def test_forecast_twohop_relation_walk_follows_the_query_relation():
    from diplograph.forecast.recurrency import DensePrior

    # 0's only partner is 1; 1 did relation 0 with 2 and relation 1 with 3; 4 did
    # relation 0 with 5 but 4 is not 0's partner
    facts = np.array([[0, 1, 1, 1], [1, 0, 2, 2], [1, 1, 3, 2], [4, 0, 5, 2]])
    prior = DensePrior(facts, 6, 2, None)
    prior.advance(3)
    walk = prior.twohop_rel(np.array([0, 0]), np.array([0, 1]))
    assert walk[0, 2] > 0 and walk[0, 3] == 0 and walk[0, 5] == 0  # relation 0: 2 only
    assert walk[1, 3] > 0 and walk[1, 2] == 0  # relation 1: 3 only
    assert prior.twohop_rel(np.array([4]), np.array([0]))[0].sum() == 0  # 5 is 4's own partner


# ------------------------------------------------------------------------ re-ranker


def _two_habits(days: int = 120, seed: int = 1) -> np.ndarray:
    """Entities 0..19 act every day on 20..39 by two habits: relation 0 goes to the
    entity's own fixed partner (a repeat), relation 1 to the day's trending entity, which
    changes every day (never the partner of last time). One linear weight vector for both
    relations must trade recurrency against fresh popularity; trees can tell them apart."""
    rng = np.random.default_rng(seed)
    partner = rng.permutation(np.arange(20, 40))
    facts = []
    for t in range(days):
        trend = 20 + (t * 7) % 20
        for e in rng.choice(20, size=8, replace=False):
            noise = rng.integers(20, 40, size=2)
            facts.append([int(e), 0, int(partner[e]) if rng.random() < 0.8 else int(noise[0]), t])
            facts.append([int(e), 1, trend if rng.random() < 0.8 else int(noise[1]), t])
    return np.array(facts, dtype=np.int64)


def _mrr_by_relation(model: RecurrencyForecaster, q) -> dict[int, float]:
    rr: dict[int, list[float]] = {}
    for t in np.unique(q.t):
        js = np.flatnonzero(q.t == t)
        S = model.score(q.e[js], q.r[js], int(t))
        for i, j in enumerate(js):
            for a in q.answers_of(j):
                rr.setdefault(int(q.r[j]), []).append(1 / expected_rank(S[i], a, q.answers_of(j)))
    return {r: float(np.mean(v)) for r, v in rr.items()}


@pytest.fixture(scope="module")
def two_habits_models():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 60], facts[(facts[:, 3] >= 60) & (facts[:, 3] < 100)]
    models = {}
    for k in (0, 20):
        m = RecurrencyForecaster(num_entities=40, num_relations=2, rerank_k=k,
                                 prior_negatives=5, hard_negatives=10)
        m.fit(train, facts[facts[:, 3] < 100], build_queries(hold, 2))
        m.set_history(facts)
        models[k] = m
    return models, build_queries(facts[facts[:, 3] >= 100], 2)


def test_forecast_reranker_learns_what_shared_linear_weights_cannot(two_habits_models):
    models, q = two_habits_models
    assert models[0].reranker is None and models[20].reranker is not None
    linear, reranked = _mrr_by_relation(models[0], q), _mrr_by_relation(models[20], q)
    # the trending relation is where one weight vector for both habits falls short
    assert reranked[1] > linear[1] + 0.05
    assert np.mean(list(reranked.values())) > np.mean(list(linear.values()))


def test_forecast_reranker_keeps_its_top_above_the_rest_and_explains_it(two_habits_models):
    models, q = two_habits_models
    model = models[20]
    e, r, t = int(q.e[0]), int(q.r[0]), int(q.t[0])
    S = model.score(np.array([e]), np.array([r]), t)[0]
    linear, _ = model._linear_scores(np.array([e]), np.array([r]), t)
    linear_top = set(np.argsort(-linear[0], kind="stable")[:20].tolist())
    final_top = set(np.argsort(-S, kind="stable")[:20].tolist())
    assert final_top == linear_top  # re-ordered, never replaced
    assert S[list(final_top)].min() > np.delete(S, list(final_top)).max()
    out = model.explain(e, r, t, top=3)
    for item in out:
        rr = item["rerank"]
        assert 1 <= rr["linear_rank"] <= 20
        # tree contributions and the bias add up to the trees' output
        assert sum(f["contribution"] for f in rr["contributions"]) + rr["bias"] == \
            pytest.approx(rr["output"], abs=1e-6)
        assert sum(f["contribution"] for f in item["features"]) == \
            pytest.approx(item["linear_score"])
    assert [i["score"] for i in out] == sorted((i["score"] for i in out), reverse=True)
    # an entity outside the re-ranked top has no tree explanation
    outside = int(np.argsort(-S, kind="stable")[30])
    assert model.explain(e, r, t, candidate=outside)[0]["rerank"] is None
    lines = describe(out[0], t, [f"E{i}" for i in range(40)], ["Consult", "Visit"])
    assert "re-ranked from linear rank" in lines[-1]


def test_forecast_saved_model_scores_and_explains_the_same(two_habits_models, tmp_path):
    models, q = two_habits_models
    facts = _two_habits()
    for k, model in models.items():
        path = tmp_path / f"model{k}.npz"
        model.save(path)
        back = RecurrencyForecaster.load(path)
        assert (back.reranker is None) == (model.reranker is None)
        back.set_history(facts)
        js = np.flatnonzero(q.t == q.t[0])
        t = int(q.t[0])
        assert np.array_equal(back.score(q.e[js], q.r[js], t), model.score(q.e[js], q.r[js], t))
        assert back.explain(int(q.e[0]), int(q.r[0]), t) == model.explain(int(q.e[0]), int(q.r[0]), t)


def test_forecast_reranker_needs_enough_queries_and_stays_linear_without():
    facts = _synthetic()
    train, one_day = facts[facts[:, 3] < 25], facts[facts[:, 3] == 25][:2]  # 4 queries
    model = RecurrencyForecaster(num_entities=10, num_relations=3, prior_negatives=5, rerank_k=5)
    # no earlier windows (by default they would give the trees enough queries of their own)
    model.fit(train, facts[facts[:, 3] < 26], build_queries(one_day, 3), rerank_windows=0)
    assert model.reranker is None and model.weights is not None
    model.set_history(facts)
    assert model.explain(0, 0, 38, top=1)[0]["rerank"] is None


def test_forecast_reranker_can_be_fitted_on_more_queries_than_the_linear_weights():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 60], facts[(facts[:, 3] >= 60) & (facts[:, 3] < 100)]
    q = build_queries(hold, 2)
    models = []
    for more in (None, len(q)):
        m = RecurrencyForecaster(num_entities=40, num_relations=2, rerank_k=20,
                                 prior_negatives=5, hard_negatives=10)
        # 12 queries: too few for trees (RERANK_MIN_QUERIES), enough for the weights
        m.fit(train, facts[facts[:, 3] < 100], q, max_queries=12, rerank_queries=more)
        models.append(m)
    same, more = models
    assert same.reranker is None and more.reranker is not None
    # the re-ranker's own sample leaves the linear fit as it was
    assert np.array_equal(same.weights, more.weights)


@pytest.mark.parametrize("content", [b"not a model at all", None])
def test_forecast_loading_something_else_names_the_file(tmp_path, content):
    path = tmp_path / "model.npz"
    if content is None:
        np.savez(path, other=np.zeros(3))  # a valid .npz, but not a saved forecaster
    else:
        path.write_bytes(content)
    with pytest.raises(SourceError, match="model.npz.*saved forecaster"):
        RecurrencyForecaster.load(path)


# ------------------------------------------------------- earlier windows for the re-ranker


def test_windows_tile_the_history_backwards_and_keep_their_rules_before_them():
    facts = _two_habits()
    end = 100
    n = int(np.sum((facts[:, 3] >= 90) & (facts[:, 3] < end)))  # ten days of facts
    wins = earlier_windows(facts[facts[:, 3] < end], end, n, count=20, num_relations=2)
    assert 3 <= len(wins) < 20  # stops while enough facts remain for the rules
    assert wins[0].end == end
    for later, w in zip(wins, wins[1:]):
        assert w.end == later.start  # contiguous, latest first
    for w in wins:
        assert w.rule_facts[:, 3].max() < w.start <= w.queries.t.min()
        assert w.queries.t.max() < w.end and w.history_facts[:, 3].max() < w.end
        assert len(w.rule_facts) >= n
        assert np.sum((w.history_facts[:, 3] >= w.start)) >= n
    assert tail_cut(facts[facts[:, 3] < end], n) == wins[0].start


class _Spy(RecurrencyForecaster):
    """Records, for every block of re-ranker rows, the days asked and the rules used."""

    def _rerank_training_rows(self, queries, chosen, Xs, ys):
        self.seen = getattr(self, "seen", [])
        self.seen.append((queries.t[chosen].min(), self.rule_conf.copy()))
        super()._rerank_training_rows(queries, chosen, Xs, ys)


def _model(cls=RecurrencyForecaster):
    return cls(num_entities=40, num_relations=2, rerank_k=20, prior_negatives=5,
               hard_negatives=10)


def test_window_rows_read_no_fact_of_their_own_day_or_later():
    facts = _two_habits()
    # planted: from day 70 on, entity 0 does relation 1 to entity 39 many times a day; a
    # window query of day t reading day t or later would see 39 as entity 0's habit
    plant = np.array([[0, 1, 39, t] for t in range(70, 100) for _ in range(5)])
    facts = np.concatenate([facts, plant])
    train, hold = facts[facts[:, 3] < 90], facts[facts[:, 3] >= 90]
    wins = earlier_windows(train, 90, len(hold), count=3, num_relations=2)
    model = _model(_Spy)
    model.fit(train, facts[facts[:, 3] < 100], build_queries(hold, 2), rerank_windows=wins)
    assert model.reranker is not None
    # each window's rows were made with the rules of the facts before that window
    for (t_min, conf), w in zip(model.seen, wins):
        assert w.start <= t_min
        assert np.array_equal(conf, rule_confidences(train[train[:, 3] < w.start], 40, 2))
    # and the rows of each day's queries are those computed from the facts before that day
    w = wins[0]
    model.fit_rules(w.rule_facts)
    model.set_history(w.history_facts)
    days = np.unique(w.queries.t)
    Xs, ys = [], []
    model._rerank_training_rows(w.queries, np.arange(len(w.queries)), Xs, ys)
    for t, X in zip(days, Xs):
        alone = _model()
        alone.weights = model.weights
        alone.fit_rules(w.rule_facts)
        alone.set_history(w.history_facts[w.history_facts[:, 3] < t])
        js = np.flatnonzero(w.queries.t == t)
        Xt, _ = [], []
        alone._rerank_training_rows(w.queries, js, Xt, _)
        assert np.array_equal(np.concatenate(Xt), X)


def test_windows_give_trees_what_a_short_fitting_window_cannot_and_are_deterministic():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 96], facts[facts[:, 3] >= 96]
    q = build_queries(hold, 2)
    wins = earlier_windows(train, 96, len(hold), count=4, num_relations=2)
    fits = []
    for windows in ((), wins, wins):
        m = _model()
        # 12 queries: too few for trees alone (RERANK_MIN_QUERIES)
        m.fit(train, facts, q, max_queries=12, rerank_queries=12, rerank_windows=windows,
              window_queries=40, seed=3)
        fits.append(m)
    assert fits[0].reranker is None and fits[1].reranker is not None
    # the earlier windows leave the linear fit as it was
    assert np.array_equal(fits[0].weights, fits[1].weights)
    assert fits[1].reranker.model_to_string() == fits[2].reranker.model_to_string()


def test_fit_makes_three_earlier_windows_by_default_as_the_bench_did_by_hand():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 96], facts[facts[:, 3] >= 96]
    q = build_queries(hold, 2)
    by_hand = earlier_windows(train, 96, len(hold), count=RERANK_WINDOWS, num_relations=2)
    assert len(by_hand) == RERANK_WINDOWS == 3
    fits = {}
    for name, kw in (("default", {}), ("by hand", {"rerank_windows": by_hand}),
                     ("none", {"rerank_windows": 0}),
                     ("sampled", {"rerank_queries": 12})):
        m = _model()
        # the linear weights on 12 queries; the trees on all of the fitting window's
        # (unless sampled), so "auto" keeps every query of the windows too
        kw = {"rerank_queries": len(q), **kw}
        rep = m.fit(train, facts, q, max_queries=12, seed=3, **kw)
        fits[name] = (m, rep)
    (m, rep), (hand, hand_rep) = fits["default"], fits["by hand"]
    # the same windows, latest first: (first step, end, queries, used, rule facts)
    assert rep.windows == hand_rep.windows == tuple(
        (w.start, w.end, len(w.queries), len(w.queries), len(w.rule_facts)) for w in by_hand)
    assert m.reranker.model_to_string() == hand.reranker.model_to_string()
    # rerank_windows=0 is the behaviour before windows: trees on the fitting window alone
    none, none_rep = fits["none"]
    assert none_rep.windows == ()
    assert none.reranker.model_to_string() != m.reranker.model_to_string()
    # when the trees sample the fitting window, each window is sampled too (to at most
    # the trees' own sample here, 12 < WINDOW_SAMPLE)
    _, sampled_rep = fits["sampled"]
    assert [w[3] for w in sampled_rep.windows] == [12, 12, 12]
    # the windows leave the linear weights as they are
    for other, _ in fits.values():
        assert np.array_equal(other.weights, m.weights)


def test_fitting_windows_follow_the_fitting_window_from_its_queries():
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 96], facts[facts[:, 3] >= 96]
    q = build_queries(hold, 2)
    wins = fitting_windows(train, facts, q.t, 3, 2)  # history may run past the window
    by_hand = earlier_windows(train, 96, len(hold), 3, 2)
    assert [(w.start, w.end) for w in wins] == [(w.start, w.end) for w in by_hand]
    assert wins[0].end == 96
    assert fitting_windows(train, facts, q.t, 0, 2) == []
    assert fitting_windows(train, facts, q.t[:0], 3, 2) == []


@pytest.mark.parametrize("case", ["no history", "one day", "too few facts"])
def test_default_windows_fall_back_to_none_on_a_short_history(case):
    """A graph with little history before the fitting window: none at all, a single day
    (which tail_cut cannot split into a window and its rules), or too few facts for a
    window and its rules. The default fit makes no window, says so, and fits exactly as
    without windows."""
    facts = _two_habits(days=23)
    if case == "no history":
        train, hold = facts[:0], facts[facts[:, 3] < 20]
    elif case == "one day":  # 16 facts on day 0, enough by count for a window of 8
        train, hold = facts[facts[:, 3] == 0], facts[facts[:, 3] == 1][:8]
    else:
        train, hold = facts[facts[:, 3] < 3], facts[facts[:, 3] >= 3]
    history = np.concatenate([train, hold])
    q = build_queries(hold, 2)
    start = int(q.t.min())
    assert earlier_windows(train, start, len(hold), 3, 2) == []
    fits = []
    for kw in ({}, {"rerank_windows": 0}):
        m = _model()
        rep = m.fit(train, history, q, seed=1, **kw)
        assert rep.windows == ()
        fits.append(m)
    default, without = fits
    assert np.array_equal(default.weights, without.weights)
    assert (default.reranker is None) == (without.reranker is None)
    if default.reranker is not None:
        assert default.reranker.model_to_string() == without.reranker.model_to_string()
    default.set_history(history)
    S = default.score(q.e[:4], q.r[:4], int(q.t[-1]))
    assert S.shape == (4, 40) and np.isfinite(S).all()


def test_earlier_windows_of_a_single_day_of_history_are_none():
    # many facts, all on one day: enough by count, but no day to keep for the rules
    one_day = np.array([[e, 0, 20 + e % 20, 5] for e in range(20)] * 5)
    assert earlier_windows(one_day, 6, 10, 3, 2) == []
    assert earlier_windows(one_day, 6, 0, 3, 2) == []  # an empty fitting window


def test_window_sample_keeps_windows_whole_when_the_fitting_window_is():
    # ICEWS14: ~14,800 fitting queries under the 30,000 sample: every window query is used
    assert window_sample("auto", 14_771, 30_000) is None
    assert window_sample("auto", 30_000, 30_000) is None
    assert window_sample("auto", 5, None) is None  # no sample at all
    # ICEWS18 / ICEWS05-15: ~70,000-85,000 fitting queries, sampled: 10,000 a window
    assert window_sample("auto", 69_991, 30_000) == WINDOW_SAMPLE == 10_000
    assert window_sample("auto", 40, 12) == 12  # never more than the fitting sample
    assert window_sample(None, 69_991, 30_000) is None  # explicit: all
    assert window_sample(500, 14_771, 30_000) == 500


@pytest.mark.parametrize("objective", ["binary"])
def test_reranker_objective_and_leaves_are_settings_that_are_saved(objective, tmp_path):
    facts = _two_habits()
    train, hold = facts[facts[:, 3] < 60], facts[(facts[:, 3] >= 60) & (facts[:, 3] < 100)]
    m = RecurrencyForecaster(num_entities=40, num_relations=2, rerank_k=20, prior_negatives=5,
                             hard_negatives=10, rerank_objective=objective, rerank_leaves=7)
    m.fit(train, facts[facts[:, 3] < 100], build_queries(hold, 2))
    assert m.reranker is not None
    m.save(tmp_path / "m.npz")
    back = RecurrencyForecaster.load(tmp_path / "m.npz")
    assert (back.rerank_objective, back.rerank_leaves) == (objective, 7)
