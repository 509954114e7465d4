"""reports/index.html and its charts, built from claims stated directly (no extraction):
where each page's figure is placed and why, what the headline counts, and that the page
is self-contained (no script, no remote resource, relative links only) and escaped.
The browser test (tests/test_browser.py) opens the real report of the seed project."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.charts import NO_RELEASE, chart_data, chart_spec, page_figures, release_label
from pipeline.history import RunRecord, changes_between
from pipeline.report_html import html_report, occupations, raw_href
from tests.conftest import REPO, run_from_claims, stated_claim

MEDIAN = dict(metric="wage", statistic="median", unit="USD/year")
P10 = dict(metric="wage", statistic="p10", unit="USD/year")
P90 = dict(metric="wage", statistic="p90", unit="USD/year")


def official(value: float, year: int, **statistic):
    return stated_claim(value, source="bls", figure=f"{value:g}", period=str(year),
                        stated_in=f"OEWS May {year}", **statistic)


def median_run(*more):
    """The agency's medians of May 2022-2024 with their 10th and 90th percentiles, and
    pages quoting 2024 (current), 2022 (stale), 2022 as history beside 2024, a figure no
    release has ($52,000: a conflict in the queue), and an hourly figure of 2024."""
    claims = [official(v, y, **MEDIAN) for v, y in ((47180, 2022), (48780, 2023),
                                                   (50250, 2024))]
    claims += [official(v, y, **P10) for v, y in ((31710, 2022), (35080, 2023), (35780, 2024))]
    claims += [official(v, y, **P90) for v, y in ((75460, 2022), (77810, 2023), (80950, 2024))]
    claims += [
        stated_claim(50250, source="current", figure="$50,250", **MEDIAN),
        stated_claim(24.16, source="hourly", figure="$24.16", precision=0.01,
                     metric="wage", statistic="median", unit="USD/hour"),
        stated_claim(47180, source="stale", figure="$47,180", **MEDIAN,
                     quote="The median was $47,180 <b>in 2022</b> & rising"),
        stated_claim(47180, source="history", figure="$47,180", period="2022",
                     period_basis="history", quote="In May 2022 the median was $47,180",
                     **MEDIAN),
        stated_claim(50250, source="history", figure="$50,250", period="2024", **MEDIAN),
        stated_claim(52000, source="odd", figure="$52,000", **MEDIAN),
        *more,
    ]
    authorities = {"bls": "primary", "current": "secondary", "hourly": "secondary",
                   "stale": "secondary", "history": "secondary", "odd": "secondary",
                   **{c.source_id: "secondary" for c in more}}
    return run_from_claims(claims, authorities)


@pytest.fixture(scope="module")
def run():
    return median_run()


def median_fact(run):
    [fact] = [f for f in run.reconciliation.facts if f.key[1:3] == ("wage", "median")]
    return fact


def test_each_page_figure_is_placed_at_the_release_it_was_matched_to(run):
    outcome = {(p.source_id, p.figure): (p.release, p.outcome)
               for p in page_figures(run, median_fact(run))}

    assert outcome == {
        ("current", "$50,250"): ("OEWS May 2024", "current"),
        ("hourly", "$24.16"): ("OEWS May 2024", "current"),
        ("stale", "$47,180"): ("OEWS May 2022", "stale"),
        ("history", "$47,180"): ("OEWS May 2022", "history"),
        ("history", "$50,250"): ("OEWS May 2024", "current"),
        ("odd", "$52,000"): ("", "conflict"),
    }


def test_the_chart_holds_the_series_its_band_and_every_page_figure(run):
    data = chart_data(run, median_fact(run), "median pay")

    assert [(p.label, p.value, p.low, p.high) for p in data.series] == [
        ("May 2022", 47180, 31710, 75460), ("May 2023", 48780, 35080, 77810),
        ("May 2024", 50250, 35780, 80950)]
    assert data.order == ("May 2022", "May 2023", "May 2024", NO_RELEASE)
    assert len(data.plotted) == 6
    hourly = next(p for p in data.plotted if p.source_id == "hourly")
    assert hourly.value == pytest.approx(24.16 * 2080)  # in the key's unit: a year
    spec = chart_spec(data)  # valid Vega-Lite: tests/test_chart_spec.py
    names = [layer["name"] for layer in spec["layer"]]
    assert names == ["band", "official", "official_points", "pages"]
    assert "$schema" not in spec  # a URL the report has no use for


def test_a_chart_of_thousands_of_page_figures_draws_a_mark_per_pixel_row_and_outcome():
    from dataclasses import replace

    from pipeline.charts import EVERY_PAGE_MARKED, PLOT_HEIGHT, ChartData, PageFigure

    def page(n: int, value: float, release: str, outcome: str) -> PageFigure:
        return PageFigure(f"page-{n:05}", f"c-{n}", f"${value:,.0f}", f"${value:,.0f}", value,
                          release, release_label(release), outcome, "", "", "", "", False)

    # 3,000 pages: medians of 2023 scaled by up to 2%, and a few far off
    pages = tuple(page(n, round(48780 * (1 + (n % 97) / 4850)), "OEWS May 2023", "stale")
                  for n in range(2990))
    pages += tuple(page(3000 + n, 61000 + n, "", "conflict") for n in range(10))
    data = ChartData("29-2072", "Medical Records Specialists", "f-1", "wage", "median",
                     "USD/year", "median pay", (), pages, ("May 2023", NO_RELEASE))
    marks = data.page_marks()

    assert len(marks) < PLOT_HEIGHT * 2  # not one a page
    # every page figure is in exactly one mark, and a mark's figures are within a pixel
    stood_for = [int(re.match(r"(\d+) page figures|\S+:", m["description"]).group(1) or 1)
                 for m in marks]
    assert sum(stood_for) == len(pages)
    row = (61009 - 48780) / PLOT_HEIGHT
    for mark in marks:
        ends = re.findall(r"\$([\d,]+)", mark["description"].split("): ")[-1])
        assert abs(float(ends[-1].replace(",", "")) - float(ends[0].replace(",", ""))) <= row
    assert {m["outcome"] for m in marks} == {"stale", "conflict"}
    grouped = next(m for m in marks if m["description"][0].isdigit())
    assert re.fullmatch(r"\d+ page figures \(page-\d{5}(, page-\d{5}){9}, … and \d+ more\): "
                        r"\$[\d,]+–\$[\d,]+ at OEWS May 2023 \(stale\)",
                        grouped["description"]), grouped["description"]
    assert data.page_marks() == marks  # the same data, the same marks
    odd = replace(data, pages=pages + (page(9999, float("inf"), "", "unmatched"),))
    assert len(odd.page_marks()) == len(marks) + 1  # a figure off every scale: its own mark
    # up to EVERY_PAGE_MARKED page figures, one mark apiece, however close
    few = replace(data, pages=pages[:EVERY_PAGE_MARKED])
    assert [m["description"] for m in few.page_marks()] == [
        p.description for p in few.plotted]


def test_a_category_has_no_chart():
    claims = [stated_claim(None, source="a", figure="Certificate", metric="education",
                           statistic="typical", unit="category",
                           value_text="postsecondary nondegree award")]
    run = run_from_claims(claims, {"a": "secondary"})

    assert chart_data(run, run.reconciliation.facts[0], "typical education") is None


def test_the_headline_counts_pages_that_agree_are_stale_or_in_conflict(run):
    [occupation] = occupations(run, render_svg=False)
    [row] = occupation.headline

    assert row.value == "$50,250 a year" and row.rule == "primary-latest"
    assert row.agree == ("current", "history", "hourly")
    assert row.stale == ("stale",)
    assert row.conflict == ("odd",)
    assert row.chart == f"chart-{median_fact(run).fact_id}"


def test_the_report_is_self_contained_and_escaped(run):
    html = html_report(run)

    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"url\((?!#)", html)  # CSS and SVG reference nothing outside
    # a page's words are text, never markup
    assert "<b>in 2022</b>" not in html
    assert "The median was $47,180 &lt;b&gt;in 2022&lt;/b&gt; &amp; rising" in html
    assert html.count("<svg") == html.count('class="chart"') == 1


def test_every_figure_links_to_its_captured_page(run):
    html = html_report(run)

    links = set(re.findall(r'href="([^"#][^"]*)"', html))
    assert links and all(link.startswith("../raw/") for link in links)
    assert "../raw/odd.txt#:~:text=%2452%2C000" in links


def test_the_report_says_what_changed_since_the_previous_run(run):
    from pipeline.history import run_record

    after = run_record(run, 2, "2026-11-30T11:00:00Z", "2026-11-30T11:00:04Z", 0, {})
    before = RunRecord(1, "2026-11-30T10:00:00Z", "2026-11-30T10:00:04Z", 0,
                       sources={k: v for k, v in after.sources.items() if k != "odd"})

    html = html_report(run, after, changes_between(before, after))

    assert "Run 2, started 2026-11-30T11:00:00Z" in html
    assert "Since run 1 (2026-11-30T10:00:00Z): 1 source added" in html
    assert "source added: <code>odd</code>" in html


def test_the_same_run_gives_the_same_report(run):
    assert html_report(run) == html_report(median_run())


@pytest.mark.parametrize("path, locator, quote, expected", [
    ("raw/a b.pdf", "pdf:page=3;bbox=1,2,3,4", "x", "../raw/a%20b.pdf#page=3"),
    ("raw/p.html", "html:html/body/p[2]", "Median pay\t$50,250",
     "../raw/p.html#:~:text=Median%20pay"),
    ("raw/t.txt", "chars=0-9", "", "../raw/t.txt"),
    ("raw/t.csv", "csv:row=4", "29-2072,wage", "../raw/t.csv"),
])
def test_links_point_at_the_figure_where_the_format_allows(path, locator, quote, expected):
    assert raw_href(path, locator, quote) == expected


def test_a_rendered_chart_is_kept_and_read_back_instead_of_rendered_again(run, tmp_path,
                                                                          monkeypatch):
    import vl_convert

    from pipeline.charts import chart_svg

    data = chart_data(run, median_fact(run), "median pay")
    rendered = chart_svg(data, "f-1-", tmp_path / "charts")
    [kept] = (tmp_path / "charts").iterdir()

    def fail(spec):
        raise AssertionError("rendered again")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fail)
    assert chart_svg(data, "f-1-", tmp_path / "charts") == rendered == kept.read_text()
    assert rendered.startswith("<svg") and 'class="mark-symbol role-mark pages_marks"' in rendered


def test_a_cache_that_cannot_be_written_is_no_error(run, tmp_path):
    from pipeline.charts import chart_svg

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    data = chart_data(run, median_fact(run), "median pay")

    assert chart_svg(data, "", blocked) == chart_svg(data)


def test_release_labels():
    assert release_label("OEWS May 2022") == "May 2022"
    assert release_label("Employment Projections 2023-2033") == "2023–33"
    assert release_label("Occupational Outlook Handbook 2024") == "Occupational Outlook Handbook 2024"


def test_help_imports_no_charting_database_or_browser_library():
    code = ("import sys; from click.testing import CliRunner; from pipeline.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
            "r = CliRunner().invoke(main, ['diff', '--help']); assert r.exit_code == 0; "
            "r = CliRunner().invoke(main, ['history', '--help']); assert r.exit_code == 0; "
            "print(sorted(m for m in ('altair', 'vl_convert', 'duckdb', 'jinja2', 'playwright',"
            " 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)

    assert done.stdout.strip() == "[]", done.stderr


def test_charts_drawn_ahead_by_other_processes_are_the_ones_the_report_draws(
        run, tmp_path, monkeypatch):
    import pipeline.charts as charts

    data = chart_data(run, median_fact(run), "median pay")
    monkeypatch.setattr(charts, "AHEAD", 1)  # the test's one chart is worth a pool
    ahead, alone = tmp_path / "ahead", tmp_path / "alone"

    chart = (data, "f-", charts.chart_key(data, "f-"))
    assert charts.drawn_ahead([chart], ahead, jobs=2) == 1
    assert charts.drawn_ahead([chart], ahead, jobs=2) == 0  # in the cache now
    [drawn] = list(ahead.glob("*.svg"))
    assert drawn.read_text(encoding="utf-8") == charts.chart_svg(data, "f-", alone)
    assert [p.name for p in alone.glob("*.svg")] == [drawn.name]


def test_charts_drawn_in_the_background_are_the_ones_the_report_draws(
        run, tmp_path, monkeypatch):
    import pipeline.charts as charts

    data = chart_data(run, median_fact(run), "median pay")
    monkeypatch.setattr(charts, "AHEAD", 1)
    ahead, alone = tmp_path / "ahead", tmp_path / "alone"

    drawing = charts.DrawingAhead(iter([(data, "f-", charts.chart_key(data, "f-"))]), ahead)
    drawing._thread.join(timeout=300)  # every chart handed out before it is finished

    assert drawing.finish() == 1
    [drawn] = list(ahead.glob("*.svg"))
    assert drawn.read_text(encoding="utf-8") == charts.chart_svg(data, "f-", alone)


def test_a_finished_background_drawing_takes_no_more_charts(run, tmp_path, monkeypatch):
    import threading

    import pipeline.charts as charts

    data = chart_data(run, median_fact(run), "median pay")
    handed, finished = threading.Event(), threading.Event()

    def charts_until_finished():
        handed.set()
        finished.wait(timeout=60)  # the refresh finishes the drawing meanwhile
        yield data, "f-", charts.chart_key(data, "f-")

    drawing = charts.DrawingAhead(charts_until_finished(), tmp_path)
    handed.wait(timeout=60)
    drawing._stop.set()
    finished.set()

    assert drawing.finish() == 0
    assert list(tmp_path.glob("*.svg")) == []


def test_no_chart_is_drawn_in_the_background_where_a_drawer_would_not_fit(monkeypatch):
    import pipeline.charts as charts
    import pipeline.memory as memory

    monkeypatch.setattr(charts.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(memory, "resident_bytes",
                        lambda: memory.MEMORY_BUDGET - charts.DRAWING_PROCESS
                        - charts.WRITING_GROWTH + 1)
    assert charts.drawing_ahead(iter(()), Path(".")) is None
    # a refresh of 10,000 pages when its reconciliation ended: 0.5 GB, 2.26 million claims
    monkeypatch.setattr(memory, "resident_bytes", lambda: 500_000_000)
    assert charts.drawing_ahead(iter(()), Path("."), claims=2_260_000) is None
    monkeypatch.setattr(charts.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 1)
    assert charts.drawing_ahead(iter(()), Path(".")) is None  # one core: nothing beside


def test_a_refresh_draws_its_charts_in_the_background_and_writes_the_same_report(
        careerfacts_project, careerfacts_shared_cache, tmp_path, monkeypatch):
    """The charts a refresh drew in the background while it wrote its tables are the
    ones it draws without: the same files in the chart cache, the same report."""
    from click.testing import CliRunner

    import pipeline.charts as charts
    import pipeline.memory as memory
    from pipeline.cli import main

    monkeypatch.setattr(charts, "AHEAD", 1)  # the seeds' few charts are worth a process
    monkeypatch.setattr(charts.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(memory, "resident_bytes", lambda: 300_000_000)  # not the suite's
    finished = []
    finish = charts.DrawingAhead.finish
    monkeypatch.setattr(charts.DrawingAhead, "finish",
                        lambda self: finished.append(finish(self)) or finished[-1])
    reports = {}
    for name in ("ahead", "alone"):
        if name == "alone":
            monkeypatch.setattr(charts, "drawing_ahead", lambda charts, cache, claims=0: None)
        root = tmp_path / name
        shutil.copytree(careerfacts_project / "raw", root / "raw")
        cache = tmp_path / f"cache-{name}"
        for official in careerfacts_shared_cache.glob("official-*"):  # read once a session
            shutil.copytree(official, cache / official.name)
        monkeypatch.setenv("CAREERFACTS_CACHE", str(cache))
        done = CliRunner().invoke(main, ["--project", str(root), "refresh", "-q", "--jobs", "1"])
        assert done.exit_code in (0, 1), done.output
        reports[name] = re.sub(r"run \d+|\d{4}-\d\d-\d\dT[\d:]+Z|[\d.]+ s\b", "",
                               (root / "reports" / "index.html").read_text(encoding="utf-8"))
    drawn = {name: {p.name: p.read_bytes() for p in (tmp_path / f"cache-{name}" / "charts")
                    .glob("*.svg")} for name in ("ahead", "alone")}

    assert finished and finished[0] >= 1  # drawn in the background, then finished
    assert drawn["ahead"] == drawn["alone"] and drawn["ahead"]
    assert reports["ahead"] == reports["alone"]


def test_the_chart_cache_is_pruned_to_half_its_limit_oldest_first(tmp_path, monkeypatch):
    import os

    import pipeline.charts as charts

    monkeypatch.setattr(charts, "CACHE_LIMIT", 4)
    for n in range(6):
        path = tmp_path / f"{n}.svg"
        path.write_text("<svg/>")
        os.utime(path, (1_000 + n, 1_000 + n))
    charts.pruned(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == ["4.svg", "5.svg"]


@pytest.mark.parametrize("problems, shown", [(0, "<b>0</b> problems"), (1, "<b>1</b> problem<"),
                                             (2, "<b>2</b> problems")])
def test_the_summary_counts_in_the_singular_when_there_is_one(run, problems, shown):
    import dataclasses

    from schemas.problems import problem

    found = [problem("registry-file-missing", source_id=f"gone-{n}", path=f"raw/gone-{n}.txt",
                     detail="does not exist") for n in range(problems)]

    page = html_report(dataclasses.replace(run, problems=found))

    assert shown in page
    assert re.search(r"<b>\d+</b> sources?</div>", page)


def test_each_chart_is_named_by_its_cache_key_and_only_those_a_cache_lacks_are_read(
        tmp_path):
    import pipeline.charts as charts
    from pipeline.report_html import analyst_parts

    view = analyst_parts(median_run(  # and a chart of the 10th percentile
        stated_claim(35780, source="low", figure="$35,780", **P10)))
    every = list(view.charts())
    assert len(every) >= 2
    assert all(key == charts.chart_key(data, prefix) and prefix == f"{data.fact_id}-"
               for data, prefix, key in every)

    (tmp_path / f"{every[0][2]}.svg").write_text("<svg/>", encoding="utf-8")
    assert [key for _, _, key in view.charts(tmp_path)] == [key for _, _, key in every[1:]]


def test_a_section_rendered_before_is_read_back_and_the_report_is_the_same(run, tmp_path,
                                                                           monkeypatch):
    from pipeline.report_html import AnalystParts

    sections = tmp_path / "sections"
    first = html_report(run, chart_cache=tmp_path / "charts", section_cache=sections)
    assert first == html_report(run)  # a section rendered once is the inline section
    assert len(list(sections.glob("*.html"))) == 1

    def fail(self, code):
        raise AssertionError("an occupation's entries were read back")

    monkeypatch.setattr(AnalystParts, "headline_of", fail)
    charts = list((tmp_path / "charts").glob("*.svg"))
    for chart in charts:
        os.utime(chart, (0, 0))  # as if long unused
    assert html_report(run, chart_cache=tmp_path / "charts", section_cache=sections) == first
    assert charts and all(chart.stat().st_mtime > 0 for chart in charts)  # kept when pruned


def test_a_section_is_rendered_again_when_its_headline_or_charts_change(tmp_path):
    sections = tmp_path / "sections"
    before = html_report(median_run(), chart_cache=tmp_path / "charts", section_cache=sections)
    changed = median_run(stated_claim(50250, source="another", figure="$50,250", **MEDIAN))
    after = html_report(changed, chart_cache=tmp_path / "charts", section_cache=sections)

    assert after == html_report(changed) != before  # one more page agrees
    assert len(list(sections.glob("*.html"))) == 2
