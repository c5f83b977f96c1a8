"""Figures between states: trade, investment, aid, arrivals, remittances, shares and
exchange rates, with the parties each figure is between and whether it is a record or an
expectation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace as _replace
from functools import cache
from importlib import resources
from typing import Any

from ...mentions.actors import ref as actor_ref
from ...models import ActorRef
from ..frame import IN, OBJ, OF, SUBJ, TO, Frame, RoleMention, token_at
from ..registry import ClaimType, extractor
from .common import LENT, STATE, Parties, distinct_actors, paragraph_gap, symmetric_pairs

_Q_PREP = re.compile(r"\b(from|to|with|between|and|of|in|into|by|at|for|ahead of|followed by|behind)\s+(?:the\s+)?$", re.I)


# a list item: "followed by Kyrgyzstan with 2.4 million", "ahead of Russia at $11.5 billion"
_Q_ANCHOR = re.compile(r"^(?:’s|'s)?\s*,?\s*(?:with|at|on|:|\()\s*(?:(?:about|around|some|roughly|nearly|almost|over|just over|"
                       r"just under|more than|less than|an estimated)\s+)?$", re.I)


_Q_POSS = re.compile(r"^(?:’s|'s)\s+(?:[a-z-]+\s+){0,2}?(?:trade|turnover|exports?|imports?|trading|shipments?|"
                     r"sales|purchases|deliveries)\b", re.I)


_Q_TOTAL = re.compile(r"\b(?:foreign|external|overall|total|global)\s+(?:trade|trade\s+turnover|turnover)\b"
                      r"|\btrade\s+with\s+(?:the\s+)?(?:world|all\s+countries|the\s+rest\s+of\s+the\s+world)\b", re.I)


_Q_PARTNER = re.compile(r"^(?:’s|'s)\s+(?:(?:largest|biggest|main|top|leading|second[- ]largest|third[- ]largest|"
                        r"key|principal|major)\s+)+trad(?:ing|e)\s+partner\b", re.I)


_Q_ITS_PARTNER = re.compile(r"\b(?:its|their)\s+(?:(?:largest|biggest|main|top|leading|second[- ]largest|"
                            r"third[- ]largest|key|principal|major)\s+)+trad(?:ing|e)\s+partner\b", re.I)


_Q_SOURCE = re.compile(r"\b(?:source (?:market|country)|(?:largest|biggest|main|top|leading) (?:source|group|market)s?)\b", re.I)


_Q_MEMBERS_OF = re.compile(r"\bwith\s+(?:the\s+)?(?:\d+\s+|[a-z]+\s+)?(?:member states|member countries|members|countries|"
                           r"states|nations|economies)\s+of\s+(?:the\s+)?$", re.I)


_Q_ITS_FLOW = re.compile(r"\b(?:its|their)\s+(?:[a-z-]+\s+)?imports\b", re.I)


_Q_RECEIVE = frozenset("receive welcome host attract draw record see register".split())
_Q_VISIT = frozenset("visit tour".split())


def _q_prep(f: Frame, rm: RoleMention) -> str:
    m = _Q_PREP.search(f.doc_text, max(f.sentence.start, rm.mention.start - 16), rm.mention.start)
    if m and m.group(1).lower() == "of" and _Q_MEMBERS_OF.search(f.doc_text, max(f.sentence.start, rm.mention.start - 60),
                                                                 rm.mention.start):
        return "with"  # "traded with the member states of the European Union"
    return m.group(1).lower() if m else ""


def _q_crossed(f: Frame, pos: int) -> bool:
    """Whether another figure of the sentence stands between ``pos`` and this figure."""
    q = f.quantity
    lo, hi = (pos, q.start) if pos < q.start else (q.end, pos)
    return any(o is not q and lo <= o.start < hi for o in f.quantities)


def _q_anchored(f: Frame, fig: Any) -> RoleMention | None:
    """The state named right before a figure in a list ("followed by X with 2.4 million")."""
    best = None
    for rm in f.mentions:
        if rm.actor.kind in ("state", "group") and rm.mention.end <= fig.start and \
                _Q_ANCHOR.match(f.doc_text[rm.mention.end : fig.start]):
            best = rm
    return best


def _q_scope(f: Frame) -> list[RoleMention]:
    """The sentence's parties this figure may be about: not the list anchors of its other
    figures, nearest first; mentions across another figure come last."""
    q = f.quantity
    taken = {id(a) for o in f.quantities if o is not q and (a := _q_anchored(f, o)) is not None}
    rms = [rm for rm in f.mentions if id(rm) not in taken and rm.actor.kind in ("state", "group", "organisation")]

    def key(rm: RoleMention) -> tuple[bool, int]:
        d = q.start - rm.mention.end if rm.mention.end <= q.start else rm.mention.start - q.end
        return (_q_crossed(f, rm.mention.start), d)
    return sorted(rms, key=key)


def _q_home(f: Frame, exclude: set[str], base: str, *, subject: bool = True) -> ActorRef | None:
    """Whose trade or tourism the sentence is about: a possessor ("Brazil's trade with"), the
    clause subject, "its" (the topic), or the side the document's last figures were about.
    ``subject=False`` for a list item ("China ..., ahead of Russia at $11.5 billion"): the
    other items are counterparts too, not the home side."""
    for rm in sorted(f.mentions, key=lambda x: x.mention.start):
        if rm.actor.id not in exclude and rm.actor.kind in ("state", "group") and rm.mention.via != "demonym" \
                and _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40]):
            return rm.actor
    subj = [a for a in f.actors(SUBJ, LENT, kinds=("state", "group")) if a.id not in exclude] if subject else []
    if not subject:
        exclude = exclude | {rm.actor.id for rm in f.mentions}
    if subj and not any(_q_prep(f, rm) for rm in f.roles.get(SUBJ, []) if rm.actor.id == subj[0].id):
        return subj[0]
    recent = _q_recent_home(f, base, exclude)
    if recent is not None:
        return recent
    if f.context is not None:
        return f.context.topic_for(f, exclude=exclude, finite_only=False)
    return None


def _q_recent_home(f: Frame, base: str, exclude: set[str]) -> ActorRef | None:
    """The side the last figures of the same kind in this or the previous paragraph were
    about: the destination of arrivals, the shared party of trade figures."""
    ctx = f.context
    if ctx is None:
        return None
    for idx, c in reversed(ctx.recent):
        if paragraph_gap(ctx.sentences, idx, f.sentence.index) > 1:
            break
        if c.type != "quantity" or not (c.quantity or {}).get("metric", "").startswith(base):
            continue
        side = c.object if base == "visitor_arrivals" else c.subject
        if side is not None and side.id not in exclude:
            return side
    return None


@extractor("quantity")
def quantity(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """A figure about a state and its counterpart. Trade turnover is symmetric; exports and
    shares go supplier -> buyer; visitor arrivals go origin -> destination. Each figure of a
    sentence takes the parties nearest to it ("..., while trade with the United States was
    $74.9 billion"; "followed by Kyrgyzstan with 2.4 million"); a total ("Uzbekistan's
    foreign trade", "received 10.3 million foreign visitors") has no counterpart."""
    q, metric = f.quantity, f.metric or ""
    base = metric.removesuffix("_target").removesuffix("_growth")
    if q is None:
        return
    _q_expectation(f)
    if q.kind == "percent" and q.of_start is not None:
        # "X supplies 22 percent of Y's oil imports": X -> Y; "X accounted for 22% of Y's
        # exports": Y -> X
        yield from _q_share(f, reverse=base == "exports")
        return
    if q.kind == "rate":
        yield from _q_rate(f)
        return
    if q.kind == "count" and q.unit != "persons":
        return  # "the first 12 vehicles were shipped": goods are counted in money, not pieces
    if q.currency_word:
        yield from _q_shared_currency(f, list(_quantity_parties(f, base)))
        return
    yield from _quantity_parties(f, base)


# What makes a figure an expectation rather than a record, when it governs the figure: a
# verb of forecasting ("the ministry anticipates turnover of $2 billion"), a noun naming one
# ("the outlook for this year is between ...", "the expectations are to grow to ..."), or
# "on track to" ("is on track to reach $2 billion")
_Q_FORECAST_VERBS = frozenset("expect anticipate forecast predict project foresee".split())


_Q_FORECAST_NOUNS = frozenset("expectation forecast projection prediction outlook".split())


_Q_ON_TRACK = frozenset("track course pace".split())


# clause links the climb from a figure does not cross: another clause's verb does not govern it
_Q_OTHER_CLAUSE = frozenset("conj advcl relcl parataxis".split())


def _q_expectation(f: Frame) -> None:
    """An expectation is not a figure for a past period. A figure governed by a forecast is
    speculative; and a forecast, a target or a hedged figure (speculative or planned) takes
    its period only from its own clause: "Last year 4,000 visitors came; this year we
    expect 6,000" gives no second figure for last year, and when "this year" cannot be
    resolved (no publication date) its period is unknown."""
    top = _q_clause_top(f)
    if f.modality == "asserted" and _q_forecast_governs(f, top):
        f.modality, f.modality_cue = "speculative", "expected"
    if f.modality in ("speculative", "planned"):
        f.dates = [d for d in f.dates if _q_in_clause(f, d.start, top)]


def _q_is_other_clause(x: Any) -> bool:
    return x.dep_ in _Q_OTHER_CLAUSE and x.pos_ in ("VERB", "AUX")


def _q_clause_top(f: Frame) -> Any:
    """The head of the figure's own clause: climbing from the figure through its noun
    phrase, infinitives and complements, up to a verb coordinated with or subordinate to
    another clause (whose words are not about this figure), or the root."""
    x = f.parse[f.trigger_token]
    while x.head.i != x.i and not _q_is_other_clause(x):
        x = x.head
    return x


def _q_in_clause(f: Frame, char: int, top: Any) -> bool:
    """Whether the word at ``char`` belongs to the figure's own clause under ``top``, not to
    a clause nested in it that does not hold the figure ("Trade, which stood at $1.2 billion
    in 2022, is forecast to reach $2 billion": 2022 is the relative clause's)."""
    ti = f.trigger_token
    x = f.parse[token_at(f.parse, char - f.sentence.start)]
    while x.i != top.i:
        if _q_is_other_clause(x) and not (x.left_edge.i <= ti <= x.right_edge.i):
            return False
        if x.head.i == x.i:
            return False  # not under the figure's clause at all
        x = x.head
    return True


def _q_forecast_governs(f: Frame, top: Any) -> bool:
    x = f.parse[f.trigger_token]
    while True:
        if x.i != f.trigger_token:
            if x.pos_ in ("VERB", "AUX") and x.lemma_.lower() in _Q_FORECAST_VERBS:
                return True
            for c in x.children:
                lemma = c.lemma_.lower()
                if c.dep_ in ("nsubj", "nsubjpass", "amod") and (lemma in _Q_FORECAST_NOUNS or lemma == "expected"):
                    return True  # "the outlook for this year is ...", "the expected turnover of ..."
                if c.dep_ == "prep" and c.lower_ == "on" and any(
                        g.dep_ == "pobj" and g.lemma_.lower() in _Q_ON_TRACK for g in c.children):
                    return True  # "is on track to reach ..."
        if x.i == top.i or x.head.i == x.i:
            return False
        x = x.head


def _q_shared_currency(f: Frame, made: list[Parties]) -> Iterator[Parties]:
    """"9.3 billion shillings": the currency of the state among the figure's parties."""
    codes = _currency_data()[1].get(f.quantity.currency_word, [])
    ids = [a.id for p in made for a in (p.subject, p.object) if a is not None]  # the subject's first
    by_state = {st.id: c for c in codes if (st := _currency_state(c)) is not None}
    code = next((by_state[i] for i in ids if i in by_state), None)
    if code is not None:
        f.quantity = _replace(f.quantity, unit=code)
    yield from made


def _quantity_parties(f: Frame, base: str) -> Iterator[Parties]:
    q = f.quantity
    anchor = _q_anchored(f, q)
    scope = _q_scope(f)
    if base == "visitor_arrivals":
        yield from _q_arrivals(f, anchor, scope)
        return
    if base == "trade_turnover" or base not in ("exports", "imports", "fdi_stock", "investment"):
        yield from _q_trade(f, anchor, scope, base)
        return
    yield from _q_flow(f, anchor, scope, base)


@cache
def _currency_data() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """(currency word -> code, shared word -> codes, ISO 3166 alpha-2 -> state id)."""
    from ...mentions.knowledge import knowledge
    from ...tables import load_yaml  # parsed once per content (diplograph.tables)
    u = load_yaml((resources.files("diplograph") / "data" / "en" / "units.yaml").read_text("utf-8"))
    iso2 = {a.codes["iso2"]: a.id for a in knowledge().actors.values() if a.kind == "state" and a.codes.get("iso2")}
    return u["currency_words"], u.get("shared_currency_words") or {}, iso2


def _currency_state(code: str | None) -> ActorRef | None:
    """The state (or the EU) whose currency this ISO 4217 code is: its first two letters."""
    if not code:
        return None
    if code == "EUR":
        return actor_ref("EU")
    sid = _currency_data()[2].get(code[:2])
    return actor_ref(sid) if sid else None


def _q_rate(f: Frame) -> Iterator[Parties]:
    """An exchange rate in words: the state whose currency it is -> the state of the currency
    it is quoted against ("The Ghanaian cedi traded at 10.31 to the dollar": GHA -> USA, in
    GHS). The local currency is named at the figure ("1,185 pesos per dollar"; a shared name
    is decided by the state the sentence or the document is about) or earlier in the sentence
    ("The sum weakened ..., ending December at 12,920 per dollar")."""
    q = f.quantity
    words, shared, _ = _currency_data()
    quote = q.pair.split("/")[1] if q.pair else "USD"
    codes = [q.unit] if q.unit and not q.currency_word else []
    if q.currency_word:
        codes = list(shared.get(q.currency_word, []))
    if not codes:
        before = f.doc_text[f.sentence.start : q.start].lower()
        for m in re.finditer(r"\b(" + "|".join(map(re.escape, sorted({**words, **shared}, key=len, reverse=True))) + r")\b(?! of\b)", before):
            w = m.group(1)
            if words.get(w) == quote:
                continue  # "weakened against the dollar": the quoted currency
            codes = [words[w]] if w in words else list(shared[w])
            break
        if not codes:
            return
    if len(codes) > 1:
        named = [rm.actor.id for rm in f.mentions if rm.actor.kind == "state"]
        if not named and f.context is not None and (topic := f.context.topic_for(f, finite_only=False)):
            named = [topic.id]
        codes = [c for c in codes if (st := _currency_state(c)) is not None and st.id in named][:1]
        if not codes:
            return
    home, other = _currency_state(codes[0]), _currency_state(quote)
    if home is None or other is None or home.id == other.id:
        return
    f.quantity = _replace(q, unit=codes[0])
    yield Parties(home, other)


def _q_arrivals(f: Frame, anchor: RoleMention | None, scope: list[RoleMention]) -> Iterator[Parties]:
    states = [rm for rm in scope if rm.actor.kind == "state"]
    origin = anchor.actor if anchor is not None else None
    if origin is None:
        origin = next((rm.actor for rm in states if _q_prep(f, rm) == "from"), None)
    if origin is None:
        # "11,000 Israeli tourists"
        origin = next((rm.actor for rm in states if rm.mention.via == "demonym"
                       and 0 <= f.quantity.end - rm.mention.start and rm.mention.start - f.quantity.end < 3
                       or rm.mention.via == "demonym" and f.quantity.start <= rm.mention.start < f.quantity.end), None)
    if origin is None:
        origin_list = f.own_mods(STATE)
        origin = origin_list[0] if origin_list else None
    if origin is None and _Q_SOURCE.search(f.sentence.text):
        # "South Korea was the top source market with 1.9 million visitors"
        origin = next((rm.actor for rm in states if rm.role == SUBJ and rm.mention.via != "demonym"), None)
    ex = {origin.id} if origin else set()
    dest = next((rm.actor for rm in states if rm.actor.id not in ex and rm.mention.via != "demonym"
                 and _q_prep(f, rm) in ("to", "in", "into")), None)
    if dest is None:
        # "Armenia received 2.3 million foreign visitors": the subject of the figure's own verb
        verb = f.parse[f.trigger_token]
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.lemma_.lower() in _Q_RECEIVE:
            dest = next((rm.actor for rm in states if rm.actor.id not in ex and rm.mention.via != "demonym"
                         and _q_governed_by(f, rm, verb.i, ("nsubj", "nsubjpass"))), None)
        elif verb.lemma_.lower() in _Q_VISIT:
            # "1.2 million Russian tourists visited Turkey": the place the figure's own verb visits
            dest = next((rm.actor for rm in states if rm.actor.id not in ex and rm.mention.via != "demonym"
                         and _q_governed_by(f, rm, verb.i, ("dobj",))), None)
    if dest is None:
        dest = _q_recent_home(f, "visitor_arrivals", ex)
    if dest is None and f.context is not None:
        dest = f.context.topic_for(f, exclude=ex, finite_only=False)
    if dest is None and origin is not None and f.context is not None:
        # "Chilean tourism to Peru is growing. ... 'we welcomed about 4,000 visitors from
        # Chile'": the other state named last, in this or the previous paragraph
        ctx = f.context
        for m in reversed(ctx.state_mentions):
            if m.start >= f.quantity.start or m.actor.id in ex:
                continue
            at = next(s.index for s in ctx.sentences if s.start <= m.start < s.end + 1)
            if paragraph_gap(ctx.sentences, at, f.sentence.index) <= 1:
                dest = m.actor
            break
    if dest is None:
        return
    if origin is not None:
        yield Parties(origin, dest)
    elif not any(rm.actor.kind == "state" and rm.actor.id != dest.id for rm in f.mentions):
        yield Parties(None, dest, confidence=-0.1)  # type: ignore[arg-type]  # all arrivals


def _q_governed_by(f: Frame, rm: RoleMention, head: int, deps: tuple[str, ...]) -> bool:
    x = f.parse[rm.token]
    while x.dep_ in ("compound", "conj", "appos", "poss", "amod") and x.head.i != x.i:
        x = x.head
    return x.head.i == head and x.dep_ in deps


def _q_trade(f: Frame, anchor: RoleMention | None, scope: list[RoleMention], base: str) -> Iterator[Parties]:
    kinds = ("state", "group", "organisation")
    text, q = f.doc_text, f.quantity
    parties = [rm for rm in scope if rm.actor.kind in kinds and rm.mention.via != "demonym"]
    # "between X and Y", nearest to the figure and not across another figure
    for rm in parties:
        if _q_crossed(f, rm.mention.start):
            break
        if _q_prep(f, rm) == "between":
            other = next((o for o in sorted(f.mentions, key=lambda x: x.mention.start)
                          if o.mention.start > rm.mention.end and o.actor.id != rm.actor.id and o.actor.kind in kinds
                          and _q_prep(f, o) == "and"), None)
            if other is not None:
                yield Parties(rm.actor, other.actor)
                return
    counter = anchor.actor if anchor is not None else None
    if counter is None:
        # "trade with Y", nearest first; across another figure only when nothing nearer
        # ("Trade with Y was $4.4 billion, short of the $5 billion target")
        counter = next((rm.actor for rm in parties if _q_prep(f, rm) == "with"), None)
    if counter is None:
        # "China remained its largest trading partner, with turnover of $13.1 billion"
        for rm in parties:
            if _Q_PARTNER.match(text[rm.mention.end : rm.mention.end + 60]):
                subj = [a for a in f.actors(SUBJ, kinds=kinds) if a.id != rm.actor.id]
                if subj:
                    yield Parties(rm.actor, subj[0])
                    return
            elif _Q_ITS_PARTNER.search(text, rm.mention.end, min(f.sentence.end, rm.mention.end + 60)) \
                    and rm.role == SUBJ:
                counter = rm.actor
                break
    if counter is not None:
        # a list item ("..., ahead of Russia at $9 billion") leaves the home side to the
        # sentence's topic; "trade with China at 6.1 billion euros" is the clause's own counterpart
        own = anchor is None or _q_prep(f, anchor) in ("with", "between")
        home = _q_rel_subject(f, counter) or _q_home(f, {counter.id}, base, subject=own)
        if home is not None:
            yield Parties(home, counter)
        return
    if _Q_TOTAL.search(f.sentence.text):
        home = _q_home(f, set(), base)
        named = {rm.actor.id for rm in parties}
        if home is not None and named <= {home.id}:
            yield Parties(home, None)
            return
    pairs = list(symmetric_pairs(f, ("state", "organisation")))
    if pairs:
        yield _q_first_named(f, pairs[0])
        return
    named = distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind in ("state", "group") and rm.mention.via != "demonym"])
    if len(named) == 2:
        yield Parties(named[0], named[1], confidence=-0.2)
    elif len(named) == 1 and f.context is not None:
        topic = f.context.topic_for(f, exclude={named[0].id}, finite_only=False)
        if topic is not None:
            yield Parties(topic, named[0], confidence=-0.25)


def _q_rel_subject(f: Frame, counter: ActorRef) -> ActorRef | None:
    """The subject of a relative clause on the figure itself: "the 36 billion euros Serbia
    traded with the EU" is Serbia's trade."""
    fig = f.trigger
    for rel in fig.children:
        if rel.dep_ != "relcl":
            continue
        for rm in f.mentions:
            x = f.parse[rm.token]
            if rm.actor.kind == "state" and rm.actor.id != counter.id and x.head.i == rel.i and x.dep_ == "nsubj":
                return rm.actor
    return None


def _q_first_named(f: Frame, p: Parties) -> Parties:
    """A pair with no direction of its own ("the two governments set a target of ...") puts
    the party the document named first as subject (eval/README.md, directed claims with no
    natural direction)."""
    if f.context is None or p.object is None or p.parties:
        return p
    # first named in this paragraph (a round-up names each pair in its own item), else in
    # the document
    ctx = f.context
    lo = ctx.paragraph_start(f.sentence.paragraph)
    a, b = ctx.first_named_from(p.subject.id, lo), ctx.first_named_from(p.object.id, lo)
    if a is None or b is None:
        a, b = ctx.first_named_from(p.subject.id, 0), ctx.first_named_from(p.object.id, 0)
    if a is not None and b is not None and b < a:
        return Parties(p.object, p.subject, confidence=p.confidence, subtype=p.subtype, anchor=p.anchor)
    return p


def _q_share(f: Frame, *, reverse: bool) -> Iterator[Parties]:
    q = f.quantity
    in_of = [rm.actor for rm in f.mentions if q.of_start <= rm.mention.start < (q.of_end or q.of_start)
             and rm.actor.kind in ("state", "group")]
    subj = [a for a in f.actors(SUBJ, LENT, kinds=STATE) if not in_of or a.id != in_of[0].id]
    others = in_of or [a for a in f.actors(TO, OBJ, IN, OF, kinds=("state", "group")) if not subj or a.id != subj[0].id]
    if not subj and f.context is not None and others:
        topic = f.context.topic_for(f, exclude={a.id for a in others})
        subj = [topic] if topic else []
    for s_ in subj[:1]:
        for o in others[:1]:
            yield Parties(o, s_) if reverse else Parties(s_, o)


def _q_flow(f: Frame, anchor: RoleMention | None, scope: list[RoleMention], base: str) -> Iterator[Parties]:
    """Exports, imports, investment: the supplier -> the buyer."""
    q = f.quantity
    states = [rm for rm in scope if rm.actor.kind in ("state", "group")]
    if anchor is not None:
        # "Kazakhstan's exports to China rose to $15 billion, ahead of Russia at $9 billion":
        # the list item replaces the counterpart, the home side stays
        ex = {rm.actor.id for rm in f.mentions if rm is not anchor and _q_prep(f, rm) in ("to", "into", "from")}
        home = _q_home(f, ex | {anchor.actor.id}, base, subject=False)
        if home is not None:
            yield Parties(anchor.actor, home) if base == "imports" else Parties(home, anchor.actor)
        return
    buyer = next((rm.actor for rm in states if _q_prep(f, rm) in ("to", "into") and rm.mention.via != "demonym"), None)
    supplier = next((rm.actor for rm in states if _q_prep(f, rm) == "from" and rm.mention.via != "demonym"), None)
    if supplier is None and buyer is not None:
        # "Exports of Uzbek fruit to Russia", "Kazakhstan's exports to China"
        supplier = next((rm.actor for rm in states if rm.actor.id != buyer.id and (
            rm.mention.via == "demonym" or _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40]))), None)
        if base == "imports" and supplier is not None:
            supplier, buyer = buyer, supplier
        if supplier is None and base == "exports":
            # "Kenya, X's largest trading partner, exported goods worth ... to its neighbour":
            # the exporting verb's own subject
            supplier = next((rm.actor for rm in states if rm.actor.id != buyer.id and rm.mention.via == "name"
                             and f.parse[rm.token].dep_ == "nsubj"
                             and f.parse[rm.token].head.lemma_.lower() in ("export", "ship", "sell", "supply")), None)
    if buyer is None and supplier is not None:
        # "India's imports from the UAE": the possessor buys; "Its imports from the U.S.": the topic
        buyer = next((rm.actor for rm in states if rm.actor.id != supplier.id and rm.mention.via != "demonym"
                      and _Q_POSS.match(f.doc_text[rm.mention.end : rm.mention.end + 40])), None)
        if buyer is None and base == "imports" and f.context is not None \
                and _Q_ITS_FLOW.search(f.doc_text, f.sentence.start, f.quantity.start):
            buyer = f.context.topic_for(f, exclude={supplier.id}, finite_only=False)
    if supplier is not None and buyer is not None and supplier.id != buyer.id:
        yield Parties(supplier, buyer)
        return
    subj = f.actors(SUBJ, LENT, kinds=STATE)
    in_of = []
    if q.of_start is not None:
        in_of = [rm.actor for rm in f.mentions if q.of_start <= rm.mention.start < (q.of_end or q.of_start)
                 and rm.actor.kind in ("state", "group")]
    others = [a for a in in_of + f.actors(TO, OBJ, IN, OF, kinds=("state", "group")) if not subj or a.id != subj[0].id]
    if not subj and f.context is not None and others:
        topic = f.context.topic_for(f, exclude={a.id for a in others})
        subj = [topic] if topic else []
    for s_ in subj[:1]:
        for o in others[:1]:
            if base == "imports":
                yield Parties(o, s_)
            else:
                yield Parties(s_, o)
