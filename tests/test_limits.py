"""The per-document time limit: in the process that extracts, a pool's worker included."""
from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from extractors.document import document_from_bytes
from pipeline.limits import TimeLimitExceeded, can_limit, time_limit
from pipeline.refresh import document_claims
from tests.conftest import SWALLOWED_ALARM

pytestmark = pytest.mark.filterwarnings(SWALLOWED_ALARM)


def big_page() -> bytes:
    """About 4 MB of sentences with figures: far more than one second of extraction."""
    return b"".join(b"Line %d: the median annual wage in area %d was $%d,250 in 2024.\n"
                    % (i, i, 40 + i % 50) for i in range(60000))


def test_a_document_past_its_limit_is_a_problem_not_an_exception():
    doc = document_from_bytes(big_page(), source_id="big", path="raw/big.txt")
    started = time.monotonic()

    claims, problems, trace = document_claims(doc, time_limit=0.5)

    assert time.monotonic() - started < 5
    assert claims == [] and trace == ""
    assert [(p.code, p.source_id, p.path) for p in problems] == [
        ("document-time-limit", "big", "raw/big.txt")]


@pytest.mark.parametrize("method", sorted({"fork", "spawn"} & set(
    multiprocessing.get_all_start_methods())))
def test_the_limit_holds_in_a_worker_process_of_a_pool(method):
    doc = document_from_bytes(big_page(), source_id="big", path="raw/big.txt")
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context(method)) as pool:
        claims, problems, _ = pool.submit(document_claims, doc, 0.5).result(timeout=60)

    assert claims == [] and [p.code for p in problems] == ["document-time-limit"]


def test_the_limit_is_not_swallowed_by_code_that_catches_every_exception():
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            try:
                while True:
                    time.sleep(0.01)
            except Exception:  # an extractor turning parser errors into "unreadable"
                pass


def test_a_block_within_its_limit_runs_and_leaves_no_timer_behind():
    import signal
    with time_limit(5):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_the_block_runs_unlimited():
    seen = {}

    def work():
        seen["can"] = can_limit()
        with time_limit(0.01):
            time.sleep(0.05)
        seen["done"] = True

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == {"can": False, "done": True}


def test_the_limit_lands_even_when_python_swallows_the_first_alarm():
    """An alarm that arrives while Python runs a garbage-collector callback is swallowed
    ("Exception ignored in …"): the next one must still stop the block."""
    import gc
    import sys

    swallowed = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda u: swallowed.append(u.exc_type)

    def slow_callback(phase, info):  # where the first alarm lands
        if phase == "start" and not swallowed:
            end = time.monotonic() + 0.3
            while time.monotonic() < end:
                pass

    gc.callbacks.append(slow_callback)
    started = time.monotonic()
    try:
        with pytest.raises(TimeLimitExceeded):
            with time_limit(0.1):
                while time.monotonic() - started < 10:
                    [object() for _ in range(1000)]  # allocations trigger the collector
                    gc.collect(0)
    finally:
        gc.callbacks.remove(slow_callback)
        sys.unraisablehook = hook
    # the first alarm (and, on a busy machine, a repeat) was swallowed; a later one stopped it
    assert swallowed and set(swallowed) == {TimeLimitExceeded}
    assert time.monotonic() - started < 5
