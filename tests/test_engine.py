"""The extraction engine: the claims cache, file digests, the no-op refresh, --jobs and
the Dask executor (pipeline/cache.py, extraction.py, incremental.py, dask_executor.py).

Each test that counts cache hits runs on its own cache folder; the others share the
session's (conftest.py), whose official tables are already read."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import pipeline.cache
import pipeline.extraction
from extractors.claims import new_claim
from pipeline.cache import ClaimsCache, FileDigests, sealed, unsealed
from pipeline.cli import main
from pipeline.extraction import DocumentTask, Extracted, extracted, extractions
from tests import conftest

REPO = Path(__file__).resolve().parent.parent
PAGE = b"Medical Records Specialists\n\n2024 Median Pay: $50,250 per year\n"


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


VIEWS = ("reports/index.html", "curated/careerfacts.duckdb")
"""Outputs that say which run wrote them (the report) or that DuckDB lays out its own way;
the history's records carry their times. The tests of the analyst's view cover them."""


def outputs(root: Path) -> dict[str, bytes]:
    """The deterministic outputs: the same inputs give the same bytes."""
    return {name: p.read_bytes()
            for folder in ("curated", "reports") for p in sorted((root / folder).rglob("*"))
            if p.is_file() and (name := str(p.relative_to(root))) not in VIEWS
            and not name.startswith("curated/history/")}


def task(source_id: str = "page", data: bytes = PAGE, **more) -> DocumentTask:
    return DocumentTask(source_id, f"raw/{source_id}.txt", "", hashlib.sha256(data).hexdigest(),
                        "text", held=data, **more)


@pytest.fixture
def counted(monkeypatch):
    """The source ids the extractors were run on, in order."""
    seen: list[str] = []
    real = pipeline.extraction.extract

    def extract(doc):
        seen.append(doc.source_id)
        return real(doc)
    monkeypatch.setattr(pipeline.extraction, "extract", extract)
    return seen


@pytest.fixture
def no_claims_cache(monkeypatch):
    """Every document extracted again (the session's cache holds the seed pages, read
    and extracted)."""
    monkeypatch.setattr(pipeline.cache.ClaimsCache, "get", lambda self, key: None)
    monkeypatch.setattr(pipeline.cache.ClaimsCache, "holds", lambda self, key: False)


# --- the claims cache ------------------------------------------------------------------------

def test_a_cached_document_is_not_extracted_again_and_gives_the_same_result(tmp_path, counted):
    cache = ClaimsCache(tmp_path)
    first = extractions([task("a"), task("b", PAGE + b"Median hourly wage: $24.16\n")],
                        cache=cache)
    again = extractions([task("a"), task("b", PAGE + b"Median hourly wage: $24.16\n")],
                        cache=ClaimsCache(tmp_path))

    assert counted == ["a", "b"]
    assert [r.cached for r in first] == [False, False]
    assert [r.cached for r in again] == [True, True]
    assert [r.claims for r in again] == [r.claims for r in first]
    assert [r.encoding for r in again] == ["utf-8", "utf-8"]


def test_what_the_extraction_depends_on_is_in_the_key(tmp_path, counted):
    extractions([task("a")], cache=ClaimsCache(tmp_path))

    extractions([task("a", occupation="29-2072")], cache=ClaimsCache(tmp_path))
    extractions([task("a", page_date="2022-05-14")], cache=ClaimsCache(tmp_path))
    extractions([task("renamed")], cache=ClaimsCache(tmp_path))
    extractions([task("a", PAGE + b"\n")], cache=ClaimsCache(tmp_path))
    extractions([task("a")], cache=ClaimsCache(tmp_path))

    assert counted == ["a", "a", "a", "renamed", "a"]


def test_other_code_reads_none_of_the_entries_and_removes_them(tmp_path, counted):
    extractions([task("a")], cache=ClaimsCache(tmp_path, fingerprint="0" * 16))
    assert (tmp_path / f"claims-{'0' * 16}").is_dir()

    extractions([task("a")], cache=ClaimsCache(tmp_path, fingerprint="1" * 16))

    assert counted == ["a", "a"]
    assert [p.name for p in tmp_path.iterdir()] == [f"claims-{'1' * 16}"]


def test_the_code_fingerprint_follows_the_extractors_text(tmp_path):
    code = tmp_path / "code"
    shutil.copytree(REPO / "extractors", code / "extractors")
    before = pipeline.cache.code_fingerprint(("extractors",), base=code)
    with open(code / "extractors" / "text.py", "a", encoding="utf-8") as out:
        out.write("\n# a change to a rule\n")

    assert pipeline.cache.code_fingerprint(("extractors",), base=code) != before


@pytest.mark.parametrize("damage", [
    lambda data: data[:len(data) // 2],                        # torn by a crash
    lambda data: data[:-5] + bytes(5),                         # bytes changed
    lambda data: b"not a cache entry at all",                  # something else
    lambda data: b"",                                          # empty
    lambda data: sealed(("only", "three", "values")),          # another shape, well sealed
], ids=["torn", "altered", "foreign", "empty", "other-shape"])
def test_a_corrupt_entry_is_extracted_again_not_trusted(tmp_path, counted, damage):
    first = extractions([task("a")], cache=ClaimsCache(tmp_path))
    [entry] = list(tmp_path.rglob("*.cfx"))
    entry.write_bytes(damage(entry.read_bytes()))

    cache = ClaimsCache(tmp_path)
    again = extractions([task("a")], cache=cache)

    assert counted == ["a", "a"]
    assert cache.rejected == 1
    assert again[0].claims == first[0].claims and not again[0].cached
    assert extractions([task("a")], cache=ClaimsCache(tmp_path))[0].cached  # rewritten


def test_an_entry_holding_a_class_is_refused_even_with_a_good_checksum():
    payload = pickle.dumps(new_claim(source_id="x", metric="wage", statistic="median",
                                     unit="USD/year", value=1.0, figure="$1", quote="$1",
                                     locator="chars=0-2", method="test"))
    forged = pipeline.cache.MAGIC + hashlib.sha256(payload).digest() + payload

    with pytest.raises(ValueError, match="no extractors.claims.Claim"):
        unsealed(forged)


def test_a_document_past_its_time_limit_is_not_cached(tmp_path, monkeypatch):
    def slow(doc):
        end = time.monotonic() + 5
        while time.monotonic() < end:
            sum(range(1000))
        return []
    monkeypatch.setattr(pipeline.extraction, "extract", slow)
    cache = ClaimsCache(tmp_path)

    [result] = extractions([task("a")], cache=cache, time_limit=0.2)

    assert [p.code for p in result.problems] == ["document-time-limit"]
    assert list(tmp_path.rglob("*.cfx")) == []


def test_a_document_without_figures_is_cached_with_its_problem(tmp_path, counted):
    extractions([task("a", b"Welcome to our site.\n")], cache=ClaimsCache(tmp_path))

    [again] = extractions([task("a", b"Welcome to our site.\n")], cache=ClaimsCache(tmp_path))

    assert counted == ["a"]
    assert again.cached and [p.code for p in again.problems] == ["document-no-figures"]
    assert "raw/a.txt" in again.problems[0].message


def test_a_file_changed_after_the_registry_was_read_is_a_problem_not_extracted(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE)
    changed = DocumentTask("a", "raw/page.txt", str(page), hashlib.sha256(b"other").hexdigest(),
                           "text")

    result = extracted(changed)

    assert [p.code for p in result.unreadable] == ["registry-sha256-mismatch"]
    assert not result.cacheable


# --- file digests ----------------------------------------------------------------------------

def test_an_unchanged_file_is_not_read_again(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE)
    later = lambda: time.time() + 60  # noqa: E731 — the file is long settled by then
    first = FileDigests(tmp_path / "cache", tmp_path, now=later)
    digest, data = first.digest(page, sniff=lambda d: "text")
    first.save()

    again, read = FileDigests(tmp_path / "cache", tmp_path, now=later).digest(
        page, sniff=lambda d: "text")

    assert data == PAGE and read is None
    assert again == digest and again.sha256 == hashlib.sha256(PAGE).hexdigest()


def test_a_file_rewritten_with_the_same_size_and_mtime_is_read_again(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE)
    later = lambda: time.time() + 60  # noqa: E731
    digests = FileDigests(tmp_path / "cache", tmp_path, now=later)
    digests.digest(page, sniff=lambda d: "text")
    digests.save()
    stat = page.stat()
    time.sleep(0.01)
    page.write_bytes(PAGE.replace(b"50,250", b"51,250"))  # same size
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # mtime set back, as cp -p does

    digest, read = FileDigests(tmp_path / "cache", tmp_path, now=later).digest(
        page, sniff=lambda d: "text")

    assert read is not None
    assert digest.sha256 == hashlib.sha256(read).hexdigest() != hashlib.sha256(PAGE).hexdigest()


def test_a_file_read_in_the_tick_it_was_written_is_not_trusted_later(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE)
    digests = FileDigests(tmp_path / "cache", tmp_path)  # now: the file was just written
    digests.digest(page, sniff=lambda d: "text")
    digests.save()

    _, read = FileDigests(tmp_path / "cache", tmp_path).digest(page, sniff=lambda d: "text")

    assert read == PAGE


def test_a_digest_table_that_does_not_read_is_ignored(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE)
    digests = FileDigests(tmp_path / "cache", tmp_path)
    digests.path.parent.mkdir(parents=True)
    digests.path.write_text("{not json")

    digest, read = FileDigests(tmp_path / "cache", tmp_path).digest(page, sniff=lambda d: "text")

    assert read == PAGE and digest.sha256 == hashlib.sha256(PAGE).hexdigest()


# --- the refresh: cached, incremental, parallel ----------------------------------------------

@pytest.fixture
def own_cache(monkeypatch, careerfacts_shared_cache, tmp_path):
    """A claims cache of the test's own, beside the session's official tables."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for official in careerfacts_shared_cache.glob("official-*"):
        os.symlink(official, cache / official.name)
    monkeypatch.setenv("CAREERFACTS_CACHE", str(cache))
    return cache


def test_a_second_refresh_extracts_nothing_and_a_changed_page_only_itself(
        careerfacts_project, careerfacts_register_page, own_cache, counted):
    root = careerfacts_project
    first = run_cli("--project", root, "refresh", "--jobs", "1")
    pages = sorted(counted)
    counted.clear()
    careerfacts_register_page(root, "new-page", "new_page.txt", PAGE, occupation="29-2072")

    second = run_cli("--project", root, "refresh", "--jobs", "1")

    assert first.exit_code == second.exit_code == 0, second.output
    assert pages == sorted(conftest.SEED_IDS)
    assert counted == ["new-page"]


@pytest.fixture
def read_again(monkeypatch):
    """The calls of the per-claim work of reading a document (occupations resolved, the
    claims contract checked), by function name."""
    import pipeline.refresh

    calls = {"resolved_occupations": 0, "validated_claims": 0}
    for name in calls:
        real = getattr(pipeline.refresh, name)

        def wrapper(*args, __real=real, __name=name, **kwargs):
            calls[__name] += 1
            return __real(*args, **kwargs)
        monkeypatch.setattr(pipeline.refresh, name, wrapper)
    return calls


def _full_refresh(root: Path):
    """A refresh that runs every stage: an output deleted, so that it is not a no-op."""
    (root / "curated" / "facts.csv").unlink(missing_ok=True)
    result = run_cli("--project", root, "refresh", "--jobs", "1", "--json")
    summary = json.loads(result.stdout)
    del summary["run"], summary["outputs"]
    return result.exit_code, summary, outputs(root)


def test_a_document_read_before_is_taken_whole_from_the_cache_of_documents_read(
        careerfacts_project, careerfacts_register_page, own_cache, counted, read_again,
        monkeypatch):
    root = careerfacts_project
    # a page the registry names no occupation for, and a claim the contract refuses
    careerfacts_register_page(root, "unnamed", "unnamed.txt", PAGE)
    real = pipeline.extraction.extract

    def extract(doc):
        claims = real(doc)
        if doc.source_id == "unnamed":  # its figure twice under one id: both refused
            claims = claims + claims[:1]
        return claims
    monkeypatch.setattr(pipeline.extraction, "extract", extract)
    first = _full_refresh(root)
    assert read_again["resolved_occupations"] > len(conftest.SEED_IDS)
    read_again.update(resolved_occupations=0, validated_claims=0)
    counted.clear()

    again = _full_refresh(root)

    assert again == first
    assert first[0] == 1 and "claim-invalid" in {p["code"] for p in first[1]["problems"]}
    assert {p["path"] for p in first[1]["problems"] if p["code"] == "claim-invalid"} == {
        "raw/unnamed.txt"}  # the source's file, as every problem of a source names it
    assert (root / "curated" / "quarantine.csv").read_text().count("unnamed") == 2
    # nothing extracted, no claim's occupation resolved, only the official readings checked
    assert counted == []
    assert read_again == {"resolved_occupations": 0, "validated_claims": 1}


def test_a_damaged_entry_of_a_document_read_is_read_again_not_trusted(
        careerfacts_project, own_cache, read_again):
    root = careerfacts_project
    first = _full_refresh(root)
    entries = sorted(own_cache.glob("read-*/*/*.cfx"))
    assert len(entries) == len(conftest.SEED_IDS)
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-7] + b"altered")
    read_again.update(resolved_occupations=0)

    again = _full_refresh(root)

    assert again == first
    assert read_again["resolved_occupations"] == len(conftest.SEED_IDS)


def test_a_refresh_says_how_many_damaged_cache_entries_it_set_aside(
        careerfacts_project, own_cache):
    root = careerfacts_project
    assert run_cli("--project", root, "refresh", "--jobs", "1").exit_code == 0
    entries = sorted(own_cache.glob("read-*/*/*.cfx"))

    def refresh_with_damaged(entries, *options):
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:-7] + b"altered")
        return run_cli("--project", root, "refresh", "--jobs", "1", "--rehash", *options)

    said = refresh_with_damaged(entries[:2])
    as_json = refresh_with_damaged(entries[2:3], "--json")
    quiet = refresh_with_damaged(entries[3:4], "--quiet")
    sound = run_cli("--project", root, "refresh", "--jobs", "1", "--rehash")

    assert said.exit_code == 0, said.output
    assert (f"careerfacts: 2 damaged entries of the cache in {own_cache} set aside and "
            "deleted; their documents were read again") in said.stderr
    assert "careerfacts: 1 damaged entry of the cache" in as_json.stderr
    assert json.loads(as_json.stdout)["exit_code"] == 0  # the summary as it always is
    assert quiet.exit_code == 0 and "set aside" not in quiet.stderr
    for entry in entries[:4]:  # deleted, and written again whole once the document was read
        unsealed(entry.read_bytes())
    assert "set aside" not in sound.stderr


def test_a_changed_registry_entry_reads_its_document_again(
        careerfacts_project, careerfacts_register_page, own_cache, counted):
    import yaml

    root = careerfacts_project
    careerfacts_register_page(root, "unnamed", "unnamed.txt", PAGE)
    _full_refresh(root)
    registry = root / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    next(s for s in document["sources"] if s["id"] == "unnamed")["occupation"] = "29-2072"
    registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    counted.clear()

    _full_refresh(root)

    claims = pd.read_csv(root / "curated" / "claims.csv", dtype=str, keep_default_na=False)
    assert set(claims.loc[claims["source_id"] == "unnamed", "occupation"]) == {"29-2072"}
    assert counted == ["unnamed"]  # the registry's occupation is part of the extraction's key


def test_a_refresh_with_nothing_changed_runs_no_stage_and_says_the_same(careerfacts_project):
    root = careerfacts_project
    first = run_cli("--project", root, "refresh", "--json")
    files = outputs(root)
    stats = {name: (root / name).stat().st_mtime_ns for name in files}

    code = ("import sys; from click.testing import CliRunner; from pipeline.cli import main; "
            f"r = CliRunner().invoke(main, ['--project', {str(root)!r}, 'refresh', '--json']); "
            "print(r.exit_code, 'pandas' in sys.modules, 'pipeline.reconcile' in sys.modules); "
            "print(r.stdout)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=120)

    status, summary = done.stdout.split("\n", 1)
    assert status.split() == ["0", "False", "False"], done.stderr
    before, after = json.loads(first.stdout), json.loads(summary)
    assert before["outputs"]["changed"] and after["outputs"]["changed"] == []
    # the run is recorded all the same, repeating the first
    assert (before["run"]["number"], after["run"]["number"]) == (1, 2)
    assert after["run"]["headline"].startswith("no change since run 1")
    for data in (before, after):
        del data["outputs"]["changed"], data["run"]
    assert after == before
    assert outputs(root) == files
    assert {name: (root / name).stat().st_mtime_ns for name in files} == stats


@pytest.mark.parametrize("change", ["output-edited", "output-deleted", "decisions", "rehash"])
def test_a_changed_input_or_output_runs_the_refresh_again(careerfacts_project, change):
    root = careerfacts_project
    assert run_cli("--project", root, "refresh").exit_code == 0
    files = outputs(root)
    extra = []
    if change == "output-edited":
        with open(root / "curated" / "facts.csv", "ab") as out:
            out.write(b"a row a person added\n")
    elif change == "output-deleted":
        (root / "reports" / "problems.csv").unlink()
    elif change == "decisions":
        (root / "decisions.yaml").write_text("decisions: []\n", encoding="utf-8")
    else:
        extra = ["--rehash"]

    result = run_cli("--project", root, "refresh", *extra)

    assert result.exit_code == 0, result.output
    assert "nothing changed since the last refresh" not in result.output
    assert outputs(root) == files  # the same inputs: the same outputs, restored


def test_jobs_give_the_same_bytes_as_one_process(
        careerfacts_project, careerfacts_register_page, tmp_path, no_claims_cache):
    renditions = REPO / "tests" / "renditions" / "001"
    careerfacts_register_page(careerfacts_project, "html-page", "html_page.html",
                              (renditions / "quickfacts.html").read_bytes(), occupation="29-2072")
    careerfacts_register_page(careerfacts_project, "pdf-page", "pdf_page.pdf",
                              (renditions / "profile.pdf").read_bytes(), occupation="29-2072")
    other = tmp_path / "other"
    shutil.copytree(careerfacts_project / "raw", other / "raw")

    serial = run_cli("--project", careerfacts_project, "refresh", "--jobs", "1")
    parallel = run_cli("--project", other, "refresh", "--jobs", "2")

    assert serial.exit_code == parallel.exit_code, parallel.output
    assert outputs(careerfacts_project) == outputs(other)


def misbehaving_page(project: Path, register, monkeypatch, source_id: str, misbehave) -> None:
    """Register one more page, whose extraction calls `misbehave()` in the worker."""
    register(project, source_id, f"{source_id}.txt", b"2024 Median Pay: $61,700 per year\n",
             occupation="29-2072")
    real = pipeline.extraction.extract

    def extract(doc):
        if doc.source_id == source_id:
            misbehave()
        return real(doc)
    monkeypatch.setattr(pipeline.extraction, "extract", extract)


def only_problem(result, project: Path) -> dict:
    """The one problem of a refresh that read every seed page (exit 1, --json)."""
    assert result.exit_code == 1, result.output
    [found] = json.loads(result.stdout)["problems"]
    claims = (project / "curated" / "claims.csv").read_text()
    assert all(source in claims for source in conftest.SEED_IDS)
    return found


def test_a_worker_that_dies_costs_only_its_document(
        careerfacts_project, careerfacts_register_page, monkeypatch, no_claims_cache):
    # as a crash in a parser's C code would end the worker
    misbehaving_page(careerfacts_project, careerfacts_register_page, monkeypatch, "killer",
                     lambda: os._exit(9))

    result = run_cli("--project", careerfacts_project, "refresh", "--jobs", "2", "--json")

    found = only_problem(result, careerfacts_project)
    assert (found["code"], found["source_id"]) == ("extractor-failed", "killer")
    assert "worker process" in found["message"]


def test_a_pool_found_broken_as_a_document_is_handed_out_goes_on_in_a_new_one(
        careerfacts_project, monkeypatch, no_claims_cache, tmp_path):
    # a worker that dies between one result and the next hand-out breaks the pool
    # there, in `submit`, not in a result
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    other = tmp_path / "other"
    shutil.copytree(careerfacts_project / "raw", other / "raw")
    real, calls = ProcessPoolExecutor.submit, []

    def submit(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise BrokenProcessPool("a child process terminated abruptly")
        return real(self, *args, **kwargs)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)

    parallel = run_cli("--project", careerfacts_project, "refresh", "--jobs", "2", "--json")
    serial = run_cli("--project", other, "refresh", "--jobs", "1")

    assert len(calls) > 3
    assert parallel.exit_code == serial.exit_code, parallel.output
    assert "extractor-failed" not in parallel.stdout
    assert outputs(careerfacts_project) == outputs(other)


def test_a_pool_that_stops_answering_is_ended_and_costs_only_the_hanging_document(
        careerfacts_project, careerfacts_register_page, monkeypatch, no_claims_cache):
    # a worker that never hands back (its time limit cannot reach it: here it blocks the
    # alarm) must not hang the refresh: past the limit and ANSWER_GRACE the pool is ended
    def sleep_past_the_alarm():
        import signal
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    misbehaving_page(careerfacts_project, careerfacts_register_page, monkeypatch, "sleeper",
                     sleep_past_the_alarm)
    monkeypatch.setattr(pipeline.extraction, "ANSWER_GRACE", 1.0)

    started = time.monotonic()
    result = run_cli("--project", careerfacts_project, "refresh", "--jobs", "2",
                     "--time-limit", "1", "--json")

    assert time.monotonic() - started < 60
    found = only_problem(result, careerfacts_project)
    assert (found["code"], found["source_id"]) == ("document-time-limit", "sleeper")


def test_pools_that_keep_breaking_still_end_the_refresh(
        careerfacts_project, monkeypatch, no_claims_cache):
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    def submit(self, *args, **kwargs):
        raise BrokenProcessPool("a child process terminated abruptly")
    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)

    result = run_cli("--project", careerfacts_project, "refresh", "--jobs", "2", "--json")

    assert "Traceback" not in result.output
    summary = json.loads(result.stdout)
    failed = {p["source_id"] for p in summary["problems"] if p["code"] == "extractor-failed"}
    assert failed >= set(conftest.SEED_IDS)
    assert all("worker pools in a row broke" in p["message"] for p in summary["problems"]
               if p["code"] == "extractor-failed")


# --- the Dask executor -----------------------------------------------------------------------

HANGING_REFRESH = """
import multiprocessing, os, sys, time
import pipeline.extraction as extraction

def hang(doc):  # in a worker: say which process it is, then never end
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(600)

extraction.extract = hang  # run again where a worker imports this file (forkserver, spawn)
if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[2])
    tasks = [extraction.DocumentTask(f"p{i}", f"raw/p{i}.txt", "", "", "text",
                                     held=b"Pay: $5") for i in range(4)]
    extraction.extractions(tasks, jobs=2, time_limit=None)
"""


def _started(pid: int) -> str | None:
    """When process `pid` started (Linux's /proc), or None when it is gone or a zombie:
    a pid the system has given to another process since does not pass for it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None if fields[0] == "Z" else fields[19]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_the_workers_of_a_refresh_killed_outright_end_with_it(tmp_path, start_method):
    # kill -9 (or the memory killer) runs no handler in the refresh: its pool's workers
    # must notice on their own, not wait for work for ever
    started = tmp_path / "started"
    started.mkdir()
    script = tmp_path / "hanging_refresh.py"
    script.write_text(HANGING_REFRESH)
    # a refresh killed outright leaves its multiprocessing folder (pymp-…): in a folder
    # removed below, with a short path (the forkserver's socket path must fit 108 bytes)
    scratch = tempfile.mkdtemp(prefix="cf-")
    refresh = subprocess.Popen([sys.executable, str(script), str(started), start_method],
                               cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO),
                                              "TMPDIR": scratch})
    workers: dict[int, str | None] = {}
    try:
        deadline = time.monotonic() + 90
        while len(workers) < 2 and time.monotonic() < deadline and refresh.poll() is None:
            time.sleep(0.05)
            workers = {int(p.name): _started(int(p.name)) for p in started.iterdir()}
        assert len(workers) == 2 and all(workers.values()), "the pool's workers never started"
        refresh.kill()
        refresh.wait()

        def alive() -> list[int]:
            return [pid for pid, when in workers.items() if _started(pid) == when]
        deadline = time.monotonic() + 15
        while alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive()
    finally:
        refresh.kill()
        for pid in [pid for pid, when in workers.items() if when and _started(pid) == when]:
            os.kill(pid, 9)
        shutil.rmtree(scratch, ignore_errors=True)


def test_dask_gives_the_same_bytes_as_the_local_executor(
        careerfacts_project, tmp_path, no_claims_cache):
    from distributed import LocalCluster

    other = tmp_path / "other"
    shutil.copytree(careerfacts_project / "raw", other / "raw")
    local = run_cli("--project", careerfacts_project, "refresh", "--jobs", "1")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        on_dask = run_cli("--project", other, "refresh", "--executor", "dask",
                          "--scheduler", cluster.scheduler_address)

    assert local.exit_code == on_dask.exit_code == 0, on_dask.output
    assert outputs(careerfacts_project) == outputs(other)


def test_dask_alone_starts_a_local_cluster_of_jobs_workers(
        careerfacts_project, careerfacts_register_page, no_claims_cache):
    careerfacts_register_page(careerfacts_project, "extra-page", "extra_page.txt",
                              b"2024 Median Pay: $62,100 per year\n", occupation="29-2072")

    result = run_cli("--project", careerfacts_project, "refresh", "--executor", "dask",
                     "--jobs", "1", "--json")

    assert result.exit_code == 0, result.output
    claims = (careerfacts_project / "curated" / "claims.csv").read_text()
    assert "extra-page" in claims and all(s in claims for s in conftest.SEED_IDS)


def test_an_unreachable_scheduler_is_a_configuration_error_in_one_line(
        careerfacts_project, monkeypatch, no_claims_cache):
    # (the cluster is asked for only when some document has to be extracted)
    import socket

    import pipeline.dask_executor
    monkeypatch.setattr(pipeline.dask_executor, "CONNECT_TIMEOUT", 2)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = run_cli("--project", careerfacts_project, "refresh", "--executor", "dask",
                     "--scheduler", f"tcp://127.0.0.1:{port}")

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in line
    assert not (careerfacts_project / "curated").exists()


def test_a_scheduler_address_that_is_no_address_fails_at_once_in_one_line(
        careerfacts_project, no_claims_cache):
    started = time.monotonic()
    result = run_cli("--project", careerfacts_project, "refresh", "--executor", "dask",
                     "--scheduler", "notanaddress")

    assert time.monotonic() - started < 10  # no client made, none lingering
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert "cannot reach the Dask scheduler at notanaddress: it is no scheduler address" in line
    assert "Traceback" not in result.output


def test_a_server_that_is_no_scheduler_is_a_configuration_error_not_a_hang(
        careerfacts_project, monkeypatch, no_claims_cache):
    # a port where something listens but never answers as a scheduler (a web server)
    import socket
    import threading

    import pipeline.dask_executor
    monkeypatch.setattr(pipeline.dask_executor, "CONNECT_TIMEOUT", 1)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    taken: list = []
    threading.Thread(target=lambda: taken.append(server.accept()), daemon=True).start()
    port = server.getsockname()[1]
    try:
        started = time.monotonic()
        result = run_cli("--project", careerfacts_project, "refresh", "--executor", "dask",
                         "--scheduler", f"tcp://127.0.0.1:{port}")
        waited = time.monotonic() - started
    finally:
        for connection, _ in taken:
            connection.close()
        server.close()

    assert waited < 30
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in line
    assert "Traceback" not in result.output


class _Gone:
    """A Dask client whose cluster has lost every worker: its tasks never finish."""

    def __init__(self):
        self.cancelled = 0

    def nthreads(self):
        return {}

    def submit(self, *args, **kwargs):
        return object()

    def cancel(self, futures):
        self.cancelled += len(futures)


def test_a_cluster_that_loses_every_worker_is_given_up(monkeypatch):
    import distributed

    import pipeline.dask_executor as executor

    class Waited:
        done: set = set()

    def wait(futures, timeout=None, return_when=None):
        time.sleep(min(timeout or 0.01, 0.01))
        return Waited()
    monkeypatch.setattr(distributed, "wait", wait)
    monkeypatch.setattr(executor, "WORKERLESS", 0.2)
    monkeypatch.setattr(executor, "WORKER_CHECK", 0.05)
    tasks = [task(f"page-{n}") for n in range(3)]
    results: list = []

    with pytest.raises(executor.ExecutorError, match="has had no worker for 0.2 s"):
        executor._run(_Gone(), tasks, [0, 1, 2], lambda i, r: results.append(i), slots=2,
                      time_limit=None, progress=None, total=3, scheduler="tcp://10.0.0.5:8786")
    assert results == []  # nothing reported as read


# --- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--jobs", "0"], "0 is not in the range x>=1"),
    (["--jobs", "many"], "'many' is not a valid integer"),
    (["--executor", "spark"], "'spark' is not one of 'local', 'dask'"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "give it with --executor dask"),
], ids=["jobs-0", "jobs-word", "executor-unknown", "scheduler-alone"])
def test_bad_engine_options_are_usage_errors(careerfacts_project, args, message):
    result = run_cli("--project", careerfacts_project, "refresh", *args)

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_refresh_help_explains_the_engine_options_with_an_example():
    result = run_cli("refresh", "--help")

    assert result.exit_code == 0
    for option in ("--jobs", "--executor", "--scheduler", "--rehash"):
        assert option in result.output
    assert "--executor dask --scheduler tcp://" in result.output


def test_help_imports_neither_dask_nor_pandas():
    code = ("import sys; from click.testing import CliRunner; from pipeline.cli import main; "
            "assert CliRunner().invoke(main, ['--help']).exit_code == 0; "
            "assert CliRunner().invoke(main, ['refresh', '--help']).exit_code == 0; "
            "print(*(m in sys.modules for m in ('dask', 'distributed', 'pandas')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)

    assert done.stdout.split() == ["False", "False", "False"], done.stderr


# --- the scale benchmark's pages -------------------------------------------------------------

def test_the_scale_series_registers_distinct_pages_with_the_same_figures_in_order(tmp_path):
    from benchmarks.bench_scale import MONEY, make_project, varied
    from pipeline.registry import load_registry

    page = ("<html><head><title>Electricians: Pay</title></head><body><p>Median pay "
            "$61,590 per year ($29.61 per hour); top 10%: $104,180.</p></body></html>")
    project = make_project(tmp_path / "project", [page, page.replace("61,590", "60,040")], 5)

    captures, problems = load_registry(project / "raw" / "sources.yaml")

    assert problems == []
    pages = [c for c in captures if not c.source.dataset]
    assert len(pages) == 5 and len({c.source.sha256 for c in pages}) == 5
    assert [m.group(0) for m in MONEY.finditer(varied(page, 3))] == [
        "$61,775", "$29.70", "$104,493"]


@pytest.mark.filterwarnings(conftest.SWALLOWED_ALARM)
def test_a_run_that_met_a_time_limit_is_not_repeated_but_run_again(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    careerfacts_register_page(careerfacts_project, "slow-page", "slow_page.txt",
                              b"2024 Median Pay: $61,900 per year\n", occupation="29-2072")
    real = pipeline.extraction.extract

    def extract(doc):
        if doc.source_id == "slow-page":
            end = time.monotonic() + 30
            while time.monotonic() < end:
                sum(range(1000))
        return real(doc)
    monkeypatch.setattr(pipeline.extraction, "extract", extract)
    args = ("--project", careerfacts_project, "refresh", "--jobs", "1", "--time-limit", "0.3")

    first, second = run_cli(*args), run_cli(*args)

    assert first.exit_code == second.exit_code == 1
    for result in (first, second):
        assert "document-time-limit" in result.output
    assert "nothing changed since the last refresh" not in second.output
