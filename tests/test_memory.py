"""The refresh's memory budget: helper processes counted against it, and the C heap's
free pages handed back between stages."""
from __future__ import annotations

import pytest

from pipeline import memory


@pytest.mark.parametrize("resident, wanted, expected", [
    (100_000_000, 2, 2),   # a small refresh: every core draws
    (600_000_000, 2, 1),   # 0.4 GB left: one process of 0.25 GB
    (990_000_000, 2, 1),   # nothing left: still one (the work must be done)
    (100_000_000, 8, 3),   # 0.9 GB left: three of 0.25 GB
    (None, 4, 4),          # where /proc does not say: as many as asked
])
def test_helper_processes_fit_in_what_the_budget_leaves(monkeypatch, resident, wanted,
                                                        expected):
    monkeypatch.setattr(memory, "resident_bytes", lambda: resident)

    assert memory.processes_within_budget(wanted, each=250_000_000) == expected


def test_the_resident_size_is_read_and_trimming_never_raises():
    before = memory.resident_bytes()
    memory.returned_to_system()

    assert before is None or before > 10_000_000  # an interpreter with numpy loaded


def test_the_chart_pool_is_sized_by_the_budget(monkeypatch, tmp_path):
    from pipeline import charts
    from pipeline.limits import end_with_parent

    sized = []

    class Pool:
        def __init__(self, workers, mp_context=None, initializer=None, initargs=()):
            sized.append(workers)
            assert initializer is end_with_parent  # a drawer ends with a killed refresh

        def submit(self, fn, *args):
            from concurrent.futures import Future
            done = Future()
            done.set_result(None)
            return done

        def shutdown(self, cancel_futures=False):
            pass

    import concurrent.futures
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(charts.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 700_000_000)
    data = [charts.ChartData("29-2072", "", f"f-{n}", "wage", "median", "USD/year",
                             "median pay", (), ()) for n in range(charts.AHEAD)]
    data = [(d, f"{d.fact_id}-", charts.chart_key(d, f"{d.fact_id}-")) for d in data]

    assert charts.drawn_ahead(data, tmp_path) == charts.AHEAD
    assert sized == [1]  # 0.3 GB left: one drawing process, not one per core
