"""The analyst's view of a refresh, rendered beside the curated tables and published with
them: the run's record in the history, `reports/index.html` and
`curated/careerfacts.duckdb`.

    recorded_run(run, root, …)            -> the run's record, its changes, history problems
    recorded_unchanged_run(root, started) -> the same for a refresh that found nothing to do
    analyst_files(run, files, record, …)  -> {path: bytes} of the record, the report and,
                                             when its content changed, the database

The history is an input of a refresh read from curated/ (the earlier runs' records, to
number this one and say what changed since the last), and so is the database's
fingerprint (to leave an unchanged database as it is); both are read under the
project's lock, like everything a refresh publishes. vl-convert and DuckDB are imported
only here, when a refresh renders its outputs, never for `careerfacts --help`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.history import (Changes, RunRecord, changes_between, latest_run, next_number,
                              run_record, sha256_of)
from pipeline.publish import publish
from schemas.problems import Problem

if TYPE_CHECKING:
    from pipeline.refresh import Run

REPORT = "reports/index.html"


def utc_now() -> str:
    """The current moment as the history writes it: "2026-11-30T10:15:02Z"."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def recorded_run(run: Run, root: Path, registry: Path, decisions: Path, started: str,
                 exit_code: int, finished: str | None = None, files=None
                 ) -> tuple[RunRecord, Changes, list[Problem]]:
    """The record of this run (numbered after the project's recorded runs), what changed
    since the latest readable one, and a warning per record newer than that one that
    cannot be read (older ones are not read: a record of thousands of pages' facts is
    megabytes, and the history grows with every run). `files`
    are the run's rendered outputs (pipeline.outputs.Rendered), whose parts gathered
    while rendering give the record without the reconciliation as a whole."""
    latest, problems = latest_run(root)
    record = run_record(run, next_number(root), started, finished or utc_now(), exit_code,
                        {"registry": sha256_of(registry), "decisions": sha256_of(decisions)},
                        getattr(files, "parts", None), getattr(files, "view", None))
    # written as its differences from the whole record the latest run's content comes
    # from, when they are few (history.BASED_SHARE): a page changed among 10,000 adds
    # about 2 MB to the history, not a 55 MB copy of the facts
    record = record.based(latest.whole() if latest is not None else None)
    return record, changes_between(latest, record), problems


def recorded_unchanged_run(root: Path, started: str
                           ) -> tuple[RunRecord | None, Changes | None, list[Problem]]:
    """Record a refresh whose inputs and outputs were unchanged, so it ran nothing.

    Its record repeats the latest readable one (the same inputs and counts; its facts and
    discrepancies are the repeated run's, read from that run's record when asked for)
    under the next run number, with this refresh's times and `repeats`
    naming the run whose outputs are still published, and is written
    at once (published: the caller holds the project's lock): its header only, the facts
    being the repeated run's. Nothing else is published, so reports/index.html still
    shows the run that rendered it. Only the newest records are read — the latest
    readable one and those after it, a repeat's header without the run it repeats — so
    the cost does not grow with the history, nor with the run's size after the first
    repeat. Returns (record, changes since the latest readable run — none, a
    `history-unreadable` warning per record passed over); record and changes are None
    when no record can be read (then nothing is written and the next full refresh
    numbers on).

    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory(); root = Path(scratch.name)
    >>> first = RunRecord(1, "2026-11-30T10:00:00Z", "2026-11-30T10:00:05Z", 0,
    ...                   counts={"facts": 52})
    >>> _ = (root / "curated/history").mkdir(parents=True)
    >>> _ = (root / first.path).write_bytes(first.as_json())
    >>> record, changes, problems = recorded_unchanged_run(root, "2026-11-30T11:00:00Z")
    >>> record.run, record.repeats, record.counts, changes.headline(), problems
    (2, 1, {'facts': 52}, 'no change since run 1 (2026-11-30T10:00:00Z)', [])
    >>> scratch.cleanup()
    """
    latest, problems = latest_run(root, content=False)
    if latest is None:
        return None, None, problems
    record, data = latest.repeated(next_number(root), started, utc_now())
    publish({record.path: data}, Path(root))  # flushed and readable, as every record is
    return record, Changes(latest.header(), record.header()), problems


def analyst_files(run: Run, files: dict[str, bytes], record: RunRecord, changes: Changes,
                  root: Path, cache_dir: Path | None = None) -> dict[str, bytes | Path]:
    """The run's record, reports/index.html and, when its content changed,
    curated/careerfacts.duckdb. `files` are the run's rendered tables (the database
    holds the same rows); `cache_dir` keeps rendered charts (default: the project's
    cache, see pipeline.refresh.default_cache_dir). When `files` were rendered into a
    folder (pipeline.outputs.Rendered), the record, the report and the database are
    written there, from the parts gathered while rendering, and given as files;
    otherwise as bytes. The database is built beside something else: the charts drawn in
    the background (pipeline.charts.DrawingAhead); or, when it is the last one patched
    and nothing is drawn in the background, the report, which is Python where DuckDB
    leaves the interpreter's lock (5–7 s each at 10,000 pages with a page changed)."""
    from pipeline.database import (DATABASE, database_bytes, database_file,
                                   database_fingerprint, patchable, stored_fingerprint)
    from pipeline.memory import returned_to_system
    from pipeline.refresh import default_cache_dir
    from pipeline.report_html import html_report

    returned_to_system()  # before the chart-drawing processes and the database's engine
    cache = cache_dir if cache_dir is not None else default_cache_dir(root)
    folder = getattr(files, "folder", None)
    parts, view = getattr(files, "parts", None), getattr(files, "view", None)
    out: dict[str, bytes | Path] = {}
    if folder is not None:
        out[record.path] = Path(folder) / "run-record.json"
        with open(out[record.path], "wb") as stream:
            record.write_json(stream)
    else:
        out[record.path] = record.as_json()
    results = parts.decisions if parts is not None else None
    fingerprint = database_fingerprint(run, files, results)
    build = None  # the database, when its content changed
    if stored_fingerprint(Path(root) / DATABASE) != fingerprint:
        if folder is not None:
            def build():
                return database_file(run, files, Path(folder) / "careerfacts.duckdb",
                                     fingerprint, results, Path(root) / DATABASE)
        else:
            def build():
                return database_bytes(run, files, fingerprint, results)
    drawing = getattr(files, "drawing", None)
    if folder is not None and view is not None:
        report = Path(folder) / "index.html"

        def write_report() -> None:
            with open(report, "w", encoding="utf-8", newline="") as stream:
                html_report(run, record, changes, cache / "charts", out=stream, parts=parts,
                            view=view, section_cache=cache / "sections")

        if build is not None and drawing is None and patchable(files, Path(root) / DATABASE):
            # the charts the cache lacks drawn first, on every core; then the last
            # database patched by DuckDB, outside the interpreter's lock, beside the
            # report. A database built whole is built alone, as before: DuckDB may take
            # its whole MEMORY_LIMIT then, and the refresh's budget was measured so
            from pipeline.charts import drawn_ahead

            drawn_ahead(view.charts(cache / "charts"), cache / "charts")
            database = _beside(build, write_report)
        else:
            # the database first, beside the charts drawn in the background since the
            # tables were reconciled (outputs.rendered), if any; the rest drawn on every
            # core as the report is written
            database = build() if build is not None else None
            if drawing is not None:
                drawing.finish()
            write_report()
        out[REPORT] = report
    else:
        database = build() if build is not None else None
        if drawing is not None:
            drawing.finish()
        out[REPORT] = html_report(run, record, changes, cache / "charts",
                                  section_cache=cache / "sections").encode("utf-8")
    if database is not None:
        out[DATABASE] = database
    return out


def _beside(work, main):
    """`work()` run in a thread while `main()` runs in this one; what `work` returned.
    Whichever fails, both have ended before its error is raised (the folder they write
    into is then deleted).

    >>> import time
    >>> ended = []
    >>> def slow():
    ...     time.sleep(0.2); ended.append("work"); return 1
    >>> _beside(slow, lambda: ended.append("main"))
    1
    >>> def failing():
    ...     raise ValueError("main failed")
    >>> try:
    ...     _beside(slow, failing)
    ... except ValueError as exc:
    ...     print(exc, ended)
    main failed ['main', 'work', 'work']
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="careerfacts-database") as pool:
        beside = pool.submit(work)
        main()
    return beside.result()
