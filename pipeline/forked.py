"""The stages after reading on more than one core: work shared with forked children.

    forked_map(work, items, jobs)   -> [work(item) for item in items], a share per process
    forked_stream(produce, jobs)    -> what produce() yields, produced in a child while this
                                       process uses each as it comes
    forked_in_turn(work, items, jobs) -> work(item) for each item, as they come, the items
                                       made in turn by this process and its children

Release matching and reconciliation take the claims a slice of keys at a time, each from
the store and the release figures (pipeline/refresh.py). A refresh holds those in memory
(the store mapped from disk), so a child forked from it has them at no cost: it needs
only to be told which slices are its own, and sends back what it made of them, pickled
through a pipe. Nothing it does changes this process: `work` and `produce` must be
functions of what they are given and of the state at the fork, and must not write to a
file this process has open (a child shares its offset): a ClaimStore is sealed before a
fork, so that no child adds a batch to its spill file.

Results are what this process would have made alone, in the same order, byte for byte:
a child that fails (it raises, it is killed, it cannot be forked) costs only time, for
its share is then made here. `jobs` 1, a platform without `fork`, or too little work
makes everything here, as before.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_END = b"end"
"""What a child sends after its last result (a pickle never begins with these bytes)."""


def _fork_context():
    """multiprocessing's fork context, or None where processes cannot be forked."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def shares(weights: Sequence[int], parts: int) -> list[range]:
    """`parts` runs of consecutive positions whose weights add up to about the same,
    every position in one (a run may be empty).

    >>> shares([5, 1, 1, 1, 1, 1], 2)
    [range(0, 1), range(1, 6)]
    >>> shares([], 2)
    [range(0, 0), range(0, 0)]
    """
    total = sum(weights)
    runs, start, held = [], 0, 0
    for part in range(1, parts):
        goal = total * part / parts
        end = start
        while end < len(weights) and held + weights[end] / 2 < goal:
            held += weights[end]
            end += 1
        runs.append(range(start, end))
        start = end
    runs.append(range(start, len(weights)))
    return runs


def _send_all(conn, results) -> None:
    for result in results:
        conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    conn.send_bytes(_END)


def _child(conn, produce: Callable[[], Iterator], parent: int) -> None:
    """A forked child's whole life: send what `produce()` yields, then the end. It ends
    with its parent (a refresh killed outright) instead of working on for no one."""
    from pipeline.limits import end_with_parent

    try:
        end_with_parent(parent)
        _send_all(conn, produce())
    except BaseException:  # noqa: BLE001 - the parent makes this share itself
        pass
    finally:
        conn.close()
        os._exit(0)  # no atexit handler, no inherited buffer flushed twice


_children = 0
"""Forked children alive: the parent's objects stay frozen while there are any."""


def _frozen() -> None:
    """One more child: freeze the objects of this process (`gc.freeze`) for its life.

    A forked child shares the parent's pages until either writes to one. The cycle
    collector writes to every object it walks: in the child it would copy the parent's
    whole heap, page by page, and in the parent it would copy every page the child still
    shares. Frozen objects are not walked, by either; objects made since are."""
    global _children
    if _children == 0:
        gc.freeze()
    _children += 1


def _thawed() -> None:
    """One child fewer: when none is left, the parent's objects are collected again."""
    global _children
    _children -= 1
    if _children == 0:
        gc.unfreeze()


def _start(context, produce: Callable[[], Iterator]):
    """(the child, the parent's end of its pipe), or None when it cannot be forked. The
    parent's objects are frozen until the child has ended (`_frozen`, `_received`)."""
    _frozen()
    try:
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(theirs, produce, os.getpid()),
                                  daemon=True)
        process.start()
    except OSError:  # no memory for a fork, too many processes: the work is done here
        _thawed()
        return None
    theirs.close()
    return process, ours


def _received(started, ended: list) -> Iterator:
    """What a child sends, until its end (then `ended` is given True); stops early,
    quietly, when the child fails."""
    if started is None:
        return
    process, conn = started
    try:
        while True:
            try:
                data = conn.recv_bytes()
            except (EOFError, OSError):
                return  # the child failed: what it did not send is made here
            if data == _END:
                ended.append(True)
                return
            yield pickle.loads(data)
    finally:
        conn.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
        _thawed()


def forked_map(work: Callable[[T], R], items: Sequence[T], jobs: int,
               weight: Callable[[T], int] = lambda item: 1) -> list[R]:
    """`[work(item) for item in items]`, the items shared out in runs of about equal
    `weight` between this process (the first run) and `jobs - 1` forked children.

    A child sends its run's results at once, when all are made (one sent a result at a
    time would wait for this process to read it, which it does only after its own).
    Large results are better left in files the child writes (as reconciliation's chunks
    are: pipeline/outputs.py), so that they are never held twice while they pass.

    >>> forked_map(lambda n: n * n, [1, 2, 3, 4], jobs=2)
    [1, 4, 9, 16]
    """
    context = _fork_context()
    if jobs <= 1 or len(items) < 2 or context is None:
        return [work(item) for item in items]
    runs = shares([weight(item) for item in items], min(jobs, len(items)))

    children = [_start(context, lambda run=run: iter([[work(items[i]) for i in run]]))
                for run in runs[1:]]
    results = [work(items[i]) for i in runs[0]]
    for run, started in zip(runs[1:], children):
        sent = list(_received(started, []))  # the child has ended when this returns
        if not sent:  # it failed: its run is made here
            results.extend(work(items[i]) for i in run)
            continue
        results.extend(sent[0])
    return results


def forked_stream(produce: Callable[[], Iterator[R]], jobs: int) -> Iterator[R]:
    """What `produce()` yields, in order, produced in a forked child while this process
    takes each one (with `jobs` 1, or without fork, produced here). The child runs ahead
    by at most what the pipe holds: one item waiting, one being made. When the child
    fails, `produce()` is run again here and the items already taken are skipped."""
    context = _fork_context()
    if jobs <= 1 or context is None:
        return produce()
    return _streamed(_start(context, produce), produce)  # forked now, not when first asked


def _streamed(started, produce: Callable[[], Iterator[R]]) -> Iterator[R]:
    taken, ended = 0, []
    for item in _received(started, ended):
        taken += 1
        yield item
    if not ended:  # the child failed: the rest is made here
        for number, item in enumerate(produce()):
            if number >= taken:
                yield item


def forked_in_turn(work: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """`work(item)` for each item, in order, as they come: item k is made by this process
    when `k % jobs` is 0, else by the forked child of that number, which runs ahead of
    this process by one item (`forked_stream`). For pieces of a table, each about as
    long to make as the next, written in order as they come.

    >>> list(forked_in_turn(lambda n: n + 1, [1, 2, 3, 4, 5], jobs=2))
    [2, 3, 4, 5, 6]
    """
    jobs = max(1, min(jobs, len(items)))
    children = [forked_stream((lambda k=k: (work(items[i]) for i in
                                                 range(k, len(items), jobs))), jobs)
                for k in range(1, jobs)]
    for i, item in enumerate(items):
        k = i % jobs
        yield work(item) if k == 0 else next(children[k - 1])
