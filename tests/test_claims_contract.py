"""The claims contract's row checks (schemas/claims.py) worked out a column at a time,
against the row-by-row rules they stand for, on generated rows; and a batch of claims
that breaks them quarantined row by row."""
from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.claims import (UNITS_OF_METRIC, _holds, in_plausible_range, quarantine,
                            quotes_hold_figures, unit_fits_metric)
from schemas.vocabulary import VALUE_BOUNDS
from pipeline.tables import claims_frame
from tests.conftest import stated_claim

UNITS = [*VALUE_BOUNDS, "category", "boolean"]
numbers = st.one_of(st.just(math.nan), st.floats(allow_nan=False),
                    st.sampled_from([0.0, -0.0, 1_000.0, 2_000_000.0, -100.0, 1e9, 60.0]))


def row_in_bounds(unit: str, statistic: str, *values: float) -> bool:
    lo, hi = VALUE_BOUNDS.get(unit, (float("-inf"), float("inf")))
    if statistic == "change":
        lo = min(lo, -hi)
    return all(pd.isna(x) or lo <= x <= hi for x in values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(["median", "change", "p90"]),
                          numbers, numbers, numbers), max_size=30))
def test_bounds_by_column_are_the_rule_row_by_row(rows):
    columns = list(zip(*rows)) if rows else [[], [], [], [], []]
    found = in_plausible_range(*[list(c) for c in columns])

    assert found.tolist() == [row_in_bounds(*row) for row in rows]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


text = st.text(alphabet=st.sampled_from(list("$5,0.2 Kk\t\n\u00a0\uff04\u2009e\u0301abc%-")),
               max_size=24)


@settings(max_examples=500, deadline=None)
@given(text, text)
def test_a_quote_holds_a_figure_as_the_normalised_rule_says(quote, figure):
    assert _holds(quote, figure) == (normalised(figure) in normalised(quote))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Pay: $5", "Pay:\t$5 \u2013 $9", "", " a  b "]) | text,
                          text), max_size=20))
def test_quotes_are_checked_a_column_at_a_time_as_row_by_row(rows):
    quotes = [quote for quote, _ in rows]
    figures = [figure for _, figure in rows]

    assert quotes_hold_figures(quotes, figures) == \
        [normalised(figure) in normalised(quote) for quote, figure in rows]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([*UNITS_OF_METRIC, "wages", ""]),
                          st.sampled_from([*UNITS, "USD", ""])), max_size=20))
def test_units_fit_metrics_a_column_at_a_time_as_row_by_row(rows):
    frame = pd.DataFrame(rows or None, columns=["metric", "unit"], dtype="string[pyarrow]")

    assert unit_fits_metric(frame).tolist() == \
        [unit in UNITS_OF_METRIC.get(metric, ()) for metric, unit in rows]


def test_rows_that_break_the_row_checks_are_quarantined_with_the_check_named():
    good = stated_claim(50250, source="a", figure="$50,250", metric="wage",
                        statistic="median", unit="USD/year")
    too_low = stated_claim(5, source="b", figure="$5", metric="wage", statistic="median",
                           unit="USD/year")
    misquoted = stated_claim(48780, source="c", figure="$48,780", metric="wage",
                             statistic="median", unit="USD/year", quote="Median pay: $48,870")
    valid, bad = quarantine(claims_frame([good, too_low, misquoted]))

    assert list(valid["source_id"]) == ["a"]
    assert dict(zip(bad["source_id"], bad["failed_checks"])) == {
        "b": "figure outside the plausible range for its unit",
        "c": "quote does not contain the figure as printed"}
