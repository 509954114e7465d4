"""The `careerfacts` command line: exit codes (0 clean, 1 data problems, 2 usage or
configuration errors, 3 internal errors), what it writes, and what it tells people."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.outputs
import pipeline.publish
from pipeline.cli import main
from tests import conftest

REPO = Path(__file__).resolve().parent.parent
SEED_IDS = set(conftest.SEED_IDS)


def registered() -> int:
    """Sources in the fixture registry the tests refresh (pages and official files)."""
    import yaml
    registry = conftest.SEED_PROJECT / "raw" / "sources.yaml"
    return len(yaml.safe_load(registry.read_text())["sources"])
OUTPUTS = [
    "curated/claims.csv", "curated/claims.parquet",
    "curated/facts.csv", "curated/facts.parquet",
    "curated/discrepancies.csv", "curated/discrepancies.parquet",
    "curated/sources.csv", "curated/sources.parquet",
    "curated/quarantine.csv", "curated/page_changes.csv", "curated/releases.parquet",
    "reports/discrepancies.md", "reports/problems.csv",
    "reports/index.html", "curated/careerfacts.duckdb",
]
VIEWS = ("reports/index.html", "curated/careerfacts.duckdb")
"""Outputs rebuilt by every refresh that need not be byte-identical (the run they show,
DuckDB's file layout): git-ignored, like the history beside them."""
OFFICIAL = ("oews-national-", "ep-occupation-")


def page_sources(root: Path) -> set[str]:
    """Sources of the claims, but the official files (whose figures join the pages')."""
    return {s for s in claim_sources(root) if not s.startswith(OFFICIAL)}

UNDECODABLE = b"\x81\x8d\x8f\x90\x9d" * 50  # bytes that are neither UTF-8 nor cp1252
NUL_BYTES = b"Median pay: $50,250\x00\x00\x00\x01\x02" * 10
NO_FIGURES = b"Welcome to our site. Contact us.\n"


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def refresh(root: Path, *extra: str):
    return run_cli(*extra, "refresh", "--root", root)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under curated/ and reports/, hidden ones included, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("curated", "reports") if (root / folder).is_dir()
            for p in sorted((root / folder).iterdir()) if p.is_file()}


def claim_sources(root: Path) -> set[str]:
    text = (root / "curated" / "claims.csv").read_text(encoding="utf-8")
    return {row["source_id"] for row in csv.DictReader(io.StringIO(text))}


def problem_rows(root: Path) -> list[dict]:
    text = (root / "reports" / "problems.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"exception escaped: {result.exception!r}")


# --- the installed script ------------------------------------------------------------------

def test_installed_script_help_exits_zero():
    script = Path(sys.executable).with_name("careerfacts")

    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert "refresh" in done.stdout and "extract" in done.stdout


# --- help and flags ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["refresh", "--help"], ["extract", "--help"],
                                  ["capture", "--help"], ["diff", "--help"],
                                  ["history", "--help"], ["-h"]],
                         ids=["main", "refresh", "extract", "capture", "diff", "history",
                              "short"])
def test_help_exits_zero_and_shows_an_example(args):
    result = run_cli(*args)

    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def _commands():
    from pipeline.cli import main
    return [("main", main, [])] + [(name, command, [name])
                                   for name, command in sorted(main.commands.items())]


@pytest.mark.parametrize("name,command,args", _commands(), ids=[c[0] for c in _commands()])
def test_help_shows_each_example_on_a_line_of_its_own(name, command, args):
    examples = [line.strip() for line in command.help.splitlines()
                if line.strip().startswith("careerfacts ")]
    assert examples, f"{name}'s docstring gives no example"

    shown = {line.strip() for line in run_cli(*args, "--help").output.splitlines()}

    assert [e for e in examples if e not in shown] == []


def test_refresh_help_names_every_file_a_refresh_writes():
    text = " ".join(run_cli("refresh", "--help").output.split())
    for name in ("claims", "facts", "discrepancies", "sources"):
        assert name in text.split("curated/{", 1)[1].split("}", 1)[0]
    for path in ("curated/quarantine.csv", "curated/page_changes.csv",
                 "curated/releases.parquet", "reports/discrepancies.md", "reports/problems.csv"):
        assert path in text, path


def test_debug_flag_is_accepted(careerfacts_project):
    result = refresh(careerfacts_project, "--debug")

    assert result.exit_code == 0, result.output


def test_unknown_option_is_a_usage_error():
    result = run_cli("refresh", "--no-such-option")

    assert result.exit_code == 2


# --- a clean refresh -----------------------------------------------------------------------

def test_clean_refresh_exits_zero_and_writes_every_output(careerfacts_project):
    root = careerfacts_project

    result = refresh(root)

    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    for relative in OUTPUTS:
        assert (root / relative).is_file(), relative
        assert (root / relative).stat().st_size > 0, relative
    assert sorted(snapshot(root)) == sorted(OUTPUTS)
    assert page_sources(root) == SEED_IDS
    assert problem_rows(root) == []


def test_clean_refresh_summary_mentions_sources_claims_facts_discrepancies(careerfacts_project):
    result = refresh(careerfacts_project)

    assert result.exit_code == 0, result.output
    for word in ("sources", "claims", "facts", "discrepancies"):
        assert re.search(rf"^{word}\s+\d+", result.output, re.MULTILINE), (word, result.output)
    assert re.search(rf"^sources\s+{registered()} registered and readable", result.output, re.MULTILINE)
    assert "problems" not in result.output


def test_refresh_is_deterministic_across_project_copies(careerfacts_project, tmp_path):
    import shutil
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(careerfacts_project / "raw", other / "raw")

    first = refresh(careerfacts_project)
    second = refresh(other)

    assert first.exit_code == second.exit_code == 0
    a, b = snapshot(careerfacts_project), snapshot(other)
    assert sorted(a) == sorted(OUTPUTS)
    assert a.keys() == b.keys()
    for name in set(a) - set(VIEWS):
        assert a[name] == b[name], f"{name} differs between two refreshes"
    # the report differs only in the moments of the run it shows
    assert untimed(a["reports/index.html"]) == untimed(b["reports/index.html"])


def untimed(html: bytes) -> bytes:
    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"TIME", html)


def committed(files: dict[str, bytes]) -> dict[str, bytes]:
    """The outputs of a snapshot that are byte-identical for identical inputs."""
    return {name: data for name, data in files.items() if name not in VIEWS}


def test_second_refresh_changes_no_file_and_records_its_run(careerfacts_project):
    root = careerfacts_project
    first = refresh(root)
    before = committed(snapshot(root))
    published = [*before, "reports/index.html", "curated/careerfacts.duckdb"]
    mtimes = {name: (root / name).stat().st_mtime_ns for name in published}

    second = refresh(root)

    # every output and the run's record in curated/history/
    files = len(OUTPUTS) + 1
    assert first.exit_code == second.exit_code == 0
    assert re.search(rf"\b{files} of {files} output files changed", first.output)
    # nothing changed: no output is written again, and the run is recorded all the same
    assert re.search(rf"\b0 of {files} output files changed", second.output), second.output
    assert committed(snapshot(root)) == before
    assert {name: (root / name).stat().st_mtime_ns for name in published} == mtimes
    assert sorted(p.name for p in (root / "curated" / "history").iterdir()) == [
        "run-0001.json", "run-0002.json"]
    assert "run            2 recorded" in second.output
    assert "no change since run 1" in second.output


def test_a_refresh_that_leaves_the_database_counts_it_among_the_outputs(careerfacts_project):
    root = careerfacts_project
    files = len(OUTPUTS) + 1  # every output and the run's record
    assert re.search(rf"\b{files} of {files} output files changed", refresh(root).output)

    again = run_cli("refresh", "--root", root, "--rehash")  # the same tables: database kept

    assert re.search(rf"\b\d+ of {files} output files changed", again.output), again.output


# --- bad input: exit 1, the bad source is named, the others are still processed -------------

def _assert_bad_source_reported(result, root: Path, source_id: str, shown_path: str,
                                code: str) -> None:
    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    assert source_id in result.output
    assert shown_path in result.output
    assert code in result.output
    assert page_sources(root) == SEED_IDS
    assert [(r["code"], r["source_id"]) for r in problem_rows(root)] == [(code, source_id)]


@pytest.mark.parametrize("data", [UNDECODABLE, NUL_BYTES], ids=["not-text", "nul-bytes"])
def test_refresh_reports_undecodable_page_and_processes_the_others(
        careerfacts_project, careerfacts_register_page, data):
    root = careerfacts_project
    careerfacts_register_page(root, "bad-page", "bad_page.txt", data)

    result = refresh(root)

    _assert_bad_source_reported(result, root, "bad-page", "raw/bad_page.txt",
                                "document-undecodable")


def test_refresh_reports_empty_page_and_processes_the_others(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "empty-page", "empty_page.txt", b"")

    result = refresh(root)

    _assert_bad_source_reported(result, root, "empty-page", "raw/empty_page.txt",
                                "document-empty")


def test_refresh_reports_whitespace_only_page_as_empty(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "blank-page", "blank_page.txt", b" \n\t\r\n")

    result = refresh(root)

    _assert_bad_source_reported(result, root, "blank-page", "raw/blank_page.txt",
                                "document-empty")


def test_refresh_reports_page_without_figures_and_processes_the_others(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "no-figures", "no_figures.txt", NO_FIGURES)

    result = refresh(root)

    _assert_bad_source_reported(result, root, "no-figures", "raw/no_figures.txt",
                                "document-no-figures")


def test_refresh_reports_sha256_mismatch_and_processes_the_others(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "changed-page", "changed_page.txt",
                              b"2024 Median Pay: $61,000 per year\n", sha256="0" * 64)

    result = refresh(root)

    _assert_bad_source_reported(result, root, "changed-page", "raw/changed_page.txt",
                                "registry-sha256-mismatch")


def test_refresh_reports_missing_file_and_processes_the_others(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "gone-page", "gone_page.txt", None)

    result = refresh(root)

    _assert_bad_source_reported(result, root, "gone-page", "raw/gone_page.txt",
                                "registry-file-missing")


def test_refresh_summary_does_not_count_a_document_that_cannot_be_opened_as_readable(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "broken-pdf", "broken.pdf", b"%PDF-1.7\n1 0 obj garbage")

    result = refresh(root)

    assert re.search(rf"^sources\s+{registered() + 1} registered, {registered()} readable, "
                     "1 with problems$", result.output, re.MULTILINE), result.output


def test_refresh_summary_counts_the_source_with_problems(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "gone-page", "gone_page.txt", None)

    result = refresh(root)

    assert re.search(rf"^sources\s+{registered() + 1} registered, {registered()} readable, "
                     "1 with problems$", result.output, re.MULTILINE)
    assert re.search(r"^problems\s+1:", result.output, re.MULTILINE)


# --- a registry that cannot be read: exit 2, outputs untouched -----------------------------

def test_refresh_with_invalid_yaml_registry_exits_2_and_keeps_outputs(careerfacts_project):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    before = snapshot(root)
    (root / "raw" / "sources.yaml").write_text("sources:\n  - {id: seed-000, path: [\n",
                                               encoding="utf-8")

    result = refresh(root)

    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    assert "raw/sources.yaml" in result.output
    assert "registry-unreadable" in result.output
    assert snapshot(root) == before


def test_refresh_with_missing_registry_exits_2(tmp_path):
    result = refresh(tmp_path)

    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    assert "raw/sources.yaml" in result.output
    assert not (tmp_path / "curated").exists()


# --- atomic outputs ------------------------------------------------------------------------

def _fail_rendering(*args, **kwargs):
    raise RuntimeError("rendering blew up")


def test_failed_rendering_leaves_previous_outputs_and_no_temporary_files(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    before = snapshot(root)
    # a new source, so that a successful run would change the outputs
    careerfacts_register_page(root, "new-page", "new_page.txt",
                              b"2024 Median Pay: $61,000 per year\n")
    monkeypatch.setattr(pipeline.outputs, "discrepancy_report", _fail_rendering)

    refresh(root)

    assert snapshot(root) == before
    hidden = [p.name for folder in ("curated", "reports") for p in (root / folder).iterdir()
              if p.name.startswith(".")]
    assert hidden == []
    # a run that published nothing is not recorded
    assert [p.name for p in (root / "curated" / "history").iterdir()] == ["run-0001.json"]


def test_failed_rendering_is_an_internal_error_with_a_one_line_message(
        careerfacts_project, monkeypatch):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    monkeypatch.setattr(pipeline.outputs, "discrepancy_report", _fail_rendering)

    result = run_cli("refresh", "--root", root, "--rehash")  # nothing changed: run all the same

    assert result.exit_code == 3, result.output
    assert_no_traceback(result)
    assert "RuntimeError: rendering blew up" in result.output
    assert "--debug" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("where", ["before the command", "after it"])
def test_failed_rendering_with_debug_raises_for_the_traceback(careerfacts_project, monkeypatch,
                                                              where):
    monkeypatch.setattr(pipeline.outputs, "discrepancy_report", _fail_rendering)

    result = refresh(careerfacts_project, "--debug") if where == "before the command" else \
        run_cli("refresh", "--root", careerfacts_project, "--debug")

    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code != 0


def _fail_third_fsync(monkeypatch) -> list:
    """Make the third staged output fail to reach the disk, as on a full disk (the
    publish's own flushes, in the refresh's thread, are counted; the flushes of finished
    files started in the background go through)."""
    import threading

    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd):
        if threading.current_thread() is not threading.main_thread():
            return real_fsync(fd)
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.publish.os, "fsync", failing_fsync)
    return calls


def _visible(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if not Path(name).name.startswith(".")}


def test_failed_write_leaves_previous_outputs_and_exits_3(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    before = snapshot(root)
    careerfacts_register_page(root, "new-page", "new_page.txt",
                              b"2024 Median Pay: $61,000 per year\n")
    calls = _fail_third_fsync(monkeypatch)

    result = refresh(root)

    assert len(calls) == 3
    assert result.exit_code == 3, result.output
    assert_no_traceback(result)
    assert "No space left on device" in result.output
    assert _visible(snapshot(root)) == before
    assert not (root / ".careerfacts" / "publish").exists()  # the staging is discarded


def test_failed_write_leaves_no_temporary_files(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    careerfacts_register_page(root, "new-page", "new_page.txt",
                              b"2024 Median Pay: $61,000 per year\n")
    _fail_third_fsync(monkeypatch)

    refresh(root)

    assert [name for name in snapshot(root) if Path(name).name.startswith(".")] == []


def test_failed_rename_says_which_outputs_were_replaced_and_the_next_run_completes_them(
        careerfacts_project, careerfacts_register_page, monkeypatch, tmp_path):
    root = careerfacts_project
    assert refresh(root).exit_code == 0
    before = snapshot(root)
    careerfacts_register_page(root, "new-page", "new_page.txt",
                              b"2024 Median Pay: $61,000 per year\n", occupation="29-2072")
    expected = copy_seed_project_with(root, tmp_path / "expected")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):  # the commit, one output, then a failure
        if not Path(dst).is_relative_to(root):  # the caches' writes are not the publish
            return real_replace(src, dst)
        calls.append(dst)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    with monkeypatch.context() as patched:
        patched.setattr(pipeline.publish.os, "replace", failing_replace)
        result = refresh(root)

    # After the commit point the run's set is the published one: the message says that
    # one file is new and the rest are staged for the next command to complete.
    assert result.exit_code == 3, result.output
    assert_no_traceback(result)
    assert "failed part way" in result.output
    assert "1 file(s) had already been replaced" in result.output
    assert "Nothing was written" not in result.output
    after = snapshot(root)
    assert [name for name in after if Path(name).name.startswith(".")] == []
    assert sum(after[name] != before[name] for name in before) == 1

    completed = refresh(root)

    assert completed.exit_code == 0, completed.output
    assert "recovered: completed an interrupted publish" in completed.output
    assert committed(snapshot(root)) == committed(snapshot(expected))
    # the interrupted run's record was completed too: the next run is numbered after it
    assert sorted(p.name for p in (root / "curated" / "history").iterdir()) == [
        "run-0001.json", "run-0002.json", "run-0003.json"]


def copy_seed_project_with(root: Path, other: Path) -> Path:
    """A copy of `root`'s raw/ refreshed in `other`: the outputs `root` should end with."""
    import shutil
    other.mkdir()
    shutil.copytree(root / "raw", other / "raw")
    assert refresh(other).exit_code == 0
    return other


# --- extract ------------------------------------------------------------------------------

SEED_001 = conftest.SEED_PROJECT / "raw" / "001_ff2dfab91b0d996c.txt"


def test_extract_prints_one_sorted_json_object_per_line():
    result = run_cli("extract", SEED_001)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        claim = json.loads(line)
        assert list(claim) == sorted(claim)
        assert line == json.dumps(claim, sort_keys=True, ensure_ascii=False)
        assert claim["claim_id"]
        assert claim["metric"]
        assert claim["quote"]
        assert claim["locator"].startswith("chars=")


def test_extract_finds_the_2024_median_annual_wage_of_seed_001():
    result = run_cli("extract", SEED_001)

    claims = [json.loads(line) for line in result.stdout.splitlines()]
    matches = [c for c in claims if (c["metric"], c["statistic"], c["unit"]) ==
               ("wage", "median", "USD/year") and c["value"] == 50250]
    assert matches, claims
    assert matches[0]["period"] == "2024"
    assert "$50,250" in matches[0]["quote"]


def test_extract_quotes_are_verbatim_at_their_locator():
    text = SEED_001.read_text(encoding="utf-8")

    result = run_cli("extract", SEED_001)

    for claim in map(json.loads, result.stdout.splitlines()):
        start, end = map(int, claim["locator"].removeprefix("chars=").split("-"))
        assert claim["quote"] in text[start:end] or text[start:end] in claim["quote"]


def test_extract_uses_source_id_option_or_file_stem(tmp_path):
    page = tmp_path / "My_Page.txt"
    page.write_bytes(b"2024 Median Pay: $50,250 per year\n")

    default = run_cli("extract", page)
    named = run_cli("extract", "--source-id", "demo", page)

    assert {json.loads(line)["source_id"] for line in default.stdout.splitlines()} == {"my_page"}
    assert {json.loads(line)["source_id"] for line in named.stdout.splitlines()} == {"demo"}


@pytest.mark.parametrize("name, data, code", [
    ("empty.txt", b"", "document-empty"),
    ("garbage.txt", UNDECODABLE, "document-undecodable"),
    ("binary.txt", NUL_BYTES, "document-undecodable"),
    ("welcome.txt", NO_FIGURES, "document-no-figures"),
], ids=["empty", "undecodable", "nul-bytes", "no-figures"])
def test_extract_of_unusable_page_exits_1_with_one_line_naming_the_file(tmp_path, name, data,
                                                                        code):
    page = tmp_path / name
    page.write_bytes(data)

    result = run_cli("extract", page)

    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    assert result.stdout == ""
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(page) in lines[0]
    assert code in lines[0]


def test_extract_of_nonexistent_file_is_a_usage_error(tmp_path):
    missing = tmp_path / "nothere.txt"

    result = run_cli("extract", missing)

    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    assert "nothere.txt" in result.output


def test_extract_accepts_debug_flag():
    result = run_cli("--debug", "extract", SEED_001)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


# --- a registry entry without an occupation --------------------------------------------------

def test_a_source_without_an_occupation_is_reported_and_its_figures_kept(
        careerfacts_project, careerfacts_register_page):
    root = careerfacts_project
    careerfacts_register_page(root, "no-soc", "no_soc.txt",
                              b"Pay guide\n\nMedian annual wage: $61,250\n")

    result = refresh(root)

    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    assert [(r["code"], r["severity"], r["source_id"], r["path"]) for r in problem_rows(root)] == [
        ("occupation-unresolved", "warning", "no-soc", "raw/no_soc.txt")]
    assert "occupation-unresolved" in result.output and "raw/sources.yaml" in result.output
    assert "no-soc" in claim_sources(root)  # nothing lost
    assert re.search(rf"^sources\s+{registered() + 1} registered and readable\n", result.output,
                     re.MULTILINE)


# --- where the project is ------------------------------------------------------------------

def test_refresh_finds_the_project_from_a_folder_inside_it(careerfacts_project, monkeypatch):
    monkeypatch.chdir(careerfacts_project / "raw")

    result = run_cli("refresh")

    assert result.exit_code == 0, result.output
    assert (careerfacts_project / "curated" / "claims.csv").is_file()
    assert not (careerfacts_project / "raw" / "curated").exists()


def test_refresh_outside_a_project_says_so_and_how_to_name_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = run_cli("refresh")

    assert result.exit_code == 2, result.output
    assert_no_traceback(result)
    assert "no careerfacts project" in result.output and "--project DIR" in result.output
    assert "YAML" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written where it was run


def test_project_option_names_the_project_from_elsewhere(careerfacts_project, tmp_path,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = run_cli("--project", careerfacts_project, "refresh")

    assert result.exit_code == 0, result.output
    assert page_sources(careerfacts_project) == SEED_IDS


def test_a_missing_registry_is_not_called_a_yaml_syntax_error(tmp_path):
    result = run_cli("--project", tmp_path, "refresh")

    assert result.exit_code == 2
    assert "registry-not-found" in result.output and "YAML" not in result.output


# --- machine-readable and quiet refreshes --------------------------------------------------

def test_refresh_json_prints_one_summary_object(careerfacts_project, careerfacts_register_page):
    careerfacts_register_page(careerfacts_project, "empty-page", "empty_page.txt", b"")

    result = run_cli("--project", careerfacts_project, "refresh", "--json")

    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["exit_code"] == 1
    assert summary["sources"] == {"registered": registered() + 1, "readable": registered(),
                                  "with_problems": ["empty-page"]}
    assert summary["claims"]["valid"] + summary["claims"]["quarantined"] == \
        summary["claims"]["extracted"] > 0
    assert set(summary["discrepancies"]["queue"]) == {"open", "decided", "explained"}
    assert sum(summary["discrepancies"]["queue"].values()) == summary["discrepancies"]["total"]
    assert [(p["code"], p["source_id"], p["path"]) for p in summary["problems"]] == [
        ("document-empty", "empty-page", "raw/empty_page.txt")]
    assert "curated/claims.csv" in summary["outputs"]["files"]
    assert sorted(summary["outputs"]["changed"]) == summary["outputs"]["files"]


def test_refresh_json_reports_a_fatal_error_as_json_too(tmp_path):
    result = run_cli("--project", tmp_path, "refresh", "--json")

    assert result.exit_code == 2
    assert json.loads(result.stdout)["exit_code"] == 2
    assert "registry-not-found" in json.loads(result.stdout)["error"]


def test_refresh_quiet_prints_nothing_when_clean_and_problems_when_not(
        careerfacts_project, careerfacts_register_page):
    clean = run_cli("--project", careerfacts_project, "refresh", "--quiet")
    careerfacts_register_page(careerfacts_project, "empty-page", "empty_page.txt", b"")
    troubled = run_cli("--project", careerfacts_project, "refresh", "-q")

    assert (clean.exit_code, clean.output) == (0, "")
    assert troubled.exit_code == 1 and troubled.stdout == ""
    assert "document-empty" in troubled.stderr


# --- a long document shows progress; one past its time limit is a problem -------------------

def _slow_extract(seconds: float, slow_source: str):
    from extractors import extract as real

    def extract(doc):
        if doc.source_id == slow_source:
            end = time.monotonic() + seconds
            while time.monotonic() < end:  # Python code, as an extractor's is
                sum(range(1000))
        return real(doc)
    return extract


def test_a_document_that_takes_long_is_shown_while_it_runs(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    import pipeline.cli
    import pipeline.extraction
    careerfacts_register_page(careerfacts_project, "slow-page", "slow_page.txt",
                              b"2024 Median Pay: $61,000 per year\n", occupation="29-2072")
    monkeypatch.setattr(pipeline.extraction, "extract", _slow_extract(2.5, "slow-page"))
    monkeypatch.setattr(pipeline.cli, "STILL_RUNNING_AFTER", 1.0)

    result = run_cli("--project", careerfacts_project, "refresh")

    assert result.exit_code == 0, result.output
    assert re.search(r"still extracting \d+/\d+: slow-page after [12] s", result.stderr), result.stderr


@pytest.mark.filterwarnings(conftest.SWALLOWED_ALARM)
def test_a_document_past_its_time_limit_is_reported_and_the_others_are_processed(
        careerfacts_project, careerfacts_register_page, monkeypatch):
    import pipeline.extraction
    # bytes no other test registers: a page another test extracted is in the claims cache
    careerfacts_register_page(careerfacts_project, "slow-page", "slow_page.txt",
                              b"2024 Median Pay: $61,300 per year\n", occupation="29-2072")
    monkeypatch.setattr(pipeline.extraction, "extract", _slow_extract(30, "slow-page"))
    started = time.monotonic()

    result = run_cli("--project", careerfacts_project, "refresh", "--time-limit", "0.5")

    assert time.monotonic() - started < 20
    assert result.exit_code == 1, result.output
    assert_no_traceback(result)
    assert [(r["code"], r["source_id"]) for r in problem_rows(careerfacts_project)] == [
        ("document-time-limit", "slow-page")]
    assert "stopped after 0.5 s" in result.output and "--time-limit" in result.output
    assert page_sources(careerfacts_project) == SEED_IDS


# --- extract: every format the README lists, and a reader that stops early -------------------

def test_extract_reads_a_csv_table_with_format_csv(tmp_path):
    table = tmp_path / "table.txt"  # the name does not say CSV: --format does
    table.write_bytes((REPO / "tests" / "golden" / "reference-table" / "input.csv").read_bytes())

    result = run_cli("extract", "--format", "csv", table)

    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert claims and all(c["locator"].startswith("csv:row=") for c in claims)


def test_extract_into_head_stops_quietly_with_exit_0(tmp_path):
    rows = "".join(f"29-{2000 + i:04d},Occupation {i},wage,median,USD/year,{40000 + i},2024,"
                   "OEWS,official,https://www.bls.gov/oes/,\n" for i in range(3000))
    table = tmp_path / "big.csv"
    table.write_text("soc,title,metric,statistic,unit,value,period,program,status,source,note\n"
                     + rows, encoding="utf-8")
    script = Path(sys.executable).with_name("careerfacts")

    done = subprocess.run(["bash", "-o", "pipefail", "-c", f"'{script}' extract '{table}' | head -1"],
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["source_id"] == "big"


def test_on_a_terminal_progress_is_one_line_rewritten_and_cleared_at_the_end():
    from extractors.document import document_from_bytes
    from pipeline.cli import Progress

    screen = io.StringIO()
    progress = Progress(screen, live=True)
    doc = document_from_bytes(b"Median pay: $50,250\n" * 10_000, source_id="big-page",
                              path="raw/big.txt")
    progress(3, 5, doc)
    progress(5, 5, None)
    progress.close()

    assert screen.getvalue() == "\r\x1b[Kextracting 3/5: big-page (0.2 MB)\r\x1b[K"


def test_on_a_terminal_the_stages_after_extraction_are_shown_and_cleared():
    from pipeline.cli import Progress

    screen, log = io.StringIO(), io.StringIO()
    for stream, live in ((screen, True), (log, False)):
        progress = Progress(stream, live=live)
        progress(5, 5, None)  # extraction is over
        progress.stage("reconciling")
        progress.stage("publishing")
        progress.close()

    assert screen.getvalue() == "\r\x1b[Kreconciling\r\x1b[Kpublishing\r\x1b[K"
    assert log.getvalue() == ""  # a log is not written to for stages


def test_releases_table_is_written_and_identical_across_refreshes(careerfacts_project):
    import pyarrow.parquet as pq

    root = careerfacts_project
    assert refresh(root).exit_code == 0
    first = (root / "curated" / "releases.parquet").read_bytes()
    assert refresh(root).exit_code == 0
    assert (root / "curated" / "releases.parquet").read_bytes() == first
    table = pq.read_table(root / "curated" / "releases.parquet")
    assert {"occupation", "metric", "statistic", "unit", "geography", "release",
            "relation", "special", "note"} <= set(table.column_names)
