"""`careerfacts check-source`: a good new source passes; each broken one fails with its
check, locator and exit code; CI wiring; great-expectations stays out of other commands."""
import dataclasses
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import pipeline.check
from extractors.claims import Reading
from pipeline.cli import main
from tests.conftest import copy_seed_project

ROOT = Path(__file__).resolve().parent.parent

GOOD_PAGE = """Dental Hygienists: Pay and Outlook

Quick facts
2024 Median Pay: $94,260 per year ($45.32 per hour)
Job Growth (2023–2033): 7% (Faster than average)
Typical Education: Associate's degree

Pay by percentile
Entry (10th %ile)
$67,950
Mid-Career (Median)
$94,260
Expert (90th %ile)
$121,340
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_seed_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def register(project: Path, source_id: str, name: str, data: bytes, **overrides) -> None:
    (project / "raw" / name).write_bytes(data)
    registry = project / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text())
    entry = {"id": source_id, "path": name, "sha256": hashlib.sha256(data).hexdigest(),
             "retrieved": "2026-02-01", "title": f"Page {source_id}", "authority": "secondary",
             "occupation": "29-2021"}
    entry.update(overrides)
    entry = {k: v for k, v in entry.items() if v is not None}
    document["sources"].append(entry)
    registry.write_text(yaml.safe_dump(document, sort_keys=False))


def check(*args, env=None):
    return CliRunner().invoke(main, ["check-source", *args], env=env or {})


def failing_checks(project: Path) -> set[str]:
    text = (project / "reports" / "check-source.md").read_text()
    return {line.split("|")[1].strip() for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| check")}


def test_a_good_new_source_is_usable_and_says_what_it_changes(project):
    register(project, "dental-2026", "dental.txt", GOOD_PAGE.encode())
    result = check("dental-2026")
    assert result.exit_code == 0, result.output
    assert "dental-2026" in result.output and "usable" in result.output
    assert re_search(r"dental-2026\s+\d+ claims", result.output)
    report = (project / "reports" / "check-source.md").read_text()
    assert "## dental-2026 — usable" in report
    validation = json.loads((project / "reports" / "validation" / "dental-2026.json").read_text())
    assert validation["suites"]["percentiles"]["success"] is True
    assert not (project / "curated").exists()  # nothing in curated/ is written


def re_search(pattern, text):
    import re
    return re.search(pattern, text)


@pytest.mark.parametrize("page, check_code, observed", [
    (GOOD_PAGE.replace("$121,340", "$51,340"), "percentiles-out-of-order", "p90=51340"),
    (GOOD_PAGE.replace("$45.32 per hour", "$35.32 per hour"), "hourly-annual-mismatch",
     "relative_gap="),
    ("Welcome! Sign up for our newsletter to learn about careers.\n", "document-no-figures", ""),
    ("Job Growth (2023–2028): 7%\nMedian Pay: $94,260 per year\n", "growth-period-not-ten-years",
     "period_years=5"),
], ids=["swapped-percentiles", "hourly-annual-mismatch", "no-figures", "short-projection"])
def test_a_broken_page_fails_with_its_check(project, page, check_code, observed):
    register(project, "broken", "broken.txt", page.encode())
    result = check("broken")
    assert result.exit_code == 1, result.output
    assert f"[{check_code}] broken:" in result.output
    assert observed in result.output
    assert check_code in failing_checks(project)


def test_a_page_whose_amounts_go_unread_is_flagged_with_its_share(project):
    page = ("Widget Careers\n\nSidebar\n\nThe $41,200 sits beside $52,300, $63,400 and $74,500 "
            "in our sidebar.\n\nMedian pay: $48,100 per year\n")
    register(project, "sidebar", "sidebar.txt", page.encode())
    result = check("sidebar")
    assert result.exit_code == 1, result.output
    assert "[document-figures-unread] sidebar:" in result.output
    assert "extract --explain" in result.output
    report = (project / "reports" / "check-source.md").read_text()
    assert "money figures read: 1 of 5 (20%)" in report


def test_a_good_page_reports_its_share_of_money_figures_read(project):
    register(project, "dental-2026", "dental.txt", GOOD_PAGE.encode())
    assert check("dental-2026").exit_code == 0
    report = (project / "reports" / "check-source.md").read_text()
    assert "money figures read: 5 of 5 (100%)" in report


def test_a_sha256_mismatch_fails_before_anything_else(project):
    register(project, "tampered", "tampered.txt", GOOD_PAGE.encode(), sha256="0" * 64)
    result = check("raw/tampered.txt")
    assert result.exit_code == 1
    assert "[registry-sha256-mismatch] tampered:" in result.output
    assert "raw/tampered.txt" in result.output


def test_an_html_error_page_is_named(project):
    page = (b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
            b"<p>The requested URL was not found on this server.</p></body></html>")
    register(project, "gone", "gone.html", page)
    result = check("gone")
    assert result.exit_code == 1
    assert "[error-page] gone:" in result.output and "404 Not Found" in result.output


ERROR_TITLES = ["404 Not Found", "Not Found", "Error 500", "HTTP Status 500 – Internal Server Error",
                "Page not found | Example Careers", "The page you requested could not be found",
                "503 Service Temporarily Unavailable", "Service Unavailable", "403 Forbidden",
                "502 Bad Gateway", "Access Denied", "Just a moment...", "Error 404 - Example"]
CAREER_TITLES = ["Chief Executives: Pay at Fortune 500 Companies", "Top 500 Jobs of 2024",
                 "Registered Nurses: 404 Openings in Ohio", "Forbidden City Tour Guides: Pay",
                 "Electricians 503: Apprentice Pay", "Career resources not found elsewhere"]


@pytest.mark.parametrize("title", ERROR_TITLES)
def test_error_wording_in_the_title_is_an_error_page(title):
    assert pipeline.check.ERROR_PAGE.search(title)


@pytest.mark.parametrize("title", CAREER_TITLES)
def test_a_status_code_without_error_wording_is_no_error_page(title):
    assert not pipeline.check.ERROR_PAGE.search(title)


def test_a_career_page_whose_title_holds_500_is_usable(project):
    page = ("<html><head><title>Chief Executives: Pay at Fortune 500 Companies</title></head>"
            "<body><h1>Chief Executives</h1><p>Median annual wage: $206,420</p></body></html>")
    register(project, "ceo-pay", "ceo.html", page.encode(), occupation="11-1011")
    result = check("ceo-pay")
    assert result.exit_code == 0, result.output
    assert "error-page" not in result.output


def test_a_quote_not_in_the_document_names_claim_and_locator(project, monkeypatch):
    register(project, "fabricated", "fabricated.txt", GOOD_PAGE.encode())
    real = pipeline.check.read

    def tampered(doc):
        reading = real(doc)
        if doc.source_id != "fabricated":
            return reading
        claims = reading.claims
        first = dataclasses.replace(claims[0], quote=claims[0].figure + " (as reported)")
        return Reading([first, *claims[1:]], reading.notes)

    monkeypatch.setattr(pipeline.check, "read", tampered)
    result = check("fabricated")
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "[quote-not-in-document]" in x)
    assert "chars=" in line and " c-" in line


def test_a_file_in_raw_without_an_entry_is_reported(project):
    (project / "raw" / "stray.txt").write_text(GOOD_PAGE)
    result = check("raw/stray.txt")
    assert result.exit_code == 1 and "[registry-not-registered]" in result.output


def test_unknown_target_is_a_usage_error(project):
    result = check("no-such-source")
    assert result.exit_code == 2 and "no-such-source" in result.output


def test_json_gives_each_source_s_verdict_and_the_change(project):
    register(project, "dental-2026", "dental.txt", GOOD_PAGE.encode())

    result = check("--json", "dental-2026")

    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["exit_code"] == 0
    [source] = verdict["sources"]
    assert (source["source_id"], source["path"], source["usable"]) == (
        "dental-2026", "raw/dental.txt", True)
    assert source["claims"] > 0 and source["failures"] == [] and source["warnings"] == []
    assert source["money_figures"] == {"read": 5, "on_page": 5}
    assert verdict["change"]["base"] == "the registry without dental-2026"
    assert set(verdict["change"]) == {"base", "opened", "closed", "changed"}
    assert verdict["outputs"]["files"] == ["reports/check-source.md",
                                           "reports/validation/dental-2026.json"]


def test_json_names_each_blocking_failure_by_its_check_s_code(project):
    register(project, "broken", "broken.txt", GOOD_PAGE.replace("$121,340", "$51,340").encode())

    result = check("--json", "broken", env={"GITHUB_ACTIONS": "true"})

    assert result.exit_code == 1, result.output
    verdict = json.loads(result.stdout)  # the annotations go to stderr: stdout is the JSON
    assert verdict["exit_code"] == 1
    [source] = verdict["sources"]
    assert source["usable"] is False
    failures = [f for f in source["failures"] if f["code"] == "percentiles-out-of-order"]
    assert failures and all(f["source_id"] == "broken" and f["path"] == "raw/broken.txt"
                            for f in failures)
    assert any("p90=51340" in f["observed"] for f in failures)
    assert "::error file=raw/broken.txt,title=percentiles-out-of-order::" in result.stderr


def test_json_reports_a_usage_error_as_an_object_with_its_exit_code(project):
    result = check("--json", "no-such-source")

    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["exit_code"] == 2 and "'no-such-source' is neither a source id" in error["error"]
    assert "Traceback" not in result.output


def test_a_registry_that_is_not_there_is_a_usage_error(project):
    result = check("--registry", str(project / "elsewhere.yaml"), "--json", "dental-2026")

    assert result.exit_code == 2, result.output
    assert "registry-not-found" in json.loads(result.stdout)["error"]
    assert "internal error" not in result.output


def test_github_actions_get_annotations_and_a_step_summary(project):
    register(project, "broken", "broken.txt", GOOD_PAGE.replace("$121,340", "$51,340").encode())
    summary = project / "summary.md"
    result = check("broken", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert any(line.startswith("::error file=raw/broken.txt,title=percentiles-out-of-order::")
               for line in result.output.splitlines())
    assert "## broken — blocked" in summary.read_text()


def test_without_targets_the_sources_changed_since_the_base_are_checked(project):
    git = lambda *a: subprocess.run(["git", *a], cwd=project, check=True, capture_output=True)  # noqa: E731
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    git("checkout", "-qb", "new-source")
    register(project, "dental-2026", "dental.txt", GOOD_PAGE.encode())
    (project / "raw" / "watchlist.yaml").write_text("pages:\n  - url: https://example.org/x\n")
    result = check("--base", "main")
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()
            if "claims" in line] == ["dental-2026"]


def test_every_source_in_raw_is_usable():
    from pipeline.check import check_sources
    registry = ROOT / "raw" / "sources.yaml"
    ids = [e["id"] for e in yaml.safe_load(registry.read_text())["sources"]]
    results, _ = check_sources(registry, ids)
    assert [f.line() for r in results for f in r.failures] == []


def test_help_does_not_import_great_expectations():
    code = ("import sys; from click.testing import CliRunner; from pipeline.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
            "r = CliRunner().invoke(main, ['check-source', '--help']); assert r.exit_code == 0; "
            "r = CliRunner().invoke(main, ['capture', '--help']); assert r.exit_code == 0; "
            "print('great_expectations' in sys.modules, 'pandera' in sys.modules, "
            "'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False", "False"], out.stderr


def test_the_sources_workflow_runs_the_check_on_pull_requests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "sources.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML reads `on` as True
    assert "raw/**" in triggers["pull_request"]["paths"]
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("check-source" in step for step in steps)


# --- what the change as a whole does to the dataset ------------------------------------------

def pay_page(median: str, year: str = "2024") -> bytes:
    return (f"Medical Records Specialists\n\n{year} Median Pay: {median} per year\n").encode()


def texas_page(title: str, median: str) -> bytes:
    """A page with a median for Texas: no official release states one, so the pages'
    figures meet only each other."""
    return f"{title}\n\nMedian annual wage in Texas: {median}\n".encode()


def test_two_sources_added_together_open_the_conflict_neither_opens_alone(project):
    # the dataset has one Texas median for Dental Hygienists; two new pages state
    # another. Compared each with the dataset minus itself, neither opens the conflict
    # (the other one still makes it); the change as a whole does.
    register(project, "dental-base", "dental_base.txt",
             texas_page("Dental Hygienists in Texas", "$94,260"))
    register(project, "dental-a", "dental_a.txt",
             texas_page("Dental Hygienist Salary, Texas", "$97,000"))
    register(project, "dental-b", "dental_b.txt",
             texas_page("Texas Dental Hygienists: Pay", "$97,000"))

    result = check("dental-a", "dental-b")

    assert result.exit_code == 0, result.output
    opened = [line for line in result.output.splitlines() if line.strip().startswith("opened")]
    assert len(opened) == 1, result.output
    assert "conflict (high, open)" in opened[0]
    assert opened[0].endswith("dental-a, dental-b, dental-base")
    assert "against the registry without dental-a, dental-b: 1 discrepancies opened" in result.output
    report = (project / "reports" / "check-source.md").read_text()
    assert report.count("would open d-") == 2  # listed under each of the two sources


def test_a_stale_discrepancy_turning_into_a_high_conflict_is_reported(project):
    # a page stating another 2024 median for Medical Records Specialists: the median's
    # discrepancy was releases of different years (stale); now two figures share 2024
    register(project, "mrs-2024", "mrs_2024.txt", pay_page("$53,100"), occupation="29-2072")

    result = check("mrs-2024")

    changed = [line for line in result.output.splitlines() if line.strip().startswith("changed")]
    assert len(changed) == 1, result.output
    assert "stale (low, explained) → conflict (high, open)" in changed[0]
    assert "wage · median · USD/year" in changed[0] and "mrs-2024" in changed[0]


def test_without_targets_the_change_is_compared_with_the_base_revision(project):
    git = lambda *a: subprocess.run(["git", *a], cwd=project, check=True, capture_output=True)  # noqa: E731
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    git("checkout", "-qb", "two-pages")
    register(project, "dental-a", "dental_a.txt", pay_page("$94,260"))
    register(project, "dental-b", "dental_b.txt", pay_page("$97,000"))

    result = check("--base", "main")

    assert result.exit_code == 0, result.output
    assert "against main: 1 discrepancies opened, 0 closed, 0 changed" in result.output
    report = (project / "reports" / "check-source.md").read_text()
    assert "## What the change does to the dataset (against main)" in report


def test_a_source_without_an_occupation_is_a_warning_not_a_block(project):
    # neither the registry entry, nor the page, nor its title names an occupation
    register(project, "no-soc", "no_soc.txt", b"Pay guide\n\nMedian annual wage: $61,250\n",
             occupation=None)

    result = check("no-soc")

    assert result.exit_code == 0, result.output
    assert "usable" in result.output
    assert "warning [occupation-unresolved] no-soc:" in result.output
