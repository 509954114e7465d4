"""Occupation resolution: the page titles of the real-layouts corpus and the seeds, and
the order of the rules (stated code, another occupation's row, registry, title,
crosswalk)."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from extractors.claims import new_claim
from extractors.document import document_from_bytes, sniff_format
from extractors.titles import TitleCandidate, heading_like, title_candidates
from pipeline.occupations import TitleIndex, page_occupation, resolved_occupations, words
from pipeline.official import official_tables
from pipeline.refresh import refresh
from pipeline.registry import Source, load_registry
from tests.real_layouts import CORPUS, pages

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def official(careerfacts_shared_cache):
    captures, _ = load_registry(REPO / "raw" / "sources.yaml")
    return official_tables(captures, careerfacts_shared_cache)[0]


@pytest.fixture(scope="module")
def index(official):
    return TitleIndex.of(official)


def test_the_index_is_kept_beside_the_official_tables_and_checked(official, tmp_path):
    """A refresh that reads one new page without a registry occupation reads the index
    back instead of stemming every title again; a kept index that fails its checksum,
    or holds another shape, is built again and kept anew."""
    folder = tmp_path / official.directory.name
    shutil.copytree(official.directory, folder,
                    ignore=shutil.ignore_patterns("title-index-*", "*.duckdb"))
    copy = dataclasses.replace(official, directory=folder, _titles=None)
    built = TitleIndex.of(copy)
    kept = sorted(folder.glob("title-index-*.cfx"))
    assert len(kept) == 1
    read = TitleIndex.of(dataclasses.replace(copy, _titles=None))
    for name in TitleIndex._STATE:
        assert getattr(read, name) == getattr(built, name), name
    assert read.match("Medical Coder Salary Guide") == built.match("Medical Coder Salary Guide")
    assert read.match("Delivery Driver").outcome == "ambiguous"
    assert read.match("no such job at all").outcome == "none"  # lookups of unknown words
    stale = folder / "title-index-0000000000000000.cfx"  # kept by other code: dropped
    stale.write_bytes(b"old")
    kept[0].write_bytes(kept[0].read_bytes()[:-5])  # torn
    again = TitleIndex.of(dataclasses.replace(copy, _titles=None))
    assert again.phrases == built.phrases
    assert sorted(folder.glob("title-index-*.cfx")) == kept
    from pipeline.cache import sealed
    kept[0].write_bytes(sealed({"levels": []}))  # whole, but of another shape
    assert TitleIndex.of(dataclasses.replace(copy, _titles=None)).own == built.own
    # tables another refresh removed meanwhile: the index is built, their folder not made
    gone = dataclasses.replace(copy, directory=tmp_path / "official-gone", _titles=None)
    assert TitleIndex.of(gone).match("Medical Records Specialists").code == "29-2072"
    assert not (tmp_path / "official-gone").exists()


def titled_pages() -> dict[Path, str]:
    found = {CORPUS / name: page["soc"] for name, page in pages().items()}
    found.update({path: "29-2072" for path in sorted((REPO / "raw").glob("00*.txt"))})
    return found


def test_page_titles_name_the_right_occupation_or_are_reported(index):
    outcomes = {}
    for path, soc in titled_pages().items():
        data = path.read_bytes()
        doc = document_from_bytes(data, source_id="page", path=str(path),
                                  format=sniff_format(data, str(path)))
        found, _ = page_occupation(title_candidates(doc), index)
        outcomes[path.name] = ("right" if found.outcome == "resolved" and found.code == soc
                               else "wrong" if found.outcome == "resolved" else "reported")
    assert len(outcomes) == 36
    wrong = [name for name, outcome in outcomes.items() if outcome == "wrong"]
    assert wrong == []  # never wrong and confident
    right = sum(outcome == "right" for outcome in outcomes.values())
    assert right / len(outcomes) >= 0.95, {n: o for n, o in outcomes.items() if o != "right"}


@pytest.mark.parametrize("title, soc", [
    ("Medical Coder Salary Guide", "29-2072"),
    ("Health Information Technician", "29-9021"),
    ("Electricians", "47-2111"),
    ("How Much Do Dentists Make Around the World?", "29-1021"),  # broad title, one detailed
    ("What Do CEOs Make? Industry Pay Breakdown", "11-1011"),
    ("Paramedic Salary by Experience Level", "29-2043"),  # not 29-2042 (EMTs)
    ("Warehouse & Material Mover Jobs in Ohio", "53-7062"),  # "Material Movers" is 53-7199
    ("Phlebotomists (31-9097) by area", "31-9097"),
    # a SOC title's head, as pages shorten it
    ("Opticians: Pay, Outlook and Duties | JobAtlas", "29-2081"),  # "Opticians, Dispensing"
    ("Kindergarten Teachers", "25-2012"),  # "…, Except Special Education"
    # an O*NET alternate title several occupations share: the one whose own title says it
    ("Elementary School Teachers", "25-2021"),  # not Special Education Teachers, Elementary
    ("Environmental Scientists: Pay and Outlook", "19-2041"),  # not Environmental Engineers
    ("Financial Analysts | CareerCompass", "13-2051"),  # not Statisticians
    # a head is no title where an official or alternate title says the same
    ("Dispatchers", "43-5030"),  # the broad group, not "Dispatchers, Except Police, …"
    ("Buyers and Purchasing Agents", "13-1020"),  # not "…, Farm Products"
], ids=lambda x: x[:30])
def test_titles_resolve(index, title, soc):
    found = index.match(title)
    assert (found.outcome, found.code) == ("resolved", soc)


@pytest.mark.parametrize("title, outcome", [
    ("Delivery Driver Jobs Near Reno, NV", "ambiguous"),
    ("Healthcare Support Occupations (31-0000)", "group"),
    ("Beauty School Guide", "none"),  # "Guide" names tour and travel guides alike: nothing
    ("Computer Database Occupations", "none"),
    ("Analysts", "none"),  # one word: no own title holds it alone
    ("Engineers", "none"),  # "Engineers, All Other" is no head
    ("Managers", "none"),
    ("Captains", "none"),  # "Captains, Mates, and Pilots of Water Vessels" is a list
], ids=lambda x: x[:30])
def test_titles_that_name_no_single_occupation(index, title, outcome):
    assert index.match(title).outcome == outcome


@pytest.mark.parametrize("title, candidates", [
    # occupations joined under one noun: both are named
    ("Kindergarten and Elementary School Teachers", ("25-2012", "25-2021")),
    ("Airline and Commercial Pilots", ("53-2011", "53-2012")),
    # a head two SOC titles share ("Bus Drivers, School", "Bus Drivers, Transit and
    # Intercity"): both, and not Shuttle Drivers, whose O*NET titles hold "Bus Driver" too
    ("Bus Drivers", ("53-3051", "53-3052")),
    # a head two SOC titles share names both ("Sales Representatives, Wholesale and
    # Manufacturing, [Except] Technical and Scientific Products")
    ("Sales Representative", ("41-4011", "41-4012")),
    # a college teacher's title decides nothing: high schools have history teachers too
    ("History Teacher", ("25-1125", "25-2022", "25-2031")),
], ids=lambda x: x if isinstance(x, str) else "")
def test_titles_that_name_several_occupations(index, title, candidates):
    found = index.match(title)
    assert (found.outcome, found.candidates) == ("ambiguous", candidates)


def test_an_ambiguous_title_is_narrowed_only_by_the_opening_sentence(index):
    candidates = [TitleCandidate("Delivery Driver Jobs Near Reno, NV", "heading"),
                  TitleCandidate("Route Delivery Driver", "heading"),
                  TitleCandidate("Light truck drivers earned a median of $42,470.", "lead")]
    found, said_by = page_occupation(candidates, index)
    assert (found.code, said_by) == ("53-3033", candidates[2].text)
    found, _ = page_occupation(candidates[:2], index)
    assert found.outcome == "ambiguous" and "53-3033" in found.candidates


def test_words_keep_acronyms_apart_from_words():
    assert words("What Do CEOs Make?") == ("what", "do", "CEO", "make")
    assert words("WHAT DO CEOS MAKE") == ("what", "do", "ceo", "make")


@pytest.mark.parametrize("line, heading", [
    ("Occupations A–Z | Healthcare | Pharmacy Technicians", True),
    ("Data Scientist Salary by State (May 2023)", True),
    ("2024 Median Pay: $50,250 per year", False),
    ("Nursing Assistants                                          26,049     18.40", False),
    ("Employment is the number of wage and salary jobs.", False),
])
def test_heading_like_lines(line, heading):
    assert heading_like(line) is heading


# --- the rules, on claims built directly ---------------------------------------------------

def source(id_: str, occupation: str = "", title: str = "Test page") -> Source:
    return Source(id=id_, path=f"raw/{id_}.txt", format="text", sha256="0" * 64,
                  retrieved="2026-01-09", title=title, authority="secondary",
                  occupation=occupation)


def claim(source_id: str, occupation: str = "", basis: str = "", text: str = "",
          locator: str = "chars=0-7"):
    return new_claim(source_id=source_id, occupation=occupation, occupation_basis=basis,
                     occupation_text=text, metric="wage", statistic="median", unit="USD/year",
                     value=50250, figure="$50,250", quote="$50,250", locator=locator,
                     method="test")


def test_the_rules_in_order(official):
    page = document_from_bytes(b"Electrician Pay in Ohio\n\nMedian pay: $62,350",
                               source_id="untitled", path="raw/untitled.txt")
    claims = [claim("registered", "29-2072"),  # the extractor copied the registry's code
              claim("registered", "15-1243", "stated", locator="chars=1-2"),
              claim("registered", "29-2072", text="Database Architects", locator="chars=2-3"),
              claim("untitled"),
              claim("old", "47-2111", locator="chars=3-4"),
              claim("old", "29-2071", "stated", locator="chars=4-5")]
    sources = {"registered": source("registered", "29-2072"), "untitled": source("untitled"),
               "old": source("old", "13-1071")}
    resolved, parts, problems = resolved_occupations(claims, [page], sources, official)
    got = [(c.occupation, c.occupation_basis) for c in resolved]
    assert got == [("29-2072", "registry"), ("15-1243", "stated"), ("15-1243", "title"),
                   ("47-2111", "title"), ("47-2111", "stated"), ("29-2071", "stated")]
    assert parts == {claims[5].claim_id: ("29-2072", "29-9021")}
    assert problems == []


def test_ambiguous_and_unknown_are_reported_with_their_candidates(official):
    page = document_from_bytes(b"Delivery Driver Jobs\n\nPay: $42,470",
                               source_id="jobs", path="raw/jobs.txt")
    claims = [claim("jobs"), claim("jobs", text="Technicians", locator="chars=1-2"),
              claim("jobs", "99-9999", "stated", locator="chars=2-3")]
    resolved, _, problems = resolved_occupations(claims, [page], {"jobs": source("jobs")},
                                                 official)
    assert [c.occupation for c in resolved] == ["", "", "99-9999"]
    codes = sorted(p.code for p in problems)
    assert codes == ["occupation-ambiguous", "occupation-unknown-code", "occupation-unresolved"]
    ambiguous = next(p for p in problems if p.code == "occupation-ambiguous")
    assert "53-3033 Light Truck Drivers" in ambiguous.message


def test_a_soc_2010_code_the_crosswalk_maps_to_one_occupation_becomes_that(official):
    resolved, _, _ = resolved_occupations([claim("p", "15-1131", "stated")], [],
                                          {"p": source("p")}, official)
    assert (resolved[0].occupation, resolved[0].occupation_basis) == ("15-1251", "crosswalk")


def primary(id_: str, occupation: str = "", title: str = "Official figures") -> Source:
    return dataclasses.replace(source(id_, occupation, title), authority="primary")


def test_a_split_soc_2010_code_becomes_the_part_the_registry_names(official):
    rows = [claim("bls", "29-2071", "stated"), claim("page", "29-2071", "stated")]
    sources = {"bls": primary("bls", "29-2072"), "page": source("page", "29-9021")}

    resolved, parts, problems = resolved_occupations(rows, [], sources, official)

    assert [(c.occupation, c.occupation_basis) for c in resolved] == [
        ("29-2072", "crosswalk"), ("29-9021", "crosswalk")]
    assert parts == {} and problems == []


def test_a_split_soc_2010_code_becomes_the_part_the_page_title_names(official):
    page = document_from_bytes(b"Medical Records Specialists\n\n29-2071 median: $50,250",
                               source_id="untitled", path="raw/untitled.txt")
    rows = [claim("untitled", "29-2071", "stated")]

    resolved, parts, problems = resolved_occupations(
        rows, [page], {"untitled": source("untitled", title="")}, official)

    assert [(c.occupation, c.occupation_basis) for c in resolved] == [("29-2072", "crosswalk")]
    assert parts == {} and problems == []


def test_a_primary_source_stating_a_split_code_without_a_part_is_reported(official):
    rows = [claim("bls", "29-2071", "stated")]

    resolved, parts, problems = resolved_occupations(
        rows, [], {"bls": primary("bls", title="Official figures")}, official)

    assert [(c.occupation, c.occupation_basis) for c in resolved] == [("", "")]
    assert [p.code for p in problems] == ["occupation-split"]
    assert "29-2072 Medical Records Specialists and 29-9021" in problems[0].message


def test_a_split_code_no_part_holds_has_no_occupation_and_is_reported(official):
    from pipeline.occupations import undecided_splits
    from pipeline.vintage import ReleaseFigure, match_releases

    def figure(code, value):
        return ReleaseFigure(code, "wage", "median", "USD/year", "United States",
                             "OEWS May 2024", "2024", 2024, 2024, value)
    page = claim("old", "29-2071", "stated")  # $50,250: in neither part's series here
    parts = {page.claim_id: ("29-2072", "29-9021")}

    claims, matches = match_releases([page], {}, [figure("29-2072", 48780),
                                                  figure("29-9021", 67310)], parts)

    assert (claims[0].occupation, claims[0].occupation_basis) == ("", "")
    [p] = undecided_splits(claims, parts, matches, {"old": source("old")}, official)
    assert p.code == "occupation-split" and "1 figure matches no single part" in p.message


def test_no_fact_of_the_seed_project_is_on_a_soc_2010_code(careerfacts_project):
    run = refresh(careerfacts_project / "raw" / "sources.yaml",
                  decisions=careerfacts_project / "none.yaml")

    crosswalk = run.official.crosswalk
    retired = {code for code in crosswalk if code not in run.official.structure}
    assert {f.key[0] for f in run.reconciliation.facts} & retired == set()
    assert {c.occupation for c in run.reconciliation.claims} & retired == set()
    table = [c for c in run.reconciliation.claims if c.source_id == "bls-pages-medical-records"]
    assert {(c.occupation, c.occupation_basis) for c in table if "29-2071" in c.quote} == {
        ("29-2072", "crosswalk")}
    median = next(f for f in run.reconciliation.facts
                  if f.key[:4] == ("29-2072", "wage", "median", "USD/year") and not any(f.key[5:]))
    assert (median.chosen.value, median.chosen.claim.stated_in) == (50250.0, "OEWS May 2024")


# --- end to end: a page registered without an occupation ------------------------------------

def test_a_page_registered_without_occupation_gets_it_from_its_title(tmp_path,
                                                                    careerfacts_register_page):
    root = tmp_path / "project"
    (root / "raw").mkdir(parents=True)
    shutil.copytree(REPO / "raw" / "official", root / "raw" / "official")
    entries = [e for e in yaml.safe_load((REPO / "raw" / "sources.yaml").read_text())["sources"]
               if e.get("dataset")]
    (root / "raw" / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}))
    page = (CORPUS / "handbook-prose_carpenters_2016.txt").read_bytes()
    careerfacts_register_page(root, "carpenters", "carpenters.txt", page)
    run = refresh(root / "raw" / "sources.yaml", decisions=root / "none.yaml")
    mine = [c for c in run.reconciliation.claims if c.source_id == "carpenters"]
    assert mine and {(c.occupation, c.occupation_basis) for c in mine} == {("47-2031", "title")}
    matched = {run.reconciliation.matches[c.claim_id].release for c in mine
               if run.reconciliation.matches[c.claim_id].outcome == "matched"}
    assert matched == {"OEWS May 2016"}
    assert not [p for p in run.problems if p.code.startswith("occupation")]


@pytest.mark.parametrize("heading", [
    "Medical Records Specialists (SOC 29-2072)",
    "Medical Records Specialists — SOC 29-2072",
    "Medical Records Specialists | SOC code: 29-2072.00",
])
def test_a_page_that_states_its_own_soc_code_in_its_heading(heading):
    from extractors import extract

    page = f"<html><body><h1>{heading}</h1><p>The median annual wage was $50,250 in May " \
           f"2024.</p></body></html>".encode()
    doc = document_from_bytes(page, source_id="p", path="p.html", format="html")

    assert [(c.occupation, c.occupation_basis) for c in extract(doc)] == [("29-2072", "stated")]
