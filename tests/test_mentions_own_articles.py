"""Actor mentions of short articles written for diplograph (tests/golden/mentions_own/),
annotated by hand as (surface, actor id) lists before the resolver was run on them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from diplograph.mentions.actors import find_mentions
from diplograph.models import PartialDate

OWN = Path(__file__).parent / "golden" / "mentions_own"
CASES = [json.loads(line) for line in (OWN / "expected.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_mentions_own_articles(case):
    text = (OWN / case["file"]).read_text(encoding="utf-8")
    got = Counter((m.text, m.actor.id) for m in find_mentions(text, published=PartialDate.parse(case["published"])))
    exp = Counter(tuple(x) for x in case["mentions"])
    tp = sum((got & exp).values())
    p, r = tp / max(1, sum(got.values())), tp / max(1, sum(exp.values()))
    print(f"{case['file']}: P={p:.3f} R={r:.3f} extra={dict(got - exp)} missed={dict(exp - got)}")
    assert p >= 0.9 and r >= 0.9
