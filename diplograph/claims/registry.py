"""Claim types: one data file each (diplograph/data/claims/<type>.yaml) plus one small
function, registered with ``@extractor``. Built-in types register exactly as an outside
package would. Data files are validated at load time and every problem is reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import DataFileError, DiplographError
from ..models import CLAIM_TYPES

if TYPE_CHECKING:
    from ..models import Claim
    from .frame import Frame


@dataclass(frozen=True)
class ClaimType:
    """A claim type as its data file declares it."""

    name: str
    version: int
    description: str
    symmetric: bool
    subject_kinds: tuple[str, ...]
    object_kinds: tuple[str, ...]
    codes: dict[str, str | None]
    triggers: tuple[re.Pattern[str], ...]
    requires: re.Pattern[str] | None
    exclude: tuple[re.Pattern[str], ...]
    subtypes: tuple[tuple[str, re.Pattern[str]], ...]
    examples: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def extractor_name(self) -> str:
        return f"{self.name}.v{self.version}"

    @cached_property
    def any_trigger(self) -> AnyOf:
        """Whether any of the triggers matches a text (to skip a sentence fast)."""
        return AnyOf(self.triggers)

    def subtype_for(self, text: str) -> str | None:
        seen = self._subtypes_seen  # the pair generator asks again for every pairing of a trigger
        if text in seen:
            return seen[text]
        if len(seen) >= 4096:
            seen.clear()
        seen[text] = next((name for name, rx in self.subtypes if rx.search(text)), None)
        return seen[text]

    @cached_property
    def _subtypes_seen(self) -> dict[str, str | None]:
        return {}


def any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern matching wherever any of ``patterns`` (compiled without case) matches."""
    return re.compile("|".join(f"(?:{rx.pattern})" for rx in patterns), re.IGNORECASE)


class AnyOf:
    """Whether any of ``patterns`` matches somewhere in a text: the answer of ``any_of``'s
    ``search``, found several times faster. That one pattern tries its hundred-odd
    alternatives at every position of the text. Most triggers begin with a word boundary
    and one of a few letters ("\\balliances?\\b"): at each word boundary only those
    that can begin with the character found there are tried. The others, and positions
    holding a character beyond ASCII, are tried as the one pattern would."""

    FEW = 3  # as many patterns as this are searched as one: the loop would cost more

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        patterns = list(patterns)
        self.union = any_of(patterns)
        by_char: dict[str, list[re.Pattern[str]]] = {}
        elsewhere = []
        for rx in patterns:
            first = _first_chars(rx) if len(patterns) > self.FEW else None
            if first is None:
                elsewhere.append(rx)
                continue
            for ch in first:
                by_char.setdefault(ch, []).append(rx)
        self.by_char = {ch: any_of(rxs) for ch, rxs in by_char.items()}
        self.elsewhere = any_of(elsewhere) if elsewhere else None
        # the word boundaries followed by such a character (or one beyond ASCII)
        chars = "".join(re.escape(ch) for ch in sorted(by_char))
        self.starts = re.compile(rf"\b(?=[{chars}]|[^\x00-\x7f])") if chars else None

    def search(self, text: str) -> bool:
        if self.elsewhere is not None and self.elsewhere.search(text):
            return True
        if self.starts is None:
            return False
        by_char = self.by_char
        for m in self.starts.finditer(text):
            p = m.start()
            ch = text[p]
            if (by_char[ch] if ch < "\x80" else self.union).match(text, p):
                return True
        return False


class TypesMatching:
    """Which of several groups of patterns (the claim types' triggers, compiled without
    case) match somewhere in a text, in one pass: the same answers as an ``AnyOf`` per
    group. At each word boundary whose character can begin a trigger, one pattern of all
    the groups that can begin with it is tried (each group in its own capturing group,
    whose number tells which matched); only where one matches are the other groups tried
    there."""

    def __init__(self, groups: dict[str, Iterable[re.Pattern[str]]]) -> None:
        groups = {name: list(rxs) for name, rxs in groups.items()}
        self.groups = groups
        by_char: dict[str, dict[str, list[re.Pattern[str]]]] = {}
        elsewhere: dict[str, list[re.Pattern[str]]] = {}
        for name, rxs in groups.items():
            for rx in rxs:
                first = _first_chars(rx)
                if first is None:
                    elsewhere.setdefault(name, []).append(rx)
                    continue
                for ch in first:
                    by_char.setdefault(ch, {}).setdefault(name, []).append(rx)
        self.elsewhere = {name: any_of(rxs) for name, rxs in elsewhere.items()}
        # per character: one pattern of every group's alternatives, each group captured
        # (a group's own patterns' groups come before the next wrapper: count them), and
        # each group's patterns alone (``_alone``)
        self.by_char: dict[str, tuple[re.Pattern[str], dict[int, str], dict[str, list[re.Pattern[str]]]]] = {}
        compiled: dict[str, re.Pattern[str]] = {}  # "a" and "A" mostly share theirs
        for ch, named in by_char.items():
            parts, index, at = [], {}, 1
            for name, rxs in named.items():
                parts.append("(" + "|".join(f"(?:{rx.pattern})" for rx in rxs) + ")")
                index[at] = name
                at += 1 + sum(rx.groups for rx in rxs)
            source = "|".join(parts)
            if source not in compiled:
                compiled[source] = re.compile(source, re.IGNORECASE)
            self.by_char[ch] = (compiled[source], index, named)
        chars = "".join(re.escape(ch) for ch in sorted(by_char))
        self.starts = re.compile(rf"\b(?=[{chars}]|[^\x00-\x7f])") if chars else None

    def _alone(self, ch: str, name: str, text: str, p: int) -> bool:
        """Whether one of the patterns of group ``name`` that can begin with ``ch`` (all of
        them for a character beyond ASCII) matches ``text`` at ``p``: each pattern is tried
        as compiled (the answer of their union's ``match``, which would be compiled anew for
        every character and group, a third of a second over the first few dozen documents)."""
        rxs = self.by_char[ch][2][name] if ch < "\x80" else self.groups[name]
        return any(rx.match(text, p) for rx in rxs)

    def __call__(self, text: str) -> frozenset[str]:
        found = {name for name, rx in self.elsewhere.items() if rx.search(text)}
        if self.starts is not None:
            for m in self.starts.finditer(text):
                p = m.start()
                ch = text[p]
                if ch >= "\x80":  # beyond ASCII: every group whole, as its one pattern would
                    found.update(n for n in self.groups if n not in found and self._alone(ch, n, text, p))
                    continue
                combined, index, named = self.by_char[ch]
                hit = combined.match(text, p)
                if hit is None:
                    continue
                first = index[hit.lastindex]  # the wrapper closes after the groups inside it
                found.add(first)
                found.update(n for n in named if n not in found and self._alone(ch, n, text, p))
        return frozenset(found)


def _first_chars(rx: re.Pattern[str]) -> set[str] | None:
    """The ASCII characters a match of ``rx`` can begin with, when every match begins at a
    word boundary (``\\b`` first) with one character at least; None when not so or not
    known. Read from the pattern's parse (the standard library's own parser), each
    single-character test compiled on its own with the pattern's flags, so that case
    folding is exactly the matcher's."""
    try:
        from re import _constants as k
        from re import _parser

        if rx.flags & (re.ASCII | re.LOCALE | re.VERBOSE):
            return None
        items = list(_parser.parse(rx.pattern, rx.flags).data)
        if not items or items[0] != (k.AT, k.AT_BOUNDARY):
            return None
        first = _first(items[1:], rx.flags)
    except Exception:  # noqa: BLE001 (an unusual pattern: it is tried everywhere, as before)
        return None
    if first is None or first[1]:
        return None  # unknown, or the match may be empty after the boundary
    return first[0]


def _first(items: list[Any], flags: int) -> tuple[set[str], bool] | None:
    """The ASCII characters the sequence ``items`` of a parse can begin with, and whether
    it can match the empty string; None for an element not handled here."""
    from re import _constants as k

    out: set[str] = set()
    for op, av in items:
        if op in (k.AT, k.ASSERT, k.ASSERT_NOT):
            continue  # zero width: narrows where a match may be, consumes nothing
        if op in (k.LITERAL, k.NOT_LITERAL, k.IN, k.ANY):
            return out | _one_char(op, av, flags), False
        if op is k.BRANCH:
            empty = False
            for alt in av[1]:
                sub = _first(list(alt.data), flags)
                if sub is None:
                    return None
                out |= sub[0]
                empty = empty or sub[1]
            if not empty:
                return out, False
        elif op is k.SUBPATTERN:
            _, add, remove, sub_pattern = av
            sub = _first(list(sub_pattern.data), (flags | add) & ~remove)
            if sub is None:
                return None
            out |= sub[0]
            if not sub[1]:
                return out, False
        elif op in (k.MAX_REPEAT, k.MIN_REPEAT, k.POSSESSIVE_REPEAT):
            low, _, sub_pattern = av
            sub = _first(list(sub_pattern.data), flags)
            if sub is None:
                return None
            out |= sub[0]
            if low > 0 and not sub[1]:
                return out, False
        else:
            return None
    return out, True


def _one_char(op: Any, av: Any, flags: int) -> set[str]:
    """The ASCII characters one single-character element of a parse matches."""
    key = (str(op), repr(av), flags)
    if key not in _ONE_CHAR:
        from re import _compiler, _parser

        state = _parser.State()
        state.flags = flags
        one = _compiler.compile(_parser.SubPattern(state, [(op, av)]), flags)
        _ONE_CHAR[key] = frozenset(chr(i) for i in range(128) if one.match(chr(i)))
    return set(_ONE_CHAR[key])


_ONE_CHAR: dict[tuple[str, str, int], frozenset[str]] = {}


Extractor = Callable[["Frame", ClaimType], Iterator["Claim"]]

_EXTRACTORS: dict[str, Extractor] = {}


def extractor(type_name: str) -> Callable[[Extractor], Extractor]:
    """Register the function that turns a trigger's Frame into claims of ``type_name``.
    Its version is the ``version`` of the type's data file (bump it when behaviour changes)."""

    def register(fn: Extractor) -> Extractor:
        if type_name in _EXTRACTORS:
            raise DiplographError(f"An extractor for claim type {type_name!r} is already registered.")
        _EXTRACTORS[type_name] = fn
        return fn

    return register


def extractors() -> dict[str, Extractor]:
    """Every registered extractor by type name (built-ins register on first use)."""
    from . import types  # noqa: F401

    return dict(_EXTRACTORS)


_REQUIRED = ("type", "version", "description", "symmetric", "codes", "triggers")


def _compile(pattern: Any, where: str, problems: list[str]) -> re.Pattern[str] | None:
    if not isinstance(pattern, str):
        problems.append(f"{where}: expected a regular expression string, found {pattern!r}")
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        problems.append(f"{where}: bad regular expression {pattern!r}: {e}")
        return None


def parse_type_file(name: str, text: str) -> ClaimType:
    """Validate and compile one claim-type data file; raise DataFileError listing every problem."""
    where = f"diplograph/data/claims/{name}.yaml"
    problems: list[str] = []
    try:
        from ..tables import load_yaml  # parsed once per content (diplograph.tables)
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise DataFileError(where, [f"not valid YAML: {e}"]) from e
    if not isinstance(data, dict):
        raise DataFileError(where, ["expected a mapping at the top level"])
    for key in _REQUIRED:
        if key not in data:
            problems.append(f"missing field {key!r}")
    if data.get("type") not in (None, name):
        problems.append(f"field type is {data.get('type')!r} but the file is named {name}.yaml")
    triggers = tuple(
        p for i, t in enumerate(data.get("triggers") or []) if (p := _compile(t, f"triggers[{i}]", problems))
    )
    exclude = tuple(
        p for i, t in enumerate(data.get("exclude") or []) if (p := _compile(t, f"exclude[{i}]", problems))
    )
    requires = _compile(data["requires"], "requires", problems) if data.get("requires") else None
    subtypes = []
    for sub, pat in (data.get("subtypes") or {}).items():
        if (rx := _compile(pat, f"subtypes.{sub}", problems)) is not None:
            subtypes.append((sub, rx))
    codes = data.get("codes") or {}
    if not isinstance(codes, dict) or set(codes) - {"plover", "cameo"}:
        problems.append(f"codes must map plover/cameo to a code or null, found {codes!r}")
    if not isinstance(data.get("version", 1), int):
        problems.append(f"version must be an integer, found {data.get('version')!r}")
    if problems:
        raise DataFileError(where, problems)
    return ClaimType(
        name=name,
        version=int(data["version"]),
        description=str(data["description"]),
        symmetric=bool(data["symmetric"]),
        subject_kinds=tuple(data.get("subject_kinds") or ()),
        object_kinds=tuple(data.get("object_kinds") or ()),
        codes={"plover": codes.get("plover"), "cameo": codes.get("cameo")},
        triggers=triggers,
        requires=requires,
        exclude=exclude,
        subtypes=tuple(subtypes),
        examples=tuple(data.get("examples") or ()),
    )


@cache
def trigger_types() -> TypesMatching:
    """Which claim types have a trigger in a text (``triggered(text)``)."""
    return TypesMatching({n: t.triggers for n, t in claim_types().items() if t.triggers})


@lru_cache(maxsize=4096)  # the screen asks of every sentence, the frames again of the parsed ones
def triggered(text: str) -> frozenset[str]:
    """The claim types one of whose triggers matches ``text``."""
    return trigger_types()(text)


@cache
def claim_types() -> dict[str, ClaimType]:
    """Every claim type with a data file, in the order of models.CLAIM_TYPES."""
    folder = resources.files("diplograph") / "data" / "claims"
    names = [p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")]
    order = {t: i for i, t in enumerate(CLAIM_TYPES)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return {n: parse_type_file(n, (folder / f"{n}.yaml").read_text(encoding="utf-8")) for n in names}
