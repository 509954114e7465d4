"""Shared fixtures. Registry/CLI fixtures are prefixed `careerfacts_` to keep them apart
from fixtures added by other test modules."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def careerfacts_shared_cache(tmp_path_factory):
    """One cache of the official tables for the whole session: the cache is keyed by the
    files' content, so the copies of raw/ the tests refresh share it instead of reading
    the spreadsheets again (several seconds) for every temporary project."""
    import os

    previous = os.environ.get("CAREERFACTS_CACHE")
    os.environ["CAREERFACTS_CACHE"] = str(tmp_path_factory.mktemp("careerfacts-cache"))
    yield Path(os.environ["CAREERFACTS_CACHE"])
    if previous is None:
        os.environ.pop("CAREERFACTS_CACHE", None)
    else:
        os.environ["CAREERFACTS_CACHE"] = previous


@pytest.fixture
def careerfacts_project(tmp_path: Path) -> Path:
    """A project root in tmp_path holding a copy of the repository's raw/ (pages and
    sources.yaml) and nothing else; `refresh --root` writes curated/ and reports/ there."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "raw", root / "raw")
    return root


@pytest.fixture
def careerfacts_register_page():
    """Add a page to `<root>/raw/` and an entry for it to `<root>/raw/sources.yaml`.

    The entry gets the page's true sha256 unless `sha256=` is given; pass `data=None` to
    register a file that does not exist. Returns the entry as written."""
    def register(root: Path, source_id: str, filename: str, data: bytes | None,
                 **overrides) -> dict:
        raw = root / "raw"
        if data is not None:
            (raw / filename).write_bytes(data)
        entry = {
            "id": source_id,
            "path": filename,
            "sha256": hashlib.sha256(data if data is not None else b"").hexdigest(),
            "retrieved": "2026-01-09",
            "title": f"Test page {source_id}",
            "authority": "secondary",
            **overrides,
        }
        registry = raw / "sources.yaml"
        document = yaml.safe_load(registry.read_text(encoding="utf-8"))
        document["sources"].append(entry)
        registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return entry
    return register
