"""Writing outputs safely: one writer at a time, and all of a run's files published together.

Two refreshes at once must not interleave, and a refresh killed while writing must not
leave `claims.csv` from one run beside `facts.csv` from another. What careerfacts keeps
for that is at the project root (git-ignored):

    .careerfacts.lock               held by every command that writes: refresh, decide,
                                    check-source's reports, capture (filelock)
    .careerfacts/publish/files/…    the new bytes of each changed output, staged
    .careerfacts/publish/COMMIT     written last, atomically: the list of staged files

Publishing is a small journal, as databases do it:

1. stage every changed file under `publish/files/` and flush it to disk;
2. write `COMMIT` (a temporary name renamed into place): from this instant the new
   set is the published one;
3. rename each staged file over its target (a rename is atomic: a reader sees the old
   file or the new one, never a part), then delete the journal.

The next command that takes the lock first `recover`s: with a `COMMIT` it finishes the
renames (roll forward: the interrupted run's outputs, all of them); without one it
deletes what was staged (roll back: the previous outputs, all of them, were never
touched). Stray temporary files of older versions (`curated/.facts.csv.t1x9…`) are
deleted too. A kill at any instant therefore leaves, once the next command has
started, one run's complete set; the only moment a reader can see two runs' files side
by side is between a `COMMIT` and its last rename (a few renames, no disk flush), and
the journal says so.

>>> import tempfile, pathlib
>>> scratch = tempfile.TemporaryDirectory(); root = pathlib.Path(scratch.name)
>>> with exclusive(root):
...     [str(p.relative_to(root)) for p in publish({"curated/facts.csv": b"fact_id\\n"}, root)]
['curated/facts.csv']
>>> sorted(p.name for p in (root / ".careerfacts").iterdir())
[]
>>> scratch.cleanup()
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

STATE = ".careerfacts"
LOCK = ".careerfacts.lock"
"""The project's one lock; `careerfacts capture` holds it too while it writes raw/."""
JOURNAL = f"{STATE}/publish"
RENDERED = "render-"
"""Prefix of the folders in .careerfacts/ that a run renders its large files into before
publishing moves them into place; one left by a killed run is deleted on recovery."""
COMMIT = "COMMIT"
LEGACY_TEMPORARY = {
    ".": re.compile(r"^\.decisions\.yaml\.[a-z0-9_]{8}$"),
    "raw": re.compile(r"^\.[^.].*\.[a-z0-9_]{8}$"),  # capture's writes of pages and the registry
    "curated": re.compile(r"^\.[^.].*\.(?:csv|parquet)\.[a-z0-9_]{8}$"),
    "reports": re.compile(r"^\.[^.].*\.(?:csv|md)\.[a-z0-9_]{8}$"),
    "reports/validation": re.compile(r"^\.[^.].*\.json\.[a-z0-9_]{8}$"),
}
"""Temporary siblings written beside a file before it is renamed into place
(`tempfile.mkstemp` with a `.NAME.` prefix: `curated/.facts.csv.t1x9ab_q` by older
versions, `raw/.sources.yaml.k2j4h5g6` by capture) that a kill could leave behind."""


class Busy(Exception):
    """Another careerfacts command holds the project's lock past the time allowed."""

    def __init__(self, root: Path, waited: float):
        super().__init__(f"another careerfacts command is still writing in {root} after "
                         f"{waited:g} s (lock {root / LOCK}); wait for it to finish, or run "
                         "again with a longer --wait")


class PartialPublish(Exception):
    """Renaming the staged outputs into place failed after the commit point: the files
    replaced are new, the others are still staged, and the next command completes them."""

    def __init__(self, replaced: list[Path], staged: int, cause: OSError):
        super().__init__(f"{cause}; {len(replaced)} file(s) had already been replaced and "
                         f"{staged} are staged in {JOURNAL}/: the next careerfacts command "
                         "completes the publish once the cause is fixed")
        self.replaced = replaced


@dataclass(frozen=True)
class Recovery:
    """What `recover` found: an interrupted publish completed or discarded, leftovers."""

    completed: list[str] = field(default_factory=list)  # files the interrupted publish renamed
    discarded: list[str] = field(default_factory=list)  # staged files of an uncommitted publish
    leftovers: list[str] = field(default_factory=list)  # stray temporary files deleted

    def __bool__(self) -> bool:
        return bool(self.completed or self.discarded or self.leftovers)

    def line(self) -> str:
        parts = []
        if self.completed:
            parts.append(f"completed an interrupted publish ({len(self.completed)} file(s))")
        if self.discarded:
            parts.append(f"discarded an unfinished one ({len(self.discarded)} staged file(s); "
                         "the previous outputs were kept)")
        if self.leftovers:
            parts.append(f"deleted {len(self.leftovers)} stray temporary file(s)")
        return "recovered: " + "; ".join(parts)


@contextmanager
def exclusive(root: Path, wait: float = 600.0,
              on_wait: Callable[[str], None] | None = None) -> Iterator[Recovery]:
    """Hold the project's lock for a block; recover an interrupted publish first.

    Waits up to `wait` seconds for another holder (saying so through `on_wait`), then
    raises Busy. The lock is the operating system's (flock through filelock): a killed
    holder releases it with its last breath, so a lock is never left stale.
    """
    from filelock import FileLock, Timeout  # only for the commands that write

    root = Path(root)
    (root / STATE).mkdir(parents=True, exist_ok=True)
    lock = FileLock(root / LOCK, preserve_lock_file=True)
    try:
        lock.acquire(blocking=False)
    except Timeout:
        if on_wait is not None:
            on_wait(f"another careerfacts command is writing in {root}; waiting up to "
                    f"{wait:g} s for it (lock {root / LOCK})")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise Busy(root, wait) from None
    try:
        yield recover(root)
    finally:
        lock.release()


def recover(root: Path) -> Recovery:
    """Finish or discard an interrupted publish and delete stray temporary files.

    Call it holding the lock (`exclusive` does). A journal with a COMMIT is rolled
    forward (each staged file still there is renamed into place: the others were
    already); one without is deleted. Idempotent: a kill during recovery is recovered by
    the next call.
    """
    root = Path(root)
    journal = root / JOURNAL
    completed: list[str] = []
    discarded: list[str] = []
    commit = journal / COMMIT
    if commit.is_file():
        for relative in json.loads(commit.read_text(encoding="utf-8"))["files"]:
            staged = journal / "files" / relative
            if staged.exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, root / relative)
                completed.append(relative)
        _sync_folders(root, {Path(r).parent for r in completed})
    elif journal.exists():
        discarded = sorted(str(p.relative_to(journal / "files")) for p in
                           (journal / "files").rglob("*") if p.is_file()) \
            if (journal / "files").exists() else []
    if journal.exists():
        shutil.rmtree(journal)
    leftovers = []
    for stray in sorted((root / STATE).glob(f"{RENDERED}*")) if (root / STATE).is_dir() else []:
        shutil.rmtree(stray, ignore_errors=True)  # a killed run's rendered files
        leftovers.append(str(stray.relative_to(root)))
    for folder, pattern in LEGACY_TEMPORARY.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.is_file() and pattern.match(path.name):
                path.unlink()
                leftovers.append(str(path.relative_to(root)))
    return Recovery(completed, discarded, leftovers)


def publish(files: Mapping[str, bytes], root: Path) -> list[Path]:
    """Publish every file (path relative to `root` → bytes) together; returns the files
    that changed. Files whose bytes are already in place are not touched, so an
    unchanged output keeps its timestamp. A mapping that keeps a file's bytes on disk
    (`files.file(path)`, pipeline/outputs.py's Rendered) has that file compared and
    moved into the staging area (copied when it is on another file system), never read
    into memory whole.

    Call it holding the lock. Raises the OSError of a failure before the commit point
    (the previous outputs are untouched and the staging is removed), PartialPublish
    after it.
    """
    root = Path(root)
    journal = root / JOURNAL
    def held(relative: str) -> bytes | Path:
        on_disk = files.file(relative) if hasattr(files, "file") else None
        return on_disk if on_disk is not None else files[relative]

    changed = [relative for relative in sorted(files) if not _holds(root / relative, held(relative))]
    if not changed:
        return []
    if journal.exists():  # a journal nobody recovered: the caller does not hold the lock
        raise RuntimeError(f"{journal} exists: publish only inside `exclusive`")
    try:
        for relative in changed:
            staged = journal / "files" / relative
            staged.parent.mkdir(parents=True, exist_ok=True)
            _write(staged, held(relative))
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
        _sync_folders(journal / "files", {Path(r).parent for r in changed})
        _write(journal / f"{COMMIT}.tmp", json.dumps({"files": changed}).encode("utf-8"))
    except BaseException:
        shutil.rmtree(journal, ignore_errors=True)
        raise
    os.replace(journal / f"{COMMIT}.tmp", journal / COMMIT)  # the commit point
    _sync_folder(journal)
    replaced: list[Path] = []
    try:
        for relative in changed:
            os.replace(journal / "files" / relative, root / relative)
            replaced.append(root / relative)
    except OSError as exc:
        raise PartialPublish(replaced, len(changed) - len(replaced), exc) from exc
    _sync_folders(root, {Path(r).parent for r in changed})
    os.unlink(journal / COMMIT)
    shutil.rmtree(journal)
    return replaced


def _holds(path: Path, data: bytes | Path) -> bool:
    try:
        if isinstance(data, Path):
            return path.stat().st_size == data.stat().st_size and _same_bytes(path, data)
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def _same_bytes(a: Path, b: Path, block: int = 1 << 20) -> bool:
    with open(a, "rb") as x, open(b, "rb") as y:
        while True:
            one, other = x.read(block), y.read(block)
            if one != other:
                return False
            if not one:
                return True


_FLUSHES: dict[str, object] = {}
"""Each file `flushed_soon` is flushing, by its path: its flush's outcome (a Future)."""


def flushed_soon(*paths: Path) -> None:
    """Start writing finished files' bytes to disk in a thread, while the refresh goes
    on: publishing flushes every file before its commit point (`_write`), and a file of
    a gigabyte written moments before took that flush's time at the end of the run.

    Publishing a file waits for its flush here and raises its error: the system reports
    a failed write-back once, to the flush that sees it first, and a later flush of the
    same file would succeed with the bytes lost. A file gone by then is no error."""
    import threading
    from concurrent.futures import Future

    outcomes = []
    for path in paths:
        outcome = Future()
        _FLUSHES[str(path)] = outcome
        outcomes.append((path, outcome))

    def flush() -> None:
        for path, outcome in outcomes:
            try:
                handle = os.open(path, os.O_RDONLY)
            except OSError:
                outcome.set_result(None)  # gone: not published, or published by rename
                continue
            try:
                os.fsync(handle)
                outcome.set_result(None)
            except OSError as exc:
                outcome.set_exception(exc)
            finally:
                os.close(handle)

    threading.Thread(target=flush, name="careerfacts-flush", daemon=True).start()


def _flushed_before(data: Path) -> None:
    """Wait for `flushed_soon`'s flush of this file, if it started one; its error raised."""
    outcome = _FLUSHES.pop(str(data), None)
    if outcome is not None:
        outcome.result()


def _write(path: Path, data: bytes | Path) -> None:
    """`data` (bytes, or a file moved or copied here) at `path`, flushed to disk."""
    if isinstance(data, Path):
        _flushed_before(data)
        try:
            os.rename(data, path)  # staged names are new: no file is replaced
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            shutil.copyfile(data, path)  # the rendered file is on another file system
        with open(path, "rb+") as out:
            os.fsync(out.fileno())
    else:
        with open(path, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    os.chmod(path, 0o644)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames in it) to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot flush a folder; the renames still stand
        pass
    finally:
        os.close(handle)


def _sync_folders(base: Path, relatives: set[Path]) -> None:
    for relative in sorted(relatives):
        _sync_folder(base / relative)
