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


def unit_fits_metric(df: pd.DataFrame) -> pd.Series:
    """Per row, whether the unit is one of its metric's (UNITS_OF_METRIC)."""
    pairs = df.metric.astype(object) + "\x1f" + df.unit.astype(object)
    return pairs.isin(METRIC_UNIT_PAIRS)


def has_a_figure(df: pd.DataFrame) -> pd.Series:
    """Per row, a number with a value or a range, or a category with its text."""
    categorical = df.unit.isin(CATEGORICAL_UNITS)
    single = df.value.notna() & df.low.isna() & df.high.isna()
    ranged = df.value.isna() & (df.low.notna() | df.high.notna())  # "up to $75,000"
    return (categorical & (df.value_text != "")) | (~categorical & (single | ranged))


def low_not_above_high(df: pd.DataFrame) -> pd.Series:
    return df.high.isna() | df.low.isna() | (df.low <= df.high)


def period_in_order(df: pd.DataFrame) -> pd.Series:
    return (df.period_start.isna() | df.period_end.isna()
            | (df.period_start <= df.period_end)).astype(bool)


def within_bounds(df: pd.DataFrame) -> pd.Series:
    return pd.Series(in_plausible_range(df.unit, df.statistic, df.value, df.low, df.high),
                     index=df.index)


def quote_holds_figure(df: pd.DataFrame) -> pd.Series:
    return pd.Series(quotes_hold_figures(df.quote.tolist(), df.figure.tolist()),
                     index=df.index, dtype=bool)


def _text(*checks: pa.Check, **options) -> pa.Column:
    return pa.Column(str, checks=list(checks), **options)


def _number(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(float, checks=list(checks), nullable=nullable)


def _one_of(values) -> pa.Check:
    return pa.Check.isin(list(values))


def _some() -> pa.Check:
    return pa.Check.str_length(min_value=1)


ClaimsTable = pa.DataFrameSchema(
    {
        "claim_id": _text(pa.Check.str_matches(r"^c-[0-9a-f]{16}$"), unique=True),
        "source_id": _text(_some()),
        "occupation": _text(pa.Check.str_matches(r"^(\d{2}-\d{4})?$")),
        "occupation_basis": _text(_one_of(["", *OCCUPATION_BASES])),
        "metric": _text(_one_of(sorted(METRICS))),
        "statistic": _text(_one_of(sorted(STATISTICS))),
        "unit": _text(_one_of(sorted(UNITS))),
        "value": _number(nullable=True),
        "low": _number(nullable=True),
        "high": _number(nullable=True),
        "value_text": _text(),
        "figure": _text(_some()),
        "precision": _number(pa.Check.gt(0)),
        "period": _text(pa.Check.str_matches(r"^(\d{4}|\d{4}-\d{4}|-\d{4})?$")),
        "period_start": pa.Column(pd.Int64Dtype(), [pa.Check.ge(1900), pa.Check.le(2100)],
                                  nullable=True),
        "period_end": pa.Column(pd.Int64Dtype(), [pa.Check.ge(1900), pa.Check.le(2100)],
                                nullable=True),
        "period_basis": _text(_one_of(sorted(PERIOD_BASES))),
        "geography": _text(_some()),
        "level": _text(),
        "industry": _text(),
        "union_status": _text(_one_of(["", *UNION_STATUSES])),
        "schedule": _text(_one_of(["", *SCHEDULES])),
        "subgroup": _text(),
        "scope": _text(_one_of(SCOPES)),
        "occupation_text": _text(),
        "qualifier_text": _text(),
        "cites": _text(),
        "page_date": _text(pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")),
        "stated_in": _text(),
        "status": _text(_one_of(["", "official", "reprint", "secondary"])),
        "citation": _text(),
        "quote": _text(_some()),
        "locator": _text(_some()),
        "extractor": _text(pa.Check.str_matches(r"^[a-z]+/\d+$")),
        "method": _text(_some()),
    },
    checks=[
        pa.Check(unit_fits_metric, error="unit does not fit the metric"),
        pa.Check(has_a_figure, error="a number needs a value or a range (one end may be "
                                     "open); a category needs value_text"),
        pa.Check(low_not_above_high, error="low is greater than high"),
        pa.Check(period_in_order, error="period starts after it ends"),
        pa.Check(within_bounds, error="figure outside the plausible range for its unit"),
        pa.Check(quote_holds_figure, error="quote does not contain the figure as printed"),
    ],
    name="ClaimsTable", strict=True, coerce=True, ordered=True)
"""One row per figure a document states (see docs/data-contract.md). Built with pandera's
object API: a DataFrameModel is turned into this on first use by scanning every
dataframe library pandera knows, which imports Dask where it is installed (2.4 s of a
refresh that validates one page)."""


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
