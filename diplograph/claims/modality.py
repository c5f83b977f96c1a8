"""Modality of a claim from the words that govern its trigger.

Precedence: negated > speculative > planned > asserted. A claim is never stored as
asserted when a cue says otherwise: when in doubt we prefer the weaker modality, since a
speculation stored as a fact is the costliest mistake."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from .frame import columns, subtree_of
from .registry import AnyOf


@cache
def cues() -> dict[str, Any]:
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "modality.yaml").read_text("utf-8"))
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
        "occasions": set(data.get("occasion_nouns", [])),
        "postponed": set(data.get("postponed_lemmas", [])),
        "called_off": set(data.get("called_off_lemmas", [])),
        "off_places": set(data.get("called_off_places", [])),
        "noncommittal": set(data.get("noncommittal_lemmas", [])),
        "noncommittal_states": set(data.get("noncommittal_states", [])),
        "disputing": set(data.get("disputing_lemmas", [])),
        "allegations": set(data.get("allegation_nouns", [])),
    }


@cache
def phrase_screens() -> dict[str, AnyOf]:
    """For each list of cue phrases, whether one of them is in a text at all (several
    times faster than trying them one by one, which is left for the texts that have one)."""
    c = cues()
    return {k: AnyOf(c[k]) for k in ("neg_phrases", "spec_phrases", "plan_phrases")}


def clause_tokens(parse: Any, chain: list[int], lenders: list[int]) -> list[Any]:
    """The tokens whose words qualify the trigger: the chain from trigger to predicate, the
    verbs lending it a subject, and their auxiliaries, negations, adverbs and markers."""
    return [parse[i] for i in clause_indices(parse, chain, lenders)]


_QUALIFYING = frozenset(("aux", "auxpass", "neg", "advmod", "mark", "det", "amod", "acomp", "prt", "preconj"))


def clause_indices(parse: Any, chain: list[int], lenders: list[int]) -> list[int]:
    """``clause_tokens``' token indices."""
    cols = columns(parse)
    dep, children = cols.dep, cols.children
    out = []
    for i in chain + lenders:
        out.append(i)
        for c in children[i]:
            if dep[c] in _QUALIFYING:
                out.append(c)
                if dep[c] in ("aux", "auxpass"):
                    out.extend(g for g in children[c] if dep[g] in ("neg", "advmod"))
    return out


# A nominal trigger that is the subject of a verb that is not itself the event ("Kazakhstan's
# accession did not come as a surprise") is presupposed: that verb's words do not qualify it.
EVENT_VERBS = {"sign", "conclude", "take", "happen", "occur", "enter", "come", "follow", "begin", "start",
               "proceed", "go", "collapse", "fail", "stall", "resume", "end", "open", "close", "hold"}


# Prepositions whose object is an event that took place: "since the invasion", "following
# the strikes", "amid the fighting", "despite the agreement".
PRESUPPOSING = {"since", "following", "amid", "despite"}


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
        finite = (head.tag_ != "VBN" and not any(c.dep_ == "agent" for c in head.children)) \
            or any(c.dep_ in ("aux", "auxpass") for c in head.children)
        if tok.dep_ == "pobj" and head.lower_ in PRESUPPOSING and head.i == chain[k + 1]:
            return chain[: k + 1], [], []  # "Since Russia's invasion of Ukraine, Serbia has not ..."
        # "X's accession did not come as a surprise": "come as" says what it was, not that it came
        event_verb = head.lemma_.lower() in EVENT_VERBS and not (
            head.lemma_.lower() == "come" and any(c.dep_ == "prep" and c.lower_ == "as" for c in head.children))
        # ("the deal is due to be signed", "is expected to be ratified": the noun is the
        # subject of the plan, not presupposed)
        raised = any(c.dep_ == "xcomp" for c in head.children) or any(
            c.dep_ == "acomp" and any(g.dep_ == "xcomp" for g in c.children) for c in head.children)
        if tok.dep_ in ("nsubj",) and head.i == chain[k + 1] and head.pos_ in ("VERB", "AUX") \
                and not event_verb and finite and not raised and not _states_its_existence(head) \
                and not any(m.dep_ == "mark" and m.lower_ in ("if", "unless", "whether") for m in head.children):
            # (a bare participle is a misparsed reduced relative: "finalise the Agreement
            # initialled by ..."; a condition presupposes nothing: "if accession talks gained momentum")
            modals = [c for c in head.children if c.dep_ == "aux" and c.tag_ == "MD"]
            return chain[: k + 1], [], modals
    return chain, lenders, []


# "The pact is not on the agenda", "the alliance exists only on paper", "remains
# hypothetical": a state verb whose complement says whether or how far the event noun
# exists qualifies it, unlike a verb that says what it is like ("is popular", "is a milestone").
_STATE_VERBS = {"be", "exist", "remain", "stay"}
_ROAD_NOT_TAKEN = re.compile(r"\b(rather than|instead of)\b[^,;.]*", re.IGNORECASE)
_UNREAL = {"theoretical", "hypothetical", "notional", "speculative", "uncertain", "unclear", "elusive",
           "frozen", "suspended", "blocked", "stalled", "shelved"}


# "the deal is not yet final": a negated state of completion denies the event noun
_COMPLETE = {"final", "complete", "finished", "done", "official", "ready", "binding", "effective"}


def _states_its_existence(verb: Any) -> bool:
    if verb.lemma_.lower() not in _STATE_VERBS:
        return False
    comps = [c for c in verb.children if c.dep_ in ("acomp", "attr", "oprd")]
    if any(c.dep_ == "neg" for c in verb.children) and any(c.lemma_.lower() in _COMPLETE for c in comps):
        return True
    return not comps or any(c.lemma_.lower() in _UNREAL for c in comps)


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
    cols = columns(parse)
    for i in subtree_of(parse, top):  # (in any order: each clause adds its tokens to skip)
        # "X took place on Sunday, and a third is planned next month": a coordinated clause
        # with its own subject says nothing of the trigger's
        if cols.dep[i] != "conj" or cols.pos[i] not in ("VERB", "AUX"):
            continue
        t = parse[i]
        if not (t.left_edge.i <= trigger <= t.right_edge.i) and any(g.dep_ in ("nsubj", "nsubjpass") for g in t.children):
            skip.update(range(t.left_edge.i, t.right_edge.i + 1))
    start = top_tok.left_edge.i
    end = max(trigger, top) + 1
    if top >= trigger and top_tok.lemma_.lower() in ("expect", "set", "schedule", "plan", "slate", "pencil"):
        end = min(end + 1, len(parse))  # the word after the verb: "is expected in", "is set for"
    for c in top_tok.children:  # "the deal is due to be signed", "is likely to": the complement too
        if c.dep_ in ("acomp", "xcomp") and c.i > top:
            end = max(end, min(c.i + 3, len(parse)))
        elif c.dep_ in ("prep", "advmod", "npadvmod") and c.i > top and top_tok.lemma_.lower() in _STATE_VERBS:
            end = max(end, c.right_edge.i + 1)  # "exists only on paper", "is off the table", "is years away"
    words = cols.text
    return " ".join(words[i] for i in range(start, min(end, len(words))) if i not in skip)


def called_off(parse: Any, trigger: int) -> str | None:
    """The cue, when the trigger is an event noun that its own predicate or relative clause
    postpones ("a treaty that was due to be signed in May was pushed back"), or an occasion
    noun that they call off ("the summit is now off", "talks that were cancelled"):
    negated, even where the noun is presupposed ("despite a visit that has twice been put
    off")."""
    c = cues()
    cols = columns(parse)
    dep, pos, lemma, kids = cols.dep, cols.pos, cols.lemma, cols.children
    if pos[trigger] not in ("NOUN", "PROPN"):
        return None
    occasion = lemma[trigger] in c["occasions"]
    verbal = ("VERB", "AUX")
    verbs = [x for x in kids[trigger] if dep[x] in ("relcl", "acl") and pos[x] in verbal]
    head = cols.head[trigger]
    if dep[trigger] in ("nsubj", "nsubjpass") and pos[head] in verbal:
        verbs.append(head)
    verbs += [g for v in verbs for g in kids[v] if dep[g] in ("conj", "advcl") and pos[g] in verbal]
    for v in verbs:
        if any(dep[x] == "neg" for x in kids[v]):
            continue  # "was not postponed"
        # phrasal verbs, whose particle the parser may take for an adverb ("pushed back")
        phrasal = {lemma[v]} | {f"{lemma[v]} {cols.lower[p]}" for p in kids[v] if dep[p] in ("prt", "advmod")}
        if phrasal & c["postponed"]:
            return cols.text[v]
        if not occasion:
            continue
        if phrasal & c["called_off"]:
            return cols.text[v]
        for x in kids[v]:
            if cols.lower[x] != "off":
                continue
            place = next((o for o in kids[x] if dep[o] == "pobj"), None)
            if place is None and lemma[v] == "be" or place is not None and lemma[place] in c["off_places"]:
                return " ".join(cols.text[v:(x if place is None else place) + 1])
    return None


def noncommittal(parse: Any, path: list[int]) -> str | None:
    """The cue, when a verb above the trigger declines to say whether it happened: "has not
    confirmed that", "declined to comment", "it was not clear whether"."""
    c = cues()
    cols = columns(parse)
    dep, lemma, kids = cols.dep, cols.lemma, cols.children
    for i in path:
        negated = any(dep[x] == "neg" for x in kids[i])
        if negated and lemma[i] in c["noncommittal"]:
            return "not " + cols.text[i]
        if negated and lemma[i] == "be" and any(dep[x] == "acomp" and lemma[x] in c["noncommittal_states"]
                                                for x in kids[i]):
            return "not clear"
        if lemma[i] in ("decline", "refuse"):
            said = next((x for x in kids[i] if dep[x] == "xcomp" and lemma[x] in c["noncommittal"]), None)
            if said is not None:
                return f"{cols.text[i]} to {cols.text[said]}"  # "declined to confirm"
    return None


def disputed(parse: Any, path: list[int], trigger: int) -> str | None:
    """The cue, when the trigger's clause ends in a comment that someone denies: "...
    personnel have been reported near the border, which both governments have always
    denied", "Russia has supplied drones to Mali, a charge Moscow denies". An allegation
    denied is speculative (ANNOTATION.md); the parser hangs the comment on the nearest noun,
    so it is read for the clause that noun belongs to."""
    c = cues()
    cols = columns(parse)
    dep, lemma, kids, head, pos = cols.dep, cols.lemma, cols.children, cols.head, cols.pos
    on_path = {trigger, *path}
    for v in range(trigger + 1, len(dep)):
        if lemma[v] not in c["disputing"] or dep[v] != "relcl" or any(dep[x] == "neg" for x in kids[v]):
            continue
        anchor = head[v]
        which = next((x for x in kids[v] if lemma[x] == "which" and x > 0 and cols.text[x - 1] == ","), None)
        if which is None:  # ", a charge Moscow denies"
            noun = anchor
            if lemma[noun] not in c["allegations"] or dep[noun] != "appos":
                continue
            first = min(subtree_of(parse, noun))
            if first == 0 or cols.text[first - 1] not in (",", "-", "–", "—"):
                continue
            anchor = head[noun]
        for _ in range(len(dep)):  # up to the clause the comment is about
            if pos[anchor] in ("VERB", "AUX") or head[anchor] == anchor:
                break
            anchor = head[anchor]
        if anchor in on_path:
            return f"{cols.text[v]} (comment)"
    return None


def modality_of(parse: Any, chain: list[int], lenders: list[int], trigger: int) -> tuple[str, str | None]:
    """Return (modality, the cue that decided it)."""
    c = cues()
    if cue := called_off(parse, trigger):
        return "negated", cue
    screens = phrase_screens()
    chain, lenders, modals = governing(parse, chain, lenders)
    pred = parse[chain[-1]]
    if lenders and pred.dep_ == "advcl" and pred.tag_ == "VBD" and any(
            x.lower_ in _TEMPORAL and x.dep_ in ("advmod", "mark") for x in pred.children):
        # "discussed X when they met in June": a past temporal clause is a fact of its own
        lenders = []
    top = lenders[-1] if lenders else chain[-1]
    path = [*chain, *lenders]
    if len(path) >= 2 and parse[path[-2]].dep_ == "conj" and parse[path[-2]].head.i == top:
        top = path[-2]  # "Cambodia denied A and downgraded relations": "denied" is not about B
    for k in range(1, len(path)):
        below, above = parse[path[k - 1]], parse[path[k]]
        finite = below.tag_ in ("VBD", "VBZ") or below.tag_ == "VBN" and not any(
            c.dep_ in ("aux", "auxpass") for c in below.children)
        if below.dep_ == "conj" and below.head.i == above.i and finite \
                and above.tag_ in ("VBG", "VB") and above.dep_ in ("xcomp", "ccomp"):
            # "denied planting mines and downgraded relations": a finite verb coordinated
            # with a gerund is the governing verb's conjunct, not the gerund's
            lenders = [i for i in lenders if i in path[:k]]
            top = below.i
            break
    toks = clause_tokens(parse, chain, lenders) + modals
    window = clause_window(parse, top, trigger)
    if cue := noncommittal(parse, path):
        return "speculative", cue
    if cue := disputed(parse, path, trigger):
        return "speculative", cue
    # negation ("the accession did not come as a surprise": a negated predicate of the event
    # noun denies the event only if it says it did not happen, take place, go ahead ...)
    tt = parse[trigger]
    said_of = tt.head.i if tt.dep_ == "nsubj" and tt.pos_ in ("NOUN", "PROPN") and tt.head.pos_ in ("VERB", "AUX") \
        and tt.head.lemma_.lower() not in _EXISTENCE and tt.head.i != trigger else None
    for t in toks:
        if t.dep_ == "neg" or (t.lower_ in c["neg_words"] and t.dep_ in ("det", "neg", "advmod", "preconj")):
            if said_of is not None and t.head.i == said_of:
                continue
            return "negated", t.text
        if t.dep_ == "advmod" and any(g.dep_ == "neg" for g in t.children) and t.head.i in chain:
            return "negated", "not " + t.text  # "signed but not yet ratified": "not" hangs on "yet"
    # "Neither Oman nor Kuwait has recognised Israel", "No agreement was signed": the
    # trigger's own verb (not one it is a time or place of: "during the visit")
    for i in chain:
        tok = parse[i]
        if tok.dep_ in ("pobj", "prep", "advcl"):
            break
        if tok.pos_ in ("VERB", "AUX"):
            for subj in (x for x in tok.children if x.dep_ in ("nsubj", "nsubjpass")):
                if any(g.lower_ in ("neither", "no", "none") and g.dep_ in ("det", "preconj")
                       for g in subj.children):
                    return "negated", "neither"
            break
    for k, i in enumerate(path[1:], start=1):
        tok = parse[i]
        below = parse[path[k - 1]]
        coordinated = below.dep_ == "conj" and below.head.i == i  # "X denied A and downgraded B"
        if i not in chain and i not in lenders:
            break
        if below.dep_ in ("advcl", "relcl") and below.head.i == i and below.pos_ in ("VERB", "AUX"):
            break  # "That era ended in 2022, when X signed ...": the main verb does not undo it
        # a phrasal verb's particle, read as spaCy labels it ("called off": prt; "pushed back": advmod)
        phrasal = {f"{tok.lemma_.lower()} {p.lower_}" for p in tok.children if p.dep_ in ("prt", "advmod")}
        if tok.pos_ == "VERB" and (tok.lemma_.lower() in c["neg_lemmas"] or phrasal & c["neg_lemmas"]) \
                and not coordinated and not _ends_a_period(tok):
            return "negated", tok.text  # "Niger ended its military cooperation with the US"
        for conj in tok.children:  # "invited to join but declined"
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.lemma_.lower() in c["neg_lemmas"] \
                    and any(cc.lower_ == "but" for cc in tok.children) \
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in conj.children):  # "but Y denied ..." is Y's
                return "negated", conj.text
    # the road not taken: "Rather than join NATO, Austria ...", "instead of signing the deal"
    t_at = parse[trigger].idx
    for a, b, cue in _roads_not_taken(parse):
        if a <= t_at < b:
            return "negated", cue
    for rx in c["neg_phrases"] if screens["neg_phrases"].search(window) else ():
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
    for rx in c["spec_phrases"] if screens["spec_phrases"].search(window) else ():
        if m := rx.search(window):
            return "speculative", m.group(0)
    # plans
    for t in toks:
        if t.dep_ == "aux" and t.lower_ in c["plan_modals"]:
            return "planned", t.text
    for rx in c["plan_phrases"] if screens["plan_phrases"].search(window) else ():
        if m := rx.search(window):
            return "planned", m.group(0)
    for i in [*chain, *lenders]:  # "a fifth (round) is planned in Rome"
        tok = parse[i]
        if tok.lemma_.lower() in _PLANNED_VERBS and tok.tag_ == "VBN" and any(
                a.dep_ == "auxpass" and a.lower_ in ("is", "are") for a in tok.children):
            return "planned", tok.text
    return "asserted", None


def _roads_not_taken(parse: Any) -> list[tuple[int, int, str]]:
    """Spans (and cue) of "rather than ...", "instead of ..." in a parsed sentence, found once
    per parse (every frame of the sentence asks)."""
    found = parse.user_data.get("diplograph_roads")
    if found is None:
        found = parse.user_data["diplograph_roads"] = [
            (m.start(), m.end(), m.group(1)) for m in _ROAD_NOT_TAKEN.finditer(parse.text)]
    return found


_PLANNED_VERBS = {"plan", "schedule", "envisage", "foresee"}
# verbs whose negation with an event noun as subject denies the event
_EXISTENCE = {"happen", "occur", "take", "materialise", "materialize", "proceed", "go", "be", "exist",
              "start", "begin", "open", "end", "conclude", "succeed", "last", "resume", "continue"}


_TEMPORAL = {"when", "after", "before", "while", "once", "as"}
_REPORTING = {"say", "announce", "tell", "state", "confirm", "agree", "decide", "pledge", "promise", "vow", "declare",
              "inform", "notify"}


def _reported_future(aux: Any) -> bool:
    """Is this "would" the future of a past reporting verb ("said it would sign")?"""
    verb = aux.head
    x = verb
    while x.dep_ in ("conj",) and x.head.i != x.i:
        x = x.head
    return x.dep_ in ("ccomp", "xcomp") and x.head.lemma_.lower() in _REPORTING
