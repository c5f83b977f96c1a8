"""Arms transfers (supplier, recipient, weapons named by origin) and conflict actions
(strikes, clashes, accusations and who alleges them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from ...mentions.actors import ref as actor_ref
from ...models import ActorRef
from ..frame import FROM, IN, MOD, OBJ, OF, OUT, SUBJ, TO, WITH, Frame
from ..registry import ClaimType, extractor
from .common import LENT, ON, STATE, Parties, between_parties, distinct_actors


@cache
def _weapon_origins() -> list[tuple[re.Pattern[str], str]]:
    """(name pattern, maker state) for well-known weapon systems (data/en/roles.yaml)."""
    from ...tables import load_yaml  # parsed once per content (diplograph.tables)
    data = load_yaml((resources.files("diplograph") / "data" / "en" / "roles.yaml").read_text("utf-8"))
    out = []
    for state, names in (data.get("weapon_origins") or {}).items():
        for n in names:
            out.append((re.compile(r"(?<![\w-])" + re.escape(str(n)) + r"(?![\w-])"), state))
    return out


def _origin_by_name(f: Frame) -> list[ActorRef]:
    """The maker of a weapon system named in the trigger's clause ("Bayraktar drones")."""
    text = f.clause_text()
    found = sorted((m.start(), state) for rx, state in _weapon_origins() if (m := rx.search(text)))
    return distinct_actors([actor_ref(state) for _, state in found])


_FROM_BEFORE = re.compile(r"\bfrom (?:the )?$", re.I)


_WEAPON_WORDS = {"jets", "aircraft", "drones", "missiles", "systems", "tanks", "helicopters", "fighters", "vehicles",
                 "launchers", "howitzers", "weapons", "arms", "munitions", "ammunition", "radars", "batteries"}


_SUSPENDING = {"pause", "suspend", "halt", "freeze"}


_SHORTLIST = {"shortlist", "short-list", "shortlisted"}


def _supplier_before(f: Frame, recipient: ActorRef, window: int = 3) -> ActorRef | None:
    """The supplier of the arms transfer to ``recipient`` reported just before ("... will
    supply 40 vehicles to Kenya. The first 12 were shipped to Mombasa in July")."""
    if f.context is None:
        return None
    for idx, prev in reversed(f.context.recent):
        if f.sentence.index - idx > window:
            break
        if prev.type == "arms_transfer" and prev.object is not None and prev.object.id == recipient.id:
            return prev.subject
    return None


@extractor("arms_transfer")
def arms_transfer(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Supplier -> recipient. Buyers are subjects of purchase verbs; sellers subjects of
    supply verbs; the weapons' origin is "from X", the demonym on the weapon noun, or the
    maker of a weapon system the text names ("Bayraktar drones"), in the trigger's own
    clause first ("to buy jets from Sweden, to replace its Israeli-built Kfirs": Sweden)."""
    lemma = f.predicate.lemma_.lower()
    trig = f.trigger.lemma_.lower()
    heads = [f.predicate, *(f.parse[i] for i in f.lenders if f.parse[i].lemma_.lower() == "be")]
    if lemma == "arrive" and not any(c.dep_ in ("nsubj", "nsubjpass") and (
            c.lower_ in _WEAPON_WORDS or t.requires is not None and t.requires.search(c.text))
            for h in heads for c in h.children):
        return  # "Russian air defence systems arrived in 2020", not "the minister arrived"
    if lemma == "arrive" and f.context is not None and not f.actors(SUBJ, LENT, FROM, kinds=STATE) \
            and not any(f.context.is_weapon_origin(f, rm) for rm in f.mentions) and not _origin_by_name(f):
        # "The first four aircraft are to arrive in 2026": the deliveries of the deal just
        # reported, from its supplier to its buyer (unless another recipient is named)
        where = f.actors(IN, TO, kinds=STATE)
        for idx, prev in reversed(f.context.recent):
            if f.sentence.index - idx > 3:
                break
            if prev.type == "arms_transfer" and prev.subject is not None and prev.object is not None \
                    and (not where or where[0].id == prev.object.id):
                yield Parties(prev.subject, prev.object, subtype=prev.subtype, confidence=-0.2)
                return
    if f.trigger.pos_ == "NOUN" and f.trigger.head.lemma_.lower() in _SUSPENDING and f.trigger.dep_ in ("dobj", "nsubjpass"):
        return  # "paused weapons shipments to Ukraine": a suspension (other), not a transfer
    shortlist = trig in _SHORTLIST or f.trigger.lower_ in _SHORTLIST
    buying = lemma in {"purchase", "buy", "acquire", "order", "receive", "procure", "obtain", "hold", "get", "sign"} \
        or f.trigger_text.lower() in ("took delivery", "take delivery") or shortlist
    if trig in ("contract", "deal", "order") and lemma in ("sign", "conclude", "place", "award"):
        # "Poland signed a contract with South Korea for 180 tanks": buyer -> supplier's goods;
        # "X and Y watched officials sign a deal for 12 Rafale jets": the maker sells
        buyers = f.actors(SUBJ, LENT, kinds=STATE)
        sellers = f.actors(WITH, kinds=STATE) or f.actors(FROM, kinds=STATE) or _origin_by_name(f)
        maker = _origin_by_name(f)
        if buyers and maker and maker[0].id == buyers[0].id and f.actors(WITH, kinds=STATE):
            # "France signed a contract with Armenia for 36 Caesar howitzers": the maker sells
            buyers, sellers = [a for a in f.actors(WITH, kinds=STATE) if a.id != maker[0].id], maker
        sellers = [a for a in sellers if not buyers or a.id != buyers[0].id or len(buyers) > 1]
        buyers = [b for b in buyers if not sellers or b.id != sellers[0].id]
        for b in buyers[:1]:
            for s_ in sellers[:1]:
                yield Parties(s_, b, subtype=t.subtype_for(f.clause_text()))
        return
    ranked: list[tuple[int, int, ActorRef]] = []
    for rm in f.mentions:
        if rm.actor.kind != "state":
            continue
        before = f.doc_text[max(f.sentence.start, rm.mention.start - 10) : rm.mention.start]
        if rm.role == FROM or _FROM_BEFORE.search(before):
            rank = 0  # "from X", also lower down the object ("its first batch of vehicles from the UAE")
        elif rm.mention.via != "coref" and f.context is not None and f.context.is_weapon_origin(f, rm):
            rank = 1  # "Chinese-made drones"; not "its jets", which are the owner's
        else:
            continue
        ranked.append((rank + (2 if rm.role == OUT else 0), rm.mention.start, rm.actor))
    origin = [a for _, _, a in sorted(ranked, key=lambda x: (x[0], x[1]))]
    subj = f.actors(SUBJ, LENT, kinds=STATE)
    if shortlist and not subj:
        subj = f.actors(MOD, kinds=STATE)  # "Peru's shortlist"
    if buying and not subj:
        subj = _subject_above_participle(f)  # "Malaysia expects the jets ordered from Korea"
    if not subj and f.context is not None and (topic := f.context.topic_for(f)):
        subj = [topic]
    sub = t.subtype_for(f.clause_text())
    if buying or sub == "licensed_production" or trig in ("purchase", "acquisition", "procurement"):
        origin = distinct_actors(origin) or _origin_by_name(f)
        adjust = 0.0
        if sub == "licensed_production" and not subj:
            subj = f.actors(IN, kinds=STATE)  # "the tanks will be assembled under licence in Poland"
        if not origin and subj and f.context is not None:
            # "... will be assembled under licence in Poland": the supplier of the deal just reported
            if (prev := _supplier_before(f, subj[0], window=2)) is not None:
                origin, adjust = [prev], -0.2
        # "a shortlist of the Gripen, the F-16 and the Rafale": each maker is a candidate
        for s in origin[: 4 if shortlist else 1]:
            # "the two governments signed an agreement on the purchase of Swedish jets": the buyer
            # is the subject that is not the maker
            for r in [a for a in subj if a.id != s.id][:1]:
                yield Parties(s, r, subtype=sub, confidence=adjust)
        return
    if not f.actors(SUBJ, LENT, kinds=STATE):
        # "Chinese transport planes flew missiles to Belgrade", "Russian systems arrived in 2020"
        subj = distinct_actors(origin[:1]) or (_origin_by_name(f)[:1] if lemma in ("arrive", "fly") else []) or subj
    recipients = [a for a in f.actors(TO, kinds=STATE) or f.actors(OBJ, kinds=STATE) if not subj or a.id != subj[0].id]
    if lemma == "arrive":
        recipients = [a for a in f.actors(IN, TO, kinds=STATE) if not subj or a.id != subj[0].id]
        if not recipients and f.context is not None and subj:
            # "Russian Pantsir systems arrived in 2020": in the country in the news
            # (the recipient of the arms transfer just reported, else the topic)
            recent = [c.object for idx, c in f.context.recent if c.type == "arms_transfer" and c.object is not None
                      and f.sentence.index - idx <= 3 and c.object.id != subj[0].id][-1:]
            topic = f.context.topic_for(f, exclude={subj[0].id})
            recipients = recent or ([topic] if topic else [])
    adjust = 0.0
    if recipients and (not subj or subj[0].id == recipients[0].id or not f.actors(SUBJ, LENT, kinds=STATE) and not origin):
        # "The first 12 vehicles were shipped to Mombasa in July": the supplier just reported
        if (prev := _supplier_before(f, recipients[0])) is not None:
            subj, adjust = [prev], -0.15
    if subj and not recipients:
        # "X supplied Y with patrol boats and agreed to provide radars": the one other state
        others = [a for a in distinct_actors([rm.actor for rm in f.mentions if rm.actor.kind == "state"]) if a.id != subj[0].id]
        recipients, adjust = (others, -0.2) if len(others) == 1 else ([], 0.0)
    for s in subj[:1]:
        for r in recipients[:1]:
            yield Parties(s, r, subtype=sub, confidence=adjust)


def _subject_above_participle(f: Frame) -> list[ActorRef]:
    """The state subject of the clause whose noun a bare participle modifies: in "Malaysia
    expects the first of 18 jets ordered from Korea to arrive", Malaysia placed the order."""
    if f.trigger.dep_ != "acl" or f.trigger.tag_ != "VBN" or any(
            c.dep_ == "agent" for c in f.trigger.children):
        return []
    x = f.trigger.head
    for _ in range(6):
        if x.pos_ in ("VERB", "AUX") or x.head.i == x.i:
            break
        x = x.head
    subjects = [c for c in x.children if c.dep_ == "nsubj"]
    if x.pos_ not in ("VERB", "AUX") or not subjects:
        return []
    lo, hi = subjects[0].left_edge.i, subjects[0].right_edge.i
    return [rm.actor for rm in f.mentions if rm.actor.kind == "state" and lo <= rm.token <= hi][:1]


_SPEECH_VERBS = {"say", "accuse", "claim", "allege", "charge", "report", "tell", "insist", "state", "blame"}


def _alleged_by(f: Frame) -> list[ActorRef]:
    """States whose officials report the trigger's clause: the subjects of a speech verb
    that governs it ("The Thai army said Cambodian forces opened fire", "Cambodia accused
    Thai soldiers of firing first")."""
    out: list[ActorRef] = []
    for i in [f.predicate_token, *f.lenders]:
        tok = f.parse[i]
        if tok.lemma_.lower() in _SPEECH_VERBS and i != f.trigger_token:
            for rm in f.mentions:
                x = f.parse[rm.token]
                while x.dep_ in ("compound", "amod", "poss", "conj", "appos") and x.head.i != x.i:
                    x = x.head
                if x.head.i == i and x.dep_ in ("nsubj", "nsubjpass") and rm.actor.kind == "state":
                    out.append(rm.actor)
    return distinct_actors(out)


def _accused_of(f: Frame) -> tuple[list[ActorRef], list[ActorRef]]:
    """"X accused Y's soldiers of advancing on its positions": (the accused, the accusers)."""
    x = f.trigger
    while x.dep_ in ("pcomp", "pobj", "prep", "conj") and x.head.i != x.i:
        x = x.head
        if x.pos_ == "VERB" and x.lemma_.lower() in ("accuse", "blame"):
            accused, accusers = [], []
            # "X's ministry rejected that account and accused ...": the subject they share
            speaker = x.head.i if x.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in x.children) else x.i
            for rm in f.mentions:
                y = f.parse[rm.token]
                while y.dep_ in ("compound", "amod", "poss", "conj", "appos") and y.head.i != y.i:
                    y = y.head
                if y.head.i == x.i and y.dep_ == "dobj" and rm.actor.kind == "state":
                    accused.append(rm.actor)
                elif y.head.i in (x.i, speaker) and y.dep_ == "nsubj" and rm.actor.kind == "state":
                    accusers.append(rm.actor)
            return distinct_actors(accused), distinct_actors(accusers)
    return [], []


@extractor("conflict_action")
def conflict_action(f: Frame, t: ClaimType) -> Iterator[Parties]:
    """Actor -> target: "X invaded Y", "X's strikes on Y", "the bombing of Y by X". A
    conflict with no natural direction ("the conflict between X and Y", "the X-Y war",
    "X and Y clashed") goes from the first named to the second. One side's account of an
    attack on itself ("Phnom Penh said Thai aircraft had dropped bombs") is an allegation:
    speculative, with the accuser as the target when the clause names none."""
    noun = f.trigger.pos_ in ("NOUN", "PROPN")
    between = between_parties(f, STATE) if noun else []
    if len(between) >= 2:
        yield Parties(between[0], between[1])
        return
    own = f.own_mods(STATE) if noun else []
    withs = f.actors(WITH, kinds=STATE)
    if len(own) >= 2 and any(w.id not in {a.id for a in own} for w in withs):
        own = own[-1:]  # "... and Baku's conflict with Armenia": the possessor next to the noun
    # the clause's own subject before a subject lent by a speech verb above it
    actors = own or f.actors(SUBJ, kinds=STATE) or f.actors(LENT, kinds=STATE) or f.actors(MOD, kinds=STATE)
    accusers = _alleged_by(f)
    if actors and accusers and actors[0].id == accusers[0].id and f.actors(SUBJ, kinds=STATE) == []:
        actors = f.actors(MOD, kinds=STATE) or actors
    targets = [a for a in f.actors(OBJ, ON, OF, IN, WITH, TO, kinds=STATE) if not actors or a.id != actors[0].id]
    if len(actors) >= 2 and not targets:
        # "The two neighbours fought a border war": the first named against the second
        yield Parties(actors[0], actors[1])
        return
    accused, accusers_ = _accused_of(f)
    if accused:  # "Cambodia accused Thai soldiers of firing first"
        actors, accusers = accused, accusers_
        targets = [a for a in targets if a.id != actors[0].id] or accusers[:1]
    adjust = 0.0
    if actors and not targets and accusers and accusers[0].id != actors[0].id:
        targets, adjust = accusers[:1], -0.15  # "X said Y's aircraft bombed a road": on X
    if actors and targets and accusers and accusers[0].id == targets[0].id and f.modality == "asserted":
        f.modality = "speculative"  # the target's own account of the attack
    sub = t.subtype_for(f.trigger_text)
    for a in actors[:1]:
        for tg in targets[:1]:
            yield Parties(a, tg, confidence=adjust, subtype=sub)
