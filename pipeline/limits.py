"""A time limit per document, so that one pathological page cannot hang a refresh.

The limit is the process's real-time interval timer (`setitimer` and SIGALRM): when it
expires, `TimeLimitExceeded` is raised in the code that is extracting. It works in the
main thread of whichever process extracts — the CLI's, or a worker of a process pool,
which runs its tasks in its own main thread — and nowhere else (another thread, or a
system without SIGALRM), where the block simply runs unlimited.

`TimeLimitExceeded` is a BaseException, like KeyboardInterrupt: extractors that turn
any parser `Exception` into "document unreadable" must not swallow it. Python itself
swallows an exception raised while it runs a garbage-collector callback or a `__del__`
("Exception ignored in …"), so once expired the timer fires again every REPEAT seconds
until the block is left: one of them lands. The timer interrupts Python code, and C
code that checks for signals (the `re` engine does); a single call into a C library
that never checks runs to its end first.

>>> import time
>>> try:
...     with time_limit(0.05):
...         while True:
...             time.sleep(0.01)
... except TimeLimitExceeded as exc:
...     print(exc)
the document took longer than 0.05 s
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


REPEAT = 0.2
"""Seconds between the alarms that follow the first, in case one was swallowed."""


class TimeLimitExceeded(BaseException):
    """Extraction of one document ran past its time limit."""

    def __init__(self, seconds: float):
        super().__init__(f"the document took longer than {seconds:g} s")
        self.seconds = seconds


def can_limit() -> bool:
    """Whether `time_limit` can interrupt code here (main thread, SIGALRM available)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded if the block runs longer than `seconds` (None or 0: no limit)."""
    if not seconds or not can_limit():
        yield
        return

    def expired(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


PARENT_CHECK = 0.5
"""Seconds between a worker's looks at whether the refresh that started it is alive."""


def end_with_parent(refresh: int) -> None:
    """A pool worker's initializer (`initargs=(os.getpid(),)`): a watch that ends the
    worker once the process `refresh` that made the pool is gone. A refresh killed
    outright (`kill -9`, the memory killer) runs no handler, and its workers would
    otherwise wait for work for ever, each holding a parser's memory; Ctrl-C reaches the
    whole process group and ends them anyway.

    A forked or spawned worker's parent is the refresh: it is gone when the worker's
    parent changes. Under the forkserver start method the parent is the server, which
    outlives the refresh while its workers live: the refresh itself is looked at (gone,
    or a zombie that was killed and not yet reaped)."""
    import os
    import time

    parent = os.getppid()

    def alive() -> bool:
        if os.getppid() != parent:
            return False
        if parent == refresh:
            return True
        try:
            os.kill(refresh, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # another user's process by now: not ours to judge
        try:
            with open(f"/proc/{refresh}/stat", encoding="utf-8") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return True  # no /proc: the signal said it exists

    def watch() -> None:
        while alive():
            time.sleep(PARENT_CHECK)
        os._exit(1)
    threading.Thread(target=watch, name="careerfacts-parent-watch", daemon=True).start()
