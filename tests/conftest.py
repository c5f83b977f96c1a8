"""Shared fixtures. Seeds are read from ../shared/seeds and never copied into the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph import Graph
from diplograph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def fresh_store():
    store = Store.open(":memory:")
    yield store
    store.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


@pytest.fixture
def graph(db_path: Path):
    g = Graph.open(db_path)
    yield g
    g.close()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEEDS


@pytest.fixture(scope="module")
def rules_alone():
    """The rule stage alone (the decision model off): for tests of the rules as candidate
    generators, whose behaviour they pin sentence by sentence."""
    from diplograph.claims.decide import use_model

    use_model(False)
    yield
    use_model(True)


@pytest.fixture
def break_frames(monkeypatch):
    """``break_frames(type)``: every frame of that claim type raises inside the extractor
    (to test that the failure is contained and reported)."""
    import diplograph.claims.pipeline as pipeline

    real = pipeline._frame_claims

    def breaking(claim_type: str) -> None:
        def broken(f, *args, **kwargs):
            if f.type == claim_type:
                raise ValueError("broken on purpose")
            return real(f, *args, **kwargs)

        monkeypatch.setattr(pipeline, "_frame_claims", broken)

    return breaking


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, one per test module (the browser tests)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()
