"""The curated CSVs spell each value one way, whether a cell is printed alone or a column
at a time (pipeline/tables.py)."""
import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables import _cell, cell_texts, csv_bytes

floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10**17, 10**17).map(float),
                   st.sampled_from([0.0, -0.0, 50250.0, 24.16, 0.5, 2.0 ** 53, -(2.0 ** 60),
                                    1e20, 47.88, 0.001]))


@settings(max_examples=300)
@given(st.lists(floats, max_size=40))
def test_a_float_column_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype="float64")
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


@given(st.lists(st.one_of(st.none(), st.integers(1900, 2200)), max_size=40))
def test_a_year_column_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype="Int64")
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


@given(st.lists(st.one_of(st.text(max_size=8), st.none(), st.floats(allow_nan=True)),
                max_size=20))
def test_a_text_column_with_gaps_is_spelt_as_its_cells_are(values):
    column = pd.Series(values, dtype=object)
    assert cell_texts(column) == [_cell(v) for v in column.tolist()]


def test_the_csv_of_a_claims_like_frame():
    frame = pd.DataFrame({"value": [50250.0, 24.16, math.nan, -0.0],
                          "period_end": pd.array([2024, None, 2023, 2022], dtype="Int64"),
                          "unit": ["USD/year", "USD/hour", "", "count"]})
    assert csv_bytes(frame) == (b"value,period_end,unit\n50250,2024,USD/year\n24.16,,USD/hour\n"
                                b",2023,\n-0,2022,count\n")
