"""Money on a career page that is not the occupation's pay is never read as its wage."""
import pytest

from extractors import read
from extractors.document import document_from_bytes, sniff_format


def _wages(page: bytes, name: str = "page.txt") -> list[float]:
    doc = document_from_bytes(page, source_id="p", path=name, format=sniff_format(page, name))
    return [c.value for c in read(doc).claims if c.metric == "wage"]


@pytest.mark.parametrize("line", [
    "Association dues ................ $540 a year",
    "Errors & omissions insurance .... about $400 a year",
    "The certificate carries annual dues of $250.",
    "Fringe contributions add $21.80 an hour to the package.",
    "Take-home after taxes (est.)\t$79,150 a year",
    "The federal minimum wage is still $7.25 an hour.",
    "I make $96,500 as a county prosecutor.",
    "Ours is $2 an hour for every standby hour.",
    "Subscribe for $9.99/month and get every salary report!",
    "A premium membership is $19 a month.",
])
def test_costs_minimums_and_anecdotes_are_not_pay(line):
    page = f"Paralegals\n\nMedian pay: $61,010 per year (May 2024)\n\n{line}\n".encode()
    assert _wages(page) == [61010]


@pytest.mark.parametrize("line, wage", [
    ("Electricians with union membership earn a median of $65,000 a year.", 65000),
    ("Members who subscribe to the union contract earn $70,000 a year.", 70000),
])
def test_membership_of_a_union_is_not_a_price(line, wage):
    page = f"Electricians\n\n{line}\n".encode()
    assert _wages(page) == [wage]


def test_finance_and_insurance_is_an_industry_not_a_cost():
    page = b"Accountants\n\nMedian pay by industry\nFinance and Insurance: $91,840\n"
    assert _wages(page) == [91840]


def test_a_calculators_monthly_breakdown_restates_its_estimate():
    page = (b"<html><body><h1>Accountant salary calculator</h1><dl>"
            b"<dt>Estimated salary</dt><dd>$86,400 a year</dd>"
            b"<dt>Monthly</dt><dd>$7,200</dd><dt>Weekly</dt><dd>$1,662</dd></dl>"
            b"<p>Median weekly earnings of accountants were $1,540 in 2024.</p></body></html>")
    assert _wages(page, "calc.html") == [86400, 1540]


def test_a_range_under_an_estimate_with_its_label_below():
    page = (b"<html><body><h1>Analyst salary calculator</h1><div class='big'>$108,400</div>"
            b"<div class='label'>Estimated base salary per year</div>"
            b"<p>Likely range: $91,200 &ndash; $124,900</p></body></html>")
    doc = document_from_bytes(page, source_id="p", path="calc.html", format="html")
    got = [(c.statistic, c.unit, c.value, c.low, c.high) for c in read(doc).claims]
    assert got == [("unspecified", "USD/year", 108400, None, None),
                   ("range", "USD/year", None, 91200, 124900)]


@pytest.mark.parametrize("line", [
    "Get the weekly jobs brief. Join 22,500 subscribers.",
    "We rank metros by median pay, leaving out metros with fewer than 1,000 jobs in the field.",
    "See openings near you (186 posted this week)",
    "At the median that is about $720 a week.",
    "Pickers earn $28 to $35 a bin this season.",
    "Supervision cost me $75 a session at first.",
    "Nearly one in five (19.8 percent) are self-employed.",
])
def test_counts_rates_and_restatements_that_are_no_claims(line):
    page = f"Paralegals\n\nThe median wage was $18 an hour in May 2024.\n\n{line}\n".encode()
    doc = document_from_bytes(page, source_id="p", path="page.txt")
    assert [(c.metric, c.value) for c in read(doc).claims] == [("wage", 18)]
