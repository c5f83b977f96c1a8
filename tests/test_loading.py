"""Start-up: YAML tables parsed once per content (diplograph.tables) and LightGBM imported
without pandas in diplograph's own processes (diplograph.loading)."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import yaml

from diplograph import tables


def test_cached_yaml_is_what_the_safe_loader_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = resources.files("diplograph") / "data"
    texts = [p.read_text("utf-8") for sub in ("claims", "en") for p in (folder / sub).iterdir()
             if p.name.endswith(".yaml")]
    assert len(texts) > 15
    for text in texts:
        first = tables.load_yaml(text)  # parsed, then written to the cache
        again = tables.load_yaml(text)  # read back
        assert first == again == yaml.safe_load(text)
    assert len(list(tables.cache_dir().glob("*.pickle"))) == len(set(texts))
    assert not list(tables.cache_dir().glob("*.tmp"))


def test_an_edited_or_damaged_table_is_parsed_anew(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tables.load_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    assert tables.load_yaml("a: [1, 3]\n") == {"a": [1, 3]}  # another text, another entry
    for p in tables.cache_dir().glob("*.pickle"):
        p.write_bytes(b"not a pickle")
    assert tables.load_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    cached = tables.load_yaml("a: [1, 2]\n")
    cached["a"].append(9)  # callers get their own copy, as from the loader
    assert tables.load_yaml("a: [1, 2]\n") == {"a": [1, 2]}


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: no folder can be made under it
    assert tables.load_yaml("b: yes\n") == {"b": True}


def test_lean_lightgbm_leaves_pandas_and_pyarrow_usable():
    code = (
        "import sys\n"
        "from diplograph import loading\n"
        "loading.LEAN = True\n"
        "loading.import_lightgbm()\n"
        "print('pandas' in sys.modules, 'pyarrow' in sys.modules)\n"
        "import lightgbm, pandas, pyarrow\n"
        "print(pyarrow.Table.from_pandas(pandas.DataFrame({'a': [1, 2]})).num_rows)\n"
        "print(lightgbm.Booster is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "2", "True"]
