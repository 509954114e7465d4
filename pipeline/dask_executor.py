"""Extraction tasks on a Dask cluster (`careerfacts refresh --executor dask`).

dask and distributed are imported here only, when this executor is asked for: the rest
of careerfacts (and `careerfacts --help`) never pays for them.

Each task is shipped with its document's bytes, read here just before it is submitted:
the workers need careerfacts installed, not the project's raw/ folder at the same path,
and a file that changed since the registry was read is caught here (its sha256). At most
as many tasks as the cluster has worker threads are in flight, so only their bytes are
held at once, and a task runs soon after it is submitted: its time limit is counted
from then, here (a Dask worker runs tasks in threads, where the interval timer of
pipeline/limits.py cannot interrupt them). A document past its limit is reported as
`document-time-limit` and its task cancelled; one whose task fails, or whose workers
keep dying, is `extractor-failed`. Results are merged in the tasks' order by the
caller, so outputs are byte-identical to the local executor's.

Before the first task, every worker is asked for the fingerprint of its extraction code
(pipeline/cache.py): workers running other careerfacts code would put their results in
this code's cache, so they are refused. An address that is no address, or whose server
does not answer as a Dask scheduler, is a configuration error within CONNECT_TIMEOUT
seconds or two; a cluster that loses every worker during the refresh is one after
WORKERLESS seconds without a worker (the refresh writes nothing; run it again when the
workers are back: what was extracted is in the cache).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from pipeline.cache import extraction_fingerprint
from pipeline.extraction import DocumentTask, Extracted, extracted, failed_task
from schemas.problems import problem

CONNECT_TIMEOUT = 10
"""Seconds to wait for a scheduler before saying it cannot be reached."""

WORKERLESS = 30
"""Seconds a cluster may go without a worker during a refresh before it is given up."""

WORKER_CHECK = 2.0
"""Seconds between two questions to the scheduler about its workers."""


class ExecutorError(Exception):
    """The executor cannot run at all (no dask installed, a scheduler that cannot be
    reached, workers with other code): a configuration error, exit 2."""


def _client(scheduler: str | None, workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("--executor dask needs dask and distributed installed: "
                            "pip install 'careerfacts[dask]'") from None
    if scheduler:
        return _connected(Client, scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster, set_as_default=False), cluster


def _connected(Client, scheduler: str):
    """A client of the scheduler at `scheduler`, or ExecutorError within about twice
    CONNECT_TIMEOUT. distributed's own timeout does not end the wait on a server that
    takes the connection but never answers as a scheduler (a web server on the port):
    the client is made in a thread of its own, which is left behind if it never returns."""
    from distributed.comm import resolve_address

    advice = ("start one with `dask scheduler` and its workers with `dask worker ADDRESS`, "
              "or leave out --scheduler for a local cluster")
    try:
        resolve_address(scheduler)
    except (ValueError, OSError) as exc:  # before a client exists: it would linger 20 s
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: it is no "
                            f"scheduler address ({exc}); give one such as "
                            f"tcp://10.0.0.5:8786, or leave out --scheduler for a local "
                            "cluster") from None
    made: dict = {}

    def connect() -> None:
        try:
            made["client"] = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except BaseException as exc:  # handed to the caller below
            made["error"] = exc

    thread = threading.Thread(target=connect, name="careerfacts-dask-connect", daemon=True)
    thread.start()
    thread.join(2 * CONNECT_TIMEOUT)
    if "client" in made:
        return made["client"]
    error = made.get("error")
    why = (f"{type(error).__name__}: {error}" if error is not None else
           f"nothing answered as a Dask scheduler in {2 * CONNECT_TIMEOUT} s")
    raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler} ({why}); {advice}")


def run_on_dask(tasks: list[DocumentTask], indices: list[int],
                done: Callable[[int, Extracted], None], *, scheduler: str | None,
                time_limit: float | None, progress, total: int, workers: int = 2) -> None:
    """Run the tasks `indices` on the cluster at `scheduler` (None: a LocalCluster of
    `workers` processes), calling `done(index, result)` as each finishes."""
    client, cluster = _client(scheduler, workers)
    try:
        mine = extraction_fingerprint()
        theirs = client.run(extraction_fingerprint)
        if not theirs:
            raise ExecutorError(f"the Dask scheduler at {scheduler} has no workers; start "
                                f"some with `dask worker {scheduler}`")
        other = sorted(w for w, fingerprint in theirs.items() if fingerprint != mine)
        if other:
            raise ExecutorError(f"{len(other)} Dask worker(s) run other careerfacts code or "
                                f"parsers than this one ({', '.join(other[:3])}); install "
                                "the same version on every worker")
        slots = max(1, sum(client.nthreads().values()))
        _quiet_about_lost_results(client)
        # "Couldn't gather 1 keys, rescheduling": a lost result is this module's to report,
        # not a line across the progress display
        quiet = logging.getLogger("distributed.client")
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            with client.as_current():  # distributed.wait asks for the current client
                _run(client, tasks, indices, done, slots=slots, time_limit=time_limit,
                     progress=progress, total=total, scheduler=scheduler)
        finally:
            quiet.setLevel(level)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _quiet_about_lost_results(client) -> None:
    """Keep the client's event loop from printing "Task exception was never retrieved …
    AllExit" when a result given up for lost (`_run`) is dropped: that document is
    reported as a problem, and the loop's other errors are printed as before."""
    loop = getattr(getattr(client, "loop", None), "asyncio_loop", None)
    if loop is None:
        return
    previous = loop.get_exception_handler()

    def handler(loop, context) -> None:
        if type(context.get("exception")).__name__ in ("AllExit", "CancelledError"):
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)
    loop.set_exception_handler(handler)


def _shipped(task: DocumentTask) -> DocumentTask | Extracted:
    """The task with its bytes, or the result of a file that cannot be read as registered."""
    import hashlib
    from pathlib import Path

    if task.held is not None:
        return task
    try:
        data = Path(task.file).read_bytes()
    except OSError as exc:
        return Extracted(task.source_id, unreadable=[problem(
            "registry-file-missing", source_id=task.source_id, path=task.path,
            detail=f"cannot be read: {exc.strerror or exc}")])
    digest = hashlib.sha256(data).hexdigest()
    if digest != task.sha256:
        return Extracted(task.source_id, unreadable=[problem(
            "registry-sha256-mismatch", source_id=task.source_id, path=task.path,
            detail=f"{digest}, not the registered {task.sha256} (the file changed during "
                   "the refresh)")])
    return replace(task, held=data, file="")


def _run(client, tasks, indices, done, *, slots: int, time_limit, progress, total,
         scheduler: str | None = None) -> None:
    from distributed import wait

    queue = deque(indices)
    flight: dict = {}  # future -> (index, deadline)
    shown = -1
    seen_workers = looked = time.monotonic()  # when a worker was last seen; last looked
    while queue or flight:
        now = time.monotonic()
        if flight and now - looked >= WORKER_CHECK:
            looked = now
            try:
                working = bool(client.nthreads())
            except Exception:  # the scheduler itself is gone: no worker either
                working = False
            if working:
                seen_workers = now
            elif now - seen_workers > WORKERLESS:
                raise ExecutorError(
                    f"the Dask cluster{f' at {scheduler}' if scheduler else ''} has had no "
                    f"worker for {WORKERLESS} s; start its workers again (`dask worker "
                    f"{scheduler or 'ADDRESS'}`) and refresh: what was extracted is kept in "
                    "the cache")
        while queue and len(flight) < slots:
            index = queue.popleft()
            shipped = _shipped(tasks[index])
            if isinstance(shipped, Extracted):
                done(index, shipped)
                continue
            future = client.submit(extracted, shipped, None, pure=False)
            deadline = time.monotonic() + time_limit if time_limit else None
            flight[future] = (index, deadline)
        if not flight:
            continue
        oldest = min(i for i, _ in flight.values())
        if progress and oldest != shown:
            shown = oldest
            progress(oldest + 1, total, tasks[oldest])
        deadlines = [d for _, d in flight.values() if d is not None]
        timeout = max(0.01, min(deadlines) - time.monotonic()) if deadlines else None
        try:
            finished = wait(list(flight), timeout=min(timeout, 1.0) if timeout else 1.0,
                            return_when="FIRST_COMPLETED").done
        except TimeoutError:
            finished = set()
        for future in sorted(finished, key=lambda f: flight[f][0]):
            index, deadline = flight.pop(future)
            if future.status == "finished":
                # its result is gathered from the worker that holds it: one that has gone
                # since would keep the gathering waiting for the task to run again
                left = deadline - time.monotonic() if deadline is not None else WORKERLESS
                try:
                    result = future.result(timeout=max(1.0, left))
                except TimeoutError:
                    client.cancel([future])
                    done(index, failed_task(tasks[index], "document-time-limit",
                                            f"{time_limit:g}") if deadline is not None else
                         failed_task(tasks[index], "extractor-failed",
                                     "its Dask worker went away with the result"))
                    continue
                done(index, result)
            else:
                error = future.exception()
                done(index, failed_task(tasks[index], "extractor-failed",
                                        f"the Dask task failed: {type(error).__name__}: {error}"))
        now = time.monotonic()
        for future, (index, deadline) in list(flight.items()):
            if deadline is not None and now > deadline:
                del flight[future]
                client.cancel([future])
                done(index, failed_task(tasks[index], "document-time-limit", f"{time_limit:g}"))
