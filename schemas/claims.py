"""The claims table contract (pandera).

Validation is lazy and never drops rows by itself: `quarantine` splits a table into the
rows that pass and the rows that fail, each failing row with the checks it failed.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabulary import (METRICS, OCCUPATION_BASES, PERIOD_BASES, SCHEDULES, SCOPES, STATISTICS,
                                UNION_STATUSES, UNITS, VALUE_BOUNDS)

UNITS_OF_METRIC = {
    "wage": {"USD/year", "USD/hour", "USD/month", "USD/week"},
    "employment": {"count"},
    "annual_openings": {"count"},
    "employment_growth": {"percent"},
    "education": {"category"},
    "experience": {"years", "category"},  # "2 years", or the BLS category "5 years or more"
    "training_duration": {"years", "category"},  # … "Moderate-term on-the-job training"
    "education_duration": {"years"},
    "certification_required": {"boolean"},
}
CATEGORICAL_UNITS = {"category", "boolean"}
METRIC_UNIT_PAIRS = sorted(f"{m}\x1f{u}" for m, units in UNITS_OF_METRIC.items() for u in units)
"""Each metric and a unit that fits it, joined by \\x1f: checked column by column."""


def _normalised(text: str) -> str:
    """NFKC-normalised, runs of white space as one space, stripped (ASCII text is its own
    NFKC form, and str.split splits where the pattern's \\s matches)."""
    if text.isascii():
        return " ".join(text.split())
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


_SPACE = re.compile(r"\s")


def _holds(quote: str, figure: str, normalised=_normalised) -> bool:
    """Whether the quote contains the figure as printed, both NFKC-normalised with runs of
    white space as one space. ASCII text is its own NFKC form, and a figure without white
    space is unchanged by the spacing rule and found in the quote's runs of other
    characters, which the rule keeps: such a figure (nearly every one: "$50,250") is
    looked for in the quote as it is. `normalised`: how the quote is normalised (a
    memo of `_normalised`, `quotes_hold_figures`).

    >>> _holds("Median pay:  $50,250 a year", "$50,250"), _holds("pay ＄50,250", "$50,250")
    (True, True)
    """
    if figure.isascii() and quote.isascii() and not _SPACE.search(figure):
        return figure in quote
    return _normalised(figure) in normalised(quote)


def quotes_hold_figures(quotes: list[str], figures: list[str]) -> list[bool]:
    """`_holds` row by row. A quote is normalised once however many of its figures are
    looked for in it (a table row's quote holds each of its cells).

    >>> quotes_hold_figures(["Pay: $5 – $9", "Pay: $5 – $9", "Jobs: 12"], ["$5", "$9 ", "13"])
    [True, True, False]
    """
    normalised = functools.lru_cache(maxsize=None)(_normalised)
    return [_holds(quote, figure, normalised) for quote, figure in zip(quotes, figures)]


class ClaimsTable(pa.DataFrameModel):
    """One row per figure a document states (see docs/data-contract.md)."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^c-[0-9a-f]{16}$")
    source_id: Series[str] = pa.Field(str_length={"min_value": 1})
    occupation: Series[str] = pa.Field(str_matches=r"^(\d{2}-\d{4})?$")
    occupation_basis: Series[str] = pa.Field(isin=["", *OCCUPATION_BASES])
    metric: Series[str] = pa.Field(isin=sorted(METRICS))
    statistic: Series[str] = pa.Field(isin=sorted(STATISTICS))
    unit: Series[str] = pa.Field(isin=sorted(UNITS))
    value: Series[float] = pa.Field(nullable=True)
    low: Series[float] = pa.Field(nullable=True)
    high: Series[float] = pa.Field(nullable=True)
    value_text: Series[str]
    figure: Series[str] = pa.Field(str_length={"min_value": 1})
    precision: Series[float] = pa.Field(gt=0)
    period: Series[str] = pa.Field(str_matches=r"^(\d{4}|\d{4}-\d{4}|-\d{4})?$")
    period_start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100)
    period_end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100)
    period_basis: Series[str] = pa.Field(isin=sorted(PERIOD_BASES))
    geography: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[str]
    industry: Series[str]
    union_status: Series[str] = pa.Field(isin=["", *UNION_STATUSES])
    schedule: Series[str] = pa.Field(isin=["", *SCHEDULES])
    subgroup: Series[str]
    scope: Series[str] = pa.Field(isin=list(SCOPES))
    occupation_text: Series[str]
    qualifier_text: Series[str]
    cites: Series[str]
    page_date: Series[str] = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$")
    stated_in: Series[str]
    status: Series[str] = pa.Field(isin=["", "official", "reprint", "secondary"])
    citation: Series[str]
    quote: Series[str] = pa.Field(str_length={"min_value": 1})
    locator: Series[str] = pa.Field(str_length={"min_value": 1})
    extractor: Series[str] = pa.Field(str_matches=r"^[a-z]+/\d+$")
    method: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(error="unit does not fit the metric")
    def unit_fits_metric(cls, df: pd.DataFrame) -> Series[bool]:
        pairs = df.metric.astype(object) + "\x1f" + df.unit.astype(object)
        return pairs.isin(METRIC_UNIT_PAIRS)

    @pa.dataframe_check(error="a number needs a value or a range (one end may be open); a "
                              "category needs value_text")
    def has_a_figure(cls, df: pd.DataFrame) -> Series[bool]:
        categorical = df.unit.isin(CATEGORICAL_UNITS)
        single = df.value.notna() & df.low.isna() & df.high.isna()
        ranged = df.value.isna() & (df.low.notna() | df.high.notna())  # "up to $75,000"
        return (categorical & (df.value_text != "")) | (~categorical & (single | ranged))

    @pa.dataframe_check(error="low is greater than high")
    def low_not_above_high(cls, df: pd.DataFrame) -> Series[bool]:
        return df.high.isna() | df.low.isna() | (df.low <= df.high)

    @pa.dataframe_check(error="period starts after it ends")
    def period_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return (df.period_start.isna() | df.period_end.isna()
                | (df.period_start <= df.period_end)).astype(bool)

    @pa.dataframe_check(error="figure outside the plausible range for its unit")
    def within_bounds(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(in_plausible_range(df.unit, df.statistic, df.value, df.low,
                                            df.high), index=df.index)

    @pa.dataframe_check(error="quote does not contain the figure as printed")
    def quote_holds_figure(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(quotes_hold_figures(df.quote.tolist(), df.figure.tolist()),
                         index=df.index, dtype=bool)

    class Config:
        strict = True
        coerce = True
        ordered = True


def in_plausible_range(unit, statistic, *numbers) -> np.ndarray:
    """Per row, whether each of its numbers (value, low, high: NaN for none) lies within
    VALUE_BOUNDS for its unit (a unit without bounds has none); a change ("-1,200 jobs",
    "-3%") may be as negative as its unit's upper bound is positive. Column by column.

    >>> in_plausible_range(["USD/year", "USD/year", "count", "category"],
    ...                    ["median", "median", "change", "typical"],
    ...                    [50250.0, 500.0, -1200.0, float("nan")]).tolist()
    [True, False, True, True]
    """
    units = pd.Series(unit, dtype=object)
    lo = units.map({u: b[0] for u, b in VALUE_BOUNDS.items()}).fillna(-np.inf).to_numpy(float)
    hi = units.map({u: b[1] for u, b in VALUE_BOUNDS.items()}).fillna(np.inf).to_numpy(float)
    change = np.asarray(pd.Series(statistic, dtype=object) == "change", dtype=bool)
    lo = np.where(change, np.minimum(lo, -hi), lo)
    ok = np.ones(len(lo), dtype=bool)
    for column in numbers:
        x = np.asarray(column, dtype=float)
        ok &= np.isnan(x) | ((lo <= x) & (x <= hi))
    return ok


def quarantine(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(valid rows, quarantined rows); each quarantined row lists the checks it failed.

    A failure that is not tied to a row (a missing column) is a defect, and raises.
    """
    try:
        return ClaimsTable.validate(table, lazy=True), table.iloc[0:0].assign(failed_checks="")
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        if cases["index"].isna().any():
            raise
        failed: dict[int, set[str]] = {}
        # a dataframe-level check reports each bad row once per column: one label per row
        for index, context, column, check in zip(cases["index"], cases["schema_context"],
                                                 cases["column"], cases["check"]):
            label = check if context == "DataFrameSchema" else f"{column}: {check}"
            failed.setdefault(int(index), set()).add(str(label))
        bad = table.loc[sorted(failed)].copy()
        bad["failed_checks"] = ["; ".join(sorted(failed[i])) for i in bad.index]
        good = table.drop(index=list(failed))
        return ClaimsTable.validate(good, lazy=True), bad
