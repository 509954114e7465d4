"""Extraction of every registered page: one task per document, cached, run where asked.

    extraction_tasks(captures)  -> one DocumentTask per page (small, picklable: no bytes)
    extractions(tasks, …)       -> one Extracted per task, in the tasks' order

A task reads its document's bytes itself (checking them against the registered sha256),
decodes them, extracts its claims within the time limit and, for a page the registry
gives no occupation, reads its title candidates: all that the refresh needs of a
document, so the parent never holds the pages' bytes or text. Where tasks run:

| executor | where | time limit |
|---|---|---|
| `jobs=1` | in this process, one after the other | the process's interval timer |
| `jobs=N` | a pool of N worker processes (`concurrent.futures`) | each worker's interval timer |
| `dask` | the workers of a Dask cluster (`scheduler` address, or a LocalCluster) | waited for here |

Results are merged in the tasks' order, so outputs are byte-identical whatever ran them.
A task never raises for a bad document; a worker that dies (a crash in a parser's C
code, the memory killer) costs the documents it held: they are run again one at a time,
and the one that kills its worker again is an `extractor-failed` problem. A pool that
stops answering (ANSWER_GRACE) is ended the same way.

Before anything runs, each task's result is looked up in the claims cache
(pipeline/cache.py); a hit is not extracted.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractors import extract
from extractors.claims import CLAIM_COLUMNS, Claim, claim_values
from extractors.document import DocumentError, document_from_bytes
from extractors.titles import TitleCandidate
from pipeline.cache import ClaimsCache, entry_key
from pipeline.limits import TimeLimitExceeded, end_with_parent
from pipeline.limits import time_limit as limited
from schemas.problems import Problem, problem

DEFAULT_TIME_LIMIT = 120.0
"""Seconds one document may take to extract; the largest real pages (18 MB) take ~20 s."""

TRANSIENT = frozenset({"document-time-limit", "extractor-failed", "registry-sha256-mismatch",
                       "registry-file-missing"})
"""Problems a document's bytes do not decide (the machine's load, a defect, a file
changed or gone since the registry was read): their results are never cached."""


@dataclass(frozen=True)
class DocumentTask:
    """What a worker needs to extract one registered document (no bytes: it reads them).

    >>> task = DocumentTask("demo", "raw/demo.txt", "", "0" * 64, "text", held=b"Pay: $5")
    >>> task.size
    7
    """

    source_id: str
    path: str  # as shown to people: "raw/001_ff2d.txt"
    file: str  # where to read it; "" when the bytes are `held`
    sha256: str
    format: str
    occupation: str = ""
    page_date: str = ""  # an archived copy's date
    held: bytes | None = field(default=None, repr=False)
    size: int = -1

    def __post_init__(self):
        if self.size < 0:
            size = len(self.held) if self.held is not None else 0
            if self.held is None and self.file:
                try:
                    size = os.stat(self.file).st_size
                except OSError:
                    size = 0
            object.__setattr__(self, "size", size)

    @property
    def key(self) -> str:
        """What the extraction depends on besides the code (pipeline/cache.py)."""
        return entry_key(self.sha256, self.format, self.source_id, self.path,
                         self.occupation, self.page_date)


@dataclass
class Extracted:
    """One document's extraction: its claims, the problems of decoding it (`unreadable`)
    and of extracting it, a defect's traceback, the encoding it was decoded with, its
    title candidates (only for a page the registry gives no occupation), and whether it
    came from the cache."""

    source_id: str
    claims: list[Claim] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    traceback: str = ""
    encoding: str = ""
    titles: list[TitleCandidate] = field(default_factory=list)
    decoded: bool = False  # the bytes were decoded (an encoding was recorded, even "")
    cached: bool = False

    @property
    def cacheable(self) -> bool:
        return not any(p.code in TRANSIENT for p in self.unreadable + self.problems)

    def plain(self) -> tuple:
        """As plain values, for the cache."""
        return (self.source_id, list(map(claim_values, self.claims)),
                plain_problems(self.unreadable), plain_problems(self.problems), self.encoding,
                [(t.text, t.kind) for t in self.titles], self.decoded)

    @classmethod
    def from_plain(cls, value: tuple) -> Extracted:
        """Raises ValueError (or TypeError) when `value` is not what `plain` gives."""
        source_id, rows, unreadable, problems, encoding, titles, decoded = value
        claims = []
        for row in rows:
            if len(row) != len(CLAIM_COLUMNS):
                raise ValueError("a claim of another shape")
            claim = object.__new__(Claim)  # frozen: set its fields as pickle would
            claim.__dict__.update(zip(CLAIM_COLUMNS, row))
            claims.append(claim)
        return cls(source_id, claims, problems_of(unreadable), problems_of(problems),
                   "", encoding, [TitleCandidate(text, kind) for text, kind in titles],
                   decoded, cached=True)


def plain_problems(found: list[Problem]) -> list[tuple]:
    """Problems as plain values, for a cache entry (`problems_of` reads them back)."""
    return [(p.code, p.source_id, p.path, p.locator, p.detail) for p in found]


def problems_of(plain: list[tuple]) -> list[Problem]:
    return [problem(c, source_id=s, path=p, locator=l, detail=d) for c, s, p, l, d in plain]


def extraction_tasks(captures) -> list[DocumentTask]:
    """One task per registered page (captures without `dataset:`), in registry order."""
    tasks = []
    for capture in captures:
        source = capture.source
        if source.dataset:
            continue
        on_disk = capture.held is None and capture.file is not None
        tasks.append(DocumentTask(
            source.id, source.path, str(capture.file) if on_disk else "", source.sha256,
            source.format, source.occupation, source.page_date,
            held=None if on_disk else (capture.held or b"")))
    return tasks


def document_claims(doc, time_limit: float | None = DEFAULT_TIME_LIMIT
                    ) -> tuple[list[Claim], list[Problem], str]:
    """(claims, problems, traceback of a defect or "") of one document, within its time
    limit. Never raises for a bad document: an unreadable one, one past its time limit
    and an extractor defect are problems. Runs in any process's main thread (a worker of
    a pool included), so extraction can be spread over processes."""
    def failed(code: str, detail: str = "") -> list[Problem]:
        return [problem(code, source_id=doc.source_id, path=doc.path, detail=detail)]

    try:
        with limited(time_limit):
            found = extract(doc)
    except TimeLimitExceeded as exc:
        return [], failed("document-time-limit", f"{exc.seconds:g}"), ""
    except DocumentError as exc:
        return [], failed(exc.code, exc.detail), ""
    except Exception as exc:  # a defect in an extractor: report it, keep going
        return [], failed("extractor-failed", f"{type(exc).__name__}: {exc}"), \
            traceback.format_exc()
    return found, ([] if found else failed("document-no-figures")), ""


def extracted(task: DocumentTask, time_limit: float | None = DEFAULT_TIME_LIMIT) -> Extracted:
    """The extraction of one document: read, checked, decoded, extracted, its titles read.
    Never raises for a bad document (see document_claims)."""
    def failed(code: str, detail: str = "") -> Problem:
        return problem(code, source_id=task.source_id, path=task.path, detail=detail)

    result = Extracted(task.source_id)
    try:
        data = task.held if task.held is not None else Path(task.file).read_bytes()
    except OSError as exc:
        result.unreadable.append(failed("registry-file-missing",
                                        f"cannot be read: {exc.strerror or exc}"))
        return result
    if task.held is None and hashlib.sha256(data).hexdigest() != task.sha256:
        result.unreadable.append(failed(
            "registry-sha256-mismatch", f"{hashlib.sha256(data).hexdigest()}, not the "
            f"registered {task.sha256} (the file changed during the refresh)"))
        return result
    try:
        doc = document_from_bytes(data, source_id=task.source_id, path=task.path,
                                  format=task.format, occupation=task.occupation)
        # an archived copy shows the page as of the archive's timestamp
        doc = replace(doc, page_date=task.page_date) if task.page_date else doc
    except DocumentError as exc:
        result.unreadable.append(failed(exc.code, exc.detail))
        return result
    except Exception as exc:  # a defect in decoding: it costs this document only
        result.unreadable.append(failed("extractor-failed", f"{type(exc).__name__}: {exc}"))
        return result
    del data
    result.decoded, result.encoding = True, doc.encoding
    result.claims, result.problems, result.traceback = document_claims(doc, time_limit)
    if not task.occupation and result.claims:
        from extractors.titles import title_candidates
        try:
            with limited(time_limit):
                result.titles = title_candidates(doc)
        except TimeLimitExceeded:
            pass  # no titles read: the registry's title still counts
        except Exception:  # a page whose titles cannot be read names no occupation
            pass
    return result


Progress = Callable[[int, int, "DocumentTask | None"], None]
"""Called with (number, total, task) when a document starts being extracted (in a pool:
the oldest still running), and with (total, total, None) when extraction is over."""


def extractions(tasks: list[DocumentTask], *, cache: ClaimsCache | None = None,
                jobs: int = 1, executor: str = "local", scheduler: str | None = None,
                time_limit: float | None = DEFAULT_TIME_LIMIT,
                progress: Progress | None = None) -> list[Extracted]:
    """The extraction of every task, in the tasks' order: from the cache where it holds
    the document, else run (module docstring) and cached. `jobs` is the number of
    worker processes of the local executor (1: in this process); `executor` is "local"
    or "dask" (`scheduler`: a Dask scheduler's address; None: a LocalCluster). Raises
    ExecutorError when the Dask cluster cannot be reached or made. A refresh takes them
    one at a time instead (`extract_each`), so as not to hold them all."""
    results: list[Extracted] = []
    extract_each(tasks, results.append, cache=cache, jobs=jobs, executor=executor,
                 scheduler=scheduler, time_limit=time_limit, progress=progress)
    return results


def extract_each(tasks: list[DocumentTask], take: Callable[[Extracted], None], *,
                 cache: ClaimsCache | None = None, jobs: int = 1, executor: str = "local",
                 scheduler: str | None = None, time_limit: float | None = DEFAULT_TIME_LIMIT,
                 progress: Progress | None = None) -> None:
    """`extractions`, handed to `take` one at a time in the tasks' order, each as soon as
    it and every one before it are done: the caller keeps what it needs of a result and
    drops it, so that only the results in flight are held, never all of them (10,000
    pages' claims as objects take gigabytes).

    Which documents the cache holds is looked up first (each entry read and checked,
    then dropped); an entry is read again when its turn comes. One that fails then (it
    was removed or damaged meanwhile, or holds another shape) is extracted here."""
    total = len(tasks)
    held = [False] * total
    missing = []
    for index, task in enumerate(tasks):
        if cache is not None and cache.get(task.key) is not None:
            held[index] = True
        else:
            missing.append(index)
    ready: dict[int, Extracted] = {}  # finished before a task ahead of them
    turn = 0

    def from_cache(index: int) -> Extracted:
        found = cache.get(tasks[index].key)
        if found is not None:
            try:
                return Extracted.from_plain(found)
            except (ValueError, TypeError, KeyError):
                cache.reject(tasks[index].key)  # an entry of another shape: extract again
        if progress:
            progress(index + 1, total, tasks[index])
        result = extracted(tasks[index], time_limit)
        if result.cacheable:
            cache.put(tasks[index].key, result.plain())
        return result

    def hand_on() -> None:
        nonlocal turn
        while turn < total:
            if turn in ready:
                result = ready.pop(turn)
            elif held[turn]:
                result = from_cache(turn)
            else:
                return
            turn += 1
            take(result)

    def done(index: int, result: Extracted) -> None:
        if cache is not None and result.cacheable:
            cache.put(tasks[index].key, result.plain())
        ready[index] = result
        hand_on()

    hand_on()
    if missing:
        if executor == "dask":
            from pipeline.dask_executor import run_on_dask
            run_on_dask(tasks, missing, done, scheduler=scheduler, time_limit=time_limit,
                        progress=progress, total=total, workers=jobs)
        elif jobs > 1 and len(missing) > 1:
            _run_in_pool(tasks, missing, done, jobs=jobs, time_limit=time_limit,
                         progress=progress, total=total)
        else:
            for index in missing:
                if progress:
                    progress(index + 1, total, tasks[index])
                done(index, extracted(tasks[index], time_limit))
    hand_on()
    if turn < total:  # an executor that lost a task: a defect, never silently a gap
        raise RuntimeError(f"no extraction came back for {tasks[turn].source_id}")
    if progress:
        progress(total, total, None)


def failed_task(task: DocumentTask, code: str, detail: str) -> Extracted:
    """The result of a task that an executor could not run to its end: one problem."""
    return Extracted(task.source_id, problems=[problem(code, source_id=task.source_id,
                                                       path=task.path, detail=detail)])


def _worker_died(task: DocumentTask, why: str) -> Extracted:
    return failed_task(task, "extractor-failed",
                       f"the worker process extracting it died ({why})")


ANSWER_GRACE = 30.0
"""Seconds past a document's time limit that a pool may go without handing back any
result before it is taken for broken. The limit runs inside the worker: a worker killed
at the wrong moment (the memory killer, `kill -9`) can leave `concurrent.futures`
waiting for it for ever, and nothing else would end the wait."""

FRUITLESS_POOLS = 3
"""Pools in a row that break before handing back anything: then the next document is
charged with it (an `extractor-failed` problem), so that a refresh always ends."""


def _run_in_pool(tasks: list[DocumentTask], indices: list[int],
                 done: Callable[[int, Extracted], None], *, jobs: int,
                 time_limit: float | None, progress: Progress | None, total: int) -> None:
    """Run tasks on a pool of `jobs` processes, twice as many in flight as workers (so a
    worker never waits), showing the oldest running one.

    When a worker dies (found when a result comes back, or when a task is handed out),
    or the pool hands back nothing for ANSWER_GRACE seconds past the time limit, the
    pool is ended and the tasks that were in flight are run again one at a time in a
    new pool, before the rest (so that the results after them need not wait): the one
    that kills, or hangs, that pool's worker is its own problem, the others go on."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = deque(indices)
    suspects: deque[int] = deque()
    shown = -1
    patience = None if not time_limit else time_limit + ANSWER_GRACE
    fruitless = 0  # pools in a row that broke before handing back anything
    while queue or suspects:
        alone = bool(suspects)  # the suspects of a broken pool, one at a time
        source = suspects if alone else queue
        if fruitless >= FRUITLESS_POOLS:
            index = source.popleft()
            done(index, _worker_died(tasks[index], f"{fruitless} worker pools in a row "
                                                    "broke before extracting anything"))
            fruitless = 0
            continue
        workers = 1 if alone else min(jobs, len(source))
        flight: dict = {}
        broken = stuck = answered = False
        pool = ProcessPoolExecutor(max_workers=workers, initializer=end_with_parent,
                                   initargs=(os.getpid(),))
        try:
            while (source or flight) and not broken:
                while source and len(flight) < (1 if alone else 2 * workers):
                    index = source.popleft()
                    try:
                        flight[pool.submit(extracted, tasks[index], time_limit)] = index
                    except BrokenProcessPool:  # a worker died since the last result
                        source.appendleft(index)  # never handed out: not a suspect
                        broken = True
                        break
                if broken:
                    break
                if progress and min(flight.values()) != shown:
                    shown = min(flight.values())
                    progress(shown + 1, total, tasks[shown])
                finished, _ = wait(flight, timeout=patience, return_when=FIRST_COMPLETED)
                if not finished:  # no answer long past the time limit: a worker is gone
                    broken = stuck = True
                    if alone:  # this document hangs its worker past the time limit
                        index = flight.pop(next(iter(flight)))
                        done(index, failed_task(tasks[index], "document-time-limit",
                                                f"{time_limit:g}"))
                    break
                for future in sorted(finished, key=lambda f: flight[f]):
                    index = flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:
                        broken = True
                        if not alone:
                            suspects.append(index)
                            continue
                        result = _worker_died(tasks[index], str(exc) or "killed")
                    except Exception as exc:  # the result could not come back: this task's
                        result = failed_task(tasks[index], "extractor-failed",
                                             f"{type(exc).__name__}: {exc}")
                    answered = True
                    done(index, result)
            if broken:
                suspects.extend(sorted(flight.values()))
                fruitless = 0 if answered else fruitless + 1
        finally:
            for future in flight:
                future.cancel()
            if stuck:  # its workers may be alive and waiting: end them, wait for nothing
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.kill()
            pool.shutdown(wait=not stuck, cancel_futures=True)


def parallel_jobs(jobs: int | None) -> int:
    """The number of worker processes: `jobs`, else the cores this process may use."""
    if jobs:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def merged(results: Iterable[Extracted]) -> tuple[list[Claim], list[Problem], list[Problem],
                                                   dict[str, str], dict[str, str],
                                                   dict[str, list[TitleCandidate]]]:
    """(claims, decoding problems, extraction problems, tracebacks by source, encodings
    by source, title candidates by source) of the results, in their order."""
    claims: list[Claim] = []
    unreadable: list[Problem] = []
    problems: list[Problem] = []
    tracebacks: dict[str, str] = {}
    encodings: dict[str, str] = {}
    titles: dict[str, list[TitleCandidate]] = {}
    for result in results:
        claims.extend(result.claims)
        unreadable.extend(result.unreadable)
        problems.extend(result.problems)
        if result.traceback:
            tracebacks[result.source_id] = result.traceback
        if result.decoded:
            encodings[result.source_id] = result.encoding
            titles[result.source_id] = result.titles
    return claims, unreadable, problems, tracebacks, encodings, titles
