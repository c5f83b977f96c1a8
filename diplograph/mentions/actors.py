"""Find every actor mention in a text, and look actors up by any name.

    >>> from diplograph.mentions.actors import find_mentions, lookup
    >>> [(m.text, m.actor.id, m.via) for m in find_mentions("Tashkent and Astana signed it.")]
    [('Tashkent', 'UZB', 'capital'), ('Astana', 'KAZ', 'capital')]

How it works. The text is cut into tokens once (words, and single punctuation marks, so
"Uzbekistan’s", "US-brokered" and "Israel–Iran" split where names end). Every name of the
reference knowledge (names, aliases, codes used in prose, demonyms, capitals and seats,
epithets, people's names and surnames, group phrases) is tokenised the same way into a
table keyed by its first token, and the longest name starting at each token wins: one dict
lookup per token, no regex alternation, no statistical model. Rules then drop false
friends (the US state of Georgia, Thanksgiving turkey, "Michael Jordan", "the Lisbon
treaty", "King's College London"), attach titles ("the Kazakh Foreign Ministry",
"Israel's ambassador"), resolve people and capitals by the publication date, and add
coreference mentions for "the country", "it", "the latter", "the two countries".

Coreference, for claim extractors. A pronoun or description that stands for an actor is a
Mention with ``via="coref"`` whose actor is the antecedent. A phrase that stands for two
states ("the two countries", "both states") yields TWO Mentions with the same span, one per
state, both with ``role="pair"``, in the order the states were named; ``pairs()`` groups them
back. Antecedents are looked for in the same sentence and the one or two before it only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import UnknownActor
from ..models import ActorRef, Mention, PartialDate
from .knowledge import Actor, Knowledge, knowledge, reference_day, to_date

# Words, numbers, and any other single character. Apostrophes and hyphens are tokens of
# their own so that possessives and compounds split at the end of a name.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_APOS = {"'": "'", "’": "'", "‘": "'", "ʼ": "'", "`": "'"}
_APOS_TABLE = str.maketrans({k: v for k, v in _APOS.items() if k != v})
_DASHES = {"-", "–", "—", "‑"}
_EXCLUDING_PREFIXES = frozenset({"non", "anti", "post", "pre"})
_OPENERS = {"(", "[", "“", '"', "'", "/", "‘"}


def _norm(tok: str) -> str:
    return _APOS.get(tok, tok)


def _tokens(text: str) -> list[str]:
    return [_norm(t) for t in _TOKEN.findall(text)]


@dataclass(frozen=True, slots=True)
class _Entry:
    actor: str  # actor id, or person id when via == "person"
    via: str  # name, alias, demonym, capital, epithet, person, group
    confidence: float
    surname: bool = False  # a person's surname on its own
    former: bool = False  # a former capital
    region: bool = False  # a region name standing for a group ("Central Asia")
    city: bool = False  # a city that only names a place (data/actors/cities.csv)


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    text = resources.files("diplograph").joinpath("data", "en", "actor_cues.yaml").read_text(encoding="utf-8")
    from ..tables import load_yaml  # parsed once per content (diplograph.tables)
    raw = load_yaml(text)
    out: dict[str, Any] = {}
    for k, v in raw.items():
        out[k] = [str(x) for x in v]
    out["function_words"] = set(out["function_words"])
    out["it_verbs"] = set(out["it_verbs"])
    out["it_not_after"] = set(out["it_not_after"])
    out["origin_nouns"] = set(out["origin_nouns"])
    out["institution_nouns"] = set(out["institution_nouns"])
    out["instrument_nouns"] = set(out["instrument_nouns"])
    out["not_actor_before"] = set(out["not_actor_before"])
    out["person_like_names"] = set(out["person_like_names"])
    out["former_latter_next"] = set(out["former_latter_next"])
    out["title_modifiers"] = set(out["title_modifiers"]) | {"-"}
    out["role_time_words"] = set(out["role_time_words"])
    # tokenised like the text, so "director-general" is three tokens in both
    heads = sorted((tuple(_tokens(h.lower())) for h in out["title_heads"]), key=len, reverse=True)
    out["title_heads"] = heads
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for h in heads:
        by_first.setdefault(h[0], []).append(h)
    out["title_heads_by_first"] = by_first
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for h in heads:
        by_last.setdefault(h[-1], []).append(h)
    out["title_heads_by_last"] = by_last
    out["institution_prefix_tokens"] = [tuple(p.split()) for p in out["institution_prefixes"]]
    return out


# Region names that stand for a group with lower confidence (the region, not the states).
_REGIONS = {"Central Asia": "CENTRAL_ASIA", "the Caucasus": "SOUTH_CAUCASUS", "Caucasus": "SOUTH_CAUCASUS"}
# Demonym-like adjectives of groups.
_GROUP_DEMONYMS = {"Central Asian": "CENTRAL_ASIA", "Western": "THE_WEST", "South Caucasian": "SOUTH_CAUCASUS"}
# Aliases that are ordinary words or too short to trust alone in running text.
_SKIP_ALIASES = {"ROC", "CAR", "KSA", "EEU"}
_WEAK_ALIASES = {"Congo": 0.6, "Korea": 0.6, "America": 0.7, "Bosnia": 0.8}


@dataclass
class _Index:
    table: dict[str, list[tuple[tuple[str, ...], list[_Entry]]]]
    surnames: dict[str, list[str]]  # surname -> person ids
    trie: dict  # token -> child node; the key None holds the entries of a name ending there
    # first tokens of the names of actors other than people: "Michael" (of "Michael Fallon")
    # is a given name, "Saudi" or "African" start the names of states and organisations
    actor_first: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()  # first words of people's names: "Anwar", "Petro"


@lru_cache(maxsize=1)
def _index() -> _Index:
    k = knowledge()
    entries: dict[tuple[str, ...], list[_Entry]] = {}

    def add(name: str, e: _Entry) -> None:
        toks = tuple(_tokens(name))
        if not toks:
            return
        lst = entries.setdefault(toks, [])
        if all(x.actor != e.actor or x.via != e.via for x in lst):
            lst.append(e)
        # "the Kremlin" also matches "The Kremlin" at the start of a sentence
        if toks[0] == "the":
            add_variant = ("The",) + toks[1:]
            l2 = entries.setdefault(add_variant, [])
            if all(x.actor != e.actor or x.via != e.via for x in l2):
                l2.append(e)

    for a in k.actors.values():
        if a.kind == "group":
            for al in a.aliases:
                add(al, _Entry(a.id, "group", 0.85))
            continue
        add(a.name, _Entry(a.id, "name", 0.95))
        if a.official_name:
            add(a.official_name, _Entry(a.id, "name", 0.95))
        own = {a.name, a.official_name, *a.aliases}
        for al in a.aliases:
            if al in _SKIP_ALIASES:
                continue
            if al.startswith("the ") and al[4:] in own:
                continue  # spans leave out the article: "the [European Union]"
            add(al, _Entry(a.id, "alias", _WEAK_ALIASES.get(al, 0.9)))
        for d in a.demonyms:
            add(d, _Entry(a.id, "demonym", 0.85))
        if a.kind == "state":
            for c in a.capitals:
                add(c, _Entry(a.id, "capital", 0.8))
            for c in a.former_capitals:
                add(c, _Entry(a.id, "capital", 0.6, former=True))
            for c in a.cities:  # "the summit in Samarkand": only ever the place of an event
                add(c, _Entry(a.id, "capital", 0.6, former=True, city=True))
        for ep in a.epithets:
            add(ep, _Entry(a.id, "epithet", 0.9))
    # Brussels stands for the EU in the press more often than for Belgium.
    add("Brussels", _Entry("EU", "capital", 0.75))
    for name, gid in _REGIONS.items():
        add(name, _Entry(gid, "group", 0.6, region=True))
    for name, gid in _GROUP_DEMONYMS.items():
        add(name, _Entry(gid, "demonym", 0.7))
    for phrase in _cues()["stop_phrases"]:
        entries[tuple(_tokens(phrase))] = [_Entry("", "stop", 0.0)]
    surnames: dict[str, list[str]] = {}
    for p in k.persons.values():
        add(p.name, _Entry(p.id, "person", 0.95))
        for al in p.aliases:
            add(al, _Entry(p.id, "person", 0.9))
        if p.surname:
            surnames.setdefault(p.surname, []).append(p.id)
            if p.codes.get("surname_alone") == "yes":
                add(p.surname, _Entry(p.id, "person", 0.85, surname=True))
    table: dict[str, list[tuple[tuple[str, ...], list[_Entry]]]] = {}
    for toks, lst in entries.items():
        table.setdefault(toks[0], []).append((toks, lst))
    for v in table.values():
        v.sort(key=lambda x: len(x[0]), reverse=True)
    trie: dict = {}
    for toks, lst in entries.items():
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        node[None] = lst
    actor_first = frozenset(toks[0] for toks, lst in entries.items() if any(e.via != "person" for e in lst))
    given = frozenset(p.name.split()[0] for p in k.persons.values() if len(p.name.split()) > 1)
    return _Index(table, surnames, trie, actor_first, given)


# -- sentences ------------------------------------------------------------------------

_ABBREV = {"Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Col", "Lt", "Sgt", "Prof", "Sen", "Rep", "Gov",
           "Jr", "Sr", "No", "vs", "etc", "Inc", "Ltd", "Co", "km", "Mt", "Ft", "Adm", "Capt"}
_SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+|\n\s*")


def sentence_starts(text: str) -> list[int]:
    """Offsets at which sentences start (a rule-based splitter: . ! ? or a line break)."""
    starts = [0]
    for m in _SENT_END.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        if "\n" not in m.group(0):
            nxt = text[end]
            if not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'(["):
                continue
            before = text[max(0, m.start() - 4):m.start()]
            word = re.findall(r"[A-Za-z]+$", before)
            if word and (word[0] in _ABBREV or (len(word[0]) == 1 and word[0].isupper())):
                continue
        starts.append(end)
    return starts


# -- resolution -----------------------------------------------------------------------



def _people_by_date(k: Knowledge, person_ids: list[str], day: date | None) -> tuple[Actor, Any] | None:
    """The person (and term) among ``person_ids`` most likely meant on ``day``: someone in office
    that day (highest office first), else the latest term before it, else the earliest after."""
    rank = ("president", "supreme leader", "general secretary", "head of state", "chancellor",
            "prime minister", "premier", "emir", "crown prince", "foreign minister", "secretary of state")

    def r(role: str) -> int:
        for i, x in enumerate(rank):
            if role == x or role.startswith(x):
                return i
        return len(rank)

    terms = [t for pid in person_ids for t in k.persons[pid].office_holders]
    if not terms:
        return None
    active = [t for t in terms if t.active(day)]
    if active:
        t = min(active, key=lambda t: (r(t.role), -(to_date(t.start) or date.min).toordinal()))
    elif day is None:
        t = max(terms, key=lambda t: (to_date(t.start) or date.min, -r(t.role)))
    else:
        before = [t for t in terms if (to_date(t.start) or date.min) <= day]
        if before:
            t = max(before, key=lambda t: (to_date(t.end, end=True) or date.max, -r(t.role)))
        else:
            t = min(terms, key=lambda t: to_date(t.start) or date.min)
    return k.persons[t.person_id], t


def _covered_by(found: list[Mention]) -> Callable[[int], bool]:
    """A test of whether an offset falls inside one of these mentions."""
    spans = sorted((m.start, m.end) for m in found)
    starts = [x[0] for x in spans]

    def taken(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and spans[k][0] <= pos < spans[k][1]

    return taken


def _is_cap(s: str) -> bool:
    return bool(s) and s[0].isupper()


class _Resolver:
    def __init__(self, text: str, published: PartialDate | date | str | None):
        self.text = text
        self.day = reference_day(published)
        self.k = knowledge()
        self.ix = _index()
        self.cues = _cues()
        norm = text.translate(_APOS_TABLE)  # one character for another: offsets stay valid
        trie = self.ix.trie
        # headlines in capitals: "UZBEKISTAN" reads as "Uzbekistan"; acronyms (NATO) stay
        self.tt = [t.title() if len(t) > 3 and t.isupper() and t not in trie else t
                   for t in _TOKEN.findall(norm)]
        spans = [m.span() for m in _TOKEN.finditer(norm)]
        self.ts = [a for a, _ in spans]
        self.te = [b for _, b in spans]
        self.sent_starts = sentence_starts(text)
        self._told: dict[frozenset[str], str | None] = {}
        # surname -> person id named in full most recently (None: someone unknown of that name)
        self.last_full: dict[str, str | None] = {}
        self.person_words: set[str] = set()  # names seen as part of a person's name ("Michael Jordan")
        # names of officials the reference data does not know: word -> (state, office, defined at)
        self.local_people: dict[str, tuple[str, str | None, int]] = {}

    def sent_of(self, offset: int) -> int:
        return bisect_right(self.sent_starts, offset) - 1

    def tok(self, i: int) -> str:
        return self.tt[i] if 0 <= i < len(self.tt) else ""

    def glued(self, i: int) -> bool:
        """Token i follows token i-1 with no space."""
        return 0 < i < len(self.tt) and self.ts[i] == self.te[i - 1]

    def turkey_bird(self, offset: int) -> bool:
        """Whether the sentence at ``offset`` speaks of the bird (once per sentence)."""
        k = self.sent_of(offset)
        memo = self.__dict__.setdefault("_bird", {})
        if k not in memo:
            w = self.sentence_text(offset).lower()
            memo[k] = any(re.search(r"\b" + re.escape(cue.lower()) + r"\b", w) for cue in self.cues["turkey_bird_cues"])
        return memo[k]

    def sentence_text(self, offset: int) -> str:
        k = self.sent_of(offset)
        stop = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.text)
        return self.text[self.sent_starts[k]:stop]

    def window(self, start: int, end: int, width: int = 90) -> str:
        return self.text[max(0, start - width):end + width]

    # one pass over the tokens: longest names first
    def names(self) -> list[Mention]:
        out: list[Mention] = []
        tt, trie = self.tt, self.ix.trie
        i, n = 0, len(tt)
        while i < n:
            node = trie.get(tt[i])
            if node is None:
                i += 1
                continue
            # a name does not start inside a word ("Xi" in "Xi'an" is handled at its end)
            if i and self.glued(i) and tt[i - 1] not in _DASHES and tt[i - 1] not in _OPENERS:
                i += 1
                continue
            if i > 1 and tt[i - 1] in _DASHES and self.glued(i) and self.glued(i - 1) \
                    and tt[i - 2].lower() in _EXCLUDING_PREFIXES:
                i += 1  # "a major non-NATO ally", "anti-EU protests": not the actor itself
                continue
            ends = self._ends(i, node)
            if tt[i] in ("the", "The") and i + 1 < n and (inner := trie.get(tt[i + 1])) is not None and ends \
                    and max((e for e, _ in self._ends(i + 1, inner)), default=0) > ends[-1][0]:
                # "the Commonwealth of Independent States": the longer name after the article
                # wins over the shorter one with it ("the Commonwealth")
                i += 1
                continue
            hit = None
            for j, entries in reversed(ends):
                # not "Xi" in "Xi'an": an apostrophe glued after a name must start a possessive
                if j < n and tt[j] == "'" and self.glued(j) and j + 1 < n and self.glued(j + 1) \
                        and tt[j + 1] != "s":
                    continue
                hit = (j, entries)
                break
            if hit is None:
                i += 1
                continue
            j, entries = hit
            ms = self.resolve(i, j, entries)
            if ms:
                out.extend(ms)
                last = max(m.end for m in ms)
                while i < n and self.ts[i] < last:
                    i += 1
            else:
                i = j if entries[0].via == "person" else i + 1
        return out

    def _ends(self, i: int, node: dict) -> list[tuple[int, list[_Entry]]]:
        """Every name of the index that starts at token ``i`` (``node``: the trie under
        its first token), as (end token, entries), shortest first."""
        tt, n = self.tt, len(self.tt)
        ends: list[tuple[int, list[_Entry]]] = []
        j = i + 1
        while True:
            if None in node:
                ends.append((j, node[None]))
            if j >= n:
                break
            node = node.get(tt[j])
            if node is None:
                break
            j += 1
        return ends

    def resolve(self, i: int, j: int, entries: list[_Entry]) -> list[Mention]:
        """Mentions for the name in tokens [i, j), or [] when rules say it names no actor."""
        c = self.cues
        start, end = self.ts[i], self.te[j - 1]
        surface = self.text[start:end]
        prev, nxt = self.tok(i - 1), self.tok(j)
        e0 = entries[0]
        if e0.via == "stop":
            # consume the phrase without a mention: the caller skips past an empty span
            return [Mention(start, end, "", ActorRef("", "", "state"), 0.0, "stop")]
        if e0.via == "person":
            return self.person(i, j, entries)
        if nxt == "$" and self.glued(j):
            return []  # a currency sign: "US$5 billion", "NZ$40 million"
        # a state or capital that is also a given name: "Michael Jordan", "Jordan Peterson"
        if surface in c["person_like_names"] or surface in self.person_words:
            if surface in self.person_words:
                return []
            if _is_cap(prev) and prev.isalpha() and prev.lower() not in c["function_words"] \
                    and prev not in self.ix.actor_first and not self.glued(i):
                self.person_words.add(surface)
                return []
            if _is_cap(nxt) and nxt.isalpha() and nxt.lower() not in c["function_words"] \
                    and nxt not in self.ix.actor_first and nxt not in c["institution_nouns"] and not self.glued(j) \
                    and nxt not in ("President", "Prime", "Foreign", "King", "Minister", "Ministry"):
                self.person_words.add(surface)
                return []
        if prev in _DASHES and self.glued(i):
            if self.tok(i - 2).lower() in ("post", "ex", "pre"):
                return []  # "post-Soviet state"
        elif prev in c["not_actor_before"]:
            return []  # "bone China", "Greater Central Asia", "Western Europe"
        if surface == "Western" and _is_cap(nxt) and not self.glued(j):
            return []  # "Western Europe", "Western Balkans", "Western Sahara"
        # part of an institution's or a newspaper's name
        if self._institution(i, j):
            return []
        if nxt in c["instrument_nouns"] and e0.via in ("capital", "name", "alias") and \
                any(e.via == "capital" for e in entries) and not self.glued(j):
            return []
        if nxt in _DASHES and self.tok(j + 1) == "based":
            return []
        if self.text[end : end + 1] == "$":
            return []  # a currency prefix: "US$198 million", "NZ$", "HK$"
        # context: the US state of Georgia, the bird
        if surface == "Brussels" and prev.lower() not in ("in", "at", "from", "to", "near"):
            # the seat of both the EU and NATO: the one named nearer decides
            w = self.window(start, end, 400)
            nato, eu = w.rfind("NATO"), max(w.rfind("EU"), w.rfind("European"))
            if nato >= 0 and (eu < 0 or abs(nato - 400) < abs(eu - 400)):
                entries = [_Entry("NATO", "capital", 0.7)]
            else:
                entries = [x for x in entries if x.actor == "EU"] or entries
            e0 = entries[0]
        if surface == "Georgia":
            w = self.sentence_text(start)
            if any(cue in w for cue in c["us_georgia_cues"]) and not any(
                    cue in w for cue in c["country_georgia_cues"]):
                return []
        if surface == "Turkey" and self.turkey_bird(start):
            return []
        # a demonym used as a noun for people: "the Turkmen in ...", "to the Chinese."
        if e0.via == "demonym" and prev in ("the", "The") and (
                not nxt.isalpha() or nxt.lower() in c["function_words"]) and nxt not in ("-", "and", "or"):
            return []
        if len(entries) > 1 and prev.lower() in ("in", "at", "near", "outside", "from"):
            # "a summit in Arusha": the city where the organisation sits, as a place
            entries = [e for e in entries if e.city] or entries
        e = self.pick(entries)
        if e is None:
            return []
        a = self.k.actors[e.actor]
        role = None
        via = e.via
        conf = e.confidence
        mend = end
        if e.region:
            role = "region"
        if via == "capital" and (prev.lower() in ("in", "at", "from", "near", "outside") or e.former):
            role = "location"
        # titles after a demonym, or after an acronym used as a modifier ("US President"):
        # "Kazakh President (Kassym-Jomart Tokayev)", "Uzbek Investment Ministry"
        if via in ("demonym", "alias", "name"):
            t = self.title_after(j)
            acronym = (len(surface) <= 4 and surface.isupper()) or surface in ("U.S.", "U.K.")
            if t and (via == "demonym" or acronym):
                tj, role = t
                via = "title"
                mend = self.te[tj - 1]
                # a person's name right after the title joins the mention
                pm = self._person_at(tj)
                if pm is not None and pm[2].actor == a.id:
                    mend, via = pm[0], "person"
                elif pm is None:
                    self._learn_person(tj, a.id, role)
            elif via == "demonym" and nxt.lower() in c["origin_nouns"]:
                role = "origin"
        # possessive + title: "Israel's ambassador to Kazakhstan", "Kyrgyzstan's agriculture minister"
        if via in ("name", "alias", "capital", "epithet") and nxt == "'" and self.tok(j + 1) in ("s", ""):
            k2 = j + 2 if self.tok(j + 1) == "s" else j + 1
            t = self.title_after(k2)
            if t:
                role = t[1]
                # "Senegal's Prime Minister Ousmane Sonko", "South Africa's president, Cyril Ramaphosa,"
                if a.kind == "state":
                    self._learn_person(t[0] + (self.tok(t[0]) == ","), a.id, role)
        # "Ambassador of Uzbekistan", "Ministry of Foreign Affairs of Latvia"
        if prev == "of" and role is None:
            t = self.title_before(i - 1)
            if t:
                role = t
        return [Mention(start, mend, self.text[start:mend], a.ref(), round(conf, 2), via, role)]

    def _sentence_initial(self, i: int) -> bool:
        return i == 0 or self.sent_of(self.ts[i]) != self.sent_of(self.ts[i - 1]) \
            or self.tok(i - 1) in ("“", '"', "(", "\n")

    def _institution(self, i: int, j: int) -> bool:
        c = self.cues
        # words after: "Central Asia-Caucasus Institute", "American Foreign Policy Council"
        k = j
        steps = 0
        while k < len(self.tt) and steps < 5:
            t = self.tok(k)
            if t in c["institution_nouns"]:
                return True
            if _is_cap(t) or t in _DASHES or t in ("&", "of", "and", "for"):
                k += 1
                steps += 1
                continue
            break
        # words before: "University of Latvia", "King's College London", "The Times of Central Asia"
        for ptoks in c["institution_prefix_tokens"]:
            L = len(ptoks)
            if i - L >= 0 and self.tt[i - 1] == ptoks[-1] and tuple(self.tt[i - L:i]) == ptoks:
                return True
        return False

    def pick(self, entries: list[_Entry]) -> _Entry | None:
        """Choose among actors sharing a name: the one that existed at the date."""
        if len(entries) == 1:
            e = entries[0]
            a = self.k.actors[e.actor]
            if e.via == "capital" and a.kind == "state" and self.day and not a.exists(self.day):
                # "Moscow" in 1985 is the Soviet Union's capital; a later date keeps Russia
                return e
            return e
        ok = [e for e in entries if self.k.actors[e.actor].exists(self.day)]
        pool = ok or entries
        if (told := self.told_apart({e.actor for e in pool})) is not None:
            pool = [e for e in pool if e.actor == told]  # "Congolese" in an article on Kinshasa
        order = {"name": 0, "alias": 1, "epithet": 2, "capital": 3, "demonym": 4, "group": 5}
        return min(pool, key=lambda e: (order.get(e.via, 9), -e.confidence))

    def told_apart(self, ids: set[str]) -> str | None:
        """Of several states sharing a name ("Congo", "Congolese"), the only one the article
        also names unmistakably (an official name, a capital, an alias no other state has, an
        office-holder), else None."""
        if len(ids) < 2 or any(self.k.actors[i].kind != "state" for i in ids):
            return None
        key = frozenset(ids)
        if key in self._told:
            return self._told[key]
        shared = {f for i in ids for f in self._forms(i) if any(f in self._forms(o) for o in ids - {i})}
        spans = {i: [m.span() for f in self._forms(i) - shared
                     for m in re.finditer(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", self.text)]
                 for i in ids}
        # "Republic of the Congo" inside "Democratic Republic of the Congo" names the latter
        named = [i for i in sorted(ids) if any(
            not any(a >= c and b <= d and (a, b) != (c, d) for o in ids - {i} for c, d in spans[o])
            for a, b in spans[i])]
        self._told[key] = named[0] if len(named) == 1 else None
        return self._told[key]

    def _forms(self, aid: str) -> set[str]:
        a = self.k.actors[aid]
        forms = {a.name, *a.aliases, *a.capitals, *a.cities, *(a.official_name and [a.official_name] or [])}
        for term in a.office_holders:  # "Tshisekedi" names the DRC, "Sassou Nguesso" the Republic
            forms.add(term.name)
            if len(last := term.name.split()[-1]) > 4:
                forms.add(last)
        return {f for f in forms if f and len(f) > 2}

    def title_after(self, j: int) -> tuple[int, str] | None:
        """A title phrase starting at token j, allowing up to three modifiers before its head
        ("Foreign Minister", "Investment Ministry", "then-foreign minister"): (end token, role)."""
        c = self.cues
        k = j
        mods: list[str] = []
        by_first = c["title_heads_by_first"]
        while k < len(self.tt) and len(mods) <= 3:
            low = self.tok(k).lower()
            for head in by_first.get(low, ()):
                L = len(head)
                if L == 1 or [self.tok(k + x).lower() for x in range(L)] == list(head):
                    # "the Kazakh president's", "Turkish minister" and not "Turkish ministers of"
                    role = " ".join([m for m in mods if m not in c["role_time_words"] and m not in _DASHES]
                                    + list(head)).replace(" - ", "-")
                    return k + L, role
            if low in c["title_modifiers"] or (low in _DASHES and mods):
                mods.append(low)
                k += 1
                continue
            break
        return None

    def title_before(self, i: int) -> str | None:
        """A title head ending right before token i ("Ambassador of", "Ministry of Foreign Affairs of")."""
        c = self.cues
        for back in range(1, 5):
            k = i - back
            if k < 0:
                break
            for head in c["title_heads_by_last"].get(self.tok(k).lower(), ()):
                L = len(head)
                if k - L + 1 >= 0 and [self.tok(k - L + 1 + x).lower() for x in range(L)] == list(head):
                    said = " ".join(head) if back == 1 else " ".join(head) + " " + " ".join(
                        self.tok(x).lower() for x in range(k + 1, i))
                    return said.replace(" - ", "-")
            if not (_is_cap(self.tok(k)) or self.tok(k) in ("of", "and")):
                break
        return None

    # people -----------------------------------------------------------------------------

    def _person_at(self, j: int) -> tuple[int, Actor, Any] | None:
        """A known person's full name (or usable surname) starting at token j."""
        cands = self.ix.table.get(self.tok(j))
        if not cands:
            return None
        for seq, entries in cands:
            L = len(seq)
            if all(self.tok(j + x) == seq[x] for x in range(L)) and entries[0].via == "person":
                res = self.person_resolve(j, j + L, entries, record=True)
                if res:
                    return self.te[j + L - 1], res[0], res[1]
        return None

    def person_resolve(self, i: int, j: int, entries: list[_Entry], *, record: bool) -> tuple[Actor, Any] | None:
        surname_only = all(e.surname for e in entries)
        name = self.text[self.ts[i]:self.te[j - 1]]
        if surname_only:
            prev = self.tok(i - 1)
            # "Yeshaya Cohen", "Sabina Aliyev": a given name we don't know → someone else
            if _is_cap(prev) and prev.isalpha() and prev.lower() not in self.cues["function_words"] \
                    and prev.lower() not in _HONORIFICS and prev not in self.ix.actor_first and not self.glued(i):
                self.last_full[name] = None
                return None
            # "Anwar Gargash", "Petro Kotin": a name that stands alone for an office-holder
            # ("Anwar", "Abiy", "Petro") but is also a given name is, before another name,
            # someone else's
            nxt = self.tok(j)
            if name in self.ix.given_names and _is_cap(nxt) and nxt.isalpha() \
                    and nxt.lower() not in self.cues["function_words"] and nxt not in self.ix.actor_first \
                    and not self.glued(j):
                self.last_full[name] = None
                return None
            if name in self.last_full and self.last_full[name] is None:
                return None
            if name in self.last_full:
                pid = self.last_full[name]
                assert pid
                return _people_by_date(self.k, [pid], self.day)
            return _people_by_date(self.k, [e.actor for e in entries], self.day)
        pids = list(dict.fromkeys(e.actor for e in entries))
        res = _people_by_date(self.k, pids, self.day)
        if res and record:
            sn = res[0].surname
            if sn:
                self.last_full[sn] = res[0].id
        return res

    def person(self, i: int, j: int, entries: list[_Entry]) -> list[Mention]:
        res = self.person_resolve(i, j, entries, record=True)
        if not res:
            return []
        p, term = res
        # a title just before the name picks the term: "then-foreign minister Shimon Peres"
        said = self.title_before(i)
        if said:
            said = " ".join(w for w in said.split() if w not in self.cues["role_time_words"])
            # "Defence Minister Pedro Sanchez" is not the prime minister of that name: an office
            # qualifier none of the person's terms has means someone else
            known = {w for t in p.office_holders for w in re.split(r"[\s-]+", t.role)}
            qualifiers = [w for w in re.split(r"[\s-]+", said) if w and w not in _OFFICE_HEADS]
            if qualifiers and not any(q in known for q in qualifiers):
                return []
            for t in p.office_holders:
                if t.role == said or t.role.startswith(said):
                    term = t
                    break
        start, end = self.ts[i], self.te[j - 1]
        a = self.k.actors[term.actor]
        conf = entries[0].confidence
        return [Mention(start, end, self.text[start:end], a.ref(), conf, "person", term.role)]

    # people the reference data does not know, named once with their office -------------

    def _learn_person(self, j: int, actor_id: str, role: str | None) -> None:
        """Record the name of an unknown official right after a title ("Indonesian President
        Prabowo Subianto"), so that "Prabowo" or "Subianto" alone later in the article stands
        for that state. One to three capitalised words that name no actor."""
        fw = self.cues["function_words"]
        k = j
        words: list[list[int]] = []  # [start, end] offsets of each word ("Mensah-Boateng" is one)
        while k < len(self.tt) and len(words) < 4:
            w = self.tok(k)
            if w in _DASHES and words and self.glued(k) and self.glued(k + 1) and _is_cap(self.tok(k + 1)):
                words[-1][1] = self.te[k + 1]  # "Kassym-Jomart"
                k += 2
                continue
            if not (w.isalpha() and _is_cap(w) and w.lower() not in fw and w.lower() not in _HONORIFICS
                    and not self._names_actor(w) and w.lower() not in _CALENDAR_WORDS):
                break
            if words and self.ts[k] - words[-1][1] > 1:
                break
            words.append([self.ts[k], self.te[k]])
            k += 1
        if not words or len(words) > 3 or words[0][0] != self.ts[j] if j < len(self.ts) else True:
            return
        end = words[-1][1]
        for a, b in (words[0], words[-1]):
            if b - a >= 3:
                self.local_people[self.text[a:b]] = (actor_id, role, end)

    def _names_actor(self, w: str) -> bool:
        """The word alone names a state, organisation or place ("Jordan", "Nice"), not just a person."""
        return any(len(seq) == 1 and any(e.via != "person" for e in entries)
                   for seq, entries in self.ix.table.get(w, ()))

    def local_people_mentions(self, found: list[Mention]) -> list[Mention]:
        """Later mentions of the people recorded by :meth:`_learn_person`: the bare name, not
        part of a longer name ("Sonko", not "Khalifa Sonko")."""
        out: list[Mention] = []
        if not self.local_people:
            return out
        fw = self.cues["function_words"]
        taken = _covered_by(found)
        for name, (aid, role, after) in self.local_people.items():
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", self.text):
                pos = m.start()
                if pos < after or taken(pos):
                    continue
                before = re.search(r"([A-Z][\w-]*)\s+$", self.text[max(0, pos - 30):pos])
                if before and before.group(1).lower() not in fw and before.group(1).lower() not in _HONORIFICS \
                        and self.sent_of(pos) == self.sent_of(pos - len(before.group(0))) \
                        and pos - len(before.group(0)) not in self.sent_starts:
                    if before.group(1) not in self.local_people:
                        continue  # someone else of that name
                if re.match(r"\s+[A-Z][a-z]", self.text[m.end():m.end() + 3]):
                    nxt = re.match(r"\s+([A-Z][\w-]*)", self.text[m.end():m.end() + 30])
                    if nxt and nxt.group(1) not in self.local_people and nxt.group(1).lower() not in fw:
                        continue
                out.append(Mention(pos, m.end(), name, self.k.actors[aid].ref(), 0.7, "person", role))
        return out

    # surnames not in the alias table but known in full earlier: "Cohen" after "Eli Cohen"
    def late_surnames(self, found: list[Mention]) -> list[Mention]:
        """Common surnames ("Cohen", "Katz") name an official only after their full name, and
        only while no other person of that name ("Rabbi Yeshaya Cohen") came in between."""
        out: list[Mention] = []
        fw = self.cues["function_words"]
        taken = _covered_by(found)
        for sn, pid in list(self.last_full.items()):
            if pid is None or None in self.ix.trie.get(sn, {}):
                continue  # surnames usable alone were matched by names() already
            fulls = sorted(f.start for f in found if f.via == "person" and f.text.endswith(sn))
            if not fulls:
                continue
            pat = re.compile(r"(?:\b([A-Z][a-z]+)\s+)?\b" + re.escape(sn) + r"\b")
            last_full_at = -1
            last_unknown_at = -1
            for m in pat.finditer(self.text):
                pos = m.end() - len(sn)
                if taken(pos):
                    if pos in fulls or any(f <= pos < f + 60 for f in fulls):
                        last_full_at = pos
                    continue
                given = m.group(1)
                if given and given.lower() not in fw and not taken(m.start(1)):
                    last_unknown_at = pos  # someone else of that name
                    continue
                after = re.match(r"\s+([A-Z][a-z]+)", self.text[m.end():m.end() + 40])
                if after and after.group(1).lower() not in fw and after.group(1) not in self.ix.actor_first:
                    continue  # "Martin Schulz" after "Micheál Martin": a given name
                if last_full_at < 0 or last_unknown_at > last_full_at:
                    continue
                res = _people_by_date(self.k, [pid], self.day)
                if res:
                    out.append(Mention(pos, m.end(), sn, self.k.actors[res[1].actor].ref(), 0.75,
                                       "person", res[1].role))
        return out


# -- coreference ----------------------------------------------------------------------

_COREF = re.compile(
    r"\b(?P<pair>(?:[Tt]he|[Bb]oth|[Tt]hese) two (?:countries|states|nations|republics)|[Bb]oth (?:countries|states|nations))\b"
    r"|\b(?P<country>[Tt]he (?:country|state)|[Hh](?:is|er) (?:country|government))\b(?!\s+of\b)"
    r"|\b(?P<fl>[Tt]he (?:latter|former))\b"
    r"|(?P<it>\b[Ii]t\b)"
    r"|(?P<its>(?<![\w])Its\b)"
    r"|\b(?P<accord>[Tt]he (?:[Aa]ccords?)|Accords)\b"
    r"|\b(?P<org>[Tt]he (?:organi[sz]ation|bloc|grouping|union))\b(?!\s+(?:of|for)\b)"
)

_ADVERBIAL_OPENING = re.compile(
    r"(?:[\w-]+ (?:days?|weeks?|months?|years?) )?(?:After|Before|Since|During|Following|Despite|Unlike|Like|Until|"
    r"Amid|Ahead of|In response to|Under|Two days after|Days after|Weeks after)\b[^,]*$")

_OFFICE_HEADS = {"minister", "president", "secretary", "premier", "chancellor", "king", "queen", "emir", "sultan",
                 "speaker", "chief", "head", "leader", "general", "of", "the", "state", "government"}

_HONORIFICS = {"president", "minister", "premier", "ambassador", "mr", "mrs", "ms", "dr", "secretary",
               "chancellor", "king", "emir", "speaker", "general", "ayatollah", "sheikh", "senator",
               "leader", "chairman", "envoy", "deputy", "governor", "prince", "sultan", "mp", "mks",
               "queen", "taoiseach"}
_CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                   "friday", "saturday", "sunday"}
_NAMEISH = {"name", "alias", "capital", "epithet", "title", "coref"}


class _Coref:
    def __init__(self, r: _Resolver, mentions: list[Mention]):
        self.r = r
        self.ms = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.ms]

    def candidates(self, pos: int, back: int, kinds: tuple[str, ...] = ("state",)) -> list[Mention]:
        """Mentions before ``pos`` in this sentence and ``back`` sentences before, nearest first."""
        r = self.r
        s = r.sent_of(pos)
        lo = r.sent_starts[max(0, s - back)]
        k = bisect_right(self.starts, pos - 1)
        out = []
        for m in reversed(self.ms[:k]):
            if m.start < lo:
                break
            if m.end > pos:
                continue
            if m.actor.kind not in kinds:
                continue
            a = r.k.actors.get(m.actor.id)
            if a is not None and a.kind == "state" and not a.exists(r.day):
                continue  # "the two countries" is not the Soviet Union
            out.append(m)
        return out

    def subject(self, pos: int) -> Mention | None:
        """The actor a sentence is about: the first name-like state mention of this sentence
        before ``pos``, else the first of the previous sentence."""
        r = self.r
        s0 = r.sent_starts[r.sent_of(pos)]
        # not a possessive inside an opening adverbial ("Two days after Taiwan's election, it ...")
        same = [m for m in self.candidates(pos, 0) if r.sent_of(m.start) == r.sent_of(pos)
                and not (_ADVERBIAL_OPENING.match(r.text[s0:m.start]) and r.text[m.end:m.end + 2] in ("'s", "’s"))]
        pool = [m for m in same if m.via in _NAMEISH or m.via == "person"] or same
        if pool:
            return min(pool, key=lambda m: m.start)
        prev = [m for m in self.candidates(pos, 1) if r.sent_of(m.start) == r.sent_of(pos) - 1]
        pool = [m for m in prev if m.via in _NAMEISH or m.via == "person"] or prev
        if pool:
            return min(pool, key=lambda m: m.start)
        return None

    def find(self) -> list[Mention]:
        r, c = self.r, self.r.cues
        text = r.text
        spans = [(m.start, m.end) for m in self.ms]
        span_starts = [x[0] for x in spans]
        out: list[Mention] = []
        for mt in _COREF.finditer(text):
            kind = mt.lastgroup
            s, e = mt.span(kind)
            k = bisect_right(span_starts, e - 1) - 1
            if k >= 0 and spans[k][1] > s:
                continue  # overlaps a name mention
            after = text[e:e + 40]
            nxt = re.match(r"\s*([’']s\b|[\w-]+|[^\w\s])", after)
            nxt_tok = nxt.group(1) if nxt else ""
            new: list[Mention] = []
            if kind == "pair":
                # a capital named as a place ("met in Beijing") is one of the two only when
                # nothing else fits ("Israel opened an embassy in Ashgabat. Both countries...")
                every = self.candidates(s, 2)
                loose = [m for m in every if m.role != "location"]
                strict = [m for m in loose if m.via in _NAMEISH]
                for pool in (strict, [m for m in loose if m.via != "demonym"], loose,
                             [m for m in every if m.via in _NAMEISH]):
                    ids: list[Mention] = []
                    for m in pool:
                        if m.actor.id not in [x.actor.id for x in ids]:
                            ids.append(m)
                        if len(ids) == 2:
                            break
                    if len(ids) == 2:
                        break
                if len(ids) == 2:
                    # in the order the window first names them
                    first = {x.actor.id: min(m.start for m in every if m.actor.id == x.actor.id) for x in ids}
                    for m in sorted(ids, key=lambda x: first[x.actor.id]):
                        new.append(Mention(s, e, text[s:e], m.actor, 0.6, "coref", "pair"))
            elif kind == "country":
                ante = self.subject(s)
                if ante:
                    new.append(Mention(s, e, text[s:e], ante.actor, 0.6, "coref", None))
            elif kind == "fl":
                verbish = nxt_tok.islower() and nxt_tok.endswith(("ed", "s")) and not nxt_tok.endswith("ss")
                if nxt_tok and (nxt_tok.lower() in c["former_latter_next"] or nxt_tok.startswith(("'", "’"))
                                or verbish):
                    sent = [m for m in self.candidates(s, 1) if m.via in _NAMEISH or m.via == "person"]
                    distinct: list[Mention] = []
                    for m in sent:
                        if m.actor.id not in [x.actor.id for x in distinct]:
                            distinct.append(m)
                    if len(distinct) >= 2:
                        ante = distinct[0] if "latter" in mt.group(kind) else distinct[1]
                        new.append(Mention(s, e, text[s:e], ante.actor, 0.6, "coref", None))
            elif kind in ("it", "its"):
                if kind == "it":
                    words = re.findall(r"[\w’']+", after)[:2]
                    if not words:
                        continue
                    w1 = words[0].lower()
                    w2 = (w1 + " " + words[1].lower()) if len(words) > 1 else w1
                    if w1 in c["it_not_after"] or w2 in c["it_not_after"] or after.startswith(("’s", "'s")):
                        continue
                    if w1 not in c["it_verbs"]:
                        # one adverb between: "it also signed", "it quickly joined"
                        if not (w1.endswith("ly") or w1 in ("also", "then", "later", "now", "still", "already", "soon", "never")):
                            continue
                        if len(words) < 2 or words[1].lower() not in c["it_verbs"]:
                            continue
                    # "it" as a subject: not after a verb or a preposition ("referred to it")
                    before = re.findall(r"[\w’']+|[^\w\s]", text[max(0, s - 30):s])
                    b = before[-1].lower() if before else ""
                    if b and b.isalpha() and b not in ("and", "but", "as", "since", "because", "when", "while",
                                                       "after", "before", "that", "where", "so", "if", "although",
                                                       "though", "until", "once", "then", "later", "year",
                                                       "month", "week", "now", "today", "yesterday") \
                            and b not in _CALENDAR_WORDS:  # "on 24 January it restored ..." 
                        continue
                else:
                    if r.sent_starts[r.sent_of(s)] not in (s, s - 1):
                        continue
                ante = self.subject(s)
                if ante is not None:
                    a_kind = ante.actor.kind
                    if a_kind in ("state", "organisation"):
                        new.append(Mention(s, e, text[s:e], ante.actor, 0.5, "coref", None))
            elif kind == "accord":
                ante = self.candidates(s, 6, kinds=("accord",))
                if ante:
                    new.append(Mention(s, e, text[s:e], ante[0].actor, 0.6, "coref", None))
            elif kind == "org":
                ante = self.candidates(s, 6, kinds=("organisation",))
                if ante:
                    new.append(Mention(s, e, text[s:e], ante[0].actor, 0.6, "coref", None))
            if new:
                out.extend(new)
                # later pronouns can point at this one
                for m in new[:1] if kind != "pair" else []:
                    k = bisect_right(self.starts, m.start)
                    self.ms.insert(k, m)
                    self.starts.insert(k, m.start)
        return out + self.interviewee_we(spans)

    def interviewee_we(self, spans: list[tuple[int, int]]) -> list[Mention]:
        """In a question-and-answer interview ("Q: ..." lines, answers under the speaker's
        name), "we", "our" and "us" in the answers are the interviewee's state: the state of
        the person whose surname heads the answers."""
        text = self.r.text
        if not _QUESTION_LINE.search(text):
            return []
        heads = Counter(m.group(1) for m in _ANSWER_LINE.finditer(text) if m.group(1) not in ("Q", "Question"))
        if not heads:
            return []
        name = heads.most_common(1)[0][0]
        people = [m for m in self.ms if m.via == "person" and name in m.text and m.actor.kind == "state"]
        if not people:
            return []
        state = people[0].actor
        out = []
        for line in _ANSWER_LINE.finditer(text):
            if line.group(1) != name:
                continue
            end = text.find("\n", line.end())
            end = len(text) if end < 0 else end
            for w in _FIRST_PLURAL.finditer(text, line.end(), end):
                if any(a < w.end() and w.start() < b for a, b in spans) or _in_quote(text, line.end(), w.start()):
                    continue
                out.append(Mention(w.start(), w.end(), w.group(0), state, 0.5, "coref", None))
        return out


_QUESTION_LINE = re.compile(r"^(?:Q|Question)\s*[:.]", re.M)
_ANSWER_LINE = re.compile(r"^([A-Z][\w’'-]+)\s*:", re.M)
_FIRST_PLURAL = re.compile(r"\b(?:[Ww]e|[Oo]ur|us)\b")


def _in_quote(text: str, start: int, pos: int) -> bool:
    """Is ``pos`` inside a quotation opened after ``start`` (someone else's words)?"""
    seg = text[start:pos]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1


# -- public API -----------------------------------------------------------------------


def find_mentions(text: str, *, published: PartialDate | date | str | None = None) -> list[Mention]:
    """Every actor mention in ``text``, sorted by start offset.

    Each Mention carries the character span into ``text``, the resolved actor (states,
    organisations, accords and groups as themselves; a person as the STATE or organisation
    they act for, with ``via="person"`` and their office in ``role``), a confidence, how it
    was resolved (``via``: name, alias, demonym, capital, epithet, title, person, group,
    coref) and a ``role`` (an office such as "president" or "foreign ministry", "origin" for
    "Turkish UAVs", "location" for a capital used as a place, "region", or "pair").

    ``published`` (the article's date) decides who "Aliyev" is and which state "Moscow"
    stands for; without it, the current holder and the existing state are chosen.

        >>> [m.actor.id for m in find_mentions("Aliyev met Tokayev.", published=PartialDate.parse("1998"))]
        ['AZE', 'KAZ']
    """
    if not text:
        return []
    r = _Resolver(text, published)
    found = [m for m in r.names() if m.via != "stop"]
    found += r.late_surnames(found)
    found += r.local_people_mentions(found)
    found += _Coref(r, found).find()
    found.sort(key=lambda m: (m.start, m.end))
    return found


def pairs(mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    """The two-state coreference mentions ("the two countries") grouped back into pairs."""
    out = []
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        if m.role == "pair":
            by_span.setdefault((m.start, m.end), []).append(m)
    for v in by_span.values():
        if len(v) == 2:
            out.append((v[0], v[1]))
    return out


def _fold(s: str) -> str:
    import unicodedata

    s = "".join(_APOS.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"^the\s+", "", s.strip().casefold())
    return re.sub(r"[\s.]+", " ", s).strip()


@lru_cache(maxsize=1)
def _lookup_index() -> dict[str, list[str]]:
    k = knowledge()
    idx: dict[str, list[str]] = {}

    def add(key: str, aid: str) -> None:
        if not key:
            return
        lst = idx.setdefault(_fold(key), [])
        if aid not in lst:
            lst.append(aid)

    for a in k.actors.values():
        add(a.id, a.id)
        for n in a.names + a.demonyms + a.capitals + a.former_capitals + a.epithets:
            add(n, a.id)
        for code in a.codes.values():
            add(code, a.id)
    for p in k.persons.values():
        add(p.id, p.id)
        for n in p.names:
            add(n, p.id)
        if p.surname:
            add(p.surname, p.id)
    return idx


def lookup(query: str) -> list[Actor]:
    """Actors known by ``query``: an id, any name or alias, an ISO 3166 alpha-2/alpha-3 or COW
    code (numeric or letters), a demonym, a capital, an epithet, or a person's name or surname
    (case and accents ignored). Returns [] when nothing matches.

        >>> [a.id for a in lookup("Kirghizia")]
        ['KGZ']
    """
    k = knowledge()
    ids = _lookup_index().get(_fold(query), [])
    return [a for a in (k.get(i) for i in ids) if a is not None]


def actor(actor_id: str) -> Actor:
    """The actor with this id (or, failing that, the one actor a name identifies).
    Raises UnknownActor with close suggestions."""
    k = knowledge()
    a = k.get(actor_id) or k.get(actor_id.upper())
    if a:
        return a
    found = lookup(actor_id)
    if len(found) == 1:
        return found[0]
    import difflib

    keys = list(_lookup_index())
    close = difflib.get_close_matches(_fold(actor_id), keys, n=5, cutoff=0.75)
    sugg: list[str] = []
    for c in close:
        for aid in _lookup_index()[c]:
            x = k.get(aid)
            label = f"{x.id} ({x.name})" if x else aid
            if label not in sugg:
                sugg.append(label)
    if found:
        sugg = [f"{x.id} ({x.name})" for x in found] + sugg
    raise UnknownActor(actor_id, sugg[:5])


def members(org_id: str, at: date | PartialDate | str | None = None, *,
            statuses: tuple[str, ...] = ("full",)) -> list[str]:
    """Ids of the members of an organisation or accord on day ``at`` (default: today's
    open memberships), with the given statuses (full members by default).

        >>> members("OTS", "2020-06-01")
        ['AZE', 'KAZ', 'KGZ', 'TUR', 'UZB']
    """
    a = actor(org_id)
    day = to_date(at) if not isinstance(at, date) else at
    if day is None:
        day = date.today()
    return sorted({m.member for m in a.members if m.status in statuses and m.active(day)})


def expand_group(group_id: str, at: date | PartialDate | str | None = None) -> list[str]:
    """The member states of a group actor ("CENTRAL_ASIA", "TURKIC_STATES", "THE_WEST") on
    day ``at``: a fixed list, or the members of the organisations that define it."""
    a = actor(group_id)
    if a.kind != "group":
        if a.kind in ("organisation", "accord"):
            return members(a.id, at)
        return [a.id]
    if a.definition.startswith("members:"):
        out: set[str] = set()
        for org in a.definition.split(":", 1)[1].split("+"):
            out |= set(members(org, at))
        return sorted(out)
    return sorted(a.group_members)


def ref(actor_id: str) -> ActorRef:
    """The ActorRef of an actor id (raises UnknownActor)."""
    return actor(actor_id).ref()


__all__ = [
    "Actor",
    "actor",
    "expand_group",
    "find_mentions",
    "lookup",
    "members",
    "pairs",
    "ref",
    "sentence_starts",
]
