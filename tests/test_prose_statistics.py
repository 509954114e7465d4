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
