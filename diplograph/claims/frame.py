"""A Frame: everything a claim extractor needs to know about one trigger in one sentence.

The frame finds the trigger's governing predicate in the dependency parse, sorts the
sentence's actor mentions into roles by how they attach to it (SUBJ, OBJ, WITH, TO, IN,
FROM, OF, MOD, or OUT for another clause), and carries the sentence's dates, the modality
of the trigger's clause and its attribution. Extractors only decide who did what to whom."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..models import ActorRef, Mention
from .sentences import Sentence

# Roles a mention can take relative to a trigger.
SUBJ, OBJ, WITH, TO, IN, FROM, OF, MOD, FOR, OTHER, OUT = (
    "SUBJ", "OBJ", "WITH", "TO", "IN", "FROM", "OF", "MOD", "FOR", "OTHER", "OUT",
)

_PREP_ROLE = {
    "with": WITH, "between": WITH, "among": WITH, "alongside": WITH, "and": WITH, "amongst": WITH,
    "to": TO, "into": TO, "toward": TO, "towards": TO, "onto": TO,
    "in": IN, "at": IN, "inside": IN, "within": IN, "across": IN,
    "from": FROM, "of": OF, "by": SUBJ, "for": FOR, "against": "ON", "on": "ON", "over": "ON",
}
_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_OBJ_DEPS = {"dobj", "attr", "dative", "oprd", "obj", "iobj"}
_MOD_DEPS = {"poss", "compound", "amod", "nmod", "npadvmod", "nummod", "det", "case"}
_CLAUSE_DEPS = {"advcl", "ccomp", "relcl", "acl", "parataxis", "csubj"}
_VERBAL = {"VERB", "AUX"}


@dataclass
class RoleMention:
    """A mention with its role relative to the trigger and the token it heads."""

    mention: Mention
    role: str
    token: int

    @property
    def actor(self) -> ActorRef:
        return self.mention.actor


@dataclass
class Frame:
    """One trigger of one claim type in one sentence, with its parse and roles."""

    type: str
    doc_text: str
    sentence: Sentence
    trigger_start: int  # offsets into the document
    trigger_end: int
    trigger_text: str
    parse: Any  # spaCy Doc of the sentence
    trigger_token: int
    predicate_token: int
    roles: dict[str, list[RoleMention]] = field(default_factory=dict)
    mentions: list[RoleMention] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)  # DateMentions inside the sentence
    quantities: list[Any] = field(default_factory=list)
    context: Any = None  # DocContext: topic subject, last pair, list frames
    chain: list[int] = field(default_factory=list)  # trigger .. predicate token indices
    lenders: list[int] = field(default_factory=list)  # verbs/nouns lending a subject
    modality: str = "asserted"
    modality_cue: str | None = None
    quantity: Any = None  # the QuantityMention a quantity frame is about
    metric: str | None = None
    attributed_to: str | None = None
    pseudo: bool = False  # a frame the sentence typer asked for: its trigger is the main verb

    def actors(self, *roles: str, kinds: tuple[str, ...] = ()) -> list[ActorRef]:
        """Distinct actors in these roles (in text order), optionally of these kinds."""
        seen: dict[str, ActorRef] = {}
        for rm in sorted((rm for r in roles for rm in self.roles.get(r, [])), key=lambda x: x.mention.start):
            if kinds and rm.actor.kind not in kinds:
                continue
            seen.setdefault(rm.actor.id, rm.actor)
        return list(seen.values())

    def own_mods(self, kinds: tuple[str, ...] = ()) -> list[ActorRef]:
        """Actors modifying the trigger noun itself: "Russia's invasion", "the U.S.-Iranian
        talks", "Israel's embassy" (not the subject of the clause around it)."""
        out: dict[str, ActorRef] = {}
        for rm in sorted(self.mentions, key=lambda x: x.mention.start):
            tok = self.parse[rm.token]
            if rm.token == self.trigger_token and rm.mention.start < self.trigger_start:
                # a title mention that takes in the trigger noun: "the Saudi embassy"
                if not kinds or rm.actor.kind in kinds:
                    out.setdefault(rm.actor.id, rm.actor)
                continue
            x = tok
            while x.dep_ in ("conj", "compound", "amod", "poss", "nmod", "appos", "cc", "punct") and x.head.i != x.i and x.head.i != self.trigger_token:
                x = x.head
            if x.head.i == self.trigger_token and x.dep_ in ("poss", "compound", "amod", "nmod") and x.i < self.trigger_token:
                if not kinds or rm.actor.kind in kinds:
                    out.setdefault(rm.actor.id, rm.actor)
        return list(out.values())

    def role_of_actor(self, actor_id: str) -> set[str]:
        return {rm.role for rm in self.mentions if rm.actor.id == actor_id}

    @property
    def predicate(self) -> Any:
        return self.parse[self.predicate_token]

    @property
    def trigger(self) -> Any:
        return self.parse[self.trigger_token]

    def clause_text(self) -> str:
        """The words of the predicate's own clause (its subtree without coordinated or
        subordinate clauses), for subtype and cue checks."""
        pred = self.predicate
        skip: set[int] = set()
        for c in pred.children:
            if c.dep_ in ("conj", "advcl", "ccomp", "parataxis", "relcl") and not (
                c.left_edge.i <= self.trigger_token <= c.right_edge.i
            ):
                skip.update(range(c.left_edge.i, c.right_edge.i + 1))
        return " ".join(t.text for t in pred.subtree if t.i not in skip)


class Columns:
    """A parse's token attributes as plain lists, read once per parse: a spaCy ``Token`` is
    made anew at every ``parse[i]``, ``token.head`` or iteration, and the loops over a
    sentence's words run for every frame and candidate."""

    __slots__ = ("_children", "dep", "ends", "head", "lemma", "lower", "pos", "punct", "starts", "text")

    def __init__(self, parse: Any) -> None:
        self.starts: list[int] = []  # sentence-relative character offsets
        self.ends: list[int] = []
        self.text: list[str] = []
        self.lower: list[str] = []
        self.lemma: list[str] = []  # lower case
        self.punct: list[bool] = []
        self.dep: list[str] = []
        self.pos: list[str] = []
        self.head: list[int] = []
        self._children: list[list[int]] | None = None
        for t in parse:
            self.starts.append(t.idx)
            self.ends.append(t.idx + len(t.text))
            self.text.append(t.text)
            self.lower.append(t.lower_)
            self.lemma.append(t.lemma_.lower())
            self.punct.append(t.is_punct)
            self.dep.append(t.dep_)
            self.pos.append(t.pos_)
            self.head.append(t.head.i)

    @property
    def children(self) -> list[list[int]]:
        """Each token's children in the order of ``token.children`` (left to right)."""
        if self._children is None:
            self._children = [[] for _ in self.head]
            for j, h in enumerate(self.head):
                if h != j:
                    self._children[h].append(j)
        return self._children

    def ancestors(self, i: int) -> list[int]:
        """``token.ancestors``: the head, its head, ... up to the root."""
        out = []
        heads = self.head
        while heads[i] != i and len(out) < len(heads):
            i = heads[i]
            out.append(i)
        return out


def columns(parse: Any) -> Columns:
    """The parse's ``Columns``, kept with it."""
    cached = parse.user_data.get("diplograph_columns")
    if cached is None:
        cached = parse.user_data["diplograph_columns"] = Columns(parse)
    return cached


def subtree_of(parse: Any, i: int) -> frozenset[int]:
    """The tokens of ``parse[i].subtree`` (as a set: spaCy's order is not kept), from the
    heads' list, kept with the parse."""
    memo = parse.user_data.setdefault("diplograph_subtrees", {})
    found = memo.get(i)
    if found is None:
        heads = columns(parse).head
        inside = {i}
        for j in range(len(heads)):
            path = []
            x = j
            while x not in inside and heads[x] != x:
                path.append(x)
                x = heads[x]
            if x in inside:
                inside.update(path)
        found = memo[i] = frozenset(inside)
    return found


def _offsets(parse: Any) -> tuple[list[int], list[int]]:
    """Token start and end offsets of a parse, computed once per parse (the lookups below
    are then logarithmic, so long sentences stay linear)."""
    cols = columns(parse)
    return cols.starts, cols.ends


def token_at(parse: Any, char: int) -> int:
    """Index of the token covering sentence-relative ``char`` (or the nearest before it)."""
    starts, _ = _offsets(parse)
    return max(0, bisect_right(starts, char) - 1)


def trigger_head(parse: Any, start: int, end: int) -> int:
    """The syntactic head of the tokens in [start, end) (sentence-relative chars); each
    span's answer is kept with the parse (the same mentions are asked for by every frame)."""
    memo = parse.user_data.setdefault("diplograph_heads", {})
    head = memo.get((start, end))
    if head is None:
        head = memo[(start, end)] = _head_of(parse, start, end)
    return head


def _head_of(parse: Any, start: int, end: int) -> int:
    cols = columns(parse)
    lo = bisect_right(cols.ends, start)  # first token ending after start
    hi = bisect_left(cols.starts, end)  # tokens starting before end
    if lo >= hi:
        return token_at(parse, start)
    heads = cols.head
    for i in range(lo, hi):
        if not lo <= heads[i] < hi or heads[i] == i:
            return i
    return hi - 1


def predicate_of(parse: Any, i: int) -> int:
    """Walk from the trigger up to the verb that governs it (or the root)."""
    tok = parse[i]
    while tok.pos_ not in _VERBAL and tok.head.i != tok.i:
        if tok.dep_ in _CLAUSE_DEPS and tok.pos_ in _VERBAL:
            break
        tok = tok.head
    return tok.i


def chain_and_lenders(parse: Any, trigger: int, predicate: int) -> tuple[list[int], list[int]]:
    """The chain of tokens from the trigger up to its predicate, and the words above the
    predicate that may lend it a subject: "plans to sign", "signed A, and B was signed",
    "Israel's decision to open an embassy"."""
    chain: list[int] = []
    tok = parse[trigger]
    while True:
        chain.append(tok.i)
        if tok.i == predicate or tok.head.i == tok.i:
            break
        tok = tok.head
    lenders: list[int] = []
    tok = parse[predicate]
    if tok.pos_ in _VERBAL and any(c.dep_ == "nsubj" for c in tok.children) and (
            tok.dep_ == "conj" or tok.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("while", "whereas", "although", "though") for c in tok.children)):
        return chain, lenders  # "X reopened its embassy, and Y's embassy resumed work" ("..., while Y
        # opened its mission"): a clause of its own ("a matter of time before Y forms" is not)
    while tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "ccomp", "acl", "relcl", "csubj") and tok.head.i != tok.i:
        via = tok.dep_
        tok = tok.head
        lenders.append(tok.i)
        if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod") and tok.head.pos_ in _VERBAL:
            tok = tok.head  # "Modi is due to travel", "X is set to sign": the verb's subject
            lenders.append(tok.i)
        if via == "pcomp" and tok.lower_ == "of" and tok.head.pos_ == "NOUN" and tok.head.i != tok.i:
            # "explored the possibility of opening an embassy", "the prospect of joining": the
            # noun the preposition hangs from reads the event (and may lend its verb's subject)
            tok = tok.head
            lenders.append(tok.i)
            via = "acl"
        if tok.pos_ not in _VERBAL:
            # a noun ("decision to open"): its possessor is the actor; with none, the verb
            # it is the object of ("Hungary denied plans to deliver", "X is in talks to buy")
            noun = tok
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
                noun = noun.head
            if via != "acl" or any(c.dep_ == "poss" for c in tok.children) or noun.dep_ not in ("dobj", "prep") \
                    or noun.head.pos_ not in _VERBAL:
                break
            tok = noun.head
            lenders.append(tok.i)
            if any(c.dep_ in _SUBJ_DEPS for c in tok.children):
                break
        if any(c.dep_ in _SUBJ_DEPS for c in tok.children):
            break
    return chain, lenders


def assign_roles(parse: Any, chain: list[int], lenders: list[int],
                 mentions: list[tuple[Mention, int]]) -> list[RoleMention]:
    """Give each mention (with the sentence-relative token it heads) a role by the path
    from its token up to the trigger's chain."""
    chain_set = set(chain)
    # chain nouns reached through a preposition ("the approval OF the participation")
    beyond_prep: set[int] = set()
    crossed = False
    for i in chain:
        if crossed and parse[i].pos_ not in _VERBAL:
            beyond_prep.add(i)
        if parse[i].dep_ == "pobj":
            crossed = True
    lenders = _may_lend(parse, chain, lenders, {ti for _, ti in mentions})
    out: list[RoleMention] = []
    voiced: list[tuple[int, str, int]] = []  # subjects: (index in out, dependency, the verb)
    for mention, ti in mentions:
        path: list[Any] = []
        x = parse[ti]
        while x.i not in chain_set and x.head.i != x.i:
            path.append(x)
            x = x.head
        if x.i not in chain_set:
            role = OUT
            head_of_list = parse[ti]
            while head_of_list.dep_ in ("conj", "appos") and head_of_list.head.i != head_of_list.i:
                head_of_list = head_of_list.head  # "Mali, Burkina Faso and Niger, which formed ..."
            for lend in lenders:
                if (ti == lend or head_of_list.i == lend) and parse[lend].pos_ not in _VERBAL:
                    role = "LENT_SUBJ"  # "Japarov, who arrived in ...": the relative clause's antecedent
                    break
                if _lent_subject(parse, ti, lend):
                    role = "LENT_SUBJ"
                    break
            out.append(RoleMention(mention, role, ti))
            continue
        if not path:
            out.append(RoleMention(mention, MOD, ti))
            continue
        role = _role_for(path[-1], parse[x.i], path)
        if role != SUBJ and _subject_misparsed_into_opener(path, parse[x.i]):
            role = SUBJ
        if role == MOD and x.i in beyond_prep:
            role = OUT  # "Tehran's approval of X's participation": Tehran is not a party
        if role in (OBJ, MOD) and mention.role == "location" and len(path) >= 2:
            role = IN  # "resumed their dialogue in Seoul": a place inside the object's phrase
        out.append(RoleMention(mention, role, ti))
        if role == SUBJ:
            voiced.append((len(out) - 1, path[-1].dep_, x.i))
    # a passive with its agent named: the agent acts, the passive subject undergoes ("Kosovo
    # was recognised by Poland", "Ukraine was invaded by Russia"); with no agent the passive
    # subject stays the subject ("Serbia was admitted to the UN")
    agents = {at for _, dep, at in voiced if dep == "agent"}
    for k, dep, at in voiced:
        if dep == "nsubjpass" and at in agents:
            out[k] = RoleMention(out[k].mention, OBJ, out[k].token)
    return out


def _may_lend(parse: Any, chain: list[int], lenders: list[int], actor_tokens: set[int]) -> list[int]:
    """The lenders whose subject the trigger's clause may take: none beyond a clause whose
    own subject is an actor ("Ukraine said Russia had supplied drones to Mali": the supplier
    is Russia, not the speaker). A pronoun ("India said it would send troops") or the event
    itself ("said the visit would take place") still lets the speaker lend."""
    chain_set = set(chain)
    below = parse[chain[-1]]
    for k, lend in enumerate(lenders):
        if below.pos_ in _VERBAL and any(c.dep_ in ("nsubj", "nsubjpass") and c.i not in chain_set
                                         and c.i in actor_tokens for c in below.children):
            return lenders[:k]
        below = parse[lend]
    return lenders


def _subject_misparsed_into_opener(path: list[Any], verb: Any) -> bool:
    """"At the invitation of A, B paid a state visit to ...": the parser often hangs the
    subject B on the opener as a conjunct of A, leaving the verb without a subject. The
    conjunct whose phrase ends right before the verb is the subject."""
    if verb.pos_ not in _VERBAL or any(c.dep_ in _SUBJ_DEPS for c in verb.children):
        return False
    if path[-1].dep_ != "prep" or path[-1].head.i != verb.i or path[-1].i > verb.i:
        return False
    for tok in path:
        if tok.dep_ in ("conj", "appos"):  # "..., the Indonesian president X paid"
            end = tok.right_edge.i
            if end + 1 == verb.i or end + 2 == verb.i and tok.doc[end + 1].pos_ == "PUNCT":
                return True
    return False


def _lent_subject(parse: Any, ti: int, lender: int) -> bool:
    """Is token ``ti`` the subject of a lending verb, or the possessor/modifier of a lending noun?"""
    x = parse[ti]
    path = []
    while x.i != lender and x.head.i != x.i:
        path.append(x)
        x = x.head
    if x.i != lender or not path:
        return False
    dep = path[-1].dep_
    if parse[lender].pos_ in _VERBAL:
        return dep in _SUBJ_DEPS or dep == "agent"
    return dep in ("poss", "amod", "compound", "nmod")


def _role_for(child: Any, attach: Any, path: list[Any]) -> str:
    dep = child.dep_
    if any(p.dep_ in _CLAUSE_DEPS for p in path[:-1]) and dep not in ("prep",):
        return OUT
    if dep == "prep" and any(p.dep_ in _CLAUSE_DEPS for p in path[:-2]):
        return OUT  # "to South Korea, where he is expected to meet Xi": Xi is in another clause
    if dep == "prep" and child.lower_ in ("on", "back", "off", "over") and len(path) >= 3 \
            and path[-2].dep_ == "prep" and path[-2].head.i == child.i:
        return _PREP_ROLE.get(path[-2].lower_, OTHER)  # "fly on to Tokyo", "headed back to Kyiv"
    if dep in _SUBJ_DEPS:
        return SUBJ if attach.pos_ in _VERBAL else MOD
    if dep == "agent":
        return SUBJ
    if dep in _OBJ_DEPS:
        return OBJ
    if dep == "prep":
        # "in December and with Y": the coordinated preposition is the mention's own
        if len(path) >= 2 and path[-2].dep_ == "conj" and path[-2].pos_ == "ADP":
            return _PREP_ROLE.get(path[-2].lower_, OTHER)
        # "and in 2022 with Chad": a preposition hung on a time phrase is the mention's own
        if len(path) >= 3 and path[-2].dep_ == "prep" and path[-2].head.i == child.i \
                and any(c.dep_ == "pobj" and (c.like_num or c.ent_type_ == "DATE") for c in child.children):
            return _PREP_ROLE.get(path[-2].lower_, OTHER)
        return _PREP_ROLE.get(child.lower_, OTHER)
    if dep in _MOD_DEPS or dep == "appos":
        return MOD
    if dep == "conj" and child.pos_ == "ADP":
        return _PREP_ROLE.get(child.lower_, OTHER)  # "in Tallinn the same year and in Riga in 2024"
    if dep in ("conj", "cc"):
        return WITH if attach.pos_ not in _VERBAL else OTHER
    if dep in _CLAUSE_DEPS or dep in ("xcomp", "pcomp"):
        return OUT
    return OTHER


def group_roles(rms: list[RoleMention]) -> dict[str, list[RoleMention]]:
    roles: dict[str, list[RoleMention]] = defaultdict(list)
    for rm in rms:
        roles[rm.role].append(rm)
    return dict(roles)
