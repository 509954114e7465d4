"""The history of refreshes: a record of each run, and what changed from one run to another.

Every refresh that publishes its outputs also publishes a record of itself,
`curated/history/run-NNNN.json` (git-ignored: it belongs to the working copy that ran
it, not to the dataset), in the same atomic set as the outputs:

    run          its number (1, 2, …: one more than the highest recorded)
    started, finished   UTC timestamps ("2026-11-30T10:15:02Z")
    exit_code    what the refresh exited with (0 clean, 1 data problems)
    inputs       the sha256 of raw/sources.yaml and decisions.yaml ("" when absent)
    counts       sources, claims, valid, quarantined, facts, discrepancies by queue, problems
    sources      id -> sha256, path, title, authority (the inputs by sha256)
    facts        fact id -> title, value, status, rule, release, sources
    discrepancies  discrepancy id -> title, outcome, severity, queue, sources
    repeats      for a refresh that found nothing changed and so ran nothing, the run
                 whose outputs it kept (absent otherwise). Such a record holds no
                 sources, facts or discrepancies: they are the repeated run's, read from
                 its record (at 10,000 pages a copy was 55 MB per unchanged refresh)
    based_on     for a run whose sources, facts and discrepancies differ from a recorded
                 run's in a few entries, that run (a whole record): the file holds only
                 the entries that differ from it, one removed since as null (one page
                 changed among 10,000: about 2 MB, not 55 MB). Absent from a whole
                 record, which keeps layout 2

`changes_between(before, after)` compares two records: sources added, removed or
changed (another sha256 under the same id), facts added, removed or changed (value,
status, rule or the sources that state them), discrepancies opened, closed or changed
(outcome, severity or queue). Facts and discrepancies are the same across runs when
their fingerprints are (they hash the key). The refresh summary, the HTML report and
`careerfacts diff` show these changes.

>>> a = RunRecord(1, "2026-11-30T10:00:00Z", "2026-11-30T10:00:05Z", 0,
...               sources={"seed-001": {"sha256": "ab", "path": "raw/a.txt", "title": "A"}},
...               facts={"f-1": {"title": "wage · median", "value": "$48,780 a year",
...                              "status": "single-source", "sources": ["seed-001"]}})
>>> b = RunRecord(2, "2026-11-30T11:00:00Z", "2026-11-30T11:00:05Z", 0,
...               sources={**a.sources, "seed-004": {"sha256": "cd", "path": "raw/b.txt",
...                                                  "title": "B"}},
...               facts={"f-1": {"title": "wage · median", "value": "$50,250 a year",
...                              "status": "resolved", "sources": ["seed-001", "seed-004"]}})
>>> changes = changes_between(a, b)
>>> changes.headline()
'since run 1 (2026-11-30T10:00:00Z): 1 source added, 1 fact changed'
>>> for line in changes.lines():
...     print(line)
source added         seed-004 (raw/b.txt): B
fact changed         f-1 wage · median: value $48,780 a year → $50,250 a year; status single-source → resolved; sources +seed-004
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from schemas.problems import Problem, problem

if TYPE_CHECKING:
    from pipeline.refresh import Run

HISTORY = "curated/history"
"""Where the run records are kept, relative to the project root."""
RECORD_NAME = re.compile(r"^run-(\d+)\.json$")
FORMAT = 3
"""The version of the record's layout. A record of an older layout is read as it is; one
of a newer layout (written by a newer careerfacts) is read for what this version knows,
with a `history-newer-layout` warning. Format 2: a repeat (`repeats` set) leaves out the
sources, facts and discrepancies, which are the repeated run's; a format-1 repeat held a
copy of them. Format 3: a record `based_on` a whole record holds only the entries that
differ from it; whole records and repeats are still written in layout 2 (WHOLE_FORMAT),
which every careerfacts since format 2 reads as it is."""
WHOLE_FORMAT = 2
"""The layout a whole record or a repeat is written in: a based record alone needs 3."""
CONTENT = ("sources", "facts", "discrepancies")
"""What a run record holds of the run's inputs and outputs, and a repeat takes from the
run it repeats."""
BASED_SHARE = 4
"""A run's record is written based on the whole record its predecessor's content comes
from when at most one entry in BASED_SHARE of its sources, facts and discrepancies
differs from that record's (added, changed or removed); otherwise it is written whole,
and becomes the base of the runs after it. So a record is read with at most one other
(two with a repeat in between), and a run of small changes, each compared with one
base, never grows a chain."""


@dataclass(frozen=True)
class RunRecord:
    """One refresh, as `curated/history/run-NNNN.json` keeps it."""

    run: int
    started: str
    finished: str
    exit_code: int
    inputs: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    discrepancies: dict = field(default_factory=dict)
    repeats: int | None = None
    based_on: int | None = None
    differences: dict | None = field(default=None, compare=False, repr=False)
    """For a record based on a run, what its file holds of each of CONTENT: the entries
    that differ from that run's, a removed one as None."""
    base: RunRecord | None = field(default=None, compare=False, repr=False)
    """The whole record its content was read against (a based record's) or from (a
    repeat's), when it was read so; None for a whole record, and for one made by a run
    (which keeps no other run's record: at 10,000 pages one is hundreds of MB)."""

    @property
    def path(self) -> str:
        return record_path(self.run)

    def label(self) -> str:
        """"run 3 (2026-11-30T10:15:02Z)"."""
        return f"run {self.run} ({self.started})"

    def header(self) -> RunRecord:
        """The record without its sources, facts and discrepancies: which run it is,
        when, and its counts.

        >>> head = RunRecord(3, "t0", "t1", 0, counts={"facts": 2}, facts={"f-1": {}}).header()
        >>> head.label(), head.counts, head.facts
        ('run 3 (t0)', {'facts': 2}, {})
        """
        return replace(self, sources={}, facts={}, discrepancies={}, differences=None,
                       base=None)

    def whole(self) -> RunRecord:
        """The whole record this one's content is read against or from: its base, the
        whole record a repeat's run was read from, or itself."""
        return self.base if self.base is not None else self

    def based(self, whole: RunRecord | None) -> RunRecord:
        """This record to be written based on `whole` (a whole record: no repeat, no
        base) when few of its entries differ from it (BASED_SHARE); as it is otherwise.

        >>> whole = RunRecord(1, "t0", "t1", 0, facts={f"f-{n}": {"v": n} for n in range(12)})
        >>> facts = {**whole.facts, "f-0": {"v": 9}, "f-12": {"v": 12}}
        >>> del facts["f-1"]
        >>> record = RunRecord(2, "t2", "t3", 0, facts=facts).based(whole)
        >>> record.based_on, orjson.loads(record.as_json())["facts"]
        (1, {'f-0': {'v': 9}, 'f-1': None, 'f-12': {'v': 12}})
        >>> RunRecord(3, "t4", "t5", 0, facts={"f-9": {}}).based(whole).based_on is None
        True
        """
        if whole is None or whole.repeats is not None or whole.based_on is not None:
            return self
        differ = sum(_count_differences(getattr(whole, name), getattr(self, name))
                     for name in CONTENT)
        total = sum(len(getattr(self, name)) for name in CONTENT)
        if differ * BASED_SHARE > total:
            return self
        return replace(self, based_on=whole.run, differences={
            name: _differences(getattr(whole, name), getattr(self, name)) for name in CONTENT})

    def _document(self) -> dict:
        content = {name: getattr(self, name) for name in CONTENT}
        if self.based_on is not None:
            if self.differences is None:
                raise ValueError(f"run {self.run}'s record is based on run {self.based_on}, "
                                 "but holds no differences from it")
            content = self.differences
        document = {"format": FORMAT if self.based_on is not None else WHOLE_FORMAT,
                    "run": self.run, "started": self.started,
                    "finished": self.finished, "exit_code": self.exit_code,
                    "inputs": self.inputs, "counts": self.counts, **content,
                    "repeats": self.repeats}  # null for a run that ran (a column in SQL)
        if self.based_on is not None:  # absent from a whole record, as in layout 2
            document["based_on"] = self.based_on
        return document

    def as_json(self) -> bytes:
        """The record as the file holds it: sorted keys, two-space indent, a final newline
        (the bytes of `json.dumps(…, sort_keys=True, indent=2, ensure_ascii=False)`)."""
        return json_document(self._document())

    def write_json(self, out) -> None:
        """`as_json` written to a binary stream an entry at a time: a record of 10,000
        pages' facts is tens of MB, never held whole.

        >>> import io
        >>> record, out = RunRecord(1, "t0", "t1", 0, facts={"f-1": {"v": 1}}), io.BytesIO()
        >>> record.write_json(out)
        >>> out.getvalue() == record.as_json()
        True
        """
        write_document(self._document(), out)

    @classmethod
    def from_json(cls, data: bytes) -> RunRecord:
        """A record from its file's bytes; raises ValueError when they are not one. A
        repeat's file holds no sources, facts or discrepancies (`repeat_of` adds the
        repeated run's); a based record's holds the entries that differ from its base's,
        a removed one as None (`on_base` makes it whole)."""
        return _parsed(data)[0]

    def on_base(self, base: RunRecord) -> RunRecord:
        """This based record (as `from_json` reads it) made whole with the record of the
        run it is based on (`base`, read whole from that run's record).

        >>> whole = RunRecord(1, "t0", "t1", 0, facts={f"f-{n}": {"v": n} for n in range(4)})
        >>> record = RunRecord(2, "t2", "t3", 0, facts={**whole.facts, "f-2": {"v": 9}})
        >>> record = record.based(whole)
        >>> read = RunRecord.from_json(record.as_json())
        >>> read.based_on, read.facts, read.on_base(whole) == record
        (1, {'f-2': {'v': 9}}, True)
        """
        return replace(self, base=base, differences={name: getattr(self, name)
                                                     for name in CONTENT}, **{
            name: {key: value for key, value in {**getattr(base, name),
                                                 **getattr(self, name)}.items()
                   if value is not None} for name in CONTENT})

    def repeated(self, run: int, started: str, finished: str) -> tuple[RunRecord, bytes]:
        """The record of a refresh that ran nothing because nothing changed since this
        one (the same inputs, counts, sources, facts and discrepancies, `repeats` naming
        the run whose outputs are published), and its file's bytes: the header only, a
        few hundred bytes whatever the run's size, since the sources, facts and
        discrepancies are in the repeated run's record.

        >>> first = RunRecord(1, "t0", "t1", 0, counts={"facts": 1}, facts={"f-1": {"v": 1}})
        >>> record, data = first.repeated(2, "t2", "t3")
        >>> record.repeats, record.facts, RunRecord.from_json(data).facts
        (1, {'f-1': {'v': 1}}, {})
        >>> RunRecord.from_json(data).repeat_of(first) == record
        True
        """
        record = RunRecord(run, started, finished, self.exit_code, self.inputs, self.counts,
                           self.sources, self.facts, self.discrepancies,
                           self.repeats or self.run)
        document = {key: value for key, value in record._document().items()
                    if key not in CONTENT}
        return record, json_document(document)

    def repeat_of(self, repeated: RunRecord) -> RunRecord:
        """This repeat's record with the sources, facts and discrepancies of the run it
        repeats (`repeated`, read from that run's record)."""
        return replace(self, sources=repeated.sources, facts=repeated.facts,
                       discrepancies=repeated.discrepancies, base=repeated.whole())


def _differences(before: dict, after: dict) -> dict:
    """The entries of `after` that `before` lacks or holds otherwise, and each of
    `before`'s that `after` lacks as None, in key order.

    >>> _differences({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 4, "d": 5})
    {'b': 4, 'c': None, 'd': 5}
    """
    found = {key: value for key, value in after.items()
             if key not in before or before[key] != value}
    found.update((key, None) for key in before.keys() - after.keys())
    return dict(sorted(found.items()))


def _count_differences(before: dict, after: dict) -> int:
    """len(_differences(before, after)), without making them."""
    return (sum(1 for key, value in after.items() if key not in before or before[key] != value)
            + len(before.keys() - after.keys()))


_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def _orjson_writes(value) -> bool:
    """Whether orjson writes `value` as the json module does: strings, booleans, None,
    integers of 64 bits and lists and string-keyed dicts of them (not floats: orjson
    writes 1e16 where json writes 1e+16)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -2 ** 63 <= value < 2 ** 64
    if kind is list or kind is tuple:
        return all(type(v) is str for v in value) or all(map(_orjson_writes, value))
    if kind is dict:
        return all(type(k) is str for k in value) and all(map(_orjson_writes, value.values()))
    return False


def _indented(value, depth: int) -> bytes:
    """`value` as JSON laid out for `depth` levels in: the two-space layout with every
    line after the first indented further (a JSON string never holds a newline)."""
    if _orjson_writes(value):
        data = orjson.dumps(value, option=_INDENTED)
    else:
        data = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")
    return data.replace(b"\n", b"\n" + b"  " * depth) if depth else data


def write_document(document: dict, out) -> None:
    """A record's document written to the binary stream `out` as `json.dump(document,
    sort_keys=True, indent=2, ensure_ascii=False)` and a newline lay it out, the same
    bytes (tests/test_history.py checks it on arbitrary documents), written by orjson a
    fact or discrepancy at a time: 10× faster than the json module, whose indented
    writer is pure Python (4 s for a 55 MB record of 10,000 pages).

    >>> import io
    >>> out = io.BytesIO()
    >>> write_document({"run": 1, "facts": {"f-2": {"v": [1]}, "f-1": {}}}, out)
    >>> print(out.getvalue().decode())
    {
      "facts": {
        "f-1": {},
        "f-2": {
          "v": [
            1
          ]
        }
      },
      "run": 1
    }
    <BLANKLINE>
    """
    if not document:
        out.write(b"{}\n")
        return
    out.write(b"{")
    for n, key in enumerate(sorted(document)):
        value = document[key]
        out.write(b",\n  " if n else b"\n  ")
        out.write(_indented(key, 0) + b": ")
        if key in CONTENT and type(value) is dict and value and all(
                type(name) is str for name in value):
            out.write(b"{")  # an entry at a time
            for m, name in enumerate(sorted(value)):
                out.write(b",\n    " if m else b"\n    ")
                out.write(_indented(name, 0) + b": " + _indented(value[name], 2))
            out.write(b"\n  }")
        else:
            out.write(_indented(value, 1))
    out.write(b"\n}\n")


def json_document(document: dict) -> bytes:
    """`write_document`'s bytes."""
    out = io.BytesIO()
    write_document(document, out)
    return out.getvalue()


_TOP_KEY = re.compile(rb'\n  "([^"\\\n]*)": ')
"""A key of a record's top-level object as `write_json` lays it out (two spaces in: every
line of a value within it is indented further, and a string never holds a newline)."""


def _header_of(data: bytes) -> bytes | None:
    """A record's bytes without its sources, facts and discrepancies — a few hundred bytes
    of the tens of MB a record of 10,000 pages holds — when it is laid out as `write_json`
    lays it out and holds any of them; None otherwise (it is then parsed whole).

    >>> record = RunRecord(1, "t0", "t1", 0, counts={"facts": 1}, facts={"f-1": {"v": 1}})
    >>> RunRecord.from_json(_header_of(record.as_json())) == record.header()
    True
    """
    if not (data.startswith(b'{\n  "') and data.endswith(b"\n}\n")):
        return None
    marks = list(_TOP_KEY.finditer(data, 1))
    kept, dropped = [], False
    for n, mark in enumerate(marks):
        if mark.group(1).decode("utf-8", "replace") in CONTENT:
            dropped = True
            continue
        end = marks[n + 1].start() if n + 1 < len(marks) else len(data) - 3
        kept.append(data[mark.start() + 1:end].rstrip(b","))
    return b"{\n" + b",\n".join(kept) + b"\n}\n" if dropped else None


def _parsed(data: bytes) -> tuple[RunRecord, bool, int | None]:
    """The record of a file's bytes, whether it is a repeat that holds no sources, facts
    or discrepancies of its own, and its layout when that is newer than FORMAT (None
    otherwise); raises ValueError when the bytes are not a record (saying so when the
    record is of a newer layout, which may be why)."""
    document = json.loads(data.decode("utf-8"), object_hook=_SharedSources())
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    layout = document.get("format")
    newer = layout if type(layout) is int and layout > FORMAT else None
    try:
        record = RunRecord(int(document["run"]), str(document["started"]),
                           str(document["finished"]), int(document["exit_code"]),
                           *(document.get(k) or {} for k in ("inputs", "counts", *CONTENT)),
                           None if document.get("repeats") is None else int(document["repeats"]),
                           None if document.get("based_on") is None else int(document["based_on"]))
        for name in ("inputs", "counts", *CONTENT):
            if not isinstance(getattr(record, name), dict):
                raise ValueError(f"{name!r} is not a mapping")
        if record.based_on is not None:
            if record.repeats is not None or record.based_on >= record.run:
                raise ValueError(f"it is based on run {record.based_on}, which is not an "
                                 "earlier one, or it is a repeat")
    except KeyError as exc:
        raise ValueError(f"lacks {exc.args[0]!r}{_written_by_newer(newer)}") from None
    except (ValueError, TypeError) as exc:
        if newer is None:
            raise
        raise ValueError(f"{exc}{_written_by_newer(newer)}") from None
    bare = record.repeats is not None and not any(key in document for key in CONTENT)
    if bare and record.repeats >= record.run:
        raise ValueError(f"it repeats run {record.repeats}, which is not an earlier one")
    return record, bare, newer


class _SharedSources:
    """A JSON object hook that makes the source ids of every fact's and discrepancy's
    `sources` one string each: at 10,000 pages a record lists 2.2 million of them (a
    fact names every page that states it) over some 10,000 distinct ids, and parsed one
    string apiece they took 130 MB of the 180 MB a 55 MB record holds as objects."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def __call__(self, entry: dict) -> dict:
        sources = entry.get("sources")
        if type(sources) is list:
            shared = self.ids.setdefault
            entry["sources"] = [shared(s, s) if type(s) is str else s for s in sources]
        return entry


def _written_by_newer(layout: int | None) -> str:
    """What a record that cannot be read says of its layout when a newer careerfacts
    wrote it ("" otherwise).

    >>> print(_written_by_newer(4))
     (written by a newer careerfacts: layout 4, where this one reads up to 3; upgrade it)
    """
    if layout is None:
        return ""
    return (f" (written by a newer careerfacts: layout {layout}, where this one reads up "
            f"to {FORMAT}; upgrade it)")


def newer_layout(path: str, layout: int) -> Problem:
    """The warning for a record written by a newer careerfacts, in a layout this version
    may misread: which file, its layout, this version's, and to upgrade."""
    return problem("history-newer-layout", path=path,
                   detail=f"its layout is version {layout}, and this careerfacts reads "
                          f"layouts up to version {FORMAT}")


def record_path(number: int) -> str:
    """The record of run `number`, relative to the project root.

    >>> record_path(7)
    'curated/history/run-0007.json'
    """
    return f"{HISTORY}/run-{number:04d}.json"


def recorded_numbers(root: Path) -> list[int]:
    """The numbers of every run recorded in the project, readable or not, in order."""
    folder = Path(root) / HISTORY
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in folder.iterdir()
                  if (m := RECORD_NAME.match(p.name)) and p.is_file())


def load_runs(root: Path, content: bool = True) -> tuple[list[RunRecord], list[Problem]]:
    """The project's run records in order, and a `history-unreadable` warning for each
    file that cannot be read (it is left out; the others are still compared). A repeat
    shares the sources, facts and discrepancies of the record it repeats, read once. A
    record of a newer layout is read for what this version knows, with a
    `history-newer-layout` warning, once per file.

    Without `content` (a listing of the runs) every record is its header: a repeat is
    listed even when the run it repeats cannot be read, with a
    `history-repeat-unreadable` warning instead."""
    runs, problems = [], []
    read: dict[int, RunRecord | Problem] = {}
    for number in recorded_numbers(root):
        record, trouble = _record(root, number, read, content, look_for_run=False,
                                  newer=problems)
        if trouble is not None:
            problems.append(trouble)
        else:
            runs.append(record)
    for r in runs if not content else ():
        if r.based_on is not None and not (Path(root) / record_path(r.based_on)).is_file():
            problems.append(problem(
                "history-base-unreadable", path=r.path,
                detail=f"run {r.run}'s record holds its differences from run {r.based_on}'s, "
                       f"which is not there ({record_path(r.based_on)}); it is listed, but "
                       "cannot be compared"))
        if r.repeats is not None and not isinstance(read.get(r.repeats), RunRecord):
            trouble = read.get(r.repeats)
            why = trouble.detail if trouble is not None else "the file is gone"
            problems.append(problem(
                "history-repeat-unreadable", path=r.path,
                detail=f"run {r.run} ran nothing and repeats run {r.repeats}, whose record "
                       f"({record_path(r.repeats)}) holds its facts and cannot be read "
                       f"({why}); it is listed, but cannot be compared"))
    return runs, problems


def _record(root: Path, number: int, read: dict[int, RunRecord | Problem] | None = None,
            content: bool = True, look_for_run: bool = True,
            newer: list[Problem] | None = None) -> tuple[RunRecord | None, Problem | None]:
    """Run record `number`, or the `history-unreadable` warning saying why it cannot be
    read (no file, not JSON, the record of another run, or a repeat of a run whose
    record cannot be read). `read` keeps what became of each record read so far, so
    that the repeats of one run share its record and a damaged one is parsed once.
    `newer` gets a `history-newer-layout` warning for each record read (the one asked
    for, and the run it repeats) whose layout is newer than this version's: once, as
    each record is read once.

    Without `content`, a repeat is its header, and the run it repeats is only looked
    for, not read: a refresh that changed nothing needs no more, and it gets that far
    only when every output of the run it repeats, that run's record among them, is as
    that run published it (`pipeline/incremental.py`); with `look_for_run` False, not
    even looked for (a listing of the runs)."""
    read = {} if read is None else read
    known = read.get(number)
    if known is not None:
        return (None, known) if isinstance(known, Problem) else (known, None)
    record, trouble = _read_record(root, number, read, content, look_for_run,
                                   [] if newer is None else newer)
    read[number] = record if trouble is None else trouble
    return record, trouble


def _read_record(root: Path, number: int, read: dict, content: bool, look_for_run: bool,
                 newer: list[Problem]) -> tuple[RunRecord | None, Problem | None]:
    relative = record_path(number)
    try:
        data = (Path(root) / relative).read_bytes()
        header = _header_of(data) if not content else None
        try:  # without `content`, the header alone (a repeat holds no more)
            record, bare, layout = _parsed(header if header is not None else data)
        except ValueError:
            if header is None:
                raise
            record, bare, layout = _parsed(data)  # not laid out as written: read it whole
        if header is not None and record.repeats is not None:
            record, bare, layout = _parsed(data)  # a repeat that holds content after all
    except FileNotFoundError:
        return None, problem("history-unreadable", path=relative, detail="the file is gone")
    except (OSError, ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, problem("history-unreadable", path=relative, detail=" ".join(why.split()))
    if record.run != number:
        return None, problem("history-unreadable", path=relative,
                             detail=f"it records run {record.run}, not {number}"
                                    f"{_written_by_newer(layout)}")
    if layout is not None:
        newer.append(newer_layout(relative, layout))
    if bare and not content:
        if not look_for_run:
            return record, None
        if not (Path(root) / record_path(record.repeats)).is_file():
            return None, problem(
                "history-unreadable", path=relative,
                detail=f"it repeats run {record.repeats}, whose record holds its facts "
                       f"and is not there ({record_path(record.repeats)})")
    elif bare:
        repeated, trouble = _record(root, record.repeats, read, newer=newer)
        if trouble is not None:
            return None, problem(
                "history-unreadable", path=relative,
                detail=f"it repeats run {record.repeats}, whose record holds its facts "
                       f"and cannot be read ({trouble.detail})")
        record = record.repeat_of(repeated)
    elif record.based_on is not None:
        based = f"it is based on run {record.based_on}, whose record holds most of its facts"
        if not content:  # its header is all that is asked for: its base is not needed
            return record.header(), None
        base, trouble = _record(root, record.based_on, read, newer=newer)
        if trouble is not None:
            return None, problem("history-unreadable", path=relative,
                                 detail=f"{based} and cannot be read ({trouble.detail})")
        if base.repeats is not None or base.based_on is not None:
            return None, problem("history-unreadable", path=relative,
                                 detail=f"{based}, but that record is not a whole one")
        record = record.on_base(base)
    return record, None


def read_run(root: Path, number: int, read: dict[int, RunRecord | Problem] | None = None
             ) -> tuple[RunRecord | None, Problem | None]:
    """Run `number`'s record whole — a repeat with the run it repeats, a based record
    with its base — or the `history-unreadable` warning saying why it cannot be read.
    Only those records are read (`load_runs` reads them all: at 10,000 pages, 55 MB
    each); `read` shares what was read between calls. A newer layout is left for the
    listing that found the run to warn of (`load_runs` without content)."""
    return _record(root, number, read, content=True, newer=[])


def latest_run(root: Path, content: bool = True) -> tuple[RunRecord | None, list[Problem]]:
    """The latest readable run record (None when there is none), and a
    `history-unreadable` warning for each newer one that cannot be read, oldest first,
    then a `history-newer-layout` warning for each record read whose layout is newer
    than this version's. Only those records are read (and the run a repeat repeats,
    once), so the cost does not grow with the history. Without `content`, a repeat is
    read as its header (see `_record`): all a refresh that changed nothing needs of it."""
    problems, newer = [], []
    read: dict[int, RunRecord | Problem] = {}
    for number in reversed(recorded_numbers(root)):
        record, trouble = _record(root, number, read, content, newer=newer)
        if trouble is None:
            return record, problems[::-1] + newer
        problems.append(trouble)
    return None, problems[::-1] + newer


def next_number(root: Path) -> int:
    """The number of the next run: one more than the highest recorded (unreadable
    records included, so that none is ever overwritten)."""
    numbers = recorded_numbers(root)
    return (numbers[-1] if numbers else 0) + 1


def sha256_of(path: Path) -> str:
    """The file's sha256, or "" when it does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def run_record(run: Run, number: int, started: str, finished: str, exit_code: int,
               inputs: dict[str, str], parts=None, view=None) -> RunRecord:
    """The record of a refresh: `inputs` are the sha256 of the registry and the decisions
    file ({"registry": …, "decisions": …}); the rest is read from the run — from its
    whole reconciliation, or from the parts a refresh gathered a slice at a time
    (`parts`: pipeline.report.ReportParts, `view`: pipeline.report_html.AnalystParts)."""
    if parts is None or view is None:
        from pipeline.report import parts_of
        from pipeline.report_html import analyst_parts
        parts, view = parts_of(run), analyst_parts(run)
    queues = dict.fromkeys(("open", "decided", "explained"), 0)
    for (queue, _, _), n in parts.discrepancies.items():
        queues[queue] += n
    counts = {"sources": len(run.captures), "claims": len(run.claims),
              "valid": run.valid_count, "quarantined": len(run.quarantined),
              "facts": sum(parts.facts.values()), "discrepancies": sum(queues.values()),
              **queues, "problems": len(run.problems)}
    sources = {c.source.id: {"sha256": c.source.sha256, "path": c.source.path,
                             "title": c.source.title, "authority": c.source.authority}
               for c in run.captures}
    return RunRecord(number, started, finished, exit_code, dict(inputs), counts, sources,
                     view.record_facts, view.record_discrepancies)


def _sources_of(clusters) -> list[str]:
    return sorted({s for c in clusters for s in c.sources})


def fact_entry(fact, title: str) -> dict:
    """A fact as a run record keeps it; `title` is its key's (report.key_title)."""
    from pipeline.report import fact_value

    chosen = fact.chosen
    return {"title": title, "status": fact.status, "rule": fact.rule,
            "value": fact_value(chosen) if chosen else "",
            "release": (chosen.claim.stated_in or chosen.claim.period) if chosen else "",
            "sources": _sources_of(fact.clusters)}


def discrepancy_entry(d, title: str) -> dict:
    """A discrepancy as a run record keeps it."""
    return {"title": title, "outcome": d.outcome, "severity": d.severity, "queue": d.queue,
            "sources": _sources_of(d.clusters)}


# --- what changed between two runs ----------------------------------------------------------

@dataclass(frozen=True)
class SourceChange:
    """A source added, removed, or changed (another sha256 under the same id)."""

    change: str  # added | removed | changed
    source_id: str
    path: str
    title: str

    def line(self) -> str:
        return f"{self.source_id} ({self.path}): {self.title}"


@dataclass(frozen=True)
class FactChange:
    """A fact added, removed, or changed in value, status, rule or sources."""

    change: str  # added | removed | changed
    fact_id: str
    title: str
    before: dict | None
    after: dict | None

    def details(self, most: int | None = None) -> list[str]:
        """What changed, as people read it: "value $48,780 a year → $50,250 a year";
        with `most`, the sources added and removed name at most that many ("sources
        +page-00001 … and 990 more": the analyst's view, of thousands of pages)."""
        if self.before is None or self.after is None:
            state = self.after if self.before is None else self.before
            value = state.get("value") or "no resolved value"
            return [f"{value} ({state.get('status', '')})"]
        out = [f"{name} {self.before.get(name) or '–'} → {self.after.get(name) or '–'}"
               for name in ("value", "status", "rule")
               if self.before.get(name) != self.after.get(name)]
        old, new = set(self.before.get("sources", ())), set(self.after.get("sources", ()))
        if old != new:
            changed = [f"+{s}" for s in sorted(new - old)] + [f"−{s}" for s in sorted(old - new)]
            rest = len(changed) - most if most is not None else 0
            out.append("sources " + " ".join(changed[:most] if rest > 0 else changed)
                       + (f" and {rest:,} more" if rest > 0 else ""))
        return out

    @property
    def sources(self) -> list[str]:
        return sorted({s for state in (self.before, self.after) if state
                       for s in state.get("sources", ())})

    def line(self) -> str:
        return f"{self.fact_id} {self.title}: " + "; ".join(self.details())


@dataclass(frozen=True)
class DiscrepancyChange:
    """A discrepancy opened (new), closed (gone) or changed in outcome, severity or queue."""

    change: str  # opened | closed | changed
    discrepancy_id: str
    title: str
    before: tuple[str, str, str] | None  # (outcome, severity, queue)
    after: tuple[str, str, str] | None
    sources: tuple[str, ...]
    official: tuple[str, ...] = ()  # those of `sources` that are primary (the agency's files)

    def sources_text(self, most: int | None = None) -> str:
        """The pages by id, the official sources counted: "seed-002, seed-003; 12 official
        sources"; with `most`, at most that many pages named ("…, and 990 more")."""
        pages = [s for s in self.sources if s not in self.official]
        rest = len(pages) - most if most is not None else 0
        text = ", ".join(pages[:most]) + f", and {rest:,} more" if rest > 0 else ", ".join(pages)
        if self.official:
            n = len(self.official)
            text += ("; " if pages else "") + f"{n} official source{'s' if n > 1 else ''}"
        return text

    def line(self) -> str:
        def state(s):
            return f"{s[0]} ({s[1]}, {s[2]})"
        what = (state(self.after) if self.before is None else state(self.before)
                if self.after is None else f"{state(self.before)} → {state(self.after)}")
        return f"{self.discrepancy_id} {what}: {self.title} — {self.sources_text()}"


@dataclass(frozen=True)
class Changes:
    """What changed from one run (`before`, None for the first run) to another. The two
    runs are kept as their headers (`RunRecord.header`): the changes name them, and a
    record of 10,000 pages' facts is hundreds of MB as Python objects."""

    before: RunRecord | None
    after: RunRecord
    sources: tuple[SourceChange, ...] = ()
    facts: tuple[FactChange, ...] = ()
    discrepancies: tuple[DiscrepancyChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.facts or self.discrepancies)

    def counts(self) -> list[tuple[int, str, str]]:
        """(n, noun, verb) of each kind of change that happened, in a fixed order."""
        out = []
        for group, noun, verbs in ((self.sources, "source", ("added", "removed", "changed")),
                                   (self.facts, "fact", ("added", "removed", "changed")),
                                   (self.discrepancies, "discrepancy",
                                    ("opened", "closed", "changed"))):
            for verb in verbs:
                n = sum(c.change == verb for c in group)
                if n:
                    out.append((n, noun, verb))
        return out

    def headline(self) -> str:
        """One line: "since run 2 (…): 1 source added, 3 facts changed", "no change since
        run 2 (…)", or "the first recorded run: nothing to compare with"; a change of the
        exit code or of the number of problems is added ("…; exit code 1 → 0; problems
        1 → 0")."""
        if self.before is None:
            return "the first recorded run: nothing to compare with"
        outcome = "; ".join(
            f"{name} {a} → {b}" for name, a, b in (
                ("exit code", self.before.exit_code, self.after.exit_code),
                ("problems", self.before.counts.get("problems", 0),
                 self.after.counts.get("problems", 0))) if a != b)
        if not self:
            return f"no change since {self.before.label()}" + (
                f" in the data; {outcome}" if outcome else "")
        plural = {"source": "sources", "fact": "facts", "discrepancy": "discrepancies"}
        return f"since {self.before.label()}: " + ", ".join(
            f"{n} {noun if n == 1 else plural[noun]} {verb}" for n, noun, verb in self.counts()
        ) + (f"; {outcome}" if outcome else "")

    def lines(self) -> list[str]:
        """One line per change: "fact changed         f-… title: value … → …"."""
        out = []
        for kind, group in (("source", self.sources), ("fact", self.facts),
                            ("discrepancy", self.discrepancies)):
            for change in group:
                out.append(f"{kind + ' ' + change.change:20} {change.line()}")
        return out

    def as_dict(self) -> dict:
        """The changes as data (`refresh --json`, `diff --json`)."""
        def run(r: RunRecord | None):
            return None if r is None else {"run": r.run, "started": r.started}
        return {
            "before": run(self.before), "after": run(self.after),
            "sources": [{"change": c.change, "source_id": c.source_id, "path": c.path,
                         "title": c.title} for c in self.sources],
            "facts": [{"change": c.change, "fact_id": c.fact_id, "title": c.title,
                       "before": c.before, "after": c.after, "details": c.details()}
                      for c in self.facts],
            "discrepancies": [{"change": c.change, "discrepancy_id": c.discrepancy_id,
                               "title": c.title,
                               "before": dict(zip(("outcome", "severity", "queue"), c.before))
                               if c.before else None,
                               "after": dict(zip(("outcome", "severity", "queue"), c.after))
                               if c.after else None,
                               "sources": list(c.sources), "official": list(c.official)}
                              for c in self.discrepancies],
        }


def changes_between(before: RunRecord | None, after: RunRecord) -> Changes:
    """What changed from `before` to `after` (nothing is compared for a first run)."""
    if before is None:
        return Changes(None, after.header())
    order = {"added": 0, "opened": 0, "removed": 1, "closed": 1, "changed": 2}

    old, new = before.sources, after.sources
    sources = [SourceChange("added", i, new[i].get("path", ""), new[i].get("title", ""))
               for i in new if i not in old]
    sources += [SourceChange("removed", i, old[i].get("path", ""), old[i].get("title", ""))
                for i in old if i not in new]
    sources += [SourceChange("changed", i, new[i].get("path", ""), new[i].get("title", ""))
                for i in new if i in old and old[i].get("sha256") != new[i].get("sha256")]

    watched = ("value", "status", "rule")
    old, new = before.facts, after.facts
    facts = [FactChange("added", i, new[i].get("title", ""), None, new[i])
             for i in new if i not in old]
    facts += [FactChange("removed", i, old[i].get("title", ""), old[i], None)
              for i in old if i not in new]
    facts += [FactChange("changed", i, new[i].get("title", ""), old[i], new[i])
              for i in new if i in old
              and ({k: old[i].get(k) for k in watched} != {k: new[i].get(k) for k in watched}
                   or set(old[i].get("sources", ())) != set(new[i].get("sources", ())))]

    def state(d: dict) -> tuple[str, str, str]:
        return (d.get("outcome", ""), d.get("severity", ""), d.get("queue", ""))

    primary = {i for record in (before, after) for i, s in record.sources.items()
               if s.get("authority") == "primary"}

    def changed(change: str, i: str, title: str, old_state, new_state, *found: dict):
        sources = tuple(sorted({s for d in found for s in d.get("sources", ())}))
        return DiscrepancyChange(change, i, title, old_state, new_state, sources,
                                 tuple(s for s in sources if s in primary))

    old, new = before.discrepancies, after.discrepancies
    discrepancies = [changed("opened", i, new[i].get("title", ""), None, state(new[i]), new[i])
                     for i in new if i not in old]
    discrepancies += [changed("closed", i, old[i].get("title", ""), state(old[i]), None,
                              old[i])
                      for i in old if i not in new]
    discrepancies += [changed("changed", i, new[i].get("title", ""), state(old[i]),
                              state(new[i]), old[i], new[i])
                      for i in new if i in old and state(old[i]) != state(new[i])]
    return Changes(
        before.header(), after.header(),
        tuple(sorted(sources, key=lambda c: (order[c.change], c.source_id))),
        tuple(sorted(facts, key=lambda c: (order[c.change], c.title, c.fact_id))),
        tuple(sorted(discrepancies, key=lambda c: (order[c.change], c.title,
                                                   c.discrepancy_id))))


def previous_of(runs: list[RunRecord], number: int) -> RunRecord | None:
    """The latest recorded run before run `number`, if any."""
    earlier = [r for r in runs if r.run < number]
    return earlier[-1] if earlier else None
