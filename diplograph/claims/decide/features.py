"""What the decision model sees of one candidate claim: a few dense numbers (distances,
positions, counts, the rules' own view) and a bag of hashed symbolic features (the
trigger, the predicate and its auxiliaries, the words of the clause, each party's role and
how it was named, the type conjoined with the strongest of them).

A candidate comes with the Frame it was built from when there is one; claims made by the
discourse steps (lists, "did the same", agreement lists) have none and are described from
their sentence alone."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...models import Claim, MODALITIES, PartialDate
from ..frame import Frame, columns, predicate_of, trigger_head
from ..attribution import quote_at
from ..modality import clause_indices
from .sparse import Hashed, csr
from .triggers import best_word

HASH_BITS = 14
HASH_DIM = 1 << HASH_BITS
KINDS = ("state", "organisation", "accord", "group", "person")
PRECISION_RANK = {None: 0, "year": 1, "month": 2, "interval": 2, "day": 3}

DENSE: tuple[str, ...] = (
    "from_rule", "frameless", "rule_confidence", "rule_asserted", "rule_negated", "rule_speculative",
    "rule_planned", "n_mentions", "n_states", "sentence_tokens", "sentence_position", "paragraph",
    "subject_distance", "object_distance", "party_distance", "subject_before_trigger",
    "object_after_trigger", "date_precision", "year_delta", "after_publication", "attributed",
    "in_quote", "has_quantity", "n_parties", "same_pair_rule_claims", "same_type_candidates",
    "subject_mentions_in_doc", "object_mentions_in_doc", "question", "no_final_stop",
    "typer_p", "typer_max", "pseudo", "trigger_lift", "best_lift", "party_to_best",
    "hedged_elsewhere", "hedged_alongside", "asserted_elsewhere", "pair_sentences",
)
N_DENSE = len(DENSE)
N_FEATURES = N_DENSE + HASH_DIM


@dataclass
class Candidate:
    """A claim the rules (or the pair generator) propose, with what it was built from."""

    claim: Claim
    frame: Frame | None
    from_rule: bool


_h = Hashed(N_DENSE, HASH_BITS)  # a symbol's column


def _party_token(parse: Any, s_start: int, mentions: list[Any], actor_id: str | None,
                 near: int, memo: dict | None = None) -> tuple[int | None, Any]:
    """The token (sentence-relative index) and mention of the party nearest to ``near``."""
    if actor_id is None or parse is None:
        return None, None
    if memo is not None:
        key = ("party", id(parse), id(mentions), actor_id, near)
        if key not in memo:
            memo[key] = _party_token(parse, s_start, mentions, actor_id, near)
        return memo[key]
    best: tuple[int, int, Any] | None = None
    for m in mentions:
        if m.actor.id != actor_id:
            continue
        ti = trigger_head(parse, m.start - s_start, m.end - s_start)
        d = abs(ti - near)
        if best is None or d < best[0]:
            best = (d, ti, m)
    return (best[1], best[2]) if best else (None, None)


def _role_of(frame: Frame | None, actor_id: str | None, memo: dict | None = None) -> str:
    if frame is None or actor_id is None:
        return "none"
    if memo is not None:
        key = ("role", id(frame), actor_id)
        if key not in memo:
            memo[key] = _role_of(frame, actor_id)
        return memo[key]
    roles = sorted({rm.role for rm in frame.mentions if rm.actor.id == actor_id})
    return "+".join(roles) if roles else "absent"


def _path_deps(parse: Any, ti: int | None, trig: int, memo: dict | None = None, shared: dict | None = None,
               ) -> list[str]:
    """Dependency labels (and prepositions) from a party's token up towards the trigger."""
    if ti is None or trig < 0:
        return []
    if memo is not None:
        key = ("path", id(parse), ti, trig)
        if key not in memo:
            memo[key] = _path_deps(parse, ti, trig, None, memo)
        return memo[key]
    out = []
    x = parse[ti]
    ancestors_of_trigger = _above(parse, trig, shared)
    for _ in range(8):
        if x.i in ancestors_of_trigger:
            out.append("@" + ("trigger" if x.i == trig else "above"))
            break
        out.append(x.dep_ + (":" + x.lower_ if x.dep_ == "prep" else ""))
        if x.head.i == x.i:
            break
        x = x.head
    return out


def _sentence_facts(ctx: Any, k: int, memo: dict) -> tuple:
    """What every candidate of sentence ``k`` shares: the sentence, its mentions and the
    typer's probabilities, and the dense values read from them."""
    key = ("sentence", k)
    if key not in memo:
        sentence = ctx.sentences[k] if 0 <= k < len(ctx.sentences) else None
        mentions = ctx.mentions_by_sentence.get(k, []) if sentence is not None else []
        typed = ctx.typed.get(k) or {}
        memo[key] = (
            sentence, mentions, sentence.start if sentence is not None else 0, typed,
            float(len(mentions)), float(len({m.actor.id for m in mentions if m.actor.kind == "state"})),
            (k / max(1, len(ctx.sentences) - 1)) if k >= 0 else math.nan,
            float(min(sentence.paragraph, 50)) if sentence is not None else math.nan,
            max(typed.values(), default=math.nan),
        )
    return memo[key]


def _best_word(parse: Any, lexicon: dict[str, float] | None, memo: dict) -> tuple[float, int]:
    """The highest trigger-lexicon score of the sentence's words for a type, and its token."""
    key = ("best", id(parse), id(lexicon))
    if key not in memo:
        memo[key] = best_word(parse, lexicon) if parse is not None else (0.0, -1)
    return memo[key]


def _text_facts(text: str) -> tuple[float, float]:
    """A question mark; no final stop."""
    return float("?" in text), float(not text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'")))


def _head(t: str, from_rule: bool, framed: bool, extractor: str, rule_mod: str, cue: str,
          trigger_text: str, subtype: str | None) -> list[str]:
    """The symbols naming the candidate's type, source, extractor, the rules' reading and the trigger."""
    sym = ["t=" + t, "src=" + ("rule" if from_rule else "gen") + ("" if framed else ":noframe"),
           "ex=" + extractor, "rm=" + rule_mod, f"t|rm={t}|{rule_mod}"]
    if cue:
        sym.append("cue=" + " ".join(cue.split()[:3]))
    if trigger_text:
        sym.append("trig=" + trigger_text)
        sym.append(f"t|trig={t}|{trigger_text}")
    if subtype:
        sym.append("sub=" + subtype)
    return sym


def _trigger_block(parse: Any, t: str, trig: int, pred: int, chain: list[int], lenders: list[int],
                   memo: dict | None = None) -> list[str]:
    """The symbols of a trigger and its predicate: lemma and tag, auxiliaries and other
    qualifying words, the words above and around it, the sentence's first word (what does
    not name the type read once per trigger, in ``memo`` when given)."""
    key = ("trigger words", id(parse), trig, pred, tuple(chain), tuple(lenders))
    words = memo.get(key) if memo is not None else None
    if words is None:
        words = _trigger_words(parse, trig, pred, chain, lenders)
        if memo is not None:
            memo[key] = words
    lemma, tag, rest = words
    return ["pred=" + lemma, f"t|pred={t}|{lemma}", "ptag=" + tag, f"t|ptag={t}|{tag}", *rest]


def _trigger_words(parse: Any, trig: int, pred: int, chain: list[int], lenders: list[int]) -> tuple[str, str, list[str]]:
    """``_trigger_block``'s predicate lemma and tag, and its symbols that do not name the type."""
    sym: list[str] = []
    add = sym.append
    cols = columns(parse)
    dep, lemma = cols.dep, cols.lemma
    add("tdep=" + dep[trig])
    for i in clause_indices(parse, chain, lenders):
        if dep[i] in ("aux", "auxpass", "neg", "advmod", "mark", "prt", "acomp"):
            add(f"{dep[i]}={lemma[i]}")
    for a in cols.ancestors(trig)[:6]:
        add("up=" + lemma[a])
        if dep[a] in ("xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"):
            add(f"upd={dep[a]}:{lemma[a]}")
    lo, hi = max(0, trig - 6), min(len(parse), trig + 5)
    for i in range(lo, hi):
        if not cols.punct[i]:
            add("w=" + lemma[i])
    for i in range(max(0, trig - 3), trig):
        add("pre=" + cols.lower[i])
    if len(parse):
        add("s0=" + cols.lower[0])
    return lemma[pred], parse[pred].tag_, sym


def _frameless_trigger(parse: Any, sentence: Any, t: str) -> tuple[int, int, list[int], str]:
    """For a claim without a frame: the first of its type's triggers in the sentence (its
    head, predicate, chain and words), or nothing (-1)."""
    from ..registry import claim_types

    ctype = claim_types().get(t)
    for rx in (ctype.triggers if ctype else ()):
        m = rx.search(sentence.text)
        if m:
            trig = trigger_head(parse, m.start(), m.end())
            pred = predicate_of(parse, trig)
            return trig, pred, ([trig, pred] if pred != trig else [trig]), m.group(0).lower()
    return -1, -1, [], ""


def _above(parse: Any, trig: int, memo: dict | None) -> set[int]:
    """The trigger and its ancestors (kept in ``memo`` when given: every party of a trigger asks)."""
    key = ("above", id(parse), trig)
    if memo is not None and key in memo:
        return memo[key]
    out = {trig} | {a.i for a in parse[trig].ancestors}
    if memo is not None:
        memo[key] = out
    return out


def describe(cand: Candidate, ctx: Any, published: PartialDate | None, counts: dict[str, Any]) -> tuple[list[float], list[str]]:
    """Dense values (in DENSE's order) and the symbolic features of one candidate. What the
    candidates of one sentence, one frame or one trigger share is read once (``counts``'
    memo, which lives as long as one document's candidates)."""
    c, f = cand.claim, cand.frame
    memo = counts.get("memo")
    if memo is None:
        memo = {}
    k = ctx.sentence_at(c.evidence_start)
    sentence, mentions, s_start, typed, n_mentions, n_states, position, paragraph, typer_max = \
        _sentence_facts(ctx, k, memo)
    parse = f.parse if f is not None else ctx.parses.get(k)
    t = c.type

    # the trigger and its predicate
    if f is not None:
        trig, pred = f.trigger_token, f.predicate_token
        chain, lenders = f.chain, f.lenders
        trigger_text = f.trigger_text.lower()
        rule_mod = f.modality
        cue = (f.modality_cue or "").lower()
    else:
        trig = pred = -1
        chain, lenders = [], []
        trigger_text = ""
        rule_mod = c.modality
        cue = ""
        if parse is not None and sentence is not None:
            trig, pred, chain, trigger_text = _frameless_trigger(parse, sentence, t)
    hkey = ("head", t, cand.from_rule, f is not None, c.extractor, rule_mod, cue, trigger_text, c.subtype)
    head = memo.get(hkey)
    if head is None:
        head = memo[hkey] = _head(t, cand.from_rule, f is not None, c.extractor, rule_mod, cue, trigger_text,
                                  c.subtype)
    sym = list(head)
    add = sym.append
    if parse is not None and trig >= 0:
        tkey = ("trigger", id(parse), t, trig, pred, tuple(chain), tuple(lenders))
        block = memo.get(tkey)
        if block is None:
            block = memo[tkey] = _trigger_block(parse, t, trig, pred, chain, lenders, memo)
        sym += block
    elif sentence is not None:
        for w in sentence.text.lower().split()[:40]:
            add("w=" + w.strip(".,;:!?\"'()“”‘’"))

    # the parties
    near = trig if trig >= 0 else 0
    s_id = c.subject.id if c.subject else None
    o_id = c.object.id if c.object else None
    s_tok, s_m = _party_token(parse, s_start, mentions, s_id, near, memo)
    o_tok, o_m = _party_token(parse, s_start, mentions, o_id, near, memo)
    s_role, o_role = _role_of(f, s_id, memo), _role_of(f, o_id, memo)
    add("sr=" + s_role)
    add("or=" + o_role)
    add(f"t|sr|or={t}|{s_role}|{o_role}")
    add("sk=" + (c.subject.kind if c.subject else "none"))
    add("ok=" + (c.object.kind if c.object else "none"))
    add(f"t|sk|ok={t}|{c.subject.kind if c.subject else '-'}|{c.object.kind if c.object else '-'}")
    origin = ctx.origins.get(id(c))
    if origin:
        add("ctx=" + origin)
        add(f"t|ctx={t}|{origin}")
    add("sv=" + (s_m.via if s_m is not None else "absent"))
    add("ov=" + (o_m.via if o_m is not None else "absent"))
    if parse is not None:
        for d in _path_deps(parse, s_tok, trig, memo):
            add("sp=" + d)
        for d in _path_deps(parse, o_tok, trig, memo):
            add("op=" + d)
            add(f"t|op={t}|{d}")

    # the rules' neighbours
    key_pair = frozenset(x for x in (s_id, o_id) if x)
    same_pair = counts["pairs"].get((k, key_pair), 0) - (1 if cand.from_rule else 0)
    same_type = counts["types"].get((k, t), 0)
    siblings = _siblings(counts["readings"].get((t, key_pair), {}), k, rule_mod != "asserted")

    date = c.date
    year_delta = math.nan
    after = 0.0
    if date is not None and published is not None:
        try:
            year_delta = float(int(date.value[:4]) - int(published.value[:4]))
            after = float(_bounds(date, memo)[0] > _bounds(published, memo)[1])
        except ValueError:
            pass
    if date is not None and date.text:
        add("dt=" + date.text.lower().split()[0])
    if c.attributed_to:
        add("attr=" + ("quote" if c.attributed_to == "unattributed quote" else "named"))
    if sentence is not None:
        tf = memo.get(("text", k))
        if tf is None:
            tf = memo[("text", k)] = _text_facts(sentence.text)
        n_words = float(len(parse)) if parse is not None else float(len(sentence.text.split()))
    else:
        tf = _text_facts(c.evidence_text)
        n_words = float(len(parse)) if parse is not None else float(len(c.evidence_text.split()))
    at = f.trigger_start if f is not None else c.evidence_start
    in_quote = quote_at(ctx.quotes, at) is not None
    lexicon = (ctx.pseudo_triggers or {}).get(t)  # how much the words say this type (decide.triggers)
    best_lift, best_at = _best_word(parse, lexicon, memo)
    near_best = [abs(x - best_at) for x in (s_tok, o_tok) if x is not None and best_at >= 0]
    dense = [
        float(cand.from_rule), float(f is None), c.confidence,
        *(float(rule_mod == m) for m in MODALITIES),
        n_mentions, n_states, n_words, position, paragraph,
        float(abs(s_tok - trig)) if s_tok is not None and trig >= 0 else math.nan,
        float(abs(o_tok - trig)) if o_tok is not None and trig >= 0 else math.nan,
        float(abs(s_tok - o_tok)) if s_tok is not None and o_tok is not None else math.nan,
        float(s_tok < trig) if s_tok is not None and trig >= 0 else math.nan,
        float(o_tok > trig) if o_tok is not None and trig >= 0 else math.nan,
        float(PRECISION_RANK.get(date.precision if date else None, 0)), year_delta, after,
        float(c.attributed_to is not None), float(in_quote), float(c.quantity is not None),
        float(len(c.parties or [])), float(same_pair), float(same_type),
        float(counts["actors"].get(s_id, 0)), float(counts["actors"].get(o_id, 0)),
        *tf, typed.get(t, math.nan), typer_max, float(f is not None and f.pseudo),
        (lexicon or {}).get(trigger_text, 0.0), best_lift, float(min(near_best)) if near_best else math.nan,
        *siblings,
    ]
    return dense, sym


def _siblings(by_sentence: dict[int, list[int]], k: int, hedged: bool) -> tuple[float, float, float, float]:
    """How the document's other candidates of the same type and parties read by the rules:
    hedged (planned, negated, speculative) in other sentences and in this one, asserted in
    other sentences, and the number of other sentences. An asserted claim about a pair the
    article elsewhere calls planned or denied is the one most worth a second look: if it is
    wrong, the scorer pairs it with the hedged fact (the costliest error)."""
    here = by_sentence.get(k, (0, 0))
    hedged_elsewhere = sum(h for j, (h, _) in by_sentence.items() if j != k)
    asserted_elsewhere = sum(a for j, (_, a) in by_sentence.items() if j != k)
    return (float(hedged_elsewhere), float(here[0] - hedged), float(asserted_elsewhere),
            float(len(by_sentence) - (k in by_sentence)))


def _bounds(d: PartialDate, memo: dict) -> tuple:
    key = ("bounds", d.value)
    if key not in memo:
        memo[key] = d.bounds()
    return memo[key]


def neighbourhood(cands: list[Candidate], ctx: Any) -> dict[str, Any]:
    """Counts over all candidates of a document that each candidate's features refer to."""
    pairs: dict[tuple[int, frozenset[str]], int] = {}
    types: dict[tuple[int, str], int] = {}
    # per type and parties, per sentence: how many candidates the rules read hedged, asserted
    readings: dict[tuple[str, frozenset[str]], dict[int, list[int]]] = {}
    for cand in cands:
        c = cand.claim
        k = ctx.sentence_at(c.evidence_start)
        key = frozenset(x.id for x in (c.subject, c.object) if x)
        if cand.from_rule:
            pairs[(k, key)] = pairs.get((k, key), 0) + 1
        types[(k, c.type)] = types.get((k, c.type), 0) + 1
        mod = cand.frame.modality if cand.frame is not None else c.modality
        tally = readings.setdefault((c.type, key), {}).setdefault(k, [0, 0])
        tally[0 if mod != "asserted" else 1] += 1
    actors: dict[str | None, int] = {}
    for ms in ctx.mentions_by_sentence.values():
        for m in ms:
            actors[m.actor.id] = actors.get(m.actor.id, 0) + 1
    return {"pairs": pairs, "types": types, "actors": actors, "readings": readings, "memo": {}}


def matrix(rows: list[tuple[list[float], list[str]]]) -> Any:
    """A CSR matrix of N_FEATURES columns: the dense block, then the hashed symbols."""
    return csr([(dense, sorted(_h.columns(sym))) for dense, sym in rows], N_FEATURES)
