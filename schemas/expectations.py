"""Great-expectations suites that gate a new source: one suite per table the check
builds from the source's claims (see `pipeline/check.py`).

Kept as code so a change is reviewed like any other. Each expectation carries, in its
`meta`, the stable check code a failure is reported under and the sentence that
explains it. great-expectations is imported only when the suites are built (it takes
seconds to import); nothing else in careerfacts imports this module.
"""
from __future__ import annotations

WAGE_BANDS = {"USD/year": (10_000, 1_000_000), "USD/hour": (5, 500)}
"""Plausible wages: below or above these, a figure is more likely misread than true."""

GROWTH_BAND = (-50, 100)
"""Ten-year employment change in percent."""

HOURLY_ANNUAL_TOLERANCE = 0.01
"""An hourly wage × 2,080 may differ from the same page's annual wage by rounding: 1%."""

PERCENTILE_ORDER = ("p10", "p25", "median", "p75", "p90")


def suites() -> dict[str, list]:
    """Suite name -> expectations. Table columns are documented in pipeline/check.py."""
    import great_expectations as gx

    E = gx.expectations

    def meta(code: str, text: str) -> dict:
        return {"code": code, "explains": text}

    ladder = [
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=high, column_B=low, or_equal=True, ignore_row_if="either_value_is_missing",
            meta=meta("percentiles-out-of-order",
                      f"the {high} wage is below the {low} wage of the same page and period"))
        # every pair, not only neighbours: a page may skip the 25th and 75th
        for i, low in enumerate(PERCENTILE_ORDER) for high in PERCENTILE_ORDER[i + 1:]
    ]
    return {
        "claims": [
            E.ExpectColumnValuesToBeUnique(
                column="claim_id", meta=meta("claim-id-not-unique", "two claims share an id")),
            E.ExpectColumnValuesToBeInSet(
                column="in_registry", value_set=[True],
                meta=meta("source-not-registered", "the claim's source is not in raw/sources.yaml")),
            E.ExpectColumnValuesToBeInSet(
                column="quote_found", value_set=[True],
                meta=meta("quote-not-in-document",
                          "the quote is not found verbatim (white space aside) in the document")),
        ],
        "wages_annual": [
            E.ExpectColumnValuesToBeBetween(
                column="value", min_value=WAGE_BANDS["USD/year"][0],
                max_value=WAGE_BANDS["USD/year"][1],
                meta=meta("wage-implausible", "an annual wage outside $10,000–$1,000,000")),
        ],
        "wages_hourly": [
            E.ExpectColumnValuesToBeBetween(
                column="value", min_value=WAGE_BANDS["USD/hour"][0],
                max_value=WAGE_BANDS["USD/hour"][1],
                meta=meta("wage-implausible", "an hourly wage outside $5–$500")),
        ],
        "percentiles": ladder,
        "hourly_annual": [
            E.ExpectColumnValuesToBeBetween(
                column="relative_gap", max_value=HOURLY_ANNUAL_TOLERANCE,
                meta=meta("hourly-annual-mismatch",
                          "the hourly wage × 2,080 does not agree with the same page's annual wage")),
        ],
        "growth": [
            E.ExpectColumnValuesToBeBetween(
                column="value", min_value=GROWTH_BAND[0], max_value=GROWTH_BAND[1],
                meta=meta("growth-implausible", "employment growth outside −50% to +100%")),
            E.ExpectColumnValuesToBeInSet(
                column="period_years", value_set=[10],
                meta=meta("growth-period-not-ten-years",
                          "a projection period that is not ten years long")),
        ],
    }
