"""What labels, column headers and row labels say about their figures."""
import dataclasses

import pytest

from extractors import labels as L


def test_a_senses_fields_are_read_in_order():
    sense = L.Sense(metric="wage", statistic="median", unit="USD/year", change=True,
                    ignore="x", dimension="geography", level="entry", words="w")
    names = [f.name for f in dataclasses.fields(L.Sense)]
    assert L.astuple_shallow(sense) == tuple(getattr(sense, n) for n in names)


def test_merging_fills_only_the_empty_fields():
    a = L.Sense(metric="wage", unit="USD/hour")
    b = L.Sense(metric="employment", statistic="median", unit="USD/year", level="entry")
    assert a.merged(b) == L.Sense(metric="wage", statistic="median", unit="USD/hour", level="entry")
    assert a.merged(L.Sense()) is a and L.Sense().merged(b) is b


@pytest.mark.parametrize("label, metric, statistic, unit", [
    ("Lowest decile", "wage", "p10", ""),
    ("Upper quartile", "wage", "p75", ""),
    ("High (90%)", "wage", "p90", ""),
    ("the best-paid tenth", "wage", "p90", ""),
    ("Wage survey employment, May 2023", "employment", "", ""),
    ("Wage and salary employment", "employment", "", ""),
    ("Median pay for jobs in Ohio", "wage", "median", ""),
    ("How much do welders earn in Ohio?", "wage", "", ""),
    ("Change, 2024–34", "employment", "change", ""),
    ("Change, 2023–33, %", "employment_growth", "change", ""),
])
def test_what_a_label_names(label, metric, statistic, unit):
    s = L.sense(label)
    assert (s.metric, s.statistic, s.unit) == (metric, statistic, unit)
