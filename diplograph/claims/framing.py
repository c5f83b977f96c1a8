"""The frames of one parsed sentence: a Frame for each trigger word of a claim type whose
requirement is met (``trigger_frames``) and for each figure worth a quantity claim
(``figures_by_sentence``, ``quantity_frames``), less those inside another type's trigger
phrase (``absorb``); with what reads a frame's modality beyond its clause's own (a schedule
in the present tense, a negation around a signing participle) and which mentions make
their actor a party (``acts``)."""

from __future__ import annotations

import re
from typing import Any

from ..mentions.dates import CHRONOLOGY_RX
from ..models import Mention
from .context import ORIGIN_RX, DocContext, roles_data
from .dating import figure_dates
from .frame import (
    Frame,
    RoleMention,
    assign_roles,
    chain_and_lenders,
    group_roles,
    predicate_of,
    trigger_head,
)
from .modality import modality_of
from .registry import ClaimType, triggered
from .sentences import Sentence, bucket

PARTY_REACH = 80  # tokens between a trigger and a mention that can be its party
# A trigger of the first type inside the noun phrase of the second replaces it: the
# signing of an alliance is an alliance claim, not also agreement_signed.
ABSORBS = {
    "alliance": {"agreement_signed", "military_cooperation", "strategic_partnership"},
    "strategic_partnership": {"agreement_signed"},
    "diplomatic_relations": {"agreement_signed"},
    "agreement_signed": {"military_cooperation"},
    "accession_membership": {"agreement_signed"},
}
# "That was followed by a protocol...": a new event between the same parties
FOLLOWED_RX = re.compile(r"^(?:this|that|it|these) (?:was|were|has been|is) (?:then |later |soon )?followed by\b", re.I)


def trigger_frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
                   types: dict[str, ClaimType], ctx: DocContext) -> list[Frame]:
    frames = []
    mention_tokens = []
    for m in mentions:
        mention_tokens.append((m, trigger_head(parse, m.start - s.start, m.end - s.start)))
    seen_tokens: set[tuple[str, int]] = set()
    for ctype in types.values():
        if not ctype.triggers or ctype.name not in triggered(s.text) \
                or any(rx.search(s.text) for rx in ctype.exclude):
            continue
        for rx in ctype.triggers:
            for m in rx.finditer(s.text):
                ti = trigger_head(parse, m.start(), m.end())
                if (ctype.name, ti) in seen_tokens:
                    continue
                seen_tokens.add((ctype.name, ti))
                pi = predicate_of(parse, ti)
                chain, lenders = chain_and_lenders(parse, ti, pi)
                if ctype.requires is not None and not (
                    _requirement_met(ctype, parse, ti, chain, lenders) or _implied(s, parse, ti)
                ):
                    continue
                # a party is near its trigger: bounding the distance keeps run-on sentences linear
                rms = assign_roles(parse, chain, lenders, [(mm, t) for mm, t in mention_tokens
                                                           if abs(t - ti) <= PARTY_REACH])
                rms = [rm for rm in rms if acts(parse, rm, ctx.text, ti)]
                modality, cue = modality_of(parse, chain, lenders, ti)
                if modality == "asserted" and _scheduled_present(parse, ti, pi, lenders, dates):
                    modality, cue = "planned", "present tense with a date (schedule)"
                own_event = _participle_event(ctype, parse, ti) if modality == "negated" else None
                if own_event is not None and own_event != pi:
                    # "never ratified the security agreement signed with Australia in 2022":
                    # the participle on the trigger is the event, and the negation of the verb
                    # around it is not its own (a plan or a wish stays what it is: "wants the
                    # agreement signed in 2025")
                    modality, cue = modality_of(parse, [ti, own_event], [], ti)
                f = Frame(
                    type=ctype.name, doc_text=ctx.text, sentence=s,
                    trigger_start=s.start + m.start(), trigger_end=s.start + m.end(),
                    trigger_text=m.group(0), parse=parse, trigger_token=ti, predicate_token=pi,
                    roles=group_roles(rms), mentions=rms, dates=dates, context=ctx,
                    chain=chain, lenders=lenders, modality=modality, modality_cue=cue,
                )
                frames.append(f)
    return frames


def figures_by_sentence(text: str, sentences: list[Sentence]) -> dict[int, list[tuple[Any, str]]]:
    """Figures worth a quantity claim, by sentence: money, counts and percentages with a
    metric (trade, exports, visitors...); growth rates are left out (optional in gold)."""
    from ..mentions.quantities import find_quantities, metric_for

    out: dict[int, list[tuple[Any, str]]] = {}
    qs = [q for q in find_quantities(text) if q.value is not None and (q.kind in ("money", "count", "percent")
                                                                        or q.written_rate)]
    if not qs:
        return out
    by = bucket(sentences, qs)
    for s in sentences:
        known: dict[str | None, str] = {}
        for q in by[s.index]:
            metric = metric_for(text, q, (s.start, s.end))
            if metric is None and q.unit in known:
                # "trade reached $2.1 billion ..., and a target of $3 billion by 2027": the
                # figure measures what the sentence's other figure of that unit measures
                base = known[q.unit]
                before = text[max(s.start, q.start - 40) : q.start].lower()
                metric = base + "_target" if _TARGET_RX.search(before) else base
            if metric:
                known.setdefault(q.unit, metric.removesuffix("_target").removesuffix("_growth"))
            if q.written_rate:  # "traded at 10.31 to the dollar" (a ticker's "KGS/USD 0.011" is not)
                metric = "exchange_rate"
            if metric and not metric.endswith("_growth") and (
                    metric not in ("exchange_rate", "trade_balance") or q.written_rate):
                out.setdefault(s.index, []).append((q, metric))
    return out


_RATIFIED_RX = re.compile(r"\b(?:into (?:force|effect)|ratif\w+|took effect|takes effect)\b", re.I)
_TARGET_RX = re.compile(r"\b(?:target|goal|aim|objective)\b", re.I)


def quantity_frames(s: Sentence, parse: Any, mentions: list[Mention], dates: list[Any],
                    figures: list[tuple[Any, str]], ctx: DocContext) -> list[Frame]:
    if not figures:
        return []
    out = []
    mention_tokens = [(m, trigger_head(parse, m.start - s.start, m.end - s.start)) for m in mentions]
    all_figures = [q for q, _ in figures]
    for q, metric in figures:
        ti = trigger_head(parse, q.start - s.start, q.end - s.start)
        pi = predicate_of(parse, ti)
        chain, lenders = chain_and_lenders(parse, ti, pi)
        # a demonym is a party of a figure ("9,500 Chilean students", "Uzbek fruit exports")
        rms = [rm for rm in assign_roles(parse, chain, lenders, mention_tokens)
               if rm.mention.via == "demonym" or acts(parse, rm, ctx.text)]
        modality, cue = modality_of(parse, chain, lenders, ti)
        if metric.endswith("_target"):
            modality, cue = "planned", "target"
        elif _SPECULATIVE_FIGURE_RX.search(ctx.text[max(s.start, q.start - 80) : q.start]):
            modality, cue = "speculative", "expected"
        out.append(Frame(
            type="quantity", doc_text=ctx.text, sentence=s, trigger_start=q.start, trigger_end=q.end,
            trigger_text=q.text, parse=parse, trigger_token=ti, predicate_token=pi, roles=group_roles(rms),
            mentions=rms, dates=figure_dates(parse, s, dates, ti), quantities=all_figures, context=ctx,
            chain=chain, lenders=lenders, modality=modality, modality_cue=cue, quantity=q, metric=metric,
        ))
    return out


_SPECULATIVE_FIGURE_RX = re.compile(r"\b(?:expect\w*|forecast\w*|projected|estimated to|could|(?-i:may)|might|likely)\b", re.I)


_SCHEDULE_VERBS = {"meet", "travel", "visit", "arrive", "fly", "sign", "hold", "host", "open", "begin", "start",
                   "head", "leave", "join", "launch", "resume", "tour", "attend", "convene", "depart"}


def _scheduled_present(parse: Any, ti: int, pi: int, lenders: list[int], dates: list[Any]) -> bool:
    """"The two ministers meet in Tokyo on Friday", "the president travels to Beijing later
    this month": an event verb in the simple present with a date of its own is a schedule."""
    verb = parse[pi]
    if verb.tag_ not in ("VBZ", "VBP") or verb.lemma_.lower() not in _SCHEDULE_VERBS:
        return False
    if CHRONOLOGY_RX.match(parse.text):
        return False  # "1999 - Georgia joins the Council of Europe": a chronology's historical present
    if verb.dep_ not in ("ROOT", "conj") or not any(c.dep_ == "nsubj" for c in verb.children):
        return False  # "watched officials sign a deal": a bare infinitive, not a present tense
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    if verb.dep_ in ("relcl", "acl") or any(t.lower_ in ("every", "each", "annually", "usually", "regularly", "often")
                                           for t in verb.subtree):
        return False  # "whose members meet every December": a habit, not a schedule
    return any(d.value is not None and not d.vague for d in dates)


def _participle_event(ctype: ClaimType, parse: Any, ti: int) -> int | None:
    """A past participle on the trigger noun that is the event the type requires ("the
    agreement signed with Australia in December 2022"), if any."""
    if ctype.requires is None:
        return None
    for c in parse[ti].children:
        if c.dep_ == "acl" and c.tag_ == "VBN" and ctype.requires.search(c.text) \
                and not any(g.dep_ in ("aux", "auxpass") for g in c.children):
            return c.i
    return None


def _requirement_met(ctype: ClaimType, parse: Any, ti: int, chain: list[int], lenders: list[int]) -> bool:
    words = []
    for i in chain + lenders:
        tok = parse[i]
        words.append(tok.text)
        if i in lenders and tok.lemma_.lower() == "be" and any(c.dep_ in ("xcomp", "acomp") for c in tok.children):
            # "the first jets are to arrive in 2026": the subject of "be to" is the verb's own
            words.extend(c.text for c in tok.children if c.dep_ in ("nsubj", "nsubjpass"))
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "acl", "relcl", "prep", "dobj", "xcomp", "advcl"):
                words.append(c.text)
                if c.dep_ == "prep":  # "signed a contract ... for 180 tanks"
                    words.extend(g.text for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "conj" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                words.append(c.text)  # "signed and ratified"; not another clause with its own subject
    trig = parse[ti]
    sub = parse[trig.left_edge.i : trig.right_edge.i + 1].text
    return bool(ctype.requires.search(" ".join(words)) or ctype.requires.search(sub))


def _implied(s: Sentence, parse: Any, ti: int) -> bool:
    """An agreement that exists between named parties ("the swap agreements between X and
    Y") or follows an earlier one ("That was followed by a protocol") was concluded."""
    if FOLLOWED_RX.search(s.text):
        return True
    if _RATIFIED_RX.search(s.text):
        return False  # "the agreement between X and Y entered into force": that stage is the claim
    trig = parse[ti]
    if any(c.dep_ == "prep" and c.lower_ == "between" for c in trig.children):
        return True
    # "Among the texts exchanged by ministers were a memorandum on ..., an agreement on ...":
    # documents listed after a copula, under a noun that a signing participle describes
    x = trig
    while x.dep_ in ("conj", "appos") and x.head.pos_ in ("NOUN", "PROPN") and x.head.i != x.i:
        x = x.head
    if x.dep_ in ("attr", "appos", "nsubj") and x.head.lemma_ == "be":
        for c in x.head.children:
            nouns = [c] if c.dep_ in ("nsubj", "attr") else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else []
            if any(n.i != x.i and any(g.dep_ == "acl" and _SIGNED_RX.match(g.text) for g in n.children) for n in nouns):
                return True
    return False


_SIGNED_RX = re.compile(r"(?:sign|conclu|exchang|ink|adopt)\w*$", re.I)


_NOT_A_PARTY = re.compile(r"^[-–](?:brokered|backed|led|sponsored|mediated|funded|based|friendly|aligned|style)\b", re.I)


def acts(parse: Any, rm: RoleMention, text: str = "", trigger: int | None = None) -> bool:
    """A demonym makes its state a party only on an official noun, a weapon (origin), or
    the trigger itself: "Chilean students" are not Chile. A broker or backer ("the
    US-brokered accords") is not a party either."""
    if text and _NOT_A_PARTY.match(text[rm.mention.end : rm.mention.end + 12]):
        return False
    if rm.mention.role == "location" and rm.role in ("SUBJ", "LENT_SUBJ", "MOD"):
        return False  # "analysts in Lima expect ...": a place on someone else, not a party
    if text and ORIGIN_RX.match(text[rm.mention.end : rm.mention.end + 12]):
        return True  # "Chinese-made drones": the origin of the goods
    if rm.mention.via != "demonym":
        return True
    tok = parse[rm.token]
    head = tok.head
    while head.dep_ in ("amod", "compound") and tok.dep_ == "conj" and head.i != head.head.i:
        tok, head = head, head.head  # "Saudi and Iranian naval officers": Iranian shares Saudi's noun
    r = roles_data()
    if trigger is not None and tok.i < trigger:
        x = tok  # "the U.S.-Iranian talks", "the Sudanese-Chadian border talks"
        while x.dep_ in ("amod", "compound", "nmod") and x.head.i != trigger and x.head.pos_ in ("ADJ", "PROPN") \
                and x.head.i == x.i + 2 and parse[x.i + 1].text in ("-", "–"):
            x = x.head
        if x.head.i == trigger and x.dep_ in ("amod", "compound", "nmod"):
            return True
    if head.lower_ in r["official"] or head.lower_ in r["weapon"] or head.lower_ in r["target"]:
        return True
    if any(c.dep_ == "conj" and c.lower_ in r["official"] for c in tok.children):
        return True  # "between Kyrgyz and Tajik border forces" parsed as Kyrgyz + forces
    nxt = parse[tok.i + 1] if tok.i + 1 < len(parse) else None
    if nxt is not None and (nxt.lower_ in r["official"] or f"{nxt.lower_}" in r["weapon"]):
        return True
    return False


def absorb(frames: list[Frame]) -> list[Frame]:
    """Drop a frame whose trigger noun phrase holds the trigger of a type that absorbs it."""
    keep = []
    for f in frames:
        absorbed = False
        for g in frames:
            if g is f or f.type not in ABSORBS.get(g.type, ()):
                continue
            if g.trigger.dep_ == "poss":
                continue  # "the alliance's exercises": the possessor is an actor, not the event
            if g.type == "accession_membership" and (g.trigger.head.i == f.trigger_token or g.trigger.dep_ == "pobj"
                                                     and g.trigger.head.head.i == f.trigger_token):
                continue  # "signed its accession treaty", "the treaty of accession": a signing, not the accession
            np = f.trigger
            if (np.left_edge.i <= g.trigger_token <= np.right_edge.i and not _coordinated(f.parse, g.trigger_token, f.trigger_token)) \
                    or g.trigger_token in f.chain:
                absorbed = True
                break
            gnp = g.trigger
            if gnp.left_edge.i <= f.trigger_token <= gnp.right_edge.i and not _coordinated(f.parse, f.trigger_token, g.trigger_token):
                absorbed = True
                break
        if not absorbed:
            keep.append(f)
    return keep


def _coordinated(parse: Any, inner: int, outer: int) -> bool:
    """Is ``inner`` inside ``outer``'s phrase only as a coordinated item ("a protocol ...,
    as well as a strategic partnership"), i.e. another event, not a modifier of it?"""
    x = parse[inner]
    while x.i != outer and x.head.i != x.i:
        if x.dep_ == "conj":
            return True
        x = x.head
    return False
