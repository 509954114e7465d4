"""The source registry, `raw/sources.yaml`: one entry per captured document.

Loading checks every entry and returns the good ones with their bytes, plus a problem
for each bad one, so one broken entry never stops the others:

>>> import tempfile, pathlib, hashlib
>>> scratch = tempfile.TemporaryDirectory(); raw = pathlib.Path(scratch.name)
>>> _ = (raw / "page.txt").write_bytes(b"Median pay: $50,250")
>>> digest = hashlib.sha256(b"Median pay: $50,250").hexdigest()
>>> _ = (raw / "sources.yaml").write_text(f'''sources:
...   - {{id: demo, path: page.txt, sha256: {digest}, retrieved: 2026-01-09,
...      title: Demo page, authority: secondary}}
...   - {{id: broken, path: missing.txt, sha256: {digest}, retrieved: 2026-01-09,
...      title: Gone, authority: secondary}}
... ''')
>>> captures, problems = load_registry(raw / "sources.yaml")
>>> [c.source.id for c in captures], [p.code for p in problems]
(['demo'], ['registry-file-missing'])
>>> scratch.cleanup()
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import yaml

from extractors.document import DocumentError, sniff_format
from pipeline.cache import FileDigests, project_key, sealed, unsealed, write_atomically
from schemas.problems import Problem, problem
from schemas.vocabulary import AUTHORITIES, DATASET_FORMATS, DATASETS, FORMATS

REQUIRED = ("id", "path", "sha256", "retrieved", "title", "authority")
OPTIONAL = ("format", "publisher", "url", "occupation", "notes", "dataset", "period")
CAPTURE_KEYS = ("final_url", "redirects", "http_status", "content_type", "etag",
                "last_modified", "original_url", "archived", "supersedes")
"""Written by `careerfacts capture`: what the fetch saw (final URL after redirects, the
redirects, status, content type, the validators for the next conditional request), the
page an archive copy is of and the archive's timestamp, and the capture it supersedes."""
ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SOC = re.compile(r"^\d{2}-\d{4}$")
URL = re.compile(r"^https?://[^\s/]+", re.I)
PERIOD = re.compile(r"^\d{4}(-\d{4})?$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML without implicit dates: `retrieved: 2026-02-30` stays a string for the entry's
    own check instead of failing the whole file. libyaml's parser when PyYAML has it
    (ten times faster on a registry of thousands of entries), else PyYAML's own."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RegistryError(Exception):
    """The registry as a whole cannot be used (a configuration error, exit 2)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.line())
        self.problem = problem


@dataclass(frozen=True)
class Source:
    id: str
    path: str  # relative to the repository, e.g. "raw/001_ff2d.txt"
    format: str
    sha256: str
    retrieved: str  # ISO date ("2026-01-09") or UTC timestamp ("2026-01-09T14:03:22Z")
    title: str
    authority: str
    publisher: str = ""
    url: str = ""
    occupation: str = ""
    dataset: str = ""  # an official file read as a table of releases or a classification
    #                   ("oews-national", "soc-crosswalk" …); "" for a page
    period: str = ""  # the reference period of an official file, when it does not say itself
    original_url: str = ""  # the page an archived copy is of
    archived: str = ""  # the archive's timestamp of that copy, ISO UTC
    supersedes: str = ""  # id of the previous capture of the same page

    @property
    def as_of(self) -> str:
        """The moment the capture shows the page: the archive's timestamp, else retrieval."""
        return self.archived or self.retrieved

    @property
    def retrieved_date(self) -> dt.date:
        return dt.date.fromisoformat(self.retrieved[:10])

    @property
    def page_date(self) -> str:
        """The date an archived copy shows the page at ("" for a live capture)."""
        return self.archived[:10]


@dataclass(frozen=True)
class Capture:
    """A registered source and its document: bytes `held` in memory, or a `file` read
    when `data` is asked for (a registry of thousands of pages is not held at once).

    `data` checks the bytes read against the registered sha256, and raises
    DocumentError("registry-sha256-mismatch") when the file changed since it was
    registered, OSError when it cannot be read."""

    source: Source
    held: bytes | None = None
    file: Path | None = None

    @property
    def data(self) -> bytes:
        if self.held is not None or self.file is None:
            return self.held or b""
        data = self.file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.source.sha256:
            raise DocumentError("registry-sha256-mismatch",
                                f"{digest}, not the registered {self.source.sha256}")
        return data

    @property
    def size(self) -> int:
        """Bytes of the document (0 when its file cannot be read)."""
        if self.held is not None or self.file is None:
            return len(self.held or b"")
        try:
            return self.file.stat().st_size
        except OSError:
            return 0


def _entry_problem(code: str, entry_id: str, path: str = "", detail: str = "") -> Problem:
    return problem(code, source_id=entry_id, path=path, detail=detail)


class _Resolver:
    """Real paths of registered files, resolving each folder once: a registry of
    thousands of files in a few folders costs one lstat per file, not one per part of
    its path. A file that is itself a link (or a path ending in "..") is resolved whole."""

    def __init__(self, raw_dir: Path, root: Path):
        self.raw_dir = raw_dir.resolve()
        self.root = root.resolve()
        self.folders: dict[Path, Path] = {}
        # the checks of thousands of resolved paths, as text (pathlib's relative_to
        # builds paths of its own each time)
        self._raw_text, self._root_text = str(self.raw_dir), str(self.root)

    def within_raw(self, target: Path) -> bool:
        """`target.is_relative_to(raw_dir)`, for a path this resolver gave."""
        text, raw = str(target), self._raw_text
        return text == raw or text.startswith(raw.rstrip(os.sep) + os.sep)

    def shown(self, target: Path) -> str:
        """`_shown(target, root, resolved=True)`, for a path this resolver gave."""
        text, root = str(target), self._root_text
        if text == root:
            return "."
        prefix = root.rstrip(os.sep) + os.sep
        return text[len(prefix):] if text.startswith(prefix) else text

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", ".."):
            return path.resolve()
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = path.parent.resolve()
        candidate = folder / path.name
        return candidate.resolve() if candidate.is_symlink() else candidate


def _check_entry(entry: object, number: int, raw_dir: Path, root: Path,
                 digests: FileDigests, resolve: _Resolver | None = None
                 ) -> tuple[Capture | None, Problem | None]:
    where = f"entry {number}"
    if not isinstance(entry, dict):
        return None, _entry_problem("registry-invalid-entry", "", "",
                                    f"{where} is not a mapping of keys to values")
    entry_id = str(entry.get("id", ""))
    if entry_id:
        where = f"entry {number} ({entry_id!r})"
    unknown = sorted(set(map(str, entry)) - set(REQUIRED) - set(OPTIONAL) - set(CAPTURE_KEYS))
    if unknown:
        return None, _entry_problem(
            "registry-invalid-entry", entry_id, "",
            f"{where} has unknown key(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(REQUIRED + OPTIONAL + CAPTURE_KEYS)}")
    missing = [key for key in REQUIRED if entry.get(key) in (None, "")]
    if missing:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where} lacks {', '.join(missing)}")
    if not ID.match(entry_id):
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: id must be a lowercase slug (a-z, 0-9, . _ -)")
    authority = str(entry["authority"])
    if authority not in AUTHORITIES:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: authority {authority!r} is not one of "
                                    f"{', '.join(sorted(AUTHORITIES))}")
    retrieved = moment(str(entry["retrieved"]))
    if retrieved is None:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: retrieved must be a date such as 2026-01-09 "
                                    "or a timestamp such as 2026-01-09T14:03:22Z")
    archived = moment(str(entry.get("archived") or "")) if entry.get("archived") else ""
    if archived is None:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: archived must be a timestamp such as "
                                    "2022-05-14T12:34:56Z")
    for key in ("url", "final_url", "original_url"):
        if entry.get(key) and not URL.match(str(entry[key])):
            return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                        f"{where}: {key} must be an http(s) URL")
    supersedes = str(entry.get("supersedes") or "")
    if supersedes and (not ID.match(supersedes) or supersedes == entry_id):
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: supersedes must be the id of another entry")
    if not re.fullmatch(r"[0-9a-fA-F]{64}", str(entry["sha256"])):
        shown_value = entry["sha256"] if isinstance(entry["sha256"], str) else \
            f"{entry['sha256']!r} (a number: quote a digest of digits only)"
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: sha256 must be 64 hexadecimal digits, not "
                                    f"{shown_value}")
    occupation = str(entry.get("occupation") or "")
    if occupation and not SOC.match(occupation):
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: occupation must be a SOC code such as 29-2072")
    dataset = str(entry.get("dataset") or "")
    if dataset and dataset not in DATASETS:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: dataset {dataset!r} is not one of "
                                    f"{', '.join(sorted(DATASETS))}")
    period = str(entry.get("period") or "")
    if period and not PERIOD.match(period):
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: period must be a year such as 2024 or a span "
                                    "such as 2024-2034")
    relative = str(entry["path"])
    resolve = resolve or _Resolver(raw_dir, root)
    target = resolve(raw_dir / relative)
    shown = resolve.shown(target)
    if os.path.isabs(relative) or not resolve.within_raw(target):
        return None, _entry_problem("registry-path-outside-raw", entry_id, relative)
    try:
        status = os.stat(target)  # once: the digests' table is looked up by it too
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL
        status = None
    except OSError as exc:  # a link loop, a folder it may not enter
        return None, _entry_problem("registry-file-missing", entry_id, shown,
                                    f"cannot be read: {exc.strerror or exc}")
    if status is None or not S_ISREG(status.st_mode):
        return None, _entry_problem("registry-file-missing", entry_id, shown,
                                    "is a folder, not a file" if status is not None
                                    and S_ISDIR(status.st_mode) else "does not exist")
    try:
        found, _ = digests.digest(target, sniff=lambda data: sniff_format(data, relative),
                                  status=status)
    except OSError as exc:
        return None, _entry_problem("registry-file-missing", entry_id, shown,
                                    f"cannot be read: {exc.strerror or exc}")
    digest = found.sha256
    if digest != str(entry["sha256"]).lower():
        return None, _entry_problem("registry-sha256-mismatch", entry_id, shown,
                                    f"{digest}, not the registered {entry['sha256']}")
    fmt = str(entry.get("format") or found.format)
    if fmt not in FORMATS:
        return None, _entry_problem("registry-invalid-entry", entry_id, shown,
                                    f"{where}: format {fmt!r} is not one of "
                                    f"{', '.join(sorted(FORMATS))}")
    if dataset and fmt not in DATASET_FORMATS:
        return None, _entry_problem("registry-invalid-entry", entry_id, shown,
                                    f"{where}: a dataset is read from "
                                    f"{', '.join(sorted(DATASET_FORMATS))}, not {fmt!r}")
    source = Source(
        id=entry_id, path=shown, format=fmt, sha256=digest, retrieved=retrieved,
        title=str(entry["title"]), authority=authority,
        publisher=str(entry.get("publisher") or ""), url=str(entry.get("url") or ""),
        occupation=occupation, dataset=dataset, period=period, original_url=str(entry.get("original_url") or ""),
        archived=archived, supersedes=supersedes,
    )
    return Capture(source, file=target), None


def moment(text: str) -> str | None:
    """A registry date or timestamp in one spelling: the date as it is, a timestamp in
    UTC with a Z (a timestamp without a zone is taken as UTC); None when it is neither.

    >>> moment("2026-01-09"), moment("2026-01-09T09:03:22-05:00"), moment("2026-02-30")
    ('2026-01-09', '2026-01-09T14:03:22Z', None)
    """
    try:
        if "T" not in text and " " not in text:
            return dt.date.fromisoformat(text).isoformat()
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return stamp.replace(microsecond=0).isoformat() + "Z"


def _shown(path: Path, root: Path, resolved: bool = False) -> str:
    try:
        return str(path.relative_to(root if resolved else root.resolve()))
    except ValueError:
        return str(path)


_SOURCES_KEY = re.compile(r"sources:(?:[ \t]+(?:#.*)?)?\r?\n?")
_ITEM = re.compile(r"-(?:[ \t]|\r?\n|$)")
_BLANK = re.compile(r" *\r?\n?")
_NOT_SPLIT = re.compile("\r(?!\n)|[\u2028\u2029]|"
                        "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What sends a registry to the whole file's parse: line breaks YAML reads that are not
"\n" (a lone CR, NEL, the line and paragraph separators) and characters it does not
accept (controls, DEL, surrogates): the whole file's parse says where."""


def entry_blocks(text: str) -> list[str] | None:
    """The registry's entries, each as the text of its item of the `sources:` list, when
    the file is laid out as careerfacts' registries are: comments and blank lines, the
    one top-level key `sources:`, and its items at one indentation. None for any other
    layout (another top-level key, a directive, tabs, an empty list): that file is
    parsed whole.

    Each block parses on its own as a list of one item equal to that item of the whole
    file: a line at the items' indentation that begins with "- " starts an item unless
    it lies inside a quoted scalar or a flow collection, and then the block before it
    does not parse (an unclosed quote or bracket), which entry_values takes as a file
    to parse whole; so is an alias to another entry's anchor.

    >>> entry_blocks("# pages\\nsources:\\n  - id: a\\n    path: a.txt\\n\\n  - id: b\\n")
    ['  - id: a\\n    path: a.txt\\n\\n', '  - id: b\\n']
    >>> entry_blocks("version: 2\\nsources:\\n  - id: a\\n") is None
    True
    """
    if _NOT_SPLIT.search(text):
        return None
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    at = 0
    while at < len(lines) and (_BLANK.fullmatch(lines[at]) or lines[at].startswith("#")):
        at += 1
    if at == len(lines) or not _SOURCES_KEY.fullmatch(lines[at]):
        return None
    blocks: list[list[str]] = []
    indent = -1
    for line in lines[at + 1:]:
        stripped = line.lstrip(" ")
        if _BLANK.fullmatch(line) or stripped.startswith("#"):
            if blocks:  # a blank or comment line: read with the item it follows
                blocks[-1].append(line)
            continue
        width = len(line) - len(stripped)
        if indent < 0 and _ITEM.match(stripped):
            indent = width  # the items' indentation: the first item's
        if width == indent and _ITEM.match(stripped):
            blocks.append([line])
        elif width > indent >= 0 and not stripped.startswith("\t"):
            blocks[-1].append(line)
        else:
            return None  # another key, a less indented line, a tab: not split here
    return ["".join(block) for block in blocks] or None


def entry_values(text: bytes, known: dict) -> tuple[dict, dict] | None:
    """The registry `{"sources": [...]}` parsed an entry at a time (`entry_blocks`), each
    block taken from `known` (block -> its value, kept by the last parse) or parsed on
    its own; and the blocks of this text with their values. None where the file is to
    be parsed whole: another layout, a block that does not parse alone (the whole file's
    parse says where and why) or holds other than one item."""
    try:
        blocks = entry_blocks(text.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if blocks is None:
        return None
    values: list = []
    kept: dict = {}
    for block in blocks:
        if block in known:
            value = known[block]
        else:
            try:
                parsed = yaml.load(block, Loader=_Loader)
            except yaml.YAMLError:
                return None
            if not isinstance(parsed, list) or len(parsed) != 1:
                return None
            value = parsed[0]
        kept[block] = value
        values.append(value)
    return {"sources": values}, kept


def cached_parse(cache_dir: Path | None, root: Path, text: bytes, parse, entries=None):
    """`parse(text)` of a registry, kept by the text's sha256: a registry of 10,000
    entries takes seconds to parse as YAML and milliseconds to read back. Only plain
    values (what YAML gives) are kept; `parse` may raise, and nothing is kept then.

    With `entries` (a function of the text: the registry as `{"sources": [...]}` whose
    items are parsed one at a time, `entries(text, known)`, or None for a file it cannot
    split; see entry_blocks), a text that changed is not parsed whole: each
    entry's block is looked up in the blocks the last parse kept (`known`, block ->
    value) and only new blocks are parsed. A refresh after one page's entry changed
    parses that entry, not 10,000."""
    if cache_dir is None:
        return parse(text)
    path = Path(cache_dir) / f"registry-{project_key(root)}.pickle"
    digest = hashlib.sha256(text).hexdigest()
    try:
        known_digest, value = unsealed(path.read_bytes())
        if known_digest == digest:
            return value
    except (OSError, ValueError, TypeError):
        pass
    # the blocks in a file of their own: an unchanged registry (a no-op refresh) never
    # reads them
    blocks_path = path.with_name(f"registry-{project_key(root)}-entries.pickle")
    known: dict = {}
    if entries is not None:
        try:
            known = unsealed(blocks_path.read_bytes())
        except (OSError, ValueError):
            pass
    found = entries(text, known if isinstance(known, dict) else {}) \
        if entries is not None else None
    value, blocks = found if found is not None else (parse(text), None)
    try:
        write_atomically(path, sealed((digest, value)))
        if blocks is not None:
            write_atomically(blocks_path, sealed(blocks))
    except (OSError, pickle.PicklingError):
        pass  # a value YAML can give but pickle cannot hold: parsed again next time
    return value


def load_registry(registry: Path, root: Path | None = None, *,
                  cache_dir: Path | None = None, rehash: bool = False
                  ) -> tuple[list[Capture], list[Problem]]:
    """The usable captures of a registry and a problem for each entry that is not.

    With a `cache_dir` (pipeline/cache.py), the parsed registry and each file's digest
    are kept there, so that an unchanged registry is neither parsed nor hashed again;
    `rehash` reads and hashes every file all the same. Raises RegistryError when the
    file itself cannot be used.
    """
    registry = Path(registry)
    root = Path(root) if root is not None else registry.parent.parent
    shown = _shown(registry.resolve(), root)

    def parse(text: bytes):
        return yaml.load(text.decode("utf-8"), Loader=_Loader)

    try:
        document = cached_parse(cache_dir, root, registry.read_bytes(), parse, entry_values)
    except FileNotFoundError:
        raise RegistryError(problem("registry-not-found", path=shown)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(_unreadable(shown, exc)) from None
    digests = FileDigests(cache_dir, root, trust=not rehash)
    resolve = _Resolver(registry.parent, root)
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(_unreadable(shown, document))
    captures: list[Capture] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(document["sources"], start=1):
        entry_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        if entry_id and entry_id in seen:
            problems.append(_entry_problem(
                "registry-duplicate-id", entry_id, str(entry.get("path", "")),
                f"entries {seen[entry_id]} and {number} of {shown}"))
            continue
        if entry_id:
            seen[entry_id] = number
        capture, issue = _check_entry(entry, number, registry.parent, root, digests, resolve)
        if issue is not None:
            problems.append(issue)
        else:
            captures.append(capture)
    digests.save()
    return captures, problems


REGISTRY_HEADER = """\
# The source registry: one entry per captured document in raw/ (see README.md,
# "Adding a source"). `careerfacts capture URL` appends entries here.
sources:
"""


def registry_entries(registry: Path) -> list[dict]:
    """The registry's entries as written (mappings only), in order; [] when the file does
    not exist yet. Raises RegistryError when it cannot be read."""
    registry = Path(registry)
    if not registry.exists():
        return []
    try:
        document = yaml.load(registry.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RegistryError(_unreadable(str(registry), exc)) from None
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(_unreadable(str(registry), document))
    return [e for e in document["sources"] if isinstance(e, dict)]


def _unreadable(path: str, found: object) -> Problem:
    """The `registry-unreadable` problem of a registry that is no YAML (`found` the
    parser's error) or holds no `sources:` list (`found` what it holds)."""
    if isinstance(found, Exception):
        detail = " ".join(str(found).replace('in "<unicode string>", ', "").split())
    else:
        detail = ("it is empty" if found is None else "it holds no `sources:` list"
                  if isinstance(found, dict) else "it is not a mapping") + \
            "; expected a mapping with a `sources:` list"
    return problem("registry-unreadable", path=path, detail=detail)


def append_entry(registry: Path, entry: dict) -> None:
    """Append one entry to the registry, keeping every byte already there (curators'
    comments included), and replace the file atomically.

    The entry is added as text after the last line, in the indentation of the existing
    items; the result is parsed back and must be the old registry plus exactly this
    entry, else nothing is written and RegistryError("registry-not-appendable") says why.

    >>> import tempfile, pathlib
    >>> scratch = tempfile.TemporaryDirectory(); path = pathlib.Path(scratch.name) / "sources.yaml"
    >>> _ = path.write_text("# curated by hand\\nsources:\\n  - id: a  # first\\n    path: a.txt\\n")
    >>> append_entry(path, {"id": "b", "path": "b.html", "http_status": 200})
    >>> print(path.read_text())
    # curated by hand
    sources:
      - id: a  # first
        path: a.txt
    <BLANKLINE>
      - id: b
        path: b.html
        http_status: 200
    <BLANKLINE>
    >>> scratch.cleanup()
    """
    registry = Path(registry)
    text = registry.read_text(encoding="utf-8") if registry.exists() else REGISTRY_HEADER
    before = yaml.load(text, Loader=_Loader)
    items = re.findall(r"^([ \t]*)- ", text, re.M)
    indent = items[0] if items else "  "
    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=10_000,
                           default_flow_style=False)
    block = "".join(indent + line if line.strip() else line
                    for line in block.splitlines(keepends=True))
    head = text if text.endswith("\n") else text + "\n"
    if before and before.get("sources") and not head.endswith("\n\n"):
        head += "\n"
    updated = head + block
    try:
        after = yaml.load(updated, Loader=_Loader)
    except yaml.YAMLError:
        after = None
    expected = yaml.load(yaml.safe_dump(entry), Loader=_Loader)
    if not (isinstance(before, dict) and isinstance(after, dict)
            and isinstance(after.get("sources"), list)
            and after["sources"] == list(before.get("sources") or []) + [expected]
            and {k: v for k, v in after.items() if k != "sources"}
            == {k: v for k, v in before.items() if k != "sources"}):
        raise RegistryError(problem(
            "registry-not-appendable", path=str(registry),
            detail="an entry appended after the last line would not be the last item of "
                   "`sources:`"))
    write_file_atomically(registry, updated.encode("utf-8"))


def write_file_atomically(target: Path, data: bytes, *, replace: bool = True) -> None:
    """Write through a temporary sibling, then rename it into place. With
    `replace=False` an existing file is never overwritten: FileExistsError instead."""
    import os
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        if replace:
            os.replace(temp, target)
        else:
            os.link(temp, target)  # fails if the target exists: no capture is overwritten
    finally:
        if os.path.exists(temp):  # the rename failed, or a link left the temporary name
            os.unlink(temp)
