"""Mentions that a sentence makes without naming an actor, where the resolver gave none:
"the two countries" (the last pair of states, or the states of the last two officials),
"the three countries" (the last three states), "he"/"she" as a subject (the official named
last), "the alliance's" (the organisation named last), and "it", "its", "the country" (the
subject of the clause, else the running topic)."""

from __future__ import annotations

import re
from typing import Any

from ..models import ActorRef, Mention
from .context import DocContext, roles_data
from .frame import columns
from .sentences import Sentence

_NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "3": 3, "4": 4, "5": 5, "6": 6}
GROUP_RX = re.compile(r"\b(?:(?:all )?(?:the|these|those) (?P<n>three|four|five|six) (?:countries|states|nations|capitals|governments|juntas|neighbours|neighbors|members|republics)|all (?P<n2>three|four|five|six)\b(?! of))", re.I)
_PEOPLE_PAIR_RX = re.compile(r"\b(?:leaders|presidents|ministers|heads of state)\b", re.I)


def back_references(s: Sentence, parse: Any, mentions: list[Mention], ctx: DocContext) -> list[Mention]:
    """Mentions for "the two countries" (the last pair of states) and for "it"/"the
    country" in subject or possessive position (the topic), where the resolver gave none."""
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in GROUP_RX.finditer(s.text):
        # "the three countries", "all three", "the three capitals": the last N states named
        a, b = s.start + m.start(), s.start + m.end()
        if not free(a, b):
            continue
        n = _NUMBERS[(m.group("n") or m.group("n2")).lower()]
        for actor in ctx.states_before(a, n):
            out.append(Mention(a, b, m.group(0), actor, 0.6, "coref", "group"))
            taken.append((a, b))
    for m in roles_data()["pair_rx"].finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if not free(a, b):
            continue
        pair = ctx.pair_before(a)
        if _PEOPLE_PAIR_RX.search(m.group(0)):
            # "the two presidents": the states of the last two officials named, not of a
            # country named since ("is due to leave for Singapore")
            people: list[ActorRef] = []
            for pm in ctx.people_before(a):
                if pm.actor.kind == "state" and all(x.id != pm.actor.id for x in people):
                    people.append(pm.actor)
                if len(people) == 2:
                    pair = (people[1], people[0])
                    break
        if pair:
            for actor in pair:
                out.append(Mention(a, b, m.group(0), actor, 0.7, "coref", "pair"))
    words = columns(parse).lower  # the loops below read only the tokens of a few words
    for tok in (parse[i] for i, w in enumerate(words) if w in ("he", "she")):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            # "He visited Malaysia in January": the official named last, acting for their state
            a = s.start + tok.idx
            person = next(ctx.people_before(a), None)
            if person is not None and s.index - ctx.sentence_at(person.start) > 3:
                person = None
            if person is not None and free(a, a + len(tok.text)):
                out.append(Mention(a, a + len(tok.text), tok.text, person.actor, 0.5, "coref", "person"))
            continue
    for tok in (parse[i] for i, w in enumerate(words) if w in ("alliance", "bloc")):
        if tok.dep_ == "poss" and any(c.lower_ == "the" for c in tok.children):
            # "the alliance's exercises": the organisation named last
            a = s.start + next(c.idx for c in tok.children if c.lower_ == "the")
            b = s.start + tok.idx + len(tok.text)
            head = tok.head  # not "the alliance's Partnership for Peace programme", a body of its own
            lo, hi = s.start + head.left_edge.idx, s.start + head.right_edge.idx + len(head.right_edge.text)
            own = any(lo <= m.start < hi and m.actor.kind in ("organisation", "accord") for m in mentions)
            org = ctx.org_before(a, window=15)
            if org is not None and org.kind == "organisation" and not own and free(a, b):
                out.append(Mention(a, b, ctx.text[a:b], org, 0.6, "coref", "organisation"))
    for tok in (parse[i] for i, w in enumerate(words) if w in _TOPIC_WORDS):
        low = tok.lower_
        is_np = low in ("country", "state", "nation", "republic") and any(
            c.lower_ in ("the", "this", "that") and c.dep_ == "det" for c in tok.children)
        pronoun = (low == "it" and tok.dep_ in ("nsubj", "nsubjpass")
                   and tok.head.lemma_ not in ("be", "seem", "appear", "remain", "take", "follow")) or (
            low == "its" and tok.dep_ == "poss")
        if not (is_np or pronoun):
            continue
        a = s.start + tok.idx
        b = a + len(tok.text)
        if is_np:
            a = s.start + next(c.idx for c in tok.children if c.lower_ in ("the", "this", "that"))
        if not free(a, b):
            continue
        topic = _subject_state(tok, s, mentions) if low == "its" else None
        topic = topic or _topic_at(ctx, s, a)
        if topic is not None:
            out.append(Mention(a, b, ctx.text[a:b], topic, 0.6, "coref", "topic"))
    return out


_TOPIC_WORDS = frozenset(("country", "state", "nation", "republic", "it", "its"))  # "the country", "it", "its"


def _subject_state(tok: Any, s: Sentence, mentions: list[Mention]) -> ActorRef | None:
    """The state that is the subject of the clause around a possessive "its": "Brazil
    informed Peru of its decision" (its = Brazil, not the state named last)."""
    x = tok
    for _ in range(8):
        if x.pos_ in ("VERB", "AUX"):
            for c in x.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    a, b = s.start + c.left_edge.idx, s.start + c.idx + len(c.text)
                    m = next((m for m in mentions if a <= m.start < b + 1 and m.actor.kind == "state"), None)
                    return m.actor if m is not None else None
            if x.dep_ != "conj" or x.head.i == x.i:
                return None
            # "Honduras established relations with China and cut its ties with Taiwan"
        x = x.head
    return None


def _topic_at(ctx: DocContext, s: Sentence, offset: int) -> ActorRef | None:
    # within the sentence: the last named state before the pronoun ("As for X, it has...")
    last = ctx.state_named_before(offset)
    if last is not None and last.start >= s.start:
        return last.actor
    for off, para, actor in reversed(ctx.topics):
        if s.paragraph - para > 1:
            break
        if off < offset:
            return actor
    return None
