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
"""The fixture registry: the four seed pages, the figures of the BLS pages and the shipped
official files, frozen. Tests copy it instead of the project's raw/, which curators change."""
SWALLOWED_ALARM = ("ignore:Exception ignored in.*gc_cumulative_time"
                   ":pytest.PytestUnraisableExceptionWarning")
"""The warning Python gives when an alarm of the time limit lands in hypothesis' garbage-
collector callback and is swallowed there; the next alarm stops the document
(pipeline/limits.py), so tests that run into the limit filter it."""
SEED_IDS = ("seed-000", "seed-001", "seed-002", "seed-003", "bls-pages-medical-records")
"""The fixture's pages (the official files are datasets, read into the releases table)."""


def copy_seed_project(root: Path) -> Path:
    """`root` holding a copy of the seed project's raw/ (pages and sources.yaml)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEED_PROJECT / "raw", root / "raw")
    return root


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


@pytest.fixture(scope="session", autouse=True)
def dask_scratch_in_the_session(tmp_path_factory):
    """Dask's workers keep their scratch space in the session's folder, not in a
    dask-scratch-space/ left behind in the machine's shared temporary folder."""
    import os
    import sys

    os.environ["DASK_TEMPORARY_DIRECTORY"] = str(tmp_path_factory.mktemp("dask"))
    if "dask" in sys.modules:  # read its configuration again, the variable included
        sys.modules["dask"].config.refresh()
    yield


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


def run_from_claims(claims, authorities: dict[str, str], decisions=()):
    """A refresh's Run built from claims stated directly (no documents, no extraction):
    for tests of reconciliation, reports and outputs that must not depend on what the
    extractors read from a page."""
    from pipeline.reconcile import reconcile
    from pipeline.refresh import Run
    from pipeline.registry import Capture, Source
    from pipeline.tables import claims_frame

    captures = [Capture(Source(id=s, path=f"raw/{s}.txt", format="text", sha256="0" * 64,
                               retrieved="2026-01-09", title=f"Page {s}", authority=a), b"")
                for s, a in sorted(authorities.items())]
    valid = claims_frame(list(claims))
    return Run(captures, list(claims), valid, valid.iloc[0:0].assign(failed_checks=""),
               reconcile(list(claims), authorities, list(decisions)))


def stated_claim(value=None, *, source: str, figure: str, metric: str = "wage",
                 statistic: str = "median", unit: str = "USD/year", precision: float = 1.0,
                 period: str = "", period_basis: str = "", stated_in: str = "",
                 occupation: str = "29-2072", low=None, high=None, value_text: str = "",
                 quote: str = "", **more):
    """A claim as a page or an official table states it, built directly with new_claim.

    `period` is "2024", "2022-2032" or "-2032" (through 2032); the quote defaults to the
    figure and the locator is unique per source, figure and period."""
    from extractors.claims import new_claim

    first, _, last = period.lstrip("-").partition("-")
    start = None if not period or period.startswith("-") else int(first)
    end = int(last or first) if period else None
    return new_claim(source_id=source, occupation=occupation, metric=metric,
                     statistic=statistic, unit=unit, value=value, low=low, high=high,
                     value_text=value_text, figure=figure, precision=precision,
                     quote=quote or figure, locator=f"chars=0-{len(quote or figure)};{figure};{period}",
                     method="test", period=period, period_start=start, period_end=end,
                     period_basis=period_basis, stated_in=stated_in, **more)


def pytest_terminal_summary(terminalreporter):
    """The fuzz counts of the session: how many inputs each target ran (tests/test_fuzz.py)."""
    fuzzing = __import__("sys").modules.get("tests.test_fuzz")
    if fuzzing is None or not fuzzing.COUNTS:
        return
    counts = fuzzing.COUNTS
    generated = sum(n for target, n in counts.items() if target != "hostile")
    failed = len(terminalreporter.stats.get("failed", []))
    terminalreporter.write_line(
        f"fuzz: {generated} generated inputs (" + ", ".join(
            f"{target} {n}" for target, n in sorted(counts.items()) if target != "hostile")
        + f") and {counts['hostile']} hostile documents; failing tests: {failed}")
