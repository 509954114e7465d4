"""Plain-text captures wrapped at a fixed width read as the paragraphs they were."""
from hypothesis import given, settings, strategies as st

from extractors import extract
from extractors.document import document_from_bytes
from extractors.text import unwrapped

WRAPPED = """Counselors: pay and outlook

The Bureau of Labor Statistics puts the median annual wage for these counselors at $59,190
in May 2024. The bottom tenth earned under $39,090 and the top tenth over $98,210; the middle
half fell between $47,170 and $76,230. Employment is projected to grow 17 percent from 2024
to 2034, much faster than the average for all occupations, and the agency expects about
48,300 openings a year over the decade, most of them to replace counselors who leave.

Quick facts
Median pay: $59,190 per year
Jobs, 2024: 481,100
Typical entry-level education: Master's degree
State\tMean wage
Arizona\t$64,870
"""


def test_a_wrapped_paragraph_reads_as_one():
    doc = document_from_bytes(WRAPPED.encode(), source_id="w", path="w.txt")
    got = {(c.metric, c.statistic, c.value) for c in extract(doc)}
    assert {("wage", "p25", 47170), ("wage", "p75", 76230),
            ("annual_openings", "unspecified", 48300)} <= got


def test_only_wrap_breaks_become_spaces():
    text = unwrapped(WRAPPED)
    assert len(text) == len(WRAPPED)  # every offset stays where it was
    assert "$47,170 and $76,230" in text
    assert "Quick facts\nMedian pay: $59,190 per year\nJobs, 2024: 481,100\n" in text
    assert "State\tMean wage\nArizona\t$64,870" in text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .:$,\t|\n-•"), max_size=600))
def test_unwrapping_keeps_length_and_only_turns_breaks_into_spaces(text):
    out = unwrapped(text)
    assert len(out) == len(text)
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(text, out))
