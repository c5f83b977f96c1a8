"""What a document tells beyond one sentence while it is read: who is being talked about
(the running topic, the states and organisations named so far, the home state), the
reference tables the rules share, and the candidates collected for the decision stage."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..models import ActorRef, Claim, Mention
from .frame import (
    Frame,
    RoleMention,
)
from .sentences import Sentence

ORIGIN_RX = re.compile(r"^[-–](?:made|built|designed|produced|manufactured|supplied)\b", re.I)

BASE_CONFIDENCE = 0.8


_TWO_ADJ = r"two\ (?:(?!other\b|remaining\b|former\b|last\b|first\b|next\b|biggest\b|largest\b)[a-z]+\ )?"


@cache
def roles_data() -> dict[str, Any]:
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "roles.yaml").read_text("utf-8"))
    return {
        "official": {w.lower() for w in data["official_nouns"]},
        "weapon": {w.lower() for w in data["weapon_nouns"]},
        "target": {w.lower() for w in data.get("target_nouns", [])},
        "guest_titles": {w.lower() for w in data.get("guest_title_words", [])},
        "anaphors": [a.lower() for a in data["anaphors"]],
        # "the two brotherly countries": one adjective may come between (not "the two other")
        "pair_rx": re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"two\ ", _TWO_ADJ) for p in data["pair_anaphors"])
                              + r")\b", re.I),
        "anaphor_rx": re.compile(r"\b(?:it|its|(?:the|this|that) (?:country|state|nation|republic))\b", re.I),
    }


@dataclass
class DocContext:
    """What the discourse so far tells about who is being talked about."""

    text: str
    sentences: list[Sentence]
    state_mentions: list[Mention]  # named states in text order (for "the two countries")
    topics: list[tuple[int, int, ActorRef]] = field(default_factory=list)  # (offset, paragraph, actor)
    org_mentions: list[Mention] = field(default_factory=list)
    person_mentions: list[Mention] = field(default_factory=list)
    list_frame: dict[str, Any] | None = None
    recent: list[tuple[int, Claim]] = field(default_factory=list)  # (sentence index, claim)
    simple_past: set[int] = field(default_factory=set)  # ids of claims told in the simple past
    present_perfect: set[int] = field(default_factory=set)  # ... in the present perfect ("has joined")
    dates_by_sentence: dict[int, list[Any]] = field(default_factory=dict)  # DateMentions per sentence index
    starts: list[int] = field(default_factory=list)  # sentence start offsets, for sentence_at
    # what the decision stage reads: parses and mentions by sentence, quotes, and for every
    # candidate claim the frame it came from
    parses: dict[int, Any] = field(default_factory=dict)
    mentions_by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    frames_of: dict[int, Frame] = field(default_factory=dict)  # id(claim) -> frame
    generated: list[tuple[Claim, Frame]] = field(default_factory=list)  # the pair generator's candidates
    collect_candidates: bool = False  # generate candidates even without a model (training)
    origins: dict[int, str] = field(default_factory=dict)  # id(claim) -> where a context party came from
    typed: dict[int, dict[str, float]] = field(default_factory=dict)  # sentence index -> typer's probabilities
    pseudo_triggers: dict[str, dict[str, float]] | None = None  # the learned lexicon (decide.triggers)

    def __post_init__(self) -> None:
        self.starts = [x.start for x in self.sentences]
        self._index()

    def _index(self) -> None:
        """Prefix indexes over the named states and organisations, so that every question
        about "before this offset" costs a bisection, not a scan of the document."""
        self.state_mentions.sort(key=lambda m: m.start)
        self.org_mentions.sort(key=lambda m: m.start)
        self._state_starts = [m.start for m in self.state_mentions]
        self._org_starts = [m.start for m in self.org_mentions]
        self.person_mentions.sort(key=lambda m: m.start)
        self._person_starts = [m.start for m in self.person_mentions]
        # home[i]: the state named most often among the first i (3 times at least, no tie)
        self._home: list[ActorRef | None] = [None]
        self._state_offsets: dict[str, list[int]] = {}  # per state, where it is named
        counts: dict[str, int] = {}
        top, at_top, leader = 0, 0, None
        for m in self.state_mentions:
            self._state_offsets.setdefault(m.actor.id, []).append(m.start)
            n = counts[m.actor.id] = counts.get(m.actor.id, 0) + 1
            if n > top:
                top, at_top, leader = n, 1, m.actor
            elif n == top:
                at_top += 1
            self._home.append(leader if top >= 3 and at_top == 1 else None)
        # main_org[i]: the organisation named most often among the first i, the latest on a tie
        self._main_org: list[ActorRef | None] = [None]
        org_counts: dict[str, int] = {}
        best = 0
        current: ActorRef | None = None
        for m in self.org_mentions:
            n = org_counts[m.actor.id] = org_counts.get(m.actor.id, 0) + 1
            if n >= best:  # the latest mention wins a tie
                best, current = n, m.actor
            self._main_org.append(current)
        self._paragraph_start: dict[int, int] = {}
        for x in self.sentences:
            self._paragraph_start.setdefault(x.paragraph, x.start)

    def state_named_before(self, offset: int) -> Mention | None:
        """The last named state before ``offset``."""
        k = bisect_left(self._state_starts, offset) - 1
        return self.state_mentions[k] if k >= 0 else None

    def people_before(self, offset: int) -> Iterator[Mention]:
        """The officials named before ``offset``, the latest first."""
        for k in range(bisect_left(self._person_starts, offset) - 1, -1, -1):
            yield self.person_mentions[k]

    def first_named_from(self, actor: str, offset: int) -> int | None:
        """Where the state ``actor`` is first named at or after ``offset``, if it is."""
        offs = self._state_offsets.get(actor, [])
        k = bisect_left(offs, offset)
        return offs[k] if k < len(offs) else None

    def paragraph_start(self, paragraph: int) -> int:
        return self._paragraph_start.get(paragraph, 0)

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence at ``offset`` (the last one starting at or before it)."""
        k = bisect_right(self.starts, offset) - 1
        return self.sentences[k].index if k >= 0 else -1

    def topic_for(self, f: Frame, exclude: set[str] | frozenset[str] = frozenset(), *,
                  finite_only: bool = True) -> ActorRef | None:
        """The actor a subjectless clause is about: the last topic in this or the previous
        paragraph, before the trigger (other than the clause's own counterparts)."""
        if finite_only and not _finite(f):
            return None  # "a barrier to joining the accords": no one in particular joins
        for off, para, actor in reversed(self.topics):
            if f.sentence.paragraph - para > 1:
                break  # topics are in text order: the rest are further back
            if off < f.trigger_start and actor.id not in exclude:
                return actor
        return None

    def org_before(self, offset: int, window: int = 3) -> ActorRef | None:
        """The organisation or accord named last, within a few sentences before ``offset``."""
        k = bisect_left(self._org_starts, offset) - 1
        if k < 0:
            return None
        m = self.org_mentions[k]
        return m.actor if self.sentence_at(offset) - self.sentence_at(m.start) <= window else None

    def home_state(self, offset: int) -> ActorRef | None:
        """The state named most often before ``offset`` (three times at least, and more than
        any other): the one a document is written from or about."""
        return self._home[bisect_left(self._state_starts, offset)]

    def main_org_before(self, offset: int) -> ActorRef | None:
        """The organisation named most often before ``offset`` (the latest on a tie): the
        one an article about an organisation is about, whatever else it names in between."""
        return self._main_org[bisect_left(self._org_starts, offset)]

    def states_before(self, offset: int, n: int) -> list[ActorRef]:
        """The last ``n`` distinct states named before ``offset``, in text order."""
        seen: list[ActorRef] = []
        for k in range(bisect_left(self._state_starts, offset) - 1, -1, -1):
            m = self.state_mentions[k]
            if all(a.id != m.actor.id for a in seen):
                seen.append(m.actor)
            if len(seen) == n:
                return list(reversed(seen))
        return []

    def pair_before(self, offset: int) -> tuple[ActorRef, ActorRef] | None:
        """The last two distinct states named before ``offset`` (for "the two countries")."""
        two = self.states_before(offset, 2)
        return (two[0], two[1]) if len(two) == 2 else None

    def is_weapon_origin(self, f: Frame, rm: RoleMention) -> bool:
        if ORIGIN_RX.match(self.text[rm.mention.end : rm.mention.end + 12]):
            return True
        tok = f.parse[rm.token]
        head = tok.head
        return tok.dep_ in ("amod", "compound", "nmod", "poss") and head.lower_ in roles_data()["weapon"]


def _finite(f: Frame) -> bool:
    """Is the trigger's clause a finite one (a tensed verb, or a verb with an auxiliary)?
    Gerunds and infinitives under a preposition or a noun speak of no one in particular."""
    for i in [f.predicate_token, *f.lenders]:
        tok = f.parse[i]
        if tok.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in tok.children):
            return True
        if tok.dep_ in ("pcomp", "acl") or tok.tag_ == "VBG" and tok.dep_ not in ("ROOT", "conj", "advcl", "csubj"):
            return False
    return f.predicate.tag_ in ("VBD", "VBZ", "VBP")
