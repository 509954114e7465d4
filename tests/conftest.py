"""Shared fixtures. Registry/CLI fixtures are prefixed `careerfacts_` to keep them apart
from fixtures added by other test modules."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SEED_PROJECT = REPO / "tests" / "fixtures" / "seed-project"
"""The fixture registry: the four seed pages and the BLS reference table, frozen. Tests
copy it instead of the project's raw/, which curators change."""
SEED_IDS = ("seed-000", "seed-001", "seed-002", "seed-003", "bls-reference")


def copy_seed_project(root: Path) -> Path:
    """`root` holding a copy of the seed project's raw/ (pages and sources.yaml)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEED_PROJECT / "raw", root / "raw")
    return root


@pytest.fixture
def careerfacts_project(tmp_path: Path) -> Path:
    """A project root in tmp_path holding a copy of the seed project's raw/ (pages and
    sources.yaml) and nothing else; `refresh --root` writes curated/ and reports/ there."""
    return copy_seed_project(tmp_path / "project")


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
