"""Captures of one page: URL identity, archived copies, which capture is current, and
what the refresh makes of older and duplicate captures (history, counted once).

Registries are built in tmp dirs with small pages that state their figures plainly.
"""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from extractors.claims import new_claim
from pipeline.pages import (archived_copy, normalised_url, page_captures, page_changes,
                            PageCapture)
from pipeline.refresh import refresh
from pipeline.registry import Source

# --- URL identity --------------------------------------------------------------------------

SAME_PAGE = [
    ("https://example.org/careers/mrs", "http://example.org/careers/mrs"),
    ("https://example.org/careers/mrs", "https://EXAMPLE.org/careers/mrs/"),
    ("https://example.org/careers/mrs", "https://example.org:443/careers/mrs#median-pay"),
    ("http://example.org/", "https://example.org"),
    ("https://example.org/p?occ=29-2072", "https://example.org/p/?occ=29-2072#x"),
]
OTHER_PAGE = [
    ("https://example.org/careers/mrs", "https://example.org/careers/rn"),
    ("https://example.org/p?occ=29-2072", "https://example.org/p?occ=29-1141"),
    ("https://example.org/careers/mrs", "https://example.org:8443/careers/mrs"),
    ("https://example.org/Careers/MRS", "https://example.org/careers/mrs"),  # paths keep case
]


@pytest.mark.parametrize("a,b", SAME_PAGE)
def test_urls_of_one_page_normalise_alike(a, b):
    assert normalised_url(a) == normalised_url(b)


@pytest.mark.parametrize("a,b", OTHER_PAGE)
def test_urls_of_different_pages_stay_apart(a, b):
    assert normalised_url(a) != normalised_url(b)


HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){1,2}", fullmatch=True)
PATHS = st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,8}", fullmatch=True), max_size=4)


@given(host=HOSTS, segments=PATHS, https=st.booleans(), upper=st.booleans(),
       slash=st.booleans(), fragment=st.from_regex(r"[a-z0-9-]{0,8}", fullmatch=True))
def test_normalising_ignores_scheme_host_case_trailing_slash_and_fragment(
        host, segments, https, upper, slash, fragment):
    path = "/" + "/".join(segments) if segments else ""
    plain = f"https://{host}{path}"
    varied = (f"{'https' if https else 'http'}://{host.upper() if upper else host}{path}"
              f"{'/' if slash else ''}{'#' + fragment if fragment else ''}")

    assert normalised_url(varied) == normalised_url(plain)
    assert normalised_url(normalised_url(plain)) == normalised_url(plain)


ARCHIVES = [
    ("https://web.archive.org/web/20220514123456/https://www.bls.gov/ooh/x.htm",
     ("https://www.bls.gov/ooh/x.htm", "2022-05-14T12:34:56Z")),
    ("https://web.archive.org/web/20220514123456id_/https://www.bls.gov/ooh/x.htm",
     ("https://www.bls.gov/ooh/x.htm", "2022-05-14T12:34:56Z")),
    ("http://web.archive.org/web/2022/http://example.org/mrs?x=1",
     ("http://example.org/mrs?x=1", "2022-01-01T00:00:00Z")),
    ("https://wayback.archive-it.org/1234/20190301000000/https://example.org/mrs",
     ("https://example.org/mrs", "2019-03-01T00:00:00Z")),
    ("https://example.org/careers/mrs", None),
    ("https://example.org/web/2022/report.pdf", None),
]


@pytest.mark.parametrize("url,expected", ARCHIVES, ids=lambda x: str(x)[:40])
def test_archived_copies_name_their_page_and_timestamp(url, expected):
    assert archived_copy(url) == expected


@given(host=HOSTS, segments=PATHS,
       stamp=st.datetimes(min_value=__import__("datetime").datetime(1996, 1, 1),
                          max_value=__import__("datetime").datetime(2099, 12, 31)))
def test_any_wayback_url_gives_back_its_page_and_timestamp(host, segments, stamp):
    page = f"https://{host}/" + "/".join(segments)
    url = f"https://web.archive.org/web/{stamp:%Y%m%d%H%M%S}/{page}"

    original, when = archived_copy(url)

    assert normalised_url(original) == normalised_url(page)
    assert when == f"{stamp:%Y-%m-%dT%H:%M:%S}Z"


# --- which capture is current ---------------------------------------------------------------

def source(id, *, url="", sha=None, retrieved="2026-01-09", format="html", archived="",
           original_url="", supersedes=""):
    return Source(id=id, path=f"raw/{id}", format=format, sha256=sha or id, retrieved=retrieved,
                  title=id, authority="secondary", url=url, original_url=original_url,
                  archived=archived, supersedes=supersedes)


def statuses(sources) -> dict[str, tuple[str, str]]:
    return {k: (p.status, p.next) for k, p in page_captures(sources).items()}


def test_a_source_alone_on_its_page_is_current():
    assert statuses([source("a", url="https://x.org/p"), source("b")]) == {
        "a": ("current", ""), "b": ("current", "")}


def test_the_latest_capture_of_a_url_is_current_and_the_others_superseded():
    found = statuses([source("new", url="https://x.org/p/", retrieved="2026-03-02T10:00:00Z"),
                      source("old", url="http://X.org/p", retrieved="2025-03-02"),
                      source("mid", url="https://x.org/p#pay", retrieved="2025-09-01")])

    assert found == {"new": ("current", ""), "old": ("superseded", "mid"),
                     "mid": ("superseded", "new")}


def test_the_same_bytes_under_two_ids_are_one_duplicate():
    found = statuses([source("a", sha="same", retrieved="2026-01-09"),
                      source("b", sha="same", retrieved="2026-01-09")])

    assert found == {"a": ("duplicate", "b"), "b": ("current", "")}


def test_text_and_html_captures_of_one_url_at_one_moment_are_duplicates():
    found = statuses([source("as-html", url="https://x.org/p", format="html"),
                      source("as-text", url="https://x.org/p", format="text")])

    assert sorted(s for s, _ in found.values()) == ["current", "duplicate"]


def test_an_archived_copy_counts_under_its_original_url_at_the_archive_time():
    found = statuses([
        source("live", url="https://www.bls.gov/ooh/x.htm", retrieved="2026-03-02"),
        source("archived", url="https://web.archive.org/web/20220514/https://www.bls.gov/ooh/x.htm",
               original_url="https://www.bls.gov/ooh/x.htm", archived="2022-05-14T00:00:00Z",
               retrieved="2026-03-03")])

    assert found == {"live": ("current", ""), "archived": ("superseded", "live")}


def test_supersedes_links_captures_without_urls():
    found = statuses([source("v2", supersedes="v1"), source("v1")])

    assert found == {"v2": ("current", ""), "v1": ("superseded", "v2")}


# --- page changes -------------------------------------------------------------------------

def wage(source_id, value, figure, precision=1.0, period=""):
    return new_claim(source_id=source_id, occupation="29-2072", metric="wage",
                     statistic="median", unit="USD/year", value=value, figure=figure,
                     precision=precision, quote=f"Median pay: {figure}", locator="chars=0-20",
                     method="label-value", period=period,
                     period_start=int(period) if period else None,
                     period_end=int(period) if period else None)


def growth(source_id, value):
    return new_claim(source_id=source_id, occupation="29-2072", metric="employment_growth",
                     statistic="change", unit="percent", value=value, figure=f"{value:g}%",
                     precision=1.0, quote=f"grow {value:g}%", locator="chars=30-40",
                     method="sentence")


def pages_of(*ids) -> dict[str, PageCapture]:
    sources = [source(i, url="https://x.org/p", retrieved=f"202{n}-01-01")
               for n, i in enumerate(ids)]
    return page_captures(sources)


def test_page_changes_name_each_changed_added_and_removed_figure():
    claims = [wage("v1", 44090, "$44,090", period="2020"), growth("v1", 7),
              wage("v2", 46660, "$46,660", period="2021"), growth("v2", 7),
              new_claim(source_id="v2", occupation="29-2072", metric="education",
                        statistic="typical", unit="category", value_text="postsecondary "
                        "nondegree award", figure="Certificate", quote="Certificate",
                        locator="chars=50-61", method="label-value")]

    changes = page_changes(claims, pages_of("v1", "v2"))

    assert [(c.change, c.key[1], c.before, c.after) for c in changes] == [
        ("added", "education", "", "postsecondary nondegree award"),
        ("changed", "wage", "$44,090 (2020)", "$46,660 (2021)")]
    assert {(c.before_capture, c.after_capture) for c in changes} == {("v1", "v2")}


def test_the_same_figure_rounded_differently_is_no_change():
    claims = [wage("v1", 48780, "$48,780"), wage("v2", 49000, "$49K", precision=1000)]

    assert page_changes(claims, pages_of("v1", "v2")) == []


def test_a_figure_no_longer_stated_is_removed():
    claims = [wage("v1", 44090, "$44,090"), growth("v1", 7), wage("v2", 44090, "$44,090")]

    assert [(c.change, c.before) for c in page_changes(claims, pages_of("v1", "v2"))] == [
        ("removed", "7%")]


# --- the refresh ----------------------------------------------------------------------------

def page(wage_text: str) -> bytes:
    return (f"<html><head><title>MRS</title></head><body><p>Median annual wage: {wage_text}"
            "</p></body></html>").encode()


def registry(tmp_path: Path, *pages: tuple[str, str, bytes, dict]) -> Path:
    """A project whose registry lists (id, file, bytes, extra keys) in order."""
    raw = tmp_path / "raw"
    raw.mkdir()
    entries = []
    for source_id, name, data, extra in pages:
        (raw / name).write_bytes(data)
        entries.append({"id": source_id, "path": name,
                        "sha256": hashlib.sha256(data).hexdigest(), "retrieved": "2026-01-09",
                        "title": source_id, "authority": "secondary", "occupation": "29-2072",
                        **extra})
    (raw / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    return raw / "sources.yaml"


def wage_fact(run):
    return next(f for f in run.reconciliation.facts if f.key[1] == "wage")


def test_the_same_bytes_under_two_ids_count_once(tmp_path):
    path = registry(tmp_path, ("first", "a.html", page("$50,250"), {}),
                    ("copy", "b.html", page("$50,250"), {}))

    run = refresh(path)

    fact = wage_fact(run)
    assert (fact.status, fact.rule) == ("single-source", "single-source")
    assert [p.code for p in run.problems] == ["duplicate-capture"]
    assert {r[2] for r in run.history.values()} == {"duplicate-capture"}


def test_text_and_html_captures_of_one_url_count_once(tmp_path):
    url = {"url": "https://example.org/careers/mrs"}
    path = registry(tmp_path, ("as-html", "a.html", page("$50,250"), url),
                    ("as-text", "a.txt", b"Median annual wage: $50,250\n",
                     {"url": "http://EXAMPLE.org/careers/mrs/"}))

    run = refresh(path)

    assert wage_fact(run).status == "single-source"
    assert run.problems == []


def test_an_older_capture_is_history_not_a_dissenting_source(tmp_path):
    url = "https://example.org/careers/mrs"
    path = registry(tmp_path,
                    ("mrs-2025", "a.html", page("$44,090"), {"url": url,
                                                             "retrieved": "2025-03-02"}),
                    ("mrs-2026", "b.html", page("$46,660"), {"url": url,
                                                             "retrieved": "2026-03-02",
                                                             "supersedes": "mrs-2025"}))

    run = refresh(path)

    fact = wage_fact(run)
    assert (fact.status, fact.chosen.claim.value) == ("single-source", 46660)
    assert run.reconciliation.discrepancies == []
    old = next(c for c in run.claims if c.source_id == "mrs-2025")
    assert run.history[old.claim_id] == (fact.fact_id, "deprecated", "superseded-capture")
    assert [(c.change, c.before, c.after) for c in run.changes] == [
        ("changed", "$44,090", "$46,660")]


def test_curated_outputs_keep_history_claims_with_their_rank(tmp_path):
    from pipeline.outputs import rendered

    url = "https://example.org/careers/mrs"
    path = registry(tmp_path,
                    ("mrs-2025", "a.html", page("$44,090"), {"url": url,
                                                             "retrieved": "2025-03-02"}),
                    ("mrs-2026", "b.html", page("$46,660"), {"url": url}))

    files = rendered(refresh(path))

    claims = list(csv.DictReader(io.StringIO(files["curated/claims.csv"].decode())))
    assert {(r["source_id"], r["rank"], r["rank_reason"]) for r in claims} == {
        ("mrs-2025", "deprecated", "superseded-capture"), ("mrs-2026", "preferred",
                                                           "single-source")}
    sources = list(csv.DictReader(io.StringIO(files["curated/sources.csv"].decode())))
    assert {(r["source_id"], r["capture_status"], r["current_capture"]) for r in sources} == {
        ("mrs-2025", "superseded", "mrs-2026"), ("mrs-2026", "current", "mrs-2026")}
    report = files["reports/discrepancies.md"].decode()
    assert "### example.org/careers/mrs" in report and "| changed | $44,090 | $46,660 |" in report


def test_an_archived_capture_dates_its_claims_by_the_archive(tmp_path):
    path = registry(tmp_path, ("archived", "a.html", page("$44,090"), {
        "url": "https://web.archive.org/web/20220514123456/https://example.org/mrs",
        "original_url": "https://example.org/mrs", "archived": "2022-05-14T12:34:56Z"}))

    run = refresh(path)

    assert {c.page_date for c in run.claims} == {"2022-05-14"}


def test_supersedes_naming_no_entry_is_a_warning_and_the_capture_still_counts(tmp_path):
    path = registry(tmp_path, ("mrs", "a.html", page("$50,250"), {"supersedes": "gone"}))

    run = refresh(path)

    assert [(p.code, p.severity) for p in run.problems] == [("supersedes-unknown", "warning")]
    assert wage_fact(run).status == "single-source"


def test_two_urls_serving_the_same_bytes_count_once_and_stay_two_pages():
    first = [source("a1", url="https://x.org/pay", sha="same", retrieved="2026-01-09"),
             source("b1", url="https://x.org/dir", sha="same", retrieved="2026-01-10")]

    assert statuses(first) == {"a1": ("duplicate", "b1"), "b1": ("current", "")}

    # the first URL changes and is captured again: each page has its own current capture
    later = first + [source("a2", url="https://x.org/pay", sha="new", retrieved="2026-02-01",
                            supersedes="a1")]
    found = page_captures(later)

    assert statuses(later) == {"a1": ("superseded", "a2"), "b1": ("current", ""),
                               "a2": ("current", "")}
    assert (found["a2"].previous, found["b1"].previous) == ("a1", "")
    # and the second changes too, later: still its own page, superseding only its own
    last = later + [source("b2", url="https://x.org/dir", sha="newer", retrieved="2026-03-01",
                           supersedes="b1")]
    assert statuses(last) == {"a1": ("superseded", "a2"), "b1": ("superseded", "b2"),
                              "a2": ("current", ""), "b2": ("current", "")}
