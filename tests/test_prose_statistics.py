"""Which statistic a sentence gives each amount: named before it, just after it, or by the
share of workers on one side of it."""
import pytest

from extractors import extract
from extractors.document import document_from_bytes


def _read(sentence: str) -> list[tuple[str, str, float]]:
    page = f"Glaziers\n\n{sentence}\n".encode()
    doc = document_from_bytes(page, source_id="prose", path="prose.txt")
    return [(c.statistic, c.unit, c.value) for c in extract(doc) if c.metric == "wage"]
    # a range's value is None: its ends are in low and high


@pytest.mark.parametrize("sentence, expected", [
    ("Pay runs from under $38,120 for the lowest-paid tenth of glaziers to above $83,950 "
     "for the best-paid tenth ($18.33 to $40.36 an hour).",
     [("p10", "USD/year", 38120), ("p90", "USD/year", 83950), ("p10", "USD/hour", 18.33),
      ("p90", "USD/hour", 40.36), ("range", "USD/hour", None)]),
    ("The middle half earned between $44,600 (25th percentile) and $68,410 (75th percentile).",
     [("p25", "USD/year", 44600), ("p75", "USD/year", 68410)]),
    ("In May 2024 a quarter of glaziers made under $44,600 a year.",
     [("p25", "USD/year", 44600)]),
    ("One in ten glaziers earned more than $83,950 in May 2024.",
     [("p90", "USD/year", 83950)]),
    ("The lowest 10 percent earned less than $38,120, the highest 10 percent more than $83,950.",
     [("p10", "USD/year", 38120), ("p90", "USD/year", 83950)]),
    ("The bottom ten percent earn less than $38,120, while the top ten percent pull in "
     "more than $83,950.", [("p10", "USD/year", 38120), ("p90", "USD/year", 83950)]),
    ("The lowest twenty-five percent made under $44,600 a year.",
     [("p25", "USD/year", 44600)]),
])
def test_the_statistic_of_each_amount(sentence, expected):
    assert _read(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("There were 48,370 glaziers on U.S. payrolls in May 2024.", [(48370, "2024")]),
    ("Employment reached 48,370 in May 2024, up from 45,100 in May 2019.",
     [(48370, "2024"), (45100, "2019")]),
    ("Lawyers held about 864,800 jobs in 2024, more than the OEWS payroll count of "
     "747,750 for May 2024.", [(864800, "2024"), (747750, "2024")]),
    ("Employment is projected to decline 6 percent from 2023 to 2033, from 124,700 jobs "
     "to 117,200.", [(124700, "2023"), (117200, "2033")]),
    ("Employment of glaziers is projected to grow 2 percent between 2024 and 2034, adding "
     "about 900 jobs to a base of 48,900.", [(48900, "2024")]),
])
def test_employment_counts_in_prose(sentence, expected):
    page = f"Glaziers\n\n{sentence}\n".encode()
    doc = document_from_bytes(page, source_id="prose", path="prose.txt")
    got = [(c.value, c.period) for c in extract(doc)
           if c.metric == "employment" and c.statistic == "unspecified"]
    assert got == expected


def test_the_typical_worker_is_the_median():
    assert _read("In 2024 the typical glazier earned $50,340, compared with $44,000 in 2019.") == [
        ("median", "USD/year", 50340), ("median", "USD/year", 44000)]


@pytest.mark.parametrize("page, other", [
    ("Janitors and Cleaners\n\nMaids and housekeeping cleaners, who mostly work in hotels, "
     "had a median of $16.66 an hour in 2024.\n", "Maids and housekeeping cleaners"),
    ("Janitors’ pay is up 31% since 2019\n\nBy comparison, maids and housekeeping cleaners "
     "earned a median of $16.66 an hour in 2024.\n", "maids and housekeeping cleaners"),
    ("Janitors and Cleaners\n\nJanitors earned a median of $17.27 an hour in 2024.\n", ""),
    ("Janitors and Cleaners\n\nMost workers earned a median of $17.27 an hour in 2024.\n", ""),
    ("Janitors and Cleaners\n\nApprentices earned $14.10 an hour in 2024.\n", ""),
])
def test_another_occupation_named_as_the_subject(page, other):
    doc = document_from_bytes(page.encode(), source_id="prose", path="prose.txt")
    assert [c.occupation_text for c in extract(doc) if c.metric == "wage"] == [other]


@pytest.mark.parametrize("line, expected", [
    ("Wage range (10th to 90th percentile): $13.47 – $22.76 per hour",
     [("p10", "USD/hour", 13.47), ("p90", "USD/hour", 22.76), ("range", "USD/hour", None)]),
    ("Middle 50% of cooks: $15.05 – $20.97 per hour ($31,310 – $43,610 a year)",
     [("p25", "USD/hour", 15.05), ("p75", "USD/hour", 20.97), ("range", "USD/hour", None),
      ("p25", "USD/year", 31310), ("p75", "USD/year", 43610), ("range", "USD/year", None)]),
])
def test_a_label_that_names_the_two_percentiles_of_a_range(line, expected):
    assert _read(line) == expected


def test_a_state_named_before_its_figures_and_a_lead_in_label():
    page = ("Inspectors\n\nOutlook: Oregon employment of inspectors is projected to grow 5.5 "
            "percent from 2023 to 2033, with about 310 openings a year.\n").encode()
    doc = document_from_bytes(page, source_id="prose", path="prose.txt")
    assert [(c.metric, c.value, c.geography) for c in extract(doc)] == [
        ("employment_growth", 5.5, "Oregon"), ("annual_openings", 310, "Oregon")]


def test_a_past_figure_after_the_paragraphs_current_one_is_history():
    page = ("Electricians\n\nElectricians earned a median annual wage of $62,350 in May 2024. "
            "In May 2022 the median was $60,240.\n").encode()
    doc = document_from_bytes(page, source_id="prose", path="prose.txt")
    assert [(c.value, c.period, c.period_basis) for c in extract(doc)] == [
        (62350, "2024", "stated"), (60240, "2022", "history")]
