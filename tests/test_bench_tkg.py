"""The forecasting benchmark's scripts, end to end on a dataset small enough for a test: the
benchmark writes figures, predictions and its model; the independent recomputation agrees with
its figures; the explainer explains a prediction from the saved model."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _habits(days: int) -> np.ndarray:
    """Ten states, each with a usual partner it consults (relation 0), visiting whoever is
    in the news that day (relation 1)."""
    rng = np.random.default_rng(7)
    partner = rng.permutation(np.arange(10, 20))
    facts = []
    for t in range(days):
        for e in rng.choice(10, size=5, replace=False):
            usual = int(partner[e]) if rng.random() < 0.8 else int(rng.integers(10, 20))
            facts.append((int(e), 0, usual, t))
            facts.append((int(e), 1, 10 + (t * 3) % 10, t))
    return np.array(facts)


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("tkg")
    d = root / "HABITS"
    d.mkdir()
    names = [f"State {i}" for i in range(20)]
    (d / "entity2id.txt").write_text("".join(f"{n}\t{i}\n" for i, n in enumerate(names)))
    (d / "relation2id.txt").write_text("Consult\t0\nMake a visit\t1\n")
    facts = _habits(150)
    for split, (lo, hi) in {"train": (0, 100), "valid": (100, 125), "test": (125, 150)}.items():
        rows = facts[(facts[:, 3] >= lo) & (facts[:, 3] < hi)]
        (d / f"{split}.txt").write_text("".join(f"{s}\t{r}\t{o}\t{t}\t0\n" for s, r, o, t in rows))
    out = root / "out"
    result = _script("tkg_bench").main(["--dataset", "HABITS", "--data", str(root),
                                        "--out", str(out), "--rerank", "8"])
    return root, out, result


def test_bench_writes_figures_predictions_and_model(bench_run):
    root, out, result = bench_run
    assert json.loads((out / "HABITS.metrics.json").read_text())["mrr"] == result["mrr"]
    assert 0 < result["hits@1"] <= result["hits@3"] <= result["hits@10"] <= 100
    assert result["recall@100"] == 100.0  # 20 entities: every answer is in the first top 100
    lines = (out / "HABITS.predictions.jsonl").read_text().splitlines()
    assert len(lines) == result["queries"]
    first = json.loads(lines[0])
    assert set(first) == {"e", "r", "t", "cands", "scores"}
    assert len(first["cands"]) == 20 and first["scores"] == sorted(first["scores"], reverse=True)
    assert (out / "HABITS.model.npz").is_file()


def test_bench_recomputation_agrees(bench_run, capsys):
    root, out, result = bench_run
    _script("tkg_recompute").main(str(out / "HABITS.predictions.jsonl"), str(root / "HABITS"))
    printed = capsys.readouterr().out
    lo, hi = (float(x) for x in re.search(r"MRR ([\d.]+) .*?\.\. ([\d.]+)", printed).groups())
    # every entity is listed (20 < 100), so both bounds are the benchmark's own figure
    assert lo == hi == pytest.approx(result["mrr"], abs=0.01)


def test_bench_explains_a_prediction_from_the_saved_model(bench_run):
    root, out, _ = bench_run
    lines = _script("tkg_explain").main(["--dataset", "HABITS", "--data", str(root),
                                         "--out", str(out), "--fact", "0", "--top", "2"])
    test = np.loadtxt(root / "HABITS" / "test.txt", dtype=int)
    s, r, o, t = test[0][:4]
    assert lines[0] == f"query (State {s}, {'Consult' if r == 0 else 'Make a visit'}, ?, time {t} = step {t})"
    assert re.match(rf"  true answer State {o}: rank [\d.]+ \(time-aware filtered\)", lines[1])
    assert any("re-ranked from linear rank" in ln for ln in lines)
    assert any(ln.strip().startswith("largest contributions:") for ln in lines)
    assert sum(ln.startswith("query (") for ln in lines) == 2  # both directions of the fact


def test_bench_learns_from_three_earlier_windows_by_default_and_none_with_zero(bench_run, tmp_path):
    root, _, result = bench_run
    # the default run: three windows before valid (days 100..124, 250 facts), each of
    # whole days holding about as many facts, all their queries used (the trees take the
    # fitting window whole), rules from the facts before each
    wins = result["rerank_windows"]
    assert len(wins) == 3
    assert wins[0][1] == 100 and [w[1] for w in wins[1:]] == [w[0] for w in wins[:-1]]
    assert all(used == queries for _, _, queries, used, _ in wins)
    off = _script("tkg_bench").main(["--dataset", "HABITS", "--data", str(root), "--out",
                                     str(tmp_path), "--rerank", "8", "--no-predictions",
                                     "--rerank-windows", "0"])
    assert off["rerank_windows"] == []
    sampled = _script("tkg_bench").main(["--dataset", "HABITS", "--data", str(root), "--out",
                                         str(tmp_path), "--rerank", "8", "--no-predictions",
                                         "--window-queries", "30"])
    assert [w[3] for w in sampled["rerank_windows"]] == [30, 30, 30]


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_bench_refuses_a_window_sample_that_is_not_auto_all_or_a_number(value, capsys):
    with pytest.raises(SystemExit):
        _script("tkg_bench").main(["--dataset", "HABITS", "--window-queries", value])
    assert "expected auto, all or a positive number" in capsys.readouterr().err
