"""Actor mentions of the seed articles against the hand-reviewed golden files
(tests/golden/mentions/, offsets only). Reports precision and recall per seed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from diplograph.mentions.actors import find_mentions
from diplograph.models import PartialDate

GOLDEN = Path(__file__).parent / "golden" / "mentions"
FILES = sorted(GOLDEN.glob("*.mentions.jsonl"))
THRESHOLD = 0.95


def _load(path: Path) -> tuple[dict, set[tuple[int, int, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = json.loads(lines[0])
    gold = {(r["start"], r["end"], r["id"]) for r in map(json.loads, lines[1:])}
    return meta, gold


def _score(seeds_dir: Path, path: Path) -> tuple[int, int, int]:
    meta, gold = _load(path)
    text = (seeds_dir / meta["seed"]).read_text(encoding="utf-8")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != meta["sha256"]:
        pytest.fail(f"{meta['seed']} changed since {path.name} was reviewed; review the golden file again")
    pub = PartialDate.parse(meta["published"]) if meta["published"] else None
    got = {(m.start, m.end, m.actor.id) for m in find_mentions(text, published=pub)}
    return len(got & gold), len(got - gold), len(gold - got)


def test_mentions_golden_files_exist_for_every_seed(seeds_dir: Path) -> None:
    stems = {p.stem for p in seeds_dir.glob("*.txt")}
    assert stems == {p.name.split(".")[0] for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=[p.name[:3] for p in FILES])
def test_mentions_golden_precision_recall(seeds_dir: Path, path: Path) -> None:
    tp, fp, fn = _score(seeds_dir, path)
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(f"{path.name}: P={p:.3f} R={r:.3f} (tp={tp} fp={fp} fn={fn})")
    assert p >= THRESHOLD and r >= THRESHOLD, f"P={p:.3f} R={r:.3f}"


def test_mentions_golden_offsets_point_at_their_surface(seeds_dir: Path) -> None:
    for path in FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        text = (seeds_dir / json.loads(lines[0])["seed"]).read_text(encoding="utf-8")
        for r in map(json.loads, lines[1:]):
            assert text[r["start"]:r["end"]] == r["text"], (path.name, r)
