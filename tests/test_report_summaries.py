"""The reports at thousands of pages: a discrepancy whose pages give more than
LISTED_READINGS readings is summarised in reports/discrepancies.md and reports/index.html
(the readings that matter, a few of each figure, counts of the rest and where they are),
cells name a few sources and count the rest — while curated/ keeps every claim. Built
from claims stated directly, so that what is tested does not depend on the extractors."""
from __future__ import annotations

import csv
import io
import re

import pytest

from pipeline.decisions import Decision
from pipeline.history import DiscrepancyChange, FactChange
from pipeline.outputs import rendered
from pipeline.report import (FIGURES_LISTED, IDS_LISTED, LISTED_READINGS, OTHERS_LISTED,
                             PROBLEMS_LISTED, Omitted, discrepancy_report, figure_of, ids_text,
                             listing)
from pipeline.report_html import PAGE_FIGURES_LISTED, html_report, page_rows
from schemas.problems import problem
from tests.conftest import run_from_claims, stated_claim

MEDIAN = dict(metric="wage", statistic="median", unit="USD/year")
STALE, CURRENT, ODD = 40, 6, 10  # pages quoting 2022's median, 2024's, and odd figures


def official(value: float, year: int):
    return stated_claim(value, source=f"oews-{year}", figure=f"{value:g}", period=str(year),
                        stated_in=f"OEWS May {year}", **MEDIAN)


def many_pages_claims() -> tuple[list, dict[str, str]]:
    """The agency's medians of May 2022-2024; 40 pages quoting 2022's $47,180, six 2024's
    $50,250 and ten pages each a figure of its own ($52,000, $52,100, … $52,900)."""
    claims = [official(v, y) for v, y in ((47180, 2022), (48780, 2023), (50250, 2024))]
    claims += [stated_claim(47180, source=f"stale-{i:02d}", figure="$47,180", **MEDIAN)
               for i in range(STALE)]
    claims += [stated_claim(50250, source=f"current-{i}", figure="$50,250", **MEDIAN)
               for i in range(CURRENT)]
    claims += [stated_claim(52000 + 100 * i, source=f"odd-{i}", figure=f"${52000 + 100 * i:,}",
                            **MEDIAN) for i in range(ODD)]
    authorities = {c.source_id: "primary" if c.source_id.startswith("oews") else "secondary"
                   for c in claims}
    return claims, authorities


def many_pages_run(decided: bool = True):
    """The run of `many_pages_claims`, with an analyst's decision deprecating odd-8's
    $52,800 (a figure that would otherwise be left out) when `decided`."""
    claims, authorities = many_pages_claims()
    run = run_from_claims(claims, authorities)
    if not decided:
        return run
    [d] = run.reconciliation.discrepancies
    decision = Decision(d.discrepancy_id, "deprecate", "a typo", "Ada", "2026-11-30",
                        d.evidence, "odd-8")
    return run_from_claims(claims, authorities, [decision])


@pytest.fixture(scope="module")
def run():
    return many_pages_run()


def section_rows(report: str) -> list[list[str]]:
    """The rows of the (only) discrepancy's table: its readings and its summary rows."""
    start = report.index("| figure | as printed | source |")
    rows = []
    for line in report[start:].splitlines()[2:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])])
    return rows


def test_the_fixture_is_above_the_limit():
    assert STALE + CURRENT + ODD > LISTED_READINGS
    assert ODD - 1 > FIGURES_LISTED and STALE > OTHERS_LISTED and CURRENT > OTHERS_LISTED


def test_a_discrepancy_above_the_limit_lists_what_matters_and_counts_the_rest(run):
    report = discrepancy_report(run)
    rows = section_rows(report)
    listed = [(row[0], row[2]) for row in rows if row[-1].startswith("`c-")]
    more = [(row[0], row[2]) for row in rows if not row[-1].startswith("`c-")]

    # the official readings (one of them the proposed figure) and the decision's are shown
    assert {("$47,180", "oews-2022"), ("$48,780", "oews-2023"), ("$50,250", "oews-2024"),
            ("$52,800", "odd-8")} <= set(listed)
    assert "Resolution: **$50,250 a year** (2024) from oews-2024" in report
    # of each figure, the first few pages in the existing order (most precise, then by id)
    [d] = run.reconciliation.discrepancies
    for figure, prefix in (("$47,180", "stale"), ("$50,250", "current")):
        [cluster] = [c for c in d.clusters if figure_of(c.representative) == figure]
        order = [r.source_id for r in cluster.readings if r.source_id.startswith(prefix)]
        assert [s for f, s in listed if f == figure and s.startswith(prefix)] == \
            order[:OTHERS_LISTED]
    # then a row counting the rest of that figure
    rest = STALE - OTHERS_LISTED
    assert ("$47,180", f"… {rest} more readings of this figure from {rest} sources") in more
    rest = CURRENT - OTHERS_LISTED
    assert ("$50,250", f"… {rest} more readings of this figure from {rest} sources") in more
    # of the odd figures no rule singles out, the first FIGURES_LISTED (one source each);
    # those between the listed ones counted in their place, in the order of the figures
    odd = [f for f, s in listed if s.startswith("odd")]
    assert odd == [f"${52000 + 100 * i:,}" for i in range(FIGURES_LISTED)] + ["$52,800"]
    assert more[-2:] == [("$52,500 to $52,700", "… 3 more figures: 3 readings from 3 sources"),
                         ("$52,900", "… 1 more figure: 1 reading from 1 source")]
    figures = [row[0] for row in rows]  # in the order of the figures, the summary rows too
    assert figures == sorted(figures, key=lambda f: float(re.sub(r"[$,]", "", f.split(" ")[0])))
    # every reading is either listed or counted
    counted = sum(int(re.search(r"… (\d+) more (?:readings? of this figure|figures?: (\d+))",
                                s).group(2 if "figure:" in s or "figures:" in s else 1))
                  for _, s in more)
    assert len(listed) + counted == 3 + STALE + CURRENT + ODD


def test_the_summary_says_how_much_it_lists_and_where_every_reading_is(run):
    [d] = run.reconciliation.discrepancies
    fact_id = run.reconciliation.ranks[d.clusters[0].readings[0].claim.claim_id][0]
    report = discrepancy_report(run)

    [note] = [line for line in report.splitlines() if " of them listed: " in line]
    total, sources = 3 + STALE + CURRENT + ODD, 3 + STALE + CURRENT + ODD
    listed = len([row for row in section_rows(report) if row[-1].startswith("`c-")])
    assert note.startswith(f"{total} readings of {3 + ODD} figures from {sources} sources, "
                           f"{listed} of them listed")
    assert f"curated/claims.csv (the rows with fact_id `{fact_id}`)" in note
    assert f"curated/discrepancies.csv (the claim_ids of `{d.discrepancy_id}`)" in note


def test_the_analyst_s_view_summarises_the_discrepancy_as_the_markdown_report_does(run):
    [d] = run.reconciliation.discrepancies
    html = html_report(run)
    article = re.search(rf'<article class="discrepancy" id="{d.discrepancy_id}">.*?</article>',
                        html, re.S).group(0)
    markdown = section_rows(discrepancy_report(run))

    claims = re.findall(r"<code>(c-[0-9a-f]{16})</code>", article)
    assert claims == [row[-1].strip("`") for row in markdown if row[-1].startswith("`c-")]
    more = re.findall(r'<tr class="more"><td class="num">([^<]*)</td><td colspan="7" '
                      r'class="muted">([^<]*)</td></tr>', article)
    assert more == [(row[0], row[2]) for row in markdown if not row[-1].startswith("`c-")]
    assert f"{3 + STALE + CURRENT + ODD} readings of {3 + ODD} figures" in article


def test_the_curated_tables_keep_every_claim_of_a_summarised_discrepancy(run):
    [d] = run.reconciliation.discrepancies
    every = sorted(c.claim_id for c in run.claims)
    with rendered(run) as files:
        claims = list(csv.DictReader(io.StringIO(files["curated/claims.csv"].decode())))
        [row] = csv.DictReader(io.StringIO(files["curated/discrepancies.csv"].decode()))
        report = files["reports/discrepancies.md"].decode()

    assert sorted(c["claim_id"] for c in claims) == every
    assert len({c["fact_id"] for c in claims}) == 1
    assert sorted(row["claim_ids"].split("; ")) == every
    assert int(row["n_figures"]) == 3 + ODD
    assert len(re.findall(r"`c-[0-9a-f]{16}`", report)) < len(every)  # the report summarises


def test_at_the_limit_every_reading_is_listed_and_one_more_page_summarises():
    claims = [official(v, y) for v, y in ((47180, 2022), (48780, 2023), (50250, 2024))]
    pages = [stated_claim(47180 + i, source=f"page-{i:02d}", figure=f"${47180 + i:,}", **MEDIAN)
             for i in range(LISTED_READINGS + 1)]
    authorities = {c.source_id: "primary" if c.source_id.startswith("oews") else "secondary"
                   for c in claims + pages}

    at = run_from_claims(claims + pages[:-1], authorities)
    [d] = at.reconciliation.discrepancies
    found = listing(d, at.reconciliation.ranks)
    assert not found.summarised  # the official readings are not counted
    assert list(found.rows) == [r for c in d.clusters for r in c.readings]
    report = discrepancy_report(at)
    assert " of them listed: " not in report and "… " not in report
    assert len(section_rows(report)) == 3 + LISTED_READINGS
    assert 'class="more"' not in html_report(at)

    above = run_from_claims(claims + pages, authorities)
    [d] = above.reconciliation.discrepancies
    assert listing(d, above.reconciliation.ranks).summarised


def test_below_the_limit_the_section_is_every_reading_in_order():
    """What a discrepancy's section was before summaries, row for row."""
    from pipeline.report import _release_cell, period_text

    claims = [official(v, y) for v, y in ((47180, 2022), (50250, 2024))]
    claims += [stated_claim(47180, source="stale", figure="$47,180", **MEDIAN),
               stated_claim(52000, source="odd", figure="$52,000", **MEDIAN)]
    run = run_from_claims(claims, {"oews-2022": "primary", "oews-2024": "primary",
                                   "stale": "secondary", "odd": "secondary"})
    rec = run.reconciliation
    [d] = rec.discrepancies
    expected = []
    for cluster in d.clusters:
        for r in cluster.readings:
            c = r.claim
            rank = rec.ranks[c.claim_id]
            period = f"{period_text(c.period)} ({c.period_basis})" if c.period else "not stated"
            expected.append([figure_of(r), c.figure, c.source_id, period,
                             _release_cell(rec.matches, r),
                             rank[1] + (f" ({rank[2]})" if rank[2] else ""), f"“{c.quote}”",
                             f"`{c.claim_id}`"])
    assert section_rows(discrepancy_report(run)) == expected


def test_a_summary_is_the_same_whatever_order_the_claims_come_in():
    claims, authorities = many_pages_claims()
    first = discrepancy_report(run_from_claims(claims, authorities))
    again = discrepancy_report(run_from_claims(list(reversed(claims)), authorities))
    assert first == again


def test_a_cell_names_a_few_sources_and_counts_the_rest(run):
    report = discrepancy_report(run)
    pages = sorted(c.source_id for c in run.claims if c.source_id.startswith("stale"))

    assert ids_text(pages) == ", ".join(pages[:IDS_LISTED]) + f", and {STALE - IDS_LISTED} more"
    assert ids_text(pages[:IDS_LISTED]) == ", ".join(pages[:IDS_LISTED])
    # the headline's "pages stale" cell of the median pay
    [row] = [line for line in report.splitlines() if line.startswith("| median pay |")]
    assert f"| {STALE} ({ids_text(pages)}) |" in row
    # the official series: the pages quoting May 2022, a few of them named
    [series] = [line for line in report.splitlines() if line.startswith("- **median pay**")]
    assert f"; and {STALE - IDS_LISTED} more pages" in series
    assert series.count("stale-") == IDS_LISTED
    html = html_report(run)
    headline = re.search(r'<table class="headline">.*?</table>', html, re.S).group(0)
    assert f'{STALE} <span class="muted">({ids_text(pages)})</span>' in headline


def test_a_chart_lists_a_few_page_figures_of_each_outcome_and_counts_the_rest(run):
    from pipeline.report_html import occupations

    [occupation] = occupations(run, render_svg=False)
    [chart] = occupation.charts
    rows = page_rows(chart.data.pages)

    assert len(chart.data.pages) == STALE + CURRENT + ODD
    shown = [p for p, _ in rows if p is not None]
    counted = [text for p, text in rows if p is None]
    outcomes = {p.outcome for p in chart.data.pages}
    assert {"current", "stale"} <= outcomes and {p.outcome for p in shown} == outcomes
    assert all(sum(p.outcome == o for p in shown)
               == min(PAGE_FIGURES_LISTED, sum(p.outcome == o for p in chart.data.pages))
               for o in outcomes)
    assert f"… {STALE - PAGE_FIGURES_LISTED} more stale figures from " \
           f"{STALE - PAGE_FIGURES_LISTED} pages" in counted
    assert page_rows(chart.data.pages[:LISTED_READINGS]) == \
        [(p, "") for p in chart.data.pages[:LISTED_READINGS]]
    html = html_report(run)
    assert f"every one is in curated/claims.csv, the rows with fact_id {chart.data.fact_id}" \
        in html


def test_the_changes_name_a_few_sources_and_count_the_rest():
    pages = [f"page-{i:03d}" for i in range(30)]
    change = DiscrepancyChange("opened", "d-1", "wage", None, ("conflict", "high", "open"),
                               tuple(pages + ["oews"]), ("oews",))
    assert change.sources_text() == ", ".join(pages) + "; 1 official source"
    assert change.sources_text(IDS_LISTED) == (", ".join(pages[:IDS_LISTED])
                                               + ", and 20 more; 1 official source")
    fact = FactChange("changed", "f-1", "wage", {"sources": []}, {"sources": pages})
    assert fact.details() == ["sources " + " ".join(f"+{p}" for p in pages)]
    assert fact.details(3) == ["sources +page-000 +page-001 +page-002 and 27 more"]


def test_problems_beyond_a_few_are_counted_and_found_in_problems_csv(run):
    from dataclasses import replace

    many = replace(run, problems=[problem("occupation-unresolved", source_id=f"page-{i:03d}",
                                          path=f"raw/page-{i:03d}.html", detail="‘x’")
                                  for i in range(PROBLEMS_LISTED + 7)])
    report = discrepancy_report(many)
    listed = [line for line in report.splitlines() if line.startswith("- ")
              and "occupation-unresolved" in line]
    assert len(listed) == PROBLEMS_LISTED
    assert "- … and 7 more: every problem is in reports/problems.csv" in report
    html = html_report(many)
    assert html.count("<code>occupation-unresolved</code>") == PROBLEMS_LISTED
    assert "… and 7 more: every problem is in reports/problems.csv" in html


def test_a_range_with_only_its_top_reads_up_to():
    from pipeline.reconcile import reading_of

    claim = stated_claim(None, source="ad", figure="$75,000", metric="wage", statistic="range",
                         high=75000.0, quote="Up to $75,000 a year with overtime")
    assert figure_of(reading_of(claim, "secondary")) == "up to $75,000"


def test_omitted_rows_say_how_many():
    assert Omitted(1, 1, "$50,250").text() == "… 1 more reading of this figure from 1 source"
    assert Omitted(2, 1, "$1 to $2", figures=2).text() == "… 2 more figures: 2 readings from 1 source"
