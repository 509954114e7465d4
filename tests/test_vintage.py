"""Vintage matching of claims stated directly: which release each figure is from, how
stale a page is, and which pages mix editions."""
from __future__ import annotations

from pipeline.reconcile import reconcile
from pipeline.vintage import match_releases, mixed_vintage
from tests.conftest import stated_claim

WAGE = dict(metric="wage", statistic="median", unit="USD/year")
GROWTH = dict(metric="employment_growth", statistic="change", unit="percent")
AUTHORITIES = {"bls": "primary", "page": "secondary"}


def official():
    return [
        stated_claim(60240, source="bls", figure="60240", period="2022", stated_in="OEWS May 2022", **WAGE),
        stated_claim(62100, source="bls", figure="62100", period="2023", stated_in="OEWS May 2023", **WAGE),
        stated_claim(65000, source="bls", figure="65000", period="2024", stated_in="OEWS May 2024", **WAGE),
        stated_claim(5, source="bls", figure="5", period="2023-2033",
                     stated_in="Employment Projections 2023-2033", **GROWTH),
        stated_claim(4, source="bls", figure="4", period="2024-2034",
                     stated_in="Employment Projections 2024-2034", **GROWTH),
    ]


def page(history_basis: str):
    """A May 2024 page: the 2024 median and 2024-2034 projections, and the May 2022
    median cited as a past figure ("In May 2022 the median was $60,240")."""
    return [
        stated_claim(65000, source="page", figure="$65,000", period="2024", **WAGE),
        stated_claim(4, source="page", figure="4%", period="2024-2034", **GROWTH),
        stated_claim(60240, source="page", figure="$60,240", period="2022",
                     period_basis=history_basis, quote="In May 2022 the median was $60,240",
                     **WAGE),
    ]


def test_a_figure_cited_as_history_is_matched_to_its_release():
    claims, matches = match_releases(official() + page("history"), AUTHORITIES)

    past = next(c for c in claims if c.source_id == "page" and c.figure == "$60,240")
    assert (matches[past.claim_id].outcome, matches[past.claim_id].release) == (
        "matched", "OEWS May 2022")
    assert (past.period_basis, past.stated_in) == ("history", "OEWS May 2022")


def test_history_never_makes_a_page_mixed_vintage():
    claims, matches = match_releases(official() + page("history"), AUTHORITIES)

    assert mixed_vintage(claims, matches, AUTHORITIES) == {}


def test_the_same_figure_stated_as_current_does_make_the_page_mixed_vintage():
    claims, matches = match_releases(official() + page("stated"), AUTHORITIES)

    assert mixed_vintage(claims, matches, AUTHORITIES) == {"page": [2022, 2024]}


def test_history_is_counted_apart_from_the_pages_current_and_stale_figures():
    result = reconcile(official() + page("history"), AUTHORITIES)

    vintage = result.sources["page"]
    assert (vintage.current, vintage.stale, vintage.history, vintage.editions) == (2, 0, 1, ())


def test_pages_citing_one_past_release_as_history_are_no_copy_cluster():
    pages = [stated_claim(60240, source=s, figure="$60,240", period="2022",
                          period_basis="history", **WAGE) for s in ("page-a", "page-b")]
    result = reconcile(official() + pages, {"bls": "primary", "page-a": "secondary",
                                            "page-b": "secondary"})

    fact = next(f for f in result.facts if f.key[1:3] == ("wage", "median"))
    past = next(c for c in fact.clusters if c.representative.value == 60240)
    assert past.copies == "" and past.independent_sources == 3
    assert fact.chosen.value == 65000


def test_the_claims_contract_accepts_history_as_a_period_basis():
    from pipeline.tables import claims_frame
    from schemas.claims import quarantine

    valid, bad = quarantine(claims_frame(page("history")))

    assert len(bad) == 0 and "history" in set(valid["period_basis"])
