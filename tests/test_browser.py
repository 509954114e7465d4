"""reports/index.html in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright with the system's executable; `playwright install` is never run) opens the
report of a refreshed copy of the seed project from its file, offline.

It must render with no console error and make no network request (every request is
intercepted: only the report's own file may load), show one chart per occupation and
key figure with as many marks as the data hold, place the three seed pages' medians at
OEWS May 2022, 2023 and 2024, and every link must resolve. A screenshot is written to
build/test-artifacts/ (or $CAREERFACTS_ARTIFACTS).

Without a browser the test is skipped, saying why; with CAREERFACTS_REQUIRE_BROWSER=1
(set by .ci/run, which installs Chromium) a missing browser is a failure.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import REPO, copy_seed_project

CHROMIUM = os.environ.get("CAREERFACTS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""As this machine's Chromium must run (as root, on a closed network)."""
ARTIFACTS = Path(os.environ.get("CAREERFACTS_ARTIFACTS", REPO / "build" / "test-artifacts"))

pytestmark = pytest.mark.browser


def _missing_browser() -> str:
    """Why the browser test cannot run here, or "" when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make test installs it)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM}: install Debian's chromium package "
                "(apt-get install chromium), as .ci/run does")
    return ""


@pytest.fixture(scope="module")
def browser():
    reason = _missing_browser()
    if reason:
        if os.environ.get("CAREERFACTS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run (CAREERFACTS_REQUIRE_BROWSER=1), but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="careerfacts-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900}, offline=True)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """reports/index.html of a refreshed copy of the seed project."""
    root = copy_seed_project(tmp_path_factory.mktemp("browser") / "project")
    result = CliRunner().invoke(main, ["refresh", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root / "reports" / "index.html"


@pytest.fixture(scope="module")
def opened(browser, report):
    """(page, requests, console errors) of the report opened from its file."""
    requests, refused, errors = [], [], []
    page = browser.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    own = report.as_uri()

    def route(route):
        requests.append(route.request.url)
        if route.request.url.split("#")[0] == own:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(own, wait_until="load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
    yield page, requests, refused, errors
    page.close()


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_report_renders_without_a_console_error(opened):
    page, _, _, errors = opened

    assert errors == []
    assert page.title() == "careerfacts — the analyst's view"
    assert page.locator("h2", has_text="Medical Records Specialists (SOC 29-2072)").count() == 1


def test_the_report_makes_no_network_request(opened, report):
    _, requests, refused, _ = opened

    assert refused == []
    assert [url.split("#")[0] for url in requests] == [report.as_uri()]


def test_one_chart_per_occupation_and_figure_with_the_marks_of_its_data(opened, report):
    page, _, _, _ = opened
    root = report.parent.parent
    claims = rows(root / "curated" / "claims.csv")
    facts = {f["fact_id"]: f for f in rows(root / "curated" / "facts.csv")}
    charts = page.locator("figure.chart")

    shown = {}
    for i in range(charts.count()):
        chart = charts.nth(i)
        fact_id = chart.get_attribute("data-fact")
        fact = facts[fact_id]
        assert (fact["geography"], fact["level"], fact["industry"]) == ("United States", "", "")
        # the pages' figures of the fact with one value each: one mark apiece
        pages = [c for c in claims if c["fact_id"] == fact_id
                 and c["source_authority"] != "primary" and c["value"]]
        marks = chart.locator("svg g.pages_marks > path")
        assert marks.count() == len(pages) == int(chart.get_attribute("data-page-points"))
        assert (chart.locator("svg g.official_points_marks > path").count()
                == int(chart.get_attribute("data-official-points")) > 0)
        assert chart.locator("svg g.official_marks > path").count() >= 1
        shown[(fact["occupation"], fact["metric"], fact["statistic"])] = fact_id
    assert sorted(shown) == [("29-2072", "annual_openings", "unspecified"),
                             ("29-2072", "employment_growth", "change"),
                             ("29-2072", "wage", "median")]


def test_the_median_chart_places_the_seed_pages_at_2022_2023_and_2024(opened):
    page, _, _, _ = opened
    chart = page.locator('figure.chart[data-occupation="29-2072"][data-figure="median pay"]')
    labels = [chart.locator("svg g.pages_marks > path").nth(i).get_attribute("aria-label")
              for i in range(chart.locator("svg g.pages_marks > path").count())]

    placed = {re.match(r"(\S+): .* at (.+) \((\w+)\)$", label).groups() for label in labels}
    assert placed == {("seed-001", "OEWS May 2024", "current"),
                      ("seed-003", "OEWS May 2023", "stale"),
                      ("seed-002", "OEWS May 2022", "stale")}
    band = chart.locator("svg g.band_marks > path")
    assert band.count() == 1  # the 10th–90th percentile band behind the series
    assert chart.get_attribute("data-band-points") != "0"


def test_every_link_resolves(opened, report):
    page, _, _, _ = opened
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")

    assert links
    ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    files = set()
    for href in links:
        if href.startswith("#"):
            assert href[1:] in ids, href
            continue
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, f"not a relative link: {href}"
        target = (report.parent / unquote(parts.path)).resolve()
        assert target.is_file(), href
        files.add(target)
    raw = (report.parent.parent / "raw").resolve()
    assert files and all(raw in f.parents for f in files)
    # the queue links every figure to its page; the seed pages are among them
    assert {f.name for f in files} >= {"000_dbf6c4c3bef6ae88.txt", "001_ff2dfab91b0d996c.txt",
                                       "002_b0dd88c80110e052.txt", "003_0e4ab751fbe93aaf.txt"}


def test_a_screenshot_is_written(opened):
    shot = ARTIFACTS / "index.png"

    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
