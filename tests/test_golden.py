"""Golden files: extraction of every case in tests/golden/ is exactly its expected.jsonl.

A change in extraction shows up here as a readable diff; when it is intended, run
`make golden` and review `git diff tests/golden`.
"""
import io
import json

import pytest

from extractors.patterns import clean
from tests.golden_cases import cases, expected_lines, extracted_lines, input_of

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extraction_matches_golden_file(case):
    assert extracted_lines(case) == expected_lines(case)


def _follow(soup, path: str):
    """The element an `html:` locator names: tag#id.class[n] steps from the root."""
    import re
    node = soup
    for step in path.split("/"):
        m = re.match(r"(?P<tag>[\w-]+)(?:#(?P<id>[^.\[]+))?(?:\.[^\[]+)?(?:\[(?P<n>\d+)\])?$", step)
        same = node.find_all(m.group("tag"), recursive=False)
        node = same[int(m.group("n") or 1) - 1]
        if m.group("id"):
            assert node.get("id") == m.group("id")
    return node


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_locator_leads_to_the_quote(case):
    """A person following the locator finds the figure: the exact span of a text page,
    the element of an HTML page, the page and box of a PDF."""
    data = input_of(case).read_bytes()
    claims = [json.loads(line) for line in expected_lines(case)]
    for claim in claims:
        assert clean(claim["figure"]) in clean(claim["quote"])
        kind, _, where = claim["locator"].partition(":")
        if claim["locator"].startswith("chars="):
            from extractors.document import decode
            text, _ = decode(data)
            start, end = map(int, claim["locator"].removeprefix("chars=").split("-"))
            assert text[start:end] == claim["quote"]
        elif kind in ("csv", "xlsx"):
            row = int(where.split("row=")[1].split(";")[0])
            if kind == "csv":
                from extractors.document import decode
                text, _ = decode(data)
                assert text.splitlines()[row - 1] == claim["quote"]
            else:
                from openpyxl import load_workbook
                sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
                cells = next(sheet.iter_rows(min_row=row, max_row=row, values_only=True))
                assert claim["figure"] in {str(c) for c in cells} | {
                    str(int(c)) for c in cells if isinstance(c, float) and c.is_integer()}
        elif kind == "html":
            from bs4 import BeautifulSoup
            from extractors.html import INVISIBLE
            element = _follow(BeautifulSoup(data, "lxml"), where)
            visible = clean(element.get_text("").translate(INVISIBLE)).replace(" ", "")
            assert clean(claim["figure"]).replace(" ", "") in visible
        else:
            assert kind == "pdf"
            import pdfplumber
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                words = set()
                for part in where.split("|"):
                    page, box = part.split(";")
                    bbox = tuple(float(x) for x in box.removeprefix("bbox=").split(","))
                    page = pdf.pages[int(page.removeprefix("page=")) - 1]
                    grown = (bbox[0] - 0.5, bbox[1] - 0.5, bbox[2] + 0.5, bbox[3] + 0.5)
                    words |= {clean(w["text"]) for w in page.within_bbox(grown).extract_words()}
            for token in clean(claim["figure"]).split():
                assert any(token in word for word in words), (token, claim["locator"])


def test_seed_pages_are_golden_cases():
    names = {c.name for c in CASES}
    assert {"seed-000", "seed-001", "seed-002", "seed-003"} <= names


def test_every_registered_extractor_has_a_golden_case():
    from extractors import EXTRACTORS
    from extractors.document import sniff_format
    formats = {sniff_format(input_of(c).read_bytes(), str(input_of(c))) for c in CASES}
    assert set(EXTRACTORS) <= formats
