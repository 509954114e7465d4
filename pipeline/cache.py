"""What a refresh keeps between runs, so that an unchanged document is neither read again
nor extracted again.

    cache_dir/                      $CAREERFACTS_CACHE, else .cache/careerfacts/ in the project
      files-PROJECT.json            each registered file's digest, by its stat (FileDigests)
      registry-PROJECT.pickle       the registry as parsed, by the file's sha256, and
      registry-PROJECT-entries.pickle  its entries' blocks (pipeline/registry.py, cached_parse)
      claims-CODE/ab/abcd….cfx      one document's extraction (ClaimsCache)
      read-CODE/ab/abcd….cfx        one document as a refresh read it (ClaimsCache "read")
      matched-CODE/ab/abcd….cfx     release matching's results for a chunk (ClaimsCache "matched")
      rendered-CODE/KEY/            a chunk of slices reconciled and rendered (RenderedChunks)
      claims-pieces-PROJECT-CODE-SHA  where each piece of a project's published curated/claims
                                    lies (pipeline/tables.py, PublishedPieces)
      official-KEY/                 the official tables (pipeline/official.py)

Everything here is a cache: deleting it costs time, never data. Each file is written
to a temporary sibling and renamed into place, so a reader sees a whole entry or none;
an entry that does not check (torn by a crash, edited, from another version) is
ignored and rebuilt.

**File digests.** Hashing every registered file is most of an unchanged refresh (1.8 GB
for 10,000 pages). A file's sha256 and sniffed format are kept with its stat: size,
mtime_ns, ctime_ns, inode and device. A later run trusts them while the stat is
unchanged. That is safe because a write to a file changes its ctime, which no program
can set back (only the system clock can); a digest is recorded only when the file's
ctime is older than the moment its bytes were read by more than FILE_CLOCK_SLACK, so a
write in the same clock tick as the read (git's "racy" case) cannot hide behind an
unchanged stat; and the registry's own sha256 is still compared with the digest.
`refresh --rehash` ignores the digests and reads every file.

**Claims cache.** A document's extraction (claims, problems, the encoding it was
decoded with, its title candidates) is kept under a key hashing everything it depends
on: the bytes' sha256, the format, the source id and path (they are in every claim and
problem), the registry's occupation and the archive's page date, and — in the folder's
name — the code: EXTRACTOR_VERSION, READER_VERSION, the text of every module of
extractors/ and of the extraction task, and the versions of the parsers (bs4, lxml,
pdfplumber, pypdfium2 …). Any change there is a new folder; the old folders are
removed. Only results that the same bytes always give are kept: a document stopped
by its time limit, or an extractor defect, is extracted again next time.

**Documents read.** What a refresh makes of a document's extraction before any other
document matters — its claims with their occupations resolved (pipeline/occupations.py),
which of them pass the claims contract (schemas/claims.py) and the problems found on
the way — is kept as well, so that an unchanged document costs a refresh one file read
and no Python work per claim: the claims as one Arrow record batch, the rows that
failed the contract and why. Its key adds the document's whole registry entry (the
occupation, the authority and the path count); its folder's name adds the code of the
schemas, of occupation resolution and of the refresh's reading, the versions of
pandas, pandera and pyarrow, and the official tables' own key (the titles and the
crosswalk that occupations are resolved with).

Entries are pickles of plain values (tuples, strings, numbers) behind a checksum, read
with an unpickler that refuses every class: a tampered entry can be wrong at worst,
and it is then refused by its checksum.

**Chunks.** What release matching and reconciliation make of a chunk of slices of keys
is kept under a key naming the chunk's claims by their documents' keys here and their
places in them (pipeline/refresh.py, `chunk_keys`), in a folder whose name hashes the
code, the official tables, the release figures and, for rendered chunks, the decisions:
the next refresh reconciles only the chunks a change reached. Their entries hold
careerfacts' own data classes (claims, matches, facts, the rows of reports), read by
`KnownUnpickler`, which admits those and refuses everything else. Only the latest run's
chunks are kept.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

FILE_CLOCK_SLACK = 2.0
"""Seconds a file must have been left alone before its bytes were read for its digest
to be kept: more than any local file system's timestamp granularity (FAT's is 2 s)."""

CACHE_FORMAT = "1"
MAGIC = b"careerfacts-cache\n"


# --- writing and reading entries ------------------------------------------------------------

def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary sibling renamed into place (no flush: a torn entry
    after a power cut fails its checksum and is rebuilt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


class _PlainUnpickler(pickle.Unpickler):
    """Reads pickles of plain values only: tuples, lists, dicts, strings, numbers, None."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"a cache entry may hold no {module}.{name}")


def sealed(value) -> bytes:
    """A value as bytes behind a checksum (see `unsealed`, and the unpickler it is read
    with: plain values only, unless the reader admits more).

    >>> unsealed(sealed(("utf-8", [("c-1", 1.5, None)])))
    ('utf-8', [('c-1', 1.5, None)])
    """
    payload = pickle.dumps(value, protocol=5)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def unsealed(data: bytes, unpickler: type[pickle.Unpickler] = _PlainUnpickler):
    """The value of `sealed` bytes; ValueError when they are not whole and unaltered.
    `unpickler` says what the value may hold (default: plain values only).

    >>> unsealed(sealed([1, 2])[:-1])
    Traceback (most recent call last):
    ...
    ValueError: the entry fails its checksum
    """
    head = len(MAGIC) + 32
    if not data.startswith(MAGIC) or len(data) < head:
        raise ValueError("not a careerfacts cache entry")
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC):head]:
        raise ValueError("the entry fails its checksum")
    try:
        return unpickler(io.BytesIO(payload)).load()
    except Exception as exc:  # a pickle that checks but holds what we never write
        raise ValueError(f"the entry cannot be read: {exc}") from None


_OWN_MODULES = ("pipeline.", "extractors.", "schemas.")
_KNOWN_CLASSES = {
    ("builtins", name) for name in ("set", "frozenset", "list", "dict", "tuple", "int", "float",
                                    "str", "bytes", "bool", "complex")} | {
    ("collections", "Counter"), ("collections", "OrderedDict"), ("collections", "defaultdict"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer")}


class KnownUnpickler(pickle.Unpickler):
    """Reads pickles of careerfacts' own data: plain values, the data classes (dataclasses
    and named tuples, whose construction only sets fields) of pipeline/, extractors/ and
    schemas/ — claims, facts, discrepancies, matches, the rows of reports — Counter,
    defaultdict and numpy arrays. Anything else (a function, or a class that opens
    files, named by a tampered file) is refused, so that reading a rendered chunk of
    the cache can give a wrong report at worst, never run code."""

    def find_class(self, module, name):
        if (module, name) in _KNOWN_CLASSES:
            return super().find_class(module, name)
        if module.startswith(_OWN_MODULES):
            import dataclasses

            found = super().find_class(module, name)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or (
                    issubclass(found, tuple) and hasattr(found, "_fields"))):
                return found
        raise pickle.UnpicklingError(f"a rendered chunk may hold no {module}.{name}")


def known_loads(data: bytes):
    """`pickle.loads` for what KnownUnpickler reads."""
    return KnownUnpickler(io.BytesIO(data)).load()


def project_key(root: Path) -> str:
    """A project's name in a cache several projects may share (`PROJECT` above)."""
    return hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    """A file's sha256, read a block at a time (a published table is hundreds of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --- file digests ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FileDigest:
    sha256: str
    format: str  # as sniffed from the content and name ("" when not sniffed)


class FileDigests:
    """sha256 (and sniffed format) of a project's files, by their stat.

    `digest(path)` gives the file's bytes only when they had to be read (None when the
    stat was known), and remembers what it read; `save()` writes the table back. With
    `cache_dir` None nothing is kept: every file is read.

    >>> import tempfile, pathlib
    >>> scratch = tempfile.TemporaryDirectory(); folder = pathlib.Path(scratch.name)
    >>> page = folder / "page.txt"; _ = page.write_bytes(b"Median pay: $50,250")
    >>> digests = FileDigests(folder / "cache", folder, now=lambda: time.time() + 60)
    >>> digest, data = digests.digest(page, sniff=lambda data: "text")
    >>> digest.sha256[:12], data
    ('f95913a27372', b'Median pay: $50,250')
    >>> digests.save()
    >>> FileDigests(folder / "cache", folder).digest(page, sniff=lambda data: "text")[1] is None
    True
    >>> scratch.cleanup()
    """

    def __init__(self, cache_dir: Path | None, root: Path, *, trust: bool = True,
                 now=time.time):
        self.path = Path(cache_dir) / f"files-{project_key(root)}.json" if cache_dir else None
        self.now = now
        self.known: dict[str, list] = {}
        self.changed = False
        if trust and self.path is not None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if loaded.get("format") == CACHE_FORMAT:
                    self.known = loaded["files"]
            except (OSError, ValueError, KeyError, AttributeError):
                pass  # no table, or one that does not read: every file is hashed

    @staticmethod
    def _stat_key(stat: os.stat_result) -> list:
        return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]

    def digest(self, path: Path, sniff, status: os.stat_result | None = None
               ) -> tuple[FileDigest, bytes | None]:
        """The file's digest, and its bytes when they were read. `sniff(data)` gives the
        format of bytes that had to be read; `status` is the file's `os.stat` when the
        caller has just taken it. Raises OSError as reading would."""
        name = str(path)
        stat = status if status is not None else os.stat(path)
        key = self._stat_key(stat)
        known = self.known.get(name)
        if known is not None and known[:5] == key:
            return FileDigest(known[5], known[6]), None
        read_at = self.now()
        with open(path, "rb") as handle:
            data = handle.read()
        digest = FileDigest(hashlib.sha256(data).hexdigest(), sniff(data))
        after = os.stat(path)
        settled = after.st_ctime_ns / 1e9 < read_at - FILE_CLOCK_SLACK
        if self._stat_key(after) == key and settled:
            self.known[name] = [*key, digest.sha256, digest.format]
            self.changed = True
        elif name in self.known:
            del self.known[name]
            self.changed = True
        return digest, data

    def save(self) -> None:
        """Write the table back when it changed (a failure to write costs only time)."""
        if not self.changed or self.path is None:
            return
        try:
            write_atomically(self.path, json.dumps(
                {"format": CACHE_FORMAT, "files": self.known}, sort_keys=True).encode("utf-8"))
            self.changed = False
        except OSError:
            pass


# --- the code a result depends on -----------------------------------------------------------

EXTRACTION_LIBRARIES = ("beautifulsoup4", "lxml", "pdfplumber", "pdfminer.six", "pypdfium2",
                        "charset-normalizer", "openpyxl", "xlrd", "soupsieve")
OUTPUT_LIBRARIES = EXTRACTION_LIBRARIES + ("pandas", "numpy", "pyarrow", "pandera", "PyYAML",
                                           "jinja2", "vl-convert-python", "duckdb")


def _versions(names: tuple[str, ...]) -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}==none")
    return found


def code_fingerprint(folders: tuple[str, ...], files: tuple[str, ...] = (),
                     libraries: tuple[str, ...] = (), extra: tuple[str, ...] = (),
                     base: Path | None = None) -> str:
    """A hash of the text of every module in `folders` and of `files` (relative to
    `base`, careerfacts' source root by default), the versions of `libraries`, Python's
    version and `extra`."""
    base = Path(base) if base is not None else Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in (sys.version, *extra, *_versions(libraries)):
        digest.update(part.encode() + b"\0")
    paths = [p for folder in folders for p in sorted((base / folder).glob("*.py"))]
    paths += [base / f for f in files]
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def extraction_fingerprint() -> str:
    """What a document's extraction depends on besides the document (module docstring)."""
    from extractors.claims import CLAIM_COLUMNS, EXTRACTOR_VERSION
    from extractors.official import READER_VERSION

    return code_fingerprint(("extractors",), ("pipeline/extraction.py", "pipeline/cache.py",
                                              "schemas/vocabulary.py"),
                            EXTRACTION_LIBRARIES,
                            (f"extractor={EXTRACTOR_VERSION}", f"reader={READER_VERSION}",
                             f"format={CACHE_FORMAT}", ",".join(CLAIM_COLUMNS)))


READ_LIBRARIES = ("pandas", "pandera", "pyarrow", "numpy")


def read_fingerprint(extraction: str, official_key: str) -> str:
    """What a document read by a refresh depends on besides its registry entry
    (module docstring): `extraction` is the claims cache's fingerprint
    (`extraction_fingerprint`), `official_key` names the official tables."""
    return code_fingerprint(("schemas",), ("pipeline/occupations.py", "pipeline/refresh.py",
                                           "pipeline/store.py", "pipeline/tables.py",
                                           "pipeline/official.py"),
                            READ_LIBRARIES, (extraction, official_key))


# --- the claims cache -----------------------------------------------------------------------

class ClaimsCache:
    """Documents' extractions on disk, under `cache_dir/claims-CODE/` (module docstring).

    `get(key)` gives the plain value `put(key, value)` stored, or None when there is no
    entry or it does not check (the entry is then removed, and the caller extracts again).
    """

    def __init__(self, cache_dir: Path, fingerprint: str | None = None, kind: str = "claims",
                 unpickler: type[pickle.Unpickler] = _PlainUnpickler):
        self.unpickler = unpickler  # what an entry may hold (default: plain values)
        self.cache_dir = Path(cache_dir)
        self.fingerprint = fingerprint or extraction_fingerprint()
        self.kind = kind
        self.folder = self.cache_dir / f"{kind}-{self.fingerprint}"
        self.pruned = False
        self.rejected = 0  # entries that did not check, this run

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.cfx"

    def holds(self, key: str) -> bool:
        """Whether there is an entry for `key` (not whether it checks: `get` says)."""
        return self._path(key).is_file()

    def get(self, key: str):
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return unsealed(data, self.unpickler)
        except ValueError:
            self.reject(key)
            return None

    def reject(self, key: str) -> None:
        """Count and delete an entry that does not check, or that holds another shape
        than its reader takes: its document is read again (and its entry rewritten)."""
        self.rejected += 1
        try:
            self._path(key).unlink()
        except OSError:
            pass

    def put(self, key: str, value) -> None:
        """Store an entry; a cache that cannot be written costs only time."""
        if not self.pruned:
            self._prune()
        try:
            write_atomically(self._path(key), sealed(value))
        except OSError:
            pass

    def retain(self, keys: set[str]) -> None:
        """Remove every entry but those of `keys` (for a cache whose entries only the
        latest run can use: release matching's chunks)."""
        try:
            for path in self.folder.glob("*/*.cfx"):
                if path.stem not in keys:
                    path.unlink(missing_ok=True)
        except OSError:
            pass

    def _prune(self) -> None:
        """Remove the folders of other code: their entries can never be read again."""
        self.pruned = True
        try:
            for old in self.cache_dir.glob(f"{self.kind}-*"):
                if old != self.folder and old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


class RenderedChunks:
    """Chunks of a run's reconciliation, rendered (pipeline/outputs.py), one folder each
    under `folder`: the rows each chunk gives the tables and reports (spill files) and
    `chunk.cfx`, what else it gives them (numbers per claim, counts, the run record's
    entries, the reconciler's state), behind a checksum that also covers every file's
    sha256. A chunk is made in a folder of its own (`making`) and renamed into place
    whole (`put`), so an entry is there whole or not at all; one that does not check is
    removed and its chunk reconciled again.

    A refresh keeps them in the cache (`cache_dir/rendered-CODE/KEY/`, KEY hashing the
    chunk's claims and everything their reconciliation depends on), where an unchanged
    chunk is taken as it is by the next run, or in its own work folder when it caches
    nothing.
    """

    ENTRY = "chunk.cfx"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @classmethod
    def cached(cls, cache_dir: Path, fingerprint: str) -> RenderedChunks:
        """The cache's chunks for code and inputs of `fingerprint`."""
        return cls(Path(cache_dir) / f"rendered-{fingerprint}")

    def holds(self, key: str) -> bool:
        return (self.folder / key / self.ENTRY).is_file()

    def making(self, key: str) -> Path:
        """A new, empty folder to render the chunk of `key` in."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{key[:16]}.", dir=self.folder))

    def put(self, key: str, made: Path, value) -> Path:
        """Seal the chunk rendered in `made` (from `making`) with its `value` and rename
        it into place: the folder that holds it now. An entry already there is kept (a
        child made it before it failed); where the folder cannot be renamed the chunk
        stays in `made`, for this run alone."""
        files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(made.iterdir()) if p.is_file()}
        (made / self.ENTRY).write_bytes(sealed((value, files)))
        try:
            os.rename(made, self.folder / key)
        except OSError:
            if not self.holds(key):
                return made
            shutil.rmtree(made, ignore_errors=True)
        return self.folder / key

    def get(self, key: str, into: Path, checked: bool = True):
        """The value of the chunk of `key`, its files linked (or copied) into the new
        folder `into` first, so that the run reads them there whatever becomes of the
        cache later (another run's `retain`); None when there is no such chunk or it
        does not check (it is then removed). With `checked` False the files are taken
        as they are (a chunk this run made)."""
        folder = self.folder / key
        if not self.holds(key):
            return None
        try:
            into.mkdir(parents=True)
            for path in folder.iterdir():
                try:
                    os.link(path, into / path.name)
                except OSError:  # another file system
                    shutil.copyfile(path, into / path.name)
            return self.read(into, checked)
        except (ValueError, OSError):
            shutil.rmtree(into, ignore_errors=True)
            self.reject(key)
            return None

    def read(self, folder: Path, checked: bool = True):
        """The value of the chunk in `folder`; ValueError when it does not check (with
        `checked` False, its files are taken as they are: a chunk this run made)."""
        value, files = unsealed((Path(folder) / self.ENTRY).read_bytes(), KnownUnpickler)
        for name, digest in files.items() if checked else ():
            if hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest() != digest:
                raise ValueError(f"{name} fails its checksum")
        return value

    def reject(self, key: str) -> None:
        shutil.rmtree(self.folder / key, ignore_errors=True)

    def retain(self, keys: set[str]) -> None:
        """Remove every entry but those of `keys` (a run's chunks), what a run that was
        stopped left half made, and the other folders of rendered chunks (of other code
        or inputs). A run that took a chunk holds links to its files: it reads them
        whatever is removed here."""
        try:
            for other in self.folder.parent.glob("rendered-*"):
                if other != self.folder and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
            for entry in self.folder.iterdir():
                if entry.name not in keys:
                    shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def entry_key(*parts: str) -> str:
    """The key of one document's entry: a hash of what its extraction depends on."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
