"""A refresh whose inputs did not change runs nothing and writes only its run's record.

A refresh's outputs are a function of its inputs: the registry's text, each registered
file's bytes (pinned by the registry's sha256, checked through the file digests of
pipeline/cache.py), decisions.yaml, the registry's problems (a missing file), and the
code (every module of careerfacts and the versions of the libraries that shape its
outputs: the parsers, pandas, pyarrow, pandera). `inputs_digest` hashes all of them.

After a refresh has published its outputs, `record_run` keeps, in `.careerfacts/last-
run.json`, that digest, the stat of every output file (size, mtime_ns, ctime_ns, inode)
and what the refresh said (its summary, its exit code). The next refresh computes the
digest first (reading the registry's cached parse and the files' stats, no page) and,
when it is the same and every output file still has the stat it was published with,
says the same again without running a stage: `unchanged_run`. Any change to an output
file (an edit, a checkout, a deletion) changes its ctime, which no program can set
back, so the outputs on disk are the ones the digest gave.

A run is recorded only when the same inputs would give it again: one that stopped a
document at its time limit, met an extractor defect or a file that changed under it is
not, so the next refresh runs (and tries those documents again).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.cache import OUTPUT_LIBRARIES, code_fingerprint, write_atomically

CODE_ROOT = Path(__file__).resolve().parent.parent
"""careerfacts' source root: the report templates are part of the code an output depends on."""

RECORD = ".careerfacts/last-run.json"
RECORD_FORMAT = "1"


def inputs_digest(root: Path, registry: Path, decisions: Path, captures, problems,
                  time_limit: float | None) -> str:
    """A hash of everything a refresh's outputs are made from (module docstring)."""
    digest = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8") + b"\x1f")
        digest.update(b"\x1e")

    add("code", code_fingerprint(("extractors", "pipeline", "schemas"),
                                 files=tuple(sorted(
                                     str(t.relative_to(CODE_ROOT)) for t in
                                     (CODE_ROOT / "pipeline" / "templates").glob("*"))),
                                 libraries=OUTPUT_LIBRARIES))
    add("project", Path(root).resolve(), Path(registry).resolve(), time_limit)
    for path in (registry, decisions):
        try:
            add(path.name, hashlib.sha256(Path(path).read_bytes()).hexdigest())
        except FileNotFoundError:
            add(path.name, "absent")
    for capture in captures:
        s = capture.source
        add("capture", s.id, s.path, s.sha256, s.format)
    for p in problems:
        add("problem", p.code, p.source_id, p.path, p.locator, p.detail)
    return digest.hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


@dataclass(frozen=True)
class Recorded:
    """What an earlier refresh with the same inputs said: its exit code, its summary as
    `--json` prints it (without the outputs changed and the recovery, which are this
    run's), its text summary as (stream, line) pairs, and its output files."""

    exit_code: int
    summary: dict
    lines: list[tuple[str, str]]
    files: list[str]


def unchanged_run(root: Path, digest: str) -> Recorded | None:
    """The record of the last refresh when it had these inputs and its outputs are on
    disk as it published them; None otherwise (then the refresh runs)."""
    try:
        record = json.loads((Path(root) / RECORD).read_text(encoding="utf-8"))
        if record.get("format") != RECORD_FORMAT or record.get("inputs") != digest:
            return None
        for relative, stat in record["outputs"].items():
            if _stat(Path(root) / relative) != stat:
                return None
        return Recorded(record["exit_code"], record["summary"],
                        [tuple(line) for line in record["lines"]], sorted(record["outputs"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def forget_run(root: Path) -> None:
    """Remove the record (a refresh is about to publish other outputs)."""
    try:
        (Path(root) / RECORD).unlink()
    except OSError:
        pass


def record_run(root: Path, digest: str, files: list[str], exit_code: int, summary: dict,
               lines: list[tuple[str, str]]) -> None:
    """Keep what this refresh published and said, for the next one (a failure to write
    it costs the next refresh its shortcut, nothing else)."""
    outputs = {relative: _stat(Path(root) / relative) for relative in sorted(files)}
    if any(stat is None for stat in outputs.values()):
        return
    record = {"format": RECORD_FORMAT, "inputs": digest, "outputs": outputs,
              "exit_code": exit_code, "summary": summary, "lines": lines}
    try:
        write_atomically(Path(root) / RECORD, json.dumps(record, sort_keys=True,
                                                         ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass
