"""A curator who registers one valid source must never turn `make test` red: the suite
runs on its own fixture registry, and its checks of the project's registry are generic.

The test copies the project, registers in the copy a valid page that changes the
dataset (another 2024 median for Medical Records Specialists: the median's discrepancy
turns from stale releases into a conflict), and runs the suite there — all of it but the
fuzz suite, which reads no registry, and this test.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO

NEW_PAGE = (b"Medical Records Specialists: Pay Guide 2026\n\n"
            b"2024 Median Pay: $61,000 per year\n")
LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache",
                                  ".hypothesis", ".careerfacts", "*.parquet")


@pytest.mark.suite
def test_registering_a_valid_source_keeps_the_suite_green(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(REPO, copy, ignore=LEFT_OUT)
    (copy / "raw" / "pay_guide_2026.txt").write_bytes(NEW_PAGE)
    registry = copy / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    document["sources"].append({
        "id": "pay-guide-2026", "path": "pay_guide_2026.txt",
        "sha256": hashlib.sha256(NEW_PAGE).hexdigest(), "retrieved": "2026-03-02",
        "title": "Medical Records Specialists: Pay Guide 2026", "authority": "secondary",
        "occupation": "29-2072"})
    registry.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m",
         "not fuzz and not suite", "--basetemp", str(tmp_path / "inner")],
        cwd=copy, capture_output=True, text=True, timeout=1800)

    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
