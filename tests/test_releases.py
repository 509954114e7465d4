"""The official files: their readers (every layout, on small extracts and on the shipped
files), the releases table on SOC 2018 codes, its cache, and vintage matching of pages
about any occupation against it."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import extractors.official as official_readers
from extractors.claims import new_claim
from extractors.official import (OfficialFileError, Sheet, ep_figure, ep_occupation,
                                 oews_figure, oews_national, sheets, soc_crosswalk)
from pipeline.official import (cache_key, hybrid_components, official_tables,
                               releases_on_soc_2018)
from pipeline.registry import load_registry
from pipeline.vintage import (ReleaseFigure, agency_pairings, match_releases, mixed_vintage,
                              percentile_ranges, release_figures)
from tests.real_layouts import expected_claims, pages

REPO = Path(__file__).resolve().parent.parent
OFFICIAL = REPO / "raw" / "official"

# --- small extracts of each layout -------------------------------------------------------

OLD = ["OCC_CODE", "OCC_TITLE", "OCC_GROUP", "TOT_EMP", "EMP_PRSE", "H_MEAN", "A_MEAN",
       "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10",
       "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
CEO_2013 = ["11-1011", "Chief Executives", "detailed", 248760, 0.6, 85.77, 178400, 0.3, 36.07,
            53.18, 82.5, "#", "#", 75030, 110610, 171610, "#", "#", "", ""]
NEW = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP",
       "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000",
       "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10",
       "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75",
       "A_PCT90", "ANNUAL", "HOURLY"]
MRS_2024 = ["99", "U.S.", "1", "US", "000000", "Cross-industry", "cross-industry", "1235",
            "29-2072", "Medical Records Specialists", "detailed", 187910, 1.0, "", "", "", "",
            26.91, 55970, 0.6, 17.2, 20, 24.16, 30.8, 38.92, 35780, 41600, 50250, 64070, 80950,
            "", ""]
NOTES_2024 = Sheet("Field Descriptions", [["May 2024 OEWS Estimates"], ["Notes:"],
                   ["#  = indicates a wage equal to or greater than $115.00 per hour or "
                    "$239,200 per year "]])


def figures(rows, code, unit=None):
    return {(r["statistic"], r["unit"]): r for r in rows if r["published_code"] == code
            and (unit is None or r["unit"] == unit)}


def test_the_2013_to_2018_layout_without_a_stated_year_takes_the_registry_period():
    rows, problems = oews_national([Sheet("national_dl", [OLD, CEO_2013])], "2013")
    ceo = figures(rows, "11-1011")
    assert problems == []
    assert ceo[("median", "USD/year")]["value"] == 171610
    assert ceo[("median", "USD/hour")]["figure"] == "82.50"  # the file holds 82.5
    top = ceo[("p90", "USD/year")]
    # "#" is top-coded; a file that does not state its threshold gives no number at all
    assert (top["value"], top["low"], top["special"]) == (None, None, "top-coded")
    assert "does not state" in top["note"]
    assert {r["release"] for r in rows} == {"OEWS May 2013"}


def test_the_2019_and_later_layouts_read_the_year_and_top_code_from_field_descriptions():
    for header, row in ((NEW, MRS_2024), ([h.lower() for h in NEW if h != "PCT_RPT"],
                                          MRS_2024[:16] + MRS_2024[17:])):
        ceo = list(row)
        ceo[8:11] = ["11-1011", "Chief Executives", "detailed"]
        ceo[[h.upper() for h in header].index("A_MEDIAN")] = "#"
        data = Sheet("national_M2024_dl", [header, row, ceo])
        rows, problems = oews_national([data, NOTES_2024], "")
        assert problems == []
        assert figures(rows, "29-2072")[("median", "USD/year")]["value"] == 50250
        top = figures(rows, "11-1011")[("median", "USD/year")]
        assert (top["value"], top["low"], top["high"]) == (None, 239200.0, None)
        assert top["note"] == "# in the file: a wage at or above $239,200 a year"
        assert figures(rows, "29-2072")[("median", "USD/year")]["locator"] == (
            "xlsx:national_M2024_dl!row=2;col=A_MEDIAN")


def test_a_period_the_file_contradicts_is_reported_not_used():
    rows, problems = oews_national([Sheet("d", [NEW, MRS_2024]), NOTES_2024], "2023")
    assert rows == [] and [code for code, _ in problems] == ["official-period-mismatch"]
    rows, problems = oews_national([Sheet("d", [OLD, CEO_2013])], "")
    assert rows == [] and [code for code, _ in problems] == ["official-period-missing"]


def test_an_occupation_listed_twice_as_broad_and_detailed_is_read_once():
    broad = ["13-1020", "Buyers and Purchasing Agents", "broad"] + CEO_2013[3:]
    detailed = ["13-1020", "Buyers and Purchasing Agents", "detailed"] + CEO_2013[3:]
    rows, _ = oews_national([Sheet("d", [OLD, broad, detailed])], "2018")
    assert len([r for r in rows if r["statistic"] == "median"]) == 2  # hourly and annual
    assert {r["occupation_level"] for r in rows} == {"detailed"}


def test_a_sheet_without_oews_columns_is_an_unknown_layout():
    with pytest.raises(OfficialFileError) as caught:
        oews_national([Sheet("x", [["soc", "wage"], ["29-2072", 1]])], "2024")
    assert caught.value.code == "official-layout-unknown"


EP_HEADER_1_7 = ["2019 National Employment Matrix title", "2019 National Employment Matrix code",
                 "Occupation type", "Employment, 2019", "Employment, 2029",
                 "Employment change, numeric, 2019-29", "Employment change, percent, 2019-29",
                 "Percent self employed, 2019", "Occupational openings, 2019-29 annual average",
                 "Median annual wage, 2020(1)", "Typical education needed for entry",
                 "Work experience in a related occupation",
                 "Typical on-the-job training needed to attain competency in the occupation"]


def test_employment_projections_2019_29_layout_pairs_its_projections_with_may_2020_wages():
    table = Sheet("Table 1.7", [["Table 1.7 Occupational projections, 2019-29, and worker "
                                 "characteristics, 2019\n(Numbers in thousands)"], EP_HEADER_1_7,
                                ["Physical therapist assistants", "31-2021", "Line item", 98.7,
                                 130.9, 32.2, 32.6, "—", 15.1, 59770, "Associate's degree",
                                 "None", "None"]])
    rows, problems = ep_occupation([Sheet("Index", [["Contents"]]), table], "")
    got = {(r["metric"], r["statistic"], r["period"]): r for r in rows}
    assert problems == []
    assert got[("employment", "unspecified", "2019")]["value"] == 98700
    assert got[("employment", "projected", "2029")]["value"] == 130900
    assert got[("employment_growth", "change", "2019-2029")]["value"] == 32.6
    assert got[("annual_openings", "unspecified", "2019-2029")]["value"] == 15100
    assert got[("education", "typical", "2019-2029")]["value_text"] == "associate's degree"
    assert {r["release"] for r in rows} == {"Employment Projections 2019-2029"}
    assert {r["pairs_with"] for r in rows} == {"OEWS May 2020"}


@given(st.sampled_from(["*", "**", "#", "—", " * ", "#  "]),
       st.sampled_from(["USD/year", "USD/hour", "count"]))
def test_special_values_never_become_numbers(cell, unit):
    read = oews_figure(cell, unit, {}) if cell.strip() != "—" else ep_figure(cell, unit)
    assert read.get("value") is None and read["special"] and read["note"]


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: round(x, 2)))
def test_numbers_are_read_as_they_are(number):
    assert oews_figure(number, "USD/hour", {})["value"] == number
    assert oews_figure(f"{number:,.2f}", "USD/hour", {})["value"] == pytest.approx(number)


def test_the_crosswalk_is_read_from_the_bls_workbook_and_the_csv_alike():
    xlsx = soc_crosswalk(sheets((OFFICIAL / "soc_2010_to_2018_crosswalk.xlsx").read_bytes(),
                                "xlsx"))[0]
    csv_ = soc_crosswalk(sheets((OFFICIAL / "soc_2010_to_2018_crosswalk.csv").read_bytes(),
                                "csv"))[0]
    pairs = [(r["soc2010"], r["soc2018"]) for r in xlsx]
    assert pairs == [(r["soc2010"], r["soc2018"]) for r in csv_] and len(pairs) == 900
    assert ("29-2071", "29-2072") in pairs and ("29-2071", "29-9021") in pairs
    assert not any("(#" in r["title2018"] for r in xlsx)


# --- on SOC 2018 codes ---------------------------------------------------------------------

STRUCTURE = [dict(code=c, title=t, level="detailed", parent="") for c, t in (
    ("29-2072", "Medical Records Specialists"), ("29-9021", "Health Information "
     "Technologists and Medical Registrars"), ("29-2036", "Medical Dosimetrists"),
    ("29-2099", "Health Technologists and Technicians, All Other"),
    ("15-1252", "Software Developers"), ("47-2111", "Electricians"))]
CROSSWALK = [dict(soc2010=a, soc2018=b, title2010="", title2018="") for a, b in (
    ("29-2071", "29-2072"), ("29-2071", "29-9021"), ("15-1132", "15-1252"),
    ("15-1133", "15-1252"), ("47-2111", "47-2111"), ("29-9099", "29-9021"))]


def row(code, title, source, release="OEWS May 2016"):
    return dict(published_code=code, published_title=title, metric="wage", statistic="median",
                unit="USD/year", geography="United States", release=release, period="2016",
                period_end=2016, source_id=source, locator=f"x!{code}")


def test_rows_are_put_on_soc_2018_with_how_they_relate():
    rows = [row("29-2071", "Medical Records and Health Information Technicians", "old"),
            row("15-1132", "Software Developers, Applications", "old"),
            row("15-1133", "Software Developers, Systems Software", "old"),
            row("47-2111", "Electricians", "old"),
            row("29-2098", "Medical Dosimetrists, Medical Records Specialists, and Health "
                "Technologists and Technicians, All Other", "hybrid", "OEWS May 2020"),
            row("21-1018", "Substance Abuse, Behavioral Disorder, and Mental Health "
                "Counselors", "hybrid", "OEWS May 2020")]
    mapped = {(r["occupation"], r["published_code"]): r["relation"]
              for r in releases_on_soc_2018(rows, STRUCTURE, CROSSWALK)}
    assert mapped == {
        ("29-2072", "29-2071"): "split", ("29-9021", "29-2071"): "split",
        ("15-1252", "15-1132"): "merged", ("15-1252", "15-1133"): "merged",
        ("47-2111", "47-2111"): "crosswalk",
        ("29-2036", "29-2098"): "hybrid", ("29-2072", "29-2098"): "hybrid",
        ("29-2099", "29-2098"): "hybrid", ("21-1018", "21-1018"): "as-published"}


def test_hybrid_titles_are_split_only_into_known_titles():
    known = {s["title"].lower(): s["code"] for s in STRUCTURE}
    assert hybrid_components("Electricians and Software Developers", known) == [
        "47-2111", "15-1252"]
    assert hybrid_components("Electricians", known) == []


# --- the shipped files ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped(careerfacts_shared_cache):
    captures, problems = load_registry(REPO / "raw" / "sources.yaml")
    assert problems == []
    official, official_problems = official_tables(captures, careerfacts_shared_cache)
    return captures, official, official_problems


SPOT_CHECKS = {  # SOURCES.md: A_MEDIAN, H_MEDIAN, TOT_EMP of the medical records code
    2013: ("29-2071", 34970, 16.81, 180760, 50510), 2014: ("29-2071", 35900, 17.26, 184740, 51110),
    2015: ("29-2071", 37110, 17.84, 189930, 51880), 2016: ("29-2071", 38040, 18.29, 200140, 52720),
    2017: ("29-2071", 39180, 18.83, 204220, 54110), 2018: ("29-2071", 40350, 19.40, 208650, 55190),
    2019: ("29-2098", 42630, 20.50, 331790, 56180), 2020: ("29-2098", 44090, 21.20, 318010, 56900),
    2021: ("29-2072", 46660, 22.43, 180570, 60040), 2022: ("29-2072", 47180, 22.69, 187720, 60240),
    2023: ("29-2072", 48780, 23.45, 185690, 61590), 2024: ("29-2072", 50250, 24.16, 187910, 62350),
}


def test_every_oews_release_is_read_as_published(shipped):
    _, official, problems = shipped
    assert [p for p in problems if p.severity == "error"] == []
    rows = official.releases_of({"29-2072", "47-2111"})
    for year, (code, annual, hourly, employed, electricians) in SPOT_CHECKS.items():
        mine = {(r["statistic"], r["unit"]): r["value"] for r in rows
                if r["release"] == f"OEWS May {year}" and r["occupation"] == "29-2072"}
        assert (mine[("median", "USD/year")], mine[("median", "USD/hour")],
                mine[("unspecified", "count")]) == (annual, hourly, employed), year
        assert {r["published_code"] for r in rows if r["release"] == f"OEWS May {year}"
                and r["occupation"] == "29-2072"} == {code}
        assert [r["value"] for r in rows if r["release"] == f"OEWS May {year}"
                and r["occupation"] == "47-2111" and r["statistic"] == "median"
                and r["unit"] == "USD/year"] == [electricians]


def test_employment_projections_give_growth_openings_and_education_per_cycle(shipped):
    _, official, _ = shipped
    got = {(r["release"], r["metric"], r["statistic"]): r
           for r in official.releases_of({"29-2072"}) if r["program"] == "EP"}
    cycle = got[("Employment Projections 2024-2034", "employment_growth", "change")]
    assert (cycle["value"], cycle["precision"], cycle["period"]) == (7.1, 0.1, "2024-2034")
    assert got[("Employment Projections 2024-2034", "employment", "unspecified")]["value"] == 194800
    assert got[("Employment Projections 2024-2034", "annual_openings", "unspecified")][
        "value"] == 14200
    assert got[("Employment Projections 2024-2034", "education", "typical")]["value_text"] == (
        "postsecondary nondegree award")
    hybrid = got[("Employment Projections 2019-2029", "employment_growth", "change")]
    assert (hybrid["published_code"], hybrid["relation"], hybrid["pairs_with"]) == (
        "29-2098", "hybrid", "OEWS May 2020")


def test_the_releases_table_covers_every_occupation_and_release(shipped):
    import pyarrow.parquet as pq

    _, official, _ = shipped
    table = pq.read_table(official.releases_path, columns=["occupation", "release", "special"])
    releases = set(table.column("release").to_pylist())
    assert {f"OEWS May {y}" for y in range(2013, 2025)} <= releases
    assert {"Employment Projections 2019-2029", "Employment Projections 2023-2033",
            "Employment Projections 2024-2034"} <= releases
    assert len(set(table.column("occupation").to_pylist())) > 1_300
    assert table.num_rows > 200_000


def test_the_releases_index_is_unique_and_repeats_without_the_published_code_only_for_parts(
        shipped):
    import pyarrow.parquet as pq
    from pipeline.official import RELEASE_INDEX

    _, official, _ = shipped
    frame = pq.read_table(official.releases_path,
                          columns=[*RELEASE_INDEX, "relation"]).to_pandas()
    assert not frame.duplicated(list(RELEASE_INDEX)).any()
    shorter = [c for c in RELEASE_INDEX if c != "published_code"]
    repeated = frame[frame.duplicated(shorter, keep=False)]
    assert len(repeated) > 0 and set(repeated["relation"]) == {"merged"}
    example = repeated[(repeated["occupation"] == "13-1082")
                       & (repeated["release"] == "OEWS May 2013")
                       & (repeated["metric"] == "employment")]
    assert sorted(example["published_code"]) == ["11-9199", "13-1199", "15-1199"]


def test_a_second_load_reads_no_spreadsheet(shipped, careerfacts_shared_cache, monkeypatch):
    captures, first, _ = shipped

    def refuse(*_):
        raise AssertionError("a spreadsheet was read again")
    monkeypatch.setattr("pipeline.official.sheets", refuse)
    again, _ = official_tables(captures, careerfacts_shared_cache)
    assert again.directory == first.directory
    assert len(again.releases_of({"29-2072"})) == len(first.releases_of({"29-2072"}))


def test_the_cache_key_follows_the_files_content_and_period(shipped):
    from dataclasses import replace

    captures, _, _ = shipped
    changed = [replace(c, source=replace(c.source, sha256="0" * 64))
               if c.source.id == "oews-national-2024" else c for c in captures]
    relabelled = [replace(c, source=replace(c.source, period="2023"))
                  if c.source.id == "oews-national-2024" else c for c in captures]
    assert len({cache_key(captures), cache_key(changed), cache_key(relabelled)}) == 3


def test_an_unreadable_official_file_costs_only_itself(tmp_path):
    from dataclasses import replace

    captures, _ = load_registry(REPO / "raw" / "sources.yaml")
    kept = [c for c in captures if c.source.id in ("oews-national-2024", "soc-2018-structure")]
    broken = [replace(c, held=b"PK\x03\x04 not a workbook") if c.source.id ==
              "oews-national-2024" else c for c in kept]
    official, problems = official_tables(broken, tmp_path)
    assert [(p.code, p.source_id) for p in problems] == [
        ("document-unreadable", "oews-national-2024")]
    assert official.title_of("29-2072") == "Medical Records Specialists"


# --- vintage matching against the releases ------------------------------------------------

def major_group(soc: str) -> str:
    return soc[:2]


def test_pages_about_any_occupation_are_matched_to_the_release_they_used(shipped):
    """Every national wage a real-layouts page states (figures built from the corpus's
    expected claims, not from today's extraction) is matched to the OEWS release the
    corpus README names for that page."""
    _, official, _ = shipped
    passed: dict[str, str] = {}
    for name, page in pages().items():
        if not page["oews"]:
            continue
        rows = [(row, claim) for row, claim in expected_claims(name, page["soc"])
                if claim.metric == "wage" and claim.geography == "United States"
                and not claim.industry and not claim.level and claim.high is None
                and claim.low is None]
        if not rows:
            continue
        figures = release_figures(official.releases_of({page["soc"]}), [], {})
        _, matches = match_releases([c for _, c in rows], {}, figures)
        got = {(c.figure, matches[c.claim_id].outcome, matches[c.claim_id].release)
               for _, c in rows}
        assert got == {(c.figure, "matched", page["oews"]) for _, c in rows}, name
        passed[page["soc"]] = page["oews"]
    assert len(passed) >= 25
    assert len({major_group(soc) for soc in passed}) >= 10
    assert len(set(passed.values())) >= 7  # May 2016 … May 2024


def test_projections_are_matched_to_the_cycle_the_page_states(shipped):
    _, official, _ = shipped
    checked = 0
    for name, page in pages().items():
        rows = [c for _, c in expected_claims(name, page["soc"])
                if c.metric in ("employment_growth", "annual_openings") and c.period]
        if not rows:
            continue
        figures = release_figures(official.releases_of({page["soc"]}), [], {})
        _, matches = match_releases(rows, {}, figures)
        for claim in rows:
            assert (matches[claim.claim_id].outcome, matches[claim.claim_id].release) == (
                "matched", f"Employment Projections {claim.period}"), (name, claim.figure)
            checked += 1
    assert checked >= 20


def test_a_may_2020_wage_with_2019_29_projections_is_how_the_handbook_paired_them(shipped):
    _, official, _ = shipped
    name = "ooh-quickfacts_physical-therapist-assistants_2021.html"
    figures = release_figures(official.releases_of({"31-2021"}), [], {})
    claims = [c for _, c in expected_claims(name, "31-2021")]
    _, matches = match_releases(claims, {}, figures)
    pairs = agency_pairings(figures, [], {})
    assert (2020, 2019) in pairs
    assert mixed_vintage(claims, matches, {}, pairs) == {}
    assert mixed_vintage(claims, matches, {}, set()) == {name: [2019, 2020]}


def test_a_may_2024_wage_with_2023_33_projections_is_mixed_vintage(shipped):
    _, official, _ = shipped
    name = "mixed-vintage_physical-therapists_2024.txt"
    figures = release_figures(official.releases_of({"29-1123"}), [], {})
    claims = [c for _, c in expected_claims(name, "29-1123")]
    _, matches = match_releases(claims, {}, figures)
    assert mixed_vintage(claims, matches, {}, agency_pairings(figures, [], {})) == {
        name: [2023, 2024]}


def test_an_official_page_stating_both_pairs_them_too():
    page = "https://www.bls.gov/ooh/example.htm"

    def official(value, period, release, metric="wage"):
        first, _, last = period.partition("-")
        return new_claim(source_id="bls", metric=metric, statistic="median" if metric ==
                         "wage" else "change", unit="USD/year" if metric == "wage" else "percent",
                         value=value, figure=str(value), quote=str(value), locator=period,
                         method="test", period=period, period_start=int(first),
                         period_end=int(last or first), stated_in=release, citation=page)
    claims = [official(37110, "2015", "OEWS May 2015"),
              official(15, "2014-2024", "Employment Projections 2014-2024", "employment_growth")]
    assert agency_pairings([], claims, {"bls": "primary"}) == {(2015, 2014)}


def test_a_split_soc_2010_code_is_matched_against_each_part():
    def figure(code, value):
        return ReleaseFigure(code, "wage", "median", "USD/year", "United States", "OEWS May 2024",
                             "2024", 2024, 2024, value)
    figures = [figure("29-2072", 50250), figure("29-9021", 67310)]
    page = new_claim(source_id="p", occupation="29-2071", metric="wage", statistic="median",
                     unit="USD/year", value=50250, figure="$50,250", quote="$50,250",
                     locator="chars=0-7", method="test")
    claims, matches = match_releases([page], {}, figures, {page.claim_id: ("29-2072", "29-9021")})
    assert (claims[0].occupation, claims[0].occupation_basis) == ("29-2072", "crosswalk")
    assert matches[page.claim_id].release == "OEWS May 2024"
    assert "split in SOC 2018 into 29-2072 and 29-9021" in matches[page.claim_id].note


def test_a_figure_cited_as_history_is_matched_but_is_not_the_pages_vintage():
    def figure(value, period, release):
        return ReleaseFigure("47-2111", "wage", "median", "USD/year", "United States", release,
                             period, int(period), int(period), value)
    figures = [figure(60240, "2022", "OEWS May 2022"), figure(62350, "2024", "OEWS May 2024")]

    def page(value, period, basis):
        return new_claim(source_id="p", occupation="47-2111", metric="wage", statistic="median",
                         unit="USD/year", value=value, figure=f"${value:,}", quote="q",
                         locator=f"chars={value}", method="test", period=period,
                         period_start=int(period), period_end=int(period), period_basis=basis)
    claims = [page(62350, "2024", "stated"), page(60240, "2022", "history")]
    _, matches = match_releases(claims, {}, figures)
    assert [matches[c.claim_id].release for c in claims] == ["OEWS May 2024", "OEWS May 2022"]
    assert mixed_vintage(claims, matches, {}) == {}


# --- ranges: a page's "from $X to $Y" against the percentile pairs of each release ----------

def percentile(statistic, value, year, unit="USD/year"):
    return ReleaseFigure("29-2072", "wage", statistic, unit, "United States",
                         f"OEWS May {year}", str(year), year, year, value,
                         locator=f"{year}:{statistic}:{unit}")


RELEASES = [percentile("p10", 31710, 2022), percentile("p90", 73040, 2022),
            percentile("p10", 35080, 2023), percentile("p25", 39620, 2023),
            percentile("p75", 61960, 2023), percentile("p90", 77810, 2023),
            percentile("p25", 19.05, 2023, "USD/hour"), percentile("p75", 29.79, 2023, "USD/hour")]


def range_claim(low, high, figure, unit="USD/year", period=""):
    first = int(period) if period else None
    precision = 1000.0 if "K" in figure else 0.01 if unit == "USD/hour" else 1.0
    return new_claim(source_id="p", occupation="29-2072", metric="wage", statistic="range",
                     unit=unit, low=low, high=high, figure=figure, quote=figure,
                     precision=precision,
                     locator=f"chars=0-{len(figure)}", method="test", period=period,
                     period_start=first, period_end=first,
                     period_basis="stated" if period else "")


@pytest.mark.parametrize("low, high, figure, unit, period, release, spans", [
    (35080, 77810, "$35,080 - $77,810", "USD/year", "", "OEWS May 2023", "10th to 90th"),
    (31710, 73040, "$31,710–$73,040", "USD/year", "", "OEWS May 2022", "10th to 90th"),
    (39620, 61960, "$39,620 to $61,960", "USD/year", "", "OEWS May 2023", "25th to 75th"),
    (19.05, 29.79, "$19.05 - $29.79 an hour", "USD/hour", "", "OEWS May 2023", "25th to 75th"),
    (35000, 78000, "$35K–$78K", "USD/year", "", "OEWS May 2023", "10th to 90th"),
    (35080, 77810, "$35,080 - $77,810", "USD/year", "2023", "OEWS May 2023", "10th to 90th"),
])
def test_a_range_of_two_published_percentiles_is_matched_to_their_release(
        low, high, figure, unit, period, release, spans):
    claim = range_claim(low, high, figure, unit, period)

    claims, matches = match_releases([claim], {}, RELEASES + percentile_ranges(RELEASES))

    match = matches[claim.claim_id]
    assert (match.outcome, match.release) == ("matched", release)
    assert spans in match.note
    assert (claims[0].stated_in, claims[0].period_end) == (release, int(release[-4:]))
    assert claims[0].period_basis == ("stated" if period else "matched")


@pytest.mark.parametrize("low, high, period", [
    (35080, 80000, ""),        # one end only
    (30000, 90000, ""),        # a range drawn some other way
    (35080, 77810, "2022"),    # another release's percentiles: not a figure that differs
])
def test_a_range_that_is_no_pair_of_its_releases_percentiles_is_unmatched(low, high, period):
    claim = range_claim(low, high, f"${low:,} - ${high:,}", period=period)

    _, matches = match_releases([claim], {}, RELEASES + percentile_ranges(RELEASES))

    assert matches[claim.claim_id].outcome == "unmatched"


def test_ranges_on_real_layouts_are_matched_only_to_the_release_the_page_used(shipped):
    """The national wage ranges of the real-layouts pages (their expected claims): those
    that are a pair of published percentiles are matched to the OEWS release the corpus
    README names for the page, and none to another release."""
    _, official, _ = shipped
    matched = 0
    for name, page in pages().items():
        if not page["oews"]:
            continue
        rows = [c for _, c in expected_claims(name, page["soc"])
                if c.metric == "wage" and c.statistic == "range" and c.low is not None
                and c.high is not None and c.geography == "United States"
                and not c.industry and not c.level]
        if not rows:
            continue
        figures = release_figures(official.releases_of({page["soc"]}), [], {})
        _, matches = match_releases(rows, {}, figures)
        for claim in rows:
            match = matches[claim.claim_id]
            assert match.outcome in ("matched", "unmatched"), (name, claim.figure, match)
            if match.outcome == "matched":
                assert match.release == page["oews"], (name, claim.figure, match.release)
                matched += 1
    assert matched >= 1  # "$90K–$154K": the 25th to 75th percentiles of May 2023
