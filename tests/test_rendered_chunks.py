"""The cache of rendered chunks (pipeline/cache.py, RenderedChunks): a refresh takes each
chunk of slices whose claims and inputs are unchanged from the last run as it was
reconciled and rendered then, and its outputs are, byte for byte, what reconciling every
chunk again gives. A damaged entry is made again; a tampered one cannot run code; chunk
boundaries follow the keys, so one page's change leaves the chunks away from it alone."""
from __future__ import annotations

import copy
import hashlib
import os
import pickle
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import pipeline.outputs
import pipeline.refresh
from extractors.claims import new_claim
from pipeline.cache import KnownUnpickler, RenderedChunks, known_loads, sealed, unsealed
from pipeline.outputs import rendered
from pipeline.refresh import chunked, refresh
from pipeline.store import ClaimStore
from tests.conftest import copy_seed_project


def uncached(run):
    """The same run, every chunk reconciled again (none taken from the cache)."""
    fresh = copy.copy(run)
    fresh.basis = replace(run.basis, cache_dir=None)
    return fresh


def outputs(run) -> dict[str, bytes]:
    with rendered(run) as files:
        return {path: files[path] for path in sorted(files)}


@pytest.fixture
def chunk_renders(monkeypatch):
    """The chunks reconciled and rendered in this process, counted (the run's jobs are 1)."""
    made: list[int] = []
    real = pipeline.outputs._Rendering.add

    def add(self, rows, part):
        made.append(len(part.claims))
        return real(self, rows, part)

    monkeypatch.setattr(pipeline.outputs._Rendering, "add", add)
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 40)  # the seed pages in many chunks
    return made


def change_a_figure(root: Path, source_id: str = "seed-000") -> None:
    """Another figure in one page's first line of money, its registry entry updated."""
    registry = root / "raw" / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    path = re.search(rf"- id: {source_id}\n    path: (\S+)", text).group(1)
    page = root / "raw" / path
    data = page.read_text(encoding="utf-8").replace("$36,712.00", "$36,912.00", 1).encode()
    page.write_bytes(data)
    old = re.search(rf"- id: {source_id}\n(?:    .*\n)*?    sha256: ([0-9a-f]+)", text).group(1)
    registry.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")


def entries(cache: Path) -> set[str]:
    return {p.name for folder in cache.glob("rendered-*") for p in folder.iterdir()
            if not p.name.startswith(".")}


def test_a_changed_page_s_chunks_alone_are_reconciled_again_and_the_outputs_are_a_whole_run_s(
        tmp_path, chunk_renders):
    root, cache = copy_seed_project(tmp_path / "project"), tmp_path / "cache"
    first = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    assert outputs(first) == outputs(uncached(first))
    chunks = len(first.basis.chunks())
    assert chunks > 3 and len(entries(cache)) == chunks

    chunk_renders.clear()
    assert outputs(first) == outputs(uncached(first))  # the second rendering takes them all
    assert len(chunk_renders) == chunks  # the uncached one's

    change_a_figure(root)
    chunk_renders.clear()
    second = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    taken = outputs(second)
    made = len(chunk_renders)
    assert 0 < made < len(second.basis.chunks())  # seed-000's chunks alone
    assert taken == outputs(uncached(second))
    assert taken != outputs(uncached(first))
    assert len(entries(cache)) == len(second.basis.chunks())  # the first run's others went


def test_release_matching_takes_unchanged_chunks_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 40)
    matched: list[str] = []
    real = pipeline.refresh.match_releases

    def match_releases(claims, *args, **kwargs):
        matched.extend(c.source_id for c in claims)
        return real(claims, *args, **kwargs)

    monkeypatch.setattr(pipeline.refresh, "match_releases", match_releases)
    root, cache = copy_seed_project(tmp_path / "project"), tmp_path / "cache"
    first = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    everything = len(matched)
    assert everything and {"seed-000", "seed-001"} <= set(matched)

    change_a_figure(root)
    matched.clear()
    second = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    assert "seed-000" in matched and 0 < len(matched) < everything
    matched.clear()
    without = refresh(root / "raw" / "sources.yaml", cache_dir=cache,
                      engine=pipeline.refresh.Engine(cache=False))
    assert len(matched) == everything
    assert outputs(uncached(second)) == outputs(without)
    assert outputs(uncached(first)) != outputs(without)


def test_chunks_made_by_forked_children_are_cached_and_taken_as_one_process_s(
        tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 40)
    root, cache = copy_seed_project(tmp_path / "project"), tmp_path / "cache"
    run = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    shared = copy.copy(run)
    shared.basis = replace(run.basis, jobs=2)
    whole = outputs(uncached(run))
    assert outputs(shared) == whole  # made by this process and a child, into the cache
    assert len(entries(cache)) == len(run.basis.chunks())
    assert outputs(shared) == outputs(run) == whole  # taken from it


def test_a_damaged_or_missing_entry_is_made_again(tmp_path, chunk_renders):
    root, cache = copy_seed_project(tmp_path / "project"), tmp_path / "cache"
    run = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    whole = outputs(uncached(run))
    assert outputs(run) == whole
    folders = sorted(p for f in cache.glob("rendered-*") for p in f.iterdir())
    spill = next(p for folder in folders for p in folder.glob("facts.csvrows")
                 if p.stat().st_size)
    damaged = bytearray(spill.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    spill.write_bytes(bytes(damaged))
    entry = folders[-1] / RenderedChunks.ENTRY
    entry.write_bytes(entry.read_bytes()[:-3])  # torn
    chunk_renders.clear()
    assert outputs(run) == whole
    assert len(chunk_renders) == 2 - (spill.parent == folders[-1])


def test_a_tampered_chunk_cannot_run_code():
    class Boom:
        def __reduce__(self):
            return os.system, ("echo tampered",)

    with pytest.raises(pickle.UnpicklingError, match="no posix.system"):
        known_loads(pickle.dumps(Boom()))
    from pipeline.tables import RowSpill  # a class of ours that opens files is no data

    with pytest.raises(pickle.UnpicklingError, match="RowSpill"):
        known_loads(pickle.dumps((RowSpill, "x")))
    with pytest.raises(ValueError, match="cannot be read"):  # its checksum holds
        unsealed(sealed(Boom()), KnownUnpickler)
    assert unsealed(sealed(("a", 1)), KnownUnpickler) == ("a", 1)
    claim = new_claim(source_id="s", metric="wage", statistic="median", unit="USD/year",
                      figure="$50,250", value=50250.0, quote="q", locator="l", method="m")
    assert known_loads(pickle.dumps({"c": [claim], "n": np.arange(3, dtype=np.int32)},
                                    protocol=5))["c"] == [claim]


def test_chunks_end_where_the_keys_say_so_a_figure_more_moves_only_its_own_chunk():
    def store_of(extra: int) -> ClaimStore:
        claims = []
        for n in range(300):  # 300 slices (occupations) of 3 to 12 claims
            for k in range(3 + n * 7 % 10 + (extra if n == 20 else 0)):
                claims.append(new_claim(source_id=f"p{k}", metric="wage", statistic="median",
                                        unit="USD/year", figure=f"${n},{k:03d}", value=1000.0 * n + k,
                                        quote="q", locator=f"l{k}", method="m",
                                        occupation=f"{11 + n // 100}-{1000 + n:04d}"))
        return ClaimStore(claims)

    def chunk_ids(store: ClaimStore) -> list[tuple[str, ...]]:
        rows = np.arange(len(store))
        ids = store.column("claim_id")
        return [tuple(ids[r] for r in chunk) for chunk in chunked(store, rows, {}, 60)]

    before, after = chunk_ids(store_of(0)), chunk_ids(store_of(25))
    assert all(len(c) <= 60 for c in before)
    kept = set(before) & set(after)
    assert len(before) > 20 and len(kept) >= len(before) - 3


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.refresh, "CHUNK", 40)
    root, cache = copy_seed_project(tmp_path / "project"), tmp_path / "cache"
    run = refresh(root / "raw" / "sources.yaml", cache_dir=cache)
    real = RenderedChunks.making

    def making(self, key):
        if self.folder.name.startswith("rendered-"):
            raise PermissionError(13, "read-only", str(self.folder))
        return real(self, key)

    monkeypatch.setattr(RenderedChunks, "making", making)
    assert outputs(run) == outputs(uncached(run))
    assert not entries(cache)
