"""The development tools in eval/: the fast side-by-side of the decision stage (ab.py) and
the per-split scores (split_scores.py), run as a developer runs them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)


def test_split_scores_refuses_a_split_it_does_not_know():
    r = _run("eval/split_scores.py", "--rules", "--splits", "seeds,nosuch")
    assert r.returncode != 0
    assert "no split named nosuch" in r.stderr and "test3" in r.stderr


def test_split_scores_help_and_unknown_options_score_nothing():
    # "--help" had been read as no option at all: a full scoring, held-out splits included
    r = _run("eval/split_scores.py", "--help")
    assert r.returncode == 0 and "--splits" in r.stdout and "decision stage" not in r.stdout
    r = _run("eval/split_scores.py", "--split", "seeds")
    assert r.returncode != 0 and "unrecognized arguments" in r.stderr and "decision stage" not in r.stdout


def test_errors_puts_every_missed_claim_in_one_bucket():
    r = _run("eval/errors.py", "seeds", "--examples", "0")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    required, found = (int(w) for w in re.match(r"seeds: (\d+) required gold claims, (\d+) found", lines[0]).groups())
    buckets = {m.group(1): int(m.group(2)) for line in lines if (m := re.match(r"\s+([A-E]'?)\s+(\d+)\s", line))}
    # the date bucket is split by the date ranker's options: B (among them) and B' (among none)
    assert set(buckets) == {"A", "B", "B'", "C", "D", "E"}
    assert sum(buckets.values()) == required - found


def test_ab_prepares_once_then_trains_and_scores_dev(tmp_path):
    data = tmp_path / "ab.pickle"
    r = _run("eval/ab.py", "prep", str(data), "--limit", "6")
    assert r.returncode == 0, r.stderr
    assert "5 documents to learn from, 1 dev" in r.stdout and data.stat().st_size > 0
    r = _run("eval/ab.py", "run", str(data), "--frontier")
    assert r.returncode == 0, r.stderr
    scored = [line for line in r.stdout.splitlines() if ": dev F1 " in line]
    assert "dev keep AP" in r.stdout and len(scored) == 7  # the shipped settings and six around them
    # an ablation names dense features; a name the features do not have is refused, listing them
    r = _run("eval/ab.py", "run", str(data), "--drop", "rule_confidence,no_such_feature")
    assert r.returncode != 0 and "no such dense feature no_such_feature" in r.stderr and "typer_p" in r.stderr
    r = _run("eval/ab.py", "prep", str(tmp_path / "x.pickle"), "--limit", "1")
    assert r.returncode != 0 and "at least 2" in r.stderr
