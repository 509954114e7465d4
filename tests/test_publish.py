"""One writer at a time, and a run's outputs published together: kill -9 at every point of
writing leaves one run's whole set (after the next command's recovery), and two
refreshes at once end with the outputs of the registry as it is."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline import publish as publishing
from pipeline.publish import Busy, exclusive, publish, recover
from tests.conftest import REPO, copy_seed_project

NEW_PAGE = b"Medical Records Specialists\n\n2024 Median Pay: $61,000 per year\n"


VIEWS = ("reports/index.html", "curated/careerfacts.duckdb")
"""Outputs no two refreshes write byte for byte alike (the run they show, DuckDB's file
layout); `views_agree` checks that they were published with the rest."""


def everything(root: Path) -> dict[str, bytes]:
    """Every file under curated/ and reports/, hidden ones included."""
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("curated", "reports") if (root / folder).is_dir()
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def outputs(root: Path) -> dict[str, bytes]:
    """Every file under curated/ and reports/, hidden ones included, but the views and the
    history: what identical inputs give byte for byte."""
    return deterministic(everything(root))


def deterministic(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items()
            if name not in VIEWS and not name.startswith("curated/history/")}


def views_agree(root: Path) -> None:
    """The report shows the latest run that published outputs (a later one that found
    nothing changed only repeats it), and the database holds the published tables' rows:
    they were published together."""
    import csv
    import io

    import duckdb

    records = sorted((root / "curated" / "history").glob("run-*.json"))
    assert records
    last = json.loads(records[-1].read_text(encoding="utf-8"))
    latest = last.get("repeats") or last["run"]
    assert f"Run {latest}, started".encode() in (root / "reports" / "index.html").read_bytes()
    with duckdb.connect(str(root / "curated" / "careerfacts.duckdb"), read_only=True) as con:
        ids = sorted(r[0] for r in con.execute("SELECT source_id FROM sources").fetchall())
    text = (root / "curated" / "sources.csv").read_text(encoding="utf-8")
    assert ids == sorted(row["source_id"] for row in csv.DictReader(io.StringIO(text)))


def register(root: Path, source_id: str, name: str, data: bytes) -> None:
    import hashlib

    import yaml
    (root / "raw" / name).write_bytes(data)
    registry = root / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    document["sources"].append({"id": source_id, "path": name,
                                "sha256": hashlib.sha256(data).hexdigest(),
                                "retrieved": "2026-03-02", "title": f"Page {source_id}",
                                "authority": "secondary", "occupation": "29-2072"})
    registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def careerfacts(root: Path, *args: str, wrapper: str = "", **popen) -> subprocess.Popen:
    """`careerfacts --project ROOT ARGS` in a process of its own; `wrapper` is Python run
    first in that process (a test's instrumentation: a kill or a pause at a chosen call)."""
    code = wrapper + "\nfrom pipeline.cli import main\nmain()\n"
    return subprocess.Popen([sys.executable, "-c", code, "--project", str(root), *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def finished(process: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@pytest.fixture(scope="module")
def generations(tmp_path_factory):
    """(the seed project's outputs, the outputs once NEW_PAGE is registered): the two
    whole sets a refresh killed while publishing may leave."""
    base = tmp_path_factory.mktemp("generations")
    old = copy_seed_project(base / "old")
    assert finished(careerfacts(old, "refresh"))[0] == 0
    new = copy_seed_project(base / "new")
    register(new, "new-page", "new_page.txt", NEW_PAGE)
    assert finished(careerfacts(new, "refresh"))[0] == 0
    return everything(old), everything(new)


@pytest.fixture
def old_project(tmp_path, generations):
    """A project holding the old outputs, whose registry now has NEW_PAGE."""
    root = copy_seed_project(tmp_path / "project")
    old, _ = generations
    for relative, data in old.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    register(root, "new-page", "new_page.txt", NEW_PAGE)
    return root


def state_of(root: Path, generations) -> str:
    """"old" or "new" when the outputs are one run's complete set, "mixed" when every
    file is whole but they come from both runs; fails on anything else (a file missing,
    a stray one, a file that is neither run's)."""
    old, new = (deterministic(files) for files in generations)
    now = outputs(root)
    assert sorted(now) == sorted(old), sorted(set(now) ^ set(old))
    assert all(now[name] in (old[name], new[name]) for name in now)
    return "old" if now == old else "new" if now == new else "mixed"


def assert_one_whole_set(root: Path, generations) -> str:
    state = state_of(root, generations)
    assert state in ("old", "new"), "the outputs mix two runs"
    return state


# --- kill -9 at every point of publishing ------------------------------------------------

class Killing:
    """A module whose chosen functions kill the process (SIGKILL) at the n-th call among
    them: the instrumented stand-in for `os` and `shutil` inside pipeline.publish."""

    def __init__(self, real, names: tuple[str, ...], state: dict):
        self._real, self._names, self._state = real, names, state

    def __getattr__(self, name):
        attribute = getattr(self._real, name)
        if name not in self._names:
            return attribute

        def counted(*args, **kwargs):
            self._state["calls"] += 1
            if self._state["calls"] == self._state["kill_at"]:
                os.kill(os.getpid(), signal.SIGKILL)
            return attribute(*args, **kwargs)
        return counted


WRITING_CALLS = {"os": ("fsync", "replace", "unlink"), "shutil": ("rmtree",)}
"""The calls of a publish at which a kill is tried: every flush, rename and deletion."""


def publish_in_child(root: Path, files: dict[str, bytes], kill_at: int) -> int:
    """Publish `files` in a forked child killed at its `kill_at`-th writing call (0: never);
    returns how many such calls it made, or -SIGKILL when it was killed."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: publish with instrumented os and shutil, report the count
        os.close(reader)
        state = {"calls": 0, "kill_at": kill_at}
        publishing.os = Killing(os, WRITING_CALLS["os"], state)
        publishing.shutil = Killing(shutil, WRITING_CALLS["shutil"], state)
        try:
            with exclusive(root):
                publish(files, root)
            os.write(writer, str(state["calls"]).encode())
        finally:
            os._exit(0)
    os.close(writer)
    _, status = os.waitpid(pid, 0)
    count = os.read(reader, 64).decode()
    os.close(reader)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return -signal.SIGKILL
    return int(count)


@pytest.fixture(scope="module")
def new_files(generations):
    _, new = generations
    return new


def test_a_kill_at_any_point_of_publishing_leaves_one_whole_set(old_project, generations,
                                                                tmp_path):
    _, new = generations
    pristine = tmp_path / "pristine"
    shutil.copytree(old_project, pristine)
    total = publish_in_child(pristine, new, kill_at=0)
    assert total > 20, total  # every staged file flushed, the commit, every rename, the clean-up
    assert assert_one_whole_set(pristine, generations) == "new"
    full_old, full_new = generations
    seen = []
    for kill_at in range(1, total + 1):
        root = tmp_path / f"killed-{kill_at}"
        shutil.copytree(old_project, root)

        assert publish_in_child(root, new, kill_at) == -signal.SIGKILL

        journal = root / publishing.JOURNAL
        committed = (journal / publishing.COMMIT).exists()
        hidden = [p for p in (root / "curated").iterdir() if p.name.startswith(".")]
        assert hidden == []  # staging lives in .careerfacts/, never beside the outputs
        state = state_of(root, generations)
        if state == "mixed":
            # only between the commit point and its last rename, and the journal holds
            # exactly the files still to be renamed
            assert committed, f"kill at call {kill_at}: a mixed set without a commit"
            now = everything(root)
            still_old = {name for name in now if now[name] == full_old[name] != full_new[name]}
            staged = {str(p.relative_to(journal / "files")) for p in
                      (journal / "files").rglob("*") if p.is_file()}
            assert still_old == staged
        complete = everything(root) == full_new  # the views and the record renamed too
        with exclusive(root) as recovery:  # the next command starts
            pass
        assert assert_one_whole_set(root, generations) == ("new" if committed else state)
        # the views and the run's record went with the tables, byte for byte
        assert everything(root) == (full_new if committed or state == "new" else full_old)
        assert not journal.exists()
        assert bool(recovery.completed) == (committed and not complete)
        seen.append((state, committed))
        shutil.rmtree(root)  # one project at a time on disk, not one per kill point
    # the kills covered the three situations: before the commit, between it and the last
    # rename, and after the last rename
    assert ("old", False) in seen and ("mixed", True) in seen and ("new", True) in seen


def test_a_killed_refresh_process_leaves_a_set_the_next_refresh_completes(
        old_project, generations, tmp_path):
    """Real `careerfacts refresh` processes killed with SIGKILL: at the commit point, in
    the middle of the renames, and at random instants."""
    import random

    instrument = textwrap.dedent("""
        import os, signal, sys
        from pipeline import publish
        kill_at = int(os.environ["KILL_AT"])
        real = publish.os.replace
        calls = []
        def replace(src, dst):
            calls.append(dst)
            if len(calls) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(src, dst)
        class Os:
            def __getattr__(self, name):
                return replace if name == "replace" else getattr(os, name)
        publish.os = Os()
    """)
    for kill_at, left, recovered in (
            (1, "old", "discarded an unfinished one"),  # at the commit's rename
            (2, "old", "completed an interrupted publish"),  # committed, nothing renamed
            (6, "mixed", "completed an interrupted publish")):  # in the middle
        root = tmp_path / f"at-{kill_at}"
        shutil.copytree(old_project, root)
        code, _, _ = finished(careerfacts(root, "refresh", wrapper=instrument,
                                          env={**os.environ, "KILL_AT": str(kill_at)}))
        assert code == -signal.SIGKILL
        assert state_of(root, generations) == left
        code, out, err = finished(careerfacts(root, "refresh"))
        assert code == 0, err
        assert assert_one_whole_set(root, generations) == "new"
        views_agree(root)
        assert f"recovered: {recovered}" in err
    rng = random.Random(9)
    for n in range(3):
        root = tmp_path / f"random-{n}"
        shutil.copytree(old_project, root)
        process = careerfacts(root, "refresh")
        time.sleep(rng.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert state_of(root, generations) != "mixed" \
            or (root / publishing.JOURNAL / publishing.COMMIT).exists()
        code, _, err = finished(careerfacts(root, "refresh"))
        assert code == 0, err
        assert assert_one_whole_set(root, generations) == "new"
        views_agree(root)


def test_a_publish_that_fails_before_its_commit_leaves_the_old_set(old_project, generations,
                                                                    monkeypatch):
    _, new = generations
    calls = []

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(publishing.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"), exclusive(old_project):
        publish(new, old_project)
    monkeypatch.undo()

    assert assert_one_whole_set(old_project, generations) == "old"
    assert not (old_project / publishing.JOURNAL).exists()


# --- leftovers are cleaned up at the next start ------------------------------------------

def test_the_next_refresh_deletes_stray_temporary_files_and_an_unfinished_publish(old_project):
    stray = [old_project / "curated" / ".facts.csv.t1x9ab_q",
             old_project / "reports" / ".discrepancies.md.k2j4h5g6",
             old_project / ".decisions.yaml.abcdefgh"]
    for path in stray:
        path.write_bytes(b"half a file")
    kept = old_project / "curated" / "notes.txt"  # not ours: never touched
    kept.write_text("analyst notes")
    staged = old_project / publishing.JOURNAL / "files" / "curated" / "claims.csv"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"claim_id\n")  # staged, never committed

    code, _, err = finished(careerfacts(old_project, "refresh"))

    assert code == 0, err
    assert "discarded an unfinished one (1 staged file(s)" in err
    assert "deleted 3 stray temporary file(s)" in err
    assert not any(path.exists() for path in stray) and kept.exists()
    assert not (old_project / publishing.JOURNAL).exists()


def test_the_lock_and_temporary_files_are_git_ignored():
    paths = [".careerfacts.lock", ".careerfacts/publish/COMMIT", "curated/.facts.csv.t1x9ab_q",
             "reports/.discrepancies.md.k2j4h5g6", ".decisions.yaml.abcdefgh"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=REPO,
                          capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    assert done.stdout.split() == paths
    done = subprocess.run(["git", "check-ignore", "--no-index", "curated/facts.csv",
                           "reports/discrepancies.md"], cwd=REPO, capture_output=True, text=True)
    assert done.stdout == ""


# --- one writer at a time ------------------------------------------------------------------

def test_a_second_refresh_gives_up_with_a_clear_message_when_told_not_to_wait(old_project):
    with exclusive(old_project):
        code, out, err = finished(careerfacts(old_project, "refresh", "--wait", "0"))

    assert code == 2, err
    assert "another careerfacts command is still writing" in err
    assert str(old_project / ".careerfacts.lock") in err
    assert "Traceback" not in err


def test_a_second_refresh_waits_for_the_first(old_project, generations):
    with exclusive(old_project):
        waiting = careerfacts(old_project, "refresh", "--wait", "60")
        deadline = time.monotonic() + 60
        line = ""
        while "waiting up to" not in line and time.monotonic() < deadline:
            line = waiting.stderr.readline()
        assert "waiting up to 60 s" in line
        assert waiting.poll() is None  # still waiting while the lock is held

    code, _, err = finished(waiting)
    assert code == 0, err
    assert assert_one_whole_set(old_project, generations) == "new"
    views_agree(old_project)


def test_a_slow_refresh_cannot_overwrite_a_later_registry(old_project, generations, tmp_path):
    """The issue's race: refresh A reads the registry and is slow to write; meanwhile a
    source is added and refresh B runs. B must wait for A and then read the registry
    as it is, so the last outputs are those of the registry with the new source."""
    shutil.rmtree(old_project / "raw")
    copy_seed_project_raw(old_project)  # the registry without the new page
    slow = textwrap.dedent("""
        import os, time
        from pipeline import publish
        real = publish.publish
        def slow(files, root):
            open(os.environ["READY"], "w").close()
            time.sleep(3)
            return real(files, root)
        publish.publish = slow
    """)
    ready = tmp_path / "a-is-writing"
    first = careerfacts(old_project, "refresh", wrapper=slow,
                        env={**os.environ, "READY": str(ready)})
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    register(old_project, "new-page", "new_page.txt", NEW_PAGE)  # a curator adds a source
    second = careerfacts(old_project, "refresh")

    (code_a, _, err_a), (code_b, _, err_b) = finished(first), finished(second)

    assert (code_a, code_b) == (0, 0), (err_a, err_b)
    assert "waiting up to" in err_b
    assert assert_one_whole_set(old_project, generations) == "new"
    views_agree(old_project)
    assert b"new-page" in (old_project / "curated" / "sources.csv").read_bytes()


def copy_seed_project_raw(root: Path) -> None:
    from tests.conftest import SEED_PROJECT
    shutil.copytree(SEED_PROJECT / "raw", root / "raw")


def test_two_refreshes_started_together_both_succeed_with_one_whole_set(old_project,
                                                                        generations):
    both = [careerfacts(old_project, "refresh") for _ in range(2)]

    results = [finished(p) for p in both]

    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert assert_one_whole_set(old_project, generations) == "new"
    views_agree(old_project)
    # each refresh recorded its run, one after the other (the second, finding nothing
    # changed, ran nothing and recorded a run that repeats the first's)
    assert sorted(p.name for p in (old_project / "curated" / "history").iterdir()) == [
        "run-0001.json", "run-0002.json", "run-0003.json"]
    assert not (old_project / publishing.JOURNAL).exists()


def test_busy_names_the_lock_and_the_way_out(tmp_path):
    exc = Busy(tmp_path, 5)
    assert str(tmp_path / ".careerfacts.lock") in str(exc) and "--wait" in str(exc)


def test_recover_without_a_journal_changes_nothing(old_project, generations):
    assert not recover(old_project)
    assert assert_one_whole_set(old_project, generations) == "old"


def test_a_background_flush_that_failed_fails_the_publish_before_its_commit(tmp_path,
                                                                             monkeypatch):
    """The system reports a failed write-back once, to the first flush that asks: a
    flush started ahead of publishing must hand its error to the publish, which then
    leaves the published files as they were. A file gone by then is no error."""
    import pipeline.publish
    from pipeline.publish import exclusive, flushed_soon

    (tmp_path / "curated").mkdir()
    (tmp_path / "curated/t.csv").write_bytes(b"old\n")
    rendered = tmp_path / "rendered.csv"
    rendered.write_bytes(b"a,b\n1,2\n")
    real_fsync = os.fsync
    flushed = []

    def fsync(handle):
        flushed.append(handle)
        if len(flushed) == 1:  # the background flush of `rendered`
            raise OSError(5, "Input/output error")
        return real_fsync(handle)

    class Rendered(dict):
        def file(self, relative):
            return rendered

    monkeypatch.setattr(pipeline.publish.os, "fsync", fsync)
    flushed_soon(rendered, tmp_path / "gone.csv")
    with exclusive(tmp_path):
        with pytest.raises(OSError, match="Input/output"):
            publish(Rendered({"curated/t.csv": b""}), tmp_path)
    assert (tmp_path / "curated/t.csv").read_bytes() == b"old\n"

    flushed_soon(rendered)  # flushed without an error this time
    with exclusive(tmp_path):
        publish(Rendered({"curated/t.csv": b""}), tmp_path)
    assert (tmp_path / "curated/t.csv").read_bytes() == b"a,b\n1,2\n"
