"""Reconciliation of the seed pages (tests/seeds/expected_conflicts.md) and its rules."""
from pathlib import Path

import pytest

from extractors.claims import new_claim
from pipeline.outputs import facts_table
from pipeline.reconcile import (agree, classify, clusters_of, infer_periods, key_of,
                                reading_of, reconcile, resolve)
from pipeline.refresh import refresh

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run():
    return refresh(ROOT / "raw" / "sources.yaml")


def discrepancy(run, **key):
    found = [d for d in run.reconciliation.discrepancies
             if all(dict(zip(("occupation", "metric", "statistic", "unit", "geography",
                              "level", "industry", "union_status", "schedule", "subgroup"),
                             d.key))[k] == v for k, v in key.items())]
    assert len(found) == 1, [d.key for d in found]
    return found[0]


def figures(d):
    return [[r.claim.figure for r in c.readings] for c in d.clusters]


US_MEDIAN = dict(metric="wage", statistic="median", unit="USD/year", geography="United States",
                 level="")


# --- the conflicts the seed pages must raise ---------------------------------------------

def test_median_pay_is_a_vintage_discrepancy_resolved_to_the_latest_year(run):
    d = discrepancy(run, **US_MEDIAN)
    assert d.kind == "vintage" and d.severity == "low"
    # $24.16/h agrees with $50,250 and $49K with $48,780: three figures, not five
    assert sorted(sorted(f) for f in figures(d)) == [
        ["$24.16", "$50,250"], ["$47,180", "$47,180"], ["$48,780", "$49K"]]
    assert d.proposed.claim.figure == "$50,250" and d.proposed.claim.period == "2024"
    assert d.rule == "latest-stated"


def test_median_pay_fact_keeps_the_others_as_attributed_alternatives(run):
    facts = facts_table(run)
    row = facts[(facts.metric == "wage") & (facts.statistic == "median")
                & (facts.level == "") & (facts.geography == "United States")].iloc[0]
    assert (row.value, row.period, row.status, row.rule) == (50250, "2024", "resolved",
                                                             "latest-stated")
    assert row.supporting_sources == "seed-001"
    assert row.dissenting_sources == "seed-002; seed-003"
    assert "$47,180 (seed-002, 2022)" in row.alternatives
    assert "$48,780 (seed-003)" in row.alternatives
    roles = run.reconciliation.roles
    assert sorted(role for _, role in (roles[r.claim.claim_id] for c in
                  discrepancy(run, **US_MEDIAN).clusters for r in c.readings)) == [
        "alternative"] * 4 + ["chosen", "supporting"]


def test_projected_growth_is_a_vintage_discrepancy(run):
    d = discrepancy(run, metric="employment_growth")
    assert d.kind == "vintage" and d.severity == "low"
    assert {r.claim.period for c in d.clusters for r in c.readings} == {
        "2023-2033", "-2032", "2024-2034"}
    assert len(d.clusters) == 3


def test_education_is_a_categorical_conflict_with_the_bachelors_page_as_outlier(run):
    d = discrepancy(run, metric="education", level="")
    assert d.kind == "categorical"
    assert "bachelor's degree" in d.explanation
    assert d.proposed.claim.value_text == "postsecondary nondegree award"
    assert d.rule == "agreement"


def test_certification_is_a_categorical_conflict(run):
    d = discrepancy(run, metric="certification_required")
    assert d.kind == "categorical"
    assert sorted({c.representative.claim.value_text for c in d.clusters}) == ["no", "yes"]


def test_job_level_table_contradicts_itself_on_all_us_workers(run):
    d = discrepancy(run, metric="wage", statistic="range", level="all")
    assert d.kind == "intra-source" and d.severity == "medium"
    assert "All workers" in d.explanation and "All levels" in d.explanation
    assert "$69,908.80" in d.explanation and "$49,004.80" in d.explanation


def test_prose_full_time_average_not_in_its_own_table_is_reported(run):
    d = discrepancy(run, metric="wage", statistic="mean", schedule="full-time")
    assert d.kind == "intra-source"
    assert "$50,793.60" in d.explanation and "$36,732.80 – $57,824.00" in d.explanation


# --- what must not be reported ----------------------------------------------------------

def test_no_discrepancy_compares_levels_or_percentiles_across_pages(run):
    for d in run.reconciliation.discrepancies:
        claims = [r.claim for c in d.clusters for r in c.readings]
        if len({c.source_id for c in claims}) > 1:
            assert all(c.statistic not in ("p10", "p25", "p75", "p90") for c in claims)
            assert all(c.level in ("", "all") for c in claims), d.key


def test_no_discrepancy_is_one_figure_repeated(run):
    for d in run.reconciliation.discrepancies:
        assert len(d.clusters) > 1
        values = {(c.representative.value, c.representative.low, c.representative.high,
                   c.representative.claim.value_text) for c in d.clusters}
        assert len(values) == len(d.clusters)


def test_percentiles_do_not_conflict_with_their_own_range(run):
    for d in run.reconciliation.discrepancies:
        sources = {r.source_id for c in d.clusters for r in c.readings}
        assert sources != {"seed-003"}, d.explanation


def test_nothing_is_lost(run):
    assert len(run.valid) + len(run.quarantined) == len(run.claims)
    assert set(run.reconciliation.roles) == set(run.valid.claim_id)


# --- the rules on their own -------------------------------------------------------------

def claim(value=None, *, unit="USD/year", precision=1.0, source="s1", period="", low=None,
          high=None, statistic="median", metric="wage", value_text="", figure="$1"):
    first, _, last = period.partition("-")
    return new_claim(source_id=source, metric=metric, statistic=statistic, unit=unit,
                     value=value, low=low, high=high, value_text=value_text, figure=figure,
                     precision=precision, quote=figure, locator=f"chars={value}-0",
                     method="test", period=period,
                     period_start=int(first) if first else None,
                     period_end=int(last or first) if period else None)


@pytest.mark.parametrize("a, b, same", [
    (claim(49000, precision=1000), claim(48780), True),
    (claim(49000, precision=1000), claim(48400), False),
    (claim(24.16, unit="USD/hour", precision=0.01), claim(50250), True),
    (claim(24.16, unit="USD/hour", precision=0.01), claim(50300), False),
    (claim(9, unit="percent", metric="employment_growth"),
     claim(8.5, unit="percent", metric="employment_growth", precision=0.1), False),
    (claim(low=55000, high=None, statistic="range"), claim(low=55000, high=80000,
                                                           statistic="range"), False),
], ids=["thousands", "thousands-off", "hourly", "hourly-off", "half-point", "open-range"])
def test_agreement_respects_stated_precision(a, b, same):
    assert agree(reading_of(a, "unknown"), reading_of(b, "unknown")) is same


def test_authority_outranks_a_later_period():
    readings = [reading_of(claim(50000, source="agency", period="2023"), "primary"),
                reading_of(claim(52000, source="blog", period="2024"), "secondary")]
    clusters = clusters_of(readings)
    winner, rule = resolve(clusters)
    assert rule == "authority" and clusters[winner].representative.value == 50000


def test_a_tie_is_left_to_an_analyst():
    readings = [reading_of(claim(50000, source="a"), "secondary"),
                reading_of(claim(52000, source="b"), "secondary")]
    assert resolve(clusters_of(readings)) == (None, "none")


def test_same_period_different_figures_is_unexplained():
    readings = [reading_of(claim(50000, source="a", period="2024"), "secondary"),
                reading_of(claim(52000, source="b", period="2024"), "secondary")]
    clusters = clusters_of(readings)
    assert classify(key_of(readings[0].claim), clusters)[0] == "unexplained"


def test_ranges_across_pages_differ_by_definition():
    readings = [reading_of(claim(low=1000, high=2000, statistic="range", source="a"), "unknown"),
                reading_of(claim(low=1500, high=2500, statistic="range", source="b"), "unknown")]
    assert classify(key_of(readings[0].claim), clusters_of(readings))[0] == "definition"


def test_a_page_stating_a_year_once_lends_it_to_its_repeat():
    stated, bare = claim(47180, period="2022"), claim(47180.0, figure="$47,180")
    inferred = {c.claim_id: c for c in infer_periods([stated, bare])}[bare.claim_id]
    assert (inferred.period, inferred.period_basis) == ("2022", "inferred")


def test_reconcile_is_deterministic(run):
    claims = [c for c in run.claims if c.claim_id in set(run.valid.claim_id)]
    authorities = {c.source.id: c.source.authority for c in run.captures}
    first = reconcile(claims, authorities)
    second = reconcile(list(reversed(claims)), authorities)
    assert [d.discrepancy_id for d in first.discrepancies] == [
        d.discrepancy_id for d in second.discrepancies]
    assert [f.fact_id for f in first.facts] == [f.fact_id for f in second.facts]
