"""Clustering a key's readings (pipeline.reconcile.clusters_of) by figure, not pairwise.

The specification is the rule as first written: each reading, most precise first, joins
the first cluster whose representative agrees with it and none of whose dated readings
is of another period (`reference_clusters` below, which compares every reading with
every cluster). `clusters_of` finds the candidates by figure; these tests hold it to the
same clusters, in the same order, on generated keys full of ties, near misses, ranges,
open ranges, categories and periods, and on the edge cases by name.
"""
from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline.reconcile as reconcile_module
from extractors.claims import new_claim
from pipeline.reconcile import (CATEGORICAL_UNITS, Cluster, _periods_compatible, _sort_value,
                                agree, clusters_of, reading_of)


def reference_clusters(readings):
    """The rule as first written: every reading against every cluster (quadratic)."""
    ordered = sorted(readings, key=lambda r: (r.precision, r.authority != "primary",
                                              not r.period_known,
                                              -(r.claim.period_end or 0)
                                              if r.claim.unit in CATEGORICAL_UNITS else 0,
                                              _sort_value(r), r.claim.claim_id))
    clusters = []
    for reading in ordered:
        home = next((c for c in clusters if agree(c.representative, reading)
                     and (reading.claim.unit in CATEGORICAL_UNITS
                          or all(_periods_compatible(reading, x) for x in c.readings))), None)
        if home is None:
            clusters.append(Cluster([reading]))
        else:
            home.readings.append(reading)
    return sorted(clusters, key=lambda c: (_sort_value(c.representative),
                                           c.representative.claim.claim_id))


def shape(clusters):
    return [[r.claim.claim_id for r in c.readings] for c in clusters]


def reading(value=None, *, low=None, high=None, unit="USD/year", precision=1.0,
            period="", basis="", source="s1", authority="secondary", text="", n=0):
    first, _, last = period.partition("-")
    statistic = "range" if low is not None else "median"
    metric = "education" if unit == "category" else "wage"
    claim = new_claim(source_id=source, metric=metric, statistic=statistic, unit=unit,
                      value=value, low=low, high=high, value_text=text, figure="$1",
                      precision=precision, quote="$1", locator=f"chars={n}-{n + 1}",
                      method="test", period=period, period_basis=basis,
                      period_start=int(first) if first else None,
                      period_end=int(last or first) if period else None)
    return reading_of(claim, authority)


# --- generated keys: the same clusters as the rule as first written ----------------------

BASES = (50250.0, 48780.0, 47180.0, 49000.0, 24.16)
NUDGES = (0.0, 0.004, 0.005, 0.5, 0.5000000001, 1.0, 10.0, 20.8, 499.0, 500.0, 500.5, 1000.0)
PERIODS = ("", "", "2023", "2024", "2023-2033", "2024-2034", "-2033")
PRECISIONS = (0.01, 1.0, 1.0, 10.0, 100.0, 1000.0)


@st.composite
def numeric_readings(draw, n=st.integers(1, 40)):
    out = []
    for i in range(draw(n)):
        hourly = draw(st.booleans()) and draw(st.booleans())
        base = draw(st.sampled_from(BASES))
        number = round(base + draw(st.sampled_from(NUDGES)) * draw(st.sampled_from((1, -1))), 6)
        if hourly:
            number = round(number / 2080, 2) if number > 1000 else number
        kind = draw(st.sampled_from(("point", "point", "range", "open")))
        period = draw(st.sampled_from(PERIODS))
        out.append(reading(
            number if kind == "point" else None,
            low=number if kind != "point" else None,
            high=round(number * draw(st.sampled_from((1.2, 1.5))), 0) if kind == "range" else None,
            unit="USD/hour" if hourly else "USD/year",
            precision=draw(st.sampled_from(PRECISIONS)), period=period,
            basis=draw(st.sampled_from(("", "history", "inferred", "matched"))) if period else "",
            source=draw(st.sampled_from(("a", "b", "c", "bls"))),
            authority=draw(st.sampled_from(("primary", "secondary", "unknown"))), n=i))
    return out


@st.composite
def categorical_readings(draw):
    return [reading(unit="category", text=draw(st.sampled_from(("bachelor's degree",
                                                                   "associate's degree",
                                                                   "postsecondary nondegree award"))),
                    period=draw(st.sampled_from(PERIODS)),
                    source=draw(st.sampled_from(("a", "b", "ep"))),
                    authority=draw(st.sampled_from(("primary", "secondary"))), n=i)
            for i in range(draw(st.integers(1, 20)))]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numeric_readings())
def test_numeric_keys_cluster_as_the_rule_says(readings):
    assert shape(clusters_of(readings)) == shape(reference_clusters(readings))


@settings(max_examples=150, deadline=None)
@given(categorical_readings())
def test_categories_cluster_as_the_rule_says(readings):
    assert shape(clusters_of(readings)) == shape(reference_clusters(readings))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from((0.0, 1e-12, 7.5, -3.0, 1e250, -1e250, 1e16)),
                          st.sampled_from((1e-9, 1.0, 1e20)),
                          st.sampled_from(("", "2024"))), min_size=1, max_size=12))
def test_extreme_figures_and_precisions_cluster_as_the_rule_says(specs):
    readings = [reading(v, precision=p, period=period, n=i)
                for i, (v, p, period) in enumerate(specs)]
    assert shape(clusters_of(readings)) == shape(reference_clusters(readings))


# --- the edge cases by name --------------------------------------------------------------

def test_a_tie_between_sources_is_one_cluster_led_by_the_primary_source():
    readings = [reading(50250, source="page-a", n=1), reading(50250, source="page-b", n=2),
                reading(50250, source="bls", authority="primary", n=3)]
    [cluster] = clusters_of(readings)
    assert cluster.representative.source_id == "bls"
    assert cluster.sources == ["bls", "page-a", "page-b"]


def test_ties_of_equal_rank_are_ordered_by_claim_id():
    readings = [reading(50250, source=s, n=i) for i, s in enumerate("dcba")]
    [cluster] = clusters_of(readings)
    ids = [r.claim.claim_id for r in cluster.readings]
    assert ids == sorted(ids)


def test_equal_figures_at_different_precision_join_the_precise_one():
    exact, rounded, hourly = (reading(48780, n=1), reading(49000, precision=1000, n=2),
                              reading(23.45, unit="USD/hour", precision=0.01, n=3))
    [cluster] = clusters_of([rounded, hourly, exact])
    assert cluster.representative is exact
    assert [r.claim.claim_id for r in cluster.readings] == [
        exact.claim.claim_id, hourly.claim.claim_id, rounded.claim.claim_id]


def test_a_rounded_figure_between_two_exact_ones_joins_the_first_opened():
    # $49K agrees with both $48,780 and $49,100: it joins the cluster opened first, which
    # is the one whose representative sorts first (the lower figure, at equal rank)
    low, high, rounded = reading(48780, n=1), reading(49100, n=2), reading(49000, precision=1000, n=3)
    clusters = clusters_of([rounded, high, low])
    assert [len(c.readings) for c in clusters] == [2, 1]
    assert clusters[0].representative is low


def test_a_rounded_figure_never_joins_a_figure_of_another_period():
    dated = reading(48780, period="2023", n=1)
    other = reading(49000, precision=1000, period="2024", n=2)
    assert len(clusters_of([dated, other])) == 2


def test_an_undated_figure_joins_a_dated_cluster_but_a_dated_one_of_another_year_does_not():
    a, b, c = reading(50250, period="2024", n=1), reading(50250, n=2), reading(50250, period="2023", n=3)
    clusters = clusters_of([a, b, c])
    assert shape(clusters) == shape(reference_clusters([a, b, c]))
    assert sorted(len(x.readings) for x in clusters) == [1, 2]


def test_a_range_never_joins_a_point_nor_an_open_range():
    point = reading(55000, n=1)
    closed = reading(low=55000, high=80000, n=2)
    open_ended = reading(low=55000, n=3)
    assert len(clusters_of([point, closed, open_ended])) == 3


def test_ranges_agree_at_both_ends_only():
    a = reading(low=40000, high=80000, n=1)
    b = reading(low=40000, high=80000, source="b", n=2)
    c = reading(low=40000, high=81000, n=3)
    d = reading(low=40000, high=80000, precision=1000, n=4)
    assert [len(x.readings) for x in clusters_of([a, b, c, d])] == [3, 1]


def test_a_figure_that_is_not_a_number_is_a_cluster_of_its_own():
    readings = [reading(math.nan, n=1), reading(math.nan, n=2), reading(math.inf, n=3),
                reading(50250, n=4)]
    assert shape(clusters_of(readings)) == shape(reference_clusters(readings))
    assert len(clusters_of(readings)) == 4


def test_many_figures_in_one_key_cluster_as_the_rule_says():
    rng = random.Random(11)
    readings = []
    for i in range(3000):
        base = rng.randrange(20000, 400000, 10)
        kind = rng.random()
        if kind < 0.5:
            readings.append(reading(low=base, high=base + rng.randrange(1000, 90000, 10),
                                    source=f"p{i % 300}", n=i))
        elif kind < 0.8:
            readings.append(reading(base, source=f"p{i % 300}", period=rng.choice(PERIODS), n=i))
        else:
            readings.append(reading(round(base, -3), precision=1000, source=f"p{i % 300}", n=i))
    readings += readings[:500]  # the same figures again
    assert shape(clusters_of(readings)) == shape(reference_clusters(readings))


def test_clustering_compares_a_reading_with_a_few_clusters_not_all(monkeypatch):
    """10,280 readings of one national wage range once meant 52.8 million agreement checks;
    a reading is now compared only with the clusters its figure could agree with."""
    calls = []

    def counting(a, b):
        calls.append(1)
        return agree(a, b)

    monkeypatch.setattr(reconcile_module, "agree", counting)
    rng = random.Random(3)
    n = 20_000
    readings = [reading(low=rng.randrange(20000, 60000), high=rng.randrange(60000, 300000),
                        source=f"page-{i % 5000}", n=i) for i in range(n)]
    clusters = clusters_of(readings)
    assert sum(len(c.readings) for c in clusters) == n
    assert len(calls) < 3 * n  # the rule as first written: about n * clusters / 2 = 2e8
