"""Where a refresh's time and memory go, stage by stage.

    python -m benchmarks.profile_refresh PROJECT [--jobs 2] [--rehash] [--cprofile N] [--by tottime]
                                                 [--dump FILE]

Runs `careerfacts --project PROJECT refresh -q` in this process with a timer around
each stage of the chain (pipeline/refresh.py, outputs.py, analyst.py, publish.py) and
prints, per stage, its wall time, the CPU time of this process and of the worker
processes it ended (the extraction pool's, the chart drawers'), and the process's peak
resident memory when it ended (the workers' memory is not in it:
benchmarks/bench_scale.py weighs the whole tree). CPU time above the wall time is work
on more than one core; this process's CPU time beside the workers' says whether it or
they hold the stage up. The stages:

| stage | what runs |
|---|---|
| extraction | the claims cache looked up, documents extracted by the engine, each result's occupations resolved and its claims stored and validated (`read_documents`) |
| release matching | the pages' claims matched to the releases a slice at a time (`matched_pages`) |
| decisions, history | the slices holding a decided discrepancy; older captures' ranks |
| reconciliation | every slice reconciled, what the outputs need of it kept (`_Rendering.reconcile`) |
| writing tables and report | claims, facts, discrepancies, sources … and reports/discrepancies.md |
| run record | the history read, this run's record |
| analyst's view | reports/index.html (charts) and curated/careerfacts.duckdb |
| publishing | staging, flushing and renaming the files |

With `--cprofile N`, the N functions of this process with the most cumulative time (with
`--by tottime`: time in the function itself, where a flat profile shows its costs) are
printed too (the profiler slows Python code about twofold: read the ratios). PROJECT is a
project like the ones benchmarks/bench_scale.py makes (`--keep DIR`).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time
from pathlib import Path

STAGES = [
    ("extraction", "pipeline.refresh", "read_documents"),
    ("release matching", "pipeline.refresh", "matched_pages"),
    ("decisions", "pipeline.refresh", "decision_results"),
    ("history", "pipeline.refresh", "stored_history"),
    ("reconciliation", "pipeline.outputs", "_Rendering.reconcile"),
    ("writing tables and report", "pipeline.outputs", "_Rendering.files"),
    ("run record", "pipeline.analyst", "recorded_run"),
    ("analyst's view", "pipeline.analyst", "analyst_files"),
    ("publishing", "pipeline.publish", "publish"),
]


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # KB on Linux


def _cpu() -> tuple[float, float]:
    """CPU seconds so far: (this process, its children that have ended)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(stages=STAGES) -> list[list]:
    """Wrap each stage's function; returns the table the wrappers fill:
    [name, seconds, peak GB at its end, CPU seconds here, CPU seconds of workers]."""
    import importlib

    table = []
    for name, module_name, attribute in stages:
        module = importlib.import_module(module_name)
        owner, _, function = attribute.rpartition(".")
        holder = getattr(module, owner) if owner else module
        original = getattr(holder, function)
        row = [name, 0.0, 0.0, 0.0, 0.0]
        table.append(row)

        def wrapper(*args, __original=original, __row=row, **kwargs):
            start, (own, workers) = time.perf_counter(), _cpu()
            try:
                return __original(*args, **kwargs)
            finally:
                __row[1] += time.perf_counter() - start
                __row[2] = _peak_gb()
                now = _cpu()
                __row[3] += now[0] - own
                __row[4] += now[1] - workers
        setattr(holder, function, wrapper)  # the CLI looks them up when it runs
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rehash", action="store_true",
                        help="run every stage even when nothing changed")
    parser.add_argument("--by", choices=("cumulative", "tottime"), default="cumulative",
                        help="order of --cprofile's functions [default: cumulative]")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also print the N functions with the most time (see --by)")
    parser.add_argument("--dump", type=Path, metavar="FILE",
                        help="also save the profile for pstats or snakeviz (implies profiling)")
    args = parser.parse_args(argv)
    table = timed()
    from pipeline.cli import main as careerfacts

    command = ["--project", str(args.project), "refresh", "-q", "--jobs", str(args.jobs)]
    command += ["--rehash"] if args.rehash else []
    profiler = cProfile.Profile() if args.cprofile or args.dump else None
    start, cpu_start = time.perf_counter(), _cpu()
    code = None
    try:
        if profiler:
            profiler.enable()
        careerfacts(command, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    finally:
        if profiler:
            profiler.disable()
    total, cpu_end = time.perf_counter() - start, _cpu()
    print(f"refresh of {args.project}: {total:.1f} s, exit {code}, peak "
          f"{_peak_gb():.2f} GB (this process)")
    print(f"{'stage':<28} {'seconds':>8} {'share':>6} {'CPU s here':>10} {'workers':>8} "
          f"{'peak GB':>8}")
    for name, seconds, peak, own, workers in table:
        print(f"{name:<28} {seconds:8.1f} {seconds / total:6.0%} {own:10.1f} {workers:8.1f} "
              f"{peak:8.2f}")
    rest = total - sum(row[1] for row in table)
    own = cpu_end[0] - cpu_start[0] - sum(row[3] for row in table)
    workers = cpu_end[1] - cpu_start[1] - sum(row[4] for row in table)
    print(f"{'the rest (registry, digest…)':<28} {rest:8.1f} {rest / total:6.0%} {own:10.1f} "
          f"{workers:8.1f}")
    if profiler and args.dump:
        profiler.dump_stats(args.dump)
    if profiler and args.cprofile:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.by).print_stats(
            args.cprofile)


if __name__ == "__main__":
    main()
