"""reports/discrepancies.md: what an analyst reads. Built from claims stated directly, so
the report's behaviour is tested apart from what the extractors read."""
from __future__ import annotations

import re

from pipeline.report import discrepancy_report
from tests.conftest import run_from_claims, stated_claim

GROWTH = dict(metric="employment_growth", statistic="change", unit="percent")


def growth_run():
    """The agency's 8% for 2022-2032 (printed "8", precise to 1) and a page's 8.5%
    through 2032 agree at the coarser precision; 9% for 2023-2033 is the next release."""
    claims = [
        stated_claim(8, source="bls", figure="8", period="2022-2032",
                     stated_in="Employment Projections 2022-2032", **GROWTH),
        stated_claim(9, source="bls", figure="9", period="2023-2033",
                     stated_in="Employment Projections 2023-2033", **GROWTH),
        stated_claim(8.5, source="page", figure="8.5%", precision=0.1, period="-2032",
                     quote="expected to grow 8.5% through 2032", **GROWTH),
    ]
    return run_from_claims(claims, {"bls": "primary", "page": "secondary"})


def table_rows(report: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split(" | ")]
            for line in report.splitlines() if re.match(r"^\| .* \| `c-[0-9a-f]{16}` \|$", line)]


def test_the_figure_column_shows_each_claims_own_figure():
    report = discrepancy_report(growth_run())

    shown = {(row[2], row[1]): row[0] for row in table_rows(report)}
    assert shown == {("bls", "8"): "8%", ("bls", "9"): "9%", ("page", "8.5%"): "8.5%"}
