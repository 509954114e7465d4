"""A refresh a piece at a time (issue 11): claims kept in a ClaimStore, extractions taken
one at a time in registry order, reconciliation and rendering a chunk of slices of keys at
a time, the large files written to disk and published by rename. Each is held here to the
all-at-once way it replaces: the same claims, the same bytes."""
from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.refresh
from extractors.claims import CLAIM_COLUMNS, new_claim
from pipeline.cache import ClaimsCache
from pipeline.extraction import DocumentTask, extract_each, extractions
from pipeline.outputs import rendered
from pipeline.publish import RENDERED, STATE, publish, recover
from pipeline.refresh import Run, StoredRun, refresh
from pipeline.store import ClaimStore
from tests.conftest import copy_seed_project

PAGE = b"Medical Records Specialists\nMedian annual wage: $50,250\n"

# --- the claim store --------------------------------------------------------------------------

texts = st.text(max_size=12)
numbers = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
years = st.one_of(st.none(), st.integers(1990, 2040))


@st.composite
def claims(draw):
    claim = new_claim(source_id=draw(st.sampled_from(["a", "b", "c"])),
                      metric=draw(st.sampled_from(["wage", "employment"])),
                      statistic=draw(st.sampled_from(["median", "p10"])), unit="USD/year",
                      value=draw(numbers), figure=draw(texts), quote=draw(texts),
                      locator=f"chars={draw(st.integers(0, 10**6))}-0", method="test")
    return replace(claim, low=draw(numbers), high=draw(numbers),
                   period_start=draw(years), period_end=draw(years), period=draw(texts))


@settings(max_examples=40, deadline=None)
@given(st.lists(claims(), max_size=60), st.integers(1, 7))
def test_a_stored_claim_reads_back_equal_with_its_types(found, batch):
    store = ClaimStore()
    store.BATCH = batch  # several sealed batches and a part still pending
    store.extend(found)

    assert len(store) == len(found)
    assert list(store) == found
    assert [type(getattr(c, n)) for c in store for n in CLAIM_COLUMNS] == \
        [type(getattr(c, n)) for c in found for n in CLAIM_COLUMNS]
    rows = list(range(len(found)))[::-1]
    assert store.claims(rows) == [found[r] for r in rows]
    assert store.column("quote") == [c.quote for c in found]
    odd = rows[::-1][::2]
    assert store.column_of(odd, "value") == [found[r].value for r in odd]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(claims(), max_size=9), max_size=12), st.integers(1, 13), st.data())
def test_batches_sealed_beside_the_reading_read_back_in_the_order_added(documents, batch, data):
    """Documents' claims added in columns (as from the cache of read documents) and as
    objects, with reads between them while a batch may be sealing in its thread."""
    import tempfile

    from pipeline.store import plain_batch

    with tempfile.TemporaryDirectory() as spill:
        store = ClaimStore(spill=Path(spill))
        store.BATCH = batch
        added = []
        for found in documents:
            columns = plain_batch(found)
            if columns is not None and data.draw(st.booleans()):
                store.extend_batch(columns)
            else:
                store.extend(found)
            added += found
            if data.draw(st.booleans()):
                assert len(store) == len(added)
                rows = sorted(data.draw(st.sets(st.integers(0, max(0, len(added) - 1)))))
                rows = [r for r in rows if r < len(added)]
                assert store.claims(rows) == [added[r] for r in rows]
                assert store.column_of(rows, "quote") == [added[r].quote for r in rows]
        assert list(store) == added
        store.seal()
        assert store.claims(range(len(added))) == added


@settings(max_examples=60, deadline=None)
@given(st.lists(claims(), max_size=60), st.integers(1, 7), st.data())
def test_a_field_as_numbers_into_its_values_is_the_field(found, batch, data):
    """codes_of and factorized: sealed batches (dictionary text, plain ids), claims still pending and a
    claim of other types all give each chosen row's own value."""
    store = ClaimStore()
    store.BATCH = batch
    store.extend(found)
    odd = data.draw(st.booleans())
    if odd and found:
        store.extend([replace(found[0], source_id=7)])  # of other types: kept as it is
    every = list(store)
    rows = sorted(data.draw(st.sets(st.integers(0, max(len(every) - 1, 0)), max_size=70))
                  if every else [])
    for name in ("source_id", "quote", "claim_id", "period"):
        codes, values = store.codes_of(rows, name)
        assert [values[c] for c in codes.tolist()] == [getattr(every[r], name) for r in rows]
        numbers, uniques = store.factorized(rows, name)
        expected = pd.factorize(np.asarray([getattr(every[r], name) for r in rows], dtype=object))
        assert numbers.tolist() == expected[0].tolist() and list(uniques) == list(expected[1])


@settings(max_examples=40, deadline=None)
@given(st.lists(claims(), max_size=40), st.integers(1, 7), st.randoms(use_true_random=False))
def test_a_store_s_table_of_rows_is_the_contract_s_table_of_its_claims(found, batch, random):
    from pipeline.tables import claims_frame

    store = ClaimStore()
    store.BATCH = batch
    store.extend(found)
    rows = list(range(len(found))) * 2
    random.shuffle(rows)
    rows = rows[:len(found) + 3]

    made = store.frame(rows)

    expected = claims_frame(store.claims(rows))
    pd.testing.assert_frame_equal(made, expected)
    assert made.dtypes.to_dict() == expected.dtypes.to_dict()


@settings(max_examples=15, deadline=None)
@given(st.lists(claims(), min_size=1, max_size=30), st.integers(1, 7))
def test_a_store_moved_to_a_file_reads_back_the_same_claims(tmp_path_factory, found, batch):
    store = ClaimStore()
    store.BATCH = batch
    store.extend(found)

    store.move_to(tmp_path_factory.mktemp("moved") / "claims.arrows")

    assert list(store) == found and len(store) == len(found)
    assert store.column_of(list(range(len(found))), "figure") == [c.figure for c in found]


@settings(max_examples=15, deadline=None)
@given(st.lists(claims(), min_size=1, max_size=30), st.integers(1, 7))
def test_a_store_spilled_as_it_fills_reads_back_the_same_claims_each_time(
        tmp_path_factory, found, batch):
    folder = tmp_path_factory.mktemp("spill")
    store = ClaimStore(spill=folder)
    store.BATCH = batch
    store.extend(found)
    store.seal()

    for _ in range(2):  # a batch's pages handed back after a read are read again
        assert list(store) == found
        assert store.claims(list(range(len(found)))[::-1]) == found[::-1]
        assert store.column("quote") == [c.quote for c in found]
    assert list(folder.iterdir()) == []  # an unnamed file: nothing left behind


def test_a_claim_of_other_types_is_kept_as_it_is():
    odd = replace(new_claim(source_id="a", metric="wage", statistic="median", unit="USD/year",
                            value=1.0, figure="$1", quote="$1", locator="chars=0-2",
                            method="test"), value=3)  # an int, as a fuzzed input may give
    store = ClaimStore([odd] * 3)
    store.BATCH = 1
    store.extend([odd])

    assert store.claims([3, 0]) == [odd, odd]
    assert type(store[0].value) is int and store.column_of([1, 3], "value") == [3, 3]


# --- extractions taken one at a time ----------------------------------------------------------

def _task(name: str, data: bytes) -> DocumentTask:
    return DocumentTask(name, f"raw/{name}.txt", "", hashlib.sha256(data).hexdigest(), "text",
                        held=data)


def test_extractions_are_taken_in_the_tasks_order_from_the_cache_or_the_pool(tmp_path):
    tasks = [_task(f"p{i}", PAGE + f"Employment: {1000 + i}\n".encode()) for i in range(8)]
    extractions([tasks[i] for i in (1, 4, 6)], cache=ClaimsCache(tmp_path))  # cached before
    taken = []

    extract_each(tasks, taken.append, cache=ClaimsCache(tmp_path), jobs=2)

    assert [r.source_id for r in taken] == [t.source_id for t in tasks]
    assert [r.cached for r in taken] == [i in (1, 4, 6) for i in range(8)]
    assert [r.claims for r in taken] == [r.claims for r in extractions(tasks, cache=None)]


def test_each_extraction_is_taken_before_the_last_document_is_extracted(tmp_path):
    """Taken as they come, not gathered first: when the first result is taken, most
    documents have not been extracted yet (each result is cached as it comes in)."""
    tasks = [_task(f"p{i}", PAGE + f"Employment: {2000 + i}\n".encode()) for i in range(12)]
    cache = ClaimsCache(tmp_path)
    entries_when_taken = []

    def take(result) -> None:
        entries_when_taken.append(len(list(tmp_path.rglob("*.cfx"))))

    extract_each(tasks, take, cache=cache, jobs=2)

    assert len(entries_when_taken) == 12
    assert entries_when_taken[0] < 12 and entries_when_taken == sorted(entries_when_taken)


def test_an_entry_gone_between_the_look_up_and_its_turn_is_extracted_again(tmp_path):
    tasks = [_task("a", PAGE), _task("b", PAGE + b"Employment: 3000\n")]
    first = extractions(tasks, cache=ClaimsCache(tmp_path))
    cache = ClaimsCache(tmp_path)
    taken = []

    def take(result) -> None:
        taken.append(result)
        for entry in tmp_path.rglob("*.cfx"):  # b's entry goes after the look-up
            entry.unlink()

    extract_each(tasks, take, cache=cache)

    assert [r.cached for r in taken] == [True, False]
    assert [r.claims for r in taken] == [r.claims for r in first]


# --- reconciliation and rendering a chunk of slices at a time ---------------------------------

def _whole(run: StoredRun) -> Run:
    """The same run with every claim an object and its reconciliation done at once."""
    return Run(run.captures, list(run.claims), run.valid, run.quarantined, run.reconciliation,
               run.problems, run.tracebacks, run.encodings, run.pages, run.changes, run.history,
               run.official, run.reproducible)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    root = copy_seed_project(tmp_path_factory.mktemp("streamed") / "project")
    return refresh(root / "raw" / "sources.yaml")


@pytest.mark.parametrize("chunk", [1, 40, pipeline.refresh.CHUNK])
def test_rendered_a_chunk_at_a_time_the_outputs_are_the_whole_reconciliation_s(
        seed_run, monkeypatch, chunk):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", chunk)
    assert isinstance(seed_run, StoredRun) and len(seed_run.basis.chunks()) > (chunk == 1)

    with rendered(seed_run) as streamed, rendered(_whole(seed_run)) as whole:
        assert sorted(streamed) == sorted(whole)
        assert [p for p in streamed if streamed.file(p) is not None]  # large files on disk
        for path in sorted(whole):
            assert streamed[path] == whole[path], path
        assert streamed.parts.facts == whole.parts.facts
        assert streamed.parts.discrepancies == whole.parts.discrepancies


def test_the_analyst_s_view_gathered_a_chunk_at_a_time_is_the_whole_run_s(
        seed_run, monkeypatch):
    from pipeline.database import database_fingerprint
    from pipeline.history import run_record
    from pipeline.report_html import html_report

    monkeypatch.setattr(pipeline.refresh, "CHUNK", 1)
    inputs = {"registry": "r", "decisions": "d"}
    with rendered(seed_run) as files:
        record = run_record(seed_run, 1, "t0", "t1", 0, inputs, files.parts, files.view)
        out = io.StringIO()
        html_report(seed_run, record, None, out=out, parts=files.parts, view=files.view)
        fingerprint = database_fingerprint(seed_run, files, files.parts.decisions)
        as_bytes = {path: files[path] for path in files}

    assert record == run_record(seed_run, 1, "t0", "t1", 0, inputs)
    assert record.facts and record.discrepancies
    assert out.getvalue() == html_report(seed_run, record)
    assert fingerprint == database_fingerprint(seed_run, as_bytes)


def test_reconciliation_takes_release_matching_s_results_instead_of_matching_again(
        seed_run, monkeypatch):
    import copy

    import pipeline.reconcile

    matched_again: list[str] = []
    real = pipeline.reconcile.match_releases

    def match_releases(claims, *args, **kwargs):
        matched_again.extend(c.source_id for c in claims)
        return real(claims, *args, **kwargs)
    monkeypatch.setattr(pipeline.reconcile, "match_releases", match_releases)
    datasets = {c.source.id for c in seed_run.captures if c.source.dataset}
    fresh = copy.copy(seed_run)  # every chunk reconciled, none taken from the cache
    fresh.basis = replace(seed_run.basis, cache_dir=None)
    again = copy.copy(seed_run)  # the same run, matching every claim again
    again.basis = replace(fresh.basis, matched=None)

    with rendered(fresh) as taken:
        only_readings = set(matched_again)
        matched_again.clear()
        with rendered(again) as redone:
            assert sorted(taken) == sorted(redone)
            for path in sorted(redone):
                assert taken[path] == redone[path], path
    assert only_readings and only_readings <= datasets  # the official readings alone
    assert set(matched_again) - datasets  # the pages' claims too, without the results


# --- publishing rendered files -----------------------------------------------------------------

def test_rendered_files_are_moved_into_place_and_an_interrupted_run_s_are_deleted(tmp_path):
    root = tmp_path / "project"
    folder = root / STATE / f"{RENDERED}x"
    folder.mkdir(parents=True)
    (folder / "big.csv").write_bytes(b"a,b\n1,2\n")
    files = {"curated/big.csv": folder / "big.csv", "curated/small.csv": b"c\n"}

    changed = publish(files, root)

    assert sorted(p.name for p in changed) == ["big.csv", "small.csv"]
    assert (root / "curated/big.csv").read_bytes() == b"a,b\n1,2\n"
    assert not (folder / "big.csv").exists()  # moved, not copied
    (folder / "again.csv").write_bytes(b"a,b\n1,2\n")
    assert publish({"curated/big.csv": folder / "again.csv", "curated/small.csv": b"c\n"},
                   root) == []  # compared on disk: nothing changed

    recovered = recover(root)

    assert recovered.leftovers == [str(folder.relative_to(root))]
    assert not folder.exists()


def test_a_split_occupation_s_slice_holds_its_parts_and_the_figures_without_one():
    """A figure of a split SOC 2010 code becomes a part's, or no occupation's when no
    part's releases tell (pipeline/vintage.py): all those keys are reconciled together."""
    from pipeline.reconcile import slices_of

    def claim(occupation: str, metric: str = "wage"):
        return new_claim(source_id="a", occupation=occupation, metric=metric,
                         statistic="median", unit="USD/year", value=1.0, figure="$1",
                         quote="$1", locator=f"chars={occupation}-{metric}", method="test")

    claims = [claim("29-2071"), claim("29-2072"), claim("29-9021"), claim(""),
              claim("29-1141"), claim("", "employment")]
    parts = {claims[0].claim_id: ("29-2072", "29-9021")}

    assert sorted(sorted(s) for s in slices_of(claims, parts)) == [[0, 1, 2, 3], [4], [5]]
    assert sorted(sorted(s) for s in slices_of(claims, {})) == [[0], [1], [2], [3], [4], [5]]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["29-2071", "29-2072", "29-9021", "", "11-1011"]),
                          st.sampled_from(["wage", "employment"]),
                          st.sampled_from(["United States", "Ohio"]), st.booleans()),
                max_size=40),
       st.integers(1, 12))
def test_chunks_hold_whole_slices_in_key_order_as_slices_of_says(specs, size):
    from pipeline.reconcile import slices_of
    from pipeline.refresh import chunked

    claims = [new_claim(source_id="a", occupation=o, metric=m, geography=g, statistic="median",
                        unit="USD/year", value=1.0, figure="$1", quote="$1",
                        locator=f"chars={n}-0", method="test")
              for n, (o, m, g, _) in enumerate(specs)]
    parts = {c.claim_id: ("29-2072", "29-9021") for c, spec in zip(claims, specs)
             if spec[0] == "29-2071" and spec[3]}
    store = ClaimStore(claims)
    rows = list(range(len(claims)))

    found = chunked(store, rows, {n: parts[c.claim_id] for n, c in enumerate(claims)
                                  if c.claim_id in parts}, size)

    slices = [[rows[i] for i in s] for s in slices_of(claims, parts)]
    assert [r for chunk in found for r in chunk.tolist()] == [r for s in slices for r in s]
    ends = {len(sum(slices[:k], [])) for k in range(len(slices) + 1)}
    at = 0
    for chunk in found:  # every chunk ends where a slice does, and is small or one slice
        at += len(chunk)
        assert at in ends
        assert len(chunk) <= size or any(len(s) == len(chunk) for s in slices)


def test_a_batch_that_fails_to_seal_fails_every_later_use_of_the_store(monkeypatch):
    import pipeline.store
    from pipeline.store import plain_batch

    store = ClaimStore()
    store.BATCH = 2
    found = [new_claim(source_id="s", metric="wage", statistic="median", unit="USD/year",
                       figure=f"${n}", quote="q", locator=f"chars={n}-0", method="m")
             for n in range(3)]
    real = pipeline.store.ClaimStore._sealed

    def failing(self, pieces):
        raise OSError("no room left for the spill")

    monkeypatch.setattr(pipeline.store.ClaimStore, "_sealed", failing)
    store.extend_batch(plain_batch(found))  # sealed in the thread: no error yet
    with pytest.raises(OSError, match="no room"):  # the read that waits for it
        store.claims([0])
    monkeypatch.setattr(pipeline.store.ClaimStore, "_sealed", real)
    for use in (lambda: store.extend_batch(plain_batch(found)), lambda: store.claims([0]),
                lambda: store.column("quote"), store.seal):
        with pytest.raises(RuntimeError, match="lost a batch"):
            use()


def test_a_fork_waits_for_the_batch_being_sealed(monkeypatch):
    import os
    import threading

    import pipeline.store
    from pipeline.store import plain_batch

    started, release = threading.Event(), threading.Event()
    real = pipeline.store.ClaimStore._sealed

    def slow(self, pieces):
        started.set()
        release.wait(5)
        return real(self, pieces)

    monkeypatch.setattr(pipeline.store.ClaimStore, "_sealed", slow)
    store = ClaimStore()
    store.BATCH = 1
    store.extend_batch(plain_batch([new_claim(
        source_id="s", metric="wage", statistic="median", unit="USD/year", figure="$1",
        quote="q", locator="l", method="m")]))
    started.wait(5)
    threading.Timer(0.3, release.set).start()
    pid = os.fork()
    if pid == 0:  # the child: nothing to do
        os._exit(0)
    os.waitpid(pid, 0)
    assert release.is_set()  # the fork waited for the seal to end
    assert store.column("figure") == ["$1"]
