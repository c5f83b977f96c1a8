"""The decision stage asks each model only about the rows whose answer is read: the
modality model about the candidates that stay. Those answers are the ones the model gives
when asked about every row."""

from __future__ import annotations

from importlib import resources

import numpy as np

from diplograph.claims.decide import decision_model, features, passes
from diplograph.claims.decide.features import matrix
from diplograph.claims.pipeline import candidates


def _sample_candidates():
    folder = resources.files("diplograph") / "data" / "samples"
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".txt"):
            yield candidates(p.read_text(encoding="utf-8"), doc=p.name)


def test_modality_of_the_kept_rows_is_that_of_all_rows():
    model = decision_model()
    assert model is not None
    kept = dropped = 0
    for cands, ctx in _sample_candidates():
        if not cands:
            continue
        x = matrix(features(cands, ctx, None))
        p_keep = model.keep.predict(x, num_threads=1)
        every = model.modality.predict(x, num_threads=1)
        stay = [i for i, (c, p) in enumerate(zip(cands, p_keep)) if passes(c, p, model.settings)]
        some = model.modality_of_rows(x, stay)
        for i, p in enumerate(some):
            if i in stay:
                assert np.array_equal(p, every[i])
            else:
                assert p is None
        kept += len(stay)
        dropped += len(cands) - len(stay)
    assert kept > 5 and dropped > 5  # both kinds of row were seen
