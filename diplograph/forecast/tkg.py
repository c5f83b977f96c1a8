"""The temporal-knowledge-graph benchmark format and its evaluation protocol.

Pure functions over numpy arrays; nothing here touches the store.

Format (RE-GCN release of ICEWS14 / ICEWS18 / ICEWS05-15): ``train.txt``, ``valid.txt``,
``test.txt`` hold one fact per line, ``subject<TAB>relation<TAB>object<TAB>time`` (integer
ids); ``entity2id.txt`` / ``relation2id.txt`` hold ``name<TAB>id``, where a few names that
contain ``"`` are CSV-quoted (``"Nicholas ""Nick"" Xenophon"``).

Protocol (single-step extrapolation, Gastinger et al. 2023): every test fact (s, r, o, t) gives
two queries, (s, r, ?, t) with answer o and (o, r⁻¹, ?, t) with answer s, where r⁻¹ is
encoded as r + R (R = number of relations). Every fact before t is history. The time-aware
filter removes from the ranking the other true answers of the same query at the same t.
Ties are broken by expected rank: ``rank = 1 + #greater + #tied_others / 2``.
"""

from __future__ import annotations

import csv
import io
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import SourceError

SPLITS = ("train", "valid", "test")


# --------------------------------------------------------------------------------- reading


def read_id_map(path: str | Path) -> list[str]:
    """Read an ``entity2id.txt`` / ``relation2id.txt`` file into a list of names by id.

    Names may be CSV-quoted (the file's quirk for names containing ``"``); ids must be
    0..n-1, each once. A malformed line raises SourceError naming the file and line.
    """
    path = Path(path)
    names: dict[int, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            raw = line.rstrip("\r\n")
            if not raw.strip():
                continue
            try:
                row = next(csv.reader(io.StringIO(raw), delimiter="\t", quotechar='"'))
            except csv.Error as exc:
                raise SourceError(str(path), f"unreadable name/id line ({exc})", line=lineno) from exc
            if len(row) != 2 or not row[1].strip().lstrip("-").isdigit():
                raise SourceError(
                    str(path), f"expected 'name<TAB>id', got {raw[:80]!r}", line=lineno,
                    hint="each line of an id file is a name, a tab and an integer id",
                )
            ident = int(row[1])
            if ident < 0 or ident in names:
                raise SourceError(str(path), f"id {ident} is negative or repeated", line=lineno)
            names[ident] = row[0]
    if sorted(names) != list(range(len(names))):
        missing = sorted(set(range(max(names, default=-1) + 1)) - set(names))[:5]
        raise SourceError(str(path), f"ids are not contiguous from 0 (missing e.g. {missing})")
    return [names[i] for i in range(len(names))]


def read_facts(
    path: str | Path, *, num_entities: int | None = None, num_relations: int | None = None
) -> np.ndarray:
    """Stream a ``s r o t`` fact file into an ``(n, 4)`` int64 array.

    The file is read line by line into compact buffers (never held as text). Extra columns
    after the fourth are ignored (some releases append a constant). A line that is not four
    integers, or an id outside the vocabulary, raises SourceError naming the file and line.
    """
    path = Path(path)
    buf = array("q")
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 4:
                raise SourceError(
                    str(path), f"expected 4 tab-separated integers, got {line.strip()[:80]!r}",
                    line=lineno, hint="a fact line is subject, relation, object, time",
                )
            try:
                s, r, o, t = (int(p) for p in parts[:4])
            except ValueError:
                raise SourceError(
                    str(path), f"non-integer field in {line.strip()[:80]!r}", line=lineno,
                    hint="facts use integer ids; names belong in entity2id.txt/relation2id.txt",
                ) from None
            if min(s, r, o, t) < 0 or (
                num_entities is not None and (s >= num_entities or o >= num_entities)
            ) or (num_relations is not None and r >= num_relations):
                raise SourceError(
                    str(path), f"id out of range in {line.strip()[:80]!r}", line=lineno,
                    hint="check that the id files belong to the same dataset",
                )
            buf.extend((s, r, o, t))
    return np.frombuffer(buf, dtype=np.int64).reshape(-1, 4).copy()


@dataclass
class TKGDataset:
    """A benchmark dataset: names, the three splits as (n, 4) arrays, and its time step."""

    name: str
    entities: list[str]
    relations: list[str]
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    time_step: int = 1  # raw time units per timestamp (24 for ICEWS18's hours)

    @property
    def num_entities(self) -> int:
        return len(self.entities)

    @property
    def num_relations(self) -> int:
        return len(self.relations)


def load_dataset(directory: str | Path) -> TKGDataset:
    """Read a benchmark directory (entity2id/relation2id and the three split files)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(str(directory), "not a directory", hint="give the dataset folder, e.g. data/tkg/ICEWS14")
    expected = ("entity2id.txt", "relation2id.txt", *(f"{s}.txt" for s in SPLITS))
    missing = [f for f in expected if not (directory / f).is_file()]
    if missing:
        raise SourceError(str(directory), "missing " + ", ".join(missing),
                          hint="expected the RE-GCN layout: " + ", ".join(expected))
    entities = read_id_map(directory / "entity2id.txt")
    relations = read_id_map(directory / "relation2id.txt")
    splits = {
        s: read_facts(directory / f"{s}.txt", num_entities=len(entities), num_relations=len(relations))
        for s in SPLITS
    }
    times = np.unique(np.concatenate([splits[s][:, 3] for s in SPLITS]))
    step = int(np.gcd.reduce(np.diff(times))) if len(times) > 1 else 1
    return TKGDataset(directory.name, entities, relations, splits["train"], splits["valid"],
                      splits["test"], time_step=max(step, 1))


# ------------------------------------------------------------------------------- queries


def with_inverses(facts: np.ndarray, num_relations: int) -> np.ndarray:
    """Add (o, r + R, s, t) for every (s, r, o, t): both query directions as object queries."""
    inv = facts[:, [2, 1, 0, 3]].copy()
    inv[:, 1] += num_relations
    return np.concatenate([facts, inv])


@dataclass
class Queries:
    """Distinct queries (e, r, t) of a split, with their true answers.

    ``e, r, t``: arrays over distinct queries (r >= R for subject queries).
    ``answers``: answers of all test facts, grouped by query: query i owns
    ``answers[offsets[i]:offsets[i + 1]]``. Each answer is one ranking to evaluate; the
    other answers of its query are the time-aware filter.
    """

    e: np.ndarray
    r: np.ndarray
    t: np.ndarray
    answers: np.ndarray
    offsets: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.e)

    def answers_of(self, i: int) -> np.ndarray:
        return self.answers[self.offsets[i]:self.offsets[i + 1]]

    @property
    def answer_query(self) -> np.ndarray:
        """For every answer, the index of its query."""
        return np.repeat(np.arange(len(self.e)), np.diff(self.offsets))


def build_queries(facts: np.ndarray, num_relations: int) -> Queries:
    """Both directions of every fact, grouped into distinct (e, r, t) queries, sorted by t."""
    aug = np.unique(with_inverses(facts, num_relations), axis=0)
    order = np.lexsort((aug[:, 2], aug[:, 1], aug[:, 0], aug[:, 3]))
    aug = aug[order]
    key = aug[:, [3, 0, 1]]
    new = np.ones(len(aug), dtype=bool)
    new[1:] = np.any(key[1:] != key[:-1], axis=1)
    starts = np.flatnonzero(new)
    offsets = np.append(starts, len(aug)).astype(np.int64)
    return Queries(aug[starts, 0], aug[starts, 1], aug[starts, 3], aug[:, 2].copy(), offsets)


# ------------------------------------------------------------------------------- ranking


def expected_rank(scores: np.ndarray, answer: int, filtered: np.ndarray | list[int] = ()) -> float:
    """Time-aware filtered rank of ``answer`` under ``scores`` (higher is better).

    Entities in ``filtered`` (the query's other true answers) are left out; ties count half:
    ``1 + #(score > s_answer) + #(score == s_answer, other than answer) / 2``.
    """
    scores = np.asarray(scores, dtype=np.float64)
    keep = np.ones(len(scores), dtype=bool)
    keep[np.asarray(filtered, dtype=np.int64)] = False
    keep[answer] = False
    s = scores[answer]
    others = scores[keep]
    return 1.0 + float(np.sum(others > s)) + float(np.sum(others == s)) / 2.0


def expected_ranks(scores: np.ndarray, queries_of_answers: np.ndarray, answers: np.ndarray,
                   filter_pairs: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Vectorised :func:`expected_rank` for a block of queries.

    ``scores``: (q, N) scores of q queries. ``queries_of_answers[k]`` is the row of answer
    ``answers[k]``. ``filter_pairs = (rows, entities)``: every true (row, entity) pair of the
    block; for answer k, the pairs of its row other than itself are filtered out.
    """
    rows = queries_of_answers
    s_true = scores[rows, answers]
    greater = np.sum(scores[rows] > s_true[:, None], axis=1).astype(np.float64)
    ties = np.sum(scores[rows] == s_true[:, None], axis=1).astype(np.float64) - 1.0
    if filter_pairs is not None:
        f_rows, f_ents = filter_pairs
        # For each answer, subtract the other true answers of its row that beat or tie it.
        # Pairs are matched by row: expand answer × true pairs of the same row.
        order = np.argsort(f_rows, kind="stable")
        f_rows, f_ents = f_rows[order], f_ents[order]
        lo = np.searchsorted(f_rows, rows, side="left")
        hi = np.searchsorted(f_rows, rows, side="right")
        counts = hi - lo
        idx_ans = np.repeat(np.arange(len(rows)), counts)
        idx_pair = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)]) if len(rows) else np.zeros(0, np.int64)
        other = f_ents[idx_pair]
        mask = other != answers[idx_ans]
        idx_ans, other = idx_ans[mask], other[mask]
        s_other = scores[rows[idx_ans], other]
        greater -= np.bincount(idx_ans, weights=(s_other > s_true[idx_ans]), minlength=len(rows))
        ties -= np.bincount(idx_ans, weights=(s_other == s_true[idx_ans]), minlength=len(rows))
    return 1.0 + greater + ties / 2.0


def metrics(ranks: np.ndarray) -> dict[str, float]:
    """MRR and Hits@1/3/10 as percentages. Hits@k counts expected ranks <= k."""
    ranks = np.asarray(ranks, dtype=np.float64)
    if len(ranks) == 0:
        return {"mrr": 0.0, "hits@1": 0.0, "hits@3": 0.0, "hits@10": 0.0, "n": 0}
    return {
        "mrr": 100.0 * float(np.mean(1.0 / ranks)),
        "hits@1": 100.0 * float(np.mean(ranks <= 1)),
        "hits@3": 100.0 * float(np.mean(ranks <= 3)),
        "hits@10": 100.0 * float(np.mean(ranks <= 10)),
        "n": len(ranks),
    }


_TAG = re.compile(r"\(([^()]*)\)\s*$")


def entity_groups(names: list[str]) -> np.ndarray:
    """Group id per entity from ICEWS actor names: the country in ``Sector (Country)``, or
    the name itself (``Police (Australia)``, ``Citizen (Australia)`` and ``Australia`` share
    a group). Underscores count as spaces (ICEWS14 / ICEWS05-15 spelling)."""
    keys = []
    for name in names:
        clean = name.replace("_", " ").strip()
        m = _TAG.search(clean)
        keys.append((m.group(1) if m else clean).strip().casefold())
    _, ids = np.unique(np.array(keys, dtype=object), return_inverse=True)
    return ids.astype(np.int64)
