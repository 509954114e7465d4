"""A place named by a heading or a question belongs to the figures under it."""
import pytest

from extractors import extract
from extractors.document import document_from_bytes, sniff_format


def _ranges(data: bytes, name: str) -> list[tuple[str, float, float]]:
    doc = document_from_bytes(data, source_id="faq", path=name, format=sniff_format(data, name))
    return [(c.geography, c.low, c.high) for c in extract(doc) if c.statistic == "range"]


FAQ_TEXT = b"""Welders

How much do welders earn in Ohio?
Shops differ a lot. Reported wages there ranged from $41,200 to $63,900.

What can welders make in New Mexico?
Reported wages there ranged from $38,100 to $58,700.
"""

FAQ_HTML = b"""<html><body><h1>Welders</h1>
<section class="faq"><h3>How much do welders earn in Ohio?</h3>
<p>Shops differ a lot. Reported wages there ranged from $41,200 to $63,900.</p>
<h3>What can welders make in New Mexico?</h3>
<p>Reported wages there ranged from $38,100 to $58,700.</p></section></body></html>"""


@pytest.mark.parametrize("data, name", [(FAQ_TEXT, "faq.txt"), (FAQ_HTML, "faq.html")])
def test_a_question_naming_a_state_places_the_answer(data, name):
    assert _ranges(data, name) == [("Ohio", 41200.0, 63900.0),
                                   ("New Mexico", 38100.0, 58700.0)]


def test_a_question_without_a_place_leaves_the_figure_national():
    page = b"Welders\n\nHow much do welders earn?\nPay ranged from $41,200 to $63,900 in 2024.\n"
    assert [g for g, *_ in _ranges(page, "faq.txt")] == ["United States"]
