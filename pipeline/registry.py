"""The source registry, `raw/sources.yaml`: one entry per captured document.

Loading checks every entry and returns the good ones with their bytes, plus a problem
for each bad one, so one broken entry never stops the others:

>>> import tempfile, pathlib, hashlib
>>> raw = pathlib.Path(tempfile.mkdtemp())
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
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from extractors.document import sniff_format
from schemas.problems import Problem, problem
from schemas.vocabulary import AUTHORITIES, DATASET_FORMATS, DATASETS, FORMATS

REQUIRED = ("id", "path", "sha256", "retrieved", "title", "authority")
OPTIONAL = ("format", "publisher", "url", "occupation", "notes", "dataset", "period")
ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SOC = re.compile(r"^\d{2}-\d{4}$")
PERIOD = re.compile(r"^\d{4}(-\d{4})?$")


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: `retrieved: 2026-02-30` stays a string for the entry's
    own check instead of failing the whole file."""


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
    retrieved: str  # ISO date
    title: str
    authority: str
    publisher: str = ""
    url: str = ""
    occupation: str = ""
    dataset: str = ""  # an official file read as a table of releases or a classification
    #                   ("oews-national", "soc-crosswalk" …); "" for a page
    period: str = ""  # the reference period of an official file, when it does not say itself


@dataclass(frozen=True)
class Capture:
    """A registered source with the bytes of its document, checked against its sha256."""

    source: Source
    data: bytes


def _entry_problem(code: str, entry_id: str, path: str = "", detail: str = "") -> Problem:
    return problem(code, source_id=entry_id, path=path, detail=detail)


def _check_entry(entry: object, number: int, raw_dir: Path, root: Path
                 ) -> tuple[Capture | None, Problem | None]:
    where = f"entry {number}"
    if not isinstance(entry, dict):
        return None, _entry_problem("registry-invalid-entry", "", "",
                                    f"{where} is not a mapping of keys to values")
    entry_id = str(entry.get("id", ""))
    if entry_id:
        where = f"entry {number} ({entry_id!r})"
    unknown = sorted(set(map(str, entry)) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        return None, _entry_problem(
            "registry-invalid-entry", entry_id, "",
            f"{where} has unknown key(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(REQUIRED + OPTIONAL)}")
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
    try:
        retrieved = dt.date.fromisoformat(str(entry["retrieved"]))
    except ValueError:
        retrieved = None
    if retrieved is None:
        return None, _entry_problem("registry-invalid-entry", entry_id, "",
                                    f"{where}: retrieved must be a date such as 2026-01-09")
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
    target = (raw_dir / relative).resolve()
    shown = _shown(target, root)
    if Path(relative).is_absolute() or not target.is_relative_to(raw_dir.resolve()):
        return None, _entry_problem("registry-path-outside-raw", entry_id, relative)
    if not target.is_file():
        return None, _entry_problem("registry-file-missing", entry_id, shown)
    data = target.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != str(entry["sha256"]).lower():
        return None, _entry_problem("registry-sha256-mismatch", entry_id, shown,
                                    f"{digest}, not the registered {entry['sha256']}")
    fmt = str(entry.get("format") or sniff_format(data, relative))
    if fmt not in FORMATS:
        return None, _entry_problem("registry-invalid-entry", entry_id, shown,
                                    f"{where}: format {fmt!r} is not one of "
                                    f"{', '.join(sorted(FORMATS))}")
    if dataset and fmt not in DATASET_FORMATS:
        return None, _entry_problem("registry-invalid-entry", entry_id, shown,
                                    f"{where}: a dataset is read from "
                                    f"{', '.join(sorted(DATASET_FORMATS))}, not {fmt!r}")
    source = Source(
        id=entry_id, path=shown, format=fmt, sha256=digest, retrieved=retrieved.isoformat(),
        title=str(entry["title"]), authority=authority,
        publisher=str(entry.get("publisher") or ""), url=str(entry.get("url") or ""),
        occupation=occupation, dataset=dataset, period=period,
    )
    return Capture(source, data), None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


def load_registry(registry: Path, root: Path | None = None) -> tuple[list[Capture], list[Problem]]:
    """The usable captures of a registry and a problem for each entry that is not.

    Raises RegistryError when the file itself cannot be used.
    """
    registry = Path(registry)
    root = Path(root) if root is not None else registry.parent.parent
    shown = _shown(registry.resolve(), root)
    try:
        document = yaml.load(registry.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise RegistryError(problem("registry-unreadable", path=shown,
                                    detail="file not found")) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise RegistryError(problem("registry-unreadable", path=shown, detail=detail)) from None
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise RegistryError(problem("registry-unreadable", path=shown,
                                    detail="expected a mapping with a `sources:` list"))
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
        capture, issue = _check_entry(entry, number, registry.parent, root)
        if issue is not None:
            problems.append(issue)
        else:
            captures.append(capture)
    return captures, problems
