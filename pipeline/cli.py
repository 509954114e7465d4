"""The `careerfacts` command line. Each command's docstring is its --help.

Exit codes: 0 clean; 1 data problems (quarantined rows, unreadable sources, pages with
no figures, decisions that need review); 2 usage or configuration errors (no project, a
registry that cannot be read, another command still holding the project's lock); 3 an
internal error (a defect: the message says how to see the traceback).
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import click

from schemas.vocabulary import FORMATS

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_DEFECT = 0, 1, 2, 3
STILL_RUNNING_AFTER = 10.0
"""Seconds one document may take before a refresh whose output is not a terminal says
that it is still at work on it (a terminal gets a live line instead)."""


class Options:
    """What the top-level options say to every command."""

    def __init__(self, debug: bool, project: Path | None):
        self.debug = debug
        self.project = project

    def root(self, explicit: Path | None = None) -> Path:
        """The project folder: given (--project, or a command's --root), else the first of
        the working folder and its parents that holds raw/sources.yaml. Exits 2 when
        there is none."""
        given = explicit or self.project
        if given is not None:
            return given
        here = Path.cwd()
        for folder in (here, *here.parents):
            if (folder / "raw" / "sources.yaml").is_file():
                return folder
        click.echo(f"careerfacts: no careerfacts project in {here} or a folder above it (a "
                   "project holds raw/sources.yaml); run careerfacts in the project folder, "
                   "or name it with `careerfacts --project DIR`", err=True)
        sys.exit(EXIT_USAGE)


def _debug_after(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_object(Options).debug = True


class _Commands(click.Group):
    """The commands, each of which also takes --debug after its name
    (`careerfacts refresh --debug` as well as `careerfacts --debug refresh`)."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.append(click.Option(["--debug"], is_flag=True, expose_value=False,
                                       callback=_debug_after,
                                       help="Show tracebacks for failures."))
        super().add_command(cmd, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for failures.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The project folder (holding raw/sources.yaml) [default: the working "
                   "folder or the nearest one above it that is a project].")
@click.version_option(package_name="careerfacts")
@click.pass_context
def main(ctx: click.Context, debug: bool, project: Path | None) -> None:
    """Turn career and salary pages into one curated, source-attributed dataset.

    Documents live in raw/ and are registered in raw/sources.yaml; `refresh` extracts
    their claims, validates them, reconciles disagreeing figures and writes curated/
    and reports/. Commands find the project from the working folder or any folder
    inside it; --project names it from elsewhere.

    Example:

    \b
        careerfacts refresh
        careerfacts --project ~/careerfacts refresh --json
    """
    ctx.obj = Options(debug, project)


class Progress:
    """Says which document is being extracted while a refresh runs, then which stage
    runs (`stage`: "reconciling", "writing the analyst's view", …).

    On a terminal, one line rewritten in place, with the document's size and the seconds
    spent on it (a ticker updates it while a long page is read) or the stage's seconds.
    Elsewhere (a log, a pipe), nothing — unless one document takes more than
    STILL_RUNNING_AFTER seconds, which is said once per such stretch, so a log shows
    where a slow run is.
    """

    def __init__(self, stream, live: bool):
        self.stream = stream
        self.live = live
        self.current: tuple[int, int, str, int] | None = None
        self.doing = ""  # the stage running once no document is being extracted
        self.on_screen = False  # a live line is showing and must be cleared
        self.started = time.monotonic()
        self.reported = 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def __call__(self, number: int, total: int, doc) -> None:
        with self.lock:
            if doc is None:
                self.current = None
            else:
                size = getattr(doc, "size", None)
                if size is None:  # a Document
                    size = len(doc.data) if doc.data else len(doc.text.encode("utf-8"))
                self.current = (number, total, doc.source_id, size)
                self.started, self.reported = time.monotonic(), 0.0
            self._show()

    def stage(self, doing: str) -> None:
        """Show that `doing` ("reconciling") runs; "" shows nothing."""
        with self.lock:
            self.current, self.doing = None, doing
            self.started = time.monotonic()
            self._show()

    def _tick(self) -> None:
        while not self.stop.wait(1.0):
            with self.lock:
                self._show()

    def _show(self) -> None:
        if self.current is None and self.doing and self.live:
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r\x1b[K{self.doing}" + (f" {elapsed:.0f} s" if elapsed >= 1
                                                           else ""))
            self.stream.flush()
            self.on_screen = True
            return
        if self.current is None:
            if self.on_screen:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.on_screen = False
            return
        number, total, source_id, size = self.current
        elapsed = time.monotonic() - self.started
        what = f"{source_id} ({size / 1e6:.1f} MB)" if size >= 1e5 else source_id
        if self.live:
            self.stream.write(f"\r\x1b[Kextracting {number}/{total}: {what}"
                              + (f" {elapsed:.0f} s" if elapsed >= 1 else ""))
            self.stream.flush()
            self.on_screen = True
        elif elapsed >= STILL_RUNNING_AFTER + self.reported:
            self.stream.write(f"careerfacts: still extracting {number}/{total}: {what} "
                              f"after {elapsed:.0f} s\n")
            self.stream.flush()
            self.reported = elapsed

    def close(self) -> None:
        self.stop.set()
        self.ticker.join()
        with self.lock:
            self.current, self.doing = None, ""
            self._show()


def _progress(stream):
    """A one-line status on a terminal (`capture`); nothing when output is piped."""
    if not stream.isatty():
        return None
    seen = []

    def show(source_id: str, verb: str = "extracting") -> None:
        seen.append(source_id)
        shown = source_id if verb != "extracting" else f"{len(seen)}: {source_id}"
        stream.write(f"\r\x1b[K{verb} {shown}")
        stream.flush()
    return show


def _fail(message: str, code: int, as_json: bool) -> None:
    """A fatal error: one line on stderr (and, with --json, the summary object saying so)."""
    click.echo(f"careerfacts: {message}", err=True)
    if as_json:
        click.echo(json.dumps({"exit_code": code, "error": message}, sort_keys=True))
    sys.exit(code)


@main.command()
@click.option("--registry", type=click.Path(path_type=Path), default=None,
              help="The source registry [default: raw/sources.yaml in the project].")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project root; curated/ and reports/ are written there (the same as "
                   "careerfacts --project).")
@click.option("--wait", type=click.FloatRange(min=0), default=600.0, show_default=True,
              metavar="SECONDS",
              help="How long to wait for another refresh, decision or capture in the same "
                   "project to finish before giving up (exit 2).")
@click.option("--time-limit", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Seconds one document may take to extract before it is stopped and "
                   "reported as document-time-limit; 0 for no limit [default: 120].")
@click.option("--json", "as_json", is_flag=True,
              help="Print a machine-readable summary (one JSON object) instead of the text.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print no progress and no summary; problems still go to stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes that extract documents at once, and processes that "
                   "share the stages after reading (release matching, reconciliation, the "
                   "claims table); 1 does everything in this process [default: the number "
                   "of cores]. With --executor dask: the workers of the local cluster (the "
                   "stages after reading use this machine's cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where documents are extracted: worker processes on this machine, or "
                   "the workers of a Dask cluster (needs `pip install 'careerfacts[dask]'`; "
                   "see docs/architecture.md, \"Extraction on a cluster\").")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler to send documents to, e.g. tcp://10.0.0.5:8786 "
                   "(with --executor dask) [default: a local cluster of --jobs workers].")
@click.option("--rehash", is_flag=True,
              help="Read and hash every registered file, and run every stage, even when "
                   "nothing changed since the last refresh (by default a file whose size, "
                   "times and inode are unchanged keeps its digest, and unchanged inputs "
                   "with unchanged outputs run nothing).")
@click.pass_obj
def refresh(obj: Options, registry: Path | None, root: Path | None, wait: float,
            time_limit: float | None, as_json: bool, quiet: bool, jobs: int | None,
            executor: str, scheduler: str | None, rehash: bool) -> None:
    """Extract, validate and reconcile every registered source; write curated/ and reports/.

    Writes curated/{claims,facts,discrepancies,sources}.{csv,parquet},
    curated/quarantine.csv, curated/page_changes.csv, curated/releases.parquet,
    reports/discrepancies.md and reports/problems.csv; the analyst's view,
    reports/index.html (charts, the queue, what changed) and curated/careerfacts.duckdb
    (the tables and views for SQL); and the run's record, curated/history/run-NNNN.json.
    All are published together: a refresh that fails or is killed leaves the previous
    set or its own, whole (an interrupted one is completed by the next command). The
    summary says what changed since the previous run (see `careerfacts diff`). One
    refresh runs at a time per project; a second waits for the first (--wait). A source
    that cannot be read is reported and skipped; the others are still processed.

    Documents are extracted by --jobs worker processes (or on a Dask cluster), the
    stages after reading share their slices of keys out between --jobs processes, and
    each document's claims are cached in .cache/careerfacts/ by its content and the code
    that read it: a page that did not change is not read again. When nothing changed
    (registry, pages, decisions, code) and the outputs are as the last refresh wrote
    them, the refresh says what it said then and writes only its run's record (the same
    counts as the run it repeats, "no change since run N"). The outputs are the
    same bytes whatever the executor and the number of jobs.

    Exit 0 when the run was clean, 1 when it found data problems (listed, and in
    reports/problems.csv), 2 on a usage or configuration error (a Dask scheduler that
    cannot be reached included), 3 on an internal error.

    Example:

    \b
        careerfacts refresh
        careerfacts refresh --jobs 4 --json | jq .discrepancies
        careerfacts refresh --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.extraction import DEFAULT_TIME_LIMIT, parallel_jobs
    from pipeline.incremental import forget_run, inputs_digest, unchanged_run
    from pipeline.publish import Busy, PartialPublish, exclusive
    from pipeline.registry import RegistryError, load_registry
    from schemas.problems import problem

    root = obj.root(root)
    registry = registry or Path("raw/sources.yaml")
    registry = registry if registry.is_absolute() else root / registry
    if not registry.is_file():
        _fail(problem("registry-not-found", path=str(registry)).line(), EXIT_USAGE, as_json)
    if scheduler and executor != "dask":
        _fail("--scheduler names a Dask scheduler: give it with --executor dask",
              EXIT_USAGE, as_json)
    limit = DEFAULT_TIME_LIMIT if time_limit is None else (time_limit or None)
    say = (lambda text: None) if quiet or as_json else (lambda text: click.echo(
        f"careerfacts: {text}", err=True))
    decisions = root / "decisions.yaml"
    cache_dir = _cache_dir(root)
    recovered = before = None
    progress = None
    try:
        with exclusive(root, wait, on_wait=say) as recovered:
            if recovered:
                say(recovered.line())
            loaded = load_registry(registry, cache_dir=cache_dir, rehash=rehash)
            digest = inputs_digest(root, registry, decisions, *loaded, limit)
            before = None if rehash else unchanged_run(root, digest)
            if before is not None:
                from pipeline.analyst import recorded_unchanged_run, utc_now
                noted = recorded_unchanged_run(root, utc_now())
            else:
                forget_run(root)
                progress = None if quiet or as_json else Progress(sys.stderr,
                                                                  sys.stderr.isatty())
                run, files, changed, (record, changes, history_problems) = _full_refresh(
                    root, registry, decisions, cache_dir, loaded, limit, progress,
                    jobs=parallel_jobs(jobs), executor=executor, scheduler=scheduler)
    except RegistryError as exc:
        _fail(exc.problem.line(), EXIT_USAGE, as_json)
    except Busy as exc:
        _fail(str(exc), EXIT_USAGE, as_json)
    except PartialPublish as exc:
        _fail(f"publishing the outputs failed part way: {exc}", EXIT_DEFECT, as_json)
    except Exception as exc:
        from pipeline.dask_executor import ExecutorError
        if isinstance(exc, ExecutorError):
            _fail(f"{exc}. Nothing was written.", EXIT_USAGE, as_json)
        if obj.debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc}. Nothing was written; the "
              "previous outputs are unchanged. Run with --debug for the traceback.",
              EXIT_DEFECT, as_json)
    finally:
        if progress:
            progress.close()
    if before is not None:
        _say_again(before, root, recovered, as_json, quiet, noted)
    elif run.set_aside and not quiet:  # on stderr with --json too: stdout is the summary's
        click.echo(f"careerfacts: {run.set_aside} damaged "
                   f"{'entry' if run.set_aside == 1 else 'entries'} of the cache in {cache_dir} "
                   "set aside and deleted; their documents were read again", err=True)
    if obj.debug:
        for source_id, text in sorted(run.tracebacks.items()):
            click.echo(f"--- traceback for {source_id}\n{text}", err=True)
    code = EXIT_DATA if run.problems else EXIT_OK
    summary = summary_of(run, files, changed, root, recovered, code)
    lines = _summary(run, files, changed, root)
    if run.reproducible:
        from pipeline.incremental import record_run
        kept = {k: v for k, v in summary.items() if k != "recovered"}
        kept["outputs"] = {"files": summary["outputs"]["files"]}
        record_run(root, digest, list(files), code, kept, lines[:-1])
    if as_json:
        summary["run"] = {"number": record.run, "record": record.path,
                          "changes": changes.as_dict(), "headline": changes.headline(),
                          "history_problems": [p.line() for p in history_problems]}
        click.echo(json.dumps(summary, sort_keys=True, ensure_ascii=False))
    elif quiet:
        _problem_lines(run.problems)
        _problem_lines(history_problems)
    else:
        _echo_lines(lines)
        _problem_lines(history_problems)
        _changes_summary(record, changes)
    sys.exit(code)


def _cache_dir(root: Path) -> Path:
    """$CAREERFACTS_CACHE, else .cache/careerfacts/ in the project (as pipeline/refresh.py's
    default_cache_dir, without importing the stages)."""
    configured = os.environ.get("CAREERFACTS_CACHE")
    return Path(configured) if configured else Path(root) / ".cache" / "careerfacts"


def _full_refresh(root: Path, registry: Path, decisions: Path, cache_dir: Path, loaded,
                  limit, progress, *, jobs: int, executor: str, scheduler: str | None):
    """Every stage, then the outputs published, the analyst's view and the run's record
    with them: (run, files, files changed, (record, changes, history problems))."""
    from pipeline.analyst import analyst_files, recorded_run, utc_now
    from pipeline.outputs import rendered
    from pipeline.publish import STATE, publish
    from pipeline.refresh import Engine
    from pipeline.refresh import refresh as run_refresh

    started = utc_now()
    stage = getattr(progress, "stage", lambda doing: None)
    run = run_refresh(registry, progress, decisions=decisions, cache_dir=cache_dir,
                      time_limit=limit, loaded=loaded,
                      engine=Engine(jobs=jobs, executor=executor, scheduler=scheduler))
    # the large files are rendered into .careerfacts/, so that publishing renames them
    stage("reconciling and writing the tables and the report")
    with rendered(run, root / STATE, published=root, chart_cache=cache_dir / "charts") as files:
        record, changes, history_problems = recorded_run(
            run, root, registry, decisions, started, EXIT_DATA if run.problems else EXIT_OK,
            files=files)
        stage("writing the analyst's view (reports/index.html, curated/careerfacts.duckdb)")
        files.update(analyst_files(run, files, record, changes, root))
        stage("publishing")
        changed = publish(files, root)
    stage("")
    return run, files, changed, (record, changes, history_problems)


def _echo_lines(lines: list[tuple[str, str]]) -> None:
    for stream, text in lines:
        click.echo(text, err=stream == "err")


def _say_again(before, root: Path, recovered, as_json: bool, quiet: bool, noted) -> None:
    """What the last refresh said, for a refresh whose inputs and outputs are unchanged,
    and the run it recorded (`noted`: record, changes, history problems)."""
    record, changes, history_problems = noted
    if as_json:
        summary = dict(before.summary)
        summary["outputs"] = {"files": before.files, "changed": []}
        summary["recovered"] = None if not recovered else {
            "completed": recovered.completed, "discarded": recovered.discarded,
            "leftovers": recovered.leftovers}
        summary["run"] = None if record is None else {
            "number": record.run, "record": record.path, "changes": changes.as_dict(),
            "headline": changes.headline(),
            "history_problems": [p.line() for p in history_problems]}
        click.echo(json.dumps(summary, sort_keys=True, ensure_ascii=False))
    elif quiet:
        _echo_lines([line for line in before.lines if line[0] == "err"])  # the problems
        _problem_lines(history_problems)
    else:
        _echo_lines(before.lines)
        click.echo(f"wrote          0 of {_outputs_total(before.files)} output files changed "
                   f"(nothing changed since the last refresh; report: "
                   f"{root / 'reports/discrepancies.md'})")
        _problem_lines(history_problems)
        if record is not None:
            _changes_summary(record, changes)
    sys.exit(before.exit_code)


SHOWN_CHANGES = 12
"""Changes the refresh summary lists before pointing at `careerfacts diff`."""


def _changes_summary(record, changes) -> None:
    click.echo(f"run            {record.run} recorded ({record.path}); {changes.headline()}")
    lines = changes.lines()
    for line in lines[:SHOWN_CHANGES]:
        click.echo(f"  {line}")
    if len(lines) > SHOWN_CHANGES:
        click.echo(f"  … {len(lines) - SHOWN_CHANGES} more: careerfacts diff")


def _outputs_total(files) -> int:
    """The run's output files: those it rendered, and the database, which a run whose
    tables did not change leaves as it is (pipeline/analyst.py) and so does not render."""
    from pipeline.database import DATABASE

    return len(files) + (DATABASE not in files)


def _source_counts(run) -> tuple[int, int]:
    """(entries registered, documents read): entries the registry left out (a problem
    each, with or without an id) count as registered, and documents that could not be
    opened (empty, undecodable, unreadable, a PDF without text) not as read."""
    read = {c.source.id for c in run.captures}
    dropped = sum(p.code == "registry-duplicate-id"
                  or (p.code.startswith("registry-") and p.source_id not in read)
                  for p in run.problems)
    unreadable = read & {p.source_id for p in run.problems if p.code in (
        "document-empty", "document-undecodable", "document-unreadable",
        "document-no-text-layer")}
    return len(run.captures) + dropped, len(run.captures) - len(unreadable)


def summary_of(run, files: dict, changed: list, root: Path, recovered, code: int) -> dict:
    """The refresh's summary as data: what `refresh --json` prints.

    Keys: exit_code; sources (registered, readable, with_problems); claims (extracted, valid,
    quarantined); facts and discrepancies (totals, by status, queue, outcome and
    severity); decisions (total, applied, needs-review); problems (each with code,
    severity, source_id, path, locator, message, hint); outputs (files, changed:
    paths relative to the project); recovered (what an interrupted run left, or null).
    """
    counts = _counts(run, files)
    problems = [{k: getattr(p, k) for k in ("code", "severity", "source_id", "path",
                                             "locator", "message", "hint")}
                for p in run.problems]
    from pipeline.reconcile import QUEUES
    from pipeline.report import OUTCOMES, SEVERITIES

    def counted(values, names) -> dict[str, int]:
        found = Counter(values)
        return {name: found[name] for name in names}

    return {
        "exit_code": code,
        "sources": dict(zip(("registered", "readable"), _source_counts(run)),
                        with_problems=sorted(run.troubled_sources)),
        "claims": {"extracted": len(run.claims), "valid": run.valid_count,
                   "quarantined": len(run.quarantined)},
        "facts": {"total": sum(counts.facts.values()),
                  **{s: counts.facts[s] for s in ("consensus", "single-source", "resolved",
                                                  "conflict")}},
        "discrepancies": {
            "total": sum(counts.discrepancies.values()),
            "queue": counted(counts.of_discrepancies(0), QUEUES),
            "outcome": counted(counts.of_discrepancies(1), OUTCOMES),
            "severity": counted(counts.of_discrepancies(2), SEVERITIES)},
        "decisions": {"total": len(counts.decisions),
                      "applied": sum(r.status == "applied" for r in counts.decisions),
                      "needs-review": sum(r.status == "needs-review" for r in counts.decisions)},
        "problems": problems,
        "outputs": {"files": sorted(files),
                    "changed": sorted(str(p.relative_to(root)) for p in changed)},
        "recovered": None if not recovered else {
            "completed": recovered.completed, "discarded": recovered.discarded,
            "leftovers": recovered.leftovers},
    }


def _problem_lines(problems) -> None:
    _echo_lines(_problem_text(problems))


def _problem_text(problems) -> list[tuple[str, str]]:
    lines = [("err", f"  {p.line()}") for p in problems[:10]]
    if len(problems) > 10:
        lines.append(("err", f"  … {len(problems) - 10} more in reports/problems.csv"))
    return lines


def _counts(run, files):
    """Facts by status, discrepancies by (queue, outcome, severity) and the decisions'
    results: from the rendering (`files.parts`), else from the run's reconciliation."""
    parts = getattr(files, "parts", None)
    if parts is None:
        from pipeline.report import parts_of
        parts = parts_of(run)
    return parts


def _summary(run, files: dict, changed: list, root: Path) -> list[tuple[str, str]]:
    """The text summary of a refresh as (stream, line) pairs; the last says what was written."""
    counts = _counts(run, files)
    severity = Counter(counts.of_discrepancies(2))
    status = counts.facts
    decisions = counts.decisions
    lines: list[tuple[str, str]] = []

    def echo(text: str) -> None:
        lines.append(("out", text))
    troubled = run.troubled_sources
    registered, readable = _source_counts(run)
    echo((f"sources        {registered} registered and readable"
          if registered == readable else
          f"sources        {registered} registered, {readable} readable")
         + (f", {len(troubled)} with problems" if troubled else ""))
    echo(f"claims         {len(run.claims)} extracted, {run.valid_count} valid, "
         f"{len(run.quarantined)} quarantined")
    echo(f"facts          {sum(status.values())} ("
         + ", ".join(f"{status[s]} {s}" for s in ("consensus", "single-source", "resolved",
                                                   "conflict")) + ")")
    queues = Counter(counts.of_discrepancies(0))
    echo(f"discrepancies  {sum(queues.values())} ("
         + ", ".join(f"{queues[q]} {q}" for q in ("open", "decided", "explained")) + "; "
         + ", ".join(f"{severity[s]} {s}" for s in ("high", "medium", "low", "info")) + ")")
    if decisions:
        review = sum(r.status == "needs-review" for r in decisions)
        echo(f"decisions      {len(decisions)} ({len(decisions) - review} applied, "
             f"{review} needs-review)")
    older = sum(p.status != "current" for p in run.pages.values())
    if older:
        pages_changed = {c.page for c in run.changes}
        echo(f"captures       {older} older or duplicate captures kept as history; "
             f"{len(pages_changed)} page{'s' if len(pages_changed) != 1 else ''} changed figures "
             "(see Page changes in the report)")
    if run.problems:
        echo(f"problems       {len(run.problems)}:")
        for code, n in sorted(Counter(p.code for p in run.problems).items()):
            echo(f"  {n} × {code}")
        lines.extend(_problem_text(run.problems))
    echo(f"wrote          {len(changed)} of {_outputs_total(files)} output files changed "
         f"(reports: {root / 'reports/index.html'}, {root / 'reports/discrepancies.md'})")
    return lines


@main.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Capture the pages a file names: raw/watchlist.yaml (a `pages:` list with "
                   "url, occupation, …) or plain text, one URL a line.")
@click.option("--occupation", metavar="SOC", default="",
              help="SOC code of the page's occupation, for the registry entry (e.g. 29-2072).")
@click.option("--id", "capture_id", default="",
              help="Id of the new capture (one URL only) [default: made from the URL and time].")
@click.option("--title", default="", help="Title for the registry [default: the page's own].")
@click.option("--authority", type=click.Choice(["primary", "secondary", "unknown"]),
              default="unknown", show_default=True,
              help="primary: the statistical agency itself; secondary: a page citing one.")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The source registry [default: raw/sources.yaml in the project].")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to one host (a longer Crawl-delay wins).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True,
              help="Seconds to wait for the site to connect or to send more of a response.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Further attempts after a 429 or 5xx answer, a timeout or a dropped "
                   "connection (with back-off, honouring Retry-After up to a minute).")
@click.option("--max-size", "max_size", type=click.FloatRange(min=0.001), default=20.0,
              show_default=True, help="Largest page to accept, in MB.")
@click.option("--wait", type=click.FloatRange(min=0), default=600.0, show_default=True,
              metavar="SECONDS",
              help="How long to wait for another refresh, decision or capture in the same "
                   "project to finish before giving up (exit 2).")
@click.pass_obj
def capture(obj: Options, urls: tuple[str, ...], from_file: Path | None, occupation: str,
            capture_id: str, title: str, authority: str, registry: Path, delay: float,
            timeout: float, retries: int, max_size: float, wait: float) -> None:
    """Fetch pages into raw/ and register each as a new capture.

    Honours robots.txt, waits between requests to one host, retries 429 and 5xx answers
    with back-off, follows and records redirects, and keeps only HTML pages and PDFs.
    Each capture is a new file in raw/ with its entry appended to the registry (URL,
    final URL, HTTP status, content type, sha256, retrieval time, the capture it
    supersedes); an archived copy (a /web/<timestamp>/<url> address) records the
    archive's timestamp and the original URL. A page that has not changed (a 304
    answer to its latest capture's validators, or that capture's bytes) writes
    nothing; a page that changed back to an older capture's bytes is a new capture,
    and so is a URL serving the bytes of another URL's capture (counted once by the
    refresh). A URL that fails writes nothing and is reported with a stable code; the
    others go on. Captures wait, saying so, while another command writes in the
    project (--wait). Exit 0 when every URL was captured or unchanged, 1 when any
    failed, 2 on a usage error (a URL argument that is not an http:// or https:// URL,
    before anything is fetched), a registry that cannot be read or appended to, or
    the project still busy after --wait.

    Examples:

    \b
        careerfacts capture https://www.bls.gov/oes/current/oes292072.htm --occupation 29-2072
        careerfacts capture --from raw/watchlist.yaml
    """
    from pipeline.capture import (Capturer, Target, TargetsError, target_problem,
                                  targets_from_file)
    from pipeline.fetch import Fetcher, Policy, url_problem
    from pipeline.publish import Busy
    from pipeline.registry import RegistryError

    for url in urls:
        wrong = url_problem(url)
        if wrong:
            raise click.UsageError(
                f"URL argument {url!r} cannot be captured: {wrong}; give the page's full "
                "address, such as https://www.bls.gov/oes/current/oes292072.htm")
    try:
        targets = [Target(url, occupation, capture_id, title, authority) for url in urls]
        targets += targets_from_file(from_file) if from_file else []
    except TargetsError as exc:
        raise click.UsageError(str(exc)) from None
    if not targets:
        raise click.UsageError("give at least one URL, or --from FILE")
    if capture_id and len(targets) > 1:
        raise click.UsageError("--id names one capture: give it with a single URL")
    for target in targets[:len(urls)]:
        wrong = target_problem(target)
        if wrong:
            raise click.UsageError(wrong)
    registry = registry or obj.root() / "raw" / "sources.yaml"
    policy = Policy(connect_timeout=timeout, read_timeout=timeout, host_delay=delay,
                    retries=retries, max_bytes=int(max_size * 1024 * 1024))
    counts = Counter()
    progress = _progress(sys.stderr)
    try:
        def waiting(text: str) -> None:
            if progress:
                sys.stderr.write("\r\x1b[K")
            click.echo(f"careerfacts: {text}", err=True)

        capturer = Capturer(registry, Fetcher(policy), wait=wait, on_wait=waiting)
        for number, target in enumerate(targets, start=1):
            if progress:
                progress(f"{number}/{len(targets)} {target.url}", verb="capturing")
            outcome = capturer.capture(target)
            counts[outcome.status] += 1
            if progress:
                sys.stderr.write("\r\x1b[K")
            if outcome.status == "captured":
                click.echo(f"captured   {outcome.source_id}  {outcome.path}"
                           + (f"  ({outcome.why})" if outcome.why else ""))
            elif outcome.status == "unchanged":
                click.echo(f"unchanged  {target.url}  ({outcome.why}"
                           + (f"; latest capture {outcome.source_id}" if outcome.source_id
                              and outcome.source_id not in outcome.why else "")
                           + "): nothing written")
            else:
                click.echo(f"failed     {target.url}  [{outcome.problem.code}]")
                click.echo(f"  {outcome.problem.line()}", err=True)
    except RegistryError as exc:
        click.echo(f"careerfacts: {exc.problem.line()}", err=True)
        sys.exit(EXIT_USAGE)
    except Busy as exc:
        done = counts["captured"]
        click.echo(f"careerfacts: {exc}" + (f" ({done} URL{'s' if done != 1 else ''} "
                                             "captured before it)" if done else ""), err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if obj.debug:
            raise
        click.echo(f"careerfacts: internal error: {type(exc).__name__}: {exc}. Run with "
                   "--debug for the traceback.", err=True)
        sys.exit(EXIT_DEFECT)
    finally:
        if progress:
            sys.stderr.write("\r\x1b[K")
    click.echo(f"{len(targets)} URL{'s' if len(targets) != 1 else ''}: "
               + ", ".join(f"{counts[s]} {s}" for s in ("captured", "unchanged", "failed"))
               + ("; run `make refresh` to use the new captures" if counts["captured"] else ""))
    sys.exit(EXIT_DATA if counts["failed"] else EXIT_OK)


@main.command()
@click.argument("discrepancy")
@click.option("--prefer", "prefer", metavar="CLAIM|SOURCE|VALUE",
              help="The figure that should win: a claim id, a value (\"$50,250\") or a source "
                   "that states one figure of the discrepancy.")
@click.option("--deprecate", metavar="CLAIM|SOURCE|VALUE",
              help="Rank these claims deprecated and leave them out of the resolution: a claim "
                   "id, every claim of a source, or every claim of a value. Repeat the command "
                   "to deprecate several.")
@click.option("--not-a-conflict", "not_a_conflict", is_flag=True,
              help="The discrepancy is explained; the rules still resolve it.")
@click.option("--split", is_flag=True,
              help="The key mixes two populations: an explained definition difference.")
@click.option("--reason", required=True, help="Why: shown in the report beside the decision.")
@click.option("--replace", is_flag=True,
              help="Replace a recorded decision this one contradicts (another --prefer, or "
                   "--not-a-conflict against --split) instead of refusing.")
@click.option("--author", default=None,
              help="Who decides [default: $GIT_AUTHOR_NAME, git's user.name, the login name].")
@click.option("--registry", type=click.Path(path_type=Path), default=None,
              help="The source registry [default: raw/sources.yaml in the project].")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path), default=None,
              help="The decisions file [default: decisions.yaml in the project].")
@click.option("--wait", type=click.FloatRange(min=0), default=600.0, show_default=True,
              metavar="SECONDS", help="How long to wait for a refresh, decision or capture "
              "in the same project before giving up (exit 2).")
@click.option("--json", "as_json", is_flag=True,
              help="Print what was recorded as one JSON object instead of the text: "
                   "exit_code, discrepancy_id, action, target, reason, author, date, "
                   "evidence, file, and the decisions it replaced. A refusal is an object "
                   "with exit_code and error.")
@click.pass_obj
def decide(obj: Options, discrepancy: str, prefer: str | None, deprecate: str | None,
           not_a_conflict: bool, split: bool, reason: str, replace: bool, author: str | None,
           registry: Path | None, decisions_path: Path | None, wait: float,
           as_json: bool) -> None:
    """Record an analyst's decision on a discrepancy in decisions.yaml.

    A decision names one figure unambiguously: --prefer a claim id or a value, or a
    source only when it states one figure of the discrepancy (otherwise the command
    lists that source's figures with their claim ids and exits 2). A discrepancy may
    carry several --deprecate decisions; a second --prefer is refused unless --replace.
    The decision carries a fingerprint of the evidence it is made on; every refresh
    applies it while that evidence is unchanged and lists it as needs-review when the
    claims behind it change. Take DISCREPANCY from reports/discrepancies.md. Exit 0
    when the decision is recorded, 2 when it is refused (an unknown discrepancy, a
    target that names no figure or several, a recorded decision it contradicts
    without --replace), the registry cannot be read or the project is still busy
    after --wait.

    Example:

    \b
        careerfacts decide d-0f6fb36664df --prefer '$50,250' --reason "the agency's latest release"
        careerfacts decide d-0f6fb36664df --split --reason "two populations" --json
    """
    from pipeline.publish import Busy, exclusive

    chosen = [a for a, on in (("prefer", prefer), ("deprecate", deprecate),
                              ("not-a-conflict", not_a_conflict), ("split", split)) if on]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --prefer, --deprecate, --not-a-conflict, --split")
    root = obj.root()
    registry = registry or root / "raw" / "sources.yaml"
    decisions_path = decisions_path or root / "decisions.yaml"
    try:
        with exclusive(root, wait, on_wait=lambda text: click.echo(f"careerfacts: {text}",
                                                                   err=True)):
            _decide(discrepancy, chosen[0], prefer or deprecate or "", reason, replace, author,
                    registry, decisions_path, as_json)
    except Busy as exc:
        _fail(str(exc), EXIT_USAGE, as_json)


def _decide(discrepancy: str, action: str, target: str, reason: str, replace: bool,
            author: str | None, registry: Path, decisions_path: Path, as_json: bool) -> None:
    from pipeline.decisions import (Decision, author as default_author, contradicted,
                                    load_decisions, record, today)
    from pipeline.reconcile import (RESTATEMENT_DECISIONS, figures_text, is_restatement,
                                    named_claims, named_clusters, named_figures)
    from pipeline.refresh import refresh as run_refresh
    from pipeline.registry import RegistryError

    try:
        run = run_refresh(registry, decisions=decisions_path)
    except RegistryError as exc:
        _fail(exc.problem.line(), EXIT_USAGE, as_json)
    found = next((d for d in run.reconciliation.discrepancies
                  if d.discrepancy_id == discrepancy), None)
    if found is None:
        _fail(f"no discrepancy {discrepancy!r} in this refresh; see the ids in "
              "reports/discrepancies.md (run `make refresh` first)", EXIT_USAGE, as_json)
    if action in ("prefer", "deprecate") and is_restatement(found):
        _fail(f"{discrepancy} is {RESTATEMENT_DECISIONS}", EXIT_USAGE, as_json)
    every = list(range(len(found.clusters)))
    named = named_clusters(found.clusters, target) if target else []
    if target and not named:
        _fail(f"{target!r} names no claim, source or value of {discrepancy}; its figures "
              "are:\n  " + "\n  ".join(figures_text(found.clusters, every)), EXIT_USAGE, as_json)
    figures = named_figures(found.clusters, target) if action == "prefer" else []
    if len(figures) > 1:
        source = target if any(target in c.sources for c in found.clusters) else ""
        _fail(f"{target!r} names {len(figures)} figures of {discrepancy}"
              + (" (a year figure and an hour figure count as two)"
                 if len({unit for _, unit in figures if unit}) > 1 else "")
              + "; a decision must name one: prefer one of these claim ids (or a value)\n  "
              + "\n  ".join(figures_text(found.clusters, named, source)), EXIT_USAGE, as_json)
    decision = Decision(discrepancy=discrepancy, action=action, target=target, reason=reason,
                        author=author or default_author(decisions_path.resolve().parent),
                        date=today(), evidence=found.evidence)
    recorded, _ = load_decisions(decisions_path)
    clashes = contradicted(recorded, decision,
                           lambda name: named_claims(found.clusters, name) if name else set())
    if clashes and not replace:
        opposed = [d for d in clashes if {d.action, action} == {"prefer", "deprecate"}]
        _fail(f"{discrepancy} already has " + "; ".join(
            f"{' '.join(x for x in (d.action, d.target) if x)} ({d.author}, {d.date})"
            for d in clashes)
              + (f", which names a claim this decision would {'deprecate' if action == 'deprecate' else 'prefer'}: "
                 "one figure cannot be both preferred and deprecated" if opposed else "")
              + "; pass --replace to replace it, or edit decisions.yaml", EXIT_USAGE, as_json)
    record(decisions_path, decision, replacing=clashes)
    if as_json:
        click.echo(json.dumps({
            "exit_code": EXIT_OK, "discrepancy_id": discrepancy, "action": action,
            "target": target, "reason": reason, "author": decision.author,
            "date": decision.date, "evidence": decision.evidence, "file": str(decisions_path),
            "replaced": [{"action": d.action, "target": d.target, "author": d.author,
                          "date": d.date} for d in clashes]},
            sort_keys=True, ensure_ascii=False))
        return
    click.echo(f"recorded in {decisions_path}: {decision.label} on {discrepancy} "
               f"(evidence {found.evidence})"
               + (f", replacing {len(clashes)} earlier decision(s)" if clashes else
                  " (--replace: no recorded decision it contradicts, so none replaced)"
                  if replace else "")
               + "; run `make refresh` to apply it")


@main.command("check-source")
@click.argument("targets", nargs=-1, metavar="[ID|PATH]...")
@click.option("--base", default="main", show_default=True,
              help="Without targets: check the sources added or changed since this git "
                   "revision, and compare the dataset with the registry as it is there.")
@click.option("--all", "check_all", is_flag=True, help="Check every registered source.")
@click.option("--registry", type=click.Path(path_type=Path), default=None,
              help="The source registry [default: raw/sources.yaml in the project].")
@click.option("--json", "as_json", is_flag=True,
              help="Print the verdicts as one JSON object instead of the text: exit_code; "
                   "sources (each with source_id, path, usable, claims, failures and "
                   "warnings, each with its check's code); the change to the "
                   "discrepancies; the files written. An error is an object with "
                   "exit_code and error.")
@click.pass_obj
def check_source(obj: Options, targets: tuple[str, ...], base: str, check_all: bool,
                 registry: Path | None, as_json: bool) -> None:
    """Say whether new or changed sources are usable, and what they would change.

    For each source: registry checks (file, sha256, format, retrieval date), extraction
    (at least one figure; error pages named), the claims contract, the
    great-expectations suites (plausible wages, ordered percentiles, hourly × 2,080 =
    annual, ten-year growth, quotes found in the document, unique ids, registered
    sources), and warnings that do not block (figures without an occupation). Then the
    change as a whole: the dataset reconciled with the registry as it is and as it was
    (at --base, or without the sources named), listing the discrepancies opened, closed
    and changed in outcome or severity (stale → conflict), with their sources. Writes
    reports/check-source.md and reports/validation/*.json; nothing in curated/. Exit 0
    when every source is usable, 1 on a blocking failure, 2 on a usage error (a
    target that is neither a registered id nor a file, a registry that cannot be
    read, an unknown --base). Under GitHub Actions each failure is also an ::error
    annotation (on stderr with --json, so that stdout is the JSON alone) and the
    summary is appended to $GITHUB_STEP_SUMMARY.

    Example:

    \b
        careerfacts check-source raw/new_career_page.html
        careerfacts check-source --base origin/main
        careerfacts check-source --json dental-2026 | jq '.sources[].failures[].code'
    """
    from pipeline.check import (CheckError, annotations, changed_sources, check_sources,
                                markdown, report_files)
    from pipeline.publish import Busy, exclusive, publish
    from pipeline.registry import RegistryError, registry_entries
    from schemas.problems import problem

    root = obj.root()
    registry = (registry or root / "raw" / "sources.yaml").resolve()
    root = registry.parent.parent
    try:
        if not registry.is_file():
            raise RegistryError(problem("registry-not-found", path=str(registry)))
        entries = registry_entries(registry)  # a registry that cannot be read stops here
        if check_all:
            listed = [str(e.get("id")) for e in entries]
        elif targets:
            listed = list(targets)
        else:
            listed = changed_sources(registry, base)
        if not listed:
            if as_json:
                click.echo(json.dumps({"exit_code": EXIT_OK, "sources": [], "change": None,
                                       "outputs": {"files": []}}, sort_keys=True))
            else:
                click.echo(f"no source added or changed since {base}; nothing to check "
                           "(give ids, paths or --all)")
            sys.exit(EXIT_OK)
        results, change = check_sources(registry, listed,
                                        base=None if targets or check_all else base)
        files = report_files(results, change)
        with exclusive(root, on_wait=lambda text: click.echo(f"careerfacts: {text}", err=True)):
            publish(files, root)
    except RegistryError as exc:
        _fail(exc.problem.line(), EXIT_USAGE, as_json)
    except CheckError as exc:
        _fail(str(exc), EXIT_USAGE, as_json)
    except Busy as exc:
        _fail(str(exc), EXIT_USAGE, as_json)
    except Exception as exc:
        if obj.debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc}. Run with --debug for the "
              "traceback.", EXIT_DEFECT, as_json)
    code = EXIT_OK if all(r.usable for r in results) else EXIT_DATA
    if os.environ.get("GITHUB_ACTIONS"):
        for line in annotations(results):
            click.echo(line, err=as_json)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(markdown(results, change))
    if as_json:
        click.echo(json.dumps({"exit_code": code, "sources": [r.as_dict() for r in results],
                               "change": change.as_dict(),
                               "outputs": {"files": sorted(files)}},
                              sort_keys=True, ensure_ascii=False))
        sys.exit(code)
    for r in results:
        status = "usable" if r.usable else f"BLOCKED ({len(r.failures)} failing checks)"
        click.echo(f"{r.source_id:24} {r.claims:4} claims  {status}")
        for f in r.failures:
            click.echo(f"    {f.line()}")
        for w in r.warnings:
            click.echo(f"    warning {w.line()}")
    click.echo(f"against {change.base}: {len(change.opened)} discrepancies opened, "
               f"{len(change.closed)} closed, {len(change.changed)} changed")
    for kind, group in (("opened ", change.opened), ("closed ", change.closed),
                        ("changed", change.changed)):
        for m in group:
            click.echo(f"    {kind} {m.line()}")
    click.echo(f"report: {root / 'reports/check-source.md'}")
    sys.exit(code)


@main.command()
@click.argument("runs", nargs=-1, type=click.IntRange(min=1), metavar="[RUN] [RUN]")
@click.option("--json", "as_json", is_flag=True,
              help="Print the changes as one JSON object instead of lines.")
@click.pass_obj
def diff(obj: Options, runs: tuple[int, ...], as_json: bool) -> None:
    """Say what changed between two recorded refreshes.

    Every refresh records a run in curated/history/ (see `careerfacts history`). With no
    RUN, compares the last two runs; with one, that run and the latest; with two, the
    first and the second. Lists the sources added, removed or changed (another sha256),
    the facts added, removed or changed (value, status, rule, the sources that state
    them), and the discrepancies opened, closed or changed in outcome, severity or queue
    (stale (low, explained) → conflict (high, open)), each with its sources. Exit 0, or
    2 when a run is not recorded.

    Example:

    \b
        careerfacts diff
        careerfacts diff 3 7
        careerfacts diff 3 --json | jq '.facts[].title'
    """
    from pipeline.history import changes_between, load_runs, read_run, record_path
    from schemas.problems import problem

    root = obj.root()
    if len(runs) > 2:
        raise click.UsageError("give at most two runs")
    if len(runs) == 2 and runs[0] == runs[1]:
        raise click.UsageError(f"give two different runs (run {runs[0]} is the same as itself)")
    # the runs listed by their headers, and only the records compared read whole: at
    # 10,000 pages a record is 55 MB, and reading every one took minutes and GBs
    listed, problems = load_runs(root, content=False)
    for p in problems:
        click.echo(f"careerfacts: {p.line()}", err=True)
    numbers = [r.run for r in listed]
    read: dict = {}

    def unreadable(number: int, detail: str) -> None:
        _fail(problem("history-run-unknown",
                      detail=f"run {number}'s record cannot be read: {detail}").line(),
              EXIT_USAGE, as_json)

    def whole(number: int):
        record, trouble = read_run(root, number, read)
        if trouble is not None:
            unreadable(number, trouble.detail)
        return record

    def readable(before: int | None):
        """The latest run before `before` (or the latest) whose record reads whole, each
        one passed over warned of; None when there is none."""
        for number in reversed([n for n in numbers if before is None or n < before]):
            record, trouble = read_run(root, number, read)
            if trouble is None:
                return record
            click.echo(f"careerfacts: {trouble.line()}", err=True)
        return None

    for number in runs:
        if number not in numbers:
            found = {p.path: p for p in problems}.get(record_path(number))
            if found is not None:
                unreadable(number, found.detail)
            _fail(problem("history-run-unknown",
                          detail=f"run {number} is not recorded in curated/history/ "
                                 f"({_runs_text(numbers)} recorded)").line(),
                  EXIT_USAGE, as_json)
    if len(runs) == 2:
        before, after = whole(runs[0]), whole(runs[1])
    elif len(runs) == 1:
        if numbers and runs[0] == numbers[-1]:
            raise click.UsageError(f"run {runs[0]} is the latest: give an earlier run to "
                                   "compare it with, or none to compare the last two")
        before, after = whole(runs[0]), readable(None)
        if after is not None and after.run <= runs[0]:
            raise click.UsageError(f"run {runs[0]} is the latest whose record can be read: "
                                   "give an earlier run to compare it with")
    else:
        after = readable(None)
        before = readable(after.run) if after is not None else None
    if after is None:
        _fail(problem("history-run-unknown",
                      detail="no run is recorded in curated/history/ yet" if not numbers else
                      "no run's record in curated/history/ can be read").line(),
              EXIT_USAGE, as_json)
    changes = changes_between(before, after)
    if as_json:
        click.echo(json.dumps({**changes.as_dict(), "headline": changes.headline()},
                              sort_keys=True, ensure_ascii=False))
        sys.exit(EXIT_OK)
    click.echo(f"{after.label()}: {changes.headline()}")
    for line in changes.lines():
        click.echo(f"  {line}")
    sys.exit(EXIT_OK)


def _runs_text(numbers: list[int]) -> str:
    """Run numbers as people read them: "runs 1–17, 19", "run 3", "no run".

    >>> _runs_text([1, 2, 3, 5]), _runs_text([4]), _runs_text([])
    ('runs 1–3, 5', 'run 4', 'no run')
    """
    if not numbers:
        return "no run"
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in spans)
    return ("runs " if len(numbers) > 1 else "run ") + text


@main.command()
@click.option("--json", "as_json", is_flag=True,
              help="Print the runs as JSON lines instead of a table.")
@click.pass_obj
def history(obj: Options, as_json: bool) -> None:
    """List the recorded refreshes, oldest first.

    Each refresh records a run in curated/history/run-NNNN.json (git-ignored): when it
    started and finished, its exit code, the sha256 of its inputs and its counts, and
    its facts and discrepancies, which `careerfacts diff` compares. A refresh that found
    nothing changed ran nothing: it records only its header and the run it repeats
    (the "repeats" column), whose facts are its own; one that changed little records
    its differences from a whole record ("based on run N"). Delete old records freely,
    but keep a run's while you keep its repeats and the records based on it; run numbers
    are never reused.

    Example:

    \b
        careerfacts history
        careerfacts diff 1 3
    """
    from pipeline.history import load_runs

    root = obj.root()
    recorded, problems = load_runs(root, content=False)  # the headers are all it shows
    for p in problems:
        click.echo(f"careerfacts: {p.line()}", err=True)
    if as_json:
        for r in recorded:
            click.echo(json.dumps({"run": r.run, "started": r.started,
                                   "finished": r.finished, "exit_code": r.exit_code,
                                   "inputs": r.inputs, "counts": r.counts,
                                   "repeats": r.repeats, "based_on": r.based_on},
                                  sort_keys=True, ensure_ascii=False))
        sys.exit(EXIT_OK)
    if not recorded:
        click.echo("no run recorded yet: `careerfacts refresh` records one")
        sys.exit(EXIT_OK)
    click.echo(f"{'run':>5}  {'started':20}  exit  sources  claims  facts  discrepancies "
               "(open)  problems  repeats")
    for r in recorded:
        n = r.counts
        click.echo(f"{r.run:>5}  {r.started:20}  {r.exit_code:>4}  {n.get('sources', 0):>7}  "
                   f"{n.get('valid', 0):>6}  {n.get('facts', 0):>5}  "
                   f"{n.get('discrepancies', 0):>13} ({n.get('open', 0)})  "
                   f"{n.get('problems', 0):>8}" + (f"  run {r.repeats}" if r.repeats else "")
                   + (f"  (based on run {r.based_on})" if r.based_on else ""))
    sys.exit(EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)),
              default=None, help="Document format; sniffed from the content when not given.")
@click.option("--source-id", default=None, help="Source id to put on the claims [default: file stem].")
@click.option("--explain", is_flag=True,
              help="Instead of the claims, list every figure on the page in page order with "
                   "what became of it: the claim read from it, or why none was.")
@click.pass_obj
def extract(obj: Options, file: Path, fmt: str | None, source_id: str | None,
            explain: bool) -> None:
    """Print the claims of one document as JSON lines (no registry needed).

    Use it to see what a new page yields before registering it. Each line is one claim
    with its verbatim quote and locator; keys are sorted. With --explain, every figure
    the page states is listed with what became of it, so a curator sees what was missed.
    Reads text, HTML, PDF and tables (CSV, XLSX). Stops quietly when the reader of its
    output does (`| head`).

    Example:

    \b
        careerfacts extract raw/001_ff2dfab91b0d996c.txt | head -3
        careerfacts extract --explain raw/001_ff2dfab91b0d996c.txt
    """
    from extractors import read as read_document
    from extractors.document import DocumentError, document_from_bytes
    from extractors.document import sniff_format
    from schemas.problems import problem

    data = file.read_bytes()
    source_id = source_id or file.stem.lower()
    fmt = fmt or sniff_format(data, str(file))
    try:
        doc = document_from_bytes(data, source_id=source_id, path=str(file), format=fmt)
        reading = read_document(doc)
        claims = reading.claims
    except DocumentError as exc:
        p = problem(exc.code, source_id=source_id, path=str(file), detail=exc.detail)
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_USAGE if exc.code == "format-unsupported" else EXIT_DATA)
    except Exception as exc:
        if obj.debug:
            raise
        p = problem("extractor-failed", source_id=source_id, path=str(file),
                    detail=f"{type(exc).__name__}: {exc}")
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_DATA)
    if explain:
        from pipeline.explain import explanation
        lines = [explanation(reading, str(file))]
    else:
        lines = [json.dumps(claim.as_dict(), sort_keys=True, ensure_ascii=False)
                 for claim in claims]
    try:
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader has all it wanted (`| head`): stop without a word, as `cat` does;
        # stdout goes to /dev/null so that the interpreter's last flush cannot fail
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    if not claims:
        p = problem("document-no-figures", source_id=source_id, path=str(file))
        click.echo(f"careerfacts: {p.line()}", err=True)
        sys.exit(EXIT_DATA)


if __name__ == "__main__":  # pragma: no cover
    main()
