"""Do two trees of diplograph give the same claims and the same decision-stage candidates?

For a change meant to alter nothing (a move, a split), compares the rules' side, which is
what the decision model reads, so that the check holds even while the shipped model does
not match the features. With the model off (``use_model(False)``), for every document of
the corpora, in order, it writes: the JSON of ``extract_claims``; and, for each of
``candidates(...)`` (with a fake sentence typer that gives every type 0.6, so the typer's
pseudo frames are exercised, and a small trigger lexicon), the candidate's claim JSON,
``from_rule`` and the row ``decide.features`` describes it with (NaN written as a string).
Each tree runs in a fresh process with PYTHONPATH set to it; the digests must be equal.

    git archive REV diplograph | tar -x -C BASE_DIR
    .venv/bin/python bench/same_candidates.py BASE_DIR [--corpus PATH ...] [--dump DIR]

Default corpora: eval/articles and ../shared/seeds (when present). ``--dump DIR`` keeps
each tree's full output (base.jsonl, new.jsonl) to diff when the digests differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = {"visit": {"talks": 2.0, "trip": 2.0}, "alliance": {"pact": 2.0}, "agreement_signed": {"deal": 2.0}}


def _plain(x: object) -> object:
    if isinstance(x, float) and math.isnan(x):
        return "NaN"
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def one(corpora: list[str], dump: str | None) -> None:
    """Run in the tree on PYTHONPATH: print its digest and counts as one JSON line."""
    import diplograph
    from diplograph.claims.decide import features, use_model
    from diplograph.claims.pipeline import candidates, extract_claims
    from diplograph.documents import read
    from diplograph.models import CLAIM_TYPES

    use_model(False)

    def fake(sentences, idx, rows):
        return [{t: 0.6 for t in CLAIM_TYPES} for _ in idx]

    h = hashlib.sha256()
    out = open(dump, "w", encoding="utf-8") if dump else None  # noqa: SIM115
    docs = claims = cands_n = 0

    def write(obj: object) -> None:
        line = json.dumps(obj, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
        h.update(line.encode("utf-8"))
        if out is not None:
            out.write(line)

    for d in read(corpora, max_bytes=10**8):
        if not hasattr(d, "text"):
            write({"error": str(d)})
            continue
        docs += 1
        made = extract_claims(d.text, doc=d.id, published=d.published)
        claims += len(made)
        write({"doc": d.id, "claims": [c.to_json() for c in made]})
        cands, ctx = candidates(d.text, doc=d.id, published=d.published, typed=fake, triggers=LEXICON)
        rows = features(cands, ctx, d.published) if cands else []
        cands_n += len(cands)
        for c, (dense, symbols) in zip(cands, rows):
            write({"claim": c.claim.to_json(), "from_rule": c.from_rule, "dense": _plain(dense),
                   "symbols": list(symbols)})
    if out is not None:
        out.close()
    print(json.dumps({"package": diplograph.__file__, "documents": docs, "claims": claims,
                      "candidates": cands_n, "sha256": h.hexdigest()}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", nargs="?", help="a directory holding the diplograph package to compare with")
    ap.add_argument("--corpus", action="append", help="files or folders of articles (repeatable)")
    ap.add_argument("--dump", help="a directory to write each tree's full output to")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    corpora = args.corpus or [str(ROOT / "eval" / "articles")] + (
        [str(ROOT.parent / "shared" / "seeds")] if (ROOT.parent / "shared" / "seeds").is_dir() else [])
    if args.one:
        one(corpora, args.out)
        return
    if not args.base:
        ap.error("give BASE_DIR, a directory holding the diplograph package to compare with")
    results = {}
    runs = {}
    for name, tree in (("base", Path(args.base).resolve()), ("new", ROOT)):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one"]
        for c in corpora:
            cmd += ["--corpus", str(Path(c).resolve())]
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            cmd += ["--out", str(Path(args.dump).resolve() / f"{name}.jsonl")]
        # run from the tree itself, so that the working directory cannot shadow the package
        env = dict(os.environ, PYTHONPATH=str(tree))
        runs[name] = (tree, subprocess.Popen(cmd, env=env, cwd=tree, stdout=subprocess.PIPE, text=True))
    for name, (tree, proc) in runs.items():  # the two trees run side by side
        stdout, _ = proc.communicate()
        if proc.returncode:
            sys.exit(f"{name}: failed ({proc.returncode})")
        results[name] = json.loads(stdout.strip().splitlines()[-1])
        print(name, json.dumps(results[name]))
        if not results[name]["package"].startswith(str(tree)):
            sys.exit(f"{name}: imported {results[name]['package']}, not the tree {tree}")
    same = all(results["base"][k] == results["new"][k] for k in ("documents", "claims", "candidates", "sha256"))
    print("same" if same else "DIFFERENT")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
