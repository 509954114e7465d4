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
