"""Regular expressions rebuilt from the compiled form an earlier start kept
(diplograph.regexes): the same patterns as ``re`` compiles, a damaged or unwritable cache
is no cache, and re is itself again after the block."""

from __future__ import annotations

import re
from re import _compiler

import pytest

from diplograph import regexes

PATTERNS = [
    (r"(?P<day>\d{1,2})\s+(?P<month>Jan(?:uary)?|Feb(?:ruary)?)\s+(?P<year>\d{4})", 0),
    (r"\b(sign(?:ed|s)?|ratif(?:y|ied))\b", re.IGNORECASE),
    (r"""(?x) ^ \s* (?:the\s+)? (?P<org>[A-Z][\w-]+) # an organisation
         (?:\s+(?:Treaty|Organi[sz]ation))? $""", 0),
    (r"(?i)(?<!not )\ballies?\b", re.MULTILINE),
    (r"[\u0400-\u04FF]+|é+", re.UNICODE),
]
TEXTS = ["3 Jan 2024 and 14 February 1999", "They SIGNED it; Peru ratified", "  the NATO Treaty",
         "not allies, but allies\nally", "Қазақстан café éé"]


def _describe(p: re.Pattern) -> tuple:
    found = [[(m.span(), m.groupdict(), m.groups()) for m in p.finditer(t)] for t in TEXTS]
    return p.pattern, p.flags, p.groups, dict(p.groupindex), found


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    re.purge()
    yield regexes.cache_path()
    re.purge()


def test_cached_patterns_match_as_re_compiles_them(cache):
    want = [_describe(re.compile(p, f)) for p, f in PATTERNS]
    re.purge()
    with regexes.compiled_once():  # compiles, then stores
        first = [_describe(re.compile(p, f)) for p, f in PATTERNS]
    assert cache.exists() and first == want
    re.purge()
    calls = []
    parse = regexes._parser.parse
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(regexes._parser, "parse", lambda *a: calls.append(a) or parse(*a))
        with regexes.compiled_once():  # rebuilt from the stored programs: nothing parsed
            again = [_describe(re.compile(p, f)) for p, f in PATTERNS]
    assert again == want and calls == []
    assert _compiler.compile is regexes._compiler.compile and _compiler.compile.__module__ == "re._compiler"


def test_bytes_and_debug_patterns_are_compiled_as_usual(cache):
    with regexes.compiled_once():
        assert re.compile(rb"ab+").match(b"abbb")
        re.compile(r"x(y)")
    assert cache.exists()
    with regexes.compiled_once():
        pass
    import pickle

    stored = pickle.loads(cache.read_bytes())
    assert set(stored) == {("x(y)", 0)}


def test_damaged_or_unwritable_cache_is_no_cache(cache, tmp_path, monkeypatch):
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a pickle")
    with regexes.compiled_once():
        assert re.compile(r"a(b)c").match("abc").group(1) == "b"
    re.purge()
    # a stored program that this engine refuses: compiled anew
    import pickle

    cache.write_bytes(pickle.dumps({("a(b)c", 0): (0, [999999], 0, {}, (None,))}))
    with regexes.compiled_once():
        assert re.compile(r"a(b)c").match("abc").group(1) == "b"
    re.purge()
    monkeypatch.setattr(regexes, "cache_path", lambda: tmp_path / "file" / "below" / "x.pickle")
    (tmp_path / "file").write_text("a file where the folder would be")
    with regexes.compiled_once():
        assert re.compile(r"q+").fullmatch("qq")
    assert _compiler.compile.__module__ == "re._compiler"
