"""Which organisations could a state join next? Membership history and its features.

``Memberships`` holds states (as ``history.Builder`` knows them: COW region, entry into and
exit from the state system), organisations, and every spell of full membership as arrays.
``from_cow_igo`` reads the COW IGO v3 spells file (manyios: years only, gaps inside a spell
collapsed); ``from_store`` reads a store's ``member_of`` states beside the reference
knowledge's dated memberships, so the backtest and the live forecast score alike.

Features of a pair (state i, organisation k) at cut-off t, for every state active at t and
every organisation with at least one member at t that i does not belong to:

- ``size``: log(1 + members of k);
- ``growth``: log(1 + states that joined k in the five years before t);
- ``region``: the share of the states of i's COW region that belong to k;
- ``partners``: the share of i's partners that belong to k, a partner weighted by the
  organisations it shares with i, each of those counting 1 / (its members - 1) (two states
  in a club of five are closer than two in the UN);
- ``region_log``, ``partners_log``: log(share + 0.001) of each, so the odds can grow as a
  power of the share (on 2026-12-07, before COW IGO's state codes were read ISO-first, the
  backtest's Brier was 0.005328 with the shares alone, 0.005284 with both);
- ``joins``: log(1 + organisations i joined in the five years before t);
- ``degree``: log(1 + organisations i belongs to);
- ``former``: 1 if i belonged to k before and left;
- ``young``: 1 if i entered the state system in the five years before t;
- ``new_org``: 1 if k's first member joined in the five years before t.

Baselines: organisation size (members of k) and shared-organisation partners (the share
of the states sharing any organisation with i that belong to k, unweighted).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SourceError
from ..models import ActorRef
from .history import NEVER, Builder, year_of

FEATURES = ("size", "growth", "region", "partners", "region_log", "partners_log", "joins", "degree", "former",
            "young", "new_org")
SHARE_FLOOR = 1e-3  # log(share + this): a share of zero is not minus infinity
RECENT_YEARS = 5.0
COW_IGO_COLUMNS = ("stateID", "StateName", "igoID", "Beg", "End")


@dataclass
class Memberships:
    states: list[ActorRef]
    region: np.ndarray  # int per state (COW region, 0 unknown)
    born: np.ndarray
    died: np.ndarray
    orgs: list[ActorRef]
    s: np.ndarray  # state index per spell
    o: np.ndarray  # organisation index per spell
    start: np.ndarray  # fractional year the spell began
    end: np.ndarray  # and ended (inf: ongoing)
    covered_to: float = 0.0  # the first year the data no longer cover (0: the last start's next)

    @property
    def index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.states)}

    def active(self, t: float) -> np.ndarray:
        return (self.born <= t) & (self.died > t)

    def matrix(self, t: float) -> np.ndarray:
        """(states, organisations) 1 where the state is a full member at t."""
        m = np.zeros((len(self.states), len(self.orgs)))
        live = (self.start < t) & (self.end > t)
        m[self.s[live], self.o[live]] = 1
        return m


@dataclass
class PairFeatures:
    t: float
    i: np.ndarray  # state index
    k: np.ndarray  # organisation index
    x: np.ndarray  # (n_pairs, len(FEATURES))
    size: np.ndarray  # baseline: members of k
    partners: np.ndarray  # baseline: share of i's shared-organisation partners in k
    comembers: np.ndarray  # (states, states) weighted shared organisations (for explanations)


def _build(b: Builder, orgs: list[ActorRef], spells: list[tuple[int, int, float, float]],
           covered_to: float = 0.0) -> Memberships:
    sp = np.array(spells, dtype=float).reshape(-1, 4)
    return Memberships(b.states, np.array(b.regions), np.array(b.born), np.array(b.died), orgs,
                       sp[:, 0].astype(int), sp[:, 1].astype(int), sp[:, 2], sp[:, 3], covered_to)


def from_cow_igo(path: str | Path) -> Memberships:
    """The COW IGO v3 membership spells (manyios CSV). A spell from Beg to End is a full
    membership from 1 January of Beg to 1 January after End; one reaching the data's last
    year is ongoing. Every organisation of the file counts, known to diplograph or not."""
    from ..io.igo import organisation, state_of
    from ..models import PartialDate

    p = Path(path)
    try:
        stream = p.open(newline="", encoding="utf-8")
    except OSError as e:
        raise SourceError(str(p), f"cannot read it ({e.strerror})",
                          hint="give the path of cow_igo_v3_membership_spells_manyios.csv") from None
    b = Builder()
    orgs: dict[str, int] = {}
    refs: list[ActorRef] = []
    raw = []
    with stream:
        reader = csv.DictReader(stream)
        missing = [c for c in COW_IGO_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(str(p), f"not the COW IGO membership-spells layout: no column {', '.join(missing)}",
                              hint="give cow_igo_v3_membership_spells_manyios.csv "
                                   "(stateID, StateName, igoID, Title, cowigoNR, Beg, End)")
        for n, row in enumerate(reader, start=2):
            try:
                beg, end = int(float(row["Beg"])), int(float(row["End"]))
            except ValueError:
                raise SourceError(str(p), f"line {n}: Beg {row['Beg']!r} / End {row['End']!r} are not years",
                                  hint="the file should be the manyios COW IGO spells as published") from None
            if end < beg:
                raise SourceError(str(p), f"line {n}: End {end} is before Beg {beg}",
                                  hint="the file should be the manyios COW IGO spells as published")
            state = state_of(row, PartialDate(f"{beg:04d}", "year").bounds()[0])
            if state is None:
                continue  # a state diplograph does not know (German principalities before 1871)
            key = row["igoID"].strip()
            if key not in orgs:
                orgs[key] = len(refs)
                refs.append(organisation(key, row.get("Title") or "") or ActorRef(key, row.get("Title") or key,
                                                                                   "organisation"))
            raw.append((b.state(state), orgs[key], beg, end))
    last = max((r[3] for r in raw), default=0)
    spells = [(i, k, float(beg), NEVER if end >= last else float(end + 1)) for i, k, beg, end in raw]
    return _build(b, refs, spells, float(last + 1))


def from_store(store: Any) -> Memberships:
    """A store's dated ``member_of`` states of states, with the reference knowledge's dated
    full memberships (the seeds' organisations) beside them."""
    from ..mentions.knowledge import knowledge, to_date

    b = Builder()
    orgs: dict[str, int] = {}
    refs: list[ActorRef] = []
    spells = []

    def org(ref: ActorRef) -> int:
        if ref.id not in orgs:
            orgs[ref.id] = len(refs)
            refs.append(ref)
        return orgs[ref.id]

    k = knowledge()
    for m in k.memberships:
        a, o = k.actors.get(m.member), k.actors.get(m.organisation)
        if m.status != "full" or a is None or o is None or a.kind != "state":
            continue
        s = to_date(m.start)
        if s is None:
            continue
        spells.append((b.state(a.ref()), org(o.ref()), year_of(s), year_of(to_date(m.end, end=True))))
    for r in store.member_links():
        if (r["a_kind"] or "state") != "state":
            continue
        i = b.state(ActorRef(r["a_id"], r["a_name"] or r["a_id"], "state"))
        spells.append((i, org(ActorRef(r["b_id"], r["b_name"] or r["b_id"], r["b_kind"] or "organisation")),
                       year_of(r["start_day"]), year_of(r["end_day"])))
    return _build(b, refs, spells)


def pair_features(m: Memberships, t: float, *, rows: np.ndarray | None = None) -> PairFeatures:
    """Features of every (state, organisation) pair open at t (``rows``: only these states)."""
    n, n_orgs = len(m.states), len(m.orgs)
    mat = m.matrix(t)
    size = mat.sum(0)
    act = m.active(t)
    ii, kk = np.nonzero(np.ones((n, n_orgs), dtype=bool))
    keep = act[ii] & (size[kk] > 0) & (mat[ii, kk] == 0)
    if rows is not None:
        sel = np.zeros(n, dtype=bool)
        sel[rows] = True
        keep &= sel[ii]
    ii, kk = ii[keep], kk[keep]
    # partners: co-membership weighted by 1 / (members - 1) of each shared organisation
    w = mat / np.maximum(1.0, size - 1)
    co = w @ mat.T
    np.fill_diagonal(co, 0)
    share = _share(co, mat)
    plain = (mat @ mat.T > 0).astype(float)
    np.fill_diagonal(plain, 0)
    plain_share = _share(plain, mat)
    # the region's share of each organisation
    regions = np.unique(m.region)
    reg_share = np.zeros((n, n_orgs))
    for r in regions:
        inr = act & (m.region == r)
        if r > 0 and inr.any():
            reg_share[m.region == r] = mat[inr].sum(0) / inr.sum()
    recent = (m.start >= t - RECENT_YEARS) & (m.start < t)
    growth = np.bincount(m.o[recent], minlength=n_orgs).astype(float)
    joins = np.bincount(m.s[recent], minlength=n).astype(float)
    ended = m.end <= t
    former = np.zeros((n, n_orgs), dtype=bool)
    former[m.s[ended], m.o[ended]] = True
    first = np.full(n_orgs, np.inf)
    np.minimum.at(first, m.o, m.start)
    x = np.column_stack([
        np.log1p(size[kk]),
        np.log1p(growth[kk]),
        reg_share[ii, kk],
        share[ii, kk],
        np.log(reg_share[ii, kk] + SHARE_FLOOR),
        np.log(share[ii, kk] + SHARE_FLOOR),
        np.log1p(joins[ii]),
        np.log1p(mat.sum(1))[ii],
        former[ii, kk].astype(float),
        (m.born[ii] > t - RECENT_YEARS).astype(float),
        (first[kk] >= t - RECENT_YEARS).astype(float),
    ])
    return PairFeatures(t, ii, kk, x, size[kk], plain_share[ii, kk], co)


def _share(weights: np.ndarray, mat: np.ndarray) -> np.ndarray:
    """(states, organisations): the weighted share of each state's partners in each organisation."""
    tot = weights.sum(1, keepdims=True)
    return np.divide(weights @ mat, tot, out=np.zeros((len(weights), mat.shape[1])), where=tot > 0)


def outcomes(m: Memberships, t: float, horizon: float, f: PairFeatures) -> np.ndarray:
    """1 where the state began a spell in the organisation within [t, t + horizon)."""
    new = (m.start >= t) & (m.start < t + horizon)
    hit = np.zeros((len(m.states), len(m.orgs)), dtype=bool)
    hit[m.s[new], m.o[new]] = True
    return hit[f.i, f.k].astype(float)


def data_end(m: Memberships) -> float:
    """The first year the data no longer cover (COW IGO v3: 2015, its spells reach 2014)."""
    if m.covered_to:
        return m.covered_to
    s = m.start[np.isfinite(m.start)]
    return float(np.floor(s.max()) + 1) if len(s) else 0.0
