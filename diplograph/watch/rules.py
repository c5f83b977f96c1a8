"""Which changes become alerts: a YAML file of rules. Without one, every change does.

    # alerts.yaml
    rules:
      - name: Central Asian alliances
        actors: [Uzbekistan, Kazakhstan, KGZ]   # any name or code; a party must be one of them
        types: [alliance, accession_membership, conflict]
        modalities: [asserted, planned]
        min_sources: 1

A change matches a rule when it meets every condition the rule gives; it is an alert when
it matches any rule. ``types`` are claim types (alliance, strategic_partnership,
diplomatic_relations, accession_membership, ...), relation states (allied,
strategic_partners, diplomatic_relations, member_of) or kinds of change (relation_began,
relation_ended, conflict, speculation, plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DiplographError
from ..models import CLAIM_TYPES, MODALITIES

RELATION_STATES = ("allied", "strategic_partners", "diplomatic_relations", "member_of")
CHANGE_KINDS = ("relation_began", "relation_ended", "conflict", "speculation", "plan")
KNOWN_TYPES = tuple(CLAIM_TYPES) + RELATION_STATES + CHANGE_KINDS
_FIELDS = ("name", "actors", "types", "modalities", "min_sources")


@dataclass
class Rule:
    name: str
    actors: list[str] = field(default_factory=list)  # actor ids; empty: any
    types: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    min_sources: int = 1

    def matches(self, alert: dict[str, Any]) -> bool:
        if self.actors and not {a["id"] for a in alert.get("actors", [])} & set(self.actors):
            return False
        if self.types and not set(alert.get("tags", [])) & set(self.types):
            return False
        if self.modalities and not set(alert.get("modalities", [])) & set(self.modalities):
            return False
        return int(alert.get("n_sources") or 0) >= self.min_sources


@dataclass
class Rules:
    """The rules of a file (empty: every change is an alert)."""

    rules: list[Rule] = field(default_factory=list)
    path: str | None = None

    def match(self, alert: dict[str, Any]) -> list[str]:
        """The names of the rules the change matches (["*"] without rules)."""
        if not self.rules:
            return ["*"]
        return [r.name for r in self.rules if r.matches(alert)]


def load_rules(path: str | Path | None, *, resolve: Any = None) -> Rules:
    """Read a rules file. ``resolve(name) -> actor id`` turns names into ids (Graph's
    ``actor_ref``); a name it does not know is an error naming the rule."""
    if path is None:
        return Rules()
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"Cannot read the rules file {p}: {e.strerror or e}.") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML ({e}). See `diplograph watch --help` for the format.") from e
    if isinstance(data, dict):
        unknown = set(data) - {"rules"}
        if unknown:
            raise ConfigError(f"{p}: unknown top-level key {min(unknown)!r}; the file holds `rules:`, a list.")
        data = data.get("rules")
    if data is None:
        return Rules(path=str(p))
    if not isinstance(data, list):
        raise ConfigError(f"{p}: `rules` must be a list of rules (- name: ..., actors: [...], types: [...]).")
    rules = [_rule(p, n, raw, resolve) for n, raw in enumerate(data, 1)]
    return Rules(rules, str(p))


def _rule(p: Path, n: int, raw: Any, resolve: Any) -> Rule:
    where = f"{p}: rule {n}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} is not a mapping (name:, actors:, types:, modalities:, min_sources:).")
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {min(unknown)!r}. Keys: {', '.join(_FIELDS)}.")
    name = str(raw.get("name") or f"rule {n}")
    where = f"{p}: rule {name!r}"
    lists = {}
    for key in ("actors", "types", "modalities"):
        v = raw.get(key) or []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, (str, int)) for x in v):
            raise ConfigError(f"{where}: `{key}` must be a list of names.")
        lists[key] = [str(x) for x in v]
    bad = [t for t in lists["types"] if t not in KNOWN_TYPES]
    if bad:
        raise ConfigError(f"{where}: unknown type {bad[0]!r}. Types: {', '.join(KNOWN_TYPES)}.")
    bad = [m for m in lists["modalities"] if m not in MODALITIES]
    if bad:
        raise ConfigError(f"{where}: unknown modality {bad[0]!r}. Modalities: {', '.join(MODALITIES)}.")
    actors = []
    for a in lists["actors"]:
        if resolve is None:
            actors.append(a)
            continue
        try:
            actors.append(resolve(a))
        except DiplographError as e:
            raise ConfigError(f"{where}: unknown actor {a!r} ({e}).") from e
    try:
        min_sources = int(raw.get("min_sources", 1))
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: `min_sources` must be a whole number.") from None
    return Rule(name, actors, lists["types"], lists["modalities"], max(1, min_sources))
