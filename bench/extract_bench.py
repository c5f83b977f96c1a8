"""Extraction throughput: articles per second, peak memory, and the share of sentences
that needed the dependency parser.

    .venv/bin/python bench/make_corpus.py /tmp/corpus -n 10000 --text-only
    .venv/bin/python bench/extract_bench.py /tmp/corpus [--limit N]
    .venv/bin/python bench/extract_bench.py ../shared/seeds --repeat 20
    .venv/bin/python bench/extract_bench.py eval/articles --compare   # rules alone vs the model, one run
    .venv/bin/python bench/extract_bench.py eval/articles --workers 1 2 --rounds 2   # processes, side by side
    git archive REV | tar -x -C /tmp/base   # an earlier version of the code, to compare with
    .venv/bin/python bench/extract_bench.py DIR --base /tmp/base --rounds 3   # that code and this, side by side
    .venv/bin/python bench/extract_bench.py DIR --base /tmp/base --one-by-one   # ... extract_claims per document
    .venv/bin/python bench/extract_bench.py DIR --base /tmp/base --same-process --rounds 6   # both in one process, warm

With ``--base DIR``, the code at DIR and this checkout extract the same articles, each in a
process of its own (its ``diplograph`` package first on the path), alternating for
``--rounds`` rounds: articles/s, words/s and articles per CPU-second of each run, the
median ratio of the two, and whether both give the same claims (a digest of their JSON).

With ``--workers``, each count runs in turn (``--rounds`` times, alternating), each after
its workers have loaded the pipeline (as the one-process run starts after its warm-up):
articles/s, the ratio to one process, the CPU seconds the extracting processes used, and
whether the claims are the same as with one process.

Linux's autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``) gives each
session one share of the CPUs, however many processes it runs: on a machine shared with
other sessions, N workers then get what one process gets, and no speed-up can show.
``--own-sessions`` starts each worker (and each spinning process of the machine check) in
a session of its own, as processes on a machine of their own would be scheduled.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from diplograph.claims import extract_claims
from diplograph.documents import read


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="stop after this many articles")
    ap.add_argument("--repeat", type=int, default=1, help="read the corpus this many times")
    ap.add_argument("--rules", action="store_true", help="the rules alone, without the decision model")
    ap.add_argument("--compare", action="store_true",
                    help="run the rules alone, then with the model, then the rules again (side by side)")
    ap.add_argument("--workers", type=int, nargs="*", default=None,
                    help="worker counts to compare side by side (1 = in this process)")
    ap.add_argument("--rounds", type=int, default=1, help="with --workers or --base: alternate the runs this many times")
    ap.add_argument("--own-sessions", action="store_true",
                    help="with --workers: each worker in a session of its own (see the module's notes)")
    ap.add_argument("--base", type=Path, default=None,
                    help="a folder holding an earlier diplograph package: run it and this code side by side")
    ap.add_argument("--one-by-one", action="store_true",
                    help="extract_claims for each document, not extract_many (which batches the sentence typer)")
    ap.add_argument("--same-process", action="store_true",
                    help="with --base: both codes in this process (the base's package renamed), warm, alternating")
    ap.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)  # one run, one JSON line (for --base)
    args = ap.parse_args()
    global ONE_BY_ONE
    ONE_BY_ONE = args.one_by_one
    if args.base is not None and args.same_process:
        return compare_in_process(args)
    if args.base is not None:
        return compare_code(args)
    docs = []
    for _ in range(args.repeat):
        for d in read([str(args.corpus)], max_bytes=20 * 1024 * 1024):
            if hasattr(d, "text"):
                docs.append(d)
            if args.limit and len(docs) >= args.limit:
                break
    if args.workers:
        return compare_workers(docs, args.workers, args.rounds, args.own_sessions)
    from diplograph.claims.decide import decision_model, use_model

    if args.emit:
        use_model(not args.rules)
        return emit(docs)
    runs = [False, True, False] if args.compare else [not args.rules]
    for with_model in runs:
        use_model(with_model)
        extract_claims("Warm-up: Chile and Peru signed an agreement.", doc="w")  # load the parser (and model)
        print(f"\n== {'with the decision model' if decision_model() is not None else 'rules alone'}")
        run(docs)


def _extract_all(docs: list, **kwargs) -> Iterator[list]:
    """Each document's claims, through ``extract_many`` where the code has it (the sentence
    typer then reads a batch of documents at once), else one by one."""
    try:
        from diplograph.claims import extract_many
    except ImportError:  # an earlier version of the code (--base)
        return (extract_claims(d.text, doc=d.id, published=d.published, **kwargs) for d in docs)
    if ONE_BY_ONE:
        return (extract_claims(d.text, doc=d.id, published=d.published, **kwargs) for d in docs)
    return extract_many(((d.text, d.id, d.published) for d in docs), **kwargs)


ONE_BY_ONE = False  # --one-by-one: extract_claims for each document even where extract_many exists


def run(docs: list) -> None:
    stats: dict[str, int] = {}
    words = claims = 0
    t0 = time.perf_counter()
    for d, out in zip(docs, _extract_all(docs, stats=stats)):
        claims += len(out)
        words += len(d.text.split())
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} articles ({words / max(1, len(docs)):.0f} words on average), {claims} claims")
    print(f"{dt:.1f} s: {len(docs) / dt:.1f} articles/s, {words / dt:,.0f} words/s")
    print(f"sentences parsed: {stats['parsed']} of {stats['sentences']} "
          f"({100 * stats['parsed'] / max(1, stats['sentences']):.1f}%)")
    print(f"peak memory (RSS): {rss:.0f} MB")

def emit(docs: list) -> None:
    """One timed pass, printed as one JSON line (for ``compare_code``)."""
    import hashlib
    import json

    import diplograph

    extract_claims("Warm-up: Chile and Peru signed an agreement.", doc="w")
    digest = hashlib.sha256()
    words = claims = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    for d, out in zip(docs, _extract_all(docs)):
        claims += len(out)
        words += len(d.text.split())
        for c in out:
            digest.update(json.dumps(c.to_json(), sort_keys=True).encode("utf-8"))
    dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(json.dumps({"package": str(Path(diplograph.__file__).parent.parent), "articles": len(docs),
                      "words": words, "claims": claims, "seconds": dt, "cpu": cpu, "digest": digest.hexdigest()}))


def compare_code(args: argparse.Namespace) -> None:
    """The code at ``args.base`` and this checkout, each in a fresh process, alternating."""
    import json
    import subprocess
    import sys

    here = Path(__file__).resolve().parent.parent
    base = args.base.resolve()
    if not (base / "diplograph" / "__init__.py").is_file():
        raise SystemExit(f"--base {args.base}: no diplograph package there (make one with "
                         f"`git archive REV | tar -x -C {args.base}`)")
    cmd = [sys.executable, str(Path(__file__).resolve()), str(args.corpus.resolve()), "--repeat", str(args.repeat), "--emit"]
    cmd += ["--limit", str(args.limit)] if args.limit else []
    cmd += ["--rules"] if args.rules else []
    cmd += ["--one-by-one"] if args.one_by_one else []
    print(f"{'rules alone' if args.rules else 'with the decision model'}; base {base}, this {here}; "
          f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    runs: dict[str, list[dict]] = {"base": [], "this": []}
    for r in range(max(1, args.rounds)):
        for name in (("base", "this") if r % 2 == 0 else ("this", "base")):
            env = dict(os.environ, PYTHONPATH=str(base if name == "base" else here))
            out = subprocess.run(cmd, env=env, cwd="/", capture_output=True, text=True, check=False)
            if out.returncode != 0:
                raise SystemExit(f"the {name} run failed:\n{out.stderr[-2000:]}")
            res = json.loads(out.stdout.strip().splitlines()[-1])
            if Path(res["package"]).resolve() != (base if name == "base" else here):
                raise SystemExit(f"the {name} run imported diplograph from {res['package']}")
            runs[name].append(res)
            print(f"round {r + 1} {name}: {res['seconds']:6.1f} s, {res['articles'] / res['seconds']:5.1f} articles/s "
                  f"({res['words'] / res['seconds']:,.0f} words/s), {res['articles'] / res['cpu']:5.1f} articles "
                  f"per CPU-second; {res['claims']} claims; load {os.getloadavg()[0]:.1f}", flush=True)
    first = runs["base"][0]
    same = all(x["digest"] == first["digest"] for x in runs["base"] + runs["this"])
    print(f"{first['articles']} articles ({first['words'] / max(1, first['articles']):.0f} words on average); "
          f"{'the same claims in every run' if same else 'CLAIMS DIFFER between the runs'}")
    for key, label in (("seconds", "articles/s"), ("cpu", "articles per CPU-second")):
        rate = {n: statistics.median(x["articles"] / x[key] for x in v) for n, v in runs.items()}
        ratios = [b[key] / t[key] for b, t in zip(runs["base"], runs["this"])]
        unit = "s" if key == "seconds" else "CPU-second"
        print(f"median {label}: base {rate['base']:.1f}, this {rate['this']:.1f} "
              f"({rate['this'] * first['words'] / first['articles']:,.0f} words/{unit}); this/base "
              f"{statistics.median(ratios):.2f}x (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")


def compare_in_process(args: argparse.Namespace) -> None:
    """The code at ``args.base`` and this checkout in this one process, after a warm-up pass
    of each: the base's package is copied as ``diplograph_base`` (its imports and data
    names rewritten), so that rounds alternate without a process start between them and
    every cache is warm (the steady state of a long extraction). Each round times the base,
    this code one document at a time, and this code through ``extract_many``."""
    import importlib
    import json
    import re
    import shutil
    import sys
    import tempfile

    src = args.base.resolve() / "diplograph"
    if not (src / "__init__.py").is_file():
        raise SystemExit(f"--base {args.base}: no diplograph package there (make one with "
                         f"`git archive REV diplograph | tar -x -C {args.base}`)")
    tmp = Path(tempfile.mkdtemp(prefix="extract_bench_"))
    try:
        shutil.copytree(src, tmp / "diplograph_base")
        for f in (tmp / "diplograph_base").rglob("*.py"):
            f.write_text(re.sub(r"\bdiplograph\b", "diplograph_base", f.read_text(encoding="utf-8")), encoding="utf-8")
        sys.path.insert(0, str(tmp))
        codes = {}
        for name, pkg in (("base", "diplograph_base"), ("this", "diplograph")):
            claims_mod = importlib.import_module(pkg + ".claims")
            docs_mod = importlib.import_module(pkg + ".documents")
            importlib.import_module(pkg + ".claims.decide").use_model(not args.rules)
            docs = [d for d in docs_mod.read([str(args.corpus)], max_bytes=20 * 1024 * 1024) if hasattr(d, "text")]
            codes[name] = (claims_mod, docs[: args.limit] if args.limit else docs)
        words = sum(len(d.text.split()) for d in codes["this"][1])

        def run(name: str, many: bool) -> tuple[float, float, list[str]]:
            mod, docs = codes[name]
            cpu0, t0 = time.process_time(), time.perf_counter()
            if many:
                out = list(mod.extract_many((d.text, d.id, d.published) for d in docs))
            else:
                out = [mod.extract_claims(d.text, doc=d.id, published=d.published) for d in docs]
            cpu, dt = time.process_time() - cpu0, time.perf_counter() - t0
            return cpu, dt, [json.dumps(c.to_json(), sort_keys=True) for cs in out for c in cs]

        ways = [("base", "base", False), ("this, one by one", "this", False)]
        if hasattr(codes["this"][0], "extract_many"):
            ways.append(("this, extract_many", "this", True))
        reference = run("base", False)[2]
        for label, name, many in ways[1:]:
            if run(name, many)[2] != reference:
                raise SystemExit(f"CLAIMS DIFFER: {label} against the base")
        n = len(codes["this"][1])
        print(f"{'rules alone' if args.rules else 'with the decision model'}, both codes in one process, warm; "
              f"{n} articles ({words / max(1, n):.0f} words on average), {len(reference)} claims, the same in both; "
              f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in ways}
        for r in range(max(1, args.rounds)):
            for label, name, many in (ways if r % 2 == 0 else list(reversed(ways))):
                cpu, dt, _ = run(name, many)
                times[label].append((cpu, dt))
                print(f"round {r + 1} {label}: {dt:5.1f} s, {cpu:5.1f} CPU-s, {n / cpu:5.1f} articles per CPU-second "
                      f"({words / cpu:,.0f} words); load {os.getloadavg()[0]:.1f}", flush=True)
        for label, _, _ in ways:
            cpu = statistics.median(x[0] for x in times[label])
            dt = statistics.median(x[1] for x in times[label])
            line = (f"median {label}: {n / dt:.1f} articles/s ({words / dt:,.0f} words/s), {n / cpu:.1f} articles per "
                    f"CPU-second ({words / cpu:,.0f} words)")
            if label != "base":
                ratios = [b[0] / t[0] for b, t in zip(times["base"], times[label])]
                line += f"; base/this CPU {statistics.median(ratios):.2f}x (rounds: {', '.join(f'{x:.2f}' for x in ratios)})"
            print(line)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux /proc), 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spin(n: int) -> float:
    x = 0
    for i in range(n):
        x += i * i
    return float(x)


def _spin_init(own_session: bool) -> None:
    if own_session:
        os.setsid()


def machine_parallelism(n: int, seconds_each: float = 3.0, own_sessions: bool = False) -> float:
    """How much more the machine gives ``n`` processes spinning than one, right now: on a
    shared machine the cores others use are not ours, and this bounds any speed-up."""
    import multiprocessing as mp

    work = 2_000_000
    t = time.perf_counter()
    _spin(work)
    work = int(work * seconds_each / max(1e-3, time.perf_counter() - t))
    rates = []
    for k in (1, n):
        with mp.get_context("forkserver").Pool(k, initializer=_spin_init, initargs=(own_sessions,)) as pool:
            pool.map(_spin, [1000] * k)  # started
            t = time.perf_counter()
            pool.map(_spin, [work] * k)
            rates.append(k * work / (time.perf_counter() - t))
    return rates[1] / rates[0]


def compare_workers(docs: list, counts: list[int], rounds: int, own_sessions: bool = False) -> None:
    import json

    from diplograph import workers
    from diplograph.workers import Pool

    if own_sessions:
        workers.at_start(os.setsid)

    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} articles, {words / max(1, len(docs)):.0f} words on average; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    most = max(counts)
    if most > 1:
        print(f"machine check: {most} processes spinning get {machine_parallelism(most, own_sessions=own_sessions):.2f}x "
              f"the throughput of one (2.0 on two free cores)", flush=True)
    reference: list | None = None
    rates: dict[int, list[float]] = {n: [] for n in counts}
    for r in range(rounds):
        for n in (counts if r % 2 == 0 else list(reversed(counts))):
            if n <= 1:
                extract_claims("Warm-up: Chile and Peru signed an agreement.", doc="w")
                pids = [os.getpid()]
                cpu0 = [time.process_time()]
                t0 = time.perf_counter()
                out = [extract_claims(d.text, doc=d.id, published=d.published) for d in docs]
                dt = time.perf_counter() - t0
                cpu = time.process_time() - cpu0[0]
            else:
                with Pool(n) as pool:
                    pool.warm()
                    pids = list(pool.pids)
                    cpu0 = [_cpu_seconds(p) for p in pids]
                    t0 = time.perf_counter()
                    out = [c for _, c in pool.run(((d, True) for d in docs), name=lambda d: d.id)]
                    dt = time.perf_counter() - t0
                    cpu = sum(_cpu_seconds(p) for p in pids) - sum(cpu0)
            got = [[json.dumps(c.to_json(), sort_keys=True) for c in cs] for cs in out]
            if reference is None:
                reference = got
            same = "same claims" if got == reference else "CLAIMS DIFFER"
            rates[n].append(len(docs) / dt)
            print(f"workers {n}: {dt:6.1f} s, {len(docs) / dt:5.1f} articles/s ({words / dt:,.0f} words/s), "
                  f"{len(docs) / cpu if cpu else 0:.1f} articles per CPU-second of the extracting processes; "
                  f"{sum(len(c) for c in out)} claims, {same}; load {os.getloadavg()[0]:.1f}", flush=True)
    base = statistics.median(rates[counts[0]])
    for n in counts:
        med = statistics.median(rates[n])
        print(f"median, workers {n}: {med:.1f} articles/s, {med / base:.2f}x workers {counts[0]}")
    if most > 1:
        print(f"machine check after: {most} processes spinning get {machine_parallelism(most, own_sessions=own_sessions):.2f}x one")


if __name__ == "__main__":
    main()
