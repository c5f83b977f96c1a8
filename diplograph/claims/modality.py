"""Modality of a claim from the words that govern its trigger.

Precedence: negated > speculative > planned > asserted. A claim is never stored as
asserted when a cue says otherwise: when in doubt we prefer the weaker modality, since a
speculation stored as a fact is the costliest mistake."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def cues() -> dict[str, Any]:
    data = yaml.safe_load((resources.files("diplograph") / "data" / "en" / "modality.yaml").read_text("utf-8"))
    flags = re.IGNORECASE
    return {
        "neg_words": set(data["negation_words"]),
        "neg_phrases": [re.compile(p, flags) for p in data["negation_phrases"]],
        "neg_lemmas": set(data.get("negation_lemmas", [])),
        "spec_modals": set(data["speculative_modals"]),
        "spec_words": set(data["speculative_words"]),
        "spec_lemmas": set(data.get("speculative_lemmas", [])),
        "spec_phrases": [re.compile(p, flags) for p in data["speculative_phrases"]],
        "plan_modals": set(data["planned_modals"]),
        "plan_phrases": [re.compile(p, flags) for p in data["planned_phrases"]],
    }


def clause_tokens(parse: Any, chain: list[int], lenders: list[int]) -> list[Any]:
    """The tokens whose words qualify the trigger: the chain from trigger to predicate, the
    verbs lending it a subject, and their auxiliaries, negations, adverbs and markers."""
    out = []
    for i in chain + lenders:
        tok = parse[i]
        out.append(tok)
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass", "neg", "advmod", "mark", "det", "amod", "acomp", "prt", "preconj"):
                out.append(c)
                if c.dep_ in ("aux", "auxpass"):
                    out.extend(g for g in c.children if g.dep_ in ("neg", "advmod"))
    return out


# A nominal trigger that is the subject of a verb that is not itself the event ("Kazakhstan's
# accession did not come as a surprise") is presupposed: that verb's words do not qualify it.
EVENT_VERBS = {"sign", "conclude", "take", "happen", "occur", "enter", "come", "follow", "begin", "start",
               "proceed", "go", "collapse", "fail", "stall", "resume", "end", "open", "close", "hold"}


def governing(parse: Any, chain: list[int], lenders: list[int]) -> tuple[list[int], list[int], list[Any]]:
    """The part of the chain whose words qualify the trigger, and the modal auxiliaries of
    a verb cut off from it: "an alliance between X and Y would be of immense importance"
    stays speculative even though "be" is not the event."""
    trig = parse[chain[0]]
    if len(chain) > 1 and trig.pos_ in ("NOUN", "PROPN") and trig.head.lemma_.lower() not in _WANTING:
        acl = next((c for c in trig.children if c.dep_ == "acl" and c.tag_ == "VBN"
                    and c.lemma_.lower() in _DOCUMENT_EVENTS), None)
        if acl is not None:
            # "never ratified the agreement signed with Australia in 2022": the participle is
            # the signing, whatever the verb that governs the noun
            return [chain[0], acl.i], [], []
    for k, i in enumerate(chain):
        if parse[i].pos_ in ("VERB", "AUX") and _relative(parse[i]):
            # "Asked whether X would join O, of which Y became a member in January": a
            # relative clause states its own fact, whatever governs its antecedent
            return chain[: k + 1], [], []
    for k, i in enumerate(chain[:-1]):
        tok = parse[i]
        head = tok.head
        if tok.dep_ in ("nsubj",) and head.i == chain[k + 1] and head.pos_ in ("VERB", "AUX") \
                and head.lemma_.lower() not in EVENT_VERBS:
            modals = [c for c in head.children if c.dep_ == "aux" and c.tag_ == "MD"]
            return chain[: k + 1], [], modals
    return chain, lenders, []


_DOCUMENT_EVENTS = {"sign", "conclude", "ink", "seal"}
# "wants the agreement signed in 2025": the participle is the wish, not a past signing
_WANTING = {"want", "need", "expect", "hope", "wish", "like", "prefer", "get", "have", "see", "require", "push"}
_PERIODS = {"year", "month", "quarter", "week", "day", "session", "period", "january", "february", "march", "april",
            "may", "june", "july", "august", "september", "october", "november", "december"}


def _ends_a_period(verb: Any) -> bool:
    """"The peso ended May at 1,185 per dollar", "ended the year up 5%": a period ends, not the event."""
    return any(c.dep_ in ("dobj", "npadvmod") and c.lower_ in _PERIODS for c in verb.children)


_TIME_MARKS = {"when", "after", "as", "once", "since", "while"}


def _above_time_clause(path: list[int], parse: Any) -> list[int]:
    """The path up to a time clause's head: "That era ended in 2022, when X signed a pact"
    dates the signing; "ended" does not undo it."""
    for k, i in enumerate(path):
        tok = parse[i]
        if tok.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in _TIME_MARKS and m.i < tok.i
                                       for m in tok.children):
            return path[: k + 1]
    return path


def _relative(verb: Any) -> bool:
    """Is this verb the head of a relative clause ("..., of which Y became a member",
    "..., which X joined in 2004")? The parser sometimes attaches it as an adverbial clause."""
    if verb.dep_ not in ("relcl", "advcl", "acl"):
        return False
    for t in verb.subtree:
        if t.i >= verb.i:
            break
        if t.tag_ in ("WDT", "WP", "WP$") and t.lower_ != "what":
            prev = verb.doc[t.i - 1] if t.i > 0 else None
            prev2 = verb.doc[t.i - 2] if t.i > 1 else None
            return prev is not None and (prev.text == "," or prev.pos_ == "ADP" and prev2 is not None and prev2.text == ",")
    return False


def clause_window(parse: Any, top: int, trigger: int) -> str:
    """Text of the top verb's clause up to the end of the trigger, leaving out adverbial
    clauses that do not contain the trigger (a concessive "while..." says nothing of it)."""
    top_tok = parse[top]
    skip: set[int] = set()
    for c in top_tok.children:
        if c.dep_ in ("advcl", "parataxis", "ccomp") and not (c.left_edge.i <= trigger <= c.right_edge.i):
            marks = {m.lower_ for m in c.children if m.dep_ == "mark"}
            if marks & {"if", "unless"}:
                continue  # a condition does govern the main clause
            skip.update(range(c.left_edge.i, c.right_edge.i + 1))
    start = top_tok.left_edge.i
    end = max(trigger, top) + 1
    return " ".join(t.text for t in parse[start:end] if t.i not in skip)


def modality_of(parse: Any, chain: list[int], lenders: list[int], trigger: int) -> tuple[str, str | None]:
    """Return (modality, the cue that decided it)."""
    c = cues()
    chain, lenders, modals = governing(parse, chain, lenders)
    toks = clause_tokens(parse, chain, lenders) + modals
    top = lenders[-1] if lenders else chain[-1]
    window = clause_window(parse, top, trigger)
    # negation
    for t in toks:
        if t.dep_ == "neg" or (t.lower_ in c["neg_words"] and t.dep_ in ("det", "neg", "advmod", "preconj")):
            return "negated", t.text
    for i in _above_time_clause([*chain, *lenders], parse)[1:]:
        tok = parse[i]
        if tok.pos_ == "VERB" and tok.lemma_.lower() in c["neg_lemmas"] and not _ends_a_period(tok):
            return "negated", tok.text  # "Niger ended its military cooperation with the US"
        for conj in tok.children:  # "invited to join but declined"
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.lemma_.lower() in c["neg_lemmas"] \
                    and any(cc.lower_ == "but" for cc in tok.children):
                return "negated", conj.text
    for rx in c["neg_phrases"]:
        if m := rx.search(window):
            return "negated", m.group(0)
    for i in [*chain, *lenders]:  # "What has not happened is the normalisation of relations"
        tok = parse[i]
        if tok.lemma_.lower() == "be":
            for sub in tok.children:
                if sub.dep_ == "csubj" and any(g.dep_ == "neg" for g in sub.subtree):
                    return "negated", "not (pseudo-cleft)"
    # speculation
    for t in toks:
        if t.dep_ == "aux" and t.lower_ in c["spec_modals"]:
            if t.lower_ == "would" and _reported_future(t) and not any(
                    x.lower_ in c["spec_words"] for x in toks):
                return "planned", "would (reported)"  # "officials said Orban would visit"
            return "speculative", t.text
        if t.lower_ in c["spec_words"] or t.lemma_.lower() in c["spec_lemmas"]:
            return "speculative", t.text
    for rx in c["spec_phrases"]:
        if m := rx.search(window):
            return "speculative", m.group(0)
    # plans
    for t in toks:
        if t.dep_ == "aux" and t.lower_ in c["plan_modals"]:
            return "planned", t.text
    for rx in c["plan_phrases"]:
        if m := rx.search(window):
            return "planned", m.group(0)
    return "asserted", None


_REPORTING = {"say", "announce", "tell", "state", "confirm", "agree", "decide", "pledge", "promise", "vow", "declare"}


def _reported_future(aux: Any) -> bool:
    """Is this "would" the future of a past reporting verb ("said it would sign")?"""
    verb = aux.head
    x = verb
    while x.dep_ in ("conj",) and x.head.i != x.i:
        x = x.head
    return x.dep_ in ("ccomp", "xcomp") and x.head.lemma_.lower() in _REPORTING
