"""The stages after reading on more than one core (pipeline/forked.py): release matching,
reconciliation and the claims table shared out between the refreshing process and forked
children. Each is held to what one process makes: the same results in the same order,
the same bytes, also when a child dies."""
from __future__ import annotations

import copy
import io
import os
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.forked
import pipeline.outputs
import pipeline.refresh
from pipeline.forked import forked_in_turn, forked_map, forked_stream, shares
from pipeline.outputs import rendered
from pipeline.reconcile import KEY_FIELDS
from pipeline.refresh import MatchedRows, current_rows, matched_pages, refresh
from tests.conftest import copy_seed_project

PARENT = os.getpid()


def in_child() -> bool:
    return os.getpid() != PARENT


# --- the primitives ----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=30), st.integers(1, 5))
def test_shares_are_consecutive_runs_that_hold_every_position_once(weights, parts):
    runs = shares(weights, parts)
    assert len(runs) == parts
    assert [i for run in runs for i in run] == list(range(len(weights)))


def test_shares_weigh_about_the_same():
    runs = shares([1] * 100, 2)
    assert [len(r) for r in runs] == [50, 50]
    assert [len(r) for r in shares([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2)] == [1, 10]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(), max_size=12), st.integers(1, 3))
def test_forked_map_gives_what_one_process_does_in_order(items, jobs):
    assert forked_map(lambda n: (n, n * 3), items, jobs) == [(n, n * 3) for n in items]


def test_forked_map_works_in_children_too():
    made_by = forked_map(lambda n: os.getpid(), list(range(6)), 2)
    assert made_by[0] == PARENT and made_by[-1] != PARENT


def test_a_child_that_dies_or_raises_costs_only_time():
    def dies(n):
        if in_child() and n == 4:
            os._exit(9)
        return n * n

    def raises(n):
        if in_child():
            raise MemoryError
        return n + 1

    assert forked_map(dies, list(range(8)), 2) == [n * n for n in range(8)]
    assert forked_map(raises, list(range(8)), 3) == [n + 1 for n in range(8)]


def test_where_processes_cannot_be_forked_everything_is_made_here(monkeypatch):
    monkeypatch.setattr(pipeline.forked, "_fork_context", lambda: None)
    assert set(forked_map(lambda n: os.getpid(), list(range(4)), 2)) == {PARENT}
    assert list(forked_stream(lambda: (os.getpid() for _ in range(3)), 2)) == [PARENT] * 3


def test_forked_stream_yields_what_produce_does_and_makes_the_rest_when_the_child_fails():
    def produce():
        for n in range(6):
            if in_child() and n == 3:
                os._exit(1)
            yield n, in_child()

    got = list(forked_stream(produce, 2))
    assert [n for n, _ in got] == list(range(6))
    assert [by_child for _, by_child in got] == [True] * 3 + [False] * 3


def test_forked_in_turn_makes_the_items_in_turn_in_order():
    got = list(forked_in_turn(lambda n: (n, in_child()), list(range(7)), 2))
    assert [n for n, _ in got] == list(range(7))
    assert [by_child for _, by_child in got] == [n % 2 == 1 for n in range(7)]
    assert list(forked_in_turn(lambda n: n, [], 2)) == []


# --- a refresh's stages ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    root = copy_seed_project(tmp_path_factory.mktemp("forked") / "project")
    run = refresh(root / "raw" / "sources.yaml")
    run.basis = replace(run.basis, cache_dir=None)  # every chunk reconciled by the run
    return run


def with_jobs(run, jobs: int):
    """The same run, its stages after reading given `jobs` processes."""
    shared = copy.copy(run)
    shared.basis = replace(run.basis, jobs=jobs)
    return shared


def analyst_view(run, files) -> tuple:
    from pipeline.database import database_fingerprint
    from pipeline.history import run_record
    from pipeline.report_html import html_report

    record = run_record(run, 1, "t0", "t1", 0, {"registry": "r", "decisions": "d"},
                        files.parts, files.view)
    out = io.StringIO()
    html_report(run, record, None, out=out, parts=files.parts, view=files.view)
    return record, out.getvalue(), database_fingerprint(run, files, files.parts.decisions)


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("chunk", [1, 40])
def test_reconciled_and_written_by_forked_children_the_outputs_are_one_process_s(
        seed_run, monkeypatch, chunk, jobs):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", chunk)
    monkeypatch.setattr(pipeline.outputs, "PIECE", 7)  # the claims table in many pieces
    assert len(seed_run.basis.chunks()) >= jobs

    with rendered(with_jobs(seed_run, jobs)) as shared, rendered(seed_run) as alone:
        assert sorted(shared) == sorted(alone)
        for path in sorted(alone):
            assert shared[path] == alone[path], path
        assert shared.parts == alone.parts
        assert analyst_view(seed_run, shared) == analyst_view(seed_run, alone)


def test_a_child_that_dies_while_reconciling_costs_only_time(seed_run, monkeypatch):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 1)
    real = pipeline.outputs._Rendering.add

    def add(self, rows, part):
        if in_child():
            os._exit(1)
        return real(self, rows, part)

    monkeypatch.setattr(pipeline.outputs._Rendering, "add", add)
    with rendered(with_jobs(seed_run, 2)) as shared, rendered(seed_run) as alone:
        for path in sorted(alone):
            assert shared[path] == alone[path], path
        assert analyst_view(seed_run, shared) == analyst_view(seed_run, alone)


def test_release_matching_shared_out_matches_as_one_process(seed_run, monkeypatch):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 1)
    b = seed_run.basis
    kept = current_rows(b.store, b.valid[b.valid < b.readings], seed_run.pages)
    sources = {c.source.id: c.source for c in seed_run.captures}

    def matched(jobs: int):
        rows = MatchedRows(len(b.store))
        wanted, keys, undecided = matched_pages(b.store, kept, b.authorities, sources,
                                                b.figures, b.parts, b.split, rows, jobs)
        return (list(wanted.items()), keys, undecided.claims, undecided.matches,
                rows.of(np.arange(len(b.store))))

    one = matched(1)
    assert one[0] and any(pair is not None for pair in one[4])
    assert matched(2) == one


def test_decisions_on_any_share_s_discrepancies_are_applied_as_by_one_process(
        seed_run, monkeypatch):
    from pipeline.decisions import Decision

    monkeypatch.setattr(pipeline.refresh, "CHUNK", 1)

    def slice_of(d) -> tuple:  # chunks hold slices in this order
        k = dict(zip(KEY_FIELDS, d.key))
        return k["occupation"], k["metric"], k["geography"]

    found = sorted((d for d in seed_run.reconciliation.discrepancies if d.outcome != "intra-source"),
                   key=slice_of)
    first, last = found[0], found[-1]  # in the first chunk and in the last one
    assert slice_of(first) != slice_of(last)
    decisions = [
        Decision(first.discrepancy_id, "not-a-conflict", "rounded", "ana", "2026-12-01",
                 first.evidence),
        Decision(last.discrepancy_id, "not-a-conflict", "definitions", "ana", "2026-12-01",
                 last.evidence),
        Decision(last.discrepancy_id[:-1] + "x", "not-a-conflict", "mistyped", "ana",
                 "2026-12-01", last.evidence),
    ]
    decided = with_jobs(seed_run, 1)
    decided.basis = replace(decided.basis, decisions=decisions)
    with rendered(with_jobs(decided, 2)) as shared, rendered(decided) as one:
        for path in sorted(one):
            assert shared[path] == one[path], path
        assert shared.parts.decisions == one.parts.decisions
        assert {r.decision.reason: r.status for r in one.parts.decisions} == {
            "rounded": "applied", "definitions": "applied", "mistyped": "needs-review"}
        assert len(one.parts.decisions) == 3
        assert "did you mean" in next(r.why for r in one.parts.decisions
                                      if r.decision.reason == "mistyped")


def test_the_parent_s_objects_are_frozen_while_a_child_lives_and_only_then():
    import gc

    def frozen_here(n):
        return gc.get_freeze_count() > 0 if not in_child() else None

    assert gc.get_freeze_count() == 0
    during = forked_map(frozen_here, list(range(4)), 2)
    assert during[:2] == [True, True]  # this process's run, while its child works
    assert list(forked_in_turn(lambda n: n, list(range(5)), 3)) == list(range(5))
    assert list(forked_stream(lambda: iter(range(3)), 2)) == [0, 1, 2]
    assert gc.get_freeze_count() == 0
