"""Scoring extracted claims against hand-annotated gold claims.

Implements the "Scoring" section of ../shared/ANNOTATION.md:

- an extracted claim matches a gold claim when they have the same document (compared by
  file name) and type; the same parties (ordered for directed types, unordered for
  symmetric ones, the same set when a ``parties`` list is given); the same modality (or
  the gold's ``modality_alt``); compatible dates; and, for quantities, the same unit and a
  value within 1%;
- matching is one-to-one (a gold claim is matched at most once), maximising first the
  number of required gold claims matched;
- recall = matched required gold / required gold; precision = matched extracted /
  (extracted - those that match only optional gold - undated accession claims with no
  gold counterpart);
- the modality confusion matrix, the list of speculative / negated / planned gold claims
  extracted as asserted, and a relaxed score (dates ignored, type groups merged).

Claims on both sides are plain dicts in the claim contract (the JSON Lines printed by
``diplograph extract --json``)."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from .errors import SourceError
from .models import CLAIM_TYPES, MODALITIES

# Types whose two parties compare as an unordered pair (ANNOTATION.md, "Types and direction").
SYMMETRIC_TYPES = frozenset({"alliance", "strategic_partnership", "diplomatic_relations",
                             "military_cooperation"})
# Symmetric only when bilateral (two parties, no `parties` list).
BILATERAL_SYMMETRIC_TYPES = frozenset({"agreement_signed", "summit_meeting"})
SYMMETRIC_METRICS = frozenset({"trade_turnover"})

# Relaxed score: type groups merged (ANNOTATION.md, last paragraph of "Scoring").
RELAXED_GROUPS: dict[str, str] = {
    "alliance": "alliance|strategic_partnership",
    "strategic_partnership": "alliance|strategic_partnership",
    "agreement_signed": "agreement_signed|agreement_ratified",
    "agreement_ratified": "agreement_signed|agreement_ratified",
    "visit": "visit|summit_meeting",
    "summit_meeting": "visit|summit_meeting",
    "military_cooperation": "military_cooperation|arms_transfer",
    "arms_transfer": "military_cooperation|arms_transfer",
    "accession_membership": "membership",
}
# An `other` claim is a membership change when its subtype says so or its object is an
# organisation or accord (withdrawals, suspensions, applications to join...).
MEMBERSHIP_SUBTYPES = frozenset({"withdrawal", "suspension", "application", "accession",
                                 "membership", "observer", "expulsion", "readmission",
                                 "membership_application", "partner", "dialogue_partner"})
MEMBERSHIP_KINDS = frozenset({"organisation", "accord"})

QUANTITY_TOLERANCE = 0.01


# ---------------------------------------------------------------------------------------
# Claim accessors


def doc_key(doc: Any) -> str:
    """The file name of a document reference (a path, a file name or a store id)."""
    return PurePath(str(doc)).name


def _actor_id(a: Any) -> str | None:
    if a is None:
        return None
    if isinstance(a, str):
        return a
    return a.get("id")


def _actor_kind(a: Any) -> str | None:
    return a.get("kind") if isinstance(a, Mapping) else None


def _party_ids(c: Mapping[str, Any]) -> list[str] | None:
    parties = c.get("parties")
    if parties and len(parties) >= 3:
        return [_actor_id(p) for p in parties]
    return None


def _metric(c: Mapping[str, Any]) -> str | None:
    q = c.get("quantity") or {}
    return q.get("metric")


def is_symmetric(c: Mapping[str, Any], ctype: str | None = None) -> bool:
    """Whether the claim's subject and object compare as an unordered pair."""
    ctype = ctype or c["type"]
    if ctype in SYMMETRIC_TYPES:
        return True
    if ctype in BILATERAL_SYMMETRIC_TYPES:
        return _party_ids(c) is None
    if ctype == "quantity":
        # a target or growth of trade turnover is still turnover between the two: symmetric
        metric = _metric(c) or ""
        return metric in SYMMETRIC_METRICS or re.sub(r"_(?:target|growth)$", "", metric) in SYMMETRIC_METRICS
    return False


def parties_key(c: Mapping[str, Any], *, symmetric: bool) -> tuple:
    ids = _party_ids(c)
    if ids is not None:
        return ("set", frozenset(ids))
    pair = (_actor_id(c.get("subject")), _actor_id(c.get("object")))
    if symmetric:
        return ("set", frozenset(pair))
    return ("seq", pair)


def _date_value(c: Mapping[str, Any]) -> str | None:
    d = c.get("date")
    if d is None:
        return None
    if isinstance(d, str):
        return d or None
    return d.get("value")


def date_range(value: str) -> tuple[date, date]:
    """The first and last day a partial date or an interval covers."""
    if "/" in value:
        a, b = value.split("/", 1)
        return date_range(a)[0], date_range(b)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    d = date(*parts)
    return d, d


def dates_compatible(gold: str | None, extracted: str | None) -> bool:
    """ANNOTATION.md: a gold null accepts any date; an extracted null matches only a gold
    null; otherwise one date is a prefix of the other or lies inside the gold interval.
    For intervals, "prefix" generalises to one date's span containing the other's."""
    if gold is None:
        return True
    if extracted is None:
        return False
    g0, g1 = date_range(gold)
    e0, e1 = date_range(extracted)
    return (g0 <= e0 and e1 <= g1) or (e0 <= g0 and g1 <= e1)


def quantities_compatible(gold: Mapping[str, Any] | None, extracted: Mapping[str, Any] | None) -> bool:
    if not gold:
        return True
    if not extracted:
        return False
    if gold.get("unit") != extracted.get("unit"):
        return False
    try:
        gv, ev = float(gold["value"]), float(extracted["value"])
    except (KeyError, TypeError, ValueError):
        return False
    return abs(gv - ev) <= QUANTITY_TOLERANCE * abs(gv)


def modality_ok(gold: Mapping[str, Any], extracted: Mapping[str, Any]) -> bool:
    m = extracted.get("modality")
    return m == gold.get("modality") or (bool(gold.get("modality_alt")) and m == gold.get("modality_alt"))


def relaxed_type(c: Mapping[str, Any]) -> str:
    t = c["type"]
    if t == "other" and ((c.get("subtype") or "") in MEMBERSHIP_SUBTYPES
                         or _actor_kind(c.get("object")) in MEMBERSHIP_KINDS):
        return "membership"
    return RELAXED_GROUPS.get(t, t)


def claims_match(gold: Mapping[str, Any], ext: Mapping[str, Any], *, relaxed: bool = False,
                 check_modality: bool = True, doc_map: Mapping[str, str] | None = None) -> bool:
    """Whether an extracted claim matches a gold claim under the scoring rules."""
    if _doc_of(gold, None) != _doc_of(ext, doc_map):
        return False
    if relaxed:
        if relaxed_type(gold) != relaxed_type(ext):
            return False
        symmetric = is_symmetric(gold) or is_symmetric(ext)
    else:
        if gold["type"] != ext["type"]:
            return False
        symmetric = is_symmetric(gold)
    if parties_key(gold, symmetric=symmetric) != parties_key(ext, symmetric=symmetric):
        return False
    if check_modality and not modality_ok(gold, ext):
        return False
    if not relaxed and not dates_compatible(_date_value(gold), _date_value(ext)):
        return False
    return not (gold["type"] == "quantity" and ext["type"] == "quantity"
                and not quantities_compatible(gold.get("quantity"), ext.get("quantity")))


def _doc_of(c: Mapping[str, Any], doc_map: Mapping[str, str] | None) -> str:
    d = str(c.get("doc", ""))
    if doc_map:
        d = doc_map.get(d, doc_map.get(doc_key(d), d))
    return doc_key(d)


# ---------------------------------------------------------------------------------------
# One-to-one matching


def _max_matching(edges: Mapping[int, list[int]], taken: set[int] | None = None) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn's augmenting paths): left index -> right index.
    Right nodes in `taken` are unavailable."""
    taken = taken or set()
    match_right: dict[int, int] = {}

    def augment(u: int, seen: set[int]) -> bool:
        for v in edges.get(u, ()):
            if v in taken or v in seen:
                continue
            seen.add(v)
            if v not in match_right or augment(match_right[v], seen):
                match_right[v] = u
                return True
        return False

    for u in sorted(edges):
        augment(u, set())
    return {u: v for v, u in match_right.items()}


def _candidates(extracted: list[dict], gold: list[dict], pred: Callable[[dict, dict], bool],
                doc_map: Mapping[str, str] | None) -> dict[int, list[int]]:
    by_doc: dict[str, list[int]] = {}
    for j, g in enumerate(gold):
        by_doc.setdefault(_doc_of(g, None), []).append(j)
    edges: dict[int, list[int]] = {}
    for i, e in enumerate(extracted):
        cands = [j for j in by_doc.get(_doc_of(e, doc_map), []) if pred(gold[j], e)]
        if cands:
            edges[i] = cands
    return edges


# ---------------------------------------------------------------------------------------
# Report


@dataclass
class Counts:
    """Matched, denominator and support counts for one type (or overall)."""

    matched: int = 0  # extracted claims matched to required gold (true positives)
    predicted: int = 0  # extracted claims counted in the precision denominator
    support: int = 0  # required gold claims
    excluded: int = 0  # extracted claims left out of the denominator

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "matched": self.matched, "predicted": self.predicted,
                "support": self.support, "excluded": self.excluded}


@dataclass
class Report:
    """The outcome of scoring: per-type and overall counts, the modality confusion matrix,
    the costliest errors, the relaxed score, and the match lists for inspection."""

    per_type: dict[str, Counts]
    overall: Counts
    confusion: dict[tuple[str, str], int]
    asserted_when_not: list[tuple[dict, dict]]
    relaxed: Counts
    relaxed_per_group: dict[str, Counts]
    matches: list[tuple[dict, dict]] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "per_type": {t: c.to_json() for t, c in self.per_type.items()},
            "modality_confusion": {f"{g}->{e}": n for (g, e), n in sorted(self.confusion.items())},
            "asserted_when_not": [
                {"gold": g, "extracted": e} for g, e in self.asserted_when_not
            ],
            "relaxed": self.relaxed.to_json(),
            "relaxed_per_group": {t: c.to_json() for t, c in self.relaxed_per_group.items()},
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def _check(claims: Iterable[Mapping[str, Any]], side: str) -> list[dict]:
    out = []
    for n, c in enumerate(claims, 1):
        if not isinstance(c, Mapping):
            raise SourceError(f"{side} claim #{n}", "is not a JSON object")
        for k in ("doc", "type", "modality"):
            if not c.get(k):
                raise SourceError(f"{side} claim #{n}", f"has no {k!r}",
                                  hint="every claim needs doc, type, modality and its actors")
        if c["modality"] not in MODALITIES:
            raise SourceError(f"{side} claim #{n}", f"unknown modality {c['modality']!r}",
                              hint="use one of " + ", ".join(MODALITIES))
        value = _date_value(c)
        if value is not None:
            try:
                date_range(value)
            except (ValueError, TypeError):
                raise SourceError(f"{side} claim #{n}", f"bad date {value!r}",
                                  hint="use YYYY, YYYY-MM, YYYY-MM-DD or start/end") from None
        out.append(dict(c))
    return out


def _score_pass(extracted: list[dict], gold: list[dict], *, relaxed: bool,
                doc_map: Mapping[str, str] | None, key: Callable[[dict], str]):
    def pred(g: dict, e: dict) -> bool:
        return claims_match(g, e, relaxed=relaxed, doc_map=doc_map)

    edges = _candidates(extracted, gold, pred, doc_map)
    optional = {j for j, g in enumerate(gold) if g.get("optional")}
    required_edges = {i: [j for j in js if j not in optional] for i, js in edges.items()}
    required_edges = {i: js for i, js in required_edges.items() if js}
    matched = _max_matching(required_edges)
    # Extracted claims left over may still match an optional gold claim, one-to-one.
    optional_edges = {i: [j for j in js if j in optional] for i, js in edges.items() if i not in matched}
    optional_edges = {i: js for i, js in optional_edges.items() if js}
    matched_optional = _max_matching(optional_edges)

    def uncounted_accession(i: int, e: dict) -> bool:
        # An undated accession claim with no gold counterpart (same document, type and
        # parties) is most often an undated membership roster: neither required nor penalised.
        if e["type"] != "accession_membership" or _date_value(e) is not None:
            return False
        doc, parties = _doc_of(e, doc_map), parties_key(e, symmetric=False)
        return not any(_doc_of(g, None) == doc and parties_key(g, symmetric=False) == parties
                       for g in gold if g["type"] == "accession_membership")

    per: dict[str, Counts] = {}
    overall = Counts()
    for j, g in enumerate(gold):
        if j not in optional:
            per.setdefault(key(g), Counts()).support += 1
            overall.support += 1
    for i, e in enumerate(extracted):
        c = per.setdefault(key(e), Counts())
        if i in matched:
            c.matched += 1
            c.predicted += 1
            overall.matched += 1
            overall.predicted += 1
        elif i in matched_optional or uncounted_accession(i, e):
            c.excluded += 1
            overall.excluded += 1
        else:
            c.predicted += 1
            overall.predicted += 1
    excluded = {i for i, e in enumerate(extracted) if i in matched_optional
                or (i not in matched and uncounted_accession(i, e))}
    return per, overall, matched, excluded, optional


def score(extracted: list[dict], gold: list[dict], *, doc_map: Mapping[str, str] | None = None) -> Report:
    """Score extracted claims against gold claims (both in the claim contract).

    ``doc_map`` maps an extracted claim's ``doc`` (a path, a file name or a store id) to the
    gold's document file name, for extractors that do not name documents by file."""
    extracted = _check(extracted, "extracted")
    gold = _check(gold, "gold")

    per, overall, matched, excluded, optional = _score_pass(
        extracted, gold, relaxed=False, doc_map=doc_map, key=lambda c: c["type"])
    rel_per, rel_overall, *_ = _score_pass(
        extracted, gold, relaxed=True, doc_map=doc_map, key=relaxed_type)

    # Modality: match on everything but modality, one-to-one over all gold claims.
    blind = _candidates(extracted, gold,
                        lambda g, e: claims_match(g, e, check_modality=False, doc_map=doc_map),
                        doc_map)
    # Prefer pairs whose modality agrees so the matrix is not inflated by a bad pairing.
    ordered = {i: sorted(js, key=lambda j: (not modality_ok(gold[j], extracted[i]),
                                            bool(gold[j].get("optional"))))
               for i, js in blind.items()}
    blind_match = _max_matching(ordered)
    confusion: Counter[tuple[str, str]] = Counter()
    costly: list[tuple[dict, dict]] = []
    for i, j in sorted(blind_match.items()):
        g, e = gold[j], extracted[i]
        confusion[(g["modality"], e["modality"])] += 1
        if e["modality"] == "asserted" and not modality_ok(g, e):
            costly.append((g, e))

    matched_gold = set(matched.values())
    return Report(
        per_type=dict(sorted(per.items())),
        overall=overall,
        confusion=dict(confusion),
        asserted_when_not=costly,
        relaxed=rel_overall,
        relaxed_per_group=dict(sorted(rel_per.items())),
        matches=[(gold[j], extracted[i]) for i, j in sorted(matched.items())],
        false_positives=[e for i, e in enumerate(extracted) if i not in matched and i not in excluded],
        false_negatives=[g for j, g in enumerate(gold) if j not in optional and j not in matched_gold],
    )


# ---------------------------------------------------------------------------------------
# Files


def load_claims(path: str | Path) -> list[dict]:
    """Read a JSON Lines file of claims; a folder reads every ``*.jsonl`` in it (recursively)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.rglob("*.jsonl"))
        if not files:
            raise SourceError(str(p), "holds no .jsonl file", hint="give a gold .jsonl file or a folder of them")
    elif p.is_file():
        files = [p]
    else:
        raise SourceError(str(p), "does not exist", hint="give a .jsonl file or a folder of them")
    out: list[dict] = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise SourceError(str(f), f"not valid JSON ({e.msg})", line=n,
                                  hint="one claim object a line") from None
            if not isinstance(rec, dict):
                raise SourceError(str(f), "not a JSON object", line=n, hint="one claim object a line")
            for k in ("doc", "type", "modality"):
                if not rec.get(k):
                    raise SourceError(str(f), f"claim has no {k!r}", line=n)
            if rec["type"] not in CLAIM_TYPES:
                raise SourceError(str(f), f"unknown claim type {rec['type']!r}", line=n,
                                  hint="see the claim types of DESIGN.md")
            if rec["modality"] not in MODALITIES:
                raise SourceError(str(f), f"unknown modality {rec['modality']!r}", line=n,
                                  hint="use one of " + ", ".join(MODALITIES))
            out.append(rec)
    return out


def find_document(name: str, dirs: Iterable[str | Path]) -> Path | None:
    """The first file called `name` in one of `dirs` (also tried with .txt/.html/.jsonl)."""
    stem = name.removesuffix(".claims.jsonl")
    for d in dirs:
        d = Path(d)
        for cand in (name, stem, stem + ".txt", stem + ".html", stem + ".jsonl"):
            if (d / cand).is_file():
                return d / cand
    return None


def evidence_text(claim: Mapping[str, Any], dirs: Iterable[str | Path]) -> str:
    """The claim's evidence sentence: quoted text if stored, else reloaded from its document."""
    ev = claim.get("evidence") or {}
    if ev.get("text"):
        return ev["text"]
    start, end = ev.get("start"), ev.get("end")
    if start is None or end is None:
        return ""
    path = find_document(doc_key(claim.get("doc", "")), dirs)
    if path is None:
        return f"[{doc_key(claim.get('doc', ''))} {start}:{end}]"
    return path.read_text(encoding="utf-8")[start:end]


__all__ = [
    "RELAXED_GROUPS",
    "SYMMETRIC_TYPES",
    "Counts",
    "Report",
    "claims_match",
    "date_range",
    "dates_compatible",
    "doc_key",
    "evidence_text",
    "find_document",
    "is_symmetric",
    "load_claims",
    "quantities_compatible",
    "relaxed_type",
    "score",
]


# ---------------------------------------------------------------------------------------
# Running an evaluation (what `diplograph eval` calls)

_REPO = Path(__file__).resolve().parent.parent


def default_document_dirs(gold_path: str | Path) -> list[Path]:
    """Where gold documents are looked for when no --docs is given: the `articles` folder
    beside the nearest `gold` folder (eval/gold/articles/X -> eval/articles), and the seeds
    in ../shared/seeds next to the checkout or the working directory."""
    p = Path(gold_path).resolve()
    dirs: list[Path] = []
    for anc in [p, *p.parents]:
        if anc.name == "gold":
            dirs.append(anc.parent / "articles")
            break
    dirs += [_REPO.parent / "shared" / "seeds", Path.cwd().parent / "shared" / "seeds"]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


def load_published_map(path: str | Path | None) -> dict[str, str]:
    """Reference dates for documents that carry none: a TSV of `file name<TAB>date`."""
    if path is None:
        return {}
    p = Path(path)
    if not p.is_file():
        raise SourceError(str(p), "does not exist", hint="give a TSV file of `doc<TAB>YYYY[-MM[-DD]]` lines")
    out: dict[str, str] = {}
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 2:
            raise SourceError(str(p), "expected `doc<TAB>date`", line=n)
        out[parts[0]] = parts[1]
    return out


def extract_for_gold(gold: list[dict], dirs: Iterable[str | Path], *,
                     published: Mapping[str, str] | None = None) -> list[dict]:
    """Run the extractor on every document the gold names and return its claims as dicts."""
    try:
        from .claims import extract_claims  # type: ignore[attr-defined]
    except ImportError:
        raise SourceError("--extract", "this build has no extractor (diplograph.claims.extract_claims)",
                          hint="score a predictions file instead: diplograph eval GOLD --pred FILE") from None
    from .documents import read
    from .models import PartialDate
    from .settings import load_settings

    dirs = list(dirs)
    published = published or {}
    max_bytes = load_settings()["max_bytes"]
    out: list[dict] = []
    for name in dict.fromkeys(doc_key(g["doc"]) for g in gold):
        path = find_document(name, dirs)
        if path is None:
            raise SourceError(name, "document not found in " + (", ".join(map(str, dirs)) or "no folder"),
                              hint="say where documents are with --docs DIR")
        override = PartialDate.parse(published[name]) if name in published else None
        for item in read([str(path)], max_bytes=max_bytes, published=override):
            if isinstance(item, SourceError):
                raise item
            for c in extract_claims(item.text, doc=name, published=item.published):
                rec = c.to_json() if hasattr(c, "to_json") else dict(c)
                rec["doc"] = name
                out.append(rec)
    return out


def evaluate(gold_path: str | Path, *, pred: str | Path | None = None, extract: bool = False,
             docs: Iterable[str | Path] = (), published_map: str | Path | None = None,
             doc_map: Mapping[str, str] | None = None) -> Report:
    """Load gold claims (a file or a folder), get predictions (a JSONL file, or by running
    the extractor on the gold documents) and score them."""
    gold = load_claims(gold_path)
    if pred is not None and extract:
        raise SourceError("diplograph eval", "give either --pred FILE or --extract, not both")
    if pred is not None:
        extracted = load_claims(pred)
    elif extract:
        dirs = [*docs, *default_document_dirs(gold_path)]
        if published_map is None:
            # the map that ships beside the gold folder (eval/published.tsv)
            here = Path(gold_path).resolve()
            for parent in [here, *here.parents][:4]:
                if (parent / "published.tsv").is_file():
                    published_map = parent / "published.tsv"
                    break
        extracted = extract_for_gold(gold, dirs, published=load_published_map(published_map))
    else:
        raise SourceError("diplograph eval", "nothing to score",
                          hint="give --pred FILE (claims JSONL) or --extract")
    return score(extracted, gold, doc_map=doc_map)


__all__ += ["default_document_dirs", "evaluate", "extract_for_gold", "load_published_map"]
