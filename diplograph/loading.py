"""Loading the extraction pipeline once, before the first document.

Left to itself, extraction loads what it needs as it goes: the decision model (LightGBM,
its trees in a 14 MB JSON file), the claim types and cue tables, spaCy at the first
sentence worth parsing. ``load_pipeline()`` loads all of it at once (a worker process
does so before it takes documents). Parsing the model's trees in a thread while spaCy
loads (LightGBM parses without holding the interpreter lock) was tried: on the loaded
2-core machine it was no faster, so the steps run one after another.

``LEAN`` is set by the processes diplograph owns (the command line, worker processes):
LightGBM imports pandas and pyarrow.compute, together more than a second of start-up,
only to accept DataFrames and Arrow tables, which diplograph never passes it; in those
processes it is imported with both hidden (importing them later works as usual). A
library user's process is left as it is.
"""

from __future__ import annotations

import sys
from functools import cache

LEAN = False
WARM_UP = "Chile and Peru signed a trade agreement in Lima on 3 May 2024."


_HIDDEN = ("pandas", "pyarrow")


def import_lightgbm() -> None:
    """Import LightGBM; when ``LEAN``, with pandas and pyarrow hidden from it (those of
    them not imported yet)."""
    if "lightgbm" in sys.modules:
        return
    hide = [m for m in _HIDDEN if m not in sys.modules] if LEAN else []
    for m in hide:
        sys.modules[m] = None  # type: ignore[assignment]  # `import m` raises ImportError
    try:
        import lightgbm  # noqa: F401
    finally:
        for m in hide:
            del sys.modules[m]


@cache
def load_pipeline() -> None:
    """Load the parser, the decision model, the claim types and the tables now."""
    from .claims import nlp
    from .claims.decide import decision_model
    from .claims.pipeline import extract_claims

    import_lightgbm()
    decision_model()
    nlp.pipeline()
    extract_claims(WARM_UP, doc="warm-up")  # the tables, the actor index and the rest
