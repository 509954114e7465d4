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
this code's cache, so they are refused.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from pipeline.cache import extraction_fingerprint
from pipeline.extraction import DocumentTask, Extracted, extracted
from schemas.problems import problem

CONNECT_TIMEOUT = 10
"""Seconds to wait for a scheduler before saying it cannot be reached."""


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
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler} "
                                f"({type(exc).__name__}: {exc}); start one with "
                                "`dask scheduler` and its workers with `dask worker "
                                "ADDRESS`, or leave out --scheduler for a local "
                                "cluster") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster, set_as_default=False), cluster


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
        with client.as_current():  # distributed.wait asks for the current client
            _run(client, tasks, indices, done, slots=slots, time_limit=time_limit,
                 progress=progress, total=total)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _failed(task: DocumentTask, code: str, detail: str) -> Extracted:
    return Extracted(task.source_id, problems=[problem(code, source_id=task.source_id,
                                                       path=task.path, detail=detail)])


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


def _run(client, tasks, indices, done, *, slots: int, time_limit, progress, total) -> None:
    from distributed import wait

    queue = deque(indices)
    flight: dict = {}  # future -> (index, deadline)
    shown = -1
    while queue or flight:
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
            index, _ = flight.pop(future)
            if future.status == "finished":
                done(index, future.result())
            else:
                error = future.exception()
                done(index, _failed(tasks[index], "extractor-failed",
                                    f"the Dask task failed: {type(error).__name__}: {error}"))
        now = time.monotonic()
        for future, (index, deadline) in list(flight.items()):
            if deadline is not None and now > deadline:
                del flight[future]
                client.cancel([future])
                done(index, _failed(tasks[index], "document-time-limit", f"{time_limit:g}"))
